/**
 * The worker side of {@link WorkerPoolMaster}: the script of each worker thread. It answers
 * every batch message (worker-thread.ts) by evaluating the points with the user's function
 * (an export of an ES module, loaded once per worker), each point's value or error
 * separately.
 *
 * Progress goes to a SharedArrayBuffer that the main thread reads: the id of the batch being
 * evaluated, how many of its points have started, and when the current one started. From it
 * the main thread knows which point a crashed or hung worker was evaluating (that point
 * fails; the others of the batch are evaluated again elsewhere), and enforces `timeoutMs`.
 *
 * This file only imports node builtins (and worker-protocol.ts's constants), so a worker always starts; the user's module is
 * imported lazily inside the first task, where any error becomes the task's error.
 */

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { errorText } from '../util/validate.js';
import {
  type BatchResult,
  type BatchTask,
  type ErrorData,
  PROGRESS_BATCH,
  PROGRESS_LENGTH,
  PROGRESS_OFFSET,
  PROGRESS_STARTED,
  type WorkerMessage,
} from './worker-protocol.js';

export type { BatchResult, BatchTask, ErrorData } from './worker-protocol.js';

type Fn = (point: unknown, context?: unknown) => unknown;

const data = workerData as { progress?: unknown; context?: unknown } | null | undefined;
/** Whether the pool gave a context: the function is then called as `fn(point, context)`. */
const hasContext = data !== null && typeof data === 'object' && 'context' in data;
const context = hasContext ? (data as { context: unknown }).context : undefined;
const progress =
  data?.progress instanceof SharedArrayBuffer
    ? new Int32Array(data.progress)
    : new Int32Array(PROGRESS_LENGTH);

const functions = new Map<string, Fn>();

/**
 * Imports a module. On Node 20 the ESM hooks of `--import tsx` do not reach worker threads
 * (nodejs/node#47747), but its CommonJS hook does: a TypeScript file that `import()` cannot
 * load is `require()`d instead.
 */
async function importModule(module: string): Promise<Record<string, unknown>> {
  try {
    return (await import(module)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !module.startsWith('file:')) throw e;
    return createRequire(module)(fileURLToPath(module)) as Record<string, unknown>;
  }
}

/** Imports `module` and returns its function export `exportName` (cached per worker). */
async function load(module: string, exportName: string): Promise<Fn> {
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(module);
  } catch (e) {
    throw new Error(`WorkerPoolMaster: cannot load the module ${module}: ${errorText(e)}`, {
      cause: e,
    });
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    const has = Object.keys(mod);
    const what =
      exportName in mod
        ? `it is ${fn === null ? 'null' : typeof fn}`
        : `its exports are ${has.length === 0 ? 'none' : has.map((k) => `'${k}'`).join(', ')}`;
    throw new TypeError(
      `WorkerPoolMaster: the export '${exportName}' of ${module} is not a function (${what}); pass exportName`,
    );
  }
  functions.set(`${module}#${exportName}`, fn as Fn);
  return fn as Fn;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

/** Why `v` cannot go back to the main thread, or `undefined` when it can. */
function cloneProblem(v: unknown): string | undefined {
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint' || v == null) {
    return undefined;
  }
  if (t === 'function' || t === 'symbol') {
    return `the function returned a ${t}, which cannot be sent between threads`;
  }
  if (Array.isArray(v)) {
    let plain = true;
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') {
        plain = false;
        break;
      }
    }
    if (plain) return undefined;
  }
  try {
    structuredClone(v);
    return undefined;
  } catch (e) {
    return `the function returned a value that cannot be sent between threads (${errorText(e)})`;
  }
}

function errorData(e: unknown): ErrorData {
  if (e instanceof Error) {
    const d: ErrorData = { name: e.name, message: e.message };
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
  return { name: 'Error', message: errorText(e) };
}

/**
 * Evaluates a batch: each point in order, awaiting async results; an error of one point is
 * recorded and the batch goes on. Throws only when the module cannot be loaded.
 *
 * @example
 * await runBatch({ module: 'data:text/javascript,export default (x) => x * x', exportName: 'default', id: 1, points: [2, 3], t0: -1 });
 * // { values: [4, 9], errors: undefined, ms: 0.02, gap: 0 }
 */
export default function runBatch(task: BatchTask): Promise<BatchResult> {
  // Batches of one worker run one after the other, in the order they arrived: the pool sends
  // the next batch while this one runs (prefetch), and the progress slots describe one batch.
  const prev = last;
  const p = prev === undefined ? evaluate(task) : prev.then(yieldThen(task), yieldThen(task));
  last = p;
  const clear = (): void => {
    if (last === p) last = undefined;
  };
  p.then(clear, clear);
  return p;
}

/** When this worker's previous batch ended (`performance.now()`), or -1. */
let lastEnd = -1;

/** The batch running or queued last in this worker, or `undefined` when idle. */
let last: Promise<BatchResult> | undefined;

/**
 * Runs `task` after a macrotask, so that the answer to the batch before it (posted in
 * microtasks after that batch settles) leaves before this one takes the thread.
 */
function yieldThen(task: BatchTask): () => Promise<BatchResult> {
  return () => new Promise<void>((resolve) => setImmediate(resolve)).then(() => evaluate(task));
}

async function evaluate(task: BatchTask): Promise<BatchResult> {
  const fn =
    functions.get(`${task.module}#${task.exportName}`) ??
    (await load(task.module, task.exportName));
  const points = task.points;
  const n = points.length;
  const t0 = task.t0;
  const values = new Array<unknown>(n);
  let errors: (ErrorData | undefined)[] | undefined;
  Atomics.store(progress, PROGRESS_STARTED, 0);
  Atomics.store(progress, PROGRESS_BATCH, task.id);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if (t0 >= 0) Atomics.store(progress, PROGRESS_OFFSET, Date.now() - t0);
    Atomics.store(progress, PROGRESS_STARTED, i + 1);
    try {
      let v = hasContext ? fn(points[i], context) : fn(points[i]);
      if (isThenable(v)) v = await v;
      const problem = cloneProblem(v);
      if (problem !== undefined) throw new TypeError(problem);
      values[i] = v;
    } catch (e) {
      if (errors === undefined) errors = new Array<ErrorData | undefined>(n);
      errors[i] = errorData(e);
    }
  }
  const end = performance.now();
  const gap = lastEnd < 0 ? 0 : start - lastEnd;
  lastEnd = end;
  return { values, errors, ms: end - start, gap };
}

// As a pool's worker thread (its workerData has the progress slots; a test runner's thread
// importing this file has not): answer each batch by id, in the order they came (runBatch
// chains them).
if (parentPort !== null && data?.progress instanceof SharedArrayBuffer) {
  const port = parentPort;
  port.on('message', (task: BatchTask) => {
    runBatch(task).then(
      (result) => port.postMessage({ id: task.id, result } satisfies WorkerMessage),
      (e: unknown) =>
        port.postMessage({ id: task.id, error: errorData(e) } satisfies WorkerMessage),
    );
  });
  port.postMessage({ ready: true } satisfies WorkerMessage);
}
