/**
 * One abort listener per signal, fanned out to the evaluations waiting on it.
 *
 * A master that added a listener per evaluation put as many listeners on the runner's one
 * signal as it had evaluations waiting, and Node warns from 11 on
 * (`MaxListenersExceededWarning: Possible EventTarget memory leak detected`), although none
 * leaked. Here each signal carries one listener while anything waits on it, removed with the
 * last waiter.
 */

interface Entry {
  readonly listener: () => void;
  readonly callbacks: Set<() => void>;
}

/**
 * Callbacks to run when a signal aborts, with one `abort` listener per signal however many
 * callbacks wait on it. Adding and deleting are O(1).
 *
 * @example
 * const fanout = new AbortFanout();
 * const ac = new AbortController();
 * for (let i = 0; i < 100; i++) fanout.add(ac.signal, () => console.log(i)); // one listener
 * ac.abort(); // prints 0 … 99, the listener is gone
 */
export class AbortFanout {
  readonly #entries = new Map<AbortSignal, Entry>();

  /** Runs `callback` once when `signal` aborts, unless {@link AbortFanout.delete}d first. */
  add(signal: AbortSignal, callback: () => void): void {
    let entry = this.#entries.get(signal);
    if (entry === undefined) {
      const callbacks = new Set<() => void>();
      const listener = (): void => {
        this.#entries.delete(signal);
        for (const cb of callbacks) cb();
        callbacks.clear();
      };
      entry = { listener, callbacks };
      this.#entries.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.callbacks.add(callback);
  }

  /** Forgets `callback`; the signal's listener goes with its last callback. */
  delete(signal: AbortSignal, callback: () => void): void {
    const entry = this.#entries.get(signal);
    if (entry === undefined || !entry.callbacks.delete(callback)) return;
    if (entry.callbacks.size === 0) {
      this.#entries.delete(signal);
      signal.removeEventListener('abort', entry.listener);
    }
  }
}
