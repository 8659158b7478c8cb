/**
 * runSync: the plain synchronous ask/evaluate/tell loop (python-adaptive's `simple`).
 */

import type { Learner } from '../learners/types.js';
import { describe } from '../master/options.js';
import {
  checkGoals,
  checkLearner,
  checkOptionKeys,
  GOAL_KEYS,
  metGoal,
  optionalBoolean,
  optionalPositiveInteger,
  optionalSignal,
} from './options.js';
import type { LogEntry, RunSummary, RunSyncOptions, StopReason } from './types.js';

const SYNC_KEYS = [...GOAL_KEYS, 'pointsPerAsk', 'log', 'signal'];

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `learner` on the synchronous function `f` in a plain loop, no promises: ask
 * `pointsPerAsk` points, evaluate and tell each, check the goals, repeat. Goals as in
 * {@link run} (checked before the first ask and after each batch). Deterministic for a
 * deterministic learner. An exception of `f` removes the batch's untold points from the
 * learner's pending points and is rethrown wrapped (original as `cause`); a promise returned
 * by `f` throws a TypeError. Stops with `reason: 'exhausted'` when the learner gives no point.
 *
 * Port of python-adaptive runner.py, `simple`.
 *
 * @example
 * const s = runSync(new Learner1D({ bounds: [0, 1] }), (x: number) => x * x, { npointsGoal: 20 });
 * s.npoints; // 20
 */
export function runSync<P, V, L extends Learner<P, V> = Learner<P, V>>(
  learner: L & Learner<P, V>,
  f: (point: P) => V,
  options: RunSyncOptions<L> = {},
): RunSummary<P, V> {
  const where = 'runSync';
  checkLearner(where, learner);
  checkOptionKeys(where, options, SYNC_KEYS);
  if (typeof f !== 'function') {
    throw new TypeError(`${where}: f must be a function, got ${describe(f)}`);
  }
  const o = options as RunSyncOptions<L>;
  const perAsk = optionalPositiveInteger(where, 'pointsPerAsk', o.pointsPerAsk) ?? 1;
  const log: LogEntry<P, V>[] | undefined = optionalBoolean(where, 'log', o.log) ? [] : undefined;
  const signal = optionalSignal(where, o.signal);
  const goals = checkGoals<L>(where, o, learner, false);

  const start = performance.now();
  let fnTime = 0;
  let told = 0;
  let reason: StopReason | undefined = signal?.aborted
    ? 'cancelled'
    : metGoal(learner, goals, start);
  let clean = false;
  try {
    while (reason === undefined) {
      const points = learner.ask(perAsk).points;
      if (log !== undefined) log.push({ op: 'ask', n: perAsk, points });
      if (points.length === 0) {
        reason = goals.hasDone && learner.done?.() ? 'done' : 'exhausted';
        break;
      }
      for (let i = 0; i < points.length; i++) {
        const point = points[i] as P;
        const t0 = performance.now();
        let value: V;
        try {
          value = f(point);
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          throw new Error(`${where}: evaluating point ${describe(point)} failed: ${msg}`, {
            cause: e,
          });
        }
        fnTime += performance.now() - t0;
        if (isThenable(value)) {
          value.then(undefined, () => undefined); // never an unhandled rejection
          throw new TypeError(
            `${where}: f returned a promise for point ${describe(point)}; use run() for async functions`,
          );
        }
        learner.tell(point, value);
        told++;
        if (log !== undefined) log.push({ op: 'tell', point, value });
      }
      reason = signal?.aborted ? 'cancelled' : metGoal(learner, goals, start);
    }
    clean = true;
  } finally {
    if (!clean && learner.pendingPoints.length > 0) {
      // Drop the untold points of the failed batch so none stays pending forever.
      learner.removeUnfinished();
      if (log !== undefined) log.push({ op: 'removeUnfinished' });
    }
  }
  const elapsedMs = performance.now() - start;
  const summary: RunSummary<P, V> = {
    npoints: learner.npoints,
    loss: learner.loss(),
    elapsedMs,
    failures: [],
    cancelled: reason === 'cancelled',
    reason,
    evaluations: told,
    overhead: fnTime > 0 && elapsedMs > 0 ? Math.max(0, (1 - fnTime / elapsedMs) * 100) : 0,
  };
  if (log !== undefined) summary.log = log;
  return summary;
}
