/**
 * JSON-safe numbers: `JSON.stringify` turns NaN and ±Infinity into `null`, so snapshots and
 * logs encode them as the strings `'NaN'`, `'Infinity'` and `'-Infinity'` (the convention of
 * the python-adaptive reference files as well). `JSON.stringify` also writes -0 as `0`: the
 * run logs and journals, which must replay a run exactly, use the `Exact` variants below,
 * which write -0 as the string `'-0'` as well.
 */

/** A number as stored in JSON: finite numbers as themselves, non-finite ones as strings. */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/**
 * Encodes one number so that it survives `JSON.stringify`.
 * @example encodeNumber(NaN) // 'NaN'
 */
export function encodeNumber(x: number): JsonNumber {
  if (Number.isFinite(x)) return x;
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Infinity' : '-Infinity';
}

/**
 * Decodes a number written by {@link encodeNumber}; returns `undefined` for anything else.
 * @example decodeNumber('-Infinity') // -Infinity
 */
export function decodeNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x === 'NaN') return Number.NaN;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Encodes a number or a vector of numbers. O(length). */
export function encodeValue(v: number | ArrayLike<number>): JsonNumber | JsonNumber[] {
  if (typeof v === 'number') return encodeNumber(v);
  const out: JsonNumber[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = encodeNumber(v[i] as number);
  return out;
}

/** Decodes a value written by {@link encodeValue}; `undefined` when it is not one. */
export function decodeValue(x: unknown): number | number[] | undefined {
  if (Array.isArray(x)) {
    const out: number[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const d = decodeNumber(x[i]);
      if (d === undefined) return undefined;
      out[i] = d;
    }
    return out;
  }
  return decodeNumber(x);
}

/**
 * Encodes the numbers anywhere inside arrays, typed arrays and plain objects so that they
 * survive `JSON.stringify`. O(size).
 * @example encodeData({ a: [1, NaN] }) // { a: [1, 'NaN'] }
 */
export function encodeData(x: unknown): unknown {
  if (typeof x === 'number') return encodeNumber(x);
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const a = x as ArrayLike<unknown>;
    const out = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = encodeData(a[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = encodeData(v);
  return out;
}

/**
 * Inverse of {@link encodeData}: the strings `'NaN'`, `'Infinity'` and `'-Infinity'` become
 * numbers again (so a string spelling one of them comes back as the number). O(size).
 * @example decodeData({ a: [1, 'NaN'] }) // { a: [1, NaN] }
 */
export function decodeData(x: unknown): unknown {
  if (typeof x === 'string') return decodeNumber(x) ?? x;
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(decodeData);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = decodeData(v);
  return out;
}

// Signed zero: -0 as the string '-0' (run logs and journals). Separate functions rather than a
// flag, so that `xs.map(encodeNumber)` can never pass an index as the flag.

function encodeNumberExact(x: number): JsonNumber | '-0' {
  return x === 0 && 1 / x < 0 ? '-0' : encodeNumber(x);
}

function decodeNumberExact(x: unknown): number | undefined {
  return x === '-0' ? -0 : decodeNumber(x);
}

/**
 * {@link encodeValue} that keeps -0 (as `'-0'`). O(length).
 * @example encodeValueExact([-0, NaN]) // ['-0', 'NaN']
 */
export function encodeValueExact(v: number | ArrayLike<number>): unknown {
  if (typeof v === 'number') return encodeNumberExact(v);
  const out: unknown[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = encodeNumberExact(v[i] as number);
  return out;
}

/**
 * {@link decodeValue} that reads `'-0'` as -0; `undefined` when `x` is not a value.
 * @example decodeValueExact(['-0', 1]) // [-0, 1]
 */
export function decodeValueExact(x: unknown): number | number[] | undefined {
  if (Array.isArray(x)) {
    const out: number[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const d = decodeNumberExact(x[i]);
      if (d === undefined) return undefined;
      out[i] = d;
    }
    return out;
  }
  return decodeNumberExact(x);
}

/**
 * {@link encodeData} that keeps -0 (as `'-0'`). O(size).
 * @example encodeDataExact({ a: [-0, NaN] }) // { a: ['-0', 'NaN'] }
 */
export function encodeDataExact(x: unknown): unknown {
  if (typeof x === 'number') return encodeNumberExact(x);
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    const a = x as ArrayLike<unknown>;
    const out = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = encodeDataExact(a[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = encodeDataExact(v);
  return out;
}

/**
 * {@link decodeData} that reads `'-0'` as -0 (so a string `'-0'` comes back as the number).
 * O(size).
 * @example decodeDataExact({ a: ['-0', 'NaN'] }) // { a: [-0, NaN] }
 */
export function decodeDataExact(x: unknown): unknown {
  if (typeof x === 'string') return decodeNumberExact(x) ?? x;
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map((v) => decodeDataExact(v));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) out[k] = decodeDataExact(v);
  return out;
}
