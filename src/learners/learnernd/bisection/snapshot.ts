/**
 * The bisection learner's snapshots (`mesh: 'bisection'`): the told data in the order told
 * (the mesh, the node numbering and every loss are functions of that sequence) and the
 * pending points. Writing reads the state's data arrays; reading checks the header against
 * the learner and decodes the values, and the learner replays the tells.
 */

import { decodeValue, encodeNumber, encodeValue, type JsonNumber } from '../../../io/json.js';
import type { LearnerSnapshot } from '../../types.js';
import { describe, snapshotReader } from '../../validate.js';
import type { ValueND } from '../types.js';

/** The snapshot format's version (its `mesh` is 'bisection'). */
const SNAPSHOT_VERSION = 1;

/** What a snapshot reads of the learner's state. */
export interface SnapshotSource {
  readonly dim: number;
  readonly bounds: readonly (readonly [number, number])[];
  readonly nn: number;
  readonly nData: number;
  readonly dataX: Float64Array;
  readonly dataY: Float64Array;
  readonly vdim: number;
  readonly vector: boolean;
}

/** The snapshot of `st` taken with loss `lossName`, with these pending points. */
export function writeSnapshot(
  st: SnapshotSource,
  lossName: string,
  pending: number[][],
): LearnerSnapshot {
  const d = st.dim;
  const w = st.vdim;
  const points: number[][] = [];
  const values: (JsonNumber | JsonNumber[])[] = [];
  for (let i = 0; i < st.nData; i++) {
    points.push(Array.from(st.dataX.subarray(i * d, i * d + d)));
    values.push(
      st.vector
        ? (encodeValue(st.dataY.subarray(i * w, i * w + w)) as JsonNumber[])
        : encodeNumber(st.dataY[i] as number),
    );
  }
  return {
    type: 'LearnerND',
    version: SNAPSHOT_VERSION,
    mesh: 'bisection',
    dim: d,
    domain: { bounds: st.bounds.map((b) => [b[0], b[1]]) },
    loss: lossName,
    nthNeighbors: st.nn,
    vdim: st.vector ? st.vdim : st.vdim === 0 ? 0 : -1,
    points,
    values,
    pending,
  };
}

/** A snapshot checked against its learner: the raw points, the decoded values, the pending. */
export interface ReadSnapshot {
  /** Throws LearnerND.restore's TypeError with this reason. */
  readonly bad: (why: string) => never;
  readonly points: unknown[];
  readonly values: ValueND[];
  readonly pending: unknown[];
  /** The length of a vector value (0: scalar values). */
  readonly len: number;
}

/**
 * Checks snapshot `s` against the learner `st` with loss `lossName` (type, version, mesh,
 * dimension, domain, loss, neighbours) and decodes its values, each of the snapshot's shape.
 * The points are left for the learner to check (it knows its domain and its tables).
 */
export function readSnapshot(
  st: SnapshotSource,
  s: LearnerSnapshot,
  lossName: string,
): ReadSnapshot {
  const { bad, told } = snapshotReader('LearnerND', SNAPSHOT_VERSION, s);
  const d = st.dim;
  if (s.mesh !== 'bisection') bad(`the snapshot's mesh ${describe(s.mesh)} is not 'bisection'`);
  if (s.dim !== d)
    bad(`the snapshot is ${describe(s.dim)}-dimensional, this learner ${d}-dimensional`);
  const mine = JSON.stringify({ bounds: st.bounds.map((b) => [b[0], b[1]]) });
  if (JSON.stringify(s.domain) !== mine)
    bad(`the snapshot's domain ${describe(s.domain)} differs from this learner's ${mine}`);
  if (s.loss !== lossName)
    bad(`the snapshot was taken with loss '${String(s.loss)}', this learner uses '${lossName}'`);
  if (s.nthNeighbors !== st.nn)
    bad(`nthNeighbors ${describe(s.nthNeighbors)} differs from the loss's ${st.nn}`);
  const { points, values: raw, pending, vdim: vd, len } = told(s);
  const values = raw.map((v, i) => {
    const y = decodeValue(v);
    if (y === undefined) bad(`values[${i}] is not a number or a vector of numbers: ${describe(v)}`);
    if (len === 0 ? typeof y !== 'number' : !Array.isArray(y) || y.length !== len) {
      bad(`values[${i}] does not have the snapshot's shape (vdim ${describe(vd)})`);
    }
    return y as ValueND;
  });
  return { bad, points, values, pending, len };
}
