/**
 * A hash map from finite doubles to non-negative integer ids: open addressing with linear
 * probing in typed arrays, deletion by backward shift (no tombstones). Learner1D keeps its
 * pending points here, so `tell` finds the point it handed out in O(1) without an ordered
 * search. `-0` and `0` are one key (callers normalise).
 */
import { hashFloat as hash } from './float-hash.js';

export class FloatMap {
  #keys: Float64Array;
  #vals: Int32Array;
  #mask: number;
  #n = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.#keys = new Float64Array(cap);
    this.#vals = new Int32Array(cap).fill(-1);
    this.#mask = cap - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.#n;
  }

  /** The id stored under x, or -1. O(1) expected. */
  get(x: number): number {
    const keys = this.#keys;
    const vals = this.#vals;
    const mask = this.#mask;
    for (let i = hash(x, mask); ; i = (i + 1) & mask) {
      const v = vals[i] as number;
      if (v < 0) return -1;
      if (keys[i] === x) return v;
    }
  }

  /** Stores x → id (id ≥ 0), replacing an existing entry. O(1) expected. */
  set(x: number, id: number): void {
    if ((this.#n + 1) * 2 > this.#vals.length) this.#resize(this.#vals.length * 2);
    const keys = this.#keys;
    const vals = this.#vals;
    const mask = this.#mask;
    for (let i = hash(x, mask); ; i = (i + 1) & mask) {
      if ((vals[i] as number) < 0) {
        keys[i] = x;
        vals[i] = id;
        this.#n++;
        return;
      }
      if (keys[i] === x) {
        vals[i] = id;
        return;
      }
    }
  }

  /** Removes x; returns its id or -1. O(1) expected. */
  delete(x: number): number {
    const keys = this.#keys;
    const vals = this.#vals;
    const mask = this.#mask;
    let i = hash(x, mask);
    for (; ; i = (i + 1) & mask) {
      const v = vals[i] as number;
      if (v < 0) return -1;
      if (keys[i] === x) break;
    }
    const id = vals[i] as number;
    // Backward shift: move later entries of the probe run into the hole when allowed.
    let hole = i;
    for (let j = (i + 1) & mask; (vals[j] as number) >= 0; j = (j + 1) & mask) {
      const home = hash(keys[j] as number, mask);
      // Entry j may fill the hole if its home is not cyclically in (hole, j].
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        keys[hole] = keys[j] as number;
        vals[hole] = vals[j] as number;
        hole = j;
      }
    }
    vals[hole] = -1;
    this.#n--;
    return id;
  }

  /** Removes every entry. */
  clear(): void {
    this.#vals.fill(-1);
    this.#n = 0;
  }

  /** Calls fn(x, id) for every entry, in no particular order. O(capacity). */
  forEach(fn: (x: number, id: number) => void): void {
    const vals = this.#vals;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] as number;
      if (v >= 0) fn(this.#keys[i] as number, v);
    }
  }

  #resize(cap: number): void {
    const keys = this.#keys;
    const vals = this.#vals;
    this.#keys = new Float64Array(cap);
    this.#vals = new Int32Array(cap).fill(-1);
    this.#mask = cap - 1;
    this.#n = 0;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] as number;
      if (v >= 0) this.set(keys[i] as number, v);
    }
  }
}
