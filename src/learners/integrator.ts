/**
 * IntegratorLearner: the integral of f over [a, b] to a relative tolerance, by CQUAD
 * (Gonnet, "Increasing the Reliability of Adaptive Quadrature Using Explicit
 * Interpolants", ACM TOMS 37(3), 2010, algorithm 4), in parallel.
 *
 * Port of python-adaptive `integrator_learner.py` (v1.5.2): the same intervals, points,
 * order of operations and `done_leaves` bookkeeping, so a serial run asks the points
 * python-adaptive asks (up to errors that tie exactly and are told apart by rounding noise).
 * Each interval carries a Clenshaw–Curtis rule of 5, 9, 17 or 33 nodes (depth 0..3); the
 * interval with the largest error is refined to the next depth, or split in two when it is
 * at depth 3 or refining did not converge. Non-finite function values are dropped from an
 * interval's interpolant by down-dating (Gonnet's algorithm 5).
 *
 * Differences from python-adaptive:
 * - `tellPending(x)` takes the point (python-adaptive's takes none, so its BalancingLearner
 *   crashes on an IntegratorLearner child). Every node of a new interval waits in a queue
 *   from the moment the interval exists; `pendingPoints` lists the nodes handed out and not
 *   yet told, and `removeUnfinished()` puts them back at the front of the queue (python's
 *   does nothing).
 * - `ask(n, { tellPending: false })` plans the next points on copies of the few intervals
 *   it touches, read through the heaps' ordered walks, instead of copying the learner.
 * - A told point is told once: telling it again is ignored, and a told point never comes
 *   back from `ask`. A stale entry of the split queue is skipped (python asserts).
 * - Out of order: when a child interval finishes before its parent, python-adaptive keeps
 *   the child's error (and its machine-precision verdict) from whatever rule of the parent
 *   was complete then; here both are redone when the parent completes a finer rule, so the
 *   result does not depend on the order of the tells. An interval at machine precision
 *   keeps standing for its subtree when its children were asked before it completed
 *   (python-adaptive lets their coarser estimates replace it, its issue #96).
 * - The spacing test of nodes uses |x|, so intervals at or left of 0 are dropped too when
 *   they become too narrow for float, and the error of a dropped interval counts as excess
 *   in `done()` as in algorithm 4 (python-adaptive forgets it: a singularity at a negative
 *   bound, or one that float cannot resolve to the tolerance, then never finishes).
 * - `igral` and `err` are summed in the order of the intervals (python-adaptive sums over a
 *   set, so its last bits vary).
 * - When no interval is left to refine, `ask` returns fewer points (`done()` is then true);
 *   python-adaptive raises RuntimeError.
 * - Divergence is reported by a {@link DivergentIntegralError} from the `tell` that reveals
 *   it, after the learner has taken in the data; `ask` throws it from then on.
 */
import { encodeNumber, type JsonNumber } from '../io/json.js';
import { IndexedHeap } from '../queue/heap.js';
import type { TieKeys } from '../queue/types.js';
import { FloatMap } from '../util/float-map.js';
import {
  type CquadCoefficients,
  cquadCoefficients,
  EPS,
  HINT,
  interpolationCoefficients,
  type Matrix,
  MIN_SEP,
  NDIV_MAX,
  NS,
} from './integrator-coeffs.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import { checkAsk, checkAskLimit, checkOptionKeys, describe, snapshotReader } from './validate.js';

/** Options of {@link IntegratorLearner}. */
export interface IntegratorLearnerOptions {
  /** The interval of integration `[a, b]`, finite with `a < b`. */
  bounds: readonly [number, number];
  /** The relative tolerance: the learner is done when `err < |igral|·tol`. Positive and finite. */
  tol: number;
  /**
   * At most this many intervals are refined at once (default 1000, as python-adaptive);
   * beyond it the interval with the smallest error is dropped from refinement.
   */
  maxIvals?: number;
}

/** One evaluated point, as returned by {@link IntegratorLearner.toRecords}. */
export interface IntegratorRecord {
  x: number;
  y: number;
}

/** An interval whose estimate enters the integral, see {@link IntegratorLearner.approximatingIntervals}. */
export interface IntegratorInterval {
  a: number;
  b: number;
  /** The depth (0..3: 5, 9, 17 or 33 nodes) of the rule the estimate comes from. */
  depth: number;
  /** Splits from the first interval, starting at 1. */
  rdepth: number;
  igral: number;
  err: number;
  /** At machine precision, or too narrow for float: no longer refined (its error counts as excess in `done()`). */
  removed: boolean;
}

/**
 * Thrown when the integral appears to diverge (python-adaptive's criterion: an interval
 * was split more than 20 times with its estimate more than doubling, in over half of its
 * splits).
 *
 * @example
 * try { learner.tell(x, y); } catch (e) {
 *   if (e instanceof DivergentIntegralError) console.log(e.interval); // [0.98765, 0.98766]
 * }
 */
export class DivergentIntegralError extends Error {
  override readonly name = 'DivergentIntegralError';
  /** The interval where the divergence showed. */
  readonly interval: readonly [number, number];

  constructor(a: number, b: number) {
    super(
      `IntegratorLearner: the integral appears to diverge in [${a}, ${b}]: its estimate kept growing as the interval was split (${NDIV_MAX} times or more); it cannot be integrated to a tolerance`,
    );
    this.interval = [a, b];
  }
}

// Node states.
const QUEUED = 1;
const PENDING = 2;
const TOLD = 3;
const STRIDE = [8, 4, 2, 1] as const;
const FLOAT_MAX = Number.MAX_VALUE;
const INF = Number.POSITIVE_INFINITY;
const SQRT2 = Math.sqrt(2);
const OPTION_KEYS = ['bounds', 'tol', 'maxIvals'];
const SNAPSHOT_VERSION = 1;
/** A told value above this (2^1000) makes the learner work on values times 2^VS_EXP. */
const VS_HUGE = 2 ** 1000;
const VS_EXP = -64;
/**
 * The most points (told and pending) an IntegratorLearner holds: 2^24 nodes, about half a
 * million intervals of 33 values each; `ask` refuses an n that would go past it.
 */
const MAX_POINTS = 2 ** 24;
/** How many points past the queue `tellPending` looks for a point that is no node yet. */
const LOOKAHEAD = 10_000;
const FORCE = 1;
const REMOVE = 2;

/** The depth at which node j (of 33) first appears: 0 for multiples of 8, ..., 3 for odd j. */
const LEVEL = Uint8Array.from({ length: 33 }, (_, j) =>
  j % 8 === 0 ? 0 : j % 4 === 0 ? 1 : j % 2 === 0 ? 2 : 3,
);

/** The ranking key of an error: NaN ranks as +Infinity (never as a missing value). */
function errKey(e: number): number {
  return Number.isNaN(e) ? INF : e;
}

/** Whether two adjacent nodes are too close to refine further (python's min_sep test, made sign-safe). */
function tooClose(p: number, q: number): boolean {
  const d = q - p;
  return !(d > 0) || d < Math.abs(p) * MIN_SEP;
}

/** One interval of the adaptive tree (python's `_Interval`). */
class Interval {
  depth: number;
  ndiv: number;
  err: number;
  children: Interval[] = [];
  /** Values at the 33 nodes of depth 3 (node i of depth d is node i·2^(3−d)). */
  readonly fx = new Float64Array(33);
  readonly known = new Uint8Array(33);
  /** Known nodes per depth. */
  readonly nknown = new Uint8Array(4);
  /** Legendre coefficients of the rule at `depthComplete`. */
  c: Float64Array | null = null;
  c00 = 0;
  igral = 0;
  /** The finest depth whose nodes are all known and processed, -1 for none. */
  depthComplete = -1;
  /**
   * The intervals that stand for this one in the integral estimate (python's `done_leaves`):
   * empty until it or its children are complete, `null` once handed up to the parent.
   */
  doneLeaves: Set<Interval> | null = new Set();
  removed = false;
  /** Its own rule reached machine precision: it stands for its whole subtree. */
  precise = false;
  /** In the set of intervals that may be refined (python's `ivals`). */
  active = false;

  constructor(
    readonly id: number,
    readonly a: number,
    readonly b: number,
    depth: number,
    readonly rdepth: number,
    readonly parent: Interval | null,
    ndiv: number,
    err: number,
  ) {
    this.depth = depth;
    this.ndiv = ndiv;
    this.err = err;
  }
}

/** An interval of a plan (see `plan`): a copy of a real one, or one that does not exist yet. */
interface PlanIval {
  a: number;
  b: number;
  depth: number;
  rdepth: number;
  err: number;
  active: boolean;
  split: boolean;
}

/** A binary heap of plan intervals; inactive ones are dropped when they reach the top. */
class PlanHeap {
  private items: PlanIval[] = [];

  constructor(private readonly before: (p: PlanIval, q: PlanIval) => boolean) {}

  push(p: PlanIval): void {
    const items = this.items;
    let i = items.length;
    items.push(p);
    while (i > 0) {
      const up = (i - 1) >> 1;
      const q = items[up] as PlanIval;
      if (!this.before(p, q)) break;
      items[i] = q;
      i = up;
    }
    items[i] = p;
  }

  /** The first active interval, or null. */
  peek(): PlanIval | null {
    const items = this.items;
    while (items.length > 0 && !(items[0] as PlanIval).active) {
      const last = items.pop() as PlanIval;
      if (items.length === 0) break;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= items.length) break;
        const r = l + 1;
        const c =
          r < items.length && this.before(items[r] as PlanIval, items[l] as PlanIval) ? r : l;
        if (!this.before(items[c] as PlanIval, last)) break;
        items[i] = items[c] as PlanIval;
        i = c;
      }
      items[i] = last;
    }
    return items[0] ?? null;
  }
}

/** python's order of `max(ivals, key=(err, a))`, and of min. */
const larger = (p: PlanIval, q: PlanIval): boolean => {
  const kp = errKey(p.err);
  const kq = errKey(q.err);
  return kp > kq || (kp === kq && p.a > q.a);
};
const smaller = (p: PlanIval, q: PlanIval): boolean => {
  const kp = errKey(p.err);
  const kq = errKey(q.err);
  return kp < kq || (kp === kq && p.a < q.a);
};

interface Plan {
  points: number[];
  imps: number[];
  fills: number;
  found: boolean;
}

/**
 * Integrates a function of one variable to a relative tolerance by adaptive Clenshaw–Curtis
 * quadrature (CQUAD). Points are the nodes of its intervals; `igral` and `err` are the
 * current estimate and its error, and `done()` says when the tolerance is met.
 *
 * @example
 * const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-10 });
 * while (!learner.done()) {
 *   const [x] = learner.ask(1).points as [number];
 *   learner.tell(x, Math.exp(-x * x));
 * }
 * learner.npoints; // 33
 * learner.igral; // 0.7468241328124268 (erf(1)·√π/2 = 0.74682413281242702…)
 */
export class IntegratorLearner implements Learner<number, number> {
  /** The interval of integration. */
  readonly bounds: readonly [number, number];
  /** The relative tolerance. */
  readonly tol: number;
  /** Most intervals refined at once. */
  readonly maxIvals: number;

  private readonly C: CquadCoefficients;
  private readonly xi3: Float64Array;
  private ivals: Interval[] = [];
  private first: Interval;
  private tieMax: TieKeys = { tie: new Float64Array(16) };
  private tieMin: TieKeys = { tie: new Float64Array(16) };
  /** Active intervals by (err, a), largest first (python's `max(ivals, key=(err, a))`). */
  private qMax = new IndexedHeap(this.tieMax);
  /** Active intervals by (err, a), smallest first. */
  private qMin = new IndexedHeap(this.tieMin);
  /** Intervals to split because refining them did not converge, last in first out. */
  private priority: Interval[] = [];

  // Nodes: x, value, state, and the list of (interval, node index) entries of each node in
  // order of rdepth (python's x_mapping), linked in typed arrays.
  private nNodes = 0;
  private nodeX = new Float64Array(64);
  private nodeY = new Float64Array(64);
  private nodeState = new Uint8Array(64);
  private nodeHead = new Int32Array(64);
  private nEntries = 0;
  private entIval = new Int32Array(128);
  private entIdx = new Uint8Array(128);
  private entNext = new Int32Array(128);
  private index = new FloatMap();
  private nTold = 0;

  /** Node ids waiting to be handed out (python's `_stack`); stale entries are skipped. */
  private queue = new Int32Array(64);
  private qHead = 0;
  private qTail = 0;
  /** Node ids handed out and not yet told, in the order handed out. */
  private pending = new Set<number>();

  private divergence: Interval | null = null;
  /** Children found at machine precision while their parent completes (see recheckChild). */
  private lateRemovals: Interval[] = [];
  private dirty = true;
  private sumIgral = 0;
  private sumErr = INF;
  // Values enter the intervals times 2^vsExp: 0, or VS_EXP once a finite value above
  // VS_HUGE is told, so sums of values near ±MAX_VALUE do not overflow into Inf − Inf = NaN.
  // Scaling by a power of 2 is exact: the estimates are those at scale 1, bit for bit.
  private vsExp = 0;
  private vs = 1;
  // The estimates and errors (width × values) are held times 2^wsExp: 0, or −wExp (the bounds'
  // width is below 2^wExp) once a value whose held magnitude is above VS_HUGE / 2^wExp is
  // told, so an integral past Number.MAX_VALUE (bounds [0, 1e236], values 1.8e73) is held as
  // a double and the loss keeps moving (it stayed Infinity, issue 13). Exact, as vs.
  private wsExp = 0;
  private ws = 1;
  private readonly wExp: number;
  // The sums over the intervals where f has a finite value (what done() tests).
  private doneIgral = 0;
  private doneErr = INF;
  private sumExcess = 0;
  private approx: Interval[] = [];

  // Scratch for the coefficients.
  private readonly fxs = new Float64Array(33);
  private readonly cOld = new Float64Array(33);

  constructor(options: IntegratorLearnerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'IntegratorLearner: options must be an object with bounds and tol, e.g. { bounds: [0, 1], tol: 1e-8 }',
      );
    }
    checkOptionKeys('IntegratorLearner', options, OPTION_KEYS);
    const b = options.bounds as unknown;
    if (
      !Array.isArray(b) ||
      b.length !== 2 ||
      typeof b[0] !== 'number' ||
      typeof b[1] !== 'number' ||
      !Number.isFinite(b[0]) ||
      !Number.isFinite(b[1]) ||
      !(b[0] < b[1])
    ) {
      throw new RangeError(
        `IntegratorLearner: bounds must be finite and increasing, got ${describe(b)}`,
      );
    }
    const tol = options.tol as unknown;
    if (typeof tol !== 'number' || !(tol > 0) || !Number.isFinite(tol)) {
      throw new RangeError(
        `IntegratorLearner: tol must be a positive finite number (a relative tolerance, e.g. 1e-8), got ${describe(tol)}`,
      );
    }
    const maxIvals = (options.maxIvals as unknown) ?? 1000;
    if (typeof maxIvals !== 'number' || !Number.isInteger(maxIvals) || maxIvals < 1) {
      throw new RangeError(
        `IntegratorLearner: maxIvals must be a positive integer, got ${describe(maxIvals)}`,
      );
    }
    if (b[1] - b[0] === INF) {
      throw new RangeError(
        `IntegratorLearner: the width of the bounds ${describe(b)} overflows (b - a is Infinity, above Number.MAX_VALUE); give bounds whose width b - a is at most ${Number.MAX_VALUE}`,
      );
    }
    this.bounds = [b[0] + 0, b[1] + 0];
    const width = b[1] - b[0];
    this.wExp = width > 1 ? Math.ceil(Math.log2(width)) : 0;
    this.tol = tol;
    this.maxIvals = maxIvals;
    this.C = cquadCoefficients();
    this.xi3 = this.C.xi[3] as Float64Array;
    // The rule of 33 nodes must fit: adjacent nodes at least 16 ulp apart (the spacing
    // below which an interval is too narrow to refine). Narrower bounds, like
    // [1e15, 1e15 + 1] (8 doubles between them), would end with no estimate at all.
    if (
      tooClose(this.nodeAt(b[0], b[1], 0), this.nodeAt(b[0], b[1], 1)) ||
      tooClose(this.nodeAt(b[0], b[1], 31), this.nodeAt(b[0], b[1], 32))
    ) {
      throw new RangeError(
        `IntegratorLearner: the bounds ${describe(b)} hold too few representable numbers for the 33 nodes of the quadrature rule (adjacent nodes must be at least 16 ulp apart; width ${b[1] - b[0]} at magnitude ${Math.max(Math.abs(b[0]), Math.abs(b[1]))}); integrate over wider bounds, or shift the variable towards 0`,
      );
    }
    this.nodeHead.fill(-1);
    this.first = this.newInterval(this.bounds[0], this.bounds[1], 2, 1, null, 0, FLOAT_MAX);
    this.addInterval(this.first, false);
  }

  // ---------------------------------------------------------------- read-outs

  /** Number of evaluated points. */
  get npoints(): number {
    return this.nTold;
  }

  /** Points handed out by `ask` (or told pending) and not yet told, in the order handed out. */
  get pendingPoints(): number[] {
    const out: number[] = [];
    for (const id of this.pending) out.push(this.nodeX[id] as number);
    return out;
  }

  /**
   * The integral estimate: the sum over the approximating intervals (0 before any is
   * complete); NaN when f has no finite value on one of them (f = NaN or ±Infinity on a
   * whole interval: the integral is unknown). O(k log k) after a change, k intervals.
   */
  get igral(): number {
    this.sums();
    return this.sumIgral / this.ws / this.vs;
  }

  /** The estimated absolute error of {@link igral}; +Infinity before any interval is complete, NaN with igral. */
  get err(): number {
    this.sums();
    return this.sumErr / this.ws / this.vs;
  }

  /** The divergence found, if any: the interval where the estimate kept growing. */
  get divergentInterval(): readonly [number, number] | null {
    const d = this.divergence;
    return d === null ? null : [d.a, d.b];
  }

  /**
   * Whether the integral is known to the tolerance: `err` is 0, or `err < |igral|·tol`, or
   * the error left is that of intervals at machine precision, or nothing is left to refine.
   * Intervals where f has no finite value at all are left out of this test: they make
   * `igral` and `err` NaN (the integral is unknown there), and `done()` can then be true
   * with igral NaN: refining would not change that. Check `Number.isNaN(learner.igral)`.
   */
  done(): boolean {
    this.sums();
    const err = this.doneErr;
    const t = Math.abs(this.doneIgral) * this.tol;
    return (
      err === 0 ||
      err < t ||
      (err - this.sumExcess < t && t < this.sumExcess) ||
      this.qMax.size === 0
    );
  }

  /**
   * `| |igral|·tol − err |`, as python-adaptive (not monotone: use {@link done} as the goal).
   * Pending points do not enter, so `real` makes no difference. Never NaN (+Infinity instead).
   */
  loss(_options?: LossOptions): number {
    this.sums();
    const l = Math.abs(Math.abs(this.sumIgral) * this.tol - this.sumErr) / this.ws / this.vs;
    return Number.isNaN(l) ? INF : l;
  }

  /** The intervals whose estimates make up `igral` and `err`, in order of `a`. O(k log k). */
  approximatingIntervals(): IntegratorInterval[] {
    this.sums();
    return this.approx.map((iv) => ({
      a: iv.a,
      b: iv.b,
      depth: iv.depthComplete,
      rdepth: iv.rdepth,
      igral: iv.igral / this.ws / this.vs,
      err: iv.err / this.ws / this.vs,
      removed: iv.removed,
    }));
  }

  /** The number of intervals that may still be refined. */
  get nActiveIntervals(): number {
    return this.qMax.size;
  }

  private sums(): void {
    if (!this.dirty) return;
    const leaves = this.first.doneLeaves;
    const list = leaves === null ? [] : [...leaves];
    list.sort((p, q) => p.a - q.a || p.b - q.b);
    let igral = 0;
    let err = 0;
    let excess = 0;
    let unknown = false;
    for (const iv of list) {
      if (Number.isNaN(iv.igral)) {
        unknown = true; // no finite value of f there: left out of the test of done()
        continue;
      }
      igral += iv.igral;
      err += iv.err;
      if (iv.removed) excess += iv.err;
    }
    this.approx = list;
    this.doneIgral = igral;
    this.doneErr = list.length === 0 || err > FLOAT_MAX ? INF : err;
    this.sumIgral = unknown ? Number.NaN : igral;
    this.sumErr = unknown ? Number.NaN : this.doneErr;
    this.sumExcess = excess;
    this.dirty = false;
  }

  // ---------------------------------------------------------------- nodes and intervals

  /**
   * Node j (of 33) of [a, b]: python's `(a + b)/2 + (b − a)·xi/2`, kept inside the bounds
   * (rounding can put an end node one ulp outside them, e.g. 0.09999999999999998 for
   * a = 0.1: `tell` would refuse it). The midpoint is a/2 + b/2 when a + b overflows (the
   * same value otherwise: halving is exact).
   */
  private nodeAt(a: number, b: number, j: number): number {
    let m = (a + b) / 2;
    if (m === INF || m === -INF) m = a / 2 + b / 2;
    const x = m + ((b - a) * (this.xi3[j] as number)) / 2;
    const lo = this.bounds[0];
    const hi = this.bounds[1];
    if (x < lo) return lo;
    return Math.min(x, hi);
  }

  private newInterval(
    a: number,
    b: number,
    depth: number,
    rdepth: number,
    parent: Interval | null,
    ndiv: number,
    err: number,
  ): Interval {
    const id = this.ivals.length;
    const iv = new Interval(id, a, b, depth, rdepth, parent, ndiv, err);
    this.ivals.push(iv);
    if (id >= this.tieMax.tie.length) {
      const cap = this.tieMax.tie.length * 2;
      const tMax = new Float64Array(cap);
      tMax.set(this.tieMax.tie);
      const tMin = new Float64Array(cap);
      tMin.set(this.tieMin.tie);
      this.tieMax.tie = tMax;
      this.tieMin.tie = tMin;
    }
    // Equal errors: python's max over (err, a) takes the larger a, its min the smaller.
    this.tieMax.tie[id] = -a;
    this.tieMin.tie[id] = a;
    return iv;
  }

  private activate(iv: Interval): void {
    iv.active = true;
    const k = errKey(iv.err);
    this.qMax.set(iv.id, k);
    this.qMin.set(iv.id, -k);
  }

  private deactivate(iv: Interval): void {
    if (!iv.active) return;
    iv.active = false;
    this.qMax.delete(iv.id);
    this.qMin.delete(iv.id);
  }

  private setErr(iv: Interval, err: number): void {
    iv.err = err;
    this.dirty = true;
    if (iv.active) {
      const k = errKey(err);
      this.qMax.set(iv.id, k);
      this.qMin.set(iv.id, -k);
    }
  }

  private newNode(x: number, state: number): number {
    const id = this.nNodes++;
    if (id >= this.nodeX.length) {
      const cap = this.nodeX.length * 2;
      const x2 = new Float64Array(cap);
      x2.set(this.nodeX);
      this.nodeX = x2;
      const y2 = new Float64Array(cap);
      y2.set(this.nodeY);
      this.nodeY = y2;
      const s2 = new Uint8Array(cap);
      s2.set(this.nodeState);
      this.nodeState = s2;
      const h2 = new Int32Array(cap).fill(-1);
      h2.set(this.nodeHead);
      this.nodeHead = h2;
    }
    this.nodeX[id] = x;
    this.nodeState[id] = state;
    this.nodeHead[id] = -1;
    this.index.set(x, id);
    return id;
  }

  /** Adds (iv, j) to the node's entries after the last entry of equal or smaller rdepth. */
  private addEntry(node: number, iv: Interval, j: number): void {
    const e = this.nEntries++;
    if (e >= this.entIval.length) {
      const cap = this.entIval.length * 2;
      const i2 = new Int32Array(cap);
      i2.set(this.entIval);
      this.entIval = i2;
      const j2 = new Uint8Array(cap);
      j2.set(this.entIdx);
      this.entIdx = j2;
      const n2 = new Int32Array(cap);
      n2.set(this.entNext);
      this.entNext = n2;
    }
    this.entIval[e] = iv.id;
    this.entIdx[e] = j;
    let prev = -1;
    let cur = this.nodeHead[node] as number;
    while (cur >= 0 && (this.ivals[this.entIval[cur] as number] as Interval).rdepth <= iv.rdepth) {
      prev = cur;
      cur = this.entNext[cur] as number;
    }
    this.entNext[e] = cur;
    if (prev < 0) this.nodeHead[node] = e;
    else this.entNext[prev] = e;
  }

  private enqueue(node: number): void {
    if (this.qTail === this.queue.length) {
      const live = this.qTail - this.qHead;
      if (this.qHead > 0 && live * 2 <= this.queue.length) {
        this.queue.copyWithin(0, this.qHead, this.qTail);
      } else {
        const q2 = new Int32Array(this.queue.length * 2);
        q2.set(this.queue.subarray(this.qHead, this.qTail));
        this.queue = q2;
      }
      this.qHead = 0;
      this.qTail = live;
    }
    this.queue[this.qTail++] = node;
  }

  /**
   * Switches to working on values times 2^VS_EXP: everything an interval holds that is
   * linear in the values (values, coefficients, estimate, error) is scaled once. O(k).
   */
  private scaleValues(): void {
    const f = 2 ** VS_EXP;
    this.vsExp = VS_EXP;
    this.vs = f;
    for (const iv of this.ivals) {
      for (let j = 0; j < 33; j++) if (iv.known[j] === 1) iv.fx[j] = (iv.fx[j] as number) * f;
      if (iv.c !== null) for (let k = 0; k < iv.c.length; k++) iv.c[k] = (iv.c[k] as number) * f;
      iv.c00 *= f;
      iv.igral *= f;
      this.setErr(iv, iv.err * f);
    }
    this.dirty = true;
  }

  /**
   * Switches to holding the estimates and errors times 2^−wExp (see wsExp): every interval's
   * igral and err are scaled once. O(k).
   */
  private scaleIntegrals(): void {
    this.wsExp = -this.wExp;
    const f = 2 ** this.wsExp;
    this.ws = f;
    for (const iv of this.ivals) {
      iv.igral *= f;
      this.setErr(iv, iv.err * f);
    }
    this.dirty = true;
  }

  /** Registers the value of node j of iv. */
  private know(iv: Interval, j: number, y: number): void {
    if (iv.known[j] === 1) return;
    iv.known[j] = 1;
    iv.fx[j] = y * this.vs;
    for (let d = LEVEL[j] as number; d < 4; d++) iv.nknown[d] = (iv.nknown[d] as number) + 1;
  }

  /**
   * python's `add_ival`: makes iv active and registers its nodes at its depth (only the new
   * ones after a refinement). Unknown nodes join the queue; known values complete the rule
   * when they are all there.
   */
  private addInterval(iv: Interval, refined: boolean): void {
    if (!iv.active) this.activate(iv);
    const d = iv.depth;
    const stride = STRIDE[d] as number;
    let told = false;
    for (let j = 0; j < 33; j += stride) {
      if (refined && LEVEL[j] !== d) continue;
      const x = this.nodeAt(iv.a, iv.b, j);
      let node = this.index.get(x);
      if (node < 0) {
        node = this.newNode(x, QUEUED);
        this.enqueue(node);
      }
      this.addEntry(node, iv, j);
      if (this.nodeState[node] === TOLD) {
        this.know(iv, j, this.nodeY[node] as number);
        told = true;
      }
    }
    if (told) this.processInterval(iv);
  }

  // ---------------------------------------------------------------- CQUAD

  private shiftMatrix(iv: Interval): Matrix {
    return iv.a === (iv.parent as Interval).a ? this.C.Tleft : this.C.Tright;
  }

  /** `T[:, :k] @ c` for the child iv of the parent with coefficients c (length k), into cOld. */
  private shifted(iv: Interval, c: Float64Array): Float64Array {
    const T = this.shiftMatrix(iv).data;
    const k = c.length;
    const out = this.cOld;
    for (let r = 0; r < 33; r++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (T[r * 33 + q] as number) * (c[q] as number);
      out[r] = s;
    }
    return out;
  }

  /** The coefficients of the rule of `depth` of iv (python's `_calc_coeffs`). */
  private coefficients(iv: Interval, depth: number): Float64Array {
    const n = NS[depth] as number;
    const stride = STRIDE[depth] as number;
    const f = this.fxs;
    for (let i = 0; i < n; i++) f[i] = iv.fx[i * stride] as number;
    return interpolationCoefficients(f.subarray(0, n), depth);
  }

  /** The 2-norm, scaled when the squares could over- or underflow. */
  private static norm(v: ArrayLike<number>, n: number): number {
    let s = 0;
    let big = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(v[i] as number);
      if (a > big) big = a;
      s += (v[i] as number) * (v[i] as number);
    }
    if (!Number.isFinite(big)) return big; // Infinity or NaN
    if (big === 0 || (s < INF && s > 1e-290)) return Math.sqrt(s);
    let t = 0;
    for (let i = 0; i < n; i++) {
      const r = (v[i] as number) / big;
      t += r * r;
    }
    return big * Math.sqrt(t);
  }

  /** python's `calc_err`: err = (b − a)·‖c_old − c‖; incomplete children get half of it. */
  private calcErr(iv: Interval, cOld: ArrayLike<number>, lenOld: number): number {
    const c = iv.c as Float64Array;
    const len = Math.max(lenOld, c.length);
    const diff = this.fxs;
    for (let k = 0; k < len; k++) {
      const o = k < lenOld ? (cOld[k] as number) : 0;
      diff[k] = k < c.length ? o - (c[k] as number) : o;
    }
    const cdiff = IntegratorLearner.norm(diff, len);
    this.setErr(iv, (iv.b - iv.a) * this.ws * cdiff);
    for (const child of iv.children) {
      if (child.depthComplete < 0) this.heuristicErr(child, iv.err / 2);
    }
    return cdiff;
  }

  /** python's `update_heuristic_err`: an error guess for intervals whose own is unknown. */
  private heuristicErr(iv: Interval, value: number): void {
    this.setErr(iv, value);
    for (const child of iv.children) {
      if (child.depthComplete >= 1 || (child.depthComplete === 0 && iv.depthComplete >= 0)) {
        continue;
      }
      this.heuristicErr(child, value / 2);
    }
  }

  /** The error of a child at depth 0 from its parent's coefficients. */
  private childErr(child: Interval, parent: Interval): void {
    const pc = parent.c as Float64Array;
    this.calcErr(child, this.shifted(child, pc), 33);
  }

  /**
   * A child complete at depth 0 gets its error from a (finer) rule of its parent that
   * completed after it. Its machine-precision test is redone with that error, as it would
   * have been had the parent completed first (python-adaptive keeps the earlier verdict).
   */
  private recheckChild(child: Interval, parent: Interval): void {
    this.childErr(child, parent);
    const floor = Math.abs(child.igral) * EPS * (this.C.Vcond[0] as number);
    if (!child.removed && child.err < floor) this.lateRemovals.push(child);
  }

  /** python's `calc_ndiv`: counts splits in which the estimate more than doubled. */
  private calcNdiv(iv: Interval): void {
    const pc00 = (iv.parent as Interval).c00;
    // ≥ 2, where python-adaptive has > 2: near a singularity |x|^-p the ratio is 2^p, so
    // the divergent integrals are those with ratio ≥ 2; 1/x gives exactly 2 (its nodes and
    // values scale by powers of 2) and python-adaptive never flags it.
    const div = pc00 !== 0 && iv.c00 / pc00 >= 2;
    if (div) iv.ndiv++;
    this.checkDivergence(iv);
    if (div) for (const child of iv.children) this.ndivUp(child);
  }

  private ndivUp(iv: Interval): void {
    iv.ndiv++;
    this.checkDivergence(iv);
    for (const child of iv.children) this.ndivUp(child);
  }

  private checkDivergence(iv: Interval): void {
    if (this.divergence === null && iv.ndiv > NDIV_MAX && 2 * iv.ndiv > iv.rdepth) {
      this.divergence = iv;
    }
  }

  /**
   * python's `complete_process`: the rule of `depth` of iv has all its values. Computes the
   * coefficients, the estimate and its error, and hands the estimate up the tree (done
   * leaves). Returns FORCE when refining did not converge, REMOVE at machine precision.
   */
  private completeProcess(iv: Interval, depth: number): number {
    iv.depthComplete = depth;
    this.dirty = true;
    const first = iv.parent === null && depth === 2;
    const old = depth > 0 && !first ? iv.c : null;
    iv.c = this.coefficients(iv, depth);
    if (first) {
      iv.c00 = 0;
      // Children that finished before the first rule did get their errors from it now, as
      // they would have had it completed first.
      for (const child of iv.children) if (child.depthComplete === 0) this.recheckChild(child, iv);
      return 0;
    }
    iv.igral = ((iv.b - iv.a) * this.ws * (iv.c[0] as number)) / SQRT2;
    let flags = 0;
    if (depth > 0) {
      const o = old as Float64Array;
      const cdiff = this.calcErr(iv, o, o.length);
      if (cdiff > HINT * IntegratorLearner.norm(iv.c, iv.c.length)) flags |= FORCE;
      // Children that finished before this rule did: their errors from the finer rule.
      for (const child of iv.children) if (child.depthComplete === 0) this.recheckChild(child, iv);
    } else {
      iv.c00 = iv.c[0] as number;
      const parent = iv.parent as Interval;
      if (parent.depthComplete >= 0) {
        this.childErr(iv, parent);
        this.calcNdiv(iv);
      }
      for (const child of iv.children) {
        if (child.depthComplete >= 0) this.calcNdiv(child);
        if (child.depthComplete === 0) this.recheckChild(child, iv);
      }
    }

    if (iv.doneLeaves !== null && iv.doneLeaves.size === 0) {
      // This interval now stands for itself; hand it up while all siblings have estimates.
      iv.doneLeaves = new Set([iv]);
      const ancestors = new Set<Interval>();
      for (let p = iv.parent; p !== null; p = p.parent) {
        if (p.precise) break; // a rule at machine precision is not replaced by coarser ones
        let ready = true;
        for (const ch of p.children) {
          if (ch.doneLeaves !== null && ch.doneLeaves.size === 0) ready = false;
        }
        if (!ready) break;
        if (p.doneLeaves === null) p.doneLeaves = new Set();
        ancestors.add(p);
        for (const ch of p.children) {
          if (ch.doneLeaves === null) continue;
          for (const leaf of ch.doneLeaves) p.doneLeaves.add(leaf);
          ch.doneLeaves = null;
        }
        for (const o of ancestors) p.doneLeaves.delete(o);
      }
    }
    const C = this.C.Vcond[depth] as number;
    if (iv.err < Math.abs(iv.igral) * EPS * C) flags |= REMOVE;
    // No finite value in this rule: its estimate is NaN, and refining would only find more
    // of the same; it stands alone with NaN, so igral and err say that f is not integrable
    // here (python-adaptive reports 0 ± 0 and claims convergence).
    if (Number.isNaN(iv.igral)) flags |= REMOVE;
    return flags;
  }

  /** python's per-interval step of `tell`: processes every rule of iv that is now complete. */
  private processInterval(iv: Interval): void {
    const start = iv.depthComplete >= 0 ? iv.depthComplete + 1 : iv.parent !== null ? 0 : 2;
    for (let d = start; d <= iv.depth; d++) {
      if (iv.nknown[d] !== NS[d]) break;
      const flags = this.completeProcess(iv, d);
      if ((flags & REMOVE) !== 0) {
        this.standAlone(iv);
        this.removeTree(iv);
      } else if ((flags & FORCE) !== 0 && iv.children.length === 0 && iv.active) {
        this.priority.push(iv);
      }
      while (this.lateRemovals.length > 0) {
        const child = this.lateRemovals.pop() as Interval;
        if (child.removed) continue;
        this.standAlone(child);
        this.removeTree(child);
      }
    }
  }

  /**
   * iv reached machine precision: its estimate replaces those of its descendants in the
   * integral (python-adaptive lets the descendants' coarser estimates replace it when they
   * were asked before iv was complete, its issue #96). The leaves of iv's subtree are held
   * by the lowest of iv and its ancestors whose `doneLeaves` is not null.
   */
  private standAlone(iv: Interval): void {
    iv.precise = true;
    for (let p = iv.parent; p !== null; p = p.parent) if (p.precise) return; // already stood for
    let holder: Interval | null = iv;
    while (holder !== null && holder.doneLeaves === null) holder = holder.parent;
    const set = holder?.doneLeaves;
    if (set === undefined || set === null) return;
    for (const leaf of [...set]) {
      if (leaf === iv) continue;
      let q = leaf.parent;
      while (q !== null && q !== iv) q = q.parent;
      if (q === iv) set.delete(leaf);
    }
    set.add(iv);
    this.dirty = true;
  }

  /** python's `propagate_removed`: iv and its descendants are at machine precision. */
  private removeTree(iv: Interval): void {
    const stack = [iv];
    this.dirty = true;
    while (stack.length > 0) {
      const t = stack.pop() as Interval;
      t.removed = true;
      this.deactivate(t);
      for (const ch of t.children) stack.push(ch);
    }
  }

  /**
   * python's `_fill_stack`: refines or splits the interval with the largest error (or the
   * last one whose refinement did not converge), queueing the new nodes. Returns false when
   * no interval is left.
   */
  private fill(): boolean {
    let iv: Interval | null = null;
    let force = false;
    while (this.priority.length > 0) {
      const p = this.priority.pop() as Interval;
      if (p.active && p.children.length === 0) {
        iv = p;
        force = true;
        break;
      }
    }
    if (iv === null) {
      const top = this.qMax.peek();
      if (top < 0) return false;
      iv = this.ivals[top] as Interval;
    }
    const s = STRIDE[iv.depth] as number;
    const { a, b } = iv;
    if (
      tooClose(this.nodeAt(a, b, 0), this.nodeAt(a, b, s)) ||
      tooClose(this.nodeAt(a, b, 32 - s), this.nodeAt(a, b, 32))
    ) {
      // Too narrow for float: its error counts as excess in done(), as in algorithm 4
      // (python-adaptive's learner forgets it, and never finishes when that error matters).
      this.deactivate(iv);
      iv.removed = true;
      this.dirty = true;
    } else if (iv.depth === 3 || force) {
      this.deactivate(iv);
      const m = this.nodeAt(a, b, 16);
      const left = this.newInterval(a, m, 0, iv.rdepth + 1, iv, iv.ndiv, iv.err / 2);
      const right = this.newInterval(m, b, 0, iv.rdepth + 1, iv, iv.ndiv, iv.err / 2);
      iv.children = [left, right];
      this.addInterval(left, false);
      this.addInterval(right, false);
    } else {
      iv.depth++;
      this.addInterval(iv, true);
    }
    if (this.qMax.size > this.maxIvals) this.deactivate(this.ivals[this.qMin.peek()] as Interval);
    return true;
  }

  /** The largest error among the intervals that have node `node` (the loss improvement of asking it). */
  private improvement(node: number): number {
    let best = Number.NEGATIVE_INFINITY;
    for (let e = this.nodeHead[node] as number; e >= 0; e = this.entNext[e] as number) {
      const k = errKey((this.ivals[this.entIval[e] as number] as Interval).err);
      if (k > best) best = k;
    }
    return best;
  }

  // ---------------------------------------------------------------- planning

  /**
   * The points the next asks would hand out, without changing anything: the queue, then
   * python's `_fill_stack` replayed on copies of the intervals it touches (the real ones
   * are read through the heaps' ordered walks). With `target` (tellPending), plans until
   * that point appears, up to LOOKAHEAD points. Returns null when a planned interval would
   * complete at once from known values (nodes shared with told points): the caller then
   * replays on a copy of the learner.
   */
  private plan(n: number, target: number): Plan | null {
    const points: number[] = [];
    const imps: number[] = [];
    const searching = !Number.isNaN(target);
    if (!searching) {
      for (let i = this.qHead; i < this.qTail && points.length < n; i++) {
        const node = this.queue[i] as number;
        if (this.nodeState[node] !== QUEUED) continue;
        points.push(this.nodeX[node] as number);
        imps.push(this.improvement(node));
      }
      if (points.length >= n) return { points, imps, fills: 0, found: false };
    }
    const shadows = new Map<Interval, PlanIval>();
    const maxHeap = new PlanHeap(larger);
    const minHeap = new PlanHeap(smaller);
    const add = (p: PlanIval): void => {
      maxHeap.push(p);
      minHeap.push(p);
    };
    const fresh = new Map<number, number>(); // planned new node x → improvement
    let active = this.qMax.size;
    let pp = this.priority.length;
    let fills = 0;
    let nPlanned = 0;
    const ivals = this.ivals;
    const shadow = (iv: Interval): PlanIval => {
      let s = shadows.get(iv);
      if (s === undefined) {
        s = {
          a: iv.a,
          b: iv.b,
          depth: iv.depth,
          rdepth: iv.rdepth,
          err: iv.err,
          active: iv.active,
          split: iv.children.length > 0,
        };
        shadows.set(iv, s);
        add(s);
      }
      return s;
    };
    // The heaps' ordered walks, skipping intervals the plan has already touched.
    this.qMax.rewind();
    this.qMin.rewind();
    let headMax = this.qMax.next();
    let headMin = this.qMin.next();
    const realMax = (): Interval | null => {
      while (headMax >= 0 && shadows.has(ivals[headMax] as Interval)) headMax = this.qMax.next();
      return headMax >= 0 ? (ivals[headMax] as Interval) : null;
    };
    const realMin = (): Interval | null => {
      while (headMin >= 0 && shadows.has(ivals[headMin] as Interval)) headMin = this.qMin.next();
      return headMin >= 0 ? (ivals[headMin] as Interval) : null;
    };
    let allTold = false;
    let order: number[] = []; // the new nodes of the current fill, in python's stack order
    const register = (p: PlanIval, onlyNew: boolean): void => {
      const d = p.depth;
      const stride = STRIDE[d] as number;
      let told = 0;
      for (let j = 0; j < 33; j += stride) {
        const x = this.nodeAt(p.a, p.b, j);
        const node = this.index.get(x);
        if (node >= 0) {
          if (this.nodeState[node] === TOLD) told++;
          continue;
        }
        if (onlyNew && LEVEL[j] !== d) continue;
        const imp = fresh.get(x);
        if (imp === undefined) {
          fresh.set(x, errKey(p.err));
          order.push(x);
        } else if (errKey(p.err) > imp) fresh.set(x, errKey(p.err));
      }
      if (told === NS[d]) allTold = true;
    };
    while (searching ? nPlanned < LOOKAHEAD : points.length < n) {
      // Pick (python's _fill_stack).
      let p: PlanIval | null = null;
      let force = false;
      while (pp > 0) {
        const r = this.priority[--pp] as Interval;
        const s = shadows.get(r);
        if (s === undefined ? r.active && r.children.length === 0 : s.active && !s.split) {
          p = shadow(r);
          force = true;
          break;
        }
      }
      if (p === null) {
        const r = realMax();
        const v = maxHeap.peek();
        if (r === null && v === null) break;
        if (
          v === null ||
          (r !== null &&
            (errKey(r.err) > errKey(v.err) || (errKey(r.err) === errKey(v.err) && r.a > v.a)))
        ) {
          p = shadow(r as Interval);
        } else p = v;
      }
      fills++;
      order = [];
      const s = STRIDE[p.depth] as number;
      const { a, b } = p;
      if (
        tooClose(this.nodeAt(a, b, 0), this.nodeAt(a, b, s)) ||
        tooClose(this.nodeAt(a, b, 32 - s), this.nodeAt(a, b, 32))
      ) {
        p.active = false;
        active--;
      } else if (p.depth === 3 || force) {
        p.active = false;
        p.split = true;
        const m = this.nodeAt(a, b, 16);
        const mk = (lo: number, hi: number): PlanIval => ({
          a: lo,
          b: hi,
          depth: 0,
          rdepth: p.rdepth + 1,
          err: p.err / 2,
          active: true,
          split: false,
        });
        const left = mk(a, m);
        const right = mk(m, b);
        add(left);
        add(right);
        active++;
        register(left, false);
        register(right, false);
      } else {
        p.depth++;
        register(p, true);
      }
      if (allTold) return null;
      if (active > this.maxIvals) {
        const r = realMin();
        const v = minHeap.peek();
        if (
          v === null ||
          (r !== null &&
            (errKey(r.err) < errKey(v.err) || (errKey(r.err) === errKey(v.err) && r.a < v.a)))
        ) {
          shadow(r as Interval).active = false;
        } else v.active = false;
        active--;
      }
      nPlanned += order.length;
      if (searching) {
        if (fresh.has(target)) return { points, imps, fills, found: true };
      } else {
        for (const x of order) {
          if (points.length >= n) break;
          points.push(x);
          imps.push(fresh.get(x) as number);
        }
      }
    }
    return { points, imps, fills, found: false };
  }

  /** A deep copy (through the snapshot), for the rare plans that need real processing. */
  private copy(): IntegratorLearner {
    const c = new IntegratorLearner({
      bounds: this.bounds,
      tol: this.tol,
      maxIvals: this.maxIvals,
    });
    c.restore(this.snapshot());
    return c;
  }

  // ---------------------------------------------------------------- validation

  private checkX(x: unknown, what: string): number {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(
        `IntegratorLearner.${what}: the point must be a finite number, got ${describe(x)}`,
      );
    }
    if (x < this.bounds[0] || x > this.bounds[1]) {
      throw new RangeError(
        `IntegratorLearner.${what}: point ${x} is outside the bounds [${this.bounds[0]}, ${this.bounds[1]}]`,
      );
    }
    return x + 0;
  }

  private nodeOf(x: number, what: string): number {
    const node = this.index.get(x);
    if (node < 0) {
      throw new RangeError(
        `IntegratorLearner.${what}: point ${x} is not a node of any interval; tell only points the learner handed out (ask) or nodes of its intervals`,
      );
    }
    return node;
  }

  private checkY(x: number, y: unknown, what: string): number {
    if (typeof y !== 'number') {
      throw new TypeError(
        `IntegratorLearner.${what}: value at x=${x} must be a number (NaN and ±Infinity are allowed), got ${describe(y)}`,
      );
    }
    return y;
  }

  // ---------------------------------------------------------------- protocol

  /**
   * Returns the next `n` points and, for each, the largest error among the intervals it
   * belongs to (python-adaptive's loss improvement). The queue of nodes comes first; when
   * it is empty the interval with the largest error is refined or split. Fewer than `n`
   * points when no interval is left (then `done()` is true). With `tellPending: false` the
   * learner is left exactly as it was (the points are planned, not taken). O(n log k).
   * @throws RangeError when n is not a non-negative integer, or would make the learner hold
   *   more than 2^24 points; DivergentIntegralError once the integral was found to diverge.
   */
  ask(n: number, options?: AskOptions): AskResult<number> {
    const tellPending = checkAsk('IntegratorLearner.ask', n, options);
    if (n === 0) return { points: [], lossImprovements: [] };
    checkAskLimit('IntegratorLearner.ask', n, this.nTold + this.pending.size, MAX_POINTS);
    const div = this.divergence;
    if (div !== null) throw new DivergentIntegralError(div.a, div.b);
    if (!tellPending) {
      const p = this.plan(n, Number.NaN);
      if (p !== null) return { points: p.points, lossImprovements: p.imps };
      return this.copy().ask(n);
    }
    const points: number[] = [];
    const imps: number[] = [];
    this.popQueue(n, points, imps);
    while (points.length < n) {
      if (!this.fill()) break;
      this.popQueue(n, points, imps);
    }
    return { points, lossImprovements: imps };
  }

  private popQueue(n: number, points: number[], imps: number[]): void {
    while (points.length < n && this.qHead < this.qTail) {
      const node = this.queue[this.qHead++] as number;
      if (this.nodeState[node] !== QUEUED) continue;
      this.nodeState[node] = PENDING;
      this.pending.add(node);
      points.push(this.nodeX[node] as number);
      imps.push(this.improvement(node));
    }
  }

  /**
   * Tells the value `y` at the node `x`. A point told before is ignored (its first value
   * stays). NaN and ±Infinity are legal: such values are dropped from the interpolants
   * (down-dating). O(intervals of x) plus the work of the rules that complete.
   * @throws TypeError/RangeError naming the point when x is not a finite number in the
   *   bounds, is no node of the learner's intervals, or y is not a number; the learner is
   *   then unchanged. DivergentIntegralError when this value reveals a divergent integral
   *   (the value is taken in first).
   */
  tell(x: number, y: number): void {
    const xx = this.checkX(x, 'tell');
    const node = this.nodeOf(xx, 'tell');
    const yy = this.checkY(xx, y, 'tell');
    const before = this.divergence;
    this.tellNode(node, yy);
    this.reportDivergence(before);
  }

  /**
   * Tells many points; all are validated first (a bad one leaves the learner unchanged),
   * then told in order.
   */
  tellMany(xs: readonly number[], ys: readonly number[]): void {
    if (!Array.isArray(xs) || !Array.isArray(ys)) {
      throw new TypeError('IntegratorLearner.tellMany: points and values must be arrays');
    }
    if (xs.length !== ys.length) {
      throw new RangeError(
        `IntegratorLearner.tellMany: ${xs.length} points but ${ys.length} values`,
      );
    }
    const nodes = new Int32Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      const x = this.checkX(xs[i], 'tellMany');
      nodes[i] = this.nodeOf(x, 'tellMany');
      this.checkY(x, ys[i], 'tellMany');
    }
    const before = this.divergence;
    for (let i = 0; i < nodes.length; i++) this.tellNode(nodes[i] as number, ys[i] as number);
    this.reportDivergence(before);
  }

  private reportDivergence(before: Interval | null): void {
    const d = this.divergence;
    if (d !== null && before === null) throw new DivergentIntegralError(d.a, d.b);
  }

  private tellNode(node: number, y: number): void {
    if (this.nodeState[node] === TOLD) return;
    const wasQueued = this.nodeState[node] === QUEUED;
    this.nodeState[node] = TOLD;
    if (wasQueued) this.skipStale();
    this.nodeY[node] = y;
    this.nTold++;
    if (this.vsExp === 0 && Math.abs(y) > VS_HUGE && Math.abs(y) !== INF) this.scaleValues();
    if (this.wsExp === 0 && this.wExp > 0 && Math.abs(y) !== INF) {
      if (Math.abs(y) * this.vs > 2 ** (1000 - this.wExp)) this.scaleIntegrals();
    }
    this.pending.delete(node);
    for (let e = this.nodeHead[node] as number; e >= 0; e = this.entNext[e] as number) {
      this.know(this.ivals[this.entIval[e] as number] as Interval, this.entIdx[e] as number, y);
    }
    // In order of rdepth (parents first), each interval once.
    let last = -1;
    for (let e = this.nodeHead[node] as number; e >= 0; e = this.entNext[e] as number) {
      const id = this.entIval[e] as number;
      if (id === last) continue;
      last = id;
      this.processInterval(this.ivals[id] as Interval);
    }
  }

  /**
   * Marks `x` as being evaluated so that `ask` does not hand it out again: a node waiting in
   * the queue leaves it; a node already pending or told is left alone; a point the next
   * asks would hand out (e.g. from `ask(n, { tellPending: false })`) makes the learner
   * create its interval first. O(1) for nodes, O(points planned) otherwise.
   * @throws TypeError/RangeError when x is not a finite number in the bounds, or neither a
   *   node nor among the next 10 000 points; the learner is then unchanged.
   */
  tellPending(x: number): void {
    const xx = this.checkX(x, 'tellPending');
    let node = this.index.get(xx);
    if (node < 0) {
      let fills = -1;
      const p = this.plan(0, xx);
      if (p !== null) fills = p.found ? p.fills : -1;
      else {
        const c = this.copy();
        const start = c.nNodes;
        for (let k = 1; c.nNodes - start < LOOKAHEAD && c.fill(); k++) {
          if (c.index.get(xx) >= 0) {
            fills = k;
            break;
          }
        }
      }
      if (fills < 0) {
        throw new RangeError(
          `IntegratorLearner.tellPending: point ${xx} is not a node of any interval, nor among the next ${LOOKAHEAD} points the learner would hand out`,
        );
      }
      for (let k = 0; k < fills; k++) this.fill();
      node = this.index.get(xx);
      if (node < 0)
        throw new Error(`IntegratorLearner: internal error, planned point ${xx} was not created`);
    }
    if (this.nodeState[node] === QUEUED) {
      this.nodeState[node] = PENDING;
      this.pending.add(node);
      this.skipStale();
    }
  }

  /** Moves the queue's head past nodes taken by tell or tellPending (they are no longer waiting). */
  private skipStale(): void {
    while (this.qHead < this.qTail && this.nodeState[this.queue[this.qHead] as number] !== QUEUED) {
      this.qHead++;
    }
  }

  /** Puts every pending point back at the front of the queue, to be asked again. O(queue). */
  removeUnfinished(): void {
    if (this.pending.size === 0) return;
    const back = [...this.pending];
    this.pending.clear();
    const rest: number[] = [];
    for (let i = this.qHead; i < this.qTail; i++) {
      const node = this.queue[i] as number;
      if (this.nodeState[node] === QUEUED) rest.push(node);
    }
    for (const node of back) this.nodeState[node] = QUEUED;
    const all = back.concat(rest);
    let cap = Math.max(64, this.queue.length);
    while (cap < all.length) cap *= 2;
    this.queue = new Int32Array(cap);
    this.queue.set(all);
    this.qHead = 0;
    this.qTail = all.length;
  }

  // ---------------------------------------------------------------- data out

  private toldSorted(): { x: Float64Array; y: Float64Array } {
    const ids: number[] = [];
    for (let i = 0; i < this.nNodes; i++) if (this.nodeState[i] === TOLD) ids.push(i);
    ids.sort((p, q) => (this.nodeX[p] as number) - (this.nodeX[q] as number));
    const x = new Float64Array(ids.length);
    const y = new Float64Array(ids.length);
    ids.forEach((id, i) => {
      x[i] = this.nodeX[id] as number;
      y[i] = this.nodeY[id] as number;
    });
    return { x, y };
  }

  /** The evaluated points sorted by x, as `{ x, y }` records. O(n log n). */
  toRecords(): IntegratorRecord[] {
    const { x, y } = this.toldSorted();
    return Array.from(x, (xv, i) => ({ x: xv, y: y[i] as number }));
  }

  /** The evaluated points sorted by x as typed arrays. O(n log n). */
  toArrays(): { x: Float64Array; y: Float64Array } {
    return this.toldSorted();
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: the options, every node (x, value if told), the queue
   * and the pending points in order, and the interval tree with its coefficients, errors
   * and bookkeeping, so a restored learner continues exactly where this one stands. O(n).
   */
  snapshot(): LearnerSnapshot {
    const x: JsonNumber[] = new Array(this.nNodes);
    const y: (JsonNumber | null)[] = new Array(this.nNodes);
    for (let i = 0; i < this.nNodes; i++) {
      x[i] = this.nodeX[i] as number;
      y[i] = this.nodeState[i] === TOLD ? encodeNumber(this.nodeY[i] as number) : null;
    }
    const queue: number[] = [];
    for (let i = this.qHead; i < this.qTail; i++) {
      const node = this.queue[i] as number;
      if (this.nodeState[node] === QUEUED) queue.push(node);
    }
    const intervals = this.ivals.map((iv) => ({
      a: iv.a,
      b: iv.b,
      depth: iv.depth,
      rdepth: iv.rdepth,
      ndiv: iv.ndiv,
      parent: iv.parent === null ? -1 : iv.parent.id,
      children: iv.children.map((c) => c.id),
      depthComplete: iv.depthComplete,
      c: iv.c === null ? null : Array.from(iv.c, encodeNumber),
      c00: encodeNumber(iv.c00),
      igral: encodeNumber(iv.igral),
      err: encodeNumber(iv.err),
      doneLeaves: iv.doneLeaves === null ? null : [...iv.doneLeaves].map((l) => l.id),
      removed: iv.removed,
      precise: iv.precise,
      active: iv.active,
    }));
    return {
      type: 'IntegratorLearner',
      version: SNAPSHOT_VERSION,
      bounds: [this.bounds[0], this.bounds[1]],
      tol: this.tol,
      maxIvals: this.maxIvals,
      x,
      y,
      queue,
      pending: [...this.pending],
      intervals,
      prioritySplit: this.priority.map((iv) => iv.id),
      divergent: this.divergence === null ? -1 : this.divergence.id,
      // The intervals' numbers are stored as held: values times 2^valueScale.
      valueScale: this.vsExp,
      // ... and the estimates and errors times 2^(valueScale + integralScale).
      integralScale: this.wsExp,
    };
  }

  /**
   * Replaces this learner's state by a snapshot's (taken from a learner with the same
   * options). A malformed or foreign snapshot throws a TypeError naming the problem and
   * leaves the learner as it was. O(n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new IntegratorLearner({
      bounds: this.bounds,
      tol: this.tol,
      maxIvals: this.maxIvals,
    });
    fresh.load(snapshot);
    Object.assign(this, fresh);
  }

  private load(s: LearnerSnapshot): void {
    const { bad, num, arr } = snapshotReader('IntegratorLearner', SNAPSHOT_VERSION, s);
    const bd = s.bounds as unknown;
    if (!Array.isArray(bd) || bd[0] !== this.bounds[0] || bd[1] !== this.bounds[1]) {
      bad(
        `the snapshot has bounds ${describe(bd)}, this learner [${this.bounds[0]}, ${this.bounds[1]}]`,
      );
    }
    if (s.tol !== this.tol)
      bad(`the snapshot has tol ${describe(s.tol)}, this learner ${this.tol}`);
    if (s.maxIvals !== this.maxIvals) {
      bad(`the snapshot has maxIvals ${describe(s.maxIvals)}, this learner ${this.maxIvals}`);
    }
    const int = (v: unknown, what: string, lo: number, hi: number): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
        bad(`${what} must be an integer in [${lo}, ${hi}], got ${describe(v)}`);
      }
      return v as number;
    };
    const sx = arr(s.x, 'x');
    const sy = arr(s.y, 'y');
    if (sx.length !== sy.length) bad(`x has ${sx.length} entries but y has ${sy.length}`);
    const vsExp = s.valueScale ?? 0; // absent in snapshots taken before it existed
    if (vsExp !== 0 && vsExp !== VS_EXP)
      bad(`valueScale must be 0 or ${VS_EXP}, got ${describe(vsExp)}`);
    this.vsExp = vsExp as number;
    this.vs = 2 ** this.vsExp;
    const wsExp = s.integralScale ?? 0; // absent in snapshots taken before it existed
    if (wsExp !== 0 && wsExp !== -this.wExp)
      bad(`integralScale must be 0 or ${-this.wExp} for these bounds, got ${describe(wsExp)}`);
    this.wsExp = wsExp as number;
    this.ws = 2 ** this.wsExp;
    const si = arr(s.intervals, 'intervals');
    if (si.length === 0) bad('intervals must not be empty');
    const nNodes = sx.length;
    const nIv = si.length;

    // Intervals first (the nodes are registered from them).
    this.ivals = [];
    this.qMax.clear();
    this.qMin.clear();
    const raw = si.map((v, i) => {
      if (v === null || typeof v !== 'object') bad(`intervals[${i}] must be an object`);
      return v as Record<string, unknown>;
    });
    raw.forEach((r, i) => {
      const w = `intervals[${i}]`;
      const a = num(r.a, `${w}.a`);
      const b = num(r.b, `${w}.b`);
      if (!(a <= b) || a < this.bounds[0] || b > this.bounds[1])
        bad(`${w} is not inside the bounds`);
      const parentId = int(r.parent, `${w}.parent`, -1, i - 1);
      if ((i === 0) !== (parentId === -1)) bad(`${w}.parent: only the first interval has none`);
      const parent = parentId < 0 ? null : (this.ivals[parentId] as Interval);
      const iv = this.newInterval(
        a,
        b,
        int(r.depth, `${w}.depth`, 0, 3),
        int(r.rdepth, `${w}.rdepth`, 1, 10_000),
        parent,
        int(r.ndiv, `${w}.ndiv`, 0, 1_000_000),
        num(r.err, `${w}.err`),
      );
      iv.depthComplete = int(r.depthComplete, `${w}.depthComplete`, -1, iv.depth);
      if (r.c === null) {
        if (iv.depthComplete >= 0) bad(`${w}.c is missing`);
      } else {
        const c = arr(r.c, `${w}.c`);
        if (iv.depthComplete < 0 || c.length !== NS[iv.depthComplete]) {
          bad(`${w}.c must have ${iv.depthComplete < 0 ? 0 : NS[iv.depthComplete]} entries`);
        }
        iv.c = Float64Array.from(c, (v, k) => num(v, `${w}.c[${k}]`));
      }
      iv.c00 = num(r.c00, `${w}.c00`);
      iv.igral = num(r.igral, `${w}.igral`);
      if (
        typeof r.removed !== 'boolean' ||
        typeof r.precise !== 'boolean' ||
        typeof r.active !== 'boolean'
      ) {
        bad(`${w}.removed, .precise and .active must be booleans`);
      }
      iv.removed = r.removed as boolean;
      iv.precise = r.precise as boolean;
      if (r.active) this.activate(iv);
    });
    raw.forEach((r, i) => {
      const w = `intervals[${i}]`;
      const iv = this.ivals[i] as Interval;
      const ch = arr(r.children, `${w}.children`);
      if (ch.length !== 0 && ch.length !== 2) bad(`${w}.children must have 0 or 2 entries`);
      iv.children = ch.map((c, k) => {
        const id = int(c, `${w}.children[${k}]`, i + 1, nIv - 1);
        const child = this.ivals[id] as Interval;
        if (child.parent !== iv) bad(`${w}.children[${k}] has another parent`);
        return child;
      });
      if (r.doneLeaves === null) iv.doneLeaves = null;
      else {
        const dl = arr(r.doneLeaves, `${w}.doneLeaves`);
        iv.doneLeaves = new Set(
          dl.map((l, k) => this.ivals[int(l, `${w}.doneLeaves[${k}]`, 0, nIv - 1)] as Interval),
        );
      }
    });
    this.first = this.ivals[0] as Interval;

    // Nodes, in id order, then each interval's entries in id order (the original order).
    this.nNodes = 0;
    this.index = new FloatMap(nNodes);
    this.nTold = 0;
    for (let i = 0; i < nNodes; i++) {
      const x = num(sx[i], `x[${i}]`);
      if (!Number.isFinite(x) || x < this.bounds[0] || x > this.bounds[1]) {
        bad(`x[${i}] = ${x} is outside the bounds`);
      }
      if (this.index.get(x) >= 0) bad(`x[${i}] = ${x} appears twice`);
      const told = sy[i] !== null;
      const id = this.newNode(x, told ? TOLD : QUEUED);
      if (told) {
        this.nodeY[id] = num(sy[i], `y[${i}]`);
        this.nTold++;
      }
    }
    this.nEntries = 0;
    for (const iv of this.ivals) {
      const stride = STRIDE[iv.depth] as number;
      for (let j = 0; j < 33; j += stride) {
        const x = this.nodeAt(iv.a, iv.b, j);
        const node = this.index.get(x);
        if (node < 0) bad(`node ${x} of interval [${iv.a}, ${iv.b}] is missing from x`);
        this.addEntry(node, iv, j);
        if (this.nodeState[node] === TOLD) this.know(iv, j, this.nodeY[node] as number);
      }
      const need = iv.depthComplete;
      if (need >= 0 && iv.nknown[need] !== NS[need]) {
        bad(`interval [${iv.a}, ${iv.b}] is complete at depth ${need} but lacks values`);
      }
      // Derived data is recomputed from the values and must agree to the bit: the
      // coefficients of the complete rule, and the estimate made from them.
      if (need >= 0) {
        const c = this.coefficients(iv, need);
        const stored = iv.c as Float64Array;
        for (let k = 0; k < c.length; k++) {
          if (!Object.is(c[k], stored[k])) {
            bad(`interval [${iv.a}, ${iv.b}]: c[${k}] = ${stored[k]}, its values give ${c[k]}`);
          }
        }
        const rootFirstRule = iv.parent === null && need === 2;
        const igral = rootFirstRule ? 0 : ((iv.b - iv.a) * this.ws * (c[0] as number)) / SQRT2;
        if (!Object.is(igral, iv.igral)) {
          bad(`interval [${iv.a}, ${iv.b}]: igral = ${iv.igral}, its values give ${igral}`);
        }
      }
    }
    // Children split their parent at its middle node.
    for (const iv of this.ivals) {
      if (iv.children.length === 0) continue;
      const m = this.nodeAt(iv.a, iv.b, 16);
      const [l, r] = iv.children as [Interval, Interval];
      if (l.a !== iv.a || l.b !== m || r.a !== m || r.b !== iv.b) {
        bad(`the children of interval [${iv.a}, ${iv.b}] do not split it at its middle ${m}`);
      }
    }

    // Queue and pending points.
    const sq = arr(s.queue, 'queue');
    const sp = arr(s.pending, 'pending');
    const seen = new Uint8Array(nNodes);
    for (const [list, what] of [
      [sq, 'queue'],
      [sp, 'pending'],
    ] as const) {
      list.forEach((v, k) => {
        const id = int(v, `${what}[${k}]`, 0, nNodes - 1);
        if (this.nodeState[id] === TOLD) bad(`${what}[${k}] is a told point`);
        if (seen[id] === 1) bad(`${what}[${k}] appears twice`);
        seen[id] = 1;
      });
    }
    for (let i = 0; i < nNodes; i++) {
      if (this.nodeState[i] !== TOLD && seen[i] !== 1) {
        bad(`node ${this.nodeX[i]} is neither told, queued nor pending`);
      }
    }
    this.queue = new Int32Array(Math.max(64, sq.length));
    this.queue.set(sq as number[]);
    this.qHead = 0;
    this.qTail = sq.length;
    this.pending = new Set();
    for (const v of sp) {
      this.nodeState[v as number] = PENDING;
      this.pending.add(v as number);
    }
    this.priority = arr(s.prioritySplit, 'prioritySplit').map(
      (v, k) => this.ivals[int(v, `prioritySplit[${k}]`, 0, nIv - 1)] as Interval,
    );
    const dv = int(s.divergent, 'divergent', -1, nIv - 1);
    this.divergence = dv < 0 ? null : (this.ivals[dv] as Interval);
    this.dirty = true;
  }

  /** Throws if an internal invariant does not hold (for tests). O(n + k log k). */
  checkValid(): void {
    const fail = (why: string): never => {
      throw new Error(`IntegratorLearner: ${why}`);
    };
    this.qMax.checkValid();
    this.qMin.checkValid();
    let nActive = 0;
    for (const iv of this.ivals) {
      if (iv.active) {
        nActive++;
        if (!this.qMax.has(iv.id) || this.qMax.key(iv.id) !== errKey(iv.err)) {
          fail(`active interval [${iv.a}, ${iv.b}] is not queued with its error`);
        }
        if (iv.children.length > 0) fail(`split interval [${iv.a}, ${iv.b}] is still active`);
      }
      for (let d = 0; d < 4; d++) {
        let k = 0;
        for (let j = 0; j < 33; j += STRIDE[d] as number) k += iv.known[j] as number;
        if (k !== iv.nknown[d])
          fail(`interval [${iv.a}, ${iv.b}] counts ${iv.nknown[d]} values at depth ${d}, has ${k}`);
      }
      if (iv.depthComplete > iv.depth) fail('depthComplete beyond depth');
      for (const ch of iv.children) if (ch.parent !== iv) fail('child with another parent');
    }
    if (nActive !== this.qMax.size || nActive !== this.qMin.size)
      fail('heap sizes differ from the active intervals');
    let told = 0;
    for (let i = 0; i < this.nNodes; i++) {
      const st = this.nodeState[i] as number;
      if (st === TOLD) told++;
      if ((st === PENDING) !== this.pending.has(i))
        fail(`node ${this.nodeX[i]} pending state mismatch`);
      if (this.index.get(this.nodeX[i] as number) !== i) fail(`node ${this.nodeX[i]} not indexed`);
      let prev = 0;
      for (let e = this.nodeHead[i] as number; e >= 0; e = this.entNext[e] as number) {
        const iv = this.ivals[this.entIval[e] as number] as Interval;
        if (iv.rdepth < prev) fail(`entries of node ${this.nodeX[i]} out of rdepth order`);
        prev = iv.rdepth;
        const j = this.entIdx[e] as number;
        if (this.nodeAt(iv.a, iv.b, j) !== this.nodeX[i])
          fail(`entry of node ${this.nodeX[i]} points elsewhere`);
        if ((iv.known[j] === 1) !== (st === TOLD))
          fail(`value of node ${this.nodeX[i]} not registered`);
      }
      if (this.nodeHead[i] === -1) fail(`node ${this.nodeX[i]} belongs to no interval`);
    }
    if (told !== this.nTold) fail(`${told} told nodes, npoints ${this.nTold}`);
    let queued = 0;
    for (let i = 0; i < this.nNodes; i++) if (this.nodeState[i] === QUEUED) queued++;
    const inQueue = new Set<number>();
    for (let i = this.qHead; i < this.qTail; i++) {
      const node = this.queue[i] as number;
      if (this.nodeState[node] === QUEUED) inQueue.add(node);
    }
    if (inQueue.size !== queued) fail(`${queued} queued nodes, ${inQueue.size} in the queue`);
    // The approximating intervals tile a part of [a, b] without overlap.
    this.sums();
    for (let i = 1; i < this.approx.length; i++) {
      if ((this.approx[i] as Interval).a < (this.approx[i - 1] as Interval).b) {
        fail('approximating intervals overlap');
      }
    }
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, tol and
   * maxIvals, no points.
   * @example
   * new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 }).new().npoints; // 0
   */
  new(): IntegratorLearner {
    return new IntegratorLearner({ bounds: this.bounds, tol: this.tol, maxIvals: this.maxIvals });
  }
}
