// Regression tests of issue 13 ("Trust at the edges") for IntegratorLearner: bounds where
// rounding puts nodes outside, bounds too wide or too narrow for float, integrands with no
// finite value, and divergence.
import { describe, expect, it } from 'vitest';
import { DivergentIntegralError, IntegratorLearner } from '../../src/learners/integrator.js';
import { interpolationCoefficients } from '../../src/learners/integrator-coeffs.js';
import { run as runAsync } from '../../src/runner/runner.js';
import { runSync } from '../../src/runner/sync.js';

/** Runs serially (ask(k), tell) until done or `max` points; returns the learner. */
function run(
  bounds: [number, number],
  tol: number,
  f: (x: number) => number,
  max = 5000,
  k = 1,
): IntegratorLearner {
  const l = new IntegratorLearner({ bounds, tol });
  while (!l.done() && l.npoints < max) {
    const { points } = l.ask(k);
    if (points.length === 0) break;
    for (const x of points) l.tell(x, f(x));
  }
  return l;
}

describe('IntegratorLearner at the edges (issue 13)', () => {
  it('bounds [0.1, 1], tol 1e-10, sin(1/x): every asked point is accepted by tell', () => {
    const l = new IntegratorLearner({ bounds: [0.1, 1], tol: 1e-10 });
    let n = 0;
    while (!l.done() && n < 3000) {
      for (const x of l.ask(1).points) {
        expect(x >= 0.1 && x <= 1).toBe(true);
        l.tell(x, Math.sin(1 / x)); // threw "outside the bounds" for 0.09999999999999998
        n++;
      }
    }
    expect(l.done()).toBe(true);
    // ∫_0.1^1 sin(1/x) dx = [x sin(1/x)]... (Ci): 0.5130127..., as mpmath gives.
    expect(l.igral).toBeCloseTo(0.51301273999, 9);
    l.checkValid();
  });

  it('random bounds: every asked point lies inside them and is accepted by tell', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let t = 0; t < 60; t++) {
      const a = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 10);
      const b = a + Math.abs(a) * 10 ** -(rnd() * 8) + 1e-300;
      let l: IntegratorLearner;
      try {
        l = new IntegratorLearner({ bounds: [a, b], tol: 1e-10 });
      } catch (e) {
        expect((e as Error).message).toMatch(/too few representable numbers/);
        continue;
      }
      for (let i = 0; i < 150 && !l.done(); i++) {
        for (const x of l.ask(i % 3 === 0 ? 5 : 1).points) {
          expect(x >= a && x <= b).toBe(true);
          l.tell(x, Math.sin(1 / x));
        }
      }
    }
  });

  it('f = NaN or ±Infinity everywhere: igral and err NaN, never converged to 0 ± 0', () => {
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const l = run([0, 1], 1e-8, () => v);
      expect(l.igral).toBeNaN();
      expect(l.err).toBeNaN();
      expect(l.loss()).toBe(Number.POSITIVE_INFINITY);
      l.checkValid();
    }
  });

  it('f = x > 0.5 ? Infinity : 1 on [0, 1]: igral NaN, never a finite-looking answer (was: igral 1 and done())', () => {
    for (const k of [1, 7]) {
      const l = run([0, 1], 1e-8, (x) => (x > 0.5 ? Number.POSITIVE_INFINITY : 1), 5000, k);
      expect(l.igral).toBeNaN();
      expect(l.err).toBeNaN();
      expect(l.loss()).toBe(Number.POSITIVE_INFINITY);
      // The piece where f is not finite is the interval that says so.
      const unknown = l.approximatingIntervals().filter((iv) => Number.isNaN(iv.igral));
      expect(unknown.length).toBeGreaterThan(0);
      for (const iv of unknown) expect(iv.b > 0.5).toBe(true);
      l.checkValid();
    }
  });

  it('f = NaN on half of [0, 1], or -Infinity on (0, 1) of [-1, 2]: igral NaN (was: the integral of the finite part, 3 on [-1, 2])', () => {
    expect(run([0, 1], 1e-8, (x) => (x < 0.5 ? Number.NaN : x)).igral).toBeNaN();
    const l = run([-1, 2], 1e-8, (x) => (x > 0 && x < 1 ? Number.NEGATIVE_INFINITY : 1));
    expect(l.igral).toBeNaN();
    l.checkValid();
  });

  it('1/√x with f(0) = Infinity, and 1 with f(0) = Infinity inside: one infinite value is down-dated, igral to the tolerance (Gonnet; python-adaptive`s test_one_with_nan)', () => {
    const a = run([0, 1], 1e-8, (x) => (x === 0 ? Number.POSITIVE_INFINITY : 1 / Math.sqrt(x)));
    expect(a.done()).toBe(true);
    expect(Math.abs(a.igral - 2)).toBeLessThan(1e-7);
    const b = run([-1, 1], 1e-10, (x) => (x === 0 ? Number.POSITIVE_INFINITY : 1));
    expect(b.done()).toBe(true);
    expect(b.igral).toBeCloseTo(2, 12);
  });

  it('f not finite on a piece, with no goal but done(): the run ends with igral NaN (a loop on done() never hangs)', () => {
    for (const f of [
      (x: number) => (x > 0.5 ? Number.POSITIVE_INFINITY : 1),
      () => Number.NaN,
      (x: number) => (x < 0.25 ? Number.NEGATIVE_INFINITY : Math.cos(x)),
    ]) {
      const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
      const r = runSync(l, f, { goal: (x) => x.done(), npointsGoal: 50_000 });
      expect(r.reason).not.toBe('npointsGoal');
      expect(l.done()).toBe(true);
      expect(l.igral).toBeNaN();
      expect(l.err).toBeNaN();
      l.checkValid();
    }
  });

  it('an integrand NaN everywhere: the run ends as done with igral NaN, or on maxConsecutiveFailures when f throws', async () => {
    const a = runSync(new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 }), () => Number.NaN, {
      npointsGoal: 500,
    });
    expect(a.reason).toBe('done');
    expect(a.npoints).toBeLessThan(500);
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const b = await runAsync(
      l,
      () => {
        throw new Error('no value here');
      },
      { goal: (x) => x.done(), raiseIfRetriesExceeded: false, maxConsecutiveFailures: 50 },
    );
    expect(b.reason).toBe('consecutiveFailures');
  });

  it('poles at a node of non-dyadic bounds: DivergentIntegralError, never done() with a finite igral (was: 1/(x − c)² done with igral 1e16 ± 3e17)', () => {
    // c is the midpoint of the bounds, a node of every rule: f(c) = Infinity. An end node of
    // the narrow intervals next to c rounds to c ± 1 ulp, where f is 1/ulp², so the estimate
    // stopped doubling and done() came true through the excess of intervals float cannot split.
    const cases: [number, number][] = [
      [1.1551877046726589, 1.2850639213598634],
      [-4.987108819180684, -1.6460708040632637],
      [1.792116000685895, 4.348927764603369],
      [0.07778042698175613, 1.2155985681738692],
    ];
    const poles = [
      (d: number) => 1 / (d * d),
      (d: number) => Math.abs(d) ** -1.5,
      (d: number) => 1 / d,
      (d: number) => -1 / Math.abs(d),
    ];
    for (const [a, b] of cases) {
      const sorted = new IntegratorLearner({ bounds: [a, b], tol: 1e-8 })
        .ask(33)
        .points.sort((p, q) => p - q);
      const c = sorted[16] as number;
      for (const g of poles) {
        const l = new IntegratorLearner({ bounds: [a, b], tol: 1e-8 });
        let err: unknown;
        try {
          while (!l.done() && l.npoints < 20_000) {
            for (const x of l.ask(1).points) l.tell(x, g(x - c));
          }
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(DivergentIntegralError);
        expect(l.done()).toBe(false);
        const [lo, hi] = l.divergentInterval as [number, number];
        expect(lo <= c && c <= hi).toBe(true);
        expect(() => l.ask(1)).toThrow(DivergentIntegralError);
        l.checkValid();
      }
    }
  });

  it('f = x === 0.5 ? Infinity : 1 is down-dated (the integral of the rest), while 1/(x − 0.5) with the node 0.5 sampled diverges', () => {
    const spike = run([0, 1], 1e-8, (x) => (x === 0.5 ? Number.POSITIVE_INFINITY : 1));
    expect(spike.done()).toBe(true);
    expect(spike.igral).toBeCloseTo(1, 14);
    expect(spike.toRecords().find((r) => r.x === 0.5)?.y).toBe(Number.POSITIVE_INFINITY);
    for (const g of [
      (d: number) => 1 / d,
      (d: number) => 1 / Math.abs(d),
      (d: number) => 1 / (d * d),
    ]) {
      expect(() => run([0, 1], 1e-8, (x) => g(x - 0.5), 20_000)).toThrow(DivergentIntegralError);
    }
  });

  it('f = 1 on [0, Number.MAX_VALUE]: igral finite, MAX_VALUE to the tolerance (was: Infinity)', () => {
    for (const k of [1, 33]) {
      const l = run([0, Number.MAX_VALUE], 1e-8, () => 1, 5000, k);
      expect(l.done()).toBe(true);
      expect(Number.isFinite(l.igral)).toBe(true);
      expect(Math.abs(l.igral - Number.MAX_VALUE) / Number.MAX_VALUE).toBeLessThan(1e-8);
    }
  });

  it('bounds [1e15, 1e15 + 1]: the constructor says they hold too few numbers (was: igral 0)', () => {
    expect(() => new IntegratorLearner({ bounds: [1e15, 1e15 + 1], tol: 1e-8 })).toThrow(
      /the bounds \[1000000000000000, 1000000000000001\] hold too few representable numbers for the 33 nodes/,
    );
    // Wide enough for the rule: the integral of 1 is the width.
    const l = run([1e15, 1e15 + 1e4], 1e-8, () => 1);
    expect(l.done()).toBe(true);
    expect(l.igral).toBeCloseTo(1e4, 6);
  });

  it('bounds [-1e308, 1e308]: the constructor says the width overflows', () => {
    expect(() => new IntegratorLearner({ bounds: [-1e308, 1e308], tol: 1e-8 })).toThrow(
      /width of the bounds \[-1e\+308, 1e\+308\] overflows/,
    );
  });

  it('bounds [1e308, 1.7e308] (a + b overflows): finite nodes, igral = width', () => {
    const l = run([1e308, 1.7e308], 1e-8, () => 1);
    expect(l.done()).toBe(true);
    expect(l.igral / 0.7e308).toBeCloseTo(1, 12);
    for (const r of l.toRecords()) expect(Number.isFinite(r.x)).toBe(true);
  });

  it('1/x on [0, 1] raises a DivergentIntegralError (python-adaptive never does: its ratio test is > 2)', () => {
    let err: unknown;
    let n = 0;
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    try {
      while (n < 5000) {
        for (const x of l.ask(1).points) {
          n++;
          l.tell(x, 1 / x);
        }
      }
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergentIntegralError);
    expect((err as DivergentIntegralError).interval[0]).toBe(0);
    expect(n).toBeLessThan(1000);
    expect(() => l.ask(1)).toThrow(DivergentIntegralError);
  });

  it('integrable singularities are not called divergent: 1/sqrt(x), log(x), x^-0.9', () => {
    expect(run([0, 1], 1e-8, (x) => 1 / Math.sqrt(x), 20000).igral).toBeCloseTo(2, 6);
    expect(run([0, 1], 1e-8, (x) => Math.log(x), 20000).igral).toBeCloseTo(-1, 6);
    const l = run([0, 1], 1e-6, (x) => x ** -0.9, 20000);
    expect(l.divergentInterval).toBeNull();
  });

  it('±MAX_VALUE values: igral and err finite, never NaN (was: igral NaN)', () => {
    const M = Number.MAX_VALUE;
    const step = run([0, 1], 1e-8, (x) => (x < 0.5 ? M : -M), 20000);
    expect(step.done()).toBe(true);
    expect(Number.isFinite(step.igral)).toBe(true);
    expect(Number.isFinite(step.err)).toBe(true);
    expect(Math.abs(step.igral)).toBeLessThanOrEqual(step.err); // the true integral, 0, is within err
    const flat = run([0, 1], 1e-8, () => M);
    expect(flat.igral).toBe(M);
    const half = run([0, 0.5], 1e-8, () => -M);
    expect(half.igral / (-M / 2)).toBeCloseTo(1, 14);
  });

  it('values near ±MAX_VALUE ask the points and give the estimates of values at scale 1, times the scale', () => {
    const f = (x: number): number => Math.exp(-x * x) * Math.cos(3 * x);
    const unit = run([0, 2], 1e-10, f, 400);
    const huge = run([0, 2], 1e-10, (x) => f(x) * 2 ** 1020, 400);
    expect(huge.toRecords().map((r) => r.x)).toEqual(unit.toRecords().map((r) => r.x));
    expect(huge.igral).toBe(unit.igral * 2 ** 1020);
    // The error's norm is computed by another branch when squares overflow: the last bit may differ.
    expect(huge.err / (unit.err * 2 ** 1020)).toBeCloseTo(1, 13);
    // A snapshot of the scaled learner restores to the same state and asks the same points.
    const copy = new IntegratorLearner({ bounds: [0, 2], tol: 1e-10 });
    copy.restore(JSON.parse(JSON.stringify(huge.snapshot())));
    expect(copy.igral).toBe(huge.igral);
    expect(copy.ask(5, { tellPending: false })).toEqual(huge.ask(5, { tellPending: false }));
    copy.checkValid();
  });

  it('ask(1e9) is a RangeError naming the limit, the learner unchanged', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const before = JSON.stringify(l.snapshot());
    expect(() => l.ask(1e9)).toThrow(/more than the 16777216 \(2\^24\) this learner holds/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });
});

describe('IntegratorLearner.restore trusts nothing it can recompute (issue 13)', () => {
  type Iv = { igral: unknown; c: unknown[] | null; a: unknown; children: number[] };
  function snap(): Record<string, unknown> {
    const l = run([0, 2], 1e-10, (x) => Math.exp(-x * x), 200);
    return JSON.parse(JSON.stringify(l.snapshot()));
  }
  it.each([
    [
      'an estimate its values do not give',
      (s: Record<string, unknown>) => {
        const iv = (s.intervals as Iv[]).find((v) => v.c !== null && v.children.length === 0) as Iv;
        iv.igral = 123;
      },
      /igral = 123, its values give/,
    ],
    [
      'coefficients its values do not give',
      (s: Record<string, unknown>) => {
        const iv = (s.intervals as Iv[]).find((v) => v.c !== null) as Iv;
        (iv.c as unknown[])[3] = 0.5;
      },
      /c\[3\] = 0.5, its values give/,
    ],
    [
      'a value that does not give the stored estimates',
      (s: Record<string, unknown>) => {
        (s.y as unknown[])[5] = 1e6;
      },
      /its values give/,
    ],
    [
      'a point outside the bounds',
      (s: Record<string, unknown>) => {
        (s.x as unknown[])[3] = 7;
      },
      /x\[3\] = 7 is outside the bounds/,
    ],
  ])('refuses %s, the learner unchanged', (_what, spoil, error) => {
    const s = snap();
    spoil(s);
    const l = run([0, 2], 1e-10, (x) => Math.exp(-x * x), 40);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.restore(s as never)).toThrow(error);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.checkValid();
  });
});

// Issue 13, found by scaleRobust (seed 20260610) and makesProgress on random bounds.
describe('IntegratorLearner: values and integrals near Number.MAX_VALUE', () => {
  it('f × 1e300 with NaN values: the down-dated interpolant does not overflow into NaN', () => {
    const xs = Array.from({ length: 33 }, (_, i) => Math.cos((Math.PI * i) / 32));
    const fx = xs.map((x) => Math.exp(x) * Math.sin(3 * x) + Math.tanh(20 * (x - 0.3)));
    for (const i of [1, 3, 5, 28, 31]) fx[i] = Number.NaN;
    const unit = interpolationCoefficients(fx, 3);
    // 2^996: exact, so the coefficients are those at scale 1 times 2^996, bit for bit.
    const big = interpolationCoefficients(
      fx.map((y) => y * 2 ** 996),
      3,
    );
    expect([...big]).toEqual([...unit].map((c) => c * 2 ** 996));
  });

  it('an integral past Number.MAX_VALUE: igral is Infinity, but the loss is finite and moves', () => {
    // bounds [0, 1e236], values up to 8e73: the integral is about 5e309.
    const l = new IntegratorLearner({ bounds: [0, 1e236], tol: 1e-8 });
    const g = (x: number): number => 4e73 * (1 + Math.tanh(20 * (x / 1e236 - 0.3)));
    const losses = new Set<number>();
    for (let i = 0; i < 300 && !l.done(); i++) {
      const x = l.ask(1).points[0] as number;
      l.tell(x, g(x));
      losses.add(l.loss());
    }
    expect(l.igral).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(l.loss())).toBe(true);
    expect([...losses].filter(Number.isFinite).length).toBeGreaterThan(3);
  });
});
