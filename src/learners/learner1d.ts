/**
 * Learner1D: adaptive sampling of f: [a, b] → ℝ or ℝᵏ by interval refinement.
 *
 * Port of python-adaptive `learner1D.py` (v1.5.2): the same points for the same data in the
 * same order, with the same loss rounding, tie-breaking and order of operations. The data
 * structures are new: points are nodes in typed arrays linked in x order twice (evaluated
 * points only, and evaluated plus pending points: python-adaptive's `neighbors` and
 * `neighbors_combined`), interval losses live in two indexed heaps keyed by the interval's
 * left node, and a blocked sorted index finds a point by its x. A `tell` touches the
 * intervals next to the new point only; all losses are recomputed only when the y range
 * grows by `recomputeLossesFactor` (amortised O(1)).
 */
import { decodeValue, encodeNumber, encodeValue, type JsonNumber } from '../io/json.js';
import { IndexedHeap } from '../queue/heap.js';
import type { TieKeys } from '../queue/types.js';
import { FloatMap } from '../util/float-map.js';
import { hypot } from '../util/hypot.js';
import { SortedIndex } from '../util/sorted-index.js';
import { defaultLoss, type IntervalLoss, type LossY } from './losses1d.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import { checkAsk, checkAskLimit, checkOptionKeys, describe, snapshotReader } from './validate.js';

/** Options of {@link Learner1D}. */
export interface Learner1DOptions {
  /** The domain `[a, b]`, finite with `a < b`. */
  bounds: readonly [number, number];
  /** The loss of one interval (default {@link defaultLoss}). */
  loss?: IntervalLoss;
  /**
   * All losses are recomputed when the y range grows by more than this factor since the
   * last recomputation (default 2, as python-adaptive). With 1 every loss always reflects
   * the current y range, so the loss no longer depends on the order of the tells.
   */
  recomputeLossesFactor?: number;
}

/** A Learner1D value: a number, or a vector of fixed length. */
export type Value1D = number | readonly number[];

/** One evaluated point, as returned by {@link Learner1D.toRecords}. */
export interface Record1D {
  x: number;
  y: number | number[];
}

// Node state: PENDING or REAL (0: free), plus the DIRTY bit (combined loss not yet in the
// heap) and the DIRTY_R bit (real loss not yet in its heap).
const PENDING = 1;
const REAL = 2;
const DIRTY = 4;
const DIRTY_R = 8;
const KIND = 3;
const EPS = 2.220446049250313e-16;
const INF = Number.POSITIVE_INFINITY;
const OPTION_KEYS = ['bounds', 'loss', 'recomputeLossesFactor'];
const SNAPSHOT_VERSION = 1;
/**
 * The most points (evaluated and pending) a Learner1D holds, 2^26 (its node ids are 32-bit;
 * this bound keeps the node arrays, heaps and index of a full learner within a few GB): `ask`
 * refuses an n that would go past it with a RangeError naming the limit.
 */
export const LEARNER1D_MAX_POINTS = 2 ** 26;

/** python-adaptive's `finite_loss`: non-finite losses rank by width; round to 12 digits. */
function finiteLoss(loss: number, width: number, xScale: number, n: number): number {
  let l = loss;
  if (l === INF || l === -INF || Number.isNaN(l)) {
    l = width / xScale;
    if (n !== 0) l /= n;
  }
  return Math.trunc(l * 1e12 + 0.5) / 1e12;
}

/**
 * Learns a function of one real variable by splitting the intervals with the largest loss.
 *
 * @example
 * const learner = new Learner1D({ bounds: [-1, 1] });
 * const { points } = learner.ask(3); // [-1, 1, 0]
 * for (const x of points) learner.tell(x, x * x);
 * learner.npoints; // 3
 */
export class Learner1D implements Learner<number, Value1D> {
  /** The domain. */
  readonly bounds: readonly [number, number];
  /** The loss of one interval. */
  readonly lossFunction: IntervalLoss;
  private readonly nn: number;
  private readonly factor: number;
  private readonly xScale: number;
  private readonly dxEps: number;
  private readonly fastDefault: boolean;

  // Nodes: one per evaluated or pending point, in struct-of-arrays form.
  private cap = 0;
  private xs: Float64Array = new Float64Array(0);
  private ys: Float64Array = new Float64Array(0);
  private state: Uint8Array = new Uint8Array(0);
  private pc: Int32Array = new Int32Array(0); // combined list: previous node
  private nc: Int32Array = new Int32Array(0); // combined list: next node
  private lossR: Float64Array = new Float64Array(0); // raw loss of the real interval starting at the node
  private lossC: Float64Array = new Float64Array(0); // raw loss of the combined interval starting at the node
  private free: number[] = [];
  private dirtyList: Int32Array = new Int32Array(64);
  private nDirty = 0;
  private dirtyR: Int32Array = new Int32Array(64);
  private nDirtyR = 0;
  private used = 0;
  private ties: TieKeys = { tie: this.xs };
  private qR: IndexedHeap;
  private qC: IndexedHeap;
  private index = new SortedIndex();
  private pending = new FloatMap(); // pending points: x → node
  private hasLo = false; // a node (evaluated or pending) sits on each bound
  private hasHi = false;
  private realLo = false; // an evaluated point sits on each bound
  private realHi = false;
  // Direct-mapped cache x → pending node, so `tell` after `ask` skips the index search.
  // The ordered index of x → node is built lazily: only a point the learner did not hand
  // out (a tell or tellPending of an unknown x) needs an ordered search. Nodes created
  // since the last search wait in `unindexed`; the ask/tell loop never pays for the index.
  private unindexed: Int32Array = new Int32Array(64);
  private nUnindexed = 0;
  private head = -1; // first and last node of the combined list
  private tail = -1;
  private nReal = 0;

  // Values: vdim 0 until the first tell; `vector` false for scalar output.
  private vdim = 0;
  private vector = false;
  private yMin: Float64Array = new Float64Array(0);
  private yMax: Float64Array = new Float64Array(0);
  private yScale = 0;
  private oldYScale = 0;

  // Scratch for calling the loss function.
  private sxs: (number | null)[];
  private sys: (LossY | null)[];
  private vbuf: Float64Array[] = [];
  private sorted: { x: Float64Array; y: Float64Array } | null = null;

  constructor(options: Learner1DOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'Learner1D: options must be an object with bounds, e.g. { bounds: [-1, 1] }',
      );
    }
    checkOptionKeys('Learner1D', options, OPTION_KEYS);
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
      throw new RangeError(`Learner1D: bounds must be finite and increasing, got ${describe(b)}`);
    }
    this.bounds = [b[0] + 0, b[1] + 0];
    const loss = options.loss ?? defaultLoss;
    if (typeof loss !== 'function') throw new TypeError('Learner1D: loss must be a function');
    this.lossFunction = loss;
    const nn = loss.nthNeighbors ?? 0;
    if (!Number.isInteger(nn) || nn < 0) {
      throw new RangeError(
        `Learner1D: loss.nthNeighbors must be a non-negative integer, got ${nn}`,
      );
    }
    this.nn = nn;
    const factor = options.recomputeLossesFactor ?? 2;
    if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) {
      throw new RangeError(
        `Learner1D: recomputeLossesFactor must be a finite number >= 1, got ${describe(factor)}`,
      );
    }
    this.factor = factor;
    this.xScale = this.bounds[1] - this.bounds[0];
    if (this.xScale === INF) {
      throw new RangeError(
        `Learner1D: the width of the bounds ${describe(b)} overflows (b - a is Infinity, above Number.MAX_VALUE); give bounds whose width b - a is at most ${Number.MAX_VALUE}`,
      );
    }
    // 2·max|bound|·eps, multiplied so that it cannot overflow (2·1e308 would, making every
    // interval "narrower than machine precision" on [0, 1e308]); the same bits otherwise.
    this.dxEps = Math.max(Math.abs(this.bounds[0]), Math.abs(this.bounds[1])) * (2 * EPS);
    this.fastDefault = loss === defaultLoss;
    this.sxs = new Array(2 + 2 * nn).fill(null);
    this.sys = new Array(2 + 2 * nn).fill(null);
    this.qR = new IndexedHeap(this.ties);
    this.qC = new IndexedHeap(this.ties);
    this.grow(16);
  }

  /** Number of evaluated points. */
  get npoints(): number {
    return this.nReal;
  }

  /** Points handed out by `ask` (or told pending) and not yet told, in increasing order. */
  get pendingPoints(): number[] {
    const out: number[] = [];
    this.pending.forEach((x) => {
      out.push(x);
    });
    return out.sort((p, q) => p - q);
  }

  /**
   * Whether both bounds are points of the learner (evaluated or pending).
   * @internal
   */
  get boundsPresent(): boolean {
    return this.hasLo && this.hasHi;
  }

  /**
   * The unit of the values in the losses: the y range (1 while it is 0, MAX_VALUE when it
   * overflows). Used by {@link AverageLearner1D} to make its distances scale-free.
   * @internal
   */
  get yUnit(): number {
    const y = this.yScale;
    return y === 0 ? 1 : y === INF ? Number.MAX_VALUE : y;
  }

  /** The length of the vector output, 1 for scalar output or before any data. */
  get outputDimension(): number {
    return this.vdim === 0 ? 1 : this.vdim;
  }

  // ---------------------------------------------------------------- nodes

  private grow(min: number): void {
    let cap = Math.max(16, this.cap * 2);
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
    this.xs = f64(this.xs);
    if (this.vdim > 0) this.ys = f64(this.ys, this.vdim);
    const st = new Uint8Array(cap);
    st.set(this.state);
    this.state = st;
    this.pc = i32(this.pc);
    this.nc = i32(this.nc);
    this.lossR = f64(this.lossR);
    this.lossC = f64(this.lossC);
    this.cap = cap;
    this.ties.tie = this.xs;
  }

  private allocNode(x: number): number {
    let id: number;
    if (this.free.length > 0) id = this.free.pop() as number;
    else {
      if (this.used === this.cap) this.grow(this.used + 1);
      id = this.used++;
    }
    this.xs[id] = x;
    this.pc[id] = -1;
    this.nc[id] = -1;
    return id;
  }

  /** Adds a node for x to the combined list right after node p (-1: at the head). */
  private insertNode(x: number, p: number): number {
    const id = this.allocNode(x);
    const q = p >= 0 ? (this.nc[p] as number) : this.head;
    this.pc[id] = p;
    this.nc[id] = q;
    if (p >= 0) this.nc[p] = id;
    else this.head = id;
    if (q >= 0) this.pc[q] = id;
    else this.tail = id;
    if (this.nUnindexed === this.unindexed.length) {
      const u = new Int32Array(this.nUnindexed * 2);
      u.set(this.unindexed);
      this.unindexed = u;
    }
    this.unindexed[this.nUnindexed++] = id;
    if (x === this.bounds[0]) this.hasLo = true;
    if (x === this.bounds[1]) this.hasHi = true;
    return id;
  }

  /**
   * Brings the ordered index up to date: O(k log n) for k nodes made since the last call, or
   * O(n) when k is large (the combined list is already in x order: rebuild from it).
   */
  private syncIndex(): void {
    if (this.nUnindexed === 0) return;
    if (this.nUnindexed > 64 && this.nUnindexed * 4 > this.index.size) {
      const total = this.nReal + this.pending.size;
      const keys = new Float64Array(total);
      const ids = new Int32Array(total);
      let t = 0;
      for (let c = this.head; c >= 0; c = this.nc[c] as number) {
        keys[t] = this.xs[c] as number;
        ids[t++] = c;
      }
      this.index.build(keys, ids);
      this.nUnindexed = 0;
      return;
    }
    const u = this.unindexed;
    for (let i = 0; i < this.nUnindexed; i++) {
      const id = u[i] as number;
      if (this.state[id] !== 0) this.index.insert(this.xs[id] as number, id);
    }
    this.nUnindexed = 0;
  }

  /** The node at x (evaluated or pending), or -1. O(1) for a pending point, else O(log n). */
  private findNode(x: number): number {
    const id = this.pending.get(x);
    if (id >= 0) return id;
    this.syncIndex();
    return this.index.get(x);
  }

  /** The last node left of x, or -1. O(log n). */
  private predecessor(x: number): number {
    this.syncIndex();
    return this.index.lower(x);
  }

  /** The nearest evaluated node left of node `id` in the combined list, or -1. O(pending between). */
  private realLeft(id: number): number {
    let p = this.pc[id] as number;
    while (p >= 0 && ((this.state[p] as number) & KIND) !== REAL) p = this.pc[p] as number;
    return p;
  }

  private realRight(id: number): number {
    let p = this.nc[id] as number;
    while (p >= 0 && ((this.state[p] as number) & KIND) !== REAL) p = this.nc[p] as number;
    return p;
  }

  // ---------------------------------------------------------------- losses

  /**
   * Sets the raw loss of the real interval starting at l. Only `loss()` reads the real-loss
   * heap (`ask` works on the combined intervals), so its update waits for that read: a run
   * without a loss goal never pays for it, and many updates at once become one O(n) heapify.
   */
  private setRealLoss(l: number, _r: number, loss: number): void {
    this.lossR[l] = loss;
    const st = this.state[l] as number;
    if ((st & DIRTY_R) === 0) {
      this.state[l] = st | DIRTY_R;
      if (this.nDirtyR === this.dirtyR.length) {
        const d = new Int32Array(this.nDirtyR * 2);
        d.set(this.dirtyR);
        this.dirtyR = d;
      }
      this.dirtyR[this.nDirtyR++] = l;
    }
  }

  /** Applies the queued real-loss updates to their heap (or rebuilds it when most changed). */
  private flushReal(): void {
    const n = this.nDirtyR;
    if (n === 0) return;
    const list = this.dirtyR;
    const xs = this.xs;
    for (let i = 0; i < n; i++) {
      const l = list[i] as number;
      this.state[l] = (this.state[l] as number) & ~DIRTY_R;
    }
    this.nDirtyR = 0;
    if (n * 4 > this.qR.size) {
      // Rebuild: every real interval, in x order.
      const m = Math.max(0, this.nReal - 1);
      const ids = new Int32Array(m);
      const keys = new Float64Array(m);
      let i = 0;
      let l = this.head;
      if (l >= 0 && ((this.state[l] as number) & KIND) !== REAL) l = this.realRight(l);
      for (let r = l >= 0 ? this.realRight(l) : -1; r >= 0; l = r, r = this.realRight(r)) {
        ids[i] = l;
        keys[i++] = finiteLoss(
          this.lossR[l] as number,
          (xs[r] as number) - (xs[l] as number),
          this.xScale,
          0,
        );
      }
      this.qR.build(ids, keys, i);
      return;
    }
    for (let i = 0; i < n; i++) {
      const l = list[i] as number;
      const r = this.realRight(l);
      this.qR.set(
        l,
        finiteLoss(this.lossR[l] as number, (xs[r] as number) - (xs[l] as number), this.xScale, 0),
      );
    }
  }

  /**
   * Sets the raw combined loss now and queues the heap update: a tell right after the
   * ask that made a point pending rewrites the same two intervals, so deferring the heap
   * work to the next read halves it. The heap order depends on the final keys only.
   */
  private setCombLoss(a: number, loss: number): void {
    this.lossC[a] = loss;
    const st = this.state[a] as number;
    if ((st & DIRTY) === 0) {
      this.state[a] = st | DIRTY;
      if (this.nDirty === this.dirtyList.length) {
        const d = new Int32Array(this.nDirty * 2);
        d.set(this.dirtyList);
        this.dirtyList = d;
      }
      this.dirtyList[this.nDirty++] = a;
    }
  }

  /** Applies the queued combined-loss updates to the heap. */
  private flush(): void {
    const list = this.dirtyList;
    const xs = this.xs;
    for (let i = 0; i < this.nDirty; i++) {
      const a = list[i] as number;
      const st = (this.state[a] as number) & ~DIRTY;
      this.state[a] = st;
      const b = this.nc[a] as number;
      if (b < 0 || st === 0) this.qC.delete(a);
      else {
        this.qC.set(
          a,
          finiteLoss(
            this.lossC[a] as number,
            (xs[b] as number) - (xs[a] as number),
            this.xScale,
            0,
          ),
        );
      }
    }
    this.nDirty = 0;
  }

  private finiteY(id: number): boolean {
    if (!this.vector) return Number.isFinite(this.ys[id] as number);
    const d = this.vdim;
    for (let k = id * d; k < id * d + d; k++)
      if (!Number.isFinite(this.ys[k] as number)) return false;
    return true;
  }

  /** Puts node p's scaled point in slot j of the loss arguments: x/xScale, (y/pre)/ys. */
  private fillSlot(j: number, p: number, ys: number, pre = 1): void {
    const xs = this.xs;
    if (p < 0) {
      this.sxs[j] = null;
      this.sys[j] = null;
      return;
    }
    this.sxs[j] = (xs[p] as number) / this.xScale;
    if (!this.vector) {
      this.sys[j] = (this.ys[p] as number) / pre / ys;
      return;
    }
    const d = this.vdim;
    const buf = this.vbuf[j] as Float64Array;
    for (let k = 0; k < d; k++) buf[k] = (this.ys[p * d + k] as number) / pre / ys;
    this.sys[j] = buf;
  }

  /**
   * Loss of the real interval starting at node l (python's `_get_loss_in_interval`).
   * Intervals narrower than machine precision get 0; an interval with a non-finite value at
   * an end, or a NaN loss, gets its scaled width (it is refined like `uniformLoss`, and one
   * NaN never poisons the other losses).
   */
  private intervalLoss(l: number, r: number): number {
    const xs = this.xs;
    const xl = xs[l] as number;
    const xr = xs[r] as number;
    if (xr - xl < this.dxEps) return 0;
    const ysc = this.yScale || this.flatScale();
    const sl = xl / this.xScale;
    const sr = xr / this.xScale;
    if (ysc === INF) return this.intervalLossHalved(l, r, sl, sr);
    if (this.fastDefault && !this.vector) {
      const yl = this.ys[l] as number;
      const yr = this.ys[r] as number;
      const loss = hypot(sr - sl, yr / ysc - yl / ysc);
      if (Number.isFinite(loss)) return loss;
      return Number.isFinite(yl) && Number.isFinite(yr) && !Number.isNaN(loss) ? loss : sr - sl;
    }
    if (!this.finiteY(l) || !this.finiteY(r)) return sr - sl;
    const nn = this.nn;
    this.fillSlot(nn, l, ysc);
    this.fillSlot(nn + 1, r, ysc);
    let p = l;
    for (let j = nn - 1; j >= 0; j--) {
      p = p >= 0 ? this.realLeft(p) : -1;
      this.fillSlot(j, p, ysc);
    }
    p = r;
    for (let j = nn + 2; j < 2 * nn + 2; j++) {
      p = p >= 0 ? this.realRight(p) : -1;
      this.fillSlot(j, p, ysc);
    }
    return this.callLoss(sr - sl);
  }

  /**
   * The y scale while every finite value is the same (range 0): their magnitude (1 when they
   * are 0 or there are none), so that a loss reading y itself (not only differences of y) sees
   * the same scaled values for f and for f × c. python-adaptive uses 1 here.
   */
  private flatScale(): number {
    let m = 0;
    for (let k = 0; k < this.vdim; k++) {
      const lo = Math.abs(this.yMin[k] as number);
      const hi = Math.abs(this.yMax[k] as number);
      if (Number.isFinite(lo) && lo > m) m = lo;
      if (Number.isFinite(hi) && hi > m) m = hi;
    }
    return m > 0 ? m : 1;
  }

  /**
   * intervalLoss when the y range overflows (finite values spanning more than
   * Number.MAX_VALUE, e.g. ±1e308): values and range are both halved, which is exact, so the
   * scaled values are those the range would give if it were representable.
   */
  private intervalLossHalved(l: number, r: number, sl: number, sr: number): number {
    let half = 0;
    for (let k = 0; k < this.vdim; k++) {
      const h = (this.yMax[k] as number) / 2 - (this.yMin[k] as number) / 2;
      if (h > half) half = h;
    }
    if (!this.finiteY(l) || !this.finiteY(r)) return sr - sl;
    const nn = this.nn;
    this.fillSlot(nn, l, half, 2);
    this.fillSlot(nn + 1, r, half, 2);
    let p = l;
    for (let j = nn - 1; j >= 0; j--) {
      p = p >= 0 ? this.realLeft(p) : -1;
      this.fillSlot(j, p, half, 2);
    }
    p = r;
    for (let j = nn + 2; j < 2 * nn + 2; j++) {
      p = p >= 0 ? this.realRight(p) : -1;
      this.fillSlot(j, p, half, 2);
    }
    if (this.fastDefault && !this.vector) {
      const loss = hypot(sr - sl, (this.sys[nn + 1] as number) - (this.sys[nn] as number));
      return Number.isNaN(loss) ? sr - sl : loss;
    }
    return this.callLoss(sr - sl);
  }

  /**
   * Calls the user's loss function. When it throws or returns something not a number, the
   * error is kept for the public call to throw once its update is complete (LearnerND does
   * the same), and the interval's loss is its width, as for a NaN loss.
   */
  private callLoss(width: number): number {
    let loss: unknown;
    try {
      loss = this.lossFunction(this.sxs, this.sys);
    } catch (e) {
      this.lossError ??= e instanceof Error ? e : new Error(String(e));
      return width;
    }
    if (typeof loss !== 'number') {
      this.lossError ??= new TypeError(
        `Learner1D: the loss function returned ${describe(loss)}, expected a number`,
      );
      return width;
    }
    return Number.isNaN(loss) ? width : loss;
  }

  // The first error of a user loss function during an update: the update completes (that
  // interval's loss is then its width), and the public call throws it afterwards.
  private lossError: Error | null = null;

  /** Throws the error kept by callLoss, if any: the told data is in the learner. */
  private throwLossError(): void {
    const e = this.lossError;
    if (e === null) return;
    this.lossError = null;
    if (e instanceof TypeError && e.message.startsWith('Learner1D:')) throw e;
    throw new Error(`Learner1D: the loss function threw: ${e.message} (the data was kept)`, {
      cause: e,
    });
  }

  /** python's `_update_interpolated_loss_in_interval`: the real loss and its combined pieces. */
  private updateInterval(l: number, r: number): void {
    const loss = this.intervalLoss(l, r);
    this.setRealLoss(l, r, loss);
    const xs = this.xs;
    const nc = this.nc;
    const xl = xs[l] as number;
    const dx = (xs[r] as number) - xl;
    let a = l;
    let xa = xl;
    for (;;) {
      const b = nc[a] as number;
      const xb = xs[b] as number;
      this.setCombLoss(a, ((xb - xa) * loss) / dx);
      if (b === r) break;
      a = b;
      xa = xb;
    }
  }

  private updateScale(id: number): void {
    const d = this.vdim;
    const ys = this.ys;
    let scale = 0;
    for (let k = 0; k < d; k++) {
      const y = ys[id * d + k] as number;
      if (Number.isFinite(y)) {
        if (y < (this.yMin[k] as number)) this.yMin[k] = y;
        if (y > (this.yMax[k] as number)) this.yMax[k] = y;
      }
      const range = (this.yMax[k] as number) - (this.yMin[k] as number);
      if (range > scale) scale = range;
    }
    this.yScale = scale;
  }

  private recomputeAll(): void {
    let l = this.head;
    if (l >= 0 && ((this.state[l] as number) & KIND) !== REAL) l = this.realRight(l);
    while (l >= 0) {
      const r = this.realRight(l);
      if (r < 0) break;
      this.updateInterval(l, r);
      l = r;
    }
    this.oldYScale = this.yScale;
  }

  // ---------------------------------------------------------------- validation

  private checkX(x: unknown, what: string): number {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(
        `Learner1D.${what}: the point must be a finite number, got ${describe(x)}`,
      );
    }
    if (x < this.bounds[0] || x > this.bounds[1]) {
      throw new RangeError(
        `Learner1D.${what}: point ${x} is outside the bounds [${this.bounds[0]}, ${this.bounds[1]}]`,
      );
    }
    return x + 0; // -0 → 0
  }

  /** Validates a value; returns its vector length (0 for a scalar). */
  private checkY(x: number, y: unknown, what: string, vdim: number, vector: boolean): number {
    if (typeof y === 'number') {
      if (vdim !== 0 && vector) {
        throw new TypeError(
          `Learner1D.${what}: value at x=${x} is a number, but earlier values were vectors of length ${vdim}`,
        );
      }
      return 0;
    }
    if (Array.isArray(y) || ArrayBuffer.isView(y)) {
      const v = y as ArrayLike<unknown>;
      if (v.length === 0)
        throw new TypeError(`Learner1D.${what}: value at x=${x} is an empty vector`);
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number') {
          throw new TypeError(
            `Learner1D.${what}: value at x=${x} must hold numbers only, got ${describe(y)}`,
          );
        }
      }
      if (vdim !== 0 && !vector) {
        throw new TypeError(
          `Learner1D.${what}: value at x=${x} is a vector, but earlier values were numbers`,
        );
      }
      if (vdim !== 0 && v.length !== vdim) {
        throw new RangeError(
          `Learner1D.${what}: value at x=${x} has length ${v.length}, but earlier values had length ${vdim}`,
        );
      }
      return v.length;
    }
    throw new TypeError(
      `Learner1D.${what}: value at x=${x} must be a number or an array of numbers, got ${describe(y)}`,
    );
  }

  private setShape(len: number): void {
    this.vector = len > 0;
    this.vdim = len > 0 ? len : 1;
    this.ys = new Float64Array(this.cap * this.vdim);
    this.yMin = new Float64Array(this.vdim).fill(INF);
    this.yMax = new Float64Array(this.vdim).fill(-INF);
    this.vbuf = Array.from({ length: 2 + 2 * this.nn }, () => new Float64Array(this.vdim));
  }

  // ---------------------------------------------------------------- protocol

  /**
   * Tells the value `y` at `x`. A point told before is ignored (its first value stays).
   * O(log n + pending points in the enclosing interval), plus an amortised O(1) share of
   * the full recomputation when the y range doubles.
   * @throws TypeError/RangeError naming the point when x is outside the bounds or y has the
   *   wrong shape; the learner is then unchanged. An Error "the loss function threw: …
   *   (the data was kept)" (its `cause` the original) when the loss function throws or
   *   returns no number: the point is told, that interval's loss is its width.
   */
  tell(x: number, y: Value1D): void {
    const xx = this.checkX(x, 'tell');
    const len = this.checkY(xx, y, 'tell', this.vdim, this.vector);
    if (this.vdim === 0) this.setShape(len);
    this.tellUnchecked(xx, y);
    this.throwLossError();
  }

  private tellUnchecked(x: number, y: Value1D): void {
    let id = this.findNode(x);
    if (id >= 0) {
      if (((this.state[id] as number) & KIND) === REAL) return;
      this.pending.delete(x);
    } else {
      id = this.insertNode(x, this.predecessor(x));
    }
    this.sorted = null;
    if (x === this.bounds[0]) this.realLo = true;
    if (x === this.bounds[1]) this.realHi = true;
    this.state[id] = ((this.state[id] as number) & DIRTY) | REAL;
    this.nReal++;
    if (typeof y === 'number') this.ys[id] = y;
    else {
      const d = this.vdim;
      for (let k = 0; k < d; k++) this.ys[id * d + k] = y[k] as number;
    }
    const L = this.realLeft(id);
    const R = this.realRight(id);
    this.updateScale(id);
    this.updateAround(id, L, R);
  }

  /**
   * python's `_update_losses(x, real=True)` for the evaluated node id with evaluated
   * neighbours L and R: the real intervals within nn+1 points, each with its combined
   * pieces; the combined intervals outside the real hull; then the recomputation rule.
   */
  private updateAround(id: number, L: number, R: number): void {
    const nn = this.nn;
    let start = L < 0 ? id : L;
    for (let j = 0; j < nn && start !== id; j++) {
      const p = this.realLeft(start);
      if (p < 0) break;
      start = p;
    }
    let end = R < 0 ? id : R;
    for (let j = 0; j < nn && end !== id; j++) {
      const p = this.realRight(end);
      if (p < 0) break;
      end = p;
    }
    for (let l = start; l !== end; ) {
      const r = l === L ? id : l === id ? R : this.realRight(l);
      this.updateInterval(l, r);
      l = r;
    }
    const a = this.pc[id] as number;
    const b = this.nc[id] as number;
    if (L < 0 && a >= 0) this.setCombLoss(a, INF);
    if (R < 0 && b >= 0) this.setCombLoss(id, INF);

    if (this.yScale > this.factor * this.oldYScale) this.recomputeAll();
  }

  /**
   * Replaces the value at an evaluated point by `value` and updates the losses that depend
   * on it; the y range grows with `rangeSample` (python's AverageLearner1D widens it by each
   * new sample, not by the mean). Used by {@link AverageLearner1D}. O(log n).
   * @internal
   */
  updateValue(x: number, value: number, rangeSample: number): void {
    const id = this.findNode(x);
    if (id < 0 || ((this.state[id] as number) & KIND) !== REAL) {
      throw new RangeError(`Learner1D.updateValue: ${x} is not an evaluated point`);
    }
    if (this.vector) throw new TypeError('Learner1D.updateValue: scalar output only');
    this.sorted = null;
    this.ys[id] = value;
    if (Number.isFinite(rangeSample)) {
      if (rangeSample < (this.yMin[0] as number)) this.yMin[0] = rangeSample;
      if (rangeSample > (this.yMax[0] as number)) this.yMax[0] = rangeSample;
      const range = (this.yMax[0] as number) - (this.yMin[0] as number);
      if (range > this.yScale) this.yScale = range;
    }
    this.updateAround(id, this.realLeft(id), this.realRight(id));
    this.throwLossError();
  }

  /**
   * The neighbours of the point x (evaluated, or with `real: false` evaluated or pending)
   * and the losses of the intervals on each side: NaN for a missing neighbour, +Infinity
   * for a missing loss. x must be a point of the learner. O(log n).
   * @internal
   */
  around(
    x: number,
    options?: LossOptions,
  ): { left: number; right: number; leftLoss: number; rightLoss: number } {
    const real = options?.real ?? true;
    const id = this.findNode(x);
    if (id < 0) throw new RangeError(`Learner1D.around: ${x} is not a point of the learner`);
    const l = real ? this.realLeft(id) : (this.pc[id] as number);
    const r = real ? this.realRight(id) : (this.nc[id] as number);
    const loss = real ? this.lossR : this.lossC;
    const isReal = ((this.state[id] as number) & KIND) === REAL;
    return {
      left: l >= 0 ? (this.xs[l] as number) : Number.NaN,
      right: r >= 0 ? (this.xs[r] as number) : Number.NaN,
      leftLoss: l >= 0 && (!real || isReal) ? (loss[l] as number) : INF,
      rightLoss: r >= 0 && (!real || isReal) ? (loss[id] as number) : INF,
    };
  }

  /**
   * Tells many points at once: the same state as telling them one by one, in O(k log n)
   * (python-adaptive's batch path is O(n²)). All points and values are validated first.
   */
  tellMany(xs: readonly number[], ys: readonly Value1D[]): void {
    if (!Array.isArray(xs) || !Array.isArray(ys)) {
      throw new TypeError('Learner1D.tellMany: points and values must be arrays');
    }
    if (xs.length !== ys.length) {
      throw new RangeError(`Learner1D.tellMany: ${xs.length} points but ${ys.length} values`);
    }
    const clean = new Array<number>(xs.length);
    let vdim = this.vdim;
    let vector = this.vector;
    for (let i = 0; i < xs.length; i++) {
      const x = this.checkX(xs[i], 'tellMany');
      const len = this.checkY(x, ys[i], 'tellMany', vdim, vector);
      if (vdim === 0) {
        vdim = len > 0 ? len : 1;
        vector = len > 0;
      }
      clean[i] = x;
    }
    if (xs.length > 0 && this.vdim === 0) this.setShape(vector ? vdim : 0);
    for (let i = 0; i < clean.length; i++) this.tellUnchecked(clean[i] as number, ys[i] as Value1D);
    this.throwLossError();
  }

  /** Marks `x` as being evaluated, so `ask` does not hand it out again. O(log n). */
  tellPending(x: number): void {
    this.tellPendingAt(this.checkX(x, 'tellPending'), -1);
  }

  // While one ask marks many points pending, the evaluated neighbours of the nodes it
  // walks over are remembered (stamp === memoNow, -2: that side not known yet), so each
  // pending node between two evaluated ones is walked over once per ask, not once per point.
  private memoOn = false;
  private memoNow = 0;
  private memoStamp: Uint32Array = new Uint32Array(0);
  private memoL: Int32Array = new Int32Array(0);
  private memoR: Int32Array = new Int32Array(0);

  /** Starts remembering evaluated neighbours for one ask (see `memoNow`). */
  private memoStart(nodes: number): void {
    if (this.memoStamp.length < nodes) {
      this.memoStamp = new Uint32Array(nodes);
      this.memoL = new Int32Array(nodes);
      this.memoR = new Int32Array(nodes);
      this.memoNow = 0;
    }
    if (this.memoNow === 0xffffffff) {
      this.memoStamp.fill(0);
      this.memoNow = 0;
    }
    this.memoNow++;
    this.memoOn = true;
  }

  /** realLeft (left) or realRight of node id, through the memo; fills it on the way. */
  private memoReal(id: number, left: boolean): number {
    const link = left ? this.pc : this.nc;
    const out = left ? this.memoL : this.memoR;
    const stamp = this.memoStamp;
    const now = this.memoNow;
    const m = stamp.length;
    let p = link[id] as number;
    let found = -1;
    while (p >= 0) {
      if (((this.state[p] as number) & KIND) === REAL) {
        found = p;
        break;
      }
      if (p < m && stamp[p] === now && out[p] !== -2) {
        found = out[p] as number;
        break;
      }
      p = link[p] as number;
    }
    // Second pass: every pending node walked over has the same evaluated neighbour.
    for (let q = link[id] as number; q >= 0 && q !== p; q = link[q] as number) {
      if (q >= m) continue;
      if (stamp[q] !== now) {
        stamp[q] = now;
        // A node's other side is not known yet: mark it unknown by walking later.
        this.memoL[q] = left ? found : -2;
        this.memoR[q] = left ? -2 : found;
      } else out[q] = found;
    }
    return found;
  }

  // The evaluated neighbours found by the last tellPendingAt (see its `sameInterval`).
  private lastL = -1;
  private lastR = -1;

  /**
   * Marks x pending and returns its node (-1 when x was a point already); `hint` is a node
   * left of x (from ask), or -1 to search. With `sameInterval` the evaluated neighbours of x
   * are those of the previous call (x lies between its point and the same evaluated right
   * neighbour), so they are not searched for again.
   */
  private tellPendingAt(x: number, hint: number, sameInterval = false): number {
    let p = hint;
    if (p >= 0) {
      const xs = this.xs;
      const nc = this.nc;
      let q = nc[p] as number;
      while (q >= 0 && (xs[q] as number) < x) {
        p = q;
        q = nc[p] as number;
      }
      if (q >= 0 && xs[q] === x) return -1;
    } else {
      if (this.findNode(x) >= 0) return -1;
      p = this.predecessor(x);
    }
    const id = this.insertNode(x, p);
    this.state[id] = PENDING;
    this.pending.set(x, id);
    const known = sameInterval && hint >= 0 && p === hint;
    const memo = this.memoOn;
    const L = known ? this.lastL : memo ? this.memoReal(id, true) : this.realLeft(id);
    const R = known ? this.lastR : memo ? this.memoReal(id, false) : this.realRight(id);
    this.lastL = L;
    this.lastR = R;
    if (memo && id < this.memoStamp.length) {
      this.memoStamp[id] = this.memoNow;
      this.memoL[id] = L;
      this.memoR[id] = R;
    }
    const a = this.pc[id] as number;
    const b = this.nc[id] as number;
    if (L >= 0 && R >= 0) {
      const xs = this.xs;
      const dx = (xs[R] as number) - (xs[L] as number);
      const loss = this.lossR[L] as number;
      this.setCombLoss(a, ((x - (xs[a] as number)) * loss) / dx);
      this.setCombLoss(id, (((xs[b] as number) - x) * loss) / dx);
    } else {
      if (a >= 0) this.setCombLoss(a, INF);
      if (b >= 0) this.setCombLoss(id, INF);
    }
    return id;
  }

  /** Forgets every pending point. O(k log n) for k pending points. */
  removeUnfinished(): void {
    if (this.pending.size === 0) return;
    this.flush();
    this.syncIndex();
    const touched: number[] = [];
    const ids: number[] = [];
    this.pending.forEach((_x, id) => {
      ids.push(id);
    });
    for (const id of ids) {
      const x = this.xs[id] as number;
      this.index.delete(x);
      if (x === this.bounds[0]) this.hasLo = false;
      if (x === this.bounds[1]) this.hasHi = false;
      const p = this.pc[id] as number;
      const q = this.nc[id] as number;
      if (p >= 0) this.nc[p] = q;
      else this.head = q;
      if (q >= 0) this.pc[q] = p;
      else this.tail = p;
      this.qC.delete(id);
      this.state[id] = 0;
      this.free.push(id);
      if (p >= 0 && ((this.state[p] as number) & KIND) === REAL) touched.push(p);
    }
    this.pending.clear();
    // Each touched node now starts a real interval again (or ends the data). Its combined
    // loss is computed as a tell computes it, (b − a)·loss/dx, which can differ from the real
    // loss in the last bit: python-adaptive copies the real loss here, which makes its
    // state depend on whether points were once pending; ours depends on the data only.
    for (const l of touched) {
      if (((this.state[l] as number) & KIND) !== REAL) continue;
      const r = this.realRight(l);
      if (r >= 0) {
        const dx = (this.xs[r] as number) - (this.xs[l] as number);
        this.setCombLoss(l, (dx * (this.lossR[l] as number)) / dx);
      } else this.qC.delete(l);
    }
    this.flush();
  }

  /**
   * The largest interval loss: of the evaluated data (`real`, default), or including pending
   * points. +Infinity with fewer than two points, and while a bound is not evaluated (for
   * `real: false`: neither evaluated nor pending). python-adaptive counts a pending bound as
   * present for the real loss too, so a parallel run can meet a loss goal, and stop, before
   * its bounds arrive (its #271); here the real loss waits for them. O(1).
   */
  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    if (real ? !this.realLo || !this.realHi : !this.hasLo || !this.hasHi) return INF;
    if (real) this.flushReal();
    else this.flush();
    const q = real ? this.qR : this.qC;
    const top = q.peek();
    if (top < 0) return INF;
    return (real ? this.lossR[top] : this.lossC[top]) as number;
  }

  // ---------------------------------------------------------------- ask

  // Scratch for the "quals" of one ask: interval [qa, qb] split into qn pieces of loss ql.
  private qa: Float64Array = new Float64Array(16);
  private qb: Float64Array = new Float64Array(16);
  private qn: Float64Array = new Float64Array(16);
  private ql: Float64Array = new Float64Array(16);
  private qf: Float64Array = new Float64Array(16);
  private qnode: Int32Array = new Int32Array(16);
  private qheap: Int32Array = new Int32Array(16);

  /** Whether qual i comes before qual j: python's `(-finite_loss, (a, b, n))` order. */
  private qualBefore(i: number, j: number): boolean {
    const fi = this.qf[i] as number;
    const fj = this.qf[j] as number;
    if (fi !== fj) return fi > fj;
    const ai = this.qa[i] as number;
    const aj = this.qa[j] as number;
    if (ai !== aj) return ai < aj;
    const bi = this.qb[i] as number;
    const bj = this.qb[j] as number;
    if (bi !== bj) return bi < bj;
    return (this.qn[i] as number) < (this.qn[j] as number);
  }

  private qualPush(i: number, m: number): void {
    const h = this.qheap;
    let p = m;
    while (p > 0) {
      const q = (p - 1) >> 1;
      if (!this.qualBefore(i, h[q] as number)) break;
      h[p] = h[q] as number;
      p = q;
    }
    h[p] = i;
  }

  private qualSiftDown(m: number): void {
    const h = this.qheap;
    const i = h[0] as number;
    let p = 0;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= m) break;
      if (c + 1 < m && this.qualBefore(h[c + 1] as number, h[c] as number)) c++;
      if (!this.qualBefore(h[c] as number, i)) break;
      h[p] = h[c] as number;
      p = c;
    }
    h[p] = i;
  }

  private ensureQuals(m: number): void {
    if (m <= this.qa.length) return;
    let cap = this.qa.length * 2;
    while (cap < m) cap *= 2;
    const f = (a: Float64Array): Float64Array => {
      const r = new Float64Array(cap);
      r.set(a);
      return r;
    };
    const g = (a: Int32Array): Int32Array => {
      const r = new Int32Array(cap);
      r.set(a);
      return r;
    };
    this.qa = f(this.qa);
    this.qb = f(this.qb);
    this.qn = f(this.qn);
    this.ql = f(this.ql);
    this.qf = f(this.qf);
    this.qnode = g(this.qnode);
    this.qheap = g(this.qheap);
  }

  /**
   * Returns `n` points expected to reduce the loss most, and the loss improvement of each.
   * Bounds come first; then each chosen interval is split evenly (greedy water-filling of
   * `max(loss_i / pieces_i)`). With `tellPending: false` the learner is left as it was.
   * O(n log n + log N), whatever n and the number of points N; the pending points of the
   * intervals it splits are walked over once per ask.
   * @throws RangeError when n is not a non-negative integer, or when the learner would hold
   *   more than {@link LEARNER1D_MAX_POINTS} points.
   */
  ask(n: number, options?: AskOptions): AskResult<number> {
    const tellPending = checkAsk('Learner1D.ask', n, options);
    if (n === 0) return { points: [], lossImprovements: [] };
    checkAskLimit('Learner1D.ask', n, this.nReal + this.pending.size, LEARNER1D_MAX_POINTS);
    // Sized up front (at most n points): no regrowth while filling.
    const points: number[] = new Array(n);
    const imps: number[] = new Array(n);
    let count = 0;
    const [lo, hi] = this.bounds;
    const missLo = !this.hasLo;
    const missHi = !this.hasHi;
    const nMissing = (missLo ? 1 : 0) + (missHi ? 1 : 0);
    if (missLo) points[count++] = lo;
    if (missHi && count < n) points[count++] = hi;
    for (let i = 0; i < count; i++) imps[i] = INF;

    if (nMissing >= n) {
      // only bounds
    } else if (this.head < 0) {
      // numpy.linspace(a, b, n): i * step + a, the last point exactly b.
      const step = (hi - lo) / (n - 1);
      // Where the bounds hold fewer than n doubles, pieces round onto each other (or onto
      // hi): each point is handed out once.
      count = 0;
      for (let i = 0; i < n; i++) {
        const x = i === n - 1 ? hi : i * step + lo;
        if (count > 0 && !(x > (points[count - 1] as number))) continue;
        if (x === hi && i !== n - 1) continue;
        points[count] = x;
        imps[count++] = INF;
      }
    } else {
      count = this.askIntervals(n - nMissing, missLo, missHi, points, imps, count);
    }
    if (count < n) {
      points.length = count;
      imps.length = count;
    }

    if (tellPending) {
      const hints = this.hints;
      const nh = this.nHints;
      const spread = this.head < 0; // linspace on an empty learner: points increase
      // The points of one split interval come in increasing order: each starts its search at
      // the node made for the one before and keeps its evaluated neighbours, so a big ask
      // into few intervals costs O(n), not O(n²) walks over the points it just added.
      let prev = -1;
      let prevHint = -2;
      if (points.length > 1) this.memoStart(this.used + points.length);
      for (let i = 0; i < points.length; i++) {
        const x = points[i] as number;
        if (spread) {
          prev = this.tellPendingAt(x, i === 0 ? -1 : prev, i > 0);
          continue;
        }
        const hint = i < nMissing || nh === 0 ? -1 : (hints[i - nMissing] as number);
        const same = i > nMissing && hint === prevHint && prev >= 0;
        prev = this.tellPendingAt(x, same ? prev : hint, same);
        prevHint = i < nMissing ? -2 : hint;
      }
      this.memoOn = false;
    }
    this.nHints = 0;
    return { points, lossImprovements: imps };
  }

  // For each point of the last ask, the node left of its interval (a search hint).
  private hints: Int32Array = new Int32Array(64);
  private nHints = 0;

  private nq = 0;

  private addQual(a: number, b: number, k: number, loss: number, node: number): void {
    const i = this.nq++;
    this.qa[i] = a;
    this.qb[i] = b;
    this.qn[i] = k;
    this.ql[i] = loss;
    this.qf[i] = finiteLoss(loss, b - a, this.xScale, k);
    this.qnode[i] = node;
    this.qualPush(i, i);
  }

  /** Fills points/imps from index `count` on; returns the new count. */
  private askIntervals(
    toGo: number,
    missLo: boolean,
    missHi: boolean,
    points: number[],
    imps: number[],
    count: number,
  ): number {
    const xs = this.xs;
    const xScale = this.xScale;
    this.ensureQuals(toGo + 3);
    this.nq = 0;
    if (missLo || missHi) {
      const first = this.head;
      const last = this.tail;
      if (missLo) this.addQual(this.bounds[0], xs[first] as number, 1, INF, -1);
      if (missHi) this.addQual(xs[last] as number, this.bounds[1], 1, INF, last);
    }
    let m = this.nq; // quals in the heap
    const qC = this.qC;
    this.flush();
    qC.rewind();
    let ival = qC.next();
    for (let step = 0; step < toGo; step++) {
      let takeIval: boolean;
      if (m === 0) takeIval = ival >= 0;
      else if (ival < 0) takeIval = false;
      else {
        // (finite_loss(ival), (a, b)) >= (finite_loss(qual), (a, b, n)) as python tuples.
        const q = this.qheap[0] as number;
        const fi = this.qC.key(ival);
        const fq = this.qf[q] as number;
        if (fi !== fq) takeIval = fi > fq;
        else {
          const a = xs[ival] as number;
          const qa = this.qa[q] as number;
          if (a !== qa) takeIval = a > qa;
          else {
            const b = xs[this.nc[ival] as number] as number;
            const qb = this.qb[q] as number;
            takeIval = b !== qb ? b > qb : false; // (a, b) < (a, b, n)
          }
        }
      }
      if (takeIval) {
        const b = this.nc[ival] as number;
        this.addQual(
          xs[ival] as number,
          xs[b] as number,
          2,
          (this.lossC[ival] as number) / 2,
          ival,
        );
        m++;
        ival = qC.next();
      } else if (m > 0) {
        const q = this.qheap[0] as number;
        m--;
        if (m > 0) {
          this.qheap[0] = this.qheap[m] as number;
          this.qualSiftDown(m);
        }
        const k = this.qn[q] as number;
        // Re-use slot q for (a, b, k + 1): its heap entry was just removed.
        this.ql[q] = ((this.ql[q] as number) * k) / (k + 1);
        this.qn[q] = k + 1;
        this.qf[q] = finiteLoss(
          this.ql[q] as number,
          (this.qb[q] as number) - (this.qa[q] as number),
          xScale,
          k + 1,
        );
        this.qualPush(q, m++);
      } else {
        break; // nothing left to split
      }
    }
    // Emit the quals in order: linspace(a, b, k) inside each, decreasing loss. The quals
    // are a heap in that order: pop them (O(m log m), no allocation).
    const h = this.qheap;
    while (m > 0) {
      const q = h[0] as number;
      m--;
      if (m > 0) {
        h[0] = h[m] as number;
        this.qualSiftDown(m);
      }
      const k = this.qn[q] as number;
      if (k < 2) continue;
      const a = this.qa[q] as number;
      const b = this.qb[q] as number;
      const step = (b - a) / k;
      const loss = this.ql[q] as number;
      let prev = a;
      for (let i = 1; i < k; i++) {
        const x = a + step * i;
        // At machine precision a piece can round onto an end or onto its neighbour:
        // never hand out a point twice.
        if (!(x > prev && x < b)) continue;
        prev = x;
        points[count] = x;
        imps[count++] = loss;
        if (this.nHints === this.hints.length) {
          const h2 = new Int32Array(this.nHints * 2);
          h2.set(this.hints);
          this.hints = h2;
        }
        this.hints[this.nHints++] = this.qnode[q] as number;
      }
    }
    return count;
  }

  // ---------------------------------------------------------------- data out

  /**
   * The intervals and their losses in x order: between evaluated points (`real`, default,
   * python-adaptive's `losses`) or between evaluated and pending points (`real: false`,
   * its `losses_combined`). O(n).
   * @example learner.intervalLosses() // [{ x0: -1, x1: 0, loss: 0.7 }, ...]
   */
  intervalLosses(options?: LossOptions): { x0: number; x1: number; loss: number }[] {
    const real = options?.real ?? true;
    const out: { x0: number; x1: number; loss: number }[] = [];
    let l = this.head;
    if (real && l >= 0 && ((this.state[l] as number) & KIND) !== REAL) l = this.realRight(l);
    const loss = real ? this.lossR : this.lossC;
    for (; l >= 0; ) {
      const r = real ? this.realRight(l) : (this.nc[l] as number);
      if (r < 0) break;
      out.push({ x0: this.xs[l] as number, x1: this.xs[r] as number, loss: loss[l] as number });
      l = r;
    }
    return out;
  }

  private sortedData(): { x: Float64Array; y: Float64Array } {
    if (this.sorted !== null) return this.sorted;
    const n = this.nReal;
    const d = this.vdim === 0 ? 1 : this.vdim;
    const x = new Float64Array(n);
    const y = new Float64Array(n * d);
    let i = 0;
    let l = this.head;
    if (l >= 0 && ((this.state[l] as number) & KIND) !== REAL) l = this.realRight(l);
    for (; l >= 0; l = this.realRight(l)) {
      x[i] = this.xs[l] as number;
      for (let k = 0; k < d; k++) y[i * d + k] = this.ys[l * d + k] as number;
      i++;
    }
    this.sorted = { x, y };
    return this.sorted;
  }

  /** The evaluated points sorted by x, as `{ x, y }` records. O(n). */
  toRecords(): Record1D[] {
    const { x, y } = this.sortedData();
    const d = this.vdim === 0 ? 1 : this.vdim;
    const out: Record1D[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      out[i] = {
        x: x[i] as number,
        y: this.vector ? Array.from(y.subarray(i * d, i * d + d)) : (y[i] as number),
      };
    }
    return out;
  }

  /**
   * The evaluated points sorted by x as typed arrays: `x` (length n) and `y` (length n·vdim,
   * row-major: the values of point i are `y[i·vdim … i·vdim + vdim)`). O(n).
   */
  toArrays(): { x: Float64Array; y: Float64Array; vdim: number } {
    const { x, y } = this.sortedData();
    return { x: x.slice(), y: y.slice(), vdim: this.vdim === 0 ? 1 : this.vdim };
  }

  /**
   * The piecewise-linear interpolant of the evaluated data at x (a number, or a vector for
   * vector output); NaN outside the sampled range. O(log n) per point.
   * @example learner.interpolate(0.25); learner.interpolate([0, 0.5, 1]);
   */
  interpolate(x: number): number | number[];
  interpolate(xs: readonly number[]): (number | number[])[];
  interpolate(q: number | readonly number[]): (number | number[]) | (number | number[])[] {
    if (typeof q === 'number') return this.interpolateOne(q);
    if (!Array.isArray(q))
      throw new TypeError('Learner1D.interpolate: expected a number or an array of numbers');
    return q.map((x) => this.interpolateOne(x));
  }

  private interpolateOne(x: number): number | number[] {
    if (typeof x !== 'number')
      throw new TypeError(`Learner1D.interpolate: expected a number, got ${describe(x)}`);
    const { x: X, y: Y } = this.sortedData();
    const d = this.vdim === 0 ? 1 : this.vdim;
    const n = X.length;
    const out = (f: (k: number) => number): number | number[] => {
      if (!this.vector) return f(0);
      const r = new Array<number>(d);
      for (let k = 0; k < d; k++) r[k] = f(k);
      return r;
    };
    if (n === 0 || !(x >= (X[0] as number) && x <= (X[n - 1] as number)))
      return out(() => Number.NaN);
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((X[mid] as number) <= x) lo = mid;
      else hi = mid;
    }
    const x0 = X[lo] as number;
    const x1 = X[hi] as number;
    if (x === x0) return out((k) => Y[lo * d + k] as number);
    if (x === x1) return out((k) => Y[hi * d + k] as number);
    const t = (x - x0) / (x1 - x0);
    return out((k) => {
      const y0 = Y[lo * d + k] as number;
      const y1 = Y[hi * d + k] as number;
      return y0 + t * (y1 - y0);
    });
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: bounds, the evaluated points and values, the interval
   * losses (stale ones included, so a restored learner asks exactly the same points), the
   * y range and the pending points. Data only: restore it into a learner built with the
   * same options. O(n).
   */
  snapshot(): LearnerSnapshot {
    const { x, y } = this.sortedData();
    const d = this.vdim === 0 ? 1 : this.vdim;
    const xsOut: JsonNumber[] = Array.from(x);
    const ysOut: (JsonNumber | JsonNumber[])[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      ysOut[i] = this.vector
        ? (encodeValue(y.subarray(i * d, i * d + d)) as JsonNumber[])
        : encodeNumber(y[i] as number);
    }
    const losses: JsonNumber[] = [];
    let l = this.head;
    if (l >= 0 && ((this.state[l] as number) & KIND) !== REAL) l = this.realRight(l);
    for (let r = l >= 0 ? this.realRight(l) : -1; r >= 0; l = r, r = this.realRight(r)) {
      losses.push(encodeNumber(this.lossR[l] as number));
    }
    // The combined losses are stored too: after removeUnfinished a combined loss equals its
    // real one exactly, after a tell it is (b - a)·loss/dx, which may differ in the last bit.
    const combinedLosses: JsonNumber[] = [];
    for (let c = this.head; c >= 0 && (this.nc[c] as number) >= 0; c = this.nc[c] as number) {
      combinedLosses.push(encodeNumber(this.lossC[c] as number));
    }
    return {
      type: 'Learner1D',
      version: SNAPSHOT_VERSION,
      bounds: [this.bounds[0], this.bounds[1]],
      loss: this.lossFunction.lossName ?? this.lossFunction.name,
      nthNeighbors: this.nn,
      vdim: this.vector ? this.vdim : this.vdim === 0 ? 0 : -1,
      x: xsOut,
      y: ysOut,
      losses,
      combinedLosses,
      yMin: Array.from(this.yMin, encodeNumber),
      yMax: Array.from(this.yMax, encodeNumber),
      oldYScale: encodeNumber(this.oldYScale),
      pending: this.pendingPoints,
    };
  }

  /**
   * Replaces this learner's state by a snapshot's. A malformed or foreign snapshot throws a
   * TypeError naming the problem and leaves the learner as it was. O(n log n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new Learner1D({
      bounds: this.bounds,
      loss: this.lossFunction,
      recomputeLossesFactor: this.factor,
    });
    fresh.load(snapshot, this);
    Object.assign(this, fresh);
  }

  private load(s: LearnerSnapshot, target: Learner1D): void {
    const { bad, num, arr } = snapshotReader('Learner1D', SNAPSHOT_VERSION, s);
    const b = s.bounds as unknown;
    if (!Array.isArray(b) || b[0] !== target.bounds[0] || b[1] !== target.bounds[1]) {
      bad(
        `the snapshot has bounds ${describe(b)}, this learner [${target.bounds[0]}, ${target.bounds[1]}]`,
      );
    }
    const lossName = target.lossFunction.lossName ?? target.lossFunction.name;
    if (s.loss !== lossName)
      bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
    const sx = arr(s.x, 'x');
    const sy = arr(s.y, 'y');
    const sl = arr(s.losses, 'losses');
    const sp = arr(s.pending, 'pending');
    const sc = arr(s.combinedLosses, 'combinedLosses');
    if (sy.length !== sx.length) bad(`x has ${sx.length} entries but y has ${sy.length}`);
    if (sl.length !== Math.max(0, sx.length - 1))
      bad(`losses must have ${Math.max(0, sx.length - 1)} entries, got ${sl.length}`);
    const vd = s.vdim;
    if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1)
      bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
    if (vd === 0 && sx.length > 0) bad('vdim 0 (no data) but the snapshot has points');
    const len = vd === -1 ? 0 : (vd as number);
    const xs: number[] = [];
    const ys: Value1D[] = [];
    for (let i = 0; i < sx.length; i++) {
      const x = num(sx[i], `x[${i}]`);
      if (!Number.isFinite(x) || x < this.bounds[0] || x > this.bounds[1])
        bad(`x[${i}] = ${x} is outside the bounds`);
      if (i > 0 && !(x > (xs[i - 1] as number))) bad('x must be strictly increasing');
      const y = decodeValue(sy[i]);
      if (y === undefined)
        bad(`y[${i}] is not a number or a vector of numbers: ${describe(sy[i])}`);
      if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
        bad(`y[${i}] does not have the snapshot's shape (vdim ${vd})`);
      }
      xs.push(x);
      ys.push(y as Value1D);
    }
    // Losses are stored (a stale one is part of the state: it decides the next asks) but
    // checked: a loss is never NaN (a NaN loss is replaced by the interval's width).
    const losses = sl.map((v, i) => {
      const l = num(v, `losses[${i}]`);
      if (Number.isNaN(l)) bad(`losses[${i}] is NaN (a learner never stores a NaN loss)`);
      return l;
    });
    const pend: number[] = [];
    const xset = new Set(xs);
    for (let i = 0; i < sp.length; i++) {
      const p = num(sp[i], `pending[${i}]`);
      if (!Number.isFinite(p) || p < this.bounds[0] || p > this.bounds[1])
        bad(`pending[${i}] = ${p} is outside the bounds`);
      if (xset.has(p)) bad(`pending[${i}] = ${p} is also an evaluated point`);
      if (i > 0 && !(p > (pend[i - 1] as number))) bad('pending must be strictly increasing');
      pend.push(p);
    }
    if (sc.length !== Math.max(0, sx.length + sp.length - 1)) {
      bad(
        `combinedLosses must have ${Math.max(0, sx.length + sp.length - 1)} entries, got ${sc.length}`,
      );
    }
    const combined = sc.map((v, i) => {
      const l = num(v, `combinedLosses[${i}]`);
      if (Number.isNaN(l)) bad(`combinedLosses[${i}] is NaN (a learner never stores a NaN loss)`);
      return l;
    });
    const d = vd === 0 ? 0 : vd === -1 ? 1 : (vd as number);
    const yMin = arr(s.yMin, 'yMin').map((v, i) => num(v, `yMin[${i}]`));
    const yMax = arr(s.yMax, 'yMax').map((v, i) => num(v, `yMax[${i}]`));
    if (yMin.length !== d || yMax.length !== d) bad(`yMin and yMax must have ${d} entries`);
    const oldYScale = num(s.oldYScale, 'oldYScale');
    // The last recomputation's scale cannot exceed the y range (it only grows).
    let scaleNow = 0;
    for (let k = 0; k < d; k++) {
      const lo = yMin[k] as number;
      const hi = yMax[k] as number;
      if (Number.isNaN(lo) || Number.isNaN(hi)) bad('yMin and yMax must not be NaN');
      if (hi - lo > scaleNow) scaleNow = hi - lo;
    }
    if (!(oldYScale >= 0 && oldYScale <= scaleNow) && !(oldYScale === 0 && scaleNow === 0)) {
      bad(`oldYScale = ${oldYScale} must be between 0 and the y range ${scaleNow}`);
    }

    // Build: one node per point in x order, both lists linked, losses as stored.
    if (xs.length > 0 || vd !== 0) this.setShape(len);
    const n = xs.length;
    const total = n + pend.length;
    if (total > this.cap) this.grow(total);
    const keys = new Float64Array(total);
    const ids = new Int32Array(total);
    let prevC = -1;
    const realIds = new Int32Array(n);
    for (let i = 0, j = 0, t = 0; t < total; t++) {
      const real = j >= pend.length || (i < n && (xs[i] as number) < (pend[j] as number));
      const x = real ? (xs[i] as number) : (pend[j] as number);
      const id = this.allocNode(x);
      keys[t] = x;
      ids[t] = id;
      this.pc[id] = prevC;
      if (prevC >= 0) {
        this.nc[prevC] = id;
        this.lossC[prevC] = combined[t - 1] as number;
      }
      prevC = id;
      if (real) {
        this.state[id] = REAL;
        const y = ys[i] as Value1D;
        if (typeof y === 'number') this.ys[id] = y;
        else for (let k = 0; k < this.vdim; k++) this.ys[id * this.vdim + k] = y[k] as number;
        realIds[i] = id;
        i++;
      } else {
        this.state[id] = PENDING;
        this.pending.set(x, id);
        j++;
      }
    }
    this.nReal = n;
    this.realLo = n > 0 && xs[0] === this.bounds[0];
    this.realHi = n > 0 && xs[n - 1] === this.bounds[1];
    this.index.build(keys, ids);
    this.head = total > 0 ? (ids[0] as number) : -1;
    this.tail = total > 0 ? (ids[total - 1] as number) : -1;
    this.hasLo = total > 0 && keys[0] === this.bounds[0];
    this.hasHi = total > 0 && keys[total - 1] === this.bounds[1];
    if (d > 0) {
      this.yMin.set(yMin);
      this.yMax.set(yMax);
      let scale = 0;
      for (let k = 0; k < d; k++) {
        const r = (yMax[k] as number) - (yMin[k] as number);
        if (r > scale) scale = r;
      }
      this.yScale = scale;
    }
    this.oldYScale = oldYScale;
    for (let i = 0; i + 1 < n; i++) {
      this.setRealLoss(realIds[i] as number, realIds[i + 1] as number, losses[i] as number);
    }
    for (let t = 0; t + 1 < total; t++) {
      const id = ids[t] as number;
      this.setCombLoss(id, this.lossC[id] as number);
    }
  }

  /** Throws if an internal invariant does not hold (for tests). O(n log n). */
  checkValid(): void {
    this.flush();
    this.flushReal();
    this.syncIndex();
    this.index.checkValid();
    this.qR.checkValid();
    this.qC.checkValid();
    let prevC = -1;
    let prevR = -1;
    let nr = 0;
    let np = 0;
    this.index.forEach((x, id) => {
      if (this.xs[id] !== x)
        throw new Error(`Learner1D: index maps ${x} to node ${id} at ${this.xs[id]}`);
      if (this.pc[id] !== prevC) throw new Error(`Learner1D: combined list broken at x=${x}`);
      if (prevC >= 0 && this.nc[prevC] !== id)
        throw new Error(`Learner1D: combined next broken at x=${x}`);
      if (((this.state[id] as number) & KIND) === REAL) {
        nr++;
        if (prevR >= 0 && !this.qR.has(prevR))
          throw new Error(`Learner1D: real interval at ${this.xs[prevR]} not queued`);
        prevR = id;
      } else if (((this.state[id] as number) & KIND) === PENDING) {
        np++;
        if (this.pending.get(x) !== id)
          throw new Error(`Learner1D: pending node ${x} missing from the pending set`);
      } else throw new Error(`Learner1D: dead node ${id} in the index`);
      if (prevC >= 0 && !this.qC.has(prevC))
        throw new Error(`Learner1D: combined interval at ${this.xs[prevC]} not queued`);
      prevC = id;
    });
    if (this.head !== this.index.first() || this.tail !== prevC)
      throw new Error('Learner1D: head or tail of the combined list is stale');
    if (prevC >= 0 && this.nc[prevC] !== -1)
      throw new Error('Learner1D: combined list does not end at the last node');
    if (nr !== this.nReal) throw new Error(`Learner1D: ${nr} real nodes, npoints ${this.nReal}`);
    if (np !== this.pending.size)
      throw new Error(`Learner1D: ${np} pending nodes, pending set ${this.pending.size}`);
    if (this.qR.size !== Math.max(0, nr - 1))
      throw new Error(`Learner1D: ${this.qR.size} real losses for ${nr} points`);
    if (this.qC.size !== Math.max(0, nr + np - 1)) {
      throw new Error(`Learner1D: ${this.qC.size} combined losses for ${nr + np} points`);
    }
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, loss
   * and recomputeLossesFactor, no data.
   * @example
   * new Learner1D({ bounds: [0, 1] }).new().npoints; // 0
   */
  new(): Learner1D {
    return new Learner1D({
      bounds: this.bounds,
      loss: this.lossFunction,
      recomputeLossesFactor: this.factor,
    });
  }
}
