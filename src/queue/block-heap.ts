/**
 * A loss queue for ids that are updated in neighbourhoods: the ids are grouped in blocks of
 * 32 consecutive ids under a 4-ary heap of blocks (Learner2D's triangle losses; its
 * renumbering makes ids that are near in the plane near in memory). Behind the
 * {@link LossQueue} interface, in the model test against {@link ReferenceQueue}
 * (`test/queue/block-heap.test.ts`), plus `build`, `remap`, `settle` and `copyFrom`.
 */
import { growInt32 } from '../util/grow.js';
import type { ReferenceQueue } from './reference.js';
import type { LossQueue, TieKeys } from './types.js';

/** log2 of the ids per block of {@link BlockLossHeap}. */
const BSHIFT = 5;
/** The ids per block. */
const BSIZE = 1 << BSHIFT;
/** Below this many ids the capacity doubles; above, it grows by half. */
const DOUBLING_LIMIT = 4096;

/**
 * The order among equal keys: whether id a comes before id b (a strict total order on the
 * ids held). A class, not a closure: a closure per owner would make V8 throw away the
 * optimised code that inlined it whenever an owner is collected.
 */
export interface TieOrder {
  before(a: number, b: number): boolean;
}

/**
 * The {@link LossQueue} tie rule as a {@link TieOrder}: the smaller tie key, then the
 * smaller id (for {@link BlockLossHeap} beside {@link ReferenceQueue} in the model test).
 * @example const heap = new BlockLossHeap(new TieKeyOrder({ tie: new Float64Array(64) }));
 */
export class TieKeyOrder implements TieOrder {
  constructor(readonly keys: TieKeys) {}
  before(a: number, b: number): boolean {
    const ta = this.keys.tie[a] as number;
    const tb = this.keys.tie[b] as number;
    return ta < tb || (ta === tb && a < b);
  }
}

/**
 * A loss queue of many ids updated near each other: a max-heap of blocks of ids, lazy on
 * decreases (Learner2D's triangle losses).
 *
 * `cur[id]` is the key of id (NaN: not held). Ids are grouped in blocks of
 * 32 consecutive ids, and a 4-ary max-heap orders the non-empty blocks by a key that is an
 * upper bound of their largest loss, exact when the block is clean (then `barg` is the id of
 * that loss). A loss that grows past its block's key raises the key and sifts the block up;
 * one that shrinks only writes `cur` (and marks the block stale when it was the block's
 * largest); a stale block is rescanned when it reaches the top.
 *
 * Why blocks: a tell updates the losses of some fifty triangles, all near the new point. The
 * renumbering puts the ids of triangles that are near in the plane near in memory, so their
 * `cur` entries and their blocks share cache lines, and the block heap is 32 times smaller
 * than a heap of triangles (a few hundred kB at 1e5 points, in cache); a heap of triangles
 * puts every entry at a random position and costs a cache miss per update on large heaps.
 *
 * Equal losses are ordered by the triangles' coordinates (`tie`), never by their ids, so the
 * order does not depend on history: within a block the rescan applies the rule; between
 * blocks the heap orders equal keys too, stale blocks first and clean ones by the rule applied
 * to their largest (`above`), so peek reads a clean root; the walk explores every block whose
 * key is not below the entry it emits.
 */
export class BlockLossHeap implements LossQueue {
  /** The loss of each id; NaN where there is no triangle. */
  cur: Float64Array = new Float64Array(BSIZE).fill(Number.NaN);
  /** Number of entries. */
  n = 0;
  // TypeScript `private`, not `#`, on purpose (issue 16; as Delaunay2D): Learner2D's serial
  // ask/tell, CPU µs a point, min of 30 runs of 1000 points, 3 alternating pairs: with `#`
  // members 8.93 / 8.96 / 8.86 (gradientSweeps 1), with `private` 8.65 / 8.63 / 8.55.
  // Per block.
  private bcount: Int32Array = new Int32Array(1);
  private barg: Int32Array = new Int32Array(1);
  private bstale: Uint8Array = new Uint8Array(1);
  private bpos: Int32Array = new Int32Array(1).fill(-1); // heap position, -1: empty block
  // The block heap: block and key by heap position.
  private hb: Int32Array = new Int32Array(16);
  private hk: Float64Array = new Float64Array(16);
  private hn = 0;
  // The ordered walk: a frontier of block-heap positions by key, and the ids of the blocks
  // explored, ready to be emitted by their loss.
  private frontier: Int32Array = new Int32Array(64);
  private m = 0;
  private ready: Int32Array = new Int32Array(256);
  private r = 0;
  private met: Int32Array = new Int32Array(64); // stale blocks the walk explored
  private nm = 0;

  /** The order among equal keys. */
  private readonly ties: TieOrder;

  /** @param ties the order among equal keys. */
  constructor(ties: TieOrder) {
    this.ties = ties;
  }

  /** Number of entries (the {@link LossQueue} name of `n`). */
  get size(): number {
    return this.n;
  }

  /** The tie rule: whether id a comes before id b among equal keys. */
  private tie(a: number, b: number): boolean {
    return this.ties.before(a, b);
  }

  has(id: number): boolean {
    return id < this.cur.length && !Number.isNaN(this.cur[id] as number);
  }

  /** The loss of id. */
  key(id: number): number {
    return this.cur[id] as number;
  }

  /** Makes room for ids below `cap` (and their blocks). */
  private reserve(id: number): void {
    let cap = this.cur.length;
    while (cap <= id) cap = cap < DOUBLING_LIMIT ? cap * 2 : cap + (cap >> 1);
    cap = ((cap + BSIZE - 1) >> BSHIFT) << BSHIFT;
    const cur = new Float64Array(cap).fill(Number.NaN);
    cur.set(this.cur);
    this.cur = cur;
    const nb = cap >> BSHIFT;
    const count = new Int32Array(nb);
    count.set(this.bcount);
    this.bcount = count;
    const arg = new Int32Array(nb);
    arg.set(this.barg);
    this.barg = arg;
    const stale = new Uint8Array(nb);
    stale.set(this.bstale);
    this.bstale = stale;
    const pos = new Int32Array(nb).fill(-1);
    pos.set(this.bpos);
    this.bpos = pos;
    if (this.hb.length < nb) {
      const hb = new Int32Array(nb);
      hb.set(this.hb);
      this.hb = hb;
      const hk = new Float64Array(nb);
      hk.set(this.hk);
      this.hk = hk;
    }
  }

  /** Sets the loss of id (a new entry or a new value). O(1) unless its block's key grows. */
  set(id: number, key: number): void {
    if (Number.isNaN(key)) throw new Error('BlockLossHeap: internal error: a NaN key');
    if (id >= this.cur.length) this.reserve(id);
    const old = this.cur[id] as number;
    this.cur[id] = key;
    const b = id >> BSHIFT;
    if (Number.isNaN(old)) {
      this.n++;
      if ((this.bpos[b] as number) < 0) {
        this.bcount[b] = 1;
        this.barg[b] = id;
        this.bstale[b] = 0;
        this.insertBlock(b, key);
        return;
      }
      this.bcount[b] = (this.bcount[b] as number) + 1;
    } else if (this.barg[b] === id && this.bstale[b] === 0) {
      // The block's largest: its key follows it up; down, it becomes an upper bound.
      const p = this.bpos[b] as number;
      const bk = this.hk[p] as number;
      if (key > bk) {
        this.hk[p] = key;
        this.up(p);
      } else if (key < bk) {
        this.bstale[b] = 1; // a stale block comes first among equal keys
        this.up(p);
      }
      return;
    } else if (key <= old) {
      return; // below the block's largest (or its bound) before, and still
    }
    const p = this.bpos[b] as number;
    const bk = this.hk[p] as number;
    if (key > bk) {
      // Above every loss of the block: the new (exact) largest.
      this.hk[p] = key;
      this.barg[b] = id;
      this.bstale[b] = 0;
      this.up(p);
    } else if (key === bk && this.bstale[b] === 0 && this.tie(id, this.barg[b] as number)) {
      this.barg[b] = id; // equal to the largest, and first by the tie rule
      this.up(p);
    }
    // Else below the key (or equal to a stale bound): the rescan will see it.
  }

  delete(id: number): void {
    if (id >= this.cur.length || Number.isNaN(this.cur[id] as number)) return;
    this.cur[id] = Number.NaN;
    this.n--;
    const b = id >> BSHIFT;
    this.bcount[b] = (this.bcount[b] as number) - 1;
    // Marked stale (an empty block stays, stale, until a read repairs it): a delete moves
    // blocks only up past blocks of smaller key or clean ones, and never applies the tie
    // rule. Learner2D deletes the triangles an insertion removed after the mesh gave their
    // ids to the new ones, whose vertices the tie rule would read.
    if (this.barg[b] === id && this.bstale[b] === 0) {
      this.bstale[b] = 1;
      this.up(this.bpos[b] as number);
    }
  }

  /**
   * The id of largest loss (the first by the tie rule among equal ones; rescanning stale
   * blocks on the way), or -1. The heap orders blocks of equal key too (see `above`), so a
   * clean root is the answer. O(32 + log n) amortised per stale block met.
   */
  peek(): number {
    for (;;) {
      if (this.hn === 0) return -1;
      const b = this.hb[0] as number;
      if (this.bstale[b] === 0) return this.barg[b] as number;
      this.repair(0);
    }
  }

  /** Stale block at heap position p: rescanned and moved down, or removed when empty. */
  private repair(p: number): void {
    const b = this.hb[p] as number;
    if ((this.bcount[b] as number) === 0) {
      this.removeBlock(b);
      return;
    }
    this.hk[p] = this.rescan(b);
    this.down(p);
  }

  /**
   * The heap's order of blocks: whether block a with key ka comes strictly before block b with
   * key kb. By key; among equal keys a stale block first (its largest is unknown: it must be
   * rescanned before a clean block of its key can be the top), then clean blocks by the tie
   * rule of their largest. So the root, once clean, holds the first id of the largest loss.
   * Before, the heap ordered by key only and each read walked every block of the top's key
   * (on a filled lattice, where equal areas give equal losses by the hundred: 43 blocks a
   * read at 316 × 316).
   */
  private above(a: number, ka: number, b: number, kb: number): boolean {
    if (ka !== kb) return ka > kb;
    const sa = this.bstale[a] as number;
    if (sa !== this.bstale[b]) return sa !== 0;
    return sa === 0 && this.tie(this.barg[a] as number, this.barg[b] as number);
  }

  /** The exact largest loss of non-empty block b, which becomes clean (barg set). */
  private rescan(b: number): number {
    const cur = this.cur;
    const lo = b << BSHIFT;
    const hi = lo + BSIZE;
    let best = -1;
    let bk = 0;
    for (let id = lo; id < hi; id++) {
      const c = cur[id] as number;
      if (Number.isNaN(c)) continue;
      if (best < 0 || c > bk || (c === bk && this.tie(id, best))) {
        best = id;
        bk = c;
      }
    }
    this.barg[b] = best;
    this.bstale[b] = 0;
    return bk;
  }

  /** Replaces the content by `count` items. O(count + capacity / 32). */
  build(ids: Int32Array, keys: Float64Array, count: number): void {
    let maxId = -1;
    for (let i = 0; i < count; i++) if ((ids[i] as number) > maxId) maxId = ids[i] as number;
    this.resetTo(maxId + 1 + (maxId >> 1));
    const cur = this.cur;
    for (let i = 0; i < count; i++) cur[ids[i] as number] = keys[i] as number;
    this.heapify();
  }

  /** Empty, with room for ids below cap. */
  private resetTo(cap: number): void {
    const c = Math.max(BSIZE, ((cap + BSIZE - 1) >> BSHIFT) << BSHIFT);
    this.cur = new Float64Array(c).fill(Number.NaN);
    const nb = c >> BSHIFT;
    this.bcount = new Int32Array(nb);
    this.barg = new Int32Array(nb);
    this.bstale = new Uint8Array(nb);
    this.bpos = new Int32Array(nb).fill(-1);
    this.hb = new Int32Array(nb);
    this.hk = new Float64Array(nb);
    this.hn = 0;
    this.n = 0;
  }

  /** Counts, rescans and heapifies every block from `cur`. O(capacity). */
  private heapify(): void {
    const nb = this.cur.length >> BSHIFT;
    this.hn = 0;
    this.n = 0;
    for (let b = 0; b < nb; b++) {
      let c = 0;
      for (let id = b << BSHIFT, hi = id + BSIZE; id < hi; id++) {
        if (!Number.isNaN(this.cur[id] as number)) c++;
      }
      this.bcount[b] = c;
      this.bpos[b] = -1;
      this.n += c;
      if (c === 0) continue;
      const p = this.hn++;
      this.hb[p] = b;
      this.hk[p] = this.rescan(b);
      this.bpos[b] = p;
    }
    for (let p = (this.hn - 2) >> 2; p >= 0; p--) this.down(p);
  }

  clear(): void {
    this.resetTo(BSIZE);
  }

  /**
   * Starts a walk over the ids in loss order (largest first, the tie rule among equal ones)
   * that leaves the heap unchanged.
   */
  rewind(): void {
    this.peek();
    this.m = 0;
    this.r = 0;
    this.nm = 0;
    if (this.hn > 0) {
      this.frontier[0] = 0;
      this.m = 1;
    }
  }

  /**
   * The next id of the walk, or -1. An id is emitted once no unexplored block can hold one
   * that comes before it: their losses are at most the frontier's best key (explored while
   * equal, for the tie rule). Each block explored costs 32 pushes.
   */
  next(): number {
    for (;;) {
      if (this.m > 0) {
        const top = this.frontier[0] as number;
        const best = this.r > 0 ? (this.ready[0] as number) : -1;
        if (best < 0 || (this.hk[top] as number) >= (this.cur[best] as number)) {
          this.popFrontier();
          const c1 = 4 * top + 1;
          const c4 = Math.min(c1 + 4, this.hn);
          for (let c = c1; c < c4; c++) this.pushFrontier(c);
          const b = this.hb[top] as number;
          if (this.bstale[b] !== 0) {
            if (this.nm === this.met.length) this.met = growInt32(this.met, this.nm + 1);
            this.met[this.nm++] = b;
          }
          const cur = this.cur;
          for (let id = b << BSHIFT, hi = id + BSIZE; id < hi; id++) {
            if (!Number.isNaN(cur[id] as number)) this.pushReady(id);
          }
          continue;
        }
      }
      if (this.r === 0) return -1;
      return this.popReady();
    }
  }

  /**
   * Ends a walk: rescans the stale blocks it explored, so the next walk does not explore them
   * again. O(k (32 + log n)) for k of them.
   */
  settle(): void {
    for (let i = 0; i < this.nm; i++) {
      const b = this.met[i] as number;
      const p = this.bpos[b] as number;
      if (p < 0 || this.bstale[b] === 0) continue;
      this.repair(p);
    }
    this.nm = 0;
    this.m = 0;
    this.r = 0;
  }

  private pushFrontier(p: number): void {
    if (this.m === this.frontier.length) this.frontier = growInt32(this.frontier, this.m + 1);
    const f = this.frontier;
    const hk = this.hk;
    const k = hk[p] as number;
    let i = this.m++;
    while (i > 0) {
      const q = (i - 1) >> 1;
      if (!(k > (hk[f[q] as number] as number))) break;
      f[i] = f[q] as number;
      i = q;
    }
    f[i] = p;
  }

  private popFrontier(): void {
    const f = this.frontier;
    const hk = this.hk;
    const m = --this.m;
    if (m === 0) return;
    const p = f[m] as number;
    const k = hk[p] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= m) break;
      if (c + 1 < m && (hk[f[c + 1] as number] as number) > (hk[f[c] as number] as number)) c++;
      if (!((hk[f[c] as number] as number) > k)) break;
      f[i] = f[c] as number;
      i = c;
    }
    f[i] = p;
  }

  /** Whether id a comes before id b by their losses (then the tie rule). */
  private before(a: number, b: number): boolean {
    const ka = this.cur[a] as number;
    const kb = this.cur[b] as number;
    if (ka !== kb) return ka > kb;
    return this.tie(a, b);
  }

  private pushReady(id: number): void {
    if (this.r === this.ready.length) this.ready = growInt32(this.ready, this.r + 1);
    const a = this.ready;
    let i = this.r++;
    while (i > 0) {
      const q = (i - 1) >> 1;
      if (!this.before(id, a[q] as number)) break;
      a[i] = a[q] as number;
      i = q;
    }
    a[i] = id;
  }

  private popReady(): number {
    const a = this.ready;
    const top = a[0] as number;
    const r = --this.r;
    if (r > 0) {
      const id = a[r] as number;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= r) break;
        if (c + 1 < r && this.before(a[c + 1] as number, a[c] as number)) c++;
        if (!this.before(a[c] as number, id)) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = id;
    }
    return top;
  }

  /** Renames the ids (triangle renumbering): id → tmap[id] for every id held. O(n). */
  remap(tmap: Int32Array): void {
    const old = this.cur;
    let maxId = 0;
    for (let id = 0; id < old.length && id < tmap.length; id++) {
      if (Number.isNaN(old[id] as number)) continue;
      const t = tmap[id] as number;
      if (t > maxId) maxId = t;
    }
    this.resetTo(maxId + 1 + (maxId >> 1));
    for (let id = 0; id < old.length && id < tmap.length; id++) {
      const k = old[id] as number;
      if (!Number.isNaN(k)) this.cur[tmap[id] as number] = k;
    }
    this.heapify();
  }

  /** Makes this heap a copy of o (which must share its tie order's meaning). O(capacity). */
  copyFrom(o: BlockLossHeap): void {
    this.cur = o.cur.slice();
    this.n = o.n;
    this.bcount = o.bcount.slice();
    this.barg = o.barg.slice();
    this.bstale = o.bstale.slice();
    this.bpos = o.bpos.slice();
    this.hb = o.hb.slice();
    this.hk = o.hk.slice();
    this.hn = o.hn;
  }

  /** Throws if an internal invariant does not hold. O(capacity). */
  checkValid(): void {
    const fail = (why: string): never => {
      throw new Error(`BlockLossHeap: ${why}`);
    };
    let total = 0;
    const nb = this.cur.length >> BSHIFT;
    for (let b = 0; b < nb; b++) {
      let c = 0;
      let best = -1;
      let bk = 0;
      for (let id = b << BSHIFT; id < (b + 1) << BSHIFT; id++) {
        const k = this.cur[id] as number;
        if (Number.isNaN(k)) continue;
        c++;
        if (best < 0 || k > bk || (k === bk && this.tie(id, best))) {
          best = id;
          bk = k;
        }
      }
      total += c;
      if (c !== this.bcount[b]) fail(`block ${b} counts ${this.bcount[b]} entries, holds ${c}`);
      const p = this.bpos[b] as number;
      if (c === 0) {
        if (p !== -1 && this.bstale[b] === 0) fail(`empty block ${b} is in the heap, clean`);
        continue;
      }
      if (p < 0 || p >= this.hn || this.hb[p] !== b) fail(`block ${b} is not in the heap`);
      const key = this.hk[p] as number;
      if (this.bstale[b] === 0) {
        if (key !== bk || this.barg[b] !== best) fail(`clean block ${b} has a wrong largest`);
      } else if (!(key >= bk)) fail(`stale block ${b}'s key is below its largest loss`);
    }
    if (total !== this.n) fail(`${this.n} entries counted, ${total} held`);
    for (let p = 1; p < this.hn; p++) {
      const q = (p - 1) >> 2;
      if (
        this.above(
          this.hb[p] as number,
          this.hk[p] as number,
          this.hb[q] as number,
          this.hk[q] as number,
        )
      )
        fail(`order broken at ${p}`);
    }
  }

  private insertBlock(b: number, key: number): void {
    const p = this.hn++;
    this.hb[p] = b;
    this.hk[p] = key;
    this.bpos[b] = p;
    this.up(p);
  }

  private removeBlock(b: number): void {
    const p = this.bpos[b] as number;
    this.bpos[b] = -1;
    const last = --this.hn;
    if (p === last) return;
    const moved = this.hb[last] as number;
    this.hb[p] = moved;
    this.hk[p] = this.hk[last] as number;
    this.bpos[moved] = p;
    const q = (p - 1) >> 2;
    if (
      p > 0 &&
      this.above(moved, this.hk[p] as number, this.hb[q] as number, this.hk[q] as number)
    )
      this.up(p);
    else this.down(p);
  }

  private up(p: number): void {
    const hb = this.hb;
    const hk = this.hk;
    const bpos = this.bpos;
    const b = hb[p] as number;
    const key = hk[p] as number;
    while (p > 0) {
      const q = (p - 1) >> 2;
      const qkey = hk[q] as number;
      const qb = hb[q] as number;
      if (!(key > qkey || (key === qkey && this.above(b, key, qb, qkey)))) break;
      hb[p] = qb;
      hk[p] = qkey;
      bpos[qb] = p;
      p = q;
    }
    hb[p] = b;
    hk[p] = key;
    bpos[b] = p;
  }

  private down(p: number): void {
    const hb = this.hb;
    const hk = this.hk;
    const bpos = this.bpos;
    const n = this.hn;
    const b = hb[p] as number;
    const key = hk[p] as number;
    for (;;) {
      const first = 4 * p + 1;
      if (first >= n) break;
      let c = first;
      let ckey = hk[c] as number;
      const last = Math.min(first + 4, n);
      for (let r = first + 1; r < last; r++) {
        const rkey = hk[r] as number;
        if (
          rkey > ckey ||
          (rkey === ckey && this.above(hb[r] as number, rkey, hb[c] as number, ckey))
        ) {
          c = r;
          ckey = rkey;
        }
      }
      const cb = hb[c] as number;
      if (!(ckey > key || (ckey === key && this.above(cb, ckey, b, key)))) break;
      hb[p] = cb;
      hk[p] = ckey;
      bpos[cb] = p;
      p = c;
    }
    hb[p] = b;
    hk[p] = key;
    bpos[b] = p;
  }
}
