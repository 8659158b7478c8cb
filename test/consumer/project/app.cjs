// A user's CommonJS script: require() of the ESM-only package (Node >= 20.19 loads ES
// modules without top-level await through require).
const { Learner1D, runSync, WorkerPoolMaster } = require('adaptive-sampling');
const { plot1D } = require('adaptive-sampling/plot');

const l = new Learner1D({ bounds: [-1, 1] });
runSync(l, (x) => Math.tanh(20 * x), { npointsGoal: 100 });
console.log(
  JSON.stringify({
    npoints: l.npoints,
    svg: plot1D(l).startsWith('<svg'),
    pool: typeof WorkerPoolMaster === 'function',
  }),
);
