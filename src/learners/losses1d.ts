/**
 * Loss functions for {@link Learner1D}: ports of python-adaptive's `learner1D.py` losses
 * with the same formulas and order of operations.
 *
 * A loss sees the interval's x values and y values already scaled (x by the bounds width,
 * y by the observed y range), with `nthNeighbors` neighbouring points on each side (`null`
 * past the edge of the data). `ys[i]` is a number for scalar output and a `Float64Array`
 * for vector output. The arrays are scratch buffers reused between calls: read them, do not
 * keep them.
 */

import { hypot } from '../util/hypot.js';
import { checkOptionKeys } from './validate.js';

/** A y value as seen by a loss function: a number or a vector. */
export type LossY = number | Float64Array;

/** A loss of one interval: larger means "sample here sooner". */
export interface IntervalLoss {
  (xs: readonly (number | null)[], ys: readonly (LossY | null)[]): number;
  /** Neighbouring intervals seen on each side (default 0). */
  readonly nthNeighbors?: number;
  /** Name used in snapshots and messages. */
  readonly lossName?: string;
}

function tag<F extends (xs: readonly (number | null)[], ys: readonly (LossY | null)[]) => number>(
  fn: F,
  nthNeighbors: number,
  lossName: string,
): IntervalLoss {
  Object.defineProperty(fn, 'nthNeighbors', { value: nthNeighbors, enumerable: true });
  Object.defineProperty(fn, 'lossName', { value: lossName, enumerable: true });
  return fn as unknown as IntervalLoss;
}

/**
 * Declares that `lossFn` looks at `n` neighbouring intervals on each side: it then receives
 * `2 + 2n` x and y values, and is recomputed when any of them changes.
 * @example
 * const loss = usesNthNeighbors(1, (xs, ys) => ...);
 * new Learner1D({ bounds: [0, 1], loss });
 */
export function usesNthNeighbors(
  n: number,
  lossFn: (xs: readonly (number | null)[], ys: readonly (LossY | null)[]) => number,
): IntervalLoss {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`usesNthNeighbors: n must be a non-negative integer, got ${n}`);
  }
  if (typeof lossFn !== 'function')
    throw new TypeError('usesNthNeighbors: lossFn must be a function');
  const name = (lossFn as { lossName?: string }).lossName ?? (lossFn.name || 'custom');
  return tag((xs, ys) => lossFn(xs, ys), n, name);
}

/**
 * Samples the domain uniformly: the loss is the interval's scaled width.
 * @example uniformLoss([0, 0.5], [1, 7]) // 0.5
 */
export const uniformLoss: IntervalLoss = tag(
  (xs) => (xs[1] as number) - (xs[0] as number),
  0,
  'uniformLoss',
);

/**
 * The default: the length of the interval's segment in the scaled (x, y) plane; for vector
 * output the largest over the components.
 * @example defaultLoss([0, 0.3], [0, 0.4]) // 0.5
 */
export const defaultLoss: IntervalLoss = tag(
  (xs, ys) => {
    const dx = (xs[1] as number) - (xs[0] as number);
    const y0 = ys[0] as LossY;
    if (typeof y0 === 'number') return hypot(dx, (ys[1] as number) - y0);
    const y1 = ys[1] as Float64Array;
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < y0.length; i++) {
      const h = hypot(dx, Math.abs((y0[i] as number) - (y1[i] as number)));
      // numpy's max propagates NaN
      if (h > m || Number.isNaN(h)) m = h;
      if (Number.isNaN(m)) break;
    }
    return m;
  },
  0,
  'defaultLoss',
);

function logAbsMin(y: LossY): number {
  if (typeof y === 'number') return Math.log(Math.abs(y));
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < y.length; i++) {
    const a = Math.abs(y[i] as number);
    if (a < m || Number.isNaN(a)) m = a;
    if (Number.isNaN(m)) break;
  }
  return Math.log(m);
}

/**
 * The default loss on log|y| (the smallest |y| component for vectors): favours the absolute
 * minimum of the function.
 * @example absMinLogLoss([0, 1], [1, Math.E]) // Math.SQRT2
 */
export const absMinLogLoss: IntervalLoss = tag(
  (xs, ys) => {
    const dx = (xs[1] as number) - (xs[0] as number);
    return hypot(dx, logAbsMin(ys[1] as LossY) - logAbsMin(ys[0] as LossY));
  },
  0,
  'absMinLogLoss',
);

/** |det| / 2 of the 2×2 matrix of edge vectors of a triangle in the plane (python's `volume`). */
function triangleArea2D(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): number {
  const a = x0 - x2;
  const b = y0 - y2;
  const c = x1 - x2;
  const d = y1 - y2;
  return Math.abs(a * d - c * b) / 2;
}

// Scratch for the Cayley–Menger determinant.
const cm = new Float64Array(16);

/** Determinant of a 4×4 matrix (row-major) by LU with partial pivoting. */
function det4(m: Float64Array): number {
  let det = 1;
  for (let k = 0; k < 4; k++) {
    let p = k;
    let best = Math.abs(m[k * 4 + k] as number);
    for (let i = k + 1; i < 4; i++) {
      const v = Math.abs(m[i * 4 + k] as number);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return 0;
    if (p !== k) {
      for (let j = 0; j < 4; j++) {
        const t = m[k * 4 + j] as number;
        m[k * 4 + j] = m[p * 4 + j] as number;
        m[p * 4 + j] = t;
      }
      det = -det;
    }
    const piv = m[k * 4 + k] as number;
    det *= piv;
    for (let i = k + 1; i < 4; i++) {
      const f = (m[i * 4 + k] as number) / piv;
      for (let j = k + 1; j < 4; j++)
        m[i * 4 + j] = (m[i * 4 + j] as number) - f * (m[k * 4 + j] as number);
    }
  }
  return det;
}

/**
 * Area of the triangle (x_i, y_i...) embedded in 1 + vdim dimensions (python-adaptive's
 * `simplex_volume_in_embedding`: Heron's formula in 2-D, the Cayley–Menger determinant
 * otherwise). A slightly negative squared area from rounding counts as 0.
 */
function triangleAreaEmbedded(xs: number[], ys: Float64Array[]): number {
  const dim = 1 + (ys[0] as Float64Array).length;
  const sq = (i: number, j: number): number => {
    const dx = (xs[i] as number) - (xs[j] as number);
    let s = dx * dx;
    const yi = ys[i] as Float64Array;
    const yj = ys[j] as Float64Array;
    for (let k = 0; k < yi.length; k++) {
      const d = (yi[k] as number) - (yj[k] as number);
      s += d * d;
    }
    return s;
  };
  const d01 = sq(0, 1);
  const d02 = sq(0, 2);
  const d12 = sq(1, 2);
  if (dim === 2) {
    const a = Math.sqrt(d01);
    const b = Math.sqrt(d02);
    const c = Math.sqrt(d12);
    const s = 0.5 * (a + b + c);
    return Math.sqrt(s * (s - a) * (s - b) * (s - c));
  }
  // Bordered matrix [[0,1,1,1],[1,0,d01,d02],[1,d01,0,d12],[1,d02,d12,0]].
  cm.set([0, 1, 1, 1, 1, 0, d01, d02, 1, d01, 0, d12, 1, d02, d12, 0]);
  const volSquare = det4(cm) / -16;
  return volSquare > 0 ? Math.sqrt(volSquare) : 0;
}

const txs: number[] = [];
const tys: LossY[] = [];

/**
 * The mean area of the triangles formed by consecutive points around the interval (one
 * neighbour on each side); the width when there are only two points.
 * @example triangleLoss([null, 0, 1, 2], [null, 0, 1, 0]) // 1
 */
export const triangleLoss: IntervalLoss = tag(
  (xs, ys) => {
    txs.length = 0;
    tys.length = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x !== null && x !== undefined) {
        txs.push(x);
        tys.push(ys[i] as LossY);
      }
    }
    if (txs.length === 2) return (txs[1] as number) - (txs[0] as number);
    const n = txs.length - 2;
    let sum = 0;
    if (typeof tys[0] === 'number') {
      const y = tys as number[];
      for (let i = 0; i < n; i++) {
        sum += triangleArea2D(
          txs[i] as number,
          y[i] as number,
          txs[i + 1] as number,
          y[i + 1] as number,
          txs[i + 2] as number,
          y[i + 2] as number,
        );
      }
    } else {
      for (let i = 0; i < n; i++) {
        sum += triangleAreaEmbedded(txs.slice(i, i + 3), (tys as Float64Array[]).slice(i, i + 3));
      }
    }
    return sum / n;
  },
  1,
  'triangleLoss',
);

function checkFactor(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${fn}: ${name} must be a finite number, got ${String(v)}`);
  }
  return v;
}

/**
 * The default loss, but intervals narrower than `minLength` get 0 (never refined) and wider
 * than `maxLength` get +Infinity (refined first). Lengths are fractions of the domain.
 * @example new Learner1D({ bounds: [-1, 1], loss: resolutionLoss({ minLength: 0.01 }) })
 */
export function resolutionLoss(
  options: { minLength?: number; maxLength?: number } = {},
): IntervalLoss {
  checkOptionKeys('resolutionLoss', options, ['minLength', 'maxLength']);
  const minLength = checkFactor('resolutionLoss', 'minLength', options.minLength ?? 0);
  const maxLength = checkFactor('resolutionLoss', 'maxLength', options.maxLength ?? 1);
  if (minLength < 0 || maxLength < minLength) {
    throw new RangeError(
      `resolutionLoss: need 0 <= minLength <= maxLength, got minLength ${minLength}, maxLength ${maxLength}`,
    );
  }
  return tag(
    (xs, ys) => {
      const u = (xs[1] as number) - (xs[0] as number);
      if (u < minLength) return 0;
      if (u > maxLength) return Number.POSITIVE_INFINITY;
      return defaultLoss(xs, ys);
    },
    0,
    'resolutionLoss',
  );
}

/**
 * Curvature-aware loss: `areaFactor·√(triangle area) + euclidFactor·(segment length) +
 * horizontalFactor·(width)`, using one neighbour on each side.
 * @example new Learner1D({ bounds: [-1, 1], loss: curvatureLoss() })
 */
export function curvatureLoss(
  options: { areaFactor?: number; euclidFactor?: number; horizontalFactor?: number } = {},
): IntervalLoss {
  checkOptionKeys('curvatureLoss', options, ['areaFactor', 'euclidFactor', 'horizontalFactor']);
  const areaFactor = checkFactor('curvatureLoss', 'areaFactor', options.areaFactor ?? 1);
  const euclidFactor = checkFactor('curvatureLoss', 'euclidFactor', options.euclidFactor ?? 0.02);
  const horizontalFactor = checkFactor(
    'curvatureLoss',
    'horizontalFactor',
    options.horizontalFactor ?? 0.02,
  );
  const mx: (number | null)[] = [0, 0];
  const my: (LossY | null)[] = [0, 0];
  return tag(
    (xs, ys) => {
      mx[0] = xs[1] as number;
      mx[1] = xs[2] as number;
      my[0] = ys[1] as LossY;
      my[1] = ys[2] as LossY;
      const t = triangleLoss(xs, ys);
      const d = defaultLoss(mx, my);
      const dx = (mx[1] as number) - (mx[0] as number);
      return areaFactor * Math.sqrt(t) + euclidFactor * d + horizontalFactor * dx;
    },
    1,
    'curvatureLoss',
  );
}
