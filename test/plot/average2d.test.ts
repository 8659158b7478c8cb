import { describe, expect, it } from 'vitest';
import { AverageLearner2D, type SeedPoint2D } from '../../src/learners/average2d/index.js';
import { plotAverage2D } from '../../src/plot/index.js';
import { all, byClass, type El, numbersAreClean, parseSvg } from './svg-parse.js';

function noisyLearner(samples: number): AverageLearner2D {
  const l = new AverageLearner2D({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
    minSamples: 3,
  });
  while (l.nsamples < samples) {
    for (const p of l.ask(1).points as SeedPoint2D[]) {
      const [seed, [x, y]] = p;
      l.tell(p, x * y + 0.1 * Math.sin(seed * 12.9898 + x * 78.233 + y * 37.719));
    }
  }
  return l;
}

const subpaths = (d: string | undefined): number => (d ?? '').split('Z').length - 1;

describe('plotAverage2D', () => {
  it('draws the means and their errors on the same triangles, each with its colour bar', () => {
    const l = noisyLearner(400);
    l.tell([0, [0.3, 0.3]], 1); // one sample: its error is Infinity
    const svg = plotAverage2D(l, { title: 'x·y + noise' });
    const doc = parseSvg(svg);
    const panels = [byClass(doc, 'means')[0] as El, byClass(doc, 'uncertainty')[0] as El];
    const nTri = l.triangulation().triangles.length / 3;
    for (const g of panels) {
      const paths = all(byClass(g, 'triangles')[0] as El, (e) => e.name === 'path');
      expect(paths.reduce((s, p) => s + subpaths(p.attrs.d), 0)).toBe(nTri);
      expect(byClass(g, 'point')).toHaveLength(l.npoints);
      expect(byClass(g, 'colorbar')).toHaveLength(1);
    }
    // The triangles at the point with one sample (error Infinity) are grey, the means not.
    expect(byClass(panels[0] as El, 'nan')).toHaveLength(0);
    expect(byClass(panels[1] as El, 'nan')).toHaveLength(1);
    expect(byClass(doc, 'title').map((t) => t.text)).toEqual([
      'x·y + noise',
      '± error of the mean',
    ]);
    expect(numbersAreClean(svg)).toBe(true);
    expect(plotAverage2D(noisyLearner(400))).toBe(plotAverage2D(noisyLearner(400)));
    const byN = parseSvg(plotAverage2D(l, { uncertainty: 'n' }));
    expect(byClass(byClass(byN, 'uncertainty')[0] as El, 'nan')).toHaveLength(0);
    expect(byClass(byN, 'title').map((t) => t.text)).toEqual(['mean', 'samples']);
  });

  it('rejects bad options and sources with clear errors', () => {
    const l = noisyLearner(50);
    expect(() => plotAverage2D(l, { uncertainty: 'std' as never })).toThrow(
      /plotAverage2D: uncertainty must be 'error' or 'n', got std/,
    );
    expect(() => plotAverage2D(l, { colour: 'red' } as never)).toThrow(/unknown option 'colour'/);
    expect(() => plotAverage2D({} as never)).toThrow(/expected a noisy 2-D learner/);
  });
});
