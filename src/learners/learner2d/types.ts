/**
 * Learner2D's public types: points, values, options and the shapes of its data out.
 */
import type { TriangleLoss } from '../losses2d.js';

/**
 * A point of the plane, `[x, y]`.
 * @example const p: Point2D = [0.5, -0.25];
 */
export type Point2D = [number, number];

/**
 * A Learner2D value: a number, or a vector of fixed length.
 * @example const v: Value2D = [1, 2, 3];
 */
export type Value2D = number | readonly number[];

/**
 * Options of {@link Learner2D}.
 * @example const options: Learner2DOptions = { bounds: [[0, 1], [0, 2]], loss: uniformLoss2D };
 */
export interface Learner2DOptions {
  /**
   * The domain `[[x0, x1], [y0, y1]]`, finite with `x0 < x1` and `y0 < y1`. Give this or
   * `hull`.
   */
  bounds?: readonly [readonly [number, number], readonly [number, number]];
  /**
   * The domain as a convex polygon, instead of `bounds`: its vertices `[[x, y], ...]` in order
   * around it (either way round), at least 3, no point twice, no three consecutive ones on a
   * line. The vertices are the first points asked (as a box's corners are); every asked point
   * lies in the polygon or on its boundary, exactly. Unlike LearnerND's `hull` (the convex hull
   * of any points), a polygon that is not convex is refused, naming the vertex.
   */
  hull?: readonly (readonly [number, number])[];
  /** The loss of one triangle (default {@link defaultLoss2D}). */
  loss?: TriangleLoss;
  /**
   * All losses are recomputed when the value scale grows by more than this factor since the
   * last recomputation (default 1.1, as python-adaptive's LearnerND). With 1 every loss always
   * reflects the current scale, so the losses do not depend on the order of the tells.
   */
  recomputeLossesFactor?: number;
  /**
   * Sweeps of the curvature-minimising update (with its curvature correction) that refine the
   * quadratic least-squares gradient estimate (see `losses2d.ts`): 0, 1 (default) or 2. Each
   * widens a gradient's stencil by one ring, so a tell recomputes more losses: 0 is about twice
   * as fast as 1 and samples worse (on python-adaptive's ring over five radii, its errors are
   * 0.98× and 1.00× python-adaptive's, against 0.92× and 0.90× with 1); 2 is slower again and
   * no better.
   */
  gradientSweeps?: number;
  /**
   * Which dimensions are integer (python-adaptive #72), e.g. `[true, false]` for a system size
   * x and a continuous y: every asked point has integers there (the continuum's choice moved
   * to the nearest free lattice point of its triangle). The bounds of an integer dimension
   * must be integers. With both integer, a triangle with no free lattice point has loss 0,
   * `ask` hands out at most the free lattice points, and `done()` is true once every lattice
   * point is evaluated. Default: no integer dimension.
   */
  integer?: readonly [boolean, boolean];
}

/**
 * One evaluated point, as returned by {@link Learner2D.toRecords}.
 * @example const r: Record2D = { x: [0, 1], y: 0.5 };
 */
export interface Record2D {
  x: Point2D;
  y: number | number[];
}

/**
 * The evaluated data as typed arrays (see {@link Learner2D.toArrays}).
 * @example const { x, y, values } = learner.toArrays();
 */
export interface Arrays2D {
  /** x of point i. */
  x: Float64Array;
  /** y of point i. */
  y: Float64Array;
  /** Component k of the value at point i: `values[i * vdim + k]`. */
  values: Float64Array;
  /** Number of output components (1 for scalar output). */
  vdim: number;
}

/**
 * The triangulation of the evaluated points (see {@link Learner2D.triangulation}).
 * @example const { triangles } = learner.triangulation(); // Uint32Array of vertex indices
 */
export interface Triangulation2D extends Arrays2D {
  /** Vertex indices (into `x`, `y`, `values`), three per triangle, counterclockwise. */
  triangles: Uint32Array;
}

/**
 * Values on a regular grid (see {@link Learner2D.interpolateGrid}).
 * @example const { x, y, values } = learner.interpolateGrid({ nx: 100, ny: 100 });
 */
export interface Grid2D {
  /** The grid's x coordinates (`nx` of them, from x0 to x1). */
  x: Float64Array;
  /** The grid's y coordinates (`ny`, from y0 to y1). */
  y: Float64Array;
  /** Component k at (x[i], y[j]): `values[(i * ny + j) * vdim + k]`; NaN outside the data. */
  values: Float64Array;
  /** Number of output components (1 for scalar output). */
  vdim: number;
}
