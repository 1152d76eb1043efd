// Loads and validates bpx.yml (schemas/manifest.schema.json): every error located by file, line, column and field path.
import { readFile, stat, access, constants } from 'node:fs/promises';
import { dirname, resolve, isAbsolute } from 'node:path';
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import { validateManifestSchema } from './schema.ts';
import type { ExtensionSpec, Manifest, ManifestError } from './types.ts';

export interface LoadOptions {
  /** names registered in extensions/index.ts (the part after `builtin:`); unknown ones are errors. */
  builtinNames?: readonly string[];
  /** 'app' manifests (the app's own bpx.yml) may not carry the operator's `app:` section. */
  kind?: 'operator' | 'app';
  /** check that `run:` scripts exist (default true). */
  checkFiles?: boolean;
}

export interface LoadResult {
  /** set only when there is no error (warnings allowed). */
  manifest?: Manifest;
  errors: ManifestError[];
  file: string;
  dir: string;
}

type Seg = string | number;

/** `['extensions', 1, 'onFailure']` → `extensions[1].onFailure` */
export function formatPath(segs: readonly Seg[]): string {
  let out = '';
  for (const s of segs) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out || '(root)';
}

export async function loadManifest(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { file, dir: dirname(abs), errors: [{ file, line: 1, column: 1, path: '(root)', severity: 'error', message: e.code === 'ENOENT' ? 'file not found' : `cannot read: ${e.message}` }] };
  }
  return checkManifestText(text, file, opts);
}

export async function checkManifestText(text: string, file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const dir = dirname(resolve(file));
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const errors: ManifestError[] = [];
  const at = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    errors.push({ file, ...at(e.pos[0]), path: '(root)', severity: 'error', message: `YAML: ${e.message.split('\n')[0]}` });
  }
  if (errors.length) return { file, dir, errors };
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const locate = (segs: Seg[], key = false) => at(nodeOffset(doc, segs, key));

  for (const e of validateManifestSchema(data)) {
    errors.push({ file, ...locate(e.path, e.atKey), path: formatPath(e.path), severity: 'error', message: e.message });
  }
  const m = data as Manifest;
  const seen = new Map<string, number>();
  const exts: unknown = m && typeof m === 'object' ? m.extensions : undefined;
  for (const [i, ext] of (Array.isArray(exts) ? (exts as ExtensionSpec[]) : []).entries()) {
    if (!ext || typeof ext !== 'object' || typeof ext.name !== 'string') continue;
    const first = seen.get(ext.name);
    if (first !== undefined) {
      errors.push({ file, ...locate(['extensions', i, 'name']), path: formatPath(['extensions', i, 'name']), severity: 'error', message: `duplicate extension name '${ext.name}' (first at extensions[${first}])` });
    } else seen.set(ext.name, i);
    if (typeof ext.uses === 'string' && ext.uses.startsWith('builtin:') && opts.builtinNames) {
      const name = ext.uses.slice('builtin:'.length);
      if (!opts.builtinNames.includes(name)) {
        const known = [...opts.builtinNames].sort().join(', ') || 'none';
        errors.push({ file, ...locate(['extensions', i, 'uses']), path: formatPath(['extensions', i, 'uses']), severity: 'error', message: `unknown built-in '${name}' (known: ${known})` });
      }
    }
    if (ext.insecure !== undefined && !ext.http) {
      errors.push({ file, ...locate(['extensions', i, 'insecure'], true), path: formatPath(['extensions', i, 'insecure']), severity: 'error', message: 'insecure applies to http extensions only' });
    }
    if (typeof ext.run === 'string' && opts.checkFiles !== false) {
      const script = isAbsolute(ext.run) ? ext.run : resolve(dir, ext.run);
      const where = { file, ...locate(['extensions', i, 'run']), path: formatPath(['extensions', i, 'run']) };
      try {
        const st = await stat(script);
        if (!st.isFile()) errors.push({ ...where, severity: 'error', message: `run script ${ext.run} is not a file` });
        else {
          try {
            await access(script, constants.X_OK);
          } catch {
            errors.push({ ...where, severity: 'error', message: `run script ${ext.run} is not executable (chmod +x it, or use run: [sh, ${ext.run}])` });
          }
        }
      } catch {
        errors.push({ ...where, severity: 'error', message: `run script ${ext.run} not found (relative to ${dir})` });
      }
    }
  }
  if (opts.kind === 'app' && m && typeof m === 'object' && m.app !== undefined) {
    errors.push({ file, ...locate(['app'], true), path: 'app', severity: 'error', message: "only the operator's manifest may set app: (an app cannot grant itself permissions)" });
  }
  const hard = errors.filter((e) => e.severity === 'error');
  return { file, dir, errors: sortErrors(errors), manifest: hard.length ? undefined : m };
}

function sortErrors(errors: ManifestError[]): ManifestError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

/** Offset of the node at segs (or of its key when key=true), falling back to the nearest existing parent. */
function nodeOffset(doc: Document, segs: Seg[], key: boolean): number {
  if (key && segs.length) {
    const parent = segs.length > 1 ? doc.getIn(segs.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === segs[segs.length - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
    }
  }
  for (let n = segs.length; n > 0; n--) {
    const node = doc.getIn(segs.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : 0;
}
