/**
 * The learner protocol shared by every learner, the runner and the masters.
 *
 * A learner is a pure state machine: it proposes points (`ask`), receives values (`tell`)
 * and reports its loss. It never holds the function being sampled.
 */

/** The result of {@link Learner.ask}: the points to evaluate and the loss improvement each is expected to bring. */
export interface AskResult<P = unknown> {
  points: P[];
  lossImprovements: number[];
}

/** Options of {@link Learner.ask}. */
export interface AskOptions {
  /** Mark the returned points as pending (default `true`). With `false` the learner is left exactly as it was. */
  tellPending?: boolean;
}

/** Options of {@link Learner.loss}. */
export interface LossOptions {
  /** `true` (default): the loss of the evaluated data only; `false`: including pending points. */
  real?: boolean;
}

/**
 * A versioned, JSON-safe snapshot of a learner's data.
 *
 * Non-finite numbers are encoded as the strings `'NaN'`, `'Infinity'` and `'-Infinity'`,
 * so `JSON.parse(JSON.stringify(s))` gives back the same snapshot.
 */
export interface LearnerSnapshot {
  /** The learner class that wrote the snapshot, e.g. `'Learner1D'`. */
  readonly type: string;
  /** The snapshot format version of that learner. */
  readonly version: number;
  readonly [key: string]: unknown;
}

/** A learner of points `P` with values `V`. */
export interface Learner<P = unknown, V = unknown> {
  ask(n: number, options?: AskOptions): AskResult<P>;
  tell(point: P, value: V): void;
  tellMany(points: readonly P[], values: readonly V[]): void;
  tellPending(point: P): void;
  removeUnfinished(): void;
  loss(options?: LossOptions): number;
  /** Number of evaluated points. */
  readonly npoints: number;
  /** Points handed out (or told pending) and not yet told. */
  readonly pendingPoints: readonly P[];
  snapshot(): LearnerSnapshot;
  restore(snapshot: LearnerSnapshot): void;
  /** Learners that can finish by themselves (integrator, sequence) report it here. */
  done?(): boolean;
}

/** A value as told to the numeric learners: a number or a fixed-length vector. */
export type Value = number | readonly number[];

/** Extracts the point type of a learner. */
export type PointOf<L> = L extends Learner<infer P, unknown> ? P : never;
/** Extracts the value type of a learner. */
export type ValueOf<L> = L extends Learner<unknown, infer V> ? V : never;

/**
 * A value of the d-dimensional learners (LearnerND, SparseGridLearner): a number, or a
 * vector of fixed length.
 * @example learner.tell([0, 0], [1.5, -2]); // a vector value
 */
export type ValueND = Value;

/**
 * One evaluated point of a d-dimensional learner, as its `toRecords()` returns it.
 * @example const r: RecordND = { x: [0.5, -1], y: 0.25 };
 */
export interface RecordND {
  x: number[];
  y: number | number[];
}

/**
 * The evaluated points of a d-dimensional learner as typed arrays, as its `toArrays()`
 * returns them.
 * @example const { x, y, dim, vdim } = learner.toArrays(); // point i is x[i·dim … (i+1)·dim)
 */
export interface ArraysND {
  /** The points, sorted lexicographically, d coordinates each (row-major). */
  x: Float64Array;
  /** Their values, `vdim` per point. */
  y: Float64Array;
  /** The dimension d. */
  dim: number;
  /** Values per point (1 for scalar output). */
  vdim: number;
}
