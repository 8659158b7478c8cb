// The newest-vertex bisection mesh of LearnerND's `mesh: 'bisection'`: it conforms after any
// sequence of refinements (checked by checkValid and by the slow reference that reads the
// leaves only), uniform refinement of d generations gives the Kuhn mesh of the half cubes,
// and point location finds a leaf that holds the point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BisectionMesh } from '../../src/learners/learnernd/bisection/mesh.js';
import { referenceCheckConforming } from '../../src/learners/learnernd/bisection/reference.js';

const cube = (d: number): BisectionMesh =>
  new BisectionMesh(new Array(d).fill(0), new Array(d).fill(1));

describe('BisectionMesh', () => {
  it('starts as the Kuhn triangulation: d! simplices on 2^d corners', () => {
    for (let d = 1; d <= 5; d++) {
      const m = cube(d);
      m.checkValid();
      referenceCheckConforming(m);
      expect(m.nVerts).toBe(2 ** d);
      expect(m.nLeaves).toBe([1, 1, 2, 6, 24, 120][d]);
    }
  });

  it('refined uniformly d generations is the grid {0, 1/2, 1}^d with 2^d · d! simplices', () => {
    for (let d = 1; d <= 4; d++) {
      const m = cube(d);
      for (let g = 0; g < d; g++) for (const s of m.leaves()) if (m.isLeaf(s)) m.refine(s);
      m.checkValid();
      referenceCheckConforming(m);
      expect(m.nVerts).toBe(3 ** d);
      const coords = new Set<number>();
      for (let i = 0; i < m.nVerts * d; i++) coords.add(m.U[i] as number);
      expect([...coords].sort()).toEqual([0, 0.5, 1]);
      expect(m.nLeaves).toBe(2 ** d * [1, 1, 2, 6, 24][d]!);
      for (const s of m.leaves()) expect(m.gen[s]).toBe(d);
    }
  });

  it('conforms after any sequence of local refinements (checkValid agrees with the reference)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (d, picks) => {
          const m = cube(d);
          for (const p of picks) {
            const leaves = m.leaves();
            m.refine(leaves[Math.min(leaves.length - 1, Math.floor(p * leaves.length))] as number);
          }
          m.checkValid();
          referenceCheckConforming(m);
        },
      ),
      { seed: 20261207, numRuns: 60 },
    );
  });

  it('locates a point in a leaf that holds it', () => {
    const d = 3;
    const m = cube(d);
    for (let i = 0; i < 200; i++) m.refine(m.locate([0.3, 0.7, 0.2]));
    m.checkValid();
    const lam = new Float64Array(d + 1);
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        (u) => {
          const s = m.locate(u);
          expect(m.isLeaf(s)).toBe(true);
          m.barycentric(s, u, lam);
          for (const l of lam) expect(l).toBeGreaterThanOrEqual(-1e-9);
        },
      ),
      { seed: 20261207, numRuns: 200 },
    );
  });

  it('checkValid catches a broken neighbour pointer', () => {
    const m = cube(3);
    m.refine(0);
    const s = m.leaves()[0] as number;
    const i = [0, 1, 2, 3].find((j) => m.neighbour(s, j) >= 0) as number;
    m.nbr[(m.slotOf[s] as number) * m.k + i] = -1;
    expect(() => m.checkValid()).toThrow(/BisectionMesh/);
  });
});
