/**
 * Check a custom Learner1D loss with the conformance kit (adaptive-sampling/testing): a loss
 * that weights intervals by the height |y| of their ends passes every learner law with random
 * values; a plausible variant that forgot the absolute value is caught, although a smooth
 * test function would have let it through. In a test suite, call `checkLearnerLaws` inside a
 * test: it throws on failure (README, "Testing your own learners and losses").
 *
 *   npx tsx examples/custom-loss.ts [runs per law, default 500]
 */
import { type IntervalLoss, Learner1D } from 'adaptive-sampling';
import { checkLearnerLaws, type LawSubject, LawViolation } from 'adaptive-sampling/testing';
import fc from 'fast-check';

const numRuns = Number(process.argv[2] ?? 500);

// [readme:loss]
// The segment length in the scaled (x, y) plane, longer where |y| is large: the learner
// passes x scaled by the domain width and y by the observed y range (scalar output here).
const heightWeighted: IntervalLoss = (xs, ys) => {
  const dx = (xs[1] as number) - (xs[0] as number);
  const [y0, y1] = ys as [number, number];
  return Math.hypot(dx, y1 - y0) * (1 + Math.max(Math.abs(y0), Math.abs(y1)));
};
// [/readme:loss]

/** The same loss with a bug: the weight forgot the absolute value, so it is negative where y < -1. */
const signedHeight: IntervalLoss = (xs, ys) => {
  const dx = (xs[1] as number) - (xs[0] as number);
  const [y0, y1] = ys as [number, number];
  return Math.hypot(dx, y1 - y0) * (1 + Math.max(y0, y1));
};

/** Runs the laws; returns the violation's message, or `undefined` when every law holds. */
function check(subject: LawSubject<number, number>): string | undefined {
  try {
    checkLearnerLaws(subject, { numRuns });
    return undefined;
  } catch (e) {
    if (e instanceof LawViolation) return e.message;
    throw e;
  }
}

// [readme:subject]
const subject: LawSubject<number, number> = {
  name: 'Learner1D(heightWeighted)',
  // recomputeLossesFactor 1: losses never lag the y range, so they do not depend on the
  // order of the tells
  make: () => new Learner1D({ bounds: [-1, 1], loss: heightWeighted, recomputeLossesFactor: 1 }),
  // each run draws a random function of x with values from these: small integers make equal
  // values, flat stretches and sign changes likely (fc.double mostly draws tiny magnitudes)
  values: fc.integer({ min: -10, max: 10 }),
  inDomain: (x) => x >= -1 && x <= 1,
  // also tell data the learner did not ask for
  points: fc.double({ min: -1, max: 1, noNaN: true }),
};
// [/readme:subject]

const good = check(subject);
console.log(`${subject.name}, random values: ${good ?? `obeys every law (${numRuns} runs each)`}`);

const buggy = {
  ...subject,
  name: 'Learner1D(signedHeight)',
  make: () => new Learner1D({ bounds: [-1, 1], loss: signedHeight, recomputeLossesFactor: 1 }),
};
const smooth = check({ ...buggy, values: undefined, f: (x) => Math.sin(3 * x) });
console.log(`${buggy.name}, f = sin(3x): ${smooth ?? 'obeys every law: the bug hides'}`);
const caught = check(buggy);
console.log(`${buggy.name}, random values: ${caught === undefined ? 'not caught' : 'caught'}`);
console.log(`\n${caught ?? ''}`);
