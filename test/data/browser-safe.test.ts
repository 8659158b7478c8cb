// adaptive-sampling/data stays browser-safe: nothing it imports (followed through every
// relative import) is a Node built-in, and apache-arrow is never imported statically (only
// `import type`, erased at compile time): it is loaded through the runtime's require, reached
// by process.getBuiltinModule, or passed in as `{ arrow }`.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, parse } from 'es-module-lexer';
import { transformSync } from 'esbuild';
import { expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Static (value) imports of a TypeScript file: `import x from 'y'`, `export ... from 'y'`. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m[1] as string);
  return out;
}

it('the data module imports no Node built-in and never imports apache-arrow', async () => {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else bare.add(spec);
    }
  };
  visit(join(src, 'data', 'index.ts'));
  expect(seen.size).toBeGreaterThan(10); // the learners and their helpers were followed
  expect([...bare].filter((s) => s.startsWith('node:'))).toEqual([]);
  expect([...bare].sort()).toEqual(
    [...bare].filter((s) => s !== 'apache-arrow' && !s.startsWith('node:')).sort(),
  );
  expect(bare.has('papaparse')).toBe(true);
  // No import() of apache-arrow either (a bundler would try to bundle the optional peer), and
  // Node's modules are reached only through process.getBuiltinModule.
  // (esbuild drops the types and comments, es-module-lexer finds the import() calls: an
  // error message that tells the user to write `await import('apache-arrow')` is no import.)
  await init;
  const dynamic: string[] = [];
  for (const file of seen) {
    const js = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm' }).code;
    for (const i of parse(js)[0]) if (i.d > -1) dynamic.push(`${file}: import(${i.n})`);
  }
  // The method finds one where there is one.
  const probe = transformSync("const A = await import('apache-arrow');", { format: 'esm' }).code;
  expect(parse(probe)[0].map((i) => [i.n, i.d > -1])).toEqual([['apache-arrow', true]]);
  expect(dynamic.filter((d) => /import\((apache-arrow|node:.*)\)$/.test(d))).toEqual([]);
  const arrow = readFileSync(join(src, 'data', 'arrow.ts'), 'utf8');
  expect(arrow).toMatch(/getBuiltin(Module)?\?\.\('node:module'\)/);
});
