/**
 * Isolines (contour lines) of gridded values, by d3-contour's marching squares with linear
 * interpolation, drawn as open SVG paths (the rings d3-contour closes along the grid's
 * border are cut there, so only the level lines remain). Deterministic.
 */

import { contours } from 'd3-contour';
import { niceTicks } from './scale.js';
import { attrs, num1 } from './svg.js';

/**
 * Nice levels strictly inside (lo, hi): about `count` of them, or the given ones inside.
 * @example
 * isoLevels(0, 1, 4); // [0.2, 0.4, 0.6, 0.8]
 */
export function isoLevels(lo: number, hi: number, spec: number | readonly number[]): number[] {
  if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (typeof spec !== 'number') return spec.filter((v) => v > lo && v < hi);
  if (spec <= 0) return [];
  return niceTicks(lo, hi, spec).values.filter((v) => v > lo && v < hi);
}

/**
 * Checks the `isolines` option: a number of levels (0: none) or a list of levels.
 * @example
 * checkIsolines('plot2D', 8); // 8
 */
export function checkIsolines(where: string, v: unknown): number | readonly number[] {
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return v as number[];
  }
  throw new RangeError(
    `${where}: isolines must be a number of levels in [0, 100] or a list of finite levels, got ${String(v)}`,
  );
}

/**
 * The isolines of `values` (a `nx × ny` grid, x fastest: `values[j * nx + i]`), one path per
 * level; `toPx(i, j)` places the grid point (i, j) (fractional between points). Non-finite
 * values count as below every level. O(nx · ny · levels).
 *
 * @example
 * renderIsolines(grid, 100, 100, [0.5], (i, j) => [sx(x0 + i * dx), sy(y0 + j * dy)]);
 */
export function renderIsolines(
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  levels: readonly number[],
  toPx: (i: number, j: number) => readonly [number, number],
): string {
  if (levels.length === 0 || nx < 2 || ny < 2) return '';
  const gen = contours().size([nx, ny]).thresholds(levels.slice());
  // d3-contour puts value i at i + 0.5 and closes rings on the border x = 0, nx (y = 0, ny).
  const place = (p: number[]): readonly [number, number] =>
    toPx(
      Math.min(nx - 1, Math.max(0, (p[0] as number) - 0.5)),
      Math.min(ny - 1, Math.max(0, (p[1] as number) - 0.5)),
    );
  // Points on the padding's edge (x = 0 or nx, y = 0 or ny) only close the rings, and so do
  // pieces along the outermost rows and columns of values.
  const edge = (p: number[]): boolean => p[0] === 0 || p[0] === nx || p[1] === 0 || p[1] === ny;
  const lo = (a: number): boolean => a <= 0.5;
  const hiX = (a: number): boolean => a >= nx - 0.5;
  const hiY = (a: number): boolean => a >= ny - 0.5;
  const border = (p: number[], q: number[]): boolean => {
    const px = p[0] as number;
    const py = p[1] as number;
    const qx = q[0] as number;
    const qy = q[1] as number;
    return (
      edge(p) ||
      edge(q) ||
      (lo(px) && lo(qx)) ||
      (hiX(px) && hiX(qx)) ||
      (lo(py) && lo(qy)) ||
      (hiY(py) && hiY(qy))
    );
  };
  let out = `<g class="isolines"${attrs({ fill: 'none', stroke: '#ffffff', 'stroke-opacity': '0.8', 'stroke-width': 0.9 })}>`;
  for (const c of gen(Array.from(values))) {
    let d = '';
    for (const polygon of c.coordinates) {
      for (const ring of polygon) {
        let pen = false;
        for (let i = 1; i < ring.length; i++) {
          const p = ring[i - 1] as number[];
          const q = ring[i] as number[];
          if (border(p, q)) {
            pen = false;
            continue;
          }
          if (!pen) {
            const [ax, ay] = place(p);
            d += `M${num1(ax)} ${num1(ay)}`;
            pen = true;
          }
          const [bx, by] = place(q);
          d += `L${num1(bx)} ${num1(by)}`;
        }
      }
    }
    if (d !== '') out += `<path class="isoline"${attrs({ 'data-level': String(c.value), d })}/>`;
  }
  return `${out}</g>\n`;
}

/**
 * Samples a triangle mesh on an `nx × ny` grid over `[x0, x1] × [y0, y1]` by linear
 * interpolation in each triangle (x fastest); points outside every triangle are NaN.
 * O(nx · ny + triangles).
 *
 * @example
 * const g = gridFromMesh(mesh.x, mesh.y, mesh.v, mesh.triangles, [-1, 1], [-1, 1], 100, 100);
 */
export function gridFromMesh(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  v: ArrayLike<number>,
  triangles: ArrayLike<number>,
  [x0, x1]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  nx: number,
  ny: number,
): Float64Array {
  const g = new Float64Array(nx * ny).fill(Number.NaN);
  const hx = (x1 - x0) / (nx - 1);
  const hy = (y1 - y0) / (ny - 1);
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    const a = triangles[t] as number;
    const b = triangles[t + 1] as number;
    const c = triangles[t + 2] as number;
    const ax = x[a] as number;
    const ay = y[a] as number;
    const bx = x[b] as number;
    const by = y[b] as number;
    const cx = x[c] as number;
    const cy = y[c] as number;
    const det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
    if (det === 0 || !Number.isFinite(det)) continue;
    const i0 = Math.max(0, Math.ceil((Math.min(ax, bx, cx) - x0) / hx - 1e-9));
    const i1 = Math.min(nx - 1, Math.floor((Math.max(ax, bx, cx) - x0) / hx + 1e-9));
    const j0 = Math.max(0, Math.ceil((Math.min(ay, by, cy) - y0) / hy - 1e-9));
    const j1 = Math.min(ny - 1, Math.floor((Math.max(ay, by, cy) - y0) / hy + 1e-9));
    const va = v[a] as number;
    const vb = v[b] as number;
    const vc = v[c] as number;
    for (let j = j0; j <= j1; j++) {
      const py = y0 + j * hy;
      for (let i = i0; i <= i1; i++) {
        const px = x0 + i * hx;
        const l1 = ((by - cy) * (px - cx) + (cx - bx) * (py - cy)) / det;
        const l2 = ((cy - ay) * (px - cx) + (ax - cx) * (py - cy)) / det;
        const l3 = 1 - l1 - l2;
        // A point on a shared edge takes the first triangle's value (the same value).
        if (l1 < -1e-9 || l2 < -1e-9 || l3 < -1e-9) continue;
        const k = j * nx + i;
        if (Number.isNaN(g[k] as number)) g[k] = l1 * va + l2 * vb + l3 * vc;
      }
    }
  }
  return g;
}
