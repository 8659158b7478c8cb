/**
 * Run logs: NDJSON (de)serialization and exact replay of a run into a fresh learner.
 *
 * Improves on python-adaptive's `runner.log` + `replay_log`: asks record the points they got
 * (so a replay needs no deterministic `ask`), given-up points and the final
 * `removeUnfinished` are recorded too, so the replayed learner ends in exactly the run's state.
 */

import {
  decodeDataExact,
  decodeValueExact,
  encodeData,
  encodeDataExact,
  encodeValueExact,
} from '../io/json.js';
import type { Learner } from '../learners/types.js';
import { checkOptionKeys, describe } from '../master/options.js';
import type { LogEntry } from './types.js';

/**
 * Deep equality of points: numbers by value with NaN equal to NaN, arrays and plain objects
 * element-wise, anything else by identity.
 *
 * @example
 * samePoint([1, Number.NaN], [1, Number.NaN]); // true
 */
export function samePoint(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number') return typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || ArrayBuffer.isView(a)) {
    if (!(Array.isArray(b) || ArrayBuffer.isView(b))) return false;
    const x = a as ArrayLike<unknown>;
    const y = b as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!samePoint(x[i], y[i])) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !samePoint(a[k], b[k])) return false;
  }
  return true;
}

/**
 * A string key of a point for hash lookups, equal for points that {@link samePoint} calls
 * equal (up to key order in plain objects). O(point size).
 *
 * @example
 * pointKey([1, Number.NaN]); // '[1,"NaN"]'
 */
export function pointKey(p: unknown): string {
  return typeof p === 'number' ? String(p) : JSON.stringify(encodeData(p));
}

function isPlainObject(x: object): x is Record<string, unknown> {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Removes one point from the learner's pending points without a dedicated learner method:
 * `removeUnfinished()`, then `tellPending` of every other pending point, in their order.
 * Does nothing when the point is not pending. O(pending points).
 *
 * @example
 * learner.ask(3); // pending 0, 1, 2
 * dropPending(learner, 1); // pending 0, 2
 */
export function dropPending<P>(learner: Learner<P, unknown>, point: P): void {
  const pending = learner.pendingPoints;
  let at = -1;
  for (let i = 0; i < pending.length; i++) {
    if (samePoint(pending[i], point)) {
      at = i;
      break;
    }
  }
  if (at < 0) return;
  const keep = pending.slice();
  keep.splice(at, 1);
  learner.removeUnfinished();
  for (const p of keep) learner.tellPending(p);
}

/** Options of {@link replay}. */
export interface ReplayOptions {
  /**
   * `'tellPending'` (default): an `ask` entry marks its recorded points pending, so any
   * learner can be replayed. `'ask'`: calls `learner.ask(n)` and throws if the learner gives
   * other points than the log (checks that the learner is deterministic).
   */
  mode?: 'tellPending' | 'ask' | undefined;
}

/**
 * Rebuilds a learner's state from a run log: plays the asks (as pending points), tells,
 * given-up points and the final `removeUnfinished` in order. Use a learner built with the
 * same options as the one that ran. O(log length) learner calls. Returns the learner.
 *
 * @example
 * const { log } = await run(new Learner1D({ bounds: [-1, 1] }), f, { npointsGoal: 50, log: true });
 * const copy = replay(new Learner1D({ bounds: [-1, 1] }), log!);
 * copy.npoints; // 50
 */
export function replay<P, V, L extends Learner<P, V>>(
  learner: L & Learner<P, V>,
  log: readonly LogEntry<P, V>[],
  options: ReplayOptions = {},
): L {
  checkOptionKeys('replay', options, ['mode']);
  const mode = options.mode ?? 'tellPending';
  if (mode !== 'tellPending' && mode !== 'ask') {
    throw new RangeError(`replay: mode must be 'tellPending' or 'ask', got ${describe(mode)}`);
  }
  if (!Array.isArray(log))
    throw new TypeError(`replay: log must be an array, got ${describe(log)}`);
  for (let i = 0; i < log.length; i++) {
    const e = log[i] as LogEntry<P, V>;
    switch (e.op) {
      case 'ask':
        if (mode === 'ask' && e.n > 0) {
          const got = learner.ask(e.n).points;
          if (!samePoint(got, e.points)) {
            throw new Error(
              `replay: entry ${i}: learner.ask(${e.n}) gave ${describe(got)} where the log has ` +
                `${describe(e.points)}; use the same learner options, or mode 'tellPending'`,
            );
          }
        } else {
          for (const p of e.points) learner.tellPending(p);
        }
        break;
      case 'tell':
        learner.tell(e.point, e.value);
        break;
      case 'fail':
        dropPending(learner, e.point);
        break;
      case 'retry':
        break; // a failed attempt: the learner never sees it
      case 'removeUnfinished':
        learner.removeUnfinished();
        break;
      default:
        throw new TypeError(
          `replay: entry ${i} has unknown op ${describe((e as { op: unknown }).op)}`,
        );
    }
  }
  return learner;
}

function isNumericValue(v: unknown): v is number | ArrayLike<number> {
  if (typeof v === 'number') return true;
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView);
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'number') return false;
  return true;
}

/**
 * Writes a run log as NDJSON: one JSON object per line, NaN, ±Infinity and -0 as the strings
 * `'NaN'`, `'Infinity'`, `'-Infinity'` and `'-0'` (anywhere inside points and values), so
 * {@link parseLog} gives back the very numbers. O(log size).
 * Strings inside points or values that spell those four words come back as numbers.
 *
 * @example
 * serializeLog([{ op: 'tell', point: 0, value: Number.NaN }]);
 * // '{"op":"tell","point":0,"value":"NaN"}\n'
 */
export function serializeLog(log: readonly LogEntry<unknown, unknown>[]): string {
  let out = '';
  for (const e of log) {
    let o: unknown;
    switch (e.op) {
      case 'ask':
        o = { op: 'ask', n: e.n, points: encodeDataExact(e.points) };
        break;
      case 'tell':
        o = {
          op: 'tell',
          point: encodeDataExact(e.point),
          value: isNumericValue(e.value) ? encodeValueExact(e.value) : encodeDataExact(e.value),
        };
        if (e.failed === true) (o as { failed?: true }).failed = true;
        break;
      case 'fail':
      case 'retry':
        o =
          e.kind === undefined
            ? { op: e.op, point: encodeDataExact(e.point), error: e.error, attempts: e.attempts }
            : {
                op: e.op,
                point: encodeDataExact(e.point),
                error: e.error,
                attempts: e.attempts,
                kind: e.kind,
              };
        break;
      case 'removeUnfinished':
        o = { op: 'removeUnfinished' };
        break;
      default:
        throw new TypeError(`serializeLog: unknown op ${describe((e as { op: unknown }).op)}`);
    }
    out += `${JSON.stringify(o)}\n`;
  }
  return out;
}

/**
 * Reads a log written by {@link serializeLog}; blank lines are skipped. Throws a SyntaxError
 * naming the line for anything else. O(text length).
 *
 * @example
 * parseLog('{"op":"tell","point":0,"value":"NaN"}\n'); // [{ op: 'tell', point: 0, value: NaN }]
 */
export function parseLog<P = unknown, V = unknown>(text: string): LogEntry<P, V>[] {
  return parseLogLines<P, V>(text, 'parseLog').entries;
}

/**
 * {@link parseLog} that also gives the line number (from 1) of each entry; errors start with
 * `${name}: line N`. O(text length).
 *
 * @example
 * parseLogLines('\n{"op":"removeUnfinished"}\n', 'resume: journal run.ndjson');
 * // { entries: [{ op: 'removeUnfinished' }], lines: [2] }
 */
export function parseLogLines<P = unknown, V = unknown>(
  text: string,
  name: string,
): { entries: LogEntry<P, V>[]; lines: number[] } {
  if (typeof text !== 'string')
    throw new TypeError(`${name}: text must be a string, got ${describe(text)}`);
  const lines = text.split('\n');
  const out: LogEntry<P, V>[] = [];
  const numbers: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const where = `${name}: line ${i + 1}`;
    numbers.push(i + 1);
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw new SyntaxError(`${where}: not JSON (${(e as Error).message})`);
    }
    if (o === null || typeof o !== 'object') throw new SyntaxError(`${where}: not an object`);
    switch (o.op) {
      case 'ask': {
        if (!Number.isSafeInteger(o.n) || (o.n as number) < 0 || !Array.isArray(o.points)) {
          throw new SyntaxError(`${where}: an ask needs an integer n and an array of points`);
        }
        out.push({ op: 'ask', n: o.n as number, points: decodeDataExact(o.points) as P[] });
        break;
      }
      case 'tell': {
        if (!('point' in o) || !('value' in o)) {
          throw new SyntaxError(`${where}: a tell needs a point and a value`);
        }
        const value = decodeValueExact(o.value) ?? decodeDataExact(o.value);
        const point = decodeDataExact(o.point) as P;
        if (o.failed === undefined) out.push({ op: 'tell', point, value: value as V });
        else if (o.failed === true)
          out.push({ op: 'tell', point, value: value as V, failed: true });
        else throw new SyntaxError(`${where}: a tell's failed must be true when present`);
        break;
      }
      case 'fail':
      case 'retry': {
        if (!('point' in o) || typeof o.error !== 'string' || !Number.isSafeInteger(o.attempts)) {
          throw new SyntaxError(`${where}: a ${o.op} needs a point, an error and attempts`);
        }
        const entry: LogEntry<P, V> & { op: 'fail' | 'retry' } = {
          op: o.op,
          point: decodeDataExact(o.point) as P,
          error: o.error,
          attempts: o.attempts as number,
        };
        if (o.kind !== undefined) {
          if (o.kind !== 'error' && o.kind !== 'crash' && o.kind !== 'timeout') {
            throw new SyntaxError(`${where}: a ${o.op}'s kind must be error, crash or timeout`);
          }
          entry.kind = o.kind;
        }
        out.push(entry);
        break;
      }
      case 'removeUnfinished':
        out.push({ op: 'removeUnfinished' });
        break;
      default:
        throw new SyntaxError(`${where}: unknown op ${describe(o.op)}`);
    }
  }
  return { entries: out, lines: numbers };
}
