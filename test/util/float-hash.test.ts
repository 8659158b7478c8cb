// src/util/float-hash.ts must hash bit for bit as the private copies it replaces (and will
// replace): FloatMap's former `hash` and Learner2D's `hashPair` (src/learners/learner2d.ts),
// written out below as they stood when the home was made (issue 16.4).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { hashFloat, hashFloatPair } from '../../src/util/float-hash.js';

const f = new Float64Array(2);
const w = new Uint32Array(f.buffer);
function oldHash(x: number, mask: number): number {
  f[0] = x;
  const h = Math.imul((w[0] as number) ^ Math.imul(w[1] as number, 0x85ebca6b), 0x9e3779b1);
  return (h ^ (h >>> 15)) & mask;
}
function oldHashPair(x: number, y: number, mask: number): number {
  f[0] = x;
  f[1] = y;
  let h = Math.imul((w[0] as number) ^ Math.imul(w[1] as number, 0x85ebca6b), 0x9e3779b1);
  h = Math.imul(h ^ (w[2] as number) ^ Math.imul(w[3] as number, 0xc2b2ae35), 0x27d4eb2f);
  return (h ^ (h >>> 15)) & mask;
}

const mask = fc.integer({ min: 0, max: 30 }).map((k) => 2 ** k - 1);

describe('float hashes', () => {
  test.prop([fc.double(), mask], { seed: 16 })('hashFloat is the former FloatMap hash', (x, m) => {
    expect(hashFloat(x, m)).toBe(oldHash(x, m));
  });

  test.prop([fc.double(), fc.double(), mask], { seed: 16 })(
    "hashFloatPair is Learner2D's hashPair",
    (x, y, m) => {
      const h = hashFloatPair(x, y, m);
      expect(h).toBe(oldHashPair(x, y, m));
      expect(h >= 0 && h <= m).toBe(true);
    },
  );

  it('spreads a grid over a table (no slot holds more than a few of 4096 points)', () => {
    const counts = new Int32Array(4096);
    for (let i = 0; i < 64; i++)
      for (let j = 0; j < 64; j++) (counts[hashFloatPair(i / 63, j / 63, 4095)] as number)++;
    expect(Math.max(...counts)).toBeLessThan(12);
  });
});
