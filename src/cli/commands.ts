/**
 * The commands: `run` (sample a module's function), `plot` (a snapshot to SVG) and `worker`
 * (the distributed worker is in src/bullmq/command.ts).
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeCheckpoint } from '../io/checkpoint.js';
import type { Learner2D } from '../learners/learner2d.js';
import type { Learner } from '../learners/types.js';
import type { Master } from '../master/types.js';
import { WorkerPoolMaster } from '../master/worker-pool.js';
import { plotLearner } from '../plot/balancing.js';
import { plotSlice } from '../plot/slice.js';
import { run } from '../runner/node.js';
import { type ProgressStream, progressRenderer } from '../runner/progress.js';
import type { ProgressInfo, RunOptions, RunSummary } from '../runner/types.js';
import { integerFlags, type PlotArgs, type RunArgs } from './args.js';
import {
  type LearnerKind,
  type LearnerSpec,
  learnerFromSnapshot,
  makeLearner,
  POINT_SHAPES,
  UsageError,
} from './learners.js';
import { toJson } from './output.js';

/**
 * Where a command writes, and the directory relative paths start from.
 * @example
 * const io: CliIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
 */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  cwd: string;
}

/**
 * A failure while running (not the user's arguments): exit code 1.
 * @example
 * throw new RunError('cannot write out.csv: permission denied');
 */
export class RunError extends Error {
  override name = 'RunError';
}

const TS_EXT = /\.[cm]?tsx?$/;

/** Imports a module by path; TypeScript through tsx when it is installed. */
async function importModule(path: string, cwd: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !TS_EXT.test(path)) {
      throw new RunError(`cannot load ${path}: ${err.message}`);
    }
  }
  // A TypeScript module: load it with tsx's ESM API, from the user's project or ours.
  let api: string | undefined;
  for (const from of [join(cwd, 'noop.js'), import.meta.url]) {
    try {
      const pkgFile = createRequire(from).resolve('tsx/package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
        exports?: Record<string, { import?: { default?: string } }>;
      };
      const rel = pkg.exports?.['./esm/api']?.import?.default;
      if (rel !== undefined) {
        api = join(dirname(pkgFile), rel);
        break;
      }
    } catch {
      // try the next place
    }
  }
  if (api === undefined) {
    throw new UsageError(
      `${path} is TypeScript: install tsx (npm i -D tsx) to load it, or point to compiled JavaScript`,
    );
  }
  const { tsImport } = (await import(pathToFileURL(api).href)) as {
    tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>>;
  };
  try {
    return await tsImport(url, import.meta.url);
  } catch (e) {
    throw new RunError(`cannot load ${path}: ${(e as Error).message}`);
  }
}

/** The module's export to sample, checked. */
async function loadFunction(
  path: string,
  exportName: string,
  cwd: string,
): Promise<(p: unknown) => unknown> {
  if (!existsSync(path)) throw new UsageError(`module not found: ${path}`);
  const mod = await importModule(path, cwd);
  const f = mod[exportName];
  if (f === undefined) {
    const names = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new UsageError(
      `${basename(path)} has no export '${exportName}'${
        names.length > 0
          ? `; its functions: ${names.join(', ')} (pick one with --export NAME)`
          : '; it exports no function'
      }`,
    );
  }
  if (typeof f !== 'function') {
    throw new UsageError(
      `${basename(path)}: export '${exportName}' is a ${typeof f}, not a function`,
    );
  }
  return f as (p: unknown) => unknown;
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new UsageError(`file not found: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function writeFile(file: string, text: string | Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    throw new RunError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6
    ? String(Number(x.toPrecision(4)))
    : x.toExponential(3);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const REASONS: Record<string, string> = {
  lossGoal: 'loss goal met',
  npointsGoal: 'points goal met',
  durationGoal: 'duration goal met',
  done: 'the learner is done',
  cancelled: 'stopped',
};

function sameBounds(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  return a.length === b.length && a.every((p, i) => p[0] === b[i]?.[0] && p[1] === b[i]?.[1]);
}

/**
 * The `run` command; resolves with the exit code.
 * @example
 * const code = await runCommand(parseCommand(['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '50']) as RunArgs, io); // 0
 */
export async function runCommand(a: RunArgs, io: CliIO): Promise<number> {
  const modulePath = resolve(io.cwd, a.module);
  // The learner: from the snapshot when resuming, else from the arguments.
  let spec: LearnerSpec;
  let learner: Learner<unknown, unknown>;
  const resumeFile = a.resume === undefined ? undefined : resolve(io.cwd, a.resume);
  if (resumeFile !== undefined) {
    const r = learnerFromSnapshot(readJson(resumeFile), a.resume as string);
    spec = r.spec;
    learner = r.learner;
    if (a.kind !== undefined && a.kind !== spec.kind) {
      throw new UsageError(
        `--learner ${a.kind} does not match ${a.resume}, a snapshot of --learner ${spec.kind}`,
      );
    }
    if (a.integer || a.integerDims !== undefined) {
      // The flags asked for against the snapshot's (Learner1D's integer: true is [true]).
      const want = integerFlags(a, spec.bounds.length);
      const have = spec.integer === true ? [true] : Array.isArray(spec.integer) ? spec.integer : [];
      if (want === undefined || want.some((f, j) => f !== (have[j] ?? false))) {
        throw new UsageError(
          have.length === 0
            ? `--integer does not match ${a.resume}, a snapshot without integer: true`
            : `--integer${a.integerDims === undefined ? '' : '-dims'} does not match ${a.resume}, a snapshot with integer: ${JSON.stringify(have)}`,
        );
      }
    }
    if (a.hull !== undefined && JSON.stringify(a.hull) !== JSON.stringify(spec.hull)) {
      throw new UsageError(
        `--hull ${a.hull.flat().join(',')} does not match ${a.resume}: ${spec.hull === undefined ? 'a learner on a box' : spec.hull.flat().join(',')}`,
      );
    }
    if (a.bounds !== undefined && !sameBounds(a.bounds, spec.bounds)) {
      throw new UsageError(
        `--bounds ${a.bounds.flat().join(',')} do not match ${a.resume}: ${spec.bounds.flat().join(',')}`,
      );
    }
  } else {
    spec = {
      kind: a.kind as LearnerKind,
      bounds: a.bounds ?? [],
      tol: a.tol,
      atol: a.atol,
      rtol: a.rtol,
      minSamples: a.minSamples,
      maxSamples: a.maxSamples,
      integer: a.kind === '1d' ? a.integer : integerFlags(a, a.bounds?.length ?? 0),
      hull: a.hull,
    };
    try {
      learner = makeLearner(spec);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    // A polygon's bounds are its bounding box.
    if (a.hull !== undefined) spec.bounds = (learner as Learner2D).bounds.map(([p, q]) => [p, q]);
  }
  if (a.plot !== undefined && spec.kind === 'average') {
    throw new UsageError(
      '--plot: there is no picture for --learner average (it has no x axis); use --out',
    );
  }
  // The data module (and its CSV parser) is loaded only when a data file is read or written.
  const dataFiles = (): Promise<typeof import('./data-files.js')> => import('./data-files.js');
  if (a.out !== undefined && /\.arrow$/i.test(a.out)) (await dataFiles()).checkOutFile(a.out);
  if (a.load !== undefined) {
    const { describeLoad, loadInto, readTableFile } = await dataFiles();
    const input = readTableFile(resolve(io.cwd, a.load), a.load);
    io.stderr.write(`${describeLoad(loadInto(learner, input, a.load), a.load)}\n`);
  }
  const f = await loadFunction(modulePath, a.exportName, io.cwd);
  const save = a.save !== undefined ? resolve(io.cwd, a.save) : resumeFile;
  const label = `${basename(a.module)}${a.exportName === 'default' ? '' : `#${a.exportName}`}`;

  let master: Master<unknown, unknown> | undefined;
  if (a.workers !== undefined) {
    try {
      master = new WorkerPoolMaster<unknown, unknown>({
        module: modulePath,
        exportName: a.exportName,
        threads: a.workers,
      });
    } catch (e) {
      throw new RunError(`cannot start ${a.workers} worker threads: ${(e as Error).message}`);
    }
  }
  const controller = new AbortController();
  const onSigint = (): void => {
    io.stderr.write('\nstopping: writing what was learnt (Ctrl-C again to quit at once)\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  const render = a.quiet ? undefined : progressRenderer(io.stderr, { label });
  const options: RunOptions<Learner<unknown, unknown>> = {
    retries: a.retries,
    signal: controller.signal,
  };
  if (a.lossGoal !== undefined) options.lossGoal = a.lossGoal;
  if (a.npointsGoal !== undefined) options.npointsGoal = a.npointsGoal;
  if (a.durationGoal !== undefined) options.durationGoal = a.durationGoal;
  // AverageLearner has no done(): without a goal it runs to its tolerances (loss 1).
  if (
    spec.kind === 'average' &&
    a.lossGoal === undefined &&
    a.npointsGoal === undefined &&
    a.durationGoal === undefined
  ) {
    options.lossGoal = 1;
  }
  if (a.concurrency !== undefined) options.concurrency = a.concurrency;
  if (a.live !== undefined) options.live = { port: a.live };
  if (render !== undefined) options.onProgress = (info: ProgressInfo) => render(info);
  if (save !== undefined) {
    try {
      mkdirSync(dirname(save), { recursive: true });
    } catch (e) {
      throw new RunError(`cannot write ${save}: ${(e as Error).message}`);
    }
    options.checkpoint = { path: save, everyMs: 10_000 };
  }

  let summary: RunSummary<unknown, unknown> | undefined;
  let failure: Error | undefined;
  try {
    summary = await run(learner, master ?? f, options);
  } catch (e) {
    failure = e as Error;
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (master !== undefined) await master.close();
  }
  if (failure !== undefined) {
    io.stderr.write(`run failed: ${failure.message}\n`);
    const cause = (failure as { cause?: unknown }).cause;
    if (failure instanceof TypeError || cause instanceof TypeError || learner.npoints === 0) {
      io.stderr.write(
        `(--learner ${spec.kind} calls the function with ${POINT_SHAPES[spec.kind]})\n`,
      );
    }
  }

  // Outputs, also after a failure or Ctrl-C: what was learnt is kept.
  const written: string[] = [];
  if (save !== undefined) {
    try {
      writeCheckpoint(learner, save);
    } catch (e) {
      throw new RunError(`cannot write ${save}: ${(e as Error).message}`);
    }
    written.push(`${a.save ?? a.resume} (snapshot)`);
  }
  if (a.out !== undefined) {
    const file = resolve(io.cwd, a.out);
    if (extname(file).toLowerCase() === '.json') {
      writeFile(file, toJson(spec.kind, learner, spec.bounds));
      written.push(a.out);
    } else {
      let out: { data: string | Uint8Array; rows: number };
      try {
        out = (await dataFiles()).tableFileContents(file, learner);
      } catch (e) {
        throw new RunError(`cannot write ${a.out}: ${(e as Error).message}`);
      }
      writeFile(file, out.data);
      written.push(`${a.out} (${plural(out.rows, 'row')})`);
    }
  }
  if (a.plot !== undefined && learner.npoints > 0) {
    const file = resolve(io.cwd, a.plot);
    writeFile(
      file,
      plotLearner(learner, {
        title: `${label}: ${learner.npoints} points, loss ${fmt(learner.loss())}`,
      }),
    );
    written.push(a.plot);
  }

  const l = learner as unknown as Record<string, number>;
  let line = `${label}: ${plural(learner.npoints, 'point')}, loss ${fmt(learner.loss())}`;
  if (summary !== undefined) {
    line += `, ${(summary.elapsedMs / 1000).toFixed(2)} s (${summary.cancelled ? 'stopped' : (REASONS[summary.reason] ?? summary.reason)})`;
  } else line += ' (failed)';
  io.stdout.write(`${line}\n`);
  if (spec.kind === 'integrator')
    io.stdout.write(`integral ${l.igral} ± ${fmt(l.err as number)}\n`);
  if (spec.kind === 'average') {
    const n = learner.npoints;
    io.stdout.write(
      `mean ${l.mean} ± ${fmt((l.std as number) / Math.sqrt(Math.max(1, n)))} (standard error, ${n} samples)\n`,
    );
  }
  if (written.length > 0) io.stdout.write(`wrote ${written.join(', ')}\n`);
  if (failure !== undefined) return 1;
  // Stopped by Ctrl-C: the files are written, but the goal was not reached (as shells expect).
  return summary?.cancelled === true ? 130 : 0;
}

/**
 * The `plot` command; resolves with the exit code.
 * @example
 * await plotCommand(parseCommand(['plot', 'run.json', '-o', 'run.svg']) as PlotArgs, io); // 0, writes run.svg
 */
export async function plotCommand(a: PlotArgs, io: CliIO): Promise<number> {
  const file = resolve(io.cwd, a.snapshot);
  const { spec, learner } = /\.(csv|arrow)$/i.test(file)
    ? (await import('./data-files.js')).learnerFromTableFile(file, a.snapshot)
    : learnerFromSnapshot(readJson(file), a.snapshot);
  if (spec.kind === 'average') {
    throw new UsageError(`${a.snapshot} is an AverageLearner: it has no picture (no x axis)`);
  }
  if (a.fixed !== undefined && spec.kind !== 'nd' && spec.kind !== 'sparse') {
    throw new UsageError(
      `--fixed is for LearnerND snapshots; ${a.snapshot} is a --learner ${spec.kind} snapshot`,
    );
  }
  if (a.fixed !== undefined && a.fixed.length !== spec.bounds.length) {
    throw new UsageError(
      `--fixed needs ${spec.bounds.length} entries (one per dimension), got ${a.fixed.length}`,
    );
  }
  const title =
    a.title ?? `${basename(a.snapshot)}: ${learner.npoints} points, loss ${fmt(learner.loss())}`;
  const common: { title: string; width?: number; height?: number } = { title };
  if (a.width !== undefined) common.width = a.width;
  if (a.height !== undefined) common.height = a.height;
  let svg: string;
  try {
    svg =
      a.fixed !== undefined
        ? plotSlice(learner as unknown as Parameters<typeof plotSlice>[0], {
            ...common,
            fixed: a.fixed,
          })
        : plotLearner(learner, common);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (a.output === '-') io.stdout.write(svg);
  else {
    writeFile(resolve(io.cwd, a.output), svg);
    io.stdout.write(`wrote ${a.output} (${plural(learner.npoints, 'point')})\n`);
  }
  return 0;
}
