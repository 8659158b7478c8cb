/**
 * The bisection learner's point tables (mesh vertices, told data, pending points):
 * coordinates → a small integer id, by a 48-bit hash of the coordinates with a chain for
 * collisions. LearnerND's Delaunay state has its own open-addressed table
 * (`../point-table.ts`) over its one code space (2i data, 2j + 1 pending); here three id
 * spaces live in three arrays that grow on their own, so each gets a table that reads its
 * coordinates through `coords(id)`.
 */

import { growInt32 } from '../../../util/grow.js';
import { hashCoords } from '../hash.js';

/** Coordinates → id; ids are small integers whose coordinates `coords(id)` holds at `off(id)`. */
export class CoordTable {
  // Keys: the low 30 bits of the coordinates' hash (small integers: no boxed number a key).
  readonly #head = new Map<number, number>();
  #next: Int32Array = new Int32Array(16);
  readonly #d: number;
  readonly #coords: (id: number) => Float64Array;
  readonly #off: (id: number) => number;

  constructor(d: number, coords: (id: number) => Float64Array, off: (id: number) => number) {
    this.#d = d;
    this.#coords = coords;
    this.#off = off;
  }

  get(X: ArrayLike<number>, o: number): number {
    const h = hashCoords(X, o, this.#d) % 0x40000000;
    let id = this.#head.get(h) ?? -1;
    while (id >= 0) {
      const C = this.#coords(id);
      const co = this.#off(id);
      let same = true;
      for (let j = 0; j < this.#d && same; j++)
        if (C[co + j] !== (X[o + j] as number) + 0) same = false;
      if (same) return id;
      id = this.#next[id] as number;
    }
    return -1;
  }

  add(id: number, X: ArrayLike<number>, o: number): void {
    const h = hashCoords(X, o, this.#d) % 0x40000000;
    if (id >= this.#next.length) this.#next = growInt32(this.#next, id + 1);
    this.#next[id] = this.#head.get(h) ?? -1;
    this.#head.set(h, id);
  }

  delete(id: number, X: ArrayLike<number>, o: number): void {
    const h = hashCoords(X, o, this.#d) % 0x40000000;
    let prev = -1;
    let cur = this.#head.get(h) ?? -1;
    while (cur >= 0 && cur !== id) {
      prev = cur;
      cur = this.#next[cur] as number;
    }
    if (cur < 0) return;
    const nx = this.#next[cur] as number;
    if (prev >= 0) this.#next[prev] = nx;
    else if (nx >= 0) this.#head.set(h, nx);
    else this.#head.delete(h);
  }

  clear(): void {
    this.#head.clear();
  }
}
