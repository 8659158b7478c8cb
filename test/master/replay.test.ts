import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { replay, serializeLog } from '../../src/io/log.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import type { AskOptions } from '../../src/learners/types.js';
import { ReplayMaster } from '../../src/master/replay.js';
import type { Master } from '../../src/master/types.js';
import { run } from '../../src/runner/runner.js';
import type { LogEntry } from '../../src/runner/types.js';
import { conformanceRecording } from '../../src/testing/master-conformance.js';
import { flush, IntegerLearner } from '../runner/fake-learner.js';
import { masterConformance } from './conformance.js';

masterConformance(
  'ReplayMaster',
  async (scenario) => new ReplayMaster(await conformanceRecording(scenario)),
);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('ReplayMaster used directly', () => {
  const log: LogEntry<number, number>[] = [
    { op: 'ask', n: 3, points: [1, 2, 3] },
    { op: 'tell', point: 2, value: 20 },
    { op: 'fail', point: 3, error: 'too slow', attempts: 1, kind: 'timeout' },
    { op: 'tell', point: 1, value: 10 },
    { op: 'removeUnfinished' },
  ];

  it('answers in the recorded order, whatever the order of the calls', async () => {
    const m = new ReplayMaster(log);
    expect(m.concurrency).toBe(3);
    const order: string[] = [];
    const one = m.evaluate(1).then((v) => order.push(`1=${v}`));
    const three = m.evaluate(3).catch((e: Error) => order.push(`3:${e.name}:${e.message}`));
    await flush();
    expect(order).toEqual([]); // 2 comes first in the recording and was not asked yet
    expect(m.remaining).toBe(3);
    await expect(m.evaluate(2)).resolves.toBe(20);
    await Promise.all([one, three]);
    expect(order).toEqual(['3:TimeoutError:too slow', '1=10']);
    expect(m.remaining).toBe(0);
  });

  it('rejects at once a point that is not in the recording, or asked more often than recorded', async () => {
    const m = new ReplayMaster(log);
    await expect(m.evaluate(9)).rejects.toThrow(
      'ReplayMaster: point 9 is not in the recording (or each of its recorded results was already used)',
    );
    const a = m.evaluate(2);
    await expect(m.evaluate(2)).rejects.toThrow(/point 2 is not in the recording/);
    await expect(a).resolves.toBe(20);
  });

  it('accepts NDJSON text and checks its input', () => {
    expect(new ReplayMaster(serializeLog(log)).concurrency).toBe(3);
    expect(() => new ReplayMaster(42 as never)).toThrow(
      /ReplayMaster: log must be a run log \(an array of entries\) or its NDJSON text, got 42/,
    );
    expect(() => new ReplayMaster([{ op: 'jump' }] as never)).toThrow(
      /log entry 0 has unknown op "jump"/,
    );
  });

  it('cannot drive a run after direct use', async () => {
    const m = new ReplayMaster(log);
    await m.evaluate(9).catch(() => undefined);
    void m.evaluate(1).catch(() => undefined);
    await expect(run(new IntegerLearner(5), m)).rejects.toThrow(
      /evaluate\(\) was called directly before this run; use a new ReplayMaster for a run/,
    );
  });
});

describe('ReplayMaster through the runner', () => {
  /**
   * A run with random delays, retries and given-up points, recorded. With `varying`, the
   * master's concurrency changes at random between asks (as a WorkerPoolMaster's does), so
   * the log has asks of many sizes, some in a row without a tell between them.
   */
  async function recorded(seed: number, k: number, varying: boolean) {
    let s = seed;
    const rand = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const attempts = new Map<number, number>();
    const f = async (x: number) => {
      await sleep(rand() * 3);
      const a = (attempts.get(x) ?? 0) + 1;
      attempts.set(x, a);
      if (x % 11 === 4) throw new Error(`bad ${x}`); // always fails
      if (x % 7 === 3 && a === 1) throw new Error(`flaky ${x}`); // fails once
      return x * x;
    };
    const master: Master<number, number> = {
      get concurrency() {
        return 1 + Math.floor(rand() * k);
      },
      evaluate: f,
      close: () => Promise.resolve(),
    };
    const learner = new IntegerLearner(60, { noReask: true });
    const summary = await run(learner, varying ? master : f, {
      npointsGoal: 40,
      concurrency: varying ? undefined : k,
      retries: 1,
      raiseIfRetriesExceeded: false,
      log: true,
    });
    return { learner, summary, log: summary.log as LogEntry<number, number>[] };
  }

  /** An IntegerLearner whose asks take 6 ms now and then: the replaying runner yields its 5 ms slice at other moments than the recorded run. */
  class SlowAsks extends IntegerLearner {
    #calls = 0;
    constructor(readonly every: number) {
      super(60, { noReask: true });
    }
    override ask(k: number, options?: AskOptions) {
      if (this.every > 0 && ++this.#calls % this.every === 0) {
        const until = performance.now() + 6;
        while (performance.now() < until) {}
      }
      return super.ask(k, options);
    }
  }

  test.prop(
    [
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean(),
      fc.constantFrom(0, 3, 7),
    ],
    { numRuns: 16 },
  )(
    'rebuilds the exact state and the exact log of a run with delays, retries and failures',
    async (seed, k, varying, slowEvery) => {
      const { learner, summary, log } = await recorded(seed, k, varying);
      const copy = new SlowAsks(slowEvery);
      const r = await run(copy, new ReplayMaster(log), {
        retries: 1,
        raiseIfRetriesExceeded: false,
        log: true,
      });
      expect(copy.snapshot()).toEqual(learner.snapshot());
      expect(copy.askCalls).toEqual(learner.askCalls);
      expect(r.log).toEqual(log);
      expect(r.failures).toEqual(summary.failures);
      expect(r.reason).toBe('replayEnded');
    },
  );

  it('fails the run, naming the entry, when the run tells something else than the recording', async () => {
    const log: LogEntry<number, number>[] = [
      { op: 'ask', n: 1, points: [0] },
      { op: 'tell', point: 1, value: 1 },
    ];
    await expect(run(new IntegerLearner(5), new ReplayMaster(log))).rejects.toThrow(
      'ReplayMaster: the recording has entry 1: tell 1, but the run is not evaluating that point; the learner asked other points than in the recorded run',
    );
  });

  it('asks the recorded asks in a row before a tell that arrived while the runner yielded', async () => {
    // The recorded run asked twice in a row (its concurrency grew while it waited). In the
    // replay, the first ask is slow, so the runner yields its time slice after the next tell;
    // the result released then arrives during the yield, and must still wait for both asks.
    const steps = new Learner1D({ bounds: [-1, 1] });
    const log: LogEntry<number, number>[] = [];
    const ask = (n: number) => {
      const points = steps.ask(n).points;
      log.push({ op: 'ask', n, points });
      return points;
    };
    const tell = (x: number) => {
      steps.tell(x, x * x);
      log.push({ op: 'tell', point: x, value: x * x });
    };
    const [a, b] = ask(2) as [number, number];
    tell(a);
    const [c] = ask(1) as [number];
    const [d] = ask(1) as [number];
    for (const x of [b, c, d]) tell(x);
    log.push({ op: 'removeUnfinished' }); // as a run's log ends

    class SlowFirstAsk extends Learner1D {
      #calls = 0;
      override ask(n: number, options?: AskOptions) {
        if (this.#calls++ === 0) {
          const until = performance.now() + 20; // longer than the runner's 5 ms slice
          while (performance.now() < until) {}
        }
        return super.ask(n, options);
      }
    }
    const copy = new SlowFirstAsk({ bounds: [-1, 1] });
    const r = await run(copy, new ReplayMaster(log), { log: true });
    expect(r.reason).toBe('replayEnded');
    expect(r.log).toEqual(log);
    expect(copy.snapshot()).toEqual(steps.snapshot());
  });

  it('a ReplayMaster replays one run', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    const { log } = await run(learner, (x: number) => x ** 3, { npointsGoal: 30, log: true });
    const m = new ReplayMaster(log as LogEntry<number, number>[]);
    const a = new Learner1D({ bounds: [0, 1] });
    await run(a, m);
    expect(a.snapshot()).toEqual(learner.snapshot());
    expect(
      replay(new Learner1D({ bounds: [0, 1] }), log as LogEntry<number, number>[]).snapshot(),
    ).toEqual(learner.snapshot());
    // The recording is used up: a second run ends at once.
    const b = new Learner1D({ bounds: [0, 1] });
    expect((await run(b, m)).reason).toBe('replayEnded');
    expect(b.npoints).toBe(0);
  });
});
