/**
 * QueueMaster and startQueueWorker against a real redis-server, workers in this process: the
 * master conformance suite, batching, the runner's retry and failure semantics, malformed
 * jobs, aborts, close() and its connections, options.
 */
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  QueueMaster,
  type QueueWorker,
  type QueueWorkerOptions,
  startQueueWorker,
} from '../../src/bullmq/index.js';
import { WorkerPoolMaster } from '../../src/master/worker-pool.js';
import { run } from '../../src/runner/node.js';
import type { Failure } from '../../src/runner/types.js';
import { masterConformance } from '../master/conformance.js';
import { IntegerLearner } from '../runner/fake-learner.js';
import { fixture, peak } from './helpers.js';
import { NO_REDIS, type RedisServer, startRedisServer } from './redis-server.js';

const conformanceModule = new URL('../../src/master/conformance-function.ts', import.meta.url);
let redis: RedisServer;
let conformanceWorker: QueueWorker;
let queueCount = 0;
/** A fresh queue name per use. */
const queueName = (what: string) => `${what}-${++queueCount}`;

beforeAll(async () => {
  if (NO_REDIS !== undefined) return;
  redis = await startRedisServer();
  // One worker for every conformance check; the never-ending points of the abort and close
  // checks each keep one of its threads.
  conformanceWorker = await startQueueWorker({
    connection: redis.url(),
    queueName: 'conformance',
    module: conformanceModule,
    exportName: 'conformanceFunction',
    concurrency: 4,
  });
}, 60_000);
afterAll(async () => {
  await conformanceWorker?.close({ force: true });
  await redis?.dispose();
});

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function worker(
  options: Omit<QueueWorkerOptions, 'connection'> & Partial<QueueWorkerOptions>,
): Promise<QueueWorker> {
  const w = await startQueueWorker({ connection: redis.url(), ...options });
  cleanups.push(() => w.close({ force: true }));
  return w;
}

function master<P = number, V = number>(
  options: Omit<ConstructorParameters<typeof QueueMaster<P, V>>[0], 'connection'> &
    Partial<ConstructorParameters<typeof QueueMaster<P, V>>[0]>,
): QueueMaster<P, V> {
  const m = new QueueMaster<P, V>({ connection: redis.url(), ...options });
  cleanups.push(() => m.close());
  return m;
}

function bullQueue(name: string): Queue {
  const q = new Queue(name, { connection: { url: redis.url() } });
  cleanups.push(() => q.close());
  return q;
}

type Settled<V> = { ok: true; value: V } | { ok: false; error: Error };
const settle = <V>(p: Promise<V>): Promise<Settled<V>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );

describe.skipIf(NO_REDIS !== undefined)('with a real redis-server', () => {
  masterConformance(
    'QueueMaster',
    () => new QueueMaster<number, number>({ connection: redis.url(), queueName: 'conformance' }),
  );
});

describe.skipIf(NO_REDIS !== undefined)('QueueMaster: evaluation', () => {
  it('reads the workers’ concurrency, batches fast points, and gives each point its own value', async () => {
    const name = queueName('batch');
    const m = master({ queueName: name, batchSize: 64 });
    await m.ready();
    expect(m.concurrency).toBe(1); // no worker yet
    await worker({
      queueName: name,
      module: fixture('queue-fns.mjs'),
      exportName: 'quick',
      concurrency: 3,
    });
    await vi.waitFor(() => expect(m.stats.slots).toBe(3), { timeout: 10_000, interval: 50 });
    const xs = Array.from({ length: 3000 }, (_, i) => i / 1500 - 1);
    for (let round = 0; round < 3; round++) {
      const ys = await Promise.all(xs.map((x) => m.evaluate(x)));
      expect(ys).toEqual(xs.map(peak));
    }
    expect(m.batchSize).toBeGreaterThan(1);
    expect(m.batchSize).toBeLessThanOrEqual(64);
    expect(m.concurrency).toBe(3 * 2 * m.batchSize);
    const s = m.stats;
    expect(s.pointsAdded).toBe(9000);
    expect(s.jobsAdded).toBeLessThan(9000 / 4); // several points a job
    expect(s).toMatchObject({ inFlight: 0, jobsInFlight: 0, queued: 0, resubmitted: 0 });
  });

  it('points and values cross as data: vectors, NaN and ±Infinity survive', async () => {
    const name = queueName('data');
    await worker({ queueName: name, module: fixture('queue-fns.mjs'), exportName: 'echo' });
    const m = master<unknown, unknown>({ queueName: name });
    const points = [0.5, [1, Number.NaN], [Number.POSITIVE_INFINITY, -2], [3, 'item'], -1e-300];
    const back = await Promise.all(points.map((p) => m.evaluate(p)));
    expect(back).toEqual(points);
    const vec = master<number, number[]>({ queueName: queueName('vector') });
    await worker({
      queueName: vec.queueName,
      module: fixture('queue-fns.mjs'),
      exportName: 'vector',
    });
    expect(await vec.evaluate(0)).toEqual([0, Number.POSITIVE_INFINITY, Number.NaN]);
    expect(await vec.evaluate(-2)).toEqual([-2, -0.5, Number.NaN]);
  });

  it('an evaluation that throws: the same retries, failures and kinds as WorkerPoolMaster', async () => {
    const name = queueName('throws');
    await worker({ queueName: name, module: fixture('throws.mjs'), concurrency: 2 });
    const options = {
      retries: 2,
      raiseIfRetriesExceeded: false,
      allowRunningForever: true,
      log: true,
    } as const;
    const viaQueue = await run(new IntegerLearner(40), master({ queueName: name }), options);
    await using pool = new WorkerPoolMaster<number, number>({
      module: fixture('throws.mjs'),
      threads: 2,
    });
    const viaPool = await run(new IntegerLearner(40), pool, options);
    const byPoint = (f: readonly Failure<number>[]) => [...f].sort((a, b) => a.point - b.point);
    expect(byPoint(viaQueue.failures)).toEqual(byPoint(viaPool.failures));
    expect(byPoint(viaQueue.failures).map((f) => f.point)).toEqual([5, 10, 15, 20, 25, 30, 35]);
    expect(viaQueue.failures[0]).toMatchObject({ attempts: 3, kind: 'error' });
    expect(viaQueue.failures.find((f) => f.point === 5)?.error).toBe('no reading at 5');
    expect(viaQueue).toMatchObject({ reason: viaPool.reason, npoints: viaPool.npoints });
    const retries = (log: typeof viaPool.log) => log?.filter((e) => e.op === 'retry').length;
    expect(retries(viaQueue.log)).toBe(retries(viaPool.log));
    expect(retries(viaQueue.log)).toBe(14);

    // Raising: the run rejects naming the point, with the function's error (class kept).
    const err = (await run(new IntegerLearner(40), master({ queueName: name }), {
      npointsGoal: 40, // out of reach: 7 points always fail
      retries: 1,
    }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(
      /^run: evaluating point \d+ failed after 2 attempts: no reading at \d+$/,
    );
    expect(err.cause).toBeInstanceOf(RangeError);
  });

  it('a point that kills its thread fails as a crash, one that hangs past timeoutMs as a timeout', async () => {
    const crashQ = queueName('crash');
    const hangQ = queueName('hang');
    await worker({ queueName: crashQ, module: fixture('crash.mjs'), concurrency: 2 });
    await worker({ queueName: hangQ, module: fixture('hang.mjs'), timeoutMs: 500 });
    const options = { raiseIfRetriesExceeded: false, allowRunningForever: true } as const;
    const crash = await run(new IntegerLearner(50), master({ queueName: crashQ }), options);
    expect(
      crash.failures.map((f) => [f.point, f.kind]).sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [7, 'crash'],
      [23, 'crash'],
      [41, 'crash'],
    ]);
    expect(crash.failures[0]?.error).toMatch(
      /^queue worker \S+: its evaluation thread died while evaluating this point \(worker exited with code: 1\)$/,
    );
    expect(crash.npoints).toBe(50); // the 3 given up are told NaN
    expect(crash.evaluations).toBe(47);
    const hang = await run(new IntegerLearner(20), master({ queueName: hangQ }), options);
    expect(hang.failures).toEqual([
      {
        point: 13,
        kind: 'timeout',
        attempts: 1,
        error: expect.stringMatching(
          /^queue worker \S+: the evaluation took longer than timeoutMs = 500 ms; its thread was terminated$/,
        ),
      },
    ]);
    expect(hang.npoints).toBe(20);
    expect(hang.evaluations).toBe(19);
  });
});

describe.skipIf(NO_REDIS !== undefined)('startQueueWorker: jobs are data', () => {
  it('a malformed job fails with an error saying what is wrong; the worker goes on serving', async () => {
    const name = queueName('malformed');
    const w = await worker({ queueName: name, module: fixture('square.mjs') });
    const q = bullQueue(name);
    const events = new QueueEvents(name, { connection: { url: redis.url() } });
    cleanups.push(() => events.close());
    await events.waitUntilReady();
    const bad: [unknown, RegExp][] = [
      ['process.exit(1)', /its data is not an object \(got "process\.exit\(1\)"\)/],
      [{ code: 'require("fs").rmSync("/")' }, /it has no 'points' array/],
      [{ v: 1, points: [] }, /its points array is empty/],
      [{ v: 2, points: [1] }, /protocol version 2, this worker speaks version 1/],
      [{ v: 1, points: 'abc' }, /it has no 'points' array/],
      [{ v: 1, points: [1, null] }, /its point 1 is null/],
    ];
    for (const [data, why] of bad) {
      const job = await q.add('anything', data);
      const r = await settle(job.waitUntilFinished(events, 20_000));
      expect(r.ok).toBe(false);
      const msg = (r as { error: Error }).error.message;
      expect(msg).toMatch(why);
      expect(msg).toMatch(
        /^adaptive-sampling worker \S+: job \S+ of queue '.*' is not a batch of points: /,
      );
      expect(msg).toMatch(/it was not evaluated$/);
    }
    expect(w.stats.malformed).toBe(bad.length);
    // Code or a module named in a job is data like any other: the worker runs its own function.
    const sneaky = await q.add('x', {
      v: 1,
      points: [3],
      module: 'data:text/javascript,export default () => 666',
      exportName: 'default',
    });
    expect(await sneaky.waitUntilFinished(events, 20_000)).toEqual({
      v: 1,
      values: [9],
      ms: expect.any(Number),
    });
    // ... and serves a master as before.
    expect(await master({ queueName: name }).evaluate(7)).toBe(49);
    expect(w.stats).toMatchObject({ jobs: 2, points: 2, malformed: bad.length, active: 0 });
  });

  it('a bad module or export fails at start, before any job is taken', async () => {
    await expect(
      startQueueWorker({ connection: redis.url(), queueName: 'x', module: fixture('nope.mjs') }),
    ).rejects.toThrow(/WorkerPoolMaster: module not found: .*nope\.mjs/);
    await expect(
      startQueueWorker({
        connection: redis.url(),
        queueName: 'x',
        module: fixture('square.mjs'),
        exportName: 'notAFunction',
      }),
    ).rejects.toThrow(
      /^startQueueWorker: cannot evaluate the export 'notAFunction' of file:.*square\.mjs: the export 'notAFunction' of .* is not a function \(it is number\)/,
    );
  });
});

describe.skipIf(NO_REDIS !== undefined)('QueueMaster: aborts, close and connections', () => {
  it('an aborted evaluation leaves the queue when no worker took it; close() removes the rest', async () => {
    const name = queueName('abort');
    const m = master({ queueName: name, slots: 4 }); // no worker: jobs wait
    const q = bullQueue(name);
    const ac = new AbortController();
    const kept = [settle(m.evaluate(1)), settle(m.evaluate(2))];
    const aborted = settle(m.evaluate(3, ac.signal));
    await vi.waitFor(async () => expect(await q.getWaitingCount()).toBe(3), { timeout: 10_000 });
    ac.abort(new Error('changed my mind'));
    const a = await aborted;
    expect(a.ok).toBe(false);
    expect((a as { error: Error }).error.name).toBe('AbortError');
    await vi.waitFor(async () => expect(await q.getWaitingCount()).toBe(2), { timeout: 10_000 });
    expect(m.stats).toMatchObject({ inFlight: 2, jobsInFlight: 2 });
    await m.close();
    for (const k of kept) {
      const r = await k;
      expect(r.ok).toBe(false);
      expect((r as { error: Error }).error.message).toBe(
        'QueueMaster: closed before the evaluation finished',
      );
    }
    expect(await q.getWaitingCount()).toBe(0);
    await expect(m.evaluate(4)).rejects.toThrow('QueueMaster: evaluate() called after close()');
  });

  it('close() closes the connections it made, never an ioredis instance passed in', async () => {
    // A server of its own, so that only this test's connections count.
    const own = await startRedisServer();
    cleanups.push(() => own.dispose());
    const url = own.url();
    const name = queueName('own');
    await worker({ queueName: name, module: fixture('square.mjs'), connection: url });
    const admin = new Redis(url);
    cleanups.push(() => admin.quit());
    const clients = async () => ((await admin.client('LIST')) as string).trim().split('\n').length;
    const baseline = await clients();

    const made = new QueueMaster<number, number>({ connection: url, queueName: name });
    expect(await made.evaluate(4)).toBe(16);
    expect(await clients()).toBeGreaterThan(baseline);
    await made.close();
    await vi.waitFor(async () => expect(await clients()).toBe(baseline), { timeout: 10_000 });

    const mine = new Redis(url, { maxRetriesPerRequest: null });
    cleanups.push(() => mine.quit());
    const given = new QueueMaster<number, number>({ connection: mine, queueName: name });
    expect(await given.evaluate(5)).toBe(25);
    await given[Symbol.asyncDispose]();
    expect(mine.status).toBe('ready');
    expect(await mine.ping()).toBe('PONG');
    // Only the events reader's own connection is gone; `mine` is the one left.
    await vi.waitFor(async () => expect(await clients()).toBe(baseline + 1), { timeout: 10_000 });
  });

  it('options: a prefix, ioredis options, fixed slots, and errors that say what is wrong', async () => {
    const name = queueName('opts');
    const connection = { host: '127.0.0.1', port: redis.port };
    await worker({ queueName: name, module: fixture('square.mjs'), prefix: 'lab', connection });
    const m = master({ queueName: name, prefix: 'lab', slots: 6, connection });
    expect(m.concurrency).toBe(6);
    expect(await m.evaluate(3)).toBe(9);
    expect(m.stats.slots).toBe(6);
    expect(m.server).toBe(`redis://127.0.0.1:${redis.port}`);

    const bad = (o: object) => () =>
      new QueueMaster({ connection: redis.url(), queueName: 'q', ...o });
    expect(bad({ queueName: 'a:b' })).toThrow(
      /queueName must be a non-empty string without ':', got "a:b"/,
    );
    expect(bad({ slots: 0 })).toThrow(/QueueMaster: slots must be a positive integer, got 0/);
    expect(bad({ batchSize: 1.5 })).toThrow(/batchSize must be a positive integer, got 1.5/);
    expect(bad({ sweepMs: 1 })).toThrow(/sweepMs must be a number of milliseconds ≥ 10, got 1/);
    expect(bad({ queuName: 'q' })).toThrow(
      /unknown option 'queuName' \(did you mean 'queueName'\?\)/,
    );
    expect(bad({ connection: 'http://:pw@x' })).toThrow(
      /connection "http:\/\/:\*\*\*@x\/" is not a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(bad({ connection: 42 })).toThrow(/connection must be a redis:\/\/ URL, ioredis options/);
    await expect(
      startQueueWorker({
        connection: redis.url(),
        queueName: 'q',
        module: fixture('square.mjs'),
        concurrency: -1,
      }),
    ).rejects.toThrow(/startQueueWorker: concurrency must be a positive integer, got -1/);
    await expect(
      startQueueWorker({
        connection: redis.url(),
        queueName: 'q',
        module: fixture('square.mjs'),
        lockDuration: 0,
      }),
    ).rejects.toThrow(/lockDuration must be a positive number of milliseconds, got 0/);
  });
});

describe.skipIf(NO_REDIS !== undefined)('QueueMaster: missed events', () => {
  it('a result whose event was lost (its reader disconnected, the stream trimmed) is read by the next sweep', async () => {
    const name = queueName('missed');
    const m = master({ queueName: name, sweepMs: 200 });
    const q = bullQueue(name);
    const value = m.evaluate(3); // no worker: the job waits
    await vi.waitFor(async () => expect(await q.getWaitingCount()).toBe(1), { timeout: 10_000 });
    // Cut the master's events reader (BullMQ waits a second before it reconnects) ...
    const admin = new Redis(redis.url());
    cleanups.push(() => admin.quit());
    const list = (await admin.client('LIST')) as string;
    const reader = list
      .split('\n')
      .find((l) => / name=\S+:qe( |$)/.test(l) && l.includes(Buffer.from(name).toString('base64')));
    expect(reader).toBeDefined();
    await admin.client('KILL', 'ID', /id=(\d+)/.exec(reader as string)?.[1] as string);
    // ... meanwhile a worker finishes the job, and its events vanish.
    const w = new Worker(name, null, { connection: { url: redis.url() } });
    cleanups.push(() => w.close());
    const job = await w.getNextJob('token');
    expect(job?.data).toEqual({ v: 1, points: [3] });
    await job?.moveToCompleted({ v: 1, values: [9], ms: 1 }, 'token', false);
    await admin.xtrim(q.keys.events as string, 'MAXLEN', 0);
    expect(await value).toBe(9);
    expect(m.stats).toMatchObject({
      jobsCompleted: 1,
      recovered: 1,
      resubmitted: 0,
      jobsInFlight: 0,
    });
    await vi.waitFor(async () => expect(await q.getCompletedCount()).toBe(0), { timeout: 10_000 });
  });
});
