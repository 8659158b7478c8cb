/**
 * The JSON document the command line writes with `--out FILE.json` (the records, non-finite
 * numbers as strings, plus a summary). CSV and Arrow are the data module's (data-files.ts).
 */

import { encodeData } from '../io/json.js';
import type { LearnerKind } from './learners.js';

/**
 * A JSON document of a run: the learner kind, bounds, npoints, loss, the records (as the
 * learner's `toRecords()`, non-finite numbers as strings) and extras (integral, means).
 * @example
 * writeFileSync('out.json', toJson('1d', learner, [[-1, 1]]));
 */
export function toJson(
  kind: LearnerKind,
  learner: unknown,
  bounds: readonly (readonly [number, number])[],
): string {
  const l = learner as Record<string, unknown> & {
    toRecords(): unknown[];
    loss(): number;
    npoints: number;
  };
  const doc: Record<string, unknown> = {
    learner: kind,
    bounds: kind === '1d' || kind === 'integrator' || kind === 'average1d' ? bounds[0] : bounds,
    npoints: l.npoints,
    loss: l.loss(),
  };
  if (kind === 'integrator') {
    doc.integral = l.igral;
    doc.error = l.err;
  }
  if (kind === 'average') {
    doc.mean = l.mean;
    doc.std = l.std;
  }
  if (kind === 'average1d' || kind === 'average2d')
    doc.means = (learner as { means(): unknown[] }).means();
  // One record per line: readable, and diffs stay small.
  const head = JSON.stringify(encodeData(doc));
  const records = l.toRecords().map((r) => JSON.stringify(encodeData(r)));
  return `${head.slice(0, -1)},"records":[${records.length === 0 ? '' : `\n${records.join(',\n')}\n`}]}\n`;
}
