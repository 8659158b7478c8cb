/**
 * Errors that crossed a boundary as data (a worker thread's message, a queue job's result)
 * turned back into Errors, for WorkerPoolMaster and QueueMaster alike.
 */

/** An error as data: what a worker sends back for a point that failed. */
export interface ErrorRecord {
  name: string;
  message: string;
  stack?: string;
}

const ERROR_CLASSES: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * An Error rebuilt from its data: the same class for built-in errors, the same name (so
 * `WorkerCrashError` and `TimeoutError` keep their failure kinds), message and stack.
 *
 * @example
 * rebuildError({ name: 'RangeError', message: 'x' }) instanceof RangeError; // true
 */
export function rebuildError(d: ErrorRecord): Error {
  const C = ERROR_CLASSES[d.name] ?? Error;
  const e = new C(d.message);
  if (e.name !== d.name) e.name = d.name;
  if (d.stack !== undefined) e.stack = d.stack;
  return e;
}
