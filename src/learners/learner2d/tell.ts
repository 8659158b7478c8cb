/**
 * Learner2D's tells: evaluated points (with the shadows: points at another's scaled
 * coordinates), pending points, and forgetting the pending points.
 */

import { checkTellMany } from '../validate.js';
import { afterInsert, afterValue, setAll } from './bookkeeping.js';
import { checkPoint, checkValue, validatePoint } from './check-input.js';
import { cornerPending, cornerTold, forgetPendingCorners } from './corners.js';
import { interpolateInto } from './interpolate.js';
import { throwLossError } from './losses.js';
import { buildMesh, realHintAround, realIds } from './meshes.js';
import { phAdd, phDelete, phFind } from './pending.js';
import {
  allocVertex,
  DIRTY_C,
  KIND,
  type Learner2DState,
  PENDING,
  REAL,
  SHADOW,
  scaleX,
  scaleY,
  writeNaN,
} from './state.js';
import type { Point2D, Value2D } from './types.js';
import { replaceScale, setShape, updateScale, writeValue } from './values.js';

/**
 * Tells the value at `point`. A point told before is ignored (its first value stays).
 * Expected O(1) for a point handed out by `ask` (the loss updates wait for the next read),
 * an O(√n) walk for a point it did not hand out; plus an amortised O(1) share of the full
 * recomputation when the value scale grows.
 * @throws TypeError/RangeError naming the point when it is outside the bounds or the value
 *   has the wrong shape; the learner is then unchanged.
 * @example learner.tell([0.5, -0.25], 1.2);
 */
export function tell(
  st: Learner2DState,
  point: Point2D | readonly [number, number],
  value: Value2D,
): void {
  validatePoint(st, point, 'tell');
  const len = checkValue(point, value, 'tell', st.vdim, st.vector);
  if (st.vdim === 0) setShape(st, len);
  tellUnchecked(st, (point[0] as number) + 0, (point[1] as number) + 0, value); // -0 → 0
  throwLossError(st);
}

export function tellUnchecked(st: Learner2DState, x: number, y: number, value: Value2D): void {
  let v = phFind(st, x, y);
  if (v >= 0 && ((st.vflag[v] as number) & SHADOW) !== 0) {
    // A pending shadow told: its twin u holds the scaled coordinates.
    const u = st.combined.mesh.findVertex(scaleX(st, x), scaleY(st, y));
    if (((st.vflag[u] as number) & KIND) === PENDING) {
      // The twin is pending too: the told point takes its vertex (evaluated points are
      // triangulated first), the twin's point stays pending as the shadow.
      swapPending(st, u, v);
      v = u;
    } else {
      dropPendingShadow(st, v);
      tellShadow(st, u, x, y, value);
      return;
    }
  } else if (v < 0) {
    const u = st.combined.mesh.findVertex(scaleX(st, x), scaleY(st, y));
    if (u >= 0) {
      if (st.xo[2 * u] === x && st.xo[2 * u + 1] === y) return; // told before
      // Another point at the same scaled coordinates (closer than floating point resolves).
      if (((st.vflag[u] as number) & KIND) === PENDING) {
        // The told point takes the pending vertex over (evaluated, at this resolution); the
        // pending point stays pending, as a shadow of it.
        const px = st.xo[2 * u] as number;
        const py = st.xo[2 * u + 1] as number;
        phDelete(st, u);
        st.xo[2 * u] = x;
        st.xo[2 * u + 1] = y;
        phAdd(st, u);
        addPendingShadow(st, px, py, u);
        v = u;
      } else {
        if (!isShadow(st, x, y)) tellShadow(st, u, x, y, value); // else told before
        return;
      }
    }
  }
  const real = st.real;
  const combined = st.combined;
  if (v >= 0) {
    phDelete(st, v);
    st.nPending--;
    writeValue(st, v, value);
    st.vflag[v] = ((st.vflag[v] as number) & ~KIND) | REAL;
    st.nReal++;
    afterValue(st, combined, v);
    if (real !== null) {
      if (real.mesh.insertVertex(v, realHintAround(st, v)) !== v) {
        throw new Error('Learner2D: internal error: a pending point is already evaluated');
      }
      afterInsert(st, real, v);
    }
  } else {
    v = allocVertex(st, x, y);
    writeValue(st, v, value);
    st.vflag[v] = REAL;
    st.nReal++;
    combined.mesh.insertVertex(v);
    afterInsert(st, combined, v);
    if (real !== null) {
      real.mesh.insertVertex(v);
      afterInsert(st, real, v);
    }
  }
  cornerTold(st, x, y);
  updateScale(st, v);
}

/**
 * A point at the scaled coordinates of evaluated vertex u but not equal to it: kept as data
 * (npoints, records, snapshots), not triangulated. Of such a group the lexicographically
 * smallest point is the triangulated one, whatever the order they came in.
 */
export function tellShadow(
  st: Learner2DState,
  u: number,
  x: number,
  y: number,
  value: Value2D,
): void {
  const s = allocVertex(st, x, y);
  writeValue(st, s, value);
  st.vflag[s] = REAL | SHADOW;
  st.nReal++;
  st.nShadow++;
  const xo = st.xo;
  if (x < (xo[2 * u] as number) || (x === xo[2 * u] && y < (xo[2 * u + 1] as number))) {
    // Swap: u (triangulated) takes the new point, s the old one.
    xo[2 * s] = xo[2 * u] as number;
    xo[2 * s + 1] = xo[2 * u + 1] as number;
    xo[2 * u] = x;
    xo[2 * u + 1] = y;
    const rec = st.store.xy;
    const stride = st.stride;
    for (let k = 2; k < st.metaOffset; k++) {
      const t = rec[stride * u + k] as number;
      rec[stride * u + k] = rec[stride * s + k] as number;
      rec[stride * s + k] = t;
    }
    // The non-finite bits too (u keeps its start half-edge: its ring is unchanged).
    const mu = rec[stride * u + st.metaOffset] as number;
    const ms = rec[stride * s + st.metaOffset] as number;
    rec[stride * u + st.metaOffset] = (mu & ~1) | (ms & 1);
    rec[stride * s + st.metaOffset] = (ms & ~1) | (mu & 1);
    if (st.real !== null) afterValue(st, st.real, u);
    afterValue(st, st.combined, u);
  }
  cornerTold(st, x, y);
  // The new value is at u after a swap, else at s.
  updateScale(st, u);
  updateScale(st, s);
}

/**
 * Replaces the value at an evaluated point: the gradients and losses around it, the value
 * range and the loss scale become those of a learner told the new value in the first place,
 * bit for bit when `recomputeLossesFactor` is 1 (else the loss scale stays within the factor
 * of the range, as Learner2D's own). Pending points keep the values interpolated when they
 * were told pending. O(1) plus the walk to the point, and O(n) when the range or the loss
 * scale changes (a former extreme replaced).
 * @throws TypeError/RangeError naming the point when it was not told, or the value has the
 *   wrong shape; the learner is then unchanged.
 * @internal
 */
export function replaceValue(
  st: Learner2DState,
  point: Point2D | readonly [number, number],
  value: Value2D,
): void {
  const [x, y] = checkPoint(st, point, 'replaceValue');
  const v = evaluatedVertex(st, x, y);
  if (v < 0) {
    throw new RangeError(
      `Learner2D.replaceValue: point [${x}, ${y}] has not been told, so it has no value to replace`,
    );
  }
  checkValue(point, value, 'replaceValue', st.vdim, st.vector);
  const d = st.vdim;
  const old = st.replaceOld.length >= d ? st.replaceOld : new Float64Array(d);
  st.replaceOld = old;
  const rec = st.store.xy;
  for (let k = 0; k < d; k++) old[k] = rec[v * st.stride + 2 + k] as number;
  writeValue(st, v, value);
  if (((st.vflag[v] as number) & SHADOW) === 0) {
    if (st.real !== null) afterValue(st, st.real, v);
    afterValue(st, st.combined, v);
  }
  replaceScale(st, v, old);
  throwLossError(st);
}

/** The evaluated vertex (triangulated or a shadow) told at exactly (x, y), or -1. */
function evaluatedVertex(st: Learner2DState, x: number, y: number): number {
  const u = st.combined.mesh.findVertex(scaleX(st, x), scaleY(st, y));
  if (u < 0 || ((st.vflag[u] as number) & KIND) !== REAL) return -1;
  const xo = st.xo;
  if (xo[2 * u] === x && xo[2 * u + 1] === y) return u;
  if (st.nShadow === 0) return -1;
  for (let v = 0; v < st.store.size; v++) {
    if (((st.vflag[v] as number) & (KIND | SHADOW)) === (REAL | SHADOW)) {
      if (xo[2 * v] === x && xo[2 * v + 1] === y) return v;
    }
  }
  return -1;
}

/**
 * Tells many points at once: the same as telling them one by one. All points and values are
 * validated first, so a bad one leaves the learner unchanged.
 * @example learner.tellMany([[0, 0], [0.5, 0.5]], [1, 2]);
 */
export function tellMany(
  st: Learner2DState,
  points: readonly (Point2D | readonly [number, number])[],
  values: readonly Value2D[],
): void {
  checkTellMany('Learner2D.tellMany', points, values);
  const clean: [number, number][] = new Array(points.length);
  let vdim = st.vdim;
  let vector = st.vector;
  for (let i = 0; i < points.length; i++) {
    const p = checkPoint(st, points[i], 'tellMany');
    const len = checkValue(p, values[i], 'tellMany', vdim, vector);
    if (vdim === 0) {
      vdim = len > 0 ? len : 1;
      vector = len > 0;
    }
    clean[i] = p;
  }
  if (points.length > 0 && st.vdim === 0) setShape(st, vector ? vdim : 0);
  for (let i = 0; i < clean.length; i++) {
    const p = clean[i] as [number, number];
    tellUnchecked(st, p[0], p[1], values[i] as Value2D);
  }
  throwLossError(st);
}

/**
 * Marks `point` as being evaluated, so `ask` does not hand it out again. A point known
 * already (evaluated or pending, or at their scaled coordinates) is left alone. Expected
 * O(1) plus a walk.
 * @example learner.tellPending([0.1, 0.2]);
 */
export function tellPending(st: Learner2DState, point: Point2D | readonly [number, number]): void {
  const p = checkPoint(st, point, 'tellPending');
  tellPendingAt(st, p[0], p[1], -1);
  throwLossError(st);
}

/**
 * Marks `point` pending with the value it held pending before (a snapshot's): the learner
 * it restores had interpolated it from values since replaced ({@link replaceValue}).
 * @internal
 */
export function tellPendingValue(
  st: Learner2DState,
  point: Point2D | readonly [number, number],
  value: Value2D,
): void {
  const p = checkPoint(st, point, 'tellPendingValue');
  if (st.vdim > 0) checkValue(point, value, 'tellPendingValue', st.vdim, st.vector);
  tellPendingAt(st, p[0], p[1], -1, value);
  throwLossError(st);
}

/**
 * Marks (x, y) pending; `hint` is a combined triangle near it, or -1. Its value is the
 * interpolant of the triangulation there, or `value` when given (a value it held before).
 */
export function tellPendingAt(
  st: Learner2DState,
  x: number,
  y: number,
  hint: number,
  value?: Value2D,
): void {
  if (phFind(st, x, y) >= 0) return;
  const combined = st.combined;
  const sx = scaleX(st, x);
  const sy = scaleY(st, y);
  let t = -1;
  if (combined.mesh.triangleCount > 0) {
    t = combined.mesh.locate(sx, sy, hint);
    if (!combined.mesh.isGhost(t)) {
      const rec = st.store.xy;
      const stride = st.stride;
      for (let i = 0; i < 3; i++) {
        const u = combined.mesh.tv[3 * t + i] as number;
        if (rec[stride * u] === sx && rec[stride * u + 1] === sy) {
          pendingAtVertex(st, x, y, u);
          return;
        }
      }
    }
  } else {
    const u = combined.mesh.findVertex(sx, sy);
    if (u >= 0) {
      pendingAtVertex(st, x, y, u);
      return;
    }
  }
  const v = allocVertex(st, x, y);
  cornerPending(st, x, y); // first: a corner told pending gets a pending corner's value
  if (value === undefined) interpolateInto(st, v, sx, sy, t);
  else if (st.vdim > 0) writeValue(st, v, value);
  st.vflag[v] = PENDING;
  st.nPending++;
  phAdd(st, v);
  combined.mesh.insertVertex(v, t);
  afterInsert(st, combined, v);
}

/**
 * Pending point (x, y) at the scaled coordinates of triangulated vertex u: nothing when it is
 * u's point, else a pending shadow of u.
 */
function pendingAtVertex(st: Learner2DState, x: number, y: number, u: number): void {
  if (st.xo[2 * u] === x && st.xo[2 * u + 1] === y) return; // known already
  if (isShadow(st, x, y)) return; // evaluated already
  addPendingShadow(st, x, y, u);
}

/**
 * Whether (x, y) is an evaluated shadow. O(n) when shadows exist, else O(1): only a point at
 * the scaled coordinates of another, distinct from it, asks (rare: ask never hands one out).
 */
function isShadow(st: Learner2DState, x: number, y: number): boolean {
  if (st.nShadow === 0) return false;
  const flags = st.vflag;
  const xo = st.xo;
  for (let v = 0; v < st.store.size; v++) {
    if (((flags[v] as number) & (KIND | SHADOW)) === (REAL | SHADOW)) {
      if (xo[2 * v] === x && xo[2 * v + 1] === y) return true;
    }
  }
  return false;
}

/**
 * A pending shadow: a pending point at the scaled coordinates of triangulated vertex `twin`
 * but not equal to it (closer than floating point resolves after scaling). Listed pending
 * (pendingPoints, snapshots; `ask` does not hand it out again), not triangulated, its values
 * a copy of a pending twin's interpolant (NaN beside an evaluated twin). Told, it becomes data:
 * triangulated in place of a pending twin, else a shadow of the evaluated twin.
 */
function addPendingShadow(st: Learner2DState, x: number, y: number, twin: number): number {
  const s = allocVertex(st, x, y); // values NaN
  if (((st.vflag[twin] as number) & KIND) === PENDING) {
    // The twin's interpolant (a pending shadow told later never reads it; snapshots do).
    const rec = st.store.xy;
    const stride = st.stride;
    for (let k = 2; k <= st.metaOffset; k++) rec[stride * s + k] = rec[stride * twin + k] as number;
    rec[stride * s + st.metaOffset] = (rec[stride * twin + st.metaOffset] as number) & 1;
  }
  st.vflag[s] = PENDING | SHADOW;
  st.nPending++;
  phAdd(st, s);
  cornerPending(st, x, y);
  return s;
}

/** Swaps the points (as told) of pending vertex u and pending shadow s, both pending. */
function swapPending(st: Learner2DState, u: number, s: number): void {
  phDelete(st, u);
  phDelete(st, s);
  const xo = st.xo;
  const x = xo[2 * u] as number;
  const y = xo[2 * u + 1] as number;
  xo[2 * u] = xo[2 * s] as number;
  xo[2 * u + 1] = xo[2 * s + 1] as number;
  xo[2 * s] = x;
  xo[2 * s + 1] = y;
  phAdd(st, u);
  phAdd(st, s);
}

/** Forgets pending shadow s (its point is being told as data). */
function dropPendingShadow(st: Learner2DState, s: number): void {
  phDelete(st, s);
  st.nPending--;
  st.vflag[s] = 0;
  writeNaN(st, s);
  st.freeV.push(s);
}

/**
 * Forgets every pending point: the combined triangulation becomes the real one again (a
 * copy when that exists, else rebuilt from the evaluated points). O(n log n).
 * @example learner.removeUnfinished(); learner.pendingPoints; // []
 */
export function removeUnfinished(st: Learner2DState): void {
  if (st.nPending === 0) return;
  const combined = st.combined;
  for (let v = 0; v < st.store.size; v++) {
    const f = st.vflag[v] as number;
    if ((f & KIND) === PENDING) {
      st.vflag[v] = 0;
      writeNaN(st, v);
      st.freeV.push(v);
    } else st.vflag[v] = f & ~DIRTY_C;
  }
  st.pendingTable.fill(-1);
  st.nPending = 0;
  forgetPendingCorners(st);
  combined.nT = 0;
  combined.nV = 0;
  combined.tdirty.fill(0);
  combined.mesh.clear();
  const real = st.real;
  if (real !== null) combined.mesh.copyFrom(real.mesh);
  else buildMesh(st, combined.mesh, realIds(st, false));
  setAll(st, combined);
}
