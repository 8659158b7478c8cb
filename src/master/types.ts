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
export interface Master<P, V> {
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
  return reason === undefined
    ? new DOMException(message, 'AbortError')
    : new DOMException(message, { name: 'AbortError', cause: reason });
}
