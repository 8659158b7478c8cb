/**
 * QueueMaster: evaluates points on workers anywhere, through a BullMQ queue on Redis.
 *
 * Design:
 * - The learner stays in this process. Points leave in jobs of several points (the batch
 *   size adapts to the measured time per point, about {@link TARGET_JOB_MS} of work a job,
 *   at most `batchSize`), added with one `addBulk` per turn of the event loop, at most two
 *   jobs per worker slot in Redis at a time (one running, one waiting); further points wait
 *   here, so that a burst of calls leaves in batches of the adapted size. A job carries data
 *   only: `{ v: 1, points }`; the workers run the module named on their own command line.
 * - Results come back as the jobs' return values through BullMQ's `QueueEvents` (`completed`
 *   and `failed`, keyed by job id), read from the events stream from where it was when the
 *   master started. Each point settles once: a second result for a job (a job re-run after a
 *   stall or a re-submission) is ignored. A completed job is removed once its result is read.
 * - Nothing is lost silently: a sweep every `sweepMs`, and at once after each reconnect to
 *   Redis, asks Redis about the jobs in flight. A job Redis no longer knows (the server
 *   restarted without persistence, or the add never arrived) is added again under the same
 *   id; a job that completed or failed while its event was missed is read from Redis.
 * - A worker killed mid-job leaves a stalled job that BullMQ gives to another worker once the
 *   lock expires (workers' `lockDuration`). A job that stalls more than the workers'
 *   `maxStalledCount` fails; its points are then sent again one per job, so a point that kills
 *   every worker fails alone with a `WorkerCrashError` (failure kind `'crash'`), like
 *   {@link WorkerPoolMaster}.
 * - `concurrency` is read from the workers connected to the queue (the sum of their
 *   concurrency, polled every second), or fixed with `slots`.
 */

import { randomBytes } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { AdaptiveBatchSize } from '../master/batch-size.js';
import { rebuildError } from '../master/errors.js';
import { abortError, type Master } from '../master/types.js';
import { checkOptionKeys, describe, optionalPositiveInteger } from '../util/validate.js';
import {
  checkConnection,
  describeConnection,
  isRedisInstance,
  loadPeers,
  newClient,
  probeConnection,
  type QueueConnection,
} from './connection.js';
import {
  JOB_NAME,
  makePayload,
  type ParsedResult,
  parseResult,
  WORKER_NAME_PREFIX,
} from './protocol.js';

/**
 * Wanted milliseconds of work per job once the batch size adapts.
 * @example
 * // a function of 0.1 ms a point goes 200 points a job (at most batchSize)
 * Math.floor(TARGET_JOB_MS / 0.1); // 200
 */
export const TARGET_JOB_MS = 20;
/**
 * Slots assumed when the workers cannot be listed (the Redis user may not run CLIENT LIST).
 * @example
 * FALLBACK_SLOTS; // 4
 */
export const FALLBACK_SLOTS = 4;
const DEFAULT_BATCH_SIZE = 256;
const DEFAULT_SWEEP_MS = 5000;
const POLL_WORKERS_MS = 1000;
/** How long close() waits for Redis (removing jobs, closing connections) before it lets go. */
const CLOSE_WAIT_MS = 3000;
/** Kept completed jobs (a safety net: the master removes the ones it read). */
const REMOVE_ON_COMPLETE = { age: 3600, count: 10_000 };
/** Kept failed jobs, to look at. */
const REMOVE_ON_FAIL = { age: 24 * 3600, count: 10_000 };
const STALLED_REASON = /stalled more than allowable limit/i;

/**
 * Options of {@link QueueMaster}.
 * @example
 * { connection: 'redis://:s3cret@10.0.0.5:6379', queueName: 'peak', batchSize: 64, sweepMs: 2000 }
 */
export interface QueueMasterOptions {
  /** The Redis server (see {@link QueueConnection}); an instance passed in is never closed. */
  connection: QueueConnection;
  /** The BullMQ queue; workers started on the same name evaluate its jobs. No `:` in it. */
  queueName: string;
  /** BullMQ's key prefix (default `'bull'`); the workers must use the same. */
  prefix?: string | undefined;
  /**
   * Evaluations the workers run at once, in total. Default: the sum of the concurrency of the
   * workers connected to the queue (polled every second; 1 while there is none, and
   * {@link FALLBACK_SLOTS} when Redis refuses to list them).
   */
  slots?: number | undefined;
  /** Most points per job (default 256); the batch size adapts below it. `1` sends one point a job. */
  batchSize?: number | undefined;
  /**
   * Milliseconds between checks of the jobs in flight for ones Redis lost (default 5000);
   * also done at once after a reconnect.
   */
  sweepMs?: number | undefined;
  /** Called with Redis errors of the master's connections (they reconnect by themselves). */
  onError?: ((error: Error) => void) | undefined;
}

/**
 * Counters of a {@link QueueMaster}, for monitoring and tests.
 * @example
 * { slots: 2, batchSize: 64, queued: 0, inFlight: 256, jobsInFlight: 4, jobsAdded: 90, pointsAdded: 5000, jobsCompleted: 86, jobsFailed: 0, resubmitted: 0, split: 0, stalled: 1, duplicates: 0, sweeps: 3, recovered: 0, reconnects: 0 }
 */
export interface QueueMasterStats {
  /** Evaluations the workers run at once (given or discovered). */
  slots: number;
  /** The current adaptive batch size. */
  batchSize: number;
  /** Points waiting for the next `addBulk`. */
  queued: number;
  /** Points in jobs not answered yet. */
  inFlight: number;
  /** Jobs not answered yet. */
  jobsInFlight: number;
  /** Jobs added (re-submissions included). */
  jobsAdded: number;
  /** Points in the jobs added. */
  pointsAdded: number;
  /** Jobs whose result was read. */
  jobsCompleted: number;
  /** Jobs that failed on the worker side (stalled too often, malformed, ...). */
  jobsFailed: number;
  /** Jobs added again because Redis had lost them. */
  resubmitted: number;
  /** Failed multi-point jobs whose points were sent again one per job. */
  split: number;
  /** Stalled events of this master's jobs (a worker died or froze; BullMQ re-runs the job). */
  stalled: number;
  /** Results that came for points already settled, or for jobs already answered (ignored). */
  duplicates: number;
  /** Sweeps made. */
  sweeps: number;
  /** Results read from Redis by a sweep, their event having been missed. */
  recovered: number;
  /** Reconnects to Redis seen. */
  reconnects: number;
}

const QUEUED = 0;
const SENT = 1;
const SETTLED = 2;

class Entry<P, V> {
  state = QUEUED;
  job: JobRec<P, V> | undefined = undefined;
  constructor(
    readonly point: P,
    readonly resolve: (v: V) => void,
    readonly reject: (e: unknown) => void,
    readonly signal: AbortSignal | undefined,
  ) {}
}

interface JobRec<P, V> {
  id: string;
  /** The entries as sent, in payload order (fixed: a re-submission sends the same payload). */
  entries: Entry<P, V>[];
  payload: ReturnType<typeof makePayload>;
  /** Entries still waiting for this job. */
  live: number;
  /** `Date.now()` when last added. */
  sentAt: number;
  /** Whether Redis acknowledged the add. */
  added: boolean;
}

function crashError(message: string): Error {
  const e = new Error(message);
  e.name = 'WorkerCrashError';
  return e;
}

/** Resolves after `ms` or when `p` settles, whichever first; never rejects. */
function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const OPTION_KEYS = [
  'connection',
  'queueName',
  'prefix',
  'slots',
  'batchSize',
  'sweepMs',
  'onError',
] as const;

/** Reads `concurrency` from the name of a worker connection (see {@link startQueueWorker}). */
const WORKER_NAME = new RegExp(`:w:${WORKER_NAME_PREFIX}:(\\d+):`);

/**
 * A {@link Master} that evaluates points on workers anywhere, through a BullMQ queue on
 * Redis: start workers with {@link startQueueWorker} or `adaptive-sampling worker --redis URL
 * --queue NAME --module PATH` on any machine that reaches the server, and run the learner
 * here. Points travel in jobs of several points (the batch size adapts to the function's
 * cost), results come back in any order, each point settles once.
 *
 * Faults: a worker killed mid-job → its job is re-run by another worker once its lock expires
 * (the workers' `lockDuration`); Redis restarted without persistence → the master reconnects
 * and adds again every job Redis lost; an evaluation that throws → `evaluate` rejects with
 * the same error class, name and message as the function's (so the runner's `retries`,
 * `raiseIfRetriesExceeded` and failure kinds work as with every master). A restarted master
 * process resumes from the runner's checkpoint (`checkpoint: { ..., resume: true }`); the
 * results of the old master's jobs are not told (its jobs are evaluated and ignored).
 *
 * An aborted evaluation rejects at once; its job is removed from the queue when no other
 * point waits for it and no worker took it yet (a running job cannot be stopped, its result
 * is ignored). `close()` closes the connections the master made, never one passed in.
 *
 * @example
 * // on each worker machine: adaptive-sampling worker --redis redis://:s3cret@10.0.0.5 --queue peak --module f.mjs
 * await using master = new QueueMaster<number, number>({ connection: 'redis://:s3cret@10.0.0.5', queueName: 'peak' });
 * await master.ready(); // throws now if the server is unreachable or refuses the password
 * const s = await run(new Learner1D({ bounds: [-1, 1] }), master, { lossGoal: 0.01, retries: 1 });
 * s.reason; // 'lossGoal'
 */
export class QueueMaster<P = unknown, V = unknown> implements Master<P, V> {
  /** The queue's name. */
  readonly queueName: string;
  /** BullMQ's key prefix. */
  readonly prefix: string;
  /** Most points per job. */
  readonly maxBatchSize: number;
  /** Milliseconds between sweeps. */
  readonly sweepMs: number;
  /** This master's id; its job ids are `as-<id>-<n>`. */
  readonly id: string;
  /** The server, password hidden. */
  readonly server: string;

  readonly #connection: QueueConnection;
  readonly #fixedSlots: number | undefined;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #jobPrefix: string;
  #slots: number;
  readonly #batch: AdaptiveBatchSize;
  #seq = 0;
  #buffer: Entry<P, V>[] = [];
  readonly #jobs = new Map<string, JobRec<P, V>>();
  #inFlight = 0;
  #flushing = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Set when the connection cannot work: every evaluation rejects with it. */
  #broken: Error | undefined;
  readonly #ready: Promise<void>;
  #queue: Queue | undefined;
  #events: QueueEvents | undefined;
  #client: Redis | undefined;
  #ownsClient = false;
  #readyCount = 0;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #pollTimer: ReturnType<typeof setInterval> | undefined;
  #sweeping: Promise<void> | undefined;
  #sweepAgain = false;
  #toRemove: string[] = [];
  #removing = false;
  readonly #watched = new WeakSet<AbortSignal>();
  readonly #stats = {
    jobsAdded: 0,
    pointsAdded: 0,
    jobsCompleted: 0,
    jobsFailed: 0,
    resubmitted: 0,
    split: 0,
    stalled: 0,
    duplicates: 0,
    sweeps: 0,
    recovered: 0,
    reconnects: 0,
  };

  readonly #flushTask = (): void => {
    this.#flushing = false;
    this.#flush();
  };
  readonly #onReady = (): void => {
    // The first 'ready' is the initial connection; each later one follows a reconnect, after
    // which the server may have lost every job (a restart without persistence).
    if (++this.#readyCount > 1 && !this.#closed) {
      this.#stats.reconnects++;
      this.#requestSweep(true);
    }
  };

  constructor(options: QueueMasterOptions) {
    checkOptionKeys('QueueMaster', options, OPTION_KEYS);
    const o = options as QueueMasterOptions;
    this.#connection = checkConnection('QueueMaster', o.connection);
    const name: unknown = o.queueName;
    if (typeof name !== 'string' || name === '' || name.includes(':')) {
      throw new TypeError(
        `QueueMaster: queueName must be a non-empty string without ':', got ${describe(name)}`,
      );
    }
    this.queueName = name;
    const prefix: unknown = o.prefix ?? 'bull';
    if (typeof prefix !== 'string' || prefix === '') {
      throw new TypeError(
        `QueueMaster: prefix must be a non-empty string, got ${describe(prefix)}`,
      );
    }
    this.prefix = prefix;
    this.#fixedSlots = optionalPositiveInteger('QueueMaster', 'slots', o.slots);
    this.#slots = this.#fixedSlots ?? 1;
    this.maxBatchSize =
      optionalPositiveInteger('QueueMaster', 'batchSize', o.batchSize) ?? DEFAULT_BATCH_SIZE;
    this.#batch = new AdaptiveBatchSize(this.maxBatchSize, TARGET_JOB_MS);
    const sweep = o.sweepMs ?? DEFAULT_SWEEP_MS;
    if (typeof sweep !== 'number' || !(sweep >= 10) || !Number.isFinite(sweep)) {
      throw new RangeError(
        `QueueMaster: sweepMs must be a number of milliseconds ≥ 10, got ${describe(sweep)}`,
      );
    }
    this.sweepMs = sweep;
    if (o.onError !== undefined && typeof o.onError !== 'function') {
      throw new TypeError(`QueueMaster: onError must be a function, got ${describe(o.onError)}`);
    }
    this.#onError = o.onError;
    this.id = randomBytes(6).toString('hex');
    this.#jobPrefix = `as-${this.id}-`;
    this.server = describeConnection(this.#connection);
    this.#ready = this.#init();
    this.#ready.catch((e: unknown) => this.#breakDown(e));
  }

  /**
   * Points it wants in flight: `slots` while points are slow (one point a job),
   * `slots × 2 × batch size` once they are fast enough to batch (a job running and one
   * waiting per slot). Changes as the batch size adapts and the workers come and go.
   */
  get concurrency(): number {
    return this.#batch.size > 1 ? this.#slots * 2 * this.#batch.size : this.#slots;
  }

  /** The current adaptive batch size (1 up to `maxBatchSize`). */
  get batchSize(): number {
    return this.#batch.size;
  }

  /** Whether {@link QueueMaster.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Counters: slots, batch size, points and jobs in flight, re-submissions, stalls. */
  get stats(): QueueMasterStats {
    return {
      slots: this.#slots,
      batchSize: this.#batch.size,
      queued: this.#buffer.reduce((n, e) => (e.state === QUEUED ? n + 1 : n), 0),
      inFlight: this.#inFlight,
      jobsInFlight: this.#jobs.size,
      ...this.#stats,
    };
  }

  /**
   * Resolves when the master is connected and listening for results; rejects with a
   * {@link QueueConnectionError} when the server cannot be used (unreachable, no or wrong
   * password), the error every evaluation then rejects with. Optional: `evaluate` waits for it.
   *
   * @example
   * await master.ready(); // QueueConnectionError: QueueMaster: cannot use Redis at redis://127.0.0.1:6379: the server requires a password (NOAUTH); ...
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Evaluates one point on a worker. Rejects with the function's error (same class for
   * built-in errors, same name, message and stack), a `WorkerCrashError` when the point's
   * worker died, a `TimeoutError` past the workers' `timeoutMs`, an `AbortError` when `signal`
   * aborts first, the connection's error when Redis cannot be used, or an Error after
   * `close()`. O(1) amortised; the point leaves in the next `addBulk`.
   */
  evaluate(point: P, signal?: AbortSignal): Promise<V> {
    if (this.#closed) {
      return Promise.reject(new Error('QueueMaster: evaluate() called after close()'));
    }
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (signal?.aborted) {
      return Promise.reject(abortError('QueueMaster: evaluation aborted', signal.reason));
    }
    return new Promise<V>((resolve, reject) => {
      this.#buffer.push(new Entry(point, resolve, reject, signal));
      if (signal !== undefined) this.#listen(signal);
      this.#scheduleFlush();
    });
  }

  /**
   * Rejects every pending evaluation, removes this master's jobs that no worker took yet,
   * and closes the queue, the events reader and the connection the master made (not one
   * passed in). Idempotent; resolves within a few seconds even when Redis is down.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    const err = () => new Error('QueueMaster: closed before the evaluation finished');
    for (const e of this.#buffer) this.#settleError(e, err());
    this.#buffer = [];
    const ids: string[] = [];
    for (const rec of this.#jobs.values()) {
      for (const e of rec.entries)
        if (e.state === SENT && e.job === rec) this.#settleError(e, err());
      ids.push(rec.id);
    }
    this.#jobs.clear();
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    if (this.#pollTimer !== undefined) clearInterval(this.#pollTimer);
    this.#sweepTimer = this.#pollTimer = undefined;
    this.#closing = this.#shutdown(ids);
    return this.#closing;
  }

  /** Same as {@link QueueMaster.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------- set-up

  async #init(): Promise<void> {
    const { bullmq, Redis } = await loadPeers('QueueMaster');
    const c = this.#connection;
    await probeConnection(Redis, c, 'QueueMaster');
    if (this.#closed) return;
    const client = isRedisInstance(c) ? c : newClient(Redis, c, { maxRetriesPerRequest: null });
    this.#client = client;
    this.#ownsClient = client !== c;
    client.on('ready', this.#onReady);
    if (client.status === 'ready') this.#readyCount = 1;
    const onError = (e: Error) => this.#onError?.(e);
    const queue = new bullmq.Queue(this.queueName, { connection: client, prefix: this.prefix });
    this.#queue = queue;
    queue.on('error', onError);
    await queue.waitUntilReady();
    if (this.#closed) return this.#release();
    // Read events from the end of the stream as it is now: nothing of ours can be in it yet.
    const last = (await client.xrevrange(queue.keys.events as string, '+', '-', 'COUNT', 1)) as [
      string,
      string[],
    ][];
    if (this.#closed) return this.#release();
    // The reader blocks, so it gets its own connection (BullMQ makes and closes it).
    const events = new bullmq.QueueEvents(this.queueName, {
      connection: { ...connectionOptions(c), maxRetriesPerRequest: null },
      prefix: this.prefix,
      lastEventId: last[0]?.[0] ?? '0-0',
    });
    this.#events = events;
    events.on('error', onError);
    events.on('completed', (a: { jobId: string; returnvalue: unknown }) =>
      this.#onCompleted(a.jobId, a.returnvalue),
    );
    events.on('failed', (a: { jobId: string; failedReason: string }) =>
      this.#onFailed(a.jobId, a.failedReason),
    );
    events.on('stalled', (a: { jobId: string }) => {
      if (a.jobId.startsWith(this.#jobPrefix)) this.#stats.stalled++;
    });
    await events.waitUntilReady();
    if (this.#closed) return this.#release();
    if (this.#fixedSlots === undefined) {
      await this.#pollWorkers();
      if (this.#closed) return this.#release();
      this.#pollTimer = setInterval(() => void this.#pollWorkers(), POLL_WORKERS_MS);
      this.#pollTimer.unref();
    }
    this.#sweepTimer = setInterval(() => this.#requestSweep(false), this.sweepMs);
    this.#sweepTimer.unref();
  }

  /** The connection cannot work: every pending and later evaluation rejects with `e`. */
  #breakDown(e: unknown): void {
    if (this.#closed) return;
    const err = e instanceof Error ? e : new Error(String(e));
    this.#broken = err;
    for (const x of this.#buffer) this.#settleError(x, err);
    this.#buffer = [];
    for (const rec of this.#jobs.values()) {
      for (const x of rec.entries) if (x.state === SENT) this.#settleError(x, err);
    }
    this.#jobs.clear();
  }

  async #shutdown(ids: string[]): Promise<void> {
    await bounded(this.#ready, CLOSE_WAIT_MS);
    const queue = this.#queue;
    if (queue !== undefined && this.#client?.status === 'ready') {
      // Jobs no worker took yet would be evaluated for nobody; a running one cannot be removed.
      await bounded(
        Promise.all([...ids, ...this.#toRemove].map((id) => queue.remove(id).catch(() => 0))),
        CLOSE_WAIT_MS,
      );
    }
    await this.#release();
  }

  /**
   * Closes what the master made and stops listening to a connection passed in. Each thing is
   * closed once: the set-up calls this again when `close()` came while it was connecting.
   */
  async #release(): Promise<void> {
    const events = this.#events;
    const queue = this.#queue;
    const client = this.#client;
    this.#events = this.#queue = this.#client = undefined;
    client?.off('ready', this.#onReady);
    await bounded(events?.close() ?? Promise.resolve(), CLOSE_WAIT_MS);
    await bounded(queue?.close() ?? Promise.resolve(), CLOSE_WAIT_MS);
    if (this.#ownsClient && client !== undefined) {
      await bounded(client.quit(), CLOSE_WAIT_MS);
      client.disconnect();
    }
  }

  /** Sums the concurrency of the workers connected to the queue. */
  async #pollWorkers(): Promise<void> {
    const queue = this.#queue;
    if (queue === undefined || this.#closed) return;
    let slots: number;
    try {
      const workers = (await queue.getWorkers()) as { rawname?: string; name?: string }[];
      slots = 0;
      const seen = new Set<string>();
      for (const w of workers) {
        const raw = w.rawname ?? '';
        if (raw === '') {
          if (w.name === 'GCP does not support client list') throw new Error(w.name);
          continue;
        }
        if (seen.has(raw)) continue;
        seen.add(raw);
        const m = WORKER_NAME.exec(raw);
        slots += m === null ? 1 : Number(m[1]);
      }
    } catch {
      slots = FALLBACK_SLOTS;
    }
    if (this.#closed) return;
    const grew = slots > this.#slots;
    this.#slots = Math.max(1, slots);
    if (grew) this.#scheduleFlush();
  }

  // --------------------------------------------------------------- sending

  /** Flushes in a microtask (once however many times it is asked in a turn). */
  #scheduleFlush(): void {
    if (!this.#flushing && !this.#closed) {
      this.#flushing = true;
      queueMicrotask(this.#flushTask);
    }
  }

  /**
   * Puts buffered points into jobs and adds them: at most two jobs per slot in flight (one
   * running, one waiting), the points spread evenly over the free ones, at most the batch
   * size each; the rest waits here for the next answer, by when the batch size has adapted.
   */
  #flush(): void {
    if (this.#closed || this.#buffer.length === 0) return;
    if (this.#queue === undefined) {
      // Not connected yet: flush once ready (a broken master has rejected the buffer).
      this.#ready.then(
        () => this.#flush(),
        () => undefined,
      );
      return;
    }
    let free = this.#slots * 2 - this.#jobs.size;
    if (free <= 0) return;
    const live = this.#buffer.filter((e) => e.state === QUEUED);
    const recs: JobRec<P, V>[] = [];
    let at = 0;
    while (at < live.length && free > 0) {
      const n = Math.min(this.#batch.size, Math.ceil((live.length - at) / free));
      recs.push(this.#newJob(live.slice(at, at + n)));
      at += n;
      free--;
    }
    this.#buffer = at === 0 ? live : live.slice(at);
    this.#add(recs);
  }

  #newJob(entries: Entry<P, V>[]): JobRec<P, V> {
    const points = new Array<unknown>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as Entry<P, V>;
      points[i] = e.point;
    }
    const rec: JobRec<P, V> = {
      id: `${this.#jobPrefix}${++this.#seq}`,
      entries,
      payload: makePayload(points),
      live: entries.length,
      sentAt: 0,
      added: false,
    };
    for (const e of entries) {
      e.state = SENT;
      e.job = rec;
    }
    this.#inFlight += entries.length;
    this.#jobs.set(rec.id, rec);
    return rec;
  }

  /** Adds jobs (again, for re-submissions: the same id and payload). */
  #add(recs: JobRec<P, V>[]): void {
    const queue = this.#queue;
    if (queue === undefined || recs.length === 0) return;
    const now = Date.now();
    const jobs = recs.map((r) => {
      r.sentAt = now;
      r.added = false;
      this.#stats.jobsAdded++;
      this.#stats.pointsAdded += r.entries.length;
      return {
        name: JOB_NAME,
        data: r.payload,
        opts: {
          jobId: r.id,
          attempts: 1,
          removeOnComplete: REMOVE_ON_COMPLETE,
          removeOnFail: REMOVE_ON_FAIL,
        },
      };
    });
    queue.addBulk(jobs).then(
      () => {
        for (const r of recs) r.added = true;
      },
      (e: unknown) => {
        // Redis unreachable for long: the next sweep adds them again.
        this.#onError?.(e instanceof Error ? e : new Error(String(e)));
      },
    );
  }

  // -------------------------------------------------------------- results

  #onCompleted(jobId: string, returnvalue: unknown): void {
    if (!jobId.startsWith(this.#jobPrefix)) return; // another master's job
    const rec = this.#jobs.get(jobId);
    this.#removeLater(jobId);
    if (rec === undefined) {
      this.#stats.duplicates++;
      return;
    }
    this.#stats.jobsCompleted++;
    const r = parseResult(returnvalue, rec.entries.length);
    if (typeof r === 'string') {
      this.#failJob(
        rec,
        new Error(
          `QueueMaster: job ${jobId} came back with a malformed result (${r}); is the worker an adaptive-sampling worker of the same version?`,
        ),
      );
      return;
    }
    this.#deliver(rec, r);
  }

  #deliver(rec: JobRec<P, V>, r: ParsedResult): void {
    this.#jobs.delete(rec.id);
    this.#scheduleFlush();
    const n = rec.entries.length;
    if (r.ms >= 0) this.#batch.observe(r.ms / n);
    const errors = r.errors;
    for (let i = 0; i < n; i++) {
      const e = rec.entries[i] as Entry<P, V>;
      if (e.job !== rec) continue;
      if (e.state !== SENT) {
        if (e.state === SETTLED) this.#stats.duplicates++;
        continue;
      }
      e.state = SETTLED;
      e.job = undefined;
      rec.live--;
      this.#inFlight--;
      const err = errors?.[i];
      if (err !== undefined) e.reject(rebuildError(err));
      else e.resolve(r.values[i] as V);
    }
  }

  #onFailed(jobId: string, reason: string): void {
    if (!jobId.startsWith(this.#jobPrefix)) return;
    const rec = this.#jobs.get(jobId);
    if (rec === undefined) return;
    this.#stats.jobsFailed++;
    this.#jobs.delete(jobId);
    if (STALLED_REASON.test(reason)) {
      const live = rec.entries.filter((e) => e.state === SENT && e.job === rec);
      if (live.length > 1) {
        // The worker died on one of these points, which one is not known: each goes alone.
        this.#stats.split++;
        this.#inFlight -= live.length;
        this.#add(live.map((e) => this.#newJob([e])));
        return;
      }
      this.#failJob(
        rec,
        crashError(
          `QueueMaster: the worker evaluating this point died (job ${jobId}: ${reason}, see the workers' maxStalledCount)`,
        ),
      );
      return;
    }
    this.#failJob(rec, new Error(`QueueMaster: job ${jobId} failed on the worker: ${reason}`));
  }

  /** Rejects every live point of a job with `err`. */
  #failJob(rec: JobRec<P, V>, err: Error): void {
    this.#jobs.delete(rec.id);
    this.#scheduleFlush();
    for (const e of rec.entries) {
      if (e.state === SENT && e.job === rec) this.#settleError(e, err);
    }
  }

  #settleError(e: Entry<P, V>, err: unknown): void {
    if (e.state === SETTLED) return;
    if (e.state === SENT) this.#inFlight--;
    const rec = e.job;
    if (rec !== undefined) rec.live--;
    e.state = SETTLED;
    e.job = undefined;
    e.reject(err);
  }

  /** Removes read jobs from Redis, a batch per turn of the event loop. */
  #removeLater(id: string): void {
    this.#toRemove.push(id);
    if (this.#removing) return;
    this.#removing = true;
    setImmediate(() => {
      this.#removing = false;
      const queue = this.#queue;
      if (queue === undefined) return; // released: nothing to remove with
      const ids = this.#toRemove;
      this.#toRemove = [];
      for (const jobId of ids) queue.remove(jobId).catch(() => 0);
    });
  }

  // ---------------------------------------------------------------- aborts

  #listen(signal: AbortSignal): void {
    if (this.#watched.has(signal)) return;
    this.#watched.add(signal);
    signal.addEventListener('abort', () => this.#onAbort(signal), { once: true });
  }

  /** Rejects every point of `signal`; jobs left without points leave the queue if they can. */
  #onAbort(signal: AbortSignal): void {
    if (this.#closed) return;
    const err = () => abortError('QueueMaster: evaluation aborted', signal.reason);
    for (const e of this.#buffer) if (e.signal === signal) this.#settleError(e, err());
    const drop: string[] = [];
    for (const rec of this.#jobs.values()) {
      for (const e of rec.entries) {
        if (e.signal === signal && e.state === SENT && e.job === rec) this.#settleError(e, err());
      }
      if (rec.live === 0) drop.push(rec.id);
    }
    const queue = this.#queue;
    if (drop.length > 0) this.#scheduleFlush();
    for (const id of drop) {
      this.#jobs.delete(id);
      // Removes it if no worker holds it (a running job is locked: its result is ignored).
      queue?.remove(id).catch(() => 0);
    }
  }

  // ---------------------------------------------------------------- sweeps

  /** Sweeps now, or again after the running sweep; `all` checks every job in flight. */
  #requestSweep(all: boolean): void {
    if (this.#closed || this.#queue === undefined) return;
    if (this.#sweeping !== undefined) {
      if (all) this.#sweepAgain = true;
      return;
    }
    this.#sweeping = this.#sweep(all)
      .catch((e: unknown) => this.#onError?.(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        this.#sweeping = undefined;
        if (this.#sweepAgain) {
          this.#sweepAgain = false;
          this.#requestSweep(true);
        }
      });
  }

  /**
   * Asks Redis about the jobs in flight (older than `sweepMs`, or all): a job it does not know
   * is added again; one that finished while its event was missed is read.
   */
  async #sweep(all: boolean): Promise<void> {
    const queue = this.#queue as Queue;
    this.#stats.sweeps++;
    const now = Date.now();
    const recs = [...this.#jobs.values()].filter(
      (r) => all || !r.added || now - r.sentAt >= this.sweepMs,
    );
    if (recs.length === 0) return;
    const states = await Promise.all(recs.map((r) => queue.getJobState(r.id)));
    const lost: JobRec<P, V>[] = [];
    const finished: [JobRec<P, V>, string][] = [];
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i] as JobRec<P, V>;
      if (this.#jobs.get(r.id) !== r) continue; // answered meanwhile
      const s = states[i] as string;
      if (s === 'unknown') lost.push(r);
      else if (s === 'completed' || s === 'failed') finished.push([r, s]);
    }
    if (this.#closed) return;
    this.#stats.resubmitted += lost.length;
    this.#add(lost);
    for (const [r, s] of finished) {
      const job = (await queue.getJob(r.id)) as Job | undefined;
      if (this.#jobs.get(r.id) !== r || this.#closed) continue;
      if (job === undefined) {
        this.#stats.resubmitted++;
        this.#add([r]);
      } else if (s === 'failed') {
        this.#stats.recovered++;
        this.#onFailed(r.id, job.failedReason ?? 'unknown reason');
      } else {
        this.#stats.recovered++;
        this.#onCompleted(r.id, job.returnvalue);
      }
    }
  }
}

/** Plain connection options (for a URL, `{ url }`) to give BullMQ its own connection. */
function connectionOptions(c: QueueConnection): Record<string, unknown> {
  if (typeof c === 'string') return { url: c };
  if (isRedisInstance(c)) return { ...c.options };
  return { ...(c as Record<string, unknown>) };
}
