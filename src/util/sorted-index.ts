/**
 * An ordered map from distinct finite doubles to integer ids: a list of sorted blocks
 * (python's `SortedList` layout) in typed arrays. Search is two binary searches; insert
 * and delete move at most one block's tail (≤ 512 entries, a memmove). About 16 bytes an
 * entry. Chosen over sorted-btree after measuring both (`bench/index.ts`).
 */
const CAP = 512;
// Blocks are sized to their content plus SLACK free slots and regrown by SLACK: about 13
// bytes an entry instead of the ~16 that fixed, on average three-quarters full blocks take.
const SLACK = 32;

export class SortedIndex {
  #bk: Float64Array[] = [];
  #bi: Int32Array[] = [];
  #lens: number[] = [];
  #maxes: number[] = [];
  #n = 0;
  // Result of the last locate(): block and position of the lower bound.
  #lb = 0;
  #lp = 0;

  /** Number of entries. */
  get size(): number {
    return this.#n;
  }

  /** Removes every entry. */
  clear(): void {
    this.#bk = [];
    this.#bi = [];
    this.#lens = [];
    this.#maxes = [];
    this.#n = 0;
  }

  /** Replaces the content by `keys` (strictly increasing) and their `ids`. O(n). */
  build(keys: ArrayLike<number>, ids: ArrayLike<number>): void {
    this.clear();
    const half = CAP >> 1;
    for (let s = 0; s < keys.length; s += half) {
      const e = Math.min(keys.length, s + half);
      const k = new Float64Array(e - s + SLACK);
      const v = new Int32Array(e - s + SLACK);
      for (let i = s; i < e; i++) {
        k[i - s] = keys[i] as number;
        v[i - s] = ids[i] as number;
      }
      this.#bk.push(k);
      this.#bi.push(v);
      this.#lens.push(e - s);
      this.#maxes.push(keys[e - 1] as number);
    }
    this.#n = keys.length;
  }

  /** Sets lb/lp to the first entry with key >= x (lp may equal the block length). */
  #locate(x: number): void {
    const maxes = this.#maxes;
    let lo = 0;
    let hi = maxes.length - 1;
    if (hi < 0) {
      this.#lb = 0;
      this.#lp = 0;
      return;
    }
    if ((maxes[hi] as number) < x) {
      this.#lb = hi;
      this.#lp = this.#lens[hi] as number;
      return;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((maxes[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    const k = this.#bk[lo] as Float64Array;
    let a = 0;
    let b = (this.#lens[lo] as number) - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if ((k[mid] as number) < x) a = mid + 1;
      else b = mid;
    }
    this.#lb = lo;
    this.#lp = a;
  }

  /** The id stored under `x`, or -1. O(log n). */
  get(x: number): number {
    if (this.#n === 0) return -1;
    this.#locate(x);
    const b = this.#lb;
    const p = this.#lp;
    if (p < (this.#lens[b] as number) && (this.#bk[b] as Float64Array)[p] === x) {
      return (this.#bi[b] as Int32Array)[p] as number;
    }
    return -1;
  }

  /** The id of the largest key < x, or -1. O(log n). */
  lower(x: number): number {
    if (this.#n === 0) return -1;
    this.#locate(x);
    let b = this.#lb;
    let p = this.#lp - 1;
    if (p < 0) {
      if (b === 0) return -1;
      b--;
      p = (this.#lens[b] as number) - 1;
    }
    return (this.#bi[b] as Int32Array)[p] as number;
  }

  /** The id of the smallest key > x, or -1. O(log n). */
  higher(x: number): number {
    if (this.#n === 0) return -1;
    this.#locate(x);
    let b = this.#lb;
    let p = this.#lp;
    if (p < (this.#lens[b] as number) && (this.#bk[b] as Float64Array)[p] === x) p++;
    if (p >= (this.#lens[b] as number)) {
      b++;
      p = 0;
      if (b >= this.#lens.length) return -1;
    }
    return (this.#bi[b] as Int32Array)[p] as number;
  }

  /** The id of the smallest key, or -1. */
  first(): number {
    return this.#n === 0 ? -1 : ((this.#bi[0] as Int32Array)[0] as number);
  }

  /** The id of the largest key, or -1. */
  last(): number {
    if (this.#n === 0) return -1;
    const b = this.#lens.length - 1;
    return (this.#bi[b] as Int32Array)[(this.#lens[b] as number) - 1] as number;
  }

  /** Inserts `x → id`; `x` must not be present. O(log n + block size). */
  insert(x: number, id: number): void {
    if (this.#n === 0) {
      this.build([x], [id]);
      return;
    }
    this.#locate(x);
    const b = this.#lb;
    const p = this.#lp;
    let k = this.#bk[b] as Float64Array;
    let v = this.#bi[b] as Int32Array;
    const len = this.#lens[b] as number;
    if (len === k.length) {
      const cap = Math.min(CAP, len + SLACK);
      const k2 = new Float64Array(cap);
      const v2 = new Int32Array(cap);
      k2.set(k);
      v2.set(v);
      this.#bk[b] = k = k2;
      this.#bi[b] = v = v2;
    }
    k.copyWithin(p + 1, p, len);
    v.copyWithin(p + 1, p, len);
    k[p] = x;
    v[p] = id;
    this.#lens[b] = len + 1;
    if (p === len) this.#maxes[b] = x;
    this.#n++;
    if (len + 1 === CAP) this.#split(b);
  }

  #split(b: number): void {
    const half = CAP >> 1;
    const k = this.#bk[b] as Float64Array;
    const v = this.#bi[b] as Int32Array;
    const k2 = new Float64Array(CAP - half + SLACK);
    const v2 = new Int32Array(CAP - half + SLACK);
    k2.set(k.subarray(half, CAP));
    v2.set(v.subarray(half, CAP));
    // Shrink the left half too.
    const k1 = new Float64Array(half + SLACK);
    const v1 = new Int32Array(half + SLACK);
    k1.set(k.subarray(0, half));
    v1.set(v.subarray(0, half));
    this.#bk[b] = k1;
    this.#bi[b] = v1;
    this.#bk.splice(b + 1, 0, k2);
    this.#bi.splice(b + 1, 0, v2);
    this.#lens.splice(b + 1, 0, CAP - half);
    this.#maxes.splice(b + 1, 0, this.#maxes[b] as number);
    this.#lens[b] = half;
    this.#maxes[b] = k[half - 1] as number;
  }

  /** Removes `x`; returns its id or -1 when absent. O(log n + block size). */
  delete(x: number): number {
    if (this.#n === 0) return -1;
    this.#locate(x);
    const b = this.#lb;
    const p = this.#lp;
    const len = this.#lens[b] as number;
    const k = this.#bk[b] as Float64Array;
    if (p >= len || k[p] !== x) return -1;
    const v = this.#bi[b] as Int32Array;
    const id = v[p] as number;
    k.copyWithin(p, p + 1, len);
    v.copyWithin(p, p + 1, len);
    this.#lens[b] = len - 1;
    this.#n--;
    if (len === 1) {
      this.#bk.splice(b, 1);
      this.#bi.splice(b, 1);
      this.#lens.splice(b, 1);
      this.#maxes.splice(b, 1);
    } else if (p === len - 1) {
      this.#maxes[b] = k[len - 2] as number;
    }
    return id;
  }

  /** Calls `fn(key, id)` in increasing key order. O(n). */
  forEach(fn: (key: number, id: number) => void): void {
    for (let b = 0; b < this.#lens.length; b++) {
      const k = this.#bk[b] as Float64Array;
      const v = this.#bi[b] as Int32Array;
      const len = this.#lens[b] as number;
      for (let i = 0; i < len; i++) fn(k[i] as number, v[i] as number);
    }
  }

  /** Throws if the blocks are not sorted, sized and summarised correctly. O(n). */
  checkValid(): void {
    let count = 0;
    let prev = Number.NEGATIVE_INFINITY;
    for (let b = 0; b < this.#lens.length; b++) {
      const len = this.#lens[b] as number;
      if (len <= 0 || len >= CAP) throw new Error(`SortedIndex: block ${b} has length ${len}`);
      const k = this.#bk[b] as Float64Array;
      for (let i = 0; i < len; i++) {
        const x = k[i] as number;
        if (!(x > prev)) throw new Error(`SortedIndex: keys not increasing at block ${b}[${i}]`);
        prev = x;
      }
      if (this.#maxes[b] !== k[len - 1]) throw new Error(`SortedIndex: stale max of block ${b}`);
      count += len;
    }
    if (count !== this.#n) throw new Error(`SortedIndex: size ${this.#n}, counted ${count}`);
  }
}
