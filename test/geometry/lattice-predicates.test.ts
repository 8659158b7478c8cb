// The lattice predicates (Learner2D with integer: [true, true]): their signs against BigInt
// arithmetic on the exact scaled points, and triangulations of lattice stores: valid,
// Delaunay in the exact geometry (checked in BigInt, not with the predicates under test),
// independent of the insertion order, and located into by points off the lattice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Delaunay2D, lexMin4, PointStore2D } from '../../src/geometry/delaunay2d.js';
import {
  inCircleLattice,
  LATTICE_EXACT_SPAN,
  latticeIndex,
  latticeMap,
  orientLattice,
} from '../../src/geometry/lattice-predicates.js';
import { mulberry32 } from '../fixtures/random.js';

const SEED = 20_261_207;

/** Four points' lattice integers: a, b, c and the query p. */
type Eight = [number, number, number, number, number, number, number, number];

const sign = (b: bigint): number => (b > 0n ? 1 : b < 0n ? -1 : 0);

/**
 * The in-circle sign of the exact points (X/sx, Y/sy) (translation does not change it), in
 * BigInt: the determinant times sx³·sy³ (positive), whose entries are then integers.
 */
function inCircleExact(p: readonly number[], sx: number, sy: number): number {
  const [ax, ay, bx, by, cx, cy, px, py] = p.map(BigInt) as bigint[];
  const SX = BigInt(sx);
  const SY = BigInt(sy);
  // Rows (dX·sy, dY·sx, (dX²·sy² + dY²·sx²)): the determinant of the scaled rows times sx²sy²·sx·sy.
  const row = (x: bigint, y: bigint): [bigint, bigint, bigint] => {
    const dx = x - (px as bigint);
    const dy = y - (py as bigint);
    return [dx * SY, dy * SX, dx * dx * SY * SY + dy * dy * SX * SX];
  };
  const [a, b, c] = [
    row(ax as bigint, ay as bigint),
    row(bx as bigint, by as bigint),
    row(cx as bigint, cy as bigint),
  ];
  const det =
    a[0] * (b[1] * c[2] - b[2] * c[1]) -
    a[1] * (b[0] * c[2] - b[2] * c[0]) +
    a[2] * (b[0] * c[1] - b[1] * c[0]);
  return sign(det);
}

describe('lattice predicates', () => {
  it('latticeIndex recovers the integers of stored coordinates, and NaN off the lattice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: LATTICE_EXACT_SPAN }),
        fc.integer({ min: 0, max: LATTICE_EXACT_SPAN }),
        (lo, span, k) => {
          const X = lo + Math.min(k, span);
          const map = latticeMap(lo, lo + span, lo, lo + span);
          const stored = (X - (map[1] as number)) / (map[0] as number);
          expect(latticeIndex(map, 0, stored)).toBe(X);
          expect(latticeIndex(map, 2, stored)).toBe(X);
          // Halfway between two lattice points is not a lattice point.
          const between = (X + 0.5 - (map[1] as number)) / (map[0] as number);
          expect(latticeIndex(map, 0, between)).toBeNaN();
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('orientLattice and inCircleLattice give the exact signs (BigInt), square and anisotropic', () => {
    const span = fc.integer({ min: 1, max: LATTICE_EXACT_SPAN });
    fc.assert(
      fc.property(
        span,
        span,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        (sx0, sy0, u, square) => {
          const sx = sx0;
          const sy = square ? sx0 : sy0;
          // Points of [0, sx] × [0, sy], often on one small circle (a 3 × 3 patch).
          const small = u[0] as number;
          const p = u.map((t, i) => {
            const s = i % 2 === 0 ? sx : sy;
            return small < 0.5 ? Math.min(s, Math.floor(t * 3)) : Math.floor(t * s);
          });
          const [ax, ay, bx, by, cx, cy, px, py] = p as Eight;
          const o = orientLattice(ax, ay, bx, by, cx, cy);
          const oExact = sign(
            (BigInt(bx) - BigInt(ax)) * (BigInt(cy) - BigInt(ay)) -
              (BigInt(by) - BigInt(ay)) * (BigInt(cx) - BigInt(ax)),
          );
          expect(Math.sign(o) + 0).toBe(oExact); // never -0
          const s = inCircleLattice(ax, ay, bx, by, cx, cy, px, py, sx * sx, sy * sy);
          expect(s).toBe(inCircleExact(p, sx, sy));
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('lexMin4 names the smallest of four points (p first among equal ones), the same on the integers as stored', () => {
    const coord = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(fc.array(coord, { minLength: 8, maxLength: 8 }), (q) => {
        const [ax, ay, bx, by, cx, cy, px, py] = q as Eight;
        // Reference: a stable sort of [p, a, b, c] by (x, y).
        const pts: [number, number][] = [
          [px, py],
          [ax, ay],
          [bx, by],
          [cx, cy],
        ];
        const order = [0, 1, 2, 3].sort(
          (i, j) =>
            (pts[i] as [number, number])[0] - (pts[j] as [number, number])[0] ||
            (pts[i] as [number, number])[1] - (pts[j] as [number, number])[1],
        );
        expect(lexMin4(ax, ay, bx, by, cx, cy, px, py)).toBe(order[0]);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    // Delaunay2D orders a cocircular tie on a lattice by the integers: the stored coordinates
    // ((X − ox) / sx, rounded) must order any four lattice points the same way.
    const span = fc.integer({ min: 1, max: LATTICE_EXACT_SPAN });
    fc.assert(
      fc.property(
        span,
        span,
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (w, h, x0, y0, u) => {
          const L = latticeMap(x0, x0 + w, y0, y0 + h);
          const I = u.map((t, k) => Math.round(t * (k % 2 === 0 ? w : h)));
          const stored = I.map((X, k) =>
            k % 2 === 0
              ? (x0 + X - (L[1] as number)) / (L[0] as number)
              : (y0 + X - (L[3] as number)) / (L[2] as number),
          );
          expect(lexMin4(...(stored as Eight))).toBe(lexMin4(...(I as Eight)));
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('the largest spans: products of four differences stay exact', () => {
    const S = LATTICE_EXACT_SPAN;
    // Far corners and near-cocircular points at full span, with the widths coprime.
    const cases = [
      [0, 0, S, 0, S, S, 0, S],
      [0, 0, S, 1, S - 1, S, 1, S - 1],
      [0, 0, S, 0, 0, S, S, S],
      [1, 0, S, 3, 2, S, S - 1, S - 2],
    ];
    for (const p of cases) {
      for (const [sx, sy] of [
        [S, S],
        [S, S - 1],
        [S - 3, S],
        [S, 1],
      ] as const) {
        const [ax, ay, bx, by, cx, cy, px, py] = p as Eight;
        expect(inCircleLattice(ax, ay, bx, by, cx, cy, px, py, sx * sx, sy * sy)).toBe(
          inCircleExact(p, sx, sy),
        );
      }
    }
  });
});

/** A triangulation of a lattice store over [x0, x0 + w] × [y0, y0 + h]. */
function latticeTri(x0: number, w: number, y0: number, h: number): Delaunay2D {
  const store = new PointStore2D();
  store.lattice = latticeMap(x0, x0 + w, y0, y0 + h);
  return new Delaunay2D(store);
}

/** Inserts lattice point (X, Y) as Learner2D stores it. */
function insertLattice(tri: Delaunay2D, X: number, Y: number): number {
  const L = tri.store.lattice as Float64Array;
  return tri.insert(
    (X - (L[1] as number)) / (L[0] as number),
    (Y - (L[3] as number)) / (L[2] as number),
  );
}

/** The finite triangles as sorted keys of lattice integers. */
function latticeTriangles(tri: Delaunay2D): string[] {
  const L = tri.store.lattice as Float64Array;
  const { vertices } = tri.triangles();
  const xy = tri.store.xy;
  const S = tri.store.stride;
  const out: string[] = [];
  for (let i = 0; i < vertices.length; i += 3) {
    const pts = [0, 1, 2].map((k) => {
      const v = vertices[i + k] as number;
      return `${latticeIndex(L, 0, xy[S * v] as number)},${latticeIndex(L, 2, xy[S * v + 1] as number)}`;
    });
    out.push(pts.sort().join(' '));
  }
  return out.sort();
}

/** Every triangle's circumcircle is empty of the other points (strictly, exact geometry). */
function expectDelaunay(
  tri: Delaunay2D,
  pts: readonly [number, number][],
  sx: number,
  sy: number,
): void {
  for (const key of latticeTriangles(tri)) {
    type P = [number, number];
    const [a, b, c] = key.split(' ').map((s) => s.split(',').map(Number)) as [P, P, P];
    // Counterclockwise order for the sign convention.
    const o = orientLattice(a[0], a[1], b[0], b[1], c[0], c[1]);
    expect(o).not.toBe(0);
    const [p, q]: [P, P] = o > 0 ? [b, c] : [c, b];
    for (const d of pts) {
      if (
        (d[0] === a[0] && d[1] === a[1]) ||
        (d[0] === p[0] && d[1] === p[1]) ||
        (d[0] === q[0] && d[1] === q[1])
      )
        continue;
      expect(
        inCircleExact([a[0], a[1], p[0], p[1], q[0], q[1], d[0], d[1]], sx, sy),
      ).toBeLessThanOrEqual(0);
    }
  }
}

describe('Delaunay2D on a lattice store', () => {
  it('random subsets of random lattices: valid, Delaunay in the exact geometry, the same for any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (x0, w, h, seed) => {
          const rnd = mulberry32(seed);
          const corners: [number, number][] = [
            [0, 0],
            [w, 0],
            [0, h],
            [w, h],
          ];
          const pts: [number, number][] = [...corners];
          const seen = new Set(pts.map(([x, y]) => `${x},${y}`));
          const n = Math.floor(rnd() * Math.min(60, (w + 1) * (h + 1) - 4));
          while (pts.length < 4 + n) {
            const p: [number, number] = [Math.floor(rnd() * (w + 1)), Math.floor(rnd() * (h + 1))];
            const k = `${p[0]},${p[1]}`;
            if (seen.has(k)) continue;
            seen.add(k);
            pts.push(p);
          }
          const a = latticeTri(x0, w, 0, h);
          for (const [x, y] of pts) insertLattice(a, x0 + x, y);
          a.checkValid();
          // The triangles' keys are the lattice's integers: x0 + x.
          const shifted = pts.map(([x, y]) => [x0 + x, y] as [number, number]);
          expectDelaunay(a, shifted, w, h);
          // Another order: the same triangles (the perturbation depends on the points only).
          const b = latticeTri(x0, w, 0, h);
          const order = [...pts].sort(() => rnd() - 0.5);
          for (const [x, y] of order) insertLattice(b, x0 + x, y);
          b.checkValid();
          expect(latticeTriangles(b)).toEqual(latticeTriangles(a));
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('renumbered (records moved, ids permuted) and copied, later insertions give a fresh triangulation', () => {
    // The triangulation keeps each vertex's lattice integers; renumber must move them with the
    // vertices (Learner2D renumbers from 32 768 points).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (w, h, seed) => {
          const rnd = mulberry32(seed);
          const pts: [number, number][] = [];
          for (let x = 0; x <= w; x++) for (let y = 0; y <= h; y++) pts.push([x, y]);
          pts.sort(() => rnd() - 0.5);
          const half = Math.max(3, pts.length >> 1);
          const a = latticeTri(0, w, 0, h);
          for (const [x, y] of pts.slice(0, half)) insertLattice(a, x, y);
          // Move the store's records as the owner does, then renumber the triangulation.
          const n = a.store.size;
          const vmap = Int32Array.from({ length: n }, (_, i) => i);
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(rnd() * (i + 1));
            [vmap[i], vmap[j]] = [vmap[j] as number, vmap[i] as number];
          }
          const old = a.store.xy.slice();
          const S = a.store.stride;
          for (let v = 0; v < n; v++) {
            a.store.xy[S * (vmap[v] as number)] = old[S * v] as number;
            a.store.xy[S * (vmap[v] as number) + 1] = old[S * v + 1] as number;
          }
          a.renumber(vmap, n);
          // And copied (copyFrom), as Learner2D copies its meshes: the copy goes on.
          const c = new Delaunay2D(a.store);
          c.copyFrom(a);
          for (const [x, y] of pts.slice(half)) insertLattice(c, x, y);
          c.checkValid();
          const b = latticeTri(0, w, 0, h);
          for (const [x, y] of pts) insertLattice(b, x, y);
          expect(latticeTriangles(c)).toEqual(latticeTriangles(b));
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a full square lattice: every cell split, each insertion valid', () => {
    const tri = latticeTri(0, 12, 0, 12);
    const rnd = mulberry32(5);
    const pts: [number, number][] = [];
    for (let x = 0; x <= 12; x++) for (let y = 0; y <= 12; y++) pts.push([x, y]);
    pts.sort(() => rnd() - 0.5);
    for (const [x, y] of pts) {
      insertLattice(tri, x, y);
      tri.checkValid();
    }
    expect(tri.triangleCount).toBe(2 * 12 * 12);
  });

  it('locates points off the lattice (interpolation) in the triangle that holds them', () => {
    const tri = latticeTri(0, 10, 0, 7);
    for (let x = 0; x <= 10; x += 2) for (let y = 0; y <= 7; y++) insertLattice(tri, x, y);
    const L = tri.store.lattice as Float64Array;
    const rnd = mulberry32(9);
    const xy = tri.store.xy;
    const S = tri.store.stride;
    for (let i = 0; i < 500; i++) {
      const X = rnd() * 10;
      const Y = rnd() * 7;
      const x = (X - (L[1] as number)) / (L[0] as number);
      const y = (Y - (L[3] as number)) / (L[2] as number);
      const t = tri.locate(x, y);
      expect(t).toBeGreaterThanOrEqual(0);
      // Inside (or on) the triangle as stored.
      const v = [0, 1, 2].map((k) => tri.tv[3 * t + k] as number);
      for (let k = 0; k < 3; k++) {
        const p = v[k] as number;
        const q = v[(k + 1) % 3] as number;
        const cross =
          ((xy[S * q] as number) - (xy[S * p] as number)) * (y - (xy[S * p + 1] as number)) -
          ((xy[S * q + 1] as number) - (xy[S * p + 1] as number)) * (x - (xy[S * p] as number));
        expect(cross).toBeGreaterThanOrEqual(-1e-15);
      }
    }
  });
});
