// LearnerND with mesh: 'bisection': the option, the hull refusal, the mesh staying valid in
// 2-D to 5-D runs, interpolation (exact for linear functions, NaN outside the box), pending
// points, snapshots (round trip, a mesh mismatch refused), told points off the forest, vector
// output and a throwing loss.
import { describe, expect, it } from 'vitest';
import { LearnerND, type ValueND } from '../../src/learners/learnernd.js';
import { curvatureLossND } from '../../src/learners/losses-nd.js';
import { plot2D, plotSlice } from '../../src/plot/index.js';

const box = (d: number, a = -1, b = 1): number[][] => Array.from({ length: d }, () => [a, b]);
const shell = (p: readonly number[]): number => {
  const r2 = p.reduce((a, x) => a + x * x, 0);
  return (p[0] as number) + Math.exp(-((r2 - 0.75 ** 2) ** 2) / 0.2 ** 4);
};

function run(l: LearnerND, f: (p: number[]) => ValueND, n: number): void {
  while (l.npoints < n) {
    const { points } = l.ask(1);
    if (points.length === 0) break;
    for (const p of points) l.tell(p, f(p));
  }
}

describe("LearnerND mesh: 'bisection'", () => {
  it('refuses a hull and an unknown mesh with a clear error', () => {
    expect(
      () =>
        new LearnerND({
          hull: [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
          mesh: 'bisection',
        }),
    ).toThrow(/mesh 'bisection' .* needs bounds/);
    expect(() => new LearnerND({ bounds: box(2), mesh: 'kuhn' as 'bisection' })).toThrow(
      /mesh must be 'delaunay' or 'bisection', got "kuhn"/,
    );
  });

  it('asks the corners first, then refinement-edge midpoints; the mesh stays valid in 2-D to 5-D', () => {
    for (const d of [2, 3, 4, 5]) {
      const l = new LearnerND({ bounds: box(d), mesh: 'bisection' });
      expect(l.loss()).toBe(Number.POSITIVE_INFINITY);
      const { points } = l.ask(2 ** d);
      expect(points).toEqual(l.boundPoints);
      for (const p of points) l.tell(p, shell(p));
      expect(l.loss()).toBeLessThan(Number.POSITIVE_INFINITY);
      // The first point is the centre: the Kuhn simplices share the main diagonal.
      expect(l.ask(1, { tellPending: false }).points).toEqual([new Array(d).fill(0)]);
      run(l, shell, d === 5 ? 400 : 200);
      l.checkValid();
      const { simplices, points: pts } = l.triangulation();
      expect(pts.length / d).toBe(l.npoints);
      expect(simplices.length % (d + 1)).toBe(0);
    }
  });

  it('interpolates a linear function exactly and gives NaN outside the box', () => {
    const f = (p: number[]): number =>
      3 * (p[0] as number) - 2 * (p[1] as number) + (p[2] as number) + 1;
    const l = new LearnerND({ bounds: box(3, 0, 2), mesh: 'bisection' });
    run(l, (p) => f(p) + 5 * Math.exp(-10 * (p[0] as number) ** 2), 100);
    const lin = new LearnerND({ bounds: box(3, 0, 2), mesh: 'bisection' });
    for (const { x } of l.toRecords()) lin.tell(x, f(x));
    for (const q of [
      [0.1, 0.2, 0.3],
      [1.9, 0.01, 1.5],
      [1, 1, 1],
      [2, 2, 2],
    ]) {
      expect(lin.interpolate(q) as number).toBeCloseTo(f(q), 12);
    }
    expect(lin.interpolate([2.5, 1, 1])).toBeNaN();
    const grid = lin.interpolateGrid(3);
    expect(grid.values[0]).toBeCloseTo(f([0, 0, 0]), 12);
  });

  it('skips a leaf whose next point is pending, and ask without tellPending changes nothing', () => {
    const l = new LearnerND({ bounds: box(2), mesh: 'bisection' });
    run(l, shell, 30);
    const before = JSON.stringify(l.snapshot());
    const a = l.ask(5, { tellPending: false });
    expect(JSON.stringify(l.snapshot())).toBe(before);
    const b = l.ask(5);
    expect(b.points).toEqual(a.points);
    expect(new Set(b.points.map(String)).size).toBe(5);
    expect(l.pendingPoints).toEqual(b.points);
    expect(l.loss({ real: false })).toBeLessThanOrEqual(l.loss());
    l.removeUnfinished();
    expect(l.pendingPoints).toEqual([]);
    expect(l.ask(5).points).toEqual(a.points);
  });

  it('with many points in flight, told in random order: every leaf whose edge midpoint is pending as asked is its own target (the ask shortcut), and a snapshot mid-flight asks the same', () => {
    // Was: each ask walked the patch (target) of every leaf whose point was already pending:
    // 5-D, 64 in flight, ask(1): 1.9 ms a point, 16 in flight 211 us, serially 74 us.
    for (const d of [2, 3, 5]) {
      const l = new LearnerND({ bounds: box(d), mesh: 'bisection' });
      const out: number[][] = [];
      let rng = 7;
      for (let step = 0; step < 400; step++) {
        while (out.length < 40) {
          const { points } = l.ask(1 + (step % 3));
          if (points.length === 0) break; // every candidate pending: wait for a tell
          out.push(...points);
        }
        if (step % 50 === 25 && l.triangulation().simplices.length > 0) {
          // A point told pending by hand at a leaf's edge midpoint: not a shortcut (the
          // learner did not ask it), the patch walked as before.
          const t = l.triangulation();
          const i = (step % (t.simplices.length / (d + 1))) * (d + 1);
          const a = t.points.subarray(
            (t.simplices[i] as number) * d,
            (t.simplices[i] as number) * d + d,
          );
          const b = t.points.subarray(
            (t.simplices[i + d] as number) * d,
            (t.simplices[i + d] as number) * d + d,
          );
          l.tellPending(Array.from(a, (x, j) => (x + (b[j] as number)) / 2));
        }
        rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
        const k = rng % out.length;
        const p = out.splice(k, 1)[0] as number[];
        l.tell(p, shell(p));
        if (step % 100 === 99) l.checkValid();
      }
      const copy = new LearnerND({ bounds: box(d), mesh: 'bisection' });
      copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
      expect(copy.ask(8, { tellPending: false })).toEqual(l.ask(8, { tellPending: false }));
    }
  });

  it('round-trips a snapshot with pending points; a Delaunay snapshot is refused', () => {
    const l = new LearnerND({ bounds: box(3), mesh: 'bisection', loss: curvatureLossND() });
    run(l, shell, 60);
    l.ask(3);
    const copy = new LearnerND({ bounds: box(3), mesh: 'bisection', loss: curvatureLossND() });
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    copy.checkValid();
    expect(copy.pendingPoints).toEqual(l.pendingPoints);
    expect(copy.loss()).toBe(l.loss());
    expect(copy.ask(4)).toEqual(l.ask(4));
    const delaunay = new LearnerND({ bounds: box(3) });
    expect(() => delaunay.restore(l.snapshot())).toThrow(
      /mesh "bisection" differs from this learner's 'delaunay'/,
    );
    expect(() => copy.restore(delaunay.snapshot())).toThrow(/mesh "delaunay" differs/);
  });

  it('keeps a told point off the bisection forest as data, and takes in a forest point it was not asked', () => {
    const l = new LearnerND({ bounds: box(2), mesh: 'bisection' });
    for (const p of l.ask(4).points) l.tell(p, shell(p));
    l.tell([0.1, 0.3], 7); // not a dyadic point: data only
    expect(l.npoints).toBe(5);
    expect(l.triangulation().simplices.length).toBe(2 * 3); // still the two Kuhn triangles
    l.tell([-0.5, 0], 1); // a forest vertex two closures down: the centre is added and asked first
    l.checkValid();
    expect(l.ask(1).points).toEqual([[0, 0]]);
    expect(l.toRecords().map((r) => r.x)).toContainEqual([0.1, 0.3]);
  });

  it('learns vector output and reports a throwing loss after keeping the data', () => {
    const l = new LearnerND({ bounds: box(2), mesh: 'bisection' });
    run(l, (p) => [shell(p), (p[0] as number) * (p[1] as number)], 50);
    expect(l.outputDimension).toBe(2);
    expect((l.interpolate([0.3, 0.3]) as number[]).length).toBe(2);
    l.checkValid();
    let calls = 0;
    const bad = Object.assign(
      (): number => {
        calls++;
        if (calls > 3) throw new Error('boom');
        return 1;
      },
      { lossName: 'bad' },
    );
    const b = new LearnerND({ bounds: box(2), mesh: 'bisection', loss: bad });
    const corners = b.ask(4).points;
    expect(() => {
      for (const p of corners) b.tell(p, 1);
      for (const p of b.ask(2).points) b.tell(p, 1);
    }).toThrow(/the loss function threw: boom \(the data was kept\)/);
    expect(b.npoints).toBeGreaterThanOrEqual(4);
  });
});

describe("LearnerND mesh: 'bisection' on huge bounds", () => {
  it('learns and interpolates inside bounds of width near MAX_VALUE', () => {
    const l = new LearnerND({
      bounds: [
        [-8e307, 8e307],
        [0, 1],
      ],
      mesh: 'bisection',
    });
    run(l, (p) => (p[1] as number) * 2, 40);
    l.checkValid();
    expect(l.interpolate([5e307, 0.25]) as number).toBeCloseTo(0.5, 12);
    expect(l.toRecords().every(({ x }) => Number.isFinite(x[0] as number))).toBe(true);
  });
});

describe("LearnerND mesh: 'bisection' in plots", () => {
  it('plots its triangulation in 2-D and a slice of a 3-D learner', () => {
    const l2 = new LearnerND({ bounds: box(2), mesh: 'bisection' });
    run(l2, shell, 60);
    const svg2 = plot2D(l2);
    expect((svg2.match(/<path/g) ?? []).length).toBeGreaterThan(0);
    const l3 = new LearnerND({ bounds: box(3), mesh: 'bisection' });
    run(l3, shell, 120);
    const svg3 = plotSlice(l3, { fixed: [null, 0, null], resolution: 20 });
    expect(svg3).toContain('slice at');
    expect(svg3).not.toContain('NaN');
  });
});

describe("LearnerND mesh: 'bisection' batches", () => {
  it('asks in one call of ask(n) what n calls of ask(1) ask, after a told point that adds closure vertices', () => {
    const l = new LearnerND({ bounds: box(3), mesh: 'bisection' });
    run(l, shell, 80);
    l.tell([0.125, -0.875, 0.5], 0.3); // a forest vertex that was not asked: closure vertices
    const a = new LearnerND({ bounds: box(3), mesh: 'bisection' });
    a.restore(l.snapshot());
    const batch = a.ask(40);
    const ones = { points: [] as number[][], lossImprovements: [] as number[] };
    for (let i = 0; i < 40; i++) {
      const r = l.ask(1);
      ones.points.push(...r.points);
      ones.lossImprovements.push(...r.lossImprovements);
    }
    expect(batch).toEqual(ones);
    expect(batch.lossImprovements.some((x) => x === Number.POSITIVE_INFINITY)).toBe(false);
  });
});

describe('LearnerND default mesh by dimension', () => {
  const box = (d: number) => Array.from({ length: d }, () => [-1, 1] as [number, number]);
  const f = (x: number[]) => Math.exp(-x.reduce((s, v) => s + v * v, 0));
  const drive = (l: LearnerND, n: number) => {
    for (let i = 0; i < n; i++) {
      const [p] = l.ask(1).points as [number[]];
      l.tell(p, f(p));
    }
  };

  it("is 'bisection' on a box from 5-D, 'delaunay' below and on hulls; new() keeps an explicit choice", () => {
    for (const d of [5, 6]) {
      const a = new LearnerND({ bounds: box(d) });
      const b = new LearnerND({ bounds: box(d), mesh: 'bisection' });
      drive(a, 80);
      drive(b, 80);
      expect(a.toRecords()).toEqual(b.toRecords());
    }
    const c = new LearnerND({ bounds: box(4) });
    const e = new LearnerND({ bounds: box(4), mesh: 'delaunay' });
    drive(c, 40);
    drive(e, 40);
    expect(c.toRecords()).toEqual(e.toRecords());
    const explicit = new LearnerND({ bounds: box(5), mesh: 'delaunay' });
    const fresh = explicit.new();
    drive(explicit, 40);
    drive(fresh, 40);
    expect(fresh.toRecords()).toEqual(explicit.toRecords());
  });

  it('a 5-D Delaunay snapshot (the default before) restored into a default learner names the option to pass, and the learner is unchanged', () => {
    const old = new LearnerND({ bounds: box(5), mesh: 'delaunay' });
    drive(old, 40);
    const l = new LearnerND({ bounds: box(5) });
    drive(l, 40);
    const before = l.toRecords();
    expect(() => l.restore(old.snapshot())).toThrow(/make the learner with \{ mesh: .delaunay. \}/);
    expect(l.toRecords()).toEqual(before);
    const ok = new LearnerND({ bounds: box(5), mesh: 'delaunay' });
    ok.restore(old.snapshot());
    expect(ok.npoints).toBe(40);
  });
});
