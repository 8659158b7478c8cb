/**
 * Learner2D's loss bookkeeping: what a change invalidates.
 *
 * A vertex whose 1-ring (positions or values) changed is marked: at the next flush
 * (`flush.ts`) its first gradient estimate is redone, the second one (after the sweep) at the
 * vertices within one ring of it, and every triangle around those gets a new loss. Without
 * gradients only the triangles added, or around a changed value, are marked.
 */
import { nextE, prevE } from '../../geometry/half-edge.js';
import { growInt32 } from '../../util/grow.js';
import { forgetEmpty, pureLattice } from './lattice.js';
import { DIRTY_T_START, type Learner2DState, type MeshLosses } from './state.js';

/** Below this many marks (triangles and vertices) waiting, the updates stay incremental. */
const ALL_FROM = 256;
/** A dirty list longer than this is dropped after a full recomputation (memory). */
const LIST_KEEP = 4096;

export function markVertex(st: Learner2DState, ms: MeshLosses, v: number): void {
  if (ms.all) return;
  const f = st.vflag[v] as number;
  if ((f & ms.bit) !== 0) return;
  st.vflag[v] = f | ms.bit;
  if (ms.nV === ms.dirtyV.length) ms.dirtyV = growInt32(ms.dirtyV, ms.nV + 1);
  ms.dirtyV[ms.nV++] = v;
  maybeAll(st, ms);
}

export function markTriangle(st: Learner2DState, ms: MeshLosses, t: number): void {
  if (ms.all) return;
  if (t >= ms.tdirty.length) {
    const d = new Uint8Array(Math.max(t + 1, ms.mesh.tv.length / 3));
    d.set(ms.tdirty);
    ms.tdirty = d;
  }
  if (ms.tdirty[t] !== 0) return;
  ms.tdirty[t] = 1;
  if (ms.nT === ms.dirtyT.length) ms.dirtyT = growInt32(ms.dirtyT, ms.nT + 1);
  ms.dirtyT[ms.nT++] = t;
  maybeAll(st, ms);
}

/**
 * Past a quarter of the triangles waiting, recomputing everything is cheaper. A marked vertex
 * costs its gradient, the sweeps of its ring and the losses of the triangles around those
 * (about seven); a full recomputation costs one gradient, one sweep and two losses per vertex,
 * so it pays from about half a marked vertex per vertex (a quarter per triangle). Only the
 * speed depends on this: both ways give the same numbers.
 */
export function maybeAll(st: Learner2DState, ms: MeshLosses): void {
  const waiting = ms.nT + ms.nV;
  if (waiting > ALL_FROM && 4 * waiting > ms.mesh.triangleCount) setAll(st, ms);
}

export function setAll(st: Learner2DState, ms: MeshLosses): void {
  for (let i = 0; i < ms.nT; i++) ms.tdirty[ms.dirtyT[i] as number] = 0;
  for (let i = 0; i < ms.nV; i++) {
    const v = ms.dirtyV[i] as number;
    st.vflag[v] = (st.vflag[v] as number) & ~ms.bit;
  }
  ms.nT = 0;
  ms.nV = 0;
  if (ms.dirtyT.length > LIST_KEEP) ms.dirtyT = new Int32Array(DIRTY_T_START);
  if (ms.dirtyV.length > LIST_KEEP) ms.dirtyV = new Int32Array(64);
  ms.all = true;
}

/** After inserting vertex v into ms.mesh: forget removed losses, mark what changed. */
export function afterInsert(st: Learner2DState, ms: MeshLosses, v: number): void {
  const mesh = ms.mesh;
  const rem = mesh.removed;
  for (let i = 0; i < mesh.nRemoved; i++) ms.heap.delete(rem[i] as number);
  const add = mesh.added;
  if (pureLattice(st)) forgetEmpty(ms, add, mesh.nAdded);
  if (ms.all) return;
  if (st.needsGradients) {
    // The ring of v and of every vertex on the cavity boundary changed.
    const tv = mesh.tv;
    markVertex(st, ms, v);
    for (let i = 0; i < mesh.nAdded; i++) {
      const u = tv[3 * (add[i] as number)] as number;
      if (u >= 0) markVertex(st, ms, u);
    }
  } else {
    for (let i = 0; i < mesh.nAdded; i++) markTriangle(st, ms, add[i] as number);
  }
}

/** After the value at v changed: v and its neighbours read it. */
export function afterValue(st: Learner2DState, ms: MeshLosses, v: number): void {
  if (ms.all) return;
  const mesh = ms.mesh;
  const e0 = mesh.vedge[v] as number;
  if (e0 < 0) return;
  const tv = mesh.tv;
  const tw = mesh.tw;
  let e = e0;
  if (!st.needsGradients) {
    do {
      markTriangle(st, ms, (e / 3) | 0);
      e = tw[prevE(e)] as number;
    } while (e !== e0);
    return;
  }
  markVertex(st, ms, v);
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0) markVertex(st, ms, u);
    e = tw[prevE(e)] as number;
  } while (e !== e0);
}

/**
 * The flush's bookkeeping on one ring walk around v (half-edge e leaving v): before the last
 * level, mark neighbour u for the next level; at the last level, mark the triangle of e for a
 * new loss.
 */
export function touch(
  st: Learner2DState,
  ms: MeshLosses,
  e: number,
  u: number,
  last: boolean,
): void {
  if (!st.touching) return;
  if (last) {
    // Ghost triangles (outside the hull) have no loss.
    if (u < 0 || (ms.mesh.tv[prevE(e)] as number) < 0) return;
    const t = (e / 3) | 0;
    if (ms.tdirty[t] === 0) {
      ms.tdirty[t] = 1;
      if (ms.nT === ms.dirtyT.length) ms.dirtyT = growInt32(ms.dirtyT, ms.nT + 1);
      ms.dirtyT[ms.nT++] = t;
    }
  } else if (u >= 0) {
    const f = st.vflag[u] as number;
    if ((f & ms.bit) === 0) {
      st.vflag[u] = f | ms.bit;
      if (ms.nV === ms.dirtyV.length) ms.dirtyV = growInt32(ms.dirtyV, ms.nV + 1);
      ms.dirtyV[ms.nV++] = u;
    }
  }
}
