/**
 * Learner1D's tells: input checks, an evaluated point (`tell`, `tellMany`, `updateValue`),
 * a pending point (`tellPending`, and the many made by one `ask`), `removeUnfinished`.
 */
import type { LossOptions } from '../types.js';
import { checkTellMany, describe } from '../validate.js';
import { checkLatticePoint } from './lattice.js';
import { flush, setCombLoss, throwLossError, updateAround, updateScale } from './losses.js';
import type { Value1D } from './state.js';
import {
  DIRTY,
  findNode,
  INF,
  insertNode,
  KIND,
  PENDING,
  predecessor,
  REAL,
  realLeft,
  realRight,
  type State1D,
  syncIndex,
} from './state.js';

/** Validates a point: finite, within the bounds; returns it with -0 as 0. */
function checkX(s: State1D, x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new TypeError(`Learner1D.${what}: the point must be a finite number, got ${describe(x)}`);
  }
  if (x < s.bounds[0] || x > s.bounds[1]) {
    throw new RangeError(
      `Learner1D.${what}: point ${x} is outside the bounds [${s.bounds[0]}, ${s.bounds[1]}]`,
    );
  }
  if (s.lattice) checkLatticePoint(x, what);
  return x + 0; // -0 → 0
}

/** Validates a value; returns its vector length (0 for a scalar). */
function checkY(x: number, y: unknown, what: string, vdim: number, vector: boolean): number {
  if (typeof y === 'number') {
    if (vdim !== 0 && vector) {
      throw new TypeError(
        `Learner1D.${what}: value at x=${x} is a number, but earlier values were vectors of length ${vdim}`,
      );
    }
    return 0;
  }
  if (Array.isArray(y) || ArrayBuffer.isView(y)) {
    const v = y as ArrayLike<unknown>;
    if (v.length === 0)
      throw new TypeError(`Learner1D.${what}: value at x=${x} is an empty vector`);
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') {
        throw new TypeError(
          `Learner1D.${what}: value at x=${x} must hold numbers only, got ${describe(y)}`,
        );
      }
    }
    if (vdim !== 0 && !vector) {
      throw new TypeError(
        `Learner1D.${what}: value at x=${x} is a vector, but earlier values were numbers`,
      );
    }
    if (vdim !== 0 && v.length !== vdim) {
      throw new RangeError(
        `Learner1D.${what}: value at x=${x} has length ${v.length}, but earlier values had length ${vdim}`,
      );
    }
    return v.length;
  }
  throw new TypeError(
    `Learner1D.${what}: value at x=${x} must be a number or an array of numbers, got ${describe(y)}`,
  );
}

/** Fixes the value shape at the first tell: len 0 for scalar output, else a vector length. */
export function setShape(s: State1D, len: number): void {
  s.vector = len > 0;
  s.vdim = len > 0 ? len : 1;
  s.ys = new Float64Array(s.cap * s.vdim);
  s.yMin = new Float64Array(s.vdim).fill(INF);
  s.yMax = new Float64Array(s.vdim).fill(-INF);
  s.vbuf = Array.from({ length: 2 + 2 * s.nn }, () => new Float64Array(s.vdim));
}

/** The body of {@link Learner1D.tell}. */
export function tell(s: State1D, x: number, y: Value1D): void {
  const xx = checkX(s, x, 'tell');
  const len = checkY(xx, y, 'tell', s.vdim, s.vector);
  if (s.vdim === 0) setShape(s, len);
  tellUnchecked(s, xx, y);
  throwLossError(s);
}

/** Tells a validated point and value (a known evaluated point is ignored). */
function tellUnchecked(s: State1D, x: number, y: Value1D): void {
  let id = findNode(s, x);
  if (id >= 0) {
    if (((s.state[id] as number) & KIND) === REAL) return;
    s.pending.delete(x);
  } else {
    id = insertNode(s, x, predecessor(s, x));
  }
  s.sorted = null;
  if (x === s.bounds[0]) s.realLo = true;
  if (x === s.bounds[1]) s.realHi = true;
  s.state[id] = ((s.state[id] as number) & DIRTY) | REAL;
  s.nReal++;
  if (typeof y === 'number') s.ys[id] = y;
  else {
    const d = s.vdim;
    for (let k = 0; k < d; k++) s.ys[id * d + k] = y[k] as number;
  }
  const L = realLeft(s, id);
  const R = realRight(s, id);
  updateScale(s, id);
  updateAround(s, id, L, R);
}

/** The body of {@link Learner1D.updateValue}. */
export function updateValue(s: State1D, x: number, value: number, rangeSample: number): void {
  const id = findNode(s, x);
  if (id < 0 || ((s.state[id] as number) & KIND) !== REAL) {
    throw new RangeError(`Learner1D.updateValue: ${x} is not an evaluated point`);
  }
  if (s.vector) throw new TypeError('Learner1D.updateValue: scalar output only');
  s.sorted = null;
  s.ys[id] = value;
  if (Number.isFinite(rangeSample)) {
    if (rangeSample < (s.yMin[0] as number)) s.yMin[0] = rangeSample;
    if (rangeSample > (s.yMax[0] as number)) s.yMax[0] = rangeSample;
    const range = (s.yMax[0] as number) - (s.yMin[0] as number);
    if (range > s.yScale) s.yScale = range;
  }
  updateAround(s, id, realLeft(s, id), realRight(s, id));
  throwLossError(s);
}

/** The body of {@link Learner1D.around}. */
export function around(
  s: State1D,
  x: number,
  options?: LossOptions,
): { left: number; right: number; leftLoss: number; rightLoss: number } {
  const real = options?.real ?? true;
  const id = findNode(s, x);
  if (id < 0) throw new RangeError(`Learner1D.around: ${x} is not a point of the learner`);
  const l = real ? realLeft(s, id) : (s.pc[id] as number);
  const r = real ? realRight(s, id) : (s.nc[id] as number);
  const loss = real ? s.lossR : s.lossC;
  const isReal = ((s.state[id] as number) & KIND) === REAL;
  return {
    left: l >= 0 ? (s.xs[l] as number) : Number.NaN,
    right: r >= 0 ? (s.xs[r] as number) : Number.NaN,
    leftLoss: l >= 0 && (!real || isReal) ? (loss[l] as number) : INF,
    rightLoss: r >= 0 && (!real || isReal) ? (loss[id] as number) : INF,
  };
}

/** The body of {@link Learner1D.tellMany}. */
export function tellMany(s: State1D, xs: readonly number[], ys: readonly Value1D[]): void {
  checkTellMany('Learner1D.tellMany', xs, ys);
  const clean = new Array<number>(xs.length);
  let vdim = s.vdim;
  let vector = s.vector;
  for (let i = 0; i < xs.length; i++) {
    const x = checkX(s, xs[i], 'tellMany');
    const len = checkY(x, ys[i], 'tellMany', vdim, vector);
    if (vdim === 0) {
      vdim = len > 0 ? len : 1;
      vector = len > 0;
    }
    clean[i] = x;
  }
  if (xs.length > 0 && s.vdim === 0) setShape(s, vector ? vdim : 0);
  for (let i = 0; i < clean.length; i++) tellUnchecked(s, clean[i] as number, ys[i] as Value1D);
  throwLossError(s);
}

/** The body of {@link Learner1D.tellPending}. */
export function tellPending(s: State1D, x: number): void {
  tellPendingAt(s, checkX(s, x, 'tellPending'), -1);
}

/** Starts remembering evaluated neighbours for one ask (see `memoNow`). */
export function memoStart(s: State1D, nodes: number): void {
  if (s.memoStamp.length < nodes) {
    s.memoStamp = new Uint32Array(nodes);
    s.memoL = new Int32Array(nodes);
    s.memoR = new Int32Array(nodes);
    s.memoNow = 0;
  }
  if (s.memoNow === 0xffffffff) {
    s.memoStamp.fill(0);
    s.memoNow = 0;
  }
  s.memoNow++;
  s.memoOn = true;
}

/** realLeft (left) or realRight of node id, through the memo; fills it on the way. */
function memoReal(s: State1D, id: number, left: boolean): number {
  const link = left ? s.pc : s.nc;
  const out = left ? s.memoL : s.memoR;
  const stamp = s.memoStamp;
  const now = s.memoNow;
  const m = stamp.length;
  let p = link[id] as number;
  let found = -1;
  while (p >= 0) {
    if (((s.state[p] as number) & KIND) === REAL) {
      found = p;
      break;
    }
    if (p < m && stamp[p] === now && out[p] !== -2) {
      found = out[p] as number;
      break;
    }
    p = link[p] as number;
  }
  // Second pass: every pending node walked over has the same evaluated neighbour.
  for (let q = link[id] as number; q >= 0 && q !== p; q = link[q] as number) {
    if (q >= m) continue;
    if (stamp[q] !== now) {
      stamp[q] = now;
      // A node's other side is not known yet: mark it unknown by walking later.
      s.memoL[q] = left ? found : -2;
      s.memoR[q] = left ? -2 : found;
    } else out[q] = found;
  }
  return found;
}

/**
 * Marks x pending and returns its node (-1 when x was a point already); `hint` is a node
 * left of x (from ask), or -1 to search. With `sameInterval` the evaluated neighbours of x
 * are those of the previous call (x lies between its point and the same evaluated right
 * neighbour), so they are not searched for again.
 */
export function tellPendingAt(s: State1D, x: number, hint: number, sameInterval = false): number {
  let p = hint;
  if (p >= 0) {
    const xs = s.xs;
    const nc = s.nc;
    let q = nc[p] as number;
    while (q >= 0 && (xs[q] as number) < x) {
      p = q;
      q = nc[p] as number;
    }
    if (q >= 0 && xs[q] === x) return -1;
  } else {
    if (findNode(s, x) >= 0) return -1;
    p = predecessor(s, x);
  }
  const id = insertNode(s, x, p);
  s.state[id] = PENDING;
  s.pending.set(x, id);
  const known = sameInterval && hint >= 0 && p === hint;
  const memo = s.memoOn;
  const L = known ? s.lastL : memo ? memoReal(s, id, true) : realLeft(s, id);
  const R = known ? s.lastR : memo ? memoReal(s, id, false) : realRight(s, id);
  s.lastL = L;
  s.lastR = R;
  if (memo && id < s.memoStamp.length) {
    s.memoStamp[id] = s.memoNow;
    s.memoL[id] = L;
    s.memoR[id] = R;
  }
  const a = s.pc[id] as number;
  const b = s.nc[id] as number;
  if (L >= 0 && R >= 0) {
    const xs = s.xs;
    const dx = (xs[R] as number) - (xs[L] as number);
    const loss = s.lossR[L] as number;
    setCombLoss(s, a, ((x - (xs[a] as number)) * loss) / dx);
    setCombLoss(s, id, (((xs[b] as number) - x) * loss) / dx);
  } else {
    if (a >= 0) setCombLoss(s, a, INF);
    if (b >= 0) setCombLoss(s, id, INF);
  }
  return id;
}

/** The body of {@link Learner1D.removeUnfinished}. */
export function removeUnfinished(s: State1D): void {
  if (s.pending.size === 0) return;
  flush(s);
  syncIndex(s);
  const touched: number[] = [];
  const ids: number[] = [];
  s.pending.forEach((_x, id) => {
    ids.push(id);
  });
  for (const id of ids) {
    const x = s.xs[id] as number;
    s.index.delete(x);
    if (x === s.bounds[0]) s.hasLo = false;
    if (x === s.bounds[1]) s.hasHi = false;
    const p = s.pc[id] as number;
    const q = s.nc[id] as number;
    if (p >= 0) s.nc[p] = q;
    else s.head = q;
    if (q >= 0) s.pc[q] = p;
    else s.tail = p;
    s.qC.delete(id);
    s.state[id] = 0;
    s.free.push(id);
    if (p >= 0 && ((s.state[p] as number) & KIND) === REAL) touched.push(p);
  }
  s.pending.clear();
  // Each touched node now starts a real interval again (or ends the data). Its combined
  // loss is computed as a tell computes it, (b − a)·loss/dx, which can differ from the real
  // loss in the last bit: python-adaptive copies the real loss here, which makes its
  // state depend on whether points were once pending; ours depends on the data only.
  for (const l of touched) {
    if (((s.state[l] as number) & KIND) !== REAL) continue;
    const r = realRight(s, l);
    if (r >= 0) {
      const dx = (s.xs[r] as number) - (s.xs[l] as number);
      setCombLoss(s, l, (dx * (s.lossR[l] as number)) / dx);
    } else s.qC.delete(l);
  }
  flush(s);
}
