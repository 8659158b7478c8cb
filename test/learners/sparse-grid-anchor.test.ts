// SparseGridLearner's anchor (issue 20): the warped layouts of the tree, the choice of the
// anchor from the first 2d + 1 values ('auto', the default), the loose points it leaves, and
// the 8-D quality target it was made for.
import { describe, expect, it } from 'vitest';
import {
  FULL,
  nodeBasisA,
  nodeCoordA,
  nodeIntegralA,
  nodeParent,
  nodePositionA,
  ROOT,
  warpK,
} from '../../src/learners/sparse-grid/hierarchy.js';
import {
  SparseGridLearner,
  surplusVolumeLossSG,
  type ValueSG,
} from '../../src/learners/sparse-grid/index.js';

const box = (d: number): [number, number][] => Array.from({ length: d }, () => [-1, 1]);

function loop(sg: SparseGridLearner, f: (x: number[]) => ValueSG, n: number): void {
  while (sg.npoints < n) {
    const { points } = sg.ask(1);
    if (points.length === 0) break;
    sg.tell(points[0] as number[], f(points[0] as number[]));
  }
}

/** A seeded uniform random number generator (LCG) on [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const gauss = (x: number[]) => Math.exp(-x.reduce((s, v) => s + v * v, 0));

/** RMS errors on 2000 random points of [−1, 1]^d: `interp`'s and nearest neighbour's of N random points. */
function againstNN(
  d: number,
  f: (x: number[]) => number,
  interp: (q: number[]) => number,
  N: number,
) {
  const r = rng(20);
  const draw = () => Array.from({ length: d }, () => 2 * r() - 1);
  const data = Array.from({ length: N }, draw);
  const fd = data.map(f);
  let e = 0;
  let eNN = 0;
  for (let i = 0; i < 2000; i++) {
    const q = draw();
    const y = f(q);
    e += (interp(q) - y) ** 2;
    let best = Number.POSITIVE_INFINITY;
    let near = 0;
    for (let j = 0; j < N; j++) {
      const p = data[j] as number[];
      let s = 0;
      for (let t = 0; t < d && s < best; t++) s += ((p[t] as number) - (q[t] as number)) ** 2;
      if (s < best) {
        best = s;
        near = j;
      }
    }
    eNN += ((fd[near] as number) - y) ** 2;
  }
  return { sg: Math.sqrt(e / 2000), nn: Math.sqrt(eNN / 2000) };
}

describe('SparseGridLearner: warped layouts of the tree', () => {
  it('the quarter layouts put the root at ¼ (¾) and keep the tree: bases 1 at the node, 0 at every ancestor, integrals, positions', () => {
    expect(warpK(-1, ROOT)).toBe(FULL / 4);
    expect(warpK(1, ROOT)).toBe((3 * FULL) / 4);
    expect(warpK(-1, FULL / 4)).toBe(FULL / 8);
    expect(warpK(-1, (3 * FULL) / 4)).toBe((5 * FULL) / 8);
    const r = rng(3);
    for (const a of [-1, 1]) {
      for (let i = 0; i < 200; i++) {
        const level = 1 + Math.floor(r() * 9);
        const j = Math.floor(r() * 2 ** (level - 1));
        const k = (2 * j + 1) * 2 ** (30 - level);
        const at = (q: number) => warpK(a, q) / FULL;
        expect(nodeBasisA(a, k, at(k))).toBe(1);
        for (let q = nodeParent(k); q >= 0; q = nodeParent(q))
          expect(nodeBasisA(a, k, at(q))).toBe(0);
        // The integral against a midpoint sum.
        const M = 20000;
        let sum = 0;
        for (let m = 0; m < M; m++) sum += nodeBasisA(a, k, (m + 0.5) / M);
        expect(Math.abs(sum / M - nodeIntegralA(a, k))).toBeLessThan(1e-6);
        // Coordinates map back to the position.
        const x = nodeCoordA(a, k, -3, 5);
        expect(nodePositionA(a, x, -3, 5, 29)).toBe(k);
      }
    }
  });

  it("anchor: 'quarter' interpolates exactly at its points and keeps every invariant", () => {
    const sg = new SparseGridLearner({
      bounds: [
        [-1, 1],
        [0, 3],
      ],
      anchor: 'quarter',
    });
    expect(sg.anchors).toEqual([-1, -1]);
    expect(sg.ask(1).points).toEqual([[-0.5, 0.75]]);
    const f = (x: number[]) => Math.sin(3 * (x[0] as number)) + (x[1] as number) ** 2;
    loop(sg, f, 300);
    sg.checkValid();
    for (const { x, y } of sg.toRecords()) expect(sg.interpolate(x)).toBeCloseTo(y as number, 12);
  });
});

describe("SparseGridLearner: anchor 'auto'", () => {
  it('exp(−|x|²) in 8-D: every side anchored at a quarter point, the error below half of nearest neighbour’s at 10⁴ points (centred: 0.097 against 0.059)', () => {
    const sg = new SparseGridLearner({ bounds: box(8) });
    loop(sg, gauss, 10000);
    expect(sg.anchors).toEqual([-1, -1, -1, -1, -1, -1, -1, -1]);
    const { sg: e, nn } = againstNN(8, gauss, (q) => sg.interpolate(q) as number, sg.npoints);
    expect(e).toBeLessThan(nn / 2); // 0.013 against 0.059
  });

  it('exp(−|x|²) in 8-D with surplusVolumeLossSG: below half of nearest neighbour’s at 10³ points (centred: 0.18 against 0.073)', () => {
    const sg = new SparseGridLearner({ bounds: box(8), loss: surplusVolumeLossSG });
    loop(sg, gauss, 1000);
    const { sg: e, nn } = againstNN(8, gauss, (q) => sg.interpolate(q) as number, sg.npoints);
    expect(e).toBeLessThan(nn / 2); // 0.032 against 0.073
  });

  it('chooses per dimension from the first 2d + 1 values: the centre for linear and flat sides, the quarter point nearer the mean otherwise', () => {
    const f = (x: number[]) => {
      const [a, b, c, e] = x as [number, number, number, number];
      return 2 * a + Math.exp(-b * b) + 0.1 * b + Math.exp(-c * c) - 0.1 * c + 0 * e;
    };
    const sg = new SparseGridLearner({ bounds: box(4) });
    expect(sg.ask(100).points).toEqual([[0, 0, 0, 0]]); // the pilot: the root first...
    sg.tell([0, 0, 0, 0], f([0, 0, 0, 0]));
    const pilot = sg.ask(100).points;
    expect(pilot).toHaveLength(8); // ... then its 2d children, nothing else
    expect(sg.anchors).toEqual([0, 0, 0, 0]);
    for (const p of pilot) sg.tell(p, f(p));
    expect(sg.anchors).toEqual([0, -1, 1, 0]);
    expect(sg.ask(1).points).toEqual([[0, -0.5, 0.5, 0]]); // the new root
    loop(sg, f, 200);
    sg.checkValid();
    // NaN in a first point keeps that dimension centred.
    const nan = new SparseGridLearner({ bounds: box(2) });
    loop(nan, (x) => ((x[0] as number) === -0.5 ? Number.NaN : gauss(x)), 50);
    expect(nan.anchors).toEqual([0, -1]);
    nan.checkValid();
  });

  it('the first points off the chosen layout stay data (loose): counted, recorded, snapshotted, re-told as no-ops, not interpolated', () => {
    const sg = new SparseGridLearner({ bounds: box(3) });
    loop(sg, gauss, 120);
    expect(sg.anchors).toEqual([-1, -1, -1]);
    const centre = [0, 0, 0];
    expect(sg.isGridPoint(centre)).toBe(true);
    expect(sg.surplus(centre)).toBeUndefined();
    expect(sg.toRecords().some(({ x }) => x.every((v) => v === 0))).toBe(true);
    const n = sg.npoints;
    const before = sg.interpolate([0.1, 0.2, 0.3]);
    sg.tell(centre, 12345); // re-telling: ignored
    expect(sg.npoints).toBe(n);
    expect(sg.interpolate([0.1, 0.2, 0.3])).toBe(before);
    sg.checkValid();
    const copy = sg.new();
    copy.restore(JSON.parse(JSON.stringify(sg.snapshot())));
    copy.checkValid();
    expect(copy.anchors).toEqual(sg.anchors);
    expect(copy.toRecords()).toEqual(sg.toRecords());
    expect(copy.ask(7)).toEqual(sg.ask(7));
    expect(copy.loss()).toBe(sg.loss());
  });

  it('the same data in any order gives the same state (the anchors depend on the first values only)', () => {
    const f = (x: number[]) =>
      Math.exp(-((x[0] as number) ** 2) - 2 * (x[1] as number) ** 2) + (x[2] as number);
    const a = new SparseGridLearner({ bounds: box(3) });
    loop(a, f, 250);
    a.ask(5); // pending points too
    const records = a.toRecords();
    const b = new SparseGridLearner({ bounds: box(3) });
    for (const p of a.pendingPoints) b.tellPending(p);
    for (const { x, y } of records.slice().reverse()) b.tell(x, y);
    b.checkValid();
    expect(b.anchors).toEqual(a.anchors);
    expect(b.toRecords()).toEqual(records);
    expect(b.loss()).toBe(a.loss());
    expect(b.ask(5)).toEqual(a.ask(5));
    const c = new SparseGridLearner({ bounds: box(3) });
    c.tellMany(
      records.map((r) => r.x),
      records.map((r) => r.y),
    );
    expect(c.toRecords()).toEqual(records);
    c.checkValid();
    const one = new SparseGridLearner({ bounds: box(3) });
    for (const { x, y } of records) one.tell(x, y);
    expect(c.loss()).toBe(one.loss());
    expect(c.ask(5)).toEqual(one.ask(5));
  });
});

describe('SparseGridLearner: anchor option and snapshots', () => {
  it('refuses an unknown anchor, naming it', () => {
    expect(() => new SparseGridLearner({ bounds: box(2), anchor: 'middle' as 'auto' })).toThrow(
      /anchor must be 'auto', 'centre' or 'quarter', got "middle"/,
    );
  });

  it("a version 1 snapshot (no anchor) restores into anchor: 'centre' and is refused elsewhere, naming why", () => {
    const old = new SparseGridLearner({ bounds: box(2), anchor: 'centre' });
    loop(old, gauss, 40);
    const v1 = JSON.parse(JSON.stringify(old.snapshot())) as Record<string, unknown>;
    expect(v1.version).toBe(2);
    v1.version = 1;
    delete v1.anchor;
    const centre = old.new();
    centre.restore(v1 as never);
    expect(centre.toRecords()).toEqual(old.toRecords());
    const auto = new SparseGridLearner({ bounds: box(2) });
    loop(auto, gauss, 10);
    const recs = auto.toRecords();
    expect(() => auto.restore(v1 as never)).toThrow(
      /anchored at "centre" \(a version 1 snapshot\), this learner's at "auto": restore it into a learner with anchor: "centre"/,
    );
    expect(auto.toRecords()).toEqual(recs);
  });
});
