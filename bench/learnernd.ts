/**
 * LearnerND: µs per point of full serial ask(1)/tell loops, against python-adaptive's
 * figures on the same machine kind (`peer.ts`, case f), plus 5-D and 8-D figures (ours only).
 *
 * The function is python's test function `sphere_of_fire` with d = 0.75, a = 0.2 (python's
 * benchmark case f): x + exp(−(x² + y² + z² − d²)²/a⁴) + z² on [−1, 1]³; in 5-D and 8-D
 * the same shell, x₀ + exp(−(|x|² − d²)²/a⁴) + x_last², on [−1, 1]ᵈ. In 8-D the first
 * 256 points are the box's corners; every point after them adds some 10⁴ simplices (the
 * size of a Delaunay star in 8-D), which sets the cost per point there.
 *
 * Lattice cases (`integer`, ours only): fl, the 3-D shell mapped onto the integers
 * [0, 9]³ and [0, 19]³, serial until every lattice point is done(), beside flc, the
 * continuum on the same box with as many points; fn / fnc the shell on
 * [0, 1e6]³ with integer: [true, true, true] and without (nothing saturates: both ask nearly
 * the same points, so the rows compare the code's own cost); fnm with [true, false, false].
 * A lattice must cost no more a point than the continuum.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/learnernd.js`.
 */
import { LearnerND } from '../src/learners/learnernd.js';
import { fmt, fmtN, isMain, machineLine, printTable, runChild, timeTask } from './harness.js';
import { latticePairInChildren } from './lattice-cost.js';
import { peer } from './peer.js';

const D = 0.75;
const A4 = 0.2 ** 4;

/** python's `sphere_of_fire` (d = 0.75, a = 0.2), generalised to any dimension ≥ 2. */
export function shell(p: readonly number[]): number {
  let r2 = 0;
  for (const x of p) r2 += x * x;
  const last = p[p.length - 1] as number;
  return (p[0] as number) + Math.exp(-((r2 - D * D) ** 2) / A4) + last * last;
}

/** One row of the results: a case at one N. */
export interface NDCaseResult {
  case: string;
  key: string;
  description: string;
  dim: number;
  N: number;
  repeats: number;
  usPerPointMin: number;
  usPerPointMedian: number;
  /** python-adaptive's µs/point (minimum over repeats), when measured. */
  pythonUsPerPoint: number | null;
  /** ours / python, from the minima. */
  ratio: number | null;
  /** python / ours. */
  speedup: number | null;
  /** Target µs/point, when there is one. */
  target: number | null;
  meetsTarget: boolean | null;
  finalLoss: number;
  pythonFinalLoss: number | null;
  /** Simplices at the end. */
  simplices: number;
}

function serialLoop(learner: LearnerND, n: number, w: number | null): void {
  for (let i = 0; i < n; i++) {
    const pts = learner.ask(1).points;
    if (pts.length === 0) break; // a lattice is full
    const p = pts[0] as number[];
    // On [0, w]ᵈ the shell of [-1, 1]ᵈ, mapped.
    learner.tell(p, shell(w === null ? p : p.map((x) => (2 * x) / w - 1)));
  }
}

interface Spec {
  name: string;
  key: string;
  description: string;
  dim: number;
  N: number;
  repeats: number;
  /** Untimed runs first (default 1; 0 for the long 8-D run, which warms up within itself). */
  warmup?: number;
  target: number | null;
  /** The box [0, w]ᵈ instead of [-1, 1]ᵈ (the shell mapped onto it). */
  width?: number;
  /** LearnerND's integer option. */
  integer?: boolean[];
  /**
   * Measured in fresh processes instead of here, one kind a process, the kinds alternated
   * (`latticePairInChildren`): the lattice [0, width]³ and its continuum. In one process the
   * second kind meets code V8 compiled for the first.
   */
  child?: 'lattice' | 'continuum';
}

/** Fresh processes for a {@link Spec} with `child`. */
const CHILD_PROCESSES = 3;

async function measure(spec: Spec): Promise<NDCaseResult> {
  if (spec.child !== undefined) {
    const runs = 2 + Math.max(2, Math.ceil(spec.repeats / CHILD_PROCESSES));
    const c = latticePairInChildren('nd', spec.width ?? 1, runs, CHILD_PROCESSES)[spec.child];
    return row(spec, c.count, c.usMin, c.usMedian, c.loss, c.simplices);
  }
  let last: LearnerND | undefined;
  const w = spec.width ?? null;
  const bounds = Array.from({ length: spec.dim }, () => (w === null ? [-1, 1] : [0, w]));
  const t = await timeTask(
    spec.name,
    () => {
      const l = new LearnerND(
        spec.integer === undefined ? { bounds } : { bounds, integer: spec.integer },
      );
      serialLoop(l, spec.N, w);
      last = l;
    },
    { repeats: spec.repeats, warmup: spec.warmup ?? 1 },
  );
  if (last === undefined || last.npoints !== spec.N) {
    throw new Error(`${spec.name}: expected ${spec.N} points, got ${last?.npoints}`);
  }
  return row(
    spec,
    t.repeats,
    (t.minMs * 1000) / spec.N,
    (t.medianMs * 1000) / spec.N,
    last.loss(),
    last.triangulation().simplices.length / (spec.dim + 1),
  );
}

/** A table row from a case's timings. */
function row(
  spec: Spec,
  repeats: number,
  usMin: number,
  usMed: number,
  finalLoss: number,
  simplices: number,
): NDCaseResult {
  const p = spec.key === 'f' ? peer('f', spec.N) : undefined;
  return {
    case: spec.name,
    key: spec.key,
    description: spec.description,
    dim: spec.dim,
    N: spec.N,
    repeats,
    usPerPointMin: usMin,
    usPerPointMedian: usMed,
    pythonUsPerPoint: p?.usPerPoint ?? null,
    ratio: p ? usMin / p.usPerPoint : null,
    speedup: p ? p.usPerPoint / usMin : null,
    target: spec.target,
    meetsTarget: spec.target === null ? null : usMin <= spec.target,
    finalLoss,
    pythonFinalLoss: p?.finalLoss ?? null,
    simplices,
  };
}

/**
 * The LearnerND cases: 3-D at 1e3 and 5e3 (python's case f), 5-D and 8-D figures, the
 * lattice cases; only those of `keys` when given.
 */
export async function learnerNDCases(keys?: readonly string[]): Promise<NDCaseResult[]> {
  const specs: Spec[] = [
    {
      name: 'f 3-D sphere serial',
      key: 'f',
      description: 'sphere d=0.75 a=0.2 on [-1,1]^3, defaultLossND, serial ask(1)/tell',
      dim: 3,
      N: 1000,
      repeats: 7,
      target: 40,
    },
    {
      name: 'f 3-D sphere serial',
      key: 'f',
      description: 'sphere d=0.75 a=0.2 on [-1,1]^3, defaultLossND, serial ask(1)/tell',
      dim: 3,
      N: 5000,
      repeats: 3,
      target: 40,
    },
    {
      name: '5-D shell serial',
      key: 'nd5',
      description: 'x0 + exp(-(|x|^2-0.75^2)^2/0.2^4) + x4^2 on [-1,1]^5, serial',
      dim: 5,
      N: 1000,
      repeats: 3,
      target: null,
    },
    {
      name: '8-D corners only',
      key: 'nd8',
      description: 'the 256 corners of [-1,1]^8 (the bound points), serial',
      dim: 8,
      N: 256,
      repeats: 3,
      target: null,
    },
    {
      name: '8-D shell serial',
      key: 'nd8',
      description:
        'x0 + exp(-(|x|^2-0.75^2)^2/0.2^4) + x7^2 on [-1,1]^8, serial (256 corners first)',
      dim: 8,
      N: 300,
      repeats: 1,
      warmup: 0,
      target: null,
    },
  ];
  // The lattices [0, w]³ filled, beside the continuum on the same box with as many points.
  for (const w of [9, 19]) {
    const N = (w + 1) ** 3;
    const repeats = w === 9 ? 7 : 3;
    specs.push(
      {
        name: `flc 3-D continuum [0, ${w}]^3, same N`,
        key: 'flc',
        description: `the shell on [0, ${w}]^3 in the continuum, serial, ${N} points`,
        dim: 3,
        N,
        repeats,
        target: null,
        width: w,
        child: 'continuum',
      },
      {
        name: `fl 3-D lattice [0, ${w}]^3 serial, to done`,
        key: 'fl',
        description: `the shell on the integers [0, ${w}]^3 (integer: all true), serial until done()`,
        dim: 3,
        N,
        repeats,
        target: null,
        width: w,
        integer: [true, true, true],
        child: 'lattice',
      },
    );
  }
  for (const N of [1000, 5000]) {
    for (const [key, integer] of [
      ['fnc', undefined],
      ['fn', [true, true, true]],
      ['fnm', [true, false, false]],
    ] as const) {
      specs.push({
        name: `${key} 3-D ${integer === undefined ? 'continuum' : 'lattice'} [0, 1e6]^3 serial`,
        key,
        description: `the shell on [0, 1e6]^3${integer === undefined ? '' : ` (integer: [${integer}])`}, serial`,
        dim: 3,
        N,
        repeats: N === 1000 ? 7 : 3,
        target: null,
        width: 1e6,
        ...(integer === undefined ? {} : { integer: [...integer] }),
      });
    }
  }
  const out: NDCaseResult[] = [];
  for (const s of specs) if (keys === undefined || keys.includes(s.key)) out.push(await measure(s));
  return out;
}

function mark(b: boolean | null): string {
  return b === null ? '–' : b ? '✓' : '✗';
}

/** Prints the LearnerND table. */
export function printLearnerNDTable(rows: readonly NDCaseResult[]): void {
  printTable(
    'LearnerND: µs per point (min and median over repeats; ratio and speedup from the minima)',
    [
      'case',
      'N',
      'reps',
      'min µs/pt',
      'median µs/pt',
      'python µs/pt',
      'ratio ours/py',
      'speedup py/ours',
      'target µs/pt',
      'meets',
      'final loss',
      'python final loss',
      'simplices',
    ],
    rows.map((r) => [
      `${r.key}  ${r.case.replace(/^f /, '')}`,
      fmtN(r.N),
      String(r.repeats),
      fmt(r.usPerPointMin),
      fmt(r.usPerPointMedian),
      fmt(r.pythonUsPerPoint),
      fmt(r.ratio),
      r.speedup === null ? '–' : `${fmt(r.speedup)}×`,
      r.target === null ? '–' : `≤ ${r.target}`,
      mark(r.meetsTarget),
      fmt(r.finalLoss),
      fmt(r.pythonFinalLoss),
      String(r.simplices),
    ]),
  );
}

/** Runs the LearnerND cases in a fresh `node --expose-gc` process. */
export function learnerNDInChild(): NDCaseResult[] {
  return runChild<NDCaseResult[]>(import.meta.url);
}

if (isMain(import.meta.url)) {
  const rows = await learnerNDCases();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else {
    console.log(machineLine());
    printLearnerNDTable(rows);
  }
}
