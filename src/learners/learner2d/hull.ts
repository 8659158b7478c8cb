/**
 * Learner2D on a convex polygon (`hull`): the polygon read and checked from the options, the
 * exact inside test (robust-predicates' `orient2d`, points on an edge are inside), the move
 * of a chosen point that rounding left just outside a slanted edge back inside, and the
 * lookup of a polygon vertex (a "corner") by its coordinates.
 *
 * The polygon is taken as given: its vertices in order around it (either way round), strictly
 * convex. A repeated point, three consecutive collinear vertices, a reflex vertex or a polygon
 * that winds round more than once is refused with an error naming the vertices, so a typo'd
 * vertex is never dropped silently. (LearnerND, like python-adaptive's, takes the convex hull
 * of whatever points it is given.)
 */
import { orient } from '../../geometry/predicates-nd.js';
import { hashFloatPair } from '../../util/float-hash.js';
import { nextDown, nextUp } from '../learnernd/hash.js';
import { describe, doublesBetween, MIN_DOUBLES_PER_AXIS } from '../validate.js';

/** The most one-ulp steps `moveInside` takes before giving the point up. */
const NUDGE_STEPS = 64;

const X6 = new Float64Array(6);
const IDS = Int32Array.of(0, 1, 2);

/**
 * The exact orientation of (a, b, c): 1 counterclockwise (y up), -1 clockwise, 0 collinear
 * (predicates-nd's `orient`: robust-predicates' orient2d where no product can under- or
 * overflow, an exact generic path beyond).
 */
export function orientSign(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
): number {
  X6[0] = ax;
  X6[1] = ay;
  X6[2] = bx;
  X6[3] = by;
  X6[4] = cx;
  X6[5] = cy;
  return orient(X6, 2, IDS, 0);
}

/** A checked polygon: its vertices as given, counterclockwise, its bounding box, a lookup. */
export interface Hull2D {
  /** The vertices as given (+0 for -0): the corners, asked in this order. */
  readonly points: readonly (readonly [number, number])[];
  /** The vertices counterclockwise (y up), x and y interleaved. */
  readonly ccw: Float64Array;
  /** The number of vertices. */
  readonly k: number;
  /** The bounding box `[[x0, x1], [y0, y1]]`. */
  readonly box: readonly [readonly [number, number], readonly [number, number]];
  /** Vertex index (into `points`) by hashFloatPair of its coordinates; -1 for empty. */
  readonly table: Int32Array;
}

const name = (h: readonly (readonly [number, number])[], i: number): string =>
  `hull[${i}] = [${h[i]?.[0]}, ${h[i]?.[1]}]`;

/** Whether the edge from vertex a to vertex b of `ccw` points up: by y, then by x. */
function lexUp(ccw: Float64Array, a: number, b: number): boolean {
  const ya = ccw[2 * a + 1] as number;
  const yb = ccw[2 * b + 1] as number;
  return yb > ya || (yb === ya && (ccw[2 * b] as number) > (ccw[2 * a] as number));
}

/**
 * Reads and checks the `hull` option: at least 3 finite points [x, y], no point twice, the
 * vertices of a strictly convex polygon in order (either orientation). O(k) exact
 * orientation tests and comparisons for k vertices.
 * @throws TypeError/RangeError naming the offending vertices.
 * @example readHull([[0, 0], [1, 0], [0.5, 1]]).box; // [[0, 1], [0, 1]]
 */
export function readHull(h: unknown): Hull2D {
  if (!Array.isArray(h) || h.length < 3) {
    throw new TypeError(
      `Learner2D: hull must be an array of at least 3 points [x, y], the vertices of a convex polygon in order, got ${describe(h)}`,
    );
  }
  const pts: [number, number][] = [];
  for (let i = 0; i < h.length; i++) {
    const p = h[i] as unknown;
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number'
    ) {
      throw new TypeError(`Learner2D: hull[${i}] must be a point [x, y], got ${describe(p)}`);
    }
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new RangeError(`Learner2D: hull[${i}] = ${describe(p)} is not finite`);
    }
    pts.push([p[0] + 0, p[1] + 0]);
  }
  const k = pts.length;
  let cap = 8;
  while (cap < 2 * k) cap *= 2;
  const table = new Int32Array(cap).fill(-1);
  for (let i = 0; i < k; i++) {
    const [x, y] = pts[i] as [number, number];
    for (let s = hashFloatPair(x, y, cap - 1); ; s = (s + 1) & (cap - 1)) {
      const j = table[s] as number;
      if (j < 0) {
        table[s] = i;
        break;
      }
      const q = pts[j] as [number, number];
      if (q[0] === x && q[1] === y) {
        throw new RangeError(
          `Learner2D: the hull has the point [${x}, ${y}] twice (hull[${j}] and hull[${i}]); give each vertex of the polygon once`,
        );
      }
    }
  }
  const turn = (i: number): number => {
    const a = pts[(i + k - 1) % k] as [number, number];
    const b = pts[i] as [number, number];
    const c = pts[(i + 1) % k] as [number, number];
    return orientSign(a[0], a[1], b[0], b[1], c[0], c[1]);
  };
  let sign = 0;
  let first = -1;
  let allFlat = true;
  for (let i = 0; i < k; i++) if (turn(i) !== 0) allFlat = false;
  if (allFlat) {
    throw new RangeError(
      `Learner2D: the hull is degenerate: all its ${k} points lie on one line, got ${describe(h)}`,
    );
  }
  for (let i = 0; i < k; i++) {
    const t = turn(i);
    if (t === 0) {
      throw new RangeError(
        `Learner2D: ${name(pts, i)} lies on the line through its neighbours ${name(pts, (i + k - 1) % k)} and ${name(pts, (i + 1) % k)}; a polygon's vertices are its corners: drop it`,
      );
    }
    if (sign === 0) {
      sign = Math.sign(t);
      first = i;
    } else if (Math.sign(t) !== sign) {
      throw new RangeError(
        `Learner2D: the hull is not a convex polygon: it turns ${sign > 0 ? 'left' : 'right'} at ${name(pts, first)} and ${sign > 0 ? 'right' : 'left'} at ${name(pts, i)}; give the vertices of a convex polygon in order around it (LearnerND takes the convex hull of any points)`,
      );
    }
  }
  const ccw = new Float64Array(2 * k);
  for (let i = 0; i < k; i++) {
    const p = pts[sign > 0 ? i : k - 1 - i] as [number, number];
    ccw[2 * i] = p[0];
    ccw[2 * i + 1] = p[1];
  }
  // Turns all one way, yet a star (a pentagram) winds round twice. Each strict left turn
  // turns the edge direction by less than a half turn, so the directions pass from "up"
  // (lexicographically by y, then x: the half-open half-circle [0, π)) to "down" and back
  // 2w times for a polygon that winds w times round: once is 2. O(k), exact.
  let changes = 0;
  let wasUp = lexUp(ccw, k - 1, 0);
  for (let e = 0; e < k; e++) {
    const up = lexUp(ccw, e, (e + 1) % k);
    if (up !== wasUp) changes++;
    wasUp = up;
  }
  if (changes !== 2) {
    throw new RangeError(
      `Learner2D: the hull is not a convex polygon: it crosses itself or winds round more than once (${changes / 2} times); give the vertices of a convex polygon in order around it`,
    );
  }
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  for (const [axis, lo, hi] of [
    ['x', x0, x1],
    ['y', y0, y1],
  ] as const) {
    if (!Number.isFinite(hi - lo)) {
      throw new RangeError(
        `Learner2D: the hull spans more than the largest double along ${axis} ([${lo}, ${hi}]); use a polygon whose extent is finite`,
      );
    }
    const count = doublesBetween(lo, hi);
    if (count < MIN_DOUBLES_PER_AXIS) {
      throw new RangeError(
        `Learner2D: the hull spans only ${count} representable doubles along ${axis} ([${lo}, ${hi}]), too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use a larger polygon, or one nearer 0`,
      );
    }
  }
  return {
    points: pts,
    ccw,
    k,
    box: [
      [x0, x1],
      [y0, y1],
    ],
    table,
  };
}

/**
 * The index (into `hull.points`) of the vertex at (x, y), or -1. Expected O(1).
 * @example hullVertexIndex(readHull([[0, 0], [1, 0], [0, 1]]), 1, 0); // 1
 */
export function hullVertexIndex(hull: Hull2D, x: number, y: number): number {
  const t = hull.table;
  const mask = t.length - 1;
  for (let s = hashFloatPair(x, y, mask); ; s = (s + 1) & mask) {
    const j = t[s] as number;
    if (j < 0) return -1;
    const p = hull.points[j] as readonly [number, number];
    if (p[0] === x && p[1] === y) return j;
  }
}

/**
 * The first edge (index of its start in `hull.ccw`) that (x, y) lies strictly outside of,
 * exactly; -1 when the point is inside or on the polygon. O(k).
 */
export function edgeOutside(hull: Hull2D, x: number, y: number): number {
  const c = hull.ccw;
  const k = hull.k;
  let ax = c[2 * k - 2] as number;
  let ay = c[2 * k - 1] as number;
  for (let e = 0; e < k; e++) {
    const bx = c[2 * e] as number;
    const by = c[2 * e + 1] as number;
    // Clockwise (a, b, p): outside. 0: on the edge's line.
    if (orientSign(ax, ay, bx, by, x, y) < 0) return e === 0 ? k - 1 : e - 1;
    ax = bx;
    ay = by;
  }
  return -1;
}

/**
 * Whether (x, y) lies in the polygon or on its boundary, exactly. O(k).
 * @example insideHull(readHull([[0, 0], [1, 0], [0, 1]]), 0.5, 0.5); // true (on an edge)
 */
export function insideHull(hull: Hull2D, x: number, y: number): boolean {
  return edgeOutside(hull, x, y) < 0;
}

/**
 * The polygon as the messages name it: `[[x, y], ...]`, its first 8 vertices and a count
 * beyond.
 */
export function hullText(hull: Hull2D): string {
  const shown = hull.points.slice(0, 8).map(([x, y]) => `[${x}, ${y}]`);
  if (hull.k > 8) shown.push(`… ${hull.k - 8} more`);
  return `[${shown.join(', ')}]`;
}

/** moveInside's result. */
export const moved = { x: 0, y: 0 };

/**
 * Moves a point that rounding left just outside the polygon (the midpoint of two points on a
 * slanted edge) inside, one ulp at a time against the outward normal of the edge it is beyond,
 * within the bounding box. Sets `moved`; false when 64 steps do not bring it inside (the
 * caller skips the point). The point as given when it is inside already. O(k) a step.
 */
export function moveInside(hull: Hull2D, x: number, y: number): boolean {
  const c = hull.ccw;
  const k = hull.k;
  const [[x0, x1], [y0, y1]] = hull.box;
  for (let step = 0; step <= NUDGE_STEPS; step++) {
    const e = edgeOutside(hull, x, y);
    if (e < 0) {
      moved.x = x;
      moved.y = y;
      return true;
    }
    // Edge a → b counterclockwise: the outward normal is (by − ay, ax − bx).
    const ax = c[2 * e] as number;
    const ay = c[2 * e + 1] as number;
    const f = (e + 1) % k;
    const nx = (c[2 * f + 1] as number) - ay;
    const ny = ax - (c[2 * f] as number);
    if (nx > 0) x = nextDown(x);
    else if (nx < 0) x = nextUp(x);
    if (ny > 0) y = nextDown(y);
    else if (ny < 0) y = nextUp(y);
    x = Math.min(Math.max(x, x0), x1) + 0;
    y = Math.min(Math.max(y, y0), y1) + 0;
  }
  return false;
}

/**
 * Throws (through `bad`) unless a snapshot's `hull` field fits this learner's domain: absent
 * for a box, the same vertices in the same order for a polygon. O(k).
 */
export function checkSnapshotHull(
  hull: Hull2D | null,
  given: unknown,
  bad: (why: string) => never,
): void {
  if (hull === null) {
    if (given !== undefined) {
      bad(
        `the snapshot is of a learner on the polygon ${describe(given)}, this learner's domain is a box (restore it into new Learner2D({ hull }))`,
      );
    }
    return;
  }
  if (given === undefined) {
    bad(
      `the snapshot is of a learner on a box, this learner's domain is the polygon ${hullText(hull)}`,
    );
  }
  const same =
    Array.isArray(given) &&
    given.length === hull.k &&
    hull.points.every(
      ([x, y], i) =>
        Array.isArray(given[i]) && given[i].length === 2 && given[i][0] === x && given[i][1] === y,
    );
  if (!same) {
    bad(`the snapshot has the hull ${describe(given)}, this learner ${hullText(hull)}`);
  }
}

/**
 * The coordinates' resolution in scaled units, times a margin: an ulp of the polygon's
 * largest coordinate per unit of width along each axis (the larger), plus the rounding of the
 * scaled coordinates themselves; 64 ulps of each, for points moved a few ulps inside.
 */
export function flatTolerance(hull: Hull2D, width: readonly [number, number]): number {
  let mx = 0;
  let my = 0;
  for (const [x, y] of hull.points) {
    mx = Math.max(mx, Math.abs(x));
    my = Math.max(my, Math.abs(y));
  }
  const ulp = (m: number): number => (m === 0 ? 0 : 2 ** (Math.floor(Math.log2(m)) - 52));
  return 64 * (Math.max(ulp(mx) / width[0], ulp(my) / width[1]) + 2 ** -53);
}

/**
 * Whether the triangle with scaled vertices a, b, c is flat within the tolerance: its
 * smallest height, 2·area / longest edge, at most `tol`.
 */
export function isFlat(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  tol: number,
): boolean {
  const area2 = Math.abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  const l = Math.max(
    Math.hypot(bx - ax, by - ay),
    Math.hypot(cx - bx, cy - by),
    Math.hypot(ax - cx, ay - cy),
  );
  return area2 <= tol * l;
}
