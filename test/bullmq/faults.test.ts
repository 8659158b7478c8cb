/**
 * Faults with real processes and a real redis-server: a worker killed with SIGKILL mid-job,
 * redis-server restarted mid-run, the master process killed and restarted from its checkpoint.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueMaster, type QueueWorker, startQueueWorker } from '../../src/bullmq/index.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import { run } from '../../src/runner/node.js';
import { IntegerLearner } from '../runner/fake-learner.js';
import { deferred, fixture, killAll, peak, root, spawnWorker, tellCounts } from './helpers.js';
import { NO_REDIS, type RedisServer, startRedisServer } from './redis-server.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function redisServer(): Promise<RedisServer> {
  const r = await startRedisServer();
  cleanups.push(() => r.dispose());
  return r;
}

function master<P, V>(options: ConstructorParameters<typeof QueueMaster<P, V>>[0]) {
  const m = new QueueMaster<P, V>(options);
  cleanups.push(() => m.close());
  return m;
}

/** The items of a SequenceLearner run: 0, 1/n, 2/n, ... in [-1, 1). */
const items = (n: number) => Array.from({ length: n }, (_, i) => -1 + (2 * i) / n);

/** Every item told exactly once, with its value. */
function expectEachToldOnce(
  log: readonly { op: string; point?: unknown; value?: unknown }[],
  xs: readonly number[],
): void {
  const counts = tellCounts(log);
  expect(counts.size).toBe(xs.length);
  for (const n of counts.values()) expect(n).toBe(1);
  for (const e of log) {
    if (e.op === 'tell') {
      const [i, x] = e.point as [number, number];
      expect(x).toBe(xs[i]);
      expect(e.value).toBe(peak(x));
    }
  }
}

describe.skipIf(NO_REDIS !== undefined)('QueueMaster faults', () => {
  it('a worker process killed with SIGKILL mid-job: its job is re-run by the other, every point told once', async () => {
    const redis = await redisServer();
    const args = [
      '--redis',
      redis.url(),
      '--queue',
      'kill',
      '--module',
      fixture('queue-fns.mjs'),
      '--export',
      'slowItem100', // the item of index 100 takes 1.5 s: its worker is killed meanwhile
      '--lock-duration',
      '2',
      '--stalled-interval',
      '1',
    ];
    const workers = [
      spawnWorker([...args, '--label', 'A']),
      spawnWorker([...args, '--label', 'B']),
    ];
    const names = await Promise.all(workers.map((w) => w.ready));
    const m = master<[number, number], number>({ connection: redis.url(), queueName: 'kill' });
    const probe = new Queue('kill', { connection: { url: redis.url() } });
    cleanups.push(() => probe.close());

    const xs = items(500);
    const learner = new SequenceLearner(xs);
    let finished = false;
    const running = run(learner, m, { log: true }).finally(() => {
      finished = true;
    });
    // Wait for the job of item 100 to run, and kill the worker running it.
    let holder: string | undefined;
    while (holder === undefined && !finished) {
      const active = await probe.getActive();
      const job = active.find((j) =>
        (j.data as { points: [number, number][] }).points.some((p) => p[0] === 100),
      );
      holder = job?.processedBy;
    }
    const victim = workers[names.indexOf(holder as string)];
    expect(victim).toBeDefined();
    victim?.child.kill('SIGKILL');
    expect(await victim?.exited).toBe('SIGKILL');

    const s = await running;
    expect(s.reason).toBe('done');
    expect(s.failures).toEqual([]);
    expectEachToldOnce(s.log ?? [], xs);
    expect(learner.npoints).toBe(xs.length);
    expect(m.stats.stalled).toBeGreaterThanOrEqual(1); // the killed job was recovered
    expect(m.stats.jobsInFlight).toBe(0);
  }, 60_000);

  it('a point that kills every worker process fails alone as a crash; the rest of its job is evaluated', async () => {
    const redis = await redisServer();
    const args = [
      '--redis',
      redis.url(),
      '--queue',
      'poison',
      '--module',
      fixture('kill-process.mjs'),
      '--lock-duration',
      '1',
      '--stalled-interval',
      '0.5',
      '--max-stalled',
      '0', // the first stall fails the job
    ];
    // Two workers at all times: a dead one is replaced.
    let stopped = false;
    let deaths = 0;
    let respawnError: unknown;
    const keep = async (label: string): Promise<void> => {
      const w = spawnWorker([...args, '--label', label]);
      try {
        await w.ready;
      } catch (e) {
        // A replacement started just before the test ended finds its redis-server gone.
        if (stopped) return;
        throw e;
      }
      void w.exited.then((code) => {
        if (code !== 'SIGKILL') return;
        deaths++;
        if (!stopped)
          keep(`${label}+`).catch((e: unknown) => {
            respawnError ??= e;
          });
      });
    };
    cleanups.push(() => {
      stopped = true;
    });
    await Promise.all([keep('A'), keep('B')]);
    const m = master<number, number>({ connection: redis.url(), queueName: 'poison' });
    const learner = new IntegerLearner(300);
    const s = await run(learner, m, {
      raiseIfRetriesExceeded: false,
      allowRunningForever: true,
      log: true,
    });
    expect(s.reason).toBe('exhausted');
    expect(s.failures).toEqual([
      {
        point: 150,
        kind: 'crash',
        attempts: 1,
        error: expect.stringMatching(
          /^QueueMaster: the worker evaluating this point died \(job \S+: job stalled more than allowable limit/,
        ),
      },
    ]);
    expect(learner.npoints).toBe(300); // 150 given up and told NaN
    expect(learner.data.get(150)).toBeNaN();
    for (const [x, y] of learner.data) if (x !== 150) expect(y).toBe(x * 10);
    for (const n of tellCounts(s.log ?? []).values()) expect(n).toBe(1);
    expect(m.stats.split).toBe(1); // its job had several points: they went again one by one
    expect(deaths).toBe(2);
    expect(respawnError).toBeUndefined();
  }, 60_000);

  it('redis-server restarted mid-run: the master re-adds the lost jobs, the run finishes', async () => {
    const redis = await redisServer();
    const args = [
      '--redis',
      redis.url(),
      '--queue',
      'restart',
      '--module',
      fixture('queue-fns.mjs'),
      '--export',
      'item',
    ];
    const a = spawnWorker([...args, '--label', 'A']);
    const b = spawnWorker([...args, '--label', 'B']);
    await Promise.all([a.ready, b.ready]);
    const m = master<[number, number], number>({
      connection: redis.url(),
      queueName: 'restart',
      sweepMs: 1000,
    });
    const told100 = deferred();
    const xs = items(500);
    const learner = new SequenceLearner(xs);
    const running = run(learner, m, {
      log: true,
      goal: (l) => {
        if (l.npoints >= 100) told100.resolve();
        return false;
      },
    });
    await told100.promise;
    const inFlight = m.stats.jobsInFlight;
    expect(inFlight).toBeGreaterThan(0);
    await redis.restart(); // empty: every job in flight is gone
    const s = await running;
    expect(s.reason).toBe('done');
    expect(s.failures).toEqual([]);
    expectEachToldOnce(s.log ?? [], xs);
    expect(m.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(m.stats.resubmitted).toBeGreaterThanOrEqual(1);
    expect(m.stats.jobsInFlight).toBe(0);
  }, 60_000);

  it('the master process killed and restarted resumes from its checkpoint, telling no point twice', async () => {
    const redis = await redisServer();
    const workers: QueueWorker[] = [];
    for (const label of ['A', 'B']) {
      workers.push(
        await startQueueWorker({
          connection: redis.url(),
          queueName: 'resume',
          module: fixture('queue-fns.mjs'),
          label,
        }),
      );
    }
    cleanups.push(() => Promise.all(workers.map((w) => w.close({ force: true }))));
    const dir = redis.dir;
    const witness = join(dir, 'witness.txt');
    const snapshot = join(dir, 'run.json');
    const goal = 400;
    const startMaster = () => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('./master-child.ts', import.meta.url)),
          dir,
          redis.url(),
          'resume',
          String(goal),
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const exited = new Promise<number | string | null>((resolve) =>
        child.on('exit', (code, signal) => resolve(signal ?? code)),
      );
      cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
      return { child, exited, out: () => out, err: () => err };
    };
    const witnessed = () =>
      existsSync(witness) ? readFileSync(witness, 'utf8').trim().split('\n').filter(Boolean) : [];

    // First master: killed once it told 100 points (and wrote a snapshot).
    const first = startMaster();
    await new Promise<void>((resolve, reject) => {
      first.child.stdout?.on('data', () => {
        if (/told 100\n/.test(first.out())) resolve();
      });
      first.exited.then((c) => reject(new Error(`the master exited (${c}):\n${first.err()}`)));
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const before = witnessed().length;
    expect(before).toBeGreaterThanOrEqual(100);
    expect(existsSync(snapshot)).toBe(true);

    // Second master: resumes and reaches the goal.
    const second = startMaster();
    expect(await second.exited, second.err()).toBe(0);
    const lines = witnessed();
    expect(lines.length).toBeGreaterThan(before);
    const xs = lines.map((l) => Number(l.split(' ')[1]));
    expect(new Set(xs).size).toBe(xs.length); // no point told twice, across both masters
    const pids = new Set(lines.map((l) => l.split(' ')[0]));
    expect(pids.size).toBe(2);
    const learner = new Learner1D({ bounds: [-1, 1] });
    learner.restore(JSON.parse(readFileSync(snapshot, 'utf8')));
    expect(learner.npoints).toBeGreaterThanOrEqual(goal);
    const data = new Map(learner.toRecords().map(({ x, y }) => [x, y]));
    for (const x of xs) expect(data.get(x)).toBe(peak(x));
    expect(JSON.parse(second.out().trim().split('\n').pop() as string)).toMatchObject({
      reason: 'npointsGoal',
    });
  }, 60_000);
});
