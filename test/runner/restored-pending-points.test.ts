// Regression (issue 14, point 6): a snapshot restored with pending points, and the next run()
// silently dropped them (its end's removeUnfinished), neither evaluating nor reporting them.
// Now run, Runner and runSync evaluate the points pending at their start first; the log
// records them as an ask of 0 points.
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { ReplayMaster } from '../../src/master/replay.js';
import { parseLog, replay, serializeLog } from '../../src/runner/log.js';
import { run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';

const f = (x: number) => Math.sin(4 * x) + x * x;

/** A learner restored from a snapshot taken with `k` points pending. */
function restoredWithPending(k: number): { learner: Learner1D; pending: number[] } {
  const original = new Learner1D({ bounds: [-1, 1] });
  runSync(original, f, { npointsGoal: 20 });
  const pending = original.ask(k).points;
  const learner = new Learner1D({ bounds: [-1, 1] });
  learner.restore(JSON.parse(JSON.stringify(original.snapshot())));
  expect(learner.pendingPoints.toSorted((a, b) => a - b)).toEqual(
    pending.toSorted((a, b) => a - b),
  );
  return { learner, pending: [...learner.pendingPoints] };
}

describe('points pending in a restored learner are evaluated first', () => {
  it('run: the first evaluations are the pending points, and every one of them is told', async () => {
    const { learner, pending } = restoredWithPending(5);
    const order: number[] = [];
    const s = await run(
      learner,
      (x: number) => {
        order.push(x);
        return f(x);
      },
      { npointsGoal: 40, log: true },
    );
    expect(order.slice(0, 5)).toEqual(pending);
    expect(s.npoints).toBe(40);
    const xs = Array.from(learner.toArrays().x);
    for (const p of pending) expect(xs).toContain(p);
    expect(s.log?.[0]).toEqual({ op: 'ask', n: 0, points: pending });
  });

  it('run with concurrency: they fill the first slots; async results in any order', async () => {
    const { learner, pending } = restoredWithPending(6);
    const order: number[] = [];
    const s = await run(
      learner,
      async (x: number) => {
        order.push(x);
        await new Promise<void>((r) => setTimeout(r, Math.abs(Math.sin(x * 991)) * 4));
        return f(x);
      },
      { npointsGoal: 50, concurrency: 4 },
    );
    expect(order.slice(0, 6)).toEqual(pending);
    expect(s.npoints).toBe(50);
    const xs = Array.from(learner.toArrays().x);
    for (const p of pending) expect(xs).toContain(p);
  });

  it('runSync: evaluated first too', () => {
    const { learner, pending } = restoredWithPending(3);
    const order: number[] = [];
    runSync(
      learner,
      (x: number) => {
        order.push(x);
        return f(x);
      },
      { npointsGoal: 30, pointsPerAsk: 2 },
    );
    expect(order.slice(0, 3)).toEqual(pending);
    const xs = Array.from(learner.toArrays().x);
    for (const p of pending) expect(xs).toContain(p);
  });

  it('the log replays: replay() and ReplayMaster on a copy restored the same way', async () => {
    const { learner } = restoredWithPending(4);
    const copyA = restoredWithPending(4).learner;
    const copyB = restoredWithPending(4).learner;
    const s = await run(learner, async (x: number) => f(x), {
      npointsGoal: 45,
      concurrency: 3,
      log: true,
    });
    const text = serializeLog(s.log ?? []);
    expect(replay(copyA, parseLog<number, number>(text)).snapshot()).toEqual(learner.snapshot());
    const r = await run(copyB, new ReplayMaster<number, number>(text));
    expect(r.reason).toBe('replayEnded');
    expect(copyB.snapshot()).toEqual(learner.snapshot());
    // mode 'ask' too: the ask of 0 points marks the recorded ones pending.
    const copyC = restoredWithPending(4).learner;
    expect(replay(copyC, parseLog<number, number>(text), { mode: 'ask' }).snapshot()).toEqual(
      learner.snapshot(),
    );
  });

  it('a goal that needs fewer points than are pending: only those are evaluated', async () => {
    const { learner, pending } = restoredWithPending(5);
    const order: number[] = [];
    const s = await run(
      learner,
      (x: number) => {
        order.push(x);
        return f(x);
      },
      { npointsGoal: 22 },
    );
    expect(order).toEqual(pending.slice(0, 2));
    expect(s.npoints).toBe(22);
    expect(learner.pendingPoints).toEqual([]); // the rest dropped at the end, as every run does
  });
});
