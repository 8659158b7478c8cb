// Regression: on a thin polygon with a 45° edge, Learner2D asked nothing after the vertices
// although its loss was positive (a third of such slivers, even of aspect 1000: runSync
// stopped at 3 points, a lossGoal was never met). The midpoint of the long edge scales to a
// hair outside the triangulation, and the nudge towards the centroid moved one ulp in each
// coordinate: along (1, 1), parallel to the edge, so it never got inside.
import { describe, expect, it } from 'vitest';
import { Learner2D } from '../../src/learners/learner2d.js';
import { inConvexPolygon } from '../../src/testing/index.js';

type Poly = [number, number][];

/** The thin triangle (o, o), (o + s, o + s), (o + s − εs, o + s + εs). */
function sliver(eps: number, o: number, s: number): Poly {
  return [
    [o, o],
    [o + s, o + s],
    [o + s - eps * s, o + s + eps * s],
  ];
}

describe('Learner2D hull: a sliver along the diagonal keeps asking', () => {
  const cases: [number, number, number][] = [];
  for (const eps of [1e-3, 1e-4, 1e-5, 3e-6, 1e-6, 1e-8])
    for (const o of [0, 1, 1000]) for (const s of [1, 0.1]) cases.push([eps, o, s]);

  it.each(cases)('ε = %s, offset %s, size %s: 40 points, all in the polygon', (eps, o, s) => {
    const hull = sliver(eps, o, s);
    const l = new Learner2D({ hull });
    for (let i = 0; i < 40; i++) {
      const { points } = l.ask(1);
      expect(points, `ask at ${l.npoints} points, loss ${l.loss()}`).toHaveLength(1);
      const p = points[0] as [number, number];
      expect(inConvexPolygon(p, hull), `${p} in ${JSON.stringify(hull)}`).toBe(true);
      l.tell(p, Math.sin(3 * p[0]));
    }
    expect(l.npoints).toBe(40);
    l.checkValid();
  });

  it('four points an ask: 40 asks get 160 points, and the loss falls', () => {
    const l = new Learner2D({ hull: sliver(1e-5, 0, 1) });
    const f = (p: [number, number]): number => Math.sin(3 * p[0]);
    for (const p of l.ask(3).points) l.tell(p, f(p));
    for (const p of l.ask(4).points) l.tell(p, f(p));
    const early = l.loss();
    for (let i = 0; i < 39; i++) for (const p of l.ask(4).points) l.tell(p, f(p));
    expect(l.npoints).toBe(163);
    expect(l.loss()).toBeLessThan(early / 100);
  });
});
