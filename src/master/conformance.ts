/**
 * The master conformance suite: what every {@link Master} must do, as runner-independent
 * async checks that throw a {@link MasterConformanceError} on a violation. InlineMaster,
 * WorkerPoolMaster and ReplayMaster pass it; a new master (a job queue, a cluster) should
 * too. Wrap the checks in any test runner:
 *
 * ```ts
 * for (const c of MASTER_CHECKS) it(`${c.name}: ${c.description}`, () => c.check(make));
 * ```
 *
 * The master under test evaluates {@link conformanceFunction} (or, for a replaying master,
 * answers from {@link conformanceRecording}). Timing never decides a check: a time limit
 * only turns a hang into a failure.
 */

import { Learner1D } from '../learners/learner1d.js';
import { run } from '../runner/runner.js';
import type { LogEntry } from '../runner/types.js';
import {
  CONFORMANCE_DELAY,
  CONFORMANCE_ERROR,
  CONFORMANCE_HANG,
  conformanceFunction,
  conformancePeak,
} from './conformance-function.js';
import { InlineMaster } from './inline.js';
import { describe } from './options.js';
import type { Master } from './types.js';

/**
 * What a check will do with the master it asks for: the points it will evaluate, in the
 * order a recording should answer them, or the Learner1D run it will make. Masters that
 * evaluate {@link conformanceFunction} ignore it; a replaying master builds its recording
 * from it ({@link conformanceRecording}).
 *
 * @example
 * { points: [0.1, 0.2] }
 * { points: [], run: { bounds: [-1, 1], npointsGoal: 60 } }
 */
export interface ConformanceScenario {
  points: readonly number[];
  run?: { bounds: [number, number]; npointsGoal: number } | undefined;
}

/**
 * Makes a fresh master for one check.
 * @example
 * const make: MasterFactory = () => new InlineMaster(conformanceFunction, { concurrency: 4 });
 */
export type MasterFactory = (
  scenario: ConformanceScenario,
) => Master<number, number> | Promise<Master<number, number>>;

/**
 * One conformance check.
 * @example
 * await MASTER_CHECKS[0].check(make);
 */
export interface MasterCheck {
  /** A short identifier, e.g. `'errors'`. */
  name: string;
  /** What the check states. */
  description: string;
  /** Runs the check on a master from `make` (closed at the end); throws on a violation. */
  check(make: MasterFactory): Promise<void>;
}

/**
 * A violated conformance check: the check's name and what went wrong.
 * @example
 * new MasterConformanceError('errors', 'evaluate(1000001) resolved with 3').message;
 * // "master conformance 'errors': evaluate(1000001) resolved with 3"
 */
export class MasterConformanceError extends Error {
  /** The check that failed. */
  readonly check: string;
  constructor(check: string, message: string, options?: ErrorOptions) {
    super(`master conformance '${check}': ${message}`, options);
    this.name = 'MasterConformanceError';
    this.check = check;
  }
}

/** Limit that turns a hang into a failure (not a speed requirement). */
const HANG_MS = 20_000;

function within<T>(p: Promise<T>, check: string, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new MasterConformanceError(check, `${what} did not settle within ${HANG_MS} ms`)),
      HANG_MS,
    );
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

async function settle<T>(
  p: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

function fail(check: string, message: string, cause?: unknown): never {
  throw new MasterConformanceError(check, message, cause === undefined ? undefined : { cause });
}

async function withMaster(
  make: MasterFactory,
  scenario: ConformanceScenario,
  check: string,
  body: (m: Master<number, number>) => Promise<void>,
): Promise<void> {
  const m = await make(scenario);
  try {
    await body(m);
  } finally {
    await within(m.close(), check, 'close()');
  }
}

async function expectValue(
  check: string,
  m: Master<number, number>,
  x: number,
  signal?: AbortSignal,
): Promise<void> {
  const r = await within(settle(m.evaluate(x, signal)), check, `evaluate(${x})`);
  if (!r.ok)
    fail(
      check,
      `evaluate(${x}) rejected: ${String((r.error as Error)?.message ?? r.error)}`,
      r.error,
    );
  if (!Object.is(r.value, conformancePeak(x))) {
    fail(
      check,
      `evaluate(${x}) resolved with ${describe(r.value)}, expected ${conformancePeak(x)}`,
    );
  }
}

function isAbortError(e: unknown): boolean {
  return e !== null && typeof e === 'object' && (e as { name?: unknown }).name === 'AbortError';
}

const delayed = (ms: number) => CONFORMANCE_DELAY + ms;
const BURST = Array.from({ length: 24 }, (_, i) =>
  i % 3 === 0 ? delayed((i * 7) % 10) : (i - 12) / 13,
);
const SHUFFLED = [0.1, -0.5, delayed(6), 0.3, 0.7, delayed(0), -0.9, 0, delayed(3), 0.45];
const ERRORS = [0.2, CONFORMANCE_ERROR + 1, 0.4, CONFORMANCE_ERROR + 2, 0.6];
const ABORT = [0.25, CONFORMANCE_HANG];
const CLOSE = [0.5, CONFORMANCE_HANG];

/** A fixed permutation (no randomness in the checks). */
function permute<T>(xs: readonly T[]): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7 + 3) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The checks, in order. O(1) each apart from the Learner1D run (60 points).
 *
 * @example
 * MASTER_CHECKS.map((c) => c.name); // ['concurrency', 'anyOrder', 'errors', 'abort', 'close', 'learner1d']
 */
export const MASTER_CHECKS: readonly MasterCheck[] = [
  {
    name: 'concurrency',
    description:
      'concurrency is a positive integer; a burst of more calls than that all complete, each with its own value',
    async check(make) {
      const c = 'concurrency';
      await withMaster(make, { points: BURST }, c, async (m) => {
        const k = m.concurrency;
        if (!Number.isSafeInteger(k) || k < 1) fail(c, `concurrency is ${describe(k)}`);
        await Promise.all(BURST.map((x) => expectValue(c, m, x)));
      });
    },
  },
  {
    name: 'anyOrder',
    description:
      'calls in any order, fast and slow mixed, each resolve with the value of their own point',
    async check(make) {
      const c = 'anyOrder';
      await withMaster(make, { points: SHUFFLED }, c, async (m) => {
        await Promise.all(permute(SHUFFLED).map((x) => expectValue(c, m, x)));
      });
    },
  },
  {
    name: 'errors',
    description:
      'an evaluation that throws rejects with an Error carrying its message; the others still resolve',
    async check(make) {
      const c = 'errors';
      await withMaster(make, { points: ERRORS }, c, async (m) => {
        const results = await within(
          Promise.all(ERRORS.map((x) => settle(m.evaluate(x)))),
          c,
          'the calls',
        );
        for (let i = 0; i < ERRORS.length; i++) {
          const x = ERRORS[i] as number;
          const r = results[i] as Awaited<ReturnType<typeof settle<number>>>;
          if (x >= CONFORMANCE_ERROR) {
            if (r.ok) fail(c, `evaluate(${x}) resolved with ${describe(r.value)}; it throws`);
            if (!(r.error instanceof Error))
              fail(c, `evaluate(${x}) rejected with a non-Error ${describe(r.error)}`);
            if (!r.error.message.includes(`conformance error at ${x}`)) {
              fail(
                c,
                `evaluate(${x}) rejected with '${r.error.message}', which lacks the function's message`,
              );
            }
          } else if (!r.ok) {
            fail(
              c,
              `evaluate(${x}) rejected (${String((r.error as Error)?.message)}) next to a failing point`,
            );
          } else if (!Object.is(r.value, conformancePeak(x))) {
            fail(c, `evaluate(${x}) resolved with ${r.value}, expected ${conformancePeak(x)}`);
          }
        }
      });
    },
  },
  // Before abort and close: their never-ending points may keep workers busy for good (a
  // master whose workers outlive it, as a queue's do), and a run needs every point it asks.
  {
    name: 'learner1d',
    description:
      'a run of Learner1D through it reaches its goal, with the right values and no pending point left',
    async check(make) {
      const c = 'learner1d';
      const scenario: ConformanceScenario = {
        points: [],
        run: { bounds: [-1, 1], npointsGoal: 60 },
      };
      await withMaster(make, scenario, c, async (m) => {
        const learner = new Learner1D({ bounds: [-1, 1] });
        const s = await within(run(learner, m, { npointsGoal: 60 }), c, 'the run');
        if (s.npoints < 60) fail(c, `the run stopped at ${s.npoints} points (reason ${s.reason})`);
        if (learner.pendingPoints.length > 0) {
          fail(c, `${learner.pendingPoints.length} points are still pending after the run`);
        }
        for (const { x, y } of learner.toRecords()) {
          if (!Object.is(y, conformancePeak(x)))
            fail(c, `the learner holds f(${x}) = ${describe(y)}, expected ${conformancePeak(x)}`);
        }
      });
    },
  },
  {
    name: 'abort',
    description:
      'an aborted signal rejects with an AbortError, at once for a running evaluation that never ends; the master keeps working',
    async check(make) {
      const c = 'abort';
      await withMaster(make, { points: ABORT }, c, async (m) => {
        const pre = await within(
          settle(m.evaluate(0.25, AbortSignal.abort())),
          c,
          'evaluate with an aborted signal',
        );
        if (pre.ok || !isAbortError(pre.error)) {
          fail(
            c,
            `evaluate with an already aborted signal gave ${pre.ok ? `the value ${pre.value}` : describe(String(pre.error))}, expected an AbortError`,
          );
        }
        const ac = new AbortController();
        const hang = settle(m.evaluate(CONFORMANCE_HANG, ac.signal));
        await new Promise<void>((r) => setTimeout(r, 20));
        ac.abort(new Error('stop'));
        const r = await within(hang, c, 'an aborted evaluation that never ends');
        if (r.ok || !isAbortError(r.error)) {
          fail(
            c,
            `an aborted evaluation gave ${r.ok ? `the value ${r.value}` : describe(String(r.error))}, expected an AbortError`,
          );
        }
        await expectValue(c, m, 0.25);
      });
    },
  },
  {
    name: 'close',
    description:
      'close() resolves even with an evaluation that never ends, is idempotent, and later calls reject',
    async check(make) {
      const c = 'close';
      const m = await make({ points: CLOSE });
      await expectValue(c, m, 0.5);
      const hang = m.evaluate(CONFORMANCE_HANG);
      hang.catch(() => undefined);
      await within(m.close(), c, 'close()');
      await within(m.close(), c, 'a second close()');
      const after = await within(settle(m.evaluate(0.5)), c, 'evaluate after close()');
      if (after.ok) fail(c, `evaluate after close() resolved with ${after.value}`);
      if (!(after.error instanceof Error))
        fail(c, 'evaluate after close() rejected with a non-Error');
    },
  },
];

/**
 * Runs every check (or those named) in order; throws the first {@link MasterConformanceError}.
 *
 * @example
 * await checkMaster(() => new InlineMaster(conformanceFunction, { concurrency: 4 }));
 */
export async function checkMaster(
  make: MasterFactory,
  options: { checks?: readonly string[] | undefined } = {},
): Promise<void> {
  const names = options.checks;
  for (const c of MASTER_CHECKS) {
    if (names === undefined || names.includes(c.name)) await c.check(make);
  }
}

/**
 * The recording a replaying master needs for a scenario: for `points`, a tell (or, for the
 * points that throw, a fail) per point in order, where the never-ending points come after a
 * point nobody asks for, so they are never answered; for `run`, the log of that run made
 * with an {@link InlineMaster}. O(points) or one run.
 *
 * @example
 * new ReplayMaster(await conformanceRecording({ points: [0.1, 0.2] }));
 */
export async function conformanceRecording(
  scenario: ConformanceScenario,
): Promise<LogEntry<number, number>[]> {
  if (scenario.run !== undefined) {
    const learner = new Learner1D({ bounds: scenario.run.bounds });
    const s = await run(learner, new InlineMaster(conformanceFunction, { concurrency: 4 }), {
      npointsGoal: scenario.run.npointsGoal,
      log: true,
    });
    return s.log as LogEntry<number, number>[];
  }
  const log: LogEntry<number, number>[] = [];
  const late: number[] = [];
  for (const x of scenario.points) {
    if (x === CONFORMANCE_HANG) late.push(x);
    else if (x >= CONFORMANCE_ERROR && x < CONFORMANCE_DELAY) {
      log.push({ op: 'fail', point: x, error: `conformance error at ${x}`, attempts: 1 });
    } else log.push({ op: 'tell', point: x, value: conformancePeak(x) });
  }
  if (late.length > 0) {
    log.push({ op: 'tell', point: Number.NaN, value: Number.NaN }); // never asked: blocks the rest
    for (const x of late) log.push({ op: 'tell', point: x, value: conformancePeak(x) });
  }
  return log;
}
