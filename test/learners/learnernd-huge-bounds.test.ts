// Regression test (issue 13): LearnerND on [[0, 1e308]]² had loss 0.095 where the same run
// near 0 had 0.012. Two causes: the centroid's coordinate sum overflowed near MAX_VALUE
// (Infinity / 3, clamped to the largest vertex: the asks piled onto known points), and
// 1/1e308 is subnormal (the scaled coordinates kept 51 bits). Now the run at any width up
// to MAX_VALUE asks the points of the run on [0, 1]², times the width, up to rounding.
import { describe, expect, it } from 'vitest';
import { LearnerND } from '../../src/learners/learnernd.js';

function run(w: number, n: number): { points: number[][]; loss: number } {
  const learner = new LearnerND({
    bounds: [
      [0, w],
      [0, w],
    ],
  });
  const points: number[][] = [];
  for (let i = 0; i < n; i++) {
    const p = learner.ask(1).points[0] as number[];
    points.push(p.map((x) => x / w));
    const x = (p[0] as number) / w;
    const y = (p[1] as number) / w;
    learner.tell(p, Math.sin(5 * x) + y * y);
  }
  learner.checkValid();
  return { points, loss: learner.loss() };
}

describe('LearnerND on bounds near the largest double', () => {
  const near = run(1, 300);
  it.each([1e308, 8e307, 1.7e308])(
    'on [[0, %d]]² the loss was 10 times that of the same run near 0: it samples as near 0',
    (w) => {
      const far = run(w, 300);
      expect(Math.abs(far.loss - near.loss)).toBeLessThan(1e-12 * near.loss);
      for (let i = 0; i < far.points.length; i++) {
        const p = far.points[i] as number[];
        const q = near.points[i] as number[];
        expect(Math.abs((p[0] as number) - (q[0] as number))).toBeLessThan(1e-12);
        expect(Math.abs((p[1] as number) - (q[1] as number))).toBeLessThan(1e-12);
      }
    },
  );
});
