/**
 * Learner2D's input checks for `tell`, `tellMany` and `tellPending`: the messages are built
 * only on failure (this runs on every tell).
 */
import { describe } from '../validate.js';
import { hullText, insideHull } from './hull.js';
import { checkLatticePoint2D } from './lattice.js';
import type { Learner2DState } from './state.js';

/** Throws the error of a bad value at point p (built only on failure: tell is hot). */
export function valueError(what: string, p: ArrayLike<number>, why: string, range = false): never {
  const msg = `Learner2D.${what}: value at [${p[0]}, ${p[1]}] ${why}`;
  throw range ? new RangeError(msg) : new TypeError(msg);
}

/** Throws unless p is a finite point [x, y] within the bounds. */
export function validatePoint(st: Learner2DState, p: unknown, what: string): void {
  if (
    (!Array.isArray(p) && !ArrayBuffer.isView(p)) ||
    (p as ArrayLike<unknown>).length !== 2 ||
    typeof (p as ArrayLike<unknown>)[0] !== 'number' ||
    typeof (p as ArrayLike<unknown>)[1] !== 'number'
  ) {
    throw new TypeError(
      `Learner2D.${what}: a point must be an array [x, y] of two numbers, got ${describe(p)}`,
    );
  }
  const x = (p as ArrayLike<number>)[0] as number;
  const y = (p as ArrayLike<number>)[1] as number;
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new TypeError(`Learner2D.${what}: point [${x}, ${y}] is not finite`);
  }
  if (st.hull !== null) {
    if (x < st.x0 || x > st.x1 || y < st.y0 || y > st.y1 || !insideHull(st.hull, x, y)) {
      throw new RangeError(
        `Learner2D.${what}: point [${x}, ${y}] is outside the polygon ${hullText(st.hull)}`,
      );
    }
  } else if (x < st.x0 || x > st.x1 || y < st.y0 || y > st.y1) {
    throw new RangeError(
      `Learner2D.${what}: point [${x}, ${y}] is outside the bounds [[${st.x0}, ${st.x1}], [${st.y0}, ${st.y1}]]`,
    );
  }
  if (st.integer !== null) checkLatticePoint2D(st, x, y, what);
}

export function checkPoint(st: Learner2DState, p: unknown, what: string): [number, number] {
  validatePoint(st, p, what);
  const q = p as ArrayLike<number>;
  return [(q[0] as number) + 0, (q[1] as number) + 0]; // -0 → 0
}

/**
 * Validates the value at point p; returns its vector length (0 for a scalar). The messages
 * are built only on failure (this runs on every tell).
 */
export function checkValue(
  p: ArrayLike<number>,
  y: unknown,
  what: string,
  vdim: number,
  vector: boolean,
): number {
  if (typeof y === 'number') {
    if (vdim !== 0 && vector) {
      valueError(what, p, `is a number, but earlier values were vectors of length ${vdim}`);
    }
    return 0;
  }
  if (Array.isArray(y) || ArrayBuffer.isView(y)) {
    const v = y as ArrayLike<unknown>;
    if (v.length === 0) valueError(what, p, 'is an empty vector');
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number')
        valueError(what, p, `must hold numbers only, got ${describe(y)}`);
    }
    if (vdim !== 0 && !vector) valueError(what, p, 'is a vector, but earlier values were numbers');
    if (vdim !== 0 && v.length !== vdim) {
      valueError(what, p, `has length ${v.length}, but earlier values had length ${vdim}`, true);
    }
    return v.length;
  }
  return valueError(what, p, `must be a number or an array of numbers, got ${describe(y)}`);
}
