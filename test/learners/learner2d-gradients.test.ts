// The gradient estimate behind Learner2D's default loss (losses2d.ts): the quadratic fit and
// the sweep with its curvature correction reproduce the gradient of quadratic data exactly
// wherever their stencils allow it. python-adaptive's (scipy's) update alone does not: on an
// irregular ring it is off by a term proportional to the curvature and the edge lengths.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import { defineLoss2D } from '../../src/learners/losses2d.js';
import { mulberry32 } from '../fixtures/random.js';

type Bounds = [[number, number], [number, number]];

interface Quadratic {
  c: [number, number, number, number, number, number]; // 1, x, y, x², xy, y²
}

const value = ({ c }: Quadratic, x: number, y: number): number =>
  c[0] + c[1] * x + c[2] * y + c[3] * x * x + c[4] * x * y + c[5] * y * y;

/** The gradient of q at (x, y) in the learner's scaled coordinates (bounds → unit square). */
function scaledGradient(q: Quadratic, bounds: Bounds, x: number, y: number): [number, number] {
  const { c } = q;
  const px = bounds[0][1] - bounds[0][0];
  const py = bounds[1][1] - bounds[1][0];
  return [px * (c[1] + 2 * c[3] * x + c[4] * y), py * (c[2] + c[4] * x + 2 * c[5] * y)];
}

interface Estimate {
  /** Coordinates as told. */
  x: number;
  y: number;
  /** The learner's gradient of each output component (scaled coordinates). */
  g: [number, number][];
  /** Indices of the neighbours in the triangulation. */
  neighbours: number[];
}

/**
 * Samples q at the corners and on a jittered triangular lattice of n × n points (each moved by
 * up to 15 % of the spacing, so every ring is irregular); returns each vertex's estimate.
 */
function estimates(qs: Quadratic[], bounds: Bounds, n: number, seed: number): Estimate[] {
  const seen = new Map<string, [number, number][]>();
  const d = qs.length;
  const spy = defineLoss2D(
    (t) => {
      for (let i = 0; i < 3; i++) {
        const key = `${t.points[2 * i]},${t.points[2 * i + 1]}`;
        const g = t.gradients;
        seen.set(
          key,
          qs.map((_, k) => [g[2 * (i * d + k)] as number, g[2 * (i * d + k) + 1] as number]),
        );
      }
      return t.area;
    },
    { name: 'gradient-spy' },
  );
  const l = new Learner2D({ bounds, loss: spy });
  const rand = mulberry32(seed);
  const [[x0, x1], [y0, y1]] = bounds;
  const points: Point2D[] = [
    [x0, y0],
    [x0, y1],
    [x1, y0],
    [x1, y1],
  ];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const u = (i + 0.25 + (j % 2) / 2 + 0.3 * (rand() - 0.5)) / n;
      const v = (j + 0.5 + 0.3 * (rand() - 0.5)) / n;
      points.push([x0 + (x1 - x0) * u, y0 + (y1 - y0) * v]);
    }
  }
  l.tellMany(
    points,
    points.map(([x, y]) =>
      d === 1 ? value(qs[0] as Quadratic, x, y) : qs.map((q) => value(q, x, y)),
    ),
  );
  l.loss(); // every triangle's loss, so every vertex's gradient, reached the spy
  l.checkValid();
  const { x, y, triangles } = l.triangulation();
  const nb = Array.from(x, () => new Set<number>());
  for (let t = 0; t < triangles.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = triangles[t + k] as number;
      const b = triangles[t + ((k + 1) % 3)] as number;
      nb[a]?.add(b);
      nb[b]?.add(a);
    }
  }
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  return Array.from(x, (xi, i) => {
    const yi = y[i] as number;
    const g = seen.get(`${(xi - mx) / (x1 - x0)},${(yi - my) / (y1 - y0)}`);
    if (g === undefined) throw new Error(`no gradient seen at (${xi}, ${yi})`);
    return { x: xi, y: yi, g, neighbours: [...(nb[i] as Set<number>)] };
  });
}

/**
 * scipy's update at vertex i from the exact neighbour gradients, without the correction:
 * −Q⁻¹ Σ_u (6 (f_v − f_u) + 2 E·g(u)) E / |E|³, Q = 4 Σ_u E Eᵀ / |E|³ (scaled coordinates).
 */
function plainUpdate(q: Quadratic, bounds: Bounds, es: Estimate[], i: number): [number, number] {
  const px = bounds[0][1] - bounds[0][0];
  const py = bounds[1][1] - bounds[1][0];
  const v = es[i] as Estimate;
  const fv = value(q, v.x, v.y);
  let qxx = 0;
  let qxy = 0;
  let qyy = 0;
  let sx = 0;
  let sy = 0;
  for (const j of v.neighbours) {
    const u = es[j] as Estimate;
    const dx = (u.x - v.x) / px;
    const dy = (u.y - v.y) / py;
    const l2 = dx * dx + dy * dy;
    const w = 1 / (l2 * Math.sqrt(l2));
    const [gx, gy] = scaledGradient(q, bounds, u.x, u.y);
    const p = (6 * (fv - value(q, u.x, u.y)) + 2 * (dx * gx + dy * gy)) * w;
    qxx += w * dx * dx;
    qxy += w * dx * dy;
    qyy += w * dy * dy;
    sx += p * dx;
    sy += p * dy;
  }
  const f = -1 / (4 * (qxx * qyy - qxy * qxy));
  return [f * (qyy * sx - qxy * sy), f * (qxx * sy - qxy * sx)];
}

const coefficient = fc.double({ min: -3, max: 3, noNaN: true });
const quadratic = fc
  .tuple(coefficient, coefficient, coefficient, coefficient, coefficient, coefficient)
  .filter((c) => Math.abs(c[3]) + Math.abs(c[4]) + Math.abs(c[5]) > 0.5)
  .map((c): Quadratic => ({ c }));
const bounds = fc.constantFrom<Bounds>(
  [
    [-1, 1],
    [-1, 1],
  ],
  [
    [0, 3],
    [-0.25, 0.5],
  ],
);

/** Checks the estimates of sample(qs) against the exact gradients; see the test names. */
function checkExact(qs: Quadratic[], b: Bounds, seed: number): void {
  const es = estimates(qs, b, 16, seed);
  let checked = 0;
  let plainOff = 0;
  for (let i = 0; i < es.length; i++) {
    const e = es[i] as Estimate;
    if (e.neighbours.length < 6) continue;
    if (e.neighbours.some((j) => (es[j] as Estimate).neighbours.length < 6)) continue;
    checked++;
    qs.forEach((q, k) => {
      const [gx, gy] = scaledGradient(q, b, e.x, e.y);
      const [ex, ey] = e.g[k] as [number, number];
      const scale = 1 + Math.hypot(gx, gy);
      expect(Math.abs(ex - gx), `∂x of ${k} at (${e.x}, ${e.y})`).toBeLessThan(1e-9 * scale);
      expect(Math.abs(ey - gy), `∂y of ${k} at (${e.x}, ${e.y})`).toBeLessThan(1e-9 * scale);
      // The update without the correction misses at the same vertex.
      const [ux, uy] = plainUpdate(q, b, es, i);
      if (k === 0 && Math.hypot(ux - gx, uy - gy) > 1e-6 * scale) plainOff++;
    });
  }
  expect(checked).toBeGreaterThan(100);
  expect(plainOff).toBeGreaterThan(checked / 2);
}

describe('Learner2D gradient estimate', () => {
  it('is exact for quadratic data where the vertex and its neighbours have six or more neighbours', () => {
    fc.assert(
      fc.property(quadratic, bounds, fc.integer({ min: 0, max: 2 ** 31 }), (q, b, seed) => {
        checkExact([q], b, seed);
      }),
      { numRuns: 25, seed: 20261122 },
    );
  });

  it('is exact for each component of vector output as well', () => {
    fc.assert(
      fc.property(
        quadratic,
        quadratic,
        bounds,
        fc.integer({ min: 0, max: 2 ** 31 }),
        (q, r, b, seed) => {
          checkExact([q, r], b, seed);
        },
      ),
      { numRuns: 10, seed: 20261123 },
    );
  });
});
