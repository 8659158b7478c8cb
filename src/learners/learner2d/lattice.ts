/**
 * Learner2D on a lattice (`integer: [bool, bool]`, python-adaptive #72): the continuum's
 * choice in a triangle moved to the nearest free lattice point of the closed triangle
 * (`latticePoint` of `../lattice.ts`); with both dimensions integer, a triangle with no
 * lattice point besides its vertices (area 1/2, Pick's theorem) has loss 0 and is not in
 * the loss heap at all (as Learner1D's intervals: the heap holds what can still be split), and
 * the learner is done when every lattice point is evaluated. A small pure lattice's
 * triangulations take their signs from the integers (`geometry/lattice-predicates.ts`). With one continuous dimension every triangle
 * holds free points (it meets an integer line in a segment), so only the asks move.
 *
 * Invariant: on a lattice every vertex (evaluated or pending) is a lattice point, so every
 * known point of a closed triangle of the combined triangulation is one of its vertices.
 */

import { LATTICE_EXACT_SPAN, latticeMap } from '../../geometry/lattice-predicates.js';
import {
  checkIntegerBounds,
  checkSnapshotInteger,
  latticePoint,
  latticeSize,
  onLattice,
  parseIntegerFlags,
  triangleHasLatticePoint,
} from '../lattice.js';
import type { Learner2DState, MeshLosses } from './state.js';

const V = new Float64Array(6);
const P = new Float64Array(2);
const S = new Float64Array(2);
const OUT = new Float64Array(2);

/**
 * Checks the `integer` option against the bounds and sets it on a new state.
 * @throws TypeError for a malformed option, RangeError for bounds with no lattice point.
 */
export function setLattice(st: Learner2DState, integer: unknown): void {
  const flags = parseIntegerFlags('Learner2D', integer, 2);
  if (flags === null) return;
  const b = st.bounds;
  for (let j = 0; j < 2; j++) {
    if (flags[j] === 0) continue;
    const [lo, hi] = b[j] as readonly [number, number];
    checkIntegerBounds(`Learner2D: integer[${j}] is true`, `${j === 0 ? 'x' : 'y'} bounds`, lo, hi);
  }
  st.integer = flags;
  st.latticeSize = latticeSize([b[0][0], b[1][0]], [b[0][1], b[1][1]], flags);
  // A small pure lattice: the triangulations' signs from the integers (exact and fast on its
  // many cocircular quadruples).
  if (
    flags[0] === 1 &&
    flags[1] === 1 &&
    st.px <= LATTICE_EXACT_SPAN &&
    st.py <= LATTICE_EXACT_SPAN
  )
    st.store.lattice = latticeMap(st.x0, st.x1, st.y0, st.y1);
}

/** The same lattice on another state (a copy, a fresh state for restore), before any point. */
export function copyLattice(from: Learner2DState, to: Learner2DState): void {
  to.integer = from.integer;
  to.latticeSize = from.latticeSize;
  to.store.lattice = from.store.lattice;
}

/** The `integer` option as given, for snapshots and new(): [bool, bool], or undefined. */
export function integerOption(st: Learner2DState): [boolean, boolean] | undefined {
  const f = st.integer;
  return f === null ? undefined : [f[0] === 1, f[1] === 1];
}

/** Throws a TypeError naming (x, y) when it is not on the lattice. */
export function checkLatticePoint2D(st: Learner2DState, x: number, y: number, what: string): void {
  const f = st.integer;
  if (f === null) return;
  P[0] = x;
  P[1] = y;
  if (onLattice(P, f)) return;
  throw new TypeError(
    `Learner2D.${what}: point [${x}, ${y}] is not on the lattice (integer: [${f[0] === 1}, ${f[1] === 1}]: ${f[0] === 1 && f[1] === 1 ? 'x and y' : f[0] === 1 ? 'x' : 'y'} must be integers)`,
  );
}

/** The lattice points neither evaluated nor pending (+Infinity with a continuous dimension). */
export function freeLatticePoints(st: Learner2DState): number {
  return st.latticeSize - st.nReal - st.nPending;
}

/** Whether every lattice point is evaluated (false off a pure lattice). O(1). */
export function latticeDone(st: Learner2DState): boolean {
  return st.nReal === st.latticeSize;
}

/**
 * Moves the continuum's choice (x, y) in triangle (a, b, c) to the nearest free lattice point
 * of the closed triangle: sets chosenX, chosenY; false when the triangle has none.
 */
export function snapToLattice(
  st: Learner2DState,
  a: number,
  b: number,
  c: number,
  x: number,
  y: number,
): boolean {
  const xo = st.xo;
  V[0] = xo[2 * a] as number;
  V[1] = xo[2 * a + 1] as number;
  V[2] = xo[2 * b] as number;
  V[3] = xo[2 * b + 1] as number;
  V[4] = xo[2 * c] as number;
  V[5] = xo[2 * c + 1] as number;
  P[0] = x;
  P[1] = y;
  S[0] = 1 / st.px;
  S[1] = 1 / st.py;
  if (!latticePoint(V, 2, st.integer as Uint8Array, P, S, OUT)) return false;
  // Within the bounds (a slice centroid is within the triangle's box up to rounding).
  st.chosenX = Math.max(st.x0, Math.min(st.x1, OUT[0] as number)) + 0;
  st.chosenY = Math.max(st.y0, Math.min(st.y1, OUT[1] as number)) + 0;
  return true;
}

/** Whether both dimensions are integer: then a triangle can run out of free points. */
export function pureLattice(st: Learner2DState): boolean {
  const f = st.integer;
  return f !== null && f[0] === 1 && f[1] === 1;
}

/** Whether live triangle t of ms holds no lattice point besides its vertices (pure lattice). */
export function latticeEmpty(st: Learner2DState, ms: MeshLosses, t: number): boolean {
  const tv = ms.mesh.tv;
  const xo = st.xo;
  const a = tv[3 * t] as number;
  const b = tv[3 * t + 1] as number;
  const c = tv[3 * t + 2] as number;
  return !triangleHasLatticePoint(
    xo[2 * a] as number,
    xo[2 * a + 1] as number,
    xo[2 * b] as number,
    xo[2 * b + 1] as number,
    xo[2 * c] as number,
    xo[2 * c + 1] as number,
  );
}

/**
 * Whether live finite triangle t of ms holds no free lattice point (pure lattice only): such a
 * triangle is left out of the loss heap (its loss is 0; the heap holds the triangles that
 * can still be split, so that neither a read of the top nor the ask's walk meets the many
 * empty ones). A prefilter on the scaled coordinates of the records (which the losses just
 * read, so in cache; the coordinates as told are not): twice the area in lattice units is
 * cross · px · py, within rounding of an integer, and a triangle whose value is 2 or more
 * holds a lattice point besides its vertices (Pick); the few left are judged exactly
 * (latticeEmpty).
 */
export function emptyTriangle(st: Learner2DState, ms: MeshLosses, t: number): boolean {
  const tv = ms.mesh.tv;
  const rec = st.store.xy;
  const stride = st.stride;
  const pp = st.px * st.py;
  const a = stride * (tv[3 * t] as number);
  const b = stride * (tv[3 * t + 1] as number);
  const c = stride * (tv[3 * t + 2] as number);
  const ax = rec[a] as number;
  const ay = rec[a + 1] as number;
  const cross =
    ((rec[b] as number) - ax) * ((rec[c + 1] as number) - ay) -
    ((rec[b + 1] as number) - ay) * ((rec[c] as number) - ax);
  // The scaled cross product's rounding (coordinates of magnitude ≤ 1/2) in lattice units.
  if (Math.abs(cross) * pp >= 1.5 + 1e-14 * pp) return false;
  return latticeEmpty(st, ms, t);
}

/** {@link emptyTriangle}, computed once per live triangle (`ms.empty`; room made by the caller). */
export function emptyCached(st: Learner2DState, ms: MeshLosses, t: number): boolean {
  let e = ms.empty[t] as number;
  if (e === 0) {
    e = emptyTriangle(st, ms, t) ? 1 : 2;
    ms.empty[t] = e;
  }
  return e === 1;
}

/**
 * Takes the triangles with no free lattice point out of the dirty list[0..n) (and out of the
 * heap, marked {@link EMPTY_MARK}): their loss is not computed. Returns how many are left, in
 * order.
 */
export function dropEmptyTriangles(
  st: Learner2DState,
  ms: MeshLosses,
  list: Int32Array,
  n: number,
): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const t = list[i] as number;
    if (emptyCached(st, ms, t)) {
      ms.tdirty[t] = EMPTY_MARK;
      ms.heap.delete(t);
    } else list[m++] = t;
  }
  return m;
}

/**
 * The dirty mark (`MeshLosses.tdirty`) of a triangle with no free lattice point: it stays
 * while the triangle lives, so the loss updates, which mark the triangles around each changed
 * vertex, pass over it (on a filled lattice about a third of what they meet) instead of
 * listing it and dropping it again at every flush. Every insertion goes through `afterInsert`,
 * whose {@link forgetEmpty} clears the mark of each id the mesh gives to a new triangle, and a
 * triangulation built afresh (a restore, a renumbering) starts with no marks.
 */
export const EMPTY_MARK = 2;

/** Forgets what is known of triangles[0..n) (new triangles reuse the ids of removed ones). */
export function forgetEmpty(ms: MeshLosses, triangles: Int32Array, n: number): void {
  if (ms.empty.length < ms.mesh.capacity) growEmpty(ms);
  const tdirty = ms.tdirty;
  for (let i = 0; i < n; i++) {
    const t = triangles[i] as number;
    ms.empty[t] = 0;
    if (t < tdirty.length && tdirty[t] === EMPTY_MARK) tdirty[t] = 0;
  }
}

/** Makes room in `ms.empty` for every triangle id of the mesh. */
export function growEmpty(ms: MeshLosses): void {
  const e = new Uint8Array(ms.mesh.tv.length / 3);
  e.set(ms.empty);
  ms.empty = e;
}

/** The snapshot's `integer` entry: written on a lattice only (continuum snapshots unchanged). */
export function latticeSnapshot(st: Learner2DState): { integer?: [boolean, boolean] } {
  const o = integerOption(st);
  return o === undefined ? {} : { integer: o };
}

/**
 * Checks a snapshot's `integer` entry against this learner's and returns whether a point
 * (x, y) of it is on this learner's lattice (always true off a lattice).
 */
export function checkSnapshotLattice(
  st: Learner2DState,
  integer: unknown,
  bad: (msg: string) => never,
): (x: number, y: number) => boolean {
  checkSnapshotInteger(st.integer, 2, integer, bad);
  const f = st.integer;
  if (f === null) return () => true;
  return (x, y) => (f[0] === 0 || Number.isInteger(x)) && (f[1] === 0 || Number.isInteger(y));
}
