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
import { fmt, isMain, machineLine, printTable } from './harness.js';
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
  const t0 = performance.now();
  await runner.start().done;
  const us = ((performance.now() - t0) * 1000) / n;
  const { frames, busyMs } = view.stats;
  ctrl.abort();
  const bytes = await reading;
  await view.close();
  return { us, frames, busyMs, bytes };
}

/** One row per (N, mode): minimum and median µs a point over `repeats` runs. */
export async function benchLive(ns: readonly number[] = [20_000, 100_000], repeats = 9) {
  const rows: {
    N: number;
    mode: Mode;
    usMin: number;
    usMedian: number;
    addedUs: number;
    frames: number;
    busyMs: number;
  }[] = [];
  const modes: Mode[] = (process.env.LIVE_MODES?.split('|') as Mode[] | undefined) ?? [
    'no view',
    'view, no page',
    'view, page connected',
  ];
  for (const n of ns) {
    const times: Record<Mode, number[]> = {
      'no view': [],
      'view, no page': [],
      'view, page connected': [],
    };
    const last: Record<Mode, { frames: number; busyMs: number }> = {
      'no view': { frames: 0, busyMs: 0 },
      'view, no page': { frames: 0, busyMs: 0 },
      'view, page connected': { frames: 0, busyMs: 0 },
    };
    await once('no view', n); // warm up
    for (let r = 0; r < repeats; r++) {
      // Interleaved, so that load on the machine hits every mode alike.
      for (const m of modes) {
        (globalThis as { gc?: () => void }).gc?.();
        const o = await once(m, n);
        times[m].push(o.us);
        last[m] = { frames: o.frames, busyMs: o.busyMs };
      }
    }
    const min = (a: number[]) => Math.min(...a);
    const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1] as number;
    const base = min(times['no view']);
    for (const m of modes) {
      rows.push({
        N: n,
        mode: m,
        usMin: min(times[m]),
        usMedian: median(times[m]),
        addedUs: min(times[m]) - base,
        frames: last[m].frames,
        busyMs: last[m].busyMs,
      });
    }
  }
  return rows;
}

if (isMain(import.meta.url)) {
  console.log(machineLine());
  const rows = await benchLive();
  printTable(
    'Live view on a fast run: run(Learner1D, peak) inline, µs a point (min and median of 9)',
    ['N', 'mode', 'µs/point min', 'median', 'added µs/point', 'frames', 'ms drawing'],
    rows.map((r) => [
      String(r.N),
      r.mode,
      fmt(r.usMin),
      fmt(r.usMedian),
      r.mode === 'no view' ? '' : fmt(r.addedUs),
      String(r.frames),
      fmt(r.busyMs),
    ]),
  );
}
