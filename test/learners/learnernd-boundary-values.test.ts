// A point on the domain's boundary gets the interpolant, as in python-adaptive (scipy's
// LinearNDInterpolator accepts points within √(100 ε) of the hull): computed boundary points
// land a rounding error to either side of it, and the hull can hold flat simplices where
// points asked on a slanted edge are exactly collinear. A point truly outside stays NaN.
import { describe, expect, it } from 'vitest';
import { LearnerND } from '../../src/learners/learnernd.js';

type P = number[];
const lin = (p: readonly number[]) => p.reduce((s, x, j) => s + (j + 1) * x, 0.25);

function sampled(l: LearnerND, n: number): LearnerND {
  while (l.npoints < n) for (const p of l.ask(1).points) l.tell(p, lin(p));
  return l;
}

/** Points on segment a–b at fractions t, computed as a user would. */
function along(a: P, b: P, ts: readonly number[]): P[] {
  return ts.map((t) => a.map((x, j) => x + t * ((b[j] as number) - x)));
}

const TS = Array.from({ length: 21 }, (_, i) => i / 20);
const hexagon: P[] = Array.from({ length: 6 }, (_, i) => [
  Math.cos((i * Math.PI) / 3),
  Math.sin((i * Math.PI) / 3),
]);

function expectValues(l: LearnerND, probes: P[]): void {
  const v = l.interpolate(probes) as number[];
  probes.forEach((p, i) => {
    const e = Math.abs((v[i] as number) - lin(p));
    if (!(e < 1e-9)) throw new Error(`at ${JSON.stringify(p)}: ${v[i]}, expected ${lin(p)}`);
  });
}

describe('LearnerND: values on the boundary of its domain', () => {
  it.each([6, 50, 500, 2000])('a hexagon sampled to %i points: every point on its edges', (n) => {
    const l = sampled(new LearnerND({ hull: hexagon }), n);
    const probes = hexagon.flatMap((a, i) => along(a, hexagon[(i + 1) % 6] as P, TS));
    expectValues(l, probes);
  });

  it('a slanted triangle and a tetrahedron: edges and faces', () => {
    const tri: P[] = [
      [0.1, 0.3],
      [0.9, 0.1],
      [0.35, 0.95],
    ];
    const l2 = sampled(new LearnerND({ hull: tri }), 400);
    expectValues(
      l2,
      tri.flatMap((a, i) => along(a, tri[(i + 1) % 3] as P, TS)),
    );
    const tet: P[] = [
      [0.1, 0.2, 0.3],
      [1.3, 0.1, 0.2],
      [0.4, 1.1, 0.1],
      [0.3, 0.4, 1.7],
    ];
    const l3 = sampled(new LearnerND({ hull: tet }), 400);
    const probes: P[] = [];
    for (let i = 0; i < 4; i++)
      for (let j = i + 1; j < 4; j++) {
        probes.push(...along(tet[i] as P, tet[j] as P, TS));
        const k = [0, 1, 2, 3].find((m) => m !== i && m !== j) as number;
        // Points inside face (i, j, k), at fractions of thirds.
        for (const [a, b] of [
          [1 / 3, 1 / 3],
          [0.1, 0.7],
          [0.6, 0.3],
        ] as const) {
          probes.push(
            (tet[i] as P).map(
              (x, c) =>
                x + a * (((tet[j] as P)[c] as number) - x) + b * (((tet[k] as P)[c] as number) - x),
            ),
          );
        }
      }
    expectValues(l3, probes);
  });

  it.each([
    ['delaunay', 2],
    ['delaunay', 3],
    ['bisection', 4],
    ['bisection', 5],
  ] as const)('a box (%s, %i-D) with bounds that do not round-trip: its faces', (mesh, d) => {
    const bounds = Array.from({ length: d }, (_, j): [number, number] => [
      0.1 * (j + 1),
      0.7 + 0.3 * j,
    ]);
    const l = sampled(new LearnerND({ bounds, mesh }), 300);
    const probes: P[] = [];
    for (const t of TS) {
      for (let j = 0; j < d; j++) {
        for (const side of [0, 1]) {
          const p = bounds.map(([a, b], c) => a + (c === j ? side : t) * (b - a));
          probes.push(p);
        }
      }
    }
    expectValues(l, probes);
  });

  it('a point outside by more than rounding stays NaN', () => {
    const l = sampled(new LearnerND({ hull: hexagon }), 500);
    const out = hexagon.map((p) => p.map((x) => x * (1 + 1e-5)));
    for (const v of l.interpolate(out) as number[]) expect(v).toBeNaN();
    const box = sampled(
      new LearnerND({
        bounds: [
          [0, 1],
          [0, 1],
        ],
      }),
      100,
    );
    expect(box.interpolate([1 + 1e-5, 0.5])).toBeNaN();
    expect(box.interpolate([1, 0.5])).toBeCloseTo(lin([1, 0.5]), 12);
  });
});
