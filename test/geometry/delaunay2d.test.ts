// The incremental Delaunay triangulation: validity after every insertion, equality with
// d3-delaunay's from-scratch triangulation (ties aside), degenerate input, change reports,
// point location.
import { Delaunay } from 'd3-delaunay';
import fc from 'fast-check';
import { incircle } from 'robust-predicates';
import { describe, expect, it } from 'vitest';
import { Delaunay2D, GHOST, PointStore2D } from '../../src/geometry/delaunay2d.js';
import { mulberry32 } from '../fixtures/random.js';

const SEED = 20_260_610;

/** Canonical key of a triangle given by vertex coordinates: rotation-free, counterclockwise. */
function triKey(p: readonly (readonly [number, number])[]): string {
  const s = p.map(([x, y]) => `${x},${y}`);
  let m = 0;
  for (let i = 1; i < 3; i++) if ((s[i] as string) < (s[m] as string)) m = i;
  return [s[m], s[(m + 1) % 3], s[(m + 2) % 3]].join(' ');
}

/** Our finite triangles as coordinate keys. */
function ours(tri: Delaunay2D): Set<string> {
  const { vertices } = tri.triangles();
  const xy = tri.store.xy;
  const S = tri.store.stride;
  const out = new Set<string>();
  for (let i = 0; i < vertices.length; i += 3) {
    const p = [0, 1, 2].map((k) => {
      const v = vertices[i + k] as number;
      return [xy[S * v] as number, xy[S * v + 1] as number] as const;
    });
    out.add(triKey(p));
  }
  return out;
}

/** d3-delaunay's triangles (clockwise in its y-down convention: reversed here). */
function theirs(points: readonly (readonly [number, number])[]): Set<string> {
  const d = Delaunay.from(points as [number, number][]);
  const out = new Set<string>();
  const t = d.triangles;
  for (let i = 0; i < t.length; i += 3) {
    const p = [t[i], t[i + 2], t[i + 1]].map((k) => points[k as number] as [number, number]);
    out.add(triKey(p));
  }
  return out;
}

function build(points: readonly (readonly [number, number])[], check = false): Delaunay2D {
  const tri = new Delaunay2D();
  for (const [x, y] of points) {
    tri.insert(x, y);
    if (check) tri.checkValid();
  }
  return tri;
}

/** Undirected edges whose two triangles are not cocircular: in every Delaunay triangulation. */
function unambiguousEdges(tri: Delaunay2D): Set<string> {
  const xy = tri.store.xy;
  const S = tri.store.stride;
  const out = new Set<string>();
  const { ids } = tri.triangles();
  for (const t of ids) {
    for (let i = 0; i < 3; i++) {
      const e = 3 * t + i;
      const o = tri.tw[e] as number;
      const n = (o / 3) | 0;
      const a = tri.tv[e] as number;
      const b = tri.tv[tri.next(e)] as number;
      if (!tri.isGhost(n)) {
        const c = tri.tv[tri.prev(e)] as number;
        const d = tri.tv[tri.prev(o)] as number;
        const at = (v: number): [number, number] => [xy[S * v] as number, xy[S * v + 1] as number];
        const [ax, ay] = at(a);
        const [bx, by] = at(b);
        const [cx, cy] = at(c);
        const [dx, dy] = at(d);
        if (incircle(ax, ay, bx, by, cx, cy, dx, dy) === 0) continue; // a tie
      }
      const ka = `${xy[S * a]},${xy[S * a + 1]}`;
      const kb = `${xy[S * b]},${xy[S * b + 1]}`;
      out.add(ka < kb ? `${ka} ${kb}` : `${kb} ${ka}`);
    }
  }
  return out;
}

function d3Edges(points: readonly (readonly [number, number])[]): Set<string> {
  const d = Delaunay.from(points as [number, number][]);
  const out = new Set<string>();
  const t = d.triangles;
  for (let i = 0; i < t.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const [ax, ay] = points[t[i + k] as number] as [number, number];
      const [bx, by] = points[t[i + ((k + 1) % 3)] as number] as [number, number];
      const ka = `${ax},${ay}`;
      const kb = `${bx},${by}`;
      out.add(ka < kb ? `${ka} ${kb}` : `${kb} ${ka}`);
    }
  }
  return out;
}

function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

// Any doubles in [-1, 1], except that magnitudes below 1e-60 become 0: the exact predicates
// (Shewchuk's) assume their products (of up to four differences) do not underflow.
const coord = fc
  .double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true })
  .map((x) => (Math.abs(x) < 1e-60 ? 0 : x));
const pointArb = fc.tuple(coord, coord);

describe('Delaunay2D against d3-delaunay', () => {
  it('random insertion sequences of any doubles: valid after every insertion, the same triangles in reverse order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(pointArb, {
          minLength: 3,
          maxLength: 60,
          selector: (p) => `${p[0] + 0},${p[1] + 0}`,
        }),
        (pts) => {
          const points = pts.map(([x, y]) => [x + 0, y + 0] as const);
          const tri = build(points, true);
          const back = build(points.slice().reverse(), true);
          expect(ours(back)).toEqual(ours(tri));
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('random insertion sequences: equal to d3-delaunay from scratch (d3 is not robust: moderate coordinates)', () => {
    const moderate = fc.tuple(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(moderate, {
          minLength: 3,
          maxLength: 80,
          selector: (p) => `${p[0]},${p[1]}`,
        }),
        (pts) => {
          const points = pts.map(([x, y]) => [x / 1000, y / 1000] as const);
          const tri = build(points, true);
          if (tri.triangleCount === 0) return; // all collinear: d3 jitters them into triangles
          const mine = unambiguousEdges(tri);
          const d3 = d3Edges(points);
          for (const e of mine) expect(d3.has(e)).toBe(true);
          if (mine.size === d3.size) expect(ours(tri)).toEqual(theirs(points)); // no ties
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('2 000 uniform random points, three insertion orders: one triangulation, equal to d3', () => {
    const rand = mulberry32(1);
    const points = Array.from({ length: 2000 }, () => [rand(), rand()] as const);
    const ref = theirs(points);
    for (const seed of [2, 3, 4]) {
      const tri = build(shuffled(points, mulberry32(seed)));
      tri.checkValid();
      expect(tri.triangleCount).toBe(ref.size);
      expect(ours(tri)).toEqual(ref);
    }
  });

  it('integer grids (all cocircular): the same triangles in any order, valid, d3 agrees on every unambiguous edge', () => {
    const grid: [number, number][] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) grid.push([i, j]);
    const first = build(grid);
    first.checkValid();
    expect(first.triangleCount).toBe(162);
    const key = ours(first);
    for (let s = 0; s < 5; s++) {
      const tri = build(shuffled(grid, mulberry32(100 + s)));
      tri.checkValid();
      expect(ours(tri)).toEqual(key);
    }
    const mine = unambiguousEdges(first);
    const d3 = d3Edges(grid);
    for (const e of mine) expect(d3.has(e)).toBe(true);
  });

  it('the square: one diagonal whatever the order of the four corners', () => {
    const corners: [number, number][] = [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const keys = new Set<string>();
    const perms = (a: [number, number][]): [number, number][][] =>
      a.length <= 1
        ? [a]
        : a.flatMap((x, i) => perms([...a.slice(0, i), ...a.slice(i + 1)]).map((p) => [x, ...p]));
    for (const order of perms(corners)) {
      const tri = build(order, true);
      expect(tri.triangleCount).toBe(2);
      keys.add([...ours(tri)].sort().join(' | '));
    }
    expect(keys.size).toBe(1);
  });

  it('points on circles (many cocircular) in random orders', () => {
    const pts: [number, number][] = [];
    for (let k = 0; k < 24; k++) {
      const a = (2 * Math.PI * k) / 24;
      pts.push([Math.round(1e6 * Math.cos(a)), Math.round(1e6 * Math.sin(a))]);
    }
    for (const [x, y] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ] as const)
      pts.push([x, y]);
    const key = ours(build(pts, true));
    for (let s = 0; s < 4; s++)
      expect(ours(build(shuffled(pts, mulberry32(s)), true))).toEqual(key);
  });
});

describe('Delaunay2D degenerate input', () => {
  it('fewer than three points or collinear points: no triangles, the points are kept', () => {
    const tri = new Delaunay2D();
    expect(tri.locate(0, 0)).toBe(-1);
    for (let i = 0; i < 6; i++) expect(tri.insert(i, 2 * i + 1)).toBe(i);
    expect(tri.triangleCount).toBe(0);
    expect(tri.vertexCount).toBe(6);
    expect(tri.findVertex(3, 7)).toBe(3);
    tri.checkValid();
    // The first point off the line starts the fan.
    tri.insert(10, 0);
    expect(tri.triangleCount).toBe(5);
    expect(tri.hullSize).toBe(7);
    tri.checkValid();
    expect(ours(tri)).toEqual(
      theirs([0, 1, 2, 3, 4, 5].map((i) => [i, 2 * i + 1] as const).concat([[10, 0]])),
    );
  });

  it('a vertical line, then a point on each side', () => {
    const tri = build([
      [0, 3],
      [0, 0],
      [0, 2],
      [0, 1],
      [-1, 5],
      [2, -3],
    ]);
    tri.checkValid();
    expect(tri.triangleCount).toBe(6);
  });

  it('a duplicate returns the existing vertex and changes nothing', () => {
    const tri = build([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const before = ours(tri);
    expect(tri.insert(1, 0)).toBe(1);
    expect(tri.nAdded).toBe(0);
    expect(tri.nRemoved).toBe(0);
    expect(tri.store.size).toBe(4);
    expect(ours(tri)).toEqual(before);
    // In the collinear phase too, and -0 is 0.
    const line = new Delaunay2D();
    line.insert(0, 0);
    line.insert(1, 1);
    expect(line.insert(-0, 0)).toBe(0);
    expect(line.vertexCount).toBe(2);
  });

  it('points far outside the hull, and on the hull lines', () => {
    const tri = build(
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [1e9, 1e9],
        [-1e12, 3],
        [0.5, 0],
        [2, 0],
        [-3, 0],
        [5, -1e15],
        [1e-300, 0],
      ],
      true,
    );
    expect(tri.vertexCount).toBe(10);
  });

  it('non-finite coordinates are rejected', () => {
    expect(() => new Delaunay2D().insert(Number.NaN, 0)).toThrow(RangeError);
    expect(() => new Delaunay2D().insert(0, Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });
});

describe('Delaunay2D change reports and queries', () => {
  it('each insertion removes exactly the triangles that left and adds those that came', () => {
    const rand = mulberry32(7);
    const tri = new Delaunay2D();
    let prev = new Map<number, string>();
    const snapshot = (): Map<number, string> => {
      const m = new Map<number, string>();
      for (let t = 0; t < tri.capacity; t++) {
        if (!tri.isLive(t)) continue;
        m.set(t, [0, 1, 2].map((i) => tri.tv[3 * t + i]).join(','));
      }
      return m;
    };
    for (let i = 0; i < 400; i++) {
      tri.insert(rand() * 2 - 1, rand() * 2 - 1);
      const now = snapshot();
      const removed = new Set(Array.from(tri.removed.subarray(0, tri.nRemoved)));
      const added = new Set(Array.from(tri.added.subarray(0, tri.nAdded)));
      // Survivors are untouched; everything else was removed or added.
      for (const [t, k] of prev) {
        if (!removed.has(t)) expect(now.get(t)).toBe(k);
      }
      for (const [t, k] of now) {
        if (!added.has(t)) expect(prev.get(t)).toBe(k);
      }
      expect(now.size - prev.size).toBe(tri.nAdded - tri.nRemoved);
      prev = now;
    }
    tri.checkValid();
    expect(tri.capacity).toBeLessThanOrEqual(2 * 400 + 10);
  });

  it('locate finds the containing triangle, or a ghost whose edge sees the point', () => {
    const rand = mulberry32(11);
    const tri = new Delaunay2D();
    for (let i = 0; i < 300; i++) tri.insert(rand(), rand());
    const S = tri.store.stride;
    const xy = tri.store.xy;
    let hint = -1;
    for (let i = 0; i < 500; i++) {
      const x = rand() * 1.4 - 0.2;
      const y = rand() * 1.4 - 0.2;
      const t = tri.locate(x, y, hint);
      hint = t;
      const v = [0, 1, 2].map((k) => tri.tv[3 * t + k] as number);
      if (tri.isGhost(t)) {
        // The hull edge (the two finite vertices, in order) has the point strictly outside.
        const g = v.indexOf(GHOST);
        const a = v[(g + 1) % 3] as number;
        const b = v[(g + 2) % 3] as number;
        const o =
          ((xy[S * b] as number) - (xy[S * a] as number)) * (y - (xy[S * a + 1] as number)) -
          ((xy[S * b + 1] as number) - (xy[S * a + 1] as number)) * (x - (xy[S * a] as number));
        expect(o).toBeGreaterThan(0);
      } else {
        for (let k = 0; k < 3; k++) {
          const a = v[k] as number;
          const b = v[(k + 1) % 3] as number;
          const o =
            ((xy[S * b] as number) - (xy[S * a] as number)) * (y - (xy[S * a + 1] as number)) -
            ((xy[S * b + 1] as number) - (xy[S * a + 1] as number)) * (x - (xy[S * a] as number));
          expect(o).toBeGreaterThanOrEqual(-1e-15);
        }
      }
    }
    expect(tri.findVertex(xy[S * 5] as number, xy[S * 5 + 1] as number)).toBe(5);
    expect(tri.findVertex(0.123456789, 0.5)).toBe(-1);
  });

  it('copyFrom, clear, and a shared store with a wider record', () => {
    const store = new PointStore2D(4, 5);
    const a = new Delaunay2D(store);
    const b = new Delaunay2D(store);
    const rand = mulberry32(3);
    for (let i = 0; i < 50; i++) {
      const v = store.add(rand(), rand());
      store.xy[5 * v + 4] = 42; // the owner's slot is left alone
      a.insertVertex(v);
    }
    b.copyFrom(a);
    b.checkValid();
    expect(ours(b)).toEqual(ours(a));
    const v = store.add(0.5, 0.5);
    b.insertVertex(v);
    expect(a.hasVertex(v)).toBe(false);
    expect(b.hasVertex(v)).toBe(true);
    expect(store.xy[5 * 3 + 4]).toBe(42);
    store.restride(3);
    expect(store.xy[3 * 7] as number).toBe(a.store.xy[3 * 7]);
    b.checkValid();
    a.clear();
    expect(a.triangleCount).toBe(0);
    expect(a.vertexCount).toBe(0);
    expect(() => new Delaunay2D().copyFrom(a)).toThrow(/share one PointStore2D/);
    expect(() => new PointStore2D(4, 1)).toThrow(RangeError);
  });
});
