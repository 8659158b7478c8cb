// TriangulationND: validity after every insertion (random and degenerate inputs, 1-D to 5-D),
// equality with d3-delaunay in 2-D, with the brute-force reference on small degenerate sets,
// uniqueness under any insertion order, the reported deleted/added simplices, and ports of
// python-adaptive's tests/test_triangulation.py and tests/unit/test_triangulation.py.
import { fc, test } from '@fast-check/vitest';
import { Delaunay } from 'd3-delaunay';
import { describe, expect, it } from 'vitest';
import { circumsphere, simplexVolume } from '../../src/geometry/simplex-nd.js';
import { TriangulationND } from '../../src/geometry/triangulation-nd.js';
import { referenceDelaunay } from '../../src/geometry/triangulation-nd-reference.js';
import { mulberry32 } from '../fixtures/random.js';

const SEED = 20_260_612;

/** The simplices as sorted rows of sorted vertex ids, e.g. '0,1,2'. */
function simplexSet(t: TriangulationND): string[] {
  const k = t.dim + 1;
  const S = t.simplices();
  const rows: string[] = [];
  for (let s = 0; s < S.length / k; s++) {
    rows.push(
      Array.from(S.subarray(s * k, s * k + k))
        .sort((a, b) => a - b)
        .join(','),
    );
  }
  return rows.sort();
}

/** The simplices by their vertices' coordinates: independent of the vertex ids. */
function geometricSet(t: TriangulationND): string[] {
  const k = t.dim + 1;
  const S = t.simplices();
  const rows: string[] = [];
  for (let s = 0; s < S.length / k; s++) {
    const vs = Array.from(S.subarray(s * k, s * k + k), (v) => Array.from(t.vertex(v)).join(' '));
    rows.push(vs.sort().join(' | '));
  }
  return rows.sort();
}

function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function grid(d: number, m: number, scale = 1): number[][] {
  const out: number[][] = [];
  const idx = new Array<number>(d).fill(0);
  for (;;) {
    out.push(idx.map((i) => (scale * i) / (m - 1)));
    let j = 0;
    while (j < d) {
      idx[j] = (idx[j] as number) + 1;
      if ((idx[j] as number) < m) break;
      idx[j] = 0;
      j++;
    }
    if (j === d) return out;
  }
}

/** Inserts with checkValid after every insertion, and checks each reported change. */
function buildChecked(points: readonly number[][], d: number): TriangulationND {
  const t = new TriangulationND(d);
  for (const p of points) {
    const before = new Set(t.isReady ? simplexSet(t) : []);
    const wasReady = t.isReady;
    try {
      t.insert(p);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      expect(String(e)).toMatch(/already in the triangulation/);
      continue;
    }
    if (!t.isReady) continue;
    t.checkValid();
    // python's _add_point_with_check: deleted == old − new and added == new − old.
    const after = new Set(simplexSet(t));
    const added = t.lastAdded;
    expect(added.length).toBe([...after].filter((s) => !before.has(s)).length);
    if (wasReady) {
      expect(t.lastRemoved.length).toBe([...before].filter((s) => !after.has(s)).length);
    }
    for (const s of added) {
      const row = t
        .simplexVertices(s)
        .sort((a, b) => a - b)
        .join(',');
      expect(after.has(row)).toBe(true);
      expect(before.has(row) && wasReady).toBe(false);
    }
  }
  return t;
}

const coord = fc.double({ min: -1, max: 1, noNaN: true });
const gridCoord = fc.integer({ min: 0, max: 3 }).map((i) => i / 3);

describe('validity after every insertion', () => {
  for (const d of [1, 2, 3, 4, 5]) {
    const count = d <= 2 ? 40 : d === 3 ? 25 : d === 4 ? 14 : 10;
    const pts = (c: fc.Arbitrary<number>) =>
      fc.array(fc.array(c, { minLength: d, maxLength: d }), { minLength: 1, maxLength: count });
    test.prop([pts(coord)], { seed: SEED + d, numRuns: d <= 3 ? 60 : 25 })(
      `${d}-D random points`,
      (points) => {
        buildChecked(points, d);
      },
    );
    test.prop([pts(gridCoord)], { seed: SEED + 10 + d, numRuns: d <= 3 ? 60 : 25 })(
      `${d}-D points of a grid (collinear, coplanar, cospherical, repeated)`,
      (points) => {
        buildChecked(points, d);
      },
    );
  }
});

describe('the same points in any order give the same simplices', () => {
  it.each([
    [2, 5],
    [3, 4],
    [4, 3],
  ])('the %i-D grid of %i points a side', (d, m) => {
    const points = grid(d, m);
    const rnd = mulberry32(SEED + d);
    const ref = geometricSet(TriangulationND.fromPoints(points));
    for (let trial = 0; trial < 4; trial++) {
      const t = TriangulationND.fromPoints(shuffle(points, rnd));
      t.checkValid();
      expect(geometricSet(t)).toEqual(ref);
    }
  });

  it('cospherical points: a circle, a sphere and the 5-D cube corners', () => {
    const circle = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
      [0.6, 0.8],
      [-0.8, 0.6],
      [-0.6, -0.8],
      [0.8, -0.6],
      [0, 0],
    ];
    const sphere = [
      [1, 0, 0],
      [-1, 0, 0],
      [0, 1, 0],
      [0, -1, 0],
      [0, 0, 1],
      [0, 0, -1],
      [0.6, 0.8, 0],
      [0, 0.6, 0.8],
      [0.8, 0, -0.6],
    ];
    const cube = grid(5, 2);
    const rnd = mulberry32(SEED);
    for (const points of [circle, sphere, cube]) {
      const ref = geometricSet(TriangulationND.fromPoints(points));
      for (let trial = 0; trial < 4; trial++) {
        const t = TriangulationND.fromPoints(shuffle(points, rnd));
        t.checkValid();
        expect(geometricSet(t)).toEqual(ref);
      }
    }
  });

  test.prop(
    [
      fc.integer({ min: 2, max: 4 }).chain((d) =>
        fc.tuple(
          fc.constant(d),
          fc.uniqueArray(fc.array(gridCoord, { minLength: d, maxLength: d }), {
            minLength: d + 2,
            maxLength: d === 4 ? 9 : 12,
            selector: (p) => p.join(','),
          }),
          fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        ),
      ),
    ],
    { seed: SEED + 20, numRuns: 80 },
  )('equals the brute-force reference on small degenerate sets', ([, points, keys]) => {
    let t: TriangulationND;
    try {
      t = TriangulationND.fromPoints(points);
    } catch (e) {
      expect(String(e)).toMatch(/not full-dimensional/);
      expect(referenceDelaunay(points)).toEqual([]);
      return;
    }
    t.checkValid();
    expect(simplexSet(t)).toEqual(
      referenceDelaunay(points)
        .map((s) => s.join(','))
        .sort(),
    );
    // Another order, the same simplices (by coordinates).
    const order = points.map((p, i) => ({ p, k: keys[i % keys.length] as number, i }));
    order.sort((a, b) => a.k - b.k || a.i - b.i);
    expect(geometricSet(TriangulationND.fromPoints(order.map((o) => o.p)))).toEqual(
      geometricSet(t),
    );
  });
});

describe('2-D against d3-delaunay (random points, no ties)', () => {
  it.each([10, 100, 1000])('%i points', (n) => {
    const rnd = mulberry32(SEED + n);
    for (let trial = 0; trial < 5; trial++) {
      const points = Array.from({ length: n }, () => [rnd(), rnd()] as [number, number]);
      const t = TriangulationND.fromPoints(points);
      const d3 = Delaunay.from(points);
      const theirs: string[] = [];
      for (let i = 0; i < d3.triangles.length; i += 3) {
        theirs.push(
          Array.from(d3.triangles.subarray(i, i + 3))
            .sort((a, b) => a - b)
            .join(','),
        );
      }
      expect(simplexSet(t)).toEqual(theirs.sort());
      if (n <= 100) t.checkValid();
    }
  });
});

describe('degenerate insertions', () => {
  it.each([2, 3, 4, 5])('%i-D: points on a face, on an edge, far outside, and a duplicate', (d) => {
    const t = new TriangulationND(d);
    t.insert(new Array(d).fill(0));
    for (let i = 0; i < d; i++) t.insert(Array.from({ length: d }, (_, j) => (j === i ? 1 : 0)));
    const onFace = new Array(d).fill(1 / d);
    t.insert(onFace);
    t.checkValid();
    const onEdge = Array.from({ length: d }, (_, j) => (j === 0 ? 0.5 : 0));
    t.insert(onEdge);
    t.checkValid();
    t.insert(new Array(d).fill(1e6));
    t.checkValid();
    t.insert(new Array(d).fill(-1e-9));
    t.checkValid();
    const before = simplexSet(t);
    expect(() => t.insert(onEdge)).toThrow(RangeError);
    expect(() => t.insert(onEdge)).toThrow(/is already in the triangulation \(vertex/);
    expect(simplexSet(t)).toEqual(before);
    t.checkValid();
  });

  it('a 1-D triangulation is the sorted intervals', () => {
    const t = TriangulationND.fromPoints([[0.5], [0], [1], [0.25], [-3], [0.75]]);
    t.checkValid();
    const rows = simplexSet(t).map((r) => r.split(',').map((v) => t.vertex(Number(v))[0]));
    const intervals = rows
      .map((r) => r.sort((a, b) => (a as number) - (b as number)).join(' '))
      .sort();
    expect(intervals).toEqual(['-3 0', '0 0.25', '0.25 0.5', '0.5 0.75', '0.75 1'].sort());
  });

  it('rejects bad input with a clear error and stays unchanged', () => {
    const t = TriangulationND.fromPoints([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    const before = simplexSet(t);
    expect(() => t.insert([1, 2, 3])).toThrow(TypeError);
    expect(() => t.insert([1, 2, 3])).toThrow(/has 3 coordinates, expected 2/);
    expect(() => t.insert([Number.NaN, 0])).toThrow(/not a finite number/);
    expect(() => t.insert([Number.POSITIVE_INFINITY, 0])).toThrow(RangeError);
    expect(() => t.insert('ab' as never)).toThrow(TypeError);
    expect(simplexSet(t)).toEqual(before);
    expect(t.numVertices).toBe(3);
    expect(() => new TriangulationND(0)).toThrow(/from 1 to 10/);
    expect(() => new TriangulationND(11)).toThrow(/from 1 to 10/);
    expect(() =>
      TriangulationND.fromPoints([
        [0, 0, 0],
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
      ]),
    ).toThrow(/not full-dimensional/);
  });
});

describe('queries', () => {
  const t = TriangulationND.fromPoints([
    [0, 0],
    [2, 0],
    [0, 2],
    [2, 2],
    [1, 1],
  ]);

  it('locate, containing, barycentric and volume', () => {
    const s = t.locate([0.5, 0.25]);
    expect(t.isSimplex(s)).toBe(true);
    expect(t.locate([5, 5])).toBe(-1);
    // (1, 0.5) lies on the edge (1,1)-(2,0)? No: on no edge; (1, 0) lies on the hull edge.
    expect(t.containing([1, 0], -1, [])).toHaveLength(1);
    expect(t.containing([0.5, 0.5], -1, [])).toHaveLength(2); // on the edge (0,0)-(1,1)
    expect(t.containing([1, 1], -1, [])).toHaveLength(4); // a vertex
    const b = t.barycentric(s, [0.5, 0.25], new Float64Array(3));
    expect(b.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 14);
    let total = 0;
    for (const slot of t.simplexSlots()) total += t.volume(slot);
    expect(total).toBeCloseTo(4, 14);
  });

  it('hull facets point outwards', () => {
    const { facets, infPos } = t.hullFacets();
    expect(infPos.length).toBe(4);
    expect(facets.length).toBe(12);
  });
});

// ------------------------------------------------------------------ python-adaptive

function standardSimplex(dim: number): number[][] {
  return [
    new Array(dim).fill(0),
    ...Array.from({ length: dim }, (_, i) =>
      Array.from({ length: dim }, (_, j) => (j === i ? 1 : 0)),
    ),
  ];
}

function combinations(items: number[], k: number): number[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items as [number, ...number[]];
  return [...combinations(rest, k - 1).map((c) => [first, ...c]), ...combinations(rest, k)];
}

const key = (rows: number[][]): string[] =>
  rows
    .map((r) =>
      r
        .slice()
        .sort((a, b) => a - b)
        .join(','),
    )
    .sort();
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('python-adaptive tests/test_triangulation.py', () => {
  describe.each([2, 3, 4])('dim %i', (dim) => {
    const pts = standardSimplex(dim);
    const vertices = range(0, dim + 1);
    const make = (extra: number[][] = []): TriangulationND => {
      const t = TriangulationND.fromPoints(pts);
      for (const p of extra) t.insert(p);
      t.checkValid();
      return t;
    };

    it('triangulation of the standard simplex', () => {
      const t = make();
      expect(simplexSet(t)).toEqual(key([vertices]));
      expect(t.volume(t.simplexSlots()[0] as number)).toBeCloseTo(1 / [1, 1, 2, 6, 24][dim]!, 14);
    });

    it('zero-volume initial simplex raises', () => {
      // The first dim points of the standard simplex and their sum: all in one hyperplane.
      const base = pts.slice(0, dim);
      const flat = [
        ...base,
        base.reduce((acc, p) => acc.map((v, j) => v + (p[j] as number)), new Array(dim).fill(0)),
      ];
      expect(() => TriangulationND.fromPoints(flat)).toThrow(RangeError);
    });

    it('adding a point outside the circumscribed hypersphere in the positive orthant', () => {
      const t = make([new Array(dim).fill(1.1)]);
      expect(simplexSet(t)).toEqual(key([vertices, range(1, dim + 2)]));
    });

    it('adding a point outside the standard simplex in the negative orthant', () => {
      const t = make([range(-dim, 0)]);
      const expected = [
        ...combinations(range(1, dim + 1), dim - 1).map((c) => [0, ...c, dim + 1]),
        vertices,
      ];
      expect(simplexSet(t)).toEqual(key(expected));
    });

    it('adding a point inside the standard simplex', () => {
      const t = make([new Array(dim).fill(0.1)]);
      expect(simplexSet(t)).toEqual(key(combinations(vertices, dim).map((c) => [...c, dim + 1])));
      let total = 0;
      for (const s of t.simplexSlots()) total += t.volume(s);
      expect(total).toBeCloseTo(1 / [1, 1, 2, 6, 24][dim]!, 14);
    });

    it('adding a point on a face of the standard simplex', () => {
      // python adds the face's centroid; 1/3 is not a double, so in 3-D the centroid lies
      // inside the simplex for exact predicates. Dyadic weights put it exactly on the face.
      const w = Array.from({ length: dim }, (_, i) =>
        i === dim - 1 ? 2 ** -(dim - 1) : 2 ** -(i + 1),
      );
      const t = make([w]);
      expect(simplexSet(t)).toEqual(
        key(combinations(range(1, dim + 1), dim - 1).map((c) => [0, ...c, dim + 1])),
      );
    });

    it('adding a point on an edge of the standard simplex', () => {
      const t = make([
        pts[0]!.map((_, j) => ((pts[0]![j] as number) + (pts[1]![j] as number)) / 2),
      ]);
      expect(simplexSet(t)).toEqual(
        key([
          [0, ...range(2, dim + 2)],
          [1, ...range(2, dim + 2)],
        ]),
      );
    });

    it('adding a point colinear with the first edge', () => {
      const t = make([pts[1]!.map((v) => 2 * v)]);
      expect(simplexSet(t)).toEqual(key([vertices, range(1, dim + 2)]));
    });

    it('adding a point coplanar with a face', () => {
      const sum = pts
        .slice(0, -1)
        .reduce((acc, p) => acc.map((v, j) => v + (p[j] as number)), new Array(dim).fill(0));
      const t = make([sum.map((v) => 2 * v)]);
      expect(simplexSet(t)).toEqual(key([vertices, range(1, dim + 2)]));
    });

    it('adding a point inside the circumscribed circle', () => {
      const t = make([new Array(dim).fill(0.6)]);
      expect(simplexSet(t)).toEqual(
        key(combinations(range(1, dim + 1), dim - 1).map((c) => [0, ...c, dim + 1])),
      );
    });

    it('volume is less than the bounding box, and the triangulation is deterministic', () => {
      const rnd = mulberry32(100 + dim);
      const points = Array.from({ length: 10 }, () => Array.from({ length: dim }, () => rnd()));
      const t1 = TriangulationND.fromPoints(points);
      t1.checkValid();
      let total = 0;
      for (const s of t1.simplexSlots()) total += t1.volume(s);
      expect(total).toBeLessThan(1 + 1e-8);
      expect(simplexSet(TriangulationND.fromPoints(points))).toEqual(simplexSet(t1));
    });

    it('initialisation raises when there are not enough points or they are coplanar', () => {
      expect(() => TriangulationND.fromPoints(pts.slice(0, -1))).toThrow(/not full-dimensional/);
      const zvs = pts.slice(0, -1);
      const mean = zvs[0]!.map(
        (_, j) => zvs.reduce((s, p) => s + (p[j] as number), 0) / zvs.length,
      );
      const sum = zvs[0]!.map((_, j) => zvs.reduce((s, p) => s + (p[j] as number), 0));
      // In 2-D the sum repeats a point: rejected as a duplicate instead.
      expect(() => TriangulationND.fromPoints([...zvs, mean, sum])).toThrow(RangeError);
    });

    it('initialisation accepts more than one simplex', () => {
      const t = TriangulationND.fromPoints([...pts, new Array(dim).fill(1.1)]);
      t.checkValid();
      expect(simplexSet(t)).toEqual(key([vertices, range(1, dim + 2)]));
    });
  });

  it('a 1-D list raises a TypeError (1-D points are supported here, unlike python)', () => {
    expect(() => TriangulationND.fromPoints([0, 1] as never)).toThrow(TypeError);
  });
});

describe('python-adaptive tests/unit/test_triangulation.py', () => {
  //   1 = (2,4) top, 2 = (0,3) left, 0 = (2,2) centre, 4 = (4,2) right, 3 = (2,0) bottom,
  //   5 = (5,5) above and right of 4.
  const points = [
    [2, 2],
    [2, 4],
    [0, 3],
    [2, 0],
    [4, 2],
    [5, 5],
  ];
  const t = TriangulationND.fromPoints(points);
  const slotOf = (vs: number[]): number => {
    for (const s of t.simplexSlots()) {
      if (t.simplexVertices(s).sort().join() === vs.slice().sort().join()) return s;
    }
    return -1;
  };
  /** python's get_opposing_vertices: in the order of the sorted simplex, -1 for None. */
  const opposing = (vs: number[]): number[] => {
    const s = slotOf(vs);
    const mine = t.simplexVertices(s);
    return vs.map((v) => t.opposite(s, mine.indexOf(v)));
  };

  it('finds the simplices', () => {
    expect(simplexSet(t)).toEqual(
      key([
        [0, 1, 4],
        [0, 1, 2],
        [0, 2, 3],
        [0, 3, 4],
        [1, 4, 5],
      ]),
    );
  });

  it('finds the opposing vertices', () => {
    expect(opposing([0, 1, 4])).toEqual([5, 3, 2]);
    expect(opposing([1, 4, 5])).toEqual([-1, -1, 0]);
    expect(opposing([0, 1, 2])).toEqual([-1, 3, 4]);
    expect(opposing([0, 2, 3])).toEqual([-1, 4, 1]);
    expect(opposing([0, 3, 4])).toEqual([-1, 1, 2]);
  });

  it('has no opposing vertices with a single simplex', () => {
    const one = TriangulationND.fromPoints(points.slice(0, 3));
    const s = one.simplexSlots()[0] as number;
    expect([0, 1, 2].map((i) => one.opposite(s, i))).toEqual([-1, -1, -1]);
    expect(() => one.simplexVertices(99)).toThrow(RangeError);
  });

  it('circumsphere for dim 2 to 9', () => {
    const rnd = mulberry32(SEED);
    const normal = (): number =>
      Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    for (let dim = 2; dim <= 9; dim++) {
      const center = Array.from({ length: dim }, () => rnd() * 200 - 100);
      const radius = 1 + 99 * rnd();
      const vs = Array.from({ length: dim + 1 }, () => {
        const v = Array.from({ length: dim }, normal);
        const n = Math.hypot(...v);
        return v.map((x, j) => (x / n) * radius + (center[j] as number));
      });
      const c = circumsphere(vs);
      c.center.forEach((x, j) => {
        const want = center[j] as number;
        expect(Math.abs(x - want)).toBeLessThan(1e-8 + 1e-5 * Math.abs(want));
      });
      expect(Math.abs(c.radius - radius)).toBeLessThan(1e-8 + 1e-5 * radius);
      expect(simplexVolume(vs)).toBeGreaterThan(0);
    }
  });
});

describe('lattice triangulations (useLattice): predicates on the integers', () => {
  // Points of a lattice [0, s₀] × … with anisotropic spans, stored as LearnerND stores them
  // (x / sⱼ, rounded) and given as integers scaled to the lcm M of the spans (x · M / sⱼ).
  // The triangulation must equal a plain one of the integers themselves (the same geometry
  // up to a uniform scale, so the same Delaunay triangulation and ties).
  test.prop(
    [
      fc.integer({ min: 2, max: 3 }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }),
      fc.integer({ min: 1, max: 2 ** 31 }),
      fc.integer({ min: 8, max: 60 }),
    ],
    { seed: SEED + 40, numRuns: 150 },
  )(
    'equal to the plain triangulation of the integers, valid; off-lattice queries',
    (d, sp, seed, n) => {
      const spans = sp.slice(0, d);
      let M = 1;
      for (const s of spans) {
        let a = M;
        let b = s;
        while (b !== 0) [a, b] = [b, a % b];
        M = (M / a) * s;
      }
      const rnd = mulberry32(seed);
      const seen = new Set<string>();
      const pts: number[][] = [];
      // The box's corners first (full-dimensional), then random lattice points.
      for (let c = 0; c < 1 << d; c++) pts.push(spans.map((s, j) => ((c >> j) & 1) * s));
      for (const p of pts) seen.add(p.join());
      for (let tries = 0; pts.length < n && tries < 10 * n; tries++) {
        const p = spans.map((s) => Math.floor(rnd() * (s + 1)));
        if (seen.has(p.join())) continue;
        seen.add(p.join());
        pts.push(p);
      }
      const lat = new TriangulationND(d);
      lat.useLattice(M);
      const plain = new TriangulationND(d);
      for (const p of pts) {
        lat.insert(
          p.map((x, j) => x / (spans[j] as number)),
          -1,
          p.map((x, j) => (x * M) / (spans[j] as number)),
        );
        plain.insert(p.map((x, j) => (x * M) / (spans[j] as number)));
      }
      lat.checkValid();
      expect(simplexSet(lat)).toEqual(simplexSet(plain));
      // Off-lattice queries locate by the stored coordinates: a simplex that holds them.
      for (let i = 0; i < 20; i++) {
        const q = spans.map(() => rnd());
        const s = lat.locate(q);
        expect(s).toBeGreaterThanOrEqual(0);
        const b = lat.barycentric(s, q, new Float64Array(d + 1));
        for (const w of b) expect(w).toBeGreaterThanOrEqual(-1e-12);
      }
      // A lattice point after a query: integers again (the insert is valid).
      const extra = spans.map((s) => Math.floor(s / 2));
      if (!seen.has(extra.join())) {
        lat.insert(
          extra.map((x, j) => x / (spans[j] as number)),
          -1,
          extra.map((x, j) => (x * M) / (spans[j] as number)),
        );
        lat.checkValid();
      }
    },
  );

  it('refuses a point without its integers, and useLattice on a non-empty triangulation', () => {
    const t = new TriangulationND(2);
    t.useLattice(4);
    expect(() => t.insert([0, 0])).toThrow(/needs each point as integers/);
    t.insert([0, 0], -1, [0, 0]);
    expect(() => t.useLattice(4)).toThrow(/not empty/);
  });
});
