// A user's ESM script against the installed package: learners, runSync, run with an async
// function, and a worker pool (unless the runtime cannot: NO_POOL=reason). Prints one JSON line.
import { Learner1D, Learner2D, run, runSync, WorkerPoolMaster } from 'adaptive-sampling';
import { plot1D } from 'adaptive-sampling/plot';

const out = {};

const l1 = new Learner1D({ bounds: [-1, 1] });
runSync(l1, (x) => x + 1e-4 / (1e-4 + x * x), { npointsGoal: 300 });
out.runSync = { npoints: l1.npoints, loss: l1.loss() };

const l2 = new Learner2D({
  bounds: [
    [-1, 1],
    [-1, 1],
  ],
});
runSync(l2, ([x, y]) => x + Math.exp(-((x * x + y * y - 0.5) ** 2) / 0.01), { npointsGoal: 200 });
out.learner2d = { npoints: l2.npoints };

const la = new Learner1D({ bounds: [-1, 1] });
const s = await run(la, async (x) => Math.sin(5 * x), { npointsGoal: 100, concurrency: 4 });
out.runAsync = { npoints: s.npoints, reason: s.reason };
out.svg = plot1D(la).startsWith('<svg');

if (process.env.NO_POOL) {
  out.pool = `skipped: ${process.env.NO_POOL}`;
} else {
  const lp = new Learner1D({ bounds: [-1, 1] });
  const pool = new WorkerPoolMaster({ module: new URL('./f.mjs', import.meta.url), threads: 2 });
  try {
    const sp = await run(lp, pool, { npointsGoal: 200 });
    out.pool = { npoints: sp.npoints, tanhAtHalf: lp.interpolate(0.5) };
  } finally {
    await pool.close();
  }
  // WorkerPoolMaster options as evaluate: the run makes and closes the pool.
  const lo = new Learner1D({ bounds: [-1, 1] });
  const so = await run(
    lo,
    { module: new URL('./f.mjs', import.meta.url), threads: 2 },
    { npointsGoal: 50 },
  );
  out.poolOptions = { npoints: so.npoints };
}
console.log(JSON.stringify(out));
