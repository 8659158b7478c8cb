// AverageLearner2D in the data module (issue 19): one row per sample, columns seed, x, y,
// value; loadData skips what the learner cannot take and names what is missing. The round
// trips (rows, CSV, Arrow, pandas) run with every learner in test/data/.
import { describe, expect, it } from 'vitest';
import { columnsOf, loadData, toCSV, toRows } from '../../src/data/index.js';
import { AverageLearner2D } from '../../src/learners/average2d/index.js';

const make = (): AverageLearner2D =>
  new AverageLearner2D({
    bounds: [
      [0, 1],
      [-1, 1],
    ],
    minSamples: 2,
  });

describe('AverageLearner2D data', () => {
  it('an empty learner has the header seed,x,y,value', () => {
    expect(columnsOf(make())).toEqual(['seed', 'x', 'y', 'value']);
    expect(toCSV(make())).toBe('seed,x,y,value\n');
  });

  it('one row per sample, the samples of a point by seed', () => {
    const l = make();
    l.tellMany(
      [
        [1, [0.5, 0]],
        [0, [0.5, 0]],
        [0, [0, -1]],
      ],
      [2, Number.NaN, 3],
    );
    expect(toRows(l)).toEqual([
      { seed: 0, x: 0, y: -1, value: 3 },
      { seed: 0, x: 0.5, y: 0, value: Number.NaN },
      { seed: 1, x: 0.5, y: 0, value: 2 },
    ]);
    expect(toCSV(l)).toBe('seed,x,y,value\n0,0,-1,3\n0,0.5,0,NaN\n1,0.5,0,2\n');
  });

  it('loadData: a point outside the bounds, a repeated sample and a non-integer seed are skipped and reported', () => {
    const l = make();
    l.tell([0, [1, 1]], 5);
    const csv =
      'seed,x,y,value\n0,0.5,0.5,1\n1,0.5,0.5,inf\n0,0.5,2,1\n0,1,1,7\n0,0.5,0.5,9\n1.5,0,0,1\n';
    const r = loadData(l, csv);
    expect(r.told).toBe(2);
    expect(r.skipped.map((s) => [s.row, s.line, s.reason, s.message])).toEqual([
      [3, 4, 'outside', 'y = 2 is outside [-1, 1]'],
      [4, 5, 'duplicate', 'the point is already in the learner'],
      [5, 6, 'duplicate', 'the same point as row 1'],
      [6, 7, 'outside', 'seed = 1.5 is not an integer'],
    ]);
    expect(l.nsamples).toBe(3);
    expect(l.means().find((m) => m.x[0] === 0.5)?.n).toBe(2);
    l.checkValid();
  });

  it('loadData without the value column names it, the learner unchanged', () => {
    const l = make();
    expect(() => loadData(l, 'seed,x,y\n0,0.5,0.5\n')).toThrow(/missing column 'value'/);
    expect(l.nsamples).toBe(0);
  });
});
