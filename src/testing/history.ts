/**
 * Random histories of learner calls: a fast-check arbitrary of abstract steps and a driver
 * that plays them on a learner. The steps name no concrete point the learner chose (only
 * indices into the points it handed out), so one history replays on any learner and shrinks
 * well.
 */

import fc from 'fast-check';
import type { AskResult, Learner } from '../learners/types.js';
import { pointKey } from './compare.js';

/**
 * A non-finite value to put in place of a real one: `value` is NaN or ±Infinity, `component`
 * picks the entry of a vector value (modulo its length).
 *
 * @example
 * const bad: NonFinite = { value: Number.NaN, component: 1 };
 */
export interface NonFinite {
  value: number;
  component: number;
}

/**
 * One outstanding point to tell: `index` into the outstanding points (modulo their number),
 * told with `nonFinite` instead of the real value when not `null`.
 *
 * @example
 * const pick: Pick = { index: 0, nonFinite: null }; // the oldest outstanding point, real value
 */
export interface Pick {
  index: number;
  nonFinite: NonFinite | null;
}

/**
 * One step of a history.
 *
 * - `ask`: `learner.ask(n, { tellPending })`.
 * - `tell` / `tellMany`: tell the picked outstanding points (handed out by an earlier
 *   `ask` with `tellPending: true`), one by one or in one `tellMany` call.
 * - `tellAt`: tell a point the learner never asked for (only with `points` in the options).
 * - `tellPendingAt`: `learner.tellPending(point)` for a point the learner never asked for and
 *   was not told (only with `points`); it is then outstanding like an asked point.
 * - `removeUnfinished`: `learner.removeUnfinished()`; the outstanding points are forgotten.
 * - `restore`: `learner.restore(JSON.parse(JSON.stringify(learner.snapshot())))`: the history
 *   goes on with the learner restored from its own snapshot, pending points included.
 *
 * @example
 * const steps: HistoryStep<number>[] = [
 *   { kind: 'ask', n: 3, tellPending: true },
 *   { kind: 'tellMany', picks: [{ index: 0, nonFinite: null }, { index: 0, nonFinite: null }] },
 *   { kind: 'removeUnfinished' },
 * ];
 */
export type HistoryStep<P> =
  | { kind: 'ask'; n: number; tellPending: boolean }
  | { kind: 'tell'; picks: Pick[] }
  | { kind: 'tellMany'; picks: Pick[] }
  | { kind: 'tellAt'; point: P; nonFinite: NonFinite | null }
  | { kind: 'tellPendingAt'; point: P }
  | { kind: 'removeUnfinished' }
  | { kind: 'restore' };

/**
 * Options of {@link historyArbitrary}.
 *
 * @example
 * historyArbitrary({ maxSteps: 40, points: fc.double({ min: 0, max: 1, noNaN: true }) });
 */
export interface HistoryOptions<P> {
  /** Most steps in a history (default 24). */
  maxSteps?: number;
  /** Largest `n` of an `ask` step (default 10; the smallest is 0). */
  maxAsk?: number;
  /** Whether told values are sometimes replaced by NaN or ±Infinity (default `true`). */
  nonFinite?: boolean;
  /** Points of the domain for `tellAt` steps (data the learner did not ask for); none by default. */
  points?: fc.Arbitrary<P>;
  /** Whether `removeUnfinished` steps occur (default `true`). */
  removeUnfinished?: boolean;
  /** Whether `restore` steps (snapshot → JSON → restore, mid-history) occur (default `true`). */
  restore?: boolean;
}

/**
 * An arbitrary non-finite value: NaN, +Infinity or -Infinity in a component 0..7.
 *
 * @example
 * fc.sample(nonFiniteArbitrary(), 1) // e.g. [{ value: NaN, component: 3 }]
 */
export function nonFiniteArbitrary(): fc.Arbitrary<NonFinite> {
  return fc.record({
    value: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    component: fc.nat({ max: 7 }),
  });
}

/**
 * An arbitrary history of learner calls (see {@link HistoryStep}), to be played with
 * {@link runHistory}. Shrinks towards fewer steps, smaller asks and finite values.
 *
 * @example
 * const history = fc.sample(historyArbitrary({ maxSteps: 3 }), 1)[0];
 * // e.g. [{ kind: 'ask', n: 4, tellPending: true }, { kind: 'tell', picks: [{ index: 2, nonFinite: null }] }]
 */
export function historyArbitrary<P>(
  options: HistoryOptions<P> = {},
): fc.Arbitrary<HistoryStep<P>[]> {
  const {
    maxSteps = 24,
    maxAsk = 10,
    nonFinite = true,
    points,
    removeUnfinished = true,
    restore = true,
  } = options;
  const maybeNonFinite: fc.Arbitrary<NonFinite | null> = nonFinite
    ? fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant(null), weight: 6 },
        { arbitrary: nonFiniteArbitrary(), weight: 1 },
      )
    : fc.constant(null);
  const pick: fc.Arbitrary<Pick> = fc.record({
    index: fc.nat({ max: 63 }),
    nonFinite: maybeNonFinite,
  });
  // Picks spoiled one by one, or a run of them all told the same NaN or ±Infinity (a
  // function that is not finite on a stretch).
  const single = fc.array(pick, { minLength: 1, maxLength: 12, size: 'medium' });
  const picks = nonFinite
    ? fc.oneof(
        { withCrossShrink: true },
        { arbitrary: single, weight: 5 },
        {
          arbitrary: fc
            .tuple(
              fc.array(fc.nat({ max: 63 }), { minLength: 2, maxLength: 12, size: 'medium' }),
              nonFiniteArbitrary(),
            )
            .map(([indices, bad]) => indices.map((index): Pick => ({ index, nonFinite: bad }))),
          weight: 1,
        },
      )
    : single;
  const steps: fc.WeightedArbitrary<HistoryStep<P>>[] = [
    {
      arbitrary: fc.record({
        kind: fc.constant('ask' as const),
        n: fc.integer({ min: 0, max: maxAsk }),
        tellPending: fc.oneof(fc.constant(true), fc.boolean()),
      }),
      weight: 5,
    },
    { arbitrary: fc.record({ kind: fc.constant('tell' as const), picks }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('tellMany' as const), picks }), weight: 2 },
  ];
  if (points !== undefined) {
    steps.push({
      arbitrary: fc.record({
        kind: fc.constant('tellAt' as const),
        point: points,
        nonFinite: maybeNonFinite,
      }),
      weight: 2,
    });
    steps.push({
      arbitrary: fc.record({ kind: fc.constant('tellPendingAt' as const), point: points }),
      weight: 1,
    });
  }
  if (removeUnfinished) {
    steps.push({ arbitrary: fc.constant({ kind: 'removeUnfinished' as const }), weight: 1 });
  }
  if (restore) steps.push({ arbitrary: fc.constant({ kind: 'restore' as const }), weight: 1 });
  return fc.array(fc.oneof(...steps), { maxLength: maxSteps, size: 'medium' });
}

/**
 * Replaces a value, or one component of a vector value, by a non-finite number. Values that
 * are neither numbers nor arrays come back unchanged.
 *
 * @example
 * injectNonFinite(2, Number.NaN, 0) // NaN
 * injectNonFinite([1, 2, 3], Number.POSITIVE_INFINITY, 4) // [1, Infinity, 3]
 */
export function injectNonFinite<V>(value: V, bad: number, component: number): V {
  if (typeof value === 'number') return bad as V;
  if (Array.isArray(value) && value.length > 0) {
    const copy = value.slice();
    copy[component % copy.length] = bad;
    return copy as V;
  }
  return value;
}

/**
 * What {@link runHistory} observed.
 *
 * @example
 * const { told, outstanding } = runHistory(learner, steps, { f });
 * [...told.values()].map(({ point, value }) => [point, value]); // the data told, first value per point
 */
export interface HistoryTrace<P, V> {
  /**
   * Every point told, by key, with the first value told there (a learner ignores a second
   * value at a known point), in order of first tell.
   */
  told: Map<string, { point: P; value: V }>;
  /** Points handed out by `ask(n, { tellPending: true })` and neither told nor removed since, in order. */
  outstanding: P[];
}

/**
 * Options of {@link runHistory}.
 *
 * @example
 * runHistory(learner, steps, { f, afterStep: (step, i) => learner.loss() >= 0 || fail(i) });
 */
export interface RunHistoryOptions<P, V> {
  /** The (deterministic) function whose values are told. */
  f: (point: P) => V;
  /** The identity of a point (default {@link pointKey}). */
  key?: (point: P) => string;
  /**
   * How a step's `nonFinite` spoils a value (default {@link injectNonFinite}); `false` tells
   * the real values always.
   */
  injectNonFinite?: ((value: V, bad: number, component: number) => V) | false;
  /** Spoils every told value with this when the step does not name one (default: none). */
  everyValue?: NonFinite | null;
  /** Called before each step, with the trace so far. */
  beforeStep?: (step: HistoryStep<P>, index: number, trace: HistoryTrace<P, V>) => void;
  /** Called with each ask's result before the trace takes it in. */
  onAsk?: (
    result: AskResult<P>,
    step: HistoryStep<P> & { kind: 'ask' },
    trace: HistoryTrace<P, V>,
  ) => void;
  /** Called after each step. */
  afterStep?: (step: HistoryStep<P>, index: number, trace: HistoryTrace<P, V>) => void;
}

/**
 * Plays a history on a learner and returns what was told and what is outstanding. Steps that
 * pick from no outstanding point do nothing. O(steps × cost of the learner's calls).
 *
 * @example
 * const trace = runHistory(learner, [{ kind: 'ask', n: 2, tellPending: true },
 *   { kind: 'tell', picks: [{ index: 0, nonFinite: null }] }], { f: (x) => x * x });
 * trace.told.size // 1
 * trace.outstanding.length // 1
 */
export function runHistory<P, V>(
  learner: Learner<P, V>,
  steps: readonly HistoryStep<P>[],
  options: RunHistoryOptions<P, V>,
): HistoryTrace<P, V> {
  const key = options.key ?? pointKey;
  const inject = options.injectNonFinite ?? injectNonFinite;
  const everyValue = options.everyValue ?? null;
  const trace: HistoryTrace<P, V> = { told: new Map(), outstanding: [] };
  const valueAt = (point: P, nonFinite: NonFinite | null): V => {
    const value = options.f(point);
    const bad = nonFinite ?? everyValue;
    return bad === null || inject === false ? value : inject(value, bad.value, bad.component);
  };
  const record = (point: P, value: V): void => {
    const k = key(point);
    if (!trace.told.has(k)) trace.told.set(k, { point, value });
  };
  const takePicks = (picks: readonly Pick[]): { points: P[]; values: V[] } => {
    const points: P[] = [];
    const values: V[] = [];
    for (const pick of picks) {
      if (trace.outstanding.length === 0) break;
      const [point] = trace.outstanding.splice(pick.index % trace.outstanding.length, 1) as [P];
      points.push(point);
      values.push(valueAt(point, pick.nonFinite));
    }
    return { points, values };
  };
  steps.forEach((step, index) => {
    options.beforeStep?.(step, index, trace);
    switch (step.kind) {
      case 'ask': {
        const result = learner.ask(step.n, { tellPending: step.tellPending });
        options.onAsk?.(result, step, trace);
        if (step.tellPending) trace.outstanding.push(...result.points);
        break;
      }
      case 'tell': {
        const { points, values } = takePicks(step.picks);
        points.forEach((p, i) => {
          learner.tell(p, values[i] as V);
          record(p, values[i] as V);
        });
        break;
      }
      case 'tellMany': {
        const { points, values } = takePicks(step.picks);
        if (points.length === 0) break;
        learner.tellMany(points, values);
        for (const [i, p] of points.entries()) record(p, values[i] as V);
        break;
      }
      case 'tellAt': {
        const value = valueAt(step.point, step.nonFinite);
        learner.tell(step.point, value);
        record(step.point, value);
        const k = key(step.point);
        trace.outstanding = trace.outstanding.filter((p) => key(p) !== k);
        break;
      }
      case 'tellPendingAt': {
        const k = key(step.point);
        if (trace.told.has(k) || trace.outstanding.some((p) => key(p) === k)) break;
        learner.tellPending(step.point);
        trace.outstanding.push(step.point);
        break;
      }
      case 'removeUnfinished':
        learner.removeUnfinished();
        trace.outstanding = [];
        break;
      case 'restore':
        learner.restore(JSON.parse(JSON.stringify(learner.snapshot())));
        break;
    }
    options.afterStep?.(step, index, trace);
  });
  return trace;
}
