// Model-based test of FloatMap against a JS Map.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { FloatMap } from '../../src/util/float-map.js';

test.prop(
  [
    fc.array(
      fc.record({
        op: fc.constantFrom('set', 'delete', 'get', 'clear'),
        x: fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ min: -1, max: 1, noNaN: true })),
        id: fc.nat(1000),
      }),
      { minLength: 50, maxLength: 2000 },
    ),
  ],
  { seed: 20261122, numRuns: 60 },
)('FloatMap matches a Map under random set/delete/get', (ops) => {
  const m = new FloatMap(2);
  const model = new Map<number, number>();
  for (const { op, x: raw, id } of ops) {
    const x = raw + 0;
    if (op === 'set') {
      m.set(x, id);
      model.set(x, id);
    } else if (op === 'delete') {
      expect(m.delete(x)).toBe(model.has(x) ? model.get(x) : -1);
      model.delete(x);
    } else if (op === 'clear' && x > 0.9) {
      m.clear();
      model.clear();
    } else {
      expect(m.get(x)).toBe(model.has(x) ? model.get(x) : -1);
    }
    expect(m.size).toBe(model.size);
  }
  const seen = new Map<number, number>();
  m.forEach((x, id) => {
    seen.set(x, id);
  });
  expect(seen).toEqual(model);
  for (const [x, id] of model) expect(m.get(x)).toBe(id);
});
