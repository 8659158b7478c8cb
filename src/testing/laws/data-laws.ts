/**
 * The laws of telling data, ports of python-adaptive's generic learner tests
 * (adaptive/tests/test_learners.py): the same data in any order gives the same learner
 * (test_point_adding_order_is_irrelevant), telling known data again changes nothing
 * (test_adding_existing_data_is_idempotent), and a snapshot restores the learner (test_saving).
 */

import fc from 'fast-check';
import type { Learner } from '../../learners/types.js';
import { describeDifference, jsonSafetyProblem, sameNumber } from '../compare.js';
import { runHistory } from '../history.js';
import { at, fail, show } from './breach.js';
import {
  askCall,
  askChecked,
  askDifference,
  askSize,
  dataOf,
  historyOf,
  type LawBuilders,
  observe,
  observedDifference,
  permute,
  playOptions,
  prop,
  sortKeys,
} from './property.js';

/** The laws of telling data, by name. */
export const dataLaws: LawBuilders<'orderIndependence' | 'retellIsNoop' | 'snapshotRoundTrip'> = {
  orderIndependence: (s) =>
    prop(
      'orderIndependence',
      s,
      (d) =>
        fc.record({
          history: historyOf(s, d),
          orderA: sortKeys,
          orderB: sortKeys,
          chunks: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        }),
      ({ history, orderA, orderB, chunks }, { f, make }) => {
        const source = make();
        const trace = runHistory(source, history, playOptions(s, f));
        const data = dataOf(trace);
        const a = permute(data, orderA);
        const b = permute(data, orderB);
        const routes: [string, Learner<unknown, unknown>][] = [];
        const add = <P, V>(route: string, learner: Learner<P, V>) =>
          routes.push([route, learner as unknown as Learner<unknown, unknown>]);
        for (const [route, seq] of [
          ['told one by one in order A', a],
          ['told one by one in order B', b],
        ] as const) {
          at(`with the data ${route}`);
          const learner = make();
          for (const { point, value } of seq) learner.tell(point, value);
          add(route, learner);
        }
        at('with the data told in one tellMany');
        const batch = make();
        batch.tellMany(
          data.map((d) => d.point),
          data.map((d) => d.value),
        );
        add('told in one tellMany', batch);
        at('with the data told in tellMany chunks');
        const chunked = make();
        for (let i = 0, c = 0; i < a.length; c++) {
          const size = chunks[c % chunks.length] as number;
          const part = a.slice(i, i + size);
          chunked.tellMany(
            part.map((d) => d.point),
            part.map((d) => d.value),
          );
          i += size;
        }
        add(`told in tellMany chunks of ${show(chunks)} in order A`, chunked);
        if (source.pendingPoints.length === 0) add('the learner that asked for them', source);
        const [refRoute, ref] = routes[0]!;
        const refLoss = ref.loss();
        const refLossPending = ref.loss({ real: false });
        const dataText = show(
          a.map((d) => [d.point, d.value]),
          400,
        );
        for (const [route, learner] of routes.slice(1)) {
          const what =
            learner.npoints !== ref.npoints
              ? `npoints ${ref.npoints} vs ${learner.npoints}`
              : !sameNumber(learner.loss(), refLoss, s.tol)
                ? `loss() ${refLoss} vs ${learner.loss()}`
                : !sameNumber(learner.loss({ real: false }), refLossPending, s.tol)
                  ? `loss({ real: false }) ${refLossPending} vs ${learner.loss({ real: false })}`
                  : undefined;
          if (what !== undefined) {
            fail(
              `the same data ${refRoute} and ${route} gives ${what}; data in order A: ${dataText}`,
            );
          }
        }
      },
    ),

  retellIsNoop: (s) =>
    prop(
      'retellIsNoop',
      s,
      (d) =>
        fc.record({ history: historyOf(s, d), order: sortKeys, batch: fc.boolean(), n: askSize }),
      ({ history, order, batch, n }, { f, make }) => {
        const learner = make();
        const control = make();
        const trace = runHistory(learner, history, playOptions(s, f));
        runHistory(control, history, playOptions(s, f));
        const data = permute(dataOf(trace), order);
        at('telling the known data again');
        if (batch) {
          learner.tellMany(
            data.map((d) => d.point),
            data.map((d) => d.value),
          );
        } else {
          for (const { point, value } of data) learner.tell(point, value);
        }
        const how = batch ? 'in one tellMany' : 'one by one';
        at('comparing with a learner that got the data once');
        const d = observedDifference(
          observe(control, s.key),
          observe(learner, s.key),
          false,
          s.tol,
        );
        if (d !== undefined)
          fail(`telling the ${data.length} known points again ${how} changed ${d}`);
        const dAsk = askDifference(
          askChecked(control, n, false),
          askChecked(learner, n, false),
          s.key,
          false,
          s.tol,
        );
        if (dAsk !== undefined) {
          fail(
            `after telling the known points again ${how}, the next ${askCall(n, false)} differs: ${dAsk}`,
          );
        }
      },
    ),

  snapshotRoundTrip: (s) =>
    prop(
      'snapshotRoundTrip',
      s,
      (d) => fc.record({ history: historyOf(s, d), n: askSize }),
      ({ history, n }, { f, make }) => {
        const learner = make();
        runHistory(learner, history, playOptions(s, f));
        at('in snapshot()');
        const snap = learner.snapshot();
        if (typeof snap?.type !== 'string' || typeof snap.version !== 'number') {
          fail(`snapshot() has no string "type" and numeric "version": ${show(snap)}`);
        }
        const unsafe = jsonSafetyProblem(snap);
        if (unsafe !== undefined) fail(`snapshot() is not JSON-safe ${unsafe}`);
        const text = JSON.stringify(snap);
        const again = describeDifference(
          JSON.parse(text),
          JSON.parse(JSON.stringify(learner.snapshot())),
        );
        if (again !== undefined) fail(`two consecutive snapshot() differ ${again}`);
        at('in restore() of the snapshot');
        const copy = make();
        copy.restore(JSON.parse(text));
        at('comparing the restored learner');
        const d = observedDifference(observe(learner, s.key), observe(copy, s.key), false, s.tol);
        if (d !== undefined) fail(`the restored learner differs from the original: ${d}`);
        const dAsk = askDifference(
          askChecked(learner, n, false),
          askChecked(copy, n, false),
          s.key,
          false,
          s.tol,
        );
        if (dAsk !== undefined) {
          fail(
            `the restored learner's next ${askCall(n, false)} differs from the original's: ${dAsk}`,
          );
        }
      },
    ),
};
