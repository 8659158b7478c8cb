/**
 * Points in and out of a sparse grid: adding a point (its child counts and its parents'),
 * telling a value, attaching told points once all their ancestors are (computing their
 * surpluses, ancestors first), the list of pending points, removing a pending point, and
 * holding the values in another unit (every surplus recomputed).
 */
import { nodeChildren, ROOT } from './hierarchy.js';
import { queueAsk, refinedNow, requeueCoParents, updateLeaf } from './refine.js';
import { PENDING, type SGState, TOLD } from './state.js';
import { computeSurplus, unitFor } from './surplus.js';

/** Adds a point with positions K (hash h) in state `st`; returns its id. */
function insert(state: SGState, K: Int32Array, h: number, st: number): number {
  const g = state.grid;
  const id = g.add(K, h);
  if (g.capacity > state.cap) state.growIds(g.capacity);
  const d = state.dim;
  state.status[id] = st;
  state.attached[id] = 0;
  state.bad[id] = 0;
  state.edge[id] = 0;
  state.lossRaw[id] = 0;
  let lsum = 0;
  for (let t = 0; t < d; t++) lsum += g.levels[id * d + t] as number;
  state.ties.tie[id] = lsum * 4294967296 + (h >>> 0);
  // Count its children already in the grid (none of them can be attached yet).
  let nk = 0;
  let nc = 0;
  const K2 = state.K2;
  state.load(id, K2);
  for (let t = 0; t < d; t++) {
    const n = nodeChildren(K2[t] as number, state.caps[t] as number, state.kids);
    for (let c = 0; c < n; c++) {
      const cid = state.findWith(K2, h, t, state.kids[c] as number);
      if (cid < 0) continue;
      nk++;
      if (state.status[cid] === PENDING) nc++;
    }
  }
  state.nKids[id] = nk;
  state.nAtt[id] = 0;
  state.nComb[id] = nc;
  if (state.rootId < 0 && isRootKey(state, K)) state.rootId = id;
  adjustParents(state, id, 1, 0, st === PENDING ? 1 : 0);
  return id;
}

/** Whether positions K are the root's (the centre in every dimension). */
function isRootKey(state: SGState, K: Int32Array): boolean {
  for (let t = 0; t < state.dim; t++) if (K[t] !== ROOT) return false;
  return true;
}

/** Removes pending point id from the grid (its parents may hand it out again). */
export function removePoint(state: SGState, id: number): void {
  unlinkPending(state, id);
  adjustParents(state, id, -1, 0, -1);
  if (state.isFirstLevel(id)) state.firstPend--;
  state.status[id] = 0;
  if (id === state.rootId) state.rootId = -1;
  const n = state.parentIds(id);
  state.grid.remove(id);
  // The point can be created again from its parents: requeue them.
  for (let i = 0; i < n; i++) {
    const q = state.parents[i] as number;
    if (q >= 0 && state.attached[q] === 1) queueAsk(state, q);
  }
}

/** Adds the deltas to the child counts of id's parents and updates their leaf status. */
function adjustParents(
  state: SGState,
  id: number,
  dKids: number,
  dAtt: number,
  dComb: number,
): void {
  const n = state.parentIds(id);
  for (let i = 0; i < n; i++) {
    const p = state.parents[i] as number;
    if (p < 0) continue;
    const before = state.nKids[p] as number;
    state.nKids[p] = before + dKids;
    state.nAtt[p] = (state.nAtt[p] as number) + dAtt;
    state.nComb[p] = (state.nComb[p] as number) + dComb;
    if (state.attached[p] === 1) updateLeaf(state, p);
    if (before === 0 && dKids > 0) refinedNow(state, p);
  }
}

/** Whether every parent of point id is attached. */
function allParentsAttached(state: SGState, id: number): boolean {
  const n = state.parentIds(id);
  for (let i = 0; i < n; i++) {
    const p = state.parents[i] as number;
    if (p < 0 || state.attached[p] !== 1) return false;
  }
  return true;
}

/** Attaches told point `start` if its parents are attached, then its waiting descendants. */
function attachFrom(state: SGState, start: number): void {
  const stack = state.stack;
  stack.length = 0;
  stack.push(start);
  const d = state.dim;
  const Kc = state.Kc;
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (state.attached[id] === 1 || state.status[id] !== TOLD) continue;
    if (!allParentsAttached(state, id)) continue;
    computeSurplus(state, id);
    state.attached[id] = 1;
    adjustParents(state, id, 0, 1, 1);
    updateLeaf(state, id);
    queueAsk(state, id);
    // Waiting children may attach now; children not in the grid may become askable.
    state.load(id, Kc);
    const h = state.grid.hashes[id] as number;
    for (let t = 0; t < d; t++) {
      const kt = Kc[t] as number;
      const n = nodeChildren(kt, state.caps[t] as number, state.kids);
      for (let c = 0; c < n; c++) {
        const cid = state.findWith(Kc, h, t, state.kids[c] as number);
        if (cid >= 0 && state.status[cid] === TOLD) stack.push(cid);
      }
    }
    requeueCoParents(state, Kc, h, id);
  }
}

/**
 * Tells a checked value at checked positions K (hash h; `found`: the pending id there, or
 * -1): records it, holds the values in a new unit if they need one, attaches what can be.
 */
export function tellUnchecked(
  state: SGState,
  K: Int32Array,
  h: number,
  found: number,
  value: number | readonly number[],
): void {
  let id = found;
  if (id >= 0) {
    // Pending → told (and attached below, if its ancestors are).
    unlinkPending(state, id);
    state.status[id] = TOLD;
    if (state.isFirstLevel(id)) state.firstPend--;
    adjustParents(state, id, 0, 0, -1);
  } else {
    id = insert(state, K, h, TOLD);
  }
  const w = state.vdim;
  for (let c = 0; c < w; c++) {
    const y = typeof value === 'number' ? value : (value[c] as number);
    state.vals[id * w + c] = y;
    if (Number.isFinite(y)) {
      if (y < (state.yMin[c] as number)) state.yMin[c] = y;
      if (y > (state.yMax[c] as number)) state.yMax[c] = y;
    }
  }
  state.nTold++;
  if (state.isFirstLevel(id)) state.firstTold++;
  const unit = unitFor(state.maxAbs());
  if (unit !== state.unit) rescale(state, unit);
  attachFrom(state, id);
  // A child of a non-finite root changes the root's stand-in value: every surplus anew.
  const r = state.rootId;
  if (r >= 0 && id !== r && state.bad[r] === 1 && state.attached[r] === 1 && state.isFirstLevel(id))
    rescale(state, state.unit);
}

/**
 * Holds the values in a new unit: every surplus and loss recomputed, ancestors first (by
 * level sum), exactly as if the points had been told in the new unit (a power of 2: the
 * same rounding, so the same losses relative to the scale and the same asks). Also with the
 * same unit when a non-finite root's stand-in value changes. Rare: at most twice for the
 * unit and 2d times for the root in a learner's life. O(N · ancestors).
 */
function rescale(state: SGState, unit: number): void {
  state.unit = unit;
  const g = state.grid;
  const d = state.dim;
  const ids: number[] = [];
  for (let id = 0; id < g.idBound; id++) if (state.attached[id] === 1) ids.push(id);
  const lsum = new Int32Array(g.idBound);
  for (const id of ids)
    for (let t = 0; t < d; t++) lsum[id] = (lsum[id] as number) + (g.levels[id * d + t] as number);
  ids.sort((a, b) => (lsum[a] as number) - (lsum[b] as number) || a - b);
  for (const id of ids) state.attached[id] = 0;
  for (const id of ids) {
    computeSurplus(state, id);
    state.attached[id] = 1;
    if (state.qAsk.has(id)) queueAsk(state, id);
    updateLeaf(state, id);
  }
}

/** Appends id to the list of pending points. */
function linkPending(state: SGState, id: number): void {
  state.pPrev[id] = state.pTail;
  state.pNext[id] = -1;
  if (state.pTail >= 0) state.pNext[state.pTail] = id;
  else state.pHead = id;
  state.pTail = id;
  state.nPending++;
  if (state.isFirstLevel(id)) state.firstPend++;
}

/** Takes id out of the list of pending points. */
function unlinkPending(state: SGState, id: number): void {
  const p = state.pPrev[id] as number;
  const n = state.pNext[id] as number;
  if (p >= 0) state.pNext[p] = n;
  else state.pHead = n;
  if (n >= 0) state.pPrev[n] = p;
  else state.pTail = p;
  state.nPending--;
}

/** Adds a pending point at positions K (hash h); returns its id. */
export function addPending(state: SGState, K: Int32Array, h: number): number {
  const id = insert(state, K, h, PENDING);
  linkPending(state, id);
  return id;
}
