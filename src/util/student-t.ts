/**
 * Student's t distribution: the quantile `tQuantile(p, df)` (scipy's `t.ppf`), which
 * AverageLearner1D uses for the confidence interval of a mean. Newton's method on the CDF
 * (regularised incomplete beta by Lentz's continued fraction), safeguarded by bisection;
 * accurate to ~1e-13 relative for df ≥ 1.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * The regularised incomplete beta function I_x(a, b).
 * @example incompleteBeta(0.5, 2, 2) // 0.5
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaFraction(b, a, 1 - x)) / b;
}

/**
 * P(T > t) for t ≥ 0: the upper tail of Student's t with df degrees of freedom.
 * @example tUpperTail(0, 5) // 0.5
 */
export function tUpperTail(t: number, df: number): number {
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The standard normal quantile (Acklam's rational approximation, ~1e-9), a first guess. */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(p, 1 - p);
  let x: number;
  if (q > 0.02425) {
    const u = q - 0.5;
    const r = u * u;
    x =
      (((((((a[0] as number) * r + (a[1] as number)) * r + (a[2] as number)) * r +
        (a[3] as number)) *
        r +
        (a[4] as number)) *
        r +
        (a[5] as number)) *
        u) /
      ((((((b[0] as number) * r + (b[1] as number)) * r + (b[2] as number)) * r +
        (b[3] as number)) *
        r +
        (b[4] as number)) *
        r +
        1);
  } else {
    const r = Math.sqrt(-2 * Math.log(q));
    x =
      ((((((c[0] as number) * r + (c[1] as number)) * r + (c[2] as number)) * r +
        (c[3] as number)) *
        r +
        (c[4] as number)) *
        r +
        (c[5] as number)) /
      (((((d[0] as number) * r + (d[1] as number)) * r + (d[2] as number)) * r + (d[3] as number)) *
        r +
        1);
  }
  return p < 0.5 ? -Math.abs(x) : Math.abs(x);
}

/**
 * The p-quantile of Student's t with df degrees of freedom (scipy's `t.ppf(p, df)`).
 * @example tQuantile(0.975, 10) // 2.2281388519649385
 */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (!(p > 0 && p < 1))
    return p === 1 ? Number.POSITIVE_INFINITY : p === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  const tail = 1 - p; // find t with P(T > t) = tail
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  // Bracket [lo, hi] and Newton from a normal-based guess.
  let lo = 0;
  let hi = Math.max(1, 2 * normalQuantile(p));
  while (tUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
  }
  let t = Math.min(Math.max(normalQuantile(p) * (1 + 1 / (4 * df)), lo), hi);
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  for (let i = 0; i < 100; i++) {
    const f = tUpperTail(t, df) - tail; // decreasing in t
    if (f > 0) lo = t;
    else hi = t;
    const pdf = Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
    let next = t + f / pdf;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.abs(next)) return next;
    t = next;
  }
  return t;
}
