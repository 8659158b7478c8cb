/**
 * Sends a self-contained function to worker threads by its source: the source is checked
 * for variables from its surroundings (which do not exist on another thread) and becomes an
 * ES module (a `data:` URL) that the workers import like any other.
 *
 * The check parses the source with acorn and resolves its identifiers with eslint-scope
 * (ESLint's scope analyser: hoisting, destructuring, closures, classes, labels are its
 * business, not ours). An identifier that no scope of the function declares and that is not
 * a global of every worker thread (`Math`, `Float64Array`, `console`, `performance`, ...)
 * comes from the function's surroundings: the function is refused before any point is sent,
 * with an error naming the variables and how to pass them. Both parsers load lazily, at the
 * first function sent: a run that never sends one does not pay for them.
 */

import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';

/**
 * Globals that Node (and Bun, Deno) give every worker thread beyond the ECMAScript ones,
 * kept when they exist here. Globals a program adds itself (`globalThis.a = 1`) are not in
 * the workers, so they are not in this list.
 */
const HOST_GLOBALS = [
  'console',
  'process',
  'global',
  'globalThis',
  'Buffer',
  'setImmediate',
  'clearImmediate',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'queueMicrotask',
  'structuredClone',
  'atob',
  'btoa',
  'URL',
  'URLSearchParams',
  'DOMException',
  'AbortController',
  'AbortSignal',
  'Event',
  'EventTarget',
  'CustomEvent',
  'TextEncoder',
  'TextDecoder',
  'Blob',
  'File',
  'performance',
  'fetch',
  'FormData',
  'Headers',
  'Request',
  'Response',
  'crypto',
  'navigator',
  'WebAssembly',
  'MessageChannel',
  'MessagePort',
  'BroadcastChannel',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'CompressionStream',
  'DecompressionStream',
];

let allowed: Set<string> | undefined;

/** The globals every worker thread has: ECMAScript's (from a fresh context) and the host's. */
function workerGlobals(): Set<string> {
  if (allowed !== undefined) return allowed;
  const names = runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[];
  const set = new Set<string>(names);
  for (const name of HOST_GLOBALS) if (name in globalThis) set.add(name);
  // `undefined`, `NaN`, `Infinity` are properties of the global object too; `arguments` is
  // not a global, and at the top of a sent function it would be the wrapper's: refused.
  set.delete('arguments');
  allowed = set;
  return set;
}

interface Parsers {
  parse(source: string, options: object): unknown;
  analyze(ast: unknown, options: object): { globalScope: { through: Reference[] } };
}
interface Reference {
  identifier: { name: string };
}

let parsers: Parsers | undefined;

function loadParsers(): Parsers {
  if (parsers !== undefined) return parsers;
  const require = createRequire(import.meta.url);
  const acorn = require('acorn') as { parse: Parsers['parse'] };
  const scope = require('eslint-scope') as { analyze: Parsers['analyze'] };
  parsers = { parse: acorn.parse, analyze: scope.analyze };
  return parsers;
}

/**
 * The source of `fn` as an expression, or the reason it has none: `(x) => ...` and
 * `function f(x) {...}` are expressions already; a method (`f(x) {...}` from
 * `{ f(x) {...} }.f`) becomes an object literal's method.
 */
function expressionOf(fn: (...args: never[]) => unknown, where: string): string {
  const src = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) {
    throw new TypeError(
      `${where}: fn is a built-in or bound function, which has no source to send to the threads; wrap it in one that has: (x) => Math.sin(x)`,
    );
  }
  if (/^class\b/.test(src)) {
    throw new TypeError(`${where}: fn is a class; pass a function`);
  }
  const { parse } = loadParsers();
  const options = { ecmaVersion: 'latest', sourceType: 'script', ranges: true };
  try {
    parse(`(${src})`, options);
    return `(${src})`;
  } catch {
    // not an expression: a method?
  }
  const method = `(Object.values({ ${src} })[0])`;
  try {
    parse(method, options);
    return method;
  } catch (e) {
    throw new TypeError(
      `${where}: the source of fn cannot be parsed as a function (${(e as Error).message}); pass an arrow function or a function expression`,
    );
  }
}

/**
 * The identifiers that are the whole operand of a `typeof` (`typeof Deno`): on a name no
 * scope declares, `typeof` gives `'undefined'` instead of throwing, so such a use is safe on
 * another thread (`typeof x.y` is not: reading `.y` of an undeclared `x` throws). Iterative
 * walk of the ESTree AST, O(nodes).
 */
function typeofOperands(ast: unknown): Set<unknown> {
  const out = new Set<unknown>();
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
      continue;
    }
    const n = node as { type?: unknown; operator?: unknown; argument?: { type?: unknown } };
    if (
      n.type === 'UnaryExpression' &&
      n.operator === 'typeof' &&
      n.argument?.type === 'Identifier'
    ) {
      out.add(n.argument);
    }
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return out;
}

/**
 * Names of the variables `source` (a JavaScript expression) uses without declaring them and
 * that are not globals of every worker thread, in order of first use. A name used only as
 * the operand of `typeof` is not one (`typeof Deno !== 'undefined'` is safe anywhere).
 *
 * @example
 * const a = 2;
 * freeVariables('(x) => Math.sin(a * x)'); // ['a']
 * freeVariables('(x, ctx) => Math.sin(ctx.a * x)'); // []
 * freeVariables("(x) => (typeof Deno === 'undefined' ? x : -x)"); // []
 */
export function freeVariables(source: string): string[] {
  const { parse, analyze } = loadParsers();
  const ast = parse(source, { ecmaVersion: 'latest', sourceType: 'script', ranges: true });
  const manager = analyze(ast, { ecmaVersion: 2022, sourceType: 'script' });
  const globals = workerGlobals();
  const out: string[] = [];
  const typeofOnly = typeofOperands(ast);
  for (const ref of manager.globalScope.through) {
    if (typeofOnly.has(ref.identifier)) continue;
    const name = ref.identifier.name;
    if (!globals.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * Turns a self-contained function into the URL of an ES module whose default export it is,
 * or throws naming the variables it takes from its surroundings and how to pass them.
 * O(length of the source).
 *
 * @example
 * functionModule((x) => Math.sin(x) ** 2, 'WorkerPoolMaster');
 * // 'data:text/javascript;base64,...' (export default ((x) => Math.sin(x) ** 2);)
 * const a = 1;
 * functionModule((x) => x + a, 'WorkerPoolMaster');
 * // TypeError: WorkerPoolMaster: fn uses 'a' from its surroundings, which the worker threads do not have ...
 */
export function functionModule(fn: unknown, where: string): string {
  if (typeof fn !== 'function') {
    throw new TypeError(`${where}: fn must be a function, got ${typeof fn}`);
  }
  const expression = expressionOf(fn as (...args: never[]) => unknown, where);
  // esbuild (tsx, vitest) wraps named inner functions in __name(...) when it keeps names.
  const free = freeVariables(expression).filter((n) => n !== '__name');
  if (free.length > 0) {
    const list = free.map((n) => `'${n}'`).join(', ');
    const one = free.length === 1;
    const obj = free.join(', ');
    throw new ReferenceError(
      `${where}: fn uses ${list} from its surroundings, which the worker threads do not have (only its source is sent). Pass ${one ? 'it' : 'them'} as context, the function's second argument: (x, ctx) => ... ctx.${free[0]} ... with the option context: { ${obj} }; or move the function into a module ({ module, exportName }). Context holds data only (structured clone): a function fn calls must be defined inside fn`,
    );
  }
  const module = `const __name = (f) => f;\nexport default ${expression};\n`;
  return `data:text/javascript;base64,${Buffer.from(module).toString('base64')}`;
}
