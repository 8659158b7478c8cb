// Builds dist/ as `npm run build` does (tsc's declarations, esbuild's bundles) and runs a
// script against it with plain node.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

it('the compiled dist/ works in plain node, through the package exports', () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  const out = execFileSync(process.execPath, [join(root, 'test', 'smoke', 'dist-smoke.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(out).toContain('dist smoke test: ok');
}, 120_000);
