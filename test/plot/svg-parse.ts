// A strict little XML parser for the plots' SVG: elements, attributes, text. Throws on
// anything malformed (unclosed or mismatched tags, stray '<', bad attributes, unknown
// entities), so a parse is also a well-formedness check.

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

function decode(s: string): string {
  return s.replace(/&([a-z]+|#\d+);|&/g, (m, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare '&' in ${JSON.stringify(s)}`);
    const v =
      ENTITIES[name] ??
      (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : undefined);
    if (v === undefined) throw new Error(`unknown entity ${m}`);
    return v;
  });
}

export function parseSvg(src: string): El {
  const root: El = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: the tokenizer loop
  while ((m = token.exec(src)) !== null) {
    pos = token.lastIndex;
    const top = stack[stack.length - 1] as El;
    if (m[6] !== undefined)
      throw new Error(`stray '<' at ${m.index}: ${src.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    const [, close, name, rawAttrs, selfClose] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (close === '/') {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}> at ${m.index}`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      const k = a[1] as string;
      if (k in attrs) throw new Error(`duplicate attribute ${k} on <${name}>`);
      attrs[k] = decode(a[2] as string);
    }
    const el: El = { name, attrs, children: [], text: '' };
    top.children.push(el);
    if (selfClose !== '/') stack.push(el);
  }
  if (pos !== src.length) throw new Error(`unparsed input at ${pos}`);
  if (stack.length !== 1) throw new Error(`unclosed <${(stack[stack.length - 1] as El).name}>`);
  const svgs = root.children.filter((c) => c.name === 'svg');
  if (svgs.length !== 1 || root.text.trim() !== '')
    throw new Error('expected exactly one <svg> root');
  return svgs[0] as El;
}

export function all(el: El, pred: (e: El) => boolean): El[] {
  const out: El[] = [];
  const walk = (e: El): void => {
    if (pred(e)) out.push(e);
    for (const c of e.children) walk(c);
  };
  walk(el);
  return out;
}

export function hasClass(e: El, cls: string): boolean {
  return (e.attrs.class ?? '').split(/\s+/).includes(cls);
}

export function byClass(el: El, cls: string): El[] {
  return all(el, (e) => hasClass(e, cls));
}

/** Every numeric attribute value and path coordinate is finite plain decimal text. */
export function numbersAreClean(svg: string): boolean {
  const stripped = svg.replace(/<title>[^<]*<\/title>/g, '').replace(/#[0-9a-f]{6}\b/g, '');
  return !/NaN|Infinity|-0[ "LMHVZlmhvz]|\de[+-]?\d/.test(stripped);
}
