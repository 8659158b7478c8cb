/**
 * Keep a study as a table and pick it up later: sample a 2-D function, save the points as
 * CSV (pandas reads it) and Arrow, then load the CSV into an empty learner with the same
 * options (`learner.new()`) and sample on from where it stopped.
 *
 *   npx tsx examples/save-and-continue.ts [npoints]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner2D, runSync } from 'adaptive-sampling';
import { fromArrow, loadData, toArrowIPC, toCSV } from 'adaptive-sampling/data';

const n = Number(process.argv[2] ?? 400);
const out = process.env.OUT_DIR ?? 'out';
mkdirSync(out, { recursive: true });
const ring = ([x, y]: [number, number]): number =>
  x + Math.exp(-((x * x + y * y - 0.75 ** 2) ** 2) / 0.2 ** 4);

// Day 1: a first study, saved as a table.
const first = new Learner2D({
  bounds: [
    [-1, 1],
    [-1, 1],
  ],
});
runSync(first, ring, { npointsGoal: n });
writeFileSync(join(out, 'ring.csv'), toCSV(first));
writeFileSync(join(out, 'ring.arrow'), toArrowIPC(first));
console.log(
  `day 1: ${first.npoints} points, loss ${first.loss().toFixed(4)} -> ring.csv, ring.arrow`,
);

// Day 2: the same options, the saved data, and on to twice the points.
const again = first.new();
const { told, skipped } = loadData(again, readFileSync(join(out, 'ring.csv'), 'utf8'));
console.log(
  `day 2: loaded ${told} points (${skipped.length} skipped), loss ${again.loss().toFixed(4)}`,
);
runSync(again, ring, { npointsGoal: 2 * n });
console.log(`day 2: ${again.npoints} points, loss ${again.loss().toFixed(4)}`);

// The Arrow file holds the same rows.
const rows = fromArrow(readFileSync(join(out, 'ring.arrow')));
console.log(`ring.arrow: ${rows.length} rows, columns ${Object.keys(rows[0] ?? {}).join(', ')}`);
