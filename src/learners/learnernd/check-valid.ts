/**
 * LearnerND's invariant checker (for tests): the triangulation's own checks, both queues
 * against the simplices' losses, the pending points' memberships against the simplices
 * that contain them, the sub-triangulations, the point table.
 */

import { factorial } from '../../geometry/simplex-nd.js';
import type { TriangulationND } from '../../geometry/triangulation-nd.js';
import { describe } from '../validate.js';
import { scaleInto } from './domain.js';
import { emptySimplex, unitCellSimplex } from './lattice.js';
import { pmGet } from './point-table.js';
import { flushComb, flushReal } from './queues.js';
import { diameter } from './simplex-loss.js';
import type { NDState } from './state.js';

/** The relative tolerance of a sub-triangulation's volume against its simplex's. */
const SUB_VOLUME_TOL = 1e-9;
/** A float determinant's relative rounding error per d², as TriangulationND.checkValid. */
const DET_ROUNDING = 4e-16;

/** A bound on the rounding error of the volume of a simplex inside simplex s. */
function volumeRoundingBound(st: NDState, s: number): number {
  const d = st.dim;
  return (diameter(st, s) ** d / factorial(d)) * d * d * DET_ROUNDING;
}

/** The body of LearnerND.checkValid. */
export function checkState(st: NDState): void {
  const fail = (m: string): never => {
    throw new Error(`LearnerND: ${m}`);
  };
  const tri = st.tri;
  tri.checkValid();
  flushReal(st);
  flushComb(st);
  st.qReal.checkValid();
  st.qComb.checkValid();
  const d = st.dim;
  if (st.pmCount !== st.nData + st.nPending) {
    fail(
      `the point table has ${st.pmCount} entries for ${st.nData} points and ${st.nPending} pending`,
    );
  }
  for (let i = 0; i < st.nData; i++) {
    if (pmGet(st, st.dataX, i * d) !== 2 * i) fail(`point ${i} is not found in the point table`);
  }
  let np = 0;
  for (let j = st.pHead; j >= 0; j = st.pNext[j] as number) {
    np++;
    if (pmGet(st, st.pX, j * d) !== 2 * j + 1)
      fail(`pending slot ${j} is not found in the point table`);
    if (tri.isReady) {
      const scaled = new Float64Array(d);
      scaleInto(st, st.pX, j * d, scaled, 0);
      const want = tri.containing(scaled, -1, []);
      const have: number[] = [];
      for (let m = st.pMem[j] as number; m >= 0; m = st.mNextP[m] as number)
        have.push(st.mSimp[m] as number);
      if (want.sort().join() !== have.sort().join()) {
        fail(
          `pending point ${describe(st.pX.subarray(j * d, (j + 1) * d))} is in simplices [${have}], should be in [${want}]`,
        );
      }
    }
  }
  if (np !== st.nPending) fail(`${np} pending points listed, count ${st.nPending}`);
  if (!tri.isReady) return;
  const slots = tri.simplexSlots();
  if (st.qReal.size !== slots.length)
    fail(`the real queue has ${st.qReal.size} entries for ${slots.length} simplices`);
  let comb = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i] as number;
    if (!st.qReal.has(s) || st.qReal.key(s) !== st.sLoss[s])
      fail(`simplex ${s} is not queued with its loss`);
    if ((st.sPend[s] as number) < 0) {
      comb++;
      if (!st.qComb.has(2 * s) || st.qComb.key(2 * s) !== st.sLoss[s])
        fail(`simplex ${s} missing from the queue`);
      if ((st.sSub[s] as number) >= 0)
        fail(`simplex ${s} keeps a sub-triangulation without pending points`);
    } else {
      if (st.qComb.has(2 * s)) fail(`simplex ${s} holds pending points but is queued itself`);
      const idx = st.sSub[s] as number;
      if (idx < 0) fail(`simplex ${s} holds pending points but has no sub-triangulation`);
      const t = st.subTri[idx] as TriangulationND;
      t.checkValid();
      const G = st.subG[idx] as Int32Array;
      let vol = 0;
      let pieces = 0;
      for (let q = 0; q < t.slotCount; q++) {
        if (!t.isSimplex(q)) continue;
        comb++;
        pieces++;
        vol += t.volume(q);
        if (!st.qComb.has(2 * (G[q] as number) + 1))
          fail(`a sub-simplex of simplex ${s} is not queued`);
      }
      // Each volume is a float determinant, whose rounding error dwarfs a sliver's volume
      // (one along a slanted hull facet): bounded by d²·4e-16 · diameter^d / d! per simplex
      // (the bound TriangulationND.checkValid uses).
      const err = (pieces + 1) * volumeRoundingBound(st, s);
      if (Math.abs(vol - (st.sVol[s] as number)) > SUB_VOLUME_TOL * (st.sVol[s] as number) + err) {
        fail(`the sub-simplices of ${s} have volume ${vol}, the simplex ${st.sVol[s]}`);
      }
    }
  }
  // On a pure lattice a simplex in one unit cell has loss 0 from its making (computeLoss),
  // and the full search agrees that it holds no lattice point besides its vertices.
  if (st.latticePure) {
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      if (!unitCellSimplex(st, s)) continue;
      if (st.sLoss[s] !== 0)
        fail(`simplex ${s} lies in one lattice cell but has loss ${st.sLoss[s]}`);
      if (!emptySimplex(st, s))
        fail(`simplex ${s} lies in one lattice cell but holds a lattice point`);
    }
  }
  if (st.qComb.size !== comb)
    fail(`the combined queue has ${st.qComb.size} entries, expected ${comb}`);
}
