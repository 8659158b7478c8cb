/**
 * The seam between the browser-safe runner (./runner.ts, in the main entry `src/index.ts`)
 * and what only Node (and Bun, Deno) can do: worker threads, checkpoint files and the live
 * view's server.
 *
 * The core {@link Runner} reads these services from its constructor's static `[kServices]`;
 * the core class has none, so in a browser a run with WorkerPoolMaster options or
 * `checkpoint` fails with a clear error, and a bundler never sees `node:*` or the worker code. The
 * Node runner (./node.ts, exported by `src/node.ts`, the package's `node` condition) is a
 * subclass that sets them. Nothing here is public API.
 *
 * @internal
 */

import type { Learner } from '../learners/types.js';
import type { Master } from '../master/types.js';

/** The Node-only parts the runner uses, bound by `src/runner/node.ts`. @internal */
export interface PlatformServices {
  /** Makes a worker pool from WorkerPoolMaster options (the runner owns and closes it). */
  makePool(options: object): Master<unknown, unknown>;
  /** `resume` of ./checkpoint.ts. */
  resume(learner: Learner<unknown, unknown>, options: { path: string; journal?: string }): unknown;
  /** `writeCheckpoint` of ./checkpoint.ts. */
  writeCheckpoint(
    learner: Learner<unknown, unknown>,
    path: string,
    options: { fsync: boolean },
  ): void;
  /** Opens a journal (./checkpoint.ts `Journal`). */
  openJournal(path: string, options: { fsync: boolean }): PlatformJournal;
  /**
   * Starts a live view of a starting run (the `live` option; ./live-node.ts); resolves (never
   * rejects) once its URL, or its failure to start, is printed.
   */
  startLive(
    runner: LiveTarget,
    option: { port?: number | undefined; host?: string | undefined },
  ): Promise<void>;
}

/** What the live view needs of a runner (a Runner fits). @internal */
export interface LiveTarget {
  readonly status: string;
  readonly done: Promise<unknown>;
}

/** The part of `Journal` the runner uses. @internal */
export interface PlatformJournal {
  append(entries: readonly unknown[]): void;
  truncate(): void;
  close(): void;
}

/** The static key of a Runner class's services. @internal */
export const kServices: unique symbol = Symbol('adaptive-sampling.platformServices');

type Immediate = { readonly __immediate: unique symbol };

/**
 * `setImmediate` where it exists (Node, Bun, Deno), else a zero-delay timeout (browsers have
 * no `setImmediate`). @internal
 */
export const soon: (fn: () => void) => Immediate =
  typeof globalThis.setImmediate === 'function'
    ? (fn) => globalThis.setImmediate(fn) as unknown as Immediate
    : (fn) => globalThis.setTimeout(fn, 0) as unknown as Immediate;

/** Cancels a {@link soon}. @internal */
export const cancelSoon: (handle: Immediate) => void =
  typeof globalThis.clearImmediate === 'function'
    ? (h) => globalThis.clearImmediate(h as never)
    : (h) => globalThis.clearTimeout(h as never);

/** A timer that does not keep the process alive, where timers can be unref'd. @internal */
export function unref<T>(timer: T): T {
  const t = timer as { unref?: () => void };
  if (typeof t === 'object' && t !== null && typeof t.unref === 'function') t.unref();
  return timer;
}
