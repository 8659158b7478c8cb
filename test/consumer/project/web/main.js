import { Learner1D, Learner2D, run, runSync } from 'adaptive-sampling';
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
runSync(l2, ([x, y]) => x * y, { npointsGoal: 100 });
out.learner2d = { npoints: l2.npoints };
const la = new Learner1D({ bounds: [-1, 1] });
const s = await run(
  la,
  async (x) => {
    await new Promise((r) => setTimeout(r, 0));
    return Math.sin(5 * x);
  },
  { npointsGoal: 100, concurrency: 4 },
);
out.runAsync = { npoints: s.npoints, reason: s.reason };
// A synchronous function long enough that the runner yields to the event loop.
const lb = new Learner1D({ bounds: [-1, 1] });
const sb = await run(
  lb,
  (x) => {
    let t = 0;
    for (let i = 0; i < 20000; i++) t += Math.sin(x + i);
    return t;
  },
  { npointsGoal: 2000 },
);
out.runSyncFn = { npoints: sb.npoints };
out.svg = plot1D(la).startsWith('<svg');
try {
  await run(new Learner1D({ bounds: [0, 1] }), { module: './f.mjs' }, { npointsGoal: 1 });
} catch (e) {
  out.poolError = e.message;
}
document.getElementById('out').textContent = JSON.stringify(out);
document.body.dataset.state = 'done';
