/**
 * The data files the command line writes: CSV (one row per evaluated point, numbers in full
 * precision, `NaN`/`Infinity` spelt out) and JSON (the same records, non-finite numbers as
 * strings, plus a summary).
 */

import { encodeData } from '../io/json.js';
import type { LearnerKind } from './learners.js';

/**
 * A table: column names and rows of numbers.
 * @example
 * const t: Table = { columns: ['x', 'y'], rows: [[0, 1]] };
 */
export interface Table {
  columns: string[];
  rows: number[][];
}

function valueColumns(prefix: string, vdim: number): string[] {
  return vdim === 1 ? [prefix] : Array.from({ length: vdim }, (_, k) => `${prefix}${k}`);
}

/**
 * The evaluated points of a learner as a table. Columns: `x` and `y` for 1d and integrator
 * (`y0`, `y1`, ... for vector output), `x0`, `x1`, ... and `y` for 2d and nd, `seed` and `y`
 * for average, `seed`, `x` and `y` (every sample) for average1d.
 * @example
 * toCsv(learnerTable('1d', learner)); // 'x,y\n-1,0.5\n...'
 */
export function learnerTable(kind: LearnerKind, learner: unknown): Table {
  const l = learner as { toRecords(): { x: unknown; y: unknown }[] };
  const records = l.toRecords();
  const first = records[0];
  const vdim = first !== undefined && Array.isArray(first.y) ? first.y.length : 1;
  const ys = (y: unknown): number[] => (Array.isArray(y) ? (y as number[]) : [y as number]);
  switch (kind) {
    case '1d':
    case 'integrator':
      return {
        columns: ['x', ...valueColumns('y', vdim)],
        rows: records.map((r) => [r.x as number, ...ys(r.y)]),
      };
    case '2d':
    case 'nd':
    case 'sparse': {
      const dim = first !== undefined ? (first.x as number[]).length : kind === '2d' ? 2 : 0;
      return {
        columns: [...Array.from({ length: dim }, (_, j) => `x${j}`), ...valueColumns('y', vdim)],
        rows: records.map((r) => [...(r.x as number[]), ...ys(r.y)]),
      };
    }
    case 'average':
      return { columns: ['seed', 'y'], rows: records.map((r) => [r.x as number, r.y as number]) };
    case 'average1d':
      return {
        columns: ['seed', 'x', 'y'],
        rows: records.map((r) => [...(r.x as [number, number]), r.y as number]),
      };
  }
}

function cell(v: number): string {
  // Shortest round-trip text; non-finite values as pandas and numpy read them.
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  return String(v);
}

/**
 * A table as CSV text (RFC 4180; no cell needs quoting: the header names are plain).
 * @example
 * toCsv({ columns: ['x', 'y'], rows: [[0, NaN]] }); // 'x,y\n0,NaN\n'
 */
export function toCsv(t: Table): string {
  let out = `${t.columns.join(',')}\n`;
  for (const r of t.rows) out += `${r.map(cell).join(',')}\n`;
  return out;
}

/**
 * A JSON document of a run: the learner kind, bounds, npoints, loss, the records (as the
 * learner's `toRecords()`, non-finite numbers as strings) and extras (integral, means).
 * @example
 * writeFileSync('out.json', toJson('1d', learner, [[-1, 1]]));
 */
export function toJson(
  kind: LearnerKind,
  learner: unknown,
  bounds: readonly (readonly [number, number])[],
): string {
  const l = learner as Record<string, unknown> & {
    toRecords(): unknown[];
    loss(): number;
    npoints: number;
  };
  const doc: Record<string, unknown> = {
    learner: kind,
    bounds: kind === '1d' || kind === 'integrator' || kind === 'average1d' ? bounds[0] : bounds,
    npoints: l.npoints,
    loss: l.loss(),
  };
  if (kind === 'integrator') {
    doc.integral = l.igral;
    doc.error = l.err;
  }
  if (kind === 'average') {
    doc.mean = l.mean;
    doc.std = l.std;
  }
  if (kind === 'average1d') doc.means = (learner as { means(): unknown[] }).means();
  // One record per line: readable, and diffs stay small.
  const head = JSON.stringify(encodeData(doc));
  const records = l.toRecords().map((r) => JSON.stringify(encodeData(r)));
  return `${head.slice(0, -1)},"records":[${records.length === 0 ? '' : `\n${records.join(',\n')}\n`}]}\n`;
}
