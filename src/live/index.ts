/**
 * adaptive-sampling/live (Node only): watch any run in a browser ({@link liveView}), or be
 * its master ({@link liveMaster}: a person answers the asked points on a page).
 *
 * @example
 * import { liveMaster, liveView } from 'adaptive-sampling/live';
 * const view = await liveView(runner, { port: 0 }); // view.url: http://127.0.0.1:PORT/?token=...
 */
export { type LiveKind, learnerName, liveKind } from './frame.js';
export { LiveMaster, type LiveMasterOptions, liveMaster } from './master.js';
export type { ServeOptions } from './server.js';
export { type LiveView, type LiveViewOptions, liveView } from './view.js';
