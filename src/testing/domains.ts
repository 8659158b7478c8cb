/**
 * Random domains and value scales for the learner laws: intervals, boxes and simplices far
 * from the origin and of any width, and the factors the told values are multiplied by. A law
 * subject gives them as `domains` and `scales` (see `LawSubject`), so every law runs on the
 * domains and scales a user may bring, not only on [-1, 1] and values of order 1.
 */

import fc from 'fast-check';

/**
 * Options of {@link intervalArbitrary}: where the interval starts and how wide it is.
 *
 * @example
 * intervalArbitrary({ maxOffset: 1e6, minRelativeWidth: 1e-6 });
 */
export interface IntervalOptions {
  /** The largest |start| of an interval (default 1e15). */
  maxOffset?: number;
  /** The smallest width, relative to max(|start|, unit) (default 1e-10). */
  minRelativeWidth?: number;
  /** The largest width, relative to max(|start|, unit) (default 1e300). */
  maxRelativeWidth?: number;
  /** The largest width, absolute (default 1e300). */
  maxWidth?: number;
}

/** 10 to the power of a uniform exponent in [lo, hi], times a mantissa in [1, 10). */
function logUniform(lo: number, hi: number): fc.Arbitrary<number> {
  return fc
    .tuple(
      fc.integer({ min: lo, max: hi }),
      fc.double({ min: 1, max: 10, maxExcluded: true, noNaN: true }),
    )
    .map(([e, m]) => m * 10 ** e);
}

/**
 * An interval `[a, b]` with `a < b`, both finite: the start is 0, a small integer or from
 * 1e-280 up to ±`maxOffset` (default 1e15) in magnitude; the width is `minRelativeWidth` (1e-10) to
 * `maxRelativeWidth` (1e300) times the start's magnitude (times a unit of 1e-290 to 1 when
 * the start is 0, so widths stay normal numbers), at most `maxWidth` (1e300). A width of 1e-10 of the start still holds
 * about 450 000 doubles. Shrinks towards [0, 1].
 *
 * @example
 * fc.sample(intervalArbitrary(), 3) // e.g. [[0, 1], [-3.7e14, -3.7e14 + 0.02], [2.5e-7, 8.1e290]]
 */
export function intervalArbitrary(options: IntervalOptions = {}): fc.Arbitrary<[number, number]> {
  const {
    maxOffset = 1e15,
    minRelativeWidth = 1e-10,
    maxRelativeWidth = 1e300,
    maxWidth = 1e300,
  } = options;
  const maxE = Math.floor(Math.log10(maxOffset));
  const offset = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.boolean(), logUniform(-280, maxE))
        .map(([neg, x]) => Math.min(x, maxOffset) * (neg ? -1 : 1)),
      weight: 4,
    },
  );
  const relLo = Math.round(Math.log10(minRelativeWidth));
  const relHi = Math.round(Math.log10(maxRelativeWidth));
  return fc
    .record({
      a: offset,
      unit: fc.oneof({ withCrossShrink: true }, fc.constant(1), logUniform(-290, -1)),
      rel: fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant(1), weight: 1 },
        { arbitrary: logUniform(relLo, relHi - 1), weight: 4 },
      ),
    })
    .map(({ a, unit, rel }) => {
      const base = a === 0 ? unit : Math.abs(a);
      let w = Math.min(Math.max(base * rel, base * minRelativeWidth), maxWidth);
      let b = a + w;
      // Rounding may leave b at a (never below it): widen to the smallest width drawn.
      if (!(b > a)) {
        w = Math.max(base * minRelativeWidth, Math.abs(a) * 1e-10);
        b = a + w;
      }
      return [a, b] as [number, number];
    });
}

/**
 * A box: `dim` independent {@link intervalArbitrary} intervals.
 *
 * @example
 * fc.sample(boxArbitrary(2), 1) // e.g. [[[1e12, 1e12 + 3], [-4, 1e40]]]
 */
export function boxArbitrary(
  dim: number,
  options: IntervalOptions = {},
): fc.Arbitrary<[number, number][]> {
  return fc.array(intervalArbitrary(options), { minLength: dim, maxLength: dim });
}

/**
 * A simplex of dimension `dim` (its `dim + 1` vertices), far from the origin or near it: the
 * corner `o` and the edges `o + w·e_i` of a right-angled simplex (`o` per axis and `w` from
 * {@link intervalArbitrary}; the widest for all axes), with the corner moved to a random vertex so that the slanted
 * face points any way. Inside tests on it must be exact: use {@link inSimplex}.
 *
 * @example
 * fc.sample(simplexArbitrary(2), 1) // e.g. [[[1e12, 1e12], [1e12 + 3, 1e12], [1e12, 1e12 + 3]]]
 */
export function simplexArbitrary(
  dim: number,
  options: IntervalOptions = {},
): fc.Arbitrary<number[][]> {
  return fc
    .tuple(boxArbitrary(dim, options), fc.array(fc.boolean(), { minLength: dim, maxLength: dim }))
    .map(([drawn, flips]) => {
      // Every axis as wide as the widest drawn (a hull's extents are alike; an aspect ratio
      // of 1e300 is a box's matter), each at its own offset: no axis gets narrower than drawn,
      // so each keeps its 1e-10 of the offset at least.
      const w = Math.max(...drawn.map(([a, b]) => b - a));
      const box = drawn.map(([a, b]): [number, number] => {
        const e = a + w;
        return Number.isFinite(e) && e > a ? [a, e] : [a, b];
      });
      // A flipped axis puts the corner at the box's upper end of that axis.
      const corner = box.map(([a, b], i) => (flips[i] ? b : a));
      const far = box.map(([a, b], i) => (flips[i] ? a : b));
      const vertices = [corner.slice()];
      for (let i = 0; i < dim; i++) {
        const v = corner.slice();
        v[i] = far[i] as number;
        vertices.push(v);
      }
      return vertices;
    });
}

const view = new DataView(new ArrayBuffer(8));

/** A finite double times 2^1074, exactly, as a BigInt. */
function exactInt(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`exactInt: ${x} is not finite`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // value = mant · 2^-1074 (subnormal) or (2^52 + mant) · 2^(exp - 1075)
  if (exp === 0) return sign * mant;
  return sign * ((mant + (1n << 52n)) << BigInt(exp - 1));
}

/** The determinant of a square BigInt matrix (fraction-free Bareiss elimination). */
function detBig(m: bigint[][]): bigint {
  const a = m.map((r) => r.slice());
  const n = a.length;
  let sign = 1n;
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    if ((a[k] as bigint[])[k] === 0n) {
      const swap = a.findIndex((r, i) => i > k && r[k] !== 0n);
      if (swap < 0) return 0n;
      [a[k], a[swap]] = [a[swap] as bigint[], a[k] as bigint[]];
      sign = -sign;
    }
    const rk = a[k] as bigint[];
    for (let i = k + 1; i < n; i++) {
      const ri = a[i] as bigint[];
      for (let j = k + 1; j < n; j++) {
        ri[j] =
          ((ri[j] as bigint) * (rk[k] as bigint) - (ri[k] as bigint) * (rk[j] as bigint)) / prev;
      }
    }
    prev = rk[k] as bigint;
  }
  return sign * ((a[n - 1] as bigint[])[n - 1] as bigint);
}

/** The sign of the orientation of `dim + 1` points in R^dim, exactly. */
function orientation(points: readonly (readonly number[])[]): number {
  const base = (points[0] as readonly number[]).map(exactInt);
  const rows = points.slice(1).map((p) => p.map((x, j) => exactInt(x) - (base[j] as bigint)));
  const d = detBig(rows);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/**
 * Whether a point lies in the closed simplex with the given `dim + 1` vertices, decided
 * exactly (rational arithmetic on the doubles as they are, so a point one ulp outside a
 * slanted face is outside). Points with a non-finite coordinate are outside.
 *
 * @example
 * inSimplex([1e12 + 1.5, 1e12 + 1.5], [[1e12, 1e12], [1e12 + 3, 1e12], [1e12, 1e12 + 3]]) // true
 */
export function inSimplex(
  point: readonly number[],
  vertices: readonly (readonly number[])[],
): boolean {
  if (!point.every(Number.isFinite) || point.length + 1 !== vertices.length) return false;
  const whole = orientation(vertices);
  if (whole === 0) return false;
  for (let i = 0; i < vertices.length; i++) {
    const replaced = vertices.slice();
    replaced[i] = point;
    if (orientation(replaced) * whole < 0) return false;
  }
  return true;
}

/**
 * A convex polygon (its vertices counterclockwise, at least 3, strictly convex), far from the
 * origin or near it, of any size: the convex hull of 3 to 12 random points of a square (its
 * offsets and width as {@link simplexArbitrary} draws them), on a grid of 1/1000 of the square
 * or anywhere in it; when the hull is a sliver (narrower than a quarter of the square along an
 * axis) or rounding leaves fewer than 3 vertices, the simplex itself. Inside tests on it must
 * be exact: use {@link inConvexPolygon}.
 *
 * @example
 * fc.sample(convexPolygonArbitrary(), 1) // e.g. [[[1e12, 1e12], [1e12 + 3, 1e12 + 1], [1e12 + 1, 1e12 + 2]]]
 */
export function convexPolygonArbitrary(
  options: IntervalOptions = {},
): fc.Arbitrary<[number, number][]> {
  const unit = fc.oneof(
    fc.integer({ min: 0, max: 1000 }).map((i) => i / 1000),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );
  return fc
    .tuple(
      simplexArbitrary(2, options),
      fc.array(fc.tuple(unit, unit), { minLength: 3, maxLength: 12 }),
    )
    .map(([simplex, us]) => {
      const xs = simplex.map((p) => p[0] as number);
      const ys = simplex.map((p) => p[1] as number);
      const bx: [number, number] = [Math.min(...xs), Math.max(...xs)];
      const by: [number, number] = [Math.min(...ys), Math.max(...ys)];
      const at = ([a, b]: [number, number], t: number): number =>
        Math.min(b, Math.max(a, a + (b - a) * t)) + 0;
      const hull = convexHull2(us.map(([u, v]): [number, number] => [at(bx, u), at(by, v)]));
      const span = (j: 0 | 1, [a, b]: [number, number]): boolean => {
        const c = hull.map((p) => p[j]);
        return Math.max(...c) - Math.min(...c) >= (b - a) / 4;
      };
      if (hull.length >= 3 && span(0, bx) && span(1, by)) return hull;
      const tri = simplex.map((p) => [p[0], p[1]] as [number, number]);
      return orientation(tri) > 0 ? tri : ([tri[0], tri[2], tri[1]] as [number, number][]);
    });
}

/** The strictly convex hull of 2-D points, counterclockwise (Andrew's monotone chain), exact. */
function convexHull2(points: [number, number][]): [number, number][] {
  const ps = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: [number, number][]): [number, number][] => {
    const h: [number, number][] = [];
    for (const p of list) {
      while (
        h.length >= 2 &&
        orientation([h[h.length - 2] as number[], h[h.length - 1] as number[], p]) <= 0
      ) {
        h.pop();
      }
      h.push(p);
    }
    h.pop();
    return h;
  };
  const lower = half(ps);
  const upper = half(ps.slice().reverse());
  return lower.concat(upper);
}

/**
 * Whether a point lies in the closed convex polygon with the given vertices (in order, either
 * way round), decided exactly (rational arithmetic on the doubles as they are, so a point
 * one ulp outside a slanted edge is outside). Points with a non-finite coordinate are outside.
 *
 * @example
 * inConvexPolygon([0.5, 0.5], [[0, 0], [1, 0], [0, 1]]) // true (on the slanted edge)
 */
export function inConvexPolygon(
  point: readonly number[],
  vertices: readonly (readonly number[])[],
): boolean {
  if (point.length !== 2 || !point.every(Number.isFinite)) return false;
  const k = vertices.length;
  let whole = 0;
  for (let i = 0; i < k && whole === 0; i++) {
    whole = orientation([
      vertices[i] as readonly number[],
      vertices[(i + 1) % k] as readonly number[],
      vertices[(i + 2) % k] as readonly number[],
    ]);
  }
  if (whole === 0) return false;
  for (let i = 0; i < k; i++) {
    const o = orientation([
      vertices[i] as readonly number[],
      vertices[(i + 1) % k] as readonly number[],
      point,
    ]);
    if (o * whole < 0) return false;
  }
  return true;
}

/**
 * Options of {@link valueScaleArbitrary}.
 *
 * @example
 * valueScaleArbitrary({ minExponent: -100, maxExponent: 100, subnormal: false });
 */
export interface ValueScaleOptions {
  /** The smallest power of ten drawn (default -300). */
  minExponent?: number;
  /** The largest power of ten drawn (default 300). */
  maxExponent?: number;
  /** Whether subnormal scales (5e-324 to 2^-1022) are drawn (default `true`). */
  subnormal?: boolean;
  /** Whether negative scales are drawn too (default `true`: the values are mirrored). */
  negative?: boolean;
}

/**
 * A factor the told values are multiplied by: 1, a power of ten 10^-300 … 10^300 (times a
 * random mantissa), a power of two, or a subnormal number; negative too. Shrinks towards 1.
 *
 * @example
 * fc.sample(valueScaleArbitrary(), 4) // e.g. [1, 3.2e-251, -2 ** 700, 4.9e-320]
 */
export function valueScaleArbitrary(options: ValueScaleOptions = {}): fc.Arbitrary<number> {
  const { minExponent = -300, maxExponent = 300, subnormal = true, negative = true } = options;
  const lo2 = Math.ceil(minExponent * Math.log2(10));
  const hi2 = Math.floor(maxExponent * Math.log2(10));
  const parts: fc.WeightedArbitrary<number>[] = [
    { arbitrary: fc.constant(1), weight: 2 },
    { arbitrary: logUniform(minExponent, maxExponent - 1), weight: 4 },
    { arbitrary: fc.integer({ min: lo2, max: hi2 }).map((k) => 2 ** k), weight: 2 },
  ];
  if (subnormal) {
    parts.push({
      arbitrary: fc.integer({ min: 1, max: 2 ** 52 - 1 }).map((m) => m * 2 ** -1074),
      weight: 1,
    });
  }
  const positive = fc.oneof({ withCrossShrink: true }, ...parts);
  if (!negative) return positive;
  return fc.tuple(positive, fc.boolean()).map(([s, neg]) => (neg ? -s : s));
}

/**
 * Multiplies a value by a scale: a number, or every number of an array (of arrays); anything
 * else comes back unchanged. Subjects whose values are objects give their own `scaleValue`.
 *
 * @example
 * scaleValue([1, -2], 1e300) // [1e300, -2e300]
 */
export function scaleValue<V>(value: V, scale: number): V {
  if (typeof value === 'number') return (value * scale) as V;
  if (Array.isArray(value)) return value.map((v) => scaleValue(v, scale)) as V;
  return value;
}
