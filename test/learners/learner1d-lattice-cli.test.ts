// The command line's --integer (Learner1D integer: true): parsed for --learner 1d only,
// lets a run go without a goal (it stops when the lattice is full), survives --save/--resume.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand, type RunArgs } from '../../src/cli/args.js';
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

  it('is refused for other learners', () => {
    expect(() =>
      parseCommand(['run', 'f.mjs', '--learner', '2d', '--bounds=0,1,0,1', '--integer']),
    ).toThrow(/--integer is for --learner 1d, not 2d/);
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
});
