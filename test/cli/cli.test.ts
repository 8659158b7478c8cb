// The compiled command line, spawned with plain node as a user runs it: runs to a goal and
// writes CSV, JSON, SVG and snapshots; resumes; plots a snapshot; bad arguments exit with 2
// and a message. Built into a private directory so that it never races another test's build.
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byClass, parseSvg } from '../plot/svg-parse.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = join(root, 'node_modules', '.cache', 'adaptive-sampling-cli-test');
const cli = join(buildDir, 'cli', 'main.js');
const fixture = join(root, 'test', 'cli', 'fixtures', 'functions.mjs');
let dir = '';

beforeAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  const tsc = spawnSync(
    join(root, 'node_modules', '.bin', 'tsc'),
    [
      '-p',
      'tsconfig.build.json',
      '--outDir',
      buildDir,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (!existsSync(cli)) throw new Error(`the build failed:\n${tsc.stdout}${tsc.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'as-cli-'));
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function cmd(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

function csv(file: string): { header: string; rows: number[][] } {
  const [header, ...lines] = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
  return { header: header as string, rows: lines.map((l) => l.split(',').map(Number)) };
}

describe('adaptive-sampling --help', () => {
  it('explains the commands with examples', () => {
    const r = cmd('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^adaptive-sampling: sample a function adaptively/);
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('adaptive-sampling run f.mjs --learner 1d --bounds=-1,1');
    expect(cmd('run', '--help').stdout).toContain('--npoints-goal N');
    expect(cmd('help', 'plot').stdout).toContain('-o, --output FILE.svg');
    expect(cmd().stdout).toContain('Usage:');
    expect(cmd('--version').status).toBe(0);
  });
});

describe('adaptive-sampling run', () => {
  it('runs to a loss goal and writes CSV, SVG and a snapshot', () => {
    const r = cmd(
      'run',
      fixture,
      '--learner',
      '1d',
      '--bounds',
      '-1,1',
      '--loss-goal',
      '0.02',
      '--out',
      'out/peak.csv',
      '--plot',
      'out/peak.svg',
      '--save',
      'out/peak.json',
    );
    expect(r.stderr).toMatch(/functions\.mjs: \d+ points · 0 pending · loss 0\.0\d+/); // the last progress line
    expect(r.status).toBe(0);
    const m = /^functions\.mjs: (\d+) points, loss ([\d.e-]+), [\d.]+ s \(loss goal met\)$/m.exec(
      r.stdout,
    );
    expect(m, r.stdout).not.toBeNull();
    const n = Number(m?.[1]);
    expect(Number(m?.[2])).toBeLessThanOrEqual(0.02);
    expect(r.stdout).toContain('wrote out/peak.json (snapshot), out/peak.csv');
    const { header, rows } = csv('out/peak.csv');
    expect(header).toBe('x,y');
    expect(rows).toHaveLength(n);
    expect(rows.map((row) => row[0])).toEqual(
      [...rows.map((row) => row[0] as number)].sort((a, b) => a - b),
    );
    const svg = parseSvg(readFileSync(join(dir, 'out/peak.svg'), 'utf8'));
    expect(byClass(svg, 'curve')).toHaveLength(1);
    expect(byClass(svg, 'point')).toHaveLength(n);
    const snap = JSON.parse(readFileSync(join(dir, 'out/peak.json'), 'utf8'));
    expect(snap.type).toBe('Learner1D');
    expect(snap.x).toHaveLength(n);
  });

  it('resumes from the snapshot and continues, saving back to it', () => {
    expect(
      cmd(
        'run',
        fixture,
        '--learner',
        '1d',
        '--bounds=-1,1',
        '--npoints-goal',
        '40',
        '--save',
        'r.json',
        '--quiet',
      ).status,
    ).toBe(0);
    const first = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).x as number[];
    expect(first).toHaveLength(40);
    const r = cmd(
      'run',
      fixture,
      '--resume',
      'r.json',
      '--npoints-goal',
      '100',
      '--out',
      'r.json.csv',
      '--quiet',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^functions\.mjs: 100 points/);
    const second = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).x as number[];
    expect(second).toHaveLength(100);
    for (const x of first) expect(second).toContain(x);
    expect(csv('r.json.csv').rows).toHaveLength(100);
    // The bounds come from the snapshot; contradicting ones are an error.
    const bad = cmd('run', fixture, '--resume', 'r.json', '--bounds=0,1', '--npoints-goal', '200');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--bounds 0,1 do not match r.json: -1,1');
  });

  it('writes JSON with non-finite values as strings, and vector output as columns', () => {
    const r = cmd(
      'run',
      fixture,
      '--export',
      'pair',
      '--learner',
      '1d',
      '--bounds=0,1',
      '--npoints-goal',
      '30',
      '--out',
      'pair.json',
      '--quiet',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'pair.json'), 'utf8'));
    expect(doc).toMatchObject({ learner: '1d', bounds: [0, 1], npoints: 30 });
    expect(doc.records).toHaveLength(30);
    expect(doc.records[0].y).toHaveLength(2);
    expect(
      cmd(
        'run',
        fixture,
        '--export',
        'pair',
        '--learner',
        '1d',
        '--bounds=0,1',
        '--npoints-goal',
        '10',
        '--out',
        'pair.csv',
        '--quiet',
      ).status,
    ).toBe(0);
    expect(csv('pair.csv').header).toBe('x,y_0,y_1');
  });

  it('samples on worker threads with --workers, a 2-D function', () => {
    const r = cmd(
      'run',
      fixture,
      '--export',
      'ring',
      '--learner',
      '2d',
      '--bounds=-1,1,-1,1',
      '--npoints-goal',
      '200',
      '--workers',
      '2',
      '--out',
      'ring.csv',
      '--plot',
      'ring.svg',
      '--quiet',
    );
    expect(r.status, r.stderr).toBe(0);
    const { header, rows } = csv('ring.csv');
    expect(header).toBe('x,y,z');
    expect(rows.length).toBeGreaterThanOrEqual(200);
    const svg = parseSvg(readFileSync(join(dir, 'ring.svg'), 'utf8'));
    expect(byClass(svg, 'triangles')).toHaveLength(1);
    expect(byClass(svg, 'colorbar')).toHaveLength(1);
    expect(byClass(svg, 'point')).toHaveLength(rows.length);
  });

  it('runs --learner sparse in 5-D, saves, resumes and plots a slice', () => {
    const run = cmd(
      'run',
      fixture,
      '--export',
      'bump',
      '--learner',
      'sparse',
      '--bounds=-1,1,-1,1,-1,1,0,2,0,2',
      '--npoints-goal',
      '80',
      '--save',
      'sparse.json',
      '--out',
      'sparse.csv',
      '--quiet',
    );
    expect(run.status, run.stderr).toBe(0);
    const table = csv('sparse.csv');
    expect(table.header).toBe('x_0,x_1,x_2,x_3,x_4,value');
    expect(table.rows).toHaveLength(80);
    const more = cmd(
      'run',
      fixture,
      '--export',
      'bump',
      '--resume',
      'sparse.json',
      '--npoints-goal',
      '120',
      '--save',
      'sparse.json',
      '--quiet',
    );
    expect(more.status, more.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'sparse.json'), 'utf8')).points).toHaveLength(120);
    const plot = cmd('plot', 'sparse.json', '-o', 'sparse.svg');
    expect(plot.status, plot.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sparse.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('runs the other learners: nd, average, average1d, integrator', () => {
    const nd = cmd(
      'run',
      fixture,
      '--export',
      'bump',
      '--learner',
      'nd',
      '--bounds=-1,1,-1,1,-1,1',
      '--npoints-goal',
      '60',
      '--save',
      'nd.json',
      '--out',
      'nd.csv',
      '--quiet',
    );
    expect(nd.status, nd.stderr).toBe(0);
    expect(csv('nd.csv').header).toBe('x,y,z,value');
    const av = cmd(
      'run',
      fixture,
      '--export',
      'noisyConstant',
      '--learner',
      'average',
      '--atol',
      '0.01',
      '--out',
      'av.csv',
      '--quiet',
    );
    expect(av.status, av.stderr).toBe(0);
    expect(av.stdout).toMatch(/loss goal met/);
    expect(av.stdout).toMatch(/^mean [01]\.\d+ ± [\d.e-]+ \(standard error, \d+ samples\)$/m);
    expect(csv('av.csv').header).toBe('seed,y');
    const a1 = cmd(
      'run',
      fixture,
      '--export',
      'noisyLine',
      '--learner',
      'average1d',
      '--bounds=0,1',
      '--min-samples',
      '5',
      '--npoints-goal',
      '12',
      '--out',
      'a1.csv',
      '--plot',
      'a1.svg',
      '--quiet',
    );
    expect(a1.status, a1.stderr).toBe(0);
    expect(csv('a1.csv').header).toBe('seed,x,y');
    expect(byClass(parseSvg(readFileSync(join(dir, 'a1.svg'), 'utf8')), 'errorbars')).toHaveLength(
      1,
    );
    const ig = cmd(
      'run',
      fixture,
      '--learner',
      'integrator',
      '--bounds=0,1',
      '--tol',
      '1e-10',
      '--quiet',
    );
    expect(ig.status).toBe(0);
    expect(ig.stdout).toMatch(/\(the learner is done\)/);
    expect(ig.stdout).toMatch(/^integral 0\.57604189655\d* ± /m);
  });

  it('loads a TypeScript module through tsx', () => {
    const r = cmd(
      'run',
      join(root, 'test', 'cli', 'fixtures', 'typed.ts'),
      '--export',
      'step',
      '--learner',
      '1d',
      '--bounds=-1,1',
      '--npoints-goal',
      '20',
      '--quiet',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^typed\.ts#step: 20 points/);
  });

  it('keeps what was learnt when an evaluation fails, and exits with 1', () => {
    const r = cmd(
      'run',
      fixture,
      '--export',
      'failing',
      '--learner',
      '1d',
      '--bounds=0,1',
      '--npoints-goal',
      '50',
      '--out',
      'failing.csv',
      '--quiet',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/run failed: .*cannot evaluate at/);
    expect(r.stdout).toMatch(/\(failed\)/);
    expect(existsSync(join(dir, 'failing.csv'))).toBe(true);
  });

  it('tells what the function receives when it cannot take the point', () => {
    const r = cmd(
      'run',
      fixture,
      '--export',
      'ring',
      '--learner',
      '1d',
      '--bounds=0,1',
      '--npoints-goal',
      '5',
      '--quiet',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('(--learner 1d calls the function with x (a number))');
  });

  it('stops cleanly on Ctrl-C and writes its files', async () => {
    const child = spawn(
      process.execPath,
      [
        cli,
        'run',
        fixture,
        '--export',
        'slowPeak',
        '--learner',
        '1d',
        '--bounds=-1,1',
        '--duration-goal',
        '60',
        '--out',
        'int.csv',
        '--quiet',
      ],
      { cwd: dir },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(130);
    expect(stdout).toMatch(/\(stopped\)/);
    expect(csv('int.csv').rows.length).toBeGreaterThan(2);
  });

  const bad: [string[], RegExp][] = [
    [
      ['run', fixture, '--learner', '1d', '--bounds=-1,1', '--npoints-goal', '5', '--bogus'],
      /unknown option --bogus for 'run'/,
    ],
    [['run', fixture, '--learner', '1d', '--bounds=-1,1'], /missing goal/],
    [
      ['run', fixture, '--learner', '1d', '--bounds=-1,oops', '--npoints-goal', '5'],
      /'oops' in '-1,oops' is not a finite number/,
    ],
    [
      ['run', fixture, '--learner', 'spline', '--bounds=-1,1', '--npoints-goal', '5'],
      /unknown learner 'spline'/,
    ],
    [
      [
        'run',
        fixture,
        '--export',
        'nope',
        '--learner',
        '1d',
        '--bounds=-1,1',
        '--npoints-goal',
        '5',
      ],
      /functions\.mjs has no export 'nope'; its functions: .*ring.* \(pick one with --export NAME\)/,
    ],
    [
      [
        'run',
        fixture,
        '--export',
        'notAFunction',
        '--learner',
        '1d',
        '--bounds=-1,1',
        '--npoints-goal',
        '5',
      ],
      /export 'notAFunction' is a number, not a function/,
    ],
    [
      ['run', 'missing.mjs', '--learner', '1d', '--bounds=-1,1', '--npoints-goal', '5'],
      /module not found: .*missing\.mjs/,
    ],
    [
      ['run', fixture, '--resume', 'nothing.json', '--npoints-goal', '5'],
      /file not found: .*nothing\.json/,
    ],
    [['plot', 'nothing.json', '-o', 'x.svg'], /file not found/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ];
  it.each(bad)('exits with 2 and a message for %j', (argv, message) => {
    const r = cmd(...argv);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/See 'adaptive-sampling( run| plot)? --help'\./);
    expect(r.stdout).toBe('');
  });
});

describe('adaptive-sampling plot', () => {
  it('draws a saved snapshot, to a file or to standard output', () => {
    expect(
      cmd(
        'run',
        fixture,
        '--learner',
        '1d',
        '--bounds=-1,1',
        '--npoints-goal',
        '30',
        '--save',
        'p.json',
        '--quiet',
      ).status,
    ).toBe(0);
    const r = cmd(
      'plot',
      'p.json',
      '-o',
      'p.svg',
      '--title',
      'my peak',
      '--width',
      '500',
      '--height',
      '300',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('wrote p.svg (30 points)\n');
    const svg = parseSvg(readFileSync(join(dir, 'p.svg'), 'utf8'));
    expect(svg.attrs.width).toBe('500');
    expect(byClass(svg, 'title')[0]?.text).toBe('my peak');
    expect(byClass(svg, 'point')).toHaveLength(30);
    const out = cmd(
      'plot',
      'p.json',
      '-o',
      '-',
      '--title',
      'my peak',
      '--width',
      '500',
      '--height',
      '300',
    );
    expect(out.stdout).toBe(readFileSync(join(dir, 'p.svg'), 'utf8'));
  });

  it('draws a slice of an N-D snapshot', () => {
    expect(
      cmd(
        'run',
        fixture,
        '--export',
        'bump',
        '--learner',
        'nd',
        '--bounds=-1,1,-1,1,-1,1',
        '--npoints-goal',
        '50',
        '--save',
        'b.json',
        '--quiet',
      ).status,
    ).toBe(0);
    const heat = cmd('plot', 'b.json', '-o', 'b.svg');
    expect(heat.status, heat.stderr).toBe(0);
    expect(byClass(parseSvg(readFileSync(join(dir, 'b.svg'), 'utf8')), 'cells')).toHaveLength(1);
    const cut = cmd('plot', 'b.json', '-o', 'c.svg', '--fixed=,0,0');
    expect(cut.status, cut.stderr).toBe(0);
    expect(byClass(parseSvg(readFileSync(join(dir, 'c.svg'), 'utf8')), 'curve')).toHaveLength(1);
    const wrong = cmd('plot', 'b.json', '-o', 'c.svg', '--fixed=,0');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--fixed needs 3 entries');
  });

  it('refuses a file that is not a snapshot', () => {
    expect(
      cmd(
        'run',
        fixture,
        '--learner',
        '1d',
        '--bounds=-1,1',
        '--npoints-goal',
        '5',
        '--out',
        'data.json',
        '--quiet',
      ).status,
    ).toBe(0);
    const r = cmd('plot', 'data.json', '-o', 'x.svg');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /data\.json is not a learner snapshot the command line can read: its type is undefined/,
    );
  });
});

describe('adaptive-sampling worker', () => {
  it('runs the distributed worker of adaptive-sampling/bullmq, with clear errors', () => {
    // (Its runs against a real redis-server are tested in test/bullmq.)
    const missing = cmd(
      'worker',
      '--redis',
      'redis://localhost:1',
      '--queue',
      'q',
      '--module',
      'no-such.mjs',
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('module not found');
    const noRedis = cmd('worker', '--queue', 'q', '--module', 'f.mjs');
    expect(noRedis.status).toBe(2);
    expect(noRedis.stderr).toContain('give the Redis server');
  });
});
