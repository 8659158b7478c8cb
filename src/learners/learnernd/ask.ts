/**
 * LearnerND's asks: the bound points first, seeded random points while no triangulation
 * exists, then python-adaptive's choice in the simplex or pending sub-simplex of largest
 * loss (the centroid when the circumcentre lies inside, else the longest edge's middle).
 */

import { choosePointKind } from '../../geometry/simplex-nd.js';
import type { TriangulationND } from '../../geometry/triangulation-nd.js';
import type { AskOptions, AskResult, LossOptions } from '../types.js';
import { checkAsk, checkAskLimit } from '../validate.js';
import { exactOutsidePlane, inDomainQx, nudgeInside } from './domain.js';
import { rngNext } from './hash.js';
import { freeLatticePointsND, latticeEmptied, latticeLoss, snapND } from './lattice.js';
import { addPending, removePending } from './pending.js';
import { pmGet } from './point-table.js';
import { flushComb, flushReal } from './queues.js';
import { canonical } from './simplex-loss.js';
import { INF, type NDState } from './state.js';

/** The most points (evaluated and pending) a LearnerND holds: its indices are 32-bit integers. */
export const MAX_POINTS = 2 ** 26;
/** The most random draws the bootstrap makes for one point before it gives up. */
const BOOTSTRAP_ATTEMPTS = 10000;

/** The body of LearnerND.loss. */
export function lossOf(st: NDState, options?: LossOptions): number {
  const real = options?.real ?? true;
  if (real ? st.nBoundData < st.nBound : st.nBoundData + st.nBoundPending < st.nBound) {
    return INF;
  }
  if (!st.tri.isReady) return INF;
  if (real) {
    flushReal(st);
    if (st.integer !== null) return latticeLoss(st, true);
    const top = st.qReal.peek();
    return top < 0 ? INF : (st.sLoss[top] as number);
  }
  flushComb(st);
  if (st.integer !== null) return latticeLoss(st, false);
  const top = st.qComb.peek();
  return top < 0 ? INF : st.qComb.key(top);
}

/** The body of LearnerND.ask. */
export function askPoints(st: NDState, n: number, options?: AskOptions): AskResult<number[]> {
  const tellPending = checkAsk('LearnerND.ask', n, options);
  const points: number[][] = [];
  const imps: number[] = [];
  if (n === 0) return { points, lossImprovements: imps };
  checkAskLimit('LearnerND.ask', n, st.nData + st.nPending, MAX_POINTS);
  // On a lattice at most its free points: fewer left than asked, only those are handed out.
  const m = st.integer === null ? n : Math.min(n, freeLatticePointsND(st));
  const rngBefore = st.rng.s;
  const cursorBefore = st.boundCursor;
  const made: number[] = [];
  const d = st.dim;
  for (let q = 0; q < m; q++) {
    const j = askOne(st);
    if (j < 0) break;
    made.push(j);
    points.push(Array.from(st.pX.subarray(j * d, (j + 1) * d)));
    imps.push(st.lastImprovement);
  }
  if (!tellPending) {
    for (let q = made.length - 1; q >= 0; q--) removePending(st, made[q] as number);
    st.rng.s = rngBefore;
    st.boundCursor = cursorBefore;
  }
  return { points, lossImprovements: imps };
}

/** One point of an ask, told pending: its pending slot, or -1 when none is left. */
export function askOne(st: NDState): number {
  const d = st.dim;
  // 1. The bound points, in order.
  for (let b = st.boundCursor; b < st.nBound; b++) {
    if (pmGet(st, st.boundPts, b * d) >= 0) continue;
    st.lastImprovement = INF;
    return addPending(st, st.boundPts, b * d, -1);
  }
  // 2. No triangulation yet: a seeded random point of the domain.
  if (!st.tri.isReady) {
    const x = st.qx;
    for (let attempt = 0; attempt < BOOTSTRAP_ATTEMPTS; attempt++) {
      for (let j = 0; j < d; j++) {
        const r = rngNext(st.rng);
        const a = st.lo[j] as number;
        const w = (st.hi[j] as number) - a;
        x[j] = Math.min(r * w + a, st.hi[j] as number);
        // On a lattice: rounded (a box only, so its bounds are integers there).
        if (st.integer !== null && st.integer[j] === 1) x[j] = Math.round(x[j] as number);
      }
      if (!inDomainQx(st) || pmGet(st, x, 0) >= 0) continue;
      if (st.planes !== null && exactOutsidePlane(st) >= 0) continue; // within tolerance only
      st.lastImprovement = INF;
      return addPending(st, x, 0, -1);
    }
    return -1;
  }
  // 3. The simplex or sub-simplex of largest loss.
  flushComb(st);
  const q = st.qComb;
  const stashId: number[] = [];
  const stashKey: number[] = [];
  let found = -1;
  let hint = -1;
  let key = 0;
  for (;;) {
    const id = q.peek();
    if (id < 0) break;
    key = q.key(id);
    hint = candidate(st, id);
    if (hint !== OUTSIDE && pmGet(st, st.qx, 0) < 0) {
      found = id;
      break;
    }
    // The choice rounds onto a known point (a simplex at machine precision), or no double
    // near it lies in the hull: skip it. On a lattice, an entry with no free lattice point
    // gets loss 0 (lattice.ts).
    stashId.push(id);
    stashKey.push(hint === OUTSIDE && st.integer !== null && latticeEmptied(st, id) ? 0 : key);
    q.delete(id);
  }
  for (let i = 0; i < stashId.length; i++) q.set(stashId[i] as number, stashKey[i] as number);
  if (found < 0) return -1;
  st.lastImprovement = key;
  return addPending(st, st.qx, 0, hint);
}

/** What `candidate` returns when no double near its choice lies in the hull. */
const OUTSIDE = -2;

/**
 * Writes the point python-adaptive would choose in queue entry `id` (real simplex 2s or
 * sub-simplex 2g + 1) to `qx`, in original coordinates; returns the real simplex, or
 * OUTSIDE. In a hull the point is moved inside exactly (see nudgeInside).
 */
export function candidate(st: NDState, id: number): number {
  const d = st.dim;
  const k = st.k;
  let X: Float64Array;
  let V: Int32Array;
  let base: number;
  let real: number;
  let vp: Int32Array | null = null;
  if ((id & 1) === 0) {
    real = id >> 1;
    X = st.tri.coords;
    V = st.tri.verts;
    base = real * k;
  } else {
    const g = id >> 1;
    const idx = st.gSub[g] as number;
    const t = st.subTri[idx] as TriangulationND;
    real = st.subOwner[idx] as number;
    X = t.coords;
    V = t.verts;
    base = (st.gSlot[g] as number) * k;
    vp = st.subVP[idx] as Int32Array;
  }
  canonical(st, V, base, X);
  const ord = st.ord;
  const P = st.P;
  const PO = st.PO;
  const RV = st.tri.verts;
  for (let i = 0; i < k; i++) {
    const u = V[base + (ord[i] as number)] as number;
    for (let j = 0; j < d; j++) P[i * d + j] = X[u * d + j] as number;
    // Original coordinates of the vertex: evaluated point or pending point.
    let src: Float64Array;
    let o: number;
    if (vp === null || u < k) {
      const rv = vp === null ? u : (RV[real * k + u] as number);
      src = st.dataX;
      o = (st.vertData[rv] as number) * d;
    } else {
      src = st.pX;
      o = (vp[u] as number) * d;
    }
    for (let j = 0; j < d; j++) PO[i * d + j] = src[o + j] as number;
  }
  const x = st.qx;
  if (choosePointKind(P, d, st.edge) === 'centroid') {
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
      // Coordinates near ±MAX_VALUE overflow the sum: then it is taken a quarter at a time
      // and the mean times 4 (powers of two: the bits the sum's mean would have).
      const mean = Number.isFinite(s) ? s / k : (centroidSumQuarter(PO, d, k, j) / k) * 4;
      x[j] = Math.min(Math.max(mean, mn), mx);
    }
  } else {
    const a = st.edge[0] as number;
    const b = st.edge[1] as number;
    for (let j = 0; j < d; j++)
      x[j] = 0.5 * (PO[a * d + j] as number) + 0.5 * (PO[b * d + j] as number);
  }
  for (let j = 0; j < d; j++) {
    x[j] = Math.min(Math.max(x[j] as number, st.lo[j] as number), st.hi[j] as number) + 0;
  }
  if (st.planes !== null && nudgeInside(st) < 0) return OUTSIDE;
  // On a lattice: the nearest free lattice point of the simplex (lattice.ts).
  if (st.integer !== null && !snapND(st)) return OUTSIDE;
  return real;
}

/** Σ PO[i·d + j] / 4 over the k vertices (each term exact: a quarter of a large double). */
function centroidSumQuarter(PO: Float64Array, d: number, k: number, j: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += (PO[i * d + j] as number) * 0.25;
  return s;
}
