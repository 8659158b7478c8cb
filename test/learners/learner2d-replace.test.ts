// Learner2D's internal replaceValue (issue 19.2, for AverageLearner2D's surface of means): a
// learner told values v, then updated to w at some points, is the learner told w in the first
// place (same order): the same loss, interpolant and next asks, bit for bit, with
// recomputeLossesFactor 1 (the loss scale is then the value range, a function of the data).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import {
  defaultLoss2D,
  minimizeTriangleSurfaceLoss2D,
  type TriangleLoss,
  uniformLoss2D,
} from '../../src/learners/losses2d.js';

const BOUNDS: [[number, number], [number, number]] = [
  [-1, 1],
  [-0.5, 2],
];

/** Points from the learner's own asks (ask(1) and told at once), n of them. */
function askedPoints(n: number, f: (p: Point2D) => number, loss: TriangleLoss): Point2D[] {
  const l = new Learner2D({ bounds: BOUNDS, loss });
  const out: Point2D[] = [];
  while (out.length < n) {
    const p = l.ask(1).points[0] as Point2D;
    l.tell(p, f(p));
    out.push(p);
  }
  return out;
}

/** What a reader sees: the losses, the interpolant on a grid, the next asks (not pending). */
function observe(l: Learner2D): unknown {
  const grid: [number, number][] = [];
  for (let i = 0; i <= 12; i++)
    for (let j = 0; j <= 12; j++) grid.push([-1 + i / 6, -0.5 + (2.5 * j) / 12]);
  return {
    loss: l.loss(),
    real: l.loss({ real: true }),
    interp: l.interpolate(grid),
    asks: l.ask(7, { tellPending: false }),
    tri: l.triangulation(),
  };
}

const LOSSES: [string, TriangleLoss][] = [
  ['defaultLoss2D', defaultLoss2D],
  ['uniformLoss2D', uniformLoss2D],
  ['minimizeTriangleSurfaceLoss2D', minimizeTriangleSurfaceLoss2D],
];

describe('Learner2D.replaceValue', () => {
  for (const [name, loss] of LOSSES) {
    it(`gives the learner told the new values in the first place, bit for bit (${name})`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 60 }),
          fc.array(
            fc.record({
              i: fc.nat(),
              w: fc.oneof(
                fc.double({ min: -3, max: 3, noNaN: true }),
                fc.constantFrom(0, 1e-200, 1e200, Number.NaN, Number.POSITIVE_INFINITY),
              ),
            }),
            { maxLength: 40 },
          ),
          fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
          (n, changes, scale) => {
            const f = ([x, y]: Point2D): number => scale * (x * x - Math.sin(3 * y));
            const pts = askedPoints(n, f, loss);
            const v = pts.map(f);
            const updated = new Learner2D({ bounds: BOUNDS, loss, recomputeLossesFactor: 1 });
            updated.tellMany(pts, v);
            updated.loss(); // the losses computed with v first
            const w = v.slice();
            for (const { i, w: wi } of changes) {
              const k = i % n;
              w[k] = wi;
              updated.replaceValue(pts[k] as Point2D, wi);
              if (i % 3 === 0) updated.loss(); // flushes in between too
            }
            updated.checkValid();
            const fresh = new Learner2D({ bounds: BOUNDS, loss, recomputeLossesFactor: 1 });
            fresh.tellMany(pts, w);
            expect(observe(updated)).toStrictEqual(observe(fresh));
            expect(updated.toArrays()).toStrictEqual(fresh.toArrays());
          },
        ),
        { seed: 19_2, numRuns: 150 },
      );
    });
  }

  it('keeps the invariants with the default recomputeLossesFactor and pending points', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 40 }),
        fc.array(fc.record({ i: fc.nat(), w: fc.double({ min: -5, max: 5, noNaN: true }) }), {
          maxLength: 30,
        }),
        (n, changes) => {
          const f = ([x, y]: Point2D): number => x + Math.exp(-((x * x + y * y - 0.5) ** 2) / 0.01);
          const pts = askedPoints(n, f, defaultLoss2D);
          const l = new Learner2D({ bounds: BOUNDS });
          l.tellMany(pts, pts.map(f));
          l.ask(3); // pending points: the real triangulation exists beside the combined one
          for (const { i, w } of changes) l.replaceValue(pts[i % n] as Point2D, w);
          l.checkValid();
          expect(l.pendingPoints).toHaveLength(3);
        },
      ),
      { seed: 19_3, numRuns: 100 },
    );
  });

  it('replaces the value of a shadow (a point at the scaled coordinates of another)', () => {
    const l = new Learner2D({
      bounds: [
        [0, 1e-300],
        [0, 1],
      ],
      recomputeLossesFactor: 1,
    });
    l.tellMany(
      [
        [0, 0],
        [1e-300, 0],
        [0, 1],
        [1e-300, 1],
        [5e-324, 0.5],
        [1e-323, 0.5],
      ],
      [0, 1, 2, 3, 4, 5],
    );
    l.replaceValue([1e-323, 0.5], 7);
    l.checkValid();
    const rec = l.toRecords().find((r) => r.x[0] === 1e-323);
    expect(rec?.y).toBe(7);
  });

  it('throws for a point not told, or a value of the wrong shape, and leaves the learner unchanged', () => {
    const l = new Learner2D({ bounds: BOUNDS });
    l.tellMany(
      [
        [-1, -0.5],
        [1, 2],
        [0, 0],
      ],
      [0, 1, 2],
    );
    l.tellPending([0.5, 0.5]);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.replaceValue([0.25, 0.25], 1)).toThrow(
      'Learner2D.replaceValue: point [0.25, 0.25] has not been told, so it has no value to replace',
    );
    expect(() => l.replaceValue([0.5, 0.5], 1)).toThrow(/has not been told/);
    expect(() => l.replaceValue([3, 0], 1)).toThrow(RangeError);
    expect(() => l.replaceValue([0, 0], [1, 2])).toThrow(TypeError);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.checkValid();
  });
});
