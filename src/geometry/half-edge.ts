/**
 * Half-edge steps of a triangulation in delaunator's layout (triangle `t` owns half-edges
 * `3t`, `3t + 1`, `3t + 2`, counterclockwise): the one home of `nextE` and `prevE`.
 */

/**
 * The next half-edge of the same triangle (counterclockwise).
 * @example nextE(5); // 3
 */
export function nextE(e: number): number {
  return e % 3 === 2 ? e - 2 : e + 1;
}

/**
 * The previous half-edge of the same triangle.
 * @example prevE(3); // 5
 */
export function prevE(e: number): number {
  return e % 3 === 0 ? e + 2 : e - 1;
}
