// Ports of python-adaptive's Learner1D tests (adaptive/tests/test_learner1d.py and the
// Learner1D cases of test_learners.py), as catalogued in
// ../shared/research/python-adaptive-tests.md §2–§3.
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import {
  curvatureLoss,
  defaultLoss,
  type IntervalLoss,
  uniformLoss,
} from '../../src/learners/losses1d.js';
import { mulberry32 } from '../fixtures/random.js';

const LOSSES: [string, IntervalLoss][] = [
  ['defaultLoss', defaultLoss],
  ['uniformLoss', uniformLoss],
  ['curvatureLoss', curvatureLoss()],
];

function intervals(l: Learner1D, real = true): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { x0, x1, loss } of l.intervalLosses({ real })) out[`${x0},${x1}`] = loss;
  return out;
}

function simple(
  l: Learner1D,
  f: (x: number) => number | number[],
  goal: (l: Learner1D) => boolean,
): void {
  for (let guard = 0; !goal(l); guard++) {
    if (guard > 100_000) throw new Error('simple: no progress');
    const { points } = l.ask(1);
    for (const x of points) l.tell(x, f(x));
  }
}

describe('python-adaptive test_learner1d.py', () => {
  it('test_pending_loss_intervals', () => {
    const l = new Learner1D({ bounds: [0, 4] });
    l.tell(0, 0);
    l.tell(1, 0);
    l.tell(2, 0);
    expect(Object.keys(intervals(l, false))).toEqual(['0,1', '1,2']);
    l.ask(1);
    expect(Object.keys(intervals(l, false))).toEqual(['0,1', '1,2', '2,4']);
    l.tell(3.5, 0);
    expect(Object.keys(intervals(l, false))).toEqual(['0,1', '1,2', '2,3.5', '3.5,4']);
  });

  it('test_loss_interpolation_for_unasked_point', () => {
    const l = new Learner1D({ bounds: [0, 4] });
    l.tell(0, 0);
    l.tell(1, 0);
    l.tell(2, 0);
    expect(l.ask(1)).toEqual({ points: [4], lossImprovements: [Number.POSITIVE_INFINITY] });
    expect(intervals(l)).toEqual({ '0,1': 0.25, '1,2': 0.25 });
    expect(intervals(l, false)).toEqual({
      '0,1': 0.25,
      '1,2': 0.25,
      '2,4': Number.POSITIVE_INFINITY,
    });
    expect(l.ask(1).points).toEqual([3]);
    expect(intervals(l)).toEqual({ '0,1': 0.25, '1,2': 0.25 });
    expect(intervals(l, false)).toEqual({
      '0,1': 0.25,
      '1,2': 0.25,
      '2,3': Number.POSITIVE_INFINITY,
      '3,4': Number.POSITIVE_INFINITY,
    });
    l.tell(4, 0);
    expect(intervals(l, false)).toEqual({ '0,1': 0.25, '1,2': 0.25, '2,3': 0.25, '3,4': 0.25 });
  });

  it('test_first_iteration', () => {
    const fresh = (): Learner1D => new Learner1D({ bounds: [-1, 1] });
    expect(new Set(fresh().ask(2).points)).toEqual(new Set([-1, 1]));
    expect(new Set(fresh().ask(3).points)).toEqual(new Set([-1, 0, 1]));
    let l = fresh();
    const [first] = l.ask(1).points;
    expect([-1, 1]).toContain(first);
    const rest = l.ask(2).points;
    expect(new Set([first, ...rest])).toEqual(new Set([-1, 0, 1]));
    l = fresh();
    expect(new Set([...l.ask(1).points, ...l.ask(1).points])).toEqual(new Set([-1, 1]));
    l = fresh();
    l.tell(1, 0);
    expect(l.ask(1).points).toEqual([-1]);
    l = fresh();
    l.tell(-1, 0);
    expect(l.ask(1).points).toEqual([1]);
  });

  it('test_loss_interpolation: pending losses are proportional to length', () => {
    const rand = mulberry32(1);
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tell(-1, 0);
    l.tell(1, 0);
    for (let i = 0; i < 100; i++) {
      const x = rand() * 2 - 1;
      if (rand() < 0.9) l.tellPending(x);
      else l.tell(x, 0);
    }
    for (const { x0, x1, loss } of l.intervalLosses({ real: false })) {
      expect(Math.abs((x1 - x0) / 2 - loss)).toBeLessThan(1e-15);
    }
    l.checkValid();
  });

  it.each([
    [0, [-1, 1]],
    [1, [-2, 2]],
    [0.5e3, [-1e3, 1e3]],
  ] as const)('test_termination_on_discontinuities at %d in %j', (x0, bounds) => {
    const l = new Learner1D({ bounds });
    simple(
      l,
      (x) => (x < x0 ? -1 : 1),
      (l) => l.loss() <= 0.1,
    );
    const smallest = Math.min(...l.intervalLosses().map(({ x0, x1 }) => x1 - x0));
    expect(smallest).toBeGreaterThanOrEqual(
      x0 === 0.5e3 ? 0.5e3 * 2.220446049250313e-16 : 2.220446049250313e-16,
    );
  });

  it('test_order_adding_points', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    l.tellMany([1, 0, 0.5], [0, 0, 0]);
    expect(intervals(l, false)).toEqual({ '0,0.5': 0.5, '0.5,1': 0.5 });
    expect(intervals(l)).toEqual({ '0,0.5': 0.5, '0.5,1': 0.5 });
    expect(() => l.ask(1)).not.toThrow();
  });

  it('test_adding_existing_point_passes_silently (the first value stays)', () => {
    const l = new Learner1D({ bounds: [0, 4] });
    l.tell(0, 0);
    l.tell(1, 0);
    l.tell(2, 0);
    l.tell(1, 100);
    expect(l.toRecords()).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
    ]);
  });

  it('test_loss_at_machine_precision_interval_is_zero', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    simple(
      l,
      (x) => (x === 0 ? 1 : 0),
      (l) => l.loss() < 0.01 || l.npoints >= 1000,
    );
    expect(l.npoints).not.toBe(1000);
  });

  it('test_small_deviations (issue #78)', () => {
    const rand = mulberry32(78);
    const eps = 5e-14;
    const f = (x: number): number => (x <= 1 ? 0 : 1 + 10 ** -(12 + Math.floor(rand() * 3)));
    const l = new Learner1D({ bounds: [1 - eps, 1 + eps] });
    for (let round = 0; round < 100; round++) {
      const xs = l.ask(10).points;
      const stash = xs.splice(0, 5);
      for (const x of xs) l.tell(x, f(x));
      for (const x of stash) l.tell(x, f(x));
      if (l.loss() === 0) break;
    }
    l.checkValid();
  });

  it.each([
    [[-1, 0, 1], 2, [-0.5, 0.5]],
    [[-1, -0.5, 1], 2, [0, 0.5]],
    [[-1, 0.5, 1], 2, [-0.5, 0]],
    [[-1, 0], 1, [1]],
    [[-1, 0], 2, [-0.5, 1]],
    [[-1, -0.5], 2, [-0.75, 1]],
    [[-1, -0.5], 3, [-0.75, 0.25, 1]],
  ])('test_uniform_sampling1D_v2: known %j, ask(%d) gives %j', (known, n, expected) => {
    const l = new Learner1D({ bounds: [-1, 1] });
    for (const x of known) l.tell(x, x);
    expect(new Set(l.ask(n).points)).toEqual(new Set(expected));
  });

  it('test_add_data_unordered (issue #44)', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tell(-1, -1);
    l.tell(1, 1);
    l.tell(0, 0);
    expect(l.ask(3).points).toHaveLength(3);
  });

  it('test_ask_does_not_return_known_points_when_returning_bounds', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tell(0, 0);
    expect(l.ask(3).points).not.toContain(0);
  });

  it('test_curvature_loss and test_curvature_loss_vectors', () => {
    const loss = curvatureLoss();
    expect(loss.nthNeighbors).toBe(1);
    const l = new Learner1D({ bounds: [-1, 1], loss });
    simple(
      l,
      (x) => Math.tanh(20 * x),
      (l) => l.npoints >= 100,
    );
    expect(l.npoints).toBeGreaterThanOrEqual(100);
    const v = new Learner1D({ bounds: [-1, 1], loss: curvatureLoss() });
    simple(
      v,
      (x) => [Math.tanh(20 * x), Math.tanh(20 * (x - 0.4))],
      (l) => l.npoints >= 100,
    );
    expect(v.npoints).toBeGreaterThanOrEqual(100);
  });

  it('test_NaN_loss (issue #145)', () => {
    const rand = mulberry32(145);
    const l = new Learner1D({ bounds: [-1, 1] });
    simple(
      l,
      (x) => (rand() < 0.2 ? Number.NaN : x + 1e-4 / (1e-4 + x * x)),
      (l) => l.npoints >= 100,
    );
    expect(Number.isNaN(l.loss())).toBe(false);
  });

  it('test_inf_loss_with_missing_bounds: bounds pending while the interior returns', () => {
    const l = new Learner1D({ bounds: [0, 1e-7], loss: curvatureLoss() });
    const flat = (x: number): number => {
      const t = x * 1e7;
      return t < 0.1 ? t * 10 : t > 0.9 ? (1 - t) * 10 : 1;
    };
    const { points } = l.ask(4); // both bounds and two interior points, all pending
    const bounds: number[] = points.filter((x) => x === 0 || x === 1e-7);
    expect(bounds).toHaveLength(2);
    // The interior arrives first; the bounds are slow.
    for (let i = 0; i < 20; i++) {
      for (const x of points.filter((p) => !bounds.includes(p))) l.tell(x, flat(x));
      expect(l.loss()).toBe(Number.POSITIVE_INFINITY);
      points.splice(0, points.length, ...l.ask(2).points);
    }
    for (const x of bounds) l.tell(x, flat(x));
    for (const x of points) l.tell(x, flat(x));
    expect(Number.isFinite(l.loss())).toBe(true);
    expect(l.npoints).toBeGreaterThanOrEqual(5);
    l.checkValid();
  });
});

describe('python-adaptive test_learners.py, Learner1D cases', () => {
  const quadratic = (x: number): number => 2.5 * x * x + 0.3;
  const linearWithPeak = (x: number): number => x + 1e-4 / (1e-4 + (x - 0.2) ** 2);

  it.each(LOSSES)(
    'test_uniform_sampling1D with %s: without data the sampling is uniform',
    (_name, loss) => {
      const rand = mulberry32(7);
      const l = new Learner1D({ bounds: [-1, 1], loss });
      const xs: number[] = [];
      const rounds = 10 + Math.floor(rand() * 10);
      for (let r = 0; r < rounds; r++) xs.push(...l.ask(10 + Math.floor(rand() * 10)).points);
      xs.sort((a, b) => a - b);
      const ivals = xs.slice(1).map((x, i) => x - (xs[i] as number));
      expect(Math.max(...ivals) / Math.min(...ivals)).toBeLessThan(2 + 1e-8);
    },
  );

  it.each(LOSSES)('test_adding_non_chosen_data with %s', (_name, loss) => {
    const l = new Learner1D({ bounds: [-1, 1], loss });
    const control = new Learner1D({ bounds: [-1, 1], loss });
    const xs = control.ask(20).points;
    for (const x of xs) {
      l.tell(x, linearWithPeak(x));
      control.tell(x, linearWithPeak(x));
    }
    const a = l.ask(15);
    const b = control.ask(15);
    expect(new Set(a.points.map((x, i) => `${x}:${a.lossImprovements[i]}`))).toEqual(
      new Set(b.points.map((x, i) => `${x}:${b.lossImprovements[i]}`)),
    );
  });

  it.each(LOSSES)(
    'test_expected_loss_improvement_is_less_than_total_loss with %s',
    (_name, loss) => {
      const l = new Learner1D({ bounds: [-1, 1], loss });
      for (const n of [73, 61]) {
        const { points } = l.ask(n);
        for (const x of points) l.tell(x, quadratic(x));
      }
      const { lossImprovements } = l.ask(80);
      const total = l.intervalLosses().reduce((s, { loss }) => s + loss, 0);
      expect(lossImprovements.reduce((s, v) => s + v, 0)).toBeLessThan(total);
    },
  );

  it.each(LOSSES)('test_learner_performance_is_invariant_under_scaling with %s', (_name, loss) => {
    const rand = mulberry32(11);
    const xscale = 1000 * rand();
    const yscale = 1000 * rand();
    const control = new Learner1D({ bounds: [-1, 1], loss, recomputeLossesFactor: 1 });
    const learner = new Learner1D({ bounds: [-xscale, xscale], loss, recomputeLossesFactor: 1 });
    const g = (x: number): number => yscale * linearWithPeak(x / xscale);
    const npoints = 300 + Math.floor(rand() * 200);
    for (let i = 0; i < npoints; i++) {
      const cx = control.ask(1).points[0] as number;
      const x = learner.ask(1).points[0] as number;
      control.tellMany([cx], [linearWithPeak(cx)]);
      learner.tellMany([x], [g(x)]);
      expect(x / xscale).toBeCloseTo(cx, 10);
    }
    expect(Math.abs(learner.loss() - control.loss()) / control.loss()).toBeLessThan(1e-10);
  });

  it.each(LOSSES)('test_point_adding_order_is_irrelevant with %s', (_name, loss) => {
    const rand = mulberry32(3);
    const make = (): Learner1D =>
      new Learner1D({ bounds: [-1, 1], loss, recomputeLossesFactor: 1 });
    const control = make();
    const learner = make();
    control.ask(25);
    const xs = learner.ask(25).points;
    const data = xs.map((x) => [x, linearWithPeak(x)] as const);
    for (const [x, y] of data) control.tell(x, y);
    const shuffled = [...data].sort(() => rand() - 0.5);
    for (const [x, y] of shuffled) learner.tell(x, y);
    const a = learner.ask(20);
    const b = control.ask(20);
    expect([...a.points].sort()).toEqual([...b.points].sort());
    expect(learner.loss()).toBe(control.loss());
  });
});
