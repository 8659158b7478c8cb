// The CQUAD constants: exact helpers (python-adaptive algorithm_4.py's embedded tests
// test_legendre, test_scalar_product, test_newton, test_b_def, test_downdate) and the
// numerical ones (V·V⁻¹ = I, antisymmetric nested nodes, shift matrices).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cquadCoefficients,
  interpolationCoefficients,
  invert,
  legendre,
  legendreVandermonde,
  type Matrix,
  multiply,
  NS,
  newtonPolynomial,
  Rational,
  scalarProduct,
  spectralNorm,
} from '../../src/learners/integrator-coeffs.js';

const C = cquadCoefficients();

function maxAbsDiffFromIdentity(m: Matrix): number {
  let worst = 0;
  for (let i = 0; i < m.n; i++) {
    for (let j = 0; j < m.n; j++) {
      worst = Math.max(worst, Math.abs((m.data[i * m.n + j] as number) - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/** Evaluates Σ c_k·√(k+½)·P_k(x) (the orthonormal Legendre series) in float. */
function legendreSeries(c: ArrayLike<number>, x: number): number {
  const n = c.length;
  const row = legendreVandermonde([x], Math.max(n, 2)).data;
  let s = 0;
  for (let k = 0; k < n; k++) s += (c[k] as number) * (row[k] as number);
  return s;
}

describe('Rational', () => {
  it('reduces and computes exactly', () => {
    expect(Rational.of(6, -4).toString()).toBe('-3/2');
    expect(Rational.of(1, 3).add(Rational.of(1, 6)).toString()).toBe('1/2');
    expect(Rational.of(2, 3).mul(Rational.of(9, 4)).toString()).toBe('3/2');
    expect(Rational.of(1, 3).sub(Rational.of(1, 3)).isZero()).toBe(true);
    expect(Rational.of(1, 3).div(Rational.of(2, 3)).equals(Rational.of(1, 2))).toBe(true);
    expect(() => Rational.of(1, 0)).toThrow(RangeError);
  });

  it('converts to the nearest double, ties to even (as float(Fraction))', () => {
    expect(Rational.of(1, 3).toNumber()).toBe(1 / 3);
    expect(Rational.of(-2, 3).toNumber()).toBe(-2 / 3);
    expect(Rational.of(1n, 10n ** 30n).toNumber()).toBe(1e-30);
    expect(Rational.of(10n ** 30n, 7n).toNumber()).toBe(1e30 / 7);
    // 2⁵³ + 1 is a tie between 2⁵³ and 2⁵³ + 2: to even.
    expect(Rational.of(2n ** 53n + 1n).toNumber()).toBe(2 ** 53);
    expect(Rational.of(2n ** 53n + 3n).toNumber()).toBe(2 ** 53 + 4);
    // Just above the tie rounds up.
    expect(Rational.of(2n ** 54n + 3n, 2n).toNumber()).toBe(2 ** 53 + 2);
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 1, max: 1e9 }),
        (p, q) => Rational.of(p, q).toNumber() === p / q,
      ),
      { seed: 42 },
    );
  });
});

describe('exact polynomials', () => {
  it('legendre (test_legendre)', () => {
    const legs = legendre(11);
    expect(legs[0]?.map(String)).toEqual(['1']);
    expect(legs[1]?.map(String)).toEqual(['0', '1']);
    const p10 = legs[10]?.map((r) => r.mul(Rational.of(256)).toString());
    expect(p10).toEqual(
      [-63, 0, 3465, 0, -30030, 0, 90090, 0, -109395, 0, 46189].map((v) => String(v)),
    );
  });

  it('scalar products are orthogonal (test_scalar_product)', () => {
    const legs = legendre(33);
    const sel = [0, 5, 7, 32];
    for (const i of sel) {
      for (const j of sel) {
        const sp = scalarProduct(legs[i] ?? [], legs[j] ?? []);
        expect(sp.equals(i === j ? Rational.of(2, 2 * i + 1) : Rational.ZERO)).toBe(true);
      }
    }
  });

  it('newton polynomials vanish exactly at the nodes and match the float product (test_newton)', () => {
    for (const n of NS) {
      const p = newtonPolynomial(n);
      expect(p.length).toBe(n + 1);
      expect(p[n]?.toString()).toBe('1');
      // Exact roots at ±1 and 0 (n odd).
      for (const x of [-1, 0, 1]) {
        let v = Rational.ZERO;
        let xk = Rational.ONE;
        for (const c of p) {
          v = v.add(c.mul(xk));
          xk = xk.mul(Rational.of(x));
        }
        expect(v.isZero()).toBe(true);
      }
      // The float product ∏(x − xᵢ) over the nodes, expanded, agrees to 1e-12 (relative to
      // the largest coefficient: 4.4 for 9 nodes, where python-adaptive checks 1e-15 absolute).
      const nodes = Array.from({ length: n }, (_, i) => -Math.cos((i / (n - 1)) * Math.PI));
      let poly = [1];
      for (const r of nodes) {
        const next = new Array<number>(poly.length + 1).fill(0);
        poly.forEach((c, k) => {
          next[k + 1] = (next[k + 1] as number) + c;
          next[k] = (next[k] as number) - r * c;
        });
        poly = next;
      }
      const big = Math.max(...poly.map(Math.abs));
      p.forEach((c, k) => {
        expect(Math.abs(c.toNumber() - (poly[k] as number))).toBeLessThan(1e-12 * big);
      });
    }
  });

  it('bDef is the newton polynomial in the orthonormal Legendre basis (test_b_def)', () => {
    for (let d = 0; d < 4; d++) {
      const n = NS[d] as number;
      const p = newtonPolynomial(n);
      for (const x of [-0.9, -0.3, 0.1, 0.77]) {
        // Exact value of the polynomial at x (x is a double, hence a rational).
        const xr = Rational.of(Math.round(x * 2 ** 40), 2 ** 40);
        let exact = Rational.ZERO;
        let xk = Rational.ONE;
        for (const c of p) {
          exact = exact.add(c.mul(xk));
          xk = xk.mul(xr);
        }
        const b = C.bDef[d] as Float64Array;
        const row = legendreVandermonde([xr.toNumber()], n + 1).data;
        let series = 0;
        let scale = 0;
        for (let k = 0; k <= n; k++) {
          series += (b[k] as number) * (row[k] as number);
          scale += Math.abs((b[k] as number) * (row[k] as number));
        }
        expect(Math.abs(series - exact.toNumber())).toBeLessThan(1e-14 * scale);
      }
    }
  });
});

describe('numerical constants', () => {
  it('xi is exactly antisymmetric and nested across depths', () => {
    for (let d = 0; d < 4; d++) {
      const x = C.xi[d] as Float64Array;
      const n = NS[d] as number;
      expect(x.length).toBe(n);
      expect(x[0]).toBe(-1);
      expect(x[n - 1]).toBe(1);
      expect(Object.is(x[(n - 1) / 2], 0)).toBe(true);
      for (let i = 0; i < n; i++) {
        expect(x[i] === -(x[n - 1 - i] as number)).toBe(true);
        if (i > 0) expect(x[i]).toBeGreaterThan(x[i - 1] as number);
        // Node i of depth d is node i·2^(3−d) of depth 3: the rules are nested exactly.
        expect(x[i]).toBe((C.xi[3] as Float64Array)[i * 2 ** (3 - d)]);
      }
    }
    expect(Array.from(C.xi[0] as Float64Array)).toEqual([
      -1, -0.7071067811865475, 0, 0.7071067811865475, 1,
    ]);
  });

  it('V·V⁻¹ = I and V⁻¹·V = I', () => {
    for (let d = 0; d < 4; d++) {
      const V = C.V[d] as Matrix;
      const Vinv = C.Vinv[d] as Matrix;
      expect(maxAbsDiffFromIdentity(multiply(V, Vinv))).toBeLessThan(1e-14);
      expect(maxAbsDiffFromIdentity(multiply(Vinv, V))).toBeLessThan(1e-14);
    }
  });

  it('invert and spectralNorm on known matrices', () => {
    const m: Matrix = { n: 2, data: Float64Array.from([4, 7, 2, 6]) };
    expect(Array.from(invert(m).data).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([
      0.6, -0.7, -0.2, 0.4,
    ]);
    expect(() => invert({ n: 2, data: Float64Array.from([1, 2, 2, 4]) })).toThrow(/singular/);
    // ‖diag(3, −5)‖₂ = 5; a rotation has norm 1.
    expect(spectralNorm({ n: 2, data: Float64Array.from([3, 0, 0, -5]) })).toBeCloseTo(5, 14);
    const t = 0.3;
    const rot = Float64Array.from([Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)]);
    expect(spectralNorm({ n: 2, data: rot })).toBeCloseTo(1, 14);
  });

  it('Vcond: condition numbers close to python-adaptive`s (3.334, 4.178, 5.503, 7.507)', () => {
    // python-adaptive (scipy): 3.3344682315616008, 4.178091728014329, 5.503113393736558, 7.5068799460977464
    const py = [3.3344682315616008, 4.178091728014329, 5.503113393736558, 7.5068799460977464];
    C.Vcond.forEach((v, d) => {
      expect(Math.abs(v - (py[d] as number)) / (py[d] as number)).toBeLessThan(1e-13);
    });
  });

  it('the shift matrices map coefficients on [−1, 1] to those on each half', () => {
    // A polynomial of degree 20 given by its coefficients c; on the left half x = (t − 1)/2.
    const c = Float64Array.from({ length: 33 }, (_, k) => (k <= 20 ? Math.cos(k) / (k + 1) : 0));
    for (const [T, shift] of [
      [C.Tleft, -1],
      [C.Tright, 1],
    ] as const) {
      const ch = new Float64Array(33);
      for (let r = 0; r < 33; r++) {
        let s = 0;
        for (let q = 0; q < 33; q++) s += (T.data[r * 33 + q] as number) * (c[q] as number);
        ch[r] = s;
      }
      for (const t of [-1, -0.5, 0.2, 0.9, 1]) {
        const want = legendreSeries(c, (t + shift) / 2);
        expect(Math.abs(legendreSeries(ch, t) - want)).toBeLessThan(1e-13);
      }
    }
  });

  it('alpha and gamma', () => {
    expect(C.alpha[0]).toBe(Math.sqrt(1 / 3));
    expect(C.gamma[0]).toBe(0);
    expect(C.gamma[1]).toBe(0);
    expect(C.gamma[2]).toBe(Math.sqrt(4 / 15));
    expect(C.alpha.length).toBe(33);
  });

  it('is computed once', () => {
    expect(cquadCoefficients()).toBe(C);
  });
});

describe('interpolationCoefficients', () => {
  it('interpolates: the series reproduces the values at the nodes', () => {
    for (let d = 0; d < 4; d++) {
      const x = C.xi[d] as Float64Array;
      const fx = Array.from(x, (t) => Math.exp(t) * Math.sin(3 * t));
      const c = interpolationCoefficients(fx, d);
      x.forEach((t, i) => {
        expect(Math.abs(legendreSeries(c, t) - (fx[i] as number))).toBeLessThan(1e-14);
      });
    }
  });

  it('down-dating every other node of depth 3 gives the depth-2 interpolant (test_downdate)', () => {
    const f = (t: number) => Math.exp(t) * Math.cos(2 * t);
    const x3 = C.xi[3] as Float64Array;
    const fx = Array.from(x3, (t, i) => (i % 2 === 1 ? Number.NaN : f(t)));
    const down = interpolationCoefficients(fx, 3);
    const c2 = interpolationCoefficients(Array.from(C.xi[2] as Float64Array, f), 2);
    let worst = 0;
    for (let k = 0; k < 33; k++) {
      worst = Math.max(worst, Math.abs((down[k] as number) - (k < 17 ? (c2[k] as number) : 0)));
    }
    // python-adaptive's test asks for 1e-9 (and misses it by 1.09e-9 with numpy 2.4).
    expect(worst).toBeLessThan(1e-8);
  });

  it('a single non-finite value: the interpolant of the others', () => {
    const x0 = C.xi[0] as Float64Array;
    const c = interpolationCoefficients([1, 1, Number.POSITIVE_INFINITY, 1, 1], 0);
    expect(c[0]).toBeCloseTo(Math.SQRT2, 14);
    for (let k = 1; k < 5; k++) expect(Math.abs(c[k] as number)).toBeLessThan(1e-14);
    // The dropped node is not interpolated; the others are.
    expect(legendreSeries(c, x0[0] as number)).toBeCloseTo(1, 14);
  });

  it('all values non-finite: NaN (nothing is known of f there, not a zero interpolant)', () => {
    const c = interpolationCoefficients(new Array(9).fill(Number.NaN), 1);
    expect(Array.from(c).every(Number.isNaN)).toBe(true);
    const d = interpolationCoefficients([Infinity, -Infinity, NaN, Infinity, NaN], 0);
    expect(Array.from(d).every(Number.isNaN)).toBe(true);
  });

  it('rejects a wrong number of values', () => {
    expect(() => interpolationCoefficients([1, 2, 3], 0)).toThrow(/depth 0 needs 5 values/);
    expect(() => interpolationCoefficients([1], 4)).toThrow(RangeError);
  });
});
