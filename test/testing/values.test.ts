// Subjects that tell random values: `f` as an arbitrary of functions, or `values`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLearnerLaws,
  LAW_NAMES,
  type LawOptions,
  type LawSubject,
  LawViolation,
  lawProperty,
} from '../../src/testing/index.js';
import { NaNLossToy, NegativeDroppingToy, ToyLearner, type ToyValue } from './toy-learners.js';

const inUnit = (x: number) => x >= 0 && x <= 1;
const anyValue = fc.double({ min: -10, max: 10, noNaN: true });

/** Runs the laws and returns the violation they must throw. */
function violationOf(subject: LawSubject<number, ToyValue>, options: LawOptions): LawViolation {
  try {
    checkLearnerLaws(subject, options);
  } catch (e) {
    if (e instanceof LawViolation) return e;
    throw e;
  }
  throw new Error(`${subject.name} passed ${options.laws?.join(', ')}`);
}

/** Constant functions `() => c`, c in -3..3, that print as such (shrinks towards 0). */
const constants = fc
  .integer({ min: -3, max: 3 })
  .map((c) => Object.assign((_x: number): ToyValue => c, { toString: () => `() => ${c}` }));

describe('a subject with random values', () => {
  it('passes every law on the correct toy learner, scalar and vector', () => {
    for (const values of [anyValue, fc.array(anyValue, { minLength: 3, maxLength: 3 })]) {
      const subject: LawSubject<number, ToyValue> = {
        name: 'ToyLearner (random values)',
        make: () => new ToyLearner(),
        values,
        inDomain: inUnit,
        points: fc.double({ min: 0, max: 1, noNaN: true }),
      };
      for (const law of LAW_NAMES) checkLearnerLaws(subject, { laws: [law], numRuns: 50 });
    }
  });

  it('draws one function per run: every learner of a run sees it, runs see others', () => {
    // retellIsNoop plays the history on two learners, each calling f: a function redrawn
    // between them would tell them different data. The events are split into runs at the
    // first make() after an f call.
    const events: (number | 'make')[] = [];
    const slopes = fc.integer({ min: -5, max: 5 }).map((c) =>
      Object.assign(
        (x: number): ToyValue => {
          events.push(c);
          return c * x;
        },
        { toString: () => `(x) => ${c} * x` },
      ),
    );
    checkLearnerLaws(
      {
        name: 'ToyLearner (random slopes)',
        make: () => {
          events.push('make');
          return new ToyLearner();
        },
        f: slopes,
        inDomain: inUnit,
      },
      { laws: ['retellIsNoop'], numRuns: 100 },
    );
    const runs: Set<number>[] = [];
    let last: number | 'make' = 0;
    for (const e of events) {
      if (e === 'make' && last !== 'make') runs.push(new Set());
      if (e !== 'make') runs.at(-1)?.add(e);
      last = e;
    }
    expect(runs.length).toBeGreaterThan(20);
    expect(runs.every((run) => run.size <= 1)).toBe(true);
    expect(new Set(runs.flatMap((run) => [...run])).size).toBeGreaterThan(5);
  });

  it('gives points with the same key the same value (0 and -0)', () => {
    const told: [number, ToyValue][][] = [];
    class Spy extends ToyLearner {
      readonly log: [number, ToyValue][] = [];
      override tell(x: number, y: ToyValue): void {
        this.log.push([x, y]);
        super.tell(x, y);
      }
    }
    checkLearnerLaws(
      {
        name: 'Spy',
        make: () => {
          const spy = new Spy();
          told.push(spy.log);
          return spy;
        },
        values: anyValue,
        inDomain: inUnit,
        points: fc.constantFrom(0, -0),
        injectNonFinite: false,
      },
      { laws: ['inDomain'], numRuns: 100 },
    );
    let both = 0;
    for (const log of told) {
      const zeros = log.filter(([x]) => x === 0);
      if (zeros.some(([x]) => Object.is(x, -0)) && zeros.some(([x]) => Object.is(x, 0))) both++;
      expect(new Set(zeros.map(([, y]) => y)).size).toBeLessThanOrEqual(1);
    }
    expect(both).toBeGreaterThan(0);
  });

  it('still spoils values with NaN and ±Infinity unless injectNonFinite is false', () => {
    const subject: LawSubject<number, ToyValue> = {
      name: 'NaNLossToy (random values)',
      make: () => new NaNLossToy(),
      values: anyValue,
      inDomain: inUnit,
    };
    expect(violationOf(subject, { laws: ['lossNotNaN'] }).message).toMatch(/is NaN/);
    expect(() =>
      checkLearnerLaws({ ...subject, injectNonFinite: false }, { laws: ['lossNotNaN'] }),
    ).not.toThrow();
  });
});

describe('a bug that shows for some values only', () => {
  const base = {
    name: 'NegativeDroppingToy',
    make: () => new NegativeDroppingToy(),
    inDomain: inUnit,
  };

  it('hides from a positive function', () => {
    expect(() => checkLearnerLaws({ ...base, f: () => 1 })).not.toThrow();
    expect(() => checkLearnerLaws({ ...base, f: (x) => 1 + x * x })).not.toThrow();
  });

  it('is caught with values, and the message prints the drawn function with its values', () => {
    const v = violationOf({ ...base, values: anyValue }, { laws: ['snapshotRoundTrip'] });
    expect(v.law).toBe('snapshotRoundTrip');
    expect(v.message).toMatch(/the restored learner differs from the original: npoints/);
    expect(v.message).toContain('  f drawn: (point) => g(key(point)) with g = function(...args)');
    // fast-check lists the calls of the failing run: at least one negative value
    expect(v.message).toMatch(/\/\* \["[^"]+"\] => -[\d.e-]+ \*\//);
    expect(typeof v.f).toBe('function');
    expect(v.message).toContain(fc.stringify(v.f).split('\n')[0]);
  });

  it('is caught with an arbitrary of functions; the shrunk function is printed and replays', () => {
    const subject = { ...base, f: constants };
    const v = violationOf(subject, { laws: ['snapshotRoundTrip'] });
    expect(v.message).toContain('  f drawn: () => -1\n'); // shrunk to the least negative
    expect(String(v.f)).toBe('() => -1');
    const replayed = violationOf(subject, {
      laws: ['snapshotRoundTrip'],
      seed: v.seed,
      path: v.path ?? '',
    });
    expect(replayed.counterexample).toEqual(v.counterexample);
    expect(String(replayed.f)).toBe('() => -1');
    expect(replayed.message).toContain('failed after 1 runs');
  });

  it('a plain f leaves LawViolation.f undefined and prints no drawn function', () => {
    const v = violationOf({ ...base, f: (x) => x - 0.5 }, { laws: ['snapshotRoundTrip'] });
    expect(v.f).toBeUndefined();
    expect(v.message).not.toContain('f drawn');
  });

  it('lawProperty takes the drawn function as the second argument of the property', () => {
    const details = fc.check(lawProperty({ ...base, f: constants }, 'snapshotRoundTrip'), {
      seed: 1,
    });
    expect(details.failed).toBe(true);
    // [[domain, input], value scale, f]
    const example = details.counterexample as unknown as [unknown, unknown, unknown];
    expect(String(example[2])).toBe('() => -1');
  });
});

describe('a malformed subject is refused before any run, with a TypeError naming the problem', () => {
  let made = 0;
  const base = {
    name: 'ToyLearner',
    make: () => {
      made++;
      return new ToyLearner();
    },
    inDomain: inUnit,
  };
  const refused: [string, unknown, RegExp][] = [
    [
      'both f and values',
      { ...base, f: () => 1, values: anyValue },
      /^LawSubject "ToyLearner": gives both f and values; give one: f for a function \(or an arbitrary of functions\), values for an arbitrary of values$/,
    ],
    [
      'neither f nor values',
      base,
      /gives neither f nor values; give f: \(point\) => value, or values/,
    ],
    ['f undefined, values undefined', { ...base, f: undefined, values: undefined }, /neither/],
    [
      'f a number',
      { ...base, f: 42 },
      /f must be a function \(point\) => value or a fast-check arbitrary of such functions, got 42/,
    ],
    [
      'values a plain array',
      { ...base, values: [1, 2] },
      /values must be a fast-check arbitrary of values \(for a function, use f\), got \[1,2\]/,
    ],
    ['values a function', { ...base, values: () => 1 }, /values must be a fast-check arbitrary/],
    ['no make', { ...base, make: undefined, f: () => 1 }, /make must be a function/],
    ['no inDomain', { ...base, inDomain: undefined, f: () => 1 }, /inDomain must be a function/],
    [
      'a name that is not a string',
      { ...base, name: 3, f: () => 1 },
      /^LawSubject: name must be a string/,
    ],
    [
      'points not an arbitrary',
      { ...base, f: () => 1, points: [0.5] },
      /points must be a fast-check arbitrary/,
    ],
    ['key not a function', { ...base, f: () => 1, key: 'x' }, /key must be a function/],
    [
      'injectNonFinite true',
      { ...base, f: () => 1, injectNonFinite: true },
      /injectNonFinite must be a function or false/,
    ],
    ['no object at all', null, /^LawSubject: expected an object/],
  ];

  it.each(refused)('%s', (_what, subject, message) => {
    made = 0;
    const s = subject as LawSubject<number, ToyValue>;
    expect(() => checkLearnerLaws(s)).toThrow(TypeError);
    expect(() => checkLearnerLaws(s)).toThrow(message);
    expect(() => lawProperty(s, 'inDomain')).toThrow(message);
    expect(made).toBe(0);
  });

  it('a negative or non-finite lossTolerance is a RangeError', () => {
    for (const lossTolerance of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkLearnerLaws({ ...base, f: () => 1, lossTolerance })).toThrow(
        /lossTolerance must be a finite number ≥ 0/,
      );
    }
    expect(() => checkLearnerLaws({ ...base, f: () => 1, lossTolerance: -1 })).toThrow(RangeError);
  });
});
