/**
 * Which learners a run is using: a learner runs under one run at a time.
 *
 * Two runs on one learner interleave their asks and tells: each drops the other's pending
 * points at its end, both count the other's points against their goals, and their logs and
 * checkpoints describe neither run. So `run`, `runSync` and `Runner.start` claim the learner
 * and release it however the run ends.
 */

import type { Learner } from '../learners/types.js';

/** Learner → the name of what runs it (`'run'`, `'Runner'`, `'runSync'`). */
const inUse = new WeakMap<object, string>();

/** Whether `v` looks like a learner (what a wrapper's child must be to be claimed too). */
function isLearner(v: unknown): v is Learner<unknown, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { ask?: unknown }).ask === 'function' &&
    typeof (v as { tell?: unknown }).tell === 'function'
  );
}

/**
 * The learner and every learner it wraps (a BalancingLearner's `learners`, a DataSaver's
 * `learner`, at any depth): a run on a wrapper also asks and tells its children, so a run
 * on a child at the same time would interleave with it as two runs on one learner do.
 */
function family(learner: Learner<unknown, unknown>): object[] {
  const out: object[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [learner];
  while (stack.length > 0) {
    const l = stack.pop();
    if (!isLearner(l) || seen.has(l)) continue;
    seen.add(l);
    out.push(l);
    const { learners, learner: inner } = l as { learners?: unknown; learner?: unknown };
    if (Array.isArray(learners)) stack.push(...learners);
    if (inner !== undefined) stack.push(inner);
  }
  return out;
}

/**
 * Claims `learner` (and the learners it wraps) for a run, or throws an Error naming who holds
 * it. O(learners wrapped).
 * @example
 * claimLearner('run', learner); // then releaseLearner(learner) when the run ends
 */
export function claimLearner(where: string, learner: Learner<unknown, unknown>): void {
  const all = family(learner);
  for (const l of all) {
    const holder = inUse.get(l);
    if (holder === undefined) continue;
    const what = l === learner ? 'this learner' : 'a learner this one wraps';
    throw new Error(
      `${where}: ${what} is already being run (by ${holder}); a learner runs under one run at a time — await the other run's end or cancel it first, or run a copy`,
    );
  }
  const name = where === 'Runner' ? 'a Runner' : `${where}()`;
  for (const l of all)
    inUse.set(l, l === learner ? name : `${name}, through a learner that wraps it`);
}

/**
 * Releases a learner (and the learners it wraps) claimed by {@link claimLearner}. O(learners wrapped).
 * @example
 * releaseLearner(learner);
 */
export function releaseLearner(learner: Learner<unknown, unknown>): void {
  for (const l of family(learner)) inUse.delete(l);
}
