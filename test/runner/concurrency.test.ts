import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InlineMaster } from '../../src/master/inline.js';
import type { Master } from '../../src/master/types.js';
import { Runner, run } from '../../src/runner/runner.js';
import { controlled, flush, IntegerLearner } from './fake-learner.js';

describe('run: concurrency', () => {
  it('keeps k points in flight and tells results in arrival order', async () => {
    const learner = new IntegerLearner(100);
    const c = controlled<number, number>();
    const done = run(learner, c.fn, { npointsGoal: 6, concurrency: 3, log: true });
    await flush();
    expect(c.calls.map((x) => x.point)).toEqual([0, 1, 2]);
    expect(learner.pendingPoints).toHaveLength(3);

    c.calls[2]?.resolve(20); // the last one first
    await flush();
    expect([...learner.data.keys()]).toEqual([2]);
    expect(c.calls.map((x) => x.point)).toEqual([0, 1, 2, 3]);
    expect(learner.pendingPoints).toHaveLength(3);

    c.calls[3]?.resolve(30);
    c.calls[0]?.resolve(0);
    await flush();
    expect(learner.pendingPoints).toHaveLength(3);
    expect(c.calls).toHaveLength(6);
    c.calls[5]?.resolve(50);
    c.calls[1]?.resolve(10);
    c.calls[4]?.resolve(40);
    const s = await done;
    expect(s).toMatchObject({ npoints: 6, reason: 'npointsGoal' });
    const tells = s.log?.filter((e) => e.op === 'tell').map((e) => e.point);
    expect(tells).toEqual([2, 3, 0, 5, 1, 4]);
    expect(learner.pendingPoints).toEqual([]);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 25 }),
      fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    ],
    { numRuns: 40 },
  )(
    'never more than k in flight, exactly k while points remain and the goal needs them',
    async (k, goal, picks) => {
      const n = 30;
      const learner = new IntegerLearner(n);
      const c = controlled<number, number>();
      const runner = new Runner(learner, c.fn, { npointsGoal: goal, concurrency: k }).start();
      const open = new Set<number>(); // indices into c.calls not settled yet
      let seen = 0;
      for (let step = 0; runner.status === 'running'; step++) {
        await flush(); // the runner may take one setImmediate hop (its periodic yield)
        for (; seen < c.calls.length; seen++) open.add(seen);
        if (runner.status !== 'running') break;
        expect(learner.pendingPoints.length).toBe(
          Math.min(k, n - learner.npoints, goal - learner.npoints),
        );
        expect(open.size).toBe(learner.pendingPoints.length);
        const list = [...open];
        const pick = list[(picks[step % picks.length] as number) % list.length] as number;
        open.delete(pick);
        const call = c.calls[pick];
        call?.resolve(call.point * 10);
      }
      const s = await runner.done;
      expect(s.npoints).toBe(Math.min(goal, n));
      expect(learner.pendingPoints).toEqual([]);
    },
  );

  it('default concurrency of a master is its own; options.concurrency overrides it', async () => {
    const c = controlled<number, number>();
    const master = new InlineMaster(c.fn, { concurrency: 2 });
    const learner = new IntegerLearner(50);
    const runner = new Runner(learner, master, { npointsGoal: 10 }).start();
    await flush();
    expect(learner.pendingPoints).toHaveLength(2);
    runner.cancel();
    await runner.done;

    const c2 = controlled<number, number>();
    const master2 = new InlineMaster(c2.fn, { concurrency: 2 });
    const learner2 = new IntegerLearner(50);
    const runner2 = new Runner(learner2, master2, { npointsGoal: 10, concurrency: 4 }).start();
    await flush();
    expect(learner2.pendingPoints).toHaveLength(4); // asked for 4 slots
    expect(master2.running).toBe(2); // the master runs 2, the others wait inside it
    expect(master2.queued).toBe(2);
    runner2.cancel();
    await runner2.done;
  });

  it('works with any Master implementation (results in any order)', async () => {
    const signals: AbortSignal[] = [];
    const master: Master<number, number> = {
      concurrency: 3,
      evaluate(point, signal) {
        if (signal) signals.push(signal);
        return new Promise((resolve) => setTimeout(() => resolve(point + 1), (point * 7) % 5));
      },
      close: () => Promise.resolve(),
    };
    const learner = new IntegerLearner(40);
    const s = await run(learner, master, { npointsGoal: 25 });
    expect(s.npoints).toBe(25); // never more evaluations than the goal needs
    for (const [x, y] of learner.data) expect(y).toBe(x + 1);
    expect(signals.length).toBeGreaterThanOrEqual(25);
    expect(signals.every((sig) => sig.aborted)).toBe(true); // in-flight ones aborted at the end
  });

  it('a synchronous function at concurrency k: k points asked, their k results told, then k asked again', async () => {
    // python-adaptive's runner: one ask for every free slot once the done results are told
    // (a learner then updates its losses once for the batch, not once a point).
    const learner = new IntegerLearner(100);
    const s = await run(learner, (x: number) => x, { npointsGoal: 10, concurrency: 3 });
    expect(learner.askCalls).toEqual([3, 3, 3, 1]);
    // The last asks are for what the goal still needs: no evaluation past it.
    expect(s.npoints).toBe(10);
    expect(s.evaluations).toBe(10);
    expect(learner.pendingPoints).toEqual([]);
  });
});

describe('run: refilling while results are told', () => {
  it('a learner slow to tell gets its free slots refilled after 1 ms of telling, not after the whole batch', async () => {
    class SlowTell extends IntegerLearner {
      override tell(x: number, y: number): void {
        const t = performance.now();
        while (performance.now() - t < 2); // 2 ms a tell
        super.tell(x, y);
      }
    }
    const learner = new SlowTell(100);
    await run(learner, (x: number) => x, { npointsGoal: 12, concurrency: 4 });
    // 4 results arrive at once; after the first tell (2 ms) its slot is refilled.
    expect(learner.askCalls.slice(0, 3)).toEqual([4, 1, 1]);
  });
});

describe('run: a master that changes its concurrency', () => {
  it('is asked again before every ask, unless options.concurrency fixes it', async () => {
    let slots = 1;
    const c = controlled<number, number>();
    const master: Master<number, number> = {
      get concurrency() {
        return slots;
      },
      evaluate: (x) => c.fn(x),
      close: () => Promise.resolve(),
    };
    const learner = new IntegerLearner(100);
    const done = run(learner, master, { npointsGoal: 6 });
    await flush();
    expect(c.calls).toHaveLength(1);
    slots = 4; // e.g. a worker pool that grew
    c.calls[0]?.resolve(0);
    await flush();
    expect(c.calls).toHaveLength(5); // 1 told, 4 in flight
    slots = 0; // not a positive integer: ignored, the last good value stays
    c.calls[1]?.resolve(1);
    await flush();
    expect(c.calls).toHaveLength(6); // 4 in flight again…
    for (let i = 2; i < 6; i++) c.calls[i]?.resolve(i);
    await flush();
    expect(c.calls).toHaveLength(6); // … but the goal of 6 needs no more
    expect((await done).npoints).toBe(6);

    slots = 1;
    const fixed = controlled<number, number>();
    const m2: Master<number, number> = { ...master, evaluate: (x) => fixed.fn(x) };
    Object.defineProperty(m2, 'concurrency', { get: () => slots });
    const done2 = run(new IntegerLearner(100), m2, { npointsGoal: 3, concurrency: 2 });
    await flush();
    slots = 8;
    fixed.calls[0]?.resolve(0);
    await flush();
    expect(fixed.calls).toHaveLength(3); // stays at 2 in flight
    for (let i = 1; i < 3; i++) fixed.calls[i]?.resolve(i);
    await done2;
  });
});
