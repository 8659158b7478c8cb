/**
 * The cost of a live view on a fast run: µs a point of `run(Learner1D, peak)` (an inline
 * function, the fastest path) without a view, with a view nobody watches, and with a page
 * connected (a server-sent-events reader in this process, so its parsing counts too), and
 * the µs a point each adds. The view draws a frame at most every 200 ms and at most a tenth
 * of the time, so the added cost stays small however fast the run is.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/live.js`.
 */
import { Learner1D } from '../src/learners/learner1d.js';
import { liveView } from '../src/live/index.js';
import { Runner } from '../src/runner/runner.js';
import { fmt, isMain, machineLine, printTable, runChild } from './harness.js';
import { peak } from './learner1d.js';

type Mode = 'no view' | 'view, no page' | 'view, page connected';

/** Reads a server-sent-events stream until aborted; counts the bytes. */
async function watch(url: string, signal: AbortSignal): Promise<number> {
  let bytes = 0;
  try {
    const res = await fetch(url, { signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      dec.decode(value, { stream: true });
    }
  } catch {
    // aborted
  }
  return bytes;
}

async function once(
  mode: Mode,
  n: number,
): Promise<{ us: number; frames: number; busyMs: number; bytes: number }> {
  const learner = new Learner1D({ bounds: [-1, 1] });
  const runner = new Runner(learner, peak, { npointsGoal: n });
  // Every mode starts its run 50 ms after its set-up, as a user opens the page and then
  // starts: right after listen() a run is slower for ~100 ms, a one-off start-up cost (JIT and
  // the second core busy) that is not per point and that this bench does not count.
  const settle = () => new Promise((r) => setTimeout(r, 50));
  if (mode === 'no view') {
    await settle();
    const t0 = performance.now();
    await runner.start().done;
    return { us: ((performance.now() - t0) * 1000) / n, frames: 0, busyMs: 0, bytes: 0 };
  }
  const view = await liveView(runner, { port: 0 });
  const ctrl = new AbortController();
  let reading: Promise<number> = Promise.resolve(0);
  if (mode === 'view, page connected') {
    reading = watch(view.url.replace('/?', '/events?'), ctrl.signal);
    // Wait for the first frame, as a page would be open before the run starts.
    while (view.stats.frames === 0) await new Promise((r) => setTimeout(r, 5));
  }
  await settle();
  const before = view.stats;
  const t0 = performance.now();
  await runner.start().done;
  const us = ((performance.now() - t0) * 1000) / n;
  // Frames drawn while the run went (the first one, on connecting, came before it).
  const frames = view.stats.frames - before.frames;
  const busyMs = view.stats.busyMs - before.busyMs;
  ctrl.abort();
  const bytes = await reading;
  await view.close();
  return { us, frames, busyMs, bytes };
}

/** Runs one mode `repeats` times after a warm-up (in its own process: see {@link benchLive}). */
async function timeMode(mode: Mode, n: number, repeats: number) {
  await once(mode, n); // warm-up
  const us: number[] = [];
  let last = { frames: 0, busyMs: 0 };
  for (let r = 0; r < repeats; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const o = await once(mode, n);
    us.push(o.us);
    last = { frames: o.frames, busyMs: o.busyMs };
  }
  us.sort((p, q) => p - q);
  return { usMin: us[0] as number, usMedian: us[us.length >> 1] as number, ...last };
}

const MODES: Mode[] = ['no view', 'view, no page', 'view, page connected'];

/**
 * One row per (N, mode): minimum and median µs a point over `repeats` runs. Each mode runs
 * in a fresh process (the JIT state of one mode, e.g. the plot code, never slows another),
 * and the processes are interleaved over `rounds` so that load on the machine hits every
 * mode alike; the minimum over all is kept.
 */
export function benchLive(ns: readonly number[] = [20_000, 100_000], repeats = 5, rounds = 3) {
  const rows: {
    N: number;
    mode: Mode;
    usMin: number;
    usMedian: number;
    addedUs: number;
    frames: number;
    busyMs: number;
  }[] = [];
  for (const n of ns) {
    const got = new Map<
      Mode,
      { usMin: number; usMedian: number; frames: number; busyMs: number }[]
    >();
    for (let r = 0; r < rounds; r++) {
      for (const m of MODES) {
        const res = runChild<{ usMin: number; usMedian: number; frames: number; busyMs: number }>(
          import.meta.url,
          ['--mode', m, '--n', String(n), '--repeats', String(repeats)],
        );
        got.set(m, [...(got.get(m) ?? []), res]);
      }
    }
    const best = (m: Mode) => {
      const list = got.get(m) ?? [];
      const mins = list.map((x) => x.usMin);
      const medians = list.map((x) => x.usMedian).sort((p, q) => p - q);
      const last = list[list.length - 1] ?? { frames: 0, busyMs: 0 };
      return {
        usMin: Math.min(...mins),
        usMedian: medians[medians.length >> 1] as number,
        frames: last.frames,
        busyMs: last.busyMs,
      };
    };
    const base = best('no view').usMin;
    for (const m of MODES) {
      const b = best(m);
      rows.push({ N: n, mode: m, ...b, addedUs: b.usMin - base });
    }
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const argv = process.argv;
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes('--json')) {
    const r = await timeMode(arg('--mode') as Mode, Number(arg('--n')), Number(arg('--repeats')));
    console.log(JSON.stringify(r));
  } else {
    console.log(machineLine());
    const rows = benchLive();
    printTable(
      'Live view on a fast run: run(Learner1D, peak) inline, µs a point (min over 3 processes × 5 runs, median of the medians)',
      [
        'N',
        'mode',
        'µs/point min',
        'median',
        'added µs/point',
        'frames',
        'ms drawing',
        'drawing µs/point',
      ],
      rows.map((r) => [
        String(r.N),
        r.mode,
        fmt(r.usMin),
        fmt(r.usMedian),
        r.mode === 'no view' ? '' : fmt(r.addedUs),
        String(r.frames),
        fmt(r.busyMs),
        r.mode === 'no view' ? '' : fmt((r.busyMs * 1000) / r.N),
      ]),
    );
  }
}
