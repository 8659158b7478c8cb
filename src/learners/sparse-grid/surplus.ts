/**
 * Surpluses, losses and the interpolant of a sparse grid: per dimension the chain of nodes
 * whose support holds a point, a walk over the attached points on the product of the
 * chains (each found from its neighbour's hash in O(1)), the surplus of a point being its
 * value minus that sum at it, and its loss from the surplus (or, for a non-finite value, a
 * stand-in). Hot path of `tell` and `interpolate`: typed scratch buffers in the state, no
 * allocation.
 */
import { describe } from '../validate.js';
import { coordHash } from './grid.js';
import {
  FULL,
  nodeBasis,
  nodeChildren,
  nodeCoordA,
  nodeIntegralA,
  ROOT,
  warpK,
} from './hierarchy.js';
import type { SparseGridLossInfo } from './losses.js';
import { CH, INF, type SGState, TOLD } from './state.js';

/**
 * A surplus at most NOISE · (terms + 1) · (|value| + Σ |weight · ancestor surplus|) counts
 * as 0 in the loss: 2^-48, 16 times the rounding of one step of the sum, so noise of a sum
 * of `terms` contributions (each rounded, weights products of exact dyadic hats) stays below
 * it (32 unit roundoffs a term), while a surplus above it is far above the rounding of the
 * values themselves.
 */
export const NOISE = 2 ** -48;
/** Every finite value told at least this in magnitude: values are held × 2^-128. */
export const HUGE = 2 ** 960;
/** Every finite value told below this in magnitude (not all 0): values are held × 2^128. */
export const TINY = 2 ** -900;

/**
 * The unit values are held in (a power of 2, see `SGState.unit`) for the largest
 * magnitude of the finite values told: sums of surpluses times hats (up to 2 per dimension)
 * stay far from overflow with huge values and far from the subnormals with tiny ones.
 */
export function unitFor(maxAbs: number): number {
  if (maxAbs >= HUGE) return 2 ** -128;
  if (maxAbs > 0 && maxAbs < TINY) return 2 ** 128;
  return 1;
}

/** Builds, per dimension, the chain of nodes whose support holds u[t], with their basis values. */
function buildChains(state: SGState): void {
  const d = state.dim;
  for (let t = 0; t < d; t++) {
    const a = state.anchors[t] as number;
    if (a === 0) chainCentred(state, t);
    else chainAnchored(state, t, a);
  }
}

/** buildChains for a centred dimension. */
function chainCentred(state: SGState, t: number): void {
  const u = state.u[t] as number;
  const base = t * CH;
  state.chainK[base] = ROOT;
  state.chainPhi[base] = 1;
  if (state.findNearest) state.chainDist[base] = Math.abs(u - 0.5);
  let len = 1;
  const cap = state.caps[t] as number;
  let k = ROOT;
  while (u !== k / FULL && nodeChildren(k, cap, state.kids) === 2) {
    k = u < k / FULL ? (state.kids[0] as number) : (state.kids[1] as number);
    const phi = nodeBasis(k, u);
    if (!(phi > 0)) break;
    state.chainK[base + len] = k;
    state.chainPhi[base + len] = phi;
    if (state.findNearest) state.chainDist[base + len] = Math.abs(u - k / FULL);
    len++;
  }
  state.chainLen[t] = len;
}

/**
 * buildChains for a dimension anchored at a quarter point: the descent follows the tree on
 * the warped positions, carrying the support's ends down, so each level costs one warpK
 * (the basis is hierarchy.ts's nodeBasisA, written out on the carried ends: the same values).
 */
function chainAnchored(state: SGState, t: number, a: number): void {
  const u = state.u[t] as number;
  const base = t * CH;
  let k = ROOT;
  let xk = warpK(a, k) / FULL;
  let lo = 0;
  let hi = 1;
  state.chainK[base] = ROOT;
  state.chainPhi[base] = 1;
  if (state.findNearest) state.chainDist[base] = Math.abs(u - xk);
  let len = 1;
  const cap = state.caps[t] as number;
  while (u !== xk && nodeChildren(k, cap, state.kids) === 2) {
    if (u < xk) {
      hi = xk;
      k = state.kids[0] as number;
    } else {
      lo = xk;
      k = state.kids[1] as number;
    }
    xk = warpK(a, k) / FULL;
    let phi: number;
    if (lo === 0) phi = u <= hi ? (hi - u) / (hi - xk) : 0;
    else if (hi === 1) phi = u >= lo ? (u - lo) / (xk - lo) : 0;
    else phi = u <= xk ? Math.max(0, (u - lo) / (xk - lo)) : Math.max(0, (hi - u) / (hi - xk));
    if (!(phi > 0)) break;
    state.chainK[base + len] = k;
    state.chainPhi[base + len] = phi;
    if (state.findNearest) state.chainDist[base + len] = Math.abs(u - xk);
    len++;
  }
  state.chainLen[t] = len;
}

/**
 * acc ← the interpolant of the attached points at `u` (chains built); with `findNearest`, also
 * the non-finite values of the nearest contributing point (see `near`).
 */
function evaluate(state: SGState): void {
  const w = state.vdim;
  for (let c = 0; c < w; c++) {
    state.acc[c] = 0;
    state.accAbs[c] = 0;
    state.accBad[c] = 0;
  }
  state.terms = 0;
  state.nearest = INF;
  state.nearestBad = false;
  const r = state.rootId;
  if (r < 0 || state.attached[r] !== 1) return;
  state.Kw.fill(ROOT);
  walk(state, 0, r, state.grid.hashes[r] as number, 1, 0);
}

/**
 * Adds the contributions of the attached points whose positions agree with Kw below t and
 * lie on the chains from t on. Point id has positions Kw (ROOT from t on), hash h; `far`
 * is the largest distance |u − x| over the dimensions below t.
 */
function walk(state: SGState, t: number, id: number, h: number, weight: number, far: number): void {
  const last = t === state.dim - 1;
  const base = t * CH;
  const f0 = Math.max(far, state.chainDist[base] as number);
  if (last) add(state, id, weight, f0);
  else walk(state, t + 1, id, h, weight, f0);
  const len = state.chainLen[t] as number;
  if (len === 1) return;
  const Kw = state.Kw;
  const g = state.grid;
  let hc = h;
  let prev = ROOT;
  for (let j = 1; j < len; j++) {
    const k = state.chainK[base + j] as number;
    hc = (hc - coordHash(t, prev) + coordHash(t, k)) | 0;
    Kw[t] = k;
    prev = k;
    const q = g.find(Kw, hc);
    if (q < 0 || state.attached[q] !== 1) break;
    const wq = weight * (state.chainPhi[base + j] as number);
    const fq = Math.max(far, state.chainDist[base + j] as number);
    if (last) add(state, q, wq, fq);
    else walk(state, t + 1, q, hc, wq, fq);
  }
  Kw[t] = ROOT;
}

/** Adds point id's contribution (weight × surplus) at distance `far` from `u`. */
function add(state: SGState, id: number, weight: number, far: number): void {
  const w = state.vdim;
  const A = state.alpha;
  const acc = state.acc;
  if (state.interp) {
    for (let c = 0; c < w; c++) acc[c] = (acc[c] as number) + weight * (A[id * w + c] as number);
    if (state.findNearest && far <= state.nearest) near(state, id, far);
    return;
  }
  // A surplus: also the scale of the sum's rounding (computeSurplus's noise floor).
  const abs = state.accAbs;
  for (let c = 0; c < w; c++) {
    const t = weight * (A[id * w + c] as number);
    acc[c] = (acc[c] as number) + t;
    abs[c] = (abs[c] as number) + Math.abs(t);
  }
  state.terms++;
}

/**
 * Keeps the non-finite values of the contributing points nearest to `u` (largest
 * coordinate distance in the unit box; a non-finite one wins a tie): where the nearest
 * evaluated point around u has a NaN or an infinite value, the interpolant is that value,
 * as nearest-neighbour interpolation would make it, so a NaN region is not interpolated
 * over, and one NaN does not blank its basis function's whole support either. (The
 * contributing points are those whose support holds u: the deepest of them are u's
 * neighbours in every refined direction.)
 */
function near(state: SGState, id: number, far: number): void {
  const w = state.vdim;
  if (far < state.nearest) {
    state.nearest = far;
    state.nearestBad = false;
    for (let c = 0; c < w; c++) state.accBad[c] = 0;
  }
  if (state.bad[id] !== 1) return;
  for (let c = 0; c < w; c++) {
    const y = state.vals[id * w + c] as number;
    if (Number.isFinite(y)) continue;
    state.accBad[c] = (state.accBad[c] as number) + y;
    state.nearestBad = true;
  }
}

/** Computes the surplus and the loss of told point id (not attached yet, its ancestors are). */
export function computeSurplus(state: SGState, id: number): void {
  const d = state.dim;
  const w = state.vdim;
  const K = state.grid.keys;
  for (let t = 0; t < d; t++)
    state.u[t] = warpK(state.anchors[t] as number, K[id * d + t] as number) / FULL;
  buildChains(state);
  evaluate(state);
  let bad = 0;
  const floor = NOISE * (state.terms + 1);
  for (let c = 0; c < w; c++) {
    const y = (state.vals[id * w + c] as number) * state.unit;
    if (Number.isFinite(y)) {
      const a = y - (state.acc[c] as number);
      state.alpha[id * w + c] = a;
      // A surplus within the rounding of its terms is 0 for the loss: whether an exact 0
      // comes out as 0 or as noise must not depend on the values' scale (ties of zero
      // surpluses are then broken by the tie keys, the same at every scale).
      state.lossAlpha[c] =
        Math.abs(a) <= floor * (Math.abs(y) + (state.accAbs[c] as number)) ? 0 : a;
    } else {
      // Left out of the sum: a non-finite value blanks only the box around its point
      // (interpolate), not the support of its basis function. Its point stands in with the
      // interpolant of its ancestors (surplus 0); the root, which has none, with the mean of
      // its finite children (rootStandIn).
      state.alpha[id * w + c] = id === state.rootId ? rootStandIn(state, c) : 0;
      state.lossAlpha[c] = 0;
      bad = 1;
    }
  }
  state.bad[id] = bad;
  if (bad === 1) state.anyNonFinite = true;
  state.lossRaw[id] = lossOf(state, id);
}

/**
 * The value the root stands in with where its own is not finite (component c, × unit): the
 * mean of the finite values of its children told (the first points along each axis), 0 if
 * none. Without it the root's surplus would be 0, and every point of the grid would expand
 * around 0 instead of around the values nearby: a NaN at the centre left the interpolant of
 * a linear function off by 0.15 RMS around it (see points.ts, which recomputes the surpluses
 * when a child is told).
 */
export function rootStandIn(state: SGState, c: number): number {
  const r = state.rootId;
  if (r < 0) return 0;
  const d = state.dim;
  const w = state.vdim;
  const K = new Int32Array(d).fill(ROOT); // rare: no shared scratch
  const kids = new Int32Array(2);
  const h = state.grid.hashes[r] as number;
  let sum = 0;
  let n = 0;
  for (let t = 0; t < d; t++) {
    const m = nodeChildren(ROOT, state.caps[t] as number, kids);
    for (let j = 0; j < m; j++) {
      const q = state.findWith(K, h, t, kids[j] as number);
      if (q < 0 || state.status[q] !== TOLD) continue;
      const y = (state.vals[q * w + c] as number) * state.unit;
      if (!Number.isFinite(y)) continue;
      sum += y; // values × unit stay below 2^896: no overflow
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}

/**
 * The loss of attached point id in value units × unit (or its scale-free stand-in), from
 * the surplus in `lossAlpha` (computeSurplus).
 */
function lossOf(state: SGState, id: number): number {
  if (id === state.rootId) return INF;
  const d = state.dim;
  const w = state.vdim;
  const K = state.grid.keys;
  let vol = 1;
  for (let t = 0; t < d; t++)
    vol *= nodeIntegralA(state.anchors[t] as number, K[id * d + t] as number);
  if (state.bad[id] === 1) {
    // A non-finite value: the loss of a surplus of 1 (the whole value range: a jump to or
    // from a non-finite value) on the edge of a non-finite region (a parent's value is
    // finite); inside one, that times the volume squared: refined last, but refined (the
    // hierarchy reaches the finite points beyond a region only through its points).
    for (let c = 0; c < w; c++) state.lossAlpha[c] = 1;
    const edge = lossFromSurplus(state, id, vol);
    return hasParent(state, id, 0) ? edge : edge * vol * vol;
  }
  state.edge[id] = state.anyNonFinite && hasParent(state, id, 1) ? 1 : 0;
  if (state.edge[id] === 1) {
    // The other side of the edge: a finite point with a non-finite parent is ranked as a
    // jump too, whatever its surplus (which only measures the distance to the parent's
    // stand-in value), so the edge is resolved from both sides; times its volume, so that
    // the finite side goes no deeper than the non-finite one (and any loss decays).
    for (let c = 0; c < w; c++) state.lossAlpha[c] = 1;
    return lossFromSurplus(state, id, vol) * vol;
  }
  return lossFromSurplus(state, id, vol);
}

/** Whether a parent of attached point id has `bad` = b (1: a non-finite value, 0: only finite ones). */
function hasParent(state: SGState, id: number, b: number): boolean {
  const n = state.parentIds(id);
  for (let i = 0; i < n; i++) {
    const p = state.parents[i] as number;
    if (p >= 0 && state.bad[p] === b) return true;
  }
  return false;
}

/** The loss of point id (basis volume `vol`) for the surplus in `lossAlpha`. */
function lossFromSurplus(state: SGState, id: number, vol: number): number {
  const d = state.dim;
  const w = state.vdim;
  const K = state.grid.keys;
  if (state.fast) {
    let m = 0;
    for (let c = 0; c < w; c++) {
      const a = Math.abs(state.lossAlpha[c] as number);
      if (a > m) m = a;
    }
    return m * vol;
  }
  const info = state.info;
  for (let c = 0; c < w; c++) info.surplus[c] = state.lossAlpha[c] as number;
  for (let t = 0; t < d; t++) {
    const k = K[id * d + t] as number;
    info.level[t] = state.grid.levels[id * d + t] as number;
    info.x[t] = nodeCoordA(
      state.anchors[t] as number,
      k,
      state.lo[t] as number,
      state.hi[t] as number,
    );
  }
  info.volume = vol;
  let l: unknown;
  try {
    l = state.lossFunction(info as SparseGridLossInfo);
  } catch (e) {
    state.lossError ??= e instanceof Error ? e : new Error(String(e));
    state.bad[id] = 1;
    return vol;
  }
  if (typeof l !== 'number' || !(l >= 0) || l === INF) {
    state.lossError ??= new TypeError(
      `SparseGridLearner: the loss function returned ${describe(l)} at ${describe(state.coords(id))}; a loss must be a finite number >= 0 (the point's basis volume was used instead)`,
    );
    state.bad[id] = 1;
    return vol;
  }
  return l;
}

/** Writes the interpolant at coordinates `state.u` to out[o…o + vdim). */
export function interpolateAt(state: SGState, out: Float64Array, o: number): void {
  const d = state.dim;
  const w = state.outputDimension;
  let inside = state.vdim > 0;
  for (let t = 0; t < d && inside; t++) {
    const a = state.lo[t] as number;
    const b = state.hi[t] as number;
    const x = state.u[t] as number;
    if (!(x >= a && x <= b)) inside = false;
    else state.u[t] = x === a ? 0 : x === b ? 1 : Math.min(1, Math.max(0, (x - a) / (b - a)));
  }
  const r = state.rootId;
  if (!inside || r < 0 || state.attached[r] !== 1) {
    for (let c = 0; c < w; c++) out[o + c] = Number.NaN;
    return;
  }
  state.interp = true;
  // The nearest point is looked for only once a non-finite value was told.
  state.findNearest = state.anyNonFinite;
  buildChains(state);
  evaluate(state);
  state.interp = false;
  state.findNearest = false;
  const unit = state.unit;
  for (let c = 0; c < w; c++) {
    const v = (state.acc[c] as number) / unit;
    // Nearest to a non-finite value: that value (NaN, or ±Infinity; opposite infinities or
    // a NaN among several tied make NaN).
    out[o + c] = state.nearestBad ? v + (state.accBad[c] as number) : v;
  }
}
