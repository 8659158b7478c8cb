// The command line's data files, run in-process through main(): --out FILE.csv|.arrow|.json,
// run --load FILE (sampling goes on from earlier data), plot FILE.csv|.arrow, and the
// messages for bad files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadData, toCSV, toRows } from '../../src/data/index.js';
import { Learner1D, Learner2D } from '../../src/index.js';
import { byClass, parseSvg } from '../plot/svg-parse.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'functions.mjs');
const dir = mkdtempSync(join(tmpdir(), 'as-cli-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false } as never,
    cwd: dir,
  });
  return { code, stdout, stderr };
}

const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

describe('run --out', () => {
  it('FILE.csv: the data module’s CSV (x,y), loadable into a learner', async () => {
    const r = await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--npoints-goal',
      '40',
      '--out',
      'p.csv',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote p.csv (40 rows)');
    const text = read('p.csv');
    expect(text.split('\n')[0]).toBe('x,y');
    const l = new Learner1D({ bounds: [-1, 1] });
    expect(loadData(l, text).told).toBe(40);
    expect(toCSV(l)).toBe(text);
  });

  it('FILE.arrow: an Arrow IPC file with the same rows', async () => {
    const r = await cli(
      'run',
      fixture,
      '--export',
      'ring',
      '--learner',
      '2d',
      '--bounds=-1,1,-1,1',
      '--npoints-goal',
      '50',
      '--out',
      'ring.arrow',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote ring.arrow (50 rows)');
    const t = tableFromIPC(readFileSync(join(dir, 'ring.arrow')));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['x', 'y', 'z']);
    const l = new Learner2D({
      bounds: [
        [-1, 1],
        [-1, 1],
      ],
    });
    expect(loadData(l, t).told).toBe(50);
  });

  it('FILE.json still writes the records and summary', async () => {
    const r = await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=0,1',
      '--npoints-goal',
      '10',
      '--out',
      'p.json',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(read('p.json')).records).toHaveLength(10);
  });
});

describe('run --load', () => {
  it('starts from earlier data: loaded points count, the run goes on to the goal', async () => {
    await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--npoints-goal',
      '30',
      '--out',
      'first.csv',
      '--quiet',
    );
    const r = await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--load',
      'first.csv',
      '--npoints-goal',
      '60',
      '--out',
      'second.csv',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('loaded 30 points from first.csv');
    const first = toRows(fromCsv(read('first.csv')));
    const second = toRows(fromCsv(read('second.csv')));
    expect(second).toHaveLength(60);
    // Every earlier point is in the new data, with its value.
    const have = new Map(second.map((row) => [row.x, row.y]));
    for (const row of first) expect(have.get(row.x)).toEqual(row.y);
  });

  it('sampling continues as from the learner that made the data (same points as one run)', async () => {
    await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--npoints-goal',
      '25',
      '--out',
      'a25.csv',
      '--quiet',
    );
    await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--load',
      'a25.csv',
      '--npoints-goal',
      '50',
      '--out',
      'a50.csv',
      '--quiet',
      '--concurrency',
      '1',
    );
    await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--load',
      'a25.csv',
      '--npoints-goal',
      '50',
      '--out',
      'b50.csv',
      '--quiet',
      '--concurrency',
      '1',
    );
    expect(read('a50.csv')).toBe(read('b50.csv'));
  });

  it('skips rows outside the bounds and says so; a bad file is exit code 2 naming row and column', async () => {
    writeFileSync(join(dir, 'mixed.csv'), 'x,y\n0,1\n5,2\n0,3\n');
    const r = await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--load',
      'mixed.csv',
      '--npoints-goal',
      '5',
      '--quiet',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('loaded 1 point from mixed.csv (skipped 2: 1 outside, 1 duplicate)');
    writeFileSync(join(dir, 'bad.csv'), 'x,y\n0,1\n0.5,oops\n');
    const b = await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--load',
      'bad.csv',
      '--npoints-goal',
      '5',
      '--quiet',
    );
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`bad.csv: row 2 (line 3), column 'y': "oops" is not a number`);
    const c = await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--load',
      'first.txt',
      '--npoints-goal',
      '5',
    );
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(
      '--load reads the data files --out writes: give a .csv or .arrow file',
    );
  });
});

describe('plot FILE.csv|FILE.arrow', () => {
  it('1d from CSV: a curve with every point', async () => {
    await cli(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--npoints-goal',
      '35',
      '--out',
      'c.csv',
      '--quiet',
    );
    const r = await cli('plot', 'c.csv', '-o', 'c.svg');
    expect(r.code, r.stderr).toBe(0);
    const svg = parseSvg(read('c.svg'));
    expect(byClass(svg, 'curve')).toHaveLength(1);
    expect(byClass(svg, 'point')).toHaveLength(35);
  });

  it('2d from Arrow: a triangulated heat map', async () => {
    const r = await cli('plot', 'ring.arrow', '-o', 'ring.svg');
    expect(r.code, r.stderr).toBe(0);
    expect(byClass(parseSvg(read('ring.svg')), 'triangles')).toHaveLength(1);
  });

  it('columns of no learner, and an AverageLearner’s data, are exit code 2 with the reason', async () => {
    writeFileSync(join(dir, 'odd.csv'), 'a,b\n1,2\n');
    const r = await cli('plot', 'odd.csv', '-o', 'o.svg');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('odd.csv: no learner has the columns a, b');
    writeFileSync(join(dir, 'av.csv'), 'seed,y\n0,1\n1,2\n');
    const a = await cli('plot', 'av.csv', '-o', 'o.svg');
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("holds an AverageLearner's data");
  });
});

function fromCsv(text: string): Learner1D {
  const l = new Learner1D({ bounds: [-1, 1] });
  loadData(l, text);
  return l;
}
