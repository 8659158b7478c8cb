/**
 * The furniture of a plot: layout, axes with ticks and grid lines, axis labels, the title,
 * the legend and the colour bar.
 */

import type { ColorMap } from './colormap.js';
import { linearScale, type Scale } from './scale.js';
import { attrs, type BaseStyle, type Frame, num, text } from './svg.js';

const AXIS = '#888888';
const LABEL = '#444444';
const GRID = '#ececec';
const TITLE = '#222222';

/**
 * Rough width of a text in px (no font metrics: a fixed advance per character).
 * @example
 * textWidth('0.25', 10); // 24.8
 */
export function textWidth(s: string, fontSize: number): number {
  return s.length * fontSize * 0.62;
}

/**
 * What a layout needs to leave room for.
 * @example
 * layout({ width: 640, height: 400, style: DEFAULT_STYLE, yTickChars: 4 });
 */
export interface LayoutNeeds {
  width: number;
  height: number;
  style: BaseStyle;
  title?: string | undefined;
  xLabel?: string | undefined;
  yLabel?: string | undefined;
  /** The widest y tick label (characters). */
  yTickChars: number;
  /** Extra px on the right (a colour bar). */
  right?: number;
  /** Leave a row above the frame for a legend. */
  legend?: boolean;
}

/**
 * The frame the data is drawn in, inside margins for ticks, labels and the title.
 * @example
 * layout({ width: 640, height: 400, style: DEFAULT_STYLE, yTickChars: 4 }); // { x: 45.28, y: 10, width: 580.72, height: 365 }
 */
export function layout(n: LayoutNeeds): Frame {
  const fs = n.style.fontSize;
  const top = 10 + (n.title !== undefined ? fs * 1.35 + 10 : 0) + (n.legend === true ? fs + 10 : 0);
  const bottom = fs + 14 + (n.xLabel !== undefined ? fs + 8 : 0);
  const left =
    10 +
    textWidth('0'.repeat(Math.max(1, n.yTickChars)), fs) +
    8 +
    (n.yLabel !== undefined ? fs + 8 : 0);
  const right = 14 + (n.right ?? 0);
  return {
    x: left,
    y: top,
    width: Math.max(10, n.width - left - right),
    height: Math.max(10, n.height - top - bottom),
  };
}

/**
 * How many ticks fit along a px length.
 * @example
 * tickCount(400, 80); // 5
 */
export function tickCount(px: number, perTick: number): number {
  return Math.max(2, Math.min(10, Math.round(px / perTick)));
}

/**
 * The grid lines, axes, ticks, tick labels and axis labels of a frame.
 * @example
 * renderAxes(frame, linearScale([0, 1], [frame.x, frame.x + frame.width]), ys, DEFAULT_STYLE, { xLabel: 'x' });
 */
export function renderAxes(
  frame: Frame,
  xs: Scale,
  ys: Scale,
  style: BaseStyle,
  o: {
    xLabel?: string | undefined;
    yLabel?: string | undefined;
    grid?: boolean;
    xTicks?: number;
    yTicks?: number;
  },
): string {
  const fs = style.fontSize;
  const x0 = frame.x;
  const x1 = frame.x + frame.width;
  const y0 = frame.y + frame.height;
  const y1 = frame.y;
  const xt = xs.ticks(o.xTicks ?? tickCount(frame.width, 80));
  const yt = ys.ticks(o.yTicks ?? tickCount(frame.height, 45));
  const inX = (v: number): boolean => v >= x0 - 0.5 && v <= x1 + 0.5;
  const inY = (v: number): boolean => v >= y1 - 0.5 && v <= y0 + 0.5;
  let out = '';
  if (o.grid !== false) {
    let d = '';
    for (const t of xt) {
      const px = xs(t.value);
      if (inX(px)) d += `M${num(px)} ${num(y0)}V${num(y1)}`;
    }
    for (const t of yt) {
      const py = ys(t.value);
      if (inY(py)) d += `M${num(x0)} ${num(py)}H${num(x1)}`;
    }
    if (d !== '') out += `<path class="grid"${attrs({ d, stroke: GRID, fill: 'none' })}/>\n`;
  }
  // x axis
  let marks = '';
  let labels = '';
  for (const t of xt) {
    const px = xs(t.value);
    if (!inX(px)) continue;
    marks += `M${num(px)} ${num(y0)}v4`;
    labels += text(px, y0 + 6 + fs, t.label, {
      class: 'tick',
      'text-anchor': 'middle',
      fill: LABEL,
    });
  }
  out +=
    `<g class="axis x">` +
    `<path class="domain"${attrs({ d: `M${num(x0)} ${num(y0)}H${num(x1)}`, stroke: AXIS, fill: 'none' })}/>` +
    `<path class="tick-marks"${attrs({ d: marks, stroke: AXIS, fill: 'none' })}/>` +
    labels;
  if (o.xLabel !== undefined) {
    out += text((x0 + x1) / 2, y0 + 6 + fs + 8 + fs, o.xLabel, {
      class: 'label',
      'text-anchor': 'middle',
      fill: LABEL,
    });
  }
  out += '</g>\n';
  // y axis
  marks = '';
  labels = '';
  let widest = 0;
  for (const t of yt) {
    const py = ys(t.value);
    if (!inY(py)) continue;
    marks += `M${num(x0)} ${num(py)}h-4`;
    labels += text(x0 - 7, py + fs * 0.35, t.label, {
      class: 'tick',
      'text-anchor': 'end',
      fill: LABEL,
    });
    widest = Math.max(widest, textWidth(t.label, fs));
  }
  out +=
    `<g class="axis y">` +
    `<path class="domain"${attrs({ d: `M${num(x0)} ${num(y0)}V${num(y1)}`, stroke: AXIS, fill: 'none' })}/>` +
    `<path class="tick-marks"${attrs({ d: marks, stroke: AXIS, fill: 'none' })}/>` +
    labels;
  if (o.yLabel !== undefined) {
    const lx = x0 - 7 - widest - 8 - fs * 0.3;
    const ly = (y0 + y1) / 2;
    out += text(lx, ly, o.yLabel, {
      class: 'label',
      'text-anchor': 'middle',
      fill: LABEL,
      transform: `rotate(-90 ${num(lx)} ${num(ly)})`,
    });
  }
  out += '</g>\n';
  return out;
}

/**
 * The widest tick label of a scale, in characters.
 * @example
 * widestTick(linearScale([-1, 1], [0, 100]), 5); // 4 ('−0.5')
 */
export function widestTick(s: Scale, count: number): number {
  let w = 0;
  for (const t of s.ticks(count)) w = Math.max(w, t.label.length);
  return w;
}

/**
 * The title, centred above the frame.
 * @example
 * renderTitle('peak', 640, DEFAULT_STYLE); // '<text class="title" ...>peak</text>\n'
 */
export function renderTitle(title: string | undefined, width: number, style: BaseStyle): string {
  if (title === undefined) return '';
  const fs = style.fontSize * 1.35;
  return `${text(width / 2, 8 + fs, title, {
    class: 'title',
    'text-anchor': 'middle',
    'font-size': fs,
    'font-weight': '600',
    fill: TITLE,
  })}\n`;
}

/**
 * One entry of a legend.
 * @example
 * const e: LegendEntry = { label: 'exact', color: '#999999', kind: 'dashed' };
 */
export interface LegendEntry {
  label: string;
  color: string;
  /** A line sample (default), a filled dot, a hollow dot or a dashed line. */
  kind?: 'line' | 'point' | 'hollow' | 'dashed';
}

/**
 * A legend in one row above the frame, ending at its right edge (the layout leaves room
 * for it with `legend: true`), so it never hides data.
 * @example
 * renderLegend(frame, [{ label: 'sin', color: '#1f77b4' }], DEFAULT_STYLE);
 */
export function renderLegend(
  frame: Frame,
  entries: readonly LegendEntry[],
  style: BaseStyle,
): string {
  if (entries.length === 0) return '';
  const fs = style.fontSize;
  const widths = entries.map((e) => 24 + textWidth(e.label, fs) + 12);
  const total = widths.reduce((a, b) => a + b, 0);
  let x = Math.max(frame.x, frame.x + frame.width - total);
  const cy = frame.y - fs / 2 - 6;
  let out = '<g class="legend">';
  entries.forEach((e, i) => {
    let sample: string;
    if (e.kind === 'point' || e.kind === 'hollow') {
      sample = `<circle${attrs({
        cx: x + 9,
        cy,
        r: 3,
        fill: e.kind === 'point' ? e.color : 'none',
        stroke: e.color,
      })}/>`;
    } else {
      sample = `<line${attrs({
        x1: x,
        y1: cy,
        x2: x + 18,
        y2: cy,
        stroke: e.color,
        'stroke-width': 2,
        'stroke-dasharray': e.kind === 'dashed' ? '4 3' : undefined,
      })}/>`;
    }
    out += `<g class="entry">${sample}${text(x + 24, cy + fs * 0.35, e.label, { fill: LABEL })}</g>`;
    x += widths[i] as number;
  });
  return `${out}</g>\n`;
}

/**
 * The width a colour bar takes to the right of a frame.
 * @example
 * colorBarWidth([0, 1], DEFAULT_STYLE); // px to keep free right of the frame
 */
export function colorBarWidth(
  domain: readonly [number, number],
  style: BaseStyle,
  label?: string,
): number {
  const s = linearScale(domain, [100, 0]);
  return (
    18 +
    12 +
    6 +
    textWidth('0'.repeat(widestTick(s, 6)), style.fontSize) +
    (label !== undefined ? style.fontSize + 10 : 0)
  );
}

/**
 * A vertical colour bar right of the frame: 64 stripes, ticks and an optional label.
 * @example
 * renderColorBar(frame, [0, 1], colorMap('viridis'), DEFAULT_STYLE, 'f');
 */
export function renderColorBar(
  frame: Frame,
  domain: readonly [number, number],
  cmap: ColorMap,
  style: BaseStyle,
  label?: string,
): string {
  const fs = style.fontSize;
  const bx = frame.x + frame.width + 18;
  const bw = 12;
  const top = frame.y;
  const h = frame.height;
  const n = 64;
  let out = '<g class="colorbar">';
  for (let i = 0; i < n; i++) {
    const y = top + (h * (n - 1 - i)) / n;
    out += `<rect${attrs({ x: bx, y, width: bw, height: h / n + 0.5, fill: cmap((i + 0.5) / n) })}/>`;
  }
  out += `<rect${attrs({ x: bx, y: top, width: bw, height: h, fill: 'none', stroke: AXIS })}/>`;
  const s = linearScale(domain, [top + h, top]);
  let marks = '';
  let widest = 0;
  for (const t of s.ticks(tickCount(h, 45))) {
    const py = s(t.value);
    if (py < top - 0.5 || py > top + h + 0.5) continue;
    marks += `M${num(bx + bw)} ${num(py)}h4`;
    out += text(bx + bw + 7, py + fs * 0.35, t.label, { class: 'tick', fill: LABEL });
    widest = Math.max(widest, textWidth(t.label, fs));
  }
  out += `<path class="tick-marks"${attrs({ d: marks, stroke: AXIS, fill: 'none' })}/>`;
  if (label !== undefined) {
    const lx = bx + bw + 7 + widest + 6 + fs * 0.7;
    const ly = top + h / 2;
    out += text(lx, ly, label, {
      class: 'label',
      'text-anchor': 'middle',
      fill: LABEL,
      transform: `rotate(-90 ${num(lx)} ${num(ly)})`,
    });
  }
  return `${out}</g>\n`;
}

/**
 * A frame's outline (used by panels without axes).
 * @example
 * renderBox({ x: 10, y: 10, width: 100, height: 50 }); // '<rect x="10" ...'
 */
export function renderBox(frame: Frame): string {
  return `<rect${attrs({ x: frame.x, y: frame.y, width: frame.width, height: frame.height, fill: 'none', stroke: AXIS })}/>`;
}
