// Regression (issue 13, R7): BalancingLearner.ask(1e9) threw the error of a child
// ("Learner1D.ask: n = 1000000000 would make ... this learner holds"), naming neither the
// BalancingLearner nor its own limit. Now one ask is bounded by the BalancingLearner's limit
// (2^24: it asks each child for n candidates), and a child that cannot give n points is
// named by its index; in both cases the learner is unchanged.
import { describe, expect, it } from 'vitest';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import type { AskOptions, AskResult } from '../../src/learners/types.js';

function children(): Learner1D[] {
  const a = new Learner1D({ bounds: [0, 1] });
  const b = new Learner1D({ bounds: [-1, 1] });
  a.tell(0.5, 1);
  return [a, b];
}

describe('BalancingLearner.ask beyond what it can give', () => {
  it('ask(1e9) is a RangeError naming the BalancingLearner and its limit, the learner unchanged', () => {
    for (const strategy of ['lossImprovements', 'loss', 'npoints', 'cycle'] as const) {
      const l = new BalancingLearner(children(), { strategy });
      l.ask(2);
      const before = JSON.stringify(l.snapshot());
      expect(() => l.ask(1e9)).toThrow(
        new RangeError(
          'BalancingLearner.ask: n = 1000000000 would make 1000000000 points, more than the 16777216 (2^24) this learner holds; ask for fewer points at a time',
        ),
      );
      expect(() => l.ask(2 ** 24 + 1, { tellPending: false })).toThrow(/BalancingLearner\.ask/);
      expect(JSON.stringify(l.snapshot())).toBe(before);
    }
  });

  it('a child that cannot give n points is named by its index, the learner unchanged', () => {
    /** A Learner1D that holds at most 5 points more. */
    class Small extends Learner1D {
      override ask(n: number, options?: AskOptions): AskResult<number> {
        if (n > 5) throw new RangeError(`Small.ask: n = ${n} is more than the 5 it holds`);
        return super.ask(n, options);
      }
    }
    const l = new BalancingLearner([
      new Learner1D({ bounds: [0, 1] }),
      new Small({ bounds: [0, 1] }),
    ]);
    const before = JSON.stringify(l.snapshot());
    let error: unknown;
    try {
      l.ask(10);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(
      'BalancingLearner.ask: learner 1 cannot give 10 points: Small.ask: n = 10 is more than the 5 it holds',
    );
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    expect(l.pendingPoints).toEqual([]);
    expect(l.ask(4).points).toHaveLength(4); // within the child's means: as before
  });
});
