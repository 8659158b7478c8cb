/**
 * Hashes of doubles by their bits, for open-addressing tables in typed arrays: the one home
 * of the float hashes (issue 16.4). FloatMap (1-D: Learner1D's and the integrator's pending
 * points) uses {@link hashFloat}; {@link hashFloatPair} is the same mixing over two doubles,
 * Learner2D's pending-point table's and its ask's (bit for bit the `hashPair` it had before
 * its split into `learners/learner2d/`). Callers normalise `-0` to `0` first
 * (the bits differ). O(1), no allocation (module-level scratch).
 */
const bits = new Float64Array(2);
const words = new Uint32Array(bits.buffer);

/** Murmur3's and golden-ratio multipliers (odd 32-bit constants that mix every bit). */
const M1 = 0x85ebca6b;
const M2 = 0x9e3779b1;
const M3 = 0xc2b2ae35;
const M4 = 0x27d4eb2f;

/**
 * A hash of one double, masked to a table index (`mask` = capacity − 1, a power of two − 1).
 * @example
 * hashFloat(0.5, 15); // an index in [0, 15]
 */
export function hashFloat(x: number, mask: number): number {
  bits[0] = x;
  const h = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, M1), M2);
  return (h ^ (h >>> 15)) & mask;
}

/**
 * A hash of a pair of doubles, masked to a table index.
 * @example
 * hashFloatPair(0.5, -0.25, 1023); // an index in [0, 1023]
 */
export function hashFloatPair(x: number, y: number, mask: number): number {
  bits[0] = x;
  bits[1] = y;
  let h = Math.imul((words[0] as number) ^ Math.imul(words[1] as number, M1), M2);
  h = Math.imul(h ^ (words[2] as number) ^ Math.imul(words[3] as number, M3), M4);
  return (h ^ (h >>> 15)) & mask;
}
