import { setAll } from './bookkeeping.js';
import { flush } from './flush.js';
import { EMPTY_MARK, latticeEmpty, pureLattice } from './lattice.js';
import { phFind } from './pending.js';
import {
  cornerIndex,
  gradBase,
  isBad,
  KIND,
  type Learner2DState,
  PENDING,
  REAL,
  SHADOW,
  scaleX,
  scaleY,
} from './state.js';

/**
 * Throws if an internal invariant does not hold (for tests): the triangulations are valid
 * Delaunay triangulations of the right points, every cached gradient and every loss in the
 * heaps equals a fresh computation, and the counters and indexes agree. O(n).
 * @example learner.checkValid(); // throws if anything is wrong
 */
export function checkValid(st: Learner2DState): void {
  const fail = (why: string): never => {
    throw new Error(`Learner2D: ${why}`);
  };
  const combined = st.combined;
  const real = st.real;
  combined.mesh.checkValid();
  real?.mesh.checkValid();
  const xo = st.xo;
  const rec = st.store.xy;
  const stride = st.stride;
  let nr = 0;
  let np = 0;
  let ns = 0;
  let nps = 0; // pending shadows
  const corner = new Uint8Array(st.cornerFlag.length);
  for (let v = 0; v < st.store.size; v++) {
    const f = st.vflag[v] as number;
    const kind = f & KIND;
    if (kind === 0) {
      if (combined.mesh.hasVertex(v)) fail(`free vertex ${v} is in the combined triangulation`);
      continue;
    }
    const sx = scaleX(st, xo[2 * v] as number);
    const sy = scaleY(st, xo[2 * v + 1] as number);
    if (rec[stride * v] !== sx || rec[stride * v + 1] !== sy) {
      fail(`vertex ${v}'s scaled coordinates are stale`);
    }
    if (st.vdim > 0) {
      let finite = true;
      for (let k = 0; k < st.vdim; k++)
        if (!Number.isFinite(rec[stride * v + 2 + k])) finite = false;
      if (isBad(st, v) === finite) fail(`vertex ${v}'s non-finite marker is wrong`);
    }
    const c = cornerIndex(st, xo[2 * v] as number, xo[2 * v + 1] as number);
    if (c >= 0 && corner[c] !== 1) corner[c] = kind === REAL ? 1 : 2;
    if (kind === REAL && (f & SHADOW) !== 0) {
      nr++;
      ns++;
      const u = combined.mesh.findVertex(sx, sy);
      if (u < 0 || ((st.vflag[u] as number) & KIND) !== REAL) {
        fail(`shadow vertex ${v} has no evaluated twin`);
      }
      if (
        !(
          (xo[2 * u] as number) < (xo[2 * v] as number) ||
          (xo[2 * u] === xo[2 * v] && (xo[2 * u + 1] as number) < (xo[2 * v + 1] as number))
        )
      ) {
        fail(`shadow vertex ${v} is smaller than its triangulated twin ${u}`);
      }
      if (real?.mesh.hasVertex(v)) fail(`shadow vertex ${v} is in the real triangulation`);
      continue;
    }
    if (kind === PENDING && (f & SHADOW) !== 0) {
      np++;
      nps++;
      const u = combined.mesh.findVertex(sx, sy);
      if (u < 0 || (xo[2 * u] === xo[2 * v] && xo[2 * u + 1] === xo[2 * v + 1])) {
        fail(`pending shadow vertex ${v} has no triangulated twin`);
      }
      if (combined.mesh.hasVertex(v) || real?.mesh.hasVertex(v)) {
        fail(`pending shadow vertex ${v} is triangulated`);
      }
      if (phFind(st, xo[2 * v] as number, xo[2 * v + 1] as number) !== v) {
        fail(`pending shadow vertex ${v} is missing from the pending index`);
      }
      continue;
    }
    if (!combined.mesh.hasVertex(v)) fail(`vertex ${v} is not in the combined triangulation`);
    if (kind === REAL) {
      nr++;
      if (real !== null && !real.mesh.hasVertex(v)) {
        fail(`evaluated vertex ${v} is not in the real triangulation`);
      }
    } else if (kind === PENDING) {
      np++;
      if (real?.mesh.hasVertex(v)) fail(`pending vertex ${v} is in the real triangulation`);
      if (phFind(st, xo[2 * v] as number, xo[2 * v + 1] as number) !== v) {
        fail(`pending vertex ${v} is missing from the pending index`);
      }
    } else fail(`vertex ${v} is both evaluated and pending`);
  }
  if (nr !== st.nReal) fail(`${nr} evaluated vertices, npoints ${st.nReal}`);
  if (np !== st.nPending) fail(`${np} pending vertices, counted ${st.nPending}`);
  if (ns !== st.nShadow) fail(`${ns} shadow vertices, counted ${st.nShadow}`);
  if (corner.join() !== st.cornerFlag.join()) {
    fail(`corner flags ${st.cornerFlag.join()}, expected ${corner.join()}`);
  }
  const real1 = corner.filter((f) => f === 1).length;
  const known = corner.filter((f) => f !== 0).length;
  if (st.cornersReal !== real1 || st.cornersKnown !== known) {
    fail(`corner counts ${st.cornersReal}/${st.cornersKnown}, expected ${real1}/${known}`);
  }
  if (combined.mesh.vertexCount !== nr - ns + np - nps)
    fail('the combined triangulation has extra vertices');
  if (real !== null && real.mesh.vertexCount !== nr - ns) {
    fail('the real triangulation has extra vertices');
  }
  for (const ms of real === null ? [combined] : [combined, real]) {
    const name = ms === combined ? 'combined' : 'real';
    flush(st, ms);
    ms.heap.checkValid();
    const mesh = ms.mesh;
    // On a pure lattice the triangles with no free lattice point are out of the heap.
    const lattice = pureLattice(st);
    let held = 0;
    const kept = new Float64Array(mesh.capacity);
    for (let t = 0; t < mesh.capacity; t++) {
      if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
      const empty = lattice && latticeEmpty(st, ms, t);
      if (empty && ms.heap.has(t))
        fail(`${name} triangle ${t} has no free lattice point but a loss`);
      const mark = ms.tdirty[t] ?? 0;
      if (mark === 1) fail(`${name} triangle ${t} is marked dirty after a flush`);
      if (mark === EMPTY_MARK && !empty) {
        fail(`${name} triangle ${t} is marked as holding no free lattice point, but holds one`);
      }
      if (empty) {
        kept[t] = Number.NaN; // out of the heap
        continue;
      }
      if (!ms.heap.has(t)) fail(`${name} triangle ${t} has no loss`);
      held++;
      kept[t] = ms.heap.key(t);
    }
    if (ms.heap.n !== held) {
      fail(`the ${name} heap has ${ms.heap.n} losses for ${held} triangles to split`);
    }
    const gradLength = st.gradLength;
    const cached = new Float64Array(st.store.size * gradLength);
    const g = (): Float64Array => (ms.inRecord ? st.store.xy : ms.grad);
    for (let v = 0; v < st.store.size && st.needsGradients; v++) {
      if (!mesh.hasVertex(v)) continue;
      const o = gradBase(st, ms, v);
      for (let k = 0; k < gradLength; k++) cached[v * gradLength + k] = g()[o + k] as number;
    }
    setAll(st, ms);
    flush(st, ms); // recomputes every gradient and loss
    for (let t = 0; t < mesh.capacity; t++) {
      if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
      const fresh = ms.heap.has(t) ? ms.heap.key(t) : Number.NaN;
      if (!Object.is(fresh, kept[t])) {
        fail(`${name} triangle ${t} had loss ${kept[t]}, a fresh computation gives ${fresh}`);
      }
    }
    for (let v = 0; v < st.store.size && st.needsGradients; v++) {
      if (!mesh.hasVertex(v) || isBad(st, v)) continue;
      const o = gradBase(st, ms, v);
      for (let k = 0; k < gradLength; k++) {
        if (!Object.is(cached[v * gradLength + k], g()[o + k])) {
          fail(`${name} vertex ${v} had a stale cached gradient`);
        }
      }
    }
  }
}
