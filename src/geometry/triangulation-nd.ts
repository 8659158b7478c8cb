/**
 * An incremental Delaunay triangulation in d dimensions (1 to {@link MAX_DIM}).
 *
 * Structure: struct-of-arrays in typed arrays. Simplex slots hold d + 1 vertex ids
 * (`verts`) and the d + 1 face-adjacent simplices (`nbrs`: `nbrs[s·(d+1) + i]` is across the
 * face opposite vertex i); deleted slots go to a free list. The hull is closed by "ghost"
 * simplices: a hull facet plus the infinite vertex (id -1), so every face has two sides and
 * insertion outside the hull is the same Bowyer–Watson step as inside (no face counting).
 *
 * Orientation: every finite simplex is positively oriented (det[x₁ − x₀, …] > 0); a ghost is
 * oriented so that replacing its infinite vertex by a point beyond its facet gives a
 * positive simplex. Replacing one vertex of a simplex by the new point then keeps that
 * orientation for every simplex the insertion creates.
 *
 * Insertion of p:
 *   1. Point location: a visibility walk from a hint (a simplex near p), crossing any face
 *      that has p strictly on its other side; it ends in a finite simplex that contains p
 *      (closed) or in a ghost whose facet sees p. Delaunay (and regular) triangulations are
 *      acyclic for this walk (Edelsbrunner 1990), so it terminates.
 *   2. The cavity: a breadth-first search from there over face-adjacent simplices in
 *      conflict with p. A finite simplex conflicts when p is inside its circumsphere
 *      (exact, ties broken by the symbolic perturbation of `predicates-nd.ts`); a ghost when
 *      p is strictly beyond its facet, or on the facet's hyperplane and its finite neighbour
 *      conflicts (p then lies inside the facet's circumsphere within that hyperplane).
 *   3. Each boundary face of the cavity, joined to p, makes a new simplex: replace the
 *      cavity simplex's vertex opposite that face by p. The new simplices' mutual
 *      neighbours are found by rotating around each ridge inside the cavity (no hashing):
 *
 *            x ─────── y        t = (face opposite x) + p;  its neighbour across the face
 *             ╲  c   ╱ ╲        opposite y is the new simplex on the other boundary face
 *              ╲   ╱  c'╲       around the ridge R = c ∖ {x, y}: cross c's face opposite y
 *               ╲╱───────z      into c', then c' 's face opposite x, … until a face whose
 *                R              other side is outside the cavity.
 *
 *   Cost: O(d · (walk length + cavity size)) predicate calls (O(1) each up to 3-D, O(d³)
 *   above) and O(d² · ring) to link the new simplices; nothing scans all simplices.
 *
 * With the perturbed in-sphere test the triangulation is the unique (perturbed) Delaunay
 * triangulation of its points: any insertion order gives the same simplices. A point equal
 * to a vertex is rejected with a RangeError; no flat simplex is ever created (the cavity of
 * an exact conflict test is star-shaped with every boundary face strictly visible from p).
 *
 * Port of python-adaptive's `triangulation.py` (Bowyer–Watson, the same reported
 * deleted/added simplices); the structure and predicates are new.
 */
import { inSphere, integerExact, lexCompare, MAX_DIM, orient } from './predicates-nd.js';
import { barycentricOf, factorial, signedVolume, simplexVolumeOf } from './simplex-nd.js';

const FREE = 0;
const FINITE = 1;
// A ghost's kind is GHOST + the position of its infinite vertex.
const GHOST = 2;

function describePoint(p: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < p.length; i++) parts.push(String(p[i]));
  return `[${parts.join(', ')}]`;
}

/**
 * An incremental N-D Delaunay triangulation. Vertex ids are given in insertion order.
 * Until d + 1 affinely independent points are inserted there are no simplices; the
 * triangulation then forms at once.
 *
 * @example
 * const t = new TriangulationND(2);
 * for (const p of [[0, 0], [1, 0], [0, 1], [1, 1]]) t.insert(p);
 * t.numSimplices; // 2
 * t.checkValid(); // throws if an invariant is broken
 */
export class TriangulationND {
  /** The dimension d. */
  readonly dim: number;
  private readonly k: number;

  /** @internal Vertex coordinates, d per vertex. Reassigned when it grows. */
  coords: Float64Array;
  /**
   * The coordinates the predicates read: `coords`, or on a lattice ({@link useLattice}) the
   * vertices' lattice integers, except while an off-lattice query is staged.
   */
  private pc: Float64Array;
  /** On a lattice: every vertex's coordinates as integers of the lattice geometry; else null. */
  private icoords: Float64Array | null = null;
  /** Whether the predicates are on the integers and those are small ({@link integerExact}). */
  private ints = false;
  /** Whether the lattice's integers are small enough for {@link ints}. */
  private intsExact = false;
  private nv = 0;
  /** @internal Simplex vertices, d + 1 per slot (-1: the infinite vertex). */
  verts: Int32Array;
  /** @internal Face neighbours, d + 1 per slot. */
  nbrs: Int32Array;
  /** @internal 0: free slot, 1: finite simplex, 2 + i: ghost with its infinite vertex at i. */
  kinds: Uint8Array;
  private cap = 0;
  private hw = 0;
  private freeSlots: Int32Array = new Int32Array(16);
  private nFree = 0;
  private nFinite = 0;
  private ready = false;
  private last = -1;

  // Before the first simplex: an affinely independent basis found by Gram–Schmidt.
  private basis: number[] = [];
  private Q: Float64Array;
  private seen: Map<string, number> | null = new Map();

  // Scratch.
  private readonly ids: Int32Array;
  private cav: Int32Array = new Int32Array(64);
  private nCav = 0;
  private bndC: Int32Array = new Int32Array(64);
  private bndI: Int32Array = new Int32Array(64);
  private nBnd = 0;
  private newOf: Int32Array = new Int32Array(256);
  private mark: Int32Array = new Int32Array(0);
  private outMark: Int32Array = new Int32Array(0);
  private cavPos: Int32Array = new Int32Array(0);
  private stamp = 0;
  private rnd = 12345;

  private rem: Int32Array = new Int32Array(64);
  private nRem = 0;
  private add: Int32Array = new Int32Array(64);
  private nAdd = 0;
  private outside = false;

  /**
   * An empty triangulation.
   * @example new TriangulationND(3).numSimplices // 0
   * @param dim the dimension, 1 to {@link MAX_DIM}.
   * @param capacity initial number of vertices to reserve room for.
   */
  constructor(dim: number, capacity = 16) {
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
      throw new RangeError(
        `TriangulationND: the dimension must be an integer from 1 to ${MAX_DIM}, got ${String(dim)}`,
      );
    }
    this.dim = dim;
    this.k = dim + 1;
    this.coords = new Float64Array(Math.max(4, capacity) * dim);
    this.pc = this.coords;
    this.Q = new Float64Array(dim * dim);
    this.ids = new Int32Array(dim + 2);
    this.verts = new Int32Array(0);
    this.nbrs = new Int32Array(0);
    this.kinds = new Uint8Array(0);
    this.growSlots(Math.max(16, 4 * capacity));
  }

  /**
   * Builds the triangulation of `points` (inserted in order). O(n·walk + Σ cavity).
   * @throws RangeError when the points are not full-dimensional, or a point repeats.
   * @example
   * const t = TriangulationND.fromPoints([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
   * t.simplices(); // Int32Array [0, 1, 2, 3] (one tetrahedron; its vertex order may differ)
   */
  static fromPoints(points: readonly ArrayLike<number>[]): TriangulationND {
    if (!Array.isArray(points) || points.length === 0) {
      throw new TypeError('TriangulationND.fromPoints: expected a non-empty array of points');
    }
    const first = points[0] as ArrayLike<number>;
    const d = first?.length;
    if (typeof d !== 'number') {
      throw new TypeError('TriangulationND.fromPoints: each point must be an array of numbers');
    }
    const t = new TriangulationND(d, points.length);
    for (const p of points) t.insert(p);
    if (!t.ready) {
      throw new RangeError(
        `TriangulationND.fromPoints: the ${points.length} points are not full-dimensional (they lie in a lower-dimensional flat of R^${d})`,
      );
    }
    return t;
  }

  /**
   * Number of vertices inserted.
   * @example t.numVertices // 4
   */
  get numVertices(): number {
    return this.nv;
  }

  /**
   * Number of (finite) simplices.
   * @example t.numSimplices // 2
   */
  get numSimplices(): number {
    return this.nFinite;
  }

  /**
   * Whether the simplices exist (d + 1 affinely independent points were inserted).
   * @example new TriangulationND(2).isReady // false
   */
  get isReady(): boolean {
    return this.ready;
  }

  /**
   * @internal Number of slots in use or freed (slot ids are below it).
   * @example for (let s = 0; s < t.slotCount; s++) if (t.isSimplex(s)) count++;
   */
  get slotCount(): number {
    return this.hw;
  }

  /**
   * @internal Capacity of the per-slot arrays (grows by doubling).
   * @example t.slotCapacity // e.g. 64
   */
  get slotCapacity(): number {
    return this.cap;
  }

  /**
   * The finite simplices created by the last {@link insert} (slot ids; valid until the next insert).
   * @example t.insert([0.2, 0.2]); t.lastAdded.length // 3
   */
  get lastAdded(): Int32Array {
    return this.add.subarray(0, this.nAdd);
  }

  /**
   * The finite simplices deleted by the last {@link insert} (slot ids, now free).
   * @example t.insert([0.2, 0.2]); t.lastRemoved.length // 1
   */
  get lastRemoved(): Int32Array {
    return this.rem.subarray(0, this.nRem);
  }

  /**
   * Whether the last {@link insert} put its point outside the previous hull.
   * @example t.insert([5, 5]); t.lastExtendedHull // true
   */
  get lastExtendedHull(): boolean {
    return this.outside;
  }

  // ---------------------------------------------------------------- storage

  private growSlots(min: number): void {
    let cap = Math.max(16, this.cap * 2);
    while (cap < min) cap *= 2;
    const k = this.k;
    const v = new Int32Array(cap * k);
    v.set(this.verts);
    const n = new Int32Array(cap * k);
    n.set(this.nbrs);
    const kd = new Uint8Array(cap);
    kd.set(this.kinds);
    const m = new Int32Array(cap);
    m.set(this.mark);
    const o = new Int32Array(cap);
    o.set(this.outMark);
    this.verts = v;
    this.nbrs = n;
    this.kinds = kd;
    this.mark = m;
    this.outMark = o;
    const cp = new Int32Array(cap);
    cp.set(this.cavPos);
    this.cavPos = cp;
    this.cap = cap;
  }

  private ensureVertex(v: number): void {
    if ((v + 1) * this.dim <= this.coords.length) return;
    const n = Math.max(this.coords.length * 2, (v + 1) * this.dim);
    const usingInt = this.pc !== this.coords;
    const c = new Float64Array(n);
    c.set(this.coords);
    this.coords = c;
    if (this.icoords !== null) {
      const ic = new Float64Array(n);
      ic.set(this.icoords);
      this.icoords = ic;
    }
    this.setPc(usingInt ? (this.icoords as Float64Array) : this.coords);
  }

  /**
   * @internal Makes an empty triangulation take its predicates' signs from integer
   * coordinates given with each vertex (`insert`'s third argument): the points of a lattice,
   * scaled by one factor in every dimension so that the integers' geometry is the stored
   * one's up to a uniform scale (the same Delaunay triangulation), exactly. Stored lattice
   * points are rounded, so cospherical lattice points would each take the exact predicates'
   * slowest stages; on integers the float filter is exact more often and the exact stages
   * are short. Queries staged off the lattice use the stored coordinates (every lattice
   * simplex has the same orientation in both, far above the rounding).
   * `max`: the largest integer coordinate (the integers lie in [0, max]).
   * @example t.useLattice(9); t.insert(scaled, -1, [0, 3, 9]);
   */
  useLattice(max: number): void {
    if (this.nv > 0) throw new Error('TriangulationND.useLattice: the triangulation is not empty');
    this.icoords = new Float64Array(this.coords.length);
    this.intsExact = integerExact(this.dim, max);
    this.setPc(this.icoords);
  }

  /** Points the predicates at `X` (coords, or the lattice's integers). */
  private setPc(X: Float64Array): void {
    this.pc = X;
    this.ints = X === this.icoords && this.intsExact;
  }

  private alloc(): number {
    if (this.nFree > 0) return this.freeSlots[--this.nFree] as number;
    if (this.hw === this.cap) this.growSlots(this.hw + 1);
    return this.hw++;
  }

  private release(s: number): void {
    this.kinds[s] = FREE;
    if (this.nFree === this.freeSlots.length) {
      const f = new Int32Array(this.nFree * 2);
      f.set(this.freeSlots);
      this.freeSlots = f;
    }
    this.freeSlots[this.nFree++] = s;
  }

  // ---------------------------------------------------------------- predicates

  /** Orientation of slot s with the vertex at position i replaced by vertex p. */
  private orientRep(s: number, i: number, p: number): number {
    const k = this.k;
    const ids = this.ids;
    const b = s * k;
    for (let j = 0; j < k; j++) ids[j] = this.verts[b + j] as number;
    ids[i] = p;
    return orient(this.pc, this.dim, ids, 0, this.ints);
  }

  /** Perturbed in-sphere test of vertex p against finite slot s: 1 inside, -1 outside. */
  private inSphereSlot(s: number, p: number): number {
    return inSphere(this.pc, this.dim, this.verts, s * this.k, p, this.ints);
  }

  /** Whether slot n is in conflict with vertex p (see the module comment). */
  private conflict(n: number, p: number): boolean {
    const kind = this.kinds[n] as number;
    if (kind === FINITE) return this.inSphereSlot(n, p) > 0;
    const q = kind - GHOST;
    const o = this.orientRep(n, q, p);
    if (o !== 0) return o > 0;
    return this.inSphereSlot(this.nbrs[n * this.k + q] as number, p) > 0;
  }

  // ---------------------------------------------------------------- insertion

  private checkPoint(p: ArrayLike<number>, what: string): void {
    if (p === null || typeof p !== 'object' || typeof p.length !== 'number') {
      throw new TypeError(`TriangulationND.${what}: a point must be an array of numbers`);
    }
    if (p.length !== this.dim) {
      throw new TypeError(
        `TriangulationND.${what}: point ${describePoint(p)} has ${p.length} coordinates, expected ${this.dim}`,
      );
    }
    for (let j = 0; j < this.dim; j++) {
      const x = p[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new RangeError(
          `TriangulationND.${what}: point ${describePoint(p)} has a coordinate that is not a finite number`,
        );
      }
    }
  }

  /**
   * Inserts a point and returns its vertex id. `hint`: a simplex slot near the point (for
   * the walk); any slot, or -1, is valid. Afterwards {@link lastRemoved} and
   * {@link lastAdded} list the finite simplices the insertion deleted and created.
   * `lattice`: the point's integers, required after {@link useLattice} (and ignored before).
   * O(walk + cavity) predicate calls.
   * @throws TypeError/RangeError for a point of the wrong length or with a non-finite
   *   coordinate, or without its integers on a lattice; RangeError for a point equal to a
   *   vertex; the triangulation is then unchanged.
   * @example
   * const v = t.insert([0.25, 0.25]);
   * t.lastRemoved.length; t.lastAdded.length; // e.g. 1 and 3
   */
  insert(point: ArrayLike<number>, hint = -1, lattice?: ArrayLike<number>): number {
    this.checkPoint(point, 'insert');
    const d = this.dim;
    const v = this.nv;
    this.ensureVertex(v);
    const ic = this.icoords;
    if (ic !== null) {
      if (lattice === undefined || lattice.length < d)
        throw new TypeError(
          'TriangulationND.insert: a lattice triangulation needs each point as integers',
        );
      for (let j = 0; j < d; j++) ic[v * d + j] = (lattice[j] as number) + 0;
      this.setPc(ic);
    }
    for (let j = 0; j < d; j++) this.coords[v * d + j] = (point[j] as number) + 0; // -0 → 0
    this.nRem = 0;
    this.nAdd = 0;
    this.outside = false;
    if (!this.ready) return this.bootstrap(v);
    const s = this.locateVertex(v, hint);
    if (this.kinds[s] === FINITE) {
      const k = this.k;
      for (let j = 0; j < k; j++) {
        const w = this.verts[s * k + j] as number;
        if (lexCompare(this.pc, d, w, v) === 0) {
          throw new RangeError(
            `TriangulationND.insert: point ${describePoint(point)} is already in the triangulation (vertex ${w})`,
          );
        }
      }
    } else this.outside = true;
    this.nv = v + 1;
    this.bowyerWatson(v, s);
    return v;
  }

  private bootstrap(v: number): number {
    const d = this.dim;
    const X = this.coords;
    let key = '';
    for (let j = 0; j < d; j++) key += `${X[v * d + j]},`;
    const seen = this.seen as Map<string, number>;
    const w = seen.get(key);
    if (w !== undefined) {
      throw new RangeError(
        `TriangulationND.insert: point ${describePoint(X.subarray(v * d, v * d + d))} is already in the triangulation (vertex ${w})`,
      );
    }
    seen.set(key, v);
    this.nv = v + 1;
    const B = this.basis;
    if (B.length === 0) {
      B.push(v);
      return v;
    }
    // Residual of x_v − x_b0 against the span of the basis vectors so far (two passes of
    // Gram–Schmidt); a candidate only when clearly independent. The exact orientation check
    // in build() has the last word.
    const b0 = B[0] as number;
    const r = new Float64Array(d);
    let norm0 = 0;
    for (let j = 0; j < d; j++) {
      r[j] = (X[v * d + j] as number) - (X[b0 * d + j] as number);
      norm0 += (r[j] as number) ** 2;
    }
    const m = B.length - 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < m; q++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += (r[j] as number) * (this.Q[q * d + j] as number);
        for (let j = 0; j < d; j++) r[j] = (r[j] as number) - dot * (this.Q[q * d + j] as number);
      }
    }
    let nr = 0;
    for (let j = 0; j < d; j++) nr += (r[j] as number) ** 2;
    if (!(nr > 1e-24 * norm0) || nr === 0) return v;
    const inv = 1 / Math.sqrt(nr);
    for (let j = 0; j < d; j++) this.Q[m * d + j] = (r[j] as number) * inv;
    B.push(v);
    if (B.length === d + 1) {
      const ids = this.ids;
      for (let j = 0; j <= d; j++) ids[j] = B[j] as number;
      if (orient(this.pc, d, ids, 0, this.ints) === 0) B.pop();
      else this.build();
    }
    return v;
  }

  /** Forms the first simplex from the basis, then inserts the other points so far. */
  private build(): void {
    const k = this.k;
    const B = this.basis.slice();
    const ids = this.ids;
    for (let j = 0; j < k; j++) ids[j] = B[j] as number;
    if (orient(this.pc, this.dim, ids, 0, this.ints) < 0) {
      const t = B[0] as number;
      B[0] = B[1] as number;
      B[1] = t;
    }
    this.initSimplexFrom(B);
    this.ready = true;
    this.seen = null;
    const inB = new Set(B);
    for (let w = 0; w < this.nv; w++) {
      if (inB.has(w)) continue;
      const s = this.locateVertex(w, this.last);
      this.bowyerWatson(w, s);
    }
    // Report every simplex as added by the insertion that formed the triangulation.
    this.nRem = 0;
    this.nAdd = 0;
    for (let s = 0; s < this.hw; s++) if (this.kinds[s] === FINITE) this.pushAdded(s);
  }

  /** One positively oriented finite simplex (vertex ids B) closed by d + 1 ghosts. */
  private initSimplexFrom(B: readonly number[]): void {
    const k = this.k;
    const f = this.alloc();
    for (let j = 0; j < k; j++) this.verts[f * k + j] = B[j] as number;
    this.kinds[f] = FINITE;
    this.nFinite++;
    const ghosts: number[] = [];
    for (let i = 0; i < k; i++) {
      const g = this.alloc();
      ghosts.push(g);
      // B with vertex i replaced by ∞, then ∞ swapped with a neighbouring position so that
      // a point beyond the facet gives a positive orientation.
      const j = i === 0 ? 1 : 0;
      for (let m = 0; m < k; m++) this.verts[g * k + m] = B[m] as number;
      this.verts[g * k + i] = B[j] as number;
      this.verts[g * k + j] = -1;
      this.kinds[g] = GHOST + j;
      this.nbrs[f * k + i] = g;
      this.nbrs[g * k + j] = f;
    }
    // Ghost g_i's face opposite a finite vertex u is shared with ghost g_u (the one whose
    // facet lacks u).
    for (let i = 0; i < k; i++) {
      const g = ghosts[i] as number;
      for (let m = 0; m < k; m++) {
        const u = this.verts[g * k + m] as number;
        if (u < 0) continue;
        const iu = B.indexOf(u);
        this.nbrs[g * k + m] = ghosts[iu] as number;
      }
    }
    this.last = f;
  }

  private nextRandom(k: number): number {
    this.rnd = (Math.imul(this.rnd, 1103515245) + 12345) & 0x7fffffff;
    return (this.rnd >>> 8) % k;
  }

  /**
   * The visibility walk to vertex p: a finite slot containing p (closed) or a ghost whose
   * facet sees p strictly.
   */
  private locateVertex(p: number, hint: number): number {
    const k = this.k;
    let s = hint;
    if (!(s >= 0 && s < this.hw && this.kinds[s] !== FREE)) {
      s = this.last >= 0 && this.kinds[this.last] !== FREE ? this.last : this.anyFinite();
    }
    if ((this.kinds[s] as number) >= GHOST)
      s = this.nbrs[s * k + ((this.kinds[s] as number) - GHOST)] as number;
    let prev = -1;
    const limit = 4 * this.hw + 64;
    for (let step = 0; step < limit; step++) {
      const base = s * k;
      const r = this.nextRandom(k);
      let next = -1;
      for (let t = 0; t < k; t++) {
        let i = r + t;
        if (i >= k) i -= k;
        const n = this.nbrs[base + i] as number;
        if (n === prev) continue;
        if (this.orientRep(s, i, p) < 0) {
          next = n;
          break;
        }
      }
      if (next < 0) return s;
      prev = s;
      s = next;
      if ((this.kinds[s] as number) >= GHOST) return s;
    }
    return this.scanLocate(p);
  }

  /** Fallback point location by a scan (never needed for a Delaunay triangulation). */
  private scanLocate(p: number): number {
    const k = this.k;
    for (let s = 0; s < this.hw; s++) {
      if (this.kinds[s] !== FINITE) continue;
      let inside = true;
      for (let i = 0; i < k && inside; i++) if (this.orientRep(s, i, p) < 0) inside = false;
      if (inside) return s;
    }
    for (let s = 0; s < this.hw; s++) {
      const kind = this.kinds[s] as number;
      if (kind >= GHOST && this.orientRep(s, kind - GHOST, p) > 0) return s;
    }
    throw new Error('TriangulationND: point location failed (broken triangulation)');
  }

  private anyFinite(): number {
    for (let s = 0; s < this.hw; s++) if (this.kinds[s] === FINITE) return s;
    throw new Error('TriangulationND: no simplex');
  }

  private pushAdded(s: number): void {
    if (this.nAdd === this.add.length) {
      const a = new Int32Array(this.nAdd * 2);
      a.set(this.add);
      this.add = a;
    }
    this.add[this.nAdd++] = s;
  }

  private pushRemoved(s: number): void {
    if (this.nRem === this.rem.length) {
      const a = new Int32Array(this.nRem * 2);
      a.set(this.rem);
      this.rem = a;
    }
    this.rem[this.nRem++] = s;
  }

  private pushCavity(s: number): void {
    if (this.nCav === this.cav.length) {
      const a = new Int32Array(this.nCav * 2);
      a.set(this.cav);
      this.cav = a;
    }
    this.mark[s] = this.stamp;
    this.cavPos[s] = this.nCav;
    this.cav[this.nCav++] = s;
  }

  private pushBoundary(c: number, i: number): void {
    if (this.nBnd === this.bndC.length) {
      const a = new Int32Array(this.nBnd * 2);
      a.set(this.bndC);
      this.bndC = a;
      const b = new Int32Array(this.nBnd * 2);
      b.set(this.bndI);
      this.bndI = b;
    }
    this.bndC[this.nBnd] = c;
    this.bndI[this.nBnd++] = i;
  }

  /** Bowyer–Watson from slot s0 (in conflict with vertex p). */
  private bowyerWatson(p: number, s0: number): void {
    const k = this.k;
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.mark.fill(0);
      this.outMark.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.nCav = 0;
    this.nBnd = 0;
    this.pushCavity(s0);
    // 1. The cavity and its boundary faces.
    for (let ci = 0; ci < this.nCav; ci++) {
      const c = this.cav[ci] as number;
      for (let i = 0; i < k; i++) {
        const n = this.nbrs[c * k + i] as number;
        if (this.mark[n] === stamp) continue;
        if (this.outMark[n] !== stamp) {
          if (this.conflict(n, p)) {
            this.pushCavity(n);
            continue;
          }
          this.outMark[n] = stamp;
        }
        this.pushBoundary(c, i);
      }
    }
    // 2. One new simplex per boundary face: the cavity simplex with that face's opposite
    // vertex replaced by p (same orientation); its neighbour across that face is outside.
    const nb = this.nBnd;
    if (this.newOf.length < this.nCav * k) this.newOf = new Int32Array(this.nCav * k * 2);
    const newOf = this.newOf;
    for (let b = 0; b < nb; b++) {
      const c = this.bndC[b] as number;
      const i = this.bndI[b] as number;
      const t = this.alloc();
      // alloc may grow the arrays: read them after it.
      const V = this.verts;
      const N = this.nbrs;
      for (let j = 0; j < k; j++) {
        V[t * k + j] = V[c * k + j] as number;
        N[t * k + j] = -1;
      }
      V[t * k + i] = p;
      const ck = this.kinds[c] as number;
      const kind = ck === FINITE || ck - GHOST === i ? FINITE : ck;
      this.kinds[t] = kind;
      if (kind === FINITE) {
        this.nFinite++;
        this.pushAdded(t);
        this.last = t;
      }
      const n = N[c * k + i] as number;
      N[t * k + i] = n;
      for (let j = 0; j < k; j++) {
        if (N[n * k + j] === c) {
          N[n * k + j] = t;
          break;
        }
      }
      newOf[(this.cavPos[c] as number) * k + i] = t;
    }
    // 3. Neighbours among the new simplices, by rotation around each ridge in the cavity.
    this.pairByRotation(nb, stamp);
    // 4. Free the cavity.
    for (let ci = 0; ci < this.nCav; ci++) {
      const c = this.cav[ci] as number;
      if (this.kinds[c] === FINITE) {
        this.nFinite--;
        this.pushRemoved(c);
      }
      this.release(c);
    }
  }

  /** Links the new simplices across their faces through p by rotating around ridges. */
  private pairByRotation(nb: number, stamp: number): void {
    const k = this.k;
    const V = this.verts;
    const N = this.nbrs;
    const newOf = this.newOf;
    for (let b = 0; b < nb; b++) {
      const c = this.bndC[b] as number;
      const i = this.bndI[b] as number;
      const t = newOf[(this.cavPos[c] as number) * k + i] as number;
      const x = V[c * k + i] as number;
      for (let j = 0; j < k; j++) {
        if (j === i || (N[t * k + j] as number) >= 0) continue;
        let cur = c;
        let u = V[c * k + j] as number; // cross the face of cur opposite u
        let w = x;
        for (;;) {
          const cb = cur * k;
          let pu = 0;
          while (V[cb + pu] !== u) pu++;
          const nxt = N[cb + pu] as number;
          if (this.mark[nxt] !== stamp) {
            // (cur, pu) is a boundary face: its new simplex holds the ridge and p; w sits
            // opposite the shared face there.
            const t2 = newOf[(this.cavPos[cur] as number) * k + pu] as number;
            let pw = 0;
            while (V[cb + pw] !== w) pw++;
            N[t * k + j] = t2;
            N[t2 * k + pw] = t;
            break;
          }
          const nb2 = nxt * k;
          let pz = 0;
          while (N[nb2 + pz] !== cur) pz++;
          const z = V[nb2 + pz] as number;
          cur = nxt;
          u = w;
          w = z;
        }
      }
    }
  }

  // ---------------------------------------------------------------- queries

  /**
   * The finite simplex containing `point` (closed), or -1 outside the hull or before the
   * triangulation forms. `hint` as for {@link insert}. O(walk).
   * @example t.locate([0.2, 0.3]) // a slot id, or -1
   */
  locate(point: ArrayLike<number>, hint = -1): number {
    this.checkPoint(point, 'locate');
    if (!this.ready) return -1;
    const v = this.stageQuery(point);
    const s = this.locateVertex(v, hint);
    return this.kinds[s] === FINITE ? s : -1;
  }

  /** Writes a query point in the vertex slot after the last vertex (not committed). */
  private stageQuery(point: ArrayLike<number>): number {
    const v = this.nv;
    this.ensureVertex(v);
    for (let j = 0; j < this.dim; j++) this.coords[v * this.dim + j] = (point[j] as number) + 0;
    // No integers for a query: its walk reads the stored coordinates (see useLattice).
    this.setPc(this.coords);
    return v;
  }

  /**
   * Every finite simplex that contains `point` (closed): one inside a simplex, more on a
   * shared face, edge or vertex. Appends the slots to `out` and returns it. O(walk + count).
   * @example t.containing([0.5, 0.5], -1, []) // e.g. [3, 7] for a point on an edge
   */
  containing(point: ArrayLike<number>, hint: number, out: number[]): number[] {
    this.checkPoint(point, 'containing');
    if (!this.ready) return out;
    const v = this.stageQuery(point);
    const s = this.locateVertex(v, hint);
    if (this.kinds[s] !== FINITE) return out;
    return this.containingFrom(v, s, out);
  }

  /**
   * @example t.containingFrom(t.stage([0.5, 0.5]), t.locate([0.5, 0.5]), []) // [3, 7]
   * @internal All finite simplices containing vertex-slot p (staged or real), starting from
   * finite s that contains it: a search across the faces whose hyperplane holds p.
   */
  containingFrom(p: number, s: number, out: number[]): number[] {
    const k = this.k;
    const start = out.length;
    out.push(s);
    for (let q = start; q < out.length; q++) {
      const c = out[q] as number;
      for (let i = 0; i < k; i++) {
        const n = this.nbrs[c * k + i] as number;
        if (this.kinds[n] !== FINITE) continue;
        let known = false;
        for (let r = start; r < out.length; r++) {
          if (out[r] === n) {
            known = true;
            break;
          }
        }
        if (known) continue;
        if (this.orientRep(c, i, p) === 0) out.push(n);
      }
    }
    return out;
  }

  /**
   * @internal Locates a staged or real vertex slot p: a finite slot containing it, or -1.
   * @example t.locateSlot(t.stage([0.2, 0.2]), -1) // a slot id
   */
  locateSlot(p: number, hint: number): number {
    if (!this.ready) return -1;
    const s = this.locateVertex(p, hint);
    return this.kinds[s] === FINITE ? s : -1;
  }

  /**
   * @internal Stages coordinates as a query vertex slot (see {@link locateSlot}); the next
   * insert or stage overwrites it.
   * @example const q = t.stage([0.2, 0.2]);
   */
  stage(point: ArrayLike<number>): number {
    return this.stageQuery(point);
  }

  /**
   * Whether slot s holds a finite simplex.
   * @example t.isSimplex(t.locate([0.2, 0.2])) // true
   */
  isSimplex(s: number): boolean {
    return s >= 0 && s < this.hw && this.kinds[s] === FINITE;
  }

  /**
   * The vertex ids of finite simplex s (positively oriented order).
   * @example t.simplexVertices(t.locate([0.2, 0.2])) // [0, 1, 2]
   */
  simplexVertices(s: number): number[] {
    if (!this.isSimplex(s)) throw new RangeError(`TriangulationND: ${s} is not a simplex`);
    return Array.from(this.verts.subarray(s * this.k, s * this.k + this.k));
  }

  /**
   * The vertex across face i of finite simplex s (the neighbour's vertex not in s), or -1
   * when face i is on the hull: python-adaptive's `get_opposing_vertices`.
   * @example t.opposite(s, 0) // a vertex id or -1
   */
  opposite(s: number, i: number): number {
    const k = this.k;
    const n = this.nbrs[s * k + i] as number;
    if (this.kinds[n] !== FINITE) return -1;
    for (let j = 0; j < k; j++)
      if (this.nbrs[n * k + j] === s) return this.verts[n * k + j] as number;
    return -1;
  }

  /**
   * The coordinates of vertex v (a copy).
   * @example t.vertex(0) // Float64Array [0, 0]
   */
  vertex(v: number): Float64Array {
    if (!(v >= 0 && v < this.nv)) throw new RangeError(`TriangulationND: no vertex ${v}`);
    return this.coords.slice(v * this.dim, v * this.dim + this.dim);
  }

  /**
   * All finite simplices as rows of d + 1 vertex ids. O(slots).
   * @example TriangulationND.fromPoints([[0, 0], [1, 0], [0, 1]]).simplices() // Int32Array(3)
   */
  simplices(): Int32Array {
    const k = this.k;
    const out = new Int32Array(this.nFinite * k);
    let m = 0;
    for (let s = 0; s < this.hw; s++) {
      if (this.kinds[s] !== FINITE) continue;
      for (let j = 0; j < k; j++) out[m * k + j] = this.verts[s * k + j] as number;
      m++;
    }
    return out;
  }

  /**
   * The finite simplices' slot ids. O(slots).
   * @example for (const s of t.simplexSlots()) total += t.volume(s);
   */
  simplexSlots(): Int32Array {
    const out = new Int32Array(this.nFinite);
    let m = 0;
    for (let s = 0; s < this.hw; s++) if (this.kinds[s] === FINITE) out[m++] = s;
    return out;
  }

  /**
   * The hull facets as rows of d + 1 entries: the facet's d vertex ids and -1 (the infinite
   * vertex) at `infPos[row]`, ordered so that a point q beyond the facet (outside) in the
   * infinite vertex's place gives a positive orientation. O(slots).
   * @example TriangulationND.fromPoints([[0, 0], [1, 0], [0, 1]]).hullFacets().length // 6 (3 edges × 2)
   */
  hullFacets(): { facets: Int32Array; infPos: Uint8Array } {
    const k = this.k;
    let m = 0;
    for (let s = 0; s < this.hw; s++) if ((this.kinds[s] as number) >= GHOST) m++;
    const facets = new Int32Array(m * k);
    const infPos = new Uint8Array(m);
    let r = 0;
    for (let s = 0; s < this.hw; s++) {
      const kind = this.kinds[s] as number;
      if (kind < GHOST) continue;
      for (let j = 0; j < k; j++) facets[r * k + j] = this.verts[s * k + j] as number;
      infPos[r] = kind - GHOST;
      r++;
    }
    return { facets, infPos };
  }

  /**
   * The volume of finite simplex s: |det[x₁ − x₀, …]| / d!. O(d³).
   * @example TriangulationND.fromPoints([[0, 0], [1, 0], [0, 1]]).volume(0) // 0.5
   */
  volume(s: number): number {
    if (!this.isSimplex(s)) throw new RangeError(`TriangulationND: ${s} is not a simplex`);
    return simplexVolumeOf(this.coords, this.dim, this.verts, s * this.k);
  }

  /**
   * Barycentric coordinates of `point` in finite simplex s, written to `out` (d + 1
   * entries). O(d³).
   * @example t.barycentric(s, [0.25, 0.25], new Float64Array(3)) // Float64Array [0.5, 0.25, 0.25]
   */
  barycentric(s: number, point: ArrayLike<number>, out: Float64Array): Float64Array {
    barycentricOf(this.coords, this.dim, this.verts, s * this.k, point, out);
    return out;
  }

  // ---------------------------------------------------------------- reuse

  /**
   * Empties the triangulation and starts it from one simplex of d + 1 points given as d + 1
   * rows of `points` (row-major, d coordinates each), which must be affinely independent.
   * Keeps the buffers: cheap to reuse (the learner's sub-triangulations do).
   * @internal
   * @example t.resetToSimplex(new Float64Array([0, 0, 1, 0, 0, 1])); t.numSimplices // 1
   */
  resetToSimplex(points: Float64Array, offset = 0): void {
    if (this.icoords !== null)
      throw new Error('TriangulationND.resetToSimplex: not for a lattice triangulation');
    const d = this.dim;
    const k = this.k;
    this.hw = 0;
    this.nFree = 0;
    this.nFinite = 0;
    this.nv = k;
    this.ensureVertex(k);
    for (let i = 0; i < k * d; i++) this.coords[i] = (points[offset + i] as number) + 0;
    this.seen = null;
    this.basis = [];
    this.ready = true;
    const B: number[] = [];
    for (let j = 0; j < k; j++) B.push(j);
    const ids = this.ids;
    for (let j = 0; j < k; j++) ids[j] = j;
    const o = orient(this.coords, d, ids, 0);
    if (o === 0)
      throw new RangeError('TriangulationND.resetToSimplex: the points are affinely dependent');
    if (o < 0) {
      B[0] = 1;
      B[1] = 0;
    }
    this.nRem = 0;
    this.nAdd = 0;
    this.outside = false;
    this.initSimplexFrom(B);
    this.pushAdded(this.last);
  }

  // ---------------------------------------------------------------- validation

  /**
   * Throws if an invariant is broken: slot bookkeeping, adjacency symmetry (each face seen
   * from both sides with the same vertices), positive orientation of every finite simplex,
   * ghost orientation, local convexity of the hull, the (perturbed) Delaunay property for
   * every interior face (which implies the global one), every vertex in a simplex, and the
   * sum of the simplex volumes against the hull volume (relative tolerance 1e-9).
   * O(simplices · d³).
   * @example t.checkValid(); // returns, or throws Error('TriangulationND: ...')
   */
  checkValid(): void {
    // The predicates' coordinates: on a lattice the integers (every vertex is a lattice point).
    const P = this.icoords ?? this.coords;
    const I = P === this.icoords && this.intsExact;
    const k = this.k;
    const d = this.dim;
    const fail = (m: string): never => {
      throw new Error(`TriangulationND: ${m}`);
    };
    if (!this.ready) {
      if (this.hw !== 0 && this.nFinite !== 0)
        fail('simplices exist before the triangulation formed');
      return;
    }
    let free = 0;
    for (let i = 0; i < this.nFree; i++) {
      const s = this.freeSlots[i] as number;
      if (this.kinds[s] !== FREE) fail(`slot ${s} is on the free list but in use`);
      free++;
    }
    let finite = 0;
    let used = 0;
    const seenVertex = new Uint8Array(this.nv);
    const ids = this.ids;
    for (let s = 0; s < this.hw; s++) {
      const kind = this.kinds[s] as number;
      if (kind === FREE) continue;
      used++;
      let infs = 0;
      for (let j = 0; j < k; j++) {
        const v = this.verts[s * k + j] as number;
        if (v < 0) {
          infs++;
          if (kind !== GHOST + j) fail(`slot ${s}: the infinite vertex at ${j} but kind ${kind}`);
        } else if (v >= this.nv) fail(`slot ${s} has vertex ${v} beyond ${this.nv}`);
        else seenVertex[v] = 1;
        for (let m = j + 1; m < k; m++)
          if (this.verts[s * k + m] === v) fail(`slot ${s} repeats vertex ${v}`);
      }
      if (kind === FINITE) {
        finite++;
        if (infs !== 0) fail(`finite slot ${s} has the infinite vertex`);
        if (orient(P, d, this.verts, s * k, I) <= 0)
          fail(`simplex ${s} is not positively oriented`);
      } else if (infs !== 1) fail(`ghost slot ${s} has ${infs} infinite vertices`);
      for (let i = 0; i < k; i++) {
        const n = this.nbrs[s * k + i] as number;
        if (!(n >= 0 && n < this.hw) || this.kinds[n] === FREE)
          fail(`slot ${s} face ${i}: neighbour ${n} is not alive`);
        let back = -1;
        for (let j = 0; j < k; j++) if (this.nbrs[n * k + j] === s) back = j;
        if (back < 0) fail(`slot ${s} face ${i}: neighbour ${n} does not point back`);
        // Same face vertices on both sides.
        for (let j = 0; j < k; j++) {
          if (j === i) continue;
          const v = this.verts[s * k + j] as number;
          let found = false;
          for (let m = 0; m < k; m++) if (m !== back && this.verts[n * k + m] === v) found = true;
          if (!found) fail(`slot ${s} face ${i} and neighbour ${n} do not share vertex ${v}`);
        }
        const other = this.verts[n * k + back] as number;
        if (kind === FINITE && this.kinds[n] === FINITE) {
          // Local Delaunay: the opposite vertex is outside (perturbed).
          if (inSphere(P, d, this.verts, s * k, other, I) > 0) {
            fail(`simplex ${s} has vertex ${other} of neighbour ${n} inside its circumsphere`);
          }
        }
        if (kind >= GHOST && i === kind - GHOST) {
          // The finite neighbour's opposite vertex lies strictly inside (negative side).
          for (let j = 0; j < k; j++) ids[j] = this.verts[s * k + j] as number;
          ids[kind - GHOST] = other;
          if (orient(P, d, ids, 0, I) >= 0) fail(`ghost ${s} is not oriented outwards`);
        }
        if (kind >= GHOST && (this.kinds[n] as number) >= GHOST && i !== kind - GHOST) {
          // Local convexity: the other hull facet's far vertex is not beyond this facet.
          if (other >= 0) {
            for (let j = 0; j < k; j++) ids[j] = this.verts[s * k + j] as number;
            ids[kind - GHOST] = other;
            if (orient(P, d, ids, 0, I) > 0) fail(`the hull is not convex at ghosts ${s} and ${n}`);
          }
        }
      }
    }
    if (used + free !== this.hw) fail(`${used} used + ${free} free slots, high water ${this.hw}`);
    if (finite !== this.nFinite) fail(`${finite} finite simplices, count says ${this.nFinite}`);
    for (let v = 0; v < this.nv; v++) if (!seenVertex[v]) fail(`vertex ${v} is in no simplex`);
    // Volume: the simplices against the cone from the centroid to the hull facets, in floats
    // with a tolerance from the terms' magnitudes (skipped when coordinates underflow).
    let sum = 0;
    let err = 0;
    let tiny = false;
    const term = (pts: Float64Array): number => {
      let prod = 1;
      for (let r = 1; r <= d; r++) {
        let s2 = 0;
        for (let j = 0; j < d; j++) s2 += ((pts[r * d + j] as number) - (pts[j] as number)) ** 2;
        prod *= Math.sqrt(s2);
      }
      if (!(prod > 1e-250) || !(prod < 1e250)) tiny = true;
      err += (prod / factorial(d)) * d * d * 4e-16;
      return signedVolume(pts, d);
    };
    const pts = new Float64Array(k * d);
    for (let s = 0; s < this.hw; s++) {
      if (this.kinds[s] !== FINITE) continue;
      for (let j = 0; j < k; j++) {
        const v = this.verts[s * k + j] as number;
        for (let m = 0; m < d; m++) pts[j * d + m] = this.coords[v * d + m] as number;
      }
      sum += term(pts);
    }
    const c = new Float64Array(d);
    for (let v = 0; v < this.nv; v++) {
      for (let j = 0; j < d; j++)
        c[j] = (c[j] as number) + (this.coords[v * d + j] as number) / this.nv;
    }
    let hull = 0;
    for (let s = 0; s < this.hw; s++) {
      const kind = this.kinds[s] as number;
      if (kind < GHOST) continue;
      for (let j = 0; j < k; j++) {
        const v = this.verts[s * k + j] as number;
        for (let m = 0; m < d; m++)
          pts[j * d + m] = v < 0 ? (c[m] as number) : (this.coords[v * d + m] as number);
      }
      // The centroid in the infinite vertex's place: a negatively oriented simplex.
      hull -= term(pts);
    }
    if (!tiny && !(Math.abs(sum - hull) <= 1e-9 * Math.abs(hull) + 2 * err)) {
      fail(`the simplices' volume ${sum} differs from the hull volume ${hull}`);
    }
  }
}
