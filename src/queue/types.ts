/**
 * The loss priority queue: the structure that decides the learners' speed.
 *
 * Items are integer ids (a learner's interval or simplex handle) with a numeric priority
 * `key`. The order is: larger key first; equal keys break on the smaller tie key
 * (`tie[id]`, e.g. the interval's left x), then on the smaller id. This is python-adaptive's
 * `ItemSortedDict` order keyed by `(-finite_loss, interval)`.
 */
export interface LossQueue {
  /** Number of items. */
  readonly size: number;
  /** Inserts `id` or changes its key. O(log n). */
  set(id: number, key: number): void;
  /** Removes `id`; no-op when absent. O(log n). */
  delete(id: number): void;
  /** Whether `id` is queued. O(1). */
  has(id: number): boolean;
  /** The key of `id` (undefined behaviour when absent). O(1). */
  key(id: number): number;
  /** The first id in queue order, or -1 when empty. O(1) for the heap. */
  peek(): number;
  /**
   * Starts a walk over the ids in queue order that leaves the queue unchanged; `next()`
   * then yields one id per call, or -1 when exhausted. O(log k) per step for k steps.
   * The walk is invalid once the queue changes.
   */
  rewind(): void;
  /** The next id of the walk started by `rewind()`, or -1. */
  next(): number;
  /** Removes everything. */
  clear(): void;
  /** Throws if an internal invariant does not hold. O(n). */
  checkValid(): void;
}

/** The tie keys are read from this array (its owner may replace it when it grows). */
export interface TieKeys {
  tie: Float64Array;
}

/**
 * Whether item `a` (key ka, tie ta) comes before item `b` in queue order.
 * Keys are never NaN (learners rank non-finite losses by a finite stand-in).
 */
export function before(
  ka: number,
  ta: number,
  a: number,
  kb: number,
  tb: number,
  b: number,
): boolean {
  if (ka !== kb) return ka > kb;
  if (ta !== tb) return ta < tb;
  return a < b;
}
