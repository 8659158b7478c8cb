/**
 * The subject of the laws: {@link LawSubject} as a user writes it, and `normalize`, which
 * checks it and fills in its defaults (the {@link Subject} the laws work with), and the
 * {@link World} one run of a law works in.
 */

import fc from 'fast-check';
import type { Learner } from '../../learners/types.js';
import { pointKey } from '../compare.js';
import { scaleValue } from '../domains.js';
import { injectNonFinite } from '../history.js';
import { show } from './breach.js';

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

/** A function of the points (and the domain), the values to tell. */
export type PointFunction<P, V> = (point: P) => V;
export type DomainFunction<P, V, D> = (point: P, domain: D) => V;

/** The subject, checked, with its defaults filled in. */
export interface Subject<P, V, D = unknown> {
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
export interface World<P, V, D> {
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
export function isArbitrary(x: unknown): x is fc.Arbitrary<unknown> {
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
export function normalize<P, V, D>(s: LawSubject<P, V, D>): Subject<P, V, D> {
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
