/**
 * AverageLearner1D's samples at one x: the slot that holds them, the running mean in
 * python-adaptive's order of operations, and the error of the mean (shifted, rescaled sums
 * so that values near ±1e300 or subnormal ones neither overflow nor underflow).
 */
import { tQuantile } from '../../util/student-t.js';

const INF = Number.POSITIVE_INFINITY;

/** Per-x state, one slot per evaluated x. */
export interface Slot {
  x: number;
  /** seed → sample, in the order told. */
  samples: Map<number, number>;
  /** Finite samples and their sums shifted by the first one (variance without cancellation). */
  nFinite: number;
  shift: number;
  /** The sums are of (y − shift)·sc, sc a power of 2 that keeps them from over- or underflowing. */
  sc: number;
  s1: number;
  s2: number;
  mean: number;
  error: number;
  /** x and mean differences to the right neighbour; NaN when there is none. */
  dx: number;
  dy: number;
}

/**
 * python-adaptive's running mean, `mean·n/(n + 1) + y/(n + 1)`, in its order of operations;
 * where mean·n overflows (means near ±1e300 after many samples) the same in another order.
 */
export function runningMean(mean: number, n: number, y: number): number {
  const m = mean * n;
  if (m === INF || m === -INF) return mean * (n / (n + 1)) + y / (n + 1);
  return m / (n + 1) + y / (n + 1);
}

/** t(1 − alpha, df), from the cache of alpha's quantiles (each costs a root search). */
export function tValue(alpha: number, cache: number[], df: number): number {
  let t = cache[df];
  if (t === undefined) {
    t = tQuantile(1 - alpha, df);
    cache[df] = t;
  }
  return t;
}

/** python's `_calc_error_in_mean`: t(1 − α, n − 1)·√(variance / n) over the finite samples. */
export function errorOf(s: Slot, alpha: number, cache: number[]): number {
  const n = s.nFinite;
  if (n < 2) return INF;
  const dm = (s.mean - s.shift) * s.sc;
  // Σ(y − mean)² = Σ(y − c)² − 2(mean − c)Σ(y − c) + n(mean − c)², c the first sample.
  const ss = Math.max(0, s.s2 - 2 * dm * s.s1 + n * dm * dm);
  return (tValue(alpha, cache, n - 1) * Math.sqrt(ss / (n - 1) / n)) / s.sc;
}

/** Adds a sample to the finite sums of s (a non-finite one is not counted). */
export function addFinite(s: Slot, y: number): void {
  if (!Number.isFinite(y)) return;
  if (s.nFinite === 0) {
    s.shift = y;
    s.mean = y;
  }
  const raw = y - s.shift;
  const a = Math.abs(raw);
  // Deviations above 2^400 (values near ±1e300), or a first one below 2^-400 (subnormal
  // data), would overflow or underflow in the squares: rescale the sums by a power of 2
  // (exact) so the deviation is about 1. Ordinary data keeps sc = 1, python's arithmetic.
  if (a !== 0 && a !== INF && (a * s.sc > 2 ** 400 || (s.s2 === 0 && a * s.sc < 2 ** -400))) {
    const sc = 2 ** Math.min(1000, Math.max(-1000, -Math.floor(Math.log2(a)))); // finite
    const f = sc / s.sc;
    s.s1 *= f;
    s.s2 = s.s2 * f * f; // not f², which can overflow to Infinity (0·Infinity = NaN)
    s.sc = sc;
  }
  const d = raw * s.sc;
  s.s1 += d;
  s.s2 += d * d;
  s.nFinite++;
}
