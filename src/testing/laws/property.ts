/**
 * The machinery every law is built from: {@link prop} turns a law's check into a fast-check
 * property over the drawn domain, scale and function; the rest plays histories with shape
 * checks on every ask and compares what two learners show.
 */

import fc from 'fast-check';
import type { AskResult, Learner } from '../../learners/types.js';
import { describeDifference, sameNumber } from '../compare.js';
import {
  type HistoryStep,
  type HistoryTrace,
  historyArbitrary,
  type NonFinite,
  nonFiniteArbitrary,
  type RunHistoryOptions,
} from '../history.js';
import { at, Breach, currentLocation, fail, show } from './breach.js';
import type { LawName } from './names.js';
import type { DomainFunction, PointFunction, Subject, World } from './subject.js';

/** Checks the shape of an ask's result; throws a {@link Breach} naming the call. */
export function checkAskShape<P>(result: AskResult<P>, n: number, call: string): void {
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

/** How an ask reads in a message: `ask(3)` or `ask(3, { tellPending: false })`. */
export function askCall(n: number, tellPending: boolean): string {
  return tellPending ? `ask(${n})` : `ask(${n}, { tellPending: false })`;
}

/** Asks and checks the shape of the result. */
export function askChecked<P, V>(
  learner: Learner<P, V>,
  n: number,
  tellPending: boolean,
): AskResult<P> {
  const result = learner.ask(n, { tellPending });
  checkAskShape(result, n, askCall(n, tellPending));
  return result;
}

/** The options to play a history on a subject's learner, with shape checks on every ask. */
export function playOptions<P, V, D>(
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

/** The histories of a subject's learner on a domain (with its own points when it gives them). */
export function historyOf<P, V, D>(s: Subject<P, V, D>, domain: D): fc.Arbitrary<HistoryStep<P>[]> {
  return s.points === undefined
    ? historyArbitrary<P>({ nonFinite: s.inject !== false })
    : historyArbitrary<P>({ nonFinite: s.inject !== false, points: s.points(domain) });
}

/** Everything observable of a learner, to compare before and after a call. */
export interface Observed {
  snapshot: unknown;
  pending: string[];
  npoints: number;
  loss: number;
  lossPending: number;
}

/** What a learner shows now, to compare with a later observation. */
export function observe<P, V>(learner: Learner<P, V>, key: (p: P) => string): Observed {
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
export function observedDifference(
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
export function askDifference<P>(
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
export function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, i, k: keys[i] ?? 0 }))
    .sort((x, y) => x.k - y.k || x.i - y.i)
    .map((x) => x.item);
}

/** The data a history told: each point with the first value told there, in the order told. */
export function dataOf<P, V>(trace: HistoryTrace<P, V>): { point: P; value: V }[] {
  return [...trace.told.values()].map(({ point, value }) => ({ point, value }));
}

/** Mostly `null` (values as the function gives them), else one non-finite value told everywhere. */
export const maybeEveryValue: fc.Arbitrary<NonFinite | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: nonFiniteArbitrary(), weight: 1 },
);

/** Random sort keys that shuffle up to 128 items; shrinks towards the given order. */
export const sortKeys = fc.array(fc.nat({ max: 1000 }), { maxLength: 128, size: 'max' });
export const askSize = fc.integer({ min: 1, max: 10 });

/** The property of one law (fast-check's, over the drawn domain, input, scale and function). */
export type Property = fc.IProperty<[never]>;

/**
 * A property whose errors are all {@link Breach}es: an error of the learner says where it came
 * from. Each run draws the domain and the law's input for it (`inputOf(domain)`; the input
 * after the domain, so shrinking simplifies both), the value scale, and the function when
 * the subject does not give a plain one; the check gets the run's {@link World}.
 */
export function prop<P, V, D, T>(
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
      throw new Breach(
        `${law}: ${currentLocation() === '' ? what : `${currentLocation()}, ${what}`}`,
        { cause: e },
      );
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

/** Builds the property of one law for a (normalized) subject. */
export type LawBuilder = <P, V, D>(s: Subject<P, V, D>) => Property;

/** The builders of some laws, by name. */
export type LawBuilders<L extends LawName> = { [K in L]: LawBuilder };
