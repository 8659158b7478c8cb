/**
 * adaptive-sampling for Node (and Bun, Deno): the package's main entry under the `node`
 * export condition. Everything of the browser-safe entry (./index.ts) plus what needs Node:
 *
 * - WorkerPoolMaster (worker threads), and `run`/`Runner` that accept its
 *   options (`run(learner, { module, threads }, ...)`: the run makes and closes the pool);
 * - checkpoint files: `checkpoint` in the run options, Journal, resume, writeCheckpoint.
 *
 * Plan for Node-only additions (read before adding one): they live here and in
 * src/runner/node.ts (the runner's PlatformServices, src/runner/platform.ts), never in a
 * module that ./index.ts imports. The `run` and `Runner` below shadow the core ones of
 * ./index.ts (a local export wins over `export *`), so Node users get the full ones from the
 * same `import { run } from 'adaptive-sampling'` that a browser bundle resolves to the core.
 */
export * from './index.js';
export {
  Journal,
  type ResumeOptions,
  type ResumeResult,
  resume,
  type WriteCheckpointOptions,
  writeCheckpoint,
} from './io/checkpoint.js';
export {
  type ResourceLimits,
  WorkerPoolMaster,
  type WorkerPoolMasterOptions,
  type WorkerPoolStats,
} from './master/worker-pool.js';
export { Runner, run } from './runner/node.js';
