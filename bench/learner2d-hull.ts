/**
 * Learner2D on a convex polygon (issue 19.3) against LearnerND on the same polygon: the RMS
 * error of the piecewise-linear interpolant at the same number of points, and CPU µs per
 * point of the serial loop, with Learner2D on the box for reference.
 *
 * Quality: f = exp(−(x² + y²)/0.1) (smooth) and python-adaptive's ring
 * x + exp(−((x² + y² − 0.75²)²)/0.2⁴), on the regular hexagon of radius 1 and on the triangle
 * [[-1, -1], [1, -0.6], [-0.2, 1]], at N = 500 and 2000, serial ask(1)/tell, default losses;
 * the error over 20 000 points drawn uniformly in the polygon (fixed seed).
 *
 * Speed: serial ask(1)/tell of the ring to N = 1e4, CPU time (process.cpuUsage), the cases
 * alternating round after round so that load on the machine falls on all alike; the minimum
 * over rounds.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/learner2d-hull.js`.
 */
import { Learner2D } from '../src/learners/learner2d.js';
import { LearnerND } from '../src/learners/learnernd.js';
import { inConvexPolygon } from '../src/testing/index.js';
import { fmt, gc, isMain, machineLine, printTable, rng } from './harness.js';
import { HULL_CASES, ring as ring2 } from './learner2d.js';

type Poly = [number, number][];

/** The polygons of the quality table. */
export const QUALITY_HULLS: readonly (readonly [string, Poly])[] = [
  [
    'hexagon',
    Array.from({ length: 6 }, (_, i): [number, number] => [
      Math.cos((i * Math.PI) / 3),
      Math.sin((i * Math.PI) / 3),
    ]),
  ],
  [
    'triangle',
    [
      [-1, -1],
      [1, -0.6],
      [-0.2, 1],
    ],
  ],
];

/** The functions of the quality table. */
export const QUALITY_FUNCTIONS: readonly (readonly [string, (x: number, y: number) => number])[] = [
  ['gauss', (x, y) => Math.exp(-(x * x + y * y) / 0.1)],
  ['ring', ring2],
];

/** n points drawn uniformly in the polygon (rejection from its bounding box), seeded. */
export function pointsIn(poly: Poly, n: number, seed = 7): [number, number][] {
  const r = rng(seed);
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const out: [number, number][] = [];
  while (out.length < n) {
    const p: [number, number] = [x0 + r() * (x1 - x0), y0 + r() * (y1 - y0)];
    if (inConvexPolygon(p, poly)) out.push(p);
  }
  return out;
}

/**
 * The RMS error of the interpolant of `f` sampled by Learner2D or LearnerND on the polygon
 * (serial ask(1)/tell to N points, default loss) at the probe points; NaN counts as a miss
 * (none happen: every probe lies in the sampled polygon).
 * @example hullRms('2d', hexagon, gauss, 500, pointsIn(hexagon, 20000)) // ≈ 1.6e-3
 */
export function hullRms(
  which: '2d' | 'nd',
  poly: Poly,
  f: (x: number, y: number) => number,
  n: number,
  probes: readonly [number, number][],
): number {
  let values: number[];
  if (which === '2d') {
    const l = new Learner2D({ hull: poly });
    while (l.npoints < n) for (const [x, y] of l.ask(1).points) l.tell([x, y], f(x, y));
    values = l.interpolate(probes as [number, number][]) as number[];
  } else {
    const l = new LearnerND({ hull: poly });
    while (l.npoints < n) {
      for (const p of l.ask(1).points) l.tell(p, f(p[0] as number, p[1] as number));
    }
    values = l.interpolate(probes as [number, number][]) as number[];
  }
  let s = 0;
  for (let i = 0; i < probes.length; i++) {
    const [x, y] = probes[i] as [number, number];
    const e = (values[i] as number) - f(x, y);
    s += Number.isNaN(e) ? Number.POSITIVE_INFINITY : e * e;
  }
  return Math.sqrt(s / probes.length);
}

/** One row of the quality table. */
export interface HullQualityRow {
  hull: string;
  f: string;
  N: number;
  rms2d: number;
  rmsNd: number;
  /** rms2d ÷ rmsNd. */
  ratio: number;
}

/** The quality table's rows. */
export function hullQuality(sizes: readonly number[] = [500, 2000]): HullQualityRow[] {
  const rows: HullQualityRow[] = [];
  for (const [hull, poly] of QUALITY_HULLS) {
    const probes = pointsIn(poly, 20000);
    for (const [fname, f] of QUALITY_FUNCTIONS) {
      for (const N of sizes) {
        const rms2d = hullRms('2d', poly, f, N, probes);
        const rmsNd = hullRms('nd', poly, f, N, probes);
        rows.push({ hull, f: fname, N, rms2d, rmsNd, ratio: rms2d / rmsNd });
      }
    }
  }
  return rows;
}

/** CPU µs per point of a serial loop on the ring to n points. */
function cpuUsPerPoint(make: () => Learner2D | LearnerND, n: number): number {
  gc();
  const l = make();
  const t0 = process.cpuUsage();
  while (l.npoints < n) {
    for (const p of l.ask(1).points) {
      (l as Learner2D).tell(p as [number, number], ring2(p[0] as number, p[1] as number));
    }
  }
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / n;
}

/** Minimum CPU µs/point per case over `rounds` alternating rounds. */
export function hullSpeed(n = 1e4, rounds = 7): { case: string; usPerPoint: number }[] {
  const cases: [string, () => Learner2D | LearnerND][] = [
    [
      'Learner2D box [-1, 1]²',
      () =>
        new Learner2D({
          bounds: [
            [-1, 1],
            [-1, 1],
          ],
        }),
    ],
    ...HULL_CASES.map(([name, hull]): [string, () => Learner2D] => [
      `Learner2D ${name}`,
      () => new Learner2D({ hull }),
    ]),
    [
      'LearnerND hull hexagon',
      () => new LearnerND({ hull: (HULL_CASES[1] as readonly [string, Poly])[1] }),
    ],
  ];
  const best = cases.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < rounds; r++) {
    cases.forEach(([, make], i) => {
      best[i] = Math.min(best[i] as number, cpuUsPerPoint(make, n));
    });
  }
  return cases.map(([name], i) => ({ case: name, usPerPoint: best[i] as number }));
}

if (isMain(import.meta.url)) {
  console.log(machineLine());
  const q = hullQuality();
  printTable(
    'Learner2D({ hull }) vs LearnerND({ hull }): RMS interpolation error at N points (20 000 probes in the polygon)',
    ['polygon', 'f', 'N', 'Learner2D', 'LearnerND', '2D ÷ ND'],
    q.map((r) => [r.hull, r.f, String(r.N), fmt(r.rms2d), fmt(r.rmsNd), fmt(r.ratio)]),
  );
  const sp = hullSpeed(Number(process.argv[2] ?? 1e4));
  printTable(
    'CPU µs per point, serial ask(1)/tell of the ring to 1e4 points (min over alternating rounds)',
    ['case', 'µs/pt'],
    sp.map((r) => [r.case, fmt(r.usPerPoint)]),
  );
}
