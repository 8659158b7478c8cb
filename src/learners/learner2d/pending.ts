/**
 * The pending-point table: (x, y) as told → vertex id, open addressing in an Int32Array
 * (linear probing, backward-shift deletion, grown by doubling at half full). Keys are the
 * coordinates as told (`-0` normalised to `0` by the callers), hashed by {@link hashFloatPair}.
 */
import { hashFloatPair } from '../../util/float-hash.js';
import type { Learner2DState } from './state.js';

export function phFind(st: Learner2DState, x: number, y: number): number {
  const ph = st.pendingTable;
  const mask = ph.length - 1;
  const xo = st.xo;
  for (let i = hashFloatPair(x, y, mask); ; i = (i + 1) & mask) {
    const v = ph[i] as number;
    if (v < 0) return -1;
    if (xo[2 * v] === x && xo[2 * v + 1] === y) return v;
  }
}

export function phAdd(st: Learner2DState, v: number): void {
  if (2 * (st.nPending + 1) > st.pendingTable.length) phResize(st, st.pendingTable.length * 2);
  const ph = st.pendingTable;
  const mask = ph.length - 1;
  let i = hashFloatPair(st.xo[2 * v] as number, st.xo[2 * v + 1] as number, mask);
  while ((ph[i] as number) >= 0) i = (i + 1) & mask;
  ph[i] = v;
}

export function phDelete(st: Learner2DState, v: number): void {
  const ph = st.pendingTable;
  const mask = ph.length - 1;
  const xo = st.xo;
  let i = hashFloatPair(xo[2 * v] as number, xo[2 * v + 1] as number, mask);
  while (ph[i] !== v) i = (i + 1) & mask;
  // Backward shift: move later entries of the probe run into the hole.
  for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
    const u = ph[j] as number;
    if (u < 0) break;
    const h = hashFloatPair(xo[2 * u] as number, xo[2 * u + 1] as number, mask);
    // u may move to i if its home h is not cyclically in (i, j].
    if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
      ph[i] = u;
      i = j;
    }
  }
  ph[i] = -1;
}

export function phResize(st: Learner2DState, cap: number): void {
  const old = st.pendingTable;
  st.pendingTable = new Int32Array(cap).fill(-1);
  const mask = cap - 1;
  for (let i = 0; i < old.length; i++) {
    const v = old[i] as number;
    if (v < 0) continue;
    let j = hashFloatPair(st.xo[2 * v] as number, st.xo[2 * v + 1] as number, mask);
    while ((st.pendingTable[j] as number) >= 0) j = (j + 1) & mask;
    st.pendingTable[j] = v;
  }
}
