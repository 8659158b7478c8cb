/**
 * Typed-array growth by doubling: the one home of the `grow` helpers of the hot structures
 * (Learner2D's lists and heaps, the 2-D Delaunay triangulation's scratch).
 */

/**
 * A copy of `a` with room for at least `min` entries: the length doubles (at least 16) until
 * it fits. O(a.length).
 * @example growInt32(new Int32Array(4), 5).length; // 16
 */
export function growInt32(a: Int32Array, min: number): Int32Array {
  let cap = Math.max(16, a.length * 2);
  while (cap < min) cap *= 2;
  const r = new Int32Array(cap);
  r.set(a);
  return r;
}
