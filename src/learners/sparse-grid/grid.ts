/**
 * The point set of a sparse grid: each point is d node positions (see `hierarchy.ts`),
 * stored in typed arrays grown by doubling, and found from its positions through an
 * open-addressing hash table (linear probing, backward-shift deletion).
 *
 * The hash of a point is a sum of one mixed word per coordinate, so changing one coordinate
 * updates it in O(1): walks through the hierarchy (surpluses, interpolation, parents and
 * children) look up a neighbour in O(1) hashing plus one O(d) comparison.
 */
import { nodeLevel } from './hierarchy.js';

/**
 * The hash word of position k in dimension t.
 * @example coordHash(0, 1 << 29); // a 32-bit integer
 */
export function coordHash(t: number, k: number): number {
  let x = Math.imul(k ^ Math.imul(t + 1, 0x9e3779b1), 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/**
 * Point ids by their positions: `add`, `find`, `remove`, with the positions and levels of
 * every id in `keys` and `levels` (d entries per id). Ids are reused after `remove`.
 */
export class SparseGrid {
  readonly dim: number;
  /** Positions, d per id. */
  keys: Int32Array;
  /** Levels, d per id. */
  levels: Uint8Array;
  /** The hash of each id's positions. */
  hashes: Int32Array;
  /** Ids in use (1) or free (0). */
  used: Uint8Array;
  #table: Int32Array;
  #mask: number;
  #count = 0;
  #top = 0; // ids ever handed out
  #free: number[] = [];

  constructor(dim: number, capacity = 64) {
    this.dim = dim;
    this.keys = new Int32Array(capacity * dim);
    this.levels = new Uint8Array(capacity * dim);
    this.hashes = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.#table = new Int32Array(capacity * 2).fill(-1);
    this.#mask = capacity * 2 - 1;
  }

  /** Number of points. */
  get size(): number {
    return this.#count;
  }

  /** One more than the largest id ever used (ids below it are in use or free). */
  get idBound(): number {
    return this.#top;
  }

  /** The capacity of the per-id arrays (owners grow theirs to match). */
  get capacity(): number {
    return this.used.length;
  }

  /** The hash of d positions `K[off…off + d)`. */
  hashOf(K: ArrayLike<number>, off = 0): number {
    let h = 0;
    for (let t = 0; t < this.dim; t++) h = (h + coordHash(t, K[off + t] as number)) | 0;
    return h;
  }

  /** The id of the point with positions `K[0…d)` and hash `h`, or -1. O(1) expected. */
  find(K: ArrayLike<number>, h: number): number {
    const d = this.dim;
    const T = this.#table;
    const keys = this.keys;
    for (let s = h & this.#mask; ; s = (s + 1) & this.#mask) {
      const id = T[s] as number;
      if (id < 0) return -1;
      if (this.hashes[id] !== h) continue;
      let same = true;
      const o = id * d;
      for (let t = 0; t < d; t++) {
        if (keys[o + t] !== K[t]) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
  }

  /** Adds a point (not present) and returns its id. O(d) amortised. */
  add(K: ArrayLike<number>, h: number): number {
    const d = this.dim;
    let id: number;
    if (this.#free.length > 0) id = this.#free.pop() as number;
    else {
      if (this.#top === this.used.length) this.#grow();
      id = this.#top++;
    }
    const o = id * d;
    for (let t = 0; t < d; t++) {
      const k = K[t] as number;
      this.keys[o + t] = k;
      this.levels[o + t] = nodeLevel(k);
    }
    this.hashes[id] = h;
    // Grow the table before marking the id in use: #rehash slots every id in use, and the id
    // slotted twice would stay findable after one remove.
    if (2 * (this.#count + 1) > this.#table.length) this.#rehash(); // load ≤ 1/2
    this.used[id] = 1;
    this.#insertSlot(id);
    this.#count++;
    return id;
  }

  /** Removes point `id`; the id may be handed out again. O(1) expected. */
  remove(id: number): void {
    const T = this.#table;
    const mask = this.#mask;
    let s = (this.hashes[id] as number) & mask;
    while (T[s] !== id) s = (s + 1) & mask;
    // Backward-shift deletion: move later entries of the cluster into the hole.
    let hole = s;
    for (let j = (s + 1) & mask; T[j] !== -1; j = (j + 1) & mask) {
      const other = T[j] as number;
      const home = (this.hashes[other] as number) & mask;
      const dist = (j - home) & mask;
      const gap = (j - hole) & mask;
      if (dist >= gap) {
        T[hole] = other;
        hole = j;
      }
    }
    T[hole] = -1;
    this.used[id] = 0;
    this.#count--;
    if (id === this.#top - 1) this.#top--;
    else this.#free.push(id);
  }

  #insertSlot(id: number): void {
    const T = this.#table;
    let s = (this.hashes[id] as number) & this.#mask;
    while (T[s] !== -1) s = (s + 1) & this.#mask;
    T[s] = id;
  }

  #rehash(): void {
    this.#table = new Int32Array(this.#table.length * 2).fill(-1);
    this.#mask = this.#table.length - 1;
    for (let id = 0; id < this.#top; id++) if (this.used[id] === 1) this.#insertSlot(id);
  }

  #grow(): void {
    const cap = this.used.length * 2;
    const d = this.dim;
    const keys = new Int32Array(cap * d);
    keys.set(this.keys);
    this.keys = keys;
    const levels = new Uint8Array(cap * d);
    levels.set(this.levels);
    this.levels = levels;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const used = new Uint8Array(cap);
    used.set(this.used);
    this.used = used;
  }

  /** Throws if the table does not find every point under its id, or holds other slots. O(n · d). */
  checkValid(): void {
    let n = 0;
    for (let id = 0; id < this.#top; id++) {
      if (this.used[id] !== 1) continue;
      n++;
      const K = this.keys.subarray(id * this.dim, (id + 1) * this.dim);
      if (this.hashOf(K) !== this.hashes[id]) throw new Error(`SparseGrid: stale hash of ${id}`);
      if (this.find(K, this.hashes[id] as number) !== id)
        throw new Error(`SparseGrid: point ${id} is not found by its positions`);
    }
    if (n !== this.#count) throw new Error(`SparseGrid: ${n} points in use, count ${this.#count}`);
    let slots = 0;
    for (const id of this.#table) if (id !== -1) slots++;
    if (slots !== n) throw new Error(`SparseGrid: ${slots} table slots for ${n} points`);
  }
}
