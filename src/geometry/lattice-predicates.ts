/**
 * Exact orientation and in-circle signs for points of a small integer lattice stored in
 * scaled coordinates (Learner2D with `integer: [true, true]`): a stored x is
 * fl((X − ox) / sx) for an integer X, and the geometry is that of the exact points
 * ((X − ox) / sx, (Y − oy) / sy). The stored doubles are rounded, so four cocircular lattice
 * points are cocircular in the exact geometry but, as stored, usually off by a rounding
 * error: Shewchuk's adaptive predicates then take their slowest, exact stages, and a square
 * lattice is full of such quadruples. Here the signs come from the integers instead, in
 * plain double arithmetic that is exact while every span is at most {@link LATTICE_EXACT_SPAN}
 * (products of four differences below 2⁵¹).
 *
 * A triangulation must take every orientation and in-circle sign of its vertices from one
 * geometry: `Delaunay2D` uses these for every lattice point it meets (its vertices, and
 * queries on the lattice) and robust-predicates on the stored doubles for other queries
 * (point location for interpolation), which see the same triangles with the same
 * orientation (each lattice triangle has an area of at least half a lattice cell, far above
 * the rounding of its corners).
 */

/** The largest span (hi − lo, in lattice units) of a lattice these predicates take. */
export const LATTICE_EXACT_SPAN = 4096;

/** 2²⁶: the split of the last step of {@link inCircleLattice}. */
const SPLIT = 67108864;

/**
 * The map of a lattice's stored coordinates: [sx, ox, sy, oy], stored x = (X − ox) / sx.
 * @example latticeMap(0, 99, 0, 99); // Float64Array [99, 49.5, 99, 49.5]
 */
export function latticeMap(x0: number, x1: number, y0: number, y1: number): Float64Array {
  return Float64Array.of(x1 - x0, (x0 + x1) / 2, y1 - y0, (y0 + y1) / 2);
}

/**
 * The integer X of a stored coordinate x, or NaN when x is not a lattice point's coordinate
 * (the stored value of round(x·s + o) is not x). `k` is 0 for x, 2 for y.
 * @example latticeIndex(latticeMap(0, 99, 0, 99), 0, (7 - 49.5) / 99); // 7
 */
export function latticeIndex(map: Float64Array, k: 0 | 2, x: number): number {
  const s = map[k] as number;
  const o = map[k + 1] as number;
  const X = Math.round(x * s + o);
  return (X - o) / s === x ? X : Number.NaN;
}

/**
 * The integer X of a stored coordinate x known to be a lattice point's (a vertex's): as
 * {@link latticeIndex} without the check.
 * @example latticeRound(latticeMap(0, 99, 0, 99), 2, (7 - 49.5) / 99); // 7
 */
export function latticeRound(map: Float64Array, k: 0 | 2, x: number): number {
  return Math.round(x * (map[k] as number) + (map[k + 1] as number));
}

/**
 * Twice the signed area of (a, b, p) in lattice units (> 0 when p is left of a→b, y up):
 * exact, from the integers. Arguments are the lattice integers.
 * @example orientLattice(0, 0, 1, 0, 0, 1); // 1
 */
export function orientLattice(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  px: number,
  py: number,
): number {
  return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
}

/**
 * The sign (−1, 0, 1) of the in-circle determinant of the counterclockwise triangle (a, b, c)
 * and p in the lattice's scaled geometry (1: p strictly inside), exact. Arguments are the
 * lattice integers; wx = sx², wy = sy² (integers up to {@link LATTICE_EXACT_SPAN}²).
 *
 * The lift of a difference (dX, dY) is dX²/wx + dY²/wy, so the determinant is
 * (A/wx + B/wy) / (sx·sy) with A and B the determinants whose lifts are dX² and dY² alone,
 * and its sign is that of A·wy + B·wx. A and B are exact (below 2⁵¹); the last sum is
 * evaluated in two 26-bit halves.
 * @example inCircleLattice(0, 0, 2, 0, 0, 2, 1, 1, 1, 1); // 1
 */
export function inCircleLattice(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  px: number,
  py: number,
  wx: number,
  wy: number,
): number {
  const adx = ax - px;
  const ady = ay - py;
  const bdx = bx - px;
  const bdy = by - py;
  const cdx = cx - px;
  const cdy = cy - py;
  const ab = adx * bdy - bdx * ady;
  const bc = bdx * cdy - cdx * bdy;
  const ca = cdx * ady - adx * cdy;
  const A = adx * adx * bc + bdx * bdx * ca + cdx * cdx * ab;
  const B = ady * ady * bc + bdy * bdy * ca + cdy * cdy * ab;
  if (wx === wy) return sign(A + B);
  // A·wy + B·wx = 2²⁶·H + L, H and L exact; then 2²⁶·(H + ⌊L / 2²⁶⌉) + the rest below 2²⁶.
  const Ah = Math.trunc(A / SPLIT);
  const Bh = Math.trunc(B / SPLIT);
  const H = Ah * wy + Bh * wx;
  const L = (A - Ah * SPLIT) * wy + (B - Bh * SPLIT) * wx;
  const Lh = Math.trunc(L / SPLIT);
  const T = H + Lh;
  return T !== 0 ? sign(T) : sign(L - Lh * SPLIT);
}

/** −1, 0 or 1 (never −0). */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}
