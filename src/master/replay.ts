/**
 * ReplayMaster: answers from a recorded run, in the recorded order (TaskMaster.jl's
 * HistoryMaster). Given to the runner, it makes the runner ask the learner for exactly the
 * recorded number of points at exactly the recorded moments, and releases each recorded
 * result only after the previous one was told, so a deterministic learner goes through the
 * very same calls as in the recorded run, whatever timing the original run had. That turns a
 * parallel run that went wrong into a reproducible, single-threaded debugging session.
 */

import { type LogEntry, parseLog, pointKey, samePoint } from '../io/log.js';
import { describe } from '../util/validate.js';
import { AbortFanout } from './abort-fanout.js';
import { abortError, kSequence, type Master, type Sequencer } from './types.js';

interface Call<V> {
  key: string;
  resolve: (v: V) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const FRESH = 0;
/** Used directly: results are released in the recorded order as their points are requested. */
const FREE = 1;
/** Driven by a runner through {@link kSequence}. */
const SEQUENCED = 2;

function failureError(e: { error: string; kind?: string | undefined }): Error {
  const err = new Error(e.error);
  if (e.kind === 'timeout') err.name = 'TimeoutError';
  else if (e.kind === 'crash') err.name = 'WorkerCrashError';
  return err;
}

/**
 * A {@link Master} that replays a run log (`log: true` in {@link run}, or its NDJSON text).
 *
 * - Through the runner, `run(learner, new ReplayMaster(log))` rebuilds the recorded run
 *   exactly: the runner asks the recorded numbers of points, gets the recorded values in the
 *   recorded order, fails the recorded attempts, gives up the recorded points, and stops
 *   where the recording ends (reason `'replayEnded'`; a goal may stop it earlier, in the
 *   state of the log up to that tell). The learner must be built with the same options and
 *   start from the same state, and the run needs the recorded run's `retries` and
 *   `raiseIfRetriesExceeded`; otherwise the run fails with an error naming the first
 *   difference. No goal is needed. One run per ReplayMaster.
 * - Used directly, `evaluate(point)` answers with the recorded value (or rejects with the
 *   recorded error) of that point; answers are released in the recorded order, so a point
 *   waits until every point recorded before it has been asked for. A point that is not in the
 *   recording rejects at once.
 *
 * @example
 * const { log } = await run(new Learner1D({ bounds: [-1, 1] }), pool, { npointsGoal: 200, log: true });
 * const copy = new Learner1D({ bounds: [-1, 1] });
 * await run(copy, new ReplayMaster(log!)); // reason 'replayEnded'
 * copy.snapshot(); // deep-equals the original learner's snapshot
 */
export class ReplayMaster<P = unknown, V = unknown> implements Master<P, V> {
  /** The largest number of points the recorded run had in flight at once (at least 1). */
  readonly concurrency: number;
  readonly #entries: readonly LogEntry<P, V>[];
  /** Indices of the results (tell, retry and fail entries), in order. */
  readonly #results: number[] = [];
  #mode = FRESH;
  #closed = false;
  /** Unanswered calls, by point key. */
  readonly #waiting = new Map<string, Call<V>[]>();
  /** One abort listener per signal, however many calls wait on it. */
  readonly #aborts = new AbortFanout();
  // Free mode: the next result to release, and per key the results not yet claimed by a call.
  #next = 0;
  readonly #available = new Map<string, number>();
  // Sequenced mode: the cursor, the entry of the result released and not yet told (-1: none),
  // the points the recorded asks gave that were not evaluated yet, the first disagreement,
  // and the runner's wake-up call.
  #pos = 0;
  #releasedAt = -1;
  readonly #expected = new Map<string, number>();
  /** Points the runner may evaluate again (after a recorded `retry`), by key. */
  readonly #retrying = new Map<string, number>();
  #mismatch: Error | undefined;
  #checkQueued = false;
  #wake: (() => void) | undefined;

  constructor(log: readonly LogEntry<P, V>[] | string) {
    let entries: readonly LogEntry<P, V>[];
    if (typeof log === 'string') entries = parseLog<P, V>(log);
    else if (Array.isArray(log)) entries = log;
    else {
      throw new TypeError(
        `ReplayMaster: log must be a run log (an array of entries) or its NDJSON text, got ${describe(log)}`,
      );
    }
    this.#entries = entries;
    let outstanding = 0;
    let most = 1;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as LogEntry<P, V>;
      if (e === null || typeof e !== 'object') {
        throw new TypeError(`ReplayMaster: log entry ${i} is not an object: ${describe(e)}`);
      }
      switch (e.op) {
        case 'ask':
          outstanding += e.points.length;
          if (outstanding > most) most = outstanding;
          break;
        case 'retry':
        case 'tell':
        case 'fail': {
          // The NaN told for a given-up point is the runner's doing, not a result to answer.
          if (e.op === 'tell' && e.failed === true) break;
          if (e.op !== 'retry') outstanding--; // a retried point stays in flight
          this.#results.push(i);
          const k = pointKey(e.point);
          this.#available.set(k, (this.#available.get(k) ?? 0) + 1);
          break;
        }
        case 'removeUnfinished':
          outstanding = 0;
          break;
        default:
          throw new TypeError(
            `ReplayMaster: log entry ${i} has unknown op ${describe((e as { op: unknown }).op)}`,
          );
      }
    }
    this.concurrency = most;
  }

  /** Recorded results not released yet. */
  get remaining(): number {
    if (this.#mode === SEQUENCED) {
      let n = 0;
      for (const i of this.#results) if (i >= this.#pos) n++;
      return n - (this.#releasedAt >= 0 ? 1 : 0);
    }
    return this.#results.length - this.#next;
  }

  /** Whether {@link ReplayMaster.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Answers with the recorded outcome of `point`: its value, or a rejection with the recorded
   * error message (name `TimeoutError`/`WorkerCrashError` for those failure kinds). Rejects at
   * once for a point not in the recording, with an `AbortError` when `signal` aborts first,
   * and after `close()`.
   */
  evaluate(point: P, signal?: AbortSignal): Promise<V> {
    if (this.#closed) {
      return Promise.reject(new Error('ReplayMaster: evaluate() called after close()'));
    }
    if (signal?.aborted) {
      return Promise.reject(abortError('ReplayMaster: evaluation aborted', signal.reason));
    }
    const key = pointKey(point);
    if (this.#mode === SEQUENCED) return this.#evaluateSequenced(point, key, signal);
    this.#mode = FREE;
    const avail = this.#available.get(key) ?? 0;
    if (avail <= 0) {
      return Promise.reject(
        new Error(
          `ReplayMaster: point ${describe(point)} is not in the recording (or each of its recorded results was already used)`,
        ),
      );
    }
    this.#available.set(key, avail - 1);
    const p = this.#enqueue(key, signal, () =>
      this.#available.set(key, (this.#available.get(key) ?? 0) + 1),
    );
    this.#releaseFree();
    return p;
  }

  /** Rejects the calls still waiting; later calls reject. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const calls of this.#waiting.values()) {
        for (const c of calls) {
          this.#unlisten(c);
          c.reject(new Error('ReplayMaster: closed before the evaluation was answered'));
        }
      }
      this.#waiting.clear();
    }
    return Promise.resolve();
  }

  /** Same as {@link ReplayMaster.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The runner's side of the replay (internal protocol, see {@link kSequence}). */
  get [kSequence](): Sequencer<P> {
    return this.#sequencer;
  }

  readonly #sequencer: Sequencer<P> = {
    attach: (wake) => {
      this.#enterSequenced();
      this.#wake = wake;
    },
    askSize: () => {
      this.#enterSequenced();
      this.#scheduleCheck();
      const e = this.#entries[this.#pos];
      if (e === undefined || e.op === 'removeUnfinished') return undefined;
      if (e.op === 'ask') {
        this.#pos++;
        for (const p of e.points) {
          const k = pointKey(p);
          this.#expected.set(k, (this.#expected.get(k) ?? 0) + 1);
        }
        return e.n;
      }
      this.#releaseNext();
      return 0;
    },
    askNext: () => this.#entries[this.#pos]?.op === 'ask',
    told: (point) => this.#advance('tell', point),
    retried: (point) => {
      this.#advance('retry', point);
      const k = pointKey(point);
      this.#retrying.set(k, (this.#retrying.get(k) ?? 0) + 1);
    },
    gaveUp: (point) => this.#advance('fail', point),
  };

  #enterSequenced(): void {
    if (this.#mismatch !== undefined) throw this.#mismatch;
    if (this.#closed) throw new Error('ReplayMaster: used by a run after close()');
    if (this.#mode === FREE) {
      throw new Error(
        'ReplayMaster: evaluate() was called directly before this run; use a new ReplayMaster for a run',
      );
    }
    this.#mode = SEQUENCED;
  }

  /** The runner told (or gave up) `point`: it must be the recorded result under the cursor. */
  #advance(op: 'tell' | 'retry' | 'fail', point: P): void {
    this.#enterSequenced();
    const i = this.#pos;
    const e = this.#entries[i];
    if (op === 'tell' && e?.op === 'tell' && e.failed === true && samePoint(e.point, point)) {
      // The NaN of a given-up point: no result was released for it.
      this.#pos++;
      this.#scheduleCheck();
      return;
    }
    if (e === undefined || e.op !== op || !samePoint(e.point, point)) {
      const did = op === 'tell' ? 'told' : op === 'fail' ? 'gave up' : 'retried';
      this.#mismatch = new Error(
        `ReplayMaster: the run ${did} point ${describe(point)} where the recording has ${describeEntry(e, i)}${op === 'tell' ? '' : '; run the replay with the retries and raiseIfRetriesExceeded of the recorded run'}`,
      );
      throw this.#mismatch;
    }
    this.#pos++;
    this.#releasedAt = -1;
    this.#releaseNext();
    this.#scheduleCheck();
  }

  #evaluateSequenced(point: P, key: string, signal: AbortSignal | undefined): Promise<V> {
    if (this.#mismatch !== undefined) return Promise.reject(this.#mismatch);
    // A point evaluated again after a recorded failed attempt.
    const again = this.#retrying.get(key) ?? 0;
    if (again > 0) {
      if (again === 1) this.#retrying.delete(key);
      else this.#retrying.set(key, again - 1);
      const p = this.#enqueue(key, signal, undefined);
      this.#releaseNext();
      return p;
    }
    const n = this.#expected.get(key) ?? 0;
    if (n <= 0) {
      this.#mismatch = new Error(
        `ReplayMaster: the learner asked for point ${describe(point)}, which the recorded asks do not have (cursor at ${describeEntry(this.#entries[this.#pos], this.#pos)}); build the learner with the options and the starting state of the recorded run`,
      );
      return Promise.reject(this.#mismatch);
    }
    if (n === 1) this.#expected.delete(key);
    else this.#expected.set(key, n - 1);
    const p = this.#enqueue(key, signal, undefined);
    this.#releaseNext();
    return p;
  }

  /** Index of the next recorded result at or after the cursor, or -1 when none is left. */
  #nextResult(): number {
    for (let i = this.#pos; i < this.#entries.length; i++) {
      const e = this.#entries[i] as LogEntry<P, V>;
      const op = e.op;
      if (op === 'tell' && e.failed === true) continue;
      if (op === 'tell' || op === 'fail' || op === 'retry') return i;
      if (op === 'removeUnfinished') return -1;
    }
    return -1;
  }

  /**
   * Releases the next recorded result (past any recorded asks: the runner asks those when
   * the result arrives, before it tells it) once its call is waiting, one at a time.
   * Returns false when that result's call is not waiting.
   */
  #releaseNext(): boolean {
    if (this.#releasedAt >= 0) return true;
    const i = this.#nextResult();
    if (i < 0) return true;
    const e = this.#entries[i] as LogEntry<P, V> & { op: 'tell' | 'fail' | 'retry' };
    const call = this.#dequeue(pointKey(e.point));
    if (call === undefined) return false;
    this.#releasedAt = i;
    if (e.op === 'tell') call.resolve(e.value);
    else call.reject(failureError(e));
    return true;
  }

  #scheduleCheck(): void {
    if (!this.#checkQueued) {
      this.#checkQueued = true;
      queueMicrotask(this.#checkTask);
    }
  }

  /**
   * Runs once the runner's turn is over (it has submitted every point asked so far and waits
   * for an arrival): the next recorded result must be on its way. Otherwise the runner is
   * woken to go on by itself: when the recording has no result left (it asks what is still
   * recorded, then ends), or when a recorded ask comes first (in the recorded run an arrival
   * that the log does not show, a failed attempt that was retried, made the runner ask). When
   * the result's point is not being evaluated and no ask is left before it, the run and the
   * recording went apart and the run fails (rather than wait forever).
   */
  readonly #checkTask = (): void => {
    this.#checkQueued = false;
    if (this.#closed || this.#mismatch !== undefined || this.#mode !== SEQUENCED) return;
    if (this.#releaseNext()) {
      if (this.#releasedAt < 0) this.#wake?.();
      return;
    }
    if (this.#entries[this.#pos]?.op === 'ask') {
      this.#wake?.();
      return;
    }
    const i = this.#nextResult();
    this.#mismatch = new Error(
      `ReplayMaster: the recording has ${describeEntry(this.#entries[i], i)}, but the run is not evaluating that point; the learner asked other points than in the recorded run`,
    );
    this.#wake?.();
  };

  /** Releases results in the recorded order while their calls are waiting. */
  #releaseFree(): void {
    while (this.#next < this.#results.length) {
      const e = this.#entries[this.#results[this.#next] as number] as LogEntry<P, V>;
      if (e.op === 'ask' || e.op === 'removeUnfinished') return;
      const call = this.#dequeue(pointKey(e.point));
      if (call === undefined) return;
      this.#next++;
      if (e.op === 'tell') call.resolve(e.value);
      else call.reject(failureError(e));
    }
  }

  #enqueue(
    key: string,
    signal: AbortSignal | undefined,
    onAbort: (() => void) | undefined,
  ): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const call: Call<V> = { key, resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        call.onAbort = () => {
          const calls = this.#waiting.get(key);
          const at = calls?.indexOf(call) ?? -1;
          if (calls !== undefined && at >= 0) calls.splice(at, 1);
          onAbort?.();
          reject(abortError('ReplayMaster: evaluation aborted', signal.reason));
        };
        this.#aborts.add(signal, call.onAbort);
      }
      let calls = this.#waiting.get(key);
      if (calls === undefined) {
        calls = [];
        this.#waiting.set(key, calls);
      }
      calls.push(call);
    });
  }

  #dequeue(key: string): Call<V> | undefined {
    const calls = this.#waiting.get(key);
    if (calls === undefined || calls.length === 0) return undefined;
    const call = calls.shift() as Call<V>;
    if (calls.length === 0) this.#waiting.delete(key);
    this.#unlisten(call);
    return call;
  }

  #unlisten(call: Call<V>): void {
    if (call.signal !== undefined && call.onAbort !== undefined) {
      this.#aborts.delete(call.signal, call.onAbort);
    }
  }
}

function describeEntry(e: LogEntry<unknown, unknown> | undefined, i: number): string {
  if (e === undefined) return 'the end of the recording';
  switch (e.op) {
    case 'ask':
      return `entry ${i}: ask ${e.n} → ${describe(e.points)}`;
    case 'tell':
      return `entry ${i}: tell ${describe(e.point)}`;
    case 'fail':
      return `entry ${i}: fail ${describe(e.point)}`;
    case 'retry':
      return `entry ${i}: retry ${describe(e.point)}`;
    default:
      return `entry ${i}: ${e.op}`;
  }
}
