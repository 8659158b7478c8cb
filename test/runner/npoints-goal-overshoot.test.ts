// Regression (issue 13): npointsGoal was overshot. The runner filled every free slot of the
// master (a 2-thread WorkerPoolMaster with goal 60 ended with up to 398 points, the CLI with
// --workers 4 and goal 2000 with 2334) and a plain function with concurrency 1000 and goal
// 100 ended with 1099. Now an ask is never for more points than the goal still needs.
import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import type { Master } from '../../src/master/types.js';
import { WorkerPoolMaster } from '../../src/master/worker-pool.js';
import { run } from '../../src/runner/node.js';
import { runSync } from '../../src/runner/sync.js';
import { IntegerLearner } from './fake-learner.js';

const square = new URL('../fixtures/workers/square.mjs', import.meta.url);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Counts the calls of a function. */
function counted<F extends (x: number) => unknown>(f: F): F & { calls: number } {
  const g = ((x: number) => {
    g.calls++;
    return f(x);
  }) as F & { calls: number };
  g.calls = 0;
  return g;
}

const pools: WorkerPoolMaster<number, number>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('npointsGoal is never overshot', () => {
  it('a plain async function with concurrency 1000 and goal 100 evaluates 100 points', async () => {
    const f = counted(async (x: number) => {
      await sleep(1);
      return Math.sin(10 * x);
    });
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, f, { npointsGoal: 100, concurrency: 1000 });
    expect(f.calls).toBe(100);
    expect(s).toMatchObject({ npoints: 100, evaluations: 100, reason: 'npointsGoal' });
  });

  it('a plain synchronous function with concurrency 1000 and goal 100 evaluates 100 points', async () => {
    const f = counted((x: number) => Math.sin(10 * x));
    const s = await run(new Learner1D({ bounds: [-1, 1] }), f, {
      npointsGoal: 100,
      concurrency: 1000,
    });
    expect(f.calls).toBe(100);
    expect(s.npoints).toBe(100);
  });

  it('a 2-thread WorkerPoolMaster with goal 60 evaluates 60 points, however large its batches', async () => {
    const pool = new WorkerPoolMaster<number, number>({
      module: square,
      threads: 2,
      batchSize: 64,
    });
    pools.push(pool);
    // Warm up: its batches (and so its concurrency) grow with fast points.
    await run(new Learner1D({ bounds: [-1, 1] }), pool, { npointsGoal: 3000 });
    for (const goal of [60, 61, 200]) {
      const learner = new Learner1D({ bounds: [-1, 1] });
      const s = await run(learner, pool, { npointsGoal: goal });
      expect(s).toMatchObject({ npoints: goal, evaluations: goal, reason: 'npointsGoal' });
      // And with 400 slots asked of it explicitly.
      const l2 = new Learner1D({ bounds: [-1, 1] });
      const s2 = await run(l2, pool, { npointsGoal: goal, concurrency: 400 });
      expect(s2).toMatchObject({ npoints: goal, evaluations: goal, reason: 'npointsGoal' });
    }
    // A pool the run makes from its options, as the CLI does.
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, { module: square, threads: 2 }, { npointsGoal: 500 });
    expect(s).toMatchObject({ npoints: 500, evaluations: 500 });
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 300 }), // slots
      fc.integer({ min: 0, max: 120 }), // goal
      fc.integer({ min: 0, max: 30 }), // points told before the run
      fc.double({ min: 0, max: 0.99, noNaN: true }), // fractional part of the goal
    ],
    { numRuns: 60 },
  )(
    'any master concurrency, any goal, any start: evaluations = what the goal needs',
    async (slots, goal, before, frac) => {
      const learner = new IntegerLearner(1000);
      for (let i = 0; i < before; i++) learner.tell(500 + i, i);
      let calls = 0;
      const master: Master<number, number> = {
        concurrency: slots,
        evaluate: async (x) => {
          calls++;
          await sleep(x % 3);
          return x;
        },
        close: () => Promise.resolve(),
      };
      const target = goal + frac;
      const s = await run(learner, master, { npointsGoal: target });
      const need = Math.max(0, Math.ceil(target) - before);
      expect(calls).toBe(need);
      expect(s.npoints).toBe(Math.max(before, Math.ceil(target)));
    },
  );

  it('runSync with pointsPerAsk larger than the goal evaluates only the goal', () => {
    const f = counted((x: number) => x * x);
    const s = runSync(new Learner1D({ bounds: [0, 1] }), f, { npointsGoal: 7, pointsPerAsk: 50 });
    expect(f.calls).toBe(7);
    expect(s.npoints).toBe(7);
  });

  it('with retries, a retried point is not a new point: still exactly the goal', async () => {
    let n = 0;
    const f = counted(async (x: number) => {
      await sleep(0);
      if (++n % 4 === 0) throw new Error('flaky');
      return x;
    });
    const s = await run(new IntegerLearner(1000), f, {
      npointsGoal: 50,
      concurrency: 64,
      retries: 3,
    });
    expect(s.npoints).toBe(50);
    expect(s.evaluations).toBe(50);
  });
});
