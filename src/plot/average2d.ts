/**
 * plotAverage2D: the means of a noisy 2-D learner beside their uncertainty, two heat maps on
 * the same triangulation.
 */

import { type Plot2DOptions, type Plot2DSource, render2D, type TriangleMesh } from './plot2d.js';
import { COMMON_KEYS, checkKeys, checkSize, styleOf, svgRoot } from './svg.js';

/**
 * What {@link plotAverage2D} reads: the bounds, the triangulation with the means as values,
 * and the per-point sample counts and errors sorted as the triangulation's points (by x,
 * then y). `AverageLearner2D` fits.
 * @example
 * const source: PlotAverage2DSource = averageLearner2d;
 */
export interface PlotAverage2DSource {
  readonly bounds: readonly (readonly number[])[];
  triangulation(): TriangleMesh;
  toArrays(): {
    x: ArrayLike<number>;
    y: ArrayLike<number>;
    n: ArrayLike<number>;
    error: ArrayLike<number>;
  };
}

/**
 * Options of {@link plotAverage2D}: those of `plot2D` (for both panels; `title`,
 * `colorDomain`, `colorLabel` and `isolines` for the means) and what the right panel shows.
 * @example
 * { uncertainty: 'n', title: 'noisy ring' }
 */
export interface PlotAverage2DOptions extends Plot2DOptions {
  /**
   * The right panel: `'error'` (default), the half-width of the confidence interval of each
   * mean (Infinity, with fewer than 2 finite samples, is grey), or `'n'`, the samples.
   */
  uncertainty?: 'error' | 'n' | undefined;
}

const OPTION_KEYS = [
  ...COMMON_KEYS,
  'colorMap',
  'colorDomain',
  'colorLabel',
  'component',
  'points',
  'pointRadius',
  'pending',
  'mesh',
  'equalAspect',
  'levels',
  'isolines',
  'uncertainty',
];

/**
 * An SVG of a noisy 2-D learner: on the left the triangles coloured by the means (as
 * `plot2D`), on the right the same triangles coloured by the error of the means (or by the
 * number of samples), each with its colour bar and the points on top. Deterministic.
 * O(n + triangles).
 *
 * @example
 * const learner = new AverageLearner2D({ bounds: [[-1, 1], [-1, 1]] });
 * runSync(learner, ([seed, [x, y]]) => x * y + noise(seed), { npointsGoal: 200 });
 * writeFileSync('means.svg', plotAverage2D(learner, { title: 'x·y + noise' }));
 */
export function plotAverage2D(
  source: PlotAverage2DSource,
  options: PlotAverage2DOptions = {},
): string {
  const where = 'plotAverage2D';
  checkKeys(where, options, OPTION_KEYS);
  const width = checkSize(where, 'width', options.width, 960);
  const height = checkSize(where, 'height', options.height, 440);
  const which = options.uncertainty ?? 'error';
  if (which !== 'error' && which !== 'n') {
    throw new TypeError(`${where}: uncertainty must be 'error' or 'n', got ${String(which)}`);
  }
  if (source === null || typeof source !== 'object' || typeof source.toArrays !== 'function') {
    throw new TypeError(
      `${where}: expected a noisy 2-D learner (with bounds, triangulation() and toArrays()), e.g. an AverageLearner2D`,
    );
  }
  const style = styleOf(options);
  const mesh = source.triangulation();
  const a = source.toArrays();
  // The triangulation lists its points as toArrays does (sorted by x, then y).
  const u = which === 'error' ? a.error : a.n;
  if (a.x.length !== mesh.x.length) {
    throw new RangeError(
      `${where}: toArrays() has ${a.x.length} points, triangulation() ${mesh.x.length}`,
    );
  }
  const values = new Float64Array(mesh.x.length);
  for (let i = 0; i < values.length; i++) {
    if (a.x[i] !== mesh.x[i] || a.y[i] !== mesh.y[i]) {
      throw new RangeError(
        `${where}: toArrays() and triangulation() list their points in different orders (at ${i})`,
      );
    }
    values[i] = u[i] as number;
  }
  const uncertain: Plot2DSource = {
    bounds: source.bounds,
    triangulation: () => ({ ...mesh, values, vdim: 1 }),
  };
  const w = Math.floor(width / 2);
  const panel = { ...options, uncertainty: undefined };
  const left = render2D(
    where,
    { bounds: source.bounds, triangulation: () => mesh },
    { ...panel, title: options.title ?? 'mean' },
    w,
    height,
    style,
  );
  const right = render2D(
    where,
    uncertain,
    {
      ...panel,
      title: which === 'error' ? '± error of the mean' : 'samples',
      colorDomain: undefined,
      colorLabel: undefined,
      colorMap: options.colorMap ?? 'magma',
      isolines: undefined,
    },
    w,
    height,
    style,
  );
  let body = `<g class="means">\n${left}</g>\n`;
  body += `<g class="uncertainty" transform="translate(${w} 0)">\n${right}</g>\n`;
  return svgRoot(width, height, style, body);
}
