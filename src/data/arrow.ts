/**
 * Apache Arrow in and out. apache-arrow is an optional peer dependency, loaded synchronously
 * (no static import: the module stays browser-safe) by the functions that build or decode
 * Arrow data, or passed in by the caller; reading an Arrow Table the caller already has needs
 * no import at all.
 */

import type { Table } from 'apache-arrow';
import type { Cell, Row, TableView } from './table.js';

/** The apache-arrow module, as `await import('apache-arrow')` gives it. */
export type ArrowModule = typeof import('apache-arrow');

/** Options of the functions that build or decode Arrow data. */
export interface ArrowOptions {
  /**
   * The apache-arrow module (`await import('apache-arrow')`). Needed where it cannot be loaded
   * synchronously: browsers and bundles. In Node (≥ 20.16), Bun and Deno it is found without;
   * under a loader that hooks `require` (tsx) pass it when the Table goes on to your own
   * apache-arrow functions, so that both use one copy of its classes.
   */
  arrow?: ArrowModule;
}

/** Loads apache-arrow synchronously, or throws saying why not. */
export type ArrowLoader = () => ArrowModule;

interface NodeModuleLike {
  createRequire(from: string): (id: string) => unknown;
}
interface NodeUrlLike {
  fileURLToPath(url: string): string;
}

/** Thrown by the loader when this runtime has no synchronous way to load a package. */
class NoSyncLoad extends Error {}

/**
 * A package through the runtime's `require` (Node ≥ 20.16, Bun, Deno), reached by
 * `process.getBuiltinModule` so that no Node built-in is imported. It requires the ES module
 * build (require(esm), Node ≥ 20.19) that `import name` gives the caller: a dual package's
 * CommonJS build is a second copy of its classes (apache-arrow's Tables from it fail in the
 * caller's `tableToIPC`).
 * @throws Error when the runtime has no `process.getBuiltinModule`, or the package is missing.
 * @example
 * requirePackage('apache-arrow').tableFromIPC; // a function
 */
export function requirePackage(name: string): unknown {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const getBuiltin = proc?.getBuiltinModule;
  const mod = getBuiltin?.('node:module') as NodeModuleLike | undefined;
  if (getBuiltin === undefined || mod === undefined) {
    throw new NoSyncLoad('this runtime cannot load it synchronously');
  }
  const req = mod.createRequire(import.meta.url);
  let id = name;
  // import.meta.resolve is called as a method: Bun resolves a detached one from elsewhere.
  const meta = import.meta as { resolve?: (id: string) => string };
  if (typeof meta.resolve === 'function') {
    let url: string | undefined;
    try {
      url = meta.resolve(name);
    } catch {
      // Not installed: require below says so in its own words.
    }
    if (url?.startsWith('file:')) {
      id = (getBuiltin('node:url') as NodeUrlLike).fileURLToPath(url);
    }
  }
  return req(id);
}

/** apache-arrow through the runtime's `require`: {@link requirePackage}. */
export const requireArrow: ArrowLoader = () => requirePackage('apache-arrow') as ArrowModule;

let cached: ArrowModule | undefined;

function isArrowModule(x: unknown): x is ArrowModule {
  const a = x as Partial<ArrowModule> | null;
  return (
    a !== null &&
    (typeof a === 'object' || typeof a === 'function') &&
    typeof a.tableFromIPC === 'function' &&
    typeof a.tableToIPC === 'function' &&
    typeof a.vectorFromArray === 'function' &&
    typeof a.Table === 'function'
  );
}

/**
 * The apache-arrow module for `where` (a function name, for messages): `options.arrow` when
 * given, else the one `load` (by default {@link requireArrow}) gives, kept after the first
 * success.
 * @throws TypeError when `options.arrow` is not the apache-arrow module; Error saying that
 *   apache-arrow is an optional peer dependency, how to install it and how to pass it in a
 *   browser, when it cannot be loaded.
 * @example
 * arrowModule('toArrow', { arrow: await import('apache-arrow') }).tableFromIPC; // a function
 */
export function arrowModule(
  where: string,
  options: ArrowOptions | undefined,
  load: ArrowLoader = requireArrow,
): ArrowModule {
  if (options?.arrow !== undefined) {
    if (!isArrowModule(options.arrow)) {
      throw new TypeError(
        `${where}: options.arrow must be the apache-arrow module (await import('apache-arrow')), got ${
          typeof options.arrow === 'object'
            ? `an object with keys ${
                Object.keys(options.arrow as object)
                  .slice(0, 5)
                  .join(', ') || '(none)'
              }`
            : String(options.arrow)
        }`,
      );
    }
    return options.arrow;
  }
  if (cached !== undefined && load === requireArrow) return cached;
  let a: unknown;
  try {
    a = load();
  } catch (e) {
    const pass = `pass the module: ${where}(..., { arrow: await import('apache-arrow') })`;
    const why =
      e instanceof NoSyncLoad
        ? `${where} needs apache-arrow, and this runtime (a browser or a bundle?) cannot load it synchronously: ${pass}. apache-arrow is an optional peer dependency: npm install apache-arrow`
        : `${where} needs apache-arrow, an optional peer dependency that could not be loaded: npm install apache-arrow (in a browser or a bundle, ${pass}). ${(e as Error).message}`;
    throw new Error(why, { cause: e });
  }
  if (!isArrowModule(a)) {
    throw new Error(
      `${where}: the apache-arrow that was loaded lacks tableFromIPC, tableToIPC or vectorFromArray: install apache-arrow >= 14, or pass the module: ${where}(..., { arrow: await import('apache-arrow') })`,
    );
  }
  if (load === requireArrow) cached = a;
  return a;
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
 * @example
 * rowsToArrow(A, [{ x: 0.5, y: 1 }], ['x', 'y']).numRows; // 1
 */
export function rowsToArrow(
  A: ArrowModule,
  rows: readonly Row[],
  columns: readonly string[],
  intColumns: readonly string[] = [],
): Table {
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
