/**
 * liveView: a local page that shows a run as it goes (the learner's picture, npoints, loss
 * against time, rate, overhead, failures, goal progress) and a stop button.
 */

import { describe } from '../master/options.js';
import {
  FrameReader,
  jsonNumber,
  learnerName,
  type PictureOptions,
  parseFixed,
  type RunnerLike,
} from './frame.js';
import { Hub } from './hub.js';
import { pageHtml } from './page.js';
import {
  checkServeOptions,
  readJson,
  type ServeOptions,
  sendJson,
  sendText,
  serve,
} from './server.js';

/**
 * Options of {@link liveView}.
 * @example
 * { port: 0, host: '127.0.0.1', intervalMs: 200, title: 'peak' }
 */
export interface LiveViewOptions extends ServeOptions {
  /** Shortest time between two frames sent to the page, in ms (default 200). */
  intervalMs?: number | undefined;
  /** The page's title (default: the learner's class). */
  title?: string | undefined;
}

/**
 * A running live view: open `url` in a browser; `close()` stops the server (the run goes on).
 * @example
 * const view = await liveView(runner); console.log(view.url); await view.close();
 */
export interface LiveView {
  /** The page: `http://127.0.0.1:PORT/?token=...`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** The token every request must carry as `?token=`. */
  readonly token: string;
  /** Frames drawn so far and the milliseconds they took (what the view cost the run). */
  readonly stats: { frames: number; busyMs: number };
  /** Stops the server and its clock. Idempotent; never cancels the run. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** @internal Checks an interval option. */
export function checkInterval(where: string, v: unknown): number {
  if (v === undefined) return 200;
  if (typeof v !== 'number' || !(v >= 10) || !Number.isFinite(v)) {
    throw new RangeError(`${where}: intervalMs must be a number of ms >= 10, got ${describe(v)}`);
  }
  return v;
}

function checkRunner(where: string, r: unknown): RunnerLike {
  const o = r as Record<string, unknown> | null;
  if (
    o === null ||
    typeof o !== 'object' ||
    typeof o.cancel !== 'function' ||
    typeof o.overhead !== 'function' ||
    !(o.done instanceof Promise) ||
    o.learner === null ||
    typeof o.learner !== 'object'
  ) {
    throw new TypeError(
      `${where}: expected a Runner (new Runner(learner, f, options)), got ${describe(r)}`,
    );
  }
  return r as RunnerLike;
}

/**
 * Serves a page that watches `runner` live, and its data for scripts:
 * - `GET /?token=` the page (server-sent events at most every `intervalMs`);
 * - `GET /state.json?token=` → `{ npoints, loss, status, elapsedMs, learner, pending, rate,
 *   overhead, failures }` (non-finite losses as strings, e.g. `'Infinity'`);
 * - `GET /plot.svg?token=&fixed=,,0.5` the learner's picture now;
 * - `POST /stop?token=` cancels the run (what was learnt is kept) → `{ status }`.
 *
 * Bound to 127.0.0.1 unless `host` says otherwise; every request without the token gets 403.
 * The server never evaluates anything sent to it. It holds no lock on the learner: it reads
 * it between the runner's steps, only while a page is connected (plus its loss once a
 * second), at most every `intervalMs` and at most a tenth of the time. Several views, of
 * several runs, can run at once, each on its own port. The run may be started before or
 * after; the view stays up after the run ends, until `close()`.
 *
 * @example
 * const runner = new Runner(learner, f, { lossGoal: 0.01 });
 * const view = await liveView(runner, { port: 0 });
 * console.error(view.url); // http://127.0.0.1:40123/?token=9f2c...
 * runner.start();
 * await runner.done;
 * await view.close();
 */
export async function liveView(runner: unknown, options: LiveViewOptions = {}): Promise<LiveView> {
  const where = 'liveView';
  const r = checkRunner(where, runner);
  const o = checkServeOptions(where, options, ['intervalMs', 'title']);
  const intervalMs = checkInterval(where, options.intervalMs);
  const title = options.title;
  if (title !== undefined && typeof title !== 'string') {
    throw new TypeError(`${where}: title must be a string, got ${describe(title)}`);
  }
  const reader = new FrameReader(r.learner, r);
  let lastSig = '';
  const hub = new Hub<PictureOptions & { key: string }>(intervalMs, (clients, fresh) => {
    reader.sample();
    const info = reader.info();
    const sig = `${info.npoints}|${info.pending}|${info.status}|${info.failures}`;
    const changed = sig !== lastSig;
    lastSig = sig;
    if (!changed && fresh === undefined) {
      for (const c of clients) c.send({ info });
      return;
    }
    if (changed) reader.updateLatest();
    const lossSvg = reader.lossPicture();
    const cache = new Map<string, string>();
    for (const c of changed ? clients : [fresh as NonNullable<typeof fresh>]) {
      let svg = cache.get(c.options.key);
      if (svg === undefined) {
        svg = reader.picture(c.options);
        cache.set(c.options.key, svg);
      }
      c.send({ info, svg, lossSvg });
    }
    if (!changed) for (const c of clients) if (c !== fresh) c.send({ info });
  });
  // The loss history is kept while nobody watches too (once a second: one loss() call).
  const sampler = setInterval(() => {
    reader.sample();
    if (r.status !== 'running' && r.status !== 'idle') clearInterval(sampler);
  }, 1000);
  sampler.unref();
  // The last frame after the run's own continuations (who awaits `done` goes first).
  const ended = (): void => {
    setImmediate(() => {
      reader.sample();
      hub.flush();
    });
  };
  r.done.then(ended, ended);

  const served = await serve(where, o, [
    ({ method, path, res }) => {
      if (method !== 'GET' || path !== '/') return false;
      sendText(res, 'text/html', pageHtml('view', title ?? learnerName(r.learner), reader.kind));
      return true;
    },
    ({ method, path, res }) => {
      if (method !== 'GET' || path !== '/state.json') return false;
      reader.sample();
      const info = reader.info();
      sendJson(res, 200, {
        npoints: info.npoints,
        loss: info.loss,
        status: info.status,
        elapsedMs: info.elapsedMs,
        learner: info.learner,
        pending: info.pending,
        rate: info.rate,
        overhead: jsonNumber(info.overhead),
        failures: info.failures,
      });
      return true;
    },
    ({ method, path, query, res }) => {
      if (method !== 'GET' || (path !== '/events' && path !== '/plot.svg')) return false;
      const inner =
        reader.kind === 'slice' ? (reader.learner as { bounds: number[][] }) : undefined;
      const fixed = inner !== undefined ? parseFixed(query.get('fixed'), inner.bounds) : undefined;
      const opts = { fixed, key: JSON.stringify(fixed ?? null) };
      if (path === '/plot.svg') sendText(res, 'image/svg+xml', reader.picture(opts));
      else hub.add(res, opts);
      return true;
    },
    async ({ method, path, req, res }) => {
      if (path !== '/stop') return false;
      if (method !== 'POST') {
        sendJson(res, 405, { error: `${where}: /stop takes POST` });
        return true;
      }
      await readJson(req).catch(() => undefined); // the body, if any, is ignored
      r.cancel();
      hub.flush();
      sendJson(res, 200, { status: r.status });
      return true;
    },
  ]);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(sampler);
      hub.close();
      await served.close();
    })();
    return closing;
  };
  return {
    url: served.url,
    origin: served.origin,
    token: served.token,
    get stats() {
      return { frames: hub.frames, busyMs: hub.busyMs };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
