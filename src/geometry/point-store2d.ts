/**
 * The point store of the 2-D triangulations (`delaunay2d.ts`), which re-exports it: points
 * in one Float64Array of records, shared by the triangulations that index them.
 */

/**
 * Coordinates of points, shared by the triangulations that index them (a learner keeps one
 * triangulation of its evaluated points and one of evaluated plus pending points over one
 * store). Point i's x is at `xy[stride·i]` and its y at `xy[stride·i + 1]`; with a stride above
 * 2 the owner keeps other per-point numbers in the same record (one cache line per point
 * instead of one per array). Grows by doubling, then by half.
 *
 * @example
 * const store = new PointStore2D();
 * const id = store.add(0.5, 0.25); // 0
 * store.xy[store.stride * id + 1]; // 0.25
 */
export class PointStore2D {
  /** The records; replaced when it grows. */
  xy: Float64Array;
  /** Numbers per point (at least 2: x, y). */
  stride: number;
  /** Number of ids handed out. */
  size = 0;
  /**
   * Set when every point is a point of a small integer lattice (Learner2D with
   * `integer: [true, true]`): the map [sx, ox, sy, oy] of `lattice-predicates.ts`, stored
   * x = (X − ox) / sx; the triangulations then take their signs from the integers. Set it
   * before the first point is triangulated.
   */
  lattice: Float64Array | null = null;

  constructor(capacity = 16, stride = 2) {
    if (!Number.isInteger(stride) || stride < 2) {
      throw new RangeError(`PointStore2D: stride must be an integer >= 2, got ${stride}`);
    }
    this.stride = stride;
    this.xy = new Float64Array(stride * Math.max(4, capacity));
  }

  /**
   * Number of points the records have room for.
   * @example store.capacity; // 16
   */
  get capacity(): number {
    return this.xy.length / this.stride;
  }

  /**
   * Appends a point; returns its id (the rest of its record is zero). O(1) amortised.
   * @example store.add(0.5, 0.25); // 0
   */
  add(x: number, y: number): number {
    const id = this.size;
    if (id + 1 > this.capacity) this.reserve(id + 1);
    const s = this.stride;
    this.xy.fill(0, s * id, s * id + s);
    this.xy[s * id] = x;
    this.xy[s * id + 1] = y;
    this.size = id + 1;
    return id;
  }

  /**
   * Overwrites point `id`'s coordinates (an id the owner recycles).
   * @example store.set(3, 0.1, 0.2);
   */
  set(id: number, x: number, y: number): void {
    this.xy[this.stride * id] = x;
    this.xy[this.stride * id + 1] = y;
  }

  /**
   * Forgets the last point added.
   * @example store.pop();
   */
  pop(): void {
    if (this.size > 0) this.size--;
  }

  /**
   * Makes room for `n` points.
   * @example store.reserve(1e5);
   */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    let cap = this.capacity;
    while (cap < n) cap = cap < 1024 ? cap * 2 : cap + (cap >> 1);
    const xy = new Float64Array(this.stride * cap);
    xy.set(this.xy);
    this.xy = xy;
  }

  /**
   * Changes the record size, keeping each point's first min(old, new) numbers (the rest of a
   * widened record is zero). O(size).
   * @example store.restride(6); // room for four more numbers per point
   */
  restride(stride: number): void {
    if (!Number.isInteger(stride) || stride < 2) {
      throw new RangeError(`PointStore2D: stride must be an integer >= 2, got ${stride}`);
    }
    const old = this.stride;
    const cap = this.capacity;
    const xy = new Float64Array(stride * cap);
    const keep = Math.min(old, stride);
    for (let i = 0; i < this.size; i++) {
      for (let k = 0; k < keep; k++) xy[stride * i + k] = this.xy[old * i + k] as number;
    }
    this.xy = xy;
    this.stride = stride;
  }
}
