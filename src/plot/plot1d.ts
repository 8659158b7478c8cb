/**
 * plot1D: a curve and its points for Learner1D, AverageLearner1D (means with error bars) and
 * IntegratorLearner, or any object with the same data-out methods.
 */

import { interpolateLinear } from '../util/interpolate1d.js';
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
import { linearScale, paddedDomain, type Scale } from './scale.js';
import {
  attrs,
  type BaseStyle,
  COMMON_KEYS,
  type CommonOptions,
  checkKeys,
  checkSize,
  clamp,
  type Frame,
  num,
  styleOf,
  svgRoot,
} from './svg.js';

/**
 * What {@link plot1D} reads: `toArrays()` (x sorted, y with `vdim` values per point, and an
 * `error` per point for error bars), optionally `bounds` and `pendingPoints` (numbers, or
 * `[seed, x]` pairs as AverageLearner1D has). `Learner1D`, `AverageLearner1D` and
 * `IntegratorLearner` all fit.
 *
 * @example
 * const source: Plot1DSource = { toArrays: () => ({ x: Float64Array.of(0, 1), y: Float64Array.of(0, 1) }) };
 */
export interface Plot1DSource {
  readonly bounds?: readonly [number, number];
  readonly pendingPoints?: readonly (number | readonly [number, number])[];
  toArrays(): {
    x: ArrayLike<number>;
    y: ArrayLike<number>;
    vdim?: number;
    error?: ArrayLike<number>;
  };
}

/**
 * Options of {@link plot1D}.
 * @example
 * { width: 640, height: 400, title: 'peak', latest: [0.01, 0.02], reference: (x) => x * x }
 */
export interface Plot1DOptions extends CommonOptions {
  /** x of points to mark as the latest ones (a ring around each); see {@link lastTold}. */
  latest?: readonly number[] | undefined;
  /** Draw pending points, hollow, on the interpolated curve (default true). */
  pending?: boolean | undefined;
  /** Draw a marker per point (default true). */
  points?: boolean | undefined;
  /** Radius of the point markers in px (default 2.5, 1.8 above 150 points, 1.2 above 400). */
  pointRadius?: number | undefined;
  /** A rug: a short tick on the x axis per point, showing where the points are (default: above 150 points). */
  rug?: boolean | undefined;
  /** Names of the output components, for the legend (default `y[0]`, `y[1]`, ...; `sampled` for scalar output). */
  labels?: readonly string[] | undefined;
  /** The exact function, drawn dashed under the data for comparison. */
  reference?: ((x: number) => number | readonly number[]) | undefined;
  /** Samples of `reference` across the x range (default 400). */
  referenceSamples?: number | undefined;
  /** Error bars when the source gives errors (default true). */
  errorBars?: boolean | undefined;
  /** Show the legend (default: for vector output or with a reference). */
  legend?: boolean | undefined;
  /** The x range shown (default: the bounds, else the data's range). */
  xDomain?: readonly [number, number] | undefined;
  /** The y range shown (default: the finite data, padded by 5 %). */
  yDomain?: readonly [number, number] | undefined;
  /** Light grid lines at the ticks (default true). */
  grid?: boolean | undefined;
  /** Line colour for scalar output (default the palette's first). */
  color?: string | undefined;
}

const OPTION_KEYS = [
  ...COMMON_KEYS,
  'latest',
  'pending',
  'points',
  'pointRadius',
  'rug',
  'labels',
  'reference',
  'referenceSamples',
  'errorBars',
  'legend',
  'xDomain',
  'yDomain',
  'grid',
  'color',
];

/** The data of a 1-D plot, read once from the source. */
interface Data1D {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  vdim: number;
  error: ArrayLike<number> | undefined;
  pending: number[];
  bounds: readonly [number, number] | undefined;
}

function readSource(where: string, source: Plot1DSource): Data1D {
  if (source === null || typeof source !== 'object' || typeof source.toArrays !== 'function') {
    throw new TypeError(
      `${where}: expected a learner with toArrays() (Learner1D, AverageLearner1D, IntegratorLearner), got ${String(source)}`,
    );
  }
  const a = source.toArrays();
  const vdim = a.vdim ?? 1;
  if (!Number.isInteger(vdim) || vdim < 1 || a.y.length !== a.x.length * vdim) {
    throw new TypeError(
      `${where}: toArrays() gave ${a.x.length} x and ${a.y.length} y for vdim ${vdim}`,
    );
  }
  const pending: number[] = [];
  for (const p of source.pendingPoints ?? []) {
    const x = typeof p === 'number' ? p : p[1];
    if (typeof x === 'number' && Number.isFinite(x)) pending.push(x);
  }
  pending.sort((p, q) => p - q);
  // AverageLearner1D has several pending seeds at one x: one marker per x.
  const unique = pending.filter((x, i) => i === 0 || x !== pending[i - 1]);
  const b = source.bounds;
  const bounds =
    Array.isArray(b) && typeof b[0] === 'number' && typeof b[1] === 'number' && b[0] < b[1]
      ? (b as readonly [number, number])
      : undefined;
  return { x: a.x, y: a.y, vdim, error: a.error, pending: unique, bounds };
}

/** Linear interpolation of component k at x over sorted data; NaN outside or next to NaN. */
function interp(d: Data1D, k: number, x: number): number {
  return interpolateLinear(d.x, d.y, d.vdim, k, x);
}

/** A `reference` value as a vector of `vdim` components. */
function refValues(
  f: (x: number) => number | readonly number[],
  x: number,
  vdim: number,
): number[] {
  const v = f(x);
  if (typeof v === 'number') return vdim === 1 ? [v] : new Array<number>(vdim).fill(Number.NaN);
  return Array.from({ length: vdim }, (_, k) =>
    typeof v[k] === 'number' ? (v[k] as number) : Number.NaN,
  );
}

/**
 * A polyline through the finite (x, y), broken at non-finite values.
 * @example
 * polyline([0, 1, 2], [0, NaN, 1], sx, sy, frame); // 'M10 90M110 10': broken at the NaN
 */
export function polyline(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  sx: Scale,
  sy: Scale,
  frame: Frame,
): string {
  let d = '';
  let pen = false;
  const lo = frame.y - 2 * frame.height;
  const hi = frame.y + 3 * frame.height;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(sx(x))} ${num(clamp(sy(y), lo, hi))}`;
    pen = true;
  }
  return d;
}

/**
 * @internal The body of a 1-D plot in a `width × height` box at the origin.
 * @example
 * svgRoot(640, 400, DEFAULT_STYLE, render1D('plot1D', learner, {}, 640, 400, DEFAULT_STYLE));
 */
export function render1D(
  where: string,
  source: Plot1DSource,
  o: Plot1DOptions,
  width: number,
  height: number,
  style: BaseStyle,
): string {
  const d = readSource(where, source);
  const n = d.x.length;
  const vdim = d.vdim;
  // Many markers would hide the curve (and a reference under it): smaller ones, and a rug.
  const radius = o.pointRadius ?? (n > 400 ? 1.2 : n > 150 ? 1.8 : 2.5);
  const rug = o.rug ?? n > 150;
  // The x range: given, the bounds, or the data; padded a little so markers on the
  // bounds are not cut by the axis.
  let xd: readonly [number, number];
  if (o.xDomain !== undefined) xd = o.xDomain;
  else {
    let lo = d.bounds?.[0] ?? Number.POSITIVE_INFINITY;
    let hi = d.bounds?.[1] ?? Number.NEGATIVE_INFINITY;
    if (d.bounds === undefined) {
      for (let i = 0; i < n; i++) {
        const x = d.x[i] as number;
        if (Number.isFinite(x)) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
      for (const x of d.pending) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    xd = paddedDomain(lo, hi, 0.02);
  }
  // Reference samples, on the x range.
  const refN = Math.max(2, Math.floor(o.referenceSamples ?? 400));
  let refX: Float64Array | undefined;
  let refY: Float64Array | undefined;
  if (o.reference !== undefined) {
    const [r0, r1] = o.xDomain ?? d.bounds ?? xd;
    refX = new Float64Array(refN);
    refY = new Float64Array(refN * vdim);
    for (let i = 0; i < refN; i++) {
      const x = i === refN - 1 ? r1 : r0 + ((r1 - r0) * i) / (refN - 1);
      refX[i] = x;
      refValues(o.reference, x, vdim).forEach((v, k) => {
        (refY as Float64Array)[i * vdim + k] = v;
      });
    }
  }
  // The y range: the finite values, error bars and reference.
  let yd: readonly [number, number];
  if (o.yDomain !== undefined) yd = o.yDomain;
  else {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    const see = (v: number): void => {
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    };
    for (let i = 0; i < d.y.length; i++) see(d.y[i] as number);
    if (d.error !== undefined && o.errorBars !== false) {
      for (let i = 0; i < n; i++) {
        const e = d.error[i] as number;
        if (Number.isFinite(e)) {
          see((d.y[i] as number) - e);
          see((d.y[i] as number) + e);
        }
      }
    }
    if (refY !== undefined) for (let i = 0; i < refY.length; i++) see(refY[i] as number);
    yd = lo <= hi ? paddedDomain(lo, hi, 0.05) : [0, 1];
  }
  const probe = linearScale(yd, [height, 0]);
  const showLegend = o.legend ?? (vdim > 1 || o.reference !== undefined);
  const frame = layout({
    width,
    height,
    style,
    title: o.title,
    xLabel: o.xLabel,
    yLabel: o.yLabel,
    yTickChars: widestTick(probe, tickCount(height * 0.8, 45)),
    legend: showLegend,
  });
  const sx = linearScale(xd, [frame.x, frame.x + frame.width]);
  const sy = linearScale(yd, [frame.y + frame.height, frame.y]);
  const colors = Array.from({ length: vdim }, (_, k) =>
    vdim === 1 && o.color !== undefined ? o.color : paletteColor(k),
  );
  const scalarLabel = d.error !== undefined ? 'mean ± error' : 'sampled';
  const labels = Array.from(
    { length: vdim },
    (_, k) => o.labels?.[k] ?? (vdim === 1 ? scalarLabel : `y[${k}]`),
  );
  const yTop = frame.y;
  const yBottom = frame.y + frame.height;
  const place = (v: number): number => clamp(sy(v), yTop, yBottom);

  let out = renderAxes(frame, sx, sy, style, {
    xLabel: o.xLabel,
    yLabel: o.yLabel,
    grid: o.grid !== false,
  });
  // The exact function, dashed, under the data.
  if (refX !== undefined && refY !== undefined) {
    for (let k = 0; k < vdim; k++) {
      const ys = new Float64Array(refN);
      for (let i = 0; i < refN; i++) ys[i] = refY[i * vdim + k] as number;
      out += `<path class="reference"${attrs({
        'data-component': String(k),
        d: polyline(refX, ys, sx, sy, frame),
        fill: 'none',
        stroke: vdim === 1 ? '#999999' : (colors[k] as string),
        'stroke-width': 1.2,
        'stroke-dasharray': '5 4',
        'stroke-opacity': vdim === 1 ? undefined : '0.6',
      })}/>\n`;
    }
  }
  // Error bars (AverageLearner1D): a light band of mean ± error under the curve, and the
  // bars themselves drawn over the markers (below them they vanish).
  let errorBars = '';
  if (d.error !== undefined && o.errorBars !== false && vdim === 1) {
    let eb = '';
    let upper = '';
    let lower = '';
    for (let i = 0; i < n; i++) {
      const e = d.error[i] as number;
      const m = d.y[i] as number;
      const x = d.x[i] as number;
      if (!Number.isFinite(e) || !Number.isFinite(m) || !Number.isFinite(x)) continue;
      const px = sx(x);
      const lo = place(m - e);
      const hi = place(m + e);
      eb += `M${num(px)} ${num(lo)}V${num(hi)}M${num(px - 3)} ${num(lo)}h6M${num(px - 3)} ${num(hi)}h6`;
      upper += `${upper === '' ? 'M' : 'L'}${num(px)} ${num(hi)}`;
      lower = `L${num(px)} ${num(lo)}${lower}`;
    }
    if (upper !== '') {
      out += `<path class="error-band"${attrs({ d: `${upper}${lower}Z`, fill: colors[0], 'fill-opacity': '0.15', stroke: 'none' })}/>\n`;
    }
    errorBars = `<path class="errorbars"${attrs({ d: eb, stroke: '#333333', 'stroke-opacity': '0.8', 'stroke-width': 1.1, fill: 'none' })}/>\n`;
  }
  // One curve per component.
  for (let k = 0; k < vdim; k++) {
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) ys[i] = d.y[i * vdim + k] as number;
    out += `<path class="curve"${attrs({
      'data-component': String(k),
      d: polyline(d.x, ys, sx, sy, frame),
      fill: 'none',
      stroke: colors[k],
      'stroke-width': 1.5,
      'stroke-linejoin': 'round',
    })}/>\n`;
  }
  // One marker per point and component; non-finite values as a cross on the frame's edge.
  if (o.points !== false) {
    for (let k = 0; k < vdim; k++) {
      let g = `<g class="points"${attrs({ 'data-component': String(k), fill: colors[k], 'fill-opacity': n > 150 ? '0.7' : undefined })}>`;
      for (let i = 0; i < n; i++) {
        const x = d.x[i] as number;
        const y = d.y[i * vdim + k] as number;
        if (!Number.isFinite(x)) continue;
        if (Number.isFinite(y)) {
          g += `<circle class="point"${attrs({ cx: sx(x), cy: place(y), r: radius })}/>`;
        } else {
          const cy = y === Number.POSITIVE_INFINITY ? yTop : yBottom;
          const r = radius + 0.5;
          g += `<path class="point nonfinite"${attrs({
            d: `M${num(sx(x) - r)} ${num(cy - r)}l${num(2 * r)} ${num(2 * r)}m0 ${num(-2 * r)}l${num(-2 * r)} ${num(2 * r)}`,
            stroke: '#d62728',
            'stroke-width': 1.5,
          })}><title>${String(y)}</title></path>`;
        }
      }
      out += `${g}</g>\n`;
    }
  }
  out += errorBars;
  if (rug) {
    let r = '';
    for (let i = 0; i < n; i++) {
      const x = d.x[i] as number;
      if (Number.isFinite(x)) r += `M${num(sx(x))} ${num(yBottom)}v-6`;
    }
    out += `<path class="rug"${attrs({ d: r, stroke: colors[0], 'stroke-opacity': '0.45', 'stroke-width': 0.8, fill: 'none' })}/>\n`;
  }
  // Pending points: hollow, on the interpolated curve (on the x axis where there is none).
  if (o.pending !== false && d.pending.length > 0) {
    for (let k = 0; k < vdim; k++) {
      let g = `<g class="pending-points"${attrs({
        'data-component': String(k),
        fill: 'none',
        stroke: colors[k],
        'stroke-width': 1.2,
      })}>`;
      for (const x of d.pending) {
        const y = interp(d, k, x);
        g += `<circle class="pending"${attrs({
          cx: sx(x),
          cy: Number.isFinite(y) ? place(y) : yBottom,
          r: radius + 0.5,
        })}/>`;
      }
      out += `${g}</g>\n`;
    }
  }
  // The latest points: a ring around each.
  if (o.latest !== undefined && o.latest.length > 0) {
    let g = `<g class="latest-points"${attrs({ fill: 'none', stroke: '#d62728', 'stroke-width': 1.5 })}>`;
    for (const x of o.latest) {
      if (typeof x !== 'number' || !Number.isFinite(x)) continue;
      for (let k = 0; k < vdim; k++) {
        const y = interp(d, k, x);
        g += `<circle class="latest"${attrs({
          cx: sx(x),
          cy: Number.isFinite(y) ? place(y) : yBottom,
          r: radius + 3,
        })}/>`;
      }
    }
    out += `${g}</g>\n`;
  }
  if (showLegend) {
    const entries: LegendEntry[] = labels.map((label, k) => ({
      label,
      color: colors[k] as string,
    }));
    if (o.reference !== undefined)
      entries.push({ label: 'exact', color: '#999999', kind: 'dashed' });
    if (o.latest !== undefined && o.latest.length > 0)
      entries.push({ label: 'latest', color: '#d62728', kind: 'hollow' });
    if (o.pending !== false && d.pending.length > 0)
      entries.push({ label: 'pending', color: colors[0] as string, kind: 'hollow' });
    out += renderLegend(frame, entries, style);
  }
  out += renderTitle(o.title, width, style);
  return out;
}

/**
 * An SVG line plot of a 1-D learner: one path per output component (with a legend for
 * vector output), a marker per point, pending points hollow on the interpolated curve, the
 * latest points ringed, and for AverageLearner1D the means with error bars. Non-finite
 * values break the curve and show as a red cross on the frame's edge. Deterministic: the
 * same data gives the same bytes. O(n · vdim).
 *
 * @example
 * const learner = new Learner1D({ bounds: [-1, 1] });
 * runSync(learner, (x) => x ** 3, { npointsGoal: 50 });
 * const svg = plot1D(learner, { title: 'x³', xLabel: 'x', yLabel: 'f(x)' });
 * // '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400" ...'
 */
export function plot1D(source: Plot1DSource, options: Plot1DOptions = {}): string {
  checkKeys('plot1D', options, OPTION_KEYS);
  const width = checkSize('plot1D', 'width', options.width, 640);
  const height = checkSize('plot1D', 'height', options.height, 400);
  const style = styleOf(options);
  return svgRoot(width, height, style, render1D('plot1D', source, options, width, height, style));
}

/**
 * The last `k` distinct points told in a run log (`run(..., { log: true })`), newest last:
 * the `latest` option of {@link plot1D}. For `[seed, x]` points (AverageLearner1D) the x.
 * O(log length).
 *
 * @example
 * const summary = await run(learner, f, { npointsGoal: 100, log: true });
 * plot1D(learner, { latest: lastTold(summary.log ?? [], 5) });
 */
export function lastTold(log: readonly { op: string; point?: unknown }[], k: number): number[] {
  const out: number[] = [];
  for (let i = log.length - 1; i >= 0 && out.length < k; i--) {
    const e = log[i];
    if (e === undefined || e.op !== 'tell') continue;
    const p = e.point;
    const x =
      typeof p === 'number'
        ? p
        : Array.isArray(p) && typeof p[1] === 'number'
          ? (p[1] as number)
          : undefined;
    if (x !== undefined && !out.includes(x)) out.push(x);
  }
  return out.reverse();
}
