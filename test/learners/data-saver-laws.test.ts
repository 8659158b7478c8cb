// The learner laws (src/testing) applied to DataSaver over Learner1D on random bounds and
// value scales (the subject on [-1, 1] lives in data-saver.test.ts).
import { describe } from 'vitest';
import { DataSaver } from '../../src/learners/data-saver.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import type { LawSubject } from '../../src/testing/index.js';
import {
  anyInterval,
  anyScale,
  describeLaws,
  inInterval,
  pointsIn,
  toUnit,
} from '../fixtures/laws.js';

type Result = { y: number; t: number; tag: string };
type Bounds = [number, number];
const peak = (x: number): number => x + 1e-4 / (1e-4 + (x - 0.3) ** 2);

const subject: LawSubject<number, Result, Bounds> = {
  name: 'DataSaver(Learner1D), random bounds and scales',
  domains: anyInterval,
  scales: anyScale,
  make: (bounds) =>
    new DataSaver(new Learner1D({ bounds, recomputeLossesFactor: 1 }), (r: Result) => r.y),
  f: (x, d) => ({ y: peak(toUnit(x, d)), t: x, tag: `x=${x}` }),
  scaleValue: (r, s) => ({ ...r, y: r.y * s }),
  inDomain: inInterval,
  points: pointsIn,
  injectNonFinite: (r, bad) => ({ ...r, y: bad, t: bad }),
};

describe('DataSaver', () => describeLaws([subject]));
