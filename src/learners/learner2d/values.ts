/**
 * Learner2D's values: the output shape, writing values into the vertex records, and the value
 * range, unit and loss scale (see the fields of `Learner2DState`).
 */
import { setAll } from './bookkeeping.js';
import {
  boundsDone,
  INF,
  KIND,
  type Learner2DState,
  layout,
  PENDING,
  REAL,
  VM_HIGH,
  VM_LOW,
  writeNaN,
  writeZero,
} from './state.js';
import type { Value2D } from './types.js';

/** Fixes the output shape at the first tell (len 0: scalar). */
export function setShape(st: Learner2DState, len: number): void {
  st.vector = len > 0;
  st.vdim = len > 0 ? len : 1;
  st.yMin = new Float64Array(st.vdim).fill(INF);
  st.yMax = new Float64Array(st.vdim).fill(-INF);
  const stride = layout(st, st.vdim);
  if (stride !== st.store.stride) st.store.restride(stride);
  // Only pending points can exist yet: 0 while a corner is pending (see interpolateInto),
  // else unknown.
  const zero = !boundsDone(st);
  for (let v = 0; v < st.store.size; v++) {
    if (zero && ((st.vflag[v] as number) & KIND) === PENDING) writeZero(st, v);
    else writeNaN(st, v);
  }
  setAll(st, st.combined);
  if (st.real !== null) {
    st.real.grad = new Float64Array(0);
    setAll(st, st.real);
  }
}

/** Writes a value into v's record and its non-finite marker; returns whether it is finite. */
export function writeValue(st: Learner2DState, v: number, y: Value2D): boolean {
  const rec = st.store.xy;
  const o = v * st.stride;
  const d = st.outputDimension;
  let finite = true;
  if (typeof y === 'number') {
    rec[o + 2] = y;
    finite = Number.isFinite(y);
  } else {
    for (let k = 0; k < d; k++) {
      const c = y[k] as number;
      rec[o + 2 + k] = c;
      if (!Number.isFinite(c)) finite = false;
    }
  }
  rec[o + st.metaOffset] = ((rec[o + st.metaOffset] as number) & ~1) | (finite ? 0 : 1);
  return finite;
}

/** Updates the value range with vertex v; recomputes all losses when it grew enough. */
export function updateScale(st: Learner2DState, v: number): void {
  const d = st.vdim;
  const rec = st.store.xy;
  const o = v * st.stride + 2;
  for (let k = 0; k < d; k++) {
    const y = rec[o + k] as number;
    if (Number.isFinite(y)) {
      if (y < (st.yMin[k] as number)) st.yMin[k] = y;
      if (y > (st.yMax[k] as number)) st.yMax[k] = y;
    }
  }
  let scale = scaledRange(st);
  // vm is a function of the range (so of the data, whatever its order): 1 in the band, else
  // the unit that puts the range in [1, 2).
  if (
    scale === 0 ||
    (st.ve === 0 ? scale > VM_HIGH || scale < VM_LOW : !(scale >= 1 && scale < 2))
  ) {
    setUnit(st);
    scale = scaledRange(st);
  }
  adoptScale(st, scale);
}

/** The largest range (max − min) over the components, times vm; 0 before finite data. */
export function scaledRange(st: Learner2DState): number {
  const vm = st.vm;
  let scale = 0;
  for (let k = 0; k < st.vdim; k++) {
    const range = (st.yMax[k] as number) * vm - (st.yMin[k] as number) * vm;
    if (range > scale) scale = range;
  }
  return scale;
}

/**
 * Sets vm so that the value range is near 1 (a power of two, within 2¹⁰⁰⁰ of 1), rescales
 * sRef exactly and recomputes every gradient (the losses come out the same bits: they do not
 * depend on vm).
 */
export function setUnit(st: Learner2DState): void {
  let half = 0; // half the range: yMax/2 − yMin/2 does not overflow
  for (let k = 0; k < st.vdim; k++) {
    const r = (st.yMax[k] as number) * 0.5 - (st.yMin[k] as number) * 0.5;
    if (r > half) half = r;
  }
  // While the range is 0 the unit puts the values' magnitude (their half) in [1, 2) instead,
  // and the flat scale is that magnitude times the unit.
  let mag = 0;
  if (half === 0) {
    for (let k = 0; k < st.vdim; k++) {
      const lo = Math.abs(st.yMin[k] as number);
      const hi = Math.abs(st.yMax[k] as number);
      if (Number.isFinite(lo) && lo > mag) mag = lo;
      if (Number.isFinite(hi) && hi > mag) mag = hi;
    }
    half = mag * 0.5;
  }
  // 2 · half within [2⁻¹⁰⁰, 2¹⁰⁰] (the band): e = 0.
  const inBand = half >= VM_LOW / 2 && half <= VM_HIGH / 2;
  const e = half > 0 && !inBand ? Math.max(-1000, Math.min(1000, floorLog2(half) + 1)) : 0;
  const flat = mag > 0 ? mag * 2 ** -e : 1;
  if (-e === st.ve) {
    if (flat !== st.sFlat) {
      st.sFlat = flat;
      if (st.sRef === 0) {
        if (st.real !== null) setAll(st, st.real);
        setAll(st, st.combined);
      }
    }
    return;
  }
  st.sFlat = flat;
  // sRef in the new unit, by two exact steps (the ratio itself may be up to 2²⁰⁰⁰).
  const delta = -e - st.ve;
  const h = Math.trunc(delta / 2);
  st.sRef = st.sRef * 2 ** h * 2 ** (delta - h);
  st.ve = -e;
  st.vm = 2 ** -e;
  if (st.real !== null) setAll(st, st.real);
  setAll(st, st.combined);
}

/**
 * ⌊log₂ x⌋ exactly, for finite x > 0: Math.log2 of a double just below a power of two rounds
 * up to the power (half a range of 2^513·(1 − 2⁻⁵²) got the unit of 2^514, so a restore chose
 * another unit than the tells had, and another value scale: the snapshotRoundTrip law).
 */
function floorLog2(x: number): number {
  let e = Math.floor(Math.log2(x));
  if (e > 1023 || 2 ** e > x) e--;
  else if (e < 1023 && 2 ** (e + 1) <= x) e++;
  return e;
}

/** Takes scale (times vm) as the loss scale when it grew by the factor. */
export function adoptScale(st: Learner2DState, scale: number): void {
  if (scale > st.factor * st.sRef || (st.sRef === 0 && scale > 0)) {
    st.sRef = scale;
    if (st.real !== null) setAll(st, st.real);
    setAll(st, st.combined);
  }
}

/**
 * After the value at evaluated vertex v was replaced (`old` holds its former components):
 * the value range, unit and loss scale the current values give. The range is rescanned (O(n))
 * only when a former value was at its edge and the new one is not; the loss scale then comes
 * down to the range when it shrank below it (with `recomputeLossesFactor` 1, what telling the
 * current values gives: the scale is then always the range).
 */
export function replaceScale(st: Learner2DState, v: number, old: Float64Array): void {
  const d = st.vdim;
  const rec = st.store.xy;
  const o = v * st.stride + 2;
  let rescan = false;
  for (let k = 0; k < d; k++) {
    const was = old[k] as number;
    const y = rec[o + k] as number;
    // A finite extreme left the range unless the new value extends it (a non-finite one does not).
    const fin = Number.isFinite(y);
    if ((was === st.yMin[k] && !(fin && y <= was)) || (was === st.yMax[k] && !(fin && y >= was)))
      rescan = true;
  }
  if (rescan) {
    st.yMin.fill(INF);
    st.yMax.fill(-INF);
    const flags = st.vflag;
    for (let u = 0; u < st.store.size; u++) {
      if (((flags[u] as number) & KIND) !== REAL) continue;
      const b = u * st.stride + 2;
      for (let k = 0; k < d; k++) {
        const y = rec[b + k] as number;
        if (Number.isFinite(y)) {
          if (y < (st.yMin[k] as number)) st.yMin[k] = y;
          if (y > (st.yMax[k] as number)) st.yMax[k] = y;
        }
      }
    }
  }
  updateScale(st, v);
  const scale = scaledRange(st);
  if (st.sRef > scale) {
    st.sRef = scale;
    if (st.real !== null) setAll(st, st.real);
    setAll(st, st.combined);
  }
}
