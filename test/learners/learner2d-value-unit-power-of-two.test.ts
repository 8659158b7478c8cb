// Regression (found by the snapshotRoundTrip law on a random convex polygon, issue 19.3;
// on a box too): with a value range just below a power of two beyond 2^100 (here
// 2^514·(1 − 2⁻⁵²)), Math.log2 of half the range rounded up to the power, so a restored
// Learner2D chose the value unit 2^-514 where the tells had chosen 2^-513: the snapshot's
// valueScale came back halved (1.9999999999999312 → 0.9999999999999656).
import { describe, expect, it } from 'vitest';
import { Learner2D } from '../../src/learners/learner2d.js';
import { minimizeTriangleSurfaceLoss2D } from '../../src/learners/losses2d.js';

describe('Learner2D value unit at a power of two', () => {
  it('a restored learner keeps the value scale and unit of a range just below 2^514', () => {
    const make = () =>
      new Learner2D({
        bounds: [
          [0, 1],
          [0, 1],
        ],
        recomputeLossesFactor: 1,
        loss: minimizeTriangleSurfaceLoss2D,
      });
    const l = make();
    l.ask(3);
    l.tellMany([[0, 0]], [0]);
    l.tell([0, 1], 4.216989171337863e147);
    l.tell([1, 0], 2.6815615859885194e154);
    l.tellMany([[1, 1]], [-2.681561585988335e154]);
    const s = JSON.parse(JSON.stringify(l.snapshot()));
    const c = make();
    c.restore(s);
    expect(c.snapshot()).toEqual(s);
    expect(c.ask(3, { tellPending: false })).toEqual(l.ask(3, { tellPending: false }));
    c.checkValid();
  });
});
