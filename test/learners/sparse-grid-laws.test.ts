// The learner laws (src/testing) applied to SparseGridLearner on random boxes (boxArbitrary:
// widths and offsets over the doubles' range) and value scales: 1-D to 4-D, random and smooth
// values, vector output, a custom loss, a shallow grid that finishes (done()), the quarter
// anchor. The default anchor is 'auto': every subject but those naming another chooses its
// layout from its first values, and tellAt's points (of the centred grid) are taken in any
// layout (loose where they are not nodes, anchor.ts).
//
// Order independence holds with tolerance 0: surpluses are sums over the grid in a fixed
// order and the loss is that of the leaves, both functions of the point set; the value scale
// divides every surplus loss alike, so no loss goes stale when the range grows. scaleRobust
// holds on every subject: a surplus within the rounding of its sum counts as 0 in the loss,
// so zero surpluses tie at every scale and their tie keys (level sum, then hash) decide.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { levelCap } from '../../src/learners/sparse-grid/hierarchy.js';
import {
  SparseGridLearner,
  type SparseGridLearnerOptions,
  surplusLossSG,
  type ValueSG,
} from '../../src/learners/sparse-grid/index.js';
import {
  boxArbitrary,
  checkLearnerLaws,
  LAW_NAMES,
  type LawSubject,
} from '../../src/testing/index.js';
import { anyScale, anyValue, anyVector, boxToUnit, LAW_RUNS } from '../fixtures/laws.js';

/** A random grid point of the box: per dimension a level 1…min(6, level cap) and an odd index. */
function gridPoint(
  bounds: readonly (readonly [number, number])[],
  maxLevel = 30,
): fc.Arbitrary<number[]> {
  const probe = new SparseGridLearner({ bounds, maxLevel });
  return fc
    .tuple(
      ...bounds.map(([a, b]) =>
        fc
          .integer({ min: 1, max: Math.min(6, levelCap(a, b, maxLevel)) })
          .chain((l) =>
            fc.integer({ min: 0, max: 2 ** (l - 1) - 1 }).map((i) => (2 * i + 1) / 2 ** l),
          ),
      ),
    )
    .map((u) => {
      // The learner's own coordinates: ask it to place the point (u is dyadic).
      const x = u.map((v, t) => {
        const [a, b] = bounds[t] as [number, number];
        return Math.min(b, Math.max(a, a + (b - a) * v));
      });
      if (!probe.isGridPoint(x)) throw new Error(`not a grid point: ${x}`);
      return x;
    });
}

const inBox = (p: number[], bounds: readonly (readonly [number, number])[]): boolean =>
  p.length === bounds.length && p.every((x, t) => x >= bounds[t]![0] && x <= bounds[t]![1]);

type Box = [number, number][];

/** A subject on random boxes (boxArbitrary: any widths and offsets) with random value scales. */
function subject(
  name: string,
  dim: number,
  options: Omit<SparseGridLearnerOptions, 'bounds'>,
  values: { f: (p: number[], b: Box) => ValueSG } | { values: fc.Arbitrary<ValueSG> },
): LawSubject<number[], ValueSG, Box> {
  return {
    name,
    domains: boxArbitrary(dim),
    scales: anyScale,
    make: (bounds) => new SparseGridLearner({ bounds, ...options }),
    ...values,
    inDomain: inBox,
    points: (bounds) => gridPoint(bounds, options.maxLevel),
  };
}

/** x mapped to [0, 1] in each dimension of the box (for functions on random boxes). */
const unit = (p: number[], b: Box): number[] => boxToUnit(p, b);

const subjects: LawSubject<number[], ValueSG, Box>[] = [
  subject('SparseGridLearner 1-D (random values)', 1, {}, { values: anyValue }),
  subject('SparseGridLearner 2-D (random values)', 2, {}, { values: anyValue }),
  subject(
    'SparseGridLearner 3-D (smooth)',
    3,
    {},
    {
      f: (p, b) => {
        const [x, y, z] = unit(p, b) as [number, number, number];
        return Math.exp(-((x - 0.3) ** 2) - 4 * (y - 0.6) ** 2) * Math.sin(6 * z);
      },
    },
  ),
  subject(
    'SparseGridLearner 4-D (vector, surplusLossSG)',
    4,
    { loss: surplusLossSG },
    {
      values: anyVector(2),
    },
  ),
  subject(
    "SparseGridLearner 3-D anchor: 'quarter' (smooth)",
    3,
    { anchor: 'quarter' },
    {
      f: (p, b) => {
        const [x, y, z] = unit(p, b) as [number, number, number];
        return Math.exp(-((x - 0.5) ** 2) - 4 * (y - 0.6) ** 2) + z;
      },
    },
  ),
  subject('SparseGridLearner 2-D maxLevel 2 (finishes)', 2, { maxLevel: 2 }, { values: anyValue }),
  subject(
    'SparseGridLearner 2-D (custom loss)',
    2,
    { loss: (p) => Math.abs(p.surplus[0]!) * p.volume ** 0.25 },
    { values: anyValue },
  ),
];

describe.each(subjects)('$name laws', (s) => {
  it.each(LAW_NAMES)('obeys %s', (law) => checkLearnerLaws(s, { laws: [law], numRuns: LAW_RUNS }));
});
