// The learner laws (src/testing) applied to AverageLearner with random value scales (its
// domain is the seeds; the subjects with values as they are live in average.test.ts).
//
// rtol only: the loss se/(rtol·|mean|) is free of the value scale, so the scale laws apply
// (atol is in units of the values: a learner with atol asks more samples of f × 1e300 than
// of f, as it should).
import fc from 'fast-check';
import { describe } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import { type LawSubject, valueScaleArbitrary } from '../../src/testing/index.js';
import { describeLaws } from '../fixtures/laws.js';
import { mulberry32 } from '../fixtures/random.js';

// 1 ± 0.5: the mean is far from 0, so se/|mean| is well conditioned.
const sample = (seed: number): number => 1 + (mulberry32(seed * 2654435761)() - 0.5);

const subject: LawSubject<number, number> = {
  name: 'AverageLearner (rtol only), random scales',
  // Running sums of squares: 1e-100 to 1e100, no subnormals (see squarableValue).
  scales: valueScaleArbitrary({ minExponent: -100, maxExponent: 100, subnormal: false }),
  make: () => new AverageLearner({ rtol: 0.01, minNpoints: 3 }),
  f: sample,
  inDomain: (s) => Number.isSafeInteger(s),
  lossTolerance: 1e-9,
  points: fc.integer({ min: 1000, max: 2 ** 40 }),
};

describe('AverageLearner', () => describeLaws([subject]));
