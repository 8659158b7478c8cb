/**
 * adaptive-sampling/bullmq: distributed runs on a BullMQ queue on Redis. The learner stays in
 * one process ({@link QueueMaster}); workers anywhere ({@link startQueueWorker}, or the CLI
 * `adaptive-sampling worker --redis URL --queue NAME --module PATH`) take batches of points,
 * evaluate them and send the values back, in any order. Needs the optional peer dependencies
 * bullmq and ioredis (`npm install bullmq ioredis`), loaded on first use, and Redis ≥ 6.2.
 *
 * ```ts
 * // master.ts
 * import { QueueMaster } from 'adaptive-sampling/bullmq';
 * await using master = new QueueMaster<number, number>({ connection: process.env.REDIS_URL!, queueName: 'peak' });
 * await run(new Learner1D({ bounds: [-1, 1] }), master, { lossGoal: 0.01, checkpoint: { path: 'peak.json', journal: 'peak.ndjson', resume: true } });
 * // on every worker machine:
 * //   REDIS_URL=redis://:PASSWORD@host:6379 npx adaptive-sampling worker --queue peak --module f.mjs --concurrency 4
 * ```
 *
 * What happens when things fail:
 * - A worker process dies mid-job (SIGKILL, OOM, a lost machine): its job is "stalled" once
 *   its lock expires, and BullMQ gives it to another worker. Recovery takes between
 *   `lockDuration` and `lockDuration + stalledInterval` (worker options, 30 s + 30 s by
 *   default; `--lock-duration 2 --stalled-interval 1` recovers in about 3 s). A job that
 *   stalls more than `maxStalledCount` times fails; its points are then sent one per job,
 *   and a point that kills every worker fails alone as a crash (`WorkerCrashError`).
 * - A worker's evaluation throws, crashes its thread or overruns `timeoutMs`: that point
 *   rejects with the same error class, name and message, kind `'error'`, `'crash'` or
 *   `'timeout'`, and the runner's `retries` apply exactly as with the other masters.
 * - Redis restarts (without persistence: every job is lost): master and workers reconnect by
 *   themselves; on reconnect the master asks Redis about each job in flight and adds again,
 *   under the same id and with the same points, every job Redis no longer knows. A worker
 *   finishing a job that Redis lost cannot save its result (it logs "Missing key for job");
 *   the job runs again. Results are deduplicated: each point settles once.
 * - Results missed (an events stream trimmed while the master was busy): every `sweepMs` the
 *   master asks Redis about the jobs in flight for longer than that and reads the results of
 *   finished ones. Jobs stay in Redis until the master has read them (an hour at most).
 * - The master process dies: run with `checkpoint: { path, journal, resume: true }` and start
 *   it again; it resumes from the snapshot and the journal, telling no point twice. The old
 *   master's jobs still in the queue are evaluated by the workers and their results ignored
 *   (use a new queue name, or `Queue.drain()`, to skip them).
 *
 * Security: a job carries data only (`{ v: 1, points }`); a worker evaluates the function of
 * the module on its own command line, never code or module names from the queue, and fails a
 * job that is not a batch of points with an error saying so. Give the password in the URL
 * (`redis://:PASSWORD@host`, `redis://USER:PASSWORD@host` for an ACL user, `rediss://` for
 * TLS) or through `REDIS_URL` to keep it out of the process list; messages never show it. A
 * wrong or missing password fails at once with a {@link QueueConnectionError} that says so,
 * instead of reconnecting forever.
 */
export { WORKER_USAGE, type WorkerCommandIO, workerCommand } from './command.js';
export {
  describeConnection,
  type QueueConnection,
  QueueConnectionError,
} from './connection.js';
export {
  FALLBACK_SLOTS,
  QueueMaster,
  type QueueMasterOptions,
  type QueueMasterStats,
  TARGET_JOB_MS,
} from './master.js';
export {
  JOB_NAME,
  type JobError,
  type JobPayload,
  type JobResult,
  MAX_POINTS_PER_JOB,
  PROTOCOL_VERSION,
} from './protocol.js';
export {
  type QueueWorker,
  type QueueWorkerOptions,
  type QueueWorkerStats,
  startQueueWorker,
} from './worker.js';
