// The learner laws (src/testing) applied to BalancingLearner: over Learner1D children with
// each strategy, and over a mix of learner types.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import {
  BALANCING_STRATEGIES,
  BalancingLearner,
  type BalancingStrategy,
} from '../../src/learners/balancing.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { SequenceLearner, type SequencePoint } from '../../src/learners/sequence.js';
import type { Learner } from '../../src/learners/types.js';
import { checkLearnerLaws, LAW_NAMES, type LawSubject } from '../../src/testing/index.js';
import {
  anyInterval,
  anyScale,
  anyValue,
  inInterval,
  LAW_RUNS,
  pointsIn,
  toUnit,
} from '../fixtures/laws.js';

const peak =
  (d: number) =>
  (x: number): number =>
    x + 1e-4 / (1e-4 + (x - d) ** 2);
const PEAKS = [peak(-0.4), peak(0.1), peak(0.7)];

function over1D(strategy: BalancingStrategy): LawSubject<[number, number], number> {
  return {
    name: `BalancingLearner(3 × Learner1D, ${strategy})`,
    // recomputeLossesFactor 1: a child's loss does not depend on the order of the tells.
    make: () =>
      new BalancingLearner(
        PEAKS.map(() => new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 })),
        { strategy },
      ),
    f: ([i, x]) => (PEAKS[i] as (x: number) => number)(x),
    inDomain: ([i, x]) => Number.isInteger(i) && i >= 0 && i < 3 && x >= -1 && x <= 1,
    points: fc.tuple(fc.nat(2), fc.double({ min: -1, max: 1, noNaN: true })),
  };
}

// scaleRobust with 'lossImprovements' found (seed 20260610) that a batch ask handed out its
// children's ask(k) rather than the ask(n) candidates it had ranked, so a tie broken by
// rounding (f vs f × 1e300) changed points of unequal improvement; fixed in h13-fix1.
describe.each(BALANCING_STRATEGIES)('BalancingLearner laws over Learner1D, %s', (strategy) => {
  const subject = over1D(strategy);
  it.each(LAW_NAMES)('obeys %s', (law) =>
    checkLearnerLaws(subject, { laws: [law], numRuns: LAW_RUNS }),
  );
});

// Random values: each run draws a random function of [index, x]. The two strategies that
// rank the children by values (their losses); 'npoints' and 'cycle' do not look at them.
describe.each(['lossImprovements', 'loss'] as const)(
  'BalancingLearner laws over Learner1D, %s, random values',
  (strategy) => {
    const subject: LawSubject<[number, number], number> = {
      ...over1D(strategy),
      name: `BalancingLearner(3 × Learner1D, ${strategy}, random values)`,
      f: undefined,
      values: anyValue,
    };
    it.each(LAW_NAMES)('obeys %s', (law) =>
      checkLearnerLaws(subject, { laws: [law], numRuns: LAW_RUNS }),
    );
  },
);

type Item = { name: string; weight: number };
const ITEMS: Item[] = Array.from({ length: 12 }, (_, k) => ({ name: `item${k}`, weight: k / 3 }));
type MixedPoint = [number, number | SequencePoint<Item>];

const mixed: LawSubject<MixedPoint, number> = {
  name: 'BalancingLearner(Learner1D + AverageLearner + SequenceLearner)',
  make: () =>
    new BalancingLearner<Learner<unknown, unknown>>([
      new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }),
      new AverageLearner({ atol: 0.05, minNpoints: 3 }),
      new SequenceLearner(ITEMS),
    ]) as unknown as Learner<MixedPoint, number>,
  f: ([i, p]) =>
    i === 0
      ? (PEAKS[1] as (x: number) => number)(p as number)
      : i === 1
        ? Math.sin(12.9898 * (p as number)) * 0.5
        : (p as SequencePoint<Item>)[1].weight,
  inDomain: ([i, p]) =>
    i === 0
      ? typeof p === 'number' && p >= -1 && p <= 1
      : i === 1
        ? Number.isSafeInteger(p)
        : i === 2 && Array.isArray(p) && p[1] === ITEMS[p[0]],
  // AverageLearner's running mean depends on the order of the samples in its last bits.
  lossTolerance: 1e-9,
  points: fc.oneof(
    fc.double({ min: -1, max: 1, noNaN: true }).map((x): MixedPoint => [0, x]),
    // Seeds away from the asked ones (the law kit's trace keeps the last value told at a
    // point, the learners the first).
    fc.integer({ min: 10_000, max: 2 ** 40 }).map((s): MixedPoint => [1, s]),
    fc.nat(ITEMS.length - 1).map((k): MixedPoint => [2, [k, ITEMS[k] as Item]]),
  ),
};

// The mix skips the scale laws: AverageLearner's atol is in units of the values, so which
// child the balancer picks depends on the scale, by design.
describe('BalancingLearner laws over a mix of learner types', () => {
  it.each(LAW_NAMES.filter((law) => law !== 'scaleInvariant' && law !== 'scaleRobust'))(
    'obeys %s',
    (law) => checkLearnerLaws(mixed, { laws: [law], numRuns: LAW_RUNS }),
  );
});

// Random bounds (one for all three children) and value scales, the peaks written for [-1, 1].
const anywhere: LawSubject<[number, number], number, [number, number]> = {
  name: 'BalancingLearner(3 × Learner1D, loss), random bounds and scales',
  domains: anyInterval,
  scales: anyScale,
  make: (bounds) =>
    new BalancingLearner(
      PEAKS.map(() => new Learner1D({ bounds, recomputeLossesFactor: 1 })),
      { strategy: 'loss' },
    ),
  f: ([i, x], d) => (PEAKS[i] as (x: number) => number)(toUnit(x, d)),
  inDomain: ([i, x], d) => Number.isInteger(i) && i >= 0 && i < 3 && inInterval(x, d),
  points: (d) => fc.tuple(fc.nat(2), pointsIn(d)),
};

describe('BalancingLearner laws over Learner1D on random bounds and scales', () => {
  it.each(LAW_NAMES)('obeys %s', (law) =>
    checkLearnerLaws(anywhere, { laws: [law], numRuns: LAW_RUNS }),
  );
});
