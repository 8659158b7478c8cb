/**
 * plot2D: the triangles of a 2-D learner coloured by value, a colour bar, the points on top.
 */

import {
  colorBarWidth,
  layout,
  renderAxes,
  renderColorBar,
  renderTitle,
  tickCount,
  widestTick,
} from './axes.js';
import { type ColorMap, type ColorMapName, colorMap } from './colormap.js';
import { checkIsolines, gridFromMesh, isoLevels, renderIsolines } from './isolines.js';
import { checkLatticeOption, renderLattice } from './lattice.js';
import { linearScale, paddedDomain } from './scale.js';
import {
  attrs,
  type BaseStyle,
  COMMON_KEYS,
  type CommonOptions,
  checkKeys,
  checkSize,
  type Frame,
  num1,
  styleOf,
  svgRoot,
} from './svg.js';

/**
 * The triangulation as `Learner2D.triangulation()` gives it.
 * @example
 * const mesh: TriangleMesh = learner2d.triangulation();
 */
export interface TriangleMesh {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  values: ArrayLike<number>;
  vdim: number;
  /** Three vertex indices per triangle. */
  triangles: ArrayLike<number>;
}

/**
 * The triangulation as `LearnerND.triangulation()` gives it (used when `dim` is 2).
 * @example
 * const mesh: SimplexMesh = learnerND.triangulation();
 */
export interface SimplexMesh {
  dim: number;
  points: ArrayLike<number>;
  values: ArrayLike<number>;
  vdim: number;
  simplices: ArrayLike<number>;
}

/**
 * What {@link plot2D} reads: `bounds` (`[[x0, x1], [y0, y1]]`), `triangulation()` and
 * optionally `pendingPoints`. `Learner2D` fits, and so does a two-dimensional `LearnerND`.
 *
 * @example
 * const source: Plot2DSource = learner2d;
 */
export interface Plot2DSource {
  readonly bounds: readonly (readonly number[])[];
  /**
   * The domain's polygon when it is not the box (`Learner2D({ hull })`, a 2-D
   * `LearnerND({ hull })`): its outline is drawn (the convex hull of these points).
   */
  readonly hull?: readonly (readonly number[])[] | null | undefined;
  readonly pendingPoints?: readonly (readonly number[])[];
  triangulation(): TriangleMesh | SimplexMesh;
}

/**
 * Options of {@link plot2D}.
 * @example
 * { width: 560, height: 480, title: 'ring', colorMap: 'magma', component: 0 }
 */
export interface Plot2DOptions extends CommonOptions {
  /** The colour map: a name or a function t ∈ [0, 1] → colour (default `'viridis'`). */
  colorMap?: ColorMapName | ColorMap | undefined;
  /** The value range of the colour map (default: the finite values). */
  colorDomain?: readonly [number, number] | undefined;
  /** The label of the colour bar. */
  colorLabel?: string | undefined;
  /** The output component to colour by, for vector output (default 0). */
  component?: number | undefined;
  /** Draw a marker per point (default true). */
  points?: boolean | undefined;
  /** Radius of the point markers in px (default 1.3). */
  pointRadius?: number | undefined;
  /** Draw pending points, hollow (default true). */
  pending?: boolean | undefined;
  /** Draw the triangle edges (default false). */
  mesh?: boolean | undefined;
  /** Keep one unit in x as long as one unit in y (default true). */
  equalAspect?: boolean | undefined;
  /** Colour levels the triangles are quantised to (default 256). */
  levels?: number | undefined;
  /**
   * Isolines: about this many nice levels (default 0: none), or the levels themselves;
   * traced by d3-contour on a 120 × 120 sampling of the triangles.
   */
  isolines?: number | readonly number[] | undefined;
  /**
   * The learner's `integer` option: draws its lattice under the points (a ring at every
   * lattice site, or a line along each integer x or y with one continuous dimension).
   */
  lattice?: readonly [boolean, boolean] | undefined;
}

const OPTION_KEYS = [
  ...COMMON_KEYS,
  'colorMap',
  'colorDomain',
  'colorLabel',
  'component',
  'points',
  'pointRadius',
  'pending',
  'mesh',
  'equalAspect',
  'levels',
  'isolines',
  'lattice',
];

/**
 * @internal The mesh of a 2-D source, in one shape.
 * @example
 * const { x, y, v, triangles } = readMesh('plot2D', learner2d, 0);
 */
export interface Mesh2D {
  x: Float64Array;
  y: Float64Array;
  /** One value per point: the chosen component. */
  v: Float64Array;
  triangles: ArrayLike<number>;
  bounds: [[number, number], [number, number]];
  pending: [number, number][];
  /** The domain's polygon, counterclockwise, when the source has a hull; else null. */
  outline: [number, number][] | null;
}

/**
 * @internal Reads a {@link Plot2DSource}.
 * @example
 * readMesh('plot2D', learner2d, 0).triangles.length / 3; // the number of triangles
 */
export function readMesh(where: string, source: Plot2DSource, component: number): Mesh2D {
  if (source === null || typeof source !== 'object' || typeof source.triangulation !== 'function') {
    throw new TypeError(
      `${where}: expected a learner with triangulation() (Learner2D, a 2-D LearnerND)`,
    );
  }
  const b = source.bounds;
  const pair = (p: unknown): p is [number, number] =>
    Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number' && p[0] < p[1];
  if (!Array.isArray(b) || b.length !== 2 || !pair(b[0]) || !pair(b[1])) {
    throw new TypeError(`${where}: the learner's bounds must be [[x0, x1], [y0, y1]]`);
  }
  const t = source.triangulation();
  let x: Float64Array;
  let y: Float64Array;
  let triangles: ArrayLike<number>;
  if ('triangles' in t) {
    x = Float64Array.from(t.x);
    y = Float64Array.from(t.y);
    triangles = t.triangles;
  } else {
    if (t.dim !== 2)
      throw new TypeError(`${where}: the learner is ${t.dim}-dimensional; use plotSlice`);
    const n = t.points.length / 2;
    x = new Float64Array(n);
    y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = t.points[2 * i] as number;
      y[i] = t.points[2 * i + 1] as number;
    }
    triangles = t.simplices;
  }
  const n = x.length;
  const vdim = Math.max(1, t.vdim);
  if (!Number.isInteger(component) || component < 0 || component >= vdim) {
    throw new RangeError(
      `${where}: component must be an integer in [0, ${vdim - 1}], got ${component}`,
    );
  }
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const val = t.values[i * vdim + component];
    v[i] = typeof val === 'number' ? val : Number.NaN;
  }
  const pending: [number, number][] = [];
  for (const p of source.pendingPoints ?? []) {
    if (typeof p[0] === 'number' && typeof p[1] === 'number') pending.push([p[0], p[1]]);
  }
  return {
    x,
    y,
    v,
    triangles,
    bounds: [
      [b[0][0], b[0][1]],
      [b[1][0], b[1][1]],
    ],
    pending,
    outline: outlineOf(source.hull),
  };
}

/**
 * The convex hull of a 2-D hull's points, counterclockwise (Andrew's monotone chain; floats
 * are enough for a drawing); null without a hull or with one not of 2-D points.
 */
function outlineOf(
  hull: readonly (readonly number[])[] | null | undefined,
): [number, number][] | null {
  if (!Array.isArray(hull)) return null;
  const pts: [number, number][] = [];
  for (const p of hull) {
    if (!Array.isArray(p) || p.length !== 2) return null;
    pts.push([p[0] as number, p[1] as number]);
  }
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]): [number, number][] => {
    const h: [number, number][] = [];
    for (const p of list) {
      while (
        h.length >= 2 &&
        cross(h[h.length - 2] as [number, number], h[h.length - 1] as [number, number], p) <= 0
      ) {
        h.pop();
      }
      h.push(p);
    }
    h.pop();
    return h;
  };
  const out = half(pts).concat(half(pts.slice().reverse()));
  return out.length >= 3 ? out : null;
}

/**
 * The finite range of values (with a fallback for none or one).
 * @example
 * finiteRange([3, NaN, 1, Infinity]); // [1, 3]
 */
export function finiteRange(v: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    const a = v[i] as number;
    if (Number.isFinite(a)) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
  }
  if (!(lo <= hi)) return [0, 1];
  return lo === hi ? paddedDomain(lo, hi) : [lo, hi];
}

/**
 * @internal Quantised colour groups: shapes (path data) binned by colour level, drawn in
 * level order; non-finite values in a grey group of their own.
 * @example
 * const bins = new ColorBins(256, [0, 1]);
 * bins.add(0.5, 'M0 0L1 0L0 1Z');
 * bins.render('triangles', colorMap('viridis'), true);
 */
export class ColorBins {
  readonly #bins: string[];
  #nan = '';
  readonly #domain: readonly [number, number];
  constructor(
    readonly levels: number,
    domain: readonly [number, number],
  ) {
    this.#domain = domain;
    this.#bins = new Array<string>(levels).fill('');
  }

  /** The colour level of a value, or -1 for a non-finite one. */
  level(value: number): number {
    if (!Number.isFinite(value)) return -1;
    const [a, b] = this.#domain;
    const t = b === a ? 0.5 : (value - a) / (b - a);
    return Math.min(this.levels - 1, Math.max(0, Math.round(t * (this.levels - 1))));
  }

  /** Adds the path data `d` to the group of `value`'s colour. */
  add(value: number, d: string): void {
    this.addLevel(this.level(value), d);
  }

  /** Adds the path data `d` to a colour level (-1: the grey group). */
  addLevel(level: number, d: string): void {
    if (level < 0) this.#nan += d;
    else this.#bins[level] += d;
  }

  render(cls: string, cmap: ColorMap, strokeSeams: boolean): string {
    let out = `<g class="${cls}">`;
    this.#bins.forEach((d, level) => {
      if (d === '') return;
      const color = cmap(this.levels === 1 ? 0.5 : level / (this.levels - 1));
      out += `<path${attrs({
        d,
        fill: color,
        stroke: strokeSeams ? color : undefined,
        'stroke-width': strokeSeams ? 0.5 : undefined,
        'stroke-linejoin': strokeSeams ? 'round' : undefined,
      })}/>`;
    });
    if (this.#nan !== '') out += `<path class="nan"${attrs({ d: this.#nan, fill: '#c8c8c8' })}/>`;
    return `${out}</g>\n`;
  }
}

/**
 * @internal A frame shrunk (and centred) so that x and y units have the same length.
 * @example
 * equalAspectFrame({ x: 0, y: 0, width: 200, height: 100 }, 2, 2); // { x: 50, y: 0, width: 100, height: 100 }
 */
export function equalAspectFrame(frame: Frame, dx: number, dy: number): Frame {
  const k = Math.min(frame.width / dx, frame.height / dy);
  const w = dx * k;
  const h = dy * k;
  return {
    x: frame.x + (frame.width - w) / 2,
    y: frame.y + (frame.height - h) / 2,
    width: w,
    height: h,
  };
}

/**
 * @internal The body of a 2-D plot in a `width × height` box at the origin.
 * @example
 * svgRoot(560, 480, DEFAULT_STYLE, render2D('plot2D', learner2d, {}, 560, 480, DEFAULT_STYLE));
 */
export function render2D(
  where: string,
  source: Plot2DSource,
  o: Plot2DOptions,
  width: number,
  height: number,
  style: BaseStyle,
): string {
  const m = readMesh(where, source, o.component ?? 0);
  const levels = o.levels ?? 256;
  if (!Number.isInteger(levels) || levels < 2 || levels > 4096) {
    throw new RangeError(`${where}: levels must be an integer in [2, 4096], got ${String(levels)}`);
  }
  const cmap = colorMap(o.colorMap ?? 'viridis');
  const cd = o.colorDomain ?? finiteRange(m.v);
  const [[x0, x1], [y0, y1]] = m.bounds;
  const xd = paddedDomain(x0, x1, 0.01);
  const yd = paddedDomain(y0, y1, 0.01);
  const probe = linearScale(yd, [height, 0]);
  let frame = layout({
    width,
    height,
    style,
    title: o.title,
    xLabel: o.xLabel,
    yLabel: o.yLabel,
    yTickChars: widestTick(probe, tickCount(height * 0.8, 45)),
    right: colorBarWidth(cd, style, o.colorLabel),
  });
  if (o.equalAspect !== false) frame = equalAspectFrame(frame, xd[1] - xd[0], yd[1] - yd[0]);
  const sx = linearScale(xd, [frame.x, frame.x + frame.width]);
  const sy = linearScale(yd, [frame.y + frame.height, frame.y]);
  let out = renderAxes(frame, sx, sy, style, { xLabel: o.xLabel, yLabel: o.yLabel, grid: false });
  // Triangles, coloured by the mean of their vertex values.
  const bins = new ColorBins(levels, cd);
  const T = m.triangles;
  const px = Float64Array.from(m.x, (v) => sx(v));
  const py = Float64Array.from(m.y, (v) => sy(v));
  let edges = '';
  for (let t = 0; t + 2 < T.length; t += 3) {
    const a = T[t] as number;
    const b = T[t + 1] as number;
    const c = T[t + 2] as number;
    const val = ((m.v[a] as number) + (m.v[b] as number) + (m.v[c] as number)) / 3;
    const d = `M${num1(px[a] as number)} ${num1(py[a] as number)}L${num1(px[b] as number)} ${num1(py[b] as number)}L${num1(px[c] as number)} ${num1(py[c] as number)}Z`;
    bins.add(val, d);
    if (o.mesh === true) edges += d;
  }
  out += bins.render('triangles', cmap, true);
  if (edges !== '') {
    out += `<path class="mesh"${attrs({ d: edges, fill: 'none', stroke: '#ffffff', 'stroke-opacity': '0.5', 'stroke-width': 0.5 })}/>\n`;
  }
  if (m.outline !== null) {
    // The domain's polygon (Learner2D({ hull })): where the data can be.
    const d = `${m.outline.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num1(sx(x))} ${num1(sy(y))}`).join('')}Z`;
    out += `<path class="domain-outline"${attrs({ d, fill: 'none', stroke: '#333333', 'stroke-width': 1 })}/>\n`;
  }
  const iso = isoLevels(cd[0], cd[1], checkIsolines(where, o.isolines));
  if (iso.length > 0) {
    const G = 120;
    const grid = gridFromMesh(m.x, m.y, m.v, m.triangles, [x0, x1], [y0, y1], G, G);
    out += renderIsolines(grid, G, G, iso, (i, j) => [
      sx(x0 + (i * (x1 - x0)) / (G - 1)),
      sy(y0 + (j * (y1 - y0)) / (G - 1)),
    ]);
  }
  const r = o.pointRadius ?? 1.3;
  checkLatticeOption(where, o.lattice);
  if (o.lattice !== undefined) out += renderLattice(o.lattice, m.bounds, sx, sy, r);
  if (o.points !== false) {
    let g = `<g class="points"${attrs({ fill: '#111111', 'fill-opacity': '0.6' })}>`;
    for (let i = 0; i < m.x.length; i++) {
      g += `<circle class="point"${attrs({ cx: px[i] as number, cy: py[i] as number, r })}/>`;
    }
    out += `${g}</g>\n`;
  }
  if (o.pending !== false && m.pending.length > 0) {
    let g = `<g class="pending-points"${attrs({ fill: 'none', stroke: '#d62728', 'stroke-width': 1 })}>`;
    for (const [x, y] of m.pending)
      g += `<circle class="pending"${attrs({ cx: sx(x), cy: sy(y), r: r + 1.2 })}/>`;
    out += `${g}</g>\n`;
  }
  out += renderColorBar(frame, cd, cmap, style, o.colorLabel);
  out += renderTitle(o.title, width, style);
  return out;
}

/**
 * An SVG heat map of a 2-D learner: its triangles filled by the mean value of their
 * vertices through a colour map (quantised to `levels` colours, one path per colour), a
 * colour bar, a marker per evaluated point and pending points hollow. Triangles touching a
 * non-finite value are grey. Deterministic. O(n + triangles).
 *
 * @example
 * const learner = new Learner2D({ bounds: [[-1, 1], [-1, 1]] });
 * runSync(learner, ([x, y]) => x * Math.exp(-x * x - y * y), { npointsGoal: 500 });
 * const svg = plot2D(learner, { title: 'x·exp(−x²−y²)', colorLabel: 'f' });
 */
export function plot2D(source: Plot2DSource, options: Plot2DOptions = {}): string {
  checkKeys('plot2D', options, OPTION_KEYS);
  const width = checkSize('plot2D', 'width', options.width, 560);
  const height = checkSize('plot2D', 'height', options.height, 480);
  const style = styleOf(options);
  return svgRoot(width, height, style, render2D('plot2D', source, options, width, height, style));
}
