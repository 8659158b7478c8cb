/**
 * Learner2D's asks: the missing corners, then one point per triangle in loss order.
 */
import { hashFloatPair } from '../../util/float-hash.js';
import type { AskOptions, AskResult, LossOptions } from '../types.js';
import { checkAsk, checkAskLimit } from '../validate.js';
import { choosePoint } from './choose.js';
import { allCornersKnown, allCornersReal, cornerKnown } from './corners.js';
import { flush } from './flush.js';
import { freeLatticePoints, pureLattice } from './lattice.js';
import { throwLossError } from './losses.js';
import { ensureR } from './meshes.js';
import { maybeRenumber } from './renumber.js';
import { copy } from './snapshot.js';
import { INF, type Learner2DState } from './state.js';
import { tellPendingAt } from './tell.js';
import type { Point2D } from './types.js';

/**
 * The largest triangle loss: of the evaluated data (`real`, default), or including pending
 * points. +Infinity until all corners (a polygon's vertices) are evaluated (for `real: false`: evaluated or
 * pending), and with no triangle. O(1) plus the deferred loss updates; the first real loss
 * read while points are pending builds the real triangulation (O(n log n), once).
 * @example learner.loss(); // 0.0086
 */
export function loss(st: Learner2DState, options?: LossOptions): number {
  const real = options?.real ?? true;
  if (real ? !allCornersReal(st) : !allCornersKnown(st)) {
    return INF;
  }
  const ms = real && st.nPending > 0 ? ensureR(st) : st.combined;
  flush(st, ms);
  throwLossError(st);
  const top = ms.heap.peek();
  if (top >= 0) return ms.heap.key(top);
  // No loss held: no triangle, or (pure lattice) none with a free lattice point left.
  return ms.mesh.triangleCount > 0 && pureLattice(st) ? 0 : INF;
}

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
export function ask(st: Learner2DState, nAsked: number, options?: AskOptions): AskResult<Point2D> {
  const tellPending = checkAsk('Learner2D.ask', nAsked, options);
  if (nAsked === 0) return { points: [], lossImprovements: [] };
  checkAskLimit('Learner2D.ask', nAsked, st.store.size, maxPoints(st));
  // On a lattice at most its free points: fewer left than asked, only those are handed out.
  const n = st.integer === null ? nAsked : Math.min(nAsked, freeLatticePoints(st));
  if (n === 0) return { points: [], lossImprovements: [] };
  // An error of the loss function surfaces before any point is handed out (an error in a
  // later update of this ask waits for the next call).
  throwLossError(st);
  if (allCornersKnown(st)) {
    flush(st, st.combined);
    throwLossError(st);
  }
  if (!tellPending) {
    const k = choose(st, n);
    if (k === n || !chooseCanContinue(st)) return askResult(st, k);
    // More points need the first ones in the triangulation: ask a copy.
    const other = copy(st);
    return ask(other, n);
  }
  if (n === 1) {
    // The serial loop's case, with exact-size arrays (push would allocate room for 17).
    if (choose(st, 1) === 0) return { points: [], lossImprovements: [] };
    const x = st.askX[0] as number;
    const y = st.askY[0] as number;
    const one = { points: [[x, y] as Point2D], lossImprovements: [st.askL[0] as number] };
    tellPendingAt(st, x, y, st.askT[0] as number);
    return one;
  }
  const points: Point2D[] = [];
  const imps: number[] = [];
  while (points.length < n) {
    const k = choose(st, n - points.length);
    if (k === 0) break;
    for (let i = 0; i < k; i++) {
      const x = st.askX[i] as number;
      const y = st.askY[i] as number;
      points.push([x, y]);
      imps.push(st.askL[i] as number);
      tellPendingAt(st, x, y, st.askT[i] as number);
    }
  }
  return { points, lossImprovements: imps };
}

/**
 * The most points (evaluated and pending) a learner can hold: 2²⁶, or fewer for long vector
 * output, so that the point records (stride numbers each) and the triangles' half-edges (about six
 * per point) stay well inside the 32-bit indices and the typed arrays' largest length.
 */
export function maxPoints(st: Learner2DState): number {
  return Math.min(2 ** 26, 2 ** Math.floor(Math.log2(2 ** 31 / st.stride)));
}

export function askResult(st: Learner2DState, k: number): AskResult<Point2D> {
  const points: Point2D[] = new Array(k);
  const imps: number[] = new Array(k);
  for (let i = 0; i < k; i++) {
    points[i] = [st.askX[i] as number, st.askY[i] as number];
    imps[i] = st.askL[i] as number;
  }
  return { points, lossImprovements: imps };
}

/** Whether a choice that came back short would find more after pending its points. */
export function chooseCanContinue(st: Learner2DState): boolean {
  return st.lastChooseShort;
}

/** Adds ask-scratch entry k = (x, y) to the seen table; false if (x, y) is there already. */
export function addSeen(
  st: Learner2DState,
  x: number,
  y: number,
  k: number,
  mask: number,
): boolean {
  const seen = st.seen;
  for (let i = hashFloatPair(x, y, mask); ; i = (i + 1) & mask) {
    const j = seen[i] as number;
    if (j < 0) {
      seen[i] = k;
      return true;
    }
    if (st.askX[j] === x && st.askY[j] === y) return false;
  }
}

/**
 * Chooses up to n points from the current state into the ask scratch (x, y, loss, combined
 * triangle): the missing corners if any (then nothing else), else one point per triangle in
 * loss order, skipping points that exist already. Leaves the learner's data unchanged.
 */
export function choose(st: Learner2DState, n: number): number {
  let k = 0;
  st.lastChooseShort = false;
  const corners = st.corners;
  if (!allCornersKnown(st)) {
    for (let c = 0; c < corners.length && k < n; c++) {
      if (cornerKnown(st, c)) continue;
      const [x, y] = corners[c] as [number, number];
      st.askX[k] = x;
      st.askY[k] = y;
      st.askL[k] = INF;
      st.askT[k] = -1;
      k++;
    }
    // The next points need the corners in the triangulation.
    st.lastChooseShort = k < n;
    return k;
  }
  const combined = st.combined;
  flush(st, combined);
  maybeRenumber(st);
  const heap = combined.heap;
  // The points chosen so far, by (x, y): an open-addressing table of indices into the ask
  // scratch (two walks can reach one point from two triangles).
  let seenMask = 0;
  if (n > 1) {
    // One point per triangle at most: the table need not be larger.
    const m = Math.min(n, combined.mesh.triangleCount + 1);
    let cap = 16;
    while (cap < 2 * m) cap *= 2;
    if (st.seen.length < cap) st.seen = new Int32Array(cap);
    seenMask = cap - 1;
    st.seen.fill(-1, 0, cap);
  }
  // One point: the top, if it can be split (the ordered walk is for more).
  if (n === 1) {
    const t = heap.peek();
    if (t >= 0 && choosePoint(st, t)) {
      st.askX[0] = st.chosenX;
      st.askY[0] = st.chosenY;
      st.askL[0] = heap.key(t);
      st.askT[0] = t;
      return 1;
    }
  }
  heap.rewind();
  while (k < n) {
    const t = heap.next();
    if (t < 0) {
      st.lastChooseShort = true;
      break;
    }
    if (!choosePoint(st, t)) continue;
    const x = st.chosenX;
    const y = st.chosenY;
    if (seenMask !== 0 && !addSeen(st, x, y, k, seenMask)) continue;
    st.askX[k] = x;
    st.askY[k] = y;
    st.askL[k] = heap.key(t);
    st.askT[k] = t;
    k++;
  }
  heap.settle();
  return k;
}
