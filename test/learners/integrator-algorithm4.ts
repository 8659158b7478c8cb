/**
 * A slow, sequential reference for IntegratorLearner: Gonnet's algorithm 4 (CQUAD) as in
 * python-adaptive's `adaptive/tests/algorithm_4.py` (its `max_ivals` is 200), on our
 * constants. It evaluates the function itself and keeps a flat list of intervals; the
 * learner must give the same integral and error for the same functions.
 *
 * Also the test functions of that file (f0, f7, f21, f24, f63, fdiv, f_one_with_nan).
 */
import {
  cquadCoefficients,
  EPS,
  HINT,
  interpolationCoefficients,
  MIN_SEP,
  NDIV_MAX,
  NS,
} from '../../src/learners/integrator-coeffs.js';

const MAX_IVALS = 200;
const SQRT_ONE_HALF = Math.sqrt(0.5);

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

class Ival {
  c: Float64Array = new Float64Array(0);
  fx: Float64Array = new Float64Array(0);
  igral = 0;
  err = 0;
  ndiv = 0;
  c00 = 0;
  constructor(
    readonly a: number,
    readonly b: number,
    public depth: number,
    readonly rdepth: number,
  ) {}

  points(): number[] {
    const xi = cquadCoefficients().xi[this.depth] as Float64Array;
    return Array.from(xi, (x) => (this.a + this.b) / 2 + ((this.b - this.a) * x) / 2);
  }

  igralAndErr(cOld: ArrayLike<number>): number {
    this.c = interpolationCoefficients(this.fx, this.depth);
    const len = Math.max(cOld.length, this.c.length);
    const diff = new Float64Array(len);
    for (let k = 0; k < len; k++) {
      diff[k] =
        (k < cOld.length ? (cOld[k] as number) : 0) -
        (k < this.c.length ? (this.c[k] as number) : 0);
    }
    const cdiff = norm(diff);
    const w = this.b - this.a;
    this.igral = w * (this.c[0] as number) * SQRT_ONE_HALF;
    this.err = w * cdiff;
    return cdiff;
  }
}

/** Thrown by {@link algorithm4} on a divergent integral, with the points used so far. */
export class Algorithm4Divergence extends Error {
  constructor(readonly nrPoints: number) {
    super(`algorithm4: divergent integral after ${nrPoints} points`);
  }
}

/** The result of {@link algorithm4}. */
export interface Algorithm4Result {
  igral: number;
  err: number;
  nrPoints: number;
  /** The intervals left, as [a, b]. */
  ivals: [number, number][];
}

/**
 * CQUAD to a relative tolerance, sequentially: python-adaptive's `algorithm_4(f, a, b, tol)`.
 *
 * @example
 * algorithm4((x) => Math.exp(x), 0, 1, 1e-8).igral // 1.718281828459045
 */
export function algorithm4(
  f: (x: number) => number,
  a: number,
  b: number,
  tol: number,
): Algorithm4Result {
  const C = cquadCoefficients();
  const first = new Ival(a, b, 2, 1);
  first.fx = Float64Array.from(first.points(), f);
  first.c = interpolationCoefficients(first.fx, 2);
  let nrPoints = NS[2];
  const ivals: Ival[] = [first];
  let igralExcess = 0;
  let errExcess = 0;
  let iMax = 0;
  let igral = 0;
  let err = 0;
  let points: number[] = [];
  for (;;) {
    const iv = ivals[iMax] as Ival;
    let split: boolean;
    if (iv.depth === 3) split = true;
    else {
      iv.depth++;
      const d = iv.depth;
      points = iv.points();
      const fx = new Float64Array(NS[d] as number);
      for (let i = 0; i < fx.length; i++) {
        fx[i] = i % 2 === 0 ? (iv.fx[i / 2] as number) : f(points[i] as number);
      }
      iv.fx = fx;
      nrPoints += (NS[d] as number) - (NS[d - 1] as number);
      const cOld = iv.c;
      split = iv.igralAndErr(cOld) > HINT * norm(iv.c);
    }
    const n = points.length;
    if (
      (points[1] as number) - (points[0] as number) < (points[0] as number) * MIN_SEP ||
      (points[n - 1] as number) - (points[n - 2] as number) < (points[n - 2] as number) * MIN_SEP ||
      iv.err < Math.abs(iv.igral) * EPS * (C.Vcond[iv.depth] as number)
    ) {
      errExcess += iv.err;
      igralExcess += iv.igral;
      ivals[iMax] = ivals[ivals.length - 1] as Ival;
      ivals.pop();
    } else if (split) {
      const m = (iv.a + iv.b) / 2;
      const center = iv.fx[(iv.fx.length - 1) / 2] as number;
      const kids = [new Ival(iv.a, m, 0, iv.rdepth + 1), new Ival(m, iv.b, 0, iv.rdepth + 1)];
      const ends = [
        [iv.fx[0] as number, center],
        [center, iv.fx[iv.fx.length - 1] as number],
      ];
      kids.forEach((k, s) => {
        const p = k.points();
        k.fx = Float64Array.from(p, (x, i) =>
          i === 0 ? (ends[s]?.[0] as number) : i === p.length - 1 ? (ends[s]?.[1] as number) : f(x),
        );
      });
      nrPoints += 2 * (NS[0] - 2);
      for (let s = 0; s < 2; s++) {
        const k = kids[s] as Ival;
        const T = (s === 0 ? C.Tleft : C.Tright).data;
        const cOld = new Float64Array(33);
        for (let r = 0; r < 33; r++) {
          let t = 0;
          for (let q = 0; q < iv.c.length; q++)
            t += (T[r * 33 + q] as number) * (iv.c[q] as number);
          cOld[r] = t;
        }
        k.igralAndErr(cOld);
        k.c00 = k.c[0] as number;
        k.ndiv = iv.ndiv + (iv.c00 !== 0 && k.c00 / iv.c00 > 2 ? 1 : 0);
        if (k.ndiv > NDIV_MAX && 2 * k.ndiv > k.rdepth) throw new Algorithm4Divergence(nrPoints);
      }
      ivals.push(...kids);
      ivals[iMax] = ivals.pop() as Ival;
    }
    iMax = 0;
    let iMin = 0;
    err = errExcess;
    igral = igralExcess;
    for (let i = 0; i < ivals.length; i++) {
      const t = ivals[i] as Ival;
      if (t.err > (ivals[iMax] as Ival).err) iMax = i;
      else if (t.err < (ivals[iMin] as Ival).err) iMin = i;
      err += t.err;
      igral += t.igral;
    }
    if (ivals.length > MAX_IVALS) {
      errExcess += (ivals[iMin] as Ival).err;
      igralExcess += (ivals[iMin] as Ival).igral;
      ivals[iMin] = ivals[ivals.length - 1] as Ival;
      ivals.pop();
      if (iMax === ivals.length) iMax = iMin;
    }
    if (
      err === 0 ||
      err < Math.abs(igral) * tol ||
      (errExcess > Math.abs(igral) * tol && err - errExcess < Math.abs(igral) * tol) ||
      ivals.length === 0
    ) {
      return { igral, err, nrPoints, ivals: ivals.map((t) => [t.a, t.b]) };
    }
  }
}

// The test functions of python-adaptive's algorithm_4.py.
export const f0 = (x: number): number => x * Math.sin(1 / x) * Math.sqrt(Math.abs(1 - x));
export const f7 = (x: number): number => x ** -0.5;
export const f24 = (x: number): number => Math.floor(Math.exp(x));
export const f21 = (x: number): number => {
  let y = 0;
  for (let i = 1; i < 4; i++) y += 1 / Math.cosh(20 ** i * (x - (2 * i) / 10));
  return y;
};
export const f63 =
  (alpha: number, beta: number) =>
  (x: number): number =>
    Math.abs(x - beta) ** alpha;
export const F63 = (x: number, alpha: number, beta: number): number =>
  ((x - beta) * Math.abs(x - beta) ** alpha) / (alpha + 1);
export const fdiv = (x: number): number => Math.abs(x - 0.987654321) ** -1.1;
export const fOneWithNan = (x: number): number => (x === 0 ? Number.POSITIVE_INFINITY : 1);
