/**
 * Two loss heaps read as one: `raw` keys are divided by a common positive scale when read
 * (a surplus-based loss in the units of the values), `fixed` keys are read as they are
 * (scale-free stand-ins: +Infinity for the root, the loss of a whole-range surplus for a
 * point with a NaN or ±Infinity value). Since dividing every raw key by the same scale keeps their order, the
 * value range may grow at every tell without any loss being recomputed.
 */
import { IndexedHeap } from '../../queue/heap.js';
import { before, type TieKeys } from '../../queue/types.js';

/**
 * A max-queue of point ids over two {@link IndexedHeap}s (see the module description).
 */
export class ScaledQueue {
  readonly #raw: IndexedHeap;
  readonly #fixed: IndexedHeap;

  readonly #ties: TieKeys;

  constructor(ties: TieKeys) {
    this.#ties = ties;
    this.#raw = new IndexedHeap(ties);
    this.#fixed = new IndexedHeap(ties);
  }

  get size(): number {
    return this.#raw.size + this.#fixed.size;
  }

  /** Queues `id` (or changes its key): `scaleFree` keys are not divided by the scale. O(log n). */
  set(id: number, key: number, scaleFree: boolean): void {
    if (scaleFree) {
      this.#raw.delete(id);
      this.#fixed.set(id, key);
    } else {
      this.#fixed.delete(id);
      this.#raw.set(id, key);
    }
  }

  delete(id: number): void {
    this.#raw.delete(id);
    this.#fixed.delete(id);
  }

  has(id: number): boolean {
    return this.#raw.has(id) || this.#fixed.has(id);
  }

  /** The key of a queued id as read at `scale`. */
  key(id: number, scale: number): number {
    return this.#raw.has(id) ? this.#raw.key(id) / scale : this.#fixed.key(id);
  }

  /** The first id at `scale` (-1 when empty). O(1). */
  peek(scale: number): number {
    const a = this.#raw.peek();
    const b = this.#fixed.peek();
    if (a < 0) return b;
    if (b < 0) return a;
    const ka = this.#raw.key(a) / scale;
    const kb = this.#fixed.key(b);
    const t = this.#ties.tie;
    return before(ka, t[a] as number, a, kb, t[b] as number, b) ? a : b;
  }

  /** The largest key at `scale`, or -Infinity when empty. */
  top(scale: number): number {
    const id = this.peek(scale);
    return id < 0 ? Number.NEGATIVE_INFINITY : this.key(id, scale);
  }

  clear(): void {
    this.#raw.clear();
    this.#fixed.clear();
  }

  checkValid(): void {
    this.#raw.checkValid();
    this.#fixed.checkValid();
  }
}
