/**
 * A noisy function of two variables: AverageLearner2D learns python-adaptive's ring with
 * Gaussian noise, choosing both where to measure and how often to repeat a measurement, and
 * its means are compared with a uniform grid that spends the same number of samples. A point
 * is [seed, [x, y]]: the seed is the randomness of one measurement, so any measurement can
 * be repeated exactly.
 *
 *   npx tsx examples/average2d.ts [samples]     → out/average2d.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AverageLearner2D, Learner2D, runSync } from 'adaptive-sampling';
import { plotAverage2D } from 'adaptive-sampling/plot';

/** The ring, a ridge of width ~0.1 around the circle of radius 0.75, on a slope. */
const ring = (x: number, y: number): number =>
  x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.4 ** 4);

/** A standard normal number from a seed and the point (a small hash, then Box–Muller). */
function gaussian(seed: number, x: number, y: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.round(x * 1e9), 0xc2b2ae35);
  h = Math.imul(h ^ Math.round(y * 1e9) ^ (h >>> 16), 0x7feb352d);
  const u = (((h ^ (h >>> 15)) >>> 0) + 0.5) / 4294967296;
  h = Math.imul(h ^ (h >>> 13), 0x846ca68b);
  const v = (((h ^ (h >>> 16)) >>> 0) + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const measure = ([seed, [x, y]]: [number, [number, number]]): number =>
  ring(x, y) + 0.1 * gaussian(seed, x, y);

const samples = Number(process.argv[2] ?? 10_000);
const bounds: [[number, number], [number, number]] = [
  [-1, 1],
  [-1, 1],
];
const learner = new AverageLearner2D({ bounds, minSamples: 5, delta: 1 });
const t0 = performance.now();
runSync(learner, measure, { goal: (l) => l.nsamples >= samples });
const ms = performance.now() - t0;
const counts = learner.means().map((m) => m.n);
console.log(
  `${learner.npoints} points, ${learner.nsamples} samples (${Math.min(...counts)}–${Math.max(...counts)} per point), loss ${learner.loss().toFixed(4)}, in ${ms.toFixed(0)} ms`,
);

// The same samples on a uniform grid: g × g points, 4 measurements each.
const g = Math.floor(Math.sqrt(samples / 4));
const grid = new Learner2D({ bounds });
for (let i = 0; i < g; i++) {
  for (let j = 0; j < g; j++) {
    const x = -1 + (2 * i) / (g - 1);
    const y = -1 + (2 * j) / (g - 1);
    let sum = 0;
    for (let seed = 0; seed < 4; seed++) sum += measure([seed, [x, y]]);
    grid.tell([x, y], sum / 4);
  }
}
const probe: [number, number][] = [];
for (let i = 0; i <= 100; i++) for (let j = 0; j <= 100; j++) probe.push([i / 50 - 1, j / 50 - 1]);
const rms = (v: number[]): number =>
  Math.sqrt(
    v.reduce((s, f, k) => s + (f - ring(...(probe[k] as [number, number]))) ** 2, 0) / v.length,
  );
console.log(
  `RMS error of the means: adaptive ${rms(learner.interpolate(probe)).toFixed(4)}, uniform grid ${g}×${g}×4 ${rms(grid.interpolate(probe) as number[]).toFixed(4)}`,
);

const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'average2d.svg'),
  plotAverage2D(learner, {
    title: `The noisy ring: ${learner.npoints} points, ${learner.nsamples} samples`,
    colorLabel: 'mean',
    xLabel: 'x',
    yLabel: 'y',
  }),
);
console.log(`→ ${join(outDir, 'average2d.svg')}`);
