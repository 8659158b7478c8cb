/**
 * An integral: IntegratorLearner (python-adaptive's CQUAD port) integrates a sharp peak to a
 * relative tolerance and stops by itself; compare with the trapezoid rule on as many
 * evenly spaced points.
 *
 *   npx tsx examples/integral.ts [tol]     → out/integral.svg (where it evaluated)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntegratorLearner, run } from 'adaptive-sampling';
// Until package.json exports it: import { plot1D } from 'adaptive-sampling/plot';
import { plot1D } from 'adaptive-sampling/plot';

const a = 0.01;
const peak = (x: number): number => x + (a * a) / (a * a + x * x);
const exact = 2 * a * Math.atan(1 / a); // ∫ from −1 to 1: the x part cancels

const tol = Number(process.argv[2] ?? 1e-10);
const learner = new IntegratorLearner({ bounds: [-1, 1], tol });
// No goal needed: the learner is done when its error estimate is below tol · |integral|.
const summary = await run(learner, peak, { concurrency: 4 });

const n = learner.npoints;
let trapezoid = 0;
for (let i = 0; i < n - 1; i++) {
  const x0 = -1 + (2 * i) / (n - 1);
  const x1 = -1 + (2 * (i + 1)) / (n - 1);
  trapezoid += ((x1 - x0) * (peak(x0) + peak(x1))) / 2;
}
console.log(
  `integral  ${learner.igral} ± ${learner.err.toExponential(1)} (${n} points, ${summary.elapsedMs.toFixed(0)} ms)`,
);
console.log(`exact     ${exact}`);
console.log(
  `error     ${Math.abs(learner.igral - exact).toExponential(1)} adaptive, ${Math.abs(trapezoid - exact).toExponential(1)} trapezoid on ${n} even points`,
);

const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'integral.svg'),
  plot1D(learner, {
    title: `∫ = ${learner.igral.toPrecision(12)} from ${n} points`,
    xLabel: 'x',
    pointRadius: 1.5,
  }),
);
console.log(`→ ${join(outDir, 'integral.svg')}`);
