// YAML 1.2 (core schema) for manifests that may be hostile: every problem (syntax, alias cycles and bombs, tags, binary
// data, size) is a located message, never a throw, and no message quotes the file's content.
import { LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

/** A manifest is a few KB; anything bigger is refused before parsing. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Aliases a manifest may expand (anchors for shared `with:` settings); more is an alias bomb. */
const MAX_ALIAS_COUNT = 100;

export interface YamlProblem {
  /** character offset in the text */
  offset: number;
  message: string;
}

export interface ParsedYaml {
  doc?: Document;
  lineCounter: LineCounter;
  data?: unknown;
  problems: YamlProblem[];
}

/**
 * Offset of the first byte that is not text: NUL, other C0 controls but tab/CR/LF, or invalid UTF-8 (decoded as U+FFFD).
 * `"ab\0"` → 2; `"version: 1\n"` → -1.
 */
export function binaryOffset(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.exec(text);
  return m ? m.index : -1;
}

export function parseYaml(bytes: Buffer | string): ParsedYaml {
  const lineCounter = new LineCounter();
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (buf.length > MAX_MANIFEST_BYTES) {
    return {
      lineCounter,
      problems: [{ offset: 0, message: `file is ${buf.length} bytes; a manifest may have at most ${MAX_MANIFEST_BYTES}` }],
    };
  }
  const bin = binaryOffset(buf);
  if (bin >= 0) {
    // located, but never quoted: the bytes may be anything
    const text = buf.toString('utf8');
    lineCounter.addNewLine(0);
    for (let i = 0; i < bin; i++) if (text.charCodeAt(i) === 10) lineCounter.addNewLine(i + 1);
    return { lineCounter, problems: [{ offset: bin, message: 'not a text file (binary or non-UTF-8 data)' }] };
  }
  const text = buf.toString('utf8');
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, resolveKnownTags: false });
  } catch (err) {
    return { lineCounter, problems: [{ offset: 0, message: `YAML: ${short(err)}` }] };
  }
  const problems: YamlProblem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) problems.push({ offset: e.pos[0], message: `YAML: ${short(e)}` });
  if (problems.length) return { doc, lineCounter, problems };
  // Aliases: one that names no anchor, or whose anchor contains it (a cycle), is an error here rather than a throw in toJS.
  try {
    visit(doc, {
      Alias(_key, node, path) {
        const target = node.resolve(doc);
        const offset = node.range?.[0] ?? 0;
        if (!target) problems.push({ offset, message: `YAML: alias *${node.source} has no anchor before it` });
        else if (path.includes(target as Node))
          problems.push({ offset, message: `YAML: alias *${node.source} is inside its own anchor (a cycle)` });
      },
    });
  } catch (err) {
    problems.push({ offset: 0, message: `YAML: ${short(err)}` });
  }
  if (problems.length) return { doc, lineCounter, problems };
  try {
    const data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    return { doc, lineCounter, data, problems };
  } catch (err) {
    const msg = String((err as Error)?.message ?? err);
    const offset = firstAliasOffset(doc);
    if (/alias count|resource exhaustion/i.test(msg)) {
      return {
        doc,
        lineCounter,
        problems: [{ offset, message: `YAML: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}; an alias bomb?)` }],
      };
    }
    return { doc, lineCounter, problems: [{ offset, message: `YAML: ${short(err)}` }] };
  }
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_k, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0].replace(/:$/, '');
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** "Maximum call stack size exceeded" and the like, one line, no stack. */
function short(err: unknown): string {
  const msg = firstLine(String((err as Error)?.message ?? err));
  if (/call stack/i.test(msg)) return 'nesting too deep';
  if (/multiple documents/i.test(msg)) return 'more than one YAML document (a manifest is one document: remove the second ---)';
  return msg;
}
