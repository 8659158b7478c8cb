/**
 * The lattice of a 2-D learner on integers (`integer: [bool, bool]`), drawn under the points
 * of {@link plot2D}: with both dimensions integer a small ring at every lattice site (the
 * sites not yet evaluated show as rings, the evaluated ones are covered by their points);
 * with one, a thin line along each integer x (or y). Nothing when the sites or lines are too
 * many to tell apart.
 */
import type { Scale } from './scale.js';
import { attrs, num1 } from './svg.js';

/** The most rings drawn (a 200 × 200 lattice), and the most lines. */
const MAX_SITES = 40_000;
const MAX_LINES = 400;

/** Throws unless `lattice` is undefined or [bool, bool]. */
export function checkLatticeOption(where: string, lattice: unknown): void {
  if (lattice === undefined) return;
  if (
    !Array.isArray(lattice) ||
    lattice.length !== 2 ||
    typeof lattice[0] !== 'boolean' ||
    typeof lattice[1] !== 'boolean'
  ) {
    throw new TypeError(
      `${where}: lattice must be [boolean, boolean] (the learner's integer option), got ${String(lattice)}`,
    );
  }
}

/**
 * The SVG of the lattice in bounds [[x0, x1], [y0, y1]] through the scales sx, sy; '' when
 * no dimension is integer or there are too many sites to draw. O(sites).
 * @example renderLattice([true, true], [[0, 8], [0, 8]], sx, sy, 1.3); // 81 rings
 */
export function renderLattice(
  lattice: readonly [boolean, boolean],
  bounds: readonly (readonly number[])[],
  sx: Scale,
  sy: Scale,
  r: number,
): string {
  const [[x0, x1], [y0, y1]] = bounds as [[number, number], [number, number]];
  const xs = lattice[0] ? Math.floor(x1) - Math.ceil(x0) + 1 : 0;
  const ys = lattice[1] ? Math.floor(y1) - Math.ceil(y0) + 1 : 0;
  if (lattice[0] && lattice[1]) {
    if (xs * ys > MAX_SITES) return '';
    let g = `<g class="lattice"${attrs({ fill: 'none', stroke: '#888888', 'stroke-width': 0.6 })}>`;
    for (let i = Math.ceil(x0); i <= x1; i++) {
      for (let j = Math.ceil(y0); j <= y1; j++) {
        g += `<circle${attrs({ cx: num1(sx(i)), cy: num1(sy(j)), r: r + 0.4 })}/>`;
      }
    }
    return `${g}</g>\n`;
  }
  const n = lattice[0] ? xs : ys;
  if (n === 0 || n > MAX_LINES) return '';
  let d = '';
  if (lattice[0]) {
    for (let i = Math.ceil(x0); i <= x1; i++) {
      d += `M${num1(sx(i))} ${num1(sy(y0))}V${num1(sy(y1))}`;
    }
  } else {
    for (let j = Math.ceil(y0); j <= y1; j++) {
      d += `M${num1(sx(x0))} ${num1(sy(j))}H${num1(sx(x1))}`;
    }
  }
  return `<path class="lattice"${attrs({ d, fill: 'none', stroke: '#ffffff', 'stroke-opacity': '0.35', 'stroke-width': 0.5 })}/>\n`;
}
