/**
 * CQUAD on the interval tree (Gonnet 2010, algorithm 4; python-adaptive's
 * `integrator_learner.py`): a rule completes when its values are all known (coefficients,
 * estimate, error, divergence count, machine-precision test), estimates are handed up the
 * tree (`done_leaves`), and `fill` refines or splits the interval with the largest error.
 */
import {
  EPS,
  HINT,
  interpolationCoefficients,
  type Matrix,
  NDIV_MAX,
  NS,
} from '../integrator-coeffs.js';
import { describe } from '../validate.js';
import {
  activate,
  addEntry,
  deactivate,
  enqueue,
  FLOAT_MAX,
  FORCE,
  INF,
  IntegratorState,
  type Interval,
  LEVEL,
  newInterval,
  newNode,
  nodeAt,
  QUEUED,
  REMOVE,
  SQRT2,
  STRIDE,
  setErr,
  TOLD,
  tooClose,
  VS_EXP,
} from './state.js';

/**
 * A learner's state with its first interval registered (its nodes queued).
 * @throws RangeError when the bounds are too narrow for the 33 nodes of the first rule.
 */
export function newState(
  bounds: readonly [number, number],
  tol: number,
  maxIvals: number,
): IntegratorState {
  const s = new IntegratorState(bounds, tol, maxIvals);
  const [a, b] = bounds;
  // The rule of 33 nodes must fit: adjacent nodes at least 16 ulp apart (the spacing
  // below which an interval is too narrow to refine). Narrower bounds, like
  // [1e15, 1e15 + 1] (8 doubles between them), would end with no estimate at all.
  if (
    tooClose(nodeAt(s, a, b, 0), nodeAt(s, a, b, 1)) ||
    tooClose(nodeAt(s, a, b, 31), nodeAt(s, a, b, 32))
  ) {
    throw new RangeError(
      `IntegratorLearner: the bounds ${describe(bounds)} hold too few representable numbers for the 33 nodes of the quadrature rule (adjacent nodes must be at least 16 ulp apart; width ${b - a} at magnitude ${Math.max(Math.abs(a), Math.abs(b))}); integrate over wider bounds, or shift the variable towards 0`,
    );
  }
  addInterval(s, s.first, false);
  return s;
}

/** Recomputes igral, err and the sums done() tests, when anything changed. O(k log k). */
export function sums(s: IntegratorState): void {
  if (!s.dirty) return;
  const leaves = s.first.doneLeaves;
  const list = leaves === null ? [] : [...leaves];
  list.sort((p, q) => p.a - q.a || p.b - q.b);
  let igral = 0;
  let err = 0;
  let excess = 0;
  let unknown = false;
  for (const iv of list) {
    if (Number.isNaN(iv.igral)) {
      unknown = true; // no finite value of f there: left out of the test of done()
      continue;
    }
    igral += iv.igral;
    err += iv.err;
    if (iv.removed) excess += iv.err;
  }
  s.approx = list;
  s.doneIgral = igral;
  s.doneErr = list.length === 0 || err > FLOAT_MAX ? INF : err;
  s.sumIgral = unknown ? Number.NaN : igral;
  s.sumErr = unknown ? Number.NaN : s.doneErr;
  s.sumExcess = excess;
  s.dirty = false;
}

/**
 * Switches to working on values times 2^VS_EXP: everything an interval holds that is
 * linear in the values (values, coefficients, estimate, error) is scaled once. O(k).
 */
export function scaleValues(s: IntegratorState): void {
  const f = 2 ** VS_EXP;
  s.vsExp = VS_EXP;
  s.vs = f;
  for (const iv of s.ivals) {
    for (let j = 0; j < 33; j++) if (iv.known[j] === 1) iv.fx[j] = (iv.fx[j] as number) * f;
    if (iv.c !== null) for (let k = 0; k < iv.c.length; k++) iv.c[k] = (iv.c[k] as number) * f;
    iv.c00 *= f;
    iv.igral *= f;
    setErr(s, iv, iv.err * f);
  }
  s.dirty = true;
}

/**
 * Switches to holding the estimates and errors times 2^−wExp (see wsExp): every interval's
 * igral and err are scaled once. O(k).
 */
export function scaleIntegrals(s: IntegratorState): void {
  s.wsExp = -s.wExp;
  const f = 2 ** s.wsExp;
  s.ws = f;
  for (const iv of s.ivals) {
    iv.igral *= f;
    setErr(s, iv, iv.err * f);
  }
  s.dirty = true;
}

/** Registers the value of node j of iv. */
export function know(s: IntegratorState, iv: Interval, j: number, y: number): void {
  if (iv.known[j] === 1) return;
  iv.known[j] = 1;
  iv.fx[j] = y * s.vs;
  for (let d = LEVEL[j] as number; d < 4; d++) iv.nknown[d] = (iv.nknown[d] as number) + 1;
}

/**
 * python's `add_ival`: makes iv active and registers its nodes at its depth (only the new
 * ones after a refinement). Unknown nodes join the queue; known values complete the rule
 * when they are all there.
 */
function addInterval(s: IntegratorState, iv: Interval, refined: boolean): void {
  if (!iv.active) activate(s, iv);
  const d = iv.depth;
  const stride = STRIDE[d] as number;
  let told = false;
  for (let j = 0; j < 33; j += stride) {
    if (refined && LEVEL[j] !== d) continue;
    const x = nodeAt(s, iv.a, iv.b, j);
    let node = s.index.get(x);
    if (node < 0) {
      node = newNode(s, x, QUEUED);
      enqueue(s, node);
    }
    addEntry(s, node, iv, j);
    if (s.nodeState[node] === TOLD) {
      know(s, iv, j, s.nodeY[node] as number);
      told = true;
    }
  }
  if (told) processInterval(s, iv);
}

/** The matrix taking the parent's coefficients to child iv's (left or right half). */
function shiftMatrix(s: IntegratorState, iv: Interval): Matrix {
  return iv.a === (iv.parent as Interval).a ? s.C.Tleft : s.C.Tright;
}

/** `T[:, :k] @ c` for the child iv of the parent with coefficients c (length k), into cOld. */
function shifted(s: IntegratorState, iv: Interval, c: Float64Array): Float64Array {
  const T = shiftMatrix(s, iv).data;
  const k = c.length;
  const out = s.cOld;
  for (let r = 0; r < 33; r++) {
    let acc = 0;
    for (let q = 0; q < k; q++) acc += (T[r * 33 + q] as number) * (c[q] as number);
    out[r] = acc;
  }
  return out;
}

/** The coefficients of the rule of `depth` of iv (python's `_calc_coeffs`). */
export function coefficients(s: IntegratorState, iv: Interval, depth: number): Float64Array {
  const n = NS[depth] as number;
  const stride = STRIDE[depth] as number;
  const f = s.fxs;
  for (let i = 0; i < n; i++) f[i] = iv.fx[i * stride] as number;
  return interpolationCoefficients(f.subarray(0, n), depth);
}

/** How many values of the rule of `depth` of iv are NaN or ±Infinity. */
function nonFiniteValues(iv: Interval, depth: number): number {
  const n = NS[depth] as number;
  const stride = STRIDE[depth] as number;
  let bad = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(iv.fx[i * stride] as number)) bad++;
  return bad;
}

/**
 * Whether f looks not finite on a piece of iv by the rule of `depth`: most of its values, or
 * two neighbouring ones, are NaN or ±Infinity. An isolated non-finite value (f(0) = Infinity
 * for 1/√x) is not: it is down-dated, as in python-adaptive.
 */
function notFiniteOnAPiece(iv: Interval, depth: number): boolean {
  const n = NS[depth] as number;
  const stride = STRIDE[depth] as number;
  let bad = 0;
  let prevBad = false;
  for (let i = 0; i < n; i++) {
    const isBad = !Number.isFinite(iv.fx[i * stride] as number);
    if (isBad && prevBad) return true;
    if (isBad) bad++;
    prevBad = isBad;
  }
  return 2 * bad > n;
}

/**
 * The estimate of the rule of `depth` of iv from its coefficients c: python's
 * `(b − a)·c[0]/√2`, or NaN when f looks not finite on a piece of iv (`notFiniteOnAPiece`):
 * the down-dated interpolant of the finite values would give a finite-looking estimate
 * (f = x > 0.5 ? Infinity : 1 on [0, 1] gave igral 1 and done()) of an integral that
 * diverges or is undefined.
 */
export function ruleIgral(
  s: IntegratorState,
  iv: Interval,
  depth: number,
  c: Float64Array,
): number {
  if (notFiniteOnAPiece(iv, depth)) return Number.NaN;
  return ((iv.b - iv.a) * s.ws * (c[0] as number)) / SQRT2;
}

/** The 2-norm, scaled when the squares could over- or underflow. */
function norm(v: ArrayLike<number>, n: number): number {
  let s = 0;
  let big = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i] as number);
    if (a > big) big = a;
    s += (v[i] as number) * (v[i] as number);
  }
  if (!Number.isFinite(big)) return big; // Infinity or NaN
  if (big === 0 || (s < INF && s > 1e-290)) return Math.sqrt(s);
  let t = 0;
  for (let i = 0; i < n; i++) {
    const r = (v[i] as number) / big;
    t += r * r;
  }
  return big * Math.sqrt(t);
}

/** python's `calc_err`: err = (b − a)·‖c_old − c‖; incomplete children get half of it. */
function calcErr(
  s: IntegratorState,
  iv: Interval,
  cOld: ArrayLike<number>,
  lenOld: number,
): number {
  const c = iv.c as Float64Array;
  const len = Math.max(lenOld, c.length);
  const diff = s.fxs;
  for (let k = 0; k < len; k++) {
    const o = k < lenOld ? (cOld[k] as number) : 0;
    diff[k] = k < c.length ? o - (c[k] as number) : o;
  }
  const cdiff = norm(diff, len);
  setErr(s, iv, (iv.b - iv.a) * s.ws * cdiff);
  for (const child of iv.children) {
    if (child.depthComplete < 0) heuristicErr(s, child, iv.err / 2);
  }
  return cdiff;
}

/** python's `update_heuristic_err`: an error guess for intervals whose own is unknown. */
function heuristicErr(s: IntegratorState, iv: Interval, value: number): void {
  setErr(s, iv, value);
  for (const child of iv.children) {
    if (child.depthComplete >= 1 || (child.depthComplete === 0 && iv.depthComplete >= 0)) {
      continue;
    }
    heuristicErr(s, child, value / 2);
  }
}

/** The error of a child at depth 0 from its parent's coefficients. */
function childErr(s: IntegratorState, child: Interval, parent: Interval): void {
  const pc = parent.c as Float64Array;
  calcErr(s, child, shifted(s, child, pc), 33);
}

/**
 * A child complete at depth 0 gets its error from a (finer) rule of its parent that
 * completed after it. Its machine-precision test is redone with that error, as it would
 * have been had the parent completed first (python-adaptive keeps the earlier verdict).
 */
export function recheckChild(s: IntegratorState, child: Interval, parent: Interval): void {
  childErr(s, child, parent);
  const floor = Math.abs(child.igral) * EPS * (s.C.Vcond[0] as number);
  if (!child.removed && child.err < floor) s.lateRemovals.push(child);
}

/** python's `calc_ndiv`: counts splits in which the estimate more than doubled. */
function calcNdiv(s: IntegratorState, iv: Interval): void {
  const pc00 = (iv.parent as Interval).c00;
  // ≥ 2, where python-adaptive has > 2: near a singularity |x|^-p the ratio is 2^p, so
  // the divergent integrals are those with ratio ≥ 2; 1/x gives exactly 2 (its nodes and
  // values scale by powers of 2) and python-adaptive never flags it.
  const div = pc00 !== 0 && iv.c00 / pc00 >= 2;
  if (div) iv.ndiv++;
  checkDivergence(s, iv);
  if (div) for (const child of iv.children) ndivUp(s, child);
}

/** Counts one more divergent split in iv and its subtree. */
function ndivUp(s: IntegratorState, iv: Interval): void {
  iv.ndiv++;
  checkDivergence(s, iv);
  for (const child of iv.children) ndivUp(s, child);
}

/** Records iv as the divergence when it was split more than NDIV_MAX times, in over half of its splits with a doubling estimate. */
function checkDivergence(s: IntegratorState, iv: Interval): void {
  if (s.divergence === null && iv.ndiv > NDIV_MAX && 2 * iv.ndiv > iv.rdepth) {
    s.divergence = iv;
  }
}

/**
 * python's `complete_process`: the rule of `depth` of iv has all its values. Computes the
 * coefficients, the estimate and its error, and hands the estimate up the tree (done
 * leaves). Returns FORCE when refining did not converge, REMOVE at machine precision.
 */
export function completeProcess(s: IntegratorState, iv: Interval, depth: number): number {
  iv.depthComplete = depth;
  s.dirty = true;
  const first = iv.parent === null && depth === 2;
  const old = depth > 0 && !first ? iv.c : null;
  iv.c = coefficients(s, iv, depth);
  if (first) {
    iv.c00 = 0;
    // Children that finished before the first rule did get their errors from it now, as
    // they would have had it completed first.
    for (const child of iv.children) if (child.depthComplete === 0) recheckChild(s, child, iv);
    return 0;
  }
  iv.igral = ruleIgral(s, iv, depth, iv.c);
  let flags = 0;
  if (depth > 0) {
    const o = old as Float64Array;
    const cdiff = calcErr(s, iv, o, o.length);
    if (cdiff > HINT * norm(iv.c, iv.c.length)) flags |= FORCE;
    // Children that finished before this rule did: their errors from the finer rule.
    for (const child of iv.children) if (child.depthComplete === 0) recheckChild(s, child, iv);
  } else {
    iv.c00 = iv.c[0] as number;
    const parent = iv.parent as Interval;
    if (parent.depthComplete >= 0) {
      childErr(s, iv, parent);
      calcNdiv(s, iv);
    }
    for (const child of iv.children) {
      if (child.depthComplete >= 0) calcNdiv(s, child);
      if (child.depthComplete === 0) recheckChild(s, child, iv);
    }
  }

  if (iv.doneLeaves !== null && iv.doneLeaves.size === 0) {
    // This interval now stands for itself; hand it up while all siblings have estimates.
    iv.doneLeaves = new Set([iv]);
    const ancestors = new Set<Interval>();
    for (let p = iv.parent; p !== null; p = p.parent) {
      if (p.precise) break; // a rule at machine precision is not replaced by coarser ones
      let ready = true;
      for (const ch of p.children) {
        if (ch.doneLeaves !== null && ch.doneLeaves.size === 0) ready = false;
      }
      if (!ready) break;
      if (p.doneLeaves === null) p.doneLeaves = new Set();
      ancestors.add(p);
      for (const ch of p.children) {
        if (ch.doneLeaves === null) continue;
        for (const leaf of ch.doneLeaves) p.doneLeaves.add(leaf);
        ch.doneLeaves = null;
      }
      for (const o of ancestors) p.doneLeaves.delete(o);
    }
  }
  const C = s.C.Vcond[depth] as number;
  if (iv.err < Math.abs(iv.igral) * EPS * C) flags |= REMOVE;
  // No finite value in this rule: its estimate is NaN, and refining would only find more
  // of the same; it stands alone with NaN, so igral and err say that f is not integrable
  // here (python-adaptive reports 0 ± 0 and claims convergence), and a run ends.
  // Some values, not all, not finite: split iv next, so that the piece where f is not finite
  // is found (a spoiled value or two then fall into children whose estimates are finite).
  if (Number.isNaN(iv.igral)) {
    const bad = nonFiniteValues(iv, depth);
    flags |= bad > 0 && bad < (NS[depth] as number) ? FORCE : REMOVE;
  }
  return flags;
}

/** python's per-interval step of `tell`: processes every rule of iv that is now complete. */
export function processInterval(s: IntegratorState, iv: Interval): void {
  const start = iv.depthComplete >= 0 ? iv.depthComplete + 1 : iv.parent !== null ? 0 : 2;
  for (let d = start; d <= iv.depth; d++) {
    if (iv.nknown[d] !== NS[d]) break;
    const flags = completeProcess(s, iv, d);
    if ((flags & REMOVE) !== 0) {
      standAlone(s, iv);
      removeTree(s, iv);
    } else if ((flags & FORCE) !== 0 && iv.children.length === 0 && iv.active) {
      s.priority.push(iv);
    }
    while (s.lateRemovals.length > 0) {
      const child = s.lateRemovals.pop() as Interval;
      if (child.removed) continue;
      standAlone(s, child);
      removeTree(s, child);
    }
  }
}

/**
 * iv reached machine precision: its estimate replaces those of its descendants in the
 * integral (python-adaptive lets the descendants' coarser estimates replace it when they
 * were asked before iv was complete, its issue #96). The leaves of iv's subtree are held
 * by the lowest of iv and its ancestors whose `doneLeaves` is not null.
 */
function standAlone(s: IntegratorState, iv: Interval): void {
  iv.precise = true;
  for (let p = iv.parent; p !== null; p = p.parent) if (p.precise) return; // already stood for
  let holder: Interval | null = iv;
  while (holder !== null && holder.doneLeaves === null) holder = holder.parent;
  const set = holder?.doneLeaves;
  if (set === undefined || set === null) return;
  for (const leaf of [...set]) {
    if (leaf === iv) continue;
    let q = leaf.parent;
    while (q !== null && q !== iv) q = q.parent;
    if (q === iv) set.delete(leaf);
  }
  set.add(iv);
  s.dirty = true;
}

/** python's `propagate_removed`: iv and its descendants are at machine precision. */
function removeTree(s: IntegratorState, iv: Interval): void {
  const stack = [iv];
  s.dirty = true;
  while (stack.length > 0) {
    const t = stack.pop() as Interval;
    t.removed = true;
    deactivate(s, t);
    for (const ch of t.children) stack.push(ch);
  }
}

/**
 * Whether iv, too narrow for float to split further, has an error larger than the sum of
 * the magnitudes of all the estimates: the integral is dominated by a piece that float
 * cannot resolve and whose estimate has no correct digit. This is how a pole at a node
 * shows when rounding keeps the estimate's doubling from being counted (1/(x − c)² with c
 * the midpoint of non-dyadic bounds: an end node one ulp from c holds 1/ulp², and done()
 * came true through the excess of algorithm 4 with igral 1e16 ± 3e17). An integrable
 * singularity's narrow piece holds a vanishing part of the integral, and a jump's an error
 * of its width times the jump. O(k log k), only when an interval is dropped.
 */
function unresolvable(s: IntegratorState, iv: Interval): boolean {
  if (!(iv.err > 0)) return false;
  sums(s);
  let total = 0;
  for (const leaf of s.approx) if (!Number.isNaN(leaf.igral)) total += Math.abs(leaf.igral);
  return iv.err > total;
}

/**
 * python's `_fill_stack`: refines or splits the interval with the largest error (or the
 * last one whose refinement did not converge), queueing the new nodes. Returns false when
 * no interval is left.
 */
export function fill(s: IntegratorState): boolean {
  let iv: Interval | null = null;
  let force = false;
  while (s.priority.length > 0) {
    const p = s.priority.pop() as Interval;
    if (p.active && p.children.length === 0) {
      iv = p;
      force = true;
      break;
    }
  }
  if (iv === null) {
    const top = s.qMax.peek();
    if (top < 0) return false;
    iv = s.ivals[top] as Interval;
  }
  const step = STRIDE[iv.depth] as number;
  const { a, b } = iv;
  if (
    tooClose(nodeAt(s, a, b, 0), nodeAt(s, a, b, step)) ||
    tooClose(nodeAt(s, a, b, 32 - step), nodeAt(s, a, b, 32))
  ) {
    // Too narrow for float: its error counts as excess in done(), as in algorithm 4
    // (python-adaptive's learner forgets it, and never finishes when that error matters).
    deactivate(s, iv);
    iv.removed = true;
    s.dirty = true;
    if (s.divergence === null && unresolvable(s, iv)) s.divergence = iv;
  } else if (iv.depth === 3 || force) {
    deactivate(s, iv);
    const m = nodeAt(s, a, b, 16);
    const left = newInterval(s, a, m, 0, iv.rdepth + 1, iv, iv.ndiv, iv.err / 2);
    const right = newInterval(s, m, b, 0, iv.rdepth + 1, iv, iv.ndiv, iv.err / 2);
    iv.children = [left, right];
    addInterval(s, left, false);
    addInterval(s, right, false);
  } else {
    iv.depth++;
    addInterval(s, iv, true);
  }
  if (s.qMax.size > s.maxIvals) deactivate(s, s.ivals[s.qMin.peek()] as Interval);
  return true;
}
