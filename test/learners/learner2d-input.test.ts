// Bad input gets a clear TypeError/RangeError naming the problem, and the learner is unchanged.
import { describe, expect, it } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import { defineLoss2D, resolutionLoss2D, thresholdedLoss2D } from '../../src/learners/losses2d.js';

const square = [
  [-1, 1],
  [-1, 1],
] as const;

function withData(vector = false): Learner2D {
  const l = new Learner2D({ bounds: square });
  const { points } = l.ask(12);
  for (const p of points.slice(0, 8)) {
    l.tell(p, vector ? [p[0], p[1]] : Math.sin(3 * p[0]) * p[1]);
  }
  return l;
}

function unchanged(l: Learner2D, act: () => void, error: RegExp, kind: ErrorConstructor): void {
  const before = JSON.stringify(l.snapshot());
  const pending = JSON.stringify(l.pendingPoints);
  expect(act).toThrow(kind);
  expect(act).toThrow(error);
  expect(JSON.stringify(l.snapshot())).toBe(before);
  expect(JSON.stringify(l.pendingPoints)).toBe(pending);
  l.checkValid();
}

describe('Learner2D rejects bad options', () => {
  it.each([
    [
      [
        [1, -1],
        [0, 1],
      ],
      /bounds must be \[\[x0, x1\], \[y0, y1\]\] with finite x0 < x1 and y0 < y1, got \[\[1, -1\], \[0, 1\]\]/,
    ],
    [
      [
        [0, 0],
        [0, 1],
      ],
      /finite x0 < x1/,
    ],
    [
      [
        [0, 1],
        [0, Number.POSITIVE_INFINITY],
      ],
      /finite x0 < x1/,
    ],
    [
      [
        [Number.NaN, 1],
        [0, 1],
      ],
      /finite x0 < x1/,
    ],
    [
      [
        [-1e308, 1e308],
        [0, 1],
      ],
      /the width of the x bounds \[-1e\+308, 1e\+308\] overflows/,
    ], // the width overflows
    [[[0, 1]], /finite x0 < x1/],
    [[0, 1], /finite x0 < x1/],
    [
      [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      /finite x0 < x1/,
    ],
    ['[[0,1],[0,1]]', /finite x0 < x1/],
  ])('bounds %j', (bounds, error) => {
    expect(() => new Learner2D({ bounds: bounds as never })).toThrow(RangeError);
    expect(() => new Learner2D({ bounds: bounds as never })).toThrow(error);
  });

  it('unknown options, bad option values, bad loss options', () => {
    expect(() => new Learner2D({ bounds: square, lossPerTriangle: 1 } as never)).toThrow(
      /unknown option 'lossPerTriangle'.*; known options: bounds, hull, loss, recomputeLossesFactor, gradientSweeps/,
    );
    expect(() => new Learner2D(undefined as never)).toThrow(/options must be an object/);
    expect(() => new Learner2D({ bounds: square, loss: 'default' as never })).toThrow(
      /loss must be a function/,
    );
    expect(() => new Learner2D({ bounds: square, recomputeLossesFactor: 0.5 })).toThrow(
      /recomputeLossesFactor must be a finite number >= 1, got 0.5/,
    );
    expect(() => new Learner2D({ bounds: square, gradientSweeps: 3 })).toThrow(
      /gradientSweeps must be 0, 1 or 2, got 3/,
    );
    expect(() => resolutionLoss2D({ minDistance: 0.5, maxDistance: 0.1 })).toThrow(
      /maxDistance must be a number >= minDistance/,
    );
    expect(() => resolutionLoss2D({ minDistance: -1 })).toThrow(/minDistance must be/);
    expect(() => resolutionLoss2D({ min: 1 } as never)).toThrow(/unknown option 'min'/);
    expect(() => thresholdedLoss2D({ priorityFactor: -1 })).toThrow(/priorityFactor/);
    expect(() => thresholdedLoss2D({ upperThreshold: '1' as never })).toThrow(TypeError);
    expect(() => thresholdedLoss2D({ upper: 1 } as never)).toThrow(/unknown option 'upper'/);
    expect(() => defineLoss2D(3 as never)).toThrow(/fn must be a function/);
    expect(() => defineLoss2D(() => 0, { gradients: true } as never)).toThrow(/unknown option/);
  });
});

describe('Learner2D rejects bad calls, unchanged', () => {
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])('ask(%s)', (n) => {
    const l = withData();
    unchanged(l, () => l.ask(n as never), /n must be a non-negative integer/, RangeError);
    unchanged(
      l,
      () => l.ask(n as never, { tellPending: false }),
      /non-negative integer/,
      RangeError,
    );
  });

  it('ask with an unknown option', () => {
    const l = withData();
    unchanged(l, () => l.ask(2, { pending: true } as never), /unknown option 'pending'/, TypeError);
  });

  it.each<[string, unknown, RegExp, ErrorConstructor]>([
    [
      'outside the bounds',
      [1.5, 0],
      /point \[1.5, 0\] is outside the bounds \[\[-1, 1\], \[-1, 1\]\]/,
      RangeError,
    ],
    ['outside in y', [0, -1.0000001], /point \[0, -1.0000001\] is outside/, RangeError],
    [
      'three coordinates',
      [0, 0, 0],
      /a point must be an array \[x, y\] of two numbers, got \[0, 0, 0\]/,
      TypeError,
    ],
    ['one coordinate', [0], /array \[x, y\] of two numbers/, TypeError],
    ['a number', 0.5, /array \[x, y\] of two numbers, got 0.5/, TypeError],
    ['strings', ['0', '0'], /two numbers/, TypeError],
    ['NaN', [Number.NaN, 0], /point \[NaN, 0\] is not finite/, TypeError],
    ['Infinity', [0, Number.POSITIVE_INFINITY], /is not finite/, TypeError],
  ])('tell at a point %s', (_what, point, error, kind) => {
    const l = withData();
    unchanged(l, () => l.tell(point as Point2D, 1), error, kind);
    unchanged(l, () => l.tellPending(point as Point2D), error, kind);
    unchanged(l, () => l.tellMany([[0, 0], point as Point2D], [1, 2]), error, kind);
  });

  it('values of the wrong shape', () => {
    const scalar = withData();
    unchanged(
      scalar,
      () => scalar.tell([0.1, 0.1], [1, 2]),
      /value at \[0.1, 0.1\] is a vector, but earlier values were numbers/,
      TypeError,
    );
    unchanged(
      scalar,
      () => scalar.tell([0.1, 0.1], 'x' as never),
      /must be a number or an array of numbers, got "x"/,
      TypeError,
    );
    unchanged(
      scalar,
      () => scalar.tell([0.1, 0.1], null as never),
      /must be a number or an array/,
      TypeError,
    );
    const vec = withData(true);
    unchanged(
      vec,
      () => vec.tell([0.1, 0.1], 3),
      /value at \[0.1, 0.1\] is a number, but earlier values were vectors of length 2/,
      TypeError,
    );
    unchanged(
      vec,
      () => vec.tell([0.1, 0.1], [1, 2, 3]),
      /value at \[0.1, 0.1\] has length 3, but earlier values had length 2/,
      RangeError,
    );
    unchanged(vec, () => vec.tell([0.1, 0.1], []), /is an empty vector/, TypeError);
    unchanged(
      vec,
      () => vec.tell([0.1, 0.1], [1, 'a'] as never),
      /must hold numbers only/,
      TypeError,
    );
    // tellMany validates everything first: the good first pair is not told either.
    unchanged(
      vec,
      () =>
        vec.tellMany(
          [
            [0.1, 0.1],
            [0.2, 0.2],
          ],
          [[1, 2], 5],
        ),
      /is a number/,
      TypeError,
    );
    unchanged(vec, () => vec.tellMany([[0.1, 0.1]], []), /1 points but 0 values/, RangeError);
    unchanged(vec, () => vec.tellMany('ab' as never, []), /must be arrays/, TypeError);
  });

  it('the first values fix the shape; a fresh learner takes either', () => {
    const l = new Learner2D({ bounds: square });
    l.tellPending([0.5, 0.5]);
    l.tell([0, 0], [1, 2, 3]);
    expect(l.outputDimension).toBe(3);
    expect(() => l.tell([0.2, 0], [1, 2])).toThrow(/has length 2, but earlier values had length 3/);
    l.checkValid();
  });

  it('interpolate and interpolateOnGrid with bad arguments', () => {
    const l = withData();
    expect(() => l.interpolate(3 as never)).toThrow(
      /expected a point \[x, y\] or an array of points/,
    );
    expect(() => l.interpolate([[0, 0], [1]] as never)).toThrow(
      /expected a point \[x, y\], got \[1\]/,
    );
    expect(() => l.interpolateOnGrid({ nx: 0 })).toThrow(/nx must be a positive integer, got 0/);
    expect(() => l.interpolateOnGrid({ ny: 2.5 })).toThrow(RangeError);
    expect(() => l.interpolateOnGrid({ n: 5 } as never)).toThrow(/unknown option 'n'/);
    expect(l.interpolate([Number.NaN, 0])).toBeNaN();
  });

  it('interpolateGrid (the name LearnerND uses) checks its options as every method does; interpolateOnGrid is its alias', () => {
    const l = withData();
    expect(l.interpolateGrid({ nx: 5, ny: 4 })).toEqual(l.interpolateOnGrid({ nx: 5, ny: 4 }));
    expect(l.interpolateGrid()).toEqual(l.interpolateOnGrid());
    expect(() => l.interpolateGrid({ nz: 5 } as never)).toThrow(
      /^Learner2D\.interpolateGrid: unknown option 'nz' \(did you mean 'nx'\?\); known options: nx, ny$/,
    );
    expect(() => l.interpolateGrid(null as never)).toThrow(/options must be an object, got null/);
    expect(() => l.interpolateGrid({ nx: -1 })).toThrow(
      /^Learner2D\.interpolateGrid: nx must be a positive integer, got -1$/,
    );
  });

  it('a loss that returns something else than a number', () => {
    const l = new Learner2D({
      bounds: square,
      loss: defineLoss2D(() => 'big' as never, { name: 'bad' }),
    });
    l.tellMany(
      [
        [-1, -1],
        [1, -1],
        [-1, 1],
        [1, 1],
      ],
      [0, 1, 2, 3],
    );
    expect(() => l.loss()).toThrow(/the loss function returned "big", expected a number/);
  });
});
