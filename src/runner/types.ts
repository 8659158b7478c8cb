/**
 * Types of the runner: options, goals, progress, failures, the run log and the summary.
 */

import type { FailureKind, LogEntry } from '../io/log.js';
import type { Master } from '../master/types.js';
import type { WorkerPoolMasterOptions } from '../master/worker-pool.js';

// The run-log format lives in io/ (master/replay.ts reads it, and a master never imports
// the runner); re-exported here where the runner's other types are.
export type { FailureKind, LogEntry } from '../io/log.js';

/**
 * What the runner evaluates with: a plain function (run in this thread), a {@link Master},
 * or the options of a {@link WorkerPoolMaster} that the run creates and closes at its end.
 * @example
 * const e: Evaluator<number, number> = async (x) => fetchReading(x);
 * const w: Evaluator<number, number> = { module: new URL('./f.js', import.meta.url), threads: 4 };
 */
export type Evaluator<P = unknown, V = unknown> =
  // The second argument is the `context` of a run on `threads` (any: the caller's type).
  // biome-ignore lint/suspicious/noExplicitAny: the context's type is the caller's
  ((point: P, context?: any) => V | PromiseLike<V>) | Master<P, V> | WorkerPoolMasterOptions;

/**
 * Why a run stopped: the goal that was met, `'done'` (the learner finished by itself),
 * `'cancelled'` (`cancel()` or the `signal`), `'exhausted'` (the learner had no point left
 * to give and nothing was in flight), `'replayEnded'` (a {@link ReplayMaster} reached the
 * end of its recording), or `'consecutiveFailures'` (`maxConsecutiveFailures` points in a row
 * were given up with nothing learnt, with `raiseIfRetriesExceeded: false`: the function seems
 * to fail everywhere).
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
  | 'exhausted'
  | 'replayEnded'
  | 'consecutiveFailures';

/**
 * Stop conditions; any combination, the run stops at the first met. They are checked before
 * the first ask and after every tell, in the order `done`, `npointsGoal`, `durationGoal`,
 * `endTimeGoal`, `lossGoal`, `goal` (the first met is the summary's `reason`).
 *
 * @example
 * { lossGoal: 0.01, endTimeGoal: new Date('2030-01-01'), goal: (l) => l.npoints > 1000 }
 */
export interface GoalOptions<L = unknown> {
  /** Stop when `learner.loss() <= lossGoal`. */
  lossGoal?: number | undefined;
  /**
   * Stop when `learner.npoints >= npointsGoal`. Never overshot: the points in flight never
   * exceed `ceil(npointsGoal) - npoints`, whatever the master's concurrency or batches (a
   * tell adds at most one point; a learner adding more per tell would stop early, with at
   * most the points then in flight evaluated in vain).
   */
  npointsGoal?: number | undefined;
  /** Stop this many milliseconds after the run started. */
  durationGoal?: number | undefined;
  /** Stop at this wall-clock time. */
  endTimeGoal?: Date | undefined;
  /** Stop when this returns `true`. */
  goal?: ((learner: L) => boolean) | undefined;
}

/**
 * Periodic snapshots of the learner to a JSON file, written atomically (temp file + rename),
 * and optionally a journal: an append-only NDJSON file of every result since the last
 * snapshot, so that a crash loses no told point.
 *
 * Durability: each result is appended to the journal (one `write` per batch of arrived
 * results) *before* the learner is told it, so every told point is in the file once the
 * process dies, even by SIGKILL. With `fsync: true` every append is also flushed to the disk
 * (`fdatasync`), and snapshots are synced before they replace the old one, so a power loss
 * or an OS crash loses nothing either; this costs a disk flush per batch of results.
 * A snapshot is written when the run starts, every `everyMs` and when it ends; the journal is
 * emptied after each snapshot (a crash in between leaves results that are in both, which
 * resuming tells twice: a no-op for a learner).
 *
 * @example
 * { path: 'run.json', everyMs: 30_000, journal: 'run.ndjson', resume: true }
 */
export interface CheckpointOptions {
  /** The file to write `learner.snapshot()` to, as JSON. */
  path: string;
  /** Milliseconds between writes (default 60 000). One more write happens when the run ends. */
  everyMs?: number | undefined;
  /** The journal file (NDJSON of `tell` and `fail` entries, see {@link serializeLog}). */
  journal?: string | undefined;
  /** Flush snapshots and journal appends to the disk (default false; see above). */
  fsync?: boolean | undefined;
  /**
   * Before the run, restore the learner from `path` and the `journal` when they exist
   * ({@link resume}); a missing file is not an error, so the same script starts and
   * continues a run. Default false: the run starts from the learner as given and overwrites
   * both files.
   */
  resume?: boolean | undefined;
}

/**
 * Options of {@link run} and {@link Runner}.
 * @example
 * const o: RunOptions<Learner1D> = { lossGoal: 0.01, durationGoal: 60_000, concurrency: 4, retries: 2 };
 */
export interface RunOptions<L = unknown> extends GoalOptions<L> {
  /**
   * Evaluations kept in flight. Default: 1 for a plain function, `master.concurrency` for a
   * master, read again before every ask so a master can change it (a {@link WorkerPoolMaster}
   * does as its batch size adapts or it is resized). A value given here is fixed, and asks the
   * master for more or fewer points than its slots.
   */
  concurrency?: number | undefined;
  /**
   * Evaluate the function (a plain, self-contained function) on this many worker threads
   * (Node, Bun, Deno): the run sends its source to a {@link WorkerPoolMaster} it makes and
   * closes (`{ fn, threads, context }`). A function that uses a variable from its
   * surroundings is refused at once, naming the variable: pass it in `context`.
   */
  threads?: number | undefined;
  /**
   * With `threads`: a value each thread gets once (structured-cloned), passed to the
   * function as its second argument, `(x, ctx) => ...`.
   */
  context?: unknown;
  /** How many times a failed evaluation is retried on the same point (default 0). */
  retries?: number | undefined;
  /**
   * `true` (default): a point whose retries are exhausted makes the run reject.
   * `false`: it is given up: recorded in `failures`, never evaluated again, and told to the
   * learner as NaN shaped like the values (a NaN vector for vector output; logged as a tell
   * with `failed: true`), so the learner refines around it and moves on; it counts in
   * `npoints`. Before the run's first value (of its child, for a BalancingLearner) the point
   * waits for one to learn the shape. A SequenceLearner or AverageLearner is not told NaN:
   * the item or seed is skipped (dropped from the pending points).
   */
  raiseIfRetriesExceeded?: boolean | undefined;
  /**
   * With `raiseIfRetriesExceeded: false`: stop the run (reason `'consecutiveFailures'`, the
   * points in `failures`) once this many points in a row have been given up while the
   * learner learnt nothing: no value told, and no NaN either (before the run's first value
   * a given-up point waits for one; an AverageLearner or SequenceLearner skips it). So a
   * function that fails everywhere ends the run instead of failing on new points for ever,
   * while a region where it fails is refined (its points told NaN) as long as the goals
   * allow. A positive integer, or `Infinity` to never stop for failures (default 100; with a
   * {@link ReplayMaster}, `Infinity`: the replay gives up what the recording gave up).
   */
  maxConsecutiveFailures?: number | undefined;
  /** Aborting it cancels the run, which then resolves with `cancelled: true`. */
  signal?: AbortSignal | undefined;
  /** Called at most every `progressIntervalMs` while running, and once at the end. */
  onProgress?: ((info: ProgressInfo) => void) | undefined;
  /** Minimum milliseconds between `onProgress` calls (default 100). */
  progressIntervalMs?: number | undefined;
  /**
   * Record every ask, tell, retried attempt and given-up point in the summary's `log`, in the
   * order they happened, as plain data ({@link serializeLog} makes it NDJSON), for
   * {@link replay} and {@link ReplayMaster} (default false).
   */
  log?: boolean | undefined;
  /**
   * Write learner snapshots to a file while running, optionally journal every result, and
   * resume from both ({@link CheckpointOptions}).
   */
  checkpoint?: CheckpointOptions | undefined;
  /**
   * Allow a run without any goal (default false): it then stops only on `cancel()`, the
   * `signal`, an error, or when the learner is exhausted.
   */
  allowRunningForever?: boolean | undefined;
  /**
   * Watch the run in a browser (Node only): `true` (any free port), a port, or
   * `{ port, host }`. Starts a live view (adaptive-sampling/live), prints its URL on stderr
   * (always before the run's result, even for a run that ends at once), and closes it when
   * the run ends.
   */
  live?: boolean | number | { port?: number | undefined; host?: string | undefined } | undefined;
}

/**
 * Options of {@link runSync}.
 * @example
 * const o: RunSyncOptions<Learner1D> = { npointsGoal: 100, pointsPerAsk: 4 };
 */
export interface RunSyncOptions<L = unknown> extends GoalOptions<L> {
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
 * { point: 0.5, error: 'sensor offline', attempts: 3, kind: 'error' }
 */
export interface Failure<P = unknown> {
  point: P;
  /** The last error's message. */
  error: string;
  /** How many times the point was evaluated (1 + retries). */
  attempts: number;
  /** How the last attempt failed. */
  kind: FailureKind;
}

/**
 * What {@link RunOptions.onProgress} receives.
 * @example
 * { npoints: 120, pending: 4, loss: 0.02, elapsedMs: 1500, overhead: 1.2, failures: 0, rate: 80, final: false }
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
  /** `true` for the last call, made when the run ends. */
  final: boolean;
}

/**
 * The result of a run.
 * @example
 * { npoints: 200, loss: 0.009, elapsedMs: 812, failures: [], cancelled: false, reason: 'lossGoal', evaluations: 200, overhead: 0.4 }
 */
export interface RunSummary<P = unknown, V = unknown> {
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
