/** The error an IntegratorLearner raises when its integral appears to diverge. */
import { NDIV_MAX } from '../integrator-coeffs.js';

/**
 * Thrown when the integral appears to diverge: python-adaptive's criterion (an interval
 * was split more than 20 times with its estimate more than doubling, in over half of its
 * splits), or an interval too narrow for float to split further whose error exceeds the
 * magnitude of the whole integral (a pole at a node, seen through rounding).
 *
 * @example
 * try { learner.tell(x, y); } catch (e) {
 *   if (e instanceof DivergentIntegralError) console.log(e.interval); // [0.98765, 0.98766]
 * }
 */
export class DivergentIntegralError extends Error {
  override readonly name = 'DivergentIntegralError';
  /** The interval where the divergence showed. */
  readonly interval: readonly [number, number];

  constructor(a: number, b: number) {
    super(
      `IntegratorLearner: the integral appears to diverge in [${a}, ${b}]: its estimate kept growing as the interval was split (doubling ${NDIV_MAX} times or more, or until float could not split it and its error exceeded the whole integral); it cannot be integrated to a tolerance`,
    );
    this.interval = [a, b];
  }
}
