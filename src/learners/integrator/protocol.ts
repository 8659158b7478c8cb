/**
 * IntegratorLearner's protocol: input checks, `ask` (the queue, then `fill`), `tell` and
 * `tellMany` (a node's value into every interval that has it), `tellPending`,
 * `removeUnfinished`, and the told data in x order.
 */
import type { AskOptions, AskResult } from '../types.js';
import { checkAsk, checkAskLimit, checkTellMany, describe } from '../validate.js';
import { fill, know, processInterval, scaleIntegrals, scaleValues } from './cquad.js';
import { DivergentIntegralError } from './errors.js';
import { plan } from './plan.js';
import { copy } from './snapshot.js';
import {
  INF,
  type IntegratorState,
  type Interval,
  improvement,
  LOOKAHEAD,
  MAX_POINTS,
  PENDING,
  QUEUED,
  skipStale,
  TOLD,
  VS_HUGE,
} from './state.js';

/** Validates a point: finite, within the bounds; returns it with -0 as 0. */
function checkX(s: IntegratorState, x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new TypeError(
      `IntegratorLearner.${what}: the point must be a finite number, got ${describe(x)}`,
    );
  }
  if (x < s.bounds[0] || x > s.bounds[1]) {
    throw new RangeError(
      `IntegratorLearner.${what}: point ${x} is outside the bounds [${s.bounds[0]}, ${s.bounds[1]}]`,
    );
  }
  return x + 0;
}

/** The node at x. @throws RangeError when x is no node of any interval. */
function nodeOf(s: IntegratorState, x: number, what: string): number {
  const node = s.index.get(x);
  if (node < 0) {
    throw new RangeError(
      `IntegratorLearner.${what}: point ${x} is not a node of any interval; tell only points the learner handed out (ask) or nodes of its intervals`,
    );
  }
  return node;
}

/** Validates a value: any number (NaN and ±Infinity included). */
function checkY(x: number, y: unknown, what: string): number {
  if (typeof y !== 'number') {
    throw new TypeError(
      `IntegratorLearner.${what}: value at x=${x} must be a number (NaN and ±Infinity are allowed), got ${describe(y)}`,
    );
  }
  return y;
}

/** The body of {@link IntegratorLearner.ask}. */
export function ask(s: IntegratorState, n: number, options?: AskOptions): AskResult<number> {
  const tellPending = checkAsk('IntegratorLearner.ask', n, options);
  if (n === 0) return { points: [], lossImprovements: [] };
  checkAskLimit('IntegratorLearner.ask', n, s.nTold + s.pending.size, MAX_POINTS);
  const div = s.divergence;
  if (div !== null) throw new DivergentIntegralError(div.a, div.b);
  if (!tellPending) {
    const p = plan(s, n, Number.NaN);
    if (p !== null) return { points: p.points, lossImprovements: p.imps };
    return ask(copy(s), n);
  }
  const points: number[] = [];
  const imps: number[] = [];
  popQueue(s, n, points, imps);
  while (points.length < n) {
    if (!fill(s)) break;
    popQueue(s, n, points, imps);
  }
  return { points, lossImprovements: imps };
}

/** Hands out queued nodes (they become pending) until `points` holds n. */
function popQueue(s: IntegratorState, n: number, points: number[], imps: number[]): void {
  while (points.length < n && s.qHead < s.qTail) {
    const node = s.queue[s.qHead++] as number;
    if (s.nodeState[node] !== QUEUED) continue;
    s.nodeState[node] = PENDING;
    s.pending.add(node);
    points.push(s.nodeX[node] as number);
    imps.push(improvement(s, node));
  }
}

/** The body of {@link IntegratorLearner.tell}. */
export function tell(s: IntegratorState, x: number, y: number): void {
  const xx = checkX(s, x, 'tell');
  const node = nodeOf(s, xx, 'tell');
  const yy = checkY(xx, y, 'tell');
  const before = s.divergence;
  tellNode(s, node, yy);
  reportDivergence(s, before);
}

/** The body of {@link IntegratorLearner.tellMany}. */
export function tellMany(s: IntegratorState, xs: readonly number[], ys: readonly number[]): void {
  checkTellMany('IntegratorLearner.tellMany', xs, ys);
  const nodes = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = checkX(s, xs[i], 'tellMany');
    nodes[i] = nodeOf(s, x, 'tellMany');
    checkY(x, ys[i], 'tellMany');
  }
  const before = s.divergence;
  for (let i = 0; i < nodes.length; i++) tellNode(s, nodes[i] as number, ys[i] as number);
  reportDivergence(s, before);
}

/** Throws the divergence found since `before` (none then). */
function reportDivergence(s: IntegratorState, before: Interval | null): void {
  const d = s.divergence;
  if (d !== null && before === null) throw new DivergentIntegralError(d.a, d.b);
}

/** Tells node's value to every interval that has it, parents first, and processes them. */
function tellNode(s: IntegratorState, node: number, y: number): void {
  if (s.nodeState[node] === TOLD) return;
  const wasQueued = s.nodeState[node] === QUEUED;
  s.nodeState[node] = TOLD;
  if (wasQueued) skipStale(s);
  s.nodeY[node] = y;
  s.nTold++;
  if (s.vsExp === 0 && Math.abs(y) > VS_HUGE && Math.abs(y) !== INF) scaleValues(s);
  if (s.wsExp === 0 && s.wExp > 0 && Math.abs(y) !== INF) {
    if (Math.abs(y) * s.vs > 2 ** (1000 - s.wExp)) scaleIntegrals(s);
  }
  s.pending.delete(node);
  for (let e = s.nodeHead[node] as number; e >= 0; e = s.entNext[e] as number) {
    know(s, s.ivals[s.entIval[e] as number] as Interval, s.entIdx[e] as number, y);
  }
  // In order of rdepth (parents first), each interval once.
  let last = -1;
  for (let e = s.nodeHead[node] as number; e >= 0; e = s.entNext[e] as number) {
    const id = s.entIval[e] as number;
    if (id === last) continue;
    last = id;
    processInterval(s, s.ivals[id] as Interval);
  }
}

/** The body of {@link IntegratorLearner.tellPending}. */
export function tellPending(s: IntegratorState, x: number): void {
  const xx = checkX(s, x, 'tellPending');
  let node = s.index.get(xx);
  if (node < 0) {
    let fills = -1;
    const p = plan(s, 0, xx);
    if (p !== null) fills = p.found ? p.fills : -1;
    else {
      const c = copy(s);
      const start = c.nNodes;
      for (let k = 1; c.nNodes - start < LOOKAHEAD && fill(c); k++) {
        if (c.index.get(xx) >= 0) {
          fills = k;
          break;
        }
      }
    }
    if (fills < 0) {
      throw new RangeError(
        `IntegratorLearner.tellPending: point ${xx} is not a node of any interval, nor among the next ${LOOKAHEAD} points the learner would hand out`,
      );
    }
    for (let k = 0; k < fills; k++) fill(s);
    node = s.index.get(xx);
    if (node < 0)
      throw new Error(`IntegratorLearner: internal error, planned point ${xx} was not created`);
  }
  if (s.nodeState[node] === QUEUED) {
    s.nodeState[node] = PENDING;
    s.pending.add(node);
    skipStale(s);
  }
}

/** The body of {@link IntegratorLearner.removeUnfinished}. */
export function removeUnfinished(s: IntegratorState): void {
  if (s.pending.size === 0) return;
  const back = [...s.pending];
  s.pending.clear();
  const rest: number[] = [];
  for (let i = s.qHead; i < s.qTail; i++) {
    const node = s.queue[i] as number;
    if (s.nodeState[node] === QUEUED) rest.push(node);
  }
  for (const node of back) s.nodeState[node] = QUEUED;
  const all = back.concat(rest);
  let cap = Math.max(64, s.queue.length);
  while (cap < all.length) cap *= 2;
  s.queue = new Int32Array(cap);
  s.queue.set(all);
  s.qHead = 0;
  s.qTail = all.length;
}

/** The told points sorted by x. O(n log n). */
export function toldSorted(s: IntegratorState): { x: Float64Array; y: Float64Array } {
  const ids: number[] = [];
  for (let i = 0; i < s.nNodes; i++) if (s.nodeState[i] === TOLD) ids.push(i);
  ids.sort((p, q) => (s.nodeX[p] as number) - (s.nodeX[q] as number));
  const x = new Float64Array(ids.length);
  const y = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    x[i] = s.nodeX[id] as number;
    y[i] = s.nodeY[id] as number;
  });
  return { x, y };
}
