/**
 * WorkerPoolMaster: evaluates points on worker threads, for CPU-bound functions.
 *
 * Design:
 * - One worker thread per "lane" (worker-thread.ts), so the pool can grow and shrink one
 *   thread at a time (TaskMaster.jl's captureslave!/releaseslave!): a released lane takes no
 *   new batch, finishes the ones it has, then closes. No point is lost.
 * - Points wait in a queue here and leave in batches: a free lane takes up to the current
 *   batch size of them in one message. The batch size adapts to the measured time per point
 *   (about {@link TARGET_BATCH_MS} of work per message, at most `batchSize`), so a 1 µs
 *   function is not drowned in message passing and a slow one goes one point at a time.
 * - Each thread holds the batch it runs and the next one (prefetch, for points under
 *   {@link PREFETCH_MAX_MS}): it never waits for a round trip to the main thread.
 * - Each point's value or error comes back separately. A worker that dies (process.exit, an
 *   uncaught error, out of memory) or overruns `timeoutMs` fails only the point it was
 *   evaluating (read from a SharedArrayBuffer the worker updates); the other points of its
 *   batch go back to the queue and are evaluated again, on a fresh worker or another lane.
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkOptionKeys, describe, errorText, optionalPositiveInteger } from '../util/validate.js';
import { AdaptiveBatchSize } from './batch-size.js';
import { rebuildError } from './errors.js';
import { functionModule } from './fn-source.js';
import { abortError, kSubmit, type Master, type ResultSink } from './types.js';
import {
  type BatchResult,
  type BatchTask,
  PROGRESS_BATCH,
  PROGRESS_LENGTH,
  PROGRESS_OFFSET,
  PROGRESS_STARTED,
} from './worker-protocol.js';
import { WorkerThread } from './worker-thread.js';

/**
 * Wanted milliseconds of work per message when the batch size adapts. A message costs a
 * thread 0.05–0.3 ms on a quiet machine: 4 ms keeps that to a few percent, e.g. a 1 ms
 * function goes 3–4 points a message rather than 1. (Growing it further when the threads
 * lose time between batches was tried and measured worse on a loaded machine: a thread that
 * never pauses is preempted inside the function instead.)
 * @example
 * // a function of 10 µs a point goes 400 points a message (at most batchSize)
 * Math.floor(TARGET_BATCH_MS / 0.01); // 400
 */
export const TARGET_BATCH_MS = 4;
/**
 * Milliseconds a running batch whose points were all aborted may go on (a cheap batch
 * finishes, and its worker is kept) before its worker is terminated.
 * @example
 * ABORT_GRACE_MS; // 100
 */
export const ABORT_GRACE_MS = 100;
/**
 * Milliseconds of work per batch below which each thread gets its next batch before it
 * finishes the current one (prefetch). A round trip costs the thread 0.05–0.3 ms of idling;
 * past this a queued batch would pay less than it costs the learner (points asked with less
 * information).
 * @example
 * // 1 ms points: a thread has one batch running and the next one waiting in it
 * PREFETCH_MAX_MS; // 30
 */
export const PREFETCH_MAX_MS = 30;
const DEFAULT_BATCH_SIZE = 256;

/**
 * Options of {@link WorkerPoolMaster}: the function as `module` (and `exportName`) or as
 * `fn`, one of the two.
 * @example
 * { module: new URL('./f.js', import.meta.url), exportName: 'f', threads: 4, timeoutMs: 60_000 }
 * { fn: (x, ctx) => Math.sin(ctx.a * x) ** 2, context: { a: 3 }, threads: 2 }
 */
export interface WorkerPoolMasterOptions {
  /**
   * The ES module whose export is the function: a `URL` (`file:` or `data:`), a URL string,
   * or a file path (relative paths are resolved against the current directory). A `.ts`
   * module runs through tsx (`--import tsx`), which must then be installed.
   */
  module?: string | URL | undefined;
  /** The export to call (default `'default'`). The function gets one point, returns a value or a promise. */
  exportName?: string | undefined;
  /**
   * The function itself, when it is self-contained: its source is sent to the threads
   * (`(x) => Math.sin(x) ** 2`). One that uses a variable from its surroundings is refused
   * at once, with an error naming the variable: pass such values as `context`, or use
   * `module`. Globals every thread has (`Math`, typed arrays, `console`, `performance`,
   * dynamic `import()` of packages by absolute URL or `node:` builtins) are fine.
   */
  fn?: ((point: never, context: never) => unknown) | undefined;
  /**
   * A value each thread gets once (structured-cloned) and passes to the function as its
   * second argument: `fn(point, context)` (also for `module`).
   */
  context?: unknown;
  /** Worker threads (default `os.availableParallelism()`); see {@link WorkerPoolMaster.resize}. */
  threads?: number | undefined;
  /**
   * Most points per message (default 256). The batch size adapts below it to the measured
   * time per point; `1` sends every point on its own.
   */
  batchSize?: number | undefined;
  /**
   * Milliseconds one point may take (default: no limit). A point over it fails with a
   * `TimeoutError` and its worker is terminated and replaced.
   */
  timeoutMs?: number | undefined;
  /** Node options of the workers (default: this process's, plus `--import tsx` when needed). */
  execArgv?: readonly string[] | undefined;
  /** Memory limits of each worker; a worker over them dies and fails its point. */
  resourceLimits?: ResourceLimits | undefined;
}

/**
 * Memory limits of a worker, as `node:worker_threads`' `ResourceLimits` (declared here so
 * that the published types need no `@types/node`).
 * @example
 * { maxOldGenerationSizeMb: 512 }
 */
export interface ResourceLimits {
  /** The main heap's largest size, MB. */
  maxOldGenerationSizeMb?: number | undefined;
  /** The heap space for recently created objects, MB. */
  maxYoungGenerationSizeMb?: number | undefined;
  /** The code range, MB. */
  codeRangeSizeMb?: number | undefined;
  /** The thread's stack size, MB (default 4). */
  stackSizeMb?: number | undefined;
}

/**
 * Counters of a {@link WorkerPoolMaster}, for monitoring and tests.
 * @example
 * { threads: 2, liveWorkers: 2, queued: 0, inFlight: 512, batchSize: 256, evaluated: 100000, busyMs: 410.5, gapMs: 3.2, crashes: 1, timeouts: 0, workersStarted: 3, workersExited: 1 }
 */
export interface WorkerPoolStats {
  /** Lanes taking new work (the `threads` asked for). */
  threads: number;
  /** Worker threads alive now, retiring lanes included. */
  liveWorkers: number;
  /** Points waiting for a free lane. */
  queued: number;
  /** Points sent to workers and not yet answered. */
  inFlight: number;
  /** The current adaptive batch size. */
  batchSize: number;
  /** Points answered (with a value or an error). */
  evaluated: number;
  /**
   * Milliseconds the threads spent inside the function (summed over threads; batches whose
   * worker died not counted). Divided by `threads ×` the wall time: how busy the threads were.
   */
  busyMs: number;
  /**
   * Milliseconds the threads spent between two of their batches (passing answers and
   * batches, or waiting for one; idle time between runs included), summed over threads.
   */
  gapMs: number;
  /** Batches whose worker died. */
  crashes: number;
  /** Points that overran `timeoutMs`. */
  timeouts: number;
  /** Workers started (replacements included). */
  workersStarted: number;
  /** Workers that exited or were terminated. */
  workersExited: number;
}

const QUEUED = 0;
const SENT = 1;
const SETTLED = 2;

/**
 * A point waiting for its value: settled through its promise's `resolve`/`reject`
 * ({@link WorkerPoolMaster.evaluate}) or through a runner's sink ({@link kSubmit}: no promise
 * and no closure per point).
 */
class Entry<P, V> {
  state = QUEUED;
  constructor(
    readonly point: P,
    readonly resolve: ((v: V) => void) | undefined,
    readonly reject: ((e: unknown) => void) | undefined,
    readonly signal: AbortSignal | undefined,
    readonly sink: ResultSink<P> | undefined,
    readonly tag: number,
    readonly t0: number,
  ) {}
}

/** Settles `e` with its value. */
function fulfil<P, V>(e: Entry<P, V>, v: V): void {
  e.state = SETTLED;
  if (e.sink !== undefined) e.sink.arrive(e.point, v, false, e.tag, e.t0);
  else (e.resolve as (v: V) => void)(v);
}

/** Settles `e` with an error. */
function reject<P, V>(e: Entry<P, V>, err: unknown): void {
  e.state = SETTLED;
  if (e.sink !== undefined) e.sink.arrive(e.point, err, true, e.tag, e.t0);
  else (e.reject as (e: unknown) => void)(err);
}

interface Batch<P, V> {
  id: number;
  lane: Lane<P, V>;
  entries: Entry<P, V>[];
  /** Entries still waiting for this batch's answer. */
  live: number;
  /** `Date.now()` when sent (timed pools), else -1. */
  t0: number;
  /** Index of the point that overran `timeoutMs`, or -1. */
  timedOut: number;
  grace: ReturnType<typeof setTimeout> | undefined;
}

interface Lane<P, V> {
  thread: WorkerThread;
  progress: Int32Array;
  batches: Batch<P, V>[];
  retiring: boolean;
  closed: Promise<void> | undefined;
  /** While released with batches left: resolves when the lane has closed (or was taken back). */
  idle: Promise<void> | undefined;
  onIdle: (() => void) | undefined;
  /** Id of the batch that was running when this lane's worker last died, or 0. */
  diedRunning: number;
}

/**
 * The error a point fails with when its worker died while evaluating it (`name`
 * `'WorkerCrashError'`, the runner reports `kind: 'crash'`).
 */
function crashError(message: string, cause: unknown): Error {
  const e = new Error(message, { cause });
  e.name = 'WorkerCrashError';
  return e;
}

/** Resolves the `module` option to a URL string, checking that a file exists. */
function moduleUrl(m: unknown): string {
  let url: URL;
  if (m instanceof URL) {
    url = m;
  } else if (typeof m === 'string' && m !== '') {
    // A scheme (file:, data:, ...), but not a Windows drive letter.
    url =
      /^[a-z][a-z0-9+.-]+:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)
        ? new URL(m)
        : pathToFileURL(resolvePath(m));
  } else {
    throw new TypeError(
      `WorkerPoolMaster: module must be a file path or a URL of an ES module, got ${describe(m)}`,
    );
  }
  if (url.protocol === 'file:') {
    const path = fileURLToPath(url);
    if (!existsSync(path)) {
      throw new Error(
        `WorkerPoolMaster: module not found: ${path}${typeof m === 'string' && !m.includes(':') ? ` (from '${m}', resolved against ${process.cwd()})` : ''}`,
      );
    }
  }
  return url.href;
}

const TS_FILE = /\.[cm]?tsx?$/i;

function hasTsx(execArgv: readonly string[]): boolean {
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i] as string;
    if (/^--(import|loader|experimental-loader|require)(=|$)/.test(a)) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (execArgv[i + 1] ?? '');
      if (/(^|[\\/])tsx([\\/]|$)/.test(v) || v === 'tsx') return true;
    }
    if (a === '-r' && /tsx/.test(execArgv[i + 1] ?? '')) return true;
  }
  return false;
}

const here = import.meta.url;
/** The worker entry next to this file: compiled `.js`, or `.ts` when run from the sources. */
const ENTRY = new URL(here.endsWith('.ts') ? './worker-entry.ts' : './worker-entry.js', here);

/** The workers' execArgv: the given one, or this process's plus `--import tsx` when a TypeScript file must load. */
function workerExecArgv(
  given: readonly string[] | undefined,
  module: string,
): string[] | undefined {
  if (given !== undefined) {
    if (!Array.isArray(given) || given.some((a) => typeof a !== 'string')) {
      throw new TypeError(
        `WorkerPoolMaster: execArgv must be an array of strings, got ${describe(given)}`,
      );
    }
    return [...given];
  }
  const needsTsx = ENTRY.pathname.endsWith('.ts') || TS_FILE.test(new URL(module).pathname);
  if (!needsTsx || hasTsx(process.execArgv)) return undefined;
  try {
    createRequire(join(process.cwd(), 'noop.js')).resolve('tsx');
  } catch {
    throw new Error(
      `WorkerPoolMaster: ${module} is TypeScript and needs tsx in the workers, which is not installed here; install it (npm i -D tsx), point module to compiled JavaScript, or pass execArgv`,
    );
  }
  return [...process.execArgv, '--import', 'tsx'];
}

const LIMIT_KEYS = [
  'maxOldGenerationSizeMb',
  'maxYoungGenerationSizeMb',
  'codeRangeSizeMb',
  'stackSizeMb',
] as const;

/** The `resourceLimits` option checked: known keys, each a positive number of MB. */
function resourceLimits(r: unknown): ResourceLimits | undefined {
  if (r === undefined) return undefined;
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    throw new TypeError(
      `WorkerPoolMaster: resourceLimits must be an object such as { maxOldGenerationSizeMb: 512 }, got ${describe(r)}`,
    );
  }
  checkOptionKeys('WorkerPoolMaster: resourceLimits', r, LIMIT_KEYS);
  for (const [k, v] of Object.entries(r)) {
    if (v !== undefined && (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))) {
      throw new RangeError(
        `WorkerPoolMaster: resourceLimits.${k} must be a positive number of MB, got ${describe(v)}`,
      );
    }
  }
  return { ...(r as ResourceLimits) };
}

const OPTION_KEYS = [
  'module',
  'exportName',
  'fn',
  'context',
  'threads',
  'batchSize',
  'timeoutMs',
  'execArgv',
  'resourceLimits',
] as const;

let nextBatchId = 0;

/**
 * A {@link Master} that evaluates an exported function of an ES module on worker threads,
 * one per lane. Points are batched per message (the batch size adapts to the function's
 * cost), every point's value or error comes back on its own, a worker that crashes or
 * overruns `timeoutMs` fails only the point it was evaluating, and the pool can be resized
 * while it runs. `concurrency` reports how many points it wants in flight: `threads` for a
 * slow function, `threads × 2 × batch size` for a fast one (the runner re-reads it).
 *
 * Functions cannot cross threads, so the function is named by module and export
 * (python-adaptive's pickling problem, #206/#442, solved by reference). Use
 * {@link InlineMaster} for a function that cannot move.
 *
 * @example
 * // f.js: export default (x) => Math.sin(x) ** 2;
 * await using pool = new WorkerPoolMaster({ module: new URL('./f.js', import.meta.url), threads: 4 });
 * await pool.evaluate(0.5); // 0.2298488470659301
 * await run(new Learner1D({ bounds: [0, 10] }), pool, { lossGoal: 0.01 });
 */
export class WorkerPoolMaster<P = unknown, V = unknown> implements Master<P, V> {
  /** The module's URL (a `data:` URL of the function's source for `fn`). */
  readonly module: string;
  /** The export called. */
  readonly exportName: string;
  /** Most points per message. */
  readonly maxBatchSize: number;
  /** Milliseconds one point may take, or `undefined`. */
  readonly timeoutMs: number | undefined;

  readonly #hasContext: boolean;
  readonly #context: unknown;
  readonly #execArgv: string[] | undefined;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #lanes: Lane<P, V>[] = [];
  #active = 0;
  #queue: Entry<P, V>[] = [];
  #head = 0;
  /** Points of crashed batches, sent before the queue. */
  #retry: Entry<P, V>[] = [];
  #scheduled = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #lastSignal: AbortSignal | undefined;
  readonly #watched = new WeakSet<AbortSignal>();
  readonly #batch: AdaptiveBatchSize;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #inFlight = 0;
  #evaluated = 0;
  #busyMs = 0;
  #gapMs = 0;
  #crashes = 0;
  #timeouts = 0;
  #started = 0;
  #exited = 0;

  readonly #dispatchTask = (): void => {
    this.#scheduled = false;
    this.#dispatch();
  };
  readonly #watchTask = (): void => {
    this.#watchdog = undefined;
    this.#checkTimeouts();
  };

  constructor(options: WorkerPoolMasterOptions) {
    checkOptionKeys('WorkerPoolMaster', options, OPTION_KEYS);
    const o = options as WorkerPoolMasterOptions;
    if (o.fn !== undefined) {
      if (o.module !== undefined || o.exportName !== undefined) {
        throw new TypeError(
          'WorkerPoolMaster: pass either fn or module (with exportName), not both',
        );
      }
      this.module = functionModule(o.fn, 'WorkerPoolMaster');
    } else if (o.module === undefined) {
      throw new TypeError(
        'WorkerPoolMaster: pass the function: fn (a self-contained function, e.g. (x) => Math.sin(x) ** 2) or module (an ES module file and its exportName)',
      );
    } else {
      this.module = moduleUrl(o.module);
    }
    this.#hasContext = 'context' in o && o.context !== undefined;
    if (this.#hasContext) {
      try {
        structuredClone(o.context);
      } catch (e) {
        throw new TypeError(
          `WorkerPoolMaster: context must be a value that can be sent to a thread (structured clone: plain data, arrays, typed arrays, Map, Set; no functions or class instances with methods): ${errorText(e)}`,
        );
      }
      this.#context = o.context;
    }
    const name = o.exportName ?? 'default';
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(
        `WorkerPoolMaster: exportName must be a non-empty string, got ${describe(name)}`,
      );
    }
    this.exportName = name;
    const threads =
      optionalPositiveInteger('WorkerPoolMaster', 'threads', o.threads) ?? availableParallelism();
    this.maxBatchSize =
      optionalPositiveInteger('WorkerPoolMaster', 'batchSize', o.batchSize) ?? DEFAULT_BATCH_SIZE;
    this.#batch = new AdaptiveBatchSize(this.maxBatchSize, TARGET_BATCH_MS);
    const t = o.timeoutMs;
    if (t !== undefined && (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t))) {
      throw new RangeError(
        `WorkerPoolMaster: timeoutMs must be a positive number of milliseconds, got ${describe(t)}`,
      );
    }
    this.timeoutMs = t;
    this.#execArgv = workerExecArgv(o.execArgv, this.module);
    this.#resourceLimits = resourceLimits(o.resourceLimits);
    try {
      for (let i = 0; i < threads; i++) this.#lanes.push(this.#newLane());
    } catch (e) {
      // No worker of a pool that failed to be made may keep the process alive.
      for (const lane of this.#lanes) void lane.thread.destroy();
      throw new Error(
        `WorkerPoolMaster: cannot start a worker thread (${errorText(e)}); check execArgv and resourceLimits`,
        { cause: e },
      );
    }
    this.#active = threads;
  }

  /**
   * Points it wants in flight: `threads` at first and while points are slow (one per
   * message), `threads × 2 × batch size` once a batch is measured to take less than
   * {@link PREFETCH_MAX_MS} (each thread has its next batch before it finishes the current
   * one). Changes as the batch size adapts and on {@link WorkerPoolMaster.resize}.
   */
  get concurrency(): number {
    return this.#active * this.#depth() * this.#batch.size;
  }

  /**
   * Batches each thread holds: 2 (one running, the next waiting in the thread, so no round
   * trip idles it) once the function is measured to be cheaper than {@link PREFETCH_MAX_MS}
   * a batch, else 1 (slow points: more in flight would only blunt the learner).
   */
  #depth(): number {
    const m = this.#batch.msPerPoint;
    return m >= 0 && m * this.#batch.size < PREFETCH_MAX_MS ? 2 : 1;
  }

  /** Threads taking new work. */
  get threads(): number {
    return this.#active;
  }

  /** The current adaptive batch size (1 up to `maxBatchSize`). */
  get batchSize(): number {
    return this.#batch.size;
  }

  /** Whether {@link WorkerPoolMaster.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Counters: threads, live workers, queued and in-flight points, crashes, timeouts. */
  get stats(): WorkerPoolStats {
    let live = 0;
    for (const lane of this.#lanes) live += lane.thread.live;
    return {
      threads: this.#active,
      liveWorkers: live,
      queued: this.#queued(),
      inFlight: this.#inFlight,
      batchSize: this.#batch.size,
      evaluated: this.#evaluated,
      busyMs: this.#busyMs,
      gapMs: this.#gapMs,
      crashes: this.#crashes,
      timeouts: this.#timeouts,
      workersStarted: this.#started,
      workersExited: this.#exited,
    };
  }

  /**
   * Evaluates one point on a worker. Rejects with the function's error (same class for
   * built-in errors, same message and stack), a `WorkerCrashError` when the worker died
   * evaluating it, a `TimeoutError` past `timeoutMs`, an `AbortError` when `signal` aborts
   * first, or an Error after `close()`. O(1) amortised; the point leaves in the next batch.
   */
  evaluate(point: P, signal?: AbortSignal): Promise<V> {
    if (this.#closed) {
      return Promise.reject(new Error('WorkerPoolMaster: evaluate() called after close()'));
    }
    if (signal !== undefined) {
      if (signal.aborted) {
        return Promise.reject(abortError('WorkerPoolMaster: evaluation aborted', signal.reason));
      }
      if (signal !== this.#lastSignal) this.#listen(signal);
    }
    return new Promise<V>((resolve, reject) => {
      this.#enqueue(new Entry(point, resolve, reject, signal, undefined, 0, 0));
    });
  }

  /** The runner's fast path (see {@link kSubmit}): {@link WorkerPoolMaster.evaluate} without a promise. */
  [kSubmit](
    point: P,
    signal: AbortSignal | undefined,
    sink: ResultSink<P>,
    tag: number,
    t0: number,
  ): void {
    const e = new Entry<P, V>(point, undefined, undefined, signal, sink, tag, t0);
    if (this.#closed || signal?.aborted) {
      // As evaluate's rejected promise: reported in a later microtask, never inside this call.
      const err = this.#closed
        ? new Error('WorkerPoolMaster: evaluate() called after close()')
        : abortError('WorkerPoolMaster: evaluation aborted', (signal as AbortSignal).reason);
      queueMicrotask(() => reject(e, err));
      return;
    }
    if (signal !== undefined && signal !== this.#lastSignal) this.#listen(signal);
    this.#enqueue(e);
  }

  #enqueue(e: Entry<P, V>): void {
    this.#queue.push(e);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#dispatchTask);
    }
  }

  /**
   * Grows or shrinks the pool to `threads` worker threads while it runs. New threads take
   * work at once; released ones take no new batch, finish theirs, then exit (no point is
   * lost). Resolves when the released threads have exited.
   *
   * @example
   * await pool.resize(8); // captureslave! ×4
   * await pool.resize(2); // releaseslave! ×6
   */
  resize(threads: number): Promise<void> {
    const n = optionalPositiveInteger('WorkerPoolMaster.resize', 'threads', threads);
    if (n === undefined) {
      throw new TypeError(
        'WorkerPoolMaster.resize: threads must be a positive integer, got undefined',
      );
    }
    if (this.#closed) return Promise.reject(new Error('WorkerPoolMaster: resize() after close()'));
    // Grow: take back lanes being released first, then start new ones.
    for (const lane of this.#lanes) {
      if (this.#active >= n) break;
      if (lane.retiring && lane.closed === undefined) {
        lane.retiring = false;
        this.#active++;
        lane.onIdle?.();
        lane.idle = lane.onIdle = undefined;
      }
    }
    while (this.#active < n) {
      this.#lanes.push(this.#newLane());
      this.#active++;
    }
    // Shrink: release the least busy lanes.
    const closing: Promise<void>[] = [];
    while (this.#active > n) {
      let best: Lane<P, V> | undefined;
      for (const lane of this.#lanes) {
        if (!lane.retiring && (best === undefined || lane.batches.length < best.batches.length)) {
          best = lane;
        }
      }
      const lane = best as Lane<P, V>;
      lane.retiring = true;
      this.#active--;
      if (lane.batches.length === 0) {
        closing.push(this.#closeLane(lane));
        this.#lanes.splice(this.#lanes.indexOf(lane), 1);
      }
    }
    for (const lane of this.#lanes) {
      if (lane.retiring && lane.closed === undefined) {
        if (lane.idle === undefined) {
          lane.idle = new Promise<void>((resolve) => {
            lane.onIdle = resolve;
          });
        }
        closing.push(lane.idle);
      }
    }
    this.#schedule();
    return Promise.all(closing).then(() => undefined);
  }

  /**
   * Loads the module in every thread (an empty batch each); rejects with the load error
   * (module not found, no such export). Optional: the first batch loads it otherwise.
   *
   * @example
   * await pool.warmup(); // throws now rather than at the first point if exportName is wrong
   */
  async warmup(): Promise<void> {
    if (this.#closed) throw new Error('WorkerPoolMaster: warmup() after close()');
    await Promise.all(
      this.#lanes
        .filter((lane) => !lane.retiring)
        .map((lane) => {
          const task: BatchTask = {
            module: this.module,
            exportName: this.exportName,
            id: 0,
            points: [],
            t0: -1,
          };
          return lane.thread.run(task);
        }),
    );
  }

  /**
   * Terminates every worker. Queued and in-flight evaluations reject; later calls reject.
   * Idempotent; resolves when every worker has exited.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    const err = () => new Error('WorkerPoolMaster: closed before the evaluation finished');
    for (const e of this.#takeAll()) reject(e, err());
    if (this.#watchdog !== undefined) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    this.#closing = Promise.all(this.#lanes.map((lane) => this.#closeLane(lane))).then(
      () => undefined,
    );
    return this.#closing;
  }

  /** Same as {@link WorkerPoolMaster.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ------------------------------------------------------------------ lanes

  #newLane(): Lane<P, V> {
    const sab = new SharedArrayBuffer(PROGRESS_LENGTH * 4);
    // The lane sends its worker at most two batches, the running one and the next
    // (`#dispatch`), which the worker runs one after the other (worker-entry.ts).
    const thread = new WorkerThread({
      entry: ENTRY,
      workerData: this.#hasContext ? { progress: sab, context: this.#context } : { progress: sab },
      execArgv: this.#execArgv,
      resourceLimits: this.#resourceLimits,
      onCreate: () => {
        this.#started++;
      },
      onExit: () => {
        this.#exited++;
      },
    });
    return {
      thread,
      progress: new Int32Array(sab),
      batches: [],
      retiring: false,
      closed: undefined,
      idle: undefined,
      onIdle: undefined,
      diedRunning: 0,
    };
  }

  #closeLane(lane: Lane<P, V>): Promise<void> {
    if (lane.closed === undefined) lane.closed = lane.thread.destroy();
    return lane.closed;
  }

  // --------------------------------------------------------------- the queue

  #queued(): number {
    return this.#retry.length + this.#queue.length - this.#head;
  }

  #takeAll(): Entry<P, V>[] {
    const out = this.#retry;
    for (let i = this.#head; i < this.#queue.length; i++) out.push(this.#queue[i] as Entry<P, V>);
    this.#retry = [];
    this.#queue = [];
    this.#head = 0;
    return out;
  }

  #take(n: number): Entry<P, V>[] {
    const out: Entry<P, V>[] = [];
    while (out.length < n && this.#retry.length > 0) out.push(this.#retry.shift() as Entry<P, V>);
    const q = this.#queue;
    while (out.length < n && this.#head < q.length) {
      out.push(q[this.#head] as Entry<P, V>);
      q[this.#head++] = undefined as unknown as Entry<P, V>;
    }
    if (this.#head === q.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > q.length) {
      this.#queue = q.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  #schedule(): void {
    if (!this.#scheduled && !this.#closed) {
      this.#scheduled = true;
      queueMicrotask(this.#dispatchTask);
    }
  }

  /** Sends queued points to lanes with room: at most `depth` batches per lane, points spread evenly. */
  #dispatch(): void {
    if (this.#closed) return;
    let queued = this.#queued();
    if (queued === 0) return;
    const depth = this.#depth();
    let free = 0;
    for (const lane of this.#lanes) {
      if (!lane.retiring) free += Math.max(0, depth - lane.batches.length);
    }
    while (queued > 0 && free > 0) {
      let best: Lane<P, V> | undefined;
      for (const lane of this.#lanes) {
        if (
          !lane.retiring &&
          lane.batches.length < depth &&
          (best === undefined || lane.batches.length < best.batches.length)
        ) {
          best = lane;
        }
      }
      if (best === undefined) break;
      const n = Math.min(this.#batch.size, Math.ceil(queued / free));
      this.#send(best, this.#take(n));
      queued -= n;
      free--;
    }
  }

  #send(lane: Lane<P, V>, entries: Entry<P, V>[]): void {
    nextBatchId = nextBatchId >= 0x7ffffffe ? 1 : nextBatchId + 1;
    const n = entries.length;
    const points = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const e = entries[i] as Entry<P, V>;
      e.state = SENT;
      points[i] = e.point;
    }
    const timed = this.timeoutMs !== undefined;
    const batch: Batch<P, V> = {
      id: nextBatchId,
      lane,
      entries,
      live: n,
      t0: timed ? Date.now() : -1,
      timedOut: -1,
      grace: undefined,
    };
    lane.batches.push(batch);
    this.#inFlight += n;
    const task: BatchTask = {
      module: this.module,
      exportName: this.exportName,
      id: batch.id,
      points,
      t0: batch.t0,
    };
    lane.thread.run(task).then(
      (r: BatchResult) => this.#onResult(batch, r),
      (e: unknown) => this.#onFailure(batch, e),
    );
    if (timed && this.#watchdog === undefined) this.#armWatchdog();
  }

  /** Removes a finished batch from its lane; closes a released lane once idle. */
  #detach(batch: Batch<P, V>): void {
    const lane = batch.lane;
    const at = lane.batches.indexOf(batch);
    if (at >= 0) lane.batches.splice(at, 1);
    if (batch.grace !== undefined) clearTimeout(batch.grace);
    this.#inFlight -= batch.entries.length;
    if (lane.retiring && lane.batches.length === 0 && lane.closed === undefined) {
      const done = this.#closeLane(lane);
      const i = this.#lanes.indexOf(lane);
      if (i >= 0) this.#lanes.splice(i, 1);
      const onIdle = lane.onIdle;
      if (onIdle !== undefined) done.then(onIdle, onIdle);
      lane.onIdle = undefined;
    }
    this.#schedule();
  }

  #onResult(batch: Batch<P, V>, r: BatchResult): void {
    this.#detach(batch);
    const entries = batch.entries;
    const n = entries.length;
    this.#evaluated += n;
    if (n > 0 && r.ms >= 0) {
      this.#busyMs += r.ms;
      if (typeof r.gap === 'number' && r.gap >= 0) this.#gapMs += r.gap;
      this.#batch.observe(r.ms / n);
    }
    const errors = r.errors;
    const values = r.values;
    for (let i = 0; i < n; i++) {
      const e = entries[i] as Entry<P, V>;
      if (e.state !== SENT) continue;
      const err = errors?.[i];
      if (err !== undefined) reject(e, rebuildError(err));
      else fulfil(e, values[i] as V);
    }
    this.#schedule();
  }

  #onFailure(batch: Batch<P, V>, e: unknown): void {
    const lane = batch.lane;
    const runningId = Atomics.load(lane.progress, PROGRESS_BATCH);
    // A batch waiting in a worker that died (or was terminated) running another batch
    // did not cause it: its points are evaluated again.
    const bystander =
      runningId !== batch.id &&
      runningId !== 0 &&
      (runningId === lane.diedRunning || lane.batches.some((b) => b.id === runningId));
    if (runningId === batch.id) lane.diedRunning = runningId;
    this.#detach(batch);
    if (batch.live === 0) return; // every point was aborted: nobody waits
    const entries = batch.entries;
    const fail = (err: Error) => {
      for (const x of entries) if (x.state === SENT) reject(x, err);
    };
    if (this.#closed) {
      fail(new Error('WorkerPoolMaster: closed before the evaluation finished'));
      return;
    }
    if (bystander && batch.timedOut < 0 && !errorText(e).startsWith('WorkerPoolMaster:')) {
      for (const x of entries) {
        if (x.state !== SENT) continue;
        x.state = QUEUED;
        this.#retry.push(x);
      }
      this.#schedule();
      return;
    }
    let culprit = -1;
    let err: Error;
    if (batch.timedOut >= 0) {
      culprit = batch.timedOut;
      this.#timeouts++;
      const ms = this.timeoutMs as number;
      err = new Error(
        `WorkerPoolMaster: the evaluation took longer than timeoutMs = ${ms} ms; its worker was terminated`,
      );
      err.name = 'TimeoutError';
    } else if (errorText(e).startsWith('WorkerPoolMaster:')) {
      // The entry's own error (the module could not be loaded): every point fails with it.
      fail(e instanceof Error ? e : new Error(errorText(e)));
      return;
    } else {
      this.#crashes++;
      const p = batch.lane.progress;
      const started =
        Atomics.load(p, PROGRESS_BATCH) === batch.id ? Atomics.load(p, PROGRESS_STARTED) : 0;
      if (started > 0) {
        culprit = started - 1;
        err = crashError(
          `WorkerPoolMaster: the worker died while evaluating this point (${errorText(e)})`,
          e,
        );
      } else {
        fail(
          crashError(
            `WorkerPoolMaster: the worker died before evaluating any point of its batch (${errorText(e)})`,
            e,
          ),
        );
        return;
      }
    }
    // The culprit fails; the other points of the batch are evaluated again.
    for (let i = 0; i < entries.length; i++) {
      const x = entries[i] as Entry<P, V>;
      if (x.state !== SENT) continue;
      if (i === culprit) {
        reject(x, err);
      } else {
        x.state = QUEUED;
        this.#retry.push(x);
      }
    }
    this.#schedule();
  }

  // ------------------------------------------------------- aborts, timeouts

  /** Listens once to each distinct signal. */
  #listen(signal: AbortSignal): void {
    this.#lastSignal = signal;
    if (this.#watched.has(signal)) return;
    this.#watched.add(signal);
    signal.addEventListener('abort', () => this.#onAbort(signal), { once: true });
  }

  /** Rejects every point of `signal`; batches left without points are dropped. */
  #onAbort(signal: AbortSignal): void {
    if (this.#closed) return;
    const err = () => abortError('WorkerPoolMaster: evaluation aborted', signal.reason);
    const keep: Entry<P, V>[] = [];
    for (const e of this.#takeAll()) {
      if (e.signal === signal) {
        reject(e, err());
      } else {
        keep.push(e);
      }
    }
    this.#retry = keep;
    for (const lane of this.#lanes) {
      for (const b of lane.batches.slice()) {
        if (b.live === 0) continue;
        for (const e of b.entries) {
          if (e.state === SENT && e.signal === signal) {
            b.live--;
            reject(e, err());
          }
        }
        if (b.live === 0) this.#drop(b);
      }
    }
  }

  /**
   * A batch nobody waits for: one waiting in its worker behind another is left to run (it
   * is cheap: prefetch is only for batches under {@link PREFETCH_MAX_MS}, and aborting it
   * would terminate the worker under the running batch); a running one may finish for
   * {@link ABORT_GRACE_MS} (cheap batches do), then its worker is terminated.
   */
  #drop(b: Batch<P, V>): void {
    const running = Atomics.load(b.lane.progress, PROGRESS_BATCH) === b.id;
    if (!running && b.lane.batches[0] !== b) return;
    b.grace = setTimeout(() => {
      b.grace = undefined;
      b.lane.thread.cancel(b.id);
    }, ABORT_GRACE_MS);
    b.grace.unref();
  }

  #armWatchdog(): void {
    const ms = this.timeoutMs as number;
    this.#watchdog = setTimeout(this.#watchTask, Math.min(1000, Math.max(10, ms / 4)));
  }

  /** Terminates the worker of every point running for longer than `timeoutMs`. */
  #checkTimeouts(): void {
    if (this.#closed) return;
    const limit = this.timeoutMs as number;
    const now = Date.now();
    let any = false;
    for (const lane of this.#lanes) {
      const p = lane.progress;
      for (const b of lane.batches) {
        any = true;
        if (b.timedOut >= 0 || b.live === 0 || Atomics.load(p, PROGRESS_BATCH) !== b.id) continue;
        const s1 = Atomics.load(p, PROGRESS_STARTED);
        const offset = Atomics.load(p, PROGRESS_OFFSET);
        const s2 = Atomics.load(p, PROGRESS_STARTED);
        if (s1 === 0 || s1 !== s2) continue;
        if (now - (b.t0 + offset) >= limit) {
          b.timedOut = s1 - 1;
          b.lane.thread.cancel(b.id);
        }
      }
    }
    if (any) this.#armWatchdog();
  }
}
