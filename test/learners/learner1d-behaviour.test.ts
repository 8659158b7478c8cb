import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import {
  absMinLogLoss,
  curvatureLoss,
  defaultLoss,
  resolutionLoss,
  triangleLoss,
  uniformLoss,
  usesNthNeighbors,
} from '../../src/learners/losses1d.js';
import { hypot } from '../../src/util/hypot.js';

const SEED = 20261122;
const peak = (x: number): number => x + 1e-4 / (1e-4 + x * x);

describe('the batch path', () => {
  test.prop(
    [
      fc.array(
        fc.record({ ask: fc.integer({ min: 1, max: 12 }), keep: fc.nat(12), perm: fc.nat(1000) }),
        { minLength: 1, maxLength: 15 },
      ),
    ],
    { seed: SEED, numRuns: 100 },
  )('tellMany gives exactly the state of telling one by one, pending points included', (rounds) => {
    const a = new Learner1D({ bounds: [-1, 1] });
    const b = new Learner1D({ bounds: [-1, 1] });
    for (const { ask, keep, perm } of rounds) {
      const pa = a.ask(ask).points;
      const pb = b.ask(ask).points;
      expect(pb).toEqual(pa);
      const told = pa.filter((_, i) => (i * 7 + perm) % 13 >= keep % 13);
      told.sort((x, y) => ((x * 1e6 + perm) % 3) - ((y * 1e6 + perm) % 3));
      a.tellMany(told, told.map(peak));
      for (const x of told) b.tell(x, peak(x));
      expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
    }
    a.checkValid();
  });

  it('points the learner did not hand out, after a long ask/tell loop (lazy ordered index)', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    for (let i = 0; i < 3000; i++) {
      const [x] = l.ask(1).points as [number];
      l.tell(x, peak(x));
    }
    // Rebuild path (many unindexed nodes), then the incremental path (a few).
    for (const x of [0.123456, -0.5, 0.5, 0.9999]) {
      l.tell(x, peak(x));
      l.checkValid();
      for (let i = 0; i < 10; i++) {
        const [p] = l.ask(1).points as [number];
        l.tell(p, peak(p));
      }
      l.tellPending(x / 3);
      l.checkValid();
    }
    expect(l.toRecords().map((r) => r.x)).toContain(0.123456);
    expect(l.pendingPoints).toHaveLength(4);
  });

  it('removeUnfinished forgets pending points and restores the combined losses', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    for (let i = 0; i < 5; i++) {
      const { points } = l.ask(7);
      for (const x of points.slice(0, 4)) l.tell(x, peak(x));
    }
    expect(l.pendingPoints.length).toBeGreaterThan(0);
    l.removeUnfinished();
    l.checkValid();
    expect(l.pendingPoints).toEqual([]);
    // Combined losses are the real ones again, computed as a tell computes them:
    // (b − a)·loss/(b − a), equal up to the last bit.
    const real = l.intervalLosses();
    const combined = l.intervalLosses({ real: false });
    expect(combined.map((i) => [i.x0, i.x1])).toEqual(real.map((i) => [i.x0, i.x1]));
    combined.forEach((c, i) => {
      expect(Math.abs(c.loss - (real[i]?.loss as number))).toBeLessThanOrEqual(1e-15 * c.loss);
    });
    // A removed point can be handed out again.
    const again = l.ask(3).points;
    expect(again.length).toBe(3);
    l.checkValid();
  });
});

describe('non-finite values', () => {
  it('python-adaptive #339: a vector function undefined at 0 reaches a loss goal', () => {
    const l = new Learner1D({ bounds: [-10, 10] });
    const f = (x: number): number[] => {
      // -i e^{iπx}/x + i e^{-iπx}/x = 2 sin(πx)/x (real), 0 (imaginary); NaN at x = 0.
      const re = (2 * Math.sin(Math.PI * x)) / x;
      return [x === 0 ? Number.NaN : re, x === 0 ? Number.NaN : 0];
    };
    let steps = 0;
    while (!(l.loss() < 0.01)) {
      const [x] = l.ask(1).points as [number];
      l.tell(x, f(x));
      if (++steps > 20_000) throw new Error('no convergence');
    }
    expect(l.npoints).toBeLessThan(20_000);
    expect(l.toRecords().some((r) => Number.isNaN((r.y as number[])[0]))).toBe(true);
  });

  it('one infinite value does not poison the other losses', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tell(-1, 0);
    l.tell(0, Number.POSITIVE_INFINITY);
    l.tell(1, 2);
    l.tell(0.5, 1);
    const losses = l.intervalLosses();
    expect(losses.every(({ loss }) => Number.isFinite(loss))).toBe(true);
    // Intervals touching the infinite value are refined like uniformLoss: by their width.
    expect(losses[0]?.loss).toBe(0.5);
    // The y range ignores non-finite values.
    expect(losses[2]?.loss).toBe(hypot(0.25, 0.5));
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'all values %s: ask keeps working',
    (v) => {
      const l = new Learner1D({ bounds: [0, 1] });
      for (let i = 0; i < 200; i++) {
        const { points } = l.ask(1);
        expect(points).toHaveLength(1);
        l.tell(points[0] as number, v);
      }
      expect(Number.isFinite(l.loss())).toBe(true);
      l.checkValid();
    },
  );
});

describe('data out', () => {
  it('toRecords and toArrays are sorted by x; interpolate is piecewise linear, NaN outside', () => {
    const l = new Learner1D({ bounds: [0, 2] });
    l.tellMany([2, 0, 1], [4, 0, 2]);
    l.tellPending(0.5);
    expect(l.toRecords()).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 2 },
      { x: 2, y: 4 },
    ]);
    const { x, y, vdim } = l.toArrays();
    expect([...x]).toEqual([0, 1, 2]);
    expect([...y]).toEqual([0, 2, 4]);
    expect(vdim).toBe(1);
    expect(l.interpolate(0.25)).toBe(0.5);
    expect(l.interpolate([0, 1.5, 2, 2.5, -1])).toEqual([0, 3, 4, Number.NaN, Number.NaN]);
  });

  it('vector output: one array row per point, interpolation per component', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    l.tell(0, [0, 10, -1]);
    l.tell(1, [1, 20, -1]);
    expect(l.outputDimension).toBe(3);
    expect(l.toRecords()).toEqual([
      { x: 0, y: [0, 10, -1] },
      { x: 1, y: [1, 20, -1] },
    ]);
    expect([...l.toArrays().y]).toEqual([0, 10, -1, 1, 20, -1]);
    expect(l.interpolate(0.5)).toEqual([0.5, 15, -1]);
  });

  it('a fresh learner has infinite loss and no data', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    expect(l.loss()).toBe(Number.POSITIVE_INFINITY);
    expect(l.loss({ real: false })).toBe(Number.POSITIVE_INFINITY);
    expect(l.toRecords()).toEqual([]);
    expect(l.interpolate(0.5)).toBeNaN();
    expect(l.ask(0)).toEqual({ points: [], lossImprovements: [] });
  });
});

describe('loss functions (python-adaptive formulas)', () => {
  it('known values', () => {
    expect(uniformLoss([0.25, 0.75], [0, 100])).toBe(0.5);
    expect(defaultLoss([0, 0.3], [0, 0.4])).toBe(0.5);
    expect(defaultLoss([0, 0.3], [new Float64Array([0, 0]), new Float64Array([0.4, 0.1])])).toBe(
      0.5,
    );
    expect(absMinLogLoss([0, 1], [1, Math.E])).toBe(Math.SQRT2);
    // Two triangles: (0,0),(1,1),(2,0) of area 1 and (1,1),(2,0),(3,1) of area 1.
    expect(triangleLoss([0, 1, 2, 3], [0, 1, 0, 1])).toBe(1);
    expect(triangleLoss([null, 0, 1, null], [null, 0, 5, null])).toBe(1);
    // The same triangle embedded in (x, y1, y2) with y2 = 0 has the same area.
    const v = (a: number, b: number): Float64Array => new Float64Array([a, b]);
    expect(triangleLoss([null, 0, 1, 2], [null, v(0, 0), v(1, 0), v(0, 0)])).toBeCloseTo(1, 12);
    const c = curvatureLoss();
    expect(c([null, 0, 1, 2], [null, 0, 1, 0])).toBe(
      1 * Math.sqrt(1) + 0.02 * Math.SQRT2 + 0.02 * 1,
    );
    const r = resolutionLoss({ minLength: 0.1, maxLength: 0.5 });
    expect(r([0, 0.05], [0, 1])).toBe(0);
    expect(r([0, 0.6], [0, 0])).toBe(Number.POSITIVE_INFINITY);
    expect(r([0, 0.3], [0, 0.4])).toBe(0.5);
  });

  it('usesNthNeighbors passes n neighbours on each side, null past the edge', () => {
    const seen: (number | null)[][] = [];
    const loss = usesNthNeighbors(2, (xs) => {
      seen.push([...xs]);
      return (xs[3] as number) - (xs[2] as number);
    });
    expect(loss.nthNeighbors).toBe(2);
    const l = new Learner1D({ bounds: [0, 4], loss });
    l.tellMany([0, 1, 2, 3, 4], [0, 0, 0, 0, 0]);
    expect(seen.at(-1)?.length).toBe(6);
    expect(seen.some((xs) => xs[0] === null && xs[1] === null)).toBe(true);
  });

  it('hypot rounds as glibc does', () => {
    // Cases where V8's Math.hypot and glibc's hypot differ in the last bit.
    expect(hypot(1.1, 0.37)).toBe(1.1605602095539895); // Math.hypot: 1.1605602095539898
    expect(hypot(0.013, 0.77)).toBe(0.7701097324407736); // Math.hypot: 0.7701097324407737
    expect(hypot(3, 4)).toBe(5);
    expect(hypot(Number.NaN, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(hypot(1e-320, 0)).toBe(1e-320);
    expect(hypot(1e300, 1e300)).toBe(1.4142135623730952e300);
  });
});
