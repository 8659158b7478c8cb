// The argument checks every learner shares (src/learners/validate.ts).
import { describe, expect, it } from 'vitest';
import { AverageLearner } from '../../src/learners/average.js';
import { AverageLearner1D } from '../../src/learners/average1d.js';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { DataSaver } from '../../src/learners/data-saver.js';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import type { AskOptions, Learner, LearnerSnapshot } from '../../src/learners/types.js';
import { describe as show } from '../../src/learners/validate.js';

const learners: [string, () => Learner<unknown, unknown>][] = [
  ['Learner1D', () => new Learner1D({ bounds: [0, 1] }) as Learner<unknown, unknown>],
  [
    'Learner2D',
    () =>
      new Learner2D({
        bounds: [
          [0, 1],
          [0, 1],
        ],
      }) as Learner<unknown, unknown>,
  ],
  [
    'LearnerND',
    () =>
      new LearnerND({
        bounds: [
          [0, 1],
          [0, 1],
        ],
      }) as Learner<unknown, unknown>,
  ],
  ['AverageLearner', () => new AverageLearner({ rtol: 0.1 }) as Learner<unknown, unknown>],
  ['AverageLearner1D', () => new AverageLearner1D({ bounds: [0, 1] }) as Learner<unknown, unknown>],
  [
    'IntegratorLearner',
    () => new IntegratorLearner({ bounds: [0, 1], tol: 1e-3 }) as Learner<unknown, unknown>,
  ],
  ['SequenceLearner', () => new SequenceLearner([1, 2, 3]) as Learner<unknown, unknown>],
  [
    'BalancingLearner',
    () => new BalancingLearner([new Learner1D({ bounds: [0, 1] })]) as Learner<unknown, unknown>,
  ],
];

describe('every learner checks the start of a snapshot the same way', () => {
  const all: [string, () => Learner<unknown, unknown>][] = [
    ...learners,
    [
      'DataSaver',
      () =>
        new DataSaver(new Learner1D({ bounds: [0, 1] }), (y: number) => y) as unknown as Learner<
          unknown,
          unknown
        >,
    ],
  ];
  it.each(all)('%s', (name, make) => {
    const l = make();
    const good = l.snapshot();
    const before = JSON.stringify(good);
    expect(() => l.restore(null as unknown as LearnerSnapshot)).toThrow(
      new TypeError(`${name}.restore: the snapshot must be an object`),
    );
    expect(() => l.restore({ ...good, type: 'Other' })).toThrow(
      new TypeError(`${name}.restore: the snapshot is of type "Other", not '${name}'`),
    );
    expect(() => l.restore({ ...good, version: 99 })).toThrow(
      new TypeError(
        `${name}.restore: unsupported snapshot version 99 (this library reads ${good.version})`,
      ),
    );
    expect(JSON.stringify(l.snapshot())).toBe(before);
    l.restore(good);
    expect(JSON.stringify(l.snapshot())).toBe(before);
  });
});

describe('every learner checks ask’s arguments the same way', () => {
  it.each(learners)('%s', (name, make) => {
    const l = make();
    expect(() => l.ask(-1)).toThrow(
      new RangeError(`${name}.ask: n must be a non-negative integer, got -1`),
    );
    expect(() => l.ask(1, null as unknown as AskOptions)).toThrow(
      new TypeError(`${name}.ask: options must be an object, e.g. { tellPending: false }`),
    );
    expect(() => l.ask(1, { tellpending: false } as unknown as AskOptions)).toThrow(
      new TypeError(
        `${name}.ask: unknown option 'tellpending' (did you mean 'tellPending'?); known options: tellPending`,
      ),
    );
    expect(l.ask(2, { tellPending: false }).points.length).toBeGreaterThan(0);
    expect(l.pendingPoints).toHaveLength(0);
  });

  it('shows bad values readably', () => {
    expect(show([1, Number.NaN, [Number.NEGATIVE_INFINITY]])).toBe('[1, NaN, [-Infinity]]');
    expect(show({ a: 1 })).toBe('{"a":1}');
    expect(show(undefined)).toBe('undefined');
  });
});
