/**
 * IntegratorLearner's plans: the points the next asks would hand out, found without
 * changing the learner (for `ask(n, { tellPending: false })` and `tellPending` of a point
 * that is no node yet), by replaying `fill` on copies of the few intervals it touches.
 */

import type { IndexedHeap } from '../../queue/heap.js';
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
  /** Its index in the plan's list, and its id in the plan heaps. */
  id: number;
  a: number;
  b: number;
  depth: number;
  rdepth: number;
  err: number;
  active: boolean;
  split: boolean;
}

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
  // The plan's intervals by (err, a), as the real ones in qMax and qMin: active ones only.
  const list: PlanIval[] = [];
  const maxHeap = s.planMax;
  const minHeap = s.planMin;
  maxHeap.clear();
  minHeap.clear();
  const add = (p: PlanIval): void => {
    const id = list.length;
    p.id = id;
    list.push(p);
    if (id >= s.planTieMax.tie.length) {
      const tMax = new Float64Array(id * 2);
      tMax.set(s.planTieMax.tie);
      s.planTieMax.tie = tMax;
      const tMin = new Float64Array(id * 2);
      tMin.set(s.planTieMin.tie);
      s.planTieMin.tie = tMin;
    }
    s.planTieMax.tie[id] = -p.a;
    s.planTieMin.tie[id] = p.a;
    if (!p.active) return;
    const k = errKey(p.err);
    maxHeap.set(id, k);
    minHeap.set(id, -k);
  };
  const retire = (p: PlanIval): void => {
    p.active = false;
    maxHeap.delete(p.id);
    minHeap.delete(p.id);
  };
  const first = (heap: IndexedHeap): PlanIval | null => {
    const id = heap.peek();
    return id < 0 ? null : (list[id] as PlanIval);
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
        id: -1,
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
      const v = first(maxHeap);
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
      retire(p);
      active--;
    } else if (p.depth === 3 || force) {
      retire(p);
      p.split = true;
      const m = nodeAt(s, a, b, 16);
      const mk = (lo: number, hi: number): PlanIval => ({
        id: -1,
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
      const v = first(minHeap);
      if (
        v === null ||
        (r !== null &&
          (errKey(r.err) < errKey(v.err) || (errKey(r.err) === errKey(v.err) && r.a < v.a)))
      ) {
        retire(shadow(r as Interval));
      } else retire(v);
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
