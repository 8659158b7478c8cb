/**
 * Piecewise-linear interpolation over sorted samples: the one home of the 1-D interpolant
 * that Learner1D (`interpolate`) and the 1-D plot (pending points on the curve) share.
 */

/**
 * Component `k` of the piecewise-linear interpolant of sorted samples at `x`: `xs` strictly
 * increasing, `ys` row-major with `vdim` values per sample. A sample's own value at a sample
 * (exactly, even next to a NaN or ±Infinity); NaN outside `[xs[0], xs[n-1]]`, for no samples,
 * and inside an interval with a non-finite end (by IEEE arithmetic). O(log n).
 *
 * @example
 * interpolateLinear([0, 1], [0, 10], 1, 0, 0.25); // 2.5
 * interpolateLinear([0, 1], [0, 10], 1, 0, 2); // NaN
 */
export function interpolateLinear(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  vdim: number,
  k: number,
  x: number,
): number {
  const n = xs.length;
  if (n === 0 || !(x >= (xs[0] as number) && x <= (xs[n - 1] as number))) return Number.NaN;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const y0 = ys[lo * vdim + k] as number;
  const y1 = ys[hi * vdim + k] as number;
  if (x === x0) return y0;
  if (x === x1) return y1;
  return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}
