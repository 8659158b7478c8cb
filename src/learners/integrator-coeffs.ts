/**
 * The constants of CQUAD (Gonnet, "Increasing the Reliability of Adaptive Quadrature Using
 * Explicit Interpolants", ACM TOMS 37(3), 2010) as used by {@link IntegratorLearner}:
 * Clenshaw–Curtis nodes, the Legendre–Vandermonde matrices and their inverses, the shift
 * matrices that map a parent's coefficients onto its halves, and the down-dating
 * coefficients of Gonnet's algorithm 5 (for non-finite function values).
 *
 * Port of python-adaptive `integrator_coeffs.py` (the facts, computed here from first
 * principles): the Newton polynomials over the nodes are expanded in the Legendre basis
 * exactly, with BigInt rationals; everything else is float64 linear algebra on matrices of
 * at most 33×33. Nothing is computed until {@link cquadCoefficients} is first called.
 */

/** Nodes per rule, depth 0..3. */
export const NS = [5, 9, 17, 33] as const;

/** Machine epsilon, 2⁻⁵². */
export const EPS = 2 ** -52;

/** A refinement whose coefficients change by more than `HINT·‖c‖` forces a split (Gonnet's thesis §6.2). */
export const HINT = 0.1;

/** Smallest relative distance of two adjacent nodes before an interval is dropped. */
export const MIN_SEP = 16 * EPS;

/** The divergence counter's threshold. */
export const NDIV_MAX = 20;

// ------------------------------------------------------------------ exact rationals

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/**
 * An exact rational number num/den (den > 0, in lowest terms) on BigInt.
 *
 * @example
 * Rational.of(1, 3).add(Rational.of(1, 6)).toString() // '1/2'
 */
export class Rational {
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** num/den, reduced. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    let n = BigInt(num);
    let d = BigInt(den);
    if (d === 0n) throw new RangeError('Rational: zero denominator');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n, d);
    return g === 1n || g === 0n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  add(o: Rational): Rational {
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  div(o: Rational): Rational {
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }

  toString(): string {
    return this.den === 1n ? String(this.num) : `${this.num}/${this.den}`;
  }

  /**
   * The nearest double, ties to even (what Python's `float(Fraction)` returns). Normal
   * range only: the constants here never come near under- or overflow.
   */
  toNumber(): number {
    if (this.num === 0n) return 0;
    const neg = this.num < 0n;
    const n = neg ? -this.num : this.num;
    const d = this.den;
    // Scale so that the quotient has 55–56 bits, then round its top 53 bits.
    const k = 55 - (bitLength(n) - bitLength(d));
    const num = k >= 0 ? n << BigInt(k) : n;
    const den = k >= 0 ? d : d << BigInt(-k);
    const q = num / den;
    const sticky = num % den !== 0n;
    const s = bitLength(q) - 53;
    let m = q >> BigInt(s);
    const rest = q & ((1n << BigInt(s)) - 1n);
    const half = 1n << BigInt(s - 1);
    if (rest > half || (rest === half && (sticky || (m & 1n) === 1n))) m += 1n;
    const v = Number(m) * 2 ** (s - k);
    return neg ? -v : v;
  }
}

/** A polynomial as exact coefficients, index = power of x. */
type Poly = Rational[];

/**
 * The first `n` Legendre polynomials P₀…P₍ₙ₋₁₎ in the standard normalisation
 * (∫₋₁¹ PᵢPⱼ = δᵢⱼ·2/(2i+1)), by Bonnet's recursion (k+1)P₍ₖ₊₁₎ = (2k+1)xPₖ − kP₍ₖ₋₁₎.
 *
 * @example
 * legendre(3)[2].map(String) // ['-1/2', '0', '3/2']
 */
export function legendre(n: number): Poly[] {
  const out: Poly[] = [[Rational.ONE], [Rational.ZERO, Rational.ONE]];
  for (let k = 1; out.length < n; k++) {
    const pk = out[k] as Poly;
    const pk1 = out[k - 1] as Poly;
    const next: Poly = new Array<Rational>(k + 2).fill(Rational.ZERO);
    const a = Rational.of(2 * k + 1, k + 1);
    const b = Rational.of(k, k + 1);
    for (let i = 0; i < pk.length; i++) next[i + 1] = (pk[i] as Rational).mul(a);
    for (let i = 0; i < pk1.length; i++) {
      next[i] = (next[i] as Rational).sub((pk1[i] as Rational).mul(b));
    }
    out.push(next);
  }
  return out.slice(0, n);
}

/**
 * The monic polynomial ∏ᵢ (x − xᵢ) over the n Clenshaw–Curtis nodes xᵢ = −cos(iπ/(n−1)),
 * exactly: the nodes are ±1 and the roots of the Chebyshev polynomial U₍ₙ₋₂₎ (leading
 * coefficient 2ⁿ⁻²), so the product is (x² − 1)·U₍ₙ₋₂₎(x)/2ⁿ⁻².
 *
 * @example
 * newtonPolynomial(3).map(String) // ['0', '-1', '0', '1']: x³ − x over the nodes −1, 0, 1
 */
export function newtonPolynomial(n: number): Poly {
  if (!Number.isInteger(n) || n < 2) throw new RangeError('newtonPolynomial: n must be >= 2');
  // U₀ = 1, U₁ = 2x, U₍ₖ₊₁₎ = 2x·Uₖ − U₍ₖ₋₁₎ (integer coefficients).
  let prev: bigint[] = [1n];
  let cur: bigint[] = [0n, 2n];
  const m = n - 2;
  if (m === 0) cur = prev;
  for (let k = 1; k < m; k++) {
    const next: bigint[] = new Array<bigint>(k + 2).fill(0n);
    for (let i = 0; i < cur.length; i++) next[i + 1] = 2n * (cur[i] as bigint);
    for (let i = 0; i < prev.length; i++) next[i] = (next[i] as bigint) - (prev[i] as bigint);
    prev = cur;
    cur = next;
  }
  // (x² − 1)·U
  const prod: bigint[] = new Array<bigint>(cur.length + 2).fill(0n);
  for (let i = 0; i < cur.length; i++) {
    prod[i + 2] = (prod[i + 2] as bigint) + (cur[i] as bigint);
    prod[i] = (prod[i] as bigint) - (cur[i] as bigint);
  }
  const scale = 1n << BigInt(m);
  return prod.map((c) => Rational.of(c, scale));
}

/**
 * ∫₋₁¹ a(x)·b(x) dx, exactly.
 *
 * @example
 * scalarProduct(legendre(2)[1], legendre(2)[1]).toString() // '2/3'
 */
export function scalarProduct(a: Poly, b: Poly): Rational {
  let sum = Rational.ZERO;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] as Rational;
    if (ai.isZero()) continue;
    for (let j = (i & 1) === 0 ? 0 : 1; j < b.length; j += 2) {
      const bj = b[j] as Rational;
      if (bj.isZero()) continue;
      // ∫ x^(i+j) = 2/(i+j+1) for even i+j.
      sum = sum.add(ai.mul(bj).mul(Rational.of(2, i + j + 1)));
    }
  }
  return sum;
}

// ------------------------------------------------------------------ float linear algebra

/** A square matrix, row-major. */
export interface Matrix {
  readonly n: number;
  readonly data: Float64Array;
}

/**
 * The Legendre–Vandermonde matrix: row i holds the orthonormal Legendre polynomials
 * P₀…P₍ₙ₋₁₎·√(k + ½) at x[i] (the three-term recursion in float, in python-adaptive's order
 * of operations). O(rows·n).
 *
 * @example
 * legendreVandermonde([1], 3).data; // Float64Array [0.7071067811865476, 1.224744871391589, 1.5811388300841898]
 */
export function legendreVandermonde(x: ArrayLike<number>, n: number): Matrix {
  const rows = x.length;
  const data = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const xi = x[i] as number;
    let p2 = 1;
    let p1 = xi;
    data[i * n] = 1;
    if (n > 1) data[i * n + 1] = xi;
    for (let k = 2; k < n; k++) {
      const p = ((2 * k - 1) / k) * xi * p1 - ((k - 1) / k) * p2;
      data[i * n + k] = p;
      p2 = p1;
      p1 = p;
    }
    for (let k = 0; k < n; k++) data[i * n + k] = (data[i * n + k] as number) * Math.sqrt(k + 0.5);
  }
  return { n, data };
}

/**
 * The inverse by Gauss–Jordan elimination with partial pivoting. O(n³).
 *
 * @example
 * invert({ n: 2, data: Float64Array.from([4, 7, 2, 6]) }).data; // ≈ [0.6, -0.7, -0.2, 0.4]
 */
export function invert(m: Matrix): Matrix {
  const n = m.n;
  const a = Float64Array.from(m.data);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(a[r * n + col] as number) > Math.abs(a[piv * n + col] as number)) piv = r;
    }
    const p = a[piv * n + col] as number;
    if (p === 0) throw new RangeError('invert: singular matrix');
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        const t = a[col * n + k] as number;
        a[col * n + k] = a[piv * n + k] as number;
        a[piv * n + k] = t;
        const u = inv[col * n + k] as number;
        inv[col * n + k] = inv[piv * n + k] as number;
        inv[piv * n + k] = u;
      }
    }
    for (let k = 0; k < n; k++) {
      a[col * n + k] = (a[col * n + k] as number) / p;
      inv[col * n + k] = (inv[col * n + k] as number) / p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col] as number;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] = (a[r * n + k] as number) - f * (a[col * n + k] as number);
        inv[r * n + k] = (inv[r * n + k] as number) - f * (inv[col * n + k] as number);
      }
    }
  }
  return { n, data: inv };
}

/**
 * The product of two square matrices. O(n³).
 *
 * @example
 * multiply(m, invert(m)); // ≈ the identity
 */
export function multiply(x: Matrix, y: Matrix): Matrix {
  const n = x.n;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++)
        s += (x.data[i * n + k] as number) * (y.data[k * n + j] as number);
      out[i * n + j] = s;
    }
  }
  return { n, data: out };
}

/**
 * The largest singular value ‖A‖₂: the largest eigenvalue of AᵀA by cyclic Jacobi
 * rotations, square-rooted. O(n³) per sweep, a handful of sweeps.
 *
 * @example
 * spectralNorm({ n: 2, data: Float64Array.from([3, 0, 0, -5]) }); // 5
 */
export function spectralNorm(m: Matrix): number {
  const n = m.n;
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let k = 0; k < n; k++)
        t += (m.data[k * n + i] as number) * (m.data[k * n + j] as number);
      s[i * n + j] = t;
    }
  }
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) off += (s[p * n + q] as number) ** 2;
    if (off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q] as number;
        if (apq === 0) continue;
        const app = s[p * n + p] as number;
        const aqq = s[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = s[k * n + p] as number;
          const akq = s[k * n + q] as number;
          s[k * n + p] = c * akp - sn * akq;
          s[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = s[p * n + k] as number;
          const aqk = s[q * n + k] as number;
          s[p * n + k] = c * apk - sn * aqk;
          s[q * n + k] = sn * apk + c * aqk;
        }
      }
    }
  }
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, s[i * n + i] as number);
  return Math.sqrt(max);
}

// ------------------------------------------------------------------ the constants

/** The CQUAD constants, see {@link cquadCoefficients}. */
export interface CquadCoefficients {
  /** Clenshaw–Curtis nodes on [−1, 1] per depth, exactly antisymmetric: `xi[d][i] = −xi[d][n−1−i]`. */
  readonly xi: readonly Float64Array[];
  /** Legendre–Vandermonde matrices per depth (ns[d]×ns[d], row-major). */
  readonly V: readonly Matrix[];
  /** Their inverses: function values → Legendre coefficients. */
  readonly Vinv: readonly Matrix[];
  /** Condition numbers ‖V‖₂‖V⁻¹‖₂ per depth. */
  readonly Vcond: readonly number[];
  /** 33×33 shift matrices: coefficients on [−1, 1] → coefficients on the left / right half. */
  readonly Tleft: Matrix;
  readonly Tright: Matrix;
  /** Down-dating coefficients αₖ = √((k+1)²/(2k+1)/(2k+3)), k = 0..32. */
  readonly alpha: Float64Array;
  /** γₖ = √(k²/(4k²−1)) for k ≥ 2, γ₀ = γ₁ = 0. */
  readonly gamma: Float64Array;
  /** The Newton polynomials over the nodes of each depth in the orthonormal Legendre basis (ns[d]+1 entries). */
  readonly bDef: readonly Float64Array[];
}

let cached: CquadCoefficients | undefined;

/**
 * The CQUAD constants, computed on the first call (a few milliseconds) and cached.
 *
 * @example
 * const { xi, Vinv } = cquadCoefficients();
 * xi[0]; // Float64Array [-1, -0.7071067811865475, 0, 0.7071067811865475, 1]
 */
export function cquadCoefficients(): CquadCoefficients {
  if (cached !== undefined) return cached;
  // Nodes: −cos(linspace(0, π, n)), then (row − reversed row)/2 so that splitting an
  // interval at its middle node is exact.
  const xi = NS.map((n) => {
    const step = Math.PI / (n - 1);
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) row[i] = -Math.cos(i === n - 1 ? Math.PI : i * step);
    const sym = new Float64Array(n);
    for (let i = 0; i < n; i++) sym[i] = ((row[i] as number) - (row[n - 1 - i] as number)) / 2;
    return sym;
  });
  const V = NS.map((n, d) => legendreVandermonde(xi[d] as Float64Array, n));
  const Vinv = V.map(invert);
  const Vcond = V.map((v, d) => spectralNorm(v) * spectralNorm(Vinv[d] as Matrix));
  const x3 = xi[3] as Float64Array;
  const V3inv = Vinv[3] as Matrix;
  const shifted = (a: number) =>
    multiply(
      V3inv,
      legendreVandermonde(
        Array.from(x3, (x) => (x + a) / 2),
        33,
      ),
    );
  const Tleft = shifted(-1);
  const Tright = shifted(1);
  const alpha = new Float64Array(33);
  const gamma = new Float64Array(33);
  for (let k = 0; k < 33; k++) {
    alpha[k] = Math.sqrt((k + 1) ** 2 / (2 * k + 1) / (2 * k + 3));
    if (k >= 2) gamma[k] = Math.sqrt((k * k) / (4 * k * k - 1));
  }
  const legs = legendre(34);
  const bDef = NS.map((n) => {
    const newton = newtonPolynomial(n);
    const out = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) {
      const ip = scalarProduct(newton, legs[k] as Poly);
      out[k] = Math.sqrt((2 * k + 1) / 2) * ip.toNumber();
    }
    return out;
  });
  cached = { xi, V, Vinv, Vcond, Tleft, Tright, alpha, gamma, bDef };
  return cached;
}

const scratchF = new Float64Array(33);
const scratchNans = new Int32Array(33);
const scratchB = new Float64Array(34);

/**
 * The coefficients (orthonormal Legendre basis on [−1, 1]) of the polynomial through the
 * values `fx` at the `NS[depth]` nodes of `depth`: V⁻¹·fx (python-adaptive's
 * `_calc_coeffs`). Non-finite values are zeroed and their nodes then removed from the
 * interpolant by down-dating (Gonnet's algorithm 5, one node at a time), so the result is
 * the interpolant of the finite values only, of correspondingly lower degree. With no
 * finite value at all every coefficient is NaN (nothing is known of f there). O(n²) plus
 * O(n) per non-finite value.
 *
 * @example
 * interpolationCoefficients([1, 1, 1, 1, 1], 0)[0]; // 1.414213562373095 (1 = √2 · P₀/√2)
 * interpolationCoefficients([1, 1, NaN, 1, 1], 0)[0]; // 1.414213562373095 (NaN dropped)
 */
export function interpolationCoefficients(fx: ArrayLike<number>, depth: number): Float64Array {
  const n = NS[depth];
  if (n === undefined || fx.length !== n) {
    throw new RangeError(`interpolationCoefficients: depth ${depth} needs ${n ?? '?'} values`);
  }
  const C = cquadCoefficients();
  const f = scratchF;
  const nans = scratchNans;
  let nn = 0;
  for (let i = 0; i < n; i++) {
    const v = fx[i] as number;
    if (Number.isFinite(v)) f[i] = v;
    else {
      f[i] = 0;
      nans[nn++] = i;
    }
  }
  const c = new Float64Array(n);
  if (nn === n) {
    // No finite value: nothing is known of f here (not a zero interpolant).
    c.fill(Number.NaN);
    return c;
  }
  const V = (C.Vinv[depth] as Matrix).data;
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (V[k * n + i] as number) * (f[i] as number);
    c[k] = s;
  }
  if (nn === 0) return c;

  // Down-dating works on c times 2^-e, c's largest magnitude brought near 1 (exact: a power
  // of 2), and scales back at the end: r = c[m] / b[m] grows as nodes are removed, and with
  // values near Number.MAX_VALUE r · b[k] overflowed into Infinity − Infinity = NaN (f × 1e300
  // with a few NaN values gave igral NaN and done() true, issue 13). In the normal range the
  // result is the unscaled one, bit for bit.
  let big = 0;
  for (let k = 0; k < n; k++) big = Math.max(big, Math.abs(c[k] as number));
  const e = big > 2 ** 500 || (big > 0 && big < 2 ** -500) ? Math.floor(Math.log2(big)) : 0;
  if (e !== 0) for (let k = 0; k < n; k++) c[k] = scaleBack(c[k] as number, -e);

  // Down-dating: b holds the Newton polynomial of the remaining nodes; dividing it by
  // (x − xᵢ) removes node i, and c loses the multiple of b that carried fx[i] = 0.
  const { alpha, gamma } = C;
  const xi = C.xi[depth] as Float64Array;
  const b = scratchB;
  b.set(C.bDef[depth] as Float64Array);
  let off = 0; // python's b[k] (it drops b[0] each round) is b[k + off] here
  let m = n - 1;
  for (let t = 0; t < nn; t++) {
    if (m === 0) {
      // Every value was non-finite: nothing of the interpolant is left.
      c[0] = 0;
      m--;
      continue;
    }
    const xii = xi[nans[t] as number] as number;
    b[m + 1 + off] = (b[m + 1 + off] as number) / (alpha[m] as number);
    b[m + off] =
      ((b[m + off] as number) + xii * (b[m + 1 + off] as number)) / (alpha[m - 1] as number);
    for (let j = m - 1; j > 0; j--) {
      b[j + off] =
        ((b[j + off] as number) +
          xii * (b[j + 1 + off] as number) -
          (gamma[j + 1] as number) * (b[j + 2 + off] as number)) /
        (alpha[j - 1] as number);
    }
    off++;
    const r = (c[m] as number) / (b[m + off] as number);
    for (let k = 0; k < m; k++) c[k] = (c[k] as number) - r * (b[k + off] as number);
    c[m] = 0;
    m--;
  }
  if (e !== 0) for (let k = 0; k < n; k++) c[k] = scaleBack(c[k] as number, e);
  return c;
}

/** x · 2^e without overflowing in the intermediate power (e may be ±1023). */
function scaleBack(x: number, e: number): number {
  const h = Math.trunc(e / 2);
  return x * 2 ** h * 2 ** (e - h);
}
