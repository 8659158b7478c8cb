/**
 * Packs the package as a user gets it and installs it into a scratch project outside the
 * repository: the repository's published files (package.json, README, LICENSE, src, the
 * build tsconfigs and scripts/build.mjs) are copied to a scratch clone WITHOUT dist/, `npm pack` runs there (its
 * `prepack` must build dist/), and the tarball is installed with npm into a fresh project
 * (`"type": "module"`, plus `@types/node` for the Node tsconfig of the README).
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Quiet, non-interactive npm: no audit, fund or update notices. */
export const NPM_ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

export interface Packed {
  /** The scratch directory (removed by the caller). */
  dir: string;
  /** The tarball. */
  tarball: string;
  /** The project with the tarball installed. */
  project: string;
}

/** Packs and installs; `files` (name → content) are written into the project first. */
export function packAndInstall(files: Record<string, string>, devDependencies: string[]): Packed {
  const dir = mkdtempSync(join(tmpdir(), 'adaptive-consumer-'));
  const clone = join(dir, 'clone');
  mkdirSync(clone);
  for (const f of [
    'package.json',
    'README.md',
    'LICENSE',
    'src',
    'tsconfig.json',
    'tsconfig.build.json',
    'scripts/build.mjs',
  ]) {
    cpSync(join(root, f), join(clone, f), { recursive: true });
  }
  // The build needs the dev tools (tsc); link them rather than installing again.
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  execFileSync('npm', ['pack', '--pack-destination', dir], {
    cwd: clone,
    env: NPM_ENV,
    stdio: 'pipe',
  });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (tgz === undefined) throw new Error(`npm pack wrote no tarball in ${dir}`);
  const tarball = join(dir, tgz);
  const project = join(dir, 'app');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(project, name, '..'), { recursive: true });
    writeFileSync(join(project, name), text);
  }
  execFileSync('npm', ['install', '--no-package-lock', tarball, ...devDependencies], {
    cwd: project,
    env: NPM_ENV,
    stdio: 'pipe',
  });
  return { dir, tarball, project };
}

/** The fenced blocks of README.md that follow `<!-- name -->`. */
export function readmeBlock(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (m === null) throw new Error(`README.md has no block marked <!-- ${name} -->`);
  return m[1] as string;
}
