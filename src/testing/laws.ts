/**
 * The learner laws: properties every learner of the package (and every learner a user
 * writes against the protocol) must satisfy, checked with fast-check and independent of any
 * test runner: a failure throws a {@link LawViolation} naming the law, the seed, the replay
 * path and the shrunk counterexample.
 *
 * Several laws port the generic cross-learner tests of python-adaptive
 * (adaptive/tests/test_learners.py): order independence, re-telling is a no-op, save/load
 * round trips.
 */

import fc from 'fast-check';
import type { AskResult, Learner } from '../learners/types.js';
import { describeDifference, jsonSafetyProblem, pointKey, sameNumber } from './compare.js';
import {
  type HistoryStep,
  type HistoryTrace,
  historyArbitrary,
  injectNonFinite,
  type NonFinite,
  nonFiniteArbitrary,
  type RunHistoryOptions,
  runHistory,
} from './history.js';

/**
 * The names of the laws, in the order {@link checkLearnerLaws} checks them.
 *
 * @example
 * // one test per law, in any runner (here Vitest)
 * it.each(LAW_NAMES)('Learner1D obeys %s', (law) => checkLearnerLaws(subject, { laws: [law] }));
 */
export const LAW_NAMES = [
  'askZero',
  'inDomain',
  'noDuplicatePending',
  'pendingPointsTracked',
  'askWithoutPendingIsPure',
  'orderIndependence',
  'retellIsNoop',
  'snapshotRoundTrip',
  'lossNonNegative',
  'lossNotNaN',
  'nonFiniteNeverHangs',
] as const;

/**
 * The name of one learner law.
 *
 * @example
 * const skip: LawName[] = ['lossNotNaN'];
 */
export type LawName = (typeof LAW_NAMES)[number];

/**
 * What each law states, as printed in a {@link LawViolation}.
 *
 * @example
 * LAW_DESCRIPTIONS.askZero // 'ask(0) returns empty arrays; ask(n) with n not a non-negative integer throws a RangeError; neither changes the learner'
 */
export const LAW_DESCRIPTIONS: Readonly<Record<LawName, string>> = {
  askZero:
    'ask(0) returns empty arrays; ask(n) with n not a non-negative integer throws a RangeError; neither changes the learner',
  inDomain: 'every point handed out lies in the domain',
  noDuplicatePending:
    'no point is handed out twice while pending, and no point that was already told is handed out',
  pendingPointsTracked:
    'pendingPoints holds exactly the points handed out with tellPending and neither told nor removed',
  askWithoutPendingIsPure:
    'ask(n, { tellPending: false }) leaves the learner exactly as it was, and asking twice gives the same points',
  orderIndependence:
    'the same data told in any order (one by one, in one tellMany, in chunks, or as answers to its own asks) gives the same npoints and loss',
  retellIsNoop: 'telling known data again changes nothing',
  snapshotRoundTrip:
    'restore(JSON.parse(JSON.stringify(snapshot()))) into a fresh learner gives the same data, pending points, loss and next points',
  lossNonNegative: 'loss() and loss({ real: false }) are never negative',
  lossNotNaN:
    'loss() and loss({ real: false }) are never NaN, whatever values (NaN, ±Infinity) were told',
  nonFiniteNeverHangs:
    'with NaN and ±Infinity among the values, ask(1) keeps returning a point (until done()) and no call throws or hangs',
};

/**
 * The seed the laws use unless told otherwise.
 *
 * @example
 * checkLearnerLaws(subject, { seed: DEFAULT_SEED + 1 }); // explore other histories
 */
export const DEFAULT_SEED = 20_260_610;

/**
 * A learner under test: how to build it and what to feed it. The values told come from
 * exactly one of `f` (a function, or an arbitrary of functions) and `values` (an arbitrary of
 * values); {@link checkLearnerLaws} throws a TypeError naming the problem otherwise.
 *
 * @typeParam P - the point type
 * @typeParam V - the value type
 * @example
 * const subject: LawSubject<number, number> = {
 *   name: 'Learner1D',
 *   make: () => new Learner1D({ bounds: [-1, 1] }),
 *   f: (x) => Math.tanh(20 * x),
 *   inDomain: (x) => x >= -1 && x <= 1,
 *   points: fc.double({ min: -1, max: 1, noNaN: true }), // also tell unrequested data
 * };
 * // or random values: each run draws a random function of the point
 * const anyValues: LawSubject<number, number> = {
 *   ...subject,
 *   f: undefined,
 *   values: fc.integer({ min: -10, max: 10 }),
 * };
 */
export interface LawSubject<P, V> {
  /** Names the subject in messages, e.g. `'Learner1D(defaultLoss)'`. */
  name: string;
  /** Builds a fresh learner, with the same options every time. */
  make: () => Learner<P, V>;
  /**
   * The function whose values are told: a deterministic function, or a fast-check arbitrary
   * of such functions, from which each run draws one (every route of the run, such as the
   * orders compared by `orderIndependence`, sees the same one, and a failure prints the one
   * drawn, shrunk). Give `f` or `values`, not both.
   */
  f?: ((point: P) => V) | fc.Arbitrary<(point: P) => V> | undefined;
  /**
   * Random values: each run draws a pure random function of the point, `fc.func(values)`
   * applied to the point's `key` (points with the same key get the same value), which
   * shrinks towards fewer and simpler values. A failure prints the function with the
   * values it gave. Give `f` or `values`, not both.
   */
  values?: fc.Arbitrary<V> | undefined;
  /** Whether a point lies in the learner's domain. */
  inDomain: (point: P) => boolean;
  /** The identity of a point (default {@link pointKey}: its JSON text). */
  key?: (point: P) => string;
  /** Relative tolerance when comparing losses across learners that got the same data by different routes (default 0: exact). */
  lossTolerance?: number;
  /** Points of the domain to tell (and `tellPending`) without being asked; when given, histories include such steps. */
  points?: fc.Arbitrary<P>;
  /**
   * How to spoil a value with NaN or ±Infinity (default {@link injectNonFinite}: the number,
   * or one component of a vector). `false` when the learner's values cannot be non-finite:
   * histories then tell real values only.
   */
  injectNonFinite?: ((value: V, bad: number, component: number) => V) | false;
}

/**
 * Options of {@link checkLearnerLaws}.
 *
 * @example
 * checkLearnerLaws(subject, { numRuns: 20, skip: ['lossNotNaN'] });
 */
export interface LawOptions {
  /** Runs per law (default 100). */
  numRuns?: number;
  /** The fast-check seed (default {@link DEFAULT_SEED}). A failure prints the one used. */
  seed?: number;
  /** A replay path printed by a failure; give it with the same seed and a single law. */
  path?: string;
  /** The laws to check (default all of {@link LAW_NAMES}). */
  laws?: readonly LawName[];
  /** Laws to leave out, e.g. `['lossNotNaN']` for a learner whose loss may be NaN. */
  skip?: readonly LawName[];
}

/**
 * The error thrown when a learner breaks a law: the message holds everything needed to replay it.
 *
 * @example
 * try {
 *   checkLearnerLaws(subject);
 * } catch (e) {
 *   if (e instanceof LawViolation) console.log(e.law, e.seed, e.path); // 'inDomain' 20260610 '3:1:0'
 * }
 */
export class LawViolation extends Error {
  override readonly name = 'LawViolation';
  /** The law broken. */
  readonly law: LawName;
  /** The subject's name. */
  readonly subject: string;
  /** The fast-check seed. */
  readonly seed: number;
  /** The fast-check replay path (`null` when the run was interrupted before a counterexample). */
  readonly path: string | null;
  /** The shrunk counterexample, as generated by the law's arbitrary. */
  readonly counterexample: unknown;
  /**
   * The function drawn for the failing run when the subject gives `values` or an arbitrary
   * as `f` (`fc.stringify` shows it, with the values it gave), `undefined` for a plain `f`.
   */
  readonly f: unknown;

  constructor(
    message: string,
    fields: {
      law: LawName;
      subject: string;
      seed: number;
      path: string | null;
      counterexample: unknown;
      f?: unknown;
      cause: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.law = fields.law;
    this.subject = fields.subject;
    this.seed = fields.seed;
    this.path = fields.path;
    this.counterexample = fields.counterexample;
    this.f = fields.f;
  }
}

/** An observed breach of a law, thrown inside a property (as opposed to an error thrown by the learner). */
class Breach extends Error {
  override readonly name = 'Breach';
}

/** Where the current property run is, for messages about errors the learner throws. */
let location = '';

/** Records where the current run is (a property runs synchronously, so one variable does). */
function at(label: string): void {
  location = label;
}

function fail(message: string): never {
  throw new Breach(message);
}

/** A function of the points, the values to tell. */
type PointFunction<P, V> = (point: P) => V;

/** The subject, checked, with its defaults filled in. */
interface Subject<P, V> {
  name: string;
  make: () => Learner<P, V>;
  /** The function of every run when the subject's `f` is a plain function. */
  fixed: PointFunction<P, V> | undefined;
  /** Otherwise the arbitrary each run draws its function from. */
  drawn: fc.Arbitrary<PointFunction<P, V>> | undefined;
  inDomain: (point: P) => boolean;
  key: (point: P) => string;
  tol: number;
  points: fc.Arbitrary<P> | undefined;
  inject: ((value: V, bad: number, component: number) => V) | false;
}

/** Whether `x` looks like a fast-check arbitrary (also one from another copy of fast-check). */
function isArbitrary(x: unknown): x is fc.Arbitrary<unknown> {
  if (x instanceof fc.Arbitrary) return true;
  const a = x as { generate?: unknown; shrink?: unknown } | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.generate === 'function' &&
    typeof a.shrink === 'function'
  );
}

/** Throws a TypeError about a subject; `what` says what is wrong and what to do. */
function badSubject(subject: unknown, what: string): never {
  const name = (subject as { name?: unknown } | null)?.name;
  const which = typeof name === 'string' ? ` "${name}"` : '';
  throw new TypeError(`LawSubject${which}: ${what}`);
}

/**
 * The pure random function of the points that `values` stands for: `fc.func(values)` of the
 * point's key, so points with the same key (such as `0` and `-0`) get the same value. It
 * prints as the fast-check function with the keys it was called with and what it returned.
 */
function valuesFunction<P, V>(
  values: fc.Arbitrary<V>,
  key: (point: P) => string,
): fc.Arbitrary<PointFunction<P, V>> {
  return fc.func<[string], V>(values).map((byKey) => {
    const f = (point: P): V => byKey(key(point));
    const text = (): string => `(point) => g(key(point)) with g = ${fc.stringify(byKey)}`;
    // fast-check's map re-applies this to a clone of `byKey` for every run, so each run's
    // function lists only the values of that run.
    Object.defineProperties(f, { toString: { value: text }, [fc.toStringMethod]: { value: text } });
    return f;
  });
}

/** Checks a subject and fills in its defaults; throws a TypeError or RangeError naming the problem. */
function normalize<P, V>(s: LawSubject<P, V>): Subject<P, V> {
  if (typeof s !== 'object' || s === null) {
    badSubject(s, `expected an object { name, make, f or values, inDomain }, got ${show(s)}`);
  }
  if (typeof s.name !== 'string') badSubject(s, `name must be a string, got ${show(s.name)}`);
  if (typeof s.make !== 'function') {
    badSubject(s, `make must be a function that builds a fresh learner, got ${show(s.make)}`);
  }
  if (typeof s.inDomain !== 'function') {
    badSubject(s, `inDomain must be a function (point) => boolean, got ${show(s.inDomain)}`);
  }
  const { f, values } = s;
  if (f !== undefined && values !== undefined) {
    badSubject(
      s,
      'gives both f and values; give one: f for a function (or an arbitrary of functions), values for an arbitrary of values',
    );
  }
  if (f === undefined && values === undefined) {
    badSubject(
      s,
      'gives neither f nor values; give f: (point) => value, or values: an arbitrary of values such as fc.double({ noNaN: true })',
    );
  }
  if (f !== undefined && typeof f !== 'function' && !isArbitrary(f)) {
    badSubject(
      s,
      `f must be a function (point) => value or a fast-check arbitrary of such functions, got ${show(f)}`,
    );
  }
  if (values !== undefined && !isArbitrary(values)) {
    badSubject(
      s,
      `values must be a fast-check arbitrary of values (for a function, use f), got ${show(values)}`,
    );
  }
  if (s.key !== undefined && typeof s.key !== 'function') {
    badSubject(s, `key must be a function (point) => string, got ${show(s.key)}`);
  }
  if (s.points !== undefined && !isArbitrary(s.points)) {
    badSubject(s, `points must be a fast-check arbitrary of points, got ${show(s.points)}`);
  }
  if (
    s.injectNonFinite !== undefined &&
    s.injectNonFinite !== false &&
    typeof s.injectNonFinite !== 'function'
  ) {
    badSubject(s, `injectNonFinite must be a function or false, got ${show(s.injectNonFinite)}`);
  }
  const tol = s.lossTolerance ?? 0;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw new RangeError(
      `LawSubject "${s.name}": lossTolerance must be a finite number ≥ 0, got ${show(tol)}`,
    );
  }
  const key = s.key ?? pointKey;
  return {
    name: s.name,
    make: s.make,
    fixed: typeof f === 'function' ? f : undefined,
    drawn:
      values !== undefined
        ? valuesFunction(values, key)
        : typeof f === 'function'
          ? undefined
          : (f as fc.Arbitrary<PointFunction<P, V>>),
    inDomain: s.inDomain,
    key,
    tol,
    points: s.points,
    inject: s.injectNonFinite ?? injectNonFinite,
  };
}

/** Shows a value in a message, shortened. */
function show(x: unknown, max = 200): string {
  const text = fc.stringify(x);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Checks the shape of an ask's result; throws a {@link Breach} naming the call. */
function checkAskShape<P>(result: AskResult<P>, n: number, call: string): void {
  if (
    result === null ||
    typeof result !== 'object' ||
    !Array.isArray(result.points) ||
    !Array.isArray(result.lossImprovements)
  ) {
    fail(`${call} returned ${show(result)}, not { points: [], lossImprovements: [] }`);
  }
  if (result.points.length !== result.lossImprovements.length) {
    fail(
      `${call} returned ${result.points.length} points but ${result.lossImprovements.length} loss improvements`,
    );
  }
  if (result.points.length > n) fail(`${call} returned ${result.points.length} points`);
  for (const li of result.lossImprovements) {
    if (typeof li !== 'number') fail(`${call} returned a loss improvement ${show(li)}`);
  }
}

function askCall(n: number, tellPending: boolean): string {
  return tellPending ? `ask(${n})` : `ask(${n}, { tellPending: false })`;
}

/** Asks and checks the shape of the result. */
function askChecked<P, V>(learner: Learner<P, V>, n: number, tellPending: boolean): AskResult<P> {
  const result = learner.ask(n, { tellPending });
  checkAskShape(result, n, askCall(n, tellPending));
  return result;
}

/** The options to play a history on a subject's learner, with shape checks on every ask. */
function playOptions<P, V>(
  s: Subject<P, V>,
  f: PointFunction<P, V>,
  extra: Partial<RunHistoryOptions<P, V>> = {},
): RunHistoryOptions<P, V> {
  return {
    ...extra,
    f,
    key: s.key,
    injectNonFinite: s.inject,
    beforeStep: (step, i, trace) => {
      at(`in step ${i} (${show(step, 120)})`);
      extra.beforeStep?.(step, i, trace);
    },
    onAsk: (result, step, trace) => {
      checkAskShape(result, step.n, askCall(step.n, step.tellPending));
      extra.onAsk?.(result, step, trace);
    },
  };
}

function historyOf<P, V>(s: Subject<P, V>): fc.Arbitrary<HistoryStep<P>[]> {
  return s.points === undefined
    ? historyArbitrary<P>({ nonFinite: s.inject !== false })
    : historyArbitrary<P>({ nonFinite: s.inject !== false, points: s.points });
}

/** Everything observable of a learner, to compare before and after a call. */
interface Observed {
  snapshot: unknown;
  pending: string[];
  npoints: number;
  loss: number;
  lossPending: number;
}

function observe<P, V>(learner: Learner<P, V>, key: (p: P) => string): Observed {
  return {
    snapshot: JSON.parse(JSON.stringify(learner.snapshot())) as unknown,
    pending: learner.pendingPoints.map(key),
    npoints: learner.npoints,
    loss: learner.loss(),
    lossPending: learner.loss({ real: false }),
  };
}

/**
 * The first difference between two observations: `exact` compares pending points in order
 * and numbers exactly, otherwise pending points as sets and losses within `tol`.
 */
function observedDifference(
  a: Observed,
  b: Observed,
  exact: boolean,
  tol: number,
): string | undefined {
  if (a.npoints !== b.npoints) return `npoints ${a.npoints} vs ${b.npoints}`;
  const pa = exact ? a.pending : [...new Set(a.pending)].sort();
  const pb = exact ? b.pending : [...new Set(b.pending)].sort();
  const dp = describeDifference(pa, pb);
  if (dp !== undefined) {
    return `pendingPoints ${show(a.pending)} vs ${show(b.pending)}${exact ? ' (in order)' : ''}`;
  }
  const t = exact ? 0 : tol;
  if (!sameNumber(a.loss, b.loss, t)) return `loss() ${a.loss} vs ${b.loss}`;
  if (!sameNumber(a.lossPending, b.lossPending, t)) {
    return `loss({ real: false }) ${a.lossPending} vs ${b.lossPending}`;
  }
  const ds = describeDifference(a.snapshot, b.snapshot, t);
  if (ds !== undefined) return `snapshot() differs ${ds}`;
  return undefined;
}

/** The first difference between two ask results, in order or as sets of (point, improvement). */
function askDifference<P>(
  a: AskResult<P>,
  b: AskResult<P>,
  key: (p: P) => string,
  ordered: boolean,
  tol: number,
): string | undefined {
  const pairs = (r: AskResult<P>) => {
    const out = r.points.map((p, i) => ({ k: key(p), p, li: r.lossImprovements[i] as number }));
    if (!ordered) out.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
    return out;
  };
  const pa = pairs(a);
  const pb = pairs(b);
  const both = `${show(a.points)} vs ${show(b.points)}`;
  if (pa.length !== pb.length) return `${pa.length} vs ${pb.length} points: ${both}`;
  for (let i = 0; i < pa.length; i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x.k !== y.k) return `points ${both}${ordered ? ' (in order)' : ''}`;
    if (!sameNumber(x.li, y.li, tol)) {
      return `loss improvement at ${show(x.p)}: ${x.li} vs ${y.li}`;
    }
  }
  return undefined;
}

/** Orders items by random sort keys (ties and missing keys keep the original order). */
function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, i, k: keys[i] ?? 0 }))
    .sort((x, y) => x.k - y.k || x.i - y.i)
    .map((x) => x.item);
}

function dataOf<P, V>(trace: HistoryTrace<P, V>): { point: P; value: V }[] {
  return [...trace.told.values()].map(({ point, value }) => ({ point, value }));
}

const maybeEveryValue: fc.Arbitrary<NonFinite | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: nonFiniteArbitrary(), weight: 1 },
);

/** Random sort keys that shuffle up to 128 items; shrinks towards the given order. */
const sortKeys = fc.array(fc.nat({ max: 1000 }), { maxLength: 128, size: 'max' });
const askSize = fc.integer({ min: 1, max: 10 });

type Property = fc.IProperty<[never]>;

/**
 * A property whose errors are all {@link Breach}es: an error of the learner says where it came
 * from. The check gets the run's function: the subject's plain `f`, or one drawn per run as
 * the property's second argument (after the law's input, so shrinking simplifies the history
 * first).
 */
function prop<P, V, T>(
  law: LawName,
  s: Subject<P, V>,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T, f: PointFunction<P, V>) => void,
): Property {
  const guarded = (input: T, f: PointFunction<P, V>): void => {
    at('');
    try {
      check(input, f);
    } catch (e) {
      if (e instanceof Breach) throw new Breach(`${law}: ${e.message}`);
      const what =
        e instanceof Error
          ? `the learner threw ${e.name}: ${e.message}`
          : `the learner threw ${show(e)}`;
      throw new Breach(`${law}: ${location === '' ? what : `${location}, ${what}`}`, { cause: e });
    }
  };
  const { fixed, drawn } = s;
  const property =
    fixed !== undefined
      ? fc.property(arbitrary, (input: T) => guarded(input, fixed))
      : fc.property(arbitrary, drawn as fc.Arbitrary<PointFunction<P, V>>, guarded);
  return property as unknown as Property;
}

const LAWS: { [L in LawName]: <P, V>(s: Subject<P, V>) => Property } = {
  askZero: (s) =>
    prop('askZero', s, historyOf(s), (history, f) => {
      const learner = s.make();
      runHistory(learner, history, playOptions(s, f));
      at('after the history');
      const before = observe(learner, s.key);
      const expectUnchanged = (call: string) => {
        const d = observedDifference(before, observe(learner, s.key), true, 0);
        if (d !== undefined) fail(`${call} changed the learner: ${d}`);
      };
      for (const tellPending of [true, false]) {
        const call = askCall(0, tellPending);
        const r = learner.ask(0, { tellPending });
        if (
          !Array.isArray(r?.points) ||
          r.points.length !== 0 ||
          !Array.isArray(r.lossImprovements) ||
          r.lossImprovements.length !== 0
        ) {
          fail(`${call} returned ${show(r)}, not { points: [], lossImprovements: [] }`);
        }
        expectUnchanged(call);
      }
      for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        for (const tellPending of [true, false]) {
          const call = askCall(n, tellPending);
          at(`in ${call}`);
          let threw: unknown;
          try {
            learner.ask(n, { tellPending });
          } catch (e) {
            threw = e;
          }
          if (threw === undefined) fail(`${call} returned instead of throwing a RangeError`);
          if (!(threw instanceof RangeError) && (threw as Error)?.name !== 'RangeError') {
            fail(`${call} threw ${show(threw)}, not a RangeError`);
          }
          expectUnchanged(call);
        }
      }
    }),

  inDomain: (s) =>
    prop('inDomain', s, historyOf(s), (history, f) => {
      const learner = s.make();
      runHistory(
        learner,
        history,
        playOptions(s, f, {
          onAsk: (result, step) => {
            for (const p of result.points) {
              if (!s.inDomain(p)) {
                fail(
                  `${askCall(step.n, step.tellPending)} handed out ${show(p)}, outside the domain`,
                );
              }
            }
          },
        }),
      );
    }),

  noDuplicatePending: (s) =>
    prop('noDuplicatePending', s, historyOf(s), (history, f) => {
      const learner = s.make();
      runHistory(
        learner,
        history,
        playOptions(s, f, {
          onAsk: (result, step, trace) => {
            const call = askCall(step.n, step.tellPending);
            const pending = new Set(trace.outstanding.map(s.key));
            const seen = new Set<string>();
            for (const p of result.points) {
              const k = s.key(p);
              if (seen.has(k)) fail(`${call} handed out ${show(p)} twice in one call`);
              if (pending.has(k)) fail(`${call} handed out ${show(p)}, which is still pending`);
              if (trace.told.has(k)) fail(`${call} handed out ${show(p)}, which was already told`);
              seen.add(k);
            }
          },
        }),
      );
    }),

  pendingPointsTracked: <P, V>(s: Subject<P, V>) =>
    prop('pendingPointsTracked', s, historyOf(s), (history, f) => {
      const learner = s.make();
      const check = (after: string, outstanding: readonly P[]) => {
        const listed = learner.pendingPoints.map(s.key);
        if (new Set(listed).size !== listed.length) {
          fail(`${after}, pendingPoints lists a point twice: ${show(learner.pendingPoints)}`);
        }
        const expected = [...new Set(outstanding.map(s.key))].sort();
        if (describeDifference(listed.sort(), expected) !== undefined) {
          fail(
            `${after}, pendingPoints is ${show(learner.pendingPoints)} but the outstanding points are ${show(outstanding)}`,
          );
        }
      };
      check('on a fresh learner', []);
      runHistory(
        learner,
        history,
        playOptions(s, f, {
          afterStep: (step, i, trace) =>
            check(`after step ${i} (${show(step, 80)})`, trace.outstanding),
        }),
      );
    }),

  askWithoutPendingIsPure: (s) =>
    prop(
      'askWithoutPendingIsPure',
      s,
      fc.record({ history: historyOf(s), n: askSize }),
      ({ history, n }, f) => {
        const learner = s.make();
        let before: Observed | undefined;
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            beforeStep: (step) => {
              before =
                step.kind === 'ask' && !step.tellPending ? observe(learner, s.key) : undefined;
            },
            onAsk: (_result, step) => {
              if (before === undefined) return;
              const d = observedDifference(before, observe(learner, s.key), true, 0);
              if (d !== undefined) fail(`${askCall(step.n, false)} changed the learner: ${d}`);
            },
          }),
        );
        at('after the history');
        const start = observe(learner, s.key);
        const first = askChecked(learner, n, false);
        const d1 = observedDifference(start, observe(learner, s.key), true, 0);
        if (d1 !== undefined) fail(`${askCall(n, false)} changed the learner: ${d1}`);
        const second = askChecked(learner, n, false);
        const d2 = askDifference(first, second, s.key, true, 0);
        if (d2 !== undefined) fail(`two consecutive ${askCall(n, false)} differ: ${d2}`);
      },
    ),

  orderIndependence: (s) =>
    prop(
      'orderIndependence',
      s,
      fc.record({
        history: historyOf(s),
        orderA: sortKeys,
        orderB: sortKeys,
        chunks: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
      }),
      ({ history, orderA, orderB, chunks }, f) => {
        const source = s.make();
        const trace = runHistory(source, history, playOptions(s, f));
        const data = dataOf(trace);
        const a = permute(data, orderA);
        const b = permute(data, orderB);
        const routes: [string, Learner<unknown, unknown>][] = [];
        const add = <P, V>(route: string, learner: Learner<P, V>) =>
          routes.push([route, learner as unknown as Learner<unknown, unknown>]);
        for (const [route, seq] of [
          ['told one by one in order A', a],
          ['told one by one in order B', b],
        ] as const) {
          at(`with the data ${route}`);
          const learner = s.make();
          for (const { point, value } of seq) learner.tell(point, value);
          add(route, learner);
        }
        at('with the data told in one tellMany');
        const batch = s.make();
        batch.tellMany(
          data.map((d) => d.point),
          data.map((d) => d.value),
        );
        add('told in one tellMany', batch);
        at('with the data told in tellMany chunks');
        const chunked = s.make();
        for (let i = 0, c = 0; i < a.length; c++) {
          const size = chunks[c % chunks.length] as number;
          const part = a.slice(i, i + size);
          chunked.tellMany(
            part.map((d) => d.point),
            part.map((d) => d.value),
          );
          i += size;
        }
        add(`told in tellMany chunks of ${show(chunks)} in order A`, chunked);
        if (source.pendingPoints.length === 0) add('the learner that asked for them', source);
        const [refRoute, ref] = routes[0]!;
        const refLoss = ref.loss();
        const refLossPending = ref.loss({ real: false });
        const dataText = show(
          a.map((d) => [d.point, d.value]),
          400,
        );
        for (const [route, learner] of routes.slice(1)) {
          const what =
            learner.npoints !== ref.npoints
              ? `npoints ${ref.npoints} vs ${learner.npoints}`
              : !sameNumber(learner.loss(), refLoss, s.tol)
                ? `loss() ${refLoss} vs ${learner.loss()}`
                : !sameNumber(learner.loss({ real: false }), refLossPending, s.tol)
                  ? `loss({ real: false }) ${refLossPending} vs ${learner.loss({ real: false })}`
                  : undefined;
          if (what !== undefined) {
            fail(
              `the same data ${refRoute} and ${route} gives ${what}; data in order A: ${dataText}`,
            );
          }
        }
      },
    ),

  retellIsNoop: (s) =>
    prop(
      'retellIsNoop',
      s,
      fc.record({ history: historyOf(s), order: sortKeys, batch: fc.boolean(), n: askSize }),
      ({ history, order, batch, n }, f) => {
        const learner = s.make();
        const control = s.make();
        const trace = runHistory(learner, history, playOptions(s, f));
        runHistory(control, history, playOptions(s, f));
        const data = permute(dataOf(trace), order);
        at('telling the known data again');
        if (batch) {
          learner.tellMany(
            data.map((d) => d.point),
            data.map((d) => d.value),
          );
        } else {
          for (const { point, value } of data) learner.tell(point, value);
        }
        const how = batch ? 'in one tellMany' : 'one by one';
        at('comparing with a learner that got the data once');
        const d = observedDifference(
          observe(control, s.key),
          observe(learner, s.key),
          false,
          s.tol,
        );
        if (d !== undefined)
          fail(`telling the ${data.length} known points again ${how} changed ${d}`);
        const dAsk = askDifference(
          askChecked(control, n, false),
          askChecked(learner, n, false),
          s.key,
          false,
          s.tol,
        );
        if (dAsk !== undefined) {
          fail(
            `after telling the known points again ${how}, the next ${askCall(n, false)} differs: ${dAsk}`,
          );
        }
      },
    ),

  snapshotRoundTrip: (s) =>
    prop(
      'snapshotRoundTrip',
      s,
      fc.record({ history: historyOf(s), n: askSize }),
      ({ history, n }, f) => {
        const learner = s.make();
        runHistory(learner, history, playOptions(s, f));
        at('in snapshot()');
        const snap = learner.snapshot();
        if (typeof snap?.type !== 'string' || typeof snap.version !== 'number') {
          fail(`snapshot() has no string "type" and numeric "version": ${show(snap)}`);
        }
        const unsafe = jsonSafetyProblem(snap);
        if (unsafe !== undefined) fail(`snapshot() is not JSON-safe ${unsafe}`);
        const text = JSON.stringify(snap);
        const again = describeDifference(
          JSON.parse(text),
          JSON.parse(JSON.stringify(learner.snapshot())),
        );
        if (again !== undefined) fail(`two consecutive snapshot() differ ${again}`);
        at('in restore() of the snapshot');
        const copy = s.make();
        copy.restore(JSON.parse(text));
        at('comparing the restored learner');
        const d = observedDifference(observe(learner, s.key), observe(copy, s.key), false, s.tol);
        if (d !== undefined) fail(`the restored learner differs from the original: ${d}`);
        const dAsk = askDifference(
          askChecked(learner, n, false),
          askChecked(copy, n, false),
          s.key,
          false,
          s.tol,
        );
        if (dAsk !== undefined) {
          fail(
            `the restored learner's next ${askCall(n, false)} differs from the original's: ${dAsk}`,
          );
        }
      },
    ),

  lossNonNegative: (s) =>
    prop(
      'lossNonNegative',
      s,
      fc.record({ history: historyOf(s), every: maybeEveryValue }),
      ({ history, every }, f) => {
        const learner = s.make();
        const check = (after: string) => {
          const loss = learner.loss();
          if (loss < 0) fail(`${after}, loss() is ${loss}`);
          const lossPending = learner.loss({ real: false });
          if (lossPending < 0) fail(`${after}, loss({ real: false }) is ${lossPending}`);
        };
        check('on a fresh learner');
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            everyValue: every,
            afterStep: (step, i) => check(`after step ${i} (${show(step, 80)})`),
          }),
        );
      },
    ),

  lossNotNaN: (s) =>
    prop(
      'lossNotNaN',
      s,
      fc.record({ history: historyOf(s), every: maybeEveryValue }),
      ({ history, every }, f) => {
        const learner = s.make();
        const check = (after: string) => {
          if (Number.isNaN(learner.loss())) fail(`${after}, loss() is NaN`);
          if (Number.isNaN(learner.loss({ real: false }))) {
            fail(`${after}, loss({ real: false }) is NaN`);
          }
        };
        check('on a fresh learner');
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            everyValue: every,
            afterStep: (step, i) => check(`after step ${i} (${show(step, 80)})`),
          }),
        );
      },
    ),

  nonFiniteNeverHangs: (s) =>
    prop(
      'nonFiniteNeverHangs',
      s,
      fc.record({
        steps: fc.array(
          fc.oneof(
            { withCrossShrink: true },
            { arbitrary: fc.constant(null), weight: 4 },
            { arbitrary: nonFiniteArbitrary(), weight: 1 },
          ),
          { minLength: 50, maxLength: 200 },
        ),
        every: maybeEveryValue,
      }),
      ({ steps, every }, f) => {
        const learner = s.make();
        let last: unknown = 'nothing';
        for (const [i, nonFinite] of steps.entries()) {
          at(`in step ${i}`);
          if (learner.done?.() === true) return;
          const r = askChecked(learner, 1, true);
          if (r.points.length === 0) {
            fail(
              `ask(1) returned no points at step ${i} although the learner is not done (last told: ${show(last)})`,
            );
          }
          const point = r.points[0]!;
          let value = f(point);
          const bad = nonFinite ?? every;
          if (bad !== null && s.inject !== false) value = s.inject(value, bad.value, bad.component);
          learner.tell(point, value);
          last = [point, value];
        }
      },
    ),
};

/**
 * The fast-check property of one law for a subject, to run with your own `fc.assert` or
 * `fc.check` (`@fast-check/vitest` users: `fc.assert(lawProperty(subject, 'inDomain'))`).
 * A failing run throws an error whose message starts with the law's name (fast-check keeps
 * it as the `cause` of its report); {@link checkLearnerLaws} adds the replay details. With
 * `values` or an arbitrary as `f`, the function drawn for a run is the property's second
 * argument (so fast-check's counterexample is `[input, f]`). Throws a TypeError when the
 * subject is malformed (see {@link LawSubject}).
 *
 * @example
 * fc.assert(lawProperty(subject, 'retellIsNoop'), { seed: 1, numRuns: 20 });
 * // passes, or throws fast-check's report
 */
export function lawProperty<P, V>(subject: LawSubject<P, V>, law: LawName): fc.IProperty<[never]> {
  const build = LAWS[law];
  if (build === undefined) throw new RangeError(`lawProperty: unknown law ${show(law)}`);
  return build(normalize(subject));
}

function describeError(e: unknown, law: LawName): string {
  if (e instanceof Breach) {
    return e.message.startsWith(`${law}: `) ? e.message.slice(law.length + 2) : e.message;
  }
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return show(e);
}

/**
 * Checks the learner laws on a subject and throws a {@link LawViolation} at the first broken
 * one. The message starts with the law's name and holds the seed, the replay path, the
 * shrunk counterexample (and the function drawn for it, with `values` or an arbitrary `f`)
 * and a call that replays it. Each law runs `numRuns` random histories; a malformed subject
 * throws a TypeError before any runs. Needs no test runner: call it inside a Vitest, Jest or
 * node:test test.
 *
 * @example
 * checkLearnerLaws({
 *   name: 'Learner1D',
 *   make: () => new Learner1D({ bounds: [-1, 1] }),
 *   f: (x) => x ** 3 - x,
 *   inDomain: (x) => x >= -1 && x <= 1,
 *   points: fc.double({ min: -1, max: 1, noNaN: true }),
 * });
 * // returns, or throws: Learner law "inDomain" failed for Learner1D: ask(3) handed out 1.5, outside the domain ...
 *
 * // random values instead of one function: each run draws its own
 * checkLearnerLaws(
 *   {
 *     name: 'Learner1D(myLoss)',
 *     make: () => new Learner1D({ bounds: [-1, 1], loss: myLoss, recomputeLossesFactor: 1 }),
 *     values: fc.integer({ min: -10, max: 10 }),
 *     inDomain: (x) => x >= -1 && x <= 1,
 *   },
 *   { numRuns: 200 },
 * );
 */
export function checkLearnerLaws<P, V>(subject: LawSubject<P, V>, options: LawOptions = {}): void {
  const s = normalize(subject);
  const { numRuns = 100, seed = DEFAULT_SEED, path, laws = LAW_NAMES, skip = [] } = options;
  for (const law of [...laws, ...skip]) {
    if (!(LAW_NAMES as readonly string[]).includes(law)) {
      throw new RangeError(
        `checkLearnerLaws: unknown law ${show(law)}; the laws are ${LAW_NAMES.join(', ')}`,
      );
    }
  }
  const selected = laws.filter((law) => !skip.includes(law));
  if (path !== undefined && selected.length !== 1) {
    throw new RangeError(
      `checkLearnerLaws: a replay path belongs to one law, but ${selected.length} laws are selected; pass laws: ['<the law>']`,
    );
  }
  for (const law of selected) {
    const details = fc.check(LAWS[law](s), {
      seed,
      numRuns,
      ...(path === undefined ? {} : { path }),
    });
    if (!details.failed) continue;
    // [the law's input] or, with a drawn function, [input, f]
    const example = details.counterexample as readonly unknown[] | null;
    const what =
      details.counterexamplePath === null
        ? `the run stopped without a counterexample (${details.interrupted ? 'interrupted' : 'too many skipped values'})`
        : describeError(details.errorInstance, law);
    const lines = [
      `Learner law "${law}" failed for ${s.name}: ${what}`,
      `  law: ${LAW_DESCRIPTIONS[law]}`,
      `  seed: ${details.seed}, path: "${details.counterexamplePath ?? ''}" (failed after ${details.numRuns} runs, shrunk ${details.numShrinks} times)`,
      `  counterexample: ${show(example?.[0], 2000)}`,
      ...(s.drawn === undefined
        ? []
        : [`  f drawn: ${show(example?.[1], 2000).replaceAll('\n', '\n    ')}`]),
      `  replay: checkLearnerLaws(subject, { laws: ['${law}'], seed: ${details.seed}, path: "${details.counterexamplePath ?? ''}" })`,
    ];
    throw new LawViolation(lines.join('\n'), {
      law,
      subject: s.name,
      seed: details.seed,
      path: details.counterexamplePath,
      counterexample: example?.[0],
      f: s.drawn === undefined ? undefined : example?.[1],
      cause:
        details.errorInstance instanceof Breach && details.errorInstance.cause !== undefined
          ? details.errorInstance.cause
          : details.errorInstance,
    });
  }
}
