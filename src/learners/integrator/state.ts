/**
 * IntegratorLearner's state: one object of fixed shape that the module functions of this
 * folder take as their first argument, the interval tree's node (python's `_Interval`), and
 * the primitives on them: nodes and their (interval, index) entries, the queue of nodes to
 * hand out, the active intervals' heaps.
 *
 * Internal to the package: the public class is {@link IntegratorLearner} (`../integrator.ts`).
 */
import { IndexedHeap } from '../../queue/heap.js';
import type { TieKeys } from '../../queue/types.js';
import { FloatMap } from '../../util/float-map.js';
import { type CquadCoefficients, cquadCoefficients, MIN_SEP } from '../integrator-coeffs.js';

/** Node state: waiting in the queue to be handed out. */
export const QUEUED = 1;
/** Node state: handed out, not yet told. */
export const PENDING = 2;
/** Node state: its value is known. */
export const TOLD = 3;
/** The step between the nodes (of 33) of the rule of depth 0..3. */
export const STRIDE = [8, 4, 2, 1] as const;
/** Number.MAX_VALUE (python's `sys.float_info.max`). */
export const FLOAT_MAX = Number.MAX_VALUE;
/** +Infinity. */
export const INF = Number.POSITIVE_INFINITY;
/** √2 (python's `sqrt(2)`). */
export const SQRT2 = Math.sqrt(2);
/** A told value above this (2^1000) makes the learner work on values times 2^VS_EXP. */
export const VS_HUGE = 2 ** 1000;
/** The exponent of the value scale once a value above VS_HUGE is told. */
export const VS_EXP = -64;
/**
 * The most points (told and pending) an IntegratorLearner holds: 2^24 nodes, about half a
 * million intervals of 33 values each; `ask` refuses an n that would go past it.
 */
export const MAX_POINTS = 2 ** 24;
/** How many points past the queue `tellPending` looks for a point that is no node yet. */
export const LOOKAHEAD = 10_000;
/** completeProcess flag: refining did not converge, split next. */
export const FORCE = 1;
/** completeProcess flag: at machine precision (or no finite value), stop refining. */
export const REMOVE = 2;

/** The depth at which node j (of 33) first appears: 0 for multiples of 8, ..., 3 for odd j. */
export const LEVEL = Uint8Array.from({ length: 33 }, (_, j) =>
  j % 8 === 0 ? 0 : j % 4 === 0 ? 1 : j % 2 === 0 ? 2 : 3,
);

/** The ranking key of an error: NaN ranks as +Infinity (never as a missing value). */
export function errKey(e: number): number {
  return Number.isNaN(e) ? INF : e;
}

/** Whether two adjacent nodes are too close to refine further (python's min_sep test, made sign-safe). */
export function tooClose(p: number, q: number): boolean {
  const d = q - p;
  return !(d > 0) || d < Math.abs(p) * MIN_SEP;
}

/** One interval of the adaptive tree (python's `_Interval`). */
export class Interval {
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

/**
 * Every field of an IntegratorLearner but its options. Fields are public to the functions
 * of this folder only; the facade keeps the object in a `#private` field.
 */
export class IntegratorState {
  readonly bounds: readonly [number, number];
  readonly tol: number;
  readonly maxIvals: number;
  readonly C: CquadCoefficients;
  readonly xi3: Float64Array;
  ivals: Interval[] = [];
  first: Interval;
  tieMax: TieKeys = { tie: new Float64Array(16) };
  tieMin: TieKeys = { tie: new Float64Array(16) };
  /** Active intervals by (err, a), largest first (python's `max(ivals, key=(err, a))`). */
  qMax = new IndexedHeap(this.tieMax);
  /** Active intervals by (err, a), smallest first. */
  qMin = new IndexedHeap(this.tieMin);
  // Scratch of `plan`: its intervals by (err, a), largest and smallest first (as qMax, qMin).
  planTieMax: TieKeys = { tie: new Float64Array(16) };
  planTieMin: TieKeys = { tie: new Float64Array(16) };
  planMax = new IndexedHeap(this.planTieMax);
  planMin = new IndexedHeap(this.planTieMin);
  /** Intervals to split because refining them did not converge, last in first out. */
  priority: Interval[] = [];

  // Nodes: x, value, state, and the list of (interval, node index) entries of each node in
  // order of rdepth (python's x_mapping), linked in typed arrays.
  nNodes = 0;
  nodeX = new Float64Array(64);
  nodeY = new Float64Array(64);
  nodeState = new Uint8Array(64);
  nodeHead = new Int32Array(64);
  nEntries = 0;
  entIval = new Int32Array(128);
  entIdx = new Uint8Array(128);
  entNext = new Int32Array(128);
  index = new FloatMap();
  nTold = 0;

  /** Node ids waiting to be handed out (python's `_stack`); stale entries are skipped. */
  queue = new Int32Array(64);
  qHead = 0;
  qTail = 0;
  /** Node ids handed out and not yet told, in the order handed out. */
  pending = new Set<number>();

  divergence: Interval | null = null;
  /** Children found at machine precision while their parent completes (see recheckChild). */
  lateRemovals: Interval[] = [];
  dirty = true;
  sumIgral = 0;
  sumErr = INF;
  // Values enter the intervals times 2^vsExp: 0, or VS_EXP once a finite value above
  // VS_HUGE is told, so sums of values near ±MAX_VALUE do not overflow into Inf − Inf = NaN.
  // Scaling by a power of 2 is exact: the estimates are those at scale 1, bit for bit.
  vsExp = 0;
  vs = 1;
  // The estimates and errors (width × values) are held times 2^wsExp: 0, or −wExp (the bounds'
  // width is below 2^wExp) once a value whose held magnitude is above VS_HUGE / 2^wExp is
  // told, so an integral past Number.MAX_VALUE (bounds [0, 1e236], values 1.8e73) is held as
  // a double and the loss keeps moving (it stayed Infinity, issue 13). Exact, as vs.
  wsExp = 0;
  ws = 1;
  readonly wExp: number;
  // The sums over the intervals where f has a finite value (what done() tests).
  doneIgral = 0;
  doneErr = INF;
  sumExcess = 0;
  approx: Interval[] = [];

  // Scratch for the coefficients.
  readonly fxs = new Float64Array(33);
  readonly cOld = new Float64Array(33);

  constructor(bounds: readonly [number, number], tol: number, maxIvals: number) {
    this.bounds = bounds;
    this.tol = tol;
    this.maxIvals = maxIvals;
    const width = bounds[1] - bounds[0];
    this.wExp = width > 1 ? Math.ceil(Math.log2(width)) : 0;
    this.C = cquadCoefficients();
    this.xi3 = this.C.xi[3] as Float64Array;
    this.nodeHead.fill(-1);
    this.first = newInterval(this, bounds[0], bounds[1], 2, 1, null, 0, FLOAT_MAX);
  }
}

/**
 * Node j (of 33) of [a, b]: python's `(a + b)/2 + (b − a)·xi/2`, kept inside the bounds
 * (rounding can put an end node one ulp outside them, e.g. 0.09999999999999998 for
 * a = 0.1: `tell` would refuse it). The midpoint is a/2 + b/2 when a + b overflows (the
 * same value otherwise: halving is exact).
 */
export function nodeAt(s: IntegratorState, a: number, b: number, j: number): number {
  let m = (a + b) / 2;
  if (m === INF || m === -INF) m = a / 2 + b / 2;
  const x = m + ((b - a) * (s.xi3[j] as number)) / 2;
  const lo = s.bounds[0];
  const hi = s.bounds[1];
  if (x < lo) return lo;
  return Math.min(x, hi);
}

/** A new interval (id: its index in `ivals`), not yet active; its tie keys set. */
export function newInterval(
  s: IntegratorState,
  a: number,
  b: number,
  depth: number,
  rdepth: number,
  parent: Interval | null,
  ndiv: number,
  err: number,
): Interval {
  const id = s.ivals.length;
  const iv = new Interval(id, a, b, depth, rdepth, parent, ndiv, err);
  s.ivals.push(iv);
  if (id >= s.tieMax.tie.length) {
    const cap = s.tieMax.tie.length * 2;
    const tMax = new Float64Array(cap);
    tMax.set(s.tieMax.tie);
    const tMin = new Float64Array(cap);
    tMin.set(s.tieMin.tie);
    s.tieMax.tie = tMax;
    s.tieMin.tie = tMin;
  }
  // Equal errors: python's max over (err, a) takes the larger a, its min the smaller.
  s.tieMax.tie[id] = -a;
  s.tieMin.tie[id] = a;
  return iv;
}

/** Makes iv refinable: into both heaps with its error. */
export function activate(s: IntegratorState, iv: Interval): void {
  iv.active = true;
  const k = errKey(iv.err);
  s.qMax.set(iv.id, k);
  s.qMin.set(iv.id, -k);
}

/** Takes iv out of the refinable set (no-op when it is not in it). */
export function deactivate(s: IntegratorState, iv: Interval): void {
  if (!iv.active) return;
  iv.active = false;
  s.qMax.delete(iv.id);
  s.qMin.delete(iv.id);
}

/** Sets iv's error (and its key in the heaps when active). */
export function setErr(s: IntegratorState, iv: Interval, err: number): void {
  iv.err = err;
  s.dirty = true;
  if (iv.active) {
    const k = errKey(err);
    s.qMax.set(iv.id, k);
    s.qMin.set(iv.id, -k);
  }
}

/** A new node at x in the given state, indexed by x. */
export function newNode(s: IntegratorState, x: number, state: number): number {
  const id = s.nNodes++;
  if (id >= s.nodeX.length) {
    const cap = s.nodeX.length * 2;
    const x2 = new Float64Array(cap);
    x2.set(s.nodeX);
    s.nodeX = x2;
    const y2 = new Float64Array(cap);
    y2.set(s.nodeY);
    s.nodeY = y2;
    const s2 = new Uint8Array(cap);
    s2.set(s.nodeState);
    s.nodeState = s2;
    const h2 = new Int32Array(cap).fill(-1);
    h2.set(s.nodeHead);
    s.nodeHead = h2;
  }
  s.nodeX[id] = x;
  s.nodeState[id] = state;
  s.nodeHead[id] = -1;
  s.index.set(x, id);
  return id;
}

/** Adds (iv, j) to the node's entries after the last entry of equal or smaller rdepth. */
export function addEntry(s: IntegratorState, node: number, iv: Interval, j: number): void {
  const e = s.nEntries++;
  if (e >= s.entIval.length) {
    const cap = s.entIval.length * 2;
    const i2 = new Int32Array(cap);
    i2.set(s.entIval);
    s.entIval = i2;
    const j2 = new Uint8Array(cap);
    j2.set(s.entIdx);
    s.entIdx = j2;
    const n2 = new Int32Array(cap);
    n2.set(s.entNext);
    s.entNext = n2;
  }
  s.entIval[e] = iv.id;
  s.entIdx[e] = j;
  let prev = -1;
  let cur = s.nodeHead[node] as number;
  while (cur >= 0 && (s.ivals[s.entIval[cur] as number] as Interval).rdepth <= iv.rdepth) {
    prev = cur;
    cur = s.entNext[cur] as number;
  }
  s.entNext[e] = cur;
  if (prev < 0) s.nodeHead[node] = e;
  else s.entNext[prev] = e;
}

/** Appends a node to the queue of nodes to hand out. */
export function enqueue(s: IntegratorState, node: number): void {
  if (s.qTail === s.queue.length) {
    const live = s.qTail - s.qHead;
    if (s.qHead > 0 && live * 2 <= s.queue.length) {
      s.queue.copyWithin(0, s.qHead, s.qTail);
    } else {
      const q2 = new Int32Array(s.queue.length * 2);
      q2.set(s.queue.subarray(s.qHead, s.qTail));
      s.queue = q2;
    }
    s.qHead = 0;
    s.qTail = live;
  }
  s.queue[s.qTail++] = node;
}

/** The largest error among the intervals that have node `node` (the loss improvement of asking it). */
export function improvement(s: IntegratorState, node: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (let e = s.nodeHead[node] as number; e >= 0; e = s.entNext[e] as number) {
    const k = errKey((s.ivals[s.entIval[e] as number] as Interval).err);
    if (k > best) best = k;
  }
  return best;
}

/** Moves the queue's head past nodes taken by tell or tellPending (they are no longer waiting). */
export function skipStale(s: IntegratorState): void {
  while (s.qHead < s.qTail && s.nodeState[s.queue[s.qHead] as number] !== QUEUED) {
    s.qHead++;
  }
}
