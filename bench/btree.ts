/**
 * sorted-btree (CommonJS, a devDependency: only the benches compare against it). Its
 * default import is the module object in plain Node ESM but the class itself under Vitest
 * and tsx, so take `m.default ?? m`: this form works in tsc, Vitest, tsx and plain node.
 */
import BTreeModule from 'sorted-btree';
import { before, type LossQueue, type TieKeys } from '../src/queue/types.js';

type BTreeCtor = typeof BTreeModule.default;
/** The sorted-btree class. */
export const BTree: BTreeCtor =
  (BTreeModule as unknown as { default?: BTreeCtor }).default ??
  (BTreeModule as unknown as BTreeCtor);
/** An instance of sorted-btree's BTree. */
export type BTreeT<K, V> = InstanceType<typeof BTreeModule.default<K, V>>;

type Entry = { key: number; tie: number; id: number };

/**
 * A {@link LossQueue} on sorted-btree ordered exactly as python-adaptive's `ItemSortedDict`
 * (entry keys, a custom comparator), plus a map from id to entry: what the library's
 * ReferenceQueue was before it became a sorted array, kept for `bench/queue.ts`.
 */
export class BTreeQueue implements LossQueue {
  private readonly tree: BTreeT<Entry, undefined>;
  private readonly entries = new Map<number, Entry>();
  private walk: Iterator<Entry> | null = null;

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
  }
}
