/**
 * Command-line parsing (node:util parseArgs) into checked commands. Every mistake becomes a
 * {@link UsageError} that says what was wrong and what to write instead.
 */

import { parseArgs } from 'node:util';
import { editDistance } from '../util/validate.js';
import { boundsPairs, LEARNER_KINDS, type LearnerKind, UsageError } from './learners.js';

/**
 * The `run` command, checked.
 * @example
 * parseCommand(['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '9']); // { cmd: 'run', kind: '1d', npointsGoal: 9, ... }
 */
export interface RunArgs {
  cmd: 'run';
  module: string;
  exportName: string;
  /** `undefined` when resuming without `--learner` (the snapshot says). */
  kind: LearnerKind | undefined;
  /** `undefined` when not given (resuming, or `average`). */
  bounds: [number, number][] | undefined;
  /** `--hull X0,Y0,X1,Y1,...`: Learner2D on that convex polygon (instead of --bounds). */
  hull: [number, number][] | undefined;
  lossGoal: number | undefined;
  npointsGoal: number | undefined;
  /** Milliseconds. */
  durationGoal: number | undefined;
  tol: number | undefined;
  atol: number | undefined;
  rtol: number | undefined;
  minSamples: number | undefined;
  maxSamples: number | undefined;
  /** `--integer`: every dimension integer (1d, 2d, nd: the integers of the bounds). */
  integer: boolean;
  /** `--integer-dims I,J`: only these dimensions integer (2d, nd; 0-based). */
  integerDims: number[] | undefined;
  workers: number | undefined;
  concurrency: number | undefined;
  retries: number;
  out: string | undefined;
  plot: string | undefined;
  save: string | undefined;
  resume: string | undefined;
  /** Earlier data (CSV or Arrow, as --out writes it) told to the learner before the run. */
  load: string | undefined;
  quiet: boolean;
  /** `--live [PORT]`: the live view's port (0: any free port), or `undefined`. */
  live: number | undefined;
}

/**
 * The `plot` command, checked.
 * @example
 * parseCommand(['plot', 's.json', '-o', 's.svg']); // { cmd: 'plot', snapshot: 's.json', output: 's.svg', ... }
 */
export interface PlotArgs {
  cmd: 'plot';
  snapshot: string;
  output: string;
  title: string | undefined;
  width: number | undefined;
  height: number | undefined;
  fixed: (number | null)[] | undefined;
}

/**
 * Any command.
 * @example
 * const c: Command = { cmd: 'help', topic: 'run' };
 */
export type Command =
  | { cmd: 'help'; topic: 'main' | 'run' | 'plot' | 'worker' }
  | { cmd: 'version' }
  | { cmd: 'worker'; argv: string[] }
  | RunArgs
  | PlotArgs;

const RUN_OPTIONS = {
  export: { type: 'string' },
  learner: { type: 'string' },
  bounds: { type: 'string' },
  hull: { type: 'string' },
  'loss-goal': { type: 'string' },
  'npoints-goal': { type: 'string' },
  'duration-goal': { type: 'string' },
  tol: { type: 'string' },
  atol: { type: 'string' },
  rtol: { type: 'string' },
  'min-samples': { type: 'string' },
  'max-samples': { type: 'string' },
  integer: { type: 'boolean' },
  'integer-dims': { type: 'string' },
  workers: { type: 'string' },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  out: { type: 'string' },
  plot: { type: 'string' },
  save: { type: 'string' },
  resume: { type: 'string' },
  load: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const PLOT_OPTIONS = {
  output: { type: 'string', short: 'o' },
  title: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  fixed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * The closest name, when it is close enough to be a typo.
 * @example
 * suggest('--npoint-goal', ['--npoints-goal', '--loss-goal']); // '--npoints-goal'
 */
export function suggest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const dd = editDistance(name.replace(/^-+/, ''), n.replace(/^-+/, ''));
    if (dd < bestD) {
      bestD = dd;
      best = n;
    }
  }
  return bestD <= Math.max(1, Math.floor(name.replace(/^-+/, '').length / 3)) ? best : undefined;
}

/**
 * `--name -1,1` is ambiguous to parseArgs (the value looks like an option); join such a
 * value to its option when it reads as a number.
 */
function joinNegativeValues(argv: readonly string[], valued: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (valued.includes(a) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function parse<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(
  cmd: string,
  argv: readonly string[],
  options: T,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const valued = Object.keys(options)
    .filter((k) => options[k]?.type === 'string')
    .map((k) => `--${k}`);
  try {
    const r = parseArgs({
      args: joinNegativeValues(argv, valued),
      options,
      allowPositionals: true,
      strict: true,
    });
    return {
      values: r.values as Record<string, string | boolean | undefined>,
      positionals: r.positionals,
    };
  } catch (e) {
    const err = e as Error & { code?: string };
    const m = /'(-[^' ]+)/.exec(err.message);
    const opt = m?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && opt !== undefined) {
      const names = Object.keys(options).map((k) => `--${k}`);
      const guess = suggest(opt.replace(/=.*/, ''), names);
      throw new UsageError(
        `unknown option ${opt} for '${cmd}'${guess !== undefined ? ` (did you mean ${guess}?)` : ''}`,
      );
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (opt !== undefined && options[opt.replace(/^-+/, '')]?.type === 'boolean') {
        throw new UsageError(`${opt} takes no value`);
      }
      throw new UsageError(
        `${opt ?? 'an option'} needs a value${opt !== undefined ? `, e.g. ${opt}=VALUE (use '=' for values starting with '-')` : ''}`,
      );
    }
    throw new UsageError(err.message);
  }
}

function number(
  name: string,
  v: string | undefined,
  check: (x: number) => boolean,
  what: string,
): number | undefined {
  if (v === undefined) return undefined;
  const x = v.trim() === '' ? Number.NaN : Number(v);
  if (!check(x)) throw new UsageError(`--${name} must be ${what}, got '${v}'`);
  return x;
}

/** The largest TCP port, for `--live PORT`. */
const MAX_PORT = 65535;
/** The range of `plot --width/--height` the CLI accepts, in px. */
const MIN_PLOT_PX = 40;
const MAX_PLOT_PX = 20000;

const positive = (x: number): boolean => Number.isFinite(x) && x > 0;
const nonNegative = (x: number): boolean => Number.isFinite(x) && x >= 0;
const positiveInt = (x: number): boolean => Number.isSafeInteger(x) && x >= 1;
const nonNegativeInt = (x: number): boolean => Number.isSafeInteger(x) && x >= 0;

/** The comma-separated finite numbers of `--flag` text; else a UsageError with an example. */
function numberList(flag: string, text: string, example: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const nums = parts.map((s) => (s === '' ? Number.NaN : Number(s)));
  const bad = nums.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) {
    throw new UsageError(
      `--${flag} must be comma-separated numbers, e.g. --${flag}=${example}; '${parts[bad]}' in '${text}' is not a finite number`,
    );
  }
  return nums;
}

/**
 * `--bounds` text into `[a, b]` pairs.
 * @example
 * parseBounds('-1,1,0,2'); // [[-1, 1], [0, 2]]
 */
export function parseBounds(text: string): [number, number][] {
  const nums = numberList('bounds', text, '-1,1');
  if (nums.length % 2 !== 0) {
    throw new UsageError(
      `--bounds must hold pairs A,B (an even count of numbers), got ${nums.length} in '${text}'`,
    );
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < nums.length; i += 2) {
    const a = nums[i] as number;
    const b = nums[i + 1] as number;
    if (!(a < b)) {
      throw new UsageError(`--bounds: each pair A,B needs A < B, got ${a},${b} in '${text}'`);
    }
    pairs.push([a, b]);
  }
  return pairs;
}

/**
 * `--hull` text into the polygon's vertices `[x, y]` (Learner2D checks the polygon).
 * @example
 * parseHull('0,0,1,0,0.5,1'); // [[0, 0], [1, 0], [0.5, 1]]
 */
export function parseHull(text: string): [number, number][] {
  const nums = numberList('hull', text, '0,0,1,0,0.5,1');
  if (nums.length % 2 !== 0 || nums.length < 6) {
    throw new UsageError(
      `--hull must hold at least 3 points X,Y (an even count of numbers, 6 or more), got ${nums.length} in '${text}'`,
    );
  }
  const pts: [number, number][] = [];
  for (let i = 0; i < nums.length; i += 2) pts.push([nums[i] as number, nums[i + 1] as number]);
  return pts;
}

/** Takes `--live`, `--live PORT` or `--live=PORT` out of argv (its value is optional). */
function takeLive(argv: readonly string[]): { rest: string[]; live: number | undefined } {
  const rest: string[] = [];
  let live: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    let value: string | undefined;
    if (a === '--live') {
      const next = argv[i + 1];
      if (next !== undefined && /^\d+$/.test(next)) {
        value = next;
        i++;
      } else value = '0';
    } else if (a.startsWith('--live=')) value = a.slice(7);
    else {
      rest.push(a);
      continue;
    }
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > MAX_PORT) {
      throw new UsageError(
        `--live takes a port in [0, ${MAX_PORT}] (or none: any free port), got ${value}`,
      );
    }
    live = port;
  }
  return { rest, live };
}

function runArgs(argvIn: readonly string[]): Command {
  const { rest: argv, live } = takeLive(argvIn);
  const { values: v, positionals } = parse('run', argv, RUN_OPTIONS);
  if (v.help === true) return { cmd: 'help', topic: 'run' };
  if (positionals.length === 0) {
    throw new UsageError(
      'run needs the module whose function to sample, e.g. adaptive-sampling run f.mjs ...',
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `run takes one module, got ${positionals.length} arguments: ${positionals.join(' ')} (options start with --)`,
    );
  }
  const s = (k: string): string | undefined => v[k] as string | undefined;
  const learner = s('learner');
  let kind: LearnerKind | undefined;
  if (learner !== undefined) {
    if (!(LEARNER_KINDS as readonly string[]).includes(learner)) {
      const guess = suggest(learner, LEARNER_KINDS);
      throw new UsageError(
        `unknown learner '${learner}'${guess !== undefined ? ` (did you mean ${guess}?)` : ''}; choose one of ${LEARNER_KINDS.join(', ')}`,
      );
    }
    kind = learner as LearnerKind;
  }
  const resume = s('resume');
  if (kind === undefined && resume === undefined) {
    throw new UsageError(
      `run needs --learner (one of ${LEARNER_KINDS.join(', ')}), or --resume FILE`,
    );
  }
  const boundsText = s('bounds');
  const bounds = boundsText === undefined ? undefined : parseBounds(boundsText);
  const hullText = s('hull');
  const hull = hullText === undefined ? undefined : parseHull(hullText);
  if (hull !== undefined && kind !== undefined && kind !== '2d') {
    throw new UsageError(`--hull is for --learner 2d, not ${kind}`);
  }
  if (hull !== undefined && bounds !== undefined) {
    throw new UsageError(
      "give --bounds or --hull, not both (a --hull learner's bounds are the polygon's bounding box)",
    );
  }
  if (kind !== undefined && hull === undefined) {
    const want = boundsPairs(kind);
    if (want === 0 && bounds !== undefined) {
      throw new UsageError(`--learner ${kind} takes no --bounds (its points are seeds)`);
    }
    if (want !== 0 && bounds === undefined && resume === undefined) {
      const example =
        want === 2 ? '--bounds=-1,1,-1,1' : want === -1 ? '--bounds=0,1,0,1,0,1' : '--bounds=-1,1';
      throw new UsageError(`--learner ${kind} needs --bounds, e.g. ${example}`);
    }
    if (bounds !== undefined && want > 0 && bounds.length !== want) {
      throw new UsageError(
        `--learner ${kind} needs ${want === 1 ? 'one pair A,B' : `${want} pairs`} in --bounds, got ${bounds.length} pair${bounds.length === 1 ? '' : 's'}`,
      );
    }
  }
  const lossGoal = number('loss-goal', s('loss-goal'), nonNegative, 'a number >= 0');
  const npointsGoal = number('npoints-goal', s('npoints-goal'), positiveInt, 'a positive integer');
  const duration = number(
    'duration-goal',
    s('duration-goal'),
    positive,
    'a positive number of seconds',
  );
  if (
    lossGoal === undefined &&
    npointsGoal === undefined &&
    duration === undefined &&
    kind !== 'integrator' &&
    kind !== 'average' &&
    v.integer !== true
  ) {
    throw new UsageError(
      'missing goal: give --loss-goal X, --npoints-goal N or --duration-goal SECONDS',
    );
  }
  const workers = number('workers', s('workers'), positiveInt, 'a positive integer');
  const concurrency = number('concurrency', s('concurrency'), positiveInt, 'a positive integer');
  if (workers !== undefined && concurrency !== undefined) {
    throw new UsageError(
      '--concurrency is for functions run in this process; with --workers the pool decides',
    );
  }
  const out = s('out');
  if (out !== undefined && !/\.(csv|json|arrow)$/i.test(out)) {
    throw new UsageError(`--out must name a .csv, .arrow or .json file, got '${out}'`);
  }
  const load = s('load');
  if (load !== undefined && !/\.(csv|arrow)$/i.test(load)) {
    throw new UsageError(
      `--load reads the data files --out writes: give a .csv or .arrow file, got '${load}'`,
    );
  }
  const plot = s('plot');
  if (plot !== undefined && !/\.svg$/i.test(plot)) {
    throw new UsageError(`--plot writes SVG: give a file name ending in .svg, got '${plot}'`);
  }
  if (plot !== undefined && kind === 'average') {
    throw new UsageError(
      '--plot: there is no picture for --learner average (it has no x axis); use --out',
    );
  }
  const save = s('save');
  if (save !== undefined && !/\.json$/i.test(save)) {
    throw new UsageError(`--save writes JSON: give a file name ending in .json, got '${save}'`);
  }
  const onlyFor = (opt: string, kinds: LearnerKind[]): void => {
    if (v[opt] !== undefined && kind !== undefined && !kinds.includes(kind)) {
      throw new UsageError(`--${opt} is for --learner ${kinds.join(' or ')}, not ${kind}`);
    }
  };
  onlyFor('tol', ['integrator']);
  onlyFor('atol', ['average']);
  onlyFor('rtol', ['average']);
  onlyFor('min-samples', ['average1d', 'average2d']);
  onlyFor('max-samples', ['average1d', 'average2d']);
  onlyFor('integer', ['1d', '2d', 'nd']);
  onlyFor('integer-dims', ['2d', 'nd']);
  const integerDims = parseIntegerDims(s('integer-dims'), v.integer === true, bounds);
  const atol = number('atol', s('atol'), positive, 'a positive number');
  const rtol = number('rtol', s('rtol'), positive, 'a positive number');
  if (kind === 'average' && atol === undefined && rtol === undefined && resume === undefined) {
    throw new UsageError(
      '--learner average needs a tolerance of the mean: --atol X and/or --rtol X',
    );
  }
  return {
    cmd: 'run',
    module: positionals[0] as string,
    exportName: s('export') ?? 'default',
    kind,
    bounds,
    hull,
    lossGoal,
    npointsGoal,
    durationGoal: duration === undefined ? undefined : duration * 1000,
    tol: number('tol', s('tol'), positive, 'a positive number'),
    atol,
    rtol,
    minSamples: number('min-samples', s('min-samples'), positiveInt, 'a positive integer'),
    maxSamples: number('max-samples', s('max-samples'), positiveInt, 'a positive integer'),
    integer: v.integer === true,
    integerDims,
    workers,
    concurrency,
    retries: number('retries', s('retries'), nonNegativeInt, 'a non-negative integer') ?? 0,
    out,
    plot,
    save,
    resume,
    load,
    quiet: v.quiet === true,
    live,
  };
}

/**
 * `--fixed` text into one entry per dimension (`null`: free).
 * @example
 * parseFixed(',,0.5'); // [null, null, 0.5]
 */
export function parseFixed(text: string): (number | null)[] {
  return text.split(',').map((s) => {
    if (s.trim() === '') return null;
    const x = Number(s);
    if (!Number.isFinite(x)) {
      throw new UsageError(
        `--fixed: '${s}' is not a number (leave an entry empty for a free coordinate)`,
      );
    }
    return x;
  });
}

function plotArgs(argv: readonly string[]): Command {
  const { values: v, positionals } = parse('plot', argv, PLOT_OPTIONS);
  if (v.help === true) return { cmd: 'help', topic: 'plot' };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'plot needs the snapshot or data file, e.g. adaptive-sampling plot run.json -o run.svg (or run.csv)'
        : `plot takes one snapshot file, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const output = v.output as string | undefined;
  if (output === undefined)
    throw new UsageError('plot needs -o FILE.svg (or -o - for standard output)');
  const size = (k: string): number | undefined =>
    number(
      k,
      v[k] as string | undefined,
      (x) => Number.isFinite(x) && x >= MIN_PLOT_PX && x <= MAX_PLOT_PX,
      `a number of px in [${MIN_PLOT_PX}, ${MAX_PLOT_PX}]`,
    );
  const fixed = v.fixed as string | undefined;
  return {
    cmd: 'plot',
    snapshot: positionals[0] as string,
    output,
    title: v.title as string | undefined,
    width: size('width'),
    height: size('height'),
    fixed: fixed === undefined ? undefined : parseFixed(fixed),
  };
}

const COMMANDS = ['run', 'plot', 'worker', 'help'];

/**
 * The command of an argument list (without `node` and the script).
 * @throws UsageError with a message for the user.
 * @example
 * parseCommand(['run', 'f.mjs', '--learner', '1d', '--bounds=-1,1', '--npoints-goal', '50']).cmd; // 'run'
 */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h')
    return { cmd: 'help', topic: 'main' };
  if (first === '--version' || first === '-v') return { cmd: 'version' };
  switch (first) {
    case 'run':
      return runArgs(rest);
    case 'plot':
      return plotArgs(rest);
    case 'worker':
      return rest.includes('--help') || rest.includes('-h')
        ? { cmd: 'help', topic: 'worker' }
        : { cmd: 'worker', argv: rest };
    case 'help': {
      const t = rest[0];
      if (t === undefined) return { cmd: 'help', topic: 'main' };
      if (t === 'run' || t === 'plot' || t === 'worker') return { cmd: 'help', topic: t };
      throw new UsageError(`no help on '${t}'; topics: run, plot, worker`);
    }
    default: {
      const guess = first.startsWith('-') ? undefined : suggest(first, COMMANDS);
      throw new UsageError(
        first.startsWith('-')
          ? `${first}: give a command first (run, plot, worker)`
          : `unknown command '${first}'${guess !== undefined ? ` (did you mean ${guess}?)` : ''}; commands: run, plot, worker, help`,
      );
    }
  }
}

/**
 * `--integer-dims I,J`: distinct 0-based dimension indices below the number of --bounds pairs
 * (when given); not with --integer (every dimension).
 * @throws UsageError naming the problem.
 */
function parseIntegerDims(
  text: string | undefined,
  all: boolean,
  bounds: [number, number][] | undefined,
): number[] | undefined {
  if (text === undefined) return undefined;
  if (all) throw new UsageError('give --integer (every dimension) or --integer-dims I,J, not both');
  const dims = text.split(',').map((t) => Number(t.trim()));
  const d = bounds?.length;
  for (const j of dims) {
    if (!Number.isInteger(j) || j < 0 || (d !== undefined && j >= d)) {
      throw new UsageError(
        `--integer-dims must list dimensions 0 to ${d === undefined ? 'd - 1' : d - 1} (0-based, comma-separated), got ${text}`,
      );
    }
  }
  if (new Set(dims).size !== dims.length) {
    throw new UsageError(`--integer-dims lists a dimension twice: ${text}`);
  }
  return dims;
}

/**
 * The integer flags a run asks for, for a learner of d dimensions: every one with
 * --integer, those of --integer-dims, or undefined.
 * @example integerFlags({ integer: false, integerDims: [0] }, 2); // [true, false]
 */
export function integerFlags(
  a: Pick<RunArgs, 'integer' | 'integerDims'>,
  d: number,
): boolean[] | undefined {
  if (a.integer) return new Array(d).fill(true);
  if (a.integerDims === undefined) return undefined;
  const f = new Array(d).fill(false);
  for (const j of a.integerDims) f[j] = true;
  return f;
}
