/**
 * A queue worker process for the tests, through the same code as the CLI:
 * `node --import tsx test/bullmq/worker-cli.ts --redis URL --queue NAME --module PATH ...`.
 */
import { workerCommand } from '../../src/bullmq/index.js';

process.exitCode = await workerCommand(process.argv.slice(2));
