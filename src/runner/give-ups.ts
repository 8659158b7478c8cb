/**
 * The points a run gives up (`raiseIfRetriesExceeded: false`): listed in `failures`, never
 * evaluated again, told to the learner as NaN of the values' shape where NaN is a value to it
 * (./failed-value.ts), and counted while the learner learns nothing from them, so that a
 * function failing everywhere ends the run (`maxConsecutiveFailures`).
 */

import { dropPending, pointKey } from '../io/log.js';
import type { Learner } from '../learners/types.js';
import type { Sequencer } from '../master/types.js';
import { errorText } from '../util/validate.js';
import { nanLike, shapeGroup, takesNaN } from './failed-value.js';
import type { Failure, FailureKind, LogEntry } from './types.js';

/**
 * The failure kind of an error: by its name, as the masters set it.
 * @example
 * failureKind(new Error('x')); // 'error'
 */
export function failureKind(e: unknown): FailureKind {
  const name = e !== null && typeof e === 'object' ? (e as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError') return 'timeout';
  if (name === 'WorkerCrashError') return 'crash';
  return 'error';
}

/**
 * A run's given-up points. The runner reports every value it tells (`told`) and every point
 * whose retries are exhausted (`giveUp`); off the hot path but for `told`, which is O(1)
 * unless given-up points wait for their NaN's shape.
 *
 * @example
 * const g = new GiveUps(learner, 100, undefined, (entry) => log.push(entry));
 * g.giveUp(0.5, new Error('down'), 1); // false: the run goes on
 * g.failures; // [{ point: 0.5, error: 'down', attempts: 1, kind: 'error' }]
 */
export class GiveUps<P, V> {
  /** The points given up, in order. */
  readonly failures: Failure<P>[] = [];
  readonly #learner: Learner<P, V>;
  readonly #max: number;
  readonly #seq: Sequencer<P> | undefined;
  /** Records a log entry (the run log, the journal). */
  readonly #record: (entry: LogEntry<P, V>) => void;
  /** Keys of the given-up points, made at the first failure. */
  #keys: Set<string> | undefined;
  /** The last value told in this run: the shape of the NaN told for a failed point. */
  #lastValue: unknown;
  /** Given-up points waiting for a value of their group to learn the shape of their NaN. */
  #deferred: P[] | undefined;
  /**
   * Points given up in a row without the learner being told anything, neither a value nor
   * the NaN of a given-up point.
   */
  #inARow = 0;

  constructor(
    learner: Learner<P, V>,
    maxConsecutiveFailures: number,
    seq: Sequencer<P> | undefined,
    record: (entry: LogEntry<P, V>) => void,
  ) {
    this.#learner = learner;
    this.#max = maxConsecutiveFailures;
    this.#seq = seq;
    this.#record = record;
  }

  /** Whether `point` was given up (a learner asking it again gets it parked, unevaluated). */
  has(point: P): boolean {
    return this.#keys?.has(pointKey(point)) === true;
  }

  /** Notes a value told to the learner: the shape of later NaNs, and of those waiting for it. */
  told(point: P, value: unknown): void {
    this.#inARow = 0;
    this.#lastValue = value;
    if (this.#deferred !== undefined) this.#tellDeferred(point, value);
  }

  /**
   * Gives a point up for good: lists it in `failures`, drops it from the pending points, and
   * tells the learner NaN in its place where NaN is a value to it, so that the learner refines
   * around it and moves on instead of asking it again. The NaN has the shape of the values
   * told in this run; before the first value (of its BalancingLearner child) the point waits,
   * parked, for one. Returns whether the run should stop: `maxConsecutiveFailures` points in
   * a row given up with nothing told (a NaN told counts as learnt).
   */
  giveUp(point: P, value: unknown, attempts: number): boolean {
    const learner = this.#learner;
    const error = errorText(value);
    const kind = failureKind(value);
    this.failures.push({ point, error, attempts, kind });
    if (this.#keys === undefined) this.#keys = new Set();
    this.#keys.add(pointKey(point));
    dropPending(learner, point);
    this.#record({ op: 'fail', point, error, attempts, kind });
    this.#seq?.gaveUp(point);
    if (this.#learnt(point)) {
      this.#inARow = 0;
      return false;
    }
    return ++this.#inARow >= this.#max;
  }

  /** Tells `point` its NaN now, or defers it; whether the learner was told. */
  #learnt(point: P): boolean {
    const learner = this.#learner;
    if (!takesNaN(learner, point)) return false;
    if (this.#lastValue !== undefined && shapeGroup(learner, point) === 0) {
      return this.#tellNaN(point, this.#lastValue);
    }
    if (this.#deferred === undefined) this.#deferred = [];
    this.#deferred.push(point);
    return false;
  }

  /** Tells the given-up points waiting for a value of `point`'s group their NaN. */
  #tellDeferred(point: P, value: unknown): void {
    const learner = this.#learner;
    const group = shapeGroup(learner, point);
    const keep: P[] = [];
    for (const q of this.#deferred as P[]) {
      if (shapeGroup(learner, q) === group) this.#tellNaN(q, value);
      else keep.push(q);
    }
    this.#deferred = keep.length > 0 ? keep : undefined;
  }

  /**
   * Tells NaN shaped like `like` for a given-up point. Values that are not numbers, or a
   * learner that refuses the NaN, leave the point given up and untold. The journal entry
   * follows the tell (a crash in between leaves the point given up, as it was). Returns
   * whether the learner took the NaN.
   */
  #tellNaN(point: P, like: unknown): boolean {
    const nan = nanLike(like);
    if (nan === undefined) return false;
    try {
      this.#learner.tell(point, nan as V);
    } catch {
      return false;
    }
    this.#record({ op: 'tell', point, value: nan as V, failed: true });
    this.#seq?.told(point);
    return true;
  }
}
