// Ports of python-adaptive's adaptive/tests/test_cquad.py that apply (the reference-value
// tests test_machine_precision2 and test_divergence are in integrator-reference.test.ts),
// plus its behaviours with NaN and repeated tells.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { NS } from '../../src/learners/integrator-coeffs.js';
import { algorithm4, f0, f7, f21, f24 } from './integrator-algorithm4.js';

/** python's run_integrator_learner: n × (ask(1), tell). */
function stepped(f: (x: number) => number, a: number, b: number, tol: number, n: number) {
  const learner = new IntegratorLearner({ bounds: [a, b], tol });
  for (let i = 0; i < n; i++) {
    const { points } = learner.ask(1);
    learner.tellMany(points, points.map(f));
  }
  return learner;
}

/** A seeded Fisher–Yates shuffle (python's random.shuffle stand-in). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 16807) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function contiguous(learner: IntegratorLearner): boolean {
  const ivs = learner.approximatingIntervals();
  return ivs.every((iv, i) => i === 0 || (ivs[i - 1] as { b: number }).b === iv.a);
}

describe('test_cquad.py', () => {
  it('test_choosing_and_adding_points_one_by_one', () => {
    const learner = stepped(f24, 0, 3, 1e-10, 1000);
    expect(learner.npoints).toBe(1000);
    learner.checkValid();
  });

  it('test_choosing_and_adding_multiple_points_at_once', () => {
    const learner = new IntegratorLearner({ bounds: [0, 3], tol: 1e-10 });
    const { points } = learner.ask(100);
    expect(new Set(points).size).toBe(100);
    for (const x of points) learner.tell(x, f24(x));
    expect(learner.npoints).toBe(100);
    expect(learner.pendingPoints).toEqual([]);
    learner.checkValid();
  });

  it('test_adding_points_and_skip_one_point: a late point gives the same integral', () => {
    const learner = new IntegratorLearner({ bounds: [0, 3], tol: 1e-10 });
    const xs = learner.ask(17).points;
    const skip = xs[1] as number;
    for (const x of xs) if (x !== skip) learner.tell(x, f24(x));
    for (let i = 0; i < 1000; i++) {
      for (const x of learner.ask(1).points) if (x !== skip) learner.tell(x, f24(x));
    }
    expect(learner.pendingPoints).toEqual([skip]);
    learner.tell(skip, f24(skip));
    const learner2 = stepped(f24, 0, 3, 1e-10, 1017);
    // python: assert_almost_equal (7 decimals); here exactly.
    expect(learner.igral).toBe(learner2.igral);
    expect(learner.err).toBe(learner2.err);
    learner.checkValid();
  });

  describe.each([
    ['f0', f0, 0, 3],
    ['f21', f21, 0, 1],
    ['f24', f24, 0, 3],
    ['f7', f7, 0, 1],
  ] as const)('test_tell_in_random_order (%s)', (_name, f, a, b) => {
    // python-adaptive marks these xfail (its issue #55); they hold here, and more strictly:
    // shuffled tells give exactly the in-order intervals, igral and err.
    it.each([false, true])('first_add_33 = %s', (first33) => {
      const tol = 1e-10;
      const learners = [true, false].map((shuffle) => {
        const learner = new IntegratorLearner({ bounds: [a, b], tol });
        if (first33) {
          for (const x of learner.ask(33).points) learner.tell(x, f(x));
        }
        let xs = learner.ask(10_000).points;
        if (shuffle) xs = shuffled(xs, 12_345);
        for (const x of xs) learner.tell(x, f(x));
        learner.checkValid();
        return learner;
      });
      const [lrn, ordered] = learners as [IntegratorLearner, IntegratorLearner];
      const data = (l: IntegratorLearner) => l.toRecords().map((r) => r.x);
      expect(data(lrn)).toEqual(data(ordered));
      for (const l of learners) expect(contiguous(l)).toBe(true);
      const ivals = (l: IntegratorLearner) => l.approximatingIntervals().map((iv) => [iv.a, iv.b]);
      expect(ivals(lrn)).toEqual(ivals(ordered));
      expect(lrn.igral).toBe(ordered.igral);
      expect(lrn.err).toBe(ordered.err);
      const ref = algorithm4(f, a, b, tol);
      for (const l of learners) {
        expect(l.err + ref.err).toBeGreaterThanOrEqual(Math.abs(l.igral - ref.igral));
        expect(Number.isFinite(l.err)).toBe(true);
      }
    });
  });

  it('test_approximating_intervals: contiguous after shuffled tells', () => {
    const learner = new IntegratorLearner({ bounds: [0, 3], tol: 1e-10 });
    const xs = shuffled(learner.ask(10_000).points, 7);
    for (const x of xs) learner.tell(x, f24(x));
    expect(contiguous(learner)).toBe(true);
    const ivs = learner.approximatingIntervals();
    expect(ivs[0]?.a).toBe(0);
    expect(ivs[ivs.length - 1]?.b).toBe(3);
  });

  it('test_removed_ask_one_by_one: exp on [0, 1] is at machine precision after 33 points', () => {
    // python-adaptive raises RuntimeError("No way to improve the integral estimate.") when
    // asked further; here ask returns no point and done() says why.
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-15 });
    const n = (NS[3] as number) + 2 * ((NS[0] as number) - 2); // 39
    let asked = 0;
    for (let i = 0; i < n; i++) {
      const { points } = learner.ask(1);
      asked += points.length;
      for (const x of points) learner.tell(x, Math.exp(x));
    }
    expect(asked).toBe(33);
    expect(learner.nActiveIntervals).toBe(0);
    expect(learner.done()).toBe(true);
    expect(learner.ask(5)).toEqual({ points: [], lossImprovements: [] });
    expect(learner.igral).toBeCloseTo(Math.E - 1, 15);
  });

  it('test_removed_choose_mutiple_points_at_once (python-adaptive xfail, its issue #96)', () => {
    // Asking 39 points at once creates the children of the first interval before it turns
    // out to be at machine precision. python-adaptive then lets the children's 5-point
    // estimates replace the 33-point one (igral off by 5e-9); here the first interval stands.
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-15 });
    const { points } = learner.ask(39);
    for (const x of shuffled(points, 3)) learner.tell(x, Math.exp(x));
    const ivs = learner.approximatingIntervals();
    expect(ivs.map((iv) => [iv.a, iv.b, iv.depth])).toEqual([[0, 1, 3]]);
    expect(learner.igral).toBeCloseTo(Math.E - 1, 15);
    expect(learner.done()).toBe(true);
    learner.checkValid();
  });
});

describe('NaN and infinite values', () => {
  it('f = 1 with NaN at 0.5, on [0, 1]: igral 1 (python-adaptive: ≈ 1)', () => {
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    while (!learner.done()) {
      const [x] = learner.ask(1).points as [number];
      learner.tell(x, x === 0.5 ? Number.NaN : 1);
    }
    expect(learner.npoints).toBe(33);
    expect(learner.igral).toBeCloseTo(1, 14);
    expect(learner.toRecords().find((r) => r.x === 0.5)?.y).toBeNaN();
  });

  it('every value non-finite: igral NaN, err NaN (no claim of convergence), nothing to refine', () => {
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    for (let i = 0; i < 100 && !learner.done(); i++) {
      const [x] = learner.ask(1).points as [number];
      learner.tell(x, i % 2 === 0 ? Number.NaN : Number.NEGATIVE_INFINITY);
    }
    expect(learner.done()).toBe(true);
    expect(learner.igral).toBeNaN();
    expect(learner.err).toBeNaN();
    expect(learner.loss()).toBe(Number.POSITIVE_INFINITY);
  });

  it('random non-finite and huge values: igral and err are NaN only where an interval has no finite value; the loss never', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            Number.NaN,
            Number.POSITIVE_INFINITY,
            Number.NEGATIVE_INFINITY,
            1e308,
            -1.7e308,
            0,
          ),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        fc.integer({ min: 1, max: 20 }),
        (bad, k) => {
          const learner = new IntegratorLearner({ bounds: [-1, 2], tol: 1e-6 });
          let i = 0;
          while (i < bad.length && !learner.done()) {
            for (const x of learner.ask(k).points) {
              const v = bad[i++ % bad.length] as number;
              learner.tell(x, v === 0 ? Math.cos(x) : v);
            }
            const blind = learner.approximatingIntervals().some((iv) => Number.isNaN(iv.igral));
            expect(Number.isNaN(learner.igral)).toBe(blind);
            expect(Number.isNaN(learner.err)).toBe(blind);
            expect(Number.isNaN(learner.loss())).toBe(false);
          }
          learner.checkValid();
        },
      ),
      { seed: 2024, numRuns: 40 },
    );
  });
});

describe('telling a point twice', () => {
  it('is ignored: the first value stays and nothing changes', () => {
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const { points } = learner.ask(17);
    for (const x of points) learner.tell(x, Math.sin(x));
    const before = JSON.stringify(learner.snapshot());
    const igral = learner.igral;
    learner.tell(points[3] as number, 1e6);
    learner.tellMany(
      points,
      points.map(() => Number.NaN),
    );
    expect(JSON.stringify(learner.snapshot())).toBe(before);
    expect(learner.igral).toBe(igral);
    expect(learner.npoints).toBe(17);
    expect(learner.toRecords()[3]?.y).toBe(Math.sin(points[3] as number));
  });

  it('a point told before it was asked is never handed out', () => {
    const learner = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const next = learner.ask(3, { tellPending: false }).points;
    learner.tell(next[1] as number, 2);
    const { points } = learner.ask(17);
    expect(points).not.toContain(next[1]);
    expect(points.slice(0, 2)).toEqual([next[0], next[2]]);
  });
});

describe('finishing where float runs out', () => {
  it.each([
    ['1/√(x + 3) on [−3, −1]', (x: number) => 1 / Math.sqrt(x + 3), -3, -1, 2 * Math.SQRT2],
    ['1/√(−x) on [−1, 0]', (x: number) => 1 / Math.sqrt(-x), -1, 0, 2],
    ['log|x| on [−1, 1]', (x: number) => Math.log(Math.abs(x)), -1, 1, -2],
  ] as const)('%s is done, with an honest error', (_name, f, a, b, exact) => {
    // Near −3, x + 3 has no digits below 4e-16, so 1e-8 is out of reach: python-adaptive
    // never drops the narrowing intervals left of 0 and never finishes.
    const learner = new IntegratorLearner({ bounds: [a, b], tol: 1e-8 });
    for (let i = 0; i < 20_000 && !learner.done(); i++) {
      const [x] = learner.ask(1).points as [number];
      learner.tell(x, f(x));
    }
    expect(learner.done()).toBe(true);
    expect(learner.npoints).toBeLessThan(5000);
    expect(Math.abs(learner.igral - exact)).toBeLessThanOrEqual(learner.err);
    learner.checkValid();
  });
});
