/**
 * What the page and its worker share: the gallery, the messages between them, compiling a
 * user's expression, and the error of a piecewise-linear interpolant against a fine grid.
 * Pure code, no DOM: it runs in the page, the worker and Node (the tests).
 */

/** One entry of the gallery: an expression of x on [a, b]. */
export interface GalleryEntry {
  id: string;
  label: string;
  expr: string;
  bounds: [number, number];
}

export const GALLERY: readonly GalleryEntry[] = [
  {
    id: 'peak',
    label: 'peak: x + a²/(a² + x²), a = 0.01',
    expr: 'x + 0.01**2 / (0.01**2 + x**2)',
    bounds: [-1, 1],
  },
  { id: 'tanh', label: 'tanh(20x)', expr: 'tanh(20 * x)', bounds: [-1, 1] },
  { id: 'sin1x', label: 'sin(1/x) on [0.05, 1]', expr: 'sin(1 / x)', bounds: [0.05, 1] },
  { id: 'step', label: 'a step at x = 0.123', expr: 'x < 0.123 ? 0 : 1', bounds: [-1, 1] },
];

export type LearnerKind = 'learner1d' | 'average1d';
export type LossKind = 'default' | 'curvature' | 'uniform';

/** The page asks the worker to run this. */
export interface RunRequest {
  type: 'start';
  /** An expression of x, e.g. `sin(1 / x)` (Math's functions and constants are in scope). */
  expr: string;
  bounds: [number, number];
  learner: LearnerKind;
  loss: LossKind;
  /** `npoints`: stop at this many evaluations; `loss`: stop once the learner's loss is at most this. */
  goal: { kind: 'npoints'; value: number } | { kind: 'loss'; value: number };
  /** Evaluations asked for at once (the simulated parallel workers). */
  batch: number;
  /** Simulated time of one batch of evaluations, in ms (0: as fast as possible). */
  delayMs: number;
  /** Standard deviation of the Gaussian noise added for AverageLearner1D. */
  noise: number;
}

export interface StopRequest {
  type: 'stop';
}

export type ToWorker = RunRequest | StopRequest;

/** Max and root-mean-square error over the finite points of the fine grid. */
export interface ErrorPair {
  max: number;
  rms: number;
}

/** Sent once a run is set up: the exact function on the fine grid (for drawing and axes). */
export interface InitMessage {
  type: 'init';
  fineX: Float64Array;
  fineY: Float64Array;
  bounds: [number, number];
}

/** The state of a run, sent in batches while it runs and once more at its end. */
export interface ProgressMessage {
  type: 'progress';
  /** Evaluated points of the adaptive learner (sorted; means for AverageLearner1D). */
  x: Float64Array;
  y: Float64Array;
  /** Points asked for and not yet evaluated. */
  pending: Float64Array;
  /** Points evaluated since the previous message. */
  latest: Float64Array;
  /** The uniform sampling with the same number of evaluations. */
  ux: Float64Array;
  uy: Float64Array;
  npoints: number;
  /** Function evaluations (samples, for AverageLearner1D). */
  nevals: number;
  loss: number;
  adaptive: ErrorPair;
  uniform: ErrorPair;
  elapsedMs: number;
  /** Set on the last message of a run. */
  done: null | 'goal' | 'stopped' | 'limit';
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type FromWorker = InitMessage | ProgressMessage | ErrorMessage;

/** Evaluations a run never exceeds, whatever its goal. */
export const MAX_EVALUATIONS = 100_000;
/** Points of the fine grid the errors are measured on. */
export const FINE_POINTS = 10_001;

const MATH_NAMES = Object.getOwnPropertyNames(Math).filter((k) => /^[A-Za-z_]\w*$/.test(k));
const PRELUDE = `const { ${MATH_NAMES.join(', ')} } = Math; const pi = Math.PI, e = Math.E;\n`;

/**
 * Compiles an expression of x into a function (`new Function`), with Math's functions and
 * constants in scope (`sin`, `exp`, `PI`, `pi`, ...). Checks that it gives a number at the
 * bounds and the midpoint. Throws an `Error` with a message meant for the user.
 */
export function compileExpression(expr: string, bounds: [number, number]): (x: number) => number {
  const text = expr.trim();
  if (text === '') throw new Error('Type a function of x, e.g. sin(5 * x) * exp(-x * x)');
  const unbalanced = bracketError(text);
  if (unbalanced) throw new Error(`Cannot read "${text}": ${unbalanced}`);
  let f: (x: number) => unknown;
  try {
    f = new Function('x', `${PRELUDE}return (${text});`) as (x: number) => unknown;
  } catch (err) {
    throw new Error(`Cannot read "${text}": ${(err as Error).message}`);
  }
  const [a, b] = bounds;
  for (const x of [a, (a + b) / 2, b]) {
    let y: unknown;
    try {
      y = f(x);
    } catch (err) {
      throw new Error(`"${text}" fails at x = ${x}: ${(err as Error).message}`);
    }
    if (typeof y !== 'number' && typeof y !== 'boolean') {
      const shown = typeof y === 'object' || typeof y === 'string' ? JSON.stringify(y) : String(y);
      throw new Error(`"${text}" gives ${shown} at x = ${x}; it must give a number`);
    }
  }
  return (x) => Number(f(x));
}

/**
 * Why the brackets of an expression do not match (an unclosed `(`, a stray `)`), or null.
 * Quoted strings are skipped. This also keeps an expression inside `return (…)`.
 */
export function bracketError(text: string): string | null {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') open.push(c);
    else if (c in pairs) {
      if (open.pop() !== pairs[c])
        return `the '${c}' at position ${i + 1} has no matching '${pairs[c]}'`;
    }
  }
  if (quote) return `the string opened with ${quote} is not closed`;
  if (open.length === 0) return null;
  return open.length === 1
    ? `a '${open[0]}' is not closed`
    : `${open.length} brackets are not closed`;
}

/** Checks the bounds a user typed. */
export function checkBounds(a: number, b: number): [number, number] {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) {
    throw new Error(`The bounds must be finite numbers with a < b, got [${a}, ${b}]`);
  }
  return [a, b];
}

/** `n` points evenly spaced on [a, b], both ends included (the midpoint for n = 1). */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) out[0] = (a + b) / 2;
  for (let i = 0; i < n && n > 1; i++) out[i] = i === n - 1 ? b : a + ((b - a) * i) / (n - 1);
  return out;
}

/**
 * The max and RMS error of the piecewise-linear interpolant through (x, y) (x sorted) against
 * the exact values `fineY` at the sorted grid `fineX`. Grid points where the exact value or
 * the interpolant is not finite are left out; grid points outside [x₀, xₙ] are left out too
 * (there is no interpolant there). O(n + m). NaN with no usable grid point.
 */
export function interpolationError(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  fineX: ArrayLike<number>,
  fineY: ArrayLike<number>,
): ErrorPair {
  const n = x.length;
  let max = 0;
  let sum = 0;
  let count = 0;
  let j = 0;
  for (let i = 0; i < fineX.length && n > 0; i++) {
    const q = fineX[i] as number;
    const exact = fineY[i] as number;
    if (q < (x[0] as number) || q > (x[n - 1] as number) || !Number.isFinite(exact)) continue;
    while (j < n - 2 && (x[j + 1] as number) < q) j++;
    let v: number;
    if (n === 1) v = y[0] as number;
    else {
      const x0 = x[j] as number;
      const x1 = x[j + 1] as number;
      const y0 = y[j] as number;
      const y1 = y[j + 1] as number;
      v = q === x0 ? y0 : q === x1 ? y1 : y0 + ((q - x0) / (x1 - x0)) * (y1 - y0);
    }
    const d = Math.abs(v - exact);
    if (!Number.isFinite(d)) continue;
    if (d > max) max = d;
    sum += d * d;
    count++;
  }
  return count === 0 ? { max: Number.NaN, rms: Number.NaN } : { max, rms: Math.sqrt(sum / count) };
}

/**
 * Deterministic standard normal noise for (seed, x): a hash of both through a small PRNG
 * and the Box–Muller transform. The same (seed, x) always gives the same value.
 */
export function gaussianNoise(seed: number, x: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ buf.getUint32(0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ buf.getUint32(4);
  const next = (): number => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
