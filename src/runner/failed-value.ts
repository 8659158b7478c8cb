/**
 * What the runner tells a learner in place of a point whose evaluation failed for good
 * (`raiseIfRetriesExceeded: false`): NaN, of the shape of the values, where NaN is a value
 * the learner refines around; nothing where it is not.
 */

import { AverageLearner } from '../learners/average.js';
import { BalancingLearner } from '../learners/balancing.js';
import { DataSaver } from '../learners/data-saver.js';
import { SequenceLearner } from '../learners/sequence.js';
import type { Learner } from '../learners/types.js';

type AnyLearner = Learner<unknown, unknown>;

/**
 * The learner that `point` belongs to, through BalancingLearner (`[index, childPoint]`) and
 * DataSaver, and the group its values share a shape in (the child's index, else 0).
 */
function leafOf(learner: AnyLearner, point: unknown): { leaf: AnyLearner; group: number } {
  let leaf = learner;
  let p = point;
  let group = 0;
  for (let depth = 0; depth < 16; depth++) {
    if (leaf instanceof DataSaver) {
      leaf = (leaf as DataSaver<unknown, unknown>).learner;
    } else if (leaf instanceof BalancingLearner && Array.isArray(p)) {
      const i = p[0];
      const child = (leaf as BalancingLearner).learners[i as number];
      if (child === undefined) break;
      if (group === 0) group = (i as number) + 1;
      leaf = child;
      p = p[1];
    } else {
      break;
    }
  }
  return { leaf, group };
}

/**
 * Whether a failed point of `learner` may be told NaN: not for a SequenceLearner (NaN would
 * be recorded as the item's result, and the item reported done) nor an AverageLearner (a
 * failed seed is skipped: a NaN sample would count in `npoints` and add nothing).
 *
 * @example
 * takesNaN(new Learner1D({ bounds: [0, 1] }), 0.5); // true
 * takesNaN(new SequenceLearner(['a']), [0, 'a']); // false
 */
export function takesNaN(learner: AnyLearner, point: unknown): boolean {
  const { leaf } = leafOf(learner, point);
  return !(leaf instanceof SequenceLearner || leaf instanceof AverageLearner);
}

/**
 * The group of `point` whose values share one shape: the BalancingLearner child's index + 1,
 * else 0.
 * @example
 * shapeGroup(balancing, [2, 0.5]); // 3
 */
export function shapeGroup(learner: AnyLearner, point: unknown): number {
  return leafOf(learner, point).group;
}

/**
 * NaN of the shape of `value`: NaN for a number, an array of NaN for a numeric vector
 * (array or typed array); `undefined` for anything else (a record, a string…). O(length).
 *
 * @example
 * nanLike(3); // NaN
 * nanLike([1, 2]); // [NaN, NaN]
 * nanLike({ y: 1 }); // undefined
 */
export function nanLike(value: unknown): unknown {
  if (typeof value === 'number') return Number.NaN;
  if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    const v = value as ArrayLike<unknown>;
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return undefined;
    return new Array<number>(v.length).fill(Number.NaN);
  }
  return undefined;
}
