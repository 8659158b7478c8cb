/**
 * IntegratorLearner: the integral of f over [a, b] to a relative tolerance, by CQUAD
 * (Gonnet, "Increasing the Reliability of Adaptive Quadrature Using Explicit
 * Interpolants", ACM TOMS 37(3), 2010, algorithm 4), in parallel.
 *
 * Port of python-adaptive `integrator_learner.py` (v1.5.2): the same intervals, points,
 * order of operations and `done_leaves` bookkeeping, so a serial run asks the points
 * python-adaptive asks (up to errors that tie exactly and are told apart by rounding noise).
 * Each interval carries a Clenshaw–Curtis rule of 5, 9, 17 or 33 nodes (depth 0..3); the
 * interval with the largest error is refined to the next depth, or split in two when it is
 * at depth 3 or refining did not converge. Non-finite function values are dropped from an
 * interval's interpolant by down-dating (Gonnet's algorithm 5).
 *
 * Differences from python-adaptive:
 * - `tellPending(x)` takes the point (python-adaptive's takes none, so its BalancingLearner
 *   crashes on an IntegratorLearner child). Every node of a new interval waits in a queue
 *   from the moment the interval exists; `pendingPoints` lists the nodes handed out and not
 *   yet told, and `removeUnfinished()` puts them back at the front of the queue (python's
 *   does nothing).
 * - `ask(n, { tellPending: false })` plans the next points on copies of the few intervals
 *   it touches, read through the heaps' ordered walks, instead of copying the learner.
 * - A told point is told once: telling it again is ignored, and a told point never comes
 *   back from `ask`. A stale entry of the split queue is skipped (python asserts).
 * - Out of order: when a child interval finishes before its parent, python-adaptive keeps
 *   the child's error (and its machine-precision verdict) from whatever rule of the parent
 *   was complete then; here both are redone when the parent completes a finer rule, so the
 *   result does not depend on the order of the tells. An interval at machine precision
 *   keeps standing for its subtree when its children were asked before it completed
 *   (python-adaptive lets their coarser estimates replace it, its issue #96).
 * - The spacing test of nodes uses |x|, so intervals at or left of 0 are dropped too when
 *   they become too narrow for float, and the error of a dropped interval counts as excess
 *   in `done()` as in algorithm 4 (python-adaptive forgets it: a singularity at a negative
 *   bound, or one that float cannot resolve to the tolerance, then never finishes).
 * - `igral` and `err` are summed in the order of the intervals (python-adaptive sums over a
 *   set, so its last bits vary).
 * - When no interval is left to refine, `ask` returns fewer points (`done()` is then true);
 *   python-adaptive raises RuntimeError.
 * - Divergence is reported by a {@link DivergentIntegralError} from the `tell` that reveals
 *   it, after the learner has taken in the data; `ask` throws it from then on. Besides
 *   python-adaptive's test (the estimate doubling in most splits), an interval too narrow
 *   for float to split whose error exceeds the magnitude of the whole integral is divergent.
 * - Non-finite values: an isolated NaN or ±Infinity is down-dated, as in python-adaptive
 *   and Gonnet's CQUAD (the integral of 1 with f(0) = Infinity on [−1, 1] is 2, python's
 *   `test_one_with_nan`); a pole at a node shows as divergence. Where f looks not finite on a
 *   piece (runs of NaN/±Infinity), `igral` and `err` are NaN (python-adaptive: 0 ± 0,
 *   done): that piece is split until its rules hold no finite value, then left, so a run
 *   ends with igral NaN.
 */
import { newState, sums } from './integrator/cquad.js';
import {
  ask,
  removeUnfinished,
  tell,
  tellMany,
  tellPending,
  toldSorted,
} from './integrator/protocol.js';
import { checkValid, load, writeSnapshot } from './integrator/snapshot.js';
import { INF, type IntegratorState } from './integrator/state.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import { checkOptionKeys, describe } from './validate.js';

export { DivergentIntegralError } from './integrator/errors.js';

/** Options of {@link IntegratorLearner}. */
export interface IntegratorLearnerOptions {
  /** The interval of integration `[a, b]`, finite with `a < b`. */
  bounds: readonly [number, number];
  /** The relative tolerance: the learner is done when `err < |igral|·tol`. Positive and finite. */
  tol: number;
  /**
   * At most this many intervals are refined at once (default 1000, as python-adaptive);
   * beyond it the interval with the smallest error is dropped from refinement.
   */
  maxIvals?: number;
}

/** One evaluated point, as returned by {@link IntegratorLearner.toRecords}. */
export interface IntegratorRecord {
  x: number;
  y: number;
}

/** An interval whose estimate enters the integral, see {@link IntegratorLearner.approximatingIntervals}. */
export interface IntegratorInterval {
  a: number;
  b: number;
  /** The depth (0..3: 5, 9, 17 or 33 nodes) of the rule the estimate comes from. */
  depth: number;
  /** Splits from the first interval, starting at 1. */
  rdepth: number;
  igral: number;
  err: number;
  /** At machine precision, or too narrow for float: no longer refined (its error counts as excess in `done()`). */
  removed: boolean;
}

const OPTION_KEYS = ['bounds', 'tol', 'maxIvals'];

/**
 * Integrates a function of one variable to a relative tolerance by adaptive Clenshaw–Curtis
 * quadrature (CQUAD). Points are the nodes of its intervals; `igral` and `err` are the
 * current estimate and its error, and `done()` says when the tolerance is met.
 *
 * @example
 * const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-10 });
 * while (!learner.done()) {
 *   const [x] = learner.ask(1).points as [number];
 *   learner.tell(x, Math.exp(-x * x));
 * }
 * learner.npoints; // 33
 * learner.igral; // 0.7468241328124268 (erf(1)·√π/2 = 0.74682413281242702…)
 */
export class IntegratorLearner implements Learner<number, number> {
  /** The interval of integration. */
  readonly bounds: readonly [number, number];
  /** The relative tolerance. */
  readonly tol: number;
  /** Most intervals refined at once. */
  readonly maxIvals: number;
  // Every other field: one object of fixed shape, which the functions of ./integrator/ take.
  #s: IntegratorState;

  constructor(options: IntegratorLearnerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'IntegratorLearner: options must be an object with bounds and tol, e.g. { bounds: [0, 1], tol: 1e-8 }',
      );
    }
    checkOptionKeys('IntegratorLearner', options, OPTION_KEYS);
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
      throw new RangeError(
        `IntegratorLearner: bounds must be finite and increasing, got ${describe(b)}`,
      );
    }
    const tol = options.tol as unknown;
    if (typeof tol !== 'number' || !(tol > 0) || !Number.isFinite(tol)) {
      throw new RangeError(
        `IntegratorLearner: tol must be a positive finite number (a relative tolerance, e.g. 1e-8), got ${describe(tol)}`,
      );
    }
    const maxIvals = (options.maxIvals as unknown) ?? 1000;
    if (typeof maxIvals !== 'number' || !Number.isInteger(maxIvals) || maxIvals < 1) {
      throw new RangeError(
        `IntegratorLearner: maxIvals must be a positive integer, got ${describe(maxIvals)}`,
      );
    }
    if (b[1] - b[0] === INF) {
      throw new RangeError(
        `IntegratorLearner: the width of the bounds ${describe(b)} overflows (b - a is Infinity, above Number.MAX_VALUE); give bounds whose width b - a is at most ${Number.MAX_VALUE}`,
      );
    }
    this.bounds = [b[0] + 0, b[1] + 0];
    this.tol = tol;
    this.maxIvals = maxIvals;
    this.#s = newState(this.bounds, tol, maxIvals);
  }

  /** Number of evaluated points. */
  get npoints(): number {
    return this.#s.nTold;
  }

  /** Points handed out by `ask` (or told pending) and not yet told, in the order handed out. */
  get pendingPoints(): number[] {
    const s = this.#s;
    const out: number[] = [];
    for (const id of s.pending) out.push(s.nodeX[id] as number);
    return out;
  }

  /**
   * The integral estimate: the sum over the approximating intervals (0 before any is
   * complete); NaN when f is not finite on a piece of the domain (most values of one of
   * them NaN or ±Infinity: the integral diverges or is unknown, never a finite-looking
   * estimate of the finite part). One isolated non-finite value, such as f(0) = Infinity
   * for 1/√x, is left out of its interpolant. O(k log k) after a change, k intervals.
   */
  get igral(): number {
    const s = this.#s;
    sums(s);
    return s.sumIgral / s.ws / s.vs;
  }

  /** The estimated absolute error of {@link igral}; +Infinity before any interval is complete, NaN with igral. */
  get err(): number {
    const s = this.#s;
    sums(s);
    return s.sumErr / s.ws / s.vs;
  }

  /** The divergence found, if any: the interval where the estimate kept growing. */
  get divergentInterval(): readonly [number, number] | null {
    const s = this.#s;
    const d = s.divergence;
    return d === null ? null : [d.a, d.b];
  }

  /**
   * Whether the integral is known to the tolerance: `err` is 0, or `err < |igral|·tol`, or
   * the error left is that of intervals at machine precision, or nothing is left to refine.
   * Intervals where f is not finite (see {@link igral}) are left out of this test once their
   * rule holds no finite value: they make `igral` and `err` NaN, and `done()` is then true
   * with igral NaN once the rest is known, as refining would only find more of the same, so
   * a run ends. Check `Number.isNaN(learner.igral)`. Never true once a divergence was found
   * (`ask` then throws it).
   */
  done(): boolean {
    const s = this.#s;
    sums(s);
    if (s.divergence !== null) return false;
    // Nothing left to refine (float has no room left to split): done, whatever igral is.
    if (s.qMax.size === 0) return true;
    const err = s.doneErr;
    const t = Math.abs(s.doneIgral) * s.tol;
    return err === 0 || err < t || (err - s.sumExcess < t && t < s.sumExcess) || s.qMax.size === 0;
  }

  /**
   * `| |igral|·tol − err |`, as python-adaptive (not monotone: use {@link done} as the goal).
   * Pending points do not enter, so `real` makes no difference. Never NaN (+Infinity instead).
   */
  loss(_options?: LossOptions): number {
    const s = this.#s;
    sums(s);
    const l = Math.abs(Math.abs(s.sumIgral) * s.tol - s.sumErr) / s.ws / s.vs;
    return Number.isNaN(l) ? INF : l;
  }

  /** The intervals whose estimates make up `igral` and `err`, in order of `a`. O(k log k). */
  approximatingIntervals(): IntegratorInterval[] {
    const s = this.#s;
    sums(s);
    return s.approx.map((iv) => ({
      a: iv.a,
      b: iv.b,
      depth: iv.depthComplete,
      rdepth: iv.rdepth,
      igral: iv.igral / s.ws / s.vs,
      err: iv.err / s.ws / s.vs,
      removed: iv.removed,
    }));
  }

  /** The number of intervals that may still be refined. */
  get nActiveIntervals(): number {
    const s = this.#s;
    return s.qMax.size;
  }

  /**
   * Returns the next `n` points and, for each, the largest error among the intervals it
   * belongs to (python-adaptive's loss improvement). The queue of nodes comes first; when
   * it is empty the interval with the largest error is refined or split. Fewer than `n`
   * points when no interval is left (then `done()` is true). With `tellPending: false` the
   * learner is left exactly as it was (the points are planned, not taken). O(n log k).
   * @throws RangeError when n is not a non-negative integer, or would make the learner hold
   *   more than 2^24 points; DivergentIntegralError once the integral was found to diverge.
   */
  ask(n: number, options?: AskOptions): AskResult<number> {
    return ask(this.#s, n, options);
  }

  /**
   * Tells the value `y` at the node `x`. A point told before is ignored (its first value
   * stays). NaN and ±Infinity are legal: such values are dropped from the interpolants
   * (down-dating). O(intervals of x) plus the work of the rules that complete.
   * @throws TypeError/RangeError naming the point when x is not a finite number in the
   *   bounds, is no node of the learner's intervals, or y is not a number; the learner is
   *   then unchanged. DivergentIntegralError when this value reveals a divergent integral
   *   (the value is taken in first).
   */
  tell(x: number, y: number): void {
    tell(this.#s, x, y);
  }

  /**
   * Tells many points; all are validated first (a bad one leaves the learner unchanged),
   * then told in order.
   */
  tellMany(xs: readonly number[], ys: readonly number[]): void {
    tellMany(this.#s, xs, ys);
  }

  /**
   * Marks `x` as being evaluated so that `ask` does not hand it out again: a node waiting in
   * the queue leaves it; a node already pending or told is left alone; a point the next
   * asks would hand out (e.g. from `ask(n, { tellPending: false })`) makes the learner
   * create its interval first. O(1) for nodes, O(points planned) otherwise.
   * @throws TypeError/RangeError when x is not a finite number in the bounds, or neither a
   *   node nor among the next 10 000 points; the learner is then unchanged.
   */
  tellPending(x: number): void {
    tellPending(this.#s, x);
  }

  /** Puts every pending point back at the front of the queue, to be asked again. O(queue). */
  removeUnfinished(): void {
    removeUnfinished(this.#s);
  }

  /** The evaluated points sorted by x, as `{ x, y }` records. O(n log n). */
  toRecords(): IntegratorRecord[] {
    const { x, y } = toldSorted(this.#s);
    return Array.from(x, (xv, i) => ({ x: xv, y: y[i] as number }));
  }

  /** The evaluated points sorted by x as typed arrays. O(n log n). */
  toArrays(): { x: Float64Array; y: Float64Array } {
    return toldSorted(this.#s);
  }

  /**
   * A versioned, JSON-safe snapshot: the options, every node (x, value if told), the queue
   * and the pending points in order, and the interval tree with its coefficients, errors
   * and bookkeeping, so a restored learner continues exactly where this one stands. O(n).
   */
  snapshot(): LearnerSnapshot {
    return writeSnapshot(this.#s);
  }

  /**
   * Replaces this learner's state by a snapshot's (taken from a learner with the same
   * options). A malformed or foreign snapshot throws a TypeError naming the problem and
   * leaves the learner as it was. O(n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = newState(this.bounds, this.tol, this.maxIvals);
    load(fresh, snapshot);
    this.#s = fresh;
  }

  /** Throws if an internal invariant does not hold (for tests). O(n + k log k). */
  checkValid(): void {
    checkValid(this.#s);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, tol and
   * maxIvals, no points.
   * @example
   * new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 }).new().npoints; // 0
   */
  new(): IntegratorLearner {
    return new IntegratorLearner({ bounds: this.bounds, tol: this.tol, maxIvals: this.maxIvals });
  }
}
