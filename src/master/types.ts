/**
 * The Master protocol: whatever evaluates points for the runner (the current thread, a
 * worker pool, a job queue, a recorded run). The runner never cares where a value comes from.
 */

/**
 * Evaluates points of type `P` into values of type `V`, up to `concurrency` at a time, in any
 * order. Anything that owns threads or connections frees them in `close()`.
 *
 * @example
 * const master: Master<number, number> = new InlineMaster((x: number) => x * x);
 * await master.evaluate(3); // 9
 * await master.close();
 */
export interface Master<P = unknown, V = unknown> {
  /** Number of evaluations it can run at once (a positive integer). */
  readonly concurrency: number;
  /**
   * Evaluates one point. Calls beyond `concurrency` wait their turn. Rejects with the
   * evaluation's error, or with an `AbortError` when `signal` aborts before the value arrives.
   */
  evaluate(point: P, signal?: AbortSignal): Promise<V>;
  /** Frees what the master owns; later `evaluate` calls reject. Idempotent. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose]?(): Promise<void>;
}

/**
 * Tells whether `x` looks like a {@link Master} (has `evaluate`, `close` and `concurrency`).
 *
 * @example
 * isMaster(new InlineMaster((x: number) => x)); // true
 * isMaster((x: number) => x); // false
 */
export function isMaster(x: unknown): x is Master<unknown, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const m = x as Record<string, unknown>;
  return (
    typeof m.evaluate === 'function' &&
    typeof m.close === 'function' &&
    typeof m.concurrency === 'number'
  );
}

/**
 * Makes the `AbortError` that masters reject with when an evaluation is aborted; the
 * signal's reason (when it has one) is kept as `cause`.
 *
 * @example
 * abortError('InlineMaster: evaluation aborted').name; // 'AbortError'
 */
export function abortError(message: string, reason?: unknown): DOMException {
  const e = new DOMException(message, 'AbortError');
  // As the `{ name, cause }` options of Node's DOMException would (browsers' DOMException
  // takes a name only): an own, non-enumerable `cause`.
  if (reason !== undefined) {
    Object.defineProperty(e, 'cause', { value: reason, writable: true, configurable: true });
  }
  return e;
}

/**
 * Internal protocol between the runner and masters that replay a recording (not public
 * API): a master with this key is asked by the runner, before every ask, how many points to
 * ask for, and is told each outcome, so that a replayed run makes exactly the recorded calls.
 * @example
 * kSequence in new ReplayMaster(log); // true
 */
export const kSequence: unique symbol = Symbol('Master.sequence');

/**
 * What a master exposes under {@link kSequence}. The runner calls `attach(wake)` when it
 * starts (`wake()` makes it run its loop although nothing arrived), `askSize()` where it
 * would compute the free slots (a number of points to ask, 0 for none now, `undefined` when
 * the recording has ended), `askNext()` after an ask (whether the recording asks again
 * before its next result), `told(point)` after each tell, `retried(point)` before it
 * evaluates a point again after a failed attempt, and `gaveUp(point)` after it gives a point
 * up. Any of them may throw to fail the run (the recording and the run disagree).
 *
 * @example
 * const seq = (master as { [kSequence]?: Sequencer<number> })[kSequence];
 * const n = seq?.askSize(); // e.g. 2
 */
export interface Sequencer<P> {
  attach(wake: () => void): void;
  askSize(): number | undefined;
  askNext(): boolean;
  told(point: P): void;
  retried(point: P): void;
  gaveUp(point: P): void;
}

/**
 * Internal protocol between the runner and a master that can deliver results without a
 * promise per point (not public API; WorkerPoolMaster has it): `master[kSubmit](point,
 * signal, sink, tag, t0)` evaluates `point` as `evaluate(point, signal)` would, and reports
 * the outcome by calling `sink.arrive(point, value, failed, tag, t0)` once, never
 * synchronously inside the `kSubmit` call (the value is the error when `failed`). `tag` and
 * `t0` are the caller's, handed back unchanged.
 * @example
 * const submit = (master as { [kSubmit]?: Submit<number> })[kSubmit];
 * submit?.call(master, 0.5, signal, { arrive: (p, v, failed) => {} }, 1, performance.now());
 */
export const kSubmit: unique symbol = Symbol('Master.submit');

/** Where a master with {@link kSubmit} reports each outcome. */
export interface ResultSink<P> {
  arrive(point: P, value: unknown, failed: boolean, tag: number, t0: number): void;
}

/** The method under {@link kSubmit}. */
export type Submit<P> = (
  point: P,
  signal: AbortSignal | undefined,
  sink: ResultSink<P>,
  tag: number,
  t0: number,
) => void;
