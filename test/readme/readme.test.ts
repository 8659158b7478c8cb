/**
 * Every code block of README.md, checked so that an example can never rot (issue 14):
 *
 * - each `ts` block becomes a module in test-artifacts/readme/ that imports the names it
 *   uses from `adaptive-sampling` (resolved as a user's would be: the package's exports, the
 *   compiled dist/ of the `node` condition) and defines the user's own functions it calls
 *   (`f`, `measure`, `simulate`, ...) from the STUBS below. All are type-checked together
 *   with the README's Node tsconfig (strict), then each is run with tsx unless listed in
 *   NOT_RUN with the reason;
 * - every other block is listed in OTHER_BLOCKS with the test that covers it (the consumer
 *   test runs the install and the tsconfigs, test/web the live page, ...); a block that is
 *   neither fails the test, so a new block needs a decision.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, 'test-artifacts', 'readme');

interface Block {
  line: number;
  lang: string;
  code: string;
}

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++)
      body.push(lines[i] as string);
    blocks.push({ line: start + 1, lang: open[1] as string, code: body.join('\n') });
  }
  return blocks;
}

/** Blocks that are not TypeScript, by their first line: what checks them. */
const OTHER_BLOCKS: [firstLine: RegExp, coveredBy: string][] = [
  [
    /^npm run demo/,
    'CI runs `npm test` itself (.ci/run); test/examples runs the demo (examples/demo.ts)',
  ],
  [/^ {2}function +points/, 'output of the demo, not code'],
  [
    /^# a tarball: pack a clone/,
    'test/consumer: npm pack from a clone without dist/, npm install of the tarball',
  ],
  [/^\{$/, 'a tsconfig: test/consumer type-checks a project with it'],
  [
    /^# on every machine that evaluates/,
    'test/examples/distributed.test.ts runs `adaptive-sampling worker` against a real redis-server',
  ],
  [/^# f\.mjs: +export default/, 'test/consumer runs these commands in the scratch project'],
  [/^npm run web/, 'test/web builds and drives the live page in Chromium'],
  [/^Learner law "lossNonNegative" failed/, 'output of a failing law check, not code'],
  [
    /^npx adaptive-sampling run f\.mjs .*--live/,
    'test/live/cli-live.test.ts runs the CLI with --live and polls state.json; test/live/view.test.ts POSTs /stop',
  ],
];

/** TypeScript blocks that are type-checked but not run, by a string in them: why. */
const NOT_RUN: [marker: string, reason: string][] = [
  [
    "from 'adaptive-sampling/bullmq'",
    'needs a Redis server (test/bullmq runs QueueMaster against a real one)',
  ],
  [
    'await liveMaster(',
    'waits for a person to answer (test/live/chromium.test.ts plays the person in Chromium until the goal)',
  ],
  [
    "from 'vitest'",
    'a Vitest test file (the same code runs as examples/custom-loss.ts in test/examples)',
  ],
];

/**
 * The user's side of the examples: a definition for each free name, used when a block
 * mentions the name without defining it.
 */
const STUBS: [name: string, code: string][] = [
  ['f', 'const f = (...xs: number[]) => Math.tanh(20 * xs.reduce((a, b) => a + b, 0));'],
  ['exact', 'const exact = (x: number) => Math.tanh(20 * x);'],
  [
    'measure',
    'const measure = async (x: number, seed = 0) => Math.exp(-x * x * 20) + 0.05 * Math.sin(seed * 12.9898 + x);',
  ],
  [
    'monteCarloSample',
    'const monteCarloSample = (seed: number) => 1 + 0.1 * Math.sin(seed * 12.9898);',
  ],
  ['fetchValue', 'const fetchValue = async (x: number) => Math.sin(x);'],
  ['simulate', 'const simulate = (x: number) => ({ energy: Math.sin(3 * x), x });'],
  ['inputs', 'const inputs = [0.1, 0.2, 0.3, 0.4];'],
  [
    'scan',
    'const scan = async (nm: number, _signal?: AbortSignal) => Math.exp(-(((nm - 500) / 10) ** 2));',
  ],
  ['a', 'const a = -1;'],
  ['b', 'const b = 1;'],
  ['loss', 'const loss = defaultLoss;'],
  ['recomputeLossesFactor', 'const recomputeLossesFactor = 2;'],
  ['learner', 'const learner = new Learner1D({ bounds: [-1, 1] });'],
  ['copy', 'const copy = new Learner1D({ bounds: [-1, 1] });'],
  ['pool', 'const pool = new InlineMaster(f, { concurrency: 4 });'],
  ['evaluate', 'const evaluate = f;'],
  ['options', 'const options = { npointsGoal: 200 };'],
  ['writeFileSync', "import { writeFileSync } from 'node:fs';"],
];

/** The names the package's main entry (Node condition) exports. */
function packageNames(): Set<string> {
  const names = new Set<string>();
  for (const file of ['src/index.ts', 'src/node.ts', 'src/runner/node.ts']) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
      for (const part of (m[1] as string).split(',')) {
        const name = part.trim().replace(/^type /, '');
        if (name) names.add(name);
      }
    }
    for (const m of text.matchAll(/export (?:class|function) (\w+)/g)) names.add(m[1] as string);
  }
  return names;
}

const uses = (code: string, name: string): boolean =>
  new RegExp(`(?<![\\w.'"/])${name}\\b(?!['"])`).test(code.replace(/\/\/.*$/gm, ''));
const defines = (code: string, name: string): boolean =>
  new RegExp(
    `(?:const|let|class|function)\\s+${name}\\b|import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`,
  ).test(code);

/** A block as a module: its imports from the package and the stubs it needs, then the code. */
function moduleOf(code: string, names: Set<string>): string {
  const head: string[] = [];
  const needed = new Set<string>();
  const addStub = (name: string): void => {
    const stub = STUBS.find(([n]) => n === name);
    if (stub === undefined || needed.has(name)) return;
    needed.add(name);
    // A stub may use other stubs (pool uses f) and package names (loss uses defaultLoss).
    for (const [other] of STUBS) if (other !== name && uses(stub[1], other)) addStub(other);
  };
  for (const [name] of STUBS) if (uses(code, name) && !defines(code, name)) addStub(name);
  const stubs = STUBS.filter(([n]) => needed.has(n)).map(([, c]) => c);
  const all = `${code}\n${stubs.join('\n')}`;
  const imports = [...names].filter((n) => uses(all, n) && !defines(code, n));
  if (imports.length > 0) head.push(`import { ${imports.join(', ')} } from 'adaptive-sampling';`);
  head.push(...stubs.filter((c) => c.startsWith('import')));
  // The block's own imports first (ES imports may not follow statements).
  const lines = code.split('\n');
  const own = lines.filter((l) => /^import /.test(l));
  const rest = lines.filter((l) => !/^import /.test(l));
  return [
    ...own,
    ...head,
    ...stubs.filter((c) => !c.startsWith('import')),
    ...rest,
    'export {};',
    '',
  ].join('\n');
}

const blocks = readmeBlocks();
const tsBlocks = blocks.filter((b) => b.lang === 'ts');
const files = tsBlocks.map((b) => `block-${String(b.line).padStart(3, '0')}.ts`);

beforeAll(() => {
  // dist/ is what `adaptive-sampling` resolves to (the package's exports), as for a user.
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'test-artifacts', '.gitignore'), '*\n');
  const names = packageNames();
  tsBlocks.forEach((b, i) => {
    writeFileSync(join(dir, files[i] as string), moduleOf(b.code, names));
  });
  writeFileSync(join(dir, 'f.mjs'), 'export default (x) => Math.tanh(20 * x);\n');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /<!-- tsconfig:node -->\n```json\n([\s\S]*?)```/.exec(readme);
  if (m === null) throw new Error('README.md has no tsconfig:node block');
  const config = JSON.parse(m[1] as string) as { compilerOptions: Record<string, unknown> };
  config.compilerOptions.noEmit = true;
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...config, files }, null, 2));
}, 120_000);

describe('README.md code blocks', () => {
  it('every block is TypeScript that is checked here, or is covered by a named test', () => {
    const uncovered = blocks
      .filter((b) => b.lang !== 'ts')
      .filter((b) => !OTHER_BLOCKS.some(([re]) => re.test(b.code.split('\n')[0] as string)))
      .map((b) => `line ${b.line}: ${b.code.split('\n')[0]}`);
    expect(uncovered).toEqual([]);
    // Printed for the record: how many blocks run, and how the rest are checked.
    const notRun = tsBlocks.filter((b) => NOT_RUN.some(([m]) => b.code.includes(m)));
    console.log(
      `README.md: ${blocks.length} code blocks; ${tsBlocks.length} TypeScript blocks type-checked, ${tsBlocks.length - notRun.length} of them run; ${blocks.length - tsBlocks.length} others covered by named tests`,
    );
  });

  it('every TypeScript block type-checks (strict, the README tsconfig for Node)', () => {
    const r = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
  }, 120_000);

  // The blocks of NOT_RUN are type-checked above and run elsewhere (see NOT_RUN): they get
  // no test here rather than a permanently skipped one.
  const run = tsBlocks
    .map((b, i) => [b.line, files[i] as string, b] as const)
    .filter(([, , b]) => !NOT_RUN.some(([m]) => b.code.includes(m)));
  it.each(run)(
    'the block at line %i runs to the end (tsx, Node 20)',
    (_line, file) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      // A live view's URL is the one thing a block prints on stderr by design.
      const liveUrl = /^(live view: )?http:\/\/127\.0\.0\.1:\d+\/\?token=\w+$/;
      const stderr = r.stderr.split('\n').filter((l) => l !== '' && !liveUrl.test(l));
      expect(stderr.join('\n')).toBe('');
      expect(r.status).toBe(0);
    },
    90_000,
  );
});
