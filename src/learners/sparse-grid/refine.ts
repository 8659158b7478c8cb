/**
 * What a sparse grid may hand out next: the ask queue (evaluated points that may have a
 * child to hand out, checked when read) and the pending-children queue, and the
 * dimension-adaptive admissibility rule (Gerstner and Griebel's, point by point): a child is
 * handed out only when each of its other parents was refined, has a non-finite value, or
 * has a loss at least its creator's.
 */
import { coordHash } from './grid.js';
import { nodeChildren, nodeParent, ROOT } from './hierarchy.js';
import { INF, type SGState } from './state.js';

/** Whether id's loss is scale-free: the root's, or a stand-in for a jump to or from a non-finite value. */
function scaleFree(state: SGState, id: number): boolean {
  return (
    id === state.rootId || state.bad[id] === 1 || state.edge[id] === 1 || state.lossRaw[id] === INF
  );
}

/** Queues (or re-keys) attached point id in the ask queue. */
export function queueAsk(state: SGState, id: number): void {
  state.qAsk.set(id, state.lossRaw[id] as number, scaleFree(state, id));
}

/** Queues attached point p in qPend while it has a pending child. */
export function updateLeaf(state: SGState, p: number): void {
  if ((state.nComb[p] as number) > (state.nAtt[p] as number))
    state.qPend.set(p, state.lossRaw[p] as number, scaleFree(state, p));
  else state.qPend.delete(p);
}

/** The largest loss of an evaluated point with a child to hand out (-Infinity if none). */
export function askTop(state: SGState, scale: number): number {
  for (;;) {
    const p = state.qAsk.peek(scale);
    if (p < 0) return Number.NEGATIVE_INFINITY;
    if (creatable(state, p) !== null) return state.qAsk.key(p, scale);
    state.qAsk.delete(p); // checked when read: queued again when that may change
  }
}

/** The first child of p that may be handed out (positions in state.K2, hash returned), or null. */
export function creatable(state: SGState, p: number): number | null {
  if (state.pilot && p !== state.rootId) return null; // the pilot: the root's children only
  const d = state.dim;
  const K = state.K2;
  state.load(p, K);
  const h = state.grid.hashes[p] as number;
  for (let t = 0; t < d; t++) {
    const kt = K[t] as number;
    const n = nodeChildren(kt, state.caps[t] as number, state.kids);
    for (let c = 0; c < n; c++) {
      const k = state.kids[c] as number;
      const hc = (h - coordHash(t, kt) + coordHash(t, k)) | 0;
      K[t] = k;
      if (state.grid.find(K, hc) < 0 && coParentsRefined(state, K, hc, t, p)) return hc;
      K[t] = kt;
    }
  }
  return null;
}

/**
 * Whether every parent of K other than p (its parent along t) lets p hand K out: it is
 * attached and has a child in the grid (it was refined), or its value is not finite, or
 * its loss is at least p's (it would be refined before p; without this two parents that
 * wait for each other, as at a level cap, would never hand out their common child).
 */
function coParentsRefined(state: SGState, K: Int32Array, h: number, t: number, p: number): boolean {
  const d = state.dim;
  const lp = state.lossRaw[p] as number;
  // Scale-free losses (the root's, the stand-ins of non-finite values and their edges) are
  // not compared with losses in value units.
  const pBad = state.bad[p] === 1 || state.edge[p] === 1 || p === state.rootId;
  for (let s = 0; s < d; s++) {
    const ks = K[s] as number;
    if (s === t || ks === ROOT) continue;
    const q = state.findWith(K, h, s, nodeParent(ks));
    if (q < 0 || state.attached[q] !== 1) return false;
    if (
      state.nKids[q] === 0 &&
      state.bad[q] !== 1 &&
      state.edge[q] !== 1 &&
      (pBad || (state.lossRaw[q] as number) < lp)
    )
      return false;
  }
  return true;
}

/** For each child c of the point K (hash h, id p) not in the grid, queues c's other attached parents. */
export function requeueCoParents(state: SGState, K: Int32Array, h: number, p: number): void {
  const d = state.dim;
  const kids = state.kidsR;
  for (let t = 0; t < d; t++) {
    const kt = K[t] as number;
    const n = nodeChildren(kt, state.caps[t] as number, kids);
    for (let c = 0; c < n; c++) {
      const k = kids[c] as number;
      const hc = (h - coordHash(t, kt) + coordHash(t, k)) | 0;
      K[t] = k;
      if (state.grid.find(K, hc) < 0) {
        for (let s = 0; s < d; s++) {
          const ks = K[s] as number;
          if (s === t || ks === ROOT) continue;
          const q = state.findWith(K, hc, s, nodeParent(ks));
          if (q >= 0 && q !== p && state.attached[q] === 1) queueAsk(state, q);
        }
      }
      K[t] = kt;
    }
  }
}

/**
 * Point p got its first child: children of p not in the grid whose other parents are
 * now all refined may be handed out by those parents, so they are queued again.
 */
export function refinedNow(state: SGState, p: number): void {
  const K = state.Kr;
  state.load(p, K);
  requeueCoParents(state, K, state.grid.hashes[p] as number, p);
}
