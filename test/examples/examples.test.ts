// Smoke test of every example: runs it as a user would (tsx, which resolves 'adaptive-sampling'
// through tsconfig's paths, so no build is needed) with a small goal, writing its pictures
// into a temporary directory (OUT_DIR, --out), and checks what it prints and draws.
// examples/sweep.ts has its own test (sweep.test.ts).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { byClass, parseSvg } from '../plot/svg-parse.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const out = mkdtempSync(join(tmpdir(), 'as-examples-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function example(name: string, ...args: string[]): Promise<string> {
  return runTs(join(root, 'examples', `${name}.ts`), ...args);
}

async function runTs(file: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(tsx, [file, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OUT_DIR: out, DEMO_COST_US: '5' },
    timeout: 120_000,
  });
  return stdout;
}

const svg = (file: string) => parseSvg(readFileSync(join(out, file), 'utf8'));

/** The README section on the conformance kit, up to the next section. */
function readmeTestingSection(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Testing your own learners and losses');
  expect(start).toBeGreaterThanOrEqual(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

describe.concurrent('examples', () => {
  it('plot-1d.ts draws both components and rings the latest points', async () => {
    const s = await example('plot-1d', '60');
    // With 4 evaluations in flight, a few more than 60 may arrive.
    const n = Number(/^(\d+) points, loss [\d.]+, in \d+ ms → .*plot-1d\.svg$/m.exec(s)?.[1]);
    expect(n).toBeGreaterThanOrEqual(60);
    const doc = svg('plot-1d.svg');
    expect(byClass(doc, 'curve')).toHaveLength(2);
    expect(byClass(doc, 'point')).toHaveLength(2 * n);
    expect(byClass(doc, 'latest').length).toBeGreaterThan(0);
  });

  it('sparse-grid.ts samples 8-D and 10-D functions and draws a slice', async () => {
    const s = await example('sparse-grid', '400');
    expect(s).toMatch(/^8-D: 400 points, loss [\d.e-]+, in \d+ ms$/m);
    expect(s).toMatch(
      /^RMS error: sparse grid [\d.e-]+, nearest neighbour of random points [\d.e-]+$/m,
    );
    const off = Number(/^10-D: 400 points, (\d+) of them off the \(x0, x1\) plane$/m.exec(s)?.[1]);
    // The 2-D grid plus 16 points per anchored side: twice 16 when the anchor moves off the
    // centre in a dimension that matters (anchor "auto", see sparse-grid/anchor.ts).
    expect(off).toBeLessThanOrEqual(32);
    expect(byClass(svg('sparse-grid-slice.svg'), 'colorbar')).toHaveLength(1);
  });

  it('heatmap-2d.ts draws triangles and a colour bar', async () => {
    const s = await example('heatmap-2d', '150');
    expect(s).toMatch(/^150 points, loss [\d.]+, in \d+ ms/m);
    const doc = svg('heatmap-2d.svg');
    expect(byClass(doc, 'triangles')).toHaveLength(1);
    expect(byClass(doc, 'colorbar')).toHaveLength(1);
    expect(byClass(doc, 'point')).toHaveLength(150);
  });

  it('integral.ts integrates the peak to its tolerance', async () => {
    const s = await example('integral', '1e-6');
    const got = Number(/^integral {2}([\d.e-]+) ±/m.exec(s)?.[1]);
    const exact = Number(/^exact {5}([\d.e-]+)$/m.exec(s)?.[1]);
    expect(Math.abs(got - exact)).toBeLessThan(1e-6 * exact * 10);
    expect(byClass(svg('integral.svg'), 'point').length).toBeGreaterThan(10);
  });

  it('noisy-average.ts estimates π and learns a noisy curve', async () => {
    const s = await example('noisy-average', '2000');
    const pi = Number(/^π ≈ ([\d.]+) ± ([\d.]+)/m.exec(s)?.[1]);
    expect(Math.abs(pi - Math.PI)).toBeLessThan(0.1);
    expect(s).toMatch(/^noisy curve: \d+ points, 20\d\d samples/m);
    expect(byClass(svg('noisy-average.svg'), 'errorbars')).toHaveLength(1);
  });

  it('instrument.ts measures a spectrum through a custom Master and finds the deep line', async () => {
    const s = await example('instrument', '150');
    const m = /^150 wavelengths in \d+ ms on 2 channels; deepest line at ([\d.]+) nm/m.exec(s);
    expect(m, s).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - 486.1)).toBeLessThan(1);
    expect(byClass(svg('instrument.svg'), 'point')).toHaveLength(150);
  });

  it('gallery.ts draws a sweep, a slice, a cut and a loss curve', async () => {
    const s = await example('gallery', '0.1');
    expect(s.match(/^→ /gm)).toHaveLength(4);
    expect(byClass(svg('sweep.svg'), 'panel')).toHaveLength(6);
    expect(byClass(svg('slice.svg'), 'cells')).toHaveLength(1);
    expect(byClass(svg('cut.svg'), 'curve')).toHaveLength(1);
    expect(byClass(svg('loss.svg'), 'curve')).toHaveLength(1);
  });

  it('custom-loss.ts passes a custom loss and catches its buggy variant with the message the README shows', async () => {
    const s = await example('custom-loss');
    expect(s).toMatch(
      /^Learner1D\(heightWeighted\), random values: obeys every law \(500 runs each\)$/m,
    );
    expect(s).toMatch(
      /^Learner1D\(signedHeight\), f = sin\(3x\): obeys every law: the bug hides$/m,
    );
    expect(s).toMatch(/^Learner1D\(signedHeight\), random values: caught$/m);
    const message = s.slice(s.indexOf('Learner law "')).trimEnd();
    expect(message).toMatch(
      /^Learner law "lossNonNegative" failed for Learner1D\(signedHeight\): /,
    );
    // The README pastes this message, its counterexample line shortened.
    const section = readmeTestingSection();
    for (const line of message.split('\n')) {
      if (!line.startsWith('  counterexample: ')) expect(section).toContain(line);
    }
  });

  it("the README's custom-loss test is the example's code, and passes", async () => {
    const section = readmeTestingSection();
    const snippet = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const code = readFileSync(join(root, 'examples', 'custom-loss.ts'), 'utf8');
    const regions = [...code.matchAll(/\/\/ \[readme:(\w+)\]\n([\s\S]*?)\/\/ \[\/readme:\1\]\n/g)];
    expect(regions.map((r) => r[1])).toEqual(['loss', 'subject']);
    for (const [, , text] of regions) expect(snippet).toContain(text);
    // Run it with a stand-in for Vitest's `it` (a file under the repository, so that tsx
    // resolves 'adaptive-sampling' and fast-check as the example does).
    const vitestImport = "import { it } from 'vitest';";
    expect(snippet).toContain(vitestImport);
    const dir = join(root, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-custom-loss-${process.pid}.ts`);
    writeFileSync(
      file,
      snippet.replace(
        vitestImport,
        "const it = (name: string, test: () => void): void => { test(); console.log('passed: ' + name); };",
      ),
    );
    try {
      expect(await runTs(file)).toBe('passed: heightWeighted obeys the learner laws\n');
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('peak.ts compares adaptive with uniform sampling', async () => {
    const s = await example('peak');
    const adaptive = Number(/^ {2}adaptive +\d+ +([\d.e+-]+)$/m.exec(s)?.[1]);
    const uniform = Number(/^ {2}uniform +\d+ +([\d.e+-]+)$/m.exec(s)?.[1]);
    expect(adaptive).toBeLessThan(uniform);
  });

  it('demo.ts (the README demo) writes its pictures and shows adaptive beating uniform on the peak and the ring', async () => {
    const dir = join(out, 'demo');
    const s = await example('demo', '--quick', '--out', dir, '--threads', '2');
    for (const name of ['peak', 'ring']) {
      const row = new RegExp(`^ {2}${name} .*$`, 'm').exec(s)?.[0] ?? '';
      const [aMax, uMax, aMean, uMean] = row
        .split(/\s+/)
        .filter((c) => /^\d\.\de[+-]\d+$/.test(c))
        .map(Number);
      expect(row, s).not.toBe('');
      expect(aMax).toBeLessThan(uMax as number);
      expect(aMean).toBeLessThan(uMean as number);
    }
    expect(s).toMatch(/^ {2}noisy +AverageLearner1D/m);
    expect(readdirSync(dir)).toEqual(
      expect.arrayContaining([
        'noisy.svg',
        'peak-error.svg',
        'peak.svg',
        'ring-uniform.svg',
        'ring.svg',
      ]),
    );
    const ring = parseSvg(readFileSync(join(dir, 'ring.svg'), 'utf8'));
    expect(byClass(ring, 'colorbar')).toHaveLength(1);
  });
});
