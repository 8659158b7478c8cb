/**
 * The learner's side of the page: runs in a Web Worker so the page stays responsive. Asks
 * the learner for a batch of points, evaluates them (after a simulated delay, so pending
 * points can be seen), tells the values, and posts the state to the page at most every
 * ~40 ms, with the uniform sampling at the same number of evaluations and both errors.
 */
import {
  AverageLearner1D,
  curvatureLoss,
  defaultLoss,
  type IntervalLoss,
  Learner1D,
  type SeedPoint,
  uniformLoss,
} from 'adaptive-sampling';
import {
  checkBounds,
  compileExpression,
  FINE_POINTS,
  type FromWorker,
  gaussianNoise,
  interpolationError,
  linspace,
  MAX_EVALUATIONS,
  type ProgressMessage,
  type RunRequest,
  type ToWorker,
} from './shared.js';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** What the loop needs of a learner, for Learner1D and AverageLearner1D alike. */
interface Sampler<P> {
  ask(n: number): P[];
  /** Evaluates and tells one point. */
  evaluate(p: P): void;
  readonly npoints: number;
  readonly nevals: number;
  loss(): number;
  arrays(): { x: Float64Array; y: Float64Array };
  pendingX(): Float64Array;
  xOf(p: P): number;
  /** The uniform sampling with n evaluations. */
  uniform(n: number): { x: Float64Array; y: Float64Array };
}

const LOSSES: Record<RunRequest['loss'], () => IntervalLoss> = {
  default: () => defaultLoss,
  curvature: () => curvatureLoss(),
  uniform: () => uniformLoss,
};

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function learner1DSampler(req: RunRequest, f: (x: number) => number): Sampler<number> {
  const learner = new Learner1D({ bounds: req.bounds, loss: LOSSES[req.loss]() });
  return {
    ask: (n) => learner.ask(n).points,
    evaluate: (x) => learner.tell(x, evaluateAt(f, x)),
    get npoints() {
      return learner.npoints;
    },
    get nevals() {
      return learner.npoints;
    },
    loss: () => learner.loss(),
    arrays: () => learner.toArrays(),
    pendingX: () => Float64Array.from(learner.pendingPoints),
    xOf: (x) => x,
    uniform: (n) => {
      const x = linspace(req.bounds[0], req.bounds[1], n);
      return { x, y: x.map(f) };
    },
  };
}

function average1DSampler(req: RunRequest, f: (x: number) => number): Sampler<SeedPoint> {
  const learner = new AverageLearner1D({
    bounds: req.bounds,
    loss: LOSSES[req.loss](),
    minSamples: 10,
  });
  const noisy = (seed: number, x: number): number =>
    evaluateAt(f, x) + req.noise * gaussianNoise(seed, x);
  return {
    ask: (n) => learner.ask(n).points,
    evaluate: (p) => learner.tell(p, noisy(p[0], p[1])),
    get npoints() {
      return learner.npoints;
    },
    get nevals() {
      return learner.nsamples;
    },
    loss: () => learner.loss(),
    arrays: () => {
      const { x, y } = learner.toArrays();
      return { x, y };
    },
    pendingX: () => Float64Array.from(new Set(learner.pendingPoints.map((p) => p[1]))),
    xOf: (p) => p[1],
    uniform: (n) => {
      // The same budget spent uniformly: one noisy sample at each of n evenly spaced points.
      const x = linspace(req.bounds[0], req.bounds[1], n);
      return { x, y: x.map((xi, i) => noisy(1_000_000 + i, xi)) };
    },
  };
}

function evaluateAt(f: (x: number) => number, x: number): number {
  try {
    return f(x);
  } catch (err) {
    throw new Error(`The function fails at x = ${x}: ${describeError(err)}`);
  }
}

/** One run; `stop()` ends it with a last progress message. */
class Run<P> {
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: number[] = [];
  private lastPost = 0;
  private postEvery = 40;
  private readonly started = performance.now();
  private uniformCache: {
    n: number;
    error: ProgressMessage['uniform'];
    x: Float64Array;
    y: Float64Array;
  } | null = null;

  constructor(
    private readonly req: RunRequest,
    private readonly sampler: Sampler<P>,
    private readonly fineX: Float64Array,
    private readonly fineY: Float64Array,
  ) {}

  start(): void {
    this.timer = setTimeout(() => this.step(), 0);
  }

  stop(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.finish('stopped');
  }

  private goalReached(): boolean {
    const { goal } = this.req;
    if (goal.kind === 'npoints') return this.sampler.nevals >= goal.value;
    return this.sampler.npoints >= 2 && this.sampler.loss() <= goal.value;
  }

  private batchSize(): number {
    const { goal, batch } = this.req;
    const left = MAX_EVALUATIONS - this.sampler.nevals;
    const n = goal.kind === 'npoints' ? Math.min(batch, goal.value - this.sampler.nevals) : batch;
    return Math.max(1, Math.min(n, left));
  }

  /** Runs batches for up to ~12 ms (or one batch after a delay), then yields to messages. */
  private step(): void {
    if (this.stopped) return;
    const sliceEnd = performance.now() + 12;
    try {
      for (;;) {
        const end = this.endReason();
        if (end) {
          this.finish(end);
          return;
        }
        const points = this.sampler.ask(this.batchSize());
        if (points.length === 0) {
          this.finish('limit');
          return;
        }
        if (this.req.delayMs > 0) {
          this.maybePost();
          this.timer = setTimeout(() => this.evaluateLater(points), this.req.delayMs);
          return;
        }
        this.evaluate(points);
        if (performance.now() >= sliceEnd) break;
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    this.maybePost();
    this.timer = setTimeout(() => this.step(), 0);
  }

  private endReason(): ProgressMessage['done'] {
    if (this.goalReached()) return 'goal';
    if (this.sampler.nevals >= MAX_EVALUATIONS) return 'limit';
    return null;
  }

  private evaluateLater(points: P[]): void {
    if (this.stopped) return;
    try {
      this.evaluate(points);
    } catch (err) {
      this.fail(err);
      return;
    }
    this.step();
  }

  private evaluate(points: P[]): void {
    for (const p of points) {
      this.sampler.evaluate(p);
      this.latest.push(this.sampler.xOf(p));
    }
  }

  private fail(err: unknown): void {
    this.stopped = true;
    scope.postMessage({ type: 'error', message: describeError(err) });
  }

  private finish(reason: NonNullable<ProgressMessage['done']>): void {
    this.stopped = true;
    this.post(reason);
  }

  private maybePost(): void {
    const now = performance.now();
    if (now - this.lastPost < this.postEvery) return;
    this.post(null);
    // Measuring the errors costs O(n) evaluations: keep it to a small share of the time.
    this.postEvery = Math.max(40, 4 * (performance.now() - now));
    this.lastPost = performance.now();
  }

  private uniformState(n: number): NonNullable<Run<P>['uniformCache']> {
    if (this.uniformCache?.n !== n) {
      const { x, y } =
        n > 0 ? this.sampler.uniform(n) : { x: new Float64Array(0), y: new Float64Array(0) };
      this.uniformCache = { n, x, y, error: interpolationError(x, y, this.fineX, this.fineY) };
    }
    return this.uniformCache;
  }

  private post(done: ProgressMessage['done']): void {
    const { x, y } = this.sampler.arrays();
    const nevals = this.sampler.nevals;
    const u = this.uniformState(nevals);
    const pending = this.sampler.pendingX();
    const latest = Float64Array.from(this.latest);
    this.latest = [];
    const message: ProgressMessage = {
      type: 'progress',
      x,
      y,
      pending,
      latest,
      ux: u.x.slice(),
      uy: u.y.slice(),
      npoints: this.sampler.npoints,
      nevals,
      loss: this.sampler.loss(),
      adaptive: interpolationError(x, y, this.fineX, this.fineY),
      uniform: u.error,
      elapsedMs: performance.now() - this.started,
      done,
    };
    scope.postMessage(message, [
      x.buffer,
      y.buffer,
      pending.buffer,
      latest.buffer,
      message.ux.buffer,
      message.uy.buffer,
    ]);
  }
}

let current: { stop(): void } | null = null;

function startRun(req: RunRequest): void {
  let f: (x: number) => number;
  let bounds: [number, number];
  try {
    bounds = checkBounds(req.bounds[0], req.bounds[1]);
    f = compileExpression(req.expr, bounds);
  } catch (err) {
    scope.postMessage({ type: 'error', message: describeError(err) });
    return;
  }
  const fineX = linspace(bounds[0], bounds[1], FINE_POINTS);
  let fineY: Float64Array;
  try {
    fineY = fineX.map((x) => evaluateAt(f, x));
  } catch (err) {
    scope.postMessage({ type: 'error', message: describeError(err) });
    return;
  }
  scope.postMessage({ type: 'init', fineX: fineX.slice(), fineY: fineY.slice(), bounds });
  const request = { ...req, bounds };
  let run: Run<number> | Run<SeedPoint>;
  try {
    run =
      req.learner === 'average1d'
        ? new Run(request, average1DSampler(request, f), fineX, fineY)
        : new Run(request, learner1DSampler(request, f), fineX, fineY);
  } catch (err) {
    scope.postMessage({ type: 'error', message: describeError(err) });
    return;
  }
  current = run;
  run.start();
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'stop') current?.stop();
  else if (message.type === 'start') {
    current?.stop();
    startRun(message);
  }
};
