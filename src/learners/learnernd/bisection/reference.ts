/**
 * The slow, obviously-correct check that a {@link BisectionMesh} conforms, for tests: every
 * leaf facet (as a sorted vertex list) is held by exactly two leaves, or by one and lies on
 * the box's boundary; no vertex lies inside a leaf's edge (no hanging vertex); the leaf
 * volumes add up to the box's. It reads only the leaves' vertices and coordinates, never
 * the neighbour pointers. O(leaves · d² log + vertices · leaves · d) (quadratic: small meshes).
 */

import { mid } from '../../../util/mid.js';
import type { BisectionMesh } from './mesh.js';

/** Throws naming the first violation when the mesh's leaves do not form a conforming triangulation. */
export function referenceCheckConforming(m: BisectionMesh): void {
  const d = m.dim;
  const k = m.k;
  const facets = new Map<string, number>();
  let vol = 0;
  const leaves = m.leaves();
  for (const s of leaves) {
    vol += m.volume(s);
    const vs = Array.from(m.V.subarray(s * k, s * k + k));
    for (let i = 0; i < k; i++) {
      const key = vs
        .filter((_, j) => j !== i)
        .sort((a, b) => a - b)
        .join(',');
      facets.set(key, (facets.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of facets) {
    const vs = key.split(',').map(Number);
    if (n > 2) throw new Error(`reference: facet ${key} is held by ${n} leaves`);
    if (n === 1) {
      let onFace = false;
      for (let j = 0; j < d && !onFace; j++) {
        const c = m.U[(vs[0] as number) * d + j] as number;
        if (c !== 0 && c !== 1) continue;
        onFace = vs.every((v) => m.U[v * d + j] === c);
      }
      if (!onFace)
        throw new Error(`reference: facet ${key} is held by one leaf and is not on the boundary`);
    }
  }
  // No vertex in the relative interior of a leaf's edge (a hanging vertex).
  for (const s of leaves) {
    for (let i = 0; i < k; i++) {
      for (let i2 = i + 1; i2 < k; i2++) {
        const a = m.V[s * k + i] as number;
        const b = m.V[s * k + i2] as number;
        for (let v = 0; v < m.nVerts; v++) {
          let hangs = true;
          for (let j = 0; j < d && hangs; j++) {
            const z = mid(m.U[a * d + j] as number, m.U[b * d + j] as number);
            if (m.U[v * d + j] !== z) hangs = false;
          }
          if (hangs) throw new Error(`reference: vertex ${v} hangs on edge ${a}–${b} of leaf ${s}`);
        }
      }
    }
  }
  if (Math.abs(vol - 1) > 1e-9 * leaves.length) {
    throw new Error(`reference: leaf volumes sum to ${vol}, not 1`);
  }
}
