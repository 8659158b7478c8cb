/**
 * Learner2D: adaptive sampling of f: [x0, x1] × [y0, y1] → ℝ or ℝᵏ by triangle refinement.
 *
 * Port of python-adaptive `learner2D.py` (v1.5.2): corners first, then a point in the triangle
 * of largest loss (`choose_point_in_triangle`: the midpoint of the longest edge when the
 * triangle is badly shaped, else its centroid), in coordinates scaled to the unit square; the
 * losses of `losses2d.ts`; pending points joined to a combined triangulation with values
 * interpolated linearly from the data.
 *
 * The data structures are new. python-adaptive rebuilds a scipy Delaunay triangulation and
 * recomputes every loss, with globally estimated gradients, on every ask and every `loss()`.
 * Here an incremental Delaunay triangulation (`delaunay2d.ts`) holds the evaluated and the
 * pending points, and a heap of blocks of triangle ids (`LossHeap`) their losses. A `tell` or
 * `tellPending` inserts one vertex, which removes the few triangles whose circumcircle held it.
 * The gradient at a vertex is estimated from the vertices within two rings of it by default
 * (`gradientSweeps`; see the gradients section and `losses2d.ts`), so a change re-estimates
 * the gradients of the vertices within one ring of the change and recomputes the losses of the
 * triangles around those: a few dozen triangles, whatever the number of points. Loss updates wait for the next
 * read, so an `ask` and the `tell` of the same point pay for one update. All losses are
 * recomputed only when the value scale grows by `recomputeLossesFactor` (amortised O(1)), or
 * when so many wait that recomputing all is cheaper.
 *
 * Speed. For scalar output in the combined triangulation (the common case) the gradient fit,
 * the sweep and the default loss have hand-specialised versions (`gradientScalar`,
 * `sweepScalar`, `scalarLosses`): the same arithmetic in the same order as the general code,
 * with the sums in locals instead of scratch arrays and no doubles boxed across calls. At 1e5
 * points the data (about 20 MB) no longer fits in the caches and a tell's neighbourhood is
 * mostly cold: the vertices and triangles are renumbered along a Hilbert curve as the data
 * grows, and the losses sit in blocks of consecutive triangle ids, so the updates around one
 * point touch a few cache lines. Ties never depend on ids, so none of this is observable.
 *
 * With nothing pending the combined triangulation is the triangulation of the evaluated points
 * (ties between cocircular points are broken by the points themselves, so both are the same
 * set of triangles). A separate triangulation of the evaluated points is built only when it is
 * first needed while points are pending (the real loss, interpolation, plots), then kept up to
 * date.
 *
 * Every loss is a function of the current points, values and value scale only: sums run in
 * an order fixed by the geometry, and equal losses are ordered by the triangles' coordinates.
 * So the same data gives the same losses and the same asks whatever the order it came in, and
 * a restored snapshot asks exactly what the original would.
 *
 * Each vertex's numbers live in one record of the point store (scaled x, y, the values, a
 * non-finite marker, the gradient estimates and the sweep's curvature correction), so the
 * neighbourhood walks read one or two cache lines per vertex.
 *
 * Fixes against python-adaptive: `choose_point_in_triangle` uses the absolute area (its signed
 * area made every clockwise triangle take its centroid); a `tell` updates the combined data at
 * once (python-adaptive kept interpolated values for told points until the next
 * `tell_pending`); NaN and ±Infinity never poison the losses (a triangle with a non-finite value
 * gets the loss the loss function gives for flat data, and the value scale counts finite values
 * only); out-of-bounds points are rejected instead of stored; snapshots keep pending points.
 *
 * At the edges of the doubles: bounds whose width overflows are refused; centroids and edge
 * interpolants do not overflow near ±MAX_VALUE; the gradients and losses are computed from the
 * values times a power of two (the value unit, 1 for ranges in [2⁻¹⁰⁰, 2¹⁰⁰]), so values near
 * ±MAX_VALUE or subnormal ones sample as values near 1 do (python-adaptive divides the values
 * by their range before estimating gradients, to the same end).
 */
import { orient2d } from 'robust-predicates';
import { Delaunay2D, PointStore2D } from '../geometry/delaunay2d.js';
import { decodeValue, encodeNumber, type JsonNumber } from '../io/json.js';
import { defaultLoss2D, type TriangleLoss } from './losses2d.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import {
  checkAsk,
  checkAskLimit,
  checkOptionKeys,
  describe,
  doublesBetween,
  MIN_DOUBLES_PER_AXIS,
  snapshotReader,
} from './validate.js';

/**
 * A point of the plane, `[x, y]`.
 * @example const p: Point2D = [0.5, -0.25];
 */
export type Point2D = [number, number];

/**
 * A Learner2D value: a number, or a vector of fixed length.
 * @example const v: Value2D = [1, 2, 3];
 */
export type Value2D = number | readonly number[];

/**
 * Options of {@link Learner2D}.
 * @example const options: Learner2DOptions = { bounds: [[0, 1], [0, 2]], loss: uniformLoss2D };
 */
export interface Learner2DOptions {
  /** The domain `[[x0, x1], [y0, y1]]`, finite with `x0 < x1` and `y0 < y1`. */
  bounds: readonly [readonly [number, number], readonly [number, number]];
  /** The loss of one triangle (default {@link defaultLoss2D}). */
  loss?: TriangleLoss;
  /**
   * All losses are recomputed when the value scale grows by more than this factor since the
   * last recomputation (default 1.1, as python-adaptive's LearnerND). With 1 every loss always
   * reflects the current scale, so the losses do not depend on the order of the tells.
   */
  recomputeLossesFactor?: number;
  /**
   * Sweeps of the curvature-minimising update (with its curvature correction) that refine the
   * quadratic least-squares gradient estimate (see `losses2d.ts`): 0, 1 (default) or 2. Each
   * widens a gradient's stencil by one ring, so a tell recomputes more losses: 0 is about twice
   * as fast as 1 and samples worse (on python-adaptive's ring over five radii, its errors are
   * 0.98× and 1.00× python-adaptive's, against 0.92× and 0.90× with 1); 2 is slower again and
   * no better.
   */
  gradientSweeps?: number;
}

/**
 * One evaluated point, as returned by {@link Learner2D.toRecords}.
 * @example const r: Record2D = { x: [0, 1], y: 0.5 };
 */
export interface Record2D {
  x: Point2D;
  y: number | number[];
}

/**
 * The evaluated data as typed arrays (see {@link Learner2D.toArrays}).
 * @example const { x, y, values } = learner.toArrays();
 */
export interface Arrays2D {
  /** x of point i. */
  x: Float64Array;
  /** y of point i. */
  y: Float64Array;
  /** Component k of the value at point i: `values[i * vdim + k]`. */
  values: Float64Array;
  /** Number of output components (1 for scalar output). */
  vdim: number;
}

/**
 * The triangulation of the evaluated points (see {@link Learner2D.triangulation}).
 * @example const { triangles } = learner.triangulation(); // Uint32Array of vertex indices
 */
export interface Triangulation2D extends Arrays2D {
  /** Vertex indices (into `x`, `y`, `values`), three per triangle, counterclockwise. */
  triangles: Uint32Array;
}

/**
 * Values on a regular grid (see {@link Learner2D.interpolateOnGrid}).
 * @example const { x, y, values } = learner.interpolateOnGrid({ nx: 100, ny: 100 });
 */
export interface Grid2D {
  /** The grid's x coordinates (`nx` of them, from x0 to x1). */
  x: Float64Array;
  /** The grid's y coordinates (`ny`, from y0 to y1). */
  y: Float64Array;
  /** Component k at (x[i], y[j]): `values[(i * ny + j) * vdim + k]`; NaN outside the data. */
  values: Float64Array;
  /** Number of output components (1 for scalar output). */
  vdim: number;
}

// Vertex flags.
const REAL = 1;
const PENDING = 2;
const KIND = REAL | PENDING;
const SHADOW = 4; // evaluated, but at the scaled coordinates of another vertex: not triangulated
const DIRTY_R = 8; // marked for the real triangulation's next flush
const DIRTY_C = 16; // ... the combined one's

const INF = Number.POSITIVE_INFINITY;
const OPTION_KEYS = ['bounds', 'loss', 'recomputeLossesFactor', 'gradientSweeps'];
const SNAPSHOT_VERSION = 1;
const MAX_BADNESS = 5;
const SQRT3_4 = Math.sqrt(3) / 4;
const VM_HIGH = 2 ** 100; // the value range's band where the value unit stays (see vm)
const VM_LOW = 2 ** -100;

/** Throws the error of a bad value at point p (built only on failure: tell is hot). */
function valueError(what: string, p: ArrayLike<number>, why: string, range = false): never {
  const msg = `Learner2D.${what}: value at [${p[0]}, ${p[1]}] ${why}`;
  throw range ? new RangeError(msg) : new TypeError(msg);
}

function nextE(e: number): number {
  return e % 3 === 2 ? e - 2 : e + 1;
}

function prevE(e: number): number {
  return e % 3 === 0 ? e + 2 : e - 1;
}

function growI32(a: Int32Array, min: number): Int32Array {
  let cap = Math.max(16, a.length * 2);
  while (cap < min) cap *= 2;
  const r = new Int32Array(cap);
  r.set(a);
  return r;
}

/** (a + b) / 2 without overflow, symmetric in a and b. */
function mid(a: number, b: number): number {
  const m = (a + b) / 2;
  return Number.isFinite(m) ? m : a / 2 + b / 2;
}

/** (a + b + c) / 3 without overflow (the sum overflows near ±MAX_VALUE). */
function third(a: number, b: number, c: number): number {
  const m = (a + b + c) / 3;
  return Number.isFinite(m) ? m : a / 3 + b / 3 + c / 3;
}

// Hash of a pair of doubles (the pending-point index).
const hbits = new Float64Array(2);
const hwords = new Uint32Array(hbits.buffer);
function hashPair(x: number, y: number, mask: number): number {
  hbits[0] = x;
  hbits[1] = y;
  let h = Math.imul((hwords[0] as number) ^ Math.imul(hwords[1] as number, 0x85ebca6b), 0x9e3779b1);
  h = Math.imul(h ^ (hwords[2] as number) ^ Math.imul(hwords[3] as number, 0xc2b2ae35), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & mask;
}

/** Spreads the low 16 bits of x to the even bits. */
function interleave16(x: number): number {
  let r = (x | (x << 8)) & 0x00ff00ff;
  r = (r | (r << 4)) & 0x0f0f0f0f;
  r = (r | (r << 2)) & 0x33333333;
  return (r | (r << 1)) & 0x55555555;
}

/**
 * A 2D Hilbert index of (x, y) in [0, 1]² on a 2¹⁶ grid: an insertion order with short walks.
 * Branch-free, by prefix scans over the bits (the public-domain "fast Hilbert curve" of
 * rawrunprotected); the same index as the classic bit-by-bit loop (xy2d), at a few times the
 * speed (the renumbering computes one per vertex).
 */
function hilbert(x: number, y: number): number {
  const n = 65536;
  const X = Math.min(n - 1, Math.max(0, Math.floor(x * n)));
  const Y = Math.min(n - 1, Math.max(0, Math.floor(y * n)));
  let a = X ^ Y;
  let b = 0xffff ^ a;
  let c = 0xffff ^ (X | Y);
  let d = X & (Y ^ 0xffff);
  let A = a | (b >> 1);
  let B = (a >> 1) ^ a;
  let C = (c >> 1) ^ (b & (d >> 1)) ^ c;
  let D = (a & (c >> 1)) ^ (d >> 1) ^ d;
  a = A;
  b = B;
  c = C;
  d = D;
  A = (a & (a >> 2)) ^ (b & (b >> 2));
  B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  C ^= (a & (c >> 2)) ^ (b & (d >> 2));
  D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));
  a = A;
  b = B;
  c = C;
  d = D;
  A = (a & (a >> 4)) ^ (b & (b >> 4));
  B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C ^= (a & (c >> 4)) ^ (b & (d >> 4));
  D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));
  a = A;
  b = B;
  c = C;
  d = D;
  C ^= (a & (c >> 8)) ^ (b & (d >> 8));
  D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));
  a = C ^ (C >> 1);
  b = D ^ (D >> 1);
  const i0 = X ^ Y;
  const i1 = b | (0xffff ^ (i0 | a));
  return ((interleave16(i1) << 1) | interleave16(i0)) >>> 0;
}

/**
 * One stable counting-sort pass of a radix sort: the ids of `from` (n of them, each an index
 * into keys) into `to` by the 16-bit digit of their key at `shift`. Returns `to`. O(n + 2¹⁶).
 */
function radixPass(
  keys: Uint32Array,
  from: Int32Array,
  to: Int32Array,
  n: number,
  shift: number,
  count: Int32Array,
): Int32Array {
  count.fill(0);
  for (let i = 0; i < n; i++) {
    const d = ((keys[from[i] as number] as number) >>> shift) & 0xffff;
    count[d + 1] = (count[d + 1] as number) + 1;
  }
  for (let d = 1; d < 65537; d++) count[d] = (count[d] as number) + (count[d - 1] as number);
  for (let i = 0; i < n; i++) {
    const id = from[i] as number;
    const d = ((keys[id] as number) >>> shift) & 0xffff;
    const p = count[d] as number;
    count[d] = p + 1;
    to[p] = id;
  }
  return to;
}

/** The position (0, 1, 2) of the lexicographically smallest vertex of the triangle at e0. */
function firstVertex(xy: Float64Array, S: number, tv: Int32Array, e0: number): number {
  let best = 0;
  let bv = tv[e0] as number;
  for (let i = 1; i < 3; i++) {
    const v = tv[e0 + i] as number;
    const dx = (xy[S * v] as number) - (xy[S * bv] as number);
    if (dx < 0 || (dx === 0 && (xy[S * v + 1] as number) < (xy[S * bv + 1] as number))) {
      best = i;
      bv = v;
    }
  }
  return best;
}

/** Whether stored point u comes before w in lexicographic (x, then y) order. */
function lexBefore(xy: Float64Array, S: number, u: number, w: number): boolean {
  const d = (xy[S * u] as number) - (xy[S * w] as number);
  return d < 0 || (d === 0 && (xy[S * u + 1] as number) < (xy[S * w + 1] as number));
}

/**
 * Whether triangle a comes before triangle b among equal losses: compares their vertices
 * counterclockwise from the lexicographically smallest, coordinate by coordinate (distinct
 * triangles of one triangulation always differ somewhere).
 */
function canonicalBefore(mesh: Delaunay2D, a: number, b: number): boolean {
  const xy = mesh.store.xy;
  const S = mesh.store.stride;
  const tv = mesh.tv;
  const ra = firstVertex(xy, S, tv, 3 * a);
  const rb = firstVertex(xy, S, tv, 3 * b);
  for (let i = 0; i < 3; i++) {
    const va = tv[3 * a + ((ra + i) % 3)] as number;
    const vb = tv[3 * b + ((rb + i) % 3)] as number;
    const dx = (xy[S * va] as number) - (xy[S * vb] as number);
    if (dx !== 0) return dx < 0;
    const dy = (xy[S * va + 1] as number) - (xy[S * vb + 1] as number);
    if (dy !== 0) return dy < 0;
  }
  return a < b;
}

/** Row starts of the packed upper triangle of a symmetric 5×5 matrix. */
const ROW = [0, 5, 9, 12, 14] as const;

/**
 * The larger miss of the linear extrapolation from a vertex (value f, gradient gx, gy) to two
 * others at offsets (dx1, dy1) and (dx2, dy2) with values f1, f2 (python-adaptive's
 * `deviations`, one vertex; NaN propagates).
 */
function maxMiss(
  f: number,
  gx: number,
  gy: number,
  dx1: number,
  dy1: number,
  f1: number,
  dx2: number,
  dy2: number,
  f2: number,
): number {
  const m1 = Math.abs(f + dx1 * gx + dy1 * gy - f1);
  const m2 = Math.abs(f + dx2 * gx + dy2 * gy - f2);
  if (Number.isNaN(m1) || Number.isNaN(m2)) return Number.NaN;
  return Math.max(m1, m2);
}

/** log2 of the ids per block of {@link LossHeap}. */
const BSHIFT = 5;
const BSIZE = 1 << BSHIFT;

/**
 * The triangle losses: a max-heap of blocks of triangle ids, lazy on decreases.
 *
 * `cur[id]` is the loss of triangle id (NaN: no such triangle). Ids are grouped in blocks of
 * 32 consecutive ids, and a 4-ary max-heap orders the non-empty blocks by a key that is an
 * upper bound of their largest loss, exact when the block is clean (then `barg` is the id of
 * that loss). A loss that grows past its block's key raises the key and sifts the block up;
 * one that shrinks only writes `cur` (and marks the block stale when it was the block's
 * largest); a stale block is rescanned when it reaches the top.
 *
 * Why blocks: a tell updates the losses of some fifty triangles, all near the new point. The
 * renumbering puts the ids of triangles that are near in the plane near in memory, so their
 * `cur` entries and their blocks share cache lines, and the block heap is 32 times smaller
 * than a heap of triangles (a few hundred kB at 1e5 points, in cache); a heap of triangles
 * puts every entry at a random position and costs a cache miss per update on large heaps.
 *
 * Equal losses are ordered by the triangles' coordinates (`tie`), never by their ids, so the
 * order does not depend on history: within a block the rescan applies the rule; between
 * blocks the heap orders by key only, and a read resolves equal keys explicitly (peek looks
 * at every block whose key equals the top's, the walk explores every block whose key is not
 * below the entry it emits).
 */
class LossHeap {
  /** The loss of each id; NaN where there is no triangle. */
  cur: Float64Array = new Float64Array(BSIZE).fill(Number.NaN);
  /** Number of entries. */
  n = 0;
  // Per block.
  private bcount: Int32Array = new Int32Array(1);
  private barg: Int32Array = new Int32Array(1);
  private bstale: Uint8Array = new Uint8Array(1);
  private bpos: Int32Array = new Int32Array(1).fill(-1); // heap position, -1: empty block
  // The block heap: block and key by heap position.
  private hb: Int32Array = new Int32Array(16);
  private hk: Float64Array = new Float64Array(16);
  private hn = 0;
  // The ordered walk: a frontier of block-heap positions by key, and the ids of the blocks
  // explored, ready to be emitted by their loss.
  private frontier: Int32Array = new Int32Array(64);
  private m = 0;
  private ready: Int32Array = new Int32Array(256);
  private r = 0;
  private met: Int32Array = new Int32Array(64); // stale blocks the walk explored
  private nm = 0;
  // Scratch of peek's tie resolution.
  private stack: Int32Array = new Int32Array(64);

  /**
   * @param mesh the triangulation whose triangle ids this heap holds (for the tie rule). Not a
   *   tie closure: a closure per learner would make V8 throw away the optimised code that
   *   inlined it whenever a learner is collected.
   */
  constructor(private readonly mesh: Delaunay2D) {}

  /** The tie rule: whether triangle a comes before triangle b among equal losses. */
  private tie(a: number, b: number): boolean {
    return canonicalBefore(this.mesh, a, b);
  }

  has(id: number): boolean {
    return id < this.cur.length && !Number.isNaN(this.cur[id] as number);
  }

  /** The loss of id. */
  key(id: number): number {
    return this.cur[id] as number;
  }

  /** Makes room for ids below `cap` (and their blocks). */
  private reserve(id: number): void {
    let cap = this.cur.length;
    while (cap <= id) cap = cap < 4096 ? cap * 2 : cap + (cap >> 1);
    cap = ((cap + BSIZE - 1) >> BSHIFT) << BSHIFT;
    const cur = new Float64Array(cap).fill(Number.NaN);
    cur.set(this.cur);
    this.cur = cur;
    const nb = cap >> BSHIFT;
    const count = new Int32Array(nb);
    count.set(this.bcount);
    this.bcount = count;
    const arg = new Int32Array(nb);
    arg.set(this.barg);
    this.barg = arg;
    const stale = new Uint8Array(nb);
    stale.set(this.bstale);
    this.bstale = stale;
    const pos = new Int32Array(nb).fill(-1);
    pos.set(this.bpos);
    this.bpos = pos;
    if (this.hb.length < nb) {
      const hb = new Int32Array(nb);
      hb.set(this.hb);
      this.hb = hb;
      const hk = new Float64Array(nb);
      hk.set(this.hk);
      this.hk = hk;
    }
  }

  /** Sets the loss of id (a new entry or a new value). O(1) unless its block's key grows. */
  set(id: number, key: number): void {
    if (Number.isNaN(key)) throw new Error('Learner2D: internal error: a NaN loss');
    if (id >= this.cur.length) this.reserve(id);
    const old = this.cur[id] as number;
    this.cur[id] = key;
    const b = id >> BSHIFT;
    if (Number.isNaN(old)) {
      this.n++;
      if ((this.bcount[b] as number) === 0) {
        this.bcount[b] = 1;
        this.barg[b] = id;
        this.bstale[b] = 0;
        this.insertBlock(b, key);
        return;
      }
      this.bcount[b] = (this.bcount[b] as number) + 1;
    } else if (this.barg[b] === id && this.bstale[b] === 0) {
      // The block's largest: its key follows it up; down, it becomes an upper bound.
      const p = this.bpos[b] as number;
      const bk = this.hk[p] as number;
      if (key > bk) {
        this.hk[p] = key;
        this.up(p);
      } else if (key < bk) this.bstale[b] = 1;
      return;
    } else if (key <= old) {
      return; // below the block's largest (or its bound) before, and still
    }
    const p = this.bpos[b] as number;
    const bk = this.hk[p] as number;
    if (key > bk) {
      // Above every loss of the block: the new (exact) largest.
      this.hk[p] = key;
      this.barg[b] = id;
      this.bstale[b] = 0;
      this.up(p);
    } else if (key === bk && this.bstale[b] === 0 && this.tie(id, this.barg[b] as number)) {
      this.barg[b] = id; // equal to the largest, and first by the tie rule
    }
    // Else below the key (or equal to a stale bound): the rescan will see it.
  }

  delete(id: number): void {
    if (id >= this.cur.length || Number.isNaN(this.cur[id] as number)) return;
    this.cur[id] = Number.NaN;
    this.n--;
    const b = id >> BSHIFT;
    const c = (this.bcount[b] as number) - 1;
    this.bcount[b] = c;
    if (c === 0) this.removeBlock(b);
    else if (this.barg[b] === id) this.bstale[b] = 1;
  }

  /**
   * The id of largest loss (the first by the tie rule among equal ones; rescanning stale
   * blocks on the way), or -1. O(32 + log n) amortised per stale block met.
   */
  peek(): number {
    for (;;) {
      if (this.hn === 0) return -1;
      const b = this.hb[0] as number;
      if (this.bstale[b] !== 0) {
        this.hk[0] = this.rescan(b);
        this.down(0);
        continue;
      }
      const k = this.hk[0] as number;
      // Other blocks with the same key lie in the subtree of the root where keys equal k.
      let tied = false;
      const c4 = Math.min(5, this.hn);
      for (let c = 1; c < c4; c++) if (this.hk[c] === k) tied = true;
      if (!tied) return this.barg[b] as number;
      const t = this.peekTied(k);
      if (t >= 0) return t;
    }
  }

  /**
   * peek when blocks besides the top have the top's key k: the first by the tie rule among
   * their largest, or -1 after repairing a stale one among them (then peek starts again).
   */
  private peekTied(k: number): number {
    let best = -1;
    let ns = 0;
    this.stack[ns++] = 0;
    while (ns > 0) {
      const p = this.stack[--ns] as number;
      const b = this.hb[p] as number;
      if (this.bstale[b] !== 0) {
        const key = this.rescan(b);
        if (key < k) {
          this.hk[p] = key;
          this.down(p);
          return -1;
        }
      }
      const a = this.barg[b] as number;
      if (best < 0 || this.tie(a, best)) best = a;
      const c1 = 4 * p + 1;
      const c4 = Math.min(c1 + 4, this.hn);
      for (let c = c1; c < c4; c++) {
        if (this.hk[c] !== k) continue;
        if (ns === this.stack.length) this.stack = growI32(this.stack, ns + 1);
        this.stack[ns++] = c;
      }
    }
    return best;
  }

  /** The exact largest loss of non-empty block b, which becomes clean (barg set). */
  private rescan(b: number): number {
    const cur = this.cur;
    const lo = b << BSHIFT;
    const hi = lo + BSIZE;
    let best = -1;
    let bk = 0;
    for (let id = lo; id < hi; id++) {
      const c = cur[id] as number;
      if (Number.isNaN(c)) continue;
      if (best < 0 || c > bk || (c === bk && this.tie(id, best))) {
        best = id;
        bk = c;
      }
    }
    this.barg[b] = best;
    this.bstale[b] = 0;
    return bk;
  }

  /** Replaces the content by `count` items. O(count + capacity / 32). */
  build(ids: Int32Array, keys: Float64Array, count: number): void {
    let maxId = -1;
    for (let i = 0; i < count; i++) if ((ids[i] as number) > maxId) maxId = ids[i] as number;
    this.resetTo(maxId + 1 + (maxId >> 1));
    const cur = this.cur;
    for (let i = 0; i < count; i++) cur[ids[i] as number] = keys[i] as number;
    this.heapify();
  }

  /** Empty, with room for ids below cap. */
  private resetTo(cap: number): void {
    const c = Math.max(BSIZE, ((cap + BSIZE - 1) >> BSHIFT) << BSHIFT);
    this.cur = new Float64Array(c).fill(Number.NaN);
    const nb = c >> BSHIFT;
    this.bcount = new Int32Array(nb);
    this.barg = new Int32Array(nb);
    this.bstale = new Uint8Array(nb);
    this.bpos = new Int32Array(nb).fill(-1);
    this.hb = new Int32Array(nb);
    this.hk = new Float64Array(nb);
    this.hn = 0;
    this.n = 0;
  }

  /** Counts, rescans and heapifies every block from `cur`. O(capacity). */
  private heapify(): void {
    const nb = this.cur.length >> BSHIFT;
    this.hn = 0;
    this.n = 0;
    for (let b = 0; b < nb; b++) {
      let c = 0;
      for (let id = b << BSHIFT, hi = id + BSIZE; id < hi; id++) {
        if (!Number.isNaN(this.cur[id] as number)) c++;
      }
      this.bcount[b] = c;
      this.bpos[b] = -1;
      this.n += c;
      if (c === 0) continue;
      const p = this.hn++;
      this.hb[p] = b;
      this.hk[p] = this.rescan(b);
      this.bpos[b] = p;
    }
    for (let p = (this.hn - 2) >> 2; p >= 0; p--) this.down(p);
  }

  clear(): void {
    this.resetTo(BSIZE);
  }

  /**
   * Starts a walk over the ids in loss order (largest first, the tie rule among equal ones)
   * that leaves the heap unchanged.
   */
  rewind(): void {
    this.peek();
    this.m = 0;
    this.r = 0;
    this.nm = 0;
    if (this.hn > 0) {
      this.frontier[0] = 0;
      this.m = 1;
    }
  }

  /**
   * The next id of the walk, or -1. An id is emitted once no unexplored block can hold one
   * that comes before it: their losses are at most the frontier's best key (explored while
   * equal, for the tie rule). Each block explored costs 32 pushes.
   */
  next(): number {
    for (;;) {
      if (this.m > 0) {
        const top = this.frontier[0] as number;
        const best = this.r > 0 ? (this.ready[0] as number) : -1;
        if (best < 0 || (this.hk[top] as number) >= (this.cur[best] as number)) {
          this.popFrontier();
          const c1 = 4 * top + 1;
          const c4 = Math.min(c1 + 4, this.hn);
          for (let c = c1; c < c4; c++) this.pushFrontier(c);
          const b = this.hb[top] as number;
          if (this.bstale[b] !== 0) {
            if (this.nm === this.met.length) this.met = growI32(this.met, this.nm + 1);
            this.met[this.nm++] = b;
          }
          const cur = this.cur;
          for (let id = b << BSHIFT, hi = id + BSIZE; id < hi; id++) {
            if (!Number.isNaN(cur[id] as number)) this.pushReady(id);
          }
          continue;
        }
      }
      if (this.r === 0) return -1;
      return this.popReady();
    }
  }

  /**
   * Ends a walk: rescans the stale blocks it explored, so the next walk does not explore them
   * again. O(k (32 + log n)) for k of them.
   */
  settle(): void {
    for (let i = 0; i < this.nm; i++) {
      const b = this.met[i] as number;
      const p = this.bpos[b] as number;
      if (p < 0 || this.bstale[b] === 0) continue;
      this.hk[p] = this.rescan(b);
      this.down(p);
    }
    this.nm = 0;
    this.m = 0;
    this.r = 0;
  }

  private pushFrontier(p: number): void {
    if (this.m === this.frontier.length) this.frontier = growI32(this.frontier, this.m + 1);
    const f = this.frontier;
    const hk = this.hk;
    const k = hk[p] as number;
    let i = this.m++;
    while (i > 0) {
      const q = (i - 1) >> 1;
      if (!(k > (hk[f[q] as number] as number))) break;
      f[i] = f[q] as number;
      i = q;
    }
    f[i] = p;
  }

  private popFrontier(): void {
    const f = this.frontier;
    const hk = this.hk;
    const m = --this.m;
    if (m === 0) return;
    const p = f[m] as number;
    const k = hk[p] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      if (c + 1 < m && (hk[f[c + 1] as number] as number) > (hk[f[c] as number] as number)) c++;
      if (!((hk[f[c] as number] as number) > k)) break;
      f[i] = f[c] as number;
      i = c;
    }
    f[i] = p;
  }

  /** Whether id a comes before id b by their losses (then the tie rule). */
  private before(a: number, b: number): boolean {
    const ka = this.cur[a] as number;
    const kb = this.cur[b] as number;
    if (ka !== kb) return ka > kb;
    return this.tie(a, b);
  }

  private pushReady(id: number): void {
    if (this.r === this.ready.length) this.ready = growI32(this.ready, this.r + 1);
    const a = this.ready;
    let i = this.r++;
    while (i > 0) {
      const q = (i - 1) >> 1;
      if (!this.before(id, a[q] as number)) break;
      a[i] = a[q] as number;
      i = q;
    }
    a[i] = id;
  }

  private popReady(): number {
    const a = this.ready;
    const top = a[0] as number;
    const r = --this.r;
    if (r > 0) {
      const id = a[r] as number;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= r) break;
        if (c + 1 < r && this.before(a[c + 1] as number, a[c] as number)) c++;
        if (!this.before(a[c] as number, id)) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = id;
    }
    return top;
  }

  /** Renames the ids (triangle renumbering): id → tmap[id] for every id held. O(n). */
  remap(tmap: Int32Array): void {
    const old = this.cur;
    let maxId = 0;
    for (let id = 0; id < old.length && id < tmap.length; id++) {
      if (Number.isNaN(old[id] as number)) continue;
      const t = tmap[id] as number;
      if (t > maxId) maxId = t;
    }
    this.resetTo(maxId + 1 + (maxId >> 1));
    for (let id = 0; id < old.length && id < tmap.length; id++) {
      const k = old[id] as number;
      if (!Number.isNaN(k)) this.cur[tmap[id] as number] = k;
    }
    this.heapify();
  }

  copyFrom(o: LossHeap): void {
    this.cur = o.cur.slice();
    this.n = o.n;
    this.bcount = o.bcount.slice();
    this.barg = o.barg.slice();
    this.bstale = o.bstale.slice();
    this.bpos = o.bpos.slice();
    this.hb = o.hb.slice();
    this.hk = o.hk.slice();
    this.hn = o.hn;
  }

  checkValid(): void {
    const fail = (why: string): never => {
      throw new Error(`LossHeap: ${why}`);
    };
    let total = 0;
    const nb = this.cur.length >> BSHIFT;
    for (let b = 0; b < nb; b++) {
      let c = 0;
      let best = -1;
      let bk = 0;
      for (let id = b << BSHIFT; id < (b + 1) << BSHIFT; id++) {
        const k = this.cur[id] as number;
        if (Number.isNaN(k)) continue;
        c++;
        if (best < 0 || k > bk || (k === bk && this.tie(id, best))) {
          best = id;
          bk = k;
        }
      }
      total += c;
      if (c !== this.bcount[b]) fail(`block ${b} counts ${this.bcount[b]} entries, holds ${c}`);
      const p = this.bpos[b] as number;
      if (c === 0) {
        if (p !== -1) fail(`empty block ${b} is in the heap`);
        continue;
      }
      if (p < 0 || p >= this.hn || this.hb[p] !== b) fail(`block ${b} is not in the heap`);
      const key = this.hk[p] as number;
      if (this.bstale[b] === 0) {
        if (key !== bk || this.barg[b] !== best) fail(`clean block ${b} has a wrong largest`);
      } else if (!(key >= bk)) fail(`stale block ${b}'s key is below its largest loss`);
    }
    if (total !== this.n) fail(`${this.n} entries counted, ${total} held`);
    for (let p = 1; p < this.hn; p++) {
      if ((this.hk[p] as number) > (this.hk[(p - 1) >> 2] as number)) fail(`order broken at ${p}`);
    }
  }

  private insertBlock(b: number, key: number): void {
    const p = this.hn++;
    this.hb[p] = b;
    this.hk[p] = key;
    this.bpos[b] = p;
    this.up(p);
  }

  private removeBlock(b: number): void {
    const p = this.bpos[b] as number;
    this.bpos[b] = -1;
    const last = --this.hn;
    if (p === last) return;
    const moved = this.hb[last] as number;
    this.hb[p] = moved;
    this.hk[p] = this.hk[last] as number;
    this.bpos[moved] = p;
    if (p > 0 && (this.hk[p] as number) > (this.hk[(p - 1) >> 2] as number)) this.up(p);
    else this.down(p);
  }

  private up(p: number): void {
    const hb = this.hb;
    const hk = this.hk;
    const bpos = this.bpos;
    const b = hb[p] as number;
    const key = hk[p] as number;
    while (p > 0) {
      const q = (p - 1) >> 2;
      const qkey = hk[q] as number;
      if (!(key > qkey)) break;
      const qb = hb[q] as number;
      hb[p] = qb;
      hk[p] = qkey;
      bpos[qb] = p;
      p = q;
    }
    hb[p] = b;
    hk[p] = key;
    bpos[b] = p;
  }

  private down(p: number): void {
    const hb = this.hb;
    const hk = this.hk;
    const bpos = this.bpos;
    const n = this.hn;
    const b = hb[p] as number;
    const key = hk[p] as number;
    for (;;) {
      const first = 4 * p + 1;
      if (first >= n) break;
      let c = first;
      let ckey = hk[c] as number;
      const last = Math.min(first + 4, n);
      for (let r = first + 1; r < last; r++) {
        const rkey = hk[r] as number;
        if (rkey > ckey) {
          c = r;
          ckey = rkey;
        }
      }
      if (!(ckey > key)) break;
      const cb = hb[c] as number;
      hb[p] = cb;
      hk[p] = ckey;
      bpos[cb] = p;
      p = c;
    }
    hb[p] = b;
    hk[p] = key;
    bpos[b] = p;
  }
}

/** One triangulation with its losses and what waits to be recomputed. */
class MeshLosses {
  readonly mesh: Delaunay2D;
  readonly heap: LossHeap;
  tdirty: Uint8Array = new Uint8Array(16);
  dirtyT: Int32Array = new Int32Array(64);
  nT = 0;
  dirtyV: Int32Array = new Int32Array(64);
  nV = 0;
  /** Every loss is to be recomputed (the lists are then empty). */
  all = false;
  /**
   * The gradient cache when it is not in the vertex records (the real triangulation's):
   * (gradientSweeps + 1)·2·vdim + 1 numbers per vertex.
   */
  grad: Float64Array = new Float64Array(0);

  constructor(
    store: PointStore2D,
    /** This triangulation's dirty bit in the vertex flags. */
    readonly bit: number,
    /** Whether the gradient cache lives in the vertex records (the combined triangulation). */
    readonly inRecord: boolean,
  ) {
    this.mesh = new Delaunay2D(store);
    this.heap = new LossHeap(this.mesh);
  }
}

/**
 * Where to split a triangle (python-adaptive's `choose_point_in_triangle`, with its signed-area
 * bug fixed): the midpoint of the longest edge when the triangle is badly shaped,
 * `longest² / |area| · √3/4 > maxBadness` (an equilateral triangle has badness 1), else the
 * centroid. Edges are taken in python's order (v2→v0, v0→v1, v1→v2); the first longest wins.
 * Learner2D applies this rule in its scaled coordinates.
 *
 * @example
 * choosePointInTriangle([[0, 0], [1, 0], [0, 1]]); // [0.3333333333333333, 0.3333333333333333]
 * choosePointInTriangle([[0, 0], [1, 0], [0.5, 0.01]]); // [0.5, 0] (badness 43)
 */
export function choosePointInTriangle(
  triangle: readonly (readonly [number, number])[],
  maxBadness = MAX_BADNESS,
): Point2D {
  if (!Array.isArray(triangle) || triangle.length !== 3) {
    throw new TypeError(
      `choosePointInTriangle: expected three points [[x, y], [x, y], [x, y]], got ${describe(triangle)}`,
    );
  }
  const p = triangle.map((q, i) => {
    if (!Array.isArray(q) || q.length !== 2 || !q.every((c) => typeof c === 'number')) {
      throw new TypeError(`choosePointInTriangle: point ${i} is not [x, y]: ${describe(q)}`);
    }
    return q as unknown as readonly [number, number];
  }) as [readonly [number, number], readonly [number, number], readonly [number, number]];
  const [a, b, c] = p;
  const area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2;
  // np.roll(triangle, 1): edges (c, a), (a, b), (b, c).
  const edges: [readonly [number, number], readonly [number, number]][] = [
    [c, a],
    [a, b],
    [b, c],
  ];
  let best = 0;
  let longest = -1;
  for (let i = 0; i < 3; i++) {
    const [u, w] = edges[i] as [readonly [number, number], readonly [number, number]];
    const l = Math.hypot(w[0] - u[0], w[1] - u[1]);
    if (l > longest) {
      longest = l;
      best = i;
    }
  }
  if (((longest * longest) / area) * SQRT3_4 > maxBadness) {
    const [u, w] = edges[best] as [readonly [number, number], readonly [number, number]];
    return [(u[0] + w[0]) / 2, (u[1] + w[1]) / 2];
  }
  return [(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3];
}

/**
 * Learns a function of two real variables by splitting the triangles with the largest loss.
 *
 * @example
 * const learner = new Learner2D({ bounds: [[-1, 1], [-1, 1]] });
 * const { points } = learner.ask(4); // the corners: [[-1, -1], [-1, 1], [1, -1], [1, 1]]
 * for (const [x, y] of points) learner.tell([x, y], x * y);
 * learner.npoints; // 4
 * learner.ask(1).points; // [[-0.3333333333333333, 0.3333333333333333]] (a centroid)
 */
export class Learner2D implements Learner<Point2D, Value2D> {
  /** The domain. */
  readonly bounds: readonly [readonly [number, number], readonly [number, number]];
  /** The loss of one triangle. */
  readonly lossFunction: TriangleLoss;
  private readonly factor: number;
  private readonly sweeps: number;
  private readonly needsGradients: boolean;
  private readonly fastDefault: boolean;
  private readonly x0: number;
  private readonly x1: number;
  private readonly y0: number;
  private readonly y1: number;
  private readonly mx: number; // python-adaptive's scaling: (p − mean) / ptp
  private readonly my: number;
  private readonly px: number;
  private readonly py: number;
  private readonly corners: readonly [number, number][];

  // Vertices, shared by the triangulations. Record of vertex v in store.xy, from v·S:
  // [scaled x, scaled y, value₀ … value_{d−1}, meta, gradient cache (GL)].
  private readonly store: PointStore2D;
  private S = 0; // record size
  // Offset of the meta slot: 2·start + bad, where bad (bit 0) is 1 when a value component is
  // not finite, and start is the combined triangulation's canonical start half-edge of the
  // vertex (see gradients). One slot for both keeps a scalar record at 6 numbers without
  // sweeps, 10 with one.
  private BO = 0;
  private GO = 0; // offset of the combined triangulation's gradient cache
  private GL = 0; // its length: (sweeps + 1)·2·d, and 2·d for the correction when sweeps > 0
  private DC = 0; // the offset of the sweep's curvature correction in a gradient cache block
  private xo: Float64Array = new Float64Array(32); // coordinates as told
  private vflag: Uint8Array = new Uint8Array(16);
  private freeV: number[] = [];
  private nReal = 0;
  private nPending = 0;
  private nShadow = 0;
  private corner = 0; // bits 0–3: corner i evaluated; bits 4–7: corner i pending

  // Pending points: (x, y) → vertex, open addressing, backward-shift deletion.
  private ph: Int32Array = new Int32Array(16).fill(-1);

  // Values.
  private vdim = 0; // 0 until the first tell
  private vector = false;
  private yMin: Float64Array = new Float64Array(0);
  private yMax: Float64Array = new Float64Array(0);
  private sRef = 0; // the value range the losses are computed with (times vm)
  /**
   * The value unit: gradients and losses are computed from the told values times vm, a power
   * of two, so the arithmetic neither overflows (values near ±MAX_VALUE, whose differences
   * and gradients overflow) nor loses bits (subnormal values). 1 while the value range lies in
   * [2⁻¹⁰⁰, 2¹⁰⁰]; else the unit that puts it in [1, 2) (within 2^±1000). A function of the
   * data, so of no history; a change recomputes the gradients (O(n), at most once per doubling
   * of the range outside the band). Multiplying by a power of two is exact,
   * so every loss is the same bits whatever vm is (barring underflow of values negligible
   * against the range): data f and f·2ᵏ give the same asks, and f·c the same as far as
   * rounding allows.
   */
  private vm = 1;
  private ve = 0; // vm = 2^ve
  /**
   * The value scale while the value range is 0 (every finite value the same): their magnitude
   * times vm (1 when they are 0 or there are none), so that a loss reading the values
   * themselves (not only their differences) sees the same scaled values for f and f × c.
   * python-adaptive divides by 1 there.
   */
  private sFlat = 1;

  /**
   * The triangulation of evaluated and pending points: ask reads it. With nothing pending it
   * is also the triangulation of the evaluated points.
   */
  private readonly C: MeshLosses;
  /**
   * The triangulation of the evaluated points only, made on the first need while points are
   * pending, then kept up to date; null until then.
   */
  private R: MeshLosses | null = null;

  // Scratch.
  private readonly input: {
    points: Float64Array;
    values: Float64Array;
    gradients: Float64Array;
    vdim: number;
    valueScale: number;
    valueUnit: number;
    area: number;
  };
  private interpHint = -1;
  private renumberedAt = 0; // live vertices at the last renumbering

  constructor(options: Learner2DOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'Learner2D: options must be an object with bounds, e.g. { bounds: [[-1, 1], [-1, 1]] }',
      );
    }
    checkOptionKeys('Learner2D', options, OPTION_KEYS);
    const b = options.bounds as unknown;
    const okPair = (p: unknown): boolean =>
      Array.isArray(p) &&
      p.length === 2 &&
      typeof p[0] === 'number' &&
      typeof p[1] === 'number' &&
      Number.isFinite(p[0]) &&
      Number.isFinite(p[1]) &&
      p[0] < p[1];
    if (!Array.isArray(b) || b.length !== 2 || !okPair(b[0]) || !okPair(b[1])) {
      throw new RangeError(
        `Learner2D: bounds must be [[x0, x1], [y0, y1]] with finite x0 < x1 and y0 < y1, got ${describe(b)}`,
      );
    }
    const [bx, by] = b as [[number, number], [number, number]];
    // The scaled coordinates divide by the width: it must be a finite number.
    for (const [name, [lo, hi]] of [
      ['x', bx],
      ['y', by],
    ] as const) {
      if (!Number.isFinite(hi - lo)) {
        throw new RangeError(
          `Learner2D: the width of the ${name} bounds [${lo}, ${hi}] overflows (${hi} - ${lo} is larger than the largest double, ${Number.MAX_VALUE}); use bounds whose width is finite`,
        );
      }
      const count = doublesBetween(lo, hi);
      if (count < MIN_DOUBLES_PER_AXIS) {
        throw new RangeError(
          `Learner2D: the ${name} bounds [${lo}, ${hi}] hold only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use wider bounds, or bounds nearer 0`,
        );
      }
    }
    this.bounds = [
      [bx[0] + 0, bx[1] + 0],
      [by[0] + 0, by[1] + 0],
    ];
    const [[x0, x1], [y0, y1]] = this.bounds;
    this.x0 = x0;
    this.x1 = x1;
    this.y0 = y0;
    this.y1 = y1;
    // python-adaptive's scaling: (p − mean) / ptp maps the bounds to [-0.5, 0.5]².
    this.mx = (x0 + x1) / 2;
    this.my = (y0 + y1) / 2;
    this.px = x1 - x0;
    this.py = y1 - y0;
    // python-adaptive's order: itertools.product(*bounds).
    this.corners = [
      [x0, y0],
      [x0, y1],
      [x1, y0],
      [x1, y1],
    ];
    const loss = options.loss ?? defaultLoss2D;
    if (typeof loss !== 'function') throw new TypeError('Learner2D: loss must be a function');
    this.lossFunction = loss;
    this.needsGradients = loss.needsGradients !== false;
    this.fastDefault = loss === defaultLoss2D;
    const factor = options.recomputeLossesFactor ?? 1.1;
    if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) {
      throw new RangeError(
        `Learner2D: recomputeLossesFactor must be a finite number >= 1, got ${describe(factor)}`,
      );
    }
    this.factor = factor;
    const sweeps = options.gradientSweeps ?? 1;
    if (sweeps !== 0 && sweeps !== 1 && sweeps !== 2) {
      throw new RangeError(`Learner2D: gradientSweeps must be 0, 1 or 2, got ${describe(sweeps)}`);
    }
    this.sweeps = sweeps;
    this.store = new PointStore2D(16, this.layout(1));
    this.C = new MeshLosses(this.store, DIRTY_C, true);
    this.input = {
      points: new Float64Array(6),
      values: new Float64Array(3),
      gradients: new Float64Array(6),
      vdim: 1,
      valueScale: 1,
      valueUnit: 1,
      area: 0,
    };
  }

  /** Sets the record layout for d output components; returns the record size. */
  private layout(d: number): number {
    this.BO = 2 + d;
    this.GO = 3 + d;
    this.DC = (this.sweeps + 1) * 2 * d;
    this.GL = this.DC + (this.sweeps > 0 ? 2 * d : 0);
    this.S = this.GO + this.GL;
    return this.S;
  }

  /**
   * Number of evaluated points.
   * @example learner.npoints; // 4 after the corners are told
   */
  get npoints(): number {
    return this.nReal;
  }

  /**
   * Points handed out by `ask` (or told pending) and not yet told, sorted by x, then y. O(n).
   * @example learner.ask(2); learner.pendingPoints; // [[-1, -1], [-1, 1]]
   */
  get pendingPoints(): Point2D[] {
    const out: Point2D[] = [];
    for (let v = 0; v < this.store.size; v++) {
      if (((this.vflag[v] as number) & KIND) === PENDING) {
        out.push([this.xo[2 * v] as number, this.xo[2 * v + 1] as number]);
      }
    }
    return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  }

  /**
   * The length of the vector output, 1 for scalar output or before any data.
   * @example learner.tell([0, 0], [1, 2, 3]); learner.outputDimension; // 3
   */
  get outputDimension(): number {
    return this.vdim === 0 ? 1 : this.vdim;
  }

  // ---------------------------------------------------------------- vertices

  private sx(x: number): number {
    return (x - this.mx) / this.px;
  }

  private sy(y: number): number {
    return (y - this.my) / this.py;
  }

  /** A vertex for (x, y): a recycled id or a new one; coordinates set, no flags, values NaN. */
  private allocVertex(x: number, y: number): number {
    let v: number;
    if (this.freeV.length > 0) {
      v = this.freeV.pop() as number;
      this.store.set(v, this.sx(x), this.sy(y));
    } else {
      v = this.store.add(this.sx(x), this.sy(y));
      const cap = this.store.capacity;
      if (2 * cap > this.xo.length) {
        const xo = new Float64Array(2 * cap);
        xo.set(this.xo);
        this.xo = xo;
        const fl = new Uint8Array(cap);
        fl.set(this.vflag);
        this.vflag = fl;
      }
    }
    this.xo[2 * v] = x;
    this.xo[2 * v + 1] = y;
    this.vflag[v] = 0;
    this.writeNaN(v);
    return v;
  }

  private cornerIndex(x: number, y: number): number {
    const i = x === this.x0 ? 0 : x === this.x1 ? 2 : -1;
    if (i < 0) return -1;
    return y === this.y0 ? i : y === this.y1 ? i + 1 : -1;
  }

  private isBad(v: number): boolean {
    return ((this.store.xy[v * this.S + this.BO] as number) & 1) !== 0;
  }

  // ---------------------------------------------------------------- pending index

  private phFind(x: number, y: number): number {
    const ph = this.ph;
    const mask = ph.length - 1;
    const xo = this.xo;
    for (let i = hashPair(x, y, mask); ; i = (i + 1) & mask) {
      const v = ph[i] as number;
      if (v < 0) return -1;
      if (xo[2 * v] === x && xo[2 * v + 1] === y) return v;
    }
  }

  private phAdd(v: number): void {
    if (2 * (this.nPending + 1) > this.ph.length) this.phResize(this.ph.length * 2);
    const ph = this.ph;
    const mask = ph.length - 1;
    let i = hashPair(this.xo[2 * v] as number, this.xo[2 * v + 1] as number, mask);
    while ((ph[i] as number) >= 0) i = (i + 1) & mask;
    ph[i] = v;
  }

  private phDelete(v: number): void {
    const ph = this.ph;
    const mask = ph.length - 1;
    const xo = this.xo;
    let i = hashPair(xo[2 * v] as number, xo[2 * v + 1] as number, mask);
    while (ph[i] !== v) i = (i + 1) & mask;
    // Backward shift: move later entries of the probe run into the hole.
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const u = ph[j] as number;
      if (u < 0) break;
      const h = hashPair(xo[2 * u] as number, xo[2 * u + 1] as number, mask);
      // u may move to i if its home h is not cyclically in (i, j].
      if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
        ph[i] = u;
        i = j;
      }
    }
    ph[i] = -1;
  }

  private phResize(cap: number): void {
    const old = this.ph;
    this.ph = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (let i = 0; i < old.length; i++) {
      const v = old[i] as number;
      if (v < 0) continue;
      let j = hashPair(this.xo[2 * v] as number, this.xo[2 * v + 1] as number, mask);
      while ((this.ph[j] as number) >= 0) j = (j + 1) & mask;
      this.ph[j] = v;
    }
  }

  // ---------------------------------------------------------------- dirty tracking
  //
  // What a change invalidates. A vertex whose 1-ring (positions or values) changed is marked:
  // at the next flush its first gradient estimate is redone, the second one (after the sweep)
  // at the vertices within one ring of it, and every triangle around those gets a new loss.
  // Without gradients only the triangles added, or around a changed value, are marked.

  private markVertex(ms: MeshLosses, v: number): void {
    if (ms.all) return;
    const f = this.vflag[v] as number;
    if ((f & ms.bit) !== 0) return;
    this.vflag[v] = f | ms.bit;
    if (ms.nV === ms.dirtyV.length) ms.dirtyV = growI32(ms.dirtyV, ms.nV + 1);
    ms.dirtyV[ms.nV++] = v;
    this.maybeAll(ms);
  }

  private markTriangle(ms: MeshLosses, t: number): void {
    if (ms.all) return;
    if (t >= ms.tdirty.length) {
      const d = new Uint8Array(Math.max(t + 1, ms.mesh.tv.length / 3));
      d.set(ms.tdirty);
      ms.tdirty = d;
    }
    if (ms.tdirty[t] !== 0) return;
    ms.tdirty[t] = 1;
    if (ms.nT === ms.dirtyT.length) ms.dirtyT = growI32(ms.dirtyT, ms.nT + 1);
    ms.dirtyT[ms.nT++] = t;
    this.maybeAll(ms);
  }

  /**
   * Past a quarter of the triangles waiting, recomputing everything is cheaper. A marked vertex
   * costs its gradient, the sweeps of its ring and the losses of the triangles around those
   * (about seven); a full recomputation costs one gradient, one sweep and two losses per vertex,
   * so it pays from about half a marked vertex per vertex (a quarter per triangle). Only the
   * speed depends on this: both ways give the same numbers.
   */
  private maybeAll(ms: MeshLosses): void {
    const waiting = ms.nT + ms.nV;
    if (waiting > 256 && 4 * waiting > ms.mesh.triangleCount) this.setAll(ms);
  }

  private setAll(ms: MeshLosses): void {
    for (let i = 0; i < ms.nT; i++) ms.tdirty[ms.dirtyT[i] as number] = 0;
    for (let i = 0; i < ms.nV; i++) {
      const v = ms.dirtyV[i] as number;
      this.vflag[v] = (this.vflag[v] as number) & ~ms.bit;
    }
    ms.nT = 0;
    ms.nV = 0;
    if (ms.dirtyT.length > 4096) ms.dirtyT = new Int32Array(64);
    if (ms.dirtyV.length > 4096) ms.dirtyV = new Int32Array(64);
    ms.all = true;
  }

  /** After inserting vertex v into ms.mesh: forget removed losses, mark what changed. */
  private afterInsert(ms: MeshLosses, v: number): void {
    const mesh = ms.mesh;
    const rem = mesh.removed;
    for (let i = 0; i < mesh.nRemoved; i++) ms.heap.delete(rem[i] as number);
    if (ms.all) return;
    const add = mesh.added;
    if (this.needsGradients) {
      // The ring of v and of every vertex on the cavity boundary changed.
      const tv = mesh.tv;
      this.markVertex(ms, v);
      for (let i = 0; i < mesh.nAdded; i++) {
        const u = tv[3 * (add[i] as number)] as number;
        if (u >= 0) this.markVertex(ms, u);
      }
    } else {
      for (let i = 0; i < mesh.nAdded; i++) this.markTriangle(ms, add[i] as number);
    }
  }

  /** After the value at v changed: v and its neighbours read it. */
  private afterValue(ms: MeshLosses, v: number): void {
    if (ms.all) return;
    const mesh = ms.mesh;
    const e0 = mesh.vedge[v] as number;
    if (e0 < 0) return;
    const tv = mesh.tv;
    const tw = mesh.tw;
    let e = e0;
    if (!this.needsGradients) {
      do {
        this.markTriangle(ms, (e / 3) | 0);
        e = tw[prevE(e)] as number;
      } while (e !== e0);
      return;
    }
    this.markVertex(ms, v);
    do {
      const u = tv[nextE(e)] as number;
      if (u >= 0) this.markVertex(ms, u);
      e = tw[prevE(e)] as number;
    } while (e !== e0);
  }

  /** Brings the losses (and gradient cache) of ms up to date. */
  private flush(ms: MeshLosses): void {
    if (ms.all) {
      this.rebuild(ms);
      return;
    }
    if (ms.nV === 0 && ms.nT === 0) return;
    const mesh = ms.mesh;
    const tv = mesh.tv;
    const vflag = this.vflag;
    const bit = ms.bit;
    if (ms.tdirty.length < mesh.capacity) {
      const d = new Uint8Array(tv.length / 3);
      d.set(ms.tdirty);
      ms.tdirty = d;
    }
    if (ms.nV > 0) {
      // Level 0 at the marked vertices (which also marks their neighbours when a sweep
      // follows); level k at those and k rings around them. The last level's walk marks the
      // triangles around each vertex for a new loss.
      this.reserveGradients(ms);
      this.touching = true;
      const n0 = ms.nV;
      for (let i = 0; i < n0; i++) this.gradient(ms, ms.dirtyV[i] as number);
      for (let k = 1; k <= this.sweeps; k++) {
        const n = ms.nV;
        for (let i = 0; i < n; i++) this.sweep(ms, ms.dirtyV[i] as number, k);
      }
      this.touching = false;
      for (let i = 0; i < ms.nV; i++) {
        const v = ms.dirtyV[i] as number;
        vflag[v] = (vflag[v] as number) & ~bit;
      }
      ms.nV = 0;
    }
    if (this.fastDefault && this.vdim === 1 && ms.inRecord) {
      this.scalarLosses(ms, ms.dirtyT, ms.nT, null);
      ms.nT = 0;
      return;
    }
    const heap = ms.heap;
    const tdirty = ms.tdirty;
    // With gradients every marked triangle came from a ring walk of this flush: live and
    // finite. Without, marks from earlier insertions may have died since.
    const check = !this.needsGradients;
    for (let i = 0; i < ms.nT; i++) {
      const t = ms.dirtyT[i] as number;
      tdirty[t] = 0;
      if (check && (!mesh.isLive(t) || mesh.isGhost(t))) continue;
      this.triangleLoss(ms, t);
      heap.set(t, this.lossOut[0] as number);
    }
    ms.nT = 0;
  }

  /**
   * The flush's loss updates for the default loss, scalar output, in the combined
   * triangulation: triangleLoss and defaultLossOf inline (the canonical vertex order from the
   * coordinates already read, the gradients at fixed record offsets), the same arithmetic in
   * the same order. A triangle with a non-finite value goes through genericLoss.
   */
  private scalarLosses(
    ms: MeshLosses,
    list: Int32Array,
    nT: number,
    /** Where the losses go (list order), or null: into the heap, clearing the dirty marks. */
    out: Float64Array | null,
  ): void {
    const tv = ms.mesh.tv;
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const gl = this.GO + 2 * this.sweeps; // the last level's gradient in a record
    const inv = 1 / this.valueScale();
    const vm = this.vm;
    const heap = ms.heap;
    const tdirty = ms.tdirty;
    for (let i = 0; i < nT; i++) {
      const t = list[i] as number;
      if (out === null) tdirty[t] = 0;
      const v0 = tv[3 * t] as number;
      const v1 = tv[3 * t + 1] as number;
      const v2 = tv[3 * t + 2] as number;
      const x0 = rec[S * v0] as number;
      const y0 = rec[S * v0 + 1] as number;
      const x1 = rec[S * v1] as number;
      const y1 = rec[S * v1 + 1] as number;
      const x2 = rec[S * v2] as number;
      const y2 = rec[S * v2 + 1] as number;
      // firstVertex: counterclockwise from the lexicographically smallest vertex.
      let r = 0;
      let mx = x0;
      let my = y0;
      let d = x1 - mx;
      if (d < 0 || (d === 0 && y1 < my)) {
        r = 1;
        mx = x1;
        my = y1;
      }
      d = x2 - mx;
      if (d < 0 || (d === 0 && y2 < my)) r = 2;
      let a = v0;
      let b = v1;
      let c = v2;
      let ax = x0;
      let ay = y0;
      let bx = x1;
      let by = y1;
      let cx = x2;
      let cy = y2;
      if (r === 1) {
        a = v1;
        b = v2;
        c = v0;
        ax = x1;
        ay = y1;
        bx = x2;
        by = y2;
        cx = x0;
        cy = y0;
      } else if (r === 2) {
        a = v2;
        b = v0;
        c = v1;
        ax = x2;
        ay = y2;
        bx = x0;
        by = y0;
        cx = x1;
        cy = y1;
      }
      const oa = S * a;
      const ob = S * b;
      const oc = S * c;
      if (
        (((rec[oa + BO] as number) | (rec[ob + BO] as number) | (rec[oc + BO] as number)) & 1) !==
        0
      ) {
        this.genericLoss(ms, a, b, c, true);
        if (out === null) heap.set(t, this.lossOut[0] as number);
        else out[i] = this.lossOut[0] as number;
        continue;
      }
      const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
      const fa = (rec[oa + 2] as number) * vm * inv;
      const fb = (rec[ob + 2] as number) * vm * inv;
      const fc = (rec[oc + 2] as number) * vm * inv;
      const gax = (rec[oa + gl] as number) * inv;
      const gay = (rec[oa + gl + 1] as number) * inv;
      const gbx = (rec[ob + gl] as number) * inv;
      const gby = (rec[ob + gl + 1] as number) * inv;
      const gcx = (rec[oc + gl] as number) * inv;
      const gcy = (rec[oc + gl + 1] as number) * inv;
      // maxMiss per vertex: Math.max is NaN when either miss is.
      const dev =
        Math.max(
          Math.abs(fa + (bx - ax) * gax + (by - ay) * gay - fb),
          Math.abs(fa + (cx - ax) * gax + (cy - ay) * gay - fc),
        ) +
        Math.max(
          Math.abs(fb + (ax - bx) * gbx + (ay - by) * gby - fa),
          Math.abs(fb + (cx - bx) * gbx + (cy - by) * gby - fc),
        ) +
        Math.max(
          Math.abs(fc + (ax - cx) * gcx + (ay - cy) * gcy - fa),
          Math.abs(fc + (bx - cx) * gcx + (by - cy) * gcy - fb),
        );
      const loss = dev * Math.sqrt(area) + 0.3 * area;
      if (out === null) heap.set(t, Number.isNaN(loss) ? Math.sqrt(area) : loss);
      else out[i] = Number.isNaN(loss) ? Math.sqrt(area) : loss;
    }
  }

  /** Recomputes every gradient and loss of ms and heapifies. O(n). */
  private rebuild(ms: MeshLosses): void {
    ms.all = false;
    const mesh = ms.mesh;
    if (this.needsGradients) {
      this.reserveGradients(ms);
      const n = this.store.size;
      for (let v = 0; v < n; v++) if (mesh.vedge[v] !== -1) this.gradient(ms, v);
      for (let k = 1; k <= this.sweeps; k++) {
        for (let v = 0; v < n; v++) if (mesh.vedge[v] !== -1) this.sweep(ms, v, k);
      }
    }
    const count = mesh.triangleCount;
    const ids = new Int32Array(count);
    const keys = new Float64Array(count);
    let k = 0;
    for (let t = 0; t < mesh.capacity; t++) {
      if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
      ids[k++] = t;
    }
    if (this.fastDefault && this.vdim === 1 && ms.inRecord) this.scalarLosses(ms, ids, k, keys);
    else {
      for (let i = 0; i < k; i++) {
        this.triangleLoss(ms, ids[i] as number);
        keys[i] = this.lossOut[0] as number;
      }
    }
    ms.heap.build(ids, keys, k);
  }

  // ---------------------------------------------------------------- gradients
  //
  // The gradient estimate (see losses2d.ts). Level 0 at vertex v is the weighted least-squares
  // fit of a quadratic through f_v to its finite neighbours,
  //   f_u − f_v ≈ g·E + ½ Eᵀ H E   (E = p_u − p_v, weight 1/|E|²),
  // of which g is kept, and with it the sweep's curvature correction from H (below); with
  // fewer than six finite neighbours, or an ill-conditioned fit, the linear fit f_u − f_v ≈ g·E
  // instead (and no correction). Coordinates are divided by the ring's largest edge, so
  // the normal equations are well scaled at any resolution. Then `gradientSweeps` sweeps of
  // the update that scipy's Clough–Tocher gradient estimate, python-adaptive's, iterates to
  // convergence over all points (Nielson 1983; Renka & Cline 1984): the gradient at v that
  // minimises the curvature of the cubic Hermite curves along v's edges, given its neighbours'
  // gradients, plus a correction that makes it exact for quadratic data:
  //   δ_v = −Q⁻¹ Σ_u (Eᵀ H_v E) E / L³   (Q as in sweep),
  // a function of v's ring and fit only, so it is computed with level 0 (from the weighted
  // moments Σ E_i E_j E_k / L³ gathered in the same walk) and every sweep adds it. Sums run
  // counterclockwise from the lexicographically smallest neighbour: a fixed order, so the same
  // bits whatever the history.
  //
  // The cache: (sweeps + 1)·2·d numbers per vertex (level k, component c: ∂x at k·2d + 2c,
  // ∂y after it), then δ (2·d numbers, at DC) when sweeps > 0; in the vertex records for the
  // combined triangulation, in ms.grad for the real one.

  private reserveGradients(ms: MeshLosses): void {
    if (ms.inRecord) return;
    const need = this.store.capacity * (this.GL + 1);
    if (ms.grad.length < need) {
      const g = new Float64Array(need);
      g.set(ms.grad);
      ms.grad = g;
    }
  }

  /** Where vertex v's gradient cache starts in the cache array of ms. */
  private gradBase(ms: MeshLosses, v: number): number {
    return ms.inRecord ? v * this.S + this.GO : v * (this.GL + 1);
  }

  // Normal equations of the quadratic fit (the 15 entries of the symmetric 5×5 matrix, row by
  // row), right-hand sides (5 per component) and the packed Cholesky factor.
  private nm: Float64Array = new Float64Array(15);
  private touching = false; // an incremental flush is running (see touch)
  private rhs: Float64Array = new Float64Array(5);
  private chol: Float64Array = new Float64Array(15);

  /**
   * The flush's bookkeeping on one ring walk around v (half-edge e leaving v): before the last
   * level, mark neighbour u for the next level; at the last level, mark the triangle of e for a
   * new loss.
   */
  private touch(ms: MeshLosses, e: number, u: number, last: boolean): void {
    if (!this.touching) return;
    if (last) {
      // Ghost triangles (outside the hull) have no loss.
      if (u < 0 || (ms.mesh.tv[prevE(e)] as number) < 0) return;
      const t = (e / 3) | 0;
      if (ms.tdirty[t] === 0) {
        ms.tdirty[t] = 1;
        if (ms.nT === ms.dirtyT.length) ms.dirtyT = growI32(ms.dirtyT, ms.nT + 1);
        ms.dirtyT[ms.nT++] = t;
      }
    } else if (u >= 0) {
      const f = this.vflag[u] as number;
      if ((f & ms.bit) === 0) {
        this.vflag[u] = f | ms.bit;
        if (ms.nV === ms.dirtyV.length) ms.dirtyV = growI32(ms.dirtyV, ms.nV + 1);
        ms.dirtyV[ms.nV++] = u;
      }
    }
  }

  /**
   * Level 0 of the gradient at v into its cache block of ms, with the canonical start
   * half-edge (from v to its lexicographically smallest neighbour: valid until v's ring
   * changes, which makes v a marked vertex again). The ring walk also does the flush's
   * bookkeeping (see touch).
   */
  private gradient(ms: MeshLosses, v: number): void {
    if (ms.inRecord && this.vdim === 1) {
      this.gradientScalar(ms, v);
      return;
    }
    const d = this.outputDimension;
    const g = ms.inRecord ? this.store.xy : ms.grad;
    const go = this.gradBase(ms, v);
    for (let c = 0; c < 2 * d; c++) g[go + c] = 0;
    if (this.sweeps > 0) for (let c = 0; c < 2 * d; c++) g[go + this.DC + c] = 0;
    const mesh = ms.mesh;
    const e0 = mesh.vedge[v] as number;
    if (e0 < 0) return; // held (collinear phase)
    const tv = mesh.tv;
    const tw = mesh.tw;
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const vx = rec[S * v] as number;
    const vy = rec[S * v + 1] as number;
    const last = this.sweeps === 0;
    // Pass 1: the start (smallest neighbour), the count and the scale of the finite ring.
    let start = -1;
    let bx = 0;
    let by = 0;
    let count = 0;
    let h2 = 0;
    let e = e0;
    do {
      const u = tv[nextE(e)] as number;
      this.touch(ms, e, u, last);
      if (u >= 0) {
        const ux = rec[S * u] as number;
        const uy = rec[S * u + 1] as number;
        if (start < 0 || ux < bx || (ux === bx && uy < by)) {
          start = e;
          bx = ux;
          by = uy;
        }
        if (((rec[S * u + BO] as number) & 1) === 0) {
          count++;
          const l2 = (ux - vx) * (ux - vx) + (uy - vy) * (uy - vy);
          if (l2 > h2) h2 = l2;
        }
      }
      e = tw[prevE(e)] as number;
    } while (e !== e0);
    const meta = rec[S * v + BO] as number;
    if (ms.inRecord) rec[S * v + BO] = 2 * start + (meta & 1);
    else g[go + this.GL] = start;
    if (count === 0 || (meta & 1) !== 0) return;
    const ih = 1 / Math.sqrt(h2);
    if (count >= 6 && this.quadratic(mesh, v, start, ih, g, go)) return;
    this.linear(mesh, v, start, ih, g, go);
  }

  /**
   * gradient for scalar output in the combined triangulation (gradients in the records), with
   * the quadratic fit inline: the same arithmetic in the same order as gradient and quadratic,
   * with the normal equations in locals and the 5×5 Cholesky factorisation unrolled.
   */
  private gradientScalar(ms: MeshLosses, v: number): void {
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const ov = S * v;
    const go = ov + this.GO;
    rec[go] = 0;
    rec[go + 1] = 0;
    const correct = this.sweeps > 0;
    if (correct) {
      rec[go + this.DC] = 0;
      rec[go + this.DC + 1] = 0;
    }
    const mesh = ms.mesh;
    const e0 = mesh.vedge[v] as number;
    if (e0 < 0) return; // held (collinear phase)
    const tv = mesh.tv;
    const tw = mesh.tw;
    const vx = rec[ov] as number;
    const vy = rec[ov + 1] as number;
    const touching = this.touching;
    const last = this.sweeps === 0;
    const vflag = this.vflag;
    const bit = ms.bit;
    const tdirty = ms.tdirty;
    // Pass 1: the start (smallest neighbour), the count and the scale of the finite ring.
    let start = -1;
    let bx = 0;
    let by = 0;
    let count = 0;
    let h2 = 0;
    let e = e0;
    do {
      const u = tv[nextE(e)] as number;
      if (touching) {
        if (last) {
          if (u >= 0 && (tv[prevE(e)] as number) >= 0) {
            const t = (e / 3) | 0;
            if (tdirty[t] === 0) {
              tdirty[t] = 1;
              if (ms.nT === ms.dirtyT.length) ms.dirtyT = growI32(ms.dirtyT, ms.nT + 1);
              ms.dirtyT[ms.nT++] = t;
            }
          }
        } else if (u >= 0) {
          const f = vflag[u] as number;
          if ((f & bit) === 0) {
            vflag[u] = f | bit;
            if (ms.nV === ms.dirtyV.length) ms.dirtyV = growI32(ms.dirtyV, ms.nV + 1);
            ms.dirtyV[ms.nV++] = u;
          }
        }
      }
      if (u >= 0) {
        const ou = S * u;
        const ux = rec[ou] as number;
        const uy = rec[ou + 1] as number;
        if (start < 0 || ux < bx || (ux === bx && uy < by)) {
          start = e;
          bx = ux;
          by = uy;
        }
        if (((rec[ou + BO] as number) & 1) === 0) {
          count++;
          const l2 = (ux - vx) * (ux - vx) + (uy - vy) * (uy - vy);
          if (l2 > h2) h2 = l2;
        }
      }
      e = tw[prevE(e)] as number;
    } while (e !== e0);
    const meta = rec[ov + BO] as number;
    rec[ov + BO] = 2 * start + (meta & 1);
    if (count === 0 || (meta & 1) !== 0) return;
    const ih = 1 / Math.sqrt(h2);
    const vm = this.vm;
    const fv = (rec[ov + 2] as number) * vm;
    // The linear fit's sums are the quadratic fit's n0, n1, n5, b0, b1 (the same terms in the
    // same order): an ill-conditioned quadratic fit falls back to them.
    let n0 = 0;
    let n1 = 0;
    let n5 = 0;
    let b0 = 0;
    let b1 = 0;
    if (count >= 6) {
      let n2 = 0;
      let n3 = 0;
      let n4 = 0;
      let n6 = 0;
      let n7 = 0;
      let n8 = 0;
      let n9 = 0;
      let n10 = 0;
      let n11 = 0;
      let n12 = 0;
      let n13 = 0;
      let n14 = 0;
      let b2 = 0;
      let b3 = 0;
      let b4 = 0;
      // The moments of the curvature correction (see the gradients section).
      let qxx = 0;
      let qxy = 0;
      let qyy = 0;
      let m30 = 0;
      let m21 = 0;
      let m12 = 0;
      let m03 = 0;
      e = start;
      do {
        const u = tv[nextE(e)] as number;
        if (u >= 0) {
          const ou = S * u;
          if (((rec[ou + BO] as number) & 1) === 0) {
            const x = ((rec[ou] as number) - vx) * ih;
            const y = ((rec[ou + 1] as number) - vy) * ih;
            const w = 1 / (x * x + y * y);
            const r2 = 0.5 * x * x;
            const r3 = x * y;
            const r4 = 0.5 * y * y;
            const wx = w * x;
            const wy = w * y;
            const w2 = w * r2;
            const w3 = w * r3;
            const w4 = w * r4;
            n0 += wx * x;
            n1 += wx * y;
            n2 += wx * r2;
            n3 += wx * r3;
            n4 += wx * r4;
            n5 += wy * y;
            n6 += wy * r2;
            n7 += wy * r3;
            n8 += wy * r4;
            n9 += w2 * r2;
            n10 += w2 * r3;
            n11 += w2 * r4;
            n12 += w3 * r3;
            n13 += w3 * r4;
            n14 += w4 * r4;
            const df = (rec[ou + 2] as number) * vm - fv;
            b0 += wx * df;
            b1 += wy * df;
            b2 += w2 * df;
            b3 += w3 * df;
            b4 += w4 * df;
            if (correct) {
              const wl = w * Math.sqrt(w); // 1/L³
              const ax = wl * x;
              const ay = wl * y;
              qxx += ax * x;
              qxy += ax * y;
              qyy += ay * y;
              m30 += ax * x * x;
              m21 += ax * x * y;
              m12 += ax * y * y;
              m03 += ay * y * y;
            }
          }
        }
        e = tw[prevE(e)] as number;
      } while (e !== start);
      // Cholesky N = L Lᵀ, row by row (Lij: row i, column j), as quadratic's loops.
      const tr = n0 + n5 + n9 + n12 + n14;
      const eps = 1e-12 * tr;
      let q = n0;
      if (q > eps) {
        const l00 = Math.sqrt(q);
        const l10 = n1 / l00;
        q = n5 - l10 * l10;
        if (q > eps) {
          const l11 = Math.sqrt(q);
          const l20 = n2 / l00;
          const l21 = (n6 - l20 * l10) / l11;
          q = n9 - l20 * l20 - l21 * l21;
          if (q > eps) {
            const l22 = Math.sqrt(q);
            const l30 = n3 / l00;
            const l31 = (n7 - l30 * l10) / l11;
            const l32 = (n10 - l30 * l20 - l31 * l21) / l22;
            q = n12 - l30 * l30 - l31 * l31 - l32 * l32;
            if (q > eps) {
              const l33 = Math.sqrt(q);
              const l40 = n4 / l00;
              const l41 = (n8 - l40 * l10) / l11;
              const l42 = (n11 - l40 * l20 - l41 * l21) / l22;
              const l43 = (n13 - l40 * l30 - l41 * l31 - l42 * l32) / l33;
              q = n14 - l40 * l40 - l41 * l41 - l42 * l42 - l43 * l43;
              if (q > eps) {
                const l44 = Math.sqrt(q);
                // L y = b, then Lᵀ x = y.
                const y0 = b0 / l00;
                const y1 = (b1 - l10 * y0) / l11;
                const y2 = (b2 - l20 * y0 - l21 * y1) / l22;
                const y3 = (b3 - l30 * y0 - l31 * y1 - l32 * y2) / l33;
                const y4 = (b4 - l40 * y0 - l41 * y1 - l42 * y2 - l43 * y3) / l44;
                const x4 = y4 / l44;
                const x3 = (y3 - l43 * x4) / l33;
                const x2 = (y2 - l32 * x3 - l42 * x4) / l22;
                const x1 = (y1 - l21 * x2 - l31 * x3 - l41 * x4) / l11;
                const x0 = (y0 - l10 * x1 - l20 * x2 - l30 * x3 - l40 * x4) / l00;
                rec[go] = x0 * ih;
                rec[go + 1] = x1 * ih;
                if (correct) {
                  const cx = x2 * m30 + 2 * x3 * m21 + x4 * m12;
                  const cy = x2 * m21 + 2 * x3 * m12 + x4 * m03;
                  const qd = qxx * qyy - qxy * qxy;
                  const qt = qxx + qyy;
                  if (qd > 1e-10 * qt * qt) {
                    const f = -ih / (4 * qd);
                    rec[go + this.DC] = f * (qyy * cx - qxy * cy);
                    rec[go + this.DC + 1] = f * (qxx * cy - qxy * cx);
                  }
                }
                return;
              }
            }
          }
        }
      }
    } else {
      // The linear fit only (python-adaptive's scaling, as linear).
      e = start;
      do {
        const u = tv[nextE(e)] as number;
        if (u >= 0) {
          const ou = S * u;
          if (((rec[ou + BO] as number) & 1) === 0) {
            const x = ((rec[ou] as number) - vx) * ih;
            const y = ((rec[ou + 1] as number) - vy) * ih;
            const w = 1 / (x * x + y * y);
            const wx = w * x;
            const wy = w * y;
            n0 += wx * x;
            n1 += wx * y;
            n5 += wy * y;
            const df = (rec[ou + 2] as number) * vm - fv;
            b0 += wx * df;
            b1 += wy * df;
          }
        }
        e = tw[prevE(e)] as number;
      } while (e !== start);
    }
    // linear's solve, with sxx = n0, sxy = n1, syy = n5.
    const tr = n0 + n5;
    const det = n0 * n5 - n1 * n1;
    if (det > 1e-10 * tr * tr) {
      rec[go] = ((n5 * b0 - n1 * b1) / det) * ih;
      rec[go + 1] = ((n0 * b1 - n1 * b0) / det) * ih;
    } else {
      // One direction only: the minimum-norm solution b / trace.
      rec[go] = (b0 / tr) * ih;
      rec[go + 1] = (b1 / tr) * ih;
    }
  }

  /** The quadratic fit; false when it is ill-conditioned (then nothing is written). */
  private quadratic(
    mesh: Delaunay2D,
    v: number,
    start: number,
    ih: number,
    g: Float64Array,
    go: number,
  ): boolean {
    const d = this.outputDimension;
    const tv = mesh.tv;
    const tw = mesh.tw;
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const vm = this.vm;
    const vx = rec[S * v] as number;
    const vy = rec[S * v + 1] as number;
    const n = this.nm;
    n.fill(0);
    if (this.rhs.length < 5 * d) this.rhs = new Float64Array(5 * d);
    const b = this.rhs;
    b.fill(0, 0, 5 * d);
    const correct = this.sweeps > 0;
    // The moments of the curvature correction (see the gradients section).
    let qxx = 0;
    let qxy = 0;
    let qyy = 0;
    let m30 = 0;
    let m21 = 0;
    let m12 = 0;
    let m03 = 0;
    let e = start;
    do {
      const u = tv[nextE(e)] as number;
      if (u >= 0 && ((rec[S * u + BO] as number) & 1) === 0) {
        const x = ((rec[S * u] as number) - vx) * ih;
        const y = ((rec[S * u + 1] as number) - vy) * ih;
        const w = 1 / (x * x + y * y);
        const r2 = 0.5 * x * x;
        const r3 = x * y;
        const r4 = 0.5 * y * y;
        const wx = w * x;
        const wy = w * y;
        const w2 = w * r2;
        const w3 = w * r3;
        const w4 = w * r4;
        n[0] = (n[0] as number) + wx * x;
        n[1] = (n[1] as number) + wx * y;
        n[2] = (n[2] as number) + wx * r2;
        n[3] = (n[3] as number) + wx * r3;
        n[4] = (n[4] as number) + wx * r4;
        n[5] = (n[5] as number) + wy * y;
        n[6] = (n[6] as number) + wy * r2;
        n[7] = (n[7] as number) + wy * r3;
        n[8] = (n[8] as number) + wy * r4;
        n[9] = (n[9] as number) + w2 * r2;
        n[10] = (n[10] as number) + w2 * r3;
        n[11] = (n[11] as number) + w2 * r4;
        n[12] = (n[12] as number) + w3 * r3;
        n[13] = (n[13] as number) + w3 * r4;
        n[14] = (n[14] as number) + w4 * r4;
        if (correct) {
          const wl = w * Math.sqrt(w); // 1/L³
          const ax = wl * x;
          const ay = wl * y;
          qxx += ax * x;
          qxy += ax * y;
          qyy += ay * y;
          m30 += ax * x * x;
          m21 += ax * x * y;
          m12 += ax * y * y;
          m03 += ay * y * y;
        }
        for (let c = 0; c < d; c++) {
          const df = (rec[S * u + 2 + c] as number) * vm - (rec[S * v + 2 + c] as number) * vm;
          const o = 5 * c;
          b[o] = (b[o] as number) + wx * df;
          b[o + 1] = (b[o + 1] as number) + wy * df;
          b[o + 2] = (b[o + 2] as number) + w2 * df;
          b[o + 3] = (b[o + 3] as number) + w3 * df;
          b[o + 4] = (b[o + 4] as number) + w4 * df;
        }
      }
      e = tw[prevE(e)] as number;
    } while (e !== start);
    // Cholesky N = L Lᵀ; L packed by rows: L[i][j] at i(i+1)/2 + j. N[i][j] (i ≤ j) at
    // ROW[i] + j − i.
    const L = this.chol;
    const tr =
      (n[0] as number) +
      (n[5] as number) +
      (n[9] as number) +
      (n[12] as number) +
      (n[14] as number);
    for (let i = 0; i < 5; i++) {
      const li = (i * (i + 1)) >> 1;
      for (let j = 0; j <= i; j++) {
        const lj = (j * (j + 1)) >> 1;
        let s = n[(ROW[j] as number) + i - j] as number;
        for (let k = 0; k < j; k++) s -= (L[li + k] as number) * (L[lj + k] as number);
        if (i === j) {
          if (!(s > 1e-12 * tr)) return false;
          L[li + i] = Math.sqrt(s);
        } else {
          L[li + j] = s / (L[lj + j] as number);
        }
      }
    }
    for (let c = 0; c < d; c++) {
      const o = 5 * c;
      // L y = b, then Lᵀ x = y, in place.
      for (let i = 0; i < 5; i++) {
        const li = (i * (i + 1)) >> 1;
        let s = b[o + i] as number;
        for (let k = 0; k < i; k++) s -= (L[li + k] as number) * (b[o + k] as number);
        b[o + i] = s / (L[li + i] as number);
      }
      for (let i = 4; i >= 0; i--) {
        let s = b[o + i] as number;
        for (let k = i + 1; k < 5; k++) {
          s -= (L[((k * (k + 1)) >> 1) + i] as number) * (b[o + k] as number);
        }
        b[o + i] = s / (L[((i * (i + 1)) >> 1) + i] as number);
      }
      g[go + 2 * c] = (b[o] as number) * ih;
      g[go + 2 * c + 1] = (b[o + 1] as number) * ih;
      if (correct) {
        const x2 = b[o + 2] as number;
        const x3 = b[o + 3] as number;
        const x4 = b[o + 4] as number;
        const cx = x2 * m30 + 2 * x3 * m21 + x4 * m12;
        const cy = x2 * m21 + 2 * x3 * m12 + x4 * m03;
        const qd = qxx * qyy - qxy * qxy;
        const qt = qxx + qyy;
        if (qd > 1e-10 * qt * qt) {
          const f = -ih / (4 * qd);
          g[go + this.DC + 2 * c] = f * (qyy * cx - qxy * cy);
          g[go + this.DC + 2 * c + 1] = f * (qxx * cy - qxy * cx);
        }
      }
    }
    return true;
  }

  /** The linear fit (the minimum-norm one when the neighbours are collinear). */
  private linear(
    mesh: Delaunay2D,
    v: number,
    start: number,
    ih: number,
    g: Float64Array,
    go: number,
  ): void {
    const d = this.outputDimension;
    const tv = mesh.tv;
    const tw = mesh.tw;
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const vm = this.vm;
    const vx = rec[S * v] as number;
    const vy = rec[S * v + 1] as number;
    if (this.rhs.length < 5 * d) this.rhs = new Float64Array(5 * d);
    const b = this.rhs;
    b.fill(0, 0, 2 * d);
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    let e = start;
    do {
      const u = tv[nextE(e)] as number;
      if (u >= 0 && ((rec[S * u + BO] as number) & 1) === 0) {
        const x = ((rec[S * u] as number) - vx) * ih;
        const y = ((rec[S * u + 1] as number) - vy) * ih;
        const w = 1 / (x * x + y * y);
        const wx = w * x;
        const wy = w * y;
        sxx += wx * x;
        sxy += wx * y;
        syy += wy * y;
        for (let c = 0; c < d; c++) {
          const df = (rec[S * u + 2 + c] as number) * vm - (rec[S * v + 2 + c] as number) * vm;
          b[2 * c] = (b[2 * c] as number) + wx * df;
          b[2 * c + 1] = (b[2 * c + 1] as number) + wy * df;
        }
      }
      e = tw[prevE(e)] as number;
    } while (e !== start);
    const tr = sxx + syy;
    const det = sxx * syy - sxy * sxy;
    for (let c = 0; c < d; c++) {
      const bx = b[2 * c] as number;
      const by = b[2 * c + 1] as number;
      if (det > 1e-10 * tr * tr) {
        g[go + 2 * c] = ((syy * bx - sxy * by) / det) * ih;
        g[go + 2 * c + 1] = ((sxx * by - sxy * bx) / det) * ih;
      } else {
        // One direction only: the minimum-norm solution b / trace.
        g[go + 2 * c] = (bx / tr) * ih;
        g[go + 2 * c + 1] = (by / tr) * ih;
      }
    }
  }

  /**
   * Level k of the gradient at v from level k − 1 at its neighbours: with edges E = p_u − p_v of
   * length L,
   *   g_k(v) = −Q⁻¹ Σ_u (6 (f_v − f_u) + 2 E·g_{k−1}(u)) E / L³ + δ_v,   Q = 4 Σ_u E Eᵀ / L³
   * (scipy's update, plus the curvature correction δ_v of level 0). A singular Q keeps level
   * k − 1.
   */
  private sweep(ms: MeshLosses, v: number, k: number): void {
    if (ms.inRecord && this.vdim === 1) {
      this.sweepScalar(ms, v, k);
      return;
    }
    const d = this.outputDimension;
    const d2 = 2 * d;
    const g = ms.inRecord ? this.store.xy : ms.grad;
    const gv = this.gradBase(ms, v);
    const out = gv + k * d2;
    const prev = (k - 1) * d2;
    const mesh = ms.mesh;
    const e0 = mesh.vedge[v] as number;
    if (e0 < 0) return; // held (collinear phase)
    const last = k === this.sweeps;
    const start = ms.inRecord
      ? ((this.store.xy[v * this.S + this.BO] as number) | 0) >> 1
      : (g[gv + this.GL] as number);
    const tv = mesh.tv;
    const tw = mesh.tw;
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const vm = this.vm;
    if (((rec[S * v + BO] as number) & 1) !== 0 || start < 0) {
      for (let c = 0; c < d2; c++) g[out + c] = 0;
      let e = e0;
      do {
        this.touch(ms, e, tv[nextE(e)] as number, last);
        e = tw[prevE(e)] as number;
      } while (e !== e0);
      return;
    }
    const inRec = ms.inRecord;
    const gs = inRec ? S : this.GL + 1;
    const goff = (inRec ? this.GO : 0) + prev;
    const vx = rec[S * v] as number;
    const vy = rec[S * v + 1] as number;
    if (this.rhs.length < 5 * d) this.rhs = new Float64Array(5 * d);
    const s = this.rhs;
    s.fill(0, 0, d2);
    let qxx = 0;
    let qxy = 0;
    let qyy = 0;
    let e = start;
    do {
      const u = tv[nextE(e)] as number;
      this.touch(ms, e, u, last);
      if (u >= 0 && ((rec[S * u + BO] as number) & 1) === 0) {
        const dx = (rec[S * u] as number) - vx;
        const dy = (rec[S * u + 1] as number) - vy;
        const l2 = dx * dx + dy * dy;
        const w3 = 1 / (l2 * Math.sqrt(l2)); // 1/L³
        qxx += w3 * dx * dx;
        qxy += w3 * dx * dy;
        qyy += w3 * dy * dy;
        const gu = u * gs + goff;
        for (let c = 0; c < d; c++) {
          const p =
            (6 * ((rec[S * v + 2 + c] as number) * vm - (rec[S * u + 2 + c] as number) * vm) +
              2 * (dx * (g[gu + 2 * c] as number) + dy * (g[gu + 2 * c + 1] as number))) *
            w3;
          s[2 * c] = (s[2 * c] as number) + p * dx;
          s[2 * c + 1] = (s[2 * c + 1] as number) + p * dy;
        }
      }
      e = tw[prevE(e)] as number;
    } while (e !== start);
    const det = qxx * qyy - qxy * qxy;
    const tr = qxx + qyy;
    const ok = det > 1e-10 * tr * tr;
    const f = -1 / (4 * det); // −Q⁻¹ = −(4 q)⁻¹
    for (let c = 0; c < d; c++) {
      if (ok) {
        const sx = s[2 * c] as number;
        const sy = s[2 * c + 1] as number;
        g[out + 2 * c] = f * (qyy * sx - qxy * sy) + (g[gv + this.DC + 2 * c] as number);
        g[out + 2 * c + 1] = f * (qxx * sy - qxy * sx) + (g[gv + this.DC + 2 * c + 1] as number);
      } else {
        g[out + 2 * c] = g[gv + prev + 2 * c] as number;
        g[out + 2 * c + 1] = g[gv + prev + 2 * c + 1] as number;
      }
    }
  }

  /**
   * sweep for scalar output in the combined triangulation (gradients in the records): the same
   * arithmetic in the same order, with the sums in locals and the flush's bookkeeping inline.
   */
  private sweepScalar(ms: MeshLosses, v: number, k: number): void {
    const rec = this.store.xy;
    const S = this.S;
    const BO = this.BO;
    const GO = this.GO;
    const ov = S * v;
    const out = ov + GO + 2 * k;
    const mesh = ms.mesh;
    const e0 = mesh.vedge[v] as number;
    if (e0 < 0) return; // held (collinear phase)
    const last = k === this.sweeps;
    const meta = rec[ov + BO] as number;
    const start = (meta | 0) >> 1;
    if ((meta & 1) !== 0 || start < 0) {
      rec[out] = 0;
      rec[out + 1] = 0;
      let e = e0;
      do {
        this.touch(ms, e, ms.mesh.tv[nextE(e)] as number, last);
        e = ms.mesh.tw[prevE(e)] as number;
      } while (e !== e0);
      return;
    }
    const tv = mesh.tv;
    const tw = mesh.tw;
    const touching = this.touching;
    const vflag = this.vflag;
    const bit = ms.bit;
    const tdirty = ms.tdirty;
    const gp = GO + 2 * (k - 1); // level k − 1 in a record
    const vx = rec[ov] as number;
    const vy = rec[ov + 1] as number;
    const vm = this.vm;
    const fv = (rec[ov + 2] as number) * vm;
    let qxx = 0;
    let qxy = 0;
    let qyy = 0;
    let sx = 0;
    let sy = 0;
    let e = start;
    do {
      const u = tv[nextE(e)] as number;
      if (touching) {
        if (last) {
          // Ghost triangles (outside the hull) have no loss.
          if (u >= 0 && (tv[prevE(e)] as number) >= 0) {
            const t = (e / 3) | 0;
            if (tdirty[t] === 0) {
              tdirty[t] = 1;
              if (ms.nT === ms.dirtyT.length) ms.dirtyT = growI32(ms.dirtyT, ms.nT + 1);
              ms.dirtyT[ms.nT++] = t;
            }
          }
        } else if (u >= 0) {
          const f = vflag[u] as number;
          if ((f & bit) === 0) {
            vflag[u] = f | bit;
            if (ms.nV === ms.dirtyV.length) ms.dirtyV = growI32(ms.dirtyV, ms.nV + 1);
            ms.dirtyV[ms.nV++] = u;
          }
        }
      }
      if (u >= 0) {
        const ou = S * u;
        if (((rec[ou + BO] as number) & 1) === 0) {
          const dx = (rec[ou] as number) - vx;
          const dy = (rec[ou + 1] as number) - vy;
          const l2 = dx * dx + dy * dy;
          const w3 = 1 / (l2 * Math.sqrt(l2)); // 1/L³
          qxx += w3 * dx * dx;
          qxy += w3 * dx * dy;
          qyy += w3 * dy * dy;
          const p =
            (6 * (fv - (rec[ou + 2] as number) * vm) +
              2 * (dx * (rec[ou + gp] as number) + dy * (rec[ou + gp + 1] as number))) *
            w3;
          sx += p * dx;
          sy += p * dy;
        }
      }
      e = tw[prevE(e)] as number;
    } while (e !== start);
    const det = qxx * qyy - qxy * qxy;
    const tr = qxx + qyy;
    if (det > 1e-10 * tr * tr) {
      const f = -1 / (4 * det); // −Q⁻¹ = −(4 q)⁻¹
      rec[out] = f * (qyy * sx - qxy * sy) + (rec[ov + GO + this.DC] as number);
      rec[out + 1] = f * (qxx * sy - qxy * sx) + (rec[ov + GO + this.DC + 1] as number);
    } else {
      rec[out] = rec[ov + gp] as number;
      rec[out + 1] = rec[ov + gp + 1] as number;
    }
  }

  // ---------------------------------------------------------------- losses

  private valueScale(): number {
    return this.sRef > 0 ? this.sRef : this.sFlat;
  }

  /**
   * The loss of live finite triangle t of ms (its vertices' gradients cached): the vertices in
   * canonical order (counterclockwise from the lexicographically smallest); a triangle with a
   * non-finite value gets the loss of flat data; a NaN loss becomes √area.
   */
  private triangleLoss(ms: MeshLosses, t: number): void {
    const tv = ms.mesh.tv;
    const rec = this.store.xy;
    const S = this.S;
    const r = firstVertex(rec, S, tv, 3 * t);
    const a = tv[3 * t + r] as number;
    const b = tv[3 * t + ((r + 1) % 3)] as number;
    const c = tv[3 * t + ((r + 2) % 3)] as number;
    const BO = this.BO;
    const bad =
      (((rec[S * a + BO] as number) | (rec[S * b + BO] as number) | (rec[S * c + BO] as number)) &
        1) !==
      0;
    if (this.fastDefault && this.vdim <= 1 && !bad) this.defaultLossOf(ms, a, b, c);
    else this.genericLoss(ms, a, b, c, bad);
  }

  /**
   * Where triangleLoss puts its result: a double returned from a call that is not inlined is
   * boxed (a heap allocation per loss); a typed-array slot is not.
   */
  private readonly lossOut = new Float64Array(1);

  /** defaultLoss2D for scalar output, straight from the records (same arithmetic). */
  private defaultLossOf(ms: MeshLosses, a: number, b: number, c: number): void {
    const rec = this.store.xy;
    const S = this.S;
    const g = ms.inRecord ? rec : ms.grad;
    const lv = this.sweeps * 2; // the last level, component 0
    const ga = this.gradBase(ms, a) + lv;
    const gb = this.gradBase(ms, b) + lv;
    const gc = this.gradBase(ms, c) + lv;
    const ax = rec[S * a] as number;
    const ay = rec[S * a + 1] as number;
    const bx = rec[S * b] as number;
    const by = rec[S * b + 1] as number;
    const cx = rec[S * c] as number;
    const cy = rec[S * c + 1] as number;
    const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
    const inv = 1 / this.valueScale();
    const vm = this.vm;
    const fa = (rec[S * a + 2] as number) * vm * inv;
    const fb = (rec[S * b + 2] as number) * vm * inv;
    const fc = (rec[S * c + 2] as number) * vm * inv;
    const gax = (g[ga] as number) * inv;
    const gay = (g[ga + 1] as number) * inv;
    const gbx = (g[gb] as number) * inv;
    const gby = (g[gb + 1] as number) * inv;
    const gcx = (g[gc] as number) * inv;
    const gcy = (g[gc + 1] as number) * inv;
    // deviation2D: for each vertex, the larger miss of its extrapolation to the other two.
    const dev =
      maxMiss(fa, gax, gay, bx - ax, by - ay, fb, cx - ax, cy - ay, fc) +
      maxMiss(fb, gbx, gby, ax - bx, ay - by, fa, cx - bx, cy - by, fc) +
      maxMiss(fc, gcx, gcy, ax - cx, ay - cy, fa, bx - cx, by - cy, fb);
    const loss = dev * Math.sqrt(area) + 0.3 * area;
    this.lossOut[0] = Number.isNaN(loss) ? Math.sqrt(area) : loss;
  }

  private tri3: Int32Array = new Int32Array(3);

  /** Any loss, through the TriangleLossInput scratch. */
  private genericLoss(ms: MeshLosses, a: number, b: number, c: number, bad: boolean): void {
    const rec = this.store.xy;
    const S = this.S;
    const inp = this.input;
    const d = this.outputDimension;
    const pts = inp.points;
    const vs = this.tri3;
    vs[0] = a;
    vs[1] = b;
    vs[2] = c;
    for (let i = 0; i < 3; i++) {
      const v = vs[i] as number;
      pts[2 * i] = rec[S * v] as number;
      pts[2 * i + 1] = rec[S * v + 1] as number;
    }
    const ax = pts[0] as number;
    const ay = pts[1] as number;
    inp.area =
      Math.abs(
        ((pts[2] as number) - ax) * ((pts[5] as number) - ay) -
          ((pts[3] as number) - ay) * ((pts[4] as number) - ax),
      ) / 2;
    inp.vdim = d;
    inp.valueScale = this.valueScale();
    if (inp.values.length !== 3 * d) {
      inp.values = new Float64Array(3 * d);
      inp.gradients = new Float64Array(6 * d);
    }
    const values = inp.values;
    const grads = inp.gradients;
    const vm = this.vm;
    inp.valueUnit = vm;
    if (bad) {
      values.fill(0);
      grads.fill(0);
    } else {
      const d2 = 2 * d;
      const g = ms.inRecord ? rec : ms.grad;
      for (let i = 0; i < 3; i++) {
        const v = vs[i] as number;
        for (let k = 0; k < d; k++) values[i * d + k] = (rec[S * v + 2 + k] as number) * vm;
        if (this.needsGradients) {
          const o = this.gradBase(ms, v) + this.sweeps * d2;
          for (let k = 0; k < d2; k++) grads[i * d2 + k] = g[o + k] as number;
        } else grads.fill(0);
      }
    }
    let loss: unknown;
    try {
      loss = this.lossFunction(inp);
    } catch (e) {
      this.lossError ??= e instanceof Error ? e : new Error(String(e));
      loss = Number.NaN;
    }
    if (typeof loss !== 'number') {
      this.lossError ??= new TypeError(
        `Learner2D: the loss function returned ${describe(loss)}, expected a number`,
      );
      loss = Number.NaN;
    }
    this.lossOut[0] = Number.isNaN(loss) ? Math.sqrt(inp.area) : (loss as number);
  }

  // The first error of a user loss function during a loss update, as LearnerND: the update
  // completes (that triangle's loss is then the uniform √area) and the next tell, ask or loss
  // throws it, saying that the data was kept.
  private lossError: Error | null = null;

  private throwLossError(): void {
    const e = this.lossError;
    if (e === null) return;
    this.lossError = null;
    if (e instanceof TypeError && e.message.startsWith('Learner2D:')) throw e;
    throw new Error(`Learner2D: the loss function threw: ${e.message} (the data was kept)`, {
      cause: e,
    });
  }

  // ---------------------------------------------------------------- values

  /** Fixes the output shape at the first tell (len 0: scalar). */
  private setShape(len: number): void {
    this.vector = len > 0;
    this.vdim = len > 0 ? len : 1;
    this.yMin = new Float64Array(this.vdim).fill(INF);
    this.yMax = new Float64Array(this.vdim).fill(-INF);
    const S = this.layout(this.vdim);
    if (S !== this.store.stride) this.store.restride(S);
    // Only pending points can exist yet: their values are unknown.
    for (let v = 0; v < this.store.size; v++) this.writeNaN(v);
    this.setAll(this.C);
    if (this.R !== null) {
      this.R.grad = new Float64Array(0);
      this.setAll(this.R);
    }
  }

  /** Writes a value into v's record and its non-finite marker; returns whether it is finite. */
  private writeValue(v: number, y: Value2D): boolean {
    const rec = this.store.xy;
    const o = v * this.S;
    const d = this.outputDimension;
    let finite = true;
    if (typeof y === 'number') {
      rec[o + 2] = y;
      finite = Number.isFinite(y);
    } else {
      for (let k = 0; k < d; k++) {
        const c = y[k] as number;
        rec[o + 2 + k] = c;
        if (!Number.isFinite(c)) finite = false;
      }
    }
    rec[o + this.BO] = ((rec[o + this.BO] as number) & ~1) | (finite ? 0 : 1);
    return finite;
  }

  private writeNaN(v: number): void {
    const rec = this.store.xy;
    const o = v * this.S;
    for (let k = 2; k < this.BO; k++) rec[o + k] = Number.NaN;
    rec[o + this.BO] = (rec[o + this.BO] as number) | 1;
  }

  /** Updates the value range with vertex v; recomputes all losses when it grew enough. */
  private updateScale(v: number): void {
    const d = this.vdim;
    const rec = this.store.xy;
    const o = v * this.S + 2;
    for (let k = 0; k < d; k++) {
      const y = rec[o + k] as number;
      if (Number.isFinite(y)) {
        if (y < (this.yMin[k] as number)) this.yMin[k] = y;
        if (y > (this.yMax[k] as number)) this.yMax[k] = y;
      }
    }
    let scale = this.scaledRange();
    // vm is a function of the range (so of the data, whatever its order): 1 in the band, else
    // the unit that puts the range in [1, 2).
    if (
      scale === 0 ||
      (this.ve === 0 ? scale > VM_HIGH || scale < VM_LOW : !(scale >= 1 && scale < 2))
    ) {
      this.setUnit();
      scale = this.scaledRange();
    }
    this.adoptScale(scale);
  }

  /** The largest range (max − min) over the components, times vm; 0 before finite data. */
  private scaledRange(): number {
    const vm = this.vm;
    let scale = 0;
    for (let k = 0; k < this.vdim; k++) {
      const range = (this.yMax[k] as number) * vm - (this.yMin[k] as number) * vm;
      if (range > scale) scale = range;
    }
    return scale;
  }

  /**
   * Sets vm so that the value range is near 1 (a power of two, within 2¹⁰⁰⁰ of 1), rescales
   * sRef exactly and recomputes every gradient (the losses come out the same bits: they do not
   * depend on vm).
   */
  private setUnit(): void {
    let half = 0; // half the range: yMax/2 − yMin/2 does not overflow
    for (let k = 0; k < this.vdim; k++) {
      const r = (this.yMax[k] as number) * 0.5 - (this.yMin[k] as number) * 0.5;
      if (r > half) half = r;
    }
    // While the range is 0 the unit puts the values' magnitude (their half) in [1, 2) instead,
    // and the flat scale is that magnitude times the unit.
    let mag = 0;
    if (half === 0) {
      for (let k = 0; k < this.vdim; k++) {
        const lo = Math.abs(this.yMin[k] as number);
        const hi = Math.abs(this.yMax[k] as number);
        if (Number.isFinite(lo) && lo > mag) mag = lo;
        if (Number.isFinite(hi) && hi > mag) mag = hi;
      }
      half = mag * 0.5;
    }
    // 2 · half within [2⁻¹⁰⁰, 2¹⁰⁰] (the band): e = 0.
    const inBand = half >= VM_LOW / 2 && half <= VM_HIGH / 2;
    const e =
      half > 0 && !inBand ? Math.max(-1000, Math.min(1000, Math.floor(Math.log2(half)) + 1)) : 0;
    const flat = mag > 0 ? mag * 2 ** -e : 1;
    if (-e === this.ve) {
      if (flat !== this.sFlat) {
        this.sFlat = flat;
        if (this.sRef === 0) {
          if (this.R !== null) this.setAll(this.R);
          this.setAll(this.C);
        }
      }
      return;
    }
    this.sFlat = flat;
    // sRef in the new unit, by two exact steps (the ratio itself may be up to 2²⁰⁰⁰).
    const delta = -e - this.ve;
    const h = Math.trunc(delta / 2);
    this.sRef = this.sRef * 2 ** h * 2 ** (delta - h);
    this.ve = -e;
    this.vm = 2 ** -e;
    if (this.R !== null) this.setAll(this.R);
    this.setAll(this.C);
  }

  /** Takes scale (times vm) as the loss scale when it grew by the factor. */
  private adoptScale(scale: number): void {
    if (scale > this.factor * this.sRef || (this.sRef === 0 && scale > 0)) {
      this.sRef = scale;
      if (this.R !== null) this.setAll(this.R);
      this.setAll(this.C);
    }
  }

  // ---------------------------------------------------------------- validation

  /** Throws unless p is a finite point [x, y] within the bounds. */
  private validatePoint(p: unknown, what: string): void {
    if (
      (!Array.isArray(p) && !ArrayBuffer.isView(p)) ||
      (p as ArrayLike<unknown>).length !== 2 ||
      typeof (p as ArrayLike<unknown>)[0] !== 'number' ||
      typeof (p as ArrayLike<unknown>)[1] !== 'number'
    ) {
      throw new TypeError(
        `Learner2D.${what}: a point must be an array [x, y] of two numbers, got ${describe(p)}`,
      );
    }
    const x = (p as ArrayLike<number>)[0] as number;
    const y = (p as ArrayLike<number>)[1] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new TypeError(`Learner2D.${what}: point [${x}, ${y}] is not finite`);
    }
    if (x < this.x0 || x > this.x1 || y < this.y0 || y > this.y1) {
      throw new RangeError(
        `Learner2D.${what}: point [${x}, ${y}] is outside the bounds [[${this.x0}, ${this.x1}], [${this.y0}, ${this.y1}]]`,
      );
    }
  }

  private checkPoint(p: unknown, what: string): [number, number] {
    this.validatePoint(p, what);
    const q = p as ArrayLike<number>;
    return [(q[0] as number) + 0, (q[1] as number) + 0]; // -0 → 0
  }

  /**
   * Validates the value at point p; returns its vector length (0 for a scalar). The messages
   * are built only on failure (this runs on every tell).
   */
  private checkValue(
    p: ArrayLike<number>,
    y: unknown,
    what: string,
    vdim: number,
    vector: boolean,
  ): number {
    if (typeof y === 'number') {
      if (vdim !== 0 && vector) {
        valueError(what, p, `is a number, but earlier values were vectors of length ${vdim}`);
      }
      return 0;
    }
    if (Array.isArray(y) || ArrayBuffer.isView(y)) {
      const v = y as ArrayLike<unknown>;
      if (v.length === 0) valueError(what, p, 'is an empty vector');
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number')
          valueError(what, p, `must hold numbers only, got ${describe(y)}`);
      }
      if (vdim !== 0 && !vector)
        valueError(what, p, 'is a vector, but earlier values were numbers');
      if (vdim !== 0 && v.length !== vdim) {
        valueError(what, p, `has length ${v.length}, but earlier values had length ${vdim}`, true);
      }
      return v.length;
    }
    return valueError(what, p, `must be a number or an array of numbers, got ${describe(y)}`);
  }

  // ---------------------------------------------------------------- protocol

  /**
   * Tells the value at `point`. A point told before is ignored (its first value stays).
   * Expected O(1) for a point handed out by `ask` (the loss updates wait for the next read),
   * an O(√n) walk for a point it did not hand out; plus an amortised O(1) share of the full
   * recomputation when the value scale grows.
   * @throws TypeError/RangeError naming the point when it is outside the bounds or the value
   *   has the wrong shape; the learner is then unchanged.
   * @example learner.tell([0.5, -0.25], 1.2);
   */
  tell(point: Point2D | readonly [number, number], value: Value2D): void {
    this.validatePoint(point, 'tell');
    const len = this.checkValue(point, value, 'tell', this.vdim, this.vector);
    if (this.vdim === 0) this.setShape(len);
    this.tellUnchecked((point[0] as number) + 0, (point[1] as number) + 0, value); // -0 → 0
    this.throwLossError();
  }

  private tellUnchecked(x: number, y: number, value: Value2D): void {
    let v = this.phFind(x, y);
    if (v < 0) {
      const u = this.C.mesh.findVertex(this.sx(x), this.sy(y));
      if (u >= 0) {
        if (this.xo[2 * u] === x && this.xo[2 * u + 1] === y) return; // told before
        // Another point at the same scaled coordinates (closer than floating point resolves).
        if (((this.vflag[u] as number) & KIND) === PENDING) {
          // The told point takes the pending vertex over: evaluated, at this resolution.
          const c = this.cornerIndex(this.xo[2 * u] as number, this.xo[2 * u + 1] as number);
          if (c >= 0) this.corner &= ~(16 << c);
          this.phDelete(u);
          this.xo[2 * u] = x;
          this.xo[2 * u + 1] = y;
          this.phAdd(u);
          v = u;
        } else {
          this.tellShadow(u, x, y, value);
          return;
        }
      }
    }
    const R = this.R;
    const C = this.C;
    if (v >= 0) {
      this.phDelete(v);
      this.nPending--;
      this.writeValue(v, value);
      this.vflag[v] = ((this.vflag[v] as number) & ~KIND) | REAL;
      this.nReal++;
      this.afterValue(C, v);
      if (R !== null) {
        if (R.mesh.insertVertex(v, this.realHintAround(v)) !== v) {
          throw new Error('Learner2D: internal error: a pending point is already evaluated');
        }
        this.afterInsert(R, v);
      }
    } else {
      v = this.allocVertex(x, y);
      this.writeValue(v, value);
      this.vflag[v] = REAL;
      this.nReal++;
      C.mesh.insertVertex(v);
      this.afterInsert(C, v);
      if (R !== null) {
        R.mesh.insertVertex(v);
        this.afterInsert(R, v);
      }
    }
    const c = this.cornerIndex(x, y);
    if (c >= 0) this.corner = (this.corner | (1 << c)) & ~(16 << c);
    this.updateScale(v);
  }

  /**
   * A point at the scaled coordinates of evaluated vertex u but not equal to it: kept as data
   * (npoints, records, snapshots), not triangulated. Of such a group the lexicographically
   * smallest point is the triangulated one, whatever the order they came in.
   */
  private tellShadow(u: number, x: number, y: number, value: Value2D): void {
    const s = this.allocVertex(x, y);
    this.writeValue(s, value);
    this.vflag[s] = REAL | SHADOW;
    this.nReal++;
    this.nShadow++;
    const xo = this.xo;
    if (x < (xo[2 * u] as number) || (x === xo[2 * u] && y < (xo[2 * u + 1] as number))) {
      // Swap: u (triangulated) takes the new point, s the old one.
      xo[2 * s] = xo[2 * u] as number;
      xo[2 * s + 1] = xo[2 * u + 1] as number;
      xo[2 * u] = x;
      xo[2 * u + 1] = y;
      const rec = this.store.xy;
      const S = this.S;
      for (let k = 2; k < this.BO; k++) {
        const t = rec[S * u + k] as number;
        rec[S * u + k] = rec[S * s + k] as number;
        rec[S * s + k] = t;
      }
      // The non-finite bits too (u keeps its start half-edge: its ring is unchanged).
      const mu = rec[S * u + this.BO] as number;
      const ms = rec[S * s + this.BO] as number;
      rec[S * u + this.BO] = (mu & ~1) | (ms & 1);
      rec[S * s + this.BO] = (ms & ~1) | (mu & 1);
      if (this.R !== null) this.afterValue(this.R, u);
      this.afterValue(this.C, u);
    }
    const c = this.cornerIndex(x, y);
    if (c >= 0) this.corner = (this.corner | (1 << c)) & ~(16 << c);
    // The new value is at u after a swap, else at s.
    this.updateScale(u);
    this.updateScale(s);
  }

  /** A real-triangulation triangle next to vertex v (in the combined one): a walk hint. */
  private realHintAround(v: number): number {
    const C = this.C.mesh;
    const Rm = (this.R as MeshLosses).mesh;
    const e0 = C.vedge[v] as number;
    if (e0 < 0) return -1;
    const tv = C.tv;
    const tw = C.tw;
    let e = e0;
    do {
      const u = tv[nextE(e)] as number;
      if (u >= 0 && ((this.vflag[u] as number) & REAL) !== 0) {
        const re = Rm.vedge[u] as number;
        if (re >= 0) return (re / 3) | 0;
      }
      e = tw[prevE(e)] as number;
    } while (e !== e0);
    return -1;
  }

  /**
   * Tells many points at once: the same as telling them one by one. All points and values are
   * validated first, so a bad one leaves the learner unchanged.
   * @example learner.tellMany([[0, 0], [0.5, 0.5]], [1, 2]);
   */
  tellMany(
    points: readonly (Point2D | readonly [number, number])[],
    values: readonly Value2D[],
  ): void {
    if (!Array.isArray(points) || !Array.isArray(values)) {
      throw new TypeError('Learner2D.tellMany: points and values must be arrays');
    }
    if (points.length !== values.length) {
      throw new RangeError(
        `Learner2D.tellMany: ${points.length} points but ${values.length} values`,
      );
    }
    const clean: [number, number][] = new Array(points.length);
    let vdim = this.vdim;
    let vector = this.vector;
    for (let i = 0; i < points.length; i++) {
      const p = this.checkPoint(points[i], 'tellMany');
      const len = this.checkValue(p, values[i], 'tellMany', vdim, vector);
      if (vdim === 0) {
        vdim = len > 0 ? len : 1;
        vector = len > 0;
      }
      clean[i] = p;
    }
    if (points.length > 0 && this.vdim === 0) this.setShape(vector ? vdim : 0);
    for (let i = 0; i < clean.length; i++) {
      const p = clean[i] as [number, number];
      this.tellUnchecked(p[0], p[1], values[i] as Value2D);
    }
    this.throwLossError();
  }

  /**
   * Marks `point` as being evaluated, so `ask` does not hand it out again. A point known
   * already (evaluated or pending, or at their scaled coordinates) is left alone. Expected
   * O(1) plus a walk.
   * @example learner.tellPending([0.1, 0.2]);
   */
  tellPending(point: Point2D | readonly [number, number]): void {
    const p = this.checkPoint(point, 'tellPending');
    this.tellPendingAt(p[0], p[1], -1);
    this.throwLossError();
  }

  /** Marks (x, y) pending; `hint` is a combined triangle near it, or -1. */
  private tellPendingAt(x: number, y: number, hint: number): void {
    if (this.phFind(x, y) >= 0) return;
    const C = this.C;
    const sx = this.sx(x);
    const sy = this.sy(y);
    let t = -1;
    if (C.mesh.triangleCount > 0) {
      t = C.mesh.locate(sx, sy, hint);
      if (!C.mesh.isGhost(t)) {
        const rec = this.store.xy;
        const S = this.S;
        for (let i = 0; i < 3; i++) {
          const u = C.mesh.tv[3 * t + i] as number;
          if (rec[S * u] === sx && rec[S * u + 1] === sy) return; // known already
        }
      }
    } else if (C.mesh.findVertex(sx, sy) >= 0) return;
    const v = this.allocVertex(x, y);
    this.interpolateInto(v, sx, sy, t);
    this.vflag[v] = PENDING;
    this.nPending++;
    this.phAdd(v);
    C.mesh.insertVertex(v, t);
    this.afterInsert(C, v);
    const c = this.cornerIndex(x, y);
    if (c >= 0) this.corner |= 16 << c;
  }

  /**
   * Gives pending vertex v the combined data's linear interpolant at (sx, sy), which lies in
   * combined triangle t: with nothing else pending, the evaluated data's interpolant, as
   * python-adaptive. Outside the hull, or where a vertex value is not finite, NaN (the
   * triangles around v are then treated as flat, as python-adaptive's zeros before the corners
   * are in).
   */
  private interpolateInto(v: number, sx: number, sy: number, t: number): void {
    const mesh = this.C.mesh;
    if (this.vdim === 0 || t < 0 || mesh.isGhost(t)) return; // stays NaN
    const rec = this.store.xy;
    const o = v * this.S;
    const ok = this.barycentric(mesh, t, sx, sy, rec, o + 2) === 1;
    if (ok) rec[o + this.BO] = (rec[o + this.BO] as number) & ~1;
    else this.writeNaN(v);
  }

  /**
   * Linear interpolation of the data of `mesh` at scaled (sx, sy) into out[off…]. Returns -1
   * (nothing written) outside the hull or before the first triangle, 0 when the result is not
   * finite, 1 otherwise. Walks from the previous hit.
   */
  private interpolateAt(
    mesh: Delaunay2D,
    sx: number,
    sy: number,
    out: Float64Array,
    off: number,
  ): number {
    if (mesh.triangleCount === 0 || this.vdim === 0) return -1;
    const t = mesh.locate(sx, sy, this.interpHint);
    if (t < 0 || mesh.isGhost(t)) return -1;
    this.interpHint = t;
    return this.barycentric(mesh, t, sx, sy, out, off);
  }

  /**
   * The linear interpolant in finite triangle t (which holds (sx, sy), boundary included) into
   * out[off…]; returns 1 if finite, else 0. Canonical, so the same bits whatever the history:
   * exact orientation tests tell the interior from an edge; inside, the weights are computed
   * from the lexicographically smallest vertex; on an edge (a point on it lies in two
   * triangles) only its two endpoints count, in lexicographic order.
   */
  private barycentric(
    mesh: Delaunay2D,
    t: number,
    sx: number,
    sy: number,
    out: Float64Array,
    off: number,
  ): number {
    const tv = mesh.tv;
    const rec = this.store.xy;
    const S = this.S;
    const r = firstVertex(rec, S, tv, 3 * t);
    const a = tv[3 * t + r] as number;
    const b = tv[3 * t + ((r + 1) % 3)] as number;
    const c = tv[3 * t + ((r + 2) % 3)] as number;
    const ax = rec[S * a] as number;
    const ay = rec[S * a + 1] as number;
    const bx = rec[S * b] as number;
    const by = rec[S * b + 1] as number;
    const cx = rec[S * c] as number;
    const cy = rec[S * c + 1] as number;
    // robust-predicates' orient2d is negative for counterclockwise (y down): 0 means on the line.
    const onAB = orient2d(ax, ay, bx, by, sx, sy) === 0;
    const onBC = orient2d(bx, by, cx, cy, sx, sy) === 0;
    const onCA = orient2d(cx, cy, ax, ay, sx, sy) === 0;
    const d = this.vdim;
    let ok = 1;
    if (onAB || onBC || onCA) {
      // On an edge (or at a vertex): interpolate between its endpoints u < w.
      let u = onAB ? a : onBC ? b : c;
      let w = onAB ? b : onBC ? c : a;
      if (lexBefore(rec, S, w, u)) {
        const tmp = u;
        u = w;
        w = tmp;
      }
      const ux = rec[S * u] as number;
      const uy = rec[S * u + 1] as number;
      const ex = (rec[S * w] as number) - ux;
      const ey = (rec[S * w + 1] as number) - uy;
      const s = Math.min(1, Math.max(0, ((sx - ux) * ex + (sy - uy) * ey) / (ex * ex + ey * ey)));
      for (let k = 0; k < d; k++) {
        const fu = rec[S * u + 2 + k] as number;
        const fw = rec[S * w + 2 + k] as number;
        let v = s === 0 ? fu : s === 1 ? fw : fu + s * (fw - fu);
        // fw − fu overflows for values of opposite signs near ±MAX_VALUE.
        if (!Number.isFinite(v)) {
          v = (1 - s) * fu + s * fw;
          if (!Number.isFinite(v)) ok = 0;
        }
        out[off + k] = v;
      }
      return ok;
    }
    const det = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    let wb = ((sx - ax) * (cy - ay) - (sy - ay) * (cx - ax)) / det;
    let wc = ((bx - ax) * (sy - ay) - (by - ay) * (sx - ax)) / det;
    // Strictly inside: clamp rounding only.
    wb = Math.min(1, Math.max(0, wb));
    wc = Math.min(1 - wb, Math.max(0, wc));
    const wa = 1 - wb - wc;
    for (let k = 0; k < d; k++) {
      const v =
        wa * (rec[S * a + 2 + k] as number) +
        wb * (rec[S * b + 2 + k] as number) +
        wc * (rec[S * c + 2 + k] as number);
      if (!Number.isFinite(v)) ok = 0;
      out[off + k] = v;
    }
    return ok;
  }

  /** The triangulation of the evaluated points (the combined one when nothing is pending). */
  private realMesh(): Delaunay2D {
    return this.nPending === 0 ? this.C.mesh : this.ensureR().mesh;
  }

  /** The real triangulation, made from the evaluated points on first use. O(n log n) once. */
  private ensureR(): MeshLosses {
    if (this.R !== null) return this.R;
    const R = new MeshLosses(this.store, DIRTY_R, false);
    this.buildMesh(R.mesh, this.realIds(false));
    R.all = true;
    this.R = R;
    return R;
  }

  /** Ids of the evaluated vertices (with the shadows or not), in id order. */
  private realIds(withShadows: boolean): Int32Array {
    const ids = new Int32Array(this.nReal);
    let k = 0;
    for (let v = 0; v < this.store.size; v++) {
      const f = this.vflag[v] as number;
      if ((f & KIND) === REAL && (withShadows || (f & SHADOW) === 0)) ids[k++] = v;
    }
    return ids.subarray(0, k);
  }

  /**
   * Inserts vertices into an empty triangulation in a good order: corners first, then along a
   * Hilbert curve (short walks, little hull growth); of vertices at equal scaled coordinates
   * the lexicographically smallest (as told) first. Returns the vertices that landed on
   * another's scaled coordinates (not inserted).
   */
  private buildMesh(mesh: Delaunay2D, ids: Int32Array): number[] {
    const xo = this.xo;
    const rec = this.store.xy;
    const S = this.S;
    const n = ids.length;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = ids[i] as number;
      const corner = this.cornerIndex(xo[2 * v] as number, xo[2 * v + 1] as number) >= 0;
      keys[i] = corner
        ? -1
        : hilbert((rec[S * v] as number) + 0.5, (rec[S * v + 1] as number) + 0.5);
    }
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((i, j) => {
      const k = (keys[i] as number) - (keys[j] as number);
      if (k !== 0) return k;
      const a = ids[i] as number;
      const b = ids[j] as number;
      return (
        (xo[2 * a] as number) - (xo[2 * b] as number) ||
        (xo[2 * a + 1] as number) - (xo[2 * b + 1] as number)
      );
    });
    const collided: number[] = [];
    for (const i of order) {
      const v = ids[i] as number;
      if (mesh.insertVertex(v) !== v) collided.push(v);
    }
    return collided;
  }

  /**
   * Forgets every pending point: the combined triangulation becomes the real one again (a
   * copy when that exists, else rebuilt from the evaluated points). O(n log n).
   * @example learner.removeUnfinished(); learner.pendingPoints; // []
   */
  removeUnfinished(): void {
    if (this.nPending === 0) return;
    const C = this.C;
    for (let v = 0; v < this.store.size; v++) {
      const f = this.vflag[v] as number;
      if ((f & KIND) === PENDING) {
        this.vflag[v] = 0;
        this.writeNaN(v);
        this.freeV.push(v);
      } else this.vflag[v] = f & ~DIRTY_C;
    }
    this.ph.fill(-1);
    this.nPending = 0;
    this.corner &= 15;
    C.nT = 0;
    C.nV = 0;
    C.tdirty.fill(0);
    C.mesh.clear();
    const R = this.R;
    if (R !== null) C.mesh.copyFrom(R.mesh);
    else this.buildMesh(C.mesh, this.realIds(false));
    this.setAll(C);
  }

  /**
   * The largest triangle loss: of the evaluated data (`real`, default), or including pending
   * points. +Infinity until all four corners are evaluated (for `real: false`: evaluated or
   * pending), and with no triangle. O(1) plus the deferred loss updates; the first real loss
   * read while points are pending builds the real triangulation (O(n log n), once).
   * @example learner.loss(); // 0.0086
   */
  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    if (real ? (this.corner & 15) !== 15 : ((this.corner | (this.corner >> 4)) & 15) !== 15) {
      return INF;
    }
    const ms = real && this.nPending > 0 ? this.ensureR() : this.C;
    this.flush(ms);
    this.throwLossError();
    const top = ms.heap.peek();
    return top < 0 ? INF : ms.heap.key(top);
  }

  // ---------------------------------------------------------------- ask

  // Scratch of one ask.
  private askX: number[] = [];
  private askY: number[] = [];
  private askL: number[] = [];
  private askT: number[] = [];

  /**
   * Returns `n` points expected to reduce the loss most, and the loss improvement of each (the
   * loss of the triangle it splits; +Infinity for a corner). Missing corners come first, then a
   * point in each of the triangles of largest loss (python-adaptive's
   * `choose_point_in_triangle`); when there are fewer triangles than points, the points so far
   * are made pending and the choice repeats. With `tellPending: false` the learner is left as
   * it was, and the points are those `ask(n)` would return. O(n log n) plus the insertions.
   * @throws RangeError when n is not a non-negative integer.
   * @example
   * learner.ask(2); // { points: [[-1, -1], [-1, 1]], lossImprovements: [Infinity, Infinity] }
   * learner.ask(3, { tellPending: false }); // what ask(3) would return, nothing changed
   */
  ask(n: number, options?: AskOptions): AskResult<Point2D> {
    const tellPending = checkAsk('Learner2D.ask', n, options);
    if (n === 0) return { points: [], lossImprovements: [] };
    checkAskLimit('Learner2D.ask', n, this.store.size, this.maxPoints());
    // An error of the loss function surfaces before any point is handed out (an error in a
    // later update of this ask waits for the next call).
    this.throwLossError();
    if (((this.corner | (this.corner >> 4)) & 15) === 15) {
      this.flush(this.C);
      this.throwLossError();
    }
    if (!tellPending) {
      const k = this.choose(n);
      if (k === n || !this.chooseCanContinue()) return this.askResult(k);
      // More points need the first ones in the triangulation: ask a copy.
      const copy = this.copy();
      return copy.ask(n);
    }
    if (n === 1) {
      // The serial loop's case, with exact-size arrays (push would allocate room for 17).
      if (this.choose(1) === 0) return { points: [], lossImprovements: [] };
      const x = this.askX[0] as number;
      const y = this.askY[0] as number;
      const one = { points: [[x, y] as Point2D], lossImprovements: [this.askL[0] as number] };
      this.tellPendingAt(x, y, this.askT[0] as number);
      return one;
    }
    const points: Point2D[] = [];
    const imps: number[] = [];
    while (points.length < n) {
      const k = this.choose(n - points.length);
      if (k === 0) break;
      for (let i = 0; i < k; i++) {
        const x = this.askX[i] as number;
        const y = this.askY[i] as number;
        points.push([x, y]);
        imps.push(this.askL[i] as number);
        this.tellPendingAt(x, y, this.askT[i] as number);
      }
    }
    return { points, lossImprovements: imps };
  }

  /**
   * The most points (evaluated and pending) a learner can hold: 2²⁶, or fewer for long vector
   * output, so that the point records (S numbers each) and the triangles' half-edges (about six
   * per point) stay well inside the 32-bit indices and the typed arrays' largest length.
   */
  private maxPoints(): number {
    return Math.min(2 ** 26, 2 ** Math.floor(Math.log2(2 ** 31 / this.S)));
  }

  private askResult(k: number): AskResult<Point2D> {
    const points: Point2D[] = new Array(k);
    const imps: number[] = new Array(k);
    for (let i = 0; i < k; i++) {
      points[i] = [this.askX[i] as number, this.askY[i] as number];
      imps[i] = this.askL[i] as number;
    }
    return { points, lossImprovements: imps };
  }

  /** Whether a choice that came back short would find more after pending its points. */
  private chooseCanContinue(): boolean {
    return this.lastChooseShort;
  }

  private lastChooseShort = false;
  private seen: Int32Array = new Int32Array(16);

  /** Adds ask-scratch entry k = (x, y) to the seen table; false if (x, y) is there already. */
  private addSeen(x: number, y: number, k: number, mask: number): boolean {
    const seen = this.seen;
    for (let i = hashPair(x, y, mask); ; i = (i + 1) & mask) {
      const j = seen[i] as number;
      if (j < 0) {
        seen[i] = k;
        return true;
      }
      if (this.askX[j] === x && this.askY[j] === y) return false;
    }
  }

  /**
   * Chooses up to n points from the current state into the ask scratch (x, y, loss, combined
   * triangle): the missing corners if any (then nothing else), else one point per triangle in
   * loss order, skipping points that exist already. Leaves the learner's data unchanged.
   */
  private choose(n: number): number {
    let k = 0;
    this.lastChooseShort = false;
    const corners = this.corners;
    const present = (this.corner | (this.corner >> 4)) & 15;
    if (present !== 15) {
      for (let c = 0; c < 4 && k < n; c++) {
        if ((present & (1 << c)) !== 0) continue;
        const [x, y] = corners[c] as [number, number];
        this.askX[k] = x;
        this.askY[k] = y;
        this.askL[k] = INF;
        this.askT[k] = -1;
        k++;
      }
      // The next points need the corners in the triangulation.
      this.lastChooseShort = k < n;
      return k;
    }
    const C = this.C;
    this.flush(C);
    this.maybeRenumber();
    const heap = C.heap;
    // The points chosen so far, by (x, y): an open-addressing table of indices into the ask
    // scratch (two walks can reach one point from two triangles).
    let seenMask = 0;
    if (n > 1) {
      // One point per triangle at most: the table need not be larger.
      const m = Math.min(n, C.mesh.triangleCount + 1);
      let cap = 16;
      while (cap < 2 * m) cap *= 2;
      if (this.seen.length < cap) this.seen = new Int32Array(cap);
      seenMask = cap - 1;
      this.seen.fill(-1, 0, cap);
    }
    // One point: the top, if it can be split (the ordered walk is for more).
    if (n === 1) {
      const t = heap.peek();
      if (t >= 0 && this.choosePoint(t)) {
        this.askX[0] = this.cx;
        this.askY[0] = this.cy;
        this.askL[0] = heap.key(t);
        this.askT[0] = t;
        return 1;
      }
    }
    heap.rewind();
    while (k < n) {
      const t = heap.next();
      if (t < 0) {
        this.lastChooseShort = true;
        break;
      }
      if (!this.choosePoint(t)) continue;
      const x = this.cx;
      const y = this.cy;
      if (seenMask !== 0 && !this.addSeen(x, y, k, seenMask)) continue;
      this.askX[k] = x;
      this.askY[k] = y;
      this.askL[k] = heap.key(t);
      this.askT[k] = t;
      k++;
    }
    heap.settle();
    return k;
  }

  /**
   * Every time the number of vertices grows by half (from 32 768 on), renumbers them along a
   * Hilbert curve and the triangles by their smallest vertex, so that neighbours in the plane
   * are neighbours in memory (the loss updates of a tell then stay in a few cache lines).
   * Nothing observable changes: every choice depends on coordinates, never on ids. O(n),
   * amortised O(1) per point.
   */
  private maybeRenumber(): void {
    const live = this.store.size - this.freeV.length;
    if (live < 32768 || live < 1.5 * this.renumberedAt) return;
    this.renumber();
  }

  private renumber(): void {
    const C = this.C;
    const R = this.R;
    if (R !== null && !R.all) this.flush(R);
    const S = this.S;
    const old = this.store.xy;
    const size = this.store.size;
    // The live vertices by Hilbert key (keys[v]; ties by id): a two-pass radix sort.
    const keys = new Uint32Array(size);
    const ids0 = new Int32Array(size);
    let n = 0;
    for (let v = 0; v < size; v++) {
      if (((this.vflag[v] as number) & KIND) === 0) continue;
      keys[v] = hilbert((old[S * v] as number) + 0.5, (old[S * v + 1] as number) + 0.5);
      ids0[n++] = v;
    }
    const ids1 = new Int32Array(n);
    const count = new Int32Array(65537);
    radixPass(keys, ids0, ids1, n, 0, count);
    const ids = radixPass(keys, ids1, ids0, n, 16, count);
    const vmap = new Int32Array(size).fill(-1);
    const rec = new Float64Array(old.length);
    const xo = new Float64Array(this.xo.length);
    const vflag = new Uint8Array(this.vflag.length);
    for (let i = 0; i < n; i++) {
      const v = ids[i] as number;
      vmap[v] = i;
      for (let k = 0; k < S; k++) rec[S * i + k] = old[S * v + k] as number;
      xo[2 * i] = this.xo[2 * v] as number;
      xo[2 * i + 1] = this.xo[2 * v + 1] as number;
      vflag[i] = this.vflag[v] as number;
    }
    this.store.xy = rec;
    this.store.size = n;
    this.xo = xo;
    this.vflag = vflag;
    this.freeV = [];
    const remapStart = (e: number, tmap: Int32Array): number =>
      e < 0 ? e : 3 * (tmap[(e / 3) | 0] as number) + (e % 3);
    const tmapC = C.mesh.renumber(vmap, n);
    C.heap.remap(tmapC);
    C.tdirty = new Uint8Array(C.mesh.tv.length / 3);
    const BO = this.BO;
    for (let v = 0; v < n; v++) {
      if (!C.mesh.hasVertex(v)) continue;
      const meta = rec[S * v + BO] as number;
      rec[S * v + BO] = 2 * remapStart((meta | 0) >> 1, tmapC) + (meta & 1);
    }
    if (R !== null) {
      const tmapR = R.mesh.renumber(vmap, n);
      if (R.all) R.heap.clear();
      else R.heap.remap(tmapR);
      R.tdirty = new Uint8Array(R.mesh.tv.length / 3);
      if (!R.all) {
        const B = this.GL + 1;
        const g = new Float64Array(Math.max(R.grad.length, this.store.capacity * B));
        const m = Math.min(size, R.grad.length / B);
        for (let v = 0; v < m; v++) {
          const w = vmap[v] as number;
          if (w < 0 || !R.mesh.hasVertex(w)) continue;
          for (let k = 0; k < B; k++) g[B * w + k] = R.grad[B * v + k] as number;
          g[B * w + B - 1] = remapStart(R.grad[B * v + B - 1] as number, tmapR);
        }
        R.grad = g;
      }
    }
    this.ph.fill(-1);
    for (let v = 0; v < n; v++) if (((vflag[v] as number) & KIND) === PENDING) this.phAdd(v);
    this.interpHint = -1;
    this.renumberedAt = n;
  }

  private cx = 0;
  private cy = 0;

  /**
   * python-adaptive's `choose_point_in_triangle` for combined triangle t, with the absolute
   * area: the midpoint of the longest edge when `longest² / area · √3/4 > 5`, else the
   * centroid. The shape is judged in scaled coordinates; the point is computed from the
   * coordinates as told (so a boundary edge's midpoint lies exactly on the boundary) and
   * clipped to the bounds. Sets cx, cy; false when the point is already a vertex (a triangle
   * at the limit of floating-point resolution).
   */
  private choosePoint(t: number): boolean {
    const mesh = this.C.mesh;
    const tv = mesh.tv;
    const xy = this.store.xy;
    const S = this.S;
    const xo = this.xo;
    const r = firstVertex(xy, S, tv, 3 * t);
    const a = tv[3 * t + r] as number;
    const b = tv[3 * t + ((r + 1) % 3)] as number;
    const c = tv[3 * t + ((r + 2) % 3)] as number;
    const ax = xy[S * a] as number;
    const ay = xy[S * a + 1] as number;
    const bx = xy[S * b] as number;
    const by = xy[S * b + 1] as number;
    const cx = xy[S * c] as number;
    const cy = xy[S * c + 1] as number;
    const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
    // python's np.roll order: edges (c, a), (a, b), (b, c); the first longest wins.
    const e0 = (ax - cx) * (ax - cx) + (ay - cy) * (ay - cy);
    const e1 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay);
    const e2 = (cx - bx) * (cx - bx) + (cy - by) * (cy - by);
    let p = c;
    let q = a;
    let longest = e0;
    if (e1 > longest) {
      p = a;
      q = b;
      longest = e1;
    }
    if (e2 > longest) {
      p = b;
      q = c;
      longest = e2;
    }
    let x: number;
    let y: number;
    if ((longest / area) * SQRT3_4 > MAX_BADNESS) {
      x = mid(xo[2 * p] as number, xo[2 * q] as number);
      y = mid(xo[2 * p + 1] as number, xo[2 * q + 1] as number);
    } else {
      x = third(xo[2 * a] as number, xo[2 * b] as number, xo[2 * c] as number);
      y = third(xo[2 * a + 1] as number, xo[2 * b + 1] as number, xo[2 * c + 1] as number);
    }
    x = Math.max(this.x0, Math.min(this.x1, x)) + 0;
    y = Math.max(this.y0, Math.min(this.y1, y)) + 0;
    // Already a vertex? (Only where floating point cannot split the triangle any more.)
    if (
      (x === xo[2 * a] && y === xo[2 * a + 1]) ||
      (x === xo[2 * b] && y === xo[2 * b + 1]) ||
      (x === xo[2 * c] && y === xo[2 * c + 1])
    ) {
      return false;
    }
    if (this.phFind(x, y) >= 0) return false;
    const sx = this.sx(x);
    const sy = this.sy(y);
    if (mesh.findVertex(sx, sy, t) >= 0) return false;
    this.cx = x;
    this.cy = y;
    return true;
  }

  /** A copy of this learner (same options, same data, pending points included). O(n). */
  private copy(): Learner2D {
    const other = new Learner2D({
      bounds: this.bounds,
      loss: this.lossFunction,
      recomputeLossesFactor: this.factor,
      gradientSweeps: this.sweeps,
    });
    other.load(this.snapshot());
    return other;
  }

  // ---------------------------------------------------------------- data out

  /** Real vertex ids sorted by x, then y. O(n log n). */
  private sortedReal(): Int32Array {
    const ids = new Int32Array(this.nReal);
    let k = 0;
    for (let v = 0; v < this.store.size; v++) {
      if (((this.vflag[v] as number) & KIND) === REAL) ids[k++] = v;
    }
    const xo = this.xo;
    return ids.sort(
      (a, b) =>
        (xo[2 * a] as number) - (xo[2 * b] as number) ||
        (xo[2 * a + 1] as number) - (xo[2 * b + 1] as number),
    );
  }

  /**
   * The evaluated points sorted by x, then y, as `{ x: [x, y], y }` records. O(n log n).
   * @example learner.toRecords()[0]; // { x: [-1, -1], y: -1 }
   */
  toRecords(): Record2D[] {
    const ids = this.sortedReal();
    const d = this.outputDimension;
    const out: Record2D[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i] as number;
      out[i] = {
        x: [this.xo[2 * v] as number, this.xo[2 * v + 1] as number],
        y: this.vector
          ? Array.from(this.store.xy.subarray(v * this.S + 2, v * this.S + 2 + d))
          : (this.store.xy[v * this.S + 2] as number),
      };
    }
    return out;
  }

  /**
   * The evaluated points sorted by x, then y, as typed arrays (see {@link Arrays2D}).
   * O(n log n).
   * @example learner.toArrays() // { x: Float64Array [...], y: ..., values: ..., vdim: 1 }
   */
  toArrays(): Arrays2D {
    const ids = this.sortedReal();
    const d = this.outputDimension;
    const n = ids.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const values = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const v = ids[i] as number;
      x[i] = this.xo[2 * v] as number;
      y[i] = this.xo[2 * v + 1] as number;
      for (let k = 0; k < d; k++) values[i * d + k] = this.store.xy[v * this.S + 2 + k] as number;
    }
    return { x, y, values, vdim: d };
  }

  /**
   * The triangulation of the evaluated points, for plots: the points as {@link toArrays}
   * gives them (coordinates as told) and the triangles as indices into them, counterclockwise.
   * It is the Delaunay triangulation of the scaled coordinates (the bounds mapped to the unit
   * square), as the learner sees them. A point closer to another than floating point resolves
   * after scaling is listed but in no triangle. O(n log n).
   * @example
   * const { x, y, values, triangles } = learner.triangulation();
   * // triangle i joins points triangles[3i], triangles[3i + 1], triangles[3i + 2]
   */
  triangulation(): Triangulation2D {
    const arrays = this.toArrays();
    const ids = this.sortedReal();
    const index = new Int32Array(this.store.size).fill(-1);
    for (let i = 0; i < ids.length; i++) index[ids[i] as number] = i;
    const { vertices } = this.realMesh().triangles();
    const triangles = new Uint32Array(vertices.length);
    for (let i = 0; i < vertices.length; i++) triangles[i] = index[vertices[i] as number] as number;
    return { ...arrays, triangles };
  }

  /**
   * The piecewise-linear interpolant of the evaluated data (linear in each triangle) at the
   * given points: one number (or one vector for vector output) per point; NaN outside the
   * triangulated hull. Consecutive queries walk from the previous hit, so nearby queries are
   * O(1) each.
   * @example
   * learner.interpolate([[0, 0], [0.5, 0.25]]); // [0.02, 0.31]
   * learner.interpolate([0, 0]); // 0.02 (a single point)
   */
  interpolate(point: readonly [number, number]): number | number[];
  interpolate(points: readonly (readonly [number, number])[]): (number | number[])[];
  interpolate(
    q: readonly [number, number] | readonly (readonly [number, number])[],
  ): number | number[] | (number | number[])[] {
    if (!Array.isArray(q)) {
      throw new TypeError(
        'Learner2D.interpolate: expected a point [x, y] or an array of points [[x, y], ...]',
      );
    }
    if (q.length === 2 && typeof q[0] === 'number') {
      return this.interpolateOne(q as unknown as readonly [number, number]);
    }
    return (q as readonly (readonly [number, number])[]).map((p) => this.interpolateOne(p));
  }

  private interpScratch: Float64Array = new Float64Array(1);

  private interpolateOne(p: readonly [number, number]): number | number[] {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number'
    ) {
      throw new TypeError(`Learner2D.interpolate: expected a point [x, y], got ${describe(p)}`);
    }
    const d = this.outputDimension;
    if (this.interpScratch.length < d) this.interpScratch = new Float64Array(d);
    const out = this.interpScratch;
    const inside =
      Number.isFinite(p[0]) &&
      Number.isFinite(p[1]) &&
      this.interpolateAt(this.realMesh(), this.sx(p[0]), this.sy(p[1]), out, 0) >= 0;
    if (!inside) out.fill(Number.NaN, 0, d);
    if (!this.vector) return out[0] as number;
    return Array.from(out.subarray(0, d));
  }

  /**
   * The interpolant on a regular grid of `nx × ny` points spanning the bounds (endpoints
   * included, like numpy's `linspace`), for heat maps. Without sizes, python-adaptive's rule:
   * `n = max(10, ⌊0.658 / √(smallest triangle area)⌋)` in both directions. O(nx·ny) with
   * coherent walks, plus O(n) for the default size.
   * @example
   * const { x, y, values } = learner.interpolateOnGrid({ nx: 200, ny: 200 });
   * values[i * 200 + j]; // the interpolant at (x[i], y[j])
   */
  interpolateOnGrid(options: { nx?: number; ny?: number } = {}): Grid2D {
    for (const k of Object.keys(options)) {
      if (k !== 'nx' && k !== 'ny') {
        throw new TypeError(`Learner2D.interpolateOnGrid: unknown option '${k}' (allowed: nx, ny)`);
      }
    }
    let nDefault = 10;
    const mesh = this.realMesh();
    if (options.nx === undefined || options.ny === undefined) {
      let minArea = INF;
      const tv = mesh.tv;
      const xy = this.store.xy;
      const S = this.S;
      for (let t = 0; t < mesh.capacity; t++) {
        if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
        const a = tv[3 * t] as number;
        const b = tv[3 * t + 1] as number;
        const c = tv[3 * t + 2] as number;
        const ar =
          Math.abs(
            ((xy[S * b] as number) - (xy[S * a] as number)) *
              ((xy[S * c + 1] as number) - (xy[S * a + 1] as number)) -
              ((xy[S * b + 1] as number) - (xy[S * a + 1] as number)) *
                ((xy[S * c] as number) - (xy[S * a] as number)),
          ) / 2;
        if (ar < minArea) minArea = ar;
      }
      if (minArea > 0 && Number.isFinite(minArea)) {
        nDefault = Math.max(10, Math.floor(0.658 / Math.sqrt(minArea)));
      }
    }
    const nx = options.nx ?? nDefault;
    const ny = options.ny ?? nDefault;
    for (const [name, v] of [
      ['nx', nx],
      ['ny', ny],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(
          `Learner2D.interpolateOnGrid: ${name} must be a positive integer, got ${describe(v)}`,
        );
      }
    }
    const [[x0, x1], [y0, y1]] = this.bounds;
    const linspace = (a: number, b: number, m: number): Float64Array => {
      const out = new Float64Array(m);
      if (m === 1) {
        out[0] = a;
        return out;
      }
      const step = (b - a) / (m - 1);
      for (let i = 0; i < m; i++) out[i] = i === m - 1 ? b : a + i * step;
      return out;
    };
    const x = linspace(x0, x1, nx);
    const y = linspace(y0, y1, ny);
    const d = this.outputDimension;
    const values = new Float64Array(nx * ny * d).fill(Number.NaN);
    if (mesh.triangleCount > 0 && this.vdim > 0) {
      for (let i = 0; i < nx; i++) {
        // Serpentine order keeps consecutive queries next to each other.
        const sx = this.sx(x[i] as number);
        for (let jj = 0; jj < ny; jj++) {
          const j = i % 2 === 0 ? jj : ny - 1 - jj;
          this.interpolateAt(mesh, sx, this.sy(y[j] as number), values, (i * ny + j) * d);
        }
      }
    }
    return { x, y, values, vdim: d };
  }

  /**
   * Every triangle of the evaluated data (`real`, default) or of evaluated plus pending points
   * with its loss, in the learner's scaled coordinates. O(n).
   * @example learner.triangleLosses()[0] // { points: [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5]], loss: 0.15 }
   */
  triangleLosses(options?: LossOptions): { points: Point2D[]; loss: number }[] {
    const ms = (options?.real ?? true) && this.nPending > 0 ? this.ensureR() : this.C;
    this.flush(ms);
    const mesh = ms.mesh;
    const xy = this.store.xy;
    const S = this.S;
    const out: { points: Point2D[]; loss: number }[] = [];
    for (let t = 0; t < mesh.capacity; t++) {
      if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
      const points: Point2D[] = [];
      for (let i = 0; i < 3; i++) {
        const v = mesh.tv[3 * t + i] as number;
        points.push([xy[S * v] as number, xy[S * v + 1] as number]);
      }
      out.push({ points, loss: ms.heap.key(t) });
    }
    return out;
  }

  // ---------------------------------------------------------------- snapshots
  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: bounds, the evaluated points and values, the pending
   * points with their interpolated values, the value range and the scale the losses use. Data
   * only: restore it into a learner built with the same options. O(n log n).
   * @example const text = JSON.stringify(learner.snapshot()); // save it anywhere
   */
  snapshot(): LearnerSnapshot {
    const ids = this.sortedReal();
    const d = this.outputDimension;
    const rec = this.store.xy;
    const S = this.S;
    const enc = (v: number): JsonNumber | JsonNumber[] =>
      this.vector
        ? Array.from(rec.subarray(S * v + 2, S * v + 2 + d), encodeNumber)
        : encodeNumber(rec[S * v + 2] as number);
    const points: [number, number][] = [];
    const values: (JsonNumber | JsonNumber[])[] = [];
    for (const v of ids) {
      points.push([this.xo[2 * v] as number, this.xo[2 * v + 1] as number]);
      values.push(enc(v));
    }
    const pend: number[] = [];
    for (let v = 0; v < this.store.size; v++) {
      if (((this.vflag[v] as number) & KIND) === PENDING) pend.push(v);
    }
    const xo = this.xo;
    pend.sort(
      (a, b) =>
        (xo[2 * a] as number) - (xo[2 * b] as number) ||
        (xo[2 * a + 1] as number) - (xo[2 * b + 1] as number),
    );
    return {
      type: 'Learner2D',
      version: SNAPSHOT_VERSION,
      bounds: [
        [this.bounds[0][0], this.bounds[0][1]],
        [this.bounds[1][0], this.bounds[1][1]],
      ],
      loss: this.lossFunction.lossName ?? this.lossFunction.name,
      gradientSweeps: this.sweeps,
      vdim: this.vector ? this.vdim : this.vdim === 0 ? 0 : -1,
      points,
      values,
      pending: pend.map((v) => [xo[2 * v] as number, xo[2 * v + 1] as number]),
      pendingValues: pend.map((v) => (this.vdim === 0 ? 'NaN' : enc(v))),
      yMin: Array.from(this.yMin, encodeNumber),
      yMax: Array.from(this.yMax, encodeNumber),
      valueScale: encodeNumber(this.sRef),
      valueUnit: this.ve,
    };
  }

  /**
   * Replaces this learner's state by a snapshot's. A malformed or foreign snapshot throws a
   * TypeError naming the problem and leaves the learner as it was. The restored learner asks
   * exactly what the original would have. O(n log n).
   * @example
   * const copy = new Learner2D({ bounds: [[-1, 1], [-1, 1]] });
   * copy.restore(JSON.parse(text));
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new Learner2D({
      bounds: this.bounds,
      loss: this.lossFunction,
      recomputeLossesFactor: this.factor,
      gradientSweeps: this.sweeps,
    });
    fresh.load(snapshot);
    Object.assign(this, fresh);
  }

  private load(s: LearnerSnapshot): void {
    const { bad, num, arr } = snapshotReader('Learner2D', SNAPSHOT_VERSION, s);
    const b = s.bounds as unknown;
    const [[x0, x1], [y0, y1]] = this.bounds;
    if (
      !Array.isArray(b) ||
      !Array.isArray(b[0]) ||
      !Array.isArray(b[1]) ||
      b[0][0] !== x0 ||
      b[0][1] !== x1 ||
      b[1][0] !== y0 ||
      b[1][1] !== y1
    ) {
      bad(`the snapshot has bounds ${describe(b)}, this learner [[${x0}, ${x1}], [${y0}, ${y1}]]`);
    }
    const lossName = this.lossFunction.lossName ?? this.lossFunction.name;
    if (s.loss !== lossName) {
      bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
    }
    if (s.gradientSweeps !== this.sweeps) {
      bad(
        `the snapshot was taken with gradientSweeps ${describe(s.gradientSweeps)}, this learner uses ${this.sweeps}`,
      );
    }
    const vd = s.vdim;
    if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1) {
      bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
    }
    const len = vd === -1 ? 0 : (vd as number);
    const pts = arr(s.points, 'points');
    const vals = arr(s.values, 'values');
    const pend = arr(s.pending, 'pending');
    const pvals = arr(s.pendingValues, 'pendingValues');
    if (vals.length !== pts.length)
      bad(`points has ${pts.length} entries but values ${vals.length}`);
    if (pvals.length !== pend.length) {
      bad(`pending has ${pend.length} entries but pendingValues ${pvals.length}`);
    }
    if (vd === 0 && pts.length > 0) bad('vdim 0 (no data) but the snapshot has points');
    const point = (p: unknown, what: string): [number, number] => {
      if (!Array.isArray(p) || p.length !== 2) bad(`${what} is not a point [x, y]: ${describe(p)}`);
      const q = p as unknown[];
      const x = num(q[0], `${what}[0]`);
      const y = num(q[1], `${what}[1]`);
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1))
        bad(`${what} = ${describe(p)} is outside the bounds`);
      return [x + 0, y + 0];
    };
    const value = (v: unknown, what: string): Value2D => {
      const y = decodeValue(v);
      if (y === undefined) bad(`${what} is not a number or a vector of numbers: ${describe(v)}`);
      if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
        bad(`${what} does not have the snapshot's shape (vdim ${describe(vd)})`);
      }
      return y as Value2D;
    };
    const P = pts.map((p, i) => point(p, `points[${i}]`));
    const V = vals.map((v, i) => value(v, `values[${i}]`));
    const Q = pend.map((p, i) => point(p, `pending[${i}]`));
    const W = pvals.map((v, i) => value(v, `pendingValues[${i}]`));
    const keys = new Set<string>();
    for (const [i, [x, y]] of [...P, ...Q].entries()) {
      const k = `${x},${y}`;
      if (keys.has(k)) bad(`point ${describe([x, y])} appears twice (entry ${i})`);
      keys.add(k);
    }
    const d = vd === 0 ? 0 : len === 0 ? 1 : len;
    // yMin and yMax are recomputed from the values (below); their shape is still checked.
    const yMin = arr(s.yMin, 'yMin').map((v, i) => num(v, `yMin[${i}]`));
    const yMax = arr(s.yMax, 'yMax').map((v, i) => num(v, `yMax[${i}]`));
    if (yMin.length !== d || yMax.length !== d) bad(`yMin and yMax must have ${d} entries`);
    const sRef = num(s.valueScale, 'valueScale');
    if (!(sRef >= 0) || !Number.isFinite(sRef))
      bad(`valueScale must be finite and >= 0, got ${sRef}`);
    const unit = s.valueUnit ?? 0; // snapshots before the value unit: 1
    if (typeof unit !== 'number' || !Number.isInteger(unit) || Math.abs(unit) > 1000) {
      bad(`valueUnit must be an integer in [-1000, 1000], got ${describe(unit)}`);
    }

    // Build the combined triangulation: the evaluated points (corners first, along a Hilbert
    // curve; of points at equal scaled coordinates the lexicographically smallest is
    // triangulated and the others are shadows, as tell makes them), then the pending ones.
    if (vd !== 0) this.setShape(len);
    const C = this.C;
    const ids = new Int32Array(P.length);
    for (let i = 0; i < P.length; i++) {
      const [x, y] = P[i] as [number, number];
      const v = this.allocVertex(x, y);
      this.writeValue(v, V[i] as Value2D);
      this.vflag[v] = REAL;
      this.nReal++;
      ids[i] = v;
      const c = this.cornerIndex(x, y);
      if (c >= 0) this.corner |= 1 << c;
    }
    for (const v of this.buildMesh(C.mesh, ids)) {
      this.vflag[v] = (this.vflag[v] as number) | SHADOW;
      this.nShadow++;
    }
    for (let i = 0; i < Q.length; i++) {
      const [x, y] = Q[i] as [number, number];
      const v = this.allocVertex(x, y);
      if (this.vdim > 0) this.writeValue(v, W[i] as Value2D);
      this.vflag[v] = PENDING;
      this.nPending++;
      this.phAdd(v);
      if (C.mesh.insertVertex(v) !== v) {
        bad(
          `pending[${i}] = ${describe([x, y])} coincides with another point at the learner's resolution`,
        );
      }
      const c = this.cornerIndex(x, y);
      if (c >= 0) this.corner |= 16 << c;
    }
    // Derived data is recomputed: the value range and unit from the values. The loss scale
    // depends on the history (the range when the losses were last all recomputed), so it is
    // checked: at most the range, and the range at most recomputeLossesFactor times it.
    for (let i = 0; i < P.length; i++) {
      const v = ids[i] as number;
      for (let k = 0; k < this.vdim; k++) {
        const y = this.store.xy[v * this.S + 2 + k] as number;
        if (Number.isFinite(y)) {
          if (y < (this.yMin[k] as number)) this.yMin[k] = y;
          if (y > (this.yMax[k] as number)) this.yMax[k] = y;
        }
      }
    }
    if (d > 0) this.setUnit();
    // sRef in this learner's unit, by two exact steps.
    const delta = this.ve - (unit as number);
    const h = Math.trunc(delta / 2);
    const ref = sRef * 2 ** h * 2 ** (delta - h);
    const range = d > 0 ? this.scaledRange() : 0;
    if (ref > range || (range > 0 && !(range <= this.factor * ref))) {
      bad(
        `valueScale ${sRef} (unit 2^${describe(unit)}) does not fit the values: the losses were last recomputed at a value range between the range of the values / recomputeLossesFactor and that range (${range} in unit 2^${this.ve})`,
      );
    }
    // Pending values are the data's interpolant when each was told pending (a history): each
    // must be NaN (unknown) or within the range of the evaluated values.
    for (let i = 0; i < Q.length; i++) {
      const w = W[i] as Value2D;
      const comps = typeof w === 'number' ? [w] : w;
      for (let k = 0; k < comps.length; k++) {
        const y = comps[k] as number;
        if (Number.isNaN(y)) continue;
        const lo = this.yMin[k] as number;
        const hi = this.yMax[k] as number;
        // Rounding, and underflow of weights times subnormal values.
        const slack = (Math.abs(lo) + Math.abs(hi)) * 1e-12 + 1e-300;
        if (!(y >= lo - slack && y <= hi + slack)) {
          bad(
            `pendingValues[${i}] = ${describe(w)} is not NaN nor within the range of the evaluated values (an interpolant of them)`,
          );
        }
      }
    }
    this.sRef = ref;
    this.setAll(C);
  }

  /**
   * Throws if an internal invariant does not hold (for tests): the triangulations are valid
   * Delaunay triangulations of the right points, every cached gradient and every loss in the
   * heaps equals a fresh computation, and the counters and indexes agree. O(n).
   * @example learner.checkValid(); // throws if anything is wrong
   */
  checkValid(): void {
    const fail = (why: string): never => {
      throw new Error(`Learner2D: ${why}`);
    };
    const C = this.C;
    const R = this.R;
    C.mesh.checkValid();
    R?.mesh.checkValid();
    const xo = this.xo;
    const rec = this.store.xy;
    const S = this.S;
    let nr = 0;
    let np = 0;
    let ns = 0;
    let corner = 0;
    for (let v = 0; v < this.store.size; v++) {
      const f = this.vflag[v] as number;
      const kind = f & KIND;
      if (kind === 0) {
        if (C.mesh.hasVertex(v)) fail(`free vertex ${v} is in the combined triangulation`);
        continue;
      }
      const sx = this.sx(xo[2 * v] as number);
      const sy = this.sy(xo[2 * v + 1] as number);
      if (rec[S * v] !== sx || rec[S * v + 1] !== sy) {
        fail(`vertex ${v}'s scaled coordinates are stale`);
      }
      if (this.vdim > 0) {
        let finite = true;
        for (let k = 0; k < this.vdim; k++)
          if (!Number.isFinite(rec[S * v + 2 + k])) finite = false;
        if (this.isBad(v) === finite) fail(`vertex ${v}'s non-finite marker is wrong`);
      }
      const c = this.cornerIndex(xo[2 * v] as number, xo[2 * v + 1] as number);
      if (c >= 0) corner |= (kind === REAL ? 1 : 16) << c;
      if (kind === REAL && (f & SHADOW) !== 0) {
        nr++;
        ns++;
        const u = C.mesh.findVertex(sx, sy);
        if (u < 0 || ((this.vflag[u] as number) & KIND) !== REAL) {
          fail(`shadow vertex ${v} has no evaluated twin`);
        }
        if (
          !(
            (xo[2 * u] as number) < (xo[2 * v] as number) ||
            (xo[2 * u] === xo[2 * v] && (xo[2 * u + 1] as number) < (xo[2 * v + 1] as number))
          )
        ) {
          fail(`shadow vertex ${v} is smaller than its triangulated twin ${u}`);
        }
        if (R?.mesh.hasVertex(v)) fail(`shadow vertex ${v} is in the real triangulation`);
        continue;
      }
      if (!C.mesh.hasVertex(v)) fail(`vertex ${v} is not in the combined triangulation`);
      if (kind === REAL) {
        nr++;
        if (R !== null && !R.mesh.hasVertex(v)) {
          fail(`evaluated vertex ${v} is not in the real triangulation`);
        }
      } else if (kind === PENDING) {
        np++;
        if (R?.mesh.hasVertex(v)) fail(`pending vertex ${v} is in the real triangulation`);
        if (this.phFind(xo[2 * v] as number, xo[2 * v + 1] as number) !== v) {
          fail(`pending vertex ${v} is missing from the pending index`);
        }
      } else fail(`vertex ${v} is both evaluated and pending`);
    }
    if (nr !== this.nReal) fail(`${nr} evaluated vertices, npoints ${this.nReal}`);
    if (np !== this.nPending) fail(`${np} pending vertices, counted ${this.nPending}`);
    if (ns !== this.nShadow) fail(`${ns} shadow vertices, counted ${this.nShadow}`);
    if (corner !== this.corner) fail(`corner flags ${this.corner}, expected ${corner}`);
    if (C.mesh.vertexCount !== nr - ns + np) fail('the combined triangulation has extra vertices');
    if (R !== null && R.mesh.vertexCount !== nr - ns) {
      fail('the real triangulation has extra vertices');
    }
    for (const ms of R === null ? [C] : [C, R]) {
      const name = ms === C ? 'combined' : 'real';
      this.flush(ms);
      ms.heap.checkValid();
      const mesh = ms.mesh;
      if (ms.heap.n !== mesh.triangleCount) {
        fail(`the ${name} heap has ${ms.heap.n} losses for ${mesh.triangleCount} triangles`);
      }
      const kept = new Float64Array(mesh.capacity);
      for (let t = 0; t < mesh.capacity; t++) {
        if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
        if (!ms.heap.has(t)) fail(`${name} triangle ${t} has no loss`);
        kept[t] = ms.heap.key(t);
      }
      const GL = this.GL;
      const cached = new Float64Array(this.store.size * GL);
      const g = (): Float64Array => (ms.inRecord ? this.store.xy : ms.grad);
      for (let v = 0; v < this.store.size && this.needsGradients; v++) {
        if (!mesh.hasVertex(v)) continue;
        const o = this.gradBase(ms, v);
        for (let k = 0; k < GL; k++) cached[v * GL + k] = g()[o + k] as number;
      }
      this.setAll(ms);
      this.flush(ms); // recomputes every gradient and loss
      for (let t = 0; t < mesh.capacity; t++) {
        if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
        const fresh = ms.heap.key(t);
        if (!Object.is(fresh, kept[t])) {
          fail(`${name} triangle ${t} had loss ${kept[t]}, a fresh computation gives ${fresh}`);
        }
      }
      for (let v = 0; v < this.store.size && this.needsGradients; v++) {
        if (!mesh.hasVertex(v) || this.isBad(v)) continue;
        const o = this.gradBase(ms, v);
        for (let k = 0; k < GL; k++) {
          if (!Object.is(cached[v * GL + k], g()[o + k])) {
            fail(`${name} vertex ${v} had a stale cached gradient`);
          }
        }
      }
    }
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, loss,
   * recomputeLossesFactor and gradientSweeps, no data.
   * @example
   * new Learner2D({ bounds: [[0, 1], [0, 1]] }).new().npoints; // 0
   */
  new(): Learner2D {
    return new Learner2D({
      bounds: this.bounds,
      loss: this.lossFunction,
      recomputeLossesFactor: this.factor,
      gradientSweeps: this.sweeps,
    });
  }
}
