/**
 * A mixed integer/continuous study: a quantity of a system of size n (an integer, 1 to 64)
 * at a coupling g (continuous, 0 to 3). Its crossover sharpens with n and moves towards
 * g = 1 as n grows, as in finite-size scaling. Learner2D with integer: [true, false] asks
 * only whole system sizes, and spends its points where the crossover is at each size.
 *
 *   npx tsx examples/lattice-size.ts [points]     → out/lattice.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner2D, runSync } from 'adaptive-sampling';
import { plot2D } from 'adaptive-sampling/plot';

/** The order parameter of a size-n system at coupling g: a step at g = 1 + 2/n of width ~1/√n. */
const order = ([n, g]: readonly [number, number]): number =>
  0.5 * (1 + Math.tanh(4 * Math.sqrt(n) * (g - 1 - 2 / n)));

const points = Number(process.argv[2] ?? 1500);
const learner = new Learner2D({
  bounds: [
    [1, 64],
    [0, 3],
  ],
  integer: [true, false],
});
runSync(learner, order, { npointsGoal: points });

const perSize = new Map<number, number>();
for (const { x } of learner.toRecords()) perSize.set(x[0], (perSize.get(x[0]) ?? 0) + 1);
const counts = [...perSize.values()];
console.log(
  `${learner.npoints} points on ${perSize.size} of the 64 sizes (${Math.min(...counts)}–${Math.max(...counts)} couplings each), loss ${learner.loss().toFixed(4)}`,
);
console.log(`every n an integer: ${learner.toRecords().every((r) => Number.isInteger(r.x[0]))}`);

const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'lattice.svg'),
  plot2D(learner, {
    title: `A system size n ∈ {1 … 64} and a coupling g: ${learner.npoints} points`,
    xLabel: 'system size n (integer)',
    yLabel: 'coupling g',
    colorLabel: 'order parameter',
    equalAspect: false,
    lattice: [true, false],
  }),
);
console.log(`→ ${join(outDir, 'lattice.svg')}`);
