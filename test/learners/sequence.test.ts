// SequenceLearner: python-adaptive's tests (test_sequence_learner.py and the generic ones),
// the learner laws, bad input, and regressions of python-adaptive bugs (features §15.2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SequenceLearner, type SequencePoint } from '../../src/learners/sequence.js';
import { run } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';
import type { LawSubject } from '../../src/testing/index.js';
import { anyValue, describeLaws } from '../fixtures/laws.js';

describe('SequenceLearner', () => {
  it('hands out the items in order, fewer than n at the end, and is done when all are told', () => {
    const l = new SequenceLearner(['a', 'b', 'c', 'd', 'e']);
    const first = l.ask(2);
    expect(first.points).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(first.lossImprovements).toEqual([0.2, 0.2]);
    expect(l.loss()).toBe(1);
    expect(l.loss({ real: false })).toBeCloseTo(0.6, 15);
    const rest = l.ask(10);
    expect(rest.points.map((p) => p[0])).toEqual([2, 3, 4]);
    expect(l.ask(1).points).toEqual([]);
    expect(l.done()).toBe(false);
    for (const [i, x] of [...first.points, ...rest.points]) l.tell([i, x], x.toUpperCase());
    expect(l.done()).toBe(true);
    expect(l.loss()).toBe(0);
    expect(l.result()).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('result() is in sequence order whatever the order of the tells, and throws before done', () => {
    const l = new SequenceLearner([10, 20, 30, 40]);
    const { points } = l.ask(4);
    expect(() => l.result()).toThrow(/not done: 0 of 4 items are evaluated/);
    for (const p of [...points].reverse()) l.tell(p, p[1] / 10);
    expect(l.result()).toEqual([1, 2, 3, 4]);
    expect(l.toRecords()).toEqual([
      { index: 0, x: 10, y: 1 },
      { index: 1, x: 20, y: 2 },
      { index: 2, x: 30, y: 3 },
      { index: 3, x: 40, y: 4 },
    ]);
  });

  it('takes items that cannot be map keys or compared (identity by index, python #265)', () => {
    const items = [{ a: 1 }, { a: 1 }, [1, 2], new Map([[1, 2]]), () => 3, Symbol('s')];
    const l = new SequenceLearner<unknown, string>(items);
    const { points } = l.ask(6);
    expect(points.map(([i, x]) => x === items[i])).toEqual([true, true, true, true, true, true]);
    for (const p of points) l.tell(p, `#${p[0]}`); // the points as handed out (identity matches)
    expect(l.result()).toEqual(['#0', '#1', '#2', '#3', '#4', '#5']);
  });

  it('removeUnfinished gives the pending items back, lowest first', () => {
    const l = new SequenceLearner([0, 1, 2, 3, 4, 5]);
    l.ask(4);
    l.tell([1, 1], 'one');
    l.removeUnfinished();
    expect(l.pendingPoints).toEqual([]);
    expect(l.ask(3).points.map((p) => p[0])).toEqual([0, 2, 3]);
    expect(l.pendingPoints.map((p) => p[0])).toEqual([0, 2, 3]);
  });

  it('retelling keeps the first value; tellPending of a told item does nothing', () => {
    const l = new SequenceLearner(['x', 'y']);
    l.tell([0, 'x'], 1);
    l.tell([0, 'x'], 2);
    l.tellPending([0, 'x']);
    expect(l.pendingPoints).toEqual([]);
    expect(l.npoints).toBe(1);
    l.tell([1, 'y'], 3);
    expect(l.result()).toEqual([1, 3]);
  });

  it('runs to the end with run() and no goal (done() ends it), with retries and concurrency', async () => {
    const l = new SequenceLearner(Array.from({ length: 50 }, (_, i) => ({ n: i })));
    let failed = false;
    const summary = await run(
      l,
      async ([, item]: SequencePoint<{ n: number }>) => {
        if (!failed && item.n === 7) {
          failed = true;
          throw new Error('once');
        }
        return item.n * item.n;
      },
      { concurrency: 4, retries: 1 },
    );
    expect(summary.reason).toBe('done');
    expect(l.result()).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
  });

  it('runs with runSync and no goal', () => {
    const l = new SequenceLearner([1, 2, 3]);
    const s = runSync(l, ([, x]) => x + 1, { pointsPerAsk: 2 });
    expect(s.reason).toBe('done');
    expect(l.result()).toEqual([2, 3, 4]);
  });

  it('snapshot round trip: values (NaN included), pending indices, and the next points', () => {
    const l = new SequenceLearner(['a', 'b', 'c', 'd', 'e', 'f']);
    const { points } = l.ask(4);
    l.tell(points[1] as SequencePoint<string>, { v: Number.NaN, w: [1, Infinity] });
    l.tell([5, 'f'], 'done');
    const copy = new SequenceLearner(['a', 'b', 'c', 'd', 'e', 'f']);
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(copy.pendingPoints).toEqual(l.pendingPoints);
    expect(copy.npoints).toBe(2);
    expect(copy.toRecords()).toEqual(l.toRecords());
    expect(copy.ask(2).points).toEqual([[4, 'e']]);
  });
});

describe('SequenceLearner bad input: a clear error, the learner unchanged', () => {
  it('rejects an empty sequence and things that are not sequences', () => {
    expect(() => new SequenceLearner([])).toThrow(RangeError);
    expect(() => new SequenceLearner([])).toThrow(/the sequence is empty/);
    expect(() => new SequenceLearner(new Set())).toThrow(RangeError);
    expect(() => new SequenceLearner(3 as never)).toThrow(TypeError);
    expect(() => new SequenceLearner('abc' as never)).toThrow(TypeError);
    expect(() => new SequenceLearner(null as never)).toThrow(TypeError);
  });

  it('rejects bad points and asks, naming them', () => {
    const l = new SequenceLearner(['a', 'b']);
    l.ask(1);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.tell([2, 'c'], 1)).toThrow(/index 2 is outside the sequence \[0, 1\]/);
    expect(() => l.tell([0.5, 'a'] as never, 1)).toThrow(/must be an integer/);
    expect(() => l.tell('a' as never, 1)).toThrow(/a point is \[index, item\]/);
    expect(() =>
      l.tellMany(
        [
          [1, 'b'],
          [-1, 'x'],
        ],
        [1, 2],
      ),
    ).toThrow(/index -1/);
    expect(() => l.tellPending([7, 'x'])).toThrow(RangeError);
    expect(() => l.ask(1.5)).toThrow(RangeError);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });

  it('restore rejects a snapshot of a sequence of another length', () => {
    const l = new SequenceLearner([1, 2, 3]);
    l.tell([0, 1], 'x');
    const snap = l.snapshot();
    const before = JSON.stringify(snap);
    expect(() => new SequenceLearner([1, 2]).restore(snap)).toThrow(
      /sequence of 3 items, this learner has 2/,
    );
    expect(() => l.restore({ ...snap, indices: [0, 0], values: [1, 2] })).toThrow(
      /indices must increase/,
    );
    expect(() => l.restore({ ...snap, pending: [0] })).toThrow(/also an evaluated index/);
    expect(() => l.restore({ ...snap, type: 'AverageLearner' })).toThrow(/not 'SequenceLearner'/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });
});

describe('SequenceLearner regressions of python-adaptive bugs', () => {
  it('python-adaptive §15.2 #11: after a restore the points are still [index, item] for the evaluate function', () => {
    const items = [{ x: 1 }, { x: 2 }, { x: 3 }];
    const l = new SequenceLearner<{ x: number }, number>(items);
    const [p] = l.ask(1).points;
    l.tell(p as SequencePoint<{ x: number }>, 10);
    const copy = new SequenceLearner<{ x: number }, number>(items);
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    const s = runSync(copy, ([i, item]) => {
      expect(item).toBe(items[i]);
      return item.x * 10;
    });
    expect(s.reason).toBe('done');
    expect(copy.result()).toEqual([10, 20, 30]);
  });

  it('python-adaptive §15.2 #12: ask(0) returns empty arrays', () => {
    const l = new SequenceLearner([1]);
    expect(l.ask(0)).toEqual({ points: [], lossImprovements: [] });
    expect(l.ask(0, { tellPending: false })).toEqual({ points: [], lossImprovements: [] });
  });

  it('python-adaptive §15.2 #1: a snapshot keeps the pending items (python drops them)', () => {
    const l = new SequenceLearner(['a', 'b', 'c']);
    l.ask(2);
    const copy = new SequenceLearner(['a', 'b', 'c']);
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(copy.pendingPoints).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(copy.ask(5).points).toEqual([[2, 'c']]);
  });
});

const ITEMS = Array.from({ length: 23 }, (_, i) => ({ id: i, tag: `t${i % 4}` }));
const subject: LawSubject<SequencePoint<{ id: number; tag: string }>, number> = {
  name: 'SequenceLearner',
  make: () => new SequenceLearner(ITEMS),
  f: ([i, item]) => i * 0.5 + item.tag.length,
  inDomain: ([i, item]) => Number.isInteger(i) && i >= 0 && i < ITEMS.length && item === ITEMS[i],
  key: ([i]) => String(i),
  points: fc
    .nat({ max: ITEMS.length - 1 })
    .map((i) => [i, ITEMS[i]] as SequencePoint<{ id: number; tag: string }>),
};

const randomValues: LawSubject<SequencePoint<{ id: number; tag: string }>, number> = {
  ...subject,
  name: 'SequenceLearner (random values)',
  f: undefined,
  values: anyValue,
};

describeLaws([subject, randomValues]);
