/**
 * AverageLearner: the mean of a random quantity f(seed), sampled until its standard error
 * meets an absolute or relative tolerance.
 *
 * Port of python-adaptive `average_learner.py` (v1.5.2): the same loss (the standard error
 * over `atol`, or over `rtol`·|mean|, whichever is larger; a zero mean is not divided by,
 * python-adaptive #275), the same loss improvements and `minNpoints`. Differences:
 * - seeds are the lowest integers not yet told or pending, so none is skipped or handed out
 *   twice (python-adaptive uses `npoints + pending` as the next seed, which skips seeds when
 *   unrequested data was told);
 * - the mean and variance are kept with Welford's update (stable: no `Σf² − n·mean²`
 *   cancellation when the mean is large against the spread; python-adaptive clamps the
 *   negative numerators that cancellation gives to 0). The update depends on the order of
 *   the tells in the last bits only;
 * - non-finite samples (NaN, ±Infinity) are kept in the data and counted in `npoints`, but
 *   left out of `mean`, `std` and the loss, which describe the finite samples (python-adaptive
 *   lets one NaN make the loss NaN for good);
 * - `ask(0)` returns empty arrays (python-adaptive: ZeroDivisionError, its §15.2 #12), and a
 *   snapshot keeps the pending seeds (python-adaptive drops them, #1).
 *
 * Seeds live in typed arrays indexed by the seed (dense: the seeds a learner hands out are
 * 0, 1, 2, ...); seeds far outside that range (negative or huge, only from unrequested tells)
 * live in a small map. `ask` and `tell` are O(1) amortised and allocate only the result.
 */
import { decodeNumber, encodeNumber } from '../io/json.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import {
  checkAsk,
  checkAskLimit,
  checkOptionKeys,
  checkTellMany,
  describe,
  snapshotReader,
} from './validate.js';

/** Options of {@link AverageLearner}. At least one of `atol` and `rtol` is required. */
export interface AverageLearnerOptions {
  /** Absolute tolerance on the standard error of the mean (positive). */
  atol?: number | undefined;
  /** Relative tolerance: on the standard error divided by |mean| (positive). */
  rtol?: number | undefined;
  /** Samples needed before the loss is finite (default 2; values below 2 count as 2). */
  minNpoints?: number | undefined;
}

/** One sample, as returned by {@link AverageLearner.toRecords}. */
export interface AverageRecord {
  /** The seed. */
  x: number;
  /** The value told for it. */
  y: number;
}

const INF = Number.POSITIVE_INFINITY;
const FREE = 0;
const PENDING = 1;
const TOLD = 2;
const OPTION_KEYS = ['atol', 'rtol', 'minNpoints'];
const SNAPSHOT_VERSION = 1;
/** The most seeds (told and pending) an AverageLearner holds; `ask` refuses to go past it. */
const MAX_SEEDS = 2 ** 26;
/** A seed this far past the dense range goes to the sparse map instead of growing the arrays. */
const DENSE_SLACK = 1024;

function checkTolerance(name: string, v: unknown): number {
  if (v === undefined) return INF;
  if (typeof v !== 'number') {
    throw new TypeError(`AverageLearner: ${name} must be a positive number, got ${describe(v)}`);
  }
  if (!(v > 0)) {
    throw new RangeError(`AverageLearner: ${name} must be a positive number, got ${describe(v)}`);
  }
  return v;
}

/**
 * Learns the mean of f(seed) for integer seeds (the source of randomness), asking for new
 * seeds until the standard error of the mean is at most `atol`, or `rtol` times |mean|.
 *
 * The loss is max(se/atol, se/(rtol·|mean|)) with se = std/√n (the division by |mean| is
 * skipped when the mean is 0); a tolerance not given does not count. It is +Infinity with
 * fewer than `minNpoints` finite samples, and a loss of 1 means the tolerance is just met.
 *
 * @example
 * const learner = new AverageLearner({ rtol: 0.01 });
 * const { points } = learner.ask(3); // [0, 1, 2]
 * for (const seed of points) learner.tell(seed, 1 + (seed % 2));
 * learner.mean; // 1.3333333333333333
 * learner.npoints; // 3
 */
export class AverageLearner implements Learner<number, number> {
  /** The absolute tolerance (+Infinity when not given). */
  readonly atol: number;
  /** The relative tolerance (+Infinity when not given). */
  readonly rtol: number;
  /** Samples needed before the loss is finite (at least 2). */
  readonly minNpoints: number;

  // Dense seeds 0 .. cap-1: state and value by seed.
  #cap = 0;
  #st: Uint8Array = new Uint8Array(0);
  #vals: Float64Array = new Float64Array(0);
  // Other seeds (negative, or far beyond the dense range).
  #sparse = new Map<number, number>();
  #pending = new Set<number>();
  #nTold = 0;
  /** Every seed in [0, low) is told or pending. */
  #low = 0;
  // Welford's running statistics of the finite samples.
  #nFin = 0;
  #mu = 0;
  #m2 = 0;

  constructor(options: AverageLearnerOptions) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new TypeError(
        `AverageLearner: options must be an object with atol and/or rtol, e.g. { rtol: 0.01 }, got ${describe(options)}`,
      );
    }
    checkOptionKeys('AverageLearner', options, OPTION_KEYS);
    if (options.atol === undefined && options.rtol === undefined) {
      throw new TypeError(
        'AverageLearner: give atol or rtol (or both), e.g. { rtol: 0.01 }; without a tolerance the loss means nothing',
      );
    }
    this.atol = checkTolerance('atol', options.atol);
    this.rtol = checkTolerance('rtol', options.rtol);
    const m = options.minNpoints ?? 2;
    if (typeof m !== 'number' || !Number.isSafeInteger(m) || m < 0) {
      throw new RangeError(
        `AverageLearner: minNpoints must be a non-negative integer, got ${describe(m)}`,
      );
    }
    this.minNpoints = Math.max(2, m);
  }

  /** Number of seeds told (finite values or not). */
  get npoints(): number {
    return this.#nTold;
  }

  /** Seeds told or pending (python-adaptive's `n_requested`). */
  get nRequested(): number {
    return this.#nTold + this.#pending.size;
  }

  /** Number of finite samples: the ones `mean`, `std` and the loss are made of. */
  get nFinite(): number {
    return this.#nFin;
  }

  /** Seeds handed out (or told pending) and not yet told, in increasing order. O(k log k). */
  get pendingPoints(): number[] {
    return [...this.#pending].sort((a, b) => a - b);
  }

  /** The mean of the finite samples; NaN when there is none. */
  get mean(): number {
    return this.#nFin === 0 ? Number.NaN : this.#mu;
  }

  /**
   * The corrected sample standard deviation of the finite samples; +Infinity with fewer
   * than `minNpoints` of them.
   */
  get std(): number {
    if (this.#nFin < this.minNpoints) return INF;
    return Math.sqrt(Math.max(0, this.#m2) / (this.#nFin - 1));
  }

  // ---------------------------------------------------------------- seeds

  #isUsed(s: number): boolean {
    if (s >= 0 && s < this.#cap) return this.#st[s] !== FREE;
    return this.#sparse.has(s) || this.#pending.has(s);
  }

  /** Grows the dense arrays to hold seed s when it is near them; returns whether it is dense. */
  #makeDense(s: number): boolean {
    if (s < 0) return false;
    if (s < this.#cap) return true;
    if (s >= 2 * this.#cap + DENSE_SLACK) return false;
    let cap = Math.max(64, this.#cap * 2);
    while (cap <= s) cap *= 2;
    const st = new Uint8Array(cap);
    st.set(this.#st);
    const vals = new Float64Array(cap);
    vals.set(this.#vals);
    // Seeds of the new range that were sparse move in.
    for (const [seed, v] of this.#sparse) {
      if (seed >= this.#cap && seed < cap) {
        st[seed] = TOLD;
        vals[seed] = v;
        this.#sparse.delete(seed);
      }
    }
    for (const seed of this.#pending) if (seed >= this.#cap && seed < cap) st[seed] = PENDING;
    this.#st = st;
    this.#vals = vals;
    this.#cap = cap;
    return true;
  }

  #checkSeed(seed: unknown, what: string): number {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new TypeError(
        `AverageLearner.${what}: the point must be an integer seed from -(2^53 - 1) to 2^53 - 1 (a safe integer: larger ones are not told apart), got ${describe(seed)}`,
      );
    }
    return seed + 0; // -0 → 0
  }

  #checkValue(seed: number, y: unknown, what: string): number {
    if (typeof y === 'number') return y;
    if (Array.isArray(y) || ArrayBuffer.isView(y)) {
      throw new TypeError(
        `AverageLearner.${what}: value at seed ${seed} is a vector; AverageLearner averages numbers only (use one learner per component, or a DataSaver that picks one)`,
      );
    }
    throw new TypeError(
      `AverageLearner.${what}: value at seed ${seed} must be a number, got ${describe(y)}`,
    );
  }

  // ---------------------------------------------------------------- loss

  /** The loss as if `n` samples had the current standard deviation (python's `loss(n=...)`). */
  #lossAt(n: number): number {
    if (n < this.minNpoints || this.#nFin < this.minNpoints) return INF;
    const se = Math.sqrt(Math.max(0, this.#m2) / (this.#nFin - 1)) / Math.sqrt(n);
    const aloss = se / this.atol;
    let rloss = se / this.rtol;
    // A zero mean is not divided by (python-adaptive #275).
    if (this.#mu !== 0) rloss /= Math.abs(this.#mu);
    const l = Math.max(aloss, rloss);
    // NaN only from overflowing sums of values near ±1.8e308: no estimate.
    return Number.isNaN(l) ? INF : l;
  }

  /**
   * The loss: the standard error of the mean over the tolerance (see the class). With
   * `real: false` the pending seeds count as samples with the current spread. O(1).
   */
  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    return this.#lossAt(real ? this.#nFin : this.#nFin + this.#pending.size);
  }

  // ---------------------------------------------------------------- protocol

  /**
   * The `n` lowest seeds not yet told or pending, each with the loss improvement
   * (loss − loss with n more samples)/n (+Infinity while the loss is). With
   * `tellPending: false` the learner is left as it was. O(n) amortised.
   * @throws RangeError when n is not a non-negative integer, or would make the learner hold
   *   more than 2^26 seeds.
   */
  ask(n: number, options?: AskOptions): AskResult<number> {
    const tellPending = checkAsk('AverageLearner.ask', n, options);
    if (n === 0) return { points: [], lossImprovements: [] };
    checkAskLimit('AverageLearner.ask', n, this.#nTold + this.#pending.size, MAX_SEEDS);
    // Moving `low` past used seeds changes nothing observable.
    let s = this.#low;
    while (this.#isUsed(s)) s++;
    this.#low = s;
    const points: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      while (this.#isUsed(s)) s++;
      points[i] = s++;
    }
    const l = this.loss();
    const imp = Number.isFinite(l) ? (l - this.#lossAt(this.#nFin + n)) / n : INF;
    const imps: number[] = new Array(n).fill(imp);
    if (tellPending) {
      for (let i = 0; i < n; i++) this.#markPending(points[i] as number);
      this.#low = s;
    }
    return { points, lossImprovements: imps };
  }

  #markPending(s: number): void {
    if (this.#makeDense(s)) {
      if (this.#st[s] !== FREE) return;
      this.#st[s] = PENDING;
    } else if (this.#sparse.has(s)) return;
    this.#pending.add(s);
  }

  /**
   * Tells the value of seed `seed`. A seed told before is ignored (its first value stays).
   * O(1) amortised.
   * @throws TypeError naming the seed when it is not an integer or the value not a number;
   *   the learner is then unchanged.
   */
  tell(seed: number, value: number): void {
    const s = this.#checkSeed(seed, 'tell');
    this.#tellUnchecked(s, this.#checkValue(s, value, 'tell'));
  }

  #tellUnchecked(s: number, v: number): void {
    if (this.#makeDense(s)) {
      const st = this.#st[s];
      if (st === TOLD) return;
      if (st === PENDING) this.#pending.delete(s);
      this.#st[s] = TOLD;
      this.#vals[s] = v;
    } else {
      if (this.#sparse.has(s)) return;
      this.#pending.delete(s);
      this.#sparse.set(s, v);
    }
    this.#nTold++;
    if (v - v === 0) {
      // Finite: Welford's update of the mean and the sum of squared deviations.
      const k = ++this.#nFin;
      const d = v - this.#mu;
      this.#mu += d / k;
      this.#m2 += d * (v - this.#mu);
    }
  }

  /** Tells many seeds; all are validated first, so an error leaves the learner unchanged. O(k). */
  tellMany(seeds: readonly number[], values: readonly number[]): void {
    checkTellMany('AverageLearner.tellMany', seeds, values);
    const clean = new Array<number>(seeds.length);
    const ys = new Array<number>(seeds.length);
    for (let i = 0; i < seeds.length; i++) {
      clean[i] = this.#checkSeed(seeds[i], 'tellMany');
      ys[i] = this.#checkValue(clean[i] as number, values[i], 'tellMany');
    }
    for (let i = 0; i < clean.length; i++) this.#tellUnchecked(clean[i] as number, ys[i] as number);
  }

  /** Marks a seed as being evaluated, so `ask` does not hand it out. No-op for a told seed. O(1). */
  tellPending(seed: number): void {
    this.#markPending(this.#checkSeed(seed, 'tellPending'));
  }

  /** Forgets every pending seed; they are handed out again. O(pending). */
  removeUnfinished(): void {
    for (const s of this.#pending) {
      if (s >= 0 && s < this.#cap) this.#st[s] = FREE;
      if (s >= 0 && s < this.#low) this.#low = s;
    }
    this.#pending.clear();
  }

  // ---------------------------------------------------------------- data out

  #sortedData(): { seeds: number[]; values: number[] } {
    const seeds: number[] = [];
    const values: number[] = [];
    const extra = [...this.#sparse.keys()].sort((a, b) => a - b);
    let j = 0;
    while (j < extra.length && (extra[j] as number) < 0) {
      seeds.push(extra[j] as number);
      values.push(this.#sparse.get(extra[j] as number) as number);
      j++;
    }
    for (let s = 0; s < this.#cap; s++) {
      if (this.#st[s] === TOLD) {
        seeds.push(s);
        values.push(this.#vals[s] as number);
      }
    }
    for (; j < extra.length; j++) {
      seeds.push(extra[j] as number);
      values.push(this.#sparse.get(extra[j] as number) as number);
    }
    return { seeds, values };
  }

  /** The samples sorted by seed, as `{ x: seed, y }` records. O(n). */
  toRecords(): AverageRecord[] {
    const { seeds, values } = this.#sortedData();
    return seeds.map((x, i) => ({ x, y: values[i] as number }));
  }

  /** The samples sorted by seed as typed arrays. O(n). */
  toArrays(): { x: Float64Array; y: Float64Array } {
    const { seeds, values } = this.#sortedData();
    return { x: Float64Array.from(seeds), y: Float64Array.from(values) };
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * A versioned, JSON-safe snapshot: the options, the samples by seed, the pending seeds and
   * the running statistics (stored exactly, so a restored learner has the same loss to the
   * last bit). Data only: restore it into a learner built with the same options. O(n).
   */
  snapshot(): LearnerSnapshot {
    const { seeds, values } = this.#sortedData();
    return {
      type: 'AverageLearner',
      version: SNAPSHOT_VERSION,
      atol: encodeNumber(this.atol),
      rtol: encodeNumber(this.rtol),
      minNpoints: this.minNpoints,
      seeds,
      values: values.map(encodeNumber),
      pending: this.pendingPoints,
      mean: encodeNumber(this.#mu),
      m2: encodeNumber(this.#m2),
    };
  }

  /**
   * Replaces this learner's state by a snapshot's. A malformed or foreign snapshot, or one
   * taken with other options, throws a TypeError naming the problem and leaves the learner
   * as it was. O(n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const fresh = new AverageLearner({
      atol: this.atol === INF ? undefined : this.atol,
      rtol: this.rtol === INF ? undefined : this.rtol,
      minNpoints: this.minNpoints,
    });
    fresh.#load(snapshot);
    this.#adopt(fresh);
  }

  /** Takes over every private field of `o` (a learner with the same options). */
  #adopt(o: AverageLearner): void {
    this.#cap = o.#cap;
    this.#st = o.#st;
    this.#vals = o.#vals;
    this.#sparse = o.#sparse;
    this.#pending = o.#pending;
    this.#nTold = o.#nTold;
    this.#low = o.#low;
    this.#nFin = o.#nFin;
    this.#mu = o.#mu;
    this.#m2 = o.#m2;
  }

  #load(s: LearnerSnapshot): void {
    const { bad, arr } = snapshotReader('AverageLearner', SNAPSHOT_VERSION, s);
    const same = (name: string, v: unknown, mine: number): void => {
      if (decodeNumber(v) !== mine)
        bad(`the snapshot has ${name} ${describe(v)}, this learner ${encodeNumber(mine)}`);
    };
    same('atol', s.atol, this.atol);
    same('rtol', s.rtol, this.rtol);
    same('minNpoints', s.minNpoints, this.minNpoints);
    const seeds = arr(s.seeds, 'seeds');
    const values = arr(s.values, 'values');
    const pending = arr(s.pending, 'pending');
    if (values.length !== seeds.length)
      bad(`seeds has ${seeds.length} entries but values has ${values.length}`);
    const seedAt = (v: unknown, what: string, prev: number | undefined): number => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        bad(`${what} is not an integer seed from -(2^53 - 1) to 2^53 - 1: ${describe(v)}`);
      if (prev !== undefined && !((v as number) > prev)) bad(`${what}: seeds must increase`);
      return v as number;
    };
    let prev: number | undefined;
    for (let i = 0; i < seeds.length; i++) {
      const seed = seedAt(seeds[i], `seeds[${i}]`, prev);
      const v = decodeNumber(values[i]);
      if (v === undefined) bad(`values[${i}] is not a number: ${describe(values[i])}`);
      this.#tellUnchecked(seed, v as number);
      prev = seed;
    }
    prev = undefined;
    for (let i = 0; i < pending.length; i++) {
      const seed = seedAt(pending[i], `pending[${i}]`, prev);
      if (this.#isUsed(seed)) bad(`pending[${i}] = ${seed} is also a told seed`);
      this.#markPending(seed);
      prev = seed;
    }
    // The statistics recomputed here in seed order agree with the stored ones up to rounding;
    // the stored ones are taken (the order of the tells decides the last bits).
    const mean = decodeNumber(s.mean);
    const m2 = decodeNumber(s.m2);
    if (mean === undefined || m2 === undefined) bad('mean and m2 must be numbers');
    const close = (a: number, b: number, scale: number): boolean =>
      a === b || Math.abs(a - b) <= 1e-9 * scale || (Number.isNaN(a) && Number.isNaN(b));
    const scale = Math.max(Math.abs(this.#mu), Math.sqrt(Math.abs(this.#m2)), Number.MIN_VALUE);
    if (
      !close(mean as number, this.#mu, scale) ||
      !close(m2 as number, this.#m2, scale * scale * Math.max(1, this.#nFin))
    ) {
      bad(`mean ${describe(s.mean)} and m2 ${describe(s.m2)} do not match the values`);
    }
    this.#mu = mean as number;
    this.#m2 = m2 as number;
    let low = 0;
    while (this.#isUsed(low)) low++;
    this.#low = low;
  }

  /**
   * An empty learner with the same options (python-adaptive's `new()`): same atol, rtol and
   * minNpoints, no samples.
   * @example
   * new AverageLearner({ rtol: 0.01 }).new().npoints; // 0
   */
  new(): AverageLearner {
    return new AverageLearner({
      atol: this.atol === Number.POSITIVE_INFINITY ? undefined : this.atol,
      rtol: this.rtol === Number.POSITIVE_INFINITY ? undefined : this.rtol,
      minNpoints: this.minNpoints,
    });
  }
}
