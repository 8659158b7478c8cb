/**
 * The state of a {@link SparseGridLearner}: one object of fixed shape holding the grid, the
 * per-point arrays (struct of arrays, grown with the grid), the loss queues and the scratch
 * buffers, with the small helpers every part reads through. The learner's parts are module
 * functions that take it: `surplus.ts` (surpluses, losses, interpolation), `refine.ts` (what
 * may be handed out next), `points.ts` (adding, telling, attaching and removing points),
 * `snapshot.ts`, `check-valid.ts`; `learner.ts` is the public facade.
 */
import type { TieKeys } from '../../queue/types.js';
import { coordHash, SparseGrid } from './grid.js';
import { levelCap, MAX_LEVEL, nodeCoordA, nodeParent, ROOT } from './hierarchy.js';
import { defaultLossSG, type SparseGridLoss, surplusVolumeLossSG } from './losses.js';
import { ScaledQueue } from './queue.js';

/** +Infinity. */
export const INF = Number.POSITIVE_INFINITY;
/** The status of a point handed out (or told pending) and not told yet. */
export const PENDING = 1;
/** The status of an evaluated point. */
export const TOLD = 2;
/** Chain entries per dimension (one per level). */
export const CH = MAX_LEVEL + 1;

/** The learner's state (see the module description); fields are read and written by its parts. */
export class SGState {
  /** The dimension d. */
  readonly dim: number;
  /** The box, one `[a, b]` per dimension. */
  readonly bounds: readonly (readonly [number, number])[];
  /** The loss function. */
  readonly lossFunction: SparseGridLoss;
  /** The deepest level asked for. */
  readonly maxLevel: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly caps: Int32Array; // level cap per dimension
  readonly anchors: Int8Array; // per dimension: -1, 0 or 1 (see hierarchy.ts's Anchor)
  readonly capsC: Int32Array; // the level caps of the centred grid: which points tell takes
  /** The anchor option: 'auto', 'centre' or 'quarter' (snapshots name it). */
  readonly anchorOption: string;
  /** 'auto' before the first points are told: only they are handed out (anchor.ts). */
  readonly pilot: boolean;
  /**
   * Points tell took that are not nodes of this layout (anchor.ts: the first points of an
   * 'auto' grid anchored off the centre): data, not part of the interpolant. Keyed by
   * coordinates, in the order they came; `y` null while pending.
   */
  readonly loose = new Map<string, { x: number[]; y: number | number[] | null }>();
  nLooseTold = 0;
  /** Set by checkPoint: the point is a point tell takes but not a node of this layout. */
  looseHit = false;
  readonly fast: boolean; // |surplus|·volume (the default loss), computed inline
  readonly grid: SparseGrid;

  // Per point id (grown with the grid).
  cap = 0;
  status = new Uint8Array(0); // 0 free, PENDING, TOLD
  attached = new Uint8Array(0); // told and every ancestor told
  bad = new Uint8Array(0); // a non-finite value
  edge = new Uint8Array(0); // finite, with a non-finite parent: ranked as a jump (surplus.ts)
  vals = new Float64Array(0);
  alpha = new Float64Array(0);
  lossRaw = new Float64Array(0);
  nKids = new Int32Array(0); // children in the grid (any status)
  nAtt = new Int32Array(0); // attached children
  nComb = new Int32Array(0); // attached or pending children
  pPrev = new Int32Array(0);
  pNext = new Int32Array(0);
  readonly ties: TieKeys = { tie: new Float64Array(0) };

  vdim = 0; // 0 until the first value
  vector = false;
  yMin = new Float64Array(0);
  yMax = new Float64Array(0);
  rootId = -1;
  nTold = 0;
  nPending = 0;
  pHead = -1;
  pTail = -1;
  readonly nFirst: number; // the root and its children
  firstTold = 0;
  firstPend = 0;

  // Ask: evaluated points that may have children to hand out (checked when read).
  readonly qAsk: ScaledQueue;
  // Evaluated points with a pending child (their refinement is under way).
  readonly qPend: ScaledQueue;

  // Scratch.
  readonly K: Int32Array;
  readonly K2: Int32Array;
  readonly Kw: Int32Array;
  readonly Kr: Int32Array; // refinedNow
  readonly Kc: Int32Array; // attachFrom
  readonly Kp: Int32Array; // parentIds
  readonly parents: Int32Array; // parentIds' result
  readonly kids = new Int32Array(2);
  readonly kidsR = new Int32Array(2);
  readonly u: Float64Array;
  readonly chainK: Int32Array;
  readonly chainPhi: Float64Array;
  readonly chainDist: Float64Array; // |u − the node's coordinate| (unit box)
  readonly chainLen: Int32Array;
  acc = new Float64Array(1);
  accAbs = new Float64Array(1); // Σ |weight · surplus|: the sum's rounding scale
  accBad = new Float64Array(1); // Σ of the nearest points' non-finite values
  lossAlpha = new Float64Array(1); // the surplus the loss sees (rounding noise made 0)
  terms = 0; // contributions summed by evaluate()
  nearest = INF; // the distance of the nearest contributing point (interpolate)
  nearestBad = false; // a nearest point has a non-finite value
  interp = false; // evaluate() for interpolate (no rounding scale; see findNearest)
  findNearest = false; // evaluate() also finds the nearest point's non-finite values
  anyNonFinite = false; // a non-finite value was told (told points stay: never reset)
  // Values are held as value × unit (surpluses, losses, the scale): a power of 2, 1 unless
  // every finite value is tiny or one is huge (see unitFor), so products never overflow.
  unit = 1;
  readonly stack: number[] = [];
  info: {
    surplus: Float64Array;
    level: Int32Array;
    x: Float64Array;
    volume: number;
  };
  lossError: Error | null = null;

  /** A state for a box (checked by the learner), a loss and a level cap. */
  constructor(
    bounds: readonly (readonly [number, number])[],
    loss: SparseGridLoss,
    maxLevel: number,
    anchors?: Int8Array,
    anchorOption = 'centre',
    pilot = false,
  ) {
    const d = bounds.length;
    this.dim = d;
    this.bounds = bounds;
    this.lossFunction = loss;
    this.fast = loss === defaultLossSG || loss === surplusVolumeLossSG;
    this.maxLevel = maxLevel;
    this.lo = Float64Array.from(this.bounds, (p) => p[0]);
    this.hi = Float64Array.from(this.bounds, (p) => p[1]);
    this.anchors = anchors ?? new Int8Array(d);
    this.anchorOption = anchorOption;
    this.pilot = pilot;
    this.capsC = Int32Array.from(this.bounds, (p) => levelCap(p[0], p[1], maxLevel));
    // An anchored dimension halves the spacing in one part: one level less.
    this.caps = Int32Array.from(this.capsC, (c, t) =>
      Math.max(1, c - (this.anchors[t] === 0 ? 0 : 1)),
    );
    let first = 1;
    for (let t = 0; t < d; t++) if ((this.caps[t] as number) >= 2) first += 2;
    this.nFirst = first;
    this.grid = new SparseGrid(d);
    this.qAsk = new ScaledQueue(this.ties);
    this.qPend = new ScaledQueue(this.ties);
    this.K = new Int32Array(d);
    this.K2 = new Int32Array(d);
    this.Kw = new Int32Array(d);
    this.Kr = new Int32Array(d);
    this.Kc = new Int32Array(d);
    this.Kp = new Int32Array(d);
    this.parents = new Int32Array(d);
    this.u = new Float64Array(d);
    this.chainK = new Int32Array(d * CH);
    this.chainPhi = new Float64Array(d * CH);
    this.chainDist = new Float64Array(d * CH);
    this.chainLen = new Int32Array(d);
    this.info = {
      surplus: new Float64Array(1),
      level: new Int32Array(d),
      x: new Float64Array(d),
      volume: 1,
    };
    this.growIds(this.grid.capacity);
  }

  /** Values per point: 1 for numbers, m for vectors of length m (1 before any value). */
  get outputDimension(): number {
    return Math.max(1, this.vdim);
  }

  /** The coordinates of the pending points, in the order they came. */
  pendingCoords(): number[][] {
    const out: number[][] = [];
    for (let j = this.pHead; j >= 0; j = this.pNext[j] as number) out.push(this.coords(j));
    return out;
  }

  /** Grows the per-id arrays to hold at least `min` ids (doubling). */
  growIds(min: number): void {
    if (this.cap >= min) return;
    let cap = Math.max(64, this.cap);
    while (cap < min) cap *= 2;
    const w = this.outputDimension;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array, k: number) => {
      const b = new Float64Array(cap * k);
      b.set(a);
      return b;
    };
    this.status = g8(this.status);
    this.attached = g8(this.attached);
    this.bad = g8(this.bad);
    this.edge = g8(this.edge);
    this.vals = g64(this.vals, w);
    this.alpha = g64(this.alpha, w);
    this.lossRaw = g64(this.lossRaw, 1);
    this.nKids = g32(this.nKids);
    this.nAtt = g32(this.nAtt);
    this.nComb = g32(this.nComb);
    this.pPrev = g32(this.pPrev);
    this.pNext = g32(this.pNext);
    this.ties.tie = g64(this.ties.tie, 1);
    this.cap = cap;
  }

  /** Sets the value shape (len 0: numbers) and allocates the per-value arrays. */
  setShape(len: number): void {
    this.vector = len > 0;
    this.vdim = len > 0 ? len : 1;
    const w = this.vdim;
    this.vals = new Float64Array(this.cap * w);
    this.alpha = new Float64Array(this.cap * w);
    this.yMin = new Float64Array(w).fill(INF);
    this.yMax = new Float64Array(w).fill(-INF);
    this.acc = new Float64Array(w);
    this.accAbs = new Float64Array(w);
    this.accBad = new Float64Array(w);
    this.lossAlpha = new Float64Array(w);
    this.info.surplus = new Float64Array(w);
  }

  /** The coordinates of point id. */
  coords(id: number): number[] {
    const d = this.dim;
    const K = this.grid.keys;
    const x = new Array<number>(d);
    for (let t = 0; t < d; t++)
      x[t] = nodeCoordA(
        this.anchors[t] as number,
        K[id * d + t] as number,
        this.lo[t] as number,
        this.hi[t] as number,
      );
    return x;
  }

  /**
   * The value scale (× unit): the largest range of finite values over the components; while
   * that is 0 (one finite value, or all equal), their largest magnitude; 1 when that is 0 too.
   * So every surplus loss scales with the values, also when NaN neighbours leave one finite
   * value.
   */
  scale(): number {
    let s = 0;
    let m = 0;
    const unit = this.unit;
    for (let c = 0; c < this.vdim; c++) {
      const lo = (this.yMin[c] as number) * unit;
      const hi = (this.yMax[c] as number) * unit;
      if (!(hi >= lo)) continue; // no finite value yet
      if (hi - lo > s) s = hi - lo;
      m = Math.max(m, Math.abs(lo), Math.abs(hi));
    }
    if (s > 0 && Number.isFinite(s)) return s;
    return m > 0 && Number.isFinite(m) ? m : 1;
  }

  /** The largest magnitude of the finite values told (0 if none). */
  maxAbs(): number {
    let m = 0;
    for (let c = 0; c < this.vdim; c++) {
      const lo = this.yMin[c] as number;
      const hi = this.yMax[c] as number;
      if (hi >= lo) m = Math.max(m, Math.abs(lo), Math.abs(hi));
    }
    return m;
  }

  /** Copies the positions of id into `to`. */
  load(id: number, to: Int32Array): void {
    const d = this.dim;
    const K = this.grid.keys;
    for (let t = 0; t < d; t++) to[t] = K[id * d + t] as number;
  }

  /** The id of the point with positions `K` but position `k` in dimension t (hash h of K), or -1. */
  findWith(K: Int32Array, h: number, t: number, k: number): number {
    const old = K[t] as number;
    const h2 = (h - coordHash(t, old) + coordHash(t, k)) | 0;
    K[t] = k;
    const id = this.grid.find(K, h2);
    K[t] = old;
    return id;
  }

  /**
   * Writes the ids of point id's parents to `parents` (-1 where absent; one per dimension in
   * which id is not at the centre) and returns how many. Uses the `Kp` scratch: callers
   * never nest (what they call while reading `parents` does not call it).
   */
  parentIds(id: number): number {
    const K = this.Kp;
    this.load(id, K);
    const h = this.grid.hashes[id] as number;
    let n = 0;
    for (let s = 0; s < this.dim; s++) {
      const k = K[s] as number;
      if (k !== ROOT) this.parents[n++] = this.findWith(K, h, s, nodeParent(k));
    }
    return n;
  }

  /** Whether id is the root or one of its children (at most one coordinate off the centre, at level 2). */
  isFirstLevel(id: number): boolean {
    const d = this.dim;
    const L = this.grid.levels;
    let off = 0;
    for (let t = 0; t < d; t++) {
      const l = L[id * d + t] as number;
      if (l === 1) continue;
      if (l > 2) return false;
      off++;
    }
    return off <= 1;
  }

  /** The ids of the evaluated points, their coordinates in lexicographic order. O(n log n). */
  toldSorted(): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.grid.idBound; id++) if (this.status[id] === TOLD) ids.push(id);
    const d = this.dim;
    const X = new Map<number, number[]>(ids.map((id) => [id, this.coords(id)]));
    ids.sort((a, b) => {
      const xa = X.get(a) as number[];
      const xb = X.get(b) as number[];
      for (let t = 0; t < d; t++) if (xa[t] !== xb[t]) return (xa[t] as number) - (xb[t] as number);
      return 0;
    });
    return ids;
  }
}
