/**
 * The ordered x → id index choice, measured: SortedIndex (src/util/sorted-index.ts, sorted
 * blocks in typed arrays) vs sorted-btree (through bench/btree.ts, numeric comparator).
 *
 * Workloads, ns per op: insert 1e6 random doubles into an empty index; then 1e6 `get` of
 * present keys in random order; then 1e6 predecessor lookups (largest key < q) of random
 * queries (`SortedIndex.lower`, `BTree.nextLowerPair`). The keys and queries are drawn
 * before timing; the lookups' results are hashed and must agree.
 *
 * Run: `node --expose-gc dist-bench/bench/index.js`.
 */

import { SortedIndex } from '../src/util/sorted-index.js';
import { BTree, type BTreeT } from './btree.js';
import { fmt, fmtN, isMain, printTable, rng, runChild, timeTask } from './harness.js';

const N = 1_000_000;

interface OrderedIndex {
  insert(x: number, id: number): void;
  get(x: number): number;
  lower(x: number): number;
}

class BTreeIndex implements OrderedIndex {
  private readonly t: BTreeT<number, number> = new BTree<number, number>(
    undefined,
    (a, b) => a - b,
  );
  insert(x: number, id: number): void {
    this.t.set(x, id);
  }
  get(x: number): number {
    return this.t.get(x) ?? -1;
  }
  lower(x: number): number {
    const p = this.t.nextLowerPair(x);
    return p === undefined ? -1 : p[1];
  }
}

/** One (structure, workload) result. */
export interface IndexResult {
  structure: string;
  workload: string;
  ops: number;
  repeats: number;
  nsPerOpMin: number;
  nsPerOpMedian: number;
  /** Median ns/op ÷ SortedIndex's on the same workload. */
  relative: number;
}

/** Runs the three workloads on both structures. */
export async function indexBench(): Promise<IndexResult[]> {
  const r = rng(7);
  const keys = new Float64Array(N);
  const seen = new Set<number>();
  for (let i = 0; i < N; i++) {
    let x = r() * 2 - 1;
    while (seen.has(x)) x = r() * 2 - 1;
    seen.add(x);
    keys[i] = x;
  }
  seen.clear();
  const order = new Int32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const getQ = new Float64Array(N);
  for (let i = 0; i < N; i++) getQ[i] = keys[order[i] as number] as number;
  const lowerQ = new Float64Array(N);
  for (let i = 0; i < N; i++) lowerQ[i] = r() * 2.02 - 1.01;

  const structures: { name: string; make: () => OrderedIndex; repeats: number }[] = [
    { name: 'SortedIndex', make: () => new SortedIndex(), repeats: 5 },
    { name: 'sorted-btree', make: () => new BTreeIndex(), repeats: 3 },
  ];
  const out: IndexResult[] = [];
  const hashes = new Map<string, number>();
  for (const s of structures) {
    // insert: a fresh, empty index per run
    let idx = s.make();
    const tIns = await timeTask(
      `${s.name} insert`,
      () => {
        for (let i = 0; i < N; i++) idx.insert(keys[i] as number, i);
      },
      { repeats: s.repeats, before: () => (idx = s.make()) },
    );
    out.push(
      row(s.name, `insert ${fmtN(N)} random doubles`, tIns.minMs, tIns.medianMs, tIns.repeats),
    );
    // lookups on the full index built by the last insert run
    const full = idx;
    let h = 0;
    const tGet = await timeTask(
      `${s.name} get`,
      () => {
        let acc = 0;
        for (let i = 0; i < N; i++) acc = (acc + full.get(getQ[i] as number)) | 0;
        h = acc;
      },
      { repeats: s.repeats },
    );
    check(hashes, 'get', h, s.name);
    out.push(row(s.name, `get ${fmtN(N)} (present keys)`, tGet.minMs, tGet.medianMs, tGet.repeats));
    const tLow = await timeTask(
      `${s.name} lower`,
      () => {
        let acc = 0;
        for (let i = 0; i < N; i++)
          acc = (Math.imul(acc, 31) + full.lower(lowerQ[i] as number)) | 0;
        h = acc;
      },
      { repeats: s.repeats },
    );
    check(hashes, 'lower', h, s.name);
    out.push(
      row(
        s.name,
        `predecessor ${fmtN(N)} (random queries)`,
        tLow.minMs,
        tLow.medianMs,
        tLow.repeats,
      ),
    );
  }
  for (const r2 of out) {
    const base = out.find((b) => b.structure === 'SortedIndex' && b.workload === r2.workload);
    r2.relative = base ? r2.nsPerOpMedian / base.nsPerOpMedian : Number.NaN;
  }
  return out;
}

function row(
  structure: string,
  workload: string,
  minMs: number,
  medianMs: number,
  repeats: number,
): IndexResult {
  return {
    structure,
    workload,
    ops: N,
    repeats,
    nsPerOpMin: (minMs * 1e6) / N,
    nsPerOpMedian: (medianMs * 1e6) / N,
    relative: 1,
  };
}

function check(hashes: Map<string, number>, what: string, h: number, who: string): void {
  const prev = hashes.get(what);
  if (prev === undefined) hashes.set(what, h);
  else if (prev !== h) throw new Error(`bench/index: ${who} ${what} results differ`);
}

/** Prints the index table, grouped by workload. */
export function printIndexTable(rows: readonly IndexResult[]): void {
  const sorted = [...rows].sort((a, b) =>
    a.workload === b.workload
      ? 0
      : rows.findIndex((r) => r.workload === a.workload) -
        rows.findIndex((r) => r.workload === b.workload),
  );
  printTable(
    'Ordered index x → id: ns per op',
    ['workload', 'structure', 'reps', 'min ns/op', 'median ns/op', 'vs SortedIndex (median)'],
    sorted.map((r) => [
      r.workload,
      r.structure,
      String(r.repeats),
      fmt(r.nsPerOpMin),
      fmt(r.nsPerOpMedian),
      `${r.relative.toFixed(2)}×`,
    ]),
  );
}

/** Runs {@link indexBench} in a fresh process. */
export function indexBenchInChild(): IndexResult[] {
  return runChild<IndexResult[]>(import.meta.url);
}

if (isMain(import.meta.url)) {
  const rows = await indexBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else printIndexTable(rows);
}
