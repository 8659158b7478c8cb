/**
 * IntegratorLearner: µs per point of full ask/tell loops (python-adaptive has no recorded
 * figure for this learner, so there is no ratio).
 *
 * Cases: exp(−x²) on [0, 1] to tol 1e-10 (the reference case: 33 points), then 1e4 points
 * of f24 = floor(exp(x)) on [0, 3] (a step function: many intervals) serially, in batches of
 * 100, and as a BalancingLearner child would drive it (ask(1, { tellPending: false }), then
 * tellPending(x), then tell).
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/integrator.js`.
 */
import { IntegratorLearner } from '../src/learners/integrator.js';
import { fmt, fmtN, isMain, printTable, runChild, timeTask } from './harness.js';

const f24 = (x: number): number => Math.floor(Math.exp(x));
const gauss = (x: number): number => Math.exp(-(x * x));

/** One row of the table. */
export interface IntegratorResult {
  case: string;
  N: number;
  usPerPointMin: number;
  usPerPointMedian: number;
  igral: number;
}

interface Case {
  name: string;
  N: number;
  repeats: number;
  run: () => IntegratorLearner;
}

const CASES: Case[] = [
  {
    name: 'exp(-x²) to done (tol 1e-10)',
    N: 33,
    repeats: 2000,
    run: () => {
      const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-10 });
      while (!l.done()) {
        const x = l.ask(1).points[0] as number;
        l.tell(x, gauss(x));
      }
      return l;
    },
  },
  {
    name: 'f24 serial ask(1)/tell',
    N: 1e4,
    repeats: 15,
    run: () => {
      const l = new IntegratorLearner({ bounds: [0, 3], tol: 1e-14 });
      for (let i = 0; i < 1e4; i++) {
        const x = l.ask(1).points[0] as number;
        l.tell(x, f24(x));
      }
      return l;
    },
  },
  {
    name: 'f24 batched ask(100)',
    N: 1e4,
    repeats: 15,
    run: () => {
      const l = new IntegratorLearner({ bounds: [0, 3], tol: 1e-14 });
      while (l.npoints < 1e4) {
        const { points } = l.ask(100);
        for (const x of points) l.tell(x, f24(x));
      }
      return l;
    },
  },
  {
    name: 'f24 as a balancing child',
    N: 1e4,
    repeats: 15,
    run: () => {
      const l = new IntegratorLearner({ bounds: [0, 3], tol: 1e-14 });
      for (let i = 0; i < 1e4; i++) {
        const x = l.ask(1, { tellPending: false }).points[0] as number;
        l.tellPending(x);
        l.tell(x, f24(x));
      }
      return l;
    },
  },
];

/** Times every case in this process. */
export async function benchIntegrator(): Promise<IntegratorResult[]> {
  const out: IntegratorResult[] = [];
  for (const c of CASES) {
    let igral = Number.NaN;
    const t = await timeTask(
      c.name,
      () => {
        igral = c.run().igral;
      },
      { repeats: c.repeats },
    );
    out.push({
      case: c.name,
      N: c.N,
      usPerPointMin: (t.minMs * 1e3) / c.N,
      usPerPointMedian: (t.medianMs * 1e3) / c.N,
      igral,
    });
  }
  return out;
}

/** Prints the results. */
export function printIntegratorTable(rows: IntegratorResult[]): void {
  printTable(
    'IntegratorLearner: µs per point',
    ['case', 'N', 'min', 'median', 'igral'],
    rows.map((r) => [
      r.case,
      fmtN(r.N),
      fmt(r.usPerPointMin),
      fmt(r.usPerPointMedian),
      r.igral.toPrecision(16),
    ]),
  );
}

/** Runs the cases in a fresh process. */
export function integratorInChild(): IntegratorResult[] {
  return runChild<IntegratorResult[]>(import.meta.url);
}

if (isMain(import.meta.url)) {
  const rows = await benchIntegrator();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else printIntegratorTable(rows);
}
