/**
 * IntegratorLearner's snapshots (write, and load with every derived number recomputed and
 * checked), deep copies through them, and the invariant checker `checkValid`.
 */
import { encodeNumber, type JsonNumber } from '../../io/json.js';
import { FloatMap } from '../../util/float-map.js';
import { NS } from '../integrator-coeffs.js';
import type { LearnerSnapshot } from '../types.js';
import { describe, snapshotReader } from '../validate.js';
import { coefficients, know, newState, ruleIgral, sums } from './cquad.js';
import {
  activate,
  addEntry,
  errKey,
  type IntegratorState,
  type Interval,
  newInterval,
  newNode,
  nodeAt,
  PENDING,
  QUEUED,
  STRIDE,
  TOLD,
  VS_EXP,
} from './state.js';

/** The version written into snapshots (and required on load). */
export const SNAPSHOT_VERSION = 1;

/** A deep copy (through the snapshot), for the rare plans that need real processing. */
export function copy(s: IntegratorState): IntegratorState {
  const c = newState(s.bounds, s.tol, s.maxIvals);
  load(c, writeSnapshot(s));
  return c;
}

/** The body of {@link IntegratorLearner.snapshot}. */
export function writeSnapshot(s: IntegratorState): LearnerSnapshot {
  const x: JsonNumber[] = new Array(s.nNodes);
  const y: (JsonNumber | null)[] = new Array(s.nNodes);
  for (let i = 0; i < s.nNodes; i++) {
    x[i] = s.nodeX[i] as number;
    y[i] = s.nodeState[i] === TOLD ? encodeNumber(s.nodeY[i] as number) : null;
  }
  const queue: number[] = [];
  for (let i = s.qHead; i < s.qTail; i++) {
    const node = s.queue[i] as number;
    if (s.nodeState[node] === QUEUED) queue.push(node);
  }
  const intervals = s.ivals.map((iv) => ({
    a: iv.a,
    b: iv.b,
    depth: iv.depth,
    rdepth: iv.rdepth,
    ndiv: iv.ndiv,
    parent: iv.parent === null ? -1 : iv.parent.id,
    children: iv.children.map((c) => c.id),
    depthComplete: iv.depthComplete,
    c: iv.c === null ? null : Array.from(iv.c, encodeNumber),
    c00: encodeNumber(iv.c00),
    igral: encodeNumber(iv.igral),
    err: encodeNumber(iv.err),
    doneLeaves: iv.doneLeaves === null ? null : [...iv.doneLeaves].map((l) => l.id),
    removed: iv.removed,
    precise: iv.precise,
    active: iv.active,
  }));
  return {
    type: 'IntegratorLearner',
    version: SNAPSHOT_VERSION,
    bounds: [s.bounds[0], s.bounds[1]],
    tol: s.tol,
    maxIvals: s.maxIvals,
    x,
    y,
    queue,
    pending: [...s.pending],
    intervals,
    prioritySplit: s.priority.map((iv) => iv.id),
    divergent: s.divergence === null ? -1 : s.divergence.id,
    // The intervals' numbers are stored as held: values times 2^valueScale.
    valueScale: s.vsExp,
    // ... and the estimates and errors times 2^(valueScale + integralScale).
    integralScale: s.wsExp,
  };
}

/** Loads a snapshot into a fresh state s, checking everything and recomputing the coefficients and estimates to compare them bit for bit; throws a TypeError naming the problem. */
export function load(s: IntegratorState, snap: LearnerSnapshot): void {
  const { bad, num, arr } = snapshotReader('IntegratorLearner', SNAPSHOT_VERSION, snap);
  const bd = snap.bounds as unknown;
  if (!Array.isArray(bd) || bd[0] !== s.bounds[0] || bd[1] !== s.bounds[1]) {
    bad(`the snapshot has bounds ${describe(bd)}, this learner [${s.bounds[0]}, ${s.bounds[1]}]`);
  }
  if (snap.tol !== s.tol) bad(`the snapshot has tol ${describe(snap.tol)}, this learner ${s.tol}`);
  if (snap.maxIvals !== s.maxIvals) {
    bad(`the snapshot has maxIvals ${describe(snap.maxIvals)}, this learner ${s.maxIvals}`);
  }
  const int = (v: unknown, what: string, lo: number, hi: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      bad(`${what} must be an integer in [${lo}, ${hi}], got ${describe(v)}`);
    }
    return v as number;
  };
  const sx = arr(snap.x, 'x');
  const sy = arr(snap.y, 'y');
  if (sx.length !== sy.length) bad(`x has ${sx.length} entries but y has ${sy.length}`);
  const vsExp = snap.valueScale ?? 0; // absent in snapshots taken before it existed
  if (vsExp !== 0 && vsExp !== VS_EXP)
    bad(`valueScale must be 0 or ${VS_EXP}, got ${describe(vsExp)}`);
  s.vsExp = vsExp as number;
  s.vs = 2 ** s.vsExp;
  const wsExp = snap.integralScale ?? 0; // absent in snapshots taken before it existed
  if (wsExp !== 0 && wsExp !== -s.wExp)
    bad(`integralScale must be 0 or ${-s.wExp} for these bounds, got ${describe(wsExp)}`);
  s.wsExp = wsExp as number;
  s.ws = 2 ** s.wsExp;
  const si = arr(snap.intervals, 'intervals');
  if (si.length === 0) bad('intervals must not be empty');
  const nNodes = sx.length;
  const nIv = si.length;

  // Intervals first (the nodes are registered from them).
  s.ivals = [];
  s.qMax.clear();
  s.qMin.clear();
  const raw = si.map((v, i) => {
    if (v === null || typeof v !== 'object') bad(`intervals[${i}] must be an object`);
    return v as Record<string, unknown>;
  });
  raw.forEach((r, i) => {
    const w = `intervals[${i}]`;
    const a = num(r.a, `${w}.a`);
    const b = num(r.b, `${w}.b`);
    if (!(a <= b) || a < s.bounds[0] || b > s.bounds[1]) bad(`${w} is not inside the bounds`);
    const parentId = int(r.parent, `${w}.parent`, -1, i - 1);
    if ((i === 0) !== (parentId === -1)) bad(`${w}.parent: only the first interval has none`);
    const parent = parentId < 0 ? null : (s.ivals[parentId] as Interval);
    const iv = newInterval(
      s,
      a,
      b,
      int(r.depth, `${w}.depth`, 0, 3),
      int(r.rdepth, `${w}.rdepth`, 1, 10_000),
      parent,
      int(r.ndiv, `${w}.ndiv`, 0, 1_000_000),
      num(r.err, `${w}.err`),
    );
    iv.depthComplete = int(r.depthComplete, `${w}.depthComplete`, -1, iv.depth);
    if (r.c === null) {
      if (iv.depthComplete >= 0) bad(`${w}.c is missing`);
    } else {
      const c = arr(r.c, `${w}.c`);
      if (iv.depthComplete < 0 || c.length !== NS[iv.depthComplete]) {
        bad(`${w}.c must have ${iv.depthComplete < 0 ? 0 : NS[iv.depthComplete]} entries`);
      }
      iv.c = Float64Array.from(c, (v, k) => num(v, `${w}.c[${k}]`));
    }
    iv.c00 = num(r.c00, `${w}.c00`);
    iv.igral = num(r.igral, `${w}.igral`);
    if (
      typeof r.removed !== 'boolean' ||
      typeof r.precise !== 'boolean' ||
      typeof r.active !== 'boolean'
    ) {
      bad(`${w}.removed, .precise and .active must be booleans`);
    }
    iv.removed = r.removed as boolean;
    iv.precise = r.precise as boolean;
    if (r.active) activate(s, iv);
  });
  raw.forEach((r, i) => {
    const w = `intervals[${i}]`;
    const iv = s.ivals[i] as Interval;
    const ch = arr(r.children, `${w}.children`);
    if (ch.length !== 0 && ch.length !== 2) bad(`${w}.children must have 0 or 2 entries`);
    iv.children = ch.map((c, k) => {
      const id = int(c, `${w}.children[${k}]`, i + 1, nIv - 1);
      const child = s.ivals[id] as Interval;
      if (child.parent !== iv) bad(`${w}.children[${k}] has another parent`);
      return child;
    });
    if (r.doneLeaves === null) iv.doneLeaves = null;
    else {
      const dl = arr(r.doneLeaves, `${w}.doneLeaves`);
      iv.doneLeaves = new Set(
        dl.map((l, k) => s.ivals[int(l, `${w}.doneLeaves[${k}]`, 0, nIv - 1)] as Interval),
      );
    }
  });
  s.first = s.ivals[0] as Interval;

  // Nodes, in id order, then each interval's entries in id order (the original order).
  s.nNodes = 0;
  s.index = new FloatMap(nNodes);
  s.nTold = 0;
  for (let i = 0; i < nNodes; i++) {
    const x = num(sx[i], `x[${i}]`);
    if (!Number.isFinite(x) || x < s.bounds[0] || x > s.bounds[1]) {
      bad(`x[${i}] = ${x} is outside the bounds`);
    }
    if (s.index.get(x) >= 0) bad(`x[${i}] = ${x} appears twice`);
    const told = sy[i] !== null;
    const id = newNode(s, x, told ? TOLD : QUEUED);
    if (told) {
      s.nodeY[id] = num(sy[i], `y[${i}]`);
      s.nTold++;
    }
  }
  s.nEntries = 0;
  for (const iv of s.ivals) {
    const stride = STRIDE[iv.depth] as number;
    for (let j = 0; j < 33; j += stride) {
      const x = nodeAt(s, iv.a, iv.b, j);
      const node = s.index.get(x);
      if (node < 0) bad(`node ${x} of interval [${iv.a}, ${iv.b}] is missing from x`);
      addEntry(s, node, iv, j);
      if (s.nodeState[node] === TOLD) know(s, iv, j, s.nodeY[node] as number);
    }
    const need = iv.depthComplete;
    if (need >= 0 && iv.nknown[need] !== NS[need]) {
      bad(`interval [${iv.a}, ${iv.b}] is complete at depth ${need} but lacks values`);
    }
    // Derived data is recomputed from the values and must agree to the bit: the
    // coefficients of the complete rule, and the estimate made from them.
    if (need >= 0) {
      const c = coefficients(s, iv, need);
      const stored = iv.c as Float64Array;
      for (let k = 0; k < c.length; k++) {
        if (!Object.is(c[k], stored[k])) {
          bad(`interval [${iv.a}, ${iv.b}]: c[${k}] = ${stored[k]}, its values give ${c[k]}`);
        }
      }
      const rootFirstRule = iv.parent === null && need === 2;
      const igral = rootFirstRule ? 0 : ruleIgral(s, iv, need, c);
      if (!Object.is(igral, iv.igral)) {
        bad(`interval [${iv.a}, ${iv.b}]: igral = ${iv.igral}, its values give ${igral}`);
      }
    }
  }
  // Children split their parent at its middle node.
  for (const iv of s.ivals) {
    if (iv.children.length === 0) continue;
    const m = nodeAt(s, iv.a, iv.b, 16);
    const [l, r] = iv.children as [Interval, Interval];
    if (l.a !== iv.a || l.b !== m || r.a !== m || r.b !== iv.b) {
      bad(`the children of interval [${iv.a}, ${iv.b}] do not split it at its middle ${m}`);
    }
  }

  // Queue and pending points.
  const sq = arr(snap.queue, 'queue');
  const sp = arr(snap.pending, 'pending');
  const seen = new Uint8Array(nNodes);
  for (const [list, what] of [
    [sq, 'queue'],
    [sp, 'pending'],
  ] as const) {
    list.forEach((v, k) => {
      const id = int(v, `${what}[${k}]`, 0, nNodes - 1);
      if (s.nodeState[id] === TOLD) bad(`${what}[${k}] is a told point`);
      if (seen[id] === 1) bad(`${what}[${k}] appears twice`);
      seen[id] = 1;
    });
  }
  for (let i = 0; i < nNodes; i++) {
    if (s.nodeState[i] !== TOLD && seen[i] !== 1) {
      bad(`node ${s.nodeX[i]} is neither told, queued nor pending`);
    }
  }
  s.queue = new Int32Array(Math.max(64, sq.length));
  s.queue.set(sq as number[]);
  s.qHead = 0;
  s.qTail = sq.length;
  s.pending = new Set();
  for (const v of sp) {
    s.nodeState[v as number] = PENDING;
    s.pending.add(v as number);
  }
  s.priority = arr(snap.prioritySplit, 'prioritySplit').map(
    (v, k) => s.ivals[int(v, `prioritySplit[${k}]`, 0, nIv - 1)] as Interval,
  );
  const dv = int(snap.divergent, 'divergent', -1, nIv - 1);
  s.divergence = dv < 0 ? null : (s.ivals[dv] as Interval);
  s.dirty = true;
}

/** The body of {@link IntegratorLearner.checkValid}. */
export function checkValid(s: IntegratorState): void {
  const fail = (why: string): never => {
    throw new Error(`IntegratorLearner: ${why}`);
  };
  s.qMax.checkValid();
  s.qMin.checkValid();
  let nActive = 0;
  for (const iv of s.ivals) {
    if (iv.active) {
      nActive++;
      if (!s.qMax.has(iv.id) || s.qMax.key(iv.id) !== errKey(iv.err)) {
        fail(`active interval [${iv.a}, ${iv.b}] is not queued with its error`);
      }
      if (iv.children.length > 0) fail(`split interval [${iv.a}, ${iv.b}] is still active`);
    }
    for (let d = 0; d < 4; d++) {
      let k = 0;
      for (let j = 0; j < 33; j += STRIDE[d] as number) k += iv.known[j] as number;
      if (k !== iv.nknown[d])
        fail(`interval [${iv.a}, ${iv.b}] counts ${iv.nknown[d]} values at depth ${d}, has ${k}`);
    }
    if (iv.depthComplete > iv.depth) fail('depthComplete beyond depth');
    for (const ch of iv.children) if (ch.parent !== iv) fail('child with another parent');
  }
  if (nActive !== s.qMax.size || nActive !== s.qMin.size)
    fail('heap sizes differ from the active intervals');
  let told = 0;
  for (let i = 0; i < s.nNodes; i++) {
    const st = s.nodeState[i] as number;
    if (st === TOLD) told++;
    if ((st === PENDING) !== s.pending.has(i)) fail(`node ${s.nodeX[i]} pending state mismatch`);
    if (s.index.get(s.nodeX[i] as number) !== i) fail(`node ${s.nodeX[i]} not indexed`);
    let prev = 0;
    for (let e = s.nodeHead[i] as number; e >= 0; e = s.entNext[e] as number) {
      const iv = s.ivals[s.entIval[e] as number] as Interval;
      if (iv.rdepth < prev) fail(`entries of node ${s.nodeX[i]} out of rdepth order`);
      prev = iv.rdepth;
      const j = s.entIdx[e] as number;
      if (nodeAt(s, iv.a, iv.b, j) !== s.nodeX[i])
        fail(`entry of node ${s.nodeX[i]} points elsewhere`);
      if ((iv.known[j] === 1) !== (st === TOLD)) fail(`value of node ${s.nodeX[i]} not registered`);
    }
    if (s.nodeHead[i] === -1) fail(`node ${s.nodeX[i]} belongs to no interval`);
  }
  if (told !== s.nTold) fail(`${told} told nodes, npoints ${s.nTold}`);
  let queued = 0;
  for (let i = 0; i < s.nNodes; i++) if (s.nodeState[i] === QUEUED) queued++;
  const inQueue = new Set<number>();
  for (let i = s.qHead; i < s.qTail; i++) {
    const node = s.queue[i] as number;
    if (s.nodeState[node] === QUEUED) inQueue.add(node);
  }
  if (inQueue.size !== queued) fail(`${queued} queued nodes, ${inQueue.size} in the queue`);
  // The approximating intervals tile a part of [a, b] without overlap.
  sums(s);
  for (let i = 1; i < s.approx.length; i++) {
    if ((s.approx[i] as Interval).a < (s.approx[i - 1] as Interval).b) {
      fail('approximating intervals overlap');
    }
  }
}
