// Every learner's data leaves as rows, CSV and Arrow and comes back into learner.new() with
// the same values (NaN and ±Infinity included); columns as python-adaptive's to_dataframe.
import { fc, test } from '@fast-check/vitest';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  columnsOf,
  formatNumber,
  fromArrow,
  loadData,
  parseNumber,
  type Row,
  toArrow,
  toArrowIPC,
  toCSV,
  toRows,
} from '../../src/data/index.js';
import { pandasRead } from '../../src/data/table.js';
import { Learner1D, Learner2D, LearnerND } from '../../src/index.js';
import { CASES } from './learners.js';

/** Arrow columns have one type: a column of numbers and strings is a column of strings. */
function arrowTyped(rows: Row[]): Row[] {
  const mixed = new Set<string>();
  for (const c of Object.keys(rows[0] ?? {})) {
    const types = new Set(
      rows
        .map((r) => r[c])
        .filter((v) => v !== null)
        .map((v) => typeof v),
    );
    if (types.size > 1) mixed.add(c);
  }
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, mixed.has(k) && v !== null ? String(v) : v]),
    ),
  );
}

describe.each(CASES)('$name', ({ make }) => {
  it('rows: loadData(learner.new(), toRows(learner)) gives the same rows', () => {
    const a = make();
    const rows = toRows(a);
    expect(rows.length).toBeGreaterThan(0);
    const b = a.new();
    const r = loadData(b, rows);
    expect(r.skipped).toEqual([]);
    expect(r.told).toBe(rows.length);
    expect(b.npoints).toBe(a.npoints);
    expect(toRows(b)).toEqual(rows);
  });

  it('CSV: the text reads back to the same rows, and writes the same text again', () => {
    const a = make();
    const text = toCSV(a);
    expect(text.split('\n')[0]).toBe(columnsOf(a).join(','));
    const b = a.new();
    expect(loadData(b, text).told).toBe(toRows(a).length);
    expect(toRows(b)).toEqual(toRows(a));
    expect(toCSV(b)).toBe(text);
  });

  it('Arrow: a Table and its IPC bytes read back to the same rows', () => {
    const a = make();
    const t = toArrow(a);
    expect(t.numRows).toBe(toRows(a).length);
    expect(t.schema.fields.map((f) => f.name)).toEqual(columnsOf(a));
    const b = a.new();
    expect(loadData(b, t).told).toBe(t.numRows);
    expect(toRows(b)).toEqual(toRows(a));
    const bytes = toArrowIPC(a);
    expect(fromArrow(bytes)).toEqual(arrowTyped(toRows(a)));
    const c = a.new();
    loadData(c, tableFromIPC(bytes));
    expect(toRows(c)).toEqual(toRows(a));
  });

  it('non-finite values are in the data and survive (NaN, inf, -inf in the CSV)', () => {
    const a = make();
    const text = toCSV(a);
    const cells = toRows(a).flatMap((r) => Object.values(r));
    const nonFinite = cells.filter((c) => typeof c === 'number' && !Number.isFinite(c));
    if (nonFinite.length > 0) expect(text).toMatch(/(^|,)(NaN|inf|-inf)(,|\n)/m);
  });
});

describe('columns are named as python-adaptive names them', () => {
  const cols = (name: string): string[] =>
    columnsOf((CASES.find((c) => c.name === name) as (typeof CASES)[number]).make());
  it.each([
    ['Learner1D', ['x', 'y']],
    ['Learner1D (vector)', ['x', 'y_0', 'y_1']],
    ['Learner2D', ['x', 'y', 'z']],
    ['Learner2D (vector)', ['x', 'y', 'z_0', 'z_1']],
    ['LearnerND (3-D)', ['x', 'y', 'z', 'value']],
    ['LearnerND (4-D, vector)', ['x_0', 'x_1', 'x_2', 'x_3', 'value_0', 'value_1']],
    ['AverageLearner', ['seed', 'y']],
    ['AverageLearner1D', ['seed', 'x', 'y']],
    ['AverageLearner2D', ['seed', 'x', 'y', 'value']],
    ['IntegratorLearner', ['x', 'y']],
    ['BalancingLearner (cdims)', ['learner_index', 'a', 'phase', 'x', 'y']],
    [
      'DataSaver (Learner1D)',
      ['x', 'y', 'extra_data.y', 'extra_data.stats.n', 'extra_data.stats.tag'],
    ],
  ])('%s: %j', (name, want) => {
    expect(cols(name)).toEqual(want);
  });

  it('SequenceLearner: i, the item flattened as x, the value flattened as y', () => {
    expect(cols('SequenceLearner')).toEqual([
      'i',
      'x',
      'y.i',
      'y.kind',
      'y.sq_0',
      'y.sq_1',
      'x.a',
      'x.b_0',
      'x.b_1',
    ]);
  });

  it('an empty learner has the header of its kind', () => {
    expect(toCSV(new Learner1D({ bounds: [0, 1] }))).toBe('x,y\n');
    expect(
      columnsOf(
        new LearnerND({
          bounds: [
            [0, 1],
            [0, 1],
          ],
        }),
      ),
    ).toEqual(['x', 'y', 'value']);
  });

  it('AverageLearner1D: one row per sample, sorted by x then seed', () => {
    const a = (CASES.find((c) => c.name === 'AverageLearner1D') as (typeof CASES)[number]).make();
    const rows = toRows(a);
    expect(rows.length).toBe((a as unknown as { nsamples: number }).nsamples);
    expect(rows.length).toBeGreaterThan(a.npoints);
    for (let i = 1; i < rows.length; i++) {
      const p = rows[i - 1] as { x: number; seed: number };
      const q = rows[i] as { x: number; seed: number };
      expect(p.x < q.x || (p.x === q.x && p.seed < q.seed)).toBe(true);
    }
  });
  it('AverageLearner2D: one row per sample, sorted by x, y then seed', () => {
    const a = (CASES.find((c) => c.name === 'AverageLearner2D') as (typeof CASES)[number]).make();
    const rows = toRows(a) as { seed: number; x: number; y: number; value: number }[];
    expect(rows.length).toBe((a as unknown as { nsamples: number }).nsamples);
    expect(rows.length).toBeGreaterThan(a.npoints);
    for (let i = 1; i < rows.length; i++) {
      const p = rows[i - 1] as (typeof rows)[number];
      const q = rows[i] as (typeof rows)[number];
      expect(p.x < q.x || (p.x === q.x && (p.y < q.y || (p.y === q.y && p.seed < q.seed)))).toBe(
        true,
      );
    }
  });
});

test.prop(
  [
    fc.uniqueArray(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: 1,
      maxLength: 60,
      selector: (x) => x + 0,
    }),
    fc.array(fc.double(), { minLength: 60, maxLength: 60 }),
  ],
  { seed: 20261206, numRuns: 80 },
)(
  'Learner1D: any points and any doubles (NaN, ±Infinity, -0, subnormals) survive CSV',
  (xs, ys) => {
    const a = new Learner1D({ bounds: [-1, 1] });
    a.tellMany(
      xs,
      xs.map((_, i) => ys[i] as number),
    );
    const b = a.new();
    loadData(b, toCSV(a));
    expect(toRows(b)).toEqual(toRows(a));
  },
);

test.prop(
  [
    fc.uniqueArray(
      fc.tuple(
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.double({ min: -3, max: 0, noNaN: true }),
      ),
      { minLength: 1, maxLength: 40, selector: ([x, y]) => `${x + 0},${y + 0}` },
    ),
    fc.array(fc.tuple(fc.double(), fc.double()), { minLength: 40, maxLength: 40 }),
  ],
  { seed: 20261207, numRuns: 60 },
)('Learner2D (vector values): any data survives CSV and Arrow', (pts, vs) => {
  const a = new Learner2D({
    bounds: [
      [0, 4],
      [-3, 0],
    ],
  });
  a.tellMany(
    pts,
    pts.map((_, i) => vs[i] as [number, number]),
  );
  const b = a.new();
  loadData(b, toCSV(a));
  expect(toRows(b)).toEqual(toRows(a));
  const c = a.new();
  loadData(c, toArrow(a));
  expect(toRows(c)).toEqual(toRows(a));
});

test.prop([fc.double()], { seed: 20261208, numRuns: 20000 })(
  'formatNumber: every double reads back exactly (Number, and so Python and pandas round_trip)',
  (x) => {
    const s = formatNumber(x);
    expect(
      Object.is(parseNumber(s), x) || (Number.isNaN(x) && Number.isNaN(parseNumber(s) as number)),
    ).toBe(true);
    if (Number.isFinite(x)) expect(Object.is(Number(s), x)).toBe(true);
  },
);

test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })], {
  seed: 20261209,
  numRuns: 20000,
})(
  "formatNumber: pandas' default parser (pandasRead, its port) reads the written text exactly when it reads the shortest text exactly",
  (x) => {
    if (pandasRead(String(x)) === x) expect(pandasRead(formatNumber(x))).toBe(x);
  },
);
