// The command line's argument parsing, in-process: every mistake is a UsageError that says
// what to write instead.
import { describe, expect, it } from 'vitest';
import {
  parseBounds,
  parseCommand,
  parseFixed,
  type RunArgs,
  suggest,
} from '../../src/cli/args.js';
import { RUN_HELP } from '../../src/cli/help.js';
import { UsageError } from '../../src/cli/learners.js';

const run = (...a: string[]) => parseCommand(['run', 'f.mjs', ...a]) as RunArgs;

describe('parseCommand', () => {
  it('reads a run with every option', () => {
    const c = run(
      '--export',
      'g',
      '--learner',
      '2d',
      '--bounds=-1,1,0,2',
      '--loss-goal',
      '0.01',
      '--npoints-goal',
      '500',
      '--duration-goal',
      '1.5',
      '--workers',
      '3',
      '--retries',
      '2',
      '--out',
      'a.csv',
      '--plot',
      'a.svg',
      '--save',
      's.json',
      '--quiet',
    );
    expect(c).toMatchObject({
      cmd: 'run',
      module: 'f.mjs',
      exportName: 'g',
      kind: '2d',
      bounds: [
        [-1, 1],
        [0, 2],
      ],
      lossGoal: 0.01,
      npointsGoal: 500,
      durationGoal: 1500,
      workers: 3,
      retries: 2,
      out: 'a.csv',
      plot: 'a.svg',
      save: 's.json',
      quiet: true,
    });
  });

  it('takes negative bounds with =, a space, or quoted', () => {
    expect(run('--learner', '1d', '--bounds=-2,-1', '--npoints-goal', '5').bounds).toEqual([
      [-2, -1],
    ]);
    expect(run('--learner', '1d', '--bounds', '-2,-1', '--npoints-goal', '5').bounds).toEqual([
      [-2, -1],
    ]);
    expect(run('--learner', '1d', '--bounds', '-.5,.5', '--npoints-goal', '5').bounds).toEqual([
      [-0.5, 0.5],
    ]);
  });

  it('defaults: export default, 0 retries, no goal needed for integrator and average', () => {
    const c = run('--learner', 'integrator', '--bounds=0,1');
    expect(c.exportName).toBe('default');
    expect(c.retries).toBe(0);
    expect(run('--learner', 'average', '--rtol', '0.01').kind).toBe('average');
    expect(run('--resume', 's.json', '--npoints-goal', '9').kind).toBeUndefined();
  });

  it('reads help, version and the other commands', () => {
    expect(parseCommand([])).toEqual({ cmd: 'help', topic: 'main' });
    expect(parseCommand(['--help'])).toEqual({ cmd: 'help', topic: 'main' });
    expect(parseCommand(['run', '--help'])).toEqual({ cmd: 'help', topic: 'run' });
    expect(parseCommand(['run', '-h'])).toEqual({ cmd: 'help', topic: 'run' });
    expect(parseCommand(['help', 'plot'])).toEqual({ cmd: 'help', topic: 'plot' });
    expect(parseCommand(['--version'])).toEqual({ cmd: 'version' });
    expect(parseCommand(['worker', '--redis', 'x'])).toEqual({
      cmd: 'worker',
      argv: ['--redis', 'x'],
    });
    expect(
      parseCommand(['plot', 's.json', '-o', 'p.svg', '--fixed=,,0.5', '--width', '300']),
    ).toEqual({
      cmd: 'plot',
      snapshot: 's.json',
      output: 'p.svg',
      title: undefined,
      width: 300,
      height: undefined,
      fixed: [null, null, 0.5],
    });
  });

  const bad: [string[], RegExp][] = [
    [['runn'], /unknown command 'runn' \(did you mean run\?\)/],
    [['--bounds=1,2'], /give a command first/],
    [['run'], /run needs the module/],
    [['run', 'a.mjs', 'b.mjs', '--learner', '1d'], /run takes one module/],
    [['run', 'f.mjs', '--bounds=-1,1', '--npoints-goal', '5'], /run needs --learner/],
    [
      ['run', 'f.mjs', '--learner', 'ld', '--bounds=0,1', '--npoints-goal', '5'],
      /unknown learner 'ld' \(did you mean 1d\?\); choose one of 1d, 2d, nd/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--npoints-goal', '5'],
      /--learner 1d needs --bounds, e\.g\. --bounds=-1,1/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1'],
      /missing goal: give --loss-goal X, --npoints-goal N or --duration-goal SECONDS/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoint-goal', '5'],
      /unknown option --npoint-goal for 'run' \(did you mean --npoints-goal\?\)/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--frobnicate'],
      /unknown option --frobnicate for 'run'$/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=1,0', '--npoints-goal', '5'],
      /each pair A,B needs A < B, got 1,0/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,x', '--npoints-goal', '5'],
      /'x' in '0,x' is not a finite number/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1,2', '--npoints-goal', '5'],
      /pairs A,B \(an even count of numbers\), got 3/,
    ],
    [
      ['run', 'f.mjs', '--learner', '2d', '--bounds=0,1', '--npoints-goal', '5'],
      /--learner 2d needs 2 pairs in --bounds, got 1 pair/,
    ],
    [['run', 'f.mjs', '--learner', 'average', '--bounds=0,1', '--rtol', '1'], /takes no --bounds/],
    [
      ['run', 'f.mjs', '--learner', 'average'],
      /needs a tolerance of the mean: --atol X and\/or --rtol X/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '2.5'],
      /--npoints-goal must be a positive integer, got '2\.5'/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--loss-goal', 'small'],
      /--loss-goal must be a number >= 0, got 'small'/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--duration-goal', '0'],
      /--duration-goal must be a positive number of seconds/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '5', '--workers', '0'],
      /--workers must be a positive integer/,
    ],
    [
      [
        'run',
        'f.mjs',
        '--learner',
        '1d',
        '--bounds=0,1',
        '--npoints-goal',
        '5',
        '--workers',
        '2',
        '--concurrency',
        '4',
      ],
      /--concurrency is for functions run in this process/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '5', '--out', 'a.txt'],
      /--out must name a \.csv, \.arrow or \.json file/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '5', '--plot', 'a.png'],
      /--plot writes SVG/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '5', '--save', 'a.txt'],
      /--save writes JSON/,
    ],
    [
      ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '5', '--tol', '1e-3'],
      /--tol is for --learner integrator, not 1d/,
    ],
    [
      ['run', 'f.mjs', '--learner', 'average', '--rtol', '0.1', '--plot', 'a.svg'],
      /no picture for --learner average/,
    ],
    [['run', 'f.mjs', '--learner', '1d', '--bounds'], /--bounds needs a value/],
    [['run', 'f.mjs', '--quiet=yes', '--learner', '1d'], /--quiet takes no value/],
    [['plot'], /plot needs the snapshot or data file/],
    [['plot', 's.json'], /plot needs -o FILE\.svg/],
    [['plot', 's.json', '-o', 'p.svg', '--fixed=,a'], /--fixed: 'a' is not a number/],
    [['plot', 's.json', '-o', 'p.svg', '--width', '10'], /--width must be a number of px/],
    [['help', 'frob'], /no help on 'frob'/],
  ];
  it.each(bad)('rejects %j', (argv, message) => {
    let err: unknown;
    try {
      parseCommand(argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('helpers', () => {
  it('parses bounds and fixed coordinates', () => {
    expect(parseBounds('-1, 1,0,2')).toEqual([
      [-1, 1],
      [0, 2],
    ]);
    expect(parseFixed(',0,')).toEqual([null, 0, null]);
  });

  it('suggests only close names', () => {
    expect(suggest('--npoint-goal', ['--npoints-goal', '--loss-goal'])).toBe('--npoints-goal');
    expect(suggest('--foo', ['--tol', '--out'])).toBeUndefined();
  });

  it('documents every option of run in its --help', () => {
    for (const opt of [
      '--export',
      '--learner',
      '--bounds',
      '--loss-goal',
      '--npoints-goal',
      '--duration-goal',
      '--workers',
      '--concurrency',
      '--retries',
      '--tol',
      '--atol',
      '--rtol',
      '--min-samples',
      '--max-samples',
      '--out',
      '--plot',
      '--save',
      '--resume',
      '--quiet',
      '--help',
    ]) {
      expect(RUN_HELP).toContain(opt);
    }
  });
});
