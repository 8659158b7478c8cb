// simplex-nd's hand-written linear algebra against ml-matrix (issue 20.3), on random simplices
// in 2–8 dimensions, well conditioned (vertices uniform in a box) and ill conditioned (a
// vertex nearly on the opposite face, one axis squeezed, far from the origin).
//
// Tolerance: Gaussian elimination with partial pivoting is backward stable, so its result is
// exact for a matrix within about n·ε·‖A‖ of A; carried through the condition number κ
// (ml-matrix's SVD) that is a relative error of about n·ε·κ for a solution and n²·ε·κ for a
// determinant. Both sides make such an error, so they are compared within TOL·n²·ε·κ
// relative, TOL = 64 (growth factors and the oracle's own rounding).
import fc from 'fast-check';
import { determinant, Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  circumcenterFlat,
  detInPlace,
  embeddedVolumeFlat,
  factorial,
  luFactorInPlace,
  luSolveInPlace,
  solveInPlace,
  volumeFlat,
} from '../../src/geometry/simplex-nd.js';

const EPS = 2 ** -52;
const TOL = 64;
const SEED = 20_261_206;
const RUNS = 300;
/** Simplices whose edge matrix is worse conditioned than this are not drawn (κ·ε ≥ 0.02). */
const MAX_COND = 1e14;

/** How a random simplex is drawn. */
type Kind = 'uniform' | 'flat' | 'squeezed' | 'far';

/**
 * d + 1 vertices of R^d: uniform in [−1, 1]^d; or with the last vertex within `eps` of the
 * centroid of the others ('flat'); or with one axis scaled by `eps` ('squeezed'); or
 * uniform and moved 1e6 from the origin ('far').
 */
function simplexArb(d: number, kind: Kind): fc.Arbitrary<number[][]> {
  // Dyadic coordinates of 20 bits in [−1, 1] (no subnormal or repeated-vertex degeneracy).
  const coord = fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k / 2 ** 20);
  return fc
    .record({
      v: fc.array(fc.array(coord, { minLength: d, maxLength: d }), {
        minLength: d + 1,
        maxLength: d + 1,
      }),
      e: fc.integer({ min: 4, max: 12 }),
      axis: fc.integer({ min: 0, max: d - 1 }),
    })
    .map(({ v, e, axis }) => {
      const eps = 10 ** -e;
      if (kind === 'flat') {
        const c = new Array<number>(d).fill(0);
        for (const p of v.slice(0, d))
          for (let j = 0; j < d; j++) c[j] = (c[j] as number) + (p[j] as number) / d;
        v[d] = c.map((x, j) => x + eps * ((v[d] as number[])[j] as number));
      } else if (kind === 'squeezed') {
        for (const p of v) p[axis] = (p[axis] as number) * eps;
      } else if (kind === 'far') {
        for (const p of v) for (let j = 0; j < d; j++) p[j] = (p[j] as number) + 1e6;
      }
      return v;
    })
    .filter((v) => cond(edges(v)) < MAX_COND); // not (numerically) singular
}

/** The edge vectors x_i − x_last, i < d (python-adaptive's volume order). */
function edges(v: number[][]): number[][] {
  const last = v[v.length - 1] as number[];
  return v.slice(0, -1).map((p) => p.map((x, j) => x - (last[j] as number)));
}

const flat = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());
const cond = (rows: number[][]): number =>
  new SingularValueDecomposition(new Matrix(rows)).condition;
const norm = (x: ArrayLike<number>): number => Math.hypot(...Array.from(x));

const KINDS: Kind[] = ['uniform', 'flat', 'squeezed', 'far'];
const DIMS = [2, 3, 4, 5, 6, 7, 8];

describe.each(DIMS)('simplex-nd against ml-matrix in %i-D', (d) => {
  it.each(KINDS)('detInPlace and volumeFlat on %s simplices', (kind) => {
    fc.assert(
      fc.property(simplexArb(d, kind), (v) => {
        const E = edges(v);
        const oracle = determinant(new Matrix(E));
        const tol = TOL * d * d * EPS * cond(E) * Math.abs(oracle);
        expect(Math.abs(detInPlace(flat(E), d) - oracle)).toBeLessThanOrEqual(tol);
        const vol = volumeFlat(flat(v), d);
        expect(Math.abs(vol - Math.abs(oracle) / factorial(d))).toBeLessThanOrEqual(
          tol / factorial(d),
        );
      }),
      { seed: SEED + d, numRuns: RUNS },
    );
  });

  it.each(KINDS)(
    'solveInPlace on %s simplices (the edge matrix, a random right-hand side)',
    (kind) => {
      fc.assert(
        fc.property(
          simplexArb(d, kind),
          fc.array(
            fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k / 2 ** 20),
            { minLength: d, maxLength: d },
          ),
          (v, rhs) => {
            const E = edges(v);
            const x = Float64Array.from(rhs);
            expect(solveInPlace(flat(E), x, d)).toBe(true);
            const oracle = solve(new Matrix(E), Matrix.columnVector(rhs)).to1DArray();
            const diff = Array.from(x, (xi, i) => xi - (oracle[i] as number));
            expect(norm(diff)).toBeLessThanOrEqual(TOL * d * EPS * cond(E) * norm(oracle));
            // The backward error, independent of κ: the residual is a rounding of ‖A‖‖x‖.
            const r = new Matrix(E).mmul(Matrix.columnVector(Array.from(x))).to1DArray();
            const res = norm(r.map((ri, i) => ri - (rhs[i] as number)));
            const normA = new SingularValueDecomposition(new Matrix(E)).norm2;
            expect(res).toBeLessThanOrEqual(TOL * d * EPS * (normA * norm(x) + norm(rhs)));
          },
        ),
        { seed: SEED + 10 * d, numRuns: RUNS },
      );
    },
  );

  it.each(KINDS)('circumcenterFlat on %s simplices', (kind) => {
    fc.assert(
      fc.property(simplexArb(d, kind), (v) => {
        // 2(x_i − x_0)·c' = |x_i − x_0|², c = x_0 + c', solved by ml-matrix.
        const x0 = v[0] as number[];
        const A = v.slice(1).map((p) => p.map((x, j) => 2 * (x - (x0[j] as number))));
        const b = v.slice(1).map((p) => p.reduce((s, x, j) => s + (x - (x0[j] as number)) ** 2, 0));
        const cp = solve(new Matrix(A), Matrix.columnVector(b)).to1DArray();
        const out = new Float64Array(d);
        expect(circumcenterFlat(flat(v), d, out)).toBe(true);
        const diff = Array.from(out, (c, j) => c - (x0[j] as number) - (cp[j] as number));
        // Relative to the circumradius (c' is the vector from x_0 to the centre).
        expect(norm(diff)).toBeLessThanOrEqual(TOL * d * EPS * cond(A) * (norm(cp) + norm(x0)));
      }),
      { seed: SEED + 100 * d, numRuns: RUNS },
    );
  });

  it('embeddedVolumeFlat of a (d−1)-simplex in R^d is the product of the edge matrix singular values / (d−1)!', () => {
    fc.assert(
      fc.property(simplexArb(d, 'uniform'), fc.integer({ min: 0, max: 4 }), (v, e) => {
        // Drop one vertex: d points of R^d, an m = d − 1 simplex; squeeze it by 10^-e.
        const pts = v.slice(0, d).map((p) => p.map((x, j) => (j === 0 ? x * 10 ** -e : x)));
        const m = d - 1;
        const E = edges(pts);
        const svd = new SingularValueDecomposition(new Matrix(E).transpose());
        const oracle = svd.diagonal.reduce((p, s) => p * s, 1) / factorial(m);
        const got = embeddedVolumeFlat(flat(pts), m, d);
        // Gram determinant: the relative error grows with κ² (√ halves the exponent: κ).
        const kappa = svd.condition;
        expect(Math.abs(got - oracle)).toBeLessThanOrEqual(
          TOL * d * d * EPS * kappa * kappa * oracle,
        );
      }),
      { seed: SEED + 1000 * d, numRuns: RUNS },
    );
  });
});

describe('luFactorInPlace + luSolveInPlace: solveInPlace bit for bit, many right-hand sides', () => {
  it('the same doubles (or the same singular answer) on random, sparse and singular systems', () => {
    const entry = fc.oneof(
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.constantFrom(0, 0, 1, -1, 0.5),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((d) =>
          fc.tuple(
            fc.constant(d),
            fc.array(entry, { minLength: d * d, maxLength: d * d }),
            fc.array(fc.array(entry, { minLength: d, maxLength: d }), {
              minLength: 1,
              maxLength: 5,
            }),
          ),
        ),
        ([d, a, rhs]) => {
          const LU = Float64Array.from(a);
          const perm = new Int32Array(d);
          const ok = luFactorInPlace(LU, d, perm);
          for (const r of rhs) {
            const b1 = Float64Array.from(r);
            const solved = solveInPlace(Float64Array.from(a), b1, d);
            expect(ok).toBe(solved);
            if (!ok) continue;
            const b2 = Float64Array.from(r);
            luSolveInPlace(LU, perm, b2, d);
            for (let i = 0; i < d; i++) expect(Object.is(b2[i], b1[i])).toBe(true);
          }
        },
      ),
      { seed: 20_261_207, numRuns: 1000 },
    );
  });
});
