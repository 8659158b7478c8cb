/**
 * SparseGridLearner in 8 and 10 dimensions: sample exp(−|x|²) on [−1, 1]⁸, compare its
 * interpolant with the nearest neighbour of as many random points, find the two variables
 * that matter in a 10-D function, and draw a slice.
 *
 *   npx tsx examples/sparse-grid.ts [N]      (default N = 5000; pictures in ./out or $OUT_DIR)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSync, SparseGridLearner } from 'adaptive-sampling';
import { plotSlice } from 'adaptive-sampling/plot';

const N = Number(process.argv[2] ?? 5000);
const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });

// 1. A smooth 8-D function.
const gauss = (x: number[]): number => Math.exp(-x.reduce((s, v) => s + v * v, 0));
const box = (d: number): number[][] => Array.from({ length: d }, () => [-1, 1]);
const sg = new SparseGridLearner({ bounds: box(8) });
const t0 = performance.now();
runSync(sg, gauss, { npointsGoal: N });
const ms = performance.now() - t0;
console.log(`8-D: ${sg.npoints} points, loss ${sg.loss().toPrecision(3)}, in ${ms.toFixed(0)} ms`);

// RMS error on random points, against the nearest neighbour of N uniform random points.
let seed = 1;
const random = (): number => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return 2 * (seed / 4294967296) - 1;
};
const draw = (): number[] => Array.from({ length: 8 }, random);
const data = Array.from({ length: sg.npoints }, draw);
const test = Array.from({ length: 500 }, draw);
let eSG = 0;
let eNN = 0;
for (const q of test) {
  const y = gauss(q);
  eSG += ((sg.interpolate(q) as number) - y) ** 2;
  let best = Number.POSITIVE_INFINITY;
  let near: number[] = q;
  for (const p of data) {
    let s = 0;
    for (let t = 0; t < 8; t++) s += ((p[t] as number) - (q[t] as number)) ** 2;
    if (s < best) [best, near] = [s, p];
  }
  eNN += (gauss(near) - y) ** 2;
}
const rms = (e: number): string => Math.sqrt(e / test.length).toPrecision(3);
console.log(`RMS error: sparse grid ${rms(eSG)}, nearest neighbour of random points ${rms(eNN)}`);

// 2. A function of x0 and x1 only, in 10 dimensions.
const plane = new SparseGridLearner({ bounds: box(10) });
runSync(plane, (x) => Math.tanh(5 * ((x[0] as number) - (x[1] as number) ** 2)), {
  npointsGoal: Math.min(N, 2000),
});
const off = plane.toRecords().filter(({ x }) => x.slice(2).some((v) => v !== 0)).length;
console.log(`10-D: ${plane.npoints} points, ${off} of them off the (x0, x1) plane`);

// 3. A slice through the 8-D learner (x0, x1 free, the rest at 0).
const file = join(outDir, 'sparse-grid-slice.svg');
writeFileSync(file, plotSlice(sg, { title: 'exp(-|x|²) in 8-D, slice x2…x7 = 0' }));
console.log(`→ ${file}`);
