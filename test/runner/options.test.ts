import { describe, expect, it } from 'vitest';
import { Runner, run } from '../../src/runner/node.js';
import { runSync } from '../../src/runner/sync.js';
import type { RunOptions } from '../../src/runner/types.js';
import { IntegerLearner } from './fake-learner.js';

const f = (x: number) => x;

describe('run: option validation', () => {
  const cases: [string, Record<string, unknown>, ErrorConstructor, RegExp][] = [
    [
      'negative npointsGoal',
      { npointsGoal: -3 },
      RangeError,
      /^run: npointsGoal must be a non-negative number, got -3$/,
    ],
    [
      'NaN lossGoal',
      { lossGoal: Number.NaN },
      RangeError,
      /^run: lossGoal must be a non-negative number, got NaN$/,
    ],
    [
      'string durationGoal',
      { durationGoal: '5' },
      TypeError,
      /^run: durationGoal must be a non-negative number, got "5"$/,
    ],
    [
      'endTimeGoal not a Date',
      { endTimeGoal: 5 },
      TypeError,
      /^run: endTimeGoal must be a Date, got 5$/,
    ],
    [
      'invalid Date',
      { endTimeGoal: new Date('nope') },
      RangeError,
      /^run: endTimeGoal is an invalid Date$/,
    ],
    ['goal not a function', { goal: true }, TypeError, /^run: goal must be a function, got true$/],
    [
      'concurrency 0',
      { npointsGoal: 1, concurrency: 0 },
      RangeError,
      /^run: concurrency must be a positive integer, got 0$/,
    ],
    [
      'concurrency 2.5',
      { npointsGoal: 1, concurrency: 2.5 },
      RangeError,
      /concurrency must be a positive integer, got 2.5/,
    ],
    [
      'retries -1',
      { npointsGoal: 1, retries: -1 },
      RangeError,
      /^run: retries must be a non-negative integer, got -1$/,
    ],
    [
      'retries 1.5',
      { npointsGoal: 1, retries: 1.5 },
      RangeError,
      /retries must be a non-negative integer/,
    ],
    [
      'retries Infinity',
      { npointsGoal: 1, retries: Number.POSITIVE_INFINITY },
      RangeError,
      /retries/,
    ],
    [
      'raiseIfRetriesExceeded string',
      { npointsGoal: 1, raiseIfRetriesExceeded: 'no' },
      TypeError,
      /raiseIfRetriesExceeded must be true or false/,
    ],
    [
      'signal not a signal',
      { npointsGoal: 1, signal: {} },
      TypeError,
      /signal must be an AbortSignal/,
    ],
    [
      'onProgress not a function',
      { npointsGoal: 1, onProgress: 1 },
      TypeError,
      /onProgress must be a function/,
    ],
    [
      'progressIntervalMs 0',
      { npointsGoal: 1, progressIntervalMs: 0 },
      RangeError,
      /progressIntervalMs must be a positive number of ms, got 0/,
    ],
    ['log not boolean', { npointsGoal: 1, log: 1 }, TypeError, /log must be true or false/],
    [
      'checkpoint without path',
      { npointsGoal: 1, checkpoint: {} },
      TypeError,
      /checkpoint.path must be a non-empty string/,
    ],
    [
      'checkpoint unknown key',
      { npointsGoal: 1, checkpoint: { path: 'a', every: 5 } },
      TypeError,
      /run: checkpoint: unknown option 'every'/,
    ],
    [
      'unknown option with a hint',
      { npointGoal: 5 },
      TypeError,
      /^run: unknown option 'npointGoal' \(did you mean 'npointsGoal'\?\)/,
    ],
    [
      'unknown option',
      { npointsGoal: 5, fooBarBaz: 1 },
      TypeError,
      /^run: unknown option 'fooBarBaz'; known options: /,
    ],
    [
      'no goal',
      {},
      RangeError,
      /^run: no goal given; pass lossGoal, npointsGoal, durationGoal, endTimeGoal or goal/,
    ],
  ];
  for (const [name, options, type, message] of cases) {
    it(`rejects ${name}`, async () => {
      const err = await run(new IntegerLearner(5), f, options as RunOptions<IntegerLearner>).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(message);
    });
  }

  it('new Runner throws synchronously, naming Runner', () => {
    expect(() => new Runner(new IntegerLearner(5), f, { npointsGoal: -1 })).toThrow(
      /^Runner: npointsGoal must be a non-negative number, got -1$/,
    );
  });

  it('rejects a non-learner, a bad evaluate and a master without concurrency', async () => {
    await expect(run({} as never, f, { npointsGoal: 1 })).rejects.toThrow(
      /run: learner has no ask\(\) method/,
    );
    await expect(run(new IntegerLearner(5), 'f' as never, { npointsGoal: 1 })).rejects.toThrow(
      TypeError,
    );
    const master = { concurrency: 0, evaluate: async () => 1, close: async () => {} };
    await expect(run(new IntegerLearner(5), master, { npointsGoal: 1 })).rejects.toThrow(
      /run: the master's concurrency must be a positive integer, got 0; pass options.concurrency/,
    );
    await expect(
      run(new IntegerLearner(5), master, { npointsGoal: 1, concurrency: 2 }),
    ).resolves.toMatchObject({ reason: 'npointsGoal' });
    await expect(run(new IntegerLearner(5), f, null as never)).rejects.toThrow(
      /run: options must be an object, got null/,
    );
  });

  it('undefined options count as absent', async () => {
    await expect(
      run(new IntegerLearner(5), f, {
        npointsGoal: 2,
        lossGoal: undefined,
        concurrency: undefined,
      }),
    ).resolves.toMatchObject({ npoints: 2 });
  });

  it('runSync validates too', () => {
    expect(() => runSync(new IntegerLearner(5), f, { pointsPerAsk: 0, npointsGoal: 1 })).toThrow(
      /^runSync: pointsPerAsk must be a positive integer, got 0$/,
    );
    expect(() => runSync(new IntegerLearner(5), f, { concurrency: 2 } as never)).toThrow(
      /^runSync: unknown option 'concurrency'/,
    );
    expect(() => runSync(new IntegerLearner(5), f, {})).toThrow(/^runSync: no goal given/);
    expect(() => runSync(new IntegerLearner(5), 3 as never, { npointsGoal: 1 })).toThrow(
      /runSync: f must be a function, got 3/,
    );
  });
});
