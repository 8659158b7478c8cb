import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { Journal, resume, writeCheckpoint } from '../../src/runner/checkpoint.js';
import { parseLog, serializeLog } from '../../src/runner/log.js';
import { Runner, run } from '../../src/runner/node.js';
import { controlled, flush, IntegerLearner } from './fake-learner.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const peak = (x: number) => x + 0.01 / (0.01 + x * x);

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'adaptive-checkpoint-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('checkpoint journal', () => {
  it('writes every result to the journal before the learner is told it', async () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const journal = join(dir, 'run.ndjson');
    const learner = new IntegerLearner(20);
    const seen: number[] = [];
    const tell = learner.tell.bind(learner);
    // At each tell, the journal already holds that result.
    learner.tell = (x: number, y: number) => {
      const entries = parseLog<number, number>(readFileSync(journal, 'utf8'));
      expect(entries).toContainEqual({ op: 'tell', point: x, value: y });
      seen.push(x);
      tell(x, y);
    };
    const c = controlled<number, number>();
    const runner = new Runner(learner, c.fn, {
      npointsGoal: 6,
      concurrency: 3,
      checkpoint: { path, journal, everyMs: 60_000 },
    }).start();
    await flush();
    // Three results in the same turn: one append for the three.
    c.calls[2]?.resolve(20);
    c.calls[0]?.resolve(0);
    c.calls[1]?.resolve(10);
    await flush();
    expect(parseLog(readFileSync(journal, 'utf8'))).toEqual([
      { op: 'tell', point: 2, value: 20 },
      { op: 'tell', point: 0, value: 0 },
      { op: 'tell', point: 1, value: 10 },
    ]);
    for (let i = 3; i < 6; i++) c.calls[i]?.resolve(i * 10);
    const s = await runner.done;
    expect(s.npoints).toBe(6);
    expect(seen).toEqual([2, 0, 1, 3, 4, 5]);
    // The run ended with a snapshot of everything: the journal is empty again.
    expect(readFileSync(journal, 'utf8')).toBe('');
    const restored = new IntegerLearner(20);
    restored.restore(JSON.parse(readFileSync(path, 'utf8')));
    expect(restored.snapshot()).toEqual(learner.snapshot());
  });

  it('a snapshot empties the journal; resume = snapshot + journal', async () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const journal = join(dir, 'run.ndjson');
    const learner = new IntegerLearner(30);
    const c = controlled<number, number>();
    const runner = new Runner(learner, c.fn, {
      npointsGoal: 30,
      concurrency: 2,
      checkpoint: { path, journal, everyMs: 60_000, fsync: true },
    }).start();
    await flush();
    c.calls[0]?.resolve(0);
    c.calls[1]?.resolve(10);
    await flush();
    // The start wrote a snapshot of the empty learner; the journal has the two results.
    expect(parseLog(readFileSync(journal, 'utf8'))).toHaveLength(2);
    c.calls[2]?.resolve(20);
    await flush();
    // Simulate the process dying here: copy the files as they are.
    const crashedPath = join(dir, 'crashed.json');
    const crashedJournal = join(dir, 'crashed.ndjson');
    writeFileSync(crashedPath, readFileSync(path));
    writeFileSync(crashedJournal, readFileSync(journal));
    runner.cancel();
    await runner.done;

    const copy = new IntegerLearner(30);
    const r = resume(copy, { path: crashedPath, journal: crashedJournal });
    expect(r).toEqual({ restored: true, told: 3, failures: [], partialLine: false });
    expect([...copy.data.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 10],
      [2, 20],
    ]);
    expect(copy.pendingPoints).toEqual([]); // the snapshot's pending points are dropped
  });

  it('resume skips a last line cut short, and records given-up points', () => {
    const dir = tempDir();
    const journal = join(dir, 'run.ndjson');
    const full = serializeLog([
      { op: 'tell', point: 1, value: 10 },
      { op: 'fail', point: 2, error: 'boom', attempts: 2, kind: 'crash' },
      { op: 'tell', point: 3, value: Number.NaN },
    ]);
    writeFileSync(journal, `${full}{"op":"tell","point":4,"va`);
    const learner = new IntegerLearner(10);
    const r = resume(learner, { path: join(dir, 'missing.json'), journal });
    expect(r).toEqual({
      restored: false,
      told: 2,
      failures: [{ point: 2, error: 'boom', attempts: 2, kind: 'crash' }],
      partialLine: true,
    });
    expect(learner.data.get(1)).toBe(10);
    expect(learner.data.get(3)).toBeNaN();
    expect(learner.data.has(4)).toBe(false);
    // A broken line that is not the last one is an error.
    writeFileSync(journal, `{oops\n${full}`);
    expect(() => resume(new IntegerLearner(10), { journal })).toThrow(
      /resume: journal .*run\.ndjson: line 1: not JSON/,
    );
    expect(() => resume(new IntegerLearner(10), { path: 3 } as never)).toThrow(
      /resume: path must be a non-empty string, got 3/,
    );
    // Neither file: nothing to do.
    expect(
      resume(new IntegerLearner(10), { path: join(dir, 'a'), journal: join(dir, 'b') }),
    ).toMatchObject({
      restored: false,
      told: 0,
    });
  });

  it('Journal appends, truncates and closes; writeCheckpoint is atomic', () => {
    const dir = tempDir();
    const j = new Journal(join(dir, 'j.ndjson'), { fsync: true });
    j.append([{ op: 'tell', point: 0.5, value: 1 }]);
    j.append([]);
    expect(readFileSync(join(dir, 'j.ndjson'), 'utf8')).toBe(
      '{"op":"tell","point":0.5,"value":1}\n',
    );
    j.truncate();
    expect(readFileSync(join(dir, 'j.ndjson'), 'utf8')).toBe('');
    j.close();
    j.close();
    expect(() => j.append([{ op: 'removeUnfinished' }])).toThrow(/Journal: .*j\.ndjson is closed/);
    const learner = new IntegerLearner(5);
    learner.tell(1, 2);
    writeCheckpoint(learner, join(dir, 'c.json'), { fsync: true });
    expect(existsSync(join(dir, 'c.json.tmp'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'))).toEqual(learner.snapshot());
  });

  it('checks the checkpoint options', async () => {
    const learner = new IntegerLearner(5);
    await expect(
      run(learner, (x: number) => x, {
        npointsGoal: 1,
        checkpoint: { path: 'a.json', journal: 'a.json' },
      }),
    ).rejects.toThrow(/checkpoint.journal and checkpoint.path must be different files/);
    await expect(
      run(learner, (x: number) => x, {
        npointsGoal: 1,
        checkpoint: { path: 'a.json', jornal: 'b' } as never,
      }),
    ).rejects.toThrow(/unknown option 'jornal' \(did you mean 'journal'\?\)/);
    await expect(
      run(learner, (x: number) => x, {
        npointsGoal: 1,
        checkpoint: { path: 'a.json', fsync: 1 } as never,
      }),
    ).rejects.toThrow(/checkpoint.fsync must be true or false, got 1/);
  });

  it('a corrupt snapshot makes a resuming run reject, naming the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    writeFileSync(path, '{not json');
    await expect(
      run(new IntegerLearner(5), (x: number) => x, {
        npointsGoal: 2,
        checkpoint: { path, resume: true },
      }),
    ).rejects.toThrow(
      /run: resuming from the checkpoint failed: resume: the snapshot .*run\.json is not valid JSON/,
    );
    expect(readFileSync(path, 'utf8')).toBe('{not json'); // left for the user to repair
    const journal = join(dir, 'missing-dir', 'run.ndjson');
    await expect(
      run(new IntegerLearner(5), (x: number) => x, {
        npointsGoal: 2,
        checkpoint: { path: join(dir, 'other.json'), journal },
      }),
    ).rejects.toThrow(/run: opening the journal .*run\.ndjson failed: ENOENT/);
  });
});

describe('checkpoint: a run killed with SIGKILL', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('resumes with every point told before the kill, and reaches its goal', async () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const journal = join(dir, 'run.ndjson');
    const witness = join(dir, 'witness.txt');
    child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test', 'runner', 'checkpoint-child.ts'), dir],
      {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child?.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    const told = () =>
      existsSync(witness) ? readFileSync(witness, 'utf8').split('\n').length - 1 : 0;
    const snapshotPoints = () => {
      const l = new Learner1D({ bounds: [-1, 1] });
      l.restore(JSON.parse(readFileSync(path, 'utf8')));
      return l.npoints;
    };
    // Mid-run: several hundred points told and at least one snapshot taken since the start.
    await vi.waitFor(
      () => {
        expect(stderr).toBe('');
        expect(told()).toBeGreaterThan(400);
        expect(snapshotPoints()).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 20 },
    );
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const witnessed = readFileSync(witness, 'utf8').trim().split('\n').map(Number);
    const resumed = new Learner1D({ bounds: [-1, 1] });
    const r = resume(resumed, { path, journal });
    expect(r.restored).toBe(true);
    const data = new Map(resumed.toRecords().map(({ x, y }) => [x, y]));
    for (const x of witnessed) expect(data.get(x)).toBe(peak(x));
    expect(resumed.npoints).toBeGreaterThanOrEqual(witnessed.length);

    // The same options with resume: true continue the run to its goal.
    const goal = resumed.npoints + 200;
    const learner = new Learner1D({ bounds: [-1, 1] });
    const s = await run(learner, peak, {
      npointsGoal: goal,
      checkpoint: { path, journal, resume: true },
    });
    expect(s.reason).toBe('npointsGoal');
    expect(s.evaluations).toBe(200);
    const final = new Map(learner.toRecords().map(({ x, y }) => [x, y]));
    for (const x of witnessed) expect(final.get(x)).toBe(peak(x));
    expect(learner.pendingPoints).toEqual([]);
  }, 60_000);
});
