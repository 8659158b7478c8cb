import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AverageLearner1D, type SeedPoint } from '../../src/learners/average1d.js';
import type { LawSubject } from '../../src/testing/index.js';
import { AVERAGE1D_SKIP, describeLaws, squarableValue } from '../fixtures/laws.js';
import { mulberry32 } from '../fixtures/random.js';

/** A deterministic "noisy" peak: noise from a hash of (seed, x), so tests are reproducible. */
function noisyPeak([seed, x]: SeedPoint, sigma = 1): number {
  const r = mulberry32((seed * 2654435761) ^ Math.round(x * 1e9))();
  const noise =
    sigma * Math.sqrt(-2 * Math.log(1 - r)) * Math.cos(2 * Math.PI * mulberry32(seed + 7)());
  return x ** 3 - x + (3 * 0.05 ** 2) / (0.05 ** 2 + (x + 0.5) ** 2) + noise;
}

function run(l: AverageLearner1D, samples: number, batch = 1): void {
  while (l.nsamples < samples) {
    const { points } = l.ask(batch);
    if (points.length === 0) throw new Error('no points');
    for (const p of points) l.tell(p, noisyPeak(p));
  }
}

describe('AverageLearner1D', () => {
  it('asks the bounds, then resamples each new point up to minSamples, then refines', () => {
    const l = new AverageLearner1D({ bounds: [-2, 2], minSamples: 10 });
    const first = l.ask(3);
    expect(first.points).toEqual([
      [0, -2],
      [1, -2],
      [2, -2],
    ]);
    for (const p of first.points) l.tell(p, noisyPeak(p));
    // -2 is under-sampled: more samples of it, with the next seeds.
    expect(l.ask(2, { tellPending: false }).points).toEqual([
      [3, -2],
      [4, -2],
    ]);
    run(l, 500);
    const early = l.loss();
    run(l, 3000);
    l.checkValid();
    expect(l.npoints).toBeGreaterThan(10);
    expect(l.loss()).toBeLessThan(early);
    // Every point but the newest few has its minimum number of samples.
    const short = l.means().filter((r) => r.n < 10).length;
    expect(short).toBeLessThanOrEqual(2);
  });

  it('python-adaptive #9: repeated asks without tells never return the same point twice', () => {
    const l = new AverageLearner1D({ bounds: [-1, 1], minSamples: 5 });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      for (const p of l.ask(3).points) {
        const k = JSON.stringify(p);
        expect(seen.has(k), k).toBe(false);
        seen.add(k);
      }
    }
    // After some tells, resampling requests skip the seeds still pending.
    const pending = l.pendingPoints;
    for (const p of pending.slice(0, 20)) l.tell(p, noisyPeak(p));
    for (let i = 0; i < 30; i++) {
      for (const p of l.ask(2).points) {
        const k = JSON.stringify(p);
        expect(seen.has(k), k).toBe(false);
        seen.add(k);
      }
    }
    l.checkValid();
  });

  it('the options survive a snapshot (python-adaptive resets them)', () => {
    const opts = {
      delta: 0.5,
      alpha: 0.01,
      neighborSampling: 0.5,
      minSamples: 7,
      maxSamples: 40,
      minError: 0.001,
    };
    const l = new AverageLearner1D({ bounds: [-1, 1], ...opts });
    run(l, 300, 4);
    const json = JSON.stringify(l.snapshot());
    const r = new AverageLearner1D({ bounds: [-1, 1] });
    r.restore(JSON.parse(json));
    expect({
      delta: r.delta,
      alpha: r.alpha,
      neighborSampling: r.neighborSampling,
      minSamples: r.minSamples,
      maxSamples: r.maxSamples,
      minError: r.minError,
    }).toEqual(opts);
    r.checkValid();
    expect(JSON.stringify(r.snapshot())).toBe(json);
    expect(r.ask(5, { tellPending: false })).toEqual(l.ask(5, { tellPending: false }));
    // And continues identically.
    run(l, 600, 3);
    run(r, 600, 3);
    expect(JSON.stringify(r.snapshot())).toBe(JSON.stringify(l.snapshot()));
  });

  it.each([
    [{ delta: 0 }, /delta must be in \(0, 1\], got 0/],
    [{ delta: 1.5 }, /delta must be in \(0, 1\]/],
    [{ alpha: 0 }, /alpha must be in \(0, 1\), got 0/],
    [{ alpha: 1 }, /alpha must be in \(0, 1\)/],
    [{ neighborSampling: 0 }, /neighborSampling must be in \(0, 1\]/],
    [{ minSamples: -1 }, /minSamples must be a non-negative integer/],
    [
      { minSamples: 10, maxSamples: 5 },
      /maxSamples must be an integer \(or Infinity\) >= minSamples \(10\), got 5/,
    ],
    [{ minError: -1 }, /minError must be a finite number >= 0/],
    [{ sigma: 1 }, /unknown option 'sigma'/],
    [{ bounds: [1, -1] }, /bounds must be finite and increasing/],
  ])('rejects %j', (extra, error) => {
    expect(() => new AverageLearner1D({ bounds: [-1, 1], ...(extra as object) })).toThrow(error);
  });

  it('bad points and values are rejected with the learner unchanged', () => {
    const l = new AverageLearner1D({ bounds: [-1, 1] });
    run(l, 120, 3);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.tell([0, 5] as SeedPoint, 1)).toThrow(/outside the bounds/);
    expect(() => l.tell([0.5, 0] as SeedPoint, 1)).toThrow(/the seed must be an integer/);
    expect(() => l.tell(0.5 as unknown as SeedPoint, 1)).toThrow(/a point is \[seed, x\]/);
    expect(() => l.tell([0, 0], [1, 2] as unknown as number)).toThrow(/scalar output only/);
    expect(() =>
      l.tellMany(
        [
          [100, 0],
          [0, 9],
        ],
        [1, 1],
      ),
    ).toThrow(/outside the bounds/);
    expect(() => l.ask(-1)).toThrow(RangeError);
    expect(() => l.restore({ type: 'AverageLearner1D', version: 2 })).toThrow(
      /unsupported snapshot version/,
    );
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });

  it('NaN samples never hang ask and stay out of the means', () => {
    const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 3 });
    for (let i = 0; i < 400; i++) {
      const { points } = l.ask(2);
      expect(points.length).toBeGreaterThan(0);
      for (const p of points) l.tell(p, p[0] % 4 === 0 ? Number.NaN : p[1]);
    }
    expect(l.means().every((r) => Number.isFinite(r.mean))).toBe(true);
    l.checkValid();
  });

  it('a mean with no finite sample gives no NaN resampling priority: a restored learner asks the same', () => {
    // Found by the snapshotRoundTrip law (seeds 2..7): NaN at both bounds made their rescaled
    // errors NaN, the priority queue's order then depended on the order of its updates, and
    // the learner restored from a snapshot asked [4, 0] where the original asked [0, -0.5].
    const make = () =>
      new AverageLearner1D({ bounds: [-1, 1], minSamples: 3, recomputeLossesFactor: 1 });
    const l = make();
    const asked = [...l.ask(3).points, ...l.ask(3).points, ...l.ask(4).points];
    l.tell([0, 1], Number.NaN);
    l.tell([0, -1], Number.NaN);
    l.tellMany([[0, 0]], [0]);
    expect(asked).toContainEqual([0, 0]);
    const copy = make();
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(copy.ask(1, { tellPending: false })).toEqual(l.ask(1, { tellPending: false }));
    expect(JSON.stringify(l.snapshot())).not.toContain('"rescaled":"NaN"');
    l.checkValid();
  });

  it('a point next to a mean with no finite sample is still compared with its other neighbour', () => {
    const l = new AverageLearner1D({ bounds: [-1, 1], minSamples: 2 });
    l.tellMany(
      [
        [0, -1],
        [1, -1],
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [Number.NaN, Number.NaN, 0, 10, 0, 0],
    );
    const points = (l.snapshot() as unknown as { points: { x: number; rescaled: unknown }[] })
      .points;
    const at = (x: number) => points.find((p) => p.x === x)?.rescaled;
    // x = 0: error / distance to x = 1 (the distance to x = -1 is NaN), not -Infinity.
    expect(at(0)).toBeGreaterThan(1);
    expect(at(-1)).toBe('-Infinity'); // its own error and distance are not finite
    l.checkValid();
  });
});

const subject: LawSubject<SeedPoint, number> = {
  name: 'AverageLearner1D',
  make: () => new AverageLearner1D({ bounds: [-1, 1], minSamples: 3, recomputeLossesFactor: 1 }),
  f: (p) => noisyPeak(p, 0.1),
  inDomain: ([seed, x]) => Number.isInteger(seed) && x >= -1 && x <= 1,
  // The running mean depends on the order of the samples in its last bits.
  lossTolerance: 1e-9,
  points: fc.tuple(fc.nat(20), fc.double({ min: -1, max: 1, noNaN: true })),
};

// Random samples: each run draws a random function of [seed, x] (ties, sign changes, points
// whose samples are all equal).
const randomSamples: LawSubject<SeedPoint, number> = {
  ...subject,
  name: 'AverageLearner1D (random values)',
  f: undefined,
  values: squarableValue,
};

// Skipped: see AVERAGE1D_SKIP in average1d-laws.test.ts (known bugs found by the laws).
describeLaws([subject, randomSamples], AVERAGE1D_SKIP);
