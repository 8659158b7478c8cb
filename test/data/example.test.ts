// examples/save-and-continue.ts runs as a user runs it (tsx): saves CSV and Arrow, loads the
// CSV into learner.new() and samples on; its files read back as the learner it wrote.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { fromArrow, loadData, toRows } from '../../src/data/index.js';
import { Learner2D } from '../../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'as-data-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('save-and-continue.ts: 120 points saved, loaded whole, sampled on to 240', async () => {
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'examples', 'save-and-continue.ts'), '120'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, OUT_DIR: out }, timeout: 120_000 },
  );
  expect(stdout).toMatch(/^day 1: 120 points, loss [\d.]+ -> ring\.csv, ring\.arrow$/m);
  expect(stdout).toMatch(/^day 2: loaded 120 points \(0 skipped\)/m);
  expect(stdout).toMatch(/^day 2: 240 points, loss [\d.]+$/m);
  expect(stdout).toContain('ring.arrow: 120 rows, columns x, y, z');
  const fromCsv = new Learner2D({
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
  });
  loadData(fromCsv, readFileSync(join(out, 'ring.csv'), 'utf8'));
  expect(fromArrow(readFileSync(join(out, 'ring.arrow')))).toEqual(toRows(fromCsv));
});
