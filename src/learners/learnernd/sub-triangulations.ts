/**
 * LearnerND's sub-triangulations: a simplex holding pending points is triangulated among
 * them (pooled TriangulationNDs), each piece queued in the combined queue (id 2g + 1 of
 * the registry) with loss × subvolume / volume.
 */

import { volumeFlat } from '../../geometry/simplex-nd.js';
import { TriangulationND } from '../../geometry/triangulation-nd.js';
import { canonical } from './simplex-loss.js';
import { growRegistry, type NDState } from './state.js';

/** A free registry id. */
function allocG(st: NDState): number {
  const f = st.gFree.pop();
  if (f !== undefined) return f;
  if (st.gUsed === st.gCap) growRegistry(st, st.gUsed + 1);
  return st.gUsed++;
}

/** Queues sub-simplex `slot` of sub-triangulation `idx` with loss × subvolume / volume. */
export function registerSub(st: NDState, idx: number, slot: number): void {
  const t = st.subTri[idx] as TriangulationND;
  const s = st.subOwner[idx] as number;
  const k = st.k;
  const d = st.dim;
  let G = st.subG[idx] as Int32Array;
  if (G.length <= slot) {
    const g2 = new Int32Array(Math.max(slot + 1, G.length * 2));
    g2.set(G);
    G = g2;
    st.subG[idx] = G;
  }
  const g = allocG(st);
  st.gSub[g] = idx;
  st.gSlot[g] = slot;
  G[slot] = g;
  const V = t.verts;
  const X = t.coords;
  canonical(st, V, slot * k, X);
  const P = st.P;
  let h = 0;
  const vp = st.subVP[idx] as Int32Array;
  const RV = st.tri.verts;
  for (let i = 0; i < k; i++) {
    const u = V[slot * k + (st.ord[i] as number)] as number;
    for (let j = 0; j < d; j++) P[i * d + j] = X[u * d + j] as number;
    h +=
      u < k
        ? (st.vHash[RV[s * k + u] as number] as number)
        : (st.pHashv[vp[u] as number] as number);
  }
  const subVol = volumeFlat(P, d);
  const key = subVol * ((st.sLoss[s] as number) / (st.sVol[s] as number));
  const id = 2 * g + 1;
  st.tiesC.tie[id] = h;
  st.qComb.set(id, Number.isFinite(key) ? key : 0);
}

/** Removes sub-simplex `slot` of sub-triangulation `idx` from the combined heap. */
function unregisterSub(st: NDState, idx: number, slot: number): void {
  const g = (st.subG[idx] as Int32Array)[slot] as number;
  st.qComb.delete(2 * g + 1);
  st.gFree.push(g);
}

/** Builds the sub-triangulation of simplex s from its pending points. */
export function createSub(st: NDState, s: number): void {
  const k = st.k;
  const d = st.dim;
  let idx = st.subFree.pop();
  if (idx === undefined) {
    idx = st.subTri.length;
    st.subTri.push(null);
    st.subOwner.push(-1);
    st.subVP.push(new Int32Array(k + 4).fill(-1));
    st.subG.push(new Int32Array(8));
  }
  const t = st.pool.pop() ?? new TriangulationND(d, 8);
  st.subTri[idx] = t;
  st.subOwner[idx] = s;
  st.sSub[s] = idx;
  const V = st.tri.verts;
  const X = st.tri.coords;
  const pts = st.PO;
  for (let i = 0; i < k; i++) {
    const v = V[s * k + i] as number;
    for (let j = 0; j < d; j++) pts[i * d + j] = X[v * d + j] as number;
  }
  t.resetToSimplex(pts);
  registerSub(st, idx, t.lastAdded[0] as number);
  insertMembers(st, s, idx);
}

/** Inserts simplex s's pending points not yet in its sub-triangulation `idx`. */
export function insertMembers(st: NDState, s: number, idx: number): void {
  const t = st.subTri[idx] as TriangulationND;
  const d = st.dim;
  for (let m = st.sPend[s] as number; m >= 0; m = st.mNextS[m] as number) {
    if (st.mIncl[m] === 1) continue;
    st.mIncl[m] = 1;
    const j = st.mPend[m] as number;
    let u: number;
    try {
      u = t.insert(st.pS.subarray(j * d, (j + 1) * d));
    } catch {
      continue; // the same scaled point twice (distinct originals): keep the first
    }
    let vp = st.subVP[idx] as Int32Array;
    if (vp.length <= u) {
      const a = new Int32Array(Math.max(u + 1, vp.length * 2)).fill(-1);
      a.set(vp);
      vp = a;
      st.subVP[idx] = vp;
    }
    vp[u] = j;
    const rem = t.lastRemoved;
    for (let i = 0; i < rem.length; i++) unregisterSub(st, idx, rem[i] as number);
    const add = t.lastAdded;
    for (let i = 0; i < add.length; i++) registerSub(st, idx, add[i] as number);
  }
}

/** Returns simplex s's sub-triangulation to the pool, its sub-simplices unqueued. */
export function destroySub(st: NDState, s: number): void {
  const idx = st.sSub[s] as number;
  if (idx < 0) return;
  const t = st.subTri[idx] as TriangulationND;
  const slots = t.slotCount;
  for (let q = 0; q < slots; q++) if (t.isSimplex(q)) unregisterSub(st, idx, q);
  st.pool.push(t);
  st.subTri[idx] = null;
  st.subOwner[idx] = -1;
  (st.subVP[idx] as Int32Array).fill(-1);
  st.subFree.push(idx);
  st.sSub[s] = -1;
  for (let m = st.sPend[s] as number; m >= 0; m = st.mNextS[m] as number) st.mIncl[m] = 0;
}
