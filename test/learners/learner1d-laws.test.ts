// The learner laws (src/testing) applied to Learner1D with several losses and outputs.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { curvatureLoss, uniformLoss } from '../../src/learners/losses1d.js';
import { checkLearnerLaws, LAW_NAMES, type LawSubject } from '../../src/testing/index.js';
import { anyValue, anyVector, LAW_RUNS } from '../fixtures/laws.js';

const inDomain = (x: number): boolean => x >= -1 && x <= 1;
const points = fc.double({ min: -1, max: 1, noNaN: true });
const peak = (x: number): number => x + 1e-4 / (1e-4 + (x - 0.3) ** 2);

// recomputeLossesFactor 1: every loss reflects the current y range, so the loss does not
// depend on the order of the tells (with python-adaptive's default 2, stale losses may
// differ by up to that factor; python-adaptive's own tests set it to 1 for this law).
const subjects: LawSubject<number, number | number[]>[] = [
  {
    name: 'Learner1D(defaultLoss)',
    make: () => new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }),
    f: peak,
    inDomain,
    points,
  },
  {
    name: 'Learner1D(uniformLoss)',
    make: () => new Learner1D({ bounds: [-1, 1], loss: uniformLoss, recomputeLossesFactor: 1 }),
    f: (x) => Math.sin(5 * x),
    inDomain,
    points,
  },
  {
    name: 'Learner1D(curvatureLoss)',
    make: () => new Learner1D({ bounds: [-1, 1], loss: curvatureLoss(), recomputeLossesFactor: 1 }),
    f: (x) => Math.tanh(20 * x),
    inDomain,
    points,
  },
  {
    name: 'Learner1D(vector output)',
    make: () => new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }),
    f: (x) => [peak(x), Math.sin(3 * x), x * x],
    inDomain,
    points,
  },
  // Random values: each run draws a random function of the point.
  {
    name: 'Learner1D(defaultLoss, random values)',
    make: () => new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }),
    values: anyValue,
    inDomain,
    points,
  },
  {
    name: 'Learner1D(curvatureLoss, random values)',
    make: () => new Learner1D({ bounds: [-1, 1], loss: curvatureLoss(), recomputeLossesFactor: 1 }),
    values: anyValue,
    inDomain,
    points,
  },
  {
    name: 'Learner1D(vector output, random values)',
    make: () => new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }),
    values: anyVector(3),
    inDomain,
    points,
  },
];

describe.each(subjects)('$name', (subject) => {
  it.each(LAW_NAMES)('obeys %s', (law) =>
    checkLearnerLaws(subject, { laws: [law], numRuns: LAW_RUNS }),
  );
});
