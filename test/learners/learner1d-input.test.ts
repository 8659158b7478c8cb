// Bad input gets a clear error naming the problem, and the learner is left unchanged.
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import {
  curvatureLoss,
  resolutionLoss,
  uniformLoss,
  usesNthNeighbors,
} from '../../src/learners/losses1d.js';

function withData(): Learner1D {
  const l = new Learner1D({ bounds: [-1, 1] });
  const { points } = l.ask(6);
  for (const x of points.slice(0, 4)) l.tell(x, Math.sin(3 * x));
  return l;
}

function unchanged(l: Learner1D, act: () => void, error: RegExp, kind: ErrorConstructor): void {
  const before = JSON.stringify(l.snapshot());
  expect(act).toThrow(kind);
  expect(act).toThrow(error);
  expect(JSON.stringify(l.snapshot())).toBe(before);
  l.checkValid();
}

describe('Learner1D rejects bad input', () => {
  it.each([
    [[1, -1], /bounds must be finite and increasing, got \[1, -1\]/],
    [[0, 0], /finite and increasing/],
    [[0, Number.POSITIVE_INFINITY], /finite and increasing/],
    [[Number.NaN, 1], /finite and increasing/],
    [[0], /finite and increasing/],
    ['0,1', /finite and increasing/],
  ])('bounds %j', (bounds, error) => {
    expect(() => new Learner1D({ bounds: bounds as unknown as [number, number] })).toThrow(error);
  });

  it('unknown options and bad option values', () => {
    expect(() => new Learner1D({ bounds: [0, 1], lossPerInterval: uniformLoss } as never)).toThrow(
      /unknown option 'lossPerInterval'/,
    );
    expect(() => new Learner1D({ bounds: [0, 1], recomputeLossesFactor: 0.5 })).toThrow(
      /recomputeLossesFactor/,
    );
    expect(() => new Learner1D({ bounds: [0, 1], loss: 3 as never })).toThrow(
      /loss must be a function/,
    );
    expect(() => new Learner1D(undefined as never)).toThrow(/options must be an object/);
    expect(() => resolutionLoss({ minLength: 0.5, maxLength: 0.1 })).toThrow(
      /minLength <= maxLength/,
    );
    expect(() => curvatureLoss({ areaFactor: Number.NaN })).toThrow(
      /areaFactor must be a finite number/,
    );
    expect(() => curvatureLoss({ area: 1 } as never)).toThrow(/unknown option 'area'/);
    expect(() => usesNthNeighbors(-1, () => 0)).toThrow(/non-negative integer/);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])('ask(%s)', (n) => {
    const l = withData();
    unchanged(l, () => l.ask(n as number), /n must be a non-negative integer/, RangeError);
  });

  it('an unknown ask option', () => {
    const l = withData();
    unchanged(
      l,
      () => l.ask(1, { tellpending: false } as never),
      /unknown option 'tellpending'/,
      TypeError,
    );
  });

  it.each([
    [2, /point 2 is outside the bounds \[-1, 1\]/, RangeError],
    [-1.0001, /outside the bounds/, RangeError],
    [Number.NaN, /the point must be a finite number, got NaN/, TypeError],
    ['0.5', /the point must be a finite number/, TypeError],
  ] as const)('tell at %s', (x, error, kind) => {
    const l = withData();
    unchanged(l, () => l.tell(x as number, 1), error, kind);
    unchanged(l, () => l.tellPending(x as number), error, kind);
    unchanged(l, () => l.tellMany([0.1, x as number], [1, 1]), error, kind);
  });

  it.each([
    [null, /must be a number or an array of numbers, got null/],
    [undefined, /must be a number or an array of numbers/],
    ['1', /must be a number or an array of numbers, got "1"/],
    [[1, 'a'], /must hold numbers only/],
    [[], /empty vector/],
    [[1, 2], /is a vector, but earlier values were numbers/],
  ])('a scalar learner told %j', (y, error) => {
    const l = withData();
    unchanged(l, () => l.tell(0.123, y as never), error, TypeError);
    unchanged(l, () => l.tellMany([0.5, 0.123], [1, y as never]), error, TypeError);
  });

  it('a vector whose length changes, or a number after vectors', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    l.tell(0, [1, 2]);
    unchanged(
      l,
      () => l.tell(0.5, [1, 2, 3]),
      /value at x=0.5 has length 3, but earlier values had length 2/,
      RangeError,
    );
    unchanged(
      l,
      () => l.tell(0.5, 1),
      /is a number, but earlier values were vectors of length 2/,
      TypeError,
    );
    unchanged(l, () => l.tellMany([0.25, 0.5], [[1, 1], [1]]), /has length 1/, RangeError);
  });

  it('a first batch that mixes shapes is rejected as a whole', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    unchanged(
      l,
      () => l.tellMany([0, 1], [[1, 2], 3]),
      /is a number, but earlier values were vectors/,
      TypeError,
    );
    expect(l.npoints).toBe(0);
    l.tell(0.5, 3); // the learner is still free to take scalars
    expect(l.outputDimension).toBe(1);
  });

  it('tellMany with mismatched lengths', () => {
    const l = withData();
    unchanged(l, () => l.tellMany([0.1, 0.2], [1]), /2 points but 1 values/, RangeError);
  });

  it('a loss function that returns a non-number', () => {
    const l = new Learner1D({ bounds: [0, 1], loss: usesNthNeighbors(0, () => 'big' as never) });
    l.tell(0, 0);
    expect(() => l.tell(1, 1)).toThrow(/the loss function returned "big", expected a number/);
  });
});

describe('Learner1D snapshots', () => {
  it('round-trip through JSON with NaN and ±Infinity values, pending points included', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    const { points } = l.ask(8);
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const [i, x] of points.slice(0, 6).entries())
      l.tell(x, i < 3 ? (bad[i] as number) : x * x);
    const json = JSON.stringify(l.snapshot());
    expect(json).toContain('"NaN"');
    expect(json).toContain('"-Infinity"');
    const r = new Learner1D({ bounds: [-1, 1] });
    r.restore(JSON.parse(json));
    r.checkValid();
    expect(JSON.stringify(r.snapshot())).toBe(json);
    expect(r.pendingPoints).toEqual(l.pendingPoints);
    expect(r.toRecords()).toEqual(l.toRecords());
    expect(r.ask(5, { tellPending: false })).toEqual(l.ask(5, { tellPending: false }));
  });

  it('a malformed or foreign snapshot gives a clear error and leaves the learner as it was', () => {
    const l = withData();
    const good = l.snapshot();
    const cases: [unknown, RegExp][] = [
      [null, /must be an object/],
      [{ ...good, type: 'Learner2D' }, /of type "Learner2D", not 'Learner1D'/],
      [{ ...good, version: 99 }, /unsupported snapshot version 99/],
      [{ ...good, bounds: [0, 1] }, /bounds \[0, 1\], this learner \[-1, 1\]/],
      [
        { ...good, loss: 'uniformLoss' },
        /taken with loss 'uniformLoss', this learner uses 'defaultLoss'/,
      ],
      [{ ...good, x: [5, ...(good.x as number[]).slice(1)] }, /outside the bounds/],
      [{ ...good, x: [...(good.x as number[])].reverse() }, /strictly increasing/],
      [{ ...good, y: (good.y as number[]).slice(1) }, /x has 4 entries but y has 3/],
      [{ ...good, losses: ['big', 1, 1] }, /losses\[0\] is not a number: "big"/],
      [{ ...good, combinedLosses: [] }, /combinedLosses must have 5 entries/],
      [{ ...good, pending: [good.x && (good.x as number[])[0]] }, /also an evaluated point/],
    ];
    for (const [snap, error] of cases) {
      unchanged(l, () => l.restore(snap as never), error, TypeError);
    }
  });

  it('restoring keeps a stale-scale loss, so the restored learner asks the same points', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    for (let i = 0; i < 40; i++) {
      const [x] = l.ask(1).points as [number];
      l.tell(x, x + 1e-4 / (1e-4 + x * x));
    }
    const r = new Learner1D({ bounds: [-1, 1] });
    r.restore(JSON.parse(JSON.stringify(l.snapshot())));
    for (let i = 0; i < 40; i++) {
      const a = l.ask(3);
      expect(r.ask(3)).toEqual(a);
      for (const x of a.points) {
        l.tell(x, x * x);
        r.tell(x, x * x);
      }
      expect(r.loss()).toBe(l.loss());
    }
  });
});
