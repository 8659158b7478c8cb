/**
 * LearnerND's domain: a box (`bounds`) or the convex hull of points (`hull`), read and
 * checked from the options; the scaling to the unit cube; the hull's facet planes and
 * their tolerances; the bound points (box corners or hull vertices, sorted). And the
 * questions asked of it: is a point inside, which facet is it beyond, move it inside.
 */

import { MAX_DIM, orient } from '../../geometry/predicates-nd.js';
import { signedDet } from '../../geometry/simplex-nd.js';
import { TriangulationND } from '../../geometry/triangulation-nd.js';
import { describe, doublesBetween, MIN_DOUBLES_PER_AXIS } from '../validate.js';
import { hash32, nextDown, nextUp } from './hash.js';
import type { LearnerNDOptions } from './types.js';

const INF = Number.POSITIVE_INFINITY;
/** The hull's tolerance in scaled units (the bounding box is the unit cube). */
export const HULL_TOL = 1e-9;
/** A domain farther from 0 than this many widths gets an origin (see Domain.org). */
const FAR = 1024;
/** The power of two a subnormal width is first multiplied by (see Domain.pre). */
const SUBNORMAL_PRE = 2 ** 600;
/** The power of two a width whose inverse is subnormal (above 2^1022) is first multiplied by. */
const HUGE_PRE = 2 ** -600;
/** The smallest normal double: an inverse width below it keeps fewer than 53 bits. */
const MIN_NORMAL = 2 ** -1022;
/** Ulps of the largest coordinate per vertex that a hull facet's tolerance allows for. */
const FACET_ULPS = 4;
/** The significant digits that make two facet planes the same. */
const PLANE_DIGITS = 12;
/** The most one-ulp steps nudgeInside takes. */
const NUDGE_STEPS = 64;

/** The domain as the options give it, checked: dimension, bounding box, points. */
export interface DomainInput {
  dim: number;
  lo: number[];
  hi: number[];
  /** The box's corners (lexicographic order) or the hull's points (as given, +0 for -0). */
  points: number[][];
  isHull: boolean;
}

/** The domain, ready for the learner (see the fields). */
export interface Domain {
  readonly dim: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** 1 / (width · pre) per axis. */
  readonly invW: Float64Array;
  /**
   * The origin of the scaled coordinates, (x − org) · pre · invW: 0 (python-adaptive's
   * x · invW) unless the domain lies far from 0 (more than FAR widths), where x · invW would
   * keep few bits of the position within the domain; then the domain's low corner.
   */
  readonly org: Float64Array;
  /** 1 unless 1/width overflows or is subnormal: then a power of two (see widthPre). */
  readonly pre: Float64Array;
  /** Hull: (unit outward normal, offset) per facet, in scaled coordinates; null for a box. */
  readonly planes: Float64Array | null;
  /** Hull: each facet's tolerance. */
  readonly planeTol: Float64Array | null;
  /**
   * Hull: every facet of the hull's triangulation as d + 1 rows of d original coordinates,
   * the facet's vertices with a free row at `facetIp` for a query point: the exact
   * orientation of the block is positive when the point lies strictly outside the facet.
   */
  readonly facetX: Float64Array | null;
  /** Hull: the row of each facet's block that the query point takes. */
  readonly facetIp: Int32Array | null;
  /** Hull: each facet's plane (an index into `planes`; coplanar facets share one). */
  readonly facetPlane: Int32Array | null;
  /**
   * Hull: the coordinates' resolution in scaled units (an ulp of the largest coordinate,
   * the largest over the axes); 0 for a box.
   */
  readonly resolution: number;
  /** The bound points, sorted, in original coordinates. */
  readonly boundPts: Float64Array;
  readonly nBound: number;
  /** Bound point indices by hash32 of their coordinates. */
  readonly boundByHash: Map<number, number[]>;
  readonly bounds: readonly (readonly [number, number])[];
  readonly hull: readonly (readonly number[])[] | null;
}

/** A domain with scratch for a query point: `qx` (original) and `qs` (scaled). */
export interface DomainQuery extends Domain {
  readonly qx: Float64Array;
  readonly qs: Float64Array;
}

/**
 * Reads `bounds` or `hull` from the options (exactly one is given).
 * @throws TypeError/RangeError naming the problem.
 */
export function readDomain(options: LearnerNDOptions): DomainInput {
  const hasBounds = options.bounds !== undefined;
  const hasHull = options.hull !== undefined;
  if (hasBounds === hasHull) {
    throw new TypeError(
      'LearnerND: give exactly one of bounds ([[a, b], ...]) and hull ([[x, y, ...], ...])',
    );
  }
  return hasBounds ? readBounds(options.bounds as unknown) : readHull(options.hull as unknown);
}

/**
 * The most dimensions of a box. Either mesh starts from the box's Kuhn triangulation or the
 * Delaunay triangulation of its corners, d! simplices: 9 dimensions take 9–23 s and 150–360 MB
 * before the first point (measured, 2 cores), 10 dimensions had not finished after 2 minutes
 * and grew past 14 GB. A hull of up to MAX_DIM dimensions starts from its own points.
 */
const MAX_BOX_DIM = 9;

function readBounds(b: unknown): DomainInput {
  if (!Array.isArray(b) || b.length === 0) {
    throw new RangeError(
      `LearnerND: bounds must be a non-empty array of [a, b] pairs, got ${describe(b)}`,
    );
  }
  const d = b.length;
  if (d > MAX_BOX_DIM) {
    throw new RangeError(
      `LearnerND: a box has at most ${MAX_BOX_DIM} dimensions, got ${d}: a box in d dimensions starts from its 2^d corners and d! simplices (10 dimensions: 3 628 800, minutes and gigabytes before the first point); use SparseGridLearner from about 7 dimensions`,
    );
  }
  const lo: number[] = [];
  const hi: number[] = [];
  b.forEach((pair: unknown, i) => {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== 'number' ||
      typeof pair[1] !== 'number' ||
      !Number.isFinite(pair[0]) ||
      !Number.isFinite(pair[1]) ||
      !(pair[0] < pair[1])
    ) {
      throw new RangeError(
        `LearnerND: bounds[${i}] must be finite and increasing, got ${describe(pair)}`,
      );
    }
    if (!Number.isFinite(pair[1] - pair[0])) {
      throw new RangeError(
        `LearnerND: bounds[${i}] = ${describe(pair)} is wider than the largest double`,
      );
    }
    const count = doublesBetween(pair[0], pair[1]);
    if (count < MIN_DOUBLES_PER_AXIS) {
      throw new RangeError(
        `LearnerND: bounds[${i}] = ${describe(pair)} holds only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use wider bounds, or bounds nearer 0`,
      );
    }
    lo.push(pair[0] + 0);
    hi.push(pair[1] + 0);
  });
  const points: number[][] = [];
  for (let c = 0; c < 2 ** d; c++) {
    // Lexicographic order: the first coordinate varies slowest.
    points.push(lo.map((a, j) => (((c >> (d - 1 - j)) & 1) === 0 ? a : (hi[j] as number))));
  }
  return { dim: d, lo, hi, points, isHull: false };
}

function readHull(h: unknown): DomainInput {
  if (!Array.isArray(h) || h.length === 0 || !Array.isArray(h[0])) {
    throw new TypeError(`LearnerND: hull must be a non-empty array of points, got ${describe(h)}`);
  }
  const d = (h[0] as unknown[]).length;
  if (!(d >= 1 && d <= MAX_DIM)) {
    throw new RangeError(`LearnerND: hull points must have 1 to ${MAX_DIM} coordinates, got ${d}`);
  }
  const lo: number[] = new Array(d).fill(INF);
  const hi: number[] = new Array(d).fill(-INF);
  const points: number[][] = [];
  h.forEach((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== d) {
      throw new TypeError(
        `LearnerND: hull[${i}] must be an array of ${d} numbers, got ${describe(p)}`,
      );
    }
    for (const x of p) {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new RangeError(
          `LearnerND: hull[${i}] = ${describe(p)} has a coordinate that is not a finite number`,
        );
      }
    }
    const q = (p as number[]).map((x) => x + 0);
    q.forEach((x, j) => {
      if (x < (lo[j] as number)) lo[j] = x;
      if (x > (hi[j] as number)) hi[j] = x;
    });
    points.push(q);
  });
  for (let j = 0; j < d; j++) {
    if (!Number.isFinite((hi[j] as number) - (lo[j] as number))) {
      throw new RangeError(
        `LearnerND: the hull spans more than the largest double along coordinate ${j}`,
      );
    }
    if (!((lo[j] as number) < (hi[j] as number))) {
      throw new RangeError(
        `LearnerND: the hull is not full-dimensional: every point has coordinate ${j} equal to ${lo[j]}`,
      );
    }
    const count = doublesBetween(lo[j] as number, hi[j] as number);
    if (count < MIN_DOUBLES_PER_AXIS) {
      throw new RangeError(
        `LearnerND: the hull spans only ${count} representable doubles along coordinate ${j} ([${lo[j]}, ${hi[j]}]), too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use a larger hull, or one nearer 0`,
      );
    }
  }
  return { dim: d, lo, hi, points, isHull: true };
}

/**
 * The domain from its checked input: the scaling, and for a hull its facets (from the
 * hull points' own Delaunay triangulation) and its vertices as the bound points.
 * @throws RangeError when the hull is not full-dimensional.
 */
export function buildDomain(input: DomainInput): Domain {
  const { dim: d, lo, hi } = input;
  // 1/width overflows for subnormal widths, and is subnormal above 2^1022: there the
  // offsets are first multiplied by a power of two (exact), pre, and invW is
  // 1/(width · pre). Elsewhere pre is 1 (same bits).
  const pre = Float64Array.from(lo, (a, j) => widthPre((hi[j] as number) - a));
  const invW = Float64Array.from(lo, (a, j) => 1 / (((hi[j] as number) - a) * (pre[j] as number)));
  const org = Float64Array.from(lo, (a, j) => {
    const b = hi[j] as number;
    return Math.max(Math.abs(a), Math.abs(b)) > FAR * (b - a) ? a : 0;
  });
  const bounds = lo.map((a, j) => [a, hi[j] as number] as const);
  let boundList = input.points;
  let hull: number[][] | null = null;
  let planes: Float64Array | null = null;
  let planeTol: Float64Array | null = null;
  let facetX: Float64Array | null = null;
  let facetIp: Int32Array | null = null;
  let facetPlane: Int32Array | null = null;
  let resolution = 0;
  if (input.isHull) {
    hull = input.points.map((p) => p.slice());
    const facets = hullPlanes(input, org, pre, invW);
    ({ planes, planeTol, facetX, facetIp, facetPlane, resolution } = facets);
    boundList = facets.vertices;
  }
  const nBound = boundList.length;
  const boundPts = new Float64Array(nBound * d);
  boundList.forEach((p, i) => {
    boundPts.set(p, i * d);
  });
  const boundByHash = new Map<number, number[]>();
  for (let b = 0; b < nBound; b++) {
    const h = hash32(boundPts, b * d, d);
    const list = boundByHash.get(h);
    if (list === undefined) boundByHash.set(h, [b]);
    else list.push(b);
  }
  return {
    dim: d,
    lo: Float64Array.from(lo),
    hi: Float64Array.from(hi),
    invW,
    org,
    pre,
    planes,
    planeTol,
    facetX,
    facetIp,
    facetPlane,
    resolution,
    boundPts,
    nBound,
    boundByHash,
    bounds,
    hull,
  };
}

/**
 * The power of two that brings a width's inverse into the normal doubles: SUBNORMAL_PRE where
 * 1/width overflows, HUGE_PRE where it is subnormal ([0, 1e308] kept 51 bits of 1e-308), else
 * 1 (the same bits as python-adaptive's x / width).
 */
function widthPre(w: number): number {
  const inv = 1 / w;
  if (!Number.isFinite(inv)) return SUBNORMAL_PRE;
  return inv < MIN_NORMAL ? HUGE_PRE : 1;
}

/**
 * The hull's facet planes (unit outward normal and offset, scaled coordinates; the same
 * plane once), each facet's tolerance, and the hull's vertices sorted lexicographically.
 */
function hullPlanes(
  input: DomainInput,
  org: Float64Array,
  pre: Float64Array,
  invW: Float64Array,
): {
  planes: Float64Array;
  planeTol: Float64Array;
  facetX: Float64Array;
  facetIp: Int32Array;
  facetPlane: Int32Array;
  resolution: number;
  vertices: number[][];
} {
  const { dim: d, lo, hi, points: pts } = input;
  // The hull's own triangulation (scaled coordinates) gives its vertices and facets.
  const h = new TriangulationND(d, pts.length);
  const seen = new Set<string>();
  const uniq: number[][] = []; // by vertex id of h
  for (const p of pts) {
    const key = p.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      h.insert(
        p.map((x, j) => (x - (org[j] as number)) * (pre[j] as number) * (invW[j] as number)),
      );
    } catch {
      continue; // distinct points that scale to the same coordinates: keep the first
    }
    uniq.push(p);
  }
  if (!h.isReady) {
    throw new RangeError(
      `LearnerND: the hull is not full-dimensional: its ${uniq.length} distinct points lie in a lower-dimensional flat of R^${d}`,
    );
  }
  const { facets, infPos } = h.hullFacets();
  const k = d + 1;
  const onHull = new Uint8Array(uniq.length);
  const planes: number[] = [];
  const planeKeys = new Map<string, number>();
  const m = infPos.length;
  const Pm = new Float64Array(k * d);
  const facetX = new Float64Array(m * k * d);
  const facetIp = new Int32Array(m);
  const facetPlane = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < k; j++) {
      const v = facets[r * k + j] as number;
      if (v >= 0) {
        onHull[v] = 1;
        facetX.set(uniq[v] as number[], (r * k + j) * d);
      }
    }
    facetIp[r] = infPos[r] as number;
    // Outward normal: n·(q − x₀) ∝ orient(facet with q at infPos); n_j from cofactors.
    const ip = infPos[r] as number;
    const normal = new Float64Array(d);
    const ref = facets[r * k + (ip === 0 ? 1 : 0)] as number;
    const x0 = h.vertex(ref);
    for (let j = 0; j < d; j++) {
      // orientation with q = x0 + e_j, minus with q = x0: linear in q.
      for (let i = 0; i < k; i++) {
        const v = i === ip ? -1 : (facets[r * k + i] as number);
        const c = v < 0 ? x0 : h.vertex(v);
        for (let q = 0; q < d; q++) Pm[i * d + q] = c[q] as number;
      }
      Pm[ip * d + j] = (Pm[ip * d + j] as number) + 1;
      normal[j] = signedDet(Pm, d);
    }
    let len = 0;
    for (let j = 0; j < d; j++) len += (normal[j] as number) ** 2;
    len = Math.sqrt(len);
    let off = 0;
    for (let j = 0; j < d; j++) {
      normal[j] = (normal[j] as number) / len;
      off += (normal[j] as number) * (x0[j] as number);
    }
    const key = [...normal, off].map((v) => v.toPrecision(PLANE_DIGITS)).join(',');
    const known = planeKeys.get(key);
    if (known !== undefined) {
      facetPlane[r] = known;
      continue;
    }
    facetPlane[r] = planes.length / (d + 1);
    planeKeys.set(key, facetPlane[r] as number);
    planes.push(...normal, off);
  }
  // Each facet's tolerance: HULL_TOL, plus the coordinates' resolution (a few ulps of the
  // largest coordinate, in scaled units) where the domain is narrow against its position:
  // the points next to a facet that the doubles can represent may all lie a little off it.
  const res = Float64Array.from(lo, (a, j) => {
    const big = Math.max(Math.abs(a), Math.abs(hi[j] as number));
    return big * 2 ** -52 * (pre[j] as number) * (invW[j] as number);
  });
  const nPlanes = planes.length / (d + 1);
  const planeTol = new Float64Array(nPlanes);
  for (let r = 0; r < nPlanes; r++) {
    let t = 0;
    for (let j = 0; j < d; j++)
      t += Math.abs(planes[r * (d + 1) + j] as number) * (res[j] as number);
    planeTol[r] = HULL_TOL + FACET_ULPS * (d + 1) * t;
  }
  const vertices = uniq.filter((_, i) => onHull[i] === 1);
  vertices.sort((a, b) => {
    for (let j = 0; j < d; j++) if (a[j] !== b[j]) return (a[j] as number) - (b[j] as number);
    return 0;
  });
  return {
    planes: Float64Array.from(planes),
    planeTol,
    facetX,
    facetIp,
    facetPlane,
    resolution: Math.max(...res),
    vertices,
  };
}

/** Whether the point in `dq.qx` lies in the domain (fills `dq.qs` for a hull). */
export function inDomainQx(dq: DomainQuery): boolean {
  const d = dq.dim;
  for (let j = 0; j < d; j++) {
    const x = dq.qx[j] as number;
    if (x < (dq.lo[j] as number) || x > (dq.hi[j] as number)) return false;
  }
  const planes = dq.planes;
  if (planes === null) return true;
  for (let j = 0; j < d; j++)
    dq.qs[j] =
      ((dq.qx[j] as number) - (dq.org[j] as number)) *
      (dq.pre[j] as number) *
      (dq.invW[j] as number);
  return worstFacet(dq) < 0;
}

/**
 * The facet that scaled point qs lies farthest beyond (more than its tolerance), or -1 when
 * it lies inside the hull. O(d · facets).
 */
export function worstFacet(dq: DomainQuery): number {
  const planes = dq.planes as Float64Array;
  const tol = dq.planeTol as Float64Array;
  const d = dq.dim;
  let worst = -1;
  let most = 0;
  for (let r = 0, f = 0; r < planes.length; r += d + 1, f++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (planes[r + j] as number) * (dq.qs[j] as number);
    const out = s - (planes[r + d] as number) - (tol[f] as number);
    if (out > most) {
      most = out;
      worst = f;
    }
  }
  return worst;
}

/** Row ids 0, 1, 2, … for orient on the facet blocks (block f starts at row f·(d + 1)). */
let ROWS = new Int32Array(0);

/**
 * The plane of a hull facet that point qx lies strictly outside of, decided exactly (the
 * orientation of the facet's vertices and qx, in original coordinates), or -1 when qx lies
 * in the closed hull. O(facets) exact orientations.
 */
export function exactOutsidePlane(dq: DomainQuery): number {
  const X = dq.facetX as Float64Array;
  const ip = dq.facetIp as Int32Array;
  const d = dq.dim;
  const k = d + 1;
  const m = ip.length;
  if (ROWS.length < m * k) ROWS = Int32Array.from({ length: m * k }, (_, i) => i);
  for (let f = 0; f < m; f++) {
    X.set(dq.qx, (f * k + (ip[f] as number)) * d);
    if (orient(X, d, ROWS, f * k) > 0) return (dq.facetPlane as Int32Array)[f] as number;
  }
  return -1;
}

/**
 * Moves candidate qx into the hull where rounding put it just outside (a midpoint or a
 * centroid next to a slanted facet, in a domain whose coordinates are coarse against its
 * size): steps of one ulp against the facet's normal, until qx lies in the hull exactly
 * (not only within the tolerance that `tell` allows). Leaves qx in the bounding box.
 * The steps it took, or -1 when it did not get there in NUDGE_STEPS.
 */
export function nudgeInside(dq: DomainQuery): number {
  const d = dq.dim;
  const planes = dq.planes as Float64Array;
  for (let step = 0; ; step++) {
    let f: number;
    if (!inDomainQx(dq)) {
      f = worstFacet(dq);
      if (f < 0) return -1; // outside the box only: the caller clamps
    } else {
      f = exactOutsidePlane(dq);
      if (f < 0) return step;
    }
    if (step === NUDGE_STEPS) return -1;
    for (let j = 0; j < d; j++) {
      const n = planes[f * (d + 1) + j] as number;
      if (n === 0) continue;
      const x = dq.qx[j] as number;
      const y = n > 0 ? nextDown(x) : nextUp(x);
      dq.qx[j] = Math.min(Math.max(y, dq.lo[j] as number), dq.hi[j] as number) + 0;
    }
  }
}

/** Writes the scaled coordinates of the point at `X[off…]`, (x − org) · pre · invW, to `out[o…]`. */
export function scaleInto(
  dom: Domain,
  X: ArrayLike<number>,
  off: number,
  out: Float64Array,
  o: number,
): void {
  const d = dom.dim;
  for (let q = 0; q < d; q++)
    out[o + q] =
      ((X[off + q] as number) - (dom.org[q] as number)) *
      (dom.pre[q] as number) *
      (dom.invW[q] as number);
}

/** Whether the point at `X[off…]` is a bound point (a box corner or a hull vertex). O(d). */
export function isBoundAt(dom: Domain, X: ArrayLike<number>, off: number): boolean {
  const d = dom.dim;
  if (dom.planes === null) {
    for (let q = 0; q < d; q++) {
      const x = X[off + q] as number;
      if (x !== dom.lo[q] && x !== dom.hi[q]) return false;
    }
    return true;
  }
  const list = dom.boundByHash.get(hash32(X, off, d));
  if (list === undefined) return false;
  for (const b of list) {
    let same = true;
    for (let q = 0; q < d && same; q++)
      if (dom.boundPts[b * d + q] !== (X[off + q] as number) + 0) same = false;
    if (same) return true;
  }
  return false;
}

/**
 * Validates a point: an array of d finite numbers in the domain; returns it in `qx`.
 * @throws TypeError/RangeError naming the point and the problem, for `LearnerND.<what>`.
 */
export function checkPoint(dq: DomainQuery, point: unknown, what: string): Float64Array {
  const d = dq.dim;
  if (!Array.isArray(point) && !ArrayBuffer.isView(point)) {
    throw new TypeError(
      `LearnerND.${what}: a point must be an array of ${d} numbers, got ${describe(point)}`,
    );
  }
  const p = point as ArrayLike<unknown>;
  if (p.length !== d) {
    throw new TypeError(
      `LearnerND.${what}: point ${describe(point)} has ${p.length} coordinates, expected ${d}`,
    );
  }
  for (let j = 0; j < d; j++) {
    const x = p[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(
        `LearnerND.${what}: point ${describe(point)} must hold ${d} finite numbers`,
      );
    }
    dq.qx[j] = x + 0;
  }
  if (!inDomainQx(dq)) {
    const where =
      dq.planes === null
        ? `the bounds ${describe(dq.bounds)}`
        : "the hull (tolerance 1e-9 of the bounding box, or its coordinates' resolution)";
    throw new RangeError(`LearnerND.${what}: point ${describe(point)} is outside ${where}`);
  }
  return dq.qx;
}

/** Whether `point` lies in the domain (the body of LearnerND.inDomain); false when malformed. */
export function inDomainPoint(dq: DomainQuery, point: readonly number[]): boolean {
  if (!Array.isArray(point) || point.length !== dq.dim) return false;
  for (let j = 0; j < dq.dim; j++) {
    const x = point[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
    dq.qx[j] = x + 0;
  }
  return inDomainQx(dq);
}
