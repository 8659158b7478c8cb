/**
 * plotBalancing: small multiples of a BalancingLearner's children; plotLearner: the plot
 * that fits a learner.
 */

import { renderTitle } from './axes.js';
import { type Plot1DOptions, type Plot1DSource, render1D } from './plot1d.js';
import { type Plot2DOptions, type Plot2DSource, render2D } from './plot2d.js';
import { renderSlice, type SliceOptions, type SliceSource } from './slice.js';
import {
  type BaseStyle,
  COMMON_KEYS,
  type CommonOptions,
  checkKeys,
  checkSize,
  num,
  styleOf,
  svgRoot,
} from './svg.js';

/** Which plot fits a learner. */
type Kind = '1d' | '2d' | 'slice' | 'balancing';

function isPair(b: unknown): b is readonly [number, number] {
  return Array.isArray(b) && b.length === 2 && typeof b[0] === 'number' && typeof b[1] === 'number';
}

/** A DataSaver's wrapped learner (recursively); any other learner as it is. */
function unwrap(learner: unknown): unknown {
  let l = learner;
  for (let i = 0; i < 10; i++) {
    const o = l as Record<string, unknown> | null;
    if (o === null || typeof o !== 'object' || !('extraData' in o) || typeof o.learner !== 'object')
      break;
    l = o.learner;
  }
  return l;
}

/**
 * The plot that fits a learner: `'1d'` ({@link plot1D}: Learner1D, AverageLearner1D,
 * IntegratorLearner), `'2d'` ({@link plot2D}: Learner2D, a 2-D LearnerND), `'slice'`
 * ({@link plotSlice}: LearnerND), `'balancing'` ({@link plotBalancing}), or `null`. A
 * DataSaver is plotted as the learner it wraps.
 *
 * @example
 * plotKind(new Learner1D({ bounds: [0, 1] })); // '1d'
 */
export function plotKind(learner: unknown): Kind | null {
  if (learner === null || typeof learner !== 'object') return null;
  const l = unwrap(learner) as Record<string, unknown>;
  if (Array.isArray(l.learners) && Array.isArray(l.cdims)) return 'balancing';
  if (typeof l.interpolateGrid === 'function' && typeof l.dim === 'number') {
    return l.dim === 2 && typeof l.triangulation === 'function' ? '2d' : 'slice';
  }
  if (
    typeof l.triangulation === 'function' &&
    Array.isArray(l.bounds) &&
    l.bounds.length === 2 &&
    isPair(l.bounds[0]) &&
    isPair(l.bounds[1])
  ) {
    return '2d';
  }
  if (typeof l.toArrays === 'function' && isPair(l.bounds)) return '1d';
  return null;
}

function renderAny(
  where: string,
  learner: unknown,
  o: Record<string, unknown>,
  width: number,
  height: number,
  style: BaseStyle,
): string {
  const inner = unwrap(learner);
  switch (plotKind(inner)) {
    case '1d':
      return render1D(where, inner as Plot1DSource, o as Plot1DOptions, width, height, style);
    case '2d':
      return render2D(where, inner as Plot2DSource, o as Plot2DOptions, width, height, style);
    case 'slice':
      return renderSlice(where, inner as SliceSource, o as SliceOptions, width, height, style);
    case 'balancing':
      return renderBalancing(
        where,
        inner as BalancingSource,
        o as PlotBalancingOptions,
        width,
        height,
        style,
      );
    default:
      throw new TypeError(
        `${where}: no plot for this learner (plots exist for Learner1D, AverageLearner1D, IntegratorLearner, Learner2D, LearnerND and BalancingLearner)`,
      );
  }
}

/**
 * What {@link plotBalancing} reads: `learners` and their labels `cdims`. `BalancingLearner`
 * fits.
 * @example
 * const source: BalancingSource = BalancingLearner.fromProduct({ a: [1, 2] }, () => new Learner1D({ bounds: [0, 1] }));
 */
export interface BalancingSource {
  readonly learners: readonly unknown[];
  readonly cdims: readonly unknown[];
}

/**
 * Options of {@link plotBalancing}.
 * @example
 * { columns: 3, panelWidth: 300, panelHeight: 200, shareY: true, panel: { points: false } }
 */
export interface PlotBalancingOptions extends CommonOptions {
  /** Panels per row (default ⌈√children⌉). */
  columns?: number | undefined;
  /** Width of one panel in px (default 320). */
  panelWidth?: number | undefined;
  /** Height of one panel in px (default 230). */
  panelHeight?: number | undefined;
  /** The same y range in every 1-D panel (default false). */
  shareY?: boolean | undefined;
  /** The title of child i (default: its cdims as `key=value, ...`, and its point count). */
  panelTitle?: ((cdim: unknown, index: number, learner: unknown) => string) | undefined;
  /** Options passed to every panel's plot (those of plot1D, plot2D or plotSlice). */
  panel?: Readonly<Record<string, unknown>> | undefined;
}

const OPTION_KEYS = [
  ...COMMON_KEYS,
  'columns',
  'panelWidth',
  'panelHeight',
  'shareY',
  'panelTitle',
  'panel',
];

function describeCdim(c: unknown): string {
  if (c === null || typeof c !== 'object') return String(c);
  return Object.entries(c as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(6)) : String(v)}`)
    .join(', ');
}

function sharedY(learners: readonly unknown[]): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const l of learners) {
    if (plotKind(l) !== '1d') continue;
    const { y } = (l as Plot1DSource).toArrays();
    for (let i = 0; i < y.length; i++) {
      const v = y[i] as number;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!(lo < hi)) return undefined;
  const d = (hi - lo) * 0.05;
  return [lo - d, hi + d];
}

function renderBalancing(
  where: string,
  source: BalancingSource,
  o: PlotBalancingOptions,
  width: number,
  _height: number,
  style: BaseStyle,
): string {
  if (source === null || typeof source !== 'object' || !Array.isArray(source.learners)) {
    throw new TypeError(`${where}: expected a BalancingLearner (learners and cdims)`);
  }
  const n = source.learners.length;
  const cols = o.columns ?? Math.max(1, Math.ceil(Math.sqrt(n)));
  if (!Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${where}: columns must be a positive integer, got ${String(o.columns)}`);
  }
  const pw = checkSize(where, 'panelWidth', o.panelWidth, 320);
  const ph = checkSize(where, 'panelHeight', o.panelHeight, 230);
  const top = o.title !== undefined ? style.fontSize * 1.35 + 16 : 0;
  const panelStyle: BaseStyle = { ...style, background: 'none' };
  const yDomain = o.shareY === true ? sharedY(source.learners) : undefined;
  let out = '';
  source.learners.forEach((child, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    const cdim = source.cdims[i];
    const npts = (child as { npoints?: unknown }).npoints;
    const title =
      o.panelTitle !== undefined
        ? o.panelTitle(cdim, i, child)
        : `${describeCdim(cdim)}${typeof npts === 'number' ? ` (${npts} points)` : ''}`;
    const po: Record<string, unknown> = { ...(o.panel ?? {}), title };
    if (yDomain !== undefined && plotKind(child) === '1d' && po.yDomain === undefined)
      po.yDomain = yDomain;
    out += `<g class="panel" data-index="${i}" transform="translate(${num(col * pw)} ${num(top + row * ph)})">\n`;
    out += renderAny(`${where}: learners[${i}]`, child, po, pw, ph, {
      ...panelStyle,
      fontSize: style.fontSize * 0.9,
    });
    out += '</g>\n';
  });
  out += renderTitle(o.title, width, style);
  return out;
}

/**
 * Small multiples of a BalancingLearner's children: one panel per child, in rows of
 * `columns`, each the plot that fits the child (see {@link plotKind}) titled with its
 * `cdims` and point count. The picture's size follows from the panels. Deterministic.
 * O(total points).
 *
 * @example
 * const b = BalancingLearner.fromProduct({ width: [0.01, 0.1] }, () => new Learner1D({ bounds: [-1, 1] }));
 * runSync(b, b.dispatch((x, { width }) => Math.exp(-(x * x) / width)), { npointsGoal: 200 });
 * const svg = plotBalancing(b, { columns: 2, shareY: true, title: 'two widths' });
 */
export function plotBalancing(source: BalancingSource, options: PlotBalancingOptions = {}): string {
  checkKeys('plotBalancing', options, OPTION_KEYS);
  const style = styleOf(options);
  const n = Array.isArray(source?.learners) ? source.learners.length : 0;
  const cols = options.columns ?? Math.max(1, Math.ceil(Math.sqrt(n)));
  const pw = options.panelWidth ?? 320;
  const ph = options.panelHeight ?? 230;
  const top = options.title !== undefined ? style.fontSize * 1.35 + 16 : 0;
  const width = options.width ?? Math.min(n, cols) * pw;
  const height = options.height ?? top + Math.ceil(n / Math.max(1, cols)) * ph;
  return svgRoot(
    Math.max(40, width),
    Math.max(40, height),
    style,
    renderBalancing('plotBalancing', source, options, Math.max(40, width), height, style),
  );
}

/**
 * The plot that fits the learner (see {@link plotKind}), with the options every plot takes;
 * axes are labelled `x`, `y` (1-D) or `x₀`, `x₁` (2-D) unless `xLabel`/`yLabel` say otherwise.
 * Throws a TypeError for a learner without a plot (AverageLearner, SequenceLearner).
 *
 * @example
 * writeFileSync('out.svg', plotLearner(learner, { title: 'my run' }));
 */
export function plotLearner(learner: unknown, options: CommonOptions = {}): string {
  checkKeys('plotLearner', options, COMMON_KEYS);
  const style = styleOf(options);
  const kind = plotKind(learner);
  if (kind === 'balancing') return plotBalancing(unwrap(learner) as BalancingSource, options);
  const w = checkSize('plotLearner', 'width', options.width, kind === '1d' ? 640 : 560);
  const h = checkSize('plotLearner', 'height', options.height, kind === '1d' ? 400 : 480);
  // Axis labels by default (the command line's pictures had none); a slice names its own.
  const labels =
    kind === '1d'
      ? { xLabel: 'x', yLabel: 'y' }
      : kind === '2d'
        ? { xLabel: 'x₀', yLabel: 'x₁' }
        : {};
  return svgRoot(
    w,
    h,
    style,
    renderAny('plotLearner', learner, { ...labels, ...options }, w, h, style),
  );
}
