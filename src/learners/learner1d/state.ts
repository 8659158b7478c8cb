/**
 * Learner1D's state: one object of fixed shape that the module functions of this folder
 * take as their first argument (sorted-btree's `extended/` route), and the node store: one
 * node per evaluated or pending point, linked in x order, found by x through a lazy index.
 *
 * Internal to the package: the public class is {@link Learner1D} (`../learner1d.ts`).
 */
import { IndexedHeap } from '../../queue/heap.js';
import type { TieKeys } from '../../queue/types.js';
import { FloatMap } from '../../util/float-map.js';
import { SortedIndex } from '../../util/sorted-index.js';
import type { IntervalLoss, LossY } from '../losses1d.js';

// Node state: PENDING or REAL (0: free), plus the DIRTY bit (combined loss not yet in the
// heap) and the DIRTY_R bit (real loss not yet in its heap).
/** Node state: a pending point. */
export const PENDING = 1;
/** Node state: an evaluated point. */
export const REAL = 2;
/** Node state bit: the combined loss starting here is not yet in its heap. */
export const DIRTY = 4;
/** Node state bit: the real loss starting here is not yet in its heap. */
export const DIRTY_R = 8;
/** Mask of the node kind (PENDING or REAL) in a node state. */
export const KIND = 3;
/** Number.EPSILON, as numpy's `np.finfo(float).eps`. */
export const EPS = 2.220446049250313e-16;
/** +Infinity. */
export const INF = Number.POSITIVE_INFINITY;
/** The capacity of a fresh node store, and of each scratch list. */
const INITIAL_CAPACITY = 16;
const INITIAL_LIST = 64;

/** python-adaptive's `finite_loss`: non-finite losses rank by width; round to 12 digits. */
export function finiteLoss(loss: number, width: number, xScale: number, n: number): number {
  let l = loss;
  if (l === INF || l === -INF || Number.isNaN(l)) {
    l = width / xScale;
    if (n !== 0) l /= n;
  }
  return Math.trunc(l * 1e12 + 0.5) / 1e12;
}

/** A Learner1D value: a number, or a vector of fixed length. */
export type Value1D = number | readonly number[];

/** One evaluated point, as returned by {@link Learner1D.toRecords}. */
export interface Record1D {
  x: number;
  y: number | number[];
}

/** The validated options a {@link State1D} is built from. */
export interface State1DOptions {
  bounds: readonly [number, number];
  loss: IntervalLoss;
  nthNeighbors: number;
  recomputeLossesFactor: number;
  /** Whether `loss` is `defaultLoss` (its scalar case is inlined). */
  fastDefault: boolean;
  /** Whether the points are the integers of the bounds (`integer: true`, see lattice.ts). */
  lattice?: boolean;
}

/**
 * Every field of a Learner1D. Fields are public to the functions of this folder only; the
 * facade keeps the object in a `#private` field.
 */
export class State1D {
  readonly bounds: readonly [number, number];
  readonly lossFunction: IntervalLoss;
  readonly nn: number;
  readonly factor: number;
  readonly xScale: number;
  readonly dxEps: number;
  readonly fastDefault: boolean;
  readonly lattice: boolean;

  // Nodes: one per evaluated or pending point, in struct-of-arrays form.
  cap = 0;
  xs: Float64Array = new Float64Array(0);
  ys: Float64Array = new Float64Array(0);
  state: Uint8Array = new Uint8Array(0);
  pc: Int32Array = new Int32Array(0); // combined list: previous node
  nc: Int32Array = new Int32Array(0); // combined list: next node
  lossR: Float64Array = new Float64Array(0); // raw loss of the real interval starting at the node
  lossC: Float64Array = new Float64Array(0); // raw loss of the combined interval starting at the node
  free: number[] = [];
  dirtyList: Int32Array = new Int32Array(INITIAL_LIST);
  nDirty = 0;
  dirtyR: Int32Array = new Int32Array(INITIAL_LIST);
  nDirtyR = 0;
  used = 0;
  ties: TieKeys = { tie: this.xs };
  qR: IndexedHeap;
  qC: IndexedHeap;
  index = new SortedIndex();
  pending = new FloatMap(); // pending points: x → node
  hasLo = false; // a node (evaluated or pending) sits on each bound
  hasHi = false;
  realLo = false; // an evaluated point sits on each bound
  realHi = false;
  // Direct-mapped cache x → pending node, so `tell` after `ask` skips the index search.
  // The ordered index of x → node is built lazily: only a point the learner did not hand
  // out (a tell or tellPending of an unknown x) needs an ordered search. Nodes created
  // since the last search wait in `unindexed`; the ask/tell loop never pays for the index.
  unindexed: Int32Array = new Int32Array(INITIAL_LIST);
  nUnindexed = 0;
  head = -1; // first and last node of the combined list
  tail = -1;
  nReal = 0;

  // Values: vdim 0 until the first tell; `vector` false for scalar output.
  vdim = 0;
  vector = false;
  yMin: Float64Array = new Float64Array(0);
  yMax: Float64Array = new Float64Array(0);
  yScale = 0;
  oldYScale = 0;

  // Scratch for calling the loss function.
  sxs: (number | null)[];
  sys: (LossY | null)[];
  vbuf: Float64Array[] = [];
  sorted: { x: Float64Array; y: Float64Array } | null = null;
  // The first error of a user loss function during an update: the update completes (that
  // interval's loss is then its width), and the public call throws it afterwards.
  lossError: Error | null = null;

  // While one ask marks many points pending, the evaluated neighbours of the nodes it
  // walks over are remembered (stamp === memoNow, -2: that side not known yet), so each
  // pending node between two evaluated ones is walked over once per ask, not once per point.
  memoOn = false;
  memoNow = 0;
  memoStamp: Uint32Array = new Uint32Array(0);
  memoL: Int32Array = new Int32Array(0);
  memoR: Int32Array = new Int32Array(0);
  // The evaluated neighbours found by the last tellPendingAt (see its `sameInterval`).
  lastL = -1;
  lastR = -1;

  // Scratch for the "quals" of one ask: interval [qa, qb] split into qn pieces of loss ql
  // (qf: its finite_loss), qnode the node left of it, qheap the heap of qual slots.
  qa: Float64Array = new Float64Array(INITIAL_CAPACITY);
  qb: Float64Array = new Float64Array(INITIAL_CAPACITY);
  qn: Float64Array = new Float64Array(INITIAL_CAPACITY);
  ql: Float64Array = new Float64Array(INITIAL_CAPACITY);
  qf: Float64Array = new Float64Array(INITIAL_CAPACITY);
  qnode: Int32Array = new Int32Array(INITIAL_CAPACITY);
  qheap: Int32Array = new Int32Array(INITIAL_CAPACITY);
  nq = 0;
  // For each point of the last ask, the node left of its interval (a search hint).
  hints: Int32Array = new Int32Array(INITIAL_LIST);
  nHints = 0;

  constructor(o: State1DOptions) {
    this.bounds = o.bounds;
    this.lossFunction = o.loss;
    this.nn = o.nthNeighbors;
    this.factor = o.recomputeLossesFactor;
    this.xScale = this.bounds[1] - this.bounds[0];
    // 2·max|bound|·eps, multiplied so that it cannot overflow (2·1e308 would, making every
    // interval "narrower than machine precision" on [0, 1e308]); the same bits otherwise.
    this.dxEps = Math.max(Math.abs(this.bounds[0]), Math.abs(this.bounds[1])) * (2 * EPS);
    this.fastDefault = o.fastDefault;
    this.lattice = o.lattice ?? false;
    this.sxs = new Array(2 + 2 * this.nn).fill(null);
    this.sys = new Array(2 + 2 * this.nn).fill(null);
    this.qR = new IndexedHeap(this.ties);
    this.qC = new IndexedHeap(this.ties);
    grow(this, INITIAL_CAPACITY);
  }
}

/** The pending points in increasing order. O(k log k). */
export function pendingPoints(s: State1D): number[] {
  const out: number[] = [];
  s.pending.forEach((x) => {
    out.push(x);
  });
  return out.sort((p, q) => p - q);
}

/** Grows the node arrays to at least `min` nodes (doubling). */
export function grow(s: State1D, min: number): void {
  let cap = Math.max(16, s.cap * 2);
  while (cap < min) cap *= 2;
  const f64 = (a: Float64Array, stride = 1): Float64Array => {
    const r = new Float64Array(cap * stride);
    r.set(a);
    return r;
  };
  const i32 = (a: Int32Array): Int32Array => {
    const r = new Int32Array(cap);
    r.set(a);
    return r;
  };
  s.xs = f64(s.xs);
  if (s.vdim > 0) s.ys = f64(s.ys, s.vdim);
  const st = new Uint8Array(cap);
  st.set(s.state);
  s.state = st;
  s.pc = i32(s.pc);
  s.nc = i32(s.nc);
  s.lossR = f64(s.lossR);
  s.lossC = f64(s.lossC);
  s.cap = cap;
  s.ties.tie = s.xs;
}

/** A free node for x, unlinked. */
export function allocNode(s: State1D, x: number): number {
  let id: number;
  if (s.free.length > 0) id = s.free.pop() as number;
  else {
    if (s.used === s.cap) grow(s, s.used + 1);
    id = s.used++;
  }
  s.xs[id] = x;
  s.pc[id] = -1;
  s.nc[id] = -1;
  return id;
}

/** Adds a node for x to the combined list right after node p (-1: at the head). */
export function insertNode(s: State1D, x: number, p: number): number {
  const id = allocNode(s, x);
  const q = p >= 0 ? (s.nc[p] as number) : s.head;
  s.pc[id] = p;
  s.nc[id] = q;
  if (p >= 0) s.nc[p] = id;
  else s.head = id;
  if (q >= 0) s.pc[q] = id;
  else s.tail = id;
  if (s.nUnindexed === s.unindexed.length) {
    const u = new Int32Array(s.nUnindexed * 2);
    u.set(s.unindexed);
    s.unindexed = u;
  }
  s.unindexed[s.nUnindexed++] = id;
  if (x === s.bounds[0]) s.hasLo = true;
  if (x === s.bounds[1]) s.hasHi = true;
  return id;
}

/**
 * Brings the ordered index up to date: O(k log n) for k nodes made since the last call, or
 * O(n) when k is large (the combined list is already in x order: rebuild from it).
 */
export function syncIndex(s: State1D): void {
  if (s.nUnindexed === 0) return;
  if (s.nUnindexed > 64 && s.nUnindexed * 4 > s.index.size) {
    const total = s.nReal + s.pending.size;
    const keys = new Float64Array(total);
    const ids = new Int32Array(total);
    let t = 0;
    for (let c = s.head; c >= 0; c = s.nc[c] as number) {
      keys[t] = s.xs[c] as number;
      ids[t++] = c;
    }
    s.index.build(keys, ids);
    s.nUnindexed = 0;
    return;
  }
  const u = s.unindexed;
  for (let i = 0; i < s.nUnindexed; i++) {
    const id = u[i] as number;
    if (s.state[id] !== 0) s.index.insert(s.xs[id] as number, id);
  }
  s.nUnindexed = 0;
}

/** The node at x (evaluated or pending), or -1. O(1) for a pending point, else O(log n). */
export function findNode(s: State1D, x: number): number {
  const id = s.pending.get(x);
  if (id >= 0) return id;
  syncIndex(s);
  return s.index.get(x);
}

/** The last node left of x, or -1. O(log n). */
export function predecessor(s: State1D, x: number): number {
  syncIndex(s);
  return s.index.lower(x);
}

/** The nearest evaluated node left of node `id` in the combined list, or -1. O(pending between). */
export function realLeft(s: State1D, id: number): number {
  let p = s.pc[id] as number;
  while (p >= 0 && ((s.state[p] as number) & KIND) !== REAL) p = s.pc[p] as number;
  return p;
}

/** The nearest evaluated node right of node `id` in the combined list, or -1. */
export function realRight(s: State1D, id: number): number {
  let p = s.nc[id] as number;
  while (p >= 0 && ((s.state[p] as number) & KIND) !== REAL) p = s.nc[p] as number;
  return p;
}
