/**
 * Learner2D: µs per point of full ask/tell loops on python-adaptive's ring function, against
 * python-adaptive's figures on the same machine kind (`peer.ts`, cases e_serial and
 * e_batched), and bytes per point held at 1e5 points.
 *
 * Cases: e serial ask(1)/tell at N = 1e3, 1e4, 1e5; e batched ask(100) then tell all, at
 * N = 1e4; each with the default gradient estimate (gradientSweeps 1) and the cheaper one
 * (gradientSweeps 0); and e serial on convex polygons (`hull`: the square as a polygon, a
 * hexagon), with gradientSweeps 1.
 * Lattice cases (`integer`, no python peer): l serial and lb batched
 * ask(100) until the s × s lattice is full (done()), the ring mapped onto [0, s − 1]², beside
 * lc, the continuum on the same box with s² points; n / nc
 * the ring on [0, 1e6]² with integer: [true, true] and without (nothing saturates: both ask
 * nearly the same points, so the rows compare the code's own cost), nm the same with
 * integer: [true, false]. A lattice must cost no more a point than the continuum.
 * The function is python's benchmark's:
 * `x + exp(-((x² + y² − 0.75²)²) / 0.2⁴)` on [-1, 1]², evaluated inline, so the figure is the
 * learner's overhead.
 *
 * Run: `tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/learner2d.js`
 * (tables), or with `--json cases` / `--json memory N` (one JSON line, for run.ts).
 */
import { type Learner2D as L2, Learner2D } from '../src/learners/learner2d.js';
import {
  fmt,
  fmtN,
  gc,
  hasGc,
  isMain,
  machineLine,
  printTable,
  runChild,
  timeTask,
} from './harness.js';
import { latticePairInChildren } from './lattice-cost.js';
import { peer } from './peer.js';

/** The ring of python-adaptive's Learner2D benchmark (d = 0.75, a = 0.2). */
export function ring(x: number, y: number): number {
  return x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);
}

const bounds = [
  [-1, 1],
  [-1, 1],
] as const;

/** The convex polygons of the hull cases: the square [-1, 1]² as a hull, a regular hexagon. */
export const HULL_CASES: readonly (readonly [string, [number, number][]])[] = [
  [
    'hull square',
    [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ],
  ],
  [
    'hull hexagon',
    Array.from({ length: 6 }, (_, i): [number, number] => [
      Math.cos((i * Math.PI) / 3),
      Math.sin((i * Math.PI) / 3),
    ]),
  ],
];

/** Target µs/point for every Learner2D case. */
export const TARGET_US_PER_POINT = 10;
/** Target bytes per point held at 1e5 points. */
export const MEMORY_TARGET_2D = 250;
/** python-adaptive: about 2 000 bytes per point at 2e4 points (issue 3). */
export const PYTHON_BYTES_PER_POINT_2D = 2000;

/** One row: a case at one N. */
export interface Case2DResult {
  case: string;
  key: string;
  description: string;
  /** The Learner2D option of the row. */
  gradientSweeps: number;
  N: number;
  repeats: number;
  usPerPointMin: number;
  usPerPointMedian: number;
  /** python-adaptive's µs/point (minimum over repeats), when measured at this N. */
  pythonUsPerPoint: number | null;
  /** ours ÷ python, from the minima. */
  ratio: number | null;
  /** python ÷ ours. */
  speedup: number | null;
  target: number;
  meetsTarget: boolean;
  finalLoss: number;
  pythonFinalLoss: number | null;
}

/** One memory row. */
export interface Memory2DResult {
  N: number;
  gradientSweeps: number;
  heapUsedDelta: number;
  arrayBuffersDelta: number;
  bytesPerPoint: number;
  target: number;
  meetsTarget: boolean;
  pythonBytesPerPoint: number;
  ratio: number;
}

/** Serial loop: ask(1), tell, N times. */
export function serial(learner: L2, n: number): L2 {
  for (let i = 0; i < n; i++) {
    const p = learner.ask(1).points[0] as [number, number];
    learner.tell(p, ring(p[0], p[1]));
  }
  return learner;
}

/** Batched loop: ask(k), tell all, until N points. */
export function batched(learner: L2, n: number, k: number): L2 {
  while (learner.npoints < n) {
    const pts = learner.ask(Math.min(k, n - learner.npoints)).points;
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i] as [number, number];
      learner.tell(p, ring(p[0], p[1]));
    }
  }
  return learner;
}

function repeatsFor(n: number): number {
  if (n <= 1e3) return 30;
  if (n <= 1e4) return 7;
  return 5;
}

type Spec = {
  name: string;
  key: string;
  description: string;
  gradientSweeps: number;
  N: number;
} & (
  | { loop: () => L2; child?: undefined }
  | {
      /**
       * Measured in fresh processes instead of by a loop here, one kind a process, the kinds
       * alternated (`latticePairInChildren`): the lattice and its continuum. In one process
       * the second kind meets code V8 compiled for the first, and the lattice rows came out
       * 0–15 % over.
       */
      child: { w: number; which: 'lattice' | 'continuum' };
    }
);

/** Fresh processes for a {@link Spec} with `child`. */
const CHILD_PROCESSES = 3;

async function measure(spec: Spec): Promise<Case2DResult> {
  if (spec.child !== undefined) {
    const runs = 2 + Math.max(2, Math.ceil(repeatsFor(spec.N) / CHILD_PROCESSES));
    const c = latticePairInChildren('2d', spec.child.w, runs, CHILD_PROCESSES)[spec.child.which];
    return row(spec, c.count, c.usMin, c.usMedian, c.loss);
  }
  // `last` also keeps the previous run's learner alive through the forced GCs before the next
  // run. With no Learner2D alive, V8 collects the object shapes (maps) of its classes, reached
  // only through weak transitions, and throws away all optimised code that embedded them: each
  // run would then re-optimise from scratch (measured 1.7× slower at 1e4 points). A program that
  // uses a learner for a while is in the kept-alive case.
  let last: L2 | undefined;
  const t = await timeTask(
    spec.name,
    () => {
      last = spec.loop();
    },
    { repeats: repeatsFor(spec.N) },
  );
  if (last === undefined || last.npoints !== spec.N) {
    throw new Error(`${spec.name}: expected ${spec.N} points, got ${last?.npoints}`);
  }
  return row(spec, t.repeats, (t.minMs * 1000) / spec.N, (t.medianMs * 1000) / spec.N, last.loss());
}

/** A table row from a case's timings. */
function row(
  spec: Spec,
  repeats: number,
  usMin: number,
  usMed: number,
  finalLoss: number,
): Case2DResult {
  const p = peer(spec.key, spec.N);
  return {
    case: spec.name,
    key: spec.key,
    description: spec.description,
    gradientSweeps: spec.gradientSweeps,
    N: spec.N,
    repeats,
    usPerPointMin: usMin,
    usPerPointMedian: usMed,
    pythonUsPerPoint: p?.usPerPoint ?? null,
    ratio: p ? usMin / p.usPerPoint : null,
    speedup: p ? p.usPerPoint / usMin : null,
    target: TARGET_US_PER_POINT,
    meetsTarget: usMin <= TARGET_US_PER_POINT,
    finalLoss,
    pythonFinalLoss: p?.finalLoss ?? null,
  };
}

/**
 * Runs the Learner2D timing cases and returns one row per case, option and N.
 *
 * @example
 * const rows = await learner2dCases(); // e serial 1e3, 1e4, 1e5; e batched 1e4; × sweeps 1, 0
 * printLearner2DTable(rows);
 */
export async function learner2dCases(
  serialSizes: readonly number[] = [1e3, 1e4, 1e5],
  batchedSizes: readonly number[] = [1e4],
  sweeps: readonly number[] = [1, 0],
): Promise<Case2DResult[]> {
  const specs: Spec[] = [];
  for (const gradientSweeps of sweeps) {
    for (const N of serialSizes) {
      specs.push({
        name: 'e serial ask(1)/tell',
        key: 'e_serial',
        description: 'ring d=0.75 a=0.2 on [-1,1]², default loss, serial ask(1)/tell',
        gradientSweeps,
        N,
        loop: () => serial(new Learner2D({ bounds, gradientSweeps }), N),
      });
    }
    // The same loop on a convex polygon (issue 19.3): the square given as a hull (the box's
    // domain, the polygon's code paths) and the regular hexagon inscribed in it.
    if (gradientSweeps === 1) {
      for (const [key, hull] of HULL_CASES) {
        for (const N of serialSizes) {
          specs.push({
            name: `e serial ${key}`,
            key: `e_serial_${key.replace(/ /g, '_')}`,
            description: `ring on ${key}, default loss, serial ask(1)/tell`,
            gradientSweeps,
            N,
            loop: () => serial(new Learner2D({ hull, gradientSweeps }), N),
          });
        }
      }
    }
    for (const N of batchedSizes) {
      specs.push({
        name: 'e batched ask(100)',
        key: 'e_batched',
        description: 'ring, default loss, ask(100) then tell all',
        gradientSweeps,
        N,
        loop: () => batched(new Learner2D({ bounds, gradientSweeps }), N, 100),
      });
    }
  }
  specs.push(...latticeSpecs2D());
  const out: Case2DResult[] = [];
  for (const s of specs) out.push(await measure(s));
  return out;
}

/** Serial ask(1)/tell of f on the box until N points or done(). */
function serialOn(learner: L2, f: (x: number, y: number) => number, n: number): L2 {
  for (let i = 0; i < n; i++) {
    const pts = learner.ask(1).points;
    if (pts.length === 0) break;
    const p = pts[0] as [number, number];
    learner.tell(p, f(p[0], p[1]));
  }
  return learner;
}

/** The lattice cases (see the header): the ring mapped onto each box. */
function latticeSpecs2D(): Spec[] {
  const specs: Spec[] = [];
  const onBox =
    (w: number) =>
    (x: number, y: number): number =>
      ring((2 * x) / w - 1, (2 * y) / w - 1);
  for (const s of [100, 316]) {
    const N = s * s;
    // The continuum on the same box with as many points: what the lattice must not exceed.
    specs.push({
      name: 'lc continuum, same box and N',
      key: 'lc',
      description: `ring on [0, ${s - 1}]² in the continuum, serial ask(1)/tell, ${N} points`,
      gradientSweeps: 1,
      N,
      child: { w: s - 1, which: 'continuum' },
    });
    specs.push({
      name: 'l lattice serial, to done',
      key: 'l',
      description: `ring on the integers [0, ${s - 1}]² (integer: [true, true]), serial ask(1)/tell until done()`,
      gradientSweeps: 1,
      N,
      child: { w: s - 1, which: 'lattice' },
    });
  }
  specs.push({
    name: 'lb lattice batched ask(100), to done',
    key: 'lb',
    description: 'ring on the integers [0, 99]², ask(100) then tell all, until done()',
    gradientSweeps: 1,
    N: 1e4,
    loop: () => {
      const l = new Learner2D({
        bounds: [
          [0, 99],
          [0, 99],
        ],
        integer: [true, true],
      });
      const f = onBox(99);
      while (l.done?.() === false) {
        const pts = l.ask(100).points;
        for (const p of pts) l.tell(p, f(p[0], p[1]));
      }
      return l;
    },
  });
  const wide: [[number, number], [number, number]] = [
    [0, 1e6],
    [0, 1e6],
  ];
  for (const N of [1e4, 1e5]) {
    for (const [key, integer] of [
      ['nc', undefined],
      ['n', [true, true]],
      ['nm', [true, false]],
    ] as const) {
      specs.push({
        name: `${key} ${integer === undefined ? 'continuum' : 'lattice'} [0, 1e6]² serial`,
        key,
        description: `ring on [0, 1e6]²${integer === undefined ? '' : ` (integer: [${integer}])`}, serial ask(1)/tell`,
        gradientSweeps: 1,
        N,
        loop: () =>
          serialOn(
            new Learner2D(integer === undefined ? { bounds: wide } : { bounds: wide, integer }),
            onBox(1e6),
            N,
          ),
      });
    }
  }
  return specs;
}

/** Full GCs with pauses between: freed typed-array storage is released asynchronously. */
async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
}

/**
 * Bytes per point held by a Learner2D after a serial loop to N points (call it in a fresh
 * `node --expose-gc` process; {@link memory2dInChild} does).
 */
export async function measureMemory2D(n: number, gradientSweeps = 1): Promise<Memory2DResult> {
  if (!hasGc) throw new Error('bench/learner2d: run node with --expose-gc');
  const warm = serial(new Learner2D({ bounds, gradientSweeps }), 2000);
  warm.loss();
  const before = await settle();
  const learner = serial(new Learner2D({ bounds, gradientSweeps }), n);
  // Read the loss once, so the learner holds everything it keeps while in use (the real
  // losses are computed on the first loss() call).
  if (!(learner.loss() > 0)) throw new Error('bench/learner2d: no loss');
  const after = await settle();
  if (warm.npoints !== 2000) throw new Error('bench/learner2d: warm-up learner changed');
  if (learner.npoints !== n) throw new Error(`bench/learner2d: ${learner.npoints} points`);
  const heap = after.heapUsed - before.heapUsed;
  const ab = after.arrayBuffers - before.arrayBuffers;
  const perPoint = (heap + ab) / n;
  return {
    N: n,
    gradientSweeps,
    heapUsedDelta: heap,
    arrayBuffersDelta: ab,
    bytesPerPoint: perPoint,
    target: MEMORY_TARGET_2D,
    meetsTarget: perPoint <= MEMORY_TARGET_2D,
    pythonBytesPerPoint: PYTHON_BYTES_PER_POINT_2D,
    ratio: perPoint / PYTHON_BYTES_PER_POINT_2D,
  };
}

/** The timing cases in a fresh process. */
export function learner2dCasesInChild(): Case2DResult[] {
  return runChild<Case2DResult[]>(import.meta.url, ['cases']);
}

/** The memory figure at N in a fresh process. */
export function memory2dInChild(n = 1e5, gradientSweeps = 1): Memory2DResult {
  return runChild<Memory2DResult>(import.meta.url, ['memory', String(n), String(gradientSweeps)]);
}

function mark(b: boolean): string {
  return b ? '✓' : '✗';
}

/** Prints the timing table. */
export function printLearner2DTable(rows: readonly Case2DResult[]): void {
  printTable(
    'Learner2D: µs per point (min and median over repeats; ratio and speedup from the minima)',
    [
      'case',
      'sweeps',
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
    ],
    rows.map((r) => [
      `${r.key}  ${r.case.replace(/^e /, '')}`,
      String(r.gradientSweeps),
      fmtN(r.N),
      String(r.repeats),
      fmt(r.usPerPointMin),
      fmt(r.usPerPointMedian),
      fmt(r.pythonUsPerPoint),
      fmt(r.ratio),
      r.speedup === null ? '–' : `${fmt(r.speedup)}×`,
      `≤ ${r.target}`,
      mark(r.meetsTarget),
      fmt(r.finalLoss),
      fmt(r.pythonFinalLoss),
    ]),
  );
  for (const s of new Set(rows.map((r) => r.gradientSweeps))) {
    const serialRows = rows.filter((r) => r.gradientSweeps === s && r.key === 'e_serial');
    const first = serialRows[0];
    const last = serialRows[serialRows.length - 1];
    if (first !== undefined && last !== undefined && first !== last) {
      console.log(
        `  gradientSweeps ${s}: serial µs/point at ${fmtN(last.N)} ÷ at ${fmtN(first.N)} = ${fmt(last.usPerPointMin / first.usPerPointMin)} (python: ${fmt(3176.858 / 333.201)} from 1e3 to 1e4)`,
      );
    }
  }
}

/** Prints the memory table. */
export function printMemory2DTable(rows: readonly Memory2DResult[]): void {
  printTable(
    'Learner2D memory: bytes per point held after forced GC (serial loop, ring)',
    [
      'N',
      'sweeps',
      'heapUsed Δ MB',
      'arrayBuffers Δ MB',
      'total B/pt',
      'python B/pt',
      'ratio ours/py',
      'target B/pt',
      'meets',
    ],
    rows.map((r) => [
      fmtN(r.N),
      String(r.gradientSweeps),
      (r.heapUsedDelta / 2 ** 20).toFixed(1),
      (r.arrayBuffersDelta / 2 ** 20).toFixed(1),
      fmt(r.bytesPerPoint),
      `~${r.pythonBytesPerPoint}`,
      fmt(r.ratio),
      `≤ ${r.target}`,
      mark(r.meetsTarget),
    ]),
  );
}

if (isMain(import.meta.url)) {
  const i = process.argv.indexOf('--json');
  if (i >= 0) {
    const which = process.argv[i + 1];
    if (which === 'memory') {
      const n = Number(process.argv[i + 2] ?? 1e5);
      const sweeps = Number(process.argv[i + 3] ?? 1);
      console.log(JSON.stringify(await measureMemory2D(n, sweeps)));
    } else {
      console.log(JSON.stringify(await learner2dCases()));
    }
  } else {
    console.log(machineLine());
    printLearner2DTable(await learner2dCases());
    printMemory2DTable([memory2dInChild(1e5, 1), memory2dInChild(1e5, 0)]);
  }
}
