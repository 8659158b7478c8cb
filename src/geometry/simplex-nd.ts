/**
 * Simplex math in d dimensions: volume, volume in a higher-dimensional embedding,
 * circumsphere, barycentric containment, and python-adaptive's choice of a new point in a
 * simplex. Plain-array functions for users and tests, flat typed-array kernels for the
 * learner's hot path.
 */

import { MAX_DIM } from './predicates-nd.js';

const FACT: number[] = [1];
for (let i = 1; i <= 24; i++) FACT.push((FACT[i - 1] as number) * i);

/**
 * n! as a double (exact to 18!), Infinity beyond 24.
 * @example factorial(4) // 24
 */
export function factorial(n: number): number {
  return FACT[n] ?? Number.POSITIVE_INFINITY;
}

let M = new Float64Array(144);

function ensureM(n: number): Float64Array {
  if (M.length < n) M = new Float64Array(n);
  return M;
}

/**
 * Determinant of the n×n matrix in `A` (row-major, from `off`) by Gaussian elimination with
 * partial pivoting; destroys the matrix. O(n³).
 * @example detInPlace(new Float64Array([2, 0, 0, 3]), 2) // 6
 */
export function detInPlace(A: Float64Array, n: number, off = 0): number {
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(A[off + c * n + c] as number);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(A[off + r * n + c] as number);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0) return 0;
    if (p !== c) {
      for (let j = c; j < n; j++) {
        const t = A[off + c * n + j] as number;
        A[off + c * n + j] = A[off + p * n + j] as number;
        A[off + p * n + j] = t;
      }
      det = -det;
    }
    const piv = A[off + c * n + c] as number;
    det *= piv;
    for (let r = c + 1; r < n; r++) {
      const l = (A[off + r * n + c] as number) / piv;
      if (l === 0) continue;
      for (let j = c + 1; j < n; j++) {
        A[off + r * n + j] = (A[off + r * n + j] as number) - l * (A[off + c * n + j] as number);
      }
    }
  }
  return det;
}

/**
 * The volume of the simplex of k = m + 1 points `P` (row-major, `stride` numbers per point,
 * the first `m` of them the coordinates): |det[x₀ − x_m, …, x_{m−1} − x_m]| / m!, the
 * points' order as python-adaptive's `volume` (relative to the last vertex). O(m³).
 * @example volumeFlat(new Float64Array([0, 0, 1, 0, 0, 1]), 2) // 0.5
 */
export function volumeFlat(P: Float64Array, m: number, stride = m, off = 0): number {
  const last = off + m * stride;
  if (m === 3) {
    const x = P[last] as number;
    const y = P[last + 1] as number;
    const z = P[last + 2] as number;
    const a0 = (P[off] as number) - x;
    const a1 = (P[off + 1] as number) - y;
    const a2 = (P[off + 2] as number) - z;
    const b0 = (P[off + stride] as number) - x;
    const b1 = (P[off + stride + 1] as number) - y;
    const b2 = (P[off + stride + 2] as number) - z;
    const c0 = (P[off + 2 * stride] as number) - x;
    const c1 = (P[off + 2 * stride + 1] as number) - y;
    const c2 = (P[off + 2 * stride + 2] as number) - z;
    return (
      Math.abs(a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0)) / 6
    );
  }
  if (m === 2) {
    const x = P[last] as number;
    const y = P[last + 1] as number;
    const a0 = (P[off] as number) - x;
    const a1 = (P[off + 1] as number) - y;
    const b0 = (P[off + stride] as number) - x;
    const b1 = (P[off + stride + 1] as number) - y;
    return Math.abs(a0 * b1 - a1 * b0) / 2;
  }
  const A = ensureM(m * m);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < m; j++) {
      A[r * m + j] = (P[off + r * stride + j] as number) - (P[last + j] as number);
    }
  }
  return Math.abs(detInPlace(A, m)) / (FACT[m] as number);
}

/**
 * The m-volume of the simplex of m + 1 points of R^n (n ≥ m) in `P` (row-major, n per
 * point): √det(EᵀE)/m! with E the edge vectors from the last point (the Gram determinant:
 * the same quantity as python-adaptive's Cayley–Menger determinant, better conditioned).
 * For a triangle in 3-D and a tetrahedron in 4-D (the default loss of 2-D and 3-D scalar
 * functions) it is √Σ(m×m minors of E)² (Cauchy–Binet) in closed form, which also avoids
 * squaring the condition number. Rounding below zero gives 0. O(n·m²).
 * @example embeddedVolumeFlat(new Float64Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), 2, 3) // 0.5
 */
export function embeddedVolumeFlat(P: Float64Array, m: number, n: number, off = 0): number {
  if (m === 0) return 1;
  const last = off + m * n;
  if (n === m) return volumeFlat(P, m, n, off);
  const A = ensureM((m + 1) * (m + 1) + m * n);
  // E: m edges × n coordinates at A[base…]
  const base = (m + 1) * (m + 1);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++)
      A[base + r * n + j] = (P[off + r * n + j] as number) - (P[last + j] as number);
  }
  let v2: number;
  if (m === 2 && n === 3) {
    // |e₀ × e₁|²
    const a0 = A[base] as number;
    const a1 = A[base + 1] as number;
    const a2 = A[base + 2] as number;
    const b0 = A[base + 3] as number;
    const b1 = A[base + 4] as number;
    const b2 = A[base + 5] as number;
    const c0 = a1 * b2 - a2 * b1;
    const c1 = a2 * b0 - a0 * b2;
    const c2 = a0 * b1 - a1 * b0;
    v2 = c0 * c0 + c1 * c1 + c2 * c2;
  } else if (m === 3 && n === 4) {
    // The four 3×3 minors of the 3×4 edge matrix (a generalised cross product).
    const a0 = A[base] as number;
    const a1 = A[base + 1] as number;
    const a2 = A[base + 2] as number;
    const a3 = A[base + 3] as number;
    const b0 = A[base + 4] as number;
    const b1 = A[base + 5] as number;
    const b2 = A[base + 6] as number;
    const b3 = A[base + 7] as number;
    const c0 = A[base + 8] as number;
    const c1 = A[base + 9] as number;
    const c2 = A[base + 10] as number;
    const c3 = A[base + 11] as number;
    const m01 = b0 * c1 - b1 * c0;
    const m02 = b0 * c2 - b2 * c0;
    const m03 = b0 * c3 - b3 * c0;
    const m12 = b1 * c2 - b2 * c1;
    const m13 = b1 * c3 - b3 * c1;
    const m23 = b2 * c3 - b3 * c2;
    const d0 = a1 * m23 - a2 * m13 + a3 * m12; // without column 0
    const d1 = a0 * m23 - a2 * m03 + a3 * m02;
    const d2 = a0 * m13 - a1 * m03 + a3 * m01;
    const d3 = a0 * m12 - a1 * m02 + a2 * m01;
    v2 = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
  } else if (m === 1) {
    v2 = 0;
    for (let j = 0; j < n; j++) v2 += (A[base + j] as number) ** 2;
  } else {
    // The Gram determinant det(EᵀE): cheaper than the n minors above three dimensions.
    for (let r = 0; r < m; r++) {
      for (let c = r; c < m; c++) {
        let s = 0;
        for (let j = 0; j < n; j++)
          s += (A[base + r * n + j] as number) * (A[base + c * n + j] as number);
        A[r * m + c] = s;
        A[c * m + r] = s;
      }
    }
    v2 = detInPlace(A, m);
  }
  if (!(v2 > 0)) return Number.isNaN(v2) ? Number.NaN : 0;
  return Math.sqrt(v2) / (FACT[m] as number);
}

const GV = { vol: 0, graph: 0 };

/**
 * The volume of a d-simplex and of its graph under the linear interpolant of m values per
 * vertex, from one LU factorisation: `P` holds d + 1 rows of (x, y) with stride d + m.
 * With E the edges (relative to the last vertex) and G the interpolant's gradients
 * (E·G = ΔY), the graph's Gram determinant is det(E)²·det(I + GᵀG), so the graph volume is
 * vol·√det(I + GᵀG): the same quantity as {@link embeddedVolumeFlat}. O(d³ + d²m + m³).
 * Returns a shared object `{ vol, graph }`, overwritten by the next call.
 * @example graphVolumes(new Float64Array([0, 0, 0, 1, 0, 1, 0, 1, 0]), 2, 1) // { vol: 0.5, graph: 0.707… }
 */
export function graphVolumes(
  P: Float64Array,
  d: number,
  m: number,
): { vol: number; graph: number } {
  const n = d + m;
  const A = ensureM(d * d + d * m + m * m);
  const B = d * d; // right-hand sides: d rows × m
  const last = d * n;
  for (let r = 0; r < d; r++) {
    for (let j = 0; j < d; j++) A[r * d + j] = (P[r * n + j] as number) - (P[last + j] as number);
    for (let c = 0; c < m; c++)
      A[B + r * m + c] = (P[r * n + d + c] as number) - (P[last + d + c] as number);
  }
  let det = 1;
  for (let c = 0; c < d; c++) {
    const p = pivotRow(A, d, c);
    if (p < 0) {
      GV.vol = 0;
      GV.graph = 0;
      return GV;
    }
    if (p !== c) {
      for (let j = c; j < d; j++) {
        const t = A[c * d + j] as number;
        A[c * d + j] = A[p * d + j] as number;
        A[p * d + j] = t;
      }
      for (let q = 0; q < m; q++) {
        const t = A[B + c * m + q] as number;
        A[B + c * m + q] = A[B + p * m + q] as number;
        A[B + p * m + q] = t;
      }
      det = -det;
    }
    const piv = A[c * d + c] as number;
    det *= piv;
    for (let r = c + 1; r < d; r++) {
      const l = (A[r * d + c] as number) / piv;
      if (l === 0) continue;
      for (let j = c + 1; j < d; j++)
        A[r * d + j] = (A[r * d + j] as number) - l * (A[c * d + j] as number);
      for (let q = 0; q < m; q++)
        A[B + r * m + q] = (A[B + r * m + q] as number) - l * (A[B + c * m + q] as number);
    }
  }
  // Back substitution: the gradients G (d × m) in place of the right-hand sides.
  for (let r = d - 1; r >= 0; r--) {
    const piv = A[r * d + r] as number;
    for (let q = 0; q < m; q++) {
      let v = A[B + r * m + q] as number;
      for (let j = r + 1; j < d; j++) v -= (A[r * d + j] as number) * (A[B + j * m + q] as number);
      A[B + r * m + q] = v / piv;
    }
  }
  const vol = Math.abs(det) / (FACT[d] as number);
  let factor: number;
  if (m === 1) {
    let g2 = 0;
    for (let r = 0; r < d; r++) g2 += (A[B + r] as number) ** 2;
    factor = 1 + g2;
  } else {
    const C = B + d * m; // I + GᵀG (m × m)
    for (let a = 0; a < m; a++) {
      for (let b = a; b < m; b++) {
        let s = a === b ? 1 : 0;
        for (let r = 0; r < d; r++)
          s += (A[B + r * m + a] as number) * (A[B + r * m + b] as number);
        A[C + a * m + b] = s;
        A[C + b * m + a] = s;
      }
    }
    factor = detInPlace(A, m, C);
  }
  GV.vol = vol;
  GV.graph = vol * Math.sqrt(factor);
  return GV;
}

function flatten(
  points: readonly ArrayLike<number>[],
  what: string,
): { P: Float64Array; n: number } {
  if (!Array.isArray(points) || points.length === 0) {
    throw new TypeError(`${what}: expected a non-empty array of points`);
  }
  const n = (points[0] as ArrayLike<number>).length;
  const P = new Float64Array(points.length * n);
  points.forEach((p, i) => {
    if (p?.length !== n)
      throw new TypeError(`${what}: point ${i} has ${p?.length} coordinates, expected ${n}`);
    for (let j = 0; j < n; j++) P[i * n + j] = p[j] as number;
  });
  return { P, n };
}

/**
 * The volume of a d-simplex given by its d + 1 vertices: |det|/d!
 * (python-adaptive `learnerND.volume`). O(d³).
 * @example simplexVolume([[0, 0], [1, 0], [0, 1]]) // 0.5
 */
export function simplexVolume(vertices: readonly ArrayLike<number>[]): number {
  const { P, n } = flatten(vertices, 'simplexVolume');
  if (vertices.length !== n + 1) {
    throw new RangeError(
      `simplexVolume: a ${n}-simplex has ${n + 1} vertices, got ${vertices.length}`,
    );
  }
  return volumeFlat(P, n);
}

/**
 * The volume of a simplex in a higher-dimensional embedding: for example the area of a
 * triangle in 3-D (python-adaptive `triangulation.simplex_volume_in_embedding`, computed
 * with the Gram determinant). O(n·m²).
 * @example simplexVolumeInEmbedding([[0, 0, 0], [1, 0, 0], [0, 1, 0]]) // 0.5
 */
export function simplexVolumeInEmbedding(vertices: readonly ArrayLike<number>[]): number {
  const { P, n } = flatten(vertices, 'simplexVolumeInEmbedding');
  const m = vertices.length - 1;
  if (m > n) {
    throw new RangeError(
      `simplexVolumeInEmbedding: ${vertices.length} points cannot span a simplex in ${n} dimensions`,
    );
  }
  return embeddedVolumeFlat(P, m, n);
}

/** The row (c or below) of the largest |A[r][c]|, the first on a tie; -1 when all are 0 (or NaN). */
function pivotRow(A: Float64Array, d: number, c: number): number {
  let p = c;
  let best = Math.abs(A[c * d + c] as number);
  for (let r = c + 1; r < d; r++) {
    const v = Math.abs(A[r * d + c] as number);
    if (v > best) {
      best = v;
      p = r;
    }
  }
  return best > 0 ? p : -1;
}

/**
 * Solves the d×d system in `A` (row-major) for the right-hand side in `b` (overwritten with
 * the solution); false when singular. Partial pivoting. O(d³).
 * @example
 * const b = new Float64Array([2, 3]);
 * solveInPlace(new Float64Array([2, 0, 0, 1]), b, 2); // true, b = [1, 3]
 */
export function solveInPlace(A: Float64Array, b: Float64Array, d: number): boolean {
  for (let c = 0; c < d; c++) {
    const p = pivotRow(A, d, c);
    if (p < 0) return false;
    if (p !== c) {
      for (let j = c; j < d; j++) {
        const t = A[c * d + j] as number;
        A[c * d + j] = A[p * d + j] as number;
        A[p * d + j] = t;
      }
      const t = b[c] as number;
      b[c] = b[p] as number;
      b[p] = t;
    }
    const piv = A[c * d + c] as number;
    for (let r = c + 1; r < d; r++) {
      const l = (A[r * d + c] as number) / piv;
      if (l === 0) continue;
      for (let j = c + 1; j < d; j++)
        A[r * d + j] = (A[r * d + j] as number) - l * (A[c * d + j] as number);
      b[r] = (b[r] as number) - l * (b[c] as number);
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let v = b[r] as number;
    for (let j = r + 1; j < d; j++) v -= (A[r * d + j] as number) * (b[j] as number);
    b[r] = v / (A[r * d + r] as number);
  }
  return true;
}

const S1 = { A: new Float64Array(100), b: new Float64Array(10), c: new Float64Array(10) };

/**
 * {@link solveInPlace}'s elimination once for many right-hand sides: factors the d×d matrix
 * in `A` (row-major) in place, the multipliers below the diagonal and the row exchanges in
 * `perm`; false when singular. {@link luSolveInPlace} then gives, for any b, the very
 * doubles solveInPlace gives (the same operations in the same order). O(d³).
 * @example
 * const A = new Float64Array([2, 0, 0, 1]); const perm = new Int32Array(2);
 * luFactorInPlace(A, 2, perm); // true
 */
export function luFactorInPlace(A: Float64Array, d: number, perm: Int32Array): boolean {
  for (let c = 0; c < d; c++) {
    const p = pivotRow(A, d, c);
    if (p < 0) return false;
    perm[c] = p;
    if (p !== c) {
      // Whole rows: the multipliers stored so far travel with their rows.
      for (let j = 0; j < d; j++) {
        const t = A[c * d + j] as number;
        A[c * d + j] = A[p * d + j] as number;
        A[p * d + j] = t;
      }
    }
    const piv = A[c * d + c] as number;
    for (let r = c + 1; r < d; r++) {
      const l = (A[r * d + c] as number) / piv;
      A[r * d + c] = l;
      if (l === 0) continue;
      for (let j = c + 1; j < d; j++)
        A[r * d + j] = (A[r * d + j] as number) - l * (A[c * d + j] as number);
    }
  }
  return true;
}

/**
 * Solves with a factorization of {@link luFactorInPlace}: b (overwritten) becomes the
 * solution, bit for bit what {@link solveInPlace} gives on the unfactored matrix. All row
 * exchanges first, then the eliminations: a row's updates and their order are those of the
 * interleaved elimination. O(d²).
 * @example
 * const b = new Float64Array([2, 3]); luSolveInPlace(A, perm, b, 2); // b = [1, 3]
 */
export function luSolveInPlace(
  A: Float64Array,
  perm: Int32Array,
  b: Float64Array,
  d: number,
): void {
  for (let c = 0; c < d; c++) {
    const p = perm[c] as number;
    if (p !== c) {
      const t = b[c] as number;
      b[c] = b[p] as number;
      b[p] = t;
    }
  }
  for (let c = 0; c < d; c++) {
    const bc = b[c] as number;
    for (let r = c + 1; r < d; r++) {
      const l = A[r * d + c] as number;
      if (l === 0) continue;
      b[r] = (b[r] as number) - l * bc;
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let v = b[r] as number;
    for (let j = r + 1; j < d; j++) v -= (A[r * d + j] as number) * (b[j] as number);
    b[r] = v / (A[r * d + r] as number);
  }
}

function scratch(d: number): typeof S1 {
  if (S1.A.length < d * d) {
    S1.A = new Float64Array(d * d);
    S1.b = new Float64Array(d);
    S1.c = new Float64Array(d);
  }
  return S1;
}

/**
 * Writes the circumcentre of the d-simplex `P` (d + 1 rows of d) to `out`; false when the
 * simplex is flat. Solves 2(xᵢ − x₀)·c' = |xᵢ − x₀|², c = x₀ + c'. O(d³).
 * @example
 * const c = new Float64Array(2);
 * circumcenterFlat(new Float64Array([0, 0, 2, 0, 0, 2]), 2, c); // true, c = [1, 1]
 */
export function circumcenterFlat(P: Float64Array, d: number, out: Float64Array): boolean {
  const { A, b } = scratch(d);
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const e = (P[(r + 1) * d + j] as number) - (P[j] as number);
      A[r * d + j] = 2 * e;
      s += e * e;
    }
    b[r] = s;
  }
  if (!solveInPlace(A, b, d)) return false;
  for (let j = 0; j < d; j++) out[j] = (P[j] as number) + (b[j] as number);
  return true;
}

/**
 * Whether `x` lies in the simplex `P` (d + 1 rows of d) up to a barycentric tolerance:
 * python-adaptive's `point_in_simplex` (all λ > −eps and Σλ < 1 + eps). O(d³).
 * @example pointInSimplexFlat(new Float64Array([0.2, 0.2]), new Float64Array([0, 0, 1, 0, 0, 1]), 2) // true
 */
export function pointInSimplexFlat(
  x: Float64Array,
  P: Float64Array,
  d: number,
  eps = 1e-8,
): boolean {
  const { A, b } = scratch(d);
  // Columns xᵢ − x₀: A[r][c] = x_{c+1}[r] − x₀[r].
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) A[r * d + c] = (P[(c + 1) * d + r] as number) - (P[r] as number);
    b[r] = (x[r] as number) - (P[r] as number);
  }
  if (!solveInPlace(A, b, d)) return false;
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const a = b[i] as number;
    if (!(a > -eps)) return false;
    sum += a;
  }
  return sum < 1 + eps;
}

/**
 * python-adaptive's `choose_point_in_simplex` on the simplex `P` (d + 1 rows of d, already
 * scaled): 'centroid' when the circumcentre lies in the simplex (tolerance 1e-8), else the
 * longest edge, written as its two vertex positions to `edge` (the first longest pair in
 * row order). O(d³).
 * @example
 * const edge = new Int32Array(2);
 * choosePointKind(new Float64Array([0, 0, 4, 0, 0, 1]), 2, edge); // 'centroid' (right angle)
 */
export function choosePointKind(P: Float64Array, d: number, edge: Int32Array): 'centroid' | 'edge' {
  const { c } = scratch(d);
  if (circumcenterFlat(P, d, c) && pointInSimplexFlat(c, P, d)) return 'centroid';
  let best = -1;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j <= d; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const e = (P[i * d + q] as number) - (P[j * d + q] as number);
        s += e * e;
      }
      if (s > best) {
        best = s;
        edge[0] = i;
        edge[1] = j;
      }
    }
  }
  return 'edge';
}

/**
 * The circumsphere of a d-simplex: centre and radius (python-adaptive
 * `triangulation.circumsphere`). O(d³).
 * @throws RangeError when the simplex is flat.
 * @example circumsphere([[0, 0], [2, 0], [0, 2]]) // { center: [1, 1], radius: 1.414… }
 */
export function circumsphere(vertices: readonly ArrayLike<number>[]): {
  center: number[];
  radius: number;
} {
  const { P, n } = flatten(vertices, 'circumsphere');
  if (vertices.length !== n + 1) {
    throw new RangeError(
      `circumsphere: a ${n}-simplex has ${n + 1} vertices, got ${vertices.length}`,
    );
  }
  const out = new Float64Array(n);
  if (!circumcenterFlat(P, n, out)) throw new RangeError('circumsphere: the simplex is flat');
  let r2 = 0;
  for (let j = 0; j < n; j++) r2 += ((out[j] as number) - (P[j] as number)) ** 2;
  return { center: Array.from(out), radius: Math.sqrt(r2) };
}

/**
 * Where python-adaptive's LearnerND samples a simplex: the centroid when the circumcentre
 * lies inside it, else the midpoint of its longest edge (`choose_point_in_simplex`). O(d³).
 * @example choosePointInSimplex([[0, 0], [1, 0], [0, 1]]) // [1/3, 1/3] (right angle: centre on the edge)
 */
export function choosePointInSimplex(vertices: readonly ArrayLike<number>[]): number[] {
  const { P, n } = flatten(vertices, 'choosePointInSimplex');
  if (vertices.length !== n + 1) {
    throw new RangeError(
      `choosePointInSimplex: a ${n}-simplex has ${n + 1} vertices, got ${vertices.length}`,
    );
  }
  const edge = new Int32Array(2);
  if (choosePointKind(P, n, edge) === 'centroid') {
    const out = new Array<number>(n).fill(0);
    for (let i = 0; i <= n; i++)
      for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (P[i * n + j] as number);
    return out.map((v) => v / (n + 1));
  }
  const a = edge[0] as number;
  const b = edge[1] as number;
  return Array.from(
    { length: n },
    (_, j) => ((P[a * n + j] as number) + (P[b * n + j] as number)) / 2,
  );
}

// ------------------------------------------------------------------ flat kernels of the triangulations

/** Scratch of signedDet, signedVolume, simplexVolumeOf, barycentricOf: d rows of d + 1. */
const SCR = new Float64Array((MAX_DIM + 1) * (MAX_DIM + 1));

/**
 * det[x₁ − x₀, …, x_d − x₀] of the k = d + 1 points in `P` (row-major, d each; not
 * destroyed), d ≤ MAX_DIM. O(d³).
 * @example signedDet(new Float64Array([0, 0, 1, 0, 0, 1]), 2) // 1
 */
export function signedDet(P: Float64Array, d: number): number {
  for (let r = 1; r <= d; r++)
    for (let j = 0; j < d; j++) SCR[(r - 1) * d + j] = (P[r * d + j] as number) - (P[j] as number);
  return detInPlace(SCR, d);
}

/**
 * The signed volume det[x₁ − x₀, …]/d! of the k = d + 1 points in `pts` (row-major). O(d³).
 * @example signedVolume(new Float64Array([0, 0, 0, 1, 1, 0]), 2) // -0.5
 */
export function signedVolume(pts: Float64Array, d: number): number {
  return signedDet(pts, d) / (FACT[d] as number);
}

/**
 * |det|/d! of the simplex whose vertex ids are `ids[off…off + d]`, coordinates in `X`
 * (d per vertex). O(d³).
 * @example simplexVolumeOf(new Float64Array([0, 0, 1, 0, 0, 1]), 2, [0, 1, 2], 0) // 0.5
 */
export function simplexVolumeOf(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
): number {
  const o0 = (ids[off] as number) * d;
  for (let r = 1; r <= d; r++) {
    const or = (ids[off + r] as number) * d;
    for (let j = 0; j < d; j++)
      SCR[(r - 1) * d + j] = (X[or + j] as number) - (X[o0 + j] as number);
  }
  return Math.abs(detInPlace(SCR, d)) / (FACT[d] as number);
}

/**
 * Writes the barycentric coordinates of `point` in the simplex `ids[off…off + d]` of `X`
 * to `out` (d + 1 entries, Σ = 1 up to rounding); non-finite for a flat simplex. O(d³).
 * @example
 * const out = new Float64Array(3);
 * barycentricOf(new Float64Array([0, 0, 1, 0, 0, 1]), 2, [0, 1, 2], 0, [0.25, 0.25], out); // [0.5, 0.25, 0.25]
 */
export function barycentricOf(
  X: Float64Array,
  d: number,
  ids: ArrayLike<number>,
  off: number,
  point: ArrayLike<number>,
  out: Float64Array,
): void {
  // Solve [x₁ − x₀ … x_d − x₀] λ = p − x₀ (columns), λ₀ = 1 − Σλ.
  const o0 = (ids[off] as number) * d;
  const n = d;
  const w = n + 1;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const oc = (ids[off + c + 1] as number) * d;
      SCR[r * w + c] = (X[oc + r] as number) - (X[o0 + r] as number);
    }
    SCR[r * w + n] = (point[r] as number) - (X[o0 + r] as number);
  }
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(SCR[c * w + c] as number);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(SCR[r * w + c] as number);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (p !== c) {
      for (let j = c; j <= n; j++) {
        const t = SCR[c * w + j] as number;
        SCR[c * w + j] = SCR[p * w + j] as number;
        SCR[p * w + j] = t;
      }
    }
    const piv = SCR[c * w + c] as number;
    for (let r = c + 1; r < n; r++) {
      const l = (SCR[r * w + c] as number) / piv;
      if (l === 0) continue;
      for (let j = c + 1; j <= n; j++)
        SCR[r * w + j] = (SCR[r * w + j] as number) - l * (SCR[c * w + j] as number);
    }
  }
  let sum = 0;
  for (let r = n - 1; r >= 0; r--) {
    let v = SCR[r * w + n] as number;
    for (let j = r + 1; j < n; j++) v -= (SCR[r * w + j] as number) * (out[j + 1] as number);
    v /= SCR[r * w + r] as number;
    out[r + 1] = v;
    sum += v;
  }
  out[0] = 1 - sum;
}
