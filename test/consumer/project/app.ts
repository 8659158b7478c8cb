// A user's TypeScript, type-checked (strict) with the README's tsconfig against the
// installed package's .d.ts: no @types/node and no lib beyond the README's.
import {
  InlineMaster,
  Learner1D,
  Learner2D,
  type Master,
  type RunSummary,
  run,
  runSync,
  WorkerPoolMaster,
} from 'adaptive-sampling';
import { plot1D } from 'adaptive-sampling/plot';

const learner = new Learner1D({ bounds: [-1, 1] });
const summary: RunSummary = await run(learner, async (x: number) => Math.sin(x), {
  lossGoal: 0.01,
  concurrency: 8,
});
const records: { x: number; y: number | readonly number[] }[] = learner.toRecords();
const sync: RunSummary = runSync(
  new Learner2D({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
  }),
  ([x, y]) => x * y,
  { npointsGoal: 100 },
);

const pool = new WorkerPoolMaster<number, number>({ module: './f.mjs', threads: 2 });
try {
  await run(learner, pool, { npointsGoal: 400 });
} finally {
  await pool.close();
}
const master: Master<number, number> = new InlineMaster(async (x: number) => x, { concurrency: 2 });
const svg: string = plot1D(learner);

export { master, records, summary, svg, sync };
