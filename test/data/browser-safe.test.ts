// adaptive-sampling/data stays browser-safe: nothing it imports (followed through every
// relative import) is a Node built-in, and apache-arrow is reached only by a dynamic
// import() (or `import type`, erased at compile time).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

it('the data module imports no Node built-in and apache-arrow only on demand', () => {
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
  // The one Arrow import is dynamic.
  expect(readFileSync(join(src, 'data', 'arrow.ts'), 'utf8')).toContain("import('apache-arrow')");
});
