/**
 * The worker side of WorkerPoolMaster (worker-entry.ts), called in this thread: batches sent
 * to one worker run one after the other in arrival order (the pool prefetches the next batch
 * while one runs), and each answer says how long the thread was out of the function before it.
 */
import { describe, expect, it } from 'vitest';
import runBatch, { type BatchTask } from '../../src/master/worker-entry.js';

const DELAY = `data:text/javascript,${encodeURIComponent(
  'export const log = []; export default async (x) => { log.push("start " + x); await new Promise((r) => setTimeout(r, 5)); log.push("end " + x); return x * 2; };',
)}`;

const task = (id: number, points: number[], module = DELAY): BatchTask => ({
  module,
  exportName: 'default',
  id,
  points,
  t0: -1,
});

describe('worker entry', () => {
  it('batches given while one runs wait for it: an async function never interleaves two batches', async () => {
    const { log } = (await import(DELAY)) as { log: string[] };
    log.length = 0;
    const [a, b, c] = await Promise.all([
      runBatch(task(1, [1, 2])),
      runBatch(task(2, [3])),
      runBatch(task(3, [4, 5])),
    ]);
    expect(a?.values).toEqual([2, 4]);
    expect(b?.values).toEqual([6]);
    expect(c?.values).toEqual([8, 10]);
    expect(log).toEqual([
      'start 1',
      'end 1',
      'start 2',
      'end 2',
      'start 3',
      'end 3',
      'start 4',
      'end 4',
      'start 5',
      'end 5',
    ]);
  });

  it('gap: the time between the end of the previous batch and the start of this one', async () => {
    await runBatch(task(4, [1]));
    await new Promise((r) => setTimeout(r, 30));
    const later = await runBatch(task(5, [1]));
    expect(later.gap).toBeGreaterThanOrEqual(25);
    const [, queued] = await Promise.all([runBatch(task(6, [1])), runBatch(task(7, [1]))]);
    // Queued behind the other: it started right after it (a macrotask later).
    expect(queued?.gap).toBeLessThan(25);
    expect(queued?.ms).toBeGreaterThanOrEqual(4);
  });

  it('a batch queued behind one whose module fails to load still runs', async () => {
    const bad = task(8, [1], 'data:text/javascript,export default 42');
    const [first, second] = await Promise.allSettled([runBatch(bad), runBatch(task(9, [2]))]);
    expect(first.status).toBe('rejected');
    expect((first as PromiseRejectedResult).reason.message).toMatch(/is not a function/);
    expect(second).toMatchObject({ status: 'fulfilled', value: { values: [4] } });
  });
});
