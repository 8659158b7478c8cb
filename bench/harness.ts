/**
 * Shared bench plumbing: timing one full loop with tinybench, forced GC, a seeded PRNG,
 * table printing and number formatting.
 */

import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';

/** `globalThis.gc` when node runs with `--expose-gc`, else a no-op. */
export const gc: () => void =
  typeof (globalThis as { gc?: () => void }).gc === 'function'
    ? (globalThis as unknown as { gc: () => void }).gc
    : () => undefined;

/** Whether `--expose-gc` is on (memory figures need it). */
export const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';

/** Min and median wall time of one task, in milliseconds, over `repeats` runs. */
export interface Timing {
  minMs: number;
  medianMs: number;
  repeats: number;
}

/** Options of {@link timeTask}. */
export interface TimeOptions {
  /** Timed runs (after `warmup` untimed ones). */
  repeats: number;
  /** Untimed warm-up runs (default 1). */
  warmup?: number;
  /** Runs before every run, warm-up included, outside the timed window. */
  before?: () => void;
  /**
   * Whether `fn` returns a promise (default false). Given explicitly: tinybench otherwise
   * calls `fn` once more to find out, which costs a full extra run.
   */
  async?: boolean;
}

/**
 * Times `fn` (one full workload: e.g. a loop to N points on a fresh learner) with tinybench:
 * `warmup` untimed runs, then exactly `repeats` timed runs, each preceded by `before()` and
 * two forced GCs so the garbage of one run is not collected inside the next.
 */
export async function timeTask(
  name: string,
  fn: () => unknown,
  options: TimeOptions,
): Promise<Timing> {
  const warmup = options.warmup ?? 1;
  const bench = new Bench({
    iterations: options.repeats,
    time: 0,
    warmup: warmup > 0,
    warmupIterations: warmup,
    warmupTime: 0,
    throws: true,
  });
  const before = options.before;
  bench.add(name, fn, {
    async: options.async ?? false,
    beforeEach() {
      if (before !== undefined) before();
      gc();
      gc();
    },
  });
  await bench.run();
  const task = bench.getTask(name);
  const r = task?.result as
    | { state: string; latency?: { min: number; p50: number; samplesCount: number } }
    | undefined;
  if (r === undefined || r.latency === undefined) {
    throw new Error(`bench: task '${name}' produced no timing (state ${r?.state ?? 'none'})`);
  }
  return { minMs: r.latency.min, medianMs: r.latency.p50, repeats: r.latency.samplesCount };
}

/** mulberry32: a small seeded PRNG; `next()` gives a double in [0, 1) with 53 random bits. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  const u32 = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
}

/** Formats a number with `digits` significant digits, or '–' when absent. */
export function fmt(v: number | undefined | null, digits = 3): string {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10 ** digits) return Math.round(v).toString();
  return v.toPrecision(digits);
}

/** `1e6`, `5e5` style for round numbers from 1e4 up, plain digits otherwise. */
export function fmtN(n: number): string {
  if (n < 1e3 || !Number.isInteger(n)) return String(n);
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  return Number.isInteger(m) && (m === 1 || n >= 1e4) ? `${m}e${e}` : String(n);
}

/** Prints an aligned text table: numbers right-aligned, text left-aligned. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) =>
    rows.every((r) => /^[-+0-9.e×x%–]*$/.test(r[i] ?? '') || r[i] === ''),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** One line about where the numbers come from: node, CPU, cores and the load. */
export function machineLine(): string {
  const c = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `node ${process.version}, ${c.length} × ${c[0]?.model ?? 'unknown CPU'}, load average ${load}`;
}

/** Whether the module at `url` (its `import.meta.url`) is the script node was started with. */
export function isMain(url: string): boolean {
  const argv1 = process.argv[1];
  return argv1 !== undefined && pathToFileURL(argv1).href === url;
}

/**
 * Runs the bench module at `moduleUrl` (its `import.meta.url`) in a fresh
 * `node --expose-gc` process with `--json ...args`, and parses the last line it prints.
 * A fresh process per bench keeps the JIT state of one (e.g. sorted-btree made
 * polymorphic by the queue bench) from slowing the next, and keeps heaps apart.
 */
export function runChild<T>(moduleUrl: string, args: readonly string[] = []): T {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(moduleUrl), '--json', ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 },
  );
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}
