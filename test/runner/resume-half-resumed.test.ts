// Regression (issue 13): `resume` with a bad journal line left the learner half-resumed
// (the snapshot restored, the journal told up to the bad line), and the run's error named
// the snapshot path, which may not even exist, instead of the journal file and line. Now
// resume reads and parses both files before it touches the learner, puts the learner back as
// it was when it refuses anything, and names the file and the line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Learner1D } from '../../src/learners/learner1d.js';
import { resume } from '../../src/runner/checkpoint.js';
import { serializeLog } from '../../src/runner/log.js';
import { run } from '../../src/runner/node.js';
import { runSync } from '../../src/runner/sync.js';
import { IntegerLearner } from './fake-learner.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'adaptive-resume-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A learner with data and pending points: what must survive a refused resume. */
function busyLearner(): Learner1D {
  const l = new Learner1D({ bounds: [-1, 1] });
  runSync(l, (x: number) => x * x, { npointsGoal: 12 });
  l.ask(3);
  return l;
}

describe('resume is all or nothing, naming the file and the line', () => {
  it('a journal tell the learner refuses (line 3): learner unchanged, error names journal and line', () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const journal = join(dir, 'run.ndjson');
    const other = new Learner1D({ bounds: [-1, 1] });
    runSync(other, (x: number) => Math.sin(x), { npointsGoal: 30 });
    writeFileSync(path, JSON.stringify(other.snapshot()));
    writeFileSync(
      journal,
      serializeLog([
        { op: 'tell', point: 0.123, value: 1 },
        { op: 'tell', point: 0.5, value: 2 },
        { op: 'tell', point: 7, value: 3 }, // outside the bounds
        { op: 'tell', point: 0.7, value: 4 },
      ]),
    );
    const learner = busyLearner();
    const before = learner.snapshot();
    let err: unknown;
    try {
      resume(learner, { path, journal });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(
      new RegExp(
        `^resume: journal ${journal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 3: the learner refused the tell of point 7: `,
      ),
    );
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(learner.snapshot()).toEqual(before); // not the snapshot's, not half the journal
    expect(learner.pendingPoints).toHaveLength(3);
    expect(learner.npoints).toBe(12);
  });

  it('a line that is not JSON in the middle of the journal: nothing is touched', () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const journal = join(dir, 'run.ndjson');
    writeFileSync(path, JSON.stringify(new Learner1D({ bounds: [-1, 1] }).snapshot()));
    writeFileSync(
      journal,
      `${serializeLog([{ op: 'tell', point: 0.5, value: 2 }])}{oops\n${serializeLog([{ op: 'tell', point: 0.1, value: 2 }])}`,
    );
    const learner = busyLearner();
    const before = learner.snapshot();
    expect(() => resume(learner, { path, journal })).toThrow(
      /^resume: journal .*run\.ndjson: line 2: not JSON/,
    );
    expect(learner.snapshot()).toEqual(before);
  });

  it('a snapshot the learner refuses: error names the snapshot; learner unchanged', () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    writeFileSync(path, JSON.stringify({ type: 'Learner2D', version: 1 }));
    const learner = busyLearner();
    const before = learner.snapshot();
    expect(() => resume(learner, { path })).toThrow(
      /^resume: the snapshot .*run\.json was refused: /,
    );
    expect(learner.snapshot()).toEqual(before);
  });

  it('a run resuming with no snapshot and a bad journal: the error names the journal and line, not the snapshot', async () => {
    const dir = tempDir();
    const path = join(dir, 'never-written.json');
    const journal = join(dir, 'run.ndjson');
    writeFileSync(
      journal,
      serializeLog([
        { op: 'tell', point: 1, value: 10 },
        { op: 'tell', point: 99, value: 3 },
      ]),
    );
    const learner = new IntegerLearner(10);
    const err = await run(learner, (x: number) => x, {
      npointsGoal: 5,
      checkpoint: { path, journal, resume: true },
    }).catch((e: unknown) => e);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^run: resuming from the checkpoint failed: resume: journal .*run\.ndjson: line 2: the learner refused the tell of point 99: IntegerLearner: point 99 is outside 0..9/,
    );
    expect(message).not.toContain('never-written.json');
    expect(learner.npoints).toBe(0); // not half-resumed (line 1 was not kept)
    expect(learner.data.has(1)).toBe(false);
  });

  it('a good snapshot and journal resume as before', () => {
    const dir = tempDir();
    const path = join(dir, 'run.json');
    const journal = join(dir, 'run.ndjson');
    const l = new IntegerLearner(10);
    l.tell(0, 0);
    writeFileSync(path, JSON.stringify(l.snapshot()));
    writeFileSync(journal, serializeLog([{ op: 'tell', point: 1, value: 10 }]));
    const copy = new IntegerLearner(10);
    expect(resume(copy, { path, journal })).toMatchObject({ restored: true, told: 1 });
    expect([...copy.data]).toEqual([
      [0, 0],
      [1, 10],
    ]);
  });
});
