/**
 * LearnerND's default loss (the volume of the simplex's graph) for one scalar value a vertex,
 * read straight from the bisection mesh's arrays: `graphVolumes(P, d, 1)`'s arithmetic in the
 * same order (its elimination is `solveInPlace`'s; |det| is the product of the pivots in the
 * same order, the sign aside), so the same bits, without the (x, y) rows and their copy.
 */

import { factorial, solveInPlace } from '../../../geometry/simplex-nd.js';

/**
 * The graph volume of the simplex whose d + 1 vertices are `V[o…o+d]` (rows of `U`, stride
 * d) with values `mult · (Y[data[v]] · unit)`; −1 when a vertex has no value or a value is
 * not finite (the caller falls back to the volume). `A` (d·d) and `b` (d) are scratch. O(d³).
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
  b: Float64Array,
): number {
  // Edges and value differences relative to the last vertex, as graphVolumes takes them.
  const vl = V[o + d] as number;
  const dl = data[vl] as number;
  if (dl < 0) return -1;
  const yl = Y[dl] as number;
  if (!Number.isFinite(yl)) return -1;
  const sl = mult * (yl * unit);
  const ol = vl * d;
  for (let r = 0; r < d; r++) {
    const v = V[o + r] as number;
    const di = data[v] as number;
    if (di < 0) return -1;
    const y = Y[di] as number;
    if (!Number.isFinite(y)) return -1;
    const ov = v * d;
    for (let j = 0; j < d; j++) A[r * d + j] = (U[ov + j] as number) - (U[ol + j] as number);
    b[r] = mult * (y * unit) - sl;
  }
  if (!solveInPlace(A, b, d)) return 0;
  let det = 1;
  for (let c = 0; c < d; c++) det *= A[c * d + c] as number;
  let g2 = 0;
  for (let r = 0; r < d; r++) g2 += (b[r] as number) ** 2;
  const vol = Math.abs(det) / factorial(d);
  const graph = vol * Math.sqrt(1 + g2);
  return Number.isFinite(graph) ? graph : vol;
}
