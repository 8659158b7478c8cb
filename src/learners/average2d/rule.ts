/**
 * AverageLearner1D's resampling rule on any neighbour graph: the choice between more samples
 * at a known point and a new point, for {@link AverageLearner2D} (whose graph is the
 * triangulation of the evaluated points). On a path (each point joined to the next larger x)
 * it is AverageLearner1D's rule step for step, including when each rescaled error is
 * updated: `test/learners/average2d-rule.test.ts` runs both on the same samples and compares
 * every choice.
 *
 * The rule (port of python-adaptive `average_learner1D.py`, with AverageLearner1D's
 * changes): a point is under-sampled from its first sample until it has `minSamples` and
 * more than `neighborSampling` × its neighbours' mean sample count; under-sampled points come
 * first, in the order they appeared, unless the samples they still need are all pending.
 * Otherwise the point with the largest rescaled error above `delta` is resampled, where the
 * rescaled error is the error of the mean (in units of the range of the samples) over the
 * distance to the nearest neighbour (coordinates in units of the domain's widths, the means
 * in units of the range), among the points whose error is above the noise floor
 * `delta · noiseFloor · loss` (1/8 in AverageLearner1D); else a new point comes. A point's
 * rescaled error is recomputed when it or a neighbour is told a sample (python-adaptive's
 * `_update_rescaled_error_in_mean`), not when the range alone grows.
 *
 * AverageLearner2D sets `pooled` (the error of a mean from the variance pooled over the
 * point and its neighbours, see {@link ResampleRule.pool}) and a `noiseFloor` of 6: the rule
 * is then its own, not AverageLearner1D's; with `pooled: false` and `noiseFloor: 1/8` it is
 * AverageLearner1D's, which the test pins.
 */
import { IndexedHeap } from '../../queue/heap.js';
import { before, type TieKeys } from '../../queue/types.js';
import { hypot } from '../../util/hypot.js';
import { tQuantile } from '../../util/student-t.js';
import {
  addFinite,
  addSample,
  emptyStats,
  errorInMean,
  finiteMin,
  resampleRunLimit,
  type SampleStats,
  tCacheFor,
} from '../sample-stats.js';

const INF = Number.POSITIVE_INFINITY;
/** Points {@link ResampleRule.toResample} walks in the queue's order before one pass over all. */
const WALK = 32;

/**
 * The numeric options of the rule (AverageLearner1D's) and the geometry of the domain.
 * @internal
 */
export interface ResampleRuleOptions {
  delta: number;
  alpha: number;
  neighborSampling: number;
  minSamples: number;
  maxSamples: number;
  minError: number;
  /**
   * The error of a mean from the variance pooled over the point and its neighbours
   * ({@link ResampleRule.pool}); false: from the point's own samples (AverageLearner1D's).
   */
  pooled: boolean;
  /**
   * A point is not resampled for precision while its error (in units of the range) is at
   * most `delta · noiseFloor · loss` (AverageLearner1D's {@link NOISE_FLOOR}, 1/8).
   */
  noiseFloor: number;
  /** The most samples one point holds: it is not resampled past it. */
  samplesLimit: number;
  /** The widths of the domain along x and y: the units of the coordinates in a distance. */
  units: readonly [number, number];
  /**
   * The resolution along x and y: an edge shorter than both (in absolute value) cannot be
   * split, and counts as infinitely long (AverageLearner1D's `dxEps`).
   */
  eps: readonly [number, number];
}

/**
 * The state of the rule: per point the coordinates, the statistics of the samples, the
 * error of the mean and the neighbours; the queue of rescaled errors; the under-sampled
 * points; the range of the finite samples. Points are numbered 0, 1, … in the order they
 * were first told.
 * @internal
 */
export class ResampleRule {
  readonly o: ResampleRuleOptions;
  /** Coordinates, two per point. */
  xy = new Float64Array(32);
  stats: SampleStats[] = [];
  /** Samples told per point (finite or not). */
  counts: number[] = [];
  /** The error of the mean from the point's own samples (Infinity with fewer than 2 finite ones). */
  own: number[] = [];
  /** The error of the mean the rule compares: `own`, or the pooled one ({@link pool}). */
  errors: number[] = [];
  neighbours: number[][] = [];
  /** Rescaled errors: the points that may be resampled for precision. */
  readonly rescaled: IndexedHeap;
  readonly #ties: TieKeys = { tie: new Float64Array(16) };
  /** Under-sampled points, in the order they became so. */
  readonly undersampled = new Set<number>();
  /**
   * Asks in a row that resampled a point for precision (reset by a new point); at
   * {@link resampleRunLimit} of the points the next choice is a new point, as in
   * AverageLearner1D.
   */
  resampleRun = 0;
  /** The last {@link choose}: its point, and whether it resampled for precision. */
  #chosen = -1;
  #chosenForPrecision = false;
  /** The range of every finite sample told. */
  yMin = INF;
  yMax = -INF;
  readonly #tCache: number[];

  constructor(options: ResampleRuleOptions) {
    this.o = options;
    this.rescaled = new IndexedHeap(this.#ties);
    this.#tCache = tCacheFor(options.alpha);
  }

  /** Number of points. */
  get size(): number {
    return this.stats.length;
  }

  /** The unit of the means: the range of the finite samples (1 while it is 0; MAX_VALUE when it overflows). */
  get unit(): number {
    const r = this.yMax - this.yMin;
    return r > 0 ? (r === INF ? Number.MAX_VALUE : r) : 1;
  }

  /** The mean at point `id`. */
  mean(id: number): number {
    return (this.stats[id] as SampleStats).mean;
  }

  #widen(y: number): void {
    if (!Number.isFinite(y)) return;
    if (y < this.yMin) this.yMin = y;
    if (y > this.yMax) this.yMax = y;
  }

  /**
   * A new point with its first sample; returns its number. It is under-sampled and first in
   * the queue (rescaled error Infinity). Its neighbours are set next with
   * {@link setNeighbours}, then {@link refresh}(id, false).
   */
  addPoint(x: number, y: number, value: number): number {
    const id = this.stats.length;
    if (2 * id + 2 > this.xy.length) {
      const g = new Float64Array(this.xy.length * 2);
      g.set(this.xy);
      this.xy = g;
    }
    this.xy[2 * id] = x;
    this.xy[2 * id + 1] = y;
    if (id >= this.#ties.tie.length) {
      const t = new Float64Array(this.#ties.tie.length * 2);
      t.set(this.#ties.tie);
      this.#ties.tie = t;
    }
    this.#ties.tie[id] = x;
    const s = emptyStats();
    addFinite(s, value);
    this.stats.push(s);
    this.counts.push(1);
    this.own.push(INF);
    this.errors.push(INF);
    this.neighbours.push([]);
    this.#widen(value); // AverageLearner1D: the curve takes the new point before the update
    this.undersampled.add(id);
    this.rescaled.set(id, INF);
    return id;
  }

  /** Sets the neighbours of point `id` (its edges in the graph). */
  setNeighbours(id: number, ns: number[]): void {
    this.neighbours[id] = ns;
  }

  /**
   * One more sample at point `id` (python's "resampled" point): the mean, the error, the
   * under-sampled state and the rescaled errors of the point and its neighbours. O(d²), d the
   * number of neighbours.
   */
  addSample(id: number, value: number): void {
    const s = this.stats[id] as SampleStats;
    addSample(s, value);
    const n = (this.counts[id] as number) + 1;
    this.counts[id] = n;
    const o = this.o;
    if (this.undersampled.has(id) && n >= o.minSamples) {
      if (n > o.neighborSampling * this.neighbourSamples(id)) this.undersampled.delete(id);
    }
    this.own[id] = errorInMean(s, o.alpha, this.#tCache);
    if (o.pooled) {
      this.pool(id);
      for (const q of this.neighbours[id] as number[]) this.pool(q);
    } else this.errors[id] = this.own[id] as number;
    const error = this.errors[id] as number;
    this.refresh(id, true);
    if (error <= o.minError || n >= o.maxSamples || n >= o.samplesLimit) this.rescaled.delete(id);
    this.#widen(value); // AverageLearner1D: the range takes the sample after the update
  }

  /** The mean sample count of the neighbours of `id` (0 without neighbours). */
  neighbourSamples(id: number): number {
    const ns = this.neighbours[id] as number[];
    if (ns.length === 0) return 0;
    let sum = 0;
    for (const q of ns) sum += this.counts[q] as number;
    return sum / ns.length;
  }

  /**
   * The distance of the edge p–q: Infinity when it is at the resolution, else the length of
   * (Δx, Δy, Δmean) in units of the widths and of the range. NaN when a mean is NaN.
   */
  #gap(p: number, q: number, u: number): number {
    const xy = this.xy;
    const dx = (xy[2 * q] as number) - (xy[2 * p] as number);
    const dy = (xy[2 * q + 1] as number) - (xy[2 * p + 1] as number);
    if (Math.abs(dx) < this.o.eps[0] && Math.abs(dy) < this.o.eps[1]) return INF;
    const dm = (this.stats[q] as SampleStats).mean - (this.stats[p] as SampleStats).mean;
    // hypot(|a|, 0) is |a| exactly: on a path along x this is AverageLearner1D's distance.
    return hypot(hypot(dx / this.o.units[0], dy / this.o.units[1]), dm / u);
  }

  /** The distance to the nearest neighbour, NaNs left out (NaN when all are; Infinity without neighbours). */
  #nearest(p: number, u: number): number {
    let d = Number.NaN;
    for (const q of this.neighbours[p] as number[]) d = finiteMin(d, this.#gap(p, q, u));
    return d;
  }

  /**
   * python's `_update_rescaled_error_in_mean`: the rescaled errors of the neighbours of `id`
   * that are queued, and its own when it was resampled. A point without neighbours (alone,
   * or closer to another than the triangulation resolves) cannot be compared with one: it
   * is not resampled for precision.
   */
  refresh(id: number, resampled: boolean): void {
    const ns = this.neighbours[id] as number[];
    const u = this.unit;
    if (!resampled && this.o.pooled) {
      // A new point: the pools of the points whose edges it changed (itself and its
      // neighbours), and, its error known from its first sample on, whether it still needs samples.
      this.pool(id);
      for (const q of ns) this.pool(q);
      const n = this.counts[id] as number;
      if (n >= this.o.minSamples && n > this.o.neighborSampling * this.neighbourSamples(id)) {
        this.undersampled.delete(id);
        this.setRescaled(id, (this.errors[id] as number) / u / this.#nearest(id, u));
      }
    }
    if (ns.length === 0) {
      if (resampled) this.setRescaled(id, Number.NaN);
      return;
    }
    for (const q of ns) {
      if (this.rescaled.has(q)) {
        this.setRescaled(q, (this.errors[q] as number) / u / this.#nearest(q, u));
      }
    }
    if (resampled) this.setRescaled(id, (this.errors[id] as number) / u / this.#nearest(id, u));
  }

  /**
   * The pooled error of the mean at `id`: t(1 − α, ν)·s/√n, n its finite samples, s² the
   * variance pooled over the point and its neighbours (Σ (nⱼ − 1)·sⱼ² / ν, over those with
   * two finite samples or more, ν = Σ (nⱼ − 1)): under noise of one variance near the point
   * an error bar from the first sample on, and a t quantile of the pooled degrees of
   * freedom rather than of nⱼ − 1 (t(0.995, 4) = 4.6 against 2.6 for many). Infinity with no
   * finite sample or no variance to pool. O(d), d the neighbours.
   */
  pool(id: number): void {
    const n = (this.stats[id] as SampleStats).nFinite;
    let e = INF;
    if (n > 0) {
      // sⱼ from the point's own error, sⱼ = ownⱼ·√nⱼ / t(1 − α, nⱼ − 1); the sum scaled by
      // the largest sⱼ (values near 1e300 have variances past the largest double).
      let top = 0;
      for (let k = -1, ns = this.neighbours[id] as number[]; k < ns.length; k++) {
        const j = k < 0 ? id : (ns[k] as number);
        const nj = (this.stats[j] as SampleStats).nFinite;
        if (nj >= 2) top = Math.max(top, this.#sd(j, nj));
      }
      let df = 0;
      let acc = 0;
      for (let k = -1, ns = this.neighbours[id] as number[]; k < ns.length; k++) {
        const j = k < 0 ? id : (ns[k] as number);
        const nj = (this.stats[j] as SampleStats).nFinite;
        if (nj < 2) continue;
        df += nj - 1;
        if (top > 0) acc += (nj - 1) * (this.#sd(j, nj) / top) ** 2;
      }
      if (df > 0 && top < INF) e = (this.#t(df) * top * Math.sqrt(acc / df)) / Math.sqrt(n);
    }
    this.errors[id] = e;
  }

  #sd(j: number, nj: number): number {
    return ((this.own[j] as number) * Math.sqrt(nj)) / this.#t(nj - 1);
  }

  /** t(1 − α, df), cached as {@link errorInMean} caches it. */
  #t(df: number): number {
    let t = this.#tCache[df];
    if (t === undefined) {
      t = tQuantile(1 - this.o.alpha, df);
      this.#tCache[df] = t;
    }
    return t;
  }

  /** A NaN rescaled error (no finite mean to compare) ranks as -Infinity, below any delta. */
  setRescaled(id: number, rescaled: number): void {
    this.rescaled.set(id, Number.isNaN(rescaled) ? -INF : rescaled);
  }

  /**
   * Whether the `pending` samples of under-sampled point `id` take it out of that state when
   * they arrive.
   */
  coveredBy(id: number, pending: number): boolean {
    if (pending === 0) return false;
    const total = (this.counts[id] as number) + pending;
    return (
      total >= Math.max(this.o.minSamples, 2) &&
      total > this.o.neighborSampling * this.neighbourSamples(id)
    );
  }

  /**
   * The point to give more samples, or -1 for a new point: an under-sampled one first
   * (unless `newFirst`, or its missing samples are all pending), else
   * {@link toResample}(loss) while the run of such resamplings is below its limit.
   */
  choose(loss: number, newFirst: boolean, pendingAt: (id: number) => number): number {
    this.#chosenForPrecision = false;
    this.#chosen = -1;
    if (newFirst) return -1;
    for (const id of this.undersampled) {
      if (!this.coveredBy(id, pendingAt(id))) {
        this.#chosen = id;
        return id;
      }
    }
    if (this.size > 1 && this.rescaled.size > 0 && this.resampleRun < resampleRunLimit(this.size)) {
      this.#chosen = this.toResample(loss);
      this.#chosenForPrecision = this.#chosen >= 0;
    }
    return this.#chosen;
  }

  /**
   * Records that the last {@link choose} was acted on (an ask that kept its points
   * pending): a run of resampling for precision grows, a new point ends it.
   */
  commitChoice(): void {
    if (this.#chosen < 0) this.resampleRun = 0;
    else if (this.#chosenForPrecision) this.resampleRun++;
  }

  /**
   * The largest rescaled error above `delta` among the points whose error (in units of the
   * range) is above `delta · noiseFloor · loss` (no floor when the loss is not finite), or
   * -1. O(k log k), k the points passed over, at most {@link WALK}; then O(n), n the points.
   */
  toResample(loss: number): number {
    const q = this.rescaled;
    const delta = this.o.delta;
    const top = q.peek();
    if (!(q.key(top) > delta)) return -1;
    const floor = Number.isFinite(loss) ? delta * this.o.noiseFloor * loss : 0;
    const u = this.unit;
    const errors = this.errors;
    if (!((errors[top] as number) / u <= floor)) return top;
    q.rewind();
    let walked = 0;
    for (let id = q.next(); id >= 0 && q.key(id) > delta; id = q.next()) {
      if (!((errors[id] as number) / u <= floor)) return id;
      if (++walked === WALK) break;
    }
    if (walked < WALK) return -1;
    // Most points are below the floor (AverageLearner2D's, where it binds): the first in the
    // queue's order (key, then tie key, then number) found by one pass over all points.
    const tie = this.#ties.tie;
    let best = -1;
    for (let id = 0; id < this.stats.length; id++) {
      if (!q.has(id) || !(q.key(id) > delta) || (errors[id] as number) / u <= floor) continue;
      if (
        best < 0 ||
        before(q.key(id), tie[id] as number, id, q.key(best), tie[best] as number, best)
      )
        best = id;
    }
    return best;
  }
}
