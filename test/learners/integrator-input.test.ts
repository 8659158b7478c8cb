// Bad input gets a clear TypeError/RangeError naming the problem, and the learner is left
// unchanged.
import { describe, expect, it } from 'vitest';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import type { LearnerSnapshot } from '../../src/learners/types.js';

function withData(): IntegratorLearner {
  const l = new IntegratorLearner({ bounds: [0, 2], tol: 1e-8 });
  const { points } = l.ask(25);
  for (const x of points.slice(0, 20)) l.tell(x, Math.cos(x));
  return l;
}

function unchanged(
  l: IntegratorLearner,
  act: () => void,
  error: RegExp,
  kind: ErrorConstructor,
): void {
  const before = JSON.stringify(l.snapshot());
  const pending = l.pendingPoints;
  expect(act).toThrow(kind);
  expect(act).toThrow(error);
  expect(JSON.stringify(l.snapshot())).toBe(before);
  expect(l.pendingPoints).toEqual(pending);
  l.checkValid();
}

describe('IntegratorLearner rejects bad options', () => {
  it.each([
    [[1, -1], /bounds must be finite and increasing, got \[1, -1\]/],
    [[0, 0], /finite and increasing/],
    [[0, Number.POSITIVE_INFINITY], /finite and increasing/],
    [[Number.NaN, 1], /finite and increasing/],
    [[0], /finite and increasing/],
    ['0,1', /finite and increasing/],
    [undefined, /finite and increasing/],
  ])('bounds %j', (bounds, error) => {
    const make = () =>
      new IntegratorLearner({ bounds: bounds as unknown as [number, number], tol: 1e-8 });
    expect(make).toThrow(RangeError);
    expect(make).toThrow(error);
  });

  it.each([0, -1e-8, Number.NaN, Number.POSITIVE_INFINITY, '1e-8', undefined, null])(
    'tol %s',
    (tol) => {
      const make = () => new IntegratorLearner({ bounds: [0, 1], tol: tol as unknown as number });
      expect(make).toThrow(RangeError);
      expect(make).toThrow(/tol must be a positive finite number/);
    },
  );

  it.each([0, -5, 2.5, Number.NaN, '10'])('maxIvals %s', (maxIvals) => {
    const make = () =>
      new IntegratorLearner({ bounds: [0, 1], tol: 1e-8, maxIvals: maxIvals as number });
    expect(make).toThrow(RangeError);
    expect(make).toThrow(/maxIvals must be a positive integer/);
  });

  it('unknown options and no options', () => {
    expect(
      () => new IntegratorLearner({ bounds: [0, 1], tol: 1e-8, function: Math.sin } as never),
    ).toThrow(/unknown option 'function'; known options: bounds, tol, maxIvals/);
    expect(() => new IntegratorLearner(undefined as never)).toThrow(TypeError);
    expect(() => new IntegratorLearner(undefined as never)).toThrow(/options must be an object/);
  });
});

describe('IntegratorLearner rejects bad calls, unchanged', () => {
  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])('ask(%s)', (n) => {
    const l = withData();
    unchanged(l, () => l.ask(n as number), /n must be a non-negative integer/, RangeError);
    unchanged(
      l,
      () => l.ask(n as number, { tellPending: false }),
      /n must be a non-negative integer/,
      RangeError,
    );
  });

  it('ask with an unknown option', () => {
    const l = withData();
    unchanged(
      l,
      () => l.ask(2, { pending: false } as never),
      /unknown option 'pending'/,
      TypeError,
    );
  });

  it.each([
    ['0.5', TypeError, /the point must be a finite number, got "0.5"/],
    [Number.NaN, TypeError, /finite number, got NaN/],
    [Number.POSITIVE_INFINITY, TypeError, /finite number/],
    [-0.5, RangeError, /point -0.5 is outside the bounds \[0, 2\]/],
    [2.5, RangeError, /outside the bounds/],
    [0.123, RangeError, /point 0.123 is not a node of any interval/],
  ] as const)('tell at %s', (x, kind, error) => {
    const l = withData();
    unchanged(l, () => l.tell(x as number, 1), error, kind);
    unchanged(l, () => l.tellPending(x as number), kind === TypeError ? error : /./, kind);
  });

  it.each([null, '1', [1], undefined, { y: 1 }])('tell with the value %j', (y) => {
    const l = withData();
    const x = l.pendingPoints[0] as number;
    unchanged(
      l,
      () => l.tell(x, y as never),
      new RegExp(`value at x=${x} must be a number \\(NaN and ±Infinity are allowed\\)`),
      TypeError,
    );
  });

  it('tellMany validates everything before telling anything', () => {
    const l = withData();
    const pend = l.pendingPoints;
    unchanged(l, () => l.tellMany(pend, [1, 2]), /5 points but 2 values/, RangeError);
    unchanged(l, () => l.tellMany(pend[0] as never, [1]), /must be arrays/, TypeError);
    const xs = [...pend.slice(0, 3), 0.123];
    unchanged(l, () => l.tellMany(xs, [1, 2, 3, 4]), /0.123 is not a node/, RangeError);
    unchanged(
      l,
      () => l.tellMany(pend.slice(0, 3), [1, 'x', 3] as never),
      /must be a number/,
      TypeError,
    );
  });

  it('tellPending of a point that is no node and not among the next points', () => {
    const l = withData();
    unchanged(
      l,
      () => l.tellPending(0.3),
      /point 0.3 is not a node of any interval, nor among the next 10000 points/,
      RangeError,
    );
  });

  it('restore of a bad snapshot', () => {
    const l = withData();
    const good = l.snapshot();
    const bad = (patch: Record<string, unknown>) => ({ ...good, ...patch }) as LearnerSnapshot;
    const cases: [LearnerSnapshot, RegExp][] = [
      [bad({ type: 'Learner1D' }), /of type "Learner1D", not 'IntegratorLearner'/],
      [bad({ version: 99 }), /unsupported snapshot version 99/],
      [bad({ bounds: [0, 3] }), /has bounds \[0, 3\], this learner \[0, 2\]/],
      [bad({ tol: 1e-3 }), /has tol 0.001, this learner 1e-8/],
      [bad({ maxIvals: 10 }), /has maxIvals 10, this learner 1000/],
      [bad({ x: 'x' }), /x must be an array/],
      [bad({ y: [] }), /x has \d+ entries but y has 0/],
      [bad({ intervals: [] }), /intervals must not be empty/],
      [bad({ queue: [0] }), /queue\[0\] is a told point|appears twice/],
      [bad({ pending: [] }), /is neither told, queued nor pending/],
      [bad({ divergent: 'no' }), /divergent must be an integer/],
      [null as unknown as LearnerSnapshot, /the snapshot must be an object/],
    ];
    for (const [snap, error] of cases) unchanged(l, () => l.restore(snap), error, TypeError);
    const other = new IntegratorLearner({ bounds: [0, 2], tol: 1e-3 });
    expect(() => other.restore(good)).toThrow(/has tol 1e-8, this learner 0.001/);
  });
});
