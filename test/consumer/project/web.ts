// A browser app's TypeScript (moduleResolution bundler, lib dom, no @types/node), checked
// against the browser entry's .d.ts.
import { Learner1D, type RunSummary, run, runSync } from 'adaptive-sampling';

const learner = new Learner1D({ bounds: [-1, 1] });
runSync(learner, (x) => x * x, { npointsGoal: 50 });
const summary: RunSummary = await run(learner, async (x: number) => Math.sin(x), {
  npointsGoal: 100,
});
document.body.textContent = `${summary.npoints} points`;
