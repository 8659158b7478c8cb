// AverageLearner2D with samples in flight (a parallel run's main thread): random boxes and
// value scales, samples asked in batches and told in any order (some NaN or ±Infinity),
// unrequested samples, forgotten pending points. After every history the surface updated in
// place equals the one built anew from the means and its pending values (checkValid), and a
// learner restored from the snapshot mid-flight has the same losses and asks the same points.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AverageLearner2D, type SeedPoint2D } from '../../src/learners/average2d/index.js';
import { boxArbitrary, valueScaleArbitrary } from '../../src/testing/index.js';
import { boxToUnit, lerp } from '../fixtures/laws.js';

type Box = [[number, number], [number, number]];

const ring = (x: number, y: number): number =>
  x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);

type Step =
  | { kind: 'ask'; n: number }
  | { kind: 'tell'; pick: number; bad: number }
  | { kind: 'unrequested'; i: number; j: number; seed: number }
  | { kind: 'forget' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('ask' as const), n: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('tell' as const),
      pick: fc.nat(),
      bad: fc.integer({ min: 0, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unrequested' as const),
      i: fc.integer({ min: 0, max: 8 }),
      j: fc.integer({ min: 0, max: 8 }),
      seed: fc.nat(5),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'forget' as const }) },
);

describe('AverageLearner2D with samples in flight', () => {
  it('keeps its surface equal to the one built from the means and pending values, and restores mid-flight', () => {
    fc.assert(
      fc.property(
        boxArbitrary(2) as fc.Arbitrary<Box>,
        valueScaleArbitrary({ minExponent: -100, maxExponent: 100, subnormal: false }),
        fc.array(step, { minLength: 20, maxLength: 160 }),
        (box, scale, steps) => {
          const l = new AverageLearner2D({ bounds: box, minSamples: 2 });
          const value = ([seed, p]: SeedPoint2D, bad: number): number => {
            if (bad === 1) return Number.NaN;
            if (bad === 2) return Number.POSITIVE_INFINITY;
            if (bad === 3) return Number.NEGATIVE_INFINITY;
            const [x, y] = boxToUnit(p, box) as [number, number];
            return scale * (ring(x, y) + 0.05 * Math.sin(seed * 12.9898 + x * 78.233));
          };
          const out: SeedPoint2D[] = [];
          for (const s of steps) {
            if (s.kind === 'ask') out.push(...l.ask(s.n).points);
            else if (s.kind === 'tell' && out.length > 0) {
              const k = s.pick % out.length;
              const p = out[k] as SeedPoint2D;
              out.splice(k, 1);
              l.tell(p, value(p, s.bad));
            } else if (s.kind === 'unrequested') {
              const p: SeedPoint2D = [100 + s.seed, [lerp(box[0], s.i / 8), lerp(box[1], s.j / 8)]];
              l.tell(p, value(p, 0));
            } else if (s.kind === 'forget') {
              l.removeUnfinished();
              out.length = 0;
            }
          }
          l.checkValid();
          const r = new AverageLearner2D({ bounds: box });
          r.restore(JSON.parse(JSON.stringify(l.snapshot())));
          r.checkValid();
          expect(r.pendingPoints).toEqual(l.pendingPoints);
          expect(r.loss()).toBe(l.loss());
          expect(r.loss({ real: false })).toBe(l.loss({ real: false }));
          expect(r.ask(3, { tellPending: false })).toEqual(l.ask(3, { tellPending: false }));
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });
});
