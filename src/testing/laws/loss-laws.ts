/**
 * The laws of the loss and of progress: never negative, never NaN, NaN and ±Infinity never
 * hang the learner, asked points are accepted by tell, and asking one point at a time
 * changes the loss or done() within a bound (no livelock).
 */

import fc from 'fast-check';
import type { Learner } from '../../learners/types.js';
import { nonFiniteArbitrary, runHistory } from '../history.js';
import { at, fail, show } from './breach.js';
import type { LawName } from './names.js';
import {
  askCall,
  askChecked,
  askSize,
  historyOf,
  type LawBuilders,
  maybeEveryValue,
  type Property,
  playOptions,
  prop,
} from './property.js';
import type { Subject } from './subject.js';

/**
 * A law that checks a learner on a fresh learner and after every step of a history (in some
 * runs, every value told is one non-finite value): `check` throws a breach naming `after`.
 */
function checkedAfterEveryStep<P, V, D>(
  law: LawName,
  s: Subject<P, V, D>,
  check: (learner: Learner<P, V>, after: string) => void,
): Property {
  return prop(
    law,
    s,
    (d) => fc.record({ history: historyOf(s, d), every: maybeEveryValue }),
    ({ history, every }, { f, make }) => {
      const learner = make();
      check(learner, 'on a fresh learner');
      runHistory(
        learner,
        history,
        playOptions(s, f, {
          everyValue: every,
          afterStep: (step, i) => check(learner, `after step ${i} (${show(step, 80)})`),
        }),
      );
    },
  );
}

/** The laws of the loss and of progress, by name. */
export const lossLaws: LawBuilders<
  'lossNonNegative' | 'lossNotNaN' | 'nonFiniteNeverHangs' | 'askedPointsAccepted' | 'makesProgress'
> = {
  lossNonNegative: (s) =>
    checkedAfterEveryStep('lossNonNegative', s, (learner, after) => {
      const loss = learner.loss();
      if (loss < 0) fail(`${after}, loss() is ${loss}`);
      const lossPending = learner.loss({ real: false });
      if (lossPending < 0) fail(`${after}, loss({ real: false }) is ${lossPending}`);
    }),

  lossNotNaN: (s) =>
    checkedAfterEveryStep('lossNotNaN', s, (learner, after) => {
      if (Number.isNaN(learner.loss())) fail(`${after}, loss() is NaN`);
      if (Number.isNaN(learner.loss({ real: false }))) {
        fail(`${after}, loss({ real: false }) is NaN`);
      }
    }),

  nonFiniteNeverHangs: (s) =>
    prop(
      'nonFiniteNeverHangs',
      s,
      () =>
        fc.record({
          // Runs of real values and runs of one non-finite value (a function that is NaN or
          // infinite on a stretch), 50 to 200 steps in all.
          runs: fc.array(
            fc.record({
              length: fc.integer({ min: 1, max: 12 }),
              value: fc.oneof(
                { withCrossShrink: true },
                { arbitrary: fc.constant(null), weight: 3 },
                { arbitrary: nonFiniteArbitrary(), weight: 2 },
              ),
            }),
            { minLength: 2, maxLength: 30 },
          ),
          every: maybeEveryValue,
        }),
      ({ runs, every }, { f, make }) => {
        const steps = runs.flatMap((r) => Array.from({ length: r.length }, () => r.value));
        while (steps.length < 50) steps.push(...steps);
        const learner = make();
        let last: unknown = 'nothing';
        for (const [i, nonFinite] of steps.slice(0, 200).entries()) {
          at(`in step ${i}`);
          if (learner.done?.() === true) return;
          const r = askChecked(learner, 1, true);
          if (r.points.length === 0) {
            fail(
              `ask(1) returned no points at step ${i} although the learner is not done (last told: ${show(last)})`,
            );
          }
          const point = r.points[0]!;
          let value = f(point);
          const bad = nonFinite ?? every;
          if (bad !== null && s.inject !== false) value = s.inject(value, bad.value, bad.component);
          learner.tell(point, value);
          last = [point, value];
        }
      },
    ),

  askedPointsAccepted: (s) =>
    prop(
      'askedPointsAccepted',
      s,
      (d) => fc.record({ history: historyOf(s, d), n: askSize, batch: fc.boolean() }),
      ({ history, n, batch }, { f, make, inDomain }) => {
        const learner = make();
        const check = (points: readonly unknown[], call: string) => {
          for (const p of points) {
            if (!inDomain(p as never)) fail(`${call} handed out ${show(p)}, outside the domain`);
          }
        };
        const trace = runHistory(
          learner,
          history,
          playOptions(s, f, {
            onAsk: (result, step) => check(result.points, askCall(step.n, step.tellPending)),
          }),
        );
        at('after the history');
        const outstanding = new Set(trace.outstanding.map(s.key));
        const r = askChecked(learner, n, true);
        check(r.points, askCall(n, true));
        const fresh = r.points.filter(
          (p) => !outstanding.has(s.key(p)) && !trace.told.has(s.key(p)),
        );
        const before = learner.npoints;
        const snapBefore = JSON.stringify(learner.snapshot());
        at(
          `telling the ${r.points.length} points of ${askCall(n, true)} ${batch ? 'in one tellMany' : 'one by one'}`,
        );
        if (batch) {
          if (r.points.length > 0) learner.tellMany(r.points, r.points.map(f));
        } else {
          for (const p of r.points) learner.tell(p, f(p));
        }
        if (learner.npoints < before || (fresh.length > 0 && learner.npoints === 0)) {
          fail(
            `telling the ${fresh.length} new points ${show(r.points)} handed out by ${askCall(n, true)} took npoints from ${before} to ${learner.npoints}`,
          );
        }
        if (fresh.length > 0 && JSON.stringify(learner.snapshot()) === snapBefore) {
          fail(
            `telling the ${fresh.length} new points ${show(fresh)} handed out by ${askCall(n, true)} left the snapshot as it was: the learner did not take them in`,
          );
        }
        const told = new Set(r.points.map(s.key));
        const still = learner.pendingPoints.filter((p) => told.has(s.key(p)));
        if (still.length > 0) fail(`${show(still)} are still pending after being told`);
      },
    ),

  makesProgress: (s) =>
    prop(
      'makesProgress',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
        const trace = runHistory(learner, history, playOptions(s, f));
        // Real values from here on: a learner of averages cannot converge on NaN samples
        // (nonFiniteNeverHangs covers asking on through them).
        const valueAt = f;
        at('telling the outstanding points');
        for (const p of trace.outstanding) learner.tell(p, valueAt(p));
        const start = { loss: learner.loss(), done: learner.done?.() ?? false };
        // Done, or a loss of 0: nothing left to gain.
        if (start.done || start.loss === 0) return;
        const limit = s.progressAsks(learner.npoints);
        const asked: (typeof trace.outstanding)[number][] = [];
        for (let i = 0; i < limit; i++) {
          at(`in progress ask ${i}`);
          const r = askChecked(learner, 1, true);
          if (r.points.length === 0) {
            fail(
              `ask(1) returned no point after ${i} progress asks although the learner is not done`,
            );
          }
          const p = r.points[0]!;
          if (asked.length < 8) asked.push(p);
          learner.tell(p, valueAt(p));
          const loss = learner.loss();
          if ((learner.done?.() ?? false) || !Object.is(loss, start.loss) || loss === 0) return;
        }
        fail(
          `after ${limit} asks (each told at once) loss() is still ${start.loss} and done() still false; the first points asked: ${show(asked)}`,
        );
      },
    ),
};
