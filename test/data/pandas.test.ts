// An outside reader: Python's pandas (Debian's python3-pandas) reads every learner's CSV with
// a plain pd.read_csv, and its frame equals toRows() and the learner's toRecords(), NaN and
// ±inf included. Skipped (with the reason printed) only when no python3 with pandas exists.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Cell,
  formatNumber,
  loadData,
  type Row,
  toCSV,
  toRows,
} from '../../src/data/index.js';
import { pandasRead } from '../../src/data/table.js';
import { decodeNumber, Learner1D, Learner2D } from '../../src/index.js';
import { CASES } from './learners.js';

function findPython(): string | undefined {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(
    (c): c is string => c !== undefined && c !== '',
  );
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import pandas'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return undefined;
}

const python = findPython();
if (python === undefined) {
  console.warn(
    'test/data/pandas.test.ts skipped: no python3 that can import pandas (apt-get install -y python3-pandas)',
  );
}

// Reads each CSV with pandas' defaults and with float_precision='round_trip'; prints the
// frames as JSON with NaN and ±inf spelt as strings (JSON has no such numbers).
const READER = `
import sys, json, math
import pandas as pd
def enc(v):
    if hasattr(v, 'item'):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v): return 'NaN'
        if math.isinf(v): return 'Infinity' if v > 0 else '-Infinity'
    return v
out = {}
for f in sys.argv[1:]:
    out[f] = {}
    for prec in ['default', 'round_trip']:
        df = pd.read_csv(f) if prec == 'default' else pd.read_csv(f, float_precision='round_trip')
        out[f][prec] = {
            'columns': [str(c) for c in df.columns],
            'dtypes': [str(t) for t in df.dtypes],
            'rows': [[enc(v) for v in row] for row in df.itertuples(index=False)],
        }
print(json.dumps(out))
`;

interface Frame {
  columns: string[];
  dtypes: string[];
  rows: unknown[][];
}

const dir = mkdtempSync(join(tmpdir(), 'as-pandas-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (python !== undefined) {
    const rows = learners.reduce((n, l) => n + toRows(l.learner).length, 0);
    console.info(
      `pandas default read_csv: ${ulpMisses} numbers in ${rows} rows off by one or two ulps (round_trip: none)`,
    );
  }
});

const learners = CASES.map((c) => ({ name: c.name, learner: c.make() }));
const files = learners.map((_, i) => join(dir, `case${i}.csv`));
let ulpMisses = 0;
let frames: Record<string, Record<'default' | 'round_trip', Frame>> = {};

function readAll(): void {
  learners.forEach(({ learner }, i) => {
    writeFileSync(files[i] as string, toCSV(learner));
  });
  const r = spawnSync(python as string, ['-c', READER, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`pandas failed:\n${r.stderr}`);
  frames = JSON.parse(r.stdout);
}

/** A pandas cell as the number or string it holds (NaN for an empty cell). */
function fromPandas(v: unknown): Cell {
  if (typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity') {
    return decodeNumber(v) as number;
  }
  return v as Cell;
}

/** A column of numbers and strings is a column of strings in pandas (dtype object). */
function objectTyped(rows: Row[]): Row[] {
  const mixed = new Set<string>();
  for (const c of Object.keys(rows[0] ?? {})) {
    const types = new Set(
      rows
        .map((r) => r[c])
        .filter((v) => v !== null)
        .map((v) => typeof v),
    );
    if (types.size > 1) mixed.add(c);
  }
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, mixed.has(k) && v !== null ? String(v) : v]),
    ),
  );
}

describe.skipIf(python === undefined)('pandas.read_csv reads every learner’s CSV', () => {
  it('reads all the files', () => {
    readAll();
    expect(Object.keys(frames).length).toBe(files.length);
  });

  describe.each(learners.map((l, i) => ({ ...l, i })))('$name', ({ learner, i }) => {
    it.each(['round_trip', 'default'] as const)(
      'float_precision=%s: the frame equals toRows() cell for cell, NaN and ±inf included (default: within two ulps)',
      (prec) => {
        const f = (frames[files[i] as string] as Record<string, Frame>)[prec] as Frame;
        const rows = objectTyped(toRows(learner));
        const cols = Object.keys(rows[0] ?? {});
        expect(f.columns).toEqual(cols);
        expect(f.rows.length).toBe(rows.length);
        rows.forEach((row, r) => {
          cols.forEach((c, j) => {
            const want = row[c];
            const got = fromPandas((f.rows[r] as unknown[])[j]);
            // pandas reads an empty cell (a column this row has no value for) as NaN.
            const w = want === null ? Number.NaN : want;
            if (
              prec === 'default' &&
              typeof w === 'number' &&
              typeof got === 'number' &&
              got !== w &&
              !(Number.isNaN(got) && Number.isNaN(w))
            ) {
              // pandas' default float parser (xstrtod "high") can miss the last bit of a
              // 17-digit number; float_precision='round_trip' reads every one exactly.
              ulpMisses++;
              expect(Math.abs(got - w), `row ${r + 1}, column ${c}`).toBeLessThanOrEqual(
                2 * Number.EPSILON * Math.abs(w),
              );
            } else expect(got, `row ${r + 1}, column ${c}`).toEqual(w);
          });
        });
      },
    );
  });

  it('the x and y of Learner1D, Learner2D, LearnerND, AverageLearner(1D, 2D) and IntegratorLearner equal toRecords() (round_trip)', () => {
    const pick = (name: string) => learners.findIndex((l) => l.name === name);
    const check = (name: string, rec: (r: { x: unknown; y: unknown }) => number[]) => {
      const i = pick(name);
      const f = (frames[files[i] as string] as Record<string, Frame>).round_trip as Frame;
      const records = (
        (learners[i] as (typeof learners)[number]).learner as unknown as {
          toRecords(): { x: unknown; y: unknown }[];
        }
      ).toRecords();
      expect(f.rows.map((row) => row.map(fromPandas))).toEqual(records.map(rec));
    };
    check('Learner1D', (r) => [r.x as number, r.y as number]);
    check('Learner1D (vector)', (r) => [r.x as number, ...(r.y as number[])]);
    check('Learner2D', (r) => [...(r.x as number[]), r.y as number]);
    check('LearnerND (3-D)', (r) => [...(r.x as number[]), r.y as number]);
    check('AverageLearner', (r) => [r.x as number, r.y as number]);
    check('AverageLearner1D', (r) => [...(r.x as number[]), r.y as number]);
    check('AverageLearner2D', (r) => {
      const [seed, [x, y]] = r.x as [number, [number, number]];
      return [seed, x, y, r.y as number];
    });
    check('IntegratorLearner', (r) => [r.x as number, r.y as number]);
  });

  it("pandasRead, the port of pandas' default float parser, predicts pandas on 6000 numbers", () => {
    let seed = 99;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const xs: number[] = [];
    for (let i = 0; i < 5000; i++)
      xs.push((rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20) * (1 + rnd()));
    for (let i = 0; i < 1000; i++) xs.push(Math.sin(i) * 1e-3);
    const file = join(dir, 'numbers.csv');
    writeFileSync(
      file,
      `shortest,written\n${xs.map((x) => `${String(x)},${formatNumber(x)}`).join('\n')}\n`,
    );
    const r = spawnSync(
      python as string,
      [
        '-c',
        'import sys, json, pandas as pd\ndf = pd.read_csv(sys.argv[1])\nprint(json.dumps([df.shortest.tolist(), df.written.tolist()]))',
        file,
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(r.status, r.stderr).toBe(0);
    const [shortest, written] = JSON.parse(r.stdout) as [number[], number[]];
    expect(shortest.map((v, i) => v === pandasRead(String(xs[i])))).not.toContain(false);
    expect(written.map((v, i) => v === pandasRead(formatNumber(xs[i] as number)))).not.toContain(
      false,
    );
    const exact = (vs: number[]): number => vs.filter((v, i) => v === xs[i]).length;
    // Measured: 3349 of 6000 shortest texts read exactly, 5590 of the texts formatNumber writes.
    expect(exact(written)).toBeGreaterThan(exact(shortest));
    expect(exact(written) / xs.length).toBeGreaterThan(0.9);
    console.info(
      `pandas default parser exact: shortest text ${exact(shortest)}/6000, formatNumber ${exact(written)}/6000`,
    );
  });

  it('a CSV pandas writes (to_csv with its index, NaN as empty, inf) loads into the learners', () => {
    const file = join(dir, 'from-pandas.csv');
    const script = [
      'import sys, numpy as np, pandas as pd',
      "pd.DataFrame({'x': [-1.0, -0.25, 0.1, 0.5, 1.0], 'y': [0.1, np.nan, np.inf, -np.inf, 1/3]}).to_csv(sys.argv[1])",
      "pd.DataFrame({'x': [0.0, 1.0, 0.0, 1.0, 0.3], 'y': [0.0, 0.0, 1.0, 1.0, 0.6], 'z': [1e-300, 2.5, -0.0, 7.0, 0.1 + 0.2]}).to_csv(sys.argv[1] + '.2d', index=False)",
    ].join('\n');
    const r = spawnSync(python as string, ['-c', script, file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(',x,y');
    const l = new Learner1D({ bounds: [-1, 1] });
    expect(loadData(l, readFileSync(file, 'utf8')).told).toBe(5);
    expect(toRows(l)).toEqual([
      { x: -1, y: 0.1 },
      { x: -0.25, y: Number.NaN },
      { x: 0.1, y: Number.POSITIVE_INFINITY },
      { x: 0.5, y: Number.NEGATIVE_INFINITY },
      { x: 1, y: 1 / 3 },
    ]);
    const l2 = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(loadData(l2, readFileSync(`${file}.2d`, 'utf8')).told).toBe(5);
    expect(toRows(l2).map((row) => row.z)).toEqual(
      [1e-300, 1, 0.1 + 0.2, 2.5, 7].map((v, i) => (i === 1 ? -0 : v)),
    );
  });

  it('seeds and indices are integer columns, values float columns', () => {
    const dtypes = (name: string) =>
      (frames[files[learners.findIndex((l) => l.name === name)] as string] as Record<string, Frame>)
        .default?.dtypes;
    expect(dtypes('AverageLearner1D')).toEqual(['int64', 'float64', 'float64']);
    expect(dtypes('AverageLearner2D')).toEqual(['int64', 'float64', 'float64', 'float64']);
    expect(dtypes('BalancingLearner (cdims)')).toEqual([
      'int64',
      'int64',
      'object',
      'float64',
      'float64',
    ]);
  });
});
