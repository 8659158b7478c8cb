/**
 * The demo (`npm run demo`): samples three functions adaptively on a pool of worker threads,
 * draws them into ./out, and compares with uniform sampling at the same number of points.
 *
 * - the peak x + a²/(a² + x²), a = 0.01, with Learner1D;
 * - the ring x + exp(−(x² + y² − 0.75²)² / 0.2⁴) with Learner2D;
 * - a noisy peak (uniform noise ±0.1) with AverageLearner1D, which decides both where to
 *   sample and how often to repeat a measurement.
 *
 *   npm run build && npx tsx examples/demo.ts [--quick] [--out DIR] [--deterministic] [--threads N]
 *
 * `--deterministic` runs everything in this thread in a fixed order (`runSync`), so the
 * pictures are the same bytes every time (scripts/readme-figures.sh uses it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AverageLearner1D,
  type Learner,
  Learner1D,
  Learner2D,
  run,
  runSync,
  WorkerPoolMaster,
} from 'adaptive-sampling';
import { lastTold, plot1D, plot2D, plotLoss, recordLoss } from 'adaptive-sampling/plot';
import * as F from './functions.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    out: { type: 'string' },
    deterministic: { type: 'boolean' },
    threads: { type: 'string' },
  },
});
const quick = args.quick === true;
const deterministic = args.deterministic === true;
const outDir = args.out ?? 'out';
const threads = Number(args.threads ?? Math.max(2, availableParallelism()));
mkdirSync(outDir, { recursive: true });
const written: string[] = [];
const save = (name: string, svg: string): void => {
  writeFileSync(join(outDir, name), svg);
  written.push(join(outDir, name));
};

/**
 * Samples `learner` with `fn` (an export of functions.ts) to a goal: on a worker pool with
 * `concurrency` points in flight, or in this thread in a fixed order with --deterministic.
 *
 * Why cap the points in flight: for a cheap function the pool would take hundreds at once
 * (large batches keep its threads busy), and with a few thousand points in all the learner
 * would then place many of them before it knows where the function is interesting.
 */
async function sample<P, V>(
  learner: Learner<P, V>,
  fn: 'peak' | 'ring' | 'noisy',
  goals: { lossGoal?: number; goal?: (l: Learner<P, V>) => boolean },
  concurrency = 32,
): Promise<{
  ms: number;
  log: { op: string; point?: unknown }[];
  history: { npoints: number; loss: number }[];
}> {
  const rec = recordLoss();
  const t0 = performance.now();
  if (deterministic) {
    const f = { peak: F.peak, ring: F.ring, noisy: F.noisy }[fn] as unknown as (p: P) => V;
    const summary = runSync(learner, f, {
      ...goals,
      // Called after every tell: record the loss, then apply the caller's goal.
      goal: (l) => {
        rec.onProgress({ npoints: l.npoints, loss: l.loss() });
        return goals.goal?.(l) ?? false;
      },
      log: true,
    });
    return { ms: performance.now() - t0, log: summary.log ?? [], history: rec.history };
  }
  const pool = new WorkerPoolMaster<P, V>({
    module: new URL('./functions.ts', import.meta.url),
    exportName: fn,
    threads,
  });
  try {
    const summary = await run(learner, pool, {
      ...goals,
      log: true,
      onProgress: rec.onProgress,
      progressIntervalMs: 10,
      concurrency,
    });
    return { ms: performance.now() - t0, log: summary.log ?? [], history: rec.history };
  } finally {
    await pool.close();
  }
}

const linspace = (a: number, b: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + ((b - a) * i) / (n - 1)));

/** Max and mean |error| of an interpolant on a fine grid. */
function errors(
  values: ArrayLike<number>,
  exact: ArrayLike<number>,
): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const e = Math.abs((values[i] as number) - (exact[i] as number));
    max = Math.max(max, e);
    sum += e;
  }
  return { max, mean: sum / values.length };
}

const rows: {
  name: string;
  points: string;
  adaptive: { max: number; mean: number };
  uniform: { max: number; mean: number };
}[] = [];
console.log(
  deterministic
    ? 'Sampling in this thread, in a fixed order (--deterministic).\n'
    : `Sampling on a pool of ${threads} worker threads; each evaluation costs ${process.env.DEMO_COST_US ?? 50} µs of CPU.\n`,
);

// ---------------------------------------------------------------- 1. the peak (Learner1D)
{
  const learner = new Learner1D({ bounds: [-1, 1] });
  const { ms, log, history } = await sample(learner, 'peak', { lossGoal: quick ? 0.02 : 0.005 });
  const n = learner.npoints;
  console.log(
    `peak:  ${n} points in ${ms.toFixed(0)} ms (Learner1D, loss goal ${quick ? 0.02 : 0.005})`,
  );
  const grid = linspace(-1, 1, 20001);
  const exact = grid.map(F.peakExact);
  const uniform = new Learner1D({ bounds: [-1, 1] });
  const ux = linspace(-1, 1, n);
  uniform.tellMany(ux, ux.map(F.peakExact));
  rows.push({
    name: 'peak   Learner1D',
    points: String(n),
    adaptive: errors(learner.interpolate(grid) as number[], exact),
    uniform: errors(uniform.interpolate(grid) as number[], exact),
  });
  save(
    'peak.svg',
    plot1D(learner, {
      title: `The peak: ${n} points, the latest 10 ringed`,
      xLabel: 'x',
      yLabel: 'x + a²/(a² + x²)',
      latest: lastTold(log, 10),
      reference: F.peakExact,
      referenceSamples: 2000,
    }),
  );
  if (history.length > 1)
    save('peak-loss.svg', plotLoss(history, { title: 'The peak: loss against points' }));

  // Error against points, adaptive and uniform: runSync grows one learner step by step.
  const adaptiveErr: { npoints: number; loss: number }[] = [];
  const uniformErr: { npoints: number; loss: number }[] = [];
  const grown = new Learner1D({ bounds: [-1, 1] });
  for (let m = 16; m <= (quick ? 256 : 4096); m *= 2) {
    runSync(grown, F.peakExact, { npointsGoal: m });
    adaptiveErr.push({ npoints: m, loss: errors(grown.interpolate(grid) as number[], exact).max });
    const u = new Learner1D({ bounds: [-1, 1] });
    const xs = linspace(-1, 1, m);
    u.tellMany(xs, xs.map(F.peakExact));
    uniformErr.push({ npoints: m, loss: errors(u.interpolate(grid) as number[], exact).max });
  }
  save(
    'peak-error.svg',
    plotLoss(
      { adaptive: adaptiveErr, uniform: uniformErr },
      { title: 'The peak: error against points', yLabel: 'max |error|', logX: true },
    ),
  );
}

// ---------------------------------------------------------------- 2. the ring (Learner2D)
{
  const learner = new Learner2D({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
  });
  const goal = quick ? 1500 : 2000;
  const { ms } = await sample(learner, 'ring', { goal: (l) => l.npoints >= goal });
  const n = learner.npoints;
  console.log(`ring:  ${n} points in ${ms.toFixed(0)} ms (Learner2D, ${goal} points)`);
  // Uniform: the k × k grid closest to n points, interpolated the same way (linear on triangles).
  const k = Math.round(Math.sqrt(n));
  const uniform = new Learner2D({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
  });
  const g = linspace(-1, 1, k);
  const pts = g.flatMap((x) => g.map((y) => [x, y] as [number, number]));
  uniform.tellMany(pts, pts.map(F.ringExact));
  const fine = { nx: 201, ny: 201 };
  const a = learner.interpolateOnGrid(fine);
  const u = uniform.interpolateOnGrid(fine);
  const exact = new Float64Array(fine.nx * fine.ny);
  for (let i = 0; i < fine.nx; i++) {
    for (let j = 0; j < fine.ny; j++)
      exact[i * fine.ny + j] = F.ringExact([a.x[i] as number, a.y[j] as number]);
  }
  rows.push({
    name: 'ring   Learner2D',
    points: `${n} / ${k * k}`,
    adaptive: errors(a.values, exact),
    uniform: errors(u.values, exact),
  });
  save(
    'ring.svg',
    plot2D(learner, {
      title: `The ring: ${n} points`,
      xLabel: 'x',
      yLabel: 'y',
      colorLabel: 'f(x, y)',
    }),
  );
  save(
    'ring-uniform.svg',
    plot2D(uniform, {
      title: `Uniform grid: ${k * k} points`,
      xLabel: 'x',
      yLabel: 'y',
      colorLabel: 'f(x, y)',
    }),
  );
}

// ---------------------------------------------------------------- 3. a noisy function (AverageLearner1D)
{
  const learner = new AverageLearner1D({ bounds: [-1, 1], minSamples: 20 });
  const samples = quick ? 3000 : 30_000;
  const { ms } = await sample(learner, 'noisy', { goal: () => learner.nsamples >= samples });
  const n = learner.npoints;
  console.log(
    `noisy: ${n} points, ${learner.nsamples} samples in ${ms.toFixed(0)} ms (AverageLearner1D, ${samples} samples)`,
  );
  // Uniform: n evenly spaced x with the same number of samples each, as many samples in all.
  const each = Math.max(1, Math.round(learner.nsamples / n));
  const ux = linspace(-1, 1, n);
  const uniform = new Learner1D({ bounds: [-1, 1] });
  uniform.tellMany(
    ux,
    ux.map((x) => {
      let s = 0;
      for (let seed = 0; seed < each; seed++) s += F.noisyExact(x) + F.NOISE * F.hashNoise(seed, x);
      return s / each;
    }),
  );
  const grid = linspace(-1, 1, 4001);
  const exact = grid.map(F.noisyExact);
  rows.push({
    name: 'noisy  AverageLearner1D',
    points: `${n} × ~${each}`,
    adaptive: errors(learner.interpolate(grid), exact),
    uniform: errors(uniform.interpolate(grid) as number[], exact),
  });
  save(
    'noisy.svg',
    plot1D(learner, {
      title: `A noisy function: ${n} points, ${learner.nsamples} samples`,
      xLabel: 'x',
      yLabel: 'mean ± error',
      reference: F.noisyExact,
    }),
  );
}

// ---------------------------------------------------------------- the table
const e = (x: number): string => x.toExponential(1).padStart(9);
console.log(
  `\n  ${'function'.padEnd(24)} ${'points'.padStart(12)}   ${'max |error|'.padEnd(31)}mean |error|`,
);
console.log(
  `  ${''.padEnd(24)} ${''.padStart(12)}   ${'adaptive  uniform    ratio'.padEnd(31)}adaptive  uniform    ratio`,
);
for (const r of rows) {
  const ratio = (a: number, u: number): string =>
    `${(u / a).toFixed(u / a < 10 ? 1 : 0)}×`.padStart(8);
  console.log(
    `  ${r.name.padEnd(24)} ${r.points.padStart(12)}   ${e(r.adaptive.max)}${e(r.uniform.max)}${ratio(r.adaptive.max, r.uniform.max)}    ` +
      `${e(r.adaptive.mean)}${e(r.uniform.mean)}${ratio(r.adaptive.mean, r.uniform.mean)}`,
  );
}
console.log(
  `\n  (ratio: uniform error / adaptive error at the same number of points; above 1× adaptive wins)`,
);
console.log(`\nPictures: ${written.join(', ')}`);
