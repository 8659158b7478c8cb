// AverageLearner2D decides between more samples and a new point with ResampleRule on the
// triangulation's neighbour graph. Reduced to one dimension (the graph a path along x), that
// rule must make AverageLearner1D's choices: here both see the same samples, and before each
// ask the rule's choice is compared with AverageLearner1D's (issue 19, point 2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AverageLearner1D, type SeedPoint } from '../../src/learners/average1d.js';
import { ResampleRule } from '../../src/learners/average2d/rule.js';
import { NOISE_FLOOR } from '../../src/learners/sample-stats.js';
import { tQuantile } from '../../src/util/student-t.js';
import { mulberry32 } from '../fixtures/random.js';

interface Mirror {
  rule: ResampleRule;
  ids: Map<number, number>;
}

function mirrorOf(l: AverageLearner1D): Mirror {
  const [a, b] = l.bounds;
  return {
    rule: new ResampleRule({
      delta: l.delta,
      alpha: l.alpha,
      neighborSampling: l.neighborSampling,
      minSamples: l.minSamples,
      maxSamples: l.maxSamples,
      minError: l.minError,
      pooled: false,
      noiseFloor: NOISE_FLOOR,
      samplesLimit: AverageLearner1D.samplesPerPointLimit,
      units: [b - a, 1],
      // AverageLearner1D's dxEps along x; every edge has dy = 0 < Infinity.
      eps: [Math.max(Math.abs(a), Math.abs(b)) * (2 * Number.EPSILON), Number.POSITIVE_INFINITY],
    }),
    ids: new Map(),
  };
}

/** Tells the mirror one sample, the path graph updated as AverageLearner1D's curve is. */
function tellMirror(m: Mirror, x: number, v: number): void {
  const id = m.ids.get(x);
  if (id !== undefined) {
    m.rule.addSample(id, v);
    return;
  }
  const nid = m.rule.addPoint(x, 0, v);
  m.ids.set(x, nid);
  const xs = [...m.ids.keys()].sort((p, q) => p - q);
  for (let i = 0; i < xs.length; i++) {
    const ns: number[] = [];
    if (i > 0) ns.push(m.ids.get(xs[i - 1] as number) as number);
    if (i < xs.length - 1) ns.push(m.ids.get(xs[i + 1] as number) as number);
    m.rule.setNeighbours(m.ids.get(xs[i] as number) as number, ns);
  }
  m.rule.refresh(nid, false);
}

/** The rule's choice: an x to resample, or 'new'. */
function ruleChoice(m: Mirror, l: AverageLearner1D): number | 'new' {
  const [a, b] = l.bounds;
  const boundFirst = m.ids.size >= 2 && !(m.ids.has(a) && m.ids.has(b));
  const pending = new Map<number, number>();
  for (const [, x] of l.pendingPoints) pending.set(x, (pending.get(x) ?? 0) + 1);
  const xOf = [...m.ids.entries()].sort((p, q) => p[1] - q[1]).map((e) => e[0]);
  const id = m.rule.choose(l.loss(), boundFirst, (i) => pending.get(xOf[i] as number) ?? 0);
  return id < 0 ? 'new' : (xOf[id] as number);
}

/** AverageLearner1D's choice: the x of its next ask if it has samples there, else 'new'. */
function learnerChoice(l: AverageLearner1D, known: Map<number, number>): number | 'new' {
  const p = l.ask(1, { tellPending: false }).points[0] as SeedPoint;
  return known.has(p[1]) ? p[1] : 'new';
}

describe('ResampleRule reduced to one dimension', () => {
  it("makes AverageLearner1D's choices, ask after ask, on random noisy functions and options", () => {
    let resampled = 0;
    let added = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          sigma: fc.constantFrom(0.01, 0.1, 1),
          scale: fc.constantFrom(1, 1e-50, 3e40),
          minSamples: fc.integer({ min: 0, max: 8 }),
          delta: fc.constantFrom(0.05, 0.2, 1),
          batch: fc.integer({ min: 1, max: 3 }),
          steps: fc.integer({ min: 50, max: 400 }),
          nan: fc.boolean(),
          // 300: a near step, where the noise floor decides.
          steep: fc.constantFrom(8, 300),
        }),
        ({ seed, sigma, scale, minSamples, delta, batch, steps, nan, steep }) => {
          const l = new AverageLearner1D({ bounds: [-1, 2], minSamples, delta });
          const m = mirrorOf(l);
          const rnd = mulberry32(seed);
          const f = (s: number, x: number): number =>
            nan && rnd() < 0.02
              ? Number.NaN
              : scale * (Math.tanh(steep * x) + sigma * (mulberry32(s * 7919 + seed)() - 0.5));
          for (let step = 0; step < steps; step++) {
            const expected = learnerChoice(l, m.ids);
            expect(ruleChoice(m, l), `step ${step}`).toEqual(expected);
            if (expected === 'new') added++;
            else resampled++;
            const { points } = l.ask(batch);
            m.rule.commitChoice(); // the ask kept its points pending: the rule's run follows
            // Tell in a shuffled order, one point sometimes left pending for a while.
            const order = points.slice().sort(() => rnd() - 0.5);
            const keep = order.length > 1 && rnd() < 0.3 ? order.pop() : undefined;
            for (const p of order) {
              const v = f(p[0], p[1]);
              l.tell(p, v);
              tellMirror(m, p[1], v);
            }
            if (keep !== undefined) {
              expect(ruleChoice(m, l)).toEqual(learnerChoice(l, m.ids));
              const v = f(keep[0], keep[1]);
              l.tell(keep, v);
              tellMirror(m, keep[1], v);
            }
          }
        },
      ),
      { numRuns: 60, seed: 20_261_207 },
    );
    // Both kinds of choice were compared many times.
    expect(resampled).toBeGreaterThan(1000);
    expect(added).toBeGreaterThan(1000);
  });
});

describe('ResampleRule.toResample', () => {
  it('past 32 points below the floor, its pass over all points picks what the whole walk of the queue picks', () => {
    let fallbacks = 0;
    let found = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          n: fc.integer({ min: 40, max: 300 }),
          pooled: fc.boolean(),
          noiseFloor: fc.constantFrom(1 / 8, 6),
          delta: fc.constantFrom(0.05, 1),
          // Points left above the floor: 0 to 4 (of those with a finite error).
          above: fc.integer({ min: 0, max: 4 }),
        }),
        ({ seed, n, pooled, noiseFloor, delta, above }) => {
          const rnd = mulberry32(seed);
          const rule = new ResampleRule({
            delta,
            alpha: 0.005,
            neighborSampling: 0.3,
            minSamples: 2,
            maxSamples: Number.POSITIVE_INFINITY,
            minError: 0,
            pooled,
            noiseFloor,
            samplesLimit: 2 ** 24 - 1,
            units: [1, 1],
            eps: [1e-15, 1e-15],
          });
          // A path of n points with 2 to 8 samples each (ties of x repeat: tie keys decide).
          for (let i = 0; i < n; i++) rule.addPoint(Math.floor(rnd() * n) / n, 0, rnd());
          for (let i = 0; i < n; i++) {
            rule.setNeighbours(
              i,
              [i - 1, i + 1].filter((j) => j >= 0 && j < n),
            );
          }
          for (let i = 0; i < n; i++) {
            rule.refresh(i, false);
            const k = 1 + Math.floor(rnd() * 7);
            for (let s = 0; s < k; s++) rule.addSample(i, Math.sin(i / n) + 0.1 * rnd());
          }
          // The floor just below the few largest errors, so that most points fall below it.
          const errs = rule.errors.filter(Number.isFinite).sort((a, b) => b - a);
          const e = errs[above] ?? 1;
          const loss = e / rule.unit / (delta * noiseFloor);
          // The reference: the queue walked in order, to the end.
          const q = rule.rescaled;
          let expected = -1;
          let walked = 0;
          q.rewind();
          for (let id = q.next(); id >= 0 && q.key(id) > delta; id = q.next()) {
            if (!((rule.errors[id] as number) / rule.unit <= delta * noiseFloor * loss)) {
              expected = id;
              break;
            }
            walked++;
          }
          if (walked >= 32) {
            fallbacks++;
            if (expected >= 0) found++;
          }
          expect(rule.toResample(loss)).toBe(expected);
        },
      ),
      { numRuns: 200, seed: 20_261_207 },
    );
    // The pass ran often, and often found a point past the 32 walked.
    expect(fallbacks).toBeGreaterThan(40);
    expect(found).toBeGreaterThan(5);
  });
});

describe('ResampleRule with pooled errors', () => {
  it('a new point has an error bar from its first sample: t(1 − α, ν)·s, s² the variance pooled over it and its neighbours', () => {
    const rule = new ResampleRule({
      delta: 1,
      alpha: 0.005,
      neighborSampling: 0.3,
      minSamples: 3,
      maxSamples: Number.POSITIVE_INFINITY,
      minError: 0,
      pooled: true,
      noiseFloor: 6,
      samplesLimit: 2 ** 24 - 1,
      units: [2, 2],
      eps: [1e-15, 1e-15],
    });
    // Four corners of a square, each joined to the two beside it, with three samples each.
    const corners: [[number, number], number[]][] = [
      [
        [-1, -1],
        [1, 2, 3],
      ], // squared deviations from the mean: 2
      [
        [-1, 1],
        [2, 4, 6],
      ], // 8
      [
        [1, 1],
        [3, 3, 4],
      ], // 2/3
      [
        [1, -1],
        [0, 1, 5],
      ], // 14
    ];
    for (const [i, [[x, y], vs]] of corners.entries()) {
      rule.addPoint(x, y, vs[0] as number);
      rule.setNeighbours(i, i === 0 ? [] : [i - 1]);
      if (i > 0) rule.setNeighbours(i - 1, i === 1 ? [1] : [i - 2, i]);
      rule.refresh(i, false);
    }
    rule.setNeighbours(0, [1, 3]);
    rule.setNeighbours(3, [0, 2]);
    for (const [i, [, vs]] of corners.entries()) for (const v of vs.slice(1)) rule.addSample(i, v);
    // A corner pools with its two neighbours: ν = 6, s² = (2 + 8 + 14) / 6, over √3.
    expect(rule.own[0]).toBeCloseTo(tQuantile(0.995, 2) * Math.sqrt(1 / 3), 12);
    expect(rule.errors[0]).toBeCloseTo(tQuantile(0.995, 6) * Math.sqrt(4 / 3), 12);
    // The centre, one sample, joined to the four corners: ν = 8 and √1.
    rule.addPoint(0, 0, 10);
    for (const [i, ns] of [
      [1, 3],
      [0, 2],
      [1, 3],
      [0, 2],
    ].entries())
      rule.setNeighbours(i, [...ns, 4]);
    rule.setNeighbours(4, [0, 1, 2, 3]);
    rule.refresh(4, false);
    expect(rule.own[4]).toBe(Number.POSITIVE_INFINITY);
    const s2 = (2 + 8 + 14 + 2 / 3) / 8;
    expect(rule.errors[4]).toBeCloseTo(tQuantile(0.995, 8) * Math.sqrt(s2), 12);
    // Still under-sampled (1 < minSamples): asked again before any point is resampled.
    expect(rule.choose(1, false, () => 0)).toBe(4);
    // A second sample at the centre: its error and its neighbours' are pooled anew.
    rule.addSample(4, 12);
    const s2b = (2 + 8 + 14 + 2 / 3 + 2) / 9;
    expect(rule.errors[4]).toBeCloseTo((tQuantile(0.995, 9) * Math.sqrt(s2b)) / Math.SQRT2, 12);
    expect(rule.errors[0]).toBeCloseTo(
      tQuantile(0.995, 7) * Math.sqrt((2 + 8 + 14 + 2) / 7 / 3),
      12,
    );
    // A point alone, with one sample: no variance to pool.
    rule.addPoint(0.5, 0.5, 1);
    rule.refresh(5, false);
    expect(rule.errors[5]).toBe(Number.POSITIVE_INFINITY);
  });
});
