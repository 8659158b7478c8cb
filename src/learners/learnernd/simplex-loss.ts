/**
 * LearnerND's simplex losses: python-adaptive's `_compute_loss` on each simplex's vertices
 * in lexicographic order (equal meshes give bit-identical losses), inline for the built-in
 * losses, and the dirty lists that queue the changed simplices for the heaps.
 */

import { lexCompare } from '../../geometry/predicates-nd.js';
import {
  embeddedVolumeFlat,
  factorial,
  graphVolumes,
  volumeFlat,
} from '../../geometry/simplex-nd.js';
import { describe } from '../validate.js';
import { unitCellSimplex } from './lattice.js';
import { DIRTY_C, DIRTY_R, LOSS_DEFAULT, LOSS_UNIFORM, type NDState, REBUILD } from './state.js';

/** Queues simplex s for both heaps' next update. */
export function markDirty(st: NDState, s: number): void {
  const f = st.sFlag[s] as number;
  if ((f & DIRTY_R) === 0) {
    if (st.nDirtyR === st.dirtyR.length) {
      const a = new Int32Array(st.nDirtyR * 2);
      a.set(st.dirtyR);
      st.dirtyR = a;
    }
    st.dirtyR[st.nDirtyR++] = s;
  }
  if ((f & DIRTY_C) === 0) {
    if (st.nDirtyC === st.dirtyC.length) {
      const a = new Int32Array(st.nDirtyC * 2);
      a.set(st.dirtyC);
      st.dirtyC = a;
    }
    st.dirtyC[st.nDirtyC++] = s;
  }
  st.sFlag[s] = f | DIRTY_R | DIRTY_C;
}

/** Queues simplex s, its sub-triangulation to be built again. */
export function markRebuild(st: NDState, s: number): void {
  markDirty(st, s);
  st.sFlag[s] = (st.sFlag[s] as number) | REBUILD;
}

/** The vertex positions of slot s sorted by the lexicographic order of their coordinates. */
export function canonical(st: NDState, verts: Int32Array, base: number, X: Float64Array): void {
  const ord = st.ord;
  const k = st.k;
  const d = st.dim;
  for (let i = 0; i < k; i++) {
    const vi = verts[base + i] as number;
    let j = i;
    while (j > 0 && lexCompare(X, d, verts[base + (ord[j - 1] as number)] as number, vi) > 0) {
      ord[j] = ord[j - 1] as number;
      j--;
    }
    ord[j] = i;
  }
}

/** Whether every component of data point i's value is finite. */
function valueFinite(st: NDState, i: number): boolean {
  const w = st.vdim;
  for (let c = i * w; c < i * w + w; c++) if (!Number.isFinite(st.dataY[c] as number)) return false;
  return true;
}

/** Sets the loss, volume and hash of a new simplex slot; queues it. */
export function newSimplex(st: NDState, s: number): void {
  st.sPend[s] = -1;
  st.sSub[s] = -1;
  st.sFlag[s] = (st.sFlag[s] as number) & (DIRTY_R | DIRTY_C);
  const k = st.k;
  const V = st.tri.verts;
  let h = 0;
  for (let i = 0; i < k; i++) h += st.vHash[V[s * k + i] as number] as number;
  st.sHash[s] = h;
  computeLoss(st, s);
  markDirty(st, s);
}

/**
 * Simplex s's vertices as points of the graph of f, row i = (x, multiplier · value in the
 * values' unit) of the i-th vertex in lexicographic order (`canonical` has set `st.ord`),
 * d + vdim numbers a row, into P: the default loss's graph volume.
 */
function graphPoints(st: NDState, s: number, P: Float64Array): void {
  const d = st.dim;
  const k = st.k;
  const V = st.tri.verts;
  const X = st.tri.coords;
  const ord = st.ord;
  const base = s * k;
  const w = st.vdim;
  const n = d + w;
  const m = st.mult;
  const vu = st.unit;
  for (let i = 0; i < k; i++) {
    const v = V[base + (ord[i] as number)] as number;
    const di = st.vertData[v] as number;
    for (let j = 0; j < d; j++) P[i * n + j] = X[v * d + j] as number;
    for (let c = 0; c < w; c++) P[i * n + d + c] = m * ((st.dataY[di * w + c] as number) * vu);
  }
}

/** python-adaptive's `_compute_loss`, on the vertices in lexicographic order. */
export function computeLoss(st: NDState, s: number): void {
  const d = st.dim;
  const k = st.k;
  const tri = st.tri;
  const V = tri.verts;
  const X = tri.coords;
  const base = s * k;
  canonical(st, V, base, X);
  const ord = st.ord;
  const P = st.P;
  // Volume, relative to the last vertex (python's `volume`).
  for (let i = 0; i < k; i++) {
    const v = V[base + (ord[i] as number)] as number;
    for (let j = 0; j < d; j++) P[i * d + j] = X[v * d + j] as number;
  }
  let finite = !st.restoring;
  for (let i = 0; i < k && finite; i++) {
    if (!valueFinite(st, st.vertData[V[base + i] as number] as number)) finite = false;
  }
  let vol: number;
  let loss: number;
  if (st.latticePure && unitCellSimplex(st, s)) {
    // No lattice point besides its vertices (lattice.ts): loss 0 at once, not when it
    // reaches the queue's top, where each would cost an ask a search.
    vol = volumeFlat(P, d);
    loss = 0;
  } else if (finite && st.fast === LOSS_DEFAULT && d >= 4) {
    // One LU for the volume and the graph volume (see graphVolumes).
    const w = st.vdim;
    graphPoints(st, s, P);
    const gv = graphVolumes(P, d, w);
    vol = gv.vol;
    loss = gv.graph;
  } else {
    vol = volumeFlat(P, d);
    if (!finite && !st.restoring && st.fast === LOSS_DEFAULT) loss = mixedLoss(st, s, vol);
    else if (!finite || st.fast === LOSS_UNIFORM) loss = vol;
    else if (st.fast === LOSS_DEFAULT) {
      graphPoints(st, s, P);
      loss = embeddedVolumeFlat(P, d, d + st.vdim);
    } else loss = callLoss(st, s);
  }
  st.sVol[s] = vol;
  if (st.restoring) return; // the snapshot's losses are put back afterwards
  st.sLoss[s] = Number.isFinite(loss) && !(st.planes !== null && flat(st, s, vol)) ? loss : vol;
}

/**
 * defaultLossND's loss of simplex s (vertices in `ord`) where some values are not finite:
 * the graph volume with each non-finite value replaced by the mean of the simplex's finite
 * values plus the whole value range (1 in the losses' units; 0 where python's noise rule,
 * or a single finite value, leaves the values unscaled: there no jump is the same at every
 * value scale); with no finite value, the volume. The edge of a NaN region is refined as a jump is, and a feature inside
 * finite values that NaN surrounds is found: with the volume as loss ("area only"),
 * f = NaN outside a disk of radius 0.2 in [-1, 1]² reached loss 0.01 with 2 of 91 points
 * in the disk, where f = 1 outside put 31 of 118 there.
 */
function mixedLoss(st: NDState, s: number, vol: number): number {
  const d = st.dim;
  const k = st.k;
  const w = st.vdim;
  const n = d + w;
  const m = st.mult;
  const vu = st.unit;
  const V = st.tri.verts;
  const X = st.tri.coords;
  const ord = st.ord;
  const P = st.P;
  const mean = st.lossMean;
  mean.fill(0);
  let nFinite = 0;
  for (let i = 0; i < k; i++) {
    const v = V[s * k + (ord[i] as number)] as number;
    const di = st.vertData[v] as number;
    for (let j = 0; j < d; j++) P[i * n + j] = X[v * d + j] as number;
    const ok = valueFinite(st, di);
    for (let c = 0; c < w; c++) {
      const y = ok ? m * ((st.dataY[di * w + c] as number) * vu) : Number.NaN;
      P[i * n + d + c] = y;
      if (ok) mean[c] = (mean[c] as number) + y;
    }
    if (ok) nFinite++;
  }
  if (nFinite === 0) return vol;
  for (let c = 0; c < w; c++) mean[c] = (mean[c] as number) / nFinite + st.jump;
  for (let i = 0; i < k; i++) {
    for (let c = 0; c < w; c++) {
      if (Number.isNaN(P[i * n + d + c] as number)) P[i * n + d + c] = mean[c] as number;
    }
  }
  return embeddedVolumeFlat(P, d, n);
}

/** A simplex is flat when its height is below this many ulps of the coordinates per vertex, */
const FLAT_ULPS = 4;
/** or below this times d² times its diameter (the rounding of its float volume). */
const FLAT_ROUNDING = 64 * 2 ** -52;

/**
 * Whether simplex s of a hull's mesh is flat within rounding (its height, d!·volume over
 * diameter^(d−1), below a few ulps of the coordinates): a sliver along a slanted hull
 * facet AB, with a vertex ulps inside it (AB's midpoint is rarely a double, and ask hands
 * out the nearest double inside the hull). Its graph loss, |AB| times the values' departure
 * from linear along AB, no point inside can lower, since no double lies on AB and AB's
 * midpoint rounds onto that vertex again: it gets its volume (≈ 0) as loss, as a simplex
 * with a non-finite value does, so the refinement goes on beside it. A box has no such
 * slivers (the midpoint of a face's edge lies on the face).
 */
function flat(st: NDState, s: number, vol: number): boolean {
  const d = st.dim;
  const k = st.k;
  const V = st.tri.verts;
  const X = st.tri.coords;
  const scaled = vol * factorial(d);
  // The edges from the first vertex bound the diameter: e0 ≤ diam ≤ 2·e0. Most simplices
  // are far from flat even against the upper bound: O(k·d), not O(k²·d).
  const o = (V[s * k] as number) * d;
  let e2 = 0;
  for (let i = 1; i < k; i++) e2 = Math.max(e2, dist2(X, o, (V[s * k + i] as number) * d, d));
  if (scaled > flatBound(st, 2 * Math.sqrt(e2))) return false;
  return scaled <= flatBound(st, diameter(st, s));
}

/** The diameter of simplex s (its longest edge, scaled coordinates). O(k²·d). */
export function diameter(st: NDState, s: number): number {
  const d = st.dim;
  const k = st.k;
  const V = st.tri.verts;
  const X = st.tri.coords;
  let diam2 = 0;
  for (let i = 0; i < k; i++) {
    const a = (V[s * k + i] as number) * d;
    for (let i2 = i + 1; i2 < k; i2++)
      diam2 = Math.max(diam2, dist2(X, a, (V[s * k + i2] as number) * d, d));
  }
  return Math.sqrt(diam2);
}

/** diameter^(d−1) times the flat height for that diameter (products, not `**`: the same bits in every JIT tier). */
function flatBound(st: NDState, diam: number): number {
  const d = st.dim;
  let p = FLAT_ULPS * (d + 1) * st.resolution + FLAT_ROUNDING * d * d * diam;
  for (let i = 1; i < d; i++) p *= diam;
  return p;
}

/** The squared distance of the points at X[a…] and X[b…]. */
function dist2(X: Float64Array, a: number, b: number, d: number): number {
  let l = 0;
  for (let j = 0; j < d; j++) {
    const t = (X[a + j] as number) - (X[b + j] as number);
    l += t * t;
  }
  return l;
}

/** The user loss function on simplex s (vertices in `ord`), NaN when it throws (kept in lossError). */
function callLoss(st: NDState, s: number): number {
  const d = st.dim;
  const k = st.k;
  const tri = st.tri;
  const V = tri.verts;
  const X = tri.coords;
  const base = s * k;
  const ord = st.ord;
  const m = st.mult;
  const vu = st.unit;
  const w = st.vdim;
  for (let i = 0; i < k; i++) {
    const v = V[base + (ord[i] as number)] as number;
    const di = st.vertData[v] as number;
    const x = st.lossX[i] as Float64Array;
    for (let j = 0; j < d; j++) x[j] = X[v * d + j] as number;
    if (st.vector) {
      const y = st.lossY[i] as Float64Array;
      for (let c = 0; c < w; c++) y[c] = m * ((st.dataY[di * w + c] as number) * vu);
    } else st.lossY[i] = m * ((st.dataY[di] as number) * vu);
  }
  if (st.nn > 0) {
    for (let i = 0; i < k; i++) {
      const u = tri.opposite(s, ord[i] as number);
      const di = u < 0 ? -1 : (st.vertData[u] as number);
      if (u < 0 || !valueFinite(st, di)) {
        st.nbX[i] = null;
        st.nbY[i] = null;
        continue;
      }
      const x = st.nbBuf[i] as Float64Array;
      for (let j = 0; j < d; j++) x[j] = X[u * d + j] as number;
      st.nbX[i] = x;
      if (st.vector) {
        const y = st.nbYBuf[i] as Float64Array;
        for (let c = 0; c < w; c++) y[c] = m * ((st.dataY[di * w + c] as number) * vu);
        st.nbY[i] = y;
      } else st.nbY[i] = m * ((st.dataY[di] as number) * vu);
    }
  }
  let loss: unknown;
  try {
    loss =
      st.nn === 0
        ? st.lossFunction(st.lossX, st.lossY, m)
        : st.lossFunction(st.lossX, st.lossY, m, st.nbX, st.nbY);
  } catch (e) {
    st.lossError ??= e instanceof Error ? e : new Error(String(e));
    return Number.NaN;
  }
  if (typeof loss !== 'number') {
    st.lossError ??= new TypeError(
      `LearnerND: the loss function returned ${describe(loss)}, expected a number`,
    );
    return Number.NaN;
  }
  return loss;
}

/** Throws the loss function's first error of the last update, if any (and forgets it). */
export function throwLossError(st: NDState): void {
  const e = st.lossError;
  if (e === null) return;
  st.lossError = null;
  if (e instanceof TypeError && e.message.startsWith('LearnerND:')) throw e;
  throw new Error(`LearnerND: the loss function threw: ${e.message} (the data was kept)`, {
    cause: e,
  });
}
