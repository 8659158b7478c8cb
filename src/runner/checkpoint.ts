/**
 * Checkpoints: the learner's snapshot written to a JSON file while a run goes on.
 */

import { renameSync, writeFileSync } from 'node:fs';
import type { Learner } from '../learners/types.js';

/**
 * Writes `JSON.stringify(learner.snapshot())` to `path` atomically: to `path + '.tmp'` first,
 * then renamed over `path`, so a crash never leaves a half-written file. Synchronous, so the
 * snapshot is consistent. O(snapshot size).
 *
 * @example
 * writeCheckpoint(learner, 'run.json');
 * learner.restore(JSON.parse(readFileSync('run.json', 'utf8')));
 */
export function writeCheckpoint(learner: Learner<unknown, unknown>, path: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(learner.snapshot()));
  renameSync(tmp, path);
}
