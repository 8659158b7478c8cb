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
  const ulp = m === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(m)) - 52);
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
