/**
 * LearnerND's state: one object of fixed shape (every field is set in the constructor, so
 * V8 gives it one hidden class), struct-of-arrays in typed arrays grown by doubling. The
 * module functions of this folder take it as their first argument (sorted-btree's
 * `extended/` shows the route); `LearnerND` holds one and delegates to them.
 */

import { TriangulationND } from '../../geometry/triangulation-nd.js';
import { IndexedHeap } from '../../queue/heap.js';
import type { TieKeys } from '../../queue/types.js';
import type { LossValueND, SimplexLoss } from '../losses-nd.js';
import type { Domain } from './domain.js';

/** +Infinity, short. */
export const INF = Number.POSITIVE_INFINITY;
/** The kind of a finite (real) simplex slot in a TriangulationND (`tri.kinds`). */
export const FINITE = 1;

// Per-simplex flags (`sFlag`).
/** The simplex's entry in the real-loss queue is stale. */
export const DIRTY_R = 1;
/** The simplex's entries in the combined queue (itself or its sub-simplices) are stale. */
export const DIRTY_C = 2;
/** The simplex's sub-triangulation must be built again from its pending points. */
export const REBUILD = 4;

/** Which loss the fast paths compute inline: none (the loss function is called), */
export const LOSS_CALLED = 0;
/** defaultLossND (the simplex's volume in the graph), */
export const LOSS_DEFAULT = 1;
/** or uniformLossND (its volume). */
export const LOSS_UNIFORM = 2;
/** One of LOSS_CALLED, LOSS_DEFAULT, LOSS_UNIFORM. */
export type FastLoss = 0 | 1 | 2;

/** Initial capacities (all grow by doubling). */
const DATA_CAP0 = 16;
const PENDING_CAP0 = 16;
const MEMBER_CAP0 = 16;
const SIMPLEX_CAP0 = 64;
const REGISTRY_CAP0 = 16;
const TABLE_CAP0 = 64;
const DIRTY_CAP0 = 64;
const TRI_CAP0 = 64;

/** The state of one LearnerND (see the module comment). */
export class NDState {
  // The domain (see domain.ts), copied here so hot loops read one object.
  readonly dim: number;
  /** d + 1, the vertices of a simplex. */
  readonly k: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly invW: Float64Array;
  readonly org: Float64Array;
  readonly pre: Float64Array;
  readonly planes: Float64Array | null;
  readonly planeTol: Float64Array | null;
  readonly facetX: Float64Array | null;
  readonly facetIp: Int32Array | null;
  readonly facetPlane: Int32Array | null;
  readonly resolution: number;
  readonly boundPts: Float64Array;
  readonly nBound: number;
  readonly boundByHash: Map<number, number[]>;
  readonly bounds: readonly (readonly [number, number])[];
  readonly hull: readonly (readonly number[])[] | null;
  /** The integer dimensions as 0/1 flags, or null off a lattice (lattice.ts; set once, after the constructor). */
  integer: Uint8Array | null = null;
  /** The number of lattice points (+Infinity with a continuous dimension). */
  latticeSize = Number.POSITIVE_INFINITY;
  /** Whether every dimension is integer: the lattice is finite, and `done()` true when it is full. */
  latticePure = false;
  /**
   * On a small pure lattice: per dimension, the factor lcm(spans) / span that makes a lattice
   * point's integers (x − lo)·factor a uniformly scaled copy of its scaled coordinates; the
   * triangulation's predicates then read those integers (`TriangulationND.useLattice`). Null
   * otherwise.
   */
  latticeFactor: Float64Array | null = null;

  // The loss.
  readonly lossFunction: SimplexLoss;
  /** The loss's nthNeighbors (0 or 1). */
  readonly nn: number;
  readonly fast: FastLoss;
  /** recomputeLossesFactor. */
  readonly factor: number;
  readonly tri: TriangulationND;

  // Evaluated points: coordinates, values, triangulation vertex.
  nData = 0;
  dCap = 0;
  dataX: Float64Array = new Float64Array(0);
  dataY: Float64Array = new Float64Array(0);
  dataVert: Int32Array = new Int32Array(0);
  vertData: Int32Array = new Int32Array(0);
  vHash: Float64Array = new Float64Array(0); // by triangulation vertex
  vdim = 0; // 0 until the first value
  vector = false;

  // Point table: coordinates → 2·data index or 2·pending slot + 1 (linear probing).
  pmKeys: Int32Array = new Int32Array(TABLE_CAP0).fill(-1);
  pmHash: Uint32Array = new Uint32Array(TABLE_CAP0);
  pmCount = 0;

  // Pending points: slots with coordinates, an order list and their memberships.
  pCap = 0;
  pX: Float64Array = new Float64Array(0);
  pS: Float64Array = new Float64Array(0); // scaled
  pHashv: Float64Array = new Float64Array(0);
  pHint: Int32Array = new Int32Array(0);
  pPrev: Int32Array = new Int32Array(0);
  pNext: Int32Array = new Int32Array(0);
  pMem: Int32Array = new Int32Array(0); // first membership
  pStamp: Int32Array = new Int32Array(0);
  pFree: number[] = [];
  pUsed = 0;
  pHead = -1;
  pTail = -1;
  nPending = 0;
  nBoundData = 0;
  nBoundPending = 0;
  boundCursor = 0;

  // Memberships: pending point j lies in real simplex s (two singly linked chains).
  mCap = 0;
  mPend: Int32Array = new Int32Array(0);
  mSimp: Int32Array = new Int32Array(0);
  mNextS: Int32Array = new Int32Array(0);
  mNextP: Int32Array = new Int32Array(0);
  mIncl: Uint8Array = new Uint8Array(0);
  mFree: number[] = [];
  mUsed = 0;

  // Per simplex slot.
  sCap = 0;
  sLoss: Float64Array = new Float64Array(0);
  sVol: Float64Array = new Float64Array(0);
  sHash: Float64Array = new Float64Array(0);
  sPend: Int32Array = new Int32Array(0);
  sSub: Int32Array = new Int32Array(0);
  sFlag: Uint8Array = new Uint8Array(0);
  sStamp: Int32Array = new Int32Array(0);
  dirtyR: Int32Array = new Int32Array(DIRTY_CAP0);
  nDirtyR = 0;
  dirtyC: Int32Array = new Int32Array(DIRTY_CAP0);
  dirtyC2: Int32Array = new Int32Array(DIRTY_CAP0);
  nDirtyC = 0;
  stamp = 0;

  // Queues: qReal holds every simplex (for loss()); qComb the simplices without pending
  // points (id 2s) and the sub-simplices (id 2g + 1), for ask and loss({ real: false }).
  tiesR: TieKeys = { tie: new Float64Array(0) };
  tiesC: TieKeys = { tie: new Float64Array(0) };
  readonly qReal: IndexedHeap;
  readonly qComb: IndexedHeap;

  // Sub-triangulations (pooled) and the registry of their simplices.
  subTri: (TriangulationND | null)[] = [];
  subOwner: number[] = [];
  subVP: Int32Array[] = []; // sub vertex → pending slot (-1 for the real vertices)
  subG: Int32Array[] = []; // sub slot → registry id
  subFree: number[] = [];
  pool: TriangulationND[] = [];
  gCap = 0;
  gSub: Int32Array = new Int32Array(0);
  gSlot: Int32Array = new Int32Array(0);
  gFree: number[] = [];
  gUsed = 0;

  // Output scale.
  yMin = INF;
  yMax = -INF;
  oldScale = 0;
  mult = 1;
  unit = 1; // a power of two the values are multiplied by before mult (see setMultiplier)
  /** The jump, in the losses' value units, that a non-finite value makes (see mixedLoss). */
  jump = 0;

  rng = { s: 1 };

  /** The loss improvement of the last point `askOne` made. */
  lastImprovement = 0;
  /** The simplex the last interpolation ended in (where the next walk starts). */
  interpHint = -1;
  /** While a snapshot's points are replayed: losses are put back afterwards. */
  restoring = false;
  /**
   * The first error of a user loss function during an update: the update completes (that
   * simplex's loss is then its volume), and the public call throws it afterwards.
   */
  lossError: Error | null = null;

  // Scratch.
  readonly qx: Float64Array;
  readonly qs: Float64Array;
  readonly ord: Int32Array;
  P: Float64Array; // (d + 2) rows of d + vdim (resized with vdim)
  PO: Float64Array; // original coordinates of a simplex, (d + 1) rows
  readonly edge = new Int32Array(2);
  readonly lossX: Float64Array[];
  lossY: LossValueND[];
  readonly nbX: (Float64Array | null)[];
  nbY: (LossValueND | null)[];
  readonly nbBuf: Float64Array[];
  nbYBuf: Float64Array[] = [];
  /** The mean of a simplex's finite values (see mixedLoss), vdim entries. */
  lossMean: Float64Array = new Float64Array(1);
  readonly bary: Float64Array;
  readonly list: number[] = [];
  readonly unbound: number[] = [];

  /** A state with no data on domain `dom`, for a loss already checked. */
  constructor(dom: Domain, loss: SimplexLoss, nn: number, fast: FastLoss, factor: number) {
    const d = dom.dim;
    this.dim = d;
    this.k = d + 1;
    this.lo = dom.lo;
    this.hi = dom.hi;
    this.invW = dom.invW;
    this.org = dom.org;
    this.pre = dom.pre;
    this.planes = dom.planes;
    this.planeTol = dom.planeTol;
    this.facetX = dom.facetX;
    this.facetIp = dom.facetIp;
    this.facetPlane = dom.facetPlane;
    this.resolution = dom.resolution;
    this.boundPts = dom.boundPts;
    this.nBound = dom.nBound;
    this.boundByHash = dom.boundByHash;
    this.bounds = dom.bounds;
    this.hull = dom.hull;
    this.lossFunction = loss;
    this.nn = nn;
    this.fast = fast;
    this.factor = factor;
    this.tri = new TriangulationND(d, TRI_CAP0);
    this.qReal = new IndexedHeap(this.tiesR);
    this.qComb = new IndexedHeap(this.tiesC);
    this.qx = new Float64Array(d);
    this.qs = new Float64Array(d);
    this.ord = new Int32Array(d + 2);
    this.P = new Float64Array((d + 2) * (d + 1));
    this.PO = new Float64Array((d + 1) * d);
    this.lossX = Array.from({ length: d + 1 }, () => new Float64Array(d));
    this.lossY = new Array(d + 1).fill(0);
    this.nbX = new Array(d + 1).fill(null);
    this.nbY = new Array(d + 1).fill(null);
    this.nbBuf = Array.from({ length: d + 1 }, () => new Float64Array(d));
    this.bary = new Float64Array(d + 1);
    growData(this, DATA_CAP0);
    growPending(this, PENDING_CAP0);
    growMembers(this, MEMBER_CAP0);
    growSimplices(this, SIMPLEX_CAP0);
    growRegistry(this, REGISTRY_CAP0);
  }
}

/** A copy of `a` in a new array of `size` elements (the rest zero, or `fill`). */
function grownF64(a: Float64Array, size: number): Float64Array {
  const r = new Float64Array(size);
  r.set(a);
  return r;
}

function grownI32(a: Int32Array, size: number, fill = 0): Int32Array {
  const r = new Int32Array(size);
  if (fill !== 0) r.fill(fill);
  r.set(a);
  return r;
}

function grownU8(a: Uint8Array, size: number): Uint8Array {
  const r = new Uint8Array(size);
  r.set(a);
  return r;
}

/** The doubled capacity, at least `floor` and at least `min`. */
function doubled(cap: number, floor: number, min: number): number {
  let c = Math.max(floor, cap * 2);
  while (c < min) c *= 2;
  return c;
}

/** Grows the evaluated points' arrays to hold at least `min` points. */
export function growData(st: NDState, min: number): void {
  const cap = doubled(st.dCap, DATA_CAP0, min);
  st.dataX = grownF64(st.dataX, cap * st.dim);
  if (st.vdim > 0) st.dataY = grownF64(st.dataY, cap * st.vdim);
  st.dataVert = grownI32(st.dataVert, cap);
  st.vertData = grownI32(st.vertData, cap);
  st.vHash = grownF64(st.vHash, cap);
  st.dCap = cap;
}

/** Grows the pending points' slots to at least `min`. */
export function growPending(st: NDState, min: number): void {
  const cap = doubled(st.pCap, PENDING_CAP0, min);
  const d = st.dim;
  st.pX = grownF64(st.pX, cap * d);
  st.pS = grownF64(st.pS, cap * d);
  st.pHashv = grownF64(st.pHashv, cap);
  st.pHint = grownI32(st.pHint, cap);
  st.pPrev = grownI32(st.pPrev, cap);
  st.pNext = grownI32(st.pNext, cap);
  st.pMem = grownI32(st.pMem, cap);
  st.pStamp = grownI32(st.pStamp, cap);
  st.pCap = cap;
}

/** Grows the membership records to at least `min`. */
export function growMembers(st: NDState, min: number): void {
  const cap = doubled(st.mCap, MEMBER_CAP0, min);
  st.mPend = grownI32(st.mPend, cap);
  st.mSimp = grownI32(st.mSimp, cap);
  st.mNextS = grownI32(st.mNextS, cap);
  st.mNextP = grownI32(st.mNextP, cap);
  st.mIncl = grownU8(st.mIncl, cap);
  st.mCap = cap;
}

/** Grows the per-simplex arrays to at least `min` slots. */
export function growSimplices(st: NDState, min: number): void {
  const cap = doubled(st.sCap, SIMPLEX_CAP0, min);
  st.sLoss = grownF64(st.sLoss, cap);
  st.sVol = grownF64(st.sVol, cap);
  st.sHash = grownF64(st.sHash, cap);
  st.sPend = grownI32(st.sPend, cap, -1);
  st.sSub = grownI32(st.sSub, cap, -1);
  st.sStamp = grownI32(st.sStamp, cap);
  st.sFlag = grownU8(st.sFlag, cap);
  st.tiesR.tie = grownF64(st.tiesR.tie, cap);
  st.sCap = cap;
  growTieC(st);
}

/** Grows the sub-simplex registry to at least `min` ids. */
export function growRegistry(st: NDState, min: number): void {
  const cap = doubled(st.gCap, REGISTRY_CAP0, min);
  st.gSub = grownI32(st.gSub, cap);
  st.gSlot = grownI32(st.gSlot, cap);
  st.gCap = cap;
  growTieC(st);
}

/** The combined queue's tie keys cover ids 2s and 2g + 1. */
function growTieC(st: NDState): void {
  const need = 2 * Math.max(st.sCap, st.gCap) + 2;
  if (st.tiesC.tie.length >= need) return;
  st.tiesC.tie = grownF64(st.tiesC.tie, need);
}

/** Grows the per-simplex arrays to the triangulation's slot capacity. */
export function ensureSimplexCap(st: NDState): void {
  const c = st.tri.slotCapacity;
  if (c > st.sCap) growSimplices(st, c);
}

/** Fixes the value shape at the first value: `len` components, 0 for a number. */
export function setShape(st: NDState, len: number): void {
  st.vector = len > 0;
  st.vdim = len > 0 ? len : 1;
  st.dataY = new Float64Array(st.dCap * st.vdim);
  const d = st.dim;
  st.lossY = Array.from({ length: d + 1 }, () => (st.vector ? new Float64Array(st.vdim) : 0));
  st.nbYBuf = Array.from({ length: d + 1 }, () => new Float64Array(st.vdim));
  st.lossMean = new Float64Array(st.vdim);
  st.P = new Float64Array((d + 2) * (d + st.vdim));
}

/** The length of the vector output, 1 for scalar output or before any data. */
export function outputDimensionOf(st: NDState): number {
  return st.vdim === 0 ? 1 : st.vdim;
}
