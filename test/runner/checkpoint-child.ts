/**
 * A run to kill: `node --import tsx test/runner/checkpoint-child.ts DIR`. Runs Learner1D
 * with checkpoints and a journal in DIR (resuming from them when present), and after every
 * tell appends the point to DIR/witness.txt, so the test knows which points were told before
 * it killed the process.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner1D, type Value1D } from '../../src/learners/learner1d.js';
import { run } from '../../src/runner/node.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: checkpoint-child.ts DIR');
const witness = join(dir, 'witness.txt');

class Witnessed extends Learner1D {
  override tell(x: number, y: Value1D): void {
    super.tell(x, y);
    appendFileSync(witness, `${x}\n`);
  }
}

const peak = (x: number) => x + 0.01 / (0.01 + x * x);
const learner = new Witnessed({ bounds: [-1, 1] });
await run(
  learner,
  (x: number) => new Promise<number>((resolve) => setTimeout(() => resolve(peak(x)), 1)),
  {
    npointsGoal: 1e6,
    concurrency: 4,
    checkpoint: {
      path: join(dir, 'run.json'),
      journal: join(dir, 'run.ndjson'),
      everyMs: 20,
      resume: true,
    },
  },
);
