/**
 * What the main thread and the worker side of {@link WorkerPoolMaster} share: the progress
 * slots and the messages. Apart from worker-entry.ts so that the main thread (every import
 * of the package's Node entry) does not load `node:worker_threads` to read four constants.
 */

/**
 * Slot of the progress array (an `Int32Array` over a SharedArrayBuffer, one per lane) that
 * holds the id of the batch being evaluated.
 * @example
 * Atomics.load(progress, PROGRESS_BATCH) === batch.id; // this batch is running
 */
export const PROGRESS_BATCH = 0;
/**
 * Slot with the number of points of the current batch that have started (the running one is
 * this − 1).
 * @example
 * const running = Atomics.load(progress, PROGRESS_STARTED) - 1;
 */
export const PROGRESS_STARTED = 1;
/**
 * Slot with the milliseconds from the batch's `t0` to the start of the current point (timed
 * batches only).
 * @example
 * const startedAt = batch.t0 + Atomics.load(progress, PROGRESS_OFFSET);
 */
export const PROGRESS_OFFSET = 2;
/**
 * Length of the progress array.
 * @example
 * const progress = new Int32Array(new SharedArrayBuffer(PROGRESS_LENGTH * 4));
 */
export const PROGRESS_LENGTH = 4;

/**
 * One message to a worker: a batch of points.
 * @example
 * { module: 'file:///app/f.js', exportName: 'default', id: 7, points: [0.5, 0.25], t0: -1 }
 */
export interface BatchTask {
  /** URL of the ES module holding the function. */
  module: string;
  /** Name of the export to call. */
  exportName: string;
  /** The batch's id (positive int32), written to the progress slot while it runs. */
  id: number;
  points: unknown[];
  /** `Date.now()` when the batch was sent, for timeouts; -1 when the batch is not timed. */
  t0: number;
}

/**
 * An error thrown by the function, as plain data (structured clone keeps no subclasses).
 * @example
 * { name: 'RangeError', message: 'x out of range', stack: 'RangeError: x out of range\n    at f (file:///app/f.js:3:9)' }
 */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
}

/**
 * The answer to a {@link BatchTask}: `values[i]` is the value of `points[i]` unless
 * `errors[i]` is set. `ms` is the time spent evaluating (module loading excluded).
 * @example
 * { values: [0.25, undefined], errors: [undefined, { name: 'Error', message: 'boom' }], ms: 0.01, gap: 0.04 }
 */
export interface BatchResult {
  values: unknown[];
  errors: (ErrorData | undefined)[] | undefined;
  ms: number;
  /**
   * Milliseconds between the end of this worker's previous batch and the start of this one
   * (0 for its first): the thread's time out of the function per message (passing answers
   * and batches, or waiting for one).
   */
  gap: number;
}

/**
 * A message from a worker: `{ ready: true }` once its script has loaded, then one answer per
 * {@link BatchTask}, by id: its result, or the error of a batch that could not run at all
 * (the module could not be loaded).
 * @example
 * { id: 7, result: { values: [0.25], errors: undefined, ms: 0.01, gap: 0 } }
 * { id: 8, error: { name: 'Error', message: 'WorkerPoolMaster: cannot load the module …' } }
 */
export type WorkerMessage =
  | { ready: true }
  | { id: number; result: BatchResult; error?: undefined }
  | { id: number; result?: undefined; error: ErrorData };
