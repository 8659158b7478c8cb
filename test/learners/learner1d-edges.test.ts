// Regression tests of issue 13 ("Trust at the edges") for Learner1D: domains whose width
// overflows or reaches it, values at any scale, huge asks, and loss functions that throw.
import { describe, expect, it } from 'vitest';
import { LEARNER1D_MAX_POINTS, Learner1D } from '../../src/learners/learner1d.js';
import type { IntervalLoss } from '../../src/learners/losses1d.js';

/** Learner1D's fewest doubles in its bounds (MIN_DOUBLES in src/learners/learner1d.ts). */
const MIN_DOUBLES = 256;

const f = (t: number): number => Math.tanh(20 * (t - 0.3)) + 0.3 * Math.sin(7 * t);

/** The first n points a serial run asks on bounds b, for f on [-1, 1] mapped onto b, times scale. */
function serialAsks(b: [number, number], scale: number, n: number): number[] {
  const l = new Learner1D({ bounds: b });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const [x] = l.ask(1).points as [number];
    out.push(x);
    l.tell(x, f(((x - b[0]) / (b[1] - b[0])) * 2 - 1) * scale);
  }
  l.checkValid();
  return out;
}

describe('Learner1D at the edges of float (issue 13)', () => {
  it('bounds [-1e308, 1e308]: the constructor says the width overflows', () => {
    expect(() => new Learner1D({ bounds: [-1e308, 1e308] })).toThrow(RangeError);
    expect(() => new Learner1D({ bounds: [-1e308, 1e308] })).toThrow(
      /width of the bounds \[-1e\+308, 1e\+308\] overflows/,
    );
    expect(() => new Learner1D({ bounds: [-Number.MAX_VALUE, Number.MAX_VALUE] })).toThrow(
      /overflows/,
    );
  });

  it('bounds [0, 1e308]: samples as on [0, 1] (was: loss 0 after the two bounds)', () => {
    const big = serialAsks([0, 1e308], 1, 150);
    const unit = serialAsks([0, 1], 1, 150);
    for (let i = 0; i < unit.length; i++) {
      expect(Math.abs((big[i] as number) / 1e308 - (unit[i] as number))).toBeLessThan(1e-12);
    }
    const l = new Learner1D({ bounds: [0, 1e308] });
    for (const x of l.ask(10).points) l.tell(x, Math.sin(x / 1e307));
    expect(l.loss()).toBeGreaterThan(0.01);
    expect(l.loss()).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  it('bounds [-8e307, 8e307] and [1e15, 1e15 + 1e3]: every asked point lies inside the bounds and is accepted by tell', () => {
    for (const b of [
      [-8e307, 8e307],
      [1e15, 1e15 + 1e3],
      [0.1, 1],
      [-1e-300, 1e-300],
    ] as [number, number][]) {
      const l = new Learner1D({ bounds: b });
      for (let i = 0; i < 40; i++) {
        const { points } = l.ask(i % 5 === 0 ? 7 : 1);
        for (const x of points) {
          expect(x >= b[0] && x <= b[1]).toBe(true);
          l.tell(x, Math.cos(i));
        }
      }
      l.checkValid();
    }
  });

  it('bounds [1, 1 + 64 ulp] (65 doubles): the constructor refuses a domain of too few doubles (was: loss 0 and no more points after 34 of them)', () => {
    const hi = 1 + 64 * Number.EPSILON;
    expect(() => new Learner1D({ bounds: [1, hi] })).toThrow(
      new RangeError(
        `Learner1D: the bounds [1, ${hi}] hold only 65 representable doubles, too few to refine (at least ${MIN_DOUBLES} are needed); use wider bounds, or bounds nearer 0`,
      ),
    );
    expect(() => new Learner1D({ bounds: [1e15, 1e15 + 1] })).toThrow(
      /hold only 9 representable doubles/,
    );
    expect(() => new Learner1D({ bounds: [1, 1 + (MIN_DOUBLES - 2) * Number.EPSILON] })).toThrow(
      /hold only 255 representable doubles/,
    );
  });

  it(`bounds of exactly ${MIN_DOUBLES} doubles: accepted; ask(2000) hands out each double once, inside the bounds`, () => {
    const hi = 1 + (MIN_DOUBLES - 1) * Number.EPSILON;
    const l = new Learner1D({ bounds: [1, hi] });
    const { points } = l.ask(2000);
    expect(new Set(points).size).toBe(points.length);
    expect(points.length).toBe(MIN_DOUBLES);
    for (const x of points) {
      expect(x >= 1 && x <= hi).toBe(true);
      l.tell(x, Math.sin((x - 1) / Number.EPSILON / 100));
    }
    expect(l.ask(5).points).toEqual([]);
    l.checkValid();
  });

  it.each([1e300, 1e-300, 1e-310, 1e308])(
    'values times %s ask the points asked at scale 1',
    (scale) => {
      expect(serialAsks([-1, 1], scale, 200)).toEqual(serialAsks([-1, 1], 1, 200));
    },
  );

  it('values spanning ±1e308 (their range overflows): asks as at scale 1, loss finite', () => {
    // f·1e308 spans about 2.6e308 > MAX_VALUE: the y range is Infinity, scaled by halves.
    expect(serialAsks([-1, 1], 1e308, 200)).toEqual(serialAsks([-1, 1], 1, 200));
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tell(-1, -Number.MAX_VALUE);
    l.tell(1, Number.MAX_VALUE);
    l.tell(0, 0);
    expect(l.loss()).toBeGreaterThan(0.5);
    expect(l.loss()).toBeLessThan(2);
  });
});

describe('Learner1D.ask(n) for large n (issue 13)', () => {
  function slowPending(l: Learner1D, n: number): void {
    // The reference: the same points, marked pending one by one through the search path.
    for (const x of l.ask(n, { tellPending: false }).points) l.tellPending(x);
  }

  it('ask(n) with n >> npoints (ask(40000) took 2.8 s): the state of marking each point pending by search', () => {
    const a = new Learner1D({ bounds: [0, 1] });
    const b = new Learner1D({ bounds: [0, 1] });
    for (const l of [a, b]) {
      l.tell(0, 0);
      l.tell(1, 1);
    }
    const asked = a.ask(5000, { tellPending: false }).points;
    expect(a.ask(5000).points).toEqual(asked);
    slowPending(b, 5000);
    expect(a.snapshot()).toEqual(b.snapshot());
    // A second big ask over the 5000 pending points (each split interval walks over them).
    expect(a.ask(4000).points).toEqual(b.ask(4000, { tellPending: false }).points);
    slowPending(b, 4000);
    expect(a.snapshot()).toEqual(b.snapshot());
    a.checkValid();
  });

  it('ask(n) on an empty learner and with pending bounds: the same state as by search', () => {
    const a = new Learner1D({ bounds: [-2, 3] });
    const b = new Learner1D({ bounds: [-2, 3] });
    a.ask(5000);
    slowPending(b, 5000);
    expect(a.snapshot()).toEqual(b.snapshot());
    const c = new Learner1D({ bounds: [-2, 3] });
    const d = new Learner1D({ bounds: [-2, 3] });
    for (const l of [c, d]) {
      l.tell(0.5, 1);
      l.tell(0.7, 2);
    }
    c.ask(3001);
    slowPending(d, 3001);
    expect(c.snapshot()).toEqual(d.snapshot());
    c.checkValid();
  });

  it('ask(1e9) is a RangeError naming the limit, the learner unchanged', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    l.tell(0, 0);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.ask(1e9)).toThrow(RangeError);
    expect(() => l.ask(1e9)).toThrow(
      new RegExp(`more than the ${LEARNER1D_MAX_POINTS} \\(2\\^26\\) this learner holds`),
    );
    expect(() => l.ask(LEARNER1D_MAX_POINTS, { tellPending: false })).toThrow(RangeError);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });
});

describe('Learner1D with a loss function that throws (issue 13)', () => {
  it('a loss function that throws inside tell: the point is kept and tell says so', () => {
    let fail = false;
    const loss: IntervalLoss = (xs, ys) => {
      if (fail) throw new Error('boom');
      return (
        Math.abs((xs[1] as number) - (xs[0] as number)) + Math.abs(Number(ys[1]) - Number(ys[0]))
      );
    };
    const l = new Learner1D({ bounds: [0, 1], loss });
    for (const x of l.ask(5).points) l.tell(x, x * x);
    fail = true;
    const [x] = l.ask(1).points as [number];
    let err: unknown;
    try {
      l.tell(x, 7);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'Learner1D: the loss function threw: boom (the data was kept)',
    );
    expect(((err as Error).cause as Error).message).toBe('boom');
    expect(l.npoints).toBe(6);
    expect(l.toRecords().find((r) => r.x === x)?.y).toBe(7);
    expect(l.pendingPoints).toEqual([]);
    l.checkValid(); // the update completed: both intervals next to x are queued
    // Its intervals got their width as the loss (as for a NaN loss): refinement goes on.
    const around = l.intervalLosses().filter((iv) => iv.x0 === x || iv.x1 === x);
    for (const iv of around) expect(iv.loss).toBe(iv.x1 - iv.x0);
    fail = false;
    const next = l.ask(3).points;
    for (const p of next) l.tell(p, 0);
    expect(l.npoints).toBe(9);
  });

  it('tellMany reports it once, after every point is in', () => {
    const loss: IntervalLoss = () => {
      throw new RangeError('nope');
    };
    const l = new Learner1D({ bounds: [0, 1], loss });
    expect(() => l.tellMany([0, 0.5, 1], [1, 2, 3])).toThrow(
      /the loss function threw: nope \(the data was kept\)/,
    );
    expect(l.npoints).toBe(3);
    l.checkValid();
  });
});

describe('Learner1D.restore trusts nothing it can check (issue 13)', () => {
  function snap(): Record<string, unknown> {
    const l = new Learner1D({ bounds: [0, 1] });
    for (const x of l.ask(8).points) l.tell(x, Math.sin(5 * x));
    return l.snapshot() as Record<string, unknown>;
  }
  it.each([
    [
      'a point outside the bounds',
      (s: Record<string, unknown>) => ((s.x as number[])[7] = 2),
      /x\[7\] = 2 is outside the bounds/,
    ],
    [
      'a NaN loss',
      (s: Record<string, unknown>) => ((s.losses as unknown[])[2] = 'NaN'),
      /losses\[2\] is NaN/,
    ],
    [
      'a NaN combined loss',
      (s: Record<string, unknown>) => ((s.combinedLosses as unknown[])[0] = 'NaN'),
      /combinedLosses\[0\] is NaN/,
    ],
    [
      'an oldYScale above the y range',
      (s: Record<string, unknown>) => (s.oldYScale = 1e9),
      /oldYScale = 1000000000 must be between 0 and the y range/,
    ],
    [
      'a NaN y range',
      (s: Record<string, unknown>) => ((s.yMin as unknown[])[0] = 'NaN'),
      /yMin and yMax must not be NaN/,
    ],
  ])('refuses %s, the learner unchanged', (_what, spoil, error) => {
    const s = snap();
    spoil(s);
    const l = new Learner1D({ bounds: [0, 1] });
    l.tell(0.5, 1);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.restore(s as never)).toThrow(error);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.checkValid();
  });
});
