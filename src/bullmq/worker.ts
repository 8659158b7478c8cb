/**
 * The worker side of {@link QueueMaster}: a BullMQ `Worker` on the queue whose jobs are
 * batches of points, evaluated with an export of an ES module named here (never by the job).
 *
 * The points are evaluated on worker threads (a {@link WorkerPoolMaster} of `concurrency`
 * threads), not in the thread that holds the BullMQ worker: a long synchronous evaluation
 * then never stops the job locks from being renewed (a job whose lock lapses is taken for
 * stalled and run again elsewhere), a function that exits or crashes fails only its point
 * (a `WorkerCrashError`), and `timeoutMs` can stop a point that hangs.
 */

import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import { WorkerPoolMaster } from '../master/worker-pool.js';
import { checkOptionKeys, describe, optionalPositiveInteger } from '../util/validate.js';
import {
  bullmqConnection,
  checkConnection,
  describeConnection,
  loadPeers,
  probeConnection,
  type QueueConnection,
} from './connection.js';
import {
  errorData,
  type JobError,
  type JobResult,
  makeResult,
  parsePayload,
  WORKER_NAME_PREFIX,
} from './protocol.js';

/**
 * Options of {@link startQueueWorker}.
 * @example
 * { connection: 'redis://:s3cret@10.0.0.5', queueName: 'peak', module: './f.mjs', exportName: 'f', concurrency: 4 }
 */
export interface QueueWorkerOptions {
  /** The Redis server (see {@link QueueConnection}); an instance passed in is never closed. */
  connection: QueueConnection;
  /** The queue the master adds its jobs to. */
  queueName: string;
  /**
   * The ES module whose export is the function: a path (relative to the current directory),
   * a `file:` URL or a `URL`. A `.ts` module needs tsx installed.
   */
  module: string | URL;
  /** The export to call (default `'default'`): one point in, a value or a promise out. */
  exportName?: string | undefined;
  /** Jobs evaluated at once, each on its own worker thread (default 1). */
  concurrency?: number | undefined;
  /** Milliseconds one point may take (default: no limit); past it the point fails with a `TimeoutError`. */
  timeoutMs?: number | undefined;
  /** BullMQ's key prefix (default `'bull'`); the same as the master's. */
  prefix?: string | undefined;
  /**
   * Milliseconds a job's lock lasts (BullMQ's `lockDuration`, default 30 000; renewed every
   * half of it while the job runs). A worker killed mid-job has its job re-run by another
   * worker once the lock has expired and a stalled check ran: shorter means faster recovery.
   */
  lockDuration?: number | undefined;
  /** Milliseconds between stalled-job checks (BullMQ's `stalledInterval`, default 30 000). */
  stalledInterval?: number | undefined;
  /** Stalls a job may have before it fails (BullMQ's `maxStalledCount`, default 1). */
  maxStalledCount?: number | undefined;
  /** A label for this worker in Redis (default `<host>:<pid>`). */
  label?: string | undefined;
  /** Node options of the evaluation threads (default: this process's, plus tsx when needed). */
  execArgv?: readonly string[] | undefined;
  /**
   * Called with errors that do not stop the worker: Redis connection errors while it
   * reconnects, results that could not be saved (the job was lost). Default: written to
   * stderr, each distinct message at most every 10 s.
   */
  onError?: ((error: Error) => void) | undefined;
}

/**
 * Counters of a {@link QueueWorker}.
 * @example
 * { jobs: 120, points: 7680, pointErrors: 2, malformed: 0, active: 1 }
 */
export interface QueueWorkerStats {
  /** Jobs evaluated. */
  jobs: number;
  /** Points evaluated. */
  points: number;
  /** Points whose evaluation threw, crashed or timed out. */
  pointErrors: number;
  /** Jobs failed because their data was not a batch of points. */
  malformed: number;
  /** Jobs being evaluated now. */
  active: number;
}

/**
 * A running queue worker, from {@link startQueueWorker}.
 * @example
 * const worker = await startQueueWorker({ connection, queueName: 'peak', module: './f.mjs' });
 * worker.stats.jobs; // 0
 * await worker.close();
 */
export interface QueueWorker {
  /** Its name in Redis (`adaptive-sampling:<concurrency>:<label>:<random>`). */
  readonly name: string;
  /** The queue it serves. */
  readonly queueName: string;
  /** Jobs it evaluates at once. */
  readonly concurrency: number;
  /** The server, password hidden. */
  readonly server: string;
  /** The module's URL. */
  readonly module: string;
  /** The export called. */
  readonly exportName: string;
  /** Counters. */
  readonly stats: QueueWorkerStats;
  /**
   * Stops taking jobs, waits for the running ones (unless `force`: they are dropped, and
   * go to another worker once their lock expires), then stops the threads and closes the
   * connections it made. Idempotent.
   */
  close(options?: { force?: boolean | undefined }): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const OPTION_KEYS = [
  'connection',
  'queueName',
  'module',
  'exportName',
  'concurrency',
  'timeoutMs',
  'prefix',
  'lockDuration',
  'stalledInterval',
  'maxStalledCount',
  'label',
  'execArgv',
  'onError',
] as const;

function positiveMs(name: string, x: unknown): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(
      `startQueueWorker: ${name} must be a positive number of milliseconds, got ${describe(x)}`,
    );
  }
  return x;
}

/** Characters allowed in a Redis client name part. */
function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9._@:-]/g, '_').slice(0, 64) || '_';
}

/**
 * Passes each distinct error message to `write` at most every 10 s (a server that is down
 * makes the same error at every reconnect attempt).
 * @example
 * const report = throttled((m) => process.stderr.write(`${m}\n`));
 */
export function throttled(write: (message: string) => void): (e: Error) => void {
  const last = new Map<string, number>();
  return (e) => {
    const now = Date.now();
    const m = e?.message ?? String(e);
    if ((last.get(m) ?? Number.NEGATIVE_INFINITY) > now - 10_000) return;
    if (last.size > 100) last.clear();
    last.set(m, now);
    write(m);
  };
}

/**
 * Starts a worker that evaluates the points of a {@link QueueMaster}'s queue with an export
 * of an ES module, on `concurrency` worker threads, until `close()`. It checks first that
 * Redis accepts the connection (rejecting with a {@link QueueConnectionError} that says why
 * not: no password, a wrong one, nothing listening) and that the module loads and the export
 * is a function. A job carries data only (a batch of points); a job that is not a batch of
 * points fails with an error saying what is wrong with it, and the worker goes on.
 *
 * @example
 * // f.mjs: export default (x) => Math.sin(x) ** 2;
 * const worker = await startQueueWorker({
 *   connection: 'redis://:s3cret@10.0.0.5:6379', queueName: 'peak', module: './f.mjs', concurrency: 4,
 * });
 * process.once('SIGTERM', () => worker.close());
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  checkOptionKeys('startQueueWorker', options, OPTION_KEYS);
  const o = options as QueueWorkerOptions;
  const connection = checkConnection('startQueueWorker', o.connection);
  const queueName: unknown = o.queueName;
  if (typeof queueName !== 'string' || queueName === '' || queueName.includes(':')) {
    throw new TypeError(
      `startQueueWorker: queueName must be a non-empty string without ':', got ${describe(queueName)}`,
    );
  }
  const concurrency =
    optionalPositiveInteger('startQueueWorker', 'concurrency', o.concurrency) ?? 1;
  const maxStalledCount = o.maxStalledCount;
  if (
    maxStalledCount !== undefined &&
    (typeof maxStalledCount !== 'number' ||
      !Number.isSafeInteger(maxStalledCount) ||
      maxStalledCount < 0)
  ) {
    throw new RangeError(
      `startQueueWorker: maxStalledCount must be a non-negative integer, got ${describe(maxStalledCount)}`,
    );
  }
  const lockDuration = positiveMs('lockDuration', o.lockDuration);
  const stalledInterval = positiveMs('stalledInterval', o.stalledInterval);
  const prefix: unknown = o.prefix ?? 'bull';
  if (typeof prefix !== 'string' || prefix === '') {
    throw new TypeError(
      `startQueueWorker: prefix must be a non-empty string, got ${describe(prefix)}`,
    );
  }
  if (o.label !== undefined && (typeof o.label !== 'string' || o.label === '')) {
    throw new TypeError(
      `startQueueWorker: label must be a non-empty string, got ${describe(o.label)}`,
    );
  }
  const label = sanitize(o.label ?? `${hostname()}:${process.pid}`);
  if (o.onError !== undefined && typeof o.onError !== 'function') {
    throw new TypeError(`startQueueWorker: onError must be a function, got ${describe(o.onError)}`);
  }
  const report =
    o.onError ??
    throttled((m) => process.stderr.write(`adaptive-sampling worker ${label}: ${m}\n`));

  // The function first (a bad module path or export throws here, before any connection).
  const pool = new WorkerPoolMaster<unknown, unknown>({
    module: o.module,
    exportName: o.exportName,
    threads: concurrency,
    timeoutMs: o.timeoutMs,
    execArgv: o.execArgv,
  });
  let worker: Worker | undefined;
  try {
    const { bullmq, Redis } = await loadPeers('startQueueWorker');
    await probeConnection(Redis, connection, 'startQueueWorker');
    try {
      await pool.warmup();
    } catch (e) {
      throw new Error(
        `startQueueWorker: cannot evaluate the export '${pool.exportName}' of ${pool.module}: ${(e as Error).message.replace(/^WorkerPoolMaster: /, '')}`,
        { cause: e },
      );
    }
    const name = `${WORKER_NAME_PREFIX}:${concurrency}:${label}:${Math.random().toString(36).slice(2, 8)}`;
    const stats: QueueWorkerStats = { jobs: 0, points: 0, pointErrors: 0, malformed: 0, active: 0 };
    let closing = false;
    // The pool's messages speak of its workers: here they are this worker's threads.
    const rewrite = (e: unknown): JobError => {
      const d = errorData(e);
      if (d.message.startsWith('WorkerPoolMaster: ')) {
        d.message = `queue worker ${label}: ${d.message
          .slice(18)
          .replace('the worker died', 'its evaluation thread died')
          .replace('its worker was terminated', 'its thread was terminated')}`;
      }
      return d;
    };
    const processor = async (job: Job): Promise<JobResult> => {
      const points = parsePayload(job.data);
      if (typeof points === 'string') {
        stats.malformed++;
        throw new bullmq.UnrecoverableError(
          `adaptive-sampling worker ${label}: job ${job.id} of queue '${queueName}' is not a batch of points: ${points}; a job must be { v: 1, points: [...] } as a QueueMaster sends it; it was not evaluated`,
        );
      }
      stats.active++;
      const n = points.length;
      const values = new Array<unknown>(n);
      let errors: (JobError | undefined)[] | undefined;
      const t0 = performance.now();
      try {
        await Promise.all(
          points.map((p, i) =>
            pool.evaluate(p).then(
              (v) => {
                values[i] = v;
              },
              (e: unknown) => {
                if (errors === undefined) errors = new Array<JobError | undefined>(n);
                errors[i] = rewrite(e);
              },
            ),
          ),
        );
      } finally {
        stats.active--;
      }
      // Force-closed meanwhile: the errors are the closing's, not the function's. The job is
      // left to stall and go to another worker.
      if (closing) return new Promise<JobResult>(() => undefined);
      const ms = performance.now() - t0;
      stats.jobs++;
      stats.points += n;
      if (errors !== undefined) for (const e of errors) if (e !== undefined) stats.pointErrors++;
      return makeResult(values, errors, ms);
    };
    const w: Worker = new bullmq.Worker(queueName, processor, {
      connection: bullmqConnection(connection, { maxRetriesPerRequest: null }),
      prefix,
      name,
      concurrency,
      ...(lockDuration === undefined ? {} : { lockDuration }),
      ...(stalledInterval === undefined ? {} : { stalledInterval }),
      ...(maxStalledCount === undefined ? {} : { maxStalledCount }),
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 24 * 3600, count: 10_000 },
    });
    worker = w;
    w.on('error', (e: Error) => {
      if (!closing) report(e);
    });
    await w.waitUntilReady();
    let closed: Promise<void> | undefined;
    const handle: QueueWorker = {
      name,
      queueName,
      concurrency,
      server: describeConnection(connection),
      module: pool.module,
      exportName: pool.exportName,
      get stats() {
        return { ...stats };
      },
      close(closeOptions = {}) {
        if (closed === undefined) {
          const force = closeOptions.force === true;
          if (force) closing = true;
          closed = (async () => {
            try {
              await w.close(force);
            } finally {
              closing = true;
              await pool.close();
            }
          })();
        }
        return closed;
      },
      [Symbol.asyncDispose]() {
        return this.close();
      },
    };
    return handle;
  } catch (e) {
    await Promise.allSettled([worker?.close(true), pool.close()]);
    throw e;
  }
}
