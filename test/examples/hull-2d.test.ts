// examples/hull-2d.ts run as a user would (tsx, no build) with a small goal, as
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
const out = mkdtempSync(join(tmpdir(), 'as-hull-2d-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('examples/hull-2d.ts', () => {
  it('samples the Brillouin zone, gets the Dirac points, no NaN inside, draws the outline', async () => {
    const { stdout: s } = await promisify(execFile)(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'examples', 'hull-2d.ts'), '400'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, OUT_DIR: out }, timeout: 120_000 },
    );
    expect(s).toMatch(/^400 points, loss [\d.]+, in \d+ ms/m);
    expect(s).toMatch(/^band at the six corners \(the Dirac points\): (0\.0e\+0, ){5}0\.0e\+0$/m);
    const m =
      /^RMS error over \d+ points of the zone: Learner2D ([\d.e+-]+), LearnerND ([\d.e+-]+) \(Learner2D NaN at (\d+) points/m.exec(
        s,
      );
    expect(Number(m?.[1])).toBeLessThan(Number(m?.[2]));
    expect(m?.[3]).toBe('0');
    const doc = parseSvg(readFileSync(join(out, 'hull-2d.svg'), 'utf8'));
    expect(byClass(doc, 'domain-outline')).toHaveLength(1);
    expect(byClass(doc, 'point')).toHaveLength(400);
  });
});
