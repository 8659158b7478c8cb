/**
 * The bisection learner's data out: the told points sorted lexicographically (records and
 * arrays, as LearnerND's Delaunay state gives them) and the mesh's leaves with every vertex
 * evaluated (the triangulation for plots).
 */

import type { ArraysND, RecordND, TriangulationDataND } from '../types.js';
import type { BisectionMesh } from './mesh.js';

/** What the data out reads of the learner's state. */
export interface DataSource {
  readonly dim: number;
  readonly k: number;
  readonly nData: number;
  readonly dataX: Float64Array;
  readonly dataY: Float64Array;
  readonly vdim: number;
  readonly vector: boolean;
  readonly outputDimension: number;
  readonly mesh: BisectionMesh;
  /** Per vertex: its data index (−1: none yet). */
  readonly vData: Int32Array;
}

/** The data indices in lexicographic order of their points. */
function sortedOrder(st: DataSource): number[] {
  const d = st.dim;
  const X = st.dataX;
  const idx = Array.from({ length: st.nData }, (_, i) => i);
  idx.sort((a, b) => {
    for (let j = 0; j < d; j++) {
      const t = (X[a * d + j] as number) - (X[b * d + j] as number);
      if (t !== 0) return t;
    }
    return 0;
  });
  return idx;
}

/** The value of data i: a number, or a vector as an array. */
function valueAt(st: DataSource, i: number): number | number[] {
  const w = st.vdim;
  return st.vector ? Array.from(st.dataY.subarray(i * w, i * w + w)) : (st.dataY[i] as number);
}

/** The told points and values, sorted. */
export function recordsOf(st: DataSource): RecordND[] {
  const d = st.dim;
  return sortedOrder(st).map((i) => ({
    x: Array.from(st.dataX.subarray(i * d, i * d + d)),
    y: valueAt(st, i),
  }));
}

/** The told points and values, sorted, in flat arrays. */
export function arraysOf(st: DataSource): ArraysND {
  const d = st.dim;
  const w = st.outputDimension;
  const order = sortedOrder(st);
  const x = new Float64Array(order.length * d);
  const y = new Float64Array(order.length * w);
  order.forEach((i, r) => {
    x.set(st.dataX.subarray(i * d, i * d + d), r * d);
    y.set(st.dataY.subarray(i * w, i * w + w), r * w);
  });
  return { x, y, dim: d, vdim: w };
}

/** The leaves whose vertices all have values, as rows of data indices. */
export function triangulationOf(st: DataSource): TriangulationDataND {
  const d = st.dim;
  const k = st.k;
  const w = st.outputDimension;
  const m = st.mesh;
  const rows: number[] = [];
  for (let s = 0; s < m.nNodes; s++) {
    if (!m.isLeaf(s)) continue;
    let ok = true;
    for (let i = 0; i < k && ok; i++)
      if ((st.vData[m.V[s * k + i] as number] as number) < 0) ok = false;
    if (!ok) continue;
    for (let i = 0; i < k; i++) rows.push(st.vData[m.V[s * k + i] as number] as number);
  }
  return {
    dim: d,
    points: st.dataX.slice(0, st.nData * d),
    values: st.dataY.slice(0, st.nData * (st.vdim === 0 ? 0 : w)),
    vdim: w,
    simplices: Int32Array.from(rows),
  };
}
