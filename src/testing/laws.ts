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
import { scaleValue } from './domains.js';
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
  'askedPointsAccepted',
  'scaleInvariant',
  'scaleRobust',
  'makesProgress',
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
    'with NaN and ±Infinity among the values (alone or in runs), ask(1) keeps returning a point (until done()) and no call throws or hangs',
  askedPointsAccepted:
    'every point handed out by ask lies in the domain exactly and is accepted by tell: it is no longer pending, the learner takes it in (its snapshot changes) and npoints does not fall',
  scaleInvariant:
    'told f × 2^k instead of f (k in [-480, 480], every finite value between 2^-500 and 2^500 in magnitude at both scales, so values and their products scale exactly), the learner asks the same points in the same order',
  scaleRobust:
    'with f rounded to 16 significant bits, told f × 10^k instead of f (|k| up to 300, 1e300 and 1e-300 included, every value finite and normal at both scales), the learner asks the same points in the same order until a tie: where the points first differ, their loss improvements agree to a relative 1e-9 (divided by 10^k where the loss is in units of the values): rounding broke a tie',
  makesProgress:
    'after any history, with the points handed out told, asking and telling one point at a time (real values) changes loss() or done() (or brings the loss to 0) within progressAsks(npoints) asks (default 4·npoints + 50): no livelock',
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
 * With `domains`, each run draws a domain (bounds, a hull, ...) and builds its learners with
 * `make(domain)`; `f`, `inDomain` and `points` get the domain too. With `scales`, each run
 * draws a factor the told values are multiplied by (see `valueScaleArbitrary`). A failure
 * prints the domain and the scale drawn.
 *
 * @typeParam P - the point type
 * @typeParam V - the value type
 * @typeParam D - the domain type (`undefined` when the subject draws no domains)
 * @example
 * const subject: LawSubject<number, number> = {
 *   name: 'Learner1D',
 *   make: () => new Learner1D({ bounds: [-1, 1] }),
 *   f: (x) => Math.tanh(20 * x),
 *   inDomain: (x) => x >= -1 && x <= 1,
 *   points: fc.double({ min: -1, max: 1, noNaN: true }), // also tell unrequested data
 * };
 * // any bounds and any value scale: each run draws them
 * const anywhere: LawSubject<number, number, [number, number]> = {
 *   name: 'Learner1D (random bounds and scales)',
 *   domains: intervalArbitrary(),
 *   scales: valueScaleArbitrary(),
 *   make: (bounds) => new Learner1D({ bounds }),
 *   f: (x, [a, b]) => Math.tanh(20 * ((x - a) / (b - a) - 0.5)),
 *   inDomain: (x, [a, b]) => x >= a && x <= b,
 *   points: ([a, b]) => fc.double({ min: a, max: b, noNaN: true }),
 * };
 */
export interface LawSubject<P, V, D = undefined> {
  /** Names the subject in messages, e.g. `'Learner1D(defaultLoss)'`. */
  name: string;
  /** Builds a fresh learner on the run's domain, with the same options every time. */
  make: (domain: D) => Learner<P, V>;
  /**
   * The domains to draw, one per run (e.g. `intervalArbitrary()`); without it every run's
   * domain is `undefined`.
   */
  domains?: fc.Arbitrary<D> | undefined;
  /**
   * The factors the told values are multiplied by (with `scaleValue`), one per run (e.g.
   * `valueScaleArbitrary()`); without it the values are told as they are.
   */
  scales?: fc.Arbitrary<number> | undefined;
  /** How a value is multiplied by a scale (default `scaleValue`: numbers and arrays of numbers). */
  scaleValue?: ((value: V, scale: number) => V) | undefined;
  /**
   * Whether the learner's loss and loss improvements are in units of the values (as an
   * integration error is) rather than free of them (as a loss on values divided by their
   * range is). The scale laws divide them by the scale when `true` (default `false`).
   */
  lossInValueUnits?: boolean;
  /**
   * The function whose values are told: a deterministic function of the point (and the
   * run's domain), or a fast-check arbitrary of such functions, from which each run draws one
   * (every route of the run, such as the orders compared by `orderIndependence`, sees the
   * same one, and a failure prints the one drawn, shrunk). Give `f` or `values`, not both.
   */
  f?: ((point: P, domain: D) => V) | fc.Arbitrary<(point: P, domain: D) => V> | undefined;
  /**
   * Random values: each run draws a pure random function of the point, `fc.func(values)`
   * applied to the point's `key` (points with the same key get the same value), which
   * shrinks towards fewer and simpler values. A failure prints the function with the
   * values it gave. Give `f` or `values`, not both.
   */
  values?: fc.Arbitrary<V> | undefined;
  /** Whether a point lies in the learner's domain (exactly: the laws hand it every point asked). */
  inDomain: (point: P, domain: D) => boolean;
  /** The identity of a point (default {@link pointKey}: its JSON text). */
  key?: (point: P) => string;
  /** Relative tolerance when comparing losses across learners that got the same data by different routes (default 0: exact). */
  lossTolerance?: number;
  /**
   * Points of the domain to tell (and `tellPending`) without being asked, or a function of
   * the run's domain giving them; when given, histories include such steps.
   */
  points?: fc.Arbitrary<P> | ((domain: D) => fc.Arbitrary<P>);
  /**
   * How to spoil a value with NaN or ±Infinity (default {@link injectNonFinite}: the number,
   * or one component of a vector). `false` when the learner's values cannot be non-finite:
   * histories then tell real values only.
   */
  injectNonFinite?: ((value: V, bad: number, component: number) => V) | false;
  /**
   * How many asks `makesProgress` allows for the loss or `done()` to change, given the
   * number of points told (default `4 * npoints + 50`).
   */
  progressAsks?: (npoints: number) => number;
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
  /** The domain drawn for the failing run (`undefined` when the subject draws none). */
  readonly domain: unknown;
  /** The value scale drawn for the failing run (1 when the subject draws none). */
  readonly scale: number | undefined;
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
      domain?: unknown;
      scale?: number | undefined;
      f?: unknown;
      cause: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.domain = fields.domain;
    this.scale = fields.scale;
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

/** A function of the points (and the domain), the values to tell. */
type PointFunction<P, V> = (point: P) => V;
type DomainFunction<P, V, D> = (point: P, domain: D) => V;

/** The subject, checked, with its defaults filled in. */
interface Subject<P, V, D = unknown> {
  name: string;
  make: (domain: D) => Learner<P, V>;
  domains: fc.Arbitrary<D> | undefined;
  scales: fc.Arbitrary<number> | undefined;
  scale: (value: V, scale: number) => V;
  lossInValueUnits: boolean;
  /** The function of every run when the subject's `f` is a plain function. */
  fixed: DomainFunction<P, V, D> | undefined;
  /** Otherwise the arbitrary each run draws its function from. */
  drawn: fc.Arbitrary<DomainFunction<P, V, D>> | undefined;
  inDomain: (point: P, domain: D) => boolean;
  key: (point: P) => string;
  tol: number;
  points: ((domain: D) => fc.Arbitrary<P>) | undefined;
  /** Whether the points depend on the domain. */
  pointsOfDomain: boolean;
  inject: ((value: V, bad: number, component: number) => V) | false;
  progressAsks: (npoints: number) => number;
}

/**
 * What one run of a law works with: the domain drawn, the scale drawn, the function drawn
 * (or the subject's), and the values told: `f` at the domain, times the scale.
 */
interface World<P, V, D> {
  domain: D;
  scale: number;
  /** The subject's function at the run's domain, not scaled. */
  base: PointFunction<P, V>;
  /** The values told: `base` times the scale. */
  f: PointFunction<P, V>;
  make: () => Learner<P, V>;
  inDomain: (point: P) => boolean;
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
function valuesFunction<P, V, D>(
  values: fc.Arbitrary<V>,
  key: (point: P) => string,
): fc.Arbitrary<DomainFunction<P, V, D>> {
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
function normalize<P, V, D>(s: LawSubject<P, V, D>): Subject<P, V, D> {
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
  if (s.points !== undefined && !isArbitrary(s.points) && typeof s.points !== 'function') {
    badSubject(
      s,
      `points must be a fast-check arbitrary of points or a function of the domain giving one, got ${show(s.points)}`,
    );
  }
  if (s.domains !== undefined && !isArbitrary(s.domains)) {
    badSubject(
      s,
      `domains must be a fast-check arbitrary of domains (such as intervalArbitrary()), got ${show(s.domains)}`,
    );
  }
  if (s.scales !== undefined && !isArbitrary(s.scales)) {
    badSubject(
      s,
      `scales must be a fast-check arbitrary of numbers (such as valueScaleArbitrary()), got ${show(s.scales)}`,
    );
  }
  if (s.scaleValue !== undefined && typeof s.scaleValue !== 'function') {
    badSubject(
      s,
      `scaleValue must be a function (value, scale) => value, got ${show(s.scaleValue)}`,
    );
  }
  if (s.progressAsks !== undefined && typeof s.progressAsks !== 'function') {
    badSubject(
      s,
      `progressAsks must be a function (npoints) => number, got ${show(s.progressAsks)}`,
    );
  }
  if (s.lossInValueUnits !== undefined && typeof s.lossInValueUnits !== 'boolean') {
    badSubject(s, `lossInValueUnits must be a boolean, got ${show(s.lossInValueUnits)}`);
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
  const points = s.points;
  return {
    name: s.name,
    make: s.make,
    domains: s.domains,
    scales: s.scales,
    scale: s.scaleValue ?? scaleValue,
    lossInValueUnits: s.lossInValueUnits ?? false,
    fixed: typeof f === 'function' ? f : undefined,
    drawn:
      values !== undefined
        ? valuesFunction<P, V, D>(values, key)
        : typeof f === 'function'
          ? undefined
          : (f as fc.Arbitrary<DomainFunction<P, V, D>>),
    inDomain: s.inDomain,
    key,
    tol,
    points:
      points === undefined
        ? undefined
        : isArbitrary(points)
          ? () => points as fc.Arbitrary<P>
          : (points as (domain: D) => fc.Arbitrary<P>),
    pointsOfDomain: points !== undefined && !isArbitrary(points),
    inject: s.injectNonFinite ?? injectNonFinite,
    progressAsks: s.progressAsks ?? ((npoints) => 4 * npoints + 50),
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
function playOptions<P, V, D>(
  s: Subject<P, V, D>,
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

function historyOf<P, V, D>(s: Subject<P, V, D>, domain: D): fc.Arbitrary<HistoryStep<P>[]> {
  return s.points === undefined
    ? historyArbitrary<P>({ nonFinite: s.inject !== false })
    : historyArbitrary<P>({ nonFinite: s.inject !== false, points: s.points(domain) });
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
 * from. Each run draws the domain and the law's input for it (`inputOf(domain)`; the input
 * after the domain, so shrinking simplifies both), the value scale, and the function when
 * the subject does not give a plain one; the check gets the run's {@link World}.
 */
function prop<P, V, D, T>(
  law: LawName,
  s: Subject<P, V, D>,
  inputOf: (domain: D) => fc.Arbitrary<T>,
  check: (input: T, world: World<P, V, D>) => void,
): Property {
  const guarded = ([domain, input]: [D, T], scale: number, g: DomainFunction<P, V, D>): void => {
    at('');
    try {
      const base: PointFunction<P, V> = (p) => g(p, domain);
      const world: World<P, V, D> = {
        domain,
        scale,
        base,
        f: scale === 1 ? base : (p) => s.scale(base(p), scale),
        make: () => s.make(domain),
        inDomain: (p) => s.inDomain(p, domain),
      };
      check(input, world);
    } catch (e) {
      if (e instanceof Breach) throw new Breach(`${law}: ${e.message}`);
      if (e instanceof fc.PreconditionFailure || (e as Error)?.name === 'PreconditionFailure') {
        throw e;
      }
      const what =
        e instanceof Error
          ? `the learner threw ${e.name}: ${e.message}`
          : `the learner threw ${show(e)}`;
      throw new Breach(`${law}: ${location === '' ? what : `${location}, ${what}`}`, { cause: e });
    }
  };
  const domains: fc.Arbitrary<D> = s.domains ?? fc.constant(undefined as D);
  const domainAndInput: fc.Arbitrary<[D, T]> = s.pointsOfDomain
    ? domains.chain((d) => inputOf(d).map((input): [D, T] => [d, input]))
    : fc.tuple(domains, inputOf(undefined as D));
  const scales = s.scales ?? fc.constant(1);
  const { fixed, drawn } = s;
  const property =
    fixed !== undefined
      ? fc.property(domainAndInput, scales, (di, scale) => guarded(di, scale, fixed))
      : fc.property(
          domainAndInput,
          scales,
          drawn as fc.Arbitrary<DomainFunction<P, V, D>>,
          guarded,
        );
  return property as unknown as Property;
}

const LAWS: { [L in LawName]: <P, V, D>(s: Subject<P, V, D>) => Property } = {
  askZero: (s) =>
    prop(
      'askZero',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
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
      },
    ),

  inDomain: (s) =>
    prop(
      'inDomain',
      s,
      (d) => historyOf(s, d),
      (history, { f, make, inDomain }) => {
        const learner = make();
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            onAsk: (result, step) => {
              for (const p of result.points) {
                if (!inDomain(p)) {
                  fail(
                    `${askCall(step.n, step.tellPending)} handed out ${show(p)}, outside the domain`,
                  );
                }
              }
            },
          }),
        );
      },
    ),

  noDuplicatePending: (s) =>
    prop(
      'noDuplicatePending',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
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
                if (trace.told.has(k))
                  fail(`${call} handed out ${show(p)}, which was already told`);
                seen.add(k);
              }
            },
          }),
        );
      },
    ),

  pendingPointsTracked: <P, V, D>(s: Subject<P, V, D>) =>
    prop(
      'pendingPointsTracked',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
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
      },
    ),

  askWithoutPendingIsPure: (s) =>
    prop(
      'askWithoutPendingIsPure',
      s,
      (d) => fc.record({ history: historyOf(s, d), n: askSize }),
      ({ history, n }, { f, make }) => {
        const learner = make();
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
      (d) =>
        fc.record({
          history: historyOf(s, d),
          orderA: sortKeys,
          orderB: sortKeys,
          chunks: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        }),
      ({ history, orderA, orderB, chunks }, { f, make }) => {
        const source = make();
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
          const learner = make();
          for (const { point, value } of seq) learner.tell(point, value);
          add(route, learner);
        }
        at('with the data told in one tellMany');
        const batch = make();
        batch.tellMany(
          data.map((d) => d.point),
          data.map((d) => d.value),
        );
        add('told in one tellMany', batch);
        at('with the data told in tellMany chunks');
        const chunked = make();
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
      (d) =>
        fc.record({ history: historyOf(s, d), order: sortKeys, batch: fc.boolean(), n: askSize }),
      ({ history, order, batch, n }, { f, make }) => {
        const learner = make();
        const control = make();
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
      (d) => fc.record({ history: historyOf(s, d), n: askSize }),
      ({ history, n }, { f, make }) => {
        const learner = make();
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
        const copy = make();
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
      (d) => fc.record({ history: historyOf(s, d), every: maybeEveryValue }),
      ({ history, every }, { f, make }) => {
        const learner = make();
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
      (d) => fc.record({ history: historyOf(s, d), every: maybeEveryValue }),
      ({ history, every }, { f, make }) => {
        const learner = make();
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
      () =>
        fc.record({
          // Runs of real values and runs of one non-finite value (a function that is NaN or
          // infinite on a stretch), 50 to 200 steps in all.
          runs: fc.array(
            fc.record({
              length: fc.integer({ min: 1, max: 12 }),
              value: fc.oneof(
                { withCrossShrink: true },
                { arbitrary: fc.constant(null), weight: 3 },
                { arbitrary: nonFiniteArbitrary(), weight: 2 },
              ),
            }),
            { minLength: 2, maxLength: 30 },
          ),
          every: maybeEveryValue,
        }),
      ({ runs, every }, { f, make }) => {
        const steps = runs.flatMap((r) => Array.from({ length: r.length }, () => r.value));
        while (steps.length < 50) steps.push(...steps);
        const learner = make();
        let last: unknown = 'nothing';
        for (const [i, nonFinite] of steps.slice(0, 200).entries()) {
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

  askedPointsAccepted: (s) =>
    prop(
      'askedPointsAccepted',
      s,
      (d) => fc.record({ history: historyOf(s, d), n: askSize, batch: fc.boolean() }),
      ({ history, n, batch }, { f, make, inDomain }) => {
        const learner = make();
        const check = (points: readonly unknown[], call: string) => {
          for (const p of points) {
            if (!inDomain(p as never)) fail(`${call} handed out ${show(p)}, outside the domain`);
          }
        };
        const trace = runHistory(
          learner,
          history,
          playOptions(s, f, {
            onAsk: (result, step) => check(result.points, askCall(step.n, step.tellPending)),
          }),
        );
        at('after the history');
        const outstanding = new Set(trace.outstanding.map(s.key));
        const r = askChecked(learner, n, true);
        check(r.points, askCall(n, true));
        const fresh = r.points.filter(
          (p) => !outstanding.has(s.key(p)) && !trace.told.has(s.key(p)),
        );
        const before = learner.npoints;
        const snapBefore = JSON.stringify(learner.snapshot());
        at(
          `telling the ${r.points.length} points of ${askCall(n, true)} ${batch ? 'in one tellMany' : 'one by one'}`,
        );
        if (batch) {
          if (r.points.length > 0) learner.tellMany(r.points, r.points.map(f));
        } else {
          for (const p of r.points) learner.tell(p, f(p));
        }
        if (learner.npoints < before || (fresh.length > 0 && learner.npoints === 0)) {
          fail(
            `telling the ${fresh.length} new points ${show(r.points)} handed out by ${askCall(n, true)} took npoints from ${before} to ${learner.npoints}`,
          );
        }
        if (fresh.length > 0 && JSON.stringify(learner.snapshot()) === snapBefore) {
          fail(
            `telling the ${fresh.length} new points ${show(fresh)} handed out by ${askCall(n, true)} left the snapshot as it was: the learner did not take them in`,
          );
        }
        const told = new Set(r.points.map(s.key));
        const still = learner.pendingPoints.filter((p) => told.has(s.key(p)));
        if (still.length > 0) fail(`${show(still)} are still pending after being told`);
      },
    ),

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

  makesProgress: (s) =>
    prop(
      'makesProgress',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
        const trace = runHistory(learner, history, playOptions(s, f));
        // Real values from here on: a learner of averages cannot converge on NaN samples
        // (nonFiniteNeverHangs covers asking on through them).
        const valueAt = f;
        at('telling the outstanding points');
        for (const p of trace.outstanding) learner.tell(p, valueAt(p));
        const start = { loss: learner.loss(), done: learner.done?.() ?? false };
        // Done, or a loss of 0: nothing left to gain.
        if (start.done || start.loss === 0) return;
        const limit = s.progressAsks(learner.npoints);
        const asked: (typeof trace.outstanding)[number][] = [];
        for (let i = 0; i < limit; i++) {
          at(`in progress ask ${i}`);
          const r = askChecked(learner, 1, true);
          if (r.points.length === 0) {
            fail(
              `ask(1) returned no point after ${i} progress asks although the learner is not done`,
            );
          }
          const p = r.points[0]!;
          if (asked.length < 8) asked.push(p);
          learner.tell(p, valueAt(p));
          const loss = learner.loss();
          if ((learner.done?.() ?? false) || !Object.is(loss, start.loss) || loss === 0) return;
        }
        fail(
          `after ${limit} asks (each told at once) loss() is still ${start.loss} and done() still false; the first points asked: ${show(asked)}`,
        );
      },
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

/**
 * The fast-check property of one law for a subject, to run with your own `fc.assert` or
 * `fc.check` (`@fast-check/vitest` users: `fc.assert(lawProperty(subject, 'inDomain'))`).
 * A failing run throws an error whose message starts with the law's name (fast-check keeps
 * it as the `cause` of its report); {@link checkLearnerLaws} adds the replay details.
 * fast-check's counterexample is `[[domain, input], scale]` (the domain `undefined` and the
 * scale 1 when the subject draws none), and `[[domain, input], scale, f]` with `values` or an
 * arbitrary as `f` (the function drawn for the run). Throws a TypeError when the
 * subject is malformed (see {@link LawSubject}).
 *
 * @example
 * fc.assert(lawProperty(subject, 'retellIsNoop'), { seed: 1, numRuns: 20 });
 * // passes, or throws fast-check's report
 */
export function lawProperty<P, V, D = undefined>(
  subject: LawSubject<P, V, D>,
  law: LawName,
): fc.IProperty<[never]> {
  const build = LAWS[law];
  if (build === undefined) throw new RangeError(`lawProperty: unknown law ${show(law)}`);
  return build(normalize(subject));
}

/** Checks the options of {@link checkLearnerLaws}; throws a TypeError or RangeError naming the problem. */
function checkOptions(options: LawOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `checkLearnerLaws: options must be an object { numRuns, seed, path, laws, skip }, got ${show(options)}`,
    );
  }
  const { numRuns, seed, path, laws, skip } = options;
  if (numRuns !== undefined && !(Number.isSafeInteger(numRuns) && numRuns >= 1)) {
    throw new RangeError(
      `checkLearnerLaws: numRuns must be an integer ≥ 1 (runs per law), got ${show(numRuns)}`,
    );
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new RangeError(`checkLearnerLaws: seed must be an integer, got ${show(seed)}`);
  }
  if (path !== undefined && (typeof path !== 'string' || !/^\d+(:\d+)*$/.test(path))) {
    throw new RangeError(
      `checkLearnerLaws: path must be a replay path printed by a failure, such as "3:1:0", got ${show(path)}`,
    );
  }
  for (const [name, list] of [
    ['laws', laws],
    ['skip', skip],
  ] as const) {
    if (list !== undefined && !Array.isArray(list)) {
      throw new TypeError(
        `checkLearnerLaws: ${name} must be an array of law names, got ${show(list)}`,
      );
    }
  }
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
export function checkLearnerLaws<P, V, D = undefined>(
  subject: LawSubject<P, V, D>,
  options: LawOptions = {},
): void {
  const s = normalize(subject);
  checkOptions(options);
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
    // [[domain, the law's input], scale] or, with a drawn function, [[domain, input], scale, f]
    const example = details.counterexample as readonly unknown[] | null;
    const [domain, input] = (example?.[0] as [unknown, unknown] | undefined) ?? [];
    const what =
      details.counterexamplePath === null
        ? details.interrupted
          ? 'the check was interrupted before a counterexample'
          : `${details.numSkips} of ${details.numRuns + details.numSkips} runs were skipped because their values were not representable at both scales compared (over or underflow); give the subject values or scales that stay within the doubles`
        : describeError(details.errorInstance, law);
    const lines = [
      `Learner law "${law}" failed for ${s.name}: ${what}`,
      `  law: ${LAW_DESCRIPTIONS[law]}`,
      `  seed: ${details.seed}, path: "${details.counterexamplePath ?? ''}" (failed after ${details.numRuns} runs, shrunk ${details.numShrinks} times)`,
      ...(s.domains === undefined ? [] : [`  domain: ${show(domain, 2000)}`]),
      ...(s.scales === undefined ? [] : [`  value scale: ${show(example?.[1])}`]),
      `  counterexample: ${show(input, 2000)}`,
      ...(s.drawn === undefined
        ? []
        : [`  f drawn: ${show(example?.[2], 2000).replaceAll('\n', '\n    ')}`]),
      `  replay: checkLearnerLaws(subject, { laws: ['${law}'], seed: ${details.seed}, path: "${details.counterexamplePath ?? ''}" })`,
    ];
    throw new LawViolation(lines.join('\n'), {
      law,
      subject: s.name,
      seed: details.seed,
      path: details.counterexamplePath,
      counterexample: input,
      domain,
      scale: example?.[1] as number | undefined,
      f: s.drawn === undefined ? undefined : example?.[2],
      cause:
        details.errorInstance instanceof Breach && details.errorInstance.cause !== undefined
          ? details.errorInstance.cause
          : details.errorInstance,
    });
  }
}
