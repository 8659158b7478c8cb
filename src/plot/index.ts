/**
 * adaptive-sampling/plot: SVG pictures of learners, as strings (no DOM needed, runs in Node
 * and in browsers). Deterministic: the same data gives the same bytes, so pictures can be
 * committed and compared.
 *
 * @example
 * import { plot1D } from 'adaptive-sampling/plot';
 * writeFileSync('peak.svg', plot1D(learner, { title: 'peak' }));
 */
export { type PlotAverage2DOptions, type PlotAverage2DSource, plotAverage2D } from './average2d.js';
export {
  type BalancingSource,
  type PlotBalancingOptions,
  plotBalancing,
  plotKind,
  plotLearner,
} from './balancing.js';
export {
  type ColorMap,
  type ColorMapName,
  colorMap,
  colorMapFrom,
  PALETTE,
  paletteColor,
} from './colormap.js';
export { type LossRecord, type PlotLossOptions, plotLoss, recordLoss } from './loss.js';
export { lastTold, type Plot1DOptions, type Plot1DSource, plot1D } from './plot1d.js';
export {
  type Plot2DOptions,
  type Plot2DSource,
  plot2D,
  type SimplexMesh,
  type TriangleMesh,
} from './plot2d.js';
export { formatTick, linearScale, logScale, niceTicks, type Scale } from './scale.js';
export { plotSlice, type SliceOptions, type SliceSource } from './slice.js';
export type { CommonOptions } from './svg.js';
