/**
 * adaptive-sampling/data: a learner's data as a table and back, for every learner. One row
 * per evaluated point (per sample for the averaging learners), columns named as
 * python-adaptive's `to_dataframe` names them; rows, CSV text and Apache Arrow tables.
 * Browser-safe: apache-arrow (an optional peer) is loaded only by the Arrow functions that
 * build or decode Arrow data, through the runtime's require (no static import), or passed in.
 */

import type { Table } from 'apache-arrow';
import {
  type ArrowOptions,
  type ArrowTableLike,
  arrowModule,
  arrowView,
  isArrowTable,
  rowsToArrow,
} from './arrow.js';
import { type Codec, codecOf, type Parsed, type PointKey } from './codecs.js';
import { csvView, rowsToCSV } from './csv.js';
import { DataError, type Row, rowsView, type TableView } from './table.js';

export type { ArrowModule, ArrowOptions, ArrowTableLike } from './arrow.js';
export { pointNames } from './codecs.js';
export { csvView, rowsToCSV } from './csv.js';
export {
  type Cell,
  DataError,
  formatNumber,
  parseNumber,
  type Row,
  type TableView,
} from './table.js';

function table(learner: unknown, where: string): { codec: Codec; columns: string[]; rows: Row[] } {
  const codec = codecOf(learner, `${where}: the learner`);
  const entries = codec.entries();
  const columns = codec.columns(entries);
  const rows = entries.map((e) => {
    const r: Row = {};
    for (const c of columns) r[c] = e.row[c] ?? null;
    return r;
  });
  return { codec, columns, rows };
}

/**
 * The columns of a learner's table, in order (the header of {@link toCSV}). O(n) for
 * learners whose columns depend on their data (vector values, extra data).
 * @example
 * columnsOf(new Learner2D({ bounds: [[0, 1], [0, 1]] })); // ['x', 'y', 'z']
 */
export function columnsOf(learner: unknown): string[] {
  return table(learner, 'columnsOf').columns;
}

/**
 * The learner's data as rows, one per evaluated point (per sample for AverageLearner,
 * AverageLearner1D and AverageLearner2D), each with every column in table order (`null` where a row has no
 * cell, e.g. a BalancingLearner's children of different kinds). O(n log n).
 * @example
 * const l = new Learner1D({ bounds: [0, 1] });
 * l.tellMany([0, 1], [0, 2]);
 * toRows(l); // [{ x: 0, y: 0 }, { x: 1, y: 2 }]
 */
export function toRows(learner: unknown): Row[] {
  return table(learner, 'toRows').rows;
}

/**
 * The learner's data as CSV text with a header row (see {@link toRows}); numbers in their
 * shortest round-trip form, NaN and ±Infinity as `NaN`, `inf`, `-inf` (pandas reads them).
 * O(n log n).
 * @example
 * toCSV(l); // 'x,y\n0,0\n1,2\n'
 */
export function toCSV(learner: unknown): string {
  const t = table(learner, 'toCSV');
  return rowsToCSV(t.rows, t.columns);
}

/**
 * The learner's data as an Apache Arrow Table (see {@link toRows}): numbers Float64, seeds
 * and indices Int32, strings Utf8, booleans Bool, missing cells null. Needs the optional
 * peer apache-arrow, loaded synchronously in Node (≥ 20.16), Bun and Deno; in a browser or a
 * bundle pass it as `options.arrow`. O(n log n).
 * @throws Error saying how to install apache-arrow or pass it, when it cannot be loaded.
 * @example
 * const t = toArrow(l); // t.numRows === 2, t.getChild('y').get(1) === 2
 * toArrow(l, { arrow: await import('apache-arrow') }); // in a browser
 */
export function toArrow(learner: unknown, options?: ArrowOptions): Table {
  const A = arrowModule('toArrow', options);
  const t = table(learner, 'toArrow');
  return rowsToArrow(A, t.rows, t.columns, t.codec.intColumns);
}

/**
 * The learner's data as Arrow IPC bytes (the file format, `.arrow`; DuckDB, Polars and
 * pandas read it). Needs apache-arrow, as {@link toArrow}. O(n log n).
 * @example
 * writeFileSync('run.arrow', toArrowIPC(l));
 */
export function toArrowIPC(learner: unknown, options?: ArrowOptions): Uint8Array {
  const A = arrowModule('toArrowIPC', options);
  const t = table(learner, 'toArrowIPC');
  return A.tableToIPC(rowsToArrow(A, t.rows, t.columns, t.codec.intColumns), 'file');
}

/**
 * Rows from Arrow data: an Arrow Table (read as it is, no apache-arrow needed), or IPC bytes
 * (file or stream format, decoded with apache-arrow, as {@link toArrow} loads it). int64
 * cells become numbers, nulls `null`. O(cells).
 * @example
 * const rows = fromArrow(readFileSync('run.arrow')); // [{ x: 0, y: 0 }, ...]
 */
export function fromArrow(
  input: ArrowTableLike | Uint8Array | ArrayBuffer,
  options?: ArrowOptions,
): Row[] {
  let t: ArrowTableLike;
  if (isArrowTable(input)) t = input;
  else if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const A = arrowModule('fromArrow', options);
    t = A.tableFromIPC(input instanceof ArrayBuffer ? new Uint8Array(input) : input);
  } else {
    throw new TypeError('fromArrow: give an Arrow Table or Arrow IPC bytes (Uint8Array)');
  }
  const v = arrowView(t);
  const rows: Row[] = new Array(v.nrows);
  for (let r = 0; r < v.nrows; r++) {
    const row: Row = {};
    for (const c of v.columns) row[c] = v.cell(r, c) ?? null;
    rows[r] = row;
  }
  return rows;
}

/** Why {@link loadData} left a row out. */
export type SkipReason = 'outside' | 'duplicate' | 'not-asked';

/** A row {@link loadData} left out. */
export interface SkippedRow {
  /** The data row, 1-based. */
  row: number;
  /** The CSV line, when the data came from CSV. */
  line?: number;
  reason: SkipReason;
  /** What was wrong, e.g. `x = 2 is outside [-1, 1]` or `the same point as row 3`. */
  message: string;
}

/** What {@link loadData} did. */
export interface LoadResult {
  /** Rows told to the learner. */
  told: number;
  /** Rows left out, with the reasons. */
  skipped: SkippedRow[];
  /** The skipped rows counted by reason. */
  skippedBy: Record<SkipReason, number>;
}

/**
 * Input {@link loadData} reads: rows (objects), CSV text, or an Arrow Table.
 * @example
 * const input: DataInput = 'x,y\n0,1\n';
 */
export type DataInput =
  | readonly Row[]
  | readonly Record<string, unknown>[]
  | string
  | ArrowTableLike;

/** Row numbers by point: nested maps of the point's numbers (SameValueZero: -0 is 0, NaN is NaN). */
class KeyMap {
  readonly #root = new Map<number, KeyNode>();
  get(key: PointKey): number | undefined {
    let m: Map<number, KeyNode> | undefined = this.#root;
    let node: KeyNode | undefined;
    for (const k of key) {
      node = m?.get(k);
      if (node === undefined) return undefined;
      m = node.next;
    }
    return node?.row;
  }
  set(key: PointKey, row: number): void {
    let m = this.#root;
    for (let j = 0; j < key.length; j++) {
      const k = key[j] as number;
      let node = m.get(k);
      if (node === undefined) {
        node = {};
        m.set(k, node);
      }
      if (j === key.length - 1) node.row = row;
      else {
        node.next ??= new Map();
        m = node.next;
      }
    }
  }
}

interface KeyNode {
  row?: number;
  next?: Map<number, KeyNode>;
}

function viewOf(input: DataInput): TableView {
  if (typeof input === 'string') return csvView(input);
  if (Array.isArray(input)) return rowsView(input);
  if (isArrowTable(input)) return arrowView(input);
  throw new TypeError(
    'loadData: give rows (an array of objects), CSV text or an Arrow Table (for Arrow bytes: loadData(learner, fromArrow(bytes)))',
  );
}

/**
 * Tells earlier data to a learner in bulk (one `tellMany`): rows, CSV text or an Arrow
 * Table with the columns {@link toRows} writes. Rows outside the learner's domain, repeated
 * points (within the data, or already in the learner) and, for IntegratorLearner, points its
 * rule never asks for are skipped and reported; sampling then continues where the data left
 * it. All rows are read and checked before anything is told. O(n log n).
 * @throws DataError (a TypeError) naming the row, the CSV line and the column for a missing
 *   column, a cell that is not a number, a ragged CSV row or broken quoting; the learner is
 *   then unchanged.
 * @example
 * const l = new Learner1D({ bounds: [-1, 1] });
 * loadData(l, 'x,y\n0,1\n0.5,inf\n2,0\n0,1\n');
 * // { told: 2, skipped: [{ row: 3, line: 4, reason: 'outside', ... }, { row: 4, line: 5, reason: 'duplicate', ... }], ... }
 */
export function loadData(learner: unknown, input: DataInput): LoadResult {
  const codec = codecOf(learner, 'loadData: the learner');
  const skipped: SkippedRow[] = [];
  const points: unknown[] = [];
  const values: unknown[] = [];
  const rowOf: number[] = [];
  let view: TableView;
  try {
    view = viewOf(input);
    const read = codec.bind(view, true);
    const seen = new KeyMap();
    for (const e of codec.entries()) seen.set(e.key, 0);
    for (let r = 0; r < view.nrows; r++) {
      const p: Parsed = read(r);
      const skip = (reason: SkipReason, message: string): void => {
        const s: SkippedRow = { row: r + 1, reason, message };
        const line = view.line?.(r);
        if (line !== undefined) s.line = line;
        skipped.push(s);
      };
      if (p.outside !== undefined) {
        skip('outside', p.outside);
        continue;
      }
      const before = seen.get(p.key);
      if (before !== undefined) {
        skip(
          'duplicate',
          before === 0 ? 'the point is already in the learner' : `the same point as row ${before}`,
        );
        continue;
      }
      seen.set(p.key, r + 1);
      points.push(p.point);
      values.push(p.value);
      rowOf.push(r);
    }
  } catch (e) {
    if (e instanceof DataError) e.message = `loadData: ${e.message}`;
    throw e;
  }
  let untold: { index: number; why: string }[];
  try {
    untold = codec.tell(points, values, (ps, vs) => codec.learner.tellMany(ps, vs));
  } catch (e) {
    const err = e as Error;
    if (err.name === 'DivergentIntegralError') throw err;
    throw new TypeError(`loadData: the learner refused the data: ${err.message}`, { cause: e });
  }
  for (const u of untold) {
    const r = rowOf[u.index] as number;
    const s: SkippedRow = { row: r + 1, reason: 'not-asked', message: u.why };
    const line = view.line?.(r);
    if (line !== undefined) s.line = line;
    skipped.push(s);
  }
  skipped.sort((a, b) => a.row - b.row);
  const skippedBy: Record<SkipReason, number> = { outside: 0, duplicate: 0, 'not-asked': 0 };
  for (const s of skipped) skippedBy[s.reason]++;
  return { told: points.length - untold.length, skipped, skippedBy };
}
