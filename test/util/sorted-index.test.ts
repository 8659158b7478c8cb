// Model-based test of the blocked sorted index against a plain sorted array.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SortedIndex } from '../../src/util/sorted-index.js';

const SEED = 20261122;

describe('SortedIndex', () => {
  test.prop(
    [
      fc.array(
        fc.record({
          del: fc.boolean(),
          x: fc.oneof(
            fc.integer({ min: -2000, max: 2000 }),
            fc.double({ min: -1, max: 1, noNaN: true }),
          ),
        }),
        { minLength: 600, maxLength: 3000 },
      ),
    ],
    { seed: SEED, numRuns: 60 },
  )('matches a sorted array under random inserts and deletes', (ops) => {
    const idx = new SortedIndex();
    const model = new Map<number, number>();
    let next = 0;
    for (const { del, x } of ops) {
      const k = x + 0;
      if (del) {
        const id = idx.delete(k);
        expect(id).toBe(model.has(k) ? model.get(k) : -1);
        model.delete(k);
      } else if (!model.has(k)) {
        idx.insert(k, next);
        model.set(k, next++);
      }
    }
    idx.checkValid();
    const keys = [...model.keys()].sort((a, b) => a - b);
    expect(idx.size).toBe(keys.length);
    const seen: number[] = [];
    idx.forEach((k, id) => {
      seen.push(k);
      expect(id).toBe(model.get(k));
    });
    expect(seen).toEqual(keys);
    for (const probe of [...keys.slice(0, 50), -3000, 3000, 0.5, -0.25]) {
      const i = keys.findIndex((k) => k >= probe);
      const lower = i < 0 ? keys.at(-1) : i === 0 ? undefined : keys[i - 1];
      const j = keys.findIndex((k) => k > probe);
      const higher = j < 0 ? undefined : keys[j];
      expect(idx.lower(probe)).toBe(lower === undefined ? -1 : model.get(lower));
      expect(idx.higher(probe)).toBe(higher === undefined ? -1 : model.get(higher));
      expect(idx.get(probe)).toBe(model.has(probe) ? model.get(probe) : -1);
    }
    expect(idx.first()).toBe(keys.length ? model.get(keys[0] as number) : -1);
    expect(idx.last()).toBe(keys.length ? model.get(keys.at(-1) as number) : -1);
  });

  it('builds from sorted arrays', () => {
    const idx = new SortedIndex();
    const keys = Array.from({ length: 2000 }, (_, i) => i / 7);
    idx.build(
      keys,
      keys.map((_, i) => i),
    );
    idx.checkValid();
    expect(idx.get(keys[1234] as number)).toBe(1234);
    expect(idx.lower(0)).toBe(-1);
  });
});
