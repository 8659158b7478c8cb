/**
 * The running statistics of the samples at one point, shared by the averaging learners
 * ({@link AverageLearner1D}, {@link AverageLearner2D}): python-adaptive's running mean and
 * the Student-t error of the mean, kept in O(1) a sample.
 */
import { tQuantile } from '../util/student-t.js';
import { describe } from './validate.js';

const INF = Number.POSITIVE_INFINITY;

/**
 * The sums of the finite samples of one point. Initialise with {@link emptyStats}.
 * @example const s: SampleStats = emptyStats(); addFinite(s, 1);
 */
export interface SampleStats {
  /** Finite samples seen. */
  nFinite: number;
  /** The first finite sample: the sums are of deviations from it (no cancellation). */
  shift: number;
  /** The sums are of (y − shift)·sc, sc a power of 2 that keeps them from over- or underflowing. */
  sc: number;
  s1: number;
  s2: number;
  /** The mean of the finite samples (NaN while there is none). */
  mean: number;
}

/**
 * Statistics of no sample.
 * @example emptyStats().mean; // NaN
 */
export function emptyStats(): SampleStats {
  return { nFinite: 0, shift: 0, sc: 1, s1: 0, s2: 0, mean: Number.NaN };
}

/**
 * python-adaptive's running mean, `mean·n/(n + 1) + y/(n + 1)`, in its order of operations;
 * where mean·n overflows (means near ±1e300 after many samples) the same in another order.
 * @example runningMean(1, 1, 3); // 2
 */
export function runningMean(mean: number, n: number, y: number): number {
  const m = mean * n;
  if (m === INF || m === -INF) return mean * (n / (n + 1)) + y / (n + 1);
  return m / (n + 1) + y / (n + 1);
}

/**
 * Adds a sample to the mean (python's running mean) and to the sums. A non-finite sample
 * changes nothing: it is kept by the learner but left out of the mean and its error.
 * @example const s = emptyStats(); addSample(s, 1); addSample(s, 3); s.mean; // 2
 */
export function addSample(s: SampleStats, y: number): void {
  if (!Number.isFinite(y)) return;
  if (s.nFinite > 0) s.mean = runningMean(s.mean, s.nFinite, y);
  addFinite(s, y);
}

/**
 * Adds a sample to the sums only (the mean is the caller's), the first finite one also
 * setting the shift and the mean. Non-finite samples are ignored.
 * @example const s = emptyStats(); addFinite(s, 2); s.mean; // 2
 */
export function addFinite(s: SampleStats, y: number): void {
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

/** Student-t quantiles t(1 − α, df), by α then df: each costs a root search. */
/**
 * A point is not resampled for precision once its error is below `delta` times this
 * fraction of the loss (in units of the value range): the averaging learners' noise floor.
 */
export const NOISE_FLOOR = 1 / 8;
/**
 * Asks in a row that may resample for precision before the next ask takes a new point:
 * `RESAMPLE_RUN_PER_POINT · npoints + RESAMPLE_RUN_BASE` (AverageLearner1D and
 * AverageLearner2D; it bounds python-adaptive's rule, which ranks a point first while its
 * distance to a neighbour is tiny next to the loss: see AverageLearner1D.ask).
 */
export const RESAMPLE_RUN_PER_POINT = 2;
export const RESAMPLE_RUN_BASE = 10;

/** The most asks in a row that may resample for precision with `npoints` points. */
export function resampleRunLimit(npoints: number): number {
  return RESAMPLE_RUN_PER_POINT * npoints + RESAMPLE_RUN_BASE;
}

const T_CACHES = new Map<number, number[]>();

/**
 * The Student-t quantiles t(1 − α, df) by df, shared by every learner with the same α.
 * @example tCacheFor(0.005).length; // grows as quantiles are asked for
 */
export function tCacheFor(alpha: number): number[] {
  let cache = T_CACHES.get(alpha);
  if (cache === undefined) {
    cache = [];
    T_CACHES.set(alpha, cache);
  }
  return cache;
}

/**
 * python's `_calc_error_in_mean`: t(1 − α, n − 1)·√(variance / n) over the finite samples,
 * +Infinity with fewer than 2. `cache` is {@link tCacheFor}(alpha).
 * @example errorInMean(s, 0.005, tCacheFor(0.005));
 */
export function errorInMean(s: SampleStats, alpha: number, cache: number[]): number {
  const n = s.nFinite;
  if (n < 2) return INF;
  let t = cache[n - 1];
  if (t === undefined) {
    t = tQuantile(1 - alpha, n - 1);
    cache[n - 1] = t;
  }
  const dm = (s.mean - s.shift) * s.sc;
  // Σ(y − mean)² = Σ(y − c)² − 2(mean − c)Σ(y − c) + n(mean − c)², c the first sample.
  const ss = Math.max(0, s.s2 - 2 * dm * s.s1 + n * dm * dm);
  return (t * Math.sqrt(ss / (n - 1) / n)) / s.sc;
}

/**
 * The smaller of two distances, ignoring a NaN one (a neighbour whose mean has no finite
 * sample): a point next to such a neighbour is still compared with its other neighbour.
 * @example finiteMin(Number.NaN, 2); // 2
 */
export function finiteMin(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.min(a, b);
}

/**
 * The resampling options of the averaging learners, python-adaptive's defaults filled in.
 * @example const o: AveragingOptions = readAveragingOptions('AverageLearner1D', {});
 */
export interface AveragingOptions {
  delta: number;
  alpha: number;
  neighborSampling: number;
  minSamples: number;
  maxSamples: number;
  minError: number;
}

/**
 * Checks and completes the resampling options (`where` names the learner in the errors):
 * delta in (0, 1] (default 0.2), alpha in (0, 1) (0.005), neighborSampling in (0, 1] (0.3),
 * minSamples a non-negative integer (50), maxSamples an integer ≥ minSamples or Infinity
 * (Infinity), minError finite and ≥ 0 (0).
 * @throws TypeError for a value that is not a number, RangeError for one out of range.
 * @example readAveragingOptions('AverageLearner2D', { delta: 1 }).minSamples; // 50
 */
export function readAveragingOptions(
  where: string,
  options: Partial<Record<keyof AveragingOptions, unknown>>,
): AveragingOptions {
  const num = (name: string, v: unknown, dflt: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new TypeError(`${where}: ${name} must be a number, got ${describe(v)}`);
    }
    return v;
  };
  const delta = num('delta', options.delta, 0.2);
  const alpha = num('alpha', options.alpha, 0.005);
  const ns = num('neighborSampling', options.neighborSampling, 0.3);
  const minSamples = num('minSamples', options.minSamples, 50);
  const maxSamples = num('maxSamples', options.maxSamples, INF);
  const minError = num('minError', options.minError, 0);
  if (!(delta > 0 && delta <= 1))
    throw new RangeError(`${where}: delta must be in (0, 1], got ${delta}`);
  if (!(alpha > 0 && alpha < 1))
    throw new RangeError(`${where}: alpha must be in (0, 1), got ${alpha}`);
  if (!(ns > 0 && ns <= 1))
    throw new RangeError(`${where}: neighborSampling must be in (0, 1], got ${ns}`);
  if (!Number.isInteger(minSamples) || minSamples < 0) {
    throw new RangeError(`${where}: minSamples must be a non-negative integer, got ${minSamples}`);
  }
  if (!(maxSamples >= minSamples) || (maxSamples !== INF && !Number.isInteger(maxSamples))) {
    throw new RangeError(
      `${where}: maxSamples must be an integer (or Infinity) >= minSamples (${minSamples}), got ${maxSamples}`,
    );
  }
  if (!(minError >= 0) || minError === INF) {
    throw new RangeError(`${where}: minError must be a finite number >= 0, got ${minError}`);
  }
  return { delta, alpha, neighborSampling: ns, minSamples, maxSamples, minError };
}
