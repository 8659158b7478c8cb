/**
 * LearnerND's pending points and their memberships: pending point j lies in real simplex
 * s (a record on two singly linked chains, one per point and one per simplex). A simplex
 * holding pending points is split among them (see sub-triangulations.ts).
 */

import { isBoundAt, scaleInto } from './domain.js';
import { hashCoords } from './hash.js';
import { pmDelete, pmSet } from './point-table.js';
import { markDirty, markRebuild } from './simplex-loss.js';
import { growMembers, growPending, type NDState } from './state.js';

/** Removes m from the singly linked list that starts at heads[h] and continues through next. */
function unlink(heads: Int32Array, h: number, next: Int32Array, m: number): void {
  let p = heads[h] as number;
  if (p === m) {
    heads[h] = next[m] as number;
    return;
  }
  while (p >= 0) {
    const q = next[p] as number;
    if (q === m) {
      next[p] = next[m] as number;
      return;
    }
    p = q;
  }
}

/** A free membership record. */
function allocMember(st: NDState): number {
  const f = st.mFree.pop();
  if (f !== undefined) return f;
  if (st.mUsed === st.mCap) growMembers(st, st.mUsed + 1);
  return st.mUsed++;
}

/** Records that pending point j lies in simplex s. */
export function addMember(st: NDState, j: number, s: number): void {
  const m = allocMember(st);
  st.mPend[m] = j;
  st.mSimp[m] = s;
  st.mIncl[m] = 0;
  st.mNextS[m] = st.sPend[s] as number;
  st.sPend[s] = m;
  st.mNextP[m] = st.pMem[j] as number;
  st.pMem[j] = m;
  markDirty(st, s);
}

/** Unlinks membership m from its pending point's chain. */
export function unlinkFromPending(st: NDState, m: number): void {
  unlink(st.pMem, st.mPend[m] as number, st.mNextP, m);
}

/** Unlinks membership m from its simplex's chain. */
function unlinkFromSimplex(st: NDState, m: number): void {
  unlink(st.sPend, st.mSimp[m] as number, st.mNextS, m);
}

/**
 * Finds every simplex holding pending point j and records the memberships it lacks.
 * Outside the hull (or before the triangulation forms) it stays unbound.
 */
export function bindPending(st: NDState, j: number, hint: number): void {
  const tri = st.tri;
  if (!tri.isReady) return;
  const v = tri.stage(st.pS.subarray(j * st.dim, (j + 1) * st.dim));
  const s = tri.locateSlot(v, hint);
  if (s < 0) return;
  st.pHint[j] = s;
  const list = st.list;
  list.length = 0;
  tri.containingFrom(v, s, list);
  for (const c of list) {
    let known = false;
    for (let m = st.pMem[j] as number; m >= 0; m = st.mNextP[m] as number) {
      if (st.mSimp[m] === c) {
        known = true;
        break;
      }
    }
    if (!known) addMember(st, j, c);
  }
}

/** Adds the point at `X[off…]` as pending (bound to the simplices holding it); its slot. `hint`: a simplex near it, or -1. */
export function addPending(st: NDState, X: ArrayLike<number>, off: number, hint: number): number {
  let j = st.pFree.pop();
  if (j === undefined) {
    if (st.pUsed === st.pCap) growPending(st, st.pUsed + 1);
    j = st.pUsed++;
  }
  const d = st.dim;
  for (let q = 0; q < d; q++) st.pX[j * d + q] = (X[off + q] as number) + 0;
  scaleInto(st, st.pX, j * d, st.pS, j * d);
  st.pHashv[j] = hashCoords(st.pS, j * d, d);
  st.pMem[j] = -1;
  st.pHint[j] = hint;
  st.pPrev[j] = st.pTail;
  st.pNext[j] = -1;
  if (st.pTail >= 0) st.pNext[st.pTail] = j;
  else st.pHead = j;
  st.pTail = j;
  st.nPending++;
  pmSet(st, 2 * j + 1, st.pX, j * d);
  if (isBoundAt(st, st.pX, j * d)) st.nBoundPending++;
  bindPending(st, j, hint);
  return j;
}

/** Forgets pending point j: its memberships (the simplices rebuild or requeue), its slot. */
export function removePending(st: NDState, j: number): void {
  const d = st.dim;
  for (let m = st.pMem[j] as number; m >= 0; ) {
    const next = st.mNextP[m] as number;
    const s = st.mSimp[m] as number;
    unlinkFromSimplex(st, m);
    st.mFree.push(m);
    markRebuild(st, s);
    m = next;
  }
  st.pMem[j] = -1;
  const p = st.pPrev[j] as number;
  const n = st.pNext[j] as number;
  if (p >= 0) st.pNext[p] = n;
  else st.pHead = n;
  if (n >= 0) st.pPrev[n] = p;
  else st.pTail = p;
  st.nPending--;
  pmDelete(st, 2 * j + 1, st.pX, j * d);
  if (isBoundAt(st, st.pX, j * d)) st.nBoundPending--;
  st.pFree.push(j);
}
