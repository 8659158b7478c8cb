// Plots that show sampling (issue 17, point 4): many points no longer hide the curve (smaller
// markers, a rug), AverageLearner1D's error bars show (a band, bars over the markers), the
// command line's pictures have axis labels, a loss plot over less than a decade has at least
// three ticks, and isolines (d3-contour) lie where the function has the level's value.
import { describe, expect, it } from 'vitest';
import { AverageLearner1D } from '../../src/learners/average1d.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import {
  logScale,
  plot1D,
  plot2D,
  plotLearner,
  plotLoss,
  plotSlice,
} from '../../src/plot/index.js';
import { isoLevels } from '../../src/plot/isolines.js';
import { runSync } from '../../src/runner/sync.js';
import { all, byClass, type El, numbersAreClean, parseSvg } from './svg-parse.js';

const peak = (x: number): number => x + 0.01 ** 2 / (0.01 ** 2 + x * x);

function peakLearner(n: number): Learner1D {
  const l = new Learner1D({ bounds: [-1, 1] });
  runSync(l, peak, { npointsGoal: n });
  return l;
}

/** The points of a path's d made of M and L commands. */
function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

function order(doc: El, cls: string): number {
  const els = all(doc, () => true);
  return els.findIndex((e) => (e.attrs.class ?? '').split(' ').includes(cls));
}

describe('plot1D with many points', () => {
  it('745 points: small translucent markers and a rug with a tick per point', () => {
    const l = peakLearner(745);
    const svg = plot1D(l, { reference: peak });
    const doc = parseSvg(svg);
    const points = byClass(doc, 'point');
    expect(points).toHaveLength(745);
    expect(new Set(points.map((p) => p.attrs.r))).toEqual(new Set(['1.2']));
    expect(byClass(doc, 'points')[0]?.attrs['fill-opacity']).toBe('0.7');
    const rug = byClass(doc, 'rug');
    expect(rug).toHaveLength(1);
    expect(rug[0]?.attrs.d?.match(/M/g)).toHaveLength(745);
    expect(numbersAreClean(svg)).toBe(true);
  });

  it('60 points: the markers as before, no rug (unless asked)', () => {
    const l = peakLearner(60);
    const doc = parseSvg(plot1D(l));
    expect(byClass(doc, 'point')[0]?.attrs.r).toBe('2.5');
    expect(byClass(doc, 'rug')).toHaveLength(0);
    expect(byClass(parseSvg(plot1D(l, { rug: true })), 'rug')).toHaveLength(1);
    expect(
      byClass(parseSvg(plot1D(peakLearner(745), { rug: false, pointRadius: 3 })), 'rug'),
    ).toHaveLength(0);
  });
});

describe('AverageLearner1D error bars', () => {
  it('a band of mean ± error under the curve, and the bars drawn over the markers', () => {
    const l = new AverageLearner1D({ bounds: [-1, 1] });
    let s = 1;
    const noise = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    runSync(l, ([, x]: [number, number]) => peak(x) + 0.2 * noise(), { npointsGoal: 20 });
    const doc = parseSvg(plot1D(l));
    expect(byClass(doc, 'error-band')).toHaveLength(1);
    const bars = byClass(doc, 'errorbars');
    expect(bars).toHaveLength(1);
    expect(bars[0]?.attrs.stroke).toBe('#333333');
    expect(order(doc, 'errorbars')).toBeGreaterThan(order(doc, 'points'));
    expect(order(doc, 'error-band')).toBeLessThan(order(doc, 'curve'));
    expect(byClass(parseSvg(plot1D(l, { errorBars: false })), 'error-band')).toHaveLength(0);
  });
});

describe('labels and ticks', () => {
  it('plotLearner (the command line picture) labels its axes', () => {
    const texts = (svg: string) => byClass(parseSvg(svg), 'label').map((e) => e.text);
    expect(texts(plotLearner(peakLearner(20)))).toEqual(['x', 'y']);
    const l2 = new Learner2D({
      bounds: [
        [-1, 1],
        [-1, 1],
      ],
    });
    runSync(l2, ([x, y]: [number, number]) => x * y, { npointsGoal: 30 });
    expect(texts(plotLearner(l2))).toEqual(['x₀', 'x₁']);
    expect(texts(plotLearner(peakLearner(20), { xLabel: 'V', yLabel: 'I' }))).toEqual(['V', 'I']);
  });

  it('a log axis over less than a decade gets at least three ticks inside it', () => {
    for (const [a, b] of [
      [0.22, 0.6],
      [0.3, 0.45],
      [2e-5, 7e-5],
      [1.5, 9],
    ] as const) {
      const t = logScale([a, b], [100, 0]).ticks();
      expect(t.length, `${a}..${b}`).toBeGreaterThanOrEqual(3);
      for (const { value } of t) {
        expect(value).toBeGreaterThanOrEqual(a);
        expect(value).toBeLessThanOrEqual(b);
      }
    }
    // Wider ranges keep their 1-2-5 ticks.
    expect(
      logScale([1, 50], [100, 0])
        .ticks()
        .map((t) => t.label),
    ).toEqual(['1', '2', '5', '10', '20', '50']);
  });

  it('a loss plot whose loss barely moved has at least three y ticks', () => {
    const history = [0.6, 0.45, 0.3, 0.25, 0.23].map((loss, i) => ({
      npoints: 10 * (i + 1),
      loss,
    }));
    const doc = parseSvg(plotLoss(history));
    const yTicks = byClass(doc, 'axis').find((e) => e.attrs.class === 'axis y');
    expect(yTicks !== undefined && byClass(yTicks, 'tick').length).toBeGreaterThanOrEqual(3);
  });
});

describe('isolines (d3-contour)', () => {
  it('picks nice levels strictly inside the range', () => {
    expect(isoLevels(0, 1, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(isoLevels(0, 1, [0, 0.5, 2])).toEqual([0.5]);
    expect(isoLevels(1, 1, 5)).toEqual([]);
  });

  it('Learner2D: the level-0 line of f = x is the line x = 0', () => {
    const l = new Learner2D({
      bounds: [
        [-1, 1],
        [-1, 1],
      ],
    });
    runSync(l, ([x]: [number, number]) => x, { npointsGoal: 200 });
    expect(byClass(parseSvg(plot2D(l)), 'isolines')).toHaveLength(0); // opt-in
    const svg = plot2D(l, { isolines: [0], points: false });
    const doc = parseSvg(svg);
    const lines = byClass(doc, 'isoline');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.attrs['data-level']).toBe('0');
    const pts = pathPoints(lines[0]?.attrs.d ?? '');
    expect(pts.length).toBeGreaterThan(20);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    // A vertical line: one x (to the 0.1 px of the output), spanning the height.
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(0.11);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(300);
    expect(numbersAreClean(svg)).toBe(true);
    expect(() => plot2D(l, { isolines: -1 })).toThrow(/plot2D: isolines must be/);
  });

  it('a LearnerND slice: the level lines of f = x₀ + x₂ are vertical, shifting with the slice', () => {
    const l = new LearnerND({
      bounds: [
        [-1, 1],
        [-1, 1],
        [-1, 1],
      ],
    });
    runSync(l, ([x, , z]: number[]) => (x as number) + (z as number), { npointsGoal: 300 });
    const at = (z: number) => {
      const doc = parseSvg(
        plotSlice(l, { fixed: [null, null, z], isolines: [0.25], points: false }),
      );
      const pts = pathPoints(byClass(doc, 'isoline')[0]?.attrs.d ?? '');
      const xs = pts.map((p) => p[0]);
      expect(pts.length).toBeGreaterThan(10);
      expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(2); // vertical within the interpolant's error
      return xs.reduce((s, v) => s + v, 0) / xs.length;
    };
    // x₀ = 0.25 - z: the line moves left as z grows.
    expect(at(0)).toBeGreaterThan(at(0.5));
  });
});
