/**
 * The invariant checker of a sparse grid (for tests): the hash table, the child counts,
 * attachment, every surplus recomputed by brute force (the basis functions of all the other
 * attached points at the point), the queues and the value unit.
 */
import { describe } from '../validate.js';
import {
  FULL,
  nodeBasisA,
  nodeChildren,
  nodeParent,
  nodePositionA,
  ROOT,
  warpK,
} from './hierarchy.js';
import { creatable } from './refine.js';
import { PENDING, type SGState, TOLD } from './state.js';
import { rootStandIn, unitFor } from './surplus.js';

/**
 * Throws if an internal invariant does not hold (for tests): the hash table, the child
 * counts, attachment, every surplus recomputed from scratch (its ancestors' basis
 * functions at the point), the queues. O(N · (d² + ancestors · d)).
 * @example sg.checkValid();
 */
export function checkValid(state: SGState): void {
  const fail = (m: string): never => {
    throw new Error(`SparseGridLearner: ${m}`);
  };
  const g = state.grid;
  g.checkValid();
  state.qAsk.checkValid();
  state.qPend.checkValid();
  const d = state.dim;
  const w = state.vdim;
  const K = new Int32Array(d);
  let told = 0;
  let pend = 0;
  for (let id = 0; id < g.idBound; id++) {
    if (g.used[id] !== 1) continue;
    const st = state.status[id] as number;
    if (st === TOLD) told++;
    else if (st === PENDING) pend++;
    else fail(`point ${id} in the grid has status ${st}`);
    state.load(id, K);
    const h = g.hashes[id] as number;
    let nk = 0;
    let na = 0;
    let nc = 0;
    for (let t = 0; t < d; t++) {
      const kt = K[t] as number;
      const kids = new Int32Array(2);
      const n = nodeChildren(kt, state.caps[t] as number, kids);
      for (let c = 0; c < n; c++) {
        const cid = state.findWith(K, h, t, kids[c] as number);
        if (cid < 0) continue;
        nk++;
        if (state.attached[cid] === 1) na++;
        if (state.attached[cid] === 1 || state.status[cid] === PENDING) nc++;
      }
    }
    if (nk !== state.nKids[id] || na !== state.nAtt[id] || nc !== state.nComb[id])
      fail(
        `point ${describe(state.coords(id))}: child counts ${state.nKids[id]}/${state.nAtt[id]}/${state.nComb[id]}, expected ${nk}/${na}/${nc}`,
      );
    let parentsAttached = true;
    for (let s = 0; s < d; s++) {
      const ks = K[s] as number;
      if (ks === ROOT) continue;
      const p = state.findWith(K, h, s, nodeParent(ks));
      if (p < 0 || state.attached[p] !== 1) parentsAttached = false;
    }
    const shouldAttach = st === TOLD && parentsAttached;
    if ((state.attached[id] === 1) !== shouldAttach)
      fail(
        `point ${describe(state.coords(id))} attached ${state.attached[id]}, expected ${shouldAttach}`,
      );
    if (!shouldAttach) continue;
    // The surplus from scratch: the value minus Σ over the other attached points of α·φ.
    for (let c = 0; c < w; c++) {
      let sum = 0;
      for (let q = 0; q < g.idBound; q++) {
        if (q === id || g.used[q] !== 1 || state.attached[q] !== 1) continue;
        let phi = 1;
        for (let t = 0; t < d && phi !== 0; t++)
          phi *= nodeBasisA(
            state.anchors[t] as number,
            g.keys[q * d + t] as number,
            warpK(state.anchors[t] as number, K[t] as number) / FULL,
          );
        if (phi !== 0) sum += phi * (state.alpha[q * w + c] as number);
      }
      const y = (state.vals[id * w + c] as number) * state.unit;
      const want = Number.isFinite(y) ? y - sum : id === state.rootId ? rootStandIn(state, c) : 0;
      const have = state.alpha[id * w + c] as number;
      if (Math.abs(want - have) > 1e-9 * (1 + Math.abs(y)))
        fail(`the surplus at ${describe(state.coords(id))} is ${have}, recomputed ${want}`);
    }
    if (state.qPend.has(id) !== (state.nComb[id] as number) > (state.nAtt[id] as number))
      fail(`point ${describe(state.coords(id))} is wrongly (not) in the pending-children queue`);
    if (creatable(state, id) !== null && !state.qAsk.has(id))
      fail(`point ${describe(state.coords(id))} has a child to hand out but is not queued`);
  }
  // Loose points: not nodes of this layout; the pilot only while its points are not all told.
  let looseTold = 0;
  for (const [key, { x, y }] of state.loose) {
    if (y !== null) looseTold++;
    let node = true;
    for (let t = 0; t < d; t++) {
      const k = nodePositionA(
        state.anchors[t] as number,
        x[t] as number,
        state.lo[t] as number,
        state.hi[t] as number,
        state.caps[t] as number,
      );
      if (k < 0) node = false;
    }
    if (node || key !== x.join(',')) fail(`loose point ${describe(x)} is a node of the grid`);
  }
  if (looseTold !== state.nLooseTold)
    fail(`${looseTold} loose points told, count ${state.nLooseTold}`);
  if (state.pilot && state.firstTold >= state.nFirst)
    fail('the first points are all told but the layout was not chosen');
  if (state.unit !== unitFor(state.maxAbs()))
    fail(`values held in unit ${state.unit}, expected ${unitFor(state.maxAbs())}`);
  if (told !== state.nTold || pend !== state.nPending)
    fail(`${told} told and ${pend} pending, counts ${state.nTold} and ${state.nPending}`);
}
