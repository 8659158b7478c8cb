// Sampling quality against python-adaptive's recorded run of the ring function
// (../shared/reference/learner2d_ring.json: python-adaptive 1.5.2, default loss, serial
// ask(1)/tell; errors of the linear interpolant of all data on a 200×200 grid, endpoints
// included).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Learner2D, type Point2D } from '../../src/learners/learner2d.js';
import { loadReference } from '../fixtures/reference.js';

interface RingReference {
  function: string;
  bounds: [[number, number], [number, number]];
  procedure: string;
  eval_grid: { x: [number, number, number]; y: [number, number, number] };
  points: [number, number][];
  loss_after_tell: number[];
  errors: { N: number; adaptive_L2_rms: number; adaptive_Linf: number }[];
}

const ref = loadReference<RingReference>('learner2d_ring.json');
const f = ([x, y]: Point2D): number =>
  x + Math.exp(-((x ** 2 + y ** 2 - 0.75 ** 2) ** 2) / 0.2 ** 4);

/** RMS and max |interpolant − f| on the reference grid (numpy.linspace axes, 'ij'). */
function gridErrors(l: Learner2D): { rms: number; max: number; nan: number } {
  return gridErrorsOf(l, f);
}

/** RMS and max |interpolant − g| on the reference grid. */
function gridErrorsOf(
  l: Learner2D,
  g: (p: Point2D) => number,
): { rms: number; max: number; nan: number } {
  const [x0, x1, nx] = ref.eval_grid.x;
  const [y0, y1, ny] = ref.eval_grid.y;
  expect([x0, x1, y0, y1]).toEqual([-1, 1, -1, 1]);
  const grid = l.interpolateOnGrid({ nx, ny });
  let s = 0;
  let max = 0;
  let nan = 0;
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < ny; j++) {
      const v = grid.values[i * ny + j] as number;
      if (Number.isNaN(v)) nan++;
      const e = Math.abs(v - g([grid.x[i] as number, grid.y[j] as number]));
      s += e * e;
      if (e > max) max = e;
    }
  }
  return { rms: Math.sqrt(s / (nx * ny)), max, nan };
}

describe('Learner2D on python-adaptive’s ring (learner2d_ring.json)', () => {
  const at = new Map<number, { rms: number; max: number; nan: number }>();
  let learner: Learner2D;

  beforeAll(() => {
    expect(ref.function).toContain('0.75**2');
    expect(ref.function).toContain('0.2**4');
    learner = new Learner2D({ bounds: ref.bounds });
    for (let n = 1; n <= 3000; n++) {
      const p = learner.ask(1).points[0] as Point2D;
      learner.tell(p, f(p));
      if (n === 1000 || n === 3000) at.set(n, gridErrors(learner));
    }
  });

  it('asks the corners first, in python-adaptive’s order, and has its loss after them', () => {
    const l = new Learner2D({ bounds: ref.bounds });
    for (let i = 0; i < 4; i++) {
      const p = l.ask(1).points[0] as Point2D;
      expect(p).toEqual(ref.points[i]);
      l.tell(p, f(p));
      if (i < 3) expect(l.loss()).toBe(ref.loss_after_tell[i]);
    }
    // Two triangles of area 0.5 with nearly linear data: 0.3 · 0.5 plus a tiny deviation.
    expect(l.loss()).toBeCloseTo(ref.loss_after_tell[3] as number, 5);
  });

  it('N = 1000: RMS and max error no worse than python-adaptive’s (0.0353, 0.367)', () => {
    const py = ref.errors.find((e) => e.N === 1000)!;
    const ours = at.get(1000)!;
    expect(ours.nan).toBe(0);
    expect(ours.rms).toBeLessThanOrEqual(py.adaptive_L2_rms);
    expect(ours.max).toBeLessThanOrEqual(py.adaptive_Linf);
  });

  it('N = 3000: RMS and max error no worse than python-adaptive’s (0.0073, 0.0724)', () => {
    const py = ref.errors.find((e) => e.N === 3000)!;
    const ours = at.get(3000)!;
    expect(ours.nan).toBe(0);
    // Measured: 0.0067 and 0.0671 (0.92× and 0.93×). Without the sweep's curvature correction
    // the largest error was 0.0771 (1.06×); see the radii below for how much one checkpoint says.
    expect(ours.rms).toBeLessThanOrEqual(py.adaptive_L2_rms);
    expect(ours.max).toBeLessThanOrEqual(py.adaptive_Linf);
  });

  it('the learner stays valid', () => {
    learner.checkValid();
  });
});

// The same comparison over five ring radii and every 250 points from 1000 to 3000, against
// python-adaptive's algorithm run here (test/fixtures/learner2d-ring-radii.json, with its
// provenance). The largest error at one N is a step function of the run (it drops when the
// worst triangle on the crest is split), so one checkpoint says little; the geometric mean of
// the ratios over 5 radii × 9 checkpoints says how the two samplers compare.
interface RadiiReference {
  radii: { radius: number; errors: { N: number; rms: number; max: number }[] }[];
}

describe('Learner2D against python-adaptive over ring radii 0.45–0.85', () => {
  const radiiRef = JSON.parse(
    readFileSync(new URL('../fixtures/learner2d-ring-radii.json', import.meta.url), 'utf8'),
  ) as RadiiReference;
  const ratios: { radius: number; N: number; rms: number; max: number }[] = [];

  beforeAll(() => {
    for (const { radius, errors } of radiiRef.radii) {
      const g = ([x, y]: Point2D): number =>
        x + Math.exp(-((x ** 2 + y ** 2 - radius ** 2) ** 2) / 0.2 ** 4);
      const l = new Learner2D({
        bounds: [
          [-1, 1],
          [-1, 1],
        ],
      });
      for (let n = 1; n <= 3000; n++) {
        const p = l.ask(1).points[0] as Point2D;
        l.tell(p, g(p));
        const py = errors.find((e) => e.N === n);
        if (py === undefined || n < 1000) continue;
        const ours = gridErrorsOf(l, g);
        expect(ours.nan).toBe(0);
        ratios.push({ radius, N: n, rms: ours.rms / py.rms, max: ours.max / py.max });
      }
    }
  });

  const geomean = (xs: number[]): number =>
    Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

  it('covers 5 radii × 9 checkpoints', () => {
    expect(ratios).toHaveLength(45);
  });

  it('is better on average: geometric mean of ours / python ≤ 0.93 for the RMS and the max error', () => {
    // Measured: 0.922 (RMS) and 0.901 (max). The estimate without the sweep's curvature
    // correction gave 0.943 and 0.939, so this fails if the correction is lost.
    expect(geomean(ratios.map((r) => r.rms))).toBeLessThanOrEqual(0.93);
    expect(geomean(ratios.map((r) => r.max))).toBeLessThanOrEqual(0.93);
  });

  it('the RMS error is below python-adaptive’s at every radius and checkpoint', () => {
    // Measured: 0.81–0.99×.
    for (const r of ratios) expect(r.rms, `radius ${r.radius}, N = ${r.N}`).toBeLessThan(1);
  });

  it('the largest error is within 10 % of python-adaptive’s at every radius and checkpoint', () => {
    // Measured: 0.76–1.09×, above 1 at 7 of the 45 (it drops in steps, whenever the worst
    // triangle on the crest is split, so single checkpoints scatter around the mean).
    for (const r of ratios)
      expect(r.max, `radius ${r.radius}, N = ${r.N}`).toBeLessThanOrEqual(1.1);
  });
});
