// examples/lattice-size.ts run as a user would (tsx, no build) with a small goal, as
// examples.test.ts runs the other examples: its figure goes to a temporary directory.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { byClass, parseSvg } from '../plot/svg-parse.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'as-lattice-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('examples/lattice-size.ts', () => {
  it('asks whole system sizes only and draws the lattice lines under the points', async () => {
    const { stdout: s } = await promisify(execFile)(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'examples', 'lattice-size.ts'), '400'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, OUT_DIR: out }, timeout: 120_000 },
    );
    const m = /^400 points on (\d+) of the 64 sizes \(\d+–\d+ couplings each\), loss [\d.]+$/m.exec(
      s,
    );
    expect(Number(m?.[1])).toBeGreaterThan(40);
    expect(s).toMatch(/^every n an integer: true$/m);
    const doc = parseSvg(readFileSync(join(out, 'lattice.svg'), 'utf8'));
    expect(byClass(doc, 'lattice')).toHaveLength(1);
    expect(byClass(doc, 'point')).toHaveLength(400);
  });
});
