/**
 * Noisy averages: AverageLearner estimates π from random darts to a relative tolerance, and
 * AverageLearner1D learns a noisy curve, deciding both where to measure and how often to
 * repeat a measurement. A point is a seed (the randomness of one measurement), and for
 * AverageLearner1D a [seed, x] pair; seeded measurements can be repeated exactly.
 *
 *   npx tsx examples/noisy-average.ts [samples]     → out/noisy-average.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AverageLearner, AverageLearner1D, runSync } from 'adaptive-sampling';
// Until package.json exports it: import { plot1D } from 'adaptive-sampling/plot';
import { plot1D } from 'adaptive-sampling/plot';

/** A uniform random number in [0, 1) from a seed and a stream (a small hash). */
function uniform(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const samples = Number(process.argv[2] ?? 20_000);

// 1. π: a dart at (u, v) in the unit square lands in the quarter disc with probability π/4.
const pi = new AverageLearner({ rtol: 0.005, minNpoints: 100 });
runSync(pi, (seed: number) => (uniform(seed, 0) ** 2 + uniform(seed, 1) ** 2 < 1 ? 4 : 0), {
  lossGoal: 1, // loss ≤ 1: the standard error is within the tolerance
  npointsGoal: samples,
});
console.log(
  `π ≈ ${pi.mean.toFixed(4)} ± ${(pi.std / Math.sqrt(pi.npoints)).toFixed(4)} from ${pi.npoints} darts`,
);

// 2. A noisy peak: the learner resamples uncertain means and adds points where the curve bends.
const curve = (x: number): number => Math.tanh(x / 0.05) + 0.5 * x;
const learner = new AverageLearner1D({ bounds: [-1, 1], minSamples: 10 });
runSync(learner, ([seed, x]: [number, number]) => curve(x) + 0.4 * (uniform(seed, x * 1e6) - 0.5), {
  goal: (l) => l.nsamples >= samples,
});
const counts = learner.means().map((m) => m.n);
console.log(
  `noisy curve: ${learner.npoints} points, ${learner.nsamples} samples (${Math.min(...counts)}–${Math.max(...counts)} per point), loss ${learner.loss().toFixed(4)}`,
);

const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'noisy-average.svg'),
  plot1D(learner, {
    title: `Means and their errors: ${learner.npoints} points, ${learner.nsamples} samples`,
    xLabel: 'x',
    reference: curve,
  }),
);
console.log(`→ ${join(outDir, 'noisy-average.svg')}`);
