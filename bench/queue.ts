/**
 * The loss queue choice, measured: IndexedHeap (src/queue/heap.ts, 4-ary, indexed) vs
 * sorted-btree (bench/btree.ts's BTreeQueue) vs a plain lazy-deletion binary heap written here, on the
 * learner-like "mixed" workload of spike.md §2.
 *
 * Workload: start with START entries (random keys, every 97th key 0.5 so that ties
 * happen), then STEPS steps. Each step does what a Learner1D tell does to its queue: peek
 * the max, lower its key to a fraction of itself (the left half of the split interval) and
 * insert one new entry (the right half) with a key near it; every 4th step also deletes a
 * random live entry. Every 97th split is exact, both halves 0.5 × the old key (a tie). The
 * random numbers and the deleted ids are drawn before timing, so every variant does exactly
 * the same work; the ids seen at the top are hashed and must agree across variants.
 * ops = peeks + sets + deletes (3.25 per step).
 *
 * Run: `node --expose-gc dist-bench/bench/queue.js`.
 */
import { IndexedHeap } from '../src/queue/heap.js';
import type { TieKeys } from '../src/queue/types.js';
import { BTreeQueue } from './btree.js';
import { fmt, fmtN, isMain, printTable, rng, runChild, timeTask } from './harness.js';

const START = 100_000;
const STEPS = 1_000_000;
const DELETE_EVERY = 4;

/** The operations the workload uses: a subset of LossQueue. */
interface Queue {
  set(id: number, key: number): void;
  delete(id: number): void;
  peek(): number;
  key(id: number): number;
}

/**
 * A binary max-heap with lazy deletion: a changed or deleted item leaves its old entry
 * behind (recognised as stale by a per-id version stamp) and is skipped at the top;
 * the heap is rebuilt once stale entries outnumber live ones. Same order as LossQueue:
 * larger key first, then smaller tie key, then smaller id.
 */
class LazyHeap implements Queue {
  private hk = new Float64Array(1024); // entry key
  private hid = new Int32Array(1024); // entry id
  private hv = new Int32Array(1024); // entry version
  private m = 0; // entries, stale included
  private stale = 0;
  private ver = new Int32Array(1024); // current version of each id
  private cur = new Float64Array(1024); // current key of each id
  private live = new Uint8Array(1024);
  private count = 0;

  constructor(private readonly ties: TieKeys) {}

  get size(): number {
    return this.count;
  }

  key(id: number): number {
    return this.cur[id] as number;
  }

  set(id: number, key: number): void {
    if (id >= this.ver.length) this.growIds(id + 1);
    if (this.live[id] === 1) {
      if (this.cur[id] === key) return;
      this.stale++;
    } else {
      this.live[id] = 1;
      this.count++;
    }
    const v = ((this.ver[id] as number) + 1) | 0;
    this.ver[id] = v;
    this.cur[id] = key;
    this.push(key, id, v);
    if (this.stale > this.count && this.stale > 1024) this.rebuild();
  }

  delete(id: number): void {
    if (id >= this.live.length || this.live[id] !== 1) return;
    this.live[id] = 0;
    this.count--;
    this.ver[id] = ((this.ver[id] as number) + 1) | 0;
    this.stale++;
    if (this.stale > this.count && this.stale > 1024) this.rebuild();
  }

  peek(): number {
    while (this.m > 0) {
      const id = this.hid[0] as number;
      if (this.hv[0] === this.ver[id] && this.live[id] === 1) return id;
      this.popTop();
      this.stale--;
    }
    return -1;
  }

  /** Whether entry i comes before entry j. */
  private before(i: number, j: number): boolean {
    const ki = this.hk[i] as number;
    const kj = this.hk[j] as number;
    if (ki !== kj) return ki > kj;
    const a = this.hid[i] as number;
    const b = this.hid[j] as number;
    const ta = this.ties.tie[a] as number;
    const tb = this.ties.tie[b] as number;
    if (ta !== tb) return ta < tb;
    return a < b;
  }

  private swap(i: number, j: number): void {
    const hk = this.hk;
    const hid = this.hid;
    const hv = this.hv;
    const k = hk[i] as number;
    hk[i] = hk[j] as number;
    hk[j] = k;
    const d = hid[i] as number;
    hid[i] = hid[j] as number;
    hid[j] = d;
    const v = hv[i] as number;
    hv[i] = hv[j] as number;
    hv[j] = v;
  }

  private push(key: number, id: number, v: number): void {
    if (this.m === this.hk.length) this.growHeap();
    let p = this.m++;
    this.hk[p] = key;
    this.hid[p] = id;
    this.hv[p] = v;
    while (p > 0) {
      const q = (p - 1) >> 1;
      if (!this.before(p, q)) break;
      this.swap(p, q);
      p = q;
    }
  }

  private popTop(): void {
    const last = --this.m;
    if (last > 0) {
      this.hk[0] = this.hk[last] as number;
      this.hid[0] = this.hid[last] as number;
      this.hv[0] = this.hv[last] as number;
      this.down(0);
    }
  }

  private down(start: number): void {
    const m = this.m;
    let p = start;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= m) break;
      if (c + 1 < m && this.before(c + 1, c)) c++;
      if (!this.before(c, p)) break;
      this.swap(p, c);
      p = c;
    }
  }

  /** Drops the stale entries and re-heapifies, O(entries). */
  private rebuild(): void {
    let w = 0;
    for (let r = 0; r < this.m; r++) {
      const id = this.hid[r] as number;
      if (this.hv[r] === this.ver[id] && this.live[id] === 1) {
        this.hk[w] = this.hk[r] as number;
        this.hid[w] = id;
        this.hv[w] = this.hv[r] as number;
        w++;
      }
    }
    this.m = w;
    this.stale = 0;
    for (let p = (w >> 1) - 1; p >= 0; p--) this.down(p);
  }

  private growHeap(): void {
    const n = this.hk.length * 2;
    const hk = new Float64Array(n);
    hk.set(this.hk);
    const hid = new Int32Array(n);
    hid.set(this.hid);
    const hv = new Int32Array(n);
    hv.set(this.hv);
    this.hk = hk;
    this.hid = hid;
    this.hv = hv;
  }

  private growIds(min: number): void {
    let n = this.ver.length * 2;
    while (n < min) n *= 2;
    const ver = new Int32Array(n);
    ver.set(this.ver);
    const cur = new Float64Array(n);
    cur.set(this.cur);
    const live = new Uint8Array(n);
    live.set(this.live);
    this.ver = ver;
    this.cur = cur;
    this.live = live;
  }
}

/** The pre-drawn workload. */
interface Workload {
  ties: TieKeys;
  initKeys: Float64Array;
  /** Per step: fraction kept by the max (left half), and the new entry's fraction. */
  left: Float64Array;
  right: Float64Array;
  /** Per step: the id deleted, or -1. */
  del: Int32Array;
  ops: number;
}

function makeWorkload(seed: number): Workload {
  const r = rng(seed);
  const total = START + STEPS;
  const tie = new Float64Array(total);
  for (let i = 0; i < total; i++) tie[i] = r() * 2 - 1;
  const initKeys = new Float64Array(START);
  for (let i = 0; i < START; i++) initKeys[i] = i % 97 === 0 ? 0.5 : r();
  const left = new Float64Array(STEPS);
  const right = new Float64Array(STEPS);
  const del = new Int32Array(STEPS).fill(-1);
  // The live ids do not depend on the queue's order (the max is updated, never removed),
  // so the random deletes can be drawn now: swap-remove from a list of live ids.
  const liveIds = new Int32Array(total);
  let nLive = START;
  for (let i = 0; i < START; i++) liveIds[i] = i;
  let ops = 0;
  for (let s = 0; s < STEPS; s++) {
    if (s % 97 === 0) {
      left[s] = 0.5;
      right[s] = 0.5;
    } else {
      left[s] = 0.3 + 0.4 * r();
      right[s] = 0.3 + 0.4 * r();
    }
    liveIds[nLive++] = START + s;
    ops += 3; // peek, set (lower the max), set (insert)
    if (s % DELETE_EVERY === DELETE_EVERY - 1) {
      const j = Math.floor(r() * nLive);
      del[s] = liveIds[j] as number;
      liveIds[j] = liveIds[--nLive] as number;
      ops++;
    }
  }
  return { ties: { tie }, initKeys, left, right, del, ops };
}

function fill(q: Queue, w: Workload): void {
  for (let i = 0; i < START; i++) q.set(i, w.initKeys[i] as number);
}

/** The timed part; returns a hash of the ids seen at the top. */
function mixed(q: Queue, w: Workload): number {
  let h = 0;
  const { left, right, del } = w;
  for (let s = 0; s < STEPS; s++) {
    const top = q.peek();
    h = (Math.imul(h, 31) + top) | 0;
    const k = q.key(top);
    q.set(top, k * (left[s] as number));
    q.set(START + s, k * (right[s] as number));
    const d = del[s] as number;
    // The deleted id may be the max just updated: then the max goes.
    if (d >= 0) q.delete(d);
  }
  return h;
}

/** One queue variant's result. */
export interface QueueResult {
  variant: string;
  start: number;
  steps: number;
  ops: number;
  repeats: number;
  nsPerOpMin: number;
  nsPerOpMedian: number;
  /** Median ns/op ÷ IndexedHeap's. */
  relative: number;
}

/** Runs the mixed workload on the three queues. */
export async function queueBench(): Promise<QueueResult[]> {
  const w = makeWorkload(20261122);
  const variants: { name: string; make: () => Queue; repeats: number }[] = [
    { name: 'IndexedHeap (src/queue/heap.ts)', make: () => new IndexedHeap(w.ties), repeats: 5 },
    { name: 'lazy-deletion binary heap (inline)', make: () => new LazyHeap(w.ties), repeats: 5 },
    {
      name: 'sorted-btree (bench/btree.ts)',
      make: () => new BTreeQueue(w.ties),
      repeats: 3,
    },
  ];
  const out: QueueResult[] = [];
  let expected: number | undefined;
  for (const v of variants) {
    let q: Queue = v.make();
    let hash = 0;
    const t = await timeTask(
      v.name,
      () => {
        hash = mixed(q, w);
      },
      {
        repeats: v.repeats,
        before: () => {
          q = v.make();
          fill(q, w);
        },
      },
    );
    if (expected === undefined) expected = hash;
    else if (hash !== expected) {
      throw new Error(`bench/queue: ${v.name} saw a different max sequence (hash ${hash})`);
    }
    out.push({
      variant: v.name,
      start: START,
      steps: STEPS,
      ops: w.ops,
      repeats: t.repeats,
      nsPerOpMin: (t.minMs * 1e6) / w.ops,
      nsPerOpMedian: (t.medianMs * 1e6) / w.ops,
      relative: 0,
    });
  }
  const base = out[0]?.nsPerOpMedian ?? 1;
  for (const r of out) r.relative = r.nsPerOpMedian / base;
  return out;
}

/** Prints the queue table. */
export function printQueueTable(rows: readonly QueueResult[]): void {
  const r0 = rows[0];
  printTable(
    r0
      ? `Loss queue, mixed workload: ${fmtN(r0.start)} entries + ${fmtN(r0.steps)} steps (peek, lower the max, insert 1; delete 1 every ${DELETE_EVERY}th): ns per op`
      : 'Loss queue',
    ['variant', 'reps', 'min ns/op', 'median ns/op', 'vs IndexedHeap (median)'],
    rows.map((r) => [
      r.variant,
      String(r.repeats),
      fmt(r.nsPerOpMin),
      fmt(r.nsPerOpMedian),
      `${r.relative.toFixed(2)}×`,
    ]),
  );
}

/** Runs {@link queueBench} in a fresh process. */
export function queueBenchInChild(): QueueResult[] {
  return runChild<QueueResult[]>(import.meta.url);
}

if (isMain(import.meta.url)) {
  const rows = await queueBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else printQueueTable(rows);
}
