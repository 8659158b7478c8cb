/**
 * The composing learners: µs per point of full serial ask(1)/tell loops, against
 * python-adaptive's figures on the same machine kind (`peer.ts`).
 *
 * Cases (python keys):
 * - g: AverageLearner, gauss(1, 1) samples, rtol 0.01, 1e4 samples (python 3.955 µs;
 *   target ≤ 0.5). The samples come from a seeded Box–Muller, so the final loss is not
 *   python's (other random numbers); it is printed for scale.
 * - i: BalancingLearner ('lossImprovements') of 10 Learner1D on (-1, 1) learning the peaks
 *   x + a²/(a² + x²), a = 0.001·2^i, 1e4 points in total (python 73.486 µs; target ≤ 2).
 *   The same points as python for the same data: the final loss is compared bit for bit.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/composite.js`
 * (table) or with `--json` (one JSON line, for run.ts).
 */
import { AverageLearner } from '../src/learners/average.js';
import { BalancingLearner } from '../src/learners/balancing.js';
import { Learner1D } from '../src/learners/learner1d.js';
import { fmt, fmtN, isMain, machineLine, printTable, rng, runChild, timeTask } from './harness.js';
import { peer } from './peer.js';

/** One row of the table. */
export interface CompositeResult {
  case: string;
  key: string;
  description: string;
  N: number;
  repeats: number;
  usPerPointMin: number;
  usPerPointMedian: number;
  pythonUsPerPoint: number | null;
  /** ours / python, from the minima. */
  ratio: number | null;
  /** python / ours. */
  speedup: number | null;
  target: number;
  meetsTarget: boolean;
  finalLoss: number;
  pythonFinalLoss: number | null;
  /** Final loss bit-identical to python's; null when the samples differ by design (g). */
  sameFinalLoss: boolean | null;
  /** Points per child at the end (case i). */
  perChild?: number[];
}

/** gauss(1, 1) from a seeded generator (Box–Muller, one value per call). */
function gaussian(next: () => number): () => number {
  return () => {
    const u = 1 - next();
    return 1 + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
}

/** python's `x + a**2 / (a**2 + x**2)` with a = 0.001·2^i, the same order of operations. */
function peaks(): ((x: number) => number)[] {
  return Array.from({ length: 10 }, (_, i) => {
    const a = 0.001 * 2 ** i;
    const a2 = a * a;
    return (x: number) => x + a2 / (a2 + x * x);
  });
}

const REPEATS = 15;

function row(
  key: string,
  name: string,
  N: number,
  target: number,
  t: { minMs: number; medianMs: number; repeats: number },
  finalLoss: number,
  compareLoss: boolean,
): CompositeResult {
  const p = peer(key, N);
  const us = (t.minMs * 1000) / N;
  return {
    case: name,
    key,
    description: name,
    N,
    repeats: t.repeats,
    usPerPointMin: us,
    usPerPointMedian: (t.medianMs * 1000) / N,
    pythonUsPerPoint: p?.usPerPoint ?? null,
    ratio: p === undefined ? null : us / p.usPerPoint,
    speedup: p === undefined ? null : p.usPerPoint / us,
    target,
    meetsTarget: us <= target,
    finalLoss,
    pythonFinalLoss: p?.finalLoss ?? null,
    sameFinalLoss: compareLoss && p !== undefined ? finalLoss === p.finalLoss : null,
  };
}

/** Case g: AverageLearner per sample. */
export async function benchAverage(N = 1e4): Promise<CompositeResult> {
  let last: AverageLearner | undefined;
  const t = await timeTask(
    'average',
    () => {
      const f = gaussian(rng(1));
      const l = new AverageLearner({ rtol: 0.01 });
      for (let k = 0; k < N; k++) {
        const s = l.ask(1).points[0] as number;
        l.tell(s, f());
      }
      last = l;
    },
    { repeats: REPEATS },
  );
  if (last?.npoints !== N) throw new Error(`average: expected ${N} samples, got ${last?.npoints}`);
  return row('g', 'AverageLearner, per sample', N, 0.5, t, last.loss(), false);
}

/** Case i: BalancingLearner over 10 Learner1D, per point (total over the children). */
export async function benchBalancing(N = 1e4): Promise<CompositeResult> {
  const fs = peaks();
  let last: BalancingLearner<Learner1D> | undefined;
  const t = await timeTask(
    'balancing',
    () => {
      const b = new BalancingLearner(fs.map(() => new Learner1D({ bounds: [-1, 1] })));
      for (let k = 0; k < N; k++) {
        const p = b.ask(1).points[0] as [number, number];
        b.tell(p, (fs[p[0]] as (x: number) => number)(p[1]));
      }
      last = b;
    },
    { repeats: REPEATS },
  );
  if (last?.npoints !== N) throw new Error(`balancing: expected ${N} points, got ${last?.npoints}`);
  const r = row('i', 'BalancingLearner, 10 × Learner1D', N, 2, t, last.loss(), true);
  r.perChild = last.learners.map((l) => l.npoints);
  return r;
}

/** Both cases in this process. */
export async function benchComposite(): Promise<CompositeResult[]> {
  return [await benchAverage(), await benchBalancing()];
}

/** Both cases in a fresh `node --expose-gc` process. */
export function compositeInChild(): CompositeResult[] {
  return runChild<CompositeResult[]>(import.meta.url);
}

/** Prints the table. */
export function printCompositeTable(rows: readonly CompositeResult[]): void {
  printTable(
    `Composing learners: µs per point (min and median over ${REPEATS} full loops)`,
    [
      'case',
      'N',
      'reps',
      'min µs/pt',
      'median µs/pt',
      'python µs/pt',
      'ratio ours/py',
      'speedup py/ours',
      'target µs/pt',
      'meets',
      'final loss',
      'same final loss as python',
    ],
    rows.map((r) => [
      `${r.key}  ${r.case}`,
      fmtN(r.N),
      String(r.repeats),
      fmt(r.usPerPointMin),
      fmt(r.usPerPointMedian),
      fmt(r.pythonUsPerPoint),
      fmt(r.ratio),
      r.speedup === null ? '–' : `${fmt(r.speedup)}×`,
      `≤ ${r.target}`,
      r.meetsTarget ? '✓' : '✗',
      fmt(r.finalLoss, 6),
      r.sameFinalLoss === null ? '– (other samples)' : r.sameFinalLoss ? '✓' : '✗',
    ]),
  );
}

if (isMain(import.meta.url)) {
  const rows = await benchComposite();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    console.log(machineLine());
    printCompositeTable(rows);
  }
}
