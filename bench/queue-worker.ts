/**
 * A queue worker process for the queue bench (compiled to `dist-bench/bench/queue-worker.js`):
 * `adaptive-sampling worker` with the arguments given, through the same code as the CLI.
 */
import { workerCommand } from '../src/bullmq/index.js';

process.exitCode = await workerCommand(process.argv.slice(2));
