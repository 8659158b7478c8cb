// Regression test: LearnerND's bisection mesh on a box whose coordinates reach the subnormal
// doubles (bounds [0, 3e-308] or [1e-310, 2e-310] on one axis) asked points outside its own
// bounds and then refused them: 'LearnerND.tell: point [3.0000000000000007e-308, 0.5] is
// outside the bounds'. The midpoint of an edge was x_a/2 + x_b/2, and halving a subnormal
// rounds: on an edge along another axis (x_a = x_b = the upper bound) the midpoint came out
// one ulp above it. Now the asks are those of the same run on [0, 1]², up to the rounding
// of the coordinates, and every one is inside the box.
import { describe, expect, it } from 'vitest';
import { LearnerND } from '../../src/learners/learnernd.js';

const f = (u: number, v: number): number => Math.sin(5 * u) + v * v;

function run(a: number, b: number, n: number): { points: number[][]; loss: number } {
  const learner = new LearnerND({
    bounds: [
      [a, b],
      [0, 1],
    ],
    mesh: 'bisection',
  });
  const points: number[][] = [];
  for (let i = 0; i < n; i++) {
    const p = learner.ask(1).points[0] as number[];
    const x = p[0] as number;
    expect(x >= a && x <= b, `asked x = ${x} outside [${a}, ${b}]`).toBe(true);
    const u = (x - a) / (b - a);
    points.push([u, p[1] as number]);
    learner.tell(p, f(u, p[1] as number));
  }
  learner.checkValid();
  return { points, loss: learner.loss() };
}

describe('LearnerND bisection on bounds in the subnormal doubles', () => {
  const unit = run(0, 1, 400);
  it.each([
    [0, 3e-308],
    [1e-310, 2e-310],
    [-1e-310, 1e-310],
    [0, 1e-315],
  ])(
    'on [%d, %d] × [0, 1] it asked points outside the bounds: it samples as on [0, 1]²',
    (a, b) => {
      const tiny = run(a, b, 400);
      // The coordinates hold (b − a) / 2^-1074 steps: as many relative bits as that.
      const tol = 4 * (2 ** -1074 / (b - a));
      for (let i = 0; i < unit.points.length; i++) {
        const p = tiny.points[i] as number[];
        const q = unit.points[i] as number[];
        expect(Math.abs((p[0] as number) - (q[0] as number))).toBeLessThanOrEqual(tol);
        expect(p[1]).toBe(q[1]);
      }
      expect(Math.abs(tiny.loss - unit.loss)).toBeLessThan(1e-6 * unit.loss);
    },
  );
});
