// The protocol calls as a BalancingLearner child makes them (python-adaptive's
// IntegratorLearner.tell_pending takes no point, so its BalancingLearner raises TypeError:
// features §15.2 #3), the pure ask, pending points, snapshots and data out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import type { Learner } from '../../src/learners/types.js';
import { f0, f21, f24 } from './integrator-algorithm4.js';

const g = (x: number): number => Math.exp(-x * x) * Math.cos(5 * x);

/** The observable state, for "unchanged" checks. */
function state(l: IntegratorLearner): string {
  return JSON.stringify([l.snapshot(), l.pendingPoints, l.loss(), l.npoints]);
}

describe('as a BalancingLearner child (regression: python-adaptive #3 in §15.2)', () => {
  it('ask(1, { tellPending: false }) on every child, tellPending(point) on the chosen one', () => {
    // python-adaptive's BalancingLearner loop ("loss_improvements" strategy), driven by hand.
    const children: Learner<number, number>[] = [
      new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 }),
      new IntegratorLearner({ bounds: [0, 3], tol: 1e-6 }),
      new Learner1D({ bounds: [-1, 1] }),
    ];
    const fs = [(x: number) => Math.exp(x), f24, Math.sin];
    const outstanding: [number, number][] = [];
    for (let round = 0; round < 300; round++) {
      // Ask a batch of 4 as the balancing learner would, with pending points in the children.
      for (let k = 0; k < 4; k++) {
        let best = -1;
        let bestImp = Number.NEGATIVE_INFINITY;
        let bestPoint = 0;
        children.forEach((c, i) => {
          if (i < 2 && (c as IntegratorLearner).done()) return;
          const { points, lossImprovements } = c.ask(1, { tellPending: false });
          if (points.length === 0) return;
          if ((lossImprovements[0] as number) > bestImp) {
            bestImp = lossImprovements[0] as number;
            best = i;
            bestPoint = points[0] as number;
          }
        });
        if (best < 0) break;
        const child = children[best] as Learner<number, number>;
        const before = child.pendingPoints.length;
        child.tellPending(bestPoint); // python: TypeError for an IntegratorLearner
        expect(child.pendingPoints).toContain(bestPoint);
        expect(child.pendingPoints.length).toBe(before + 1);
        // The next pure ask of that child no longer offers the point.
        expect(child.ask(1, { tellPending: false }).points).not.toContain(bestPoint);
        outstanding.push([best, bestPoint]);
      }
      // Results come back in a scrambled order: the oldest but one first.
      while (outstanding.length > 2) {
        const [i, x] = outstanding.splice(1, 1)[0] as [number, number];
        (children[i] as Learner<number, number>).tell(x, (fs[i] as (x: number) => number)(x));
      }
    }
    for (const [i, x] of outstanding) {
      (children[i] as Learner<number, number>).tell(x, (fs[i] as (x: number) => number)(x));
    }
    const [a, b] = children as [IntegratorLearner, IntegratorLearner];
    expect(a.done()).toBe(true);
    expect(a.igral).toBeCloseTo(Math.E - 1, 12);
    expect(b.npoints).toBeGreaterThan(100);
    expect(b.pendingPoints).toEqual([]);
    a.checkValid();
    b.checkValid();
  });

  it('tellPending of points planned past the queue, in any order, equals asking them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 80 }),
        fc.array(fc.nat(), { maxLength: 80 }),
        (told, n, keys) => {
          const a = new IntegratorLearner({ bounds: [-1, 2], tol: 1e-10 });
          const b = new IntegratorLearner({ bounds: [-1, 2], tol: 1e-10 });
          for (const l of [a, b]) {
            for (const x of l.ask(told).points) l.tell(x, g(x));
          }
          const planned = a.ask(n, { tellPending: false });
          const order = planned.points
            .map((x, i) => ({ x, k: keys[i] ?? i }))
            .sort((p, q) => p.k - q.k)
            .map((p) => p.x);
          for (const x of order) a.tellPending(x);
          const asked = b.ask(n);
          expect(asked).toEqual(planned);
          expect([...a.pendingPoints].sort()).toEqual([...b.pendingPoints].sort());
          expect(a.ask(7, { tellPending: false })).toEqual(b.ask(7, { tellPending: false }));
          a.checkValid();
        },
      ),
      { seed: 99, numRuns: 60 },
    );
  });

  it('tellPending of a known node: waiting → pending; pending or told → no change', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const [x0, x1, x2] = l.ask(3, { tellPending: false }).points as [number, number, number];
    l.tellPending(x1);
    expect(l.pendingPoints).toEqual([x1]);
    expect(l.ask(2).points).toEqual([x0, x2]);
    const s = state(l);
    l.tellPending(x1);
    l.tellPending(x0);
    expect(state(l)).toBe(s);
    l.tell(x0, 1);
    const t = state(l);
    l.tellPending(x0);
    expect(state(l)).toBe(t);
    expect(l.pendingPoints).toEqual([x1, x2]);
  });
});

describe('ask(n, { tellPending: false })', () => {
  it('leaves the learner unchanged and predicts ask(n) exactly', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ n: fc.integer({ min: 0, max: 60 }), keep: fc.double({ min: 0, max: 1 }) }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.constantFrom(f0, f21, f24),
        (steps, f) => {
          const l = new IntegratorLearner({ bounds: [0, 3], tol: 1e-10, maxIvals: 40 });
          for (const { n, keep } of steps) {
            const before = state(l);
            const planned = l.ask(n, { tellPending: false });
            expect(state(l)).toBe(before);
            const asked = l.ask(n);
            expect(asked).toEqual(planned);
            // Tell a part; the rest stays pending (or is put back).
            asked.points.forEach((x, i) => {
              if (i < asked.points.length * keep) l.tell(x, f(x));
            });
            if (keep < 0.1) l.removeUnfinished();
          }
          l.checkValid();
        },
      ),
      { seed: 7, numRuns: 80 },
    );
  });

  it('the fallback through a copy (for plans that would complete a rule) gives the same', () => {
    const l = new IntegratorLearner({ bounds: [0, 3], tol: 1e-10 });
    for (let i = 0; i < 200; i++) {
      const [x] = l.ask(1).points as [number];
      l.tell(x, f24(x));
    }
    const planned = l.ask(40, { tellPending: false });
    const forced = l as unknown as { plan: () => null };
    const plan = forced.plan;
    forced.plan = () => null;
    const before = state(l);
    expect(l.ask(40, { tellPending: false })).toEqual(planned);
    expect(state(l)).toBe(before);
    l.tellPending(planned.points[39] as number);
    forced.plan = plan;
    expect(l.pendingPoints).toEqual([planned.points[39]]);
    const asked = l.ask(40);
    expect(asked.points.slice(0, 39)).toEqual(planned.points.slice(0, 39));
    expect(asked.points).not.toContain(planned.points[39]);
    l.checkValid();
  });
});

describe('removeUnfinished', () => {
  it('puts the pending points back at the front of the queue', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const first = l.ask(5).points;
    l.tell(first[2] as number, 1);
    l.removeUnfinished();
    expect(l.pendingPoints).toEqual([]);
    const again = l.ask(6).points;
    expect(again.slice(0, 4)).toEqual([first[0], first[1], first[3], first[4]]);
    expect(again).not.toContain(first[2]);
    l.checkValid();
  });
});

describe('snapshots', () => {
  it('restore → continue gives the same run as without the interruption', () => {
    const f = f0;
    const whole = new IntegratorLearner({ bounds: [0, 3], tol: 1e-6 });
    const cut = new IntegratorLearner({ bounds: [0, 3], tol: 1e-6 });
    let resumed = cut;
    const step = (l: IntegratorLearner, k: number) => {
      const { points } = l.ask(k);
      // Leave the last one pending across the snapshot.
      l.tellMany(points.slice(0, -1), points.slice(0, -1).map(f));
      return points[points.length - 1];
    };
    const lateWhole: number[] = [];
    const lateCut: number[] = [];
    for (let round = 0; round < 200; round++) {
      const k = 1 + (round % 7);
      const a = step(whole, k);
      const b = step(resumed, k);
      if (a !== undefined) lateWhole.push(a);
      if (b !== undefined) lateCut.push(b);
      if (round % 40 === 17) {
        const text = JSON.stringify(resumed.snapshot());
        resumed = new IntegratorLearner({ bounds: [0, 3], tol: 1e-6 });
        resumed.restore(JSON.parse(text));
        resumed.checkValid();
      }
      if (round % 3 === 0) {
        for (const x of lateWhole.splice(0)) whole.tell(x, f(x));
        for (const x of lateCut.splice(0)) resumed.tell(x, f(x));
      }
    }
    expect(resumed.npoints).toBe(whole.npoints);
    expect(resumed.igral).toBe(whole.igral);
    expect(resumed.err).toBe(whole.err);
    expect(resumed.pendingPoints).toEqual(whole.pendingPoints);
    expect(resumed.ask(9, { tellPending: false })).toEqual(whole.ask(9, { tellPending: false }));
    expect(JSON.stringify(resumed.snapshot())).toBe(JSON.stringify(whole.snapshot()));
  });

  it('non-finite values and the divergence survive JSON', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-6 });
    const fdiv = (x: number) => (x === 0.5 ? Number.NaN : Math.abs(x - 0.987654321) ** -1.1);
    let diverged = false;
    for (let i = 0; i < 1000 && !diverged; i++) {
      const [x] = l.ask(1).points as [number];
      try {
        l.tell(x, fdiv(x));
      } catch {
        diverged = true;
      }
    }
    expect(diverged).toBe(true);
    const copy = new IntegratorLearner({ bounds: [0, 1], tol: 1e-6 });
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(copy.divergentInterval).toEqual(l.divergentInterval);
    expect(copy.toRecords().find((r) => r.x === 0.5)?.y).toBeNaN();
    expect(copy.igral).toBe(l.igral);
    expect(() => copy.ask(1)).toThrow(/appears to diverge/);
    copy.checkValid();
  });
});

describe('data out and read-outs', () => {
  it('toRecords and toArrays: the evaluated points sorted by x', () => {
    const l = new IntegratorLearner({ bounds: [-1, 1], tol: 1e-8 });
    const { points } = l.ask(20);
    for (const x of points.slice(0, 12)) l.tell(x, x * x);
    const recs = l.toRecords();
    expect(recs.length).toBe(12);
    expect(recs.every((r, i) => i === 0 || (recs[i - 1] as { x: number }).x < r.x)).toBe(true);
    expect(recs.every((r) => r.y === r.x * r.x)).toBe(true);
    const { x, y } = l.toArrays();
    expect(Array.from(x)).toEqual(recs.map((r) => r.x));
    expect(Array.from(y)).toEqual(recs.map((r) => r.y));
  });

  it('loss is | |igral|·tol − err |, the same with real: false; +Infinity before any estimate', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    expect(l.loss()).toBe(Number.POSITIVE_INFINITY);
    expect(l.err).toBe(Number.POSITIVE_INFINITY);
    expect(l.igral).toBe(0);
    expect(l.ask(1).lossImprovements).toEqual([Number.MAX_VALUE]); // python: sys.float_info.max
    for (let i = 0; i < 40; i++) {
      const [x] = l.ask(1).points as [number];
      l.tell(x, 1 / (1 + 25 * x * x));
    }
    expect(l.loss()).toBe(Math.abs(Math.abs(l.igral) * l.tol - l.err));
    expect(l.loss({ real: false })).toBe(l.loss());
  });

  it('maxIvals bounds the intervals being refined', () => {
    const l = new IntegratorLearner({ bounds: [0, 3], tol: 1e-14, maxIvals: 5 });
    for (let i = 0; i < 2000; i++) {
      const { points } = l.ask(1);
      for (const x of points) l.tell(x, f24(x));
      expect(l.nActiveIntervals).toBeLessThanOrEqual(5);
    }
    l.checkValid();
  });
});
