/**
 * python-adaptive's figures for the Learner1D cases, copied from
 * `../shared/reference/peer-python-adaptive.json` (keys a, b, c, d, e_serial, e_batched, f, g, i, j_*).
 *
 * python-adaptive v1.5.2 (commit b3a40ef), pure-Python triangulation, learner overhead only: the sampled function is trivial and evaluated inline. us_per_point = minimum over repeats of total loop time / N. Measured on this project's machine kind (2 cores, shared, noisy).
 * python-adaptive v1.5.2, Python 3.11.2, numpy 1.24.2, scipy 1.10.1.
 * `usPerPoint` is that file's `us_per_point`, `finalLoss` its `final.loss`.
 */

/** One python-adaptive measurement. */
export interface PeerSize {
  N: number;
  usPerPoint: number;
  finalLoss: number;
}

/** The python-adaptive cases by key. */
export const PEER: Readonly<Record<string, { description: string; sizes: readonly PeerSize[] }>> = {
  a: {
    description: 'Learner1D peak a=0.01 on (-1,1), default loss, serial ask(1)/tell',
    sizes: [
      {
        N: 1000,
        usPerPoint: 47.809,
        finalLoss: 0.0029277109846049605,
      },
      {
        N: 10000,
        usPerPoint: 57.233,
        finalLoss: 0.0003452307683677519,
      },
      {
        N: 100000,
        usPerPoint: 74.946,
        finalLoss: 0.00003487904792067315,
      },
    ],
  },
  b: {
    description: 'Learner1D peak, batched ask(100) then tell all',
    sizes: [
      {
        N: 10000,
        usPerPoint: 44.505,
        finalLoss: 0.00036173740464847493,
      },
      {
        N: 100000,
        usPerPoint: 59.839,
        finalLoss: 0.00002807896102571296,
      },
    ],
  },
  c: {
    description: 'Learner1D peak, curvature_loss_function(), serial',
    sizes: [
      {
        N: 10000,
        usPerPoint: 173.297,
        finalLoss: 0.000011919986764914403,
      },
    ],
  },
  d: {
    description: 'Learner1D vector [sin(k x), k=1..5] on (-3,3), default loss, serial',
    sizes: [
      {
        N: 10000,
        usPerPoint: 115.398,
        finalLoss: 0.0016473378418090288,
      },
    ],
  },
  g: {
    description: 'AverageLearner gauss(1,1), rtol=0.01, serial',
    sizes: [
      {
        N: 10000,
        usPerPoint: 3.955,
        finalLoss: 0.9981683831089274,
      },
    ],
  },
  i: {
    description:
      'BalancingLearner of 10 Learner1D peaks a=0.001*2^i on (-1,1), serial, N = total points',
    sizes: [
      {
        N: 10000,
        usPerPoint: 73.486,
        finalLoss: 0.0027707426603789964,
      },
    ],
  },
  f: {
    description: 'LearnerND 3D sphere (d=0.75, a=0.2) on [-1,1]^3, default loss, serial',
    sizes: [
      {
        N: 1000,
        usPerPoint: 3872.011,
        finalLoss: 0.0005895000754448292,
      },
      {
        N: 5000,
        usPerPoint: 4654.4,
        finalLoss: 0.0001498926261795494,
      },
    ],
  },
  e_serial: {
    description: 'Learner2D ring (d=0.75, a=0.2) on [-1,1]^2, serial ask(1)/tell',
    sizes: [
      {
        N: 1000,
        usPerPoint: 333.201,
        finalLoss: 0.008600747692583307,
      },
      {
        N: 5000,
        usPerPoint: 1509.972,
        finalLoss: 0.0005538584948794793,
      },
      {
        N: 10000,
        usPerPoint: 3176.858,
        finalLoss: 0.0002097544023059323,
      },
    ],
  },
  e_batched: {
    description: 'Learner2D ring, batched ask(100)',
    sizes: [
      {
        N: 10000,
        usPerPoint: 350.224,
        finalLoss: 0.0002947202703058402,
      },
    ],
  },
  j_raw: {
    description: 'Learner1D peak, plain ask(1)/tell loop (baseline for j)',
    sizes: [
      {
        N: 2000,
        usPerPoint: 53.23,
        finalLoss: 0.0014547172680801444,
      },
    ],
  },
  j_simple: {
    description: 'Learner1D peak, adaptive.runner.simple(npoints_goal=N)',
    sizes: [
      {
        N: 2000,
        usPerPoint: 51.904,
        finalLoss: 0.0014547172680801444,
      },
    ],
  },
  j_blocking: {
    description: 'Learner1D peak, BlockingRunner(SequentialExecutor)',
    sizes: [
      {
        N: 2000,
        usPerPoint: 74.451,
        finalLoss: 0.0014547172680801444,
      },
    ],
  },
  j_async: {
    description: 'Learner1D peak, AsyncRunner(SequentialExecutor).block_until_done()',
    sizes: [
      {
        N: 2000,
        usPerPoint: 107.433,
        finalLoss: 0.0014547172680801444,
      },
    ],
  },
};

/** The python-adaptive figure for case `key` at `N` points, if measured. */
export function peer(key: string, N: number): PeerSize | undefined {
  return PEER[key]?.sizes.find((s) => s.N === N);
}
