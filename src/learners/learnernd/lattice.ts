/**
 * LearnerND on a lattice (`integer: boolean[]`, one flag per dimension; python-adaptive #72):
 * the continuum's choice in a simplex or sub-simplex moved to the nearest free lattice point
 * of it (`latticePoint` of `../lattice.ts`); a simplex (or sub-simplex) with no lattice point
 * besides its vertices has loss 0. With every dimension integer, `ask` hands out at most the
 * free lattice points, and the learner is done when every one is evaluated; with a
 * continuous dimension left the lattice is infinite and `done` stays undefined, as in the
 * continuum, but its empty simplices (slivers between lattice lines that meet them only at
 * their vertices) are common: each would otherwise be searched again at every ask.
 *
 * The loss 0 is set lazily, where an entry reaches the top of a queue (`ask`, `loss()`): the
 * search costs more than a loss (O(d³) at best, a walk over the simplex's lattice sites at
 * worst), and most simplices are split before they could run out of lattice points. So
 * `loss()` is the largest loss of the simplices that still hold a free lattice point, as if
 * every empty one had loss 0 (the snapshot writes it so); a recomputation of all losses (the
 * value range grew) gives the empty ones their loss back until they reach the top again. A
 * box only: a hull's vertices are its first points, and need not be lattice points.
 *
 * Invariant: on a lattice every evaluated and pending point is a lattice point, and every
 * known point of a closed (sub-)simplex is one of its vertices.
 */
import { integerExact } from '../../geometry/predicates-nd.js';
import type { TriangulationND } from '../../geometry/triangulation-nd.js';
import {
  checkIntegerBounds,
  checkSnapshotInteger,
  integerOption,
  latticePoint,
  latticeSearchGaveUp,
  latticeSize,
  onLattice,
  parseIntegerFlags,
} from '../lattice.js';
import { describe } from '../validate.js';
import type { NDState } from './state.js';

// Scratch: a simplex's vertices as told, and its centroid.
let VO = new Float64Array(12);
let C = new Float64Array(3);
let OUT = new Float64Array(3);

/**
 * Checks the `integer` option against the domain and sets it on a new state.
 * @throws TypeError for a malformed option or a hull, RangeError for bounds with no lattice point.
 */
export function setLatticeND(st: NDState, integer: unknown): void {
  const flags = parseIntegerFlags('LearnerND', integer, st.dim);
  if (flags === null) return;
  if (st.hull !== null) {
    throw new TypeError(
      'LearnerND: integer needs a box (bounds): the vertices of a hull are its first points, and need not be lattice points',
    );
  }
  for (let j = 0; j < st.dim; j++) {
    if (flags[j] === 0) continue;
    const [lo, hi] = st.bounds[j] as readonly [number, number];
    checkIntegerBounds(`LearnerND: integer[${j}] is true`, `bounds[${j}]`, lo, hi);
  }
  st.integer = flags;
  st.latticeSize = latticeSize(st.lo, st.hi, flags);
  st.latticePure = st.latticeSize !== Number.POSITIVE_INFINITY;
  if (st.latticePure) setLatticeFactor(st);
}

/**
 * On a pure lattice in 2 or 3 dimensions whose integers (x − lo)·lcm(spans)/span are small
 * enough for the plain determinants to be exact (`integerExact`: lcm ≤ 5234 in 2-D, 659 in
 * 3-D): the factors of {@link NDState.latticeFactor}, and the triangulation switched to
 * predicates on those integers. Larger integers would take robust-predicates' adaptive
 * stages on every exact zero (measured: [0, 10⁶]³ 28 µs a point against 18 on the stored
 * coordinates), so larger lattices, and more dimensions, keep the stored coordinates.
 */
function setLatticeFactor(st: NDState): void {
  const d = st.dim;
  let m = 1;
  for (let j = 0; j < d; j++) {
    const span = (st.hi[j] as number) - (st.lo[j] as number);
    m = (m / gcd(m, span)) * span;
    if (!integerExact(d, m)) return;
  }
  const f = new Float64Array(d);
  for (let j = 0; j < d; j++) f[j] = m / ((st.hi[j] as number) - (st.lo[j] as number));
  st.latticeFactor = f;
  st.tri.useLattice(m);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Writes data point i's lattice integers ((x − lo)·factor) to `out`, for the triangulation. */
export function latticeIntegers(st: NDState, i: number, out: Float64Array): void {
  const f = st.latticeFactor as Float64Array;
  const d = st.dim;
  for (let j = 0; j < d; j++)
    out[j] = ((st.dataX[i * d + j] as number) - (st.lo[j] as number)) * (f[j] as number);
}

/** Throws a TypeError naming the point when x (checked, in the domain) is off the lattice. */
export function checkLatticeND(
  st: NDState,
  x: ArrayLike<number>,
  point: unknown,
  what: string,
): void {
  const f = st.integer;
  if (f === null || onLattice(x, f)) return;
  const dims: number[] = [];
  for (let j = 0; j < f.length; j++) if (f[j] !== 0) dims.push(j);
  throw new TypeError(
    `LearnerND.${what}: point ${describe(point)} is not on the lattice (coordinates ${dims.join(', ')} must be integers)`,
  );
}

/** The lattice points neither evaluated nor pending (+Infinity with a continuous dimension). */
export function freeLatticePointsND(st: NDState): number {
  return st.latticeSize - st.nData - st.nPending;
}

/** Whether every lattice point is evaluated (false with a continuous dimension). O(1). */
export function latticeDoneND(st: NDState): boolean {
  return st.nData === st.latticeSize;
}

function reserve(d: number): void {
  if (C.length >= d) return;
  VO = new Float64Array((d + 1) * d);
  C = new Float64Array(d);
  OUT = new Float64Array(d);
}

/**
 * Moves the continuum's choice in st.qx to the nearest free lattice point of the simplex whose
 * vertices (as told) are in st.PO; false when it has none.
 */
export function snapND(st: NDState): boolean {
  const d = st.dim;
  reserve(d);
  if (!latticePoint(st.PO, d, st.integer as Uint8Array, st.qx, st.invW, C)) return false;
  for (let j = 0; j < d; j++) {
    st.qx[j] = Math.min(Math.max(C[j] as number, st.lo[j] as number), st.hi[j] as number) + 0;
  }
  return true;
}

/**
 * On a pure lattice: whether real simplex s lies in one unit cell (its vertices' coordinates
 * differ by at most 1 in every dimension). Each lattice point of the cell is a corner of it,
 * an extreme point, so the simplex holds none besides its vertices: most simplices of a
 * filled lattice (15 058 of the 16 821 empty ones searched on [0, 19]³). O(k·d).
 */
export function unitCellSimplex(st: NDState, s: number): boolean {
  const d = st.dim;
  const k = st.k;
  const V = st.tri.verts;
  const o0 = (st.vertData[V[s * k] as number] as number) * d;
  for (let j = 0; j < d; j++) {
    const c0 = st.dataX[o0 + j] as number;
    let mn = c0;
    let mx = c0;
    for (let i = 1; i < k; i++) {
      const c = st.dataX[(st.vertData[V[s * k + i] as number] as number) * d + j] as number;
      if (c < mn) mn = c;
      else if (c > mx) mx = c;
    }
    if (mx - mn > 1) return false;
  }
  return true;
}

/** Whether the simplex in VO (k rows as told) holds no lattice point besides its vertices. */
function emptyVO(st: NDState): boolean {
  const d = st.dim;
  const k = d + 1;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += VO[i * d + j] as number;
    C[j] = s / k;
  }
  return !latticePoint(VO, d, st.integer as Uint8Array, C, st.invW, OUT) && !latticeSearchGaveUp();
}

/**
 * Whether real simplex s holds no lattice point besides its vertices (every dimension
 * integer): its loss is then 0.
 */
export function emptySimplex(st: NDState, s: number): boolean {
  const d = st.dim;
  const k = st.k;
  reserve(d);
  const V = st.tri.verts;
  for (let i = 0; i < k; i++) {
    const o = (st.vertData[V[s * k + i] as number] as number) * d;
    for (let j = 0; j < d; j++) VO[i * d + j] = st.dataX[o + j] as number;
  }
  return emptyVO(st);
}

/** Whether sub-simplex `slot` of sub-triangulation `idx` holds no free lattice point. */
export function emptySubSimplex(st: NDState, idx: number, slot: number): boolean {
  const d = st.dim;
  const k = st.k;
  reserve(d);
  const t = st.subTri[idx] as TriangulationND;
  const s = st.subOwner[idx] as number;
  const vp = st.subVP[idx] as Int32Array;
  const RV = st.tri.verts;
  for (let i = 0; i < k; i++) {
    const u = t.verts[slot * k + i] as number;
    let src: Float64Array;
    let o: number;
    if (u < k) {
      src = st.dataX;
      o = (st.vertData[RV[s * k + u] as number] as number) * d;
    } else {
      src = st.pX;
      o = (vp[u] as number) * d;
    }
    for (let j = 0; j < d; j++) VO[i * d + j] = src[o + j] as number;
  }
  return emptyVO(st);
}

/** The snapshot's `integer` entry: written on a lattice only (continuum snapshots unchanged). */
export function latticeSnapshotND(st: NDState): { integer?: boolean[] } {
  const o = integerOption(st.integer);
  return o === undefined ? {} : { integer: o };
}

/** Refuses a snapshot taken with another `integer` option than this learner's. */
export function checkSnapshotLatticeND(
  st: NDState,
  integer: unknown,
  bad: (msg: string) => never,
): void {
  checkSnapshotInteger(st.integer, st.dim, integer, bad);
}

/**
 * Whether combined-queue entry `id` (real simplex 2s, sub-simplex 2g + 1) holds no free
 * lattice point (a full search, not one that gave up); a real simplex then gets loss 0 in
 * the real queue too. Its combined key is the caller's to set.
 */
export function latticeEmptied(st: NDState, id: number): boolean {
  if ((id & 1) === 0) {
    const s = id >> 1;
    if (!emptySimplex(st, s)) return false;
    zeroReal(st, s);
    return true;
  }
  const g = id >> 1;
  return emptySubSimplex(st, st.gSub[g] as number, st.gSlot[g] as number);
}

/** Real simplex s has no free lattice point: loss 0, in the real queue (and combined, if there). */
function zeroReal(st: NDState, s: number): void {
  st.sLoss[s] = 0;
  if (st.qReal.has(s)) st.qReal.set(s, 0);
  if (st.qComb.has(2 * s)) st.qComb.set(2 * s, 0);
}

/**
 * The real (or combined) loss on a lattice: 0 when every lattice point is known (a full one);
 * else the queue's top after the entries at the top with no free lattice point got loss 0
 * (queues flushed by the caller). Amortised O(1) searches per entry zeroed.
 */
export function latticeLoss(st: NDState, real: boolean): number {
  if (st.nData + (real ? 0 : st.nPending) === st.latticeSize) return 0;
  if (real) {
    const q = st.qReal;
    for (;;) {
      const top = q.peek();
      if (top < 0) return Number.POSITIVE_INFINITY;
      const l = st.sLoss[top] as number;
      if (!(l > 0) || !emptySimplex(st, top)) return l;
      zeroReal(st, top);
    }
  }
  const q = st.qComb;
  for (;;) {
    const top = q.peek();
    if (top < 0) return Number.POSITIVE_INFINITY;
    const l = q.key(top);
    if (!(l > 0) || !latticeEmptied(st, top)) return l;
    q.set(top, 0);
  }
}
