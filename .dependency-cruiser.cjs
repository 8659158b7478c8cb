/**
 * The layers of ARCHITECTURE.md as import rules (issue 16.3). `npm run lint` runs them (and
 * scripts/test.sh counts them as one check); a wrong import fails with the rule's comment.
 *
 * Two inputs: src/ for the layer rules (every import, type-only ones included: a layer
 * that needs another's types depends on it), and the compiled dist/ for the browser rule,
 * because what a bundler loads is the JavaScript after tsc erased the type-only imports
 * (src/index.ts re-exports WorkerPoolMaster's and the checkpoints' *types*, which is fine).
 * The parser is swc: dependency-cruiser cannot use TypeScript 7's native compiler.
 */
const { builtinModules } = require('node:module');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const NODE_BUILTIN = `^(node:)?(${builtinModules.map(escape).join('|')})$`;

module.exports = {
  forbidden: [
    {
      name: 'master-not-to-runner-or-learners',
      comment:
        'A master only evaluates points (the TaskMaster split): it never imports the runner or a learner. ' +
        'Shared formats go in src/io/ (the run log), test suites that run a learner in src/testing/.',
      severity: 'error',
      from: { path: '^src/master/' },
      to: { path: '^src/(runner|learners)/' },
    },
    {
      name: 'learners-not-to-upper-layers',
      comment:
        'A learner is a pure state machine (ask/tell): it never imports a master, the runner, the CLI, ' +
        'plots, the live view, data export or the BullMQ master. Those layers sit on top and import learners.',
      severity: 'error',
      from: { path: '^src/learners/' },
      to: { path: '^src/(master|runner|cli|plot|live|data|bullmq|testing)/' },
    },
    {
      name: 'queue-geometry-not-to-learners',
      comment:
        'The loss queues and the geometry are building blocks under the learners: they never import a ' +
        'learner (or anything above one). Move a shared helper down into src/util/ instead.',
      severity: 'error',
      from: { path: '^src/(queue|geometry)/' },
      to: { path: '^src/(learners|master|runner|io|plot|cli|live|data|bullmq|testing)/' },
    },
    {
      name: 'util-is-a-leaf',
      comment: 'src/util/ holds helpers every layer may use, so it imports no layer of ours.',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^src/(?!util/)' },
    },
    {
      name: 'browser-entries-without-node',
      comment:
        'The browser-safe entries (adaptive-sampling, /plot, /data under the default condition) must never ' +
        'load, even indirectly, a Node built-in or a Node-only package. Node-only code lives in ' +
        'src/node.ts and the modules only it reaches (src/runner/node.ts through the services of ' +
        'src/runner/platform.ts, src/master/worker-pool.ts, src/io/checkpoint.ts).',
      severity: 'error',
      from: { path: '^dist/(index|plot/index|data/index)\\.js$' },
      to: { path: [NODE_BUILTIN, '^node_modules/(bullmq|ioredis)/'], reachable: true },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle of imports makes load order matter and the layers meaningless; break it by moving the ' +
        'shared part down a layer.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/(cli|bullmq|live|master/worker)' },
  },
};
