/**
 * The adaptive batch size of the batching masters (WorkerPoolMaster's messages, QueueMaster's
 * jobs): an exponentially smoothed time per point, and as many points a batch as fill the
 * wanted time, between 1 and the master's `batchSize`.
 */

/** The weight of the newest measurement in the smoothed time per point. */
const NEWEST_WEIGHT = 0.3;

/**
 * Sizes batches from measured times per point: starts at 1 point, then
 * `floor(targetMs / smoothed ms per point)` clamped to `[1, max]` (`max` when points take no
 * measurable time).
 *
 * @example
 * const sizer = new AdaptiveBatchSize(256, 4);
 * sizer.observe(0.01); // a batch took 10 µs a point
 * sizer.size; // 256 (400 would fill 4 ms; at most 256)
 */
export class AdaptiveBatchSize {
  /** The largest batch. */
  readonly max: number;
  /** The wanted milliseconds of work a batch. */
  readonly targetMs: number;
  #msPerPoint = -1;
  #size = 1;

  constructor(max: number, targetMs: number) {
    this.max = max;
    this.targetMs = targetMs;
  }

  /** The current batch size, 1 up to {@link max}. */
  get size(): number {
    return this.#size;
  }

  /** The smoothed milliseconds per point, or -1 before the first measurement. */
  get msPerPoint(): number {
    return this.#msPerPoint;
  }

  /** Folds one batch's measured milliseconds per point into the average and resizes. */
  observe(ms: number): void {
    const m =
      this.#msPerPoint < 0 ? ms : (1 - NEWEST_WEIGHT) * this.#msPerPoint + NEWEST_WEIGHT * ms;
    this.#msPerPoint = m;
    const b = m > 0 ? Math.floor(this.targetMs / m) : this.max;
    this.#size = Math.max(1, Math.min(this.max, b));
  }
}
