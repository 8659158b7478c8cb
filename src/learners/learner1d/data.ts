/** Learner1D's data out: the evaluated points in x order, as records, arrays or interpolant. */
import { interpolateLinear } from '../../util/interpolate1d.js';
import { describe } from '../validate.js';
import type { Record1D } from './state.js';
import { KIND, REAL, realRight, type State1D } from './state.js';

/** The evaluated points in x order (cached until the next change). O(n). */
export function sortedData(s: State1D): { x: Float64Array; y: Float64Array } {
  if (s.sorted !== null) return s.sorted;
  const n = s.nReal;
  const d = s.vdim === 0 ? 1 : s.vdim;
  const x = new Float64Array(n);
  const y = new Float64Array(n * d);
  let i = 0;
  let l = s.head;
  if (l >= 0 && ((s.state[l] as number) & KIND) !== REAL) l = realRight(s, l);
  for (; l >= 0; l = realRight(s, l)) {
    x[i] = s.xs[l] as number;
    for (let k = 0; k < d; k++) y[i * d + k] = s.ys[l * d + k] as number;
    i++;
  }
  s.sorted = { x, y };
  return s.sorted;
}

/** The body of {@link Learner1D.toRecords}. */
export function toRecords(s: State1D): Record1D[] {
  const { x, y } = sortedData(s);
  const d = s.vdim === 0 ? 1 : s.vdim;
  const out: Record1D[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = {
      x: x[i] as number,
      y: s.vector ? Array.from(y.subarray(i * d, i * d + d)) : (y[i] as number),
    };
  }
  return out;
}

/** The body of {@link Learner1D.toArrays}. */
export function toArrays(s: State1D): { x: Float64Array; y: Float64Array; vdim: number } {
  const { x, y } = sortedData(s);
  return { x: x.slice(), y: y.slice(), vdim: s.vdim === 0 ? 1 : s.vdim };
}

/** The piecewise-linear interpolant of the evaluated data at x; NaN outside. O(vdim log n). */
export function interpolateOne(s: State1D, x: number): number | number[] {
  if (typeof x !== 'number')
    throw new TypeError(`Learner1D.interpolate: expected a number, got ${describe(x)}`);
  const { x: X, y: Y } = sortedData(s);
  const d = s.vdim === 0 ? 1 : s.vdim;
  if (!s.vector) return interpolateLinear(X, Y, d, 0, x);
  const r = new Array<number>(d);
  for (let k = 0; k < d; k++) r[k] = interpolateLinear(X, Y, d, k, x);
  return r;
}
