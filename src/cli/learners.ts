/**
 * The learners the command line builds: from `--learner` and `--bounds`, or from a saved
 * snapshot (whose `type` and bounds say which learner it was).
 */

import { decodeNumber } from '../io/json.js';
import { AverageLearner } from '../learners/average.js';
import { AverageLearner1D } from '../learners/average1d.js';
import { AverageLearner2D } from '../learners/average2d/index.js';
import { IntegratorLearner } from '../learners/integrator.js';
import { Learner1D } from '../learners/learner1d.js';
import { Learner2D } from '../learners/learner2d.js';
import { LearnerND } from '../learners/learnernd.js';
import { SparseGridLearner } from '../learners/sparse-grid/index.js';
import type { Learner, LearnerSnapshot } from '../learners/types.js';

/**
 * The `--learner` names.
 * @example
 * LEARNER_KINDS.includes('2d'); // true
 */
export const LEARNER_KINDS = [
  '1d',
  '2d',
  'nd',
  'average',
  'average1d',
  'average2d',
  'integrator',
  'sparse',
] as const;

/**
 * One of {@link LEARNER_KINDS}.
 * @example
 * const k: LearnerKind = 'average1d';
 */
export type LearnerKind = (typeof LEARNER_KINDS)[number];

/** The snapshot `type` of each kind. */
const SNAPSHOT_TYPES: Record<LearnerKind, string> = {
  '1d': 'Learner1D',
  '2d': 'Learner2D',
  nd: 'LearnerND',
  average: 'AverageLearner',
  average1d: 'AverageLearner1D',
  average2d: 'AverageLearner2D',
  integrator: 'IntegratorLearner',
  sparse: 'SparseGridLearner',
};

/**
 * What the function of each kind receives.
 * @example
 * POINT_SHAPES['2d']; // '[x, y]'
 */
export const POINT_SHAPES: Record<LearnerKind, string> = {
  '1d': 'x (a number)',
  '2d': '[x, y]',
  nd: '[x0, x1, ...] (an array of numbers)',
  average: 'seed (an integer: the source of randomness)',
  average1d: '[seed, x]',
  average2d: '[seed, [x, y]]',
  integrator: 'x (a number)',
  sparse: '[x0, x1, ...] (an array of numbers, any dimension)',
};

/**
 * Everything needed to build a learner.
 * @example
 * makeLearner({ kind: '2d', bounds: [[-1, 1], [0, 1]] });
 */
export interface LearnerSpec {
  kind: LearnerKind;
  /** `[a, b]` pairs: one for 1d, average1d and integrator, two for 2d and average2d, any for nd and sparse, none for average. */
  bounds: [number, number][];
  /** IntegratorLearner's relative tolerance. */
  tol?: number | undefined;
  /** AverageLearner's tolerances. */
  atol?: number | undefined;
  rtol?: number | undefined;
  /** AverageLearner1D's and AverageLearner2D's sample counts. */
  minSamples?: number | undefined;
  maxSamples?: number | undefined;
  /** Learner1D's `integer: true`; Learner2D's and LearnerND's flags, one per dimension. */
  integer?: boolean | readonly boolean[] | undefined;
  /** Learner2D's convex polygon (`--hull`), instead of its bounds. */
  hull?: [number, number][] | undefined;
}

/**
 * An error in what the user asked for: printed with a hint to `--help`, exit code 2.
 * @example
 * throw new UsageError('missing goal: give --loss-goal X, --npoints-goal N or --duration-goal SECONDS');
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * How many `[a, b]` pairs each kind takes (`-1`: one or more).
 * @example
 * boundsPairs('2d'); // 2
 */
export function boundsPairs(kind: LearnerKind): number {
  return kind === 'average'
    ? 0
    : kind === '2d' || kind === 'average2d'
      ? 2
      : kind === 'nd' || kind === 'sparse'
        ? -1
        : 1;
}

/**
 * Builds the learner of a spec.
 * @example
 * makeLearner({ kind: '1d', bounds: [[-1, 1]] }); // a Learner1D on [-1, 1]
 */
export function makeLearner(spec: LearnerSpec): Learner<unknown, unknown> {
  const b = spec.bounds;
  const one = b[0] as [number, number];
  let l: unknown;
  switch (spec.kind) {
    case '1d':
      l = new Learner1D({ bounds: one, integer: spec.integer === true });
      break;
    case '2d':
      l =
        spec.hull !== undefined
          ? new Learner2D({
              hull: spec.hull,
              ...(Array.isArray(spec.integer) && {
                integer: spec.integer as unknown as readonly [boolean, boolean],
              }),
            })
          : new Learner2D({
              bounds: [one, b[1] as [number, number]],
              ...(Array.isArray(spec.integer) && {
                integer: spec.integer as unknown as readonly [boolean, boolean],
              }),
            });
      break;
    case 'nd':
      l = new LearnerND({
        bounds: b,
        ...(Array.isArray(spec.integer) && { integer: spec.integer as readonly boolean[] }),
      });
      break;
    case 'sparse':
      l = new SparseGridLearner({ bounds: b });
      break;
    case 'average': {
      const o: { atol?: number; rtol?: number } = {};
      if (spec.atol !== undefined) o.atol = spec.atol;
      if (spec.rtol !== undefined) o.rtol = spec.rtol;
      l = new AverageLearner(o);
      break;
    }
    case 'average1d': {
      const o: { bounds: [number, number]; minSamples?: number; maxSamples?: number } = {
        bounds: one,
      };
      if (spec.minSamples !== undefined) o.minSamples = spec.minSamples;
      if (spec.maxSamples !== undefined) o.maxSamples = spec.maxSamples;
      l = new AverageLearner1D(o);
      break;
    }
    case 'average2d': {
      const o: ConstructorParameters<typeof AverageLearner2D>[0] = {
        bounds: [one, b[1] as [number, number]],
      };
      if (spec.minSamples !== undefined) o.minSamples = spec.minSamples;
      if (spec.maxSamples !== undefined) o.maxSamples = spec.maxSamples;
      l = new AverageLearner2D(o);
      break;
    }
    case 'integrator':
      l = new IntegratorLearner({ bounds: one, tol: spec.tol ?? 1e-8 });
      break;
  }
  return l as Learner<unknown, unknown>;
}

/** A snapshot's `integer` flags (Learner2D, LearnerND), when it has them. */
function integerOf(x: unknown): { integer?: boolean[] } {
  return Array.isArray(x) && x.every((f) => typeof f === 'boolean') ? { integer: x } : {};
}

function pair(x: unknown): [number, number] | undefined {
  if (!Array.isArray(x) || x.length !== 2) return undefined;
  const a = decodeNumber(x[0]);
  const b = decodeNumber(x[1]);
  return a === undefined || b === undefined ? undefined : [a, b];
}

/**
 * The spec of the learner a snapshot came from, read from its `type` and bounds (and the
 * tolerances of AverageLearner and IntegratorLearner).
 * @throws UsageError for anything that is not a snapshot of a learner the CLI knows.
 * @example
 * specFromSnapshot(new Learner1D({ bounds: [0, 2] }).snapshot(), 'run.json'); // { kind: '1d', bounds: [[0, 2]] }
 */
export function specFromSnapshot(s: unknown, file: string): LearnerSpec {
  const bad = (why: string): never => {
    throw new UsageError(`${file} is not a learner snapshot the command line can read: ${why}`);
  };
  if (s === null || typeof s !== 'object' || Array.isArray(s)) bad('expected a JSON object');
  const o = s as Record<string, unknown>;
  const kind = LEARNER_KINDS.find((k) => SNAPSHOT_TYPES[k] === o.type);
  if (kind === undefined) {
    bad(
      `its type is ${JSON.stringify(o.type)}; known types: ${Object.values(SNAPSHOT_TYPES).join(', ')}`,
    );
  }
  const k = kind as LearnerKind;
  const pairs = (x: unknown, what: string): [number, number][] => {
    if (!Array.isArray(x)) return bad(`${what} missing`);
    return x.map((p) => pair(p) ?? bad(`${what} must hold [a, b] pairs`));
  };
  switch (k) {
    case '1d':
    case 'integrator': {
      const p = pair(o.bounds) ?? bad('bounds missing');
      if (k === '1d') return { kind: k, bounds: [p], ...(o.integer === true && { integer: true }) };
      const tol = decodeNumber(o.tol);
      return { kind: k, bounds: [p], tol: tol ?? 1e-8 };
    }
    case '2d':
    case 'average2d':
      return {
        kind: k,
        bounds: pairs(o.bounds, 'bounds'),
        ...(k === '2d' && o.hull !== undefined && { hull: pairs(o.hull, 'hull') }),
        ...integerOf(o.integer),
      };
    case 'nd': {
      const d = o.domain as Record<string, unknown> | undefined;
      if (d === undefined || d === null || !Array.isArray(d.bounds)) {
        return bad('only LearnerND snapshots of a box domain ({ bounds }) can be read');
      }
      return { kind: k, bounds: pairs(d.bounds, 'domain.bounds'), ...integerOf(o.integer) };
    }
    case 'sparse':
      return { kind: k, bounds: pairs(o.bounds, 'bounds') };
    case 'average1d': {
      const m = o.means as Record<string, unknown> | undefined;
      const p = pair(m?.bounds) ?? bad('means.bounds missing');
      return { kind: k, bounds: [p] };
    }
    case 'average': {
      const atol = decodeNumber(o.atol);
      const rtol = decodeNumber(o.rtol);
      return {
        kind: k,
        bounds: [],
        atol: atol === undefined || atol === Number.POSITIVE_INFINITY ? undefined : atol,
        rtol: rtol === undefined || rtol === Number.POSITIVE_INFINITY ? undefined : rtol,
      };
    }
  }
  return bad('unreachable');
}

/**
 * Builds a learner and restores a snapshot into it.
 * @example
 * const { spec, learner } = learnerFromSnapshot(JSON.parse(readFileSync('run.json', 'utf8')), 'run.json');
 */
export function learnerFromSnapshot(
  s: unknown,
  file: string,
): { spec: LearnerSpec; learner: Learner<unknown, unknown> } {
  const spec = specFromSnapshot(s, file);
  const learner = makeLearner(spec);
  try {
    learner.restore(s as LearnerSnapshot);
  } catch (e) {
    throw new UsageError(`cannot restore ${file}: ${(e as Error).message}`);
  }
  return { spec, learner };
}
