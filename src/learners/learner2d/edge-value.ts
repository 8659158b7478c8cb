/**
 * The linear interpolant of the data on the edge u–w at the projection of scaled (sx, sy),
 * clamped to the edge, into out[off…]: endpoints in lexicographic order, so the same bits
 * whatever the history (a point on an edge lies in two triangles). Returns 1 if finite,
 * else 0. Interpolation on a triangle's edge, and along a polygon's edges (hull-place.ts).
 */
import { lexBefore } from './order.js';
import type { Learner2DState } from './state.js';

export function edgeValue(
  st: Learner2DState,
  u: number,
  w: number,
  sx: number,
  sy: number,
  out: Float64Array,
  off: number,
): number {
  const rec = st.store.xy;
  const stride = st.stride;
  const d = st.vdim;
  let ok = 1;
  if (lexBefore(rec, stride, w, u)) {
    const tmp = u;
    u = w;
    w = tmp;
  }
  const ux = rec[stride * u] as number;
  const uy = rec[stride * u + 1] as number;
  const ex = (rec[stride * w] as number) - ux;
  const ey = (rec[stride * w + 1] as number) - uy;
  const s = Math.min(1, Math.max(0, ((sx - ux) * ex + (sy - uy) * ey) / (ex * ex + ey * ey)));
  for (let k = 0; k < d; k++) {
    const fu = rec[stride * u + 2 + k] as number;
    const fw = rec[stride * w + 2 + k] as number;
    let v = s === 0 ? fu : s === 1 ? fw : fu + s * (fw - fu);
    // fw − fu overflows for values of opposite signs near ±MAX_VALUE.
    if (!Number.isFinite(v)) {
      v = (1 - s) * fu + s * fw;
      if (!Number.isFinite(v)) ok = 0;
    }
    out[off + k] = v;
  }
  return ok;
}
