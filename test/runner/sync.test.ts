import { describe, expect, it } from 'vitest';
import { replay } from '../../src/runner/log.js';
import { run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';
import type { LogEntry } from '../../src/runner/types.js';
import { IntegerLearner } from './fake-learner.js';

describe('runSync', () => {
  it('runs a plain synchronous loop to the goal, no promise involved', () => {
    const learner = new IntegerLearner(100);
    const s = runSync(learner, (x: number) => x * x, { npointsGoal: 10 });
    expect(s).toMatchObject({ npoints: 10, reason: 'npointsGoal', cancelled: false, failures: [] });
    expect(learner.data.get(3)).toBe(9);
    expect(learner.askCalls).toEqual(new Array(10).fill(1));
    expect(learner.pendingPoints).toEqual([]);
  });

  it('gives the same learner state as run() at concurrency 1', async () => {
    const a = new IntegerLearner(50);
    const b = new IntegerLearner(50);
    runSync(a, (x: number) => Math.sin(x), { lossGoal: 0.5 });
    await run(b, (x: number) => Math.sin(x), { lossGoal: 0.5 });
    expect(a.snapshot()).toEqual(b.snapshot());
  });

  it('pointsPerAsk asks that many points per iteration (no more than npointsGoal needs), goals checked per batch', () => {
    const learner = new IntegerLearner(100);
    const s = runSync(learner, (x: number) => x, { npointsGoal: 10, pointsPerAsk: 3 });
    expect(learner.askCalls).toEqual([3, 3, 3, 1]);
    expect(s.npoints).toBe(10);
    const l2 = new IntegerLearner(100);
    expect(runSync(l2, (x: number) => x, { lossGoal: 0.85, pointsPerAsk: 4 }).npoints).toBe(16);
    expect(l2.askCalls).toEqual([4, 4, 4, 4]);
  });

  it('supports every goal and done()', () => {
    expect(runSync(new IntegerLearner(10), (x: number) => x, { lossGoal: 0.3 })).toMatchObject({
      npoints: 7,
      reason: 'lossGoal',
    });
    expect(
      runSync(new IntegerLearner(10), (x: number) => x, { goal: (l) => l.npoints === 4 }),
    ).toMatchObject({ npoints: 4, reason: 'goal' });
    expect(
      runSync(new IntegerLearner(10), (x: number) => x, { endTimeGoal: new Date(0) }),
    ).toMatchObject({ npoints: 0, reason: 'endTimeGoal' });
    expect(runSync(new IntegerLearner(1e9), (x: number) => x, { durationGoal: 5 }).reason).toBe(
      'durationGoal',
    );
    expect(runSync(new IntegerLearner(6, { withDone: true }), (x: number) => x, {})).toMatchObject({
      npoints: 6,
      reason: 'done',
    });
    expect(runSync(new IntegerLearner(6), (x: number) => x, { npointsGoal: 9 })).toMatchObject({
      npoints: 6,
      reason: 'exhausted',
    });
  });

  it('stops when the signal is aborted, even from inside f', () => {
    const ac = new AbortController();
    const learner = new IntegerLearner(100);
    const s = runSync(
      learner,
      (x: number) => {
        if (x === 3) ac.abort();
        return x;
      },
      { npointsGoal: 50, signal: ac.signal },
    );
    expect(s).toMatchObject({ cancelled: true, reason: 'cancelled', npoints: 4 });
  });

  it('rethrows the error of f naming the point, and leaves no pending point', () => {
    const learner = new IntegerLearner(100);
    const boom = new Error('boom');
    let err: unknown;
    try {
      runSync(
        learner,
        (x: number) => {
          if (x === 4) throw boom;
          return x;
        },
        { npointsGoal: 50, pointsPerAsk: 3 },
      );
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toBe('runSync: evaluating point 4 failed: boom');
    expect((err as Error).cause).toBe(boom);
    expect(learner.npoints).toBe(4); // 0..3 told, 4 and 5 dropped
    expect(learner.pendingPoints).toEqual([]);
  });

  it('throws a TypeError when f returns a promise', () => {
    const learner = new IntegerLearner(10);
    expect(() =>
      runSync(learner, (async (x: number) => x) as unknown as (x: number) => number, {
        npointsGoal: 2,
      }),
    ).toThrow(/runSync: f returned a promise for point 0; use run\(\) for async functions/);
    expect(learner.pendingPoints).toEqual([]);
  });

  it('logs for replay', () => {
    const learner = new IntegerLearner(20);
    const s = runSync(learner, (x: number) => x + 0.5, {
      npointsGoal: 7,
      pointsPerAsk: 2,
      log: true,
    });
    const copy = replay(new IntegerLearner(20), s.log as LogEntry<number, number>[]);
    expect(copy.snapshot()).toEqual(learner.snapshot());
  });
});
