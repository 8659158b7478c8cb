/**
 * Learner2D: the facade of `learner2d/` (see `learner2d/index.ts`), so that imports of
 * `./learner2d.js` keep working.
 */
export * from './learner2d/index.js';
