/**
 * A password-protected redis-server with an ACL user: URLs with a password or a user work;
 * without the password, or with a wrong one, the worker (library and CLI) and the master are
 * refused at once with an error that says why, and no password appears in any message.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  QueueConnectionError,
  QueueMaster,
  type QueueWorker,
  startQueueWorker,
} from '../../src/bullmq/index.js';
import { fixture, killAll, spawnWorker } from './helpers.js';
import { freePort, NO_REDIS, type RedisServer, startRedisServer } from './redis-server.js';

const PASSWORD = 's3cret-Pa55';
const USER_PASSWORD = 'samp1er-pw';
let redis: RedisServer;

beforeAll(async () => {
  if (NO_REDIS !== undefined) return;
  redis = await startRedisServer({
    password: PASSWORD,
    users: [`sampler on >${USER_PASSWORD} ~* &* +@all`],
  });
}, 30_000);
afterAll(async () => {
  await redis?.dispose();
});

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(
  connection: Parameters<typeof startQueueWorker>[0]['connection'],
  queueName: string,
) {
  const w: QueueWorker = await startQueueWorker({
    connection,
    queueName,
    module: fixture('square.mjs'),
  });
  cleanups.push(() => w.close({ force: true }));
  const m = new QueueMaster<number, number>({ connection, queueName });
  cleanups.push(() => m.close());
  return { w, m };
}

describe.skipIf(NO_REDIS !== undefined)('Redis with a password and an ACL user', () => {
  it('a URL with the password works, and so does an ACL user (URL or ioredis options)', async () => {
    const byPassword = await serve(redis.url(`:${PASSWORD}`), 'pw');
    expect(await byPassword.m.evaluate(3)).toBe(9);
    expect(byPassword.w.server).toBe(`redis://:***@127.0.0.1:${redis.port}`);
    const byUser = await serve(redis.url(`sampler:${USER_PASSWORD}`), 'acl');
    expect(await byUser.m.evaluate(4)).toBe(16);
    expect(byUser.m.server).toBe(`redis://sampler:***@127.0.0.1:${redis.port}`);
    const byOptions = await serve(
      { host: '127.0.0.1', port: redis.port, username: 'sampler', password: USER_PASSWORD },
      'acl-options',
    );
    expect(await byOptions.m.evaluate(5)).toBe(25);
    expect(byOptions.m.server).toBe(`redis://sampler:***@127.0.0.1:${redis.port}`);
  });

  it('a worker without the password, or with a wrong one, is refused with a clear error', async () => {
    const start = (connection: string) =>
      startQueueWorker({ connection, queueName: 'pw', module: fixture('square.mjs') }).then(
        (w) => {
          cleanups.push(() => w.close({ force: true }));
          throw new Error('the worker started');
        },
        (e: unknown) => e as Error,
      );
    const none = await start(redis.url());
    expect(none).toBeInstanceOf(QueueConnectionError);
    expect(none.message).toBe(
      `startQueueWorker: cannot use Redis at redis://127.0.0.1:${redis.port}: the server requires a password (NOAUTH); give it in the URL: redis://:PASSWORD@host:port, or redis://USER:PASSWORD@host:port for an ACL user`,
    );
    const wrong = await start(redis.url(':not-the-password'));
    expect(wrong.message).toMatch(
      /^startQueueWorker: cannot use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: the server refused the credentials \(WRONGPASS: wrong password, unknown user, or the user is disabled\)$/,
    );
    expect(wrong.message).not.toContain('not-the-password');
    const user = await start(redis.url(`nobody:${USER_PASSWORD}`));
    expect(user.message).toMatch(/redis:\/\/nobody:\*\*\*@127\.0\.0\.1:\d+: .*WRONGPASS/);
    expect(user.message).not.toContain(USER_PASSWORD);
  });

  it('the CLI worker without the password exits with code 1 and says why; with it (from REDIS_URL) it serves', async () => {
    const args = ['--queue', 'cli', '--module', fixture('square.mjs')];
    const refused = spawnWorker(['--redis', redis.url(), ...args]);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toMatch(
      /^adaptive-sampling worker: startQueueWorker: cannot use Redis at redis:\/\/127\.0\.0\.1:\d+: the server requires a password \(NOAUTH\)/,
    );
    // The password stays out of the process list, and out of the output.
    const ok = spawnWorker(args, { ...process.env, REDIS_URL: redis.url(`:${PASSWORD}`) });
    await ok.ready;
    expect(ok.stderr()).toContain(`on redis://:***@127.0.0.1:${redis.port} with`);
    expect(ok.stderr()).not.toContain(PASSWORD);
    const m = new QueueMaster<number, number>({
      connection: redis.url(`:${PASSWORD}`),
      queueName: 'cli',
    });
    cleanups.push(() => m.close());
    expect(await m.evaluate(6)).toBe(36);
    ok.child.kill('SIGTERM');
    expect(await ok.exited).toBe(0);
    expect(ok.stderr()).toMatch(/stopped after 1 job \(1 point\)\n$/);
  }, 60_000);

  it('a master without the password: ready() and every evaluation reject with the same error', async () => {
    const m = new QueueMaster<number, number>({ connection: redis.url(), queueName: 'pw' });
    cleanups.push(() => m.close());
    const pending = m.evaluate(1); // before the connection is known to fail
    const e = await m.ready().then(
      () => undefined,
      (x: unknown) => x as Error,
    );
    expect(e).toBeInstanceOf(QueueConnectionError);
    expect(e?.message).toMatch(
      /^QueueMaster: cannot use Redis at .*: the server requires a password \(NOAUTH\)/,
    );
    await expect(pending).rejects.toBe(e);
    await expect(m.evaluate(2)).rejects.toBe(e);
  });

  it('nothing listening: a clear error at once', async () => {
    const port = await freePort();
    await expect(
      startQueueWorker({
        connection: `redis://127.0.0.1:${port}`,
        queueName: 'q',
        module: fixture('square.mjs'),
      }),
    ).rejects.toThrow(
      `startQueueWorker: cannot use Redis at redis://127.0.0.1:${port}: nothing accepts connections there (connect ECONNREFUSED 127.0.0.1:${port}); is redis-server running, on that host and port?`,
    );
  });
});
