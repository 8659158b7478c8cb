/**
 * The runner: the feedback loop that keeps `concurrency` evaluations in flight, tells each
 * result to the learner as it arrives, and stops at the first goal met.
 *
 * Port of python-adaptive runner.py (BaseRunner/AsyncRunner), with these fixes: every given
 * goal counts (python ignores the others when `goal` is callable, §15.2 #15), a given-up
 * point leaves the learner's pending points (#14), the log records the points of each ask and
 * never a retry as an ask, and results that already arrived are told before the run ends.
 *
 * Hot path (inline synchronous function): no promise, closure or macrotask per point. Results
 * wait in a ring buffer (struct of arrays) until told; the loop yields to the event loop with
 * `setImmediate` once per {@link SLICE_MS} so timers and abort signals still run.
 */

import type { Learner } from '../learners/types.js';
import { BUSY, InlineMaster, kTryCall } from '../master/inline.js';
import {
  abortError,
  isMaster,
  kSequence,
  kSubmit,
  type Master,
  type ResultSink,
  type Sequencer,
  type Submit,
} from '../master/types.js';
import { describe, errorText } from '../util/validate.js';
import { failureKind, GiveUps } from './give-ups.js';
import { claimLearner, releaseLearner } from './in-use.js';
import { checkLive, type LiveOption } from './live.js';
import { masterFor } from './master-for.js';
import {
  type CheckedCheckpoint,
  checkCheckpoint,
  checkGoals,
  checkLearner,
  checkOptionKeys,
  DEFAULT_MAX_CONSECUTIVE_FAILURES,
  GOAL_KEYS,
  type Goals,
  metGoal,
  optionalBoolean,
  optionalFailureLimit,
  optionalFunction,
  optionalNonNegativeInteger,
  optionalPositiveFinite,
  optionalPositiveInteger,
  optionalSignal,
} from './options.js';
import {
  cancelSoon,
  kServices,
  type PlatformJournal,
  type PlatformServices,
  soon,
  unref,
} from './platform.js';
import type {
  Evaluator,
  Failure,
  GoalOptions,
  LogEntry,
  ProgressInfo,
  RunOptions,
  RunSummary,
  StopReason,
} from './types.js';

/** Longest stretch (ms) the loop runs without yielding to the event loop. */
const SLICE_MS = 5;

/**
 * Longest stretch (ms) of telling arrived results before the free slots are refilled. The
 * loop tells every arrived result and then asks once for all the free slots (as
 * python-adaptive's runner does: one ask of n points after the done futures are told), so a
 * learner updates its losses once for the batch rather than once per point; a learner slow to
 * tell still refills the threads this often.
 */
const TELL_BATCH_MS = 1;
/** setTimeout's largest delay. */
const MAX_TIMEOUT = 2 ** 31 - 1;

const RUN_KEYS = [
  ...GOAL_KEYS,
  'concurrency',
  'threads',
  'context',
  'retries',
  'raiseIfRetriesExceeded',
  'maxConsecutiveFailures',
  'signal',
  'onProgress',
  'progressIntervalMs',
  'log',
  'checkpoint',
  'allowRunningForever',
  'live',
];

const IDLE = 0;
const RUNNING = 1;
const FINISHED = 2;

/** The state of a {@link Runner}. */
export type RunnerStatus = 'idle' | 'running' | 'finished' | 'cancelled' | 'failed';

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

/** The name errors start with: `run` when called through {@link run}, else `Runner`. */
let callerName = 'Runner';

/**
 * The long-lived form of a run: construct (which validates the options), `start()`, then
 * await `done`; `cancel()` stops it at any time. Abort through `options.signal` works like
 * `cancel()`: `done` resolves with `cancelled: true` (it does not reject: a cancelled run is a
 * normal way to end, and its summary is still useful).
 *
 * When the run ends (goal met, error or cancel) the results that already arrived are told,
 * `learner.removeUnfinished()` drops the pending points, evaluations still in flight are
 * aborted through the signal given to `master.evaluate`, and their results are ignored. A
 * master made by the runner (an InlineMaster from a plain function, a WorkerPoolMaster from
 * its options) is closed, its workers gone, before `done` settles; one passed in never is
 * (python-adaptive #498).
 *
 * Points pending in the learner at the start (a restored snapshot's) are evaluated first. A
 * learner runs under one run at a time: `start()` throws when another run uses it. With
 * `npointsGoal`, no more points are in flight than the goal still needs. A point given up
 * (`raiseIfRetriesExceeded: false`) is told to the learner as NaN (see {@link RunOptions}).
 *
 * With a master whose `concurrency` changes (a WorkerPoolMaster adapting its batch size, or
 * resized), the runner follows it before every ask. With a {@link ReplayMaster} it asks,
 * tells and gives up exactly as in the recorded run, and needs no goal. With
 * `checkpoint.journal`, every result is written to the journal before the learner is told it
 * (see {@link CheckpointOptions}).
 *
 * @example
 * const runner = new Runner(learner, (x: number) => Math.sin(x), { lossGoal: 0.01 }).start();
 * setTimeout(() => runner.cancel(), 1000);
 * const summary = await runner.done; // { npoints, loss, reason: 'lossGoal' | 'cancelled', ... }
 */
export class Runner<P, V, L extends Learner<P, V> = Learner<P, V>> {
  /** The learner being run. */
  readonly learner: L;
  /** Resolves with the summary when the run ends; rejects when an evaluation fails for good. */
  readonly done: Promise<RunSummary<P, V>>;

  readonly #where: string;
  readonly #master: Master<P, V>;
  readonly #inline: InlineMaster<P, V> | undefined;
  /** The master's promise-free submit ({@link kSubmit}), when it has one. */
  readonly #fastSubmit: Submit<P> | undefined;
  /** Where a {@link kSubmit} master reports outcomes: straight to {@link Runner.#arrive}. */
  readonly #sink: ResultSink<P> = {
    arrive: (point, value, failed, attempts, t0) =>
      this.#arrive(point, value, failed ? -attempts : attempts, t0),
  };
  readonly #ownsMaster: boolean;
  /** Evaluations kept in flight; re-read from the master before each ask when `#dynamic`. */
  #slots: number;
  readonly #dynamic: boolean;
  readonly #seq: Sequencer<P> | undefined;
  readonly #retries: number;
  readonly #raise: boolean;
  /** The points given up (`raiseIfRetriesExceeded: false`). */
  readonly #giveUps: GiveUps<P, V>;
  // Typed on the base learner so that Runner stays covariant in L.
  readonly #goals: Goals<Learner<P, V>>;
  readonly #signal: AbortSignal | undefined;
  readonly #onProgress: ((info: ProgressInfo) => void) | undefined;
  readonly #progressMs: number;
  readonly #log: LogEntry<P, V>[] | undefined;
  readonly #checkpoint: CheckedCheckpoint | undefined;
  readonly #live: LiveOption | undefined;
  /** Resolves once the live view's URL is printed: the run's result waits for it. */
  #liveStarted: Promise<void> | undefined;
  #journal: PlatformJournal | undefined;
  readonly #services: PlatformServices | undefined;
  /** Whether snapshots are being written (the checkpoint files were opened, or resumed from). */
  #checkpointing = false;
  /** Arrived results at the head of the ring buffer already written to the journal. */
  #journaled = 0;

  #resolve!: (s: RunSummary<P, V>) => void;
  #reject!: (e: unknown) => void;
  #state = IDLE;
  #status: RunnerStatus = 'idle';
  #startMs = 0;
  #endMs = 0;
  #clock = 0;
  #lastYield = 0;
  /** When the loop began telling the results that arrived since its last ask, or -1: see TELL_BATCH_MS. */
  #tellsFrom = -1;
  #fnTime = 0;
  #told = 0;
  /** Whether this run holds the learner (see in-use.ts). */
  #claimed = false;
  /** Points pending in the learner when the run started (a restored snapshot's): evaluated first. */
  #backlog: P[] | undefined;
  #backlogAt = 0;
  /** Evaluations submitted and not yet arrived. */
  #inflight = 0;
  #pumping = false;
  #pumpQueued = false;
  #immediate: ReturnType<typeof soon> | undefined;
  #stopReason: StopReason | undefined;
  #hasError = false;
  #error: unknown;
  #controller: AbortController | undefined;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  #progressTimer: ReturnType<typeof setInterval> | undefined;
  #checkpointTimer: ReturnType<typeof setInterval> | undefined;

  // Ring buffer of arrived results not yet told: point, value (or error), and attempts
  // (negative for a failed attempt). Capacity is a power of two.
  #rPoints: P[] = new Array(8);
  #rValues: unknown[] = new Array(8);
  #rAttempts: Int32Array = new Int32Array(8);
  #rHead = 0;
  #rCount = 0;

  readonly #resume = (): void => {
    this.#immediate = undefined;
    this.#lastYield = performance.now();
    this.#pump();
  };
  readonly #pumpTask = (): void => {
    this.#pumpQueued = false;
    if (this.#immediate === undefined) this.#pump();
  };
  readonly #onAbort = (): void => {
    this.cancel();
  };
  /** Runs the loop soon although nothing arrived (a replaying master's wake-up). */
  readonly #wake = (): void => {
    if (this.#state !== RUNNING) return;
    if (!this.#pumping && this.#immediate === undefined && !this.#pumpQueued) {
      this.#pumpQueued = true;
      queueMicrotask(this.#pumpTask);
    }
  };

  constructor(learner: L & Learner<P, V>, evaluate: Evaluator<P, V>, options: RunOptions<L> = {}) {
    const where = callerName;
    this.#where = where;
    // Worker pools and checkpoint files: only the Node runner (./node.ts) has them.
    const services = (new.target as { [kServices]?: PlatformServices })[kServices];
    this.#services = services;
    checkLearner(where, learner);
    checkOptionKeys(where, options, RUN_KEYS);
    const o = options as RunOptions<L>;
    const concurrency = optionalPositiveInteger(where, 'concurrency', o.concurrency);
    this.#retries = optionalNonNegativeInteger(where, 'retries', o.retries) ?? 0;
    this.#raise =
      optionalBoolean(where, 'raiseIfRetriesExceeded', o.raiseIfRetriesExceeded) ?? true;
    const failureLimit = optionalFailureLimit(where, o.maxConsecutiveFailures);
    this.#signal = optionalSignal(where, o.signal);
    this.#onProgress = optionalFunction(where, 'onProgress', o.onProgress);
    this.#progressMs =
      optionalPositiveFinite(where, 'progressIntervalMs', o.progressIntervalMs) ?? 100;
    this.#log = optionalBoolean(where, 'log', o.log) ? [] : undefined;
    this.#checkpoint = checkCheckpoint(where, o.checkpoint);
    if (this.#checkpoint !== undefined && services === undefined) {
      throw new TypeError(
        `${where}: checkpoint files need Node (or Bun, Deno): this is the browser build of adaptive-sampling, which has no file system`,
      );
    }
    this.#live = checkLive(where, o.live);
    if (this.#live !== undefined && services === undefined) {
      throw new TypeError(
        `${where}: live needs Node (or Bun, Deno): this is the browser build of adaptive-sampling, which serves no pages`,
      );
    }
    const forever = optionalBoolean(where, 'allowRunningForever', o.allowRunningForever) ?? false;
    const seq = isMaster(evaluate)
      ? (evaluate as { [kSequence]?: Sequencer<P> })[kSequence]
      : undefined;
    this.#seq = seq;
    // A replay gives up what the recording gave up, however many in a row.
    const maxConsecutiveFailures =
      failureLimit ??
      (seq === undefined ? DEFAULT_MAX_CONSECUTIVE_FAILURES : Number.POSITIVE_INFINITY);
    // A replayed recording ends the run by itself.
    this.#goals = checkGoals(
      where,
      o,
      learner as L,
      forever || seq !== undefined,
    ) as unknown as Goals<Learner<P, V>>;

    const { master, owned } = masterFor<P, V>(where, evaluate, o, concurrency, services);
    this.#master = master;
    this.#ownsMaster = owned;
    this.#dynamic = concurrency === undefined && !(this.#master instanceof InlineMaster);
    const slots = concurrency ?? this.#master.concurrency;
    if (!Number.isSafeInteger(slots) || slots < 1) {
      throw new RangeError(
        `${where}: the master's concurrency must be a positive integer, got ${describe(slots)}; pass options.concurrency`,
      );
    }
    this.#slots = slots;
    this.#inline = this.#master instanceof InlineMaster ? this.#master : undefined;
    const fast = (this.#master as { [kSubmit]?: unknown })[kSubmit];
    this.#fastSubmit = typeof fast === 'function' ? (fast as Submit<P>) : undefined;
    this.learner = learner;
    this.#giveUps = new GiveUps<P, V>(learner, maxConsecutiveFailures, this.#seq, (entry) => {
      this.#log?.push(entry);
      this.#journal?.append([entry as LogEntry<unknown, unknown>]);
    });
    this.done = new Promise<RunSummary<P, V>>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /**
   * The master evaluating the points: the one passed in, or the one the runner made (an
   * {@link InlineMaster} for a function, a {@link WorkerPoolMaster} for its options; e.g.
   * `(runner.master as WorkerPoolMaster).resize(8)` while it runs). Closed at the end only
   * when the runner made it.
   */
  get master(): Master<P, V> {
    return this.#master;
  }

  /** `'idle'` before `start()`, `'running'`, then `'finished'`, `'cancelled'` or `'failed'`. */
  get status(): RunnerStatus {
    return this.#status;
  }

  /** Milliseconds since `start()` (frozen when the run ends; 0 before it starts). */
  get elapsedMs(): number {
    if (this.#state === IDLE) return 0;
    return (this.#state === RUNNING ? performance.now() : this.#endMs) - this.#startMs;
  }

  /** The run's goals (`endTimeGoal` as a Date), for progress displays such as the live view. */
  get goals(): Readonly<GoalOptions<Learner<P, V>>> {
    const g = this.#goals;
    return {
      lossGoal: g.lossGoal,
      npointsGoal: g.npointsGoal,
      durationGoal: g.durationGoal,
      endTimeGoal: g.endTime === undefined ? undefined : new Date(g.endTime),
      goal: g.goal,
    };
  }

  /** Points given up so far (with `raiseIfRetriesExceeded: false`). */
  get failures(): readonly Failure<P>[] {
    return this.#giveUps.failures;
  }

  /** Evaluations in flight (submitted, or arrived and not yet told). */
  get pending(): number {
    return this.#inflight + this.#rCount;
  }

  /** The run log so far (`log: true`), else `undefined`. */
  get log(): readonly LogEntry<P, V>[] | undefined {
    return this.#log;
  }

  /**
   * Percentage of the wall time not spent inside evaluations, python-adaptive's
   * `(1 - t_function / elapsed) * 100`; 0 before any evaluation finished. The time of an
   * asynchronous evaluation counts divided by the number of slots, as in python-adaptive.
   *
   * @example
   * runner.overhead(); // 0.8: 99.2 % of the time went into the function
   */
  overhead(): number {
    const elapsed = this.elapsedMs;
    if (this.#fnTime <= 0 || elapsed <= 0) return 0;
    return Math.max(0, (1 - this.#fnTime / elapsed) * 100);
  }

  /**
   * Starts the run (once); the first evaluation starts in a microtask. Returns the runner.
   * Throws when another run (`run`, `runSync`, another Runner) is using the learner.
   *
   * @example
   * const summary = await new Runner(learner, f, { npointsGoal: 100 }).start().done;
   */
  start(): this {
    if (this.#state !== IDLE) {
      throw new Error(
        `${this.#where}: start() called on a runner that already started or was cancelled`,
      );
    }
    const signal = this.#signal;
    if (signal?.aborted) {
      this.cancel(); // before the start: the learner is left untouched
      return this;
    }
    claimLearner(this.#where, this.learner); // throws when another run holds it
    this.#claimed = true;
    this.#state = RUNNING;
    this.#status = 'running';
    this.#startMs = this.#lastYield = this.#clock = performance.now();
    this.#controller = new AbortController();
    signal?.addEventListener('abort', this.#onAbort);
    this.#armDeadline();
    try {
      this.#seq?.attach(this.#wake);
    } catch (e) {
      this.#fail(e);
    }
    if (this.#onProgress !== undefined) {
      this.#progressTimer = setInterval(() => this.#progress(), this.#progressMs);
      unref(this.#progressTimer);
    }
    if (this.#checkpoint !== undefined) this.#openCheckpoint(this.#checkpoint);
    if (this.#live !== undefined) {
      this.#liveStarted = (this.#services as PlatformServices).startLive(this, this.#live);
    }
    try {
      if (!this.#hasError) this.#takeBacklog();
      if (!this.#hasError) this.#stopReason = metGoal(this.learner, this.#goals, this.#startMs);
    } catch (e) {
      this.#fail(e);
    }
    if (this.#stopReason !== undefined || this.#hasError) this.#finish();
    else queueMicrotask(this.#resume);
    return this;
  }

  /**
   * Stops the run; `done` resolves with `cancelled: true`. Before `start()`, the runner
   * becomes finished without touching the learner. No-op once the run ended.
   *
   * @example
   * runner.cancel();
   * (await runner.done).cancelled; // true
   */
  cancel(): void {
    if (this.#state === FINISHED) return;
    if (this.#state === IDLE) {
      this.#state = RUNNING;
      this.#startMs = this.#clock = performance.now();
    }
    if (this.#stopReason === undefined) this.#stopReason = 'cancelled';
    // Inside the loop (the function or a callback called cancel): the loop finishes.
    if (!this.#pumping) this.#finish();
  }

  /** Cancels the run and waits for it to end, for `await using`. Never rejects. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.cancel();
    try {
      await this.done;
    } catch {
      // The run's error is reported through `done`.
    }
  }

  /**
   * Resumes from the files when asked, writes the first snapshot, opens the journal (emptied:
   * the snapshot holds everything so far) and starts the periodic snapshots.
   */
  #openCheckpoint(c: CheckedCheckpoint): void {
    const learner = this.learner;
    // On a failure here the files are left as they are (no snapshot at the end either).
    if (c.resume) {
      try {
        (this.#services as PlatformServices).resume(
          learner as unknown as Learner<unknown, unknown>,
          c.journal === undefined ? { path: c.path } : { path: c.path, journal: c.journal },
        );
      } catch (e) {
        // The error names the file (and the journal's line) at fault.
        const what = `${this.#where}: resuming from the checkpoint failed`;
        this.#fail(new Error(`${what}: ${errorText(e)}`, { cause: e }));
        return;
      }
    }
    if (c.journal !== undefined) {
      try {
        this.#journal = (this.#services as PlatformServices).openJournal(c.journal, {
          fsync: c.fsync,
        });
      } catch (e) {
        const what = `${this.#where}: opening the journal ${c.journal} failed`;
        this.#fail(new Error(`${what}: ${errorText(e)}`, { cause: e }));
        return;
      }
    }
    this.#checkpointing = true;
    this.#writeCheckpoint();
    this.#checkpointTimer = setInterval(() => this.#writeCheckpoint(), c.everyMs);
    unref(this.#checkpointTimer);
  }

  /** Appends the arrived results not yet in the journal (write-ahead: before they are told). */
  #journalArrived(): void {
    const journal = this.#journal as PlatformJournal;
    const entries: LogEntry<unknown, unknown>[] = [];
    const mask = this.#rAttempts.length - 1;
    for (let i = this.#journaled; i < this.#rCount; i++) {
      const j = (this.#rHead + i) & mask;
      if ((this.#rAttempts[j] as number) > 0) {
        entries.push({ op: 'tell', point: this.#rPoints[j], value: this.#rValues[j] });
      }
    }
    journal.append(entries);
    this.#journaled = this.#rCount;
  }

  #fail(e: unknown): void {
    if (!this.#hasError) {
      this.#hasError = true;
      this.#error = e;
    }
  }

  /** Appends an arrived result to the ring buffer, growing it when full. */
  #push(point: P, value: unknown, attempts: number): void {
    let cap = this.#rAttempts.length;
    if (this.#rCount === cap) {
      const points = new Array<P>(cap * 2);
      const values = new Array<unknown>(cap * 2);
      const attemptsArr = new Int32Array(cap * 2);
      for (let i = 0; i < cap; i++) {
        const j = (this.#rHead + i) & (cap - 1);
        points[i] = this.#rPoints[j] as P;
        values[i] = this.#rValues[j];
        attemptsArr[i] = this.#rAttempts[j] as number;
      }
      this.#rPoints = points;
      this.#rValues = values;
      this.#rAttempts = attemptsArr;
      this.#rHead = 0;
      cap *= 2;
    }
    const at = (this.#rHead + this.#rCount) & (cap - 1);
    this.#rPoints[at] = point;
    this.#rValues[at] = value;
    this.#rAttempts[at] = attempts;
    this.#rCount++;
  }

  /** Starts one evaluation. A synchronous inline result goes straight to the ring buffer. */
  #submit(point: P, attempts: number): void {
    const inline = this.#inline;
    let t0 = this.#clock;
    if (inline !== undefined) {
      t0 = performance.now();
      let r: unknown;
      try {
        r = inline[kTryCall](point);
      } catch (e) {
        const t1 = performance.now();
        this.#fnTime += t1 - t0;
        this.#clock = t1;
        this.#push(point, e, -attempts);
        return;
      }
      if (r !== BUSY) {
        if (!isThenable(r)) {
          const t1 = performance.now();
          this.#fnTime += t1 - t0;
          this.#clock = t1;
          this.#push(point, r, attempts);
          return;
        }
        this.#track(point, r, attempts, t0);
        return;
      }
    } else {
      t0 = performance.now();
    }
    const fast = this.#fastSubmit;
    if (fast !== undefined) {
      // No promise per point: the master calls #arrive (through #sink) with the outcome.
      this.#inflight++;
      try {
        fast.call(
          this.#master,
          point,
          (this.#controller as AbortController).signal,
          this.#sink,
          attempts,
          t0,
        );
      } catch (e) {
        this.#inflight--;
        this.#push(point, e, -attempts);
      }
      return;
    }
    let r: unknown;
    try {
      r = this.#master.evaluate(point, (this.#controller as AbortController).signal);
    } catch (e) {
      this.#push(point, e, -attempts);
      return;
    }
    if (isThenable(r)) this.#track(point, r, attempts, t0);
    else this.#push(point, r, attempts);
  }

  /** Waits for an asynchronous evaluation. */
  #track(point: P, r: PromiseLike<unknown>, attempts: number, t0: number): void {
    this.#inflight++;
    r.then(
      (v) => this.#arrive(point, v, attempts, t0),
      (e) => this.#arrive(point, e, -attempts, t0),
    );
  }

  #arrive(point: P, value: unknown, attempts: number, t0: number): void {
    if (this.#state !== RUNNING) return; // the run ended: late results are ignored
    const t1 = performance.now();
    this.#clock = t1;
    this.#fnTime += (t1 - t0) / this.#slots;
    this.#inflight--;
    this.#push(point, value, attempts);
    // Pump in a later microtask, so results arriving in the same turn are handled as a batch
    // (an error then never hides a result that had already arrived).
    if (!this.#pumping && this.#immediate === undefined && !this.#pumpQueued) {
      this.#pumpQueued = true;
      queueMicrotask(this.#pumpTask);
    }
  }

  #pump(): void {
    if (this.#state !== RUNNING) return;
    this.#pumping = true;
    try {
      this.#loop();
    } catch (e) {
      this.#fail(e);
    }
    this.#pumping = false;
    if (this.#stopReason !== undefined || this.#hasError) this.#finish();
  }

  /**
   * Refills the free slots once every arrived result is told (or after TELL_BATCH_MS of
   * telling), tells one arrived result, checks the goals; repeats until
   * nothing has arrived, the run should stop, or the time slice is used up.
   */
  #loop(): void {
    const learner = this.learner;
    const log = this.#log;
    for (;;) {
      if (this.#stopReason !== undefined || this.#hasError) return;
      let free: number;
      const seq = this.#seq;
      if (seq !== undefined) {
        const n = seq.askSize();
        if (n === undefined) {
          this.#stopReason = 'replayEnded';
          return;
        }
        free = n;
      } else {
        if (this.#dynamic) this.#readSlots();
        free = this.#slots - this.#inflight - this.#rCount;
        // No more evaluations than the npoints goal needs: a tell adds at most one point.
        const goal = this.#goals.npointsGoal;
        if (goal !== undefined && free > 0) {
          const need = Math.ceil(goal) - learner.npoints - this.#inflight - this.#rCount;
          if (need < free) free = need;
        }
      }
      // A replay evaluates them at once: the recording's ask of 0 points listed them.
      if (this.#backlog !== undefined && (free > 0 || seq !== undefined)) {
        const sent = this.#submitBacklog(seq === undefined ? free : Number.POSITIVE_INFINITY);
        if (this.#stopReason !== undefined || this.#hasError) return;
        if (seq === undefined) free -= sent;
      }
      // Arrived results are told first (a replay follows its recording's order instead).
      if (
        free > 0 &&
        (seq !== undefined ||
          this.#rCount === 0 ||
          (this.#tellsFrom >= 0 && performance.now() - this.#tellsFrom > TELL_BATCH_MS))
      ) {
        this.#tellsFrom = -1;
        const points = learner.ask(free).points;
        if (log !== undefined) log.push({ op: 'ask', n: free, points });
        let parked = 0;
        for (let i = 0; i < points.length; i++) {
          const p = points[i] as P;
          // A given-up point asked again stays pending, unevaluated, so that a learner that
          // keeps proposing it cannot livelock the run (it leaves with removeUnfinished).
          if (this.#giveUps.has(p)) {
            parked++;
            continue;
          }
          this.#submit(p, 1);
          if (this.#stopReason !== undefined || this.#hasError) return;
        }
        // Parked points took free slots: ask again (each point is parked once, so this ends).
        // A replay asks again too: the recording may have asks in a row (its run waited
        // between them), and a result that arrived during a yield must wait for all of them.
        if (parked > 0 || seq?.askNext()) continue;
      }
      if (this.#rCount === 0) {
        if (this.#inflight === 0) {
          // Nothing in flight and no point to give: nothing can change any more.
          this.#stopReason = this.#goals.hasDone && learner.done?.() ? 'done' : 'exhausted';
        }
        return; // wait for an arrival
      }
      if (this.#journal !== undefined && this.#journaled === 0) this.#journalArrived();
      if (this.#tellsFrom < 0) this.#tellsFrom = performance.now();
      const head = this.#rHead;
      const point = this.#rPoints[head] as P;
      const value = this.#rValues[head];
      const attempts = this.#rAttempts[head] as number;
      this.#rPoints[head] = undefined as P;
      this.#rValues[head] = undefined;
      this.#rHead = (head + 1) & (this.#rAttempts.length - 1);
      this.#rCount--;
      if (this.#journaled > 0) this.#journaled--;
      if (attempts > 0) {
        learner.tell(point, value as V);
        this.#told++;
        if (log !== undefined) log.push({ op: 'tell', point, value: value as V });
        if (seq !== undefined) seq.told(point);
        this.#giveUps.told(point, value);
      } else if (-attempts <= this.#retries) {
        if (log !== undefined) {
          const error = errorText(value);
          log.push({ op: 'retry', point, error, attempts: -attempts, kind: failureKind(value) });
        }
        if (seq !== undefined) seq.retried(point);
        this.#submit(point, 1 - attempts);
      } else if (this.#raise) {
        const n = -attempts;
        this.#fail(
          new Error(
            `${this.#where}: evaluating point ${describe(point)} failed after ${n} attempt${n === 1 ? '' : 's'}: ${errorText(value)}`,
            { cause: value },
          ),
        );
        return;
      } else if (this.#giveUps.giveUp(point, value, -attempts)) {
        // Every point failing with nothing learnt: the run would ask new points for ever.
        if (this.#stopReason === undefined) this.#stopReason = 'consecutiveFailures';
        return;
      }
      const reason = metGoal(learner, this.#goals, this.#startMs);
      if (reason !== undefined) {
        if (this.#stopReason === undefined) this.#stopReason = reason;
        return;
      }
      // Now and then let timers and signals run. The loop resumes at the top, as it would go
      // on now, so a yield never changes the order of the calls to the learner (a replay
      // does not yield at the same moments as the recorded run).
      if (this.#clock - this.#lastYield > SLICE_MS) {
        this.#immediate = soon(this.#resume);
        return;
      }
    }
  }

  /** Notes the learner's pending points (a restored snapshot's) to evaluate them first. */
  #takeBacklog(): void {
    const pending = this.learner.pendingPoints;
    if (pending.length === 0) return;
    this.#backlog = pending.slice();
    // An ask of 0 points with points: those that were pending before the run.
    this.#log?.push({ op: 'ask', n: 0, points: pending.slice() });
  }

  /** Starts up to `limit` points of the backlog; returns how many. */
  #submitBacklog(limit: number): number {
    const b = this.#backlog as P[];
    let sent = 0;
    while (sent < limit && this.#backlogAt < b.length) {
      sent++;
      this.#submit(b[this.#backlogAt++] as P, 1);
      if (this.#stopReason !== undefined || this.#hasError) break;
    }
    if (this.#backlogAt >= b.length) this.#backlog = undefined;
    return sent;
  }

  /** Re-reads the master's concurrency (kept when it is not a positive integer). */
  #readSlots(): void {
    const c = this.#master.concurrency;
    if (c !== this.#slots && Number.isSafeInteger(c) && c >= 1) this.#slots = c;
  }

  /** Arms a timer for the earliest time goal, so the run stops even when nothing arrives. */
  #armDeadline(): void {
    const g = this.#goals;
    let delay = Number.POSITIVE_INFINITY;
    if (g.durationGoal !== undefined) {
      delay = this.#startMs + g.durationGoal - performance.now();
    }
    if (g.endTime !== undefined) delay = Math.min(delay, g.endTime - Date.now());
    if (delay === Number.POSITIVE_INFINITY) return;
    this.#deadlineTimer = setTimeout(
      () => this.#onDeadline(),
      Math.min(MAX_TIMEOUT, Math.max(1, Math.ceil(delay))),
    );
  }

  #onDeadline(): void {
    this.#deadlineTimer = undefined;
    if (this.#state !== RUNNING) return;
    try {
      const reason = metGoal(this.learner, this.#goals, this.#startMs);
      if (reason !== undefined && this.#stopReason === undefined) this.#stopReason = reason;
    } catch (e) {
      this.#fail(e);
    }
    if (this.#stopReason !== undefined || this.#hasError) this.#finish();
    else this.#armDeadline(); // fired early, or the delay was clamped
  }

  #info(final: boolean): ProgressInfo {
    const elapsedMs = this.elapsedMs;
    return {
      npoints: this.learner.npoints,
      pending: this.pending,
      loss: this.learner.loss(),
      elapsedMs,
      overhead: this.overhead(),
      failures: this.#giveUps.failures.length,
      rate: elapsedMs > 0 ? (this.#told * 1000) / elapsedMs : 0,
      final,
    };
  }

  #progress(): void {
    if (this.#state !== RUNNING || this.#onProgress === undefined) return;
    try {
      this.#onProgress(this.#info(false));
    } catch (e) {
      this.#fail(e);
      if (!this.#pumping) this.#finish();
    }
  }

  #writeCheckpoint(): void {
    const c = this.#checkpoint;
    if (c === undefined || !this.#checkpointing) return;
    try {
      (this.#services as PlatformServices).writeCheckpoint(
        this.learner as unknown as Learner<unknown, unknown>,
        c.path,
        {
          fsync: c.fsync,
        },
      );
      // The snapshot holds every told result: the journal starts over. (Results that arrived
      // and are not told yet stay in the ring buffer and are written again before their tell.)
      if (this.#journal !== undefined) {
        this.#journal.truncate();
        this.#journaled = 0;
      }
    } catch (e) {
      this.#fail(
        new Error(`${this.#where}: writing the checkpoint ${c.path} failed: ${errorText(e)}`, {
          cause: e,
        }),
      );
      if (this.#state === RUNNING && !this.#pumping) this.#finish();
    }
  }

  /** Ends the run: tells what arrived, drops pending points, aborts the rest, settles `done`. */
  #finish(): void {
    if (this.#state === FINISHED) return;
    // From here on late results, timers and re-entrant calls are ignored.
    this.#state = FINISHED;
    this.#endMs = this.#status === 'idle' ? this.#startMs : performance.now();
    const learner = this.learner;
    const log = this.#log;
    // Tell what already arrived: nothing evaluated is lost, whatever ended the run.
    if (this.#journal !== undefined && this.#rCount > this.#journaled) {
      try {
        this.#journalArrived();
      } catch (e) {
        this.#fail(e);
      }
    }
    while (this.#rCount > 0) {
      const head = this.#rHead;
      const attempts = this.#rAttempts[head] as number;
      const point = this.#rPoints[head] as P;
      const value = this.#rValues[head] as V;
      this.#rPoints[head] = undefined as P;
      this.#rValues[head] = undefined;
      this.#rHead = (head + 1) & (this.#rAttempts.length - 1);
      this.#rCount--;
      if (attempts <= 0) continue; // a failed attempt: abandoned like the evaluations in flight
      try {
        learner.tell(point, value);
        this.#told++;
        if (log !== undefined) log.push({ op: 'tell', point, value });
      } catch (e) {
        this.#fail(e);
      }
    }
    this.#journaled = 0;
    if (this.#status !== 'idle') {
      try {
        learner.removeUnfinished();
        if (log !== undefined) log.push({ op: 'removeUnfinished' });
      } catch (e) {
        this.#fail(e);
      }
    }
    if (this.#onProgress !== undefined && this.#status !== 'idle') {
      try {
        this.#onProgress(this.#info(true));
      } catch (e) {
        this.#fail(e);
      }
    }
    if (this.#checkpoint !== undefined && this.#status !== 'idle') this.#writeCheckpoint();
    this.#journal?.close();
    this.#journal = undefined;
    this.#controller?.abort(abortError(`${this.#where}: the run ended`));
    this.#signal?.removeEventListener('abort', this.#onAbort);
    if (this.#immediate !== undefined) cancelSoon(this.#immediate);
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    if (this.#progressTimer !== undefined) clearInterval(this.#progressTimer);
    if (this.#checkpointTimer !== undefined) clearInterval(this.#checkpointTimer);
    this.#immediate = this.#deadlineTimer = this.#progressTimer = this.#checkpointTimer = undefined;
    if (this.#claimed) {
      releaseLearner(learner);
      this.#claimed = false;
    }

    let summary: RunSummary<P, V> | undefined;
    if (!this.#hasError) {
      try {
        const reason = this.#stopReason ?? 'cancelled';
        summary = {
          npoints: learner.npoints,
          loss: learner.loss(),
          elapsedMs: this.#endMs - this.#startMs,
          failures: this.#giveUps.failures.slice(),
          cancelled: reason === 'cancelled',
          reason,
          evaluations: this.#told,
          overhead: this.overhead(),
        };
        if (log !== undefined) summary.log = log;
      } catch (e) {
        this.#fail(e);
      }
    }
    this.#status = this.#hasError ? 'failed' : summary?.cancelled ? 'cancelled' : 'finished';
    const live = this.#liveStarted;
    const settleNow = () => {
      if (this.#hasError) this.#reject(this.#error);
      else this.#resolve(summary as RunSummary<P, V>);
    };
    const settle = live === undefined ? settleNow : () => void live.then(settleNow);
    if (!this.#ownsMaster) {
      settle();
      return;
    }
    this.#master.close().then(settle, (e: unknown) => {
      this.#fail(e);
      settle();
    });
  }
}

/**
 * Runs `learner` on `evaluate` (a function run in this thread, a {@link Master}, or the
 * options of a {@link WorkerPoolMaster} that the run makes and closes) until a goal is met;
 * resolves with the summary. Options and behaviour as in {@link Runner}: goals `lossGoal`,
 * `npointsGoal`, `durationGoal` (ms), `endTimeGoal`, `goal` (any combination, the first met
 * stops), `concurrency`, `retries`, `raiseIfRetriesExceeded`, `maxConsecutiveFailures`,
 * `signal`, `onProgress`, `log`, `checkpoint` (with `journal` and `resume`). Aborting `signal`
 * resolves with `cancelled: true`.
 *
 * @example
 * const learner = new Learner1D({ bounds: [-1, 1] });
 * const s = await run(learner, (x: number) => x + 0.1 ** 2 / (0.1 ** 2 + x * x), { lossGoal: 0.01 });
 * s.reason; // 'lossGoal'
 * // on worker threads, a point may take at most a minute, a crash costs one point:
 * await run(learner, { module: new URL('./f.js', import.meta.url), timeoutMs: 60_000 }, {
 *   lossGoal: 0.001, retries: 1, raiseIfRetriesExceeded: false,
 *   checkpoint: { path: 'f.json', journal: 'f.ndjson', resume: true },
 *   onProgress: progressRenderer(process.stderr),
 * });
 */
export function run<P, V, L extends Learner<P, V> = Learner<P, V>>(
  learner: L & Learner<P, V>,
  evaluate: Evaluator<P, V>,
  options: RunOptions<L> = {},
): Promise<RunSummary<P, V>> {
  return runWith(Runner, learner, evaluate, options);
}

/** {@link run} with a given Runner class (the Node runner passes its own). @internal */
export function runWith<P, V, L extends Learner<P, V>>(
  RunnerClass: typeof Runner,
  learner: L & Learner<P, V>,
  evaluate: Evaluator<P, V>,
  options: RunOptions<L>,
): Promise<RunSummary<P, V>> {
  let runner: Runner<P, V, L>;
  callerName = 'run';
  try {
    runner = new RunnerClass<P, V, L>(learner, evaluate, options);
  } catch (e) {
    return Promise.reject(e);
  } finally {
    callerName = 'Runner';
  }
  try {
    runner.start();
  } catch (e) {
    return Promise.reject(e);
  }
  return runner.done;
}
