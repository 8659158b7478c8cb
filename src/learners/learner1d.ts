/**
 * Learner1D: adaptive sampling of f: [a, b] → ℝ or ℝᵏ by interval refinement.
 *
 * Port of python-adaptive `learner1D.py` (v1.5.2): the same points for the same data in the
 * same order, with the same loss rounding, tie-breaking and order of operations. The data
 * structures are new: points are nodes in typed arrays linked in x order twice (evaluated
 * points only, and evaluated plus pending points: python-adaptive's `neighbors` and
 * `neighbors_combined`), interval losses live in two indexed heaps keyed by the interval's
 * left node, and a blocked sorted index finds a point by its x. A `tell` touches the
 * intervals next to the new point only; all losses are recomputed only when the y range
 * grows by `recomputeLossesFactor` (amortised O(1)).
 */

import { ask, LEARNER1D_MAX_POINTS } from './learner1d/ask.js';
import { interpolateOne, toArrays, toRecords } from './learner1d/data.js';
import { checkLatticeBounds, latticeDone } from './learner1d/lattice.js';
import { intervalLosses, maxLoss } from './learner1d/losses.js';
import { checkValid, load, writeSnapshot } from './learner1d/snapshot.js';
import { INF, pendingPoints, type Record1D, State1D, type Value1D } from './learner1d/state.js';
import {
  around,
  removeUnfinished,
  tell,
  tellMany,
  tellPending,
  updateValue,
} from './learner1d/tell.js';
import { defaultLoss, type IntervalLoss } from './losses1d.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import { checkOptionKeys, describe, doublesBetween } from './validate.js';

export { LEARNER1D_MAX_POINTS } from './learner1d/ask.js';
export type { Record1D, Value1D } from './learner1d/state.js';

/** Options of {@link Learner1D}. */
export interface Learner1DOptions {
  /** The domain `[a, b]`, finite with `a < b`. */
  bounds: readonly [number, number];
  /** The loss of one interval (default {@link defaultLoss}). */
  loss?: IntervalLoss;
  /**
   * All losses are recomputed when the y range grows by more than this factor since the
   * last recomputation (default 2, as python-adaptive). With 1 every loss always reflects
   * the current y range, so the loss no longer depends on the order of the tells.
   */
  recomputeLossesFactor?: number;
  /**
   * Sample the integers of the bounds only (default false): the bounds must be integers;
   * every asked point is an integer, and the learner is `done()` once each is evaluated.
   */
  integer?: boolean;
}

const OPTION_KEYS = ['bounds', 'loss', 'recomputeLossesFactor', 'integer'];
/**
 * The fewest doubles the bounds must hold, 256: at least 128 intervals at Learner1D's
 * resolution. Intervals narrower than 2·eps·max|bound| get loss 0 (python-adaptive's rule, which
 * the known answers pin), so on fewer doubles the loss drops to 0 after a handful of points.
 * Lower than Learner2D's and LearnerND's MIN_DOUBLES_PER_AXIS (1024): python-adaptive's own
 * test_small_deviations (its issue #78) samples [1 − 5e-14, 1 + 5e-14], 676 doubles.
 */
const MIN_DOUBLES = 256;

/**
 * Learns a function of one real variable by splitting the intervals with the largest loss.
 *
 * @example
 * const learner = new Learner1D({ bounds: [-1, 1] });
 * const { points } = learner.ask(3); // [-1, 1, 0]
 * for (const x of points) learner.tell(x, x * x);
 * learner.npoints; // 3
 */
export class Learner1D implements Learner<number, Value1D> {
  /** The domain. */
  readonly bounds: readonly [number, number];
  /** The loss of one interval. */
  readonly lossFunction: IntervalLoss;
  readonly #factor: number;
  readonly #integer: boolean;
  /**
   * Whether every integer of the bounds is evaluated. Present on a learner made with
   * `integer: true` only: a runner stops a learner with `done()` by itself, and needs a
   * goal for one without (a continuum learner is never done).
   */
  declare readonly done?: () => boolean;
  // Every other field: one object of fixed shape, which the functions of ./learner1d/ take.
  #s: State1D;

  constructor(options: Learner1DOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'Learner1D: options must be an object with bounds, e.g. { bounds: [-1, 1] }',
      );
    }
    checkOptionKeys('Learner1D', options, OPTION_KEYS);
    const b = options.bounds as unknown;
    if (
      !Array.isArray(b) ||
      b.length !== 2 ||
      typeof b[0] !== 'number' ||
      typeof b[1] !== 'number' ||
      !Number.isFinite(b[0]) ||
      !Number.isFinite(b[1]) ||
      !(b[0] < b[1])
    ) {
      throw new RangeError(`Learner1D: bounds must be finite and increasing, got ${describe(b)}`);
    }
    this.bounds = [b[0] + 0, b[1] + 0];
    const loss = options.loss ?? defaultLoss;
    if (typeof loss !== 'function') throw new TypeError('Learner1D: loss must be a function');
    this.lossFunction = loss;
    const nn = loss.nthNeighbors ?? 0;
    if (!Number.isInteger(nn) || nn < 0) {
      throw new RangeError(
        `Learner1D: loss.nthNeighbors must be a non-negative integer, got ${nn}`,
      );
    }
    const factor = options.recomputeLossesFactor ?? 2;
    if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) {
      throw new RangeError(
        `Learner1D: recomputeLossesFactor must be a finite number >= 1, got ${describe(factor)}`,
      );
    }
    this.#factor = factor;
    const integer = options.integer ?? false;
    if (typeof integer !== 'boolean') {
      throw new TypeError(`Learner1D: integer must be a boolean, got ${describe(integer)}`);
    }
    this.#integer = integer;
    if (integer) checkLatticeBounds(this.bounds[0], this.bounds[1]);
    if (this.bounds[1] - this.bounds[0] === INF) {
      throw new RangeError(
        `Learner1D: the width of the bounds ${describe(b)} overflows (b - a is Infinity, above Number.MAX_VALUE); give bounds whose width b - a is at most ${Number.MAX_VALUE}`,
      );
    }
    // Too few doubles: refused, as Learner2D and LearnerND do (see MIN_DOUBLES). A lattice's
    // resolution is its integers: [0, 3] is four points however many doubles lie between.
    const count = doublesBetween(this.bounds[0], this.bounds[1]);
    if (!integer && count < MIN_DOUBLES) {
      throw new RangeError(
        `Learner1D: the bounds [${this.bounds[0]}, ${this.bounds[1]}] hold only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES} are needed); use wider bounds, or bounds nearer 0`,
      );
    }
    this.#s = new State1D({
      bounds: this.bounds,
      loss,
      nthNeighbors: nn,
      recomputeLossesFactor: factor,
      fastDefault: loss === defaultLoss,
      lattice: integer,
    });
    if (integer) {
      Object.defineProperty(this, 'done', { value: (): boolean => latticeDone(this.#s) });
    }
  }

  /** Number of evaluated points. */
  get npoints(): number {
    return this.#s.nReal;
  }

  /** Points handed out by `ask` (or told pending) and not yet told, in increasing order. */
  get pendingPoints(): number[] {
    return pendingPoints(this.#s);
  }

  /**
   * Whether both bounds are points of the learner (evaluated or pending).
   * @internal
   */
  get boundsPresent(): boolean {
    return this.#s.hasLo && this.#s.hasHi;
  }

  /**
   * The unit of the values in the losses: the y range (1 while it is 0, MAX_VALUE when it
   * overflows). Used by {@link AverageLearner1D} to make its distances scale-free.
   * @internal
   */
  get yUnit(): number {
    const y = this.#s.yScale;
    return y === 0 ? 1 : y === INF ? Number.MAX_VALUE : y;
  }

  /** The length of the vector output, 1 for scalar output or before any data. */
  get outputDimension(): number {
    return this.#s.vdim === 0 ? 1 : this.#s.vdim;
  }

  /**
   * Tells the value `y` at `x`. A point told before is ignored (its first value stays).
   * O(log n + pending points in the enclosing interval), plus an amortised O(1) share of
   * the full recomputation when the y range doubles.
   * @throws TypeError/RangeError naming the point when x is outside the bounds or y has the
   *   wrong shape; the learner is then unchanged. An Error "the loss function threw: …
   *   (the data was kept)" (its `cause` the original) when the loss function throws or
   *   returns no number: the point is told, that interval's loss is its width.
   */
  tell(x: number, y: Value1D): void {
    tell(this.#s, x, y);
  }

  /**
   * Replaces the value at an evaluated point by `value` and updates the losses that depend
   * on it; the y range grows with `rangeSample` (python's AverageLearner1D widens it by each
   * new sample, not by the mean). Used by {@link AverageLearner1D}. O(log n).
   * @internal
   */
  updateValue(x: number, value: number, rangeSample: number): void {
    updateValue(this.#s, x, value, rangeSample);
  }

  /**
   * The neighbours of the point x (evaluated, or with `real: false` evaluated or pending)
   * and the losses of the intervals on each side: NaN for a missing neighbour, +Infinity
   * for a missing loss. x must be a point of the learner. O(log n).
   * @internal
   */
  around(
    x: number,
    options?: LossOptions,
  ): { left: number; right: number; leftLoss: number; rightLoss: number } {
    return around(this.#s, x, options);
  }

  /**
   * Tells many points at once: the same state as telling them one by one, in O(k log n)
   * (python-adaptive's batch path is O(n²)). All points and values are validated first.
   */
  tellMany(xs: readonly number[], ys: readonly Value1D[]): void {
    tellMany(this.#s, xs, ys);
  }

  /** Marks `x` as being evaluated, so `ask` does not hand it out again. O(log n). */
  tellPending(x: number): void {
    tellPending(this.#s, x);
  }

  /** Forgets every pending point. O(k log n) for k pending points. */
  removeUnfinished(): void {
    removeUnfinished(this.#s);
  }

  /**
   * The largest interval loss: of the evaluated data (`real`, default), or including pending
   * points. +Infinity with fewer than two points, and while a bound is not evaluated (for
   * `real: false`: neither evaluated nor pending). python-adaptive counts a pending bound as
   * present for the real loss too, so a parallel run can meet a loss goal, and stop, before
   * its bounds arrive (its #271); here the real loss waits for them. O(1).
   */
  loss(options?: LossOptions): number {
    return maxLoss(this.#s, options);
  }

  /**
   * Returns `n` points expected to reduce the loss most, and the loss improvement of each.
   * Bounds come first; then each chosen interval is split evenly (greedy water-filling of
   * `max(loss_i / pieces_i)`). With `tellPending: false` the learner is left as it was.
   * O(n log n + log N), whatever n and the number of points N; the pending points of the
   * intervals it splits are walked over once per ask.
   * @throws RangeError when n is not a non-negative integer, or when the learner would hold
   *   more than {@link LEARNER1D_MAX_POINTS} points.
   */
  ask(n: number, options?: AskOptions): AskResult<number> {
    return ask(this.#s, n, options);
  }

  /**
   * The intervals and their losses in x order: between evaluated points (`real`, default,
   * python-adaptive's `losses`) or between evaluated and pending points (`real: false`,
   * its `losses_combined`). O(n).
   * @example learner.intervalLosses() // [{ x0: -1, x1: 0, loss: 0.7 }, ...]
   */
  intervalLosses(options?: LossOptions): { x0: number; x1: number; loss: number }[] {
    return intervalLosses(this.#s, options);
  }

  /** The evaluated points sorted by x, as `{ x, y }` records. O(n). */
  toRecords(): Record1D[] {
    return toRecords(this.#s);
  }

  /**
   * The evaluated points sorted by x as typed arrays: `x` (length n) and `y` (length n·vdim,
   * row-major: the values of point i are `y[i·vdim … i·vdim + vdim)`). O(n).
   */
  toArrays(): { x: Float64Array; y: Float64Array; vdim: number } {
    return toArrays(this.#s);
  }

  /**
   * The piecewise-linear interpolant of the evaluated data at x (a number, or a vector for
   * vector output); NaN outside the sampled range. O(log n) per point.
   * @example learner.interpolate(0.25); learner.interpolate([0, 0.5, 1]);
   */
  interpolate(x: number): number | number[];
  interpolate(xs: readonly number[]): (number | number[])[];
  interpolate(q: number | readonly number[]): (number | number[]) | (number | number[])[] {
    const s = this.#s;
    if (typeof q === 'number') return interpolateOne(s, q);
    if (!Array.isArray(q))
      throw new TypeError('Learner1D.interpolate: expected a number or an array of numbers');
    return q.map((x) => interpolateOne(s, x));
  }

  /**
   * A versioned, JSON-safe snapshot: bounds, the evaluated points and values, the interval
   * losses (stale ones included, so a restored learner asks exactly the same points), the
   * y range and the pending points. Data only: restore it into a learner built with the
   * same options. O(n).
   */
  snapshot(): LearnerSnapshot {
    return writeSnapshot(this.#s);
  }

  /**
   * Replaces this learner's state by a snapshot's. A malformed or foreign snapshot throws a
   * TypeError naming the problem and leaves the learner as it was. O(n log n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = this.#fresh();
    load(fresh, snapshot);
    this.#s = fresh;
  }

  /** Throws if an internal invariant does not hold (for tests). O(n log n). */
  checkValid(): void {
    checkValid(this.#s);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, loss
   * and recomputeLossesFactor, no data.
   * @example
   * new Learner1D({ bounds: [0, 1] }).new().npoints; // 0
   */
  new(): Learner1D {
    return new Learner1D({
      bounds: this.bounds,
      loss: this.lossFunction,
      recomputeLossesFactor: this.#factor,
      integer: this.#integer,
    });
  }

  /** An empty state with this learner's options. */
  #fresh(): State1D {
    return new State1D({
      bounds: this.bounds,
      loss: this.lossFunction,
      nthNeighbors: this.#s.nn,
      recomputeLossesFactor: this.#factor,
      fastDefault: this.#s.fastDefault,
      lattice: this.#integer,
    });
  }
}
