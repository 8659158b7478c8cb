/**
 * Argument checks every learner shares, with the same messages: how a bad value is shown,
 * the options object of a constructor, the arguments of `ask`, and the start of every
 * `restore`.
 */
import { decodeNumber } from '../io/json.js';
import { checkOptionKeys as checkKeys, describe } from '../util/validate.js';
import type { AskOptions, LearnerSnapshot } from './types.js';

// One message style for every layer: src/util/validate.ts formats values and names unknown
// options (with a "did you mean" hint).
export { describe } from '../util/validate.js';

/**
 * Throws a TypeError naming the first key of `options` that is not in `allowed`
 * (src/util/validate.ts's check, without its type assertion, so a typed options bag keeps
 * its type).
 *
 * @example
 * checkOptionKeys('Learner1D', { bound: [0, 1] }, ['bounds', 'loss']);
 * // TypeError: Learner1D: unknown option 'bound' (did you mean 'bounds'?); known options: bounds, loss
 */
export function checkOptionKeys(where: string, options: object, allowed: readonly string[]): void {
  checkKeys(where, options, allowed);
}

/**
 * Checks the arguments of `ask(n, options)`: n a non-negative integer (else a RangeError),
 * options absent or an object with no key but `tellPending` (else a TypeError). Returns
 * whether the asked points become pending (default true).
 *
 * @example
 * checkAsk('Learner1D.ask', 3, { tellPending: false }); // false
 * checkAsk('Learner1D.ask', -1, undefined); // RangeError: Learner1D.ask: n must be a non-negative integer, got -1
 */
export function checkAsk(where: string, n: unknown, options: AskOptions | undefined): boolean {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new RangeError(`${where}: n must be a non-negative integer, got ${describe(n)}`);
  }
  if (options === undefined) return true;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, e.g. { tellPending: false }`);
  }
  checkOptionKeys(where, options, ['tellPending']);
  return options.tellPending ?? true;
}

/** What a learner's `restore` reads a snapshot with (see {@link snapshotReader}). */
export interface SnapshotReader {
  /** Throws a TypeError `<type>.restore: <why>`. */
  bad(why: string): never;
  /** A number as snapshots encode it (non-finite ones as strings); else `bad`. */
  num(v: unknown, what: string): number;
  /** An array; else `bad`. */
  arr(v: unknown, what: string): unknown[];
  /**
   * The told data of a snapshot of a learner with vector values: `points`, `values` (as long
   * as `points`), `pending`, and `vdim` (an integer ≥ −1: −1 a scalar, 0 no data yet, k a
   * vector of k) as `len`, the values' length (0 for a scalar); else `bad`.
   */
  told(s: LearnerSnapshot): {
    points: unknown[];
    values: unknown[];
    pending: unknown[];
    vdim: number;
    len: number;
  };
}

/**
 * Checks `tellMany`'s arguments: two arrays of the same length. `where` names the method
 * (`'Learner1D.tellMany'`) in the message.
 * @throws TypeError when either is not an array; RangeError when their lengths differ.
 */
export function checkTellMany(where: string, points: unknown, values: unknown): void {
  if (!Array.isArray(points) || !Array.isArray(values)) {
    throw new TypeError(`${where}: points and values must be arrays`);
  }
  if (points.length !== values.length) {
    throw new RangeError(`${where}: ${points.length} points but ${values.length} values`);
  }
}

/**
 * Checks that snapshot `s` is an object of the given type and version, with the messages every
 * learner's `restore` gives, and returns the readers for the rest of it.
 *
 * @example
 * const { bad, num } = snapshotReader('Learner1D', 1, { type: 'Learner2D', version: 1 });
 * // TypeError: Learner1D.restore: the snapshot is of type "Learner2D", not 'Learner1D'
 */
export function snapshotReader(type: string, version: number, s: unknown): SnapshotReader {
  const bad = (why: string): never => {
    throw new TypeError(`${type}.restore: ${why}`);
  };
  if (s === null || typeof s !== 'object') bad('the snapshot must be an object');
  const { type: t, version: v } = s as { type?: unknown; version?: unknown };
  if (t !== type) bad(`the snapshot is of type ${describe(t)}, not '${type}'`);
  if (v !== version) {
    bad(`unsupported snapshot version ${describe(v)} (this library reads ${version})`);
  }
  const arr = (x: unknown, what: string): unknown[] => {
    if (!Array.isArray(x)) bad(`${what} must be an array`);
    return x as unknown[];
  };
  return {
    bad,
    num: (x, what) => {
      const d = decodeNumber(x);
      if (d === undefined) bad(`${what} is not a number: ${describe(x)}`);
      return d as number;
    },
    arr,
    told: (snap) => {
      const points = arr(snap.points, 'points');
      const values = arr(snap.values, 'values');
      const pending = arr(snap.pending, 'pending');
      if (values.length !== points.length)
        bad(`points has ${points.length} entries but values has ${values.length}`);
      const vd = snap.vdim;
      if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1)
        bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
      const vdim = vd as number;
      if (vdim === 0 && points.length > 0) bad('vdim 0 (no data) but the snapshot has points');
      return { points, values, pending, vdim, len: vdim === -1 ? 0 : vdim };
    },
  };
}

const ordView = new DataView(new ArrayBuffer(8));

/** The position of double x in the ordered set of doubles (−0 and 0 share 0). */
function ordinal(x: number): bigint {
  ordView.setFloat64(0, x);
  const u = ordView.getBigUint64(0);
  return u >> 63n === 0n ? u : -(u & 0x7fffffffffffffffn);
}

/**
 * How many doubles lie in [a, b] (finite a ≤ b), counting −0 and 0 once; exact below 2⁵³.
 * A domain with few of them cannot be refined: the learners refuse bounds with fewer than
 * {@link MIN_DOUBLES_PER_AXIS} along an axis.
 *
 * @example
 * doublesBetween(1, 1 + 2 ** -51); // 3
 * doublesBetween(1e15, 1e15 + 1); // 9
 */
export function doublesBetween(a: number, b: number): number {
  return Number(ordinal(b) - ordinal(a)) + 1;
}

/**
 * The fewest doubles a learner's domain must hold along each axis (see
 * {@link doublesBetween}): below it the points the learner would ask collide with each other
 * long before the loss falls.
 */
export const MIN_DOUBLES_PER_AXIS = 1024;

/**
 * Throws a RangeError when asking `n` more points would make a learner hold more than
 * `limit` points (evaluated and pending): the message names the limit, so an `ask(1e9)`
 * fails at once instead of running out of memory.
 *
 * @example
 * checkAskLimit('Learner1D.ask', 1e9, 2, 2 ** 26);
 * // RangeError: Learner1D.ask: n = 1000000000 would make 1000000002 points, more than the 67108864 (2^26) this learner holds
 */
export function checkAskLimit(where: string, n: number, held: number, limit: number): void {
  if (n + held <= limit) return;
  const pow = Math.log2(limit);
  const shown = Number.isInteger(pow) ? `${limit} (2^${pow})` : `${limit}`;
  throw new RangeError(
    `${where}: n = ${n} would make ${n + held} points, more than the ${shown} this learner holds; ask for fewer points at a time`,
  );
}
