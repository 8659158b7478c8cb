// SparseGridLearner: the 1-D hierarchy, surpluses computed by hand, exactness in the span of
// the basis, dimension adaptivity, pending points, NaN, snapshots, errors, and random
// command sequences checked against checkValid (which recomputes every surplus by brute force).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadData, toCSV } from '../../src/data/index.js';
import {
  FULL,
  nodeBasis,
  nodeChildren,
  nodeCoord,
  nodeLevel,
  nodeParent,
  nodePosition,
  ROOT,
} from '../../src/learners/sparse-grid/hierarchy.js';
import {
  defaultLossSG,
  SparseGridLearner,
  surplusLossSG,
} from '../../src/learners/sparse-grid/index.js';
import { plotSlice } from '../../src/plot/index.js';
import { runSync } from '../../src/runner/sync.js';

const box = (d: number, a = -1, b = 1): [number, number][] =>
  Array.from({ length: d }, () => [a, b] as [number, number]);

function loop(sg: SparseGridLearner, f: (x: number[]) => number | number[], n: number): void {
  while (sg.npoints < n) {
    const { points } = sg.ask(1);
    if (points.length === 0) break;
    for (const p of points) sg.tell(p, f(p));
  }
}

/** A seeded uniform random number generator (LCG). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('the 1-D hierarchy', () => {
  it('levels, parents and children agree, and a node supports exactly its descendants', () => {
    const out = [0, 0];
    expect(nodeLevel(ROOT)).toBe(1);
    expect(nodeChildren(ROOT, 30, out)).toBe(2);
    expect(out).toEqual([FULL / 4, (3 * FULL) / 4]);
    // Every node down to level 6: its children have it as parent, one level deeper.
    const nodes = [ROOT];
    for (let i = 0; i < nodes.length; i++) {
      const k = nodes[i] as number;
      if (nodeLevel(k) >= 6) continue;
      expect(nodeChildren(k, 30, out)).toBe(2);
      for (const c of out) {
        expect(nodeParent(c)).toBe(k);
        expect(nodeLevel(c)).toBe(nodeLevel(k) + 1);
        nodes.push(c);
      }
    }
    expect(nodes.length).toBe(63);
    expect(nodeChildren(FULL / 4, 2, out)).toBe(0); // at maxLevel
    // φ_q(x_p) ≠ 0 exactly when q is p or an ancestor of p.
    for (const p of nodes) {
      const anc = new Set<number>();
      for (let q = p; q >= 0; q = nodeParent(q)) anc.add(q);
      for (const q of nodes) expect(nodeBasis(q, p / FULL) !== 0).toBe(anc.has(q));
    }
  });

  it('the modified basis: the outermost hats reach 2 at the boundary', () => {
    expect(nodeBasis(FULL / 4, 0)).toBe(2);
    expect(nodeBasis(FULL / 4, 0.25)).toBe(1);
    expect(nodeBasis(FULL / 4, 0.5)).toBe(0);
    expect(nodeBasis((3 * FULL) / 4, 1)).toBe(2);
    expect(nodeBasis((3 * FULL) / 8, 0.25)).toBe(0); // an inner hat: zero at its ends
    expect(nodeBasis((3 * FULL) / 8, 0.375)).toBe(1);
  });

  it('coordinates map back to positions exactly, and nothing else does', () => {
    for (const [a, b] of [
      [-1, 1],
      [0.1, 0.7],
      [1e6, 1e6 + 3],
      [-5e-9, -4e-9],
    ] as const) {
      for (const k of [ROOT, FULL / 4, (3 * FULL) / 4, FULL / 1024 + FULL / 2048, FULL / 2 ** 20]) {
        expect(nodePosition(nodeCoord(k, a, b), a, b, 30)).toBe(k);
      }
      expect(nodePosition(a, a, b, 30)).toBe(-1); // the boundary is not a node
      expect(nodePosition(b, a, b, 30)).toBe(-1);
    }
    expect(nodePosition(0.3, 0, 1, 30)).toBe(-1);
  });
});

describe('SparseGridLearner: known answers', () => {
  it('surpluses of x² on [0, 1], computed by hand', () => {
    const sg = new SparseGridLearner({ bounds: [[0, 1]] });
    const f = (x: number[]) => (x[0] as number) ** 2;
    for (const x of [0.5, 0.25, 0.75, 0.125, 0.375]) sg.tell([x], f([x]));
    expect(sg.surplus([0.5])).toBe(0.25); // the root: its value
    expect(sg.surplus([0.25])).toBe(0.0625 - 0.25);
    expect(sg.surplus([0.75])).toBe(0.5625 - 0.25);
    // 1/8: root 0.25 + (−0.1875)·φ(1/8) with the modified hat φ(1/8) = 2 − (1/8)/(1/4) = 1.5
    expect(sg.surplus([0.125])).toBe(0.015625 - (0.25 - 0.1875 * 1.5));
    // 3/8: an inner hat: −h² with h = 1/8, as for any quadratic
    expect(sg.surplus([0.375])).toBe(-1 / 64);
    sg.checkValid();
  });

  it('asks the root, then its children, then by loss; loss improvements are the parent losses', () => {
    const sg = new SparseGridLearner({ bounds: [[0, 1]] });
    expect(sg.ask(3)).toEqual({ points: [[0.5]], lossImprovements: [Number.POSITIVE_INFINITY] });
    sg.tell([0.5], 0.25);
    const first = sg.ask(3);
    expect(first.points).toEqual([[0.25], [0.75]]);
    expect(first.lossImprovements).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    sg.tellMany(first.points, [0.0625, 0.5625]);
    // Scale 0.5; 3/4 has the larger surplus (0.3125 vs 0.1875), volume 1/2: the loss is
    // |surplus| · volume / scale (defaultLossSG; it was |surplus| · √volume / scale).
    const next = sg.ask(2);
    expect(next.points).toEqual([[0.625], [0.875]]);
    expect(next.lossImprovements[0]).toBe((0.3125 * 0.5) / 0.5);
    expect(sg.loss()).toBe((0.3125 * 0.5) / 0.5);
  });

  it('is exact for functions in the span of the basis', () => {
    // Linear functions: the centre and the 2d face points suffice, every later surplus is 0.
    const lin = (x: number[]) => 1 + 2 * (x[0] as number) - 3 * (x[1] as number) + (x[2] as number);
    const sg = new SparseGridLearner({
      bounds: [
        [0, 1],
        [-2, 2],
        [5, 6],
      ],
    });
    loop(sg, lin, 7);
    const r = rng(1);
    for (let i = 0; i < 50; i++) {
      const x = [r(), 4 * r() - 2, 5 + r()];
      expect(sg.interpolate(x) as number).toBeCloseTo(lin(x), 12);
    }
    // Every later surplus is 0: the first level holds all of a linear function.
    loop(sg, lin, 60);
    const quarter = (v: number, t: number) =>
      [0.25, 0.75, -1, 1, 5.25, 5.75][2 * t] === v ||
      [0.25, 0.75, -1, 1, 5.25, 5.75][2 * t + 1] === v;
    for (const { x } of sg.toRecords()) {
      const centre = [0.5, 0, 5.5];
      const offCentre = x.filter((v, t) => v !== centre[t]);
      if (offCentre.length === 1 && x.every((v, t) => v === centre[t] || quarter(v, t))) continue;
      if (offCentre.length === 0) continue;
      expect(Math.abs(sg.surplus(x) as number)).toBeLessThan(1e-12);
    }
    // Bilinear x·y on the 3 × 3 grid {1/4, 1/2, 3/4}²: exact everywhere.
    const xy = new SparseGridLearner({ bounds: box(2, 0, 1) });
    for (const a of [0.25, 0.5, 0.75]) for (const b of [0.25, 0.5, 0.75]) xy.tell([a, b], a * b);
    for (let i = 0; i < 50; i++) {
      const x = [r(), r()];
      expect(xy.interpolate(x) as number).toBeCloseTo((x[0] as number) * (x[1] as number), 12);
    }
  });

  it('interpolates at the evaluated points exactly, NaN outside the box or before any data', () => {
    const f = (x: number[]) => Math.sin(3 * (x[0] as number)) * Math.cos(2 * (x[1] as number));
    const sg = new SparseGridLearner({ bounds: box(2) });
    expect(sg.interpolate([0, 0])).toBeNaN();
    loop(sg, f, 200);
    for (const { x, y } of sg.toRecords())
      expect(sg.interpolate(x) as number).toBeCloseTo(y as number, 12);
    expect(sg.interpolate([1.5, 0])).toBeNaN();
    expect(
      sg.interpolate([
        [0, 0],
        [2, 2],
      ]),
    ).toHaveLength(2);
  });
});

/** The regular sparse grid of level n on [−1, 1]^d: levels l_t ≥ 1 with Σ (l_t − 1) ≤ n − 1. */
function regularGrid(d: number, n: number): number[][] {
  const pts: number[][] = [];
  const cur = new Array<number>(d).fill(0);
  const rec = (t: number, left: number): void => {
    if (t === d) {
      pts.push(cur.slice());
      return;
    }
    for (let l = 1; l <= left + 1; l++)
      for (let j = 1; j < 2 ** l; j += 2) {
        cur[t] = (2 * j) / 2 ** l - 1;
        rec(t + 1, left - (l - 1));
      }
  };
  rec(0, n - 1);
  return pts;
}

/**
 * The 1-D modified-linear interpolant of level l on [−1, 1], written independently of the
 * hierarchy: piecewise linear through the nodes 2j/2^l − 1 (0 < j < 2^l), continued
 * linearly beyond the outermost two on each side.
 */
function interp1(g: (x: number) => number, l: number, x: number): number {
  const m = 2 ** l;
  if (m === 2) return g(0);
  const h = 2 / m;
  const i = Math.min(m - 2, Math.max(1, Math.floor((x + 1) / h))); // the cell [x_i, x_{i+1}]
  const a = i * h - 1;
  return g(a) + ((g(a + h) - g(a)) * (x - a)) / h;
}

describe('SparseGridLearner: regular grids against the tensor-product formula', () => {
  // Sparse-grid interpolation is linear and acts dimension by dimension, so on a regular grid
  // of level n it maps a product Π g_t(x_t) to Σ_{Σ(l_t − 1) ≤ n − 1} Π (I_{l_t} − I_{l_t − 1}) g_t
  // and a sum Σ g_t(x_t) to Σ I_n g_t: a brute-force check of surpluses and interpolate at
  // mixed levels, with I_l from interp1 (no code shared with the learner).
  const gs = [Math.exp, Math.cos, (x: number) => 1 / (1 + 4 * x * x), (x: number) => x ** 3 - x];
  const d = gs.length;
  const n = 5;
  // The centred grid: the formula expands around the centre.
  const sg = new SparseGridLearner({ bounds: box(d), anchor: 'centre' });
  const grid = regularGrid(d, n);
  const prod = (x: number[]) => x.reduce((s, v, t) => s * (gs[t] as (x: number) => number)(v), 1);
  sg.tellMany(
    grid,
    grid.map((x) => prod(x)),
  );

  it('a product of 1-D functions: the sum of tensor products of 1-D increments', () => {
    expect(sg.npoints).toBe(grid.length);
    const r = rng(11);
    for (let i = 0; i < 300; i++) {
      const q = Array.from({ length: d }, () => 2 * r() - 1);
      const inc = gs.map((g, t) =>
        Array.from({ length: n }, (_, k) =>
          k === 0 ? g(0) : interp1(g, k + 1, q[t] as number) - interp1(g, k, q[t] as number),
        ),
      );
      let want = 0;
      const rec = (t: number, left: number, w: number): void => {
        if (t === d) {
          want += w;
          return;
        }
        for (let e = 0; e <= left; e++) rec(t + 1, left - e, w * (inc[t]?.[e] as number));
      };
      rec(0, n - 1, 1);
      expect(Math.abs((sg.interpolate(q) as number) - want)).toBeLessThan(1e-12);
    }
  });

  it('a sum of 1-D functions: the sum of the finest 1-D interpolants', () => {
    const sum = new SparseGridLearner({ bounds: box(d), anchor: 'centre' });
    const f = (x: number[]) => x.reduce((s, v, t) => s + (gs[t] as (x: number) => number)(v), 0);
    sum.tellMany(
      grid,
      grid.map((x) => f(x)),
    );
    const r = rng(12);
    for (let i = 0; i < 300; i++) {
      const q = Array.from({ length: d }, () => 2 * r() - 1);
      const want = gs.reduce((s, g, t) => s + interp1(g, n, q[t] as number), 0);
      expect(Math.abs((sum.interpolate(q) as number) - want)).toBeLessThan(1e-12);
    }
  });
});

describe('SparseGridLearner: adaptivity', () => {
  it('f(x₀, x₁) embedded in 10-D: nearly all points keep the other 8 coordinates at the centre', () => {
    const f = (x: number[]) =>
      Math.exp(-((x[0] as number) ** 2) - 3 * ((x[1] as number) - 0.3) ** 2) + (x[0] as number);
    const sg = new SparseGridLearner({ bounds: box(10) });
    loop(sg, f, 1500);
    // x₁ is anchored at a quarter point (anchor.ts), x₀ and the others at the centre.
    expect(sg.anchors).toEqual([0, -1, 0, 0, 0, 0, 0, 0, 0, 0]);
    const off = sg.toRecords().filter(({ x }) => x.slice(2).some((v) => v !== 0)).length;
    // The 16 first points of dimensions 2…9, twice: around the centre (the first points,
    // which chose the anchors) and around the anchor (their zero surplus stops them there).
    expect(off).toBeLessThanOrEqual(32);
    expect(off / sg.npoints).toBeLessThan(0.025);
    // ... and it matches a 2-D learner point for point in the two dimensions that matter.
    const two = new SparseGridLearner({ bounds: box(2) });
    loop(two, (x) => f(x), 1500 - off);
    const key = (x: number[]) => `${x[0]},${x[1]}`;
    const a = new Set(
      sg
        .toRecords()
        .filter(({ x }) => x.slice(2).every((v) => v === 0))
        .map(({ x }) => key(x)),
    );
    const b = new Set(two.toRecords().map(({ x }) => key(x)));
    expect([...a].filter((k) => !b.has(k))).toEqual([]);
  });

  it('beats the nearest-neighbour interpolant of as many random points on a smooth 4-D function', () => {
    const d = 4;
    const f = (x: number[]) => Math.exp(-x.reduce((s, v) => s + v * v, 0));
    const sg = new SparseGridLearner({ bounds: box(d) });
    loop(sg, f, 1000);
    const r = rng(7);
    const draw = () => Array.from({ length: d }, () => 2 * r() - 1);
    const data = Array.from({ length: sg.npoints }, draw);
    const test = Array.from({ length: 500 }, draw);
    let eSG = 0;
    let eNN = 0;
    for (const q of test) {
      const y = f(q);
      eSG += ((sg.interpolate(q) as number) - y) ** 2;
      let best = Number.POSITIVE_INFINITY;
      let near = data[0] as number[];
      for (const p of data) {
        let s = 0;
        for (let t = 0; t < d; t++) s += ((p[t] as number) - (q[t] as number)) ** 2;
        if (s < best) [best, near] = [s, p];
      }
      eNN += (f(near) - y) ** 2;
    }
    expect(Math.sqrt(eSG / test.length)).toBeLessThan(0.5 * Math.sqrt(eNN / test.length));
  });
});

describe('SparseGridLearner: pending points', () => {
  it("a pending point's children are not asked until it is told; ask(n) gives n distinct points", () => {
    const sg = new SparseGridLearner({ bounds: box(3) });
    expect(sg.ask(5).points).toEqual([[0, 0, 0]]);
    expect(sg.ask(5).points).toEqual([]);
    sg.tell([0, 0, 0], 1);
    const six = sg.ask(10).points;
    expect(six).toHaveLength(6);
    expect(new Set(six.map(String)).size).toBe(6);
    expect(sg.pendingPoints).toEqual(six);
    expect(sg.loss()).toBe(Number.POSITIVE_INFINITY);
    expect(sg.loss({ real: false })).toBe(0); // every first-level point told or pending
    sg.removeUnfinished();
    expect(sg.pendingPoints).toEqual([]);
    expect(sg.ask(6, { tellPending: false }).points).toEqual(six);
    sg.checkValid();
  });

  it('tellPending marks a grid point; told later, it joins', () => {
    const sg = new SparseGridLearner({ bounds: box(1) });
    sg.tellPending([0]);
    expect(sg.ask(3).points).toEqual([]);
    sg.tell([0], 2);
    expect(sg.pendingPoints).toEqual([]);
    expect(sg.ask(2).points).toEqual([[-0.5], [0.5]]);
  });

  it('a point told before its parents waits, then joins the interpolant', () => {
    const sg = new SparseGridLearner({ bounds: box(1, 0, 1) });
    sg.tell([0.375], 0.375 ** 2);
    expect(sg.surplus([0.375])).toBeUndefined();
    sg.tell([0.25], 0.0625);
    sg.tell([0.5], 0.25);
    expect(sg.surplus([0.375])).toBe(-1 / 64);
    sg.checkValid();
  });
});

describe('SparseGridLearner: NaN and ±Infinity', () => {
  it('a NaN centre does not poison the losses or the interpolant', () => {
    const f = (x: number[]) =>
      x[0] === 0 && x[1] === 0 ? Number.NaN : Math.sin(x[0] as number) + (x[1] as number);
    const sg = new SparseGridLearner({ bounds: box(2) });
    loop(sg, f, 100);
    expect(sg.npoints).toBe(100);
    expect(Number.isFinite(sg.loss())).toBe(true);
    expect(Number.isFinite(sg.interpolate([0.3, -0.2]) as number)).toBe(true);
    sg.checkValid();
  });

  it('never loops with non-finite values everywhere', () => {
    const sg = new SparseGridLearner({ bounds: box(3) });
    const vals = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    let i = 0;
    loop(sg, () => vals[i++ % 3] as number, 300);
    expect(sg.npoints).toBe(300);
    expect(sg.loss()).not.toBeNaN();
  });
});

describe('SparseGridLearner: snapshots', () => {
  it('round-trips through JSON with NaN, vectors and pending points', () => {
    const f = (x: number[]) => [
      Math.sin(4 * (x[0] as number)),
      x[1] === 0.5 ? Number.NaN : (x[1] as number),
    ];
    const sg = new SparseGridLearner({ bounds: box(3), loss: surplusLossSG });
    loop(sg, f, 150);
    sg.ask(4);
    const copy = sg.new();
    copy.restore(JSON.parse(JSON.stringify(sg.snapshot())));
    expect(copy.npoints).toBe(sg.npoints);
    expect(copy.pendingPoints).toEqual(sg.pendingPoints);
    expect(copy.loss()).toBe(sg.loss());
    expect(copy.loss({ real: false })).toBe(sg.loss({ real: false }));
    expect(copy.ask(7, { tellPending: false })).toEqual(sg.ask(7, { tellPending: false }));
    expect(copy.toRecords()).toEqual(sg.toRecords());
    copy.checkValid();
  });

  it('rejects a foreign or tampered snapshot and stays as it was', () => {
    const sg = new SparseGridLearner({ bounds: box(2) });
    loop(sg, (x) => (x[0] as number) * (x[1] as number), 20);
    const snap = JSON.parse(JSON.stringify(sg.snapshot()));
    const target = new SparseGridLearner({ bounds: box(2) });
    loop(target, () => 1, 5);
    const before = JSON.stringify(target.snapshot());
    const bad = [
      { ...snap, type: 'LearnerND' },
      { ...snap, version: 99 },
      {
        ...snap,
        bounds: [
          [0, 1],
          [0, 1],
        ],
      },
      { ...snap, maxLevel: 5 },
      { ...snap, loss: 'other' },
      { ...snap, points: [[0.3, 0], ...snap.points.slice(1)] }, // not a grid point
      { ...snap, points: [...snap.points.slice(1), snap.points[1]] }, // a duplicate
      { ...snap, values: snap.values.slice(1) },
      { ...snap, values: ['x', ...snap.values.slice(1)] },
      { ...snap, pending: [snap.points[0]] },
    ];
    for (const s of bad) {
      expect(() => target.restore(s)).toThrow(/SparseGridLearner\.restore: /);
      expect(JSON.stringify(target.snapshot())).toBe(before);
    }
    expect(() =>
      new SparseGridLearner({ bounds: box(2), loss: surplusLossSG }).restore(snap),
    ).toThrow(/loss 'defaultLossSG'/);
  });
});

describe('SparseGridLearner: bad input', () => {
  it('the constructor names the problem', () => {
    expect(() => new SparseGridLearner({ bounds: [] })).toThrow(TypeError);
    expect(() => new SparseGridLearner({ bounds: [[1, 0]] })).toThrow(
      /bounds\[0\] must be finite and increasing/,
    );
    expect(() => new SparseGridLearner({ bounds: [[0, Number.POSITIVE_INFINITY]] })).toThrow(
      RangeError,
    );
    expect(() => new SparseGridLearner({ bounds: [[0, 1]], maxLevel: 0 })).toThrow(/maxLevel/);
    expect(() => new SparseGridLearner({ bounds: [[0, 1]], maxLevel: 31 })).toThrow(/maxLevel/);
    // @ts-expect-error an unknown option
    expect(() => new SparseGridLearner({ bounds: [[0, 1]], bound: 1 })).toThrow(
      /unknown option 'bound'/,
    );
    // @ts-expect-error not a function
    expect(() => new SparseGridLearner({ bounds: [[0, 1]], loss: 3 })).toThrow(
      /loss must be a function/,
    );
  });

  it('tell, tellMany and tellPending reject bad points and values and leave the learner unchanged', () => {
    const sg = new SparseGridLearner({ bounds: box(2) });
    loop(sg, (x) => (x[0] as number) + (x[1] as number), 9);
    const before = JSON.stringify(sg.snapshot());
    const cases: [() => void, RegExp][] = [
      [() => sg.tell([0, 2], 1), /outside the bounds/],
      [() => sg.tell([0, 0.3], 1), /not a point of the sparse grid/],
      [() => sg.tell([0, -1], 1), /not a point of the sparse grid/], // the boundary is not a node
      [() => sg.tell([0], 1), /has 1 coordinates, expected 2/],
      [() => sg.tell([0, Number.NaN], 1), /finite numbers/],
      [() => sg.tell([0.25, 0.25], [1, 2]), /is a vector, but earlier values were numbers/],
      // @ts-expect-error a string value
      [() => sg.tell([0.25, 0.25], 'x'), /must be a number or an array of numbers/],
      [
        () =>
          sg.tellMany(
            [
              [0.25, 0.25],
              [0.3, 0],
            ],
            [1, 2],
          ),
        /not a point of the sparse grid/,
      ],
      [() => sg.tellMany([[0.25, 0.25]], [1, 2]), /1 points but 2 values/],
      [() => sg.tellPending([5, 0]), /outside the bounds/],
      [() => sg.ask(-1), /non-negative integer/],
    ];
    for (const [call, message] of cases) {
      expect(call).toThrow(message);
      expect(JSON.stringify(sg.snapshot())).toBe(before);
    }
  });

  it('a custom loss that returns NaN is replaced by the volume and reported', () => {
    const sg = new SparseGridLearner({ bounds: box(1), loss: () => Number.NaN });
    sg.tell([0], 1);
    expect(() => sg.tell([0.5], 2)).toThrow(/the loss function returned NaN/);
    expect(sg.npoints).toBe(2);
    expect(sg.loss({ real: false })).toBeGreaterThanOrEqual(0);
  });
});

describe('SparseGridLearner: done()', () => {
  it('finishes when the grid is complete up to maxLevel', () => {
    const sg = new SparseGridLearner({ bounds: box(2), maxLevel: 2 });
    expect(sg.done()).toBe(false);
    loop(sg, (x) => (x[0] as number) * (x[1] as number), 1000);
    expect(sg.npoints).toBe(9); // {−1/2, 0, 1/2}²
    expect(sg.done()).toBe(true);
    expect(sg.ask(3).points).toEqual([]);
    const summary = runSync(new SparseGridLearner({ bounds: box(3), maxLevel: 2 }), () => 1, {});
    expect(summary.npoints).toBeGreaterThan(0);
  });
});

describe('SparseGridLearner: plots and data', () => {
  it('plotSlice draws a slice of an 8-D learner; toArrays and toRecords agree', () => {
    const sg = new SparseGridLearner({ bounds: box(8) });
    loop(sg, (x) => Math.exp(-x.reduce((s, v) => s + v * v, 0)), 300);
    const svg = plotSlice(sg, { resolution: 20 });
    expect(svg.startsWith('<svg')).toBe(true);
    const { x, y, dim, vdim } = sg.toArrays();
    expect(dim).toBe(8);
    expect(vdim).toBe(1);
    const recs = sg.toRecords();
    expect(recs).toHaveLength(300);
    expect(Array.from(x.subarray(0, 8))).toEqual(recs[0]?.x);
    expect(y[0]).toBe(recs[0]?.y);
    expect(
      sg.interpolateGrid([[0], [0], [0], [0], [0], [0], [0], [-0.5, 0, 0.5]]).values,
    ).toHaveLength(3);
  });
});

describe('SparseGridLearner: the data module', () => {
  it('writes CSV with x_0… and value columns and loads it back; non-grid rows are skipped', () => {
    const sg = new SparseGridLearner({ bounds: box(4) });
    loop(sg, (x) => x.reduce((s, v) => s + v, 0), 40);
    const text = toCSV(sg);
    expect(text.split('\n')[0]).toBe('x_0,x_1,x_2,x_3,value');
    const copy = sg.new();
    const r = loadData(copy, `${text}0.3,0,0,0,1\n`);
    expect(r.told).toBe(40);
    expect(r.skipped.length).toBe(1);
    expect(copy.toRecords()).toEqual(sg.toRecords());
  });
});

describe('SparseGridLearner: model test', () => {
  it('random command sequences keep every invariant (surpluses recomputed by brute force)', () => {
    const command = fc.oneof(
      fc.record({
        kind: fc.constant('ask' as const),
        n: fc.integer({ min: 0, max: 6 }),
        pending: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('tell' as const),
        i: fc.nat(),
        v: fc.double({ min: -5, max: 5, noNaN: true }),
      }),
      fc.record({ kind: fc.constant('remove' as const) }),
      fc.record({ kind: fc.constant('nan' as const), i: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(command, { maxLength: 40 }),
        (d, cmds) => {
          const sg = new SparseGridLearner({ bounds: box(d), loss: defaultLossSG });
          for (const c of cmds) {
            if (c.kind === 'ask') sg.ask(c.n, { tellPending: c.pending });
            else if (c.kind === 'remove') sg.removeUnfinished();
            else {
              const p = sg.pendingPoints;
              if (p.length === 0) continue;
              const point = p[c.i % p.length] as number[];
              sg.tell(point, c.kind === 'nan' ? Number.NaN : c.v);
            }
            sg.checkValid();
            expect(sg.loss()).not.toBeNaN();
          }
        },
      ),
      { seed: 20_261_206, numRuns: 200 },
    );
  });
});
