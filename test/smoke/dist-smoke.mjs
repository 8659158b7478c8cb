// Run with plain node (no tsx, no Vite) against the compiled dist/: catches module
// interop traps that the TypeScript-aware test runner hides (e.g. CommonJS dependencies).
import assert from 'node:assert/strict';
import {
  curvatureLoss,
  IndexedHeap,
  InlineMaster,
  Learner1D,
  ReferenceQueue,
  run,
  runSync,
} from 'adaptive-sampling';
import { fromArrow, loadData, toArrowIPC, toCSV } from 'adaptive-sampling/data';
import { checkLearnerLaws } from 'adaptive-sampling/testing';

const peak = (x) => x + 1e-4 / (1e-4 + x * x);

// The learner, through the package's own name (exports map), in plain node.
const l = new Learner1D({ bounds: [-1, 1] });
runSync(l, peak, { npointsGoal: 200 });
assert.equal(l.npoints, 200);
assert.ok(l.loss() < 0.02);

// The reference queue must construct and order.
const ties = { tie: new Float64Array([0, 1, 2]) };
const ref = new ReferenceQueue(ties);
const heap = new IndexedHeap(ties);
for (const [id, key] of [
  [0, 1],
  [1, 3],
  [2, 2],
]) {
  ref.set(id, key);
  heap.set(id, key);
}
assert.equal(ref.peek(), 1);
assert.equal(heap.peek(), 1);

// The async runner with an inline master.
const c = new Learner1D({ bounds: [-1, 1], loss: curvatureLoss() });
const summary = await run(c, new InlineMaster(async (x) => Math.tanh(10 * x), { concurrency: 4 }), {
  npointsGoal: 100,
});
assert.ok(summary.npoints >= 100);
assert.deepEqual(c.pendingPoints, []);

// The testing subpath loads and runs (it needs fast-check, an optional peer).
checkLearnerLaws(
  {
    name: 'Learner1D',
    make: () => new Learner1D({ bounds: [-1, 1], recomputeLossesFactor: 1 }),
    f: peak,
    inDomain: (x) => x >= -1 && x <= 1,
  },
  { numRuns: 10 },
);

// The data subpath: CSV through papaparse (CommonJS) and Arrow through apache-arrow.
const copy = l.new();
assert.equal(loadData(copy, toCSV(l)).told, 200);
assert.equal(toCSV(copy), toCSV(l));
const fromIpc = l.new();
assert.equal(loadData(fromIpc, fromArrow(toArrowIPC(l))).told, 200);

// The live subpath: a view of a run answers state.json with its token, 403 without.
const { liveView } = await import('adaptive-sampling/live');
const { Runner } = await import('adaptive-sampling');
const lr = new Runner(new Learner1D({ bounds: [0, 1] }), (x) => x, { npointsGoal: 20 });
const view = await liveView(lr, { port: 0 });
await lr.start().done;
const st = await (await fetch(view.url.replace('/?', '/state.json?'))).json();
assert.equal(st.npoints, 20);
assert.equal((await fetch(`${view.origin}/state.json`)).status, 403);
await view.close();

console.log('dist smoke test: ok');
