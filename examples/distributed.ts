/**
 * A distributed run: the learner in this process, the evaluations in worker processes that
 * take jobs from a Redis queue (BullMQ). Here both workers run on this machine; on a cluster
 * start the same command on every node.
 *
 *   REDIS_URL=redis://:password@host:6379 npx tsx examples/distributed.ts [npoints]
 *
 * Each worker is the command line `adaptive-sampling worker` (here through tsx, from the
 * sources); it runs the module named on its own command line, never code from the queue.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Learner1D, run } from 'adaptive-sampling';
import { QueueMaster } from 'adaptive-sampling/bullmq';

const here = dirname(fileURLToPath(import.meta.url));
const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const npoints = Number(process.argv[2] ?? 500);
const queueName = `peak-${process.pid}`;

// Two worker processes, two evaluations at a time each.
const workers: ChildProcess[] = [0, 1].map(() =>
  spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(here, '..', 'src', 'cli', 'main.ts'),
      'worker',
      '--queue',
      queueName,
      '--module',
      join(here, 'functions', 'peak.mjs'),
      '--concurrency',
      '2',
    ],
    { env: { ...process.env, REDIS_URL: redis }, stdio: ['ignore', 'ignore', 'inherit'] },
  ),
);

try {
  await using queue = new QueueMaster({ connection: redis, queueName });
  const learner = new Learner1D({ bounds: [-1, 1] });
  const summary = await run(learner, queue, { npointsGoal: npoints });
  console.log(
    `${summary.npoints} points evaluated by 2 worker processes through Redis in ` +
      `${summary.elapsedMs.toFixed(0)} ms; loss ${summary.loss.toFixed(4)}.`,
  );
} finally {
  for (const w of workers) w.kill('SIGTERM');
}
