// Learner2D's internal neighboursOf (for AverageLearner2D's pooled errors): the evaluated
// points joined to an evaluated point by an edge of triangulation(), with points pending or
// not, on random histories; false for a point that is pending, unknown or not triangulated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';

/** Each evaluated point's neighbours from the triangles, as sorted "x,y" keys. */
function edgesOf(l: Learner2D): Map<string, string[]> {
  const { x, y, triangles } = l.triangulation();
  const key = (i: number): string => `${x[i]},${y[i]}`;
  const out = new Map<string, Set<string>>();
  for (let k = 0; k < triangles.length; k += 3) {
    for (let e = 0; e < 3; e++) {
      const v = triangles[k + e] as number;
      const set = out.get(key(v)) ?? new Set<string>();
      set.add(key(triangles[k + ((e + 1) % 3)] as number));
      set.add(key(triangles[k + ((e + 2) % 3)] as number));
      out.set(key(v), set);
    }
  }
  return new Map([...out].map(([k, s]) => [k, [...s].sort()]));
}

function ringKeys(l: Learner2D, p: Point2D): string[] | null {
  const out: number[] = [];
  if (!l.neighboursOf(p, out)) return null;
  const keys: string[] = [];
  for (let k = 0; k < out.length; k += 2) keys.push(`${out[k]},${out[k + 1]}`);
  expect(new Set(keys).size).toBe(keys.length); // each neighbour once
  return keys.sort();
}

describe('Learner2D.neighboursOf (internal)', () => {
  it('gives the edges of triangulation() at every evaluated point, with points pending or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, pending, seed) => {
          const l = new Learner2D({
            bounds: [
              [-1, 1],
              [-0.5, 2],
            ],
          });
          let s = seed;
          const f = ([x, y]: Point2D): number => Math.sin(3 * x + s) * y;
          for (let i = 0; i < n; i++) {
            const p = l.ask(1).points[0] as Point2D;
            l.tell(p, f(p));
            s = (s * 16807) % 2147483647;
          }
          const waiting = l.ask(pending).points as Point2D[];
          const edges = edgesOf(l);
          for (const r of l.toRecords()) {
            const p = r.x as Point2D;
            const ring = ringKeys(l, p);
            const expected = edges.get(`${p[0]},${p[1]}`);
            if (expected === undefined) expect(ring).toBeNull();
            else expect(ring).toEqual(expected);
          }
          for (const p of waiting) expect(ringKeys(l, p)).toBeNull();
          expect(ringKeys(l, [0.123456789, 0.987654321])).toBeNull();
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });
});
