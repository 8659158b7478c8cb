import { before, type LossQueue, type TieKeys } from './types.js';

type Entry = { key: number; tie: number; id: number };

/** Whether entry `a` comes before entry `b` in queue order (python's `ItemSortedDict`). */
function precedes(a: Entry, b: Entry): boolean {
  return before(a.key, a.tie, a.id, b.key, b.tie, b.id);
}

/**
 * Internal, for tests of {@link ReferenceQueue.checkValid} only (not exported by the
 * package): the queue's own sorted entry array, so that a test can corrupt it.
 */
export let sortedEntriesOf: (q: ReferenceQueue) => { key: number }[];

/**
 * The slow, obviously correct {@link LossQueue}: an array of entries kept sorted exactly
 * as python-adaptive's `ItemSortedDict` (binary search, then splice), plus a map from id to
 * entry. O(n) per change. Tests drive it side by side with {@link IndexedHeap}; it is also
 * usable where speed does not matter.
 *
 * (It was a sorted-btree until importing that CommonJS package cost every `import` of the
 * library about 12 ms of Node's ESM loader; a sorted array is the plainer reference anyway,
 * as sorted-btree's own tests keep one beside their tree.)
 */
export class ReferenceQueue implements LossQueue {
  static {
    sortedEntriesOf = (q) => q.#sorted;
  }

  readonly #sorted: Entry[] = [];
  readonly #entries = new Map<number, Entry>();
  #walk = -1;

  readonly #ties: TieKeys;

  constructor(ties: TieKeys) {
    this.#ties = ties;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(id: number): boolean {
    return this.#entries.has(id);
  }

  key(id: number): number {
    return (this.#entries.get(id) as Entry).key;
  }

  /** The index of the first entry that does not come before `e`. */
  #lowerBound(e: Entry): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (precedes(this.#sorted[mid] as Entry, e)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  set(id: number, key: number): void {
    this.delete(id);
    const e = { key, tie: this.#ties.tie[id] as number, id };
    this.#entries.set(id, e);
    this.#sorted.splice(this.#lowerBound(e), 0, e);
  }

  delete(id: number): void {
    const e = this.#entries.get(id);
    if (e === undefined) return;
    this.#entries.delete(id);
    // Ids are unique, so the order is total and `e` sits exactly at its lower bound.
    this.#sorted.splice(this.#lowerBound(e), 1);
  }

  peek(): number {
    return this.#sorted.length === 0 ? -1 : (this.#sorted[0] as Entry).id;
  }

  rewind(): void {
    this.#walk = 0;
  }

  next(): number {
    if (this.#walk < 0 || this.#walk >= this.#sorted.length) return -1;
    return (this.#sorted[this.#walk++] as Entry).id;
  }

  clear(): void {
    this.#sorted.length = 0;
    this.#entries.clear();
    this.#walk = -1;
  }

  checkValid(): void {
    const s = this.#sorted;
    if (s.length !== this.#entries.size) {
      throw new Error(
        `ReferenceQueue: sorted array has ${s.length} entries, map ${this.#entries.size}`,
      );
    }
    for (let i = 0; i < s.length; i++) {
      const e = s[i] as Entry;
      if (this.#entries.get(e.id) !== e) {
        throw new Error(`ReferenceQueue: entry of id ${e.id} at ${i} is not the map's`);
      }
      if (i > 0 && !precedes(s[i - 1] as Entry, e)) {
        throw new Error(`ReferenceQueue: entries ${i - 1} and ${i} out of order`);
      }
    }
  }
}
