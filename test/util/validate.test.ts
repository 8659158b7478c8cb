// src/util/validate.ts: the one home of value formatting, option-key checks, edit distance and
// error text (issue 16.4); every layer's messages come from here.
import { expect, describe as group, it } from 'vitest';
import { checkOptionKeys, describe, editDistance, errorText } from '../../src/util/validate.js';

group('describe', () => {
  it('shows numbers as they print, arrays element-wise, the rest as JSON', () => {
    expect(describe([1, Number.NaN, -Infinity])).toBe('[1, NaN, -Infinity]');
    expect(describe('a')).toBe('"a"');
    expect(describe({ a: 1 })).toBe('{"a":1}');
    expect(describe(undefined)).toBe('undefined');
    expect(describe(() => 0)).toBe('a function');
  });

  it('cuts long values at max characters', () => {
    const s = describe('x'.repeat(500), 20);
    expect(s).toHaveLength(20);
    expect(s.endsWith('…')).toBe(true);
  });
});

group('checkOptionKeys', () => {
  it('names the unknown key, the nearest known one and all known ones', () => {
    expect(() => checkOptionKeys('Learner1D', { bound: [0, 1] }, ['bounds', 'loss'])).toThrow(
      new TypeError(
        "Learner1D: unknown option 'bound' (did you mean 'bounds'?); known options: bounds, loss",
      ),
    );
  });

  it('gives no hint when nothing is close', () => {
    expect(() => checkOptionKeys('plot1D', { zzzzzz: 1 }, ['color'])).toThrow(
      new TypeError("plot1D: unknown option 'zzzzzz'; known options: color"),
    );
  });

  it('refuses a non-object and accepts known keys', () => {
    expect(() => checkOptionKeys('run', 3, ['a'])).toThrow(/run: options must be an object, got 3/);
    expect(() => checkOptionKeys('run', [], ['a'])).toThrow(TypeError);
    expect(() => checkOptionKeys('run', { a: 1 }, ['a'])).not.toThrow();
  });
});

group('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('npointGoal', 'npointsGoal')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

group('errorText', () => {
  it('reads the message of an Error or of any object with one, else String()', () => {
    expect(errorText(new RangeError('boom'))).toBe('boom');
    expect(errorText({ message: 'from a worker' })).toBe('from a worker');
    expect(errorText('plain')).toBe('plain');
    expect(errorText(undefined)).toBe('undefined');
  });

  it('does not throw on a thrown object without a prototype (String() of it throws)', () => {
    expect(errorText(Object.create(null))).toBe('[object Object]');
  });
});
