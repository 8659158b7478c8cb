// The command line's --hull (Learner2D on a convex polygon, issue 19.3): parsed for
// --learner 2d only and instead of --bounds, a bad polygon is a usage error naming it, a run
// samples inside the polygon and draws its outline, --save/--resume keep the polygon.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand, type RunArgs } from '../../src/cli/args.js';
import { runCommand } from '../../src/cli/commands.js';
import { learnerFromSnapshot, makeLearner } from '../../src/cli/learners.js';
import type { Learner2D } from '../../src/learners/learner2d.js';
import { inConvexPolygon } from '../../src/testing/index.js';

const fixture = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'cli',
  'fixtures',
  'functions.mjs',
);
const dir = mkdtempSync(join(tmpdir(), 'as-hull-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quietIO = {
  stdout: { write: (): boolean => true },
  stderr: { write: (): boolean => true, isTTY: false },
  cwd: dir,
};
const tri: [number, number][] = [
  [-1, -1],
  [1, -0.5],
  [0, 1],
];

describe('CLI --hull', () => {
  it('parses the vertices for --learner 2d, without --bounds', () => {
    const a = parseCommand([
      'run',
      'f.mjs',
      '--learner',
      '2d',
      '--hull=-1,-1,1,-0.5,0,1',
      '--npoints-goal=9',
    ]) as RunArgs;
    expect(a.hull).toEqual(tri);
    expect(a.bounds).toBeUndefined();
  });

  it('refuses other learners, --bounds with it, and malformed lists', () => {
    const p =
      (...x: string[]) =>
      () =>
        parseCommand(['run', 'f.mjs', ...x, '--npoints-goal=9']);
    expect(p('--learner', '1d', '--hull=0,0,1,0,0,1')).toThrow(
      /--hull is for --learner 2d, not 1d/,
    );
    expect(p('--learner', '2d', '--bounds=0,1,0,1', '--hull=0,0,1,0,0,1')).toThrow(
      /give --bounds or --hull, not both/,
    );
    expect(p('--learner', '2d', '--hull=0,0,1,0,0')).toThrow(
      /at least 3 points X,Y \(an even count of numbers, 6 or more\), got 5/,
    );
    expect(p('--learner', '2d', '--hull=0,0,1,x,0,1')).toThrow(
      /'x' in '0,0,1,x,0,1' is not a finite number/,
    );
  });

  it('a polygon the learner refuses is a usage error with its message', async () => {
    const a = parseCommand([
      'run',
      fixture,
      '--export',
      'ring',
      '--learner',
      '2d',
      '--hull=0,0,1,1,2,2',
      '--npoints-goal=9',
    ]) as RunArgs;
    await expect(runCommand(a, quietIO)).rejects.toThrow(
      /the hull is degenerate: all its 3 points lie on one line/,
    );
  });

  it('makeLearner and snapshots keep the polygon', () => {
    const l = makeLearner({ kind: '2d', bounds: [], hull: tri }) as Learner2D;
    expect(l.hull).toEqual(tri);
    expect(l.ask(3).points).toEqual(tri);
    const r = learnerFromSnapshot(JSON.parse(JSON.stringify(l.snapshot())), 's.json');
    expect(r.spec).toEqual({ kind: '2d', bounds: l.bounds, hull: tri });
    expect((r.learner as Learner2D).pendingPoints).toHaveLength(3);
  });

  it('a run samples inside the polygon, plots its outline, saves and resumes', async () => {
    const args = parseCommand([
      'run',
      fixture,
      '--export',
      'ring',
      '--learner',
      '2d',
      '--hull=-1,-1,1,-0.5,0,1',
      '--npoints-goal=200',
      '--save',
      'h.json',
      '--plot',
      'h.svg',
    ]) as RunArgs;
    expect(await runCommand(args, quietIO)).toBe(0);
    const snap = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8'));
    expect(snap.hull).toEqual(tri);
    expect(snap.points).toHaveLength(200);
    expect(snap.points.every((p: [number, number]) => inConvexPolygon(p, tri))).toBe(true);
    expect(readFileSync(join(dir, 'h.svg'), 'utf8')).toContain('class="domain-outline"');
    const more = parseCommand([
      'run',
      fixture,
      '--export',
      'ring',
      '--resume',
      'h.json',
      '--npoints-goal=300',
      '--save',
      'h2.json',
    ]) as RunArgs;
    expect(await runCommand(more, quietIO)).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'h2.json'), 'utf8')).points).toHaveLength(300);
    const wrong = parseCommand([
      'run',
      fixture,
      '--export',
      'ring',
      '--resume',
      'h.json',
      '--hull=0,0,1,0,0,1',
      '--npoints-goal=300',
    ]) as RunArgs;
    await expect(runCommand(wrong, quietIO)).rejects.toThrow(
      /--hull 0,0,1,0,0,1 does not match h\.json: -1,-1,1,-0\.5,0,1/,
    );
  });
});
