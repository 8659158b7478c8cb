/**
 * A 2-D heat map: sample a function with a sharp curved ridge on the square, then draw the
 * learner's triangles coloured by value, with a colour bar and the points on top.
 *
 *   npx tsx examples/heatmap-2d.ts [npointsGoal]     → out/heatmap-2d.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner2D, runSync } from 'adaptive-sampling';
import { plot2D } from 'adaptive-sampling/plot';

/** A step of height 2 along the curve y = sin(3x)/2, smooth across a width of 0.05. */
function ridge([x, y]: [number, number]): number {
  return Math.tanh((y - Math.sin(3 * x) / 2) / 0.05) + 0.3 * x;
}

const npointsGoal = Number(process.argv[2] ?? 1000);
const learner = new Learner2D({
  bounds: [
    [-1, 1],
    [-1, 1],
  ],
});
const summary = runSync(learner, ridge, { npointsGoal });

const svg = plot2D(learner, {
  title: `A curved step: ${learner.npoints} points`,
  xLabel: 'x',
  yLabel: 'y',
  colorLabel: 'f(x, y)',
  colorMap: 'coolwarm',
});
const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'heatmap-2d.svg'), svg);
console.log(
  `${learner.npoints} points, loss ${summary.loss.toFixed(4)}, in ${summary.elapsedMs.toFixed(0)} ms → ${join(outDir, 'heatmap-2d.svg')}`,
);
