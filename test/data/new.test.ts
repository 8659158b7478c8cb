// learner.new(): an empty learner with the same options (python-adaptive's new()), for every
// learner: no data, no pending points, and it samples as a learner built anew with the same
// options (custom losses and non-default options kept).
import { describe, expect, it } from 'vitest';
import {
  AverageLearner,
  AverageLearner1D,
  BalancingLearner,
  DataSaver,
  IntegratorLearner,
  type Learner,
  Learner1D,
  Learner2D,
  LearnerND,
  resolutionLoss,
  runSync,
  SequenceLearner,
  uniformLoss,
  uniformLoss2D,
  uniformLossND,
} from '../../src/index.js';
import type { AnyLearner } from './learners.js';

type F = (p: never) => unknown;
const f1 = (x: number) => Math.tanh(20 * x);
const f2 = ([x, y]: number[]) => Math.exp(-10 * ((x as number) ** 2 + (y as number) ** 2));

const CASES: [string, () => AnyLearner, F][] = [
  [
    'Learner1D (resolutionLoss, recomputeLossesFactor 1)',
    () =>
      new Learner1D({
        bounds: [-1, 2],
        loss: resolutionLoss({ minLength: 0.01, maxLength: 0.5 }),
        recomputeLossesFactor: 1,
      }) as unknown as AnyLearner,
    f1 as F,
  ],
  [
    'Learner2D (uniform loss, gradientSweeps 0)',
    () =>
      new Learner2D({
        bounds: [
          [0, 1],
          [-2, 0],
        ],
        loss: uniformLoss2D,
        gradientSweeps: 0,
      }) as unknown as AnyLearner,
    f2 as F,
  ],
  [
    'LearnerND (hull, uniform loss)',
    () =>
      new LearnerND({
        hull: [
          [0, 0],
          [2, 0],
          [0, 1],
        ],
        loss: uniformLossND,
      }) as unknown as AnyLearner,
    f2 as F,
  ],
  [
    'AverageLearner (rtol, minNpoints 5)',
    () => new AverageLearner({ rtol: 0.02, minNpoints: 5 }) as unknown as AnyLearner,
    ((s: number) => Math.sin(s)) as F,
  ],
  [
    'AverageLearner1D (every option)',
    () =>
      new AverageLearner1D({
        bounds: [0, 1],
        loss: uniformLoss,
        delta: 0.5,
        alpha: 0.01,
        neighborSampling: 0.5,
        minSamples: 3,
        maxSamples: 9,
        minError: 0.001,
        recomputeLossesFactor: 1.5,
      }) as unknown as AnyLearner,
    (([s, x]: number[]) => (x as number) + Math.sin(s as number) * 0.1) as F,
  ],
  [
    'IntegratorLearner (maxIvals 50)',
    () =>
      new IntegratorLearner({ bounds: [0, 2], tol: 1e-6, maxIvals: 50 }) as unknown as AnyLearner,
    ((x: number) => Math.sqrt(x)) as F,
  ],
  [
    'SequenceLearner',
    () => new SequenceLearner(['a', 'b', 'c', 'd']) as unknown as AnyLearner,
    (([i]: [number]) => i * 2) as F,
  ],
  [
    "BalancingLearner ('npoints', cdims)",
    () =>
      new BalancingLearner(
        [new Learner1D({ bounds: [0, 1] }), new Learner1D({ bounds: [-1, 0], loss: uniformLoss })],
        { strategy: 'npoints', cdims: [{ k: 'a' }, { k: 'b' }] },
      ) as unknown as AnyLearner,
    (([, x]: [number, number]) => x * x) as F,
  ],
  [
    'DataSaver (Learner1D)',
    () =>
      new DataSaver(
        new Learner1D({ bounds: [0, 1] }),
        (r: { y: number }) => r.y,
      ) as unknown as AnyLearner,
    ((x: number) => ({ y: x * x, t: 1 })) as F,
  ],
];

describe.each(CASES)('%s', (_, make, f) => {
  it('new() is empty, of the same class, and samples like a learner built anew', () => {
    const a = make();
    runSync(a as never, f as never, { npointsGoal: 12 } as never);
    a.ask(3); // pending points are not copied either
    const b = a.new();
    expect(b).not.toBe(a);
    expect(b.constructor).toBe(a.constructor);
    expect(b.npoints).toBe(0);
    expect(b.pendingPoints).toEqual([]);
    const fresh = make();
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(fresh.snapshot()));
    runSync(b as never, f as never, { npointsGoal: 12 } as never);
    runSync(fresh as never, f as never, { npointsGoal: 12 } as never);
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(fresh.snapshot()));
    expect(b.ask(5)).toEqual(fresh.ask(5));
    // The original is untouched by new().
    expect(a.npoints).toBeGreaterThan(0);
  });
});

it('new() keeps the options it was built with', () => {
  const l1 = new Learner1D({ bounds: [-1, 2], loss: uniformLoss }).new();
  expect(l1.bounds).toEqual([-1, 2]);
  expect(l1.lossFunction).toBe(uniformLoss);
  const av = new AverageLearner({ atol: 0.5 }).new();
  expect([av.atol, av.rtol, av.minNpoints]).toEqual([0.5, Number.POSITIVE_INFINITY, 2]);
  const ig = new IntegratorLearner({ bounds: [0, 2], tol: 1e-6, maxIvals: 50 }).new();
  expect([ig.bounds, ig.tol, ig.maxIvals]).toEqual([[0, 2], 1e-6, 50]);
  const b = new BalancingLearner([new Learner1D({ bounds: [0, 1] })], {
    strategy: 'cycle',
    cdims: [{ a: 1 }],
  }).new();
  expect(b.strategy).toBe('cycle');
  expect(b.cdims).toEqual([{ a: 1 }]);
  const pick = (r: { y: number }) => r.y;
  const s = new DataSaver(new Learner1D({ bounds: [0, 1] }), pick).new();
  expect(s.pick).toBe(pick);
  expect(s.extraData.size).toBe(0);
});

it('BalancingLearner.new() and DataSaver.new() name a child without new()', () => {
  const bare: Learner<number, number> = {
    ask: () => ({ points: [], lossImprovements: [] }),
    tell: () => {},
    tellMany: () => {},
    tellPending: () => {},
    removeUnfinished: () => {},
    loss: () => 0,
    npoints: 0,
    pendingPoints: [],
    snapshot: () => ({ type: 'Bare', version: 1 }),
    restore: () => {},
  };
  expect(() => new BalancingLearner([new Learner1D({ bounds: [0, 1] }), bare]).new()).toThrow(
    'BalancingLearner.new: learners[1] has no new() method',
  );
  expect(() => new DataSaver(bare, (r: number) => r).new()).toThrow(
    'DataSaver.new: the wrapped learner has no new() method',
  );
});
