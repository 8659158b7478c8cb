/**
 * Placing a chosen point in a convex-polygon domain: inside the polygon exactly (as told),
 * and inside the triangulation in the scaled coordinates the triangulation uses.
 *
 * The two can disagree on a slanted edge: scaling, (x − mean) / width, rounds, so a point
 * exactly on an edge as told may land a hair outside the triangulation's hull edge. Inserted
 * there it would add a sliver outside the edge and leave the triangle that chose it whole,
 * to choose the same point again (a livelock the makesProgress law found). So a point outside
 * in scaled coordinates is moved one ulp at a time towards the triangle's centroid.
 *
 * Points a few ulps from a slanted edge still make triangles along it that are flat within
 * the coordinates' resolution: between the edge's ends and a point a hair inside it. Such a
 * triangle holds no area to sample, but a loss that does not weigh by area
 * (minimizeTriangleSurfaceLoss2D: the surface over it) would keep choosing it, and its split
 * is a point already there (the livelock again). A triangle flat within the resolution gets
 * its area as loss (as LearnerND's flat hull simplices get their volume).
 */
import type { Delaunay2D } from '../../geometry/delaunay2d.js';
import { nextDown, nextUp } from '../learnernd/hash.js';
import { edgeValue } from './edge-value.js';
import { type Hull2D, isFlat, moved, moveInside } from './hull.js';
import { type Learner2DState, scaleX, scaleY } from './state.js';

/** The most one-ulp steps towards the centroid. */
const STEPS = 64;

/**
 * Moves the point (x, y) chosen in combined triangle t inside the polygon and inside the
 * triangulation's hull in scaled coordinates; sets `moved`. False when neither 64 one-ulp
 * steps nor fractions of the way to the centroid get there (the caller skips the triangle).
 * O(polygon vertices) a step, plus a short walk.
 */
export function placeInHull(
  st: Learner2DState,
  hull: Hull2D,
  t: number,
  x: number,
  y: number,
): boolean {
  const mesh = st.combined.mesh;
  const tv = mesh.tv;
  const xo = st.xo;
  const a = tv[3 * t] as number;
  const b = tv[3 * t + 1] as number;
  const c = tv[3 * t + 2] as number;
  // The centroid, divided first (the sum overflows near ±MAX_VALUE): a direction only.
  const gx = (xo[2 * a] as number) / 3 + (xo[2 * b] as number) / 3 + (xo[2 * c] as number) / 3;
  const gy =
    (xo[2 * a + 1] as number) / 3 + (xo[2 * b + 1] as number) / 3 + (xo[2 * c + 1] as number) / 3;
  const x0 = x;
  const y0 = y;
  for (let step = 0; step <= STEPS; step++) {
    if (!moveInside(hull, x, y)) return false;
    x = moved.x;
    y = moved.y;
    const u = mesh.locate(scaleX(st, x), scaleY(st, y), t);
    if (u >= 0 && !mesh.isGhost(u)) return true;
    x = x < gx ? nextUp(x) : x > gx ? nextDown(x) : x;
    y = y < gy ? nextUp(y) : y > gy ? nextDown(y) : y;
  }
  // One ulp in each coordinate moves along (±1, ±1) ulps: parallel to an edge at 45° (equal
  // ulps), where a point on the edge that scales to just outside stays outside. Then move
  // along the line to the centroid instead, a fraction 2⁻⁵², 2⁻⁵¹, … ½ of the way.
  //
  //      ╱ g           the steps above: x → x + (1, 1) ulp, along the edge
  //     ╱ ↖            these:           x → x + f (g − x), into the triangle
  //    ╱___x___
  for (let f = 2 ** -52; f <= 0.5; f *= 2) {
    if (!moveInside(hull, x0 + f * (gx - x0), y0 + f * (gy - y0))) continue;
    x = moved.x;
    y = moved.y;
    const u = mesh.locate(scaleX(st, x), scaleY(st, y), t);
    if (u >= 0 && !mesh.isGhost(u)) return true;
  }
  return false;
}

/**
 * Replaces the loss in `st.lossOut` by the triangle's area when the triangle (vertices a, b,
 * c) is flat within the coordinates' resolution (see the file header). O(1).
 */
export function flatHullLoss(st: Learner2DState, a: number, b: number, c: number): void {
  const rec = st.store.xy;
  const S = st.stride;
  const ax = rec[S * a] as number;
  const ay = rec[S * a + 1] as number;
  const bx = rec[S * b] as number;
  const by = rec[S * b + 1] as number;
  const cx = rec[S * c] as number;
  const cy = rec[S * c + 1] as number;
  if (isFlat(ax, ay, bx, by, cx, cy, st.flatTol)) {
    st.lossOut[0] = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
  }
}

/**
 * Interpolation at scaled (sx, sy) just outside the triangulation, in ghost triangle t: in a
 * polygon a point on a slanted edge as told may land a hair outside in scaled coordinates.
 * Within the flatness tolerance of t's hull edge, the interpolant on that edge at the nearest
 * point (endpoints in lexicographic order, so the same bits whatever the history); else -1
 * (outside). Returns as `interpolateAt`: 1 finite, 0 not finite, -1 nothing written.
 */
export function nearEdgeValue(
  st: Learner2DState,
  mesh: Delaunay2D,
  t: number,
  sx: number,
  sy: number,
  out: Float64Array,
  off: number,
): number {
  const tv = mesh.tv;
  const tw = mesh.tw;
  const rec = st.store.xy;
  const S = st.stride;
  // Along the hull: a point a hair outside several nearly collinear hull edges may be
  // beyond the end of the one located; step to the ghost triangle next to that end.
  for (let step = 0, n = mesh.hullSize; step <= n; step++) {
    let i = 0;
    while (i < 3 && ((tv[3 * t + i] as number) < 0 || (tv[3 * t + ((i + 1) % 3)] as number) < 0))
      i++;
    if (i === 3) return -1;
    const u = tv[3 * t + i] as number;
    const w = tv[3 * t + ((i + 1) % 3)] as number;
    const ux = rec[S * u] as number;
    const uy = rec[S * u + 1] as number;
    const ex = (rec[S * w] as number) - ux;
    const ey = (rec[S * w + 1] as number) - uy;
    const len = Math.hypot(ex, ey);
    // The distance beyond the edge's line, and the position along it.
    if (Math.abs((sx - ux) * ey - (sy - uy) * ex) > st.flatTol * len) return -1;
    const s = ((sx - ux) * ex + (sy - uy) * ey) / (len * len);
    if (s >= 0 && s <= 1) return edgeValue(st, u, w, sx, sy, out, off);
    // Half-edges of t: u → w, w → ghost, ghost → u; the next ghost triangle on u's side
    // is across ghost → u, on w's side across w → ghost.
    const e = s < 0 ? 3 * t + ((i + 2) % 3) : 3 * t + ((i + 1) % 3);
    const twin = tw[e] as number;
    if (twin < 0) return -1;
    t = (twin / 3) | 0;
  }
  return -1;
}

/**
 * Interpolation in a triangle flat within rounding (a, b, c): along the path through its
 * middle vertex (the one opposite its longest edge), on the edge from an end to the middle
 * vertex that the point's projection falls on; the same bits whatever the history. Returns
 * 1 finite, 0 not finite.
 */
export function flatValue(
  st: Learner2DState,
  a: number,
  b: number,
  c: number,
  sx: number,
  sy: number,
  out: Float64Array,
  off: number,
): number {
  const rec = st.store.xy;
  const S = st.stride;
  const d2 = (p: number, q: number): number =>
    ((rec[S * p] as number) - (rec[S * q] as number)) ** 2 +
    ((rec[S * p + 1] as number) - (rec[S * q + 1] as number)) ** 2;
  // u → w the longest edge, m the middle vertex.
  let u = a;
  let w = b;
  let m = c;
  if (d2(b, c) > d2(u, w)) {
    u = b;
    w = c;
    m = a;
  }
  if (d2(c, a) > d2(u, w)) {
    u = c;
    w = a;
    m = b;
  }
  const ux = rec[S * u] as number;
  const uy = rec[S * u + 1] as number;
  const ex = (rec[S * w] as number) - ux;
  const ey = (rec[S * w + 1] as number) - uy;
  const along = (x: number, y: number): number => (x - ux) * ex + (y - uy) * ey;
  return along(sx, sy) <= along(rec[S * m] as number, rec[S * m + 1] as number)
    ? edgeValue(st, u, m, sx, sy, out, off)
    : edgeValue(st, m, w, sx, sy, out, off);
}
