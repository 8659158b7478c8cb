import { describe, expect, it } from 'vitest';
import { incompleteBeta, logGamma, tQuantile } from '../../src/util/student-t.js';

describe('Student t quantile (values of scipy 1.17 stats.t.ppf)', () => {
  it.each([
    [0.975, 10, 2.228138851986274],
    [0.995, 1, 63.656741162871526],
    [0.995, 4, 4.604094871349992],
    [0.995, 49, 2.679951973631552],
    [0.95, 5, 2.0150483733330233],
    [0.995, 1000, 2.580754698065951],
    [0.9, 2, 1.8856180831641272],
    [0.995, 3, 5.840909309733355],
  ])('t.ppf(%d, %d) = %d', (p, df, expected) => {
    expect(Math.abs(tQuantile(p, df) - expected) / expected).toBeLessThan(1e-13);
    expect(Math.abs(tQuantile(1 - p, df) + expected) / expected).toBeLessThan(1e-13);
  });

  it('special cases and helpers', () => {
    expect(tQuantile(0.5, 7)).toBe(0);
    expect(tQuantile(1, 7)).toBe(Number.POSITIVE_INFINITY);
    expect(tQuantile(0.9, 0)).toBeNaN();
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
  });
});
