/**
 * Learner1D's snapshots (write and load, checked) and its invariant checker `checkValid`.
 */
import { decodeValue, encodeNumber, encodeValue, type JsonNumber } from '../../io/json.js';
import type { LearnerSnapshot } from '../types.js';
import { describe, snapshotReader } from '../validate.js';
import { sortedData } from './data.js';
import { flush, flushReal, setCombLoss, setRealLoss } from './losses.js';
import type { Value1D } from './state.js';
import {
  allocNode,
  grow,
  KIND,
  PENDING,
  pendingPoints,
  REAL,
  realRight,
  type State1D,
  syncIndex,
} from './state.js';
import { setShape } from './tell.js';

/** The version written into snapshots (and required on load). */
export const SNAPSHOT_VERSION = 1;

/** The body of {@link Learner1D.snapshot}. */
export function writeSnapshot(s: State1D): LearnerSnapshot {
  const { x, y } = sortedData(s);
  const d = s.vdim === 0 ? 1 : s.vdim;
  const xsOut: JsonNumber[] = Array.from(x);
  const ysOut: (JsonNumber | JsonNumber[])[] = new Array(x.length);
  for (let i = 0; i < x.length; i++) {
    ysOut[i] = s.vector
      ? (encodeValue(y.subarray(i * d, i * d + d)) as JsonNumber[])
      : encodeNumber(y[i] as number);
  }
  const losses: JsonNumber[] = [];
  let l = s.head;
  if (l >= 0 && ((s.state[l] as number) & KIND) !== REAL) l = realRight(s, l);
  for (let r = l >= 0 ? realRight(s, l) : -1; r >= 0; l = r, r = realRight(s, r)) {
    losses.push(encodeNumber(s.lossR[l] as number));
  }
  // The combined losses are stored too: after removeUnfinished a combined loss equals its
  // real one exactly, after a tell it is (b - a)·loss/dx, which may differ in the last bit.
  const combinedLosses: JsonNumber[] = [];
  for (let c = s.head; c >= 0 && (s.nc[c] as number) >= 0; c = s.nc[c] as number) {
    combinedLosses.push(encodeNumber(s.lossC[c] as number));
  }
  return {
    type: 'Learner1D',
    version: SNAPSHOT_VERSION,
    bounds: [s.bounds[0], s.bounds[1]],
    // Written on a lattice only: a continuum snapshot is as it always was.
    ...(s.lattice ? { integer: true } : {}),
    loss: s.lossFunction.lossName ?? s.lossFunction.name,
    nthNeighbors: s.nn,
    vdim: s.vector ? s.vdim : s.vdim === 0 ? 0 : -1,
    x: xsOut,
    y: ysOut,
    losses,
    combinedLosses,
    yMin: Array.from(s.yMin, encodeNumber),
    yMax: Array.from(s.yMax, encodeNumber),
    oldYScale: encodeNumber(s.oldYScale),
    pending: pendingPoints(s),
  };
}

/** Loads a snapshot into the empty state s, checking everything; throws (a TypeError naming the problem) before s is used by the learner. */
export function load(s: State1D, snap: LearnerSnapshot): void {
  const { bad, num, arr } = snapshotReader('Learner1D', SNAPSHOT_VERSION, snap);
  const b = snap.bounds as unknown;
  if (!Array.isArray(b) || b[0] !== s.bounds[0] || b[1] !== s.bounds[1]) {
    bad(`the snapshot has bounds ${describe(b)}, this learner [${s.bounds[0]}, ${s.bounds[1]}]`);
  }
  const lossName = s.lossFunction.lossName ?? s.lossFunction.name;
  if (snap.loss !== lossName)
    bad(`the snapshot was taken with loss '${String(snap.loss)}', this learner uses '${lossName}'`);
  const integer = snap.integer ?? false;
  if (integer !== s.lattice) {
    bad(
      `the snapshot was taken with integer: ${describe(snap.integer ?? false)}, this learner has integer: ${s.lattice}`,
    );
  }
  const sx = arr(snap.x, 'x');
  const sy = arr(snap.y, 'y');
  const sl = arr(snap.losses, 'losses');
  const sp = arr(snap.pending, 'pending');
  const sc = arr(snap.combinedLosses, 'combinedLosses');
  if (sy.length !== sx.length) bad(`x has ${sx.length} entries but y has ${sy.length}`);
  if (sl.length !== Math.max(0, sx.length - 1))
    bad(`losses must have ${Math.max(0, sx.length - 1)} entries, got ${sl.length}`);
  const vd = snap.vdim;
  if (typeof vd !== 'number' || !Number.isInteger(vd) || vd < -1)
    bad(`vdim must be an integer >= -1, got ${describe(vd)}`);
  if (vd === 0 && sx.length > 0) bad('vdim 0 (no data) but the snapshot has points');
  const len = vd === -1 ? 0 : (vd as number);
  const xs: number[] = [];
  const ys: Value1D[] = [];
  for (let i = 0; i < sx.length; i++) {
    const x = num(sx[i], `x[${i}]`);
    if (!Number.isFinite(x) || x < s.bounds[0] || x > s.bounds[1])
      bad(`x[${i}] = ${x} is outside the bounds`);
    if (s.lattice && !Number.isInteger(x)) bad(`x[${i}] = ${x} is not an integer (integer: true)`);
    if (i > 0 && !(x > (xs[i - 1] as number))) bad('x must be strictly increasing');
    const y = decodeValue(sy[i]);
    if (y === undefined) bad(`y[${i}] is not a number or a vector of numbers: ${describe(sy[i])}`);
    if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
      bad(`y[${i}] does not have the snapshot's shape (vdim ${vd})`);
    }
    xs.push(x);
    ys.push(y as Value1D);
  }
  // Losses are stored (a stale one is part of the state: it decides the next asks) but
  // checked: a loss is never NaN (a NaN loss is replaced by the interval's width).
  const losses = sl.map((v, i) => {
    const l = num(v, `losses[${i}]`);
    if (Number.isNaN(l)) bad(`losses[${i}] is NaN (a learner never stores a NaN loss)`);
    return l;
  });
  const pend: number[] = [];
  const xset = new Set(xs);
  for (let i = 0; i < sp.length; i++) {
    const p = num(sp[i], `pending[${i}]`);
    if (!Number.isFinite(p) || p < s.bounds[0] || p > s.bounds[1])
      bad(`pending[${i}] = ${p} is outside the bounds`);
    if (s.lattice && !Number.isInteger(p)) {
      bad(`pending[${i}] = ${p} is not an integer (integer: true)`);
    }
    if (xset.has(p)) bad(`pending[${i}] = ${p} is also an evaluated point`);
    if (i > 0 && !(p > (pend[i - 1] as number))) bad('pending must be strictly increasing');
    pend.push(p);
  }
  if (sc.length !== Math.max(0, sx.length + sp.length - 1)) {
    bad(
      `combinedLosses must have ${Math.max(0, sx.length + sp.length - 1)} entries, got ${sc.length}`,
    );
  }
  const combined = sc.map((v, i) => {
    const l = num(v, `combinedLosses[${i}]`);
    if (Number.isNaN(l)) bad(`combinedLosses[${i}] is NaN (a learner never stores a NaN loss)`);
    return l;
  });
  const d = vd === 0 ? 0 : vd === -1 ? 1 : (vd as number);
  const yMin = arr(snap.yMin, 'yMin').map((v, i) => num(v, `yMin[${i}]`));
  const yMax = arr(snap.yMax, 'yMax').map((v, i) => num(v, `yMax[${i}]`));
  if (yMin.length !== d || yMax.length !== d) bad(`yMin and yMax must have ${d} entries`);
  const oldYScale = num(snap.oldYScale, 'oldYScale');
  // The last recomputation's scale cannot exceed the y range (it only grows).
  let scaleNow = 0;
  for (let k = 0; k < d; k++) {
    const lo = yMin[k] as number;
    const hi = yMax[k] as number;
    if (Number.isNaN(lo) || Number.isNaN(hi)) bad('yMin and yMax must not be NaN');
    if (hi - lo > scaleNow) scaleNow = hi - lo;
  }
  if (!(oldYScale >= 0 && oldYScale <= scaleNow) && !(oldYScale === 0 && scaleNow === 0)) {
    bad(`oldYScale = ${oldYScale} must be between 0 and the y range ${scaleNow}`);
  }

  // Build: one node per point in x order, both lists linked, losses as stored.
  if (xs.length > 0 || vd !== 0) setShape(s, len);
  const n = xs.length;
  const total = n + pend.length;
  if (total > s.cap) grow(s, total);
  const keys = new Float64Array(total);
  const ids = new Int32Array(total);
  let prevC = -1;
  const realIds = new Int32Array(n);
  for (let i = 0, j = 0, t = 0; t < total; t++) {
    const real = j >= pend.length || (i < n && (xs[i] as number) < (pend[j] as number));
    const x = real ? (xs[i] as number) : (pend[j] as number);
    const id = allocNode(s, x);
    keys[t] = x;
    ids[t] = id;
    s.pc[id] = prevC;
    if (prevC >= 0) {
      s.nc[prevC] = id;
      s.lossC[prevC] = combined[t - 1] as number;
    }
    prevC = id;
    if (real) {
      s.state[id] = REAL;
      const y = ys[i] as Value1D;
      if (typeof y === 'number') s.ys[id] = y;
      else for (let k = 0; k < s.vdim; k++) s.ys[id * s.vdim + k] = y[k] as number;
      realIds[i] = id;
      i++;
    } else {
      s.state[id] = PENDING;
      s.pending.set(x, id);
      j++;
    }
  }
  s.nReal = n;
  s.realLo = n > 0 && xs[0] === s.bounds[0];
  s.realHi = n > 0 && xs[n - 1] === s.bounds[1];
  s.index.build(keys, ids);
  s.head = total > 0 ? (ids[0] as number) : -1;
  s.tail = total > 0 ? (ids[total - 1] as number) : -1;
  s.hasLo = total > 0 && keys[0] === s.bounds[0];
  s.hasHi = total > 0 && keys[total - 1] === s.bounds[1];
  if (d > 0) {
    s.yMin.set(yMin);
    s.yMax.set(yMax);
    let scale = 0;
    for (let k = 0; k < d; k++) {
      const r = (yMax[k] as number) - (yMin[k] as number);
      if (r > scale) scale = r;
    }
    s.yScale = scale;
  }
  s.oldYScale = oldYScale;
  for (let i = 0; i + 1 < n; i++) {
    setRealLoss(s, realIds[i] as number, realIds[i + 1] as number, losses[i] as number);
  }
  for (let t = 0; t + 1 < total; t++) {
    const id = ids[t] as number;
    setCombLoss(s, id, s.lossC[id] as number);
  }
}

/** The body of {@link Learner1D.checkValid}. */
export function checkValid(s: State1D): void {
  flush(s);
  flushReal(s);
  syncIndex(s);
  s.index.checkValid();
  s.qR.checkValid();
  s.qC.checkValid();
  let prevC = -1;
  let prevR = -1;
  let nr = 0;
  let np = 0;
  // On a lattice an interval with no integer inside is not queued (lattice.ts).
  const queued = (l: number, r: number): boolean =>
    !s.lattice || (s.xs[r] as number) - (s.xs[l] as number) > 1;
  let wantR = 0;
  let wantC = 0;
  s.index.forEach((x, id) => {
    if (s.xs[id] !== x) throw new Error(`Learner1D: index maps ${x} to node ${id} at ${s.xs[id]}`);
    if (s.pc[id] !== prevC) throw new Error(`Learner1D: combined list broken at x=${x}`);
    if (prevC >= 0 && s.nc[prevC] !== id)
      throw new Error(`Learner1D: combined next broken at x=${x}`);
    if (((s.state[id] as number) & KIND) === REAL) {
      nr++;
      if (prevR >= 0 && s.qR.has(prevR) !== queued(prevR, id))
        throw new Error(`Learner1D: real interval at ${s.xs[prevR]} queued wrongly`);
      if (prevR >= 0 && queued(prevR, id)) wantR++;
      prevR = id;
    } else if (((s.state[id] as number) & KIND) === PENDING) {
      np++;
      if (s.pending.get(x) !== id)
        throw new Error(`Learner1D: pending node ${x} missing from the pending set`);
    } else throw new Error(`Learner1D: dead node ${id} in the index`);
    if (prevC >= 0 && s.qC.has(prevC) !== queued(prevC, id))
      throw new Error(`Learner1D: combined interval at ${s.xs[prevC]} queued wrongly`);
    if (prevC >= 0 && queued(prevC, id)) wantC++;
    prevC = id;
  });
  if (s.head !== s.index.first() || s.tail !== prevC)
    throw new Error('Learner1D: head or tail of the combined list is stale');
  if (prevC >= 0 && s.nc[prevC] !== -1)
    throw new Error('Learner1D: combined list does not end at the last node');
  if (nr !== s.nReal) throw new Error(`Learner1D: ${nr} real nodes, npoints ${s.nReal}`);
  if (np !== s.pending.size)
    throw new Error(`Learner1D: ${np} pending nodes, pending set ${s.pending.size}`);
  if (s.qR.size !== wantR)
    throw new Error(`Learner1D: ${s.qR.size} real losses for ${nr} points (${wantR} expected)`);
  if (s.qC.size !== wantC) {
    throw new Error(
      `Learner1D: ${s.qC.size} combined losses for ${nr + np} points (${wantC} expected)`,
    );
  }
}
