/**
 * LearnerND's snapshots: a versioned, JSON-safe copy of the data (points and values in the
 * order told, the simplices with their losses, the value range, pending points, random
 * state), and its restore, which trusts nothing it can recompute.
 */

import { decodeValue, encodeNumber, encodeValue, type JsonNumber } from '../../io/json.js';
import type { LearnerSnapshot } from '../types.js';
import { describe, snapshotReader } from '../validate.js';
import { pendingPointsOf } from './data-out.js';
import { checkPoint } from './domain.js';
import {
  checkLatticeND,
  checkSnapshotLatticeND,
  emptySimplex,
  latticeSnapshotND,
  unitCellSimplex,
} from './lattice.js';
import { addPending } from './pending.js';
import { pmGet } from './point-table.js';
import { setMultiplier } from './queues.js';
import { markDirty } from './simplex-loss.js';
import { LOSS_UNIFORM, type NDState, outputDimensionOf, setShape } from './state.js';
import { advanceBoundCursor, tellUnchecked } from './tell.js';
import type { ValueND } from './types.js';

/** The snapshot format's version. */
export const SNAPSHOT_VERSION = 1;

/** The body of LearnerND.snapshot. */
export function snapshotOf(st: NDState): LearnerSnapshot {
  const d = st.dim;
  const w = outputDimensionOf(st);
  const points: number[][] = [];
  const values: (JsonNumber | JsonNumber[])[] = [];
  for (let i = 0; i < st.nData; i++) {
    points.push(Array.from(st.dataX.subarray(i * d, (i + 1) * d)));
    values.push(
      st.vector
        ? (encodeValue(st.dataY.subarray(i * w, (i + 1) * w)) as JsonNumber[])
        : encodeNumber(st.dataY[i] as number),
    );
  }
  const rows: { s: number[]; l: number }[] = [];
  if (st.tri.isReady) {
    const k = st.k;
    const V = st.tri.verts;
    const slots = st.tri.simplexSlots();
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      const t: number[] = [];
      for (let j = 0; j < k; j++) t.push(st.vertData[V[s * k + j] as number] as number);
      t.sort((a, b) => a - b);
      // On a lattice a simplex with no free lattice point has loss 0, set lazily where
      // it reaches a queue's top (lattice.ts): written as 0 here, so that reading the loss
      // (`loss()`, `ask`) never changes the snapshot.
      const l = st.sLoss[s] as number;
      rows.push({ s: t, l: st.integer !== null && l > 0 && emptySimplex(st, s) ? 0 : l });
    }
    rows.sort((a, b) => {
      for (let j = 0; j < a.s.length; j++)
        if (a.s[j] !== b.s[j]) return (a.s[j] as number) - (b.s[j] as number);
      return 0;
    });
  }
  return {
    type: 'LearnerND',
    version: SNAPSHOT_VERSION,
    dim: d,
    domain:
      st.hull === null
        ? { bounds: st.bounds.map((b) => [b[0], b[1]]) }
        : { hull: st.hull.map((p) => p.slice()) },
    loss: st.lossFunction.lossName ?? st.lossFunction.name,
    nthNeighbors: st.nn,
    vdim: st.vector ? st.vdim : st.vdim === 0 ? 0 : -1,
    points,
    values,
    simplices: rows.map((r) => r.s),
    losses: rows.map((r) => encodeNumber(r.l)),
    yMin: encodeNumber(st.yMin),
    yMax: encodeNumber(st.yMax),
    oldScale: encodeNumber(st.oldScale),
    pending: pendingPointsOf(st),
    rng: st.rng.s,
    ...latticeSnapshotND(st),
  };
}

/** Loads a snapshot into a fresh state (the body of LearnerND.restore). A TypeError names the first problem. */
export function loadSnapshot(st: NDState, s: LearnerSnapshot): void {
  const { bad, num, arr, told } = snapshotReader('LearnerND', SNAPSHOT_VERSION, s);
  const d = st.dim;
  if (s.dim !== d)
    bad(`the snapshot is ${describe(s.dim)}-dimensional, this learner ${d}-dimensional`);
  const mine = JSON.stringify(
    st.hull === null ? { bounds: st.bounds.map((b) => [b[0], b[1]]) } : { hull: st.hull },
  );
  if (JSON.stringify(s.domain) !== mine)
    bad(`the snapshot's domain ${describe(s.domain)} differs from this learner's ${mine}`);
  checkSnapshotLatticeND(st, s.integer, bad);
  const lossName = st.lossFunction.lossName ?? st.lossFunction.name;
  if (s.loss !== lossName)
    bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
  if (s.nthNeighbors !== st.nn)
    bad(`nthNeighbors ${describe(s.nthNeighbors)} differs from the loss's ${st.nn}`);
  const { points: sp, values: sv, pending: spend, vdim: vd, len } = told(s);
  const ss = arr(s.simplices, 'simplices');
  const sl = arr(s.losses, 'losses');
  if (sl.length !== ss.length)
    bad(`simplices has ${ss.length} entries but losses has ${sl.length}`);
  if (sp.length > 0 || vd !== 0) setShape(st, len);
  const pointAt = (p: unknown, what: string): Float64Array => {
    try {
      const x = checkPoint(st, p, 'restore');
      checkLatticeND(st, x, p, 'restore');
      return x;
    } catch (e) {
      return bad(`${what}: ${(e as Error).message}`);
    }
  };
  // Replay the points (the triangulation is a function of the point set).
  const restoring = st.restoring;
  st.restoring = true;
  for (let i = 0; i < sp.length; i++) {
    const x = pointAt(sp[i], `points[${i}]`);
    if (pmGet(st, x, 0) >= 0) bad(`points[${i}] = ${describe(sp[i])} appears twice`);
    const y = decodeValue(sv[i]);
    if (y === undefined)
      bad(`values[${i}] is not a number or a vector of numbers: ${describe(sv[i])}`);
    if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
      bad(`values[${i}] does not have the snapshot's shape (vdim ${describe(vd)})`);
    }
    tellUnchecked(st, x, y as ValueND, -1);
  }
  st.restoring = restoring;
  // Derived data is recomputed or checked. The value range came from the values (tell);
  // the snapshot's copy is read for its form only. The scale of the last full recomputation
  // is history: it must be at most the range, and the range at most recomputeLossesFactor
  // times it (tell keeps both).
  num(s.yMin, 'yMin');
  num(s.yMax, 'yMax');
  const oldScale = num(s.oldScale, 'oldScale');
  const range = st.yMax >= st.yMin ? st.yMax - st.yMin : 0;
  if (!(oldScale >= 0) || oldScale > range || range > st.factor * oldScale) {
    bad(
      `oldScale ${oldScale} does not fit the values: it must lie between their range (${range}) / recomputeLossesFactor (${st.factor}) and that range`,
    );
  }
  st.oldScale = oldScale;
  setMultiplier(st);
  // The stored losses, matched to the simplices.
  const stored = new Map<string, number>();
  for (let i = 0; i < ss.length; i++) {
    const t = ss[i];
    if (
      !Array.isArray(t) ||
      t.length !== st.k ||
      t.some((v) => !Number.isInteger(v) || v < 0 || v >= sp.length)
    ) {
      bad(`simplices[${i}] must hold ${st.k} point indices`);
    }
    const l = num(sl[i], `losses[${i}]`);
    // The learner stores finite losses only (a non-finite one becomes the volume), and no
    // loss is negative.
    if (!Number.isFinite(l) || l < 0) {
      bad(`losses[${i}] = ${l} is not a finite number >= 0`);
    }
    stored.set((t as number[]).join(','), l);
  }
  const slots = st.tri.isReady ? st.tri.simplexSlots() : new Int32Array(0);
  if (slots.length !== ss.length) {
    bad(`the snapshot has ${ss.length} simplices, its points triangulate into ${slots.length}`);
  }
  const k = st.k;
  const V = st.tri.verts;
  for (let i = 0; i < slots.length; i++) {
    const sl2 = slots[i] as number;
    const t: number[] = [];
    for (let j = 0; j < k; j++) t.push(st.vertData[V[sl2 * k + j] as number] as number);
    t.sort((a, b) => a - b);
    const l = stored.get(t.join(','));
    if (l === undefined)
      bad(`simplex [${t.join(', ')}] of the points is missing from the snapshot`);
    // uniformLossND's loss is the volume: recomputed, not read (0 in one lattice cell, as
    // computeLoss sets it).
    st.sLoss[sl2] =
      st.fast !== LOSS_UNIFORM
        ? (l as number)
        : st.latticePure && unitCellSimplex(st, sl2)
          ? 0
          : (st.sVol[sl2] as number);
    markDirty(st, sl2);
  }
  const rng = s.rng;
  if (typeof rng !== 'number' || !Number.isInteger(rng) || rng < 0 || rng > 0xffffffff) {
    bad(`rng must be a 32-bit unsigned integer, got ${describe(rng)}`);
  }
  st.rng.s = rng as number;
  for (let i = 0; i < spend.length; i++) {
    const x = pointAt(spend[i], `pending[${i}]`);
    if (pmGet(st, x, 0) >= 0)
      bad(`pending[${i}] = ${describe(spend[i])} is already a point of the snapshot`);
    addPending(st, x, 0, -1);
  }
  st.boundCursor = 0;
  advanceBoundCursor(st);
}
