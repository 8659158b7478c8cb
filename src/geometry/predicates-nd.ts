/**
 * Exact geometric predicates in any dimension d (1 to {@link MAX_DIM}): the orientation of
 * d + 1 points and the in-sphere test of a point against the circumsphere of d + 1 points.
 *
 * - d = 2, 3: robust-predicates (Shewchuk's adaptive exact arithmetic), when every nonzero
 *   coordinate lies in [2^-140, 2^140] (no underflow or overflow, which it needs); else the
 *   generic path below.
 * - d = 1: exact comparisons.
 * - d ≥ 4 (and the cases above): Gaussian elimination in floats with a rigorous forward error bound (the filter);
 *   when the bound cannot certify the sign, the determinant is evaluated exactly: the
 *   coordinates are scaled to integers by a power of two (exact) and the fraction-free
 *   Bareiss elimination runs in doubles while every intermediate stays below 2^53, else in
 *   BigInt. The filter's relative tolerance is thus never a source of error: it only
 *   decides when the exact path runs (roughly when |det| < n²·2^-52 times the product of the
 *   row norms).
 *
 * Cospherical ties are broken by a symbolic perturbation of the lifting map (Edelsbrunner
 * and Mücke's simulation of simplicity, as in Devillers and Teillaud, "Perturbations for
 * Delaunay and weighted Delaunay 3D triangulations", 2011): point q is lifted to
 * |q|² + ε^rank(q) with rank the lexicographic order of the coordinates. The perturbed
 * in-sphere test is never zero, and the Delaunay triangulation it defines is unique: the
 * same point set gives the same simplices whatever the insertion order.
 */
import { incircle, insphere as insphere3d, orient2d, orient3d } from 'robust-predicates';

/**
 * The largest dimension the predicates (and the N-D triangulation) support.
 * @example MAX_DIM // 10
 */
export const MAX_DIM = 10;

const U = 2 ** -53; // unit roundoff
const TWO53 = 2 ** 53;
const NMAX = MAX_DIM + 1;

// Scratch, shared by every call (predicates never re-enter one another's scratch use).
const A = new Float64Array(NMAX * NMAX);
const rowNorm = new Float64Array(NMAX);
const uNorm = new Float64Array(NMAX);
const G = new Float64Array((MAX_DIM + 2) * MAX_DIM); // gathered points, row-major
const ORD = new Int32Array(MAX_DIM + 2);
const REP = new Int32Array(MAX_DIM + 2);
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * Counters of how often each path ran: certified by the float filter, exact in doubles,
 * exact in BigInt, and decided by the symbolic perturbation (tests and benches read them).
 * @example predicateStats.exactBigInt // 0 for points in general position
 */
export const predicateStats = { filtered: 0, exactDouble: 0, exactBigInt: 0, perturbed: 0 };

/**
 * Resets {@link predicateStats} to zero.
 * @example resetPredicateStats(); predicateStats.filtered // 0
 */
export function resetPredicateStats(): void {
  predicateStats.filtered = 0;
  predicateStats.exactDouble = 0;
  predicateStats.exactBigInt = 0;
  predicateStats.perturbed = 0;
}

/**
 * Compares two points of `X` (d coordinates each) lexicographically: -1, 0 or 1.
 * @example lexCompare(new Float64Array([0, 1, 0, 2]), 2, 0, 1) // -1
 */
export function lexCompare(X: Float64Array, d: number, a: number, b: number): number {
  const oa = a * d;
  const ob = b * d;
  for (let j = 0; j < d; j++) {
    const xa = X[oa + j] as number;
    const xb = X[ob + j] as number;
    if (xa < xb) return -1;
    if (xa > xb) return 1;
  }
  return 0;
}

/**
 * Whether the plain float evaluation of the 2-D and 3-D predicates is exact on integer
 * coordinates in [0, m]: every product and sum of their determinants is an integer below
 * 2⁵³ (orientation: 2·m² in 2-D, 6·m³ in 3-D; in-sphere: 12·m⁴ in 2-D, 72·m⁵ in 3-D). Then
 * the predicates' `ints` argument may be true: a zero is exact, no adaptive stage runs.
 * @example integerExact(3, 500) // true
 */
export function integerExact(d: number, m: number): boolean {
  if (d === 2) return 12 * m ** 4 < TWO53;
  if (d === 3) return 72 * m ** 5 < TWO53;
  return false;
}

// ------------------------------------------------------------------ float filter

/**
 * Sign of det(A) for the n×n matrix in the scratch `A` (row-major), certified by a forward
 * error bound; 2 when the bound cannot certify it. `inErr` bounds the relative error of
 * each row of `A` against the exact matrix (rounding of the differences and squares that
 * built it). Destroys `A`.
 *
 * Bound: Gaussian elimination with partial pivoting computes L̂Û = PA + E with
 * |E| ≤ γₙ|L̂||Û| (Higham, Thm 9.3), so ‖Eᵢ‖ ≤ γₙ Σₖ |l̂ᵢₖ| ‖Ûₖ‖. By multilinearity and
 * Hadamard's inequality |det(T) − det(B)| ≤ Π(bᵢ + δᵢ) − Π bᵢ ≤ Π bᵢ · x(1 + x) with
 * bᵢ ≥ ‖Bᵢ‖, δᵢ ≥ ‖Tᵢ − Bᵢ‖ and x = Σ δᵢ/bᵢ ≤ 1; the product of the pivots adds γₙ.
 */
function filteredDetSign(n: number, inErr: number): number {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = A[i * n + j] as number;
      // Tiny entries could underflow in the elimination: the error bound would not hold.
      if (v !== 0 && (v < 0 ? -v : v) < 1e-140) return 2;
      s += v * v;
    }
    // A computed row of zeros is an exact row of zeros (differences and sums of squares
    // vanish only when exact): the determinant is exactly 0.
    if (s === 0) return 0;
    if (!(s < Number.POSITIVE_INFINITY) || s < 1e-290) return 2;
    rowNorm[i] = Math.sqrt(s);
  }
  let sign = 1;
  let det = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(A[k * n + k] as number);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(A[i * n + k] as number);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return 2;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = A[k * n + j] as number;
        A[k * n + j] = A[p * n + j] as number;
        A[p * n + j] = t;
      }
      const t = rowNorm[k] as number;
      rowNorm[k] = rowNorm[p] as number;
      rowNorm[p] = t;
      sign = -sign;
    }
    const piv = A[k * n + k] as number;
    det *= piv;
    for (let i = k + 1; i < n; i++) {
      const l = (A[i * n + k] as number) / piv;
      A[i * n + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++)
        A[i * n + j] = (A[i * n + j] as number) - l * (A[k * n + j] as number);
    }
  }
  det *= sign;
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = k; j < n; j++) {
      const v = A[k * n + j] as number;
      s += v * v;
    }
    uNorm[k] = Math.sqrt(s);
  }
  const gn = (n * U) / (1 - n * U);
  let prodB = 1;
  let x = 0;
  for (let i = 0; i < n; i++) {
    let lu = uNorm[i] as number;
    for (let k = 0; k < i; k++) lu += Math.abs(A[i * n + k] as number) * (uNorm[k] as number);
    const e = gn * lu;
    const a = (rowNorm[i] as number) * (1 + 4 * n * U);
    const b = a + e;
    prodB *= b;
    x += (inErr * a + e) / b;
  }
  if (!(x <= 0.25) || !(prodB < Number.POSITIVE_INFINITY) || prodB < 1e-290) return 2;
  const ad = Math.abs(det);
  const bound = prodB * x * (1 + x) * 1.01 + ad * ((2 * n * U) / (1 - 2 * n * U)) * 1.01;
  if (ad > bound) {
    predicateStats.filtered++;
    return det > 0 ? 1 : -1;
  }
  return 2;
}

// ------------------------------------------------------------------ exact arithmetic

const POW2NEG: number[] = Array.from({ length: 64 }, (_, i) => 2 ** -i);

// decompose(x): |x| = DM · 2^DE with DM an odd integer below 2^53 (x ≠ 0, finite).
let DM = 0;
let DE = 0;
function decompose(x: number): void {
  f64[0] = x;
  const lo = u32[0] as number;
  const hi = u32[1] as number;
  const E = (hi >>> 20) & 0x7ff;
  let mhi = hi & 0xfffff;
  let e: number;
  if (E === 0) e = -1074;
  else {
    mhi |= 0x100000;
    e = E - 1075;
  }
  let tz: number;
  if (lo !== 0) tz = 31 - Math.clz32(lo & -lo);
  else tz = 32 + 31 - Math.clz32(mhi & -mhi);
  DM = (mhi * 4294967296 + lo) * (POW2NEG[tz] as number);
  DE = e + tz;
}

/** The exponent of the lowest set bit of x ≠ 0: x = odd · 2^result. */
function lsbExponent(x: number): number {
  f64[0] = x;
  const lo = u32[0] as number;
  const hi = u32[1] as number;
  const E = (hi >>> 20) & 0x7ff;
  const e = E === 0 ? -1074 : E - 1075;
  if (lo !== 0) return e + 31 - Math.clz32(lo & -lo);
  const mhi = E === 0 ? hi & 0xfffff : (hi & 0xfffff) | 0x100000;
  return e + 63 - Math.clz32(mhi & -mhi);
}

/** The power of two that makes every coordinate of the first `m` gathered points an integer. */
function integerShift(m: number, d: number): number {
  let S = 0;
  for (let i = 0; i < m * d; i++) {
    const x = G[i] as number;
    if (x === 0 || Number.isInteger(x)) continue;
    const t = -lsbExponent(x);
    if (t > S) S = t;
  }
  return S;
}

/** Bareiss on the integer matrix in `A` (n×n) in doubles: the sign, or NaN when a value leaves 2^53. */
function bareissDouble(n: number): number {
  let sign = 1;
  let prev = 1;
  for (let k = 0; k < n - 1; k++) {
    if (A[k * n + k] === 0) {
      let p = -1;
      for (let i = k + 1; i < n; i++) {
        if (A[i * n + k] !== 0) {
          p = i;
          break;
        }
      }
      if (p < 0) return 0;
      for (let j = k; j < n; j++) {
        const t = A[k * n + j] as number;
        A[k * n + j] = A[p * n + j] as number;
        A[p * n + j] = t;
      }
      sign = -sign;
    }
    const akk = A[k * n + k] as number;
    for (let i = k + 1; i < n; i++) {
      const aik = A[i * n + k] as number;
      for (let j = k + 1; j < n; j++) {
        const a = akk * (A[i * n + j] as number);
        const b = aik * (A[k * n + j] as number);
        if (!(Math.abs(a) < TWO53) || !(Math.abs(b) < TWO53)) return Number.NaN;
        const v = a - b;
        if (!(Math.abs(v) < TWO53)) return Number.NaN;
        A[i * n + j] = v / prev; // exact: Bareiss keeps every entry an integer minor
      }
    }
    prev = akk;
  }
  const last = A[n * n - 1] as number;
  return last === 0 ? 0 : last > 0 ? sign : -sign;
}

/** Bareiss on a BigInt matrix (n×n, row-major): the sign of its determinant. */
function bareissBig(M: bigint[], n: number): number {
  let sign = 1;
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    if (M[k * n + k] === 0n) {
      let p = -1;
      for (let i = k + 1; i < n; i++) {
        if (M[i * n + k] !== 0n) {
          p = i;
          break;
        }
      }
      if (p < 0) return 0;
      for (let j = k; j < n; j++) {
        const t = M[k * n + j] as bigint;
        M[k * n + j] = M[p * n + j] as bigint;
        M[p * n + j] = t;
      }
      sign = -sign;
    }
    const akk = M[k * n + k] as bigint;
    for (let i = k + 1; i < n; i++) {
      const aik = M[i * n + k] as bigint;
      for (let j = k + 1; j < n; j++) {
        M[i * n + j] = (akk * (M[i * n + j] as bigint) - aik * (M[k * n + j] as bigint)) / prev;
      }
    }
    prev = akk;
  }
  const last = M[n * n - 1] as bigint;
  return last === 0n ? 0 : last > 0n ? sign : -sign;
}

/** Gathered coordinate i as an exact BigInt scaled by 2^S. */
function bigCoord(i: number, S: number): bigint {
  const x = G[i] as number;
  if (x === 0) return 0n;
  decompose(x);
  const v = BigInt(DM) << BigInt(DE + S);
  return x < 0 ? -v : v;
}

/**
 * Exact sign of the orientation of the d + 1 gathered points `G[0..d]`:
 * det[x₁ − x₀, …, x_d − x₀]. O(d³) in doubles when the integers stay small, else BigInt.
 */
function exactOrient(d: number): number {
  const S = integerShift(d + 1, d);
  if (S <= 1000) {
    const scale = 2 ** S;
    let ok = true;
    for (let r = 1; r <= d && ok; r++) {
      for (let j = 0; j < d; j++) {
        const a = (G[r * d + j] as number) * scale;
        const b = (G[j] as number) * scale;
        if (!(Math.abs(a) < TWO53) || !(Math.abs(b) < TWO53)) {
          ok = false;
          break;
        }
        const v = a - b;
        if (!(Math.abs(v) < TWO53)) {
          ok = false;
          break;
        }
        A[(r - 1) * d + j] = v;
      }
    }
    if (ok) {
      const s = bareissDouble(d);
      if (!Number.isNaN(s)) {
        predicateStats.exactDouble++;
        return s;
      }
    }
  }
  predicateStats.exactBigInt++;
  const M: bigint[] = new Array(d * d);
  for (let j = 0; j < d; j++) {
    const b = bigCoord(j, S);
    for (let r = 1; r <= d; r++) M[(r - 1) * d + j] = bigCoord(r * d + j, S) - b;
  }
  return bareissBig(M, d);
}

/**
 * Exact sign of D = det[xᵢ − p, |xᵢ − p|²] (i = 0..d) for gathered points `G[0..d]` and p
 * at `G[d+1]`.
 */
function exactLifted(d: number): number {
  const S = integerShift(d + 2, d);
  const n = d + 1;
  const po = (d + 1) * d;
  if (S <= 500) {
    const scale = 2 ** S;
    let ok = true;
    for (let r = 0; r <= d && ok; r++) {
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const a = (G[r * d + j] as number) * scale;
        const b = (G[po + j] as number) * scale;
        const v = a - b;
        const v2 = v * v;
        if (!(Math.abs(a) < TWO53) || !(Math.abs(b) < TWO53) || !(Math.abs(v) < TWO53)) {
          ok = false;
          break;
        }
        if (!(v2 < TWO53)) {
          ok = false;
          break;
        }
        sq += v2;
        if (!(sq < TWO53)) {
          ok = false;
          break;
        }
        A[r * n + j] = v;
      }
      A[r * n + d] = sq;
    }
    if (ok) {
      const s = bareissDouble(n);
      if (!Number.isNaN(s)) {
        predicateStats.exactDouble++;
        return s;
      }
    }
  }
  predicateStats.exactBigInt++;
  const M: bigint[] = new Array(n * n);
  const pb: bigint[] = new Array(d);
  for (let j = 0; j < d; j++) pb[j] = bigCoord(po + j, S);
  for (let r = 0; r <= d; r++) {
    let sq = 0n;
    for (let j = 0; j < d; j++) {
      const v = bigCoord(r * d + j, S) - (pb[j] as bigint);
      M[r * n + j] = v;
      sq += v * v;
    }
    M[r * n + d] = sq;
  }
  return bareissBig(M, n);
}

// ------------------------------------------------------------------ predicates

const SAFE_LO = 2 ** -140;
const SAFE_HI = 2 ** 140;

/**
 * Whether robust-predicates is exact on these coordinates: it is when no product underflows
 * or overflows. With every nonzero coordinate in [2^-140, 2^140], differences and their
 * rounding errors are multiples of 2^-193 and below 2^141, so the degree-5 products of the
 * in-sphere test stay within [2^-1000, 2^710]. Otherwise the generic exact path runs.
 */
function safeForShewchuk(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
  m: number,
  p: number,
): boolean {
  for (let i = 0; i <= m; i++) {
    const o = (i < m ? (ids[off + i] as number) : p) * d;
    if (i === m && p < 0) break;
    for (let j = 0; j < d; j++) {
      const x = X[o + j] as number;
      if (x === 0) continue;
      const a = x < 0 ? -x : x;
      if (a < SAFE_LO || a > SAFE_HI) return false;
    }
  }
  return true;
}

/**
 * The orientation of the d + 1 points `X[ids[off]]`, …, `X[ids[off + d]]` (rows of d
 * coordinates in `X`): the exact sign of det[x₁ − x₀, …, x_d − x₀], 1, -1 or 0. With `ints`
 * the coordinates are small integers ({@link integerExact}) and the plain determinant is
 * exact.
 * O(1) for d ≤ 3, O(d³) above.
 * @example
 * orient(new Float64Array([0, 0, 1, 0, 0, 1]), 2, [0, 1, 2], 0) // 1
 */
export function orient(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
  ints = false,
): number {
  if (ints) return orientInts(X, d, ids, off);
  if ((d === 2 || d === 3) && !safeForShewchuk(X, d, ids, off, d + 1, -1))
    return orientGeneric(X, d, ids, off);
  if (d === 2) {
    const a = 2 * (ids[off] as number);
    const b = 2 * (ids[off + 1] as number);
    const c = 2 * (ids[off + 2] as number);
    // robust-predicates' orient2d is positive for clockwise order: the opposite sign.
    const o = orient2d(
      X[a] as number,
      X[a + 1] as number,
      X[b] as number,
      X[b + 1] as number,
      X[c] as number,
      X[c + 1] as number,
    );
    return o < 0 ? 1 : o > 0 ? -1 : 0;
  }
  if (d === 3) {
    const a = 3 * (ids[off] as number);
    const b = 3 * (ids[off + 1] as number);
    const c = 3 * (ids[off + 2] as number);
    const e = 3 * (ids[off + 3] as number);
    const o = orient3d(
      X[a] as number,
      X[a + 1] as number,
      X[a + 2] as number,
      X[b] as number,
      X[b + 1] as number,
      X[b + 2] as number,
      X[c] as number,
      X[c + 1] as number,
      X[c + 2] as number,
      X[e] as number,
      X[e + 1] as number,
      X[e + 2] as number,
    );
    return o < 0 ? 1 : o > 0 ? -1 : 0;
  }
  if (d === 1) {
    const x0 = X[ids[off] as number] as number;
    const x1 = X[ids[off + 1] as number] as number;
    return x1 > x0 ? 1 : x1 < x0 ? -1 : 0;
  }
  return orientGeneric(X, d, ids, off);
}

/** {@link orient} on small integers ({@link integerExact}, d = 2 or 3): the plain determinant. */
function orientInts(X: Float64Array, d: number, ids: ArrayLike<number>, off: number): number {
  let o: number;
  if (d === 2) {
    const a = 2 * (ids[off] as number);
    const b = 2 * (ids[off + 1] as number);
    const c = 2 * (ids[off + 2] as number);
    const ax = X[a] as number;
    const ay = X[a + 1] as number;
    o =
      ((X[b] as number) - ax) * ((X[c + 1] as number) - ay) -
      ((X[b + 1] as number) - ay) * ((X[c] as number) - ax);
  } else {
    const a = 3 * (ids[off] as number);
    const ax = X[a] as number;
    const ay = X[a + 1] as number;
    const az = X[a + 2] as number;
    const b = 3 * (ids[off + 1] as number);
    const bx = (X[b] as number) - ax;
    const by = (X[b + 1] as number) - ay;
    const bz = (X[b + 2] as number) - az;
    const c = 3 * (ids[off + 2] as number);
    const cx = (X[c] as number) - ax;
    const cy = (X[c + 1] as number) - ay;
    const cz = (X[c + 2] as number) - az;
    const e = 3 * (ids[off + 3] as number);
    const ex = (X[e] as number) - ax;
    const ey = (X[e + 1] as number) - ay;
    const ez = (X[e + 2] as number) - az;
    o = bx * (cy * ez - cz * ey) - by * (cx * ez - cz * ex) + bz * (cx * ey - cy * ex);
  }
  return o > 0 ? 1 : o < 0 ? -1 : 0;
}

/** The orientation by the float filter and the exact fallback (any d). */
function orientGeneric(X: Float64Array, d: number, ids: ArrayLike<number>, off: number): number {
  const o0 = (ids[off] as number) * d;
  for (let r = 1; r <= d; r++) {
    const or = (ids[off + r] as number) * d;
    for (let j = 0; j < d; j++) A[(r - 1) * d + j] = (X[or + j] as number) - (X[o0 + j] as number);
  }
  // Points sharing a coordinate (a face of a box, say) make a zero column: exactly flat.
  // The differences are exact zeros exactly when the coordinates are equal.
  for (let j = 0; j < d; j++) {
    let zero = true;
    for (let r = 0; r < d && zero; r++) if (A[r * d + j] !== 0) zero = false;
    if (zero) return 0;
  }
  const s = filteredDetSign(d, U * (1 + U));
  if (s !== 2) return s;
  for (let r = 0; r <= d; r++) {
    const or = (ids[off + r] as number) * d;
    for (let j = 0; j < d; j++) G[r * d + j] = X[or + j] as number;
  }
  return exactOrient(d);
}

// (-1)^d: D = det[xᵢ − p, |xᵢ − p|²] has the sign of "p inside" times (-1)^d for a
// positively oriented simplex (checked for every d by the tests).
function liftedSign(d: number): number {
  return d % 2 === 0 ? 1 : -1;
}

/**
 * The unperturbed in-sphere test: 1 when point `p` lies strictly inside the circumsphere of
 * the positively oriented simplex `X[ids[off..off+d]]`, -1 strictly outside, 0 on it. `ints`
 * as for {@link orient}.
 * @example
 * inSphereExact(new Float64Array([0, 0, 1, 0, 0, 1, 0.2, 0.2]), 2, [0, 1, 2], 0, 3) // 1
 */
export function inSphereExact(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
  p: number,
  ints = false,
): number {
  if (!ints && (d === 2 || d === 3) && !safeForShewchuk(X, d, ids, off, d + 1, p))
    return inSphereGeneric(X, d, ids, off, p);
  if (d === 2) {
    if (ints) return inCircleInts(X, ids, off, p);
    const a = 2 * (ids[off] as number);
    const b = 2 * (ids[off + 1] as number);
    const c = 2 * (ids[off + 2] as number);
    const q = 2 * p;
    const v = incircle(
      X[a] as number,
      X[a + 1] as number,
      X[b] as number,
      X[b + 1] as number,
      X[c] as number,
      X[c + 1] as number,
      X[q] as number,
      X[q + 1] as number,
    );
    return v > 0 ? 1 : v < 0 ? -1 : 0;
  }
  if (d === 3) {
    return insphere3dSign(
      X,
      3 * (ids[off] as number),
      3 * (ids[off + 1] as number),
      3 * (ids[off + 2] as number),
      3 * (ids[off + 3] as number),
      3 * p,
      ints,
    );
  }
  if (d === 1) {
    const a = X[ids[off] as number] as number;
    const b = X[ids[off + 1] as number] as number;
    const x = X[p] as number;
    if (x === a || x === b) return 0;
    return (x > a && x < b) || (x > b && x < a) ? 1 : -1;
  }
  return inSphereGeneric(X, d, ids, off, p);
}

/** {@link inSphereExact} for d = 2 on small integers ({@link integerExact}): the plain determinant. */
function inCircleInts(X: Float64Array, ids: ArrayLike<number>, off: number, p: number): number {
  const a = 2 * (ids[off] as number);
  const b = 2 * (ids[off + 1] as number);
  const c = 2 * (ids[off + 2] as number);
  const px = X[2 * p] as number;
  const py = X[2 * p + 1] as number;
  const adx = (X[a] as number) - px;
  const ady = (X[a + 1] as number) - py;
  const bdx = (X[b] as number) - px;
  const bdy = (X[b + 1] as number) - py;
  const cdx = (X[c] as number) - px;
  const cdy = (X[c + 1] as number) - py;
  const det =
    (adx * adx + ady * ady) * (bdx * cdy - cdx * bdy) +
    (bdx * bdx + bdy * bdy) * (cdx * ady - adx * cdy) +
    (cdx * cdx + cdy * cdy) * (adx * bdy - bdx * ady);
  return det > 0 ? 1 : det < 0 ? -1 : 0;
}

/** robust-predicates' isperrboundA: Shewchuk's first error bound of insphere. */
const ISP_ERRBOUND_A = (16 + 224 * U) * U;

/**
 * inSphereExact for d = 3 (simplex X[a], X[b], X[c], X[e], point X[q]): robust-predicates'
 * insphere with its float filter inline (the same expressions and bound: the same sign);
 * only where the filter cannot decide is insphere called for its exact stages. The call
 * takes 15 doubles and V8 does not inline it: each of the 29 in-sphere tests a point of
 * LearnerND's 3-D loop allocated 15 heap numbers for its arguments, in optimised code too.
 */
function insphere3dSign(
  X: Float64Array,
  a: number,
  b: number,
  c: number,
  e: number,
  q: number,
  ints: boolean,
): number {
  const ex = X[q] as number;
  const ey = X[q + 1] as number;
  const ez = X[q + 2] as number;
  const aex = (X[a] as number) - ex;
  const bex = (X[b] as number) - ex;
  const cex = (X[c] as number) - ex;
  const dex = (X[e] as number) - ex;
  const aey = (X[a + 1] as number) - ey;
  const bey = (X[b + 1] as number) - ey;
  const cey = (X[c + 1] as number) - ey;
  const dey = (X[e + 1] as number) - ey;
  const aez = (X[a + 2] as number) - ez;
  const bez = (X[b + 2] as number) - ez;
  const cez = (X[c + 2] as number) - ez;
  const dez = (X[e + 2] as number) - ez;
  const aexbey = aex * bey;
  const bexaey = bex * aey;
  const ab = aexbey - bexaey;
  const bexcey = bex * cey;
  const cexbey = cex * bey;
  const bc = bexcey - cexbey;
  const cexdey = cex * dey;
  const dexcey = dex * cey;
  const cd = cexdey - dexcey;
  const dexaey = dex * aey;
  const aexdey = aex * dey;
  const da = dexaey - aexdey;
  const aexcey = aex * cey;
  const cexaey = cex * aey;
  const ac = aexcey - cexaey;
  const bexdey = bex * dey;
  const dexbey = dex * bey;
  const bd = bexdey - dexbey;
  const alift = aex * aex + aey * aey + aez * aez;
  const blift = bex * bex + bey * bey + bez * bez;
  const clift = cex * cex + cey * cey + cez * cez;
  const dlift = dex * dex + dey * dey + dez * dez;
  const det =
    clift * (dez * ab + aez * bd + bez * da) -
    dlift * (aez * bc - bez * ac + cez * ab) +
    (alift * (bez * cd - cez * bd + dez * bc) - blift * (cez * da + dez * ac + aez * cd));
  // Small integers: every step above was exact.
  if (ints) return det > 0 ? 1 : det < 0 ? -1 : 0;
  const aezplus = Math.abs(aez);
  const bezplus = Math.abs(bez);
  const cezplus = Math.abs(cez);
  const dezplus = Math.abs(dez);
  const aexbeyplus = Math.abs(aexbey) + Math.abs(bexaey);
  const bexceyplus = Math.abs(bexcey) + Math.abs(cexbey);
  const cexdeyplus = Math.abs(cexdey) + Math.abs(dexcey);
  const dexaeyplus = Math.abs(dexaey) + Math.abs(aexdey);
  const aexceyplus = Math.abs(aexcey) + Math.abs(cexaey);
  const bexdeyplus = Math.abs(bexdey) + Math.abs(dexbey);
  const permanent =
    (cexdeyplus * bezplus + bexdeyplus * cezplus + bexceyplus * dezplus) * alift +
    (dexaeyplus * cezplus + aexceyplus * dezplus + cexdeyplus * aezplus) * blift +
    (aexbeyplus * dezplus + bexdeyplus * aezplus + dexaeyplus * bezplus) * clift +
    (bexceyplus * aezplus + aexceyplus * bezplus + aexbeyplus * cezplus) * dlift;
  const errbound = ISP_ERRBOUND_A * permanent;
  if (det > errbound) return 1;
  if (-det > errbound) return -1;
  const v = insphere3d(
    X[a] as number,
    X[a + 1] as number,
    X[a + 2] as number,
    X[b] as number,
    X[b + 1] as number,
    X[b + 2] as number,
    X[c] as number,
    X[c + 1] as number,
    X[c + 2] as number,
    X[e] as number,
    X[e + 1] as number,
    X[e + 2] as number,
    ex,
    ey,
    ez,
  );
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** The unperturbed in-sphere test by the float filter and the exact fallback (d ≥ 2). */
function inSphereGeneric(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
  p: number,
): number {
  const n = d + 1;
  const po = p * d;
  for (let r = 0; r <= d; r++) {
    const or = (ids[off + r] as number) * d;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const v = (X[or + j] as number) - (X[po + j] as number);
      A[r * n + j] = v;
      sq += v * v;
    }
    A[r * n + d] = sq;
  }
  const s = filteredDetSign(n, (d + 4) * U);
  if (s !== 2) return s === 0 ? 0 : s * liftedSign(d);
  for (let r = 0; r <= d; r++) {
    const or = (ids[off + r] as number) * d;
    for (let j = 0; j < d; j++) G[r * d + j] = X[or + j] as number;
  }
  for (let j = 0; j < d; j++) G[(d + 1) * d + j] = X[po + j] as number;
  const e = exactLifted(d);
  return e === 0 ? 0 : e * liftedSign(d);
}

/**
 * The perturbed in-sphere test: 1 when `p` is inside the circumsphere of the positively
 * oriented simplex `X[ids[off..off+d]]`, -1 outside; never 0. A point on the sphere is
 * decided by the symbolic perturbation: among p and the vertices i whose replacement by p
 * leaves a non-flat simplex, the lexicographically smallest decides (p: outside; vertex i:
 * the side of p with respect to the face opposite i). The rule depends on the points only,
 * so every triangulation built with it is the same for the same point set. `ints` as for
 * {@link orient}.
 * @example
 * // the fourth corner of a square lies on the circumcircle of the other three
 * inSphere(new Float64Array([0, 0, 1, 0, 0, 1, 1, 1]), 2, [0, 1, 2], 0, 3) // -1 or 1, never 0
 */
export function inSphere(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
  p: number,
  ints = false,
): number {
  const s = inSphereExact(X, d, ids, off, p, ints);
  if (s !== 0) return s;
  predicateStats.perturbed++;
  // Sort the d + 2 points (vertex positions 0..d, and d + 1 for p) lexicographically.
  const m = d + 2;
  for (let i = 0; i < m; i++) {
    const vi = i <= d ? (ids[off + i] as number) : p;
    let j = i;
    while (j > 0) {
      const prev = ORD[j - 1] as number;
      const vp = prev <= d ? (ids[off + prev] as number) : p;
      if (lexCompare(X, d, vp, vi) <= 0) break;
      ORD[j] = prev;
      j--;
    }
    ORD[j] = i;
  }
  for (let t = 0; t < m; t++) {
    const i = ORD[t] as number;
    if (i === d + 1) return -1;
    for (let j = 0; j <= d; j++) REP[j] = ids[off + j] as number;
    REP[i] = p;
    const o = orient(X, d, REP, 0, ints);
    if (o !== 0) return o;
  }
  return -1;
}
