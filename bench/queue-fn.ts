/**
 * The functions the queue bench's workers evaluate (compiled to
 * `dist-bench/bench/queue-fn.js`): python's benchmark `peak`, trivial, and the same after an
 * asynchronous sleep of 1 ms.
 */

const A2 = 0.01 * 0.01;

/** python's `x + a**2 / (a**2 + x**2)`, a = 0.01. */
export function peak(x: number): number {
  return x + A2 / (A2 + x * x);
}

/** {@link peak} after `setTimeout(…, 1)` (about 1.1 ms). */
export function peakAfter1ms(x: number): Promise<number> {
  return new Promise((resolve) => setTimeout(() => resolve(peak(x)), 1));
}
