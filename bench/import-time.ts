/**
 * What importing each entry of the package costs before the first line of the user's code:
 * `await import(entry)` in a fresh `node` process, wall and CPU ms (`process.cpuUsage()`, all
 * threads), the minimum of 10 processes an entry. The entries are the files package.json's
 * `exports` (the `node` condition, else `default`) and `bin` name under a package root, so the
 * same script measures any build: `--before <root>` measures a second root too, in alternating
 * processes, and prints both side by side.
 *
 *   npm run build && tsc -p tsconfig.bench.json && node dist-bench/bench/import-time.js
 *   node dist-bench/bench/import-time.js --before /tmp/old-package   # a root with dist/ and package.json
 *
 * Measured on the 2-core machine shared with other jobs (load 1.8), Node 20.20, CPU ms, min of
 * 10 processes: before = tsc's output (180 files, one a module), after = `npm run build`'s
 * esbuild bundles (one file an entry, 20 shared chunks, 930 kB). Node's loader costs about
 * 0.5 ms a module; what is left is parsing 730 kB (the Node entry reaches every learner) and
 * robust-predicates' own modules; `await import('node:worker_threads')` alone is 6.5 ms.
 *
 * | entry | before | after | after/before |
 * |---|---:|---:|---:|
 * | `.` / `./node` (dist/node.js) | 85.8 | 35.3 | 0.41 |
 * | `./plot` | 19.7 | 12.1 | 0.61 |
 * | `./bullmq` | 19.6 | 15.0 | 0.77 |
 * | `./live` | 30.8 | 21.4 | 0.69 |
 * | `./testing` | 52.2 | 32.9 | 0.63 |
 * | `./data` | 104 | 44.9 | 0.43 |
 * | bin (dist/cli/main.js) | 98.7 | 45.7 | 0.46 |
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, isMain, machineLine, printTable } from './harness.js';

const RUNS = 10;

/** One entry's import cost under one package root. */
export interface ImportTime {
  entry: string;
  file: string;
  /** Minimum over the processes, wall ms. */
  ms: number;
  /** Minimum over the processes, CPU ms (user + system, all threads). */
  cpuMs: number;
}

type Exports = Record<string, string | { node?: unknown; default?: unknown; types?: unknown }>;

/** The JavaScript file of a conditional export: `node`, else `default` (nested objects too). */
function target(e: unknown): string {
  if (typeof e === 'string') return e;
  const o = e as { node?: unknown; default?: unknown };
  return target(o.node ?? o.default);
}

/**
 * The entries of the package at `root`: subpath → file, from package.json's exports and bin.
 * @example
 * entries('.'); // [['.', './dist/node.js'], ['. (default)', './dist/index.js'], …, ['bin', './dist/cli/main.js']]
 */
export function entries(root: string): [string, string][] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports: Exports;
    bin: Record<string, string>;
  };
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(pkg.exports)) {
    if (k === './package.json') continue;
    out.push([k, target(v)]);
    // The browser's file of an entry with a `node` condition (Node never loads it).
    if (typeof v === 'object' && v.node !== undefined && v.default !== undefined) {
      out.push([`${k} (default)`, target(v.default)]);
    }
  }
  for (const v of Object.values(pkg.bin)) out.push(['bin', v]);
  return out;
}

/** One fresh process importing `file`: wall and CPU ms of the import. */
function once(file: string): { ms: number; cpuMs: number } {
  const url = pathToFileURL(file).href;
  const src =
    'const c0 = process.cpuUsage(); const t0 = performance.now();' +
    `await import(${JSON.stringify(url)});` +
    'const t = performance.now() - t0; const c = process.cpuUsage(c0);' +
    'console.log(JSON.stringify({ ms: t, cpuMs: (c.user + c.system) / 1000 }));';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', src], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ms: number; cpuMs: number };
}

/**
 * Import times of every entry under each root, in alternating processes (root 1, root 2, root
 * 1, …) so that the machine's load falls on both alike.
 * @example
 * importTimes(['.', '/tmp/old']); // [[{ entry: '.', ms: 21.3, cpuMs: 24.1, … }, …], […]]
 */
export function importTimes(roots: readonly string[], runs = RUNS): ImportTime[][] {
  const lists = roots.map((r) => entries(r));
  const res = lists.map((l, i) =>
    l.map(([entry, file]) => ({
      entry,
      file: resolve(roots[i] as string, file),
      ms: Number.POSITIVE_INFINITY,
      cpuMs: Number.POSITIVE_INFINITY,
    })),
  );
  for (let run = 0; run < runs; run++) {
    for (let e = 0; e < (res[0] as ImportTime[]).length; e++) {
      for (const r of res) {
        const row = r[e] as ImportTime;
        const t = once(row.file);
        row.ms = Math.min(row.ms, t.ms);
        row.cpuMs = Math.min(row.cpuMs, t.cpuMs);
      }
    }
  }
  return res;
}

/**
 * Prints one root's times, or two side by side (`before` first).
 * @example
 * printImportTimes(importTimes(['.']));
 */
export function printImportTimes(res: readonly ImportTime[][], labels: readonly string[]): void {
  const header = ['entry', 'file'];
  for (const l of labels) header.push(`${l} ms`, `${l} CPU ms`);
  if (res.length === 2) header.push('CPU ratio');
  const first = res[0] as ImportTime[];
  const at = (r: number, i: number): ImportTime => (res[r] as ImportTime[])[i] as ImportTime;
  printTable(
    `Importing each entry in a fresh node process (min of ${RUNS} processes; wall and CPU ms)`,
    header,
    first.map((row, i) => {
      const cells = [row.entry, row.file.slice(row.file.lastIndexOf('/dist/') + 1)];
      for (let r = 0; r < res.length; r++) cells.push(fmt(at(r, i).ms), fmt(at(r, i).cpuMs));
      if (res.length === 2) cells.push(fmt(at(1, i).cpuMs / at(0, i).cpuMs));
      return cells;
    }),
  );
}

if (isMain(import.meta.url)) {
  const here = fileURLToPath(new URL('../..', import.meta.url));
  const i = process.argv.indexOf('--before');
  const roots = i >= 0 ? [process.argv[i + 1] as string, here] : [here];
  const labels = i >= 0 ? ['before', 'after'] : ['this build'];
  console.log(machineLine());
  printImportTimes(importTimes(roots), labels);
}
