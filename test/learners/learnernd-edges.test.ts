// Regression tests for LearnerND at the edges of the doubles (issue 13, "Trust at the edges"):
// hulls and boxes far from the origin, snapshots whose derived data lies, asks beyond what a
// learner can hold. Each test is named after the symptom it pins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LearnerND, type LearnerNDOptions } from '../../src/learners/learnernd.js';
import { curvatureLossND } from '../../src/learners/losses-nd.js';

/** Serial and batched asks, every point told; throws what tell throws. */
function drive(l: LearnerND, f: (p: number[]) => number, rounds: number): number[][] {
  const all: number[][] = [];
  for (let i = 0; i < rounds; i++) {
    const { points } = l.ask(i % 3 === 0 ? 3 : 1);
    for (const p of points) {
      all.push(p);
      l.tell(p, f(p));
    }
  }
  return all;
}

describe('LearnerND with a hull far from the origin', () => {
  it('a hull too narrow for the doubles at its position is refused, saying so', () => {
    const o = 1e15; // 3 wide: 25 doubles along each axis
    expect(
      () =>
        new LearnerND({
          hull: [
            [o, o],
            [o + 3, o],
            [o, o + 3],
          ],
        }),
    ).toThrow(
      /the hull spans only 25 representable doubles along coordinate 0 .* too few to refine/,
    );
    expect(
      () =>
        new LearnerND({
          bounds: [
            [0, 1],
            [1e15, 1e15 + 1],
          ],
        }),
    ).toThrow(
      /bounds\[1\] = \[1000000000000000, 1000000000000001\] holds only 9 representable doubles/,
    );
  });

  it.each([1e12, -1e12, 3e9])(
    'hull [[o,o],[o+3,o],[o,o+3]], o = %d: every asked point is accepted by tell (it asked a point on an edge, then rejected it)',
    (o) => {
      const opts: LearnerNDOptions = {
        hull: [
          [o, o],
          [o + 3, o],
          [o, o + 3],
        ],
      };
      const l = new LearnerND(opts);
      const pts = drive(l, (p) => Math.sin((p[0] as number) - o) * ((p[1] as number) - o), 150);
      for (const p of pts) expect(l.inDomain(p)).toBe(true);
      expect(l.npoints).toBeGreaterThan(150);
      // Its own snapshot can be restored (it could not: a pending point "outside the hull").
      l.ask(2);
      const copy = new LearnerND(opts);
      copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
      expect(copy.ask(3, { tellPending: false })).toEqual(l.ask(3, { tellPending: false }));
    },
  );

  it('samples a far hull as it samples the same hull at 0 (the loss follows)', () => {
    const run = (o: number): number => {
      const l = new LearnerND({
        hull: [
          [o, o],
          [o + 3, o],
          [o, o + 3],
        ],
      });
      drive(l, (p) => Math.sin((p[0] as number) - o) * ((p[1] as number) - o), 150);
      return l.loss();
    };
    expect(run(1e12)).toBeCloseTo(run(0), 4);
  });

  it('asked points lie in the domain for random boxes and hulls: offsets to ±1e15, widths 1e-10 to 1e300 of the offset', () => {
    const axis = fc
      .tuple(
        fc.double({ min: -15, max: 15, noNaN: true }),
        fc.boolean(),
        fc.double({ min: -10, max: 300, noNaN: true }),
      )
      .map(([e, neg, w]): [number, number] => {
        const o = (neg ? -1 : 1) * 10 ** e;
        let width = Math.abs(o) * 10 ** w;
        if (!Number.isFinite(width) || !Number.isFinite(o + width)) width = 1e300;
        return [o, o + width];
      })
      .filter(([a, b]) => a < b);
    fc.assert(
      fc.property(axis, axis, fc.boolean(), ([x0, x1], [y0, y1], hull) => {
        const opts: LearnerNDOptions = hull
          ? {
              hull: [
                [x0, y0],
                [x1, y0],
                [x0, y1],
                [x0 + 0.7 * (x1 - x0), y0 + 0.6 * (y1 - y0)],
              ],
            }
          : {
              bounds: [
                [x0, x1],
                [y0, y1],
              ],
            };
        const l = new LearnerND(opts);
        const pts = drive(
          l,
          (p) =>
            Math.sin((5 * ((p[0] as number) - x0)) / (x1 - x0)) +
            ((p[1] as number) - y0) / (y1 - y0),
          40,
        );
        for (const p of pts) {
          expect(p[0]).toBeGreaterThanOrEqual(x0);
          expect(p[0]).toBeLessThanOrEqual(x1);
          expect(p[1]).toBeGreaterThanOrEqual(y0);
          expect(p[1]).toBeLessThanOrEqual(y1);
          expect(l.inDomain(p)).toBe(true);
        }
        new LearnerND(opts).restore(JSON.parse(JSON.stringify(l.snapshot())));
      }),
      { numRuns: 80, seed: 20261207 },
    );
  });
});

describe('LearnerND with a subnormal width (1/width overflows)', () => {
  it.each([false, true])(
    'samples it as near 0 (hull: %s): the loss falls, every ask accepted',
    (hull) => {
      const o = 1e-300;
      const w = 1e-309;
      const opts: LearnerNDOptions = hull
        ? {
            hull: [
              [o, o],
              [o + w, o],
              [o, o + w],
              [o + 0.6 * w, o + 0.7 * w],
            ],
          }
        : {
            bounds: [
              [o, o + w],
              [o, o + w],
            ],
          };
      const l = new LearnerND(opts);
      const pts = drive(l, (p) => Math.sin((((p[0] as number) - o) / w) * 4), 150);
      for (const p of pts) expect(l.inDomain(p)).toBe(true);
      // The scaled coordinates were Infinity · offset: the loss stayed Infinity.
      expect(l.loss()).toBeLessThan(0.02);
      new LearnerND(opts).restore(JSON.parse(JSON.stringify(l.snapshot())));
    },
  );
});

describe('LearnerND.restore trusts nothing it can recompute', () => {
  const opts: LearnerNDOptions = {
    bounds: [
      [0, 1],
      [0, 1],
    ],
  };
  const made = (): LearnerND => {
    const l = new LearnerND(opts);
    drive(l, (p) => Math.exp(-((p[0] as number) ** 2) * 10) + (p[1] as number), 40);
    l.ask(2);
    return l;
  };

  it.each([
    ['NaN', 'NaN'],
    ['negative', -5],
    ['Infinity', 'Infinity'],
  ])('refuses a loss that is %s (loss() became NaN or -5), and stays unchanged', (_, v) => {
    const s = made().snapshot() as unknown as { losses: unknown[] };
    const losses = [...s.losses];
    losses[3] = v;
    const l = made();
    const before = JSON.stringify(l.snapshot());
    expect(() => l.restore({ ...s, losses } as never)).toThrow(
      /losses\[3\] = .* is not a finite number >= 0/,
    );
    expect(JSON.stringify(l.snapshot())).toBe(before);
    expect(Number.isFinite(l.loss())).toBe(true);
  });

  it('recomputes the value range: a lying yMin/yMax changes nothing', () => {
    const l = made();
    const s = l.snapshot();
    const copy = new LearnerND(opts);
    copy.restore({ ...s, yMin: -1e300, yMax: 7 });
    expect(copy.ask(4, { tellPending: false })).toEqual(l.ask(4, { tellPending: false }));
    expect(copy.loss()).toBe(l.loss());
  });

  it.each([
    ['NaN', 'NaN'],
    ['negative', -1],
    ['above the range', 1e9],
    ['far below the range', 1e-9],
  ])('refuses an oldScale that is %s', (_, v) => {
    const s = made().snapshot();
    expect(() => new LearnerND(opts).restore({ ...s, oldScale: v })).toThrow(/oldScale/);
  });

  it('checks every point against the domain', () => {
    const s = made().snapshot() as unknown as { points: number[][]; pending: number[][] };
    const points = s.points.map((p) => [...p]);
    (points[7] as number[])[1] = 1 + 2 ** -52;
    expect(() => new LearnerND(opts).restore({ ...s, points } as never)).toThrow(
      /points\[7\]: .* is outside the bounds/,
    );
    const pending = [[0.5, -1e-300]];
    expect(() => new LearnerND(opts).restore({ ...s, pending } as never)).toThrow(
      /pending\[0\]: .* is outside the bounds/,
    );
  });
});

describe('LearnerND.ask(n) for a huge n', () => {
  it('ask(1e9) is a RangeError naming the limit (it spun)', () => {
    const l = new LearnerND({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(() => l.ask(1e9)).toThrow(RangeError);
    expect(() => l.ask(1e9)).toThrow(/more than the 67108864 \(2\^26\) this learner holds/);
    expect(l.pendingPoints).toEqual([]);
  });
});

describe('LearnerND curvatureLossND reads neighbour values in the value unit (d45c162: a neighbour vertex id shadowed it)', () => {
  const hull = [
    [0, 0],
    [2, 0],
    [0, 1],
  ];
  const f = (p: number[]): number[] => [Math.sin(3 * (p[0] as number)), (p[1] as number) ** 2];
  /** Points and values of a serial run, then the same data told in reverse order. */
  function run(scale: number): { points: number[][]; loss: number; reversed: number } {
    const l = new LearnerND({ hull, loss: curvatureLossND(), recomputeLossesFactor: 1 });
    const points: number[][] = [];
    for (let i = 0; i < 40; i++) {
      const p = l.ask(1).points[0] as number[];
      points.push(p);
      l.tell(
        p,
        f(p).map((v) => v * scale),
      );
    }
    const r = new LearnerND({ hull, loss: curvatureLossND(), recomputeLossesFactor: 1 });
    for (const p of [...points].reverse())
      r.tell(
        p,
        f(p).map((v) => v * scale),
      );
    return { points, loss: l.loss(), reversed: r.loss() };
  }

  it('the same data in two orders gives the same loss (the law found 0.4688 vs 0.5672)', () => {
    const a = run(1);
    expect(a.reversed).toBeCloseTo(a.loss, 12);
  });

  it('values times 2^100 ask the same points', () => {
    expect(run(2 ** 100).points).toEqual(run(1).points);
  });
});
