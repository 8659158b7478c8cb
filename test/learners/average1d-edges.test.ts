// Regression tests of issue 13 ("Trust at the edges") for AverageLearner1D.
import { describe, expect, it } from 'vitest';
import { AverageLearner1D, type SeedPoint } from '../../src/learners/average1d.js';
import type { IntervalLoss } from '../../src/learners/losses1d.js';
import { runSync } from '../../src/runner/sync.js';
import { tQuantile } from '../../src/util/student-t.js';
import { mulberry32 } from '../fixtures/random.js';

/** Learner1D's fewest doubles in its bounds (MIN_DOUBLES in src/learners/learner1d.ts). */
const MIN_DOUBLES = 256;

/** Gaussian noise from a hash of (seed, x): reproducible. */
function noise([seed, x]: SeedPoint): number {
  const r = mulberry32((seed * 2654435761) ^ Math.round(x * 1e9))();
  return Math.sqrt(-2 * Math.log(1 - r)) * Math.cos(2 * Math.PI * mulberry32(seed + 7)());
}

function snapshotOf(): Record<string, unknown> {
  const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
  for (let i = 0; i < 40; i++) {
    for (const p of l.ask(1).points) l.tell(p, Math.sin(3 * p[1]) + 0.1 * noise(p));
  }
  return JSON.parse(JSON.stringify(l.snapshot()));
}

describe('AverageLearner1D at the edges (issue 13)', () => {
  it('bounds [-1e308, 1e308]: the constructor says the width overflows', () => {
    expect(() => new AverageLearner1D({ bounds: [-1e308, 1e308] })).toThrow(
      /^AverageLearner1D: the width of the bounds \[-1e\+308, 1e\+308\] overflows/,
    );
  });

  it('bounds [1, 1 + 64 ulp] (65 doubles): the constructor refuses a domain of too few doubles (was: loss 0 and sampling stopped)', () => {
    const hi = 1 + 64 * Number.EPSILON;
    expect(() => new AverageLearner1D({ bounds: [1, hi] })).toThrow(
      new RangeError(
        `AverageLearner1D: the bounds [1, ${hi}] hold only 65 representable doubles, too few to refine (at least ${MIN_DOUBLES} are needed); use wider bounds, or bounds nearer 0`,
      ),
    );
  });

  it('minSamples 1e300: refused with the limit of samples per x (was: accepted, no point could ever reach it)', () => {
    const limit = AverageLearner1D.samplesPerPointLimit;
    expect(() => new AverageLearner1D({ bounds: [0, 1], minSamples: 1e300 })).toThrow(
      new RangeError(
        `AverageLearner1D: minSamples must be at most ${limit} (the most samples one x holds), got 1e+300`,
      ),
    );
    expect(() => new AverageLearner1D({ bounds: [0, 1], minSamples: limit + 1 })).toThrow(
      /minSamples must be at most 16777215/,
    );
    expect(new AverageLearner1D({ bounds: [0, 1], minSamples: limit }).minSamples).toBe(limit);
  });

  it('minSamples 1e300 in a snapshot: restore refuses it with the limit, the learner unchanged', () => {
    const s = snapshotOf();
    (s.options as Record<string, unknown>).minSamples = 1e300;
    const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    for (const p of l.ask(3).points) l.tell(p, 1);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.restore(s as never)).toThrow(/minSamples must be at most 16777215/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });

  it('bounds [0, 1e308]: sampling goes on past the bounds with a finite, non-zero loss', () => {
    const l = new AverageLearner1D({ bounds: [0, 1e308], minSamples: 2 });
    const xs = new Set<number>();
    for (let i = 0; i < 300; i++) {
      for (const p of l.ask(1).points) {
        expect(p[1] >= 0 && p[1] <= 1e308).toBe(true);
        xs.add(p[1]);
        l.tell(p, Math.sin(p[1] / 1e307) + 0.01 * noise(p));
      }
    }
    expect(xs.size).toBeGreaterThan(5);
    expect(l.loss()).toBeGreaterThan(0);
    expect(l.loss()).toBeLessThan(Number.POSITIVE_INFINITY);
    l.checkValid();
  });

  it('told two nearby x (gap <= 0.01) before its bounds: the bounds come next, and a loss-goal run ends', () => {
    const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 5 });
    l.tell([0, 0.5], 0.3);
    l.tell([0, 0.505], 0.31);
    const asked: number[] = [];
    for (let i = 0; i < 2; i++) {
      for (const p of l.ask(1).points) {
        asked.push(p[1]);
        l.tell(p, p[1] + 0.01 * noise(p));
      }
    }
    expect(asked.sort()).toEqual([0, 1]);
    // Was: only 0.5 and 0.505 resampled for ever, loss Infinity.
    let n = 0;
    while (!(l.loss() <= 0.1) && n < 20000) {
      for (const p of l.ask(1).points) {
        l.tell(p, p[1] + 0.01 * noise(p));
        n++;
      }
    }
    expect(l.loss()).toBeLessThanOrEqual(0.1);
    l.checkValid();
  });

  it('noisy step: a point is never resampled past samplesPerPointLimit (was: Map maximum size exceeded), and a sample past it is refused', () => {
    const saved = AverageLearner1D.samplesPerPointLimit;
    AverageLearner1D.samplesPerPointLimit = 400; // 2^24 - 1 in use: what one Map holds
    try {
      const l = new AverageLearner1D({ bounds: [-1, 1], minSamples: 10 });
      for (let i = 0; i < 30000; i++) {
        for (const p of l.ask(1).points) l.tell(p, (p[1] > 0 ? 1 : 0) + 0.1 * noise(p));
      }
      const means = l.means();
      for (const m of means) expect(m.n).toBeLessThanOrEqual(400);
      expect(means.filter((m) => m.n === 400).length).toBeGreaterThan(0);
      expect(l.npoints).toBeGreaterThan(20); // new points keep coming
      const full = means.find((m) => m.n === 400) as { x: number };
      const before = JSON.stringify(l.snapshot());
      expect(() => l.tell([1e6, full.x], 0)).toThrow(
        new RegExp(`x = ${full.x} already has 400 samples, the most one point holds \\(400\\)`),
      );
      expect(JSON.stringify(l.snapshot())).toBe(before);
      l.checkValid();
    } finally {
      AverageLearner1D.samplesPerPointLimit = saved;
    }
  });

  it.each([1e300, 1e-300, 1e-310])(
    'values times %s ask the points asked at scale 1 (python-adaptive measures distances in raw units)',
    (scale) => {
      const asks = (k: number): SeedPoint[] => {
        const l = new AverageLearner1D({ bounds: [-1, 1], minSamples: 5 });
        const out: SeedPoint[] = [];
        for (let i = 0; i < 3000; i++) {
          for (const p of l.ask(1).points) {
            out.push(p);
            l.tell(p, (Math.tanh(10 * p[1]) + 0.2 * noise(p)) * k);
          }
        }
        return out;
      };
      const unit = asks(1);
      expect(new Set(unit.map((p) => p[1])).size).toBeGreaterThan(10);
      expect(asks(scale)).toEqual(unit);
    },
  );

  it('bounds [0, 1e300] ask the points of [0, 1], times 1e300 (python-adaptive measures x in raw units)', () => {
    const asks = (w: number): SeedPoint[] => {
      const l = new AverageLearner1D({ bounds: [0, w], minSamples: 5 });
      const out: SeedPoint[] = [];
      for (let i = 0; i < 2000; i++) {
        for (const p of l.ask(1).points) {
          out.push(p);
          const t = p[1] / w;
          l.tell(p, Math.tanh(10 * (t - 0.4)) + 0.2 * noise([p[0], t]));
        }
      }
      return out;
    };
    const unit = asks(1);
    const wide = asks(1e300);
    expect(wide.map((p) => p[0])).toEqual(unit.map((p) => p[0]));
    for (let i = 0; i < unit.length; i++) {
      expect(Math.abs((wide[i] as SeedPoint)[1] / 1e300 - (unit[i] as SeedPoint)[1])).toBeLessThan(
        1e-12,
      );
    }
  });

  it('a seed of 2^53 is refused with the range of seeds accepted', () => {
    const l = new AverageLearner1D({ bounds: [0, 1] });
    expect(() => l.tell([2 ** 53, 0.5], 1)).toThrow(
      /the seed must be an integer from -\(2\^53 - 1\) to 2\^53 - 1 .*got 9007199254740992/,
    );
    l.tell([2 ** 53 - 1, 0.5], 1);
    expect(l.nsamples).toBe(1);
  });

  it('a loss function that throws inside tell: the sample is kept, the learner consistent, and tell says so', () => {
    let fail = false;
    const loss: IntervalLoss = (xs) => {
      if (fail) throw new Error('boom');
      return Math.abs((xs[1] as number) - (xs[0] as number));
    };
    const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 2, loss });
    for (let i = 0; i < 20; i++) for (const p of l.ask(1).points) l.tell(p, p[1]);
    fail = true;
    const n = l.nsamples;
    expect(() => l.tell([0, 0.123], 1)).toThrow(
      /^AverageLearner1D: the loss function threw: boom \(the data was kept\)$/,
    );
    expect(() => l.tell([1, 0.123], 2)).toThrow(/the loss function threw: boom/);
    expect(l.nsamples).toBe(n + 2);
    l.checkValid();
  });

  it('noisy step with lossGoal 0.05, npointsGoal 3000: the run ends by its loss goal (was: 13 points in 2.4M samples after 60 s, then Map maximum size exceeded), with accurate means at the step', () => {
    // f(seed, x) = step + N(0, 0.1²), the symptom's function and goals.
    const sigma = 0.1;
    const step = (x: number): number => (x > 0 ? 1 : 0);
    const l = new AverageLearner1D({ bounds: [-1, 1] });
    const s = runSync(l, (p: SeedPoint) => step(p[1]) + sigma * noise(p), {
      lossGoal: 0.05,
      npointsGoal: 3000,
      goal: (q) => q.nsamples > 2e6, // a safety stop only: the test fails if it is the reason
    });
    expect(s.reason).toBe('lossGoal');
    expect(l.loss()).toBeLessThanOrEqual(0.05);
    // Each bisection of the step interval used to need ~4x the samples of the one before
    // (python-adaptive's rule: error <= delta x the distance to the nearest neighbour, which
    // halves while the step interval's loss stays ~1). Now a point is not resampled once its
    // error is below delta x loss / 8 in units of the y range; the loss stays above the goal
    // while the run goes on, so no point needs more than the n where
    // t(0.995)·s/√n <= 0.2 · 0.05 / 8 · Y, with s <= 1.05 sigma and Y >= 0.95 (the means span [0, 1]):
    const perPoint = ((tQuantile(0.995, 1e4) * 1.05 * sigma) / ((0.2 * 0.05) / 8) / 0.95) ** 2;
    const means = l.means();
    for (const m of means) expect(m.n).toBeLessThanOrEqual(perPoint); // ~51 000
    // The total: ~53 bisections take the step interval from width 2 to the x resolution
    // (its loss is then 0) and ~30 points cover the flat parts. Measured: 404 037 samples,
    // 81 points (before: 5.8M samples, 14 points after 60 s, no end in sight).
    expect(l.npoints).toBeLessThan(200);
    expect(l.nsamples).toBeLessThan(1e6);
    // The step is located to the x resolution and the means beside it are accurate.
    const below = means.filter((m) => m.x <= 0).at(-1) as { x: number };
    const above = means.find((m) => m.x > 0) as { x: number };
    expect(above.x - below.x).toBeLessThanOrEqual(4 * Number.EPSILON);
    const near = means.filter((m) => Math.abs(m.x) < 0.02);
    expect(near.length).toBeGreaterThan(40);
    for (const m of near) {
      expect(Math.abs(m.mean - step(m.x))).toBeLessThanOrEqual(Math.max(m.error, 0.01));
    }
    l.checkValid();
  });

  it('ask(1e9) is a RangeError naming the limit', () => {
    const l = new AverageLearner1D({ bounds: [0, 1] });
    expect(() => l.ask(1e9)).toThrow(/more than the 16777216 \(2\^24\) this learner holds/);
    expect(l.pendingPoints).toEqual([]);
  });
});

describe('AverageLearner1D.restore trusts nothing it can recompute (issue 13)', () => {
  type Pt = { x: number; ys: unknown[]; error: unknown; dist: unknown; rescaled: unknown };
  it.each([
    [
      'a point outside the bounds',
      (s: Record<string, unknown>) => {
        ((s.points as Pt[])[1] as Pt).x = 2;
      },
      /points\[1\]: x = 2 is not a point of the curve of means \(bounds \[0, 1\]\)/,
    ],
    [
      'a point that is not on the curve of means',
      (s: Record<string, unknown>) => {
        ((s.points as Pt[])[1] as Pt).x = 0.123456;
      },
      /x = 0.123456 is not a point of the curve of means/,
    ],
    [
      'samples whose mean is not the curve value',
      (s: Record<string, unknown>) => {
        ((s.points as Pt[])[2] as Pt).ys[0] = 1000;
      },
      /the curve of means has .* its samples give/,
    ],
    [
      'an error its samples do not give',
      (s: Record<string, unknown>) => {
        ((s.points as Pt[])[2] as Pt).error = 0.5;
      },
      /points\[2\].error is 0.5, its samples give/,
    ],
    [
      'a NaN rescaled error',
      (s: Record<string, unknown>) => {
        ((s.points as Pt[])[0] as Pt).rescaled = 'NaN';
      },
      /rescaled must be >= 0 or -Infinity, got NaN/,
    ],
  ])('refuses %s, the learner unchanged and still asking', (_what, spoil, error) => {
    const s = snapshotOf();
    spoil(s);
    const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    for (const p of l.ask(3).points) l.tell(p, 1);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.restore(s as never)).toThrow(error);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.checkValid();
    expect(l.ask(2).points.length).toBe(2);
  });

  it('a stored distance is not trusted: it is recomputed from the means', () => {
    const s = snapshotOf();
    const a = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    a.restore(JSON.parse(JSON.stringify(s)) as never);
    ((s.points as Pt[])[0] as Pt).dist = 7;
    const b = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    b.restore(s as never);
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('an untouched snapshot restores and asks as the original', () => {
    const s = snapshotOf();
    const a = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    a.restore(s as never);
    a.checkValid();
    const b = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.ask(5, { tellPending: false })).toEqual(a.ask(5, { tellPending: false }));
  });
});

// Issue 13, found by makesProgress (seed 20260610): told the lower bound and the next double
// (an interval the curve never splits: narrower than its x resolution, loss 0), the learner
// resampled those two for ever (their distance is one ulp, or 0 when their means agree), and
// the interval that holds the loss was never refined.
describe('AverageLearner1D: x at the resolution limit are not resampled for ever', () => {
  it('two x one ulp apart: a new x comes within a few dozen asks', () => {
    const a = 3.884115912352625e-267;
    const b = 3.884115912352628e-136;
    const next = 3.884115912352626e-267;
    const f = ([seed]: SeedPoint): number => 0.03 + 0.1 * (mulberry32(seed * 7919 + 1)() - 0.5);
    const l = new AverageLearner1D({ bounds: [a, b], minSamples: 3, recomputeLossesFactor: 1 });
    for (const p of [
      [0, a],
      [0, b],
      [0, next],
    ] as SeedPoint[])
      l.tell(p, f(p));
    for (let i = 0; i < 62 && l.means().length === 3; i++) {
      const p = l.ask(1).points[0] as SeedPoint;
      l.tell(p, f(p));
    }
    expect(l.means().length).toBeGreaterThan(3);
  });
});
