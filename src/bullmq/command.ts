/**
 * `adaptive-sampling worker`: the command-line queue worker. The CLI hands it the arguments
 * after `worker`; it runs until SIGINT or SIGTERM (or `io.signal`) and resolves with the exit
 * code.
 */

import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startQueueWorker, throttled } from './worker.js';

/**
 * The `--help` text of `adaptive-sampling worker`.
 * @example
 * process.stdout.write(WORKER_USAGE);
 */
export const WORKER_USAGE = `adaptive-sampling worker: evaluate points for a distributed run (BullMQ on Redis).

Usage:
  adaptive-sampling worker --redis URL --queue NAME --module PATH [--export NAME]
                           [--concurrency N] [options]

Takes batches of points from the queue that a QueueMaster (adaptive-sampling/bullmq) fills,
evaluates them with the function exported by PATH, and sends the values back. Start as many
workers as you like, on any machine that reaches the Redis server. A job carries only
points: the code that runs is the module given here. Stops on Ctrl-C or SIGTERM after the
jobs in progress (a second signal stops at once; those jobs go to other workers).

Options:
  --redis URL            redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS);
                         default: the environment variable ADAPTIVE_SAMPLING_REDIS or
                         REDIS_URL, which keeps a password out of the process list
  --queue NAME           the queue name given to the QueueMaster
  --module PATH          the ES module with the function (.mjs/.js; .ts needs tsx)
  --export NAME          the export to call (default: default)
  --concurrency N        points evaluated at once, each on its own thread (default 1)
  --timeout SECONDS      a point running longer fails with a TimeoutError (default: none)
  --lock-duration SECONDS
                         how long a job's lock lasts (default 30); a worker that dies
                         mid-job has its job re-run elsewhere once the lock expired
  --stalled-interval SECONDS
                         how often to look for such jobs (default 30)
  --max-stalled N        stalls a job may have before it fails (default 1)
  --prefix PREFIX        BullMQ key prefix (default bull), the same as the master's
  --label TEXT           this worker's label in Redis (default HOST:PID)
  -h, --help             this text

Example:
  REDIS_URL=redis://:s3cret@10.0.0.5:6379 adaptive-sampling worker --queue peak --module f.mjs --concurrency 4
`;

/**
 * Where {@link workerCommand} writes and resolves paths; compatible with the CLI's `CliIO`.
 * @example
 * { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }
 */
export interface WorkerCommandIO {
  stdout?: { write(text: string): unknown } | undefined;
  stderr?: { write(text: string): unknown } | undefined;
  /** Directory a relative `--module` is resolved against (default `process.cwd()`). */
  cwd?: string | undefined;
  /** Stops the worker when aborted (default: SIGINT and SIGTERM stop it). */
  signal?: AbortSignal | undefined;
  /** Environment for `ADAPTIVE_SAMPLING_REDIS` / `REDIS_URL` (default `process.env`). */
  env?: Record<string, string | undefined> | undefined;
}

class UsageError extends Error {}

function seconds(name: string, s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const x = Number(s);
  if (s.trim() === '' || !(x > 0) || !Number.isFinite(x)) {
    throw new UsageError(`--${name} must be a positive number of seconds, got '${s}'`);
  }
  return x * 1000;
}

function integer(name: string, s: string | undefined, min: number): number | undefined {
  if (s === undefined) return undefined;
  const x = Number(s);
  if (s.trim() === '' || !Number.isSafeInteger(x) || x < min) {
    throw new UsageError(
      `--${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got '${s}'`,
    );
  }
  return x;
}

/**
 * Runs `adaptive-sampling worker` with the arguments after `worker`: starts a queue worker
 * ({@link startQueueWorker}) and serves until SIGINT/SIGTERM (or `io.signal`). Resolves with
 * the exit code: 0 after a stop, 1 when it cannot start (Redis refuses the connection or the
 * password, the module does not load), 2 for bad arguments. Messages go to `io.stderr`; the
 * line `adaptive-sampling worker: serving ...` says it is ready.
 *
 * @example
 * // in the CLI: case 'worker': return (await import('../bullmq/index.js')).workerCommand(argv, io);
 * const code = await workerCommand(['--redis', 'redis://127.0.0.1:6379', '--queue', 'peak', '--module', 'f.mjs']);
 */
export async function workerCommand(
  argv: readonly string[],
  io: WorkerCommandIO = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let options: Parameters<typeof startQueueWorker>[0];
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    if (v.help) {
      stdout.write(WORKER_USAGE);
      return 0;
    }
    if (parsed.positionals.length > 0) {
      throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    }
    const redis = v.redis ?? env.ADAPTIVE_SAMPLING_REDIS ?? env.REDIS_URL;
    if (redis === undefined || redis === '') {
      throw new UsageError(
        'give the Redis server: --redis redis://[[USER]:PASSWORD@]HOST[:PORT] (or set REDIS_URL)',
      );
    }
    if (v.queue === undefined) throw new UsageError('give the queue: --queue NAME');
    if (v.module === undefined) throw new UsageError('give the function: --module PATH');
    const cwd = io.cwd ?? process.cwd();
    const module =
      /^[a-z][a-z0-9+.-]+:/i.test(v.module) && !/^[a-z]:[\\/]/i.test(v.module)
        ? v.module
        : isAbsolute(v.module)
          ? v.module
          : resolve(cwd, v.module);
    options = {
      connection: redis,
      queueName: v.queue,
      module,
      exportName: v.export,
      concurrency: integer('concurrency', v.concurrency, 1),
      timeoutMs: seconds('timeout', v.timeout),
      lockDuration: seconds('lock-duration', v['lock-duration']),
      stalledInterval: seconds('stalled-interval', v['stalled-interval']),
      maxStalledCount: integer('max-stalled', v['max-stalled'], 0),
      prefix: v.prefix,
      label: v.label,
      onError: undefined,
    };
  } catch (e) {
    if (e instanceof UsageError) {
      stderr.write(
        `adaptive-sampling worker: ${e.message}\nSee 'adaptive-sampling worker --help'.\n`,
      );
      return 2;
    }
    throw e;
  }

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const external = io.signal;
  if (external === undefined) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } else if (external.aborted) stop.abort();
  else external.addEventListener('abort', onSignal, { once: true });
  try {
    let worker: Awaited<ReturnType<typeof startQueueWorker>>;
    try {
      worker = await startQueueWorker({
        ...options,
        onError: throttled((m) => stderr.write(`adaptive-sampling worker: ${m}\n`)),
      });
    } catch (e) {
      stderr.write(`adaptive-sampling worker: ${(e as Error).message}\n`);
      return 1;
    }
    const what = `${worker.module}${worker.exportName === 'default' ? '' : ` (export '${worker.exportName}')`}`;
    stderr.write(
      `adaptive-sampling worker: serving queue '${worker.queueName}' on ${worker.server} with ${what}, concurrency ${worker.concurrency}, as ${worker.name}\n`,
    );
    if (!stop.signal.aborted) {
      await new Promise<void>((r) =>
        stop.signal.addEventListener('abort', () => r(), { once: true }),
      );
    }
    stderr.write('adaptive-sampling worker: stopping after the jobs in progress\n');
    // A second signal stops at once.
    const force = () => void worker.close({ force: true });
    if (external === undefined) {
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
    }
    try {
      await worker.close();
    } finally {
      process.off('SIGINT', force);
      process.off('SIGTERM', force);
    }
    const s = worker.stats;
    stderr.write(
      `adaptive-sampling worker: stopped after ${s.jobs} job${s.jobs === 1 ? '' : 's'} (${s.points} point${s.points === 1 ? '' : 's'})\n`,
    );
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    external?.removeEventListener('abort', onSignal);
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      redis: { type: 'string' },
      queue: { type: 'string' },
      module: { type: 'string' },
      export: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      'max-stalled': { type: 'string' },
      prefix: { type: 'string' },
      label: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
