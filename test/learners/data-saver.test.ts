// DataSaver: python-adaptive's tests (test_saving_with_datasaver and the DataSaver parts of
// the generic tests), the learner laws over Learner1D, bad input, and the regression of
// python-adaptive's make_datasaver bug (features §15.2 #10).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { DataSaver, makeDataSaver } from '../../src/learners/data-saver.js';
import { Learner1D, type Learner1DOptions } from '../../src/learners/learner1d.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import { run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';
import { checkLearnerLaws, LAW_NAMES, type LawSubject } from '../../src/testing/index.js';
import { LAW_RUNS } from '../fixtures/laws.js';

type Result = { y: number; t: number; tag: string };
const peak = (x: number): number => x + 1e-4 / (1e-4 + (x - 0.3) ** 2);
const rich = (x: number): Result => ({ y: peak(x), t: x * 2 + 1, tag: `x=${x}` });
const pickY = (r: Result): number => r.y;

describe('DataSaver', () => {
  it('tells the picked value and keeps the full result; everything else is the learner’s', () => {
    const inner = new Learner1D({ bounds: [-1, 1] });
    const saver = new DataSaver(inner, pickY);
    runSync(saver, rich, { npointsGoal: 50 });
    expect(saver.npoints).toBe(50);
    expect(inner.npoints).toBe(50);
    expect(saver.extraData.size).toBe(50);
    for (const { x, y } of inner.toRecords()) {
      expect(saver.extraData.get(x)).toEqual(rich(x));
      expect(y).toBe(rich(x).y);
    }
    expect(saver.loss()).toBe(inner.loss());
    expect(saver.ask(3, { tellPending: false })).toEqual(inner.ask(3, { tellPending: false }));
    saver.ask(2);
    expect(saver.pendingPoints).toEqual(inner.pendingPoints);
    expect(saver.loss({ real: false })).toBe(inner.loss({ real: false }));
    saver.removeUnfinished();
    expect(inner.pendingPoints).toEqual([]);
    expect(saver.toRecords().map((r) => r.x)).toEqual(inner.toRecords().map((r) => r.x));
  });

  it('finds array points by value, and keeps the first result of a point', () => {
    const saver = new DataSaver(new SequenceLearner(['a', 'b']), (r: { v: number }) => r.v);
    saver.tell([1, 'b'], { v: 1 });
    saver.tell([1, 'b'], { v: 2 }); // retold: the first stays, as in the learner
    expect(saver.extraData.get([1, 'b'])).toEqual({ v: 1 });
    expect(saver.extraData.has([0, 'a'])).toBe(false);
    expect([...saver.extraData]).toEqual([[[1, 'b'], { v: 1 }]]);
    expect([...saver.extraData.keys()]).toEqual([[1, 'b']]);
    expect([...saver.extraData.values()]).toEqual([{ v: 1 }]);
    const seen: unknown[] = [];
    saver.extraData.forEach((v, p) => {
      seen.push([p, v]);
    });
    expect(seen).toEqual([[[1, 'b'], { v: 1 }]]);
    expect(typeof (saver.extraData as unknown as { add?: unknown }).add).toBe('undefined');
  });

  it('done() is the wrapped learner’s, and only when it has one', () => {
    const seq = new DataSaver(new SequenceLearner([1, 2]), (r: number) => r);
    expect(typeof seq.done).toBe('function');
    runSync(seq, ([, x]) => x * 3);
    expect(seq.done?.()).toBe(true);
    expect(new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY).done).toBeUndefined();
  });

  it('runs with run() and concurrency, and inside a BalancingLearner', async () => {
    const saver = new DataSaver(new Learner1D({ bounds: [-1, 1] }), pickY);
    await run(saver, async (x: number) => rich(x), { npointsGoal: 40, concurrency: 4 });
    expect(saver.extraData.size).toBe(saver.npoints);
    const savers = [0, 1].map(
      () => new DataSaver(new AverageLearner({ atol: 0.1 }), (r: { v: number }) => r.v),
    );
    const b = new BalancingLearner(savers);
    await run(b, ([i, s]) => ({ v: Math.sin(s * 7 + i), i, s }), {
      npointsGoal: 60,
      concurrency: 3,
    });
    for (const [i, d] of savers.entries()) {
      expect(d.extraData.size).toBe(d.npoints);
      for (const [s, full] of d.extraData) expect(full).toEqual({ v: Math.sin(s * 7 + i), i, s });
    }
  });

  it('tellMany picks all results first, then tells the learner in one call', () => {
    const saver = new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY);
    saver.tellMany([0, 1, 0.5], [rich(0), rich(1), rich(0.5)]);
    expect(saver.npoints).toBe(3);
    expect([...saver.extraData.keys()]).toEqual([0, 1, 0.5]);
    expect(saver.toRecords().map((r) => r.x)).toEqual([0, 0.5, 1]);
  });

  it('snapshot round trip (python test_saving_with_datasaver): same loss, same extraData, NaN included', () => {
    const make = () => new DataSaver(new Learner1D({ bounds: [-1, 1] }), pickY);
    const saver = make();
    runSync(saver, (x) => (x === 0 ? { y: Number.NaN, t: Infinity, tag: 'bad' } : rich(x)), {
      npointsGoal: 100,
    });
    saver.ask(3);
    const control = make();
    control.restore(JSON.parse(JSON.stringify(saver.snapshot())));
    expect(control.loss()).toBe(saver.loss());
    expect([...control.extraData]).toEqual([...saver.extraData]);
    expect(control.extraData.get(0)).toEqual({ y: Number.NaN, t: Infinity, tag: 'bad' });
    expect(control.pendingPoints).toEqual(saver.pendingPoints);
    control.removeUnfinished();
    runSync(control, rich, { npointsGoal: 200 });
    expect(control.extraData.size).toBe(200);
  });
});

describe('DataSaver bad input: a clear error, the learner unchanged', () => {
  it('rejects a non-learner and a non-function pick', () => {
    expect(() => new DataSaver({} as never, pickY)).toThrow(/learner has no ask\(\) method/);
    expect(() => new DataSaver(null as never, pickY)).toThrow(TypeError);
    expect(() => new DataSaver(new Learner1D({ bounds: [0, 1] }), 'y' as never)).toThrow(
      /pick must be a function/,
    );
  });

  it('keeps nothing when pick or the learner throws', () => {
    const saver = new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY);
    saver.tell(0.5, rich(0.5));
    const before = JSON.stringify(saver.snapshot());
    expect(() => saver.tell(2, rich(2))).toThrow(/outside the bounds/);
    expect(() => saver.tell(0.25, null as never)).toThrow(TypeError);
    expect(() => saver.tellMany([0.1, 7], [rich(0.1), rich(7)])).toThrow(/outside the bounds/);
    expect(() => saver.tellMany([0.1], [])).toThrow(RangeError);
    expect(JSON.stringify(saver.snapshot())).toBe(before);
    expect(saver.extraData.size).toBe(1);
  });

  it('restore rejects foreign or malformed snapshots, leaving learner and extraData as they were', () => {
    const saver = new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY);
    saver.tellMany([0, 1], [rich(0), rich(1)]);
    const good = saver.snapshot();
    const before = JSON.stringify(good);
    expect(() => saver.restore({ ...good, type: 'Learner1D' })).toThrow(/not 'DataSaver'/);
    expect(() => saver.restore({ ...good, extraData: [[0]] })).toThrow(/extraData\[0\]/);
    expect(() =>
      saver.restore({ ...good, learner: { ...(good.learner as object), bounds: [0, 2] } as never }),
    ).toThrow(/bounds/);
    expect(JSON.stringify(saver.snapshot())).toBe(before);
  });
});

describe('DataSaver regressions of python-adaptive bugs', () => {
  it('python-adaptive §15.2 #10: make_datasaver with positional arguments works', () => {
    const make = makeDataSaver((o: Learner1DOptions) => new Learner1D(o), pickY);
    const saver = make({ bounds: [-1, 1] });
    expect(saver).toBeInstanceOf(DataSaver);
    expect((saver.learner as Learner1D).bounds).toEqual([-1, 1]);
    const two = makeDataSaver(
      (a: number, b: number) => new Learner1D({ bounds: [a, b] }),
      (r: { y: number }) => r.y,
    )(2, 3);
    expect((two.learner as Learner1D).bounds).toEqual([2, 3]);
    // The DataSaver constructor itself is positional.
    expect(new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY).learner).toBeInstanceOf(
      Learner1D,
    );
    // As the makeLearner of fromProduct.
    const b = BalancingLearner.fromProduct({ lo: [-1, 0] }, ({ lo }) => make({ bounds: [lo, 1] }));
    runSync(b, ([, x]) => rich(x), { npointsGoal: 20 });
    expect(b.learners.map((d) => d.extraData.size)).toEqual(b.learners.map((d) => d.npoints));
  });

  it('python-adaptive §15.2 #12: ask(0) returns empty arrays', () => {
    const saver = new DataSaver(new AverageLearner({ atol: 1 }), (r: number) => r);
    expect(saver.ask(0)).toEqual({ points: [], lossImprovements: [] });
  });
});

const subject: LawSubject<number, Result> = {
  name: 'DataSaver(Learner1D)',
  make: () => new DataSaver(new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }), pickY),
  f: rich,
  inDomain: (x) => x >= -1 && x <= 1,
  points: fc.double({ min: -1, max: 1, noNaN: true }),
  injectNonFinite: (r, bad) => ({ ...r, y: bad, t: bad }),
};

describe('DataSaver laws', () => {
  it.each(LAW_NAMES)('obeys %s', (law) =>
    checkLearnerLaws(subject, { laws: [law], numRuns: LAW_RUNS }),
  );
});
