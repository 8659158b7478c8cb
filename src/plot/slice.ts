/**
 * plotSlice: a 2-D slice (heat map) or a 1-D cut (curve) through an N-dimensional learner,
 * from its piecewise-linear interpolant.
 */

import {
  colorBarWidth,
  type LegendEntry,
  layout,
  renderAxes,
  renderColorBar,
  renderLegend,
  renderTitle,
  tickCount,
  widestTick,
} from './axes.js';
import { type ColorMap, type ColorMapName, colorMap, paletteColor } from './colormap.js';
import { checkIsolines, isoLevels, renderIsolines } from './isolines.js';
import { polyline } from './plot1d.js';
import { ColorBins, equalAspectFrame, finiteRange } from './plot2d.js';
import { linearScale, paddedDomain } from './scale.js';
import {
  attrs,
  type BaseStyle,
  COMMON_KEYS,
  type CommonOptions,
  checkKeys,
  checkSize,
  clamp,
  num1,
  styleOf,
  svgRoot,
} from './svg.js';

/**
 * What {@link plotSlice} reads: `dim`, `bounds` (one `[a, b]` per dimension),
 * `interpolateGrid(axes)`, `toArrays()` and optionally `pendingPoints`. `LearnerND` fits.
 *
 * @example
 * const source: SliceSource = new LearnerND({ bounds: [[-1, 1], [-1, 1], [-1, 1]] });
 */
export interface SliceSource {
  readonly dim: number;
  readonly bounds: readonly (readonly number[])[];
  readonly pendingPoints?: readonly (readonly number[])[];
  toArrays(): { x: ArrayLike<number>; y: ArrayLike<number>; dim: number; vdim: number };
  interpolateGrid(axes: readonly (readonly number[])[]): {
    values: ArrayLike<number>;
    vdim: number;
  };
}

/**
 * Options of {@link plotSlice}.
 * @example
 * { fixed: [null, null, 0.5], resolution: 150, axisLabels: ['x', 'y', 'z'] }
 */
export interface SliceOptions extends CommonOptions {
  /**
   * One entry per dimension: a number fixes that coordinate, `null` (or `undefined`) leaves
   * it free. Two free coordinates give a heat map, one a curve. Default: every coordinate
   * after the first two fixed at the middle of its bounds. A fixed value outside the
   * learner's bounds is a RangeError.
   */
  fixed?: readonly (number | null | undefined)[] | undefined;
  /** Grid points along each free axis (default 80 for a heat map, 400 for a curve). */
  resolution?: number | undefined;
  /**
   * Evaluated points within this fraction of each fixed axis's width from the slice are
   * drawn (default 0.02).
   */
  tolerance?: number | undefined;
  /** The output component of a heat map, for vector output (default 0). */
  component?: number | undefined;
  /** Names of the coordinates (default `x₀`, `x₁`, ...), used for axis labels and the title. */
  axisLabels?: readonly string[] | undefined;
  /** The colour map of a heat map (default `'viridis'`). */
  colorMap?: ColorMapName | ColorMap | undefined;
  /** The value range of the colour map (default: the finite values). */
  colorDomain?: readonly [number, number] | undefined;
  /** The label of the colour bar. */
  colorLabel?: string | undefined;
  /** Draw the evaluated points near the slice (default true). */
  points?: boolean | undefined;
  /** Radius of the point markers in px (default 1.6). */
  pointRadius?: number | undefined;
  /** Keep one unit in x as long as one unit in y in a heat map (default true). */
  equalAspect?: boolean | undefined;
  /** Isolines on a heat map: about this many nice levels (default 0: none), or the levels (d3-contour). */
  isolines?: number | readonly number[] | undefined;
}

const OPTION_KEYS = [
  ...COMMON_KEYS,
  'fixed',
  'resolution',
  'tolerance',
  'component',
  'axisLabels',
  'colorMap',
  'colorDomain',
  'colorLabel',
  'points',
  'pointRadius',
  'equalAspect',
  'isolines',
];

const SUBSCRIPT = [
  '\u2080',
  '\u2081',
  '\u2082',
  '\u2083',
  '\u2084',
  '\u2085',
  '\u2086',
  '\u2087',
  '\u2088',
  '\u2089',
];

function coordName(i: number): string {
  return `x${String(i)
    .split('')
    .map((c) => SUBSCRIPT[Number(c)] ?? c)
    .join('')}`;
}

/** The grid coordinate at fractional index t. */
function lerp(g: readonly number[], t: number): number {
  const i = Math.min(g.length - 2, Math.floor(t));
  const f = t - i;
  return (g[i] as number) + f * ((g[i + 1] as number) - (g[i] as number));
}

function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));
}

/**
 * @internal The body of a slice plot in a `width × height` box at the origin.
 * @example
 * svgRoot(560, 480, DEFAULT_STYLE, renderSlice('plotSlice', learnerND, { fixed: [null, null, 0] }, 560, 480, DEFAULT_STYLE));
 */
export function renderSlice(
  where: string,
  source: SliceSource,
  o: SliceOptions,
  width: number,
  height: number,
  style: BaseStyle,
): string {
  if (
    source === null ||
    typeof source !== 'object' ||
    typeof source.interpolateGrid !== 'function'
  ) {
    throw new TypeError(`${where}: expected a learner with interpolateGrid() (LearnerND)`);
  }
  const dim = source.dim;
  const bounds = source.bounds;
  if (!Number.isInteger(dim) || dim < 1 || !Array.isArray(bounds) || bounds.length !== dim) {
    throw new TypeError(`${where}: the learner must have dim and one [a, b] bound per dimension`);
  }
  const lo = bounds.map((b) => b[0] as number);
  const hi = bounds.map((b) => b[1] as number);
  const fixed: (number | null)[] =
    o.fixed === undefined
      ? lo.map((a, j) => (j < 2 ? null : (a + (hi[j] as number)) / 2))
      : Array.from({ length: dim }, (_, j) => o.fixed?.[j] ?? null);
  if (o.fixed !== undefined && o.fixed.length !== dim) {
    throw new RangeError(
      `${where}: fixed must have ${dim} entries (one per dimension), got ${o.fixed.length}`,
    );
  }
  const free: number[] = [];
  fixed.forEach((v, j) => {
    if (v === null) free.push(j);
    else if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(
        `${where}: fixed[${j}] must be a finite number or null, got ${String(v)}`,
      );
    } else if (!(v >= (lo[j] as number) && v <= (hi[j] as number))) {
      // A slice outside the domain has no data: refuse it rather than draw extrapolation.
      throw new RangeError(
        `${where}: fixed[${j}] = ${v} is outside the domain [${lo[j]}, ${hi[j]}] of that coordinate`,
      );
    }
  });
  if (free.length < 1 || free.length > 2) {
    throw new RangeError(
      `${where}: leave one coordinate free (a curve) or two (a heat map) in fixed, got ${free.length} free of ${dim}`,
    );
  }
  const names = Array.from({ length: dim }, (_, j) => o.axisLabels?.[j] ?? coordName(j));
  const fixedText = fixed
    .map((v, j) => (v === null ? '' : `${names[j]} = ${Number(v.toPrecision(6))}`))
    .filter((s) => s !== '')
    .join(', ');
  const title = o.title ?? (fixedText === '' ? undefined : `slice at ${fixedText}`);
  const res = Math.floor(o.resolution ?? (free.length === 2 ? 80 : 400));
  if (!(res >= 2 && res <= 2000)) {
    throw new RangeError(`${where}: resolution must be in [2, 2000], got ${String(o.resolution)}`);
  }
  const tol = o.tolerance ?? 0.02;
  // The evaluated points near the slice.
  const data = source.toArrays();
  const vdim = Math.max(1, data.vdim);
  const near: number[] = [];
  const n = data.x.length / dim;
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let j = 0; j < dim && ok; j++) {
      const f = fixed[j];
      if (f === null || f === undefined) continue;
      ok =
        Math.abs((data.x[i * dim + j] as number) - f) <=
        tol * ((hi[j] as number) - (lo[j] as number));
    }
    if (ok) near.push(i);
  }
  const axes = fixed.map((v, j) =>
    v === null ? linspace(lo[j] as number, hi[j] as number, res) : [v],
  );
  const grid = source.interpolateGrid(axes);
  const r = o.pointRadius ?? 1.6;

  if (free.length === 1) {
    // A curve per component along the free axis.
    const j = free[0] as number;
    const gx = axes[j] as number[];
    const ys: number[] = [];
    for (let i = 0; i < grid.values.length; i++) ys.push(grid.values[i] as number);
    for (const i of near) for (let k = 0; k < vdim; k++) ys.push(data.y[i * vdim + k] as number);
    const yd = finiteRange(ys);
    const ydp = paddedDomain(yd[0], yd[1], 0.05);
    const probe = linearScale(ydp, [height, 0]);
    const xLabel = o.xLabel ?? names[j];
    const frame = layout({
      width,
      height,
      style,
      title,
      xLabel,
      yLabel: o.yLabel,
      yTickChars: widestTick(probe, tickCount(height * 0.8, 45)),
      legend: vdim > 1,
    });
    const sx = linearScale(paddedDomain(lo[j] as number, hi[j] as number, 0.02), [
      frame.x,
      frame.x + frame.width,
    ]);
    const sy = linearScale(ydp, [frame.y + frame.height, frame.y]);
    let out = renderAxes(frame, sx, sy, style, { xLabel, yLabel: o.yLabel });
    for (let k = 0; k < vdim; k++) {
      const cy = gx.map((_, i) => grid.values[i * vdim + k] as number);
      out += `<path class="curve"${attrs({
        'data-component': String(k),
        d: polyline(gx, cy, sx, sy, frame),
        fill: 'none',
        stroke: paletteColor(k),
        'stroke-width': 1.5,
      })}/>\n`;
    }
    if (o.points !== false) {
      for (let k = 0; k < vdim; k++) {
        let g = `<g class="points"${attrs({ 'data-component': String(k), fill: paletteColor(k) })}>`;
        for (const i of near) {
          const y = data.y[i * vdim + k] as number;
          if (!Number.isFinite(y)) continue;
          g += `<circle class="point"${attrs({
            cx: sx(data.x[i * dim + j] as number),
            cy: clamp(sy(y), frame.y, frame.y + frame.height),
            r,
          })}/>`;
        }
        out += `${g}</g>\n`;
      }
    }
    if (vdim > 1) {
      const entries: LegendEntry[] = Array.from({ length: vdim }, (_, k) => ({
        label: `y[${k}]`,
        color: paletteColor(k),
      }));
      out += renderLegend(frame, entries, style);
    }
    return out + renderTitle(title, width, style);
  }

  // A heat map over the two free axes.
  const [ja, jb] = free as [number, number];
  const component = o.component ?? 0;
  if (!Number.isInteger(component) || component < 0 || component >= vdim) {
    throw new RangeError(
      `${where}: component must be an integer in [0, ${vdim - 1}], got ${component}`,
    );
  }
  const v = new Float64Array(res * res);
  for (let i = 0; i < res * res; i++) v[i] = grid.values[i * vdim + component] as number;
  const cd = o.colorDomain ?? finiteRange(v);
  const cmap = colorMap(o.colorMap ?? 'viridis');
  const xd = paddedDomain(lo[ja] as number, hi[ja] as number, 0.01);
  const yd = paddedDomain(lo[jb] as number, hi[jb] as number, 0.01);
  const xLabel = o.xLabel ?? names[ja];
  const yLabel = o.yLabel ?? names[jb];
  let frame = layout({
    width,
    height,
    style,
    title,
    xLabel,
    yLabel,
    yTickChars: widestTick(linearScale(yd, [height, 0]), tickCount(height * 0.8, 45)),
    right: colorBarWidth(cd, style, o.colorLabel),
  });
  if (o.equalAspect !== false) frame = equalAspectFrame(frame, xd[1] - xd[0], yd[1] - yd[0]);
  const sx = linearScale(xd, [frame.x, frame.x + frame.width]);
  const sy = linearScale(yd, [frame.y + frame.height, frame.y]);
  let out = renderAxes(frame, sx, sy, style, { xLabel, yLabel, grid: false });
  // Cells centred on the grid points, clipped to the bounds; NaN (outside the hull) left empty.
  const gx = axes[ja] as number[];
  const gy = axes[jb] as number[];
  const edges = (g: number[]): number[] =>
    g
      .map((_, i) => (i === 0 ? (g[0] as number) : ((g[i - 1] as number) + (g[i] as number)) / 2))
      .concat([g[g.length - 1] as number]);
  const ex = edges(gx).map((x) => sx(x));
  const ey = edges(gy).map((y) => sy(y));
  // Runs of cells of the same colour along the second axis become one rectangle.
  const bins = new ColorBins(64, cd);
  for (let a = 0; a < res; a++) {
    const x0 = ex[a] as number;
    const x1 = ex[a + 1] as number;
    let b = 0;
    while (b < res) {
      // Row-major with the last axis fastest; ja < jb, so jb varies fastest.
      const val = v[a * res + b] as number;
      if (!Number.isFinite(val)) {
        b++;
        continue;
      }
      const level = bins.level(val);
      let e = b + 1;
      while (e < res && bins.level(v[a * res + e] as number) === level) e++;
      const y0 = ey[b] as number;
      const y1 = ey[e] as number;
      bins.addLevel(level, `M${num1(x0)} ${num1(y1)}H${num1(x1)}V${num1(y0)}H${num1(x0)}Z`);
      b = e;
    }
  }
  out += bins.render('cells', cmap, true);
  const iso = isoLevels(cd[0], cd[1], checkIsolines(where, o.isolines));
  if (iso.length > 0) {
    // v is a-major (the first free axis slowest): to d3-contour it is a grid whose fast
    // axis is the second free coordinate, so its (i, j) is (b, a).
    out += renderIsolines(v, res, res, iso, (i, j) => [sx(lerp(gx, j)), sy(lerp(gy, i))]);
  }
  if (o.points !== false) {
    let g = `<g class="points"${attrs({ fill: '#111111', 'fill-opacity': '0.6' })}>`;
    for (const i of near) {
      g += `<circle class="point"${attrs({ cx: sx(data.x[i * dim + ja] as number), cy: sy(data.x[i * dim + jb] as number), r })}/>`;
    }
    out += `${g}</g>\n`;
  }
  out += renderColorBar(frame, cd, cmap, style, o.colorLabel);
  return out + renderTitle(title, width, style);
}

/**
 * An SVG slice through an N-dimensional learner: with two free coordinates a heat map of
 * its interpolant on a `resolution × resolution` grid (with a colour bar), with one free
 * coordinate a curve per output component; the evaluated points within `tolerance` of the
 * slice on top. Cells outside the learner's hull stay empty. Deterministic.
 * O(resolution² · walk) for a heat map.
 *
 * @example
 * const learner = new LearnerND({ bounds: [[-1, 1], [-1, 1], [-1, 1]] });
 * runSync(learner, ([x, y, z]) => x * y + z, { npointsGoal: 300 });
 * plotSlice(learner, { fixed: [null, null, 0] }); // the plane z = 0
 * plotSlice(learner, { fixed: [null, 0, 0] }); // the line y = z = 0
 */
export function plotSlice(source: SliceSource, options: SliceOptions = {}): string {
  checkKeys('plotSlice', options, OPTION_KEYS);
  const width = checkSize('plotSlice', 'width', options.width, 560);
  const height = checkSize('plotSlice', 'height', options.height, 480);
  const style = styleOf(options);
  return svgRoot(
    width,
    height,
    style,
    renderSlice('plotSlice', source, options, width, height, style),
  );
}
