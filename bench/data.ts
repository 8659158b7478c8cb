/**
 * The data module: µs per row to write a learner's CSV and Arrow, and to load them back with
 * loadData, beside the learner's own tellMany of the same points (what loading cannot beat).
 *
 *   tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/data.js
 */
import { loadData, toArrow, toCSV } from '../src/data/index.js';
import { Learner1D } from '../src/learners/learner1d.js';
import { Learner2D } from '../src/learners/learner2d.js';
import { fmt, machineLine, printTable, rng, timeTask } from './harness.js';

interface Row {
  learner: string;
  rows: number;
  /** µs per row. */
  toCSV: number;
  loadCSV: number;
  toArrow: number;
  loadArrow: number;
  tellMany: number;
}

async function benchOne(
  name: string,
  make: () => Learner1D | Learner2D,
  points: unknown[],
  values: unknown[],
): Promise<Row> {
  const src = make();
  src.tellMany(points as never, values as never);
  const n = src.npoints;
  const csv = toCSV(src);
  const table = toArrow(src);
  const us = (ms: number): number => (ms * 1000) / n;
  const opts = { repeats: 5, warmup: 1 };
  const tCsv = await timeTask('toCSV', () => toCSV(src), opts);
  const tLoadCsv = await timeTask('loadCSV', () => loadData(make(), csv), opts);
  const tArrow = await timeTask('toArrow', () => toArrow(src), opts);
  const tLoadArrow = await timeTask('loadArrow', () => loadData(make(), table), opts);
  const tTell = await timeTask(
    'tellMany',
    () => make().tellMany(points as never, values as never),
    opts,
  );
  return {
    learner: name,
    rows: n,
    toCSV: us(tCsv.medianMs),
    loadCSV: us(tLoadCsv.medianMs),
    toArrow: us(tArrow.medianMs),
    loadArrow: us(tLoadArrow.medianMs),
    tellMany: us(tTell.medianMs),
  };
}

const r = rng(20261206);
const n1 = 100_000;
const xs = Array.from({ length: n1 }, () => r() * 2 - 1);
const n2 = 20_000;
const ps = Array.from({ length: n2 }, () => [r() * 2 - 1, r() * 2 - 1] as [number, number]);
const rows = [
  await benchOne(
    'Learner1D',
    () => new Learner1D({ bounds: [-1, 1] }),
    xs,
    xs.map((x) => Math.sin(5 * x)),
  ),
  await benchOne(
    'Learner2D',
    () =>
      new Learner2D({
        bounds: [
          [-1, 1],
          [-1, 1],
        ],
      }),
    ps,
    ps.map(([x, y]) => Math.exp(-(x * x + y * y))),
  ),
];
console.log(machineLine());
printTable(
  'Data in and out (µs per row, median of 5)',
  ['learner', 'rows', 'toCSV', 'loadData(CSV)', 'toArrow', 'loadData(Arrow)', 'tellMany alone'],
  rows.map((x) => [
    x.learner,
    String(x.rows),
    fmt(x.toCSV),
    fmt(x.loadCSV),
    fmt(x.toArrow),
    fmt(x.loadArrow),
    fmt(x.tellMany),
  ]),
);
