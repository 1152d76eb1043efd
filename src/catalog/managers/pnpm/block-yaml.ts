// A fast reader for the block-YAML subset pnpm writes (maps by indentation, one-line flow maps/sequences,
// block sequences, plain/quoted scalars). Anything else throws Unsupported and the caller uses the `yaml` package.

export class Unsupported extends Error {}

export interface BlockDoc {
  value: Record<string, unknown>;
  /** line of each key directly below a top-level key: lines.get('packages')?.get('/a/1.0.0') → 1-based line. */
  lines: Map<string, Map<string, number>>;
}

// YAML 1.2 core schema plain scalars: `5.4` → 5.4, `true` → true; everything else stays a string.
const NUM = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

function plain(s: string): unknown {
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (NUM.test(s)) return Number(s);
  if (/^[&*!|>%@`]/.test(s) || s.includes(' #')) throw new Unsupported(s);
  return s;
}

function scalar(s: string): unknown {
  const t = s.trim();
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Unsupported(t);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new Unsupported(t);
    return JSON.parse(t);
  }
  if (t.startsWith('{')) return flowMap(t);
  if (t.startsWith('[')) return flowSeq(t);
  return plain(t);
}

/** Splits `a, 'b, c', d` at top-level commas (quotes respected, no nesting allowed). */
function splitFlow(inner: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q: string | undefined;
  for (const ch of inner) {
    if (q) {
      cur += ch;
      if (ch === q) q = undefined;
    } else if (ch === "'" || ch === '"') {
      q = ch;
      cur += ch;
    } else if (ch === '{' || ch === '[') throw new Unsupported('nested flow');
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (q) throw new Unsupported('unterminated quote');
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function flowSeq(t: string): unknown[] {
  if (!t.endsWith(']')) throw new Unsupported(t);
  return splitFlow(t.slice(1, -1)).map(scalar);
}

function flowMap(t: string): Record<string, unknown> {
  if (!t.endsWith('}')) throw new Unsupported(t);
  const out: Record<string, unknown> = {};
  for (const part of splitFlow(t.slice(1, -1))) {
    const [k, v] = keyValue(part);
    out[k] = v === undefined ? null : scalar(v);
  }
  return out;
}

/** `key: value` / `'key': value` / `key:` → [key, value or undefined]. */
function keyValue(body: string): [string, string | undefined] {
  let key: string;
  let rest: string;
  if (body.startsWith("'") || body.startsWith('"')) {
    const q = body[0];
    let i = 1;
    for (; i < body.length; i++) {
      if (body[i] === q) {
        if (q === "'" && body[i + 1] === "'") {
          i++;
          continue;
        }
        break;
      }
    }
    if (i >= body.length) throw new Unsupported(body);
    key = scalar(body.slice(0, i + 1)) as string;
    rest = body.slice(i + 1);
    if (!rest.startsWith(':')) throw new Unsupported(body);
    rest = rest.slice(1);
  } else {
    const m = /^([^:]*?):(?: |$)/.exec(body);
    if (!m) throw new Unsupported(body);
    key = m[1];
    if (key.startsWith('? ') || key.startsWith('- ')) throw new Unsupported(body);
    rest = body.slice(m[0].length);
  }
  rest = rest.trim();
  return [key, rest === '' ? undefined : rest];
}

interface Frame {
  indent: number;
  node: Record<string, unknown> | unknown[];
}

/** Parses all documents; throws Unsupported for anything outside the subset. */
export function parseBlockYaml(text: string): BlockDoc[] {
  const docs: BlockDoc[] = [];
  let doc: BlockDoc | undefined;
  let stack: Frame[] = [];
  // a `key:` with nothing after it: its container is created by the first deeper line
  let pending: { parent: Record<string, unknown>; key: string; indent: number } | undefined;
  let topKey: string | undefined;
  const lines = text.split('\n');
  const newDoc = (): void => {
    doc = { value: {}, lines: new Map() };
    docs.push(doc);
    stack = [{ indent: -1, node: doc.value }];
    pending = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '---' || line.startsWith('--- ')) {
      newDoc();
      continue;
    }
    if (line === '...') continue;
    const body = line.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    if (line.includes('\t') && /^\s*\t/.test(line)) throw new Unsupported('tab indentation');
    if (!doc) newDoc();
    const indent = line.length - body.length;
    if (pending) {
      if (indent > pending.indent) {
        const node = body.startsWith('- ') || body === '-' ? [] : {};
        pending.parent[pending.key] = node;
        stack.push({ indent, node });
      } else pending.parent[pending.key] = null;
      pending = undefined;
    }
    while (stack.length > 1 && indent < stack[stack.length - 1].indent) stack.pop();
    const top = stack[stack.length - 1];
    if (indent !== top.indent && top.indent !== -1) throw new Unsupported(`bad indentation at line ${i + 1}`);
    if (top.indent === -1 && indent !== 0) throw new Unsupported(`bad indentation at line ${i + 1}`);
    if (top.indent === -1) top.indent = 0;
    if (Array.isArray(top.node)) {
      if (!body.startsWith('- ')) throw new Unsupported(`expected a sequence item at line ${i + 1}`);
      const item = body.slice(2).trim();
      if (/^[^'"{[][^:]*: /.test(item) || item.endsWith(':')) throw new Unsupported('map in sequence');
      top.node.push(scalar(item));
      continue;
    }
    const [key, value] = keyValue(body);
    const map = top.node as Record<string, unknown>;
    if (stack.length === 1) topKey = key;
    else if (stack.length === 2 && topKey !== undefined && doc) {
      let m = doc.lines.get(topKey);
      if (!m) doc.lines.set(topKey, (m = new Map()));
      m.set(key, i + 1);
    }
    if (value === undefined) pending = { parent: map, key, indent };
    else map[key] = scalar(value);
  }
  if (pending) pending.parent[pending.key] = null;
  return docs;
}
