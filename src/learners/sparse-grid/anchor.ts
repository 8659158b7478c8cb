/**
 * The anchor of a sparse grid, chosen per dimension from the first points (`anchor: 'auto'`).
 *
 * Why: an interpolating sparse grid has one point at level 1 (its root), and its interpolant
 * is f's expansion around that point in interactions of 1, 2, … variables, truncated where
 * the grid stops. How fast the expansion converges depends on the anchor: for a product
 * Π g(x_t) the terms of k variables are Π (g(x_t) − g(c)) · g(c)^(d−k), small when g(c) is
 * close to g's mean and alternating and huge when it is not. exp(−|x|²) on [−1, 1]⁸ anchored
 * at the centre (g(0) = 1, mean 0.747) leaves RMS 1.23, 0.87, 0.38, 0.11 after interactions
 * of 1…4 variables (the function's spread is 0.084), so no grid below ~10⁴ points beats a
 * constant; anchored at x = −½ (g = 0.779) it leaves 0.049, 0.018, 0.005, 0.001.
 *
 * How: the grid first asks its centre and the quarter points ¼, ¾ of each side through it
 * (the usual first 2d + 1 points, the "pilot"). For each dimension it estimates the mean of
 * f along the axis by the open Newton–Cotes rule of those three values (2f(¼) − f(½) +
 * 2f(¾))/3, exact for cubics, and anchors the dimension at the point of the three whose value
 * is closest to it: the centre unless a quarter point is clearly closer (a linear or
 * irrelevant dimension keeps the centre, and so does one whose values differ by less than
 * 2^-40 of the largest first value; exp(−x²) takes ¼). Non-finite values keep the centre.
 * Then the grid is rebuilt in that layout (hierarchy.ts's warpK): every point told so far is
 * placed at its node if it is one, else kept as a loose point (data for npoints, records and
 * snapshots, not part of the interpolant: the pilot's off-anchor points, 2d + 1 at most).
 *
 * Everything stays a function of the point set: the choice depends on the pilot's values only,
 * and tell takes the points of the centred grid in every layout (those that are not nodes of
 * the chosen one are loose), so any order of the same data gives the same state.
 */
import { FULL, nodeChildren, nodeCoord, nodePosition, nodePositionA, ROOT } from './hierarchy.js';
import { addPending, tellUnchecked } from './points.js';
import { SGState, TOLD } from './state.js';

/** A quarter point is chosen only if its distance to the mean is below this times the centre's. */
const MARGIN = 1 - 2 ** -30;

/**
 * The anchors chosen from the pilot (the root and its 2d children, all told): per dimension
 * -1, 0 or 1 (hierarchy.ts's Anchor). A dimension whose level cap leaves an anchored layout
 * fewer than 2 levels keeps the centre.
 */
export function chooseAnchors(state: SGState): Int8Array {
  const d = state.dim;
  const out = new Int8Array(d);
  const r = state.rootId;
  if (r < 0) return out;
  const K = new Int32Array(d).fill(ROOT);
  const h = state.grid.hashOf(K);
  const kids = new Int32Array(2);
  const w = state.vdim;
  // Per component, the largest finite magnitude of the first points: a side whose values
  // differ by less than 2^-40 of it is flat (it keeps the centre).
  const big = new Float64Array(w);
  for (let t = -1; t < d; t++) {
    for (let j = 0; j < 2; j++) {
      const q =
        t < 0
          ? r
          : nodeChildren(ROOT, state.capsC[t] as number, kids) === 2
            ? state.findWith(K, h, t, kids[j] as number)
            : -1;
      if (q < 0 || state.status[q] !== TOLD) continue;
      for (let c = 0; c < w; c++) {
        const y = Math.abs(state.vals[q * w + c] as number);
        if (y < Number.POSITIVE_INFINITY && y > (big[c] as number)) big[c] = y;
      }
    }
  }
  for (let t = 0; t < d; t++) {
    if ((state.capsC[t] as number) - 1 < 2) continue;
    if (nodeChildren(ROOT, state.capsC[t] as number, kids) !== 2) continue;
    const lo = state.findWith(K, h, t, kids[0] as number);
    const hi = state.findWith(K, h, t, kids[1] as number);
    if (lo < 0 || hi < 0 || state.status[lo] !== TOLD || state.status[hi] !== TOLD) continue;
    // Distances to the mean estimate, each component divided by its range over the three.
    let ec = 0;
    let el = 0;
    let eh = 0;
    let finite = true;
    for (let c = 0; c < w; c++) {
      const y0 = state.vals[r * w + c] as number;
      const yl = state.vals[lo * w + c] as number;
      const yh = state.vals[hi * w + c] as number;
      if (!(Number.isFinite(y0) && Number.isFinite(yl) && Number.isFinite(yh))) {
        finite = false;
        break;
      }
      const m = Math.max(Math.abs(y0), Math.abs(yl), Math.abs(yh));
      if (m === 0) continue;
      // Divided by the largest magnitude first: no overflow, the same at every scale.
      const a0 = y0 / m;
      const al = yl / m;
      const ah = yh / m;
      const range = Math.max(a0, al, ah) - Math.min(a0, al, ah);
      if (!(range > 0) || range * m < 2 ** -40 * (big[c] as number)) continue;
      const mean = (2 * al - a0 + 2 * ah) / 3;
      ec += Math.abs(a0 - mean) / range;
      el += Math.abs(al - mean) / range;
      eh += Math.abs(ah - mean) / range;
    }
    if (!finite) continue;
    if (el <= eh && el < MARGIN * ec) out[t] = -1;
    else if (eh < el && eh < MARGIN * ec) out[t] = 1;
  }
  return out;
}

/**
 * The state to go on with: while the pilot is incomplete, this one; once it is told, the
 * grid rebuilt in the chosen layout (also when every dimension keeps the centre: the
 * same grid, no longer limited to the pilot).
 */
export function settle(state: SGState): SGState {
  if (!state.pilot || state.firstTold < state.nFirst) return state;
  return rebuild(state, chooseAnchors(state), state.anchorOption, false);
}

/** A new state in layout `anchors` holding every point of `state` (told, pending, loose). */
export function rebuild(
  state: SGState,
  anchors: Int8Array,
  option: string,
  pilot: boolean,
): SGState {
  const next = new SGState(
    state.bounds,
    state.lossFunction,
    state.maxLevel,
    anchors,
    option,
    pilot,
  );
  if (state.vdim > 0) next.setShape(state.vector ? state.vdim : 0);
  const w = state.vdim;
  for (const id of state.toldSorted()) {
    const y = state.vector
      ? Array.from(state.vals.subarray(id * w, (id + 1) * w))
      : (state.vals[id] as number);
    place(next, centredPositions(state, id), y);
  }
  for (let j = state.pHead; j >= 0; j = state.pNext[j] as number)
    place(next, centredPositions(state, j), null);
  for (const { x, y } of state.loose.values()) {
    const K = Int32Array.from(x, (v, t) =>
      nodePosition(v, state.lo[t] as number, state.hi[t] as number, state.capsC[t] as number),
    );
    place(next, K, y);
  }
  next.lossError = state.lossError;
  return next;
}

/** The positions in the centred grid of point id of `state`. */
function centredPositions(state: SGState, id: number): Int32Array {
  const x = state.coords(id);
  return Int32Array.from(x, (v, t) =>
    nodePosition(v, state.lo[t] as number, state.hi[t] as number, state.capsC[t] as number),
  );
}

/** Puts a point of the centred grid (positions K) into `state`: at its node, or loose. */
function place(state: SGState, K: Int32Array, y: number | number[] | null): void {
  const d = state.dim;
  const L = state.K;
  for (let t = 0; t < d; t++) {
    const a = state.anchors[t] as number;
    const k =
      a === 0
        ? (K[t] as number)
        : nodePositionA(a, K[t] as number, 0, FULL, state.caps[t] as number);
    if (k < 0) {
      const x = Array.from(K, (kk, s) =>
        nodeCoord(kk, state.lo[s] as number, state.hi[s] as number),
      );
      addLoose(state, x, y);
      return;
    }
    L[t] = k;
  }
  const h = state.grid.hashOf(L);
  const id = state.grid.find(L, h);
  if (y === null) {
    if (id < 0) addPending(state, L, h);
  } else if (id < 0 || state.status[id] !== TOLD) tellUnchecked(state, L, h, id, y);
}

/** The key of a loose point. */
export function looseKey(x: ArrayLike<number>): string {
  return Array.prototype.join.call(x, ',');
}

/** Adds (or tells) a loose point. */
export function addLoose(state: SGState, x: number[], y: number | number[] | null): void {
  const key = looseKey(x);
  const old = state.loose.get(key);
  if (old !== undefined) {
    if (old.y === null && y !== null) {
      old.y = y;
      state.nLooseTold++;
    }
    return;
  }
  state.loose.set(key, { x, y });
  if (y !== null) state.nLooseTold++;
}
