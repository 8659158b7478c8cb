// Regression (outside check after issue 15): `run(l, (x) => fact(3) * x, { threads })` with a
// helper function `fact` from the surroundings was refused with the advice to pass `fact` as
// context, which then fails (a function cannot be cloned to a thread). The message now says
// that context holds data only and that a function fn calls goes inside fn; and doing so runs.
import { describe, expect, it } from 'vitest';
import { functionModule } from '../../src/master/fn-source.js';

describe('a fn that calls a helper function from its surroundings', () => {
  function fact(n: number): number {
    return n <= 1 ? 1 : n * fact(n - 1);
  }

  it('is refused naming the helper, saying that context holds data only', () => {
    expect(() => functionModule((x: number) => fact(3) * x, 'run')).toThrow(
      /fn uses 'fact' from its surroundings.*Context holds data only \(structured clone\): a function fn calls must be defined inside fn$/,
    );
  });

  it('is accepted with the helper defined inside it', () => {
    const inside = (x: number) => {
      const f = (n: number): number => (n <= 1 ? 1 : n * f(n - 1));
      return f(3) * x;
    };
    expect(functionModule(inside, 'run')).toMatch(/^data:text\/javascript;base64,/);
  });
});
