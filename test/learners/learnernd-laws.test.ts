// The learner laws (src/testing) applied to LearnerND: 2-D and 3-D boxes, a 2-D hull, vector
// output and the curvature loss.
//
// Order independence is checked with tolerance 0: the triangulation depends on the point set
// only (exact predicates, a symbolic tie rule for cospherical points) and each simplex's loss
// is computed on its vertices in lexicographic order, so the same data gives bit-identical
// losses by any route. That needs recomputeLossesFactor 1 (every loss reflects the current
// value range); with python-adaptive's default 1.1, losses computed before the range last
// grew may be stale by up to 10%, differently for different orders.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { LearnerND, type ValueND } from '../../src/learners/learnernd.js';
import { curvatureLossND, stdLossND, uniformLossND } from '../../src/learners/losses-nd.js';
import { checkLearnerLaws, LAW_NAMES, type LawSubject } from '../../src/testing/index.js';
import { anyValue, LAW_RUNS } from '../fixtures/laws.js';

const coord = fc.double({ min: -1, max: 1, noNaN: true });
const ring = (p: number[]): number => {
  const [x, y] = p as [number, number];
  return x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);
};
const sphere = (p: number[]): number => {
  const [x, y, z] = p as [number, number, number];
  return x + Math.exp(-((x * x + y * y + z * z - 0.75 ** 2) ** 2) / 0.2 ** 4) + z * z;
};
const inBox = (p: number[]): boolean => p.every((x) => x >= -1 && x <= 1);
const box2D = (): LearnerND =>
  new LearnerND({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
    recomputeLossesFactor: 1,
  });

// A triangle with vertices (0, 0), (2, 0), (0, 1): inside when y ≥ 0, x ≥ 0, x/2 + y ≤ 1.
const triangle = [
  [0, 0],
  [2, 0],
  [0, 1],
];
const inTriangle = (p: number[]): boolean => {
  const [x, y] = p as [number, number];
  return x >= -1e-12 && y >= -1e-12 && x / 2 + y <= 1 + 1e-12;
};

const subjects: { subject: LawSubject<number[], ValueND>; numRuns: number }[] = [
  {
    subject: {
      name: 'LearnerND 2-D box (defaultLossND)',
      make: box2D,
      f: ring,
      inDomain: inBox,
      points: fc.tuple(coord, coord),
    },
    numRuns: 100,
  },
  {
    subject: {
      name: 'LearnerND 2-D box (defaultLossND, random values)',
      make: box2D,
      values: anyValue,
      inDomain: inBox,
      points: fc.tuple(coord, coord),
    },
    numRuns: 100,
  },
  {
    subject: {
      name: 'LearnerND 3-D box (defaultLossND)',
      make: () =>
        new LearnerND({
          bounds: [
            [-1, 1],
            [-1, 1],
            [-1, 1],
          ],
          recomputeLossesFactor: 1,
        }),
      f: sphere,
      inDomain: inBox,
      points: fc.tuple(coord, coord, coord),
    },
    numRuns: 60,
  },
  {
    subject: {
      name: 'LearnerND 2-D hull (vector output, curvatureLossND)',
      make: () =>
        new LearnerND({ hull: triangle, loss: curvatureLossND(), recomputeLossesFactor: 1 }),
      f: (p) => [ring(p), (p[0] as number) * (p[1] as number)],
      inDomain: inTriangle,
      points: fc
        .tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        )
        .map(([u, v]) => (u + v <= 1 ? [2 * u, v] : [2 * (1 - u), 1 - v])),
    },
    numRuns: 40,
  },
  {
    subject: {
      name: 'LearnerND 1-D (stdLossND)',
      make: () => new LearnerND({ bounds: [[-1, 1]], loss: stdLossND, recomputeLossesFactor: 1 }),
      f: (p) => Math.tanh(10 * (p[0] as number)),
      inDomain: inBox,
      points: fc.tuple(coord),
    },
    numRuns: 40,
  },
  {
    subject: {
      name: 'LearnerND 4-D (uniformLossND)',
      make: () =>
        new LearnerND({
          bounds: [
            [-1, 1],
            [-1, 1],
            [-1, 1],
            [-1, 1],
          ],
          loss: uniformLossND,
          recomputeLossesFactor: 1,
        }),
      f: (p) => sphere(p.slice(0, 3)) * (p[3] as number),
      inDomain: inBox,
      points: fc.tuple(coord, coord, coord, coord),
    },
    numRuns: 10,
  },
];

describe.each(subjects)('$subject.name', ({ subject, numRuns }) => {
  it.each(LAW_NAMES)('obeys %s', (law) =>
    checkLearnerLaws(subject, { laws: [law], numRuns: Math.max(numRuns, LAW_RUNS) }),
  );
});
