/**
 * Helpers for the queue tests: worker processes (the CLI's code path, in a child process),
 * fixture paths, and small event waits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/workers/${name}`, import.meta.url));
export const peak = (x: number): number => x + 0.01 / (0.01 + x * x);

/** A worker process started by {@link spawnWorker}. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves with the worker's name once it serves; rejects if it exits first. */
  readonly ready: Promise<string>;
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Kills every worker process still running (SIGKILL). */
export function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/**
 * Starts `adaptive-sampling worker ARGS` in a child process (test/bullmq/worker-cli.ts, run
 * through tsx: the same code as the CLI).
 */
export function spawnWorker(args: readonly string[], env?: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./worker-cli.ts', import.meta.url)), ...args],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env },
  );
  children.add(child);
  let err = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(signal ?? code);
    });
  });
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving queue .* as (\S+)\n/.exec(err);
      if (m !== null) resolve(m[1] as string);
    });
    exited.then((code) => reject(new Error(`the worker exited (${code}) before serving:\n${err}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, stderr: () => err };
}

/** A promise and its resolve function. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Counts the `tell` entries of a run log per point key (JSON of the point). */
export function tellCounts(log: readonly { op: string; point?: unknown }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of log) {
    if (e.op !== 'tell') continue;
    const k = JSON.stringify(e.point);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}
