/**
 * Loss functions for {@link LearnerND}: ports of python-adaptive's `learnerND.py` losses
 * with the same formulas.
 *
 * A loss sees one simplex: its d + 1 vertices already scaled to the unit cube (each
 * coordinate divided by the domain's width along it), their values multiplied by the output
 * scale `valueScale` (1 / the observed value range), and, for losses that declare
 * `nthNeighbors: 1`, the vertex across each face (`neighbors[i]` opposes `simplex[i]`,
 * `null` on the hull) with its value. A value is a number for scalar output and a
 * `Float64Array` for vector output. The arrays are scratch buffers reused between calls:
 * read them, do not keep them. A loss that returns NaN or ±Infinity is replaced by the
 * simplex's volume.
 */

import { embeddedVolumeFlat, volumeFlat } from '../geometry/simplex-nd.js';
import { checkOptionKeys } from './validate.js';

/**
 * A value as seen by a loss: a number, or a vector for vector output.
 * @example const y: LossValueND = new Float64Array([0.1, 0.7]);
 */
export type LossValueND = number | Float64Array;

/**
 * The loss of one simplex: larger means "sample here sooner".
 * @example
 * const spread: SimplexLoss = (simplex, values) =>
 *   Math.max(...values.map(Number)) - Math.min(...values.map(Number));
 */
export interface SimplexLoss {
  (
    simplex: readonly Float64Array[],
    values: readonly LossValueND[],
    valueScale: number,
    neighbors?: readonly (Float64Array | null)[],
    neighborValues?: readonly (LossValueND | null)[],
  ): number;
  /** 0 (default): the simplex only; 1: also the vertices across its faces. */
  readonly nthNeighbors?: number;
  /** Name used in snapshots and messages. */
  readonly lossName?: string;
}

type LossBody = (
  simplex: readonly Float64Array[],
  values: readonly LossValueND[],
  valueScale: number,
  neighbors?: readonly (Float64Array | null)[],
  neighborValues?: readonly (LossValueND | null)[],
) => number;

function tag(fn: LossBody, nthNeighbors: number, lossName: string): SimplexLoss {
  Object.defineProperty(fn, 'nthNeighbors', { value: nthNeighbors, enumerable: true });
  Object.defineProperty(fn, 'lossName', { value: lossName, enumerable: true });
  return fn as SimplexLoss;
}

let buf = new Float64Array(256);

function scratch(n: number): Float64Array {
  if (buf.length < n) buf = new Float64Array(n * 2);
  return buf;
}

function vdimOf(v: LossValueND): number {
  return typeof v === 'number' ? 1 : v.length;
}

/** Writes point (x, y) to `P` at row `row` (stride d + vdim). */
function putPoint(
  P: Float64Array,
  row: number,
  x: Float64Array,
  y: LossValueND,
  vdim: number,
): void {
  const d = x.length;
  const o = row * (d + vdim);
  for (let j = 0; j < d; j++) P[o + j] = x[j] as number;
  if (typeof y === 'number') P[o + d] = y;
  else for (let j = 0; j < vdim; j++) P[o + d + j] = y[j] as number;
}

/** The scaled volume of the simplex (python-adaptive `volume`). O(d³). */
function volumeOf(simplex: readonly Float64Array[]): number {
  const d = (simplex[0] as Float64Array).length;
  const P = scratch((d + 1) * d);
  for (let i = 0; i <= d; i++) P.set(simplex[i] as Float64Array, i * d);
  return volumeFlat(P, d);
}

/**
 * Samples the domain uniformly: the loss is the simplex's (scaled) volume
 * (python-adaptive `uniform_loss`).
 * @example uniformLossND([new Float64Array([0, 0]), new Float64Array([1, 0]), new Float64Array([0, 1])], [0, 0, 0], 1) // 0.5
 */
export const uniformLossND: SimplexLoss = tag((simplex) => volumeOf(simplex), 0, 'uniformLossND');

/**
 * The default: the volume of the simplex's graph, the simplex of points (x, y) in the
 * (d + vdim)-dimensional embedding, e.g. the area of a triangle of a surface z = f(x, y)
 * (python-adaptive `default_loss`). O((d + vdim)·d²).
 * @example defaultLossND([new Float64Array([0, 0]), new Float64Array([1, 0]), new Float64Array([0, 1])], [0, 0, 0], 1) // 0.5
 */
export const defaultLossND: SimplexLoss = tag(
  (simplex, values) => {
    const d = (simplex[0] as Float64Array).length;
    const vdim = vdimOf(values[0] as LossValueND);
    const n = d + vdim;
    const P = scratch((d + 1) * n);
    for (let i = 0; i <= d; i++)
      putPoint(P, i, simplex[i] as Float64Array, values[i] as LossValueND, vdim);
    return embeddedVolumeFlat(P, d, n);
  },
  0,
  'defaultLossND',
);

/**
 * ‖std(values)‖ · vol^(1/d) + vol: the values' spread over the simplex (population
 * standard deviation per output component, then the Euclidean norm over components)
 * weighted by its size (python-adaptive `std_loss`). O(d³ + d·vdim).
 * @example stdLossND([new Float64Array([0]), new Float64Array([1])], [0, 2], 1) // 2
 */
export const stdLossND: SimplexLoss = tag(
  (simplex, values) => {
    const k = simplex.length;
    const d = k - 1;
    const vdim = vdimOf(values[0] as LossValueND);
    let r2 = 0;
    for (let c = 0; c < vdim; c++) {
      let mean = 0;
      for (let i = 0; i < k; i++) {
        const v = values[i] as LossValueND;
        mean += typeof v === 'number' ? v : (v[c] as number);
      }
      mean /= k;
      let s = 0;
      for (let i = 0; i < k; i++) {
        const v = values[i] as LossValueND;
        const e = (typeof v === 'number' ? v : (v[c] as number)) - mean;
        s += e * e;
      }
      r2 += s / k;
    }
    const vol = volumeOf(simplex);
    return Math.sqrt(r2) * vol ** (1 / d) + vol;
  },
  0,
  'stdLossND',
);

/**
 * The mean, over the vertices across the simplex's faces, of the volume of the (d + 1)-
 * simplex they form with the simplex in the (x, y) embedding; 0 with no neighbour
 * (python-adaptive `triangle_loss`, nthNeighbors 1). O(d · (d + vdim)·d²).
 * @example triangleLossND(simplex, values, 1, neighbors, neighborValues) // ≥ 0
 */
export const triangleLossND: SimplexLoss = tag(
  (simplex, values, _scale, neighbors, neighborValues) => {
    if (neighbors === undefined || neighborValues === undefined) return 0;
    const d = (simplex[0] as Float64Array).length;
    const vdim = vdimOf(values[0] as LossValueND);
    const n = d + vdim;
    const P = scratch((d + 2) * n);
    let sum = 0;
    let count = 0;
    for (let q = 0; q < neighbors.length; q++) {
      const nb = neighbors[q];
      const nv = neighborValues[q];
      if (nb === null || nb === undefined || nv === null || nv === undefined) continue;
      for (let i = 0; i <= d; i++)
        putPoint(P, i, simplex[i] as Float64Array, values[i] as LossValueND, vdim);
      putPoint(P, d + 1, nb, nv, vdim);
      sum += embeddedVolumeFlat(P, d + 1, n);
      count++;
    }
    return count === 0 ? 0 : sum / count;
  },
  1,
  'triangleLossND',
);

/**
 * Options of {@link curvatureLossND}.
 * @example curvatureLossND({ exploration: 0.1 })
 */
export interface CurvatureLossNDOptions {
  /** Weight of the plain volume term that keeps flat regions sampled (default 0.05). */
  exploration?: number;
}

/**
 * (triangleLoss + exploration · vol^((2 + d)/d))^(1/(2 + d)): refines where the graph bends,
 * with an exploration term on the volume (python-adaptive `curvature_loss_function`,
 * nthNeighbors 1).
 * @example new LearnerND({ bounds: [[-1, 1], [-1, 1]], loss: curvatureLossND({ exploration: 0.05 }) })
 */
export function curvatureLossND(options: CurvatureLossNDOptions = {}): SimplexLoss {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('curvatureLossND: options must be an object, e.g. { exploration: 0.05 }');
  }
  checkOptionKeys('curvatureLossND', options, ['exploration']);
  const exploration = options.exploration ?? 0.05;
  if (typeof exploration !== 'number' || !Number.isFinite(exploration) || exploration < 0) {
    throw new RangeError(
      `curvatureLossND: exploration must be a finite number >= 0, got ${String(exploration)}`,
    );
  }
  return tag(
    (simplex, values, scale, neighbors, neighborValues) => {
      const d = (simplex[0] as Float64Array).length;
      const vol = volumeOf(simplex);
      const curv = triangleLossND(simplex, values, scale, neighbors, neighborValues);
      return (curv + exploration * vol ** ((2 + d) / d)) ** (1 / (2 + d));
    },
    1,
    `curvatureLossND(${exploration})`,
  );
}

/**
 * Declares that `lossFn` needs the vertex across each face of the simplex (n = 1), as
 * python-adaptive's `uses_nth_neighbors`; LearnerND supports n = 0 and 1.
 * @example
 * const loss = usesNthNeighborsND(1, (simplex, values, scale, neighbors) => ...);
 */
export function usesNthNeighborsND(n: number, lossFn: LossBody): SimplexLoss {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`usesNthNeighborsND: n must be a non-negative integer, got ${String(n)}`);
  }
  if (typeof lossFn !== 'function')
    throw new TypeError('usesNthNeighborsND: lossFn must be a function');
  const name = (lossFn as { lossName?: string }).lossName ?? (lossFn.name || 'custom');
  return tag((s, v, sc, nb, nv) => lossFn(s, v, sc, nb, nv), n, name);
}
