/**
 * The functions the pool bench evaluates in its workers (compiled to
 * `dist-bench/bench/pool-fn.js`): python's benchmark `peak`, a trivial function.
 */

const A2 = 0.01 * 0.01;

/** python's `x + a**2 / (a**2 + x**2)`, a = 0.01. */
export function peak(x: number): number {
  return x + A2 / (A2 + x * x);
}
