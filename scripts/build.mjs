/**
 * `npm run build`: the package's dist/.
 *
 * - tsc (tsconfig.build.json) type-checks src/ and writes the declarations (dist/**\/*.d.ts),
 *   whose paths the `types` of package.json name;
 * - esbuild bundles the JavaScript of every package entry into dist/ in one build with code
 *   splitting: what two entries share is in one chunk (dist/chunk-*.js), so a class is the
 *   same object whichever subpath it is imported from (`instanceof` across `.` and `./plot`).
 *   A module costs Node's ES module loader about 0.6 ms; the 180 files of the tsc output made
 *   the Node entry's import 86–104 ms CPU (bench/import-time.ts has the table).
 * - the worker that WorkerPoolMaster starts is bundled alone (it runs in its own thread and
 *   shares no object with the main one) and written beside the output file that holds
 *   master/worker-pool.ts, which finds it as `./worker-entry.js` relative to its own URL.
 *
 * Dependencies and the optional peers stay external (`packages: 'external'`), and so do
 * Node's built-in modules. One build, platform `neutral`: the browser-safe entries (`.`,
 * `./plot`, `./data`) reach no `node:` module (the dependency-cruiser rule
 * `browser-entries-without-node` reads dist/ after the build).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** The entries of package.json's `exports` (and `bin`), by their path under src/. */
export const ENTRIES = [
  'index',
  'node',
  'plot/index',
  'bullmq/index',
  'live/index',
  'testing/index',
  'data/index',
  'cli/main',
];

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  external: ['node:*'],
  sourcemap: true,
  // dist/*.js.map point into src/, which the package ships.
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
};

// tsc first: it fails on a type error before anything is bundled. dist/ is not emptied
// first: tests that build it may run at once (Vitest runs files in parallel), and every file
// is overwritten in place as tsc did; the chunk names are hashes of their content, so two
// builds of the same sources write the same files.
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.build.json',
    '--emitDeclarationOnly',
  ],
  { cwd: root, stdio: 'inherit' },
);

const main = await build({
  ...common,
  entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, `src/${e}.ts`])),
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  metafile: true,
  write: false,
});

// The output file that holds the worker pool: the worker entry goes beside it.
const pool = Object.entries(main.metafile.outputs).find(
  ([out, o]) => out.endsWith('.js') && 'src/master/worker-pool.ts' in o.inputs,
);
if (pool === undefined) throw new Error('build: no output holds src/master/worker-pool.ts');
const worker = await build({
  ...common,
  entryPoints: ['src/master/worker-entry.ts'],
  outfile: join(dirname(pool[0]), 'worker-entry.js'),
  write: false,
});

const written = new Set();
for (const f of [...main.outputFiles, ...worker.outputFiles]) {
  mkdirSync(dirname(f.path), { recursive: true });
  writeFileSync(f.path, f.contents);
  written.add(f.path);
}
// JavaScript left from an earlier build (tsc's one file a module, older chunks).
for (const e of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  const file = join(e.parentPath, e.name);
  if (e.isFile() && /\.js(\.map)?$/.test(e.name) && !written.has(file)) rmSync(file);
}
