import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InlineMaster } from '../../src/master/inline.js';
import type { Master } from '../../src/master/types.js';
import { Runner, run } from '../../src/runner/node.js';
import type { ProgressInfo } from '../../src/runner/types.js';
import { controlled, flush, IntegerLearner } from './fake-learner.js';

/** A caller's master that records the signals it was given and whether it was closed. */
function recordingMaster(concurrency: number) {
  const c = controlled<number, number>();
  const signals: AbortSignal[] = [];
  let closed = 0;
  const master: Master<number, number> = {
    concurrency,
    evaluate(point, signal) {
      if (signal) signals.push(signal);
      return c.fn(point);
    },
    close() {
      closed++;
      return Promise.resolve();
    },
  };
  return { master, calls: c.calls, signals, closed: () => closed };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('run: cancellation', () => {
  it('aborting the signal resolves with cancelled, drops pending points, aborts evaluations', async () => {
    const learner = new IntegerLearner(100);
    const m = recordingMaster(3);
    const ac = new AbortController();
    const done = run(learner, m.master, { npointsGoal: 50, signal: ac.signal });
    await flush();
    m.calls[0]?.resolve(1);
    await flush();
    expect(learner.pendingPoints).toHaveLength(3);
    ac.abort();
    const s = await done;
    expect(s).toMatchObject({ cancelled: true, reason: 'cancelled', npoints: 1 });
    expect(learner.pendingPoints).toEqual([]);
    expect(m.signals.length).toBe(4);
    expect(m.signals.every((sig) => sig.aborted)).toBe(true);
    // Late results are ignored.
    for (const call of m.calls) call.resolve(0);
    await flush();
    expect(learner.npoints).toBe(1);
    expect(m.closed()).toBe(0); // never close the caller's master
  });

  it('runner.cancel() does the same', async () => {
    const learner = new IntegerLearner(100);
    const c = controlled<number, number>();
    const runner = new Runner(learner, c.fn, { npointsGoal: 50, concurrency: 2 }).start();
    await flush();
    expect(runner.pending).toBe(2);
    runner.cancel();
    runner.cancel(); // idempotent
    const s = await runner.done;
    expect(s).toMatchObject({ cancelled: true, reason: 'cancelled', npoints: 0 });
    expect(runner.status).toBe('cancelled');
    expect(learner.pendingPoints).toEqual([]);
  });

  it('a signal aborted before the run leaves the learner untouched', async () => {
    const learner = new IntegerLearner(10);
    const s = await run(learner, (x: number) => x, {
      npointsGoal: 5,
      signal: AbortSignal.abort(),
    });
    expect(s).toMatchObject({ cancelled: true, evaluations: 0, npoints: 0, elapsedMs: 0 });
    expect(learner.askCalls).toEqual([]);
  });

  it('cancel() before start() finishes the runner; start() then throws', async () => {
    const learner = new IntegerLearner(10);
    const runner = new Runner(learner, (x: number) => x, { npointsGoal: 5 });
    runner.cancel();
    await expect(runner.done).resolves.toMatchObject({ cancelled: true, npoints: 0 });
    expect(() => runner.start()).toThrow(/already started or was cancelled/);
    expect(learner.askCalls).toEqual([]);
  });

  it('cancel() from inside the function stops the run cleanly', async () => {
    const learner = new IntegerLearner(100);
    const runner: Runner<number, number> = new Runner(
      learner,
      (x: number) => {
        if (x === 4) runner.cancel();
        return x;
      },
      { npointsGoal: 50 },
    );
    const s = await runner.start().done;
    expect(s.cancelled).toBe(true);
    expect(s.npoints).toBe(5); // 4 was evaluated before the cancel took effect: told
    expect(learner.pendingPoints).toEqual([]);
  });

  it('a long synchronous run still yields to the event loop, so a timeout signal stops it', async () => {
    const learner = new IntegerLearner(1e9);
    const s = await run(learner, (x: number) => x, {
      allowRunningForever: true,
      signal: AbortSignal.timeout(30),
    });
    expect(s.cancelled).toBe(true);
    expect(s.npoints).toBeGreaterThan(0);
  });

  it('await using a Runner cancels it', async () => {
    const c = controlled<number, number>();
    const learner = new IntegerLearner(10);
    const runner = new Runner(learner, c.fn, { npointsGoal: 5 }).start();
    await flush();
    await runner[Symbol.asyncDispose]();
    expect(runner.status).toBe('cancelled');
    expect(learner.pendingPoints).toEqual([]);
  });
});

describe('run: masters', () => {
  it('closes the InlineMaster it made from a function, never a master passed in', async () => {
    const close = vi.spyOn(InlineMaster.prototype, 'close');
    await run(new IntegerLearner(10), (x: number) => x, { npointsGoal: 3 });
    expect(close).toHaveBeenCalledTimes(1);
    close.mockClear();
    const mine = new InlineMaster((x: number) => x);
    await run(new IntegerLearner(10), mine, { npointsGoal: 3 });
    expect(close).not.toHaveBeenCalled();
    expect(mine.closed).toBe(false);
    await expect(mine.evaluate(2)).resolves.toBe(2);
    const failing = new InlineMaster((): number => {
      throw new Error('x');
    });
    await expect(run(new IntegerLearner(10), failing, { npointsGoal: 3 })).rejects.toThrow();
    expect(failing.closed).toBe(false);
  });

  it('rejects an evaluate that is neither a function nor a master', async () => {
    await expect(run(new IntegerLearner(3), {} as never, { npointsGoal: 1 })).rejects.toThrow(
      /run: evaluate must be a function, a Master/,
    );
  });
});

describe('run: progress and checkpoints', () => {
  it('calls onProgress while running and once at the end', async () => {
    const infos: ProgressInfo[] = [];
    const learner = new IntegerLearner(30);
    const s = await run(
      learner,
      (x: number) => new Promise<number>((resolve) => setTimeout(() => resolve(x), 2)),
      { npointsGoal: 30, progressIntervalMs: 1, onProgress: (i) => infos.push(i) },
    );
    expect(infos.length).toBeGreaterThanOrEqual(2);
    const last = infos.at(-1) as ProgressInfo;
    expect(last).toMatchObject({ npoints: s.npoints, pending: 0, failures: 0, loss: s.loss });
    expect(Object.keys(last).sort()).toEqual(
      ['elapsedMs', 'failures', 'final', 'loss', 'npoints', 'overhead', 'pending', 'rate'].sort(),
    );
    expect(last.rate).toBeGreaterThan(0);
    expect(last.final).toBe(true);
    expect(infos.slice(0, -1).every((i) => !i.final)).toBe(true);
    for (let i = 1; i < infos.length; i++) {
      expect((infos[i] as ProgressInfo).npoints).toBeGreaterThanOrEqual(
        (infos[i - 1] as ProgressInfo).npoints,
      );
    }
  });

  it('writes the learner snapshot to the checkpoint file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adaptive-run-'));
    try {
      const path = join(dir, 'learner.json');
      const learner = new IntegerLearner(20);
      await run(learner, (x: number) => x * 3, {
        npointsGoal: 12,
        checkpoint: { path, everyMs: 1 },
      });
      const restored = new IntegerLearner(20);
      restored.restore(JSON.parse(readFileSync(path, 'utf8')));
      expect(restored.snapshot()).toEqual(learner.snapshot());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a checkpoint that cannot be written rejects the run, naming the path', async () => {
    const path = join(tmpdir(), 'no-such-dir-adaptive', 'x', 'learner.json');
    await expect(
      run(new IntegerLearner(5), (x: number) => x, { npointsGoal: 2, checkpoint: { path } }),
    ).rejects.toThrow(/run: writing the checkpoint .*learner\.json failed/);
  });
});
