import { describe, expect, it } from 'vitest';
import { Runner, run } from '../../src/runner/runner.js';
import { controlled, flush, IntegerLearner } from './fake-learner.js';

describe('run: failures and retries', () => {
  it('retries the same point, then rejects naming the point, with the cause', async () => {
    const learner = new IntegerLearner(100);
    const calls = new Map<number, number>();
    const boom = new Error('sensor offline');
    const f = (x: number) => {
      calls.set(x, (calls.get(x) ?? 0) + 1);
      if (x === 3) throw boom;
      return x;
    };
    const err = await run(learner, f, { npointsGoal: 50, retries: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'run: evaluating point 3 failed after 3 attempts: sensor offline',
    );
    expect((err as Error).cause).toBe(boom);
    expect(calls.get(3)).toBe(3);
    expect(learner.askCalls.every((n) => n === 1)).toBe(true); // retries never ask again
    expect(learner.npoints).toBe(3); // 0, 1, 2 were told
    expect(learner.pendingPoints).toEqual([]);
  });

  it('a rejected promise fails like a throw (default: no retry)', async () => {
    const learner = new IntegerLearner(10);
    const err = await run(
      learner,
      async (x: number) => {
        if (x === 1) throw new TypeError('bad');
        return x;
      },
      { npointsGoal: 5 },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/point 1 failed after 1 attempt: bad/);
    expect((err as Error).cause).toBeInstanceOf(TypeError);
  });

  it('transient failures are retried until they succeed', async () => {
    const learner = new IntegerLearner(100);
    const attempts = new Map<number, number>();
    const f = async (x: number) => {
      const a = (attempts.get(x) ?? 0) + 1;
      attempts.set(x, a);
      if (a <= 2) throw new Error(`try ${a}`);
      return -x;
    };
    const s = await run(learner, f, { npointsGoal: 10, retries: 2, concurrency: 3, log: true });
    expect(s).toMatchObject({ reason: 'npointsGoal', failures: [] });
    expect(s.npoints).toBeGreaterThanOrEqual(10); // results of the same turn are all told
    for (const [x, y] of learner.data) expect(y).toBe(-x);
    // The log asks each point once: retries are not asks, but recorded as retries.
    const asked = s.log?.filter((e) => e.op === 'ask').flatMap((e) => e.points) ?? [];
    expect(new Set(asked).size).toBe(asked.length);
    const retries = s.log?.filter((e) => e.op === 'retry') ?? [];
    expect(retries.length).toBe(2 * asked.length);
    expect(retries[0]).toMatchObject({ op: 'retry', error: 'try 1', attempts: 1, kind: 'error' });
  });

  it('raiseIfRetriesExceeded: false records the failure and tells the learner NaN in its place', async () => {
    const learner = new IntegerLearner(100, { noReask: true });
    const calls = new Map<number, number>();
    let pendingWhileEvaluating5: readonly number[] | undefined;
    const f = (x: number) => {
      calls.set(x, (calls.get(x) ?? 0) + 1);
      if (x === 5) pendingWhileEvaluating5 = learner.pendingPoints.slice();
      if (x === 2 || x === 4) throw new Error(`no value at ${x}`);
      return x;
    };
    const s = await run(learner, f, {
      npointsGoal: 10,
      retries: 1,
      raiseIfRetriesExceeded: false,
      log: true,
    });
    expect(s.reason).toBe('npointsGoal');
    expect(s.npoints).toBe(10); // 2 and 4 count: they were told NaN
    expect(s.evaluations).toBe(8);
    expect(s.failures).toEqual([
      { point: 2, error: 'no value at 2', attempts: 2, kind: 'error' },
      { point: 4, error: 'no value at 4', attempts: 2, kind: 'error' },
    ]);
    expect(calls.get(2)).toBe(2);
    expect(calls.get(4)).toBe(2);
    // While 5 was evaluated, 2 and 4 were no longer pending (python-adaptive keeps them).
    expect(pendingWhileEvaluating5).toEqual([5]);
    expect(learner.data.get(2)).toBeNaN();
    expect(learner.data.get(4)).toBeNaN();
    expect(learner.pendingPoints).toEqual([]);
    const log = s.log ?? [];
    const at = log.findIndex((e) => e.op === 'fail');
    expect(log[at]).toMatchObject({ op: 'fail', point: 2 });
    expect(log[at + 1]).toEqual({ op: 'tell', point: 2, value: Number.NaN, failed: true });
    expect(log.filter((e) => e.op === 'fail')).toHaveLength(2);
  });

  it('a given-up point that the learner asks again before the first value is parked pending, not re-evaluated, then told NaN', async () => {
    const learner = new IntegerLearner(100); // always hands out the lowest free index
    const calls = new Map<number, number>();
    const f = (x: number) => {
      calls.set(x, (calls.get(x) ?? 0) + 1);
      if (x === 0) throw new Error('no');
      return x;
    };
    const s = await run(learner, f, { npointsGoal: 10, raiseIfRetriesExceeded: false, log: true });
    expect(s).toMatchObject({ npoints: 10, reason: 'npointsGoal', evaluations: 9 });
    expect(calls.get(0)).toBe(1);
    // No value yet, so no shape for its NaN: 0 waits, parked when asked again, for the first value.
    expect(s.log?.slice(0, 6)).toEqual([
      { op: 'ask', n: 1, points: [0] },
      { op: 'fail', point: 0, error: 'no', attempts: 1, kind: 'error' },
      { op: 'ask', n: 1, points: [0] },
      { op: 'ask', n: 1, points: [1] },
      { op: 'tell', point: 1, value: 1 },
      { op: 'tell', point: 0, value: Number.NaN, failed: true },
    ]);
    expect(learner.data.get(0)).toBeNaN();
    expect(learner.pendingPoints).toEqual([]);
  });

  it('a failure at concurrency k keeps the other points in flight pending', async () => {
    const learner = new IntegerLearner(100);
    const c = controlled<number, number>();
    const runner = new Runner(learner, c.fn, {
      npointsGoal: 20,
      concurrency: 3,
      raiseIfRetriesExceeded: false,
    }).start();
    await flush();
    expect(learner.pendingPoints.toSorted()).toEqual([0, 1, 2]);
    c.calls[1]?.reject(new Error('lost'));
    await flush();
    expect(runner.failures).toEqual([{ point: 1, error: 'lost', attempts: 1, kind: 'error' }]);
    // 1 was dropped, 0 and 2 are still pending, and the free slot was refilled (1 is parked).
    expect(learner.pendingPoints).toContain(0);
    expect(learner.pendingPoints).toContain(2);
    expect(c.calls.map((x) => x.point)).toEqual([0, 1, 2, 3]);
    runner.cancel();
    const s = await runner.done;
    expect(s.failures).toHaveLength(1);
    expect(learner.pendingPoints).toEqual([]);
  });

  it('told data is never lost when the run raises mid-way', async () => {
    const learner = new IntegerLearner(100);
    const c = controlled<number, number>();
    const done = run(learner, c.fn, { npointsGoal: 50, concurrency: 4 });
    await flush();
    c.calls[0]?.resolve(0);
    c.calls[1]?.resolve(10);
    // 2 fails after 3 arrived in the same turn: 3 is told before the run rejects.
    c.calls[2]?.reject(new Error('crash'));
    c.calls[3]?.resolve(30);
    await expect(done).rejects.toThrow(/point 2 failed after 1 attempt: crash/);
    expect(learner.data.get(0)).toBe(0);
    expect(learner.data.get(1)).toBe(10);
    expect(learner.data.get(3)).toBe(30);
    expect(learner.pendingPoints).toEqual([]);
    const late = c.calls.find((x) => x.point === 4);
    late?.resolve(40); // arrives after the end: ignored
    await flush();
    expect(learner.data.has(4)).toBe(false);
  });

  it('an error thrown by the learner, the goal or onProgress rejects the run', async () => {
    const badValue = run(new IntegerLearner(10), () => 'x' as unknown as number, {
      npointsGoal: 3,
    });
    await expect(badValue).rejects.toThrow(/value at 0 must be a number/);
    const badGoal = run(new IntegerLearner(10), (x: number) => x, {
      goal: (l) => {
        if (l.npoints > 2) throw new Error('goal broke');
        return false;
      },
    });
    await expect(badGoal).rejects.toThrow('goal broke');
    const learner = new IntegerLearner(10);
    const badProgress = run(learner, (x: number) => x, {
      npointsGoal: 5,
      onProgress: () => {
        throw new Error('progress broke');
      },
    });
    await expect(badProgress).rejects.toThrow('progress broke');
    expect(learner.pendingPoints).toEqual([]);
  });

  it('the Runner status is failed after an error', async () => {
    const runner = new Runner(
      new IntegerLearner(5),
      () => {
        throw new Error('x');
      },
      { npointsGoal: 5 },
    ).start();
    await expect(runner.done).rejects.toThrow('Runner: evaluating point 0');
    expect(runner.status).toBe('failed');
  });
});
