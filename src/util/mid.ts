/**
 * The midpoint of two doubles, (a + b) / 2 rounded once, without overflow and inside [a, b].
 *
 * a/2 + b/2 gives the same bits while a and b are normal doubles (halving is then exact), but
 * halving a subnormal rounds: the midpoint of x and x can come out one ulp above x
 * (x = 1.00000000000005e-310), outside a box whose bound is x. The sum is exact there, so
 * (a + b) / 2 rounds once, and rounding is monotone: min(a, b) ≤ mid ≤ max(a, b). Near
 * ±MAX_VALUE, where a + b overflows, the halves are exact and a/2 + b/2 rounds once.
 * @example mid(1, 2); // 1.5
 * @example mid(1.7e308, 1.7e308); // 1.7e308
 */
export function mid(a: number, b: number): number {
  const m = (a + b) / 2;
  return Number.isFinite(m) ? m : a / 2 + b / 2;
}
