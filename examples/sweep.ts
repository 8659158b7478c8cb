/**
 * Sweep a function over a grid of parameters: one Learner1D per combination of (width,
 * offset), all sampled by one BalancingLearner through one pool of 8 evaluations in flight.
 * The points go where they are needed most, across all the curves at once.
 *
 *   npm run build && npx tsx examples/sweep.ts [npointsGoal]
 */
import { pathToFileURL } from 'node:url';
import { BalancingLearner, Learner1D, run } from 'adaptive-sampling';

/** The function to sweep: a peak of the given width at `offset`, on a slope. */
function peak(x: number, width: number, offset: number): number {
  return x + (width * width) / (width * width + (x - offset) ** 2);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the sweep to `npointsGoal` points in total; returns the learner and the run summary. */
export async function sweep(npointsGoal = 2000) {
  // One child learner per combination: 3 widths × 3 offsets = 9 curves.
  const learner = BalancingLearner.fromProduct(
    { width: [0.01, 0.03, 0.1], offset: [-0.5, 0, 0.5] },
    () => new Learner1D({ bounds: [-1, 1] }),
  );
  // A point is [child index, x]; dispatch hands each x to f with its child's parameters.
  const evaluate = learner.dispatch(async (x, { width, offset }) => {
    await sleep(Math.random()); // a slow evaluation, e.g. a simulation
    return peak(x, width, offset);
  });
  const summary = await run(learner, evaluate, { npointsGoal, concurrency: 8 });
  return { learner, summary };
}

/** Prints one line per parameter combination. */
export function report({ learner, summary }: Awaited<ReturnType<typeof sweep>>): void {
  console.log(
    `${learner.learners.length} parameter combinations, ${summary.npoints} points in ` +
      `${summary.elapsedMs.toFixed(0)} ms, largest loss ${summary.loss.toFixed(4)}\n`,
  );
  console.log(`  ${'width'.padStart(6)} ${'offset'.padStart(7)} ${'points'.padStart(7)}  loss`);
  learner.cdims.forEach(({ width, offset }, i) => {
    const child = learner.learners[i] as Learner1D;
    console.log(
      `  ${String(width).padStart(6)} ${String(offset).padStart(7)} ` +
        `${String(child.npoints).padStart(7)}  ${child.loss().toFixed(4)}`,
    );
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  report(await sweep(Number(process.argv[2] ?? 2000)));
}
