import { describe, expect, it } from 'vitest';
import { InlineMaster } from '../../src/master/inline.js';
import { isMaster } from '../../src/master/types.js';
import { conformanceFunction } from '../../src/testing/conformance-function.js';
import { controlled, flush } from '../runner/fake-learner.js';
import { masterConformance } from './conformance.js';

describe('InlineMaster', () => {
  it('evaluates a synchronous function', async () => {
    const m = new InlineMaster((x: number) => x * x);
    expect(m.concurrency).toBe(1);
    await expect(m.evaluate(3)).resolves.toBe(9);
    expect(isMaster(m)).toBe(true);
  });

  it('evaluates an async function', async () => {
    const m = new InlineMaster(async (x: number) => x + 1, { concurrency: 3 });
    expect(m.concurrency).toBe(3);
    await expect(Promise.all([1, 2, 3].map((x) => m.evaluate(x)))).resolves.toEqual([2, 3, 4]);
  });

  it('rejects with what the function throws or rejects with', async () => {
    const boom = new Error('boom');
    const sync = new InlineMaster(() => {
      throw boom;
    });
    await expect(sync.evaluate(1)).rejects.toBe(boom);
    const asyncM = new InlineMaster(async () => {
      throw boom;
    });
    await expect(asyncM.evaluate(1)).rejects.toBe(boom);
  });

  it('keeps at most `concurrency` async calls running, the rest wait in order', async () => {
    const c = controlled<number, number>();
    const m = new InlineMaster(c.fn, { concurrency: 2 });
    const results = [1, 2, 3, 4].map((x) => m.evaluate(x));
    expect(c.calls.map((x) => x.point)).toEqual([1, 2]);
    expect(m.running).toBe(2);
    expect(m.queued).toBe(2);
    c.calls[1]?.resolve(20);
    await flush();
    expect(c.calls.map((x) => x.point)).toEqual([1, 2, 3]);
    c.calls[0]?.resolve(10);
    c.calls[2]?.resolve(30);
    await flush();
    c.calls[3]?.resolve(40);
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40]);
    expect(m.running).toBe(0);
    expect(m.queued).toBe(0);
  });

  it('rejects with an AbortError when the signal is already aborted, without calling fn', async () => {
    let calls = 0;
    const m = new InlineMaster((x: number) => {
      calls++;
      return x;
    });
    const ac = new AbortController();
    ac.abort();
    await expect(m.evaluate(1, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(0);
  });

  it('rejects with an AbortError when aborted before the result arrives', async () => {
    const c = controlled<number, number>();
    const m = new InlineMaster(c.fn);
    const ac = new AbortController();
    const p = m.evaluate(1, ac.signal);
    ac.abort(new Error('stop'));
    const err = await p.catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect((err as { cause?: unknown }).cause).toEqual(new Error('stop'));
    c.calls[0]?.resolve(1); // the late result is dropped
    await flush();
    expect(m.running).toBe(0);
  });

  it('never starts a queued call whose signal aborted', async () => {
    const c = controlled<number, number>();
    const m = new InlineMaster(c.fn, { concurrency: 1 });
    const first = m.evaluate(1);
    const ac = new AbortController();
    const second = m.evaluate(2, ac.signal);
    ac.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    c.calls[0]?.resolve(1);
    await expect(first).resolves.toBe(1);
    await flush();
    expect(c.calls).toHaveLength(1);
  });

  it('a result before the abort wins', async () => {
    const m = new InlineMaster(async (x: number) => x);
    const ac = new AbortController();
    const p = m.evaluate(5, ac.signal);
    await flush();
    ac.abort();
    await expect(p).resolves.toBe(5);
  });

  it('close() rejects queued and later calls, and is idempotent', async () => {
    const c = controlled<number, number>();
    const m = new InlineMaster(c.fn);
    const running = m.evaluate(1);
    const queued = m.evaluate(2);
    await m.close();
    await m.close();
    expect(m.closed).toBe(true);
    await expect(queued).rejects.toThrow(/closed before the evaluation started/);
    await expect(m.evaluate(3)).rejects.toThrow(/after close/);
    c.calls[0]?.resolve(7); // a running call finishes on its own
    await expect(running).resolves.toBe(7);
  });

  it('supports await using (Symbol.asyncDispose)', async () => {
    const m = new InlineMaster((x: number) => x);
    await m[Symbol.asyncDispose]();
    expect(m.closed).toBe(true);
  });

  it('validates its arguments with errors naming the problem', () => {
    expect(() => new InlineMaster(42 as never)).toThrow(TypeError);
    expect(() => new InlineMaster(42 as never)).toThrow(/fn must be a function, got 42/);
    expect(() => new InlineMaster((x: number) => x, { concurrency: 0 })).toThrow(RangeError);
    expect(() => new InlineMaster((x: number) => x, { concurrency: 1.5 })).toThrow(
      /InlineMaster: concurrency must be a positive integer, got 1.5/,
    );
    expect(() => new InlineMaster((x: number) => x, { concurrency: '2' as never })).toThrow(
      TypeError,
    );
    expect(() => new InlineMaster((x: number) => x, { concurency: 2 } as never)).toThrow(
      /InlineMaster: unknown option 'concurency' \(did you mean 'concurrency'\?\)/,
    );
    expect(() => new InlineMaster((x: number) => x, null as never)).toThrow(TypeError);
  });
});

masterConformance('InlineMaster', () => new InlineMaster(conformanceFunction, { concurrency: 4 }));
