/**
 * An incremental 2D Delaunay triangulation in typed arrays.
 *
 * Half-edges in delaunator's style: triangle `t` owns half-edges `3t`, `3t + 1`, `3t + 2`;
 * `tv[e]` is the vertex a half-edge starts at and `tw[e]` its twin (the same edge, walked the
 * other way, in the neighbouring triangle). Triangles are counterclockwise (y up).
 *
 * The outside of the convex hull is covered by *ghost triangles*: one per hull edge, whose
 * third vertex is the point at infinity ({@link GHOST}). Every half-edge therefore has a
 * twin, a point outside the hull lies "in" the ghost triangle of a hull edge that sees it, and
 * inserting it is the same cavity operation as inserting inside:
 *
 * ```
 *            ∞                     a hull edge x→y (interior on its left) has the
 *          /   \                   ghost triangle (y, x, ∞) on its right; a point p
 *     ghost     ghost              strictly right of x→y, or inside the open segment
 *        /  p    \                 xy, is in conflict with that ghost triangle.
 *   ----y---------x----
 *        \ inside /
 * ```
 *
 * Insertion is Bowyer–Watson: walk from a hint to a triangle in conflict with the new point,
 * grow the cavity of triangles whose circumcircle holds it (breadth-first over neighbours,
 * no recursion), and fan the cavity's boundary to the new point. Only those triangles are
 * touched, and each insertion reports which triangle ids it removed and added (ids of removed
 * triangles are reused by the added ones).
 *
 * Predicates are exact (`orient2d`, `incircle` from robust-predicates), as long as products of
 * up to four coordinate differences do not underflow (differences above ~1e-75, or zero):
 * Shewchuk's arithmetic assumes it; an insertion that meets such an inconsistency throws. On a
 * store of lattice points (`PointStore2D.lattice`) the signs come exactly from the lattice's
 * integers instead (`lattice-predicates.ts`): stored lattice points are rounded, so a
 * square lattice's cocircular quadruples would each take Shewchuk's slowest stages. Cocircular points are
 * resolved by a symbolic perturbation that depends on the points only, not on the order they
 * came in: each point's lift `x² + y²` is raised by `ε^rank`, where rank is the point's place in
 * lexicographic (x, then y) order. With that rule the triangulation of a point set is unique,
 * so any insertion order gives the same triangles (a 10×10 grid always gets the same
 * diagonals). Collinear points are kept aside until the first point off their line arrives;
 * then the triangulation starts as the fan from that point. A duplicate point is not inserted:
 * `insertVertex` returns the id of the vertex already there and reports no change.
 */
import { incircle, orient2d } from 'robust-predicates';
import { growInt32 } from '../util/grow.js';
import { nextE, prevE } from './half-edge.js';
import {
  inCircleLattice,
  latticeIndex,
  latticeRound,
  orientLattice,
} from './lattice-predicates.js';
import { PointStore2D } from './point-store2d.js';

export { PointStore2D } from './point-store2d.js';

/**
 * The vertex id of the point at infinity, the third vertex of ghost triangles.
 * @example tri.tv[3 * t] === GHOST || tri.tv[3 * t + 1] === GHOST; // ghost triangle t
 */
export const GHOST = -1;

/** robust-predicates' incircle filter bound (its `iccerrboundA`, from the same epsilon). */
const EPSILON = 1.1102230246251565e-16;
const ICC_ERRBOUND_A = (10 + 96 * EPSILON) * EPSILON;

/** `vedge` marker: a vertex held while every point so far is collinear (no triangle yet). */
const HELD = -2;

/**
 * Which of four points is lexicographically (x, then y) smallest: 0 for p, 1 for a, 2 for b,
 * 3 for c (the first on equal points).
 * @example lexMin4(1, 0, 0, 0, 0, 1, 2, 2); // 2: b = (0, 0)
 */
export function lexMin4(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  px: number,
  py: number,
): number {
  let m = 0;
  let mx = px;
  let my = py;
  if (ax < mx || (ax === mx && ay < my)) {
    m = 1;
    mx = ax;
    my = ay;
  }
  if (bx < mx || (bx === mx && by < my)) {
    m = 2;
    mx = bx;
    my = by;
  }
  if (cx < mx || (cx === mx && cy < my)) m = 3;
  return m;
}

/**
 * An incremental Delaunay triangulation of points in the plane (see the file header for the
 * data layout, the degenerate cases and the change reports).
 *
 * @example
 * const tri = new Delaunay2D();
 * for (const [x, y] of [[0, 0], [1, 0], [0, 1], [1, 1]]) tri.insert(x, y);
 * tri.triangleCount; // 2
 * tri.insert(0.5, 0.5); // 4 (the new vertex id)
 * tri.nRemoved; // 2 (both triangles held 0.5, 0.5 on their circumcircle or inside)
 * tri.nAdded; // 4
 * tri.checkValid(); // throws if anything is wrong
 */
export class Delaunay2D {
  /** The coordinates (possibly shared with other triangulations). */
  readonly store: PointStore2D;
  /** Start vertex of each half-edge ({@link GHOST} for the point at infinity). */
  tv: Int32Array;
  /** Twin of each half-edge; `tw[3t] < 0` marks triangle slot t as free. */
  tw: Int32Array;
  /** One half-edge leaving each vertex (-1: not in the triangulation). */
  vedge: Int32Array;
  /**
   * On a lattice store: each inserted vertex's lattice integers (x, y), rounded once at its
   * insertion, which the predicates read rather than rounding the stored coordinates again
   * at every test (6–8 roundings an in-circle test).
   */
  private ixy: Float64Array;
  /**
   * The last query point's lattice integers (NaN when it is not a lattice point), for the map
   * `qMap`: an insertion or a walk tests one point against many triangles, and each test used
   * to map it to its integers again (two roundings and two divisions).
   */
  private qx = Number.NaN;
  private qy = Number.NaN;
  private qX = Number.NaN;
  private qY = Number.NaN;
  private qMap: Float64Array | null = null;
  // TypeScript `private`, not `#`, on purpose (issue 16): with `#` members, Node 20 deoptimises
  // insertVertex ("weak objects") each time an old triangulation dies, and after a few fresh
  // triangulations it runs twice as slow (60k inserts: 0.5 s → 1.0–1.3 s from the 6th); with
  // `private` it stays at 0.5 s.
  private mark: Uint8Array;
  private nt = 0; // triangle slots in use or freed (high-water mark)
  private freeT: Int32Array = new Int32Array(16);
  private nFree = 0;
  private nLive = 0; // live triangles, ghosts included
  private nGhost = 0;
  private nVert = 0; // vertices triangulated or held
  private held: Int32Array = new Int32Array(8); // collinear phase
  private nHeld = 0;
  private last = -1; // walk hint

  // Change report of the last insertion.
  private rem: Int32Array = new Int32Array(16);
  private add: Int32Array = new Int32Array(16);
  /** Number of triangles the last insertion removed (their ids: {@link removed}). */
  nRemoved = 0;
  /** Number of triangles the last insertion added, ghosts included (ids: {@link added}). */
  nAdded = 0;

  // Scratch of one insertion.
  private stack: Int32Array = new Int32Array(64);
  private checked: Int32Array = new Int32Array(64);
  private bu: Int32Array = new Int32Array(64); // boundary: start vertex
  private bo: Int32Array = new Int32Array(64); // boundary: outer twin half-edge

  /**
   * @param store the coordinates to index (default: a store of its own, filled by
   *   {@link insert}).
   */
  constructor(store?: PointStore2D) {
    this.store = store ?? new PointStore2D();
    this.tv = new Int32Array(48);
    this.tw = new Int32Array(48).fill(-1);
    this.mark = new Uint8Array(16);
    this.vedge = new Int32Array(Math.max(16, this.store.size)).fill(-1);
    this.ixy = new Float64Array(2 * this.vedge.length);
  }

  // ------------------------------------------------------------------ reading

  /**
   * Number of (finite) triangles.
   * @example tri.triangleCount; // 2 for the four corners of a square
   */
  get triangleCount(): number {
    return this.nLive - this.nGhost;
  }

  /**
   * Number of hull edges (ghost triangles); 0 before the first triangle.
   * @example tri.hullSize; // 4 for a square
   */
  get hullSize(): number {
    return this.nGhost;
  }

  /**
   * Number of vertices in the triangulation (held collinear points included).
   * @example tri.vertexCount; // 4
   */
  get vertexCount(): number {
    return this.nVert;
  }

  /**
   * Triangle slots in use or free: every triangle id is below this.
   * @example for (let t = 0; t < tri.capacity; t++) if (tri.isLive(t) && !tri.isGhost(t)) visit(t);
   */
  get capacity(): number {
    return this.nt;
  }

  /**
   * The ids of the triangles the last insertion removed (scratch memory: the first
   * {@link nRemoved} entries).
   * @example for (let i = 0; i < tri.nRemoved; i++) forget(tri.removed[i]);
   */
  get removed(): Int32Array {
    return this.rem;
  }

  /**
   * The ids of the triangles the last insertion added, ghosts included (scratch memory: the
   * first {@link nAdded} entries).
   * @example for (let i = 0; i < tri.nAdded; i++) update(tri.added[i]);
   */
  get added(): Int32Array {
    return this.add;
  }

  /**
   * Whether triangle slot `t` holds a live triangle (finite or ghost). O(1).
   * @example tri.isLive(0); // true once there is a triangle
   */
  isLive(t: number): boolean {
    return t >= 0 && t < this.nt && (this.tw[3 * t] as number) >= 0;
  }

  /**
   * Whether live triangle `t` is a ghost triangle (has the point at infinity). O(1).
   * @example tri.isGhost(tri.locate(5, 5)); // true: (5, 5) is outside the unit square's hull
   */
  isGhost(t: number): boolean {
    const tv = this.tv;
    return (
      (tv[3 * t] as number) < 0 || (tv[3 * t + 1] as number) < 0 || (tv[3 * t + 2] as number) < 0
    );
  }

  /**
   * Whether vertex `v` is in the triangulation (or held in the collinear phase). O(1).
   * @example tri.hasVertex(0); // true
   */
  hasVertex(v: number): boolean {
    return v >= 0 && v < this.vedge.length && this.vedge[v] !== -1;
  }

  /**
   * Next half-edge in the same triangle (counterclockwise).
   * @example tri.tv[tri.next(e)]; // the vertex half-edge e ends at
   */
  next(e: number): number {
    return nextE(e);
  }

  /**
   * Previous half-edge in the same triangle: `tw[prev(e)]` is the next half-edge leaving
   * the vertex e leaves, counterclockwise around it.
   * @example e = tri.tw[tri.prev(e)]; // turn around tri.tv[e]
   */
  prev(e: number): number {
    return prevE(e);
  }

  /**
   * The finite triangles as vertex-id triples (counterclockwise), and their ids. O(n).
   * @example tri.triangles().vertices // Int32Array [0, 1, 3, 0, 3, 2]
   */
  triangles(): { vertices: Int32Array; ids: Int32Array } {
    const n = this.triangleCount;
    const vertices = new Int32Array(3 * n);
    const ids = new Int32Array(n);
    let k = 0;
    for (let t = 0; t < this.nt; t++) {
      if (!this.isLive(t) || this.isGhost(t)) continue;
      vertices[3 * k] = this.tv[3 * t] as number;
      vertices[3 * k + 1] = this.tv[3 * t + 1] as number;
      vertices[3 * k + 2] = this.tv[3 * t + 2] as number;
      ids[k++] = t;
    }
    return { vertices, ids };
  }

  // ------------------------------------------------------------------ predicates

  /** Twice the signed area of (a, b, p): > 0 when p is left of a→b (exact sign). */
  private orient(a: number, b: number, px: number, py: number): number {
    const xy = this.store.xy;
    const S = this.store.stride;
    const L = this.store.lattice;
    if (L !== null) {
      // On a lattice, in lattice units (NaN when p is not a lattice point: then as stored).
      if (px !== this.qx || py !== this.qy || L !== this.qMap) this.query(L, px, py);
      const I = this.ixy;
      const o = orientLattice(
        I[2 * a] as number,
        I[2 * a + 1] as number,
        I[2 * b] as number,
        I[2 * b + 1] as number,
        this.qX,
        this.qY,
      );
      if (!Number.isNaN(o)) return o;
    }
    // robust-predicates takes y downwards: its sign is the opposite of the y-up convention.
    return -orient2d(
      xy[S * a] as number,
      xy[S * a + 1] as number,
      xy[S * b] as number,
      xy[S * b + 1] as number,
      px,
      py,
    );
  }

  /** Maps query point (px, py) to its lattice integers on map L (qX, qY; NaN off the lattice). */
  private query(L: Float64Array, px: number, py: number): void {
    this.qx = px;
    this.qy = py;
    this.qMap = L;
    this.qX = latticeIndex(L, 0, px);
    this.qY = latticeIndex(L, 2, py);
  }

  /** Lexicographic (x, then y) order of two stored points: negative when a comes first. */
  private lex(a: number, b: number): number {
    const xy = this.store.xy;
    const S = this.store.stride;
    const d = (xy[S * a] as number) - (xy[S * b] as number);
    if (d !== 0) return d;
    return (xy[S * a + 1] as number) - (xy[S * b + 1] as number);
  }

  /**
   * Whether p is strictly inside the circumcircle of the counterclockwise triangle (a, b, c),
   * under the symbolic perturbation: on a tie (four cocircular points) the lexicographically
   * smallest of the four decides, through the sign of its lift's cofactor.
   */
  private inCircle(a: number, b: number, c: number, px: number, py: number): boolean {
    const L = this.store.lattice;
    if (L !== null) {
      // From the lattice's integers (p is a vertex, so a lattice point; else as stored).
      if (px !== this.qx || py !== this.qy || L !== this.qMap) this.query(L, px, py);
      const X = this.qX;
      const Y = this.qY;
      if (!Number.isNaN(X) && !Number.isNaN(Y)) {
        const I = this.ixy;
        const iax = I[2 * a] as number;
        const iay = I[2 * a + 1] as number;
        const ibx = I[2 * b] as number;
        const iby = I[2 * b + 1] as number;
        const icx = I[2 * c] as number;
        const icy = I[2 * c + 1] as number;
        const sx = L[0] as number;
        const sy = L[2] as number;
        const s = inCircleLattice(iax, iay, ibx, iby, icx, icy, X, Y, sx * sx, sy * sy);
        if (s !== 0) return s > 0;
        // The stored coordinates increase with the integers, so the integers give the same
        // lexicographic order (and the stored coordinates need not be read).
        return this.cocircular(a, b, c, lexMin4(iax, iay, ibx, iby, icx, icy, X, Y), px, py);
      }
    }
    const xy = this.store.xy;
    const S = this.store.stride;
    const ax = xy[S * a] as number;
    const ay = xy[S * a + 1] as number;
    const bx = xy[S * b] as number;
    const by = xy[S * b + 1] as number;
    const cx = xy[S * c] as number;
    const cy = xy[S * c + 1] as number;
    // robust-predicates' incircle, its floating-point filter inline: when the filter decides,
    // incircle returns this same det; else the exact (adaptive) evaluation. Inline, the common
    // case makes no call (and no boxed double result).
    const adx = ax - px;
    const bdx = bx - px;
    const cdx = cx - px;
    const ady = ay - py;
    const bdy = by - py;
    const cdy = cy - py;
    const bdxcdy = bdx * cdy;
    const cdxbdy = cdx * bdy;
    const alift = adx * adx + ady * ady;
    const cdxady = cdx * ady;
    const adxcdy = adx * cdy;
    const blift = bdx * bdx + bdy * bdy;
    const adxbdy = adx * bdy;
    const bdxady = bdx * ady;
    const clift = cdx * cdx + cdy * cdy;
    const det = alift * (bdxcdy - cdxbdy) + blift * (cdxady - adxcdy) + clift * (adxbdy - bdxady);
    const permanent =
      (Math.abs(bdxcdy) + Math.abs(cdxbdy)) * alift +
      (Math.abs(cdxady) + Math.abs(adxcdy)) * blift +
      (Math.abs(adxbdy) + Math.abs(bdxady)) * clift;
    const errbound = ICC_ERRBOUND_A * permanent;
    if (det > errbound || -det > errbound) return det > 0;
    const d = incircle(ax, ay, bx, by, cx, cy, px, py);
    if (d !== 0) return d > 0;
    return this.cocircular(a, b, c, lexMin4(ax, ay, bx, by, cx, cy, px, py), px, py);
  }

  /**
   * {@link inCircle} for four cocircular points: the symbolic perturbation decides. `m` is
   * which of the four is lexicographically smallest (0: p, 1: a, 2: b, 3: c; {@link lexMin4}).
   */
  private cocircular(a: number, b: number, c: number, m: number, px: number, py: number): boolean {
    // The perturbed determinant is d + Σ ε^rank(i) · cofactor(i); for four distinct points on
    // a circle no three are collinear, so the smallest point's cofactor is non-zero and
    // decides. Cofactors (y-up orientations): a: +orient(b, c, p), b: -orient(a, c, p),
    // c: +orient(a, b, p), p: -orient(a, b, c) < 0.
    if (m === 0) return false;
    if (m === 1) return this.orient(b, c, px, py) > 0;
    if (m === 2) return this.orient(a, c, px, py) < 0;
    return this.orient(a, b, px, py) > 0;
  }

  /**
   * Ghost conflict for the ghost triangle (x, y, ∞) (hull edge y→x): p strictly outside the
   * edge's line, or inside the open segment xy.
   */
  private ghostConflict(x: number, y: number, px: number, py: number): boolean {
    const o = this.orient(x, y, px, py);
    if (o !== 0) return o > 0;
    const xy = this.store.xy;
    const S = this.store.stride;
    const ax = xy[S * x] as number;
    const ay = xy[S * x + 1] as number;
    const bx = xy[S * y] as number;
    const by = xy[S * y + 1] as number;
    // Collinear: strictly between x and y in lexicographic order (the order along the line).
    const afterX = px > ax || (px === ax && py > ay);
    const afterY = px > bx || (px === bx && py > by);
    const beforeX = px < ax || (px === ax && py < ay);
    const beforeY = px < bx || (px === bx && py < by);
    return (afterX && beforeY) || (afterY && beforeX);
  }

  private conflict(t: number, px: number, py: number): boolean {
    const tv = this.tv;
    const a = tv[3 * t] as number;
    const b = tv[3 * t + 1] as number;
    const c = tv[3 * t + 2] as number;
    if (a < 0) return this.ghostConflict(b, c, px, py);
    if (b < 0) return this.ghostConflict(c, a, px, py);
    if (c < 0) return this.ghostConflict(a, b, px, py);
    return this.inCircle(a, b, c, px, py);
  }

  // ------------------------------------------------------------------ point location

  /**
   * Finds the triangle holding (x, y): a finite triangle that contains it (boundary
   * included), or, outside the hull, a ghost triangle whose hull edge has the point strictly
   * on its outer side. -1 before the first triangle. Walks from `hint` (a triangle id, e.g.
   * the previous answer for coherent queries), else from the last triangle touched: O(number
   * of triangles crossed), never a scan.
   * @example tri.locate(0.25, 0.25) // 0
   */
  locate(x: number, y: number, hint = -1): number {
    if (this.nLive === 0) return -1;
    let t = this.isLive(hint) ? hint : this.isLive(this.last) ? this.last : this.anyLive();
    const tv = this.tv;
    const tw = this.tw;
    let entry = -1;
    if (this.isGhost(t)) {
      // Step inside through the finite edge, unless the point is beyond it.
      let e = 3 * t;
      while ((tv[e] as number) < 0 || (tv[nextE(e)] as number) < 0) e++;
      if (this.orient(tv[e] as number, tv[nextE(e)] as number, x, y) > 0) return t;
      entry = tw[e] as number;
      t = (entry / 3) | 0;
    }
    const limit = 4 * this.nLive + 16;
    for (let steps = 0; steps < limit; steps++) {
      const e0 = 3 * t;
      let moved = false;
      for (let i = 0; i < 3; i++) {
        const e = e0 + i;
        if (e === entry) continue;
        const a = tv[e] as number;
        const b = tv[i === 2 ? e0 : e + 1] as number;
        if (this.orient(a, b, x, y) < 0) {
          entry = tw[e] as number;
          t = (entry / 3) | 0;
          if (this.isGhost(t)) return t;
          moved = true;
          break;
        }
      }
      if (!moved) return t;
    }
    // Unreachable for a Delaunay triangulation (visibility walks do not cycle there); kept as
    // a safe answer should an invariant ever break.
    return this.scanLocate(x, y);
  }

  private anyLive(): number {
    for (let t = 0; t < this.nt; t++) if (this.isLive(t)) return t;
    return -1;
  }

  private scanLocate(x: number, y: number): number {
    const tv = this.tv;
    for (let t = 0; t < this.nt; t++) {
      if (!this.isLive(t) || this.isGhost(t)) continue;
      const a = tv[3 * t] as number;
      const b = tv[3 * t + 1] as number;
      const c = tv[3 * t + 2] as number;
      if (this.orient(a, b, x, y) >= 0 && this.orient(b, c, x, y) >= 0) {
        if (this.orient(c, a, x, y) >= 0) return t;
      }
    }
    for (let t = 0; t < this.nt; t++) {
      if (this.isLive(t) && this.isGhost(t) && this.conflict(t, x, y)) return t;
    }
    return -1;
  }

  /**
   * The vertex at exactly (x, y), or -1. O(walk) from `hint`.
   * @example tri.findVertex(1, 0) // 1
   */
  findVertex(x: number, y: number, hint = -1): number {
    const xy = this.store.xy;
    const S = this.store.stride;
    if (this.nLive === 0) {
      for (let i = 0; i < this.nHeld; i++) {
        const u = this.held[i] as number;
        if (xy[S * u] === x && xy[S * u + 1] === y) return u;
      }
      return -1;
    }
    const t = this.locate(x, y, hint);
    if (t < 0 || this.isGhost(t)) return -1;
    for (let i = 0; i < 3; i++) {
      const u = this.tv[3 * t + i] as number;
      if (xy[S * u] === x && xy[S * u + 1] === y) return u;
    }
    return -1;
  }

  // ------------------------------------------------------------------ insertion

  /**
   * Adds the point (x, y) to the store and inserts it. Returns its vertex id, or the id of
   * the vertex already at (x, y) (then nothing changes and the store is not grown). Expected
   * O(1) plus the walk from `hint` (or the last triangle touched).
   * @example tri.insert(0.2, 0.7) // 5
   */
  insert(x: number, y: number, hint = -1): number {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new RangeError(`Delaunay2D.insert: the point must be finite, got (${x}, ${y})`);
    }
    const v = this.store.add(x === 0 ? 0 : x, y === 0 ? 0 : y);
    const r = this.insertVertex(v, hint);
    if (r !== v) this.store.pop();
    return r;
  }

  /**
   * Inserts stored point `v` (its coordinates are already in {@link store}). Returns `v`, or
   * the id of a vertex at the same coordinates (then nothing changes). Afterwards
   * {@link removed}/{@link nRemoved} and {@link added}/{@link nAdded} list the triangles
   * removed and added. Expected O(1) plus the walk from `hint`.
   * @example
   * const v = store.add(0.3, 0.3);
   * tri.insertVertex(v, tri.locate(0.3, 0.3)); // v
   */
  insertVertex(v: number, hint = -1): number {
    this.nRemoved = 0;
    this.nAdded = 0;
    if (v >= this.vedge.length) this.growVertices(v + 1);
    if (this.vedge[v] !== -1) return v;
    const xy = this.store.xy;
    const S = this.store.stride;
    const px = xy[S * v] as number;
    const py = xy[S * v + 1] as number;
    const L = this.store.lattice;
    if (L !== null) {
      this.ixy[2 * v] = latticeRound(L, 0, px);
      this.ixy[2 * v + 1] = latticeRound(L, 2, py);
    }
    if (this.nLive === 0) return this.insertDegenerate(v, px, py);
    const t0 = this.locate(px, py, hint);
    const tv = this.tv;
    const tw = this.tw;
    if (!this.isGhost(t0)) {
      for (let i = 0; i < 3; i++) {
        const u = tv[3 * t0 + i] as number;
        if (xy[S * u] === px && xy[S * u + 1] === py) return u;
      }
    }

    // 1. The cavity: triangles in conflict, breadth-first from t0. mark: 1 conflict, 2 not.
    const mark = this.mark;
    let nc = 0; // conflict triangles, in this.rem
    let nk = 0; // checked, not in conflict, in this.checked
    let ns = 0;
    this.pushRem(t0, nc++);
    mark[t0] = 1;
    this.stack[ns++] = t0;
    let boundary = -1;
    let removedGhosts = this.isGhost(t0) ? 1 : 0;
    while (ns > 0) {
      const s = this.stack[--ns] as number;
      for (let i = 0; i < 3; i++) {
        const o = tw[3 * s + i] as number;
        const n = (o / 3) | 0;
        const m = mark[n] as number;
        if (m === 1) continue;
        if (m === 2) {
          boundary = 3 * s + i;
          continue;
        }
        if (this.conflict(n, px, py)) {
          mark[n] = 1;
          if (this.isGhost(n)) removedGhosts++;
          this.pushRem(n, nc++);
          if (ns === this.stack.length) this.stack = growInt32(this.stack, ns + 1);
          this.stack[ns++] = n;
        } else {
          mark[n] = 2;
          if (nk === this.checked.length) this.checked = growInt32(this.checked, nk + 1);
          this.checked[nk++] = n;
          boundary = 3 * s + i;
        }
      }
    }

    // 2. Walk the cavity boundary counterclockwise: edges u_i→u_{i+1} with outer twins o_i.
    let nb = 0;
    let e = boundary;
    let guard = 3 * nc + 3;
    do {
      if (--guard < 0 || boundary < 0) {
        // Only reachable when the predicates are not exact (underflowing coordinates).
        for (let i = 0; i < nc; i++) mark[this.rem[i] as number] = 0;
        for (let i = 0; i < nk; i++) mark[this.checked[i] as number] = 0;
        this.nRemoved = 0;
        throw new Error(
          `Delaunay2D.insertVertex: the cavity of (${px}, ${py}) is not a disk; coordinates too close together for exact predicates (differences below ~1e-75)`,
        );
      }
      if (nb === this.bu.length) {
        this.bu = growInt32(this.bu, nb + 1);
        this.bo = growInt32(this.bo, nb + 1);
      }
      this.bu[nb] = tv[e] as number;
      this.bo[nb++] = tw[e] as number;
      // The next boundary edge starts where this one ends: turn around that vertex through
      // the cavity until the neighbour across is outside it.
      let f = nextE(e);
      while (mark[((tw[f] as number) / 3) | 0] === 1) f = nextE(tw[f] as number);
      e = f;
    } while (e !== boundary);
    for (let i = 0; i < nc; i++) mark[this.rem[i] as number] = 0;
    for (let i = 0; i < nk; i++) mark[this.checked[i] as number] = 0;

    // 3. Free the cavity, then fan its boundary to v: triangle i = (u_i, u_{i+1}, v).
    for (let i = 0; i < nc; i++) this.freeTriangle(this.rem[i] as number);
    this.nRemoved = nc;
    if (this.add.length < nb) this.add = new Int32Array(Math.max(nb, 2 * this.add.length));
    const add = this.add;
    for (let i = 0; i < nb; i++) add[i] = this.allocTriangle();
    const vedge = this.vedge;
    const tv2 = this.tv; // allocTriangle may have grown the arrays
    const tw2 = this.tw;
    let ghosts = 0;
    for (let i = 0; i < nb; i++) {
      const t = add[i] as number;
      const tn = add[i + 1 === nb ? 0 : i + 1] as number;
      const u = this.bu[i] as number;
      const w = this.bu[i + 1 === nb ? 0 : i + 1] as number;
      const o = this.bo[i] as number;
      tv2[3 * t] = u;
      tv2[3 * t + 1] = w;
      tv2[3 * t + 2] = v;
      tw2[3 * t] = o;
      tw2[o] = 3 * t;
      tw2[3 * t + 1] = 3 * tn + 2;
      tw2[3 * tn + 2] = 3 * t + 1;
      if (u >= 0) vedge[u] = 3 * t;
      else ghosts++;
      if (w < 0) ghosts++;
    }
    vedge[v] = 3 * (add[0] as number) + 2;
    this.nAdded = nb;
    this.nLive += nb - nc;
    // The fan's ghost triangles are those with u or w at infinity.
    this.nGhost += ghosts - removedGhosts;
    this.nVert++;
    this.last = add[0] as number;
    return v;
  }

  private pushRem(t: number, i: number): void {
    if (i === this.rem.length) this.rem = growInt32(this.rem, i + 1);
    this.rem[i] = t;
  }

  /** The collinear phase: hold the point, or start the triangulation with a fan. */
  private insertDegenerate(v: number, px: number, py: number): number {
    const xy = this.store.xy;
    const S = this.store.stride;
    for (let i = 0; i < this.nHeld; i++) {
      const u = this.held[i] as number;
      if (xy[S * u] === px && xy[S * u + 1] === py) return u;
    }
    if (
      this.nHeld < 2 ||
      this.orient(this.held[0] as number, this.held[1] as number, px, py) === 0
    ) {
      if (this.nHeld === this.held.length) this.held = growInt32(this.held, this.nHeld + 1);
      this.held[this.nHeld++] = v;
      this.vedge[v] = HELD;
      this.nVert++;
      return v;
    }
    // The held points lie on one line: in lexicographic order they are in order along it.
    const chain = Array.from(this.held.subarray(0, this.nHeld)).sort((a, b) => this.lex(a, b));
    if (this.orient(chain[0] as number, chain[chain.length - 1] as number, px, py) < 0) {
      chain.reverse();
    }
    // Triangles (c_i, c_{i+1}, v) are counterclockwise; the hull is c_0 → … → c_m → v → c_0.
    const tris: number[][] = [];
    for (let i = 0; i + 1 < chain.length; i++) {
      tris.push([chain[i] as number, chain[i + 1] as number, v]);
    }
    const hull = [...chain, v];
    for (let i = 0; i < hull.length; i++) {
      const a = hull[i] as number;
      const b = hull[(i + 1) % hull.length] as number;
      tris.push([b, a, GHOST]);
    }
    const edges = new Map<string, number>();
    const ids: number[] = [];
    for (const [a, b, c] of tris) {
      const t = this.allocTriangle();
      ids.push(t);
      this.tv[3 * t] = a as number;
      this.tv[3 * t + 1] = b as number;
      this.tv[3 * t + 2] = c as number;
      const vs = [a as number, b as number, c as number];
      for (let i = 0; i < 3; i++) {
        const from = vs[i] as number;
        const to = vs[(i + 1) % 3] as number;
        const twin = edges.get(`${to},${from}`);
        if (twin !== undefined) {
          this.tw[3 * t + i] = twin;
          this.tw[twin] = 3 * t + i;
          edges.delete(`${to},${from}`);
        } else {
          edges.set(`${from},${to}`, 3 * t + i);
          this.tw[3 * t + i] = 3 * t + i; // placeholder (live), paired below
        }
        if (from >= 0) this.vedge[from] = 3 * t + i;
      }
    }
    if (edges.size !== 0) throw new Error('Delaunay2D: internal error starting the fan');
    this.nLive = tris.length;
    this.nGhost = hull.length;
    this.nHeld = 0;
    this.nVert++;
    if (this.add.length < ids.length) this.add = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) this.add[i] = ids[i] as number;
    this.nAdded = ids.length;
    this.last = ids[0] as number;
    return v;
  }

  private allocTriangle(): number {
    if (this.nFree > 0) return this.freeT[--this.nFree] as number;
    const t = this.nt;
    if (3 * t + 3 > this.tv.length) this.growTriangles(t + 1);
    this.nt = t + 1;
    return t;
  }

  private freeTriangle(t: number): void {
    this.tw[3 * t] = -1;
    if (this.nFree === this.freeT.length) this.freeT = growInt32(this.freeT, this.nFree + 1);
    this.freeT[this.nFree++] = t;
  }

  private growTriangles(min: number): void {
    let cap = this.tv.length / 3;
    while (cap < min) cap = cap < 4096 ? cap * 2 : cap + (cap >> 1);
    const tv = new Int32Array(3 * cap);
    tv.set(this.tv);
    const tw = new Int32Array(3 * cap).fill(-1);
    tw.set(this.tw);
    const mark = new Uint8Array(cap);
    mark.set(this.mark);
    this.tv = tv;
    this.tw = tw;
    this.mark = mark;
  }

  private growVertices(min: number): void {
    let cap = this.vedge.length;
    while (cap < min) cap = cap < 4096 ? cap * 2 : cap + (cap >> 1);
    const ve = new Int32Array(cap).fill(-1);
    ve.set(this.vedge);
    this.vedge = ve;
    const ixy = new Float64Array(2 * cap);
    ixy.set(this.ixy.subarray(0, Math.min(this.ixy.length, 2 * cap)));
    this.ixy = ixy;
  }

  /**
   * Renumbers vertices and triangles for memory locality, after the owner moved the store's
   * records: vertex v is now `vmap[v]` (every vertex of this triangulation must have an entry
   * ≥ 0; the store must already hold it there, with `nv` records). Triangles are compacted
   * (free slots dropped) and ordered by their smallest new vertex id, so triangles near in
   * the plane are near in memory when the vertex order is. Returns the triangle map (old id →
   * new id, -1 for free slots); half-edge e moves to `3 · tmap[e / 3] + e % 3`. O(n).
   * @example const tmap = tri.renumber(vmap, store.size);
   */
  renumber(vmap: Int32Array, nv: number): Int32Array {
    const nt = this.nt;
    const tv = this.tv;
    const tw = this.tw;
    // Counting sort of the live triangles by their smallest new vertex id. The vertices are
    // renamed in place on the way (tv is replaced below), so the copy reads them directly.
    const keyOf = new Int32Array(nt).fill(-1);
    const count = new Int32Array(nv + 1);
    for (let t = 0; t < nt; t++) {
      if ((tw[3 * t] as number) < 0) continue; // free slot
      let k = nv;
      for (let i = 0; i < 3; i++) {
        const v = tv[3 * t + i] as number;
        if (v >= 0) {
          const w = vmap[v] as number;
          tv[3 * t + i] = w;
          if (w < k) k = w;
        }
      }
      keyOf[t] = k;
      count[k] = (count[k] as number) + 1;
    }
    let acc = 0;
    for (let k = 0; k <= nv; k++) {
      const c = count[k] as number;
      count[k] = acc;
      acc += c;
    }
    const tmap = new Int32Array(nt).fill(-1);
    for (let t = 0; t < nt; t++) {
      const k = keyOf[t] as number;
      if (k < 0) continue;
      tmap[t] = count[k] as number;
      count[k] = (count[k] as number) + 1;
    }
    const live = acc;
    const cap = Math.max(16, this.tv.length / 3);
    const ntv = new Int32Array(3 * cap);
    const ntw = new Int32Array(3 * cap).fill(-1);
    for (let t = 0; t < nt; t++) {
      const u = tmap[t] as number;
      if (u < 0) continue;
      for (let i = 0; i < 3; i++) {
        ntv[3 * u + i] = tv[3 * t + i] as number;
        const o = tw[3 * t + i] as number;
        ntw[3 * u + i] = 3 * (tmap[(o / 3) | 0] as number) + (o % 3);
      }
    }
    const ve = new Int32Array(Math.max(this.vedge.length, nv)).fill(-1);
    for (let v = 0; v < this.vedge.length; v++) {
      const e = this.vedge[v] as number;
      if (e === -1) continue;
      ve[vmap[v] as number] = e < 0 ? e : 3 * (tmap[(e / 3) | 0] as number) + (e % 3);
    }
    for (let i = 0; i < this.nHeld; i++) this.held[i] = vmap[this.held[i] as number] as number;
    if (this.store.lattice !== null) {
      const ixy = new Float64Array(2 * ve.length);
      for (let v = 0; v < this.vedge.length; v++) {
        if (this.vedge[v] === -1) continue;
        const w = vmap[v] as number;
        ixy[2 * w] = this.ixy[2 * v] as number;
        ixy[2 * w + 1] = this.ixy[2 * v + 1] as number;
      }
      this.ixy = ixy;
    }
    this.tv = ntv;
    this.tw = ntw;
    this.vedge = ve;
    this.mark = new Uint8Array(cap);
    this.nt = live;
    this.nFree = 0;
    this.last = this.last >= 0 && this.last < nt ? (tmap[this.last] as number) : -1;
    this.nRemoved = 0;
    this.nAdded = 0;
    return tmap;
  }

  /**
   * Removes every vertex and triangle (the store is left as it is). O(capacity).
   * @example tri.clear(); tri.triangleCount; // 0
   */
  clear(): void {
    this.tw.fill(-1);
    this.vedge.fill(-1);
    this.nt = 0;
    this.nFree = 0;
    this.nLive = 0;
    this.nGhost = 0;
    this.nVert = 0;
    this.nHeld = 0;
    this.last = -1;
    this.nRemoved = 0;
    this.nAdded = 0;
  }

  /**
   * Makes this triangulation an exact copy of `other` (same triangle and vertex ids), which
   * must index the same store. O(n).
   * @example combined.copyFrom(real);
   */
  copyFrom(other: Delaunay2D): void {
    if (other.store !== this.store) {
      throw new TypeError('Delaunay2D.copyFrom: both triangulations must share one PointStore2D');
    }
    this.tv = other.tv.slice();
    this.tw = other.tw.slice();
    this.vedge = other.vedge.slice();
    this.ixy = other.ixy.slice();
    this.mark = new Uint8Array(other.mark.length);
    this.nt = other.nt;
    this.freeT = other.freeT.slice();
    this.nFree = other.nFree;
    this.nLive = other.nLive;
    this.nGhost = other.nGhost;
    this.nVert = other.nVert;
    this.held = other.held.slice();
    this.nHeld = other.nHeld;
    this.last = other.last;
    this.nRemoved = 0;
    this.nAdded = 0;
  }

  // ------------------------------------------------------------------ validation

  /**
   * Throws if an invariant does not hold: twins are mutual and reversed, finite triangles are
   * counterclockwise, every edge is locally Delaunay (the opposite vertex is not inside the
   * circumcircle, under the same tie rule as insertion), the hull is convex, the triangle
   * count matches Euler's formula, the areas add up to the hull's, and every vertex's edge
   * leaves it. O(n).
   */
  checkValid(): void {
    const tv = this.tv;
    const tw = this.tw;
    const xy = this.store.xy;
    const S = this.store.stride;
    const fail = (why: string): never => {
      throw new Error(`Delaunay2D: ${why}`);
    };
    let live = 0;
    let ghosts = 0;
    let area2 = 0;
    for (let t = 0; t < this.nt; t++) {
      if (!this.isLive(t)) continue;
      live++;
      let g = 0;
      for (let i = 0; i < 3; i++) {
        const e = 3 * t + i;
        const o = tw[e] as number;
        if (o < 0 || o >= 3 * this.nt || !this.isLive((o / 3) | 0))
          fail(`half-edge ${e} has a dead twin ${o}`);
        if (tw[o] !== e) fail(`twins ${e} and ${o} are not mutual`);
        if (tv[o] !== tv[nextE(e)] || tv[nextE(o)] !== tv[e])
          fail(`half-edge ${e} and its twin ${o} do not join the same vertices`);
        if ((tv[e] as number) < 0) g++;
      }
      if (g > 1) fail(`triangle ${t} has ${g} points at infinity`);
      if (g === 1) {
        ghosts++;
        continue;
      }
      const a = tv[3 * t] as number;
      const b = tv[3 * t + 1] as number;
      const c = tv[3 * t + 2] as number;
      const o = this.orient(a, b, xy[S * c] as number, xy[S * c + 1] as number);
      if (!(o > 0)) fail(`triangle ${t} (${a}, ${b}, ${c}) is not counterclockwise`);
      // As stored (on a lattice, orient is in lattice units).
      area2 += -orient2d(
        xy[S * a] as number,
        xy[S * a + 1] as number,
        xy[S * b] as number,
        xy[S * b + 1] as number,
        xy[S * c] as number,
        xy[S * c + 1] as number,
      );
      for (let i = 0; i < 3; i++) {
        const e = 3 * t + i;
        const n = ((tw[e] as number) / 3) | 0;
        if (this.isGhost(n)) continue;
        const d = tv[prevE(tw[e] as number)] as number;
        if (this.inCircle(a, b, c, xy[S * d] as number, xy[S * d + 1] as number)) {
          fail(`edge ${e} of triangle ${t} is not Delaunay: vertex ${d} is inside`);
        }
      }
    }
    if (live !== this.nLive) fail(`${live} live triangles, expected ${this.nLive}`);
    if (ghosts !== this.nGhost) fail(`${ghosts} ghost triangles, expected ${this.nGhost}`);
    let nv = 0;
    for (let v = 0; v < this.vedge.length; v++) {
      const e = this.vedge[v] as number;
      if (e === -1) continue;
      nv++;
      if (e === HELD) {
        if (this.nLive > 0) fail(`vertex ${v} is still held after the first triangle`);
        continue;
      }
      if (!this.isLive((e / 3) | 0) || tv[e] !== v) fail(`vedge of vertex ${v} does not leave it`);
      // The ring around v closes.
      let f = e;
      let k = 0;
      do {
        f = tw[prevE(f)] as number;
        if (tv[f] !== v) fail(`the ring around vertex ${v} is broken`);
        if (++k > this.nLive * 3) fail(`the ring around vertex ${v} does not close`);
      } while (f !== e);
    }
    if (nv !== this.nVert) fail(`${nv} vertices, expected ${this.nVert}`);
    if (this.nLive === 0) {
      if (this.nHeld !== this.nVert) fail('held points are not counted');
      return;
    }
    // The hull: a closed convex loop, Euler's count, and the area.
    let h = 0;
    let start = -1;
    for (let t = 0; t < this.nt && start < 0; t++) {
      if (this.isLive(t) && this.isGhost(t)) start = t;
    }
    let hullArea2 = 0;
    let turn = 0;
    let t = start;
    do {
      // Ghost (x, y, ∞) is the hull edge y→x; the next hull edge starts at x.
      let e = 3 * t;
      while ((tv[e] as number) < 0 || (tv[nextE(e)] as number) < 0) e++;
      const x = tv[e] as number;
      const y = tv[nextE(e)] as number;
      const x0 = xy[S * y] as number;
      const y0 = xy[S * y + 1] as number;
      const x1 = xy[S * x] as number;
      const y1 = xy[S * x + 1] as number;
      hullArea2 += x0 * y1 - x1 * y0;
      // e is x→y, prevE(e) is ∞→x; its twin x→∞ lies in the ghost of the next hull edge.
      const toInf = tw[prevE(e)] as number; // x→∞ in the ghost of the next hull edge
      const tn = (toInf / 3) | 0;
      let en = 3 * tn;
      while ((tv[en] as number) < 0 || (tv[nextE(en)] as number) < 0) en++;
      const x2 = tv[en] as number; // next ghost (x2, x, ∞): hull edge x→x2
      if (tv[nextE(en)] !== x) fail('hull ghosts are not linked');
      const o = this.orient(y, x, xy[S * x2] as number, xy[S * x2 + 1] as number);
      if (o < 0) fail(`the hull turns right at vertex ${x}`);
      turn += Math.atan2(
        (x1 - x0) * ((xy[S * x2 + 1] as number) - y1) - (y1 - y0) * ((xy[S * x2] as number) - x1),
        (x1 - x0) * ((xy[S * x2] as number) - x1) + (y1 - y0) * ((xy[S * x2 + 1] as number) - y1),
      );
      t = tn;
      if (++h > this.nGhost) fail('the hull does not close');
    } while (t !== start);
    if (h !== this.nGhost) fail(`the hull has ${h} edges, expected ${this.nGhost}`);
    if (Math.abs(turn - 2 * Math.PI) > 1e-6) fail(`the hull turns by ${turn}, not 2π`);
    const real = this.nLive - this.nGhost;
    if (real !== 2 * this.nVert - 2 - h)
      fail(`${real} triangles for ${this.nVert} vertices and ${h} hull vertices`);
    if (Math.abs(area2 - hullArea2) > 1e-9 * Math.max(1, Math.abs(hullArea2)))
      fail(`the triangles cover ${area2 / 2}, the hull ${hullArea2 / 2}`);
  }
}
