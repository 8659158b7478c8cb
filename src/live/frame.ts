/**
 * What the live page shows, read from a learner (and its runner) at one moment: the numbers
 * (npoints, loss, rate, overhead, failures, goal progress) and the learner's picture as SVG
 * (drawn by adaptive-sampling/plot). Reading is all it does: it never changes the learner.
 */

import { encodeData } from '../io/json.js';
import { lastTold, plotKind, plotLearner, plotLoss } from '../plot/index.js';
import { type Plot1DSource, plot1D } from '../plot/plot1d.js';
import { plot2D } from '../plot/plot2d.js';
import { plotSlice } from '../plot/slice.js';
import { esc, num } from '../plot/svg.js';

/** What a frame reads from a runner: {@link Runner} fits. */
export interface RunnerLike {
  readonly learner: unknown;
  readonly status: string;
  readonly elapsedMs: number;
  readonly pending: number;
  readonly failures: readonly { point: unknown; error: string; attempts: number; kind: string }[];
  readonly log?: readonly { op: string; point?: unknown }[] | undefined;
  readonly goals?: Readonly<Record<string, unknown>> | undefined;
  overhead(): number;
  cancel(): void;
  readonly done: Promise<unknown>;
}

/** The kind of picture a learner gets on the page. */
export type LiveKind = '1d' | '2d' | 'slice' | 'balancing' | 'sequence' | 'none';

/** One goal and how far the run is towards it (0..1). */
export interface GoalProgress {
  name: string;
  text: string;
  progress: number;
}

/** The numbers of a frame. Non-finite numbers are strings (`'Infinity'`). */
export interface LiveInfo {
  learner: string;
  kind: LiveKind;
  npoints: number;
  pending: number;
  loss: number | string;
  status: string;
  elapsedMs: number;
  rate: number;
  overhead: number;
  failures: number;
  failureList: { point: unknown; error: string; kind: string; attempts: number }[];
  goals: GoalProgress[];
  extra: { label: string; value: string }[];
  /** Sequence progress: evaluated of total. */
  progress?: { done: number; total: number } | undefined;
  /** LearnerND: the bounds of each coordinate, for the page's sliders. */
  slice?: { dim: number; bounds: number[][] } | undefined;
}

/** One record of the loss history (seconds since the view started). */
export interface HistoryRecord {
  t: number;
  npoints: number;
  loss: number;
  /** IntegratorLearner: the integral estimate then. */
  igral?: number;
}

/**
 * The name of a learner's class (`'Learner1D'`); a DataSaver says what it wraps.
 * @example
 * learnerName(new Learner1D({ bounds: [0, 1] })); // 'Learner1D'
 */
export function learnerName(learner: unknown): string {
  if (learner === null || typeof learner !== 'object') return typeof learner;
  const name = (learner as object).constructor?.name ?? 'Object';
  const inner = (learner as { learner?: unknown }).learner;
  if ('extraData' in learner && inner !== undefined) return `${name}(${learnerName(inner)})`;
  return name;
}

function unwrap(learner: unknown): Record<string, unknown> {
  let l = learner as Record<string, unknown>;
  for (let i = 0; i < 10 && l !== null && typeof l === 'object'; i++) {
    if (!('extraData' in l) || typeof l.learner !== 'object') break;
    l = l.learner as Record<string, unknown>;
  }
  return l;
}

/**
 * The picture kind of a learner on the live page.
 * @example
 * liveKind(new SequenceLearner([1, 2])); // 'sequence'
 */
export function liveKind(learner: unknown): LiveKind {
  const k = plotKind(learner);
  if (k !== null) return k;
  const l = unwrap(learner);
  if (
    l !== null &&
    typeof l === 'object' &&
    typeof l.result === 'function' &&
    typeof l.length === 'number'
  ) {
    return 'sequence';
  }
  return 'none';
}

/** A number as JSON: non-finite ones as strings. */
export function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/** Progress towards each goal the runner has, 0..1. */
function goalProgress(
  goals: Readonly<Record<string, unknown>> | undefined,
  npoints: number,
  loss: number,
  elapsedMs: number,
  firstLoss: number | undefined,
): GoalProgress[] {
  if (goals === undefined) return [];
  const out: GoalProgress[] = [];
  const n = goals.npointsGoal;
  if (typeof n === 'number') {
    out.push({
      name: 'npointsGoal',
      text: `${npoints} of ${n} points`,
      progress: n > 0 ? Math.min(1, npoints / n) : 1,
    });
  }
  const d = goals.durationGoal;
  if (typeof d === 'number') {
    out.push({
      name: 'durationGoal',
      text: `${fmt(elapsedMs / 1000)} of ${fmt(d / 1000)} s`,
      progress: d > 0 ? Math.min(1, elapsedMs / d) : 1,
    });
  }
  const e = goals.endTimeGoal;
  if (e instanceof Date) {
    const left = e.getTime() - Date.now();
    out.push({
      name: 'endTimeGoal',
      text: `until ${e.toISOString()} (${fmt(Math.max(0, left) / 1000)} s left)`,
      progress: left <= 0 ? 1 : Math.min(1, elapsedMs / (elapsedMs + left)),
    });
  }
  const g = goals.lossGoal;
  if (typeof g === 'number') {
    // Progress on a log scale from the first finite loss seen to the goal.
    let p = 0;
    if (loss <= g) p = 1;
    else if (
      firstLoss !== undefined &&
      Number.isFinite(firstLoss) &&
      Number.isFinite(loss) &&
      firstLoss > g &&
      g > 0 &&
      loss > 0
    ) {
      p = Math.max(0, Math.min(1, Math.log(firstLoss / loss) / Math.log(firstLoss / g)));
    }
    out.push({ name: 'lossGoal', text: `loss ${fmt(loss)}, goal ${fmt(g)}`, progress: p });
  }
  if (typeof goals.goal === 'function') {
    out.push({ name: 'goal', text: 'a goal function', progress: Number.NaN });
  }
  return out;
}

/** A strip of the IntegratorLearner's intervals (alternating shades), with the integral. */
function intervalStrip(l: Record<string, unknown>, width: number): string {
  const ivs = (l.approximatingIntervals as () => { a: number; b: number; err: number }[])();
  const b = l.bounds as [number, number] | undefined;
  if (ivs.length === 0 || b === undefined) return '';
  const lo = b[0];
  const hi = b[1];
  const x = (v: number): number => 40 + ((v - lo) / (hi - lo)) * (width - 60);
  let maxErr = 0;
  for (const iv of ivs) if (Number.isFinite(iv.err)) maxErr = Math.max(maxErr, iv.err);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" class="intervals" width="${width}" height="46" viewBox="0 0 ${width} 46">`;
  out += `<text x="40" y="12" font-size="11" font-family="sans-serif">${ivs.length} intervals (darker: larger error)</text>`;
  ivs.forEach((iv, i) => {
    const shade =
      maxErr > 0 && Number.isFinite(iv.err) ? 0.15 + 0.75 * (iv.err / maxErr) ** 0.25 : 0.15;
    out += `<rect class="interval" x="${num(x(iv.a))}" y="18" width="${num(Math.max(0.5, x(iv.b) - x(iv.a)))}" height="20" fill="${i % 2 === 0 ? '#1f77b4' : '#ff7f0e'}" fill-opacity="${num(shade)}"/>`;
  });
  return `${out}</svg>`;
}

/**
 * A 1-D source thinned for drawing: above `bins` × 4 points (scalar values, no error bars),
 * each of `bins` equal x-bins keeps its first, lowest, highest and last point, so the
 * polyline looks the same at the picture's resolution (the M4 scheme) and a frame of a
 * 100 000-point run stays a few ms and a few kB. O(n).
 *
 * @example
 * decimated(learner, 800).toArrays().x.length; // at most 3200
 */
export function decimated(source: Plot1DSource, bins: number): Plot1DSource {
  const a = source.toArrays();
  const n = a.x.length;
  if ((a.vdim ?? 1) !== 1 || a.error !== undefined || n <= bins * 4) return source;
  const x0 = a.x[0] as number;
  const x1 = a.x[n - 1] as number;
  const keep: number[] = [];
  let i = 0;
  while (i < n) {
    const b = Math.min(bins - 1, Math.floor((((a.x[i] as number) - x0) / (x1 - x0)) * bins));
    const first = i;
    let lo = i;
    let hi = i;
    let j = i + 1;
    while (
      j < n &&
      Math.min(bins - 1, Math.floor((((a.x[j] as number) - x0) / (x1 - x0)) * bins)) === b
    ) {
      const y = a.y[j] as number;
      // NaN breaks the curve: keep it, so the break stays visible.
      if (Number.isNaN(y)) keep.push(j);
      else {
        if (!(y >= (a.y[lo] as number))) lo = j;
        if (!(y <= (a.y[hi] as number))) hi = j;
      }
      j++;
    }
    const last = j - 1;
    for (const k of [first, lo, hi, last].sort((p, q) => p - q)) {
      if (keep[keep.length - 1] !== k) keep.push(k);
    }
    i = j;
  }
  keep.sort((p, q) => p - q);
  const x = new Float64Array(keep.length);
  const y = new Float64Array(keep.length);
  let m = 0;
  for (let k = 0; k < keep.length; k++) {
    if (k > 0 && keep[k] === keep[k - 1]) continue;
    x[m] = a.x[keep[k] as number] as number;
    y[m] = a.y[keep[k] as number] as number;
    m++;
  }
  const thin: { -readonly [K in keyof Plot1DSource]: Plot1DSource[K] } = {
    toArrays: () => ({ x: x.subarray(0, m), y: y.subarray(0, m) }),
  };
  if (source.bounds !== undefined) thin.bounds = source.bounds;
  if (source.pendingPoints !== undefined) thin.pendingPoints = source.pendingPoints;
  return thin;
}

/** Options of a picture that a client chose (the LearnerND slice). */
export interface PictureOptions {
  fixed?: (number | null)[] | undefined;
}

/**
 * Parses the page's `fixed` query (`',,0.5'`: free, free, 0.5) into a slice, each fixed
 * value clamped into the bounds. Only numbers are read.
 * @example
 * parseFixed(',,0.5', [[0, 1], [0, 1], [0, 1]]); // [null, null, 0.5]
 */
export function parseFixed(
  q: string | null,
  bounds: readonly (readonly number[])[],
): (number | null)[] | undefined {
  if (q === null || q === '') return undefined;
  const parts = q.split(',').slice(0, bounds.length);
  if (parts.length !== bounds.length) return undefined;
  const out: (number | null)[] = [];
  for (let i = 0; i < parts.length; i++) {
    const s = (parts[i] as string).trim();
    if (s === '') {
      out.push(null);
      continue;
    }
    const v = Number(s);
    const b = bounds[i] as readonly number[];
    if (!Number.isFinite(v)) return undefined; // not a number: the default slice
    out.push(Math.min(b[1] as number, Math.max(b[0] as number, v)));
  }
  const free = out.filter((v) => v === null).length;
  return free === 1 || free === 2 ? out : undefined;
}

/**
 * Reads frames of one learner: keeps the loss history and the x seen at the last frame (so
 * the newest points can be marked without a run log).
 */
export class FrameReader {
  readonly learner: unknown;
  readonly runner: RunnerLike | undefined;
  readonly kind: LiveKind;
  readonly history: HistoryRecord[] = [];
  readonly #t0 = performance.now();
  #seen: Set<number> | undefined;
  #latest: number[] = [];
  #firstLoss: number | undefined;
  #failureCount = 0;

  constructor(learner: unknown, runner?: RunnerLike) {
    this.learner = learner;
    this.runner = runner;
    this.kind = liveKind(learner);
  }

  /** Seconds since the reader was made. */
  now(): number {
    return (performance.now() - this.#t0) / 1000;
  }

  /** Adds the learner's loss now to the history (kept to at most 2000 records). O(1) amortised. */
  sample(): void {
    const l = this.learner as { npoints: number; loss(): number };
    const npoints = l.npoints;
    const loss = l.loss();
    if (this.#firstLoss === undefined && Number.isFinite(loss)) this.#firstLoss = loss;
    const h = this.history;
    const last = h[h.length - 1];
    if (last !== undefined && last.npoints === npoints && last.loss === loss) return;
    const igral = unwrap(this.learner).igral;
    h.push(
      typeof igral === 'number'
        ? { t: this.now(), npoints, loss, igral }
        : { t: this.now(), npoints, loss },
    );
    if (h.length > 2000) {
      // Thin the older half: keeps the whole run in view at a bounded size.
      const keep: HistoryRecord[] = [];
      for (let i = 0; i < h.length; i++)
        if (i % 2 === 0 || i >= 1000) keep.push(h[i] as HistoryRecord);
      h.length = 0;
      h.push(...keep);
    }
  }

  /** The numbers of the frame. O(1) apart from the learner's own `loss()`. */
  info(): LiveInfo {
    const l = this.learner as { npoints: number; loss(): number; pendingPoints?: unknown[] };
    const r = this.runner;
    const npoints = l.npoints;
    const loss = l.loss();
    const elapsedMs = r !== undefined ? r.elapsedMs : this.now() * 1000;
    const failures = r?.failures ?? [];
    const inner = unwrap(this.learner);
    const extra: { label: string; value: string }[] = [];
    let progress: LiveInfo['progress'];
    let slice: LiveInfo['slice'];
    if (typeof inner.igral === 'number') {
      extra.push({
        label: 'integral',
        value: `${fmt(inner.igral as number)} ± ${fmt(inner.err as number)}`,
      });
      if (typeof inner.nActiveIntervals === 'number') {
        extra.push({ label: 'active intervals', value: String(inner.nActiveIntervals) });
      }
    }
    if (typeof inner.nsamples === 'number') {
      extra.push({ label: 'samples', value: String(inner.nsamples) });
    }
    if (this.kind === 'sequence') {
      progress = { done: npoints, total: inner.length as number };
    }
    if (this.kind === 'slice') {
      const b = inner.bounds as number[][];
      slice = { dim: inner.dim as number, bounds: b.map((p) => [p[0] as number, p[1] as number]) };
    }
    // Rate over the last two seconds of the history (points a second).
    const h = this.history;
    let rate = 0;
    const now = this.now();
    if (h.length > 0) {
      let i = h.length - 1;
      while (i > 0 && now - (h[i - 1] as HistoryRecord).t < 2) i--;
      const first = h[i] as HistoryRecord;
      const dt = now - first.t;
      rate = dt > 0.05 ? Math.max(0, (npoints - first.npoints) / dt) : 0;
    }
    if (failures.length !== this.#failureCount) this.#failureCount = failures.length;
    return {
      learner: learnerName(this.learner),
      kind: this.kind,
      npoints,
      pending:
        r !== undefined ? r.pending : Array.isArray(l.pendingPoints) ? l.pendingPoints.length : 0,
      loss: jsonNumber(loss),
      status: r?.status ?? 'running',
      elapsedMs,
      rate,
      overhead: r !== undefined ? r.overhead() : 0,
      failures: failures.length,
      failureList: failures.slice(-20).map((f) => ({
        point: encodeData(f.point),
        error: f.error,
        kind: f.kind,
        attempts: f.attempts,
      })),
      goals: goalProgress(r?.goals, npoints, loss, elapsedMs, this.#firstLoss),
      extra,
      progress,
      slice,
    };
  }

  /**
   * Notes the points that are new since the last call (for a 1-D learner), to mark them.
   * O(n) once per frame.
   */
  updateLatest(): void {
    if (this.kind !== '1d') return;
    // Markers are drawn for at most 3000 points (see picture()): no need to find new ones.
    if ((unwrap(this.learner).npoints as number) > 3000) {
      this.#seen = undefined;
      this.#latest = [];
      return;
    }
    const log = this.runner?.log;
    if (log !== undefined) {
      this.#latest = lastTold(log, 10);
      return;
    }
    const { x } = (unwrap(this.learner) as { toArrays(): { x: ArrayLike<number> } }).toArrays();
    const seen = this.#seen;
    const next = new Set<number>();
    const fresh: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      next.add(v);
      if (seen !== undefined && !seen.has(v)) fresh.push(v);
    }
    this.#seen = next;
    // Many new points at once (a fast run): rings on all of them would hide the curve; the
    // exact newest ten are marked when the run keeps a log (log: true).
    if (fresh.length > 0) this.#latest = fresh.length > 12 ? [] : fresh;
  }

  /** The learner's picture as SVG ('' when it has none). */
  picture(o: PictureOptions = {}): string {
    const learner = this.learner;
    switch (this.kind) {
      case '1d': {
        const inner = unwrap(learner);
        const n = (inner.npoints as number) ?? 0;
        let svg = plot1D(decimated(inner as unknown as Plot1DSource, 800) as never, {
          width: 640,
          height: 400,
          latest: this.#latest,
          // Thousands of markers would hide the curve and cost the run: the curve alone.
          points: n <= 3000,
          pointRadius: n > 300 ? 1.2 : n > 100 ? 1.8 : 2.5,
          xLabel: 'x',
          yLabel: 'y',
        });
        if (typeof inner.approximatingIntervals === 'function') {
          svg += intervalStrip(inner, 640);
        }
        return svg;
      }
      case 'slice': {
        const inner = unwrap(learner) as unknown as Parameters<typeof plotSlice>[0];
        return plotSlice(inner, { width: 560, height: 480, fixed: o.fixed, isolines: 8 });
      }
      case '2d':
        return plot2D(unwrap(learner) as never, {
          width: 560,
          height: 480,
          xLabel: 'x₀',
          yLabel: 'x₁',
          isolines: 8,
        });
      case 'balancing':
        return plotLearner(learner, {});
      case 'sequence': {
        const inner = unwrap(learner);
        const total = inner.length as number;
        const done = inner.npoints as number;
        const w = 600;
        const f = total > 0 ? done / total : 1;
        return `<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="${w}" height="50" viewBox="0 0 ${w} 50"><rect x="0" y="10" width="${w}" height="22" fill="#eee" stroke="#999"/><rect class="done" x="0" y="10" width="${num(w * f)}" height="22" fill="#1f77b4"/><text x="4" y="46" font-size="12" font-family="sans-serif">${esc(`${done} of ${total} items (${(100 * f).toFixed(1)} %)`)}</text></svg>`;
      }
      default:
        return '';
    }
  }

  /** Loss against time, as SVG ('' until two finite losses were seen). */
  lossPicture(): string {
    const recs = this.history
      .filter((r) => Number.isFinite(r.loss))
      .map((r) => ({ npoints: r.t, loss: r.loss }));
    if (recs.length < 2) return '';
    let svg = plotLoss(recs, {
      width: 420,
      height: 240,
      xLabel: 'seconds',
      yLabel: 'loss',
      points: false,
    });
    // IntegratorLearner: the running integral too.
    const ig = this.history
      .filter((r) => r.igral !== undefined && Number.isFinite(r.igral))
      .map((r) => ({ npoints: r.t, loss: r.igral as number }));
    if (ig.length >= 2) {
      svg += plotLoss(ig, {
        width: 420,
        height: 200,
        xLabel: 'seconds',
        yLabel: 'integral',
        logY: false,
        points: false,
      });
    }
    return svg;
  }
}
