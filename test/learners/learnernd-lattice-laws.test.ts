// The learner laws (src/testing) applied to LearnerND on lattices (integer: boolean[]) on
// random integer boxes: tiny ones (a history fills them: done(), loss 0 and short asks),
// wider ones far from 0, and mixed integer/continuous dimensions.
import fc from 'fast-check';
import { describe } from 'vitest';
import { LearnerND, type ValueND } from '../../src/learners/learnernd.js';
import { intervalArbitrary, type LawSubject } from '../../src/testing/index.js';
import { anyScale, anyValue, boxToUnit, describeLaws, inBox, lerp } from '../fixtures/laws.js';

type Box = [number, number][];

/** Integer bounds [a, a + w]: w of 1 to 3 (filled within a history), to 40, or to 2^16. */
const latticeAxis: fc.Arbitrary<[number, number]> = fc
  .tuple(
    fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
    fc.oneof(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 4, max: 40 }),
      fc.integer({ min: 41, max: 2 ** 16 }),
    ),
  )
  .map(([a, w]): [number, number] => [a, a + w]);

const bump = (p: number[]): number =>
  Math.exp(-p.reduce((s, x, j) => s + (x - 0.3 * (j - 1)) * (x - 0.3 * (j - 1)), 0) / 0.3);

const subject = (
  name: string,
  integer: boolean[],
  values: Pick<LawSubject<number[], ValueND, Box>, 'f' | 'values'>,
): LawSubject<number[], ValueND, Box> => ({
  name: `LearnerND(integer: [${integer}], ${name}), random lattices and scales`,
  domains: fc.tuple(...integer.map((f) => (f ? latticeAxis : intervalArbitrary()))),
  scales: anyScale,
  make: (box) => new LearnerND({ bounds: box, integer, recomputeLossesFactor: 1 }),
  ...values,
  inDomain: (p, box) => inBox(p, box) && p.every((x, j) => !integer[j] || Number.isInteger(x)),
  points: (box) =>
    fc.tuple(
      ...box.map(([a, b], j) =>
        integer[j]
          ? fc.integer({ min: a, max: b })
          : fc.integer({ min: 0, max: 1000 }).map((i) => lerp([a, b], i / 1000)),
      ),
    ),
});

const bumpOn = { f: (p: number[], box: Box) => bump(boxToUnit(p, box)) };

const subjects: LawSubject<number[], ValueND, Box>[] = [
  subject('defaultLossND', [true, true], bumpOn),
  subject('defaultLossND', [true, true, true], bumpOn),
  subject('defaultLossND, random values', [true, true, true], { values: anyValue }),
  subject('defaultLossND', [true, false, true], bumpOn),
  // A 4-D mixed subject ([false, true, true, false]) passes too but costs some 55 s at 500
  // runs (this file's budget is about a minute): learnernd-lattice.test.ts runs one history.
];

describe('LearnerND on lattices', () => describeLaws(subjects));
