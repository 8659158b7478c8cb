/**
 * LearnerND's public types: its options, and the shapes of its data out. The value and
 * record types it shares with the sparse-grid learner live in `../types.ts`.
 */

import type { SimplexLoss } from '../losses-nd.js';

export type { ArraysND, RecordND, ValueND } from '../types.js';

/**
 * Options of {@link LearnerND}: exactly one of `bounds` and `hull`.
 * @example
 * const box: LearnerNDOptions = { bounds: [[0, 1], [-2, 2]], loss: uniformLossND };
 * const triangle: LearnerNDOptions = { hull: [[0, 0], [1, 0], [0, 1]] };
 */
export interface LearnerNDOptions {
  /** A box: one `[a, b]` pair per dimension, finite with a < b. */
  bounds?: readonly (readonly number[])[];
  /** A convex polytope: points whose convex hull is the domain (full-dimensional). */
  hull?: readonly (readonly number[])[];
  /** The loss of one simplex (default {@link defaultLossND}). */
  loss?: SimplexLoss;
  /**
   * All losses are recomputed when the value range grows by more than this factor since
   * the last recomputation (default 1.1, as python-adaptive). With 1 every loss always
   * reflects the current range, so the loss no longer depends on the order of the tells.
   */
  recomputeLossesFactor?: number;
  /**
   * The mesh: `'delaunay'` re-triangulates the Delaunay cavity of each new point,
   * python-adaptive's way (the default on hulls and below 5 dimensions); `'bisection'`
   * (boxes only; the default on a box from 5 dimensions) refines the box's Kuhn
   * triangulation by newest-vertex bisection, whose cost a point stays flat as points are
   * added (see bench/learnernd-mesh.ts). Both sample where the loss is largest; their points
   * differ.
   */
  mesh?: 'delaunay' | 'bisection';
  /**
   * Which dimensions are integer (python-adaptive #72), one flag per dimension (a box only):
   * every asked point has integers there (the continuum's choice moved to the nearest free
   * lattice point of its simplex). The bounds of an integer dimension must be integers. A
   * simplex with no free lattice point has loss 0. With every dimension integer, `ask` hands
   * out at most the free lattice points, and `done()` is true once all are evaluated; with
   * continuous ones too (any mix, e.g. `[true, false, true]`) they are refined as in the
   * continuum, and there is no `done()`.
   */
  integer?: readonly boolean[];
}

/**
 * The triangulation of the evaluated points, for plots.
 * @example
 * const { points, simplices } = learner.triangulation();
 * const firstTriangle = Array.from(simplices.subarray(0, 3)); // indices into points
 */
export interface TriangulationDataND {
  /** The dimension d. */
  dim: number;
  /** The evaluated points in the order they were told, d coordinates each. */
  points: Float64Array;
  /** Their values, `vdim` per point. */
  values: Float64Array;
  /** Values per point (1 for scalar output). */
  vdim: number;
  /** The simplices: d + 1 indices into `points` each. */
  simplices: Int32Array;
}

/**
 * Values on a grid, as returned by {@link LearnerND.interpolateGrid}.
 * @example const { shape, values } = learner.interpolateGrid(50); // shape [50, 50] in 2-D
 */
export interface GridND {
  /** The grid coordinates along each axis. */
  axes: number[][];
  /** Points along each axis. */
  shape: number[];
  /** Row-major values (the last axis fastest), `vdim` per grid point; NaN outside the hull. */
  values: Float64Array;
  /** Values per grid point. */
  vdim: number;
}
