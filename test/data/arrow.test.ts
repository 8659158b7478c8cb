// The Arrow functions are synchronous (API.md: `toArrow(learner); // an apache-arrow Table`):
// apache-arrow is loaded through the runtime's require, or passed as `{ arrow }` (browsers,
// bundles); when neither works the error says it is an optional peer, how to install it and
// how to pass it.
import * as A from 'apache-arrow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ArrowModule,
  arrowModule,
  requireArrow,
  requirePackage,
} from '../../src/data/arrow.js';
import { fromArrow, loadData, toArrow, toArrowIPC, toRows } from '../../src/data/index.js';
import { AverageLearner1D, Learner1D } from '../../src/index.js';

function learner(): Learner1D {
  const l = new Learner1D({ bounds: [-1, 1] });
  l.tellMany([-1, 0, 0.5, 1], [1, 0, 0.25, 1]);
  return l;
}

/** The apache-arrow module with call counters on what toArrow and fromArrow use. */
function counted(): { arrow: ArrowModule; calls: Record<string, number> } {
  const calls = { vectorFromArray: 0, tableToIPC: 0, tableFromIPC: 0 };
  const arrow = {
    ...A,
    vectorFromArray: (...args: Parameters<typeof A.vectorFromArray>) => {
      calls.vectorFromArray++;
      return A.vectorFromArray(...args);
    },
    tableToIPC: (...args: Parameters<typeof A.tableToIPC>) => {
      calls.tableToIPC++;
      return A.tableToIPC(...args);
    },
    tableFromIPC: (...args: Parameters<typeof A.tableFromIPC>) => {
      calls.tableFromIPC++;
      return A.tableFromIPC(...args);
    },
  } as unknown as ArrowModule;
  return { arrow, calls };
}

const notInstalled = (): ArrowModule => requirePackage('apache-arrow-not-installed') as never;

describe('toArrow without await (Node)', () => {
  it('toArrow(l).numRows and the cells, with no await', () => {
    const l = learner();
    const t = toArrow(l);
    expect(t).not.toBeInstanceOf(Promise);
    expect(toArrow(l).numRows).toBe(4);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['x', 'y']);
    expect(t.getChild('x')?.toArray()).toEqual(new Float64Array([-1, 0, 0.5, 1]));
    expect(t.getChild('y')?.get(2)).toBe(0.25);
  });

  it('toArrowIPC and fromArrow of bytes are synchronous and round-trip', () => {
    const l = learner();
    const bytes = toArrowIPC(l);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(fromArrow(bytes)).toEqual(toRows(l));
    expect(fromArrow(bytes.slice().buffer)).toEqual(toRows(l));
    const c = l.new();
    expect(loadData(c, fromArrow(bytes)).told).toBe(4);
    expect(toRows(c)).toEqual(toRows(l));
  });

  it('Int32 seeds: AverageLearner1D', () => {
    const l = new AverageLearner1D({ bounds: [0, 1] });
    l.tellMany(
      [
        [0, 0],
        [1, 0],
        [2, 1],
      ],
      [1, 2, 3],
    );
    const t = toArrow(l);
    expect(t.numRows).toBe(3);
    expect(String(t.schema.fields.find((f) => f.name === 'seed')?.type)).toBe('Int32');
    expect([...(t.getChild('seed')?.toArray() ?? [])]).toEqual([0, 1, 2]);
  });

  // A regression test for the dual package: requiring 'apache-arrow' gives its CommonJS
  // build, a second copy of the classes whose Tables make the caller's tableToIPC throw
  // ("Cannot destructure property 'length'"). The loader requires the ES module build.
  it('one copy of apache-arrow: the Table goes through the caller’s tableToIPC', () => {
    expect(requireArrow()).toBe(A);
    const t = toArrow(learner());
    expect(t).toBeInstanceOf(A.Table);
    expect(A.tableFromIPC(A.tableToIPC(t, 'file')).numRows).toBe(4);
  });
});

describe('{ arrow }: the module passed in (browsers, bundles)', () => {
  it('toArrow, toArrowIPC and fromArrow use the module given', () => {
    const { arrow, calls } = counted();
    const l = learner();
    const t = toArrow(l, { arrow });
    expect(t.numRows).toBe(4);
    expect(t.getChild('y')?.get(3)).toBe(1);
    expect(calls.vectorFromArray).toBe(2); // one per column
    const bytes = toArrowIPC(l, { arrow });
    expect(calls.tableToIPC).toBe(1);
    expect(fromArrow(bytes, { arrow })).toEqual(toRows(l));
    expect(calls.tableFromIPC).toBe(1);
  });

  it('the loader is not asked when the module is given', () => {
    const load = vi.fn(notInstalled);
    expect(arrowModule('toArrow', { arrow: A }, load)).toBe(A);
    expect(load).not.toHaveBeenCalled();
  });

  it('something else than the module is a TypeError naming the option', () => {
    expect(() => toArrow(learner(), { arrow: { default: A } as never })).toThrow(
      /^toArrow: options\.arrow must be the apache-arrow module \(await import\('apache-arrow'\)\), got an object with keys default$/,
    );
    expect(() => fromArrow(toArrowIPC(learner()), { arrow: 5 as never })).toThrow(TypeError);
  });
});

describe('apache-arrow missing: a clear error', () => {
  const stubs: (() => void)[] = [];
  afterEach(() => {
    for (const undo of stubs.splice(0)) undo();
  });

  it('not installed: an optional peer dependency, npm install, { arrow } in a browser', () => {
    let err: unknown;
    try {
      arrowModule('toArrow', undefined, notInstalled);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    const m = (err as Error).message;
    expect(m).toMatch(/^toArrow needs apache-arrow, an optional peer dependency/);
    expect(m).toContain('npm install apache-arrow');
    expect(m).toContain("toArrow(..., { arrow: await import('apache-arrow') })");
    expect(m).toContain("Cannot find module 'apache-arrow-not-installed'");
    expect(((err as Error).cause as { code?: string }).code).toBe('MODULE_NOT_FOUND');
  });

  it('a runtime without process.getBuiltinModule (a browser): pass { arrow }', () => {
    const proc = globalThis.process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    stubs.push(() => {
      proc.getBuiltinModule = saved;
    });
    expect(() => arrowModule('fromArrow', undefined, () => requireArrow())).toThrow(
      /^fromArrow needs apache-arrow, and this runtime \(a browser or a bundle\?\) cannot load it synchronously: pass the module: fromArrow\(\.\.\., \{ arrow: await import\('apache-arrow'\) \}\)\. apache-arrow is an optional peer dependency: npm install apache-arrow$/,
    );
    // Passing it works there.
    expect(toArrow(learner(), { arrow: A }).numRows).toBe(4);
  });

  it('a loaded module that is not apache-arrow says which version is needed', () => {
    expect(() => arrowModule('toArrowIPC', undefined, () => ({}) as ArrowModule)).toThrow(
      /^toArrowIPC: the apache-arrow that was loaded lacks .*install apache-arrow >= 14/,
    );
  });

  it('reading a Table needs no apache-arrow: loadData and fromArrow of a Table-like object', () => {
    const cols: Record<string, number[]> = { x: [0, 0.5], y: [1, 2] };
    const table = {
      numRows: 2,
      schema: { fields: [{ name: 'x' }, { name: 'y' }] },
      getChild: (name: string) => ({ get: (i: number) => cols[name]?.[i] }),
    };
    const l = new Learner1D({ bounds: [0, 1] });
    expect(loadData(l, table).told).toBe(2);
    expect(toRows(l)).toEqual([
      { x: 0, y: 1 },
      { x: 0.5, y: 2 },
    ]);
    expect(fromArrow(table)).toEqual(toRows(l));
  });
});
