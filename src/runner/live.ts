/**
 * The `live` run option, checked (browser-safe). The view itself is started by the Node
 * runner's platform services (./live-node.ts, through ./platform.ts): the core runner never
 * imports the server, and in a browser a run with `live` fails with a clear error.
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
