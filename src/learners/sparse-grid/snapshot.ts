/**
 * Snapshots of a sparse grid: the options' data, the evaluated points and values in
 * lexicographic order, the pending points in order. Surpluses and losses are not stored:
 * loading recomputes them from the values, checking every point against the grid.
 */
import { decodeValue, encodeValue, type JsonNumber } from '../../io/json.js';
import type { LearnerSnapshot } from '../types.js';
import { describe, snapshotReader } from '../validate.js';
import { addLoose, looseKey } from './anchor.js';
import { checkPoint } from './input.js';
import { addPending, tellUnchecked } from './points.js';
import { type SGState, TOLD } from './state.js';

/**
 * The snapshot format's version: 2 adds `anchor` (version 1 snapshots, all of a centred
 * grid, are read as `anchor: 'centre'`).
 */
export const SNAPSHOT_VERSION = 2;

/** The anchor option a state was made with. */
function anchorName(state: SGState): string {
  return state.anchorOption;
}

/**
 * The evaluated points, at nodes and loose (anchor.ts), as records sorted lexicographically
 * by coordinates. O(n log n).
 */
export function toldRecords(state: SGState): { x: number[]; y: number | number[] }[] {
  const w = state.vdim;
  const out: { x: number[]; y: number | number[] }[] = [];
  for (let id = 0; id < state.grid.idBound; id++) {
    if (state.status[id] !== TOLD) continue;
    out.push({
      x: state.coords(id),
      y: state.vector
        ? Array.from(state.vals.subarray(id * w, (id + 1) * w))
        : (state.vals[id] as number),
    });
  }
  for (const { x, y } of state.loose.values())
    if (y !== null) out.push({ x: x.slice(), y: typeof y === 'number' ? y : y.slice() });
  const d = state.dim;
  out.sort((a, b) => {
    for (let t = 0; t < d; t++)
      if (a.x[t] !== b.x[t]) return (a.x[t] as number) - (b.x[t] as number);
    return 0;
  });
  return out;
}

/** The pending points: loose ones (from before the layout was chosen) first, then the grid's in order. */
export function pendingOf(state: SGState): number[][] {
  const out: number[][] = [];
  for (const { x, y } of state.loose.values()) if (y === null) out.push(x.slice());
  return out.concat(state.pendingCoords());
}

/**
 * The snapshot of a state: the options' data, the evaluated points and values in
 * lexicographic order, the pending points in order. O(n log n).
 */
export function snapshotOf(state: SGState): LearnerSnapshot {
  const recs = toldRecords(state);
  return {
    type: 'SparseGridLearner',
    version: SNAPSHOT_VERSION,
    bounds: state.bounds.map((b) => [b[0], b[1]]),
    maxLevel: state.maxLevel,
    anchor: anchorName(state),
    loss: state.lossFunction.lossName ?? state.lossFunction.name,
    vdim: state.vector ? state.vdim : state.vdim === 0 ? 0 : -1,
    points: recs.map((r) => r.x),
    values: recs.map((r) => encodeValue(r.y) as JsonNumber | JsonNumber[]),
    pending: pendingOf(state),
  };
}

/**
 * Loads a snapshot into a fresh state: every point checked against the grid, every value
 * told again (surpluses and losses recomputed).
 * @throws TypeError naming the problem when the snapshot is malformed or foreign.
 */
export function loadSnapshot(state: SGState, snap: LearnerSnapshot): void {
  // Version 1 had no anchor: every grid was centred.
  const old =
    snap !== null && typeof snap === 'object' && snap.version === 1 && !('anchor' in snap);
  const s: LearnerSnapshot = old ? { ...snap, version: SNAPSHOT_VERSION, anchor: 'centre' } : snap;
  const { bad, told } = snapshotReader('SparseGridLearner', SNAPSHOT_VERSION, s);
  if (s.anchor !== anchorName(state))
    bad(
      `the snapshot's grid is anchored at ${describe(s.anchor)}${old ? ' (a version 1 snapshot)' : ''}, this learner's at ${describe(anchorName(state))}: restore it into a learner with anchor: ${describe(s.anchor)}`,
    );
  const mine = JSON.stringify(state.bounds);
  if (JSON.stringify(s.bounds) !== mine)
    bad(`the snapshot's bounds ${describe(s.bounds)} differ from this learner's ${mine}`);
  if (s.maxLevel !== state.maxLevel)
    bad(
      `the snapshot's maxLevel ${describe(s.maxLevel)} differs from this learner's ${state.maxLevel}`,
    );
  const lossName = state.lossFunction.lossName ?? state.lossFunction.name;
  if (s.loss !== lossName)
    bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
  const { points: sp, values: sv, pending: spend, vdim: vd, len } = told(s);
  if (vd !== 0) state.setShape(len);
  const at = (what: string, f: () => number): number => {
    try {
      return f();
    } catch (e) {
      return bad(`${what}: ${(e as Error).message}`);
    }
  };
  for (let i = 0; i < sp.length; i++) {
    const h = at(`points[${i}]`, () => checkPoint(state, sp[i], 'restore'));
    const key = looseKey(sp[i] as number[]);
    if (state.looseHit ? state.loose.has(key) : state.grid.find(state.K, h) >= 0)
      bad(`points[${i}] = ${describe(sp[i])} appears twice`);
    const y = decodeValue(sv[i]);
    if (y === undefined)
      bad(`values[${i}] is not a number or a vector of numbers: ${describe(sv[i])}`);
    if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len)
      bad(`values[${i}] does not have the snapshot's shape (vdim ${describe(vd)})`);
    if (state.looseHit)
      addLoose(
        state,
        (sp[i] as number[]).map((x) => x + 0),
        y as number,
      );
    else tellUnchecked(state, state.K, h, -1, y as number | number[]);
  }
  for (let i = 0; i < spend.length; i++) {
    const h = at(`pending[${i}]`, () => checkPoint(state, spend[i], 'restore'));
    const key = looseKey(spend[i] as number[]);
    if (state.looseHit ? state.loose.has(key) : state.grid.find(state.K, h) >= 0)
      bad(`pending[${i}] = ${describe(spend[i])} is already a point of the snapshot`);
    if (state.looseHit)
      addLoose(
        state,
        (spend[i] as number[]).map((x) => x + 0),
        null,
      );
    else addPending(state, state.K, h);
  }
  state.lossError = null; // a custom loss's complaint was raised when the data was told
}
