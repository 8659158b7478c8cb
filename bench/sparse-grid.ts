/**
 * SparseGridLearner: µs per point of full serial ask(1)/tell loops for d = 2…10 at 10³ and
 * 10⁴ points, bytes per point, and the quality checks of issue 20:
 * - exp(−|x|²) on [−1, 1]⁸: the interpolant's RMS error on 2000 random points against the
 *   nearest-neighbour interpolant of as many uniform random points (target: below half), with
 *   the default anchor ('auto': quarter points here) and the centred grid,
 *   and for the regular (non-adaptive) centred grids of levels 3 to 6 (161 to 31 745 points);
 * - the same with the L2 weight |surplus|·√volume (the default loss before issue 20's change);
 * - families of 8-D functions, 8 random draws each (seeded), the geometric mean of the RMS
 *   error over the function's standard deviation, default loss against the L2 weight:
 *   Gaussians exp(−Σ (w_t (x_t − c_t))²), c_t ∈ [−1, 1], w_t ∈ [0.5, 2]; Genz's continuous
 *   exp(−Σ w_t |x_t − c_t|), w_t ∈ [0.3, 1]; oscillatory cos(2πu + Σ w_t x_t), w_t ∈ [0.5, 1.5];
 * - f(x₀, x₁) embedded in 10-D: the share of points off the (x₀, x₁) plane.
 *
 * The timed function is exp(−|x|²) on [−1, 1]ᵈ (every dimension matters, so the grid
 * spreads over all of them), and in 8-D also issue 20's shell, x₀ + exp(−(|x|² − 0.75²)²/0.2⁴)
 * (its first points see x₀ only; the grid stays nearly one-dimensional). Wall time and the
 * process's CPU time (user + system, which counts GC threads too) are both reported: on a
 * shared, loaded machine the CPU time is the steadier figure.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/sparse-grid.js`
 * (flags: `--timing` or `--quality` for one table only, `--json`).
 */
import {
  type SparseGridAnchor,
  SparseGridLearner,
  type SparseGridLoss,
  surplusNorm,
} from '../src/learners/sparse-grid/index.js';
import { fmt, fmtN, isMain, machineLine, printTable, rng, runChild } from './harness.js';

const A4 = 0.2 ** 4;

/** The L2 weight |surplus|·√volume: defaultLossSG before issue 20 (compared here). */
const l2Loss: SparseGridLoss = Object.defineProperty(
  (p: Parameters<SparseGridLoss>[0]) => surplusNorm(p.surplus) * Math.sqrt(p.volume),
  'lossName',
  { value: 'L2 weight |s|·√vol' },
) as SparseGridLoss;

/** Issue 20's shell: x₀ + exp(−(|x|² − 0.75²)²/0.2⁴). */
function shell(p: readonly number[]): number {
  let r2 = 0;
  for (const x of p) r2 += x * x;
  return (p[0] as number) + Math.exp(-((r2 - 0.5625) ** 2) / A4);
}

function gauss(p: readonly number[]): number {
  let r2 = 0;
  for (const x of p) r2 += x * x;
  return Math.exp(-r2);
}

function serial(l: SparseGridLearner, f: (p: number[]) => number, n: number): void {
  while (l.npoints < n) {
    const { points } = l.ask(1);
    if (points.length === 0) break;
    l.tell(points[0] as number[], f(points[0] as number[]));
  }
}

const box = (d: number): number[][] => Array.from({ length: d }, () => [-1, 1]);

/** One timing row. */
export interface SGTimingResult {
  fn: string;
  dim: number;
  N: number;
  usPerPointMin: number;
  cpuUsPerPointMin: number;
  gridPoints: number;
  bytesPerPoint: number | null;
  finalLoss: number;
  target: number | null;
  meetsTarget: boolean | null;
}

/** One quality row. */
export interface SGQualityResult {
  case: string;
  N: number;
  value: number;
  reference: number | null;
  target: string;
  meetsTarget: boolean | null;
}

function heap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function timing(
  fn: string,
  f: (p: number[]) => number,
  d: number,
  N: number,
  repeats: number,
): SGTimingResult {
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let last: SparseGridLearner | undefined;
  let bytes: number | null = null;
  for (let r = 0; r < repeats; r++) {
    const before = heap();
    const l = new SparseGridLearner({ bounds: box(d) });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    serial(l, f, N);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (ms < best) best = ms;
    if ((c.user + c.system) / 1000 < bestCpu) bestCpu = (c.user + c.system) / 1000;
    if (r === 0 && typeof (globalThis as { gc?: unknown }).gc === 'function') {
      bytes = (heap() - before) / N;
    }
    last = l;
  }
  const l = last as SparseGridLearner;
  const target = d === 8 ? 100 : null;
  return {
    fn,
    dim: d,
    N,
    usPerPointMin: (best * 1000) / N,
    cpuUsPerPointMin: (bestCpu * 1000) / N,
    gridPoints: l.gridSize,
    bytesPerPoint: bytes,
    finalLoss: l.loss(),
    target,
    meetsTarget: target === null ? null : (bestCpu * 1000) / N <= target,
  };
}

/**
 * RMS errors on 2000 random points of [−1, 1]⁸ (seeded) of `interp` and of the
 * nearest-neighbour interpolant of N uniform random points, both for exp(−|x|²).
 */
function rmsAgainstNN(interp: (q: number[]) => number, N: number): [number, number] {
  const d = 8;
  const r = rng(20);
  const draw = () => Array.from({ length: d }, () => 2 * r() - 1);
  const data = Array.from({ length: N }, draw);
  const fd = data.map(gauss);
  const test = Array.from({ length: 2000 }, draw);
  let eSG = 0;
  let eNN = 0;
  for (const q of test) {
    const y = gauss(q);
    eSG += (interp(q) - y) ** 2;
    let best = Number.POSITIVE_INFINITY;
    let near = 0;
    for (let i = 0; i < N; i++) {
      const p = data[i] as number[];
      let s = 0;
      for (let t = 0; t < d && s < best; t++) s += ((p[t] as number) - (q[t] as number)) ** 2;
      if (s < best) {
        best = s;
        near = i;
      }
    }
    eNN += ((fd[near] as number) - y) ** 2;
  }
  return [Math.sqrt(eSG / test.length), Math.sqrt(eNN / test.length)];
}

/**
 * RMS error of the sparse grid and of nearest neighbour on as many random points, 8-D, for
 * an anchor option (default 'auto') and a loss (default defaultLossSG).
 */
function quality8(N: number, anchor?: SparseGridAnchor, loss?: SparseGridLoss): SGQualityResult {
  const l = new SparseGridLearner({
    bounds: box(8),
    ...(anchor ? { anchor } : {}),
    ...(loss ? { loss } : {}),
  });
  serial(l, gauss, N);
  const [sg, nn] = rmsAgainstNN((q) => l.interpolate(q) as number, N);
  const how = [anchor ? `anchor ${anchor}` : '', loss ? (loss.lossName ?? 'custom loss') : '']
    .filter(Boolean)
    .join(', ');
  return {
    case: `exp(-|x|^2) 8-D${how ? ` (${how})` : ''}: RMS error (ref: nearest neighbour)`,
    N,
    value: sg,
    reference: nn,
    target: '< ref / 2',
    meetsTarget: sg < nn / 2,
  };
}

/** The regular sparse grid of level n on [−1, 1]^d: levels l_t ≥ 1 with Σ (l_t − 1) ≤ n − 1. */
function regularGrid(d: number, n: number): number[][] {
  const pts: number[][] = [];
  const cur = new Array<number>(d).fill(0);
  const rec = (t: number, left: number): void => {
    if (t === d) {
      pts.push(cur.slice());
      return;
    }
    for (let l = 1; l <= left + 1; l++)
      for (let j = 1; j < 2 ** l; j += 2) {
        cur[t] = (2 * j) / 2 ** l - 1;
        rec(t + 1, left - (l - 1));
      }
  };
  rec(0, n - 1);
  return pts;
}

/**
 * The same comparison for the regular (non-adaptive) grid of level n, all points told at
 * once: the best a grid of this basis does at that size, whatever the loss.
 */
function regular8(n: number): SGQualityResult {
  const l = new SparseGridLearner({ bounds: box(8), anchor: 'centre' });
  const pts = regularGrid(8, n);
  l.tellMany(pts, pts.map(gauss));
  const [sg, nn] = rmsAgainstNN((q) => l.interpolate(q) as number, pts.length);
  return {
    case: `exp(-|x|^2) 8-D, regular centred grid of level ${n}: RMS error (ref: NN)`,
    N: pts.length,
    value: sg,
    reference: nn,
    target: '< ref / 2',
    meetsTarget: sg < nn / 2,
  };
}

type F = (x: number[]) => number;

/** The families of 8-D functions (see the module description): one draw from `r`. */
const FAMILIES: Record<string, (r: () => number) => F> = {
  Gaussians: (r) => {
    const c = Array.from({ length: 8 }, () => 2 * r() - 1);
    const w = Array.from({ length: 8 }, () => 0.5 + 1.5 * r());
    return (x) =>
      Math.exp(-x.reduce((s, v, t) => s + ((w[t] as number) * (v - (c[t] as number))) ** 2, 0));
  },
  'Genz continuous': (r) => {
    const c = Array.from({ length: 8 }, () => 2 * r() - 1);
    const w = Array.from({ length: 8 }, () => 0.3 + 0.7 * r());
    return (x) =>
      Math.exp(-x.reduce((s, v, t) => s + (w[t] as number) * Math.abs(v - (c[t] as number)), 0));
  },
  oscillatory: (r) => {
    const u = r();
    const w = Array.from({ length: 8 }, () => 0.5 + r());
    return (x) => Math.cos(x.reduce((s, v, t) => s + (w[t] as number) * v, 2 * Math.PI * u));
  },
};

/** RMS error of l's interpolant over f's standard deviation, on 2000 random points of [−1, 1]⁸. */
function relativeRms(l: SparseGridLearner, f: F): number {
  const r = rng(99);
  const xs = Array.from({ length: 2000 }, () => Array.from({ length: 8 }, () => 2 * r() - 1));
  const ys = xs.map(f);
  const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
  let v = 0;
  let e = 0;
  for (let i = 0; i < xs.length; i++) {
    v += ((ys[i] as number) - mean) ** 2;
    e += ((l.interpolate(xs[i] as number[]) as number) - (ys[i] as number)) ** 2;
  }
  return Math.sqrt(e / v);
}

/** A family's geometric mean of relative RMS errors over 8 draws, at N points. */
function family(name: string, N: number, loss?: SparseGridLoss): SGQualityResult {
  const r = rng(11 + Object.keys(FAMILIES).indexOf(name));
  const draw = FAMILIES[name] as (r: () => number) => F;
  let lg = 0;
  for (let k = 0; k < 8; k++) {
    const f = draw(r);
    const l = new SparseGridLearner({ bounds: box(8), ...(loss ? { loss } : {}) });
    serial(l, f, N);
    lg += Math.log(relativeRms(l, f));
  }
  return {
    case: `8-D ${name}, 8 draws${loss ? ` (${loss.lossName})` : ''}: RMS/std, geometric mean`,
    N,
    value: Math.exp(lg / 8),
    reference: null,
    target: '–',
    meetsTarget: null,
  };
}

function plane10(N: number): SGQualityResult {
  const f = (x: number[]) =>
    Math.exp(-((x[0] as number) ** 2) - 3 * ((x[1] as number) - 0.3) ** 2) + (x[0] as number);
  const l = new SparseGridLearner({ bounds: box(10) });
  serial(l, f, N);
  const off = l.toRecords().filter(({ x }) => x.slice(2).some((v) => v !== 0)).length;
  return {
    case: 'f(x0, x1) in 10-D: share of points off the plane',
    N,
    value: off / l.npoints,
    reference: null,
    target: '< 0.05',
    meetsTarget: off / l.npoints < 0.05,
  };
}

/** All rows. */
export function sparseGridCases(
  which: { timing: boolean; quality: boolean } = { timing: true, quality: true },
): { timing: SGTimingResult[]; quality: SGQualityResult[] } {
  const rows: SGTimingResult[] = [];
  if (which.timing) {
    timing('gauss', gauss, 8, 2000, 1); // warm the JIT
    for (let d = 2; d <= 10; d++) {
      rows.push(timing('exp(-|x|^2)', gauss, d, 1000, 3));
      rows.push(timing('exp(-|x|^2)', gauss, d, 10000, 1));
    }
    rows.push(timing('shell', shell, 8, 1000, 3));
    rows.push(timing('shell', shell, 8, 10000, 1));
  }
  const quality = which.quality
    ? [
        quality8(1000),
        quality8(10000),
        quality8(1000, 'centre'),
        quality8(10000, 'centre'),
        quality8(1000, undefined, l2Loss),
        quality8(10000, undefined, l2Loss),
        ...[3, 4, 5, 6].map(regular8),
        ...Object.keys(FAMILIES).flatMap((name) =>
          [1000, 10000].flatMap((N) => [family(name, N), family(name, N, l2Loss)]),
        ),
        plane10(1000),
        plane10(10000),
      ]
    : [];
  return { timing: rows, quality };
}

function mark(b: boolean | null): string {
  return b === null ? '–' : b ? '✓' : '✗';
}

/** Prints both tables. */
export function printSparseGridTables(r: {
  timing: SGTimingResult[];
  quality: SGQualityResult[];
}): void {
  if (r.timing.length > 0)
    printTable(
      'SparseGridLearner: serial ask(1)/tell on [-1,1]^d (min over repeats; the target is judged on CPU time)',
      [
        'function',
        'd',
        'N',
        'wall µs/pt',
        'CPU µs/pt',
        'target',
        'meets',
        'grid points',
        'B/pt',
        'final loss',
      ],
      r.timing.map((t) => [
        t.fn,
        String(t.dim),
        fmtN(t.N),
        fmt(t.usPerPointMin),
        fmt(t.cpuUsPerPointMin),
        t.target === null ? '–' : `≤ ${t.target}`,
        mark(t.meetsTarget),
        String(t.gridPoints),
        t.bytesPerPoint === null ? '–' : fmt(t.bytesPerPoint),
        fmt(t.finalLoss),
      ]),
    );
  if (r.quality.length > 0)
    printTable(
      'SparseGridLearner: quality',
      ['case', 'N', 'value', 'reference', 'target', 'meets'],
      r.quality.map((q) => [
        q.case,
        fmtN(q.N),
        fmt(q.value),
        fmt(q.reference),
        q.target,
        mark(q.meetsTarget),
      ]),
    );
}

/** Runs the cases in a fresh `node --expose-gc` process. */
export function sparseGridInChild(): { timing: SGTimingResult[]; quality: SGQualityResult[] } {
  return runChild(import.meta.url);
}

if (isMain(import.meta.url)) {
  const only = (flag: string) => process.argv.includes(flag);
  const rows = sparseGridCases({
    timing: !only('--quality') || only('--timing'),
    quality: !only('--timing') || only('--quality'),
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    console.log(machineLine());
    printSparseGridTables(rows);
  }
}
