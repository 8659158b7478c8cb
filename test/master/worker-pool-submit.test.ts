/**
 * WorkerPoolMaster's promise-free path for the runner (`kSubmit`, src/master/types.ts): the
 * same outcomes as `evaluate`, reported once each through the sink with the caller's tag
 * and t0, never inside the call itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kSubmit, type ResultSink } from '../../src/master/types.js';
import { WorkerPoolMaster } from '../../src/master/worker-pool.js';

const fixture = (name: string) => new URL(`../fixtures/workers/${name}`, import.meta.url);

const pools: WorkerPoolMaster[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
function pool(module: string, threads = 2): WorkerPoolMaster<number, number> {
  const p = new WorkerPoolMaster<number, number>({ module: fixture(module), threads });
  pools.push(p as unknown as WorkerPoolMaster);
  return p;
}

interface Arrival {
  point: number;
  value: unknown;
  failed: boolean;
  tag: number;
  t0: number;
}

/** A sink that records every arrival, and the arrivals still expected. */
function recorder(): {
  sink: ResultSink<number>;
  got: Arrival[];
  all: (n: number) => Promise<void>;
} {
  const got: Arrival[] = [];
  let want = 0;
  let wake: (() => void) | undefined;
  const sink: ResultSink<number> = {
    arrive(point, value, failed, tag, t0) {
      got.push({ point, value, failed, tag, t0 });
      if (got.length >= want) wake?.();
    },
  };
  const all = (n: number) =>
    new Promise<void>((resolve) => {
      want = n;
      wake = resolve;
      if (got.length >= n) resolve();
    });
  return { sink, got, all };
}

describe('WorkerPoolMaster[kSubmit]', () => {
  it('reports each value and each thrown error once, with the tag and t0 given', async () => {
    const p = pool('throws.mjs');
    const { sink, got, all } = recorder();
    for (let x = 0; x < 40; x++) p[kSubmit](x, undefined, sink, x + 100, x / 2);
    expect(got).toEqual([]); // never inside the call
    await all(40);
    expect(got).toHaveLength(40);
    got.sort((a, b) => a.point - b.point);
    for (const a of got) {
      expect(a.tag).toBe(a.point + 100);
      expect(a.t0).toBe(a.point / 2);
      if (a.point > 0 && a.point % 5 === 0) {
        expect(a.failed).toBe(true);
        expect(a.value).toBeInstanceOf(RangeError);
        expect((a.value as Error).message).toBe(`no reading at ${a.point}`);
      } else {
        expect(a).toMatchObject({ failed: false, value: a.point * 10 });
      }
    }
  });

  it('fails the point that crashed its worker and evaluates the rest of its batch again', async () => {
    const p = pool('crash.mjs', 1);
    const { sink, got, all } = recorder();
    for (let x = 0; x < 30; x++) p[kSubmit](x, undefined, sink, 1, 0);
    await all(30);
    const failed = got.filter((a) => a.failed).map((a) => a.point);
    expect(failed.sort((a, b) => a - b)).toEqual([7, 23]);
    for (const a of got.filter((g) => g.failed)) {
      expect((a.value as Error).name).toBe('WorkerCrashError');
    }
    expect(
      got
        .filter((a) => !a.failed)
        .map((a) => a.value as number)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 30 }, (_, x) => x * 10).filter((v) => v !== 70 && v !== 230));
  });

  it('after close, and with an aborted signal, fails in a later microtask as evaluate rejects', async () => {
    const p = pool('square.mjs', 1);
    const { sink, got, all } = recorder();
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    p[kSubmit](3, ac.signal, sink, 7, 0);
    expect(got).toEqual([]);
    await all(1);
    expect(got[0]).toMatchObject({ point: 3, failed: true, tag: 7 });
    expect(((got[0] as Arrival).value as Error).name).toBe('AbortError');
    await p.close();
    p[kSubmit](4, undefined, sink, 8, 0);
    expect(got).toHaveLength(1);
    await all(2);
    expect(got[1]).toMatchObject({ point: 4, failed: true, tag: 8 });
    expect(((got[1] as Arrival).value as Error).message).toBe(
      'WorkerPoolMaster: evaluate() called after close()',
    );
  });

  it('an abort while the points wait fails each of them once', async () => {
    const p = pool('square.mjs', 1);
    const { sink, got, all } = recorder();
    const ac = new AbortController();
    for (let x = 0; x < 5; x++) p[kSubmit](x, ac.signal, sink, x, 0);
    ac.abort();
    await all(5);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(5);
    for (const a of got) {
      expect(a.failed).toBe(true);
      expect((a.value as Error).name).toBe('AbortError');
    }
  });
});
