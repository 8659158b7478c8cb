import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { colorMap, colorMapFrom, paletteColor } from '../../src/plot/colormap.js';
import {
  formatTick,
  linearScale,
  logScale,
  niceTicks,
  paddedDomain,
  powerOfTen,
} from '../../src/plot/scale.js';
import { num } from '../../src/plot/svg.js';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, with exact decimal values', () => {
    expect(niceTicks(0, 1, 5)).toEqual({
      values: [0, 0.2, 0.4, 0.6, 0.8, 1],
      decimals: 1,
      step: 0.2,
    });
    expect(niceTicks(-1, 1, 4).values).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(0, 0.3, 3).values).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 1000, 5).values).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(-0.0013, 0.0021, 4).values).toEqual([-0.001, 0, 0.001, 0.002]);
    expect(niceTicks(3, 3).values).toEqual([3]);
    expect(niceTicks(Number.NaN, 1).values).toEqual([]);
  });

  test.prop([
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
    fc.integer({ min: 2, max: 10 }),
  ])(
    'ticks lie in the interval, evenly spaced by a nice step, about `count` of them',
    (lo, width, count) => {
      const hi = lo + width;
      fc.pre(hi > lo);
      const { values, step } = niceTicks(lo, hi, count);
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
      for (const v of values) {
        expect(v).toBeGreaterThanOrEqual(lo - step * 1e-6);
        expect(v).toBeLessThanOrEqual(hi + step * 1e-6);
      }
      for (let i = 1; i < values.length; i++) {
        const v = values[i] as number;
        expect(Math.abs(v - (values[i - 1] as number) - step)).toBeLessThan(
          step * 1e-6 + Math.abs(v) * 1e-14,
        );
      }
      expect(values.length).toBeGreaterThanOrEqual(1);
      expect(values.length).toBeLessThanOrEqual(count * 2.5 + 2);
    },
  );
});

describe('tick labels and numbers', () => {
  it('formats with the decimals of the step, a true minus sign, never -0', () => {
    expect(formatTick(0.25, 2)).toBe('0.25');
    expect(formatTick(-3, 0)).toBe('\u22123');
    expect(formatTick(-0, 1)).toBe('0');
    expect(formatTick(2e-7, 7)).toBe('2e\u22127');
    expect(formatTick(3e6, 0, 3e6)).toBe('3e6');
    expect(powerOfTen(-3)).toBe('10\u207b\u00b3');
    expect(
      linearScale([0, 10], [0, 100])
        .ticks(2)
        .map((t) => t.label),
    ).toEqual(['0', '5', '10']);
  });

  it('writes coordinates with at most 2 decimals, no -0', () => {
    expect(num(12.3456)).toBe('12.35');
    expect(num(-0.001)).toBe('0');
    expect(num(100)).toBe('100');
    expect(num(Number.NaN)).toBe('0');
  });

  it('has log ticks at powers of ten (and 2, 5 over few decades)', () => {
    const s = logScale([1e-3, 1], [100, 0]);
    expect(s(1e-2)).toBeCloseTo(200 / 3);
    expect(s.ticks().map((t) => t.value)).toContain(0.01);
    expect(
      logScale([1e-8, 1e4], [100, 0])
        .ticks()
        .every((t) => Number.isInteger(Math.log10(t.value))),
    ).toBe(true);
    expect(
      logScale([1, 50], [100, 0])
        .ticks()
        .map((t) => t.label),
    ).toEqual(['1', '2', '5', '10', '20', '50']);
  });

  it('pads domains, and widens a single value', () => {
    expect(paddedDomain(0, 10, 0.05)).toEqual([-0.5, 10.5]);
    expect(paddedDomain(2, 2)).toEqual([1.8, 2.2]);
    expect(paddedDomain(0, 0)).toEqual([-1, 1]);
  });
});

describe('colour maps', () => {
  it('interpolates anchors and clamps', () => {
    expect(colorMap('viridis')(0)).toBe('#440154');
    expect(colorMap('viridis')(1)).toBe('#fde725');
    expect(colorMap('viridis')(2)).toBe('#fde725');
    expect(colorMapFrom(['#000000', '#ffffff'])(0.5)).toBe('#808080');
    expect(paletteColor(11)).toBe(paletteColor(1));
    expect(() => colorMap('jet' as 'viridis')).toThrow(/unknown colour map 'jet'/);
    expect(() => colorMapFrom(['red'])).toThrow(TypeError);
  });
});
