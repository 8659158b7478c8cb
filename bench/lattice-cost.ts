/**
 * A lattice against the continuum, one kind a process: fills the lattice [0, w]ᵈ (2-D:
 * Learner2D, 3-D: LearnerND) serially until done, or samples the continuum on the same box
 * with as many points, `runs` times, and prints the wall µs a point of each run.
 *
 * The bench tables (`learner2d.ts` l / lc, `learnernd.ts` fl / flc) run both kinds in one
 * process, one case's repeats after the other's, so the second meets code the JIT compiled
 * for the first; and on a shared machine the wall time measures the load as much as the code.
 * This runs one kind in a fresh process, so it can also be counted in instructions, which
 * the load does not change: the steady cost a point is the difference of a process of r₁
 * runs and one of r₀ runs, divided by (r₁ − r₀) · N, with r₀ ≥ 2 (V8 compiles the code in
 * the first run, and in the second recompiles what the first learner's start did not reach;
 * r₀ = 1 counts that second compile too):
 *
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
 *     node --single-threaded dist-bench/bench/lattice-cost.js nd 19 lattice 10
 *
 * Run: `node --expose-gc dist-bench/bench/lattice-cost.js <2d|nd> <w> <lattice|continuum> <runs>`.
 */
import type { Learner2D } from '../src/learners/learner2d.js';
import type { LearnerND } from '../src/learners/learnernd.js';
import { gc, isMain, runChild } from './harness.js';

/**
 * Each run's learner, kept until the next one is built (as the bench harness keeps `last`).
 * When the forced GC before a run collects the previous learner, V8 drops the optimised code
 * that embedded its objects ("weak objects" in `--trace-deopt-verbose`) and compiles
 * everything again: LearnerND on [0, 9]³ then swung between 50 and 180 µs a point from run to
 * run (170-190 with `--single-threaded`), against 24-40 with the previous learner alive, or
 * without the forced GC. This measures the learners warm.
 */
const previous: unknown[] = [];

type Classes = { Learner2D?: typeof Learner2D; LearnerND?: typeof LearnerND };
const C: Classes = {};

/** The ring of `learner2d.ts` (python's benchmark function) on [-1, 1]². */
function ring(x: number, y: number): number {
  return x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);
}

/** The shell of `learnernd.ts` (python's `sphere_of_fire`, d = 0.75, a = 0.2) on [-1, 1]³. */
function shell(x: number, y: number, z: number): number {
  return x + Math.exp(-((x * x + y * y + z * z - 0.75 ** 2) ** 2) / 0.2 ** 4) + z * z;
}

/** One kind's figures from {@link latticePairInChildren}. */
export interface ChildFigures {
  /** The least and the median µs a point of the fills kept. */
  usMin: number;
  usMedian: number;
  /** Fills kept. */
  count: number;
  /** The loss after the last fill. */
  loss: number;
  /** 3-D: the simplices after the last fill (NaN in 2-D). */
  simplices: number;
}

const pairs = new Map<string, Record<'lattice' | 'continuum', ChildFigures>>();

/**
 * The lattice [0, w]ᵈ and the continuum on the same box, as the bench tables report them:
 * `processes` fresh processes of each kind, alternated (lattice, continuum, lattice, …, so
 * that both meet the same load), `runs` fills a process, each process's first two fills left
 * out (V8 compiles the code in them). Computed once per (kind, w, runs, processes): the
 * tables ask for the two kinds one after the other.
 * @example
 * latticePairInChildren('2d', 99, 7, 3).lattice; // { usMin: 8.3, usMedian: 8.8, count: 15, loss: 0, simplices: NaN }
 */
export function latticePairInChildren(
  kind: '2d' | 'nd',
  w: number,
  runs: number,
  processes: number,
): Record<'lattice' | 'continuum', ChildFigures> {
  if (runs < 3) throw new RangeError(`latticePairInChildren: runs must be at least 3, got ${runs}`);
  const key = `${kind} ${w} ${runs} ${processes}`;
  const known = pairs.get(key);
  if (known !== undefined) return known;
  const kept = { lattice: [] as number[], continuum: [] as number[] };
  const last = {
    lattice: { loss: Number.NaN, simplices: Number.NaN },
    continuum: { loss: Number.NaN, simplices: Number.NaN },
  };
  for (let i = 0; i < processes; i++) {
    for (const which of ['lattice', 'continuum'] as const) {
      const r = runChild<{ us: number[]; loss: number; simplices: number | null }>(
        import.meta.url,
        [kind, String(w), which, String(runs)],
      );
      kept[which].push(...r.us.slice(2));
      // JSON writes NaN as null.
      last[which] = { loss: r.loss, simplices: r.simplices ?? Number.NaN };
    }
  }
  const figures = (which: 'lattice' | 'continuum'): ChildFigures => {
    const us = kept[which].sort((a, b) => a - b);
    const m = us.length >> 1;
    const usMedian =
      us.length % 2 === 1 ? (us[m] as number) : ((us[m - 1] as number) + (us[m] as number)) / 2;
    return { usMin: us[0] as number, usMedian, count: us.length, ...last[which] };
  };
  const out = { lattice: figures('lattice'), continuum: figures('continuum') };
  pairs.set(key, out);
  return out;
}

/** The wall µs a point of each of `runs` fills (2-D on [0, w]², 3-D on [0, w]³). */
export async function latticeCost(
  kind: '2d' | 'nd',
  w: number,
  lattice: boolean,
  runs: number,
): Promise<number[]> {
  if (kind === '2d') C.Learner2D = (await import('../src/learners/learner2d.js')).Learner2D;
  else C.LearnerND = (await import('../src/learners/learnernd.js')).LearnerND;
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc();
    const t0 = performance.now();
    const n = kind === '2d' ? fill2D(w, lattice) : fillND(w, lattice);
    out.push(((performance.now() - t0) * 1000) / n);
  }
  return out;
}

function fill2D(w: number, lattice: boolean): number {
  const bounds: [[number, number], [number, number]] = [
    [0, w],
    [0, w],
  ];
  const l = new (C.Learner2D as typeof Learner2D)(
    lattice ? { bounds, integer: [true, true] } : { bounds },
  );
  const N = (w + 1) ** 2;
  for (let i = 0; i < N; i++) {
    const p = l.ask(1).points[0];
    if (p === undefined) break;
    l.tell(p, ring((2 * p[0]) / w - 1, (2 * p[1]) / w - 1));
  }
  if (l.npoints !== N) throw new Error(`lattice-cost: ${l.npoints} points, expected ${N}`);
  previous[0] = l;
  return N;
}

function fillND(w: number, lattice: boolean): number {
  const bounds = [
    [0, w],
    [0, w],
    [0, w],
  ];
  const l = new (C.LearnerND as typeof LearnerND)(
    lattice ? { bounds, integer: [true, true, true] } : { bounds },
  );
  const N = (w + 1) ** 3;
  for (let i = 0; i < N; i++) {
    const p = l.ask(1).points[0];
    if (p === undefined) break;
    l.tell(
      p,
      shell(
        (2 * (p[0] as number)) / w - 1,
        (2 * (p[1] as number)) / w - 1,
        (2 * (p[2] as number)) / w - 1,
      ),
    );
  }
  if (l.npoints !== N) throw new Error(`lattice-cost: ${l.npoints} points, expected ${N}`);
  previous[0] = l;
  return N;
}

if (isMain(import.meta.url)) {
  const json = process.argv.includes('--json');
  const [kind, w, which, runs] = process.argv.slice(2).filter((a) => a !== '--json');
  if ((kind !== '2d' && kind !== 'nd') || (which !== 'lattice' && which !== 'continuum')) {
    throw new Error('usage: lattice-cost.js <2d|nd> <w> <lattice|continuum> <runs>');
  }
  const us = await latticeCost(kind, Number(w), which === 'lattice', Number(runs ?? 1));
  const last = previous[0] as Learner2D | LearnerND;
  const simplices =
    kind === 'nd' ? (last as LearnerND).triangulation().simplices.length / 4 : Number.NaN;
  if (json) console.log(JSON.stringify({ us, loss: last.loss(), simplices }));
  else
    console.log(`${kind} [0, ${w}] ${which}: µs a point ${us.map((x) => x.toFixed(1)).join(' ')}`);
}
