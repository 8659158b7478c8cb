/**
 * The data files of the command line: `run --out FILE.csv|FILE.arrow`, `run --load FILE`
 * and `plot FILE.csv|FILE.arrow` (the learner read back from its columns).
 */

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { arrowModule } from '../data/arrow.js';
import { csvView } from '../data/csv.js';
import {
  DataError,
  type DataInput,
  fromArrow,
  type LoadResult,
  loadData,
  parseNumber,
  pointNames,
  toArrow,
  toCSV,
  toRows,
} from '../data/index.js';
import type { Learner } from '../learners/types.js';
import { type LearnerKind, type LearnerSpec, makeLearner, UsageError } from './learners.js';

/**
 * The contents of `--out FILE` (CSV text or Arrow IPC, the file format) and its row count.
 * @example
 * const { data, rows } = tableFileContents('run.arrow', learner);
 */
export function tableFileContents(
  file: string,
  learner: unknown,
): { data: string | Uint8Array; rows: number } {
  if (extname(file).toLowerCase() === '.arrow') {
    const t = toArrow(learner);
    return { data: arrowModule('toArrowIPC', undefined).tableToIPC(t, 'file'), rows: t.numRows };
  }
  return { data: toCSV(learner), rows: toRows(learner).length };
}

/**
 * Checks before a run that `--out FILE.arrow` can be written (apache-arrow is installed).
 * @throws UsageError saying how to install it.
 */
export function checkOutFile(file: string | undefined): void {
  if (file === undefined || extname(file).toLowerCase() !== '.arrow') return;
  try {
    arrowModule('--out', undefined);
  } catch {
    throw new UsageError(
      `--out ${file}: Arrow files need the apache-arrow package (npm install apache-arrow), or write .csv`,
    );
  }
}

/**
 * Reads a CSV or Arrow file as input for {@link loadData}.
 * @throws UsageError when it cannot be read.
 */
export function readTableFile(path: string, shown: string): DataInput {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as Error).message}`);
  }
  if (extname(path).toLowerCase() === '.arrow') {
    try {
      return fromArrow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new UsageError(`${shown} is not an Arrow file: ${(e as Error).message}`);
    }
  }
  return bytes.toString('utf8');
}

/**
 * Tells a data file to a learner; a DataError (bad row, missing column) becomes a
 * UsageError naming the file.
 */
export function loadInto(learner: unknown, input: DataInput, shown: string): LoadResult {
  try {
    return loadData(learner, input);
  } catch (e) {
    if (e instanceof DataError || e instanceof TypeError) {
      throw new UsageError(`${shown}: ${(e as Error).message.replace(/^loadData: /, '')}`);
    }
    throw e;
  }
}

/**
 * One line on what a load did: `loaded 120 points from run.csv (skipped 3: 2 outside, 1 duplicate)`.
 * @example
 * describeLoad({ told: 2, skipped: [], skippedBy: { outside: 0, duplicate: 0, 'not-asked': 0 } }, 'a.csv');
 */
export function describeLoad(r: LoadResult, shown: string): string {
  const parts = Object.entries(r.skippedBy)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === 'not-asked' ? 'never asked' : k}`);
  const n = r.skipped.length;
  return `loaded ${r.told} point${r.told === 1 ? '' : 's'} from ${shown}${n > 0 ? ` (skipped ${n}: ${parts.join(', ')})` : ''}`;
}

function column(rows: readonly Record<string, unknown>[], name: string): number[] {
  return rows.map((r) => Number(r[name])).filter((x) => Number.isFinite(x));
}

function extent(xs: number[], name: string, shown: string): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(lo < hi)) {
    throw new UsageError(`${shown}: column '${name}' needs at least two different values to plot`);
  }
  return [lo, hi];
}

/**
 * Rebuilds a learner from a data file for `plot`: the kind from the columns (x,y: 1d;
 * x,y,z: 2d; x,...,value: nd; seed,x,y: average1d), the bounds from the data's extent.
 * @throws UsageError for columns of no learner the command line plots.
 * @example
 * const { spec, learner } = learnerFromTableFile('run.csv', 'run.csv');
 */
export function learnerFromTableFile(
  path: string,
  shown: string,
): { spec: LearnerSpec; learner: Learner<unknown, unknown> } {
  const input = readTableFile(path, shown);
  let rows: Record<string, unknown>[];
  if (typeof input === 'string') {
    // Column names and extents from the parsed text; loadData reads the text itself below.
    let v: ReturnType<typeof csvView>;
    try {
      v = csvView(input);
    } catch (e) {
      throw new UsageError(`${shown}: ${(e as Error).message}`);
    }
    rows = [];
    for (let r = 0; r < v.nrows; r++) {
      const row: Record<string, unknown> = {};
      for (const c of v.columns) row[c] = parseNumber(String(v.cell(r, c) ?? ''));
      rows.push(row);
    }
  } else rows = input as Record<string, unknown>[];
  const cols = new Set(Object.keys(rows[0] ?? {}));
  const has = (...names: string[]): boolean => names.every((n) => cols.has(n));
  let kind: LearnerKind;
  let names: string[];
  if (cols.has('learner_index')) {
    throw new UsageError(`${shown} holds a BalancingLearner's data: plot one child at a time`);
  } else if (has('seed', 'x', 'y')) {
    kind = 'average1d';
    names = ['x'];
  } else if (has('seed', 'y')) {
    throw new UsageError(`${shown} holds an AverageLearner's data: it has no picture (no x axis)`);
  } else if (cols.has('value') || cols.has('value_0')) {
    const dim = [...cols].filter((c) => /^(x|y|z|x_\d+)$/.test(c)).length;
    names = pointNames(dim);
    if (dim === 0 || !has(...names)) {
      throw new UsageError(
        `${shown}: a LearnerND table needs the columns ${names.join(', ') || 'x'} and value`,
      );
    }
    kind = 'nd';
  } else if (has('x', 'y') && (cols.has('z') || cols.has('z_0'))) {
    kind = '2d';
    names = ['x', 'y'];
  } else if (cols.has('x')) {
    kind = '1d';
    names = ['x'];
  } else {
    throw new UsageError(
      `${shown}: no learner has the columns ${[...cols].join(', ') || '(none)'}; expected x,y (1d), x,y,z (2d), x,...,value (nd) or seed,x,y (average1d)`,
    );
  }
  const spec: LearnerSpec = { kind, bounds: names.map((n) => extent(column(rows, n), n, shown)) };
  let learner: Learner<unknown, unknown>;
  try {
    learner = makeLearner(spec);
  } catch (e) {
    throw new UsageError(`${shown}: ${(e as Error).message}`);
  }
  loadInto(learner, input, shown);
  return { spec, learner };
}
