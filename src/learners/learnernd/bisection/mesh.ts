/**
 * A conforming newest-vertex bisection mesh of a box in d dimensions, for LearnerND's
 * `mesh: 'bisection'`.
 *
 * Maubach (1995) / Traxler (1997) bisection in Stevenson's (2008) tagged form: the box
 * starts as its Kuhn triangulation (d! simplices x0 = lo corner, x_i = x_{i-1} + e_π(i),
 * all of type 0), whose refinement edge is x0–xd (the main diagonal). A simplex
 * [x0, …, xd] of generation g (type γ = g mod d) is cut at z = (x0 + xd)/2 into
 *
 *     [x0, z, x1, …, xγ, x_{γ+1}, …, x_{d-1}]       (generation g + 1)
 *     [xd, z, x1, …, xγ, x_{d-1}, …, x_{γ+1}]       (the last block reversed)
 *
 * and the children's refinement edges are again their x0–xd. Conformity: a simplex is
 * bisected together with every simplex around its refinement edge (its "patch"), after
 * those whose refinement edge differs are bisected first (recursively). Kuhn's tagging
 * satisfies Stevenson's matching condition, so this closure is finite and every mesh
 * reached conforms; a conforming mesh of this forest is fixed by its vertex set.
 *
 * Storage: struct-of-arrays in typed arrays grown by doubling. Every node of the forest
 * (leaves and the bisected simplices above them) keeps its d + 1 vertices, its generation
 * and its first child (the second is the next node). Leaves have slots (`slotOf`, `nodeAt`;
 * a bisected leaf's slot goes to its first child, so there are as many slots as leaves),
 * which keep the d + 1 neighbours (`nbr[slotOf[s]·k + i]` across the facet opposite vertex
 * i, −1 on the box's boundary).
 * Coordinates are kept twice: as given (midpoints `mid(a, b)`, which never overflow and stay
 * inside [a, b] in the subnormals too) and on the unit cube (for the geometry).
 */

import { detInPlace, solveInPlace } from '../../../geometry/simplex-nd.js';
import { growFloat64, growInt32, growUint16 } from '../../../util/grow.js';
import { mid } from '../../../util/mid.js';

/** The lexicographic rank of a permutation of 0…d−1 (Lehmer code). O(d²). */
function permRank(p: ArrayLike<number>, d: number): number {
  let r = 0;
  for (let i = 0; i < d; i++) {
    let smaller = 0;
    for (let j = i + 1; j < d; j++) if ((p[j] as number) < (p[i] as number)) smaller++;
    r = r * (d - i) + smaller;
  }
  return r;
}

/**
 * The bisection mesh of a box. Build with {@link BisectionMesh.kuhn}.
 * @example
 * const m = new BisectionMesh([0, 0], [1, 1]);
 * m.refine(0); m.leafCount; // 4: the first bisection cuts both Kuhn triangles at the centre
 */
export class BisectionMesh {
  readonly dim: number;
  /** d + 1. */
  readonly k: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** The number of Kuhn roots, d!. */
  readonly nRoots: number;

  // Vertices.
  nVerts = 0;
  X: Float64Array = new Float64Array(0);
  U: Float64Array = new Float64Array(0);

  // Nodes.
  nNodes = 0;
  nLeaves = 0;
  V: Int32Array = new Int32Array(0);
  /** Per node: its slot, −1 once bisected. */
  slotOf: Int32Array = new Int32Array(0);
  /** Per slot: its leaf. */
  nodeAt: Int32Array = new Int32Array(0);
  /** Per slot: the leaf's neighbours (node ids). */
  nbr: Int32Array = new Int32Array(0);
  gen: Uint16Array = new Uint16Array(0);
  child: Int32Array = new Int32Array(0);
  /** Per slot: scratch marks for patch collection. */
  stamp: Int32Array = new Int32Array(0);
  #stampNow = 0;

  /** The last patch collected (leaves around an edge). */
  patch: Int32Array = new Int32Array(64);
  patchLen = 0;
  /** The leaf whose patch `patch` holds when {@link target} found every leaf in it compatible (−1: none). */
  #compatible = -1;
  #stack: Int32Array = new Int32Array(64);
  #patchCopy: Int32Array = new Int32Array(64);
  readonly #row: Int32Array;

  /** Called with each new leaf (both children of every bisection), after its neighbours are set. */
  onLeaf: ((s: number) => void) | null = null;
  /** Called with each simplex that stops being a leaf, before its children exist. */
  onSplit: ((s: number) => void) | null = null;
  /** Called with each new vertex. */
  onVertex: ((v: number) => void) | null = null;

  // Scratch for point location.
  readonly #A: Float64Array;
  readonly #b: Float64Array;
  readonly #lam: Float64Array;

  /**
   * The Kuhn triangulation of the box [lo, hi]: 2^d corner vertices, numbered in the
   * lexicographic order of their coordinates, and d! simplices. O(d!·d²).
   */
  constructor(lo: readonly number[], hi: readonly number[]) {
    const d = lo.length;
    this.dim = d;
    this.k = d + 1;
    this.lo = Float64Array.from(lo);
    this.hi = Float64Array.from(hi);
    this.#A = new Float64Array(d * d);
    this.#b = new Float64Array(d);
    this.#lam = new Float64Array(d + 1);
    this.#row = new Int32Array(d + 1);
    const nc = 2 ** d;
    this.#ensureVerts(nc);
    // Vertex i is the corner whose coordinate j is at hi when bit d−1−j of i is set: the
    // lexicographic order of the corners.
    for (let i = 0; i < nc; i++) {
      for (let j = 0; j < d; j++) {
        const up = ((i >> (d - 1 - j)) & 1) === 1;
        this.X[i * d + j] = up ? (hi[j] as number) : (lo[j] as number);
        this.U[i * d + j] = up ? 1 : 0;
      }
    }
    this.nVerts = nc;
    let roots = 1;
    for (let i = 2; i <= d; i++) roots *= i;
    this.nRoots = roots;
    this.#ensureNodes(roots);
    this.#ensureSlots(roots);
    const k = d + 1;
    const perm = new Int32Array(d);
    for (let i = 0; i < d; i++) perm[i] = i;
    const swapped = new Int32Array(d);
    for (let r = 0; r < roots; r++) {
      // perm is the r-th permutation in lexicographic order.
      let corner = 0;
      this.V[r * k] = 0;
      for (let i = 0; i < d; i++) {
        corner |= 1 << (d - 1 - (perm[i] as number));
        this.V[r * k + i + 1] = corner;
      }
      this.nbr[r * k] = -1;
      this.nbr[r * k + d] = -1;
      // Across the facet opposite x_i (0 < i < d): π with positions i−1 and i swapped.
      for (let i = 1; i < d; i++) {
        swapped.set(perm);
        swapped[i - 1] = perm[i] as number;
        swapped[i] = perm[i - 1] as number;
        this.nbr[r * k + i] = permRank(swapped, d);
      }
      this.gen[r] = 0;
      this.child[r] = -1;
      this.slotOf[r] = r;
      this.nodeAt[r] = r;
      nextPermutation(perm);
    }
    this.nNodes = roots;
    this.nLeaves = roots;
  }

  #ensureVerts(n: number): void {
    const d = this.dim;
    if (this.X.length < n * d) {
      this.X = growFloat64(this.X, n * d);
      this.U = growFloat64(this.U, n * d);
    }
  }

  #ensureNodes(n: number): void {
    const k = this.k;
    if (this.child.length < n) {
      this.child = growInt32(this.child, n);
      const cap = this.child.length;
      this.V = growInt32(this.V, cap * k);
      this.gen = growUint16(this.gen, cap);
      this.slotOf = growInt32(this.slotOf, cap);
    }
  }

  #ensureSlots(n: number): void {
    if (this.nodeAt.length < n) {
      this.nodeAt = growInt32(this.nodeAt, n);
      const cap = this.nodeAt.length;
      this.nbr = growInt32(this.nbr, cap * this.k);
      this.stamp = growInt32(this.stamp, cap);
    }
  }

  /** The neighbour of leaf s across the facet opposite its vertex i (−1: the box's boundary). */
  neighbour(s: number, i: number): number {
    return this.nbr[(this.slotOf[s] as number) * this.k + i] as number;
  }

  /** Whether node s is a leaf. */
  isLeaf(s: number): boolean {
    return (this.child[s] as number) < 0;
  }

  /**
   * Collects into `patch` the leaves around the edge (a, b) of leaf s: s and the leaves
   * reached through facets that hold both a and b. O(patch · d).
   */
  collectPatch(s: number, a: number, b: number): void {
    const k = this.k;
    const st = ++this.#stampNow;
    this.#compatible = -1;
    let n = 0;
    this.patch[n++] = s;
    this.stamp[this.slotOf[s] as number] = st;
    for (let q = 0; q < n; q++) {
      const t = this.patch[q] as number;
      const ot = (this.slotOf[t] as number) * k;
      for (let i = 0; i < k; i++) {
        const v = this.V[t * k + i] as number;
        if (v === a || v === b) continue;
        const u = this.nbr[ot + i] as number;
        if (u < 0) continue;
        const su = this.slotOf[u] as number;
        if (this.stamp[su] === st) continue;
        this.stamp[su] = st;
        if (n === this.patch.length) this.patch = growInt32(this.patch, n + 1);
        this.patch[n++] = u;
      }
    }
    this.patchLen = n;
  }

  /** Whether leaf s's refinement edge is (a, b) in either direction. */
  hasRefEdge(s: number, a: number, b: number): boolean {
    const k = this.k;
    const x0 = this.V[s * k] as number;
    const xd = this.V[s * k + k - 1] as number;
    return (x0 === a && xd === b) || (x0 === b && xd === a);
  }

  /** The tie key of node s: the sum of its vertices' `hash`es in vertex order (the same for the same simplex). */
  tieKey(s: number, hash: Float64Array): number {
    const k = this.k;
    let h = 0;
    for (let i = 0; i < k; i++) h += hash[this.V[s * k + i] as number] as number;
    return h;
  }

  /**
   * The first leaf of the patch collected last whose refinement edge is not (a, b), choosing
   * by tie key over the vertices' `hash`es (smallest first; −1 when `hash` is null: the first
   * found), or −1 when all share it.
   */
  incompatible(a: number, b: number, hash: Float64Array | null): number {
    let best = -1;
    let bestTie = 0;
    for (let q = 0; q < this.patchLen; q++) {
      const t = this.patch[q] as number;
      if (this.hasRefEdge(t, a, b)) continue;
      if (hash === null) return t;
      const tie = this.tieKey(t, hash);
      if (best < 0 || tie < bestTie) {
        best = t;
        bestTie = tie;
      }
    }
    return best;
  }

  /**
   * The leaf whose patch the closure of leaf s bisects first: s itself when every leaf
   * around its refinement edge shares it, else (recursively) such a leaf found through the
   * incompatible neighbour of smallest tie key (see {@link tieKey}). Changes nothing.
   * O(chain · patch · d).
   */
  target(s: number, hash: Float64Array): number {
    const k = this.k;
    let t = s;
    for (;;) {
      const a = this.V[t * k] as number;
      const b = this.V[t * k + k - 1] as number;
      this.collectPatch(t, a, b);
      const u = this.incompatible(a, b, hash);
      if (u < 0) {
        this.#compatible = t;
        return t;
      }
      t = u;
    }
  }

  /**
   * Bisects leaf s, with the closure that keeps the mesh conforming (Stevenson's recursive
   * refinement). Returns the number of vertices added. O(new simplices · d).
   */
  refine(s: number): number {
    const k = this.k;
    const v0 = this.nVerts;
    let top = 0;
    this.#stack[top++] = s;
    while (top > 0) {
      const t = this.#stack[top - 1] as number;
      if (!this.isLeaf(t)) {
        top--;
        continue;
      }
      const a = this.V[t * k] as number;
      const b = this.V[t * k + k - 1] as number;
      // The patch that target() found for the point asked last, when the mesh has not changed since.
      if (t !== this.#compatible) this.collectPatch(t, a, b);
      const u = t === this.#compatible ? -1 : this.incompatible(a, b, null);
      if (u >= 0) {
        if (top === this.#stack.length) this.#stack = growInt32(this.#stack, top + 1);
        // Stevenson: the neighbour's generation is smaller, so the chain is finite.
        if (top > 64 * this.k * this.k) throw new Error('BisectionMesh: the closure does not end');
        this.#stack[top++] = u;
        continue;
      }
      this.#bisectPatch(a, b);
      top--;
    }
    return this.nVerts - v0;
  }

  /** Bisects the patch collected last, whose leaves all have refinement edge (a, b). */
  #bisectPatch(a: number, b: number): void {
    const d = this.dim;
    const k = this.k;
    const z = this.nVerts;
    this.#compatible = -1;
    this.#ensureVerts(z + 1);
    for (let j = 0; j < d; j++) {
      this.X[z * d + j] = mid(this.X[a * d + j] as number, this.X[b * d + j] as number);
      this.U[z * d + j] = mid(this.U[a * d + j] as number, this.U[b * d + j] as number);
    }
    this.nVerts = z + 1;
    this.onVertex?.(z);
    const n = this.patchLen;
    if (this.#patchCopy.length < n) this.#patchCopy = growInt32(this.#patchCopy, n);
    const patch = this.#patchCopy;
    patch.set(this.patch.subarray(0, n));
    this.#ensureNodes(this.nNodes + 2 * n);
    this.#ensureSlots(this.nLeaves + n);
    const V = this.V;
    const nbr = this.nbr;
    const slotOf = this.slotOf;
    const nodeAt = this.nodeAt;
    // Children first, so that childWith works for every member.
    for (let q = 0; q < n; q++) {
      const s = patch[q] as number;
      this.onSplit?.(s);
      const c = this.nNodes;
      this.nNodes += 2;
      this.child[s] = c;
      this.child[c] = -1;
      this.child[c + 1] = -1;
      // The first child takes the parent's slot, the second a new one.
      const ps = slotOf[s] as number;
      const ns = this.nLeaves + q;
      slotOf[s] = -1;
      slotOf[c] = ps;
      nodeAt[ps] = c;
      slotOf[c + 1] = ns;
      nodeAt[ns] = c + 1;
      const g = this.gen[s] as number;
      this.gen[c] = g + 1;
      this.gen[c + 1] = g + 1;
      const gam = g % d;
      const o = s * k;
      const o1 = c * k;
      const o2 = (c + 1) * k;
      V[o1] = V[o] as number;
      V[o1 + 1] = z;
      V[o2] = V[o + d] as number;
      V[o2 + 1] = z;
      for (let j = 1; j < d; j++) {
        V[o1 + j + 1] = V[o + j] as number;
        V[o2 + childPos(j, gam, d)] = V[o + j] as number;
      }
    }
    const row = this.#row;
    for (let q = 0; q < n; q++) {
      const s = patch[q] as number;
      const c = this.child[s] as number;
      const o = s * k;
      // The parent's neighbours, read before the first child's overwrite them (its slot).
      const o1 = (slotOf[c] as number) * k;
      const o2 = (slotOf[c + 1] as number) * k;
      for (let i = 0; i < k; i++) row[i] = nbr[o1 + i] as number;
      const gam = (this.gen[s] as number) % d;
      const x0 = V[o] as number;
      const xd = V[o + d] as number;
      nbr[o1] = c + 1;
      nbr[o2] = c;
      nbr[o1 + 1] = row[d] as number;
      nbr[o2 + 1] = row[0] as number;
      this.#repoint(row[d] as number, s, c);
      this.#repoint(row[0] as number, s, c + 1);
      for (let j = 1; j < d; j++) {
        const u = row[j] as number;
        nbr[o1 + j + 1] = u < 0 ? -1 : this.#childWith(u, x0);
        nbr[o2 + childPos(j, gam, d)] = u < 0 ? -1 : this.#childWith(u, xd);
      }
    }
    this.nLeaves += n;
    if (this.onLeaf !== null) {
      for (let q = 0; q < n; q++) {
        const c = this.child[patch[q] as number] as number;
        this.onLeaf(c);
        this.onLeaf(c + 1);
      }
    }
  }

  /** The child of bisected node u that holds vertex v (one of its refinement edge's ends). */
  #childWith(u: number, v: number): number {
    const c = this.child[u] as number;
    return this.V[u * this.k] === v ? c : c + 1;
  }

  /** In leaf u (if any), the neighbour pointer to `from` now points to `to`. */
  #repoint(u: number, from: number, to: number): void {
    if (u < 0) return;
    const k = this.k;
    const o = (this.slotOf[u] as number) * k;
    for (let i = 0; i < k; i++) {
      if (this.nbr[o + i] === from) {
        this.nbr[o + i] = to;
        return;
      }
    }
    throw new Error(`BisectionMesh: leaf ${u} does not see ${from} as a neighbour`);
  }

  /** The Kuhn root holding the unit-cube point u (coordinates sorted descending). O(d²). */
  root(u: ArrayLike<number>): number {
    const d = this.dim;
    const p = new Int32Array(d);
    for (let i = 0; i < d; i++) p[i] = i;
    // Insertion sort by descending coordinate, ties by index: stable.
    for (let i = 1; i < d; i++) {
      const t = p[i] as number;
      let j = i;
      while (j > 0 && (u[p[j - 1] as number] as number) < (u[t] as number)) {
        p[j] = p[j - 1] as number;
        j--;
      }
      p[j] = t;
    }
    return permRank(p, d);
  }

  /**
   * The barycentric coordinates of unit-cube point u in node s (into `lam`, vertex order);
   * false when the simplex is singular. O(d³).
   */
  barycentric(s: number, u: ArrayLike<number>, lam: Float64Array): boolean {
    const d = this.dim;
    const k = this.k;
    const A = this.#A;
    const b = this.#b;
    const o0 = (this.V[s * k] as number) * d;
    for (let j = 0; j < d; j++) {
      for (let i = 1; i <= d; i++) {
        A[j * d + i - 1] =
          (this.U[(this.V[s * k + i] as number) * d + j] as number) - (this.U[o0 + j] as number);
      }
      b[j] = (u[j] as number) - (this.U[o0 + j] as number);
    }
    if (!solveInPlace(A, b, d)) return false;
    let sum = 0;
    for (let i = 1; i <= d; i++) {
      lam[i] = b[i - 1] as number;
      sum += b[i - 1] as number;
    }
    lam[0] = 1 - sum;
    return true;
  }

  /**
   * The leaf holding unit-cube point u, by descending the bisection tree from its Kuhn root:
   * at each bisected node, the child on u's side of the cutting plane (barycentric weight of
   * x0 against xd). O(depth · d³).
   */
  locate(u: ArrayLike<number>): number {
    let s = this.root(u);
    const lam = this.#lam;
    const d = this.dim;
    while (!this.isLeaf(s)) {
      const c = this.child[s] as number;
      if (!this.barycentric(s, u, lam)) return c;
      s = (lam[0] as number) >= (lam[d] as number) ? c : c + 1;
    }
    return s;
  }

  /** The leaves, in slot order. O(nodes). */
  leaves(): Int32Array {
    const out = new Int32Array(this.nLeaves);
    let n = 0;
    for (let s = 0; s < this.nNodes; s++) if (this.isLeaf(s)) out[n++] = s;
    return out;
  }

  /** The volume of node s on the unit cube. O(d³). */
  volume(s: number): number {
    const d = this.dim;
    const k = this.k;
    const A = new Float64Array(d * d);
    const o0 = (this.V[s * k] as number) * d;
    for (let i = 1; i <= d; i++) {
      const oi = (this.V[s * k + i] as number) * d;
      for (let j = 0; j < d; j++)
        A[(i - 1) * d + j] = (this.U[oi + j] as number) - (this.U[o0 + j] as number);
    }
    let det = detInPlace(A, d);
    for (let i = 2; i <= d; i++) det /= i;
    return Math.abs(det);
  }

  /**
   * Throws if the mesh is not a conforming bisection mesh: neighbour pointers symmetric and
   * sharing exactly the facet they claim, boundary facets on the box's boundary, every
   * bisected node's children the rule's, leaf count, leaf volumes summing to the cube's.
   * O(nodes · d²).
   */
  checkValid(): void {
    const d = this.dim;
    const k = this.k;
    let leaves = 0;
    let vol = 0;
    for (let s = 0; s < this.nNodes; s++) {
      const slot = this.slotOf[s] as number;
      if (!this.isLeaf(s)) {
        if (slot !== -1) throw new Error(`BisectionMesh: bisected node ${s} keeps slot ${slot}`);
        continue;
      }
      if (!(slot >= 0 && slot < this.nLeaves && this.nodeAt[slot] === s))
        throw new Error(`BisectionMesh: leaf ${s} has slot ${slot}, which is not its`);
      leaves++;
      vol += this.volume(s);
      for (let i = 0; i < k; i++) {
        const u = this.neighbour(s, i);
        if (u < 0) {
          if (!this.#facetOnBoundary(s, i)) {
            throw new Error(
              `BisectionMesh: facet ${i} of leaf ${s} has no neighbour inside the box`,
            );
          }
          continue;
        }
        if (!this.isLeaf(u))
          throw new Error(`BisectionMesh: leaf ${s}'s neighbour ${u} is not a leaf`);
        let back = -1;
        for (let i2 = 0; i2 < k; i2++) if (this.neighbour(u, i2) === s) back = i2;
        if (back < 0) throw new Error(`BisectionMesh: leaves ${s} and ${u} disagree on adjacency`);
        // They share the d vertices other than s's i-th and u's back-th.
        for (let j = 0; j < k; j++) {
          if (j === i) continue;
          const v = this.V[s * k + j] as number;
          let found = false;
          for (let j2 = 0; j2 < k; j2++) if (j2 !== back && this.V[u * k + j2] === v) found = true;
          if (!found) throw new Error(`BisectionMesh: leaves ${s} and ${u} do not share a facet`);
        }
      }
    }
    if (leaves !== this.nLeaves) {
      throw new Error(`BisectionMesh: ${leaves} leaves, counted ${this.nLeaves}`);
    }
    if (Math.abs(vol - 1) > 1e-9 * Math.max(1, leaves)) {
      throw new Error(`BisectionMesh: leaf volumes sum to ${vol}, not the box's 1`);
    }
    for (let s = 0; s < this.nNodes; s++) {
      if (this.isLeaf(s)) continue;
      const c = this.child[s] as number;
      if (this.gen[c] !== (this.gen[s] as number) + 1 || this.gen[c + 1] !== this.gen[c]) {
        throw new Error(`BisectionMesh: node ${s}'s children have the wrong generation`);
      }
      const gam = (this.gen[s] as number) % d;
      const z = this.V[c * k + 1] as number;
      const ok =
        this.V[c * k] === this.V[s * k] &&
        this.V[(c + 1) * k] === this.V[s * k + d] &&
        this.V[(c + 1) * k + 1] === z;
      let rule = ok;
      for (let j = 1; j < d && rule; j++) {
        rule =
          this.V[c * k + j + 1] === this.V[s * k + j] &&
          this.V[(c + 1) * k + childPos(j, gam, d)] === this.V[s * k + j];
      }
      if (!rule) throw new Error(`BisectionMesh: node ${s}'s children break the bisection rule`);
    }
  }

  /** Whether facet i of leaf s lies in a face of the unit cube (all its vertices share a 0 or 1 coordinate). */
  #facetOnBoundary(s: number, i: number): boolean {
    const d = this.dim;
    const k = this.k;
    for (let j = 0; j < d; j++) {
      for (const side of [0, 1]) {
        let all = true;
        for (let q = 0; q < k && all; q++) {
          if (q === i) continue;
          if (this.U[(this.V[s * k + q] as number) * d + j] !== side) all = false;
        }
        if (all) return true;
      }
    }
    return false;
  }
}

/** Position in the second child of the parent's vertex j (0 < j < d), for type γ. */
function childPos(j: number, gam: number, d: number): number {
  return j <= gam ? j + 1 : gam + 1 + (d - j);
}

/** Advances p to the next permutation in lexicographic order (wraps to the first). */
function nextPermutation(p: Int32Array): void {
  const n = p.length;
  let i = n - 2;
  while (i >= 0 && (p[i] as number) >= (p[i + 1] as number)) i--;
  if (i >= 0) {
    let j = n - 1;
    while ((p[j] as number) <= (p[i] as number)) j--;
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  for (let a = i + 1, b = n - 1; a < b; a++, b--) {
    const t = p[a] as number;
    p[a] = p[b] as number;
    p[b] = t;
  }
}
