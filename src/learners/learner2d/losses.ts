/**
 * Learner2D's loss evaluation: the loss of one triangle from its vertices' values and cached
 * gradients (the default loss straight from the records, any other through the
 * `TriangleLossInput` scratch), and the flush's batch for the default loss on scalar output
 * (`scalarLosses`, the same arithmetic inline: `defaultLossOf`'s twin, pinned by the hashed
 * configurations of `test/learners/learner2d-behaviour.test.ts` and by `checkValid`).
 */
import { AREA_WEIGHT } from '../losses2d.js';
import { describe } from '../validate.js';
import { flatHullLoss } from './hull-place.js';
import { firstVertex } from './order.js';
import { gradBase, isBad, type Learner2DState, type MeshLosses, valueScale } from './state.js';

/**
 * The larger miss of the linear extrapolation from a vertex (value f, gradient gx, gy) to two
 * others at offsets (dx1, dy1) and (dx2, dy2) with values f1, f2 (python-adaptive's
 * `deviations`, one vertex; NaN propagates).
 */
export function maxMiss(
  f: number,
  gx: number,
  gy: number,
  dx1: number,
  dy1: number,
  f1: number,
  dx2: number,
  dy2: number,
  f2: number,
): number {
  const m1 = Math.abs(f + dx1 * gx + dy1 * gy - f1);
  const m2 = Math.abs(f + dx2 * gx + dy2 * gy - f2);
  if (Number.isNaN(m1) || Number.isNaN(m2)) return Number.NaN;
  return Math.max(m1, m2);
}

/**
 * The loss of live finite triangle t of ms (its vertices' gradients cached): the vertices in
 * canonical order (counterclockwise from the lexicographically smallest); a triangle with a
 * non-finite value gets the loss of flat data (at least √area when another of its values is
 * finite: see genericLoss); a NaN loss becomes √area.
 */
export function triangleLoss(st: Learner2DState, ms: MeshLosses, t: number): void {
  const tv = ms.mesh.tv;
  const rec = st.store.xy;
  const stride = st.stride;
  const r = firstVertex(rec, stride, tv, 3 * t);
  const a = tv[3 * t + r] as number;
  const b = tv[3 * t + ((r + 1) % 3)] as number;
  const c = tv[3 * t + ((r + 2) % 3)] as number;
  const metaOffset = st.metaOffset;
  const bad =
    (((rec[stride * a + metaOffset] as number) |
      (rec[stride * b + metaOffset] as number) |
      (rec[stride * c + metaOffset] as number)) &
      1) !==
    0;
  if (st.fastDefault && st.vdim <= 1 && !bad) defaultLossOf(st, ms, a, b, c);
  else genericLoss(st, ms, a, b, c, bad);
  if (st.hull !== null) flatHullLoss(st, a, b, c);
}

/** defaultLoss2D for scalar output, straight from the records (same arithmetic). */
export function defaultLossOf(
  st: Learner2DState,
  ms: MeshLosses,
  a: number,
  b: number,
  c: number,
): void {
  const rec = st.store.xy;
  const stride = st.stride;
  const g = ms.inRecord ? rec : ms.grad;
  const lv = st.sweeps * 2; // the last level, component 0
  const ga = gradBase(st, ms, a) + lv;
  const gb = gradBase(st, ms, b) + lv;
  const gc = gradBase(st, ms, c) + lv;
  const ax = rec[stride * a] as number;
  const ay = rec[stride * a + 1] as number;
  const bx = rec[stride * b] as number;
  const by = rec[stride * b + 1] as number;
  const cx = rec[stride * c] as number;
  const cy = rec[stride * c + 1] as number;
  const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
  const inv = 1 / valueScale(st);
  const vm = st.vm;
  const fa = (rec[stride * a + 2] as number) * vm * inv;
  const fb = (rec[stride * b + 2] as number) * vm * inv;
  const fc = (rec[stride * c + 2] as number) * vm * inv;
  const gax = (g[ga] as number) * inv;
  const gay = (g[ga + 1] as number) * inv;
  const gbx = (g[gb] as number) * inv;
  const gby = (g[gb + 1] as number) * inv;
  const gcx = (g[gc] as number) * inv;
  const gcy = (g[gc + 1] as number) * inv;
  // deviation2D: for each vertex, the larger miss of its extrapolation to the other two.
  const dev =
    maxMiss(fa, gax, gay, bx - ax, by - ay, fb, cx - ax, cy - ay, fc) +
    maxMiss(fb, gbx, gby, ax - bx, ay - by, fa, cx - bx, cy - by, fc) +
    maxMiss(fc, gcx, gcy, ax - cx, ay - cy, fa, bx - cx, by - cy, fb);
  const loss = dev * Math.sqrt(area) + AREA_WEIGHT * area;
  st.lossOut[0] = Number.isNaN(loss) ? Math.sqrt(area) : loss;
}

/** Any loss, through the TriangleLossInput scratch. */
export function genericLoss(
  st: Learner2DState,
  ms: MeshLosses,
  a: number,
  b: number,
  c: number,
  bad: boolean,
): void {
  const rec = st.store.xy;
  const stride = st.stride;
  const inp = st.input;
  const d = st.outputDimension;
  const pts = inp.points;
  const vs = st.tri3;
  vs[0] = a;
  vs[1] = b;
  vs[2] = c;
  for (let i = 0; i < 3; i++) {
    const v = vs[i] as number;
    pts[2 * i] = rec[stride * v] as number;
    pts[2 * i + 1] = rec[stride * v + 1] as number;
  }
  const ax = pts[0] as number;
  const ay = pts[1] as number;
  inp.area =
    Math.abs(
      ((pts[2] as number) - ax) * ((pts[5] as number) - ay) -
        ((pts[3] as number) - ay) * ((pts[4] as number) - ax),
    ) / 2;
  inp.vdim = d;
  inp.valueScale = valueScale(st);
  if (inp.values.length !== 3 * d) {
    inp.values = new Float64Array(3 * d);
    inp.gradients = new Float64Array(6 * d);
  }
  const values = inp.values;
  const grads = inp.gradients;
  const vm = st.vm;
  inp.valueUnit = vm;
  if (bad) {
    values.fill(0);
    grads.fill(0);
  } else {
    const d2 = 2 * d;
    const g = ms.inRecord ? rec : ms.grad;
    for (let i = 0; i < 3; i++) {
      const v = vs[i] as number;
      for (let k = 0; k < d; k++) values[i * d + k] = (rec[stride * v + 2 + k] as number) * vm;
      if (st.needsGradients) {
        const o = gradBase(st, ms, v) + st.sweeps * d2;
        for (let k = 0; k < d2; k++) grads[i * d2 + k] = g[o + k] as number;
      } else grads.fill(0);
    }
  }
  let loss: unknown;
  try {
    loss = st.lossFunction(inp);
  } catch (e) {
    st.lossError ??= e instanceof Error ? e : new Error(String(e));
    loss = Number.NaN;
  }
  if (typeof loss !== 'number') {
    st.lossError ??= new TypeError(
      `Learner2D: the loss function returned ${describe(loss)}, expected a number`,
    );
    loss = Number.NaN;
  }
  const uniform = Math.sqrt(inp.area);
  if (Number.isNaN(loss)) st.lossOut[0] = uniform;
  else if (bad && (loss as number) > 0 && !(isBad(st, a) && isBad(st, b) && isBad(st, c))) {
    // On the edge of a region where the function is not finite (finite and non-finite
    // values): at least the uniform loss, so that the edge is resolved as uniformLoss2D
    // resolves everything (flat data alone gives the default loss 0.3 · area, and the
    // sampling stopped with the edge and the features next to it unresolved). A loss of 0 is
    // kept (resolutionLoss2D below its minimum distance).
    st.lossOut[0] = Math.max(loss as number, uniform);
  } else st.lossOut[0] = loss as number;
}

export function throwLossError(st: Learner2DState): void {
  const e = st.lossError;
  if (e === null) return;
  st.lossError = null;
  if (e instanceof TypeError && e.message.startsWith('Learner2D:')) throw e;
  throw new Error(`Learner2D: the loss function threw: ${e.message} (the data was kept)`, {
    cause: e,
  });
}

/**
 * The flush's loss updates for the default loss, scalar output, in the combined
 * triangulation: triangleLoss and defaultLossOf inline (the canonical vertex order from the
 * coordinates already read, the gradients at fixed record offsets), the same arithmetic in
 * the same order. A triangle with a non-finite value goes through genericLoss. The losses go
 * to `out` (list order) for the flush and the rebuild alike: one path, so the code V8
 * optimises in the first points is not thrown away (deoptimised, compiled again and
 * on-stack-replaced) at the first rebuild, which reached a branch of its own.
 */
export function scalarLosses(
  st: Learner2DState,
  ms: MeshLosses,
  list: Int32Array,
  nT: number,
  /** Where the losses go, in list order (at least nT long). */
  out: Float64Array,
): void {
  const tv = ms.mesh.tv;
  const rec = st.store.xy;
  const stride = st.stride;
  const metaOffset = st.metaOffset;
  const gl = st.gradOffset + 2 * st.sweeps; // the last level's gradient in a record
  const inv = 1 / valueScale(st);
  const vm = st.vm;
  for (let i = 0; i < nT; i++) {
    const t = list[i] as number;
    const v0 = tv[3 * t] as number;
    const v1 = tv[3 * t + 1] as number;
    const v2 = tv[3 * t + 2] as number;
    const x0 = rec[stride * v0] as number;
    const y0 = rec[stride * v0 + 1] as number;
    const x1 = rec[stride * v1] as number;
    const y1 = rec[stride * v1 + 1] as number;
    const x2 = rec[stride * v2] as number;
    const y2 = rec[stride * v2 + 1] as number;
    // firstVertex: counterclockwise from the lexicographically smallest vertex.
    let r = 0;
    let mx = x0;
    let my = y0;
    let d = x1 - mx;
    if (d < 0 || (d === 0 && y1 < my)) {
      r = 1;
      mx = x1;
      my = y1;
    }
    d = x2 - mx;
    if (d < 0 || (d === 0 && y2 < my)) r = 2;
    let a = v0;
    let b = v1;
    let c = v2;
    let ax = x0;
    let ay = y0;
    let bx = x1;
    let by = y1;
    let cx = x2;
    let cy = y2;
    if (r === 1) {
      a = v1;
      b = v2;
      c = v0;
      ax = x1;
      ay = y1;
      bx = x2;
      by = y2;
      cx = x0;
      cy = y0;
    } else if (r === 2) {
      a = v2;
      b = v0;
      c = v1;
      ax = x2;
      ay = y2;
      bx = x0;
      by = y0;
      cx = x1;
      cy = y1;
    }
    const oa = stride * a;
    const ob = stride * b;
    const oc = stride * c;
    if (
      (((rec[oa + metaOffset] as number) |
        (rec[ob + metaOffset] as number) |
        (rec[oc + metaOffset] as number)) &
        1) !==
      0
    ) {
      genericLoss(st, ms, a, b, c, true);
      out[i] = st.lossOut[0] as number;
      continue;
    }
    const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
    const fa = (rec[oa + 2] as number) * vm * inv;
    const fb = (rec[ob + 2] as number) * vm * inv;
    const fc = (rec[oc + 2] as number) * vm * inv;
    const gax = (rec[oa + gl] as number) * inv;
    const gay = (rec[oa + gl + 1] as number) * inv;
    const gbx = (rec[ob + gl] as number) * inv;
    const gby = (rec[ob + gl + 1] as number) * inv;
    const gcx = (rec[oc + gl] as number) * inv;
    const gcy = (rec[oc + gl + 1] as number) * inv;
    // maxMiss per vertex: Math.max is NaN when either miss is.
    const dev =
      Math.max(
        Math.abs(fa + (bx - ax) * gax + (by - ay) * gay - fb),
        Math.abs(fa + (cx - ax) * gax + (cy - ay) * gay - fc),
      ) +
      Math.max(
        Math.abs(fb + (ax - bx) * gbx + (ay - by) * gby - fa),
        Math.abs(fb + (cx - bx) * gbx + (cy - by) * gby - fc),
      ) +
      Math.max(
        Math.abs(fc + (ax - cx) * gcx + (ay - cy) * gcy - fa),
        Math.abs(fc + (bx - cx) * gcx + (by - cy) * gcy - fb),
      );
    const loss = dev * Math.sqrt(area) + AREA_WEIGHT * area;
    out[i] = Number.isNaN(loss) ? Math.sqrt(area) : loss;
  }
}
