/**
 * DataSaver: keeps the full result of each evaluation while the wrapped learner learns from
 * one number (or vector) picked out of it.
 *
 * Port of python-adaptive `data_saver.py` (v1.5.2). The constructor takes its arguments by
 * position, and {@link makeDataSaver} passes every argument on to the learner factory
 * (python-adaptive's `make_datasaver` drops the positional ones, its §15.2 #10). The full
 * results are keyed by the point's value, not its identity, so array points work; a snapshot
 * holds them (JSON-safe) beside the wrapped learner's.
 */
import { decodeData, encodeData } from '../io/json.js';
import type {
  AskOptions,
  AskResult,
  Learner,
  LearnerSnapshot,
  LossOptions,
  PointOf,
  ValueOf,
} from './types.js';
import { describe, snapshotReader } from './validate.js';

const SNAPSHOT_VERSION = 1;
// The writers of PointMap, reachable from this module only.
const kAdd = Symbol('add');
const kReset = Symbol('reset');

/**
 * The lookup key of a point: a number is its own key (NaN equals NaN, -0 equals 0, as in a
 * `Map`), anything else its JSON text with NaN and ±Infinity spelled out. O(point size).
 */
/** Equal numbers (NaN equal to NaN) or equal arrays of them, element by element. */
function sameData(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
  }
  const la = a as ArrayLike<unknown> | null;
  const lb = b as ArrayLike<unknown> | null;
  if (la === null || lb === null || typeof la !== 'object' || typeof lb !== 'object') {
    return a === b;
  }
  if (typeof la.length !== 'number' || la.length !== lb.length) return false;
  for (let i = 0; i < la.length; i++) if (!sameData(la[i], lb[i])) return false;
  return true;
}

function keyOf(point: unknown): number | string {
  return typeof point === 'number' ? point : JSON.stringify(encodeData(point));
}

/**
 * A read-only map from points to values that finds a point by its value: `get([0, 0.5])`
 * finds the entry told for any array `[0, 0.5]`, not only the same array object. Iterates in
 * the order the points were first told.
 *
 * @example
 * saver.extraData.get(0.5); // the full result told at x = 0.5
 * [...saver.extraData]; // [[point, result], ...]
 */
export class PointMap<P, R> implements Iterable<[P, R]> {
  /** key → [point, value] */
  readonly #map = new Map<number | string, [P, R]>();

  /** Number of points. */
  get size(): number {
    return this.#map.size;
  }

  /** The value told at `point`, or `undefined`. O(point size). */
  get(point: P): R | undefined {
    return this.#map.get(keyOf(point))?.[1];
  }

  /** Whether a value was told at `point`. O(point size). */
  has(point: P): boolean {
    return this.#map.has(keyOf(point));
  }

  /** The points, in the order they were first told. */
  *keys(): IterableIterator<P> {
    for (const e of this.#map.values()) yield e[0];
  }

  /** The values, in the order their points were first told. */
  *values(): IterableIterator<R> {
    for (const e of this.#map.values()) yield e[1];
  }

  /** `[point, value]` pairs, in the order the points were first told. */
  *entries(): IterableIterator<[P, R]> {
    for (const e of this.#map.values()) yield [e[0], e[1]];
  }

  [Symbol.iterator](): IterableIterator<[P, R]> {
    return this.entries();
  }

  /** Calls `fn(value, point)` for each entry, in the order the points were first told. */
  forEach(fn: (value: R, point: P) => void): void {
    for (const e of this.#map.values()) fn(e[1], e[0]);
  }

  /** Adds an entry unless the point is there; returns whether it was added. */
  [kAdd](point: P, value: R): boolean {
    const k = keyOf(point);
    if (this.#map.has(k)) return false;
    this.#map.set(k, [point, value]);
    return true;
  }

  /** Replaces every entry. */
  [kReset](entries: readonly [P, R][]): void {
    this.#map.clear();
    for (const [p, v] of entries) this[kAdd](p, v);
  }
}

/** One point with its full result, as returned by {@link DataSaver.toRecords}. */
export interface DataSaverRecord<P, R> {
  x: P;
  y: R;
}

/**
 * Wraps a learner so that the evaluate function can return a rich result (an object with
 * timings, diagnostics, several outputs): `pick(result)` is told to the wrapped learner, and
 * the full result is kept in {@link DataSaver.extraData}. Everything else (ask, loss,
 * npoints, pendingPoints, done, ...) is the wrapped learner's.
 *
 * @example
 * const saver = new DataSaver(new Learner1D({ bounds: [0, 1] }), (r: { y: number }) => r.y);
 * await run(saver, (x) => ({ y: x * x, ms: 12 }), { npointsGoal: 20 });
 * saver.extraData.get(1); // { y: 1, ms: 12 }
 * saver.learner.npoints; // 20
 */
export class DataSaver<P, R, V = unknown> implements Learner<P, R> {
  /** The wrapped learner. */
  readonly learner: Learner<P, V>;
  /** Picks the value told to the wrapped learner out of a full result. */
  readonly pick: (result: R) => V;
  /** The full result of each point told, by point (first result kept, as the learners do). */
  readonly extraData: PointMap<P, R> = new PointMap<P, R>();
  /** Present when the wrapped learner has `done()`: the wrapped learner's. */
  readonly done?: () => boolean;

  /**
   * @param learner the learner to wrap (any learner, composites included).
   * @param pick the value to tell the learner, from the full result.
   */
  constructor(learner: Learner<P, V>, pick: (result: R) => V) {
    const l = learner as unknown as Record<string, unknown> | null;
    if (l === null || typeof l !== 'object') {
      throw new TypeError(`DataSaver: learner must be a Learner, got ${describe(learner)}`);
    }
    for (const m of ['ask', 'tell', 'tellMany', 'tellPending', 'removeUnfinished', 'loss']) {
      if (typeof l[m] !== 'function') {
        throw new TypeError(`DataSaver: learner has no ${m}() method; is it a Learner?`);
      }
    }
    if (typeof pick !== 'function') {
      throw new TypeError(
        `DataSaver: pick must be a function from the full result to the learner's value, got ${describe(pick)}`,
      );
    }
    this.learner = learner;
    this.pick = pick;
    if (typeof learner.done === 'function') this.done = () => (learner.done as () => boolean)();
  }

  /** The wrapped learner's. */
  get npoints(): number {
    return this.learner.npoints;
  }

  /** The wrapped learner's. */
  get pendingPoints(): readonly P[] {
    return this.learner.pendingPoints;
  }

  /** The wrapped learner's. */
  ask(n: number, options?: AskOptions): AskResult<P> {
    return this.learner.ask(n, options);
  }

  /** The wrapped learner's. */
  loss(options?: LossOptions): number {
    return this.learner.loss(options);
  }

  /** The wrapped learner's. */
  tellPending(point: P): void {
    this.learner.tellPending(point);
  }

  /** The wrapped learner's. */
  removeUnfinished(): void {
    this.learner.removeUnfinished();
  }

  /**
   * Tells `pick(result)` to the wrapped learner and keeps `result` (a point told before keeps
   * its first result). If `pick` throws, or the learner refuses the point, nothing is kept;
   * if the learner kept the point and then threw (a loss function's error), the result is
   * kept too.
   */
  tell(point: P, result: R): void {
    const value = this.pick(result);
    const before = this.learner.npoints;
    try {
      this.learner.tell(point, value);
    } catch (e) {
      // A learner that kept the point and then reported an error (a loss function that
      // threw): the result is kept with it, so the two never disagree.
      if (this.learner.npoints !== before) this.extraData[kAdd](point, result);
      throw e;
    }
    this.extraData[kAdd](point, result);
  }

  /** Tells many results: all are picked first, then told to the learner in one `tellMany`. */
  tellMany(points: readonly P[], results: readonly R[]): void {
    if (!Array.isArray(points) || !Array.isArray(results)) {
      throw new TypeError('DataSaver.tellMany: points and results must be arrays');
    }
    if (points.length !== results.length) {
      throw new RangeError(
        `DataSaver.tellMany: ${points.length} points but ${results.length} results`,
      );
    }
    const picked = results.map((r) => this.pick(r));
    const before = this.learner.npoints;
    try {
      this.learner.tellMany(points, picked);
    } catch (e) {
      // Validated first, so an error after a change (a loss function that threw) came after
      // every point was kept: keep every result too.
      if (this.learner.npoints !== before) {
        for (let i = 0; i < points.length; i++)
          this.extraData[kAdd](points[i] as P, results[i] as R);
      }
      throw e;
    }
    for (let i = 0; i < points.length; i++) this.extraData[kAdd](points[i] as P, results[i] as R);
  }

  /**
   * Every point told with its full result, `{ x: point, y: result }`: sorted by x when the
   * points are numbers, else in the order told. O(n log n).
   */
  toRecords(): DataSaverRecord<P, R>[] {
    const out: DataSaverRecord<P, R>[] = [];
    let numeric = true;
    for (const [x, y] of this.extraData) {
      out.push({ x, y });
      if (typeof x !== 'number') numeric = false;
    }
    if (numeric) out.sort((a, b) => (a.x as number) - (b.x as number));
    return out;
  }

  /**
   * A versioned, JSON-safe snapshot: the wrapped learner's snapshot and the full results in
   * the order told. Results must be JSON data (numbers, strings, booleans, null, arrays,
   * plain objects); NaN and ±Infinity inside points and results are written as the strings
   * 'NaN', 'Infinity', '-Infinity' (so a string spelling one of those comes back as the
   * number). O(n).
   */
  snapshot(): LearnerSnapshot {
    const extra: unknown[] = [];
    for (const [p, r] of this.extraData) extra.push([encodeData(p), encodeData(r)]);
    return {
      type: 'DataSaver',
      version: SNAPSHOT_VERSION,
      learner: this.learner.snapshot(),
      extraData: extra,
    };
  }

  /**
   * Replaces the state by a snapshot's: the wrapped learner's and the full results. A
   * malformed or foreign snapshot throws a TypeError naming the problem and leaves both as
   * they were. O(n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const s = snapshot;
    const { bad } = snapshotReader('DataSaver', SNAPSHOT_VERSION, s);
    if (s.learner === null || typeof s.learner !== 'object')
      bad('learner must be the wrapped learner’s snapshot');
    if (!Array.isArray(s.extraData)) bad('extraData must be an array of [point, result] pairs');
    const entries: [P, R][] = [];
    for (const [i, e] of (s.extraData as unknown[]).entries()) {
      if (!Array.isArray(e) || e.length !== 2) bad(`extraData[${i}] is not a [point, result] pair`);
      const pair = e as unknown[];
      entries.push([decodeData(pair[0]) as P, decodeData(pair[1]) as R]);
    }
    // The wrapped learner's values are derived data: pick of the full results. For the
    // learners that hold one value per point (their toRecords lists them), each of its points
    // must have a full result whose pick is its value, and each result a point; else the
    // learner is put back.
    const backup = this.learner.snapshot();
    this.learner.restore(s.learner as LearnerSnapshot); // throws before any change
    try {
      const type = (s.learner as { type?: unknown }).type;
      if (type === 'Learner1D' || type === 'Learner2D' || type === 'LearnerND') {
        this.#checkAgainstLearner(entries, bad);
      }
    } catch (e) {
      this.learner.restore(backup);
      throw e;
    }
    this.extraData[kReset](entries);
  }

  #checkAgainstLearner(entries: readonly [P, R][], bad: (why: string) => never): void {
    const records = (this.learner as { toRecords?: () => unknown }).toRecords;
    if (typeof records !== 'function') return;
    const list = records.call(this.learner) as unknown;
    if (!Array.isArray(list)) return;
    const byKey = new Map<number | string, R>();
    for (const [p, r] of entries) if (!byKey.has(keyOf(p))) byKey.set(keyOf(p), r);
    for (const rec of list as { x?: unknown; y?: unknown }[]) {
      if (rec === null || typeof rec !== 'object' || !('x' in rec) || !('y' in rec)) return;
      const k = keyOf(rec.x);
      if (!byKey.has(k)) {
        bad(`the learner's point ${describe(rec.x)} has no full result in extraData`);
      }
      let v: unknown;
      try {
        v = this.pick(byKey.get(k) as R);
      } catch (e) {
        bad(`pick threw on the result at ${describe(rec.x)}: ${(e as Error).message}`);
      }
      if (!sameData(v, rec.y)) {
        bad(
          `the learner's value ${describe(rec.y)} at ${describe(rec.x)} is not pick of its full result (${describe(v)})`,
        );
      }
    }
    if (list.length !== byKey.size) {
      bad(`extraData has ${byKey.size} points, the learner ${list.length}`);
    }
  }

  /**
   * An empty DataSaver (python-adaptive's `new()`): the wrapped learner's `new()` and the
   * same `pick`, no extra data.
   * @throws TypeError when the wrapped learner has no `new()` method.
   * @example
   * new DataSaver(new Learner1D({ bounds: [0, 1] }), (r: { y: number }) => r.y).new().npoints; // 0
   */
  new(): DataSaver<P, R, V> {
    const f = (this.learner as unknown as { new?: () => Learner<P, V> }).new;
    if (typeof f !== 'function') {
      throw new TypeError('DataSaver.new: the wrapped learner has no new() method');
    }
    return new DataSaver<P, R, V>(f.call(this.learner), this.pick);
  }
}

/**
 * A factory of DataSavers: `makeDataSaver(make, pick)(...args)` is
 * `new DataSaver(make(...args), pick)`, with every argument passed on (python-adaptive's
 * `make_datasaver` drops the positional ones). Handy as the `makeLearner` of
 * `BalancingLearner.fromProduct`.
 *
 * @example
 * const make = makeDataSaver((o: Learner1DOptions) => new Learner1D(o), (r: { y: number }) => r.y);
 * const saver = make({ bounds: [0, 1] }); // a DataSaver around a Learner1D
 */
export function makeDataSaver<A extends unknown[], L extends Learner<unknown, unknown>, R>(
  make: (...args: A) => L,
  pick: (result: R) => ValueOf<L>,
): (...args: A) => DataSaver<PointOf<L>, R, ValueOf<L>> {
  if (typeof make !== 'function') {
    throw new TypeError(`makeDataSaver: make must be a function, got ${describe(make)}`);
  }
  if (typeof pick !== 'function') {
    throw new TypeError(`makeDataSaver: pick must be a function, got ${describe(pick)}`);
  }
  return (...args: A) =>
    new DataSaver(make(...args) as unknown as Learner<PointOf<L>, ValueOf<L>>, pick);
}
