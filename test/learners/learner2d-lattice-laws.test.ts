// The learner laws (src/testing) applied to Learner2D on lattices (integer: [bool, bool]) on
// random domains: tiny integer boxes (a history fills them, so done(), loss 0 and the asks
// that come back short are exercised), wide ones far from 0, and mixed integer/continuous.
import fc from 'fast-check';
import { describe } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import { uniformLoss2D } from '../../src/learners/losses2d.js';
import { intervalArbitrary, type LawSubject } from '../../src/testing/index.js';
import { anyScale, anyValue, boxToUnit, describeLaws, inBox, lerp } from '../fixtures/laws.js';

type Box = [[number, number], [number, number]];

/** Integer bounds [a, a + w]: w of 1 to 6 (filled within a history), to 300, or to 2^20. */
const latticeAxis: fc.Arbitrary<[number, number]> = fc
  .tuple(
    fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
    fc.oneof(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 7, max: 300 }),
      fc.integer({ min: 301, max: 2 ** 20 }),
    ),
  )
  .map(([a, w]): [number, number] => [a, a + w]);
const continuousAxis = intervalArbitrary();

const ring = ([x, y]: Point2D): number => {
  const r = x * x + y * y - 0.5625;
  return x + Math.exp(-(r * r) / 0.0016);
};

/** Points of the lattice: integers in an integer dimension, a 1/1000 grid in a continuous one. */
const latticePoints =
  (integer: readonly [boolean, boolean]) =>
  (box: Box): fc.Arbitrary<Point2D> => {
    const axis = (j: 0 | 1): fc.Arbitrary<number> => {
      const [a, b] = box[j];
      return integer[j]
        ? fc.integer({ min: a, max: b })
        : fc.integer({ min: 0, max: 1000 }).map((i) => lerp(box[j], i / 1000));
    };
    return fc.tuple(axis(0), axis(1)).map(([x, y]): Point2D => [x, y]);
  };

const onLattice =
  (integer: readonly [boolean, boolean]) =>
  (p: Point2D, box: Box): boolean =>
    inBox(p, box) &&
    (!integer[0] || Number.isInteger(p[0])) &&
    (!integer[1] || Number.isInteger(p[1]));

const subject = (
  name: string,
  integer: [boolean, boolean],
  extra: Partial<ConstructorParameters<typeof Learner2D>[0]>,
  values: Pick<LawSubject<Point2D, number, Box>, 'f' | 'values'>,
): LawSubject<Point2D, number, Box> => ({
  name: `Learner2D(integer: [${integer}], ${name}), random lattices and scales`,
  domains: fc
    .tuple(integer[0] ? latticeAxis : continuousAxis, integer[1] ? latticeAxis : continuousAxis)
    .map(([x, y]): Box => [x, y]),
  scales: anyScale,
  make: (box) => new Learner2D({ bounds: box, integer, recomputeLossesFactor: 1, ...extra }),
  ...values,
  inDomain: onLattice(integer),
  points: latticePoints(integer),
});

const ringOn = { f: (p: Point2D, box: Box) => ring(boxToUnit(p, box) as Point2D) };

const subjects: LawSubject<Point2D, number, Box>[] = [
  subject('defaultLoss2D', [true, true], {}, ringOn),
  subject('defaultLoss2D, random values', [true, true], {}, { values: anyValue }),
  subject('uniformLoss2D', [true, true], { loss: uniformLoss2D }, ringOn),
  subject('defaultLoss2D', [true, false], {}, ringOn),
  subject('defaultLoss2D, random values', [false, true], {}, { values: anyValue }),
];

describe('Learner2D on lattices', () => describeLaws(subjects));
