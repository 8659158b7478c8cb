/**
 * The function every master evaluates in the master conformance suite (see
 * `master-conformance.ts`). It has no imports, so a worker or a queue worker can load it
 * on its own: `{ module: <this file>, exportName: 'conformanceFunction' }`.
 *
 * Points are numbers; some ranges are commands:
 * - an ordinary number x: the peak `x + a²/(a² + x²)`, a = 0.1, synchronously;
 * - {@link CONFORMANCE_ERROR} + k (k in [0, 1e6)): throws `Error('conformance error at <x>')`;
 * - {@link CONFORMANCE_DELAY} + ms (ms in [0, 1e6)): the peak of x, after `ms` milliseconds;
 * - {@link CONFORMANCE_HANG}: a promise that never settles.
 */

/**
 * Start of the points that throw.
 * @example
 * conformanceFunction(CONFORMANCE_ERROR + 2); // throws Error('conformance error at 1000002')
 */
export const CONFORMANCE_ERROR = 1e6;
/**
 * Start of the points answered after a delay (the offset is the delay in ms).
 * @example
 * await conformanceFunction(CONFORMANCE_DELAY + 10); // after 10 ms
 */
export const CONFORMANCE_DELAY = 2e6;
/**
 * The point whose evaluation never finishes.
 * @example
 * conformanceFunction(CONFORMANCE_HANG); // a promise that never settles
 */
export const CONFORMANCE_HANG = 3e6;

/**
 * `x + a²/(a² + x²)` with a = 0.1 (python-adaptive's `peak`).
 * @example
 * conformancePeak(0); // 1
 */
export function conformancePeak(x: number): number {
  return x + 0.01 / (0.01 + x * x);
}

/**
 * The conformance function; see the module comment for what each point does.
 *
 * @example
 * conformanceFunction(0); // 1
 * conformanceFunction(CONFORMANCE_ERROR + 1); // throws Error('conformance error at 1000001')
 * await conformanceFunction(CONFORMANCE_DELAY + 5); // the peak of 2000005, after 5 ms
 */
export function conformanceFunction(x: number): number | Promise<number> {
  if (x >= CONFORMANCE_ERROR && x < CONFORMANCE_DELAY) {
    throw new Error(`conformance error at ${x}`);
  }
  if (x >= CONFORMANCE_DELAY && x < CONFORMANCE_HANG) {
    const ms = x - CONFORMANCE_DELAY;
    return new Promise((resolve) => setTimeout(() => resolve(conformancePeak(x)), ms));
  }
  if (x === CONFORMANCE_HANG) return new Promise<number>(() => undefined);
  return conformancePeak(x);
}
