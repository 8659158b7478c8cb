/**
 * Learner2D's gradient estimate (see `losses2d.ts`), generic and scalar twins side by side.
 *
 * Level 0 at vertex v is the weighted least-squares
 * fit of a quadratic through f_v to its finite neighbours,
 *   f_u − f_v ≈ g·E + ½ Eᵀ H E   (E = p_u − p_v, weight 1/|E|²),
 * of which g is kept, and with it the sweep's curvature correction from H (below); with
 * fewer than six finite neighbours, or an ill-conditioned fit, the linear fit f_u − f_v ≈ g·E
 * instead (and no correction). Coordinates are divided by the ring's largest edge, so the
 * normal equations are well scaled at any resolution; a neighbour closer than 2⁻²⁶ of that
 * edge is left out of the fits and the sweeps (UNRESOLVED). Then `gradientSweeps` sweeps of
 * the update that scipy's Clough–Tocher gradient estimate, python-adaptive's, iterates to
 * convergence over all points (Nielson 1983; Renka & Cline 1984): the gradient at v that
 * minimises the curvature of the cubic Hermite curves along v's edges, given its neighbours'
 * gradients, plus a correction that makes it exact for quadratic data:
 *   δ_v = −Q⁻¹ Σ_u (Eᵀ H_v E) E / L³   (Q as in sweep),
 * a function of v's ring and fit only, so it is computed with level 0 (from the weighted
 * moments Σ E_i E_j E_k / L³ gathered in the same walk) and every sweep adds it. Sums run
 * counterclockwise from the lexicographically smallest neighbour: a fixed order, so the same
 * bits whatever the history.
 *
 * The cache: (sweeps + 1)·2·d numbers per vertex (level k, component c: ∂x at k·2d + 2c,
 * ∂y after it), then δ (2·d numbers, at correctionOffset) when sweeps > 0; in the vertex records for the
 * combined triangulation, in ms.grad for the real one.
 *
 * The scalar twins sit beside their generic originals: `gradientScalar`, `quadraticScalar`,
 * `linearScalar` and `sweepScalar` beside `gradient`, `quadratic`, `linear` and `sweep`. They
 * serve scalar output in the combined triangulation, the common case: the same arithmetic in
 * the same order as the generic code, each fit one loop with its sums in locals (not scratch
 * arrays or state slots: five steps handing their sums over in slots cost 2 to 4 % of a
 * serial ask/tell), and no doubles boxed across calls (1 / the ring's scale goes in a slot);
 * their rare cases (rings with an unresolved neighbour) call the generic code. A change to
 * one must be made to its twin. Pinned bit for bit
 * by "Learner2D scalar fast paths › the real triangulation (general code) has the combined
 * one's losses (fast paths), bit for bit" in `test/learners/learner2d-behaviour.test.ts` (the
 * real triangulation takes the generic code, the combined one the twins; gradientSweeps 0, 1
 * and 2), on rings with unresolved neighbours by `learner2d-near-points.test.ts`; the
 * exactness on quadratic data by `test/learners/learner2d-gradients.test.ts`.
 */
import type { Delaunay2D } from '../../geometry/delaunay2d.js';
import { nextE, prevE } from '../../geometry/half-edge.js';
import { growInt32 } from '../../util/grow.js';
import { touch } from './bookkeeping.js';
import { gradBase, type Learner2DState, type MeshLosses } from './state.js';

/**
 * The relative bound under which a 2×2 system is singular: det ≤ this · trace² (the linear
 * fit, the sweep's Q, the curvature correction).
 */
const SINGULAR_2X2 = 1e-10;

/**
 * The relative bound under which a pivot of the quadratic fit's Cholesky factorisation makes
 * it ill-conditioned: pivot ≤ this · trace of the normal matrix.
 */
const CHOLESKY_PIVOT = 1e-12;

/** Row starts of the packed upper triangle of a symmetric 5×5 matrix. */
const ROW = [0, 5, 9, 12, 14] as const;

/**
 * A neighbour u of v is unresolved when |p_u − p_v|² ≤ this · (the largest |p_w − p_v|² of
 * v's finite ring): its offset is below the rounding of the ring's unit (2⁻²⁶ of the largest
 * edge, so its squared offset, which the quadratic fit sums with the others, is below 2⁻⁵²
 * of theirs). The fits and sweeps leave it out: across such a gap a difference of values is a
 * jump, not a slope; as a slope it would weigh as much as any other neighbour's and be
 * multiplied by the whole ring's offsets in every extrapolation, the rounding of the values
 * with it (f and f × 10^k then ask different points: issue 13, learner2d-near-points.test.ts).
 * Adaptive sampling never makes such a ring: in 20 000-point runs (ring, tanh, step, |x|;
 * serial and batched) a ring's shortest edge stays above 1/50 of its longest.
 */
const UNRESOLVED = 2 ** -52;

/**
 * The fits run without that rule and report a ring that may have an unresolved neighbour, so
 * the common case pays one sum: a weight 1/|E|² (scaled) of 1/UNRESOLVED or more in level 0;
 * Σ 1/L · Σ L of 1/√UNRESOLVED or more in a sweep (an unresolved u alone gives L_max / L_u).
 * Such a ring (rare) is then summed again without its unresolved neighbours.
 */
const NEAR_WEIGHT = 1 / UNRESOLVED;
const NEAR_SWEEP = 1 / Math.sqrt(UNRESOLVED);

// What a level-0 fit did: solved; ill-conditioned (the quadratic fit only); stopped at
// NEAR_WEIGHT. Nothing is written unless SOLVED.
const SOLVED = 0;
const ILL_CONDITIONED = 1;
const NEAR = 2;

/**
 * Level 0 of the gradient at v into its cache block of ms, with the canonical start
 * half-edge (from v to its lexicographically smallest neighbour: valid until v's ring
 * changes, which makes v a marked vertex again). The ring walk also does the flush's
 * bookkeeping (see touch).
 */
export function gradient(st: Learner2DState, ms: MeshLosses, v: number): void {
  if (ms.inRecord && st.vdim === 1) {
    gradientScalar(st, ms, v);
    return;
  }
  const d = st.outputDimension;
  const g = ms.inRecord ? st.store.xy : ms.grad;
  const go = gradBase(st, ms, v);
  for (let c = 0; c < 2 * d; c++) g[go + c] = 0;
  if (st.sweeps > 0) for (let c = 0; c < 2 * d; c++) g[go + st.correctionOffset + c] = 0;
  const mesh = ms.mesh;
  const e0 = mesh.vedge[v] as number;
  if (e0 < 0) return; // held (collinear phase)
  const tv = mesh.tv;
  const tw = mesh.tw;
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const vx = rec[stride * v] as number;
  const vy = rec[stride * v + 1] as number;
  const last = st.sweeps === 0;
  // Pass 1: the start (smallest neighbour), the count and the scale of the finite ring.
  let start = -1;
  let bx = 0;
  let by = 0;
  let count = 0;
  let h2 = 0;
  let e = e0;
  do {
    const u = tv[nextE(e)] as number;
    touch(st, ms, e, u, last);
    if (u >= 0) {
      const ux = rec[stride * u] as number;
      const uy = rec[stride * u + 1] as number;
      if (start < 0 || ux < bx || (ux === bx && uy < by)) {
        start = e;
        bx = ux;
        by = uy;
      }
      if (((rec[stride * u + metaOffset] as number) & 1) === 0) {
        count++;
        const l2 = (ux - vx) * (ux - vx) + (uy - vy) * (uy - vy);
        if (l2 > h2) h2 = l2;
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== e0);
  const meta = rec[stride * v + metaOffset] as number;
  if (ms.inRecord) rec[stride * v + metaOffset] = 2 * start + (meta & 1);
  else g[go + st.gradLength] = start;
  if (count === 0 || (meta & 1) !== 0) return;
  const ih = 1 / Math.sqrt(h2);
  let fit = count >= 6 ? quadratic(st, mesh, v, start, ih, false, g, go) : ILL_CONDITIONED;
  if (fit === ILL_CONDITIONED) fit = linear(st, mesh, v, start, ih, false, g, go);
  if (fit === NEAR) gradientResolved(st, mesh, v, start, ih, g, go);
}

/**
 * Level 0 at v without its unresolved neighbours (see UNRESOLVED), for a ring whose fit
 * stopped at NEAR_WEIGHT; gradientScalar's too (the generic code is its twin).
 */
function gradientResolved(
  st: Learner2DState,
  mesh: Delaunay2D,
  v: number,
  start: number,
  ih: number,
  g: Float64Array,
  go: number,
): void {
  const count = resolvedCount(st, mesh, v, start, ih);
  if (count >= 6 && quadratic(st, mesh, v, start, ih, true, g, go) === SOLVED) return;
  linear(st, mesh, v, start, ih, true, g, go);
}

/**
 * gradient for scalar output in the combined triangulation (gradients in the records): the
 * same arithmetic in the same order as gradient, with the flush's bookkeeping inline (see
 * touch); then quadraticScalar, or linearScalar, as gradient calls quadratic or linear.
 */
export function gradientScalar(st: Learner2DState, ms: MeshLosses, v: number): void {
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const ov = stride * v;
  const go = ov + st.gradOffset;
  rec[go] = 0;
  rec[go + 1] = 0;
  if (st.sweeps > 0) {
    rec[go + st.correctionOffset] = 0;
    rec[go + st.correctionOffset + 1] = 0;
  }
  const mesh = ms.mesh;
  const e0 = mesh.vedge[v] as number;
  if (e0 < 0) return; // held (collinear phase)
  const tv = mesh.tv;
  const tw = mesh.tw;
  const vx = rec[ov] as number;
  const vy = rec[ov + 1] as number;
  const touching = st.touching;
  const last = st.sweeps === 0;
  const vflag = st.vflag;
  const bit = ms.bit;
  const tdirty = ms.tdirty;
  let start = -1;
  let bx = 0;
  let by = 0;
  let count = 0;
  let h2 = 0;
  let e = e0;
  do {
    const u = tv[nextE(e)] as number;
    if (touching) {
      if (last) {
        if (u >= 0 && (tv[prevE(e)] as number) >= 0) {
          const t = (e / 3) | 0;
          if (tdirty[t] === 0) {
            tdirty[t] = 1;
            if (ms.nT === ms.dirtyT.length) ms.dirtyT = growInt32(ms.dirtyT, ms.nT + 1);
            ms.dirtyT[ms.nT++] = t;
          }
        }
      } else if (u >= 0) {
        const f = vflag[u] as number;
        if ((f & bit) === 0) {
          vflag[u] = f | bit;
          if (ms.nV === ms.dirtyV.length) ms.dirtyV = growInt32(ms.dirtyV, ms.nV + 1);
          ms.dirtyV[ms.nV++] = u;
        }
      }
    }
    if (u >= 0) {
      const ou = stride * u;
      const ux = rec[ou] as number;
      const uy = rec[ou + 1] as number;
      if (start < 0 || ux < bx || (ux === bx && uy < by)) {
        start = e;
        bx = ux;
        by = uy;
      }
      if (((rec[ou + metaOffset] as number) & 1) === 0) {
        count++;
        const l2 = (ux - vx) * (ux - vx) + (uy - vy) * (uy - vy);
        if (l2 > h2) h2 = l2;
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== e0);
  const meta = rec[ov + metaOffset] as number;
  rec[ov + metaOffset] = 2 * start + (meta & 1);
  if (count === 0 || (meta & 1) !== 0) return;
  // 1 / the ring's scale, handed over in a slot: a double argument of a call that is not
  // inlined is boxed (a heap allocation per gradient).
  const ih = 1 / Math.sqrt(h2);
  st.fit[FIT_IH] = ih;
  let fit = count >= 6 ? quadraticScalar(st, mesh, v, start) : ILL_CONDITIONED;
  if (fit === ILL_CONDITIONED) fit = linearScalar(st, mesh, v, start);
  if (fit === NEAR) gradientResolved(st, mesh, v, start, ih, rec, go);
}

/** The `fit` slot of gradientScalar's 1 / the ring's scale (FIT_SLOTS in state.ts). */
const FIT_IH = 0;

/** The finite neighbours of v that the fits keep (see UNRESOLVED), on their scaled offsets. */
function resolvedCount(
  st: Learner2DState,
  mesh: Delaunay2D,
  v: number,
  start: number,
  ih: number,
): number {
  const tv = mesh.tv;
  const tw = mesh.tw;
  const rec = st.store.xy;
  const stride = st.stride;
  const vx = rec[stride * v] as number;
  const vy = rec[stride * v + 1] as number;
  let count = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0 && ((rec[stride * u + st.metaOffset] as number) & 1) === 0) {
      const x = ((rec[stride * u] as number) - vx) * ih;
      const y = ((rec[stride * u + 1] as number) - vy) * ih;
      if (x * x + y * y > UNRESOLVED) count++;
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  return count;
}

/**
 * The quadratic fit: SOLVED, ILL_CONDITIONED, or NEAR (a weight sum at NEAR_WEIGHT; not when
 * `resolvedOnly`, which leaves out the unresolved neighbours).
 */
function quadratic(
  st: Learner2DState,
  mesh: Delaunay2D,
  v: number,
  start: number,
  ih: number,
  resolvedOnly: boolean,
  g: Float64Array,
  go: number,
): number {
  const d = st.outputDimension;
  const tv = mesh.tv;
  const tw = mesh.tw;
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const vm = st.vm;
  const vx = rec[stride * v] as number;
  const vy = rec[stride * v + 1] as number;
  // The normal equations' 15 entries (the symmetric 5×5 matrix, row by row), summed in
  // locals, then stored in st.normal for the factorisation.
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let n4 = 0;
  let n5 = 0;
  let n6 = 0;
  let n7 = 0;
  let n8 = 0;
  let n9 = 0;
  let n10 = 0;
  let n11 = 0;
  let n12 = 0;
  let n13 = 0;
  let n14 = 0;
  if (st.rhs.length < 5 * d) st.rhs = new Float64Array(5 * d);
  const b = st.rhs;
  b.fill(0, 0, 5 * d);
  const correct = st.sweeps > 0;
  // The moments of the curvature correction (see the file header).
  let qxx = 0;
  let qxy = 0;
  let qyy = 0;
  let m30 = 0;
  let m21 = 0;
  let m12 = 0;
  let m03 = 0;
  let weights = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0 && ((rec[stride * u + metaOffset] as number) & 1) === 0) {
      const x = ((rec[stride * u] as number) - vx) * ih;
      const y = ((rec[stride * u + 1] as number) - vy) * ih;
      const l2 = x * x + y * y;
      if (!resolvedOnly || l2 > UNRESOLVED) {
        const w = 1 / l2;
        weights += w;
        const r2 = 0.5 * x * x;
        const r3 = x * y;
        const r4 = 0.5 * y * y;
        const wx = w * x;
        const wy = w * y;
        const w2 = w * r2;
        const w3 = w * r3;
        const w4 = w * r4;
        n0 += wx * x;
        n1 += wx * y;
        n2 += wx * r2;
        n3 += wx * r3;
        n4 += wx * r4;
        n5 += wy * y;
        n6 += wy * r2;
        n7 += wy * r3;
        n8 += wy * r4;
        n9 += w2 * r2;
        n10 += w2 * r3;
        n11 += w2 * r4;
        n12 += w3 * r3;
        n13 += w3 * r4;
        n14 += w4 * r4;
        if (correct) {
          const wl = w * Math.sqrt(w); // 1/L³
          const ax = wl * x;
          const ay = wl * y;
          qxx += ax * x;
          qxy += ax * y;
          qyy += ay * y;
          m30 += ax * x * x;
          m21 += ax * x * y;
          m12 += ax * y * y;
          m03 += ay * y * y;
        }
        for (let c = 0; c < d; c++) {
          const df =
            (rec[stride * u + 2 + c] as number) * vm - (rec[stride * v + 2 + c] as number) * vm;
          const o = 5 * c;
          b[o] = (b[o] as number) + wx * df;
          b[o + 1] = (b[o + 1] as number) + wy * df;
          b[o + 2] = (b[o + 2] as number) + w2 * df;
          b[o + 3] = (b[o + 3] as number) + w3 * df;
          b[o + 4] = (b[o + 4] as number) + w4 * df;
        }
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  if (!resolvedOnly && !(weights < NEAR_WEIGHT)) return NEAR;
  // Cholesky N = L Lᵀ; L packed by rows: L[i][j] at i(i+1)/2 + j. N[i][j] (i ≤ j) at
  // ROW[i] + j − i.
  const n = st.normal;
  n[0] = n0;
  n[1] = n1;
  n[2] = n2;
  n[3] = n3;
  n[4] = n4;
  n[5] = n5;
  n[6] = n6;
  n[7] = n7;
  n[8] = n8;
  n[9] = n9;
  n[10] = n10;
  n[11] = n11;
  n[12] = n12;
  n[13] = n13;
  n[14] = n14;
  const L = st.chol;
  const tr = n0 + n5 + n9 + n12 + n14;
  for (let i = 0; i < 5; i++) {
    const li = (i * (i + 1)) >> 1;
    for (let j = 0; j <= i; j++) {
      const lj = (j * (j + 1)) >> 1;
      let s = n[(ROW[j] as number) + i - j] as number;
      for (let k = 0; k < j; k++) s -= (L[li + k] as number) * (L[lj + k] as number);
      if (i === j) {
        if (!(s > CHOLESKY_PIVOT * tr)) return ILL_CONDITIONED;
        L[li + i] = Math.sqrt(s);
      } else {
        L[li + j] = s / (L[lj + j] as number);
      }
    }
  }
  for (let c = 0; c < d; c++) {
    const o = 5 * c;
    // L y = b, then Lᵀ x = y, in place.
    for (let i = 0; i < 5; i++) {
      const li = (i * (i + 1)) >> 1;
      let s = b[o + i] as number;
      for (let k = 0; k < i; k++) s -= (L[li + k] as number) * (b[o + k] as number);
      b[o + i] = s / (L[li + i] as number);
    }
    for (let i = 4; i >= 0; i--) {
      let s = b[o + i] as number;
      for (let k = i + 1; k < 5; k++) {
        s -= (L[((k * (k + 1)) >> 1) + i] as number) * (b[o + k] as number);
      }
      b[o + i] = s / (L[((i * (i + 1)) >> 1) + i] as number);
    }
    g[go + 2 * c] = (b[o] as number) * ih;
    g[go + 2 * c + 1] = (b[o + 1] as number) * ih;
    if (correct) {
      const x2 = b[o + 2] as number;
      const x3 = b[o + 3] as number;
      const x4 = b[o + 4] as number;
      const cx = x2 * m30 + 2 * x3 * m21 + x4 * m12;
      const cy = x2 * m21 + 2 * x3 * m12 + x4 * m03;
      const qd = qxx * qyy - qxy * qxy;
      const qt = qxx + qyy;
      if (qd > SINGULAR_2X2 * qt * qt) {
        const f = -ih / (4 * qd);
        g[go + st.correctionOffset + 2 * c] = f * (qyy * cx - qxy * cy);
        g[go + st.correctionOffset + 2 * c + 1] = f * (qxx * cy - qxy * cx);
      }
    }
  }
  return SOLVED;
}

/**
 * quadratic for gradientScalar (never `resolvedOnly`), the normal equations in locals and the 5×5
 * Cholesky factorisation unrolled (quadratic's loops, in their order), the curvature
 * correction with it.
 */
function quadraticScalar(st: Learner2DState, mesh: Delaunay2D, v: number, start: number): number {
  const ih = st.fit[FIT_IH] as number;
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const ov = stride * v;
  const go = ov + st.gradOffset;
  const correct = st.sweeps > 0;
  const tv = mesh.tv;
  const tw = mesh.tw;
  const vx = rec[ov] as number;
  const vy = rec[ov + 1] as number;
  const vm = st.vm;
  const fv = (rec[ov + 2] as number) * vm;
  let n0 = 0;
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let n4 = 0;
  let n5 = 0;
  let n6 = 0;
  let n7 = 0;
  let n8 = 0;
  let n9 = 0;
  let n10 = 0;
  let n11 = 0;
  let n12 = 0;
  let n13 = 0;
  let n14 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  // The moments of the curvature correction (see the file header).
  let qxx = 0;
  let qxy = 0;
  let qyy = 0;
  let m30 = 0;
  let m21 = 0;
  let m12 = 0;
  let m03 = 0;
  let weights = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    const ou = stride * u;
    if (u >= 0 && ((rec[ou + metaOffset] as number) & 1) === 0) {
      const x = ((rec[ou] as number) - vx) * ih;
      const y = ((rec[ou + 1] as number) - vy) * ih;
      const w = 1 / (x * x + y * y);
      weights += w;
      const r2 = 0.5 * x * x;
      const r3 = x * y;
      const r4 = 0.5 * y * y;
      const wx = w * x;
      const wy = w * y;
      const w2 = w * r2;
      const w3 = w * r3;
      const w4 = w * r4;
      n0 += wx * x;
      n1 += wx * y;
      n2 += wx * r2;
      n3 += wx * r3;
      n4 += wx * r4;
      n5 += wy * y;
      n6 += wy * r2;
      n7 += wy * r3;
      n8 += wy * r4;
      n9 += w2 * r2;
      n10 += w2 * r3;
      n11 += w2 * r4;
      n12 += w3 * r3;
      n13 += w3 * r4;
      n14 += w4 * r4;
      const df = (rec[ou + 2] as number) * vm - fv;
      b0 += wx * df;
      b1 += wy * df;
      b2 += w2 * df;
      b3 += w3 * df;
      b4 += w4 * df;
      if (correct) {
        const wl = w * Math.sqrt(w); // 1/L³
        const ax = wl * x;
        const ay = wl * y;
        qxx += ax * x;
        qxy += ax * y;
        qyy += ay * y;
        m30 += ax * x * x;
        m21 += ax * x * y;
        m12 += ax * y * y;
        m03 += ay * y * y;
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  if (!(weights < NEAR_WEIGHT)) return NEAR;
  // Cholesky N = L Lᵀ, row by row (Lij: row i, column j), as quadratic's loops; a pivot at or
  // below eps: ill-conditioned.
  const eps = CHOLESKY_PIVOT * (n0 + n5 + n9 + n12 + n14);
  let q = n0;
  if (!(q > eps)) return ILL_CONDITIONED;
  const l00 = Math.sqrt(q);
  const l10 = n1 / l00;
  q = n5 - l10 * l10;
  if (!(q > eps)) return ILL_CONDITIONED;
  const l11 = Math.sqrt(q);
  const l20 = n2 / l00;
  const l21 = (n6 - l20 * l10) / l11;
  q = n9 - l20 * l20 - l21 * l21;
  if (!(q > eps)) return ILL_CONDITIONED;
  const l22 = Math.sqrt(q);
  const l30 = n3 / l00;
  const l31 = (n7 - l30 * l10) / l11;
  const l32 = (n10 - l30 * l20 - l31 * l21) / l22;
  q = n12 - l30 * l30 - l31 * l31 - l32 * l32;
  if (!(q > eps)) return ILL_CONDITIONED;
  const l33 = Math.sqrt(q);
  const l40 = n4 / l00;
  const l41 = (n8 - l40 * l10) / l11;
  const l42 = (n11 - l40 * l20 - l41 * l21) / l22;
  const l43 = (n13 - l40 * l30 - l41 * l31 - l42 * l32) / l33;
  q = n14 - l40 * l40 - l41 * l41 - l42 * l42 - l43 * l43;
  if (!(q > eps)) return ILL_CONDITIONED;
  const l44 = Math.sqrt(q);
  // L y = b, then Lᵀ x = y.
  const y0 = b0 / l00;
  const y1 = (b1 - l10 * y0) / l11;
  const y2 = (b2 - l20 * y0 - l21 * y1) / l22;
  const y3 = (b3 - l30 * y0 - l31 * y1 - l32 * y2) / l33;
  const y4 = (b4 - l40 * y0 - l41 * y1 - l42 * y2 - l43 * y3) / l44;
  const x4 = y4 / l44;
  const x3 = (y3 - l43 * x4) / l33;
  const x2 = (y2 - l32 * x3 - l42 * x4) / l22;
  const x1 = (y1 - l21 * x2 - l31 * x3 - l41 * x4) / l11;
  const x0 = (y0 - l10 * x1 - l20 * x2 - l30 * x3 - l40 * x4) / l00;
  rec[go] = x0 * ih;
  rec[go + 1] = x1 * ih;
  if (!correct) return SOLVED;
  const cx = x2 * m30 + 2 * x3 * m21 + x4 * m12;
  const cy = x2 * m21 + 2 * x3 * m12 + x4 * m03;
  const qd = qxx * qyy - qxy * qxy;
  const qt = qxx + qyy;
  if (qd > SINGULAR_2X2 * qt * qt) {
    const f = -ih / (4 * qd);
    rec[go + st.correctionOffset] = f * (qyy * cx - qxy * cy);
    rec[go + st.correctionOffset + 1] = f * (qxx * cy - qxy * cx);
  }
  return SOLVED;
}

/**
 * The linear fit (the minimum-norm one when the neighbours are collinear): SOLVED, or NEAR
 * as quadratic. Its sums are the quadratic fit's n0, n1, n5, b0, b1 (the same terms in the
 * same order).
 */
function linear(
  st: Learner2DState,
  mesh: Delaunay2D,
  v: number,
  start: number,
  ih: number,
  resolvedOnly: boolean,
  g: Float64Array,
  go: number,
): number {
  const d = st.outputDimension;
  const tv = mesh.tv;
  const tw = mesh.tw;
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const vm = st.vm;
  const vx = rec[stride * v] as number;
  const vy = rec[stride * v + 1] as number;
  if (st.rhs.length < 5 * d) st.rhs = new Float64Array(5 * d);
  const b = st.rhs;
  b.fill(0, 0, 2 * d);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let weights = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0 && ((rec[stride * u + metaOffset] as number) & 1) === 0) {
      const x = ((rec[stride * u] as number) - vx) * ih;
      const y = ((rec[stride * u + 1] as number) - vy) * ih;
      const l2 = x * x + y * y;
      if (!resolvedOnly || l2 > UNRESOLVED) {
        const w = 1 / l2;
        weights += w;
        const wx = w * x;
        const wy = w * y;
        sxx += wx * x;
        sxy += wx * y;
        syy += wy * y;
        for (let c = 0; c < d; c++) {
          const df =
            (rec[stride * u + 2 + c] as number) * vm - (rec[stride * v + 2 + c] as number) * vm;
          b[2 * c] = (b[2 * c] as number) + wx * df;
          b[2 * c + 1] = (b[2 * c + 1] as number) + wy * df;
        }
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  if (!resolvedOnly && !(weights < NEAR_WEIGHT)) return NEAR;
  const tr = sxx + syy;
  const det = sxx * syy - sxy * sxy;
  for (let c = 0; c < d; c++) {
    const bx = b[2 * c] as number;
    const by = b[2 * c + 1] as number;
    if (det > SINGULAR_2X2 * tr * tr) {
      g[go + 2 * c] = ((syy * bx - sxy * by) / det) * ih;
      g[go + 2 * c + 1] = ((sxx * by - sxy * bx) / det) * ih;
    } else {
      // One direction only: the minimum-norm solution b / trace.
      g[go + 2 * c] = (bx / tr) * ih;
      g[go + 2 * c + 1] = (by / tr) * ih;
    }
  }
  return SOLVED;
}

/** linear for gradientScalar (never `resolvedOnly`), the sums in locals. */
function linearScalar(st: Learner2DState, mesh: Delaunay2D, v: number, start: number): number {
  const ih = st.fit[FIT_IH] as number;
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const ov = stride * v;
  const go = ov + st.gradOffset;
  const tv = mesh.tv;
  const tw = mesh.tw;
  const vx = rec[ov] as number;
  const vy = rec[ov + 1] as number;
  const vm = st.vm;
  const fv = (rec[ov + 2] as number) * vm;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let bx = 0;
  let by = 0;
  let weights = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    const ou = stride * u;
    if (u >= 0 && ((rec[ou + metaOffset] as number) & 1) === 0) {
      const x = ((rec[ou] as number) - vx) * ih;
      const y = ((rec[ou + 1] as number) - vy) * ih;
      const w = 1 / (x * x + y * y);
      weights += w;
      const wx = w * x;
      const wy = w * y;
      sxx += wx * x;
      sxy += wx * y;
      syy += wy * y;
      const df = (rec[ou + 2] as number) * vm - fv;
      bx += wx * df;
      by += wy * df;
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  if (!(weights < NEAR_WEIGHT)) return NEAR;
  const tr = sxx + syy;
  const det = sxx * syy - sxy * sxy;
  if (det > SINGULAR_2X2 * tr * tr) {
    rec[go] = ((syy * bx - sxy * by) / det) * ih;
    rec[go + 1] = ((sxx * by - sxy * bx) / det) * ih;
  } else {
    // One direction only: the minimum-norm solution b / trace.
    rec[go] = (bx / tr) * ih;
    rec[go + 1] = (by / tr) * ih;
  }
  return SOLVED;
}

/**
 * Level k of the gradient at v from level k − 1 at its neighbours: with edges E = p_u − p_v of
 * length L,
 *   g_k(v) = −Q⁻¹ Σ_u (6 (f_v − f_u) + 2 E·g_{k−1}(u)) E / L³ + δ_v,   Q = 4 Σ_u E Eᵀ / L³
 * (scipy's update, plus the curvature correction δ_v of level 0). A singular Q keeps level
 * k − 1. A ring that may have an unresolved neighbour (NEAR_SWEEP) is summed again without
 * the unresolved ones (see UNRESOLVED), if it has any.
 */
export function sweep(st: Learner2DState, ms: MeshLosses, v: number, k: number): void {
  if (ms.inRecord && st.vdim === 1) {
    sweepScalar(st, ms, v, k);
    return;
  }
  const d = st.outputDimension;
  const mesh = ms.mesh;
  const e0 = mesh.vedge[v] as number;
  if (e0 < 0) return; // held (collinear phase)
  const start = ms.inRecord
    ? ((st.store.xy[v * st.stride + st.metaOffset] as number) | 0) >> 1
    : (ms.grad[gradBase(st, ms, v) + st.gradLength] as number);
  if (((st.store.xy[st.stride * v + st.metaOffset] as number) & 1) !== 0 || start < 0) {
    const g = ms.inRecord ? st.store.xy : ms.grad;
    const out = gradBase(st, ms, v) + 2 * d * k;
    for (let c = 0; c < 2 * d; c++) g[out + c] = 0;
    const last = k === st.sweeps;
    let e = e0;
    do {
      touch(st, ms, e, mesh.tv[nextE(e)] as number, last);
      e = mesh.tw[prevE(e)] as number;
    } while (e !== e0);
    return;
  }
  if (st.rhs.length < 5 * d) st.rhs = new Float64Array(5 * d);
  if (sweepSums(st, ms, v, k, start, 0)) {
    const cut = unresolvedCut(st, mesh, v, start);
    if (cut > 0) sweepSums(st, ms, v, k, start, cut);
  }
  sweepSolve(st, ms, v, k);
}

/**
 * sweep's sums over v's finite neighbours: Σ_u (…) E / L³ into st.rhs (2 per component) and
 * Q / 4 after them. With `cut` 0 the walk also does the flush's bookkeeping (see touch) and
 * returns whether the ring may have an unresolved neighbour (NEAR_SWEEP); else it leaves out
 * the neighbours at squared distance `cut` or less.
 */
function sweepSums(
  st: Learner2DState,
  ms: MeshLosses,
  v: number,
  k: number,
  start: number,
  cut: number,
): boolean {
  const d = st.outputDimension;
  const inRec = ms.inRecord;
  const g = inRec ? st.store.xy : ms.grad;
  const stride = st.stride;
  const gs = inRec ? stride : st.gradLength + 1;
  const goff = (inRec ? st.gradOffset : 0) + (k - 1) * 2 * d; // level k − 1 of vertex 0
  const tv = ms.mesh.tv;
  const tw = ms.mesh.tw;
  const rec = st.store.xy;
  const metaOffset = st.metaOffset;
  const vm = st.vm;
  const last = k === st.sweeps;
  const vx = rec[stride * v] as number;
  const vy = rec[stride * v + 1] as number;
  const s = st.rhs;
  s.fill(0, 0, 2 * d);
  let qxx = 0;
  let qxy = 0;
  let qyy = 0;
  let lengths = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    if (cut === 0) touch(st, ms, e, u, last);
    if (u >= 0 && ((rec[stride * u + metaOffset] as number) & 1) === 0) {
      const dx = (rec[stride * u] as number) - vx;
      const dy = (rec[stride * u + 1] as number) - vy;
      const l2 = dx * dx + dy * dy;
      if (cut === 0 || l2 > cut) {
        const l = Math.sqrt(l2);
        lengths += l;
        const w3 = 1 / (l2 * l); // 1/L³
        qxx += w3 * dx * dx;
        qxy += w3 * dx * dy;
        qyy += w3 * dy * dy;
        const gu = u * gs + goff;
        for (let c = 0; c < d; c++) {
          const p =
            (6 *
              ((rec[stride * v + 2 + c] as number) * vm -
                (rec[stride * u + 2 + c] as number) * vm) +
              2 * (dx * (g[gu + 2 * c] as number) + dy * (g[gu + 2 * c + 1] as number))) *
            w3;
          s[2 * c] = (s[2 * c] as number) + p * dx;
          s[2 * c + 1] = (s[2 * c + 1] as number) + p * dy;
        }
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  s[2 * d] = qxx;
  s[2 * d + 1] = qxy;
  s[2 * d + 2] = qyy;
  return cut === 0 && !((qxx + qyy) * lengths < NEAR_SWEEP);
}

/**
 * UNRESOLVED × the largest squared edge of v's finite ring when the ring has an unresolved
 * neighbour (the cut that leaves those out), else 0.
 */
function unresolvedCut(st: Learner2DState, mesh: Delaunay2D, v: number, start: number): number {
  const tv = mesh.tv;
  const tw = mesh.tw;
  const rec = st.store.xy;
  const stride = st.stride;
  const vx = rec[stride * v] as number;
  const vy = rec[stride * v + 1] as number;
  let h2 = 0;
  let lo = Number.POSITIVE_INFINITY;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0 && ((rec[stride * u + st.metaOffset] as number) & 1) === 0) {
      const dx = (rec[stride * u] as number) - vx;
      const dy = (rec[stride * u + 1] as number) - vy;
      const l2 = dx * dx + dy * dy;
      if (l2 > h2) h2 = l2;
      if (l2 < lo) lo = l2;
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  return lo <= UNRESOLVED * h2 ? UNRESOLVED * h2 : 0;
}

/** sweep's solve from sweepSums' sums into level k of v's cache block. */
function sweepSolve(st: Learner2DState, ms: MeshLosses, v: number, k: number): void {
  const d = st.outputDimension;
  const g = ms.inRecord ? st.store.xy : ms.grad;
  const gv = gradBase(st, ms, v);
  const out = gv + 2 * d * k;
  const prev = gv + 2 * d * (k - 1);
  const corr = gv + st.correctionOffset;
  const s = st.rhs;
  const qxx = s[2 * d] as number;
  const qxy = s[2 * d + 1] as number;
  const qyy = s[2 * d + 2] as number;
  const det = qxx * qyy - qxy * qxy;
  const tr = qxx + qyy;
  const ok = det > SINGULAR_2X2 * tr * tr;
  const f = -1 / (4 * det); // −Q⁻¹ = −(4 q)⁻¹
  for (let c = 0; c < d; c++) {
    if (ok) {
      const sx = s[2 * c] as number;
      const sy = s[2 * c + 1] as number;
      g[out + 2 * c] = f * (qyy * sx - qxy * sy) + (g[corr + 2 * c] as number);
      g[out + 2 * c + 1] = f * (qxx * sy - qxy * sx) + (g[corr + 2 * c + 1] as number);
    } else {
      g[out + 2 * c] = g[prev + 2 * c] as number;
      g[out + 2 * c + 1] = g[prev + 2 * c + 1] as number;
    }
  }
}

/**
 * sweep for scalar output in the combined triangulation (gradients in the records): the same
 * arithmetic in the same order as sweepSums and sweepSolve, with the sums in locals and the
 * flush's bookkeeping inline; a ring with an unresolved neighbour (rare) goes to them.
 */
export function sweepScalar(st: Learner2DState, ms: MeshLosses, v: number, k: number): void {
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const gradOffset = st.gradOffset;
  const ov = stride * v;
  const out = ov + gradOffset + 2 * k;
  const mesh = ms.mesh;
  const e0 = mesh.vedge[v] as number;
  if (e0 < 0) return; // held (collinear phase)
  const last = k === st.sweeps;
  const meta = rec[ov + metaOffset] as number;
  const start = (meta | 0) >> 1;
  if ((meta & 1) !== 0 || start < 0) {
    rec[out] = 0;
    rec[out + 1] = 0;
    let e = e0;
    do {
      touch(st, ms, e, ms.mesh.tv[nextE(e)] as number, last);
      e = ms.mesh.tw[prevE(e)] as number;
    } while (e !== e0);
    return;
  }
  const tv = mesh.tv;
  const tw = mesh.tw;
  const touching = st.touching;
  const vflag = st.vflag;
  const bit = ms.bit;
  const tdirty = ms.tdirty;
  const gp = gradOffset + 2 * (k - 1); // level k − 1 in a record
  const vx = rec[ov] as number;
  const vy = rec[ov + 1] as number;
  const vm = st.vm;
  const fv = (rec[ov + 2] as number) * vm;
  let qxx = 0;
  let qxy = 0;
  let qyy = 0;
  let sx = 0;
  let sy = 0;
  let lengths = 0;
  let e = start;
  do {
    const u = tv[nextE(e)] as number;
    if (touching) {
      if (last) {
        // Ghost triangles (outside the hull) have no loss.
        if (u >= 0 && (tv[prevE(e)] as number) >= 0) {
          const t = (e / 3) | 0;
          if (tdirty[t] === 0) {
            tdirty[t] = 1;
            if (ms.nT === ms.dirtyT.length) ms.dirtyT = growInt32(ms.dirtyT, ms.nT + 1);
            ms.dirtyT[ms.nT++] = t;
          }
        }
      } else if (u >= 0) {
        const f = vflag[u] as number;
        if ((f & bit) === 0) {
          vflag[u] = f | bit;
          if (ms.nV === ms.dirtyV.length) ms.dirtyV = growInt32(ms.dirtyV, ms.nV + 1);
          ms.dirtyV[ms.nV++] = u;
        }
      }
    }
    if (u >= 0) {
      const ou = stride * u;
      if (((rec[ou + metaOffset] as number) & 1) === 0) {
        const dx = (rec[ou] as number) - vx;
        const dy = (rec[ou + 1] as number) - vy;
        const l2 = dx * dx + dy * dy;
        const l = Math.sqrt(l2);
        lengths += l;
        const w3 = 1 / (l2 * l); // 1/L³
        qxx += w3 * dx * dx;
        qxy += w3 * dx * dy;
        qyy += w3 * dy * dy;
        const p =
          (6 * (fv - (rec[ou + 2] as number) * vm) +
            2 * (dx * (rec[ou + gp] as number) + dy * (rec[ou + gp + 1] as number))) *
          w3;
        sx += p * dx;
        sy += p * dy;
      }
    }
    e = tw[prevE(e)] as number;
  } while (e !== start);
  if (!((qxx + qyy) * lengths < NEAR_SWEEP) && sweepResolved(st, ms, v, k, start)) return;
  const det = qxx * qyy - qxy * qxy;
  const tr = qxx + qyy;
  if (det > SINGULAR_2X2 * tr * tr) {
    const f = -1 / (4 * det); // −Q⁻¹ = −(4 q)⁻¹
    rec[out] = f * (qyy * sx - qxy * sy) + (rec[ov + gradOffset + st.correctionOffset] as number);
    rec[out + 1] =
      f * (qxx * sy - qxy * sx) + (rec[ov + gradOffset + st.correctionOffset + 1] as number);
  } else {
    rec[out] = rec[ov + gp] as number;
    rec[out + 1] = rec[ov + gp + 1] as number;
  }
}

/**
 * sweepScalar's rare case, in the generic code (its twin): level k at v without its
 * unresolved neighbours; false (nothing written) when the ring has none.
 */
function sweepResolved(
  st: Learner2DState,
  ms: MeshLosses,
  v: number,
  k: number,
  start: number,
): boolean {
  const cut = unresolvedCut(st, ms.mesh, v, start);
  if (cut === 0) return false;
  if (st.rhs.length < 5 * st.outputDimension) st.rhs = new Float64Array(5 * st.outputDimension);
  sweepSums(st, ms, v, k, start, cut);
  sweepSolve(st, ms, v, k);
  return true;
}
