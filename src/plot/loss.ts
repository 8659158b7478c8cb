/**
 * plotLoss: the loss (or any error) against the number of points, for one run or several.
 */

import {
  type LegendEntry,
  layout,
  renderAxes,
  renderLegend,
  renderTitle,
  tickCount,
  widestTick,
} from './axes.js';
import { paletteColor } from './colormap.js';
import { linearScale, logScale, paddedDomain, type Scale } from './scale.js';
import {
  attrs,
  COMMON_KEYS,
  type CommonOptions,
  checkKeys,
  checkSize,
  num,
  styleOf,
  svgRoot,
} from './svg.js';

/**
 * One point of a loss history: what `onProgress` receives has these fields, and so does
 * {@link recordLoss}'s history.
 * @example
 * { npoints: 120, loss: 0.02 }
 */
export interface LossRecord {
  npoints: number;
  loss: number;
}

/**
 * Options of {@link plotLoss}.
 * @example
 * { logY: true, title: 'peak: loss against points' }
 */
export interface PlotLossOptions extends CommonOptions {
  /** A logarithmic loss axis (default: when every finite loss is positive). */
  logY?: boolean | undefined;
  /** A logarithmic npoints axis (default false). */
  logX?: boolean | undefined;
  /** A marker per record (default: with fewer than 200 records per series). */
  points?: boolean | undefined;
}

const OPTION_KEYS = [...COMMON_KEYS, 'logY', 'logX', 'points'];

function isHistory(h: unknown): h is readonly LossRecord[] {
  return Array.isArray(h);
}

/**
 * An SVG plot of loss against npoints: one line per series (a single history, or an object
 * of named histories with a legend, e.g. adaptive against uniform). Records with a
 * non-finite loss or npoints are skipped (a run's first losses are +Infinity).
 * Deterministic. O(records).
 *
 * @example
 * const { history, onProgress } = recordLoss();
 * await run(learner, f, { lossGoal: 0.001, onProgress });
 * const svg = plotLoss(history, { title: 'loss' });
 * plotLoss({ adaptive: history, uniform: uniformHistory }); // two lines and a legend
 */
export function plotLoss(
  history: readonly LossRecord[] | Readonly<Record<string, readonly LossRecord[]>>,
  options: PlotLossOptions = {},
): string {
  checkKeys('plotLoss', options, OPTION_KEYS);
  const width = checkSize('plotLoss', 'width', options.width, 560);
  const height = checkSize('plotLoss', 'height', options.height, 360);
  const style = styleOf(options);
  if (history === null || typeof history !== 'object') {
    throw new TypeError(
      'plotLoss: expected an array of { npoints, loss } or an object of such arrays',
    );
  }
  const series: { name: string; recs: LossRecord[] }[] = isHistory(history)
    ? [{ name: 'loss', recs: [...history] }]
    : Object.keys(history).map((name) => ({ name, recs: [...(history[name] ?? [])] }));
  for (const s of series) {
    if (!Array.isArray(s.recs)) throw new TypeError(`plotLoss: series '${s.name}' is not an array`);
    s.recs = s.recs.filter(
      (r) =>
        r !== null &&
        typeof r === 'object' &&
        Number.isFinite(r.npoints) &&
        Number.isFinite(r.loss),
    );
  }
  let xl = Number.POSITIVE_INFINITY;
  let xh = Number.NEGATIVE_INFINITY;
  let yl = Number.POSITIVE_INFINITY;
  let yh = Number.NEGATIVE_INFINITY;
  let allPositive = true;
  for (const s of series) {
    for (const r of s.recs) {
      xl = Math.min(xl, r.npoints);
      xh = Math.max(xh, r.npoints);
      yl = Math.min(yl, r.loss);
      yh = Math.max(yh, r.loss);
      if (!(r.loss > 0)) allPositive = false;
    }
  }
  const logY = (options.logY ?? allPositive) && allPositive && yl <= yh;
  const logX = options.logX === true && xl > 0;
  const ydom: [number, number] = logY
    ? yl === yh
      ? [yl / 2, yh * 2]
      : [yl / (yh / yl) ** 0.05, yh * (yh / yl) ** 0.05]
    : yl <= yh
      ? paddedDomain(yl, yh)
      : [0, 1];
  const xdom: [number, number] = logX
    ? xl === xh
      ? [xl / 2, xh * 2]
      : [xl, xh]
    : xl <= xh
      ? paddedDomain(xl, xh, 0.02)
      : [0, 1];
  const probeY = logY ? logScale(ydom, [height, 0]) : linearScale(ydom, [height, 0]);
  const frame = layout({
    width,
    height,
    style,
    title: options.title,
    xLabel: options.xLabel ?? 'points',
    yLabel: options.yLabel ?? 'loss',
    yTickChars: widestTick(probeY, tickCount(height * 0.8, 45)),
    legend: series.length > 1,
  });
  const xr: [number, number] = [frame.x, frame.x + frame.width];
  const yr: [number, number] = [frame.y + frame.height, frame.y];
  const sx: Scale = logX ? logScale(xdom, xr) : linearScale(xdom, xr);
  const sy: Scale = logY ? logScale(ydom, yr) : linearScale(ydom, yr);
  let out = renderAxes(frame, sx, sy, style, {
    xLabel: options.xLabel ?? 'points',
    yLabel: options.yLabel ?? 'loss',
  });
  series.forEach((s, k) => {
    const color = paletteColor(k);
    let d = '';
    s.recs.forEach((r, i) => {
      d += `${i === 0 ? 'M' : 'L'}${num(sx(r.npoints))} ${num(sy(r.loss))}`;
    });
    out += `<path class="curve"${attrs({
      'data-series': s.name,
      d,
      fill: 'none',
      stroke: color,
      'stroke-width': 1.5,
      'stroke-linejoin': 'round',
    })}/>\n`;
    if (options.points ?? s.recs.length < 200) {
      let g = `<g class="points"${attrs({ 'data-series': s.name, fill: color })}>`;
      for (const r of s.recs)
        g += `<circle class="point"${attrs({ cx: sx(r.npoints), cy: sy(r.loss), r: 2 })}/>`;
      out += `${g}</g>\n`;
    }
  });
  if (series.length > 1) {
    const entries: LegendEntry[] = series.map((s, k) => ({
      label: s.name,
      color: paletteColor(k),
    }));
    out += renderLegend(frame, entries, style);
  }
  out += renderTitle(options.title, width, style);
  return svgRoot(width, height, style, out);
}

/**
 * A loss history to fill during a run: pass `onProgress` to `run` (or call it yourself), then
 * plot `history` with {@link plotLoss}. Keeps one record per call whose npoints changed.
 *
 * @example
 * const rec = recordLoss();
 * await run(learner, f, { lossGoal: 0.01, onProgress: rec.onProgress, progressIntervalMs: 20 });
 * rec.history; // [{ npoints: 2, loss: Infinity }, { npoints: 37, loss: 0.08 }, ...]
 */
export function recordLoss(): {
  history: LossRecord[];
  onProgress: (info: { npoints: number; loss: number }) => void;
} {
  const history: LossRecord[] = [];
  return {
    history,
    onProgress: (info) => {
      const last = history[history.length - 1];
      if (last !== undefined && last.npoints === info.npoints) {
        last.loss = info.loss;
        return;
      }
      history.push({ npoints: info.npoints, loss: info.loss });
    },
  };
}
