import { describe, expect, it } from 'vitest';
import { Runner, run } from '../../src/runner/runner.js';
import { controlled, IntegerLearner } from './fake-learner.js';

const double = (x: number) => 2 * x;

describe('run: goals', () => {
  it('npointsGoal stops at the goal and leaves nothing pending', async () => {
    const learner = new IntegerLearner(100);
    const s = await run(learner, double, { npointsGoal: 10 });
    expect(s).toMatchObject({
      npoints: 10,
      reason: 'npointsGoal',
      cancelled: false,
      evaluations: 10,
    });
    expect(s.failures).toEqual([]);
    expect(learner.pendingPoints).toEqual([]);
    expect([...learner.data.entries()].slice(0, 3)).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
    ]);
  });

  it('lossGoal stops when loss() <= goal', async () => {
    const learner = new IntegerLearner(10); // loss = share of indices not told
    const s = await run(learner, double, { lossGoal: 0.5 });
    expect(s).toMatchObject({ npoints: 5, loss: 0.5, reason: 'lossGoal' });
  });

  it('does not call loss() per point without a loss goal or progress', async () => {
    const learner = new IntegerLearner(1000);
    await run(learner, double, { npointsGoal: 500 });
    expect(learner.lossCalls).toBe(1); // once, for the summary
  });

  it('durationGoal stops even when no result ever arrives', async () => {
    const learner = new IntegerLearner(10);
    const c = controlled<number, number>();
    const s = await run(learner, c.fn, { durationGoal: 20, concurrency: 2 });
    expect(s).toMatchObject({ npoints: 0, reason: 'durationGoal' });
    expect(c.calls).toHaveLength(2);
    expect(learner.pendingPoints).toEqual([]);
  });

  it('durationGoal stops a fast synchronous run', async () => {
    const learner = new IntegerLearner(1e9);
    const s = await run(learner, double, { durationGoal: 15 });
    expect(s.reason).toBe('durationGoal');
    expect(s.npoints).toBeGreaterThan(0);
  });

  it('endTimeGoal stops at the given time; one in the past stops before any ask', async () => {
    const c = controlled<number, number>();
    const s = await run(new IntegerLearner(10), c.fn, {
      endTimeGoal: new Date(Date.now() + 20),
    });
    expect(s.reason).toBe('endTimeGoal');
    const learner = new IntegerLearner(10);
    const past = await run(learner, double, { endTimeGoal: new Date(Date.now() - 1000) });
    expect(past).toMatchObject({ reason: 'endTimeGoal', npoints: 0, evaluations: 0 });
    expect(learner.askCalls).toEqual([]);
  });

  it('goal(learner) stops when it returns true and sees the learner type', async () => {
    const learner = new IntegerLearner(100);
    const s = await run(learner, double, { goal: (l) => l.data.size >= 7 });
    expect(s).toMatchObject({ npoints: 7, reason: 'goal' });
  });

  it('every goal counts, the first met stops (not only `goal`, unlike python-adaptive)', async () => {
    const a = await run(new IntegerLearner(100), double, {
      goal: (l) => l.npoints >= 50,
      npointsGoal: 5,
    });
    expect(a).toMatchObject({ npoints: 5, reason: 'npointsGoal' });
    const b = await run(new IntegerLearner(100), double, {
      goal: (l) => l.npoints >= 3,
      npointsGoal: 50,
      lossGoal: 0.1,
    });
    expect(b).toMatchObject({ npoints: 3, reason: 'goal' });
    const c = await run(new IntegerLearner(10), double, { npointsGoal: 50, lossGoal: 0.8 });
    expect(c).toMatchObject({ npoints: 2, reason: 'lossGoal' });
  });

  it('a goal met at the start asks nothing', async () => {
    const learner = new IntegerLearner(10);
    learner.tell(0, 0);
    const s = await run(learner, double, { npointsGoal: 1 });
    expect(s).toMatchObject({ reason: 'npointsGoal', evaluations: 0, npoints: 1 });
    expect(learner.askCalls).toEqual([]);
  });

  it('a learner with done() needs no goal and stops when done', async () => {
    const learner = new IntegerLearner(12, { withDone: true });
    const s = await run(learner, double);
    expect(s).toMatchObject({ npoints: 12, reason: 'done' });
    await expect(run(new IntegerLearner(12), double)).rejects.toThrow(/run: no goal given/);
  });

  it('done() stops the run even when other goals are given', async () => {
    const learner = new IntegerLearner(5, { withDone: true });
    const s = await run(learner, double, { npointsGoal: 100, concurrency: 3 });
    expect(s).toMatchObject({ npoints: 5, reason: 'done' });
  });

  it('an exhausted learner ends the run instead of hanging', async () => {
    const learner = new IntegerLearner(8);
    const s = await run(learner, double, { npointsGoal: 100, concurrency: 3 });
    expect(s).toMatchObject({ npoints: 8, reason: 'exhausted' });
    // One ask per told point at most, plus the final empty one: no busy loop.
    expect(learner.askCalls.length).toBeLessThanOrEqual(10);
  });

  it('allowRunningForever runs a learner without goal until exhausted', async () => {
    const s = await run(new IntegerLearner(6), async (x: number) => x, {
      allowRunningForever: true,
      concurrency: 4,
    });
    expect(s).toMatchObject({ npoints: 6, reason: 'exhausted' });
  });

  it('a learner that gives fewer points than asked, or none, is waited for', async () => {
    const learner = new IntegerLearner(20, { maxPerAsk: 1 });
    const s = await run(learner, async (x: number) => x, { npointsGoal: 20, concurrency: 4 });
    expect(s).toMatchObject({ npoints: 20, reason: 'npointsGoal' });
    // At most one ask per loop turn: one before and one after each tell.
    expect(learner.askCalls.length).toBeLessThanOrEqual(2 * 20 + 2);
  });

  it('the Runner form gives the same result through done', async () => {
    const learner = new IntegerLearner(50);
    const runner = new Runner(learner, double, { npointsGoal: 20 });
    expect(runner.status).toBe('idle');
    expect(runner.elapsedMs).toBe(0);
    runner.start();
    expect(runner.status).toBe('running');
    const s = await runner.done;
    expect(s).toMatchObject({ npoints: 20, reason: 'npointsGoal' });
    expect(runner.status).toBe('finished');
    expect(runner.elapsedMs).toBe(s.elapsedMs);
    expect(runner.overhead()).toBeGreaterThanOrEqual(0);
    expect(runner.overhead()).toBeLessThanOrEqual(100);
    expect(() => runner.start()).toThrow(/already started/);
  });
});
