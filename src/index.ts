/**
 * adaptive-sampling: parallel adaptive sampling of functions.
 *
 * Learners decide where to evaluate next (`ask`), masters evaluate in parallel, results go
 * back to the learner (`tell`) until a goal is met.
 *
 * THE TWO ENTRIES (package.json `exports["."]`):
 * - this file, the browser-safe main entry (`default` condition: browsers, bundlers, Vite):
 *   learners, losses, geometry, the core `run`/`Runner`/`runSync`, InlineMaster,
 *   ReplayMaster, logs. It must never import, even indirectly, `node:*` or the worker
 *   code (test/consumer checks a Vite build of it prints no warning). Its `run`
 *   rejects WorkerPoolMaster options and `checkpoint` with a clear error.
 * - `src/node.ts` (`node` condition: Node, Bun, Deno, and TypeScript with
 *   `moduleResolution: nodenext`): everything here plus WorkerPoolMaster, checkpoint files
 *   (Journal, resume, writeCheckpoint), and its own `run`/`Runner` (src/runner/node.ts) that
 *   make a worker pool from `{ module, threads }` and write checkpoints, through the
 *   services of src/runner/platform.ts. New Node-only features (e.g. `run(learner, f,
 *   { threads })` building a pool) go in src/runner/node.ts's services, not in runner.ts.
 */

export { Delaunay2D } from './geometry/delaunay2d.js';
export {
  choosePointInSimplex,
  circumsphere,
  simplexVolume,
  simplexVolumeInEmbedding,
} from './geometry/simplex-nd.js';
export { TriangulationND } from './geometry/triangulation-nd.js';
export type {
  ResumeOptions,
  ResumeResult,
  WriteCheckpointOptions,
} from './io/checkpoint.js';
export {
  decodeNumber,
  decodeValue,
  encodeNumber,
  encodeValue,
  type JsonNumber,
} from './io/json.js';
export { parseLog, type ReplayOptions, replay, serializeLog } from './io/log.js';
export {
  AverageLearner,
  type AverageLearnerOptions,
  type AverageRecord,
} from './learners/average.js';
export {
  AverageLearner1D,
  type AverageLearner1DOptions,
  type AverageRecord1D,
  type SeedPoint,
} from './learners/average1d.js';
export {
  type AverageArrays2D,
  AverageLearner2D,
  type AverageLearner2DOptions,
  type AverageRecord2D,
  type SeedPoint2D,
} from './learners/average2d/index.js';
export {
  type AnyLearner,
  BALANCING_STRATEGIES,
  BalancingLearner,
  type BalancingLearnerOptions,
  type BalancingPoint,
  type BalancingStrategy,
  type ProductParams,
} from './learners/balancing.js';
export { DataSaver, type DataSaverRecord, makeDataSaver, PointMap } from './learners/data-saver.js';
export {
  DivergentIntegralError,
  type IntegratorInterval,
  IntegratorLearner,
  type IntegratorLearnerOptions,
  type IntegratorRecord,
} from './learners/integrator.js';
export {
  Learner1D,
  type Learner1DOptions,
  type Record1D,
  type Value1D,
} from './learners/learner1d.js';
export {
  type Arrays2D,
  choosePointInTriangle,
  type Grid2D,
  Learner2D,
  type Learner2DOptions,
  type Point2D,
  type Record2D,
  type Triangulation2D,
  type Value2D,
} from './learners/learner2d.js';
export {
  type ArraysND,
  type GridND,
  LearnerND,
  type LearnerNDOptions,
  type RecordND,
  type TriangulationDataND,
  type ValueND,
} from './learners/learnernd.js';
export {
  type CurvatureLossNDOptions,
  curvatureLossND,
  defaultLossND,
  type LossValueND,
  type SimplexLoss,
  stdLossND,
  triangleLossND,
  uniformLossND,
  usesNthNeighborsND,
} from './learners/losses-nd.js';
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
export {
  defaultLoss2D,
  defineLoss2D,
  deviation2D,
  minimizeTriangleSurfaceLoss2D,
  resolutionLoss2D,
  type TriangleLoss,
  type TriangleLossInput,
  thresholdedLoss2D,
  uniformLoss2D,
} from './learners/losses2d.js';
export { SequenceLearner, type SequencePoint, type SequenceRecord } from './learners/sequence.js';
export {
  type ArraysSG,
  defaultLossSG,
  type GridSG,
  type RecordSG,
  type SparseGridAnchor,
  SparseGridLearner,
  type SparseGridLearnerOptions,
  type SparseGridLoss,
  type SparseGridLossInfo,
  surplusLossSG,
  surplusNorm,
  surplusVolumeLossSG,
  type ValueSG,
} from './learners/sparse-grid/index.js';
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
export { type InlineFunction, InlineMaster, type InlineMasterOptions } from './master/inline.js';
export { ReplayMaster } from './master/replay.js';
export { isMaster, type Master } from './master/types.js';
export type {
  ResourceLimits,
  WorkerPoolMasterOptions,
  WorkerPoolStats,
} from './master/worker-pool.js';
export { IndexedHeap, type LossQueue, ReferenceQueue, type TieKeys } from './queue/index.js';
export {
  formatProgress,
  type ProgressRendererOptions,
  type ProgressStream,
  progressRenderer,
} from './runner/progress.js';
export { Runner, type RunnerStatus, run } from './runner/runner.js';
export { runSync } from './runner/sync.js';
export type {
  CheckpointOptions,
  Evaluator,
  Failure,
  FailureKind,
  GoalOptions,
  LogEntry,
  ProgressInfo,
  RunOptions,
  RunSummary,
  RunSyncOptions,
  StopReason,
} from './runner/types.js';
