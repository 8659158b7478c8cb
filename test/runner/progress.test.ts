import { describe, expect, it } from 'vitest';
import { formatProgress, progressRenderer } from '../../src/runner/progress.js';
import { run } from '../../src/runner/runner.js';
import type { ProgressInfo } from '../../src/runner/types.js';
import { IntegerLearner } from './fake-learner.js';

const info = (o: Partial<ProgressInfo> = {}): ProgressInfo => ({
  npoints: 12345,
  pending: 8,
  loss: 0.00123,
  elapsedMs: 2300,
  overhead: 4.1,
  failures: 0,
  rate: 5367,
  final: false,
  ...o,
});

function sink(isTTY: boolean, columns?: number) {
  const chunks: string[] = [];
  return { chunks, stream: { write: (t: string) => chunks.push(t), isTTY, columns } };
}

describe('progress', () => {
  it('formats one line of figures', () => {
    expect(formatProgress(info())).toBe(
      '12.3k points · 8 pending · loss 0.00123 · 2.30 s · 5367 points/s · overhead 4.1 % · 0 failures',
    );
    expect(
      formatProgress(
        info({
          npoints: 3,
          loss: Number.POSITIVE_INFINITY,
          elapsedMs: 125_000,
          failures: 1,
          rate: 2.5e6,
        }),
      ),
    ).toBe(
      '3 points · 8 pending · loss Infinity · 2 min 5 s · 2.5M points/s · overhead 4.1 % · 1 failure',
    );
    expect(formatProgress(info({ loss: 2e-7, elapsedMs: 4_000_000 }))).toContain(
      'loss 2.00e-7 · 1 h 6 min',
    );
  });

  it('on a TTY rewrites one line, cut to the width, overhead in red above 50 %, and ends it', () => {
    const { chunks, stream } = sink(true);
    const render = progressRenderer(stream, { color: true });
    render(info());
    render(info({ overhead: 75, npoints: 20000 }));
    render(info({ final: true }));
    expect(chunks[0]).toBe(`\r${formatProgress(info())}\x1b[K`);
    expect(chunks[1]).toContain('\x1b[31moverhead 75.0 %\x1b[39m');
    expect(chunks[2]?.endsWith('\x1b[K\n')).toBe(true);
    const narrow = sink(true, 30);
    progressRenderer(narrow.stream, { label: 'sweep' })(info());
    expect(narrow.chunks[0]).toBe('\rsweep: 12.3k points · 8 pend…\x1b[K');
  });

  it('elsewhere prints a plain line every intervalMs, and always the last one', () => {
    const { chunks, stream } = sink(false);
    let t = 0;
    const render = progressRenderer(stream, { intervalMs: 1000, now: () => t });
    render(info());
    t = 500;
    render(info());
    t = 1200;
    render(info({ npoints: 2 }));
    t = 1300;
    render(info({ npoints: 3, final: true }));
    expect(chunks).toEqual([
      `${formatProgress(info())}\n`,
      `${formatProgress(info({ npoints: 2 }))}\n`,
      `${formatProgress(info({ npoints: 3 }))}\n`,
    ]);
  });

  it('checks its arguments', () => {
    expect(() => progressRenderer({} as never)).toThrow(/stream must have a write\(\) method/);
    expect(() => progressRenderer(sink(false).stream, { intervalMs: 0 })).toThrow(
      /intervalMs must be a positive number of ms, got 0/,
    );
    expect(() => progressRenderer(sink(false).stream, { colour: true } as never)).toThrow(
      /unknown option 'colour' \(did you mean 'color'\?\)/,
    );
  });

  it('renders a real run', async () => {
    const { chunks, stream } = sink(false);
    await run(new IntegerLearner(50), (x: number) => x, {
      npointsGoal: 50,
      onProgress: progressRenderer(stream),
    });
    expect(chunks.at(-1)).toMatch(/^50 points · 0 pending · loss 0 · .* · 0 failures\n$/);
  });
});
