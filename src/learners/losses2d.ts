/**
 * Loss functions for {@link Learner2D}: python-adaptive's `learner2D.py` losses, with the same
 * formulas, evaluated one triangle at a time.
 *
 * python-adaptive hands its losses the whole interpolator and gets one loss per triangle back.
 * Here a loss sees one triangle ({@link TriangleLossInput}): its vertices in scaled coordinates
 * (the bounds map to the unit square [-0.5, 0.5]², as in python-adaptive), the values told at
 * the vertices, a gradient estimate at each vertex, the area, and the value scale python-adaptive
 * divides by. So a `tell` recomputes only the triangles near the new point.
 *
 * The gradients are estimated differently from python-adaptive, on purpose. python-adaptive
 * asks scipy for Clough–Tocher gradients: one global, iterative minimisation of the curvature
 * of a C¹ cubic interpolant over every point (Nielson 1983; Renka & Cline 1984), so a change
 * anywhere changes every gradient a little, and the learner rebuilds everything on every ask.
 * Here the gradient at a vertex is local, in two steps:
 *
 * 1. the weighted least-squares fit of a quadratic through the vertex's value to its finite
 *    neighbours, `f_u − f_v ≈ g·E + ½ Eᵀ H E` (E = p_u − p_v, weight 1/|E|²), of which g is
 *    kept (the linear fit when fewer than six neighbours are finite);
 * 2. one Jacobi sweep (Learner2D's `gradientSweeps`, default 1) of scipy's update from those,
 *    corrected for curvature:
 *    `g(v) = −Q⁻¹ Σ_u (6 (f_v − f_u) + 2 E·g₀(u) + Eᵀ H_v E) E / |E|³` with
 *    `Q = 4 Σ_u E Eᵀ / |E|³`, where H_v is the Hessian of v's quadratic fit. Without the
 *    `Eᵀ H_v E` term this is scipy's update, the gradient at v that minimises the curvature of
 *    the cubic Hermite curves along v's edges given its neighbours' gradients; along one edge
 *    it estimates the slope at v as `1.5 Δf/|E| − 0.5 s_u`, which misses by `|E| f''/4` (exact
 *    for a cubic's third-order term, not for its second). The term removes that miss, so the
 *    sweep is exact for quadratic data, however irregular the ring (scipy relies on the
 *    global solve and symmetric rings for the error to cancel). It costs nothing per edge in
 *    the sweep: the correction `−Q⁻¹ Σ_u (Eᵀ H_v E) E / |E|³` is a property of v's ring,
 *    computed with the quadratic fit and added by every sweep.
 *
 * So a gradient reads the vertices within two rings, and a `tell` re-estimates the gradients
 * within one ring of the change and the losses of the triangles around those: about fifty,
 * whatever the number of points (about twenty with `gradientSweeps: 0`). Measured on
 * python-adaptive's ring function against python-adaptive itself (serial ask/tell, errors of
 * the linear interpolant on a 200 × 200 grid; `test/learners/learner2d-reference.test.ts`):
 * - the recorded run (radius 0.75): RMS error 0.83× python-adaptive's at 1 000 points and
 *   0.92× at 3 000, the largest error 0.84× and 0.93×;
 * - radii 0.45–0.85, every 250 points from 1 000 to 3 000 (45 checkpoints): geometric means
 *   0.92× (RMS) and 0.90× (largest error); the RMS is lower at every checkpoint, the largest
 *   error at 38 of the 45 (0.76–1.09×: it drops in steps, whenever the worst triangle on the
 *   crest is split).
 * The same sweep without the correction gave 0.94× and 0.94× (and 1.06× for the largest error
 * at 3 000 points of the recorded run); the quadratic fit alone (`gradientSweeps: 0`: one ring,
 * about twice as fast) 0.98× and 1.00×; two corrected sweeps (three rings) 0.93× and 0.89× for
 * more work. Exact gradients would give about 0.78× and 0.75×: the gradients are what limits the
 * samples. On other functions (a Gaussian bump, a tanh front, a pole, MATLAB's peaks) the
 * correction changed the errors by −4 % to +3 % on average. Neighbours with a non-finite
 * value are left out; with fewer than two independent directions the minimum-norm solution is
 * used.
 *
 * The input arrays are scratch buffers the learner reuses: read them, do not keep them.
 */

import { checkOptionKeys } from './validate.js';

/**
 * One triangle as a {@link TriangleLoss} sees it. Vertices are counterclockwise, starting at
 * the lexicographically smallest (x, then y), so a loss gets the same input for the same
 * triangle whatever the order the points came in.
 *
 * @example
 * // the triangle (0, 0), (0.5, 0), (0, 0.5) with values 1, 2, 3
 * t.points; // Float64Array [0, 0, 0.5, 0, 0, 0.5]
 * t.values; // Float64Array [1, 2, 3]
 * t.area; // 0.125
 */
export interface TriangleLossInput {
  /** Scaled coordinates `[x0, y0, x1, y1, x2, y2]` (the bounds map to [-0.5, 0.5]²). */
  readonly points: Float64Array;
  /**
   * The values at the vertices as told, times `valueUnit`: component k of vertex i at
   * `values[i * vdim + k]`.
   */
  readonly values: Float64Array;
  /**
   * The gradient of component k at vertex i with respect to the scaled coordinates:
   * `∂/∂x` at `gradients[2 * (i * vdim + k)]`, `∂/∂y` at `gradients[2 * (i * vdim + k) + 1]`.
   * Zero when the loss declares `needsGradients: false`.
   */
  readonly gradients: Float64Array;
  /** Number of output components (1 for scalar output). */
  readonly vdim: number;
  /**
   * What python-adaptive divides the values by: the largest range (max − min) over the output
   * components of the finite values told so far (times `valueUnit`). While that range is 0
   * (every finite value the same) it is their magnitude (times `valueUnit`; 1 when they are 0
   * or there are none), where python-adaptive uses 1, so a loss reading the values themselves
   * sees the same scaled values for f and f × c.
   */
  readonly valueScale: number;
  /**
   * The power of two that `values`, `gradients` and `valueScale` are multiplied by: 1 while the
   * value range (the magnitude while the range is 0) lies in [2⁻¹⁰⁰, 2¹⁰⁰], else the one that
   * brings it near 1, so values
   * near ±MAX_VALUE or subnormal ones lose no precision and overflow nowhere. A loss that
   * compares values with a threshold in the user's units multiplies the threshold by it.
   */
  readonly valueUnit: number;
  /** The triangle's area in scaled coordinates (the whole domain has area 1). */
  readonly area: number;
}

/**
 * The loss of one triangle: larger means "sample here sooner". A NaN result is replaced by the
 * uniform loss `√area`.
 *
 * @example
 * const loss: TriangleLoss = (t) => Math.sqrt(t.area);
 */
export interface TriangleLoss {
  (triangle: TriangleLossInput): number;
  /** Name used in snapshots and messages (default: the function's name). */
  readonly lossName?: string;
  /** Whether the loss reads `gradients` (default `true`; `false` skips estimating them). */
  readonly needsGradients?: boolean;
}

function tag(
  fn: (t: TriangleLossInput) => number,
  lossName: string,
  needsGradients: boolean,
): TriangleLoss {
  Object.defineProperty(fn, 'lossName', { value: lossName, enumerable: true });
  Object.defineProperty(fn, 'needsGradients', { value: needsGradients, enumerable: true });
  return fn as TriangleLoss;
}

/**
 * Declares a custom triangle loss with a name (used in snapshots) and whether it reads the
 * gradients (estimating them costs time; default `true`).
 *
 * @example
 * const curvy = defineLoss2D((t) => deviation2D(t) * Math.sqrt(t.area), { name: 'curvy' });
 * new Learner2D({ bounds: [[0, 1], [0, 1]], loss: curvy });
 */
export function defineLoss2D(
  fn: (triangle: TriangleLossInput) => number,
  options: { name?: string; needsGradients?: boolean } = {},
): TriangleLoss {
  if (typeof fn !== 'function') throw new TypeError('defineLoss2D: fn must be a function');
  checkOptionKeys('defineLoss2D', options, ['name', 'needsGradients']);
  const name = options.name ?? (fn.name || 'custom');
  return tag((t) => fn(t), name, options.needsGradients ?? true);
}

/**
 * python-adaptive's `deviations` for one triangle, summed over the output components: for each
 * vertex, how far the linear extrapolation along its gradient misses the other two vertices
 * (the largest miss), summed over the three vertices, in units of the value scale. Zero for a
 * linear function with exact gradients.
 *
 * @example
 * // f(x, y) = x with gradients (1, 0): every extrapolation is exact
 * deviation2D(t); // 0
 */
export function deviation2D(t: TriangleLossInput): number {
  const p = t.points;
  const v = t.values;
  const g = t.gradients;
  const d = t.vdim;
  const inv = 1 / t.valueScale;
  let dev = 0;
  for (let k = 0; k < d; k++) {
    for (let j = 0; j < 3; j++) {
      const vj = (v[j * d + k] as number) * inv;
      const gx = (g[2 * (j * d + k)] as number) * inv;
      const gy = (g[2 * (j * d + k) + 1] as number) * inv;
      const xj = p[2 * j] as number;
      const yj = p[2 * j + 1] as number;
      let m = 0;
      for (let i = 0; i < 3; i++) {
        if (i === j) continue;
        const est = vj + ((p[2 * i] as number) - xj) * gx + ((p[2 * i + 1] as number) - yj) * gy;
        const miss = Math.abs(est - (v[i * d + k] as number) * inv);
        if (miss > m || Number.isNaN(miss)) m = miss;
      }
      dev += m;
    }
  }
  return dev;
}

/**
 * The weight of the area term of python-adaptive's `default_loss` (`deviation · √area +
 * 0.3 · area`), shared by the losses built on it and Learner2D's inlined default loss.
 * @example AREA_WEIGHT; // 0.3
 */
export const AREA_WEIGHT = 0.3;

/**
 * The default loss (python-adaptive's `default_loss`): `deviation · √area + 0.3 · area`, so
 * triangles where the function bends are split first, and large flat ones eventually too.
 *
 * @example defaultLoss2D(t) // 0.15 for a flat triangle of area 0.5
 */
export const defaultLoss2D: TriangleLoss = tag(
  (t) => {
    const a = t.area;
    return deviation2D(t) * Math.sqrt(a) + AREA_WEIGHT * a;
  },
  'defaultLoss2D',
  true,
);

/**
 * Samples the domain uniformly (python-adaptive's `uniform_loss`): `√area`.
 *
 * @example uniformLoss2D(t) // 0.5 for a triangle of area 0.25
 */
export const uniformLoss2D: TriangleLoss = tag((t) => Math.sqrt(t.area), 'uniformLoss2D', false);

/**
 * The default loss with a smallest and a largest triangle (python-adaptive's
 * `resolution_loss_function`): triangles with area below `minDistance²` get loss 0, those
 * above `maxDistance²` get +Infinity (so they are split first). Distances are in scaled
 * units: the domain is the unit square.
 *
 * @example
 * const loss = resolutionLoss2D({ minDistance: 0.01, maxDistance: 0.2 });
 * new Learner2D({ bounds: [[-1, 1], [-1, 1]], loss });
 */
export function resolutionLoss2D(
  options: { minDistance?: number; maxDistance?: number } = {},
): TriangleLoss {
  checkOptionKeys('resolutionLoss2D', options, ['minDistance', 'maxDistance']);
  const min = options.minDistance ?? 0;
  const max = options.maxDistance ?? 1;
  if (typeof min !== 'number' || !(min >= 0) || !Number.isFinite(min)) {
    throw new RangeError(`resolutionLoss2D: minDistance must be a finite number >= 0, got ${min}`);
  }
  if (typeof max !== 'number' || !(max >= min)) {
    throw new RangeError(
      `resolutionLoss2D: maxDistance must be a number >= minDistance (${min}), got ${max}`,
    );
  }
  const min2 = min * min;
  const max2 = max * max;
  return tag(
    (t) => {
      const a = t.area;
      if (a < min2) return 0;
      if (a > max2) return Number.POSITIVE_INFINITY;
      return deviation2D(t) * Math.sqrt(a) + AREA_WEIGHT * a;
    },
    `resolutionLoss2D(${min},${max})`,
    true,
  );
}

/**
 * The area of the triangle lifted to (x, y, f/valueScale) (python-adaptive's
 * `minimize_triangle_surface_loss`), like Learner1D's default distance loss. For vector output
 * the lift is to (x, y, f₁, …, f_k) and the area is the Gram-determinant one (python-adaptive
 * accepts scalar output only here).
 *
 * @example minimizeTriangleSurfaceLoss2D(t) // t.area for a flat triangle
 */
export const minimizeTriangleSurfaceLoss2D: TriangleLoss = tag(
  (t) => {
    const p = t.points;
    const v = t.values;
    const d = t.vdim;
    const inv = 1 / t.valueScale;
    // Edge vectors from vertex 2 (python's `points - points[:, -1]`).
    const ax = (p[0] as number) - (p[4] as number);
    const ay = (p[1] as number) - (p[5] as number);
    const bx = (p[2] as number) - (p[4] as number);
    const by = (p[3] as number) - (p[5] as number);
    let aa = ax * ax + ay * ay;
    let bb = bx * bx + by * by;
    let ab = ax * bx + ay * by;
    if (d === 1) {
      const az = ((v[0] as number) - (v[2] as number)) * inv;
      const bz = ((v[1] as number) - (v[2] as number)) * inv;
      // |a × b| / 2, as python's np.cross.
      const cx = ay * bz - az * by;
      const cy = az * bx - ax * bz;
      const cz = ax * by - ay * bx;
      return Math.sqrt(cx * cx + cy * cy + cz * cz) / 2;
    }
    for (let k = 0; k < d; k++) {
      const az = ((v[k] as number) - (v[2 * d + k] as number)) * inv;
      const bz = ((v[d + k] as number) - (v[2 * d + k] as number)) * inv;
      aa += az * az;
      bb += bz * bz;
      ab += az * bz;
    }
    return Math.sqrt(Math.max(0, aa * bb - ab * ab)) / 2;
  },
  'minimizeTriangleSurfaceLoss2D',
  false,
);

/**
 * The default loss, damped by `priorityFactor` where every value of the triangle (all
 * components of all three vertices, as told) lies below `lowerThreshold` or above
 * `upperThreshold` (python-adaptive's `thresholded_loss_function`): sample less where the
 * function is out of the range of interest.
 *
 * @example
 * const loss = thresholdedLoss2D({ upperThreshold: 0.5 });
 * new Learner2D({ bounds: [[-1, 1], [-1, 1]], loss });
 */
export function thresholdedLoss2D(
  options: { lowerThreshold?: number; upperThreshold?: number; priorityFactor?: number } = {},
): TriangleLoss {
  checkOptionKeys('thresholdedLoss2D', options, [
    'lowerThreshold',
    'upperThreshold',
    'priorityFactor',
  ]);
  const lower = options.lowerThreshold;
  const upper = options.upperThreshold;
  const factor = options.priorityFactor ?? 0.1;
  for (const [name, x] of [
    ['lowerThreshold', lower],
    ['upperThreshold', upper],
  ] as const) {
    if (x !== undefined && (typeof x !== 'number' || Number.isNaN(x))) {
      throw new TypeError(`thresholdedLoss2D: ${name} must be a number, got ${String(x)}`);
    }
  }
  if (typeof factor !== 'number' || !(factor >= 0) || !Number.isFinite(factor)) {
    throw new RangeError(
      `thresholdedLoss2D: priorityFactor must be a finite number >= 0, got ${String(factor)}`,
    );
  }
  return tag(
    (t) => {
      const a = t.area;
      let loss = deviation2D(t) * Math.sqrt(a) + AREA_WEIGHT * a;
      const v = t.values;
      const n = 3 * t.vdim;
      // The thresholds in the values' unit (a power of two: exact).
      const unit = t.valueUnit ?? 1;
      if (lower !== undefined) {
        const lo = lower * unit;
        let all = true;
        for (let i = 0; i < n && all; i++) all = (v[i] as number) < lo;
        if (all) loss *= factor;
      }
      if (upper !== undefined) {
        const hi = upper * unit;
        let all = true;
        for (let i = 0; i < n && all; i++) all = (v[i] as number) > hi;
        if (all) loss *= factor;
      }
      return loss;
    },
    `thresholdedLoss2D(${lower ?? 'none'},${upper ?? 'none'},${factor})`,
    true,
  );
}
