/**
 * A 1-D plot: sample a function with two outputs (a vector value) with 4 evaluations in
 * flight, then draw both components, the points, and the 10 latest points ringed.
 *
 *   npx tsx examples/plot-1d.ts [npointsGoal]     → out/plot-1d.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner1D, run } from 'adaptive-sampling';
// Until package.json exports it: import { lastTold, plot1D } from 'adaptive-sampling/plot';
import { lastTold, plot1D } from 'adaptive-sampling/plot';

/** A damped oscillation that starts sharply at x = 0: [amplitude · cos, amplitude · sin]. */
async function measure(x: number): Promise<[number, number]> {
  await new Promise((resolve) => setTimeout(resolve, Math.random())); // a slow evaluation
  const amplitude = x < 0 ? 0 : Math.exp(-x / 2);
  return [amplitude * Math.cos(8 * x), amplitude * Math.sin(8 * x)];
}

const npointsGoal = Number(process.argv[2] ?? 200);
const learner = new Learner1D({ bounds: [-1, 5] });
// log: true records every tell, in order: lastTold picks the latest points from it.
const summary = await run(learner, measure, { npointsGoal, concurrency: 4, log: true });

const svg = plot1D(learner, {
  title: `A damped oscillation: ${learner.npoints} points`,
  xLabel: 't',
  yLabel: 'signal',
  labels: ['cos part', 'sin part'],
  latest: lastTold(summary.log ?? [], 10),
});
const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'plot-1d.svg'), svg);
console.log(
  `${learner.npoints} points, loss ${summary.loss.toFixed(4)}, in ${summary.elapsedMs.toFixed(0)} ms → ${join(outDir, 'plot-1d.svg')}`,
);
