// The learner laws (src/testing) applied to AverageLearner1D on random bounds (offsets up to
// ±1e15, widths 1e-10 to 1e300 of the offset) and value scales (the subjects on [-1, 1] are
// in average1d.test.ts).
import fc from 'fast-check';
import { describe } from 'vitest';
import { AverageLearner1D, type SeedPoint } from '../../src/learners/average1d.js';
import { type LawSubject, valueScaleArbitrary } from '../../src/testing/index.js';
import {
  AVERAGE1D_SKIP,
  anyInterval,
  describeLaws,
  inInterval,
  pointsIn,
  squarableValue,
  toUnit,
} from '../fixtures/laws.js';
import { mulberry32 } from '../fixtures/random.js';

type Bounds = [number, number];

/** A noisy peak on [-1, 1]: noise from a hash of (seed, t), so the laws are reproducible. */
function noisyPeak(seed: number, t: number): number {
  const r = mulberry32((seed * 2654435761) ^ Math.round(t * 1e9))();
  return t ** 3 - t + 0.0075 / (0.0025 + (t + 0.5) ** 2) + 0.1 * (r - 0.5);
}

// Scales 1e-100 to 1e100 and no subnormals: a running variance squares the samples, and
// below ~1e-154 or above ~1e154 the squares under- or overflow (see squarableValue).
const scales = valueScaleArbitrary({ minExponent: -100, maxExponent: 100, subnormal: false });

const subject: LawSubject<SeedPoint, number, Bounds> = {
  name: 'AverageLearner1D, random bounds and scales',
  domains: anyInterval,
  scales,
  make: (bounds) => new AverageLearner1D({ bounds, minSamples: 3, recomputeLossesFactor: 1 }),
  f: ([seed, x], d) => noisyPeak(seed, toUnit(x, d)),
  inDomain: ([seed, x], d) => Number.isInteger(seed) && inInterval(x, d),
  // The running mean depends on the order of the samples in its last bits.
  lossTolerance: 1e-9,
  points: (d) => fc.tuple(fc.nat(20), pointsIn(d)),
};

const randomSamples: LawSubject<SeedPoint, number, Bounds> = {
  ...subject,
  name: 'AverageLearner1D (random values), random bounds and scales',
  f: undefined,
  values: squarableValue,
};

describe('AverageLearner1D', () => describeLaws([subject, randomSamples], AVERAGE1D_SKIP));
