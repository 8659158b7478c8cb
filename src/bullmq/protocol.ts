/**
 * What travels through the queue between a {@link QueueMaster} and its workers: plain JSON
 * data, never code. A job carries a batch of points; its return value carries each point's
 * value or error. Numbers go through `encodeData` so that NaN and ±Infinity survive JSON.
 *
 * This file imports neither bullmq nor ioredis.
 */

import { decodeData, encodeData } from '../io/json.js';
import { describe } from '../util/validate.js';

/**
 * Version of the job and result formats; a worker refuses a job of another version.
 * @example
 * PROTOCOL_VERSION; // 1
 */
export const PROTOCOL_VERSION = 1;

/**
 * The BullMQ job name of every job a {@link QueueMaster} adds.
 * @example
 * JOB_NAME; // 'adaptive-sampling/points'
 */
export const JOB_NAME = 'adaptive-sampling/points';

/**
 * Start of the name of every worker {@link startQueueWorker} starts:
 * `adaptive-sampling:<concurrency>:<host>:<pid>:<random>`, so that a master can read the
 * workers' concurrency from the names of their Redis connections.
 * @example
 * `${WORKER_NAME_PREFIX}:4:node-7:1234:ab12`; // 'adaptive-sampling:4:node-7:1234:ab12'
 */
export const WORKER_NAME_PREFIX = 'adaptive-sampling';

/**
 * Most points one job may carry; a worker fails a larger job as malformed.
 * @example
 * MAX_POINTS_PER_JOB; // 100000
 */
export const MAX_POINTS_PER_JOB = 100_000;

/**
 * The data of a job: the points to evaluate, encoded with `encodeData`.
 * @example
 * { v: 1, points: [0.5, 'NaN', [1, 2]] }
 */
export interface JobPayload {
  v: number;
  points: unknown[];
}

/**
 * An error thrown by the function, as plain data.
 * @example
 * { name: 'RangeError', message: 'no reading at 5', stack: 'RangeError: no reading at 5\n    at …' }
 */
export interface JobError {
  name: string;
  message: string;
  stack?: string;
}

/**
 * The return value of a job: `values[i]` (encoded) is the value of `points[i]` unless
 * `errors[i]` is set; `ms` is the time the worker spent evaluating the batch.
 * @example
 * { v: 1, values: [0.25, null], errors: [null, { name: 'Error', message: 'boom' }], ms: 0.4 }
 */
export interface JobResult {
  v: number;
  values: unknown[];
  errors?: (JobError | null)[];
  ms: number;
}

/**
 * Makes the data of a job from points (encoded so that non-finite numbers survive JSON).
 * O(size of the points).
 *
 * @example
 * makePayload([0.5, Number.NaN]); // { v: 1, points: [0.5, 'NaN'] }
 */
export function makePayload(points: readonly unknown[]): JobPayload {
  const encoded = new Array<unknown>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    encoded[i] = typeof p === 'number' && Number.isFinite(p) ? p : encodeData(p);
  }
  return { v: PROTOCOL_VERSION, points: encoded };
}

/**
 * Checks a job's data and returns its decoded points, or a string saying what is wrong with
 * it (the worker fails such a job and goes on). O(size of the data).
 *
 * @example
 * parsePayload({ v: 1, points: [0.5, 'NaN'] }); // [0.5, NaN]
 * parsePayload({ code: 'process.exit()' }); // "it has no 'points' array (got {\"code\":\"process.exit()\"})"
 */
export function parsePayload(data: unknown): unknown[] | string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return `its data is not an object (got ${describe(data, 80)})`;
  }
  const d = data as Record<string, unknown>;
  if (!Array.isArray(d.points)) {
    return `it has no 'points' array (got ${describe(data, 80)})`;
  }
  if (d.v !== PROTOCOL_VERSION) {
    return `it has protocol version ${describe(d.v)}, this worker speaks version ${PROTOCOL_VERSION}`;
  }
  const n = d.points.length;
  if (n === 0) return 'its points array is empty';
  if (n > MAX_POINTS_PER_JOB) {
    return `it carries ${n} points, more than the ${MAX_POINTS_PER_JOB} a job may carry`;
  }
  const points = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const p = d.points[i];
    if (p === null || p === undefined) return `its point ${i} is ${describe(p)}`;
    points[i] = typeof p === 'number' ? p : decodeData(p);
  }
  return points;
}

/**
 * Makes the return value of a job. O(size of the values).
 *
 * @example
 * makeResult([4, undefined], [undefined, { name: 'Error', message: 'boom' }], 0.3);
 * // { v: 1, values: [4, null], errors: [null, { name: 'Error', message: 'boom' }], ms: 0.3 }
 */
export function makeResult(
  values: readonly unknown[],
  errors: readonly (JobError | undefined)[] | undefined,
  ms: number,
): JobResult {
  const n = values.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[i] = v === undefined ? null : typeof v === 'number' ? encodeNumberFast(v) : encodeData(v);
  }
  const r: JobResult = { v: PROTOCOL_VERSION, values: out, ms };
  if (errors !== undefined) {
    const e = new Array<JobError | null>(n);
    for (let i = 0; i < n; i++) e[i] = errors[i] ?? null;
    r.errors = e;
  }
  return r;
}

function encodeNumberFast(x: number): unknown {
  return Number.isFinite(x) ? x : encodeData(x);
}

/**
 * A job's return value, checked: decoded values, errors, and the evaluation time.
 * @example
 * { values: [4, undefined], errors: [undefined, { name: 'Error', message: 'boom' }], ms: 0.3 }
 */
export interface ParsedResult {
  values: unknown[];
  errors: (JobError | undefined)[] | undefined;
  ms: number;
}

/**
 * Checks the return value of a job of `n` points; returns it decoded, or a string saying
 * what is wrong with it. O(size of the result).
 *
 * @example
 * parseResult({ v: 1, values: [4, 'Infinity'], ms: 1 }, 2); // { values: [4, Infinity], errors: undefined, ms: 1 }
 * parseResult(42, 1); // 'it is not an object (got 42)'
 */
export function parseResult(r: unknown, n: number): ParsedResult | string {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    return `it is not an object (got ${describe(r, 80)})`;
  }
  const o = r as Record<string, unknown>;
  if (o.v !== PROTOCOL_VERSION) {
    return `it has protocol version ${describe(o.v)}, expected ${PROTOCOL_VERSION}`;
  }
  if (!Array.isArray(o.values) || o.values.length !== n) {
    return `it has ${Array.isArray(o.values) ? o.values.length : 'no'} values for ${n} points`;
  }
  const values = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = o.values[i];
    values[i] = typeof v === 'number' ? v : decodeData(v);
  }
  let errors: (JobError | undefined)[] | undefined;
  if (o.errors !== undefined && o.errors !== null) {
    if (!Array.isArray(o.errors) || o.errors.length !== n) {
      return `its errors are not an array of ${n}`;
    }
    errors = new Array<JobError | undefined>(n);
    for (let i = 0; i < n; i++) {
      const e = o.errors[i];
      if (e === null || e === undefined) continue;
      if (typeof e !== 'object' || typeof (e as JobError).message !== 'string') {
        return `its error ${i} is ${describe(e, 80)}, not { name, message }`;
      }
      const je = e as JobError;
      const d: JobError = {
        name: typeof je.name === 'string' ? je.name : 'Error',
        message: je.message,
      };
      if (typeof je.stack === 'string') d.stack = je.stack;
      errors[i] = d;
    }
  }
  const ms = typeof o.ms === 'number' && o.ms >= 0 ? o.ms : -1;
  return { values, errors, ms };
}

/**
 * An error as plain data (name, message, stack), for a job's return value.
 * @example
 * errorData(new RangeError('x')); // { name: 'RangeError', message: 'x', stack: 'RangeError: x\n    at …' }
 */
export function errorData(e: unknown): JobError {
  if (e instanceof Error) {
    const d: JobError = { name: e.name, message: e.message };
    if (typeof e.stack === 'string') d.stack = e.stack;
    return d;
  }
  if (
    e !== null &&
    typeof e === 'object' &&
    typeof (e as { message?: unknown }).message === 'string'
  ) {
    const o = e as { name?: unknown; message: string };
    return { name: typeof o.name === 'string' ? o.name : 'Error', message: o.message };
  }
  return { name: 'Error', message: String(e) };
}
