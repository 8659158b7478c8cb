/**
 * Learner2D's triangulations: the real one (evaluated points only) made on first need, and the
 * bulk build of a triangulation in a good insertion order.
 */
import type { Delaunay2D } from '../../geometry/delaunay2d.js';
import { nextE, prevE } from '../../geometry/half-edge.js';
import { hilbert } from './order.js';
import {
  DIRTY_R,
  KIND,
  type Learner2DState,
  MeshLosses,
  REAL,
  SHADOW,
  scaleX,
  scaleY,
} from './state.js';

/** The triangulation of the evaluated points (the combined one when nothing is pending). */
export function realMesh(st: Learner2DState): Delaunay2D {
  return st.nPending === 0 ? st.combined.mesh : ensureR(st).mesh;
}

/** The real triangulation, made from the evaluated points on first use. O(n log n) once. */
export function ensureR(st: Learner2DState): MeshLosses {
  if (st.real !== null) return st.real;
  const real = new MeshLosses(st.store, DIRTY_R, false);
  buildMesh(st, real.mesh, realIds(st, false));
  real.all = true;
  st.real = real;
  return real;
}

/** Ids of the evaluated vertices (with the shadows or not), in id order. */
export function realIds(st: Learner2DState, withShadows: boolean): Int32Array {
  const ids = new Int32Array(st.nReal);
  let k = 0;
  for (let v = 0; v < st.store.size; v++) {
    const f = st.vflag[v] as number;
    if ((f & KIND) === REAL && (withShadows || (f & SHADOW) === 0)) ids[k++] = v;
  }
  return ids.subarray(0, k);
}

/**
 * Inserts vertices into an empty triangulation in a good order: corners first, then along a
 * Hilbert curve (short walks, little hull growth); of vertices at equal scaled coordinates
 * the lexicographically smallest (as told) first. Returns the vertices that landed on
 * another's scaled coordinates (not inserted).
 */
export function buildMesh(st: Learner2DState, mesh: Delaunay2D, ids: Int32Array): number[] {
  const xo = st.xo;
  const rec = st.store.xy;
  const stride = st.stride;
  const n = ids.length;
  const keys = new Float64Array(n);
  // Corners first, told by their scaled position: a point at a corner's scaled coordinates
  // ties with the corner, so the smaller of the two as told is triangulated (corners by their
  // coordinates as told went first, and a restore triangulated the other one).
  const cx0 = scaleX(st, st.x0);
  const cx1 = scaleX(st, st.x1);
  const cy0 = scaleY(st, st.y0);
  const cy1 = scaleY(st, st.y1);
  const hullCorners = st.hull === null ? null : scaledCorners(st);
  for (let i = 0; i < n; i++) {
    const v = ids[i] as number;
    const sx = rec[stride * v] as number;
    const sy = rec[stride * v + 1] as number;
    const corner =
      hullCorners === null
        ? (sx === cx0 || sx === cx1) && (sy === cy0 || sy === cy1)
        : hullCorners.get(sx)?.includes(sy) === true;
    keys[i] = corner ? -1 : hilbert(sx + 0.5, sy + 0.5);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => {
    const k = (keys[i] as number) - (keys[j] as number);
    if (k !== 0) return k;
    const a = ids[i] as number;
    const b = ids[j] as number;
    return (
      (xo[2 * a] as number) - (xo[2 * b] as number) ||
      (xo[2 * a + 1] as number) - (xo[2 * b + 1] as number)
    );
  });
  const collided: number[] = [];
  for (const i of order) {
    const v = ids[i] as number;
    if (mesh.insertVertex(v) !== v) collided.push(v);
  }
  return collided;
}

/** A hull's corners by scaled x: their scaled ys. O(corners). */
function scaledCorners(st: Learner2DState): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const [x, y] of st.corners) {
    const sx = scaleX(st, x);
    const list = m.get(sx);
    if (list === undefined) m.set(sx, [scaleY(st, y)]);
    else list.push(scaleY(st, y));
  }
  return m;
}

/** A real-triangulation triangle next to vertex v (in the combined one): a walk hint. */
export function realHintAround(st: Learner2DState, v: number): number {
  const combined = st.combined.mesh;
  const Rm = (st.real as MeshLosses).mesh;
  const e0 = combined.vedge[v] as number;
  if (e0 < 0) return -1;
  const tv = combined.tv;
  const tw = combined.tw;
  let e = e0;
  do {
    const u = tv[nextE(e)] as number;
    if (u >= 0 && ((st.vflag[u] as number) & REAL) !== 0) {
      const re = Rm.vedge[u] as number;
      if (re >= 0) return (re / 3) | 0;
    }
    e = tw[prevE(e)] as number;
  } while (e !== e0);
  return -1;
}
