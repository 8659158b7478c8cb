/**
 * A master process to kill: `node --import tsx test/bullmq/master-child.ts DIR URL QUEUE GOAL`.
 * Runs Learner1D through a QueueMaster to GOAL points with a checkpoint and a journal in DIR,
 * resuming from them when present. Every point the run tells (not the ones resumed from the
 * files) is appended to DIR/witness.txt as `PID X`; it prints `told 100` when the hundredth
 * is told, and the summary as JSON at the end.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueMaster } from '../../src/bullmq/index.js';
import { Learner1D, type Value1D } from '../../src/learners/learner1d.js';
import { resume } from '../../src/runner/checkpoint.js';
import { run } from '../../src/runner/node.js';

const [dir, url, queueName, goal] = process.argv.slice(2);
if (dir === undefined || url === undefined || queueName === undefined || goal === undefined) {
  throw new Error('usage: master-child.ts DIR URL QUEUE GOAL');
}
const witness = join(dir, 'witness.txt');
const path = join(dir, 'run.json');
const journal = join(dir, 'run.ndjson');

let witnessing = false;
let told = 0;
class Witnessed extends Learner1D {
  override tell(x: number, y: Value1D): void {
    super.tell(x, y);
    if (!witnessing) return;
    appendFileSync(witness, `${process.pid} ${x}\n`);
    if (++told === 100) process.stdout.write('told 100\n');
  }
}

const learner = new Witnessed({ bounds: [-1, 1] });
resume(learner, { path, journal }); // not witnessed: told by an earlier master
witnessing = true;
const master = new QueueMaster<number, number>({ connection: url, queueName });
const s = await run(learner, master, {
  npointsGoal: Number(goal),
  checkpoint: { path, journal, everyMs: 50 },
});
await master.close();
process.stdout.write(`${JSON.stringify({ reason: s.reason, npoints: s.npoints })}\n`);
