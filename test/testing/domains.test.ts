import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boxArbitrary,
  inSimplex,
  intervalArbitrary,
  scaleValue,
  simplexArbitrary,
  valueScaleArbitrary,
} from '../../src/testing/index.js';

describe('intervalArbitrary', () => {
  it('draws finite [a, b] with a < b, |a| ≤ 1e15, widths from 1e-10 of max(|a|, unit) to 1e300', () => {
    fc.assert(
      fc.property(intervalArbitrary(), ([a, b]) => {
        expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
        expect(a).toBeLessThan(b);
        expect(Math.abs(a)).toBeLessThanOrEqual(1e15);
        expect(b - a).toBeLessThanOrEqual(1e300 * (1 + 1e-12));
        // a width of 1e-10 of the start holds ~450 000 doubles at least
        if (a !== 0) expect(b - a).toBeGreaterThanOrEqual(Math.abs(a) * 1e-10 * (1 - 1e-5));
        expect(b - a).toBeGreaterThanOrEqual(1e-300 * (1 - 1e-9)); // a normal number
      }),
      { numRuns: 2000, seed: 1 },
    );
  });

  it('reaches the extremes: far offsets, tiny and huge widths', () => {
    const sample = fc.sample(intervalArbitrary(), { numRuns: 3000, seed: 2 });
    expect(sample.some(([a]) => Math.abs(a) > 1e13)).toBe(true);
    expect(sample.some(([a, b]) => a !== 0 && (b - a) / Math.abs(a) < 1e-8)).toBe(true);
    expect(sample.some(([a, b]) => b - a > 1e250)).toBe(true);
    expect(sample.some(([a, b]) => b - a < 1e-200)).toBe(true);
    expect(sample.some(([a]) => a < 0)).toBe(true);
  });

  it('shrinks towards [0, 1]', () => {
    const r = fc.check(
      fc.property(intervalArbitrary(), () => false),
      { seed: 3 },
    );
    expect(r.counterexample?.[0]).toEqual([0, 1]);
  });

  it('boxArbitrary draws d intervals', () => {
    for (const box of fc.sample(boxArbitrary(3), { numRuns: 50, seed: 4 })) {
      expect(box).toHaveLength(3);
      for (const [a, b] of box) expect(a).toBeLessThan(b);
    }
  });
});

describe('simplexArbitrary and inSimplex', () => {
  it('the vertices and the centroid of a simplex are inside; a vertex moved one ulp out is outside', () => {
    fc.assert(
      fc.property(simplexArbitrary(2), (v) => {
        for (const p of v) expect(inSimplex(p, v)).toBe(true);
        const [c, e1] = v as [number[], number[], number[]];
        // Beyond the corner along the first edge's axis, by one ulp: outside.
        const dir = Math.sign((e1[0] as number) - (c[0] as number));
        const out = c.slice();
        out[0] =
          (c[0] as number) - dir * Math.max(Number.MIN_VALUE, Math.abs(c[0] as number) * 2 ** -52);
        expect(inSimplex(out, v)).toBe(false);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('decides exactly on a slanted face far from the origin', () => {
    const o = 1e12;
    const tri = [
      [o, o],
      [o + 3, o],
      [o, o + 3],
    ];
    expect(inSimplex([o + 1.5, o + 1.5], tri)).toBe(true); // on the slanted face
    expect(inSimplex([o + 1.5, o + 1.5 + 2 ** -12], tri)).toBe(false); // one ulp beyond it
    expect(inSimplex([o + 1, o + 1], tri)).toBe(true);
    expect(inSimplex([Number.NaN, o], tri)).toBe(false);
    expect(inSimplex([o, o, o], tri)).toBe(false);
  });
});

describe('valueScaleArbitrary and scaleValue', () => {
  it('draws 1, 1e-300 … 1e300, powers of two and subnormals, of either sign', () => {
    const sample = fc.sample(valueScaleArbitrary(), { numRuns: 3000, seed: 6 });
    expect(sample.every((s) => Number.isFinite(s) && s !== 0)).toBe(true);
    expect(sample.some((s) => Math.abs(s) > 1e250)).toBe(true);
    expect(sample.some((s) => Math.abs(s) < 1e-250 && Math.abs(s) >= 2 ** -1022)).toBe(true);
    expect(sample.some((s) => Math.abs(s) < 2 ** -1022)).toBe(true);
    expect(sample.some((s) => s < 0)).toBe(true);
    expect(sample.includes(1)).toBe(true);
  });

  it('narrows to the exponents asked, without subnormals or negatives', () => {
    const sample = fc.sample(
      valueScaleArbitrary({
        minExponent: -100,
        maxExponent: 100,
        subnormal: false,
        negative: false,
      }),
      { numRuns: 2000, seed: 7 },
    );
    expect(sample.every((s) => s >= 1e-100 && s <= 1e100)).toBe(true);
  });

  it('scaleValue multiplies numbers and arrays, and leaves anything else', () => {
    expect(scaleValue(2, 1e300)).toBe(2e300);
    expect(scaleValue([1, [-2, 3]], 2)).toEqual([2, [-4, 6]]);
    expect(scaleValue('x', 2)).toBe('x');
  });
});
