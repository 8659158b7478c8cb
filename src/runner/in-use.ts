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

/**
 * Claims `learner` for a run, or throws an Error naming who holds it. O(1).
 * @example
 * claimLearner('run', learner); // then releaseLearner(learner) when the run ends
 */
export function claimLearner(where: string, learner: Learner<unknown, unknown>): void {
  const holder = inUse.get(learner);
  if (holder !== undefined) {
    throw new Error(
      `${where}: this learner is already being run (by ${holder}); a learner runs under one run at a time — await the other run's end or cancel it first, or run a copy`,
    );
  }
  inUse.set(learner, where === 'Runner' ? 'a Runner' : `${where}()`);
}

/**
 * Releases a learner claimed by {@link claimLearner}. O(1).
 * @example
 * releaseLearner(learner);
 */
export function releaseLearner(learner: Learner<unknown, unknown>): void {
  inUse.delete(learner);
}
