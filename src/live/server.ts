/**
 * The small HTTP server behind {@link liveView} and {@link liveMaster}: Node's own `http`,
 * a random token that every request must carry (`?token=`, else 403), bound to 127.0.0.1
 * unless told otherwise, server-sent events for the page. It parses JSON bodies and never
 * evaluates anything sent to it.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe } from '../master/options.js';

/**
 * Options of {@link liveView} and {@link liveMaster}: where the server listens.
 * @example
 * { port: 0, host: '127.0.0.1' }
 */
export interface ServeOptions {
  /** The TCP port (default 0: any free port). */
  port?: number | undefined;
  /** The interface to bind (default `'127.0.0.1'`: this machine only). */
  host?: string | undefined;
  /** The token the URL carries (default: 128 random bits, hex). At least 16 characters. */
  token?: string | undefined;
}

/** A request the server accepted (its token checked), with the parsed query. */
export interface LiveRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  req: IncomingMessage;
  res: ServerResponse;
}

/** A route: returns `false` when it does not handle the request (then 404). */
export type Handler = (r: LiveRequest) => boolean | Promise<boolean>;

/** A running server. */
export interface Served {
  /** `http://host:port` */
  origin: string;
  token: string;
  /** The page's address with its token. */
  url: string;
  close(): Promise<void>;
}

/** Largest request body read (bytes); more gets 413. */
const MAX_BODY = 1 << 20;

/** Headers that keep the page and its data out of caches and frames. */
const SAFE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Checks the serve options.
 * @example
 * checkServeOptions('liveView', { port: -1 }); // RangeError: liveView: port must be an integer in [0, 65535], got -1
 */
export function checkServeOptions(
  where: string,
  o: unknown,
  extra: readonly string[] = [],
): { port: number; host: string; token: string } {
  if (o === null || typeof o !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${describe(o)}`);
  }
  const opts = o as Record<string, unknown>;
  for (const k of Object.keys(opts)) {
    if (!['port', 'host', 'token', ...extra].includes(k)) {
      throw new TypeError(
        `${where}: unknown option '${k}' (allowed: ${['port', 'host', 'token', ...extra].join(', ')})`,
      );
    }
  }
  const port = opts.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`${where}: port must be an integer in [0, 65535], got ${describe(port)}`);
  }
  const host = opts.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(`${where}: host must be a non-empty string, got ${describe(host)}`);
  }
  const token = opts.token ?? randomBytes(16).toString('hex');
  if (typeof token !== 'string' || token.length < 16 || !/^[\w-]+$/.test(token)) {
    throw new TypeError(
      `${where}: token must be at least 16 letters, digits, '-' or '_', got ${describe(token)}`,
    );
  }
  return { port, host, token };
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/**
 * Sends a JSON answer.
 * @example
 * sendJson(res, 200, { ok: true });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SAFE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Sends a page or a script.
 * @example
 * sendText(res, 'text/html', '<!doctype html>...');
 */
export function sendText(res: ServerResponse, type: string, text: string): void {
  res.writeHead(200, {
    ...SAFE_HEADERS,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
    'content-security-policy':
      "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'",
  });
  res.end(text);
}

/**
 * Reads a JSON body (at most 1 MiB). Rejects with a message for the client on bad JSON.
 * @example
 * const body = await readJson(req); // { point: 0.5, value: 1.2 }
 */
export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('the body is larger than 1 MiB'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * Opens a server-sent-events stream on `res`; returns a function that sends one event
 * (its data as JSON). The stream ends when the client goes away (`onClose`).
 * @example
 * const send = openEvents(res, () => clients.delete(send)); send({ npoints: 3 });
 */
export function openEvents(res: ServerResponse, onClose: () => void): (data: unknown) => void {
  res.writeHead(200, {
    ...SAFE_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  res.on('close', onClose);
  return (data) => {
    res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
}

/**
 * Starts the server: every request without the token gets 403, then the handlers are tried
 * in order (404 when none handles it; 500 with the message when one throws).
 * @example
 * const s = await serve('liveView', { port: 0, host: '127.0.0.1', token }, [handler]);
 * s.url; // 'http://127.0.0.1:40123/?token=...'
 */
export async function serve(
  where: string,
  o: { port: number; host: string; token: string },
  handlers: readonly Handler[],
): Promise<Served> {
  const token = o.token;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!sameToken(url.searchParams.get('token'), token)) {
      sendJson(res, 403, { error: `${where}: this request needs the page's token (?token=...)` });
      return;
    }
    const r: LiveRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      req,
      res,
    };
    const fail = (e: unknown): void => {
      if (!res.headersSent)
        sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.end();
    };
    (async () => {
      for (const h of handlers) if (await h(r)) return;
      sendJson(res, 404, { error: `${where}: no ${r.method} ${r.path}` });
    })().catch(fail);
  });
  // Server-sent event streams stay open: they must not keep close() waiting.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const origin = `http://${host}:${addr.port}`;
  let closing: Promise<void> | undefined;
  return {
    origin,
    token,
    url: `${origin}/?token=${token}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
