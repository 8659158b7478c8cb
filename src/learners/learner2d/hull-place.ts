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
import { nextDown, nextUp } from '../learnernd/hash.js';
import { type Hull2D, isFlat, moved, moveInside } from './hull.js';
import { type Learner2DState, scaleX, scaleY } from './state.js';

/** The most one-ulp steps towards the centroid. */
const STEPS = 64;

/**
 * Moves the point (x, y) chosen in combined triangle t inside the polygon and inside the
 * triangulation's hull in scaled coordinates; sets `moved`. False when 64 steps do not get
 * there (the caller skips the triangle). O(polygon vertices) a step, plus a short walk.
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
  for (let step = 0; step <= STEPS; step++) {
    if (!moveInside(hull, x, y)) return false;
    x = moved.x;
    y = moved.y;
    const u = mesh.locate(scaleX(st, x), scaleY(st, y), t);
    if (u >= 0 && !mesh.isGhost(u)) return true;
    x = x < gx ? nextUp(x) : x > gx ? nextDown(x) : x;
    y = y < gy ? nextUp(y) : y > gy ? nextDown(y) : y;
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
