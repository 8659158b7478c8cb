/**
 * LearnerND's queues: the real-loss heap (every simplex, for `loss()`) and the combined
 * heap (simplices without pending points and sub-simplices, for `ask` and
 * `loss({ real: false })`), brought up to date lazily from the dirty lists; and the
 * output scale, whose growth recomputes every loss.
 */

import { computeLoss, markDirty } from './simplex-loss.js';
import { DIRTY_C, DIRTY_R, FINITE, type NDState, REBUILD } from './state.js';
import { createSub, destroySub, insertMembers } from './sub-triangulations.js';

/** The value range's band where no value unit is needed (see setMultiplier). */
const UNIT_LOW = 2 ** -100;
const UNIT_HIGH = 2 ** 100;
/** The relative rounding error python-adaptive assumes of a value (its `1e-15 * max|y|`). */
const VALUE_NOISE = 1e-15;
/** python-adaptive's allowed numerical error: a range within the noise is not amplified. */
const ALLOWED_ERROR = 1e-2;
/** The value unit's exponent stays within ±this (2^±1000 is a normal double). */
const UNIT_EXP_MAX = 1000;

/** Queues simplex s in the real-loss heap with `key` (its tie: the vertices' hash). */
function setReal(st: NDState, s: number, key: number): void {
  const q = st.qReal;
  const tie = st.tiesR.tie;
  if (tie[s] !== st.sHash[s]) {
    q.delete(s);
    tie[s] = st.sHash[s] as number;
  }
  q.set(s, key);
}

/** Queues `id` in the combined heap with `key`, tie `h`. */
function setComb(st: NDState, id: number, key: number, h: number): void {
  const q = st.qComb;
  const tie = st.tiesC.tie;
  if (tie[id] !== h) {
    q.delete(id);
    tie[id] = h;
  }
  q.set(id, key);
}

/** Applies the queued updates of the real-loss heap (rebuilt when most changed). */
export function flushReal(st: NDState): void {
  const n = st.nDirtyR;
  if (n === 0) return;
  const list = st.dirtyR;
  const kinds = st.tri.kinds;
  for (let i = 0; i < n; i++) {
    const s = list[i] as number;
    st.sFlag[s] = (st.sFlag[s] as number) & ~DIRTY_R;
  }
  st.nDirtyR = 0;
  if (n * 4 > st.qReal.size) {
    const slots = st.tri.simplexSlots();
    const keys = new Float64Array(slots.length);
    const tie = st.tiesR.tie;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i] as number;
      keys[i] = st.sLoss[s] as number;
      tie[s] = st.sHash[s] as number;
    }
    st.qReal.build(slots, keys, slots.length);
    return;
  }
  for (let i = 0; i < n; i++) {
    const s = list[i] as number;
    if (kinds[s] === FINITE) setReal(st, s, st.sLoss[s] as number);
    else st.qReal.delete(s);
  }
}

/** Brings the combined queue up to date: requeues, removes and (re)builds sub-triangulations. */
export function flushComb(st: NDState): void {
  const kinds = st.tri.kinds;
  // Sub-triangulation work may mark nothing new; loop over a snapshot of the list.
  while (st.nDirtyC > 0) {
    const n = st.nDirtyC;
    const list = st.dirtyC;
    st.dirtyC = st.dirtyC2;
    st.dirtyC2 = list;
    st.nDirtyC = 0;
    for (let i = 0; i < n; i++) {
      const s = list[i] as number;
      const f = st.sFlag[s] as number;
      st.sFlag[s] = f & ~(DIRTY_C | REBUILD);
      if (s >= st.tri.slotCount || kinds[s] !== FINITE) {
        st.qComb.delete(2 * s);
        continue;
      }
      if ((st.sPend[s] as number) < 0) {
        if ((st.sSub[s] as number) >= 0) destroySub(st, s);
        setComb(st, 2 * s, st.sLoss[s] as number, st.sHash[s] as number);
        continue;
      }
      st.qComb.delete(2 * s);
      if ((st.sSub[s] as number) >= 0 && (f & REBUILD) !== 0) destroySub(st, s);
      if ((st.sSub[s] as number) < 0) createSub(st, s);
      else insertMembers(st, s, st.sSub[s] as number);
    }
  }
}

/** Recomputes every loss (the value range grew): O(simplices), heaps rebuilt in O(n). */
export function recomputeAll(st: NDState): void {
  const tri = st.tri;
  if (!tri.isReady) return;
  const slots = tri.simplexSlots();
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i] as number;
    computeLoss(st, s);
    if ((st.sSub[s] as number) >= 0) destroySub(st, s);
  }
  // Rebuild both heaps from scratch; simplices holding pending points rebuild lazily.
  for (let i = 0; i < st.nDirtyR; i++) {
    const s = st.dirtyR[i] as number;
    st.sFlag[s] = (st.sFlag[s] as number) & ~DIRTY_R;
  }
  st.nDirtyR = 0;
  for (let i = 0; i < st.nDirtyC; i++) {
    const s = st.dirtyC[i] as number;
    st.sFlag[s] = (st.sFlag[s] as number) & ~(DIRTY_C | REBUILD);
  }
  st.nDirtyC = 0;
  const keys = new Float64Array(slots.length);
  const tieR = st.tiesR.tie;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i] as number;
    keys[i] = st.sLoss[s] as number;
    tieR[s] = st.sHash[s] as number;
  }
  st.qReal.build(slots, keys, slots.length);
  const ids = new Int32Array(slots.length);
  const ck = new Float64Array(slots.length);
  const tieC = st.tiesC.tie;
  let m = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i] as number;
    if ((st.sPend[s] as number) >= 0) {
      markDirty(st, s);
      st.sFlag[s] = (st.sFlag[s] as number) & ~DIRTY_R;
      continue;
    }
    ids[m] = 2 * s;
    ck[m] = st.sLoss[s] as number;
    tieC[2 * s] = st.sHash[s] as number;
    m++;
  }
  // The real dirty list must not keep the entries just re-added for sub-triangulations.
  st.nDirtyR = 0;
  st.qComb.build(ids, ck, m);
}

/** python-adaptive's `_update_range` over the finite components of a value. */
export function updateRange(st: NDState, i: number): void {
  const w = st.vdim;
  let changed = false;
  for (let c = i * w; c < i * w + w; c++) {
    const y = st.dataY[c] as number;
    if (!Number.isFinite(y)) continue;
    if (y < st.yMin) {
      st.yMin = y;
      changed = true;
    }
    if (y > st.yMax) {
      st.yMax = y;
      changed = true;
    }
  }
  if (!changed || st.restoring) return;
  setMultiplier(st);
  const scale = st.yMax - st.yMin;
  if (scale > st.factor * st.oldScale) {
    st.oldScale = scale;
    recomputeAll(st);
  }
}

/** What {@link setMultiplier} reads and writes: the value range and the multiplier from it. */
export interface ValueScale {
  yMin: number;
  yMax: number;
  mult: number;
  unit: number;
  jump: number;
}

/** The value multiplier (and unit) from the current value range (LearnerND's either mesh). */
export function setMultiplier(st: ValueScale): void {
  const scale = st.yMax >= st.yMin ? st.yMax - st.yMin : 0;
  let mult = scale > 0 ? 1 / scale : 1;
  let unit = 1;
  let ranged = scale > 0;
  const maxAbs = Math.max(Math.abs(st.yMin), Math.abs(st.yMax));
  if (scale === 0 || (scale >= UNIT_LOW && scale <= UNIT_HIGH)) {
    // Do not amplify float noise: python's allowed numerical error of 1e-2.
    if (scale > 0 && VALUE_NOISE * maxAbs * mult > ALLOWED_ERROR) {
      mult = 1;
      ranged = false;
    }
  } else {
    // A range that overflows (values near ±MAX_VALUE), or whose inverse does (subnormal
    // values): the values are first multiplied by a power of two (exact) that puts the
    // range in [1, 2), then by the multiplier. The same products as y / range, as far as
    // rounding allows.
    const half = st.yMax * 0.5 - st.yMin * 0.5;
    if (VALUE_NOISE * ((maxAbs * 0.5) / half) > ALLOWED_ERROR) {
      mult = 1;
      ranged = false;
    } else {
      const e = Math.max(-UNIT_EXP_MAX, Math.min(UNIT_EXP_MAX, Math.floor(Math.log2(half)) + 1));
      unit = 2 ** -e;
      mult = 1 / (st.yMax * unit - st.yMin * unit);
    }
  }
  st.mult = mult;
  st.unit = unit;
  // In units of the range, a jump of the whole range is 1 (the same at any value scale);
  // where the values are not scaled by their range there is no such unit (see mixedLoss).
  st.jump = ranged ? 1 : 0;
}
