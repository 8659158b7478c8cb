// The command line's --live [PORT]: parsed with or without a port, and a real run (main()
// in this process) prints the page's URL, whose state.json answers while the run goes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';

const base = ['run', 'f.mjs', '--learner', '1d', '--bounds=0,1', '--npoints-goal', '10'];

describe('--live', () => {
  it('takes no port (any free port), a port after a space, or after =', () => {
    expect(parseCommand(base)).toMatchObject({ live: undefined });
    expect(parseCommand([...base, '--live'])).toMatchObject({ live: 0 });
    expect(
      parseCommand([
        'run',
        'f.mjs',
        '--live',
        '--learner',
        '1d',
        '--bounds=0,1',
        '--npoints-goal',
        '10',
      ]),
    ).toMatchObject({
      live: 0,
      kind: '1d',
    });
    expect(parseCommand([...base, '--live', '8123'])).toMatchObject({ live: 8123 });
    expect(parseCommand([...base, '--live=8124'])).toMatchObject({ live: 8124 });
    expect(() => parseCommand([...base, '--live=70000'])).toThrow(
      /--live takes a port in \[0, 65535\]/,
    );
    expect(() => parseCommand([...base, '--live=x'])).toThrow(/--live takes a port/);
  });

  it('a run with --live prints the URL and the page answers while it runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'live-cli-'));
    const mod = join(dir, 'f.mjs');
    await writeFile(
      mod,
      'export default async (x) => { await new Promise((r) => setTimeout(r, 2)); return x * x; };\n',
    );
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    const sink = { write: (_s: string) => true };
    try {
      const code = main(
        [
          'run',
          mod,
          '--learner',
          '1d',
          '--bounds=0,1',
          '--npoints-goal',
          '200',
          '--live',
          '--quiet',
        ],
        {
          stdout: sink as never,
          stderr: sink as never,
          cwd: dir,
        },
      );
      let url: string | undefined;
      for (let i = 0; i < 1000 && url === undefined; i++) {
        await new Promise((r) => setTimeout(r, 10));
        url = writes.join('').match(/live view: (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/)?.[1];
      }
      expect(url).toBeDefined();
      const state = (await (await fetch((url as string).replace('/?', '/state.json?'))).json()) as {
        learner: string;
        status: string;
      };
      expect(state.learner).toBe('Learner1D');
      expect((await fetch((url as string).replace(/\?token=.*/, 'state.json'))).status).toBe(403);
      expect(await code).toBe(0);
    } finally {
      process.stderr.write = orig;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
