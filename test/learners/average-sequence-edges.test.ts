// Regression tests of issue 13 ("Trust at the edges") for AverageLearner and SequenceLearner.
import { describe, expect, it } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import { SequenceLearner } from '../../src/learners/sequence.js';

describe('AverageLearner (issue 13)', () => {
  it('seed 2^53 is refused with the range accepted, not as "not an integer"', () => {
    const l = new AverageLearner({ rtol: 0.01 });
    expect(() => l.tell(2 ** 53, 1)).toThrow(
      /integer seed from -\(2\^53 - 1\) to 2\^53 - 1 \(a safe integer: larger ones are not told apart\), got 9007199254740992/,
    );
    l.tell(2 ** 53 - 1, 1);
    l.tell(-(2 ** 53 - 1), 2);
    expect(l.npoints).toBe(2);
  });

  it('ask(1e9) is a RangeError naming the limit, the learner unchanged', () => {
    const l = new AverageLearner({ atol: 0.1 });
    l.ask(3);
    expect(() => l.ask(1e9)).toThrow(/more than the 67108864 \(2\^26\) this learner holds/);
    expect(l.pendingPoints).toEqual([0, 1, 2]);
  });
});

describe('SequenceLearner (issue 13)', () => {
  it('tell([1, "another item"], v): refused, the item at index 1 is named, state unchanged', () => {
    const l = new SequenceLearner(['a', 'b', 'c']);
    l.ask(2);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.tell([1, 'another item'], 5)).toThrow(TypeError);
    expect(() => l.tell([1, 'another item'], 5)).toThrow(
      /point \[1, "another item"\] does not match the sequence: item 1 is "b"/,
    );
    expect(() =>
      l.tellMany(
        [
          [0, 'a'],
          [2, 'b'],
        ],
        [1, 2],
      ),
    ).toThrow(/item 2 is "c"/);
    expect(() => l.tellPending([2, 'x'])).toThrow(/does not match the sequence/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.tell([1, 'b'], 5);
    expect(l.npoints).toBe(1);
  });

  it('an item equal as data (through a worker or a JSON log) still matches its index', () => {
    const items = [{ a: [1, Number.NaN], b: 'x' }, [2, 3]];
    const l = new SequenceLearner<unknown, number>(items);
    l.tell([0, { b: 'x', a: [1, Number.NaN] }], 1);
    l.tell([1, [2, 3]], 2);
    expect(l.result()).toEqual([1, 2]);
    const m = new SequenceLearner<unknown, number>(items);
    expect(() => m.tell([0, { a: [1, 2], b: 'x' }], 1)).toThrow(/does not match/);
    expect(() => m.tell([1, [2, 3, 4]], 1)).toThrow(/does not match/);
  });

  it('BigInt values (which its snapshot cannot write) are refused, state unchanged', () => {
    const l = new SequenceLearner([1, 2, 3]);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.tell([0, 1], 10n as never)).toThrow(
      /the value is a BigInt \(10n\) at index 0: a snapshot cannot write it/,
    );
    expect(() => l.tell([0, 1], { r: [1, 2n] } as never)).toThrow(/the value.r\[1\] is a BigInt/);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => l.tell([1, 2], cyc as never)).toThrow(/refers back to itself/);
    expect(() =>
      l.tellMany(
        [
          [0, 1],
          [1, 2],
        ],
        [1, 2n] as never,
      ),
    ).toThrow(/BigInt/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    // What a snapshot writes is accepted, undefined (a task with no result) included.
    l.tell([0, 1], undefined as never);
    l.tell([1, 2], { shared: [1], again: [1] } as never);
    expect(l.npoints).toBe(2);
    expect(() => JSON.stringify(l.snapshot())).not.toThrow();
  });
});
