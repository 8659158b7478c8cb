/**
 * Learner1D's ask: the bounds first, then python-adaptive's `_ask_points_without_adding`:
 * each chosen interval is split evenly, by greedy water-filling of `max(loss_i / pieces_i)`
 * over the combined-loss heap and a small heap of "quals" (intervals already being split).
 */
import type { AskOptions, AskResult } from '../types.js';
import { checkAsk, checkAskLimit } from '../validate.js';
import { freeLatticePoints, UNREFINABLE } from './lattice.js';
import { flush } from './losses.js';
import { finiteLoss, INF, type State1D } from './state.js';
import { memoStart, tellPendingAt } from './tell.js';

/**
 * The most points (evaluated and pending) a Learner1D holds, 2^26 (its node ids are 32-bit;
 * this bound keeps the node arrays, heaps and index of a full learner within a few GB): `ask`
 * refuses an n that would go past it with a RangeError naming the limit.
 */
export const LEARNER1D_MAX_POINTS = 2 ** 26;

/** Whether qual i comes before qual j: python's `(-finite_loss, (a, b, n))` order. */
function qualBefore(s: State1D, i: number, j: number): boolean {
  const fi = s.qf[i] as number;
  const fj = s.qf[j] as number;
  if (fi !== fj) return fi > fj;
  const ai = s.qa[i] as number;
  const aj = s.qa[j] as number;
  if (ai !== aj) return ai < aj;
  const bi = s.qb[i] as number;
  const bj = s.qb[j] as number;
  if (bi !== bj) return bi < bj;
  return (s.qn[i] as number) < (s.qn[j] as number);
}

/** Pushes qual slot i onto the qual heap of m entries. */
function qualPush(s: State1D, i: number, m: number): void {
  const h = s.qheap;
  let p = m;
  while (p > 0) {
    const q = (p - 1) >> 1;
    if (!qualBefore(s, i, h[q] as number)) break;
    h[p] = h[q] as number;
    p = q;
  }
  h[p] = i;
}

/** Restores the qual heap of m entries after its root was replaced. */
function qualSiftDown(s: State1D, m: number): void {
  const h = s.qheap;
  const i = h[0] as number;
  let p = 0;
  for (;;) {
    let c = 2 * p + 1;
    if (c >= m) break;
    if (c + 1 < m && qualBefore(s, h[c + 1] as number, h[c] as number)) c++;
    if (!qualBefore(s, h[c] as number, i)) break;
    h[p] = h[c] as number;
    p = c;
  }
  h[p] = i;
}

/** Grows the qual scratch to hold m quals. */
function ensureQuals(s: State1D, m: number): void {
  if (m <= s.qa.length) return;
  let cap = s.qa.length * 2;
  while (cap < m) cap *= 2;
  const f = (a: Float64Array): Float64Array => {
    const r = new Float64Array(cap);
    r.set(a);
    return r;
  };
  const g = (a: Int32Array): Int32Array => {
    const r = new Int32Array(cap);
    r.set(a);
    return r;
  };
  s.qa = f(s.qa);
  s.qb = f(s.qb);
  s.qn = f(s.qn);
  s.ql = f(s.ql);
  s.qf = f(s.qf);
  s.qnode = g(s.qnode);
  s.qheap = g(s.qheap);
}

/** The body of {@link Learner1D.ask}. */
export function ask(s: State1D, nAsked: number, options?: AskOptions): AskResult<number> {
  const tellPending = checkAsk('Learner1D.ask', nAsked, options);
  // On a lattice at most its free points: fewer left than asked, only those are handed out.
  const n = s.lattice ? Math.min(nAsked, freeLatticePoints(s)) : nAsked;
  if (n === 0) return { points: [], lossImprovements: [] };
  checkAskLimit('Learner1D.ask', n, s.nReal + s.pending.size, LEARNER1D_MAX_POINTS);
  // Sized up front (at most n points): no regrowth while filling.
  const points: number[] = new Array(n);
  const imps: number[] = new Array(n);
  let count = 0;
  // Indexed, not destructured: destructuring runs the iterator protocol until optimised.
  const lo = s.bounds[0];
  const hi = s.bounds[1];
  const missLo = !s.hasLo;
  const missHi = !s.hasHi;
  const nMissing = (missLo ? 1 : 0) + (missHi ? 1 : 0);
  if (missLo) points[count++] = lo;
  if (missHi && count < n) points[count++] = hi;
  for (let i = 0; i < count; i++) imps[i] = INF;

  if (nMissing >= n) {
    // only bounds
  } else if (s.head < 0) {
    // numpy.linspace(a, b, n): i * step + a, the last point exactly b.
    const step = (hi - lo) / (n - 1);
    // Where the bounds hold fewer than n doubles, pieces round onto each other (or onto
    // hi): each point is handed out once.
    count = 0;
    for (let i = 0; i < n; i++) {
      let x = i === n - 1 ? hi : i * step + lo;
      if (s.lattice) x = Math.round(x); // n ≤ the lattice's size: step ≥ 1, no two alike
      if (count > 0 && !(x > (points[count - 1] as number))) continue;
      if (x === hi && i !== n - 1) continue;
      points[count] = x;
      imps[count++] = INF;
    }
  } else {
    count = askIntervals(s, n - nMissing, missLo, missHi, points, imps, count);
  }
  if (count < n) {
    points.length = count;
    imps.length = count;
  }

  if (tellPending) {
    const hints = s.hints;
    const nh = s.nHints;
    const spread = s.head < 0; // linspace on an empty learner: points increase
    // The points of one split interval come in increasing order: each starts its search at
    // the node made for the one before and keeps its evaluated neighbours, so a big ask
    // into few intervals costs O(n), not O(n²) walks over the points it just added.
    let prev = -1;
    let prevHint = -2;
    if (points.length > 1) memoStart(s, s.used + points.length);
    for (let i = 0; i < points.length; i++) {
      const x = points[i] as number;
      if (spread) {
        prev = tellPendingAt(s, x, i === 0 ? -1 : prev, i > 0);
        continue;
      }
      const hint = i < nMissing || nh === 0 ? -1 : (hints[i - nMissing] as number);
      const same = i > nMissing && hint === prevHint && prev >= 0;
      prev = tellPendingAt(s, x, same ? prev : hint, same);
      prevHint = i < nMissing ? -2 : hint;
    }
    s.memoOn = false;
  }
  s.nHints = 0;
  return { points, lossImprovements: imps };
}

/**
 * A qual's key: its finite_loss, or on a lattice UNREFINABLE once its k pieces have width
 * 1 (k = b − a): then every integer inside is handed out and it cannot take another point.
 */
function qualKey(s: State1D, a: number, b: number, k: number, loss: number): number {
  if (s.lattice && k >= b - a) return UNREFINABLE;
  return finiteLoss(loss, b - a, s.xScale, k);
}

/** Adds the qual (a, b) split into k pieces of raw loss `loss`, left node `node`. */
function addQual(s: State1D, a: number, b: number, k: number, loss: number, node: number): void {
  const i = s.nq++;
  s.qa[i] = a;
  s.qb[i] = b;
  s.qn[i] = k;
  s.ql[i] = loss;
  s.qf[i] = qualKey(s, a, b, k, loss);
  s.qnode[i] = node;
  qualPush(s, i, i);
}

/** Fills points/imps from index `count` on; returns the new count. */
function askIntervals(
  s: State1D,
  toGo: number,
  missLo: boolean,
  missHi: boolean,
  points: number[],
  imps: number[],
  count: number,
): number {
  const xs = s.xs;
  const xScale = s.xScale;
  ensureQuals(s, toGo + 3);
  s.nq = 0;
  if (missLo || missHi) {
    const first = s.head;
    const last = s.tail;
    if (missLo) addQual(s, s.bounds[0], xs[first] as number, 1, INF, -1);
    if (missHi) addQual(s, xs[last] as number, s.bounds[1], 1, INF, last);
  }
  let m = s.nq; // quals in the heap
  const qC = s.qC;
  flush(s);
  qC.rewind();
  let ival = qC.next();
  const lat = s.lattice;
  for (let step = 0; step < toGo; step++) {
    // On a lattice the heap holds only intervals with an integer inside; a qual whose
    // pieces have width 1 has key UNREFINABLE (the lowest): at the top, no qual can take one.
    const mq = lat && m > 0 && s.qf[s.qheap[0] as number] === UNREFINABLE ? 0 : m;
    let takeIval: boolean;
    if (mq === 0) takeIval = ival >= 0;
    else if (ival < 0) takeIval = false;
    else {
      // (finite_loss(ival), (a, b)) >= (finite_loss(qual), (a, b, n)) as python tuples.
      const q = s.qheap[0] as number;
      const fi = s.qC.key(ival);
      const fq = s.qf[q] as number;
      if (fi !== fq) takeIval = fi > fq;
      else {
        const a = xs[ival] as number;
        const qa = s.qa[q] as number;
        if (a !== qa) takeIval = a > qa;
        else {
          const b = xs[s.nc[ival] as number] as number;
          const qb = s.qb[q] as number;
          takeIval = b !== qb ? b > qb : false; // (a, b) < (a, b, n)
        }
      }
    }
    if (takeIval) {
      const b = s.nc[ival] as number;
      addQual(s, xs[ival] as number, xs[b] as number, 2, (s.lossC[ival] as number) / 2, ival);
      m++;
      // The walk's next interval is read only by a next step (an ask of 1 needs none).
      if (step + 1 < toGo) ival = qC.next();
    } else if (mq > 0) {
      const q = s.qheap[0] as number;
      m--;
      if (m > 0) {
        s.qheap[0] = s.qheap[m] as number;
        qualSiftDown(s, m);
      }
      const k = s.qn[q] as number;
      // Re-use slot q for (a, b, k + 1): its heap entry was just removed.
      s.ql[q] = ((s.ql[q] as number) * k) / (k + 1);
      s.qn[q] = k + 1;
      s.qf[q] = lat
        ? qualKey(s, s.qa[q] as number, s.qb[q] as number, k + 1, s.ql[q] as number)
        : finiteLoss(s.ql[q] as number, (s.qb[q] as number) - (s.qa[q] as number), xScale, k + 1);
      qualPush(s, q, m++);
    } else {
      break; // nothing left to split
    }
  }
  // Emit the quals in order: linspace(a, b, k) inside each, decreasing loss. The quals
  // are a heap in that order: pop them (O(m log m), no allocation).
  const h = s.qheap;
  while (m > 0) {
    const q = h[0] as number;
    m--;
    if (m > 0) {
      h[0] = h[m] as number;
      qualSiftDown(s, m);
    }
    const k = s.qn[q] as number;
    if (k < 2) continue;
    const a = s.qa[q] as number;
    const b = s.qb[q] as number;
    const step = (b - a) / k;
    const loss = s.ql[q] as number;
    let prev = a;
    for (let i = 1; i < k; i++) {
      let x = a + step * i;
      if (lat) x = Math.round(x); // the nearest integer: step ≥ 1, so strictly increasing
      // At machine precision a piece can round onto an end or onto its neighbour:
      // never hand out a point twice.
      if (!(x > prev && x < b)) continue;
      prev = x;
      points[count] = x;
      imps[count++] = loss;
      if (s.nHints === s.hints.length) {
        const h2 = new Int32Array(s.nHints * 2);
        h2.set(s.hints);
        s.hints = h2;
      }
      s.hints[s.nHints++] = s.qnode[q] as number;
    }
  }
  return count;
}
