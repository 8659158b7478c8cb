/**
 * Learner1D's losses: the loss of an interval (python-adaptive's `_get_loss_in_interval`,
 * with the y scale and the non-finite cases), its pieces between pending points, the two
 * loss heaps (updated lazily: a dirty list each) and the recomputation when the y range
 * grows by `recomputeLossesFactor`.
 */
import { hypot } from '../../util/hypot.js';
import type { LossOptions } from '../types.js';
import { describe } from '../validate.js';
import {
  DIRTY,
  DIRTY_R,
  finiteLoss,
  INF,
  KIND,
  REAL,
  realLeft,
  realRight,
  type State1D,
} from './state.js';

/**
 * Sets the raw loss of the real interval starting at l. Only `loss()` reads the real-loss
 * heap (`ask` works on the combined intervals), so its update waits for that read: a run
 * without a loss goal never pays for it, and many updates at once become one O(n) heapify.
 */
export function setRealLoss(s: State1D, l: number, r: number, loss: number): void {
  // On a lattice an interval with no integer strictly inside has loss 0.
  s.lossR[l] = s.lattice && (s.xs[r] as number) - (s.xs[l] as number) <= 1 ? 0 : loss;
  const st = s.state[l] as number;
  if ((st & DIRTY_R) === 0) {
    s.state[l] = st | DIRTY_R;
    if (s.nDirtyR === s.dirtyR.length) {
      const d = new Int32Array(s.nDirtyR * 2);
      d.set(s.dirtyR);
      s.dirtyR = d;
    }
    s.dirtyR[s.nDirtyR++] = l;
  }
}

/** Applies the queued real-loss updates to their heap (or rebuilds it when most changed). */
export function flushReal(s: State1D): void {
  const n = s.nDirtyR;
  if (n === 0) return;
  const list = s.dirtyR;
  const xs = s.xs;
  for (let i = 0; i < n; i++) {
    const l = list[i] as number;
    s.state[l] = (s.state[l] as number) & ~DIRTY_R;
  }
  s.nDirtyR = 0;
  if (n * 4 > s.qR.size) {
    // Rebuild: every real interval, in x order.
    const m = Math.max(0, s.nReal - 1);
    const ids = new Int32Array(m);
    const keys = new Float64Array(m);
    let i = 0;
    let l = s.head;
    if (l >= 0 && ((s.state[l] as number) & KIND) !== REAL) l = realRight(s, l);
    for (let r = l >= 0 ? realRight(s, l) : -1; r >= 0; l = r, r = realRight(s, r)) {
      const w = (xs[r] as number) - (xs[l] as number);
      if (s.lattice && w <= 1) continue; // no integer inside: not queued (see lattice.ts)
      ids[i] = l;
      keys[i++] = finiteLoss(s.lossR[l] as number, w, s.xScale, 0);
    }
    s.qR.build(ids, keys, i);
    return;
  }
  for (let i = 0; i < n; i++) {
    const l = list[i] as number;
    const r = realRight(s, l);
    const w = (xs[r] as number) - (xs[l] as number);
    if (s.lattice && w <= 1) s.qR.delete(l);
    else s.qR.set(l, finiteLoss(s.lossR[l] as number, w, s.xScale, 0));
  }
}

/**
 * Sets the raw combined loss now and queues the heap update: a tell right after the
 * ask that made a point pending rewrites the same two intervals, so deferring the heap
 * work to the next read halves it. The heap order depends on the final keys only.
 */
export function setCombLoss(s: State1D, a: number, loss: number): void {
  s.lossC[a] = loss;
  if (s.lattice) {
    // On a lattice an interval with no integer strictly inside has loss 0.
    const b = s.nc[a] as number;
    if (b >= 0 && (s.xs[b] as number) - (s.xs[a] as number) <= 1) s.lossC[a] = 0;
  }
  const st = s.state[a] as number;
  if ((st & DIRTY) === 0) {
    s.state[a] = st | DIRTY;
    if (s.nDirty === s.dirtyList.length) {
      const d = new Int32Array(s.nDirty * 2);
      d.set(s.dirtyList);
      s.dirtyList = d;
    }
    s.dirtyList[s.nDirty++] = a;
  }
}

/** Applies the queued combined-loss updates to the heap. */
export function flush(s: State1D): void {
  const list = s.dirtyList;
  const xs = s.xs;
  for (let i = 0; i < s.nDirty; i++) {
    const a = list[i] as number;
    const st = (s.state[a] as number) & ~DIRTY;
    s.state[a] = st;
    const b = s.nc[a] as number;
    if (b < 0 || st === 0) s.qC.delete(a);
    else {
      const w = (xs[b] as number) - (xs[a] as number);
      if (s.lattice && w <= 1)
        s.qC.delete(a); // no integer inside: not queued
      else s.qC.set(a, finiteLoss(s.lossC[a] as number, w, s.xScale, 0));
    }
  }
  s.nDirty = 0;
}

/** Whether every component of node id's value is finite. */
function finiteY(s: State1D, id: number): boolean {
  if (!s.vector) return Number.isFinite(s.ys[id] as number);
  const d = s.vdim;
  for (let k = id * d; k < id * d + d; k++) if (!Number.isFinite(s.ys[k] as number)) return false;
  return true;
}

/** Puts node p's scaled point in slot j of the loss arguments: x/xScale, (y/pre)/ys. */
function fillSlot(s: State1D, j: number, p: number, ys: number, pre = 1): void {
  const xs = s.xs;
  if (p < 0) {
    s.sxs[j] = null;
    s.sys[j] = null;
    return;
  }
  s.sxs[j] = (xs[p] as number) / s.xScale;
  if (!s.vector) {
    s.sys[j] = (s.ys[p] as number) / pre / ys;
    return;
  }
  const d = s.vdim;
  const buf = s.vbuf[j] as Float64Array;
  for (let k = 0; k < d; k++) buf[k] = (s.ys[p * d + k] as number) / pre / ys;
  s.sys[j] = buf;
}

/**
 * Loss of the real interval starting at node l (python's `_get_loss_in_interval`).
 * Intervals narrower than machine precision get 0; an interval with a non-finite value at
 * an end, or a NaN loss, gets its scaled width (it is refined like `uniformLoss`, and one
 * NaN never poisons the other losses).
 */
function intervalLoss(s: State1D, l: number, r: number): number {
  const xs = s.xs;
  const xl = xs[l] as number;
  const xr = xs[r] as number;
  if (xr - xl < s.dxEps) return 0;
  const ysc = s.yScale || flatScale(s);
  const sl = xl / s.xScale;
  const sr = xr / s.xScale;
  if (ysc === INF) return intervalLossHalved(s, l, r, sl, sr);
  if (s.fastDefault && !s.vector) {
    const yl = s.ys[l] as number;
    const yr = s.ys[r] as number;
    const loss = hypot(sr - sl, yr / ysc - yl / ysc);
    if (Number.isFinite(loss)) return loss;
    return Number.isFinite(yl) && Number.isFinite(yr) && !Number.isNaN(loss) ? loss : sr - sl;
  }
  if (!finiteY(s, l) || !finiteY(s, r)) return sr - sl;
  const nn = s.nn;
  fillSlot(s, nn, l, ysc);
  fillSlot(s, nn + 1, r, ysc);
  let p = l;
  for (let j = nn - 1; j >= 0; j--) {
    p = p >= 0 ? realLeft(s, p) : -1;
    fillSlot(s, j, p, ysc);
  }
  p = r;
  for (let j = nn + 2; j < 2 * nn + 2; j++) {
    p = p >= 0 ? realRight(s, p) : -1;
    fillSlot(s, j, p, ysc);
  }
  return callLoss(s, sr - sl);
}

/**
 * The y scale while every finite value is the same (range 0): their magnitude (1 when they
 * are 0 or there are none), so that a loss reading y itself (not only differences of y) sees
 * the same scaled values for f and for f × c. python-adaptive uses 1 here.
 */
function flatScale(s: State1D): number {
  let m = 0;
  for (let k = 0; k < s.vdim; k++) {
    const lo = Math.abs(s.yMin[k] as number);
    const hi = Math.abs(s.yMax[k] as number);
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
function intervalLossHalved(s: State1D, l: number, r: number, sl: number, sr: number): number {
  let half = 0;
  for (let k = 0; k < s.vdim; k++) {
    const h = (s.yMax[k] as number) / 2 - (s.yMin[k] as number) / 2;
    if (h > half) half = h;
  }
  if (!finiteY(s, l) || !finiteY(s, r)) return sr - sl;
  const nn = s.nn;
  fillSlot(s, nn, l, half, 2);
  fillSlot(s, nn + 1, r, half, 2);
  let p = l;
  for (let j = nn - 1; j >= 0; j--) {
    p = p >= 0 ? realLeft(s, p) : -1;
    fillSlot(s, j, p, half, 2);
  }
  p = r;
  for (let j = nn + 2; j < 2 * nn + 2; j++) {
    p = p >= 0 ? realRight(s, p) : -1;
    fillSlot(s, j, p, half, 2);
  }
  if (s.fastDefault && !s.vector) {
    const loss = hypot(sr - sl, (s.sys[nn + 1] as number) - (s.sys[nn] as number));
    return Number.isNaN(loss) ? sr - sl : loss;
  }
  return callLoss(s, sr - sl);
}

/**
 * Calls the user's loss function. When it throws or returns something not a number, the
 * error is kept for the public call to throw once its update is complete (LearnerND does
 * the same), and the interval's loss is its width, as for a NaN loss.
 */
function callLoss(s: State1D, width: number): number {
  let loss: unknown;
  try {
    loss = s.lossFunction(s.sxs, s.sys);
  } catch (e) {
    s.lossError ??= e instanceof Error ? e : new Error(String(e));
    return width;
  }
  if (typeof loss !== 'number') {
    s.lossError ??= new TypeError(
      `Learner1D: the loss function returned ${describe(loss)}, expected a number`,
    );
    return width;
  }
  return Number.isNaN(loss) ? width : loss;
}

/** Throws the error kept by callLoss, if any: the told data is in the learner. */
export function throwLossError(s: State1D): void {
  const e = s.lossError;
  if (e === null) return;
  s.lossError = null;
  if (e instanceof TypeError && e.message.startsWith('Learner1D:')) throw e;
  throw new Error(`Learner1D: the loss function threw: ${e.message} (the data was kept)`, {
    cause: e,
  });
}

/** python's `_update_interpolated_loss_in_interval`: the real loss and its combined pieces. */
function updateInterval(s: State1D, l: number, r: number): void {
  const loss = intervalLoss(s, l, r);
  setRealLoss(s, l, r, loss);
  const xs = s.xs;
  const nc = s.nc;
  const xl = xs[l] as number;
  const dx = (xs[r] as number) - xl;
  let a = l;
  let xa = xl;
  for (;;) {
    const b = nc[a] as number;
    const xb = xs[b] as number;
    setCombLoss(s, a, ((xb - xa) * loss) / dx);
    if (b === r) break;
    a = b;
    xa = xb;
  }
}

/** Widens the y range by node id's value; sets yScale to the largest component range. */
export function updateScale(s: State1D, id: number): void {
  const d = s.vdim;
  const ys = s.ys;
  let scale = 0;
  for (let k = 0; k < d; k++) {
    const y = ys[id * d + k] as number;
    if (Number.isFinite(y)) {
      if (y < (s.yMin[k] as number)) s.yMin[k] = y;
      if (y > (s.yMax[k] as number)) s.yMax[k] = y;
    }
    const range = (s.yMax[k] as number) - (s.yMin[k] as number);
    if (range > scale) scale = range;
  }
  s.yScale = scale;
}

/** Recomputes every real interval's loss (the y range grew by `factor`). O(n). */
function recomputeAll(s: State1D): void {
  let l = s.head;
  if (l >= 0 && ((s.state[l] as number) & KIND) !== REAL) l = realRight(s, l);
  while (l >= 0) {
    const r = realRight(s, l);
    if (r < 0) break;
    updateInterval(s, l, r);
    l = r;
  }
  s.oldYScale = s.yScale;
}

/**
 * python's `_update_losses(x, real=True)` for the evaluated node id with evaluated
 * neighbours L and R: the real intervals within nn+1 points, each with its combined
 * pieces; the combined intervals outside the real hull; then the recomputation rule.
 */
export function updateAround(s: State1D, id: number, L: number, R: number): void {
  const nn = s.nn;
  let start = L < 0 ? id : L;
  for (let j = 0; j < nn && start !== id; j++) {
    const p = realLeft(s, start);
    if (p < 0) break;
    start = p;
  }
  let end = R < 0 ? id : R;
  for (let j = 0; j < nn && end !== id; j++) {
    const p = realRight(s, end);
    if (p < 0) break;
    end = p;
  }
  for (let l = start; l !== end; ) {
    const r = l === L ? id : l === id ? R : realRight(s, l);
    updateInterval(s, l, r);
    l = r;
  }
  const a = s.pc[id] as number;
  const b = s.nc[id] as number;
  if (L < 0 && a >= 0) setCombLoss(s, a, INF);
  if (R < 0 && b >= 0) setCombLoss(s, id, INF);

  if (s.yScale > s.factor * s.oldYScale) recomputeAll(s);
}

/** The body of {@link Learner1D.loss}: the largest interval loss. O(1) amortised. */
export function maxLoss(s: State1D, options?: LossOptions): number {
  const real = options?.real ?? true;
  if (real ? !s.realLo || !s.realHi : !s.hasLo || !s.hasHi) return INF;
  if (real) flushReal(s);
  else flush(s);
  const q = real ? s.qR : s.qC;
  const top = q.peek();
  // Both bounds are in: an empty heap on a lattice means no interval holds an integer.
  if (top < 0) return s.lattice ? 0 : INF;
  return (real ? s.lossR[top] : s.lossC[top]) as number;
}

/** The body of {@link Learner1D.intervalLosses}. O(n). */
export function intervalLosses(
  s: State1D,
  options?: LossOptions,
): { x0: number; x1: number; loss: number }[] {
  const real = options?.real ?? true;
  const out: { x0: number; x1: number; loss: number }[] = [];
  let l = s.head;
  if (real && l >= 0 && ((s.state[l] as number) & KIND) !== REAL) l = realRight(s, l);
  const loss = real ? s.lossR : s.lossC;
  for (; l >= 0; ) {
    const r = real ? realRight(s, l) : (s.nc[l] as number);
    if (r < 0) break;
    out.push({ x0: s.xs[l] as number, x1: s.xs[r] as number, loss: loss[l] as number });
    l = r;
  }
  return out;
}
