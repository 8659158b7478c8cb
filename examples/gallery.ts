/**
 * A gallery of the plots of adaptive-sampling/plot, one per learner kind: small multiples of
 * a BalancingLearner's curves, a slice and a cut through a 3-D LearnerND, and the loss
 * against points. Everything runs with runSync in a fixed order, so the pictures are the
 * same bytes every time (scripts/readme-figures.sh puts them in the README).
 *
 *   npx tsx examples/gallery.ts [scale]     → out/sweep.svg, out/slice.svg, out/cut.svg, out/loss.svg
 *
 * `scale` (default 1) multiplies every point goal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BalancingLearner, Learner1D, LearnerND, runSync } from 'adaptive-sampling';
import { plotBalancing, plotLoss, plotSlice } from 'adaptive-sampling/plot';

const scale = Number(process.argv[2] ?? 1);
const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
const save = (name: string, svg: string): void => {
  writeFileSync(join(outDir, name), svg);
  console.log(`→ ${join(outDir, name)}`);
};

// 1. A parameter sweep: one Learner1D per (width, offset), balanced by loss improvement.
const sweep = BalancingLearner.fromProduct(
  { width: [0.02, 0.1], offset: [-0.5, 0, 0.5] },
  () => new Learner1D({ bounds: [-1, 1] }),
);
runSync(
  sweep,
  sweep.dispatch(
    (x: number, { width, offset }) => x + width ** 2 / (width ** 2 + (x - offset) ** 2),
  ),
  { npointsGoal: Math.round(600 * scale) },
);
save(
  'sweep.svg',
  plotBalancing(sweep, {
    title: `One BalancingLearner, six curves, ${sweep.npoints} points`,
    columns: 3,
    shareY: true,
    panel: { pointRadius: 1.8 },
  }),
);

// 2. A 3-D function: a spherical shell, seen in the plane z = 0 and along the x axis.
const shell = new LearnerND({
  bounds: [
    [-1, 1],
    [-1, 1],
    [-1, 1],
  ],
});
const losses: { npoints: number; loss: number }[] = [];
runSync(
  shell,
  ([x, y, z]: number[]) =>
    Math.exp(-(((x as number) ** 2 + (y as number) ** 2 + (z as number) ** 2 - 0.5) ** 2) / 0.02),
  {
    npointsGoal: Math.round(1500 * scale),
    goal: (l) => {
      losses.push({ npoints: l.npoints, loss: l.loss() });
      return false;
    },
  },
);
const names = ['x', 'y', 'z'];
save('slice.svg', plotSlice(shell, { fixed: [null, null, 0], axisLabels: names, colorLabel: 'f' }));
save(
  'cut.svg',
  plotSlice(shell, { fixed: [null, 0, 0], axisLabels: names, yLabel: 'f', tolerance: 0.05 }),
);
save('loss.svg', plotLoss(losses, { title: `LearnerND: loss against points` }));
