#!/usr/bin/env node
/**
 * The `adaptive-sampling` command: `run` samples an exported function of a module, `plot`
 * draws a saved snapshot, `worker` is the distributed worker. `adaptive-sampling --help`
 * explains each; exit codes are 0 (done), 1 (the run failed), 2 (bad arguments) and 130
 * (stopped by Ctrl-C, files written).
 */

import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, parseCommand } from './args.js';
import { type CliIO, plotCommand, RunError, runCommand } from './commands.js';
import { MAIN_HELP, PLOT_HELP, RUN_HELP, WORKER_HELP } from './help.js';
import { UsageError } from './learners.js';

const HELP = { main: MAIN_HELP, run: RUN_HELP, plot: PLOT_HELP, worker: WORKER_HELP };

function version(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Runs the command line `argv` (without `node` and the script name); resolves with the
 * exit code. Errors in the arguments print a message and a pointer to `--help` (code 2).
 *
 * @example
 * const code = await main(['run', 'f.mjs', '--learner', '1d', '--bounds=-1,1', '--npoints-goal', '100']);
 */
export async function main(
  argv: readonly string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  let command: Command | undefined;
  try {
    command = parseCommand(argv);
    switch (command.cmd) {
      case 'help':
        io.stdout.write(HELP[command.topic]);
        return 0;
      case 'version':
        io.stdout.write(`${version()}\n`);
        return 0;
      case 'worker': {
        // Loaded on demand: only this command needs bullmq and ioredis (optional peers).
        const { workerCommand } = await import('../bullmq/index.js');
        return await workerCommand(command.argv, io);
      }
      case 'run':
        return await runCommand(command, io);
      case 'plot':
        return await plotCommand(command, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const topic = command?.cmd === 'run' || command?.cmd === 'plot' ? command.cmd : argv[0];
      const help =
        topic === 'run' || topic === 'plot'
          ? `adaptive-sampling ${topic} --help`
          : 'adaptive-sampling --help';
      io.stderr.write(`adaptive-sampling: ${e.message}\nSee '${help}'.\n`);
      return 2;
    }
    if (e instanceof RunError) {
      io.stderr.write(`adaptive-sampling: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Whether this module is the program (run directly or through npm's bin link), not imported. */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(
        `adaptive-sampling: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
