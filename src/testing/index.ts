/**
 * The learner conformance kit (`adaptive-sampling/testing`): the learner laws as
 * runner-independent fast-check properties, and the building blocks to write more.
 */

export {
  describeDifference,
  jsonSafetyProblem,
  pointKey,
  sameNumber,
} from './compare.js';
export {
  CONFORMANCE_DELAY,
  CONFORMANCE_ERROR,
  CONFORMANCE_HANG,
  conformanceFunction,
  conformancePeak,
} from './conformance-function.js';
export {
  boxArbitrary,
  convexPolygonArbitrary,
  type IntervalOptions,
  inConvexPolygon,
  inSimplex,
  intervalArbitrary,
  scaleValue,
  simplexArbitrary,
  type ValueScaleOptions,
  valueScaleArbitrary,
} from './domains.js';
export {
  type HistoryOptions,
  type HistoryStep,
  type HistoryTrace,
  historyArbitrary,
  injectNonFinite,
  type NonFinite,
  nonFiniteArbitrary,
  type Pick,
  type RunHistoryOptions,
  runHistory,
} from './history.js';
export {
  checkLearnerLaws,
  type LawOptions,
  LawViolation,
  lawProperty,
} from './laws/check.js';
export { DEFAULT_SEED, LAW_DESCRIPTIONS, LAW_NAMES, type LawName } from './laws/names.js';
export type { LawSubject } from './laws/subject.js';
export {
  type ConformanceScenario,
  checkMaster,
  conformanceRecording,
  MASTER_CHECKS,
  type MasterCheck,
  MasterConformanceError,
  type MasterFactory,
} from './master-conformance.js';
