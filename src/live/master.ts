/**
 * liveMaster: a person (or an instrument's software) as the master. Its page lists the
 * points the learner asks for and takes the measured values; a run with it is an ordinary
 * run (goals, checkpoints, logs and replay all work).
 */

import { decodeData, encodeData } from '../io/json.js';
import { describe } from '../master/options.js';
import { abortError, type Master } from '../master/types.js';
import { pointKey } from '../runner/log.js';
import { FrameReader } from './frame.js';
import { Hub } from './hub.js';
import { pageHtml } from './page.js';
import {
  checkServeOptions,
  readJson,
  type ServeOptions,
  sendJson,
  sendText,
  serve,
} from './server.js';
import { checkInterval } from './view.js';

/**
 * Options of {@link liveMaster}.
 * @example
 * { port: 0, concurrency: 4, learner, title: 'resonance scan' }
 */
export interface LiveMasterOptions extends ServeOptions {
  /** Points asked at once (default 4): the person sees up to this many and answers in any order. */
  concurrency?: number | undefined;
  /** The learner whose picture the page shows as the answers arrive (optional). */
  learner?: unknown;
  /** Shortest time between two frames sent to the page, in ms (default 200). */
  intervalMs?: number | undefined;
  /** The page's title (default `'asked points'`). */
  title?: string | undefined;
}

interface Ask<V> {
  point: unknown;
  key: string;
  resolve(v: V): void;
  reject(e: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** One answer: a value, or an error message (the measurement failed: the run retries or gives up). */
interface Answer {
  point: unknown;
  value?: unknown;
  error?: unknown;
}

/**
 * A {@link Master} whose `evaluate` waits for a person: see {@link liveMaster}.
 * @example
 * const person = await liveMaster({ port: 0 });
 * await run(new Learner1D({ bounds: [450, 550] }), person, { npointsGoal: 40 });
 * await person.close();
 */
export class LiveMaster<P = unknown, V = unknown> implements Master<P, V> {
  readonly concurrency: number;
  /** The page: `http://127.0.0.1:PORT/?token=...`. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** Values received so far. */
  answered = 0;
  readonly #active: Ask<V>[] = [];
  readonly #waiting: Ask<V>[] = [];
  readonly #hub: Hub<Record<string, never>>;
  readonly #close: () => Promise<void>;
  #closed = false;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link liveMaster}. */
  constructor(
    concurrency: number,
    served: { url: string; origin: string; token: string; close(): Promise<void> },
    hub: Hub<Record<string, never>>,
  ) {
    this.concurrency = concurrency;
    this.url = served.url;
    this.origin = served.origin;
    this.token = served.token;
    this.#hub = hub;
    this.#close = () => served.close();
  }

  /** The points waiting for a value, oldest first (at most `concurrency`). */
  get pendingPoints(): P[] {
    return this.#active.map((a) => a.point as P);
  }

  /**
   * Asks the person for the value at `point`: it appears on the page (and in
   * `/pending.json`) until answered. Rejects with an `AbortError` when `signal` aborts,
   * with the person's error message when they answer `{ point, error }`, and when closed.
   */
  evaluate(point: P, signal?: AbortSignal): Promise<V> {
    if (this.#closed) return Promise.reject(new Error('liveMaster: evaluate called after close()'));
    if (signal?.aborted) {
      return Promise.reject(abortError('liveMaster: evaluation aborted', signal.reason));
    }
    return new Promise<V>((resolve, reject) => {
      const ask: Ask<V> = {
        point,
        key: pointKey(point),
        resolve,
        reject,
        signal,
        onAbort: undefined,
      };
      if (signal !== undefined) {
        ask.onAbort = () => {
          this.#remove(ask);
          reject(abortError('liveMaster: evaluation aborted', signal.reason));
        };
        signal.addEventListener('abort', ask.onAbort, { once: true });
      }
      if (this.#active.length < this.concurrency) this.#active.push(ask);
      else this.#waiting.push(ask);
      this.#hub.poke();
    });
  }

  #remove(ask: Ask<V>): void {
    if (ask.onAbort !== undefined) ask.signal?.removeEventListener('abort', ask.onAbort);
    let i = this.#active.indexOf(ask);
    if (i >= 0) {
      this.#active.splice(i, 1);
      const next = this.#waiting.shift();
      if (next !== undefined) this.#active.push(next);
    } else {
      i = this.#waiting.indexOf(ask);
      if (i >= 0) this.#waiting.splice(i, 1);
    }
    this.#hub.poke();
  }

  /** The asked point an answer means: the same point, or a number within 1e-12 relative. */
  #find(point: unknown): Ask<V> | undefined {
    const key = pointKey(point);
    const exact = this.#active.find((a) => a.key === key);
    if (exact !== undefined || typeof point !== 'number') return exact;
    let best: Ask<V> | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const a of this.#active) {
      if (typeof a.point !== 'number') continue;
      const d = Math.abs(a.point - point);
      if (d < bestD && d <= 1e-12 * Math.max(1, Math.abs(point))) {
        best = a;
        bestD = d;
      }
    }
    return best;
  }

  /**
   * Gives the value (or an error) for an asked point, as the page and `POST /answer` do.
   * Throws when the point is not being asked, naming the points that are; the master is
   * then unchanged.
   *
   * @example
   * person.answer(0.5, 1.25);
   */
  answer(point: unknown, value: unknown, error?: string): void {
    const ask = this.#find(point);
    if (ask === undefined) {
      const asked = this.#active.map((a) => JSON.stringify(encodeData(a.point))).join(', ');
      throw new RangeError(
        `liveMaster: ${JSON.stringify(encodeData(point))} is not an asked point (asked: ${asked || 'none'})`,
      );
    }
    this.#remove(ask);
    this.answered++;
    if (error !== undefined) ask.reject(new Error(error));
    else ask.resolve(value as V);
  }

  /** @internal The frame fields of the person's side. */
  frameFields(): { pending: { point: unknown }[]; answered: number } {
    return {
      pending: this.#active.map((a) => ({ point: encodeData(a.point) })),
      answered: this.answered,
    };
  }

  /** Stops the server; points still asked reject. Idempotent. */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    for (const a of [...this.#active, ...this.#waiting]) {
      if (a.onAbort !== undefined) a.signal?.removeEventListener('abort', a.onAbort);
      a.reject(new Error('liveMaster: closed before the point was answered'));
    }
    this.#active.length = 0;
    this.#waiting.length = 0;
    this.#hub.close();
    this.#closing = this.#close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function checkAnswer(x: unknown): Answer {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || !('point' in x)) {
    throw new TypeError(`expected { point, value } or { point, error }, got ${describe(x)}`);
  }
  const a = x as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (k !== 'point' && k !== 'value' && k !== 'error') {
      throw new TypeError(`unknown field '${k}' (allowed: point, value, error)`);
    }
  }
  if ('error' in a) {
    if (typeof a.error !== 'string') throw new TypeError('error must be a string');
    return { point: decodeData(a.point), error: a.error };
  }
  if (!('value' in a) || a.value === null) {
    throw new TypeError(`no value for ${JSON.stringify(a.point)}`);
  }
  return { point: decodeData(a.point), value: decodeData(a.value) };
}

/**
 * Starts a master whose `evaluate` waits for a person, and its page:
 * - `GET /?token=` lists the asked points with a box for each value (Enter sends it), takes
 *   pasted CSV rows (`x, value` or `x1, x2, value`), and shows `learner`'s picture as the
 *   values arrive;
 * - `GET /pending.json?token=` → `[{ point }...]` (non-finite numbers as strings);
 * - `POST /answer?token=` with `{ point, value }`, `{ point, error }` or an array of them →
 *   `{ answered }`; 400 naming the problem when a point is not asked (then nothing of that
 *   request is taken) or a value is missing.
 *
 * Answers come in any order. Bound to 127.0.0.1 unless `host` says otherwise; requests
 * without the token get 403; values are parsed as JSON, never evaluated.
 *
 * @example
 * const learner = new Learner1D({ bounds: [450, 550] });
 * const person = await liveMaster({ port: 0, learner });
 * console.error(person.url);
 * await run(learner, person, { npointsGoal: 40, log: true });
 * await person.close();
 */
export async function liveMaster<P = unknown, V = unknown>(
  options: LiveMasterOptions = {},
): Promise<LiveMaster<P, V>> {
  const where = 'liveMaster';
  const o = checkServeOptions(where, options, ['concurrency', 'learner', 'intervalMs', 'title']);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `${where}: concurrency must be a positive integer, got ${describe(concurrency)}`,
    );
  }
  const intervalMs = checkInterval(where, options.intervalMs);
  const learner = options.learner;
  if (learner !== undefined && (learner === null || typeof learner !== 'object')) {
    throw new TypeError(`${where}: learner must be a learner object, got ${describe(learner)}`);
  }
  const title = options.title ?? 'asked points';
  if (typeof title !== 'string') {
    throw new TypeError(`${where}: title must be a string, got ${describe(title)}`);
  }
  const reader = learner !== undefined ? new FrameReader(learner) : undefined;
  let master: LiveMaster<P, V> | undefined;
  let lastSig = '';
  const hub = new Hub<Record<string, never>>(intervalMs, (clients, fresh) => {
    if (master === undefined) return;
    const fields = master.frameFields();
    reader?.sample();
    const info = reader?.info();
    const sig = `${fields.answered}|${fields.pending.length}|${info?.npoints}`;
    const changed = sig !== lastSig;
    lastSig = sig;
    if (!changed && fresh === undefined) return;
    if (changed) reader?.updateLatest();
    const frame = {
      ...fields,
      info,
      svg: reader?.picture() ?? '',
      lossSvg: reader?.lossPicture() ?? '',
    };
    for (const c of changed ? clients : [fresh as NonNullable<typeof fresh>]) c.send(frame);
  });
  const served = await serve(where, o, [
    ({ method, path, res }) => {
      if (method !== 'GET' || path !== '/') return false;
      sendText(res, 'text/html', pageHtml('master', title, reader?.kind ?? 'none'));
      return true;
    },
    ({ method, path, res }) => {
      if (method !== 'GET' || path !== '/pending.json') return false;
      sendJson(res, 200, (master as LiveMaster<P, V>).frameFields().pending);
      return true;
    },
    ({ method, path, res }) => {
      if (method !== 'GET' || path !== '/events') return false;
      hub.add(res, {});
      return true;
    },
    async ({ method, path, req, res }) => {
      if (path !== '/answer') return false;
      if (method !== 'POST') {
        sendJson(res, 405, { error: `${where}: /answer takes POST` });
        return true;
      }
      let answers: Answer[];
      try {
        const body = await readJson(req);
        answers = (Array.isArray(body) ? body : [body]).map(checkAnswer);
      } catch (e) {
        sendJson(res, 400, { error: `${where}: ${e instanceof Error ? e.message : String(e)}` });
        return true;
      }
      const m = master as LiveMaster<P, V>;
      // All or nothing: every point must be asked (and named once) before any is taken.
      const asked = new Set(m.pendingPoints.map((p) => pointKey(p)));
      const seen = new Set<string>();
      for (const a of answers) {
        let key = pointKey(a.point);
        if (!asked.has(key) && typeof a.point === 'number') {
          const near = m.pendingPoints.find(
            (p) =>
              typeof p === 'number' &&
              Math.abs(p - (a.point as number)) <= 1e-12 * Math.max(1, Math.abs(a.point as number)),
          );
          if (near !== undefined) key = pointKey(near);
        }
        if (!asked.has(key) || seen.has(key)) {
          const list = m.pendingPoints.map((p) => JSON.stringify(encodeData(p))).join(', ');
          sendJson(res, 400, {
            error: `${where}: ${JSON.stringify(encodeData(a.point))} is not an asked point${seen.has(key) ? ' (answered twice in this request)' : ''} (asked: ${list || 'none'})`,
          });
          return true;
        }
        seen.add(key);
      }
      for (const a of answers) m.answer(a.point, a.value, a.error as string | undefined);
      hub.poke();
      sendJson(res, 200, { answered: answers.length, pending: m.pendingPoints.length });
      return true;
    },
  ]);
  master = new LiveMaster<P, V>(concurrency, served, hub);
  return master;
}
