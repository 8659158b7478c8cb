/**
 * LearnerND: adaptive sampling of f: D → ℝ or ℝᵐ for a box or a convex polytope D ⊂ ℝᵈ
 * (d = 1 to 10), by Delaunay refinement of the simplex with the largest loss.
 *
 * Port of python-adaptive `learnerND.py`: the bound points (box corners or hull vertices,
 * sorted) first, seeded random points while no triangulation exists, then the simplex (or
 * pending sub-simplex) of largest loss, sampled at its centroid when its circumcentre lies
 * inside it, else at the middle of its longest edge; inputs scaled to the unit cube, values
 * by the observed range with losses recomputed when it grows by `recomputeLossesFactor`;
 * pending points triangulate the real simplex holding them, each piece getting
 * loss × subvolume / volume.
 *
 * What differs from python-adaptive, on purpose:
 * - The triangulation (`geometry/triangulation-nd.ts`) is incremental with exact
 *   predicates and a symbolic tie rule, so the mesh depends on the point set only, never on
 *   the order of the tells; point location walks from a nearby simplex (python scans all
 *   simplices for points it did not hand out, and counts all faces to extend the hull).
 * - Losses are computed on each simplex's vertices in lexicographic order, so equal meshes
 *   give bit-identical losses; ties in the queue break on a hash of the vertices.
 * - `loss({ real: false })` includes pending points (python ignores `real`, its #5);
 *   `removeUnfinished()` requeues the simplices that held pending points (python loses
 *   them, its #4); `ask(n, { tellPending: false })` undoes only what it did (python
 *   snapshots the whole learner); `loss()` is Infinity until every bound point is evaluated.
 * - NaN and ±Infinity values: a simplex with a non-finite value, or whose loss is not
 *   finite, gets its volume as loss; the output scale uses finite values only.
 * - Sub-triangulations are built lazily, when `ask` or `loss({ real: false })` next reads
 *   the queue: a tell that follows its ask at once never pays for them.
 */

import { lexCompare, MAX_DIM } from '../geometry/predicates-nd.js';
import {
  choosePointKind,
  detInPlace,
  embeddedVolumeFlat,
  graphVolumes,
  volumeFlat,
} from '../geometry/simplex-nd.js';
import { TriangulationND } from '../geometry/triangulation-nd.js';
import { decodeValue, encodeNumber, encodeValue, type JsonNumber } from '../io/json.js';
import { IndexedHeap } from '../queue/heap.js';
import type { TieKeys } from '../queue/types.js';
import { defaultLossND, type LossValueND, type SimplexLoss, uniformLossND } from './losses-nd.js';
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
 * Options of {@link LearnerND}: exactly one of `bounds` and `hull`.
 * @example
 * const box: LearnerNDOptions = { bounds: [[0, 1], [-2, 2]], loss: uniformLossND };
 * const triangle: LearnerNDOptions = { hull: [[0, 0], [1, 0], [0, 1]] };
 */
export interface LearnerNDOptions {
  /** A box: one `[a, b]` pair per dimension, finite with a < b. */
  bounds?: readonly (readonly number[])[];
  /** A convex polytope: points whose convex hull is the domain (full-dimensional). */
  hull?: readonly (readonly number[])[];
  /** The loss of one simplex (default {@link defaultLossND}). */
  loss?: SimplexLoss;
  /**
   * All losses are recomputed when the value range grows by more than this factor since
   * the last recomputation (default 1.1, as python-adaptive). With 1 every loss always
   * reflects the current range, so the loss no longer depends on the order of the tells.
   */
  recomputeLossesFactor?: number;
}

/**
 * A LearnerND value: a number, or a vector of fixed length.
 * @example learner.tell([0, 0], [1.5, -2]); // a vector value
 */
export type ValueND = number | readonly number[];

/**
 * One evaluated point, as returned by {@link LearnerND.toRecords}.
 * @example const r: RecordND = { x: [0.5, -1], y: 0.25 };
 */
export interface RecordND {
  x: number[];
  y: number | number[];
}

/**
 * The evaluated points as typed arrays, as returned by {@link LearnerND.toArrays}.
 * @example const { x, y, dim, vdim } = learner.toArrays(); // point i is x[i·dim … (i+1)·dim)
 */
export interface ArraysND {
  /** The points, sorted lexicographically, d coordinates each (row-major). */
  x: Float64Array;
  /** Their values, `vdim` per point. */
  y: Float64Array;
  /** The dimension d. */
  dim: number;
  /** Values per point (1 for scalar output). */
  vdim: number;
}

/**
 * The triangulation of the evaluated points, for plots.
 * @example
 * const { points, simplices } = learner.triangulation();
 * const firstTriangle = Array.from(simplices.subarray(0, 3)); // indices into points
 */
export interface TriangulationDataND {
  /** The dimension d. */
  dim: number;
  /** The evaluated points in the order they were told, d coordinates each. */
  points: Float64Array;
  /** Their values, `vdim` per point. */
  values: Float64Array;
  /** Values per point (1 for scalar output). */
  vdim: number;
  /** The simplices: d + 1 indices into `points` each. */
  simplices: Int32Array;
}

/**
 * Values on a grid, as returned by {@link LearnerND.interpolateGrid}.
 * @example const { shape, values } = learner.interpolateGrid(50); // shape [50, 50] in 2-D
 */
export interface GridND {
  /** The grid coordinates along each axis. */
  axes: number[][];
  /** Points along each axis. */
  shape: number[];
  /** Row-major values (the last axis fastest), `vdim` per grid point; NaN outside the hull. */
  values: Float64Array;
  /** Values per grid point. */
  vdim: number;
}

const OPTION_KEYS = ['bounds', 'hull', 'loss', 'recomputeLossesFactor'];
const SNAPSHOT_VERSION = 1;
const INF = Number.POSITIVE_INFINITY;
/** The most points (evaluated and pending) a LearnerND holds: its indices are 32-bit integers. */
const MAX_POINTS = 2 ** 26;
const FINITE = 1;
const HULL_TOL = 1e-9; // in scaled units (the bounding box is the unit cube)
const UNIT_LOW = 2 ** -100; // the value range's band where no value unit is needed
const UNIT_HIGH = 2 ** 100;
const FAR = 1024; // a domain farther from 0 than this many widths gets an origin (see org)

// Per-simplex flags.
const DIRTY_R = 1;
const DIRTY_C = 2;
const REBUILD = 4;

/** The next double above x (finite x). */
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  hf[0] = x;
  const lo = hu[0] as number;
  if (x > 0) {
    hu[0] = (lo + 1) >>> 0;
    if (lo === 0xffffffff) hu[1] = ((hu[1] as number) + 1) >>> 0;
  } else {
    hu[0] = (lo - 1) >>> 0;
    if (lo === 0) hu[1] = ((hu[1] as number) - 1) >>> 0;
  }
  return hf[0] as number;
}

/** The next double below x (finite x). */
function nextDown(x: number): number {
  return -nextUp(-x);
}

const hf = new Float64Array(1);
const hu = new Uint32Array(hf.buffer);

function mixWord(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 48-bit hash of d coordinates at `X[off…]` (murmur3 mixing, two seeds): exact in a
 * double, and sums of up to 11 stay exact. Ties between equal losses break on sums of it.
 */
function hashCoords(X: ArrayLike<number>, off: number, d: number): number {
  let h1 = 0x9e3779b9 | 0;
  let h2 = 0x7f4a7c15 | 0;
  for (let j = 0; j < d; j++) {
    hf[0] = (X[off + j] as number) + 0;
    const a = hu[0] as number;
    const b = hu[1] as number;
    h1 = mixWord(mixWord(h1, a), b);
    h2 = mixWord(mixWord(h2, b), a);
  }
  return fmix(h1 ^ d) * 65536 + (fmix(h2 ^ (d << 8)) >>> 16);
}

/** A 32-bit hash for the point table. */
function hash32(X: ArrayLike<number>, off: number, d: number): number {
  let h = 0x811c9dc5 | 0;
  for (let j = 0; j < d; j++) {
    hf[0] = (X[off + j] as number) + 0;
    h = Math.imul(h ^ (hu[0] as number), 0x01000193);
    h = Math.imul(h ^ (hu[1] as number), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** The next state and a double in [0, 1) with 53 random bits (mulberry32 twice). */
function rngNext(state: { s: number }): number {
  const u32 = (): number => {
    state.s = (state.s + 0x6d2b79f5) >>> 0;
    let t = state.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
}

/** Removes m from the singly linked list that starts at heads[h] and continues through next. */
function unlink(heads: Int32Array, h: number, next: Int32Array, m: number): void {
  let p = heads[h] as number;
  if (p === m) {
    heads[h] = next[m] as number;
    return;
  }
  while (p >= 0) {
    const q = next[p] as number;
    if (q === m) {
      next[p] = next[m] as number;
      return;
    }
    p = q;
  }
}

/**
 * Learns a function of d real variables on a box or a convex polytope by refining the
 * Delaunay simplex with the largest loss.
 *
 * @example
 * const learner = new LearnerND({ bounds: [[-1, 1], [-1, 1]] });
 * const { points } = learner.ask(4); // the corners [[-1, -1], [-1, 1], [1, -1], [1, 1]]
 * for (const [x, y] of points) learner.tell([x, y], x * y);
 * learner.npoints; // 4
 */
export class LearnerND implements Learner<number[], ValueND> {
  /** The dimension d. */
  readonly dim: number;
  /** The bounding box of the domain, one `[a, b]` per dimension. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The hull points when the domain was given as `{ hull }`, else null. */
  readonly hull: readonly (readonly number[])[] | null;
  /** The loss of one simplex. */
  readonly lossFunction: SimplexLoss;
  private readonly nn: number;
  private readonly factor: number;
  private readonly k: number;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly invW: Float64Array;
  /**
   * The origin of the scaled coordinates, (x − org) · invW: 0 (python-adaptive's x · invW)
   * unless the domain lies far from 0 (more than FAR widths), where x · invW would keep few
   * bits of the position within the domain; then the domain's low corner.
   */
  private readonly org: Float64Array;
  private readonly pre: Float64Array; // see the constructor: 1 unless 1/width overflows
  private readonly planes: Float64Array | null; // hull: (unit normal, offset) per facet, scaled coords
  private readonly planeTol: Float64Array | null; // hull: each facet's tolerance
  private readonly boundPts: Float64Array; // bound points, sorted, original coordinates
  private readonly nBound: number;
  private readonly fast: 0 | 1 | 2; // 1: defaultLossND, 2: uniformLossND
  private readonly tri: TriangulationND;

  // Evaluated points: coordinates, values, triangulation vertex.
  private nData = 0;
  private dCap = 0;
  private dataX: Float64Array = new Float64Array(0);
  private dataY: Float64Array = new Float64Array(0);
  private dataVert: Int32Array = new Int32Array(0);
  private vertData: Int32Array = new Int32Array(0);
  private vHash: Float64Array = new Float64Array(0); // by triangulation vertex
  private vdim = 0; // 0 until the first value
  private vector = false;

  // Point table: coordinates → 2·data index or 2·pending slot + 1 (linear probing).
  private pmKeys: Int32Array = new Int32Array(64).fill(-1);
  private pmHash: Uint32Array = new Uint32Array(64);
  private pmCount = 0;

  // Pending points: slots with coordinates, an order list and their memberships.
  private pCap = 0;
  private pX: Float64Array = new Float64Array(0);
  private pS: Float64Array = new Float64Array(0); // scaled
  private pHashv: Float64Array = new Float64Array(0);
  private pHint: Int32Array = new Int32Array(0);
  private pPrev: Int32Array = new Int32Array(0);
  private pNext: Int32Array = new Int32Array(0);
  private pMem: Int32Array = new Int32Array(0); // first membership
  private pStamp: Int32Array = new Int32Array(0);
  private pFree: number[] = [];
  private pUsed = 0;
  private pHead = -1;
  private pTail = -1;
  private nPending = 0;
  private nBoundData = 0;
  private nBoundPending = 0;
  private boundCursor = 0;

  // Memberships: pending point j lies in real simplex s (two singly linked chains).
  private mCap = 0;
  private mPend: Int32Array = new Int32Array(0);
  private mSimp: Int32Array = new Int32Array(0);
  private mNextS: Int32Array = new Int32Array(0);
  private mNextP: Int32Array = new Int32Array(0);
  private mIncl: Uint8Array = new Uint8Array(0);
  private mFree: number[] = [];
  private mUsed = 0;

  // Per simplex slot.
  private sCap = 0;
  private sLoss: Float64Array = new Float64Array(0);
  private sVol: Float64Array = new Float64Array(0);
  private sHash: Float64Array = new Float64Array(0);
  private sPend: Int32Array = new Int32Array(0);
  private sSub: Int32Array = new Int32Array(0);
  private sFlag: Uint8Array = new Uint8Array(0);
  private sStamp: Int32Array = new Int32Array(0);
  private dirtyR: Int32Array = new Int32Array(64);
  private nDirtyR = 0;
  private dirtyC: Int32Array = new Int32Array(64);
  private dirtyC2: Int32Array = new Int32Array(64);
  private nDirtyC = 0;
  private stamp = 0;

  // Queues: qReal holds every simplex (for loss()); qComb the simplices without pending
  // points (id 2s) and the sub-simplices (id 2g + 1), for ask and loss({ real: false }).
  private tiesR: TieKeys = { tie: new Float64Array(0) };
  private tiesC: TieKeys = { tie: new Float64Array(0) };
  private qReal: IndexedHeap;
  private qComb: IndexedHeap;

  // Sub-triangulations (pooled) and the registry of their simplices.
  private subTri: (TriangulationND | null)[] = [];
  private subOwner: number[] = [];
  private subVP: Int32Array[] = []; // sub vertex → pending slot (-1 for the real vertices)
  private subG: Int32Array[] = []; // sub slot → registry id
  private subFree: number[] = [];
  private pool: TriangulationND[] = [];
  private gCap = 0;
  private gSub: Int32Array = new Int32Array(0);
  private gSlot: Int32Array = new Int32Array(0);
  private gFree: number[] = [];
  private gUsed = 0;

  // Output scale.
  private yMin = INF;
  private yMax = -INF;
  private oldScale = 0;
  private mult = 1;
  private unit = 1; // a power of two the values are multiplied by before mult (see setMultiplier)

  private rng = { s: 1 };

  // Scratch.
  private readonly qx: Float64Array;
  private readonly qs: Float64Array;
  private readonly ord: Int32Array;
  private P: Float64Array; // (d + 2) rows of d + vdim (resized with vdim)
  private PO: Float64Array; // original coordinates of a simplex, (d + 1) rows
  private readonly edge = new Int32Array(2);
  private readonly lossX: Float64Array[];
  private lossY: LossValueND[];
  private readonly nbX: (Float64Array | null)[];
  private nbY: (LossValueND | null)[];
  private readonly nbBuf: Float64Array[];
  private nbYBuf: Float64Array[] = [];
  private readonly bary: Float64Array;
  private readonly list: number[] = [];
  private readonly unbound: number[] = [];

  /**
   * A learner on a box (`bounds`) or a convex polytope (`hull`).
   * @throws TypeError/RangeError naming the problem for malformed options, a hull that is
   *   not full-dimensional, more than 10 dimensions or a loss with nthNeighbors > 1.
   * @example new LearnerND({ bounds: [[-1, 1], [-1, 1], [0, 5]] })
   */
  constructor(options: LearnerNDOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'LearnerND: options must be an object with bounds or hull, e.g. { bounds: [[-1, 1], [-1, 1]] }',
      );
    }
    checkOptionKeys('LearnerND', options, OPTION_KEYS);
    const hasBounds = options.bounds !== undefined;
    const hasHull = options.hull !== undefined;
    if (hasBounds === hasHull) {
      throw new TypeError(
        'LearnerND: give exactly one of bounds ([[a, b], ...]) and hull ([[x, y, ...], ...])',
      );
    }
    let d: number;
    let lo: number[];
    let hi: number[];
    let boundList: number[][];
    if (hasBounds) {
      const b = options.bounds as unknown;
      if (!Array.isArray(b) || b.length === 0) {
        throw new RangeError(
          `LearnerND: bounds must be a non-empty array of [a, b] pairs, got ${describe(b)}`,
        );
      }
      d = b.length;
      if (d > MAX_DIM) {
        throw new RangeError(
          `LearnerND: at most ${MAX_DIM} dimensions are supported (a box in d dimensions starts from its 2^d corners), got ${d}`,
        );
      }
      lo = [];
      hi = [];
      b.forEach((pair: unknown, i) => {
        if (
          !Array.isArray(pair) ||
          pair.length !== 2 ||
          typeof pair[0] !== 'number' ||
          typeof pair[1] !== 'number' ||
          !Number.isFinite(pair[0]) ||
          !Number.isFinite(pair[1]) ||
          !(pair[0] < pair[1])
        ) {
          throw new RangeError(
            `LearnerND: bounds[${i}] must be finite and increasing, got ${describe(pair)}`,
          );
        }
        if (!Number.isFinite(pair[1] - pair[0])) {
          throw new RangeError(
            `LearnerND: bounds[${i}] = ${describe(pair)} is wider than the largest double`,
          );
        }
        const count = doublesBetween(pair[0], pair[1]);
        if (count < MIN_DOUBLES_PER_AXIS) {
          throw new RangeError(
            `LearnerND: bounds[${i}] = ${describe(pair)} holds only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use wider bounds, or bounds nearer 0`,
          );
        }
        lo.push(pair[0] + 0);
        hi.push(pair[1] + 0);
      });
      boundList = [];
      for (let c = 0; c < 2 ** d; c++) {
        // Lexicographic order: the first coordinate varies slowest.
        boundList.push(lo.map((a, j) => (((c >> (d - 1 - j)) & 1) === 0 ? a : (hi[j] as number))));
      }
    } else {
      const h = options.hull as unknown;
      if (!Array.isArray(h) || h.length === 0 || !Array.isArray(h[0])) {
        throw new TypeError(
          `LearnerND: hull must be a non-empty array of points, got ${describe(h)}`,
        );
      }
      d = (h[0] as unknown[]).length;
      if (!(d >= 1 && d <= MAX_DIM)) {
        throw new RangeError(
          `LearnerND: hull points must have 1 to ${MAX_DIM} coordinates, got ${d}`,
        );
      }
      lo = new Array(d).fill(INF);
      hi = new Array(d).fill(-INF);
      const pts: number[][] = [];
      h.forEach((p: unknown, i) => {
        if (!Array.isArray(p) || p.length !== d) {
          throw new TypeError(
            `LearnerND: hull[${i}] must be an array of ${d} numbers, got ${describe(p)}`,
          );
        }
        for (const x of p) {
          if (typeof x !== 'number' || !Number.isFinite(x)) {
            throw new RangeError(
              `LearnerND: hull[${i}] = ${describe(p)} has a coordinate that is not a finite number`,
            );
          }
        }
        const q = (p as number[]).map((x) => x + 0);
        q.forEach((x, j) => {
          if (x < (lo[j] as number)) lo[j] = x;
          if (x > (hi[j] as number)) hi[j] = x;
        });
        pts.push(q);
      });
      for (let j = 0; j < d; j++) {
        if (!Number.isFinite((hi[j] as number) - (lo[j] as number))) {
          throw new RangeError(
            `LearnerND: the hull spans more than the largest double along coordinate ${j}`,
          );
        }
        if (!((lo[j] as number) < (hi[j] as number))) {
          throw new RangeError(
            `LearnerND: the hull is not full-dimensional: every point has coordinate ${j} equal to ${lo[j]}`,
          );
        }
        const count = doublesBetween(lo[j] as number, hi[j] as number);
        if (count < MIN_DOUBLES_PER_AXIS) {
          throw new RangeError(
            `LearnerND: the hull spans only ${count} representable doubles along coordinate ${j} ([${lo[j]}, ${hi[j]}]), too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use a larger hull, or one nearer 0`,
          );
        }
      }
      boundList = pts;
    }
    this.dim = d;
    this.k = d + 1;
    this.lo = Float64Array.from(lo);
    this.hi = Float64Array.from(hi);
    // 1/width overflows for subnormal widths: there the offsets are first multiplied by a
    // power of two (exact), pre, and invW is 1/(width · pre). Elsewhere pre is 1 (same bits).
    this.pre = Float64Array.from(lo, (a, j) =>
      Number.isFinite(1 / ((hi[j] as number) - a)) ? 1 : 2 ** 600,
    );
    this.invW = Float64Array.from(
      lo,
      (a, j) => 1 / (((hi[j] as number) - a) * (this.pre[j] as number)),
    );
    this.org = Float64Array.from(lo, (a, j) => {
      const b = hi[j] as number;
      return Math.max(Math.abs(a), Math.abs(b)) > FAR * (b - a) ? a : 0;
    });
    this.bounds = lo.map((a, j) => [a, hi[j] as number] as const);
    const loss = options.loss ?? defaultLossND;
    if (typeof loss !== 'function') throw new TypeError('LearnerND: loss must be a function');
    const nn = loss.nthNeighbors ?? 0;
    if (nn !== 0 && nn !== 1) {
      throw new RangeError(
        `LearnerND: loss.nthNeighbors must be 0 or 1 (the vertices across the faces), got ${describe(nn)}`,
      );
    }
    this.lossFunction = loss;
    this.nn = nn;
    this.fast = loss === defaultLossND ? 1 : loss === uniformLossND ? 2 : 0;
    const factor = options.recomputeLossesFactor ?? 1.1;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || !(factor >= 1)) {
      throw new RangeError(
        `LearnerND: recomputeLossesFactor must be a finite number >= 1, got ${describe(factor)}`,
      );
    }
    this.factor = factor;
    this.qx = new Float64Array(d);
    this.qs = new Float64Array(d);
    this.ord = new Int32Array(d + 2);
    this.P = new Float64Array((d + 2) * (d + 1));
    this.PO = new Float64Array((d + 1) * d);
    this.lossX = Array.from({ length: d + 1 }, () => new Float64Array(d));
    this.lossY = new Array(d + 1).fill(0);
    this.nbX = new Array(d + 1).fill(null);
    this.nbY = new Array(d + 1).fill(null);
    this.nbBuf = Array.from({ length: d + 1 }, () => new Float64Array(d));
    this.bary = new Float64Array(d + 1);
    this.tri = new TriangulationND(d, 64);
    this.qReal = new IndexedHeap(this.tiesR);
    this.qComb = new IndexedHeap(this.tiesC);
    this.growData(16);
    this.growPending(16);
    this.growMembers(16);
    this.growSimplices(64);
    this.growRegistry(16);

    if (hasHull) {
      const pts = boundList;
      this.hull = pts.map((p) => p.slice());
      // The hull's own triangulation (scaled coordinates) gives its vertices and facets.
      const h = new TriangulationND(d, pts.length);
      const seen = new Set<string>();
      const uniq: number[][] = []; // by vertex id of h
      for (const p of pts) {
        const key = p.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        try {
          h.insert(
            p.map(
              (x, j) =>
                (x - (this.org[j] as number)) * (this.pre[j] as number) * (this.invW[j] as number),
            ),
          );
        } catch {
          continue; // distinct points that scale to the same coordinates: keep the first
        }
        uniq.push(p);
      }
      if (!h.isReady) {
        throw new RangeError(
          `LearnerND: the hull is not full-dimensional: its ${uniq.length} distinct points lie in a lower-dimensional flat of R^${d}`,
        );
      }
      const { facets, infPos } = h.hullFacets();
      const k = d + 1;
      const onHull = new Uint8Array(uniq.length);
      const planes: number[] = [];
      const planeKeys = new Set<string>();
      const m = infPos.length;
      const Pm = new Float64Array(k * d);
      for (let r = 0; r < m; r++) {
        for (let j = 0; j < k; j++) {
          const v = facets[r * k + j] as number;
          if (v >= 0) onHull[v] = 1;
        }
        // Outward normal: n·(q − x₀) ∝ orient(facet with q at infPos); n_j from cofactors.
        const ip = infPos[r] as number;
        const normal = new Float64Array(d);
        const ref = facets[r * k + (ip === 0 ? 1 : 0)] as number;
        const x0 = h.vertex(ref);
        for (let j = 0; j < d; j++) {
          // orientation with q = x0 + e_j, minus with q = x0: linear in q.
          for (let i = 0; i < k; i++) {
            const v = i === ip ? -1 : (facets[r * k + i] as number);
            const c = v < 0 ? x0 : h.vertex(v);
            for (let q = 0; q < d; q++) Pm[i * d + q] = c[q] as number;
          }
          Pm[ip * d + j] = (Pm[ip * d + j] as number) + 1;
          normal[j] = signedDet(Pm, d);
        }
        let len = 0;
        for (let j = 0; j < d; j++) len += (normal[j] as number) ** 2;
        len = Math.sqrt(len);
        let off = 0;
        for (let j = 0; j < d; j++) {
          normal[j] = (normal[j] as number) / len;
          off += (normal[j] as number) * (x0[j] as number);
        }
        const key = [...normal, off].map((v) => v.toPrecision(12)).join(',');
        if (planeKeys.has(key)) continue;
        planeKeys.add(key);
        planes.push(...normal, off);
      }
      this.planes = Float64Array.from(planes);
      // Each facet's tolerance: HULL_TOL, plus the coordinates' resolution (a few ulps of the
      // largest coordinate, in scaled units) where the domain is narrow against its position:
      // the points next to a facet that the doubles can represent may all lie a little off it.
      const res = Float64Array.from(lo, (a, j) => {
        const m = Math.max(Math.abs(a), Math.abs(hi[j] as number));
        return m * 2 ** -52 * (this.pre[j] as number) * (this.invW[j] as number);
      });
      const nPlanes = planes.length / (d + 1);
      this.planeTol = new Float64Array(nPlanes);
      for (let r = 0; r < nPlanes; r++) {
        let t = 0;
        for (let j = 0; j < d; j++)
          t += Math.abs(planes[r * (d + 1) + j] as number) * (res[j] as number);
        this.planeTol[r] = HULL_TOL + 4 * (d + 1) * t;
      }
      boundList = uniq.filter((_, i) => onHull[i] === 1);
      boundList.sort((a, b) => {
        for (let j = 0; j < d; j++) if (a[j] !== b[j]) return (a[j] as number) - (b[j] as number);
        return 0;
      });
    } else {
      this.hull = null;
      this.planes = null;
      this.planeTol = null;
    }
    this.nBound = boundList.length;
    this.boundPts = new Float64Array(this.nBound * d);
    boundList.forEach((p, i) => {
      this.boundPts.set(p, i * d);
    });
    this.boundByHash = new Map();
    for (let b = 0; b < this.nBound; b++) {
      const h = hash32(this.boundPts, b * d, d);
      const list = this.boundByHash.get(h);
      if (list === undefined) this.boundByHash.set(h, [b]);
      else list.push(b);
    }
  }

  private readonly boundByHash: Map<number, number[]>;

  /**
   * Number of evaluated points.
   * @example learner.npoints // 4
   */
  get npoints(): number {
    return this.nData;
  }

  /**
   * Points handed out by `ask` (or told pending) and not yet told, oldest first.
   * @example learner.ask(2); learner.pendingPoints // two points
   */
  get pendingPoints(): number[][] {
    const out: number[][] = [];
    const d = this.dim;
    for (let j = this.pHead; j >= 0; j = this.pNext[j] as number) {
      out.push(Array.from(this.pX.subarray(j * d, j * d + d)));
    }
    return out;
  }

  /**
   * The length of the vector output, 1 for scalar output or before any data.
   * @example learner.tell([0, 0], [1, 2, 3]); learner.outputDimension // 3
   */
  get outputDimension(): number {
    return this.vdim === 0 ? 1 : this.vdim;
  }

  /**
   * The bound points (box corners or hull vertices) in the order they are asked.
   * @example new LearnerND({ bounds: [[0, 1]] }).boundPoints // [[0], [1]]
   */
  get boundPoints(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.nBound; i++)
      out.push(Array.from(this.boundPts.subarray(i * this.dim, (i + 1) * this.dim)));
    return out;
  }

  // ---------------------------------------------------------------- storage

  private growData(min: number): void {
    let cap = Math.max(16, this.dCap * 2);
    while (cap < min) cap *= 2;
    const d = this.dim;
    const x = new Float64Array(cap * d);
    x.set(this.dataX);
    this.dataX = x;
    if (this.vdim > 0) {
      const y = new Float64Array(cap * this.vdim);
      y.set(this.dataY);
      this.dataY = y;
    }
    const dv = new Int32Array(cap);
    dv.set(this.dataVert);
    this.dataVert = dv;
    const vd = new Int32Array(cap);
    vd.set(this.vertData);
    this.vertData = vd;
    const vh = new Float64Array(cap);
    vh.set(this.vHash);
    this.vHash = vh;
    this.dCap = cap;
  }

  private growPending(min: number): void {
    let cap = Math.max(16, this.pCap * 2);
    while (cap < min) cap *= 2;
    const d = this.dim;
    const f = (a: Float64Array, w: number) => {
      const r = new Float64Array(cap * w);
      r.set(a);
      return r;
    };
    const g = (a: Int32Array) => {
      const r = new Int32Array(cap);
      r.set(a);
      return r;
    };
    this.pX = f(this.pX, d);
    this.pS = f(this.pS, d);
    this.pHashv = f(this.pHashv, 1);
    this.pHint = g(this.pHint);
    this.pPrev = g(this.pPrev);
    this.pNext = g(this.pNext);
    this.pMem = g(this.pMem);
    this.pStamp = g(this.pStamp);
    this.pCap = cap;
  }

  private growMembers(min: number): void {
    let cap = Math.max(16, this.mCap * 2);
    while (cap < min) cap *= 2;
    const g = (a: Int32Array) => {
      const r = new Int32Array(cap);
      r.set(a);
      return r;
    };
    this.mPend = g(this.mPend);
    this.mSimp = g(this.mSimp);
    this.mNextS = g(this.mNextS);
    this.mNextP = g(this.mNextP);
    const inc = new Uint8Array(cap);
    inc.set(this.mIncl);
    this.mIncl = inc;
    this.mCap = cap;
  }

  private growSimplices(min: number): void {
    let cap = Math.max(64, this.sCap * 2);
    while (cap < min) cap *= 2;
    const f = (a: Float64Array) => {
      const r = new Float64Array(cap);
      r.set(a);
      return r;
    };
    const g = (a: Int32Array, fill: number) => {
      const r = new Int32Array(cap).fill(fill);
      r.set(a);
      return r;
    };
    this.sLoss = f(this.sLoss);
    this.sVol = f(this.sVol);
    this.sHash = f(this.sHash);
    this.sPend = g(this.sPend, -1);
    this.sSub = g(this.sSub, -1);
    this.sStamp = g(this.sStamp, 0);
    const fl = new Uint8Array(cap);
    fl.set(this.sFlag);
    this.sFlag = fl;
    this.tiesR.tie = f(this.tiesR.tie);
    this.sCap = cap;
    this.growTieC();
  }

  private growRegistry(min: number): void {
    let cap = Math.max(16, this.gCap * 2);
    while (cap < min) cap *= 2;
    const a = new Int32Array(cap);
    a.set(this.gSub);
    this.gSub = a;
    const b = new Int32Array(cap);
    b.set(this.gSlot);
    this.gSlot = b;
    this.gCap = cap;
    this.growTieC();
  }

  private growTieC(): void {
    const need = 2 * Math.max(this.sCap, this.gCap) + 2;
    if (this.tiesC.tie.length >= need) return;
    const t = new Float64Array(need);
    t.set(this.tiesC.tie);
    this.tiesC.tie = t;
  }

  private ensureSimplexCap(): void {
    const c = this.tri.slotCapacity;
    if (c > this.sCap) this.growSimplices(c);
  }

  // ---------------------------------------------------------------- point table

  /** The code of the point at `X[off…]` (2i: data i, 2j + 1: pending j), or -1. */
  private pmGet(X: ArrayLike<number>, off: number): number {
    const d = this.dim;
    const h = hash32(X, off, d);
    const mask = this.pmKeys.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const code = this.pmKeys[i] as number;
      if (code < 0) return -1;
      if (this.pmHash[i] === h && this.sameCoords(code, X, off)) return code;
    }
  }

  private sameCoords(code: number, X: ArrayLike<number>, off: number): boolean {
    const d = this.dim;
    const A = (code & 1) === 0 ? this.dataX : this.pX;
    const o = (code >> 1) * d;
    for (let j = 0; j < d; j++) if (A[o + j] !== (X[off + j] as number) + 0) return false;
    return true;
  }

  private pmSet(code: number, X: ArrayLike<number>, off: number): void {
    if ((this.pmCount + 1) * 2 > this.pmKeys.length) this.pmGrow();
    const h = hash32(X, off, this.dim);
    const mask = this.pmKeys.length - 1;
    let i = h & mask;
    while ((this.pmKeys[i] as number) >= 0) i = (i + 1) & mask;
    this.pmKeys[i] = code;
    this.pmHash[i] = h;
    this.pmCount++;
  }

  private pmDelete(code: number, X: ArrayLike<number>, off: number): void {
    const h = hash32(X, off, this.dim);
    const keys = this.pmKeys;
    const hashes = this.pmHash;
    const mask = keys.length - 1;
    let i = h & mask;
    while (keys[i] !== code) {
      if ((keys[i] as number) < 0) return;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion keeps every probe sequence unbroken.
    let j = i;
    for (;;) {
      keys[i] = -1;
      for (;;) {
        j = (j + 1) & mask;
        if ((keys[j] as number) < 0) {
          this.pmCount--;
          return;
        }
        const home = (hashes[j] as number) & mask;
        // Move j into the hole at i unless its home lies cyclically in (i, j].
        if (i <= j ? home <= i || home > j : home <= i && home > j) break;
      }
      keys[i] = keys[j] as number;
      hashes[i] = hashes[j] as number;
      i = j;
    }
  }

  private pmGrow(): void {
    const oldK = this.pmKeys;
    const oldH = this.pmHash;
    const size = oldK.length * 2;
    this.pmKeys = new Int32Array(size).fill(-1);
    this.pmHash = new Uint32Array(size);
    const mask = size - 1;
    for (let t = 0; t < oldK.length; t++) {
      const code = oldK[t] as number;
      if (code < 0) continue;
      const h = oldH[t] as number;
      let i = h & mask;
      while ((this.pmKeys[i] as number) >= 0) i = (i + 1) & mask;
      this.pmKeys[i] = code;
      this.pmHash[i] = h;
    }
  }

  // ---------------------------------------------------------------- validation

  /** Validates a point: array of d finite numbers in the domain; returns it in `qx`. */
  private checkPoint(point: unknown, what: string): Float64Array {
    const d = this.dim;
    if (!Array.isArray(point) && !ArrayBuffer.isView(point)) {
      throw new TypeError(
        `LearnerND.${what}: a point must be an array of ${d} numbers, got ${describe(point)}`,
      );
    }
    const p = point as ArrayLike<unknown>;
    if (p.length !== d) {
      throw new TypeError(
        `LearnerND.${what}: point ${describe(point)} has ${p.length} coordinates, expected ${d}`,
      );
    }
    for (let j = 0; j < d; j++) {
      const x = p[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new TypeError(
          `LearnerND.${what}: point ${describe(point)} must hold ${d} finite numbers`,
        );
      }
      this.qx[j] = x + 0;
    }
    if (!this.inDomainQx()) {
      const where =
        this.planes === null
          ? `the bounds ${describe(this.bounds)}`
          : "the hull (tolerance 1e-9 of the bounding box, or its coordinates' resolution)";
      throw new RangeError(`LearnerND.${what}: point ${describe(point)} is outside ${where}`);
    }
    return this.qx;
  }

  private inDomainQx(): boolean {
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      const x = this.qx[j] as number;
      if (x < (this.lo[j] as number) || x > (this.hi[j] as number)) return false;
    }
    const planes = this.planes;
    if (planes === null) return true;
    for (let j = 0; j < d; j++)
      this.qs[j] =
        ((this.qx[j] as number) - (this.org[j] as number)) *
        (this.pre[j] as number) *
        (this.invW[j] as number);
    return this.worstFacet() < 0;
  }

  /**
   * The facet that scaled point qs lies farthest beyond (more than its tolerance), or -1 when
   * it lies inside the hull. O(d · facets).
   */
  private worstFacet(): number {
    const planes = this.planes as Float64Array;
    const tol = this.planeTol as Float64Array;
    const d = this.dim;
    let worst = -1;
    let most = 0;
    for (let r = 0, f = 0; r < planes.length; r += d + 1, f++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (planes[r + j] as number) * (this.qs[j] as number);
      const out = s - (planes[r + d] as number) - (tol[f] as number);
      if (out > most) {
        most = out;
        worst = f;
      }
    }
    return worst;
  }

  /**
   * Moves candidate qx into the hull where rounding put it just outside (a midpoint or a
   * centroid next to a slanted facet, in a domain whose coordinates are coarse against its
   * size): steps of one ulp against the facet's normal. Leaves qx in the bounding box.
   */
  private nudgeInside(): void {
    const d = this.dim;
    const planes = this.planes as Float64Array;
    for (let step = 0; step < 64 && !this.inDomainQx(); step++) {
      const f = this.worstFacet();
      if (f < 0) return; // outside the box only: the caller clamps
      for (let j = 0; j < d; j++) {
        const n = planes[f * (d + 1) + j] as number;
        if (n === 0) continue;
        const x = this.qx[j] as number;
        const y = n > 0 ? nextDown(x) : nextUp(x);
        this.qx[j] = Math.min(Math.max(y, this.lo[j] as number), this.hi[j] as number) + 0;
      }
    }
  }

  /**
   * Whether `point` lies in the domain: the box (exactly) or the hull (within 1e-9 of the
   * bounding box's size). O(d) for a box, O(d · facets) for a hull.
   * @example new LearnerND({ bounds: [[0, 1], [0, 1]] }).inDomain([0.5, 1]) // true
   */
  inDomain(point: readonly number[]): boolean {
    if (!Array.isArray(point) || point.length !== this.dim) return false;
    for (let j = 0; j < this.dim; j++) {
      const x = point[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) return false;
      this.qx[j] = x + 0;
    }
    return this.inDomainQx();
  }

  /** Validates a value for point x; returns its vector length (0 for a number). */
  private checkValue(
    y: unknown,
    point: unknown,
    what: string,
    vdim: number,
    vector: boolean,
  ): number {
    if (typeof y === 'number') {
      if (vdim !== 0 && vector) {
        throw new TypeError(
          `LearnerND.${what}: the value at ${describe(point)} is a number, but earlier values were vectors of length ${vdim}`,
        );
      }
      return 0;
    }
    if (Array.isArray(y) || ArrayBuffer.isView(y)) {
      const v = y as ArrayLike<unknown>;
      if (v.length === 0)
        throw new TypeError(
          `LearnerND.${what}: the value at ${describe(point)} is an empty vector`,
        );
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number') {
          throw new TypeError(
            `LearnerND.${what}: the value at ${describe(point)} must hold numbers only, got ${describe(y)}`,
          );
        }
      }
      if (vdim !== 0 && !vector) {
        throw new TypeError(
          `LearnerND.${what}: the value at ${describe(point)} is a vector, but earlier values were numbers`,
        );
      }
      if (vdim !== 0 && v.length !== vdim) {
        throw new RangeError(
          `LearnerND.${what}: the value at ${describe(point)} has length ${v.length}, but earlier values had length ${vdim}`,
        );
      }
      return v.length;
    }
    throw new TypeError(
      `LearnerND.${what}: the value at ${describe(point)} must be a number or an array of numbers, got ${describe(y)}`,
    );
  }

  private setShape(len: number): void {
    this.vector = len > 0;
    this.vdim = len > 0 ? len : 1;
    this.dataY = new Float64Array(this.dCap * this.vdim);
    const d = this.dim;
    this.lossY = Array.from({ length: d + 1 }, () =>
      this.vector ? new Float64Array(this.vdim) : 0,
    );
    this.nbYBuf = Array.from({ length: d + 1 }, () => new Float64Array(this.vdim));
    this.P = new Float64Array((d + 2) * (d + this.vdim));
  }

  // ---------------------------------------------------------------- per-simplex state

  private markDirty(s: number): void {
    const f = this.sFlag[s] as number;
    if ((f & DIRTY_R) === 0) {
      if (this.nDirtyR === this.dirtyR.length) {
        const a = new Int32Array(this.nDirtyR * 2);
        a.set(this.dirtyR);
        this.dirtyR = a;
      }
      this.dirtyR[this.nDirtyR++] = s;
    }
    if ((f & DIRTY_C) === 0) {
      if (this.nDirtyC === this.dirtyC.length) {
        const a = new Int32Array(this.nDirtyC * 2);
        a.set(this.dirtyC);
        this.dirtyC = a;
      }
      this.dirtyC[this.nDirtyC++] = s;
    }
    this.sFlag[s] = f | DIRTY_R | DIRTY_C;
  }

  private markRebuild(s: number): void {
    this.markDirty(s);
    this.sFlag[s] = (this.sFlag[s] as number) | REBUILD;
  }

  /** The vertex positions of slot s sorted by the lexicographic order of their coordinates. */
  private canonical(verts: Int32Array, base: number, X: Float64Array): void {
    const ord = this.ord;
    const k = this.k;
    const d = this.dim;
    for (let i = 0; i < k; i++) {
      const vi = verts[base + i] as number;
      let j = i;
      while (j > 0 && lexCompare(X, d, verts[base + (ord[j - 1] as number)] as number, vi) > 0) {
        ord[j] = ord[j - 1] as number;
        j--;
      }
      ord[j] = i;
    }
  }

  private valueFinite(i: number): boolean {
    const w = this.vdim;
    for (let c = i * w; c < i * w + w; c++)
      if (!Number.isFinite(this.dataY[c] as number)) return false;
    return true;
  }

  /** Sets the loss, volume and hash of a new simplex slot; queues it. */
  private newSimplex(s: number): void {
    this.sPend[s] = -1;
    this.sSub[s] = -1;
    this.sFlag[s] = (this.sFlag[s] as number) & (DIRTY_R | DIRTY_C);
    const k = this.k;
    const V = this.tri.verts;
    let h = 0;
    for (let i = 0; i < k; i++) h += this.vHash[V[s * k + i] as number] as number;
    this.sHash[s] = h;
    this.computeLoss(s);
    this.markDirty(s);
  }

  /** python-adaptive's `_compute_loss`, on the vertices in lexicographic order. */
  private computeLoss(s: number): void {
    const d = this.dim;
    const k = this.k;
    const tri = this.tri;
    const V = tri.verts;
    const X = tri.coords;
    const base = s * k;
    this.canonical(V, base, X);
    const ord = this.ord;
    const P = this.P;
    // Volume, relative to the last vertex (python's `volume`).
    for (let i = 0; i < k; i++) {
      const v = V[base + (ord[i] as number)] as number;
      for (let j = 0; j < d; j++) P[i * d + j] = X[v * d + j] as number;
    }
    let finite = !this.restoring;
    for (let i = 0; i < k && finite; i++) {
      if (!this.valueFinite(this.vertData[V[base + i] as number] as number)) finite = false;
    }
    let vol: number;
    let loss: number;
    if (finite && this.fast === 1 && d >= 4) {
      // One LU for the volume and the graph volume (see graphVolumes).
      const w = this.vdim;
      const n = d + w;
      const m = this.mult;
      const vu = this.unit;
      for (let i = 0; i < k; i++) {
        const v = V[base + (ord[i] as number)] as number;
        const di = this.vertData[v] as number;
        for (let j = 0; j < d; j++) P[i * n + j] = X[v * d + j] as number;
        for (let c = 0; c < w; c++)
          P[i * n + d + c] = m * ((this.dataY[di * w + c] as number) * vu);
      }
      const gv = graphVolumes(P, d, w);
      vol = gv.vol;
      loss = gv.graph;
    } else {
      vol = volumeFlat(P, d);
      if (!finite || this.fast === 2) loss = vol;
      else if (this.fast === 1) {
        const w = this.vdim;
        const n = d + w;
        const m = this.mult;
        const vu = this.unit;
        for (let i = 0; i < k; i++) {
          const v = V[base + (ord[i] as number)] as number;
          const di = this.vertData[v] as number;
          for (let j = 0; j < d; j++) P[i * n + j] = X[v * d + j] as number;
          for (let c = 0; c < w; c++)
            P[i * n + d + c] = m * ((this.dataY[di * w + c] as number) * vu);
        }
        loss = embeddedVolumeFlat(P, d, n);
      } else loss = this.callLoss(s);
    }
    this.sVol[s] = vol;
    if (this.restoring) return; // the snapshot's losses are put back afterwards
    this.sLoss[s] = Number.isFinite(loss) ? loss : vol;
  }

  private callLoss(s: number): number {
    const d = this.dim;
    const k = this.k;
    const tri = this.tri;
    const V = tri.verts;
    const X = tri.coords;
    const base = s * k;
    const ord = this.ord;
    const m = this.mult;
    const vu = this.unit;
    const w = this.vdim;
    for (let i = 0; i < k; i++) {
      const v = V[base + (ord[i] as number)] as number;
      const di = this.vertData[v] as number;
      const x = this.lossX[i] as Float64Array;
      for (let j = 0; j < d; j++) x[j] = X[v * d + j] as number;
      if (this.vector) {
        const y = this.lossY[i] as Float64Array;
        for (let c = 0; c < w; c++) y[c] = m * ((this.dataY[di * w + c] as number) * vu);
      } else this.lossY[i] = m * ((this.dataY[di] as number) * vu);
    }
    if (this.nn > 0) {
      for (let i = 0; i < k; i++) {
        const u = tri.opposite(s, ord[i] as number);
        const di = u < 0 ? -1 : (this.vertData[u] as number);
        if (u < 0 || !this.valueFinite(di)) {
          this.nbX[i] = null;
          this.nbY[i] = null;
          continue;
        }
        const x = this.nbBuf[i] as Float64Array;
        for (let j = 0; j < d; j++) x[j] = X[u * d + j] as number;
        this.nbX[i] = x;
        if (this.vector) {
          const y = this.nbYBuf[i] as Float64Array;
          for (let c = 0; c < w; c++) y[c] = m * ((this.dataY[di * w + c] as number) * vu);
          this.nbY[i] = y;
        } else this.nbY[i] = m * ((this.dataY[di] as number) * vu);
      }
    }
    let loss: unknown;
    try {
      loss =
        this.nn === 0
          ? this.lossFunction(this.lossX, this.lossY, m)
          : this.lossFunction(this.lossX, this.lossY, m, this.nbX, this.nbY);
    } catch (e) {
      this.lossError ??= e instanceof Error ? e : new Error(String(e));
      return Number.NaN;
    }
    if (typeof loss !== 'number') {
      this.lossError ??= new TypeError(
        `LearnerND: the loss function returned ${describe(loss)}, expected a number`,
      );
      return Number.NaN;
    }
    return loss;
  }

  // The first error of a user loss function during an update: the update completes (that
  // simplex's loss is then its volume), and the public call throws it afterwards.
  private lossError: Error | null = null;

  private throwLossError(): void {
    const e = this.lossError;
    if (e === null) return;
    this.lossError = null;
    if (e instanceof TypeError && e.message.startsWith('LearnerND:')) throw e;
    throw new Error(`LearnerND: the loss function threw: ${e.message} (the data was kept)`, {
      cause: e,
    });
  }

  // ---------------------------------------------------------------- memberships

  private allocMember(): number {
    const f = this.mFree.pop();
    if (f !== undefined) return f;
    if (this.mUsed === this.mCap) this.growMembers(this.mUsed + 1);
    return this.mUsed++;
  }

  /** Records that pending point j lies in simplex s. */
  private addMember(j: number, s: number): void {
    const m = this.allocMember();
    this.mPend[m] = j;
    this.mSimp[m] = s;
    this.mIncl[m] = 0;
    this.mNextS[m] = this.sPend[s] as number;
    this.sPend[s] = m;
    this.mNextP[m] = this.pMem[j] as number;
    this.pMem[j] = m;
    this.markDirty(s);
  }

  private unlinkFromPending(m: number): void {
    unlink(this.pMem, this.mPend[m] as number, this.mNextP, m);
  }

  private unlinkFromSimplex(m: number): void {
    unlink(this.sPend, this.mSimp[m] as number, this.mNextS, m);
  }

  /**
   * Finds every simplex holding pending point j and records the memberships it lacks.
   * Outside the hull (or before the triangulation forms) it stays unbound.
   */
  private bindPending(j: number, hint: number): void {
    const tri = this.tri;
    if (!tri.isReady) return;
    const v = tri.stage(this.pS.subarray(j * this.dim, (j + 1) * this.dim));
    const s = tri.locateSlot(v, hint);
    if (s < 0) return;
    this.pHint[j] = s;
    const list = this.list;
    list.length = 0;
    tri.containingFrom(v, s, list);
    for (const c of list) {
      let known = false;
      for (let m = this.pMem[j] as number; m >= 0; m = this.mNextP[m] as number) {
        if (this.mSimp[m] === c) {
          known = true;
          break;
        }
      }
      if (!known) this.addMember(j, c);
    }
  }

  // ---------------------------------------------------------------- pending points

  private addPending(X: ArrayLike<number>, off: number, hint: number): number {
    let j = this.pFree.pop();
    if (j === undefined) {
      if (this.pUsed === this.pCap) this.growPending(this.pUsed + 1);
      j = this.pUsed++;
    }
    const d = this.dim;
    for (let q = 0; q < d; q++) {
      const x = (X[off + q] as number) + 0;
      this.pX[j * d + q] = x;
      this.pS[j * d + q] =
        (x - (this.org[q] as number)) * (this.pre[q] as number) * (this.invW[q] as number);
    }
    this.pHashv[j] = hashCoords(this.pS, j * d, d);
    this.pMem[j] = -1;
    this.pHint[j] = hint;
    this.pPrev[j] = this.pTail;
    this.pNext[j] = -1;
    if (this.pTail >= 0) this.pNext[this.pTail] = j;
    else this.pHead = j;
    this.pTail = j;
    this.nPending++;
    this.pmSet(2 * j + 1, this.pX, j * d);
    if (this.isBoundAt(this.pX, j * d)) this.nBoundPending++;
    this.bindPending(j, hint);
    return j;
  }

  /** Whether the point at `X[off…]` is a bound point (a box corner or a hull vertex). O(d). */
  private isBoundAt(X: ArrayLike<number>, off: number): boolean {
    const d = this.dim;
    if (this.planes === null) {
      for (let q = 0; q < d; q++) {
        const x = X[off + q] as number;
        if (x !== this.lo[q] && x !== this.hi[q]) return false;
      }
      return true;
    }
    const list = this.boundByHash.get(hash32(X, off, d));
    if (list === undefined) return false;
    for (const b of list) {
      let same = true;
      for (let q = 0; q < d && same; q++)
        if (this.boundPts[b * d + q] !== (X[off + q] as number) + 0) same = false;
      if (same) return true;
    }
    return false;
  }

  /** Forgets pending point j: its memberships (the simplices rebuild or requeue), its slot. */
  private removePending(j: number): void {
    const d = this.dim;
    for (let m = this.pMem[j] as number; m >= 0; ) {
      const next = this.mNextP[m] as number;
      const s = this.mSimp[m] as number;
      this.unlinkFromSimplex(m);
      this.mFree.push(m);
      this.markRebuild(s);
      m = next;
    }
    this.pMem[j] = -1;
    const p = this.pPrev[j] as number;
    const n = this.pNext[j] as number;
    if (p >= 0) this.pNext[p] = n;
    else this.pHead = n;
    if (n >= 0) this.pPrev[n] = p;
    else this.pTail = p;
    this.nPending--;
    this.pmDelete(2 * j + 1, this.pX, j * d);
    if (this.isBoundAt(this.pX, j * d)) this.nBoundPending--;
    this.pFree.push(j);
  }

  // ---------------------------------------------------------------- sub-triangulations

  private allocG(): number {
    const f = this.gFree.pop();
    if (f !== undefined) return f;
    if (this.gUsed === this.gCap) this.growRegistry(this.gUsed + 1);
    return this.gUsed++;
  }

  /** Queues sub-simplex `slot` of sub-triangulation `idx` with loss × subvolume / volume. */
  private registerSub(idx: number, slot: number): void {
    const t = this.subTri[idx] as TriangulationND;
    const s = this.subOwner[idx] as number;
    const k = this.k;
    const d = this.dim;
    let G = this.subG[idx] as Int32Array;
    if (G.length <= slot) {
      const g2 = new Int32Array(Math.max(slot + 1, G.length * 2));
      g2.set(G);
      G = g2;
      this.subG[idx] = G;
    }
    const g = this.allocG();
    this.gSub[g] = idx;
    this.gSlot[g] = slot;
    G[slot] = g;
    const V = t.verts;
    const X = t.coords;
    this.canonical(V, slot * k, X);
    const P = this.P;
    let h = 0;
    const vp = this.subVP[idx] as Int32Array;
    const RV = this.tri.verts;
    for (let i = 0; i < k; i++) {
      const u = V[slot * k + (this.ord[i] as number)] as number;
      for (let j = 0; j < d; j++) P[i * d + j] = X[u * d + j] as number;
      h +=
        u < k
          ? (this.vHash[RV[s * k + u] as number] as number)
          : (this.pHashv[vp[u] as number] as number);
    }
    const subVol = volumeFlat(P, d);
    const key = subVol * ((this.sLoss[s] as number) / (this.sVol[s] as number));
    const id = 2 * g + 1;
    this.tiesC.tie[id] = h;
    this.qComb.set(id, Number.isFinite(key) ? key : 0);
  }

  private unregisterSub(idx: number, slot: number): void {
    const g = (this.subG[idx] as Int32Array)[slot] as number;
    this.qComb.delete(2 * g + 1);
    this.gFree.push(g);
  }

  /** Builds the sub-triangulation of simplex s from its pending points. */
  private createSub(s: number): void {
    const k = this.k;
    const d = this.dim;
    let idx = this.subFree.pop();
    if (idx === undefined) {
      idx = this.subTri.length;
      this.subTri.push(null);
      this.subOwner.push(-1);
      this.subVP.push(new Int32Array(k + 4).fill(-1));
      this.subG.push(new Int32Array(8));
    }
    const t = this.pool.pop() ?? new TriangulationND(d, 8);
    this.subTri[idx] = t;
    this.subOwner[idx] = s;
    this.sSub[s] = idx;
    const V = this.tri.verts;
    const X = this.tri.coords;
    const pts = this.PO;
    for (let i = 0; i < k; i++) {
      const v = V[s * k + i] as number;
      for (let j = 0; j < d; j++) pts[i * d + j] = X[v * d + j] as number;
    }
    t.resetToSimplex(pts);
    this.registerSub(idx, t.lastAdded[0] as number);
    this.insertMembers(s, idx);
  }

  private insertMembers(s: number, idx: number): void {
    const t = this.subTri[idx] as TriangulationND;
    const d = this.dim;
    for (let m = this.sPend[s] as number; m >= 0; m = this.mNextS[m] as number) {
      if (this.mIncl[m] === 1) continue;
      this.mIncl[m] = 1;
      const j = this.mPend[m] as number;
      let u: number;
      try {
        u = t.insert(this.pS.subarray(j * d, (j + 1) * d));
      } catch {
        continue; // the same scaled point twice (distinct originals): keep the first
      }
      let vp = this.subVP[idx] as Int32Array;
      if (vp.length <= u) {
        const a = new Int32Array(Math.max(u + 1, vp.length * 2)).fill(-1);
        a.set(vp);
        vp = a;
        this.subVP[idx] = vp;
      }
      vp[u] = j;
      const rem = t.lastRemoved;
      for (let i = 0; i < rem.length; i++) this.unregisterSub(idx, rem[i] as number);
      const add = t.lastAdded;
      for (let i = 0; i < add.length; i++) this.registerSub(idx, add[i] as number);
    }
  }

  private destroySub(s: number): void {
    const idx = this.sSub[s] as number;
    if (idx < 0) return;
    const t = this.subTri[idx] as TriangulationND;
    const slots = t.slotCount;
    for (let q = 0; q < slots; q++) if (t.isSimplex(q)) this.unregisterSub(idx, q);
    this.pool.push(t);
    this.subTri[idx] = null;
    this.subOwner[idx] = -1;
    (this.subVP[idx] as Int32Array).fill(-1);
    this.subFree.push(idx);
    this.sSub[s] = -1;
    for (let m = this.sPend[s] as number; m >= 0; m = this.mNextS[m] as number) this.mIncl[m] = 0;
  }

  // ---------------------------------------------------------------- queues

  private setReal(s: number, key: number): void {
    const q = this.qReal;
    const tie = this.tiesR.tie;
    if (tie[s] !== this.sHash[s]) {
      q.delete(s);
      tie[s] = this.sHash[s] as number;
    }
    q.set(s, key);
  }

  private setComb(id: number, key: number, h: number): void {
    const q = this.qComb;
    const tie = this.tiesC.tie;
    if (tie[id] !== h) {
      q.delete(id);
      tie[id] = h;
    }
    q.set(id, key);
  }

  /** Applies the queued updates of the real-loss heap (rebuilt when most changed). */
  private flushReal(): void {
    const n = this.nDirtyR;
    if (n === 0) return;
    const list = this.dirtyR;
    const kinds = this.tri.kinds;
    for (let i = 0; i < n; i++) {
      const s = list[i] as number;
      this.sFlag[s] = (this.sFlag[s] as number) & ~DIRTY_R;
    }
    this.nDirtyR = 0;
    if (n * 4 > this.qReal.size) {
      const slots = this.tri.simplexSlots();
      const keys = new Float64Array(slots.length);
      const tie = this.tiesR.tie;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i] as number;
        keys[i] = this.sLoss[s] as number;
        tie[s] = this.sHash[s] as number;
      }
      this.qReal.build(slots, keys, slots.length);
      return;
    }
    for (let i = 0; i < n; i++) {
      const s = list[i] as number;
      if (kinds[s] === FINITE) this.setReal(s, this.sLoss[s] as number);
      else this.qReal.delete(s);
    }
  }

  /** Brings the combined queue up to date: requeues, removes and (re)builds sub-triangulations. */
  private flushComb(): void {
    const kinds = this.tri.kinds;
    // Sub-triangulation work may mark nothing new; loop over a snapshot of the list.
    while (this.nDirtyC > 0) {
      const n = this.nDirtyC;
      const list = this.dirtyC;
      this.dirtyC = this.dirtyC2;
      this.dirtyC2 = list;
      this.nDirtyC = 0;
      for (let i = 0; i < n; i++) {
        const s = list[i] as number;
        const f = this.sFlag[s] as number;
        this.sFlag[s] = f & ~(DIRTY_C | REBUILD);
        if (s >= this.tri.slotCount || kinds[s] !== FINITE) {
          this.qComb.delete(2 * s);
          continue;
        }
        if ((this.sPend[s] as number) < 0) {
          if ((this.sSub[s] as number) >= 0) this.destroySub(s);
          this.setComb(2 * s, this.sLoss[s] as number, this.sHash[s] as number);
          continue;
        }
        this.qComb.delete(2 * s);
        if ((this.sSub[s] as number) >= 0 && (f & REBUILD) !== 0) this.destroySub(s);
        if ((this.sSub[s] as number) < 0) this.createSub(s);
        else this.insertMembers(s, this.sSub[s] as number);
      }
    }
  }

  /** Recomputes every loss (the value range grew): O(simplices), heaps rebuilt in O(n). */
  private recomputeAll(): void {
    const tri = this.tri;
    if (!tri.isReady) return;
    const slots = tri.simplexSlots();
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      this.computeLoss(s);
      if ((this.sSub[s] as number) >= 0) this.destroySub(s);
    }
    // Rebuild both heaps from scratch; simplices holding pending points rebuild lazily.
    for (let i = 0; i < this.nDirtyR; i++) {
      const s = this.dirtyR[i] as number;
      this.sFlag[s] = (this.sFlag[s] as number) & ~DIRTY_R;
    }
    this.nDirtyR = 0;
    for (let i = 0; i < this.nDirtyC; i++) {
      const s = this.dirtyC[i] as number;
      this.sFlag[s] = (this.sFlag[s] as number) & ~(DIRTY_C | REBUILD);
    }
    this.nDirtyC = 0;
    const keys = new Float64Array(slots.length);
    const tieR = this.tiesR.tie;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      keys[i] = this.sLoss[s] as number;
      tieR[s] = this.sHash[s] as number;
    }
    this.qReal.build(slots, keys, slots.length);
    const ids = new Int32Array(slots.length);
    const ck = new Float64Array(slots.length);
    const tieC = this.tiesC.tie;
    let m = 0;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      if ((this.sPend[s] as number) >= 0) {
        this.markDirty(s);
        this.sFlag[s] = (this.sFlag[s] as number) & ~DIRTY_R;
        continue;
      }
      ids[m] = 2 * s;
      ck[m] = this.sLoss[s] as number;
      tieC[2 * s] = this.sHash[s] as number;
      m++;
    }
    // The real dirty list must not keep the entries just re-added for sub-triangulations.
    this.nDirtyR = 0;
    this.qComb.build(ids, ck, m);
  }

  // ---------------------------------------------------------------- output scale

  /** python-adaptive's `_update_range` over the finite components of a value. */
  private updateRange(i: number): void {
    const w = this.vdim;
    let changed = false;
    for (let c = i * w; c < i * w + w; c++) {
      const y = this.dataY[c] as number;
      if (!Number.isFinite(y)) continue;
      if (y < this.yMin) {
        this.yMin = y;
        changed = true;
      }
      if (y > this.yMax) {
        this.yMax = y;
        changed = true;
      }
    }
    if (!changed || this.restoring) return;
    this.setMultiplier();
    const scale = this.yMax - this.yMin;
    if (scale > this.factor * this.oldScale) {
      this.oldScale = scale;
      this.recomputeAll();
    }
  }

  private setMultiplier(): void {
    const scale = this.yMax >= this.yMin ? this.yMax - this.yMin : 0;
    let mult = scale > 0 ? 1 / scale : 1;
    let unit = 1;
    const maxAbs = Math.max(Math.abs(this.yMin), Math.abs(this.yMax));
    if (scale === 0 || (scale >= UNIT_LOW && scale <= UNIT_HIGH)) {
      // Do not amplify float noise: python's allowed numerical error of 1e-2.
      if (scale > 0 && 1e-15 * maxAbs * mult > 1e-2) mult = 1;
    } else {
      // A range that overflows (values near ±MAX_VALUE), or whose inverse does (subnormal
      // values): the values are first multiplied by a power of two (exact) that puts the
      // range in [1, 2), then by the multiplier. The same products as y / range, as far as
      // rounding allows.
      const half = this.yMax * 0.5 - this.yMin * 0.5;
      if (1e-15 * ((maxAbs * 0.5) / half) > 1e-2) mult = 1;
      else {
        const e = Math.max(-1000, Math.min(1000, Math.floor(Math.log2(half)) + 1));
        unit = 2 ** -e;
        mult = 1 / (this.yMax * unit - this.yMin * unit);
      }
    }
    this.mult = mult;
    this.unit = unit;
  }

  // ---------------------------------------------------------------- protocol

  /**
   * Tells the value at a point. A point told before is ignored (its first value stays).
   * O(walk + cavity) for the triangulation, plus an amortised share of the full loss
   * recomputation when the value range grows by `recomputeLossesFactor`.
   * @throws TypeError/RangeError naming the point when it is not d finite numbers, lies
   *   outside the domain, or the value has the wrong shape; the learner is then unchanged.
   *   An Error when a custom loss function throws (or returns a non-number): the point is
   *   kept, the affected simplices get their volume as loss, and the learner stays usable.
   * @example learner.tell([0.5, 0.5], 1.25);
   */
  tell(point: readonly number[], value: ValueND): void {
    const x = this.checkPoint(point, 'tell');
    const len = this.checkValue(value, point, 'tell', this.vdim, this.vector);
    const code = this.pmGet(x, 0);
    if (code >= 0 && (code & 1) === 0) return;
    if (this.vdim === 0) this.setShape(len);
    this.tellUnchecked(x, value, code);
    this.throwLossError();
  }

  /**
   * Tells many points: the same state as telling them one by one. Everything is validated
   * first, so a bad entry leaves the learner unchanged.
   * @example learner.tellMany([[0, 0], [1, 1]], [0, 2]);
   */
  tellMany(points: readonly (readonly number[])[], values: readonly ValueND[]): void {
    if (!Array.isArray(points) || !Array.isArray(values)) {
      throw new TypeError('LearnerND.tellMany: points and values must be arrays');
    }
    if (points.length !== values.length) {
      throw new RangeError(
        `LearnerND.tellMany: ${points.length} points but ${values.length} values`,
      );
    }
    const d = this.dim;
    const clean = new Float64Array(points.length * d);
    let vdim = this.vdim;
    let vector = this.vector;
    for (let i = 0; i < points.length; i++) {
      const x = this.checkPoint(points[i], 'tellMany');
      clean.set(x, i * d);
      const len = this.checkValue(values[i], points[i], 'tellMany', vdim, vector);
      if (vdim === 0) {
        vdim = len > 0 ? len : 1;
        vector = len > 0;
      }
    }
    if (points.length > 0 && this.vdim === 0) this.setShape(vector ? vdim : 0);
    for (let i = 0; i < points.length; i++) {
      const code = this.pmGet(clean, i * d);
      if (code >= 0 && (code & 1) === 0) continue;
      this.tellUnchecked(clean.subarray(i * d, (i + 1) * d), values[i] as ValueND, code);
    }
    this.throwLossError();
  }

  private tellUnchecked(x: Float64Array, value: ValueND, code: number): void {
    const d = this.dim;
    let hint = -1;
    if (code >= 0) {
      const j = code >> 1;
      hint = this.pHint[j] as number;
      this.removePending(j);
    }
    if (this.nData === this.dCap) this.growData(this.nData + 1);
    const i = this.nData++;
    for (let q = 0; q < d; q++) this.dataX[i * d + q] = x[q] as number;
    const w = this.vdim;
    if (typeof value === 'number') this.dataY[i] = value;
    else for (let c = 0; c < w; c++) this.dataY[i * w + c] = value[c] as number;
    this.dataVert[i] = -1;
    this.pmSet(2 * i, this.dataX, i * d);
    if (this.isBoundAt(this.dataX, i * d)) {
      this.nBoundData++;
      if (this.boundCursor < this.nBound) this.advanceBoundCursor();
    }
    this.updateRange(i);
    this.insertPoint(i, hint);
  }

  private advanceBoundCursor(): void {
    const d = this.dim;
    while (this.boundCursor < this.nBound) {
      const code = this.pmGet(this.boundPts, this.boundCursor * d);
      if (code < 0 || (code & 1) === 1) break;
      this.boundCursor++;
    }
  }

  /** Inserts data point i into the triangulation and updates the losses around it. */
  private insertPoint(i: number, hint: number): void {
    const d = this.dim;
    const tri = this.tri;
    const qs = this.qs;
    for (let q = 0; q < d; q++)
      qs[q] =
        ((this.dataX[i * d + q] as number) - (this.org[q] as number)) *
        (this.pre[q] as number) *
        (this.invW[q] as number);
    const wasReady = tri.isReady;
    let v: number;
    try {
      v = tri.insert(qs, hint);
    } catch (e) {
      // Two distinct points with the same scaled coordinates (rounding): the later one is
      // kept as data but not triangulated.
      if (e instanceof RangeError) return;
      throw e;
    }
    this.dataVert[i] = v;
    if (v >= this.dCap) this.growData(v + 1);
    this.vertData[v] = i;
    this.vHash[v] = hashCoords(tri.coords, v * d, d);
    if (!tri.isReady) return;
    this.ensureSimplexCap();
    const added = tri.lastAdded;
    if (!wasReady) {
      for (let a = 0; a < added.length; a++) this.newSimplex(added[a] as number);
      for (let j = this.pHead; j >= 0; j = this.pNext[j] as number) this.bindPending(j, -1);
      return;
    }
    const removed = tri.lastRemoved;
    this.stamp++;
    const stamp = this.stamp;
    const unbound = this.unbound;
    unbound.length = 0;
    for (let r = 0; r < removed.length; r++) {
      const s = removed[r] as number;
      for (let m = this.sPend[s] as number; m >= 0; ) {
        const next = this.mNextS[m] as number;
        const j = this.mPend[m] as number;
        this.unlinkFromPending(m);
        this.mFree.push(m);
        if (this.pStamp[j] !== stamp) {
          this.pStamp[j] = stamp;
          unbound.push(j);
        }
        m = next;
      }
      this.sPend[s] = -1;
      if ((this.sSub[s] as number) >= 0) this.destroySub(s);
      this.markDirty(s);
    }
    for (let a = 0; a < added.length; a++) {
      const s = added[a] as number;
      this.sStamp[s] = stamp;
      this.newSimplex(s);
    }
    if (this.nn > 0) {
      const k = this.k;
      const N = tri.nbrs;
      for (let a = 0; a < added.length; a++) {
        const s = added[a] as number;
        for (let f = 0; f < k; f++) {
          const n = N[s * k + f] as number;
          if (tri.kinds[n] !== FINITE || this.sStamp[n] === stamp) continue;
          this.sStamp[n] = stamp;
          this.computeLoss(n);
          this.markDirty(n);
          if ((this.sSub[n] as number) >= 0) this.sFlag[n] = (this.sFlag[n] as number) | REBUILD;
        }
      }
    }
    const first = added.length > 0 ? (added[0] as number) : -1;
    for (let u = 0; u < unbound.length; u++) this.bindPending(unbound[u] as number, first);
    if (tri.lastExtendedHull) {
      // The hull grew: points outside it may now be inside, and points on a hull facet the
      // new point covered lie in a new simplex too. Only while the hull grows (bootstrap).
      for (let j = this.pHead; j >= 0; j = this.pNext[j] as number) this.bindPending(j, first);
    }
  }

  /**
   * Marks a point as being evaluated, so `ask` does not hand it out again; its simplex is
   * split among the pending points it holds. A known point (evaluated or pending) is
   * ignored. O(walk).
   * @throws TypeError/RangeError naming the point when it is malformed or outside the domain.
   * @example learner.tellPending([0.25, 0.5]);
   */
  tellPending(point: readonly number[]): void {
    const x = this.checkPoint(point, 'tellPending');
    if (this.pmGet(x, 0) >= 0) return;
    this.addPending(x, 0, -1);
  }

  /**
   * Forgets every pending point; the simplices that held them are queued again with their
   * own loss (python-adaptive forgets those simplices, its #4). O(pending · walk).
   * @example learner.removeUnfinished(); learner.pendingPoints; // []
   */
  removeUnfinished(): void {
    while (this.pHead >= 0) this.removePending(this.pHead);
    this.boundCursor = 0;
    this.advanceBoundCursor();
  }

  /**
   * The largest simplex loss: of the evaluated data (`real`, default), or including pending
   * points as sub-simplices (`real: false`; python-adaptive ignores `real`). +Infinity
   * while a bound point is not evaluated (for `real: false`: neither evaluated nor
   * pending) or no triangulation exists. O(1) amortised (queued heap updates are applied
   * on the read).
   * @example learner.loss(); learner.loss({ real: false });
   */
  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    if (real ? this.nBoundData < this.nBound : this.nBoundData + this.nBoundPending < this.nBound) {
      return INF;
    }
    if (!this.tri.isReady) return INF;
    if (real) {
      this.flushReal();
      const top = this.qReal.peek();
      return top < 0 ? INF : (this.sLoss[top] as number);
    }
    this.flushComb();
    const top = this.qComb.peek();
    return top < 0 ? INF : this.qComb.key(top);
  }

  /**
   * Returns `n` points expected to reduce the loss most, with the loss improvement of
   * each: bound points first (improvement +Infinity), seeded random points while no
   * triangulation exists (+Infinity), then python-adaptive's choice in the simplex or
   * pending sub-simplex of largest loss. With `tellPending: false` the learner is left
   * exactly as it was. O(n · (log N + walk + d³)).
   * @throws RangeError when n is not a non-negative integer.
   * @example learner.ask(2) // { points: [[...], [...]], lossImprovements: [0.12, 0.11] }
   */
  ask(n: number, options?: AskOptions): AskResult<number[]> {
    const tellPending = checkAsk('LearnerND.ask', n, options);
    const points: number[][] = [];
    const imps: number[] = [];
    if (n === 0) return { points, lossImprovements: imps };
    checkAskLimit('LearnerND.ask', n, this.nData + this.nPending, MAX_POINTS);
    const rngBefore = this.rng.s;
    const cursorBefore = this.boundCursor;
    const made: number[] = [];
    const d = this.dim;
    for (let q = 0; q < n; q++) {
      const j = this.askOne();
      if (j < 0) break;
      made.push(j);
      points.push(Array.from(this.pX.subarray(j * d, (j + 1) * d)));
      imps.push(this.lastImprovement);
    }
    if (!tellPending) {
      for (let q = made.length - 1; q >= 0; q--) this.removePending(made[q] as number);
      this.rng.s = rngBefore;
      this.boundCursor = cursorBefore;
    }
    return { points, lossImprovements: imps };
  }

  private lastImprovement = 0;

  /** One point of an ask, told pending: its pending slot, or -1 when none is left. */
  private askOne(): number {
    const d = this.dim;
    // 1. The bound points, in order.
    for (let b = this.boundCursor; b < this.nBound; b++) {
      if (this.pmGet(this.boundPts, b * d) >= 0) continue;
      this.lastImprovement = INF;
      return this.addPending(this.boundPts, b * d, -1);
    }
    // 2. No triangulation yet: a seeded random point of the domain.
    if (!this.tri.isReady) {
      const x = this.qx;
      for (let attempt = 0; attempt < 10000; attempt++) {
        for (let j = 0; j < d; j++) {
          const r = rngNext(this.rng);
          const a = this.lo[j] as number;
          const w = (this.hi[j] as number) - a;
          x[j] = Math.min(r * w + a, this.hi[j] as number);
        }
        if (!this.inDomainQx() || this.pmGet(x, 0) >= 0) continue;
        this.lastImprovement = INF;
        return this.addPending(x, 0, -1);
      }
      return -1;
    }
    // 3. The simplex or sub-simplex of largest loss.
    this.flushComb();
    const q = this.qComb;
    const stashId: number[] = [];
    const stashKey: number[] = [];
    let found = -1;
    let hint = -1;
    let key = 0;
    for (;;) {
      const id = q.peek();
      if (id < 0) break;
      key = q.key(id);
      hint = this.candidate(id);
      if (this.pmGet(this.qx, 0) < 0) {
        found = id;
        break;
      }
      // The choice rounds onto a known point (a simplex at machine precision): skip it.
      stashId.push(id);
      stashKey.push(key);
      q.delete(id);
    }
    for (let i = 0; i < stashId.length; i++) q.set(stashId[i] as number, stashKey[i] as number);
    if (found < 0) return -1;
    this.lastImprovement = key;
    return this.addPending(this.qx, 0, hint);
  }

  /**
   * Writes the point python-adaptive would choose in queue entry `id` (real simplex 2s or
   * sub-simplex 2g + 1) to `qx`, in original coordinates; returns the real simplex.
   */
  private candidate(id: number): number {
    const d = this.dim;
    const k = this.k;
    let X: Float64Array;
    let V: Int32Array;
    let base: number;
    let real: number;
    let vp: Int32Array | null = null;
    if ((id & 1) === 0) {
      real = id >> 1;
      X = this.tri.coords;
      V = this.tri.verts;
      base = real * k;
    } else {
      const g = id >> 1;
      const idx = this.gSub[g] as number;
      const t = this.subTri[idx] as TriangulationND;
      real = this.subOwner[idx] as number;
      X = t.coords;
      V = t.verts;
      base = (this.gSlot[g] as number) * k;
      vp = this.subVP[idx] as Int32Array;
    }
    this.canonical(V, base, X);
    const ord = this.ord;
    const P = this.P;
    const PO = this.PO;
    const RV = this.tri.verts;
    for (let i = 0; i < k; i++) {
      const u = V[base + (ord[i] as number)] as number;
      for (let j = 0; j < d; j++) P[i * d + j] = X[u * d + j] as number;
      // Original coordinates of the vertex: evaluated point or pending point.
      let src: Float64Array;
      let o: number;
      if (vp === null || u < k) {
        const rv = vp === null ? u : (RV[real * k + u] as number);
        src = this.dataX;
        o = (this.vertData[rv] as number) * d;
      } else {
        src = this.pX;
        o = (vp[u] as number) * d;
      }
      for (let j = 0; j < d; j++) PO[i * d + j] = src[o + j] as number;
    }
    const x = this.qx;
    if (choosePointKind(P, d, this.edge) === 'centroid') {
      for (let j = 0; j < d; j++) {
        let s = 0;
        let mn = INF;
        let mx = -INF;
        for (let i = 0; i < k; i++) {
          const c = PO[i * d + j] as number;
          s += c;
          if (c < mn) mn = c;
          if (c > mx) mx = c;
        }
        x[j] = Math.min(Math.max(s / k, mn), mx);
      }
    } else {
      const a = this.edge[0] as number;
      const b = this.edge[1] as number;
      for (let j = 0; j < d; j++)
        x[j] = 0.5 * (PO[a * d + j] as number) + 0.5 * (PO[b * d + j] as number);
    }
    for (let j = 0; j < d; j++) {
      x[j] = Math.min(Math.max(x[j] as number, this.lo[j] as number), this.hi[j] as number) + 0;
    }
    if (this.planes !== null) this.nudgeInside();
    return real;
  }

  // ---------------------------------------------------------------- data out

  private sortedOrder(): Int32Array {
    const d = this.dim;
    const X = this.dataX;
    const idx = Int32Array.from({ length: this.nData }, (_, i) => i);
    idx.sort((a, b) => {
      for (let j = 0; j < d; j++) {
        const u = X[a * d + j] as number;
        const v = X[b * d + j] as number;
        if (u !== v) return u - v;
      }
      return 0;
    });
    return idx;
  }

  /**
   * The evaluated points sorted lexicographically, as `{ x, y }` records (python-adaptive's
   * `to_numpy` order). O(n log n).
   * @example learner.toRecords() // [{ x: [-1, -1], y: 0.3 }, ...]
   */
  toRecords(): RecordND[] {
    const d = this.dim;
    const w = this.outputDimension;
    return Array.from(this.sortedOrder(), (i) => ({
      x: Array.from(this.dataX.subarray(i * d, (i + 1) * d)),
      y: this.vector
        ? Array.from(this.dataY.subarray(i * w, (i + 1) * w))
        : (this.dataY[i] as number),
    }));
  }

  /**
   * The evaluated points sorted lexicographically as typed arrays: `x` (n·d, row-major) and
   * `y` (n·vdim). O(n log n).
   * @example const { x, y, dim, vdim } = learner.toArrays();
   */
  toArrays(): ArraysND {
    const d = this.dim;
    const w = this.outputDimension;
    const order = this.sortedOrder();
    const x = new Float64Array(order.length * d);
    const y = new Float64Array(order.length * w);
    order.forEach((i, r) => {
      x.set(this.dataX.subarray(i * d, (i + 1) * d), r * d);
      if (this.vdim > 0) y.set(this.dataY.subarray(i * w, (i + 1) * w), r * w);
    });
    return { x, y, dim: d, vdim: w };
  }

  /**
   * The triangulation of the evaluated points, for plots: the points in the order told,
   * their values, and the simplices as indices into the points. O(n + simplices).
   * @example const { points, simplices } = learner.triangulation(); // simplices: 3 indices per triangle in 2-D
   */
  triangulation(): TriangulationDataND {
    const d = this.dim;
    const w = this.outputDimension;
    const raw = this.tri.isReady ? this.tri.simplices() : new Int32Array(0);
    const simplices = new Int32Array(raw.length);
    for (let i = 0; i < raw.length; i++) simplices[i] = this.vertData[raw[i] as number] as number;
    return {
      dim: d,
      points: this.dataX.slice(0, this.nData * d),
      values: this.vdim > 0 ? this.dataY.slice(0, this.nData * w) : new Float64Array(0),
      vdim: w,
      simplices,
    };
  }

  private interpHint = -1;

  /** Writes the interpolant at `qx` (original coordinates) to `out[o…o + vdim)`. */
  private interpolateAt(out: Float64Array, o: number): void {
    const d = this.dim;
    const k = this.k;
    const w = this.outputDimension;
    const tri = this.tri;
    let finite = true;
    for (let j = 0; j < d; j++) if (!Number.isFinite(this.qx[j] as number)) finite = false;
    if (!finite || !tri.isReady || this.vdim === 0) {
      for (let c = 0; c < w; c++) out[o + c] = Number.NaN;
      return;
    }
    for (let j = 0; j < d; j++)
      this.qs[j] =
        ((this.qx[j] as number) - (this.org[j] as number)) *
        (this.pre[j] as number) *
        (this.invW[j] as number);
    const v = tri.stage(this.qs);
    const s = tri.locateSlot(v, this.interpHint);
    if (s < 0) {
      for (let c = 0; c < w; c++) out[o + c] = Number.NaN;
      return;
    }
    this.interpHint = s;
    tri.barycentric(s, this.qs, this.bary);
    for (let c = 0; c < w; c++) out[o + c] = 0;
    for (let i = 0; i < k; i++) {
      const l = this.bary[i] as number;
      const di = this.vertData[tri.verts[s * k + i] as number] as number;
      for (let c = 0; c < w; c++)
        out[o + c] = (out[o + c] as number) + l * (this.dataY[di * w + c] as number);
    }
  }

  /**
   * The piecewise-linear interpolant of the evaluated data on its Delaunay triangulation:
   * at one point (a number, or a vector for vector output), or at many (one per point).
   * NaN outside the hull of the evaluated points. O(walk) per point; successive nearby
   * points walk little.
   * @example learner.interpolate([0.1, 0.2]); learner.interpolate([[0, 0], [0.5, 0.5]]);
   */
  interpolate(point: readonly number[]): number | number[];
  interpolate(points: readonly (readonly number[])[]): (number | number[])[];
  interpolate(
    q: readonly number[] | readonly (readonly number[])[],
  ): (number | number[]) | (number | number[])[] {
    if (!Array.isArray(q))
      throw new TypeError('LearnerND.interpolate: expected a point or an array of points');
    if (q.length > 0 && typeof q[0] === 'number')
      return this.interpolateOne(q as readonly number[]);
    return (q as readonly (readonly number[])[]).map((p) => this.interpolateOne(p));
  }

  private interpolateOne(point: readonly number[]): number | number[] {
    const d = this.dim;
    if (!Array.isArray(point) || point.length !== d) {
      throw new TypeError(
        `LearnerND.interpolate: point ${describe(point)} must have ${d} coordinates`,
      );
    }
    for (let j = 0; j < d; j++) {
      const x = point[j];
      if (typeof x !== 'number')
        throw new TypeError(`LearnerND.interpolate: point ${describe(point)} must hold numbers`);
      this.qx[j] = x;
    }
    const w = this.outputDimension;
    const out = new Float64Array(w);
    this.interpolateAt(out, 0);
    return this.vector ? Array.from(out) : (out[0] as number);
  }

  /**
   * The interpolant on a grid: `axes[j]` lists the coordinates along dimension j, or a
   * number n asks for n evenly spaced points across the bounding box on every axis.
   * Row-major values (the last axis varies fastest), NaN outside the hull.
   * O(grid points · walk); the walk starts from the previous grid point.
   * @example learner.interpolateGrid(101).values // 101 × 101 values in 2-D
   */
  interpolateGrid(axesOrN: number | readonly (readonly number[])[]): GridND {
    const d = this.dim;
    let axes: number[][];
    if (typeof axesOrN === 'number') {
      const n = axesOrN;
      if (!Number.isInteger(n) || n < 2) {
        throw new RangeError(
          `LearnerND.interpolateGrid: n must be an integer >= 2, got ${describe(n)}`,
        );
      }
      axes = Array.from({ length: d }, (_, j) => {
        const a = this.lo[j] as number;
        const b = this.hi[j] as number;
        return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
      });
    } else {
      if (!Array.isArray(axesOrN) || axesOrN.length !== d) {
        throw new TypeError(
          `LearnerND.interpolateGrid: expected ${d} axes (arrays of coordinates) or a number`,
        );
      }
      axes = axesOrN.map((a, j) => {
        if (!Array.isArray(a) || a.some((x) => typeof x !== 'number')) {
          throw new TypeError(`LearnerND.interpolateGrid: axis ${j} must be an array of numbers`);
        }
        return a.slice();
      });
    }
    const shape = axes.map((a) => a.length);
    const total = shape.reduce((p, c) => p * c, 1);
    const w = this.outputDimension;
    const values = new Float64Array(total * w);
    const idx = new Array<number>(d).fill(0);
    for (let t = 0; t < total; t++) {
      for (let j = 0; j < d; j++) this.qx[j] = (axes[j] as number[])[idx[j] as number] as number;
      this.interpolateAt(values, t * w);
      for (let j = d - 1; j >= 0; j--) {
        idx[j] = (idx[j] as number) + 1;
        if ((idx[j] as number) < (shape[j] as number)) break;
        idx[j] = 0;
      }
    }
    return { axes, shape, values, vdim: w };
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: the domain, the evaluated points and values in the
   * order told, the simplices with their (possibly stale) losses, the value range, the
   * pending points and the random state. Data only: restore it into a learner built with
   * the same options. O(n + simplices · log).
   * @example const copy = new LearnerND(opts); copy.restore(JSON.parse(JSON.stringify(learner.snapshot())));
   */
  snapshot(): LearnerSnapshot {
    const d = this.dim;
    const w = this.outputDimension;
    const points: number[][] = [];
    const values: (JsonNumber | JsonNumber[])[] = [];
    for (let i = 0; i < this.nData; i++) {
      points.push(Array.from(this.dataX.subarray(i * d, (i + 1) * d)));
      values.push(
        this.vector
          ? (encodeValue(this.dataY.subarray(i * w, (i + 1) * w)) as JsonNumber[])
          : encodeNumber(this.dataY[i] as number),
      );
    }
    const rows: { s: number[]; l: number }[] = [];
    if (this.tri.isReady) {
      const k = this.k;
      const V = this.tri.verts;
      const slots = this.tri.simplexSlots();
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i] as number;
        const t: number[] = [];
        for (let j = 0; j < k; j++) t.push(this.vertData[V[s * k + j] as number] as number);
        t.sort((a, b) => a - b);
        rows.push({ s: t, l: this.sLoss[s] as number });
      }
      rows.sort((a, b) => {
        for (let j = 0; j < a.s.length; j++)
          if (a.s[j] !== b.s[j]) return (a.s[j] as number) - (b.s[j] as number);
        return 0;
      });
    }
    return {
      type: 'LearnerND',
      version: SNAPSHOT_VERSION,
      dim: d,
      domain:
        this.hull === null
          ? { bounds: this.bounds.map((b) => [b[0], b[1]]) }
          : { hull: this.hull.map((p) => p.slice()) },
      loss: this.lossFunction.lossName ?? this.lossFunction.name,
      nthNeighbors: this.nn,
      vdim: this.vector ? this.vdim : this.vdim === 0 ? 0 : -1,
      points,
      values,
      simplices: rows.map((r) => r.s),
      losses: rows.map((r) => encodeNumber(r.l)),
      yMin: encodeNumber(this.yMin),
      yMax: encodeNumber(this.yMax),
      oldScale: encodeNumber(this.oldScale),
      pending: this.pendingPoints,
      rng: this.rng.s,
    };
  }

  /**
   * Replaces this learner's state by a snapshot's: the points are triangulated again (the
   * mesh depends on the points only, so it is the same), the stored losses put back.
   * A malformed or foreign snapshot throws a TypeError naming the problem and leaves the
   * learner as it was. O(n · walk + simplices).
   * @example learner.restore(snapshot);
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new LearnerND(this.options());
    fresh.load(snapshot, this);
    Object.assign(this, fresh);
  }

  private options(): LearnerNDOptions {
    const o: LearnerNDOptions = { loss: this.lossFunction, recomputeLossesFactor: this.factor };
    if (this.hull === null) o.bounds = this.bounds;
    else o.hull = this.hull;
    return o;
  }

  private load(s: LearnerSnapshot, target: LearnerND): void {
    const { bad, num, arr } = snapshotReader('LearnerND', SNAPSHOT_VERSION, s);
    const d = this.dim;
    if (s.dim !== d)
      bad(`the snapshot is ${describe(s.dim)}-dimensional, this learner ${d}-dimensional`);
    const mine = JSON.stringify(
      target.hull === null
        ? { bounds: target.bounds.map((b) => [b[0], b[1]]) }
        : { hull: target.hull },
    );
    if (JSON.stringify(s.domain) !== mine)
      bad(`the snapshot's domain ${describe(s.domain)} differs from this learner's ${mine}`);
    const lossName = target.lossFunction.lossName ?? target.lossFunction.name;
    if (s.loss !== lossName)
      bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
    if (s.nthNeighbors !== this.nn)
      bad(`nthNeighbors ${describe(s.nthNeighbors)} differs from the loss's ${this.nn}`);
    const sp = arr(s.points, 'points');
    const sv = arr(s.values, 'values');
    const ss = arr(s.simplices, 'simplices');
    const sl = arr(s.losses, 'losses');
    const spend = arr(s.pending, 'pending');
    if (sv.length !== sp.length) bad(`points has ${sp.length} entries but values has ${sv.length}`);
    if (sl.length !== ss.length)
      bad(`simplices has ${ss.length} entries but losses has ${sl.length}`);
    const vd = s.vdim;
    if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1)
      bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
    if (vd === 0 && sp.length > 0) bad('vdim 0 (no data) but the snapshot has points');
    const len = vd === -1 ? 0 : (vd as number);
    if (sp.length > 0 || vd !== 0) this.setShape(len);
    const pointAt = (p: unknown, what: string): Float64Array => {
      try {
        return this.checkPoint(p, 'restore');
      } catch (e) {
        return bad(`${what}: ${(e as Error).message}`);
      }
    };
    // Replay the points (the triangulation is a function of the point set).
    const restoring = this.restoring;
    this.restoring = true;
    for (let i = 0; i < sp.length; i++) {
      const x = pointAt(sp[i], `points[${i}]`);
      if (this.pmGet(x, 0) >= 0) bad(`points[${i}] = ${describe(sp[i])} appears twice`);
      const y = decodeValue(sv[i]);
      if (y === undefined)
        bad(`values[${i}] is not a number or a vector of numbers: ${describe(sv[i])}`);
      if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
        bad(`values[${i}] does not have the snapshot's shape (vdim ${describe(vd)})`);
      }
      this.tellUnchecked(x, y as ValueND, -1);
    }
    this.restoring = restoring;
    // Derived data is recomputed or checked. The value range came from the values (tell);
    // the snapshot's copy is read for its form only. The scale of the last full recomputation
    // is history: it must be at most the range, and the range at most recomputeLossesFactor
    // times it (tell keeps both).
    num(s.yMin, 'yMin');
    num(s.yMax, 'yMax');
    const oldScale = num(s.oldScale, 'oldScale');
    const range = this.yMax >= this.yMin ? this.yMax - this.yMin : 0;
    if (!(oldScale >= 0) || oldScale > range || range > this.factor * oldScale) {
      bad(
        `oldScale ${oldScale} does not fit the values: it must lie between their range (${range}) / recomputeLossesFactor (${this.factor}) and that range`,
      );
    }
    this.oldScale = oldScale;
    this.setMultiplier();
    // The stored losses, matched to the simplices.
    const stored = new Map<string, number>();
    for (let i = 0; i < ss.length; i++) {
      const t = ss[i];
      if (
        !Array.isArray(t) ||
        t.length !== this.k ||
        t.some((v) => !Number.isInteger(v) || v < 0 || v >= sp.length)
      ) {
        bad(`simplices[${i}] must hold ${this.k} point indices`);
      }
      const l = num(sl[i], `losses[${i}]`);
      // The learner stores finite losses only (a non-finite one becomes the volume), and no
      // loss is negative.
      if (!Number.isFinite(l) || l < 0) {
        bad(`losses[${i}] = ${l} is not a finite number >= 0`);
      }
      stored.set((t as number[]).join(','), l);
    }
    const slots = this.tri.isReady ? this.tri.simplexSlots() : new Int32Array(0);
    if (slots.length !== ss.length) {
      bad(`the snapshot has ${ss.length} simplices, its points triangulate into ${slots.length}`);
    }
    const k = this.k;
    const V = this.tri.verts;
    for (let i = 0; i < slots.length; i++) {
      const sl2 = slots[i] as number;
      const t: number[] = [];
      for (let j = 0; j < k; j++) t.push(this.vertData[V[sl2 * k + j] as number] as number);
      t.sort((a, b) => a - b);
      const l = stored.get(t.join(','));
      if (l === undefined)
        bad(`simplex [${t.join(', ')}] of the points is missing from the snapshot`);
      // uniformLossND's loss is the volume: recomputed, not read.
      this.sLoss[sl2] = this.fast === 2 ? (this.sVol[sl2] as number) : (l as number);
      this.markDirty(sl2);
    }
    const rng = s.rng;
    if (typeof rng !== 'number' || !Number.isInteger(rng) || rng < 0 || rng > 0xffffffff) {
      bad(`rng must be a 32-bit unsigned integer, got ${describe(rng)}`);
    }
    this.rng.s = rng as number;
    for (let i = 0; i < spend.length; i++) {
      const x = pointAt(spend[i], `pending[${i}]`);
      if (this.pmGet(x, 0) >= 0)
        bad(`pending[${i}] = ${describe(spend[i])} is already a point of the snapshot`);
      this.addPending(x, 0, -1);
    }
    this.boundCursor = 0;
    this.advanceBoundCursor();
  }

  private restoring = false;

  /**
   * Throws if an internal invariant does not hold (for tests): the triangulation's own
   * checks, both queues against the simplices' losses, the pending points' memberships
   * against the simplices that contain them, the sub-triangulations, the point table.
   * O(simplices · d³ + pending · walk).
   * @example learner.checkValid();
   */
  checkValid(): void {
    const fail = (m: string): never => {
      throw new Error(`LearnerND: ${m}`);
    };
    const tri = this.tri;
    tri.checkValid();
    this.flushReal();
    this.flushComb();
    this.qReal.checkValid();
    this.qComb.checkValid();
    const d = this.dim;
    if (this.pmCount !== this.nData + this.nPending) {
      fail(
        `the point table has ${this.pmCount} entries for ${this.nData} points and ${this.nPending} pending`,
      );
    }
    for (let i = 0; i < this.nData; i++) {
      if (this.pmGet(this.dataX, i * d) !== 2 * i)
        fail(`point ${i} is not found in the point table`);
    }
    let np = 0;
    for (let j = this.pHead; j >= 0; j = this.pNext[j] as number) {
      np++;
      if (this.pmGet(this.pX, j * d) !== 2 * j + 1)
        fail(`pending slot ${j} is not found in the point table`);
      if (tri.isReady) {
        const want = tri.containing(
          this.pX
            .subarray(j * d, (j + 1) * d)
            .map(
              (x, q) =>
                (x - (this.org[q] as number)) * (this.pre[q] as number) * (this.invW[q] as number),
            ),
          -1,
          [],
        );
        const have: number[] = [];
        for (let m = this.pMem[j] as number; m >= 0; m = this.mNextP[m] as number)
          have.push(this.mSimp[m] as number);
        if (want.sort().join() !== have.sort().join()) {
          fail(
            `pending point ${describe(this.pX.subarray(j * d, (j + 1) * d))} is in simplices [${have}], should be in [${want}]`,
          );
        }
      }
    }
    if (np !== this.nPending) fail(`${np} pending points listed, count ${this.nPending}`);
    if (!tri.isReady) return;
    const slots = tri.simplexSlots();
    if (this.qReal.size !== slots.length)
      fail(`the real queue has ${this.qReal.size} entries for ${slots.length} simplices`);
    let comb = 0;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      if (!this.qReal.has(s) || this.qReal.key(s) !== this.sLoss[s])
        fail(`simplex ${s} is not queued with its loss`);
      if ((this.sPend[s] as number) < 0) {
        comb++;
        if (!this.qComb.has(2 * s) || this.qComb.key(2 * s) !== this.sLoss[s])
          fail(`simplex ${s} missing from the queue`);
        if ((this.sSub[s] as number) >= 0)
          fail(`simplex ${s} keeps a sub-triangulation without pending points`);
      } else {
        if (this.qComb.has(2 * s)) fail(`simplex ${s} holds pending points but is queued itself`);
        const idx = this.sSub[s] as number;
        if (idx < 0) fail(`simplex ${s} holds pending points but has no sub-triangulation`);
        const t = this.subTri[idx] as TriangulationND;
        t.checkValid();
        const G = this.subG[idx] as Int32Array;
        let vol = 0;
        for (let q = 0; q < t.slotCount; q++) {
          if (!t.isSimplex(q)) continue;
          comb++;
          vol += t.volume(q);
          if (!this.qComb.has(2 * (G[q] as number) + 1))
            fail(`a sub-simplex of simplex ${s} is not queued`);
        }
        if (Math.abs(vol - (this.sVol[s] as number)) > 1e-9 * (this.sVol[s] as number)) {
          fail(`the sub-simplices of ${s} have volume ${vol}, the simplex ${this.sVol[s]}`);
        }
      }
    }
    if (this.qComb.size !== comb)
      fail(`the combined queue has ${this.qComb.size} entries, expected ${comb}`);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same domain (bounds
   * or hull), loss and recomputeLossesFactor, no data.
   * @example
   * new LearnerND({ bounds: [[0, 1], [0, 1]] }).new().npoints; // 0
   */
  new(): LearnerND {
    return new LearnerND(this.options());
  }
}

/** det[x₁ − x₀, …] of k = d + 1 rows of d in P (not destroyed). */
function signedDet(P: Float64Array, d: number): number {
  const A = new Float64Array(d * d);
  for (let r = 1; r <= d; r++) {
    for (let j = 0; j < d; j++) A[(r - 1) * d + j] = (P[r * d + j] as number) - (P[j] as number);
  }
  return detInPlace(A, d);
}
