/**
 * The package used from outside, as a user does (issue 14): `npm pack` from a clone without
 * dist/, the tarball installed into a scratch project in the temporary directory, then
 * - an ESM script (learners, runSync, run, a worker pool) on Node 20 (this one), Node 22, 24
 *   and 26, Bun 1 and Deno 2 (`npx -y node@N`, `bun@1`, `deno@2`: the npm packages ship the
 *   binaries; npx caches them in npm's cache, so only the first run downloads);
 * - a CommonJS `require` of the package on each of them;
 * - a strict TypeScript check with each tsconfig of the README (Node and browser);
 * - a page importing `adaptive-sampling`, built by Vite (no warning may be printed) and run
 *   in headless Chromium (skipped, with the reason, only when there is no Chromium).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NPM_ENV, type Packed, packAndInstall, readmeBlock, root } from './pack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PROJECT = join(root, 'test', 'consumer', 'project');

function projectFiles(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) Object.assign(out, projectFiles(join(dir, e.name), `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = readFileSync(join(dir, e.name), 'utf8');
  }
  return out;
}

let packed: Packed;

beforeAll(() => {
  packed = packAndInstall(projectFiles(PROJECT), ['@types/node@20']);
}, 180_000);

afterAll(() => {
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
});

/** Runs a command in the project; returns stdout, throws with stderr on failure. */
function sh(cmd: string, args: string[], timeout = 120_000): string {
  const r = spawnSync(cmd, args, { cwd: packed.project, env: NPM_ENV, encoding: 'utf8', timeout });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}:\n${r.stderr}\n${r.stdout}`,
    );
  }
  return r.stdout;
}

/** The last line of output as JSON (npx may print notices before it). */
function lastJson(out: string): Record<string, unknown> {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
}

function checkEsm(out: Record<string, unknown>): void {
  expect(out.runSync).toMatchObject({ npoints: 300 });
  expect((out.runSync as { loss: number }).loss).toBeLessThan(0.05);
  expect(out.learner2d).toEqual({ npoints: 200 });
  expect(out.runAsync).toEqual({ npoints: 100, reason: 'npointsGoal' });
  expect(out.svg).toBe(true);
  const pool = out.pool as { npoints: number; tanhAtHalf: number };
  expect(pool.npoints).toBeGreaterThanOrEqual(200);
  expect(pool.tanhAtHalf).toBeCloseTo(Math.tanh(10), 6);
  expect((out.poolOptions as { npoints: number }).npoints).toBeGreaterThanOrEqual(50);
}

function checkCjs(out: Record<string, unknown>): void {
  expect(out).toEqual({ npoints: 100, svg: true, pool: true });
}

describe('the packed tarball', () => {
  it('holds dist/ (built by prepack), LICENSE, README and the types of both entries', () => {
    const files = execFileSync('tar', ['tzf', packed.tarball], { encoding: 'utf8' }).split('\n');
    for (const f of [
      'package/LICENSE',
      'package/README.md',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/node.js',
      'package/dist/node.d.ts',
      'package/dist/worker-entry.js',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.tgz') || f.includes('/test/'))).toEqual([]);
  });
});

// Node 20 is the one running this test; the others come from the npm registry through npx.
const RUNTIMES: [name: string, esm: string[], cjs: string[]][] = [
  ['node 20 (this one)', [process.execPath, 'app.mjs'], [process.execPath, 'app.cjs']],
  ...[22, 24, 26].map((v): [string, string[], string[]] => [
    `node ${v}`,
    ['npx', '-y', `node@${v}`, 'app.mjs'],
    ['npx', '-y', `node@${v}`, 'app.cjs'],
  ]),
  ['bun 1', ['npx', '-y', 'bun@1', 'app.mjs'], ['npx', '-y', 'bun@1', 'app.cjs']],
  [
    'deno 2',
    ['npx', '-y', 'deno@2', 'run', '-A', 'app.mjs'],
    ['npx', '-y', 'deno@2', 'run', '-A', 'app.cjs'],
  ],
];

describe.each(RUNTIMES)('%s', (_name, esm, cjs) => {
  it('runs the ESM script: learners, runSync, run, a worker pool, run with pool options', () => {
    checkEsm(lastJson(sh(esm[0] as string, esm.slice(1))));
  }, 180_000);

  it('requires the package from CommonJS', () => {
    checkCjs(lastJson(sh(cjs[0] as string, cjs.slice(1))));
  }, 180_000);

  it('a worker that exits, throws, throws from a timer or hangs fails only its point', () => {
    const run = [...esm.slice(0, -1), 'failures.mjs'];
    expect(lastJson(sh(run[0] as string, run.slice(1)))).toEqual({
      exits: { failed: ['7:WorkerCrashError'], wrong: 0, after: 10 },
      throws: { failed: ['5:RangeError'], wrong: 0, after: 10 },
      throwsInATimer: { failed: ['3:WorkerCrashError'], wrong: 0, after: 10 },
      hangs: { failed: ['2:TimeoutError'], wrong: 0, after: 10 },
    });
  }, 180_000);
});

describe('TypeScript with the README tsconfigs', () => {
  const tsc = join(root, 'node_modules', '.bin', 'tsc');

  function check(name: string, files: string[]): string {
    const config = JSON.parse(readmeBlock(name)) as { compilerOptions: Record<string, unknown> };
    config.compilerOptions.noEmit = true;
    const file = `tsconfig.${name.replace(':', '-')}.json`;
    writeFileSync(join(packed.project, file), JSON.stringify({ ...config, files }));
    const r = spawnSync(tsc, ['-p', file], { cwd: packed.project, encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`.trim();
  }

  it('a Node project (strict, nodenext, @types/node) type-checks against the Node entry', () => {
    expect(check('tsconfig:node', ['app.ts'])).toBe('');
  });

  it('a browser project (strict, bundler, lib dom, no @types) type-checks against the browser entry', () => {
    expect(check('tsconfig:web', ['web.ts'])).toBe('');
  });

  it('the browser entry has no WorkerPoolMaster (it is Node-only)', () => {
    writeFileSync(
      join(packed.project, 'web-pool.ts'),
      "import { WorkerPoolMaster } from 'adaptive-sampling';\nexport { WorkerPoolMaster };\n",
    );
    expect(check('tsconfig:web', ['web-pool.ts'])).toMatch(
      /has no exported member 'WorkerPoolMaster'/,
    );
  });
});

describe('a git install', () => {
  // What `npm install git+<url>` does with a clone: npm installs its dev dependencies and
  // runs its prepare script (the build) while packing it. HEAD is what is installed.
  const isGit = spawnSync('git', ['rev-parse', '--git-dir'], { cwd: root }).status === 0;
  it.skipIf(!isGit)(
    `installs from a git URL with dist/ built, and runs${isGit ? '' : ' (skipped: not a git checkout)'}`,
    () => {
      const project = join(packed.dir, 'git-app');
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'git-consumer', private: true, type: 'module' }),
      );
      for (const f of ['app.mjs', 'f.mjs'])
        writeFileSync(join(project, f), readFileSync(join(PROJECT, f)));
      const head = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: root,
        encoding: 'utf8',
      }).trim();
      execFileSync('npm', ['install', '--no-package-lock', `git+file://${root}#${head}`], {
        cwd: project,
        env: NPM_ENV,
        stdio: 'pipe',
      });
      expect(
        existsSync(join(project, 'node_modules', 'adaptive-sampling', 'dist', 'node.js')),
      ).toBe(true);
      const out = execFileSync(process.execPath, ['app.mjs'], { cwd: project, encoding: 'utf8' });
      checkEsm(lastJson(out));
    },
    180_000,
  );
});

describe('the README command-line block, in the project', () => {
  it('runs every command of it (npx adaptive-sampling run, resume, plot, --workers)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const m = /```sh\n(# f\.mjs:[\s\S]*?)```/.exec(readme);
    if (m === null) throw new Error('README.md has no command-line block starting with # f.mjs:');
    const lines = (m[1] as string).trim().split('\n');
    // The modules the block names in its comments, written as it says.
    for (const l of lines.filter((x) => x.startsWith('#'))) {
      const [, file, code] = /^# (\S+):\s+(.*)$/.exec(l) ?? [];
      if (file && code) writeFileSync(join(packed.project, file), `${code}\n`);
    }
    const commands = lines.filter((x) => x.startsWith('npx '));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const c of commands) sh('bash', ['-c', c]);
    const csv = readFileSync(join(packed.project, 'f.csv'), 'utf8');
    expect(csv.trim().split('\n').length).toBeGreaterThan(20);
    expect(JSON.parse(readFileSync(join(packed.project, 'run.json'), 'utf8'))).toBeTruthy();
    expect(readFileSync(join(packed.project, 'run.svg'), 'utf8')).toMatch(/^<svg/);
  }, 180_000);
});

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

async function serve(dir: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

describe('a browser page importing adaptive-sampling', () => {
  const log: string[] = [];
  const warnings: string[] = [];
  let outDir = '';

  beforeAll(async () => {
    outDir = join(packed.project, 'web-dist');
    const logger = createLogger('info', { allowClearScreen: false });
    logger.info = (msg) => void log.push(msg);
    logger.warn = (msg) => {
      log.push(`warning: ${msg}`);
      warnings.push(msg);
    };
    logger.warnOnce = logger.warn;
    logger.error = (msg) => {
      log.push(`error: ${msg}`);
      warnings.push(msg);
    };
    await build({
      configFile: false,
      root: join(packed.project, 'web'),
      logLevel: 'info',
      customLogger: logger,
      build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
    });
    console.log(`Vite build log:\n${log.join('\n')}`);
  }, 120_000);

  it('builds with Vite without a warning (no node builtins, no worker code in the bundle)', () => {
    expect(warnings).toEqual([]);
    expect(log.join('\n')).toMatch(/built in/);
    const js = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    const bundle = js.map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
    expect(bundle).not.toMatch(/node:|piscina|worker_threads|worker-entry/);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    `runs in headless Chromium: learners, runSync, run with async and sync functions${existsSync(CHROMIUM) ? '' : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium or set CHROMIUM_PATH)`}`,
    async () => {
      const server = await serve(outDir);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        await page.locator('body[data-state="done"]').waitFor({ timeout: 60_000 });
        const out = JSON.parse((await page.locator('#out').textContent()) ?? '') as Record<
          string,
          unknown
        >;
        expect(errors).toEqual([]);
        expect(out.runSync).toMatchObject({ npoints: 300 });
        expect(out.learner2d).toEqual({ npoints: 100 });
        expect(out.runAsync).toEqual({ npoints: 100, reason: 'npointsGoal' });
        expect(out.runSyncFn).toEqual({ npoints: 2000 });
        expect(out.svg).toBe(true);
        expect(out.poolError).toMatch(/need Node worker threads/);
      } finally {
        await browser.close();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    120_000,
  );
});
