// Regression tests (issue 13, "Trust at the edges"): BalancingLearner and DataSaver restore
// trust nothing they can recompute or check, and stay unchanged on refusal; a DataSaver keeps
// the full result of a point its learner kept before reporting a loss function's error.
import { describe, expect, it } from 'vitest';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { DataSaver } from '../../src/learners/data-saver.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { LearnerND } from '../../src/learners/learnernd.js';

type Result = { y: number; tag: string };
const pickY = (r: Result): number => r.y;

function saverWithData(): DataSaver<number, Result, unknown> {
  const saver = new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY);
  for (let i = 0; i < 20; i++) {
    const x = saver.ask(1).points[0] as number;
    saver.tell(x, { y: Math.sin(7 * x), tag: `x=${x}` });
  }
  return saver;
}

describe('DataSaver.restore checks the learner against the full results', () => {
  it('refuses a learner value that is not pick of its result, and stays unchanged', () => {
    const good = saverWithData().snapshot() as unknown as { extraData: [unknown, Result][] };
    const extra = good.extraData.map(([p, r]) => [p, { ...r }] as [unknown, Result]);
    (extra[4] as [unknown, Result])[1].y = 123;
    const saver = saverWithData();
    const before = JSON.stringify(saver.snapshot());
    expect(() => saver.restore({ ...good, extraData: extra } as never)).toThrow(
      /DataSaver.restore: the learner's value .* is not pick of its full result \(123\)/,
    );
    expect(JSON.stringify(saver.snapshot())).toBe(before);
  });

  it('refuses a learner point without a result, and a result without a point', () => {
    const good = saverWithData().snapshot() as unknown as { extraData: [unknown, Result][] };
    const saver = saverWithData();
    const before = JSON.stringify(saver.snapshot());
    expect(() => saver.restore({ ...good, extraData: good.extraData.slice(1) } as never)).toThrow(
      /has no full result in extraData/,
    );
    expect(() =>
      saver.restore({
        ...good,
        extraData: [...good.extraData, [0.123, { y: 1, tag: 'extra' }]],
      } as never),
    ).toThrow(/extraData has 21 points, the learner 20/);
    expect(JSON.stringify(saver.snapshot())).toBe(before);
  });

  it('restores its own snapshot, NaN values included', () => {
    const saver = saverWithData();
    saver.tell(0.999, { y: Number.NaN, tag: 'nan' });
    const copy = new DataSaver(new Learner1D({ bounds: [0, 1] }), pickY);
    copy.restore(JSON.parse(JSON.stringify(saver.snapshot())));
    expect(copy.toRecords()).toEqual(saver.toRecords());
    expect(copy.ask(3, { tellPending: false })).toEqual(saver.ask(3, { tellPending: false }));
  });

  it('keeps the full result of a point the learner kept before a loss function threw', () => {
    let bomb = false;
    const loss = (simplex: readonly Float64Array[]): number => {
      if (bomb) throw new Error('boom');
      return Math.abs((simplex[1]?.[0] as number) - (simplex[0]?.[0] as number)) + 0.1;
    };
    const make = (): DataSaver<readonly number[], Result, unknown> =>
      new DataSaver(
        new LearnerND({
          bounds: [
            [0, 1],
            [0, 1],
          ],
          loss,
        }),
        pickY,
      );
    const saver = make();
    for (let i = 0; i < 8; i++) {
      const p = saver.ask(1).points[0] as number[];
      saver.tell(p, { y: (p[0] as number) * (p[1] as number), tag: '' });
    }
    bomb = true;
    expect(() => saver.tell([0.1, 0.9], { y: 2, tag: 'kept' })).toThrow(/the data was kept/);
    expect(saver.npoints).toBe(9);
    expect(saver.extraData.get([0.1, 0.9])?.tag).toBe('kept');
    expect(() =>
      saver.tellMany(
        [
          [0.2, 0.8],
          [0.3, 0.7],
        ],
        [
          { y: 3, tag: 'a' },
          { y: 4, tag: 'b' },
        ],
      ),
    ).toThrow(/the data was kept/);
    expect(saver.extraData.size).toBe(11);
    bomb = false;
    const copy = make();
    copy.restore(JSON.parse(JSON.stringify(saver.snapshot())));
    expect(copy.npoints).toBe(11);
  });
});

describe('BalancingLearner.restore refuses a child snapshot whose derived data lies', () => {
  it('a LearnerND child with a NaN loss: refused, every child unchanged', () => {
    const make = (): BalancingLearner<LearnerND> =>
      new BalancingLearner(
        [0, 1].map(
          () =>
            new LearnerND({
              bounds: [
                [0, 1],
                [0, 1],
              ],
            }),
        ),
      );
    const b = make();
    for (let i = 0; i < 30; i++) {
      const { points } = b.ask(1);
      for (const p of points) b.tell(p, Math.sin(3 * (p[1][0] as number)));
    }
    const good = b.snapshot() as unknown as { learners: { losses: unknown[] }[] };
    const kids = good.learners.map((k) => ({ ...k, losses: [...k.losses] }));
    (kids[1] as { losses: unknown[] }).losses[0] = 'NaN';
    const target = make();
    for (let i = 0; i < 12; i++) {
      const { points } = target.ask(1);
      for (const p of points) target.tell(p, 1);
    }
    const before = JSON.stringify(target.snapshot());
    expect(() => target.restore({ ...good, learners: kids } as never)).toThrow(
      /learners\[1\]: LearnerND.restore: losses\[0\] = NaN is not a finite number >= 0/,
    );
    expect(JSON.stringify(target.snapshot())).toBe(before);
    expect(Number.isNaN(target.loss())).toBe(false);
  });
});
