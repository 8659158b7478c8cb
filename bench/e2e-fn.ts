/**
 * The functions of the end-to-end bench (compiled to `dist-bench/bench/e2e-fn.js`): python's
 * benchmark `peak` after a busy wait of a fixed cost, as in `../shared/peer/parallel.json`.
 */

const A2 = 0.01 * 0.01;

function busy(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end) {
    // busy: the thread is taken, as by a CPU-bound function
  }
}

/** `peak(x)` after 100 µs of busy waiting. */
export function peak100us(x: number): number {
  busy(100);
  return x + A2 / (A2 + x * x);
}

/** `peak(x)` after 1 ms of busy waiting. */
export function peak1ms(x: number): number {
  busy(1000);
  return x + A2 / (A2 + x * x);
}

/** `peak(x)` after 10 ms of busy waiting. */
export function peak10ms(x: number): number {
  busy(10_000);
  return x + A2 / (A2 + x * x);
}

function ring(p: readonly number[]): number {
  const x = p[0] as number;
  const y = p[1] as number;
  return x + y + A2 / (A2 + (x * x + y * y - 0.25) ** 2);
}

/** python's `ring` of a point of the plane after 100 µs of busy waiting. */
export function ring100us(p: readonly number[]): number {
  busy(100);
  return ring(p);
}

/** `ring` after 1 ms of busy waiting. */
export function ring1ms(p: readonly number[]): number {
  busy(1000);
  return ring(p);
}

/** `ring` after 10 ms of busy waiting. */
export function ring10ms(p: readonly number[]): number {
  busy(10_000);
  return ring(p);
}
