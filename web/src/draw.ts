/**
 * Hand-drawn SVG for the live page, as strings: axes with ticks, the exact function, the
 * interpolated curve, evaluated points (filled), the latest points (ringed) and pending
 * points (hollow, on the curve). No DOM here, so it also runs in Node.
 */

export interface Frame {
  width: number;
  height: number;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
}

/** Evaluated (x, y) sorted by x, with the pending x and the x evaluated most recently. */
export interface PanelData {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  pending?: ArrayLike<number>;
  latest?: ReadonlySet<number>;
}

const MARGIN = { left: 52, right: 12, top: 10, bottom: 30 };
/** Above this many points, points are drawn as one path of dots instead of circles. */
export const MAX_CIRCLES = 2500;

const r1 = (v: number): string => String(Math.round(v * 10) / 10);

/** Maps data to pixels inside the frame's plot area. */
export function scales(frame: Frame): { sx: (x: number) => number; sy: (y: number) => number } {
  const [x0, x1] = frame.xDomain;
  const [y0, y1] = frame.yDomain;
  const left = MARGIN.left;
  const right = frame.width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = frame.height - MARGIN.bottom;
  return {
    sx: (x) => left + ((x - x0) / (x1 - x0)) * (right - left),
    sy: (y) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top),
  };
}

/** About `count` round tick values (steps of 1, 2 or 5 × 10ᵏ) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
    out.push(Math.abs(k * step) < step * 1e-9 ? 0 : Number((k * step).toPrecision(12)));
  }
  return out;
}

/** A tick label: few digits, no float noise (0.30000000000000004 → 0.3). */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}

/** The finite range of the values, padded by `pad` of its width (or ±1 around a constant). */
export function paddedRange(values: Iterable<number>, pad = 0.05): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/** Axes, ticks, grid lines and the clip path of the plot area (id `clip-${id}`). */
export function axesSvg(frame: Frame, id: string): string {
  const { sx, sy } = scales(frame);
  const left = MARGIN.left;
  const right = frame.width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = frame.height - MARGIN.bottom;
  const parts = [
    `<defs><clipPath id="clip-${id}"><rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/></clipPath></defs>`,
    `<rect class="frame" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/>`,
  ];
  for (const t of niceTicks(frame.xDomain[0], frame.xDomain[1], 6)) {
    const px = r1(sx(t));
    parts.push(
      `<line class="grid" x1="${px}" x2="${px}" y1="${top}" y2="${bottom}"/>`,
      `<text class="tick" x="${px}" y="${bottom + 16}" text-anchor="middle">${formatTick(t)}</text>`,
    );
  }
  for (const t of niceTicks(frame.yDomain[0], frame.yDomain[1], 5)) {
    const py = r1(sy(t));
    parts.push(
      `<line class="grid" x1="${left}" x2="${right}" y1="${py}" y2="${py}"/>`,
      `<text class="tick" x="${left - 6}" y="${py}" dy="0.32em" text-anchor="end">${formatTick(t)}</text>`,
    );
  }
  parts.push(`<text class="label" x="${right}" y="${frame.height - 2}" text-anchor="end">x</text>`);
  return parts.join('');
}

/** A path through the points, broken where y is not finite (`M…L…`). */
export function linePath(frame: Frame, x: ArrayLike<number>, y: ArrayLike<number>): string {
  const { sx, sy } = scales(frame);
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    const yi = y[i] as number;
    if (!Number.isFinite(yi)) {
      pen = false;
      continue;
    }
    // Keep far-off values finite for the renderer; the clip path hides them.
    const py = Math.max(-1e5, Math.min(1e5, sy(yi)));
    parts.push(`${pen ? 'L' : 'M'}${r1(sx(x[i] as number))} ${r1(py)}`);
    pen = true;
  }
  return parts.join('');
}

/** The exact function, a dashed grey line. */
export function exactSvg(frame: Frame, x: ArrayLike<number>, y: ArrayLike<number>): string {
  return `<path class="exact" d="${linePath(frame, x, y)}"/>`;
}

function interpolate(x: ArrayLike<number>, y: ArrayLike<number>, q: number): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let lo = 0;
  let hi = n - 1;
  if (q <= (x[0] as number)) return y[0] as number;
  if (q >= (x[hi] as number)) return y[hi] as number;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= q) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const x1 = x[hi] as number;
  return (y[lo] as number) + ((q - x0) / (x1 - x0)) * ((y[hi] as number) - (y[lo] as number));
}

/**
 * The data layer: the interpolated curve, the points (`circle.pt`, or one `path.dots` past
 * {@link MAX_CIRCLES}), the latest points (`circle.latest`) and the pending points
 * (`circle.pending`, hollow, drawn on the curve; at mid-height before any data).
 */
export function dataSvg(frame: Frame, data: PanelData): string {
  const { sx, sy } = scales(frame);
  const n = data.x.length;
  const parts = [`<path class="curve" d="${linePath(frame, data.x, data.y)}"/>`];
  const pts: string[] = [];
  const latest: string[] = [];
  const dots = n > MAX_CIRCLES;
  for (let i = 0; i < n; i++) {
    const yi = data.y[i] as number;
    if (!Number.isFinite(yi)) continue;
    const px = r1(sx(data.x[i] as number));
    const py = r1(Math.max(-1e5, Math.min(1e5, sy(yi))));
    pts.push(dots ? `M${px} ${py}h0` : `<circle class="pt" cx="${px}" cy="${py}" r="2.5"/>`);
    if (data.latest?.has(data.x[i] as number))
      latest.push(`<circle class="latest" cx="${px}" cy="${py}" r="4.5"/>`);
  }
  parts.push(
    dots
      ? `<g class="points" data-count="${pts.length}"><path class="dots" d="${pts.join('')}"/></g>`
      : `<g class="points" data-count="${pts.length}">${pts.join('')}</g>`,
  );
  parts.push(`<g class="latest-points">${latest.join('')}</g>`);
  const pending: string[] = [];
  const midY = (frame.yDomain[0] + frame.yDomain[1]) / 2;
  for (let i = 0; i < (data.pending?.length ?? 0); i++) {
    const q = data.pending?.[i] as number;
    const yq = interpolate(data.x, data.y, q);
    const py = Number.isFinite(yq) ? Math.max(-1e5, Math.min(1e5, sy(yq))) : sy(midY);
    pending.push(`<circle class="pending" cx="${r1(sx(q))}" cy="${r1(py)}" r="3.5"/>`);
  }
  parts.push(`<g class="pending-points" data-count="${pending.length}">${pending.join('')}</g>`);
  return parts.join('');
}
