/**
 * Bytes per point held by a Learner1D after a serial ask(1)/tell loop to N points.
 *
 * Measured after forced GCs, as deltas of `process.memoryUsage()`: `heapUsed` (the V8 heap:
 * objects, plain arrays, typed-array headers) and `arrayBuffers` (typed-array storage,
 * outside the V8 heap). Needs `node --expose-gc`, and a fresh process per N so nothing else
 * sits on the heap: `bench/run.ts` starts one child per N.
 *
 * Run: `node --expose-gc dist-bench/bench/memory.js [N ...]` (table), or with `--json N`
 * (one JSON line, what run.ts reads).
 */
import { Learner1D } from '../src/learners/learner1d.js';
import { fmt, fmtN, gc, hasGc, isMain, printTable, runChild } from './harness.js';
import { peak } from './learner1d.js';

/** Target: bytes per point at 1e6 points. */
export const MEMORY_TARGET = 100;
/** python-adaptive's figure: about 950 bytes per point at 1e5 points (Learner1D, serial). */
export const PYTHON_BYTES_PER_POINT = 950;

/** One memory measurement. */
export interface MemoryResult {
  N: number;
  heapUsedDelta: number;
  arrayBuffersDelta: number;
  rssDelta: number;
  heapBytesPerPoint: number;
  arrayBufferBytesPerPoint: number;
  bytesPerPoint: number;
  target: number | null;
  meetsTarget: boolean | null;
  /** python-adaptive's bytes/point ÷ ours (python measured at 1e5 only). */
  pythonBytesPerPoint: number;
  ratio: number;
}

/** Full GCs with pauses between: freed typed-array storage is released asynchronously. */
async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

/** Measures in this process: call it in a fresh one. */
export async function measureMemory(n: number): Promise<MemoryResult> {
  if (!hasGc) throw new Error('bench/memory: run node with --expose-gc');
  // Warm the code on a small learner first, so compiled code is not counted as data.
  const warm = new Learner1D({ bounds: [-1, 1] });
  for (let i = 0; i < 2000; i++) {
    const x = warm.ask(1).points[0] as number;
    warm.tell(x, peak(x));
  }
  const before = await settle();
  const learner = new Learner1D({ bounds: [-1, 1] });
  for (let i = 0; i < n; i++) {
    const x = learner.ask(1).points[0] as number;
    learner.tell(x, peak(x));
  }
  // Read the loss once, so the learner holds everything it keeps while in use (its real-loss
  // queue is built on the first loss() call).
  if (!(learner.loss() > 0)) throw new Error('bench/memory: no loss');
  const after = await settle();
  // Keep the warm-up learner alive through both readings, so its freeing is not counted.
  if (warm.npoints !== 2000) throw new Error('bench/memory: warm-up learner changed');
  if (learner.npoints !== n) throw new Error(`bench/memory: ${learner.npoints} points, not ${n}`);
  const heap = after.heapUsed - before.heapUsed;
  const ab = after.arrayBuffers - before.arrayBuffers;
  const perPoint = (heap + ab) / n;
  const target = n >= 1e6 ? MEMORY_TARGET : null;
  return {
    N: n,
    heapUsedDelta: heap,
    arrayBuffersDelta: ab,
    rssDelta: after.rss - before.rss,
    heapBytesPerPoint: heap / n,
    arrayBufferBytesPerPoint: ab / n,
    bytesPerPoint: perPoint,
    target,
    meetsTarget: target === null ? null : perPoint <= target,
    pythonBytesPerPoint: PYTHON_BYTES_PER_POINT,
    ratio: perPoint / PYTHON_BYTES_PER_POINT,
  };
}

/** Measures N points in a fresh `node --expose-gc` child process. */
export function measureMemoryInChild(n: number): MemoryResult {
  return runChild<MemoryResult>(import.meta.url, [String(n)]);
}

/** Prints the memory table. */
export function printMemoryTable(rows: readonly MemoryResult[]): void {
  printTable(
    'Learner1D memory: bytes per point held after forced GC (serial loop, peak)',
    [
      'N',
      'heapUsed Δ MB',
      'arrayBuffers Δ MB',
      'heap B/pt',
      'arrayBuffers B/pt',
      'total B/pt',
      'python B/pt (1e5)',
      'ratio ours/py',
      'target B/pt',
      'meets',
    ],
    rows.map((r) => [
      fmtN(r.N),
      (r.heapUsedDelta / 2 ** 20).toFixed(1),
      (r.arrayBuffersDelta / 2 ** 20).toFixed(1),
      fmt(r.heapBytesPerPoint),
      fmt(r.arrayBufferBytesPerPoint),
      fmt(r.bytesPerPoint),
      `~${r.pythonBytesPerPoint}`,
      fmt(r.ratio),
      r.target === null ? '–' : `≤ ${r.target}`,
      r.meetsTarget === null ? '–' : r.meetsTarget ? '✓' : '✗',
    ]),
  );
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--json') {
    console.log(JSON.stringify(await measureMemory(Number(args[1]))));
  } else {
    const sizes = args.length > 0 ? args.map(Number) : [1e5, 1e6];
    printMemoryTable(sizes.map(measureMemoryInChild));
  }
}
