// examples/distributed.ts against a real redis-server (started here, stopped after).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NO_REDIS, type RedisServer, startRedisServer } from '../bullmq/redis-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let server: RedisServer;

beforeAll(async () => {
  if (NO_REDIS !== undefined) return;
  server = await startRedisServer();
}, 60_000);
afterAll(async () => {
  await server?.dispose();
});

it.skipIf(NO_REDIS !== undefined)(
  'distributed.ts samples the peak with two worker processes through Redis',
  () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'examples', 'distributed.ts'), '120'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, REDIS_URL: server.url() },
        timeout: 120_000,
      },
    );
    const m = /^(\d+) points evaluated by 2 worker processes through Redis/m.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(120);
  },
  150_000,
);
