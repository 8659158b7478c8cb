/**
 * adaptive-sampling: parallel adaptive sampling of functions.
 *
 * Learners decide where to evaluate next (`ask`), masters evaluate in parallel, results go
 * back to the learner (`tell`) until a goal is met.
 */
export { decodeNumber, decodeValue, encodeNumber, encodeValue, type JsonNumber } from './io/json.js';
export { Learner1D, type Learner1DOptions, type Record1D, type Value1D } from './learners/learner1d.js';
export {
  absMinLogLoss,
  curvatureLoss,
  defaultLoss,
  type IntervalLoss,
  type LossY,
  resolutionLoss,
  triangleLoss,
  uniformLoss,
  usesNthNeighbors,
} from './learners/losses1d.js';
export type {
  AskOptions,
  AskResult,
  Learner,
  LearnerSnapshot,
  LossOptions,
  PointOf,
  Value,
  ValueOf,
} from './learners/types.js';
export { IndexedHeap, type LossQueue, ReferenceQueue, type TieKeys } from './queue/index.js';
