/**
 * The laws of value scale: told f × 2^k the learner asks exactly the same points
 * (scaleInvariant), told f × 10^k the same points until rounding breaks a tie (scaleRobust).
 */

import fc from 'fast-check';
import type { AskResult } from '../../learners/types.js';
import { type HistoryStep, runHistory } from '../history.js';
import { at, fail, show } from './breach.js';
import { historyOf, type LawBuilders, playOptions, prop } from './property.js';
import type { PointFunction, Subject, World } from './subject.js';

/** The laws of value scale, by name. */
export const scaleLaws: LawBuilders<'scaleInvariant' | 'scaleRobust'> = {
  scaleInvariant: (s) =>
    prop(
      'scaleInvariant',
      s,
      (d) => fc.record({ history: historyOf(s, d), k: fc.integer({ min: -480, max: 480 }) }),
      ({ history, k }, w) => scaleComparison(s, w, history, 2 ** k, `2^${k}`, 0),
    ),

  scaleRobust: (s) =>
    prop(
      'scaleRobust',
      s,
      (d) =>
        fc.record({
          history: historyOf(s, d),
          factor: fc.oneof(
            fc.constant(1e300),
            fc.constant(1e-300),
            fc
              .tuple(
                fc.integer({ min: -300, max: 299 }),
                fc.double({ min: 1, max: 10, noNaN: true }),
              )
              .map(([e, m]) => m * 10 ** e),
          ),
        }),
      ({ history, factor }, w) => scaleComparison(s, w, history, factor, String(factor), ROUNDING),
    ),
};

/**
 * The relative difference the rounding of scaled values allows in the scale-robust law:
 * each value is rounded once (2^-53 relative), which a learner's differences and quotients
 * may amplify, never by 10^7 in any learner here.
 */
const ROUNDING = 1e-9;

/**
 * Plays one history on a learner told f and on one told f × factor, side by side, and
 * compares their asks and losses (see the scaleInvariant and scaleRobust laws). The run is
 * skipped (fc.pre) when a value is not finite and normal at both scales; values spoiled with
 * NaN or ±Infinity are the same at both.
 */
function scaleComparison<P, V, D>(
  s: Subject<P, V, D>,
  w: World<P, V, D>,
  history: readonly HistoryStep<P>[],
  factor: number,
  factorText: string,
  tol: number,
): void {
  const exact = tol === 0;
  let representable = true;
  // The loose law compares values with 16 significant bits: two of them are equal or differ
  // by 2^-17 of the larger at least, so their difference after scaling (each rounded by
  // 2^-53) is within 2^-35 of the exact one, and no cancellation can amplify the rounding
  // past the tolerance.
  // The subject's function itself (not times the run's scale: the law draws its own).
  const reference: PointFunction<P, V> = exact ? w.base : (p) => significant16(w.base(p));
  const scaled: PointFunction<P, V> = (p) => {
    const v = reference(p);
    const sv = s.scale(v, factor);
    if (!bothRepresentable(v, sv, factor, exact)) representable = false;
    return sv;
  };
  const lossUnit = s.lossInValueUnits ? Math.abs(factor) : 1;
  // In value units, a number of 2^1000 or more in the learner told f is a placeholder (such
  // as Number.MAX_VALUE for "no estimate yet"), not a quantity: it must be the same in both.
  const inUnits = (x: number, ref: number): number =>
    lossUnit === 1 || Math.abs(ref) >= 2 ** 1000 ? x : x / lossUnit;
  const units = lossUnit === 1 ? '' : ' (in units of f)';
  /** What each step did: its ask's result (for an ask). */
  type Trace = { ask: AskResult<P> | undefined }[];
  const play = (g: PointFunction<P, V>, label: string): Trace => {
    const learner = w.make();
    const trace: Trace = [];
    let ask: AskResult<P> | undefined;
    runHistory(
      learner,
      history,
      playOptions(s, g, {
        beforeStep: (step, i) => {
          at(`with the values ${label}, in step ${i} (${show(step, 120)})`);
          ask = undefined;
        },
        onAsk: (result) => {
          ask = {
            points: result.points.slice(),
            lossImprovements: result.lossImprovements.slice(),
          };
        },
        afterStep: () => trace.push({ ask }),
      }),
    );
    return trace;
  };
  const a = play(reference, 'f');
  const b = play(scaled, `f × ${factorText}`);
  fc.pre(representable);
  at('comparing the two learners');
  const close = (x: number, y: number): boolean =>
    Object.is(x, y) ||
    x === y ||
    (Number.isFinite(x) &&
      Number.isFinite(y) &&
      Math.abs(x - y) <= tol * Math.max(Math.abs(x), Math.abs(y)));
  for (let i = 0; i < a.length; i++) {
    const sa = a[i]!;
    const sb = b[i]!;
    const stepText = `step ${i} (${show(history[i], 80)})`;
    if (sa.ask !== undefined && sb.ask !== undefined) {
      const n = Math.max(sa.ask.points.length, sb.ask.points.length);
      for (let j = 0; j < n; j++) {
        const pa = sa.ask.points[j];
        const pb = sb.ask.points[j];
        const la = sa.ask.lossImprovements[j] as number;
        const lb = inUnits(sb.ask.lossImprovements[j] as number, la);
        const samePoint = pa !== undefined && pb !== undefined && s.key(pa) === s.key(pb);
        if (samePoint) continue;
        if (!exact && !samePoint && pa !== undefined && pb !== undefined && close(la, lb)) {
          return; // a tie broken the other way by rounding: the two histories part here
        }
        fail(
          `in ${stepText}, point ${j} of the ask: the learner told f asked ${show(pa)} (loss improvement ${la}), the one told f × ${factorText} asked ${show(pb)} (${lb}${units})${exact ? '' : ': more than rounding apart'}`,
        );
      }
    }
  }
}

/** A value with its numbers rounded to 16 significant bits (numbers, arrays and plain objects of them). */
function significant16<V>(v: V): V {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v === 0 || Math.abs(v) < 2 ** -1000) return v;
    const q = 2 ** (Math.floor(Math.log2(Math.abs(v))) - 15);
    return (Math.round(v / q) * q) as V;
  }
  if (Array.isArray(v)) return v.map(significant16) as V;
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, significant16(x)])) as V;
  }
  return v;
}

/** Whether a value and its scaled copy are finite and normal (or zero) at both scales, component by component. */
function bothRepresentable(v: unknown, sv: unknown, factor: number, exact: boolean): boolean {
  if (typeof v === 'number' && typeof sv === 'number') {
    if (!Number.isFinite(v)) return true; // NaN and ±Infinity stay what they are
    if (v === 0) return sv === 0;
    // The exact law: within 2^±500, so that products of two values (squares in a variance,
    // say) are exact-scalable too; the loose law: finite and normal.
    const lo = exact ? 2 ** -500 : 2 ** -1022;
    const hi = exact ? 2 ** 500 : Number.MAX_VALUE;
    const ok = (x: number) => Math.abs(x) >= lo && Math.abs(x) <= hi;
    if (!ok(v) || !ok(sv)) return false;
    return !exact || sv / factor === v;
  }
  if (Array.isArray(v) && Array.isArray(sv)) {
    return v.every((x, i) => bothRepresentable(x, sv[i], factor, exact));
  }
  if (typeof v === 'object' && v !== null && typeof sv === 'object' && sv !== null) {
    return Object.keys(v).every((k) =>
      bothRepresentable(
        (v as Record<string, unknown>)[k],
        (sv as Record<string, unknown>)[k],
        factor,
        exact,
      ),
    );
  }
  return true;
}
