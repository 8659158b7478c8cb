/**
 * SparseGridLearner: adaptive sampling of f: [a₀, b₀] × … × [a_{d−1}, b_{d−1}] → ℝ or ℝᵐ in
 * any dimension, on a spatially and dimension-adaptive sparse grid of hierarchical hat
 * functions (SG++ is the reference implementation of the idea; this is our own).
 *
 * The grid: per dimension the nested 1-D hierarchy of `hierarchy.ts` (the centre, then the
 * quarter points, then the dyadic midpoints; no boundary points), a grid point being one
 * node per dimension. Its basis function is the product of the nodes' modified hats; its
 * hierarchical surplus is its value minus the interpolant of its ancestors; the interpolant
 * is the sum of surplus × basis over the evaluated points.
 *
 * Refinement: `ask` takes the evaluated point of largest loss (by default the surplus
 * weighted by its basis function's norm) and hands out its children, one dimension at a
 * time, that are not in the grid yet. A child is handed out only when each of its other
 * parents (one per dimension in which it is not at the centre) has been refined, i.e. has
 * a child in the grid: Gerstner and Griebel's admissibility rule for dimension-adaptive
 * grids, applied point by point. So a dimension whose first points show no surplus is never
 * refined further: f(x₀, x₁) in 10-D costs the 2-D grid plus the 16 first points of the
 * other dimensions.
 *
 * NaN and ±Infinity: such a value is left out of the sums (its surplus counts as 0); its point
 * is refined as a jump of the whole value range where a parent's value is finite (the edge
 * of a non-finite region), hardly inside one; the interpolant is that value where the
 * nearest point around is non-finite. Huge (≥ 2^960) or tiny (all < 2^-900) values are held
 * scaled by a power of 2, so sums of surpluses neither overflow nor turn subnormal.
 *
 * Everything is a function of the point set (the evaluated and the pending points): losses,
 * what can be asked next, snapshots. Told points whose ancestors are not all evaluated yet
 * wait (they join the interpolant when the last ancestor is told); a pending point's
 * children are not asked until it is told.
 */

import { decodeValue, encodeValue, type JsonNumber } from '../../io/json.js';
import type { TieKeys } from '../../queue/types.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from '../types.js';
import {
  checkAsk,
  checkOptionKeys,
  describe,
  doublesBetween,
  MIN_DOUBLES_PER_AXIS,
  snapshotReader,
} from '../validate.js';
import { coordHash, SparseGrid } from './grid.js';
import {
  FULL,
  levelCap,
  MAX_LEVEL,
  nodeBasis,
  nodeChildren,
  nodeCoord,
  nodeIntegral,
  nodeParent,
  nodePosition,
  ROOT,
} from './hierarchy.js';
import { defaultLossSG, type SparseGridLoss, type SparseGridLossInfo } from './losses.js';
import { ScaledQueue } from './queue.js';

/**
 * Options of {@link SparseGridLearner}.
 * @example const o: SparseGridLearnerOptions = { bounds: [[-1, 1], [0, 5]], maxLevel: 12 };
 */
export interface SparseGridLearnerOptions {
  /** The box: one `[a, b]` pair per dimension, finite with a < b (any number of dimensions ≥ 1). */
  bounds: readonly (readonly number[])[];
  /** The loss of one grid point (default {@link defaultLossSG}). */
  loss?: SparseGridLoss;
  /**
   * The deepest level along any dimension (default 30, at most 30): level 1 is the centre,
   * level l ≥ 2 the odd multiples of (b − a)/2^l from a (no boundary points). Lowered per
   * dimension where a finer grid would not be representable in doubles.
   */
  maxLevel?: number;
}

/**
 * A value: a number, or a vector of fixed length.
 * @example sg.tell([0, 0], [1.5, -2]);
 */
export type ValueSG = number | readonly number[];

/**
 * One evaluated point, as returned by {@link SparseGridLearner.toRecords}.
 * @example const r: RecordSG = { x: [0, 0.5], y: 1 };
 */
export interface RecordSG {
  x: number[];
  y: number | number[];
}

/**
 * The evaluated points as typed arrays ({@link SparseGridLearner.toArrays}).
 * @example const { x, y, dim, vdim } = sg.toArrays();
 */
export interface ArraysSG {
  /** The points, sorted lexicographically, d coordinates each (row-major). */
  x: Float64Array;
  /** Their values, `vdim` per point. */
  y: Float64Array;
  dim: number;
  vdim: number;
}

/**
 * Values of the interpolant on a grid ({@link SparseGridLearner.interpolateGrid}).
 * @example const { shape, values } = sg.interpolateGrid([[0], [-1, 0, 1]]);
 */
export interface GridSG {
  axes: number[][];
  shape: number[];
  /** Row-major (the last axis fastest), `vdim` per grid point. */
  values: Float64Array;
  vdim: number;
}

const OPTION_KEYS = ['bounds', 'loss', 'maxLevel'];
const SNAPSHOT_VERSION = 1;
const INF = Number.POSITIVE_INFINITY;
const PENDING = 1;
const TOLD = 2;
const CH = MAX_LEVEL + 1; // chain entries per dimension
/**
 * A surplus at most NOISE · (terms + 1) · (|value| + Σ |weight · ancestor surplus|) counts
 * as 0 in the loss: 2^-48, 16 times the rounding of one step of the sum, so noise of a sum
 * of `terms` contributions (each rounded, weights products of exact dyadic hats) stays below
 * it (32 unit roundoffs a term), while a surplus above it is far above the rounding of the
 * values themselves.
 */
const NOISE = 2 ** -48;
/** Every finite value told at least this in magnitude: values are held × 2^-128. */
const HUGE = 2 ** 960;
/** Every finite value told below this in magnitude (not all 0): values are held × 2^128. */
const TINY = 2 ** -900;

/**
 * The unit values are held in (a power of 2, see `unit` in the class) for the largest
 * magnitude of the finite values told: sums of surpluses times hats (up to 2 per dimension)
 * stay far from overflow with huge values and far from the subnormals with tiny ones.
 */
function unitFor(maxAbs: number): number {
  if (maxAbs >= HUGE) return 2 ** -128;
  if (maxAbs > 0 && maxAbs < TINY) return 2 ** 128;
  return 1;
}

/**
 * An adaptive sparse-grid learner for many dimensions (see the module description).
 * Points are `number[]`; values numbers or fixed-length vectors.
 *
 * @example
 * const sg = new SparseGridLearner({ bounds: Array.from({ length: 8 }, () => [-1, 1]) });
 * runSync(sg, (x) => Math.exp(-x.reduce((s, v) => s + v * v, 0)), { npointsGoal: 2000 });
 * sg.interpolate([[0, 0, 0, 0, 0, 0, 0, 0.5]]); // [≈ 0.78]
 */
export class SparseGridLearner implements Learner<number[], ValueSG> {
  /** The dimension d. */
  readonly dim: number;
  /** The box, one `[a, b]` per dimension. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The loss function. */
  readonly lossFunction: SparseGridLoss;
  /** The deepest level asked for. */
  readonly maxLevel: number;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly caps: Int32Array; // level cap per dimension
  private readonly fast: boolean; // the default loss, computed inline
  private readonly grid: SparseGrid;

  // Per point id (grown with the grid).
  private cap = 0;
  private status = new Uint8Array(0); // 0 free, PENDING, TOLD
  private attached = new Uint8Array(0); // told and every ancestor told
  private bad = new Uint8Array(0); // a non-finite value
  private vals = new Float64Array(0);
  private alpha = new Float64Array(0);
  private lossRaw = new Float64Array(0);
  private nKids = new Int32Array(0); // children in the grid (any status)
  private nAtt = new Int32Array(0); // attached children
  private nComb = new Int32Array(0); // attached or pending children
  private pPrev = new Int32Array(0);
  private pNext = new Int32Array(0);
  private readonly ties: TieKeys = { tie: new Float64Array(0) };

  private vdim = 0; // 0 until the first value
  private vector = false;
  private yMin = new Float64Array(0);
  private yMax = new Float64Array(0);
  private rootId = -1;
  private nTold = 0;
  private nPending = 0;
  private pHead = -1;
  private pTail = -1;
  private readonly nFirst: number; // the root and its children
  private firstTold = 0;
  private firstPend = 0;

  // Ask: evaluated points that may have children to hand out (checked when read).
  private readonly qAsk: ScaledQueue;
  // Evaluated points with a pending child (their refinement is under way).
  private readonly qPend: ScaledQueue;

  // Scratch.
  private readonly K: Int32Array;
  private readonly K2: Int32Array;
  private readonly Kw: Int32Array;
  private readonly Ka: Int32Array; // adjustParents
  private readonly Kr: Int32Array; // refinedNow
  private readonly Kc: Int32Array; // attachFrom
  private readonly Kl: Int32Array; // hasFiniteParent
  private readonly kids = new Int32Array(2);
  private readonly kidsR = new Int32Array(2);
  private readonly u: Float64Array;
  private readonly chainK: Int32Array;
  private readonly chainPhi: Float64Array;
  private readonly chainDist: Float64Array; // |u − the node's coordinate| (unit box)
  private readonly chainLen: Int32Array;
  private acc = new Float64Array(1);
  private accAbs = new Float64Array(1); // Σ |weight · surplus|: the sum's rounding scale
  private accBad = new Float64Array(1); // Σ of the nearest points' non-finite values
  private lossAlpha = new Float64Array(1); // the surplus the loss sees (rounding noise made 0)
  private terms = 0; // contributions summed by evaluate()
  private nearest = INF; // the distance of the nearest contributing point (interpolate)
  private nearestBad = false; // a nearest point has a non-finite value
  private interp = false; // evaluate() for interpolate (reads the non-finite values)
  // Values are held as value × unit (surpluses, losses, the scale): a power of 2, 1 unless
  // every finite value is tiny or one is huge (see unitFor), so products never overflow.
  private unit = 1;
  private readonly stack: number[] = [];
  private info: {
    surplus: Float64Array;
    level: Int32Array;
    x: Float64Array;
    volume: number;
  };
  private lossError: Error | null = null;

  /**
   * @throws TypeError/RangeError naming the problem: bounds not an array of finite
   *   increasing pairs, an unknown option, a loss that is not a function, a bad maxLevel.
   */
  constructor(options: SparseGridLearnerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'SparseGridLearner: options must be an object like { bounds: [[0, 1], [0, 1]] }',
      );
    }
    checkOptionKeys('SparseGridLearner', options, OPTION_KEYS);
    const b = options.bounds;
    if (!Array.isArray(b) || b.length === 0) {
      throw new TypeError(
        `SparseGridLearner: bounds must be a non-empty array of [a, b] pairs, got ${describe(b)}`,
      );
    }
    for (const [j, p] of b.entries()) {
      if (
        !Array.isArray(p) ||
        p.length !== 2 ||
        typeof p[0] !== 'number' ||
        typeof p[1] !== 'number' ||
        !Number.isFinite(p[0]) ||
        !Number.isFinite(p[1]) ||
        !(p[0] < p[1]) ||
        !Number.isFinite(p[1] - p[0])
      ) {
        throw new RangeError(
          `SparseGridLearner: bounds[${j}] must be finite and increasing [a, b], got ${describe(p)}`,
        );
      }
      const count = doublesBetween(p[0], p[1]);
      if (count < MIN_DOUBLES_PER_AXIS) {
        throw new RangeError(
          `SparseGridLearner: bounds[${j}] = ${describe(p)} holds only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use wider bounds, or bounds nearer 0`,
        );
      }
    }
    const loss = options.loss ?? defaultLossSG;
    if (typeof loss !== 'function') {
      throw new TypeError(`SparseGridLearner: loss must be a function, got ${describe(loss)}`);
    }
    const maxLevel = options.maxLevel ?? 30;
    if (!Number.isInteger(maxLevel) || maxLevel < 1 || maxLevel > MAX_LEVEL) {
      throw new RangeError(
        `SparseGridLearner: maxLevel must be an integer in [1, ${MAX_LEVEL}], got ${describe(maxLevel)}`,
      );
    }
    const d = b.length;
    this.dim = d;
    this.bounds = b.map((p) => [(p[0] as number) + 0, (p[1] as number) + 0] as [number, number]);
    this.lossFunction = loss;
    this.fast = loss === defaultLossSG;
    this.maxLevel = maxLevel;
    this.lo = Float64Array.from(this.bounds, (p) => p[0]);
    this.hi = Float64Array.from(this.bounds, (p) => p[1]);
    this.caps = Int32Array.from(this.bounds, (p) => levelCap(p[0], p[1], maxLevel));
    let first = 1;
    for (let t = 0; t < d; t++) if ((this.caps[t] as number) >= 2) first += 2;
    this.nFirst = first;
    this.grid = new SparseGrid(d);
    this.qAsk = new ScaledQueue(this.ties);
    this.qPend = new ScaledQueue(this.ties);
    this.K = new Int32Array(d);
    this.K2 = new Int32Array(d);
    this.Kw = new Int32Array(d);
    this.Ka = new Int32Array(d);
    this.Kr = new Int32Array(d);
    this.Kc = new Int32Array(d);
    this.Kl = new Int32Array(d);
    this.u = new Float64Array(d);
    this.chainK = new Int32Array(d * CH);
    this.chainPhi = new Float64Array(d * CH);
    this.chainDist = new Float64Array(d * CH);
    this.chainLen = new Int32Array(d);
    this.info = {
      surplus: new Float64Array(1),
      level: new Int32Array(d),
      x: new Float64Array(d),
      volume: 1,
    };
    this.growIds(this.grid.capacity);
  }

  /** An empty learner with the same options (python-adaptive's `new()`). */
  new(): SparseGridLearner {
    return new SparseGridLearner(this.options());
  }

  private options(): SparseGridLearnerOptions {
    return { bounds: this.bounds, loss: this.lossFunction, maxLevel: this.maxLevel };
  }

  /** Number of evaluated points. */
  get npoints(): number {
    return this.nTold;
  }

  /** The points handed out (or told pending) and not told yet, in the order they came. */
  get pendingPoints(): number[][] {
    const out: number[][] = [];
    for (let j = this.pHead; j >= 0; j = this.pNext[j] as number) out.push(this.coords(j));
    return out;
  }

  /** Values per point: 1 for numbers, m for vectors of length m (1 before any value). */
  get outputDimension(): number {
    return Math.max(1, this.vdim);
  }

  /** Number of grid points: evaluated and pending. */
  get gridSize(): number {
    return this.grid.size;
  }

  // ---------------------------------------------------------------- storage

  private growIds(min: number): void {
    if (this.cap >= min) return;
    let cap = Math.max(64, this.cap);
    while (cap < min) cap *= 2;
    const w = this.outputDimension;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array, k: number) => {
      const b = new Float64Array(cap * k);
      b.set(a);
      return b;
    };
    this.status = g8(this.status);
    this.attached = g8(this.attached);
    this.bad = g8(this.bad);
    this.vals = g64(this.vals, w);
    this.alpha = g64(this.alpha, w);
    this.lossRaw = g64(this.lossRaw, 1);
    this.nKids = g32(this.nKids);
    this.nAtt = g32(this.nAtt);
    this.nComb = g32(this.nComb);
    this.pPrev = g32(this.pPrev);
    this.pNext = g32(this.pNext);
    this.ties.tie = g64(this.ties.tie, 1);
    this.cap = cap;
  }

  private setShape(len: number): void {
    this.vector = len > 0;
    this.vdim = len > 0 ? len : 1;
    const w = this.vdim;
    this.vals = new Float64Array(this.cap * w);
    this.alpha = new Float64Array(this.cap * w);
    this.yMin = new Float64Array(w).fill(INF);
    this.yMax = new Float64Array(w).fill(-INF);
    this.acc = new Float64Array(w);
    this.accAbs = new Float64Array(w);
    this.accBad = new Float64Array(w);
    this.lossAlpha = new Float64Array(w);
    this.info.surplus = new Float64Array(w);
  }

  /** The coordinates of point id. */
  private coords(id: number): number[] {
    const d = this.dim;
    const K = this.grid.keys;
    const x = new Array<number>(d);
    for (let t = 0; t < d; t++)
      x[t] = nodeCoord(K[id * d + t] as number, this.lo[t] as number, this.hi[t] as number);
    return x;
  }

  /**
   * The value scale (× unit): the largest range of finite values over the components; while
   * that is 0 (one finite value, or all equal), their largest magnitude; 1 when that is 0 too.
   * So every surplus loss scales with the values, also when NaN neighbours leave one finite
   * value.
   */
  private scale(): number {
    let s = 0;
    let m = 0;
    const unit = this.unit;
    for (let c = 0; c < this.vdim; c++) {
      const lo = (this.yMin[c] as number) * unit;
      const hi = (this.yMax[c] as number) * unit;
      if (!(hi >= lo)) continue; // no finite value yet
      if (hi - lo > s) s = hi - lo;
      m = Math.max(m, Math.abs(lo), Math.abs(hi));
    }
    if (s > 0 && Number.isFinite(s)) return s;
    return m > 0 && Number.isFinite(m) ? m : 1;
  }

  /** Copies the positions of id into `to`. */
  private load(id: number, to: Int32Array): void {
    const d = this.dim;
    const K = this.grid.keys;
    for (let t = 0; t < d; t++) to[t] = K[id * d + t] as number;
  }

  /** The id of the point with positions `K` but position `k` in dimension t (hash h of K), or -1. */
  private findWith(K: Int32Array, h: number, t: number, k: number): number {
    const old = K[t] as number;
    const h2 = (h - coordHash(t, old) + coordHash(t, k)) | 0;
    K[t] = k;
    const id = this.grid.find(K, h2);
    K[t] = old;
    return id;
  }

  private isFirstLevel(id: number): boolean {
    const d = this.dim;
    const L = this.grid.levels;
    let off = 0;
    for (let t = 0; t < d; t++) {
      const l = L[id * d + t] as number;
      if (l === 1) continue;
      if (l > 2) return false;
      off++;
    }
    return off <= 1;
  }

  // ---------------------------------------------------------------- structure updates

  /** Adds a point with positions K (hash h) in state `st`; returns its id. */
  private insert(K: Int32Array, h: number, st: number): number {
    const g = this.grid;
    const id = g.add(K, h);
    if (g.capacity > this.cap) this.growIds(g.capacity);
    const d = this.dim;
    this.status[id] = st;
    this.attached[id] = 0;
    this.bad[id] = 0;
    this.lossRaw[id] = 0;
    let lsum = 0;
    for (let t = 0; t < d; t++) lsum += g.levels[id * d + t] as number;
    this.ties.tie[id] = lsum * 4294967296 + (h >>> 0);
    // Count its children already in the grid (none of them can be attached yet).
    let nk = 0;
    let nc = 0;
    const K2 = this.K2;
    this.load(id, K2);
    for (let t = 0; t < d; t++) {
      const n = nodeChildren(K2[t] as number, this.caps[t] as number, this.kids);
      for (let c = 0; c < n; c++) {
        const cid = this.findWith(K2, h, t, this.kids[c] as number);
        if (cid < 0) continue;
        nk++;
        if (this.status[cid] === PENDING) nc++;
      }
    }
    this.nKids[id] = nk;
    this.nAtt[id] = 0;
    this.nComb[id] = nc;
    if (this.rootId < 0 && this.isRootKey(K)) this.rootId = id;
    this.adjustParents(id, 1, 0, st === PENDING ? 1 : 0);
    return id;
  }

  private isRootKey(K: Int32Array): boolean {
    for (let t = 0; t < this.dim; t++) if (K[t] !== ROOT) return false;
    return true;
  }

  /** Removes pending point id from the grid (its parents may hand it out again). */
  private removePoint(id: number): void {
    this.unlinkPending(id);
    this.adjustParents(id, -1, 0, -1);
    if (this.isFirstLevel(id)) this.firstPend--;
    this.status[id] = 0;
    if (id === this.rootId) this.rootId = -1;
    this.grid.remove(id);
    // The point can be created again from its parents: requeue them.
    const d = this.dim;
    const K = this.K2;
    this.load(id, K);
    const h = this.grid.hashOf(K);
    for (let s = 0; s < d; s++) {
      const k = K[s] as number;
      if (k === ROOT) continue;
      const q = this.findWith(K, h, s, nodeParent(k));
      if (q >= 0 && this.attached[q] === 1) this.queueAsk(q);
    }
  }

  /** Adds the deltas to the child counts of id's parents and updates their leaf status. */
  private adjustParents(id: number, dKids: number, dAtt: number, dComb: number): void {
    const d = this.dim;
    const K = this.Ka;
    this.load(id, K);
    const h = this.grid.hashes[id] as number;
    for (let s = 0; s < d; s++) {
      const k = K[s] as number;
      if (k === ROOT) continue;
      const p = this.findWith(K, h, s, nodeParent(k));
      if (p < 0) continue;
      const before = this.nKids[p] as number;
      this.nKids[p] = before + dKids;
      this.nAtt[p] = (this.nAtt[p] as number) + dAtt;
      this.nComb[p] = (this.nComb[p] as number) + dComb;
      if (this.attached[p] === 1) this.updateLeaf(p);
      if (before === 0 && dKids > 0) this.refinedNow(p);
    }
  }

  /**
   * Point p got its first child: children of p not in the grid whose other parents are
   * now all refined may be handed out by those parents, so they are queued again.
   */
  private refinedNow(p: number): void {
    const K = this.Kr;
    this.load(p, K);
    this.requeueCoParents(K, this.grid.hashes[p] as number, p);
  }

  /** For each child c of the point K (hash h, id p) not in the grid, queues c's other attached parents. */
  private requeueCoParents(K: Int32Array, h: number, p: number): void {
    const d = this.dim;
    const kids = this.kidsR;
    for (let t = 0; t < d; t++) {
      const kt = K[t] as number;
      const n = nodeChildren(kt, this.caps[t] as number, kids);
      for (let c = 0; c < n; c++) {
        const k = kids[c] as number;
        const hc = (h - coordHash(t, kt) + coordHash(t, k)) | 0;
        K[t] = k;
        if (this.grid.find(K, hc) < 0) {
          for (let s = 0; s < d; s++) {
            const ks = K[s] as number;
            if (s === t || ks === ROOT) continue;
            const q = this.findWith(K, hc, s, nodeParent(ks));
            if (q >= 0 && q !== p && this.attached[q] === 1) this.queueAsk(q);
          }
        }
        K[t] = kt;
      }
    }
  }

  private scaleFree(id: number): boolean {
    return id === this.rootId || this.bad[id] === 1 || this.lossRaw[id] === INF;
  }

  private queueAsk(id: number): void {
    this.qAsk.set(id, this.lossRaw[id] as number, this.scaleFree(id));
  }

  /** Queues attached point p in qPend while it has a pending child. */
  private updateLeaf(p: number): void {
    if ((this.nComb[p] as number) > (this.nAtt[p] as number))
      this.qPend.set(p, this.lossRaw[p] as number, this.scaleFree(p));
    else this.qPend.delete(p);
  }

  /** The largest loss of an evaluated point with a child to hand out (-Infinity if none). */
  private askTop(scale: number): number {
    for (;;) {
      const p = this.qAsk.peek(scale);
      if (p < 0) return Number.NEGATIVE_INFINITY;
      if (this.creatable(p) !== null) return this.qAsk.key(p, scale);
      this.qAsk.delete(p); // checked when read: queued again when that may change
    }
  }

  private allParentsAttached(id: number): boolean {
    const d = this.dim;
    const K = this.K2;
    this.load(id, K);
    const h = this.grid.hashes[id] as number;
    for (let s = 0; s < d; s++) {
      const k = K[s] as number;
      if (k === ROOT) continue;
      const p = this.findWith(K, h, s, nodeParent(k));
      if (p < 0 || this.attached[p] !== 1) return false;
    }
    return true;
  }

  /** Attaches told point `start` if its parents are attached, then its waiting descendants. */
  private attachFrom(start: number): void {
    const stack = this.stack;
    stack.length = 0;
    stack.push(start);
    const d = this.dim;
    const Kc = this.Kc;
    while (stack.length > 0) {
      const id = stack.pop() as number;
      if (this.attached[id] === 1 || this.status[id] !== TOLD) continue;
      if (!this.allParentsAttached(id)) continue;
      this.computeSurplus(id);
      this.attached[id] = 1;
      this.adjustParents(id, 0, 1, 1);
      this.updateLeaf(id);
      this.queueAsk(id);
      // Waiting children may attach now; children not in the grid may become askable.
      this.load(id, Kc);
      const h = this.grid.hashes[id] as number;
      for (let t = 0; t < d; t++) {
        const kt = Kc[t] as number;
        const n = nodeChildren(kt, this.caps[t] as number, this.kids);
        for (let c = 0; c < n; c++) {
          const cid = this.findWith(Kc, h, t, this.kids[c] as number);
          if (cid >= 0 && this.status[cid] === TOLD) stack.push(cid);
        }
      }
      this.requeueCoParents(Kc, h, id);
    }
  }

  // ---------------------------------------------------------------- surpluses and losses

  /** Builds, per dimension, the chain of nodes whose support holds u[t], with their basis values. */
  private buildChains(): void {
    const d = this.dim;
    for (let t = 0; t < d; t++) {
      const u = this.u[t] as number;
      const base = t * CH;
      this.chainK[base] = ROOT;
      this.chainPhi[base] = 1;
      this.chainDist[base] = Math.abs(u - 0.5);
      let len = 1;
      const cap = this.caps[t] as number;
      let k = ROOT;
      while (u !== k / FULL && nodeChildren(k, cap, this.kids) === 2) {
        k = u < k / FULL ? (this.kids[0] as number) : (this.kids[1] as number);
        const phi = nodeBasis(k, u);
        if (!(phi > 0)) break;
        this.chainK[base + len] = k;
        this.chainPhi[base + len] = phi;
        this.chainDist[base + len] = Math.abs(u - k / FULL);
        len++;
      }
      this.chainLen[t] = len;
    }
  }

  /**
   * acc ← the interpolant of the attached points at `u` (chains built); with `interp`, also
   * the non-finite values of the nearest contributing point (see `near`).
   */
  private evaluate(): void {
    const w = this.vdim;
    for (let c = 0; c < w; c++) {
      this.acc[c] = 0;
      this.accAbs[c] = 0;
      this.accBad[c] = 0;
    }
    this.terms = 0;
    this.nearest = INF;
    this.nearestBad = false;
    const r = this.rootId;
    if (r < 0 || this.attached[r] !== 1) return;
    this.Kw.fill(ROOT);
    this.walk(0, r, this.grid.hashes[r] as number, 1, 0);
  }

  /**
   * Adds the contributions of the attached points whose positions agree with Kw below t and
   * lie on the chains from t on. Point id has positions Kw (ROOT from t on), hash h; `far`
   * is the largest distance |u − x| over the dimensions below t.
   */
  private walk(t: number, id: number, h: number, weight: number, far: number): void {
    const last = t === this.dim - 1;
    const base = t * CH;
    const f0 = Math.max(far, this.chainDist[base] as number);
    if (last) this.add(id, weight, f0);
    else this.walk(t + 1, id, h, weight, f0);
    const len = this.chainLen[t] as number;
    if (len === 1) return;
    const Kw = this.Kw;
    const g = this.grid;
    let hc = h;
    let prev = ROOT;
    for (let j = 1; j < len; j++) {
      const k = this.chainK[base + j] as number;
      hc = (hc - coordHash(t, prev) + coordHash(t, k)) | 0;
      Kw[t] = k;
      prev = k;
      const q = g.find(Kw, hc);
      if (q < 0 || this.attached[q] !== 1) break;
      const wq = weight * (this.chainPhi[base + j] as number);
      const fq = Math.max(far, this.chainDist[base + j] as number);
      if (last) this.add(q, wq, fq);
      else this.walk(t + 1, q, hc, wq, fq);
    }
    Kw[t] = ROOT;
  }

  /** Adds point id's contribution (weight × surplus) at distance `far` from `u`. */
  private add(id: number, weight: number, far: number): void {
    const w = this.vdim;
    const A = this.alpha;
    for (let c = 0; c < w; c++) {
      const t = weight * (A[id * w + c] as number);
      this.acc[c] = (this.acc[c] as number) + t;
      this.accAbs[c] = (this.accAbs[c] as number) + Math.abs(t);
    }
    this.terms++;
    if (this.interp && far <= this.nearest) this.near(id, far);
  }

  /**
   * Keeps the non-finite values of the contributing points nearest to `u` (largest
   * coordinate distance in the unit box; a non-finite one wins a tie): where the nearest
   * evaluated point around u has a NaN or an infinite value, the interpolant is that value,
   * as nearest-neighbour interpolation would make it, so a NaN region is not interpolated
   * over, and one NaN does not blank its basis function's whole support either. (The
   * contributing points are those whose support holds u: the deepest of them are u's
   * neighbours in every refined direction.)
   */
  private near(id: number, far: number): void {
    const w = this.vdim;
    if (far < this.nearest) {
      this.nearest = far;
      this.nearestBad = false;
      for (let c = 0; c < w; c++) this.accBad[c] = 0;
    }
    if (this.bad[id] !== 1) return;
    for (let c = 0; c < w; c++) {
      const y = this.vals[id * w + c] as number;
      if (Number.isFinite(y)) continue;
      this.accBad[c] = (this.accBad[c] as number) + y;
      this.nearestBad = true;
    }
  }

  /** Computes the surplus and the loss of told point id (not attached yet, its ancestors are). */
  private computeSurplus(id: number): void {
    const d = this.dim;
    const w = this.vdim;
    const K = this.grid.keys;
    for (let t = 0; t < d; t++) this.u[t] = (K[id * d + t] as number) / FULL;
    this.buildChains();
    this.evaluate();
    let bad = 0;
    const floor = NOISE * (this.terms + 1);
    for (let c = 0; c < w; c++) {
      const y = (this.vals[id * w + c] as number) * this.unit;
      if (Number.isFinite(y)) {
        const a = y - (this.acc[c] as number);
        this.alpha[id * w + c] = a;
        // A surplus within the rounding of its terms is 0 for the loss: whether an exact 0
        // comes out as 0 or as noise must not depend on the values' scale (ties of zero
        // surpluses are then broken by the tie keys, the same at every scale).
        this.lossAlpha[c] =
          Math.abs(a) <= floor * (Math.abs(y) + (this.accAbs[c] as number)) ? 0 : a;
      } else {
        // Left out of the sum: a non-finite value blanks only the box around its point
        // (interpolate), not the support of its basis function.
        this.alpha[id * w + c] = 0;
        this.lossAlpha[c] = 0;
        bad = 1;
      }
    }
    this.bad[id] = bad;
    this.lossRaw[id] = this.lossOf(id);
  }

  /**
   * The loss of attached point id in value units × unit (or its scale-free stand-in), from
   * the surplus in `lossAlpha` (computeSurplus).
   */
  private lossOf(id: number): number {
    if (id === this.rootId) return INF;
    const d = this.dim;
    const w = this.vdim;
    const K = this.grid.keys;
    let vol = 1;
    for (let t = 0; t < d; t++) vol *= nodeIntegral(K[id * d + t] as number);
    if (this.bad[id] === 1) {
      // A non-finite value: the loss of a surplus of 1 (the whole value range: a jump to or
      // from a non-finite value) on the edge of a non-finite region (a parent's value is
      // finite); inside one, that times the volume squared: refined last, but refined (the
      // hierarchy reaches the finite points beyond a region only through its points).
      for (let c = 0; c < w; c++) this.lossAlpha[c] = 1;
      const edge = this.lossFromSurplus(id, vol);
      return this.hasFiniteParent(id) ? edge : edge * vol * vol;
    }
    return this.lossFromSurplus(id, vol);
  }

  /** Whether a parent of attached point id has only finite values. */
  private hasFiniteParent(id: number): boolean {
    const d = this.dim;
    const K = this.Kl;
    this.load(id, K);
    const h = this.grid.hashes[id] as number;
    for (let s = 0; s < d; s++) {
      const k = K[s] as number;
      if (k === ROOT) continue;
      const p = this.findWith(K, h, s, nodeParent(k));
      if (p >= 0 && this.bad[p] === 0) return true;
    }
    return false;
  }

  /** The loss of point id (basis volume `vol`) for the surplus in `lossAlpha`. */
  private lossFromSurplus(id: number, vol: number): number {
    const d = this.dim;
    const w = this.vdim;
    const K = this.grid.keys;
    if (this.fast) {
      let m = 0;
      for (let c = 0; c < w; c++) {
        const a = Math.abs(this.lossAlpha[c] as number);
        if (a > m) m = a;
      }
      return m * Math.sqrt(vol);
    }
    const info = this.info;
    for (let c = 0; c < w; c++) info.surplus[c] = this.lossAlpha[c] as number;
    for (let t = 0; t < d; t++) {
      const k = K[id * d + t] as number;
      info.level[t] = this.grid.levels[id * d + t] as number;
      info.x[t] = nodeCoord(k, this.lo[t] as number, this.hi[t] as number);
    }
    info.volume = vol;
    let l: unknown;
    try {
      l = this.lossFunction(info as SparseGridLossInfo);
    } catch (e) {
      this.lossError ??= e instanceof Error ? e : new Error(String(e));
      this.bad[id] = 1;
      return vol;
    }
    if (typeof l !== 'number' || !(l >= 0) || l === INF) {
      this.lossError ??= new TypeError(
        `SparseGridLearner: the loss function returned ${describe(l)} at ${describe(this.coords(id))}; a loss must be a finite number >= 0 (the point's basis volume was used instead)`,
      );
      this.bad[id] = 1;
      return vol;
    }
    return l;
  }

  private throwLossError(): void {
    const e = this.lossError;
    if (e === null) return;
    this.lossError = null;
    throw e;
  }

  // ---------------------------------------------------------------- input checks

  /** Checks a point and writes its positions to `this.K`; returns their hash. */
  private checkPoint(point: unknown, where: string): number {
    const d = this.dim;
    if (!Array.isArray(point) && !ArrayBuffer.isView(point)) {
      throw new TypeError(
        `SparseGridLearner.${where}: a point must be an array of ${d} numbers, got ${describe(point)}`,
      );
    }
    const p = point as ArrayLike<unknown>;
    if (p.length !== d) {
      throw new TypeError(
        `SparseGridLearner.${where}: point ${describe(point)} has ${p.length} coordinates, expected ${d}`,
      );
    }
    for (let t = 0; t < d; t++) {
      const x = p[t];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new TypeError(
          `SparseGridLearner.${where}: point ${describe(point)} must hold ${d} finite numbers`,
        );
      }
      const a = this.lo[t] as number;
      const b = this.hi[t] as number;
      if (x < a || x > b) {
        throw new RangeError(
          `SparseGridLearner.${where}: point ${describe(point)} is outside the bounds ${describe(this.bounds)}`,
        );
      }
      const k = nodePosition(x + 0, a, b, this.caps[t] as number);
      if (k < 0) {
        throw new RangeError(
          `SparseGridLearner.${where}: point ${describe(point)} is not a point of the sparse grid: coordinate ${t} (${x}) is not a + (b − a)·i/2^l of [${a}, ${b}] at a level ≤ ${this.caps[t]} (tell the points the learner asks for)`,
        );
      }
      this.K[t] = k;
    }
    return this.grid.hashOf(this.K);
  }

  /** Validates a value; returns its vector length (0 for a number). */
  private checkValue(
    y: unknown,
    point: unknown,
    where: string,
    vdim: number,
    vector: boolean,
  ): number {
    if (typeof y === 'number' && (vdim === 0 || !vector)) return 0;
    const at = (): string => `SparseGridLearner.${where}: the value at ${describe(point)}`;
    if (typeof y === 'number') {
      if (vdim !== 0 && vector)
        throw new TypeError(
          `${at()} is a number, but earlier values were vectors of length ${vdim}`,
        );
      return 0;
    }
    if (Array.isArray(y) || ArrayBuffer.isView(y)) {
      const v = y as ArrayLike<unknown>;
      if (v.length === 0) throw new TypeError(`${at()} is an empty vector`);
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number')
          throw new TypeError(`${at()} must hold numbers only, got ${describe(y)}`);
      }
      if (vdim !== 0 && !vector)
        throw new TypeError(`${at()} is a vector, but earlier values were numbers`);
      if (vdim !== 0 && v.length !== vdim) {
        throw new RangeError(
          `${at()} has length ${v.length}, but earlier values had length ${vdim}`,
        );
      }
      return v.length;
    }
    throw new TypeError(`${at()} must be a number or an array of numbers, got ${describe(y)}`);
  }

  /**
   * Whether `point` is a point of this learner's grid (in the box, each coordinate a grid
   * coordinate at a level ≤ maxLevel). O(d · maxLevel).
   * @example new SparseGridLearner({ bounds: [[0, 1]] }).isGridPoint([0.25]); // true
   */
  isGridPoint(point: readonly number[]): boolean {
    try {
      this.checkPoint(point, 'isGridPoint');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Whether the learner takes `point`: the same as {@link isGridPoint} (a point of the box
   * that is not a grid point is refused by `tell`).
   * @example new SparseGridLearner({ bounds: [[0, 1]] }).inDomain([0.3]); // false
   */
  inDomain(point: readonly number[]): boolean {
    return this.isGridPoint(point);
  }

  // ---------------------------------------------------------------- protocol

  /**
   * Tells the value at a point of the grid (usually one the learner asked for). Re-telling
   * an evaluated point is ignored. O(d · ancestors) for the surplus, plus O(d²) hash
   * look-ups for the structure.
   * @throws TypeError/RangeError naming the point when it is malformed, outside the box or
   *   not a grid point, or the value has the wrong shape; the learner is then unchanged.
   * @example sg.tell([0, 0], 1);
   */
  tell(point: readonly number[], value: ValueSG): void {
    const h = this.checkPoint(point, 'tell');
    const len = this.checkValue(value, point, 'tell', this.vdim, this.vector);
    const id = this.grid.find(this.K, h);
    if (id >= 0 && this.status[id] === TOLD) return;
    if (this.vdim === 0) this.setShape(len);
    this.tellUnchecked(this.K, h, id, value);
    this.throwLossError();
  }

  /**
   * Tells many points: the same state as telling them one by one. Everything is validated
   * first, so a bad entry leaves the learner unchanged.
   * @example sg.tellMany([[0], [1]], [0, 2]);
   */
  tellMany(points: readonly (readonly number[])[], values: readonly ValueSG[]): void {
    if (!Array.isArray(points) || !Array.isArray(values)) {
      throw new TypeError('SparseGridLearner.tellMany: points and values must be arrays');
    }
    if (points.length !== values.length) {
      throw new RangeError(
        `SparseGridLearner.tellMany: ${points.length} points but ${values.length} values`,
      );
    }
    const d = this.dim;
    const keys = new Int32Array(points.length * d);
    const hashes = new Int32Array(points.length);
    let vdim = this.vdim;
    let vector = this.vector;
    for (let i = 0; i < points.length; i++) {
      hashes[i] = this.checkPoint(points[i], 'tellMany');
      keys.set(this.K, i * d);
      const len = this.checkValue(values[i], points[i], 'tellMany', vdim, vector);
      if (vdim === 0) {
        vdim = len > 0 ? len : 1;
        vector = len > 0;
      }
    }
    if (points.length > 0 && this.vdim === 0) this.setShape(vector ? vdim : 0);
    const K = new Int32Array(d);
    for (let i = 0; i < points.length; i++) {
      for (let t = 0; t < d; t++) K[t] = keys[i * d + t] as number;
      const h = hashes[i] as number;
      const id = this.grid.find(K, h);
      if (id >= 0 && this.status[id] === TOLD) continue;
      this.tellUnchecked(K, h, id, values[i] as ValueSG);
    }
    this.throwLossError();
  }

  private tellUnchecked(K: Int32Array, h: number, found: number, value: ValueSG): void {
    let id = found;
    if (id >= 0) {
      // Pending → told (and attached below, if its ancestors are).
      this.unlinkPending(id);
      this.status[id] = TOLD;
      if (this.isFirstLevel(id)) this.firstPend--;
      this.adjustParents(id, 0, 0, -1);
    } else {
      id = this.insert(K, h, TOLD);
    }
    const w = this.vdim;
    for (let c = 0; c < w; c++) {
      const y = typeof value === 'number' ? value : (value[c] as number);
      this.vals[id * w + c] = y;
      if (Number.isFinite(y)) {
        if (y < (this.yMin[c] as number)) this.yMin[c] = y;
        if (y > (this.yMax[c] as number)) this.yMax[c] = y;
      }
    }
    this.nTold++;
    if (this.isFirstLevel(id)) this.firstTold++;
    const unit = unitFor(this.maxAbs());
    if (unit !== this.unit) this.rescale(unit);
    this.attachFrom(id);
  }

  /** The largest magnitude of the finite values told (0 if none). */
  private maxAbs(): number {
    let m = 0;
    for (let c = 0; c < this.vdim; c++) {
      const lo = this.yMin[c] as number;
      const hi = this.yMax[c] as number;
      if (hi >= lo) m = Math.max(m, Math.abs(lo), Math.abs(hi));
    }
    return m;
  }

  /**
   * Holds the values in a new unit: every surplus and loss recomputed, ancestors first (by
   * level sum), exactly as if the points had been told in the new unit (a power of 2: the
   * same rounding, so the same losses relative to the scale and the same asks). Rare: at most
   * twice in a learner's life. O(N · ancestors).
   */
  private rescale(unit: number): void {
    this.unit = unit;
    const g = this.grid;
    const d = this.dim;
    const ids: number[] = [];
    for (let id = 0; id < g.idBound; id++) if (this.attached[id] === 1) ids.push(id);
    const lsum = new Int32Array(g.idBound);
    for (const id of ids)
      for (let t = 0; t < d; t++)
        lsum[id] = (lsum[id] as number) + (g.levels[id * d + t] as number);
    ids.sort((a, b) => (lsum[a] as number) - (lsum[b] as number) || a - b);
    for (const id of ids) this.attached[id] = 0;
    for (const id of ids) {
      this.computeSurplus(id);
      this.attached[id] = 1;
      if (this.qAsk.has(id)) this.queueAsk(id);
      this.updateLeaf(id);
    }
  }

  private linkPending(id: number): void {
    this.pPrev[id] = this.pTail;
    this.pNext[id] = -1;
    if (this.pTail >= 0) this.pNext[this.pTail] = id;
    else this.pHead = id;
    this.pTail = id;
    this.nPending++;
    if (this.isFirstLevel(id)) this.firstPend++;
  }

  private unlinkPending(id: number): void {
    const p = this.pPrev[id] as number;
    const n = this.pNext[id] as number;
    if (p >= 0) this.pNext[p] = n;
    else this.pHead = n;
    if (n >= 0) this.pPrev[n] = p;
    else this.pTail = p;
    this.nPending--;
  }

  private addPending(K: Int32Array, h: number): number {
    const id = this.insert(K, h, PENDING);
    this.linkPending(id);
    return id;
  }

  /**
   * Marks a grid point as being evaluated: it is not handed out, and its children wait for
   * its value. A known point (evaluated or pending) is ignored.
   * @throws TypeError/RangeError as {@link tell} does for the point.
   * @example sg.tellPending([0.5, 0]);
   */
  tellPending(point: readonly number[]): void {
    const h = this.checkPoint(point, 'tellPending');
    if (this.grid.find(this.K, h) >= 0) return;
    this.addPending(this.K, h);
  }

  /**
   * Forgets every pending point; their parents hand them out again. O(pending · d²).
   * @example sg.removeUnfinished(); sg.pendingPoints; // []
   */
  removeUnfinished(): void {
    while (this.pHead >= 0) this.removePoint(this.pHead);
  }

  /**
   * The loss of the refinement front, divided by the value range: the largest loss of an
   * evaluated point that still has a child to hand out, or (`real`, default) whose children
   * are being evaluated; `real: false` counts pending children as done. A point whose
   * children all wait for a co-parent of smaller loss (the dimension-adaptive rule) does not
   * count until that co-parent is refined. +Infinity until the root and its 2d children (the
   * centre and the centres of the faces) are evaluated (or pending, for `real: false`); 0 when
   * nothing is left to refine. O(1) amortised.
   * @example sg.loss(); sg.loss({ real: false });
   */
  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    if (real ? this.firstTold < this.nFirst : this.firstTold + this.firstPend < this.nFirst) {
      return INF;
    }
    const scale = this.scale();
    let top = this.askTop(scale);
    if (real) top = Math.max(top, this.qPend.top(scale));
    return Math.max(top, 0);
  }

  /** The first child of p that may be handed out (positions in this.K2, hash returned), or null. */
  private creatable(p: number): number | null {
    const d = this.dim;
    const K = this.K2;
    this.load(p, K);
    const h = this.grid.hashes[p] as number;
    for (let t = 0; t < d; t++) {
      const kt = K[t] as number;
      const n = nodeChildren(kt, this.caps[t] as number, this.kids);
      for (let c = 0; c < n; c++) {
        const k = this.kids[c] as number;
        const hc = (h - coordHash(t, kt) + coordHash(t, k)) | 0;
        K[t] = k;
        if (this.grid.find(K, hc) < 0 && this.coParentsRefined(K, hc, t, p)) return hc;
        K[t] = kt;
      }
    }
    return null;
  }

  /**
   * Whether every parent of K other than p (its parent along t) lets p hand K out: it is
   * attached and has a child in the grid (it was refined), or its value is not finite, or
   * its loss is at least p's (it would be refined before p; without this two parents that
   * wait for each other, as at a level cap, would never hand out their common child).
   */
  private coParentsRefined(K: Int32Array, h: number, t: number, p: number): boolean {
    const d = this.dim;
    const lp = this.lossRaw[p] as number;
    const pBad = this.bad[p] === 1 || p === this.rootId;
    for (let s = 0; s < d; s++) {
      const ks = K[s] as number;
      if (s === t || ks === ROOT) continue;
      const q = this.findWith(K, h, s, nodeParent(ks));
      if (q < 0 || this.attached[q] !== 1) return false;
      if (this.nKids[q] === 0 && this.bad[q] !== 1 && (pBad || (this.lossRaw[q] as number) < lp))
        return false;
    }
    return true;
  }

  /**
   * Up to `n` grid points to evaluate next, with the loss improvement of each (the loss of
   * the point they refine; +Infinity for the root and its children). The root comes first;
   * then the children of the evaluated point of largest loss. Fewer than n points when
   * every remaining child waits for a pending point's value (or the grid is complete at
   * maxLevel). With `tellPending: false` the learner is left as it was.
   * O(n · d² look-ups + log N).
   * @throws RangeError when n is not a non-negative integer.
   * @example sg.ask(2); // { points: [[0, 0], [-1, 0]], lossImprovements: [Infinity, Infinity] }
   */
  ask(n: number, options?: AskOptions): AskResult<number[]> {
    const tellPending = checkAsk('SparseGridLearner.ask', n, options);
    const points: number[][] = [];
    const imps: number[] = [];
    const made: number[] = [];
    const scale = this.scale();
    while (made.length < n) {
      let id: number;
      let imp: number;
      if (this.rootId < 0) {
        this.K.fill(ROOT);
        id = this.addPending(this.K, this.grid.hashOf(this.K));
        imp = INF;
      } else {
        const p = this.qAsk.peek(scale);
        if (p < 0) break;
        const h = this.creatable(p);
        if (h === null) {
          this.qAsk.delete(p); // checked when read: queued again when that may change
          continue;
        }
        imp = this.qAsk.key(p, scale);
        this.Kc.set(this.K2);
        id = this.addPending(this.Kc, h);
      }
      made.push(id);
      points.push(this.coords(id));
      imps.push(imp);
    }
    if (!tellPending)
      for (let i = made.length - 1; i >= 0; i--) this.removePoint(made[i] as number);
    return { points, lossImprovements: imps };
  }

  /**
   * Whether nothing is left to ask: no pending point and no evaluated point with a child
   * that may be handed out (the grid is complete up to each dimension's level cap).
   * @example new SparseGridLearner({ bounds: [[0, 1]], maxLevel: 1 }).done(); // false: the root is not asked yet
   */
  done(): boolean {
    if (this.rootId < 0 || this.nPending > 0) return false;
    for (;;) {
      const p = this.qAsk.peek(1);
      if (p < 0) return true;
      if (this.creatable(p) !== null) return false;
      this.qAsk.delete(p);
    }
  }

  // ---------------------------------------------------------------- interpolation

  /**
   * The sparse-grid interpolant (Σ surplus × basis over the evaluated points whose
   * ancestors are all evaluated) at one point (a number, or a vector for vector output) or
   * at many. NaN outside the box and before the centre is evaluated; where the nearest
   * contributing point has a NaN or ±Infinity value (the largest coordinate distance in the
   * unit box), that value: a non-finite region is not interpolated over. O(points on the
   * point's ancestor chains) per point: a few hundred hash look-ups in 8-D at 10⁴ points.
   * @example sg.interpolate([0, 0.5]); sg.interpolate([[0, 0], [0.25, 1]]);
   */
  interpolate(point: readonly number[]): number | number[];
  interpolate(points: readonly (readonly number[])[]): (number | number[])[];
  interpolate(
    q: readonly number[] | readonly (readonly number[])[],
  ): (number | number[]) | (number | number[])[] {
    if (!Array.isArray(q))
      throw new TypeError('SparseGridLearner.interpolate: expected a point or an array of points');
    if (q.length > 0 && typeof q[0] === 'number')
      return this.interpolateOne(q as readonly number[]);
    return (q as readonly (readonly number[])[]).map((p) => this.interpolateOne(p));
  }

  private interpolateOne(point: readonly number[]): number | number[] {
    const d = this.dim;
    if (!Array.isArray(point) || point.length !== d) {
      throw new TypeError(
        `SparseGridLearner.interpolate: point ${describe(point)} must have ${d} coordinates`,
      );
    }
    for (let t = 0; t < d; t++) {
      const x = point[t];
      if (typeof x !== 'number')
        throw new TypeError(
          `SparseGridLearner.interpolate: point ${describe(point)} must hold numbers`,
        );
      this.u[t] = x;
    }
    const out = new Float64Array(this.outputDimension);
    this.interpolateAt(out, 0);
    return this.vector ? Array.from(out) : (out[0] as number);
  }

  /** Writes the interpolant at coordinates `this.u` to out[o…o + vdim). */
  private interpolateAt(out: Float64Array, o: number): void {
    const d = this.dim;
    const w = this.outputDimension;
    let inside = this.vdim > 0;
    for (let t = 0; t < d && inside; t++) {
      const a = this.lo[t] as number;
      const b = this.hi[t] as number;
      const x = this.u[t] as number;
      if (!(x >= a && x <= b)) inside = false;
      else this.u[t] = x === a ? 0 : x === b ? 1 : Math.min(1, Math.max(0, (x - a) / (b - a)));
    }
    const r = this.rootId;
    if (!inside || r < 0 || this.attached[r] !== 1) {
      for (let c = 0; c < w; c++) out[o + c] = Number.NaN;
      return;
    }
    this.buildChains();
    this.interp = true;
    this.evaluate();
    this.interp = false;
    const unit = this.unit;
    for (let c = 0; c < w; c++) {
      const v = (this.acc[c] as number) / unit;
      // Nearest to a non-finite value: that value (NaN, or ±Infinity; opposite infinities or
      // a NaN among several tied make NaN).
      out[o + c] = this.nearestBad ? v + (this.accBad[c] as number) : v;
    }
  }

  /**
   * The interpolant on a grid: `axes[j]` lists the coordinates along dimension j
   * (`plotSlice` calls it with one fixed coordinate on the other axes). Row-major values
   * (the last axis fastest). O(grid points · chain walk).
   * @example sg.interpolateGrid([[-1, 0, 1], [0]]).values; // 3 values
   */
  interpolateGrid(axes: readonly (readonly number[])[]): GridSG {
    const d = this.dim;
    if (!Array.isArray(axes) || axes.length !== d) {
      throw new TypeError(
        `SparseGridLearner.interpolateGrid: expected ${d} axes (arrays of coordinates)`,
      );
    }
    const ax = axes.map((a, j) => {
      if (!Array.isArray(a) || a.some((x) => typeof x !== 'number'))
        throw new TypeError(
          `SparseGridLearner.interpolateGrid: axis ${j} must be an array of numbers`,
        );
      return a.slice();
    });
    const shape = ax.map((a) => a.length);
    const total = shape.reduce((p, c) => p * c, 1);
    const w = this.outputDimension;
    const values = new Float64Array(total * w);
    const idx = new Array<number>(d).fill(0);
    for (let i = 0; i < total; i++) {
      for (let t = 0; t < d; t++) this.u[t] = (ax[t] as number[])[idx[t] as number] as number;
      this.interpolateAt(values, i * w);
      for (let t = d - 1; t >= 0; t--) {
        idx[t] = (idx[t] as number) + 1;
        if ((idx[t] as number) < (shape[t] as number)) break;
        idx[t] = 0;
      }
    }
    return { axes: ax, shape, values, vdim: w };
  }

  /**
   * The hierarchical surplus at an evaluated point whose ancestors are all evaluated (a
   * number, or a vector), or undefined. O(d · maxLevel).
   * @example sg.surplus([0.5]); // f(0.5) − the interpolant of its ancestors there
   */
  surplus(point: readonly number[]): number | number[] | undefined {
    const h = this.checkPoint(point, 'surplus');
    const id = this.grid.find(this.K, h);
    if (id < 0 || this.attached[id] !== 1) return undefined;
    const w = this.vdim;
    const a = Array.from(this.alpha.subarray(id * w, (id + 1) * w), (v) => v / this.unit);
    return this.vector ? a : (a[0] as number);
  }

  // ---------------------------------------------------------------- data out

  private toldSorted(): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.grid.idBound; id++) if (this.status[id] === TOLD) ids.push(id);
    const d = this.dim;
    const X = new Map<number, number[]>(ids.map((id) => [id, this.coords(id)]));
    ids.sort((a, b) => {
      const xa = X.get(a) as number[];
      const xb = X.get(b) as number[];
      for (let t = 0; t < d; t++) if (xa[t] !== xb[t]) return (xa[t] as number) - (xb[t] as number);
      return 0;
    });
    return ids;
  }

  /**
   * The evaluated points sorted lexicographically, as `{ x, y }` records. O(n log n).
   * @example sg.toRecords(); // [{ x: [-1, 0], y: 0.3 }, ...]
   */
  toRecords(): RecordSG[] {
    const w = this.vdim;
    return this.toldSorted().map((id) => ({
      x: this.coords(id),
      y: this.vector
        ? Array.from(this.vals.subarray(id * w, (id + 1) * w))
        : (this.vals[id] as number),
    }));
  }

  /**
   * The evaluated points sorted lexicographically as typed arrays. O(n log n).
   * @example const { x, y, dim, vdim } = sg.toArrays();
   */
  toArrays(): ArraysSG {
    const d = this.dim;
    const w = this.outputDimension;
    const ids = this.toldSorted();
    const x = new Float64Array(ids.length * d);
    const y = new Float64Array(ids.length * w);
    ids.forEach((id, r) => {
      x.set(this.coords(id), r * d);
      if (this.vdim > 0) y.set(this.vals.subarray(id * w, (id + 1) * w), r * w);
    });
    return { x, y, dim: d, vdim: w };
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: the options' data, the evaluated points and values in
   * lexicographic order, the pending points in order. Surpluses and losses are not stored:
   * restore recomputes them. O(n log n).
   * @example const copy = sg.new(); copy.restore(JSON.parse(JSON.stringify(sg.snapshot())));
   */
  snapshot(): LearnerSnapshot {
    const w = this.vdim;
    const ids = this.toldSorted();
    return {
      type: 'SparseGridLearner',
      version: SNAPSHOT_VERSION,
      bounds: this.bounds.map((b) => [b[0], b[1]]),
      maxLevel: this.maxLevel,
      loss: this.lossFunction.lossName ?? this.lossFunction.name,
      vdim: this.vector ? this.vdim : this.vdim === 0 ? 0 : -1,
      points: ids.map((id) => this.coords(id)),
      values: ids.map(
        (id) =>
          encodeValue(
            this.vector ? this.vals.subarray(id * w, (id + 1) * w) : (this.vals[id] as number),
          ) as JsonNumber | JsonNumber[],
      ),
      pending: this.pendingPoints,
    };
  }

  /**
   * Replaces this learner's state by a snapshot's. Every point is checked against the grid
   * and every surplus and loss recomputed from the values. A malformed or foreign snapshot
   * throws a TypeError naming the problem and leaves the learner as it was. O(n · tell).
   * @example sg.restore(snapshot);
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new SparseGridLearner(this.options());
    fresh.loadSnapshot(snapshot);
    Object.assign(this, fresh);
  }

  private loadSnapshot(s: LearnerSnapshot): void {
    const { bad, arr } = snapshotReader('SparseGridLearner', SNAPSHOT_VERSION, s);
    const mine = JSON.stringify(this.bounds);
    if (JSON.stringify(s.bounds) !== mine)
      bad(`the snapshot's bounds ${describe(s.bounds)} differ from this learner's ${mine}`);
    if (s.maxLevel !== this.maxLevel)
      bad(
        `the snapshot's maxLevel ${describe(s.maxLevel)} differs from this learner's ${this.maxLevel}`,
      );
    const lossName = this.lossFunction.lossName ?? this.lossFunction.name;
    if (s.loss !== lossName)
      bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
    const sp = arr(s.points, 'points');
    const sv = arr(s.values, 'values');
    const spend = arr(s.pending, 'pending');
    if (sv.length !== sp.length) bad(`points has ${sp.length} entries but values has ${sv.length}`);
    const vd = s.vdim;
    if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1)
      bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
    if (vd === 0 && sp.length > 0) bad('vdim 0 (no data) but the snapshot has points');
    const len = vd === -1 ? 0 : (vd as number);
    if (vd !== 0) this.setShape(len);
    const at = (what: string, f: () => number): number => {
      try {
        return f();
      } catch (e) {
        return bad(`${what}: ${(e as Error).message}`);
      }
    };
    for (let i = 0; i < sp.length; i++) {
      const h = at(`points[${i}]`, () => this.checkPoint(sp[i], 'restore'));
      if (this.grid.find(this.K, h) >= 0) bad(`points[${i}] = ${describe(sp[i])} appears twice`);
      const y = decodeValue(sv[i]);
      if (y === undefined)
        bad(`values[${i}] is not a number or a vector of numbers: ${describe(sv[i])}`);
      if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len)
        bad(`values[${i}] does not have the snapshot's shape (vdim ${describe(vd)})`);
      this.tellUnchecked(this.K, h, -1, y as ValueSG);
    }
    for (let i = 0; i < spend.length; i++) {
      const h = at(`pending[${i}]`, () => this.checkPoint(spend[i], 'restore'));
      if (this.grid.find(this.K, h) >= 0)
        bad(`pending[${i}] = ${describe(spend[i])} is already a point of the snapshot`);
      this.addPending(this.K, h);
    }
    this.lossError = null; // a custom loss's complaint was raised when the data was told
  }

  // ---------------------------------------------------------------- invariants

  /**
   * Throws if an internal invariant does not hold (for tests): the hash table, the child
   * counts, attachment, every surplus recomputed from scratch (its ancestors' basis
   * functions at the point), the queues. O(N · (d² + ancestors · d)).
   * @example sg.checkValid();
   */
  checkValid(): void {
    const fail = (m: string): never => {
      throw new Error(`SparseGridLearner: ${m}`);
    };
    const g = this.grid;
    g.checkValid();
    this.qAsk.checkValid();
    this.qPend.checkValid();
    const d = this.dim;
    const w = this.vdim;
    const K = new Int32Array(d);
    let told = 0;
    let pend = 0;
    for (let id = 0; id < g.idBound; id++) {
      if (g.used[id] !== 1) continue;
      const st = this.status[id] as number;
      if (st === TOLD) told++;
      else if (st === PENDING) pend++;
      else fail(`point ${id} in the grid has status ${st}`);
      this.load(id, K);
      const h = g.hashes[id] as number;
      let nk = 0;
      let na = 0;
      let nc = 0;
      for (let t = 0; t < d; t++) {
        const kt = K[t] as number;
        const kids = new Int32Array(2);
        const n = nodeChildren(kt, this.caps[t] as number, kids);
        for (let c = 0; c < n; c++) {
          const cid = this.findWith(K, h, t, kids[c] as number);
          if (cid < 0) continue;
          nk++;
          if (this.attached[cid] === 1) na++;
          if (this.attached[cid] === 1 || this.status[cid] === PENDING) nc++;
        }
      }
      if (nk !== this.nKids[id] || na !== this.nAtt[id] || nc !== this.nComb[id])
        fail(
          `point ${describe(this.coords(id))}: child counts ${this.nKids[id]}/${this.nAtt[id]}/${this.nComb[id]}, expected ${nk}/${na}/${nc}`,
        );
      let parentsAttached = true;
      for (let s = 0; s < d; s++) {
        const ks = K[s] as number;
        if (ks === ROOT) continue;
        const p = this.findWith(K, h, s, nodeParent(ks));
        if (p < 0 || this.attached[p] !== 1) parentsAttached = false;
      }
      const shouldAttach = st === TOLD && parentsAttached;
      if ((this.attached[id] === 1) !== shouldAttach)
        fail(
          `point ${describe(this.coords(id))} attached ${this.attached[id]}, expected ${shouldAttach}`,
        );
      if (!shouldAttach) continue;
      // The surplus from scratch: the value minus Σ over the other attached points of α·φ.
      for (let c = 0; c < w; c++) {
        let sum = 0;
        for (let q = 0; q < g.idBound; q++) {
          if (q === id || g.used[q] !== 1 || this.attached[q] !== 1) continue;
          let phi = 1;
          for (let t = 0; t < d && phi !== 0; t++)
            phi *= nodeBasis(g.keys[q * d + t] as number, (K[t] as number) / FULL);
          if (phi !== 0) sum += phi * (this.alpha[q * w + c] as number);
        }
        const y = (this.vals[id * w + c] as number) * this.unit;
        const want = Number.isFinite(y) ? y - sum : 0;
        const have = this.alpha[id * w + c] as number;
        if (Math.abs(want - have) > 1e-9 * (1 + Math.abs(y)))
          fail(`the surplus at ${describe(this.coords(id))} is ${have}, recomputed ${want}`);
      }
      if (this.qPend.has(id) !== (this.nComb[id] as number) > (this.nAtt[id] as number))
        fail(`point ${describe(this.coords(id))} is wrongly (not) in the pending-children queue`);
      if (this.creatable(id) !== null && !this.qAsk.has(id))
        fail(`point ${describe(this.coords(id))} has a child to hand out but is not queued`);
    }
    if (this.unit !== unitFor(this.maxAbs()))
      fail(`values held in unit ${this.unit}, expected ${unitFor(this.maxAbs())}`);
    if (told !== this.nTold || pend !== this.nPending)
      fail(`${told} told and ${pend} pending, counts ${this.nTold} and ${this.nPending}`);
  }
}
