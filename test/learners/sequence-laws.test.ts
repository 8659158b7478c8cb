// The learner laws (src/testing) applied to SequenceLearner with random value scales (its
// domain is its sequence; the subjects with values as they are live in sequence.test.ts).
import fc from 'fast-check';
import { describe } from 'vitest';
import { SequenceLearner, type SequencePoint } from '../../src/learners/sequence.js';
import type { LawSubject } from '../../src/testing/index.js';
import { anyScale, anyValue, describeLaws } from '../fixtures/laws.js';

type Item = { id: number; tag: string };
const ITEMS: Item[] = Array.from({ length: 23 }, (_, i) => ({ id: i, tag: `t${i % 4}` }));

const subject: LawSubject<SequencePoint<Item>, number> = {
  name: 'SequenceLearner (random values and scales)',
  scales: anyScale,
  make: () => new SequenceLearner(ITEMS),
  values: anyValue,
  inDomain: ([i, item]) => Number.isInteger(i) && i >= 0 && i < ITEMS.length && item === ITEMS[i],
  key: ([i]) => String(i),
  points: fc.nat({ max: ITEMS.length - 1 }).map((i): SequencePoint<Item> => [i, ITEMS[i] as Item]),
};

describe('SequenceLearner', () => describeLaws([subject]));
