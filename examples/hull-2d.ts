/**
 * Learner2D on a convex polygon: graphene's electron bands on its Brillouin zone, a regular
 * hexagon whose six corners (the K points) are the Dirac points where the two bands touch.
 * The corners are asked first; the learner then refines the cones at the corners and the
 * saddle points at the edges' midpoints (the M points), never asking outside the zone. The
 * same number of points on LearnerND({ hull }) is drawn for comparison.
 *
 *   npx tsx examples/hull-2d.ts [npointsGoal]     → out/hull-2d.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner2D, LearnerND, runSync } from 'adaptive-sampling';
import { plot2D } from 'adaptive-sampling/plot';
import { inConvexPolygon } from 'adaptive-sampling/testing';

/** The upper band of graphene's tight-binding model (hopping 1, bond length 1). */
function band([kx, ky]: readonly number[]): number {
  const s = 3 + 2 * Math.cos(Math.sqrt(3) * (ky as number));
  const t = 4 * Math.cos((Math.sqrt(3) / 2) * (ky as number)) * Math.cos(1.5 * (kx as number));
  return Math.sqrt(Math.max(0, s + t));
}

// The Brillouin zone: the hexagon through the six K points, in order around it.
const K = (2 * Math.PI) / 3;
const zone: [number, number][] = [
  [K, K / Math.sqrt(3)],
  [0, (2 * K) / Math.sqrt(3)],
  [-K, K / Math.sqrt(3)],
  [-K, -K / Math.sqrt(3)],
  [0, (-2 * K) / Math.sqrt(3)],
  [K, -K / Math.sqrt(3)],
];

const npointsGoal = Number(process.argv[2] ?? 1500);
const learner = new Learner2D({ hull: zone });
const summary = runSync(learner, band, { npointsGoal });
const nd = new LearnerND({ hull: zone });
runSync(nd, band, { npointsGoal });

// The error of the interpolant over points spread through the zone (a fine triangular
// grid clipped to it), Learner2D against LearnerND with the same number of points.
const probes: [number, number][] = [];
for (let i = -60; i <= 60; i++) {
  for (let j = -60; j <= 60; j++) {
    const p: [number, number] = [(i / 60) * K, ((j / 60) * 2 * K) / Math.sqrt(3)];
    if (inConvexPolygon(p, zone)) probes.push(p);
  }
}
// (LearnerND leaves a few points exactly on the zone's slanted edges NaN: they are skipped
// for both, and counted.)
const v2 = learner.interpolate(probes) as number[];
const vNd = nd.interpolate(probes) as number[];
const both = probes.map((_, i) => i).filter((i) => !Number.isNaN(vNd[i]));
const rms = (values: readonly number[]): number =>
  Math.sqrt(
    both.reduce(
      (s, i) => s + ((values[i] as number) - band(probes[i] as [number, number])) ** 2,
      0,
    ) / both.length,
  );
const svg = plot2D(learner, {
  title: `Graphene's band on its Brillouin zone: ${learner.npoints} points`,
  xLabel: 'kx',
  yLabel: 'ky',
  colorLabel: 'E(k)',
  colorMap: 'magma',
});
const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'hull-2d.svg'), svg);
console.log(
  `${learner.npoints} points, loss ${summary.loss.toFixed(4)}, in ${summary.elapsedMs.toFixed(0)} ms → ${join(outDir, 'hull-2d.svg')}`,
);
console.log(
  `band at the six corners (the Dirac points): ${zone.map((p) => band(p).toExponential(1)).join(', ')}`,
);
console.log(
  `RMS error over ${both.length} points of the zone: Learner2D ${rms(v2).toExponential(2)}, LearnerND ${rms(vNd).toExponential(2)} (Learner2D NaN at ${v2.filter(Number.isNaN).length} points of the zone, LearnerND at ${probes.length - both.length})`,
);
