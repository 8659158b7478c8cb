/**
 * SparseGridLearner: adaptive sampling of f: [a₀, b₀] × … × [a_{d−1}, b_{d−1}] → ℝ or ℝᵐ in
 * any dimension, on a spatially and dimension-adaptive sparse grid of hierarchical hat
 * functions (SG++ is the reference implementation of the idea; this is our own).
 *
 * The grid: per dimension the nested 1-D hierarchy of `hierarchy.ts` (a root, then its two
 * children, then the dyadic midpoints; no boundary points), a grid point being one node per
 * dimension. Its basis function is the product of the nodes' modified hats; its hierarchical
 * surplus is its value minus the interpolant of its ancestors; the interpolant is the sum of
 * surplus × basis over the evaluated points.
 *
 * Why this basis, and where the root lies: the modified linear hats (SG++'s `modlinear`) need
 * no boundary points, so a new dimension costs 2 points, not the 3^d corners of a grid with
 * boundary points (6 561 in 8-D); measured, boundary grids and piecewise-quadratic bases did
 * no better on exp(−|x|²) in 8-D. What decides the error in many dimensions is the root (the
 * anchor): the interpolant is f's expansion around it in interactions of 1, 2, … variables,
 * and for exp(−|x|²) on [−1, 1]⁸ that expansion around the centre needs interactions of 5
 * variables before it beats a constant. So each dimension's root is the centre or a quarter
 * point (the tree warped onto it, `warpK`), whichever the first 2d + 1 values say is nearer
 * f's mean along that axis (`anchor.ts`, option `anchor`, default 'auto'): 0.015 RMS at 10⁴
 * points there against 0.097 centred (nearest neighbour: 0.059).
 *
 * Refinement: `ask` takes the evaluated point of largest loss (by default the surplus
 * times its basis function's integral, `defaultLossSG`) and hands out its children, one dimension at a
 * time, that are not in the grid yet. A child is handed out only when each of its other
 * parents (one per dimension in which it is not at the centre) has been refined, i.e. has
 * a child in the grid: Gerstner and Griebel's admissibility rule for dimension-adaptive
 * grids, applied point by point. So a dimension whose first points show no surplus is never
 * refined further: f(x₀, x₁) in 10-D costs the 2-D grid plus the 16 first points of the
 * other dimensions.
 *
 * NaN and ±Infinity: such a value is left out of the sums (its point stands in with the
 * interpolant of its ancestors, the root with its finite children's mean); its point is
 * refined as a jump of the whole value range where a parent's value is finite (the edge of a
 * non-finite region), hardly inside one, and so is a finite point with a non-finite parent
 * (the other side of the edge); the interpolant is that value where the nearest point around
 * is non-finite. Huge (≥ 2^960) or tiny (all < 2^-900) values are held
 * scaled by a power of 2, so sums of surpluses neither overflow nor turn subnormal.
 *
 * Everything is a function of the point set (the evaluated and the pending points): losses,
 * what can be asked next, snapshots. Told points whose ancestors are not all evaluated yet
 * wait (they join the interpolant when the last ancestor is told); a pending point's
 * children are not asked until it is told.
 */

import type {
  ArraysND,
  AskOptions,
  AskResult,
  Learner,
  LearnerSnapshot,
  LossOptions,
  RecordND,
  ValueND,
} from '../types.js';
import { checkAsk, checkTellMany, describe } from '../validate.js';
import { addLoose, settle } from './anchor.js';
import { checkValid } from './check-valid.js';
import { ROOT } from './hierarchy.js';
import { checkOptions, checkPoint, checkValue } from './input.js';
import { defaultLossSG, type SparseGridLoss } from './losses.js';
import { addPending, removePoint, tellUnchecked } from './points.js';
import { askTop, creatable } from './refine.js';
import { loadSnapshot, pendingOf, snapshotOf, toldRecords } from './snapshot.js';
import { INF, SGState, TOLD } from './state.js';
import { interpolateAt } from './surplus.js';

/**
 * Options of {@link SparseGridLearner}.
 * @example const o: SparseGridLearnerOptions = { bounds: [[-1, 1], [0, 5]], maxLevel: 12 };
 */
export interface SparseGridLearnerOptions {
  /** The box: one `[a, b]` pair per dimension, finite with a < b (any number of dimensions ≥ 1). */
  bounds: readonly (readonly number[])[];
  /** The loss of one grid point (default {@link defaultLossSG}). */
  loss?: SparseGridLoss;
  /**
   * The deepest level along any dimension (default 30, at most 30): level 1 is the centre,
   * level l ≥ 2 the odd multiples of (b − a)/2^l from a (no boundary points). Lowered per
   * dimension where a finer grid would not be representable in doubles.
   */
  maxLevel?: number;
  /**
   * Where the grid is anchored (its root) along each side: `'auto'` (default: per dimension
   * the centre or a quarter point, whichever the first 2d + 1 values say is closer to f's
   * mean along it; see anchor.ts), `'centre'`, or `'quarter'` (a quarter of the way from the
   * lower bound in every dimension). The interpolant expands f around the anchor.
   */
  anchor?: SparseGridAnchor;
}

/**
 * The anchor of a {@link SparseGridLearner}'s grid (option `anchor`).
 * @example const a: SparseGridAnchor = 'quarter';
 */
export type SparseGridAnchor = 'auto' | 'centre' | 'quarter';

/** The per-dimension anchors of an `anchor` option (see hierarchy.ts's Anchor; 'auto' starts centred). */
function anchorsOf(anchor: SparseGridAnchor, d: number): Int8Array {
  return new Int8Array(d).fill(anchor === 'quarter' ? -1 : 0);
}

/** A copy of a value (vectors are kept, not referenced). */
function copyValue(v: ValueSG): number | number[] {
  return typeof v === 'number' ? v : Array.from(v);
}

/**
 * A value: a number, or a vector of fixed length (the d-dimensional learners' shared
 * {@link ValueND}).
 * @example sg.tell([0, 0], [1.5, -2]);
 */
export type ValueSG = ValueND;

/**
 * One evaluated point, as returned by {@link SparseGridLearner.toRecords} (the shared
 * {@link RecordND}).
 * @example const r: RecordSG = { x: [0, 0.5], y: 1 };
 */
export type RecordSG = RecordND;

/**
 * The evaluated points as typed arrays ({@link SparseGridLearner.toArrays}; the shared
 * {@link ArraysND}).
 * @example const { x, y, dim, vdim } = sg.toArrays();
 */
export type ArraysSG = ArraysND;

/**
 * Values of the interpolant on a grid ({@link SparseGridLearner.interpolateGrid}).
 * @example const { shape, values } = sg.interpolateGrid([[0], [-1, 0, 1]]);
 */
export interface GridSG {
  axes: number[][];
  shape: number[];
  /** Row-major (the last axis fastest), `vdim` per grid point. */
  values: Float64Array;
  vdim: number;
}
/**
 * An adaptive sparse-grid learner for many dimensions (see the module description).
 * Points are `number[]`; values numbers or fixed-length vectors.
 *
 * @example
 * const sg = new SparseGridLearner({ bounds: Array.from({ length: 8 }, () => [-1, 1]) });
 * runSync(sg, (x) => Math.exp(-x.reduce((s, v) => s + v * v, 0)), { npointsGoal: 2000 });
 * sg.interpolate([[0, 0, 0, 0, 0, 0, 0, 0.5]]); // [≈ 0.78]
 */
export class SparseGridLearner implements Learner<number[], ValueSG> {
  /** The dimension d. */
  readonly dim: number;
  /** The box, one `[a, b]` per dimension. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The loss function. */
  readonly lossFunction: SparseGridLoss;
  /** The deepest level asked for. */
  readonly maxLevel: number;
  /** The anchor option: `'auto'`, `'centre'` or `'quarter'`. */
  readonly anchor: SparseGridAnchor;
  // Everything else (replaced as a whole by restore).
  #state: SGState;

  /**
   * @throws TypeError/RangeError naming the problem: bounds not an array of finite
   *   increasing pairs, an unknown option, a loss that is not a function, a bad maxLevel.
   */
  constructor(options: SparseGridLearnerOptions) {
    const { bounds, loss, maxLevel, anchor } = checkOptions(options);
    this.dim = bounds.length;
    this.bounds = bounds;
    this.lossFunction = loss;
    this.maxLevel = maxLevel;
    this.anchor = anchor;
    this.#state = new SGState(
      this.bounds,
      loss,
      maxLevel,
      anchorsOf(anchor, this.dim),
      anchor,
      anchor === 'auto',
    );
  }

  /** An empty learner with the same options (python-adaptive's `new()`). */
  new(): SparseGridLearner {
    return new SparseGridLearner(this.#options());
  }

  #options(): SparseGridLearnerOptions {
    return {
      bounds: this.bounds,
      loss: this.lossFunction,
      maxLevel: this.maxLevel,
      anchor: this.anchor,
    };
  }

  /** Number of evaluated points. */
  get npoints(): number {
    return this.#state.nTold + this.#state.nLooseTold;
  }

  /** The points handed out (or told pending) and not told yet, in the order they came. */
  get pendingPoints(): number[][] {
    return pendingOf(this.#state);
  }

  /**
   * The anchor chosen in each dimension: -1 (a quarter of the way from the lower bound), 0
   * (the centre) or 1 (three quarters); for `anchor: 'auto'`, all 0 until the first 2d + 1
   * points are told.
   * @example new SparseGridLearner({ bounds: [[0, 1]], anchor: 'quarter' }).anchors; // [-1]
   */
  get anchors(): number[] {
    return Array.from(this.#state.anchors);
  }

  /** Values per point: 1 for numbers, m for vectors of length m (1 before any value). */
  get outputDimension(): number {
    return this.#state.outputDimension;
  }

  /** Number of grid points: evaluated and pending. */
  get gridSize(): number {
    return this.#state.grid.size;
  }

  #throwLossError(): void {
    const e = this.#state.lossError;
    if (e === null) return;
    this.#state.lossError = null;
    throw e;
  }

  /**
   * Whether `point` is a point of this learner's grid (in the box, each coordinate a grid
   * coordinate at a level ≤ maxLevel). O(d · maxLevel).
   * @example new SparseGridLearner({ bounds: [[0, 1]] }).isGridPoint([0.25]); // true
   */
  isGridPoint(point: readonly number[]): boolean {
    try {
      checkPoint(this.#state, point, 'isGridPoint');
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Whether the learner takes `point`: the same as {@link isGridPoint} (a point of the box
   * that is not a grid point is refused by `tell`).
   * @example new SparseGridLearner({ bounds: [[0, 1]] }).inDomain([0.3]); // false
   */
  inDomain(point: readonly number[]): boolean {
    return this.isGridPoint(point);
  }

  /**
   * Tells the value at a point of the grid (usually one the learner asked for). Re-telling
   * an evaluated point is ignored. O(d · ancestors) for the surplus, plus O(d²) hash
   * look-ups for the structure.
   * @throws TypeError/RangeError naming the point when it is malformed, outside the box or
   *   not a grid point, or the value has the wrong shape; the learner is then unchanged.
   * @example sg.tell([0, 0], 1);
   */
  tell(point: readonly number[], value: ValueSG): void {
    const s = this.#state;
    const h = checkPoint(s, point, 'tell');
    const len = checkValue(value, point, 'tell', s.vdim, s.vector);
    if (s.looseHit) {
      if (s.vdim === 0) s.setShape(len);
      addLoose(
        s,
        Array.from(point, (x) => x + 0),
        copyValue(value),
      );
      return;
    }
    const id = s.grid.find(s.K, h);
    if (id >= 0 && s.status[id] === TOLD) return;
    if (s.vdim === 0) s.setShape(len);
    tellUnchecked(s, s.K, h, id, value);
    this.#state = settle(s);
    this.#throwLossError();
  }

  /**
   * Tells many points: the same state as telling them one by one. Everything is validated
   * first, so a bad entry leaves the learner unchanged.
   * @example sg.tellMany([[0], [1]], [0, 2]);
   */
  tellMany(points: readonly (readonly number[])[], values: readonly ValueSG[]): void {
    const s = this.#state;
    checkTellMany('SparseGridLearner.tellMany', points, values);
    const d = this.dim;
    const keys = new Int32Array(points.length * d);
    const hashes = new Int32Array(points.length);
    const loose = new Uint8Array(points.length);
    let vdim = s.vdim;
    let vector = s.vector;
    for (let i = 0; i < points.length; i++) {
      hashes[i] = checkPoint(s, points[i], 'tellMany');
      loose[i] = s.looseHit ? 1 : 0;
      keys.set(s.K, i * d);
      const len = checkValue(values[i], points[i], 'tellMany', vdim, vector);
      if (vdim === 0) {
        vdim = len > 0 ? len : 1;
        vector = len > 0;
      }
    }
    if (points.length > 0 && s.vdim === 0) s.setShape(vector ? vdim : 0);
    const K = new Int32Array(d);
    for (let i = 0; i < points.length; i++) {
      if (loose[i] === 1) {
        addLoose(
          s,
          Array.from(points[i] as readonly number[], (x) => x + 0),
          copyValue(values[i] as ValueSG),
        );
        continue;
      }
      for (let t = 0; t < d; t++) K[t] = keys[i * d + t] as number;
      const h = hashes[i] as number;
      const id = s.grid.find(K, h);
      if (id >= 0 && s.status[id] === TOLD) continue;
      tellUnchecked(s, K, h, id, values[i] as ValueSG);
    }
    this.#state = settle(s);
    this.#throwLossError();
  }

  /**
   * Marks a grid point as being evaluated: it is not handed out, and its children wait for
   * its value. A known point (evaluated or pending) is ignored.
   * @throws TypeError/RangeError as {@link tell} does for the point.
   * @example sg.tellPending([0.5, 0]);
   */
  tellPending(point: readonly number[]): void {
    const h = checkPoint(this.#state, point, 'tellPending');
    if (this.#state.looseHit) {
      addLoose(
        this.#state,
        Array.from(point, (x) => x + 0),
        null,
      );
      return;
    }
    if (this.#state.grid.find(this.#state.K, h) >= 0) return;
    addPending(this.#state, this.#state.K, h);
  }

  /**
   * Forgets every pending point; their parents hand them out again. O(pending · d²).
   * @example sg.removeUnfinished(); sg.pendingPoints; // []
   */
  removeUnfinished(): void {
    for (const [k, p] of this.#state.loose) if (p.y === null) this.#state.loose.delete(k);
    while (this.#state.pHead >= 0) removePoint(this.#state, this.#state.pHead);
  }

  /**
   * The loss of the refinement front, divided by the value range: the largest loss of an
   * evaluated point that still has a child to hand out, or (`real`, default) whose children
   * are being evaluated; `real: false` counts pending children as done. A point whose
   * children all wait for a co-parent of smaller loss (the dimension-adaptive rule) does not
   * count until that co-parent is refined. +Infinity until the root and its 2d children (the
   * centre and the centres of the faces) are evaluated (or pending, for `real: false`); 0 when
   * nothing is left to refine. O(1) amortised.
   * @example sg.loss(); sg.loss({ real: false });
   */
  loss(options?: LossOptions): number {
    const s = this.#state;
    const real = options?.real ?? true;
    if (real ? s.firstTold < s.nFirst : s.firstTold + s.firstPend < s.nFirst) {
      return INF;
    }
    const scale = s.scale();
    let top = askTop(s, scale);
    if (real) top = Math.max(top, s.qPend.top(scale));
    return Math.max(top, 0);
  }

  /**
   * Up to `n` grid points to evaluate next, with the loss improvement of each (the loss of
   * the point they refine; +Infinity for the root and its children). The root comes first;
   * then the children of the evaluated point of largest loss. Fewer than n points when
   * every remaining child waits for a pending point's value (or the grid is complete at
   * maxLevel). With `tellPending: false` the learner is left as it was.
   * O(n · d² look-ups + log N).
   * @throws RangeError when n is not a non-negative integer.
   * @example sg.ask(2); // { points: [[0, 0], [-1, 0]], lossImprovements: [Infinity, Infinity] }
   */
  ask(n: number, options?: AskOptions): AskResult<number[]> {
    const s = this.#state;
    const tellPending = checkAsk('SparseGridLearner.ask', n, options);
    const points: number[][] = [];
    const imps: number[] = [];
    const made: number[] = [];
    const scale = s.scale();
    while (made.length < n) {
      let id: number;
      let imp: number;
      if (s.rootId < 0) {
        s.K.fill(ROOT);
        id = addPending(s, s.K, s.grid.hashOf(s.K));
        imp = INF;
      } else {
        const p = s.qAsk.peek(scale);
        if (p < 0) break;
        const h = creatable(s, p);
        if (h === null) {
          s.qAsk.delete(p); // checked when read: queued again when that may change
          continue;
        }
        imp = s.qAsk.key(p, scale);
        s.Kc.set(s.K2);
        id = addPending(s, s.Kc, h);
      }
      made.push(id);
      points.push(s.coords(id));
      imps.push(imp);
    }
    if (!tellPending) for (let i = made.length - 1; i >= 0; i--) removePoint(s, made[i] as number);
    return { points, lossImprovements: imps };
  }

  /**
   * Whether nothing is left to ask: no pending point and no evaluated point with a child
   * that may be handed out (the grid is complete up to each dimension's level cap).
   * @example new SparseGridLearner({ bounds: [[0, 1]], maxLevel: 1 }).done(); // false: the root is not asked yet
   */
  done(): boolean {
    const s = this.#state;
    if (s.rootId < 0 || s.nPending > 0) return false;
    for (;;) {
      const p = s.qAsk.peek(1);
      if (p < 0) return true;
      if (creatable(s, p) !== null) return false;
      s.qAsk.delete(p);
    }
  }

  /**
   * The sparse-grid interpolant (Σ surplus × basis over the evaluated points whose
   * ancestors are all evaluated) at one point (a number, or a vector for vector output) or
   * at many. NaN outside the box and before the centre is evaluated; where the nearest
   * contributing point has a NaN or ±Infinity value (the largest coordinate distance in the
   * unit box), that value: a non-finite region is not interpolated over. O(points on the
   * point's ancestor chains) per point: a few hundred hash look-ups in 8-D at 10⁴ points.
   * @example sg.interpolate([0, 0.5]); sg.interpolate([[0, 0], [0.25, 1]]);
   */
  interpolate(point: readonly number[]): number | number[];
  interpolate(points: readonly (readonly number[])[]): (number | number[])[];
  interpolate(
    q: readonly number[] | readonly (readonly number[])[],
  ): (number | number[]) | (number | number[])[] {
    if (!Array.isArray(q))
      throw new TypeError('SparseGridLearner.interpolate: expected a point or an array of points');
    if (q.length > 0 && typeof q[0] === 'number')
      return this.#interpolateOne(q as readonly number[]);
    return (q as readonly (readonly number[])[]).map((p) => this.#interpolateOne(p));
  }

  #interpolateOne(point: readonly number[]): number | number[] {
    const d = this.dim;
    if (!Array.isArray(point) || point.length !== d) {
      throw new TypeError(
        `SparseGridLearner.interpolate: point ${describe(point)} must have ${d} coordinates`,
      );
    }
    for (let t = 0; t < d; t++) {
      const x = point[t];
      if (typeof x !== 'number')
        throw new TypeError(
          `SparseGridLearner.interpolate: point ${describe(point)} must hold numbers`,
        );
      this.#state.u[t] = x;
    }
    const out = new Float64Array(this.outputDimension);
    interpolateAt(this.#state, out, 0);
    return this.#state.vector ? Array.from(out) : (out[0] as number);
  }

  /**
   * The interpolant on a grid: `axes[j]` lists the coordinates along dimension j
   * (`plotSlice` calls it with one fixed coordinate on the other axes). Row-major values
   * (the last axis fastest). O(grid points · chain walk).
   * @example sg.interpolateGrid([[-1, 0, 1], [0]]).values; // 3 values
   */
  interpolateGrid(axes: readonly (readonly number[])[]): GridSG {
    const d = this.dim;
    if (!Array.isArray(axes) || axes.length !== d) {
      throw new TypeError(
        `SparseGridLearner.interpolateGrid: expected ${d} axes (arrays of coordinates)`,
      );
    }
    const ax = axes.map((a, j) => {
      if (!Array.isArray(a) || a.some((x) => typeof x !== 'number'))
        throw new TypeError(
          `SparseGridLearner.interpolateGrid: axis ${j} must be an array of numbers`,
        );
      return a.slice();
    });
    const shape = ax.map((a) => a.length);
    const total = shape.reduce((p, c) => p * c, 1);
    const w = this.outputDimension;
    const values = new Float64Array(total * w);
    const idx = new Array<number>(d).fill(0);
    for (let i = 0; i < total; i++) {
      for (let t = 0; t < d; t++)
        this.#state.u[t] = (ax[t] as number[])[idx[t] as number] as number;
      interpolateAt(this.#state, values, i * w);
      for (let t = d - 1; t >= 0; t--) {
        idx[t] = (idx[t] as number) + 1;
        if ((idx[t] as number) < (shape[t] as number)) break;
        idx[t] = 0;
      }
    }
    return { axes: ax, shape, values, vdim: w };
  }

  /**
   * The hierarchical surplus at an evaluated point whose ancestors are all evaluated (a
   * number, or a vector), or undefined. O(d · maxLevel).
   * @example sg.surplus([0.5]); // f(0.5) − the interpolant of its ancestors there
   */
  surplus(point: readonly number[]): number | number[] | undefined {
    const h = checkPoint(this.#state, point, 'surplus');
    if (this.#state.looseHit) return undefined;
    const id = this.#state.grid.find(this.#state.K, h);
    if (id < 0 || this.#state.attached[id] !== 1) return undefined;
    const w = this.#state.vdim;
    const a = Array.from(
      this.#state.alpha.subarray(id * w, (id + 1) * w),
      (v) => v / this.#state.unit,
    );
    return this.#state.vector ? a : (a[0] as number);
  }

  /**
   * The evaluated points sorted lexicographically, as `{ x, y }` records. O(n log n).
   * @example sg.toRecords(); // [{ x: [-1, 0], y: 0.3 }, ...]
   */
  toRecords(): RecordSG[] {
    return toldRecords(this.#state);
  }

  /**
   * The evaluated points sorted lexicographically as typed arrays. O(n log n).
   * @example const { x, y, dim, vdim } = sg.toArrays();
   */
  toArrays(): ArraysSG {
    const d = this.dim;
    const w = this.outputDimension;
    const recs = toldRecords(this.#state);
    const x = new Float64Array(recs.length * d);
    const y = new Float64Array(recs.length * w);
    recs.forEach((r, i) => {
      x.set(r.x, i * d);
      if (typeof r.y === 'number') y[i * w] = r.y;
      else y.set(r.y, i * w);
    });
    return { x, y, dim: d, vdim: w };
  }

  /**
   * A versioned, JSON-safe snapshot: the options' data, the evaluated points and values in
   * lexicographic order, the pending points in order. Surpluses and losses are not stored:
   * restore recomputes them. O(n log n).
   * @example const copy = sg.new(); copy.restore(JSON.parse(JSON.stringify(sg.snapshot())));
   */
  snapshot(): LearnerSnapshot {
    return snapshotOf(this.#state);
  }

  /**
   * Replaces this learner's state by a snapshot's. Every point is checked against the grid
   * and every surplus and loss recomputed from the values. A malformed or foreign snapshot
   * throws a TypeError naming the problem and leaves the learner as it was. O(n · tell).
   * @example sg.restore(snapshot);
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new SparseGridLearner(this.#options());
    loadSnapshot(fresh.#state, snapshot);
    this.#state = settle(fresh.#state);
    this.#state.lossError = null; // a custom loss's complaint was raised when the data was told
  }

  /**
   * Throws if an internal invariant does not hold (for tests): the hash table, the child
   * counts, attachment, every surplus recomputed from scratch (its ancestors' basis
   * functions at the point), the queues. O(N · (d² + ancestors · d)).
   * @example sg.checkValid();
   */
  checkValid(): void {
    checkValid(this.#state);
  }
}
