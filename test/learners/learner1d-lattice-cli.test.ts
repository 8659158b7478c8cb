// The command line's --integer (every dimension integer: 1d, 2d, nd) and --integer-dims
// (2d, nd): --integer lets a run go without a goal (it stops when the lattice is full), both
// survive --save/--resume.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { integerFlags, parseCommand, type RunArgs } from '../../src/cli/args.js';
import { runCommand } from '../../src/cli/commands.js';
import { learnerFromSnapshot, makeLearner } from '../../src/cli/learners.js';
import { Learner1D } from '../../src/learners/learner1d.js';

const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'cli',
  'fixtures',
  'functions.mjs',
);
const dir = mkdtempSync(join(tmpdir(), 'as-lattice-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quietIO = {
  stdout: { write: (): boolean => true },
  stderr: { write: (): boolean => true, isTTY: false },
  cwd: dir,
};

describe('CLI --integer', () => {
  it('parses for --learner 1d, and needs no goal then', () => {
    const a = parseCommand(['run', 'f.mjs', '--learner', '1d', '--bounds=0,9', '--integer']);
    expect((a as RunArgs).integer).toBe(true);
    const b = parseCommand(['run', 'f.mjs', '--learner', '1d', '--bounds=0,9', '--npoints-goal=3']);
    expect((b as RunArgs).integer).toBe(false);
  });

  it('is refused for other learners; --integer-dims for 2d and nd only, checked', () => {
    expect(() =>
      parseCommand(['run', 'f.mjs', '--learner', 'sparse', '--bounds=0,1,0,1', '--integer']),
    ).toThrow(/--integer is for --learner 1d or 2d or nd, not sparse/);
    expect(() =>
      parseCommand([
        'run',
        'f.mjs',
        '--learner',
        '1d',
        '--bounds=0,1',
        '--integer-dims=0',
        '--npoints-goal=3',
      ]),
    ).toThrow(/--integer-dims is for --learner 2d or nd, not 1d/);
    const a = parseCommand([
      'run',
      'f.mjs',
      '--learner',
      'nd',
      '--bounds=0,9,0,1,0,1',
      '--integer-dims=0,2',
      '--npoints-goal=5',
    ]) as RunArgs;
    expect(a.integerDims).toEqual([0, 2]);
    expect(integerFlags(a, 3)).toEqual([true, false, true]);
    expect(() =>
      parseCommand([
        'run',
        'f.mjs',
        '--learner',
        '2d',
        '--bounds=0,9,0,1',
        '--integer-dims=2',
        '--npoints-goal=3',
      ]),
    ).toThrow(/--integer-dims must list dimensions 0 to 1/);
    expect(() =>
      parseCommand([
        'run',
        'f.mjs',
        '--learner',
        '2d',
        '--bounds=0,9,0,1',
        '--integer-dims=0,0',
        '--npoints-goal=3',
      ]),
    ).toThrow(/lists a dimension twice/);
    expect(() =>
      parseCommand(['run', 'f.mjs', '--learner', '2d', '--bounds=0,9,0,1', '--integer-dims=0']),
    ).toThrow(/missing goal/);
    expect(() =>
      parseCommand([
        'run',
        'f.mjs',
        '--learner',
        '2d',
        '--bounds=0,9,0,1',
        '--integer',
        '--integer-dims=0',
      ]),
    ).toThrow(/not both/);
  });

  it('makeLearner builds lattice Learner2D and LearnerND; their snapshots resume as lattices', () => {
    const l2 = makeLearner({
      kind: '2d',
      bounds: [
        [0, 2],
        [0, 1],
      ],
      integer: [true, true],
    });
    expect(l2.ask(20).points).toHaveLength(6);
    const r2 = learnerFromSnapshot(JSON.parse(JSON.stringify(l2.snapshot())), 's2.json');
    expect(r2.spec).toEqual({
      kind: '2d',
      bounds: [
        [0, 2],
        [0, 1],
      ],
      integer: [true, true],
    });
    const ln = makeLearner({
      kind: 'nd',
      bounds: [
        [0, 5],
        [0, 3],
      ],
      integer: [true, true],
    });
    expect(ln.ask(30).points.every((p) => (p as number[]).every(Number.isInteger))).toBe(true);
    const rn = learnerFromSnapshot(JSON.parse(JSON.stringify(ln.snapshot())), 'sn.json');
    expect(rn.spec).toEqual({
      kind: 'nd',
      bounds: [
        [0, 5],
        [0, 3],
      ],
      integer: [true, true],
    });
    const mixed = makeLearner({
      kind: 'nd',
      bounds: [
        [0, 5],
        [0, 1],
        [0, 1],
      ],
      integer: [true, false, false],
    });
    expect(mixed.ask(30).points.every((p) => Number.isInteger((p as number[])[0]))).toBe(true);
    const rm = learnerFromSnapshot(JSON.parse(JSON.stringify(mixed.snapshot())), 'sm.json');
    expect(rm.spec).toMatchObject({ kind: 'nd', integer: [true, false, false] });
  });

  it('makeLearner builds a lattice Learner1D; its snapshot resumes as one', () => {
    const l = makeLearner({ kind: '1d', bounds: [[0, 3]], integer: true }) as Learner1D;
    expect(l.ask(10).points).toEqual([0, 1, 2, 3]);
    const r = learnerFromSnapshot(JSON.parse(JSON.stringify(l.snapshot())), 's.json');
    expect(r.spec).toEqual({ kind: '1d', bounds: [[0, 3]], integer: true });
    expect((r.learner as Learner1D).pendingPoints).toEqual([0, 1, 2, 3]);
    const c = new Learner1D({ bounds: [0, 3] });
    expect(learnerFromSnapshot(c.snapshot(), 'c.json').spec).toEqual({
      kind: '1d',
      bounds: [[0, 3]],
    });
  });

  it('a run with no goal samples each integer once and stops; --resume with --integer checks', async () => {
    const args = parseCommand([
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-20,20',
      '--integer',
      '--save',
      'lat.json',
    ]) as RunArgs;
    expect(await runCommand(args, quietIO)).toBe(0);
    const snap = JSON.parse(readFileSync(join(dir, 'lat.json'), 'utf8'));
    expect(snap.integer).toBe(true);
    expect(snap.x).toEqual(Array.from({ length: 41 }, (_, i) => i - 20));
    const c = new Learner1D({ bounds: [0, 1] });
    c.tellMany([0, 1], [0, 1]);
    const cont = join(dir, 'cont.json');
    writeFileSync(cont, JSON.stringify(c.snapshot()));
    const resume = parseCommand(['run', fixture, '--resume', 'cont.json', '--integer']) as RunArgs;
    await expect(runCommand(resume, quietIO)).rejects.toThrow(
      /--integer does not match cont\.json/,
    );
  });

  it('a 2-D run with --integer and no goal evaluates the whole lattice and stops', async () => {
    const args = parseCommand([
      'run',
      fixture,
      '--export',
      'ring',
      '--learner',
      '2d',
      '--bounds=0,6,-2,2',
      '--integer',
      '--save',
      'lat2.json',
    ]) as RunArgs;
    expect(await runCommand(args, quietIO)).toBe(0);
    const snap = JSON.parse(readFileSync(join(dir, 'lat2.json'), 'utf8'));
    expect(snap.integer).toEqual([true, true]);
    expect(snap.points).toHaveLength(35);
    const resume = parseCommand([
      'run',
      fixture,
      '--export',
      'ring',
      '--resume',
      'lat2.json',
      '--integer-dims=0',
      '--npoints-goal=40',
    ]) as RunArgs;
    await expect(runCommand(resume, quietIO)).rejects.toThrow(
      /--integer-dims does not match lat2\.json, a snapshot with integer: \[true,true\]/,
    );
  });
});
