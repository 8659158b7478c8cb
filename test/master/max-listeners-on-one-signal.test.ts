// Regression (issue 14): `MaxListenersExceededWarning: 11 abort listeners added to
// [AbortSignal]` during the tests. ReplayMaster (and InlineMaster for queued or async calls)
// added one abort listener per waiting evaluation to the runner's one signal; a replayed
// 4-thread run has more than 10 in flight. Now each master keeps one listener per signal,
// fanned out to its waiting calls, and removes it with the last of them.
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { AbortFanout } from '../../src/master/abort-fanout.js';
import { InlineMaster } from '../../src/master/inline.js';
import { ReplayMaster } from '../../src/master/replay.js';
import { run } from '../../src/runner/runner.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const listeners = (s: AbortSignal) => getEventListeners(s, 'abort').length;

let warnings: string[] = [];
const onWarning = (w: Error) => {
  warnings.push(`${w.name}: ${w.message}`);
};
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});
const maxListenerWarnings = () => warnings.filter((w) => w.includes('MaxListeners'));

describe('abort listeners on one signal', () => {
  it('InlineMaster: 50 queued and 20 running calls put one listener on the signal', async () => {
    const m = new InlineMaster(
      async (x: number) => {
        await sleep(5);
        return x;
      },
      { concurrency: 20 },
    );
    const ac = new AbortController();
    const calls = Array.from({ length: 70 }, (_, i) => m.evaluate(i, ac.signal));
    expect(listeners(ac.signal)).toBe(1);
    await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(listeners(ac.signal)).toBe(0);
    // Aborting still rejects every waiting call.
    const more = Array.from({ length: 30 }, (_, i) => m.evaluate(i, ac.signal));
    ac.abort();
    const settled = await Promise.allSettled(more);
    expect(settled.every((r) => r.status === 'rejected')).toBe(true);
    expect(listeners(ac.signal)).toBe(0);
    await sleep(0);
    expect(maxListenerWarnings()).toEqual([]);
  });

  it('ReplayMaster: replaying a run with 40 points in flight gives no warning', async () => {
    const f = async (x: number) => {
      await sleep(Math.abs(Math.sin(x * 1000)) * 3);
      return Math.sin(5 * x);
    };
    const first = new Learner1D({ bounds: [-1, 1] });
    const { log } = await run(first, f, { npointsGoal: 120, concurrency: 40, log: true });
    const master = new ReplayMaster(log ?? []);
    expect(master.concurrency).toBeGreaterThan(10);
    const copy = new Learner1D({ bounds: [-1, 1] });
    const s = await run(copy, master);
    expect(s.reason).toBe('replayEnded');
    expect(copy.snapshot()).toEqual(first.snapshot());
    await sleep(0);
    expect(maxListenerWarnings()).toEqual([]);
  });

  it('ReplayMaster used directly: 30 waiting calls, one listener, removed after the answers', async () => {
    const points = Array.from({ length: 30 }, (_, i) => i);
    const log = [
      { op: 'ask' as const, n: 30, points },
      ...points.map((p) => ({ op: 'tell' as const, point: p, value: p * 2 })),
    ];
    const m = new ReplayMaster<number, number>(log);
    const ac = new AbortController();
    // Ask in reverse, 0 last: every call waits for point 0, recorded first.
    const calls = points
      .slice(1)
      .reverse()
      .map((p) => m.evaluate(p, ac.signal));
    expect(listeners(ac.signal)).toBe(1);
    calls.push(m.evaluate(0, ac.signal));
    await expect(Promise.all(calls)).resolves.toEqual([
      ...points
        .slice(1)
        .reverse()
        .map((p) => p * 2),
      0,
    ]);
    expect(listeners(ac.signal)).toBe(0);
  });

  it('AbortFanout runs each callback once and drops the listener with the last one', () => {
    const fan = new AbortFanout();
    const ac = new AbortController();
    const got: number[] = [];
    const cbs = Array.from({ length: 15 }, (_, i) => () => got.push(i));
    for (const cb of cbs) fan.add(ac.signal, cb);
    expect(listeners(ac.signal)).toBe(1);
    fan.delete(ac.signal, cbs[3] as () => void);
    fan.delete(ac.signal, cbs[3] as () => void); // twice: no effect
    ac.abort();
    expect(got).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(listeners(ac.signal)).toBe(0);
    const other = new AbortController();
    fan.add(other.signal, cbs[0] as () => void);
    fan.delete(other.signal, cbs[0] as () => void);
    expect(listeners(other.signal)).toBe(0);
  });
});
