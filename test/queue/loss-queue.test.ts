// Model-based tests: random command sequences drive the fast IndexedHeap and the slow,
// obviously correct ReferenceQueue (a sorted array) side by side.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { IndexedHeap } from '../../src/queue/heap.js';
import { ReferenceQueue, sortedEntriesOf } from '../../src/queue/reference.js';
import type { LossQueue, TieKeys } from '../../src/queue/types.js';

const SEED = 20261122;

type Cmd =
  | { op: 'set'; id: number; key: number }
  | { op: 'delete'; id: number }
  | { op: 'walk'; k: number }
  | { op: 'clear' };

// Few distinct keys so that ties (equal losses) are common, as with uniform intervals.
const keyArb = fc.oneof(
  fc.constantFrom(0, 0.5, 1, 1e-12, 2.5),
  fc.double({ min: -10, max: 10, noNaN: true }),
);
const cmdArb = (ids: number): fc.Arbitrary<Cmd> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ op: fc.constant('set' as const), id: fc.nat(ids - 1), key: keyArb }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('delete' as const), id: fc.nat(ids - 1) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('walk' as const), k: fc.nat(20) }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  );

function walk(q: LossQueue, k: number): number[] {
  const out: number[] = [];
  q.rewind();
  for (let i = 0; i < k; i++) {
    const id = q.next();
    if (id < 0) break;
    out.push(id);
  }
  return out;
}

describe('IndexedHeap against ReferenceQueue', () => {
  test.prop(
    [
      fc
        .integer({ min: 1, max: 40 })
        .chain((n) =>
          fc.tuple(fc.constant(n), fc.array(cmdArb(n), { maxLength: 300, size: 'large' })),
        ),
    ],
    {
      seed: SEED,
      numRuns: 300,
    },
  )('random command sequences give the same order', ([n, cmds]) => {
    // Tie keys: some ids share an x (python breaks ties on the interval, then we on the id).
    const ties: TieKeys = { tie: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 3)) };
    const fast = new IndexedHeap(ties, 2);
    const slow = new ReferenceQueue(ties);
    for (const c of cmds) {
      if (c.op === 'set') {
        fast.set(c.id, c.key);
        slow.set(c.id, c.key);
      } else if (c.op === 'delete') {
        fast.delete(c.id);
        slow.delete(c.id);
      } else if (c.op === 'clear') {
        fast.clear();
        slow.clear();
      } else {
        expect(walk(fast, c.k)).toEqual(walk(slow, c.k));
      }
      expect(fast.size).toBe(slow.size);
      expect(fast.peek()).toBe(slow.peek());
      for (let id = 0; id < n; id++) {
        expect(fast.has(id)).toBe(slow.has(id));
        if (fast.has(id)) expect(fast.key(id) === slow.key(id)).toBe(true); // ±0 are one key
      }
      fast.checkValid();
      slow.checkValid();
    }
    expect(walk(fast, n + 1)).toEqual(walk(slow, n + 1));
  });

  it.each([
    ['IndexedHeap', (t: TieKeys): LossQueue => new IndexedHeap(t)],
    ['ReferenceQueue', (t: TieKeys): LossQueue => new ReferenceQueue(t)],
  ])(
    '%s walks everything in order: larger key first, then smaller tie key, then smaller id',
    (_, make) => {
      const ties: TieKeys = { tie: new Float64Array([5, 1, 1, 0]) };
      const q = make(ties);
      q.set(0, 1);
      q.set(1, 2);
      q.set(2, 2);
      q.set(3, 1);
      expect(walk(q, 10)).toEqual([1, 2, 3, 0]);
      q.set(0, 3);
      expect(q.peek()).toBe(0);
      q.delete(0);
      expect(walk(q, 10)).toEqual([1, 2, 3]);
    },
  );

  it('checkValid catches a corrupted heap (tie keys changed behind its back)', () => {
    const ties: TieKeys = { tie: new Float64Array(8) };
    const q = new IndexedHeap(ties);
    // Equal keys: the order is the tie keys', read from `ties` at every comparison.
    for (let i = 0; i < 8; i++) {
      ties.tie[i] = i;
      q.set(i, 1);
    }
    q.checkValid();
    for (let i = 0; i < 8; i++) ties.tie[i] = -i;
    expect(() => q.checkValid()).toThrow(/heap order/);
  });

  it('checkValid catches an unsorted ReferenceQueue', () => {
    const ties: TieKeys = { tie: new Float64Array(4) };
    const q = new ReferenceQueue(ties);
    for (let i = 0; i < 4; i++) q.set(i, i);
    q.checkValid();
    sortedEntriesOf(q).reverse();
    expect(() => q.checkValid()).toThrow(/out of order/);
  });
});
