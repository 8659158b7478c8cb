/**
 * IntegratorLearner's plans: the points the next asks would hand out, found without
 * changing the learner (for `ask(n, { tellPending: false })` and `tellPending` of a point
 * that is no node yet), by replaying `fill` on copies of the few intervals it touches.
 */

import { NS } from '../integrator-coeffs.js';
import {
  errKey,
  type IntegratorState,
  type Interval,
  improvement,
  LEVEL,
  LOOKAHEAD,
  nodeAt,
  QUEUED,
  STRIDE,
  TOLD,
  tooClose,
} from './state.js';

/** An interval of a plan (see `plan`): a copy of a real one, or one that does not exist yet. */
interface PlanIval {
  a: number;
  b: number;
  depth: number;
  rdepth: number;
  err: number;
  active: boolean;
  split: boolean;
}

/** A binary heap of plan intervals; inactive ones are dropped when they reach the top. */
class PlanHeap {
  private items: PlanIval[] = [];

  constructor(private readonly before: (p: PlanIval, q: PlanIval) => boolean) {}

  push(p: PlanIval): void {
    const items = this.items;
    let i = items.length;
    items.push(p);
    while (i > 0) {
      const up = (i - 1) >> 1;
      const q = items[up] as PlanIval;
      if (!this.before(p, q)) break;
      items[i] = q;
      i = up;
    }
    items[i] = p;
  }

  /** The first active interval, or null. */
  peek(): PlanIval | null {
    const items = this.items;
    while (items.length > 0 && !(items[0] as PlanIval).active) {
      const last = items.pop() as PlanIval;
      if (items.length === 0) break;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= items.length) break;
        const r = l + 1;
        const c =
          r < items.length && this.before(items[r] as PlanIval, items[l] as PlanIval) ? r : l;
        if (!this.before(items[c] as PlanIval, last)) break;
        items[i] = items[c] as PlanIval;
        i = c;
      }
      items[i] = last;
    }
    return items[0] ?? null;
  }
}

/** python's order of `max(ivals, key=(err, a))`, and of min. */
const larger = (p: PlanIval, q: PlanIval): boolean => {
  const kp = errKey(p.err);
  const kq = errKey(q.err);
  return kp > kq || (kp === kq && p.a > q.a);
};
/** python's order of `min(ivals, key=(err, a))`. */
const smaller = (p: PlanIval, q: PlanIval): boolean => {
  const kp = errKey(p.err);
  const kq = errKey(q.err);
  return kp < kq || (kp === kq && p.a < q.a);
};

/** What a plan found: the points and their improvements, the fills it took, whether it reached its target. */
export interface Plan {
  points: number[];
  imps: number[];
  fills: number;
  found: boolean;
}

/**
 * The points the next asks would hand out, without changing anything: the queue, then
 * python's `_fill_stack` replayed on copies of the intervals it touches (the real ones
 * are read through the heaps' ordered walks). With `target` (tellPending), plans until
 * that point appears, up to LOOKAHEAD points. Returns null when a planned interval would
 * complete at once from known values (nodes shared with told points): the caller then
 * replays on a copy of the learner.
 */
export function plan(s: IntegratorState, n: number, target: number): Plan | null {
  const points: number[] = [];
  const imps: number[] = [];
  const searching = !Number.isNaN(target);
  if (!searching) {
    for (let i = s.qHead; i < s.qTail && points.length < n; i++) {
      const node = s.queue[i] as number;
      if (s.nodeState[node] !== QUEUED) continue;
      points.push(s.nodeX[node] as number);
      imps.push(improvement(s, node));
    }
    if (points.length >= n) return { points, imps, fills: 0, found: false };
  }
  const shadows = new Map<Interval, PlanIval>();
  const maxHeap = new PlanHeap(larger);
  const minHeap = new PlanHeap(smaller);
  const add = (p: PlanIval): void => {
    maxHeap.push(p);
    minHeap.push(p);
  };
  const fresh = new Map<number, number>(); // planned new node x → improvement
  let active = s.qMax.size;
  let pp = s.priority.length;
  let fills = 0;
  let nPlanned = 0;
  const ivals = s.ivals;
  const shadow = (iv: Interval): PlanIval => {
    let sh = shadows.get(iv);
    if (sh === undefined) {
      sh = {
        a: iv.a,
        b: iv.b,
        depth: iv.depth,
        rdepth: iv.rdepth,
        err: iv.err,
        active: iv.active,
        split: iv.children.length > 0,
      };
      shadows.set(iv, sh);
      add(sh);
    }
    return sh;
  };
  // The heaps' ordered walks, skipping intervals the plan has already touched.
  s.qMax.rewind();
  s.qMin.rewind();
  let headMax = s.qMax.next();
  let headMin = s.qMin.next();
  const realMax = (): Interval | null => {
    while (headMax >= 0 && shadows.has(ivals[headMax] as Interval)) headMax = s.qMax.next();
    return headMax >= 0 ? (ivals[headMax] as Interval) : null;
  };
  const realMin = (): Interval | null => {
    while (headMin >= 0 && shadows.has(ivals[headMin] as Interval)) headMin = s.qMin.next();
    return headMin >= 0 ? (ivals[headMin] as Interval) : null;
  };
  let allTold = false;
  let order: number[] = []; // the new nodes of the current fill, in python's stack order
  const register = (p: PlanIval, onlyNew: boolean): void => {
    const d = p.depth;
    const stride = STRIDE[d] as number;
    let told = 0;
    for (let j = 0; j < 33; j += stride) {
      const x = nodeAt(s, p.a, p.b, j);
      const node = s.index.get(x);
      if (node >= 0) {
        if (s.nodeState[node] === TOLD) told++;
        continue;
      }
      if (onlyNew && LEVEL[j] !== d) continue;
      const imp = fresh.get(x);
      if (imp === undefined) {
        fresh.set(x, errKey(p.err));
        order.push(x);
      } else if (errKey(p.err) > imp) fresh.set(x, errKey(p.err));
    }
    if (told === NS[d]) allTold = true;
  };
  while (searching ? nPlanned < LOOKAHEAD : points.length < n) {
    // Pick (python's _fill_stack).
    let p: PlanIval | null = null;
    let force = false;
    while (pp > 0) {
      const r = s.priority[--pp] as Interval;
      const sh = shadows.get(r);
      if (sh === undefined ? r.active && r.children.length === 0 : sh.active && !sh.split) {
        p = shadow(r);
        force = true;
        break;
      }
    }
    if (p === null) {
      const r = realMax();
      const v = maxHeap.peek();
      if (r === null && v === null) break;
      if (
        v === null ||
        (r !== null &&
          (errKey(r.err) > errKey(v.err) || (errKey(r.err) === errKey(v.err) && r.a > v.a)))
      ) {
        p = shadow(r as Interval);
      } else p = v;
    }
    fills++;
    order = [];
    const stride = STRIDE[p.depth] as number;
    const { a, b } = p;
    if (
      tooClose(nodeAt(s, a, b, 0), nodeAt(s, a, b, stride)) ||
      tooClose(nodeAt(s, a, b, 32 - stride), nodeAt(s, a, b, 32))
    ) {
      p.active = false;
      active--;
    } else if (p.depth === 3 || force) {
      p.active = false;
      p.split = true;
      const m = nodeAt(s, a, b, 16);
      const mk = (lo: number, hi: number): PlanIval => ({
        a: lo,
        b: hi,
        depth: 0,
        rdepth: p.rdepth + 1,
        err: p.err / 2,
        active: true,
        split: false,
      });
      const left = mk(a, m);
      const right = mk(m, b);
      add(left);
      add(right);
      active++;
      register(left, false);
      register(right, false);
    } else {
      p.depth++;
      register(p, true);
    }
    if (allTold) return null;
    if (active > s.maxIvals) {
      const r = realMin();
      const v = minHeap.peek();
      if (
        v === null ||
        (r !== null &&
          (errKey(r.err) < errKey(v.err) || (errKey(r.err) === errKey(v.err) && r.a < v.a)))
      ) {
        shadow(r as Interval).active = false;
      } else v.active = false;
      active--;
    }
    nPlanned += order.length;
    if (searching) {
      if (fresh.has(target)) return { points, imps, fills, found: true };
    } else {
      for (const x of order) {
        if (points.length >= n) break;
        points.push(x);
        imps.push(fresh.get(x) as number);
      }
    }
  }
  return { points, imps, fills, found: false };
}
