/**
 * The table model of the data module: cells, rows, the errors that name a row and a column,
 * and the flattening of nested values (vectors, objects) into columns and back.
 *
 * Column names: a vector value `y` is `y_0, y_1, ...` (one column per component); an object
 * `extra_data` is `extra_data.key` (pandas.json_normalize's dotted names), nested as deep as
 * it goes (`extra_data.stats.mean`, `extra_data.trace_0`).
 */

/**
 * One cell: a number (NaN and ±Infinity included), a string, a boolean, or `null` (missing).
 * @example
 * const c: Cell = Number.NaN;
 */
export type Cell = number | string | boolean | null;

/**
 * One row: column name → cell. {@link toRows} gives every row every column, in table order.
 * @example
 * const r: Row = { x: 0.5, y: 0.25 };
 */
export type Row = Record<string, Cell>;

/**
 * Bad input to the data module: names the row (1-based, as a spreadsheet counts data rows)
 * and the column, and for CSV text the line. The learner it was loaded into is unchanged.
 * @example
 * new DataError('y', 3, "'abc' is not a number", 4).message;
 * // "row 3 (line 4), column 'y': 'abc' is not a number"
 */
export class DataError extends TypeError {
  override name = 'DataError';
  constructor(
    /** The column, `undefined` when the problem is the whole row or table. */
    readonly column: string | undefined,
    /** The data row, 1-based; 0 for the header or the table as a whole. */
    readonly row: number,
    why: string,
    /** The line of the CSV text, when the data came from CSV. */
    readonly line?: number,
  ) {
    const where =
      row === 0
        ? line === undefined
          ? ''
          : `line ${line}`
        : `row ${row}${line === undefined ? '' : ` (line ${line})`}`;
    const col = column === undefined ? '' : `column '${column}'`;
    const head = [where, col].filter((s) => s !== '').join(', ');
    super(head === '' ? why : `${head}: ${why}`);
  }
}

/**
 * Parses a number as pandas writes and reads them: decimal and exponent forms, `NaN`/`nan`,
 * `inf`/`Infinity` with either sign (any case). `undefined` for anything else, the empty
 * string included.
 * @example
 * parseNumber('-inf'); // -Infinity
 * parseNumber('1e-7'); // 1e-7
 * parseNumber('abc'); // undefined
 */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const c = t.charCodeAt(0);
  // Digits, sign or dot start a decimal number; Number() would also take hex and '0b' forms.
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  }
  switch (t.toLowerCase()) {
    case 'nan':
    case '+nan':
    case '-nan':
      return Number.NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
  }
  return undefined;
}

/**
 * A number as the CSV writer spells it: text that reads back to the same double in every
 * reader (JavaScript, Python, pandas with its default parser too), `NaN`, `inf` and `-inf` for
 * the non-finite ones (what pandas writes and reads). Usually the shortest round-trip text;
 * see {@link pandasSafe} for the few 17-digit numbers where that text is not enough.
 * @example
 * formatNumber(0.1); // '0.1'
 * formatNumber(-Infinity); // '-inf'
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return pandasSafe(x, String(x));
}

// Powers of ten as pandas' parser holds them (correctly rounded literals 1e0 ... 1e308).
const POW10: number[] = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

/**
 * The double pandas' default CSV float parser (1.x's `precise_xstrtod`, float_precision
 * 'high') reads from decimal text: at most 17 digits, leading zeros included, accumulated as
 * `n * 10 + d` in doubles, then one multiplication or division by a power of ten. Port of
 * pandas/_libs/src/parser/tokenizer.c, precise_xstrtod (no thousands separator).
 * @example
 * pandasRead('0.1'); // 0.1
 * pandasRead('0.30000000000000004'); // 0.30000000000000004 (exact here, not always)
 */
export function pandasRead(s: string): number {
  let i = 0;
  let negative = false;
  if (s[i] === '-' || s[i] === '+') negative = s[i++] === '-';
  let number = 0;
  let exponent = 0;
  let digits = 0;
  for (; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (digits < 17) {
      number = number * 10 + (s.charCodeAt(i) - 48);
      digits++;
    } else exponent++;
  }
  if (s[i] === '.') {
    i++;
    let decimals = 0;
    for (; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
      if (digits < 17) {
        number = number * 10 + (s.charCodeAt(i) - 48);
        digits++;
        decimals++;
      }
    }
    exponent -= decimals;
  }
  if (negative) number = -number;
  if (s[i] === 'e' || s[i] === 'E') exponent += Number(s.slice(i + 1));
  if (exponent > 308) return negative ? -Infinity : Infinity;
  if (exponent > 0) return number * (POW10[exponent] as number);
  if (exponent < -308) {
    if (exponent < -616) return negative ? -0 : 0;
    return number / (POW10[-308 - exponent] as number) / (POW10[308] as number);
  }
  return number / (POW10[-exponent] as number);
}

/**
 * `text` (a decimal spelling of x) when pandas' default parser reads it as x; else another
 * 17-digit spelling of x that both pandas' default parser and every correctly rounding
 * reader take as x (the 17th digit moved by a few units), when one exists.
 *
 *   pandas(0.30000000000000004) = 0.30000000000000004      text kept
 *   pandas(0.69041575982342963) = one ulp off; 6.9041575982342962e-1 reads right: written so
 */
export function pandasSafe(x: number, text: string): string {
  // The exponent form of the same digits when the plain form needs more than 17 digits:
  // pandas counts leading zeros among its 17 (0.00033546262790251185 lost its last three).
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101) break; // 'e'
    if (c >= 48 && c <= 57) digits++;
  }
  const t = digits > 17 ? x.toExponential() : text;
  if (pandasRead(t) === x) return t;
  const [mant, exp] = x.toExponential(16).split('e') as [string, string];
  const neg = mant.startsWith('-');
  const m = BigInt(mant.replace(/[-.]/g, ''));
  for (let k = 0; k <= 40; k++) {
    const d = BigInt(k % 2 === 0 ? k / 2 : -(k + 1) / 2);
    const ds = (m + d).toString();
    if (ds.length !== 17) continue;
    const c = `${neg ? '-' : ''}${ds[0]}.${ds.slice(1)}e${exp}`;
    if (Number(c) === x && pandasRead(c) === x) return c;
  }
  return t;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/**
 * Writes `value` into `out` under `name`: a number, string, boolean or null as one cell, an
 * array (or typed array) as `name_0, name_1, ...`, a plain object as `name.key, ...`, nested.
 * O(size of value).
 * @throws TypeError for anything else (functions, Maps, class instances), naming the path.
 * @example
 * const out: Row = {};
 * flatten('y', [1, 2], out); // out is { y_0: 1, y_1: 2 }
 */
export function flatten(name: string, value: unknown, out: Row): void {
  if (value === null || value === undefined) out[name] = null;
  else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    out[name] = value;
  } else if (typeof value === 'bigint') out[name] = Number(value);
  else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const a = value as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) flatten(`${name}_${i}`, a[i], out);
  } else if (isPlainObject(value)) {
    for (const k of Object.keys(value)) flatten(`${name}.${k}`, value[k], out);
  } else {
    throw new TypeError(
      `cannot write ${name} to a table: a ${Object.prototype.toString.call(value).slice(8, -1)} is not a number, string, boolean, array or plain object`,
    );
  }
}

type Seg = string | number;

/**
 * The path of a flattened column below `name` (`[]` for `name` itself), or `undefined` when
 * the column is not below `name`. Segments: `.key` (an object key up to the next `.` or
 * `_<digits>`) and `_<digits>` (an array index).
 */
export function columnPath(name: string, column: string): Seg[] | undefined {
  if (column === name) return [];
  if (!column.startsWith(name)) return undefined;
  const rest = column.slice(name.length);
  if (!/^([.][^.]+|_\d+)+$/.test(rest)) return undefined;
  const segs: Seg[] = [];
  const re = /_(\d+)(?=[._]|$)|\.((?:[^._]|_(?!\d+(?:[._]|$)))+)/g;
  let m: RegExpExecArray | null = re.exec(rest);
  let pos = 0;
  while (m !== null) {
    if (m.index !== pos) return undefined;
    segs.push(m[1] !== undefined ? Number(m[1]) : (m[2] as string));
    pos = m.index + m[0].length;
    m = re.exec(rest);
  }
  return pos === rest.length ? segs : undefined;
}

/**
 * The inverse of {@link flatten}: builds the value of `name` from the cells of its columns
 * (each `[path, cell]`, path from {@link columnPath}). Missing cells (`undefined`) leave
 * their key out; a column `name` alone gives its cell.
 * @example
 * unflatten([[[0], 1], [[1], 2]]); // [1, 2]
 * unflatten([[['a'], 1], [['b', 0], true]]); // { a: 1, b: [true] }
 */
export function unflatten(cells: readonly [Seg[], Cell | undefined][]): unknown {
  let root: unknown;
  for (const [path, cell] of cells) {
    if (cell === undefined) continue;
    if (path.length === 0) return cell;
    if (root === undefined) root = typeof path[0] === 'number' ? [] : {};
    let node = root as Record<string | number, unknown>;
    for (let k = 0; k < path.length; k++) {
      const seg = path[k] as Seg;
      if (k === path.length - 1) node[seg] = cell;
      else {
        if (node[seg] === undefined || node[seg] === null || typeof node[seg] !== 'object') {
          node[seg] = typeof path[k + 1] === 'number' ? [] : {};
        }
        node = node[seg] as Record<string | number, unknown>;
      }
    }
  }
  return root;
}

/**
 * Input in table form, whatever it came from (rows, CSV text, an Arrow table): the column
 * names, the number of rows, and the cell at (row, column). CSV cells are strings (`null`
 * for empty ones), rows and Arrow cells as given.
 */
export interface TableView {
  readonly columns: readonly string[];
  readonly nrows: number;
  /** The cell of data row `r` (0-based); `undefined` for a column the row lacks. */
  cell(r: number, column: string): Cell | undefined;
  /** The CSV line of data row `r` (0-based), when the data came from CSV. */
  line?(r: number): number;
  /** Whether cells are text to be read (CSV): numbers, booleans and strings parsed from it. */
  readonly text: boolean;
}

/**
 * A table view of rows (objects). Columns: the union of the rows' keys, in first-seen order.
 * O(rows × columns).
 * @throws DataError naming the row when one is not an object.
 */
export function rowsView(rows: readonly unknown[]): TableView {
  const cols = new Map<string, true>();
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new DataError(
        undefined,
        i + 1,
        `a row must be an object of column → value, got ${typeof r}`,
      );
    }
    for (const k of Object.keys(r)) cols.set(k, true);
  });
  return {
    columns: [...cols.keys()],
    nrows: rows.length,
    cell: (r, c) => {
      const v = (rows[r] as Record<string, unknown>)[c];
      if (v === undefined) return undefined;
      if (typeof v === 'bigint') return Number(v);
      return v as Cell;
    },
    text: false,
  };
}
