/**
 * Runs every bench, each in a fresh `node --expose-gc` process (so one bench's heap and
 * JIT state do not affect the next), prints the tables and writes `bench/results.json`.
 *
 *   tsc -p tsconfig.bench.json && node --expose-gc dist-bench/bench/run.js
 *
 * `--quick` skips the queue, index, end-to-end and cold-start benches. Names select benches
 * to run alone (nothing written): `npm run bench -- e2e coldstart import` (import: after
 * `npm run build`).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Average1DResult, benchAverage1DInChild, printAverage1DTable } from './average1d.js';
import {
  type ColdStartResult,
  coldStartCases,
  packageImport,
  printColdStartTable,
  printPackageImport,
} from './coldstart.js';
import { type CompositeResult, compositeInChild, printCompositeTable } from './composite.js';
import { type E2EResult, e2eBenchInChild, printE2ETable } from './e2e.js';
import { machineLine } from './harness.js';
import { importTimes, printImportTimes } from './import-time.js';
import { indexBenchInChild, printIndexTable } from './index.js';
import { integratorInChild, printIntegratorTable } from './integrator.js';
import { type CaseResult, inChild, printLearnerTable, printRunnerTable } from './learner1d.js';
import {
  learner2dCasesInChild,
  memory2dInChild,
  printLearner2DTable,
  printMemory2DTable,
} from './learner2d.js';
import { learnerNDInChild, printLearnerNDTable } from './learnernd.js';
import { measureMemoryInChild, printMemoryTable } from './memory.js';
import { poolBenchInChild, printPoolTable } from './pool.js';
import { printQueueTable, queueBenchInChild } from './queue.js';
import { printQueueMasterTable, queueMasterBenchInChild } from './queue-master.js';
import { printSparseGridTables, sparseGridInChild } from './sparse-grid.js';

const t0 = performance.now();
const quick = process.argv.includes('--quick');
const machine = machineLine();
console.log(machine);

/** Benches that can run alone, by name. */
const ALONE: Record<string, () => void> = {
  e2e: () => printE2ETable(e2eBenchInChild()),
  coldstart: () => {
    printColdStartTable(coldStartCases());
    printPackageImport(packageImport());
  },
  // Needs dist/ (npm run build).
  import: () =>
    printImportTimes(importTimes([fileURLToPath(new URL('../..', import.meta.url))]), [
      'this build',
    ]),
};
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (only.length > 0) {
  for (const name of only) {
    const bench = ALONE[name];
    if (bench === undefined) {
      throw new Error(`bench: unknown bench '${name}'; known: ${Object.keys(ALONE).join(', ')}`);
    }
    bench();
  }
  console.log(`\n${machineLine()}`);
  process.exit(0);
}

const learner = inChild('cases');
printLearnerTable(learner);
const runner = inChild('runner');
printRunnerTable(runner);

const memory = [1e5, 1e6].map(measureMemoryInChild);
printMemoryTable(memory);

const learner2d = learner2dCasesInChild();
printLearner2DTable(learner2d);
const memory2d = [memory2dInChild(1e5, 1), memory2dInChild(1e5, 0)];
printMemory2DTable(memory2d);
const learnernd = quick ? [] : learnerNDInChild();
if (!quick) printLearnerNDTable(learnernd);
const sparseGrid = quick ? { timing: [], quality: [] } : sparseGridInChild();
if (!quick) printSparseGridTables(sparseGrid);

const composite: CompositeResult[] = compositeInChild();
printCompositeTable(composite);
const average1d: Average1DResult[] = [benchAverage1DInChild()];
printAverage1DTable(average1d);
const integrator = integratorInChild();
printIntegratorTable(integrator);
const pool = poolBenchInChild();
printPoolTable(pool);
const queueMaster = quick ? [] : queueMasterBenchInChild();
if (!quick) printQueueMasterTable(queueMaster);

const queue = quick ? [] : queueBenchInChild();
if (!quick) printQueueTable(queue);
const index = quick ? [] : indexBenchInChild();
if (!quick) printIndexTable(index);
const e2e: E2EResult[] = quick ? [] : e2eBenchInChild();
if (!quick) printE2ETable(e2e);
const coldStart: ColdStartResult[] = quick ? [] : coldStartCases();
if (!quick) printColdStartTable(coldStart);

const missed: string[] = [];
for (const r of [...learner, ...runner] as CaseResult[]) {
  if (r.meetsTarget === false) {
    const v = r.targetOn === 'addedUsPerPointMin' ? r.addedUsPerPointMin : r.usPerPointMin;
    missed.push(`${r.case} N=${r.N}: ${v?.toFixed(3)} µs/point, target ≤ ${r.target}`);
  }
}
for (const r of [...composite, ...average1d]) {
  if (r.meetsTarget === false) {
    missed.push(`${r.case} N=${r.N}: ${r.usPerPointMin.toFixed(3)} µs/point, target ≤ ${r.target}`);
  }
}
for (const r of learner2d) {
  if (r.meetsTarget === false) {
    missed.push(
      `Learner2D ${r.case} (gradientSweeps ${r.gradientSweeps}) N=${r.N}: ${r.usPerPointMin.toFixed(2)} µs/point, target ≤ ${r.target}`,
    );
  }
}
for (const r of memory2d) {
  if (r.meetsTarget === false) {
    missed.push(
      `Learner2D memory N=${r.N}: ${r.bytesPerPoint.toFixed(0)} B/point, target ≤ ${r.target}`,
    );
  }
}
for (const r of learnernd) {
  if (r.meetsTarget === false) {
    missed.push(
      `LearnerND ${r.case} N=${r.N}: ${r.usPerPointMin.toFixed(1)} µs/point, target ≤ ${r.target}`,
    );
  }
}
for (const r of sparseGrid.timing) {
  if (r.meetsTarget === false) {
    missed.push(
      `SparseGridLearner ${r.fn} ${r.dim}-D N=${r.N}: ${r.cpuUsPerPointMin.toFixed(1)} CPU µs/point, target ≤ ${r.target}`,
    );
  }
}
for (const q of sparseGrid.quality) {
  if (q.meetsTarget === false)
    missed.push(`SparseGridLearner ${q.case} N=${q.N}: ${q.value}, target ${q.target}`);
}
for (const r of queueMaster) {
  if (r.meetsTarget === false) {
    missed.push(`${r.case}: ${r.pointsPerSecMax.toFixed(0)} points/s, target ≥ ${r.target}`);
  }
}
for (const r of pool) {
  if (r.meetsTarget === false) {
    missed.push(`${r.case}: ${r.pointsPerSecMax.toFixed(0)} points/s, target ≥ ${r.target}`);
  }
}
for (const m of memory) {
  if (m.meetsTarget === false) {
    missed.push(`memory N=${m.N}: ${m.bytesPerPoint.toFixed(1)} B/point, target ≤ ${m.target}`);
  }
}
for (const r of e2e) {
  if (r.meetsTarget === false) {
    missed.push(
      `end to end ${r.learner} ${r.form} ${r.costUs} µs × ${r.threads} threads: efficiency ${r.best.toFixed(3)}, target ≥ ${r.target}`,
    );
  }
}
for (const r of coldStart) {
  if (!r.meetsTarget) {
    missed.push(`first run ${r.learner}: ${r.coldUsMin} µs/point, target ≤ ${r.target}`);
  }
}
console.log(
  missed.length === 0 ? '\nAll targets met.' : `\nMissed targets:\n  ${missed.join('\n  ')}`,
);

const out = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      units: {
        usPerPointMin: 'µs per point: fastest full loop to N points on a fresh learner ÷ N',
        usPerPointMedian: 'µs per point: median full loop ÷ N',
        pythonUsPerPoint: 'python-adaptive 1.5.2 on this machine kind, minimum loop ÷ N',
        ratio: 'ours ÷ python, from our minimum (python figures are minima too)',
        speedup: 'python ÷ ours',
        addedUsPerPointMin: 'run()/runSync µs per point minus the plain ask/tell loop’s, same N',
        bytesPerPoint: '(heapUsed + arrayBuffers) delta after forced GC ÷ N',
        nsPerOp: 'ns per queue / index operation',
      },
      learner1d: [...learner, ...runner],
      memory,
      learner2d,
      memory2d,
      learnernd,
      sparseGrid,
      composite,
      average1d,
      integrator,
      pool,
      queueMaster,
      queue,
      index,
      e2e,
      coldStart,
      missedTargets: missed,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${out} in ${((performance.now() - t0) / 1000).toFixed(0)} s total`);
