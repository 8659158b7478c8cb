// Regression (issue 13): two run() calls (or run and runSync, or two Runners) on one learner
// at once were accepted silently, and interleaved their asks and tells. Now a learner runs
// under one run at a time: a second one is refused with a clear error, and the learner is
// released however the first run ends.
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Runner, run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';
import { controlled, flush, IntegerLearner } from './fake-learner.js';

describe('a learner in use by a run refuses a second one', () => {
  it('two run() calls at once: the second rejects, the first goes on untouched', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    const c = controlled<number, number>();
    const first = run(learner, c.fn, { npointsGoal: 5 });
    await flush();
    await expect(run(learner, (x: number) => x, { npointsGoal: 3 })).rejects.toThrow(
      /^run: this learner is already being run \(by run\(\)\)/,
    );
    expect(learner.pendingPoints).toHaveLength(1); // the first run's point only
    for (let i = 0; i < 5; i++) {
      await flush();
      c.calls[i]?.resolve(i);
    }
    expect((await first).npoints).toBe(5);
    // Released: a new run is accepted.
    expect((await run(learner, (x: number) => x, { npointsGoal: 8 })).npoints).toBe(8);
  });

  it('run then runSync, and runSync inside the function of a run', async () => {
    const learner = new IntegerLearner(100);
    let inner: unknown;
    const s = await run(
      learner,
      (x: number) => {
        if (x === 2) {
          try {
            runSync(learner, (y: number) => y, { npointsGoal: 50 });
          } catch (e) {
            inner = e;
          }
        }
        return x;
      },
      { npointsGoal: 5 },
    );
    expect(s.npoints).toBe(5);
    expect((inner as Error).message).toMatch(
      /^runSync: this learner is already being run \(by run\(\)\)/,
    );
    // After the run, runSync is accepted, and releases the learner when it ends.
    expect(runSync(learner, (y: number) => y, { npointsGoal: 7 }).npoints).toBe(7);
    expect(runSync(learner, (y: number) => y, { npointsGoal: 8 }).npoints).toBe(8);
  });

  it('run inside the function of runSync is refused', async () => {
    const learner = new IntegerLearner(100);
    let refused: Promise<unknown> | undefined;
    runSync(
      learner,
      (x: number) => {
        if (x === 1) refused = run(learner, (y: number) => y, { npointsGoal: 50 });
        return x;
      },
      { npointsGoal: 3 },
    );
    await expect(refused).rejects.toThrow(
      /^run: this learner is already being run \(by runSync\(\)\)/,
    );
  });

  it('Runner.start on two runners with one learner: the second start throws; status stays idle', async () => {
    const learner = new IntegerLearner(100);
    const c = controlled<number, number>();
    const a = new Runner(learner, c.fn, { npointsGoal: 3 });
    const b = new Runner(learner, (x: number) => x, { npointsGoal: 3 });
    a.start();
    expect(() => b.start()).toThrow(/^Runner: this learner is already being run \(by a Runner\)/);
    expect(b.status).toBe('idle');
    a.cancel();
    await a.done;
    // Released by the cancel: b may now start.
    expect((await b.start().done).npoints).toBe(3);
  });

  it('released however the run ends: error, cancel by signal, goal met at the start, exhausted', async () => {
    const learner = new IntegerLearner(10);
    await expect(
      run(
        learner,
        () => {
          throw new Error('boom');
        },
        { npointsGoal: 3 },
      ),
    ).rejects.toThrow(/boom/);
    const ac = new AbortController();
    const c = controlled<number, number>();
    const cancelled = run(learner, c.fn, { npointsGoal: 3, signal: ac.signal });
    await flush();
    ac.abort();
    expect((await cancelled).cancelled).toBe(true);
    expect((await run(learner, (x: number) => x, { npointsGoal: 0 })).reason).toBe('npointsGoal');
    expect((await run(learner, (x: number) => x, { npointsGoal: 100 })).reason).toBe('exhausted');
    expect(() =>
      runSync(
        new IntegerLearner(3),
        () => {
          throw new Error('sync boom');
        },
        { npointsGoal: 2 },
      ),
    ).toThrow(/sync boom/);
    // After every one of these, the learner is free.
    const l2 = new IntegerLearner(3);
    expect(() =>
      runSync(
        l2,
        () => {
          throw new Error('x');
        },
        { npointsGoal: 2 },
      ),
    ).toThrow();
    expect(runSync(l2, (x: number) => x, { npointsGoal: 2 }).npoints).toBe(2);
  });

  it('different learners run at once, as before', async () => {
    const a = new IntegerLearner(50);
    const b = new IntegerLearner(50);
    const [sa, sb] = await Promise.all([
      run(a, async (x: number) => x, { npointsGoal: 20, concurrency: 4 }),
      run(b, async (x: number) => x, { npointsGoal: 30, concurrency: 4 }),
    ]);
    expect([sa.npoints, sb.npoints]).toEqual([20, 30]);
  });
});
