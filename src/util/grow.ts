/**
 * Typed-array growth by doubling, and arrays of doubles: the one home of the `grow` helpers of
 * the hot structures (Learner2D's lists and heaps, the 2-D Delaunay triangulation's scratch).
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

/**
 * A copy of `a` with room for at least `min` entries, as {@link growInt32}. O(a.length).
 * @example growFloat64(new Float64Array(16), 17).length; // 32
 */
export function growFloat64(a: Float64Array, min: number): Float64Array {
  let cap = Math.max(16, a.length * 2);
  while (cap < min) cap *= 2;
  const r = new Float64Array(cap);
  r.set(a);
  return r;
}

/**
 * A copy of `a` with room for at least `min` entries, as {@link growInt32}. O(a.length).
 * @example growUint16(new Uint16Array(0), 3).length; // 16
 */
export function growUint16(a: Uint16Array, min: number): Uint16Array {
  let cap = Math.max(16, a.length * 2);
  while (cap < min) cap *= 2;
  const r = new Uint16Array(cap);
  r.set(a);
  return r;
}

/**
 * An empty array whose elements are doubles from the start (V8's double elements kind). An
 * empty literal starts with small-integer elements and changes kind at its first double:
 * optimised code that met the array as doubles then deoptimises at each new one.
 * @example const xs = emptyDoubles(); xs.push(0.5); // no change of kind
 */
export function emptyDoubles(): number[] {
  const a = [0.5];
  a.length = 0;
  return a;
}
