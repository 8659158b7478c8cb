// The worker pool's function module (an ES module: .mjs, or .js under "type": "module").
export default (x) => Math.tanh(20 * x);
