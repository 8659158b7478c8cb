// The live page (web/) in a real headless Chromium: builds it with Vite's JS API, serves
// it from a static server on a free loopback port, and drives it as a user would through
// playwright-core and Debian's chromium (never a downloaded browser). Screenshots go to
// test-artifacts/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(root, 'test-artifacts');
// Generous: 2 shared, busy cores. The page's runs take well under a second when idle.
const RUN_TIMEOUT = 45_000;
const TEST_TIMEOUT = 120_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

let outDir = '';
let server: Server | undefined;
let baseUrl = '';
let browser: Browser | undefined;

/** Serves `dir` on 127.0.0.1 at a free port; only GET of files under `dir`. */
async function serve(dir: string): Promise<Server> {
  const s = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

// Skipped (not passed) only when there is no Chromium, with the reason in the title.
const NO_CHROMIUM = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`;

beforeAll(async () => {
  if (NO_CHROMIUM !== undefined) return;
  outDir = await mkdtemp(join(tmpdir(), 'adaptive-web-'));
  await build({
    configFile: join(root, 'web', 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  server = await serve(outDir);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // playwright-core gives every launch a fresh temporary profile (user-data-dir).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, '.gitignore'), '*\n');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (outDir) await rm(outDir, { recursive: true, force: true });
}, 30_000);

/** A fresh page, with its errors collected (a thrown error or console.error fails the test). */
async function open(): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  await page.goto(baseUrl);
  await page.locator('body[data-state="idle"]').waitFor({ timeout: RUN_TIMEOUT });
  return { page, errors };
}

/** Waits for the run to end (no sleeping: the page marks `data-state` after drawing). */
async function waitForEnd(page: Page): Promise<string> {
  await page
    .locator('body:is([data-state="done"], [data-state="stopped"], [data-state="error"])')
    .waitFor({ timeout: RUN_TIMEOUT });
  const state = (await page.locator('body').getAttribute('data-state')) ?? '';
  if (state === 'error') return `error: ${await page.locator('#error').textContent()}`;
  return state;
}

async function numberIn(page: Page, selector: string): Promise<number> {
  return Number(await page.locator(selector).getAttribute('data-value'));
}

async function setGoal(page: Page, kind: 'npoints' | 'loss', value: number): Promise<void> {
  await page.locator('#goal-kind').selectOption(kind);
  await page.locator('#goal-value').fill(String(value));
}

async function pace(page: Page, batch: number, delayMs: number): Promise<void> {
  await page.locator('#batch').fill(String(batch));
  await page.locator('#delay').fill(String(delayMs));
}

describe.skipIf(NO_CHROMIUM !== undefined)(
  `the live page in headless Chromium${NO_CHROMIUM ? ` (skipped: ${NO_CHROMIUM})` : ''}`,
  () => {
    it(
      'loads with its gallery, learners and goals',
      async () => {
        const { page, errors } = await open();
        expect(await page.title()).toBe('adaptive-sampling: live');
        const gallery = await page.locator('#gallery option').allTextContents();
        expect(gallery.join('|')).toMatch(/peak.*tanh.*sin\(1\/x\).*step.*custom/);
        expect(await page.locator('#learner option').count()).toBe(2);
        expect(await page.locator('#loss option').allTextContents()).toEqual([
          'default',
          'curvature',
          'uniform',
        ]);
        expect(await page.locator('#expr').inputValue()).toContain('0.01');
        expect(errors).toEqual([]);
        await page.close();
      },
      TEST_TIMEOUT,
    );

    it(
      'samples the peak to its goal: points drawn, adaptive error far below uniform',
      async () => {
        const { page, errors } = await open();
        await setGoal(page, 'npoints', 300);
        await pace(page, 8, 5);
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toBe('done');
        expect(await page.locator('#status').textContent()).toMatch(/goal npoints ≥ 300 reached/);

        // The drawing: one marker per point, a curve through them, both panels.
        const adaptive = page.locator('#plot-adaptive');
        expect(await adaptive.locator('circle.pt').count()).toBe(300);
        expect(await page.locator('#plot-uniform circle.pt').count()).toBe(300);
        expect(await adaptive.locator('circle.pending').count()).toBe(0);
        const d = (await adaptive.locator('path.curve').getAttribute('d')) ?? '';
        expect(d.split('L').length).toBe(300);
        const box = await adaptive.locator('path.curve').boundingBox();
        expect(box?.width).toBeGreaterThan(300);
        expect(box?.height).toBeGreaterThan(150);
        expect(await adaptive.locator('.tick').count()).toBeGreaterThan(6);

        // The errors: same number of evaluations, and the adaptive error is much smaller.
        expect(await numberIn(page, '#adaptive-n')).toBe(300);
        expect(await numberIn(page, '#uniform-n')).toBe(300);
        const aMax = await numberIn(page, '#adaptive-max');
        const uMax = await numberIn(page, '#uniform-max');
        const aRms = await numberIn(page, '#adaptive-rms');
        const uRms = await numberIn(page, '#uniform-rms');
        expect(aMax).toBeGreaterThan(0);
        expect(aMax * 5).toBeLessThan(uMax);
        expect(aRms).toBeLessThan(uRms);
        expect(await page.locator('#adaptive-max').textContent()).toBe(aMax.toPrecision(3));
        expect(await page.locator('#ratio').textContent()).toMatch(
          /^Adaptive error: max \d+(\.\d+)?× smaller, RMS \d+(\.\d+)?× smaller\.$/,
        );

        await page.screenshot({ path: join(ARTIFACTS, 'live-page-peak.png') });
        await adaptive.screenshot({ path: join(ARTIFACTS, 'live-page-peak-adaptive.png') });
        expect(errors).toEqual([]);
        await page.close();
      },
      TEST_TIMEOUT,
    );

    it(
      'runs AverageLearner1D on a noisy tanh and Learner1D to a loss goal',
      async () => {
        const { page, errors } = await open();
        await page.locator('#gallery').selectOption('tanh');
        await page.locator('#learner').selectOption('average1d');
        await page.locator('#noise').fill('0.05');
        await setGoal(page, 'npoints', 1500);
        await pace(page, 32, 0);
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toBe('done');
        expect(await numberIn(page, '#adaptive-n')).toBe(1500);
        const points = await numberIn(page, '#npoints');
        expect(points).toBeGreaterThan(10);
        expect(points).toBeLessThan(1500); // repeated samples at the same x
        expect(await page.locator('#plot-adaptive circle.pt').count()).toBe(points);
        expect(await page.locator('#plot-uniform circle.pt').count()).toBe(1500);
        expect(await numberIn(page, '#adaptive-rms')).toBeGreaterThan(0);
        await page.screenshot({ path: join(ARTIFACTS, 'live-page-noisy.png') });

        await page.locator('#learner').selectOption('learner1d');
        await page.locator('#loss').selectOption('curvature');
        await setGoal(page, 'loss', 0.02);
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toBe('done');
        expect(await numberIn(page, '#loss-value')).toBeLessThanOrEqual(0.02);
        expect(await page.locator('#status').textContent()).toMatch(/goal loss ≤ 0.02 reached/);
        expect(errors).toEqual([]);
        await page.close();
      },
      TEST_TIMEOUT,
    );

    it(
      'shows a clear error for a bad function and recovers',
      async () => {
        const { page, errors } = await open();
        await page.locator('#expr').fill('sin(x');
        expect(await page.locator('#gallery').inputValue()).toBe('custom');
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toBe('error: Cannot read "sin(x": a \'(\' is not closed');
        await page.screenshot({ path: join(ARTIFACTS, 'live-page-error.png') });

        await page.locator('#expr').fill('x + nosuchfunction(x)');
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toMatch(/fails at x = -1: nosuchfunction is not defined/);

        await page.locator('#expr').fill('"text"');
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toMatch(/gives "text" at x = -1; it must give a number/);

        await page.locator('#a').fill('1');
        await page.locator('#b').fill('0');
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toMatch(/bounds need a < b/);

        await page.locator('#a').fill('0');
        await page.locator('#b').fill('2');
        await page.locator('#expr').fill('exp(-x) * cos(8 * pi * x)');
        await setGoal(page, 'npoints', 50);
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toBe('done');
        expect(await page.locator('#error').isHidden()).toBe(true);
        expect(await page.locator('#plot-adaptive circle.pt').count()).toBe(50);
        expect(errors).toEqual([]);
        await page.close();
      },
      TEST_TIMEOUT,
    );

    it(
      'shows pending points, stays responsive while a run goes on, and stops on request',
      async () => {
        const { page, errors } = await open();
        await page.locator('#gallery').selectOption('sin1x');
        await setGoal(page, 'npoints', 100_000);
        await pace(page, 4, 30);
        await page.locator('#start').click();
        // Pending points are drawn hollow while their batch is being "evaluated".
        await page
          .locator('#plot-adaptive circle.pending')
          .first()
          .waitFor({ timeout: RUN_TIMEOUT });
        await page.locator('#plot-adaptive circle.pt >> nth=20').waitFor({ timeout: RUN_TIMEOUT });
        expect(await page.locator('body').getAttribute('data-state')).toBe('running');
        expect(await page.locator('#start').textContent()).toBe('Stop');
        await page.screenshot({ path: join(ARTIFACTS, 'live-page-running.png') });
        await page.locator('#start').click();
        expect(await waitForEnd(page)).toBe('stopped');
        const n = await numberIn(page, '#adaptive-n');
        expect(n).toBeGreaterThan(20);
        expect(n).toBeLessThan(100_000);
        expect(await page.locator('#status').textContent()).toMatch(/Stopped by you/);

        // Flat out (no delay) to the largest goal: the worker computes, the page still answers
        // and draws (past 2500 points as one path of dots).
        await setGoal(page, 'npoints', 100_000);
        await pace(page, 64, 0);
        await page.locator('#start').click();
        await page.locator('#plot-adaptive path.dots').waitFor({ timeout: RUN_TIMEOUT });
        const t0 = Date.now();
        expect(await page.evaluate('document.body.dataset.state')).toBe('running');
        await page.locator('#expr').focus();
        await page.keyboard.press('End');
        await page.keyboard.type(' + 0');
        expect(await page.locator('#expr').inputValue()).toBe('sin(1 / x) + 0');
        expect(Date.now() - t0).toBeLessThan(10_000);
        expect(await waitForEnd(page)).toBe('done');
        expect(await numberIn(page, '#adaptive-n')).toBe(100_000);
        expect(
          Number(await page.locator('#plot-adaptive g.points').getAttribute('data-count')),
        ).toBe(100_000);
        // The error grid (10 001 points) is coarser than the samples now: the page says so.
        expect(await page.locator('#grid-note').isVisible()).toBe(true);
        expect(errors).toEqual([]);
        await page.close();
      },
      TEST_TIMEOUT,
    );
  },
);
