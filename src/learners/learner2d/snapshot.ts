/**
 * Learner2D's snapshots: the JSON-safe data out and the checked load.
 */
import { decodeValue, encodeNumber, type JsonNumber } from '../../io/json.js';
import type { LearnerSnapshot } from '../types.js';
import { describe, snapshotReader } from '../validate.js';
import { setAll } from './bookkeeping.js';
import { cornerPending, cornerTold } from './corners.js';
import { checkSnapshotHull, insideHull } from './hull.js';
import { sortedReal } from './interpolate.js';
import { checkSnapshotLattice, copyLattice, latticeSnapshot } from './lattice.js';
import { buildMesh } from './meshes.js';
import { phAdd } from './pending.js';
import {
  allocVertex,
  KIND,
  Learner2DState,
  PENDING,
  REAL,
  SHADOW,
  SNAPSHOT_VERSION,
} from './state.js';
import type { Value2D } from './types.js';
import { scaledRange, setShape, setUnit, writeValue } from './values.js';

/** How far (relative to the range) a pending value may lie outside the evaluated range. */
const PENDING_SLACK = 1e-12;
/** And absolutely (weights times subnormal values underflow). */
const PENDING_SLACK_ABS = 1e-300;

/**
 * A versioned, JSON-safe snapshot: bounds, the evaluated points and values, the pending
 * points with their interpolated values, the value range and the scale the losses use. Data
 * only: restore it into a learner built with the same options. O(n log n).
 * @example const text = JSON.stringify(learner.snapshot()); // save it anywhere
 */
export function snapshot(st: Learner2DState): LearnerSnapshot {
  const ids = sortedReal(st);
  const d = st.outputDimension;
  const rec = st.store.xy;
  const stride = st.stride;
  const enc = (v: number): JsonNumber | JsonNumber[] =>
    st.vector
      ? Array.from(rec.subarray(stride * v + 2, stride * v + 2 + d), encodeNumber)
      : encodeNumber(rec[stride * v + 2] as number);
  const points: [number, number][] = [];
  const values: (JsonNumber | JsonNumber[])[] = [];
  for (const v of ids) {
    points.push([st.xo[2 * v] as number, st.xo[2 * v + 1] as number]);
    values.push(enc(v));
  }
  const pend = sortedPending(st);
  const xo = st.xo;
  return {
    type: 'Learner2D',
    version: SNAPSHOT_VERSION,
    bounds: [
      [st.bounds[0][0], st.bounds[0][1]],
      [st.bounds[1][0], st.bounds[1][1]],
    ],
    ...(st.hull === null ? {} : { hull: st.hull.points.map(([x, y]) => [x, y]) }),
    loss: st.lossFunction.lossName ?? st.lossFunction.name,
    gradientSweeps: st.sweeps,
    vdim: st.vector ? st.vdim : st.vdim === 0 ? 0 : -1,
    points,
    values,
    pending: pend.map((v) => [xo[2 * v] as number, xo[2 * v + 1] as number]),
    pendingValues: pend.map((v) => (st.vdim === 0 ? 'NaN' : enc(v))),
    yMin: Array.from(st.yMin, encodeNumber),
    yMax: Array.from(st.yMax, encodeNumber),
    valueScale: encodeNumber(st.sRef),
    valueUnit: st.ve,
    ...latticeSnapshot(st),
  };
}

export function load(st: Learner2DState, s: LearnerSnapshot): void {
  const { bad, num, arr } = snapshotReader('Learner2D', SNAPSHOT_VERSION, s);
  checkSnapshotHull(st.hull, s.hull, bad);
  const b = s.bounds as unknown;
  const [[x0, x1], [y0, y1]] = st.bounds;
  if (
    !Array.isArray(b) ||
    !Array.isArray(b[0]) ||
    !Array.isArray(b[1]) ||
    b[0][0] !== x0 ||
    b[0][1] !== x1 ||
    b[1][0] !== y0 ||
    b[1][1] !== y1
  ) {
    bad(`the snapshot has bounds ${describe(b)}, this learner [[${x0}, ${x1}], [${y0}, ${y1}]]`);
  }
  const lossName = st.lossFunction.lossName ?? st.lossFunction.name;
  if (s.loss !== lossName) {
    bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
  }
  if (s.gradientSweeps !== st.sweeps) {
    bad(
      `the snapshot was taken with gradientSweeps ${describe(s.gradientSweeps)}, this learner uses ${st.sweeps}`,
    );
  }
  const onLattice = checkSnapshotLattice(st, s.integer, bad);
  const vd = s.vdim;
  if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1) {
    bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
  }
  const len = vd === -1 ? 0 : (vd as number);
  const pts = arr(s.points, 'points');
  const vals = arr(s.values, 'values');
  const pend = arr(s.pending, 'pending');
  const pvals = arr(s.pendingValues, 'pendingValues');
  if (vals.length !== pts.length) bad(`points has ${pts.length} entries but values ${vals.length}`);
  if (pvals.length !== pend.length) {
    bad(`pending has ${pend.length} entries but pendingValues ${pvals.length}`);
  }
  if (vd === 0 && pts.length > 0) bad('vdim 0 (no data) but the snapshot has points');
  const point = (p: unknown, what: string): [number, number] => {
    if (!Array.isArray(p) || p.length !== 2) bad(`${what} is not a point [x, y]: ${describe(p)}`);
    const q = p as unknown[];
    const x = num(q[0], `${what}[0]`);
    const y = num(q[1], `${what}[1]`);
    if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1))
      bad(`${what} = ${describe(p)} is outside the bounds`);
    if (st.hull !== null && !insideHull(st.hull, x, y))
      bad(`${what} = ${describe(p)} is outside the polygon`);
    if (!onLattice(x, y)) bad(`${what} = ${describe(p)} is not on the lattice`);
    return [x + 0, y + 0];
  };
  const value = (v: unknown, what: string): Value2D => {
    const y = decodeValue(v);
    if (y === undefined) bad(`${what} is not a number or a vector of numbers: ${describe(v)}`);
    if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
      bad(`${what} does not have the snapshot's shape (vdim ${describe(vd)})`);
    }
    return y as Value2D;
  };
  const P = pts.map((p, i) => point(p, `points[${i}]`));
  const V = vals.map((v, i) => value(v, `values[${i}]`));
  const Q = pend.map((p, i) => point(p, `pending[${i}]`));
  const W = pvals.map((v, i) => value(v, `pendingValues[${i}]`));
  const keys = new Set<string>();
  for (const [i, [x, y]] of [...P, ...Q].entries()) {
    const k = `${x},${y}`;
    if (keys.has(k)) bad(`point ${describe([x, y])} appears twice (entry ${i})`);
    keys.add(k);
  }
  const d = vd === 0 ? 0 : len === 0 ? 1 : len;
  // yMin and yMax are recomputed from the values (below); their shape is still checked.
  const yMin = arr(s.yMin, 'yMin').map((v, i) => num(v, `yMin[${i}]`));
  const yMax = arr(s.yMax, 'yMax').map((v, i) => num(v, `yMax[${i}]`));
  if (yMin.length !== d || yMax.length !== d) bad(`yMin and yMax must have ${d} entries`);
  const sRef = num(s.valueScale, 'valueScale');
  if (!(sRef >= 0) || !Number.isFinite(sRef))
    bad(`valueScale must be finite and >= 0, got ${sRef}`);
  const unit = s.valueUnit ?? 0; // snapshots before the value unit: 1
  if (typeof unit !== 'number' || !Number.isInteger(unit) || Math.abs(unit) > 1000) {
    bad(`valueUnit must be an integer in [-1000, 1000], got ${describe(unit)}`);
  }

  // Build the combined triangulation: the evaluated points (corners first, along a Hilbert
  // curve; of points at equal scaled coordinates the lexicographically smallest is
  // triangulated and the others are shadows, as tell makes them), then the pending ones.
  if (vd !== 0) setShape(st, len);
  const combined = st.combined;
  const ids = new Int32Array(P.length);
  for (let i = 0; i < P.length; i++) {
    const [x, y] = P[i] as [number, number];
    const v = allocVertex(st, x, y);
    writeValue(st, v, V[i] as Value2D);
    st.vflag[v] = REAL;
    st.nReal++;
    ids[i] = v;
    cornerTold(st, x, y);
  }
  for (const v of buildMesh(st, combined.mesh, ids)) {
    st.vflag[v] = (st.vflag[v] as number) | SHADOW;
    st.nShadow++;
  }
  for (let i = 0; i < Q.length; i++) {
    const [x, y] = Q[i] as [number, number];
    const v = allocVertex(st, x, y);
    if (st.vdim > 0) writeValue(st, v, W[i] as Value2D);
    st.vflag[v] = PENDING;
    st.nPending++;
    phAdd(st, v);
    // At the scaled coordinates of a point inserted before: a pending shadow, as tell makes.
    if (combined.mesh.insertVertex(v) !== v) st.vflag[v] = PENDING | SHADOW;
    cornerPending(st, x, y);
  }
  // Derived data is recomputed: the value range and unit from the values. The loss scale
  // depends on the history (the range when the losses were last all recomputed), so it is
  // checked: at most the range, and the range at most recomputeLossesFactor times it.
  for (let i = 0; i < P.length; i++) {
    const v = ids[i] as number;
    for (let k = 0; k < st.vdim; k++) {
      const y = st.store.xy[v * st.stride + 2 + k] as number;
      if (Number.isFinite(y)) {
        if (y < (st.yMin[k] as number)) st.yMin[k] = y;
        if (y > (st.yMax[k] as number)) st.yMax[k] = y;
      }
    }
  }
  if (d > 0) setUnit(st);
  // sRef in this learner's unit, by two exact steps.
  const delta = st.ve - (unit as number);
  const h = Math.trunc(delta / 2);
  const ref = sRef * 2 ** h * 2 ** (delta - h);
  const range = d > 0 ? scaledRange(st) : 0;
  if (ref > range || (range > 0 && !(range <= st.factor * ref))) {
    bad(
      `valueScale ${sRef} (unit 2^${describe(unit)}) does not fit the values: the losses were last recomputed at a value range between the range of the values / recomputeLossesFactor and that range (${range} in unit 2^${st.ve})`,
    );
  }
  // Pending values are the data's interpolant when each was told pending (a history): each
  // must be NaN (unknown) or within the range of the evaluated values and 0 (the value of a
  // point told pending while a corner was pending, and of interpolants beside it).
  for (let i = 0; i < Q.length; i++) {
    const w = W[i] as Value2D;
    const comps = typeof w === 'number' ? [w] : w;
    for (let k = 0; k < comps.length; k++) {
      const y = comps[k] as number;
      if (Number.isNaN(y)) continue;
      const lo = Math.min(st.yMin[k] as number, 0);
      const hi = Math.max(st.yMax[k] as number, 0);
      // Rounding, and underflow of weights times subnormal values.
      const slack = (Math.abs(lo) + Math.abs(hi)) * PENDING_SLACK + PENDING_SLACK_ABS;
      if (!(y >= lo - slack && y <= hi + slack)) {
        bad(
          `pendingValues[${i}] = ${describe(w)} is not NaN nor within the range of the evaluated values and 0 (an interpolant of them)`,
        );
      }
    }
  }
  st.sRef = ref;
  setAll(st, combined);
}

/** The pending vertices (shadows included), sorted by the points as told: x, then y. */
export function sortedPending(st: Learner2DState): number[] {
  const pend: number[] = [];
  for (let v = 0; v < st.store.size; v++) {
    if (((st.vflag[v] as number) & KIND) === PENDING) pend.push(v);
  }
  const xo = st.xo;
  return pend.sort(
    (a, b) =>
      (xo[2 * a] as number) - (xo[2 * b] as number) ||
      (xo[2 * a + 1] as number) - (xo[2 * b + 1] as number),
  );
}

/**
 * The pending points as told, each with its value (the first component; NaN before any
 * value), in snapshot order. O(n).
 */
export function pendingValues(st: Learner2DState): [x: number, y: number, value: number][] {
  const rec = st.store.xy;
  return sortedPending(st).map((v) => [
    st.xo[2 * v] as number,
    st.xo[2 * v + 1] as number,
    st.vdim === 0 ? Number.NaN : (rec[st.stride * v + 2] as number),
  ]);
}

/** A copy of the state (same options, same data, pending points included). O(n). */
export function copy(st: Learner2DState): Learner2DState {
  const other = new Learner2DState(st.bounds, st.lossFunction, st.factor, st.sweeps, st.hull);
  copyLattice(st, other);
  load(other, snapshot(st));
  return other;
}
