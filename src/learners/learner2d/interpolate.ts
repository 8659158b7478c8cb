/**
 * Learner2D's linear interpolation (pending values, `interpolate`, `interpolateGrid`) and its
 * data out (records, arrays, the triangulation, the triangle losses).
 */

import { orient2d } from 'robust-predicates';
import type { Delaunay2D } from '../../geometry/delaunay2d.js';
import { nextE, prevE } from '../../geometry/half-edge.js';
import type { LossOptions } from '../types.js';
import { checkOptionKeys, describe } from '../validate.js';
import { edgeValue } from './edge-value.js';
import { flush } from './flush.js';
import { isFlat } from './hull.js';
import { flatValue, nearEdgeValue } from './hull-place.js';
import { ensureR, realMesh } from './meshes.js';
import { firstVertex } from './order.js';
import {
  boundsDone,
  INF,
  KIND,
  type Learner2DState,
  PENDING,
  REAL,
  scaleX,
  scaleY,
  writeNaN,
  writeZero,
} from './state.js';
import type { Arrays2D, Grid2D, Point2D, Record2D, Triangulation2D } from './types.js';

/** The options of `interpolateGrid`. */
const GRID_OPTION_KEYS = ['nx', 'ny'];
/** python-adaptive's default grid: max(GRID_MIN, ⌊GRID_DENSITY / √(smallest area)⌋) per axis. */
const GRID_DENSITY = 0.658;
/** The default grid's smallest size per axis. */
const GRID_MIN = 10;

/**
 * Gives pending vertex v the combined data's linear interpolant at (sx, sy), which lies in
 * combined triangle t: with nothing else pending, the evaluated data's interpolant, as
 * python-adaptive. While a corner is pending (python-adaptive's bounds not done), 0, as
 * python-adaptive gives every pending point then. Outside the hull, or where a vertex value
 * is not finite, NaN.
 *
 * Not NaN before the corners: a NaN vertex makes its triangles non-finite, whose loss is at
 * least √area beside finite values (a NaN region's edge), so the next asks went beside it
 * and were interpolated from it, NaN again, for as long as points stayed pending: with 144
 * points in flight, half of the pending values of a 20 000-point run were NaN, their
 * triangles took the generic loss, and the asks followed the pending points instead of f.
 */
export function interpolateInto(
  st: Learner2DState,
  v: number,
  sx: number,
  sy: number,
  t: number,
): void {
  const mesh = st.combined.mesh;
  if (st.vdim === 0) return; // no value yet: setShape gives it one
  if (!boundsDone(st)) {
    writeZero(st, v);
    return;
  }
  if (t < 0 || mesh.isGhost(t)) return; // stays NaN
  const rec = st.store.xy;
  const o = v * st.stride;
  const ok = barycentric(st, mesh, t, sx, sy, rec, o + 2) === 1;
  if (ok) rec[o + st.metaOffset] = (rec[o + st.metaOffset] as number) & ~1;
  else writeNaN(st, v);
}

/**
 * Linear interpolation of the data of `mesh` at scaled (sx, sy) into out[off…]. Returns -1
 * (nothing written) outside the hull or before the first triangle, 0 when the result is not
 * finite, 1 otherwise. Walks from the previous hit.
 */
export function interpolateAt(
  st: Learner2DState,
  mesh: Delaunay2D,
  sx: number,
  sy: number,
  out: Float64Array,
  off: number,
): number {
  if (mesh.triangleCount === 0 || st.vdim === 0) return -1;
  const t = mesh.locate(sx, sy, st.interpHint);
  if (t < 0) return -1;
  // In a polygon: a point on a slanted edge may land a hair outside (hull-place.ts).
  if (mesh.isGhost(t)) return st.hull === null ? -1 : nearEdgeValue(st, mesh, t, sx, sy, out, off);
  st.interpHint = t;
  return barycentric(st, mesh, t, sx, sy, out, off);
}

/**
 * The linear interpolant in finite triangle t (which holds (sx, sy), boundary included) into
 * out[off…]; returns 1 if finite, else 0. Canonical, so the same bits whatever the history:
 * exact orientation tests tell the interior from an edge; inside, the weights are computed
 * from the lexicographically smallest vertex; on an edge (a point on it lies in two
 * triangles) only its two endpoints count, in lexicographic order.
 */
export function barycentric(
  st: Learner2DState,
  mesh: Delaunay2D,
  t: number,
  sx: number,
  sy: number,
  out: Float64Array,
  off: number,
): number {
  const tv = mesh.tv;
  const rec = st.store.xy;
  const stride = st.stride;
  const r = firstVertex(rec, stride, tv, 3 * t);
  const a = tv[3 * t + r] as number;
  const b = tv[3 * t + ((r + 1) % 3)] as number;
  const c = tv[3 * t + ((r + 2) % 3)] as number;
  const ax = rec[stride * a] as number;
  const ay = rec[stride * a + 1] as number;
  const bx = rec[stride * b] as number;
  const by = rec[stride * b + 1] as number;
  const cx = rec[stride * c] as number;
  const cy = rec[stride * c + 1] as number;
  // In a polygon, a triangle flat within rounding along an edge (hull-place.ts): along it.
  if (st.hull !== null && isFlat(ax, ay, bx, by, cx, cy, st.flatTol)) {
    return flatValue(st, a, b, c, sx, sy, out, off);
  }
  // robust-predicates' orient2d is negative for counterclockwise (y down): 0 means on the line.
  const onAB = orient2d(ax, ay, bx, by, sx, sy) === 0;
  const onBC = orient2d(bx, by, cx, cy, sx, sy) === 0;
  const onCA = orient2d(cx, cy, ax, ay, sx, sy) === 0;
  const d = st.vdim;
  let ok = 1;
  if (onAB || onBC || onCA) {
    // On an edge (or at a vertex): interpolate between its endpoints.
    return edgeValue(st, onAB ? a : onBC ? b : c, onAB ? b : onBC ? c : a, sx, sy, out, off);
  }
  const det = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  let wb = ((sx - ax) * (cy - ay) - (sy - ay) * (cx - ax)) / det;
  let wc = ((bx - ax) * (sy - ay) - (by - ay) * (sx - ax)) / det;
  // Strictly inside: clamp rounding only.
  wb = Math.min(1, Math.max(0, wb));
  wc = Math.min(1 - wb, Math.max(0, wc));
  const wa = 1 - wb - wc;
  for (let k = 0; k < d; k++) {
    const v =
      wa * (rec[stride * a + 2 + k] as number) +
      wb * (rec[stride * b + 2 + k] as number) +
      wc * (rec[stride * c + 2 + k] as number);
    if (!Number.isFinite(v)) ok = 0;
    out[off + k] = v;
  }
  return ok;
}

/** Real vertex ids sorted by x, then y. O(n log n). */
export function sortedReal(st: Learner2DState): Int32Array {
  const ids = new Int32Array(st.nReal);
  let k = 0;
  for (let v = 0; v < st.store.size; v++) {
    if (((st.vflag[v] as number) & KIND) === REAL) ids[k++] = v;
  }
  const xo = st.xo;
  return ids.sort(
    (a, b) =>
      (xo[2 * a] as number) - (xo[2 * b] as number) ||
      (xo[2 * a + 1] as number) - (xo[2 * b + 1] as number),
  );
}

/**
 * The evaluated points sorted by x, then y, as `{ x: [x, y], y }` records. O(n log n).
 * @example learner.toRecords()[0]; // { x: [-1, -1], y: -1 }
 */
export function toRecords(st: Learner2DState): Record2D[] {
  const ids = sortedReal(st);
  const d = st.outputDimension;
  const out: Record2D[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i] as number;
    out[i] = {
      x: [st.xo[2 * v] as number, st.xo[2 * v + 1] as number],
      y: st.vector
        ? Array.from(st.store.xy.subarray(v * st.stride + 2, v * st.stride + 2 + d))
        : (st.store.xy[v * st.stride + 2] as number),
    };
  }
  return out;
}

/**
 * The evaluated points sorted by x, then y, as typed arrays (see {@link Arrays2D}).
 * O(n log n).
 * @example learner.toArrays() // { x: Float64Array [...], y: ..., values: ..., vdim: 1 }
 */
export function toArrays(st: Learner2DState): Arrays2D {
  const ids = sortedReal(st);
  const d = st.outputDimension;
  const n = ids.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    x[i] = st.xo[2 * v] as number;
    y[i] = st.xo[2 * v + 1] as number;
    for (let k = 0; k < d; k++) values[i * d + k] = st.store.xy[v * st.stride + 2 + k] as number;
  }
  return { x, y, values, vdim: d };
}

/**
 * The triangulation of the evaluated points, for plots: the points as {@link toArrays}
 * gives them (coordinates as told) and the triangles as indices into them, counterclockwise.
 * It is the Delaunay triangulation of the scaled coordinates (the bounds mapped to the unit
 * square), as the learner sees them. A point closer to another than floating point resolves
 * after scaling is listed but in no triangle. O(n log n).
 * @example
 * const { x, y, values, triangles } = learner.triangulation();
 * // triangle i joins points triangles[3i], triangles[3i + 1], triangles[3i + 2]
 */
export function triangulation(st: Learner2DState): Triangulation2D {
  const arrays = toArrays(st);
  const ids = sortedReal(st);
  const index = new Int32Array(st.store.size).fill(-1);
  for (let i = 0; i < ids.length; i++) index[ids[i] as number] = i;
  const { vertices } = realMesh(st).triangles();
  const triangles = new Uint32Array(vertices.length);
  for (let i = 0; i < vertices.length; i++) triangles[i] = index[vertices[i] as number] as number;
  return { ...arrays, triangles };
}

/**
 * The evaluated points joined to the evaluated point told at exactly (x, y) by an edge of
 * the triangulation of the evaluated points ({@link triangulation}'s edges), as told
 * coordinates x₀, y₀, x₁, y₁, … into `out` (emptied first), in the ring's order; false when
 * (x, y) is no triangulated evaluated point (not told, pending, or a shadow). O(its degree)
 * once the triangulation of the evaluated points exists.
 */
export function realNeighbours(st: Learner2DState, x: number, y: number, out: number[]): boolean {
  out.length = 0;
  const mesh = realMesh(st);
  const v = mesh.findVertex(scaleX(st, x), scaleY(st, y));
  if (v < 0 || ((st.vflag[v] as number) & KIND) !== REAL) return false;
  if (st.xo[2 * v] !== x || st.xo[2 * v + 1] !== y) return false;
  const e0 = mesh.vedge[v] as number;
  if (e0 < 0) return false;
  const tv = mesh.tv;
  const tw = mesh.tw;
  let e = e0;
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0) out.push(st.xo[2 * u] as number, st.xo[2 * u + 1] as number);
    e = tw[prevE(e)] as number;
  } while (e !== e0);
  return true;
}

export function interpolateOne(
  st: Learner2DState,
  p: readonly [number, number],
): number | number[] {
  if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
    throw new TypeError(`Learner2D.interpolate: expected a point [x, y], got ${describe(p)}`);
  }
  const d = st.outputDimension;
  if (st.interpScratch.length < d) st.interpScratch = new Float64Array(d);
  const out = st.interpScratch;
  const inside =
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1]) &&
    interpolateAt(st, realMesh(st), scaleX(st, p[0]), scaleY(st, p[1]), out, 0) >= 0;
  if (!inside) out.fill(Number.NaN, 0, d);
  if (!st.vector) return out[0] as number;
  return Array.from(out.subarray(0, d));
}

/**
 * The interpolant on a regular grid of `nx × ny` points spanning the bounds (endpoints
 * included, like numpy's `linspace`), for heat maps. Without sizes, python-adaptive's rule:
 * `n = max(10, ⌊0.658 / √(smallest triangle area)⌋)` in both directions. O(nx·ny) with
 * coherent walks, plus O(n) for the default size.
 * @example
 * const { x, y, values } = interpolateGrid(st, { nx: 200, ny: 200 }, 'interpolateGrid');
 * values[i * 200 + j]; // the interpolant at (x[i], y[j])
 */
export function interpolateGrid(
  st: Learner2DState,
  options: { nx?: number; ny?: number },
  /** The method's name in messages (the deprecated alias names itself). */
  what: string,
): Grid2D {
  checkOptionKeys(`Learner2D.${what}`, options, GRID_OPTION_KEYS);
  let nDefault = GRID_MIN;
  const mesh = realMesh(st);
  if (options.nx === undefined || options.ny === undefined) {
    let minArea = INF;
    const tv = mesh.tv;
    const xy = st.store.xy;
    const stride = st.stride;
    for (let t = 0; t < mesh.capacity; t++) {
      if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
      const a = tv[3 * t] as number;
      const b = tv[3 * t + 1] as number;
      const c = tv[3 * t + 2] as number;
      const ar =
        Math.abs(
          ((xy[stride * b] as number) - (xy[stride * a] as number)) *
            ((xy[stride * c + 1] as number) - (xy[stride * a + 1] as number)) -
            ((xy[stride * b + 1] as number) - (xy[stride * a + 1] as number)) *
              ((xy[stride * c] as number) - (xy[stride * a] as number)),
        ) / 2;
      if (ar < minArea) minArea = ar;
    }
    if (minArea > 0 && Number.isFinite(minArea)) {
      nDefault = Math.max(GRID_MIN, Math.floor(GRID_DENSITY / Math.sqrt(minArea)));
    }
  }
  const nx = options.nx ?? nDefault;
  const ny = options.ny ?? nDefault;
  for (const [name, v] of [
    ['nx', nx],
    ['ny', ny],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(
        `Learner2D.${what}: ${name} must be a positive integer, got ${describe(v)}`,
      );
    }
  }
  const [[x0, x1], [y0, y1]] = st.bounds;
  const linspace = (a: number, b: number, m: number): Float64Array => {
    const out = new Float64Array(m);
    if (m === 1) {
      out[0] = a;
      return out;
    }
    const step = (b - a) / (m - 1);
    for (let i = 0; i < m; i++) out[i] = i === m - 1 ? b : a + i * step;
    return out;
  };
  const x = linspace(x0, x1, nx);
  const y = linspace(y0, y1, ny);
  const d = st.outputDimension;
  const values = new Float64Array(nx * ny * d).fill(Number.NaN);
  if (mesh.triangleCount > 0 && st.vdim > 0) {
    for (let i = 0; i < nx; i++) {
      // Serpentine order keeps consecutive queries next to each other.
      const sx = scaleX(st, x[i] as number);
      for (let jj = 0; jj < ny; jj++) {
        const j = i % 2 === 0 ? jj : ny - 1 - jj;
        interpolateAt(st, mesh, sx, scaleY(st, y[j] as number), values, (i * ny + j) * d);
      }
    }
  }
  return { x, y, values, vdim: d };
}

/**
 * Every triangle of the evaluated data (`real`, default) or of evaluated plus pending points
 * with its loss, in the learner's scaled coordinates. O(n).
 * @example learner.triangleLosses()[0] // { points: [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5]], loss: 0.15 }
 */
export function triangleLosses(
  st: Learner2DState,
  options?: LossOptions,
): { points: Point2D[]; loss: number }[] {
  const ms = (options?.real ?? true) && st.nPending > 0 ? ensureR(st) : st.combined;
  flush(st, ms);
  const mesh = ms.mesh;
  const xy = st.store.xy;
  const stride = st.stride;
  const out: { points: Point2D[]; loss: number }[] = [];
  for (let t = 0; t < mesh.capacity; t++) {
    if (!mesh.isLive(t) || mesh.isGhost(t)) continue;
    const points: Point2D[] = [];
    for (let i = 0; i < 3; i++) {
      const v = mesh.tv[3 * t + i] as number;
      points.push([xy[stride * v] as number, xy[stride * v + 1] as number]);
    }
    // A triangle out of the heap has no free lattice point left (pure lattice): loss 0.
    out.push({ points, loss: ms.heap.has(t) ? ms.heap.key(t) : 0 });
  }
  return out;
}

/**
 * Points handed out by `ask` (or told pending) and not yet told, sorted by x, then y. O(n).
 * @example learner.ask(2); learner.pendingPoints; // [[-1, -1], [-1, 1]]
 */
export function pendingPoints(st: Learner2DState): Point2D[] {
  const out: Point2D[] = [];
  for (let v = 0; v < st.store.size; v++) {
    if (((st.vflag[v] as number) & KIND) === PENDING) {
      out.push([st.xo[2 * v] as number, st.xo[2 * v + 1] as number]);
    }
  }
  return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}
