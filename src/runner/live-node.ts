/**
 * The Node side of the `live` run option: starts a live view (adaptive-sampling/live) beside
 * a starting run. Bound into the Node runner's platform services (./node.ts); the server's
 * module is loaded only when a run asks for a view.
 */

import type { LiveOption } from './live.js';
import type { LiveTarget } from './platform.js';

/**
 * Starts a live view of `runner` in the background, prints its URL on stderr, and closes
 * it when the run ends. A failure to start it is printed, never thrown into the run.
 * @example
 * attachLive(runner, { port: 0 }); // stderr: live view: http://127.0.0.1:40123/?token=...
 */
export function attachLive(runner: LiveTarget, option: LiveOption): void {
  import('../live/view.js')
    .then(async (m) => {
      const view = await m.liveView(runner, option);
      if (runner.status !== 'running') {
        await view.close(); // the run ended before the page could be served
        return;
      }
      process.stderr.write(`live view: ${view.url}\n`);
      const close = () => view.close();
      runner.done.then(close, close);
    })
    .catch((e: unknown) => {
      process.stderr.write(
        `live view: could not start: ${e instanceof Error ? e.message : String(e)}\n`,
      );
    });
}
