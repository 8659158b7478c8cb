/**
 * A real redis-server for the tests: started on a free loopback port, without persistence
 * (`--save '' --appendonly no`), in its own temporary directory, and stopped by its pid.
 * Optionally with a password (`requirepass`) or ACL users. `restart()` stops it and starts it
 * again on the same port: everything it held is gone, as after a crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The redis-server binary: `$REDIS_SERVER`, else `redis-server` on the PATH. */
export const REDIS_SERVER = process.env.REDIS_SERVER || 'redis-server';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the tests that need Redis cannot run here, or undefined when they can: those tests
 * are skipped (not passed) only when there is no redis-server.
 */
export const NO_REDIS: string | undefined = (
  REDIS_SERVER.includes('/')
    ? executable(REDIS_SERVER)
    : (process.env.PATH ?? '').split(delimiter).some((d) => d && executable(join(d, REDIS_SERVER)))
)
  ? undefined
  : `no ${REDIS_SERVER} here: apt-get install redis-server, or set REDIS_SERVER to its path`;

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** `requirepass`: the default user needs this password. */
  password?: string;
  /** ACL rules, one user each, e.g. `'sampler on >s3cret ~* &* +@all'`. */
  users?: string[];
}

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** The pid of the running server. */
  readonly pid: number;
  /** `redis://[auth@]127.0.0.1:port`, e.g. `url(':s3cret')`, `url('sampler:s3cret')`. */
  url(auth?: string): string;
  /** Stops the server (SIGTERM to its pid) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Stops the server, then starts a fresh one (empty) on the same port. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A loopback port nothing listens on (at the time of the call). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error())));
    });
  });
}

/** Resolves when something on `port` answers PING (PONG, or NOAUTH with a password). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG') || data.startsWith('-NOAUTH'));
    });
  });
}

async function launch(port: number, dir: string, o: RedisServerOptions): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
    '--pidfile',
    join(dir, 'redis.pid'),
    '--logfile',
    join(dir, 'redis.log'),
  ];
  if (o.password !== undefined) args.push('--requirepass', o.password);
  for (const u of o.users ?? []) args.push('--user', ...u.split(' '));
  const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
  live.add(child);
  let exited = false;
  child.on('exit', () => {
    exited = true;
    live.delete(child);
  });
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const t0 = Date.now();
  for (;;) {
    if (await answers(port)) return child;
    if (exited) {
      const log = existsSync(join(dir, 'redis.log'))
        ? readFileSync(join(dir, 'redis.log'), 'utf8')
        : '';
      throw new Error(`redis-server on port ${port} exited at start:\n${log.slice(-2000)}`);
    }
    const e = await Promise.race([spawnError, new Promise((r) => setTimeout(r, 25, undefined))]);
    if (e instanceof Error) {
      throw new Error(`cannot start redis-server (apt-get install -y redis-server): ${e.message}`);
    }
    if (Date.now() - t0 > 15_000) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer within 15 s`);
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
  });
}

/**
 * Starts a redis-server on a free loopback port (retrying on another port if the one picked
 * was taken meanwhile).
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'as-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, options);
    } catch (e) {
      if (attempt >= 4 || !/exited at start/.test((e as Error).message)) throw e;
    }
  }
  let current: ChildProcess = child;
  const server: RedisServer = {
    port,
    dir,
    get pid() {
      return current.pid as number;
    },
    url(auth) {
      return `redis://${auth === undefined ? '' : `${auth}@`}127.0.0.1:${port}`;
    },
    stop() {
      return stopChild(current);
    },
    async restart() {
      await stopChild(current);
      current = await launch(port, dir, options);
    },
    async dispose() {
      await stopChild(current);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
