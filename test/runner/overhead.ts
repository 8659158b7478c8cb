/**
 * Ad-hoc measurement (not a unit test, not part of bench/): the per-point time that run()
 * and runSync() add over a plain ask(1)/tell loop, with a cheap learner and an inline
 * synchronous function at concurrency 1.
 *
 *   npx tsx test/runner/overhead.ts [points=1000000] [repeats=7]
 */

import type { AskResult, Learner, LearnerSnapshot } from '../../src/learners/types.js';
import { run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';

/** The cheapest learner that honours the protocol: points 0, 1, 2, ... in order. */
class CountingLearner implements Learner<number, number> {
  ys: Float64Array;
  next = 0;
  told = 0;
  pending = 0;
  constructor(n: number) {
    this.ys = new Float64Array(n);
  }
  ask(n: number): AskResult<number> {
    const points: number[] = [];
    const lossImprovements: number[] = [];
    for (let i = 0; i < n && this.next < this.ys.length; i++) {
      points.push(this.next++);
      lossImprovements.push(1);
    }
    this.pending += points.length;
    return { points, lossImprovements };
  }
  tell(x: number, y: number): void {
    this.ys[x] = y;
    this.told++;
    this.pending--;
  }
  tellMany(xs: readonly number[], ys: readonly number[]): void {
    for (let i = 0; i < xs.length; i++) this.tell(xs[i] as number, ys[i] as number);
  }
  tellPending(): void {
    this.pending++;
  }
  removeUnfinished(): void {
    this.next -= this.pending;
    this.pending = 0;
  }
  loss(): number {
    return 1 - this.told / this.ys.length;
  }
  get npoints(): number {
    return this.told;
  }
  get pendingPoints(): readonly number[] {
    return [];
  }
  snapshot(): LearnerSnapshot {
    return { type: 'CountingLearner', version: 1 };
  }
  restore(): void {}
}

const f = (x: number) => x * 0.5 + 1;

function plain(n: number): number {
  const learner = new CountingLearner(n);
  const t0 = performance.now();
  while (learner.npoints < n) {
    const p = learner.ask(1).points[0] as number;
    learner.tell(p, f(p));
  }
  return performance.now() - t0;
}

function viaRunSync(n: number): number {
  const learner = new CountingLearner(n);
  const t0 = performance.now();
  runSync(learner, f, { npointsGoal: n });
  return performance.now() - t0;
}

async function viaRun(n: number): Promise<number> {
  const learner = new CountingLearner(n);
  const t0 = performance.now();
  await run(learner, f, { npointsGoal: n });
  return performance.now() - t0;
}

async function viaRunAsync(n: number): Promise<number> {
  const learner = new CountingLearner(n);
  const t0 = performance.now();
  await run(learner, async (x: number) => f(x), { npointsGoal: n });
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000);
  const repeats = Number(process.argv[3] ?? 7);
  const times: Record<string, number[]> = { plain: [], runSync: [], run: [], runAsync: [] };
  // Warm up every path, then interleave the measurements so drift hits all alike.
  plain(n / 10);
  viaRunSync(n / 10);
  await viaRun(n / 10);
  await viaRunAsync(n / 10);
  for (let r = 0; r < repeats; r++) {
    times.plain?.push(plain(n));
    times.runSync?.push(viaRunSync(n));
    times.run?.push(await viaRun(n));
    times.runAsync?.push(await viaRunAsync(n));
  }
  const us = (ms: number) => ((ms * 1000) / n).toFixed(3);
  const base = median(times.plain as number[]);
  console.log(`${n} points, median of ${repeats}, µs/point (and added over the plain loop):`);
  for (const [name, t] of Object.entries(times)) {
    const m = median(t);
    console.log(`  ${name.padEnd(9)} ${us(m)}  (+${us(m - base)})`);
  }
}

await main();
