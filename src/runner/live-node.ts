/**
 * The Node side of the `live` run option: starts a live view (adaptive-sampling/live) beside
 * a starting run. Bound into the Node runner's platform services (./node.ts); the server's
 * module is loaded only when a run asks for a view.
 */

import { errorText } from '../util/validate.js';
import type { LiveOption } from './live.js';
import type { LiveTarget } from './platform.js';

/**
 * Starts a live view of `runner` in the background, prints its URL on stderr, and closes
 * it when the run ends. The promise resolves once the URL (or a failure to start, which is
 * never thrown into the run) is printed: the runner waits for it before it returns the
 * run's result, so even a run that ends before the server is up has its URL printed.
 * @example
 * await attachLive(runner, { port: 0 }); // stderr: live view: http://127.0.0.1:40123/?token=...
 */
export function attachLive(runner: LiveTarget, option: LiveOption): Promise<void> {
  return import('../live/view.js')
    .then(async (m) => {
      const view = await m.liveView(runner, option);
      process.stderr.write(`live view: ${view.url}\n`);
      // The run's result waits for this promise: the view serves it until then.
      const close = () => view.close();
      runner.done.then(close, close);
    })
    .catch((e: unknown) => {
      process.stderr.write(`live view: could not start: ${errorText(e)}\n`);
    });
}
