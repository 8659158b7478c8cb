// Model-based tests: random command sequences drive BlockLossHeap (Learner2D's triangle
// losses) and the slow, obviously correct ReferenceQueue (sorted-btree) side by side, as
// loss-queue.test.ts does for IndexedHeap; plus the heap's own operations (build, remap,
// settle, copyFrom) against the same model.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { BlockLossHeap, TieKeyOrder } from '../../src/queue/block-heap.js';
import { ReferenceQueue } from '../../src/queue/reference.js';
import type { LossQueue, TieKeys } from '../../src/queue/types.js';

const SEED = 20261206;

type Cmd =
  | { op: 'set'; id: number; key: number }
  | { op: 'delete'; id: number }
  | { op: 'walk'; k: number }
  | { op: 'settle'; k: number }
  | { op: 'clear' };

// Few distinct keys so that ties (equal losses) are common, as with uniform triangles.
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
    { weight: 1, arbitrary: fc.record({ op: fc.constant('walk' as const), k: fc.nat(40) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('settle' as const), k: fc.nat(40) }) },
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

/** The first difference between the two queues' content, or '' (one expect per call). */
function difference(fast: BlockLossHeap, slow: ReferenceQueue, n: number): string {
  if (fast.size !== slow.size) return `size ${fast.size} vs ${slow.size}`;
  if (fast.peek() !== slow.peek()) return `peek ${fast.peek()} vs ${slow.peek()}`;
  for (let id = 0; id < n; id++) {
    if (fast.has(id) !== slow.has(id)) return `has(${id})`;
    // ±0 are one key.
    if (fast.has(id) && fast.key(id) !== slow.key(id)) return `key(${id})`;
  }
  return '';
}

function sameState(fast: BlockLossHeap, slow: ReferenceQueue, n: number): void {
  expect(difference(fast, slow, n)).toBe('');
  fast.checkValid();
}

/** Ids up to 130 span several 32-id blocks; some share a tie key (ties on the id). */
const problemArb = fc
  .integer({ min: 1, max: 130 })
  .chain((n) => fc.tuple(fc.constant(n), fc.array(cmdArb(n), { maxLength: 300, size: 'large' })));

function tiesFor(n: number): TieKeys {
  return { tie: Float64Array.from({ length: n }, (_, i) => Math.floor((i * 7) % 13)) };
}

describe('BlockLossHeap against ReferenceQueue', () => {
  test.prop([problemArb], { seed: SEED, numRuns: 200 })(
    'random command sequences give the same order',
    ([n, cmds]) => {
      const ties = tiesFor(n);
      const fast = new BlockLossHeap(new TieKeyOrder(ties));
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
        } else if (c.op === 'walk') {
          expect(walk(fast, c.k)).toEqual(walk(slow, c.k));
        } else {
          // A walk ended by settle (as Learner2D's ask does): stale blocks become clean.
          expect(walk(fast, c.k)).toEqual(walk(slow, c.k));
          fast.settle();
        }
        sameState(fast, slow, n);
      }
      expect(walk(fast, n + 1)).toEqual(walk(slow, n + 1));
    },
  );

  // Many blocks (up to 94, a heap three levels deep) and three keys: most blocks tie with the
  // top, as on a filled lattice, where the heap orders tied blocks itself (stale first).
  const wideArb = fc.integer({ min: 300, max: 20000 }).chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(
        fc.oneof(
          {
            weight: 8,
            arbitrary: fc.record({
              op: fc.constant('set' as const),
              id: fc.nat(n - 1),
              key: fc.constantFrom(0, 1, 2),
            }),
          },
          {
            weight: 3,
            arbitrary: fc.record({ op: fc.constant('delete' as const), id: fc.nat(n - 1) }),
          },
          {
            weight: 1,
            arbitrary: fc.record({ op: fc.constant('settle' as const), k: fc.nat(60) }),
          },
          {
            weight: 1,
            arbitrary: fc.record({
              op: fc.constant('reuse' as const),
              ids: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: 40 }),
              tie: fc.nat(12),
              key: fc.constantFrom(0, 1, 2),
            }),
          },
        ),
        { minLength: 200, maxLength: 1500 },
      ),
    ),
  );
  test.prop([wideArb], { seed: SEED, numRuns: 60 })(
    'many blocks tied at the top: the same first id after every command',
    ([n, cmds]) => {
      const ties = tiesFor(n);
      const fast = new BlockLossHeap(new TieKeyOrder(ties));
      const slow = new ReferenceQueue(ties);
      for (const c of cmds) {
        if (c.op === 'reuse') {
          // As a Delaunay insertion: the removed triangles' ids (the top's, split, and some
          // others) already name new triangles (new tie keys) when the learner deletes them,
          // then it sets their losses.
          const top = slow.peek();
          const ids = top >= 0 && !c.ids.includes(top) ? [top, ...c.ids] : c.ids;
          for (const id of ids) slow.delete(id);
          ids.forEach((id, i) => {
            ties.tie[id] = (c.tie + i) % 13;
          });
          for (const id of ids) fast.delete(id);
          for (const id of ids) {
            fast.set(id, c.key);
            slow.set(id, c.key);
          }
        } else if (c.op === 'set') {
          fast.set(c.id, c.key);
          slow.set(c.id, c.key);
        } else if (c.op === 'delete') {
          fast.delete(c.id);
          slow.delete(c.id);
        } else {
          expect(walk(fast, c.k)).toEqual(walk(slow, c.k));
          fast.settle();
        }
        expect(fast.peek()).toBe(slow.peek());
      }
      sameState(fast, slow, n);
      expect(walk(fast, n + 1)).toEqual(walk(slow, n + 1));
    },
  );

  test.prop([problemArb, fc.integer({ min: 0, max: 2 ** 31 - 1 })], { seed: SEED, numRuns: 100 })(
    'build, remap and copyFrom keep the content and the order',
    ([n, cmds], salt) => {
      const ties = tiesFor(n);
      const order = new TieKeyOrder(ties);
      const fast = new BlockLossHeap(order);
      const slow = new ReferenceQueue(ties);
      for (const c of cmds) {
        if (c.op === 'set') {
          fast.set(c.id, c.key);
          slow.set(c.id, c.key);
        } else if (c.op === 'delete') {
          fast.delete(c.id);
          slow.delete(c.id);
        }
      }
      // copyFrom: an independent copy.
      const copy = new BlockLossHeap(order);
      copy.copyFrom(fast);
      sameState(copy, slow, n);
      expect(walk(copy, n + 1)).toEqual(walk(slow, n + 1));
      // build from the held (id, key) pairs.
      const ids = new Int32Array(n);
      const keys = new Float64Array(n);
      let count = 0;
      for (let id = 0; id < n; id++) {
        if (!slow.has(id)) continue;
        ids[count] = id;
        keys[count++] = slow.key(id);
      }
      const built = new BlockLossHeap(order);
      built.build(ids, keys, count);
      sameState(built, slow, n);
      expect(walk(built, n + 1)).toEqual(walk(slow, n + 1));
      // remap by a permutation of the ids (the tie keys follow their ids).
      const perm = Int32Array.from({ length: n }, (_, i) => i);
      let r = salt;
      for (let i = n - 1; i > 0; i--) {
        r = (Math.imul(r, 1103515245) + 12345) >>> 0;
        const j = r % (i + 1);
        const t = perm[i] as number;
        perm[i] = perm[j] as number;
        perm[j] = t;
      }
      const moved: TieKeys = { tie: new Float64Array(n) };
      for (let id = 0; id < n; id++) moved.tie[perm[id] as number] = ties.tie[id] as number;
      const remapped = new BlockLossHeap(new TieKeyOrder(moved));
      remapped.copyFrom(fast);
      remapped.remap(perm);
      const model = new ReferenceQueue(moved);
      for (let id = 0; id < n; id++) if (slow.has(id)) model.set(perm[id] as number, slow.key(id));
      sameState(remapped, model, n);
      expect(walk(remapped, n + 1)).toEqual(walk(model, n + 1));
    },
  );

  it('walks everything in order: larger key first, then smaller tie key, then smaller id', () => {
    const ties: TieKeys = { tie: new Float64Array([5, 1, 1, 0]) };
    const q = new BlockLossHeap(new TieKeyOrder(ties));
    q.set(0, 1);
    q.set(1, 2);
    q.set(2, 2);
    q.set(3, 1);
    expect(walk(q, 10)).toEqual([1, 2, 3, 0]);
    q.set(0, 3);
    expect(q.peek()).toBe(0);
    q.delete(0);
    expect(walk(q, 10)).toEqual([1, 2, 3]);
  });

  it('refuses a NaN key and leaves the heap unchanged', () => {
    const q = new BlockLossHeap(new TieKeyOrder({ tie: new Float64Array(4) }));
    q.set(1, 2);
    expect(() => q.set(2, Number.NaN)).toThrow(/NaN key/);
    expect(q.size).toBe(1);
    expect(q.has(2)).toBe(false);
    q.checkValid();
  });

  it('checkValid catches a corrupted heap', () => {
    const q = new BlockLossHeap(new TieKeyOrder({ tie: new Float64Array(100) }));
    for (let i = 0; i < 100; i++) q.set(i, i);
    q.cur[5] = 1000; // behind the heap's back: block 0's largest is now id 5
    expect(() => q.checkValid()).toThrow(/clean block 0 has a wrong largest/);
  });
});
