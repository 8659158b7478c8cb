import { BTree, type BTreeT } from '../util/btree.js';
import { before, type LossQueue, type TieKeys } from './types.js';

type Entry = { key: number; tie: number; id: number };

/**
 * The slow, obviously correct {@link LossQueue}: a sorted-btree ordered exactly as
 * python-adaptive's `ItemSortedDict`, plus a map from id to entry. Tests drive it side by
 * side with {@link IndexedHeap}; it is also usable where speed does not matter.
 */
export class ReferenceQueue implements LossQueue {
  private readonly tree: BTreeT<Entry, undefined>;
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly ties: TieKeys) {
    this.tree = new BTree<Entry, undefined>(undefined, (a, b) =>
      a.id === b.id ? 0 : before(a.key, a.tie, a.id, b.key, b.tie, b.id) ? -1 : 1,
    );
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  key(id: number): number {
    return (this.entries.get(id) as Entry).key;
  }

  set(id: number, key: number): void {
    this.delete(id);
    const e = { key, tie: this.ties.tie[id] as number, id };
    this.entries.set(id, e);
    this.tree.set(e, undefined);
  }

  delete(id: number): void {
    const e = this.entries.get(id);
    if (e === undefined) return;
    this.entries.delete(id);
    this.tree.delete(e);
  }

  peek(): number {
    const k = this.tree.minKey();
    return k === undefined ? -1 : k.id;
  }

  private walk: Iterator<Entry> | null = null;

  rewind(): void {
    this.walk = this.tree.keys();
  }

  next(): number {
    if (this.walk === null) return -1;
    const r = this.walk.next();
    return r.done ? -1 : r.value.id;
  }

  clear(): void {
    this.tree.clear();
    this.entries.clear();
  }

  checkValid(): void {
    this.tree.checkValid();
    if (this.tree.size !== this.entries.size) {
      throw new Error(
        `ReferenceQueue: tree has ${this.tree.size} entries, map ${this.entries.size}`,
      );
    }
  }
}
