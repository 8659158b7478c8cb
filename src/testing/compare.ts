/**
 * Small comparison helpers of the learner conformance kit: point identity, number equality
 * with NaN and tolerance, structural differences between JSON-like values, and the JSON
 * safety of a snapshot.
 */

import { encodeNumber } from '../io/json.js';

/**
 * The default identity of a point: its JSON text, with NaN and ±Infinity spelled out (so
 * they differ from each other and from `null`) and `-0` equal to `0`. O(size of the point).
 *
 * @example
 * pointKey([0.5, -0]) // '[0.5,0]'
 * pointKey(Number.NaN) // '"NaN"'
 */
export function pointKey(point: unknown): string {
  if (typeof point === 'number') {
    return Number.isFinite(point) ? JSON.stringify(point) : JSON.stringify(encodeNumber(point));
  }
  return JSON.stringify(point, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? encodeNumber(v) : v,
  );
}

/**
 * Whether two numbers are equal: NaN equals NaN, `0` equals `-0`, infinities equal only
 * themselves, and finite numbers may differ by `tolerance` relative to the larger magnitude.
 *
 * @example
 * sameNumber(Number.NaN, Number.NaN) // true
 * sameNumber(1, 1 + 1e-12, 1e-9) // true
 * sameNumber(1, 1.1) // false
 */
export function sameNumber(a: number, b: number, tolerance = 0): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Describes the first difference between two JSON-like values (plain objects, arrays,
 * strings, numbers, booleans, `null`), or returns `undefined` when they are equal. Numbers are
 * compared with {@link sameNumber} and `tolerance`; object keys in any order. O(size).
 *
 * @example
 * describeDifference({ a: [1, 2] }, { a: [1, 3] }) // 'at .a[1]: 2 vs 3'
 * describeDifference({ a: 1, b: 2 }, { b: 2, a: 1 }) // undefined
 */
export function describeDifference(a: unknown, b: unknown, tolerance = 0): string | undefined {
  return diffAt(a, b, tolerance, '');
}

function show(x: unknown): string {
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : String(encodeNumber(x));
  if (x === undefined) return 'undefined';
  const text = JSON.stringify(x);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function diffAt(a: unknown, b: unknown, tolerance: number, path: string): string | undefined {
  const where = path === '' ? 'at the top' : `at ${path}`;
  if (typeof a === 'number' && typeof b === 'number') {
    return sameNumber(a, b, tolerance) ? undefined : `${where}: ${show(a)} vs ${show(b)}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${where}: ${show(a)} vs ${show(b)}`;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = diffAt(a[i], b[i], tolerance, `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    if (a.length !== b.length) return `${where}: length ${a.length} vs ${b.length}`;
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
    for (const k of [...keys].sort()) {
      if (!(k in ra)) return `${where}: key "${k}" only in the second`;
      if (!(k in rb)) return `${where}: key "${k}" only in the first`;
      const d = diffAt(ra[k], rb[k], tolerance, `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${where}: ${show(a)} vs ${show(b)}`;
}

/**
 * Finds the first part of a value that does not survive `JSON.parse(JSON.stringify(x))`
 * unchanged (a non-finite number, `undefined`, a function, a bigint, a symbol, or an object
 * that is not a plain object or array, such as a typed array or a `Map`), or returns
 * `undefined` when the value is JSON-safe. O(size).
 *
 * @example
 * jsonSafetyProblem({ data: [[0, 1]] }) // undefined
 * jsonSafetyProblem({ data: [[0, NaN]] }) // 'at .data[0][1]: the number NaN (encode it with encodeNumber)'
 */
export function jsonSafetyProblem(value: unknown): string | undefined {
  return safetyAt(value, '');
}

function safetyAt(x: unknown, path: string): string | undefined {
  const where = path === '' ? 'at the top' : `at ${path}`;
  switch (typeof x) {
    case 'number':
      return Number.isFinite(x)
        ? undefined
        : `${where}: the number ${String(x)} (encode it with encodeNumber)`;
    case 'string':
    case 'boolean':
      return undefined;
    case 'object': {
      if (x === null) return undefined;
      if (Array.isArray(x)) {
        for (let i = 0; i < x.length; i++) {
          const p = safetyAt(x[i], `${path}[${i}]`);
          if (p !== undefined) return p;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(x) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const name = (x as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        return `${where}: a ${name}, not a plain object or array`;
      }
      for (const [k, v] of Object.entries(x)) {
        const p = safetyAt(v, `${path}.${k}`);
        if (p !== undefined) return p;
      }
      return undefined;
    }
    default:
      return `${where}: a ${typeof x}`;
  }
}
