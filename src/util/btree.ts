/**
 * The one place that imports sorted-btree (CommonJS). Its default import is the module
 * object in plain Node ESM but the class itself under Vitest and tsx, so take
 * `m.default ?? m`: this form works in tsc, Vitest, tsx and plain node alike.
 */
import BTreeModule from 'sorted-btree';

type BTreeCtor = typeof BTreeModule.default;
/** The sorted-btree class. */
export const BTree: BTreeCtor =
  (BTreeModule as unknown as { default?: BTreeCtor }).default ??
  (BTreeModule as unknown as BTreeCtor);
/** An instance of sorted-btree's BTree. */
export type BTreeT<K, V> = InstanceType<typeof BTreeModule.default<K, V>>;
