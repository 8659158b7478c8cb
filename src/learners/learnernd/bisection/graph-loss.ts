/**
 * LearnerND's default loss (the volume of the simplex's graph) for one scalar value a vertex,
 * read straight from the bisection mesh's arrays: the same arithmetic in the same order as
 * `graphVolumes(P, d, 1)` (so the same bits), without filling the (x, y) rows first.
 */

import { graphVolumes } from '../../../geometry/simplex-nd.js';

/**
 * The graph volume of the simplex whose d + 1 vertices are `V[o…o+d]` (rows of `U`, stride
 * d) with values `mult · (Y[data[v]] · unit)`; −1 when a vertex has no value or a value is
 * not finite (the caller falls back to the volume). `A` is scratch of d·d + d. O(d³).
 */
export function scalarGraphLoss(
  V: Int32Array,
  o: number,
  d: number,
  U: Float64Array,
  data: Int32Array,
  Y: Float64Array,
  mult: number,
  unit: number,
  A: Float64Array,
): number {
  const n = d + 1;
  const vl = V[o + d] as number;
  const dl = data[vl] as number;
  if (dl < 0) return -1;
  const yl = Y[dl] as number;
  if (!Number.isFinite(yl)) return -1;
  const sl = mult * (yl * unit);
  const ol = vl * d;
  for (let j = 0; j < d; j++) A[d * n + j] = U[ol + j] as number;
  A[d * n + d] = sl;
  for (let r = 0; r < d; r++) {
    const v = V[o + r] as number;
    const di = data[v] as number;
    if (di < 0) return -1;
    const y = Y[di] as number;
    if (!Number.isFinite(y)) return -1;
    const ov = v * d;
    for (let j = 0; j < d; j++) A[r * n + j] = U[ov + j] as number;
    A[r * n + d] = mult * (y * unit);
  }
  const gv = graphVolumes(A, d, 1);
  return Number.isFinite(gv.graph) ? gv.graph : gv.vol;
}
