/**
 * InlineMaster: evaluates in the current thread, for functions that cannot move (instruments,
 * HTTP services, closures over local state) or are too cheap to be worth a worker.
 */

import { AbortFanout } from './abort-fanout.js';
import { checkOptionKeys, describe, optionalPositiveInteger } from './options.js';
import { abortError, type Master } from './types.js';

/** Options of {@link InlineMaster}. */
export interface InlineMasterOptions {
  /** How many calls of an async function may be in progress at once (default 1). */
  concurrency?: number | undefined;
}

/** A function evaluated by an {@link InlineMaster}: synchronous or asynchronous. */
export type InlineFunction<P, V> = (point: P) => V | PromiseLike<V>;

/**
 * Internal fast path for the runner (not public API): calls the function right away when a
 * slot is free and returns its raw result (a value, or a promise for an async function),
 * throwing what a synchronous function throws; returns {@link BUSY} when every slot is taken.
 * It saves the runner one promise per point for synchronous functions.
 */
export const kTryCall: unique symbol = Symbol('InlineMaster.tryCall');
/** Returned by `[kTryCall]` when the master has no free slot. */
export const BUSY: unique symbol = Symbol('InlineMaster.busy');

interface Waiting<P, V> {
  point: P;
  signal: AbortSignal | undefined;
  resolve: (v: V) => void;
  reject: (e: unknown) => void;
}

const OPTION_KEYS = ['concurrency'] as const;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

/**
 * A {@link Master} that runs a sync or async function in the current thread.
 *
 * A synchronous function runs inside `evaluate` (it occupies no slot once it has returned);
 * an async one occupies one of the `concurrency` slots until its promise settles, and calls
 * beyond that wait in FIFO order. An aborted `signal` rejects the call with an `AbortError`
 * (a queued call then never starts; a running one cannot be interrupted, its result is dropped).
 *
 * @example
 * const master = new InlineMaster(async (x: number) => x * x, { concurrency: 4 });
 * await master.evaluate(3); // 9
 * await master.close();
 */
export class InlineMaster<P = unknown, V = unknown> implements Master<P, V> {
  /** Number of calls of an async function that may be in progress at once. */
  readonly concurrency: number;
  readonly #fn: InlineFunction<P, V>;
  #active = 0;
  #queue: Waiting<P, V>[] = [];
  #queueHead = 0;
  #closed = false;
  readonly #release: () => void;
  /** One abort listener per signal, however many calls wait on it. */
  readonly #aborts = new AbortFanout();

  constructor(fn: InlineFunction<P, V>, options: InlineMasterOptions = {}) {
    if (typeof fn !== 'function') {
      throw new TypeError(`InlineMaster: fn must be a function, got ${describe(fn)}`);
    }
    checkOptionKeys('InlineMaster', options, OPTION_KEYS);
    this.concurrency =
      optionalPositiveInteger('InlineMaster', 'concurrency', options.concurrency) ?? 1;
    this.#fn = fn;
    this.#release = () => {
      this.#active--;
      this.#drain();
    };
  }

  /** Number of async calls in progress. */
  get running(): number {
    return this.#active;
  }

  /** Number of calls waiting for a free slot. */
  get queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  /** Whether {@link InlineMaster.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Evaluates `fn(point)`. Rejects with what `fn` throws or rejects with, with an
   * `AbortError` when `signal` aborts first, or with an Error after `close()`.
   */
  evaluate(point: P, signal?: AbortSignal): Promise<V> {
    if (this.#closed) {
      return Promise.reject(new Error('InlineMaster: evaluate() called after close()'));
    }
    if (signal?.aborted) {
      return Promise.reject(abortError('InlineMaster: evaluation aborted', signal.reason));
    }
    if (this.#active < this.concurrency && this.#queueHead === this.#queue.length) {
      let r: V | PromiseLike<V>;
      try {
        r = this.#call(point);
      } catch (e) {
        return Promise.reject(e);
      }
      if (!isThenable(r)) return Promise.resolve(r);
      if (signal === undefined) return Promise.resolve(r);
      return raceAbort(r, signal, this.#aborts);
    }
    return new Promise<V>((resolve, reject) => {
      const w: Waiting<P, V> = { point, signal, resolve, reject };
      if (signal !== undefined) {
        const aborts = this.#aborts;
        const onAbort = () => reject(abortError('InlineMaster: evaluation aborted', signal.reason));
        aborts.add(signal, onAbort);
        w.resolve = (v) => {
          aborts.delete(signal, onAbort);
          resolve(v);
        };
        w.reject = (e) => {
          aborts.delete(signal, onAbort);
          reject(e);
        };
      }
      this.#queue.push(w);
    });
  }

  /** Internal fast path of the runner; see {@link kTryCall}. */
  [kTryCall](point: P): V | PromiseLike<V> | typeof BUSY {
    if (
      this.#closed ||
      this.#active >= this.concurrency ||
      this.#queueHead !== this.#queue.length
    ) {
      return BUSY;
    }
    return this.#call(point);
  }

  /**
   * Stops accepting calls: queued calls reject, later `evaluate` calls reject. Calls already
   * running cannot be interrupted and finish on their own. Idempotent.
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      const q = this.#queue;
      for (let i = this.#queueHead; i < q.length; i++) {
        (q[i] as Waiting<P, V>).reject(
          new Error('InlineMaster: closed before the evaluation started'),
        );
      }
      this.#queue = [];
      this.#queueHead = 0;
    }
    return Promise.resolve();
  }

  /** Same as {@link InlineMaster.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Calls `fn`; a thenable result takes a slot until it settles. Throws what `fn` throws. */
  #call(point: P): V | PromiseLike<V> {
    const r = this.#fn(point);
    if (!isThenable(r)) return r;
    this.#active++;
    const p = Promise.resolve(r);
    p.then(this.#release, this.#release);
    return p;
  }

  /** Starts queued calls while slots are free. */
  #drain(): void {
    while (this.#active < this.concurrency && this.#queueHead < this.#queue.length) {
      const q = this.#queue;
      const w = q[this.#queueHead] as Waiting<P, V>;
      q[this.#queueHead++] = undefined as unknown as Waiting<P, V>;
      if (this.#queueHead === q.length) {
        this.#queue = [];
        this.#queueHead = 0;
      }
      if (w.signal?.aborted) {
        w.reject(abortError('InlineMaster: evaluation aborted', w.signal.reason));
        continue;
      }
      let r: V | PromiseLike<V>;
      try {
        r = this.#call(w.point);
      } catch (e) {
        w.reject(e);
        continue;
      }
      if (isThenable(r)) r.then(w.resolve, w.reject);
      else w.resolve(r);
    }
  }
}

/** Settles like `p`, or rejects with an AbortError as soon as `signal` aborts. */
function raceAbort<V>(p: PromiseLike<V>, signal: AbortSignal, aborts: AbortFanout): Promise<V> {
  return new Promise<V>((resolve, reject) => {
    const onAbort = () => reject(abortError('InlineMaster: evaluation aborted', signal.reason));
    aborts.add(signal, onAbort);
    p.then(
      (v) => {
        aborts.delete(signal, onAbort);
        resolve(v);
      },
      (e) => {
        aborts.delete(signal, onAbort);
        reject(e);
      },
    );
  });
}
