/**
 * The functions of the demo, in a module of their own so that worker threads can load them
 * (a worker gets the module's URL and an export name; closures cannot cross threads).
 * Each one burns a little CPU first, a stand-in for an expensive simulation.
 */

/** Busy-waits `us` microseconds: the "cost" of an evaluation. */
function work(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end) {
    // a simulation would compute here
  }
}

const COST_US = Number(process.env.DEMO_COST_US ?? 50);

/**
 * The width of the peak.
 * @example
 * peakExact(PEAK_WIDTH); // 0.51: half way up the peak
 */
export const PEAK_WIDTH = 0.01;

/**
 * A sharp peak on a slope: x + a²/(a² + x²), a = 0.01 (python-adaptive's classic).
 * @example
 * peakExact(0); // 1
 */
export function peakExact(x: number): number {
  const a = PEAK_WIDTH;
  return x + (a * a) / (a * a + x * x);
}

/**
 * {@link peakExact}, with the cost of an evaluation.
 * @example
 * new WorkerPoolMaster({ module: new URL('./functions.ts', import.meta.url), exportName: 'peak' });
 */
export function peak(x: number): number {
  work(COST_US);
  return peakExact(x);
}

/**
 * A ring: x + exp(−(x² + y² − 0.75²)² / 0.2⁴) (python-adaptive's Learner2D example).
 * @example
 * ringExact([0.75, 0]); // 1.75: on the ring
 */
export function ringExact([x, y]: readonly [number, number]): number {
  return x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);
}

/**
 * {@link ringExact}, with the cost of an evaluation.
 * @example
 * ring([0, 0.75]); // 1
 */
export function ring(p: readonly [number, number]): number {
  work(COST_US);
  return ringExact(p);
}

/**
 * Noise in [-0.5, 0.5) from a seed and an x: the same pair gives the same number.
 * @example
 * hashNoise(3, 0.5) === hashNoise(3, 0.5); // true
 */
export function hashNoise(seed: number, x: number): number {
  let h =
    Math.imul(seed + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.round(x * 2 ** 30) | 0, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296 - 0.5;
}

/**
 * The amplitude of the noise of {@link noisy}: uniform in ±NOISE/2.
 * @example
 * Math.abs(noisy([1, 0.5]) - noisyExact(0.5)) <= NOISE / 2; // true
 */
export const NOISE = 0.2;

/**
 * The curve under {@link noisy}: a wider peak, x + b²/(b² + x²), b = 0.03.
 * @example
 * noisyExact(0); // 1
 */
export function noisyExact(x: number): number {
  const b = 0.03;
  return x + (b * b) / (b * b + x * x);
}

/**
 * {@link noisyExact} plus uniform noise: a measurement. A point is [seed, x].
 * @example
 * noisy([7, 0]); // 1 ± 0.1
 */
export function noisy([seed, x]: readonly [number, number]): number {
  work(COST_US);
  return noisyExact(x) + NOISE * hashNoise(seed, x);
}
