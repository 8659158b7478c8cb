/**
 * `adaptive-sampling worker` (workerCommand) in this process: arguments, exit codes and
 * messages, serving until its signal aborts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueMaster, WORKER_USAGE, workerCommand } from '../../src/bullmq/index.js';
import { root } from './helpers.js';
import { NO_REDIS, type RedisServer, startRedisServer } from './redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  if (NO_REDIS !== undefined) return;
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis?.dispose();
});

/** Runs the command with captured output. */
function command(
  argv: string[],
  extra: { signal?: AbortSignal; env?: Record<string, string> } = {},
) {
  let out = '';
  let err = '';
  const code = workerCommand(argv, {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd: root,
    env: extra.env ?? {},
    ...(extra.signal === undefined ? {} : { signal: extra.signal }),
  });
  return { code, out: () => out, err: () => err };
}

describe.skipIf(NO_REDIS !== undefined)('workerCommand', () => {
  it('--help prints the usage', async () => {
    const c = command(['--help']);
    expect(await c.code).toBe(0);
    expect(c.out()).toBe(WORKER_USAGE);
    expect(WORKER_USAGE).toMatch(/--redis URL .*\n.*ADAPTIVE_SAMPLING_REDIS or\n.*REDIS_URL/);
  });

  it('bad arguments: exit code 2 and a message that says what is wrong', async () => {
    const cases: [string[], string][] = [
      [['--queue', 'q', '--module', 'f.mjs'], 'give the Redis server: --redis redis://'],
      [['--redis', redis.url(), '--module', 'f.mjs'], 'give the queue: --queue NAME'],
      [['--redis', redis.url(), '--queue', 'q'], 'give the function: --module PATH'],
      [
        ['--redis', redis.url(), '--queue', 'q', '--module', 'f.mjs', '--concurrency', '0'],
        "--concurrency must be a positive integer, got '0'",
      ],
      [
        ['--redis', redis.url(), '--queue', 'q', '--module', 'f.mjs', '--lock-duration', 'soon'],
        "--lock-duration must be a positive number of seconds, got 'soon'",
      ],
      [
        ['--redis', redis.url(), '--queue', 'q', '--module', 'f.mjs', '--thread', '2'],
        "Unknown option '--thread'",
      ],
      [
        ['--redis', redis.url(), '--queue', 'q', '--module', 'f.mjs', 'extra'],
        "unexpected argument 'extra'",
      ],
    ];
    for (const [argv, message] of cases) {
      const c = command(argv);
      expect(await c.code, argv.join(' ')).toBe(2);
      expect(c.err()).toContain(`adaptive-sampling worker: ${message}`);
      expect(c.err()).toMatch(/See 'adaptive-sampling worker --help'\.\n$/);
    }
  });

  it('a module that does not load: exit code 1, saying which file', async () => {
    const c = command([
      '--redis',
      redis.url(),
      '--queue',
      'q',
      '--module',
      'test/fixtures/workers/nope.mjs',
    ]);
    expect(await c.code).toBe(1);
    expect(c.err()).toMatch(
      /^adaptive-sampling worker: WorkerPoolMaster: module not found: .*nope\.mjs/,
    );
  });

  it('serves (Redis from the environment, module relative to cwd) until its signal aborts: exit code 0', async () => {
    const stop = new AbortController();
    const c = command(
      [
        '--queue',
        'cmd',
        '--module',
        'test/fixtures/workers/square.mjs',
        '--export',
        'cube',
        '--concurrency',
        '2',
      ],
      { signal: stop.signal, env: { ADAPTIVE_SAMPLING_REDIS: redis.url() } },
    );
    const m = new QueueMaster<number, number>({ connection: redis.url(), queueName: 'cmd' });
    try {
      expect(await Promise.all([m.evaluate(2), m.evaluate(3)])).toEqual([8, 27]);
    } finally {
      await m.close();
    }
    expect(c.err()).toMatch(
      /^adaptive-sampling worker: serving queue 'cmd' on redis:\/\/127\.0\.0\.1:\d+ with file:\/\/.*\/square\.mjs \(export 'cube'\), concurrency 2, as adaptive-sampling:2:\S+\n$/,
    );
    stop.abort();
    expect(await c.code).toBe(0);
    expect(c.err()).toMatch(
      /stopping after the jobs in progress\n.*stopped after \d+ jobs? \(2 points\)\n$/,
    );
  });
});
