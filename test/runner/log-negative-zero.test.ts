// Regression (issue 13): serializeLog/parseLog (and so replay from NDJSON, ReplayMaster from
// its text, and the checkpoint journal) turned -0 into 0: JSON.stringify(-0) is '0'.
import { describe, expect, it } from 'vitest';
import { decodeData, encodeData } from '../../src/io/json.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { ReplayMaster } from '../../src/master/replay.js';
import { parseLog, replay, serializeLog } from '../../src/runner/log.js';
import { run } from '../../src/runner/runner.js';
import type { LogEntry } from '../../src/runner/types.js';

const isNegZero = (x: unknown) => x === 0 && 1 / (x as number) < 0;

describe('-0 in run logs', () => {
  it('serializeLog and parseLog keep -0 in points, values and vectors', () => {
    const log: LogEntry<unknown, unknown>[] = [
      { op: 'ask', n: 2, points: [-0, [0, -0]] },
      { op: 'tell', point: -0, value: -0 },
      { op: 'tell', point: [0, -0], value: [-0, 1, Number.NaN] },
      { op: 'tell', point: { x: -0 }, value: { y: -0 } },
      { op: 'fail', point: -0, error: 'e', attempts: 1 },
      { op: 'retry', point: [-0], error: 'e', attempts: 1 },
    ];
    const text = serializeLog(log);
    const back = parseLog(text);
    expect(Object.is((back[0] as { points: unknown[] }).points[0], -0)).toBe(true);
    expect(isNegZero(((back[0] as { points: number[][] }).points[1] as number[])[1])).toBe(true);
    const t1 = back[1] as { point: number; value: number };
    expect(Object.is(t1.point, -0) && Object.is(t1.value, -0)).toBe(true);
    const t2 = back[2] as { point: number[]; value: number[] };
    expect(Object.is(t2.point[0], 0) && Object.is(t2.point[1], -0)).toBe(true);
    expect(Object.is(t2.value[0], -0) && Number.isNaN(t2.value[2])).toBe(true);
    const t3 = back[3] as { point: { x: number }; value: { y: number } };
    expect(Object.is(t3.point.x, -0) && Object.is(t3.value.y, -0)).toBe(true);
    expect(Object.is((back[4] as { point: number }).point, -0)).toBe(true);
    expect(Object.is((back[5] as { point: number[] }).point[0], -0)).toBe(true);
    // The text round-trips exactly.
    expect(serializeLog(back)).toBe(text);
  });

  it('a run told -0 replays from its NDJSON to the same values, -0 included', async () => {
    // sin(-0) = -0 at the bound x = -0 … and x * 0 gives -0 for negative x.
    const f = (x: number) => (x < 0 ? x * 0 : Math.sin(x));
    const first = new Learner1D({ bounds: [-1, 1] });
    const { log } = await run(first, f, { npointsGoal: 30, log: true });
    const text = serializeLog(log ?? []);
    const told = parseLog<number, number>(text).filter((e) => e.op === 'tell');
    expect(told.some((e) => e.op === 'tell' && Object.is(e.value, -0))).toBe(true);
    const copy = replay(new Learner1D({ bounds: [-1, 1] }), parseLog<number, number>(text));
    const c = copy.toArrays();
    const o = first.toArrays();
    expect(c.y.length).toBe(o.y.length);
    for (let i = 0; i < o.y.length; i++) expect(Object.is(c.y[i], o.y[i])).toBe(true);
    const viaMaster = new Learner1D({ bounds: [-1, 1] });
    await run(viaMaster, new ReplayMaster<number, number>(text));
    const a = viaMaster.toArrays();
    const b = first.toArrays();
    for (let i = 0; i < b.y.length; i++) expect(Object.is(a.y[i], b.y[i])).toBe(true);
  });

  it('snapshots keep their encoding: encodeData/decodeData still write -0 as 0', () => {
    expect(JSON.stringify(encodeData([-0]))).toBe('[0]');
    expect(decodeData('-0')).toBe('-0');
  });
});
