/**
 * One codec per learner: its columns (named as python-adaptive's `to_dataframe` names them),
 * its rows, and how a row of a table becomes a point and a value for it.
 *
 * | learner | columns |
 * |---|---|
 * | Learner1D, IntegratorLearner | x, y |
 * | Learner2D | x, y, z |
 * | LearnerND, SparseGridLearner | x, y, z (1 to 3 dimensions; x_0, x_1, ... beyond), value |
 * | AverageLearner | seed, y |
 * | AverageLearner1D | seed, x, y (one row per sample) |
 * | AverageLearner2D | seed, x, y, value (one row per sample) |
 * | SequenceLearner | i, x (the item), y |
 * | BalancingLearner | learner_index, each cdims key, the children's columns |
 * | DataSaver | the wrapped learner's columns, extra_data (flattened) |
 *
 * A vector value is one column per component (`y_0, y_1, ...`).
 */

import { AverageLearner } from '../learners/average.js';
import { AverageLearner1D } from '../learners/average1d.js';
import { AverageLearner2D } from '../learners/average2d/index.js';
import { BalancingLearner } from '../learners/balancing.js';
import { DataSaver } from '../learners/data-saver.js';
import { IntegratorLearner } from '../learners/integrator.js';
import { Learner1D } from '../learners/learner1d.js';
import { Learner2D } from '../learners/learner2d.js';
import { LearnerND } from '../learners/learnernd.js';
import { SequenceLearner } from '../learners/sequence.js';
import { SparseGridLearner } from '../learners/sparse-grid/learner.js';
import type { Learner } from '../learners/types.js';
import { describe } from '../learners/validate.js';
import {
  type Cell,
  columnPath,
  DataError,
  flatten,
  parseNumber,
  type Row,
  type TableView,
  unflatten,
} from './table.js';

type AnyLearner = Learner<unknown, unknown>;
type TellMany = (points: unknown[], values: unknown[]) => void;

/** The identity of a point for finding repeats: its numbers (-0 and 0 are one). */
export type PointKey = readonly number[];

/** A row read from a table: the point, its value, the duplicate key, or why it is outside. */
export interface Parsed {
  point: unknown;
  value: unknown;
  key: PointKey;
  /** Set when the point is outside the learner's domain: why. */
  outside?: string;
}

/** The evaluated data of a learner, one entry per row. */
export interface Entry {
  point: unknown;
  key: PointKey;
  row: Row;
}

/** How one learner is written to and read from tables. */
export interface Codec {
  /** The columns, in order (also for a learner without data). */
  columns(entries: readonly Entry[]): string[];
  /** Columns that hold integers (seed, index): Int32 in Arrow. */
  readonly intColumns: readonly string[];
  /** One entry per evaluated point (per sample for the averaging learners). */
  entries(): Entry[];
  /**
   * Prepares to read a table: checks the columns once (a DataError names a missing one), and
   * returns the reader of row r (0-based), which throws a DataError naming the row and column.
   * With `needValue` false the value columns are not read (DataSaver reads its own).
   */
  bind(view: TableView, needValue: boolean): (r: number) => Parsed;
  /** Tells the points; returns those it could not tell (index into the arrays) and why. */
  tell(points: unknown[], values: unknown[], tellMany: TellMany): { index: number; why: string }[];
  /** The learner itself. */
  readonly learner: AnyLearner;
}

// ------------------------------------------------------------------------ cell readers

function lineOf(view: TableView, r: number): number | undefined {
  return view.line?.(r);
}

function missingColumn(view: TableView, column: string, what: string): never {
  throw new DataError(
    column,
    0,
    `missing column '${column}' (${what}); the table has ${view.columns.length === 0 ? 'no columns' : `columns ${view.columns.join(', ')}`}`,
  );
}

function requireColumn(view: TableView, column: string, what: string): void {
  if (!view.columns.includes(column)) missingColumn(view, column, what);
}

/** The number in (r, column); empty cells are NaN when `emptyIsNaN` (pandas writes NaN so), else an error. */
function numberAt(view: TableView, r: number, column: string, emptyIsNaN: boolean): number {
  const c = view.cell(r, column);
  if (c === null || c === undefined || c === '') {
    if (emptyIsNaN) return Number.NaN;
    throw new DataError(column, r + 1, 'the cell is empty; a number is needed', lineOf(view, r));
  }
  if (typeof c === 'number') return c;
  if (typeof c === 'string') {
    const n = parseNumber(c);
    if (n !== undefined) return n;
  }
  throw new DataError(column, r + 1, `${describe(c)} is not a number`, lineOf(view, r));
}

/** A cell as a value: CSV text is read as a number, boolean or string; missing is `undefined`. */
function anyAt(view: TableView, r: number, column: string): Cell | undefined {
  const c = view.cell(r, column);
  if (c === undefined) return undefined;
  if (!view.text || typeof c !== 'string') return c;
  if (c === '') return undefined;
  const n = parseNumber(c);
  if (n !== undefined) return n;
  const l = c.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  return c;
}

/** The columns of a flattened value `name` in a table, with their paths. */
function flatColumns(view: TableView, name: string): [string, (string | number)[]][] {
  const out: [string, (string | number)[]][] = [];
  for (const c of view.columns) {
    const p = columnPath(name, c);
    if (p !== undefined) out.push([c, p]);
  }
  return out;
}

/** Reads any flattened value `name` (items, results, extra data). */
function bindAny(view: TableView, name: string): (r: number) => unknown {
  const cols = flatColumns(view, name);
  if (cols.length === 0) missingColumn(view, name, 'the value, or its flattened columns');
  const scalar = cols.length === 1 && (cols[0] as [string, unknown[]])[1].length === 0;
  return (r) => {
    if (scalar) {
      const c = anyAt(view, r, name);
      return c === undefined ? null : c;
    }
    return unflatten(
      cols.map(([c, p]) => {
        const v = anyAt(view, r, c);
        return [p, v === null ? undefined : v];
      }),
    );
  };
}

/** Reads a numeric value: column `name` (a number) or `name_0, name_1, ...` (a vector). */
function bindNumeric(view: TableView, name: string): (r: number) => number | number[] {
  if (view.columns.includes(name)) return (r) => numberAt(view, r, name, true);
  const comps: string[] = [];
  while (view.columns.includes(`${name}_${comps.length}`)) comps.push(`${name}_${comps.length}`);
  if (comps.length === 0) {
    missingColumn(view, name, `the value; a vector is ${name}_0, ${name}_1, ...`);
  }
  return (r) => comps.map((c) => numberAt(view, r, c, true));
}

function valueColumns(name: string, entries: readonly Entry[]): string[] {
  const first = entries[0];
  if (first === undefined || first.row[name] !== undefined) return [name];
  const out: string[] = [];
  while (first.row[`${name}_${out.length}`] !== undefined) out.push(`${name}_${out.length}`);
  return out.length === 0 ? [name] : out;
}

function outsideBounds(x: number, b: readonly [number, number], name: string): string | undefined {
  return x >= b[0] && x <= b[1] ? undefined : `${name} = ${x} is outside [${b[0]}, ${b[1]}]`;
}

const plainTell = (
  points: unknown[],
  values: unknown[],
  tellMany: TellMany,
): { index: number; why: string }[] => {
  tellMany(points, values);
  return [];
};

/** The vector length of the learner's data (0: none yet, 1: scalar), checked against a table's. */
function checkWidth(
  entries: () => Entry[],
  name: string,
  read: (r: number) => number | number[],
  view: TableView,
): (r: number) => number | number[] {
  const first = entries()[0];
  if (first === undefined || view.nrows === 0) return read;
  const have = first.row[name] !== undefined ? 0 : valueColumns(name, [first]).length;
  const got = view.columns.includes(name) ? 0 : flatColumns(view, name).length;
  if (have !== got) {
    const say = (k: number): string => (k === 0 ? 'a number' : `a vector of ${k}`);
    throw new DataError(
      got === 0 ? name : `${name}_0`,
      0,
      `the learner's values are ${say(have)}, the table's ${say(got)}`,
    );
  }
  return read;
}

// ------------------------------------------------------------------------ codecs

function codec1D(learner: Learner1D | IntegratorLearner, integrator: boolean): Codec {
  const entries = (): Entry[] =>
    (learner.toRecords() as { x: number; y: number | number[] }[]).map((rec) => {
      const row: Row = { x: rec.x };
      flatten('y', rec.y, row);
      return { point: rec.x, key: [rec.x], row };
    });
  return {
    learner: learner as AnyLearner,
    intColumns: [],
    entries,
    columns: (e) => ['x', ...valueColumns('y', e)],
    bind(view, needValue) {
      requireColumn(view, 'x', 'the points');
      const value = needValue
        ? checkWidth(entries, 'y', bindNumeric(view, 'y'), view)
        : () => undefined;
      return (r) => {
        const x = numberAt(view, r, 'x', false);
        const p: Parsed = { point: x, value: value(r), key: [x] };
        const o = outsideBounds(x, learner.bounds, 'x');
        if (o !== undefined) p.outside = o;
        return p;
      };
    },
    tell: integrator
      ? (p, v, t) => tellIntegrator(learner as IntegratorLearner, p, v, t)
      : plainTell,
  };
}

/**
 * The integrator knows only the points of its intervals, which exist once asked for: replay
 * its asks, one at a time first (data of a sequential run is taken exactly as it was learnt),
 * then in batches, telling each asked point the data has. Data of a parallel run may hold
 * points that only that run's order of asks reached: they are reported, not told.
 */
function tellIntegrator(
  l: IntegratorLearner,
  points: unknown[],
  values: unknown[],
  tellMany: TellMany,
): { index: number; why: string }[] {
  const want = new Map<number, number>();
  points.forEach((x, i) => {
    want.set((x as number) + 0, i);
  });
  const take = (xs: readonly number[]): number => {
    const ps: number[] = [];
    const vs: unknown[] = [];
    for (const x of xs) {
      const i = want.get(x + 0);
      if (i === undefined) continue;
      want.delete(x + 0);
      l.tellPending(x);
      ps.push(x);
      vs.push(values[i]);
    }
    if (ps.length > 0) tellMany(ps, vs);
    return ps.length;
  };
  while (want.size > 0 && !l.done()) {
    const { points: ps } = l.ask(1, { tellPending: false });
    if (ps.length === 0 || take(ps) === 0) break;
  }
  while (want.size > 0 && !l.done()) {
    const { points: ps } = l.ask(want.size + 64, { tellPending: false });
    if (ps.length === 0 || take(ps) === 0) break;
  }
  const why = l.done()
    ? 'the integrator is done without it'
    : 'the integrator never asks for this x (not a point of its rule)';
  return [...want.values()].map((index) => ({ index, why }));
}

function codec2D(learner: Learner2D): Codec {
  const entries = (): Entry[] =>
    learner.toRecords().map((rec) => {
      const row: Row = { x: rec.x[0], y: rec.x[1] };
      flatten('z', rec.y, row);
      return { point: rec.x, key: rec.x, row };
    });
  const dom = learner as unknown as { inDomain?: (p: readonly number[]) => boolean };
  return {
    learner: learner as AnyLearner,
    intColumns: [],
    entries,
    columns: (e) => ['x', 'y', ...valueColumns('z', e)],
    bind(view, needValue) {
      requireColumn(view, 'x', 'the first coordinate');
      requireColumn(view, 'y', 'the second coordinate');
      const value = needValue
        ? checkWidth(entries, 'z', bindNumeric(view, 'z'), view)
        : () => undefined;
      return (r) => {
        const x = numberAt(view, r, 'x', false);
        const y = numberAt(view, r, 'y', false);
        const p: Parsed = { point: [x, y], value: value(r), key: [x, y] };
        const [bx, by] = learner.bounds;
        const o =
          typeof dom.inDomain === 'function'
            ? dom.inDomain([x, y])
              ? undefined
              : `(${x}, ${y}) is outside the domain`
            : (outsideBounds(x, bx, 'x') ?? outsideBounds(y, by, 'y'));
        if (o !== undefined) p.outside = o;
        return p;
      };
    },
    tell: plainTell,
  };
}

/** LearnerND's coordinate names: python-adaptive's x, y, z up to three dimensions, x_0... beyond. */
export function pointNames(dim: number): string[] {
  return dim <= 3 ? ['x', 'y', 'z'].slice(0, dim) : Array.from({ length: dim }, (_, j) => `x_${j}`);
}

function codecND(learner: LearnerND | SparseGridLearner): Codec {
  const names = pointNames(learner.dim);
  const entries = (): Entry[] =>
    learner.toRecords().map((rec) => {
      const row: Row = {};
      names.forEach((n, j) => {
        row[n] = rec.x[j] as number;
      });
      flatten('value', rec.y, row);
      return { point: rec.x, key: rec.x, row };
    });
  return {
    learner: learner as AnyLearner,
    intColumns: [],
    entries,
    columns: (e) => [...names, ...valueColumns('value', e)],
    bind(view, needValue) {
      for (const n of names) requireColumn(view, n, `a coordinate of the ${names.length}-D points`);
      const value = needValue
        ? checkWidth(entries, 'value', bindNumeric(view, 'value'), view)
        : () => undefined;
      return (r) => {
        const x = names.map((n) => numberAt(view, r, n, false));
        const p: Parsed = { point: x, value: value(r), key: x };
        if (!learner.inDomain(x)) p.outside = `(${x.join(', ')}) is outside the domain`;
        return p;
      };
    },
    tell: plainTell,
  };
}

function seedOutside(seed: number): string | undefined {
  return Number.isSafeInteger(seed) ? undefined : `seed = ${seed} is not an integer`;
}

function codecAverage(learner: AverageLearner): Codec {
  return {
    learner: learner as AnyLearner,
    intColumns: ['seed'],
    entries: () =>
      learner.toRecords().map((rec) => ({
        point: rec.x,
        key: [rec.x],
        row: { seed: rec.x, y: rec.y },
      })),
    columns: () => ['seed', 'y'],
    bind(view, needValue) {
      requireColumn(view, 'seed', 'the seeds');
      if (needValue) requireColumn(view, 'y', 'the values');
      return (r) => {
        const seed = numberAt(view, r, 'seed', false);
        const p: Parsed = {
          point: seed,
          value: needValue ? numberAt(view, r, 'y', true) : undefined,
          key: [seed],
        };
        const o = seedOutside(seed);
        if (o !== undefined) p.outside = o;
        return p;
      };
    },
    tell: plainTell,
  };
}

function codecAverage1D(learner: AverageLearner1D): Codec {
  return {
    learner: learner as AnyLearner,
    intColumns: ['seed'],
    entries: () =>
      learner.toRecords().map((rec) => ({
        point: rec.x,
        key: rec.x,
        row: { seed: rec.x[0], x: rec.x[1], y: rec.y },
      })),
    columns: () => ['seed', 'x', 'y'],
    bind(view, needValue) {
      requireColumn(view, 'seed', 'the seeds');
      requireColumn(view, 'x', 'the points');
      if (needValue) requireColumn(view, 'y', 'the values');
      return (r) => {
        const seed = numberAt(view, r, 'seed', false);
        const x = numberAt(view, r, 'x', false);
        const p: Parsed = {
          point: [seed, x],
          value: needValue ? numberAt(view, r, 'y', true) : undefined,
          key: [seed, x],
        };
        const o = seedOutside(seed) ?? outsideBounds(x, learner.bounds, 'x');
        if (o !== undefined) p.outside = o;
        return p;
      };
    },
    tell: plainTell,
  };
}

function codecAverage2D(learner: AverageLearner2D): Codec {
  return {
    learner: learner as AnyLearner,
    intColumns: ['seed'],
    entries: () =>
      learner.toRecords().map((rec) => {
        const [seed, [x, y]] = rec.x;
        return { point: rec.x, key: [seed, x, y], row: { seed, x, y, value: rec.y } };
      }),
    columns: () => ['seed', 'x', 'y', 'value'],
    bind(view, needValue) {
      requireColumn(view, 'seed', 'the seeds');
      requireColumn(view, 'x', 'the first coordinate');
      requireColumn(view, 'y', 'the second coordinate');
      if (needValue) requireColumn(view, 'value', 'the values');
      const [bx, by] = learner.bounds;
      return (r) => {
        const seed = numberAt(view, r, 'seed', false);
        const x = numberAt(view, r, 'x', false);
        const y = numberAt(view, r, 'y', false);
        const p: Parsed = {
          point: [seed, [x, y]],
          value: needValue ? numberAt(view, r, 'value', true) : undefined,
          key: [seed, x, y],
        };
        const o = seedOutside(seed) ?? outsideBounds(x, bx, 'x') ?? outsideBounds(y, by, 'y');
        if (o !== undefined) p.outside = o;
        return p;
      };
    },
    tell: plainTell,
  };
}

function unionColumns(entries: readonly Entry[], first: readonly string[]): string[] {
  const cols = new Map<string, true>();
  for (const c of first) cols.set(c, true);
  for (const e of entries) for (const c of Object.keys(e.row)) cols.set(c, true);
  return [...cols.keys()];
}

function codecSequence(learner: SequenceLearner<unknown, unknown>): Codec {
  const n = learner.length;
  return {
    learner: learner as AnyLearner,
    intColumns: ['i'],
    entries: () =>
      learner.toRecords().map((rec) => {
        const row: Row = { i: rec.index };
        flatten('x', rec.x, row);
        flatten('y', rec.y, row);
        return { point: [rec.index, rec.x], key: [rec.index], row };
      }),
    columns: (e) => (e.length === 0 ? ['i', 'x', 'y'] : unionColumns(e, [])),
    bind(view, needValue) {
      requireColumn(view, 'i', 'the index of each item in the sequence');
      const value = needValue ? bindAny(view, 'y') : () => undefined;
      return (r) => {
        const i = numberAt(view, r, 'i', false);
        const ok = Number.isInteger(i) && i >= 0 && i < n;
        const p: Parsed = {
          point: [i, ok ? learner.items[i] : undefined],
          value: value(r),
          key: [i],
        };
        if (!ok) p.outside = `i = ${i} is not an index of the sequence (0 to ${n - 1})`;
        return p;
      };
    },
    tell: plainTell,
  };
}

function isDefaultCdims(cdims: readonly unknown[]): boolean {
  return cdims.every((c, i) => {
    if (c === null || typeof c !== 'object') return false;
    const k = Object.keys(c);
    return k.length === 1 && k[0] === 'i' && (c as { i: unknown }).i === i;
  });
}

function codecBalancing(learner: BalancingLearner): Codec {
  const children = learner.learners.map((l, i) => codecOf(l, `learners[${i}]`));
  // The default labels ({ i: index }) repeat learner_index: left out.
  const cdims = isDefaultCdims(learner.cdims) ? undefined : learner.cdims;
  const cdimsRow = (i: number): Row => {
    const row: Row = {};
    if (cdims === undefined) return row;
    const c = cdims[i];
    if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
      for (const k of Object.keys(c)) flatten(k, (c as Record<string, unknown>)[k], row);
    } else flatten('cdims', c, row);
    return row;
  };
  return {
    learner: learner as unknown as AnyLearner,
    intColumns: ['learner_index', ...new Set(children.flatMap((c) => c.intColumns))],
    entries: () => {
      const out: Entry[] = [];
      children.forEach((c, i) => {
        const head = { learner_index: i, ...cdimsRow(i) };
        for (const e of c.entries()) {
          // A child column with a cdims name: the child's cell wins (it is the data).
          out.push({ point: [i, e.point], key: [i, ...e.key], row: { ...head, ...e.row } });
        }
      });
      return out;
    },
    columns: (e) => {
      const first = ['learner_index', ...Object.keys(cdimsRow(0))];
      if (e.length > 0) return unionColumns(e, first);
      return unionColumns([], [...first, ...children.flatMap((c) => c.columns([]))]);
    },
    bind(view, needValue) {
      requireColumn(view, 'learner_index', 'the index of the child learner of each row');
      const readers: ((r: number) => Parsed)[] = [];
      const n = children.length;
      return (r) => {
        const i = numberAt(view, r, 'learner_index', false);
        if (!(Number.isInteger(i) && i >= 0 && i < n)) {
          return {
            point: [i, undefined],
            value: undefined,
            key: [i],
            outside: `learner_index = ${i} is not a child (0 to ${n - 1})`,
          };
        }
        let read = readers[i];
        if (read === undefined) {
          read = (children[i] as Codec).bind(view, needValue);
          readers[i] = read;
        }
        const c = read(r);
        const p: Parsed = { point: [i, c.point], value: c.value, key: [i, ...c.key] };
        if (c.outside !== undefined) p.outside = `learners[${i}]: ${c.outside}`;
        return p;
      };
    },
    tell(points, values, tellMany) {
      const groups = new Map<number, number[]>();
      points.forEach((p, k) => {
        const i = (p as [number, unknown])[0];
        const g = groups.get(i);
        if (g === undefined) groups.set(i, [k]);
        else g.push(k);
      });
      const out: { index: number; why: string }[] = [];
      for (const [i, ks] of [...groups].sort((a, b) => a[0] - b[0])) {
        const pts = ks.map((k) => (points[k] as [number, unknown])[1]);
        const vals = ks.map((k) => values[k]);
        const untold = (children[i] as Codec).tell(pts, vals, (ps, vs) =>
          tellMany(
            ps.map((q) => [i, q]),
            vs,
          ),
        );
        for (const u of untold) out.push({ index: ks[u.index] as number, why: u.why });
      }
      return out;
    },
  };
}

function codecDataSaver(saver: DataSaver<unknown, unknown, unknown>): Codec {
  const inner = codecOf(saver.learner, 'learner');
  const entries = (): Entry[] =>
    inner.entries().map((e) => {
      const row: Row = { ...e.row };
      flatten('extra_data', saver.extraData.get(e.point), row);
      return { ...e, row };
    });
  return {
    learner: saver as AnyLearner,
    intColumns: inner.intColumns,
    entries,
    columns: (e) => (e.length === 0 ? [...inner.columns([]), 'extra_data'] : unionColumns(e, [])),
    bind(view, needValue) {
      const point = inner.bind(view, false);
      const extra = needValue ? bindAny(view, 'extra_data') : () => undefined;
      return (r) => {
        const p = point(r);
        p.value = extra(r);
        if (needValue && p.outside === undefined) {
          try {
            saver.pick(p.value);
          } catch (e) {
            throw new DataError(
              'extra_data',
              r + 1,
              `pick(extra_data) fails on ${describe(p.value)}: ${(e as Error).message}`,
              lineOf(view, r),
            );
          }
        }
        return p;
      };
    },
    tell: (points, values, tellMany) => inner.tell(points, values, tellMany),
  };
}

/**
 * The codec of a learner.
 * @throws TypeError for a learner this module does not know (with `where` in the message).
 */
export function codecOf(learner: unknown, where = 'learner'): Codec {
  if (learner instanceof Learner1D) return codec1D(learner, false);
  if (learner instanceof IntegratorLearner) return codec1D(learner, true);
  if (learner instanceof Learner2D) return codec2D(learner);
  if (learner instanceof LearnerND || learner instanceof SparseGridLearner) return codecND(learner);
  if (learner instanceof AverageLearner) return codecAverage(learner);
  if (learner instanceof AverageLearner1D) return codecAverage1D(learner);
  if (learner instanceof AverageLearner2D) return codecAverage2D(learner);
  if (learner instanceof SequenceLearner) return codecSequence(learner);
  if (learner instanceof BalancingLearner) return codecBalancing(learner);
  if (learner instanceof DataSaver) return codecDataSaver(learner);
  const name =
    learner !== null && typeof learner === 'object'
      ? (learner.constructor?.name ?? 'object')
      : typeof learner;
  throw new TypeError(
    `${where} is a ${name}: the data module reads and writes Learner1D, Learner2D, LearnerND, SparseGridLearner, AverageLearner, AverageLearner1D, AverageLearner2D, IntegratorLearner, SequenceLearner, BalancingLearner and DataSaver`,
  );
}
