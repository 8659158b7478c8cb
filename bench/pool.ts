/**
 * WorkerPoolMaster: end-to-end points per second of a Learner1D run on 2 worker threads with
 * a trivial function (python's `peak`), side by side with what the threads alone can do:
 *
 * - raw `worker_threads` round trip, one point per message, one message in flight: the
 *   latency floor of any pool that sends points one by one;
 * - raw `worker_threads`, batches of 256 points, 2 threads × 2 batches in flight: the
 *   ceiling of message passing at the batch size the pool reaches;
 * - `WorkerPoolMaster.evaluate` alone (no learner): the pool's own cost per point;
 * - `run(Learner1D, pool)` with `batchSize: 1`: what one point per message gives;
 * - `run(Learner1D, pool)`: the end-to-end figure (target ≥ 100 000 points/s);
 * - `runSync(Learner1D, peak)` in the main thread: the learner alone, for scale.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/pool.js`.
 */
import { Worker } from 'node:worker_threads';
import { Learner1D } from '../src/learners/learner1d.js';
import { WorkerPoolMaster } from '../src/master/worker-pool.js';
import { run } from '../src/runner/node.js';
import { runSync } from '../src/runner/sync.js';
import { fmt, fmtN, isMain, machineLine, printTable, runChild, timeTask } from './harness.js';
import { peak } from './pool-fn.js';

const THREADS = 2;
const BATCH = 256;
/**
 * Target of the end-to-end case, points per second.
 * @example
 * rows.at(-2).pointsPerSecMax >= POOL_TARGET; // the end-to-end row meets it
 */
export const POOL_TARGET = 100_000;

/**
 * One row: a case, its size and its speed.
 * @example
 * { case: 'run(Learner1D, pool), 2 threads (batch ≤ 256)', N: 200000, repeats: 5, pointsPerSecMax: 581902, pointsPerSecMedian: 536759, usPerPointMin: 1.72, target: 100000, meetsTarget: true }
 */
export interface PoolResult {
  case: string;
  /** Points (or round trips) per timed run. */
  N: number;
  repeats: number;
  /** Points per second from the fastest run. */
  pointsPerSecMax: number;
  /** Points per second from the median run. */
  pointsPerSecMedian: number;
  /** µs per point (or per round trip) of the fastest run. */
  usPerPointMin: number;
  target: number | null;
  meetsTarget: boolean | null;
}

/** The raw worker: squares a number, or applies `peak` to an array of them. */
const RAW_WORKER = `
const { parentPort } = require('node:worker_threads');
const A2 = 0.01 * 0.01;
const peak = (x) => x + A2 / (A2 + x * x);
parentPort.on('message', (m) => {
  if (typeof m === 'number') { parentPort.postMessage(peak(m)); return; }
  const out = new Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = peak(m[i]);
  parentPort.postMessage(out);
});
`;

function rawWorkers(n: number): Worker[] {
  return Array.from({ length: n }, () => new Worker(RAW_WORKER, { eval: true }));
}

/** `n` sequential round trips of one point on one worker. */
function roundTrips(w: Worker, n: number): Promise<void> {
  return new Promise((resolve) => {
    let left = n;
    const onMessage = () => {
      if (--left === 0) {
        w.off('message', onMessage);
        resolve();
      } else {
        w.postMessage(left * 1e-6);
      }
    };
    w.on('message', onMessage);
    w.postMessage(0.5);
  });
}

/** `n` points in batches of `BATCH`, 2 batches in flight per worker. */
function rawBatches(workers: Worker[], n: number): Promise<void> {
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const batch = (): number[] => {
      const size = Math.min(BATCH, n - sent);
      const xs = new Array<number>(size);
      for (let i = 0; i < size; i++) xs[i] = ((sent + i) % 2000) / 1000 - 1;
      sent += size;
      return xs;
    };
    for (const w of workers) {
      const onMessage = (ys: number[]) => {
        received += ys.length;
        if (sent < n) w.postMessage(batch());
        if (received === n) {
          for (const x of workers) x.removeAllListeners('message');
          resolve();
        }
      };
      w.on('message', onMessage);
      for (let k = 0; k < 2 && sent < n; k++) w.postMessage(batch());
    }
  });
}

/** `n` points through `pool.evaluate`, keeping `pool.concurrency` in flight. */
function poolEvaluate(pool: WorkerPoolMaster<number, number>, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const onValue = (): void => {
      done++;
      if (done === n) resolve();
      else top();
    };
    const top = (): void => {
      const limit = pool.concurrency;
      while (sent < n && sent - done < limit) {
        pool.evaluate((sent++ % 2000) / 1000 - 1).then(onValue, reject);
      }
    };
    top();
  });
}

function row(
  name: string,
  n: number,
  t: { minMs: number; medianMs: number; repeats: number },
  target: number | null,
): PoolResult {
  const max = (n * 1000) / t.minMs;
  return {
    case: name,
    N: n,
    repeats: t.repeats,
    pointsPerSecMax: max,
    pointsPerSecMedian: (n * 1000) / t.medianMs,
    usPerPointMin: (t.minMs * 1000) / n,
    target,
    meetsTarget: target === null ? null : max >= target,
  };
}

/**
 * Measures every case (about 30 s on the 2-core machine); the pools and workers are started
 * and warmed up outside the timed runs.
 *
 * @example
 * printPoolTable(await poolCases());
 */
export async function poolCases(): Promise<PoolResult[]> {
  const rows: PoolResult[] = [];
  const fnModule = new URL('./pool-fn.js', import.meta.url);

  const [one] = rawWorkers(1);
  const rt = await timeTask('raw round trip', () => roundTrips(one as Worker, 5000), {
    repeats: 5,
    async: true,
  });
  rows.push(row('raw worker_threads round trip, 1 point/message, 1 in flight', 5000, rt, null));
  await one?.terminate();

  const raw = rawWorkers(THREADS);
  const rb = await timeTask('raw batches', () => rawBatches(raw, 1e6), { repeats: 5, async: true });
  rows.push(
    row(
      `raw worker_threads, ${BATCH} points/message, ${THREADS} threads × 2 in flight`,
      1e6,
      rb,
      null,
    ),
  );
  await Promise.all(raw.map((w) => w.terminate()));

  {
    await using pool = new WorkerPoolMaster<number, number>({
      module: fnModule,
      exportName: 'peak',
      threads: THREADS,
    });
    await pool.warmup();
    const t = await timeTask('pool evaluate', () => poolEvaluate(pool, 5e5), {
      repeats: 5,
      async: true,
    });
    rows.push(
      row(`WorkerPoolMaster.evaluate alone, ${THREADS} threads (batch ≤ ${BATCH})`, 5e5, t, null),
    );
  }
  {
    await using pool = new WorkerPoolMaster<number, number>({
      module: fnModule,
      exportName: 'peak',
      threads: THREADS,
      batchSize: 1,
    });
    await pool.warmup();
    const n = 2e4;
    const t = await timeTask(
      'run batch 1',
      () => run(new Learner1D({ bounds: [-1, 1] }), pool, { npointsGoal: n }),
      {
        repeats: 3,
        async: true,
      },
    );
    rows.push(row(`run(Learner1D, pool), ${THREADS} threads, 1 point/message`, n, t, null));
  }
  {
    await using pool = new WorkerPoolMaster<number, number>({
      module: fnModule,
      exportName: 'peak',
      threads: THREADS,
    });
    await pool.warmup();
    const n = 2e5;
    const t = await timeTask(
      'run',
      () => run(new Learner1D({ bounds: [-1, 1] }), pool, { npointsGoal: n }),
      {
        repeats: 5,
        async: true,
      },
    );
    rows.push(
      row(`run(Learner1D, pool), ${THREADS} threads (batch ≤ ${BATCH})`, n, t, POOL_TARGET),
    );
  }
  {
    const n = 2e5;
    const t = await timeTask(
      'runSync',
      () => runSync(new Learner1D({ bounds: [-1, 1] }), peak, { npointsGoal: n }),
      {
        repeats: 5,
      },
    );
    rows.push(row('runSync(Learner1D, peak), main thread only (for scale)', n, t, null));
  }
  return rows;
}

/**
 * Prints the rows as a table.
 * @example
 * printPoolTable(poolBenchInChild());
 */
export function printPoolTable(rows: readonly PoolResult[]): void {
  printTable(
    'Worker pool: points per second (max = fastest run, median over repeats; round trips for the first row)',
    ['case', 'N', 'reps', 'max pts/s', 'median pts/s', 'min µs/pt', 'target pts/s', 'meets'],
    rows.map((r) => [
      r.case,
      fmtN(r.N),
      String(r.repeats),
      fmt(r.pointsPerSecMax),
      fmt(r.pointsPerSecMedian),
      fmt(r.usPerPointMin),
      r.target === null ? '–' : `≥ ${fmtN(r.target)}`,
      r.meetsTarget === null ? '–' : r.meetsTarget ? '✓' : '✗',
    ]),
  );
}

/**
 * Runs {@link poolCases} in a fresh `node --expose-gc` process and returns its rows.
 * @example
 * const rows = poolBenchInChild();
 */
export function poolBenchInChild(): PoolResult[] {
  return runChild<PoolResult[]>(import.meta.url);
}

if (isMain(import.meta.url)) {
  const rows = await poolCases();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    console.log(machineLine());
    printPoolTable(rows);
  }
}
