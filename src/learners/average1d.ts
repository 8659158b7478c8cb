/**
 * AverageLearner1D: adaptive sampling of a noisy function f(seed, x) on [a, b]: new points
 * where the curve of the means is poorly resolved, more samples where a mean is uncertain.
 *
 * Port of python-adaptive `average_learner1D.py` (v1.5.2) on top of our {@link Learner1D}
 * (which learns the curve of the means), with these differences:
 * - the options survive a snapshot (python-adaptive's unpickling resets them to defaults);
 * - repeated asks without tells never hand out a point twice (python-adaptive #9: its
 *   pending points are `(seed, x)` pairs that its bounds check never finds, and it reuses
 *   seeds that are still pending); an under-sampled point whose missing samples are all
 *   pending is passed over until they arrive;
 * - `tellMany` is the same as telling one by one (python-adaptive's batch path averages
 *   differently and ignores `neighborSampling`);
 * - the variance of a mean is kept incrementally (shifted sums, O(1) a sample) instead of
 *   summing over every sample again (O(n) a sample); non-finite samples are kept but left out
 *   of the mean and its error;
 * - the Student-t quantile is ours ({@link tQuantile}), cached per degree of freedom;
 * - the rescaled error measures x in units of the width of the bounds, the error and the
 *   mean differences in units of the y range (python-adaptive in raw units), so f and
 *   f·1e300, on [0, 1] or [0, 1e300], ask the same points, as far as rounding allows; and a
 *   missing bound is asked before any resampling once two x are known;
 * - a rescaled error that is NaN (next to a mean with no finite sample) ranks as -Infinity:
 *   in python-adaptive's sorted dict, as in our queue, NaN keys have no defined order;
 * - a noise floor: a point is not resampled for precision once its error (in units of the
 *   y range) is at most `delta · loss() / 8`; the point resampled is the one with the
 *   largest rescaled error above `delta` among those above the floor, else a new point
 *   comes. python-adaptive resamples while error > delta × the distance to the nearer
 *   neighbour, whatever that distance: at a jump the interval across it keeps a loss of
 *   about 1 while it is halved down to the x resolution, so each point beside it sits twice
 *   as close as the one before and wants four times its samples, and a loss-goal run never
 *   ends (a noisy step, lossGoal 0.05: 13 points in 5.8M samples after 60 s; now 81 points,
 *   404 037 samples). A noise below the floor cannot change which interval is refined next
 *   (it moves the losses of its intervals by about its size); on smooth curves a point's
 *   neighbours lie about loss() / 2 apart, so the floor seldom binds (a sharp feature at a
 *   coarse resolution, e.g. tanh(100x), has a few resamplings come later). With a loss that
 *   is Infinity or NaN there is no floor.
 */
import { decodeNumber, encodeNumber } from '../io/json.js';
import { IndexedHeap } from '../queue/heap.js';
import type { TieKeys } from '../queue/types.js';
import { hypot } from '../util/hypot.js';
import { Learner1D } from './learner1d.js';
import type { IntervalLoss } from './losses1d.js';
import {
  addFinite,
  errorInMean,
  finiteMin,
  NOISE_FLOOR,
  readAveragingOptions,
  resampleRunLimit,
  runningMean,
  type SampleStats,
  tCacheFor,
} from './sample-stats.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import {
  checkAsk,
  checkAskLimit,
  checkOptionKeys,
  checkTellMany,
  describe,
  snapshotReader,
} from './validate.js';

/** A point of {@link AverageLearner1D}: a seed (the source of randomness) and an x. */
export type SeedPoint = [seed: number, x: number];

/** Options of {@link AverageLearner1D}; the defaults are python-adaptive's. */
export interface AverageLearner1DOptions {
  /** The domain `[a, b]`. */
  bounds: readonly [number, number];
  /** The loss of one interval of the curve of means (default: `defaultLoss`). */
  loss?: IntervalLoss;
  /**
   * Resample a point while its error exceeds `delta` × its smallest neighbouring interval
   * and `delta` × loss() / 8, in units of the y range (0 < delta ≤ 1, default 0.2).
   */
  delta?: number;
  /** The mean lies within ± error with probability 1 − 2·alpha (0 < alpha < 1, default 0.005). */
  alpha?: number;
  /** A new point is under-sampled until it has `neighborSampling` × its neighbours' mean sample count (0 < · ≤ 1, default 0.3). */
  neighborSampling?: number;
  /** Samples every point gets at least (default 50). */
  minSamples?: number;
  /** Samples after which a point is never resampled (default Infinity). */
  maxSamples?: number;
  /** A point is not resampled once its error is at most this (default 0). */
  minError?: number;
  /** As in {@link Learner1D} (default 2). */
  recomputeLossesFactor?: number;
}

/** One evaluated x with its samples, as returned by {@link AverageLearner1D.means}. */
export interface AverageRecord1D {
  x: number;
  /** The mean of the finite samples (NaN when there is none). */
  mean: number;
  /** Number of samples told (finite or not). */
  n: number;
  /** Half-width of the confidence interval of the mean (+Infinity with fewer than 2 finite samples). */
  error: number;
}

const INF = Number.POSITIVE_INFINITY;
const OPTION_KEYS = [
  'bounds',
  'loss',
  'delta',
  'alpha',
  'neighborSampling',
  'minSamples',
  'maxSamples',
  'minError',
  'recomputeLossesFactor',
];
const SNAPSHOT_VERSION = 1;
/** Seeds of one ask at most (its points are n seeds of one x). */
const MAX_ASK = 2 ** 24;

/** An error of the curve of means, as this learner's ("Learner1D: …" → "AverageLearner1D: …"). */
function renamed(e: unknown): unknown {
  if (!(e instanceof Error) || !e.message.startsWith('Learner1D:')) return e;
  const r = new (e.constructor as ErrorConstructor)(`Average${e.message}`, { cause: e.cause });
  return r;
}

/** Per-x state, one slot per evaluated x (the statistics of its finite samples included). */
interface Slot extends SampleStats {
  x: number;
  /** seed → sample, in the order told. */
  samples: Map<number, number>;
  error: number;
  /** x and mean differences to the right neighbour; NaN when there is none. */
  dx: number;
  dy: number;
}

/**
 * Learns a noisy function of one real variable: the learner asks for `[seed, x]` points,
 * resampling uncertain means and adding points where the curve of means is coarse.
 *
 * @example
 * const learner = new AverageLearner1D({ bounds: [-1, 1], minSamples: 10 });
 * const { points } = learner.ask(3); // [[0, -1], [1, -1], [2, -1]]: the bound, three seeds
 * for (const [seed, x] of points) learner.tell([seed, x], noisy(seed, x));
 */
export class AverageLearner1D implements Learner<SeedPoint, number> {
  /**
   * The most samples one x holds (2^24 − 1, what a Map holds): a point is not resampled past
   * it, and telling one more sample there is a RangeError (the learner unchanged).
   * python-adaptive resamples without limit. Writable for tests only.
   * @internal
   */
  static samplesPerPointLimit = 2 ** 24 - 1;
  /** The domain. */
  readonly bounds: readonly [number, number];
  readonly delta: number;
  readonly alpha: number;
  readonly neighborSampling: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  readonly minError: number;
  readonly #lossFunction: IntervalLoss | undefined;
  #factor: number; // not readonly: restore takes the snapshot's

  /** The width of the bounds: the unit of x in the rescaled error. */
  readonly #xUnit: number;
  /** Learner1D's x resolution: an interval narrower than this is never split (its loss is 0). */
  readonly #dxEps: number;
  /** The curve of the means. */
  #curve: Learner1D;
  #slots: Slot[] = [];
  #slotOf = new Map<number, number>();
  #ties: TieKeys = { tie: new Float64Array(16) };
  /** Slots by decreasing rescaled error (python's `rescaled_error`). */
  #rescaled: IndexedHeap;
  /** x of the under-sampled points, in the order they became so. */
  #undersampled = new Set<number>();
  /** x → pending seeds. */
  #pendingSeeds = new Map<number, Set<number>>();
  #nPending = 0;
  #nSamples = 0;
  /** Asks in a row that resampled an x for precision (reset by a new x). */
  #resampleRun = 0;
  /** t(1 − α, df) by df, shared by every learner with the same α. */
  #tCache: number[];

  constructor(options: AverageLearner1DOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'AverageLearner1D: options must be an object with bounds, e.g. { bounds: [-1, 1] }',
      );
    }
    checkOptionKeys('AverageLearner1D', options, OPTION_KEYS);
    const {
      delta,
      alpha,
      neighborSampling: ns,
      minSamples,
      maxSamples,
      minError,
    } = readAveragingOptions('AverageLearner1D', options);
    const limit = AverageLearner1D.samplesPerPointLimit;
    if (minSamples > limit) {
      throw new RangeError(
        `AverageLearner1D: minSamples must be at most ${limit} (the most samples one x holds), got ${minSamples}`,
      );
    }
    this.delta = delta;
    this.alpha = alpha;
    this.neighborSampling = ns;
    this.minSamples = minSamples;
    this.maxSamples = maxSamples;
    this.minError = minError;
    this.#lossFunction = options.loss;
    this.#factor = options.recomputeLossesFactor ?? 2;
    const l1 = { bounds: options.bounds, recomputeLossesFactor: this.#factor } as {
      bounds: readonly [number, number];
      recomputeLossesFactor: number;
      loss?: IntervalLoss;
    };
    if (options.loss !== undefined) l1.loss = options.loss;
    try {
      this.#curve = new Learner1D(l1);
    } catch (e) {
      throw e instanceof Error
        ? new (e.constructor as ErrorConstructor)(
            e.message.replace('Learner1D', 'AverageLearner1D'),
          )
        : e;
    }
    this.bounds = this.#curve.bounds;
    this.#xUnit = this.bounds[1] - this.bounds[0];
    this.#dxEps =
      Math.max(Math.abs(this.bounds[0]), Math.abs(this.bounds[1])) * (2 * Number.EPSILON);
    this.#rescaled = new IndexedHeap(this.#ties);
    this.#tCache = tCacheFor(alpha);
  }

  /** Number of evaluated x (python-adaptive's `npoints`). */
  get npoints(): number {
    return this.#curve.npoints;
  }

  /** Total number of samples told. */
  get nsamples(): number {
    return this.#nSamples;
  }

  /** The smallest number of samples at any evaluated x (0 without data). */
  get minSamplesPerPoint(): number {
    let m = INF;
    for (const s of this.#slots) if (s.samples.size < m) m = s.samples.size;
    return m === INF ? 0 : m;
  }

  /** The `[seed, x]` points handed out and not yet told, sorted by x then seed. */
  get pendingPoints(): SeedPoint[] {
    const out: SeedPoint[] = [];
    for (const [x, seeds] of this.#pendingSeeds) for (const seed of seeds) out.push([seed, x]);
    return out.sort((p, q) => p[1] - q[1] || p[0] - q[0]);
  }

  // ------------------------------------------------------------------ statistics

  /** python's `_calc_error_in_mean` (see {@link errorInMean}). */
  #errorOf(s: Slot): number {
    return errorInMean(s, this.alpha, this.#tCache);
  }

  // ------------------------------------------------------------------ protocol

  #checkPoint(p: unknown, what: string): SeedPoint {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new TypeError(`AverageLearner1D.${what}: a point is [seed, x], got ${describe(p)}`);
    }
    const [seed, x] = p as [unknown, unknown];
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new TypeError(
        `AverageLearner1D.${what}: the seed must be an integer from -(2^53 - 1) to 2^53 - 1 (a safe integer: larger ones are not told apart), got ${describe(seed)} in ${describe(p)}`,
      );
    }
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(
        `AverageLearner1D.${what}: x must be a finite number, got ${describe(x)} in ${describe(p)}`,
      );
    }
    if (x < this.bounds[0] || x > this.bounds[1]) {
      throw new RangeError(
        `AverageLearner1D.${what}: point ${describe(p)} is outside the bounds [${this.bounds[0]}, ${this.bounds[1]}]`,
      );
    }
    return [seed, x + 0];
  }

  #checkValue(p: SeedPoint, y: unknown, what: string): number {
    if (typeof y !== 'number') {
      throw new TypeError(
        `AverageLearner1D.${what}: value at ${describe(p)} must be a number (scalar output only), got ${describe(y)}`,
      );
    }
    return y;
  }

  /**
   * Tells one sample. A seed told before at the same x is ignored. O(log n).
   * @throws TypeError/RangeError naming the point for a bad point or value; the learner is unchanged.
   */
  tell(point: SeedPoint, value: number): void {
    const p = this.#checkPoint(point, 'tell');
    this.#tellUnchecked(p, this.#checkValue(p, value, 'tell'));
  }

  /** Tells many samples: the same as telling them one by one; all are validated first. */
  tellMany(points: readonly SeedPoint[], values: readonly number[]): void {
    checkTellMany('AverageLearner1D.tellMany', points, values);
    const ps = points.map((p, i) => {
      const q = this.#checkPoint(p, 'tellMany');
      this.#checkValue(q, values[i], 'tellMany');
      return q;
    });
    for (let i = 0; i < ps.length; i++)
      this.#tellUnchecked(ps[i] as SeedPoint, values[i] as number);
  }

  #dropPending(seed: number, x: number): void {
    const seeds = this.#pendingSeeds.get(x);
    if (seeds?.delete(seed)) {
      this.#nPending--;
      if (seeds.size === 0) this.#pendingSeeds.delete(x);
    }
  }

  #tellUnchecked([seed, x]: SeedPoint, y: number): void {
    let slotId = this.#slotOf.get(x);
    if (slotId === undefined) {
      // A new x (python's "new" point type).
      slotId = this.#slots.length;
      const s: Slot = {
        x,
        samples: new Map([[seed, y]]),
        nFinite: 0,
        shift: 0,
        sc: 1,
        s1: 0,
        s2: 0,
        mean: Number.NaN,
        error: INF,
        dx: Number.NaN,
        dy: Number.NaN,
      };
      addFinite(s, y);
      this.#slots.push(s);
      this.#slotOf.set(x, slotId);
      if (slotId >= this.#ties.tie.length) {
        const t = new Float64Array(this.#ties.tie.length * 2);
        t.set(this.#ties.tie);
        this.#ties.tie = t;
      }
      this.#ties.tie[slotId] = x;
      this.#dropPending(seed, x);
      this.#nSamples++;
      let lossError: unknown = null;
      try {
        this.#curve.tell(x, s.mean);
      } catch (e) {
        lossError = e; // the loss function threw: the curve has the point, finish first
      }
      this.#undersampled.add(x);
      s.error = INF;
      this.#rescaled.set(slotId, INF);
      this.#updateDistances(s);
      this.#updateRescaled(s, false);
      if (lossError !== null) throw renamed(lossError);
      return;
    }
    const s = this.#slots[slotId] as Slot;
    if (s.samples.has(seed)) {
      this.#dropPending(seed, x);
      return;
    }
    if (s.samples.size >= AverageLearner1D.samplesPerPointLimit) {
      throw new RangeError(
        `AverageLearner1D.tell: x = ${x} already has ${s.samples.size} samples, the most one point holds (${AverageLearner1D.samplesPerPointLimit}); sample [${seed}, ${x}] not told`,
      );
    }
    // A new sample at a known x (python's "resampled" point type).
    const n0 = s.nFinite;
    if (Number.isFinite(y)) {
      // python's running mean, in its order of operations.
      s.mean = n0 === 0 ? y : runningMean(s.mean, n0, y);
    }
    s.samples.set(seed, y);
    addFinite(s, y);
    this.#dropPending(seed, x);
    this.#nSamples++;
    const n = s.samples.size;
    if (this.#undersampled.has(x) && n >= this.minSamples) {
      if (n > this.neighborSampling * this.#neighbourSamples(x)) this.#undersampled.delete(x);
    }
    s.error = this.#errorOf(s);
    this.#updateDistances(s);
    this.#updateRescaled(s, true);
    if (
      s.error <= this.minError ||
      n >= this.maxSamples ||
      n >= AverageLearner1D.samplesPerPointLimit
    ) {
      this.#rescaled.delete(slotId);
    }
    try {
      this.#curve.updateValue(x, s.mean, y);
    } catch (e) {
      throw renamed(e); // the loss function threw, after every update was made
    }
  }

  /** The mean sample count of the evaluated neighbours of x (0 without neighbours). */
  #neighbourSamples(x: number): number {
    const { left, right } = this.#curve.around(x);
    const hasL = !Number.isNaN(left);
    const hasR = !Number.isNaN(right);
    if (hasL && hasR) return (this.#countAt(left) + this.#countAt(right)) / 2;
    if (hasL) return this.#countAt(left);
    if (hasR) return this.#countAt(right);
    return 0;
  }

  #countAt(x: number): number {
    const id = this.#slotOf.get(x);
    return id === undefined ? 0 : (this.#slots[id] as Slot).samples.size;
  }

  #slotAt(x: number): Slot {
    return this.#slots[this.#slotOf.get(x) as number] as Slot;
  }

  /** python's `_update_distances`: the (x, mean) differences to the neighbours. */
  #updateDistances(s: Slot): void {
    const { left, right } = this.#curve.around(s.x);
    if (!Number.isNaN(left)) {
      const l = this.#slotAt(left);
      l.dx = s.x - left;
      l.dy = s.mean - l.mean;
    }
    if (!Number.isNaN(right)) {
      s.dx = right - s.x;
      s.dy = this.#slotAt(right).mean - s.mean;
    }
  }

  /**
   * The distance from s to its right neighbour, x in units of the width of the bounds and
   * the means in units of the y range (python-adaptive measures it in raw units, so its asks
   * change with the scale of f and of the domain).
   */
  #dist(s: Slot): number {
    return hypot(s.dx / this.#xUnit, s.dy / this.#curve.yUnit);
  }

  /**
   * {@link dist} as the resampling rule sees it: Infinity for an interval at the x
   * resolution (narrower than Learner1D's `dxEps`, which the curve never splits and gives a
   * loss of 0). Resampling the ends of such an interval cannot tell whether to refine it, and
   * its distance can be as small as one ulp (or its means equal), so python-adaptive's rule
   * (error > delta × the distance to the nearer neighbour) would resample its ends for ever
   * while the loss stays where it is: x a few ulps apart were resampled in a livelock
   * (issue 13). With both neighbouring intervals at the resolution the rescaled error is 0.
   */
  #gap(s: Slot): number {
    return s.dx < this.#dxEps ? INF : this.#dist(s);
  }

  /** python's `_update_rescaled_error_in_mean`. */
  #updateRescaled(s: Slot, resampled: boolean): void {
    const { left, right } = this.#curve.around(s.x);
    if (Number.isNaN(left) && Number.isNaN(right)) return;
    // Errors in units of the y range, as the distances.
    const u = this.#curve.yUnit;
    let dLeft: number;
    let dRight: number;
    const sDist = this.#gap(s);
    if (Number.isNaN(left)) dLeft = sDist;
    else {
      const l = this.#slotAt(left);
      dLeft = this.#gap(l);
      const lid = this.#slotOf.get(left) as number;
      if (this.#rescaled.has(lid)) {
        const ll = this.#curve.around(left).left;
        const norm = Number.isNaN(ll) ? dLeft : finiteMin(this.#gap(this.#slotAt(ll)), dLeft);
        this.#setRescaled(lid, l.error / u / norm);
      }
    }
    if (Number.isNaN(right)) dRight = Number.isNaN(left) ? sDist : dLeft;
    else {
      dRight = sDist;
      const rid = this.#slotOf.get(right) as number;
      if (this.#rescaled.has(rid)) {
        const r = this.#slotAt(right);
        const rr = this.#curve.around(right).right;
        const norm = Number.isNaN(rr) ? sDist : finiteMin(sDist, this.#gap(r));
        this.#setRescaled(rid, r.error / u / norm);
      }
    }
    if (resampled)
      this.#setRescaled(this.#slotOf.get(s.x) as number, s.error / u / finiteMin(dLeft, dRight));
  }

  /**
   * Queues a point's rescaled error. It is NaN when its own mean, or both distances to its
   * neighbours, are (means with no finite sample); that ranks as -Infinity, below any `delta`: the queue's keys are
   * never NaN (with NaN keys its order depends on the order of the updates, and a restored
   * learner asked differently from the original), and a point whose error cannot be
   * compared with its neighbours is not resampled for precision (it still gets its
   * `minSamples`).
   */
  #setRescaled(id: number, rescaled: number): void {
    this.#rescaled.set(id, Number.isNaN(rescaled) ? -INF : rescaled);
  }

  /** Marks `[seed, x]` as being evaluated. */
  tellPending(point: SeedPoint): void {
    const [seed, x] = this.#checkPoint(point, 'tellPending');
    const slot = this.#slotOf.get(x);
    if (slot !== undefined && (this.#slots[slot] as Slot).samples.has(seed)) return;
    let seeds = this.#pendingSeeds.get(x);
    if (seeds === undefined) {
      seeds = new Set();
      this.#pendingSeeds.set(x, seeds);
    }
    if (!seeds.has(seed)) {
      seeds.add(seed);
      this.#nPending++;
    }
    if (slot === undefined) this.#curve.tellPending(x);
  }

  /** Forgets every pending point. */
  removeUnfinished(): void {
    this.#pendingSeeds.clear();
    this.#nPending = 0;
    this.#curve.removeUnfinished();
  }

  /** The loss of the curve of means (see {@link Learner1D.loss}). */
  loss(options?: LossOptions): number {
    return this.#curve.loss(options);
  }

  /** Seeds not told and not pending at x, from `from` on. */
  #freeSeeds(x: number, from: number, n: number): number[] {
    const slot = this.#slotOf.get(x);
    const told = slot === undefined ? undefined : (this.#slots[slot] as Slot).samples;
    const pend = this.#pendingSeeds.get(x);
    const out: number[] = [];
    for (let seed = from; out.length < n; seed++) {
      if (told?.has(seed) || pend?.has(seed)) continue;
      out.push(seed);
    }
    return out;
  }

  /**
   * Returns n points: n samples of one x, either more samples of an uncertain mean or a new
   * x (python-adaptive asks for one x at a time: a point needs many samples anyway). With
   * `tellPending: false` the learner is unchanged.
   */
  ask(n: number, options?: AskOptions): AskResult<SeedPoint> {
    const tellPending = checkAsk('AverageLearner1D.ask', n, options);
    const result: AskResult<SeedPoint> = { points: [], lossImprovements: [] };
    if (n === 0) return result;
    checkAskLimit('AverageLearner1D.ask', n, 0, MAX_ASK);
    let x: number | undefined;
    // A missing bound first once two x are known: told points that are not the bounds
    // (say 0.5 and 0.505) would otherwise be resampled for ever (their distance is tiny, so
    // their rescaled error stays above delta), with the loss Infinity until a bound comes.
    const boundFirst = this.#curve.npoints >= 2 && !this.#curve.boundsPresent;
    // An under-sampled point first, unless the samples it still needs are all pending.
    for (const u of boundFirst ? [] : this.#undersampled) {
      if (!this.#coveredByPending(u)) {
        x = u;
        break;
      }
    }
    let run = this.#resampleRun;
    if (x === undefined && !boundFirst && this.#curve.npoints > 1 && this.#rescaled.size > 0) {
      // Resampling for precision is bounded: python-adaptive's rule (rescaled error above
      // delta) ranks an x first while its distance to a neighbour is tiny next to the loss
      // (22 and 22.00000000000002 on [22, 44]: ~1960 asks before the loss moved), and
      // resampling it cannot move the loss when the largest loss is elsewhere. After a run
      // of them a new x splits the interval of largest loss.
      const limit = resampleRunLimit(this.#curve.npoints);
      if (run < limit) {
        x = this.#toResample();
        if (x !== undefined) run++;
      }
    }
    if (x !== undefined) this.#moreSamples(x, n, result);
    else {
      this.#newPoint(n, result);
      run = 0;
    }
    if (tellPending) {
      this.#resampleRun = run;
      for (const p of result.points) this.tellPending(p);
    }
    return result;
  }

  /**
   * The x to resample, or undefined (then a new point): the largest rescaled error above
   * `delta` among the points whose error, in units of the y range, is above
   * `delta · loss() / 8` (see the class notes). That is python-adaptive's top point unless
   * its error is already below that floor. O(k log k), k the points passed over (none for
   * ordinary data).
   */
  #toResample(): number | undefined {
    const q = this.#rescaled;
    const top = q.peek();
    if (!(q.key(top) > this.delta)) return undefined;
    const loss = this.#curve.loss();
    // Infinite or NaN loss (a bound missing, a non-finite mean): python-adaptive's rule.
    const floor = Number.isFinite(loss) ? this.delta * NOISE_FLOOR * loss : 0;
    const u = this.#curve.yUnit;
    if (!((this.#slots[top] as Slot).error / u <= floor)) return (this.#slots[top] as Slot).x;
    q.rewind();
    for (let id = q.next(); id >= 0 && q.key(id) > this.delta; id = q.next()) {
      const s = this.#slots[id] as Slot;
      if (!(s.error / u <= floor)) return s.x;
    }
    return undefined;
  }

  /**
   * Whether the pending samples of an under-sampled x will take it out of that state when
   * they arrive (python-adaptive would hand out more samples of it regardless).
   */
  #coveredByPending(x: number): boolean {
    const pending = this.#pendingSeeds.get(x)?.size ?? 0;
    if (pending === 0) return false;
    const total = this.#slotAt(x).samples.size + pending;
    return (
      total >= Math.max(this.minSamples, 2) &&
      total > this.neighborSampling * this.#neighbourSamples(x)
    );
  }

  /** python's `_ask_for_more_samples`. */
  #moreSamples(x: number, n: number, out: AskResult<SeedPoint>): void {
    const s = this.#slotAt(x);
    const nExisting = s.samples.size;
    const { leftLoss, rightLoss } = this.#curve.around(x, { real: false });
    const loss = (leftLoss + rightLoss) / 2;
    const imp =
      loss === INF ? INF : loss - (loss * Math.sqrt(nExisting)) / Math.sqrt(nExisting + n);
    for (const seed of this.#freeSeeds(x, nExisting, n)) {
      out.points.push([seed, x]);
      out.lossImprovements.push(imp / n);
    }
  }

  /** python's `_ask_for_new_point`: one new x, n seeds. */
  #newPoint(n: number, out: AskResult<SeedPoint>): void {
    const { points, lossImprovements } = this.#curve.ask(1, { tellPending: false });
    if (points.length === 0) return;
    const x = points[0] as number;
    const imp = lossImprovements[0] as number;
    for (const seed of this.#freeSeeds(x, 0, n)) {
      out.points.push([seed, x]);
      out.lossImprovements.push(imp / n);
    }
  }

  // ------------------------------------------------------------------ data out

  /** Every sample as `{ x: [seed, x], y }`, sorted by x then seed. O(samples log samples). */
  toRecords(): { x: SeedPoint; y: number }[] {
    const out: { x: SeedPoint; y: number }[] = [];
    for (const s of this.#slots) for (const [seed, y] of s.samples) out.push({ x: [seed, s.x], y });
    return out.sort((p, q) => p.x[1] - q.x[1] || p.x[0] - q.x[0]);
  }

  /** The evaluated x with their mean, sample count and error, sorted by x. */
  means(): AverageRecord1D[] {
    return this.#slots
      .map((s) => ({ x: s.x, mean: s.mean, n: s.samples.size, error: s.error }))
      .sort((p, q) => p.x - q.x);
  }

  /** The means as typed arrays sorted by x: `x`, `y` (mean), `n`, `error`. */
  toArrays(): { x: Float64Array; y: Float64Array; n: Float64Array; error: Float64Array } {
    const m = this.means();
    return {
      x: Float64Array.from(m, (r) => r.x),
      y: Float64Array.from(m, (r) => r.mean),
      n: Float64Array.from(m, (r) => r.n),
      error: Float64Array.from(m, (r) => r.error),
    };
  }

  /** The piecewise-linear interpolant of the means (see {@link Learner1D.interpolate}). */
  interpolate(x: number): number;
  interpolate(xs: readonly number[]): number[];
  interpolate(q: number | readonly number[]): number | number[] {
    return this.#curve.interpolate(q as number) as number | number[];
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * A versioned JSON-safe snapshot: the options (they survive a restore), every sample in
   * the order told, the per-point errors and their queue, the pending points and the curve
   * of means (with its losses). O(samples).
   */
  snapshot(): LearnerSnapshot {
    return {
      type: 'AverageLearner1D',
      version: SNAPSHOT_VERSION,
      options: {
        delta: this.delta,
        alpha: this.alpha,
        neighborSampling: this.neighborSampling,
        minSamples: this.minSamples,
        maxSamples: encodeNumber(this.maxSamples),
        minError: this.minError,
        recomputeLossesFactor: this.#factor,
      },
      points: this.#slots.map((s) => ({
        x: s.x,
        seeds: [...s.samples.keys()],
        ys: [...s.samples.values()].map(encodeNumber),
        error: encodeNumber(s.error),
        dist: encodeNumber(this.#dist(s)), // derived: restore recomputes it from the means
        rescaled: this.#rescaled.has(this.#slotOf.get(s.x) as number)
          ? encodeNumber(this.#rescaled.key(this.#slotOf.get(s.x) as number))
          : null,
      })),
      undersampled: [...this.#undersampled],
      resampleRun: this.#resampleRun,
      pending: this.pendingPoints,
      means: this.#curve.snapshot(),
    };
  }

  /**
   * Replaces the state (and the numeric options) by a snapshot's. A malformed or foreign
   * snapshot throws a TypeError naming the problem and leaves the learner as it was.
   */
  restore(snapshot: LearnerSnapshot): void {
    const s = snapshot as Record<string, unknown>;
    const { bad, num } = snapshotReader('AverageLearner1D', SNAPSHOT_VERSION, s);
    const o = s.options as Record<string, unknown> | undefined;
    if (o === null || typeof o !== 'object') throw bad('options missing');
    const opts: AverageLearner1DOptions = {
      bounds: this.bounds,
      delta: o?.delta as number,
      alpha: o?.alpha as number,
      neighborSampling: o?.neighborSampling as number,
      minSamples: o?.minSamples as number,
      maxSamples: decodeNumber(o?.maxSamples) as number,
      minError: o?.minError as number,
      recomputeLossesFactor: o?.recomputeLossesFactor as number,
    };
    if (this.#lossFunction !== undefined) opts.loss = this.#lossFunction;
    let fresh: AverageLearner1D;
    try {
      fresh = new AverageLearner1D(opts);
    } catch (e) {
      throw bad(`bad options: ${(e as Error).message}`);
    }
    try {
      fresh.#curve.restore(s.means as LearnerSnapshot);
    } catch (e) {
      throw bad(`the curve of means: ${(e as Error).message}`);
    }
    if (!Array.isArray(s.points)) throw bad('points must be an array');
    for (const [i, raw] of (s.points as unknown[]).entries()) {
      const r = raw as Record<string, unknown>;
      if (r === null || typeof r !== 'object' || !Array.isArray(r.seeds) || !Array.isArray(r.ys)) {
        throw bad(`points[${i}] must have x, seeds and ys`);
      }
      const x = num(r.x, `points[${i}].x`);
      const seeds = r.seeds as unknown[];
      const ys = r.ys as unknown[];
      if (seeds.length !== ys.length || seeds.length === 0)
        throw bad(`points[${i}]: seeds and ys must be non-empty and of equal length`);
      if (fresh.#slotOf.has(x)) throw bad(`points[${i}]: x = ${x} appears twice`);
      const slot: Slot = {
        x,
        samples: new Map(),
        nFinite: 0,
        shift: 0,
        sc: 1,
        s1: 0,
        s2: 0,
        mean: Number.NaN,
        error: num(r.error, `points[${i}].error`),
        dx: Number.NaN,
        dy: Number.NaN,
      };
      // Replay the mean exactly as it was computed.
      for (const [k, seedRaw] of seeds.entries()) {
        const seed = num(seedRaw, `points[${i}].seeds[${k}]`);
        if (!Number.isSafeInteger(seed)) throw bad(`points[${i}].seeds[${k}] is not an integer`);
        const y = num(ys[k], `points[${i}].ys[${k}]`);
        const n0 = slot.nFinite;
        if (Number.isFinite(y) && n0 > 0) slot.mean = runningMean(slot.mean, n0, y);
        slot.samples.set(seed, y);
        addFinite(slot, y);
      }
      const id = fresh.#slots.length;
      fresh.#slots.push(slot);
      fresh.#slotOf.set(x, id);
      if (id >= fresh.#ties.tie.length) {
        const t = new Float64Array(Math.max(16, fresh.#ties.tie.length * 2, id + 1));
        t.set(fresh.#ties.tie);
        fresh.#ties.tie = t;
      }
      fresh.#ties.tie[id] = x;
      fresh.#nSamples += slot.samples.size;
      if (r.rescaled !== null && r.rescaled !== undefined) {
        const q = num(r.rescaled, `points[${i}].rescaled`);
        if (Number.isNaN(q) || (q < 0 && q !== -INF)) {
          throw bad(`points[${i}].rescaled must be >= 0 or -Infinity, got ${q}`);
        }
        fresh.#setRescaled(id, q);
      }
    }
    if (fresh.#slots.length !== fresh.#curve.npoints) {
      throw bad(
        `${fresh.#slots.length} points with samples, but the curve of means has ${fresh.#curve.npoints}`,
      );
    }
    // Derived data is checked against what the samples and the curve give: every x is a
    // point of the curve (so inside the bounds) with the mean of its samples there, and the
    // errors and distances are those the samples give.
    const curve = fresh.#curve.toArrays();
    const curveX = new Map<number, number>();
    for (let i = 0; i < curve.x.length; i++) curveX.set(curve.x[i] as number, curve.y[i] as number);
    const same = (p: number, q: number): boolean => p === q || (Number.isNaN(p) && Number.isNaN(q));
    for (const [i, slot] of fresh.#slots.entries()) {
      const m = curveX.get(slot.x);
      if (m === undefined) {
        throw bad(
          `points[${i}]: x = ${slot.x} is not a point of the curve of means (bounds [${this.bounds[0]}, ${this.bounds[1]}])`,
        );
      }
      if (!same(m, slot.mean)) {
        throw bad(
          `points[${i}]: the curve of means has ${m} at x = ${slot.x}, its samples give ${slot.mean}`,
        );
      }
      if (!same(fresh.#errorOf(slot), slot.error)) {
        throw bad(`points[${i}].error is ${slot.error}, its samples give ${fresh.#errorOf(slot)}`);
      }
    }
    // The distances to the neighbours are recomputed from the means (they are not read).
    for (const slot of fresh.#slots) fresh.#updateDistances(slot);
    if (!Array.isArray(s.undersampled)) throw bad('undersampled must be an array');
    for (const u of s.undersampled as unknown[]) {
      const x = num(u, 'undersampled');
      if (!fresh.#slotOf.has(x)) throw bad(`undersampled point ${x} has no samples`);
      fresh.#undersampled.add(x);
    }
    const run = s.resampleRun ?? 0; // absent in snapshots taken before it existed
    if (typeof run !== 'number' || !Number.isInteger(run) || run < 0) {
      throw bad(`resampleRun must be a non-negative integer, got ${describe(run)}`);
    }
    fresh.#resampleRun = run;
    if (!Array.isArray(s.pending)) throw bad('pending must be an array');
    for (const p of s.pending as unknown[]) {
      let q: SeedPoint;
      try {
        q = fresh.#checkPoint(p, 'restore');
      } catch (e) {
        throw bad(`pending: ${(e as Error).message}`);
      }
      fresh.tellPending(q);
    }
    // The public option fields (delta, alpha, …) come from the snapshot; Object.assign
    // copies them, #adopt the private state it cannot see.
    Object.assign(this, fresh);
    this.#adopt(fresh);
  }

  /** Takes over every mutable private field of `o` (a learner built from the same options). */
  #adopt(o: AverageLearner1D): void {
    this.#factor = o.#factor;
    this.#curve = o.#curve;
    this.#slots = o.#slots;
    this.#slotOf = o.#slotOf;
    this.#ties = o.#ties;
    this.#rescaled = o.#rescaled;
    this.#undersampled = o.#undersampled;
    this.#pendingSeeds = o.#pendingSeeds;
    this.#nPending = o.#nPending;
    this.#nSamples = o.#nSamples;
    this.#resampleRun = o.#resampleRun;
    this.#tCache = o.#tCache;
  }

  /** Throws if an internal invariant does not hold (for tests). */
  checkValid(): void {
    this.#curve.checkValid();
    this.#rescaled.checkValid();
    let total = 0;
    for (const [i, s] of this.#slots.entries()) {
      if (this.#slotOf.get(s.x) !== i) throw new Error(`AverageLearner1D: slot ${i} not indexed`);
      total += s.samples.size;
      const m = this.#curve.interpolate(s.x);
      if (!Object.is(m, s.mean) && !(Number.isNaN(m) && Number.isNaN(s.mean))) {
        throw new Error(`AverageLearner1D: mean at ${s.x} is ${s.mean}, the curve has ${m}`);
      }
    }
    if (total !== this.#nSamples)
      throw new Error(`AverageLearner1D: ${total} samples, counted ${this.#nSamples}`);
    let np = 0;
    for (const seeds of this.#pendingSeeds.values()) np += seeds.size;
    if (np !== this.#nPending)
      throw new Error(`AverageLearner1D: ${np} pending, counted ${this.#nPending}`);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same bounds, loss,
   * delta, alpha, neighborSampling, minSamples, maxSamples, minError and
   * recomputeLossesFactor, no samples.
   * @example
   * new AverageLearner1D({ bounds: [0, 1] }).new().npoints; // 0
   */
  new(): AverageLearner1D {
    const o: AverageLearner1DOptions = {
      bounds: this.bounds,
      delta: this.delta,
      alpha: this.alpha,
      neighborSampling: this.neighborSampling,
      minSamples: this.minSamples,
      maxSamples: this.maxSamples,
      minError: this.minError,
      recomputeLossesFactor: this.#factor,
    };
    if (this.#lossFunction !== undefined) o.loss = this.#lossFunction;
    return new AverageLearner1D(o);
  }
}
