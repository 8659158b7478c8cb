// Regression tests for Learner2D at the edges of the doubles (issue 13, "Trust at the edges"):
// domains far from the origin or as wide as the doubles allow, values near ±MAX_VALUE or
// subnormal, a loss function that throws, asks beyond what a learner can hold, snapshots whose
// derived data lies. Each test is named after the symptom it pins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import {
  defaultLoss2D,
  defineLoss2D,
  resolutionLoss2D,
  thresholdedLoss2D,
} from '../../src/learners/losses2d.js';

type Bounds = [[number, number], [number, number]];

/** python-adaptive's ring, in coordinates relative to the bounds (so every domain sees it alike). */
function ringOn(b: Bounds): (p: Point2D) => number {
  const [[x0, x1], [y0, y1]] = b;
  return ([x, y]) => {
    const u = ((x - x0) / (x1 - x0)) * 2 - 1;
    const v = ((y - y0) / (y1 - y0)) * 2 - 1;
    const r = u * u + v * v - 0.5625;
    return u + Math.exp(-(r * r) / 0.0016);
  };
}

/** Serial ask/tell until the loss reaches goal (or max points); the points and the losses. */
function runSerial(
  b: Bounds,
  f: (p: Point2D) => number,
  goal: number,
  max: number,
): { points: Point2D[]; losses: number[] } {
  const l = new Learner2D({ bounds: b });
  const points: Point2D[] = [];
  const losses: number[] = [];
  while (points.length < max) {
    const p = l.ask(1).points[0] as Point2D;
    points.push(p);
    l.tell(p, f(p));
    losses.push(l.loss());
    if (points.length > 4 && l.loss() <= goal) break;
  }
  return { points, losses };
}

function inside(b: Bounds, [x, y]: Point2D): boolean {
  return x >= b[0][0] && x <= b[0][1] && y >= b[1][0] && y <= b[1][1];
}

describe('Learner2D bounds whose width overflows', () => {
  it.each([
    [
      [
        [-1e308, 1e308],
        [0, 1],
      ],
      'x',
    ],
    [
      [
        [0, 1],
        [-Number.MAX_VALUE, Number.MAX_VALUE],
      ],
      'y',
    ],
  ] as [Bounds, string][])(
    'are refused with a message saying the width overflows: %j',
    (b, axis) => {
      expect(() => new Learner2D({ bounds: b })).toThrow(RangeError);
      expect(() => new Learner2D({ bounds: b })).toThrow(
        new RegExp(`the width of the ${axis} bounds .* overflows`),
      );
    },
  );
});

describe('Learner2D bounds with too few doubles', () => {
  it('are refused with a message saying so', () => {
    expect(
      () =>
        new Learner2D({
          bounds: [
            [1e15, 1e15 + 1],
            [0, 1],
          ],
        }),
    ).toThrow(
      /the x bounds \[1000000000000000, 1000000000000001\] hold only 9 representable doubles, too few to refine/,
    );
    expect(
      () =>
        new Learner2D({
          bounds: [
            [0, 1],
            [0, 5e-324 * 3],
          ],
        }),
    ).toThrow(/the y bounds .* hold only 4 representable doubles/);
    // 1e-10 of the offset is plenty.
    expect(
      () =>
        new Learner2D({
          bounds: [
            [1e15, 1e15 + 1e5],
            [1, 1 + 1e-10],
          ],
        }),
    ).not.toThrow();
  });
});

describe('Learner2D on bounds [[0, 1e308]]² and wider', () => {
  it('samples as near 0: the loss falls as points are added, as on [-1, 1]²', () => {
    const unit: Bounds = [
      [-1, 1],
      [-1, 1],
    ];
    const ref = runSerial(unit, ringOn(unit), 0, 400);
    for (const B of [1e308, 1.7e308, Number.MAX_VALUE]) {
      const b: Bounds = [
        [0, B],
        [0, B],
      ];
      const run = runSerial(b, ringOn(b), 0, 400);
      for (const p of run.points) expect(inside(b, p), `${p} in ${b}`).toBe(true);
      // The centroid's sum overflowed: the loss grew. Now it follows the reference run.
      expect(run.losses[399] as number).toBeLessThan(0.03);
      for (const i of [49, 99, 199, 399]) {
        expect(run.losses[i] as number).toBeCloseTo(ref.losses[i] as number, 6);
      }
    }
  });
});

describe('Learner2D values of any finite magnitude', () => {
  const b: Bounds = [
    [-1, 1],
    [-1, 1],
  ];
  const ring = ringOn(b);
  const ref = runSerial(b, ring, 0.01, 3000);

  it.each([1e300, 1e303, 1e307, 2 ** 1000, 1e-300, 1e-310])(
    'values times %d ask the points the values themselves ask (as far as rounding allows)',
    (c) => {
      const run = runSerial(b, (p) => ring(p) * c, 0.01, 3000);
      // It lost its focus (15 277 points at 1e303): now the same number of points, give or
      // take a tie broken the other way by rounding.
      expect(Math.abs(run.points.length - ref.points.length)).toBeLessThanOrEqual(
        c === 1e-310 ? 20 : 2,
      );
      // The first points are the same.
      for (let i = 0; i < 100; i++) {
        const p = run.points[i] as Point2D;
        const q = ref.points[i] as Point2D;
        expect(Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]), `point ${i}`).toBeLessThan(1e-9);
      }
      for (const l of run.losses.slice(4)) expect(Number.isFinite(l)).toBe(true);
    },
  );

  it('values times a power of two ask exactly the same points', () => {
    const run = runSerial(b, (p) => ring(p) * 2 ** 1020, 0.01, 3000);
    expect(run.points).toEqual(ref.points);
    expect(run.losses).toEqual(ref.losses);
  });

  it('values of opposite signs near ±MAX_VALUE keep the loss finite', () => {
    const run = runSerial(b, (p) => Math.tanh(5 * p[0]) * Number.MAX_VALUE, 0.02, 4000);
    expect(run.points.length).toBeLessThan(4000);
    for (const l of run.losses.slice(4)) expect(Number.isFinite(l)).toBe(true);
  });

  it('a thresholded loss compares the values in the told units, whatever their scale', () => {
    const counts = [1, 1e300].map((c) => {
      const l = new Learner2D({
        bounds: b,
        loss: thresholdedLoss2D({ upperThreshold: 0.5 * c }),
      });
      const pts: Point2D[] = [];
      for (let i = 0; i < 200; i++) {
        const p = l.ask(1).points[0] as Point2D;
        pts.push(p);
        l.tell(p, ring(p) * c);
      }
      return pts;
    });
    for (let i = 0; i < 200; i++) {
      const p = counts[1]?.[i] as Point2D;
      const q = counts[0]?.[i] as Point2D;
      expect(Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]), `point ${i}`).toBeLessThan(1e-9);
    }
  });
});

describe('Learner2D asked points lie inside the domain exactly', () => {
  it('for bounds far from the origin, widths from 1e-10 to 1e300 of the offset; every ask is accepted by tell', () => {
    const bound = fc
      .tuple(
        fc.double({ min: -15, max: 15, noNaN: true }),
        fc.boolean(),
        fc.double({ min: -10, max: 300, noNaN: true }),
      )
      .map(([e, neg, w]): [number, number] => {
        const o = (neg ? -1 : 1) * 10 ** e;
        let width = Math.abs(o) * 10 ** w;
        if (!Number.isFinite(o + width) || !Number.isFinite(width)) width = 1e307;
        return [o, o + width];
      })
      .filter(([a, c]) => a < c);
    fc.assert(
      fc.property(bound, bound, fc.integer({ min: 1, max: 5 }), (bx, by, batch) => {
        const b: Bounds = [bx, by];
        const l = new Learner2D({ bounds: b });
        const f = ringOn(b);
        for (let i = 0; i < 25; i++) {
          const { points } = l.ask(batch);
          for (const p of points) {
            expect(inside(b, p), `${p} in ${JSON.stringify(b)}`).toBe(true);
            l.tell(p, f(p));
          }
        }
        expect(l.npoints).toBeGreaterThan(20);
      }),
      { numRuns: 60, seed: 20261206 },
    );
  });
});

describe('Learner2D with a loss function that throws', () => {
  it('says so, names the error and keeps the data, as LearnerND', () => {
    let bomb = false;
    const loss = defineLoss2D(
      (t) => {
        if (bomb) throw new Error('boom');
        return defaultLoss2D(t);
      },
      { name: 'bomb' },
    );
    const l = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
      loss,
    });
    for (let i = 0; i < 10; i++) {
      const p = l.ask(1).points[0] as Point2D;
      l.tell(p, p[0] * p[1]);
    }
    const p = l.ask(1, { tellPending: false }).points[0] as Point2D;
    bomb = true;
    l.tell(p, 1); // the losses update lazily: the next read meets the error
    expect(() => l.ask(1)).toThrow(
      /Learner2D: the loss function threw: boom \(the data was kept\)/,
    );
    expect(l.npoints).toBe(11);
    expect(l.pendingPoints).toEqual([]);
    bomb = false;
    expect(l.ask(1).points).toHaveLength(1);
  });

  it('a loss returning a non-number is reported the same way', () => {
    const loss = defineLoss2D(() => 'big' as unknown as number, { name: 'str' });
    const l = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
      loss,
    });
    for (const p of l.ask(4).points) l.tell(p, 1);
    expect(() => l.loss()).toThrow(/the loss function returned "big", expected a number/);
    expect(l.npoints).toBe(4);
  });
});

describe('Learner2D.ask(n) for a huge n', () => {
  it('ask(1e9) is a RangeError naming the limit (it spun)', () => {
    const l = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(() => l.ask(1e9)).toThrow(RangeError);
    expect(() => l.ask(1e9)).toThrow(/more than the 67108864 \(2\^26\) this learner holds/);
    expect(l.pendingPoints).toEqual([]);
  });

  it('ask(n) far beyond npoints completes with n distinct points inside the domain', () => {
    const l = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    for (const p of l.ask(4).points) l.tell(p, p[0]);
    const { points } = l.ask(20000);
    expect(points).toHaveLength(20000);
    expect(new Set(points.map((p) => `${p[0]},${p[1]}`)).size).toBe(20000);
  });
});

describe('Learner2D.restore trusts nothing it can recompute', () => {
  const b: Bounds = [
    [0, 1],
    [0, 1],
  ];
  const made = (): Learner2D => {
    const l = new Learner2D({ bounds: b });
    for (let i = 0; i < 30; i++) {
      const p = l.ask(1).points[0] as Point2D;
      l.tell(p, Math.sin(5 * p[0]) + p[1]);
    }
    l.ask(3);
    return l;
  };

  it('recomputes the value range: a lying yMin/yMax changes nothing', () => {
    const l = made();
    const s = l.snapshot();
    const copy = new Learner2D({ bounds: b });
    copy.restore({ ...s, yMin: [-1e300], yMax: [5] });
    expect(copy.ask(5, { tellPending: false })).toEqual(l.ask(5, { tellPending: false }));
    expect(copy.loss()).toBe(l.loss());
  });

  it.each([
    ['NaN', 'NaN'],
    ['negative', -5],
    ['larger than the range', 1e6],
    ['far below the range', 1e-6],
  ])('refuses a valueScale that is %s, and stays unchanged', (_, v) => {
    const l = made();
    const s = l.snapshot();
    const other = made();
    const before = JSON.stringify(other.snapshot());
    expect(() => other.restore({ ...s, valueScale: v })).toThrow(/valueScale/);
    expect(JSON.stringify(other.snapshot())).toBe(before);
  });

  it('refuses a point outside the bounds and a pending value no interpolant gives', () => {
    const l = made();
    const s = l.snapshot() as unknown as {
      points: number[][];
      pendingValues: unknown[];
    };
    const pts = s.points.map((p) => [...p]);
    (pts[5] as number[])[0] = 1 + 2 ** -52;
    expect(() => new Learner2D({ bounds: b }).restore({ ...s, points: pts } as never)).toThrow(
      /points\[5\] = .* is outside the bounds/,
    );
    const pv = [...s.pendingValues];
    pv[0] = 1e9;
    expect(() =>
      new Learner2D({ bounds: b }).restore({ ...s, pendingValues: pv } as never),
    ).toThrow(/pendingValues\[0\] = 1000000000 is not NaN nor within the range/);
  });

  it('round-trips values near ±MAX_VALUE and subnormal ones (the value unit)', () => {
    for (const c of [Number.MAX_VALUE / 4, 1e-310]) {
      const l = new Learner2D({ bounds: b });
      for (let i = 0; i < 40; i++) {
        const p = l.ask(1).points[0] as Point2D;
        l.tell(p, (Math.sin(5 * p[0]) + p[1] - 1) * c);
      }
      const copy = new Learner2D({ bounds: b });
      copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
      expect(copy.ask(10, { tellPending: false })).toEqual(l.ask(10, { tellPending: false }));
      expect(copy.loss()).toBe(l.loss());
    }
  });
});

describe('Learner2D while every value is the same (value range 0)', () => {
  // A loss reading the values themselves, not only their differences.
  const heightLoss = defineLoss2D(
    (t) => {
      let s = 0;
      for (const v of t.values) s += Math.abs(v) / t.valueScale;
      return Math.sqrt(t.area) * (1 + s);
    },
    { name: 'height', needsGradients: false },
  );
  const b: Bounds = [
    [-1, 1],
    [-1, 1],
  ];
  function run(c: number): { points: Point2D[]; losses: number[] } {
    const l = new Learner2D({ bounds: b, loss: heightLoss });
    const points: Point2D[] = [];
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const p = l.ask(1).points[0] as Point2D;
      points.push(p);
      l.tell(p, [-5 * c, -5 * c]);
      losses.push(l.loss());
    }
    return { points, losses };
  }
  const ref = run(1);

  it('constant [-5, -5] asks the points f × 2^42 asks (the losses divided by 1, not by the magnitude)', () => {
    const r = run(2 ** 42);
    expect(r.points).toEqual(ref.points);
    expect(r.losses).toEqual(ref.losses);
  });

  it.each([1e300, 1e-300, 1e-310])('constant [-5, -5] × %d gives the losses of f', (c) => {
    const r = run(c);
    for (let i = 0; i < ref.losses.length; i++) {
      expect(r.losses[i] as number, `loss ${i}`).toBeCloseTo(ref.losses[i] as number, 12);
    }
  });
});

// Points closer than the scaled coordinates resolve ([0, -1] and [0, 0] on [0, 1] × [-1, 2.6e16]
// are 1e-17 apart once scaled): one triangulated vertex, but every point is kept (issue 13).
describe('Learner2D points that share scaled coordinates with a pending point', () => {
  const tall: Bounds = [
    [0, 1],
    [-1, 2.6e16],
  ];

  it('ask returns [0, -1], then tell([0, 0]) keeps [0, -1] pending (it lost the pending point and asked it again)', () => {
    const l = new Learner2D({ bounds: tall });
    expect(l.ask(1).points).toEqual([[0, -1]]);
    l.tell([0, 0], 1);
    expect(l.pendingPoints).toEqual([[0, -1]]);
    expect(l.npoints).toBe(1);
    l.checkValid();
    const next = l.ask(8).points;
    expect(next).not.toContainEqual([0, -1]);
    expect(l.pendingPoints).toContainEqual([0, -1]);
    l.tell([0, -1], 2);
    expect(l.npoints).toBe(2);
    expect(l.pendingPoints).not.toContainEqual([0, -1]);
    expect(l.toRecords().map((r) => r.x)).toEqual([
      [0, -1],
      [0, 0],
    ]);
    l.checkValid();
    const copy = new Learner2D({ bounds: tall });
    copy.restore(l.snapshot());
    copy.checkValid();
    expect(copy.snapshot()).toEqual(l.snapshot());
  });

  it('a corner at the scaled coordinates of an evaluated point is handed out once, then pending (it was asked again and again)', () => {
    const l = new Learner2D({ bounds: tall });
    l.tell([0, 0], 1);
    const first = l.ask(4).points;
    expect(first).toContainEqual([0, -1]);
    expect(l.pendingPoints).toContainEqual([0, -1]);
    for (let i = 0; i < 5; i++) expect(l.ask(1).points).not.toContainEqual([0, -1]);
    l.checkValid();
    l.tell([0, -1], 2);
    expect(l.npoints).toBe(2);
    l.checkValid();
  });

  it('two pending points at one scaled position: either told first, both kept, the same data whatever the order', () => {
    const snaps: string[] = [];
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      const l = new Learner2D({ bounds: tall });
      const pts: Point2D[] = [
        [0, -1],
        [0, 0],
      ];
      l.tellPending([0, -1]);
      l.tellPending([0, 0]);
      expect(l.pendingPoints).toEqual(pts);
      const mid = new Learner2D({ bounds: tall });
      mid.restore(l.snapshot());
      mid.checkValid();
      expect(mid.pendingPoints).toEqual(pts);
      for (const i of order) {
        l.tell(pts[i] as Point2D, i + 1);
        l.checkValid();
      }
      expect(l.pendingPoints).toEqual([]);
      expect(l.npoints).toBe(2);
      for (const c of [
        [1, -1],
        [0, 2.6e16],
        [1, 2.6e16],
      ] as Point2D[])
        l.tell(c, 0);
      snaps.push(JSON.stringify(l.snapshot()));
    }
    expect(snaps[1]).toBe(snaps[0]);
  });

  it('a pending point beside an evaluated -Infinity restores (its snapshot held -Infinity as the pending value, refused)', () => {
    const l = new Learner2D({ bounds: tall });
    l.tell([0, 0], Number.NEGATIVE_INFINITY);
    l.tell([1, -1], 1);
    l.tellPending([0, -1]);
    const copy = new Learner2D({ bounds: tall });
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    copy.checkValid();
    expect(copy.pendingPoints).toEqual([[0, -1]]);
  });

  it('removeUnfinished forgets a pending point that shares scaled coordinates', () => {
    const l = new Learner2D({ bounds: tall });
    l.tell([0, 0], 1);
    l.tellPending([0, -1]);
    expect(l.pendingPoints).toEqual([[0, -1]]);
    l.removeUnfinished();
    expect(l.pendingPoints).toEqual([]);
    l.checkValid();
  });
});

describe('Learner2D on a function that is NaN outside a disc', () => {
  const f = ([x, y]: Point2D): number => {
    if (x * x + y * y > 0.81) return Number.NaN;
    const r = x * x + y * y - 0.5625;
    return x + Math.exp(-(r * r) / 0.0016);
  };

  it('resolves the edge of the NaN region before the loss goal is met (the loss there was area-only and the run stopped with the edge 0.43 away)', () => {
    const l = new Learner2D({
      bounds: [
        [-1, 1],
        [-1, 1],
      ],
    });
    while (l.npoints < 5000) {
      const p = l.ask(1).points[0] as Point2D;
      l.tell(p, f(p));
      if (l.npoints > 4 && l.loss() <= 0.01) break;
    }
    expect(l.loss()).toBeLessThanOrEqual(0.01);
    const pts = l.toRecords().map((r) => r.x);
    // The farthest point of the edge (the circle r = 0.9) from every sample.
    let gap = 0;
    for (let k = 0; k < 360; k++) {
      const t = (2 * Math.PI * k) / 360;
      const cx = 0.9 * Math.cos(t);
      const cy = 0.9 * Math.sin(t);
      let best = Number.POSITIVE_INFINITY;
      for (const [x, y] of pts) best = Math.min(best, Math.hypot(x - cx, y - cy));
      gap = Math.max(gap, best);
    }
    expect(gap).toBeLessThan(0.05);
    // The NaN region's inside is not refined like its edge: most samples are finite.
    const inNaN = pts.filter(([x, y]) => x * x + y * y > 0.81).length;
    expect(inNaN).toBeLessThan(pts.length / 2);
    l.checkValid();
  });

  it('a loss of 0 on the edge is kept (resolutionLoss2D below its minimum distance stops there)', () => {
    const l = new Learner2D({
      bounds: [
        [-1, 1],
        [-1, 1],
      ],
      loss: resolutionLoss2D({ minDistance: 0.05 }),
    });
    for (let i = 0; i < 3000; i++) {
      const r = l.ask(1);
      if (r.points.length === 0 || r.lossImprovements[0] === 0) break;
      const p = r.points[0] as Point2D;
      l.tell(p, f(p));
    }
    expect(l.loss()).toBe(0);
    l.checkValid();
  });
});

describe('Learner2D told a point again that shares scaled coordinates with another', () => {
  it('changes nothing (a second shadow was made: npoints 3 for 2 points)', () => {
    const b: Bounds = [
      [0, 1e-136],
      [0, 1],
    ];
    const l = new Learner2D({ bounds: b });
    l.tell([1e-166, 0], 1);
    l.tell([0, 0], 2);
    expect(l.npoints).toBe(2);
    const before = JSON.stringify(l.snapshot());
    l.tell([1e-166, 0], 1);
    l.tell([0, 0], 2);
    l.tellMany([[1e-166, 0]], [1]);
    l.tellPending([1e-166, 0]);
    expect(l.npoints).toBe(2);
    expect(l.pendingPoints).toEqual([]);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.checkValid();
  });
});

describe('Learner2D restore of a corner and a point at its scaled coordinates', () => {
  it('triangulates the smaller as told, as tell does (restore took the corner: loss 0.15 where the original had 0.707)', () => {
    const b: Bounds = [
      [-0.0010000000000000026, 0],
      [0, 6.14217205555578e-87],
    ];
    const l = new Learner2D({ bounds: b });
    l.tell([-5e-324, 0], 0.5); // at the scaled coordinates of the corner [0, 0], and smaller
    l.tell([0, 0], Number.NaN);
    l.tell([-0.0010000000000000026, 0], 1);
    l.tell([-0.0010000000000000026, 6.14217205555578e-87], 2);
    l.tellPending([0, 6.14217205555578e-87]);
    const copy = new Learner2D({ bounds: b });
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    copy.checkValid();
    expect(copy.loss({ real: false })).toBe(l.loss({ real: false }));
    // Triangles keyed by their sorted vertices (the listing order follows internal ids).
    const keyed = (ts: { points: Point2D[]; loss: number }[]): string[] =>
      ts
        .map(
          (t) =>
            `${t.points
              .map((p) => p.join(','))
              .sort()
              .join(';')}:${t.loss}`,
        )
        .sort();
    expect(keyed(copy.triangleLosses({ real: false }))).toEqual(
      keyed(l.triangleLosses({ real: false })),
    );
    expect(copy.ask(3, { tellPending: false })).toEqual(l.ask(3, { tellPending: false }));
  });
});
