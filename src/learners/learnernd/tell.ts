/**
 * LearnerND's tells: values checked, stored and inserted into the triangulation, the
 * losses around each new point updated, the pending points of the removed simplices bound
 * to the new ones; pending points told and forgotten.
 */

import { MAX_DIM } from '../../geometry/predicates-nd.js';
import { checkTellMany, describe } from '../validate.js';
import { checkPoint, isBoundAt, scaleInto } from './domain.js';
import { hashCoords } from './hash.js';
import { checkLatticeND, latticeIntegers } from './lattice.js';
import { addPending, bindPending, removePending, unlinkFromPending } from './pending.js';
import { pmGet, pmSet } from './point-table.js';
import { updateRange } from './queues.js';
import { computeLoss, markDirty, newSimplex, throwLossError } from './simplex-loss.js';
import { ensureSimplexCap, FINITE, growData, type NDState, REBUILD, setShape } from './state.js';
import { destroySub } from './sub-triangulations.js';
import type { ValueND } from './types.js';

/** Scratch: a data point's lattice integers (MAX_DIM long, the first d used). */
const QI = new Float64Array(MAX_DIM);

/** The body of LearnerND.tell. */
export function tellOne(st: NDState, point: readonly number[], value: ValueND): void {
  const x = checkPoint(st, point, 'tell');
  checkLatticeND(st, x, point, 'tell');
  const len = checkValue(value, point, 'tell', st.vdim, st.vector);
  const code = pmGet(st, x, 0);
  if (code >= 0 && (code & 1) === 0) return;
  if (st.vdim === 0) setShape(st, len);
  tellUnchecked(st, x, value, code);
  throwLossError(st);
}

/** The body of LearnerND.tellMany. */
export function tellBatch(
  st: NDState,
  points: readonly (readonly number[])[],
  values: readonly ValueND[],
): void {
  checkTellMany('LearnerND.tellMany', points, values);
  const d = st.dim;
  const clean = new Float64Array(points.length * d);
  let vdim = st.vdim;
  let vector = st.vector;
  for (let i = 0; i < points.length; i++) {
    const x = checkPoint(st, points[i], 'tellMany');
    checkLatticeND(st, x, points[i], 'tellMany');
    clean.set(x, i * d);
    const len = checkValue(values[i], points[i], 'tellMany', vdim, vector);
    if (vdim === 0) {
      vdim = len > 0 ? len : 1;
      vector = len > 0;
    }
  }
  if (points.length > 0 && st.vdim === 0) setShape(st, vector ? vdim : 0);
  for (let i = 0; i < points.length; i++) {
    const code = pmGet(st, clean, i * d);
    if (code >= 0 && (code & 1) === 0) continue;
    tellUnchecked(st, clean.subarray(i * d, (i + 1) * d), values[i] as ValueND, code);
  }
  throwLossError(st);
}

/** Validates a value for point x; returns its vector length (0 for a number). */
export function checkValue(
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
      throw new TypeError(`LearnerND.${what}: the value at ${describe(point)} is an empty vector`);
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

/** Stores and triangulates a checked point and value; `code` is its point-table code (pending) or -1. */
export function tellUnchecked(st: NDState, x: Float64Array, value: ValueND, code: number): void {
  const d = st.dim;
  let hint = -1;
  if (code >= 0) {
    const j = code >> 1;
    hint = st.pHint[j] as number;
    removePending(st, j);
  }
  if (st.nData === st.dCap) growData(st, st.nData + 1);
  const i = st.nData++;
  for (let q = 0; q < d; q++) st.dataX[i * d + q] = x[q] as number;
  const w = st.vdim;
  if (typeof value === 'number') st.dataY[i] = value;
  else for (let c = 0; c < w; c++) st.dataY[i * w + c] = value[c] as number;
  st.dataVert[i] = -1;
  pmSet(st, 2 * i, st.dataX, i * d);
  if (isBoundAt(st, st.dataX, i * d)) {
    st.nBoundData++;
    if (st.boundCursor < st.nBound) advanceBoundCursor(st);
  }
  updateRange(st, i);
  insertPoint(st, i, hint);
}

/** Moves the bound cursor past the bound points already evaluated. */
export function advanceBoundCursor(st: NDState): void {
  const d = st.dim;
  while (st.boundCursor < st.nBound) {
    const code = pmGet(st, st.boundPts, st.boundCursor * d);
    if (code < 0 || (code & 1) === 1) break;
    st.boundCursor++;
  }
}

/** Inserts data point i into the triangulation and updates the losses around it. */
export function insertPoint(st: NDState, i: number, hint: number): void {
  const d = st.dim;
  const tri = st.tri;
  const qs = st.qs;
  scaleInto(st, st.dataX, i * d, qs, 0);
  const wasReady = tri.isReady;
  let v: number;
  try {
    if (st.latticeFactor === null) v = tri.insert(qs, hint);
    else {
      latticeIntegers(st, i, QI);
      v = tri.insert(qs, hint, QI);
    }
  } catch (e) {
    // Two distinct points with the same scaled coordinates (rounding): the later one is
    // kept as data but not triangulated.
    if (e instanceof RangeError) return;
    throw e;
  }
  st.dataVert[i] = v;
  if (v >= st.dCap) growData(st, v + 1);
  st.vertData[v] = i;
  st.vHash[v] = hashCoords(tri.coords, v * d, d);
  if (!tri.isReady) return;
  ensureSimplexCap(st);
  const added = tri.lastAdded;
  if (!wasReady) {
    for (let a = 0; a < added.length; a++) newSimplex(st, added[a] as number);
    for (let j = st.pHead; j >= 0; j = st.pNext[j] as number) bindPending(st, j, -1);
    return;
  }
  const removed = tri.lastRemoved;
  st.stamp++;
  const stamp = st.stamp;
  const unbound = st.unbound;
  unbound.length = 0;
  for (let r = 0; r < removed.length; r++) {
    const s = removed[r] as number;
    for (let m = st.sPend[s] as number; m >= 0; ) {
      const next = st.mNextS[m] as number;
      const j = st.mPend[m] as number;
      unlinkFromPending(st, m);
      st.mFree.push(m);
      if (st.pStamp[j] !== stamp) {
        st.pStamp[j] = stamp;
        unbound.push(j);
      }
      m = next;
    }
    st.sPend[s] = -1;
    if ((st.sSub[s] as number) >= 0) destroySub(st, s);
    markDirty(st, s);
  }
  for (let a = 0; a < added.length; a++) {
    const s = added[a] as number;
    st.sStamp[s] = stamp;
    newSimplex(st, s);
  }
  if (st.nn > 0) {
    const k = st.k;
    const N = tri.nbrs;
    for (let a = 0; a < added.length; a++) {
      const s = added[a] as number;
      for (let f = 0; f < k; f++) {
        const n = N[s * k + f] as number;
        if (tri.kinds[n] !== FINITE || st.sStamp[n] === stamp) continue;
        st.sStamp[n] = stamp;
        computeLoss(st, n);
        markDirty(st, n);
        if ((st.sSub[n] as number) >= 0) st.sFlag[n] = (st.sFlag[n] as number) | REBUILD;
      }
    }
  }
  const first = added.length > 0 ? (added[0] as number) : -1;
  for (let u = 0; u < unbound.length; u++) bindPending(st, unbound[u] as number, first);
  if (tri.lastExtendedHull) {
    // The hull grew: points outside it may now be inside, and points on a hull facet the
    // new point covered lie in a new simplex too. Only while the hull grows (bootstrap).
    for (let j = st.pHead; j >= 0; j = st.pNext[j] as number) bindPending(st, j, first);
  }
}

/** The body of LearnerND.tellPending. */
export function tellPendingPoint(st: NDState, point: readonly number[]): void {
  const x = checkPoint(st, point, 'tellPending');
  checkLatticeND(st, x, point, 'tellPending');
  if (pmGet(st, x, 0) >= 0) return;
  addPending(st, x, 0, -1);
}

/** The body of LearnerND.removeUnfinished. */
export function removeAllPending(st: NDState): void {
  while (st.pHead >= 0) removePending(st, st.pHead);
  st.boundCursor = 0;
  advanceBoundCursor(st);
}
