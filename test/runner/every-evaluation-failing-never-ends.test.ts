// Regression (issue 13, R8): a run where every evaluation throws, with
// raiseIfRetriesExceeded: false, never ended: each point was given up and listed in
// `failures`, but before the run's first value it could not be told NaN (its shape unknown),
// so the learner learnt nothing and handed out new points, each failing in turn (1234
// failures in 3 s, npoints 0, for a Learner1D with a loss goal). Now a run stops with reason
// 'consecutiveFailures' once `maxConsecutiveFailures` (default 100) points in a row were
// given up while the learner learnt nothing; a region where the function fails, whose points
// are told NaN, is refined as before.
import { describe, expect, it } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import { ReplayMaster } from '../../src/master/replay.js';
import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../../src/runner/options.js';
import { run } from '../../src/runner/runner.js';

const down = (x: unknown): never => {
  throw new Error(`service down at ${JSON.stringify(x)}`);
};

describe('a run whose every evaluation fails ends, the failures listed', () => {
  it('Learner1D with only a loss goal: stops after 100 points given up, npoints 0', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    let calls = 0;
    const s = await run(
      learner,
      (x: number) => {
        calls++;
        return down(x);
      },
      { raiseIfRetriesExceeded: false, lossGoal: 0.01 },
    );
    expect(DEFAULT_MAX_CONSECUTIVE_FAILURES).toBe(100);
    expect(s.reason).toBe('consecutiveFailures');
    expect(s.cancelled).toBe(false);
    expect(s.npoints).toBe(0);
    expect(calls).toBe(100);
    expect(s.failures.length).toBe(100);
    expect(s.failures[0]).toEqual({
      point: -1,
      error: 'service down at -1',
      attempts: 1,
      kind: 'error',
    });
    expect(new Set(s.failures.map((f) => f.point)).size).toBe(100); // each point once
    expect(learner.pendingPoints).toEqual([]);
  });

  it('with retries, each point is tried 1 + retries times; async, concurrency 4, a limit of 7', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    const s = await run(learner, async (x: number) => down(x), {
      raiseIfRetriesExceeded: false,
      retries: 2,
      concurrency: 4,
      maxConsecutiveFailures: 7,
      lossGoal: 0.01,
    });
    expect(s.reason).toBe('consecutiveFailures');
    expect(s.failures.length).toBe(7);
    expect(s.failures.every((f) => f.attempts === 3)).toBe(true);
  });

  it('a function that fails from some moment on (AverageLearner skips failed seeds): the run ends', async () => {
    const learner = new AverageLearner({ atol: 1e-9 });
    const s = await run(learner, (seed: number) => (seed < 20 ? (seed % 3) / 3 : down(seed)), {
      raiseIfRetriesExceeded: false,
      lossGoal: 1e-9,
    });
    expect(s.reason).toBe('consecutiveFailures');
    expect(s.npoints).toBe(20);
    expect(s.failures.length).toBe(100);
  });

  it('points in a row count only while nothing is learnt: a success starts the count again', async () => {
    // 150 failing items, then 50 good ones, then 150 failing again, on one thread in order.
    const items = Array.from({ length: 350 }, (_, i) => i);
    const f = ([, i]: [number, number]) => (i < 150 || i >= 200 ? down(i) : i);
    const stopped = await run(new SequenceLearner(items), f, { raiseIfRetriesExceeded: false });
    expect(stopped.reason).toBe('consecutiveFailures');
    expect(stopped.failures.length).toBe(100);
    const limit = await run(new SequenceLearner(items), f, {
      raiseIfRetriesExceeded: false,
      maxConsecutiveFailures: 151,
    });
    expect(limit.reason).toBe('exhausted');
    expect(limit.failures.length).toBe(300);
    expect(limit.npoints).toBe(50);
    const never = await run(new SequenceLearner(items), f, {
      raiseIfRetriesExceeded: false,
      maxConsecutiveFailures: Number.POSITIVE_INFINITY,
    });
    expect(never.reason).toBe('exhausted');
    expect(never.failures.length).toBe(300);
  });

  it('a ReplayMaster replays a recording with more failures in a row than the default', async () => {
    const items = Array.from({ length: 200 }, (_, i) => i);
    const f = ([, i]: [number, number]) => (i < 150 ? down(i) : i);
    const first = await run(new SequenceLearner(items), f, {
      raiseIfRetriesExceeded: false,
      maxConsecutiveFailures: Number.POSITIVE_INFINITY,
      log: true,
    });
    expect(first.failures.length).toBe(150);
    const again = new SequenceLearner(items);
    const r = await run(again, new ReplayMaster(first.log ?? []), {
      raiseIfRetriesExceeded: false,
    });
    expect(first.reason).toBe('exhausted');
    expect(r.reason).toBe('exhausted'); // not 'consecutiveFailures' after 100
    expect(r.failures).toEqual(first.failures);
    expect(again.npoints).toBe(50);
  });

  it('a region where the function fails is refined, not stopped: its points are told NaN', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, (x: number) => (x < 0.5 ? down(x) : Math.tanh(10 * x)), {
      raiseIfRetriesExceeded: false,
      // the first point (-1) fails before any value: it counts; then 1 gives the first value
      maxConsecutiveFailures: 2,
      lossGoal: 0.01,
    });
    expect(s.reason).toBe('lossGoal');
    expect(s.failures.length).toBeGreaterThan(10);
  });

  it('maxConsecutiveFailures must be a positive integer or Infinity', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    const f = (x: number) => x;
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(
        run(learner, f, { npointsGoal: 1, maxConsecutiveFailures: bad }),
      ).rejects.toThrow(
        new RangeError(
          `run: maxConsecutiveFailures must be a positive integer or Infinity, got ${bad}`,
        ),
      );
    }
    await expect(
      run(learner, f, { npointsGoal: 1, maxConsecutiveFailures: '5' as unknown as number }),
    ).rejects.toThrow(TypeError);
    expect(learner.npoints).toBe(0); // refused before any evaluation
  });
});
