/**
 * The live page: reads the form, starts a run in a Web Worker, and draws what the worker
 * posts (at most once per animation frame). `document.body.dataset.state` is `idle`,
 * `running`, `done`, `stopped` or `error`; it changes only after the last picture is drawn.
 */
import './style.css';
import { axesSvg, dataSvg, exactSvg, type Frame, paddedRange } from './draw.js';
import {
  FINE_POINTS,
  type FromWorker,
  GALLERY,
  type InitMessage,
  type LearnerKind,
  type LossKind,
  MAX_EVALUATIONS,
  type ProgressMessage,
  type RunRequest,
} from './shared.js';

function $<T extends Element>(selector: string): T {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

const form = $<HTMLFormElement>('#controls');
const gallery = $<HTMLSelectElement>('#gallery');
const exprInput = $<HTMLInputElement>('#expr');
const aInput = $<HTMLInputElement>('#a');
const bInput = $<HTMLInputElement>('#b');
const learnerSelect = $<HTMLSelectElement>('#learner');
const lossSelect = $<HTMLSelectElement>('#loss');
const noiseInput = $<HTMLInputElement>('#noise');
const noiseLabel = $<HTMLLabelElement>('#noise-label');
const goalKind = $<HTMLSelectElement>('#goal-kind');
const goalValue = $<HTMLInputElement>('#goal-value');
const batchInput = $<HTMLInputElement>('#batch');
const delayInput = $<HTMLInputElement>('#delay');
const startButton = $<HTMLButtonElement>('#start');
const statusLine = $<HTMLParagraphElement>('#status');
const errorLine = $<HTMLParagraphElement>('#error');

const FRAME_SIZE = { width: 560, height: 340 };
const GOAL_DEFAULTS = { npoints: '200', loss: '0.01' };

type State = 'idle' | 'running' | 'done' | 'stopped' | 'error';

// ------------------------------------------------------------------- the form

for (const entry of GALLERY) gallery.add(new Option(entry.label, entry.id));
gallery.add(new Option('custom (type below)', 'custom'));

function pickGallery(id: string): void {
  const entry = GALLERY.find((g) => g.id === id);
  if (!entry) return;
  exprInput.value = entry.expr;
  aInput.value = String(entry.bounds[0]);
  bInput.value = String(entry.bounds[1]);
}
gallery.addEventListener('change', () => pickGallery(gallery.value));
exprInput.addEventListener('input', () => {
  gallery.value = 'custom';
});
for (const el of [aInput, bInput]) {
  el.addEventListener('input', () => {
    gallery.value = 'custom';
  });
}
function syncLearner(): void {
  noiseLabel.hidden = learnerSelect.value !== 'average1d';
  $('#adaptive-title').textContent =
    learnerSelect.value === 'average1d' ? 'AverageLearner1D (means)' : 'Learner1D';
}
learnerSelect.addEventListener('change', syncLearner);
goalKind.addEventListener('change', () => {
  goalValue.value = GOAL_DEFAULTS[goalKind.value as keyof typeof GOAL_DEFAULTS];
});
gallery.value = 'peak';
pickGallery('peak');
syncLearner();

/** The run the form describes; throws an Error meant for the user. */
function readForm(): RunRequest {
  const number = (input: HTMLInputElement, name: string): number => {
    const v = input.value.trim() === '' ? Number.NaN : Number(input.value);
    if (!Number.isFinite(v)) throw new Error(`${name} must be a number, got "${input.value}"`);
    return v;
  };
  const a = number(aInput, 'a');
  const b = number(bInput, 'b');
  if (!(a < b)) throw new Error(`The bounds need a < b, got a = ${a} and b = ${b}`);
  const kind = goalKind.value === 'loss' ? 'loss' : 'npoints';
  const value = number(goalValue, 'The goal');
  if (kind === 'npoints' && !(Number.isInteger(value) && value >= 2 && value <= MAX_EVALUATIONS)) {
    throw new Error(`npoints must be a whole number from 2 to ${MAX_EVALUATIONS}, got ${value}`);
  }
  if (kind === 'loss' && !(value > 0)) throw new Error(`The loss goal must be > 0, got ${value}`);
  const batch = number(batchInput, 'Points per batch');
  if (!(Number.isInteger(batch) && batch >= 1 && batch <= 64)) {
    throw new Error(`Points per batch must be a whole number from 1 to 64, got ${batch}`);
  }
  const delayMs = number(delayInput, 'ms per batch');
  if (!(delayMs >= 0 && delayMs <= 2000))
    throw new Error(`ms per batch must be from 0 to 2000, got ${delayMs}`);
  const noise = number(noiseInput, 'Noise σ');
  if (!(noise >= 0)) throw new Error(`Noise σ must be ≥ 0, got ${noise}`);
  return {
    type: 'start',
    expr: exprInput.value,
    bounds: [a, b],
    learner: learnerSelect.value as LearnerKind,
    loss: lossSelect.value as LossKind,
    goal: { kind, value },
    batch,
    delayMs,
    noise,
  };
}

// ------------------------------------------------------------------- drawing

const panels = {
  adaptive: setupPanel($<SVGSVGElement>('#plot-adaptive'), 'adaptive'),
  uniform: setupPanel($<SVGSVGElement>('#plot-uniform'), 'uniform'),
};

function setupPanel(svg: SVGSVGElement, id: string) {
  svg.innerHTML = `<g class="axes"></g><g class="exact-layer" clip-path="url(#clip-${id})"></g><g class="data" clip-path="url(#clip-${id})"><text class="placeholder" x="${FRAME_SIZE.width / 2}" y="${FRAME_SIZE.height / 2}" text-anchor="middle">Press Start to sample f</text></g>`;
  return {
    id,
    axes: svg.querySelector('.axes') as SVGGElement,
    exact: svg.querySelector('.exact-layer') as SVGGElement,
    data: svg.querySelector('.data') as SVGGElement,
  };
}

let frame: Frame | null = null;

function drawFrame(init: InitMessage, request: RunRequest): void {
  const [y0, y1] = paddedRange(init.fineY, 0.06);
  // Leave room for the noise of AverageLearner1D's samples (±3σ).
  const pad = request.learner === 'average1d' ? 3 * request.noise : 0;
  frame = { ...FRAME_SIZE, xDomain: init.bounds, yDomain: [y0 - pad, y1 + pad] };
  // Draw the exact function at ~2 samples per pixel: enough, and cheap to redraw.
  const step = Math.max(1, Math.floor(init.fineX.length / 1200));
  const ex: number[] = [];
  const ey: number[] = [];
  for (let i = 0; i < init.fineX.length; i += step) {
    ex.push(init.fineX[i] as number);
    ey.push(init.fineY[i] as number);
  }
  for (const panel of Object.values(panels)) {
    panel.axes.innerHTML = axesSvg(frame, panel.id);
    panel.exact.innerHTML = exactSvg(frame, ex, ey);
    panel.data.innerHTML = '';
  }
}

const fmt = (v: number): string =>
  Number.isNaN(v) ? '–' : v === Number.POSITIVE_INFINITY ? '∞' : v.toPrecision(3);

function setCell(id: string, value: number, text = fmt(value)): void {
  const el = $(`#${id}`);
  el.textContent = text;
  el.setAttribute('data-value', String(value));
}

let latestSince = new Set<number>();

function drawProgress(p: ProgressMessage): void {
  if (!frame) return;
  panels.adaptive.data.innerHTML = dataSvg(frame, {
    x: p.x,
    y: p.y,
    pending: p.pending,
    latest: latestSince,
  });
  panels.uniform.data.innerHTML = dataSvg(frame, { x: p.ux, y: p.uy });
  latestSince = new Set();
  setCell('adaptive-n', p.nevals, String(p.nevals));
  setCell('uniform-n', p.ux.length, String(p.ux.length));
  setCell('adaptive-max', p.adaptive.max);
  setCell('adaptive-rms', p.adaptive.rms);
  setCell('uniform-max', p.uniform.max);
  setCell('uniform-rms', p.uniform.rms);
  const compare = (name: string, adaptive: number, uniform: number): string => {
    const r = uniform / adaptive;
    if (!(Number.isFinite(r) && r > 0)) return '';
    return r >= 1
      ? `${name} ${r.toPrecision(3)}× smaller`
      : `${name} ${(1 / r).toPrecision(3)}× larger`;
  };
  const parts = [
    compare('max', p.adaptive.max, p.uniform.max),
    compare('RMS', p.adaptive.rms, p.uniform.rms),
  ].filter((t) => t !== '');
  $('#ratio').textContent = parts.length ? `Adaptive error: ${parts.join(', ')}.` : '';
  $('#grid-note').toggleAttribute('hidden', p.nevals <= FINE_POINTS / 4);
  setCell('npoints', p.npoints, String(p.npoints));
  setCell('loss-value', p.loss);
  setCell('elapsed', p.elapsedMs, `${(p.elapsedMs / 1000).toFixed(2)} s`);
}

// ------------------------------------------------------------------- running

let worker: Worker | null = null;
let request: RunRequest | null = null;
let pendingProgress: ProgressMessage | null = null;
let frameRequested = false;
let stopTimer: ReturnType<typeof setTimeout> | undefined;

function setState(state: State, text: string): void {
  document.body.dataset.state = state;
  statusLine.textContent = text;
  startButton.textContent = state === 'running' ? 'Stop' : 'Start';
}

function showError(message: string): void {
  errorLine.textContent = message;
  errorLine.hidden = false;
  endWorker();
  setState('error', 'Not running: see the error below.');
}

function endWorker(): void {
  clearTimeout(stopTimer);
  stopTimer = undefined;
  worker?.terminate();
  worker = null;
}

function describeDone(p: ProgressMessage): [State, string] {
  const time = `${(p.elapsedMs / 1000).toFixed(2)} s`;
  const goal = request?.goal;
  const goalText = goal?.kind === 'loss' ? `loss ≤ ${goal.value}` : `npoints ≥ ${goal?.value}`;
  if (p.done === 'goal')
    return ['done', `Done: goal ${goalText} reached with ${p.nevals} evaluations in ${time}.`];
  if (p.done === 'limit') {
    return ['done', `Done: stopped at the limit of ${p.nevals} evaluations before ${goalText}.`];
  }
  return ['stopped', `Stopped by you after ${p.nevals} evaluations (${time}).`];
}

function render(): void {
  frameRequested = false;
  const p = pendingProgress;
  pendingProgress = null;
  if (!p) return;
  drawProgress(p);
  if (p.done) {
    endWorker();
    const [state, text] = describeDone(p);
    setState(state, text);
  } else {
    setState('running', `Running: ${p.nevals} evaluations, loss ${fmt(p.loss)}.`);
  }
}

function onMessage(message: FromWorker): void {
  if (message.type === 'error') {
    showError(message.message);
    return;
  }
  if (message.type === 'init') {
    if (request) drawFrame(message, request);
    return;
  }
  for (const x of message.latest) latestSince.add(x);
  pendingProgress = message;
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(render);
  }
}

function start(): void {
  endWorker();
  errorLine.hidden = true;
  let req: RunRequest;
  try {
    req = readForm();
  } catch (err) {
    showError((err as Error).message);
    return;
  }
  request = req;
  frame = null;
  latestSince = new Set();
  pendingProgress = null;
  const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker = w;
  w.onmessage = (event: MessageEvent<FromWorker>) => {
    if (worker === w) onMessage(event.data);
  };
  w.onerror = (event) => {
    if (worker === w) showError(`The worker failed: ${event.message || 'could not load it'}`);
  };
  w.postMessage(req);
  setState('running', 'Starting…');
}

function stop(): void {
  if (!worker || stopTimer !== undefined) return;
  worker.postMessage({ type: 'stop' });
  // A worker stuck in a long evaluation cannot answer: end it after a second.
  stopTimer = setTimeout(() => {
    endWorker();
    setState('stopped', 'Stopped by you.');
  }, 1000);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (document.body.dataset.state === 'running') stop();
  else start();
});
