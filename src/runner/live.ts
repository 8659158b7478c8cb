/**
 * The `live` run option: starts a live view (adaptive-sampling/live) beside the run. The
 * runner stays browser-safe: the Node-only server is loaded by a dynamic import of a
 * computed specifier, only when a run asks for it, so bundlers and browsers never load it.
 */

import { describe } from '../master/options.js';

/**
 * The checked `live` option: where the view listens.
 * @example
 * checkLive('run', true); // { port: 0 }
 */
export interface LiveOption {
  port?: number | undefined;
  host?: string | undefined;
}

/**
 * Checks the `live` option: `true`, a port number, or `{ port, host }`.
 * @example
 * checkLive('run', 8080); // { port: 8080 }
 * checkLive('run', 'yes'); // TypeError: run: live must be true, a port number or { port, host }, got 'yes'
 */
export function checkLive(where: string, v: unknown): LiveOption | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return { port: 0 };
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535) return { port: v };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => k !== 'port' && k !== 'host');
    if (
      extra.length === 0 &&
      (o.port === undefined ||
        (Number.isInteger(o.port) && (o.port as number) >= 0 && (o.port as number) <= 65535)) &&
      (o.host === undefined || (typeof o.host === 'string' && o.host !== ''))
    ) {
      return { port: o.port as number | undefined, host: o.host as string | undefined };
    }
  }
  throw new TypeError(
    `${where}: live must be true, a port number or { port, host }, got ${describe(v)}`,
  );
}

/** Where the live view lives, relative to this module (a variable: bundlers leave it be). */
const LIVE_MODULE = '../live/index.js';

interface Watchable {
  readonly status: string;
  readonly done: Promise<unknown>;
}

/**
 * Starts a live view of `runner` in the background, prints its URL on stderr, and closes
 * it when the run ends. A failure to start it is printed, never thrown into the run.
 * @example
 * attachLive(runner, { port: 0 }); // stderr: live view: http://127.0.0.1:40123/?token=...
 */
export function attachLive(runner: Watchable, option: LiveOption): void {
  const stderr = (globalThis as { process?: { stderr?: { write(s: string): void } } }).process
    ?.stderr;
  const spec = LIVE_MODULE;
  (
    import(spec) as Promise<{
      liveView(r: unknown, o: LiveOption): Promise<{ url: string; close(): Promise<void> }>;
    }>
  )
    .then(async (m) => {
      const view = await m.liveView(runner, option);
      if (runner.status !== 'running') {
        await view.close(); // the run ended before the page could be served
        return;
      }
      stderr?.write(`live view: ${view.url}\n`);
      const close = () => view.close();
      runner.done.then(close, close);
    })
    .catch((e: unknown) => {
      stderr?.write(`live view: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    });
}
