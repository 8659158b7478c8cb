/**
 * runSync: the plain synchronous ask/evaluate/tell loop (python-adaptive's `simple`).
 */

import type { Learner } from '../learners/types.js';
import { describe } from '../master/options.js';
import { claimLearner, releaseLearner } from './in-use.js';
import {
  checkGoals,
  checkLearner,
  checkOptionKeys,
  GOAL_KEYS,
  type Goals,
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
 * {@link run} (checked before the first ask and after each batch); with `npointsGoal` an ask
 * is never for more points than the goal still needs. Points the learner holds pending
 * when the run starts (a restored snapshot's) are evaluated first. A learner runs under one
 * run at a time: a learner that `run` or `runSync` is running is refused with an Error. Deterministic for a
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
  claimLearner(where, learner); // throws when a run holds it
  try {
    return loop(learner, f, goals, perAsk, log, signal);
  } finally {
    releaseLearner(learner);
  }
}

function loop<P, V, L extends Learner<P, V>>(
  learner: L & Learner<P, V>,
  f: (point: P) => V,
  goals: Goals<L>,
  perAsk: number,
  log: LogEntry<P, V>[] | undefined,
  signal: AbortSignal | undefined,
): RunSummary<P, V> {
  const where = 'runSync';
  const start = performance.now();
  let fnTime = 0;
  let told = 0;
  let reason: StopReason | undefined = signal?.aborted
    ? 'cancelled'
    : metGoal(learner, goals, start);
  let clean = false;
  // Points pending before the run (a restored snapshot's) are evaluated first.
  const backlog = reason === undefined ? learner.pendingPoints.slice() : [];
  let next = 0;
  try {
    while (reason === undefined) {
      let n = perAsk;
      if (goals.npointsGoal !== undefined) {
        // No more evaluations than the goal needs: a tell adds at most one point.
        n = Math.max(1, Math.min(n, Math.ceil(goals.npointsGoal) - learner.npoints));
      }
      let points: P[];
      if (next < backlog.length) {
        points = backlog.slice(next, next + n);
        next += points.length;
        if (log !== undefined) log.push({ op: 'ask', n: 0, points });
      } else {
        points = learner.ask(n).points;
        if (log !== undefined) log.push({ op: 'ask', n, points });
        if (points.length === 0) {
          reason = goals.hasDone && learner.done?.() ? 'done' : 'exhausted';
          break;
        }
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
