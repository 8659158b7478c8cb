/**
 * Redis connections for the queue master and workers: loading the optional peers (bullmq,
 * ioredis) with a clear error when they are missing, the three ways to name a server (a URL,
 * ioredis options, an ioredis instance), passwords kept out of messages, and a one-shot probe
 * that turns "wrong password" or "nothing listening" into an error at once instead of
 * reconnecting forever.
 */

import type * as Bullmq from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { describe } from '../util/validate.js';

/**
 * Where Redis is: a URL (`redis://[[user]:password@]host[:port][/db]`, `rediss://` for TLS),
 * ioredis options (`{ host, port, username, password, db, tls, ... }`, or `{ url, ...options }`),
 * or a connected ioredis instance, which is used as it is and never closed.
 *
 * @example
 * const a: QueueConnection = 'redis://:s3cret@127.0.0.1:6379';
 * const b: QueueConnection = { host: 'redis.lan', port: 6379, username: 'sampler', password: 's3cret' };
 * const c: QueueConnection = new Redis({ maxRetriesPerRequest: null });
 */
export type QueueConnection = string | (RedisOptions & { url?: string | undefined }) | Redis;

/**
 * The bullmq module, as {@link loadPeers} returns it.
 * @example
 * const { bullmq }: { bullmq: BullmqModule } = await loadPeers('QueueMaster');
 */
export type BullmqModule = typeof Bullmq;
/**
 * The ioredis `Redis` class, as {@link loadPeers} returns it.
 * @example
 * const { Redis }: { Redis: RedisClass } = await loadPeers('QueueMaster');
 */
export type RedisClass = typeof Redis;

/**
 * The error of a connection that cannot work: wrong or missing password, nothing listening,
 * a TLS or DNS problem. Its message names the server (password hidden) and what to do.
 *
 * @example
 * try { await startQueueWorker({ connection: 'redis://127.0.0.1:6379', ... }); }
 * catch (e) { e.name; } // 'QueueConnectionError'
 */
export class QueueConnectionError extends Error {
  override name = 'QueueConnectionError';
}

let loaded: Promise<{ bullmq: BullmqModule; Redis: RedisClass }> | undefined;

function missing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Imports bullmq and ioredis once; rejects with an Error saying how to install them when
 * they are missing.
 *
 * @example
 * const { bullmq, Redis } = await loadPeers('QueueMaster');
 */
export function loadPeers(where: string): Promise<{ bullmq: BullmqModule; Redis: RedisClass }> {
  if (loaded === undefined) {
    loaded = (async () => {
      let bullmq: BullmqModule;
      let ioredis: Record<string, unknown>;
      try {
        const b = (await import('bullmq')) as BullmqModule & { default?: BullmqModule };
        bullmq = typeof b.Queue === 'function' ? b : (b.default as BullmqModule);
        ioredis = (await import('ioredis')) as unknown as Record<string, unknown>;
      } catch (e) {
        if (missing(e)) {
          throw new Error(
            `the packages bullmq and ioredis are needed for distributed runs (optional peer dependencies of adaptive-sampling); install them: npm install bullmq ioredis (${(e as Error).message})`,
            { cause: e },
          );
        }
        throw e;
      }
      const def = ioredis.default as Record<string, unknown> | undefined;
      const R = (ioredis.Redis ?? def?.Redis ?? def) as RedisClass;
      if (typeof R !== 'function' || typeof bullmq.Queue !== 'function') {
        throw new Error('the installed bullmq or ioredis does not export Queue and Redis');
      }
      return { bullmq, Redis: R };
    })();
    loaded.catch(() => {
      loaded = undefined; // a later call tries again
    });
  }
  return loaded.then(
    (x) => x,
    (e: unknown) => {
      throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
    },
  );
}

/**
 * Whether `x` is a Redis client instance (ioredis-like: `duplicate`, `connect`, `options`).
 * @example
 * isRedisInstance(new Redis()); // true
 * isRedisInstance('redis://localhost'); // false
 */
export function isRedisInstance(x: unknown): x is Redis {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as { duplicate?: unknown }).duplicate === 'function' &&
    typeof (x as { connect?: unknown }).connect === 'function' &&
    typeof (x as { options?: unknown }).options === 'object'
  );
}

/**
 * Checks the `connection` option; throws a TypeError naming `where` when it is none of a URL,
 * options or an instance.
 *
 * @example
 * checkConnection('QueueMaster', 42); // TypeError: QueueMaster: connection must be ...
 */
export function checkConnection(where: string, c: unknown): QueueConnection {
  if (typeof c === 'string') {
    let url: URL;
    try {
      url = new URL(c);
    } catch {
      throw new TypeError(
        `${where}: connection ${describe(redactUrl(c))} is not a URL; expected redis://[[user]:password@]host[:port][/db]`,
      );
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new TypeError(
        `${where}: connection ${describe(redactUrl(c))} is not a redis:// or rediss:// URL`,
      );
    }
    return c;
  }
  if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
    if (isRedisInstance(c)) return c;
    const url = (c as { url?: unknown }).url;
    if (url !== undefined) checkConnection(where, url);
    return c as QueueConnection;
  }
  throw new TypeError(
    `${where}: connection must be a redis:// URL, ioredis options ({ host, port, password, ... }) or an ioredis instance, got ${describe(c)}`,
  );
}

/** The URL with its password replaced by `***`. */
function redactUrl(s: string): string {
  try {
    const u = new URL(s);
    if (u.password !== '') u.password = '***';
    return u.href;
  } catch {
    return s.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/**
 * A readable name of the server for messages, password hidden.
 *
 * @example
 * describeConnection('redis://sampler:s3cret@10.0.0.5:6380/2'); // 'redis://sampler:***@10.0.0.5:6380/2'
 * describeConnection({ port: 6380 }); // 'redis://127.0.0.1:6380'
 */
export function describeConnection(c: QueueConnection): string {
  if (typeof c === 'string') return redactUrl(c);
  const o = (isRedisInstance(c) ? c.options : c) as RedisOptions & { url?: string };
  if (typeof o.url === 'string') return redactUrl(o.url);
  if (typeof o.path === 'string') return `unix:${o.path}`;
  const user = o.username ? `${o.username}${o.password ? ':***' : ''}@` : o.password ? ':***@' : '';
  const db = o.db ? `/${o.db}` : '';
  return `${o.tls ? 'rediss' : 'redis'}://${user}${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${db}`;
}

/** `{ url, ...rest }` or plain options, as the arguments of `new Redis(...)`. */
function redisArgs(c: string | (RedisOptions & { url?: string | undefined })): {
  url: string | undefined;
  options: RedisOptions;
} {
  if (typeof c === 'string') return { url: c, options: {} };
  const { url, ...options } = c;
  return { url, options };
}

/**
 * A new ioredis client for `c` (a URL or options) with `extra` options on top.
 * @example
 * const client = newClient(Redis, 'redis://localhost', { maxRetriesPerRequest: null });
 */
export function newClient(
  R: RedisClass,
  c: string | (RedisOptions & { url?: string | undefined }),
  extra: RedisOptions,
): Redis {
  const { url, options } = redisArgs(c);
  const all = { ...options, ...extra } as RedisOptions;
  // (ioredis's overloads, generic in the reply mapping, defeat inference here.)
  const Ctor = R as unknown as new (...args: [RedisOptions] | [string, RedisOptions]) => Redis;
  return url === undefined ? new Ctor(all) : new Ctor(url, all);
}

/**
 * Connection options for BullMQ (`Queue`, `QueueEvents`, `Worker`): the URL or options as
 * `{ url?, ...options }` with `extra` on top, so that BullMQ makes and closes its own
 * connection; an instance is passed as it is (BullMQ duplicates it where it must block).
 *
 * @example
 * bullmqConnection('redis://localhost', {}); // { url: 'redis://localhost' }
 */
export function bullmqConnection(
  c: QueueConnection,
  extra: RedisOptions,
): Bullmq.ConnectionOptions {
  if (isRedisInstance(c)) return c as unknown as Bullmq.ConnectionOptions;
  const { url, options } = redisArgs(c);
  const all = url === undefined ? { ...options, ...extra } : { ...options, ...extra, url };
  return all as Bullmq.ConnectionOptions;
}

/** The reason an ioredis error gives, with advice. */
function advice(message: string): string {
  if (/NOAUTH|must be called with the client already authenticated/i.test(message)) {
    return 'the server requires a password (NOAUTH); give it in the URL: redis://:PASSWORD@host:port, or redis://USER:PASSWORD@host:port for an ACL user';
  }
  if (/WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return 'the server refused the credentials (WRONGPASS: wrong password, unknown user, or the user is disabled)';
  }
  if (/NOPERM/i.test(message)) {
    return `the Redis user lacks a permission BullMQ needs (${message}); give it +@all or the commands and keys of the queue`;
  }
  if (/ECONNREFUSED/.test(message)) {
    return `nothing accepts connections there (${message}); is redis-server running, on that host and port?`;
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `the host name does not resolve (${message})`;
  if (/ETIMEDOUT|timed? ?out/i.test(message)) {
    return `the connection timed out (${message}); check the host, port and firewall`;
  }
  return message;
}

/**
 * Connects once to `c` (a URL or options: an instance is the caller's and is not probed)
 * without reconnecting, sends PING, and disconnects. Rejects with a
 * {@link QueueConnectionError} that names the server and says what went wrong (no or wrong
 * password, nothing listening, ...).
 *
 * @example
 * await probeConnection(Redis, 'redis://127.0.0.1:6379', 'startQueueWorker');
 * // QueueConnectionError: startQueueWorker: cannot use Redis at redis://127.0.0.1:6379: the server requires a password (NOAUTH); ...
 */
export async function probeConnection(
  R: RedisClass,
  c: QueueConnection,
  where: string,
  timeoutMs = 10_000,
): Promise<void> {
  if (isRedisInstance(c)) return;
  const client = newClient(R, c, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
  });
  let last: Error | undefined;
  client.on('error', (e: Error) => {
    last = e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const message = (last ?? (e as Error)).message ?? String(e);
    throw new QueueConnectionError(
      `${where}: cannot use Redis at ${describeConnection(c)}: ${advice(message)}`,
      { cause: last ?? e },
    );
  } finally {
    client.disconnect();
  }
}
