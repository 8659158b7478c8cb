import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { dropPending, parseLog, replay, samePoint, serializeLog } from '../../src/io/log.js';
import type { LearnerSnapshot } from '../../src/learners/types.js';
import { Runner, run } from '../../src/runner/runner.js';
import type { LogEntry } from '../../src/runner/types.js';
import { IntegerLearner } from '../runner/fake-learner.js';

/** Records its snapshot after every tell, with the log length that tell corresponds to. */
class RecordingLearner extends IntegerLearner {
  runner: Runner<number, number> | undefined;
  readonly states: { logLength: number; snapshot: LearnerSnapshot }[] = [];
  override tell(point: number, value: number): void {
    super.tell(point, value);
    // The runner appends the tell entry right after this call.
    const logLength = (this.runner?.log?.length ?? 0) + 1;
    this.states.push({ logLength, snapshot: this.snapshot() });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('run logs', () => {
  it('records asks with their points and tells in arrival order', async () => {
    const s = await run(new IntegerLearner(10), (x: number) => x / 2, {
      npointsGoal: 2,
      log: true,
    });
    expect(s.log).toEqual([
      { op: 'ask', n: 1, points: [0] },
      { op: 'tell', point: 0, value: 0 },
      { op: 'ask', n: 1, points: [1] },
      { op: 'tell', point: 1, value: 0.5 },
      { op: 'removeUnfinished' },
    ]);
    const none = await run(new IntegerLearner(10), (x: number) => x, { npointsGoal: 2 });
    expect(none.log).toBeUndefined();
  });

  it('serializeLog/parseLog keep NaN, ±Infinity and vectors', () => {
    const log: LogEntry<unknown, unknown>[] = [
      { op: 'ask', n: 2, points: [0.5, [1, Number.NaN]] },
      { op: 'tell', point: 0.5, value: Number.NaN },
      { op: 'tell', point: [1, Number.NaN], value: [Number.POSITIVE_INFINITY, -1, 0] },
      { op: 'tell', point: 3, value: { y: Number.NEGATIVE_INFINITY, label: 'a' } },
      { op: 'retry', point: 4, error: 'boom', attempts: 1, kind: 'crash' },
      { op: 'fail', point: 4, error: 'boom', attempts: 2 },
      { op: 'fail', point: 5, error: 'slow', attempts: 1, kind: 'timeout' },
      { op: 'removeUnfinished' },
    ];
    const text = serializeLog(log);
    expect(text.split('\n')).toHaveLength(log.length + 1);
    expect(text).toContain('"value":"NaN"');
    expect(parseLog(text)).toEqual(log);
    expect(parseLog(`${text}\n\n`)).toEqual(log);
  });

  // JSON has no -0 (it comes back as 0, which learners treat alike): leave it out here.
  const num = fc.double().filter((x) => !Object.is(x, -0));
  test.prop([
    fc.array(
      fc.oneof(
        fc.record({
          op: fc.constant('tell' as const),
          point: fc.oneof(num, fc.array(num, { maxLength: 3 })),
          value: fc.oneof(num, fc.array(num, { maxLength: 4 })),
        }),
        fc.record({
          op: fc.constant('ask' as const),
          n: fc.nat(10),
          points: fc.array(num, { maxLength: 3 }),
        }),
      ),
      { maxLength: 20 },
    ),
  ])('parseLog(serializeLog(log)) equals log', (log) => {
    expect(parseLog(serializeLog(log))).toEqual(log);
  });

  it('parseLog names the bad line', () => {
    expect(() => parseLog('{"op":"removeUnfinished"}\n{oops')).toThrow(/line 2: not JSON/);
    expect(() => parseLog('{"op":"jump"}')).toThrow(/line 1: unknown op "jump"/);
    expect(() => parseLog('{"op":"ask","n":-1,"points":[]}')).toThrow(/line 1: an ask needs/);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 0, max: 29 }),
    ],
    { numRuns: 25 },
  )(
    'replay rebuilds the exact state, at every tell, of a run with random delays and failures',
    async (k, delays, failAt) => {
      const learner = new RecordingLearner(40);
      let call = 0;
      const f = async (x: number) => {
        await sleep(delays[call++ % delays.length] as number);
        if (x % 7 === failAt % 7) throw new Error(`bad ${x}`);
        return x * x;
      };
      const runner = new Runner(learner, f, {
        npointsGoal: 20,
        concurrency: k,
        raiseIfRetriesExceeded: false,
        log: true,
      });
      learner.runner = runner;
      const s = await runner.start().done;
      const log = s.log as LogEntry<number, number>[];
      expect(log.at(-1)).toEqual({ op: 'removeUnfinished' });

      // The final state, also through NDJSON.
      expect(replay(new IntegerLearner(40), log).snapshot()).toEqual(learner.snapshot());
      const parsed = parseLog<number, number>(serializeLog(log));
      expect(replay(new IntegerLearner(40), parsed).snapshot()).toEqual(learner.snapshot());

      // Every intermediate state, pending points included.
      for (const { logLength, snapshot } of learner.states) {
        expect(replay(new IntegerLearner(40), log.slice(0, logLength)).snapshot()).toEqual(
          snapshot,
        );
      }
    },
  );

  it("mode 'ask' replays through learner.ask and detects a learner that asks otherwise", async () => {
    const s = await run(new IntegerLearner(30), async (x: number) => -x, {
      npointsGoal: 10,
      concurrency: 3,
      log: true,
    });
    const log = s.log as LogEntry<number, number>[];
    const a = replay(new IntegerLearner(30), log, { mode: 'ask' });
    expect(a.snapshot()).toEqual(replay(new IntegerLearner(30), log).snapshot());
    expect(() => replay(new IntegerLearner(30, { maxPerAsk: 1 }), log, { mode: 'ask' })).toThrow(
      /replay: entry 0: learner.ask\(3\) gave \[0\] where the log has \[0, 1, 2\]/,
    );
    expect(() => replay(new IntegerLearner(30), log, { mode: 'fast' as never })).toThrow(
      RangeError,
    );
  });

  it('dropPending removes one point and keeps the others pending', () => {
    const learner = new IntegerLearner(10);
    learner.ask(4);
    dropPending(learner, 2);
    expect(learner.pendingPoints.toSorted()).toEqual([0, 1, 3]);
    dropPending(learner, 9); // not pending: nothing happens
    expect(learner.pendingPoints.toSorted()).toEqual([0, 1, 3]);
  });

  it('samePoint compares numbers (NaN too), vectors and plain objects by value', () => {
    expect(samePoint(Number.NaN, Number.NaN)).toBe(true);
    expect(samePoint([1, [2, Number.NaN]], [1, [2, Number.NaN]])).toBe(true);
    expect(samePoint([1, 2], [1, 2, 3])).toBe(false);
    expect(samePoint({ a: 1 }, { a: 1 })).toBe(true);
    expect(samePoint({ a: 1 }, { b: 1 })).toBe(false);
    expect(samePoint(1, '1')).toBe(false);
    expect(samePoint(new Float64Array([1, 2]), [1, 2])).toBe(true);
  });
});
