/**
 * Learner1D on the integers (`integer: true`, python-adaptive #72): the points are the
 * integers of the bounds. The continuum's choice is kept and rounded to the nearest free
 * lattice point; an interval with no lattice point strictly inside (width ≤ 1, its ends
 * being integers) has loss 0 and is not in the loss heaps at all (so the heaps shrink as the
 * lattice fills, and `loss()` is 0 once they are empty); a qual (an interval being split by
 * one ask) whose pieces have width 1 gets the key UNREFINABLE; the learner is done when
 * every integer is known.
 *
 * Invariant: on a lattice every node (evaluated or pending) is an integer, so a combined
 * interval [a, b] holds b − a − 1 free lattice points, and split into k pieces of width
 * (b − a)/k ≥ 1 its k − 1 rounded points are distinct and strictly inside.
 */
import { checkIntegerBounds } from '../lattice.js';
import { describe } from '../validate.js';
import type { State1D } from './state.js';

/** The key of a qual that can take no more integers: below every other key. */
export const UNREFINABLE = Number.NEGATIVE_INFINITY;

/**
 * Checks bounds for `integer: true`: safe integers (every integer between them is a
 * double), a < b already checked. Bounds are not rounded inward: they are part of the
 * learner (`bounds`, snapshots, plots), so a learner keeps the bounds it was given.
 */
export function checkLatticeBounds(a: number, b: number): void {
  checkIntegerBounds('Learner1D: integer: true', 'bounds', a, b);
}

/** Throws a TypeError naming x when x is not an integer on a lattice learner. */
export function checkLatticePoint(x: number, what: string): void {
  if (!Number.isInteger(x)) {
    throw new TypeError(
      `Learner1D.${what}: point ${describe(x)} is not an integer (this learner has integer: true)`,
    );
  }
}

/** The number of lattice points neither evaluated nor pending. O(1). */
export function freeLatticePoints(s: State1D): number {
  return s.bounds[1] - s.bounds[0] + 1 - s.nReal - s.pending.size;
}

/** Whether every lattice point is evaluated (always false off a lattice). O(1). */
export function latticeDone(s: State1D): boolean {
  return s.lattice && s.nReal === s.bounds[1] - s.bounds[0] + 1;
}
