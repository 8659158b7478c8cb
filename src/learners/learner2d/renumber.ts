/**
 * Learner2D's renumbering along a Hilbert curve (cache locality at large n; nothing
 * observable changes).
 */
import { flush } from './flush.js';
import { hilbert, RADIX, radixPass } from './order.js';
import { phAdd } from './pending.js';
import { KIND, type Learner2DState, PENDING } from './state.js';

/** The live vertices from which the renumbering starts. */
const RENUMBER_FROM = 32768;
/** The factor by which the live vertices grow between renumberings. */
const RENUMBER_GROWTH = 1.5;

/**
 * Every time the number of vertices grows by half (from 32 768 on), renumbers them along a
 * Hilbert curve and the triangles by their smallest vertex, so that neighbours in the plane
 * are neighbours in memory (the loss updates of a tell then stay in a few cache lines).
 * Nothing observable changes: every choice depends on coordinates, never on ids. O(n),
 * amortised O(1) per point.
 */
export function maybeRenumber(st: Learner2DState): void {
  const live = st.store.size - st.freeV.length;
  if (live < RENUMBER_FROM || live < RENUMBER_GROWTH * st.renumberedAt) return;
  renumber(st);
}

export function renumber(st: Learner2DState): void {
  const combined = st.combined;
  const real = st.real;
  if (real !== null && !real.all) flush(st, real);
  const stride = st.stride;
  const old = st.store.xy;
  const size = st.store.size;
  // The live vertices by Hilbert key (keys[v]; ties by id): a two-pass radix sort.
  const keys = new Uint32Array(size);
  const ids0 = new Int32Array(size);
  let n = 0;
  for (let v = 0; v < size; v++) {
    if (((st.vflag[v] as number) & KIND) === 0) continue;
    keys[v] = hilbert((old[stride * v] as number) + 0.5, (old[stride * v + 1] as number) + 0.5);
    ids0[n++] = v;
  }
  const ids1 = new Int32Array(n);
  const count = new Int32Array(RADIX + 1);
  radixPass(keys, ids0, ids1, n, 0, count);
  const ids = radixPass(keys, ids1, ids0, n, 16, count);
  const vmap = new Int32Array(size).fill(-1);
  const rec = new Float64Array(old.length);
  const xo = new Float64Array(st.xo.length);
  const vflag = new Uint8Array(st.vflag.length);
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    vmap[v] = i;
    for (let k = 0; k < stride; k++) rec[stride * i + k] = old[stride * v + k] as number;
    xo[2 * i] = st.xo[2 * v] as number;
    xo[2 * i + 1] = st.xo[2 * v + 1] as number;
    vflag[i] = st.vflag[v] as number;
  }
  st.store.xy = rec;
  st.store.size = n;
  st.xo = xo;
  st.vflag = vflag;
  st.freeV = [];
  const remapStart = (e: number, tmap: Int32Array): number =>
    e < 0 ? e : 3 * (tmap[(e / 3) | 0] as number) + (e % 3);
  const tmapC = combined.mesh.renumber(vmap, n);
  combined.heap.remap(tmapC);
  combined.tdirty = new Uint8Array(combined.mesh.tv.length / 3);
  combined.empty = new Uint8Array(combined.mesh.tv.length / 3); // ids moved: computed again
  const metaOffset = st.metaOffset;
  for (let v = 0; v < n; v++) {
    if (!combined.mesh.hasVertex(v)) continue;
    const meta = rec[stride * v + metaOffset] as number;
    rec[stride * v + metaOffset] = 2 * remapStart((meta | 0) >> 1, tmapC) + (meta & 1);
  }
  if (real !== null) {
    const tmapR = real.mesh.renumber(vmap, n);
    if (real.all) real.heap.clear();
    else real.heap.remap(tmapR);
    real.tdirty = new Uint8Array(real.mesh.tv.length / 3);
    real.empty = new Uint8Array(real.mesh.tv.length / 3);
    if (!real.all) {
      const B = st.gradLength + 1;
      const g = new Float64Array(Math.max(real.grad.length, st.store.capacity * B));
      const m = Math.min(size, real.grad.length / B);
      for (let v = 0; v < m; v++) {
        const w = vmap[v] as number;
        if (w < 0 || !real.mesh.hasVertex(w)) continue;
        for (let k = 0; k < B; k++) g[B * w + k] = real.grad[B * v + k] as number;
        g[B * w + B - 1] = remapStart(real.grad[B * v + B - 1] as number, tmapR);
      }
      real.grad = g;
    }
  }
  st.pendingTable.fill(-1);
  for (let v = 0; v < n; v++) if (((vflag[v] as number) & KIND) === PENDING) phAdd(st, v);
  st.interpHint = -1;
  st.renumberedAt = n;
}
