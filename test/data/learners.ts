// Every learner with data (NaN and ±Infinity among the values), for the data-module tests.
import {
  AverageLearner,
  AverageLearner1D,
  AverageLearner2D,
  BalancingLearner,
  DataSaver,
  IntegratorLearner,
  type Learner,
  Learner1D,
  Learner2D,
  LearnerND,
  runSync,
  SequenceLearner,
} from '../../src/index.js';

/** A learner with `new()` (every learner of the library has it). */
export interface AnyLearner extends Learner<unknown, unknown> {
  readonly new: () => AnyLearner;
}

/** A value that is sometimes NaN or ±Infinity. */
function odd(v: number, k: number): number {
  return k % 7 === 3
    ? Number.NaN
    : k % 11 === 5
      ? Number.POSITIVE_INFINITY
      : k % 13 === 6
        ? Number.NEGATIVE_INFINITY
        : v;
}

export interface Case {
  name: string;
  /** A fresh learner with data told one by one (runSync). */
  make(): AnyLearner;
}

function sampled(
  l: object,
  // biome-ignore lint/suspicious/noExplicitAny: each case's own point type
  f: (p: any) => unknown,
  npoints: number | undefined,
): AnyLearner {
  let k = 0;
  const g = (p: unknown): unknown => {
    k++;
    const v = f(p);
    return typeof v === 'number' ? odd(v, k) : v;
  };
  runSync(l as never, g as never, npoints === undefined ? {} : ({ npointsGoal: npoints } as never));
  return l as unknown as AnyLearner;
}

export const CASES: Case[] = [
  {
    name: 'Learner1D',
    make: () => sampled(new Learner1D({ bounds: [-1, 1] }), (x: number) => Math.sin(4 * x), 40),
  },
  {
    name: 'Learner1D (vector)',
    make: () =>
      sampled(
        new Learner1D({ bounds: [-1, 1] }),
        (x: number) => [Math.sin(3 * x), x === 0 ? Number.NaN : 1 / x],
        30,
      ),
  },
  {
    name: 'Learner2D',
    make: () =>
      sampled(
        new Learner2D({
          bounds: [
            [-1, 1],
            [0, 2],
          ],
        }),
        ([x, y]: [number, number]) => Math.exp(-(x * x + (y - 1) ** 2) * 4),
        60,
      ),
  },
  {
    name: 'Learner2D (vector)',
    make: () =>
      sampled(
        new Learner2D({
          bounds: [
            [-1, 1],
            [-1, 1],
          ],
        }),
        ([x, y]: [number, number]) => [x * y, Math.hypot(x, y)],
        40,
      ),
  },
  {
    name: 'LearnerND (3-D)',
    make: () =>
      sampled(
        new LearnerND({
          bounds: [
            [-1, 1],
            [-1, 1],
            [0, 1],
          ],
        }),
        (p: number[]) => (p[0] as number) * (p[1] as number) + (p[2] as number) ** 2,
        50,
      ),
  },
  {
    name: 'LearnerND (4-D, vector)',
    make: () =>
      sampled(
        new LearnerND({
          bounds: [
            [0, 1],
            [0, 1],
            [0, 1],
            [0, 1],
          ],
        }),
        (p: number[]) => [p.reduce((a, b) => a + b, 0), Math.max(...p)],
        40,
      ),
  },
  {
    name: 'AverageLearner',
    make: () =>
      sampled(new AverageLearner({ atol: 0.01 }), (s: number) => Math.sin(s * 12.9898) * 3, 50),
  },
  {
    name: 'AverageLearner1D',
    make: () =>
      sampled(
        new AverageLearner1D({ bounds: [-1, 1], minSamples: 4, maxSamples: 12 }),
        ([s, x]: [number, number]) => x * x + Math.sin(s * 78.233) * 0.1,
        60,
      ),
  },
  {
    name: 'AverageLearner2D',
    make: () =>
      sampled(
        new AverageLearner2D({
          bounds: [
            [-1, 1],
            [0, 2],
          ],
          minSamples: 3,
          maxSamples: 10,
        }),
        ([s, [x, y]]: [number, [number, number]]) => x * y + Math.sin(s * 78.233) * 0.1,
        60,
      ),
  },
  {
    name: 'IntegratorLearner',
    make: () =>
      sampled(
        new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 }),
        (x: number) => Math.exp(x) * Math.sin(7 * x),
        undefined,
      ),
  },
  {
    name: 'SequenceLearner',
    make: () =>
      sampled(
        new SequenceLearner<unknown, unknown>([
          0.5,
          'two, with a comma',
          { a: 3, b: [1, 2] },
          4,
          5,
        ]),
        ([i, item]: [number, unknown]) => ({ i, kind: typeof item, sq: [i * i, Number.NaN] }),
        undefined,
      ),
  },
  {
    name: 'BalancingLearner (cdims)',
    make: () => {
      const b = BalancingLearner.fromProduct(
        { a: [1, 2], phase: ['low', 'high'] },
        () => new Learner1D({ bounds: [0, 1] }),
      );
      return sampled(
        b as never,
        b.dispatch((x: number, c: { a: number; phase: string }) =>
          Math.sin(c.a * x + (c.phase === 'low' ? 0 : 1)),
        ) as never,
        40,
      );
    },
  },
  {
    name: 'BalancingLearner (mixed children)',
    make: () => {
      const b = new BalancingLearner<Learner<unknown, unknown>>([
        new Learner1D({ bounds: [0, 1] }) as never,
        new Learner2D({
          bounds: [
            [0, 1],
            [0, 1],
          ],
        }) as never,
        new AverageLearner1D({ bounds: [0, 1], minSamples: 3 }) as never,
      ]);
      const fs = [
        (x: number) => x * x,
        ([x, y]: [number, number]) => x - y,
        ([s, x]: [number, number]) => x + (s % 5) * 0.01,
      ];
      return sampled(b as never, b.dispatch(fs as never) as never, 45);
    },
  },
  {
    name: 'DataSaver (Learner1D)',
    make: () =>
      sampled(
        new DataSaver(new Learner1D({ bounds: [0, 2] }), (r: { y: number }) => r.y),
        (x: number) => ({
          y: x === 1 ? Number.POSITIVE_INFINITY : Math.cos(x),
          stats: { n: 3, tag: 'ok' },
        }),
        25,
      ),
  },
  {
    name: 'DataSaver (Learner2D, vector)',
    make: () =>
      sampled(
        new DataSaver(
          new Learner2D({
            bounds: [
              [0, 1],
              [0, 1],
            ],
          }),
          (r: { v: number[] }) => r.v,
        ),
        ([x, y]: [number, number]) => ({ v: [x + y, x * y], ms: 0.25 }),
        30,
      ),
  },
];
