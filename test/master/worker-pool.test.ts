import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLog, replay, serializeLog } from '../../src/io/log.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { ReplayMaster } from '../../src/master/replay.js';
import { WorkerPoolMaster } from '../../src/master/worker-pool.js';
import { Runner, run } from '../../src/runner/node.js';
import type { LogEntry } from '../../src/runner/types.js';
import { IntegerLearner } from '../runner/fake-learner.js';
import { masterConformance } from './conformance.js';

const fixture = (name: string) => new URL(`../fixtures/workers/${name}`, import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const conformanceModule = new URL('../../src/testing/conformance-function.ts', import.meta.url);

/** Pools made by a test, closed after it whatever happens. */
const pools: WorkerPoolMaster[] = [];
function pool<P = number, V = number>(
  options: ConstructorParameters<typeof WorkerPoolMaster<P, V>>[0],
): WorkerPoolMaster<P, V> {
  const p = new WorkerPoolMaster<P, V>(options);
  pools.push(p as unknown as WorkerPoolMaster);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Evaluates enough fast points for the batch size to grow past 1. */
async function growBatches(p: WorkerPoolMaster<number, number>, from: number): Promise<void> {
  for (let round = 0; round < 20 && p.batchSize <= 8; round++) {
    await Promise.all(Array.from({ length: 2000 }, (_, i) => settle(p.evaluate(from + i))));
  }
  expect(p.batchSize).toBeGreaterThan(8);
}

type Settled<V> = { ok: true; value: V } | { ok: false; error: Error };
const settle = <V>(p: Promise<V>): Promise<Settled<V>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );

masterConformance(
  'WorkerPoolMaster',
  () =>
    new WorkerPoolMaster<number, number>({
      module: conformanceModule,
      exportName: 'conformanceFunction',
      threads: 2,
    }),
);

describe('WorkerPoolMaster: evaluation', () => {
  it('evaluates an export of an ES module given as a path, a URL or a data: URL', async () => {
    const byPath = pool({ module: 'test/fixtures/workers/square.mjs', threads: 1 });
    expect(byPath.module).toBe(fixture('square.mjs').href);
    expect(byPath.concurrency).toBe(1); // slow until measured: one point per message
    await expect(byPath.evaluate(3)).resolves.toBe(9);
    const named = pool({ module: fixture('square.mjs'), exportName: 'cube', threads: 1 });
    await expect(named.evaluate(3)).resolves.toBe(27);
    const data = pool<number, number[]>({
      module: 'data:text/javascript,export default (x) => [x, -x]',
      threads: 1,
    });
    await expect(data.evaluate(2)).resolves.toEqual([2, -2]);
    expect(named.threads).toBe(1);
  });

  it('rejects bad options with messages that say what is wrong', () => {
    expect(() => new WorkerPoolMaster({ module: 'test/fixtures/workers/nope.mjs' })).toThrow(
      /WorkerPoolMaster: module not found: .*nope\.mjs \(from 'test\/fixtures\/workers\/nope\.mjs', resolved against /,
    );
    expect(() => new WorkerPoolMaster({ module: 42 as never })).toThrow(
      /module must be a file path or a URL of an ES module, got 42/,
    );
    const module = fixture('square.mjs');
    expect(() => new WorkerPoolMaster({ module, threads: 0 })).toThrow(
      /threads must be a positive integer, got 0/,
    );
    expect(() => new WorkerPoolMaster({ module, timeoutMs: -1 })).toThrow(
      /timeoutMs must be a positive number of milliseconds, got -1/,
    );
    expect(() => new WorkerPoolMaster({ module, exportName: '' })).toThrow(
      /exportName must be a non-empty string/,
    );
    expect(() => new WorkerPoolMaster({ module, thread: 2 } as never)).toThrow(
      /unknown option 'thread' \(did you mean 'threads'\?\)/,
    );
    expect(
      () => new WorkerPoolMaster({ module, resourceLimits: { maxOldGenerationSizeMb: -5 } }),
    ).toThrow(
      'WorkerPoolMaster: resourceLimits.maxOldGenerationSizeMb must be a positive number of MB, got -5',
    );
    expect(
      () => new WorkerPoolMaster({ module, resourceLimits: { maxOldSizeMb: 64 } as never }),
    ).toThrow(
      "WorkerPoolMaster: resourceLimits: unknown option 'maxOldSizeMb'; known options: maxOldGenerationSizeMb, maxYoungGenerationSizeMb, codeRangeSizeMb, stackSizeMb",
    );
    expect(() => new WorkerPoolMaster({ module, resourceLimits: 64 as never })).toThrow(
      /resourceLimits must be an object such as \{ maxOldGenerationSizeMb: 512 \}, got 64/,
    );
  });

  it('a worker Node refuses to start (a bad execArgv flag) is a clear error at construction', () => {
    const err = (() => {
      try {
        new WorkerPoolMaster({ module: fixture('square.mjs'), execArgv: ['--no-such-flag'] });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toMatch(
      /^WorkerPoolMaster: cannot start a worker thread \(.*--no-such-flag\); check execArgv and resourceLimits$/,
    );
  });

  it('a missing or non-function export rejects every point, naming the export', async () => {
    const missing = pool({ module: fixture('square.mjs'), exportName: 'nope', threads: 1 });
    await expect(missing.evaluate(1)).rejects.toThrow(
      /the export 'nope' of .*square\.mjs is not a function \(its exports are 'cube', 'default', 'notAFunction'\); pass exportName/,
    );
    await expect(missing.warmup()).rejects.toThrow(/not a function/);
    const notFn = pool({ module: fixture('square.mjs'), exportName: 'notAFunction', threads: 1 });
    await expect(notFn.evaluate(1)).rejects.toThrow(/is not a function \(it is number\)/);
  });

  it('batches fast points: the batch size grows, concurrency follows, each point gets its own value', async () => {
    const p = pool({ module: fixture('square.mjs'), threads: 2, batchSize: 64 });
    await growBatches(p, 0);
    expect(p.batchSize).toBeLessThanOrEqual(64);
    expect(p.concurrency).toBe(2 * 2 * p.batchSize);
    const xs = Array.from({ length: 5000 }, (_, i) => i - 2500);
    const ys = await Promise.all(xs.map((x) => p.evaluate(x)));
    expect(ys).toEqual(xs.map((x) => x * x));
    expect(p.stats).toMatchObject({ threads: 2, queued: 0, inFlight: 0, crashes: 0 });
  });

  it('an error of one point in a batch rejects only that point, with its class and message', async () => {
    const p = pool({ module: fixture('throws.mjs'), threads: 2 });
    await growBatches(p, 10_000);
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const rs = await Promise.all(xs.map((x) => settle(p.evaluate(x))));
    for (const x of xs) {
      const r = rs[x] as Settled<number>;
      if (x > 0 && x % 5 === 0) {
        expect(r.ok).toBe(false);
        expect((r as { error: Error }).error).toBeInstanceOf(RangeError);
        expect((r as { error: Error }).error.message).toBe(`no reading at ${x}`);
        expect((r as { error: Error }).error.stack).toContain('throws.mjs');
      } else {
        expect(r).toEqual({ ok: true, value: x * 10 });
      }
    }
  });

  it('a worker that exits fails only the point it was evaluating; the rest of its batch is evaluated again', async () => {
    const p = pool({ module: fixture('crash.mjs'), threads: 2 });
    await growBatches(p, 1000);
    const xs = Array.from({ length: 60 }, (_, i) => i);
    const rs = await Promise.all(xs.map((x) => settle(p.evaluate(x))));
    for (const x of xs) {
      const r = rs[x] as Settled<number>;
      if (x === 7 || x === 23 || x === 41) {
        expect(r.ok).toBe(false);
        expect((r as { error: Error }).error.name).toBe('WorkerCrashError');
        expect((r as { error: Error }).error.message).toBe(
          'WorkerPoolMaster: the worker died while evaluating this point (worker exited with code: 1)',
        );
      } else {
        expect(r).toEqual({ ok: true, value: x * 10 });
      }
    }
    expect(p.stats.crashes).toBe(3);
    // The dead workers were replaced: the pool still has its threads.
    await vi.waitFor(() => expect(p.stats.liveWorkers).toBe(2), { timeout: 20_000 });
    await expect(p.evaluate(2)).resolves.toBe(20);
  });

  it('an uncaught error or out of memory inside a point fails only that point, as a crash', async () => {
    for (const [exportName, culprit, message, limits] of [
      ['asyncThrow', 3, /\(uncaught in a timer at 3\)$/, undefined],
      ['outOfMemory', 2, /out of memory/i, { maxOldGenerationSizeMb: 32 }],
    ] as const) {
      const p = pool({
        module: fixture('misbehave.mjs'),
        exportName,
        threads: 2,
        resourceLimits: limits,
      });
      const xs = Array.from({ length: 12 }, (_, i) => i);
      const rs = await Promise.all(xs.map((x) => settle(p.evaluate(x))));
      for (const x of xs) {
        const r = rs[x] as Settled<number>;
        if (x === culprit) {
          expect(r.ok).toBe(false);
          expect((r as { error: Error }).error.name).toBe('WorkerCrashError');
          expect((r as { error: Error }).error.message).toMatch(
            /^WorkerPoolMaster: the worker died while evaluating this point/,
          );
          expect((r as { error: Error }).error.message).toMatch(message);
        } else {
          expect(r).toEqual({ ok: true, value: x * 10 });
        }
      }
      expect(p.stats.crashes).toBe(1);
      await vi.waitFor(() => expect(p.stats.liveWorkers).toBe(2), { timeout: 20_000 });
      await expect(p.evaluate(5)).resolves.toBe(50);
    }
  });

  it('a worker that dies after answering its batch loses no point and is replaced', async () => {
    const p = pool({ module: fixture('misbehave.mjs'), exportName: 'throwAfter', threads: 1 });
    await expect(p.evaluate(4)).resolves.toBe(40);
    // The timer kills the worker 20 ms later, holding no point: the next ones are answered.
    await vi.waitFor(() => expect(p.stats.workersExited).toBe(1), { timeout: 20_000 });
    const rs = await Promise.all([5, 6, 7].map((x) => settle(p.evaluate(x))));
    expect(rs).toEqual([50, 60, 70].map((value) => ({ ok: true, value })));
    expect(p.stats).toMatchObject({ crashes: 0, workersStarted: 2, liveWorkers: 1 });
  });

  it('a point over timeoutMs fails with a TimeoutError; its worker is terminated and replaced', async () => {
    const p = pool({ module: fixture('hang.mjs'), threads: 2, timeoutMs: 1000 });
    const xs = Array.from({ length: 20 }, (_, i) => i);
    const rs = await Promise.all(xs.map((x) => settle(p.evaluate(x))));
    for (const x of xs) {
      const r = rs[x] as Settled<number>;
      if (x === 13) {
        expect(r.ok).toBe(false);
        expect((r as { error: Error }).error.name).toBe('TimeoutError');
        expect((r as { error: Error }).error.message).toBe(
          'WorkerPoolMaster: the evaluation took longer than timeoutMs = 1000 ms; its worker was terminated',
        );
      } else {
        expect(r).toEqual({ ok: true, value: x * 10 });
      }
    }
    expect(p.stats.timeouts).toBe(1);
    await expect(p.evaluate(3)).resolves.toBe(30);
  });

  it('workers that cannot start fail the points with the reason, and never hang', async () => {
    const p = pool({
      module: fixture('square.mjs'),
      threads: 2,
      execArgv: ['--import', 'no-such-package-adaptive'],
    });
    for (let round = 0; round < 2; round++) {
      const rs = await Promise.all([1, 2, 3, 4, 5].map((x) => settle(p.evaluate(x))));
      for (const r of rs) {
        expect(r.ok).toBe(false);
        expect((r as { error: Error }).error.name).toBe('WorkerCrashError');
        expect((r as { error: Error }).error.message).toMatch(
          /^WorkerPoolMaster: (a worker failed to start|the worker died before evaluating any point of its batch).*Cannot find package 'no-such-package-adaptive'/,
        );
      }
    }
    // A worker that never started is started again for the next batch only, not in a loop.
    const started = p.stats.workersStarted;
    await new Promise((r) => setTimeout(r, 300));
    expect(p.stats.workersStarted).toBe(started);
    expect(p.stats.liveWorkers).toBe(0);
  });

  it('close() rejects queued and running evaluations, is idempotent, and leaves no worker', async () => {
    const p = new WorkerPoolMaster<number, number>({
      module: fixture('delay.mjs'),
      exportName: 'slow',
      threads: 2,
    });
    const running = [1, 2, 3].map((x) => settle(p.evaluate(x)));
    await vi.waitFor(() => expect(p.stats.inFlight).toBe(2), { timeout: 20_000 });
    await Promise.all([p.close(), p.close()]);
    for (const r of await Promise.all(running)) {
      expect(r.ok).toBe(false);
      expect((r as { error: Error }).error.message).toMatch(
        /WorkerPoolMaster: closed before the evaluation finished/,
      );
    }
    expect(p.closed).toBe(true);
    expect(p.stats.liveWorkers).toBe(0);
    expect(p.stats.workersExited).toBe(p.stats.workersStarted);
    await expect(p.evaluate(1)).rejects.toThrow(
      'WorkerPoolMaster: evaluate() called after close()',
    );
    {
      await using q = new WorkerPoolMaster<number, number>({
        module: fixture('square.mjs'),
        threads: 1,
      });
      await expect(q.evaluate(4)).resolves.toBe(16);
      pools.push(q as unknown as WorkerPoolMaster); // inspected below
    }
    expect((pools.at(-1) as WorkerPoolMaster).closed).toBe(true);
  });
});

describe('WorkerPoolMaster: runs', () => {
  it('a run on 4 threads with random delays, recorded, replays to the same learner snapshot', async () => {
    const p = pool({ module: fixture('delay.mjs'), threads: 4 });
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, p, { npointsGoal: 300, log: true });
    expect(s.npoints).toBeGreaterThanOrEqual(300);
    const log = s.log as LogEntry<number, number>[];
    // Many asks of different sizes: the pool changed its concurrency as it measured the
    // delays, and results came back in groups (about 100 asks of 7-10 sizes on a quiet
    // machine; fewer, larger groups under load).
    const asks = log.filter((e) => e.op === 'ask');
    expect(asks.length).toBeGreaterThan(20);
    expect(new Set(asks.map((e) => e.n)).size).toBeGreaterThanOrEqual(3);
    const original = learner.snapshot();

    // Through the runner, from the NDJSON text: the exact same calls, so the same state.
    const text = serializeLog(log);
    const copy = new Learner1D({ bounds: [-1, 1] });
    const r = await run(copy, new ReplayMaster<number, number>(text), { log: true });
    expect(r.reason).toBe('replayEnded');
    expect(copy.snapshot()).toEqual(original);
    expect(r.log).toEqual(parseLog(text));

    // With a goal it stops at the first tell that meets it, in the state of the log up to there.
    const again = new Learner1D({ bounds: [-1, 1] });
    const r2 = await run(again, new ReplayMaster(log), { npointsGoal: 150 });
    expect(r2.reason).toBe('npointsGoal');
    let tells = 0;
    const upTo = log.findIndex((e) => e.op === 'tell' && ++tells === 150);
    const prefix = [...log.slice(0, upTo + 1), { op: 'removeUnfinished' as const }];
    expect(again.snapshot()).toEqual(replay(new Learner1D({ bounds: [-1, 1] }), prefix).snapshot());

    // And replay() without a runner.
    expect(replay(new Learner1D({ bounds: [-1, 1] }), log).snapshot()).toEqual(original);
  });

  it('a replay with a learner built otherwise fails, naming the first difference', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    const { log } = await run(learner, (x: number) => x * x, {
      npointsGoal: 20,
      concurrency: 3,
      log: true,
    });
    const other = new Learner1D({ bounds: [-2, 1] });
    await expect(run(other, new ReplayMaster(log as LogEntry<number, number>[]))).rejects.toThrow(
      /ReplayMaster: the learner asked for point -2, which the recorded asks do not have/,
    );
  });

  for (const [name, module, failing, kind, message] of [
    [
      'process.exit(1) on some points',
      'crash.mjs',
      [7, 23, 41],
      'crash',
      /the worker died while evaluating this point \(worker exited with code: 1\)/,
    ],
    [
      'a throw on some points',
      'throws.mjs',
      [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55],
      'error',
      /^no reading at \d+$/,
    ],
    [
      'an endless loop on one point',
      'hang.mjs',
      [13],
      'timeout',
      /took longer than timeoutMs = 1000 ms/,
    ],
  ] as const) {
    it(`a run over a worker with ${name} finishes; failures recorded, every other point told`, async () => {
      const p = pool({ module: fixture(module), threads: 2, timeoutMs: 1000 });
      const learner = new IntegerLearner(60, { noReask: true });
      // Every point is told: a given-up one as NaN (and listed in failures).
      const s = await run(learner, p, {
        npointsGoal: 60,
        retries: 1,
        raiseIfRetriesExceeded: false,
      });
      expect(s.reason).toBe('npointsGoal');
      expect(s.npoints).toBe(60);
      expect(s.evaluations).toBe(60 - failing.length);
      expect(s.failures.map((f) => f.point).sort((a, b) => a - b)).toEqual(failing);
      for (const f of s.failures) {
        expect(f).toMatchObject({ attempts: 2, kind });
        expect(f.error).toMatch(message);
      }
      for (let x = 0; x < 60; x++) {
        if ((failing as readonly number[]).includes(x)) expect(learner.data.get(x)).toBeNaN();
        else expect(learner.data.get(x)).toBe(x * 10);
      }
      expect(learner.pendingPoints).toEqual([]);
    });

    it(`by default a run over a worker with ${name} rejects, naming the point`, async () => {
      const p = pool({ module: fixture(module), threads: 2, timeoutMs: 1000 });
      const err = await run(new IntegerLearner(60), p, { npointsGoal: 60 }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        new RegExp(`^run: evaluating point (${failing.join('|')}) failed after 1 attempt: `),
      );
      expect(p.closed).toBe(false); // the caller's pool
    });
  }

  it('run() makes a pool from WorkerPoolMaster options and closes it before it resolves', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    const runner = new Runner(
      learner,
      { module: fixture('square.mjs'), threads: 2 },
      { npointsGoal: 2000 },
    );
    const s = await runner.start().done;
    expect(s.npoints).toBeGreaterThanOrEqual(2000);
    for (const { x, y } of learner.toRecords()) expect(y).toBe(x * x);
    const made = runner.master as WorkerPoolMaster<number, number>;
    expect(made).toBeInstanceOf(WorkerPoolMaster);
    expect(made.closed).toBe(true);
    expect(made.stats.liveWorkers).toBe(0);
  });

  it('grows and shrinks while a run goes on without losing a point', async () => {
    const p = pool({ module: fixture('delay.mjs'), threads: 1 });
    const learner = new Learner1D({ bounds: [-1, 1] });
    const resizes: Promise<void>[] = [];
    let step = 0;
    const s = await run(learner, p, {
      npointsGoal: 400,
      progressIntervalMs: 1,
      onProgress: (info) => {
        if (step === 0 && info.npoints >= 50) {
          step = 1;
          resizes.push(p.resize(3)); // captureslave! ×2
        } else if (step === 1 && info.npoints >= 200) {
          step = 2;
          resizes.push(p.resize(1)); // releaseslave! ×2
        }
      },
    });
    await Promise.all(resizes);
    expect(step).toBe(2);
    expect(s).toMatchObject({ reason: 'npointsGoal', failures: [] });
    expect(learner.pendingPoints).toEqual([]);
    for (const { x, y } of learner.toRecords()) expect(y).toBe(x + 0.01 / (0.01 + x * x));
    expect(p.threads).toBe(1);
    expect(p.stats.liveWorkers).toBe(1);
    expect(p.stats.workersStarted).toBe(3);
  });

  it('cancelling: no pending point, no live worker of a pool the run made, the caller’s pool open', async () => {
    // A pool the run makes from options: closed with its workers when the run ends.
    const learner = new Learner1D({ bounds: [-1, 1] });
    const ac = new AbortController();
    const runner = new Runner(
      learner,
      { module: fixture('delay.mjs'), exportName: 'slow', threads: 2 },
      { npointsGoal: 100, signal: ac.signal },
    ).start();
    const made = runner.master as WorkerPoolMaster<number, number>;
    await vi.waitFor(() => expect(made.stats.inFlight).toBe(2), { timeout: 20_000 });
    ac.abort();
    const s = await runner.done;
    expect(s).toMatchObject({ cancelled: true, npoints: 0 });
    expect(learner.pendingPoints).toEqual([]);
    expect(made.closed).toBe(true);
    expect(made.stats.liveWorkers).toBe(0);

    // The caller's pool: its running evaluations are aborted, the pool stays open.
    const mine = pool({ module: fixture('delay.mjs'), exportName: 'slowAtBounds', threads: 2 });
    const learner2 = new Learner1D({ bounds: [-1, 1] });
    const ac2 = new AbortController();
    const done = run(learner2, mine, { npointsGoal: 100, signal: ac2.signal });
    await vi.waitFor(() => expect(mine.stats.inFlight).toBe(2), { timeout: 20_000 });
    ac2.abort();
    expect(await done).toMatchObject({ cancelled: true });
    expect(learner2.pendingPoints).toEqual([]);
    await vi.waitFor(() => expect(mine.stats.inFlight).toBe(0), { timeout: 20_000 });
    expect(mine.stats.workersExited).toBeGreaterThanOrEqual(2); // terminated, then replaced
    expect(mine.closed).toBe(false);
    await expect(mine.evaluate(0)).resolves.toBe(1); // and it still works
  });
});

describe('WorkerPoolMaster: compiled', () => {
  it('works from the compiled JavaScript in plain node (no tsx)', () => {
    // Inside the package, so that the compiled files find their dependencies in node_modules.
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const out = mkdtempSync(join(cache, 'worker-pool-dist-'));
    try {
      spawnSync(
        join(root, 'node_modules', '.bin', 'tsc'),
        [
          '-p',
          'tsconfig.build.json',
          '--outDir',
          out,
          '--declaration',
          'false',
          '--sourceMap',
          'false',
        ],
        { cwd: root },
      );
      const entry = join(out, 'master', 'worker-pool.js');
      expect(existsSync(entry)).toBe(true);
      expect(existsSync(join(out, 'master', 'worker-entry.js'))).toBe(true);
      const script = join(out, 'smoke.mjs');
      writeFileSync(
        script,
        `import { WorkerPoolMaster } from ${JSON.stringify(entry)};
const pool = new WorkerPoolMaster({ module: ${JSON.stringify(fixture('square.mjs').href)}, threads: 2 });
const ys = await Promise.all([1, 2, 3].map((x) => pool.evaluate(x)));
await pool.close();
console.log(JSON.stringify({ ys, execArgv: process.execArgv }));
`,
      );
      const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ ys: [1, 4, 9], execArgv: [] });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
