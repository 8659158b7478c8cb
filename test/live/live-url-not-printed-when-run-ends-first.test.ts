// Regression (issue 13): run(..., { live: true }) printed no URL when the run ended before
// the live view's server was up (the view saw a finished run and closed silently). Now the
// run's result waits until the URL is printed, however the run ends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { run } from '../../src/runner/node.js';

const URL_LINE = /live view: http:\/\/127\.0\.0\.1:\d+\/\?token=\w+\n/;

describe('the live view URL of a run that ends at once', () => {
  let writes: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  beforeEach(() => {
    writes = [];
    process.stderr.write = ((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    }) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stderr.write = orig;
  });

  it('is printed before the result of a run that meets its goal in one tell', async () => {
    const s = await run(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
      npointsGoal: 1,
      live: true,
    });
    expect(s.reason).toBe('npointsGoal');
    expect(writes.join('')).toMatch(URL_LINE);
  });

  it('is printed before the rejection of a run whose first evaluation throws', async () => {
    await expect(
      run(
        new Learner1D({ bounds: [0, 1] }),
        () => {
          throw new Error('boom');
        },
        { npointsGoal: 5, live: true },
      ),
    ).rejects.toThrow('boom');
    expect(writes.join('')).toMatch(URL_LINE);
  });

  it('a view that cannot start is reported before the result, and the run is unharmed', async () => {
    // An address no interface has: the server fails to listen.
    const s = await run(new Learner1D({ bounds: [0, 1] }), (x: number) => x, {
      npointsGoal: 3,
      live: { host: '203.0.113.1' },
    });
    expect(s.npoints).toBe(3);
    expect(writes.join('')).toMatch(/live view: could not start: /);
  });
});
