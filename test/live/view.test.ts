// liveView and liveMaster over real HTTP on loopback (Node's fetch): the token guards every
// route, state.json and stop do what the API says, several views run at once, a person's
// answers (any order, CSV-like batches, errors) make an ordinary run.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AverageLearner1D } from '../../src/learners/average1d.js';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Learner2D } from '../../src/learners/learner2d.js';
import { LearnerND } from '../../src/learners/learnernd.js';
import { SequenceLearner } from '../../src/learners/sequence.js';
import { decimated } from '../../src/live/frame.js';
import { liveKind, liveMaster, liveView } from '../../src/live/index.js';
import { replay } from '../../src/runner/log.js';
import { Runner, run } from '../../src/runner/node.js';
import { Runner as CoreRunner } from '../../src/runner/runner.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slow =
  (f: (x: number) => number, ms = 1) =>
  async (x: number) => {
    await sleep(ms);
    return f(x);
  };

/** A JSON value read back from the server, loosely typed for the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, checked by the assertions
type Json = any;

function endpoint(view: { origin: string; token: string }, path: string, token = view.token) {
  return `${view.origin}${path}?token=${token}`;
}

/** Reads server-sent events until `until` accepts one; returns the frames. */
async function readEvents(url: string, until: (frame: Json) => boolean, limitMs = 20_000) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), limitMs);
  const res = await fetch(url, { signal: ctrl.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const frames: Json[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let at = buf.indexOf('\n\n');
      while (at >= 0) {
        const block = buf.slice(0, at);
        buf = buf.slice(at + 2);
        at = buf.indexOf('\n\n');
        const line = block.split('\n').find((l) => l.startsWith('data: '));
        if (line === undefined) continue;
        const f = JSON.parse(line.slice(6));
        frames.push(f);
        if (until(f)) return frames;
      }
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return frames;
}

describe('liveView', () => {
  it('refuses every route without the token (403), and with a wrong one', async () => {
    const runner = new Runner(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
      npointsGoal: 5,
    });
    const view = await liveView(runner, { port: 0 });
    try {
      expect(view.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
      for (const [method, path] of [
        ['GET', '/'],
        ['GET', '/state.json'],
        ['GET', '/events'],
        ['GET', '/plot.svg'],
        ['POST', '/stop'],
        ['GET', '/nothing'],
      ] as const) {
        const none = await fetch(`${view.origin}${path}`, { method });
        expect(none.status, `${method} ${path}`).toBe(403);
        const wrong = await fetch(endpoint(view, path, 'f'.repeat(32)), { method });
        expect(wrong.status, `${method} ${path} wrong token`).toBe(403);
      }
      // Refused stop: the run was never touched.
      expect(runner.status).toBe('idle');
      expect((await fetch(endpoint(view, '/nothing'))).status).toBe(404);
      expect((await fetch(endpoint(view, '/stop'))).status).toBe(405);
    } finally {
      await view.close();
    }
  });

  it('state.json follows the run; POST /stop cancels it keeping what was learnt', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    const runner = new Runner(
      learner,
      slow((x) => x * x),
      { npointsGoal: 1_000_000 },
    );
    const view = await liveView(runner, { port: 0 });
    try {
      const before: Json = await (await fetch(endpoint(view, '/state.json'))).json();
      expect(before).toMatchObject({
        npoints: 0,
        status: 'idle',
        elapsedMs: 0,
        learner: 'Learner1D',
      });
      expect(before.loss).toBe('Infinity');
      runner.start();
      let s: Json;
      do {
        await sleep(20);
        s = await (await fetch(endpoint(view, '/state.json'))).json();
      } while (s.npoints < 20);
      expect(s.status).toBe('running');
      expect(typeof s.loss).toBe('number');
      expect(s.elapsedMs).toBeGreaterThan(0);
      const stop = await fetch(endpoint(view, '/stop'), { method: 'POST' });
      expect(stop.status).toBe(200);
      expect(await stop.json()).toEqual({ status: 'cancelled' });
      const summary = await runner.done;
      expect(summary.cancelled).toBe(true);
      expect(summary.npoints).toBeGreaterThanOrEqual(20);
      expect(learner.npoints).toBe(summary.npoints);
      const after = await (await fetch(endpoint(view, '/state.json'))).json();
      expect(after).toMatchObject({ status: 'cancelled', npoints: summary.npoints });
      const svg = await (await fetch(endpoint(view, '/plot.svg'))).text();
      expect(svg).toMatch(/^<svg/);
      expect(svg.match(/class="point"/g)?.length).toBe(summary.npoints);
    } finally {
      await view.close();
    }
  });

  it('streams frames while a page is connected, with the picture and the numbers', async () => {
    const learner = new Learner1D({ bounds: [-1, 1] });
    const runner = new Runner(
      learner,
      slow((x) => Math.sin(5 * x)),
      { npointsGoal: 150 },
    );
    const view = await liveView(runner, { port: 0, intervalMs: 50 });
    runner.start();
    try {
      const frames = await readEvents(
        endpoint(view, '/events'),
        (f) => f.info?.status === 'finished',
      );
      const withSvg = frames.filter((f) => typeof f.svg === 'string');
      expect(withSvg.length).toBeGreaterThanOrEqual(2);
      const counts = frames.map((f) => f.info.npoints);
      expect(counts[counts.length - 1]).toBe(150);
      expect(new Set(counts).size).toBeGreaterThan(1); // it updated while the run went
      const last = frames[frames.length - 1];
      expect(last.info.goals).toEqual([
        { name: 'npointsGoal', text: '150 of 150 points', progress: 1 },
      ]);
      expect(view.stats.frames).toBeGreaterThanOrEqual(withSvg.length);
    } finally {
      await view.close();
      await runner.done;
    }
  });

  it('serves several runs at once, each its own view and token', async () => {
    const a = new Runner(
      new Learner1D({ bounds: [0, 1] }),
      slow((x) => x),
      { npointsGoal: 30 },
    );
    const b = new Runner(
      new Learner2D({
        bounds: [
          [0, 1],
          [0, 1],
        ],
      }),
      async ([x, y]: [number, number]) => {
        await sleep(1);
        return x * y;
      },
      { npointsGoal: 40 },
    );
    const [va, vb] = await Promise.all([liveView(a, { port: 0 }), liveView(b, { port: 0 })]);
    try {
      expect(va.origin).not.toBe(vb.origin);
      expect(va.token).not.toBe(vb.token);
      expect(
        (await fetch(endpoint({ origin: va.origin, token: vb.token }, '/state.json'))).status,
      ).toBe(403);
      a.start();
      b.start();
      await Promise.all([a.done, b.done]);
      const [sa, sb] = await Promise.all([
        fetch(endpoint(va, '/state.json')).then((r) => r.json()),
        fetch(endpoint(vb, '/state.json')).then((r) => r.json()),
      ]);
      expect(sa).toMatchObject({ npoints: 30, learner: 'Learner1D', status: 'finished' });
      expect(sb).toMatchObject({ npoints: 40, learner: 'Learner2D', status: 'finished' });
    } finally {
      await Promise.all([va.close(), vb.close()]);
    }
  });

  it('a LearnerND slice follows the fixed coordinates the page asks for (clamped to the bounds)', async () => {
    const learner = new LearnerND({
      bounds: [
        [-1, 1],
        [-1, 1],
        [-1, 1],
      ],
    });
    await run(learner, ([x, y, z]: number[]) => (x as number) + (y as number) * (z as number), {
      npointsGoal: 60,
    });
    const runner = new Runner(learner, (p: number[]) => p[0] as number, { npointsGoal: 60 });
    const view = await liveView(runner, { port: 0 });
    try {
      const at = (f: string) =>
        fetch(`${endpoint(view, '/plot.svg')}&fixed=${f}`).then((r) => r.text());
      const mid = await at(',,0');
      const up = await at(',,0.8');
      expect(mid).not.toBe(up);
      expect(await at(',,7')).toBe(await at(',,1')); // clamped
      expect(await at(',,not-a-number')).toBe(await at('')); // ignored, the default slice
    } finally {
      await view.close();
    }
  });

  it('shows failures with their messages and the progress towards the goals', async () => {
    const learner = new Learner1D({ bounds: [0, 1] });
    const runner = new Runner(
      learner,
      async (x: number) => {
        await sleep(1);
        if (x > 0.4 && x < 0.6) throw new Error(`sensor saturated at ${x.toFixed(3)}`);
        return x;
      },
      { npointsGoal: 40, durationGoal: 60_000, lossGoal: 1e-9, raiseIfRetriesExceeded: false },
    );
    const view = await liveView(runner, { port: 0, intervalMs: 20 });
    runner.start();
    try {
      const frames = await readEvents(
        endpoint(view, '/events'),
        (f) => f.info?.status === 'finished',
      );
      const last = frames[frames.length - 1].info;
      expect(last.failures).toBeGreaterThan(0);
      expect(last.failures).toBe(runner.failures.length);
      expect(last.failureList[0]).toMatchObject({ kind: 'error', attempts: 1 });
      expect(last.failureList[0].error).toMatch(/^sensor saturated at 0\.\d{3}$/);
      expect(last.goals.map((g: Json) => g.name)).toEqual([
        'npointsGoal',
        'durationGoal',
        'lossGoal',
      ]);
      expect(last.goals[0]).toMatchObject({ text: '40 of 40 points', progress: 1 });
      expect(last.goals[1].progress).toBeGreaterThan(0);
      expect(last.goals[1].progress).toBeLessThan(1);
      const state = await (await fetch(endpoint(view, '/state.json'))).json();
      expect(state).toMatchObject({ failures: runner.failures.length, status: 'finished' });
    } finally {
      await view.close();
    }
  });

  it('rejects bad arguments with messages that name them', async () => {
    const runner = new Runner(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
      npointsGoal: 1,
    });
    await expect(liveView({}, {})).rejects.toThrow(/liveView: expected a Runner/);
    await expect(liveView(runner, { port: -1 })).rejects.toThrow(
      /port must be an integer in \[0, 65535\], got -1/,
    );
    await expect(liveView(runner, { colour: 1 } as never)).rejects.toThrow(
      /unknown option 'colour'/,
    );
    await expect(liveView(runner, { token: 'short' })).rejects.toThrow(/token must be at least 16/);
    await expect(liveView(runner, { intervalMs: 1 })).rejects.toThrow(/intervalMs must be/);
    expect(
      () =>
        new Runner(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
          npointsGoal: 1,
          live: 'yes' as never,
        }),
    ).toThrow(/Runner: live must be true, a port number or \{ port, host \}, got "yes"/);
    // The browser build's runner serves no pages: a clear error, not a failed import.
    expect(
      () =>
        new CoreRunner(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
          npointsGoal: 1,
          live: true,
        }),
    ).toThrow(/Runner: live needs Node \(or Bun, Deno\): this is the browser build/);
  });

  it('thins a long 1-D curve for drawing, keeping the ends and extremes of each bin', async () => {
    const l = new Learner1D({ bounds: [-1, 1] });
    const f = (x: number) => x + 1e-4 / (1e-4 + x * x);
    await run(l, f, { npointsGoal: 20_000 });
    const full = l.toArrays();
    const thin = decimated(l, 500).toArrays();
    expect(thin.x.length).toBeLessThanOrEqual(2000);
    expect(thin.x.length).toBeGreaterThan(500);
    expect(thin.x[0]).toBe(full.x[0]);
    expect(thin.x[thin.x.length - 1]).toBe(full.x[full.x.length - 1]);
    expect(Math.max(...Array.from(thin.y))).toBe(Math.max(...full.y));
    expect(Math.min(...Array.from(thin.y))).toBe(Math.min(...full.y));
    for (let i = 1; i < thin.x.length; i++)
      expect(thin.x[i]).toBeGreaterThan(thin.x[i - 1] as number);
    // Every kept point is a point of the learner.
    const have = new Map(Array.from(full.x, (x, i) => [x, full.y[i]]));
    for (let i = 0; i < thin.x.length; i++) expect(have.get(thin.x[i] as number)).toBe(thin.y[i]);
    // Small curves and error bars are left as they are.
    const small = new Learner1D({ bounds: [0, 1] });
    await run(small, f, { npointsGoal: 100 });
    expect(decimated(small, 500)).toBe(small);
  });

  it('names the picture of every learner kind', () => {
    expect(liveKind(new Learner1D({ bounds: [0, 1] }))).toBe('1d');
    expect(liveKind(new AverageLearner1D({ bounds: [0, 1] }))).toBe('1d');
    expect(
      liveKind(
        new Learner2D({
          bounds: [
            [0, 1],
            [0, 1],
          ],
        }),
      ),
    ).toBe('2d');
    expect(
      liveKind(
        new LearnerND({
          bounds: [
            [0, 1],
            [0, 1],
            [0, 1],
          ],
        }),
      ),
    ).toBe('slice');
    expect(liveKind(new SequenceLearner([1, 2, 3]))).toBe('sequence');
  });

  it('run(..., { live: true }) prints the URL on stderr and the view answers while it runs', async () => {
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    let state: Json;
    process.stderr.write = ((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      const learner = new Learner1D({ bounds: [0, 1] });
      const done = run(
        learner,
        slow((x) => x * x, 2),
        { npointsGoal: 60, live: true },
      );
      let url: string | undefined;
      while (url === undefined) {
        await sleep(10);
        url = writes.join('').match(/live view: (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/)?.[1];
      }
      state = await (await fetch(url.replace('/?', '/state.json?'))).json();
      await done;
      // Closed with the run.
      await sleep(50);
      await expect(fetch(url.replace('/?', '/state.json?'))).rejects.toThrow();
    } finally {
      process.stderr.write = orig;
    }
    expect(state.learner).toBe('Learner1D');
    expect(['running', 'finished']).toContain(state.status);
  });
});

describe('liveMaster', () => {
  it('asks, takes answers in any order over HTTP, and the run is an ordinary one', async () => {
    const person = await liveMaster<number, number>({ port: 0, concurrency: 3 });
    const learner = new Learner1D({ bounds: [0, 2] });
    const f = (x: number) => Math.exp(-((x - 1) ** 2) * 20);
    const done = run(learner, person, { npointsGoal: 25, log: true });
    try {
      while (learner.npoints < 25) {
        await sleep(5);
        const pending = (await (await fetch(endpoint(person, '/pending.json'))).json()) as {
          point: number;
        }[];
        // The newest first: the opposite of the asking order.
        for (const { point } of pending.reverse()) {
          const r = await fetch(endpoint(person, '/answer'), {
            method: 'POST',
            body: JSON.stringify({ point, value: f(point) }),
          });
          if (r.status !== 200) expect(learner.npoints).toBeGreaterThanOrEqual(25);
        }
      }
      const summary = await done;
      expect(summary.reason).toBe('npointsGoal');
      // The same data told, in the same order, to a fresh learner gives the same learner.
      const told = new Learner1D({ bounds: [0, 2] });
      for (const e of summary.log ?? []) if (e.op === 'tell') told.tell(e.point, e.value);
      expect(told.toArrays()).toEqual(learner.toArrays());
      expect(told.loss()).toBe(learner.loss());
      // The log replays into the same learner.
      const again = new Learner1D({ bounds: [0, 2] });
      replay(again, summary.log ?? []);
      expect(again.snapshot()).toEqual(learner.snapshot());
    } finally {
      await person.close();
    }
  });

  it('a run with a person checkpoints like any run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'live-master-'));
    const person = await liveMaster<number, number>({ port: 0, concurrency: 2 });
    const learner = new Learner1D({ bounds: [0, 1] });
    const path = join(dir, 'run.json');
    const done = run(learner, person, { npointsGoal: 12, checkpoint: { path, everyMs: 60_000 } });
    try {
      while (learner.npoints < 12) {
        await sleep(5);
        const pending = (await (await fetch(endpoint(person, '/pending.json'))).json()) as {
          point: number;
        }[];
        if (pending.length === 0) continue;
        await fetch(endpoint(person, '/answer'), {
          method: 'POST',
          body: JSON.stringify(pending.map(({ point }) => ({ point, value: Math.sin(point) }))),
        });
      }
      await done;
      const restored = new Learner1D({ bounds: [0, 1] });
      restored.restore(JSON.parse(await readFile(path, 'utf8')));
      expect(restored.npoints).toBe(12);
      expect(restored.toArrays()).toEqual(learner.toArrays());
    } finally {
      await person.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot take, and takes nothing of a request with a bad answer', async () => {
    const person = await liveMaster<number, number>({ port: 0, concurrency: 2 });
    const p1 = person.evaluate(0.25);
    const p2 = person.evaluate(0.75);
    const p3 = person.evaluate(0.5); // waits its turn: concurrency 2
    p1.catch(() => undefined); // rejected below, awaited later
    try {
      expect((await fetch(`${person.origin}/pending.json`)).status).toBe(403);
      expect((await fetch(`${person.origin}/answer`, { method: 'POST', body: '{}' })).status).toBe(
        403,
      );
      const pending = await (await fetch(endpoint(person, '/pending.json'))).json();
      expect(pending).toEqual([{ point: 0.25 }, { point: 0.75 }]);
      const post = (body: string) => fetch(endpoint(person, '/answer'), { method: 'POST', body });
      let r = await post(
        JSON.stringify([
          { point: 0.75, value: 1 },
          { point: 0.3, value: 2 },
        ]),
      );
      expect(r.status).toBe(400);
      expect(((await r.json()) as Json).error).toMatch(
        /0\.3 is not an asked point \(asked: 0\.25, 0\.75\)/,
      );
      r = await post('not json');
      expect(((await r.json()) as Json).error).toMatch(/not JSON/);
      r = await post(JSON.stringify({ point: 0.25 }));
      expect(((await r.json()) as Json).error).toMatch(/no value for 0\.25/);
      r = await post(JSON.stringify({ point: 0.25, value: 1, extra: 1 }));
      expect(((await r.json()) as Json).error).toMatch(/unknown field 'extra'/);
      expect(person.pendingPoints).toEqual([0.25, 0.75]); // unchanged
      r = await post(
        JSON.stringify([
          { point: 0.75, value: 3 },
          { point: 0.25, error: 'sensor off' },
        ]),
      );
      expect(await r.json()).toEqual({ answered: 2, pending: 1 });
      expect(await p2).toBe(3);
      await expect(p1).rejects.toThrow('sensor off');
      expect(person.pendingPoints).toEqual([0.5]);
      r = await post(JSON.stringify({ point: 0.5, value: 'NaN' }));
      expect(Number.isNaN(await p3)).toBe(true);
      // An aborted evaluation leaves the list.
      const ctrl = new AbortController();
      const p4 = person.evaluate(0.1, ctrl.signal);
      expect(person.pendingPoints).toEqual([0.1]);
      ctrl.abort();
      await expect(p4).rejects.toMatchObject({ name: 'AbortError' });
      expect(person.pendingPoints).toEqual([]);
      const p5 = person.evaluate(0.9);
      await person.close();
      await expect(p5).rejects.toThrow(/closed before the point was answered/);
      await expect(person.evaluate(1)).rejects.toThrow(/after close/);
    } finally {
      await person.close();
    }
  });
});
