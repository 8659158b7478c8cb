/**
 * One worker thread of a {@link WorkerPoolMaster} lane, replaced when it dies: batches go to
 * it as messages and their answers come back by batch id. Written by hand rather than
 * through piscina because this is the hot path of a parallel run: piscina's task machinery
 * (an AbortSignal, an async resource and a task object per message, its queue and balancer)
 * cost the main thread 100–250 µs a message when messages come every few milliseconds (the
 * code is cold by then), and every microsecond of the main thread is taken from a worker on
 * a machine with as many threads as cores. What piscina did for the pool is small: start a
 * worker, match answers to tasks, terminate the worker of an aborted task, and replace a
 * worker that died; the crash, timeout and retry rules stay in worker-pool.ts.
 */

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { rebuildError } from './errors.js';
import type { BatchResult, BatchTask, WorkerMessage } from './worker-protocol.js';

/**
 * How a {@link WorkerThread} starts its workers.
 * @example
 * { entry: new URL('./worker-entry.js', import.meta.url), workerData: { progress }, execArgv: undefined, resourceLimits: undefined }
 */
export interface WorkerThreadOptions {
  /** The worker's script (worker-entry), `.js`, or `.ts` when run from the sources through tsx. */
  entry: URL;
  workerData: unknown;
  execArgv: string[] | undefined;
  resourceLimits: object | undefined;
  /** Called when a worker is created. */
  onCreate: () => void;
  /** Called once for each worker, when it has exited, failed or been terminated. */
  onExit: () => void;
}

interface Task {
  id: number;
  worker: Worker;
  resolve: (r: BatchResult) => void;
  reject: (e: unknown) => void;
}

const requireHere = createRequire(import.meta.url);

/**
 * The script a worker starts from: the entry itself, or for a TypeScript entry (tests running
 * the sources) a `data:` module that requires it through tsx's CommonJS hook, registered in
 * the worker first (on Node 20 the ESM hooks of `--import tsx` do not load a worker's own
 * entry; an `eval` script would skip the execArgv's `--import`s).
 */
function workerScript(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts')) return entry;
  const path = JSON.stringify(fileURLToPath(entry));
  const boot = `import { createRequire } from 'node:module'; const require = createRequire(${path}); require(${JSON.stringify(requireHere.resolve('tsx/cjs'))}); require(${path});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/** The error of a task whose worker was terminated for another task (piscina's wording). */
function terminatingError(): Error {
  return new Error('Terminating worker thread');
}

/**
 * A worker thread that runs {@link BatchTask}s in the order they are sent and answers each.
 * A worker that dies (exit, uncaught error, out of memory) or is terminated by
 * {@link WorkerThread.cancel} fails every task it held; it is replaced at once when it had
 * started (so the lane keeps its thread), or at the next task when it never did (a worker
 * that cannot start is not restarted in a loop).
 *
 * @example
 * const t = new WorkerThread({ entry, workerData, execArgv: undefined, resourceLimits: undefined, onCreate() {}, onExit() {} });
 * const r = await t.run({ module, exportName: 'default', id: 1, points: [2], t0: -1 });
 * await t.destroy();
 */
export class WorkerThread {
  readonly #options: WorkerThreadOptions;
  #worker: Worker | undefined;
  /** Whether the current worker said it is ready (its script loaded). */
  #ready = false;
  readonly #tasks = new Map<number, Task>();
  #destroyed: Promise<void> | undefined;

  constructor(options: WorkerThreadOptions) {
    this.#options = options;
    this.#spawn();
  }

  /** 1 while a worker is alive (starting or running), else 0. */
  get live(): number {
    return this.#worker === undefined ? 0 : 1;
  }

  /**
   * Sends `task` to the worker (started first when there is none); resolves with its answer,
   * rejects when the worker fails or is terminated, or with the task's own error (the module
   * could not be loaded).
   */
  run(task: BatchTask): Promise<BatchResult> {
    if (this.#destroyed !== undefined) return Promise.reject(terminatingError());
    let worker = this.#worker;
    if (worker === undefined) {
      try {
        worker = this.#spawn();
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const w = worker;
    return new Promise<BatchResult>((resolve, reject) => {
      this.#tasks.set(task.id, { id: task.id, worker: w, resolve, reject });
      w.postMessage(task);
    });
  }

  /**
   * Terminates the worker holding task `id` (a timeout, or an abandoned batch): that task
   * rejects with an `AbortError`, the others it held with "Terminating worker thread".
   * Nothing happens when the task has already been answered.
   */
  cancel(id: number): void {
    const t = this.#tasks.get(id);
    if (t === undefined) return;
    const abort = new Error('The task has been aborted');
    abort.name = 'AbortError';
    this.#lose(t.worker, (task) => (task.id === id ? abort : terminatingError()), true);
    void t.worker.terminate();
  }

  /** Terminates the worker; every task it held rejects. Idempotent; resolves once it has exited. */
  destroy(): Promise<void> {
    if (this.#destroyed !== undefined) return this.#destroyed;
    const w = this.#worker;
    this.#destroyed = Promise.resolve();
    if (w !== undefined) {
      this.#lose(w, terminatingError, false);
      this.#destroyed = w.terminate().then(
        () => undefined,
        () => undefined,
      );
    }
    return this.#destroyed;
  }

  #spawn(): Worker {
    const o = this.#options;
    const options = {
      workerData: o.workerData,
      ...(o.execArgv === undefined ? {} : { execArgv: o.execArgv }),
      ...(o.resourceLimits === undefined ? {} : { resourceLimits: o.resourceLimits }),
    };
    const w = new Worker(workerScript(o.entry), options);
    this.#worker = w;
    this.#ready = false;
    o.onCreate();
    w.on('message', (m: WorkerMessage) => {
      if ('ready' in m) {
        if (w === this.#worker) this.#ready = true;
        return;
      }
      const t = this.#tasks.get(m.id);
      if (t === undefined || t.worker !== w) return;
      this.#tasks.delete(m.id);
      if (m.error === undefined) t.resolve(m.result as BatchResult);
      else t.reject(rebuildError(m.error));
    });
    w.on('error', (e: unknown) => {
      this.#lose(w, () => e, true);
    });
    w.on('exit', (code: number) => {
      this.#lose(w, () => new Error(`worker exited with code: ${code}`), true);
    });
    return w;
  }

  /**
   * Worker `w` is gone: every task it held rejects with `error(task)`; a worker that had
   * started is replaced at once when `replace` (and the thread is not destroyed).
   */
  #lose(w: Worker, error: (t: Task) => unknown, replace: boolean): void {
    const held: Task[] = [];
    for (const t of this.#tasks.values()) if (t.worker === w) held.push(t);
    for (const t of held) this.#tasks.delete(t.id);
    if (w === this.#worker) {
      const wasReady = this.#ready;
      this.#worker = undefined;
      this.#ready = false;
      this.#options.onExit();
      if (replace && wasReady && this.#destroyed === undefined) {
        try {
          this.#spawn();
        } catch {
          // Started again at the next task, which then fails with the reason.
        }
      }
    }
    for (const t of held) t.reject(error(t));
  }
}
