/**
 * LearnerND's bit-level helpers: the next double up or down, the hashes of coordinates
 * (ties between equal losses break on them; the point table probes by them) and the
 * seeded random numbers of the bootstrap.
 */

const hf = new Float64Array(1);
const hu = new Uint32Array(hf.buffer);

/** The next double above x (finite x). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  hf[0] = x;
  const lo = hu[0] as number;
  if (x > 0) {
    hu[0] = (lo + 1) >>> 0;
    if (lo === 0xffffffff) hu[1] = ((hu[1] as number) + 1) >>> 0;
  } else {
    hu[0] = (lo - 1) >>> 0;
    if (lo === 0) hu[1] = ((hu[1] as number) - 1) >>> 0;
  }
  return hf[0] as number;
}

/** The next double below x (finite x). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** One murmur3 round: mixes 32-bit word w into h. */
function mixWord(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser. */
function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A 48-bit hash of d coordinates at `X[off…]` (murmur3 mixing, two seeds): exact in a
 * double, and sums of up to 11 stay exact. Ties between equal losses break on sums of it.
 */
export function hashCoords(X: ArrayLike<number>, off: number, d: number): number {
  let h1 = 0x9e3779b9 | 0;
  let h2 = 0x7f4a7c15 | 0;
  for (let j = 0; j < d; j++) {
    hf[0] = (X[off + j] as number) + 0;
    const a = hu[0] as number;
    const b = hu[1] as number;
    h1 = mixWord(mixWord(h1, a), b);
    h2 = mixWord(mixWord(h2, b), a);
  }
  return fmix(h1 ^ d) * 65536 + (fmix(h2 ^ (d << 8)) >>> 16);
}

/** A 32-bit hash of d coordinates at `X[off…]` (FNV-1a, then mixed), for the point table. */
export function hash32(X: ArrayLike<number>, off: number, d: number): number {
  let h = 0x811c9dc5 | 0;
  for (let j = 0; j < d; j++) {
    hf[0] = (X[off + j] as number) + 0;
    h = Math.imul(h ^ (hu[0] as number), 0x01000193);
    h = Math.imul(h ^ (hu[1] as number), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** The random state of a learner: one 32-bit word (mulberry32). */
export interface RngState {
  s: number;
}

/** Advances the state; the next 32 random bits (mulberry32). */
function rngWord(state: RngState): number {
  state.s = (state.s + 0x6d2b79f5) >>> 0;
  let t = state.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Advances the state; a double in [0, 1) with 53 random bits (mulberry32 twice). */
export function rngNext(state: RngState): number {
  return ((rngWord(state) >>> 5) * 67108864 + (rngWord(state) >>> 6)) / 9007199254740992;
}
