/**
 * The page's event streams and the clock that feeds them: frames are read only while a page
 * is connected, at most every `intervalMs`, and never more than a tenth of the time (a frame
 * that took 30 ms to draw waits 300 ms for the next), so a fast run keeps its speed.
 */

import type { ServerResponse } from 'node:http';
import { openEvents } from './server.js';

/** One connected page: how it wants its picture, and how to send it a frame. */
export interface Client<O> {
  options: O;
  send(data: unknown): void;
}

/**
 * A set of connected pages and the frame clock.
 * @example
 * const hub = new Hub<{}>(200, (clients) => { for (const c of clients) c.send({ npoints: 1 }); });
 */
export class Hub<O> {
  readonly clients = new Set<Client<O>>();
  readonly #intervalMs: number;
  readonly #tick: (clients: ReadonlySet<Client<O>>, fresh: Client<O> | undefined) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #delay: number;
  #closed = false;
  /** Milliseconds spent drawing frames, and frames drawn (for the bench). */
  busyMs = 0;
  frames = 0;

  constructor(
    intervalMs: number,
    tick: (clients: ReadonlySet<Client<O>>, fresh: Client<O> | undefined) => void,
  ) {
    this.#intervalMs = intervalMs;
    this.#delay = intervalMs;
    this.#tick = tick;
  }

  /** Streams frames to a page until it goes away; it gets its first frame at once. */
  add(res: ServerResponse, options: O): void {
    if (this.#closed) {
      res.writeHead(503).end();
      return;
    }
    const client: Client<O> = {
      options,
      send: openEvents(res, () => {
        this.clients.delete(client);
        if (this.clients.size === 0 && this.#timer !== undefined) {
          clearTimeout(this.#timer);
          this.#timer = undefined;
        }
      }),
    };
    this.clients.add(client);
    this.#run(client);
    this.#schedule();
  }

  /** Draws a frame soon (something the pages show changed), within the rate limit. */
  poke(): void {
    if (this.clients.size === 0 || this.#closed) return;
    if (this.#timer === undefined) this.#schedule();
  }

  /** Draws a frame now for every page (e.g. the run ended). */
  flush(): void {
    if (this.clients.size > 0 && !this.#closed) this.#run(undefined);
  }

  #run(fresh: Client<O> | undefined): void {
    const t0 = performance.now();
    try {
      this.#tick(this.clients, fresh);
    } finally {
      const ms = performance.now() - t0;
      this.busyMs += ms;
      this.frames++;
      this.#delay = Math.max(this.#intervalMs, 10 * ms);
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.clients.size === 0 || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.clients.size === 0 || this.#closed) return;
      this.#run(undefined);
      this.#schedule();
    }, this.#delay);
    this.#timer.unref();
  }

  /** Stops the clock; the streams end when the server closes. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
