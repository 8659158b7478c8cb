// examples/average2d.ts run as a user would (tsx, no build) with a small goal, as
// examples.test.ts runs the other examples: its figures go to a temporary directory.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { byClass, parseSvg } from '../plot/svg-parse.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'as-average2d-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('examples/average2d.ts', () => {
  it('learns the noisy ring, beats the uniform grid and draws means and errors', async () => {
    const { stdout: s } = await promisify(execFile)(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'examples', 'average2d.ts'), '2000'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, OUT_DIR: out }, timeout: 120_000 },
    );
    const n = Number(
      /^(\d+) points, 2000 samples \(\d+–\d+ per point\), loss [\d.]+/m.exec(s)?.[1],
    );
    expect(n).toBeGreaterThan(50);
    const m = /^RMS error of the means: adaptive ([\d.]+), uniform grid 22×22×4 ([\d.]+)$/m.exec(s);
    expect(Number(m?.[1])).toBeLessThan(Number(m?.[2]));
    const doc = parseSvg(readFileSync(join(out, 'average2d.svg'), 'utf8'));
    expect(byClass(doc, 'means')).toHaveLength(1);
    expect(byClass(doc, 'uncertainty')).toHaveLength(1);
    expect(byClass(doc, 'colorbar')).toHaveLength(2);
    expect(byClass(doc, 'point')).toHaveLength(2 * n);
  });
});
