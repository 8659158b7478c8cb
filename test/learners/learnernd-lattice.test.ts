// LearnerND with integer: boolean[] (issue 19.1, python-adaptive #72): every asked point on
// the lattice; with every dimension integer, simplices with no free lattice point have loss
// 0 and the learner is done when every lattice point is evaluated.

import { describe, expect, it } from 'vitest';
import { LearnerND } from '../../src/learners/learnernd.js';

type Box = [number, number][];
const g = (p: readonly number[]): number =>
  Math.exp(-p.reduce((s, x, j) => s + (x - 2 - j) ** 2, 0) / 5) + 0.01 * (p[0] as number);

/** Asks and tells in batches of k until ask returns nothing; checks every point asked. */
function runToEnd(l: LearnerND, k: number, integer: boolean[]): Set<string> {
  const seen = new Set<string>();
  for (;;) {
    const { points } = l.ask(k);
    if (points.length === 0) break;
    expect(points.length).toBeLessThanOrEqual(k);
    for (const p of points) {
      p.forEach((x, j) => {
        expect(!integer[j] || Number.isInteger(x), `${p} on the lattice`).toBe(true);
        const [a, b] = l.bounds[j] as [number, number];
        expect(x >= a && x <= b).toBe(true);
      });
      expect(seen.has(`${p}`), `${p} asked twice`).toBe(false);
      seen.add(`${p}`);
    }
    for (const p of points) l.tell(p, g(p));
  }
  return seen;
}

const sizeOf = (box: Box): number => box.reduce((n, [a, b]) => n * (b - a + 1), 1);

describe('LearnerND integer: all true: every point on the lattice, each once, done when full', () => {
  it.each([
    [
      [
        [0, 6],
        [-2, 3],
        [10, 14],
      ],
      1,
    ],
    [
      [
        [0, 6],
        [-2, 3],
        [10, 14],
      ],
      9,
    ],
    [
      [
        [0, 12],
        [0, 9],
      ],
      5,
    ],
    [
      [
        [0, 3],
        [0, 3],
        [0, 2],
        [0, 2],
      ],
      4,
    ],
  ] as [Box, number][])(
    '%j in batches of %i: each lattice point once, then loss 0 and nothing',
    (box, k) => {
      const integer = box.map(() => true);
      const l = new LearnerND({ bounds: box, integer });
      const seen = runToEnd(l, k, integer);
      expect(seen.size).toBe(sizeOf(box));
      expect(l.npoints).toBe(sizeOf(box));
      expect(l.done?.()).toBe(true);
      expect(l.loss()).toBe(0);
      expect(l.loss({ real: false })).toBe(0);
      expect(l.ask(3).points).toEqual([]);
      l.checkValid();
    },
  );

  it('a lattice smaller than the ask: [0, 1] × [0, 1] × [0, 2] asked 100 gives its 12 points, then nothing', () => {
    const l = new LearnerND({
      bounds: [
        [0, 1],
        [0, 1],
        [0, 2],
      ],
      integer: [true, true, true],
    });
    const got = l.ask(100).points;
    expect(got.length).toBeLessThanOrEqual(12);
    const all = [...got];
    for (;;) {
      const more = l.ask(100).points;
      if (more.length === 0) break;
      all.push(...more);
    }
    expect(new Set(all.map(String)).size).toBe(12);
    expect(all).toHaveLength(12);
    expect(l.done?.()).toBe(false); // asked, not told
    for (const p of all) l.tell(p, g(p));
    expect(l.done?.()).toBe(true);
    expect(l.loss()).toBe(0);
  });

  it('the loss is not 0 before the lattice is full; continuum asks unchanged by integer: all false', () => {
    const box: Box = [
      [0, 8],
      [0, 8],
      [0, 8],
    ];
    const l = new LearnerND({ bounds: box, integer: [true, true, true] });
    for (let i = 0; i < 60; i++) {
      const p = l.ask(1).points[0] as number[];
      l.tell(p, g(p));
    }
    expect(l.loss()).toBeGreaterThan(0);
    expect(l.done?.()).toBe(false);
    const a = new LearnerND({ bounds: box });
    const b = new LearnerND({ bounds: box, integer: [false, false, false] });
    for (let i = 0; i < 40; i++) {
      const pa = a.ask(2).points;
      expect(b.ask(2).points).toEqual(pa);
      for (const p of pa) {
        a.tell(p, g(p));
        b.tell(p, g(p));
      }
    }
    expect(b.done).toBeUndefined();
  });
});

describe('LearnerND integer: mixed', () => {
  it('is refused with an error that names the supported forms (every dimension or none)', () => {
    expect(
      () =>
        new LearnerND({
          bounds: [
            [1, 64],
            [0, 1],
            [-1, 1],
          ],
          integer: [true, false, false],
        }),
    ).toThrow(
      /integer must flag every dimension or none.*Learner2D takes integer: \[true, false\]/,
    );
  });
});

describe('LearnerND lattice: bad input and snapshots', () => {
  it('clear errors: no integer in the bounds, non-integer bounds, a hull, a malformed option', () => {
    expect(
      () =>
        new LearnerND({
          bounds: [
            [0.1, 0.9],
            [0, 1],
          ],
          integer: [true, false],
        }),
    ).toThrow(
      /LearnerND: integer\[0\] is true, but no integer lies in the bounds\[0\] \[0.1, 0.9\]/,
    );
    expect(
      () =>
        new LearnerND({
          bounds: [
            [0, 1],
            [0.5, 4],
          ],
          integer: [false, true],
        }),
    ).toThrow(
      /integer\[1\] is true needs integer bounds\[1\], got \[0.5, 4\]; the integers in them are \[1, 4\]/,
    );
    expect(
      () =>
        new LearnerND({
          hull: [
            [0, 0],
            [4, 0],
            [0, 4],
          ],
          integer: [true, true],
        }),
    ).toThrow(/integer needs a box \(bounds\)/);
    expect(
      () =>
        new LearnerND({
          bounds: [
            [0, 1],
            [0, 1],
          ],
          integer: [true],
        }),
    ).toThrow(/integer must be an array of 2 booleans/);
  });

  it('a point off the lattice is a TypeError naming it; the learner is unchanged', () => {
    const l = new LearnerND({
      bounds: [
        [0, 4],
        [0, 1],
      ],
      integer: [true, true],
    });
    l.tell([0, 1], 1);
    expect(() => l.tell([1.5, 1], 1)).toThrow(
      /LearnerND.tell: point \[1.5, 1\] is not on the lattice \(coordinates 0, 1 must be integers\)/,
    );
    expect(() => l.tellPending([0.25, 0])).toThrow(
      /tellPending: point \[0.25, 0\] is not on the lattice/,
    );
    expect(() =>
      l.tellMany(
        [
          [2, 1],
          [2.5, 1],
        ],
        [1, 2],
      ),
    ).toThrow(/is not on the lattice/);
    expect(l.npoints).toBe(1);
    expect(l.pendingPoints).toEqual([]);
  });

  it('snapshots: round trip asks the same and finishes the lattice; a mismatch is refused', () => {
    const box: Box = [
      [0, 5],
      [0, 4],
      [0, 3],
    ];
    const integer = [true, true, true];
    const a = new LearnerND({ bounds: box, integer });
    for (let i = 0; i < 20; i++) for (const p of a.ask(2).points) a.tell(p, g(p));
    a.ask(3);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    expect(snap.integer).toEqual(integer);
    const b = new LearnerND({ bounds: box, integer });
    b.restore(snap);
    b.checkValid();
    expect(b.ask(4).points).toEqual(a.ask(4).points);
    b.removeUnfinished();
    runToEnd(b, 3, integer);
    expect(b.done?.()).toBe(true);
    expect(b.new().done?.()).toBe(false);
    const cont = new LearnerND({ bounds: box });
    expect(() => cont.restore(snap)).toThrow(
      /taken with integer: \[true, true, true\], this learner has integer: \[false, false, false\]/,
    );
    const off = JSON.parse(JSON.stringify(snap));
    off.pending = [[1.5, 1, 1]];
    expect(() => b.restore(off)).toThrow(/is not on the lattice/);
    expect('integer' in cont.snapshot()).toBe(false);
  });
});

describe('LearnerND integer and the bisection mesh', () => {
  const box5 = Array.from({ length: 5 }, () => [0, 4] as [number, number]);
  it("refuses integer with mesh 'bisection', naming both", () => {
    expect(
      () =>
        new LearnerND({
          bounds: box5,
          mesh: 'bisection',
          integer: [true, false, false, false, false],
        }),
    ).toThrow(/integer dimensions are sampled on mesh 'delaunay' only/);
  });
  it('keeps Delaunay as the default mesh with integer, also from 5-D, and asks lattice points', () => {
    const l = new LearnerND({ bounds: box5, integer: [true, true, true, true, true] });
    for (let i = 0; i < 40; i++) {
      const [p] = l.ask(1).points as [number[]];
      expect(p.every((v) => Number.isInteger(v))).toBe(true);
      l.tell(
        p,
        p.reduce((s, v) => s + v, 0),
      );
    }
    expect(l.snapshot().mesh).toBeUndefined();
  });
});
