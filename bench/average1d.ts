/**
 * AverageLearner1D per sample, python-adaptive's case h: noisy_peak(sigma = 1, width = 0.05,
 * offset = -0.5) on (-2, 2), serial ask(1)/tell, N = 1e4 samples (python: 162.83 µs/sample;
 * target ≤ 3).
 *
 * Run: `node --expose-gc dist-bench/bench/average1d.js` (table) or `--json` (one JSON line).
 */
import { AverageLearner1D, type SeedPoint } from '../src/learners/average1d.js';
import { fmt, fmtN, isMain, printTable, rng, runChild, timeTask } from './harness.js';

const PYTHON_US = 162.83;
const TARGET_US = 3;

/** One row of the table. */
export interface Average1DResult {
  case: string;
  N: number;
  usPerPointMin: number;
  usPerPointMedian: number;
  pythonUsPerPoint: number;
  ratio: number;
  speedup: number;
  target: number;
  meetsTarget: boolean;
  npoints: number;
}

function noisyPeak(next: () => number): (p: SeedPoint) => number {
  return ([, x]) => {
    // Box–Muller from the seeded generator (python's noise ignores the seed too).
    const u = 1 - next();
    const v = next();
    const noise = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    const w = 0.05;
    return x ** 3 - x + (3 * w * w) / (w * w + (x + 0.5) ** 2) + noise;
  };
}

/** Times the case in this process. */
export async function benchAverage1D(N = 1e4): Promise<Average1DResult> {
  let npoints = 0;
  const timing = await timeTask(
    'average1d',
    () => {
      const f = noisyPeak(rng(1));
      const l = new AverageLearner1D({ bounds: [-2, 2] });
      while (l.nsamples < N) {
        const { points } = l.ask(1);
        const p = points[0] as SeedPoint;
        l.tell(p, f(p));
      }
      npoints = l.npoints;
    },
    { repeats: 7, warmup: 3 },
  );
  const us = (timing.minMs * 1000) / N;
  return {
    case: 'h  AverageLearner1D, per sample',
    N,
    usPerPointMin: us,
    usPerPointMedian: (timing.medianMs * 1000) / N,
    pythonUsPerPoint: PYTHON_US,
    ratio: us / PYTHON_US,
    speedup: PYTHON_US / us,
    target: TARGET_US,
    meetsTarget: us <= TARGET_US,
    npoints,
  };
}

/** Runs the case in a fresh process. */
export function benchAverage1DInChild(): Average1DResult {
  return runChild<Average1DResult>(import.meta.url);
}

/** Prints the table. */
export function printAverage1DTable(rows: Average1DResult[]): void {
  printTable(
    'AverageLearner1D: µs per sample (min and median over 7 repeats, after 3 warm-up runs)',
    [
      'case',
      'N',
      'min µs',
      'median µs',
      'python µs',
      'ratio ours/py',
      'speedup',
      'target',
      'meets',
      'points',
    ],
    rows.map((r) => [
      r.case,
      fmtN(r.N),
      fmt(r.usPerPointMin),
      fmt(r.usPerPointMedian),
      fmt(r.pythonUsPerPoint),
      fmt(r.ratio),
      `${fmt(r.speedup)}×`,
      `≤ ${r.target}`,
      r.meetsTarget ? '✓' : '✗',
      String(r.npoints),
    ]),
  );
}

if (isMain(import.meta.url)) {
  const result = await benchAverage1D();
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else printAverage1DTable([result]);
}
