// Smoke test of examples/sweep.ts: runs it as a user would (tsx, which resolves
// 'adaptive-sampling' through tsconfig's paths) with a small goal, and checks its summary.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

it('examples/sweep.ts sweeps 9 parameter combinations on one pool and prints a line for each', () => {
  const out = execFileSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'examples', 'sweep.ts'), '180'],
    { cwd: root, encoding: 'utf8' },
  );
  expect(out).toMatch(/^9 parameter combinations, \d+ points in \d+ ms, largest loss \d/);
  const rows = out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => cells.length === 4 && /^0\.\d+$/.test(cells[0] as string));
  expect(rows).toHaveLength(9);
  const points = rows.map((cells) => Number(cells[2]));
  expect(points.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(180);
  for (const n of points) expect(n).toBeGreaterThan(3); // every curve got a share
}, 60_000);
