/**
 * An asynchronous "instrument" master: the values come from a (simulated) slow device, not
 * from a function. Anything with `concurrency`, `evaluate(point, signal)` and `close()` is a
 * Master; the runner keeps `concurrency` requests in flight and tells the learner each
 * measurement as it arrives, in any order.
 *
 * The device here is a spectrometer with two channels: requests wait in a queue, each channel
 * measures one wavelength at a time (settling time plus a scan time that grows away from the
 * last position), and a request whose signal aborts leaves the queue.
 *
 *   npx tsx examples/instrument.ts [npointsGoal]     → out/instrument.svg
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Learner1D, type Master, run } from 'adaptive-sampling';
// Until package.json exports it: import { plot1D } from 'adaptive-sampling/plot';
import { plot1D } from 'adaptive-sampling/plot';

/** One queued measurement. */
interface Request {
  wavelength: number;
  resolve: (v: number) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** A simulated spectrometer: two absorption lines on a sloped background (nm → transmission). */
function transmission(nm: number): number {
  const line = (centre: number, width: number, depth: number): number =>
    (depth * width * width) / (width * width + (nm - centre) ** 2);
  return 0.9 - 0.0004 * (nm - 500) - line(486.1, 0.4, 0.6) - line(527.0, 1.5, 0.35);
}

/**
 * The device as a Master: a queue in front of `channels` channels, each measuring one point at
 * a time. `settleMs` per measurement plus 0.05 ms per nm the channel moves.
 */
class Spectrometer implements Master<number, number> {
  readonly concurrency: number;
  /** Measurements made. */
  measured = 0;
  readonly #settleMs: number;
  readonly #queue: Request[] = [];
  readonly #position: number[];
  readonly #free: number[];
  #closed = false;
  #running = 0;
  #idle: (() => void) | undefined;

  constructor({ channels = 2, settleMs = 1 }: { channels?: number; settleMs?: number } = {}) {
    this.concurrency = channels;
    this.#settleMs = settleMs;
    this.#position = new Array<number>(channels).fill(500);
    this.#free = Array.from({ length: channels }, (_, i) => i);
  }

  evaluate(wavelength: number, signal?: AbortSignal): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('Spectrometer: closed'));
    if (signal?.aborted)
      return Promise.reject(new DOMException('measurement aborted', 'AbortError'));
    return new Promise<number>((resolve, reject) => {
      const req: Request = { wavelength, resolve, reject, signal, onAbort: undefined };
      if (signal !== undefined) {
        // Still queued when the signal aborts: leave the queue (a running scan completes).
        req.onAbort = () => {
          const i = this.#queue.indexOf(req);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            reject(new DOMException('measurement aborted', 'AbortError'));
          }
        };
        signal.addEventListener('abort', req.onAbort, { once: true });
      }
      this.#queue.push(req);
      this.#next();
    });
  }

  /** Starts queued requests on free channels. */
  #next(): void {
    while (this.#free.length > 0 && this.#queue.length > 0) {
      const channel = this.#free.pop() as number;
      const req = this.#queue.shift() as Request;
      this.#running++;
      this.#scan(channel, req.wavelength)
        .then(
          (v) => req.resolve(v),
          (e: unknown) => req.reject(e),
        )
        .finally(() => {
          if (req.onAbort !== undefined) req.signal?.removeEventListener('abort', req.onAbort);
          this.#running--;
          this.#free.push(channel);
          if (this.#running === 0 && this.#idle !== undefined) this.#idle();
          this.#next();
        });
    }
  }

  async #scan(channel: number, nm: number): Promise<number> {
    const travel = Math.abs(nm - (this.#position[channel] as number));
    await new Promise((resolve) => setTimeout(resolve, this.#settleMs + 0.05 * travel));
    this.#position[channel] = nm;
    this.measured++;
    return transmission(nm);
  }

  /** Rejects what is still queued and waits for the running scans to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const req of this.#queue.splice(0)) req.reject(new Error('Spectrometer: closed'));
    if (this.#running > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

const npointsGoal = Number(process.argv[2] ?? 150);
await using device = new Spectrometer({ channels: 2, settleMs: 1 });
const learner = new Learner1D({ bounds: [450, 550] });
const summary = await run(learner, device, { npointsGoal });
// The darkest wavelength measured: the deeper absorption line.
const darkest = learner.toRecords().reduce((m, r) => ((r.y as number) < (m.y as number) ? r : m));
console.log(
  `${learner.npoints} wavelengths in ${summary.elapsedMs.toFixed(0)} ms on ${device.concurrency} channels; ` +
    `deepest line at ${darkest.x.toFixed(2)} nm (transmission ${(darkest.y as number).toFixed(3)})`,
);

const outDir = process.env.OUT_DIR ?? 'out';
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'instrument.svg'),
  plot1D(learner, {
    title: `Spectrum: ${learner.npoints} measurements`,
    xLabel: 'wavelength (nm)',
    yLabel: 'transmission',
  }),
);
console.log(`→ ${join(outDir, 'instrument.svg')}`);
