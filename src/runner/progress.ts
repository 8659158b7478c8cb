/**
 * A terminal renderer for the runner's progress events: one line updated in place on a
 * TTY, plain lines now and then otherwise (CI logs cannot show a line that rewrites itself).
 * Modelled on python-adaptive's `live_info_terminal` (overhead in red above 50 %).
 */

import { checkOptionKeys, describe } from '../util/validate.js';
import { optionalBoolean, optionalFunction, optionalPositiveFinite } from './options.js';
import type { ProgressInfo } from './types.js';

/**
 * Where a {@link progressRenderer} writes: `process.stderr`, `process.stdout`, or any object
 * with `write` (and, for a terminal, `isTTY` and `columns`).
 * @example
 * const s: ProgressStream = { write: (t: string) => chunks.push(t), isTTY: false };
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

/**
 * Options of {@link progressRenderer}.
 * @example
 * { intervalMs: 30_000, label: 'sweep' }
 */
export interface ProgressRendererOptions {
  /** Milliseconds between lines when the stream is not a TTY (default 10 000). The last one always prints. */
  intervalMs?: number | undefined;
  /** Text in front of the figures. */
  label?: string | undefined;
  /** ANSI colours (default: on for a TTY unless `NO_COLOR` is set). */
  color?: boolean | undefined;
  /** The clock, in ms (default `performance.now`); for tests. */
  now?: (() => number) | undefined;
}

function compact(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(a >= 1e10 ? 0 : 1)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(n));
}

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function lossText(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2);
}

/**
 * One line of figures for a progress event (no colours, no newline).
 *
 * @example
 * formatProgress({ npoints: 12345, pending: 8, loss: 0.00123, elapsedMs: 2300, overhead: 4.1, failures: 0, rate: 5367, final: false });
 * // '12.3k points · 8 pending · loss 0.00123 · 2.30 s · 5367 points/s · overhead 4.1 % · 0 failures'
 */
export function formatProgress(info: ProgressInfo): string {
  return formatParts(info, false).join(' · ');
}

function formatParts(info: ProgressInfo, color: boolean): string[] {
  let overhead = `overhead ${info.overhead.toFixed(1)} %`;
  if (color && info.overhead > 50) overhead = `\x1b[31m${overhead}\x1b[39m`;
  let failures = `${info.failures} failure${info.failures === 1 ? '' : 's'}`;
  if (color && info.failures > 0) failures = `\x1b[33m${failures}\x1b[39m`;
  return [
    `${compact(info.npoints)} points`,
    `${info.pending} pending`,
    `loss ${lossText(info.loss)}`,
    duration(info.elapsedMs),
    `${compact(info.rate)} points/s`,
    overhead,
    failures,
  ];
}

/**
 * Makes an `onProgress` callback that renders to a terminal: on a TTY one line rewritten in
 * place (`\r`, cut to the terminal's width) and ended with a newline by the last event; on
 * anything else a plain line every `intervalMs` and one for the last event.
 *
 * @example
 * await run(learner, f, { lossGoal: 0.001, onProgress: progressRenderer(process.stderr) });
 * // stderr: 2.1k points · 4 pending · loss 0.00213 · 1.52 s · 1382 points/s · overhead 0.8 % · 0 failures
 */
export function progressRenderer(
  stream: ProgressStream = process.stderr,
  options: ProgressRendererOptions = {},
): (info: ProgressInfo) => void {
  if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
    throw new TypeError(
      `progressRenderer: stream must have a write() method, got ${describe(stream)}`,
    );
  }
  checkOptionKeys('progressRenderer', options, ['intervalMs', 'label', 'color', 'now']);
  const intervalMs =
    optionalPositiveFinite('progressRenderer', 'intervalMs', options.intervalMs) ?? 10_000;
  const label = options.label;
  if (label !== undefined && typeof label !== 'string') {
    throw new TypeError(`progressRenderer: label must be a string, got ${describe(label)}`);
  }
  const tty = stream.isTTY === true;
  const color =
    optionalBoolean('progressRenderer', 'color', options.color) ??
    (tty && (process.env.NO_COLOR ?? '') === '');
  const now =
    optionalFunction<() => number>('progressRenderer', 'now', options.now) ??
    (() => performance.now());
  const prefix = label === undefined || label === '' ? '' : `${label}: `;
  let last = Number.NEGATIVE_INFINITY;
  return (info: ProgressInfo) => {
    if (tty) {
      let line = prefix + formatParts(info, false).join(' · ');
      const width = stream.columns;
      if (width !== undefined && width > 1 && line.length > width - 1) {
        line = `${line.slice(0, width - 2)}…`;
      } else if (color) {
        line = prefix + formatParts(info, true).join(' · ');
      }
      stream.write(`\r${line}\x1b[K${info.final ? '\n' : ''}`);
      return;
    }
    const t = now();
    if (!info.final && t - last < intervalMs) return;
    last = t;
    stream.write(`${prefix}${formatParts(info, color).join(' · ')}\n`);
  };
}
