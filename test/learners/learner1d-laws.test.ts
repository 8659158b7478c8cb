// The learner laws (src/testing) applied to Learner1D with several losses and outputs, on
// [-1, 1] and on random bounds (offsets up to ±1e15, widths 1e-10 to 1e300 of the offset)
// with random value scales (1e-300 to 1e300, subnormals, either sign).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { curvatureLoss, type IntervalLoss, uniformLoss } from '../../src/learners/losses1d.js';
import type { LawSubject } from '../../src/testing/index.js';
import {
  anyInterval,
  anyScale,
  anyValue,
  anyVector,
  describeLaws,
  inInterval,
  pointsIn,
  toUnit,
} from '../fixtures/laws.js';

type Bounds = [number, number];
const peak = (x: number): number => x + 1e-4 / (1e-4 + (x - 0.3) ** 2);

// recomputeLossesFactor 1: every loss reflects the current y range, so the loss does not
// depend on the order of the tells (with python-adaptive's default 2, stale losses may
// differ by up to that factor; python-adaptive's own tests set it to 1 for this law).
const learner =
  (extra: Partial<ConstructorParameters<typeof Learner1D>[0]> = {}) =>
  (bounds: Bounds) =>
    new Learner1D({ bounds, recomputeLossesFactor: 1, ...extra });

/** A subject on random bounds and value scales, its function written for [-1, 1]. */
const anywhere = (
  name: string,
  make: (bounds: Bounds) => Learner1D,
  values: Pick<LawSubject<number, number | number[], Bounds>, 'f' | 'values'>,
): LawSubject<number, number | number[], Bounds> => ({
  name: `${name}, random bounds and scales`,
  domains: anyInterval,
  scales: anyScale,
  make,
  ...values,
  inDomain: inInterval,
  points: pointsIn,
});

/** Any integer of [a, b] (fc.integer stops at 2^31). */
const intIn = (a: number, b: number): fc.Arbitrary<number> =>
  fc.bigInt({ min: BigInt(a), max: BigInt(b) }).map(Number);

/**
 * Integer bounds [a, a + w]: w of 1 to 8 (a lattice a history exhausts), up to 3000, or up
 * to 2^40; a within ±2^45, so every integer between is a double and the bounds stay safe.
 */
const anyLattice: fc.Arbitrary<Bounds> = fc
  .tuple(
    intIn(-(2 ** 45), 2 ** 45),
    fc.oneof(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 9, max: 3000 }),
      intIn(3001, 2 ** 40),
    ),
  )
  .map(([a, w]): Bounds => [a, a + w]);

const subjects: LawSubject<number, number | number[], Bounds>[] = [
  {
    name: 'Learner1D(defaultLoss) on [-1, 1]',
    domains: fc.constant<Bounds>([-1, 1]),
    make: learner(),
    f: peak,
    inDomain: inInterval,
    points: pointsIn,
  },
  anywhere('Learner1D(defaultLoss)', learner(), { f: (x, d) => peak(toUnit(x, d)) }),
  anywhere('Learner1D(uniformLoss)', learner({ loss: uniformLoss }), {
    f: (x, d) => Math.sin(5 * toUnit(x, d)),
  }),
  anywhere('Learner1D(curvatureLoss)', learner({ loss: curvatureLoss() }), {
    f: (x, d) => Math.tanh(20 * toUnit(x, d)),
  }),
  anywhere('Learner1D(vector output)', learner(), {
    f: (x, d) => {
      const t = toUnit(x, d);
      return [peak(t), Math.sin(3 * t), t * t];
    },
  }),
  // Random values: each run draws a random function of the point.
  anywhere('Learner1D(defaultLoss, random values)', learner(), { values: anyValue }),
  anywhere('Learner1D(curvatureLoss, random values)', learner({ loss: curvatureLoss() }), {
    values: anyValue,
  }),
  anywhere('Learner1D(vector output, random values)', learner(), { values: anyVector(3) }),
  // integer: true on random integer bounds: tiny lattices (run out within a history, so
  // done() and the asks that come back short are exercised), wide ones, far from 0.
  {
    name: 'Learner1D(integer: true), random integer bounds and scales',
    domains: anyLattice,
    scales: anyScale,
    make: learner({ integer: true }),
    f: (x, d) => peak(toUnit(x, d)),
    inDomain: (x, d) => Number.isInteger(x) && inInterval(x, d),
    points: ([a, b]) => intIn(a, b),
  },
  {
    name: 'Learner1D(integer: true, random values), random integer bounds and scales',
    domains: anyLattice,
    scales: anyScale,
    make: learner({ integer: true }),
    values: anyValue,
    inDomain: (x, d) => Number.isInteger(x) && inInterval(x, d),
    points: ([a, b]) => intIn(a, b),
  },
];

describe('Learner1D', () => describeLaws(subjects));

// Found by scaleInvariant (seed 20260610, the README's heightWeighted loss with random
// values): while every value was the same (y range 0), Learner1D passed the values unscaled
// to the loss (python-adaptive's scale 1), so a loss reading |y| asked other points for
// f = 4 than for f = 4 · 2^13.
describe('Learner1D: a loss reading y while the y range is 0 (constant values) sees them scaled', () => {
  const heightWeighted: IntervalLoss = (xs, ys) => {
    const dx = (xs[1] as number) - (xs[0] as number);
    const [y0, y1] = ys as [number, number];
    return Math.hypot(dx, y1 - y0) * (1 + Math.max(Math.abs(y0), Math.abs(y1)));
  };
  const asked = (c: number): number[] => {
    const l = new Learner1D({ bounds: [-1, 1], loss: heightWeighted, recomputeLossesFactor: 1 });
    const { points } = l.ask(6); // -1, 1 and four inside, all pending
    l.tell(points[0] as number, c);
    l.tellMany([points[3] as number], [c]);
    return l.ask(1, { tellPending: false }).points;
  };
  it('asks the same points for f = 4 and f = 4 · 2^13', () => {
    expect(asked(4 * 2 ** 13)).toEqual(asked(4));
  });
});
