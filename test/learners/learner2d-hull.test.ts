// Learner2D on a convex polygon (issue 19.3): the polygon's checks and messages, the corners,
// every asked point in the polygon exactly (edges included), tells on and just off an edge,
// snapshots, interpolation, and the bounding box as bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orientSign } from '../../src/learners/learner2d/hull.js';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import { nextDown, nextUp } from '../../src/learners/learnernd/hash.js';
import { minimizeTriangleSurfaceLoss2D, uniformLoss2D } from '../../src/learners/losses2d.js';
import { inConvexPolygon } from '../../src/testing/index.js';

type Poly = [number, number][];
const triangle: Poly = [
  [0, 0],
  [1, 0],
  [0.5, 1],
];
const hexagon: Poly = Array.from({ length: 6 }, (_, i) => [
  Math.cos((i * Math.PI) / 3),
  Math.sin((i * Math.PI) / 3),
]);
const ring = ([x, y]: Point2D): number => {
  const r = x * x + y * y - 0.5625;
  return x + Math.exp(-(r * r) / 0.0016);
};

/** Runs n asks of k points each, telling f at once; returns every asked point. */
function drive(l: Learner2D, n: number, k: number, f: (p: Point2D) => number): Point2D[] {
  const all: Point2D[] = [];
  for (let i = 0; i < n; i++) {
    for (const p of l.ask(k).points) {
      all.push(p);
      l.tell(p, f(p));
    }
  }
  return all;
}

describe('Learner2D hull: bad polygons are refused, naming the problem', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an array', 5, /hull must be an array of at least 3 points/],
    [
      'two points',
      [
        [0, 0],
        [1, 1],
      ],
      /hull must be an array of at least 3 points/,
    ],
    [
      'a bad point',
      [
        [0, 0],
        [1, 0],
        [0, 'a'],
      ],
      /hull\[2\] must be a point \[x, y\], got \[0, "a"\]/,
    ],
    [
      'NaN',
      [
        [0, 0],
        [1, 0],
        [0, Number.NaN],
      ],
      /hull\[2\] = \[0, NaN\] is not finite/,
    ],
    [
      'infinite',
      [
        [0, 0],
        [1, 0],
        [0, Infinity],
      ],
      /hull\[2\] = \[0, Infinity\] is not finite/,
    ],
    [
      'a duplicate',
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [1, 0],
      ],
      /the point \[1, 0\] twice \(hull\[1\] and hull\[3\]\)/,
    ],
    [
      'all collinear',
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      /degenerate: all its 3 points lie on one line/,
    ],
    [
      'a collinear vertex',
      [
        [0, 0],
        [0.5, 0],
        [1, 0],
        [0, 1],
      ],
      /hull\[1\] = \[0.5, 0\] lies on the line through its neighbours hull\[0\] = \[0, 0\] and hull\[2\] = \[1, 0\]/,
    ],
    [
      'a reflex vertex',
      [
        [0, 0],
        [2, 0],
        [1, 0.5],
        [2, 2],
        [0, 2],
      ],
      /not a convex polygon: it turns left at hull\[0\] = \[0, 0\] and right at hull\[2\] = \[1, 0.5\]/,
    ],
    [
      'vertices out of order',
      [
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
      ],
      /not a convex polygon/,
    ],
    [
      'a pentagram (winds twice)',
      Array.from({ length: 5 }, (_, i) => [
        Math.cos((4 * i * Math.PI) / 5),
        Math.sin((4 * i * Math.PI) / 5),
      ]),
      /crosses itself or winds round more than once/,
    ],
    [
      'too narrow',
      [
        [1, 1],
        [1 + 2e-16, 1],
        [1, 2],
      ],
      /spans only \d+ representable doubles along x/,
    ],
    [
      'too wide',
      [
        [-1e308, 0],
        [1e308, 0],
        [0, 1],
      ],
      /spans more than the largest double along x/,
    ],
  ];
  it.each(cases)('%s', (_, hull, message) => {
    expect(() => new Learner2D({ hull } as never)).toThrow(message);
  });
  it('convex or not: the O(k) winding count agrees with every vertex against every edge (O(k²), the check before)', () => {
    // The reference: every turn one way, and every vertex strictly inside every edge's
    // half-plane but its own two's.
    const convex = (pts: Poly): boolean => {
      const k = pts.length;
      const at = (i: number): [number, number] => pts[((i % k) + k) % k] as [number, number];
      let sign = 0;
      for (let i = 0; i < k; i++) {
        const [a, b, c] = [at(i - 1), at(i), at(i + 1)];
        const t = Math.sign(orientSign(a[0], a[1], b[0], b[1], c[0], c[1]));
        if (t === 0 || (sign !== 0 && t !== sign)) return false;
        sign = t;
      }
      for (let e = 0; e < k; e++) {
        const [a, b] = [at(e), at(e + 1)];
        for (let j = 0; j < k; j++) {
          if (j === e || j === (e + 1) % k) continue;
          const p = at(j);
          if (sign * orientSign(a[0], a[1], b[0], b[1], p[0], p[1]) <= 0) return false;
        }
      }
      return true;
    };
    // k points on an ellipse (convex in order), visited with a step s (stars for s > 1
    // coprime with k), either way round, some moved off it, some on a lattice (ties in y).
    const polygon = fc
      .record({
        k: fc.integer({ min: 3, max: 13 }),
        s: fc.integer({ min: 1, max: 6 }),
        reverse: fc.boolean(),
        rx: fc.double({ min: 0.01, max: 100, noNaN: true }),
        jitter: fc.array(fc.double({ min: -0.6, max: 0.6, noNaN: true }), {
          minLength: 13,
          maxLength: 13,
        }),
        grid: fc.boolean(),
        phase: fc.double({ min: 0, max: 7, noNaN: true }),
      })
      .map(({ k, s, reverse, rx, jitter, grid, phase }): Poly => {
        const pts: Poly = [];
        for (let i = 0; i < k; i++) {
          const a = phase + (2 * Math.PI * ((i * s) % k)) / k;
          const r = 1 + (jitter[i] as number) * (i % 3 === 0 ? 1 : 0);
          let p: [number, number] = [rx * r * Math.cos(a), r * Math.sin(a)];
          if (grid) p = [Math.round(p[0] * 4), Math.round(p[1] * 4)];
          pts.push(p);
        }
        return reverse ? pts.reverse() : pts;
      });
    let convexSeen = 0;
    let starsSeen = 0;
    fc.assert(
      fc.property(polygon, (pts) => {
        const keys = new Set(pts.map((p) => p.join()));
        if (keys.size < pts.length) return; // duplicates: refused before
        const want = convex(pts);
        let got = true;
        try {
          new Learner2D({ hull: pts });
        } catch (e) {
          if (!/not a convex polygon|lies on the line|degenerate|spans only/.test(String(e)))
            throw e;
          got = false;
          if (/winds round/.test(String(e))) starsSeen++;
        }
        if (want) convexSeen++;
        expect(got).toBe(want);
      }),
      { numRuns: 2000, seed: 20261207 },
    );
    expect(convexSeen).toBeGreaterThan(100);
    expect(starsSeen).toBeGreaterThan(100);
  });

  it('bounds and hull together', () => {
    expect(
      () =>
        new Learner2D({
          bounds: [
            [0, 1],
            [0, 1],
          ],
          hull: triangle,
        }),
    ).toThrow(/give bounds \(a box\) or hull \(a convex polygon\), not both/);
  });
});

describe('Learner2D hull: the domain', () => {
  it('bounds are the bounding box, hull the vertices as given, new() keeps it', () => {
    const l = new Learner2D({
      hull: [
        [2, -1],
        [3, 0],
        [2.5, 4],
      ],
    });
    expect(l.bounds).toEqual([
      [2, 3],
      [-1, 4],
    ]);
    expect(l.hull).toEqual([
      [2, -1],
      [3, 0],
      [2.5, 4],
    ]);
    expect(l.new().hull).toEqual(l.hull);
    expect(l.new().snapshot()).toEqual(new Learner2D({ hull: l.hull as Poly }).snapshot());
  });

  it('clockwise and counterclockwise polygons are both taken', () => {
    const cw = triangle.slice().reverse();
    const l = new Learner2D({ hull: cw });
    expect(l.ask(3).points).toEqual(cw);
  });

  it('asks the vertices first, in the order given; the loss is infinite until all are told', () => {
    const l = new Learner2D({ hull: hexagon });
    const first = l.ask(4);
    expect(first.points).toEqual(hexagon.slice(0, 4));
    expect(first.lossImprovements).toEqual([Infinity, Infinity, Infinity, Infinity]);
    expect(l.ask(2).points).toEqual(hexagon.slice(4));
    for (const p of hexagon.slice(0, 5)) l.tell(p, 1);
    expect(l.loss()).toBe(Infinity);
    l.tell(hexagon[5] as Point2D, 2);
    expect(l.loss()).toBeLessThan(Infinity);
    l.checkValid();
  });

  it('a polygon with many vertices (a 200-gon) works as a box does', () => {
    const n = 200;
    const poly: Poly = Array.from({ length: n }, (_, i) => [
      Math.cos((2 * i * Math.PI) / n),
      Math.sin((2 * i * Math.PI) / n),
    ]);
    const l = new Learner2D({ hull: poly });
    const pts = drive(l, 100, 5, ring);
    expect(pts.slice(0, n)).toEqual(poly);
    expect(pts.every((p) => inConvexPolygon(p, poly))).toBe(true);
    l.checkValid();
  });
});

describe('Learner2D hull: every asked point lies in the polygon exactly', () => {
  const polygons: [string, Poly][] = [
    ['a triangle', triangle],
    ['a hexagon', hexagon],
    [
      'a slanted quadrilateral far from 0',
      [
        [1e12 + 0.1, 1e12 - 3.7],
        [1e12 + 7.3, 1e12 + 0.2],
        [1e12 + 5.9, 1e12 + 6.1],
        [1e12 - 1.3, 1e12 + 2.9],
      ],
    ],
    [
      'a thin sliver of a triangle',
      [
        [0, 0],
        [1, 1e-3],
        [0.3, 2e-3],
      ],
    ],
  ];
  it.each(polygons)('%s, serial and batched, three losses', (_, poly) => {
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const y0 = Math.min(...ys);
    const w = Math.max(...xs) - x0;
    const h = Math.max(...ys) - y0;
    const f = ([x, y]: Point2D) => ring([((x - x0) / w) * 2 - 1, ((y - y0) / h) * 2 - 1]);
    for (const loss of [undefined, uniformLoss2D, minimizeTriangleSurfaceLoss2D]) {
      for (const k of [1, 7]) {
        const l = new Learner2D({ hull: poly, ...(loss ? { loss } : {}) });
        const pts = drive(l, 300 / k + 10, k, f);
        const outside = pts.filter((p) => !inConvexPolygon(p, poly));
        expect(outside).toEqual([]);
        l.checkValid();
      }
    }
  });

  it('midpoints of edges are asked on the edge where a double lies there (a 45° edge)', () => {
    const l = new Learner2D({ hull: triangle, loss: uniformLoss2D });
    const pts = drive(l, 200, 1, () => 0);
    // The edge (0, 0)–(0.5, 1): y = 2x exactly for dyadic x; (1, 0)–(0.5, 1): y = 2 − 2x.
    const onLeft = pts.filter(([x, y]) => y === 2 * x && y > 0 && y < 1);
    const onRight = pts.filter(([x, y]) => y === 2 - 2 * x && y > 0 && y < 1);
    expect(onLeft.length).toBeGreaterThan(2);
    expect(onRight.length).toBeGreaterThan(2);
  });
});

describe('Learner2D hull: tells', () => {
  it('a point on an edge is taken; one ulp outside is refused and changes nothing', () => {
    const l = new Learner2D({ hull: triangle });
    for (const p of triangle) l.tell(p, 1);
    l.tell([0.25, 0.5], 2); // on the edge (0, 0)–(0.5, 1)
    l.tell([0.75, 0.5], 3); // on the edge (1, 0)–(0.5, 1)
    const before = JSON.stringify(l.snapshot());
    expect(() => l.tell([nextDown(0.25), 0.5], 4)).toThrow(
      'Learner2D.tell: point [0.24999999999999997, 0.5] is outside the polygon [[0, 0], [1, 0], [0.5, 1]]',
    );
    expect(() => l.tellPending([0.75, nextUp(0.5)])).toThrow(/outside the polygon/);
    expect(() =>
      l.tellMany(
        [
          [0.5, 0.5],
          [0, 1],
        ],
        [1, 2],
      ),
    ).toThrow(/\[0, 1\] is outside the polygon/);
    expect(JSON.stringify(l.snapshot())).toBe(before);
    expect(l.npoints).toBe(5);
    l.checkValid();
  });

  it('interpolate: the data at the vertices and on the edges, NaN outside the polygon', () => {
    const l = new Learner2D({ hull: hexagon });
    drive(l, 200, 1, ([x, y]) => x + 2 * y);
    // The interpolant of a linear function is that function on the sampled polygon.
    const inside: Point2D[] = [
      [0, 0],
      [0.3, -0.2],
      ...hexagon,
      [(hexagon[0]![0] + hexagon[1]![0]) / 2, (hexagon[0]![1] + hexagon[1]![1]) / 2],
    ];
    const v = l.interpolate(inside) as number[];
    inside.forEach(([x, y], i) => {
      if (inConvexPolygon([x, y], hexagon)) expect(v[i]).toBeCloseTo(x + 2 * y, 12);
    });
    expect(l.interpolate([[0.99, 0.5]])).toEqual([Number.NaN]);
  });
});

describe('Learner2D hull: interpolate is not NaN at points on a slanted edge', () => {
  // Regression (examples/hull-2d.ts): a point on a slanted edge as told may land a hair
  // outside the triangulation in scaled coordinates; interpolate gave NaN there.
  it('every point of the edges that lies in the polygon exactly gets a value', () => {
    const zone: Poly = hexagon.map(([x, y]) => [2.0943951023931953 * x, 2.0943951023931953 * y]);
    const l = new Learner2D({ hull: zone });
    drive(l, 400, 1, ([x, y]) => Math.cos(x) * Math.sin(y));
    const onEdges: Point2D[] = [];
    for (let e = 0; e < zone.length; e++) {
      const [a, b] = [zone[e] as Point2D, zone[(e + 1) % zone.length] as Point2D];
      for (let i = 0; i <= 500; i++) {
        const p: Point2D = [a[0] + (i / 500) * (b[0] - a[0]), a[1] + (i / 500) * (b[1] - a[1])];
        if (inConvexPolygon(p, zone)) onEdges.push(p);
      }
    }
    expect(onEdges.length).toBeGreaterThan(1000);
    const v = l.interpolate(onEdges) as number[];
    expect(onEdges.filter((_, i) => Number.isNaN(v[i]))).toEqual([]);
    // Whatever triangle the walk starts from (examples/hull-2d.ts: a point a hair outside
    // several nearly collinear hull edges, beyond the end of the one located, was NaN); the
    // same up to rounding (flat triangles along the edge meet there: measured 1.2e-16).
    const back = (l.interpolate(onEdges.slice().reverse()) as number[]).reverse();
    const one = onEdges.map((p) => l.interpolate(p) as number);
    for (const w of [back, one]) {
      expect(Math.max(...w.map((x, i) => Math.abs(x - (v[i] as number))))).toBeLessThan(1e-14);
    }
    // Still NaN a little way outside.
    expect(l.interpolate([[0, 2.0943951023931953 * 1.001]])).toEqual([Number.NaN]);
  });
});

describe('Learner2D hull: snapshots', () => {
  it('round trip: the restored learner asks what the original would, pending points included', () => {
    const l = new Learner2D({ hull: hexagon });
    drive(l, 80, 3, ring);
    l.ask(5);
    const copy = new Learner2D({ hull: hexagon });
    copy.restore(JSON.parse(JSON.stringify(l.snapshot())));
    copy.checkValid();
    expect(copy.pendingPoints).toEqual(l.pendingPoints);
    expect(copy.ask(20, { tellPending: false })).toEqual(l.ask(20, { tellPending: false }));
    expect(copy.loss()).toBe(l.loss());
  });

  it('a hull snapshot restores only into a learner on the same hull', () => {
    const l = new Learner2D({ hull: triangle });
    drive(l, 10, 1, ring);
    const s = JSON.parse(JSON.stringify(l.snapshot()));
    const box = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(() => box.restore(s)).toThrow(
      /is of a learner on the polygon \[\[0, 0\], \[1, 0\], \[0.5, 1\]\], this learner's domain is a box/,
    );
    const other = new Learner2D({
      hull: [
        [0, 0],
        [1, 0],
        [0.5, 0.9],
        [0.2, 0.8],
      ],
    });
    expect(() => other.restore(s)).toThrow(/the snapshot has the hull/);
    const boxSnap = JSON.parse(JSON.stringify(box.snapshot()));
    expect(() => l.restore(boxSnap)).toThrow(
      /is of a learner on a box, this learner's domain is the polygon/,
    );
    // Unchanged after the refusals.
    expect(JSON.parse(JSON.stringify(l.snapshot()))).toEqual(s);
    expect(box.npoints).toBe(0);
  });

  it('a snapshot with a point outside the polygon is refused', () => {
    const l = new Learner2D({ hull: triangle });
    drive(l, 5, 1, ring);
    const s = JSON.parse(JSON.stringify(l.snapshot()));
    s.points.push([0.9, 0.9]);
    s.values.push(1);
    expect(() => new Learner2D({ hull: triangle }).restore(s)).toThrow(
      /points\[\d+\] = \[0.9, 0.9\] is outside the polygon/,
    );
  });
});
