/**
 * Types of the runner: options, goals, progress, failures, the run log and the summary.
 */

import type { Master } from '../master/types.js';

/**
 * What the runner evaluates with: a plain function (run in this thread) or a {@link Master}.
 * @example
 * const e: Evaluator<number, number> = async (x) => fetchReading(x);
 */
export type Evaluator<P, V> = ((point: P) => V | PromiseLike<V>) | Master<P, V>;

/**
 * Why a run stopped: the goal that was met, `'done'` (the learner finished by itself),
 * `'cancelled'` (`cancel()` or the `signal`), or `'exhausted'` (the learner had no point left
 * to give and nothing was in flight).
 *
 * @example
 * (await run(learner, f, { npointsGoal: 10, durationGoal: 5000 })).reason; // 'npointsGoal'
 */
export type StopReason =
  | 'lossGoal'
  | 'npointsGoal'
  | 'durationGoal'
  | 'endTimeGoal'
  | 'goal'
  | 'done'
  | 'cancelled'
  | 'exhausted';

/**
 * Stop conditions; any combination, the run stops at the first met. They are checked before
 * the first ask and after every tell, in the order `done`, `npointsGoal`, `durationGoal`,
 * `endTimeGoal`, `lossGoal`, `goal` (the first met is the summary's `reason`).
 *
 * @example
 * { lossGoal: 0.01, endTimeGoal: new Date('2030-01-01'), goal: (l) => l.npoints > 1000 }
 */
export interface GoalOptions<L> {
  /** Stop when `learner.loss() <= lossGoal`. */
  lossGoal?: number | undefined;
  /** Stop when `learner.npoints >= npointsGoal`. */
  npointsGoal?: number | undefined;
  /** Stop this many milliseconds after the run started. */
  durationGoal?: number | undefined;
  /** Stop at this wall-clock time. */
  endTimeGoal?: Date | undefined;
  /** Stop when this returns `true`. */
  goal?: ((learner: L) => boolean) | undefined;
}

/**
 * Periodic snapshots of the learner to a JSON file, written atomically (temp file + rename).
 * @example
 * { path: 'run.json', everyMs: 30_000 }
 */
export interface CheckpointOptions {
  /** The file to write `learner.snapshot()` to, as JSON. */
  path: string;
  /** Milliseconds between writes (default 60 000). One more write happens when the run ends. */
  everyMs?: number | undefined;
}

/**
 * Options of {@link run} and {@link Runner}.
 * @example
 * const o: RunOptions<Learner1D> = { lossGoal: 0.01, durationGoal: 60_000, concurrency: 4, retries: 2 };
 */
export interface RunOptions<L> extends GoalOptions<L> {
  /**
   * Evaluations kept in flight. Default: 1 for a plain function, `master.concurrency` for a
   * master (a different value asks the master for more or fewer points than its slots).
   */
  concurrency?: number | undefined;
  /** How many times a failed evaluation is retried on the same point (default 0). */
  retries?: number | undefined;
  /**
   * `true` (default): a point whose retries are exhausted makes the run reject.
   * `false`: it is recorded in `failures`, dropped from the learner's pending points, and the
   * run goes on.
   */
  raiseIfRetriesExceeded?: boolean | undefined;
  /** Aborting it cancels the run, which then resolves with `cancelled: true`. */
  signal?: AbortSignal | undefined;
  /** Called at most every `progressIntervalMs` while running, and once at the end. */
  onProgress?: ((info: ProgressInfo) => void) | undefined;
  /** Minimum milliseconds between `onProgress` calls (default 100). */
  progressIntervalMs?: number | undefined;
  /** Record every ask and tell in the summary's `log`, for {@link replay} (default false). */
  log?: boolean | undefined;
  /** Write learner snapshots to a file while running. */
  checkpoint?: CheckpointOptions | undefined;
  /**
   * Allow a run without any goal (default false): it then stops only on `cancel()`, the
   * `signal`, an error, or when the learner is exhausted.
   */
  allowRunningForever?: boolean | undefined;
}

/**
 * Options of {@link runSync}.
 * @example
 * const o: RunSyncOptions<Learner1D> = { npointsGoal: 100, pointsPerAsk: 4 };
 */
export interface RunSyncOptions<L> extends GoalOptions<L> {
  /** Points asked (and evaluated) per iteration (default 1). */
  pointsPerAsk?: number | undefined;
  /** Record every ask and tell in the summary's `log` (default false). */
  log?: boolean | undefined;
  /** Checked before every ask: once aborted, the run stops with `cancelled: true`. */
  signal?: AbortSignal | undefined;
}

/**
 * A point whose evaluation failed on every attempt.
 * @example
 * { point: 0.5, error: 'sensor offline', attempts: 3 }
 */
export interface Failure<P> {
  point: P;
  /** The last error's message. */
  error: string;
  /** How many times the point was evaluated (1 + retries). */
  attempts: number;
}

/**
 * What {@link RunOptions.onProgress} receives.
 * @example
 * { npoints: 120, pending: 4, loss: 0.02, elapsedMs: 1500, overhead: 1.2, failures: 0, rate: 80 }
 */
export interface ProgressInfo {
  /** The learner's `npoints`. */
  npoints: number;
  /** Evaluations in flight. */
  pending: number;
  /** The learner's `loss()`. */
  loss: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** Percentage of the wall time not spent inside evaluations (see {@link Runner.overhead}). */
  overhead: number;
  /** Number of points given up so far (`raiseIfRetriesExceeded: false`). */
  failures: number;
  /** Points told per second since the run started. */
  rate: number;
}

/**
 * One entry of a run log, in the order things happened:
 * - `ask`: the runner asked the learner for `n` points and got `points` (marked pending);
 * - `tell`: a value was told;
 * - `fail`: a point was given up (removed from the pending points, the others kept);
 * - `removeUnfinished`: the run ended and dropped every pending point.
 *
 * @example
 * [{ op: 'ask', n: 1, points: [0] }, { op: 'tell', point: 0, value: 1 }, { op: 'removeUnfinished' }]
 */
export type LogEntry<P, V> =
  | { op: 'ask'; n: number; points: P[] }
  | { op: 'tell'; point: P; value: V }
  | { op: 'fail'; point: P; error: string; attempts: number }
  | { op: 'removeUnfinished' };

/**
 * The result of a run.
 * @example
 * { npoints: 200, loss: 0.009, elapsedMs: 812, failures: [], cancelled: false, reason: 'lossGoal', evaluations: 200, overhead: 0.4 }
 */
export interface RunSummary<P, V> {
  /** The learner's `npoints` at the end. */
  npoints: number;
  /** The learner's `loss()` at the end. */
  loss: number;
  /** Milliseconds from start to end. */
  elapsedMs: number;
  /** Points given up (only with `raiseIfRetriesExceeded: false`). */
  failures: Failure<P>[];
  /** Whether the run was cancelled (`cancel()` or the `signal`). */
  cancelled: boolean;
  /** Why the run stopped. */
  reason: StopReason;
  /** Values told during this run. */
  evaluations: number;
  /** Percentage of the wall time not spent inside evaluations. */
  overhead: number;
  /** Every ask and tell, when the run was started with `log: true`. */
  log?: LogEntry<P, V>[];
}
