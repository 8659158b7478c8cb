/**
 * BalancingLearner: one learner over many child learners, so that many functions (or one
 * function at many parameters) are sampled by one run on one pool of workers.
 *
 * Port of python-adaptive `balancing_learner.py` (v1.5.2): a point is `[index, childPoint]`,
 * the four strategies choose the child of each point, `loss()` is the largest child loss and
 * `npoints` the total. Differences:
 * - children may be of any mix of learner types (python-adaptive requires one type);
 * - `ask(n, { tellPending: false })` never touches the children, so their pending points stay
 *   (python-adaptive snapshots and restores the children, and the snapshots drop every
 *   pending point: its §15.2 #1);
 * - one ask shares its n points out first and then asks each chosen child once for its share,
 *   `child.ask(k)`: the children choose their k points together (for Learner1D the same
 *   water-filling as a batch ask), and both `tellPending` modes return the same points;
 * - within one ask the `loss` strategy lowers a child's loss by the improvements of the
 *   points it was given (python-adaptive reads a stale cached loss, so every point of one
 *   ask goes to the same child: #8);
 * - ties go to the child with the fewest points (evaluated + pending + given in this ask),
 *   then to the lowest index, so points spread over the children (python-adaptive #159);
 * - a child with no point left to give (a finished SequenceLearner) is passed over;
 * - `done()` exists when every child has one, and is true when all children are done.
 *
 * Hot path (`'lossImprovements'`, the runner's ask of one point): every child's
 * `ask(1, { tellPending: false })` is cached and only the child that changed is asked again,
 * so a point costs one scan over the children plus two asks and one tell of one child.
 */
import { errorText } from '../util/validate.js';
import type {
  AskOptions,
  AskResult,
  Learner,
  LearnerSnapshot,
  LossOptions,
  PointOf,
  ValueOf,
} from './types.js';
import {
  checkAsk,
  checkAskLimit,
  checkOptionKeys,
  checkTellMany,
  describe,
  snapshotReader,
} from './validate.js';

/**
 * How {@link BalancingLearner} chooses the child of each point:
 * - `'lossImprovements'` (default): the child whose next point has the largest loss
 *   improvement (its `ask(…, { tellPending: false })`);
 * - `'loss'`: the child with the largest `loss({ real: false })`;
 * - `'npoints'`: the child with the fewest points (evaluated + pending);
 * - `'cycle'`: the children in turn.
 *
 * @example
 * const b = new BalancingLearner(learners, { strategy: 'npoints' });
 * b.strategy = 'cycle'; // settable at any time
 */
export type BalancingStrategy = 'lossImprovements' | 'loss' | 'npoints' | 'cycle';

/**
 * The strategies, in the order of {@link BalancingStrategy}.
 * @example BALANCING_STRATEGIES.includes('loss') // true
 */
export const BALANCING_STRATEGIES: readonly BalancingStrategy[] = [
  'lossImprovements',
  'loss',
  'npoints',
  'cycle',
];

/** Options of {@link BalancingLearner}. */
export interface BalancingLearnerOptions<C> {
  /** How the child of each point is chosen (default `'lossImprovements'`). */
  strategy?: BalancingStrategy | undefined;
  /**
   * A label per child (python-adaptive's `cdims`), e.g. its parameters; one per learner.
   * Default `{ i: index }`. {@link BalancingLearner.fromProduct} sets them.
   */
  cdims?: readonly C[] | undefined;
}

/** A point of a {@link BalancingLearner}: the index of a child and the child's point. */
export type BalancingPoint<L> = [index: number, point: PointOf<L>];

/** The parameter combinations of {@link BalancingLearner.fromProduct}: one value per key. */
export type ProductParams<K extends Record<string, readonly unknown[]>> = {
  [k in keyof K]: K[k][number];
};

/** Any learner, as a child of a {@link BalancingLearner}. */
export type AnyLearner = Learner<unknown, unknown>;

const OPTION_KEYS = ['strategy', 'cdims'];
const SNAPSHOT_VERSION = 1;
const INF = Number.POSITIVE_INFINITY;
/**
 * The most points one ask may request: `ask(n)` asks each child for n candidates, so n is
 * bounded per ask (as AverageLearner1D's), not by what the children hold together.
 */
const MAX_ASK = 2 ** 24;

function checkStrategy(where: string, s: unknown): BalancingStrategy {
  if (!BALANCING_STRATEGIES.includes(s as BalancingStrategy)) {
    throw new RangeError(
      `${where}: unknown strategy ${describe(s)} (one of ${BALANCING_STRATEGIES.map((x) => `'${x}'`).join(', ')})`,
    );
  }
  return s as BalancingStrategy;
}

/** NaN ranks as +Infinity: an unknown loss or improvement counts as not yet small. */
function rank(x: number): number {
  return Number.isNaN(x) ? INF : x;
}

const EMPTY: AskResult<unknown> = { points: [], lossImprovements: [] };
const NO_PENDING: AskOptions = Object.freeze({ tellPending: false });

/**
 * Samples several learners at once: each point goes to the child that needs it most (see
 * {@link BalancingStrategy}). Children may be of different types; their losses should be
 * comparable for the `'loss'` and `'lossImprovements'` strategies.
 *
 * Goals of a run apply to the whole: `npointsGoal` counts the points of all children and
 * `lossGoal` is met when every child's loss is at most the goal (the loss is the largest).
 * For a number of points per child use `goal: (b) => b.learners.every((l) => l.npoints >= 50)`.
 *
 * Change the children only through the BalancingLearner: it caches what each child would
 * ask next and refreshes a child's cache when it tells, marks pending or asks it (a child
 * whose `npoints` changed behind its back is noticed; other direct changes are not).
 *
 * Asked one point at a time (a serial run), every strategy makes python-adaptive's choices:
 * the same points for the same data.
 *
 * @example
 * const learners = [1, 2, 3].map(() => new Learner1D({ bounds: [-1, 1] }));
 * const b = new BalancingLearner(learners);
 * const fs = [(x: number) => x, (x: number) => x * x, (x: number) => Math.sin(5 * x)];
 * await run(b, b.dispatch(fs), { npointsGoal: 300, concurrency: 4 });
 * b.learners.map((l) => l.npoints); // [65, 91, 147]
 */
export class BalancingLearner<L extends AnyLearner = AnyLearner, C = Record<string, unknown>>
  implements Learner<BalancingPoint<L>, ValueOf<L>>
{
  /** The children, in index order. */
  readonly learners: readonly L[];
  /** A label per child (its parameters for {@link fromProduct}; default `{ i: index }`). */
  readonly cdims: readonly C[];
  /** Present when every child has `done()`: whether every child is done. */
  readonly done?: () => boolean;

  #strategy: BalancingStrategy;
  /** The next child of the `'cycle'` strategy. */
  #cycle = 0;
  // Per child: the child's npoints when the caches were filled, and the cached
  // `ask(candN, { tellPending: false })` (candN 0: none).
  readonly #stamp: Float64Array;
  readonly #candN: Int32Array;
  readonly #candP: unknown[][];
  readonly #candI: number[][];
  // Per child: cached loss (real), loss (real: false), npoints + pending (NaN: not cached).
  readonly #lossR: Float64Array;
  readonly #lossP: Float64Array;
  readonly #total: Float64Array;
  // Scratch of one ask.
  readonly #alloc: Int32Array;
  readonly #out: Uint8Array;
  readonly #acc: Float64Array;

  /**
   * @param learners the children (at least one; any learner types; each object once).
   * @param options `{ strategy, cdims }`.
   * @throws RangeError for an empty list or an unknown strategy, TypeError for anything that
   *   is not a list of distinct learners or an unknown option.
   */
  constructor(learners: readonly L[], options: BalancingLearnerOptions<C> = {}) {
    if (!Array.isArray(learners)) {
      throw new TypeError(
        `BalancingLearner: learners must be an array of learners, got ${describe(learners)}`,
      );
    }
    if (learners.length === 0) {
      throw new RangeError('BalancingLearner: the list of learners is empty; give at least one');
    }
    const seen = new Map<unknown, number>();
    learners.forEach((l, i) => {
      const r = l as unknown as Record<string, unknown> | null;
      if (r === null || typeof r !== 'object') {
        throw new TypeError(`BalancingLearner: learners[${i}] is not a learner: ${describe(l)}`);
      }
      for (const m of ['ask', 'tell', 'tellMany', 'tellPending', 'removeUnfinished', 'loss']) {
        if (typeof r[m] !== 'function') {
          throw new TypeError(`BalancingLearner: learners[${i}] has no ${m}() method`);
        }
      }
      const j = seen.get(l);
      if (j !== undefined) {
        throw new TypeError(
          `BalancingLearner: learners[${i}] is the same object as learners[${j}]; give each child its own learner`,
        );
      }
      seen.set(l, i);
    });
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`BalancingLearner: options must be an object, got ${describe(options)}`);
    }
    checkOptionKeys('BalancingLearner', options, OPTION_KEYS);
    this.#strategy = checkStrategy('BalancingLearner', options.strategy ?? 'lossImprovements');
    const n = learners.length;
    if (options.cdims !== undefined) {
      if (!Array.isArray(options.cdims) || options.cdims.length !== n) {
        throw new TypeError(
          `BalancingLearner: cdims must be an array of one label per learner (${n}), got ${describe(options.cdims)}`,
        );
      }
      this.cdims = Object.freeze([...options.cdims]);
    } else {
      this.cdims = Object.freeze(Array.from({ length: n }, (_, i) => ({ i }) as C));
    }
    this.learners = Object.freeze([...learners]);
    if (learners.every((l) => typeof l.done === 'function')) {
      const ls = this.learners;
      this.done = () => ls.every((l) => (l.done as () => boolean)());
    }
    this.#candN = new Int32Array(n);
    this.#stamp = new Float64Array(n).fill(Number.NaN);
    this.#candP = new Array(n).fill(EMPTY.points);
    this.#candI = new Array(n).fill(EMPTY.lossImprovements);
    this.#lossR = new Float64Array(n).fill(Number.NaN);
    this.#lossP = new Float64Array(n).fill(Number.NaN);
    this.#total = new Float64Array(n).fill(Number.NaN);
    this.#alloc = new Int32Array(n);
    this.#out = new Uint8Array(n);
    this.#acc = new Float64Array(n);
  }

  /**
   * One child per combination of parameter values (the cartesian product, the last key
   * varying fastest), built by `makeLearner(params, index)`; `cdims` are the combinations.
   * Evaluate its points with {@link dispatch}. O(number of combinations).
   *
   * @example
   * const b = BalancingLearner.fromProduct({ a: [1, 2], phase: [0, 0.5] }, () =>
   *   new Learner1D({ bounds: [0, 1] }));
   * b.cdims; // [{ a: 1, phase: 0 }, { a: 1, phase: 0.5 }, { a: 2, phase: 0 }, { a: 2, phase: 0.5 }]
   * await run(b, b.dispatch((x, { a, phase }) => Math.sin(a * x + phase)), { lossGoal: 0.01 });
   */
  static fromProduct<const K extends Record<string, readonly unknown[]>, L extends AnyLearner>(
    combos: K,
    makeLearner: (params: ProductParams<K>, index: number) => L,
    options: { strategy?: BalancingStrategy | undefined } = {},
  ): BalancingLearner<L, ProductParams<K>> {
    const where = 'BalancingLearner.fromProduct';
    if (combos === null || typeof combos !== 'object' || Array.isArray(combos)) {
      throw new TypeError(
        `${where}: combos must be an object of value lists, e.g. { a: [1, 2], b: ['x', 'y'] }, got ${describe(combos)}`,
      );
    }
    if (typeof makeLearner !== 'function') {
      throw new TypeError(`${where}: makeLearner must be a function, got ${describe(makeLearner)}`);
    }
    const keys = Object.keys(combos);
    for (const k of keys) {
      const v = combos[k];
      if (!Array.isArray(v)) {
        throw new TypeError(`${where}: combos.${k} must be an array of values, got ${describe(v)}`);
      }
      if (v.length === 0) {
        throw new RangeError(`${where}: combos.${k} is empty, so there is no combination`);
      }
    }
    let params: Record<string, unknown>[] = [{}];
    for (const k of keys) {
      const next: Record<string, unknown>[] = [];
      for (const p of params)
        for (const v of combos[k] as readonly unknown[]) next.push({ ...p, [k]: v });
      params = next;
    }
    const cdims = params as ProductParams<K>[];
    const learners = cdims.map((p, i) => makeLearner(p, i));
    return new BalancingLearner<L, ProductParams<K>>(learners, {
      strategy: options.strategy,
      cdims,
    });
  }

  /**
   * An evaluate function for the points of this learner, `([i, x]) => f(x, cdims[i], i)`,
   * or, given one function per child, `([i, x]) => fs[i](x)`. The returned function holds
   * `f` and the labels, never the learner. O(1) per call.
   *
   * @example
   * run(b, b.dispatch((x, { a }) => Math.exp(-a * x * x)), { npointsGoal: 1000 });
   * run(b, b.dispatch([f0, f1, f2]), { npointsGoal: 1000 });
   */
  dispatch<R>(
    f: (point: PointOf<L>, params: C, index: number) => R,
  ): (point: readonly [number, PointOf<L>]) => R;
  dispatch<R>(
    fs: readonly ((point: PointOf<L>) => R)[],
  ): (point: readonly [number, PointOf<L>]) => R;
  dispatch<R>(
    f: ((point: PointOf<L>, params: C, index: number) => R) | readonly ((point: PointOf<L>) => R)[],
  ): (point: readonly [number, PointOf<L>]) => R {
    const n = this.learners.length;
    const check = (point: readonly [number, PointOf<L>]): number => {
      const i = Array.isArray(point) ? (point[0] as unknown) : undefined;
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(
          `BalancingLearner.dispatch: the point must be [index, childPoint] with an index in [0, ${n - 1}], got ${describe(point)}`,
        );
      }
      return i;
    };
    if (Array.isArray(f)) {
      const fs = [...(f as readonly ((point: PointOf<L>) => R)[])];
      if (fs.length !== n || fs.some((g) => typeof g !== 'function')) {
        throw new TypeError(
          `BalancingLearner.dispatch: give one function per child (${n}), got ${describe(f)}`,
        );
      }
      return (point) => (fs[check(point)] as (point: PointOf<L>) => R)(point[1]);
    }
    if (typeof f !== 'function') {
      throw new TypeError(
        `BalancingLearner.dispatch: f must be a function (x, params, index) => value, got ${describe(f)}`,
      );
    }
    const g = f as (point: PointOf<L>, params: C, index: number) => R;
    const cdims = this.cdims;
    return (point) => {
      const i = check(point);
      return g(point[1], cdims[i] as C, i);
    };
  }

  /** The strategy; settable at any time (python-adaptive allows it too). */
  get strategy(): BalancingStrategy {
    return this.#strategy;
  }

  set strategy(s: BalancingStrategy) {
    this.#strategy = checkStrategy('BalancingLearner.strategy', s);
  }

  /** Total evaluated points of the children. O(children). */
  get npoints(): number {
    let n = 0;
    for (const l of this.learners) n += l.npoints;
    return n;
  }

  /** The children's pending points as `[index, point]`, by child. O(pending). */
  get pendingPoints(): BalancingPoint<L>[] {
    const out: BalancingPoint<L>[] = [];
    this.learners.forEach((l, i) => {
      for (const p of l.pendingPoints) out.push([i, p as PointOf<L>]);
    });
    return out;
  }

  // ---------------------------------------------------------------- caches

  #invalidate(i: number): void {
    this.#candN[i] = 0;
    this.#lossR[i] = Number.NaN;
    this.#lossP[i] = Number.NaN;
    this.#total[i] = Number.NaN;
  }

  #invalidateAll(): void {
    for (let i = 0; i < this.learners.length; i++) this.#invalidate(i);
  }

  /** Drops the caches of a child whose `npoints` changed since they were filled. */
  #fresh(i: number): void {
    const np = (this.learners[i] as L).npoints;
    if (this.#stamp[i] !== np) {
      this.#invalidate(i);
      this.#stamp[i] = np;
    }
  }

  /** The child's `ask(m, { tellPending: false })`, cached per child for the last m; returns its size. */
  #cand(i: number, m: number): number {
    this.#fresh(i);
    if (this.#candN[i] !== m) {
      let r: AskResult<unknown>;
      try {
        r = (this.learners[i] as L).ask(m, NO_PENDING);
      } catch (e) {
        // A child that cannot give m points (it is full): say which, the learner unchanged.
        if (!(e instanceof RangeError)) throw e;
        throw new RangeError(
          `BalancingLearner.ask: learner ${i} cannot give ${m} points: ${errorText(e)}`,
          { cause: e },
        );
      }
      this.#candP[i] = r.points;
      this.#candI[i] = r.lossImprovements;
      this.#candN[i] = m;
    }
    return Math.min(m, (this.#candP[i] as unknown[]).length);
  }

  #totalOf(i: number): number {
    this.#fresh(i);
    let t = this.#total[i] as number;
    if (Number.isNaN(t)) {
      const l = this.learners[i] as L;
      t = l.npoints + l.pendingPoints.length;
      this.#total[i] = t;
    }
    return t;
  }

  #childLoss(i: number, real: boolean): number {
    this.#fresh(i);
    const cache = real ? this.#lossR : this.#lossP;
    let v = cache[i] as number;
    if (Number.isNaN(v)) {
      v = rank((this.learners[i] as L).loss({ real }));
      cache[i] = v;
    }
    return v;
  }

  // ---------------------------------------------------------------- ask

  /**
   * Returns up to `n` points `[index, childPoint]` chosen by the strategy, with the loss
   * improvement of each (the child's). The n points are shared out first (ties to the child
   * with the fewest points, then the lowest index); then each chosen child is asked once for
   * its share (by loss improvements: the first points of the candidates ranked, told pending). Fewer than n points only when the children have no more to give. With
   * `tellPending: false` no child is changed. O(n · children) plus the children's asks.
   * @throws RangeError when n is not a non-negative integer or more than 2^24 (the limit
   * of one ask), or when a child cannot give n points (the error names it).
   */
  ask(n: number, options?: AskOptions): AskResult<BalancingPoint<L>> {
    const tellPending = checkAsk('BalancingLearner.ask', n, options);
    checkAskLimit('BalancingLearner.ask', n, 0, MAX_ASK);
    if (n === 0) return { points: [], lossImprovements: [] };
    if (n === 1 && this.#strategy === 'lossImprovements') return this.#askOne(tellPending);
    const C = this.learners.length;
    const alloc = this.#alloc;
    const out = this.#out;
    const acc = this.#acc;
    alloc.fill(0);
    out.fill(0);
    acc.fill(0);
    const order: number[] = [];
    const strategy = this.#strategy;
    const byImprovement = strategy === 'lossImprovements';
    if (byImprovement) for (let c = 0; c < C; c++) if (this.#cand(c, n) === 0) out[c] = 1;
    let cursor = this.#cycle;
    while (order.length < n) {
      let best = -1;
      if (strategy === 'cycle') {
        for (let j = 0; j < C; j++) {
          const c = (cursor + j) % C;
          if (out[c] === 0) {
            best = c;
            break;
          }
        }
      } else {
        best = this.#choose(strategy);
      }
      if (best < 0) break; // every child is out of points
      const k = alloc[best] as number;
      if (!byImprovement && k >= this.#cand(best, n)) {
        out[best] = 1; // it has no further point to give: choose again
        continue;
      }
      if (strategy === 'loss')
        acc[best] = (acc[best] as number) + rank(this.#candI[best]?.[k] ?? 0);
      alloc[best] = k + 1;
      if (byImprovement && k + 1 >= (this.#candP[best] as unknown[]).length) out[best] = 1;
      order.push(best);
      cursor = (best + 1) % C;
    }
    // Each chosen child gives its share in one ask. By loss improvements, the share is the
    // first k of the candidates the slots were ranked by (told pending one by one): a child's
    // ask(k) is not the first k points of its ask(n) (Learner1D shares n points out over its
    // intervals), so the points handed out had improvements other than the ones ranked, and
    // at a tie of two children broken by rounding (f and f × 1e300, one ulp apart) the
    // batches differed in points of unequal improvement (issue 13, scaleRobust).
    const res: (AskResult<unknown> | undefined)[] = new Array(C);
    for (let c = 0; c < C; c++) {
      const k = alloc[c] as number;
      if (k === 0) continue;
      if (byImprovement) {
        const l = this.learners[c] as L;
        const points = (this.#candP[c] as unknown[]).slice(0, k);
        const lossImprovements = (this.#candI[c] as number[]).slice(0, k);
        if (tellPending) {
          for (const p of points) l.tellPending(p as PointOf<L>);
          this.#invalidate(c);
        }
        res[c] = { points, lossImprovements };
      } else if (!tellPending && this.#candN[c] === k) {
        res[c] = {
          points: this.#candP[c] as unknown[],
          lossImprovements: this.#candI[c] as number[],
        };
      } else {
        const l = this.learners[c] as L;
        res[c] = tellPending ? l.ask(k) : l.ask(k, NO_PENDING);
        if (tellPending) this.#invalidate(c);
      }
    }
    if (tellPending && strategy === 'cycle') this.#cycle = cursor;
    const points: BalancingPoint<L>[] = [];
    const imps: number[] = [];
    alloc.fill(0);
    for (const c of order) {
      const r = res[c] as AskResult<unknown>;
      const j = alloc[c] as number;
      alloc[c] = j + 1;
      if (j >= r.points.length) continue;
      points.push([c, r.points[j] as PointOf<L>]);
      imps.push(r.lossImprovements[j] as number);
    }
    return { points, lossImprovements: imps };
  }

  /** `ask(1)` with the `'lossImprovements'` strategy: the runner's hot path, no scratch. */
  #askOne(tellPending: boolean): AskResult<BalancingPoint<L>> {
    const C = this.learners.length;
    let best = -1;
    let bk = 0;
    let bt = Number.NaN;
    for (let c = 0; c < C; c++) {
      if (this.#cand(c, 1) === 0) continue;
      const key = rank((this.#candI[c] as number[])[0] as number);
      if (best < 0 || key > bk) {
        best = c;
        bk = key;
        bt = Number.NaN;
        continue;
      }
      if (key < bk) continue;
      if (Number.isNaN(bt)) bt = this.#totalOf(best);
      const t = this.#totalOf(c);
      if (t < bt) {
        best = c;
        bt = t;
      }
    }
    if (best < 0) return { points: [], lossImprovements: [] };
    let r: AskResult<unknown>;
    if (tellPending) {
      r = (this.learners[best] as L).ask(1);
      this.#invalidate(best);
      if (r.points.length === 0) return { points: [], lossImprovements: [] };
    } else {
      r = {
        points: this.#candP[best] as unknown[],
        lossImprovements: this.#candI[best] as number[],
      };
    }
    return {
      points: [[best, r.points[0] as PointOf<L>]],
      lossImprovements: [r.lossImprovements[0] as number],
    };
  }

  /**
   * The child of the next slot: the largest key, then the fewest points (evaluated, pending
   * and given in this ask), then the lowest index. The total of a child is read only when
   * its key ties.
   */
  #choose(strategy: BalancingStrategy): number {
    const C = this.learners.length;
    const alloc = this.#alloc;
    const out = this.#out;
    let best = -1;
    let bk = 0;
    let bt = Number.NaN;
    for (let c = 0; c < C; c++) {
      if (out[c] !== 0) continue;
      const k = alloc[c] as number;
      let key: number;
      if (strategy === 'lossImprovements') key = rank(this.#candI[c]?.[k] as number);
      else if (strategy === 'loss') {
        // The child's loss, lowered by the improvements of the points it got in this ask.
        const l = this.#childLoss(c, false);
        key = k === 0 || l === INF ? l : l - (this.#acc[c] as number);
      } else key = 0; // npoints: the totals decide
      if (best < 0 || key > bk) {
        best = c;
        bk = key;
        bt = Number.NaN;
        continue;
      }
      if (key < bk) continue;
      if (Number.isNaN(bt)) bt = this.#totalOf(best) + (alloc[best] as number);
      const t = this.#totalOf(c) + k;
      if (t < bt) {
        best = c;
        bt = t;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------- tell

  #index(point: unknown, what: string): number {
    if (!Array.isArray(point) || point.length !== 2) {
      throw new TypeError(
        `BalancingLearner.${what}: a point is [index, childPoint], got ${describe(point)}`,
      );
    }
    const i = point[0] as unknown;
    const n = this.learners.length;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(
        `BalancingLearner.${what}: the index of point ${describe(point)} must be an integer in [0, ${n - 1}]`,
      );
    }
    return i;
  }

  /**
   * In the `'cycle'` strategy a child at the cycle's position that gets a new pending point,
   * or is told a value that was not pending (an answer to `ask(…, { tellPending: false })`
   * or unrequested data), moves the position on: the children then take turns whichever
   * way the points are asked.
   */
  #cycleStep(i: number, change: () => void, pendingCall: boolean): void {
    if (this.#strategy !== 'cycle' || i !== this.#cycle) {
      change();
      return;
    }
    const l = this.learners[i] as L;
    const p0 = l.pendingPoints.length;
    const n0 = l.npoints;
    change();
    const p1 = l.pendingPoints.length;
    const moved = pendingCall ? p1 > p0 : l.npoints > n0 && p1 === p0;
    if (moved) this.#cycle = (i + 1) % this.learners.length;
  }

  /**
   * Tells the value of `[index, childPoint]` to that child. O(child's tell).
   * @throws TypeError/RangeError naming the point for a bad index, or the child's error;
   *   the learner is then unchanged.
   */
  tell(point: BalancingPoint<L>, value: ValueOf<L>): void {
    const i = this.#index(point, 'tell');
    if (this.#strategy === 'cycle' && i === this.#cycle) {
      this.#cycleStep(i, () => (this.learners[i] as L).tell(point[1], value), false);
    } else (this.learners[i] as L).tell(point[1], value);
    this.#invalidate(i);
  }

  /**
   * Tells many points: the indices are checked first, then each child gets its points in one
   * `tellMany` (in the `'cycle'` strategy, one by one). A child that rejects its points
   * throws after the children before it took theirs.
   */
  tellMany(points: readonly BalancingPoint<L>[], values: readonly ValueOf<L>[]): void {
    checkTellMany('BalancingLearner.tellMany', points, values);
    const idx = points.map((p) => this.#index(p, 'tellMany'));
    if (this.#strategy === 'cycle') {
      for (let k = 0; k < idx.length; k++)
        this.tell(points[k] as BalancingPoint<L>, values[k] as ValueOf<L>);
      return;
    }
    const groups = new Map<number, { p: unknown[]; v: unknown[] }>();
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k] as number;
      let g = groups.get(i);
      if (g === undefined) {
        g = { p: [], v: [] };
        groups.set(i, g);
      }
      g.p.push((points[k] as BalancingPoint<L>)[1]);
      g.v.push(values[k]);
    }
    for (const [i, g] of groups) {
      this.#invalidate(i);
      (this.learners[i] as L).tellMany(g.p, g.v);
    }
  }

  /** Marks `[index, childPoint]` pending in that child. O(child's tellPending). */
  tellPending(point: BalancingPoint<L>): void {
    const i = this.#index(point, 'tellPending');
    this.#cycleStep(i, () => (this.learners[i] as L).tellPending(point[1]), true);
    this.#invalidate(i);
  }

  /** Forgets every child's pending points. */
  removeUnfinished(): void {
    for (const l of this.learners) l.removeUnfinished();
    this.#invalidateAll();
  }

  /**
   * The largest child loss (`real: false`: the largest child loss including pending
   * points); a NaN child loss counts as +Infinity. O(children), cached per child.
   */
  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.learners.length; i++) {
      const v = this.#childLoss(i, real);
      if (v > m) m = v;
    }
    return m;
  }

  // ---------------------------------------------------------------- data out

  /**
   * The children's records (their `toRecords()`), each with the child's index:
   * `{ index, ...record }`, by child. O(n).
   * @throws TypeError when a child has no `toRecords()`.
   */
  toRecords(): ({ index: number } & Record<string, unknown>)[] {
    const out: ({ index: number } & Record<string, unknown>)[] = [];
    this.learners.forEach((l, index) => {
      const f = (l as unknown as { toRecords?: () => Record<string, unknown>[] }).toRecords;
      if (typeof f !== 'function') {
        throw new TypeError(`BalancingLearner.toRecords: learners[${index}] has no toRecords()`);
      }
      for (const r of f.call(l)) out.push({ index, ...r });
    });
    return out;
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: the strategy, the cycle position and one snapshot per
   * child, in index order. Restore it into a BalancingLearner of children built with the
   * same options. O(n).
   */
  snapshot(): LearnerSnapshot {
    return {
      type: 'BalancingLearner',
      version: SNAPSHOT_VERSION,
      strategy: this.#strategy,
      cycle: this.#cycle,
      learners: this.learners.map((l) => l.snapshot()),
    };
  }

  /**
   * Restores every child from its snapshot, and the strategy. A malformed snapshot, or one
   * a child rejects, throws a TypeError and leaves every child as it was (the children
   * restored before the failure are rolled back). O(n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const s = snapshot;
    const { bad } = snapshotReader('BalancingLearner', SNAPSHOT_VERSION, s);
    const n = this.learners.length;
    if (!Array.isArray(s.learners) || s.learners.length !== n) {
      bad(
        `the snapshot has ${Array.isArray(s.learners) ? s.learners.length : 'no'} child snapshots, this learner ${n} children`,
      );
    }
    if (!BALANCING_STRATEGIES.includes(s.strategy as BalancingStrategy))
      bad(`unknown strategy ${describe(s.strategy)}`);
    const cycle = s.cycle;
    if (typeof cycle !== 'number' || !Number.isInteger(cycle) || cycle < 0 || cycle >= n)
      bad(`cycle must be a child index, got ${describe(cycle)}`);
    const snaps = s.learners as LearnerSnapshot[];
    const backups: LearnerSnapshot[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const l = this.learners[i] as L;
        const backup = l.snapshot();
        try {
          l.restore(snaps[i] as LearnerSnapshot);
        } catch (e) {
          const msg = errorText(e);
          throw new TypeError(`BalancingLearner.restore: learners[${i}]: ${msg}`, { cause: e });
        }
        backups.push(backup);
      }
    } catch (e) {
      for (let i = 0; i < backups.length; i++) {
        (this.learners[i] as L).restore(backups[i] as LearnerSnapshot);
      }
      this.#invalidateAll();
      throw e;
    }
    this.#strategy = s.strategy as BalancingStrategy;
    this.#cycle = cycle as number;
    this.#invalidateAll();
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): each child's
   * `new()`, the same strategy and cdims. O(children).
   * @throws TypeError naming the child that has no `new()` method.
   * @example
   * new BalancingLearner([new Learner1D({ bounds: [0, 1] })]).new().npoints; // 0
   */
  new(): BalancingLearner<L, C> {
    const children = this.learners.map((l, i) => {
      const f = (l as unknown as { new?: () => L }).new;
      if (typeof f !== 'function') {
        throw new TypeError(`BalancingLearner.new: learners[${i}] has no new() method`);
      }
      return f.call(l);
    });
    return new BalancingLearner<L, C>(children, { strategy: this.#strategy, cdims: this.cdims });
  }
}
