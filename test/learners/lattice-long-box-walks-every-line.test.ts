// Regression: on a lattice much longer than it is wide (integer: [true, true], 10⁹ × 2), an
// ask took about half a second: the nearest free lattice point of a triangle was searched
// line by line along x = c, and the search stops only at lines farther (in scaled units)
// than the best point found, here half a row (a quarter of the scaled height) away: about
// 10⁸ lines. Now the lines run along the dimension with fewer of them in the triangle's box.
// The cost is counted (the lines walked), not timed.
import { describe, expect, it } from 'vitest';
import { latticeLinesWalked } from '../../src/learners/lattice.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';

type Learner = {
  ask(n: number): { points: number[][] };
  tell(p: never, y: number): void;
  npoints: number;
};

/** Runs n serial asks; returns the most lines one ask walked and the points asked. */
function drive(l: Learner, n: number, f: (p: number[]) => number) {
  let most = 0;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const before = latticeLinesWalked();
    const { points } = l.ask(1);
    most = Math.max(most, latticeLinesWalked() - before);
    expect(points).toHaveLength(1);
    const p = points[0] as number[];
    expect(p.every(Number.isInteger), `${p}`).toBe(true);
    expect(seen.has(`${p}`), `${p} asked twice`).toBe(false);
    seen.add(`${p}`);
    l.tell(p as never, f(p));
    // Stop at the first slow ask (before the fix: 10⁸ lines, a second).
    if (most > 1000) break;
  }
  return most;
}

const boxes: [string, [number, number][]][] = [
  [
    '10⁹ × 2',
    [
      [0, 1e9],
      [0, 2],
    ],
  ],
  [
    '2 × 10⁹',
    [
      [0, 2],
      [0, 1e9],
    ],
  ],
  [
    '10⁷ × 5, offset',
    [
      [-5e6, 5e6],
      [100, 105],
    ],
  ],
];

describe('lattice: a long thin box asks in few line steps', () => {
  it.each(boxes)('Learner2D %s: 120 asks, each under 1000 lines', (_, bounds) => {
    const l = new Learner2D({ bounds: bounds as never, integer: [true, true] });
    const most = drive(l as never, 120, ([x, y]) => Math.sin(x as number) * (y as number));
    expect(most).toBeLessThan(1000);
    expect(l.npoints).toBe(120);
  });

  it.each(boxes)('LearnerND %s: 120 asks, each under 1000 lines', (_, bounds) => {
    const l = new LearnerND({ bounds, integer: [true, true] });
    const most = drive(l as never, 120, ([x, y]) => Math.sin(x as number) * (y as number));
    expect(most).toBeLessThan(1000);
    expect(l.npoints).toBe(120);
  });
});
