/**
 * SVG text helpers: fixed number formatting, escaping, the document root and the plot frame.
 * Everything here is a pure function of its arguments, so a plot is the same bytes every
 * time (no ids, no dates, no random numbers).
 */

/**
 * A rectangle in SVG user units: the area the data is drawn in.
 * @example
 * const frame: Frame = { x: 50, y: 20, width: 560, height: 340 };
 */
import { checkOptionKeys } from '../util/validate.js';
export interface Frame {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A coordinate rounded to 2 decimals, as the shortest text (no `-0`, no exponent for the
 * sizes a plot has). Non-finite input gives `0`: callers keep non-finite data out.
 *
 * @example
 * num(12.3456); // '12.35'
 * num(-0.001); // '0'
 */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 100) / 100;
  return r === 0 ? '0' : String(r);
}

/**
 * A coordinate rounded to 1 decimal (for the thousands of vertices of a heat map, where a
 * tenth of a pixel is plenty), as {@link num}.
 *
 * @example
 * num1(12.3456); // '12.3'
 */
export function num1(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 10) / 10;
  return r === 0 ? '0' : String(r);
}

/**
 * Text escaped for SVG content and attribute values.
 *
 * @example
 * esc('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 */
export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Attributes with defined values, in the order given.
 * @example
 * attrs({ cx: 1.234, fill: 'none', r: undefined }); // ' cx="1.23" fill="none"'
 */
export function attrs(a: Record<string, string | number | undefined>): string {
  let out = '';
  for (const k of Object.keys(a)) {
    const v = a[k];
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : esc(v)}"`;
  }
  return out;
}

/**
 * The style every plot shares; options may override the size and font.
 * @example
 * const style: BaseStyle = { fontFamily: 'serif', fontSize: 12, background: 'none' };
 */
export interface BaseStyle {
  /** Font family of all text (default `system-ui, -apple-system, 'Segoe UI', sans-serif`). */
  fontFamily: string;
  /** Font size of tick labels in px (default 11); titles are larger. */
  fontSize: number;
  /** Background fill (default white); `'none'` for a transparent plot. */
  background: string;
}

/**
 * The default {@link BaseStyle}.
 * @example
 * DEFAULT_STYLE.fontSize; // 11
 */
export const DEFAULT_STYLE: BaseStyle = {
  fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  fontSize: 11,
  background: '#ffffff',
};

/**
 * The `<svg>` root around `body`.
 * @example
 * svgRoot(100, 50, DEFAULT_STYLE, ''); // '<svg xmlns="http://www.w3.org/2000/svg" width="100" ...'
 */
export function svgRoot(width: number, height: number, style: BaseStyle, body: string): string {
  const bg =
    style.background === 'none'
      ? ''
      : `<rect class="background"${attrs({ width, height, fill: style.background })}/>\n`;
  return `<svg xmlns="http://www.w3.org/2000/svg"${attrs({
    width,
    height,
    viewBox: `0 0 ${num(width)} ${num(height)}`,
    'font-family': style.fontFamily,
    'font-size': style.fontSize,
  })}>\n${bg}${body}</svg>\n`;
}

/**
 * A `<text>` element.
 * @example
 * text(10, 20, 'a < b', { class: 'label' }); // '<text x="10" y="20" class="label">a &lt; b</text>'
 */
export function text(
  x: number,
  y: number,
  content: string,
  a: Record<string, string | number | undefined> = {},
): string {
  return `<text${attrs({ x, y, ...a })}>${esc(content)}</text>`;
}

/**
 * Clamps v into [lo, hi].
 * @example
 * clamp(5, 0, 1); // 1
 */
export function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

/**
 * Options every plot takes.
 * @example
 * plot1D(learner, { width: 800, height: 300, title: 'peak', xLabel: 'x', background: 'none' });
 */
export interface CommonOptions {
  /** Width of the whole picture in px. */
  width?: number | undefined;
  /** Height of the whole picture in px. */
  height?: number | undefined;
  /** A title above the plot. */
  title?: string | undefined;
  /** The label of the horizontal axis. */
  xLabel?: string | undefined;
  /** The label of the vertical axis. */
  yLabel?: string | undefined;
  /** Font family of all text. */
  fontFamily?: string | undefined;
  /** Font size of tick labels in px. */
  fontSize?: number | undefined;
  /** Background fill (`'none'` for transparent). */
  background?: string | undefined;
}

/**
 * The style of a plot from its options.
 * @example
 * styleOf({ fontSize: 14 }); // { fontFamily: ..., fontSize: 14, background: '#ffffff' }
 */
export function styleOf(o: CommonOptions): BaseStyle {
  return {
    fontFamily: o.fontFamily ?? DEFAULT_STYLE.fontFamily,
    fontSize: o.fontSize ?? DEFAULT_STYLE.fontSize,
    background: o.background ?? DEFAULT_STYLE.background,
  };
}

/**
 * Checks a size option: a finite number of px in [40, 20000].
 * @example
 * checkSize('plot1D', 'width', undefined, 640); // 640
 */
export function checkSize(where: string, name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 40 || v > 20000) {
    throw new RangeError(
      `${where}: ${name} must be a number of px in [40, 20000], got ${String(v)}`,
    );
  }
  return v;
}

/**
 * Throws a TypeError naming an unknown option key (src/util/validate.ts's message, with a
 * "did you mean" hint).
 * @example
 * checkKeys('plot1D', { colour: 'red' }, ['color']);
 * // throws TypeError: plot1D: unknown option 'colour' (did you mean 'color'?); known options: color
 */
export function checkKeys(where: string, o: object, allowed: readonly string[]): void {
  checkOptionKeys(where, o, allowed);
}

/**
 * The option names of {@link CommonOptions}.
 * @example
 * COMMON_KEYS.includes('title'); // true
 */
export const COMMON_KEYS: readonly string[] = [
  'width',
  'height',
  'title',
  'xLabel',
  'yLabel',
  'fontFamily',
  'fontSize',
  'background',
];
