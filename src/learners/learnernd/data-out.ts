/**
 * LearnerND's data out: records and typed arrays in lexicographic order, the
 * triangulation for plots, the piecewise-linear interpolant at points and on grids.
 */

import { describe } from '../validate.js';
import { type NDState, outputDimensionOf } from './state.js';
import type { ArraysND, GridND, RecordND, TriangulationDataND } from './types.js';

/** The body of LearnerND.pendingPoints. */
export function pendingPointsOf(st: NDState): number[][] {
  const out: number[][] = [];
  const d = st.dim;
  for (let j = st.pHead; j >= 0; j = st.pNext[j] as number) {
    out.push(Array.from(st.pX.subarray(j * d, j * d + d)));
  }
  return out;
}

/** The body of LearnerND.boundPoints. */
export function boundPointsOf(st: NDState): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < st.nBound; i++)
    out.push(Array.from(st.boundPts.subarray(i * st.dim, (i + 1) * st.dim)));
  return out;
}

/** The evaluated points' indices in lexicographic order of their coordinates. O(n log n). */
function sortedOrder(st: NDState): Int32Array {
  const d = st.dim;
  const X = st.dataX;
  const idx = Int32Array.from({ length: st.nData }, (_, i) => i);
  idx.sort((a, b) => {
    for (let j = 0; j < d; j++) {
      const u = X[a * d + j] as number;
      const v = X[b * d + j] as number;
      if (u !== v) return u - v;
    }
    return 0;
  });
  return idx;
}

/** The body of LearnerND.toRecords. */
export function recordsOf(st: NDState): RecordND[] {
  const d = st.dim;
  const w = outputDimensionOf(st);
  return Array.from(sortedOrder(st), (i) => ({
    x: Array.from(st.dataX.subarray(i * d, (i + 1) * d)),
    y: st.vector ? Array.from(st.dataY.subarray(i * w, (i + 1) * w)) : (st.dataY[i] as number),
  }));
}

/** The body of LearnerND.toArrays. */
export function arraysOf(st: NDState): ArraysND {
  const d = st.dim;
  const w = outputDimensionOf(st);
  const order = sortedOrder(st);
  const x = new Float64Array(order.length * d);
  const y = new Float64Array(order.length * w);
  order.forEach((i, r) => {
    x.set(st.dataX.subarray(i * d, (i + 1) * d), r * d);
    if (st.vdim > 0) y.set(st.dataY.subarray(i * w, (i + 1) * w), r * w);
  });
  return { x, y, dim: d, vdim: w };
}

/** The body of LearnerND.triangulation. */
export function triangulationOf(st: NDState): TriangulationDataND {
  const d = st.dim;
  const w = outputDimensionOf(st);
  const raw = st.tri.isReady ? st.tri.simplices() : new Int32Array(0);
  const simplices = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) simplices[i] = st.vertData[raw[i] as number] as number;
  return {
    dim: d,
    points: st.dataX.slice(0, st.nData * d),
    values: st.vdim > 0 ? st.dataY.slice(0, st.nData * w) : new Float64Array(0),
    vdim: w,
    simplices,
  };
}

/**
 * How far a query point outside the triangulation moves towards the domain's centre to find
 * a simplex, as fractions of its distance to the centre. A point on the domain's boundary
 * can land outside by rounding (of its own coordinates, of the scaling, of the boundary's
 * points); python-adaptive's interpolation (scipy's LinearNDInterpolator) accepts such a
 * point within a barycentric tolerance of √(100 ε) ≈ 1.5e-7. Moving the point inside, rather
 * than extrapolating from the nearest simplex, stays right where the hull is lined with
 * slivers (points asked on a slanted edge, rounded to either side of it).
 */
const NEAR_STEPS = [1e-14, 1e-12, 1e-10, Math.sqrt(100 * Number.EPSILON)];
const NEAR_MOST = NEAR_STEPS[NEAR_STEPS.length - 1] as number;

/**
 * The simplex holding `st.qs` moved a little towards the domain's centre (see NEAR_STEPS),
 * left in `st.qs`, its barycentric coordinates in `st.bary`; -1 when the point lies farther
 * out (decided first from the domain's planes or box, without a walk).
 */
function locateNear(st: NDState): number {
  const d = st.dim;
  const near = nearOf(st);
  const c = near.centre;
  const q = st.qs;
  if (!withinReach(st, near)) return -1;
  const x0 = near.x0;
  x0.set(q.subarray(0, d));
  for (const t of NEAR_STEPS) {
    for (let j = 0; j < d; j++)
      q[j] = (x0[j] as number) + t * ((c[j] as number) - (x0[j] as number));
    const s = st.tri.locateSlot(st.tri.stage(q), st.interpHint);
    if (s >= 0 && baryAt(st, s)) return s;
  }
  q.set(x0);
  return -1;
}

/**
 * Whether moving `st.qs` by NEAR_MOST of its distance to the centre can bring it inside the
 * domain: a move of t·|c − q| changes its distance to a plane by at most that much. The
 * domain's tolerances (a hull's per facet) are added, as the triangulation's boundary may lie
 * that far from the planes.
 */
function withinReach(st: NDState, near: Near): boolean {
  const d = st.dim;
  const q = st.qs;
  const c = near.centre;
  let r2 = 0;
  for (let j = 0; j < d; j++) r2 += ((c[j] as number) - (q[j] as number)) ** 2;
  const reach = NEAR_MOST * Math.sqrt(r2);
  const planes = st.planes;
  if (planes === null) {
    const slack = reach + Math.max(st.resolution, 0);
    for (let j = 0; j < d; j++) {
      const x = q[j] as number;
      if (x < (near.lo[j] as number) - slack || x > (near.hi[j] as number) + slack) return false;
    }
    return true;
  }
  const tol = st.planeTol as Float64Array;
  for (let r = 0, f = 0; r < planes.length; r += d + 1, f++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (planes[r + j] as number) * (q[j] as number);
    if (s - (planes[r + d] as number) - (tol[f] as number) > reach) return false;
  }
  return true;
}

/**
 * Writes the barycentric coordinates of `st.qs` in simplex s to `st.bary`; false when they
 * are not finite (a flat simplex: points asked on a hull's edge can be exactly collinear).
 */
function baryAt(st: NDState, s: number): boolean {
  st.tri.barycentric(s, st.qs, st.bary);
  for (let i = 0; i < st.k; i++) if (!Number.isFinite(st.bary[i] as number)) return false;
  return true;
}

/** locateNear's constants of a learner's domain, in scaled coordinates, and its scratch. */
interface Near {
  /** The mean of the hull's points, or the box's middle. */
  centre: Float64Array;
  /** The box's corners (a hull's bounding box). */
  lo: Float64Array;
  hi: Float64Array;
  x0: Float64Array;
}

const nears = new WeakMap<NDState, Near>();

function nearOf(st: NDState): Near {
  let near = nears.get(st);
  if (near !== undefined) return near;
  const d = st.dim;
  const scaled = (x: number, j: number): number =>
    (x - (st.org[j] as number)) * (st.pre[j] as number) * (st.invW[j] as number);
  near = {
    centre: new Float64Array(d),
    lo: new Float64Array(d),
    hi: new Float64Array(d),
    x0: new Float64Array(d),
  };
  for (let j = 0; j < d; j++) {
    let x: number;
    if (st.hull !== null) {
      x = 0;
      for (const p of st.hull) x += p[j] as number;
      x /= st.hull.length;
    } else x = 0.5 * ((st.lo[j] as number) + (st.hi[j] as number));
    near.centre[j] = scaled(x, j);
    near.lo[j] = scaled(st.lo[j] as number, j);
    near.hi[j] = scaled(st.hi[j] as number, j);
  }
  nears.set(st, near);
  return near;
}

/** Writes the interpolant at `qx` (original coordinates) to `out[o…o + vdim)`. */
export function interpolateAt(st: NDState, out: Float64Array, o: number): void {
  const d = st.dim;
  const k = st.k;
  const w = outputDimensionOf(st);
  const tri = st.tri;
  let finite = true;
  for (let j = 0; j < d; j++) if (!Number.isFinite(st.qx[j] as number)) finite = false;
  if (!finite || !tri.isReady || st.vdim === 0) {
    for (let c = 0; c < w; c++) out[o + c] = Number.NaN;
    return;
  }
  for (let j = 0; j < d; j++)
    st.qs[j] =
      ((st.qx[j] as number) - (st.org[j] as number)) *
      (st.pre[j] as number) *
      (st.invW[j] as number);
  const v = tri.stage(st.qs);
  let s = tri.locateSlot(v, st.interpHint);
  if (s < 0 || !baryAt(st, s)) s = locateNear(st);
  if (s < 0) {
    for (let c = 0; c < w; c++) out[o + c] = Number.NaN;
    return;
  }
  st.interpHint = s;
  for (let c = 0; c < w; c++) out[o + c] = 0;
  for (let i = 0; i < k; i++) {
    const l = st.bary[i] as number;
    const di = st.vertData[tri.verts[s * k + i] as number] as number;
    for (let c = 0; c < w; c++)
      out[o + c] = (out[o + c] as number) + l * (st.dataY[di * w + c] as number);
  }
}

/** The body of LearnerND.interpolate. */
export function interpolatePoints(
  st: NDState,
  q: readonly number[] | readonly (readonly number[])[],
  other: InterpolantND | null = null,
): (number | number[]) | (number | number[])[] {
  if (!Array.isArray(q))
    throw new TypeError('LearnerND.interpolate: expected a point or an array of points');
  if (q.length > 0 && typeof q[0] === 'number')
    return interpolateOne(st, q as readonly number[], other);
  return (q as readonly (readonly number[])[]).map((p) => interpolateOne(st, p, other));
}

/** Another mesh's interpolant (the bisection mesh's), read at `st.qx` in place of the triangulation's. */
export interface InterpolantND {
  /** Writes the interpolant at x to `out[o…o + outputDimension)`. */
  at(x: Float64Array, out: Float64Array, o: number): void;
  readonly outputDimension: number;
  readonly vector: boolean;
}

/** The interpolant at one point (a number, or a vector for vector output). */
function interpolateOne(
  st: NDState,
  point: readonly number[],
  other: InterpolantND | null,
): number | number[] {
  const d = st.dim;
  if (!Array.isArray(point) || point.length !== d) {
    throw new TypeError(
      `LearnerND.interpolate: point ${describe(point)} must have ${d} coordinates`,
    );
  }
  for (let j = 0; j < d; j++) {
    const x = point[j];
    if (typeof x !== 'number')
      throw new TypeError(`LearnerND.interpolate: point ${describe(point)} must hold numbers`);
    st.qx[j] = x;
  }
  const w = other === null ? outputDimensionOf(st) : other.outputDimension;
  const out = new Float64Array(w);
  if (other === null) interpolateAt(st, out, 0);
  else other.at(st.qx, out, 0);
  const vector = other === null ? st.vector : other.vector;
  return vector ? Array.from(out) : (out[0] as number);
}

/** The body of LearnerND.interpolateGrid. */
export function interpolateOnGrid(
  st: NDState,
  axesOrN: number | readonly (readonly number[])[],
  other: InterpolantND | null = null,
): GridND {
  const d = st.dim;
  let axes: number[][];
  if (typeof axesOrN === 'number') {
    const n = axesOrN;
    if (!Number.isInteger(n) || n < 2) {
      throw new RangeError(
        `LearnerND.interpolateGrid: n must be an integer >= 2, got ${describe(n)}`,
      );
    }
    axes = Array.from({ length: d }, (_, j) => {
      const a = st.lo[j] as number;
      const b = st.hi[j] as number;
      return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
    });
  } else {
    if (!Array.isArray(axesOrN) || axesOrN.length !== d) {
      throw new TypeError(
        `LearnerND.interpolateGrid: expected ${d} axes (arrays of coordinates) or a number`,
      );
    }
    axes = axesOrN.map((a, j) => {
      if (!Array.isArray(a) || a.some((x) => typeof x !== 'number')) {
        throw new TypeError(`LearnerND.interpolateGrid: axis ${j} must be an array of numbers`);
      }
      return a.slice();
    });
  }
  const shape = axes.map((a) => a.length);
  const total = shape.reduce((p, c) => p * c, 1);
  const w = other === null ? outputDimensionOf(st) : other.outputDimension;
  const values = new Float64Array(total * w);
  const idx = new Array<number>(d).fill(0);
  for (let t = 0; t < total; t++) {
    for (let j = 0; j < d; j++) st.qx[j] = (axes[j] as number[])[idx[j] as number] as number;
    if (other === null) interpolateAt(st, values, t * w);
    else other.at(st.qx, values, t * w);
    for (let j = d - 1; j >= 0; j--) {
      idx[j] = (idx[j] as number) + 1;
      if ((idx[j] as number) < (shape[j] as number)) break;
      idx[j] = 0;
    }
  }
  return { axes, shape, values, vdim: w };
}
