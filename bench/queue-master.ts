/**
 * QueueMaster: points per second through a BullMQ queue on a real redis-server (started
 * here on a free loopback port, no persistence), with 2 worker processes
 * (`adaptive-sampling worker`, the CLI's code) on this machine:
 *
 * - `QueueMaster.evaluate` alone (no learner), trivial function: the queue's own cost;
 * - `run(Learner1D, master)`, trivial function (python's `peak`): the end-to-end figure
 *   (target ≥ 2 000 points/s);
 * - the same with `batchSize: 1` (one point a job): what batching buys;
 * - `run(Learner1D, master)` with a function that sleeps 1 ms, workers of concurrency 1 and
 *   of concurrency 4 (the sleep does not use the CPU, so more slots per process help).
 *
 * The master, the two workers and redis-server share the machine's cores.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/queue-master.js`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueMaster } from '../src/bullmq/index.js';
import { Learner1D } from '../src/learners/learner1d.js';
import { run } from '../src/runner/runner.js';
import { fmt, fmtN, isMain, machineLine, printTable, runChild, timeTask } from './harness.js';

const WORKERS = 2;
/**
 * Target of the end-to-end case with the trivial function, points per second.
 * @example
 * rows[1].pointsPerSecMax >= QUEUE_MASTER_TARGET; // the end-to-end row meets it
 */
export const QUEUE_MASTER_TARGET = 2000;

/**
 * One row: a case, its size and its speed.
 * @example
 * { case: 'run(Learner1D, QueueMaster), peak, 2 workers', N: 20000, repeats: 3, pointsPerSecMax: 31000, pointsPerSecMedian: 29000, usPerPointMin: 32, jobsPerRun: 180, target: 2000, meetsTarget: true }
 */
export interface QueueMasterResult {
  case: string;
  /** Points per timed run. */
  N: number;
  repeats: number;
  /** Points per second from the fastest run. */
  pointsPerSecMax: number;
  /** Points per second from the median run. */
  pointsPerSecMedian: number;
  /** µs per point of the fastest run. */
  usPerPointMin: number;
  /** Jobs added per run (mean over the warm-up and timed runs). */
  jobsPerRun: number;
  target: number | null;
  meetsTarget: boolean | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error())));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** Starts redis-server on a free loopback port without persistence; returns it and its URL. */
async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'as-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--logfile',
      join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  const failed = new Promise<Error>((resolve) => child.on('error', resolve));
  for (let i = 0; !(await answers(port)); i++) {
    const e = await Promise.race([failed, new Promise((r) => setTimeout(r, 25, undefined))]);
    if (e instanceof Error) {
      throw new Error(
        `bench: cannot start redis-server (apt-get install -y redis-server): ${e.message}`,
      );
    }
    if (i > 400 || child.exitCode !== null) throw new Error('bench: redis-server did not start');
  }
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) process.kill(child.pid as number, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a worker process; resolves once it serves. */
function startWorker(args: readonly string[]): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./queue-worker.js', import.meta.url));
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('serving queue')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`bench: the worker exited (${code}):\n${err}`)));
  });
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

/** `n` points through `master.evaluate`, keeping `master.concurrency` in flight. */
function evaluateAlone(master: QueueMaster<number, number>, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const onValue = (): void => {
      done++;
      if (done === n) resolve();
      else top();
    };
    const top = (): void => {
      const limit = master.concurrency;
      while (sent < n && sent - done < limit) {
        master.evaluate((sent++ % 2000) / 1000 - 1).then(onValue, reject);
      }
    };
    top();
  });
}

function row(
  name: string,
  n: number,
  t: { minMs: number; medianMs: number; repeats: number },
  jobsPerRun: number,
  target: number | null,
): QueueMasterResult {
  const max = (n * 1000) / t.minMs;
  return {
    case: name,
    N: n,
    repeats: t.repeats,
    pointsPerSecMax: max,
    pointsPerSecMedian: (n * 1000) / t.medianMs,
    usPerPointMin: (t.minMs * 1000) / n,
    jobsPerRun,
    target,
    meetsTarget: target === null ? null : max >= target,
  };
}

/**
 * Measures every case (about a minute on the 2-core machine). redis-server and the worker
 * processes start before, and stop after, the timed runs; each master is warmed up by one
 * untimed run (its batch size adapts).
 *
 * @example
 * printQueueMasterTable(await queueMasterCases());
 */
export async function queueMasterCases(): Promise<QueueMasterResult[]> {
  const rows: QueueMasterResult[] = [];
  const redis = await startRedis();
  const fnModule = fileURLToPath(new URL('./queue-fn.js', import.meta.url));
  const workers: ChildProcess[] = [];
  const serve = async (queue: string, exportName: string, concurrency: number) => {
    const args = ['--redis', redis.url, '--queue', queue, '--module', fnModule];
    args.push('--export', exportName, '--concurrency', String(concurrency));
    const started = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => startWorker([...args, '--label', `bench-${i}`])),
    );
    workers.push(...started);
  };
  /** Times `task` on a fresh master of `queue`; counts the jobs it adds. */
  const measure = async (
    name: string,
    queue: string,
    n: number,
    repeats: number,
    task: (m: QueueMaster<number, number>) => Promise<unknown>,
    target: number | null,
    batchSize?: number,
  ) => {
    const m = new QueueMaster<number, number>({
      connection: redis.url,
      queueName: queue,
      ...(batchSize === undefined ? {} : { batchSize }),
    });
    try {
      await m.ready();
      while (m.stats.slots < WORKERS) await new Promise((r) => setTimeout(r, 50));
      const t = await timeTask(name, () => task(m), { repeats, async: true });
      rows.push(row(name, n, t, m.stats.jobsAdded / (repeats + 1), target));
    } finally {
      await m.close();
    }
  };
  try {
    await serve('peak', 'peak', 1);
    await measure('evaluate', 'peak', 2e4, 3, (m) => evaluateAlone(m, 2e4), null);
    rows[rows.length - 1] = {
      ...(rows.at(-1) as QueueMasterResult),
      case: `QueueMaster.evaluate alone, peak, ${WORKERS} workers`,
    };
    const learnerRun = (n: number) => (m: QueueMaster<number, number>) =>
      run(new Learner1D({ bounds: [-1, 1] }), m, { npointsGoal: n });
    await measure(
      `run(Learner1D, QueueMaster), peak, ${WORKERS} workers`,
      'peak',
      2e4,
      3,
      learnerRun(2e4),
      QUEUE_MASTER_TARGET,
    );
    await measure(
      `run(Learner1D, QueueMaster), peak, ${WORKERS} workers, batchSize 1 (a job per point)`,
      'peak',
      3000,
      3,
      learnerRun(3000),
      null,
      1,
    );
    await serve('sleep1', 'peakAfter1ms', 1);
    await measure(
      `run(Learner1D, QueueMaster), peak after a 1 ms sleep, ${WORKERS} workers × concurrency 1`,
      'sleep1',
      3000,
      3,
      learnerRun(3000),
      null,
    );
    await serve('sleep4', 'peakAfter1ms', 4);
    await measure(
      `run(Learner1D, QueueMaster), peak after a 1 ms sleep, ${WORKERS} workers × concurrency 4`,
      'sleep4',
      1e4,
      3,
      learnerRun(1e4),
      null,
    );
  } finally {
    await stopWorkers(workers);
    await redis.stop();
  }
  return rows;
}

/**
 * Prints the rows as a table.
 * @example
 * printQueueMasterTable(queueMasterBenchInChild());
 */
export function printQueueMasterTable(rows: readonly QueueMasterResult[]): void {
  printTable(
    'QueueMaster (BullMQ on a local redis-server): points per second (max = fastest run, median over repeats)',
    [
      'case',
      'N',
      'reps',
      'max pts/s',
      'median pts/s',
      'min µs/pt',
      'jobs/run',
      'target pts/s',
      'meets',
    ],
    rows.map((r) => [
      r.case,
      fmtN(r.N),
      String(r.repeats),
      fmt(r.pointsPerSecMax),
      fmt(r.pointsPerSecMedian),
      fmt(r.usPerPointMin),
      fmt(r.jobsPerRun),
      r.target === null ? '–' : `≥ ${fmtN(r.target)}`,
      r.meetsTarget === null ? '–' : r.meetsTarget ? '✓' : '✗',
    ]),
  );
}

/**
 * Runs {@link queueMasterCases} in a fresh `node --expose-gc` process and returns its rows.
 * @example
 * const rows = queueMasterBenchInChild();
 */
export function queueMasterBenchInChild(): QueueMasterResult[] {
  return runChild<QueueMasterResult[]>(import.meta.url);
}

if (isMain(import.meta.url)) {
  const rows = await queueMasterCases();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    console.log(machineLine());
    printQueueMasterTable(rows);
  }
}
