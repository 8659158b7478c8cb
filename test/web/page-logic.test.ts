// The live page's pure parts (web/src/shared.ts, web/src/draw.ts) in Node: compiling a
// user's expression, the interpolation error, the noise, and the SVG layers.
import { describe, expect, it } from 'vitest';
import {
  dataSvg,
  type Frame,
  formatTick,
  linePath,
  MAX_CIRCLES,
  niceTicks,
} from '../../web/src/draw.js';
import {
  bracketError,
  compileExpression,
  GALLERY,
  gaussianNoise,
  interpolationError,
  linspace,
} from '../../web/src/shared.js';

describe('compileExpression', () => {
  it('compiles the gallery, with Math in scope', () => {
    for (const g of GALLERY) {
      const f = compileExpression(g.expr, g.bounds);
      expect(Number.isFinite(f((g.bounds[0] + g.bounds[1]) / 3))).toBe(true);
    }
    expect(compileExpression('sin(pi * x) + exp(0) + PI - pi', [0, 1])(0.5)).toBeCloseTo(2);
    expect(compileExpression('x > 0', [-1, 1])(1)).toBe(1);
  });

  it('explains bad input', () => {
    const bad = (expr: string) => () => compileExpression(expr, [-1, 1]);
    expect(bad('')).toThrow(/Type a function of x/);
    expect(bad('sin(x')).toThrow(`Cannot read "sin(x": a '(' is not closed`);
    expect(bad('1)(')).toThrow(/the '\)' at position 2 has no matching '\('/);
    expect(bad('x +')).toThrow(/Cannot read "x \+"/);
    expect(bad('nope(x)')).toThrow('"nope(x)" fails at x = -1: nope is not defined');
    expect(bad('[x]')).toThrow('"[x]" gives [-1] at x = -1; it must give a number');
    expect(bad('"a"')).toThrow(/gives "a" at x = -1/);
    expect(bad('undefined')).toThrow(/gives undefined/);
    expect(bad('null')).toThrow(/gives null/);
  });

  it('matches brackets outside strings only', () => {
    expect(bracketError('f(")")')).toBeNull();
    expect(bracketError('(x]')).toMatch(/no matching/);
    expect(bracketError('((x')).toBe('2 brackets are not closed');
    expect(bracketError('"abc')).toMatch(/not closed/);
  });
});

describe('interpolationError', () => {
  const fineX = linspace(0, 1, 101);
  it('is zero for a line sampled at its ends, and exact for a kink', () => {
    const line = fineX.map((x) => 2 * x + 1);
    expect(interpolationError([0, 1], [1, 3], fineX, line)).toEqual({ max: 0, rms: 0 });
    const kink = fineX.map((x) => Math.abs(x - 0.5));
    const e = interpolationError([0, 1], [0.5, 0.5], fineX, kink);
    expect(e.max).toBeCloseTo(0.5, 12);
    expect(e.rms).toBeGreaterThan(0.2);
  });

  it('skips non-finite values and points outside the data', () => {
    const y = fineX.map((x) => (x < 0.1 ? Number.NaN : x));
    expect(interpolationError([0.5, 1], [0.5, 1], fineX, y)).toEqual({ max: 0, rms: 0 });
    expect(interpolationError([], [], fineX, y).max).toBeNaN();
  });
});

it('gaussianNoise is deterministic with mean 0 and variance 1', () => {
  expect(gaussianNoise(3, 0.25)).toBe(gaussianNoise(3, 0.25));
  expect(gaussianNoise(3, 0.25)).not.toBe(gaussianNoise(4, 0.25));
  const xs = Array.from({ length: 20_000 }, (_, i) => gaussianNoise(i, 0.5));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  expect(Math.abs(mean)).toBeLessThan(0.05);
  expect(Math.abs(variance - 1)).toBeLessThan(0.05);
});

describe('drawing', () => {
  const frame: Frame = { width: 560, height: 340, xDomain: [0, 1], yDomain: [0, 1] };

  it('ticks are round and labels free of float noise', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.05, 1, 6).map(formatTick)).toEqual(['0.2', '0.4', '0.6', '0.8', '1']);
    expect(formatTick(1e-5)).toBe('1.0e-5');
  });

  it('draws one marker per finite point, pending points hollow, and breaks the curve at NaN', () => {
    const svg = dataSvg(frame, {
      x: [0, 0.25, 0.5, 1],
      y: [0, Number.NaN, 0.5, 1],
      pending: [0.75],
      latest: new Set([1]),
    });
    expect(svg.match(/<circle class="pt"/g)).toHaveLength(3);
    expect(svg.match(/<circle class="pending"/g)).toHaveLength(1);
    expect(svg.match(/<circle class="latest"/g)).toHaveLength(1);
    expect(linePath(frame, [0, 0.25, 0.5, 1], [0, Number.NaN, 0.5, 1]).match(/M/g)).toHaveLength(2);
  });

  it('draws many points as one path of dots', () => {
    const n = MAX_CIRCLES + 1;
    const x = linspace(0, 1, n);
    const svg = dataSvg(frame, { x, y: x });
    expect(svg).not.toContain('<circle');
    expect(svg).toContain(`data-count="${n}"`);
    expect(svg.match(/h0/g)).toHaveLength(n);
  });
});
