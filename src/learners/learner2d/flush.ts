/**
 * Learner2D's loss updates: a flush brings the gradient caches and the losses of one
 * triangulation up to date with what the bookkeeping marked (`bookkeeping.ts`), or recomputes
 * everything when that is cheaper.
 */
import { gradient, sweep } from './gradients.js';
import { dropEmptyTriangles, EMPTY_MARK, emptyCached, growEmpty, pureLattice } from './lattice.js';
import { scalarLosses, triangleLoss } from './losses.js';
import { type Learner2DState, type MeshLosses, reserveGradients } from './state.js';

/** The flush's losses before they go into the heap (scalarLosses' output), grown by doubling. */
let lossScratch = new Float64Array(64);

/** Brings the losses (and gradient cache) of ms up to date. */
export function flush(st: Learner2DState, ms: MeshLosses): void {
  if (ms.all) {
    rebuild(st, ms);
    return;
  }
  if (ms.nV === 0 && ms.nT === 0) return;
  const mesh = ms.mesh;
  const tv = mesh.tv;
  const vflag = st.vflag;
  const bit = ms.bit;
  if (ms.tdirty.length < mesh.capacity) {
    const d = new Uint8Array(tv.length / 3);
    d.set(ms.tdirty);
    ms.tdirty = d;
  }
  const lattice = pureLattice(st);
  if (lattice && ms.empty.length < mesh.capacity) growEmpty(ms);
  if (ms.nV > 0) {
    // Level 0 at the marked vertices (which also marks their neighbours when a sweep
    // follows); level k at those and k rings around them. The last level's walk marks the
    // triangles around each vertex for a new loss.
    reserveGradients(st, ms);
    st.touching = true;
    const n0 = ms.nV;
    for (let i = 0; i < n0; i++) gradient(st, ms, ms.dirtyV[i] as number);
    for (let k = 1; k <= st.sweeps; k++) {
      const n = ms.nV;
      for (let i = 0; i < n; i++) sweep(st, ms, ms.dirtyV[i] as number, k);
    }
    st.touching = false;
    for (let i = 0; i < ms.nV; i++) {
      const v = ms.dirtyV[i] as number;
      vflag[v] = (vflag[v] as number) & ~bit;
    }
    ms.nV = 0;
  }
  if (st.fastDefault && st.vdim === 1 && ms.inRecord) {
    const list = ms.dirtyT;
    // On a pure lattice the triangles with no free lattice point leave the heap, unscored.
    const n = lattice ? dropEmptyTriangles(st, ms, list, ms.nT) : ms.nT;
    if (lossScratch.length < n) lossScratch = new Float64Array(2 * n);
    const out = lossScratch;
    scalarLosses(st, ms, list, n, out);
    const heap = ms.heap;
    const tdirty = ms.tdirty;
    for (let i = 0; i < n; i++) {
      const t = list[i] as number;
      tdirty[t] = 0;
      heap.set(t, out[i] as number);
    }
    ms.nT = 0;
    return;
  }
  const heap = ms.heap;
  const tdirty = ms.tdirty;
  // With gradients every marked triangle came from a ring walk of this flush: live and
  // finite. Without, marks from earlier insertions may have died since.
  const check = !st.needsGradients;
  for (let i = 0; i < ms.nT; i++) {
    const t = ms.dirtyT[i] as number;
    tdirty[t] = 0;
    if (check && (!mesh.isLive(t) || mesh.isGhost(t))) continue;
    if (lattice && emptyCached(st, ms, t)) {
      tdirty[t] = EMPTY_MARK;
      heap.delete(t);
      continue;
    }
    triangleLoss(st, ms, t);
    heap.set(t, st.lossOut[0] as number);
  }
  ms.nT = 0;
}

/** Recomputes every gradient and loss of ms and heapifies. O(n). */
export function rebuild(st: Learner2DState, ms: MeshLosses): void {
  ms.all = false;
  const mesh = ms.mesh;
  if (st.needsGradients) {
    reserveGradients(st, ms);
    const n = st.store.size;
    for (let v = 0; v < n; v++) if (mesh.vedge[v] !== -1) gradient(st, ms, v);
    for (let k = 1; k <= st.sweeps; k++) {
      for (let v = 0; v < n; v++) if (mesh.vedge[v] !== -1) sweep(st, ms, v, k);
    }
  }
  const count = mesh.triangleCount;
  const ids = new Int32Array(count);
  const keys = new Float64Array(count);
  // On a pure lattice the triangles with no free lattice point stay out of the heap, unscored;
  // what is known of each triangle is computed afresh (insertions without bookkeeping come
  // before a rebuild).
  const lattice = pureLattice(st);
  if (lattice) ms.empty = new Uint8Array(mesh.tv.length / 3);
  let k = 0;
  for (let t = 0; t < mesh.capacity; t++) {
    if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
    if (lattice && emptyCached(st, ms, t)) continue;
    ids[k++] = t;
  }
  if (st.fastDefault && st.vdim === 1 && ms.inRecord) scalarLosses(st, ms, ids, k, keys);
  else {
    for (let i = 0; i < k; i++) {
      triangleLoss(st, ms, ids[i] as number);
      keys[i] = st.lossOut[0] as number;
    }
  }
  ms.heap.build(ids, keys, k);
}
