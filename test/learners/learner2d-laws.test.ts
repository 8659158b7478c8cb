// The learner laws (src/testing) applied to Learner2D with several losses and outputs.
import fc from 'fast-check';
import { describe } from 'vitest';
import { type Learner2D as L2, Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import {
  minimizeTriangleSurfaceLoss2D,
  resolutionLoss2D,
  thresholdedLoss2D,
  uniformLoss2D,
} from '../../src/learners/losses2d.js';
import { boxArbitrary, type LawName, type LawSubject } from '../../src/testing/index.js';
import {
  anyScale,
  anyValue,
  anyVector,
  boxToUnit,
  describeLaws,
  inBox,
  lerp,
} from '../fixtures/laws.js';

const bounds = [
  [-1, 1],
  [-1, 1],
] as const;
const inDomain = ([x, y]: Point2D): boolean => x >= -1 && x <= 1 && y >= -1 && y <= 1;
// Written with products only: V8's \`**\` may round differently from one JIT tier to the next.
const ring = ([x, y]: Point2D): number => {
  const r = x * x + y * y - 0.5625;
  return x + Math.exp(-(r * r) / 0.0016);
};

// Unrequested data on a 1/1000 grid: many cocircular points, so the canonical tie-breaking of
// the triangulation is exercised on every history.
const gridPoints = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }))
  .map(([i, j]): Point2D => [i / 1000, j / 1000]);
// Any doubles of the domain (magnitudes below 1e-60 become 0: see delaunay2d.ts on underflow).
const coord = fc
  .double({ min: -1, max: 1, noNaN: true })
  .map((x) => (Math.abs(x) < 1e-60 ? 0 : x + 0));
const anyPoints = fc.tuple(coord, coord).map(([x, y]): Point2D => [x, y]);

// recomputeLossesFactor 1: every loss reflects the current value scale, so the loss does not
// depend on the order of the tells (with the default 1.1 a loss computed before the scale
// last grew may be up to 10 % off, as in python-adaptive's LearnerND). Everything else is
// exact: losses are functions of the current data, computed in an order fixed by the
// geometry, so no loss tolerance is needed even where the mesh has ties.
const make =
  (extra: Partial<ConstructorParameters<typeof Learner2D>[0]> = {}) =>
  (): L2 =>
    new Learner2D({ bounds, recomputeLossesFactor: 1, ...extra });

const onSquare: LawSubject<Point2D, number | number[]>[] = [
  {
    name: 'Learner2D(defaultLoss2D, grid data)',
    make: make(),
    f: ring,
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(defaultLoss2D, any data)',
    make: make(),
    f: ([x, y]) => Math.sin(3 * x) * Math.cos(2 * y),
    inDomain,
    points: anyPoints,
  },
  {
    name: 'Learner2D(uniformLoss2D)',
    make: make({ loss: uniformLoss2D }),
    f: ring,
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(minimizeTriangleSurfaceLoss2D)',
    make: make({ loss: minimizeTriangleSurfaceLoss2D }),
    f: ([x, y]) => Math.tanh(10 * (x - y)),
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(resolutionLoss2D)',
    make: make({ loss: resolutionLoss2D({ minDistance: 0.01, maxDistance: 0.5 }) }),
    f: ring,
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(thresholdedLoss2D)',
    make: make({ loss: thresholdedLoss2D({ upperThreshold: 0.5 }) }),
    f: ring,
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(defaultLoss2D, gradientSweeps 0)',
    make: make({ gradientSweeps: 0 }),
    f: ring,
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(defaultLoss2D, gradientSweeps 2)',
    make: make({ gradientSweeps: 2 }),
    f: ([x, y]) => Math.sin(3 * x) * Math.cos(2 * y),
    inDomain,
    points: anyPoints,
  },
  {
    name: 'Learner2D(vector output)',
    make: make(),
    f: ([x, y]) => [ring([x, y]), x * y, Math.sin(4 * y)],
    inDomain,
    points: gridPoints,
  },
  // Random values: each run draws a random function of the point.
  {
    name: 'Learner2D(defaultLoss2D, random values)',
    make: make(),
    values: anyValue,
    inDomain,
    points: gridPoints,
  },
  {
    name: 'Learner2D(vector output, random values, any data)',
    make: make(),
    values: anyVector(2),
    inDomain,
    points: anyPoints,
  },
];

type Box = [[number, number], [number, number]];
const anyBox = boxArbitrary(2) as fc.Arbitrary<Box>;
const unit = (p: Point2D, box: Box): Point2D => boxToUnit(p, box) as Point2D;
// Unrequested data on a 1/1000 grid of the box, and any doubles of it.
const gridIn = (box: Box) =>
  fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }))
    .map(([i, j]): Point2D => [lerp(box[0], i / 1000), lerp(box[1], j / 1000)]);
// Any doubles of the box, as on the square: points closer than the scaled coordinates resolve
// (told [1e-166, 0] and [0, 0] on [0, 1e-136] × [0, 1]: one vertex, two points) are kept as
// data, pending or not (pending shadows, issue 13; they broke npoints and pendingPoints).
const anyIn = (box: Box) =>
  fc
    .tuple(
      fc.double({ min: box[0][0], max: box[0][1], noNaN: true }),
      fc.double({ min: box[1][0], max: box[1][1], noNaN: true }),
    )
    .map(([x, y]): Point2D => [x + 0, y + 0]);

/** A subject on random boxes and value scales, its function written for [-1, 1]². */
const anywhere = (
  name: string,
  extra: Partial<ConstructorParameters<typeof Learner2D>[0]>,
  values: Pick<LawSubject<Point2D, number | number[], Box>, 'f' | 'values'>,
  points: (box: Box) => fc.Arbitrary<Point2D>,
): LawSubject<Point2D, number | number[], Box> => ({
  name: `${name}, random bounds and scales`,
  domains: anyBox,
  scales: anyScale,
  make: (box) => new Learner2D({ bounds: box, recomputeLossesFactor: 1, ...extra }),
  ...values,
  inDomain: (p, box) => inBox(p, box),
  points,
});

// Losses with absolute thresholds (resolutionLoss2D's distances are in units of the
// domain, thresholdedLoss2D's threshold in units of the values) stay on [-1, 1]² only.
const onAnyBox: LawSubject<Point2D, number | number[], Box>[] = [
  anywhere(
    'Learner2D(defaultLoss2D, grid data)',
    {},
    { f: (p, box) => ring(unit(p, box)) },
    gridIn,
  ),
  anywhere(
    'Learner2D(defaultLoss2D, any data)',
    {},
    {
      f: (p, box) => {
        const [x, y] = unit(p, box);
        return Math.sin(3 * x) * Math.cos(2 * y);
      },
    },
    anyIn,
  ),
  anywhere(
    'Learner2D(uniformLoss2D)',
    { loss: uniformLoss2D },
    { f: (p, box) => ring(unit(p, box)) },
    gridIn,
  ),
  anywhere(
    'Learner2D(minimizeTriangleSurfaceLoss2D)',
    { loss: minimizeTriangleSurfaceLoss2D },
    {
      f: (p, box) => {
        const [x, y] = unit(p, box);
        return Math.tanh(10 * (x - y));
      },
    },
    gridIn,
  ),
  anywhere(
    'Learner2D(vector output)',
    {},
    {
      f: (p, box) => {
        const [x, y] = unit(p, box);
        return [ring([x, y]), x * y, Math.sin(4 * y)];
      },
    },
    gridIn,
  ),
  anywhere('Learner2D(defaultLoss2D, random values)', {}, { values: anyValue }, gridIn),
  anywhere(
    'Learner2D(vector output, random values, any data)',
    {},
    { values: anyVector(2) },
    anyIn,
  ),
];

// Laws Learner2D leaves out, each for a bug the laws found (issue 13; see the report of the
// h13-laws branch). Remove a name when its bug is fixed.
// (scaleRobust, skipped before because values past ~1e154 overflowed inside the loss —
// f × 1e300 on the ring gave a loss improvement of 4.4e59 where f gives 0.039 — passes
// since h13-2d's db6de58.)
// - scaleInvariant and scaleRobust, for random values: while every value was the same (range
//   0) the losses divided by 1 (python-adaptive's fallback), so f = [-5, -5] asked other points
//   than f × 2^42 and f × 1e300 gave a loss improvement of 2.99e284 where f gives 0.0299 (seed
//   20260610). Fixed: the magnitude is the scale there (learner2d-edges 'value range 0').
// - scaleRobust, for random values and any data on the square (seed 20260610, 500 runs, failed
//   after 241): [0, 0] and [1.05e-60, 0] told (a near-coincident pair, the bug left out of the
//   random boxes below) with values [0, 0] and [0, 3.7e-281]: the gradient across 1e-60 makes
//   loss improvements of 1e43 that f × (1 + 2⁻⁵²) orders otherwise (9.98e42 vs 5.34e42).
//   Fixed: a neighbour closer than 2⁻²⁶ of its ring's largest edge is left out of the gradient
//   fits and sweeps (UNRESOLVED in learner2d/gradients.ts; learner2d-near-points.test.ts).
const L2D_SKIP: LawName[] = [];
const L2D_RANDOM_SKIP: LawName[] = [];
const L2D_NEAR_SKIP: LawName[] = [];
const randomValued = (s: { values?: unknown }) => s.values !== undefined;
const anyData = (s: { name: string }) => s.name.includes('any data');
// thresholdedLoss2D's threshold is in units of the values: not free of the scale by design.
const isThresholded = (s: { name: string }) => s.name.includes('thresholded');

describe('Learner2D on [-1, 1]²', () => {
  describeLaws(
    onSquare.filter((s) => !randomValued(s) && !isThresholded(s)),
    L2D_SKIP,
  );
  describeLaws(
    onSquare.filter((s) => randomValued(s) && !anyData(s)),
    L2D_RANDOM_SKIP,
  );
  describeLaws(
    onSquare.filter((s) => randomValued(s) && anyData(s)),
    L2D_NEAR_SKIP,
  );
  describeLaws(onSquare.filter(isThresholded), ['scaleInvariant', 'scaleRobust']);
});
describe('Learner2D on random boxes', () => {
  describeLaws(
    onAnyBox.filter((s) => !randomValued(s)),
    L2D_SKIP,
  );
  describeLaws(
    onAnyBox.filter((s) => randomValued(s) && !anyData(s)),
    L2D_RANDOM_SKIP,
  );
  describeLaws(
    onAnyBox.filter((s) => randomValued(s) && anyData(s)),
    L2D_NEAR_SKIP,
  );
});
