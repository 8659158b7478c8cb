/**
 * LearnerND: adaptive sampling of f: D → ℝ or ℝᵐ for a box or a convex polytope D ⊂ ℝᵈ
 * (d = 1 to 9 for a box, to 10 for a hull), by Delaunay refinement of the simplex with the
 * largest loss.
 *
 * Port of python-adaptive `learnerND.py`: the bound points (box corners or hull vertices,
 * sorted) first, seeded random points while no triangulation exists, then the simplex (or
 * pending sub-simplex) of largest loss, sampled at its centroid when its circumcentre lies
 * inside it, else at the middle of its longest edge; inputs scaled to the unit cube, values
 * by the observed range with losses recomputed when it grows by `recomputeLossesFactor`;
 * pending points triangulate the real simplex holding them, each piece getting
 * loss × subvolume / volume.
 *
 * What differs from python-adaptive, on purpose:
 * - The triangulation (`geometry/triangulation-nd.ts`) is incremental with exact
 *   predicates and a symbolic tie rule, so the mesh depends on the point set only, never on
 *   the order of the tells; point location walks from a nearby simplex (python scans all
 *   simplices for points it did not hand out, and counts all faces to extend the hull).
 * - Losses are computed on each simplex's vertices in lexicographic order, so equal meshes
 *   give bit-identical losses; ties in the queue break on a hash of the vertices.
 * - `loss({ real: false })` includes pending points (python ignores `real`, its #5);
 *   `removeUnfinished()` requeues the simplices that held pending points (python loses
 *   them, its #4); `ask(n, { tellPending: false })` undoes only what it did (python
 *   snapshots the whole learner); `loss()` is Infinity until every bound point is evaluated.
 * - NaN and ±Infinity values: with defaultLossND a non-finite value next to finite ones
 *   counts as a jump of the whole value range (the edge of a NaN region is refined as a
 *   jump is); a simplex with no finite value, with another loss a simplex with a
 *   non-finite value, or one whose loss is not finite, gets its volume as loss; the output
 *   scale uses finite values only.
 * - In a hull, asked points lie in the hull exactly (python hands out rounded midpoints of
 *   slanted facets, outside it); a simplex flat within the coordinates' rounding (a sliver
 *   along a facet) gets its volume as loss.
 * - Sub-triangulations are built lazily, when `ask` or `loss({ real: false })` next reads
 *   the queue: a tell that follows its ask at once never pays for them.
 *
 * `mesh: 'bisection'` (boxes only) replaces the Delaunay triangulation by newest-vertex
 * bisection of the box's Kuhn triangulation (`bisection/`): the same losses on the leaf
 * simplices, each asked point the refinement-edge midpoint of one patch, a cost a point that
 * stays flat as points are added (5-D: about 0.1 ms a point to 10 000 points, where the
 * Delaunay cavity costs 2–3 ms and grows). It is the default on a box from 5 dimensions
 * (MESH_BISECTION_FROM_DIM): there it samples as well (RMS error on the 5-D shell within
 * 0.96–1.04 of Delaunay's from 500 to 10 000 points) and runs 24 times faster. In 4-D it is
 * 7 times faster but 8–11 % worse from 5 000 points, so Delaunay stays the default below 5
 * dimensions and on hulls (its asks there are pinned bit for bit: learnernd-behaviour).
 *
 * This file is the public class only; the state (`state.ts`) and the module functions that
 * work on it are the other files of this folder, one concept each.
 */

import { integerOption } from '../lattice.js';
import { defaultLossND, type SimplexLoss, uniformLossND } from '../losses-nd.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from '../types.js';
import { checkOptionKeys, describe } from '../validate.js';
import { askPoints, lossOf } from './ask.js';
import { BisectionND } from './bisection/learner.js';
import { checkState } from './check-valid.js';
import {
  arraysOf,
  boundPointsOf,
  interpolateOnGrid,
  interpolatePoints,
  pendingPointsOf,
  recordsOf,
  triangulationOf,
} from './data-out.js';
import { buildDomain, inDomainPoint, readDomain } from './domain.js';
import { latticeDoneND, setLatticeND } from './lattice.js';
import { loadSnapshot, snapshotOf } from './snapshot.js';
import { LOSS_CALLED, LOSS_DEFAULT, LOSS_UNIFORM, NDState } from './state.js';
import { removeAllPending, tellBatch, tellOne, tellPendingPoint } from './tell.js';
import type {
  ArraysND,
  GridND,
  LearnerNDOptions,
  RecordND,
  TriangulationDataND,
  ValueND,
} from './types.js';

const OPTION_KEYS = ['bounds', 'hull', 'loss', 'recomputeLossesFactor', 'mesh', 'integer'];
/** python-adaptive's default recomputeLossesFactor. */
const DEFAULT_RECOMPUTE_FACTOR = 1.1;

/** From this dimension a box's default mesh is 'bisection' (see the class comment). */
export const MESH_BISECTION_FROM_DIM = 5;

/**
 * The mesh a learner gets when its options name none: bisection on a box from 5-D, unless
 * some dimensions are integer (the lattice works on the Delaunay mesh).
 */
function defaultMesh(options: LearnerNDOptions): 'delaunay' | 'bisection' {
  const b = options.bounds;
  return options.hull === undefined &&
    options.integer === undefined &&
    Array.isArray(b) &&
    b.length >= MESH_BISECTION_FROM_DIM
    ? 'bisection'
    : 'delaunay';
}

/**
 * Learns a function of d real variables on a box or a convex polytope by refining the
 * Delaunay simplex with the largest loss.
 *
 * @example
 * const learner = new LearnerND({ bounds: [[-1, 1], [-1, 1]] });
 * const { points } = learner.ask(4); // the corners [[-1, -1], [-1, 1], [1, -1], [1, 1]]
 * for (const [x, y] of points) learner.tell([x, y], x * y);
 * learner.npoints; // 4
 */ export class LearnerND implements Learner<number[], ValueND> {
  /** The dimension d. */
  readonly dim: number;
  /** The bounding box of the domain, one `[a, b]` per dimension. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The hull points when the domain was given as `{ hull }`, else null. */
  readonly hull: readonly (readonly number[])[] | null;
  /** The loss of one simplex. */
  readonly lossFunction: SimplexLoss;
  /** The options a fresh learner like this one is built from (`new`, `restore`). */
  readonly #options: LearnerNDOptions;
  #st: NDState;
  /** The bisection mesh's state when `mesh: 'bisection'`, else null (the Delaunay state is used). */
  #bis: BisectionND | null = null;
  /**
   * Whether every lattice point is evaluated: with every dimension integer only (a runner
   * stops a learner with `done()` by itself, and needs a goal for one without).
   */
  declare readonly done?: () => boolean;

  /**
   * A learner on a box (`bounds`) or a convex polytope (`hull`).
   * @throws TypeError/RangeError naming the problem for malformed options, a hull that is
   *   not full-dimensional, a box of more than 9 dimensions (d! simplices from the start: use
   *   SparseGridLearner), a hull of more than 10, or a loss with nthNeighbors > 1.
   * @example new LearnerND({ bounds: [[-1, 1], [-1, 1], [0, 5]] })
   */ constructor(options: LearnerNDOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'LearnerND: options must be an object with bounds or hull, e.g. { bounds: [[-1, 1], [-1, 1]] }',
      );
    }
    checkOptionKeys('LearnerND', options, OPTION_KEYS);
    const input = readDomain(options);
    const loss = options.loss ?? defaultLossND;
    if (typeof loss !== 'function') throw new TypeError('LearnerND: loss must be a function');
    const nn = loss.nthNeighbors ?? 0;
    if (nn !== 0 && nn !== 1) {
      throw new RangeError(
        `LearnerND: loss.nthNeighbors must be 0 or 1 (the vertices across the faces), got ${describe(nn)}`,
      );
    }
    const factor = options.recomputeLossesFactor ?? DEFAULT_RECOMPUTE_FACTOR;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || !(factor >= 1)) {
      throw new RangeError(
        `LearnerND: recomputeLossesFactor must be a finite number >= 1, got ${describe(factor)}`,
      );
    }
    const mesh = options.mesh ?? defaultMesh(options);
    if (mesh !== 'delaunay' && mesh !== 'bisection') {
      throw new TypeError(
        `LearnerND: mesh must be 'delaunay' or 'bisection', got ${describe(mesh)}`,
      );
    }
    if (mesh === 'bisection' && options.integer !== undefined) {
      throw new TypeError(
        "LearnerND: integer dimensions are sampled on mesh 'delaunay' only (the default with integer); mesh 'bisection' asks the midpoints of its refinement edges",
      );
    }
    if (mesh === 'bisection' && options.hull !== undefined) {
      throw new TypeError(
        "LearnerND: mesh 'bisection' refines the Kuhn triangulation of a box and needs bounds; a hull is triangulated by mesh 'delaunay' (the default for hulls)",
      );
    }
    const dom = buildDomain(input);
    this.dim = dom.dim;
    this.bounds = dom.bounds;
    this.hull = dom.hull;
    this.lossFunction = loss;
    const fast =
      loss === defaultLossND ? LOSS_DEFAULT : loss === uniformLossND ? LOSS_UNIFORM : LOSS_CALLED;
    this.#st = new NDState(dom, loss, nn, fast, factor);
    if (mesh === 'bisection')
      this.#bis = new BisectionND(this.#st, dom.bounds, loss, nn, fast, factor);
    setLatticeND(this.#st, options.integer);
    const o: LearnerNDOptions = { loss, recomputeLossesFactor: factor };
    if (dom.hull === null) o.bounds = dom.bounds;
    else o.hull = dom.hull;
    if (options.mesh !== undefined || mesh === 'bisection') o.mesh = mesh;
    const integer = integerOption(this.#st.integer);
    if (integer !== undefined) o.integer = integer;
    this.#options = o;
    if (this.#st.latticePure) {
      Object.defineProperty(this, 'done', { value: (): boolean => latticeDoneND(this.#st) });
    }
  }

  /**
   * Number of evaluated points.
   * @example learner.npoints // 4
   */
  get npoints(): number {
    return this.#bis !== null ? this.#bis.npoints : this.#st.nData;
  }

  /**
   * Points handed out by `ask` (or told pending) and not yet told, oldest first.
   * @example learner.ask(2); learner.pendingPoints // two points
   */
  get pendingPoints(): number[][] {
    if (this.#bis !== null) return this.#bis.pendingPoints();
    return pendingPointsOf(this.#st);
  }

  /**
   * The length of the vector output, 1 for scalar output or before any data.
   * @example learner.tell([0, 0], [1, 2, 3]); learner.outputDimension // 3
   */
  get outputDimension(): number {
    if (this.#bis !== null) return this.#bis.outputDimension;
    const vdim = this.#st.vdim;
    return vdim === 0 ? 1 : vdim;
  }

  /**
   * The bound points (box corners or hull vertices) in the order they are asked.
   * @example new LearnerND({ bounds: [[0, 1]] }).boundPoints // [[0], [1]]
   */
  get boundPoints(): number[][] {
    if (this.#bis !== null) return this.#bis.boundPoints();
    return boundPointsOf(this.#st);
  }

  /**
   * Whether `point` lies in the domain: the box (exactly) or the hull (within 1e-9 of the
   * bounding box's size). O(d) for a box, O(d · facets) for a hull.
   * @example new LearnerND({ bounds: [[0, 1], [0, 1]] }).inDomain([0.5, 1]) // true
   */
  inDomain(point: readonly number[]): boolean {
    if (this.#bis !== null) return this.#bis.inDomain(point);
    return inDomainPoint(this.#st, point);
  }

  /**
   * Tells the value at a point. A point told before is ignored (its first value stays).
   * O(walk + cavity) for the triangulation, plus an amortised share of the full loss
   * recomputation when the value range grows by `recomputeLossesFactor`.
   * @throws TypeError/RangeError naming the point when it is not d finite numbers, lies
   *   outside the domain, or the value has the wrong shape; the learner is then unchanged.
   *   An Error when a custom loss function throws (or returns a non-number): the point is
   *   kept, the affected simplices get their volume as loss, and the learner stays usable.
   * @example learner.tell([0.5, 0.5], 1.25);
   */
  tell(point: readonly number[], value: ValueND): void {
    if (this.#bis !== null) this.#bis.tell(point, value);
    else tellOne(this.#st, point, value);
  }

  /**
   * Tells many points: the same state as telling them one by one. Everything is validated
   * first, so a bad entry leaves the learner unchanged.
   * @example learner.tellMany([[0, 0], [1, 1]], [0, 2]);
   */
  tellMany(points: readonly (readonly number[])[], values: readonly ValueND[]): void {
    if (this.#bis !== null) this.#bis.tellMany(points, values);
    else tellBatch(this.#st, points, values);
  }

  /**
   * Marks a point as being evaluated, so `ask` does not hand it out again; its simplex is
   * split among the pending points it holds. A known point (evaluated or pending) is
   * ignored. O(walk).
   * @throws TypeError/RangeError naming the point when it is malformed or outside the domain.
   * @example learner.tellPending([0.25, 0.5]);
   */
  tellPending(point: readonly number[]): void {
    if (this.#bis !== null) this.#bis.tellPending(point);
    else tellPendingPoint(this.#st, point);
  }

  /**
   * Forgets every pending point; the simplices that held them are queued again with their
   * own loss (python-adaptive forgets those simplices, its #4). O(pending · walk).
   * @example learner.removeUnfinished(); learner.pendingPoints; // []
   */
  removeUnfinished(): void {
    if (this.#bis !== null) this.#bis.removeUnfinished();
    else removeAllPending(this.#st);
  }

  /**
   * The largest simplex loss: of the evaluated data (`real`, default), or including pending
   * points as sub-simplices (`real: false`; python-adaptive ignores `real`). +Infinity
   * while a bound point is not evaluated (for `real: false`: neither evaluated nor
   * pending) or no triangulation exists. O(1) amortised (queued heap updates are applied
   * on the read).
   * @example learner.loss(); learner.loss({ real: false });
   */
  loss(options?: LossOptions): number {
    if (this.#bis !== null) return this.#bis.loss(options);
    return lossOf(this.#st, options);
  }

  /**
   * Returns `n` points expected to reduce the loss most, with the loss improvement of
   * each: bound points first (improvement +Infinity), seeded random points while no
   * triangulation exists (+Infinity), then python-adaptive's choice in the simplex or
   * pending sub-simplex of largest loss. With `tellPending: false` the learner is left
   * exactly as it was. O(n · (log N + walk + d³)).
   * @throws RangeError when n is not a non-negative integer.
   * @example learner.ask(2) // { points: [[...], [...]], lossImprovements: [0.12, 0.11] }
   */
  ask(n: number, options?: AskOptions): AskResult<number[]> {
    if (this.#bis !== null) return this.#bis.ask(n, options);
    return askPoints(this.#st, n, options);
  }

  /**
   * The evaluated points sorted lexicographically, as `{ x, y }` records (python-adaptive's
   * `to_numpy` order). O(n log n).
   * @example learner.toRecords() // [{ x: [-1, -1], y: 0.3 }, ...]
   */
  toRecords(): RecordND[] {
    if (this.#bis !== null) return this.#bis.records();
    return recordsOf(this.#st);
  }

  /**
   * The evaluated points sorted lexicographically as typed arrays: `x` (n·d, row-major) and
   * `y` (n·vdim). O(n log n).
   * @example const { x, y, dim, vdim } = learner.toArrays();
   */
  toArrays(): ArraysND {
    if (this.#bis !== null) return this.#bis.arrays();
    return arraysOf(this.#st);
  }

  /**
   * The triangulation of the evaluated points, for plots: the points in the order told,
   * their values, and the simplices as indices into the points. O(n + simplices).
   * @example const { points, simplices } = learner.triangulation(); // simplices: 3 indices per triangle in 2-D
   */
  triangulation(): TriangulationDataND {
    if (this.#bis !== null) return this.#bis.triangulation();
    return triangulationOf(this.#st);
  }

  /**
   * The piecewise-linear interpolant of the evaluated data on its Delaunay triangulation:
   * at one point (a number, or a vector for vector output), or at many (one per point).
   * NaN outside the hull of the evaluated points. O(walk) per point; successive nearby
   * points walk little.
   * @example learner.interpolate([0.1, 0.2]); learner.interpolate([[0, 0], [0.5, 0.5]]);
   */
  interpolate(point: readonly number[]): number | number[];
  interpolate(points: readonly (readonly number[])[]): (number | number[])[];
  interpolate(
    q: readonly number[] | readonly (readonly number[])[],
  ): (number | number[]) | (number | number[])[] {
    if (this.#bis !== null) {
      return interpolatePoints(this.#st, q, this.#bis.interpolant());
    }
    return interpolatePoints(this.#st, q);
  }

  /**
   * The interpolant on a grid: `axes[j]` lists the coordinates along dimension j, or a
   * number n asks for n evenly spaced points across the bounding box on every axis.
   * Row-major values (the last axis varies fastest), NaN outside the hull.
   * O(grid points · walk); the walk starts from the previous grid point.
   * @example learner.interpolateGrid(101).values // 101 × 101 values in 2-D
   */
  interpolateGrid(axesOrN: number | readonly (readonly number[])[]): GridND {
    if (this.#bis !== null) {
      return interpolateOnGrid(this.#st, axesOrN, this.#bis.interpolant());
    }
    return interpolateOnGrid(this.#st, axesOrN);
  }

  /**
   * A versioned, JSON-safe snapshot: the domain, the evaluated points and values in the
   * order told, the simplices with their (possibly stale) losses, the value range, the
   * pending points and the random state. Data only: restore it into a learner built with
   * the same options. O(n + simplices · log).
   * @example const copy = new LearnerND(opts); copy.restore(JSON.parse(JSON.stringify(learner.snapshot())));
   */
  snapshot(): LearnerSnapshot {
    if (this.#bis !== null) return this.#bis.snapshot(this.#lossName());
    return snapshotOf(this.#st);
  }

  /**
   * Replaces this learner's state by a snapshot's: the points are triangulated again (the
   * mesh depends on the points only, so it is the same), the stored losses put back.
   * A malformed or foreign snapshot throws a TypeError naming the problem and leaves the
   * learner as it was. O(n · walk + simplices).
   * @example learner.restore(snapshot);
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new LearnerND(this.#options);
    const mesh = this.#bis !== null ? 'bisection' : 'delaunay';
    const theirs =
      snapshot !== null && typeof snapshot === 'object' ? (snapshot.mesh ?? 'delaunay') : mesh;
    if (theirs !== mesh) {
      throw new TypeError(
        `LearnerND.restore: the snapshot's mesh ${describe(theirs)} differs from this learner's '${mesh}'; make the learner with { mesh: ${describe(theirs)} } (from 5 dimensions on a box the default is 'bisection', before it 'delaunay')`,
      );
    }
    if (fresh.#bis !== null) fresh.#bis.load(snapshot, this.#lossName());
    else loadSnapshot(fresh.#st, snapshot);
    this.#st = fresh.#st;
    this.#bis = fresh.#bis;
  }

  /**
   * Throws if an internal invariant does not hold (for tests): the triangulation's own
   * checks, both queues against the simplices' losses, the pending points' memberships
   * against the simplices that contain them, the sub-triangulations, the point table.
   * O(simplices · d³ + pending · walk).
   * @example learner.checkValid();
   */
  checkValid(): void {
    if (this.#bis !== null) this.#bis.checkValid();
    else checkState(this.#st);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same domain (bounds
   * or hull), loss and recomputeLossesFactor, no data.
   * @example
   * new LearnerND({ bounds: [[0, 1], [0, 1]] }).new().npoints; // 0
   */
  new(): LearnerND {
    return new LearnerND(this.#options);
  }

  /** The loss's name as snapshots record it. */
  #lossName(): string {
    return this.lossFunction.lossName ?? this.lossFunction.name;
  }
}
