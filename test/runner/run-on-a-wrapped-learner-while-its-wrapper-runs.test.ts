// Regression (outside check after issue 13): while a BalancingLearner (or a DataSaver) ran,
// a second run on one of the learners it wraps was accepted silently and interleaved its asks
// and tells with the wrapper's run (the child ended with 101 points, told by both). A run now
// claims the learner and every learner it wraps, at any depth.
import { describe, expect, it } from 'vitest';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { DataSaver } from '../../src/learners/data-saver.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';
import { controlled, flush } from './fake-learner.js';

describe('a run on a wrapped learner while its wrapper runs', () => {
  it("a BalancingLearner's child is refused, and free again when the run ends", async () => {
    const child = new Learner1D({ bounds: [-1, 1] });
    const bal = new BalancingLearner([child, new Learner1D({ bounds: [0, 1] })]);
    const c = controlled<[number, number], number>();
    const first = run(bal, c.fn, { npointsGoal: 3 });
    await flush();
    await expect(run(child, (x: number) => x, { npointsGoal: 5 })).rejects.toThrow(
      /^run: this learner is already being run \(by run\(\), through a learner that wraps it\)/,
    );
    expect(() => runSync(child, (x: number) => x, { npointsGoal: 5 })).toThrow(/already being run/);
    for (let i = 0; i < 3; i++) {
      await flush();
      c.calls[i]?.resolve(i);
    }
    expect((await first).npoints).toBe(3);
    expect(runSync(child, (x: number) => x, { npointsGoal: 10 }).npoints).toBe(10);
  });

  it('a wrapper whose child is running is refused, naming the wrapped learner', async () => {
    const inner = new Learner1D({ bounds: [-1, 1] });
    const saver = new DataSaver(inner, (r: { y: number }) => r.y);
    const c = controlled<number, number>();
    const first = run(inner, c.fn, { npointsGoal: 1 });
    await flush();
    await expect(run(saver, (x: number) => ({ y: x }), { npointsGoal: 5 })).rejects.toThrow(
      /^run: a learner this one wraps is already being run \(by run\(\)\)/,
    );
    c.calls[0]?.resolve(0);
    expect((await first).npoints).toBe(1);
    expect((await run(saver, (x: number) => ({ y: x }), { npointsGoal: 4 })).npoints).toBe(4);
  });
});
