// The learner laws (src/testing) applied to IntegratorLearner.
//
// The domain of an IntegratorLearner is the set of nodes of its intervals, and intervals
// come into being as the learner asks. Two subjects:
// - a fresh learner: every law except orderIndependence, whose fresh learners would be told
//   points their own intervals do not have yet (a RangeError, as it should be);
// - a learner whose first 400 points are laid out (ask(400), then removeUnfinished(): the
//   intervals exist, the points wait in the queue). Histories ask fewer than 400 points, so
//   every learner of that subject has the nodes another one asks, and all laws apply.
import { describe, it } from 'vitest';
import { IntegratorLearner } from '../../src/learners/integrator.js';
import { checkLearnerLaws, LAW_NAMES, type LawSubject } from '../../src/testing/index.js';
import { LAW_RUNS } from '../fixtures/laws.js';

const inDomain = (x: number): boolean => x >= -1 && x <= 2;
// Smooth but no polynomial, with a steep part: no 5-point rule is at machine precision.
const f = (x: number): number => Math.exp(x) * Math.sin(3 * x) + Math.tanh(20 * (x - 0.3));

const fresh: LawSubject<number, number> = {
  name: 'IntegratorLearner (fresh)',
  make: () => new IntegratorLearner({ bounds: [-1, 2], tol: 1e-8 }),
  f,
  inDomain,
};

const laidOut: LawSubject<number, number> = {
  name: 'IntegratorLearner (400 points laid out)',
  make: () => {
    const learner = new IntegratorLearner({ bounds: [-1, 2], tol: 1e-8 });
    learner.ask(400);
    learner.removeUnfinished();
    return learner;
  },
  f,
  inDomain,
};

describe.each([
  { subject: fresh, laws: LAW_NAMES.filter((law) => law !== 'orderIndependence') },
  { subject: laidOut, laws: LAW_NAMES },
])('$subject.name', ({ subject, laws }) => {
  it.each(laws)('obeys %s', (law) => checkLearnerLaws(subject, { laws: [law], numRuns: LAW_RUNS }));
});
