/**
 * CSV text in and out. Writing is by hand (numbers need their shortest round-trip text and
 * pandas' spelling of NaN and ±inf); reading is papaparse's (RFC 4180 quoting, browser-safe),
 * with the checks that name the row, the line and the column.
 */

import Papa from 'papaparse';
import { type Cell, DataError, formatNumber, type Row, type TableView } from './table.js';

function quote(s: string): string {
  return /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s;
}

function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return formatNumber(c);
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  return quote(c);
}

/**
 * Rows as CSV text: a header row, then one line per row (`\n` line ends). Numbers in their
 * shortest round-trip form, `NaN`, `inf` and `-inf` for the non-finite ones, missing cells
 * empty, strings quoted where RFC 4180 needs it. O(cells).
 * @example
 * rowsToCSV([{ x: 0, y: Number.NaN }], ['x', 'y']); // 'x,y\n0,NaN\n'
 */
export function rowsToCSV(rows: readonly Row[], columns: readonly string[]): string {
  const parts: string[] = [columns.map(quote).join(',')];
  for (const r of rows) {
    let line = '';
    for (let j = 0; j < columns.length; j++) {
      if (j > 0) line += ',';
      line += cellText(r[columns[j] as string]);
    }
    parts.push(line);
  }
  return `${parts.join('\n')}\n`;
}

/**
 * Parses CSV text (with a header row) into a table view whose cells are the texts (`null`
 * for an empty cell). Blank lines are skipped; a leading byte-order mark is ignored.
 * O(length of text).
 * An empty header name (pandas' index column) is named `Unnamed: <j>`, as pandas does.
 * @throws DataError naming the line for broken quoting, a repeated header name,
 *   and the row, line and first missing (or first extra) column of a ragged row.
 * @example
 * csvView('x,y\n1,2\n').cell(0, 'y'); // '2'
 */
export function csvView(text: string): TableView {
  if (typeof text !== 'string') throw new TypeError('CSV input must be a string');
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const res = Papa.parse<string[]>(src, { delimiter: ',', header: false, skipEmptyLines: false });
  const data = res.data;
  // The line each parsed record starts on (cells may hold quoted newlines).
  const lines = new Array<number>(data.length);
  let line = 1;
  for (let k = 0; k < data.length; k++) {
    lines[k] = line;
    line += 1;
    for (const c of data[k] as string[])
      for (let i = 0; i < c.length; i++) if (c[i] === '\n') line++;
  }
  const err = res.errors.find((e) => e.type === 'Quotes' || e.type === 'Delimiter');
  if (err !== undefined) {
    const at = err.row !== undefined && err.row !== null ? lines[err.row] : undefined;
    throw new DataError(undefined, 0, `broken CSV: ${err.message}`, at);
  }
  let h = 0;
  while (h < data.length && isBlank(data[h] as string[])) h++;
  const header = (data[h] ?? []) as string[];
  // An empty header name is pandas' index column (to_csv writes one): named as read_csv names it.
  const columns = header.map((c, j) => (c.trim() === '' ? `Unnamed: ${j}` : c.trim()));
  const seen = new Map<string, number>();
  columns.forEach((c, j) => {
    const k = seen.get(c);
    if (k !== undefined) {
      throw new DataError(
        c,
        0,
        `column '${c}' appears twice in the header (cells ${k + 1} and ${j + 1})`,
        lines[h],
      );
    }
    seen.set(c, j);
  });
  const rows: string[][] = [];
  const rowLines: number[] = [];
  for (let k = h + 1; k < data.length; k++) {
    const cells = data[k] as string[];
    if (isBlank(cells)) continue;
    const row = rows.length + 1;
    if (cells.length !== columns.length) {
      const short = cells.length < columns.length;
      throw new DataError(
        short ? columns[cells.length] : undefined,
        row,
        short
          ? `the row has ${cells.length} cells, the header ${columns.length} columns (no cell for '${columns[cells.length]}')`
          : `the row has ${cells.length} cells, the header only ${columns.length} columns (${columns.join(', ')})`,
        lines[k],
      );
    }
    rows.push(cells);
    rowLines.push(lines[k] as number);
  }
  return {
    columns,
    nrows: rows.length,
    cell: (r, c) => {
      const j = seen.get(c);
      if (j === undefined) return undefined;
      const s = (rows[r] as string[])[j] as string;
      return s === '' ? null : s;
    },
    line: (r) => rowLines[r] as number,
    text: true,
  };
}

function isBlank(cells: readonly string[]): boolean {
  return cells.length === 0 || (cells.length === 1 && (cells[0] as string).trim() === '');
}
