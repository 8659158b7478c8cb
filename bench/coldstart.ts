/**
 * The first run: the first 1000 points of a serial `ask(1)`/`tell` loop in a fresh process
 * (timed from just after the learner's module is imported), beside the same loop once the
 * JIT has warmed up (the fastest of 20 more loops in that process), for Learner1D (python's
 * peak), Learner2D (ring) and LearnerND 3-D (sphere), each in its own `node` process; best
 * of 3 processes. python-adaptive's cold figures (fresh process, same loop) are from
 * `../shared/peer/parallel.json` (copy: bench/peer-parallel.json).
 *
 * Run alone: `npm run bench -- coldstart`, or
 * `tsc -p tsconfig.bench.json && node dist-bench/bench/coldstart.js`; with `--from <package
 * root>` the learners come from that build's `dist/node.js` (`--from .` after `npm run build`:
 * the bundle a user imports).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, isMain, machineLine, printTable } from './harness.js';

const N = 1000;
const PROCESSES = 5;

type Name = 'Learner1D' | 'Learner2D' | 'LearnerND 3-D';

/** Targets of issue 15, µs a point for the first 1000 points in a fresh process. */
const TARGETS: Record<Name, number> = { Learner1D: 10, Learner2D: 40, 'LearnerND 3-D': 80 };

/**
 * One row: a learner's cold and warm µs a point.
 * @example
 * { learner: 'Learner1D', coldUs: [9.1, 8.7, 9.4], coldUsMin: 8.7, coldCpuUsMin: 8.1, importMs: 7.5, importCpuMs: 7.4, warmUs: 0.6, python: 88.3, target: 10, meetsTarget: true }
 */
export interface ColdStartResult {
  learner: Name;
  /** µs a point of the first 1000 points (wall), one figure per fresh process. */
  coldUs: number[];
  coldUsMin: number;
  /**
   * The same loop in CPU time (`process.cpuUsage()`, user + system, all threads: includes the
   * JIT's background compiles), µs a point, best process. On a loaded machine the wall figure
   * measures the load; the CPU figure much less so.
   */
  coldCpuUsMin: number;
  /** Importing the learner's module (wall ms, best process), outside the cold loop. */
  importMs: number;
  /** The same in CPU ms. */
  importCpuMs: number;
  /** µs a point of the same loop once warm (fastest of 20 loops, in the same processes). */
  warmUs: number;
  python: number | null;
  target: number;
  meetsTarget: boolean;
}

const A2 = 0.01 * 0.01;
const peak = (x: number): number => x + A2 / (A2 + x * x);
const ring = (p: readonly number[]): number => {
  const x = p[0] as number;
  const y = p[1] as number;
  return x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);
};
const sphere = (p: readonly number[]): number => {
  let r2 = 0;
  for (const x of p) r2 += x * x;
  const last = p[p.length - 1] as number;
  return (p[0] as number) + Math.exp(-((r2 - 0.75 ** 2) ** 2) / 0.2 ** 4) + last * last;
};

interface SerialLearner {
  ask(n: number): { points: unknown[] };
  tell(x: unknown, y: number): void;
}

/** CPU time of this process so far (user + system, every thread), ms. */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** The loop: 1000 × (ask one point, tell its value). Returns µs a point. */
function loop(make: () => SerialLearner, f: (x: never) => number): number {
  const t0 = performance.now();
  const l = make();
  for (let i = 0; i < N; i++) {
    const x = l.ask(1).points[0];
    l.tell(x, f(x as never));
  }
  return ((performance.now() - t0) * 1000) / N;
}

interface ChildResult {
  cold: number;
  coldCpu: number;
  importMs: number;
  importCpuMs: number;
  warm: number;
}

type SerialClass = new (options: unknown) => SerialLearner;

/**
 * The learner's class: from its module under the sources (`dist-bench/src`, one module a
 * file; the default), or from a package build's Node entry with `--from <package root>`
 * (`dist/node.js` as a user imports it, bundled by `npm run build`).
 */
async function load(name: Name): Promise<SerialClass> {
  const i = process.argv.indexOf('--from');
  const cls = name === 'LearnerND 3-D' ? 'LearnerND' : name;
  if (i >= 0) {
    const url = pathToFileURL(join(process.argv[i + 1] as string, 'dist', 'node.js')).href;
    return (await import(url))[cls] as SerialClass;
  }
  if (name === 'Learner1D')
    return (await import('../src/learners/learner1d.js')).Learner1D as never;
  if (name === 'Learner2D')
    return (await import('../src/learners/learner2d.js')).Learner2D as never;
  return (await import('../src/learners/learnernd.js')).LearnerND as never;
}

/** In the child: imports one learner, times the first loop, then the warm one. */
async function child(name: Name): Promise<ChildResult> {
  const i0 = performance.now();
  const ic0 = cpuMs();
  const C = await load(name);
  let make: () => SerialLearner;
  let f: (x: never) => number;
  if (name === 'Learner1D') {
    make = () => new C({ bounds: [-1, 1] });
    f = peak as (x: never) => number;
  } else if (name === 'Learner2D') {
    const bounds = [
      [-1, 1],
      [-1, 1],
    ];
    make = () => new C({ bounds });
    f = ring as (x: never) => number;
  } else {
    const bounds = [
      [-1, 1],
      [-1, 1],
      [-1, 1],
    ];
    make = () => new C({ bounds });
    f = sphere as (x: never) => number;
  }
  const importMs = performance.now() - i0;
  const c0 = cpuMs();
  const importCpuMs = c0 - ic0;
  const cold = loop(make, f);
  const coldCpu = cpuMs() - c0; // ms for N points = µs a point
  let warm = Number.POSITIVE_INFINITY;
  // --cold-only: for profiling the first run (node --cpu-prof coldstart.js --child X --cold-only).
  const loops = process.argv.includes('--cold-only') ? 0 : 20;
  for (let i = 0; i < loops; i++) warm = Math.min(warm, loop(make, f));
  return { cold, coldCpu, importMs, importCpuMs, warm };
}

/** `--from <root>` of this process, handed on to the children. */
function fromArgs(): string[] {
  const i = process.argv.indexOf('--from');
  return i >= 0 ? ['--from', process.argv[i + 1] as string] : [];
}

function pythonCold(): Map<string, number> {
  const out = new Map<string, number>();
  const file = fileURLToPath(new URL('../../bench/peer-parallel.json', import.meta.url));
  if (!existsSync(file)) return out;
  const j = JSON.parse(readFileSync(file, 'utf8')) as {
    first_run: { cases: { learner: string; python_us: number }[] };
  };
  for (const c of j.first_run.cases) out.set(c.learner.split(',')[0] as string, c.python_us);
  return out;
}

/**
 * Runs every learner in {@link PROCESSES} fresh processes each.
 * @example
 * printColdStartTable(coldStartCases());
 */
export function coldStartCases(): ColdStartResult[] {
  const python = pythonCold();
  const rows: ColdStartResult[] = [];
  for (const name of ['Learner1D', 'Learner2D', 'LearnerND 3-D'] as const) {
    const cold: number[] = [];
    let warm = Number.POSITIVE_INFINITY;
    let coldCpu = Number.POSITIVE_INFINITY;
    let importMs = Number.POSITIVE_INFINITY;
    let importCpuMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < PROCESSES; i++) {
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--child', name, ...fromArgs()],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildResult;
      cold.push(Math.round(r.cold * 10) / 10);
      warm = Math.min(warm, r.warm);
      coldCpu = Math.min(coldCpu, r.coldCpu);
      importMs = Math.min(importMs, r.importMs);
      importCpuMs = Math.min(importCpuMs, r.importCpuMs);
    }
    const coldUsMin = Math.min(...cold);
    rows.push({
      learner: name,
      coldUs: cold,
      coldUsMin,
      coldCpuUsMin: coldCpu,
      importMs,
      importCpuMs,
      warmUs: warm,
      python: python.get(name) ?? null,
      target: TARGETS[name],
      meetsTarget: coldUsMin <= TARGETS[name],
    });
  }
  return rows;
}

/**
 * Prints the rows as a table.
 * @example
 * printColdStartTable(coldStartCases());
 */
export function printColdStartTable(rows: readonly ColdStartResult[]): void {
  printTable(
    `First run: µs a point for the first ${N} points in a fresh process (serial ask(1)/tell, best of ${PROCESSES} processes; all listed), beside the warm loop`,
    [
      'learner',
      'cold µs/pt',
      'cold CPU µs/pt',
      'processes',
      'import ms (CPU)',
      'warm µs/pt',
      'python cold',
      'target',
      'meets',
    ],
    rows.map((r) => [
      r.learner,
      fmt(r.coldUsMin),
      fmt(r.coldCpuUsMin),
      r.coldUs.map((c) => String(c)).join(' '),
      `${fmt(r.importMs)} (${fmt(r.importCpuMs)})`,
      fmt(r.warmUs),
      r.python === null ? '–' : fmt(r.python),
      `≤ ${r.target}`,
      r.meetsTarget ? '✓' : '✗',
    ]),
  );
}

/**
 * What `import { Learner1D } from 'adaptive-sampling'` costs in Node before the first point:
 * importing the package's Node entry (every learner, the runner, the worker pool) in a fresh
 * process, best of {@link PROCESSES}, wall and CPU ms.
 * @example
 * packageImport(); // { ms: 95.1, cpuMs: 64.3 }
 */
export function packageImport(): { ms: number; cpuMs: number } {
  let ms = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < PROCESSES; i++) {
    const out = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child-package'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ms: number; cpuMs: number };
    ms = Math.min(ms, r.ms);
    cpu = Math.min(cpu, r.cpuMs);
  }
  return { ms, cpuMs: cpu };
}

/**
 * Prints {@link packageImport}'s figure under the table.
 * @example
 * printPackageImport(packageImport());
 */
export function printPackageImport(r: { ms: number; cpuMs: number }): void {
  console.log(
    `Importing the package's Node entry (src/node.ts) in a fresh process: ${fmt(r.ms)} ms wall, ${fmt(r.cpuMs)} ms CPU (best of ${PROCESSES}); the learner's own module import is in the table.`,
  );
}

if (isMain(import.meta.url)) {
  const i = process.argv.indexOf('--child');
  if (process.argv.includes('--child-package')) {
    const t0 = performance.now();
    const c0 = cpuMs();
    await import('../src/node.js');
    console.log(JSON.stringify({ ms: performance.now() - t0, cpuMs: cpuMs() - c0 }));
  } else if (i >= 0) {
    console.log(JSON.stringify(await child(process.argv[i + 1] as Name)));
  } else {
    const rows = coldStartCases();
    if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
    else {
      console.log(machineLine());
      printColdStartTable(rows);
      printPackageImport(packageImport());
    }
  }
}
