/**
 * LearnerND's public names: the learner and its types (re-exported by the main entry).
 */
export { LearnerND } from './learner.js';
export type {
  ArraysND,
  GridND,
  LearnerNDOptions,
  RecordND,
  TriangulationDataND,
  ValueND,
} from './types.js';
