import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Learner } from '../../src/learners/types.js';
import {
  checkLearnerLaws,
  DEFAULT_SEED,
  describeDifference,
  historyArbitrary,
  injectNonFinite,
  jsonSafetyProblem,
  LAW_DESCRIPTIONS,
  LAW_NAMES,
  type LawName,
  type LawSubject,
  LawViolation,
  lawProperty,
  pointKey,
  runHistory,
  sameNumber,
} from '../../src/testing/index.js';
import {
  CoarseTellToy,
  CountingToy,
  DuplicatingToy,
  GivesUpOnNaNToy,
  ImpureAskToy,
  LivelockToy,
  LoopsOnNonFiniteToy,
  NaNLossToy,
  NegativeLossToy,
  OrderDependentToy,
  OutOfDomainToy,
  PendingDroppingRestoreToy,
  PendingIgnoringToy,
  PendingLosingToy,
  RawNumberToy,
  RawScaleToy,
  RoundingToy,
  StalePendingToy,
  ToyLearner,
  type ToyValue,
  UncheckedCountToy,
} from './toy-learners.js';

const inUnit = (x: number) => x >= 0 && x <= 1;
const scalar = (x: number): ToyValue => 3 * Math.sin(12 * x) + x + 2;
const vector = (x: number): ToyValue => [Math.sin(7 * x), 2 * Math.cos(3 * x), x];

function toy(
  name: string,
  make: () => Learner<number, ToyValue>,
  extra: Partial<LawSubject<number, ToyValue>> = {},
): LawSubject<number, ToyValue> {
  return { name, make, f: scalar, inDomain: inUnit, ...extra };
}

const correctSubjects: LawSubject<number, ToyValue>[] = [
  toy('ToyLearner', () => new ToyLearner()),
  toy('ToyLearner (vector values)', () => new ToyLearner(), { f: vector }),
  toy('ToyLearner (unrequested data)', () => new ToyLearner(), {
    points: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  toy('ToyLearner (finite values only)', () => new ToyLearner(), { injectNonFinite: false }),
];

describe('the correct toy learner passes every law', () => {
  for (const subject of correctSubjects) {
    it.each(LAW_NAMES)(`${subject.name}: %s`, (law) => {
      checkLearnerLaws(subject, { laws: [law] });
    });
  }
});

/** Runs one law and returns the violation it must throw. */
function violationOf(subject: LawSubject<number, ToyValue>, law: LawName): LawViolation {
  try {
    checkLearnerLaws(subject, { laws: [law] });
  } catch (e) {
    if (e instanceof LawViolation) return e;
    throw e;
  }
  throw new Error(`${subject.name} passed the law ${law}`);
}

const broken: [LawName, string, () => Learner<number, ToyValue>, RegExp][] = [
  ['noDuplicatePending', 'DuplicatingToy', () => new DuplicatingToy(), /still pending/],
  ['inDomain', 'OutOfDomainToy', () => new OutOfDomainToy(), /outside the domain/],
  ['askWithoutPendingIsPure', 'ImpureAskToy', () => new ImpureAskToy(), /changed the learner/],
  ['orderIndependence', 'OrderDependentToy', () => new OrderDependentToy(), /gives loss/],
  ['snapshotRoundTrip', 'PendingLosingToy', () => new PendingLosingToy(), /pendingPoints/],
  ['snapshotRoundTrip', 'RoundingToy', () => new RoundingToy(), /differs/],
  ['snapshotRoundTrip', 'RawNumberToy', () => new RawNumberToy(), /not JSON-safe/],
  ['retellIsNoop', 'CountingToy', () => new CountingToy(), /npoints/],
  ['nonFiniteNeverHangs', 'GivesUpOnNaNToy', () => new GivesUpOnNaNToy(), /returned no points/],
  ['nonFiniteNeverHangs', 'LoopsOnNonFiniteToy', () => new LoopsOnNonFiniteToy(), /stuck/],
  ['lossNotNaN', 'NaNLossToy', () => new NaNLossToy(), /is NaN/],
  ['askZero', 'UncheckedCountToy', () => new UncheckedCountToy(), /RangeError/],
  ['lossNonNegative', 'NegativeLossToy', () => new NegativeLossToy(), /is -\d/],
  ['pendingPointsTracked', 'StalePendingToy', () => new StalePendingToy(), /outstanding/],
  [
    'askedPointsAccepted',
    'CoarseTellToy',
    () => new CoarseTellToy(),
    /did not take them in|npoints from|still pending/,
  ],
  ['scaleInvariant', 'RawScaleToy', () => new RawScaleToy(), /told f × 2\^-?\d+/],
  ['scaleRobust', 'RawScaleToy', () => new RawScaleToy(), /more than rounding apart|loss\(\)/],
  ['makesProgress', 'LivelockToy', () => new LivelockToy(), /is still 1 and done\(\) still false/],
];

describe('the commands of a history reach what the laws alone do not', () => {
  it('tellPendingAt: a learner ignoring tellPending of unasked points breaks pendingPointsTracked', () => {
    const points = fc.double({ min: 0, max: 1, noNaN: true });
    const v = violationOf(
      toy('PendingIgnoringToy', () => new PendingIgnoringToy(), { points }),
      'pendingPointsTracked',
    );
    expect(v.message).toMatch(/tellPendingAt/);
    // Without unrequested points there is no such step, and the toy looks correct.
    checkLearnerLaws(
      toy('PendingIgnoringToy', () => new PendingIgnoringToy()),
      {
        laws: ['pendingPointsTracked'],
      },
    );
  });

  it('restore: a restore that drops the pending points breaks noDuplicatePending mid-history', () => {
    const v = violationOf(
      toy('PendingDroppingRestoreToy', () => new PendingDroppingRestoreToy()),
      'noDuplicatePending',
    );
    expect(v.message).toMatch(/still pending/);
    expect(JSON.stringify(v.counterexample)).toContain('"restore"');
  });
});

describe('each broken toy learner is caught by its law', () => {
  it.each(broken)('%s catches %s', (law, name, make, detail) => {
    const v = violationOf(toy(name, make), law);
    expect(v.law).toBe(law);
    expect(v.subject).toBe(name);
    expect(v.seed).toBe(DEFAULT_SEED);
    expect(v.message).toContain(`Learner law "${law}" failed for ${name}`);
    expect(v.message).toContain(`seed: ${DEFAULT_SEED}`);
    expect(v.message).toContain(`path: "${v.path}"`);
    expect(v.message).toContain('counterexample: ');
    expect(v.message).toContain(LAW_DESCRIPTIONS[law]);
    expect(v.message).toMatch(detail);
  });

  it('replays a failure from the printed seed and path, on the first run', () => {
    const subject = toy('DuplicatingToy', () => new DuplicatingToy());
    const first = violationOf(subject, 'noDuplicatePending');
    let replayed: unknown;
    try {
      checkLearnerLaws(subject, {
        laws: ['noDuplicatePending'],
        seed: first.seed,
        path: first.path ?? '',
      });
    } catch (e) {
      replayed = e;
    }
    expect(replayed).toBeInstanceOf(LawViolation);
    expect((replayed as LawViolation).counterexample).toEqual(first.counterexample);
    expect((replayed as LawViolation).message).toContain('failed after 1 runs');
  });

  it('uses the seed it is given and prints it', () => {
    const v = (() => {
      try {
        checkLearnerLaws(
          toy('NegativeLossToy', () => new NegativeLossToy()),
          {
            laws: ['lossNonNegative'],
            seed: 7,
          },
        );
      } catch (e) {
        return e as LawViolation;
      }
      throw new Error('no violation');
    })();
    expect(v.seed).toBe(7);
    expect(v.message).toContain('seed: 7,');
  });

  it('reports an error thrown by the learner as such', () => {
    const v = violationOf(
      toy('LoopsOnNonFiniteToy', () => new LoopsOnNonFiniteToy()),
      'nonFiniteNeverHangs',
    );
    expect(v.message).toContain('the learner threw Error: LoopsOnNonFiniteToy: stuck');
    expect(v.cause).toBeInstanceOf(Error);
  });

  it('lawProperty runs under a plain fc.assert, its error names the law', () => {
    let caught: unknown;
    try {
      fc.assert(
        lawProperty(
          toy('NegativeLossToy', () => new NegativeLossToy()),
          'lossNonNegative',
        ),
        {
          seed: 3,
        },
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toContain('seed: 3');
    expect(((caught as Error).cause as Error).message).toMatch(/^lossNonNegative: /);
    expect(() => lawProperty(correctSubjects[0]!, 'noSuchLaw' as LawName)).toThrow(RangeError);
  });

  it('skips the laws it is told to skip', () => {
    const subject = toy('NaNLossToy', () => new NaNLossToy());
    expect(() =>
      checkLearnerLaws(subject, { laws: ['lossNotNaN'], skip: ['lossNotNaN'] }),
    ).not.toThrow();
  });
});

describe('checkLearnerLaws options', () => {
  const subject = correctSubjects[0]!;

  it('rejects unknown law names with a RangeError', () => {
    expect(() => checkLearnerLaws(subject, { laws: ['noSuchLaw' as LawName] })).toThrow(RangeError);
    expect(() => checkLearnerLaws(subject, { skip: ['noSuchLaw' as LawName] })).toThrow(RangeError);
  });

  it('rejects a replay path with more than one law', () => {
    expect(() => checkLearnerLaws(subject, { path: '0' })).toThrow(/one law/);
  });

  it('runs every law by default', () => {
    expect(() => checkLearnerLaws(subject, { numRuns: 10 })).not.toThrow();
  });

  // Issue 13: numRuns -1 ran no property and reported "too many skipped values".
  it('numRuns -1 is a RangeError naming numRuns, not "too many skipped values"', () => {
    for (const numRuns of [-1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkLearnerLaws(subject, { numRuns })).toThrow(
        /checkLearnerLaws: numRuns must be an integer ≥ 1/,
      );
    }
    expect(() => checkLearnerLaws(subject, { numRuns: '5' as unknown as number })).toThrow(
      RangeError,
    );
  });

  it('rejects a seed that is not an integer, a malformed path and laws that are not arrays', () => {
    expect(() => checkLearnerLaws(subject, { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => checkLearnerLaws(subject, { laws: ['askZero'], path: 'x' })).toThrow(
      /path must be a replay path/,
    );
    expect(() => checkLearnerLaws(subject, { laws: 'askZero' as unknown as LawName[] })).toThrow(
      /laws must be an array/,
    );
    expect(() => checkLearnerLaws(subject, null as unknown as object)).toThrow(TypeError);
  });
});

describe('domains and value scales', () => {
  // The toy on [a, b] by affine map to its own [0, 1]: points are exact only where the map is,
  // so this subject uses domains whose ends are powers of two apart.
  it('a subject with domains and scales gets them in make, f, inDomain and points, and a failure prints them', () => {
    const seen = { make: 0, f: 0, inDomain: 0, points: 0 };
    const subject: LawSubject<number, ToyValue, [number, number]> = {
      name: 'ToyLearner on [0, 1] (domain drawn, ignored)',
      domains: fc.constantFrom<[number, number]>([0, 1], [0, 2]),
      scales: fc.constantFrom(1, 1e300),
      make: (d) => {
        if (d[0] === 0) seen.make++;
        return new ToyLearner();
      },
      f: (x, d) => {
        if (d !== undefined) seen.f++;
        return scalar(x);
      },
      inDomain: (x, d) => {
        seen.inDomain++;
        return x >= d[0] && x <= d[1];
      },
      points: (d) => {
        seen.points++;
        return fc.double({ min: d[0], max: Math.min(d[1], 1), noNaN: true });
      },
    };
    checkLearnerLaws(subject, { laws: ['inDomain', 'orderIndependence'], numRuns: 20 });
    expect(Math.min(...Object.values(seen))).toBeGreaterThan(0);

    const { points: _, ...withoutPoints } = subject;
    const broken: LawSubject<number, ToyValue, [number, number]> = {
      ...withoutPoints,
      name: 'ToyLearner on [0, 0.5]',
      domains: fc.constant<[number, number]>([0, 0.5]),
    };
    let v: LawViolation | undefined;
    try {
      checkLearnerLaws(broken, { laws: ['inDomain'], numRuns: 20 });
    } catch (e) {
      v = e as LawViolation;
    }
    expect(v).toBeInstanceOf(LawViolation);
    expect(v?.domain).toEqual([0, 0.5]);
    expect(v?.message).toContain('domain: [0,0.5]');
    expect(v?.message).toMatch(/value scale: (1|1e\+300)\b/);
    expect(v?.message).toContain('seed: ');
  });

  it('values are told times the scale drawn', () => {
    const told: number[] = [];
    class Spy extends ToyLearner {
      override tell(x: number, y: ToyValue): void {
        told.push(y as number);
        super.tell(x, y);
      }
    }
    checkLearnerLaws(
      {
        name: 'Spy',
        scales: fc.constant(2 ** 600),
        make: () => new Spy(),
        f: () => 3,
        inDomain: inUnit,
        injectNonFinite: false,
      },
      { laws: ['nonFiniteNeverHangs'], numRuns: 2 },
    );
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((y) => y === 3 * 2 ** 600)).toBe(true);
  });

  it('the scale laws skip runs whose values over- or underflow instead of failing them', () => {
    // 2^k with k > 0 overflows 1e308 and 10^k with k < -15 makes 5e-308 subnormal: those
    // runs are skipped (their values are not representable at both scales), the rest compared.
    for (const [law, f] of [
      ['scaleInvariant', () => 1e308],
      ['scaleRobust', () => 5e-308],
    ] as const) {
      expect(() =>
        checkLearnerLaws(
          {
            name: 'ToyLearner (extreme values)',
            make: () => new ToyLearner(),
            f,
            inDomain: inUnit,
          },
          { laws: [law], numRuns: 50 },
        ),
      ).not.toThrow();
    }
  });
});

describe('building blocks', () => {
  it('pointKey tells non-finite numbers apart and equates -0 with 0', () => {
    expect(pointKey(-0)).toBe(pointKey(0));
    expect(pointKey([0.5, -0])).toBe('[0.5,0]');
    expect(new Set([Number.NaN, Infinity, -Infinity, null].map(pointKey)).size).toBe(4);
    expect(pointKey([1, Number.NaN])).toBe('[1,"NaN"]');
  });

  it('sameNumber: NaN equals NaN, tolerance is relative', () => {
    expect(sameNumber(Number.NaN, Number.NaN)).toBe(true);
    expect(sameNumber(0, -0)).toBe(true);
    expect(sameNumber(Infinity, Infinity)).toBe(true);
    expect(sameNumber(Infinity, -Infinity)).toBe(false);
    expect(sameNumber(Number.NaN, 1)).toBe(false);
    expect(sameNumber(1e6, 1e6 + 1, 1e-6)).toBe(true);
    expect(sameNumber(1, 1 + 1e-9)).toBe(false);
  });

  it('describeDifference names the first difference', () => {
    expect(describeDifference({ a: [1, 2] }, { a: [1, 3] })).toBe('at .a[1]: 2 vs 3');
    expect(describeDifference({ a: 1, b: 2 }, { b: 2, a: 1 })).toBeUndefined();
    expect(describeDifference([1], [1, 2])).toBe('at the top: length 1 vs 2');
    expect(describeDifference({ a: 1 }, { b: 1 })).toBe('at the top: key "a" only in the first');
    expect(describeDifference([Number.NaN], [Number.NaN])).toBeUndefined();
    expect(describeDifference({ x: 'NaN' }, { x: null })).toBe('at .x: "NaN" vs null');
  });

  it('jsonSafetyProblem finds what JSON would lose', () => {
    expect(jsonSafetyProblem({ type: 'T', data: [[0, 'NaN']] })).toBeUndefined();
    expect(jsonSafetyProblem({ data: [[0, Number.NaN]] })).toBe(
      'at .data[0][1]: the number NaN (encode it with encodeNumber)',
    );
    expect(jsonSafetyProblem({ xs: new Float64Array(2) })).toMatch(/Float64Array/);
    expect(jsonSafetyProblem({ f: undefined })).toMatch(/undefined/);
  });

  it('injectNonFinite spoils a number or one component of a vector', () => {
    expect(injectNonFinite(2, Number.NaN, 0)).toBeNaN();
    expect(injectNonFinite([1, 2, 3], Infinity, 4)).toEqual([1, Infinity, 3]);
    const v = [1, 2];
    injectNonFinite(v, Number.NaN, 0);
    expect(v).toEqual([1, 2]);
    expect(injectNonFinite('text', Number.NaN, 0)).toBe('text');
  });

  it('historyArbitrary with runHistory: told values are f, outstanding are pending', () => {
    fc.assert(
      fc.property(historyArbitrary<number>({ nonFinite: false }), (history) => {
        const learner = new ToyLearner();
        const trace = runHistory(learner, history, { f: scalar });
        for (const { point, value } of trace.told.values()) expect(value).toBe(scalar(point));
        expect([...learner.pendingPoints].sort()).toEqual([...trace.outstanding].sort());
        expect(learner.npoints).toBe(trace.told.size);
      }),
      { seed: 1, numRuns: 50 },
    );
  });

  it('runHistory calls the hooks in order and spoils values with everyValue', () => {
    const calls: string[] = [];
    const trace = runHistory(
      new ToyLearner(),
      [
        { kind: 'ask', n: 3, tellPending: true },
        { kind: 'tellMany', picks: [{ index: 1, nonFinite: null }] },
        { kind: 'tell', picks: [{ index: 0, nonFinite: { value: -Infinity, component: 0 } }] },
        { kind: 'removeUnfinished' },
      ],
      {
        f: scalar,
        everyValue: { value: Number.NaN, component: 0 },
        beforeStep: (step) => calls.push(`before ${step.kind}`),
        onAsk: (r) => calls.push(`ask ${r.points.join(',')}`),
        afterStep: (step) => calls.push(`after ${step.kind}`),
      },
    );
    expect(calls).toEqual([
      'before ask',
      'ask 0,1,0.5',
      'after ask',
      'before tellMany',
      'after tellMany',
      'before tell',
      'after tell',
      'before removeUnfinished',
      'after removeUnfinished',
    ]);
    expect([...trace.told.values()]).toEqual([
      { point: 1, value: Number.NaN },
      { point: 0, value: -Infinity },
    ]);
    expect(trace.outstanding).toEqual([]);
  });
});
