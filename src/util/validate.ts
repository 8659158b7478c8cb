/**
 * Small helpers for validating options bags with errors that name the option and the value:
 * the one home of `describe` and `checkOptionKeys` for every layer (learners, masters, the
 * runner, io, plots), so every error shows values and unknown options the same way.
 */

/** How long a value shown in an error message may be, in characters (then cut with '…'). */
const DESCRIBE_MAX_CHARS = 120;
/** How many elements of an array an error message shows. */
const DESCRIBE_MAX_ITEMS = 20;
/** How deep into nested arrays an error message looks. */
const DESCRIBE_MAX_DEPTH = 3;

/**
 * Formats a value for an error message: numbers as `String(x)` (so NaN stays NaN), arrays
 * element-wise, everything else through `JSON.stringify`, cut at `max` characters.
 *
 * @example
 * describe([1, Number.NaN]); // '[1, NaN]'
 * describe('a'); // '"a"'
 */
export function describe(x: unknown, max = DESCRIBE_MAX_CHARS): string {
  let s: string;
  try {
    s = describeInner(x, 0);
  } catch {
    s = String(x);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function describeInner(x: unknown, depth: number): string {
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
  if (x === undefined) return 'undefined';
  if (typeof x === 'function') return 'a function';
  if (typeof x === 'symbol') return x.toString();
  if (Array.isArray(x)) {
    if (depth > DESCRIBE_MAX_DEPTH) return '[…]';
    const parts: string[] = [];
    for (let i = 0; i < x.length && i < DESCRIBE_MAX_ITEMS; i++) {
      parts.push(describeInner(x[i], depth + 1));
    }
    if (x.length > DESCRIBE_MAX_ITEMS) parts.push('…');
    return `[${parts.join(', ')}]`;
  }
  if (x instanceof Date) return `Date(${Number.isNaN(x.getTime()) ? 'Invalid' : x.toISOString()})`;
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s;
}

/**
 * Levenshtein distance, for "did you mean" hints (here and in the CLI). O(|a|·|b|).
 * @example
 * editDistance('npointGoal', 'npointsGoal'); // 1
 */
export function editDistance(a: string, b: string): number {
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + cost);
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/**
 * Throws a `TypeError` when `options` is not a plain object or has a key outside `known`,
 * suggesting the nearest known key.
 *
 * @example
 * checkOptionKeys('run', { npointGoal: 5 }, ['npointsGoal']);
 * // TypeError: run: unknown option 'npointGoal' (did you mean 'npointsGoal'?)
 */
export function checkOptionKeys(
  where: string,
  options: unknown,
  known: readonly string[],
): asserts options is Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    let best = '';
    let bestD = Number.POSITIVE_INFINITY;
    for (const k of known) {
      const d = editDistance(key.toLowerCase(), k.toLowerCase());
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    const hint = bestD <= Math.max(2, key.length / 3) ? ` (did you mean '${best}'?)` : '';
    throw new TypeError(
      `${where}: unknown option '${key}'${hint}; known options: ${known.join(', ')}`,
    );
  }
}

/**
 * Checks an optional positive integer option; returns it, or `undefined` when absent.
 *
 * @example
 * optionalPositiveInteger('run', 'concurrency', 0);
 * // RangeError: run: concurrency must be a positive integer, got 0
 */
export function optionalPositiveInteger(
  where: string,
  name: string,
  x: unknown,
): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'number') {
    throw new TypeError(`${where}: ${name} must be a positive integer, got ${describe(x)}`);
  }
  if (!Number.isSafeInteger(x) || x < 1) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${describe(x)}`);
  }
  return x;
}

/**
 * The message of a thrown value: an Error's (or any object's) `message`, else `String(e)`
 * (or `[object Object]` where even that throws). The one home for wrapping an error in one
 * that says where it happened, on the main thread and in the worker threads.
 *
 * @example
 * errorText(new Error('boom')); // 'boom'
 * errorText('boom'); // 'boom'
 */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (
    e !== null &&
    typeof e === 'object' &&
    typeof (e as { message?: unknown }).message === 'string'
  ) {
    return (e as { message: string }).message;
  }
  try {
    return String(e);
  } catch {
    // An object without a prototype (Object.create(null)) has no toString.
    return Object.prototype.toString.call(e);
  }
}
