// The N-D predicates against an independent exact reference: BigInt determinants of the
// coordinates scaled to integers. Inputs mix random doubles, small-integer grids (many exact
// degeneracies) and tiny or huge magnitudes (where floating-point filters underflow).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  inSphere,
  inSphereExact,
  integerExact,
  lexCompare,
  MAX_DIM,
  orient,
} from '../../src/geometry/predicates-nd.js';

const SEED = 20_260_611;

// ------------------------------------------------------------------ reference

const view = new DataView(new ArrayBuffer(8));

/** x = mantissa · 2^exponent exactly (x ≠ 0), mantissa a BigInt. */
function split(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const E = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (E === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = E - 1075;
  }
  return { m: x < 0 ? -m : m, e };
}

/** The numbers as exact BigInts, all scaled by the same power of two. */
function exactScaled(xs: number[]): bigint[] {
  const parts = xs.map((x) => (x === 0 ? { m: 0n, e: 0 } : split(x)));
  const minE = Math.min(0, ...parts.map((p) => p.e));
  return parts.map((p) => p.m << BigInt(p.e - minE));
}

function detBig(M: bigint[][]): bigint {
  const n = M.length;
  const A = M.map((r) => r.slice());
  let sign = 1n;
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    if ((A[k] as bigint[])[k] === 0n) {
      const p = A.findIndex((r, i) => i > k && r[k] !== 0n);
      if (p < 0) return 0n;
      [A[k], A[p]] = [A[p] as bigint[], A[k] as bigint[]];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) {
        const Ai = A[i] as bigint[];
        const Ak = A[k] as bigint[];
        Ai[j] =
          ((Ak[k] as bigint) * (Ai[j] as bigint) - (Ai[k] as bigint) * (Ak[j] as bigint)) / prev;
      }
    }
    prev = (A[k] as bigint[])[k] as bigint;
  }
  return sign * ((A[n - 1] as bigint[])[n - 1] as bigint);
}

const sgn = (b: bigint): number => (b > 0n ? 1 : b < 0n ? -1 : 0);

/** sign det[x₁ − x₀, …, x_d − x₀] exactly. */
function refOrient(pts: number[][]): number {
  const d = (pts[0] as number[]).length;
  const ints = exactScaled(pts.flat());
  const row = (i: number) => ints.slice(i * d, i * d + d);
  const x0 = row(0);
  return sgn(detBig(pts.slice(1).map((_, r) => row(r + 1).map((v, j) => v - (x0[j] as bigint)))));
}

/** 1 when p is strictly inside the circumsphere of the simplex (any orientation), exactly. */
function refInSphere(pts: number[][], p: number[]): number {
  const d = p.length;
  const ints = exactScaled([...pts.flat(), ...p]);
  const pp = ints.slice(pts.length * d);
  const rows = pts.map((_, i) => {
    const r = ints.slice(i * d, i * d + d).map((v, j) => v - (pp[j] as bigint));
    return [...r, r.reduce((s, v) => s + v * v, 0n)];
  });
  // D = det[xᵢ − p, |xᵢ − p|²] has the sign of (-1)^d · orientation · inside.
  const v = sgn(detBig(rows)) * (d % 2 === 0 ? 1 : -1) * refOrient(pts);
  return v === 0 ? 0 : v;
}

function flat(pts: number[][]): { X: Float64Array; ids: number[] } {
  return { X: Float64Array.from(pts.flat()), ids: pts.map((_, i) => i) };
}

// ------------------------------------------------------------------ arbitraries

const magnitude = fc.constantFrom(1, 1, 1, 1e-150, 1e-300, 1e150, 2 ** -1040);
const smallInt = fc.integer({ min: -2, max: 2 });
function points(d: number, count: number): fc.Arbitrary<number[][]> {
  const coordinate = fc.oneof(
    { arbitrary: fc.double({ min: -1, max: 1, noNaN: true }), weight: 2 },
    { arbitrary: smallInt, weight: 3 },
    { arbitrary: smallInt.map((i) => i / 3), weight: 1 },
  );
  return fc
    .tuple(
      fc.array(fc.array(coordinate, { minLength: d, maxLength: d }), {
        minLength: count,
        maxLength: count,
      }),
      magnitude,
    )
    .map(([ps, m]) => ps.map((p) => p.map((x) => x * m + 0)));
}

describe('orient and inSphere against exact BigInt determinants', () => {
  for (const d of [1, 2, 3, 4, 5, 6]) {
    test.prop([points(d, d + 2)], { seed: SEED + d, numRuns: d <= 3 ? 400 : 150 })(
      `d = ${d}`,
      (pts) => {
        const { X, ids } = flat(pts);
        const simplex = pts.slice(0, d + 1);
        const o = orient(X, d, ids, 0);
        expect(o).toBe(refOrient(simplex));
        if (o === 0) return;
        // inSphereExact expects a positively oriented simplex.
        const pos = o > 0 ? ids.slice(0, d + 1) : [ids[1], ids[0], ...ids.slice(2, d + 1)];
        const ref = refInSphere(simplex, pts[d + 1] as number[]);
        expect(inSphereExact(X, d, pos as number[], 0, d + 1)).toBe(ref);
        const pert = inSphere(X, d, pos as number[], 0, d + 1);
        expect(pert === 1 || pert === -1).toBe(true);
        if (ref !== 0) expect(pert).toBe(ref);
      },
    );
  }
});

/** The largest m with integerExact(d, m) (the integers' range of the `ints` mode). */
function largestExact(d: number): number {
  let m = 1;
  while (integerExact(d, m + 1)) m++;
  return m;
}

describe('ints: the plain determinant on small integers (lattice triangulations)', () => {
  it('integerExact bounds the products below 2^53 (and only for d = 2, 3)', () => {
    expect(largestExact(2)).toBe(5234); // 12·m⁴ < 2⁵³
    expect(largestExact(3)).toBe(659); // 72·m⁵ < 2⁵³
    expect(integerExact(4, 1)).toBe(false);
    expect(integerExact(1, 1)).toBe(false);
  });
  it('cospherical integer points spanning [0, m]: exactly 0, the perturbation decides', () => {
    // Sign and order changes of (3, 4) and (2, 3, 6) times k lie on one circle or sphere
    // (radius 5k, 7k); k as large as [0, m] allows, so the products are the largest.
    for (const [d, base] of [
      [2, [3, 4]],
      [3, [2, 3, 6]],
    ] as const) {
      const m = largestExact(d);
      const c = Math.floor(m / 2);
      const k = Math.floor(c / Math.max(...base));
      const pts: number[][] = [];
      const perms =
        d === 2
          ? [
              [0, 1],
              [1, 0],
            ]
          : [
              [0, 1, 2],
              [1, 2, 0],
              [2, 0, 1],
              [1, 0, 2],
            ];
      for (const perm of perms)
        for (let signs = 0; signs < 1 << d; signs++)
          pts.push(perm.map((i, j) => c + ((signs >> j) & 1 ? -1 : 1) * k * (base[i] as number)));
      const X = Float64Array.from(pts.flat());
      const n = pts.length;
      let zeros = 0;
      // Simplices of d + 1 of the points (a stride through all of them), each against the rest.
      for (let t = 0; t < 400; t++) {
        const ids = Array.from({ length: d + 1 }, (_, i) => (t + i * (1 + (t % 5))) % n);
        if (new Set(ids).size < d + 1) continue;
        const o = orient(X, d, ids, 0, true);
        expect(o).toBe(refOrient(ids.map((i) => pts[i] as number[])));
        if (o === 0) continue;
        const pos = o > 0 ? ids : [ids[1], ids[0], ...ids.slice(2)];
        for (let p = 0; p < n; p++) {
          if (ids.includes(p)) continue;
          expect(inSphereExact(X, d, pos as number[], 0, p, true)).toBe(0);
          zeros++;
        }
      }
      expect(zeros).toBeGreaterThan(100);
    }
  });
  for (const d of [2, 3]) {
    const m = largestExact(d);
    // Integers in [0, m]: often the extremes (the largest products), often a small patch
    // (many exact zeros: coplanar and cospherical points).
    const coordinate = fc.oneof(
      fc.integer({ min: 0, max: m }),
      fc.constantFrom(0, m, m - 1, 1),
      fc.integer({ min: 0, max: 2 }),
    );
    const pts = fc.array(fc.array(coordinate, { minLength: d, maxLength: d }), {
      minLength: d + 2,
      maxLength: d + 2,
    });
    test.prop([pts], { seed: SEED + 10 + d, numRuns: 1000 })(
      `d = ${d}, integers up to ${m}: the same signs as BigInt`,
      (ps) => {
        const { X, ids } = flat(ps);
        const simplex = ps.slice(0, d + 1);
        const o = orient(X, d, ids, 0, true);
        expect(o).toBe(refOrient(simplex));
        if (o === 0) return;
        const pos = o > 0 ? ids.slice(0, d + 1) : [ids[1], ids[0], ...ids.slice(2, d + 1)];
        const ref = refInSphere(simplex, ps[d + 1] as number[]);
        expect(inSphereExact(X, d, pos as number[], 0, d + 1, true)).toBe(ref);
        // The perturbation decides ties the same way on both paths.
        expect(inSphere(X, d, pos as number[], 0, d + 1, true)).toBe(
          inSphere(X, d, pos as number[], 0, d + 1),
        );
      },
    );
  }
});

describe('in-sphere sign convention', () => {
  it.each(Array.from({ length: MAX_DIM }, (_, i) => i + 1))(
    'd = %i: centroid inside, far point outside, vertex on the sphere',
    (d) => {
      const pts: number[][] = [new Array(d).fill(0)];
      for (let i = 0; i < d; i++) pts.push(Array.from({ length: d }, (_, j) => (j === i ? 1 : 0)));
      const centroid = new Array(d).fill(1 / (d + 1));
      const far = new Array(d).fill(3);
      const X = Float64Array.from([...pts.flat(), ...centroid, ...far]);
      const ids = pts.map((_, i) => i);
      expect(orient(X, d, ids, 0)).toBe(1);
      expect(inSphereExact(X, d, ids, 0, d + 1)).toBe(1);
      expect(inSphereExact(X, d, ids, 0, d + 2)).toBe(-1);
      expect(inSphereExact(X, d, ids, 0, 1)).toBe(0);
    },
  );
});

describe('the symbolic perturbation', () => {
  it('decides the fourth corner of a square one way, whatever the order of the other three', () => {
    // (0,0), (1,0), (1,1), (0,1): cocircular. The perturbed test must say the same for every
    // positively oriented triangle of three corners against the fourth... that is, exactly
    // one diagonal is Delaunay: each triangle either accepts or rejects its opposite corner.
    const X = Float64Array.from([0, 0, 1, 0, 1, 1, 0, 1]);
    const tri = (a: number, b: number, c: number, p: number): number => {
      const ids = [a, b, c];
      if (orient(X, 2, ids, 0) < 0) ids.reverse();
      return inSphere(X, 2, ids, 0, p);
    };
    // Diagonal 0-2: triangles (0,1,2) and (0,2,3) must reject 3 and 1 respectively.
    const diag02 = tri(0, 1, 2, 3) < 0 && tri(0, 2, 3, 1) < 0;
    // Diagonal 1-3: triangles (0,1,3) and (1,2,3) must reject 2 and 0.
    const diag13 = tri(0, 1, 3, 2) < 0 && tri(1, 2, 3, 0) < 0;
    expect(diag02 !== diag13).toBe(true);
  });

  it('is never 0, also for cospherical points in 4-D', () => {
    // The 16 corners of the unit 4-cube are cospherical.
    const corners: number[] = [];
    for (let c = 0; c < 16; c++) for (let j = 0; j < 4; j++) corners.push((c >> j) & 1);
    const X = Float64Array.from(corners);
    const ids = [0, 1, 2, 4, 8];
    expect(orient(X, 4, ids, 0)).not.toBe(0);
    const pos = orient(X, 4, ids, 0) > 0 ? ids : [1, 0, 2, 4, 8];
    for (let p = 0; p < 16; p++) {
      if (pos.includes(p)) continue;
      expect(inSphereExact(X, 4, pos, 0, p)).toBe(0);
      expect(Math.abs(inSphere(X, 4, pos, 0, p))).toBe(1);
    }
  });
});

describe('lexCompare', () => {
  it('orders by the first coordinate that differs', () => {
    const X = Float64Array.from([0, 1, 0, 2, -1, 5, 0, 1]);
    expect(lexCompare(X, 2, 0, 1)).toBe(-1);
    expect(lexCompare(X, 2, 2, 0)).toBe(-1);
    expect(lexCompare(X, 2, 1, 0)).toBe(1);
    expect(lexCompare(X, 2, 0, 3)).toBe(0);
  });
});
