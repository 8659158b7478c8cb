// The live pages in Debian's real headless Chromium (playwright-core, never a downloaded
// browser): the page updates while a run goes, its stop button ends the run, a request
// without the token is refused, every learner kind gets its picture (screenshots mid-run in
// test-artifacts/), a LearnerND slider moves the slice, and Chromium plays the person of a
// liveMaster until the run reaches its goal.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AverageLearner1D } from '../../src/learners/average1d.js';
import { BalancingLearner } from '../../src/learners/balancing.js';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import { liveMaster, liveView } from '../../src/live/index.js';
import { Runner, run } from '../../src/runner/node.js';

/** The page's globals used in page.waitForFunction callbacks (they run in Chromium). */
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  getElementById(id: string): { textContent: string | null; innerHTML: string } | null;
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): { length: number };
};

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(root, 'test-artifacts');
const TEST_TIMEOUT = 120_000;

let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}, TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newPage(): Promise<Page> {
  const page = await (browser as Browser).newPage({ viewport: { width: 1200, height: 600 } });
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** Waits until the page has drawn `n` frames and shows at least `points` points. */
async function waitFrames(page: Page, n: number, points = 0): Promise<void> {
  await page.waitForFunction(
    ([n, points]) =>
      Number(document.body.dataset.frames) >= n &&
      Number(document.getElementById('npoints')?.textContent ?? '0') >= points,
    [n, points] as const,
    { timeout: 60_000 },
  );
}

const peak = (x: number) => x + 0.01 ** 2 / (0.01 ** 2 + x * x);
/** A function that takes a few ms, so that the run is still going when the page looks. */
function slowly<P, V>(f: (p: P) => V, ms = 3): (p: P) => Promise<V> {
  return async (p) => {
    await sleep(ms);
    return f(p);
  };
}

/** What the cases' runners have in common (any learner kind). */
interface RunnerOfAnyKind {
  start(): unknown;
  cancel(): void;
  readonly done: Promise<{ cancelled: boolean; npoints: number }>;
  readonly learner: { readonly npoints: number };
}

interface Case {
  name: string;
  /** What must be on the page mid-run (every one of them). */
  make(): { runner: RunnerOfAnyKind; selector: string | string[] };
}

const CASES: Case[] = [
  {
    name: 'learner1d',
    make: () => ({
      // With a log, the page rings the ten newest points exactly.
      runner: new Runner(new Learner1D({ bounds: [-1, 1] }), slowly(peak), {
        npointsGoal: 100_000,
        concurrency: 4,
        log: true,
      }),
      selector: '#picture svg .latest',
    }),
  },
  {
    name: 'learner2d',
    make: () => ({
      runner: new Runner(
        new Learner2D({
          bounds: [
            [-1, 1],
            [-1, 1],
          ],
        }),
        slowly(([x, y]: [number, number]) => {
          const r = x ** 2 + y ** 2;
          return x + Math.exp(-((r - 0.75 ** 2) ** 2) / 0.2 ** 4);
        }),
        { npointsGoal: 100_000, concurrency: 4 },
      ),
      selector: '#picture svg',
    }),
  },
  {
    name: 'learnernd',
    make: () => ({
      runner: new Runner(
        new LearnerND({
          bounds: [
            [-1, 1],
            [-1, 1],
            [-1, 1],
          ],
        }),
        slowly(([x, y, z]: number[]) =>
          Math.exp(-((x as number) ** 2 + (y as number) ** 2 + (z as number) ** 2) * 4),
        ),
        { npointsGoal: 100_000, concurrency: 4 },
      ),
      selector: '#picture svg',
    }),
  },
  {
    name: 'average1d',
    make: () => {
      const noise = (seed: number) => {
        const s = Math.sin(seed * 12.9898) * 43758.5453;
        return s - Math.floor(s) - 0.5;
      };
      return {
        runner: new Runner(
          new AverageLearner1D({ bounds: [-1, 1] }),
          slowly(([seed, x]: [number, number]) => peak(x) + 0.3 * noise(seed)),
          { npointsGoal: 100_000, concurrency: 4 },
        ),
        selector: '#picture svg',
      };
    },
  },
  {
    name: 'integrator',
    make: () => ({
      runner: new Runner(
        new IntegratorLearner({ bounds: [0, 1], tol: 1e-10 }),
        slowly((x: number) => Math.sqrt(x) * Math.sin(30 * x)),
        { npointsGoal: 100_000, concurrency: 4 },
      ),
      // The intervals under the curve, and the running integral beside the loss.
      selector: ['#picture svg.intervals rect.interval', '#losspic svg + svg .curve'],
    }),
  },
  {
    name: 'balancing',
    make: () => {
      const b = BalancingLearner.fromProduct(
        { width: [0.01, 0.1, 0.3] },
        () => new Learner1D({ bounds: [-1, 1] }),
      );
      return {
        runner: new Runner(
          b,
          slowly(
            b.dispatch((x: number, { width }: { width: number }) => Math.exp(-(x * x) / width)),
          ),
          { npointsGoal: 100_000, concurrency: 4 },
        ),
        selector: '#picture svg .panel',
      };
    },
  },
  {
    name: 'sequence',
    make: () => ({
      runner: new Runner(
        new SequenceLearner(Array.from({ length: 5000 }, (_, i) => i)),
        slowly(([, i]: [number, number]) => i * i),
        { concurrency: 4, allowRunningForever: true },
      ),
      selector: '#picture svg.sequence rect.done',
    }),
  },
];

describe('liveView in Chromium', () => {
  for (const c of CASES) {
    it(
      `${c.name}: the page updates while the run goes, shows its picture, and the stop button ends the run`,
      async () => {
        const { runner, selector } = c.make();
        const view = await liveView(runner, { port: 0, intervalMs: 100 });
        const page = await newPage();
        try {
          runner.start();
          await page.goto(view.url);
          await waitFrames(page, 3, 20);
          const n1 = Number(await page.textContent('#npoints'));
          await waitFrames(
            page,
            Number(await page.getAttribute('body', 'data-frames')) + 2,
            n1 + 1,
          );
          const n2 = Number(await page.textContent('#npoints'));
          expect(n2).toBeGreaterThan(n1); // it updated while the run went
          for (const sel of typeof selector === 'string' ? [selector] : selector) {
            await page.waitForSelector(sel, { timeout: 30_000 });
            expect(await page.locator(sel).count(), sel).toBeGreaterThan(0);
          }
          expect(await page.textContent('#status')).toBe('running');
          await page.screenshot({ path: join(ARTIFACTS, `live-${c.name}.png`), fullPage: true });
          await page.click('#stop');
          const summary = await runner.done;
          expect(summary.cancelled).toBe(true);
          expect(summary.npoints).toBeGreaterThanOrEqual(n2);
          await page.waitForFunction(
            () => document.getElementById('status')?.textContent === 'cancelled',
          );
          expect(await page.isDisabled('#stop')).toBe(true);
          expect(Number(await page.textContent('#npoints'))).toBe(runner.learner.npoints);
        } finally {
          runner.cancel();
          await page.close();
          await view.close();
        }
      },
      TEST_TIMEOUT,
    );
  }

  it(
    'a request without the token is refused (403), from the browser too',
    async () => {
      const runner = new Runner(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
        npointsGoal: 10,
      });
      const view = await liveView(runner, { port: 0 });
      const page = await newPage();
      try {
        const res = await page.goto(`${view.origin}/`);
        expect(res?.status()).toBe(403);
        expect(await page.textContent('body')).toMatch(/needs the page's token/);
        const stop = await page.evaluate(
          async (o) => (await fetch(`${o}/stop`, { method: 'POST' })).status,
          view.origin,
        );
        expect(stop).toBe(403);
        expect(runner.status).toBe('idle');
      } finally {
        await page.close();
        await view.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'a LearnerND slider moves the slice',
    async () => {
      const learner = new LearnerND({
        bounds: [
          [-1, 1],
          [-1, 1],
          [-1, 1],
        ],
      });
      await run(learner, ([x, y, z]: number[]) => (x as number) * (z as number) + (y as number), {
        npointsGoal: 150,
      });
      const runner = new Runner(learner, (p: number[]) => p[0] as number, { npointsGoal: 150 });
      const view = await liveView(runner, { port: 0, intervalMs: 50 });
      const page = await newPage();
      try {
        await page.goto(view.url);
        await waitFrames(page, 1);
        await page.waitForSelector('input.fix');
        const before = await page.innerHTML('#picture');
        const frames = Number(await page.getAttribute('body', 'data-frames'));
        await page.locator('input.fix').fill('0.9');
        await page.locator('input.fix').dispatchEvent('change');
        await waitFrames(page, frames + 1);
        await page.waitForFunction(
          (b) => document.getElementById('picture')?.innerHTML !== b,
          before,
        );
        expect(await page.textContent('#fv2')).toBe('0.9');
      } finally {
        await page.close();
        await view.close();
      }
    },
    TEST_TIMEOUT,
  );
});

describe('liveMaster in Chromium', () => {
  it(
    'Chromium plays the person: reads the asked points, types values, the run reaches its goal',
    async () => {
      const learner = new Learner1D({ bounds: [-1, 1] });
      const person = await liveMaster<number, number>({
        port: 0,
        concurrency: 3,
        learner,
        intervalMs: 50,
      });
      const page = await newPage();
      const goal = 24;
      try {
        const done = run(learner, person, { npointsGoal: goal, log: true });
        await page.goto(person.url);
        let typed = 0;
        let shot = false;
        while (learner.npoints < goal) {
          await page.waitForSelector('tr.ask', { timeout: 30_000 }).catch(() => undefined);
          const rows = await page.locator('tr.ask').all();
          if (rows.length === 0) continue;
          // Answer the newest asked point first: the answers come in any order.
          const row = rows[rows.length - 1] as (typeof rows)[number];
          const key = await row.getAttribute('data-key');
          const x = Number(await row.locator('td.point').textContent());
          expect(String(x)).toBe(key);
          if (typed === 12 && !shot) {
            await page.screenshot({ path: join(ARTIFACTS, 'live-master.png'), fullPage: true });
            shot = true;
          }
          if (typed % 4 === 3) {
            // Now and then as a pasted CSV row.
            await page.fill('#csv', `x,value\n${x}, ${peak(x)}`);
            await page.click('#send-csv');
          } else {
            await row.locator('input').fill(String(peak(x)));
            await row.locator('input').press('Enter');
          }
          typed++;
          await page
            .waitForFunction((k) => !document.querySelector(`tr.ask[data-key="${k}"]`), key, {
              timeout: 30_000,
            })
            .catch(() => undefined);
        }
        const summary = await done;
        expect(summary.reason).toBe('npointsGoal');
        expect(learner.npoints).toBe(goal);
        expect(person.answered).toBe(typed);
        // The learner equals one told the same data in the same order.
        const told = new Learner1D({ bounds: [-1, 1] });
        for (const e of summary.log ?? []) if (e.op === 'tell') told.tell(e.point, e.value);
        expect(told.toArrays()).toEqual(learner.toArrays());
        expect(told.loss()).toBe(learner.loss());
        for (const e of summary.log ?? []) if (e.op === 'tell') expect(e.value).toBe(peak(e.point));
        // The picture followed the answers.
        await page.waitForFunction(
          (n) => document.querySelectorAll('#picture svg .point').length >= n,
          goal,
        );
      } finally {
        await page.close();
        await person.close();
      }
    },
    TEST_TIMEOUT,
  );
});
