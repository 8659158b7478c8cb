/**
 * LearnerND's two meshes, Delaunay (the default) and newest-vertex bisection
 * (`mesh: 'bisection'`), in 2 to 10 dimensions: CPU µs per point of a serial ask(1)/tell
 * loop to 1 000 and 10 000 points, the simplices at the end, the bytes a point (heap and
 * array buffers after a full GC, less the empty learner's), and the sampling quality at equal
 * points on the 5-D shell: the RMS error of the interpolant on 20 000 random points.
 *
 * The function is issue 20's shell, f = x₀ + exp(−(|x|² − 0.75²)² / 0.2⁴) on [−1, 1]ᵈ.
 * Each case runs in a fresh process; a case stops at its CPU budget (`--budget s`, default
 * 60) or when the heap and array buffers pass 1.5 GB, and then reports the points it reached
 * (marked `*`); the larger sizes are not run for a mesh that did not reach the smaller.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/learnernd-mesh.js`
 * (`--dims 2,3,5`, `--sizes 1000`, `--budget 60`, `--meshes bisection` narrow it; `--quality`
 * runs the quality comparison only, in 5-D or `--qdim d` for d ≤ 6, on the issue's shell or,
 * with `--seeds 0,1,2`, also on shells whose centre seed s > 0 moves by up to 0.1 a
 * coordinate, so that the comparison does not hang on where one shell meets the dyadic grid).
 */
import { LearnerND } from '../src/learners/learnernd.js';
import { fmt, fmtN, isMain, machineLine, printTable, rng, runChild } from './harness.js';

type Mesh = 'delaunay' | 'bisection';

/** A case stops when the heap and array buffers pass this (the machine is shared). */
const MEMORY_CAP = 1.5 * 2 ** 30;

/** The shell's centre: the origin (issue 20's) unless {@link setShellSeed} moved it. */
let centre: number[] = [];

/** Seed 0: the issue's shell centred at the origin; seed s > 0: its centre uniform in [−0.1, 0.1]ᵈ. */
export function setShellSeed(seed: number, d: number): void {
  const r = rng(seed);
  centre = Array.from({ length: d }, () => (seed === 0 ? 0 : 0.2 * r() - 0.1));
}

/** Issue 20's shell function in any dimension (centred as {@link setShellSeed} set). */
export function shell(p: readonly number[]): number {
  let r2 = 0;
  for (let j = 0; j < p.length; j++) r2 += ((p[j] as number) - (centre[j] ?? 0)) ** 2;
  return (p[0] as number) + Math.exp(-((r2 - 0.5625) ** 2) / 0.0016);
}

/** One case's result. */
export interface MeshCase {
  mesh: Mesh;
  dim: number;
  /** Points asked for. */
  N: number;
  /** Points reached (less than N when the budget ran out). */
  reached: number;
  usPerPoint: number;
  simplices: number;
  bytesPerPoint: number;
  rms: number;
}

function heapBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** RMS error of the interpolant against f on `n` seeded random points of [−1, 1]ᵈ. */
export function rmsError(l: LearnerND, d: number, n: number): number {
  const r = rng(20_261_207);
  const pts: number[][] = [];
  for (let i = 0; i < n; i++) pts.push(Array.from({ length: d }, () => 2 * r() - 1));
  const ys = l.interpolate(pts) as number[];
  let se = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const e = (ys[i] as number) - shell(pts[i] as number[]);
    if (Number.isFinite(e)) {
      se += e * e;
      m++;
    }
  }
  return Math.sqrt(se / Math.max(1, m));
}

/** An untimed run first, so that the JIT has compiled the loop (its learner is garbage after). */
function warmUp(mesh: Mesh, dim: number, N: number, budgetS: number): void {
  const bounds = Array.from({ length: dim }, () => [-1, 1]);
  const warm = new LearnerND({ bounds, mesh });
  const w0 = process.cpuUsage();
  for (let i = 0; i < Math.min(N, 300) && warm.npoints < 2 ** dim + 200; i++) {
    const t = process.cpuUsage(w0);
    if (t.user + t.system > budgetS * 1e5) break; // a tenth of the budget at most
    const p = warm.ask(1).points[0];
    if (p === undefined) break;
    warm.tell(p, shell(p));
  }
}

/** Runs one case in this process. */
export function runCase(mesh: Mesh, dim: number, N: number, budgetS: number): MeshCase {
  const bounds = Array.from({ length: dim }, () => [-1, 1]);
  warmUp(mesh, dim, N, budgetS);
  const base = heapBytes();
  const l = new LearnerND({ bounds, mesh });
  const t0 = process.cpuUsage();
  let used = 0;
  while (l.npoints < N) {
    const p = l.ask(1).points[0];
    if (p === undefined) break;
    l.tell(p, shell(p));
    // From 6-D on a point can take a second: check the budget at every point there.
    if (dim >= 6 || (l.npoints & 255) === 0) {
      const t = process.cpuUsage(t0);
      used = (t.user + t.system) / 1e6;
      const mem = process.memoryUsage();
      if (used > budgetS || mem.heapUsed + mem.arrayBuffers > MEMORY_CAP) break;
    }
  }
  const t = process.cpuUsage(t0);
  const us = (t.user + t.system) / l.npoints;
  const bytes = (heapBytes() - base) / l.npoints;
  const simplices = l.triangulation().simplices.length / (dim + 1);
  const rms = dim <= 6 ? rmsError(l, dim, 20_000) : Number.NaN;
  return { mesh, dim, N, reached: l.npoints, usPerPoint: us, simplices, bytesPerPoint: bytes, rms };
}

/** The quality comparison: both meshes on the shell in `dim` dimensions at equal N. */
function quality(sizes: number[], budget: number, dim: number, seeds: number[]): void {
  const rows: string[][] = [];
  for (const seed of seeds) {
    for (const N of sizes) {
      const r: Record<string, MeshCase> = {};
      for (const mesh of ['delaunay', 'bisection'] as const) {
        r[mesh] = runChild<MeshCase>(import.meta.url, [
          'case',
          mesh,
          String(dim),
          String(N),
          String(budget),
          String(seed),
        ]);
      }
      rows.push(qualityRow(seed, N, r.delaunay as MeshCase, r.bisection as MeshCase));
    }
  }
  printTable(
    `${dim}-D shell: RMS interpolation error on 20 000 random points at equal N`,
    [
      'seed',
      'N',
      'Delaunay N',
      'Delaunay RMS',
      'bisection N',
      'bisection RMS',
      'bisection/Delaunay',
    ],
    rows,
  );
}

/** One row of the quality table. */
function qualityRow(seed: number, N: number, a: MeshCase, b: MeshCase): string[] {
  return [
    String(seed),
    fmtN(N),
    `${fmtN(a.reached)}${a.reached < N ? '*' : ''}`,
    fmt(a.rms, 4),
    `${fmtN(b.reached)}${b.reached < N ? '*' : ''}`,
    fmt(b.rms, 4),
    fmt(b.rms / a.rms, 3),
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--json' && args[1] === 'case') {
    const [mesh, dim, N, budget, seed] = args.slice(2);
    setShellSeed(Number(seed ?? 0), Number(dim));
    console.log(JSON.stringify(runCase(mesh as Mesh, Number(dim), Number(N), Number(budget))));
    return;
  }
  const opt = (name: string, dflt: string): string => {
    const i = args.indexOf(name);
    return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
  };
  const dims = opt('--dims', '2,3,4,5,6,7,8,9,10').split(',').map(Number);
  const sizes = opt('--sizes', '1000,10000').split(',').map(Number);
  const budget = Number(opt('--budget', '60'));
  const meshes = opt('--meshes', 'delaunay,bisection').split(',') as Mesh[];
  for (const m of meshes) {
    if (m !== 'delaunay' && m !== 'bisection')
      throw new Error(`--meshes: expected delaunay and/or bisection, got ${m}`);
  }
  console.log(machineLine());
  if (args.includes('--quality')) {
    const seeds = opt('--seeds', '0').split(',').map(Number);
    quality(sizes, budget, Number(opt('--qdim', '5')), seeds);
    return;
  }
  const rows: string[][] = [];
  for (const d of dims) {
    const stopped: Record<Mesh, boolean> = { delaunay: false, bisection: false };
    for (const N of sizes) {
      const cells: string[] = [String(d), fmtN(N)];
      for (const mesh of ['delaunay', 'bisection'] as const) {
        if (!meshes.includes(mesh)) {
          cells.push('', '', '');
          continue;
        }
        if (stopped[mesh]) {
          cells.push('–', '–', '–');
          continue;
        }
        const r = runChild<MeshCase>(import.meta.url, [
          'case',
          mesh,
          String(d),
          String(N),
          String(budget),
        ]);
        if (r.reached < N) stopped[mesh] = true;
        cells.push(
          `${fmt(r.usPerPoint, 3)}${r.reached < N ? `* (${fmtN(r.reached)})` : ''}`,
          fmtN(r.simplices),
          fmtN(Math.round(r.bytesPerPoint)),
        );
        console.error(`d=${d} N=${N} ${mesh}: ${JSON.stringify(r)}`);
      }
      rows.push(cells);
    }
  }
  printTable(
    `LearnerND, serial ask(1)/tell on the shell: Delaunay vs bisection (CPU µs a point; * = budget of ${budget} s reached, points in brackets)`,
    ['d', 'N', 'Del µs/pt', 'Del simplices', 'Del B/pt', 'Bis µs/pt', 'Bis simplices', 'Bis B/pt'],
    rows,
  );
}

if (isMain(import.meta.url)) await main();
