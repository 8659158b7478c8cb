/**
 * SequenceLearner: runs a fixed list of tasks through the learner machinery (parallel
 * evaluation, retries, checkpoints), in order, each exactly once.
 *
 * Port of python-adaptive `sequence_learner.py` (v1.5.2). A point is `[index, item]`: the
 * identity of a point is its index, so items may be anything, including objects that cannot
 * be map keys or are not even comparable (python-adaptive #265). The learner never holds the
 * function (python-adaptive wraps it so that `f(item)` is called; here the evaluate function
 * receives `[index, item]`, which also avoids python-adaptive's #11, where loading data
 * replaced that wrapper). A snapshot keeps the pending indices (python-adaptive drops them,
 * its §15.2 #1) but not the items: they are data the user gives the constructor again.
 */
import { decodeData, encodeData } from '../io/json.js';
import type { AskOptions, AskResult, Learner, LearnerSnapshot, LossOptions } from './types.js';
import { checkAsk, checkTellMany, describe, snapshotReader } from './validate.js';

/** A point of {@link SequenceLearner}: the index of an item and the item. */
export type SequencePoint<T> = [index: number, item: T];

/** One evaluated item, as returned by {@link SequenceLearner.toRecords}. */
export interface SequenceRecord<T, V> {
  index: number;
  /** The item. */
  x: T;
  /** The value told for it. */
  y: V;
}

/**
 * Whether two items are the same: identical, or equal data (arrays, typed arrays and objects
 * with equal own keys and entries, NaN equal to NaN), so an item that went through a
 * worker or a JSON log still matches its index. O(size).
 */
function sameItem(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b; // 0 and -0
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (depth > 64) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (Array.isArray(a) !== Array.isArray(b) || ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!sameItem((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1))
      return false;
  }
  return true;
}

/**
 * Where a value holds something its snapshot cannot write (a BigInt, a symbol, a function,
 * or a cycle), as a path like `value.a[2]`; null when it can be written. O(size).
 */
function unwritable(v: unknown, path: string, seen: Set<object>): string | null {
  const t = typeof v;
  if (t === 'bigint') return `${path} is a BigInt (${String(v)}n)`;
  if (t === 'symbol') return `${path} is a symbol`;
  if (t === 'function') return `${path} is a function`;
  if (v === null || t !== 'object') return null;
  if (ArrayBuffer.isView(v)) {
    return v instanceof BigInt64Array || v instanceof BigUint64Array
      ? `${path} is a BigInt array`
      : null;
  }
  const o = v as object;
  if (seen.has(o)) return `${path} refers back to itself (a cycle)`;
  seen.add(o);
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const w = unwritable(o[i], `${path}[${i}]`, seen);
      if (w !== null) return w;
    }
  } else {
    for (const [k, x] of Object.entries(o)) {
      const w = unwritable(x, `${path}.${k}`, seen);
      if (w !== null) return w;
    }
  }
  seen.delete(o);
  return null;
}

const TODO = 0;
const PENDING = 1;
const DONE = 2;
const SNAPSHOT_VERSION = 1;

/**
 * Evaluates every item of a sequence once, handing out the first items not yet done, and
 * is `done()` when all are told. The value of an item can be anything.
 *
 * The loss is the fraction of items not yet evaluated (with `real: false`, not yet evaluated
 * nor pending), 0 when all are done; each point's loss improvement is 1/length.
 *
 * @example
 * const learner = new SequenceLearner([{ a: 1 }, { a: 2 }, { a: 3 }]);
 * await run(learner, ([, item]) => item.a * 10, { concurrency: 2 }); // ends when done()
 * learner.result(); // [10, 20, 30]
 */
export class SequenceLearner<T, V = unknown> implements Learner<SequencePoint<T>, V> {
  /** The items, in order (a copy of the constructor's). */
  readonly items: readonly T[];
  readonly #st: Uint8Array;
  #vals: V[];
  #pending = new Set<number>();
  #nDone = 0;
  /** Every index below `low` is pending or done. */
  #low = 0;

  /**
   * @param items the tasks: an array or any iterable (not a string), at least one item.
   * @throws RangeError for an empty sequence, TypeError for something that is not one.
   */
  constructor(items: Iterable<T>) {
    if (
      items === null ||
      typeof items !== 'object' ||
      typeof (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError(
        `SequenceLearner: items must be an array (or another iterable) of tasks, got ${describe(items)}`,
      );
    }
    const list = Array.from(items);
    if (list.length === 0) {
      throw new RangeError('SequenceLearner: the sequence is empty; give at least one item');
    }
    this.items = list;
    this.#st = new Uint8Array(list.length);
    this.#vals = new Array<V>(list.length);
  }

  /** Number of items. */
  get length(): number {
    return this.items.length;
  }

  /** Number of items evaluated. */
  get npoints(): number {
    return this.#nDone;
  }

  /** The points handed out (or told pending) and not yet told, by index. O(k log k). */
  get pendingPoints(): SequencePoint<T>[] {
    return [...this.#pending]
      .sort((a, b) => a - b)
      .map((i) => [i, this.items[i] as T] as SequencePoint<T>);
  }

  /** Whether every item is evaluated. O(1). */
  done(): boolean {
    return this.#nDone === this.items.length;
  }

  /**
   * The values in sequence order. O(n).
   * @throws Error when some item is not evaluated yet.
   */
  result(): V[] {
    if (!this.done()) {
      throw new Error(
        `SequenceLearner.result: not done: ${this.#nDone} of ${this.items.length} items are evaluated`,
      );
    }
    return this.#vals.slice();
  }

  /**
   * The fraction of items not evaluated (`real: false`: neither evaluated nor pending);
   * 0 when all are done. O(1).
   */
  loss(options?: LossOptions): number {
    const n = this.items.length;
    if (this.#nDone === n) return 0;
    const real = options?.real ?? true;
    return (n - this.#nDone - (real ? 0 : this.#pending.size)) / n;
  }

  #checkPoint(point: unknown, what: string): number {
    if (!Array.isArray(point) || point.length !== 2) {
      throw new TypeError(
        `SequenceLearner.${what}: a point is [index, item], got ${describe(point)}`,
      );
    }
    const i = point[0] as unknown;
    if (typeof i !== 'number' || !Number.isInteger(i)) {
      throw new TypeError(
        `SequenceLearner.${what}: the index of point ${describe(point)} must be an integer`,
      );
    }
    if (i < 0 || i >= this.items.length) {
      throw new RangeError(
        `SequenceLearner.${what}: index ${i} is outside the sequence [0, ${this.items.length - 1}]`,
      );
    }
    if (!sameItem(point[1], this.items[i])) {
      throw new TypeError(
        `SequenceLearner.${what}: point ${describe(point)} does not match the sequence: item ${i} is ${describe(this.items[i])}; a point is [index, sequence[index]], as ask hands it out`,
      );
    }
    return i + 0;
  }

  /** Refuses a value the snapshot could not write (see {@link unwritable}). */
  #checkValue(i: number, value: unknown, what: string): void {
    const w = unwritable(value, 'the value', new Set());
    if (w !== null) {
      throw new TypeError(
        `SequenceLearner.${what}: ${w} at index ${i}: a snapshot cannot write it; convert it (e.g. a BigInt to a string) before telling`,
      );
    }
  }

  /**
   * The first `n` items not yet evaluated nor pending, in order: fewer than `n` near the end.
   * With `tellPending: false` the learner is left as it was. O(n) amortised.
   * @throws RangeError when n is not a non-negative integer.
   */
  ask(n: number, options?: AskOptions): AskResult<SequencePoint<T>> {
    const tellPending = checkAsk('SequenceLearner.ask', n, options);
    const points: SequencePoint<T>[] = [];
    const imps: number[] = [];
    if (n === 0) return { points, lossImprovements: imps };
    const len = this.items.length;
    const st = this.#st;
    let i = this.#low;
    while (i < len && st[i] !== TODO) i++;
    this.#low = i; // moving past pending and done items changes nothing observable
    const imp = 1 / len;
    for (; i < len && points.length < n; i++) {
      if (st[i] !== TODO) continue;
      points.push([i, this.items[i] as T]);
      imps.push(imp);
      if (tellPending) {
        st[i] = PENDING;
        this.#pending.add(i);
      }
    }
    return { points, lossImprovements: imps };
  }

  /**
   * Tells the value of the item at `point[0]`. An item told before keeps its first value.
   * O(size of the item and the value).
   * @throws TypeError/RangeError naming the point when it is not `[index, item]` with an
   *   index of the sequence and the item at that index (equal data will do), or when the
   *   value holds what a snapshot cannot write (a BigInt, symbol, function or cycle); the
   *   learner is then unchanged.
   */
  tell(point: SequencePoint<T>, value: V): void {
    const i = this.#checkPoint(point, 'tell');
    this.#checkValue(i, value, 'tell');
    this.#tellIndex(i, value);
  }

  #tellIndex(i: number, value: V): void {
    const s = this.#st[i];
    if (s === DONE) return;
    if (s === PENDING) this.#pending.delete(i);
    this.#st[i] = DONE;
    this.#vals[i] = value;
    this.#nDone++;
  }

  /** Tells many points; all are validated first, so an error leaves the learner unchanged. O(k). */
  tellMany(points: readonly SequencePoint<T>[], values: readonly V[]): void {
    checkTellMany('SequenceLearner.tellMany', points, values);
    const idx = points.map((p, k) => {
      const i = this.#checkPoint(p, 'tellMany');
      this.#checkValue(i, values[k], 'tellMany');
      return i;
    });
    for (let k = 0; k < idx.length; k++) this.#tellIndex(idx[k] as number, values[k] as V);
  }

  /** Marks an item as being evaluated, so `ask` does not hand it out. No-op when told. O(1). */
  tellPending(point: SequencePoint<T>): void {
    const i = this.#checkPoint(point, 'tellPending');
    if (this.#st[i] !== TODO) return;
    this.#st[i] = PENDING;
    this.#pending.add(i);
  }

  /** Gives the pending items back: they are handed out again. O(pending). */
  removeUnfinished(): void {
    for (const i of this.#pending) {
      this.#st[i] = TODO;
      if (i < this.#low) this.#low = i;
    }
    this.#pending.clear();
  }

  /** The evaluated items in sequence order, as `{ index, x: item, y: value }`. O(n). */
  toRecords(): SequenceRecord<T, V>[] {
    const out: SequenceRecord<T, V>[] = [];
    for (let i = 0; i < this.items.length; i++) {
      if (this.#st[i] === DONE)
        out.push({ index: i, x: this.items[i] as T, y: this.#vals[i] as V });
    }
    return out;
  }

  /**
   * A versioned, JSON-safe snapshot: the sequence length, the evaluated indices with their
   * values and the pending indices. Not the items: restore into a learner built with the
   * same sequence. Values must be JSON data (numbers, strings, booleans, null, arrays, plain
   * objects); NaN and ±Infinity inside them are written as the strings 'NaN', 'Infinity',
   * '-Infinity' (so a string value spelling one of those comes back as the number). O(n).
   */
  snapshot(): LearnerSnapshot {
    const indices: number[] = [];
    const values: unknown[] = [];
    for (let i = 0; i < this.items.length; i++) {
      if (this.#st[i] === DONE) {
        indices.push(i);
        values.push(encodeData(this.#vals[i]));
      }
    }
    return {
      type: 'SequenceLearner',
      version: SNAPSHOT_VERSION,
      length: this.items.length,
      indices,
      values,
      pending: [...this.#pending].sort((a, b) => a - b),
    };
  }

  /**
   * Replaces this learner's state by a snapshot's. A malformed or foreign snapshot, or one of
   * a sequence of another length, throws a TypeError naming the problem and leaves the
   * learner as it was. O(n).
   */
  restore(snapshot: LearnerSnapshot): void {
    const s = snapshot;
    const { bad } = snapshotReader('SequenceLearner', SNAPSHOT_VERSION, s);
    const len = this.items.length;
    if (s.length !== len) {
      bad(
        `the snapshot is of a sequence of ${describe(s.length)} items, this learner has ${len}; restore into a learner built with the same sequence`,
      );
    }
    const { indices, values, pending } = s;
    if (!Array.isArray(indices) || !Array.isArray(values) || !Array.isArray(pending))
      bad('indices, values and pending must be arrays');
    const ind = indices as unknown[];
    const val = values as unknown[];
    const pen = pending as unknown[];
    if (ind.length !== val.length)
      bad(`indices has ${ind.length} entries but values has ${val.length}`);
    const st = new Uint8Array(len);
    const vals = new Array<V>(len);
    const check = (v: unknown, what: string, prev: number): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= len)
        bad(`${what} = ${describe(v)} is not an index of the sequence`);
      if ((v as number) <= prev) bad(`${what}: indices must increase`);
      return v as number;
    };
    let prev = -1;
    for (let k = 0; k < ind.length; k++) {
      const i = check(ind[k], `indices[${k}]`, prev);
      st[i] = DONE;
      vals[i] = decodeData(val[k]) as V;
      prev = i;
    }
    prev = -1;
    const pend = new Set<number>();
    for (let k = 0; k < pen.length; k++) {
      const i = check(pen[k], `pending[${k}]`, prev);
      if (st[i] === DONE) bad(`pending[${k}] = ${i} is also an evaluated index`);
      st[i] = PENDING;
      pend.add(i);
      prev = i;
    }
    this.#st.set(st);
    this.#vals = vals;
    this.#pending = pend;
    this.#nDone = ind.length;
    let low = 0;
    while (low < len && st[low] !== TODO) low++;
    this.#low = low;
  }

  /**
   * An empty learner of the same sequence (python-adaptive's `new()`). O(length).
   * @example
   * new SequenceLearner(['a', 'b']).new().npoints; // 0
   */
  new(): SequenceLearner<T, V> {
    return new SequenceLearner<T, V>(this.items);
  }
}
