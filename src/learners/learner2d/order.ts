/**
 * Learner2D's orders: the Hilbert index (the renumbering's and the bulk insertions' order),
 * the radix sort over it, and the tie rule among equal losses (the triangles' coordinates,
 * never their ids, so that no choice depends on the history).
 */
import type { Delaunay2D } from '../../geometry/delaunay2d.js';
import type { TieOrder } from '../../queue/block-heap.js';

/** The Hilbert grid's side: 2¹⁶ cells per axis. */
const HILBERT_SIDE = 1 << 16;
/** The radix sort's digits: 16 bits, two passes over a 32-bit key. */
export const RADIX = 1 << 16;

/** Spreads the low 16 bits of x to the even bits. */
export function interleave16(x: number): number {
  let r = (x | (x << 8)) & 0x00ff00ff;
  r = (r | (r << 4)) & 0x0f0f0f0f;
  r = (r | (r << 2)) & 0x33333333;
  return (r | (r << 1)) & 0x55555555;
}

/**
 * A 2D Hilbert index of (x, y) in [0, 1]² on a 2¹⁶ grid: an insertion order with short walks.
 * Branch-free, by prefix scans over the bits (the public-domain "fast Hilbert curve" of
 * rawrunprotected); the same index as the classic bit-by-bit loop (xy2d), at a few times the
 * speed (the renumbering computes one per vertex).
 */
export function hilbert(x: number, y: number): number {
  const n = HILBERT_SIDE;
  const X = Math.min(n - 1, Math.max(0, Math.floor(x * n)));
  const Y = Math.min(n - 1, Math.max(0, Math.floor(y * n)));
  let a = X ^ Y;
  let b = 0xffff ^ a;
  let c = 0xffff ^ (X | Y);
  let d = X & (Y ^ 0xffff);
  let A = a | (b >> 1);
  let B = (a >> 1) ^ a;
  let C = (c >> 1) ^ (b & (d >> 1)) ^ c;
  let D = (a & (c >> 1)) ^ (d >> 1) ^ d;
  a = A;
  b = B;
  c = C;
  d = D;
  A = (a & (a >> 2)) ^ (b & (b >> 2));
  B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  C ^= (a & (c >> 2)) ^ (b & (d >> 2));
  D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));
  a = A;
  b = B;
  c = C;
  d = D;
  A = (a & (a >> 4)) ^ (b & (b >> 4));
  B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C ^= (a & (c >> 4)) ^ (b & (d >> 4));
  D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));
  a = A;
  b = B;
  c = C;
  d = D;
  C ^= (a & (c >> 8)) ^ (b & (d >> 8));
  D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));
  a = C ^ (C >> 1);
  b = D ^ (D >> 1);
  const i0 = X ^ Y;
  const i1 = b | (0xffff ^ (i0 | a));
  return ((interleave16(i1) << 1) | interleave16(i0)) >>> 0;
}

/**
 * One stable counting-sort pass of a radix sort: the ids of `from` (n of them, each an index
 * into keys) into `to` by the 16-bit digit of their key at `shift`. Returns `to`. O(n + 2¹⁶).
 */
export function radixPass(
  keys: Uint32Array,
  from: Int32Array,
  to: Int32Array,
  n: number,
  shift: number,
  count: Int32Array,
): Int32Array {
  count.fill(0);
  for (let i = 0; i < n; i++) {
    const d = ((keys[from[i] as number] as number) >>> shift) & 0xffff;
    count[d + 1] = (count[d + 1] as number) + 1;
  }
  for (let d = 1; d <= RADIX; d++) count[d] = (count[d] as number) + (count[d - 1] as number);
  for (let i = 0; i < n; i++) {
    const id = from[i] as number;
    const d = ((keys[id] as number) >>> shift) & 0xffff;
    const p = count[d] as number;
    count[d] = p + 1;
    to[p] = id;
  }
  return to;
}

/** The position (0, 1, 2) of the lexicographically smallest vertex of the triangle at e0. */
export function firstVertex(xy: Float64Array, S: number, tv: Int32Array, e0: number): number {
  let best = 0;
  let bv = tv[e0] as number;
  for (let i = 1; i < 3; i++) {
    const v = tv[e0 + i] as number;
    const dx = (xy[S * v] as number) - (xy[S * bv] as number);
    if (dx < 0 || (dx === 0 && (xy[S * v + 1] as number) < (xy[S * bv + 1] as number))) {
      best = i;
      bv = v;
    }
  }
  return best;
}

/** Whether stored point u comes before w in lexicographic (x, then y) order. */
export function lexBefore(xy: Float64Array, S: number, u: number, w: number): boolean {
  const d = (xy[S * u] as number) - (xy[S * w] as number);
  return d < 0 || (d === 0 && (xy[S * u + 1] as number) < (xy[S * w + 1] as number));
}

/**
 * Whether triangle a comes before triangle b among equal losses: compares their vertices
 * counterclockwise from the lexicographically smallest, coordinate by coordinate (distinct
 * triangles of one triangulation always differ somewhere).
 */
export function canonicalBefore(mesh: Delaunay2D, a: number, b: number): boolean {
  const xy = mesh.store.xy;
  const S = mesh.store.stride;
  const tv = mesh.tv;
  const ra = firstVertex(xy, S, tv, 3 * a);
  const rb = firstVertex(xy, S, tv, 3 * b);
  for (let i = 0; i < 3; i++) {
    const va = tv[3 * a + ((ra + i) % 3)] as number;
    const vb = tv[3 * b + ((rb + i) % 3)] as number;
    const dx = (xy[S * va] as number) - (xy[S * vb] as number);
    if (dx !== 0) return dx < 0;
    const dy = (xy[S * va + 1] as number) - (xy[S * vb + 1] as number);
    if (dy !== 0) return dy < 0;
  }
  return a < b;
}

/**
 * The tie rule of a triangulation's loss heap: {@link canonicalBefore} over its triangles.
 * @example const heap = new BlockLossHeap(new TriangleTieOrder(mesh));
 */
export class TriangleTieOrder implements TieOrder {
  constructor(readonly mesh: Delaunay2D) {}
  before(a: number, b: number): boolean {
    return canonicalBefore(this.mesh, a, b);
  }
}
