/**
 * JSON-safe numbers: `JSON.stringify` turns NaN and ±Infinity into `null`, so snapshots and
 * logs encode them as the strings `'NaN'`, `'Infinity'` and `'-Infinity'` (the convention of
 * the python-adaptive reference files as well).
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
