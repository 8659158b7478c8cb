/**
 * Learner2D: adaptive sampling of f: [x0, x1] × [y0, y1] → ℝ or ℝᵏ by triangle refinement.
 *
 * Port of python-adaptive `learner2D.py` (v1.5.2): corners first, then a point in the triangle
 * of largest loss (`choose_point_in_triangle`: the midpoint of the longest edge when the
 * triangle is badly shaped, else its centroid), in coordinates scaled to the unit square; the
 * losses of `losses2d.ts`; pending points joined to a combined triangulation with values
 * interpolated linearly from the data (0 while a corner is pending, as python-adaptive).
 *
 * The data structures are new. python-adaptive rebuilds a scipy Delaunay triangulation and
 * recomputes every loss, with globally estimated gradients, on every ask and every `loss()`.
 * Here an incremental Delaunay triangulation (`delaunay2d.ts`) holds the evaluated and the
 * pending points, and a heap of blocks of triangle ids (`BlockLossHeap`, `src/queue/`) their losses. A `tell` or
 * `tellPending` inserts one vertex, which removes the few triangles whose circumcircle held it.
 * The gradient at a vertex is estimated from the vertices within two rings of it by default
 * (`gradientSweeps`; see the gradients section and `losses2d.ts`), so a change re-estimates
 * the gradients of the vertices within one ring of the change and recomputes the losses of the
 * triangles around those: a few dozen triangles, whatever the number of points. Loss updates wait for the next
 * read, so an `ask` and the `tell` of the same point pay for one update. All losses are
 * recomputed only when the value scale grows by `recomputeLossesFactor` (amortised O(1)), or
 * when so many wait that recomputing all is cheaper.
 *
 * Speed. For scalar output in the combined triangulation (the common case) the gradient fit,
 * the sweep and the default loss have hand-specialised versions (`gradientScalar`,
 * `sweepScalar`, `scalarLosses`): the same arithmetic in the same order as the general code,
 * with the sums in locals instead of scratch arrays and no doubles boxed across calls. At 1e5
 * points the data (about 20 MB) no longer fits in the caches and a tell's neighbourhood is
 * mostly cold: the vertices and triangles are renumbered along a Hilbert curve as the data
 * grows, and the losses sit in blocks of consecutive triangle ids, so the updates around one
 * point touch a few cache lines. Ties never depend on ids, so none of this is observable.
 *
 * With nothing pending the combined triangulation is the triangulation of the evaluated points
 * (ties between cocircular points are broken by the points themselves, so both are the same
 * set of triangles). A separate triangulation of the evaluated points is built only when it is
 * first needed while points are pending (the real loss, interpolation, plots), then kept up to
 * date.
 *
 * Every loss is a function of the current points, values and value scale only: sums run in
 * an order fixed by the geometry, and equal losses are ordered by the triangles' coordinates.
 * So the same data gives the same losses and the same asks whatever the order it came in, and
 * a restored snapshot asks exactly what the original would.
 *
 * Each vertex's numbers live in one record of the point store (scaled x, y, the values, a
 * non-finite marker, the gradient estimates and the sweep's curvature correction), so the
 * neighbourhood walks read one or two cache lines per vertex.
 *
 * Fixes against python-adaptive: `choose_point_in_triangle` uses the absolute area (its signed
 * area made every clockwise triangle take its centroid); a `tell` updates the combined data at
 * once (python-adaptive kept interpolated values for told points until the next
 * `tell_pending`); NaN and ±Infinity never poison the losses (a triangle with a non-finite value
 * gets the loss the loss function gives for flat data, at least √area (uniformLoss2D's) on
 * the edge of a region of non-finite values, and the value scale counts finite values only;
 * python-adaptive refines NaN triangles first, forever, and its loss becomes NaN); out-of-bounds points are rejected instead of stored; snapshots keep pending points.
 *
 * At the edges of the doubles: bounds whose width overflows are refused; centroids and edge
 * interpolants do not overflow near ±MAX_VALUE; the gradients and losses are computed from the
 * values times a power of two (the value unit, 1 for ranges in [2⁻¹⁰⁰, 2¹⁰⁰]), so values near
 * ±MAX_VALUE or subnormal ones sample as values near 1 do (python-adaptive divides the values
 * by their range before estimating gradients, to the same end).
 *
 * The folder, one concept per file: `types.ts` (public types), `state.ts` (the state object,
 * vertex flags, record layout), `order.ts` (Hilbert order, radix sort, tie rule),
 * `pending.ts` (the pending-point table), `bookkeeping.ts` and `flush.ts` (what a change
 * invalidates, and the updates), `gradients.ts`, `losses.ts`, `values.ts` (value range and
 * unit), `choose.ts` (the point in a triangle), `meshes.ts`, `tell.ts`, `ask.ts`,
 * `renumber.ts`, `interpolate.ts` (interpolation and data out), `snapshot.ts`, `check.ts`
 * (`checkValid`), `check-input.ts` (argument checks), `corners.ts` (which corners are known);
 * for a convex polygon (`hull`) `hull.ts` (the polygon, exact inside tests, moving a point
 * inside), `hull-place.ts` (placing a chosen point, flat triangles along slanted edges,
 * interpolation there) and `edge-value.ts`; this file is the facade.
 *
 * On a convex polygon (`hull`, issue 19.3): the scaling, bounds and grids use its bounding
 * box; its vertices are the corners; every asked point lies in it exactly.
 */
import { defaultLoss2D, type TriangleLoss } from '../losses2d.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from '../types.js';
import { checkOptionKeys, describe, doublesBetween, MIN_DOUBLES_PER_AXIS } from '../validate.js';
import { ask, loss } from './ask.js';
import { checkValid } from './check.js';
import { readHull } from './hull.js';
import {
  interpolateGrid,
  interpolateOne,
  pendingPoints,
  realNeighbours,
  toArrays,
  toRecords,
  triangleLosses,
  triangulation,
} from './interpolate.js';
import { copyLattice, latticeDone, latticeSnapshot, pureLattice, setLattice } from './lattice.js';
import { load, pendingValues, snapshot } from './snapshot.js';
import { DEFAULT_RECOMPUTE_FACTOR, Learner2DState, OPTION_KEYS } from './state.js';
import {
  removeUnfinished,
  replaceValue,
  tell,
  tellMany,
  tellPending,
  tellPendingValue,
} from './tell.js';
import type {
  Arrays2D,
  Grid2D,
  Learner2DOptions,
  Point2D,
  Record2D,
  Triangulation2D,
  Value2D,
} from './types.js';

export { choosePointInTriangle } from './choose.js';
export type {
  Arrays2D,
  Grid2D,
  Learner2DOptions,
  Point2D,
  Record2D,
  Triangulation2D,
  Value2D,
} from './types.js';

/**
 * Learns a function of two real variables by splitting the triangles with the largest loss.
 *
 * @example
 * const learner = new Learner2D({ bounds: [[-1, 1], [-1, 1]] });
 * const { points } = learner.ask(4); // the corners: [[-1, -1], [-1, 1], [1, -1], [1, 1]]
 * for (const [x, y] of points) learner.tell([x, y], x * y);
 * learner.npoints; // 4
 * learner.ask(1).points; // [[-0.3333333333333333, 0.3333333333333333]] (a centroid)
 */
export class Learner2D implements Learner<Point2D, Value2D> {
  /** The domain: the box, or the polygon's bounding box. */
  readonly bounds: readonly [readonly [number, number], readonly [number, number]];
  /** The convex polygon the domain is (its vertices as given), or null for a box. */
  readonly hull: readonly (readonly [number, number])[] | null;
  /** The loss of one triangle. */
  readonly lossFunction: TriangleLoss;
  /** Everything else: one object of fixed shape that the module functions take. */
  #st: Learner2DState;
  /**
   * Whether every lattice point is evaluated: with `integer: [true, true]` only (a runner
   * stops a learner with `done()` by itself, and needs a goal for one without: a continuum
   * or a mixed lattice is never done).
   */
  declare readonly done?: () => boolean;

  /**
   * @param options the bounds and the options (see {@link Learner2DOptions}).
   * @throws TypeError/RangeError naming the bad option.
   */
  constructor(options: Learner2DOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'Learner2D: options must be an object with bounds, e.g. { bounds: [[-1, 1], [-1, 1]] }',
      );
    }
    checkOptionKeys('Learner2D', options, OPTION_KEYS);
    if (options.hull !== undefined && options.bounds !== undefined) {
      throw new TypeError(
        "Learner2D: give bounds (a box) or hull (a convex polygon), not both; a hull learner's bounds are its bounding box",
      );
    }
    if (options.hull !== undefined && options.integer !== undefined) {
      throw new TypeError(
        'Learner2D: integer dimensions need a box (bounds with integer ends); a polygon (hull) is sampled in the continuum only',
      );
    }
    const hull = options.hull === undefined ? null : readHull(options.hull);
    const b = (hull === null ? options.bounds : hull.box) as unknown;
    const okPair = (p: unknown): boolean =>
      Array.isArray(p) &&
      p.length === 2 &&
      typeof p[0] === 'number' &&
      typeof p[1] === 'number' &&
      Number.isFinite(p[0]) &&
      Number.isFinite(p[1]) &&
      p[0] < p[1];
    if (!Array.isArray(b) || b.length !== 2 || !okPair(b[0]) || !okPair(b[1])) {
      throw new RangeError(
        `Learner2D: bounds must be [[x0, x1], [y0, y1]] with finite x0 < x1 and y0 < y1, got ${describe(b)}`,
      );
    }
    const [bx, by] = b as [[number, number], [number, number]];
    // The scaled coordinates divide by the width: it must be a finite number.
    for (const [name, [lo, hi]] of [
      ['x', bx],
      ['y', by],
    ] as const) {
      if (!Number.isFinite(hi - lo)) {
        throw new RangeError(
          `Learner2D: the width of the ${name} bounds [${lo}, ${hi}] overflows (${hi} - ${lo} is larger than the largest double, ${Number.MAX_VALUE}); use bounds whose width is finite`,
        );
      }
      const count = doublesBetween(lo, hi);
      if (count < MIN_DOUBLES_PER_AXIS) {
        throw new RangeError(
          `Learner2D: the ${name} bounds [${lo}, ${hi}] hold only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use wider bounds, or bounds nearer 0`,
        );
      }
    }
    const bounds: readonly [readonly [number, number], readonly [number, number]] = [
      [bx[0] + 0, bx[1] + 0],
      [by[0] + 0, by[1] + 0],
    ];
    const loss = options.loss ?? defaultLoss2D;
    if (typeof loss !== 'function') throw new TypeError('Learner2D: loss must be a function');
    const factor = options.recomputeLossesFactor ?? DEFAULT_RECOMPUTE_FACTOR;
    if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) {
      throw new RangeError(
        `Learner2D: recomputeLossesFactor must be a finite number >= 1, got ${describe(factor)}`,
      );
    }
    const sweeps = options.gradientSweeps ?? 1;
    if (sweeps !== 0 && sweeps !== 1 && sweeps !== 2) {
      throw new RangeError(`Learner2D: gradientSweeps must be 0, 1 or 2, got ${describe(sweeps)}`);
    }
    this.#st = new Learner2DState(bounds, loss, factor, sweeps, hull);
    setLattice(this.#st, options.integer);
    if (pureLattice(this.#st)) {
      Object.defineProperty(this, 'done', { value: (): boolean => latticeDone(this.#st) });
    }
    this.bounds = bounds;
    this.hull = hull === null ? null : hull.points;
    this.lossFunction = loss;
  }

  /** An empty state with this learner's options. */
  #fresh(): Learner2DState {
    const st = this.#st;
    const fresh = new Learner2DState(st.bounds, st.lossFunction, st.factor, st.sweeps, st.hull);
    copyLattice(st, fresh);
    return fresh;
  }

  /**
   * Number of evaluated points.
   * @example learner.npoints; // 4 after the corners are told
   */
  get npoints(): number {
    return this.#st.nReal;
  }

  /**
   * Points handed out by `ask` (or told pending) and not yet told, sorted by x, then y. O(n).
   * @example learner.ask(2); learner.pendingPoints; // [[-1, -1], [-1, 1]]
   */
  get pendingPoints(): Point2D[] {
    return pendingPoints(this.#st);
  }

  /**
   * The length of the vector output, 1 for scalar output or before any data.
   * @example learner.tell([0, 0], [1, 2, 3]); learner.outputDimension; // 3
   */
  get outputDimension(): number {
    return this.#st.outputDimension;
  }

  /**
   * Tells the value at `point`. A point told before is ignored (its first value stays).
   * Expected O(1) for a point handed out by `ask` (the loss updates wait for the next read),
   * an O(√n) walk for a point it did not hand out; plus an amortised O(1) share of the full
   * recomputation when the value scale grows.
   * @throws TypeError/RangeError naming the point when it is outside the bounds or the value
   *   has the wrong shape; the learner is then unchanged.
   * @example learner.tell([0.5, -0.25], 1.2);
   */
  tell(point: Point2D | readonly [number, number], value: Value2D): void {
    tell(this.#st, point, value);
  }

  /**
   * Replaces the value at an evaluated point, as if it had been told in the first place (bit
   * for bit with `recomputeLossesFactor` 1; pending points keep their interpolated values).
   * O(1) plus a walk, O(n) when a former extreme of the values is replaced. Not public: for
   * AverageLearner2D's surface of means.
   * @throws RangeError when the point was not told; TypeError for a value of the wrong shape.
   * @internal
   */
  replaceValue(point: Point2D | readonly [number, number], value: Value2D): void {
    replaceValue(this.#st, point, value);
  }

  /**
   * Marks `point` pending with a given value instead of the interpolant there: a pending
   * value as it was before the values around it were replaced. Not public: for
   * AverageLearner2D's snapshots, whose surface keeps pending values across changed means.
   * @throws as {@link tellPending}, and TypeError for a value of the wrong shape.
   * @internal
   */
  tellPendingValue(point: Point2D | readonly [number, number], value: Value2D): void {
    tellPendingValue(this.#st, point, value);
  }

  /**
   * The pending points with their values (the first component), as {@link snapshot} lists
   * them. O(n). Not public: for AverageLearner2D's snapshots (with {@link tellPendingValue}).
   * @internal
   */
  pendingValues(): [x: number, y: number, value: number][] {
    return pendingValues(this.#st);
  }

  /**
   * The evaluated points joined to the evaluated point `point` (told at exactly these
   * coordinates) by an edge of {@link triangulation}, as coordinates x₀, y₀, x₁, y₁, … into
   * `out` (emptied first); false when `point` is not a triangulated evaluated point. O(its
   * degree). Not public: for AverageLearner2D's pooled errors, which would otherwise read the
   * whole triangulation at every new point.
   * @internal
   */
  neighboursOf(point: readonly [number, number], out: number[]): boolean {
    return realNeighbours(this.#st, point[0], point[1], out);
  }

  /**
   * Tells many points at once: the same as telling them one by one. All points and values are
   * validated first, so a bad one leaves the learner unchanged.
   * @example learner.tellMany([[0, 0], [0.5, 0.5]], [1, 2]);
   */
  tellMany(
    points: readonly (Point2D | readonly [number, number])[],
    values: readonly Value2D[],
  ): void {
    tellMany(this.#st, points, values);
  }

  /**
   * Marks `point` as being evaluated, so `ask` does not hand it out again. A point known
   * already (evaluated or pending, or at their scaled coordinates) is left alone. Expected
   * O(1) plus a walk.
   * @example learner.tellPending([0.1, 0.2]);
   */
  tellPending(point: Point2D | readonly [number, number]): void {
    tellPending(this.#st, point);
  }

  /**
   * Forgets every pending point: the combined triangulation becomes the real one again (a
   * copy when that exists, else rebuilt from the evaluated points). O(n log n).
   * @example learner.removeUnfinished(); learner.pendingPoints; // []
   */
  removeUnfinished(): void {
    removeUnfinished(this.#st);
  }

  /**
   * The largest triangle loss: of the evaluated data (`real`, default), or including pending
   * points. +Infinity until all corners (a polygon's vertices) are evaluated (for `real: false`: evaluated or
   * pending), and with no triangle. O(1) plus the deferred loss updates; the first real loss
   * read while points are pending builds the real triangulation (O(n log n), once).
   * @example learner.loss(); // 0.0086
   */
  loss(options?: LossOptions): number {
    return loss(this.#st, options);
  }

  /**
   * Returns `n` points expected to reduce the loss most, and the loss improvement of each (the
   * loss of the triangle it splits; +Infinity for a corner). Missing corners come first, then a
   * point in each of the triangles of largest loss (python-adaptive's
   * `choose_point_in_triangle`); when there are fewer triangles than points, the points so far
   * are made pending and the choice repeats. With `tellPending: false` the learner is left as
   * it was, and the points are those `ask(n)` would return. O(n log n) plus the insertions.
   * @throws RangeError when n is not a non-negative integer.
   * @example
   * learner.ask(2); // { points: [[-1, -1], [-1, 1]], lossImprovements: [Infinity, Infinity] }
   * learner.ask(3, { tellPending: false }); // what ask(3) would return, nothing changed
   */
  ask(n: number, options?: AskOptions): AskResult<Point2D> {
    return ask(this.#st, n, options);
  }

  /**
   * The evaluated points sorted by x, then y, as `{ x: [x, y], y }` records. O(n log n).
   * @example learner.toRecords()[0]; // { x: [-1, -1], y: -1 }
   */
  toRecords(): Record2D[] {
    return toRecords(this.#st);
  }

  /**
   * The evaluated points sorted by x, then y, as typed arrays (see {@link Arrays2D}).
   * O(n log n).
   * @example learner.toArrays() // { x: Float64Array [...], y: ..., values: ..., vdim: 1 }
   */
  toArrays(): Arrays2D {
    return toArrays(this.#st);
  }

  /**
   * The triangulation of the evaluated points, for plots: the points as {@link toArrays}
   * gives them (coordinates as told) and the triangles as indices into them, counterclockwise.
   * It is the Delaunay triangulation of the scaled coordinates (the bounds mapped to the unit
   * square), as the learner sees them. A point closer to another than floating point resolves
   * after scaling is listed but in no triangle. O(n log n).
   * @example
   * const { x, y, values, triangles } = learner.triangulation();
   * // triangle i joins points triangles[3i], triangles[3i + 1], triangles[3i + 2]
   */
  triangulation(): Triangulation2D {
    return triangulation(this.#st);
  }

  /**
   * The piecewise-linear interpolant of the evaluated data (linear in each triangle) at the
   * given points: one number (or one vector for vector output) per point; NaN outside the
   * triangulated hull. Consecutive queries walk from the previous hit, so nearby queries are
   * O(1) each.
   * @example
   * learner.interpolate([[0, 0], [0.5, 0.25]]); // [0.02, 0.31]
   * learner.interpolate([0, 0]); // 0.02 (a single point)
   */
  interpolate(point: readonly [number, number]): number | number[];
  interpolate(points: readonly (readonly [number, number])[]): (number | number[])[];
  interpolate(
    q: readonly [number, number] | readonly (readonly [number, number])[],
  ): number | number[] | (number | number[])[] {
    if (!Array.isArray(q)) {
      throw new TypeError(
        'Learner2D.interpolate: expected a point [x, y] or an array of points [[x, y], ...]',
      );
    }
    if (q.length === 2 && typeof q[0] === 'number') {
      return interpolateOne(this.#st, q as unknown as readonly [number, number]);
    }
    return (q as readonly (readonly [number, number])[]).map((p) => interpolateOne(this.#st, p));
  }

  /**
   * The interpolant on a regular grid of `nx × ny` points spanning the bounds (endpoints
   * included, like numpy's `linspace`), for heat maps. Without sizes, python-adaptive's rule:
   * `n = max(10, ⌊0.658 / √(smallest triangle area)⌋)` in both directions. O(nx·ny) with
   * coherent walks, plus O(n) for the default size.
   * @example
   * const { x, y, values } = learner.interpolateGrid({ nx: 200, ny: 200 });
   * values[i * 200 + j]; // the interpolant at (x[i], y[j])
   */
  interpolateGrid(options: { nx?: number; ny?: number } = {}): Grid2D {
    return interpolateGrid(this.#st, options, 'interpolateGrid');
  }

  /**
   * The old name of {@link interpolateGrid}, kept for existing callers.
   * @deprecated Use {@link interpolateGrid} (the name LearnerND uses).
   * @example const { values } = learner.interpolateOnGrid({ nx: 100, ny: 100 });
   */
  interpolateOnGrid(options: { nx?: number; ny?: number } = {}): Grid2D {
    return interpolateGrid(this.#st, options, 'interpolateOnGrid');
  }

  /**
   * Every triangle of the evaluated data (`real`, default) or of evaluated plus pending points
   * with its loss, in the learner's scaled coordinates. O(n).
   * @example learner.triangleLosses()[0] // { points: [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5]], loss: 0.15 }
   */
  triangleLosses(options?: LossOptions): { points: Point2D[]; loss: number }[] {
    return triangleLosses(this.#st, options);
  }

  /**
   * A versioned, JSON-safe snapshot: bounds, the evaluated points and values, the pending
   * points with their interpolated values, the value range and the scale the losses use. Data
   * only: restore it into a learner built with the same options. O(n log n).
   * @example const text = JSON.stringify(learner.snapshot()); // save it anywhere
   */
  snapshot(): LearnerSnapshot {
    return snapshot(this.#st);
  }

  /**
   * Replaces this learner's state by a snapshot's. A malformed or foreign snapshot throws a
   * TypeError naming the problem and leaves the learner as it was. The restored learner asks
   * exactly what the original would have. O(n log n).
   * @example
   * const copy = new Learner2D({ bounds: [[-1, 1], [-1, 1]] });
   * copy.restore(JSON.parse(text));
   */
  restore(snapshot: LearnerSnapshot): void {
    const st = this.#fresh();
    load(st, snapshot);
    this.#st = st;
  }

  /**
   * Throws if an internal invariant does not hold (for tests): the triangulations are valid
   * Delaunay triangulations of the right points, every cached gradient and every loss in the
   * heaps equals a fresh computation, and the counters and indexes agree. O(n).
   * @example learner.checkValid(); // throws if anything is wrong
   */
  checkValid(): void {
    checkValid(this.#st);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, loss,
   * recomputeLossesFactor and gradientSweeps, no data.
   * @example
   * new Learner2D({ bounds: [[0, 1], [0, 1]] }).new().npoints; // 0
   */
  new(): Learner2D {
    const st = this.#st;
    return new Learner2D({
      ...(st.hull === null ? { bounds: st.bounds } : { hull: st.hull.points }),
      loss: st.lossFunction,
      recomputeLossesFactor: st.factor,
      gradientSweeps: st.sweeps,
      ...latticeSnapshot(st),
    });
  }
}
