/**
 * The laws of asking: `ask(0)` and bad `n`, points in the domain, no duplicates, pending
 * points tracked, and `ask(n, { tellPending: false })` pure.
 */

import fc from 'fast-check';
import { describeDifference } from '../compare.js';
import { runHistory } from '../history.js';
import { at, fail, show } from './breach.js';
import {
  askCall,
  askChecked,
  askDifference,
  askSize,
  historyOf,
  type LawBuilders,
  type Observed,
  observe,
  observedDifference,
  playOptions,
  prop,
} from './property.js';
import type { Subject } from './subject.js';

/** The laws of asking, by name. */
export const askLaws: LawBuilders<
  'askZero' | 'inDomain' | 'noDuplicatePending' | 'pendingPointsTracked' | 'askWithoutPendingIsPure'
> = {
  askZero: (s) =>
    prop(
      'askZero',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
        runHistory(learner, history, playOptions(s, f));
        at('after the history');
        const before = observe(learner, s.key);
        const expectUnchanged = (call: string) => {
          const d = observedDifference(before, observe(learner, s.key), true, 0);
          if (d !== undefined) fail(`${call} changed the learner: ${d}`);
        };
        for (const tellPending of [true, false]) {
          const call = askCall(0, tellPending);
          const r = learner.ask(0, { tellPending });
          if (
            !Array.isArray(r?.points) ||
            r.points.length !== 0 ||
            !Array.isArray(r.lossImprovements) ||
            r.lossImprovements.length !== 0
          ) {
            fail(`${call} returned ${show(r)}, not { points: [], lossImprovements: [] }`);
          }
          expectUnchanged(call);
        }
        for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          for (const tellPending of [true, false]) {
            const call = askCall(n, tellPending);
            at(`in ${call}`);
            let threw: unknown;
            try {
              learner.ask(n, { tellPending });
            } catch (e) {
              threw = e;
            }
            if (threw === undefined) fail(`${call} returned instead of throwing a RangeError`);
            if (!(threw instanceof RangeError) && (threw as Error)?.name !== 'RangeError') {
              fail(`${call} threw ${show(threw)}, not a RangeError`);
            }
            expectUnchanged(call);
          }
        }
      },
    ),

  inDomain: (s) =>
    prop(
      'inDomain',
      s,
      (d) => historyOf(s, d),
      (history, { f, make, inDomain }) => {
        const learner = make();
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            onAsk: (result, step) => {
              for (const p of result.points) {
                if (!inDomain(p)) {
                  fail(
                    `${askCall(step.n, step.tellPending)} handed out ${show(p)}, outside the domain`,
                  );
                }
              }
            },
          }),
        );
      },
    ),

  noDuplicatePending: (s) =>
    prop(
      'noDuplicatePending',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            onAsk: (result, step, trace) => {
              const call = askCall(step.n, step.tellPending);
              const pending = new Set(trace.outstanding.map(s.key));
              const seen = new Set<string>();
              for (const p of result.points) {
                const k = s.key(p);
                if (seen.has(k)) fail(`${call} handed out ${show(p)} twice in one call`);
                if (pending.has(k)) fail(`${call} handed out ${show(p)}, which is still pending`);
                if (trace.told.has(k))
                  fail(`${call} handed out ${show(p)}, which was already told`);
                seen.add(k);
              }
            },
          }),
        );
      },
    ),

  pendingPointsTracked: <P, V, D>(s: Subject<P, V, D>) =>
    prop(
      'pendingPointsTracked',
      s,
      (d) => historyOf(s, d),
      (history, { f, make }) => {
        const learner = make();
        const check = (after: string, outstanding: readonly P[]) => {
          const listed = learner.pendingPoints.map(s.key);
          if (new Set(listed).size !== listed.length) {
            fail(`${after}, pendingPoints lists a point twice: ${show(learner.pendingPoints)}`);
          }
          const expected = [...new Set(outstanding.map(s.key))].sort();
          if (describeDifference(listed.sort(), expected) !== undefined) {
            fail(
              `${after}, pendingPoints is ${show(learner.pendingPoints)} but the outstanding points are ${show(outstanding)}`,
            );
          }
        };
        check('on a fresh learner', []);
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            afterStep: (step, i, trace) =>
              check(`after step ${i} (${show(step, 80)})`, trace.outstanding),
          }),
        );
      },
    ),

  askWithoutPendingIsPure: (s) =>
    prop(
      'askWithoutPendingIsPure',
      s,
      (d) => fc.record({ history: historyOf(s, d), n: askSize }),
      ({ history, n }, { f, make }) => {
        const learner = make();
        let before: Observed | undefined;
        runHistory(
          learner,
          history,
          playOptions(s, f, {
            beforeStep: (step) => {
              before =
                step.kind === 'ask' && !step.tellPending ? observe(learner, s.key) : undefined;
            },
            onAsk: (_result, step) => {
              if (before === undefined) return;
              const d = observedDifference(before, observe(learner, s.key), true, 0);
              if (d !== undefined) fail(`${askCall(step.n, false)} changed the learner: ${d}`);
            },
          }),
        );
        at('after the history');
        const start = observe(learner, s.key);
        const first = askChecked(learner, n, false);
        const d1 = observedDifference(start, observe(learner, s.key), true, 0);
        if (d1 !== undefined) fail(`${askCall(n, false)} changed the learner: ${d1}`);
        const second = askChecked(learner, n, false);
        const d2 = askDifference(first, second, s.key, true, 0);
        if (d2 !== undefined) fail(`two consecutive ${askCall(n, false)} differ: ${d2}`);
      },
    ),
};
