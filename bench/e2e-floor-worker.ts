/**
 * The worker of the end-to-end bench's floor (`bench/e2e.ts --learner floor`): a bare
 * `worker_threads` loop with nothing of the pool, the runner or a learner. It answers each
 * message `{ id, name, xs }` with `{ id, ys }`, the values of `e2e-fn.ts`'s function `name`.
 */
import { parentPort } from 'node:worker_threads';
import * as fns from './e2e-fn.js';

const table = fns as unknown as Record<string, (x: number) => number>;
const port = parentPort;
if (port !== null) {
  port.on('message', (m: { id: number; name: string; xs: number[] }) => {
    const f = table[m.name] as (x: number) => number;
    const ys = new Array<number>(m.xs.length);
    for (let i = 0; i < m.xs.length; i++) ys[i] = f(m.xs[i] as number);
    port.postMessage({ id: m.id, ys });
  });
}
