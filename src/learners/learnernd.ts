/**
 * LearnerND, kept at its old path: the learner is the folder `learnernd/` (one concept per
 * file); this module re-exports its public names.
 */
export * from './learnernd/index.js';
