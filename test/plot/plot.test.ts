// Structure of the plots: parsed as XML, then counted (one path per output component, one
// marker per point, pending points hollow, a colour bar for 2-D, ticks on both axes), and
// the same input always gives the same bytes.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { AverageLearner1D } from '../../src/learners/average1d.js';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { DataSaver } from '../../src/learners/data-saver.js';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import {
  lastTold,
  plot1D,
  plot2D,
  plotBalancing,
  plotKind,
  plotLearner,
  plotLoss,
  plotSlice,
  recordLoss,
} from '../../src/plot/index.js';
import { runSync } from '../../src/runner/sync.js';
import { all, byClass, type El, hasClass, numbersAreClean, parseSvg } from './svg-parse.js';

const peak = (x: number): number => x + 0.01 ** 2 / (0.01 ** 2 + x * x);
const ring = ([x, y]: [number, number]): number =>
  x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);

function peakLearner(n = 60): Learner1D {
  const l = new Learner1D({ bounds: [-1, 1] });
  runSync(l, peak, { npointsGoal: n });
  return l;
}

/** Seeded noise, so that the noisy learner is the same in every run. */
function noise(seed: number, x: number): number {
  let s = Math.imul(seed + 1, 2654435761) ^ Math.imul(Math.round(x * 1e6), 40503);
  s = Math.imul(s ^ (s >>> 15), 2246822519);
  return ((s ^ (s >>> 13)) >>> 0) / 4294967296 - 0.5;
}

function tickLabels(svg: El, axis: 'x' | 'y'): string[] {
  const g = all(svg, (e) => e.name === 'g' && hasClass(e, 'axis') && hasClass(e, axis))[0];
  expect(g, `axis ${axis}`).toBeDefined();
  return byClass(g as El, 'tick').map((t) => t.text);
}

/** Tick labels as numbers (true minus signs read back). */
function tickValues(labels: string[]): number[] {
  return labels.map((l) => Number(l.replace('\u2212', '-')));
}

function expectNiceTicks(labels: string[]): void {
  const v = tickValues(labels);
  expect(v.length).toBeGreaterThanOrEqual(2);
  expect(v.every(Number.isFinite)).toBe(true);
  const step = (v[1] as number) - (v[0] as number);
  for (let i = 1; i < v.length; i++) {
    expect(Math.abs((v[i] as number) - (v[i - 1] as number) - step)).toBeLessThan(
      Math.abs(step) * 1e-9,
    );
  }
  const m = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  expect([1, 2, 5].some((k) => Math.abs(m - k) < 1e-9)).toBe(true);
}

function subpaths(d: string | undefined): number {
  return (d ?? '').split('M').length - 1;
}

describe('plot1D', () => {
  it('draws one curve, one marker per point, ticks on both axes, a title and labels', () => {
    const l = peakLearner(60);
    const svg = plot1D(l, { title: 'peak', xLabel: 'x', yLabel: 'f(x)' });
    const doc = parseSvg(svg);
    expect(doc.attrs.width).toBe('640');
    expect(doc.attrs.viewBox).toBe('0 0 640 400');
    const curves = byClass(doc, 'curve');
    expect(curves).toHaveLength(1);
    expect(subpaths(curves[0]?.attrs.d)).toBe(1);
    expect(curves[0]?.attrs.d?.split(/[ML]/).length).toBe(61);
    expect(byClass(doc, 'point')).toHaveLength(60);
    expect(byClass(doc, 'pending')).toHaveLength(0);
    expectNiceTicks(tickLabels(doc, 'x'));
    expectNiceTicks(tickLabels(doc, 'y'));
    expect(tickValues(tickLabels(doc, 'x'))).toEqual([
      -1, -0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1,
    ]);
    expect(byClass(doc, 'title')[0]?.text).toBe('peak');
    expect(byClass(doc, 'label').map((e) => e.text)).toEqual(['x', 'f(x)']);
    expect(byClass(doc, 'legend')).toHaveLength(0);
    expect(numbersAreClean(svg)).toBe(true);
  });

  it('draws pending points hollow, and rings the latest points', () => {
    const l = peakLearner(40);
    const { points } = l.ask(5);
    const svg = plot1D(l, { latest: [points[0] as number, 0.5] });
    const doc = parseSvg(svg);
    const pending = byClass(doc, 'pending');
    expect(pending).toHaveLength(5);
    const group = byClass(doc, 'pending-points')[0] as El;
    expect(group.attrs.fill).toBe('none');
    expect(group.attrs.stroke).toMatch(/^#[0-9a-f]{6}$/);
    expect(byClass(doc, 'point')).toHaveLength(40);
    expect(byClass(doc, 'latest')).toHaveLength(2);
    expect(byClass(doc, 'latest-points')[0]?.attrs.fill).toBe('none');
    // A legend names them.
    expect(byClass(doc, 'entry')).toHaveLength(0);
    const withLegend = parseSvg(plot1D(l, { latest: [0.5], legend: true }));
    expect(
      byClass(withLegend, 'entry').map((e) => all(e, (c) => c.name === 'text')[0]?.text),
    ).toEqual(['sampled', 'latest', 'pending']);
  });

  it('draws one path per component of a vector output, with a legend', () => {
    const l = new Learner1D({ bounds: [0, 6] });
    runSync(l, (x: number) => [Math.sin(x), Math.cos(x), x / 6], { npointsGoal: 30 });
    l.ask(2);
    const doc = parseSvg(plot1D(l, { labels: ['sin', 'cos'] }));
    const curves = byClass(doc, 'curve');
    expect(curves.map((c) => c.attrs['data-component'])).toEqual(['0', '1', '2']);
    expect(new Set(curves.map((c) => c.attrs.stroke)).size).toBe(3);
    expect(byClass(doc, 'point')).toHaveLength(90);
    expect(byClass(doc, 'pending')).toHaveLength(6);
    const entries = byClass(doc, 'entry').map((e) => all(e, (c) => c.name === 'text')[0]?.text);
    expect(entries).toEqual(['sin', 'cos', 'y[2]', 'pending']);
  });

  it('breaks the curve at non-finite values and marks them on the edge', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    l.tellMany([0, 0.25, 0.5, 0.75, 1], [0, 1, Number.NaN, Number.POSITIVE_INFINITY, 2]);
    const svg = plot1D(l);
    const doc = parseSvg(svg);
    expect(subpaths(byClass(doc, 'curve')[0]?.attrs.d)).toBe(2);
    expect(byClass(doc, 'point')).toHaveLength(5);
    expect(byClass(doc, 'nonfinite')).toHaveLength(2);
    expect(numbersAreClean(svg)).toBe(true);
  });

  it('draws AverageLearner1D means with error bars', () => {
    const l = new AverageLearner1D({ bounds: [-1, 1], minSamples: 8 });
    runSync(l, ([seed, x]: [number, number]) => peak(x) + 0.3 * noise(seed, x), {
      npointsGoal: 40,
    });
    const doc = parseSvg(plot1D(l));
    const means = l.means();
    expect(byClass(doc, 'point')).toHaveLength(means.length);
    const finite = means.filter((m) => Number.isFinite(m.error)).length;
    expect(finite).toBeGreaterThan(0);
    // One bar and two caps per finite error.
    expect(subpaths(byClass(doc, 'errorbars')[0]?.attrs.d)).toBe(3 * finite);
  });

  it('draws one hollow marker per pending x of AverageLearner1D (several seeds at one x)', () => {
    const l = new AverageLearner1D({ bounds: [0, 1], minSamples: 5 });
    const { points } = l.ask(12);
    const xs = new Set(points.map(([, x]) => x));
    expect(xs.size).toBeLessThan(12);
    expect(byClass(parseSvg(plot1D(l)), 'pending')).toHaveLength(xs.size);
  });

  it('plots the learner a DataSaver wraps', () => {
    const inner = peakLearner(20);
    const saver = new DataSaver(inner, (r: { y: number }) => r.y);
    expect(plotKind(saver)).toBe('1d');
    expect(plotLearner(saver)).toBe(plotLearner(inner));
  });

  it('draws IntegratorLearner points, and the exact function dashed', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-6 });
    runSync(l, Math.sqrt, {});
    const doc = parseSvg(plot1D(l, { reference: Math.sqrt, referenceSamples: 50 }));
    expect(byClass(doc, 'point')).toHaveLength(l.npoints);
    const ref = byClass(doc, 'reference');
    expect(ref).toHaveLength(1);
    expect(ref[0]?.attrs['stroke-dasharray']).toBeDefined();
    expect(ref[0]?.attrs.d?.split(/[ML]/).length).toBe(51);
  });

  it('gives identical bytes for the same data, and for a restored snapshot', () => {
    const a = plot1D(peakLearner(80), { title: 't' });
    const b = plot1D(peakLearner(80), { title: 't' });
    expect(a).toBe(b);
    const restored = new Learner1D({ bounds: [-1, 1] });
    restored.restore(JSON.parse(JSON.stringify(peakLearner(80).snapshot())));
    expect(plot1D(restored, { title: 't' })).toBe(a);
  });

  it('rejects unknown options and sizes out of range', () => {
    const l = peakLearner(10);
    expect(() => plot1D(l, { colour: 'red' } as never)).toThrow(/unknown option 'colour'/);
    expect(() => plot1D(l, { width: 5 })).toThrow(RangeError);
    expect(() => plot1D({} as never)).toThrow(/toArrays/);
  });

  it('plots an empty learner', () => {
    const doc = parseSvg(plot1D(new Learner1D({ bounds: [0, 1] })));
    expect(byClass(doc, 'point')).toHaveLength(0);
    expectNiceTicks(tickLabels(doc, 'x'));
  });

  test.prop(
    [
      fc.uniqueArray(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 0, maxLength: 40 }),
      fc.array(fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0)), {
        minLength: 40,
        maxLength: 40,
      }),
    ],
    { seed: 42, numRuns: 100 },
  )('any data gives well-formed SVG with one marker per point and clean numbers', (xs, ys) => {
    const l = new Learner1D({ bounds: [-1, 1] });
    for (let i = 0; i < xs.length; i++) l.tell(xs[i] as number, ys[i] as number);
    const svg = plot1D(l);
    const doc = parseSvg(svg);
    expect(byClass(doc, 'point')).toHaveLength(l.npoints);
    expect(numbersAreClean(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''))).toBe(true);
  });
});

function ringLearner(n: number): Learner2D {
  const l = new Learner2D({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
  });
  runSync(l, ring, { npointsGoal: n });
  return l;
}

describe('plot2D', () => {
  it('fills every triangle, draws a colour bar and one marker per point', () => {
    const l = ringLearner(150);
    l.ask(3);
    const svg = plot2D(l, { title: 'ring', colorLabel: 'f' });
    const doc = parseSvg(svg);
    const tri = l.triangulation();
    const groups = byClass(doc, 'triangles');
    expect(groups).toHaveLength(1);
    const paths = all(groups[0] as El, (e) => e.name === 'path');
    const triangles = paths.reduce((s, p) => s + subpaths(p.attrs.d), 0);
    expect(triangles).toBe(tri.triangles.length / 3);
    // Triangles are grouped by colour level: at most 256 paths, each with its fill.
    expect(paths.length).toBeLessThanOrEqual(256);
    expect(paths.every((p) => /^#[0-9a-f]{6}$/.test(p.attrs.fill ?? ''))).toBe(true);
    expect(byClass(doc, 'point')).toHaveLength(150);
    expect(byClass(doc, 'pending')).toHaveLength(3);
    expect(byClass(doc, 'pending-points')[0]?.attrs.fill).toBe('none');
    const bar = byClass(doc, 'colorbar');
    expect(bar).toHaveLength(1);
    expect(all(bar[0] as El, (e) => e.name === 'rect').length).toBe(65);
    expectNiceTicks(byClass(bar[0] as El, 'tick').map((t) => t.text));
    expect(byClass(bar[0] as El, 'label')[0]?.text).toBe('f');
    expectNiceTicks(tickLabels(doc, 'x'));
    expectNiceTicks(tickLabels(doc, 'y'));
    expect(numbersAreClean(svg)).toBe(true);
    expect(plot2D(ringLearner(150), { title: 'ring', colorLabel: 'f' })).not.toBe(svg); // pending differ
    expect(plot2D(ringLearner(150))).toBe(plot2D(ringLearner(150)));
  });

  it('colours by the chosen component of a vector output, and greys non-finite triangles', () => {
    const l = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    runSync(l, ([x, y]: [number, number]) => [x, x * y > 0.5 ? Number.NaN : y], {
      npointsGoal: 60,
    });
    const doc0 = parseSvg(plot2D(l, { component: 0 }));
    expect(byClass(doc0, 'nan')).toHaveLength(0);
    const doc1 = parseSvg(plot2D(l, { component: 1, mesh: true }));
    expect(byClass(doc1, 'nan')).toHaveLength(1);
    expect(byClass(doc1, 'mesh')).toHaveLength(1);
    expect(() => plot2D(l, { component: 2 })).toThrow(RangeError);
  });

  it('plots a two-dimensional LearnerND from its triangulation', () => {
    const l = new LearnerND({
      bounds: [
        [-1, 1],
        [-1, 1],
      ],
    });
    runSync(l, (p: number[]) => ring(p as [number, number]), { npointsGoal: 80 });
    const doc = parseSvg(plot2D(l));
    const paths = all(byClass(doc, 'triangles')[0] as El, (e) => e.name === 'path');
    expect(paths.reduce((s, p) => s + subpaths(p.attrs.d), 0)).toBe(
      l.triangulation().simplices.length / 3,
    );
    expect(byClass(doc, 'point')).toHaveLength(80);
    expect(plotKind(l)).toBe('2d');
  });
});

describe('plotSlice', () => {
  function sphere(): LearnerND {
    const l = new LearnerND({
      bounds: [
        [-1, 1],
        [-1, 1],
        [-1, 1],
      ],
    });
    runSync(
      l,
      ([x, y, z]: number[]) =>
        Math.exp(-((x as number) ** 2 + (y as number) ** 2 + (z as number) ** 2)),
      {
        npointsGoal: 120,
      },
    );
    return l;
  }

  it('draws a heat map of a 2-D slice with a colour bar', () => {
    const l = sphere();
    const svg = plotSlice(l, {
      fixed: [null, 0, null],
      resolution: 30,
      axisLabels: ['x', 'y', 'z'],
    });
    const doc = parseSvg(svg);
    expect(byClass(doc, 'cells')).toHaveLength(1);
    expect(byClass(doc, 'colorbar')).toHaveLength(1);
    expect(byClass(doc, 'title')[0]?.text).toBe('slice at y = 0');
    expect(
      byClass(doc, 'label')
        .map((e) => e.text)
        .slice(0, 2),
    ).toEqual(['x', 'z']);
    // Every grid cell is covered: the cell rectangles' areas add up to the frame.
    expect(byClass(doc, 'point').length).toBeGreaterThan(0);
    expect(svg).toBe(
      plotSlice(sphere(), { fixed: [null, 0, null], resolution: 30, axisLabels: ['x', 'y', 'z'] }),
    );
    expect(plotKind(l)).toBe('slice');
    expect(byClass(parseSvg(plotLearner(l)), 'cells')).toHaveLength(1);
  });

  it('draws a curve for a 1-D cut', () => {
    const doc = parseSvg(plotSlice(sphere(), { fixed: [null, 0, 0], resolution: 50 }));
    const curves = byClass(doc, 'curve');
    expect(curves).toHaveLength(1);
    expect(curves[0]?.attrs.d?.split(/[ML]/).length).toBe(51);
    expect(byClass(doc, 'colorbar')).toHaveLength(0);
  });

  it('says what is wrong with `fixed`', () => {
    const l = sphere();
    expect(() => plotSlice(l, { fixed: [0, 0, 0] })).toThrow(/leave one coordinate free/);
    expect(() => plotSlice(l, { fixed: [null, null, null] })).toThrow(/got 3 free of 3/);
    expect(() => plotSlice(l, { fixed: [null, 0] })).toThrow(/3 entries/);
  });
});

describe('plotBalancing', () => {
  it('draws one panel per child, titled by its parameters', () => {
    const b = BalancingLearner.fromProduct(
      { width: [0.01, 0.1], offset: [-0.5, 0, 0.5] },
      () => new Learner1D({ bounds: [-1, 1] }),
    );
    runSync(
      b,
      b.dispatch(
        (x: number, { width, offset }) => x + width ** 2 / (width ** 2 + (x - offset) ** 2),
      ),
      {
        npointsGoal: 150,
      },
    );
    const svg = plotBalancing(b, { title: 'sweep', shareY: true, columns: 3 });
    const doc = parseSvg(svg);
    const panels = byClass(doc, 'panel');
    expect(panels).toHaveLength(6);
    expect(doc.attrs.width).toBe('960');
    panels.forEach((p, i) => {
      expect(byClass(p, 'curve')).toHaveLength(1);
      expect(byClass(p, 'point')).toHaveLength((b.learners[i] as Learner1D).npoints);
    });
    expect(byClass(panels[0] as El, 'title')[0]?.text).toMatch(
      /^width=0.01, offset=-0.5 \(\d+ points\)$/,
    );
    // shareY: every panel has the same y ticks.
    const ys = panels.map((p) =>
      byClass(all(p, (e) => hasClass(e, 'y'))[0] as El, 'tick')
        .map((t) => t.text)
        .join(),
    );
    expect(new Set(ys).size).toBe(1);
    expect(plotKind(b)).toBe('balancing');
    expect(plotLearner(b, { title: 'sweep' })).toBe(plotBalancing(b, { title: 'sweep' }));
  });
});

describe('plotLoss', () => {
  it('draws loss against points on a log axis, one line per series with a legend', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    const rec = recordLoss();
    for (let i = 0; i < 100; i++) {
      const { points } = l.ask(1);
      l.tell(points[0] as number, peak(points[0] as number));
      rec.onProgress({ npoints: l.npoints, loss: l.loss() });
    }
    expect(rec.history[0]?.loss).toBe(Number.POSITIVE_INFINITY);
    const one = parseSvg(plotLoss(rec.history));
    expect(byClass(one, 'curve')).toHaveLength(1);
    expect(byClass(one, 'point')).toHaveLength(
      rec.history.filter((r) => Number.isFinite(r.loss)).length,
    );
    const y = tickLabels(one, 'y');
    expect(y.some((t) => /^10[\u207b\u00b9\u00b2\u00b3\u2070-\u2079]+$|^0\.1$|^1$/.test(t))).toBe(
      true,
    );
    const two = parseSvg(
      plotLoss({
        adaptive: rec.history,
        uniform: rec.history.map((r) => ({ ...r, loss: r.loss * 3 })),
      }),
    );
    expect(byClass(two, 'curve').map((c) => c.attrs['data-series'])).toEqual([
      'adaptive',
      'uniform',
    ]);
    expect(byClass(two, 'entry')).toHaveLength(2);
    expect(plotLoss(rec.history)).toBe(plotLoss(rec.history.map((r) => ({ ...r }))));
  });

  it('uses a linear axis when a loss is zero or negative', () => {
    const doc = parseSvg(
      plotLoss([
        { npoints: 1, loss: 0 },
        { npoints: 2, loss: 1 },
      ]),
    );
    expectNiceTicks(tickLabels(doc, 'y'));
  });
});

describe('lastTold', () => {
  it('gives the last k distinct told x, newest last', () => {
    const log = [
      { op: 'ask', n: 2, points: [0, 1] },
      { op: 'tell', point: 0, value: 1 },
      { op: 'tell', point: 1, value: 1 },
      { op: 'tell', point: [3, 0.5], value: 1 },
      { op: 'removeUnfinished' },
    ];
    expect(lastTold(log, 2)).toEqual([1, 0.5]);
    expect(lastTold(log, 10)).toEqual([0, 1, 0.5]);
  });
});
