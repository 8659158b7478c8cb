/**
 * Learner2D's state: one object of fixed shape (every field set in the constructor) that the
 * module functions of this folder take as their first argument, in the manner of
 * sorted-btree's `extended/`. The class `Learner2D` (`index.ts`) holds one and forwards to
 * them. Also the vertex flags, the per-triangulation loss bookkeeping (`MeshLosses`) and the
 * record layout.
 *
 * Each vertex's numbers live in one record of the point store (scaled x, y, the values, a
 * non-finite marker, the gradient estimates and the sweep's curvature correction), so the
 * neighbourhood walks read one or two cache lines per vertex.
 */
import { Delaunay2D, PointStore2D } from '../../geometry/delaunay2d.js';
import { BlockLossHeap } from '../../queue/block-heap.js';
import { emptyDoubles } from '../../util/grow.js';
import { defaultLoss2D, type TriangleLoss } from '../losses2d.js';
import { flatTolerance, type Hull2D, hullVertexIndex } from './hull.js';
import { TriangleTieOrder } from './order.js';

// Vertex flags.
/** An evaluated vertex. */
export const REAL = 1;
/** A pending vertex (handed out by ask, or told pending). */
export const PENDING = 2;
/** The kind bits: 0 for a free vertex id. */
export const KIND = REAL | PENDING;
/** Evaluated, but at the scaled coordinates of another vertex: not triangulated. */
export const SHADOW = 4;
/** Marked for the real triangulation's next flush. */
export const DIRTY_R = 8;
/** Marked for the combined triangulation's next flush. */
export const DIRTY_C = 16;

/** +Infinity. */
export const INF = Number.POSITIVE_INFINITY;
/** The option keys of Learner2D. */
export const OPTION_KEYS = [
  'bounds',
  'hull',
  'loss',
  'recomputeLossesFactor',
  'gradientSweeps',
  'integer',
];
/** The snapshot format's version. */
export const SNAPSHOT_VERSION = 1;
/** python-adaptive's `max_badness`: a triangle above it is split at its longest edge. */
export const MAX_BADNESS = 5;
/** √3/4: the badness of a triangle is longest² / area · √3/4 (1 for an equilateral one). */
export const SQRT3_4 = Math.sqrt(3) / 4;
/** The top of the value range's band where the value unit stays 1 (see `vm`). */
export const VM_HIGH = 2 ** 100;
/** The bottom of that band. */
export const VM_LOW = 2 ** -100;
/** Default of `recomputeLossesFactor` (python-adaptive's LearnerND's). */
export const DEFAULT_RECOMPUTE_FACTOR = 1.1;

/** Number of gradientScalar's `fit` slots (see gradients.ts): 1 / the ring's scale. */
export const FIT_SLOTS = 1;

/**
 * One triangulation with its losses and what waits to be recomputed.
 * @example const combined = new MeshLosses(store, DIRTY_C, true);
 */
/** The dirty triangle list's first length (also after a full recomputation dropped a long one). */
export const DIRTY_T_START = 256;

export class MeshLosses {
  /** The triangulation. */
  readonly mesh: Delaunay2D;
  /** Its triangles' losses. */
  readonly heap: BlockLossHeap;
  /**
   * Per triangle: 1 when it is in dirtyT; on a pure lattice 2 when it is known to hold no free
   * lattice point (out of the heap for its life: the loss updates never mark it again).
   */
  tdirty: Uint8Array = new Uint8Array(16);
  /**
   * Per triangle, on a pure lattice: whether it holds a free lattice point (a property of its
   * three vertices, so fixed while it lives): 0 not known yet, 1 none (out of the heap), 2 some.
   */
  empty: Uint8Array = new Uint8Array(16);
  /**
   * Triangles waiting for a new loss (nT of them). 256: a flush of the serial loop marks up to
   * about 100; at 64 the list first grew at point 213 of the ring, inside the optimised
   * sweepScalar, whose growth branch had never run: a deopt and two more compiles.
   */
  dirtyT: Int32Array = new Int32Array(DIRTY_T_START);
  /** Number of entries of dirtyT. */
  nT = 0;
  /** Vertices waiting for new gradients (nV of them). */
  dirtyV: Int32Array = new Int32Array(64);
  /** Number of entries of dirtyV. */
  nV = 0;
  /** Every loss is to be recomputed (the lists are then empty). */
  all = false;
  /**
   * The gradient cache when it is not in the vertex records (the real triangulation's):
   * (gradientSweeps + 1)·2·vdim + 1 numbers per vertex.
   */
  grad: Float64Array = new Float64Array(0);

  constructor(
    store: PointStore2D,
    /** This triangulation's dirty bit in the vertex flags. */
    readonly bit: number,
    /** Whether the gradient cache lives in the vertex records (the combined triangulation). */
    readonly inRecord: boolean,
  ) {
    this.mesh = new Delaunay2D(store);
    this.heap = new BlockLossHeap(new TriangleTieOrder(this.mesh));
  }
}

/**
 * Learner2D's state (see the file header). Options are validated by the caller.
 * @example const st = new Learner2DState([[0, 1], [0, 1]], defaultLoss2D, 1.1, 1);
 */
export class Learner2DState {
  /** The domain. */
  readonly bounds: readonly [readonly [number, number], readonly [number, number]];
  /** The loss of one triangle. */
  readonly lossFunction: TriangleLoss;
  readonly factor: number;
  readonly sweeps: number;
  readonly needsGradients: boolean;
  readonly fastDefault: boolean;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly mx: number; // python-adaptive's scaling: (p − mean) / ptp
  readonly my: number;
  readonly px: number;
  readonly py: number;
  /** The corners, asked first: the box's four (python-adaptive's order) or the hull's vertices. */
  readonly corners: readonly (readonly [number, number])[];
  /** The convex polygon the domain is, or null for the box (see hull.ts). */
  readonly hull: Hull2D | null;
  /** A polygon's triangles flatter than this (scaled) get their area as loss (hull-place.ts). */
  readonly flatTol: number;
  /**
   * The integer dimensions (`integer: [bool, bool]`, see lattice.ts) as 0/1 flags, or null
   * off a lattice; set once, right after the constructor.
   */
  integer: Uint8Array | null = null;
  /** The number of lattice points (+Infinity with a continuous dimension). */
  latticeSize = Number.POSITIVE_INFINITY;

  // Vertices, shared by the triangulations. Record of vertex v in store.xy, from v·stride:
  // [scaled x, scaled y, value₀ … value_{d−1}, meta, gradient cache (gradLength)].
  readonly store: PointStore2D;
  stride = 0; // record size
  // Offset of the meta slot: 2·start + bad, where bad (bit 0) is 1 when a value component is
  // not finite, and start is the combined triangulation's canonical start half-edge of the
  // vertex (see gradients). One slot for both keeps a scalar record at 6 numbers without
  // sweeps, 10 with one.
  metaOffset = 0;
  gradOffset = 0; // offset of the combined triangulation's gradient cache
  gradLength = 0; // its length: (sweeps + 1)·2·d, and 2·d for the correction when sweeps > 0
  correctionOffset = 0; // the offset of the sweep's curvature correction in a gradient cache block
  xo: Float64Array = new Float64Array(32); // coordinates as told
  vflag: Uint8Array = new Uint8Array(16);
  freeV: number[] = [];
  nReal = 0;
  nPending = 0;
  nShadow = 0;
  /** Per corner: 1 evaluated, 2 pending, 0 neither (see corners.ts). */
  readonly cornerFlag: Uint8Array;
  cornersReal = 0; // corners evaluated
  cornersKnown = 0; // corners evaluated or pending

  // Pending points: (x, y) → vertex, open addressing, backward-shift deletion.
  pendingTable: Int32Array = new Int32Array(16).fill(-1);

  // Values.
  vdim = 0; // 0 until the first tell
  vector = false;
  yMin: Float64Array = new Float64Array(0);
  yMax: Float64Array = new Float64Array(0);
  sRef = 0; // the value range the losses are computed with (times vm)
  /**
   * The value unit: gradients and losses are computed from the told values times vm, a power
   * of two, so the arithmetic neither overflows (values near ±MAX_VALUE, whose differences
   * and gradients overflow) nor loses bits (subnormal values). 1 while the value range lies in
   * [2⁻¹⁰⁰, 2¹⁰⁰]; else the unit that puts it in [1, 2) (within 2^±1000). A function of the
   * data, so of no history; a change recomputes the gradients (O(n), at most once per doubling
   * of the range outside the band). Multiplying by a power of two is exact,
   * so every loss is the same bits whatever vm is (barring underflow of values negligible
   * against the range): data f and f·2ᵏ give the same asks, and f·c the same as far as
   * rounding allows.
   */
  vm = 1;
  ve = 0; // vm = 2^ve
  /**
   * The value scale while the value range is 0 (every finite value the same): their magnitude
   * times vm (1 when they are 0 or there are none), so that a loss reading the values
   * themselves (not only their differences) sees the same scaled values for f and f × c.
   * python-adaptive divides by 1 there.
   */
  sFlat = 1;

  /**
   * The triangulation of evaluated and pending points: ask reads it. With nothing pending it
   * is also the triangulation of the evaluated points.
   */
  readonly combined: MeshLosses;
  /**
   * The triangulation of the evaluated points only, made on the first need while points are
   * pending, then kept up to date; null until then.
   */
  real: MeshLosses | null = null;

  // Scratch.
  readonly input: {
    points: Float64Array;
    values: Float64Array;
    gradients: Float64Array;
    vdim: number;
    valueScale: number;
    valueUnit: number;
    area: number;
  };
  interpHint = -1;
  renumberedAt = 0; // live vertices at the last renumbering
  // Normal equations of the quadratic fit (the 15 entries of the symmetric 5×5 matrix, row by
  // row), right-hand sides (5 per component) and the packed Cholesky factor.
  normal: Float64Array = new Float64Array(15);
  touching = false; // an incremental flush is running (see touch)
  rhs: Float64Array = new Float64Array(5);
  chol: Float64Array = new Float64Array(15);
  /** gradientScalar's slots between its steps (see gradients.ts). */
  readonly fit = new Float64Array(FIT_SLOTS);
  /**
   * Where triangleLoss puts its result: a double returned from a call that is not inlined is
   * boxed (a heap allocation per loss); a typed-array slot is not.
   */
  readonly lossOut = new Float64Array(1);
  tri3: Int32Array = new Int32Array(3);
  // The first error of a user loss function during a loss update, as LearnerND: the update
  // completes (that triangle's loss is then the uniform √area) and the next tell, ask or loss
  // throws it, saying that the data was kept.
  lossError: Error | null = null;
  // Scratch of one ask. The coordinates and losses start as arrays of doubles: an empty
  // array starts with small-integer elements and changes kind at its first double, so every
  // new learner's first asks deoptimised `choose`, compiled for doubles by the learners before
  // it, and it was compiled again (about 10 ms of compiler work a learner).
  askX: number[] = emptyDoubles();
  askY: number[] = emptyDoubles();
  askL: number[] = emptyDoubles();
  askT: number[] = [];
  lastChooseShort = false;
  seen: Int32Array = new Int32Array(16);
  chosenX = 0;
  chosenY = 0;
  interpScratch: Float64Array = new Float64Array(1);
  /** replaceValue's copy of the former value. */
  replaceOld: Float64Array = new Float64Array(1);

  constructor(
    bounds: readonly [readonly [number, number], readonly [number, number]],
    loss: TriangleLoss,
    factor: number,
    sweeps: number,
    hull: Hull2D | null = null,
  ) {
    this.bounds = bounds;
    this.hull = hull;
    const [[x0, x1], [y0, y1]] = bounds;
    this.x0 = x0;
    this.x1 = x1;
    this.y0 = y0;
    this.y1 = y1;
    // python-adaptive's scaling: (p − mean) / ptp maps the bounds to [-0.5, 0.5]².
    this.mx = (x0 + x1) / 2;
    this.my = (y0 + y1) / 2;
    this.px = x1 - x0;
    this.py = y1 - y0;
    // python-adaptive's order: itertools.product(*bounds).
    this.corners =
      hull !== null
        ? hull.points
        : [
            [x0, y0],
            [x0, y1],
            [x1, y0],
            [x1, y1],
          ];
    this.cornerFlag = new Uint8Array(this.corners.length);
    this.flatTol = hull === null ? 0 : flatTolerance(hull, [this.px, this.py]);
    this.lossFunction = loss;
    this.needsGradients = loss.needsGradients !== false;
    this.fastDefault = loss === defaultLoss2D;
    this.factor = factor;
    this.sweeps = sweeps;
    this.store = new PointStore2D(16, layout(this, 1));
    this.combined = new MeshLosses(this.store, DIRTY_C, true);
    this.input = {
      points: new Float64Array(6),
      values: new Float64Array(3),
      gradients: new Float64Array(6),
      vdim: 1,
      valueScale: 1,
      valueUnit: 1,
      area: 0,
    };
  }

  /** The length of the vector output, 1 for scalar output or before any data. */
  get outputDimension(): number {
    return this.vdim === 0 ? 1 : this.vdim;
  }
}

/** Sets the record layout for d output components; returns the record size. */
export function layout(st: Learner2DState, d: number): number {
  st.metaOffset = 2 + d;
  st.gradOffset = 3 + d;
  st.correctionOffset = (st.sweeps + 1) * 2 * d;
  st.gradLength = st.correctionOffset + (st.sweeps > 0 ? 2 * d : 0);
  st.stride = st.gradOffset + st.gradLength;
  return st.stride;
}

/** x in the scaled coordinates (the bounds mapped to [-0.5, 0.5]). */
export function scaleX(st: Learner2DState, x: number): number {
  return (x - st.mx) / st.px;
}

/** y in the scaled coordinates. */
export function scaleY(st: Learner2DState, y: number): number {
  return (y - st.my) / st.py;
}

/** A vertex for (x, y): a recycled id or a new one; coordinates set, no flags, values NaN. */
export function allocVertex(st: Learner2DState, x: number, y: number): number {
  let v: number;
  if (st.freeV.length > 0) {
    v = st.freeV.pop() as number;
    st.store.set(v, scaleX(st, x), scaleY(st, y));
  } else {
    v = st.store.add(scaleX(st, x), scaleY(st, y));
    const cap = st.store.capacity;
    if (2 * cap > st.xo.length) {
      const xo = new Float64Array(2 * cap);
      xo.set(st.xo);
      st.xo = xo;
      const fl = new Uint8Array(cap);
      fl.set(st.vflag);
      st.vflag = fl;
    }
  }
  st.xo[2 * v] = x;
  st.xo[2 * v + 1] = y;
  st.vflag[v] = 0;
  writeNaN(st, v);
  return v;
}

/** The index (0–3, python-adaptive's order; a hull's vertex index) of the corner (x, y), or -1. */
export function cornerIndex(st: Learner2DState, x: number, y: number): number {
  if (st.hull !== null) return hullVertexIndex(st.hull, x, y);
  const i = x === st.x0 ? 0 : x === st.x1 ? 2 : -1;
  if (i < 0) return -1;
  return y === st.y0 ? i : y === st.y1 ? i + 1 : -1;
}

/** Whether a value component at v is not finite. */
export function isBad(st: Learner2DState, v: number): boolean {
  return ((st.store.xy[v * st.stride + st.metaOffset] as number) & 1) !== 0;
}

/**
 * Whether no corner (a hull's vertex) is pending: python-adaptive's `bounds_are_done`. Until
 * then a pending point's value is 0, as there (`_data_interp`: "without the bounds the
 * interpolation cannot be done properly").
 */
export function boundsDone(st: Learner2DState): boolean {
  return st.cornersKnown === st.cornersReal;
}

/** Sets v's values to 0 and clears its non-finite marker (a pending point before the bounds). */
export function writeZero(st: Learner2DState, v: number): void {
  const rec = st.store.xy;
  const o = v * st.stride;
  for (let k = 2; k < st.metaOffset; k++) rec[o + k] = 0;
  rec[o + st.metaOffset] = (rec[o + st.metaOffset] as number) & ~1;
}

/** Sets v's values to NaN (unknown) and its non-finite marker. */
export function writeNaN(st: Learner2DState, v: number): void {
  const rec = st.store.xy;
  const o = v * st.stride;
  for (let k = 2; k < st.metaOffset; k++) rec[o + k] = Number.NaN;
  rec[o + st.metaOffset] = (rec[o + st.metaOffset] as number) | 1;
}

/** Where vertex v's gradient cache starts in the cache array of ms. */
export function gradBase(st: Learner2DState, ms: MeshLosses, v: number): number {
  return ms.inRecord ? v * st.stride + st.gradOffset : v * (st.gradLength + 1);
}

/** The value scale the losses divide by. */
export function valueScale(st: Learner2DState): number {
  return st.sRef > 0 ? st.sRef : st.sFlat;
}

/** Makes room for every vertex's gradient cache in ms.grad (the real triangulation). */
export function reserveGradients(st: Learner2DState, ms: MeshLosses): void {
  if (ms.inRecord) return;
  const need = st.store.capacity * (st.gradLength + 1);
  if (ms.grad.length < need) {
    const g = new Float64Array(need);
    g.set(ms.grad);
    ms.grad = g;
  }
}
