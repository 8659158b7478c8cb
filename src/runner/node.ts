/**
 * The Node runner: {@link Runner} and {@link run} with worker pools (WorkerPoolMaster options
 * as `evaluate`) and checkpoint files (`checkpoint`). Exported by `src/node.ts`, the entry
 * that Node, Bun and Deno load (package.json `exports["."].node`); the browser entry
 * (`src/index.ts`) has the core runner of ./runner.ts, which never imports worker or file
 * code. See ./platform.ts.
 */
import type { Learner } from '../learners/types.js';
import type { Master } from '../master/types.js';
import { WorkerPoolMaster, type WorkerPoolMasterOptions } from '../master/worker-pool.js';
import { Journal, resume, writeCheckpoint } from './checkpoint.js';
import { attachLive } from './live-node.js';
import { kServices, type PlatformServices } from './platform.js';
import { Runner as CoreRunner, runWith } from './runner.js';
import type { Evaluator, RunOptions, RunSummary } from './types.js';

const nodeServices: PlatformServices = {
  makePool: (options) =>
    new WorkerPoolMaster(options as WorkerPoolMasterOptions) as Master<unknown, unknown>,
  resume: (learner, options) => resume(learner, options),
  writeCheckpoint: (learner, path, options) => {
    writeCheckpoint(learner, path, options);
  },
  openJournal: (path, options) => new Journal(path, options),
  startLive: (runner, option) => attachLive(runner, option),
};

/**
 * The long-lived form of a run, with worker pools and checkpoint files (see the core
 * {@link CoreRunner | Runner} for the options and behaviour).
 *
 * @example
 * const runner = new Runner(learner, { module: new URL('./f.mjs', import.meta.url) }, {
 *   lossGoal: 0.01, checkpoint: { path: 'run.json' },
 * }).start();
 * const summary = await runner.done;
 */
export class Runner<P, V, L extends Learner<P, V> = Learner<P, V>> extends CoreRunner<P, V, L> {
  /** @internal */
  static readonly [kServices]: PlatformServices = nodeServices;
}

/**
 * Runs `learner` on `evaluate` (a function, a Master, or WorkerPoolMaster options: the run
 * makes the pool and closes it) until a goal is met, with `checkpoint` files if asked.
 *
 * @example
 * const learner = new Learner1D({ bounds: [-1, 1] });
 * await run(learner, { module: new URL('./f.mjs', import.meta.url), threads: 4 }, { lossGoal: 0.01 });
 */
export function run<P, V, L extends Learner<P, V> = Learner<P, V>>(
  learner: L & Learner<P, V>,
  evaluate: Evaluator<P, V>,
  options: RunOptions<L> = {},
): Promise<RunSummary<P, V>> {
  return runWith(Runner, learner, evaluate, options);
}
