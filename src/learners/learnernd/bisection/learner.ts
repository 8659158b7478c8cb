/**
 * LearnerND with `mesh: 'bisection'`: the learner on a {@link BisectionMesh} (newest-vertex
 * bisection from the box's Kuhn triangulation) instead of a Delaunay triangulation.
 *
 * - Each leaf simplex gets LearnerND's loss on its vertices (the same losses, the vertices
 *   scaled to the unit cube in the leaf's own vertex order, which the forest fixes, so the
 *   same leaf gets the same loss bit for bit by any route; the values by the observed range,
 *   recomputed when it grows by `recomputeLossesFactor`).
 * - `ask` takes the leaf of largest loss and hands out the midpoint of the refinement edge
 *   of the leaf its bisection starts with: itself when every leaf around its refinement edge
 *   shares that edge, else (the conformity closure) the first such leaf found through its
 *   neighbours. So each asked point is exactly one bisection of one patch.
 * - The mesh is a function of the told points (a conforming mesh of this forest is fixed by
 *   its vertex set): a told point that is a vertex of the forest (within 40 levels a
 *   dimension) is inserted with the closure. The closure's midpoints are new vertices whose
 *   values nobody has: they are asked (an interpolated value would make the loss lie about
 *   the function), and until then a leaf holding one gets its volume as loss and that vertex
 *   as its next point, as a leaf with a NaN value gets its volume. Asked points never need
 *   such vertices (each is one patch's bisection), so they come only from told points that
 *   were not asked. A told point off the forest is kept as data (records, snapshots) but is
 *   no vertex. Pending points are not in the mesh: a leaf whose next point is pending is
 *   skipped by `ask` and by `loss({ real: false })` (its loss counts as 0 until the point is
 *   told; python-adaptive splits the loss among sub-simplices, which a bisection that is
 *   already decided does not need), so `ask(n, { tellPending: false })` changes nothing but
 *   the pending list it undoes.
 * - `loss()` is Infinity until every corner is evaluated (the bound points, asked first).
 * - A leaf with a non-finite value gets its volume as loss (as LearnerND does for a loss
 *   other than the default); a loss that is NaN or ±Infinity, likewise.
 */

import { graphVolumes, solveInPlace, volumeFlat } from '../../../geometry/simplex-nd.js';
import { IndexedHeap } from '../../../queue/heap.js';
import { growFloat64, growInt32 } from '../../../util/grow.js';
import { mid } from '../../../util/mid.js';
import type { LossValueND, SimplexLoss } from '../../losses-nd.js';
import type { AskOptions, AskResult, LearnerSnapshot, LossOptions } from '../../types.js';
import { describe } from '../../validate.js';
import type { InterpolantND } from '../data-out.js';
import { checkPoint, type DomainQuery, inDomainPoint } from '../domain.js';
import { hashCoords } from '../hash.js';
import { setMultiplier } from '../queues.js';
import { type FastLoss, LOSS_DEFAULT, LOSS_UNIFORM } from '../state.js';
import { checkValue } from '../tell.js';
import type { ArraysND, RecordND, TriangulationDataND, ValueND } from '../types.js';
import { CoordTable } from './coord-table.js';
import { arraysOf, recordsOf, triangulationOf } from './data-out.js';
import { scalarGraphLoss } from './graph-loss.js';
import { BisectionMesh } from './mesh.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';

/** Levels of bisection a dimension beyond which a leaf is not refined (cells of 2^-40 of the box). */
const MAX_LEVEL = 40;

/** The state and operations of one bisection-mesh LearnerND (the facade delegates here). */
export class BisectionND {
  readonly dim: number;
  readonly k: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly bounds: readonly (readonly [number, number])[];
  readonly lossFunction: SimplexLoss;
  readonly nn: number;
  readonly fast: FastLoss;
  readonly factor: number;
  readonly maxGen: number;
  mesh: BisectionMesh;

  // Per vertex: its data index (−1: none yet), hash for ties.
  vData: Int32Array = new Int32Array(0);
  vHash: Float64Array = new Float64Array(0);
  readonly vTable: CoordTable;
  /** The smallest vertex id that may lack a value. */
  holeCursor = 0;

  // The queue holds the mesh's leaf slots (a bisected leaf's slot goes to its first child),
  // so the heap holds exactly the leaves (no stale entries to delete) and a child's loss is
  // a key update in place. Per slot: the tie key (sum of the vertices' hashes: the same for
  // the same simplex).
  readonly ties: { tie: Float64Array } = { tie: new Float64Array(0) };
  readonly heap: IndexedHeap;

  // Data in the order told.
  nData = 0;
  dataX: Float64Array = new Float64Array(0);
  dataY: Float64Array = new Float64Array(0);
  dataVert: Int32Array = new Int32Array(0);
  vdim = 0;
  vector = false;
  readonly dTable: CoordTable;

  // Pending points: slots, an order list, the leaf whose patch each one bisects (−1: not asked).
  pX: Float64Array = new Float64Array(0);
  pLeaf: Int32Array = new Int32Array(0);
  pFree: number[] = [];
  pUsed = 0;
  pOrder: number[] = [];
  readonly pTable: CoordTable;

  // Output scale (see setMultiplier).
  yMin = Number.POSITIVE_INFINITY;
  yMax = Number.NEGATIVE_INFINITY;
  mult = 1;
  unit = 1;
  jump = 0;
  oldScale = 0;
  lossError: Error | null = null;

  // Scratch.
  readonly #P: Float64Array;
  readonly #qx: Float64Array;
  readonly #qu: Float64Array;
  /** The default loss's right-hand side (gradient). */
  readonly #gb: Float64Array;
  readonly #lam: Float64Array;
  readonly #lossX: Float64Array[];
  readonly #lossY: LossValueND[];
  readonly #nbX: (Float64Array | null)[];
  readonly #nbY: (LossValueND | null)[];
  readonly #nbBuf: Float64Array[];
  #newLeaves: Int32Array = new Int32Array(64);
  #nNew = 0;

  /**
   * @param dq the box as LearnerND's Delaunay state holds it (for validating points).
   */
  constructor(
    readonly dq: DomainQuery,
    bounds: readonly (readonly [number, number])[],
    loss: SimplexLoss,
    nn: number,
    fast: FastLoss,
    factor: number,
  ) {
    const d = bounds.length;
    this.dim = d;
    this.k = d + 1;
    this.bounds = bounds;
    this.lo = Float64Array.from(bounds, (b) => b[0]);
    this.hi = Float64Array.from(bounds, (b) => b[1]);
    this.lossFunction = loss;
    this.nn = nn;
    this.fast = fast;
    this.factor = factor;
    this.maxGen = MAX_LEVEL * d;
    this.#P = new Float64Array((d + 1) * (d + 64));
    this.#qx = new Float64Array(d);
    this.#qu = new Float64Array(d);
    this.#gb = new Float64Array(d);
    this.#lam = new Float64Array(d + 1);
    this.#lossX = Array.from({ length: d + 1 }, () => new Float64Array(d));
    this.#lossY = new Array<LossValueND>(d + 1).fill(0);
    this.#nbX = new Array<Float64Array | null>(d + 1).fill(null);
    this.#nbY = new Array<LossValueND | null>(d + 1).fill(null);
    this.#nbBuf = Array.from({ length: d + 1 }, () => new Float64Array(d));
    this.vTable = new CoordTable(
      d,
      () => this.mesh.X,
      (v) => v * d,
    );
    this.dTable = new CoordTable(
      d,
      () => this.dataX,
      (i) => i * d,
    );
    this.pTable = new CoordTable(
      d,
      () => this.pX,
      (p) => p * d,
    );
    this.heap = new IndexedHeap(this.ties, 64);
    this.mesh = new BisectionMesh(Array.from(this.lo), Array.from(this.hi));
    this.#wire();
  }

  /** Hooks the mesh's callbacks and registers its initial vertices and leaves. */
  #wire(): void {
    const m = this.mesh;
    m.onVertex = (v) => this.#addVertex(v);
    m.onSplit = null;
    m.onLeaf = (s) => {
      // The slot keeps the bisected leaf's key and tie until #update: the heap stays ordered.
      const slot = m.slotOf[s] as number;
      if (this.ties.tie.length <= slot) this.ties.tie = growFloat64(this.ties.tie, slot + 1);
      if (this.#nNew === this.#newLeaves.length)
        this.#newLeaves = growInt32(this.#newLeaves, this.#nNew + 1);
      this.#newLeaves[this.#nNew++] = s;
    };
    for (let v = 0; v < m.nVerts; v++) this.#addVertex(v);
    for (let s = 0; s < m.nNodes; s++) m.onLeaf(s);
    this.#nNew = 0;
  }

  #addVertex(v: number): void {
    const d = this.dim;
    if (this.vData.length <= v) {
      this.vData = growInt32(this.vData, v + 1);
      this.vHash = growFloat64(this.vHash, v + 1);
    }
    const X = this.mesh.X;
    this.vHash[v] = hashCoords(X, v * d, d);
    this.vTable.add(v, X, v * d);
    // A told point off the forest's vertices so far may be this vertex (rounding).
    this.vData[v] = this.dTable.get(X, v * d);
    if ((this.vData[v] as number) >= 0) this.dataVert[this.vData[v] as number] = v;
  }

  // ---------------------------------------------------------------- queries

  get npoints(): number {
    return this.nData;
  }

  get outputDimension(): number {
    return this.vdim === 0 ? 1 : this.vdim;
  }

  /** The box's corners in the order they are asked (lexicographic). */
  boundPoints(): number[][] {
    const d = this.dim;
    const out: number[][] = [];
    for (let v = 0; v < 2 ** d; v++) out.push(Array.from(this.mesh.X.subarray(v * d, v * d + d)));
    return out;
  }

  pendingPoints(): number[][] {
    const d = this.dim;
    return this.pOrder.map((p) => Array.from(this.pX.subarray(p * d, p * d + d)));
  }

  inDomain(point: readonly number[]): boolean {
    return inDomainPoint(this.dq, point);
  }

  /** Validates a point (d finite numbers in the box; LearnerND's messages); returns the domain's scratch. */
  #checkPoint(point: unknown, what: string): Float64Array {
    return checkPoint(this.dq, point, what);
  }

  // ---------------------------------------------------------------- tell

  tell(point: readonly number[], value: ValueND): void {
    const x = this.#checkPoint(point, 'tell');
    const len = checkValue(value, point, 'tell', this.vdim, this.vector);
    if (this.dTable.get(x, 0) >= 0) return;
    this.#tellUnchecked(x, value, len);
    this.#throwLossError();
  }

  tellMany(points: readonly (readonly number[])[], values: readonly ValueND[]): void {
    if (!Array.isArray(points) || !Array.isArray(values)) {
      throw new TypeError('LearnerND.tellMany: points and values must be arrays');
    }
    if (points.length !== values.length) {
      throw new RangeError(
        `LearnerND.tellMany: ${points.length} points but ${values.length} values`,
      );
    }
    let vdim = this.vdim;
    let vector = this.vector;
    for (let i = 0; i < points.length; i++) {
      this.#checkPoint(points[i], 'tellMany');
      const len = checkValue(values[i], points[i], 'tellMany', vdim, vector);
      if (vdim === 0) {
        vdim = len === 0 ? 1 : len;
        vector = len > 0;
      }
    }
    for (let i = 0; i < points.length; i++) {
      const x = this.#checkPoint(points[i], 'tellMany');
      if (this.dTable.get(x, 0) >= 0) continue;
      this.#tellUnchecked(
        x,
        values[i] as ValueND,
        checkValue(values[i], points[i], 'tellMany', this.vdim, this.vector),
      );
    }
    this.#throwLossError();
  }

  #throwLossError(): void {
    const e = this.lossError;
    if (e === null) return;
    this.lossError = null;
    throw new Error(`LearnerND: the loss function threw: ${e.message} (the data was kept)`, {
      cause: e,
    });
  }

  /** Stores a checked new point and value and inserts it into the mesh. */
  #tellUnchecked(x: Float64Array, value: ValueND, len: number): void {
    const d = this.dim;
    if (this.vdim === 0) {
      this.vdim = len === 0 ? 1 : len;
      this.vector = len > 0;
    }
    const w = this.vdim;
    const i = this.nData++;
    if (this.dataX.length < (i + 1) * d) this.dataX = growFloat64(this.dataX, (i + 1) * d);
    if (this.dataY.length < (i + 1) * w) this.dataY = growFloat64(this.dataY, (i + 1) * w);
    if (this.dataVert.length < i + 1) this.dataVert = growInt32(this.dataVert, i + 1);
    this.dataX.set(x, i * d);
    if (typeof value === 'number') this.dataY[i] = value;
    else for (let c = 0; c < w; c++) this.dataY[i * w + c] = value[c] as number;
    this.dataVert[i] = -1;
    this.dTable.add(i, this.dataX, i * d);
    // A pending point is told: its slot goes, its leaf is the fast route into the mesh.
    let leaf = -1;
    const p = this.pTable.get(x, 0);
    if (p >= 0) {
      leaf = this.pLeaf[p] as number;
      this.#dropPending(p);
    }
    const recompute = this.#updateRange(i);
    this.#insert(i, leaf);
    if (recompute) this.#recomputeAll();
    else this.#flushNew();
  }

  /** python-adaptive's `_update_range`; true when every loss must be recomputed. */
  #updateRange(i: number): boolean {
    const w = this.vdim;
    let changed = false;
    for (let c = i * w; c < i * w + w; c++) {
      const y = this.dataY[c] as number;
      if (!Number.isFinite(y)) continue;
      if (y < this.yMin) {
        this.yMin = y;
        changed = true;
      }
      if (y > this.yMax) {
        this.yMax = y;
        changed = true;
      }
    }
    if (!changed) return false;
    setMultiplier(this);
    const scale = this.yMax - this.yMin;
    if (scale > this.factor * this.oldScale) {
      this.oldScale = scale;
      return true;
    }
    return false;
  }

  /** Makes data point i a mesh vertex when it is one of the forest's; else it stays off the mesh. */
  #insert(i: number, leaf: number): void {
    const d = this.dim;
    const m = this.mesh;
    const x = this.dataX.subarray(i * d, i * d + d);
    let v = this.vTable.get(x, 0);
    if (v >= 0) {
      // A vertex without a value (a corner, or one the closure added): its leaves wait for it.
      this.vData[v] = i;
      this.dataVert[i] = v;
      this.#queueLeavesOf(v);
      return;
    }
    const k = this.k;
    if (leaf >= 0 && m.isLeaf(leaf)) {
      let same = true;
      const a = m.V[leaf * k] as number;
      const b = m.V[leaf * k + k - 1] as number;
      for (let j = 0; j < d && same; j++) {
        if (mid(m.X[a * d + j] as number, m.X[b * d + j] as number) !== x[j]) same = false;
      }
      if (same) m.refine(leaf);
    }
    v = this.vTable.get(x, 0);
    if (v < 0) {
      const u = this.#unit(x);
      if (!this.#onForest(x, u)) return;
      for (let guard = 0; v < 0 && guard <= this.maxGen; guard++) {
        m.refine(m.locate(u));
        v = this.vTable.get(x, 0);
      }
      if (v < 0) return;
    }
    // #addVertex found the data point already.
    this.dataVert[i] = v;
    this.vData[v] = i;
  }

  /** The unit-cube coordinates of x (scratch). */
  #unit(x: ArrayLike<number>): Float64Array {
    const u = this.#qu;
    for (let j = 0; j < this.dim; j++) {
      const a = this.lo[j] as number;
      const b = this.hi[j] as number;
      // Halves first: b − a overflows for bounds near ±MAX_VALUE.
      u[j] = Math.min(1, Math.max(0, ((x[j] as number) / 2 - a / 2) / (b / 2 - a / 2)));
    }
    return u;
  }

  /**
   * Whether x is a vertex of the bisection forest within maxGen: descends from the leaf
   * holding it through virtual children (not built) until a refinement edge's midpoint is x.
   * O((maxGen − generation) · d³).
   */
  #onForest(x: Float64Array, u: Float64Array): boolean {
    const m = this.mesh;
    const d = this.dim;
    const k = this.k;
    const s = m.locate(u);
    let g = m.gen[s] as number;
    // Virtual simplex: rows of (user, unit) coordinates.
    let VX = new Float64Array(k * d);
    let VU = new Float64Array(k * d);
    let CX = new Float64Array(k * d);
    let CU = new Float64Array(k * d);
    for (let i = 0; i < k; i++) {
      const v = m.V[s * k + i] as number;
      VX.set(m.X.subarray(v * d, v * d + d), i * d);
      VU.set(m.U.subarray(v * d, v * d + d), i * d);
    }
    const A = new Float64Array(d * d);
    const b = new Float64Array(d);
    const zX = new Float64Array(d);
    const zU = new Float64Array(d);
    for (; g < this.maxGen; g++) {
      let hit = true;
      let degenerate = true;
      for (let j = 0; j < d; j++) {
        zX[j] = mid(VX[j] as number, VX[d * d + j] as number);
        zU[j] = mid(VU[j] as number, VU[d * d + j] as number);
        if (zX[j] !== x[j]) hit = false;
        if (zX[j] !== VX[j] && zX[j] !== VX[d * d + j]) degenerate = false;
      }
      if (hit) return true;
      if (degenerate) return false;
      // Which child: barycentric weight of x0 against xd.
      for (let r = 0; r < d; r++) {
        for (let i = 1; i <= d; i++)
          A[r * d + i - 1] = (VU[i * d + r] as number) - (VU[r] as number);
        b[r] = (u[r] as number) - (VU[r] as number);
      }
      if (!solveInPlace(A, b, d)) return false;
      let sum = 0;
      for (let i = 0; i < d; i++) sum += b[i] as number;
      const lam0 = 1 - sum;
      const lamd = b[d - 1] as number;
      const first = lam0 >= lamd;
      const gam = g % d;
      const src = first ? 0 : d;
      CX.set(VX.subarray(src * d, src * d + d), 0);
      CU.set(VU.subarray(src * d, src * d + d), 0);
      CX.set(zX, d);
      CU.set(zU, d);
      for (let j = 1; j < d; j++) {
        const pos = first ? j + 1 : j <= gam ? j + 1 : gam + 1 + (d - j);
        CX.set(VX.subarray(j * d, j * d + d), pos * d);
        CU.set(VU.subarray(j * d, j * d + d), pos * d);
      }
      [VX, CX] = [CX, VX];
      [VU, CU] = [CU, VU];
    }
    return false;
  }

  /** Computes and queues the losses of the leaves made since the last flush (and, for nthNeighbors 1, their neighbours). */
  #flushNew(): void {
    const m = this.mesh;
    const k = this.k;
    const n = this.#nNew;
    this.#nNew = 0;
    for (let q = 0; q < n; q++) {
      const s = this.#newLeaves[q] as number;
      if (!m.isLeaf(s)) continue;
      this.#update(s);
      if (this.nn > 0) {
        for (let i = 0; i < k; i++) {
          const u = m.neighbour(s, i);
          if (u >= 0) this.#update(u);
        }
      }
    }
  }

  /** Queues the leaves that hold vertex v (a scan: vertices without values are rare). O(nodes · d). */
  #queueLeavesOf(v: number): void {
    const m = this.mesh;
    const k = this.k;
    for (let s = 0; s < m.nNodes; s++) {
      if (!m.isLeaf(s)) continue;
      for (let i = 0; i < k; i++) {
        if (m.V[s * k + i] !== v) continue;
        if (this.#nNew === this.#newLeaves.length)
          this.#newLeaves = growInt32(this.#newLeaves, this.#nNew + 1);
        this.#newLeaves[this.#nNew++] = s;
        break;
      }
    }
  }

  /** Every leaf's loss again (the value scale grew). O(leaves · d³). */
  #recomputeAll(): void {
    this.#nNew = 0;
    const m = this.mesh;
    for (let s = 0; s < m.nNodes; s++) if (m.isLeaf(s)) this.#update(s);
  }

  /** Leaf s's loss and tie key into its queue slot (which may have held its parent's). */
  #update(s: number): void {
    const slot = this.mesh.slotOf[s] as number;
    const loss = this.#computeLoss(s);
    const tie = this.mesh.tieKey(s, this.vHash);
    const heap = this.heap;
    if (heap.has(slot) && this.ties.tie[slot] !== tie) {
      // A new tie under an equal key: set() would not move the slot.
      if (heap.key(slot) === loss) heap.delete(slot);
    }
    this.ties.tie[slot] = tie;
    heap.set(slot, loss);
  }

  /** LearnerND's loss of leaf s on its unit-cube vertices; its volume while a vertex has no value. */
  #computeLoss(s: number): number {
    const m = this.mesh;
    const d = this.dim;
    const k = this.k;
    const U = m.U;
    if (this.fast === LOSS_DEFAULT && !this.vector) {
      const l = scalarGraphLoss(
        m.V,
        s * k,
        d,
        U,
        this.vData,
        this.dataY,
        this.mult,
        this.unit,
        this.#P,
        this.#gb,
      );
      if (l >= 0) return l;
    }
    // The vertices in the node's own order: the forest fixes it (a leaf has the same order
    // whatever the order of the tells that made it), so losses are reproducible bit for bit.
    const w = this.vdim;
    let finite = true;
    for (let i = 0; i < k && finite; i++) {
      const di = this.vData[m.V[s * k + i] as number] as number;
      if (di < 0) finite = false; // a vertex without a value yet: the volume, as for NaN
      for (let c = di * w; c < di * w + w && finite; c++)
        if (!Number.isFinite(this.dataY[c] as number)) finite = false;
    }
    const P = this.#P;
    const n = d + w;
    for (let i = 0; i < k; i++) {
      const v = m.V[s * k + i] as number;
      for (let j = 0; j < d; j++) P[i * n + j] = U[v * d + j] as number;
      if (finite) {
        const di = this.vData[v] as number;
        for (let c = 0; c < w; c++)
          P[i * n + d + c] = this.mult * ((this.dataY[di * w + c] as number) * this.unit);
      }
    }
    let vol: number;
    let loss: number;
    if (finite && this.fast === LOSS_DEFAULT) {
      const gv = graphVolumes(P, d, w);
      vol = gv.vol;
      loss = gv.graph;
    } else {
      vol = volumeFlat(P, d, n);
      loss = !finite || this.fast === LOSS_UNIFORM ? vol : this.#callLoss(s);
    }
    return Number.isFinite(loss) ? loss : vol;
  }

  /** The user's loss on leaf s; NaN when it throws (kept in lossError). */
  #callLoss(s: number): number {
    const m = this.mesh;
    const d = this.dim;
    const k = this.k;
    const w = this.vdim;
    const scaledValue = (di: number, buf: Float64Array | null): LossValueND => {
      if (!this.vector) return this.mult * ((this.dataY[di] as number) * this.unit);
      const y = buf ?? new Float64Array(w);
      for (let c = 0; c < w; c++)
        y[c] = this.mult * ((this.dataY[di * w + c] as number) * this.unit);
      return y;
    };
    for (let i = 0; i < k; i++) {
      const v = m.V[s * k + i] as number;
      const x = this.#lossX[i] as Float64Array;
      for (let j = 0; j < d; j++) x[j] = m.U[v * d + j] as number;
      this.#lossY[i] = scaledValue(this.vData[v] as number, null);
    }
    if (this.nn > 0) {
      for (let i = 0; i < k; i++) {
        const u = m.neighbour(s, i);
        const o = u < 0 ? -1 : this.#opposite(u, s);
        const di = o < 0 ? -1 : (this.vData[o] as number);
        let ok = di >= 0;
        for (let c = 0; ok && c < w; c++)
          if (!Number.isFinite(this.dataY[di * w + c] as number)) ok = false;
        if (!ok) {
          this.#nbX[i] = null;
          this.#nbY[i] = null;
          continue;
        }
        const x = this.#nbBuf[i] as Float64Array;
        for (let j = 0; j < d; j++) x[j] = m.U[o * d + j] as number;
        this.#nbX[i] = x;
        this.#nbY[i] = scaledValue(di, null);
      }
    }
    let loss: unknown;
    try {
      loss =
        this.nn === 0
          ? this.lossFunction(this.#lossX, this.#lossY, this.mult)
          : this.lossFunction(this.#lossX, this.#lossY, this.mult, this.#nbX, this.#nbY);
    } catch (e) {
      this.lossError ??= e instanceof Error ? e : new Error(String(e));
      return Number.NaN;
    }
    if (typeof loss !== 'number') {
      this.lossError ??= new TypeError(
        `the loss function returned ${describe(loss)}, expected a number`,
      );
      return Number.NaN;
    }
    return loss;
  }

  /** The vertex of leaf u that leaf s does not have. */
  #opposite(u: number, s: number): number {
    const m = this.mesh;
    const k = this.k;
    for (let i = 0; i < k; i++) {
      const v = m.V[u * k + i] as number;
      let inS = false;
      for (let j = 0; j < k && !inS; j++) if (m.V[s * k + j] === v) inS = true;
      if (!inS) return v;
    }
    return -1;
  }

  // ---------------------------------------------------------------- pending

  tellPending(point: readonly number[]): void {
    const x = this.#checkPoint(point, 'tellPending');
    if (this.dTable.get(x, 0) >= 0 || this.pTable.get(x, 0) >= 0) return;
    this.#addPending(x, -1);
  }

  #addPending(x: ArrayLike<number>, leaf: number): number {
    const d = this.dim;
    const p = this.pFree.length > 0 ? (this.pFree.pop() as number) : this.pUsed++;
    if (this.pX.length < (p + 1) * d) this.pX = growFloat64(this.pX, (p + 1) * d);
    if (this.pLeaf.length < p + 1) this.pLeaf = growInt32(this.pLeaf, p + 1);
    for (let j = 0; j < d; j++) this.pX[p * d + j] = x[j] as number;
    this.pLeaf[p] = leaf;
    this.pTable.add(p, this.pX, p * d);
    this.pOrder.push(p);
    return p;
  }

  #dropPending(p: number): void {
    this.pTable.delete(p, this.pX, p * this.dim);
    this.pOrder.splice(this.pOrder.indexOf(p), 1);
    this.pFree.push(p);
  }

  removeUnfinished(): void {
    for (const p of this.pOrder.slice()) this.#dropPending(p);
  }

  // ---------------------------------------------------------------- ask and loss

  /** The first vertex below `end` without a value and not pending (with `pendingOk`, pending or not), or −1. */
  #hole(pendingOk: boolean, end: number): number {
    const m = this.mesh;
    const d = this.dim;
    while (this.holeCursor < m.nVerts && (this.vData[this.holeCursor] as number) >= 0)
      this.holeCursor++;
    for (let v = this.holeCursor; v < end; v++) {
      if ((this.vData[v] as number) >= 0) continue;
      if (pendingOk || this.pTable.get(m.X, v * d) < 0) return v;
    }
    return -1;
  }

  /**
   * The next point of the leaf `s` popped from the queue into `qx`: the refinement-edge
   * midpoint of the leaf its closure bisects first. The leaf's id, or −1 when that point is
   * pending or told or the leaf may not be bisected (too deep, or its midpoint rounds onto
   * an end).
   */
  #candidate(s: number): number {
    const m = this.mesh;
    const d = this.dim;
    const k = this.k;
    const z = this.#qx;
    let holes = false;
    for (let i = 0; i < k; i++) {
      // A vertex without a value (added by a told point's closure) is the leaf's next point.
      const v = m.V[s * k + i] as number;
      if ((this.vData[v] as number) >= 0) continue;
      holes = true;
      if (this.pTable.get(m.X, v * d) >= 0) continue;
      for (let j = 0; j < d; j++) z[j] = m.X[v * d + j] as number;
      return s;
    }
    if (holes) return -1;
    // The midpoint of s's own refinement edge, pending as asked: its patch was compatible
    // then and is still (a compatible patch is only ever bisected whole), so s is its own
    // target and its point is pending. O(d), where target() walks the patch: with many
    // points in flight the walk down the heap meets dozens of such leaves per pending point.
    const ea = m.V[s * k] as number;
    const eb = m.V[s * k + k - 1] as number;
    for (let j = 0; j < d; j++) z[j] = mid(m.X[ea * d + j] as number, m.X[eb * d + j] as number);
    const q = this.pTable.get(z, 0);
    if (q >= 0 && (this.pLeaf[q] as number) >= 0) return -1;
    const t = m.target(s, this.vHash);
    if ((m.gen[t] as number) >= this.maxGen) return -1;
    const a = m.V[t * k] as number;
    const b = m.V[t * k + k - 1] as number;
    let degenerate = true;
    for (let j = 0; j < d; j++) {
      const xa = m.X[a * d + j] as number;
      const xb = m.X[b * d + j] as number;
      z[j] = mid(xa, xb);
      if (z[j] !== xa && z[j] !== xb) degenerate = false;
    }
    if (degenerate) return -1;
    if (this.pTable.get(z, 0) >= 0 || this.dTable.get(z, 0) >= 0) return -1;
    return t;
  }

  loss(options?: LossOptions): number {
    const real = options?.real ?? true;
    // Infinity while a corner is missing (python-adaptive's bound points); the vertices a
    // told point's closure adds are asked first but leave the loss of the leaves that have
    // values (one told point can add dozens of them: a finite loss shows the progress).
    if (this.#hole(real, 2 ** this.dim) >= 0) return Number.POSITIVE_INFINITY;
    if (real) {
      const q = this.heap.peek();
      return q < 0 ? 0 : this.heap.key(q);
    }
    this.heap.rewind();
    for (let q = this.heap.next(); q >= 0; q = this.heap.next()) {
      if (this.#candidate(this.mesh.nodeAt[q] as number) >= 0) return this.heap.key(q);
    }
    return 0;
  }

  ask(n: number, options?: AskOptions): AskResult<number[]> {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new RangeError(`LearnerND.ask: n must be a non-negative integer, got ${describe(n)}`);
    }
    const tellPending = options?.tellPending ?? true;
    const d = this.dim;
    const m = this.mesh;
    const points: number[][] = [];
    const lossImprovements: number[] = [];
    const added: number[] = [];
    // One walk down the heap for the whole call: the heap does not change here and a leaf
    // skipped (its next point pending or told) stays skipped as points are added, so each
    // point resumes at the leaf that gave the last one (it may give another: a second
    // vertex without a value). O(n + skipped) candidates, not O(n · skipped).
    let walking = false;
    let cur = -1;
    for (let i = 0; i < n; i++) {
      const v = this.#hole(false, 2 ** d);
      if (v >= 0) {
        added.push(this.#addPending(m.X.subarray(v * d, v * d + d), -1));
        points.push(Array.from(m.X.subarray(v * d, v * d + d)));
        lossImprovements.push(Number.POSITIVE_INFINITY);
        continue;
      }
      if (!walking) {
        this.heap.rewind();
        cur = this.heap.next();
        walking = true;
      }
      let found = -1;
      let improvement = 0;
      for (; cur >= 0; cur = this.heap.next()) {
        const t = this.#candidate(m.nodeAt[cur] as number);
        if (t >= 0) {
          found = t;
          improvement = this.heap.key(cur);
          break;
        }
      }
      if (found < 0) break;
      const z = this.#qx;
      added.push(this.#addPending(z, found));
      points.push(Array.from(z));
      lossImprovements.push(improvement);
    }
    if (!tellPending) for (const p of added) this.#dropPending(p);
    return { points, lossImprovements };
  }

  // ---------------------------------------------------------------- data out

  records(): RecordND[] {
    return recordsOf(this);
  }

  arrays(): ArraysND {
    return arraysOf(this);
  }

  triangulation(): TriangulationDataND {
    return triangulationOf(this);
  }

  /**
   * The piecewise-linear interpolant at point x (d numbers) into out[o…]: NaN outside the
   * box or where a vertex of the leaf holding x has no value yet. O(depth · d³).
   */
  interpolateAt(x: ArrayLike<number>, out: Float64Array, o: number): void {
    const d = this.dim;
    const k = this.k;
    const w = this.outputDimension;
    const m = this.mesh;
    let inside = this.vdim > 0;
    for (let j = 0; j < d && inside; j++) {
      const xj = x[j] as number;
      if (!(xj >= (this.lo[j] as number) && xj <= (this.hi[j] as number))) inside = false;
    }
    if (!inside) {
      out.fill(Number.NaN, o, o + w);
      return;
    }
    const u = this.#unit(x);
    const s = m.locate(u);
    const lam = this.#lam;
    if (!m.barycentric(s, u, lam)) {
      out.fill(Number.NaN, o, o + w);
      return;
    }
    out.fill(0, o, o + w);
    for (let i = 0; i < k; i++) {
      const di = this.vData[m.V[s * k + i] as number] as number;
      if (di < 0) {
        out.fill(Number.NaN, o, o + w);
        return;
      }
      const l = Math.min(1, Math.max(0, lam[i] as number));
      for (let c = 0; c < w; c++)
        out[o + c] = (out[o + c] as number) + l * (this.dataY[di * w + c] as number);
    }
  }

  /** This mesh's interpolant, for LearnerND's interpolate and interpolateGrid. */
  interpolant(): InterpolantND {
    return {
      at: (x, out, o) => this.interpolateAt(x, out, o),
      outputDimension: this.outputDimension,
      vector: this.vector,
    };
  }

  // ---------------------------------------------------------------- snapshots

  snapshot(lossName: string): LearnerSnapshot {
    return writeSnapshot(this, lossName, this.pendingPoints());
  }

  /**
   * Loads a snapshot into this fresh state: the tells are replayed in their order (the mesh,
   * the node numbering and every loss are functions of that sequence), then the pending
   * points. A TypeError names the first problem.
   */
  load(s: LearnerSnapshot, lossName: string): void {
    const { bad, points: sp, values: ys, pending: spend, len } = readSnapshot(this, s, lossName);
    const wrap = <T>(what: string, f: () => T): T => {
      try {
        return f();
      } catch (e) {
        return bad(`${what}: ${(e as Error).message}`);
      }
    };
    for (let i = 0; i < sp.length; i++) {
      const x = wrap(`points[${i}]`, () => this.#checkPoint(sp[i], 'restore'));
      if (this.dTable.get(x, 0) >= 0) bad(`points[${i}] = ${describe(sp[i])} appears twice`);
      this.#tellUnchecked(x, ys[i] as ValueND, len);
    }
    this.lossError = null;
    for (let i = 0; i < spend.length; i++) {
      const x = wrap(`pending[${i}]`, () => this.#checkPoint(spend[i], 'restore'));
      if (this.dTable.get(x, 0) >= 0 || this.pTable.get(x, 0) >= 0)
        bad(`pending[${i}] = ${describe(spend[i])} is told or pending already`);
      this.#addPending(x, -1);
    }
  }

  // ---------------------------------------------------------------- checks

  /**
   * Throws if an invariant does not hold: the mesh's own checks, every vertex's data index
   * against the data, the heap holding exactly the leaves whose vertices all have values
   * with their losses (recomputed: stale only by the value scale's allowed growth), the
   * point tables. O(nodes · d³ + data).
   */
  checkValid(): void {
    const m = this.mesh;
    const d = this.dim;
    m.checkValid();
    this.heap.checkValid();
    for (let v = 0; v < m.nVerts; v++) {
      if (this.vTable.get(m.X, v * d) !== v)
        throw new Error(`LearnerND (bisection): vertex ${v} is not in the vertex table`);
      const i = this.vData[v] as number;
      if (i >= 0 && this.dataVert[i] !== v)
        throw new Error(`LearnerND (bisection): vertex ${v} and data ${i} disagree`);
    }
    for (let i = 0; i < this.nData; i++) {
      if (this.dTable.get(this.dataX, i * d) !== i)
        throw new Error(`LearnerND (bisection): data ${i} is not in the data table`);
      const v = this.dataVert[i] as number;
      if (v >= 0 && this.vData[v] !== i)
        throw new Error(`LearnerND (bisection): data ${i} and vertex ${v} disagree`);
      if (this.pTable.get(this.dataX, i * d) >= 0)
        throw new Error(`LearnerND (bisection): data ${i} is also pending`);
    }
    for (let s = 0; s < m.nNodes; s++) {
      if (!m.isLeaf(s)) continue;
      const slot = m.slotOf[s] as number;
      if (!this.heap.has(slot))
        throw new Error(`LearnerND (bisection): leaf ${s} is missing from the queue`);
      if (this.ties.tie[slot] !== m.tieKey(s, this.vHash))
        throw new Error(`LearnerND (bisection): leaf ${s} has a stale tie key`);
      const l = this.#computeLoss(s);
      const q = this.heap.key(slot);
      if (
        !(
          l === q ||
          Math.abs(l - q) <= (this.factor - 1 + 1e-9) * Math.max(Math.abs(l), Math.abs(q)) * 2
        )
      ) {
        throw new Error(
          `LearnerND (bisection): leaf ${s} is queued with loss ${q}, recomputed ${l}`,
        );
      }
    }
    if (this.heap.size !== m.nLeaves)
      throw new Error(`LearnerND (bisection): ${this.heap.size} queued, ${m.nLeaves} leaves`);
    for (const p of this.pOrder) {
      if (this.pTable.get(this.pX, p * d) !== p)
        throw new Error(`LearnerND (bisection): pending slot ${p} is not in its table`);
    }
    // #candidate's shortcut: a leaf whose own refinement-edge midpoint is pending as asked is
    // its own target (its patch is compatible).
    const z = new Float64Array(d);
    const k = this.k;
    for (let s = 0; s < m.nNodes; s++) {
      if (!m.isLeaf(s)) continue;
      const a = m.V[s * k] as number;
      const b = m.V[s * k + k - 1] as number;
      for (let j = 0; j < d; j++) z[j] = mid(m.X[a * d + j] as number, m.X[b * d + j] as number);
      const p = this.pTable.get(z, 0);
      if (p < 0 || (this.pLeaf[p] as number) < 0) continue;
      const t = m.target(s, this.vHash);
      if (t !== s)
        throw new Error(
          `LearnerND (bisection): leaf ${s}'s edge midpoint is pending as asked, but its target is leaf ${t}`,
        );
    }
  }

  /** Bytes held by the typed arrays (the mesh's and this state's), for the memory bench. */
  bytes(): number {
    const m = this.mesh;
    const arrays = [
      m.X,
      m.U,
      m.V,
      m.nbr,
      m.gen,
      m.child,
      m.stamp,
      this.vData,
      this.vHash,
      this.ties.tie,
      m.slotOf,
      m.nodeAt,
      this.dataX,
      this.dataY,
      this.dataVert,
    ];
    return arrays.reduce((t, a) => t + a.byteLength, 0);
  }
}
