/**
 * The master a run's `evaluate` argument stands for: a plain function on this thread (an
 * {@link InlineMaster}) or on worker threads (`threads`), a {@link Master} as given, or the
 * options of a WorkerPoolMaster. Worker pools come from the Node runner's services.
 */

import { InlineMaster } from '../master/inline.js';
import { isMaster, type Master } from '../master/types.js';
import { describe } from '../util/validate.js';
import { optionalPositiveInteger } from './options.js';
import type { PlatformServices } from './platform.js';
import type { Evaluator } from './types.js';

/**
 * The master evaluating a run's points, and whether the run made it (and so closes it).
 * Throws a TypeError naming the problem for an `evaluate` or `threads`/`context` the
 * platform cannot serve.
 * @example
 * masterFor('run', (x: number) => x * x, {}, undefined, undefined); // { master: InlineMaster, owned: true }
 */
export function masterFor<P, V>(
  where: string,
  evaluate: Evaluator<P, V>,
  o: { threads?: number | undefined; context?: unknown },
  concurrency: number | undefined,
  services: PlatformServices | undefined,
): { master: Master<P, V>; owned: boolean } {
  let master: Master<P, V>;
  let owned: boolean;
  const threads = optionalPositiveInteger(where, 'threads', o.threads);
  if (threads === undefined && o.context !== undefined) {
    throw new TypeError(`${where}: context is for a function run on threads; pass threads too`);
  }
  if (threads !== undefined) {
    if (typeof evaluate !== 'function') {
      throw new TypeError(
        `${where}: threads is for a plain function (its source is sent to the threads); a Master or WorkerPoolMaster options set their own threads`,
      );
    }
    if (services === undefined) {
      throw new TypeError(
        `${where}: threads need Node worker threads (or Bun, Deno): this is the browser build of adaptive-sampling; leave threads out to run the function here`,
      );
    }
    const pool: { fn: unknown; threads: number; context?: unknown } = { fn: evaluate, threads };
    if (o.context !== undefined) pool.context = o.context;
    try {
      master = services.makePool(pool) as Master<P, V>;
    } catch (e) {
      // The pool's own messages, in the caller's name (a closure refused, a bad context).
      if (e instanceof Error && e.message.startsWith('WorkerPoolMaster: ')) {
        e.message = `${where}: ${e.message.slice(18)}`;
      }
      throw e;
    }
    owned = true;
  } else if (typeof evaluate === 'function') {
    master = new InlineMaster(evaluate, { concurrency: concurrency ?? 1 });
    owned = true;
  } else if (isMaster(evaluate)) {
    master = evaluate as Master<P, V>;
    owned = false;
  } else if (
    evaluate !== null &&
    typeof evaluate === 'object' &&
    ('module' in (evaluate as object) || 'fn' in (evaluate as object))
  ) {
    if (services === undefined) {
      throw new TypeError(
        `${where}: WorkerPoolMaster options ({ module, ... }) need Node worker threads (or Bun, Deno): this is the browser build of adaptive-sampling; pass a function or a Master`,
      );
    }
    master = services.makePool(evaluate as object) as Master<P, V>;
    owned = true;
  } else {
    throw new TypeError(
      `${where}: evaluate must be a function, a Master (evaluate, close, concurrency) or WorkerPoolMaster options ({ module, ... } or { fn, ... }), got ${describe(evaluate)}`,
    );
  }
  return { master, owned };
}
