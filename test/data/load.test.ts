// loadData: earlier data told in bulk, then sampling goes on exactly as after telling the same
// data one by one; rows outside the domain or repeated are skipped with the reason; bad
// input is a DataError naming the row and column, and the learner is unchanged.
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataError, loadData, toCSV, toRows } from '../../src/data/index.js';
import {
  AverageLearner,
  AverageLearner1D,
  BalancingLearner,
  DataSaver,
  IntegratorLearner,
  Learner1D,
  Learner2D,
  LearnerND,
  runSync,
  SequenceLearner,
} from '../../src/index.js';
import { type AnyLearner, CASES } from './learners.js';

type Rec = { x: unknown; y: unknown; index?: number };

/** Tells a learner's records to `target` one `tell` at a time, in toRecords() order. */
function tellOneByOne(source: AnyLearner, target: AnyLearner): void {
  const recs = (source as unknown as { toRecords(): Rec[] }).toRecords();
  for (const r of recs) {
    if (source instanceof SequenceLearner) target.tell([r.index, r.x], r.y);
    else if (source instanceof BalancingLearner) target.tell([r.index, r.x], r.y);
    else target.tell(r.x, r.y);
  }
}

const snap = (l: AnyLearner): string => JSON.stringify(l.snapshot());

describe('loadData then ask: the same next points as a learner told the data one by one', () => {
  const cases = CASES.filter((c) => c.name !== 'IntegratorLearner');
  it.each(cases)('$name', ({ make }) => {
    const a = make();
    const bulk = a.new();
    const r = loadData(bulk, toCSV(a));
    expect(r.told).toBe(toRows(a).length);
    const single = a.new();
    tellOneByOne(a, single);
    expect(bulk.npoints).toBe(single.npoints);
    expect(bulk.loss()).toEqual(single.loss());
    for (let round = 0; round < 3; round++) {
      const p = bulk.ask(7);
      const q = single.ask(7);
      expect(p).toEqual(q);
    }
  });

  it('IntegratorLearner: loaded from its CSV it asks what the learner that made it asks', () => {
    const a = new IntegratorLearner({ bounds: [0, 3], tol: 1e-12 });
    runSync(a, (x: number) => Math.sqrt(x) * Math.cos(5 * x), { npointsGoal: 200 });
    const b = a.new();
    const r = loadData(b, toCSV(a));
    expect(r).toMatchObject({ told: a.npoints, skipped: [] });
    expect(b.igral).toBe(a.igral);
    expect(b.err).toBe(a.err);
    expect(b.ask(20)).toEqual(a.ask(20));
  });

  it('IntegratorLearner: data of a parallel run loads what the rule asks for, reports the rest, and goes on', () => {
    const a = new IntegratorLearner({ bounds: [-1, 1], tol: 1e-12 });
    const f = (x: number) => 1 / (1 + 25 * x * x);
    for (let k = 0; k < 12; k++) {
      const { points } = a.ask(13);
      a.tellMany(points, points.map(f));
    }
    const b = a.new();
    const r = loadData(b, toRows(a));
    // Measured: 133 of the 156 points; the other 23 came from an order of asks that the
    // replay does not reach (its last two batches went left of 0.5, the replay goes right).
    expect(r.told).toBeGreaterThanOrEqual(0.8 * a.npoints);
    expect(r.told + r.skippedBy['not-asked']).toBe(a.npoints);
    expect(b.npoints).toBe(r.told);
    runSync(b, f, {});
    expect(b.done()).toBe(true);
    expect(b.igral).toBeCloseTo((2 / 5) * Math.atan(5), 10);
  });
});

describe('Learner2D and LearnerND continue sampling after loadData (python-adaptive #470)', () => {
  it.each([
    [
      'Learner2D',
      () =>
        new Learner2D({
          bounds: [
            [-1, 1],
            [-1, 1],
          ],
        }) as unknown as AnyLearner,
    ],
    [
      'LearnerND',
      () =>
        new LearnerND({
          bounds: [
            [-1, 1],
            [-1, 1],
          ],
        }) as unknown as AnyLearner,
    ],
    [
      'LearnerND (3-D)',
      () =>
        new LearnerND({
          bounds: [
            [-1, 1],
            [-1, 1],
            [-1, 1],
          ],
        }) as unknown as AnyLearner,
    ],
  ])('%s: load, load again, load into a learner with pending points, then run on', (_, make) => {
    const f = (p: number[]) =>
      Math.tanh(10 * ((p[0] as number) ** 2 + (p[1] as number) ** 2 - 0.5));
    const a = make();
    runSync(a as never, f as never, { npointsGoal: 80 } as never);
    const text = toCSV(a);

    const b = make();
    expect(loadData(b, text).told).toBe(80);
    // The same data again: every row a duplicate, nothing told, nothing broken.
    const again = loadData(b, text);
    expect(again.told).toBe(0);
    expect(again.skippedBy.duplicate).toBe(80);
    runSync(b as never, f as never, { npointsGoal: 200 } as never);
    expect(b.npoints).toBe(200);
    const xs = toRows(b).map((r) => JSON.stringify(Object.values(r).slice(0, -1)));
    expect(new Set(xs).size).toBe(200);

    // Points already handed out (pending, the bound points among them) are told by the data.
    const c = make();
    c.ask(10);
    expect(loadData(c, text).told).toBe(80);
    c.removeUnfinished();
    runSync(c as never, f as never, { npointsGoal: 150 } as never);
    expect(c.npoints).toBe(150);
  });
});

describe('rows outside the domain or repeated are skipped and counted, with the reason', () => {
  it('Learner1D: outside, repeated in the data, already in the learner', () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tell(0, 5);
    const r = loadData(l, 'x,y\n0,1\n0.5,inf\n2,0\n0.5,3\n-1,\n');
    expect(r.told).toBe(2);
    expect(r.skippedBy).toEqual({ outside: 1, duplicate: 2, 'not-asked': 0 });
    expect(r.skipped).toEqual([
      { row: 1, line: 2, reason: 'duplicate', message: 'the point is already in the learner' },
      { row: 3, line: 4, reason: 'outside', message: 'x = 2 is outside [-1, 1]' },
      { row: 4, line: 5, reason: 'duplicate', message: 'the same point as row 2' },
    ]);
    // The first value of a point is kept; an empty value cell is NaN (as pandas writes NaN).
    expect(toRows(l)).toEqual([
      { x: -1, y: Number.NaN },
      { x: 0, y: 5 },
      { x: 0.5, y: Number.POSITIVE_INFINITY },
    ]);
  });

  it.each([
    [
      'Learner2D',
      () =>
        new Learner2D({
          bounds: [
            [0, 1],
            [0, 1],
          ],
        }),
      [{ x: 0.5, y: 1.5, z: 1 }],
      /\(0\.5, 1\.5\) is outside|y = 1\.5 is outside/,
    ],
    [
      'LearnerND (hull)',
      () =>
        new LearnerND({
          hull: [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
        }),
      [{ x: 0.9, y: 0.9, value: 1 }],
      /\(0\.9, 0\.9\) is outside the domain/,
    ],
    [
      'AverageLearner',
      () => new AverageLearner({ atol: 0.1 }),
      [{ seed: 1.5, y: 1 }],
      /seed = 1\.5 is not an integer/,
    ],
    [
      'AverageLearner1D',
      () => new AverageLearner1D({ bounds: [0, 1] }),
      [{ seed: 0, x: -3, y: 1 }],
      /x = -3 is outside \[0, 1\]/,
    ],
    [
      'SequenceLearner',
      () => new SequenceLearner(['a', 'b']),
      [{ i: 2, y: 1 }],
      /i = 2 is not an index of the sequence \(0 to 1\)/,
    ],
    [
      'BalancingLearner',
      () => new BalancingLearner([new Learner1D({ bounds: [0, 1] })]),
      [
        { learner_index: 3, x: 0.5, y: 1 },
        { learner_index: 0, x: 5, y: 1 },
      ],
      /learner_index = 3 is not a child \(0 to 0\)/,
    ],
  ])('%s', (_, make, rows, message) => {
    const l = make() as unknown as AnyLearner;
    const before = snap(l);
    const r = loadData(l, rows);
    expect(r.told).toBe(0);
    expect(r.skippedBy.outside).toBe(rows.length);
    expect(r.skipped[0]?.message).toMatch(message);
    expect(snap(l)).toBe(before);
  });

  it('BalancingLearner: a child row outside its child says which child', () => {
    const b = new BalancingLearner([new Learner1D({ bounds: [0, 1] })]);
    const r = loadData(b, [{ learner_index: 0, x: 5, y: 1 }]);
    expect(r.skipped[0]?.message).toBe('learners[0]: x = 5 is outside [0, 1]');
  });

  it('IntegratorLearner: an x its rule never asks for is skipped as not-asked', () => {
    const l = new IntegratorLearner({ bounds: [0, 1], tol: 1e-8 });
    const r = loadData(l, [
      { x: 0, y: 1 },
      { x: 0.123, y: 1 },
      { x: 1, y: 2 },
    ]);
    expect(r.told).toBe(2);
    expect(r.skipped).toEqual([
      {
        row: 2,
        reason: 'not-asked',
        message: 'the integrator never asks for this x (not a point of its rule)',
      },
    ]);
  });
});

describe('bad input: a DataError naming the row and column; the learner is unchanged', () => {
  const with1D = (): AnyLearner => {
    const l = new Learner1D({ bounds: [-1, 1] });
    l.tellMany([-1, 1], [0, 1]);
    return l as unknown as AnyLearner;
  };
  it.each([
    [
      'a missing column',
      'x\n0.1\n',
      /^loadData: column 'y': missing column 'y'.*the table has columns x$/,
    ],
    ['a missing point column', 'y\n0.1\n', /^loadData: column 'x': missing column 'x'/],
    [
      'a cell that is not a number',
      'x,y\n0.1,1\n0.2,abc\n',
      /^loadData: row 2 \(line 3\), column 'y': "abc" is not a number$/,
    ],
    [
      'a point cell that is empty',
      'x,y\n0.1,1\n,1\n',
      /^loadData: row 2 \(line 3\), column 'x': the cell is empty; a number is needed$/,
    ],
    [
      'a ragged row (too few cells)',
      'x,y\n0.1,1\n0.2\n',
      /^loadData: row 2 \(line 3\), column 'y': the row has 1 cells, the header 2 columns \(no cell for 'y'\)$/,
    ],
    [
      'a ragged row (too many cells)',
      'x,y\n0.1,1,7\n',
      /^loadData: row 1 \(line 2\): the row has 3 cells, the header only 2 columns \(x, y\)$/,
    ],
    [
      'a quoted cell with a newline before the bad one (lines counted right)',
      'x,y,note\n0.1,1,"two\nlines"\n0.2,?,a\n',
      /^loadData: row 2 \(line 4\), column 'y': "\?" is not a number$/,
    ],
    [
      'a repeated header',
      'x,y,x\n0,1,2\n',
      /^loadData: line 1, column 'x': column 'x' appears twice/,
    ],
    ['broken quoting', 'x,y\n"0.1,1\n', /^loadData: line 2: broken CSV/],
    [
      'a vector where the learner has numbers',
      'x,y_0,y_1\n0.1,1,2\n',
      /^loadData: column 'y_0': the learner's values are a number, the table's a vector of 2$/,
    ],
    [
      'a hex number (not how numbers are written)',
      'x,y\n0x1,1\n',
      /^loadData: row 1 \(line 2\), column 'x': "0x1" is not a number$/,
    ],
  ])('CSV with %s', (_, text, message) => {
    const l = with1D();
    const before = snap(l);
    let err: unknown;
    try {
      loadData(l, text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(message);
    expect(snap(l)).toBe(before);
  });

  it('rows with a wrong type name the row and column', () => {
    const l = with1D();
    const before = snap(l);
    expect(() =>
      loadData(l, [
        { x: 0.1, y: 1 },
        { x: 0.2, y: { a: 1 } },
      ] as never),
    ).toThrow(/^loadData: row 2, column 'y': \{"a":1\} is not a number$/);
    expect(() => loadData(l, [{ x: 0.1, y: 1 }, 5] as never)).toThrow(
      /^loadData: row 2: a row must be an object/,
    );
    expect(snap(l)).toBe(before);
  });

  it('an Arrow table with a string column names the row and column', () => {
    const l = with1D();
    const before = snap(l);
    const t = tableFromArrays({ x: new Float64Array([0.1, 0.2]), y: ['1', 'one'] });
    expect(() => loadData(l, t)).toThrow(/^loadData: row 2, column 'y': "one" is not a number$/);
    expect(snap(l)).toBe(before);
  });

  it('Learner2D without its y column, BalancingLearner without learner_index', () => {
    const l2 = new Learner2D({
      bounds: [
        [0, 1],
        [0, 1],
      ],
    });
    expect(() => loadData(l2, 'x,z\n0.5,1\n')).toThrow(/column 'y': missing column 'y'/);
    const b = new BalancingLearner([new Learner1D({ bounds: [0, 1] })]);
    expect(() => loadData(b, 'x,y\n0.5,1\n')).toThrow(
      /column 'learner_index': missing column 'learner_index'/,
    );
    expect(b.npoints).toBe(0);
  });

  it('DataSaver: extra data that pick() cannot read names the row; nothing is told', () => {
    const s = new DataSaver(new Learner1D({ bounds: [0, 1] }), (r: { v: number }) => {
      if (typeof r?.v !== 'number') throw new TypeError('no v');
      return r.v;
    });
    expect(() =>
      loadData(s, [
        { x: 0.1, 'extra_data.v': 1 },
        { x: 0.2, 'extra_data.w': 1 },
      ]),
    ).toThrow(
      /^loadData: row 2, column 'extra_data': pick\(extra_data\) fails on \{"w":1\}: no v$/,
    );
    expect(s.npoints).toBe(0);
    expect(s.extraData.size).toBe(0);
  });

  it('a learner the module does not know, and input that is no table', () => {
    expect(() => loadData({ ask() {} }, [])).toThrow(/loadData: the learner is a Object/);
    expect(() => loadData(new Learner1D({ bounds: [0, 1] }), 5 as never)).toThrow(
      /give rows \(an array of objects\), CSV text or an Arrow Table/,
    );
  });
});

describe('cells as other tools write them', () => {
  it('pandas spellings: nan, NaN, inf, -inf, Infinity, -Infinity, +inf, empty, exponents', () => {
    const l = new Learner1D({ bounds: [-10, 10] });
    const csv =
      'x,y\n1,nan\n2,NaN\n3,inf\n4,-inf\n5,Infinity\n6,-Infinity\n7,+inf\n8,\n9,1E-3\n-0,-0\n';
    expect(loadData(l, csv).told).toBe(10);
    expect(toRows(l).map((r) => r.y)).toEqual([
      -0,
      Number.NaN,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      0.001,
    ]);
  });

  it('a BOM, CRLF line ends, blank lines, extra columns (ignored) and any column order', () => {
    const l = new Learner1D({ bounds: [0, 1] });
    const r = loadData(l, '\uFEFFnote,y,x\r\n"a, b",1,0.25\r\n\r\nc,2,0.75\r\n');
    expect(r.told).toBe(2);
    expect(toRows(l)).toEqual([
      { x: 0.25, y: 1 },
      { x: 0.75, y: 2 },
    ]);
  });
});
