/**
 * Input checks of a sparse grid: the options, points (in the box and on the grid) and values
 * (numbers or vectors of one length). Errors name the method, the point and the problem.
 */
import { checkOptionKeys, describe, doublesBetween, MIN_DOUBLES_PER_AXIS } from '../validate.js';
import { FULL, MAX_LEVEL, nodePosition, nodePositionA } from './hierarchy.js';
import { defaultLossSG, type SparseGridLoss } from './losses.js';
import type { SGState } from './state.js';

const OPTION_KEYS = ['anchor', 'bounds', 'loss', 'maxLevel'];
/** The values of the anchor option. */
export const ANCHORS = ['auto', 'centre', 'quarter'] as const;

/**
 * Checks the learner's options (`SparseGridLearnerOptions`) and returns them with the defaults filled in and the bounds
 * copied (−0 made 0).
 * @throws TypeError/RangeError naming the problem: bounds not an array of finite increasing
 *   pairs (or with too few doubles along an axis), an unknown option, a loss that is not a
 *   function, a bad maxLevel.
 */
export function checkOptions(options: {
  bounds: readonly (readonly number[])[];
  loss?: SparseGridLoss;
  maxLevel?: number;
  anchor?: (typeof ANCHORS)[number];
}): {
  bounds: [number, number][];
  loss: SparseGridLoss;
  maxLevel: number;
  anchor: (typeof ANCHORS)[number];
} {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      'SparseGridLearner: options must be an object like { bounds: [[0, 1], [0, 1]] }',
    );
  }
  checkOptionKeys('SparseGridLearner', options, OPTION_KEYS);
  const b = options.bounds;
  if (!Array.isArray(b) || b.length === 0) {
    throw new TypeError(
      `SparseGridLearner: bounds must be a non-empty array of [a, b] pairs, got ${describe(b)}`,
    );
  }
  for (const [j, p] of b.entries()) {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number' ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1]) ||
      !(p[0] < p[1]) ||
      !Number.isFinite(p[1] - p[0])
    ) {
      throw new RangeError(
        `SparseGridLearner: bounds[${j}] must be finite and increasing [a, b], got ${describe(p)}`,
      );
    }
    const count = doublesBetween(p[0], p[1]);
    if (count < MIN_DOUBLES_PER_AXIS) {
      throw new RangeError(
        `SparseGridLearner: bounds[${j}] = ${describe(p)} holds only ${count} representable doubles, too few to refine (at least ${MIN_DOUBLES_PER_AXIS} are needed); use wider bounds, or bounds nearer 0`,
      );
    }
  }
  const loss = options.loss ?? defaultLossSG;
  if (typeof loss !== 'function') {
    throw new TypeError(`SparseGridLearner: loss must be a function, got ${describe(loss)}`);
  }
  const maxLevel = options.maxLevel ?? 30;
  if (!Number.isInteger(maxLevel) || maxLevel < 1 || maxLevel > MAX_LEVEL) {
    throw new RangeError(
      `SparseGridLearner: maxLevel must be an integer in [1, ${MAX_LEVEL}], got ${describe(maxLevel)}`,
    );
  }
  const anchor = options.anchor ?? 'auto';
  if (!(ANCHORS as readonly unknown[]).includes(anchor)) {
    throw new TypeError(
      `SparseGridLearner: anchor must be 'auto', 'centre' or 'quarter', got ${describe(anchor)}`,
    );
  }
  const bounds = b.map((p) => [(p[0] as number) + 0, (p[1] as number) + 0] as [number, number]);
  return { bounds, loss, maxLevel, anchor };
}

/** Checks a point and writes its positions to `state.K`; returns their hash. */
export function checkPoint(state: SGState, point: unknown, where: string): number {
  const d = state.dim;
  if (!Array.isArray(point) && !ArrayBuffer.isView(point)) {
    throw new TypeError(
      `SparseGridLearner.${where}: a point must be an array of ${d} numbers, got ${describe(point)}`,
    );
  }
  const p = point as ArrayLike<unknown>;
  if (p.length !== d) {
    throw new TypeError(
      `SparseGridLearner.${where}: point ${describe(point)} has ${p.length} coordinates, expected ${d}`,
    );
  }
  for (let t = 0; t < d; t++) {
    const x = p[t];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(
        `SparseGridLearner.${where}: point ${describe(point)} must hold ${d} finite numbers`,
      );
    }
    const a = state.lo[t] as number;
    const b = state.hi[t] as number;
    if (x < a || x > b) {
      throw new RangeError(
        `SparseGridLearner.${where}: point ${describe(point)} is outside the bounds ${describe(state.bounds)}`,
      );
    }
    // A point of the centred grid (the points tell takes in every layout), ...
    const k = nodePosition(x + 0, a, b, state.capsC[t] as number);
    if (k < 0) {
      throw new RangeError(
        `SparseGridLearner.${where}: point ${describe(point)} is not a point of the sparse grid: coordinate ${t} (${x}) is not a + (b − a)·i/2^l of [${a}, ${b}] at a level ≤ ${state.caps[t]} (tell the points the learner asks for)`,
      );
    }
    state.K[t] = k;
  }
  // ... and its node in this layout (none: a loose point, see anchor.ts).
  state.looseHit = false;
  for (let t = 0; t < d; t++) {
    const an = state.anchors[t] as number;
    if (an === 0) continue;
    const k = nodePositionA(an, state.K[t] as number, 0, FULL, state.caps[t] as number);
    if (k < 0) {
      state.looseHit = true;
      return 0;
    }
    state.K[t] = k;
  }
  return state.grid.hashOf(state.K);
}

/** Validates a value; returns its vector length (0 for a number). */
export function checkValue(
  y: unknown,
  point: unknown,
  where: string,
  vdim: number,
  vector: boolean,
): number {
  if (typeof y === 'number' && (vdim === 0 || !vector)) return 0;
  const at = (): string => `SparseGridLearner.${where}: the value at ${describe(point)}`;
  if (typeof y === 'number') {
    if (vdim !== 0 && vector)
      throw new TypeError(`${at()} is a number, but earlier values were vectors of length ${vdim}`);
    return 0;
  }
  if (Array.isArray(y) || ArrayBuffer.isView(y)) {
    const v = y as ArrayLike<unknown>;
    if (v.length === 0) throw new TypeError(`${at()} is an empty vector`);
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number')
        throw new TypeError(`${at()} must hold numbers only, got ${describe(y)}`);
    }
    if (vdim !== 0 && !vector)
      throw new TypeError(`${at()} is a vector, but earlier values were numbers`);
    if (vdim !== 0 && v.length !== vdim) {
      throw new RangeError(`${at()} has length ${v.length}, but earlier values had length ${vdim}`);
    }
    return v.length;
  }
  throw new TypeError(`${at()} must be a number or an array of numbers, got ${describe(y)}`);
}
