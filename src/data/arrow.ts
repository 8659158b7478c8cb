/**
 * Apache Arrow in and out. apache-arrow is an optional peer dependency: it is imported here,
 * on demand, by the functions that build or decode Arrow data; reading an Arrow Table the
 * caller already has needs no import at all.
 */

import type { Table } from 'apache-arrow';
import type { Cell, Row, TableView } from './table.js';

type ArrowModule = typeof import('apache-arrow');

let arrowModule: Promise<ArrowModule> | undefined;

/**
 * The apache-arrow module, imported once.
 * @throws Error saying how to install it when it is missing.
 */
export function loadArrow(): Promise<ArrowModule> {
  arrowModule ??= import('apache-arrow').catch((e: unknown) => {
    arrowModule = undefined;
    throw new Error(
      `Arrow needs the apache-arrow package (an optional peer dependency): npm install apache-arrow (${(e as Error).message})`,
    );
  });
  return arrowModule;
}

/** What this module needs of an Arrow Table (duck-typed: no import needed). */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  getChild(name: string): { get(i: number): unknown } | null;
}

/**
 * Whether `x` looks like an Arrow Table.
 * @example
 * isArrowTable({ numRows: 0, schema: { fields: [] }, getChild: () => null }); // true
 */
export function isArrowTable(x: unknown): x is ArrowTableLike {
  if (x === null || typeof x !== 'object') return false;
  const t = x as Partial<ArrowTableLike>;
  return (
    typeof t.numRows === 'number' &&
    typeof t.getChild === 'function' &&
    t.schema !== undefined &&
    Array.isArray(t.schema.fields)
  );
}

function toCell(v: unknown): Cell | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

/**
 * A table view of an Arrow Table: int64 cells as numbers, nulls as `null`. O(columns).
 * @example
 * arrowView(table).cell(0, 'x'); // 0.5
 */
export function arrowView(t: ArrowTableLike): TableView {
  const columns = t.schema.fields.map((f) => f.name);
  const vectors = new Map<string, { get(i: number): unknown }>();
  for (const c of columns) {
    const v = t.getChild(c);
    if (v !== null) vectors.set(c, v);
  }
  return {
    columns,
    nrows: t.numRows,
    cell: (r, c) => {
      const v = vectors.get(c);
      return v === undefined ? undefined : toCell(v.get(r));
    },
    text: false,
  };
}

/**
 * Builds an Arrow Table from rows: a column of numbers is Float64 (Int32 for the integer
 * columns named in `intColumns` when every cell is a 32-bit integer), of booleans Bool, of
 * anything else Utf8; missing cells are nulls. O(cells).
 */
export async function rowsToArrow(
  rows: readonly Row[],
  columns: readonly string[],
  intColumns: readonly string[] = [],
): Promise<Table> {
  const A = await loadArrow();
  const vectors: Record<string, unknown> = {};
  for (const c of columns) {
    const cells = rows.map((r) => r[c] ?? null);
    let kind = (intColumns.includes(c) ? 'int' : 'float') as 'int' | 'float' | 'bool' | 'utf8';
    let any = false;
    for (const v of cells) {
      if (v === null) continue;
      if (typeof v === 'number') {
        if (kind === 'int' && !(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) {
          kind = 'float';
        }
        if (kind === 'bool') kind = 'utf8';
      } else if (typeof v === 'boolean') {
        kind = any && kind !== 'bool' ? 'utf8' : 'bool';
      } else kind = 'utf8';
      any = true;
    }
    const type =
      kind === 'int'
        ? new A.Int32()
        : kind === 'float'
          ? new A.Float64()
          : kind === 'bool'
            ? new A.Bool()
            : new A.Utf8();
    const values = kind === 'utf8' ? cells.map((v) => (v === null ? null : String(v))) : cells;
    vectors[c] = A.vectorFromArray(values as never[], type as never);
  }
  return new A.Table(vectors as never);
}
