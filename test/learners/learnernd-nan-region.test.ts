// Regression test (issue 13): NaN regions made LearnerND's loss area-only, so it stopped far
// too early. With f NaN outside a disk of radius 0.2 in [-1, 1]² and a steep ring inside,
// the simplices over the disk all had a NaN vertex and lost by their area: the loss reached
// 0.01 after 91 points, 2 of them in the disk (the ring missed). With f = 1 outside instead
// of NaN, 31 of 118. Now defaultLossND treats a NaN next to finite values as a jump of the
// whole value range: the edge of the NaN region is refined as a jump is, and the ring found.
import { describe, expect, it } from 'vitest';
import { LearnerND } from '../../src/learners/learnernd.js';

const ring = (x: number, y: number): number => Math.tanh(30 * (Math.sqrt(x * x + y * y) - 0.1));
const inDisk = (x: number, y: number): boolean => x * x + y * y <= 0.04;

function toGoal(f: (x: number, y: number) => number): LearnerND {
  const learner = new LearnerND({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
  });
  for (let n = 0; learner.loss() > 0.01; n++) {
    if (n > 5000) throw new Error('no loss goal within 5000 points');
    const p = learner.ask(1).points[0] as number[];
    learner.tell(p, f(p[0] as number, p[1] as number));
  }
  learner.checkValid();
  return learner;
}

const pointsInDisk = (l: LearnerND): number =>
  l.toRecords().filter((r) => inDisk(r.x[0] as number, r.x[1] as number)).length;

describe('LearnerND with a NaN region', () => {
  it('reached its loss goal with 2 points in the finite disk NaN surrounds (area-only loss)', () => {
    const nan = toGoal((x, y) => (inDisk(x, y) ? ring(x, y) : Number.NaN));
    const one = toGoal((x, y) => (inDisk(x, y) ? ring(x, y) : 1));
    // At least as many points in the disk as where the outside is a finite jump.
    expect(pointsInDisk(nan)).toBeGreaterThanOrEqual(pointsInDisk(one));
    // The ring (radius 0.1) is resolved: points on both sides of it, near it.
    const near = nan
      .toRecords()
      .filter((r) => Math.abs(Math.hypot(r.x[0] as number, r.x[1] as number) - 0.1) < 0.03);
    expect(near.length).toBeGreaterThanOrEqual(10);
  });
});
