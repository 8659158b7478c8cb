/**
 * WorkerPoolMaster's `fn` form and `run(learner, f, { threads })`: a self-contained function
 * is sent to the threads by its source; one that uses a variable from its surroundings is
 * refused at once, by name; failures behave as in the module form.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { freeVariables, functionModule } from '../../src/master/fn-source.js';
import { WorkerPoolMaster } from '../../src/master/worker-pool.js';
import { Runner, run } from '../../src/runner/node.js';
import { run as coreRun } from '../../src/runner/runner.js';
import { IntegerLearner } from '../runner/fake-learner.js';
import { masterConformance } from './conformance.js';

const fixture = (name: string) => new URL(`../fixtures/workers/${name}`, import.meta.url);

const pools: WorkerPoolMaster[] = [];
function pool<P = number, V = number>(
  options: ConstructorParameters<typeof WorkerPoolMaster<P, V>>[0],
): WorkerPoolMaster<P, V> {
  const p = new WorkerPoolMaster<P, V>(options);
  pools.push(p as unknown as WorkerPoolMaster);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

type Settled<V> = { ok: true; value: V } | { ok: false; error: Error };
const settle = <V>(p: Promise<V>): Promise<Settled<V>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );

// The conformance function of src/testing/conformance-function.ts, self-contained.
masterConformance(
  'WorkerPoolMaster (fn)',
  () =>
    new WorkerPoolMaster<number, number>({
      fn: (x: number): number | Promise<number> => {
        const peak = (t: number) => t + 0.01 / (0.01 + t * t);
        if (x >= 1e6 && x < 2e6) throw new Error(`conformance error at ${x}`);
        if (x >= 2e6 && x < 3e6) {
          return new Promise((resolve) => setTimeout(() => resolve(peak(x)), x - 2e6));
        }
        if (x === 3e6) return new Promise<number>(() => undefined);
        return peak(x);
      },
      threads: 2,
    }),
);

describe('fn form: variables from the surroundings are refused by name', () => {
  const a = 2;
  const b = { k: 3 };
  const scale = (x: number) => x * a;

  it('a closure over one variable: a ReferenceError at construction naming it and saying how to pass it', () => {
    let err: unknown;
    try {
      new WorkerPoolMaster({ fn: (x: number) => Math.sin(a * x), threads: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReferenceError);
    expect((err as Error).message).toBe(
      "WorkerPoolMaster: fn uses 'a' from its surroundings, which the worker threads do not have (only its source is sent). Pass it as context, the function's second argument: (x, ctx) => ... ctx.a ... with the option context: { a }; or move the function into a module ({ module, exportName }). Context holds data only (structured clone): a function fn calls must be defined inside fn",
    );
  });

  it('every free variable is named, in order of use, wherever it hides', () => {
    const cases: [(x: number) => unknown, string[]][] = [
      [(x) => a + b.k + x, ['a', 'b']],
      [(x) => scale(x), ['scale']],
      [
        (x) => {
          const inner = (y: number) => y * a;
          return inner(x);
        },
        ['a'],
      ],
      [(x) => [1, 2].map((y) => y + x + b.k), ['b']],
      [
        function (this: unknown, x: number) {
          // biome-ignore lint/complexity/noArguments: a function's own arguments are not free
          return x + (arguments.length > 1 ? a : 0);
        },
        ['a'],
      ],
      [(x = a) => x, ['a']],
      [(x) => ({ [`${a}`]: x }), ['a']],
    ];
    for (const [fn, names] of cases) {
      expect(() => new WorkerPoolMaster({ fn: fn as (x: never) => unknown, threads: 1 })).toThrow(
        `fn uses ${names.map((n) => `'${n}'`).join(', ')} from its surroundings`,
      );
    }
  });

  it('globals of every thread, inner declarations, destructuring, classes and labels are not free', () => {
    const ok = [
      '(x) => Math.sin(x) ** 2 + Number.EPSILON',
      '(x) => { const t = new Float64Array(3); t[0] = x; return t[0] + performance.now() * 0; }',
      '(p) => { const [x, y = 1] = p; const { length } = p; return x * y + length; }',
      'function f(n) { return n <= 1 ? 1 : n * f(n - 1); }',
      '(x) => { function g(y) { return h(y); } function h(y) { return y; } return g(x); }',
      '(x) => { class C { m() { return x; } } return new C().m(); }',
      '(x) => { outer: for (let i = 0; i < 2; i++) { for (;;) { break outer; } } return x; }',
      '(x, ctx) => ctx.a * x + JSON.parse("1") + structuredClone(x)',
      '(x) => { try { return x; } catch (e) { return e; } }',
      'async (x) => { const m = await import("node:os"); return m.cpus().length + x; }',
    ];
    for (const src of ok) expect(freeVariables(`(${src})`)).toEqual([]);
    expect(freeVariables('((x) => x + missing)')).toEqual(['missing']);
    // A global added by this program is not in the workers.
    (globalThis as Record<string, unknown>).addedByTheProgram = 1;
    try {
      expect(freeVariables('((x) => x + addedByTheProgram)')).toEqual(['addedByTheProgram']);
    } finally {
      delete (globalThis as Record<string, unknown>).addedByTheProgram;
    }
  });

  it('functions without source, classes and other values are refused with what to do', () => {
    expect(() => functionModule(Math.sin, 'X')).toThrow(
      'X: fn is a built-in or bound function, which has no source to send to the threads; wrap it in one that has: (x) => Math.sin(x)',
    );
    expect(() => functionModule(((x: number) => x).bind(null), 'X')).toThrow(/built-in or bound/);
    expect(() => functionModule(class {}, 'X')).toThrow('X: fn is a class; pass a function');
    expect(() => functionModule(42, 'X')).toThrow('X: fn must be a function, got number');
    expect(
      () => new WorkerPoolMaster({ fn: (x: number) => x, module: fixture('square.mjs') }),
    ).toThrow('WorkerPoolMaster: pass either fn or module (with exportName), not both');
    expect(() => new WorkerPoolMaster({} as never)).toThrow(/pass the function: fn .* or module/);
    expect(
      () => new WorkerPoolMaster({ fn: (x: number) => x, context: { f: () => 1 }, threads: 1 }),
    ).toThrow(/context must be a value that can be sent to a thread/);
  });

  it('run() with threads refuses a closure before any point is asked; the learner is untouched', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    await expect(
      run(learner, (x: number) => x * a, { threads: 2, npointsGoal: 100 }),
    ).rejects.toThrow("run: fn uses 'a' from its surroundings");
    expect(learner.npoints).toBe(0);
    expect(learner.pendingPoints).toEqual([]);
  });

  it('methods and named functions are sent too; context reaches the function', async () => {
    const obj = {
      m(x: number) {
        return x + 1;
      },
    };
    await expect(pool({ fn: obj.m, threads: 1 }).evaluate(2)).resolves.toBe(3);
    function fact(n: number): number {
      return n <= 1 ? 1 : n * fact(n - 1);
    }
    await expect(pool({ fn: fact, threads: 1 }).evaluate(5)).resolves.toBe(120);
    const withCtx = pool<number, number>({
      fn: (x: number, ctx: { a: number; t: Float64Array }) => ctx.a * x + (ctx.t[1] as number),
      context: { a: 3, t: new Float64Array([0, 0.5]) },
      threads: 2,
    });
    await expect(withCtx.evaluate(2)).resolves.toBe(6.5);
  });
});

describe('fn form: failures as in the module form', () => {
  const crash = (x: number) => {
    if ([7, 23, 41].includes(x)) process.exit(1);
    return x * 10;
  };
  const throws = (x: number) => {
    if (x > 0 && x % 5 === 0) throw new RangeError(`no reading at ${x}`);
    return x * 10;
  };
  const hang = (x: number) => {
    if (x === 13) for (;;) {}
    return x * 10;
  };
  for (const [name, fn, module] of [
    ['process.exit(1) on some points', crash, 'crash.mjs'],
    ['a throw on some points', throws, 'throws.mjs'],
    ['an endless loop on one point', hang, 'hang.mjs'],
  ] as const) {
    it(`${name}: the same failures (kind, attempts, message) and the same data as the module form`, async () => {
      const go = async (evaluate: WorkerPoolMaster<number, number>) => {
        const learner = new IntegerLearner(60, { noReask: true });
        const s = await run(learner, evaluate, {
          npointsGoal: 60,
          retries: 1,
          raiseIfRetriesExceeded: false,
        });
        const failures = s.failures
          .map((f) => ({ ...f, error: f.error.replace(/ at .*$/s, '') }))
          .sort((p, q) => p.point - q.point);
        const data = [...learner.data].sort((p, q) => p[0] - q[0]);
        return { reason: s.reason, evaluations: s.evaluations, failures, data };
      };
      const byFn = await go(pool({ fn, threads: 2, timeoutMs: 1000 }));
      const byModule = await go(pool({ module: fixture(module), threads: 2, timeoutMs: 1000 }));
      expect(byFn).toEqual(byModule);
      // A given-up point is told NaN: every point is told.
      expect(byFn.reason).toBe('npointsGoal');
      expect(byFn.failures.length).toBeGreaterThan(0);
      for (const f of byFn.failures) expect(f.attempts).toBe(2);
    });
  }

  it('a crash in the running batch does not fail the batch waiting behind it in the same worker', async () => {
    // One thread, cheap points: every batch has a successor queued in the worker.
    const p = pool<number, number>({
      fn: (x: number) => {
        if (x === 500) process.exit(1);
        return x * 10;
      },
      threads: 1,
      batchSize: 16,
    });
    for (let i = 0; i < 200; i++) await p.evaluate(1000 + i);
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const rs = await Promise.all(xs.map((x) => settle(p.evaluate(x))));
    for (const x of xs) {
      const r = rs[x] as Settled<number>;
      if (x === 500) expect((r as { error: Error }).error.name).toBe('WorkerCrashError');
      else expect(r).toEqual({ ok: true, value: x * 10 });
    }
    expect(p.stats.crashes).toBe(1);
  });

  it('a timeout in the running batch does not fail the batch waiting behind it', async () => {
    const p = pool<number, number>({
      fn: (x: number) => {
        const end = Date.now() + (x === 30 ? 1e9 : 2);
        while (Date.now() < end) {
          // busy
        }
        return x * 10;
      },
      threads: 1,
      timeoutMs: 500,
    });
    await p.evaluate(1);
    await p.evaluate(2); // measured: the pool now prefetches
    expect(p.concurrency).toBeGreaterThan(1);
    const xs = Array.from({ length: 60 }, (_, i) => i);
    const rs = await Promise.all(xs.map((x) => settle(p.evaluate(x))));
    for (const x of xs) {
      const r = rs[x] as Settled<number>;
      if (x === 30) expect((r as { error: Error }).error.name).toBe('TimeoutError');
      else expect(r).toEqual({ ok: true, value: x * 10 });
    }
    expect(p.stats.timeouts).toBe(1);
  });
});

describe('run(learner, f, { threads })', () => {
  const f = (x: number) => Math.sin(x) ** 2;

  it('evaluates on threads: every value equals the function here, bit for bit; the pool is closed after', async () => {
    const learner = new Learner1D({ bounds: [-2, 2] });
    const runner = new Runner(learner, f, { threads: 2, npointsGoal: 500 });
    const s = await runner.start().done;
    expect(s.npoints).toBeGreaterThanOrEqual(500);
    for (const { x, y } of learner.toRecords()) expect(y).toBe(f(x));
    const made = runner.master as WorkerPoolMaster<number, number>;
    expect(made).toBeInstanceOf(WorkerPoolMaster);
    expect(made.module.startsWith('data:text/javascript')).toBe(true);
    expect(made.threads).toBe(2);
    expect(made.closed).toBe(true);
    expect(made.stats.liveWorkers).toBe(0);
  });

  it('gives the same learner as the module form for the same function (every point, every value)', async () => {
    const go = async (evaluate: Parameters<typeof run<number, number>>[1], threads?: number) => {
      const learner = new IntegerLearner(300, { noReask: true });
      const s = await run(learner, evaluate, {
        npointsGoal: 300,
        ...(threads === undefined ? {} : { threads }),
      });
      return { npoints: s.npoints, data: [...learner.data].sort((p, q) => p[0] - q[0]) };
    };
    const square = (x: number) => x * x;
    const byFn = await go(square, 2);
    const byModule = await go({ module: fixture('square.mjs'), threads: 2 });
    expect(byFn).toEqual(byModule);
    expect(byFn.npoints).toBe(300);
  });

  it('context is passed to the function on every thread', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    await run(learner, (x: number, ctx: { a: number }) => ctx.a * x, {
      threads: 2,
      context: { a: 7 },
      npointsGoal: 50,
    });
    for (const { x, y } of learner.toRecords()) expect(y).toBe(7 * x);
  });

  it('bad combinations say what is wrong', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    await expect(run(learner, f, { threads: 0, npointsGoal: 5 })).rejects.toThrow(
      /run: threads must be a positive integer/,
    );
    await expect(run(learner, f, { context: { a: 1 }, npointsGoal: 5 })).rejects.toThrow(
      'run: context is for a function run on threads; pass threads too',
    );
    const p = pool({ module: fixture('square.mjs'), threads: 1 });
    await expect(run(learner, p, { threads: 2, npointsGoal: 5 })).rejects.toThrow(
      /run: threads is for a plain function/,
    );
    // The browser-safe core runner has no threads.
    await expect(coreRun(learner, f, { threads: 2, npointsGoal: 5 })).rejects.toThrow(
      /run: threads need Node worker threads .* leave threads out to run the function here/,
    );
    expect(learner.npoints).toBe(0);
  });

  it('a function that throws on threads fails the run naming the point, as the module form', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    const err = await run(
      learner,
      (x: number) => {
        if (x > 0.4 && x < 0.6) throw new RangeError(`bad ${x}`);
        return x;
      },
      { threads: 2, npointsGoal: 100 },
    ).catch((e: unknown) => e);
    const m = /^run: evaluating point (\S+) failed after 1 attempt: bad (\S+)$/.exec(
      (err as Error).message,
    );
    expect(m?.[1]).toBe(m?.[2]);
    expect(Number(m?.[1])).toBeGreaterThan(0.4);
    expect(Number(m?.[1])).toBeLessThan(0.6);
    await vi.waitFor(() => expect(learner.pendingPoints).toEqual([]));
  });
});
