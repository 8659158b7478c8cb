/**
 * Scales and "nice" ticks: steps of 1, 2 or 5 times a power of ten (the rule of d3-array's
 * `ticks`), computed from integers so that tick values print exactly (0.3, not
 * 0.30000000000000004).
 */

/**
 * A map from data values to px, with its ticks.
 * @example
 * const s: Scale = linearScale([0, 1], [0, 100]);
 * s(0.5); // 50
 */
export interface Scale {
  /** The data value → px. */
  (v: number): number;
  /** The data interval shown. */
  readonly domain: readonly [number, number];
  /** The px interval it maps to. */
  readonly range: readonly [number, number];
  /** Tick values and their labels. */
  ticks(count?: number): { value: number; label: string }[];
}

/**
 * Tick values in [lo, hi], about `count` of them, at a step of 1, 2 or 5 × 10^k; and the
 * number of decimals that step needs. O(count).
 *
 * @example
 * niceTicks(0, 1, 5); // { values: [0, 0.2, 0.4, 0.6, 0.8, 1], decimals: 1, step: 0.2 }
 * niceTicks(-1, 1, 4); // { values: [-1, -0.5, 0, 0.5, 1], decimals: 1, step: 0.5 }
 */
export function niceTicks(
  lo: number,
  hi: number,
  count = 5,
): { values: number[]; decimals: number; step: number } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { values: [], decimals: 0, step: 0 };
  if (!(hi > lo)) return { values: [lo], decimals: decimalsOf(lo), step: 0 };
  const raw = (hi - lo) / Math.max(1, count);
  const p = Math.floor(Math.log10(raw));
  const e = raw / 10 ** p;
  const f = e >= Math.sqrt(50) ? 10 : e >= Math.sqrt(10) ? 5 : e >= Math.sqrt(2) ? 2 : 1;
  const values: number[] = [];
  let step: number;
  if (p < 0) {
    // Ticks are i / inv with an integer inv: exact decimal values.
    const inv = Math.round(10 ** -p / f);
    step = 1 / inv;
    const i0 = Math.ceil(lo * inv - 1e-9);
    const i1 = Math.floor(hi * inv + 1e-9);
    for (let i = i0; i <= i1 && values.length < 1000; i++) values.push(i / inv + 0);
  } else {
    step = f * 10 ** p;
    const i0 = Math.ceil(lo / step - 1e-9);
    const i1 = Math.floor(hi / step + 1e-9);
    for (let i = i0; i <= i1 && values.length < 1000; i++) values.push(i * step + 0);
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { values, decimals, step };
}

function decimalsOf(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return 0;
  return Math.max(0, Math.min(12, 2 - Math.floor(Math.log10(Math.abs(v)))));
}

const MINUS = '\u2212';

/**
 * A tick label: fixed decimals for ordinary magnitudes, an exponent (`1.5e−7`) for very
 * large or small ones; a true minus sign; never `-0`.
 *
 * @example
 * formatTick(0.25, 2); // '0.25'
 * formatTick(-3, 0); // '−3'
 * formatTick(2e-7, 7); // '2e−7'
 */
export function formatTick(v: number, decimals: number, maxAbs = Math.abs(v)): string {
  if (!Number.isFinite(v)) return String(v);
  let s: string;
  if (v === 0) s = '0';
  else if (maxAbs >= 1e6 || decimals > 5) {
    // Enough significant digits for ticks `decimals` apart.
    const mag = Math.floor(Math.log10(Math.abs(v)));
    const digits = Math.max(0, Math.min(15, mag + decimals));
    s = v
      .toExponential(digits)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  } else s = v.toFixed(decimals);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1);
  return s.replace(/-/g, MINUS);
}

/**
 * A linear scale from `domain` to `range` (px), with nice ticks.
 *
 * @example
 * const s = linearScale([0, 10], [0, 100]);
 * s(2.5); // 25
 * s.ticks(2).map((t) => t.label); // ['0', '5', '10']
 */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + (v - d0) * k)) as Scale;
  Object.defineProperty(f, 'domain', { value: [d0, d1] });
  Object.defineProperty(f, 'range', { value: [r0, r1] });
  f.ticks = (count = 5) => {
    const lo = Math.min(d0, d1);
    const hi = Math.max(d0, d1);
    const { values, decimals } = niceTicks(lo, hi, count);
    const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
    return values.map((value) => ({ value, label: formatTick(value, decimals, maxAbs) }));
  };
  return f;
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '\u2070',
  '1': '\u00b9',
  '2': '\u00b2',
  '3': '\u00b3',
  '4': '\u2074',
  '5': '\u2075',
  '6': '\u2076',
  '7': '\u2077',
  '8': '\u2078',
  '9': '\u2079',
  '-': '\u207b',
};

/**
 * `10` with the exponent in superscript.
 * @example
 * powerOfTen(-3); // '10⁻³'
 */
export function powerOfTen(k: number): string {
  if (k === 0) return '1';
  if (k === 1) return '10';
  return `10${String(k)
    .split('')
    .map((c) => SUPERSCRIPT[c] ?? c)
    .join('')}`;
}

/**
 * A base-10 logarithmic scale from a positive `domain` to `range` (px); ticks at powers of
 * ten (and 2 and 5 times them when the domain spans less than three decades; nice linear
 * steps, at least three, when even those give fewer than three ticks).
 *
 * @example
 * const s = logScale([1e-3, 1], [100, 0]);
 * s(1e-2); // 66.66666666666667
 * s.ticks().map((t) => t.label); // ['0.001', '0.01', '0.1', '1']
 */
export function logScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const k = l1 === l0 ? 0 : (r1 - r0) / (l1 - l0);
  const f = ((v: number) => (l1 === l0 ? (r0 + r1) / 2 : r0 + (Math.log10(v) - l0) * k)) as Scale;
  Object.defineProperty(f, 'domain', { value: [d0, d1] });
  Object.defineProperty(f, 'range', { value: [r0, r1] });
  f.ticks = () => {
    const lo = Math.min(l0, l1);
    const hi = Math.max(l0, l1);
    const e0 = Math.ceil(lo - 1e-9);
    const e1 = Math.floor(hi + 1e-9);
    const picked: { m: number; e: number }[] = [];
    const span = hi - lo;
    const mult = span < 3 ? [1, 2, 5] : [1];
    // With many decades, label every second or third power only.
    const every = span > 12 ? Math.ceil(span / 8) : 1;
    for (let e = Math.floor(lo) - 1; e <= Math.ceil(hi) + 1; e++) {
      if (mult.length === 1 && (e < e0 || e > e1 || (e - e0) % every !== 0)) continue;
      for (const m of mult) {
        const lv = Math.log10(m * 10 ** e);
        if (lv < lo - 1e-9 || lv > hi + 1e-9) continue;
        picked.push({ m, e });
      }
    }
    // Less than a decade or so (a loss that barely moved): 1-2-5 gives one or two ticks;
    // then nice linear steps inside the domain, at least three of them.
    if (picked.length < 3) {
      const a = 10 ** lo;
      const b = 10 ** hi;
      for (let count = 4; count <= 12; count += 2) {
        const t = niceTicks(a, b, count);
        const values = t.values.filter((v) => v > 0);
        if (values.length >= 3 || count === 12) {
          const maxAbs = Math.max(a, b);
          return values.map((value) => ({ value, label: formatTick(value, t.decimals, maxAbs) }));
        }
      }
    }
    // Plain decimals when every tick is between 0.001 and 10⁴, else powers of ten for all.
    const plain = picked.every((t) => t.e >= -3 && t.e <= 4);
    const out = picked.map(({ m, e }) => ({
      value: m * 10 ** e,
      label: plain
        ? formatTick(m * 10 ** e, Math.max(0, -e))
        : m === 1
          ? powerOfTen(e)
          : `${m}\u00b7${powerOfTen(e)}`,
    }));
    return out;
  };
  return f;
}

/**
 * A data interval padded by `pad` of its width on both sides; a single value or an empty
 * set of values gets a unit-wide interval around it.
 *
 * @example
 * paddedDomain(0, 10, 0.05); // [-0.5, 10.5]
 */
export function paddedDomain(lo: number, hi: number, pad = 0.05): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}
