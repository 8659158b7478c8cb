/**
 * The sparse-grid learner's public names (re-exported by the main entry): the learner, its
 * options and data types, and its loss functions.
 */
export {
  type ArraysSG,
  type GridSG,
  type RecordSG,
  type SparseGridAnchor,
  SparseGridLearner,
  type SparseGridLearnerOptions,
  type ValueSG,
} from './learner.js';
export {
  defaultLossSG,
  type SparseGridLoss,
  type SparseGridLossInfo,
  surplusLossSG,
  surplusNorm,
  surplusVolumeLossSG,
} from './losses.js';
