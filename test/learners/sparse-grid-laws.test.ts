// The learner laws (src/testing) applied to SparseGridLearner: 1-D to 4-D boxes, random and
// smooth values, vector output, a custom loss, a shallow grid that finishes (done()).
//
// Order independence holds with tolerance 0: surpluses are sums over the grid in a fixed
// order and the loss is that of the leaves, both functions of the point set; the value scale
// divides every surplus loss alike, so no loss goes stale when the range grows.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  SparseGridLearner,
  type SparseGridLearnerOptions,
  surplusLossSG,
  type ValueSG,
} from '../../src/learners/sparse-grid/index.js';
import { checkLearnerLaws, LAW_NAMES, type LawSubject } from '../../src/testing/index.js';
import { anyValue, anyVector, LAW_RUNS } from '../fixtures/laws.js';

/** A random grid point of the box: per dimension a level 1…min(6, maxLevel) and an odd index. */
function gridPoint(
  bounds: readonly (readonly [number, number])[],
  maxLevel = 6,
): fc.Arbitrary<number[]> {
  const probe = new SparseGridLearner({ bounds, maxLevel });
  return fc
    .tuple(
      ...bounds.map(() =>
        fc
          .integer({ min: 1, max: Math.min(6, maxLevel) })
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

const box = (d: number, a = -1, b = 1): [number, number][] =>
  Array.from({ length: d }, () => [a, b] as [number, number]);
const inBox =
  (bounds: readonly (readonly [number, number])[]) =>
  (p: number[]): boolean =>
    p.length === bounds.length && p.every((x, t) => x >= bounds[t]![0] && x <= bounds[t]![1]);

function subject(
  name: string,
  options: SparseGridLearnerOptions & { bounds: [number, number][] },
  values: { f: (p: number[]) => ValueSG } | { values: fc.Arbitrary<ValueSG> },
): LawSubject<number[], ValueSG> {
  return {
    name,
    make: () => new SparseGridLearner(options),
    ...values,
    inDomain: inBox(options.bounds),
    points: gridPoint(options.bounds, options.maxLevel),
  };
}

const b3: [number, number][] = [
  [0, 1],
  [-5, 3],
  [1e-3, 2e-3],
];
const subjects: LawSubject<number[], ValueSG>[] = [
  subject('SparseGridLearner 1-D (random values)', { bounds: box(1) }, { values: anyValue }),
  subject('SparseGridLearner 2-D (random values)', { bounds: box(2) }, { values: anyValue }),
  subject(
    'SparseGridLearner 3-D odd box (smooth)',
    { bounds: b3 },
    { f: (p) => Math.exp(-(p[0]! ** 2) - (p[1]! / 4) ** 2) * Math.sin(3000 * p[2]!) },
  ),
  subject(
    'SparseGridLearner 4-D (vector, surplusLossSG)',
    { bounds: box(4, 0, 2), loss: surplusLossSG },
    { values: anyVector(2) },
  ),
  subject(
    'SparseGridLearner 2-D maxLevel 2 (finishes)',
    { bounds: box(2), maxLevel: 2 },
    {
      values: anyValue,
    },
  ),
  subject(
    'SparseGridLearner 2-D (custom loss)',
    { bounds: box(2), loss: (p) => Math.abs(p.surplus[0]!) * p.volume ** 0.25 },
    { values: anyValue },
  ),
];

describe.each(subjects)('$name laws', (s) => {
  it.each(LAW_NAMES)('obeys %s', (law) => checkLearnerLaws(s, { laws: [law], numRuns: LAW_RUNS }));
});
