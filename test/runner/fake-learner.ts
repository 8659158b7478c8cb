/**
 * Test helpers for the runner: a small deterministic learner over the integers 0..n-1 that
 * implements the full Learner protocol, and a controllable async function.
 */

import { decodeValue, encodeValue } from '../../src/io/json.js';
import type {
  AskOptions,
  AskResult,
  Learner,
  LearnerSnapshot,
  LossOptions,
} from '../../src/learners/types.js';

/** Options of {@link IntegerLearner}. */
export interface IntegerLearnerOptions {
  /** Give the learner a `done()` method (true when every index is told). */
  withDone?: boolean;
  /** Hand out at most this many points per ask (default: as many as asked). */
  maxPerAsk?: number;
  /** Never hand out an index twice, even when it was dropped from the pending points. */
  noReask?: boolean;
}

/**
 * A learner over the integers 0..n-1: `ask(k)` hands out the k smallest indices neither
 * told nor pending; the loss is the share of indices not told yet.
 */
export class IntegerLearner implements Learner<number, number> {
  readonly n: number;
  readonly maxPerAsk: number;
  readonly noReask: boolean;
  readonly data = new Map<number, number>();
  readonly pending = new Set<number>();
  /** The `n` of every `ask` call, for tests. */
  readonly askCalls: number[] = [];
  /** Number of `loss()` calls, for tests. */
  lossCalls = 0;
  done?: () => boolean;
  #hint = 0;

  constructor(n: number, options: IntegerLearnerOptions = {}) {
    this.n = n;
    this.maxPerAsk = options.maxPerAsk ?? Number.POSITIVE_INFINITY;
    this.noReask = options.noReask ?? false;
    if (options.withDone) this.done = () => this.data.size === this.n;
  }

  #check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) {
      throw new RangeError(`IntegerLearner: point ${i} is outside 0..${this.n - 1}`);
    }
  }

  ask(k: number, options: AskOptions = {}): AskResult<number> {
    if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`IntegerLearner: bad n ${k}`);
    this.askCalls.push(k);
    const points: number[] = [];
    const limit = Math.min(k, this.maxPerAsk);
    // Every index below the hint is told or pending: asks are O(1) amortised.
    let i = this.#hint;
    while (i < this.n && (this.data.has(i) || this.pending.has(i))) i++;
    this.#hint = i;
    for (; i < this.n && points.length < limit; i++) {
      if (!this.data.has(i) && !this.pending.has(i)) points.push(i);
    }
    if (this.noReask && (options.tellPending ?? true)) this.#hint = i;
    if (options.tellPending ?? true) for (const p of points) this.pending.add(p);
    return { points, lossImprovements: points.map(() => 1 / this.n) };
  }

  tell(point: number, value: number): void {
    this.#check(point);
    if (typeof value !== 'number') {
      throw new TypeError(`IntegerLearner: value at ${point} must be a number`);
    }
    this.data.set(point, value);
    this.pending.delete(point);
  }

  tellMany(points: readonly number[], values: readonly number[]): void {
    for (let i = 0; i < points.length; i++) this.tell(points[i] as number, values[i] as number);
  }

  tellPending(point: number): void {
    this.#check(point);
    if (!this.data.has(point)) this.pending.add(point);
  }

  removeUnfinished(): void {
    this.pending.clear();
    if (!this.noReask) this.#hint = 0;
  }

  loss(options: LossOptions = {}): number {
    this.lossCalls++;
    const real = options.real ?? true;
    const known = this.data.size + (real ? 0 : this.pending.size);
    return (this.n - known) / this.n;
  }

  get npoints(): number {
    return this.data.size;
  }

  get pendingPoints(): readonly number[] {
    return [...this.pending];
  }

  snapshot(): LearnerSnapshot {
    const data = [...this.data.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([x, y]) => [x, encodeValue(y)]);
    return {
      type: 'IntegerLearner',
      version: 1,
      n: this.n,
      data,
      pending: [...this.pending].sort((a, b) => a - b),
    };
  }

  restore(snapshot: LearnerSnapshot): void {
    this.data.clear();
    this.pending.clear();
    this.#hint = 0;
    for (const [x, y] of snapshot.data as [number, unknown][]) {
      this.data.set(x, decodeValue(y) as number);
    }
    for (const p of snapshot.pending as number[]) this.pending.add(p);
  }
}

/** One call of a {@link controlled} function, waiting to be settled by the test. */
export interface PendingCall<P, V> {
  point: P;
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * An async function whose calls stay pending until the test settles them, in any order.
 *
 * @example
 * const c = controlled<number, number>();
 * run(learner, c.fn, { npointsGoal: 3, concurrency: 2 });
 * await flush();
 * c.calls[1]!.resolve(10); // the second call finishes first
 */
export function controlled<P, V>(): { fn: (p: P) => Promise<V>; calls: PendingCall<P, V>[] } {
  const calls: PendingCall<P, V>[] = [];
  const fn = (point: P) =>
    new Promise<V>((resolve, reject) => {
      calls.push({ point, resolve, reject });
    });
  return { fn, calls };
}

/** Lets pending microtasks and immediates run (a few rounds). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
