/**
 * The slow, obviously-correct reference for {@link TriangulationND}: the perturbed Delaunay
 * triangulation by its definition. A set of d + 1 points is a simplex exactly when it is
 * not flat and every other point lies outside its circumsphere (the perturbed in-sphere
 * test of `predicates-nd.ts`, which is never 0). O(n^(d+2)) predicate calls: tests only,
 * for a dozen points.
 */
import { inSphere, MAX_DIM, orient } from './predicates-nd.js';

/**
 * The simplices of the (perturbed) Delaunay triangulation of `points`, each as its sorted
 * point indices, the list sorted. O(C(n, d+1) · n · d³).
 * @throws RangeError when the points have different lengths or the dimension is out of range.
 * @example
 * referenceDelaunay([[0, 0], [1, 0], [0, 1], [1, 1]]) // [[0, 1, 2], [1, 2, 3]] or [[0, 1, 3], [0, 2, 3]]
 */
export function referenceDelaunay(points: readonly (readonly number[])[]): number[][] {
  const n = points.length;
  if (n === 0) return [];
  const d = (points[0] as readonly number[]).length;
  if (!(d >= 1 && d <= MAX_DIM))
    throw new RangeError(`referenceDelaunay: dimension ${d} out of range`);
  const X = new Float64Array(n * d);
  points.forEach((p, i) => {
    if (p.length !== d)
      throw new RangeError(
        `referenceDelaunay: point ${i} has ${p.length} coordinates, expected ${d}`,
      );
    for (let j = 0; j < d; j++) X[i * d + j] = (p[j] as number) + 0;
  });
  const out: number[][] = [];
  const ids = new Int32Array(d + 1);
  const comb = Array.from({ length: d + 1 }, (_, i) => i);
  if (n < d + 1) return out;
  for (;;) {
    for (let j = 0; j <= d; j++) ids[j] = comb[j] as number;
    const o = orient(X, d, ids, 0);
    if (o !== 0) {
      if (o < 0) {
        ids[0] = comb[1] as number;
        ids[1] = comb[0] as number;
      }
      let empty = true;
      for (let q = 0; q < n && empty; q++) {
        if (comb.includes(q)) continue;
        if (inSphere(X, d, ids, 0, q) > 0) empty = false;
      }
      if (empty) out.push(comb.slice());
    }
    // next combination
    let i = d;
    while (i >= 0 && (comb[i] as number) === n - d - 1 + i) i--;
    if (i < 0) break;
    comb[i] = (comb[i] as number) + 1;
    for (let j = i + 1; j <= d; j++) comb[j] = (comb[j - 1] as number) + 1;
  }
  return out;
}
