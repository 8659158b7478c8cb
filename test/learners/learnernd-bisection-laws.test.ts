// The learner laws (src/testing) applied to LearnerND with mesh: 'bisection': boxes from 1-D
// to 4-D, random bounds and value scales, vector output, the nthNeighbors loss and random
// values (NaN, ±Infinity among them).
//
// Order independence is checked with tolerance 0: the bisection mesh is a function of the
// told points (a conforming mesh of the bisection forest is fixed by its vertex set), and
// each leaf's loss is computed on its vertices in lexicographic order, so the same data gives
// bit-identical losses by any route (with recomputeLossesFactor 1, as for the Delaunay mesh).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { LearnerND, type ValueND } from '../../src/learners/learnernd.js';
import { curvatureLossND, stdLossND, uniformLossND } from '../../src/learners/losses-nd.js';
import {
  boxArbitrary,
  checkLearnerLaws,
  LAW_NAMES,
  type LawSubject,
} from '../../src/testing/index.js';
import { anyScale, anyValue, boxToUnit, inBox as inBoxExact, LAW_RUNS } from '../fixtures/laws.js';

type Box = [number, number][];
const coord = fc.double({ min: -1, max: 1, noNaN: true });
// Half of the drawn points on the dyadic grid of the box (vertices of the bisection forest,
// which the mesh takes in), half anywhere (kept as data only).
const dyadic = fc
  .tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: 0, max: 3 }))
  .map(([i, e]) => i / 2 ** e / (8 / 2 ** e));
const gridCoord = fc.oneof(coord, dyadic);
const ring = (p: number[]): number => {
  const r2 = p.reduce((a, x) => a + x * x, 0);
  return (p[0] as number) + Math.exp(-((r2 - 0.75 ** 2) ** 2) / 0.2 ** 4);
};
const inBox = (p: number[]): boolean => p.every((x) => x >= -1 && x <= 1);
const box = (d: number): Box => Array.from({ length: d }, () => [-1, 1] as [number, number]);

const subjects: { subject: LawSubject<number[], ValueND>; numRuns: number }[] = [
  {
    subject: {
      name: 'LearnerND bisection 2-D box (defaultLossND)',
      make: () => new LearnerND({ bounds: box(2), mesh: 'bisection', recomputeLossesFactor: 1 }),
      f: ring,
      inDomain: inBox,
      points: fc.tuple(gridCoord, gridCoord),
    },
    numRuns: 100,
  },
  {
    subject: {
      name: 'LearnerND bisection 2-D box (defaultLossND, random values)',
      make: () => new LearnerND({ bounds: box(2), mesh: 'bisection', recomputeLossesFactor: 1 }),
      values: anyValue,
      inDomain: inBox,
      points: fc.tuple(gridCoord, gridCoord),
    },
    numRuns: 100,
  },
  {
    subject: {
      name: 'LearnerND bisection 3-D box (defaultLossND)',
      make: () => new LearnerND({ bounds: box(3), mesh: 'bisection', recomputeLossesFactor: 1 }),
      f: (p) => ring(p) + (p[2] as number) ** 2,
      inDomain: inBox,
      points: fc.tuple(gridCoord, gridCoord, gridCoord),
    },
    numRuns: 60,
  },
  {
    subject: {
      name: 'LearnerND bisection 2-D box (vector output, curvatureLossND)',
      make: () =>
        new LearnerND({
          bounds: box(2),
          mesh: 'bisection',
          loss: curvatureLossND(),
          recomputeLossesFactor: 1,
        }),
      f: (p) => [ring(p), (p[0] as number) * (p[1] as number)],
      inDomain: inBox,
      points: fc.tuple(gridCoord, gridCoord),
    },
    numRuns: 40,
  },
  {
    subject: {
      name: 'LearnerND bisection 1-D (stdLossND)',
      make: () =>
        new LearnerND({
          bounds: box(1),
          mesh: 'bisection',
          loss: stdLossND,
          recomputeLossesFactor: 1,
        }),
      f: (p) => Math.tanh(10 * (p[0] as number)),
      inDomain: inBox,
      points: fc.tuple(gridCoord),
    },
    numRuns: 40,
  },
  {
    subject: {
      name: 'LearnerND bisection 4-D (uniformLossND)',
      make: () =>
        new LearnerND({
          bounds: box(4),
          mesh: 'bisection',
          loss: uniformLossND,
          recomputeLossesFactor: 1,
        }),
      f: (p) => ring(p.slice(0, 3)) * (p[3] as number),
      inDomain: inBox,
      points: fc.tuple(gridCoord, gridCoord, gridCoord, gridCoord),
    },
    numRuns: 10,
  },
];

const ndSubjects: { subject: LawSubject<number[], ValueND, Box>; numRuns: number }[] = [
  {
    subject: {
      name: 'LearnerND bisection 2-D box (defaultLossND), random bounds and scales',
      domains: boxArbitrary(2),
      scales: anyScale,
      make: (b) => new LearnerND({ bounds: b, mesh: 'bisection', recomputeLossesFactor: 1 }),
      f: (p, b) => ring(boxToUnit(p, b)),
      inDomain: (p, b) => inBoxExact(p, b),
      points: (b) => fc.tuple(...b.map(([lo, hi]) => fc.double({ min: lo, max: hi, noNaN: true }))),
    },
    numRuns: 100,
  },
];

// Longer than Vitest's default: the 4-D subject at 500 runs, under load.
const LAW_TIMEOUT_MS = 300_000;

for (const { subject, numRuns } of [...subjects, ...ndSubjects] as {
  subject: LawSubject<number[], ValueND, unknown>;
  numRuns: number;
}[]) {
  describe(subject.name, () => {
    it.each([...LAW_NAMES])(
      'obeys %s',
      (law) => checkLearnerLaws(subject, { laws: [law], numRuns: Math.max(numRuns, LAW_RUNS) }),
      LAW_TIMEOUT_MS,
    );
  });
}
