/**
 * The one-dimensional hierarchy of the sparse grid: nested dyadic nodes in (0, 1) with
 * SG++'s modified linear basis, no boundary points.
 *
 * A node is an integer position k ∈ (0, 2^M) (u = k / 2^M), M = {@link RES_BITS}:
 *
 * ```
 * level 1:            ·                    u = 1/2       basis 1 on all of [0, 1]
 * level 2:      ·           ·              u = 1/4, 3/4  hats of half-width 1/4, the
 * level 3:   ·     ·     ·     ·           u = odd/8     outermost of each level linear
 *            2\                /2          out to 2 at the boundary
 * ```
 *
 * Every node's support holds exactly its descendants, so the basis functions that are not
 * zero at a node are those of its ancestors (a chain of `level` nodes): the hierarchical
 * surplus of a point is its value minus the interpolant of its ancestors.
 *
 * A dimension may be anchored at a quarter point instead of the centre (`Anchor`, `warpK`):
 * the same tree, its positions warped so that the root lies at ¼ (or ¾); the `…A` functions
 * take the anchor (0: exactly the functions above).
 */

/** Bits of resolution of a 1-D position: levels 1 … M are representable. */
export const RES_BITS = 30;
/** 2^M: the position of u = 1 (not a node). */
export const FULL = 2 ** RES_BITS;
/** The position of the root, u = 1/2. */
export const ROOT = FULL / 2;
/** The deepest level a position can hold. */
export const MAX_LEVEL = RES_BITS;

/**
 * The level of a node position.
 * @example nodeLevel(ROOT); // 1
 */
export function nodeLevel(k: number): number {
  return RES_BITS - 31 + Math.clz32(k & -k);
}

/**
 * The parent of a node (-1 for the root).
 * @example nodeParent(FULL / 4); // ROOT
 */
export function nodeParent(k: number): number {
  const b = k & -k; // the spacing of k's level
  if (b === ROOT) return -1;
  const down = k - b;
  return down > 0 && (down & (b << 1)) !== 0 ? down : k + b;
}

/**
 * Writes the two children of node k to `out` and returns 2 (0 at `maxLevel`).
 * @example nodeChildren(ROOT, 30, out); // 2: out = [FULL / 4, 3 * FULL / 4]
 */
export function nodeChildren(k: number, maxLevel: number, out: Int32Array | number[]): number {
  const b = k & -k;
  if (b <= FULL >>> maxLevel) return 0; // level ≥ maxLevel
  const h = b >>> 1;
  out[0] = k - h;
  out[1] = k + h;
  return 2;
}

/**
 * The node's basis function at u ∈ [0, 1]: 1 for the root, else the hat of half-width
 * 2^−level around the node, extended linearly to the boundary (value 2 there) for the
 * outermost node of its level.
 * @example nodeBasis(FULL / 4, 0); // 2
 */
export function nodeBasis(k: number, u: number): number {
  const b = k & -k;
  if (b === ROOT) return 1;
  const h = b / FULL;
  const x = k / FULL;
  if (x === h) return u <= x ? 2 - u / h : Math.max(0, 2 - u / h);
  if (x === 1 - h) return Math.max(0, 2 - (1 - u) / h);
  const v = 1 - Math.abs(u - x) / h;
  return Math.max(v, 0);
}

/**
 * The integral of the node's basis over [0, 1]: 1 for the root, 2^−level for interior hats,
 * 2^(1−level) for the outermost ones (their triangle reaches the boundary at height 2).
 * @example nodeIntegral(FULL / 4); // 0.5
 */
export function nodeIntegral(k: number): number {
  const l = nodeLevel(k);
  if (l === 1) return 1;
  const h = 2 ** -l;
  const x = k / FULL;
  return x === h || x === 1 - h ? 2 * h : h;
}

/**
 * The coordinate of position k in [a, b], clamped inside.
 * @example nodeCoord(ROOT, -1, 1); // 0
 */
export function nodeCoord(k: number, a: number, b: number): number {
  const x = a + (b - a) * (k / FULL);
  return x < a ? a : Math.min(x, b);
}

/**
 * The deepest level (≤ `maxLevel`) at which the grid points of [a, b] stay at least 8 ulps
 * apart, so that coordinates and positions map one to one.
 * @example levelCap(-1, 1, 30); // 30
 */
export function levelCap(a: number, b: number, maxLevel: number): number {
  const m = Math.max(Math.abs(a), Math.abs(b));
  // The spacing of the doubles near m; in the subnormals it is MIN_VALUE whatever m is.
  const ulp =
    m === 0 ? Number.MIN_VALUE : Math.max(2 ** (Math.floor(Math.log2(m)) - 52), Number.MIN_VALUE);
  let cap = 1;
  while (cap < maxLevel && (b - a) * 2 ** -(cap + 1) >= 8 * ulp) cap++;
  return cap;
}

/**
 * The position of coordinate x in [a, b] at a level ≤ cap, or -1 when x is not a grid
 * coordinate (not exactly what {@link nodeCoord} gives for some node). O(cap).
 * @example nodePosition(0.5, -1, 1, 30); // 3 * FULL / 4
 */
export function nodePosition(x: number, a: number, b: number, cap: number): number {
  const u = (x - a) / (b - a);
  if (!(u > 0 && u < 1)) return -1;
  // The nodes of levels ≤ cap are the multiples of s in (0, FULL); the cap keeps the
  // rounding error of u far below s, so the nearest multiple (or a neighbour) is the one.
  const s = 2 ** (RES_BITS - cap);
  const j = Math.round((u * FULL) / s);
  for (let i = j - 1; i <= j + 1; i++) {
    const k = i * s;
    if (k > 0 && k < FULL && nodeCoord(k, a, b) === x) return k;
  }
  return -1;
}

/**
 * The anchor of a dimension: where its root lies, -1 at a quarter of the side (u = 1/4),
 * 0 at the centre, 1 at three quarters (see `layout` in state.ts for why and when).
 */
export type Anchor = -1 | 0 | 1;

const Q = FULL / 4;

/**
 * The position in [0, FULL] of the tree position k (a node of the nested dyadic tree of
 * this module) in a dimension anchored at `a`: the identity for the centre; for the
 * quarter anchor the tree is stretched piecewise linearly, its left half [0, ½] onto
 * [0, ¼] and its right half [½, 1] onto [¼, 1], so the root lands on ¼ and its children on
 * ⅛ and ⅝; every basis function lies within one piece, so it is the modified hat of the
 * tree, stretched. The three-quarter anchor is the mirror image. k must be even (the level
 * cap of an anchored dimension is one less); the positions stay integers.
 * @example warpK(-1, ROOT); // FULL / 4
 */
export function warpK(a: number, k: number): number {
  if (a === 0) return k;
  if (a > 0) return FULL - warpK(-1, FULL - k);
  return k <= 2 * Q ? k / 2 : (3 * k - FULL) / 2;
}

/**
 * The tree coordinate (in [0, 1]) of the unit coordinate u in a dimension anchored at `a`:
 * the inverse of {@link warpK}, rounded (exact for the centre).
 * @example unwarp(-1, 0.25); // 0.5
 */
export function unwarp(a: number, u: number): number {
  if (a === 0) return u;
  if (a > 0) return 1 - unwarp(-1, 1 - u);
  return u <= 0.25 ? 2 * u : (2 * u + 1) / 3;
}

/**
 * The basis function of tree node k at the unit coordinate u in a dimension anchored at
 * `a`: {@link nodeBasis} for the centre; otherwise the same rule on the warped positions:
 * 1 at the node, 0 at the nearest coarser nodes on each side, linear in between, and on a
 * side with no coarser node (the boundary) the other side's line continued (the root: 1).
 * @example nodeBasisA(-1, FULL / 4, 0); // 2 (the node at ⅛, 0 at the root ¼)
 */
export function nodeBasisA(a: number, k: number, u: number): number {
  if (a === 0) return nodeBasis(k, u);
  const b = k & -k;
  if (b === ROOT) return 1;
  const xm = warpK(a, k) / FULL;
  const xl = warpK(a, k - b) / FULL;
  const xr = warpK(a, k + b) / FULL;
  if (k - b === 0) return u <= xr ? (xr - u) / (xr - xm) : 0;
  if (k + b === FULL) return u >= xl ? (u - xl) / (xm - xl) : 0;
  return u <= xm ? Math.max(0, (u - xl) / (xm - xl)) : Math.max(0, (xr - u) / (xr - xm));
}

/**
 * The integral over [0, 1] of {@link nodeBasisA}.
 * @example nodeIntegralA(-1, (3 * FULL) / 4); // 0.75: 0 at ¼, 1 at ⅝, 2 at 1
 */
export function nodeIntegralA(a: number, k: number): number {
  if (a === 0) return nodeIntegral(k);
  const b = k & -k;
  if (b === ROOT) return 1;
  const xm = warpK(a, k) / FULL;
  const xl = warpK(a, k - b) / FULL;
  const xr = warpK(a, k + b) / FULL;
  if (k - b === 0) return (xr * (xr / (xr - xm))) / 2;
  if (k + b === FULL) return ((1 - xl) * ((1 - xl) / (xm - xl))) / 2;
  return (xr - xl) / 2;
}

/**
 * The coordinate of tree node k in [lo, hi] for anchor `a` ({@link nodeCoord} of its warped
 * position).
 * @example nodeCoordA(-1, ROOT, -1, 1); // -0.5
 */
export function nodeCoordA(a: number, k: number, lo: number, hi: number): number {
  return nodeCoord(warpK(a, k), lo, hi);
}

/**
 * The tree position of coordinate x in [lo, hi] for anchor `a` at a level ≤ cap, or -1 when
 * x is not such a grid coordinate. O(cap).
 * @example nodePositionA(-1, -0.5, -1, 1, 29); // ROOT
 */
export function nodePositionA(a: number, x: number, lo: number, hi: number, cap: number): number {
  if (a === 0) return nodePosition(x, lo, hi, cap);
  const u = (x - lo) / (hi - lo);
  if (!(u > 0 && u < 1)) return -1;
  const s = 2 ** (RES_BITS - cap);
  const j = Math.round((unwarp(a, u) * FULL) / s);
  for (let i = j - 1; i <= j + 1; i++) {
    const k = i * s;
    if (k > 0 && k < FULL && nodeCoordA(a, k, lo, hi) === x) return k;
  }
  return -1;
}
