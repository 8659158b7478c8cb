/**
 * Lattice domains (python-adaptive #72) shared by Learner1D (`integer: true`), Learner2D
 * (`integer: [bool, bool]`) and LearnerND (`integer: boolean[]`): the bounds check of an
 * integer dimension, the lattice's size, and the point a simplex offers.
 *
 * The rule: choose as for the continuum, then take the nearest free lattice point of the
 * (closed) simplex, in the learner's scaled coordinates. A point is on the lattice when its
 * coordinates in the integer dimensions are integers; the continuous ones stay free. Every
 * known point lies on the lattice and, in a triangulation of the known points, every known
 * point of a closed simplex is one of its vertices: so a lattice point of the simplex that
 * is not a vertex is free, and a simplex none of whose lattice points is free has loss 0.
 */
import {
  luFactorInPlace,
  luSolveInPlace,
  solveInPlace,
  volumeFlat,
} from '../geometry/simplex-nd.js';
import { describe } from './validate.js';

/**
 * Checks the bounds [a, b] of an integer dimension: safe integers (every integer between
 * them is a double), a < b already checked. Bounds are not rounded inward: a learner keeps
 * the bounds it was given (`bounds`, snapshots, plots). `head` starts each message
 * (`Learner1D: integer: true`), `what` names the bounds (`bounds`, `x bounds`).
 * @throws RangeError naming the integers inside, or saying there are none.
 * @example checkIntegerBounds('Learner2D: integer[0] is true', 'x bounds', 1, 64); // ok
 */
export function checkIntegerBounds(head: string, what: string, a: number, b: number): void {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return;
  const lo = Math.ceil(a);
  const hi = Math.floor(b);
  if (!(lo <= hi)) {
    throw new RangeError(
      `${head}, but no integer lies in the ${what} [${a}, ${b}]: the lattice would be empty`,
    );
  }
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new RangeError(
      `${head}, so the ${what} must lie within ±${Number.MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER), got [${a}, ${b}]`,
    );
  }
  throw new RangeError(
    `${head}, so the ${what} must be integers, got [${a}, ${b}]; the integers in them are [${lo}, ${hi}]`,
  );
}

/**
 * Checks an `integer` option of a learner of dimension d: undefined (no lattice), or an array
 * of d booleans. Returns the flags as 0/1 bytes, or null when no flag is set.
 * @throws TypeError naming the option.
 * @example parseIntegerFlags('Learner2D', [true, false], 2); // Uint8Array [1, 0]
 */
export function parseIntegerFlags(learner: string, integer: unknown, d: number): Uint8Array | null {
  if (integer === undefined) return null;
  if (
    !Array.isArray(integer) ||
    integer.length !== d ||
    !integer.every((f) => typeof f === 'boolean')
  ) {
    throw new TypeError(
      `${learner}: integer must be an array of ${d} booleans (one per dimension, true for an integer one), got ${describe(integer)}`,
    );
  }
  if (!integer.includes(true)) return null;
  return Uint8Array.from(integer, (f) => (f ? 1 : 0));
}

/** The `integer` option of flags (for snapshots, new()): d booleans, or undefined. */
export function integerOption(flags: Uint8Array | null): boolean[] | undefined {
  return flags === null ? undefined : Array.from(flags, (b) => b === 1);
}

/**
 * Refuses (through `bad`, the snapshot reader's error) a snapshot's `integer` entry that is
 * not this learner's (flags, dimension d): a continuum snapshot has none.
 */
export function checkSnapshotInteger(
  flags: Uint8Array | null,
  d: number,
  integer: unknown,
  bad: (msg: string) => never,
): void {
  const mine = integerOption(flags);
  const same =
    mine === undefined
      ? integer === undefined
      : Array.isArray(integer) &&
        integer.length === mine.length &&
        mine.every((f, j) => integer[j] === f);
  if (!same) {
    const none = new Array(d).fill(false);
    bad(
      `the snapshot was taken with integer: ${describe(integer ?? none)}, this learner has integer: ${describe(mine ?? none)}`,
    );
  }
}

/**
 * The number of lattice points in a box: the product of the integer widths + 1, or +Infinity
 * when a dimension is continuous. O(d).
 * @example latticeSize([0, 0], [3, 4], Uint8Array.of(1, 1)); // 20
 */
export function latticeSize(
  lo: ArrayLike<number>,
  hi: ArrayLike<number>,
  integer: ArrayLike<number>,
): number {
  let n = 1;
  for (let j = 0; j < integer.length; j++) {
    if (integer[j] === 0) return Number.POSITIVE_INFINITY;
    n *= (hi[j] as number) - (lo[j] as number) + 1;
  }
  return n;
}

/** Whether x is on the lattice: an integer in every integer dimension. O(d). */
export function onLattice(x: ArrayLike<number>, integer: ArrayLike<number>): boolean {
  for (let j = 0; j < integer.length; j++) {
    if (integer[j] !== 0 && !Number.isInteger(x[j])) return false;
  }
  return true;
}

/** The most lattice sites (integer coordinates) one simplex's search visits. */
export const SEARCH_LIMIT = 1 << 14;
/**
 * Barycentric coordinates (of the scaled simplex) down to −EPS count as inside: a lattice
 * point on a face is there up to rounding.
 */
const EPS = 1e-9;
/** The scale of the current search (1 / the width of each dimension). */
let sc: ArrayLike<number> = [];

// Scratch of the search (module level: no allocation in ask).
let W = new Float64Array(12); // the simplex in scaled coordinates, from its vertex 0
let xs = new Float64Array(4);
let lam = new Float64Array(5);
let q = new Float64Array(4);
let acc = new Float64Array(4);
let sub = new Float64Array(25);
let comb = new Int32Array(5); // faceCentroids' faces
let combS = new Int32Array(5); // sliceCentroid's faces (it runs within faceCentroids' loop)
let boxLo = new Float64Array(4);
let boxHi = new Float64Array(4);
let LU = new Float64Array(9); // W's system, factored (factorW)
let PERM = new Int32Array(3);
let luOk = false;
/** The integer flags of the current search. */
let flags: ArrayLike<number> = [];
/** Whether the last search gave up (a box of more than SEARCH_LIMIT sites, d ≥ 3). */
let gaveUp = false;

/** The dimension the scratch is sized for. */
let cap = 3;

function reserve(d: number): void {
  if (d <= cap) return;
  cap = d;
  W = new Float64Array((d + 1) * d);
  xs = new Float64Array(d);
  lam = new Float64Array(d + 1);
  q = new Float64Array(d);
  acc = new Float64Array(d);
  sub = new Float64Array((d + 1) * (d + 1));
  comb = new Int32Array(d + 1);
  combS = new Int32Array(d + 1);
  boxLo = new Float64Array(d);
  boxHi = new Float64Array(d);
  LU = new Float64Array(d * d);
  PERM = new Int32Array(d);
}

/** The least and greatest coordinate j of the d + 1 vertices of V, set by `span`. */
let spanLo = 0;
let spanHi = 0;

function span(V: ArrayLike<number>, d: number, j: number): void {
  let mn = Number.POSITIVE_INFINITY;
  let mx = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= d; i++) {
    const c = V[i * d + j] as number;
    if (c < mn) mn = c;
    if (c > mx) mx = c;
  }
  spanLo = mn;
  spanHi = mx;
}

/**
 * Whether x is in the closed simplex V, judged in scaled coordinates (tolerance EPS):
 * `pointInSimplexFlat(xs, W, d, EPS)`, bit for bit, with W's system factored once per
 * search (a search tests up to thousands of sites of one simplex).
 */
function inside(V: ArrayLike<number>, d: number, x: ArrayLike<number>): boolean {
  if (!luOk) return false; // a flat simplex: pointInSimplexFlat's solve fails too
  for (let j = 0; j < d; j++) xs[j] = ((x[j] as number) - (V[j] as number)) * (sc[j] as number);
  luSolveInPlace(LU, PERM, xs, d);
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const a = xs[i] as number;
    if (!(a > -EPS)) return false;
    sum += a;
  }
  return sum < 1 + EPS;
}

/**
 * Factors the current search's W for {@link inside}: the matrix pointInSimplexFlat solves,
 * columns W_{c+1} − W_0 (W_0 is zero).
 */
function factorW(d: number): void {
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) LU[r * d + c] = (W[(c + 1) * d + r] as number) - (W[r] as number);
  luOk = luFactorInPlace(LU, d, PERM);
}

/**
 * With continuous dimensions: whether x (integer coordinates those of q) is in the closed
 * simplex V (tolerance EPS, as `inside`) and not one of its vertices up to rounding: no
 * vertex with x's integer coordinates lies within EPS of the simplex's scaled size from it.
 * A point a few ulps from a vertex is that vertex: asked, it would be a second point where
 * the scaled coordinates (and the triangulation) cannot tell them apart. O(d³).
 */
function insideApart(V: ArrayLike<number>, d: number, x: ArrayLike<number>): boolean {
  if (!inside(V, d, x)) return false;
  // The square of the scaled box's diagonal, times EPS².
  let size = 0;
  for (let j = 0; j < d; j++) {
    span(V, d, j);
    const w = (spanHi - spanLo) * (sc[j] as number);
    size += w * w;
  }
  const tol = EPS * EPS * size;
  for (let i = 0; i <= d; i++) {
    if (!sameSite(V, d, i, x)) continue;
    let e = 0;
    for (let j = 0; j < d; j++) {
      const w = ((x[j] as number) - (V[i * d + j] as number)) * (sc[j] as number);
      e += w * w;
    }
    if (e <= tol) return false;
  }
  return true;
}

/** Whether vertex i of V has the integer coordinates of x (the flags of the search). */
function sameSite(V: ArrayLike<number>, d: number, i: number, x: ArrayLike<number>): boolean {
  for (let j = 0; j < d; j++) if (flags[j] !== 0 && V[i * d + j] !== x[j]) return false;
  return true;
}

/** Whether x equals one of the k vertices of V. */
function isVertex(V: ArrayLike<number>, d: number, x: ArrayLike<number>): boolean {
  for (let i = 0; i <= d; i++) {
    let same = true;
    for (let j = 0; j < d && same; j++) same = V[i * d + j] === x[j];
    if (same) return true;
  }
  return false;
}

/**
 * The slice of the simplex at integer coordinates z (q's integer dimensions; m of them, with
 * continuous ones left): the centroid of the points where its m-faces meet the slice, into
 * q's continuous dimensions. False when the slice is empty. O(C(d+1, m+1)·m³).
 */
function sliceCentroid(
  V: ArrayLike<number>,
  d: number,
  integer: ArrayLike<number>,
  m: number,
): boolean {
  const k = d + 1;
  const r = m + 1; // vertices of a face that meets the m constraints in a point
  for (let i = 0; i < r; i++) combS[i] = i;
  let found = 0;
  let seen = 0; // the vertices met, as bits (k ≤ 11)
  acc.fill(0, 0, d);
  for (;;) {
    // Rows: the integer dimensions, then Σλ = 1; columns: the face's vertices.
    let row = 0;
    for (let j = 0; j < d; j++) {
      if (integer[j] === 0) continue;
      const s = sc[j] as number;
      const o = V[j] as number;
      for (let c = 0; c < r; c++)
        sub[row * r + c] = ((V[(combS[c] as number) * d + j] as number) - o) * s;
      lam[row] = ((q[j] as number) - o) * s;
      row++;
    }
    for (let c = 0; c < r; c++) sub[m * r + c] = 1;
    lam[m] = 1;
    if (solveInPlace(sub, lam, r)) {
      let ok = true;
      for (let c = 0; c < r && ok; c++) ok = (lam[c] as number) >= -EPS;
      // A face point at one of its vertices (λ of 1 up to EPS, the slice's integer
      // coordinates) is that vertex, exactly, and counted once: a slice that is only a vertex
      // then gives the vertex itself (no free point), not a point a few ulps from it.
      let at = -1;
      for (let c = 0; c < r && ok && at < 0; c++) {
        const v = combS[c] as number;
        if ((lam[c] as number) >= 1 - EPS && sameSite(V, d, v, q)) at = v;
      }
      if (ok && at >= 0) {
        if ((seen & (1 << at)) === 0) {
          seen |= 1 << at;
          found++;
          for (let j = 0; j < d; j++) {
            if (integer[j] === 0) acc[j] = (acc[j] as number) + (V[at * d + j] as number);
          }
        }
      } else if (ok) {
        found++;
        for (let j = 0; j < d; j++) {
          if (integer[j] !== 0) continue;
          let s = 0;
          for (let c = 0; c < r; c++)
            s += Math.max(0, lam[c] as number) * (V[(combS[c] as number) * d + j] as number);
          acc[j] = (acc[j] as number) + s;
        }
      }
    }
    // Next combination of r of the k vertices.
    let i = r - 1;
    while (i >= 0 && (combS[i] as number) === k - r + i) i--;
    if (i < 0) break;
    combS[i] = (combS[i] as number) + 1;
    for (let j = i + 1; j < r; j++) combS[j] = (combS[j - 1] as number) + 1;
  }
  if (found === 0) return false;
  for (let j = 0; j < d; j++) {
    if (integer[j] !== 0) continue;
    span(V, d, j);
    q[j] = Math.min(Math.max((acc[j] as number) / found, spanLo), spanHi);
  }
  return true;
}

/**
 * The candidate at integer coordinates z (already in q): with continuous dimensions, p's
 * continuous coordinates if that point is in the simplex, else the slice's centroid; false
 * when the slice is empty or the candidate is a vertex.
 */
function candidateAt(
  V: ArrayLike<number>,
  d: number,
  integer: ArrayLike<number>,
  m: number,
  p: ArrayLike<number>,
): boolean {
  if (m < d) {
    for (let j = 0; j < d; j++) if (integer[j] === 0) q[j] = p[j] as number;
    if (!insideApart(V, d, q) && !sliceCentroid(V, d, integer, m)) return false;
  } else if (!inside(V, d, q)) return false;
  return !isVertex(V, d, q);
}

/**
 * The lattice point of the closed simplex V (d + 1 rows of d coordinates, as told) nearest
 * to p that is not a vertex, distances in the scaled coordinates (`scale[j]` = 1 / the width
 * of dimension j): p with its integer coordinates rounded when that point is in the simplex;
 * else, in 2-D, the nearest point of each integer line (an exact walk over the lines); in
 * more dimensions, the nearest integer site of the simplex's bounding box whose slice holds a
 * point (with continuous dimensions: p's continuous coordinates when inside, else the slice's
 * centroid), or, when the box has more than SEARCH_LIMIT sites, the rounded centroids of the
 * simplex's faces. Writes the point to `out`; false when there is none (or the simplex is
 * degenerate). O(d³) when the rounded point is free, else O(lines) in 2-D and
 * O(sites · d²) (plus the slices' faces with continuous dimensions) beyond.
 * @example
 * // The triangle (0,0), (2,0), (0,2): its centroid (2/3, 2/3) rounds to (1, 1), on an edge.
 * latticePoint(Float64Array.of(0, 0, 2, 0, 0, 2), 2, Uint8Array.of(1, 1),
 *   Float64Array.of(2 / 3, 2 / 3), Float64Array.of(1, 1), out); // true, out = [1, 1]
 */
export function latticePoint(
  V: ArrayLike<number>,
  d: number,
  integer: ArrayLike<number>,
  p: ArrayLike<number>,
  scale: ArrayLike<number>,
  out: Float64Array,
): boolean {
  reserve(d);
  sc = scale;
  flags = integer;
  gaveUp = false;
  if (d === 2) return latticePoint2(V, integer, p, scale, out);
  // The integer sites of the simplex's bounding box, and the rounded choice clamped into it.
  let m = 0;
  let count = 1;
  let cell = true; // integer vertices within one unit cell of the lattice
  for (let j = 0; j < d; j++) {
    if (integer[j] === 0) continue;
    m++;
    span(V, d, j);
    const lo = Math.ceil(spanLo);
    const hi = Math.floor(spanHi);
    if (lo > hi) return false;
    count *= hi - lo + 1;
    q[j] = Math.min(Math.max(Math.round(p[j] as number), lo), hi);
    boxLo[j] = lo;
    boxHi[j] = hi;
    cell = cell && lo === spanLo && hi === spanHi && hi - lo <= 1;
  }
  // Every dimension integer and the vertices lattice points of one unit cell: each site of the
  // box is a corner of the cell, an extreme point, in the simplex only if it is a vertex. Most
  // simplices of a filled lattice are such (15 058 of 16 821 searches on [0, 19]³ scanned 8
  // sites for nothing), and a search costs a factorization and a solve a site.
  if (cell && m === d) return false;
  // The simplex in scaled coordinates, from vertex 0 (well conditioned for the learner's
  // triangles however long the box's sides); a flat one has no inside.
  for (let i = 0; i <= d; i++) {
    for (let j = 0; j < d; j++) {
      W[i * d + j] = ((V[i * d + j] as number) - (V[j] as number)) * (scale[j] as number);
    }
  }
  if (volumeFlat(W, d) === 0) return false;
  factorW(d);
  if (candidateAt(V, d, integer, m, p)) {
    for (let j = 0; j < d; j++) out[j] = q[j] as number;
    return true;
  }
  if (count > SEARCH_LIMIT) {
    if (faceCentroids(V, d, integer, m, p, out)) return true;
    gaveUp = true;
    return false;
  }
  // Every site of the box: the nearest to p whose candidate holds (ties: the first in the
  // odometer's order, so the result depends on the simplex and p only). One pass, no sort:
  // a site is tested only when it is nearer than the best so far.
  const lo = boxLo;
  const hi = boxHi;
  let best = Number.POSITIVE_INFINITY;
  for (let j = 0; j < d; j++) if (integer[j] !== 0) q[j] = lo[j] as number;
  for (let s = 0; s < count; s++) {
    let e = 0;
    for (let j = 0; j < d; j++) {
      if (integer[j] !== 0) {
        const t = ((q[j] as number) - (p[j] as number)) * (scale[j] as number);
        e += t * t;
      }
    }
    if (e < best && candidateAt(V, d, integer, m, p)) {
      best = e;
      for (let j = 0; j < d; j++) out[j] = q[j] as number;
    }
    // Odometer step over the integer dimensions.
    for (let j = 0; j < d; j++) {
      if (integer[j] === 0) continue;
      if ((q[j] as number) < (hi[j] as number)) {
        q[j] = (q[j] as number) + 1;
        break;
      }
      q[j] = lo[j] as number;
    }
  }
  return best !== Number.POSITIVE_INFINITY;
}

/**
 * Whether the last {@link latticePoint} that found nothing gave up rather than searched every
 * site (d ≥ 3 and more than SEARCH_LIMIT sites in the simplex's box): the simplex may still
 * hold a free point, so it must not be taken as empty.
 */
export function latticeSearchGaveUp(): boolean {
  return gaveUp;
}

/** The integer lines walkLines has visited (all searches): a cost measure for tests. */
let linesWalked = 0;

/**
 * The number of integer lines the 2-D searches have walked so far (cumulative): lets tests
 * bound a search's cost without timing it.
 * @internal
 */
export function latticeLinesWalked(): number {
  return linesWalked;
}

/**
 * A simplex whose box is too large to search site by site (d ≥ 3): the rounded centroids
 * of its faces (edges first), the first that is in it and not a vertex.
 */
function faceCentroids(
  V: ArrayLike<number>,
  d: number,
  integer: ArrayLike<number>,
  m: number,
  p: ArrayLike<number>,
  out: Float64Array,
): boolean {
  const k = d + 1;
  for (let r = 2; r <= k; r++) {
    for (let i = 0; i < r; i++) comb[i] = i;
    for (;;) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let c = 0; c < r; c++) s += V[(comb[c] as number) * d + j] as number;
        q[j] = integer[j] !== 0 ? Math.round(s / r) : s / r;
      }
      if (candidateAt(V, d, integer, m, p)) {
        for (let j = 0; j < d; j++) out[j] = q[j] as number;
        return true;
      }
      let i = r - 1;
      while (i >= 0 && (comb[i] as number) === k - r + i) i--;
      if (i < 0) break;
      comb[i] = (comb[i] as number) + 1;
      for (let j = i + 1; j < r; j++) comb[j] = (comb[j - 1] as number) + 1;
    }
  }
  return false;
}

/**
 * 2-D: the nearest free lattice point of triangle V, walking the integer lines (x = c, or
 * y = c when only y is integer or y has fewer lines in V's box) outward from p's; on each,
 * the triangle's segment, computed from the edges (exact at integer coordinates: the
 * quotient of exact integers rounds to an integer only when it is one), and its point
 * nearest to p that is not a vertex (the segment's middle when p's nearest is one, with a
 * continuous other dimension). O(lines): with both integer, at most the fewer of V's box.
 */
function walkLines(
  V: ArrayLike<number>,
  integer: ArrayLike<number>,
  p: ArrayLike<number>,
  scale: ArrayLike<number>,
  out: Float64Array,
): boolean {
  // The dimension of the lines: the integer one, or with both integer the one with fewer
  // lines in the triangle's box. The walk stops at lines farther (in scaled units) than the
  // best point found, which on the other dimension's lines can be most of the box: a
  // triangle 10⁸ wide on a lattice 10⁹ × 2 walked 10⁸ lines x = c (seconds an ask) to find
  // (c, 1) half a row (a quarter of the scaled height) from the chosen point.
  const u =
    integer[0] === 0 ||
    (integer[1] !== 0 &&
      (boxHi[1] as number) - (boxLo[1] as number) < (boxHi[0] as number) - (boxLo[0] as number))
      ? 1
      : 0;
  const w = 1 - u;
  const wInt = integer[w] !== 0;
  const su = scale[u] as number;
  const sw = scale[w] as number;
  const pu = p[u] as number;
  const pw = p[w] as number;
  const lo = boxLo[u] as number;
  const hi = boxHi[u] as number;
  const c0 = Math.min(Math.max(Math.round(pu), lo), hi);
  let best = Number.POSITIVE_INFINITY;
  let bu = 0;
  let bw = 0;
  // Lines c0, c0 + 1, c0 − 1, c0 + 2, … within [lo, hi], until they are all farther than the
  // best point found (the distance to a line grows with the offset on each side).
  for (let step = 0; ; step++) {
    const off = (step + 1) >> 1;
    if (c0 + off > hi && c0 - off < lo) break;
    const c = step === 0 ? c0 : (step & 1) === 1 ? c0 + off : c0 - off;
    if ((step & 1) === 1) {
      const r = (c0 + off - pu) * su;
      const l = (c0 - off - pu) * su;
      if ((c0 + off > hi || r * r >= best) && (c0 - off < lo || l * l >= best)) break;
    }
    if (c < lo || c > hi) continue;
    linesWalked++;
    const du = (c - pu) * su;
    if (du * du >= best) continue;
    // The segment of the triangle on the line: its ends from the vertices and edges on it.
    let wlo = Number.POSITIVE_INFINITY;
    let whi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const au = V[2 * i + u] as number;
      const aw = V[2 * i + w] as number;
      const b = (i + 1) % 3;
      const bu2 = V[2 * b + u] as number;
      const bw2 = V[2 * b + w] as number;
      if (au === c) {
        if (aw < wlo) wlo = aw;
        if (aw > whi) whi = aw;
      }
      if ((au < c && bu2 > c) || (au > c && bu2 < c)) {
        const t = aw + ((c - au) * (bw2 - aw)) / (bu2 - au);
        if (t < wlo) wlo = t;
        if (t > whi) whi = t;
      }
    }
    if (!(wlo <= whi)) continue;
    let cw: number;
    if (wInt) {
      const jlo = Math.ceil(wlo);
      const jhi = Math.floor(whi);
      if (jlo > jhi) continue;
      const j0 = Math.min(Math.max(Math.round(pw), jlo), jhi);
      cw = Number.NaN;
      // At most three vertices on the line: four tries find a free point if there is one.
      for (let k = 0; k < 8; k++) {
        const o = (k + 1) >> 1;
        const j = k === 0 ? j0 : (k & 1) === 1 ? j0 + o : j0 - o;
        if (j < jlo || j > jhi) continue;
        if (!isVertex2(V, u, c, j)) {
          // The nearer of j and its mirror: both sides were tried in order of |j − j0|.
          cw = j;
          break;
        }
      }
      if (Number.isNaN(cw)) continue;
    } else {
      cw = Math.min(Math.max(pw, wlo), whi);
      if (isVertex2(V, u, c, cw)) {
        if (!(wlo < whi)) continue;
        cw = wlo + (whi - wlo) / 2;
        if (isVertex2(V, u, c, cw)) continue;
      }
    }
    const dw = (cw - pw) * sw;
    const e = du * du + dw * dw;
    if (e < best) {
      best = e;
      bu = c;
      bw = cw;
    }
  }
  if (best === Number.POSITIVE_INFINITY) return false;
  out[u] = bu;
  out[w] = bw;
  return true;
}

/**
 * latticePoint in 2-D: the rounded choice when it is in the closed triangle (orientation
 * signs, exact at integer coordinates) and not a vertex, else the walk over the lines.
 */
function latticePoint2(
  V: ArrayLike<number>,
  integer: ArrayLike<number>,
  p: ArrayLike<number>,
  scale: ArrayLike<number>,
  out: Float64Array,
): boolean {
  const x0 = V[0] as number;
  const y0 = V[1] as number;
  const x1 = V[2] as number;
  const y1 = V[3] as number;
  const x2 = V[4] as number;
  const y2 = V[5] as number;
  const area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
  if (area === 0) return false;
  for (let j = 0; j < 2; j++) {
    const c = V[j] as number;
    const mn = Math.min(c, V[2 + j] as number, V[4 + j] as number);
    const mx = Math.max(c, V[2 + j] as number, V[4 + j] as number);
    if (integer[j] === 0) {
      q[j] = p[j] as number;
      continue;
    }
    const lo = Math.ceil(mn);
    const hi = Math.floor(mx);
    if (lo > hi) return false;
    boxLo[j] = lo;
    boxHi[j] = hi;
    q[j] = Math.min(Math.max(Math.round(p[j] as number), lo), hi);
  }
  const qx = q[0] as number;
  const qy = q[1] as number;
  const s0 = (x1 - x0) * (qy - y0) - (y1 - y0) * (qx - x0);
  const s1 = (x2 - x1) * (qy - y1) - (y2 - y1) * (qx - x1);
  const s2 = (x0 - x2) * (qy - y2) - (y0 - y2) * (qx - x2);
  const inside = area > 0 ? s0 >= 0 && s1 >= 0 && s2 >= 0 : s0 <= 0 && s1 <= 0 && s2 <= 0;
  if (
    inside &&
    !(qx === x0 && qy === y0) &&
    !(qx === x1 && qy === y1) &&
    !(qx === x2 && qy === y2)
  ) {
    out[0] = qx;
    out[1] = qy;
    return true;
  }
  return walkLines(V, integer, p, scale, out);
}

/** Whether (coordinate u = c, coordinate w = x) is a vertex of triangle V. */
function isVertex2(V: ArrayLike<number>, u: number, c: number, x: number): boolean {
  const w = 1 - u;
  for (let i = 0; i < 3; i++) if (V[2 * i + u] === c && V[2 * i + w] === x) return true;
  return false;
}

/**
 * Whether the closed lattice triangle (ax, ay), (bx, by), (cx, cy) (integer coordinates)
 * holds a lattice point besides its vertices. By Pick's theorem (A = I + B/2 − 1) a lattice
 * triangle holds none exactly when its area is 1/2, that is |cross| = 1 (0: degenerate).
 * Exact while the products of coordinate differences are below 2⁵³ (widths up to 2²⁶). O(1).
 * @example triangleHasLatticePoint(0, 0, 1, 0, 0, 1); // false
 */
export function triangleHasLatticePoint(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
): boolean {
  return Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) > 1;
}
