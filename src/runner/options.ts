/**
 * Validation of the runner's options and the goal check shared by `run` and `runSync`.
 */

import type { Learner } from '../learners/types.js';
import { checkOptionKeys, describe, optionalPositiveInteger } from '../util/validate.js';
import type { CheckpointOptions, GoalOptions, StopReason } from './types.js';

/**
 * Goals in checked form; absent ones are `undefined`.
 * @example
 * const g: Goals<Learner<number, number>> = checkGoals('run', { lossGoal: 0.1 }, learner, false);
 */
export interface Goals<L> {
  lossGoal: number | undefined;
  npointsGoal: number | undefined;
  durationGoal: number | undefined;
  /** `endTimeGoal` as milliseconds since the epoch. */
  endTime: number | undefined;
  goal: ((learner: L) => boolean) | undefined;
  /** Whether the learner has `done()`. */
  hasDone: boolean;
}

/**
 * The option names of the goals.
 * @example
 * GOAL_KEYS.includes('lossGoal'); // true
 */
export const GOAL_KEYS = ['lossGoal', 'npointsGoal', 'durationGoal', 'endTimeGoal', 'goal'];

function nonNegative(where: string, name: string, x: unknown): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'number') {
    throw new TypeError(`${where}: ${name} must be a non-negative number, got ${describe(x)}`);
  }
  if (!(x >= 0)) {
    throw new RangeError(`${where}: ${name} must be a non-negative number, got ${describe(x)}`);
  }
  return x;
}

/**
 * Checks an optional finite positive number (intervals, in ms).
 * @example
 * optionalPositiveFinite('run', 'progressIntervalMs', 0); // RangeError
 */
export function optionalPositiveFinite(
  where: string,
  name: string,
  x: unknown,
): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'number') {
    throw new TypeError(`${where}: ${name} must be a positive number of ms, got ${describe(x)}`);
  }
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`${where}: ${name} must be a positive number of ms, got ${describe(x)}`);
  }
  return x;
}

/**
 * Checks an optional non-negative integer.
 * @example
 * optionalNonNegativeInteger('run', 'retries', 1.5); // RangeError: run: retries must be a non-negative integer, got 1.5
 */
export function optionalNonNegativeInteger(
  where: string,
  name: string,
  x: unknown,
): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'number') {
    throw new TypeError(`${where}: ${name} must be a non-negative integer, got ${describe(x)}`);
  }
  if (!Number.isSafeInteger(x) || x < 0) {
    throw new RangeError(`${where}: ${name} must be a non-negative integer, got ${describe(x)}`);
  }
  return x;
}

/**
 * How many points in a row may be given up with nothing learnt (`raiseIfRetriesExceeded:
 * false`, see `RunOptions.maxConsecutiveFailures`) before a run stops with reason
 * `'consecutiveFailures'`: a function failing everywhere costs this many evaluations (times
 * 1 + retries), then the run ends.
 * @example
 * await run(learner, () => { throw new Error('down'); }, { raiseIfRetriesExceeded: false, lossGoal: 0.01 });
 * // { reason: 'consecutiveFailures', failures: [100 entries], ... }
 */
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 100;

/**
 * Checks `maxConsecutiveFailures`: a positive integer, or `Infinity` (never stop for failures).
 * @example
 * optionalFailureLimit('run', 0); // RangeError: run: maxConsecutiveFailures must be a positive integer or Infinity, got 0
 */
export function optionalFailureLimit(where: string, x: unknown): number | undefined {
  if (x === undefined || x === Number.POSITIVE_INFINITY) return x;
  const what = `${where}: maxConsecutiveFailures must be a positive integer or Infinity, got ${describe(x)}`;
  if (typeof x !== 'number') throw new TypeError(what);
  if (!Number.isSafeInteger(x) || x < 1) throw new RangeError(what);
  return x;
}

/**
 * Checks an optional boolean.
 * @example
 * optionalBoolean('run', 'log', 1); // TypeError: run: log must be true or false, got 1
 */
export function optionalBoolean(where: string, name: string, x: unknown): boolean | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'boolean') {
    throw new TypeError(`${where}: ${name} must be true or false, got ${describe(x)}`);
  }
  return x;
}

/**
 * Checks an optional function.
 * @example
 * optionalFunction('run', 'goal', true); // TypeError: run: goal must be a function, got true
 */
export function optionalFunction<F>(where: string, name: string, x: unknown): F | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'function') {
    throw new TypeError(`${where}: ${name} must be a function, got ${describe(x)}`);
  }
  return x as F;
}

/**
 * Checks an optional AbortSignal.
 * @example
 * optionalSignal('run', AbortSignal.abort()).aborted; // true
 */
export function optionalSignal(where: string, x: unknown): AbortSignal | undefined {
  if (x === undefined) return undefined;
  if (!(x instanceof AbortSignal)) {
    throw new TypeError(`${where}: signal must be an AbortSignal, got ${describe(x)}`);
  }
  return x;
}

/**
 * Throws a TypeError unless `learner` has the methods the runner calls.
 * @example
 * checkLearner('run', {}); // TypeError: run: learner has no ask() method; is it a Learner?
 */
export function checkLearner(where: string, learner: unknown): void {
  if (learner === null || typeof learner !== 'object') {
    throw new TypeError(`${where}: learner must be a Learner object, got ${describe(learner)}`);
  }
  const l = learner as Record<string, unknown>;
  for (const m of ['ask', 'tell', 'tellPending', 'removeUnfinished', 'loss']) {
    if (typeof l[m] !== 'function') {
      throw new TypeError(`${where}: learner has no ${m}() method; is it a Learner?`);
    }
  }
}

/**
 * Checks the goal options; throws a RangeError when there is none, unless the learner has
 * `done()` or `allowForever` is set.
 * @example
 * checkGoals('run', { npointsGoal: -3 }, learner, false);
 * // RangeError: run: npointsGoal must be a non-negative number, got -3
 */
export function checkGoals<L>(
  where: string,
  o: GoalOptions<L>,
  learner: L,
  allowForever: boolean,
): Goals<L> {
  const lossGoal = nonNegative(where, 'lossGoal', o.lossGoal);
  const npointsGoal = nonNegative(where, 'npointsGoal', o.npointsGoal);
  const durationGoal = nonNegative(where, 'durationGoal', o.durationGoal);
  let endTime: number | undefined;
  const e: unknown = o.endTimeGoal;
  if (e !== undefined) {
    if (!(e instanceof Date)) {
      throw new TypeError(`${where}: endTimeGoal must be a Date, got ${describe(e)}`);
    }
    endTime = e.getTime();
    if (Number.isNaN(endTime)) throw new RangeError(`${where}: endTimeGoal is an invalid Date`);
  }
  const goal = optionalFunction<(learner: L) => boolean>(where, 'goal', o.goal);
  const hasDone = typeof (learner as { done?: unknown }).done === 'function';
  if (
    lossGoal === undefined &&
    npointsGoal === undefined &&
    durationGoal === undefined &&
    endTime === undefined &&
    goal === undefined &&
    !hasDone &&
    !allowForever
  ) {
    throw new RangeError(
      `${where}: no goal given; pass lossGoal, npointsGoal, durationGoal, endTimeGoal or goal` +
        ' (a learner without done() would otherwise run forever)',
    );
  }
  return { lossGoal, npointsGoal, durationGoal, endTime, goal, hasDone };
}

/**
 * `checkpoint` options in checked form.
 * @example
 * const c: CheckedCheckpoint = { path: 'a.json', everyMs: 60000, journal: undefined, fsync: false, resume: false };
 */
export interface CheckedCheckpoint {
  path: string;
  everyMs: number;
  journal: string | undefined;
  fsync: boolean;
  resume: boolean;
}

/**
 * Checks `checkpoint: { path, everyMs, journal, fsync, resume }`; `everyMs` defaults to 60 000.
 * @example
 * checkCheckpoint('run', { path: 'a.json' }); // { path: 'a.json', everyMs: 60000, journal: undefined, fsync: false, resume: false }
 */
export function checkCheckpoint(where: string, x: unknown): CheckedCheckpoint | undefined {
  if (x === undefined) return undefined;
  checkOptionKeys(`${where}: checkpoint`, x, ['path', 'everyMs', 'journal', 'fsync', 'resume']);
  const c = x as Partial<CheckpointOptions>;
  if (typeof c.path !== 'string' || c.path === '') {
    throw new TypeError(
      `${where}: checkpoint.path must be a non-empty string, got ${describe(c.path)}`,
    );
  }
  if (c.journal !== undefined && (typeof c.journal !== 'string' || c.journal === '')) {
    throw new TypeError(
      `${where}: checkpoint.journal must be a non-empty string, got ${describe(c.journal)}`,
    );
  }
  if (c.journal === c.path) {
    throw new RangeError(
      `${where}: checkpoint.journal and checkpoint.path must be different files, both are ${c.path}`,
    );
  }
  const everyMs = optionalPositiveFinite(where, 'checkpoint.everyMs', c.everyMs) ?? 60_000;
  return {
    path: c.path,
    everyMs,
    journal: c.journal,
    fsync: optionalBoolean(where, 'checkpoint.fsync', c.fsync) ?? false,
    resume: optionalBoolean(where, 'checkpoint.resume', c.resume) ?? false,
  };
}

export { checkOptionKeys, optionalPositiveInteger };

/**
 * The first met goal, or `undefined`; `startMs` is the run's start (`performance.now()`).
 * The clock is read, and `loss()` called, only when such a goal is set.
 * @example
 * metGoal(learner, checkGoals('run', { npointsGoal: 0 }, learner, false), 0); // 'npointsGoal'
 */
export function metGoal<L extends Learner<unknown, unknown>>(
  learner: L,
  g: Goals<L>,
  startMs: number,
): StopReason | undefined {
  if (g.hasDone && (learner.done as () => boolean)()) return 'done';
  if (g.npointsGoal !== undefined && learner.npoints >= g.npointsGoal) return 'npointsGoal';
  if (g.durationGoal !== undefined && performance.now() - startMs >= g.durationGoal) {
    return 'durationGoal';
  }
  if (g.endTime !== undefined && Date.now() >= g.endTime) return 'endTimeGoal';
  if (g.lossGoal !== undefined && learner.loss() <= g.lossGoal) return 'lossGoal';
  if (g.goal?.(learner)) return 'goal';
  return undefined;
}
