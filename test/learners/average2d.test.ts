import { describe, expect, it } from 'vitest';
import { benchRing, noise, PYTHON_RING_CASE, RING_CASE, ring } from '../../bench/average2d.js';
import { AverageLearner2D, type SeedPoint2D } from '../../src/learners/average2d/index.js';

const BOUNDS: [[number, number], [number, number]] = [
  [-1, 1],
  [-1, 1],
];
const f = ([seed, [x, y]]: SeedPoint2D): number => ring(x, y, 0.4) + 0.1 * noise(seed, x, y);

function run(l: AverageLearner2D, samples: number): void {
  while (l.nsamples < samples) {
    const { points } = l.ask(1);
    if (points.length === 0) throw new Error('no points');
    for (const p of points) l.tell(p, f(p));
  }
}

describe('AverageLearner2D', () => {
  it('asks a corner, resamples it to minSamples, asks the other corners, then refines', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 4 });
    const first = l.ask(3);
    expect(first.points).toEqual([
      [0, [-1, -1]],
      [1, [-1, -1]],
      [2, [-1, -1]],
    ]);
    for (const p of first.points) l.tell(p, f(p));
    expect(l.ask(1, { tellPending: false }).points).toEqual([[3, [-1, -1]]]);
    run(l, 30);
    const corners = l.means().filter((r) => Math.abs(r.x[0]) === 1 && Math.abs(r.x[1]) === 1);
    expect(corners.length).toBe(4);
    run(l, 600);
    expect(l.npoints).toBeGreaterThan(10);
    // Every point has minSamples but the newest, whose resampling is next (under-sampled first).
    const few = l.means().filter((r) => r.n < 4);
    expect(few.length).toBeLessThanOrEqual(1);
    for (const r of few) expect(l.ask(1, { tellPending: false }).points[0]?.[1]).toEqual(r.x);
    expect(l.loss()).toBeLessThan(Number.POSITIVE_INFINITY);
    l.checkValid();
  });

  it('beats a uniform grid with the same number of samples on the noisy ring at 2 000 samples', () => {
    // Quality, not time: the RMS error of the means' interpolant against the ring, against
    // grids of m = 1, 4, 16 and 64 samples a point (bench/average2d.ts measures 10 000 and
    // 20 000 as well).
    const r = benchRing(RING_CASE, 2000, 'test');
    for (const e of r.grid) expect(r.error).toBeLessThan(e);
    expect(r.beatsEveryGrid).toBe(true);
  });

  it("beats a uniform grid with the same number of samples on python-adaptive's thin ring (a = 0.2) at 2 000 samples", () => {
    // Issue 19: the ring needs 400+ points; with pooled errors and the 2-D noise floor the
    // learner takes about 650 points of 3 samples (with 5 samples a point at least it lost, 0.144 against 0.101).
    const r = benchRing(PYTHON_RING_CASE, 2000, 'test');
    for (const e of r.grid) expect(r.error).toBeLessThan(e);
    expect(r.npoints).toBeGreaterThan(400);
  });

  it('the neighbours kept point by point are those of the whole triangulation, also for points told out of the blue', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 2 });
    l.tell([0, [0.1, 0.2]], 1); // before the corners: outside the hull of what follows
    l.tell([0, [0.3, 0.2]], 1);
    l.tell([0, [0.5, 0.2]], 1); // collinear
    l.checkValid();
    for (let i = 0; i < 40; i++) {
      run(l, l.nsamples + 25);
      l.tell([0, [Math.sin(i) * 0.99, Math.cos(3 * i) * 0.99]], f([0, [0, 0]]));
      l.checkValid();
    }
  });

  it('python-adaptive #9: repeated asks without tells never return the same point twice', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(l, 200);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      for (const p of l.ask(2).points) {
        const k = JSON.stringify(p);
        expect(seen.has(k)).toBe(false);
        seen.add(k);
      }
    }
    expect(l.pendingPoints.length).toBe(100);
    l.checkValid();
  });

  it('bad options are rejected with messages naming them', () => {
    const mk = (o: object) => () => new AverageLearner2D({ bounds: BOUNDS, ...o });
    expect(() => new AverageLearner2D(null as never)).toThrow(/options must be an object/);
    expect(mk({ delta: 0 })).toThrow(/^AverageLearner2D: delta must be in \(0, 1\], got 0$/);
    expect(mk({ alpha: 1 })).toThrow(/alpha must be in \(0, 1\)/);
    expect(mk({ neighborSampling: 2 })).toThrow(/neighborSampling must be in/);
    expect(mk({ minSamples: 1.5 })).toThrow(/minSamples must be a non-negative integer/);
    expect(mk({ minSamples: 5, maxSamples: 4 })).toThrow(/maxSamples must be an integer/);
    expect(mk({ minError: -1 })).toThrow(/minError must be a finite number/);
    expect(mk({ delta: 'x' })).toThrow(/delta must be a number, got "x"/);
    expect(mk({ detla: 0.1 })).toThrow(/unknown option 'detla'/);
    expect(
      () =>
        new AverageLearner2D({
          bounds: [
            [1, -1],
            [0, 1],
          ],
        }),
    ).toThrow(/^AverageLearner2D: bounds must be/);
  });

  it('bad points and values are rejected, naming the point, with the learner unchanged', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(l, 100);
    l.ask(2);
    const before = JSON.stringify(l.snapshot());
    const bad: [unknown, unknown, RegExp][] = [
      [[0, [2, 0]], 1, /AverageLearner2D\.tell: point \[0, \[2, 0\]\] is outside the bounds/],
      [[0.5, [0, 0]], 1, /the seed must be an integer/],
      [[0, [0, Number.NaN]], 1, /\[x, y\] must be two finite numbers/],
      [[0, 0], 1, /\[x, y\] must be two finite numbers/],
      [[0, [0, 0], 1], 1, /a point is \[seed, \[x, y\]\]/],
      [[0, [0, 0]], [1, 2], /value at \[0, \[0, 0\]\] must be a number \(scalar output only\)/],
      [[0, [0, 0]], '1', /must be a number/],
    ];
    for (const [p, v, re] of bad) {
      expect(() => l.tell(p as SeedPoint2D, v as number)).toThrow(re);
      expect(JSON.stringify(l.snapshot())).toBe(before);
    }
    // tellMany validates everything first.
    expect(() =>
      l.tellMany(
        [
          [0, [0.5, 0.5]],
          [0, [3, 0]],
        ],
        [1, 2],
      ),
    ).toThrow(/AverageLearner2D\.tellMany: point \[0, \[3, 0\]\] is outside the bounds/);
    expect(() => l.tellMany([[0, [0.5, 0.5]]], [1, 2])).toThrow(/1 points but 2 values/);
    expect(() => l.tellPending([0, [0, 5]] as SeedPoint2D)).toThrow(/tellPending: point/);
    expect(() => l.ask(-1)).toThrow(RangeError);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });

  it('a snapshot round trip through JSON asks the same points and keeps options, samples and pending points', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3, delta: 0.5, alpha: 0.01 });
    run(l, 400);
    l.tell([0, [0.1, 0.1]], Number.NaN); // a point whose only sample is not finite
    l.ask(3);
    const r = new AverageLearner2D({ bounds: BOUNDS });
    r.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(r.delta).toBe(0.5);
    expect(r.alpha).toBe(0.01);
    expect(r.minSamples).toBe(3);
    expect(r.snapshot()).toEqual(l.snapshot());
    expect(r.pendingPoints).toEqual(l.pendingPoints);
    expect(r.loss()).toBe(l.loss());
    expect(r.means()).toEqual(l.means());
    for (let i = 0; i < 100; i++) {
      const a = l.ask(1);
      expect(r.ask(1)).toEqual(a);
      for (const p of a.points) {
        l.tell(p, f(p));
        r.tell(p, f(p));
      }
    }
    r.checkValid();
  });

  it('the surface updated mean by mean in place is the one rebuilt from the means and pending values, bit for bit', () => {
    // Samples at known points replace the mean in the surface (Learner2D.replaceValue) instead
    // of rebuilding it; a restored learner rebuilds it (checkValid compares the two too). Batches, NaN samples, means that move
    // the range of the means both ways, and new points pending while means change.
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 2, delta: 0.3 });
    const grid: [number, number][] = [];
    for (let i = 0; i <= 8; i++) for (let j = 0; j <= 8; j++) grid.push([i / 4 - 1, j / 4 - 1]);
    const g = (p: SeedPoint2D, k: number): number =>
      k % 97 === 0 ? Number.NaN : (1 + (k % 5)) * f(p) * (k % 7 === 0 ? -3 : 1);
    let k = 0;
    for (let step = 0; step < 300; step++) {
      const { points } = l.ask(1 + (step % 4));
      if (step % 10 === 9) l.ask(1); // a new point or more samples, left pending a while
      for (const p of points) l.tell(p, g(p, k++));
      if (step % 25 !== 24) continue;
      const r = new AverageLearner2D({ bounds: BOUNDS });
      r.restore(JSON.parse(JSON.stringify(l.snapshot())));
      expect(l.loss()).toBe(r.loss());
      expect(l.loss({ real: true })).toBe(r.loss({ real: true }));
      expect(l.interpolate(grid)).toEqual(r.interpolate(grid));
      expect(l.ask(2, { tellPending: false })).toEqual(r.ask(2, { tellPending: false }));
      l.removeUnfinished();
    }
    l.checkValid();
  });

  it('a mean that changes while a new point is pending is updated in place: the pending value stays, and a restore keeps it', () => {
    // Was: the surface was rebuilt from every mean at the next ask and tell (510-650 µs a
    // sample with 4 or 16 samples in flight; bench/average2d.ts --in-flight 16).
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(l, 300);
    const p: [number, number] = [0.123, -0.456];
    const before = l.interpolate(p);
    l.tellPending([0, p]);
    const held = (x: AverageLearner2D): unknown =>
      (x.snapshot() as Record<string, unknown>).pendingValues;
    expect(held(l)).toEqual([[p[0], p[1], before]]);
    // Large samples at the points around it move their means (and the range of the means).
    const near = l
      .means()
      .map((m) => m.x)
      .sort((a, b) => Math.hypot(a[0] - p[0], a[1] - p[1]) - Math.hypot(b[0] - p[0], b[1] - p[1]))
      .slice(0, 3);
    for (const [k, x] of near.entries()) l.tell([1000 + k, x], 50 + k);
    expect(l.interpolate(p)).not.toBe(before);
    expect(held(l)).toEqual([[p[0], p[1], before]]);
    l.checkValid();
    const r = new AverageLearner2D({ bounds: BOUNDS });
    r.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(r.loss({ real: false })).toBe(l.loss({ real: false }));
    expect(r.ask(4, { tellPending: false })).toEqual(l.ask(4, { tellPending: false }));
    // Told, the point is a mean like any other; forgotten, the surface is the means'.
    l.tell([0, p], 2);
    r.removeUnfinished();
    expect(held(l)).toEqual([]);
    expect(held(r)).toEqual([]);
    l.checkValid();
    r.checkValid();
  });

  it('a snapshot from before pendingValues restores its pending new points interpolated from the means', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(l, 300);
    const pts: [number, number][] = [
      [0.31, 0.2],
      [-0.5, 0.05],
      [0.3, 0.21],
    ];
    for (const p of pts) l.tellPending([0, p]);
    const snap = JSON.parse(JSON.stringify(l.snapshot()));
    delete snap.pendingValues;
    const r = new AverageLearner2D({ bounds: BOUNDS });
    r.restore(snap);
    r.checkValid();
    expect(r.pendingPoints).toEqual(l.pendingPoints);
    // The means, then the pending points in x, y order, each interpolated: what the learner
    // holds when they were told pending in that order with no mean changed since.
    const m = new AverageLearner2D({ bounds: BOUNDS });
    m.restore(snap);
    m.removeUnfinished();
    for (const p of [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1])) m.tellPending([0, p]);
    expect((r.snapshot() as Record<string, unknown>).pendingValues).toEqual(
      (m.snapshot() as Record<string, unknown>).pendingValues,
    );
    expect(r.loss({ real: false })).toBe(m.loss({ real: false }));
  });

  it('pending points told out of order: a restored learner has the same loss with them (laws, seed 20260610)', () => {
    // Was: the surface took pending points in the order told, a restored one sorted, and a
    // pending point's value is interpolated from those before it: loss({ real: false })
    // 0.17533 vs 0.17531.
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(l, 200);
    // A cluster of pending points, told from the right to the left: each falls in the
    // triangles of those before it.
    for (let i = 8; i >= 0; i--) l.tellPending([0, [0.3 + 0.05 * i, 0.2 + 0.009 * i * i]]);
    const r = new AverageLearner2D({ bounds: BOUNDS });
    r.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(r.loss({ real: false })).toBe(l.loss({ real: false }));
    expect(r.ask(5)).toEqual(l.ask(5));
  });

  it('restore rejects bad snapshots, naming the problem, with the learner unchanged', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(l, 100);
    const good = JSON.parse(JSON.stringify(l.snapshot()));
    const r = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    run(r, 50);
    const before = JSON.stringify(r.snapshot());
    const edit = (fn: (s: Record<string, unknown>) => void): Record<string, unknown> => {
      const s = structuredClone(good);
      fn(s);
      return s;
    };
    const points = (s: Record<string, unknown>) => s.points as Record<string, unknown>[];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, type: 'AverageLearner1D' }, /is of type "AverageLearner1D"/],
      [edit((s) => (s.options = null)), /options missing/],
      [
        edit(
          (s) =>
            (s.bounds = [
              [0, 1],
              [-1, 1],
            ]),
        ),
        /its bounds \[\[0,1\],\[-1,1\]\] are not/,
      ],
      [edit((s) => ((s.options as Record<string, unknown>).delta = 3)), /bad options: .*delta/],
      [
        edit((s) => ((points(s)[0] as Record<string, unknown>).x = [5, 0])),
        /points\[0\]\.x: .*outside/,
      ],
      [
        edit((s) => ((points(s)[1] as Record<string, unknown>).x = points(s)[0]?.x)),
        /appears twice/,
      ],
      [edit((s) => ((points(s)[0] as Record<string, unknown>).seeds = [])), /seeds and ys/],
      [
        edit((s) => ((points(s)[0] as Record<string, unknown>).seeds = [0.5, 1, 2])),
        /not an integer/,
      ],
      [edit((s) => ((points(s)[0] as Record<string, unknown>).rescaled = -2)), /rescaled must be/],
      [edit((s) => (s.undersampled = [[0.123, 0.456]])), /undersampled\[0\].*not a point/],
      [edit((s) => (s.pending = [[0, [9, 9]]])), /pending: .*outside/],
      [edit((s) => (s.floorLoss = -1)), /floorLoss must be/],
      [edit((s) => (s.pendingValues = 3)), /pendingValues must be an array/],
      [edit((s) => (s.pendingValues = [[0.5, 0.5]])), /pendingValues\[0\] must be \[x, y, value\]/],
      [
        edit((s) => (s.pendingValues = [[0.5, 0.5, 1]])),
        /pendingValues\[0\]: \[0.5, 0.5\] is not a pending point without samples/,
      ],
      [
        edit((s) => {
          s.pending = [[0, [0.5, 0.25]]];
          s.pendingValues = [
            [0.5, 0.25, 1],
            [0.5, 0.25, 2],
          ];
        }),
        /pendingValues\[1\]: \[0.5, 0.25\] appears twice/,
      ],
      [
        edit(
          (s) =>
            (s.pending = [
              [0, [0.5, 0.25]],
              [0, [0.5, 0.25]],
            ]),
        ),
        /pending: .*appears twice/,
      ],
    ];
    for (const [snap, re] of cases) {
      expect(() => r.restore(snap as never)).toThrow(re);
      expect(JSON.stringify(r.snapshot())).toBe(before);
    }
  });

  it('NaN and infinite samples never hang ask and stay out of the means', () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, minSamples: 3 });
    for (let i = 0; i < 400; i++) {
      const { points } = l.ask(1);
      expect(points.length).toBe(1);
      for (const p of points) l.tell(p, i % 7 === 0 ? Number.NaN : i % 11 === 0 ? Infinity : f(p));
    }
    for (const r of l.means()) if (r.n > 3) expect(Number.isFinite(r.mean)).toBe(true);
    expect(Number.isNaN(l.loss())).toBe(false);
    l.checkValid();
  });

  it("on python-adaptive's thinner ring (a = 0.2) it still samples, its loss falling", () => {
    const l = new AverageLearner2D({ bounds: BOUNDS, ...PYTHON_RING_CASE.options });
    run(l, 300);
    const early = l.loss();
    run(l, 1500);
    expect(l.loss()).toBeLessThan(early);
  });
});
