// Regression (issue 13): plotSlice with `fixed` outside the domain drew silently (an
// extrapolated or empty slice). It is now a RangeError naming the coordinate and the domain.
import { describe, expect, it } from 'vitest';
import { LearnerND } from '../../src/learners/learnernd.js';
import { plotSlice } from '../../src/plot/index.js';
import { runSync } from '../../src/runner/sync.js';

function cube(): LearnerND {
  const l = new LearnerND({
    bounds: [
      [-1, 1],
      [0, 2],
      [-1, 1],
    ],
  });
  runSync(l, ([x, y, z]: number[]) => (x as number) * (y as number) + (z as number), {
    npointsGoal: 60,
  });
  return l;
}

describe('plotSlice with fixed outside the domain', () => {
  it('is a RangeError naming the coordinate, its value and the domain', () => {
    const l = cube();
    expect(() => plotSlice(l, { fixed: [null, null, 1.5] })).toThrow(RangeError);
    expect(() => plotSlice(l, { fixed: [null, null, 1.5] })).toThrow(
      'plotSlice: fixed[2] = 1.5 is outside the domain [-1, 1] of that coordinate',
    );
    expect(() => plotSlice(l, { fixed: [null, -0.001, null] })).toThrow(
      /fixed\[1\] = -0.001 is outside the domain \[0, 2\]/,
    );
    expect(() => plotSlice(l, { fixed: [-3, null, 0] })).toThrow(/fixed\[0\] = -3/);
  });

  it('still draws slices on the domain, its edges included', () => {
    const l = cube();
    for (const z of [-1, 0, 1]) {
      expect(plotSlice(l, { fixed: [null, null, z], resolution: 10 })).toContain('<svg');
    }
    expect(plotSlice(l, { fixed: [null, 2, 1], resolution: 10 })).toContain('<svg');
  });
});
