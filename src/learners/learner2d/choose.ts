/**
 * Choosing the point that splits a triangle: python-adaptive's `choose_point_in_triangle`
 * (with its signed-area bug fixed), as a public function and as the learner's fast path.
 */
import { mid } from '../../util/mid.js';
import { describe } from '../validate.js';
import { moved } from './hull.js';
import { placeInHull } from './hull-place.js';
import { snapToLattice } from './lattice.js';
import { firstVertex } from './order.js';
import { phFind } from './pending.js';
import { type Learner2DState, MAX_BADNESS, SQRT3_4, scaleX, scaleY } from './state.js';
import type { Point2D } from './types.js';

/** (a + b + c) / 3 without overflow (the sum overflows near ±MAX_VALUE). */
export function third(a: number, b: number, c: number): number {
  const m = (a + b + c) / 3;
  return Number.isFinite(m) ? m : a / 3 + b / 3 + c / 3;
}

/**
 * Where to split a triangle (python-adaptive's `choose_point_in_triangle`, with its signed-area
 * bug fixed): the midpoint of the longest edge when the triangle is badly shaped,
 * `longest² / |area| · √3/4 > maxBadness` (an equilateral triangle has badness 1), else the
 * centroid. Edges are taken in python's order (v2→v0, v0→v1, v1→v2); the first longest wins.
 * Learner2D applies this rule in its scaled coordinates.
 *
 * @example
 * choosePointInTriangle([[0, 0], [1, 0], [0, 1]]); // [0.3333333333333333, 0.3333333333333333]
 * choosePointInTriangle([[0, 0], [1, 0], [0.5, 0.01]]); // [0.5, 0] (badness 43)
 */
export function choosePointInTriangle(
  triangle: readonly (readonly [number, number])[],
  maxBadness = MAX_BADNESS,
): Point2D {
  if (!Array.isArray(triangle) || triangle.length !== 3) {
    throw new TypeError(
      `choosePointInTriangle: expected three points [[x, y], [x, y], [x, y]], got ${describe(triangle)}`,
    );
  }
  const p = triangle.map((q, i) => {
    if (!Array.isArray(q) || q.length !== 2 || !q.every((c) => typeof c === 'number')) {
      throw new TypeError(`choosePointInTriangle: point ${i} is not [x, y]: ${describe(q)}`);
    }
    return q as unknown as readonly [number, number];
  }) as [readonly [number, number], readonly [number, number], readonly [number, number]];
  const [a, b, c] = p;
  const area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2;
  // np.roll(triangle, 1): edges (c, a), (a, b), (b, c).
  const edges: [readonly [number, number], readonly [number, number]][] = [
    [c, a],
    [a, b],
    [b, c],
  ];
  let best = 0;
  let longest = -1;
  for (let i = 0; i < 3; i++) {
    const [u, w] = edges[i] as [readonly [number, number], readonly [number, number]];
    const l = Math.hypot(w[0] - u[0], w[1] - u[1]);
    if (l > longest) {
      longest = l;
      best = i;
    }
  }
  if (((longest * longest) / area) * SQRT3_4 > maxBadness) {
    const [u, w] = edges[best] as [readonly [number, number], readonly [number, number]];
    return [(u[0] + w[0]) / 2, (u[1] + w[1]) / 2];
  }
  return [(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3];
}

/**
 * python-adaptive's `choose_point_in_triangle` for combined triangle t, with the absolute
 * area: the midpoint of the longest edge when `longest² / area · √3/4 > 5`, else the
 * centroid. The shape is judged in scaled coordinates; the point is computed from the
 * coordinates as told (so a boundary edge's midpoint lies exactly on the boundary) and
 * clipped to the bounds. Sets cx, cy; false when the point is already a vertex (a triangle
 * at the limit of floating-point resolution).
 */
export function choosePoint(st: Learner2DState, t: number): boolean {
  const mesh = st.combined.mesh;
  const tv = mesh.tv;
  const xy = st.store.xy;
  const stride = st.stride;
  const xo = st.xo;
  const r = firstVertex(xy, stride, tv, 3 * t);
  const a = tv[3 * t + r] as number;
  const b = tv[3 * t + ((r + 1) % 3)] as number;
  const c = tv[3 * t + ((r + 2) % 3)] as number;
  const ax = xy[stride * a] as number;
  const ay = xy[stride * a + 1] as number;
  const bx = xy[stride * b] as number;
  const by = xy[stride * b + 1] as number;
  const cx = xy[stride * c] as number;
  const cy = xy[stride * c + 1] as number;
  const area = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) / 2;
  // python's np.roll order: edges (c, a), (a, b), (b, c); the first longest wins.
  const e0 = (ax - cx) * (ax - cx) + (ay - cy) * (ay - cy);
  const e1 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay);
  const e2 = (cx - bx) * (cx - bx) + (cy - by) * (cy - by);
  let p = c;
  let q = a;
  let longest = e0;
  if (e1 > longest) {
    p = a;
    q = b;
    longest = e1;
  }
  if (e2 > longest) {
    p = b;
    q = c;
    longest = e2;
  }
  let x: number;
  let y: number;
  if ((longest / area) * SQRT3_4 > MAX_BADNESS) {
    x = mid(xo[2 * p] as number, xo[2 * q] as number);
    y = mid(xo[2 * p + 1] as number, xo[2 * q + 1] as number);
  } else {
    x = third(xo[2 * a] as number, xo[2 * b] as number, xo[2 * c] as number);
    y = third(xo[2 * a + 1] as number, xo[2 * b + 1] as number, xo[2 * c + 1] as number);
  }
  x = Math.max(st.x0, Math.min(st.x1, x)) + 0;
  y = Math.max(st.y0, Math.min(st.y1, y)) + 0;
  // In a polygon: a midpoint of a slanted edge may round outside it; moved inside exactly.
  if (st.hull !== null) {
    if (!placeInHull(st, st.hull, t, x, y)) return false;
    x = moved.x;
    y = moved.y;
  } else if (st.integer !== null) {
    // On a lattice: the nearest free lattice point of the triangle (lattice.ts).
    if (!snapToLattice(st, a, b, c, x, y)) return false;
    x = st.chosenX;
    y = st.chosenY;
  }
  // Already a vertex? (Only where floating point cannot split the triangle any more.)
  if (
    (x === xo[2 * a] && y === xo[2 * a + 1]) ||
    (x === xo[2 * b] && y === xo[2 * b + 1]) ||
    (x === xo[2 * c] && y === xo[2 * c + 1])
  ) {
    return false;
  }
  if (phFind(st, x, y) >= 0) return false;
  const sx = scaleX(st, x);
  const sy = scaleY(st, y);
  if (mesh.findVertex(sx, sy, t) >= 0) return false;
  st.chosenX = x;
  st.chosenY = y;
  return true;
}
