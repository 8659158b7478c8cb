// LearnerND with integer: boolean[] (issue 19.1, python-adaptive #72): every asked point on
// the lattice; with every dimension integer, simplices with no free lattice point have loss
// 0 and the learner is done when every lattice point is evaluated; with continuous ones left
// (mixed) it refines those as in the continuum.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latticePoint } from '../../src/learners/lattice.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import { uniformLossND } from '../../src/learners/losses-nd.js';

type Box = [number, number][];
const g = (p: readonly number[]): number =>
  Math.exp(-p.reduce((s, x, j) => s + (x - 2 - j) ** 2, 0) / 5) + 0.01 * (p[0] as number);

/**
 * Asks and tells in batches of k until ask returns nothing, or `rounds` batches (each then
 * full); checks every point asked.
 */
function runToEnd(l: LearnerND, k: number, integer: boolean[], rounds = Infinity): Set<string> {
  const seen = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    const { points } = l.ask(k);
    if (rounds !== Infinity) expect(points).toHaveLength(k);
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

describe('LearnerND integer: a simplex in one lattice cell', () => {
  it.each([
    ['defaultLossND', undefined],
    ['uniformLossND', uniformLossND],
  ] as const)('has loss 0 from its making, and keeps it through a snapshot (%s)', (_, loss) => {
    // Its vertices differ by at most 1 in each coordinate: every lattice point of the cell is
    // a corner, in the simplex only as a vertex. checkValid runs the full search on each one.
    const box: Box = [
      [0, 7],
      [0, 5],
      [-3, 3],
    ];
    const integer = [true, true, true];
    const l = new LearnerND({ bounds: box, integer, ...(loss ? { loss } : {}) });
    runToEnd(l, 3, integer, 60);
    const T = l.triangulation();
    let cells = 0;
    for (let s = 0; s < T.simplices.length; s += 4) {
      const vs = Array.from(T.simplices.slice(s, s + 4), (v) =>
        T.points.subarray(3 * v, 3 * v + 3),
      );
      const spread = (j: number) =>
        Math.max(...vs.map((v) => v[j] as number)) - Math.min(...vs.map((v) => v[j] as number));
      if (spread(0) <= 1 && spread(1) <= 1 && spread(2) <= 1) cells++;
    }
    expect(l.npoints).toBe(180);
    expect(cells).toBeGreaterThan(20);
    l.checkValid();
    const b = new LearnerND({ bounds: box, integer, ...(loss ? { loss } : {}) });
    b.restore(JSON.parse(JSON.stringify(l.snapshot())));
    b.checkValid();
    expect(b.loss()).toBe(l.loss());
    expect(b.ask(4).points).toEqual(l.ask(4).points);
  });

  it('3-D, every dimension integer: the nearest lattice point besides the vertices, as a brute force finds it', () => {
    // Small integer tetrahedra (many in one unit cell, where the search returns at once) and
    // every site of their box tested exactly (orientation signs of integers below 2⁵³).
    const det3 = (a: number[], b: number[], c: number[]) =>
      a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) -
      a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) +
      a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
    const orient = (a: number[], b: number[], c: number[], e: number[]) =>
      Math.sign(det3(sub(b, a), sub(c, a), sub(e, a)));
    const sub = (u: number[], v: number[]) => u.map((x, j) => x - v[j]!);
    const pt = fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: -1, max: 2 }),
    );
    const near = fc.tuple(
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
      fc.integer({ min: 0, max: 1 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(pt, { minLength: 4, maxLength: 4 }),
          fc.array(near, { minLength: 4, maxLength: 4 }),
        ),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        (vs, t) => {
          const V = vs.map((v) => [...v]);
          const o = orient(V[0]!, V[1]!, V[2]!, V[3]!);
          const lo = [0, 1, 2].map((j) => Math.min(...V.map((v) => v[j]!)));
          const hi = [0, 1, 2].map((j) => Math.max(...V.map((v) => v[j]!)));
          const p = [0, 1, 2].map((j) => lo[j]! + t[j]! * (hi[j]! - lo[j]!));
          const found: number[][] = [];
          if (o !== 0) {
            for (let x = lo[0]!; x <= hi[0]!; x++)
              for (let y = lo[1]!; y <= hi[1]!; y++)
                for (let z = lo[2]!; z <= hi[2]!; z++) {
                  const q = [x, y, z];
                  if (V.some((v) => v[0] === x && v[1] === y && v[2] === z)) continue;
                  const faces = [0, 1, 2, 3].map((i) => {
                    const W = V.map((v, r) => (r === i ? q : v));
                    return orient(W[0]!, W[1]!, W[2]!, W[3]!);
                  });
                  if (faces.every((f) => f === 0 || f === o)) found.push(q);
                }
          }
          const out = new Float64Array(3);
          const got = latticePoint(
            Float64Array.from(V.flat()),
            3,
            Uint8Array.of(1, 1, 1),
            Float64Array.from(p),
            Float64Array.of(1, 1, 1),
            out,
          );
          expect(got).toBe(found.length > 0);
          if (!got) return;
          const dist = (q: ArrayLike<number>) =>
            [0, 1, 2].reduce((e, j) => e + (q[j]! - p[j]!) ** 2, 0);
          expect(found.some((q) => q.every((x, j) => x === out[j]))).toBe(true);
          expect(dist(out)).toBe(Math.min(...found.map(dist)));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('LearnerND integer: mixed (integer and continuous dimensions)', () => {
  it('n on 1..64 and two continuous parameters: n integer, the rest refined, never done', () => {
    const integer = [true, false, false];
    const l = new LearnerND({
      bounds: [
        [1, 64],
        [0, 1],
        [-1, 1],
      ],
      integer,
    });
    runToEnd(l, 3, integer, 200);
    l.checkValid();
    expect(l.done).toBeUndefined();
    expect(l.loss()).toBeGreaterThan(0);
    expect(new Set(l.toRecords().map((r) => r.x[1])).size).toBeGreaterThan(300);
  });

  it('slivers that meet the lattice only at their vertices have loss 0, as on a full lattice', () => {
    // [0, 1] × [0, 1] × [0, 1] with x and z integer: every point lies on one of four lines,
    // and many simplices between them hold no free point. Each such one, searched again at
    // every ask while it kept its loss, made the asks quadratic (some 200 µs a point at 4000
    // points here, 20 now).
    const integer = [true, false, true];
    const l = new LearnerND({
      bounds: [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      integer,
    });
    runToEnd(l, 4, integer, 100);
    const snap = l.snapshot() as unknown as { losses: number[] };
    const zero = snap.losses.filter((x) => x === 0).length;
    expect(zero).toBeGreaterThan(0);
    expect(zero).toBeLessThan(snap.losses.length);
    expect(l.loss()).toBe(Math.max(...snap.losses));
    l.checkValid();
  });

  it('4-D [false, true, true, false] on a wide box: lattice points in the box, each once', () => {
    const integer = [false, true, true, false];
    const l = new LearnerND({
      bounds: [
        [-1, 1],
        [0, 40],
        [-70000, 70000],
        [0, 1e-3],
      ],
      integer,
    });
    runToEnd(l, 5, integer, 60);
    l.checkValid();
    expect(l.done).toBeUndefined();
  });

  // Issue 19: a law history (lossNonNegative, [true, false, true]) never ended. The search of
  // a simplex whose box holds more than SEARCH_LIMIT integer sites tries its faces' rounded
  // centroids, counting the faces in a scratch array that the slice's centroid (a
  // continuous dimension) counted its own faces in too: with four vertices the count never
  // reached its end. This history's 184th ask was the first such search to get there.
  it('the history that hung: its 184th ask returns the lattice point of the widest simplex', () => {
    const box: Box = [
      [670370352, 670389478],
      [41238.41633554548, 41239.41633554548],
      [45210574, 45251781],
    ];
    const l = new LearnerND({ bounds: box, integer: [true, false, true] });
    const f = (p: number[]): number =>
      Math.exp(-p.reduce((s, x, j) => s + ((x - box[j]![0]) / (box[j]![1] - box[j]![0])) ** 2, 0));
    for (let i = 0; i < 183; i++) {
      const p = l.ask(1).points[0] as number[];
      l.tell(p, f(p));
    }
    expect(l.ask(1).points).toEqual([[670384847, 41238.72690585638, 45246470]]);
  });

  it('a simplex too wide to search site by site offers its faces in order, edges first', () => {
    // The same fault without the hang: the slice's count skipped the edge (0, 2), whose
    // rounded centroid (96, 53) is the first one in the simplex; it returned (19, 96).
    const out = new Float64Array(3);
    const V = Float64Array.of(167, 0.375, 69, 4, 0.875, 141, 25, 1, 36, 33, 0.875, 51);
    const p = Float64Array.of(85.5, 0.625, 105);
    const scale = Float64Array.of(1 / 200, 1, 1 / 200);
    expect(latticePoint(V, 3, Uint8Array.of(1, 0, 1), p, scale, out)).toBe(true);
    expect(Array.from(out)).toEqual([96, 0.6852971041103688, 53]);
  });

  it('a slice that is only a vertex offers nothing, not a point a few ulps from it', () => {
    // A tetrahedron over the four sites of a unit square, one vertex at each: no free
    // lattice point. The slice's centroid at vertex 1 used to come out 2 ulps below it
    // (0.9092483912457215), a second point there that the scaled coordinates could not tell
    // apart (law orderIndependence, [true, false, true], 500 runs).
    const a = -1073741802;
    const b = 459751094;
    const y = [0.8301111301695572, 0.9092483912457217, 1.1068148402260762];
    const V = Float64Array.of(a, y[0]!, b, a, y[1]!, b + 1, a + 1, y[2]!, b, a + 1, y[2]!, b + 1);
    const p = Float64Array.of(a + 0.5, 0.9684629851978167, b + 0.5);
    const scale = Float64Array.of(1, 1 / 0.5534074201130381, 1);
    expect(latticePoint(V, 3, Uint8Array.of(1, 0, 1), p, scale, new Float64Array(3))).toBe(false);
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
      /integer\[1\] is true, so the bounds\[1\] must be integers, got \[0.5, 4\]; the integers in them are \[1, 4\]/,
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
