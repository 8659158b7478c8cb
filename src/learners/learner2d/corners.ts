/**
 * The corners' bookkeeping: which of the domain's corners (the box's four, or a convex
 * polygon's vertices) are evaluated or pending. Learner2D asks the missing corners first, and
 * its loss is +Infinity until all are evaluated.
 */
import { cornerIndex, type Learner2DState } from './state.js';

const REAL_CORNER = 1;
const PENDING_CORNER = 2;

/** Marks the corner at (x, y), if (x, y) is one, evaluated (no longer pending). O(1). */
export function cornerTold(st: Learner2DState, x: number, y: number): void {
  const c = cornerIndex(st, x, y);
  if (c < 0) return;
  const f = st.cornerFlag[c] as number;
  if (f === REAL_CORNER) return;
  if (f === 0) st.cornersKnown++;
  st.cornerFlag[c] = REAL_CORNER;
  st.cornersReal++;
}

/** Marks the corner at (x, y), if (x, y) is one and is not evaluated, pending. O(1). */
export function cornerPending(st: Learner2DState, x: number, y: number): void {
  const c = cornerIndex(st, x, y);
  if (c < 0 || st.cornerFlag[c] !== 0) return;
  st.cornerFlag[c] = PENDING_CORNER;
  st.cornersKnown++;
}

/** Forgets the pending corners (removeUnfinished). O(corners). */
export function forgetPendingCorners(st: Learner2DState): void {
  const fl = st.cornerFlag;
  for (let c = 0; c < fl.length; c++) if (fl[c] === PENDING_CORNER) fl[c] = 0;
  st.cornersKnown = st.cornersReal;
}

/** Whether every corner is evaluated. */
export function allCornersReal(st: Learner2DState): boolean {
  return st.cornersReal === st.cornerFlag.length;
}

/** Whether every corner is evaluated or pending. */
export function allCornersKnown(st: Learner2DState): boolean {
  return st.cornersKnown === st.cornerFlag.length;
}

/** Whether corner c is evaluated or pending. */
export function cornerKnown(st: Learner2DState, c: number): boolean {
  return st.cornerFlag[c] !== 0;
}
