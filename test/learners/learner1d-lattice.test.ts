// Learner1D with integer: true (issue 19.1, python-adaptive #72): the points are the
// integers of the bounds; the continuum's choice rounded to the nearest free one; intervals
// with no integer inside have loss 0; done() once every integer is evaluated.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { runSync } from '../../src/runner/sync.js';

const f = (x: number): number => Math.sin(x / 40) + 0.3 * Math.exp(-((x - 500) ** 2) / 50);

/** Asks and tells in batches of k until ask returns nothing; checks every point asked. */
function runToEnd(l: Learner1D, k: number, g: (x: number) => number | number[] = f): number[] {
  const seen = new Set<number>();
  const [a, b] = l.bounds;
  for (;;) {
    const { points } = l.ask(k);
    if (points.length === 0) break;
    for (const x of points) {
      expect(Number.isInteger(x) && x >= a && x <= b, `${x} on the lattice`).toBe(true);
      expect(seen.has(x), `${x} asked twice`).toBe(false);
      seen.add(x);
    }
    for (const x of points) l.tell(x, g(x));
  }
  return [...seen].sort((p, q) => p - q);
}

const range = (a: number, b: number): number[] =>
  Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('Learner1D integer: true: every point on the lattice, each once, done when full', () => {
  it('bounds [0, 1000], ask(1)/tell until ask returns nothing: exactly 1001 points', () => {
    const l = new Learner1D({ bounds: [0, 1000], integer: true });
    let asks = 0;
    while (l.done?.() === false) {
      const { points } = l.ask(1);
      expect(points).toHaveLength(1);
      l.tell(points[0] as number, f(points[0] as number));
      asks++;
    }
    expect(asks).toBe(1001);
    expect(l.npoints).toBe(1001);
    expect(l.toRecords().map((r) => r.x)).toEqual(range(0, 1000));
    expect(l.loss()).toBe(0);
    expect(l.loss({ real: false })).toBe(0);
    expect(l.ask(5).points).toEqual([]);
    l.checkValid();
  });

  it.each([2, 7, 64, 1500])('in batches of %i: each integer once, then nothing', (k) => {
    const l = new Learner1D({ bounds: [-300, 700], integer: true });
    expect(runToEnd(l, k)).toEqual(range(-300, 700));
    expect(l.done?.()).toBe(true);
    expect(l.loss()).toBe(0);
    l.checkValid();
  });

  it('the loss is not 0 before the lattice is full, and falls to 0 when it is', () => {
    const l = new Learner1D({ bounds: [0, 40], integer: true });
    for (let i = 0; i < 20; i++) {
      const x = l.ask(1).points[0] as number;
      l.tell(x, f(x));
    }
    expect(l.loss()).toBeGreaterThan(0);
    expect(l.done?.()).toBe(false);
    runToEnd(l, 3);
    expect(l.loss()).toBe(0);
  });

  it('vector output: the same lattice, done at 201 points', () => {
    const l = new Learner1D({ bounds: [100, 300], integer: true });
    expect(runToEnd(l, 5, (x) => [f(x), x % 7])).toEqual(range(100, 300));
    expect(l.done?.()).toBe(true);
  });

  it('near Number.MAX_SAFE_INTEGER and across 0: each integer once', () => {
    const top = Number.MAX_SAFE_INTEGER;
    const l = new Learner1D({ bounds: [top - 60, top], integer: true });
    expect(runToEnd(l, 4, (x) => Math.sin(x - (top - 60)))).toEqual(range(top - 60, top));
    const m = new Learner1D({ bounds: [-5, 5], integer: true });
    expect(runToEnd(m, 1)).toEqual(range(-5, 5));
  });
});

describe('Learner1D integer: true: asks beyond the lattice return what is left, no hang', () => {
  it('bounds [0, 3], ask(10) → the 4 integers, then nothing', () => {
    const l = new Learner1D({ bounds: [0, 3], integer: true });
    expect(l.ask(10).points).toEqual([0, 1, 2, 3]);
    expect(l.ask(10).points).toEqual([]);
    expect(l.pendingPoints).toEqual([0, 1, 2, 3]);
    expect(l.done?.()).toBe(false);
    for (const x of [0, 1, 2, 3]) l.tell(x, x * x);
    expect(l.done?.()).toBe(true);
    expect(l.ask(10).points).toEqual([]);
  });

  it('bounds [0, 10] with data: ask(8) then ask(8) gives the 3 left, then nothing', () => {
    const l = new Learner1D({ bounds: [0, 10], integer: true });
    l.tellMany([0, 10], [0, 1]);
    const first = l.ask(8).points;
    const second = l.ask(8).points;
    expect(first).toHaveLength(8);
    expect(second).toHaveLength(1);
    expect([0, 10, ...first, ...second].sort((p, q) => p - q)).toEqual(range(0, 10));
    expect(l.ask(8).points).toEqual([]);
    l.checkValid();
  });

  it('a huge ask on a small lattice is cut to the lattice (no array of n)', () => {
    const l = new Learner1D({ bounds: [0, 5], integer: true });
    expect(l.ask(2 ** 40).points).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('ask(n, { tellPending: false }) past the lattice: the free integers, learner unchanged', () => {
    const l = new Learner1D({ bounds: [0, 6], integer: true });
    l.tellMany([0, 3, 6], [0, 1, 0]);
    const snap = JSON.stringify(l.snapshot());
    const { points } = l.ask(50, { tellPending: false });
    expect([...points].sort()).toEqual([1, 2, 4, 5]);
    expect(JSON.stringify(l.snapshot())).toBe(snap);
  });

  it('runSync with no goal stops by itself with reason done (a continuum learner needs a goal)', () => {
    const l = new Learner1D({ bounds: [0, 50], integer: true });
    const r = runSync(l, (x: number) => Math.sqrt(x));
    expect(r.reason).toBe('done');
    expect(l.npoints).toBe(51);
    expect(new Learner1D({ bounds: [0, 1] }).done).toBeUndefined();
    expect(() => runSync(new Learner1D({ bounds: [0, 1] }), Math.sqrt)).toThrow(/no goal/);
  });
});

describe('Learner1D integer: true: pending points', () => {
  it('a pending integer is never asked; removeUnfinished frees it again', () => {
    const l = new Learner1D({ bounds: [0, 8], integer: true });
    l.tellPending(4);
    const asked = l.ask(20).points;
    expect(asked).not.toContain(4);
    expect([4, ...asked].sort((p, q) => p - q)).toEqual(range(0, 8));
    l.removeUnfinished();
    expect(l.pendingPoints).toEqual([]);
    expect([...l.ask(20).points].sort((p, q) => p - q)).toEqual(range(0, 8));
  });

  it('an interval whose inside is all pending has combined loss 0; its real loss stays', () => {
    const l = new Learner1D({ bounds: [0, 2], integer: true });
    l.tellMany([0, 2], [0, 1]);
    expect(l.ask(1).points).toEqual([1]);
    expect(l.loss({ real: false })).toBe(0);
    expect(l.loss()).toBeGreaterThan(0); // 1 is not known yet
    expect(l.done?.()).toBe(false);
    l.tell(1, 5);
    expect(l.loss()).toBe(0);
    expect(l.intervalLosses()).toEqual([
      { x0: 0, x1: 1, loss: 0 },
      { x0: 1, x1: 2, loss: 0 },
    ]);
    expect(l.done?.()).toBe(true);
  });
});

describe('Learner1D integer: true: the continuum choice, rounded', () => {
  // Told points 8 apart: every interval holds 7 integers, no split of ask(3) fills one, so
  // the lattice learner chooses the intervals and pieces the continuum one does.
  it('ask(3) gives the continuum asks rounded to the nearest integer (same set)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 29 }), { maxLength: 12 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 31, maxLength: 31 }),
        (m, inner, ys) => {
          const b = 8 * m;
          const xs = [0, b, ...inner.filter((i) => i < m).map((i) => 8 * i)];
          const vals = xs.map((x) => ys[x / 8] as number);
          const cont = new Learner1D({ bounds: [0, b] });
          const lat = new Learner1D({ bounds: [0, b], integer: true });
          cont.tellMany(xs, vals);
          lat.tellMany(xs, vals);
          const want = cont.ask(3, { tellPending: false }).points.map(Math.round);
          const got = lat.ask(3, { tellPending: false }).points;
          expect([...got].sort((p, q) => p - q)).toEqual(want.sort((p, q) => p - q));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('Learner1D integer: true: snapshots', () => {
  const build = (): Learner1D => {
    const l = new Learner1D({ bounds: [-20, 80], integer: true });
    for (let i = 0; i < 6; i++) {
      const { points } = l.ask(5);
      for (const x of points.slice(0, 3)) l.tell(x, f(x));
    }
    return l;
  };

  it('round trip through JSON: same data, pending points, losses and next asks, and done', () => {
    const l = build();
    const snap = JSON.parse(JSON.stringify(l.snapshot()));
    expect(snap.integer).toBe(true);
    const r = new Learner1D({ bounds: [-20, 80], integer: true });
    r.restore(snap);
    r.checkValid();
    expect(r.toRecords()).toEqual(l.toRecords());
    expect(r.pendingPoints).toEqual(l.pendingPoints);
    expect(r.loss()).toBe(l.loss());
    expect(r.loss({ real: false })).toBe(l.loss({ real: false }));
    expect(r.ask(7).points).toEqual(l.ask(7).points);
    for (const x of l.pendingPoints) l.tell(x, f(x));
    runToEnd(l, 9);
    const full = new Learner1D({ bounds: [-20, 80], integer: true });
    full.restore(JSON.parse(JSON.stringify(l.snapshot())));
    expect(full.done?.()).toBe(true);
    expect(full.ask(1).points).toEqual([]);
  });

  it('a continuum snapshot has no integer field, as before', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    l.tell(0.5, 1);
    expect('integer' in l.snapshot()).toBe(false);
  });

  it('restore refuses an integer mismatch either way, and non-integer points; state unchanged', () => {
    const l = build();
    const snap = JSON.parse(JSON.stringify(l.snapshot()));
    const cont = new Learner1D({ bounds: [-20, 80] });
    expect(() => cont.restore(snap)).toThrow(/integer: true, this learner has integer: false/);
    const lat = new Learner1D({ bounds: [-20, 80], integer: true });
    const c2 = new Learner1D({ bounds: [-20, 80] });
    c2.tellMany([-20, 80], [0, 1]);
    expect(() => lat.restore(c2.snapshot())).toThrow(
      /integer: false, this learner has integer: true/,
    );
    const target = build();
    const before = JSON.stringify(target.snapshot());
    const badX = { ...snap, x: [...snap.x] };
    badX.x[1] = badX.x[1] + 0.5;
    expect(() => target.restore(badX)).toThrow(/x\[1\] = .*\.5 is not an integer/);
    const badP = { ...snap, pending: [...snap.pending] };
    badP.pending[0] = badP.pending[0] + 0.25;
    expect(() => target.restore(badP)).toThrow(/pending\[0\] = .*\.25 is not an integer/);
    expect(JSON.stringify(target.snapshot())).toBe(before);
  });

  it('new() keeps integer: true', () => {
    const l = new Learner1D({ bounds: [0, 3], integer: true }).new();
    expect(l.ask(10).points).toEqual([0, 1, 2, 3]);
    expect(typeof l.done).toBe('function');
  });
});

describe('Learner1D integer: true: bad input gets a clear error, state unchanged', () => {
  it('bounds that are not integers: refused, naming the integers inside', () => {
    expect(() => new Learner1D({ bounds: [0.5, 10], integer: true })).toThrow(
      /integer: true, so the bounds must be integers, got \[0\.5, 10\]; the integers in them are \[1, 10\]/,
    );
  });

  it('bounds with no integer inside: refused (the lattice would be empty)', () => {
    expect(() => new Learner1D({ bounds: [0.2, 0.8], integer: true })).toThrow(
      /no integer lies in the bounds \[0\.2, 0\.8\]/,
    );
  });

  it('bounds beyond Number.MAX_SAFE_INTEGER: refused', () => {
    expect(() => new Learner1D({ bounds: [0, 2 ** 60], integer: true })).toThrow(
      /MAX_SAFE_INTEGER/,
    );
  });

  it('integer not a boolean: TypeError', () => {
    expect(() => new Learner1D({ bounds: [0, 1], integer: 'yes' as unknown as boolean })).toThrow(
      /integer must be a boolean, got/,
    );
  });

  it('a lattice of few doubles is not refused as the continuum is: its integers are the points', () => {
    const a = 2 ** 52;
    expect(() => new Learner1D({ bounds: [a, a + 3] })).toThrow(/representable doubles/);
    const l = new Learner1D({ bounds: [a, a + 3], integer: true });
    expect(runToEnd(l, 2)).toEqual(range(a, a + 3));
  });

  it('tell, tellMany and tellPending of a non-integer: TypeError naming it, nothing told', () => {
    const l = new Learner1D({ bounds: [0, 10], integer: true });
    l.tellMany([0, 10], [1, 2]);
    l.ask(2);
    const before = JSON.stringify(l.snapshot());
    expect(() => l.tell(2.5, 1)).toThrow(/Learner1D\.tell: point 2\.5 is not an integer/);
    expect(() => l.tellMany([3, 4.75], [1, 1])).toThrow(/tellMany: point 4\.75 is not an integer/);
    expect(() => l.tellPending(0.1)).toThrow(/tellPending: point 0\.1 is not an integer/);
    expect(() => l.tell(11, 1)).toThrow(/outside the bounds/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.checkValid();
  });
});
