/**
 * AverageLearner2D: adaptive sampling of a noisy function f(seed, x, y) on a rectangle: new
 * points where the surface of the means is poorly resolved, more samples where a mean is
 * uncertain. python-adaptive has none (its #143, a work in progress since 2018).
 *
 * Built as {@link AverageLearner1D} is, with a {@link Learner2D} for the surface of the means
 * (python-adaptive's Learner2D: triangles, corners first, its losses) and AverageLearner1D's
 * resampling rule on the triangulation of the evaluated points ({@link ResampleRule}: a
 * point's neighbours are the points it shares a triangle edge with). Each ask returns n seeds
 * of one point: an under-sampled point, the point of largest rescaled error above `delta`, or
 * a new point of the surface.
 *
 * Differences from AverageLearner1D, each for a reason:
 * - the defaults `minSamples: 3` and `delta: 1` (AverageLearner1D's 50 and 0.2): a surface
 *   needs many more points than a curve ({@link AVERAGE2D_DEFAULTS});
 * - the error of a mean is pooled over the point and its neighbours
 *   ({@link ResampleRule.pool}): a new point has an error bar from its first sample, and
 *   few samples a point do not inflate the t quantile (AverageLearner1D's points have 50);
 * - the noise floor is `delta · 6 · loss` ({@link AVERAGE2D_NOISE_FLOOR}; AverageLearner1D's
 *   `delta · loss / 8`): the distance to the nearest neighbour alone resamples a ridge's
 *   points rather than adding points beside them;
 * - the noise floor uses the loss of the surface when the latest new
 *   point was told (kept in snapshots), not the current loss: chosen when a mean that changed
 *   while a new point was pending rebuilt the surface when read, which reading the loss for
 *   every resampling choice would have done on every sample; kept since, as the floor's
 *   factor ({@link AVERAGE2D_NOISE_FLOOR}) was measured with it;
 * - the loss improvement of more samples at a point is its error in units of the range of
 *   the samples times `1 − √(n₀ / (n₀ + n))` (the share of the error n more samples remove),
 *   not the mean loss of the neighbouring triangles, for the same reason;
 * - the surface's value scale is the range of the means (Learner2D's own), while the rule's
 *   unit is the range of every sample (AverageLearner1D's); its `recomputeLossesFactor` is 1,
 *   so a surface rebuilt on restore has the losses the updated one would have;
 * - a new mean replaces the value in the surface in place (Learner2D's internal
 *   `replaceValue`), also while new points are pending: as in Learner2D, a pending point keeps
 *   the value interpolated when it was told pending (python-adaptive re-interpolates every
 *   pending point from the data at each ask, O(n)), and snapshots carry those values;
 * - the corners come before any resampling once two points are known (AverageLearner1D's
 *   bounds first): until they are, the loss is Infinity.
 */
import { decodeNumber, encodeNumber } from '../../io/json.js';
import { Learner2D, type Point2D } from '../learner2d.js';
import type { TriangleLoss } from '../losses2d.js';
import { readAveragingOptions } from '../sample-stats.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from '../types.js';
import {
  checkAsk,
  checkAskLimit,
  checkOptionKeys,
  checkTellMany,
  describe,
  snapshotReader,
} from '../validate.js';
import { ResampleRule } from './rule.js';

/** A point of {@link AverageLearner2D}: a seed (the source of randomness) and an `[x, y]`. */
export type SeedPoint2D = [seed: number, xy: [number, number]];

/** A pending new point of the surface of means and its value there. */
type PendingValue = [x: number, y: number, value: number];

/**
 * Options of {@link AverageLearner2D}; the defaults are AverageLearner1D's (python-adaptive's)
 * but for `minSamples` (5) and `delta` (1), see {@link AVERAGE2D_DEFAULTS}.
 */
export interface AverageLearner2DOptions {
  /** The domain `[[x0, x1], [y0, y1]]`. */
  bounds: readonly [readonly [number, number], readonly [number, number]];
  /** The loss of one triangle of the surface of means (default `defaultLoss2D`). */
  loss?: TriangleLoss;
  /**
   * Resample a point while its error exceeds `delta` × the distance to its nearest neighbour
   * and `delta` × 6 × loss, in units of the range of the samples (0 < delta ≤ 1, default 1;
   * AverageLearner1D's 0.2, and its floor `delta` × loss / 8).
   */
  delta?: number;
  /** The mean lies within ± error with probability 1 − 2·alpha (0 < alpha < 1, default 0.005). */
  alpha?: number;
  /** A new point is under-sampled until it has `neighborSampling` × its neighbours' mean sample count (0 < · ≤ 1, default 0.3). */
  neighborSampling?: number;
  /** Samples every point gets at least (default 3; AverageLearner1D's 50). */
  minSamples?: number;
  /** Samples after which a point is never resampled (default Infinity). */
  maxSamples?: number;
  /** A point is not resampled once its error is at most this (default 0). */
  minError?: number;
}

/** One evaluated point with its samples, as returned by {@link AverageLearner2D.means}. */
export interface AverageRecord2D {
  x: Point2D;
  /** The mean of the finite samples (NaN when there is none). */
  mean: number;
  /** Number of samples told (finite or not). */
  n: number;
  /**
   * Half-width of the confidence interval of the mean, from the point's own samples
   * (+Infinity with fewer than 2 finite samples). The learner decides with the error pooled
   * over the point and its neighbours, finite from the first sample on.
   */
  error: number;
}

/** The means as typed arrays, sorted by x then y (see {@link AverageLearner2D.toArrays}). */
export interface AverageArrays2D {
  x: Float64Array;
  y: Float64Array;
  /** The means. */
  values: Float64Array;
  n: Float64Array;
  error: Float64Array;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * AverageLearner2D's defaults where they are not AverageLearner1D's. A surface needs many
 * more points than a curve: with 50 samples a point, 2 000 samples are 40 points, and
 * delta 0.2 then asks about 70 samples of every point of a flat region before a new one.
 * With the pooled error of a mean (a first sample has an error bar when its neighbours have
 * samples) 3 samples a point are enough to start with. On the noisy rings of
 * `bench/average2d.ts` (a = 0.4 and a = 0.2, 2 000 / 10 000 / 20 000 samples) these beat the
 * best uniform grid with the same samples in 6 of 6 cases at σ = 0.1 and 0.03, 5 of 6 at
 * σ = 0.3; AverageLearner1D's defaults in none at σ = 0.1.
 */
export const AVERAGE2D_DEFAULTS = { minSamples: 3, delta: 1 } as const;

/**
 * AverageLearner2D's noise floor (AverageLearner1D's is 1/8): a mean is not resampled for
 * precision while its error, in units of the range, is at most `delta × 6 ×` the loss of the
 * surface. Without it AverageLearner1D's rule keeps resampling where the points are dense
 * (a point's error against the distance to its nearest neighbour): on a ridge the
 * neighbours along it are near and alike, so the points that resolve it took nearly twice
 * the samples of the others (22 against 12 a point within 0.08 of the thin ring at 20 000
 * samples; 11 against 9 now) rather than new points beside them. The error is compared with
 * the loss instead: below it, more samples improve the surface less than the next new point
 * does. 6 is measured (`bench/average2d.ts` with `--sigma`): 4 loses the thin ring at 2 000
 * samples, 8 the wide one at σ = 0.3.
 */
export const AVERAGE2D_NOISE_FLOOR = 6;

const OPTION_KEYS = [
  'bounds',
  'loss',
  'delta',
  'alpha',
  'neighborSampling',
  'minSamples',
  'maxSamples',
  'minError',
];
const SNAPSHOT_VERSION = 1;
/** Seeds of one ask at most (its points are n seeds of one point). */
const MAX_ASK = 2 ** 24;

/** x → y → T: points as keys without an object per lookup. */
class PointMap<T> {
  #m = new Map<number, Map<number, T>>();
  get(x: number, y: number): T | undefined {
    return this.#m.get(x)?.get(y);
  }
  set(x: number, y: number, v: T): void {
    let r = this.#m.get(x);
    if (r === undefined) {
      r = new Map();
      this.#m.set(x, r);
    }
    r.set(y, v);
  }
  delete(x: number, y: number): void {
    const r = this.#m.get(x);
    if (r === undefined) return;
    r.delete(y);
    if (r.size === 0) this.#m.delete(x);
  }
  clear(): void {
    this.#m.clear();
  }
  *entries(): IterableIterator<[number, number, T]> {
    for (const [x, r] of this.#m) for (const [y, v] of r) yield [x, y, v];
  }
}

/** An error of the surface of means, as this learner's ("Learner2D…" → "AverageLearner2D…"). */
function renamed(e: unknown): unknown {
  if (!(e instanceof Error) || !e.message.startsWith('Learner2D')) return e;
  return new (e.constructor as ErrorConstructor)(`Average${e.message}`, { cause: e.cause });
}

/**
 * Point numbers, each once, sorted (in place): the distances are then taken in the same
 * order whatever the order of the triangles.
 */
function sortedUnique(ids: number[]): number[] {
  ids.sort((p, q) => p - q);
  let m = 0;
  for (let k = 0; k < ids.length; k++)
    if (k === 0 || ids[k] !== ids[k - 1]) ids[m++] = ids[k] as number;
  ids.length = m;
  return ids;
}

/**
 * Learns a noisy function of two real variables: the learner asks for `[seed, [x, y]]`
 * points, resampling uncertain means and adding points where the surface of means is coarse.
 *
 * @example
 * const learner = new AverageLearner2D({ bounds: [[-1, 1], [-1, 1]], minSamples: 10 });
 * const { points } = learner.ask(3); // [[0, [-1, -1]], [1, [-1, -1]], [2, [-1, -1]]]: a corner, three seeds
 * for (const [seed, [x, y]] of points) learner.tell([seed, [x, y]], noisy(seed, x, y));
 */
export class AverageLearner2D implements Learner<SeedPoint2D, number> {
  /**
   * The most samples one point holds (2^24 − 1, what a Map holds): a point is not resampled
   * past it, and telling one more sample there is a RangeError (the learner unchanged).
   * Writable for tests only.
   * @internal
   */
  static samplesPerPointLimit = 2 ** 24 - 1;
  /** The domain. */
  readonly bounds: readonly [readonly [number, number], readonly [number, number]];
  readonly delta: number;
  readonly alpha: number;
  readonly neighborSampling: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  readonly minError: number;
  readonly #lossFunction: TriangleLoss | undefined;

  #rule: ResampleRule;
  /** seed → sample per point, in the order told. */
  #samples: Map<number, number>[] = [];
  /** (x, y) → point number. */
  #index = new PointMap<number>();
  /** (x, y) → pending seeds. */
  #pendingSeeds = new PointMap<Set<number>>();
  #nPending = 0;
  #nSamples = 0;
  /** Bits 0–3: corner i has a sample. */
  #corners = 0;
  /**
   * The surface of means: a Learner2D holding every mean, and each pending new point with
   * the value interpolated when it was told pending (as Learner2D's pending points keep
   * theirs when values change; snapshots carry them). Updated in place, never rebuilt but on
   * restore.
   */
  #surface: Learner2D;
  /** Scratch: a ring of neighbours' coordinates (Learner2D's neighboursOf). */
  readonly #ring: number[] = [];
  /** The loss of the surface when the latest new point was told: the noise floor's. */
  #floorLoss = INF;

  constructor(options: AverageLearner2DOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(
        'AverageLearner2D: options must be an object with bounds, e.g. { bounds: [[-1, 1], [-1, 1]] }',
      );
    }
    checkOptionKeys('AverageLearner2D', options, OPTION_KEYS);
    const {
      delta,
      alpha,
      neighborSampling: ns,
      minSamples,
      maxSamples,
      minError,
    } = readAveragingOptions('AverageLearner2D', {
      ...options,
      minSamples: options.minSamples ?? AVERAGE2D_DEFAULTS.minSamples,
      delta: options.delta ?? AVERAGE2D_DEFAULTS.delta,
    });
    this.delta = delta;
    this.alpha = alpha;
    this.neighborSampling = ns;
    this.minSamples = minSamples;
    this.maxSamples = maxSamples;
    this.minError = minError;
    this.#lossFunction = options.loss;
    try {
      this.#surface = new Learner2D(this.#surfaceOptions(options.bounds));
    } catch (e) {
      throw renamed(e);
    }
    this.bounds = this.#surface.bounds;
    const [[x0, x1], [y0, y1]] = this.bounds;
    const res = (a: number, b: number): number =>
      Math.max(Math.abs(a), Math.abs(b)) * (2 * Number.EPSILON);
    this.#rule = new ResampleRule({
      delta,
      alpha,
      neighborSampling: ns,
      minSamples,
      maxSamples,
      minError,
      pooled: true,
      noiseFloor: AVERAGE2D_NOISE_FLOOR,
      samplesLimit: AverageLearner2D.samplesPerPointLimit,
      units: [x1 - x0, y1 - y0],
      eps: [res(x0, x1), res(y0, y1)],
    });
  }

  #surfaceOptions(
    bounds: AverageLearner2DOptions['bounds'],
  ): ConstructorParameters<typeof Learner2D>[0] {
    const o: ConstructorParameters<typeof Learner2D>[0] = { bounds, recomputeLossesFactor: 1 };
    if (this.#lossFunction !== undefined) o.loss = this.#lossFunction;
    return o;
  }

  /** Number of evaluated points (each with one or more samples). */
  get npoints(): number {
    return this.#rule.size;
  }

  /** Total number of samples told. */
  get nsamples(): number {
    return this.#nSamples;
  }

  /** The `[seed, [x, y]]` points handed out and not yet told, sorted by x, y, then seed. */
  get pendingPoints(): SeedPoint2D[] {
    const out: SeedPoint2D[] = [];
    for (const [x, y, seeds] of this.#pendingSeeds.entries())
      for (const seed of seeds) out.push([seed, [x, y]]);
    return out.sort((p, q) => p[1][0] - q[1][0] || p[1][1] - q[1][1] || p[0] - q[0]);
  }

  // ------------------------------------------------------------------ validation

  #checkPoint(p: unknown, what: string): SeedPoint2D {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new TypeError(
        `AverageLearner2D.${what}: a point is [seed, [x, y]], got ${describe(p)}`,
      );
    }
    const [seed, xy] = p as [unknown, unknown];
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new TypeError(
        `AverageLearner2D.${what}: the seed must be an integer from -(2^53 - 1) to 2^53 - 1 (a safe integer), got ${describe(seed)} in ${describe(p)}`,
      );
    }
    if (
      !Array.isArray(xy) ||
      xy.length !== 2 ||
      typeof xy[0] !== 'number' ||
      typeof xy[1] !== 'number' ||
      !Number.isFinite(xy[0]) ||
      !Number.isFinite(xy[1])
    ) {
      throw new TypeError(
        `AverageLearner2D.${what}: [x, y] must be two finite numbers, got ${describe(xy)} in ${describe(p)}`,
      );
    }
    const [[x0, x1], [y0, y1]] = this.bounds;
    const x = xy[0] as number;
    const y = xy[1] as number;
    if (x < x0 || x > x1 || y < y0 || y > y1) {
      throw new RangeError(
        `AverageLearner2D.${what}: point ${describe(p)} is outside the bounds [[${x0}, ${x1}], [${y0}, ${y1}]]`,
      );
    }
    return [seed, [x + 0, y + 0]];
  }

  #checkValue(p: SeedPoint2D, v: unknown, what: string): number {
    if (typeof v !== 'number') {
      throw new TypeError(
        `AverageLearner2D.${what}: value at ${describe(p)} must be a number (scalar output only), got ${describe(v)}`,
      );
    }
    const id = this.#index.get(p[1][0], p[1][1]);
    if (id !== undefined) {
      const s = this.#samples[id] as Map<number, number>;
      if (!s.has(p[0]) && s.size >= AverageLearner2D.samplesPerPointLimit) {
        throw new RangeError(
          `AverageLearner2D.${what}: ${describe(p[1])} already has ${s.size} samples, the most one point holds (${AverageLearner2D.samplesPerPointLimit}); sample ${describe(p)} not told`,
        );
      }
    }
    return v;
  }

  // ------------------------------------------------------------------ tell

  /**
   * Tells one sample. A seed told before at the same point is ignored. O(d²) for a sample
   * at a known point (d its neighbours; O(n) when its mean was an extreme of the means); for
   * a new point, Learner2D's tell and the ring walks for its neighbours and theirs.
   * @throws TypeError/RangeError naming the point for a bad point or value; the learner is unchanged.
   */
  tell(point: SeedPoint2D, value: number): void {
    const p = this.#checkPoint(point, 'tell');
    this.#tellUnchecked(p, this.#checkValue(p, value, 'tell'));
  }

  /** Tells many samples: the same as telling them one by one; all are validated first. */
  tellMany(points: readonly SeedPoint2D[], values: readonly number[]): void {
    checkTellMany('AverageLearner2D.tellMany', points, values);
    const ps = points.map((p, i) => {
      const q = this.#checkPoint(p, 'tellMany');
      this.#checkValue(q, values[i], 'tellMany');
      return q;
    });
    for (let i = 0; i < ps.length; i++)
      this.#tellUnchecked(ps[i] as SeedPoint2D, values[i] as number);
  }

  #dropPending(seed: number, x: number, y: number): void {
    const seeds = this.#pendingSeeds.get(x, y);
    if (seeds?.delete(seed)) {
      this.#nPending--;
      if (seeds.size === 0) this.#pendingSeeds.delete(x, y);
    }
  }

  #tellUnchecked([seed, [x, y]]: SeedPoint2D, v: number): void {
    const id = this.#index.get(x, y);
    if (id !== undefined) {
      const s = this.#samples[id] as Map<number, number>;
      this.#dropPending(seed, x, y);
      if (s.has(seed)) return;
      s.set(seed, v);
      this.#nSamples++;
      this.#rule.addSample(id, v);
      // The new mean in place: O(1) and a walk (O(n) when an extreme of the means changes).
      try {
        this.#surface.replaceValue([x, y], this.#rule.mean(id));
      } catch (e) {
        throw renamed(e); // the loss function threw: the sample is kept
      }
      return;
    }
    // A new point (python's "new" point type).
    const nid = this.#rule.addPoint(x, y, v);
    this.#samples.push(new Map([[seed, v]]));
    this.#index.set(x, y, nid);
    this.#dropPending(seed, x, y);
    this.#nSamples++;
    const c = this.#cornerIndex(x, y);
    if (c >= 0) this.#corners |= 1 << c;
    let lossError: unknown = null;
    try {
      this.#surface.tell([x, y], this.#rule.mean(nid));
    } catch (e) {
      lossError = e; // the loss function threw: the surface has the point, finish first
    }
    this.#readNeighbours([x, y]);
    this.#rule.refresh(nid, false);
    try {
      this.#floorLoss = this.#surface.loss({ real: true });
    } catch (e) {
      lossError ??= e;
      this.#floorLoss = INF;
    }
    if (lossError !== null) throw renamed(lossError);
  }

  #cornerIndex(x: number, y: number): number {
    const [[x0, x1], [y0, y1]] = this.bounds;
    if ((x !== x0 && x !== x1) || (y !== y0 && y !== y1)) return -1;
    return (x === x0 ? 0 : 2) + (y === y0 ? 0 : 1);
  }

  /**
   * The neighbours from the triangulation of the evaluated points: of every point (`at`
   * omitted: O(n log n), the triangulation), or of the point at `at` and of its neighbours,
   * the only points whose edges a new point changes (the triangles it removes have their
   * corners on the cavity around it, all joined to it): O(the degrees), by Learner2D's ring
   * walks.
   */
  #readNeighbours(at?: Point2D): void {
    if (at === undefined) {
      this.#readAllNeighbours();
      return;
    }
    const ring = this.#ring;
    if (!this.#surface.neighboursOf(at, ring)) return; // not triangulated (a shadow)
    const around = ring.slice();
    this.#setNeighbours(at[0], at[1], ring);
    for (let k = 0; k < around.length; k += 2) {
      const x = around[k] as number;
      const y = around[k + 1] as number;
      if (this.#surface.neighboursOf([x, y], ring)) this.#setNeighbours(x, y, ring);
    }
  }

  /** The rule's neighbours of the point at (x, y): the points at `ring`'s coordinates. */
  #setNeighbours(x: number, y: number, ring: readonly number[]): void {
    const ids: number[] = [];
    for (let k = 0; k < ring.length; k += 2)
      ids.push(this.#index.get(ring[k] as number, ring[k + 1] as number) as number);
    this.#rule.setNeighbours(this.#index.get(x, y) as number, sortedUnique(ids));
  }

  /** Every point's neighbours, from the whole triangulation. O(n log n). */
  #readAllNeighbours(): void {
    const t = this.#surface.triangulation();
    const tri = t.triangles;
    const lists = new Map<number, number[]>();
    for (let k = 0; k < tri.length; k += 3) {
      for (let e = 0; e < 3; e++) {
        const v = tri[k + e] as number;
        let list = lists.get(v);
        if (list === undefined) {
          list = [];
          lists.set(v, list);
        }
        list.push(tri[k + ((e + 1) % 3)] as number, tri[k + ((e + 2) % 3)] as number);
      }
    }
    const idOf = (i: number): number =>
      this.#index.get(t.x[i] as number, t.y[i] as number) as number;
    for (const [v, list] of lists) this.#rule.setNeighbours(idOf(v), sortedUnique(list.map(idOf)));
  }

  /**
   * A surface of means built anew: the means, then the pending new points with the values
   * in `pendingValues` (the surface's own, as its snapshot lists them), or, where it has
   * none, interpolated in the order of x then y. O(n log n). Installed as the learner's
   * surface when `install`, before any loss is read (a throwing loss: the surface has the data).
   */
  #buildSurface(pendingValues: readonly PendingValue[] | null, install: boolean): Learner2D {
    const s = new Learner2D(this.#surfaceOptions(this.bounds));
    if (install) this.#surface = s;
    const n = this.#rule.size;
    const pts: Point2D[] = new Array(n);
    const vals: number[] = new Array(n);
    const xy = this.#rule.xy;
    for (let i = 0; i < n; i++) {
      pts[i] = [xy[2 * i] as number, xy[2 * i + 1] as number];
      vals[i] = this.#rule.mean(i);
    }
    s.tellMany(pts, vals);
    if (pendingValues !== null) {
      for (const [x, y, v] of pendingValues) s.tellPendingValue([x, y], v);
    }
    const pending: Point2D[] = [];
    for (const [x, y] of this.#pendingSeeds.entries()) {
      if (this.#index.get(x, y) === undefined) pending.push([x, y]);
    }
    pending.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const p of pending) s.tellPending(p); // a point told above is left alone
    return s;
  }

  /** Marks `[seed, [x, y]]` as being evaluated. */
  tellPending(point: SeedPoint2D): void {
    const [seed, [x, y]] = this.#checkPoint(point, 'tellPending');
    const id = this.#index.get(x, y);
    if (id !== undefined && (this.#samples[id] as Map<number, number>).has(seed)) return;
    const seeds = this.#pendingSeeds.get(x, y) ?? this.#newPendingSet(x, y);
    if (!seeds.has(seed)) {
      seeds.add(seed);
      this.#nPending++;
    }
    // A new location: pending in the surface, its value interpolated from the surface there.
    if (id !== undefined || seeds.size > 1) return;
    try {
      this.#surface.tellPending([x, y]);
    } catch (e) {
      throw renamed(e);
    }
  }

  /** An empty set of pending seeds at (x, y), registered. */
  #newPendingSet(x: number, y: number): Set<number> {
    const seeds = new Set<number>();
    this.#pendingSeeds.set(x, y, seeds);
    return seeds;
  }

  /** Forgets every pending point. O(n) when a new point was pending. */
  removeUnfinished(): void {
    if (this.#nPending === 0) return;
    this.#pendingSeeds.clear();
    this.#nPending = 0;
    try {
      this.#surface.removeUnfinished();
    } catch (e) {
      throw renamed(e);
    }
  }

  /** The loss of the surface of means (see {@link Learner2D.loss}). */
  loss(options?: LossOptions): number {
    try {
      return this.#surface.loss(options ?? {});
    } catch (e) {
      throw renamed(e);
    }
  }

  // ------------------------------------------------------------------ ask

  /** Seeds not told and not pending at (x, y), from `from` on. */
  #freeSeeds(x: number, y: number, from: number, n: number): number[] {
    const id = this.#index.get(x, y);
    const told = id === undefined ? undefined : this.#samples[id];
    const pend = this.#pendingSeeds.get(x, y);
    const out: number[] = [];
    for (let seed = from; out.length < n; seed++) {
      if (told?.has(seed) || pend?.has(seed)) continue;
      out.push(seed);
    }
    return out;
  }

  /**
   * Returns n points: n samples of one point, either more samples of an uncertain mean or a
   * new point of the surface. With `tellPending: false` the learner is unchanged.
   */
  ask(n: number, options?: AskOptions): AskResult<SeedPoint2D> {
    const tellPending = checkAsk('AverageLearner2D.ask', n, options);
    const result: AskResult<SeedPoint2D> = { points: [], lossImprovements: [] };
    if (n === 0) return result;
    checkAskLimit('AverageLearner2D.ask', n, 0, MAX_ASK);
    // The corners first once two points are known (AverageLearner1D's bounds first).
    const cornersFirst = this.#rule.size >= 2 && this.#corners !== 15;
    const xy = this.#rule.xy;
    const id = this.#rule.choose(this.#floorLoss, cornersFirst, (i) => {
      return this.#pendingSeeds.get(xy[2 * i] as number, xy[2 * i + 1] as number)?.size ?? 0;
    });
    if (id >= 0) this.#moreSamples(id, n, result);
    else this.#newPoint(n, result);
    if (tellPending) {
      this.#rule.commitChoice();
      for (const p of result.points) this.tellPending(p);
    }
    return result;
  }

  /** n more samples at point `id`; each improves the error by its share of `1 − √(n₀ / (n₀ + n))`. */
  #moreSamples(id: number, n: number, out: AskResult<SeedPoint2D>): void {
    const x = this.#rule.xy[2 * id] as number;
    const y = this.#rule.xy[2 * id + 1] as number;
    const n0 = (this.#samples[id] as Map<number, number>).size;
    const e = (this.#rule.errors[id] as number) / this.#rule.unit;
    const imp = e === INF || Number.isNaN(e) ? INF : e - (e * Math.sqrt(n0)) / Math.sqrt(n0 + n);
    for (const seed of this.#freeSeeds(x, y, n0, n)) {
      out.points.push([seed, [x, y]]);
      out.lossImprovements.push(imp / n);
    }
  }

  /** One new point of the surface, n seeds. */
  #newPoint(n: number, out: AskResult<SeedPoint2D>): void {
    let r: AskResult<Point2D>;
    try {
      r = this.#surface.ask(1, { tellPending: false });
    } catch (e) {
      throw renamed(e);
    }
    const p = r.points[0];
    if (p === undefined) return;
    const imp = r.lossImprovements[0] as number;
    for (const seed of this.#freeSeeds(p[0], p[1], 0, n)) {
      out.points.push([seed, [p[0], p[1]]]);
      out.lossImprovements.push(imp / n);
    }
  }

  // ------------------------------------------------------------------ data out

  /** Point numbers sorted by x then y. */
  #sortedIds(): number[] {
    const xy = this.#rule.xy;
    return Array.from({ length: this.#rule.size }, (_, i) => i).sort(
      (a, b) =>
        (xy[2 * a] as number) - (xy[2 * b] as number) ||
        (xy[2 * a + 1] as number) - (xy[2 * b + 1] as number),
    );
  }

  /** Every sample as `{ x: [seed, [x, y]], y }`, sorted by x, y, then seed. O(samples log samples). */
  toRecords(): { x: SeedPoint2D; y: number }[] {
    const out: { x: SeedPoint2D; y: number }[] = [];
    const xy = this.#rule.xy;
    for (const id of this.#sortedIds()) {
      const p: [number, number] = [xy[2 * id] as number, xy[2 * id + 1] as number];
      const rows = [...(this.#samples[id] as Map<number, number>)].sort((a, b) => a[0] - b[0]);
      for (const [seed, v] of rows) out.push({ x: [seed, [p[0], p[1]]], y: v });
    }
    return out;
  }

  /** The evaluated points with their mean, sample count and error, sorted by x then y. */
  means(): AverageRecord2D[] {
    const xy = this.#rule.xy;
    return this.#sortedIds().map((id) => ({
      x: [xy[2 * id] as number, xy[2 * id + 1] as number],
      mean: this.#rule.mean(id),
      n: (this.#samples[id] as Map<number, number>).size,
      error: this.#rule.own[id] as number,
    }));
  }

  /** The means as typed arrays sorted by x then y: `x`, `y`, `values` (the means), `n`, `error`. */
  toArrays(): AverageArrays2D {
    const m = this.means();
    return {
      x: Float64Array.from(m, (r) => r.x[0]),
      y: Float64Array.from(m, (r) => r.x[1]),
      values: Float64Array.from(m, (r) => r.mean),
      n: Float64Array.from(m, (r) => r.n),
      error: Float64Array.from(m, (r) => r.error),
    };
  }

  /** The triangulation of the evaluated points with the means as values (see {@link Learner2D.triangulation}). */
  triangulation(): ReturnType<Learner2D['triangulation']> {
    return this.#surface.triangulation();
  }

  /** The piecewise-linear interpolant of the means (see {@link Learner2D.interpolate}). */
  interpolate(point: readonly [number, number]): number;
  interpolate(points: readonly (readonly [number, number])[]): number[];
  interpolate(
    q: readonly [number, number] | readonly (readonly [number, number])[],
  ): number | number[] {
    try {
      return this.#surface.interpolate(q as readonly [number, number][]) as number | number[];
    } catch (e) {
      throw renamed(e);
    }
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * A versioned JSON-safe snapshot: the bounds (checked on restore), the options (they survive a restore), every sample in
   * the order told, the queued rescaled errors, the under-sampled points in their order, the
   * pending points and the noise floor's loss. The means, errors, neighbours and the surface
   * are recomputed on restore. O(samples).
   */
  snapshot(): LearnerSnapshot {
    const xy = this.#rule.xy;
    const q = this.#rule.rescaled;
    return {
      type: 'AverageLearner2D',
      version: SNAPSHOT_VERSION,
      bounds: [
        [this.bounds[0][0], this.bounds[0][1]],
        [this.bounds[1][0], this.bounds[1][1]],
      ],
      options: {
        delta: this.delta,
        alpha: this.alpha,
        neighborSampling: this.neighborSampling,
        minSamples: this.minSamples,
        maxSamples: encodeNumber(this.maxSamples),
        minError: this.minError,
      },
      points: this.#samples.map((s, id) => ({
        x: [xy[2 * id] as number, xy[2 * id + 1] as number],
        seeds: [...s.keys()],
        ys: [...s.values()].map(encodeNumber),
        rescaled: q.has(id) ? encodeNumber(q.key(id)) : null,
      })),
      undersampled: [...this.#rule.undersampled].map((id) => [
        xy[2 * id] as number,
        xy[2 * id + 1] as number,
      ]),
      resampleRun: this.#rule.resampleRun,
      pending: this.pendingPoints,
      // The surface's pending values: interpolated when each was told pending, from means
      // that may have changed since (not recomputable from the samples).
      pendingValues: this.#surface.pendingValues().map(([x, y, v]) => [x, y, encodeNumber(v)]),
      floorLoss: encodeNumber(this.#floorLoss),
    };
  }

  /**
   * Replaces the state (and the numeric options) by a snapshot's. A malformed or foreign
   * snapshot throws a TypeError naming the problem and leaves the learner as it was.
   */
  restore(snapshot: LearnerSnapshot): void {
    const s = snapshot as Record<string, unknown>;
    const { bad, num } = snapshotReader('AverageLearner2D', SNAPSHOT_VERSION, s);
    const o = s.options as Record<string, unknown> | undefined;
    if (o === null || typeof o !== 'object') throw bad('options missing');
    const b = JSON.stringify(s.bounds);
    if (b !== JSON.stringify(this.bounds)) {
      throw bad(`its bounds ${b} are not this learner's ${JSON.stringify(this.bounds)}`);
    }
    const opts: AverageLearner2DOptions = {
      bounds: this.bounds,
      delta: o.delta as number,
      alpha: o.alpha as number,
      neighborSampling: o.neighborSampling as number,
      minSamples: o.minSamples as number,
      maxSamples: decodeNumber(o.maxSamples) as number,
      minError: o.minError as number,
    };
    if (this.#lossFunction !== undefined) opts.loss = this.#lossFunction;
    let fresh: AverageLearner2D;
    try {
      fresh = new AverageLearner2D(opts);
    } catch (e) {
      throw bad(`bad options: ${(e as Error).message}`);
    }
    if (!Array.isArray(s.points)) throw bad('points must be an array');
    const rescaled: (number | null)[] = [];
    const pts: Point2D[] = [];
    for (const [i, raw] of (s.points as unknown[]).entries()) {
      const r = raw as Record<string, unknown>;
      if (r === null || typeof r !== 'object' || !Array.isArray(r.seeds) || !Array.isArray(r.ys)) {
        throw bad(`points[${i}] must have x, seeds and ys`);
      }
      let p: SeedPoint2D;
      try {
        p = fresh.#checkPoint([0, r.x], 'restore');
      } catch (e) {
        throw bad(`points[${i}].x: ${(e as Error).message}`);
      }
      const [x, y] = p[1];
      const seeds = r.seeds as unknown[];
      const ys = r.ys as unknown[];
      if (seeds.length !== ys.length || seeds.length === 0)
        throw bad(`points[${i}]: seeds and ys must be non-empty and of equal length`);
      if (fresh.#index.get(x, y) !== undefined)
        throw bad(`points[${i}]: [${x}, ${y}] appears twice`);
      const map = new Map<number, number>();
      for (const [k, seedRaw] of seeds.entries()) {
        const seed = num(seedRaw, `points[${i}].seeds[${k}]`);
        if (!Number.isSafeInteger(seed)) throw bad(`points[${i}].seeds[${k}] is not an integer`);
        if (map.has(seed)) throw bad(`points[${i}].seeds[${k}] = ${seed} appears twice`);
        map.set(seed, num(ys[k], `points[${i}].ys[${k}]`));
      }
      if (map.size > AverageLearner2D.samplesPerPointLimit)
        throw bad(`points[${i}] has more samples than one point holds`);
      // Replay the statistics exactly as they were computed, in the order told.
      let id = -1;
      for (const [seed, v] of map) {
        if (id < 0) {
          id = fresh.#rule.addPoint(x, y, v);
          fresh.#samples.push(new Map([[seed, v]]));
          fresh.#index.set(x, y, id);
        } else {
          (fresh.#samples[id] as Map<number, number>).set(seed, v);
          fresh.#rule.addSample(id, v);
        }
      }
      fresh.#nSamples += map.size;
      const c = fresh.#cornerIndex(x, y);
      if (c >= 0) fresh.#corners |= 1 << c;
      pts.push([x, y]);
      const q = r.rescaled;
      if (q === null || q === undefined) rescaled.push(null);
      else {
        const k = num(q, `points[${i}].rescaled`);
        if (Number.isNaN(k) || (k < 0 && k !== -INF))
          throw bad(`points[${i}].rescaled must be >= 0 or -Infinity, got ${k}`);
        rescaled.push(k);
      }
    }
    // The queue and the under-sampled points as they were (history: not recomputed).
    const rule = fresh.#rule;
    for (let id = 0; id < rescaled.length; id++) {
      const k = rescaled[id];
      if (k === null || k === undefined) rule.rescaled.delete(id);
      else rule.setRescaled(id, k);
    }
    if (!Array.isArray(s.undersampled)) throw bad('undersampled must be an array');
    rule.undersampled.clear();
    for (const [k, u] of (s.undersampled as unknown[]).entries()) {
      const id = Array.isArray(u) ? fresh.#index.get(u[0], u[1]) : undefined;
      if (id === undefined)
        throw bad(`undersampled[${k}] ${describe(u)} is not a point with samples`);
      rule.undersampled.add(id);
    }
    const run = s.resampleRun ?? 0; // absent in snapshots taken before it existed
    if (typeof run !== 'number' || !Number.isInteger(run) || run < 0) {
      throw bad(`resampleRun must be a non-negative integer, got ${describe(run)}`);
    }
    rule.resampleRun = run;
    if (!Array.isArray(s.pending)) throw bad('pending must be an array');
    for (const p of s.pending as unknown[]) {
      let q: SeedPoint2D;
      try {
        q = fresh.#checkPoint(p, 'restore');
      } catch (e) {
        throw bad(`pending: ${(e as Error).message}`);
      }
      const [seed, [x, y]] = q;
      if (fresh.#samples[fresh.#index.get(x, y) ?? -1]?.has(seed))
        throw bad(`pending: ${describe(p)} has been told`);
      const seeds = fresh.#pendingSeeds.get(x, y) ?? fresh.#newPendingSet(x, y);
      if (seeds.has(seed)) throw bad(`pending: ${describe(p)} appears twice`);
      seeds.add(seed);
      fresh.#nPending++;
    }
    // Snapshots before pendingValues: the pending new points interpolated in x, y order.
    const pv =
      s.pendingValues === undefined ? null : fresh.#readPendingValues(s.pendingValues, bad);
    // The surface and the neighbours from the means (the triangulation depends on the points only).
    try {
      fresh.#buildSurface(pv, true);
    } catch (e) {
      throw bad(`the surface of means: ${(e as Error).message}`);
    }
    if (pts.length > 0) fresh.#readNeighbours();
    if (rule.o.pooled) for (let id = 0; id < rule.size; id++) rule.pool(id);
    const fl = num(s.floorLoss, 'floorLoss');
    if (!(fl >= 0)) throw bad(`floorLoss must be a number >= 0, got ${fl}`);
    fresh.#floorLoss = fl;
    // The public option fields (delta, alpha, …) come from the snapshot; Object.assign
    // copies them, #adopt the private state it cannot see.
    Object.assign(this, fresh);
    this.#adopt(fresh);
  }

  /**
   * A snapshot's `pendingValues`: `[x, y, value]` of new points pending (listed in `pending`,
   * without samples), values numbers or encoded non-finite numbers.
   */
  #readPendingValues(raw: unknown, bad: (m: string) => Error): PendingValue[] {
    if (!Array.isArray(raw)) throw bad('pendingValues must be an array');
    const seen = new PointMap<true>();
    return raw.map((e: unknown, i): PendingValue => {
      if (!Array.isArray(e) || e.length !== 3)
        throw bad(`pendingValues[${i}] must be [x, y, value], got ${describe(e)}`);
      const x = e[0] as unknown;
      const y = e[1] as unknown;
      const v = decodeNumber(e[2]);
      if (typeof x !== 'number' || typeof y !== 'number' || typeof v !== 'number')
        throw bad(`pendingValues[${i}] must be [x, y, value], got ${describe(e)}`);
      if (this.#pendingSeeds.get(x, y) === undefined || this.#index.get(x, y) !== undefined)
        throw bad(`pendingValues[${i}]: [${x}, ${y}] is not a pending point without samples`);
      if (seen.get(x, y) !== undefined)
        throw bad(`pendingValues[${i}]: [${x}, ${y}] appears twice`);
      seen.set(x, y, true);
      return [x, y, v];
    });
  }

  /** Takes over every mutable private field of `o` (a learner built from the same options). */
  #adopt(o: AverageLearner2D): void {
    this.#rule = o.#rule;
    this.#samples = o.#samples;
    this.#index = o.#index;
    this.#pendingSeeds = o.#pendingSeeds;
    this.#nPending = o.#nPending;
    this.#nSamples = o.#nSamples;
    this.#corners = o.#corners;
    this.#surface = o.#surface;
    this.#floorLoss = o.#floorLoss;
  }

  /** Throws if an internal invariant does not hold (for tests). */
  checkValid(): void {
    const surface = this.#surface;
    surface.checkValid();
    this.#rule.rescaled.checkValid();
    let total = 0;
    const xy = this.#rule.xy;
    for (let id = 0; id < this.#rule.size; id++) {
      const x = xy[2 * id] as number;
      const y = xy[2 * id + 1] as number;
      if (this.#index.get(x, y) !== id)
        throw new Error(`AverageLearner2D: point ${id} not indexed`);
      total += (this.#samples[id] as Map<number, number>).size;
      if ((this.#samples[id] as Map<number, number>).size !== this.#rule.counts[id])
        throw new Error(`AverageLearner2D: sample count of point ${id}`);
    }
    if (total !== this.#nSamples)
      throw new Error(`AverageLearner2D: ${total} samples, counted ${this.#nSamples}`);
    if (surface.npoints !== this.#rule.size)
      throw new Error(
        `AverageLearner2D: the surface has ${surface.npoints} points, the learner ${this.#rule.size}`,
      );
    // The surface updated in place is the one built anew from the means and its pending values.
    const ref = this.#buildSurface(this.#surface.pendingValues(), false);
    for (const real of [true, false]) {
      const a = surface.loss({ real });
      const b = ref.loss({ real });
      if (!Object.is(a, b))
        throw new Error(
          `AverageLearner2D: the surface's loss({ real: ${real} }) is ${a}, built from the means ${b}`,
        );
    }
    // The pooled errors kept up to date sample by sample are those recomputed from the samples.
    const errs = this.#rule.errors.slice();
    for (let id = 0; id < this.#rule.size; id++) {
      this.#rule.pool(id);
      if (!Object.is(this.#rule.errors[id], errs[id]))
        throw new Error(
          `AverageLearner2D: error of point ${id} is ${errs[id]}, recomputed ${this.#rule.errors[id]}`,
        );
    }
    // The neighbours kept up to date point by point are those of the whole triangulation.
    const kept = this.#rule.neighbours.map((l) => l.join());
    this.#readNeighbours();
    for (const [i, l] of this.#rule.neighbours.entries()) {
      if (l.join() !== kept[i])
        throw new Error(
          `AverageLearner2D: neighbours of point ${i}: [${kept[i]}], not [${l.join()}]`,
        );
    }
    let np = 0;
    for (const [, , seeds] of this.#pendingSeeds.entries()) np += seeds.size;
    if (np !== this.#nPending)
      throw new Error(`AverageLearner2D: ${np} pending, counted ${this.#nPending}`);
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`).
   * @example
   * new AverageLearner2D({ bounds: [[0, 1], [0, 1]] }).new().npoints; // 0
   */
  new(): AverageLearner2D {
    const o: AverageLearner2DOptions = {
      bounds: this.bounds,
      delta: this.delta,
      alpha: this.alpha,
      neighborSampling: this.neighborSampling,
      minSamples: this.minSamples,
      maxSamples: this.maxSamples,
      minError: this.minError,
    };
    if (this.#lossFunction !== undefined) o.loss = this.#lossFunction;
    return new AverageLearner2D(o);
  }
}
