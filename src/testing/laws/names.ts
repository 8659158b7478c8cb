/**
 * The names of the learner laws, what each states, and the seed they use by default: the
 * vocabulary the rest of the laws (and their users) refer to.
 */

/**
 * The names of the laws, in the order {@link checkLearnerLaws} checks them.
 *
 * @example
 * // one test per law, in any runner (here Vitest)
 * it.each(LAW_NAMES)('Learner1D obeys %s', (law) => checkLearnerLaws(subject, { laws: [law] }));
 */
export const LAW_NAMES = [
  'askZero',
  'inDomain',
  'noDuplicatePending',
  'pendingPointsTracked',
  'askWithoutPendingIsPure',
  'orderIndependence',
  'retellIsNoop',
  'snapshotRoundTrip',
  'lossNonNegative',
  'lossNotNaN',
  'nonFiniteNeverHangs',
  'askedPointsAccepted',
  'scaleInvariant',
  'scaleRobust',
  'makesProgress',
] as const;

/**
 * The name of one learner law.
 *
 * @example
 * const skip: LawName[] = ['lossNotNaN'];
 */
export type LawName = (typeof LAW_NAMES)[number];

/**
 * What each law states, as printed in a {@link LawViolation}.
 *
 * @example
 * LAW_DESCRIPTIONS.askZero // 'ask(0) returns empty arrays; ask(n) with n not a non-negative integer throws a RangeError; neither changes the learner'
 */
export const LAW_DESCRIPTIONS: Readonly<Record<LawName, string>> = {
  askZero:
    'ask(0) returns empty arrays; ask(n) with n not a non-negative integer throws a RangeError; neither changes the learner',
  inDomain: 'every point handed out lies in the domain',
  noDuplicatePending:
    'no point is handed out twice while pending, and no point that was already told is handed out',
  pendingPointsTracked:
    'pendingPoints holds exactly the points handed out with tellPending and neither told nor removed',
  askWithoutPendingIsPure:
    'ask(n, { tellPending: false }) leaves the learner exactly as it was, and asking twice gives the same points',
  orderIndependence:
    'the same data told in any order (one by one, in one tellMany, in chunks, or as answers to its own asks) gives the same npoints and loss',
  retellIsNoop: 'telling known data again changes nothing',
  snapshotRoundTrip:
    'restore(JSON.parse(JSON.stringify(snapshot()))) into a fresh learner gives the same data, pending points, loss and next points',
  lossNonNegative: 'loss() and loss({ real: false }) are never negative',
  lossNotNaN:
    'loss() and loss({ real: false }) are never NaN, whatever values (NaN, ±Infinity) were told',
  nonFiniteNeverHangs:
    'with NaN and ±Infinity among the values (alone or in runs), ask(1) keeps returning a point (until done()) and no call throws or hangs',
  askedPointsAccepted:
    'every point handed out by ask lies in the domain exactly and is accepted by tell: it is no longer pending, the learner takes it in (its snapshot changes) and npoints does not fall',
  scaleInvariant:
    'told f × 2^k instead of f (k in [-480, 480], every finite value between 2^-500 and 2^500 in magnitude at both scales, so values and their products scale exactly), the learner asks the same points in the same order',
  scaleRobust:
    'with f rounded to 16 significant bits, told f × 10^k instead of f (|k| up to 300, 1e300 and 1e-300 included, every value finite and normal at both scales), the learner asks the same points in the same order until a tie: where the points first differ, their loss improvements agree to a relative 1e-9 (divided by 10^k where the loss is in units of the values): rounding broke a tie',
  makesProgress:
    'after any history, with the points handed out told, asking and telling one point at a time (real values) changes loss() or done() (or brings the loss to 0) within progressAsks(npoints) asks (default 4·npoints + 50): no livelock',
};

/**
 * The seed the laws use unless told otherwise.
 *
 * @example
 * checkLearnerLaws(subject, { seed: DEFAULT_SEED + 1 }); // explore other histories
 */
export const DEFAULT_SEED = 20_260_610;
