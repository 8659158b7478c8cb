/**
 * LearnerND's point table: coordinates → code (2i for evaluated point i, 2j + 1 for pending
 * slot j), open addressing with linear probing on hash32, backward-shift deletion.
 */

import { hash32 } from './hash.js';
import type { NDState } from './state.js';

/** The code of the point at `X[off…]` (2i: data i, 2j + 1: pending j), or -1. */
export function pmGet(st: NDState, X: ArrayLike<number>, off: number): number {
  const d = st.dim;
  const h = hash32(X, off, d);
  const mask = st.pmKeys.length - 1;
  for (let i = h & mask; ; i = (i + 1) & mask) {
    const code = st.pmKeys[i] as number;
    if (code < 0) return -1;
    if (st.pmHash[i] === h && sameCoords(st, code, X, off)) return code;
  }
}

/** Whether the point of `code` has the coordinates at `X[off…]` (-0 as 0). */
function sameCoords(st: NDState, code: number, X: ArrayLike<number>, off: number): boolean {
  const d = st.dim;
  const A = (code & 1) === 0 ? st.dataX : st.pX;
  const o = (code >> 1) * d;
  for (let j = 0; j < d; j++) if (A[o + j] !== (X[off + j] as number) + 0) return false;
  return true;
}

/** Records `code` for the point at `X[off…]` (not yet in the table). */
export function pmSet(st: NDState, code: number, X: ArrayLike<number>, off: number): void {
  if ((st.pmCount + 1) * 2 > st.pmKeys.length) pmGrow(st);
  const h = hash32(X, off, st.dim);
  const mask = st.pmKeys.length - 1;
  let i = h & mask;
  while ((st.pmKeys[i] as number) >= 0) i = (i + 1) & mask;
  st.pmKeys[i] = code;
  st.pmHash[i] = h;
  st.pmCount++;
}

/** Removes `code`, the point at `X[off…]`, from the table. */
export function pmDelete(st: NDState, code: number, X: ArrayLike<number>, off: number): void {
  const h = hash32(X, off, st.dim);
  const keys = st.pmKeys;
  const hashes = st.pmHash;
  const mask = keys.length - 1;
  let i = h & mask;
  while (keys[i] !== code) {
    if ((keys[i] as number) < 0) return;
    i = (i + 1) & mask;
  }
  // Backward-shift deletion keeps every probe sequence unbroken.
  let j = i;
  for (;;) {
    keys[i] = -1;
    for (;;) {
      j = (j + 1) & mask;
      if ((keys[j] as number) < 0) {
        st.pmCount--;
        return;
      }
      const home = (hashes[j] as number) & mask;
      // Move j into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) break;
    }
    keys[i] = keys[j] as number;
    hashes[i] = hashes[j] as number;
    i = j;
  }
}

/** Doubles the table. */
function pmGrow(st: NDState): void {
  const oldK = st.pmKeys;
  const oldH = st.pmHash;
  const size = oldK.length * 2;
  st.pmKeys = new Int32Array(size).fill(-1);
  st.pmHash = new Uint32Array(size);
  const mask = size - 1;
  for (let t = 0; t < oldK.length; t++) {
    const code = oldK[t] as number;
    if (code < 0) continue;
    const h = oldH[t] as number;
    let i = h & mask;
    while ((st.pmKeys[i] as number) >= 0) i = (i + 1) & mask;
    st.pmKeys[i] = code;
    st.pmHash[i] = h;
  }
}
