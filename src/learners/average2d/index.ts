/**
 * AverageLearner2D (noisy functions of two variables) and its resampling rule.
 */
export {
  type AverageArrays2D,
  AverageLearner2D,
  type AverageLearner2DOptions,
  type AverageRecord2D,
  type SeedPoint2D,
} from './learner.js';
