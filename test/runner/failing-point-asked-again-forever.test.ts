// Regression (issue 13): a point whose evaluation always throws, with
// raiseIfRetriesExceeded: false, was asked again and again (1883 failures of the same point
// in 3 s), or left a hole the learner could never close (a loss goal never met). Now a point
// given up is listed in `failures` and told to the learner as NaN, shaped like the values, so
// the learner refines around it and moves on. SequenceLearner and AverageLearner are not told
// NaN: their failed item or seed is skipped (listed in `failures`, never evaluated again).
import { describe, expect, it } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import { AverageLearner1D } from '../../src/learners/average1d.js';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import type { Learner } from '../../src/learners/types.js';
import { ReplayMaster } from '../../src/master/replay.js';
import { parseLog, replay, serializeLog } from '../../src/runner/log.js';
import { run } from '../../src/runner/runner.js';

/** A function that throws at the points `bad` picks, counting the calls per point. */
function failingAt<P, V>(bad: (p: P) => boolean, f: (p: P) => V) {
  const calls = new Map<string, number>();
  const g = (p: P): V => {
    if (bad(p)) {
      const k = JSON.stringify(p);
      calls.set(k, (calls.get(k) ?? 0) + 1);
      throw new Error(`no value at ${JSON.stringify(p)}`);
    }
    return f(p);
  };
  return { g, calls, maxCalls: () => Math.max(0, ...calls.values()) };
}

const opts = { raiseIfRetriesExceeded: false, retries: 1 } as const;

describe('a point that always fails is given up once, told NaN, and the run ends', () => {
  it('Learner1D, at a bound, with a loss goal: reaches the goal, the bound told NaN', async () => {
    const { g, maxCalls } = failingAt(
      (x: number) => x === -1,
      (x) => Math.sin(3 * x),
    );
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, g, { ...opts, lossGoal: 0.02, durationGoal: 20_000 });
    expect(s.reason).toBe('lossGoal');
    expect(maxCalls()).toBe(2); // one attempt and one retry, then never again
    expect(s.failures).toEqual([
      { point: -1, error: 'no value at -1', attempts: 2, kind: 'error' },
    ]);
    const { x, y } = learner.toArrays();
    expect(x[0]).toBe(-1);
    expect(y[0]).toBeNaN();
  });

  it('Learner1D, points in the middle failing, async, concurrency 4', async () => {
    const { g, calls, maxCalls } = failingAt(
      (x: number) => Math.abs(x - 0.3) < 0.05,
      (x) => x * x,
    );
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, async (x: number) => g(x), {
      ...opts,
      lossGoal: 0.02,
      concurrency: 4,
      durationGoal: 20_000,
    });
    expect(s.reason).toBe('lossGoal');
    expect(maxCalls()).toBe(2);
    expect(s.failures.length).toBe(calls.size);
    expect(s.failures.length).toBeGreaterThan(0);
  });

  it('a vector-valued Learner1D is told a NaN vector of the values’ length', async () => {
    const { g } = failingAt(
      (x: number) => x === 0,
      (x) => [x, 2 * x, 3 * x],
    );
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, g, { ...opts, npointsGoal: 30, log: true });
    expect(s.npoints).toBe(30);
    const nanTell = s.log?.find((e) => e.op === 'tell' && e.failed === true);
    expect(nanTell).toEqual({
      op: 'tell',
      point: 0,
      value: [Number.NaN, Number.NaN, Number.NaN],
      failed: true,
    });
    const { x, y, vdim } = learner.toArrays();
    expect(vdim).toBe(3);
    const at = Array.from(x).indexOf(0);
    expect(Array.from(y.subarray(3 * at, 3 * at + 3)).every(Number.isNaN)).toBe(true);
  });

  it('the first point fails before any value: it waits, parked, for the first value’s shape', async () => {
    const { g, maxCalls } = failingAt(
      (x: number) => x === -1,
      (x) => [x, x],
    );
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, g, { ...opts, npointsGoal: 20 });
    expect(maxCalls()).toBe(2);
    expect(s.npoints).toBe(20);
    expect(learner.toArrays().vdim).toBe(2); // not fixed to scalar by a premature NaN
  });

  it('Learner2D and LearnerND, a corner failing: loss goal reached', async () => {
    const bad = (p: number[]) => p[0] === 0 && p[1] === 0;
    const f = (p: number[]) => Math.sin(3 * (p[0] as number) * (p[1] as number));
    for (const learner of [
      new Learner2D({
        bounds: [
          [0, 1],
          [0, 1],
        ],
      }),
      new LearnerND({
        bounds: [
          [0, 1],
          [0, 1],
        ],
      }),
    ]) {
      const { g, maxCalls } = failingAt(bad, f);
      const s = await run(learner as unknown as Learner<number[], number>, g, {
        ...opts,
        lossGoal: 0.02,
        durationGoal: 20_000,
      });
      expect(s.reason).toBe('lossGoal');
      expect(maxCalls()).toBe(2);
      expect(s.failures).toHaveLength(1);
    }
  });

  it('IntegratorLearner with a failing bound finishes (done) instead of sampling forever', async () => {
    const { g, maxCalls } = failingAt(
      (x: number) => x === 0,
      (x) => x * x,
    );
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const s = await run(learner, g, { ...opts, durationGoal: 20_000 });
    expect(s.reason).toBe('done');
    expect(maxCalls()).toBe(2);
  });

  it('AverageLearner1D: a failing sample is a NaN sample, never asked again', async () => {
    const { g, maxCalls } = failingAt(
      ([seed, x]: [number, number]) => x === 0.5 && seed % 2 === 0,
      () => Math.random(),
    );
    const learner = new AverageLearner1D({ bounds: [0, 1], minSamples: 5, maxSamples: 40 });
    const s = await run(learner, g, { ...opts, npointsGoal: 40, durationGoal: 20_000 });
    expect(s.reason).toBe('npointsGoal');
    expect(maxCalls()).toBe(2);
    expect(s.failures.length).toBeGreaterThan(0);
  });

  it('BalancingLearner: each child is told NaN of its own shape', async () => {
    const scalar = new Learner1D({ bounds: [0, 1] });
    const vector = new Learner1D({ bounds: [0, 1] });
    const b = new BalancingLearner<Learner1D>([scalar, vector], { strategy: 'cycle' });
    const f = ([i, x]: [number, number]) => {
      if (x === 0) throw new Error('no');
      return i === 0 ? x : [x, -x];
    };
    const s = await run(b, f as never, { ...opts, npointsGoal: 40 });
    expect(s.failures.map((e) => e.point)).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(scalar.toArrays().y[0]).toBeNaN();
    expect(scalar.toArrays().vdim).toBe(1);
    const v = vector.toArrays();
    expect(v.vdim).toBe(2);
    expect(Number.isNaN(v.y[0]) && Number.isNaN(v.y[1])).toBe(true);
  });
});

describe('learners that cannot take NaN skip the failed point', () => {
  it('SequenceLearner: the failed item stays unevaluated, never asked again; the run ends exhausted', async () => {
    const { g, maxCalls } = failingAt(
      ([, item]: [number, string]) => item === 'b',
      ([, item]) => item.toUpperCase(),
    );
    const learner = new SequenceLearner(['a', 'b', 'c', 'd']);
    const s = await run(learner, g, { ...opts, concurrency: 2 });
    expect(s.reason).toBe('exhausted');
    expect(maxCalls()).toBe(2);
    expect(s.failures.map((f) => f.point)).toEqual([[1, 'b']]);
    expect(learner.done()).toBe(false);
    expect(learner.npoints).toBe(3);
    expect(learner.pendingPoints).toEqual([]);
  });

  it('AverageLearner: failed seeds are skipped, not NaN samples; npoints counts real samples', async () => {
    const { g, calls } = failingAt(
      (seed: number) => seed % 5 === 3,
      (seed) => (seed % 7) / 7,
    );
    const learner = new AverageLearner({ atol: 0.05 });
    const s = await run(learner, g, { ...opts, lossGoal: 1, durationGoal: 20_000 });
    expect(s.reason).toBe('lossGoal');
    expect([...calls.values()].every((n) => n === 2)).toBe(true);
    expect(learner.nFinite).toBe(learner.npoints); // no NaN sample told
    expect(s.failures.length).toBe(calls.size);
  });
});

describe('the NaN of a given-up point in logs, replays and journals', () => {
  it('serializeLog keeps failed: true; replay and ReplayMaster rebuild the run exactly', async () => {
    const bad = (x: number) => Math.abs(x - 0.25) < 0.3;
    const f = async (x: number) => {
      await new Promise<void>((r) => setTimeout(r, Math.abs(Math.sin(x * 977)) * 3));
      if (bad(x)) throw new Error('no');
      return Math.sin(7 * x);
    };
    const first = new Learner1D({ bounds: [-1, 1] });
    const s = await run(first, f, { ...opts, npointsGoal: 80, concurrency: 5, log: true });
    expect(s.failures.length).toBeGreaterThan(1);
    const text = serializeLog(s.log ?? []);
    expect(text).toContain('"failed":true');
    const back = parseLog<number, number>(text);
    expect(serializeLog(back)).toBe(text);
    const viaReplay = replay(new Learner1D({ bounds: [-1, 1] }), back);
    expect(viaReplay.snapshot()).toEqual(first.snapshot());
    const viaMaster = new Learner1D({ bounds: [-1, 1] });
    const r = await run(viaMaster, new ReplayMaster<number, number>(text), {
      ...opts,
    });
    expect(r.reason).toBe('replayEnded');
    expect(r.failures).toEqual(s.failures);
    expect(viaMaster.snapshot()).toEqual(first.snapshot());
  });

  it('parseLog refuses a failed flag that is not true', () => {
    expect(() => parseLog('{"op":"tell","point":1,"value":"NaN","failed":1}\n')).toThrow(
      /line 1: a tell's failed must be true when present/,
    );
  });
});
