/**
 * A lattice against the continuum, one kind a process: fills the lattice [0, w]ᵈ (2-D:
 * Learner2D, 3-D: LearnerND) serially until done, or samples the continuum on the same box
 * with as many points, `runs` times, and prints the wall µs a point of each run.
 *
 * The bench tables (`learner2d.ts` l / lc, `learnernd.ts` fl / flc) run both kinds in one
 * process, one case's repeats after the other's, so the second meets code the JIT compiled
 * for the first; and on a shared machine the wall time measures the load as much as the code.
 * This runs one kind in a fresh process, so it can also be counted in instructions, which
 * the load does not change: the warm cost a point is the difference of a run of `runs` and
 * a run of 1, divided by (runs − 1) · N:
 *
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
 *     node --single-threaded dist-bench/bench/lattice-cost.js nd 19 lattice 7
 *
 * Run: `node --expose-gc dist-bench/bench/lattice-cost.js <2d|nd> <w> <lattice|continuum> <runs>`.
 */
import { Learner2D } from '../src/learners/learner2d.js';
import { LearnerND } from '../src/learners/learnernd.js';
import { gc, isMain } from './harness.js';
import { ring } from './learner2d.js';
import { shell } from './learnernd.js';

/** The wall µs a point of each of `runs` fills (2-D on [0, w]², 3-D on [0, w]³). */
export function latticeCost(
  kind: '2d' | 'nd',
  w: number,
  lattice: boolean,
  runs: number,
): number[] {
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
  const l = new Learner2D(lattice ? { bounds, integer: [true, true] } : { bounds });
  const N = (w + 1) ** 2;
  for (let i = 0; i < N; i++) {
    const p = l.ask(1).points[0];
    if (p === undefined) break;
    l.tell(p, ring((2 * p[0]) / w - 1, (2 * p[1]) / w - 1));
  }
  if (l.npoints !== N) throw new Error(`lattice-cost: ${l.npoints} points, expected ${N}`);
  return N;
}

function fillND(w: number, lattice: boolean): number {
  const bounds = [
    [0, w],
    [0, w],
    [0, w],
  ];
  const l = new LearnerND(lattice ? { bounds, integer: [true, true, true] } : { bounds });
  const N = (w + 1) ** 3;
  for (let i = 0; i < N; i++) {
    const p = l.ask(1).points[0];
    if (p === undefined) break;
    l.tell(p, shell(p.map((x) => (2 * x) / w - 1)));
  }
  if (l.npoints !== N) throw new Error(`lattice-cost: ${l.npoints} points, expected ${N}`);
  return N;
}

if (isMain(import.meta.url)) {
  const [kind, w, which, runs] = process.argv.slice(2);
  if ((kind !== '2d' && kind !== 'nd') || (which !== 'lattice' && which !== 'continuum')) {
    throw new Error('usage: lattice-cost.js <2d|nd> <w> <lattice|continuum> <runs>');
  }
  const us = latticeCost(kind, Number(w), which === 'lattice', Number(runs ?? 1));
  console.log(`${kind} [0, ${w}] ${which}: µs a point ${us.map((x) => x.toFixed(1)).join(' ')}`);
}
