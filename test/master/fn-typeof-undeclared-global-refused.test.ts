// Regression (issue 13): the closure check of the fn form (run(learner, f, { threads }),
// WorkerPoolMaster({ fn })) refused `typeof undeclaredName` as a variable from the
// function's surroundings. `typeof` on an undeclared name gives 'undefined' instead of
// throwing: legal JavaScript and safe on another thread (the usual runtime probe,
// `typeof Deno !== 'undefined'`). Now a name used only as the whole operand of `typeof` is
// accepted; any other use of it, and `typeof x.y` (reading .y of an undeclared x throws),
// is still refused.
import { describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { freeVariables } from '../../src/master/fn-source.js';
import { WorkerPoolMaster } from '../../src/master/worker-pool.js';
import { run } from '../../src/runner/node.js';

describe('typeof of an undeclared name in a function sent to the threads', () => {
  it('is accepted as the whole operand of typeof, in any position', () => {
    const ok = [
      "(x) => (typeof Deno !== 'undefined' ? 0 : x)",
      "(x) => { if (typeof window === 'object') return 0; return x; }",
      '(x) => typeof (notDeclared) === typeof alsoNot ? x : -x',
      "(x) => [typeof a, typeof b].join('') + x",
      "(x) => { const f = () => typeof deep; return f() === 'undefined' ? x : 0; }",
    ];
    for (const src of ok) expect(freeVariables(`(${src})`), src).toEqual([]);
  });

  it('is still refused when the name is used otherwise, or typeof reads a property of it', () => {
    expect(freeVariables("((x) => (typeof cfg !== 'undefined' ? cfg.a : x))")).toEqual(['cfg']);
    expect(freeVariables('((x) => typeof cfg.a)')).toEqual(['cfg']);
    expect(freeVariables('((x) => typeof cfg[x])')).toEqual(['cfg']);
    expect(freeVariables('((x) => typeof cfg() + x)')).toEqual(['cfg']);
    expect(freeVariables('((x) => -missing + typeof other)')).toEqual(['missing']);
    const f = (x: number) => x + (typeof scale === 'number' ? scale : 1);
    const p = () => new WorkerPoolMaster({ fn: f, threads: 1 });
    expect(p).toThrow("fn uses 'scale' from its surroundings");
  });

  it('a run on threads with a typeof probe evaluates on the threads', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    const s = await run(learner, (x: number) => (typeof Deno !== 'undefined' ? -1 : 2 * x), {
      threads: 1,
      npointsGoal: 5,
    });
    expect(s.npoints).toBe(5);
    const { x, y } = learner.toArrays();
    expect(Array.from(y)).toEqual(Array.from(x, (v) => 2 * v));
  });
});

declare const Deno: unknown;
declare const scale: number;
