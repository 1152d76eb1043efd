// Loads and validates bpx.yml (schemas/manifest.schema.json): every error located by file, line, column and field path.
import { readFile, stat, access, constants } from 'node:fs/promises';
import { dirname, resolve, isAbsolute } from 'node:path';
import { isMap, isNode, isScalar, type Document } from 'yaml';
import { validateManifestSchema } from './schema.ts';
import type { SettingsRegistry } from './settings.ts';
import type { ExtensionSpec, Manifest, ManifestError } from './types.ts';
import { MAX_MANIFEST_BYTES, parseYaml } from './yaml.ts';

export interface LoadOptions {
  /** names registered in extensions/index.ts (the part after `builtin:`); unknown ones are errors. */
  builtinNames?: readonly string[];
  /** 'app' manifests (the app's own bpx.yml) may not carry the operator's `app:` section. */
  kind?: 'operator' | 'app';
  /**
   * check that `run:` scripts, and the keys, databases and CA files named in `with:`, exist and fit, and (operator
   * manifests) that bpx wrap can ship every file the manifest references (default true).
   */
  checkFiles?: boolean;
  /**
   * Settings each built-in declares (default: extensions/settings.ts); `with:` of every built-in and http extension is
   * checked against them. false skips settings checks.
   */
  settings?: SettingsRegistry | false;
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
  for (const s of segs) {
    const name = typeof s === 'string' && s.length > 40 ? `${s.slice(0, 37)}...` : s;
    out += typeof name === 'number' ? `[${name}]` : out ? `.${name}` : name;
  }
  return out || '(root)';
}

export async function loadManifest(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const abs = resolve(file);
  const fail = (message: string): LoadResult => ({
    file,
    dir: dirname(abs),
    errors: [{ file, line: 1, column: 1, path: '(root)', severity: 'error', message }],
  });
  let bytes: Buffer;
  try {
    const st = await stat(abs);
    if (st.isDirectory()) return fail('is a folder, not a manifest file');
    if (!st.isFile()) return fail('is not a regular file');
    if (st.size > MAX_MANIFEST_BYTES) return fail(`file is ${st.size} bytes; a manifest may have at most ${MAX_MANIFEST_BYTES}`);
    bytes = await readFile(abs);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return fail(e.code === 'ENOENT' ? 'file not found' : `cannot read (${e.code ?? 'error'})`);
  }
  return checkManifestText(bytes, file, opts);
}

/** Validates manifest text (or bytes, checked for binary data first); never throws on any input. */
export async function checkManifestText(text: string | Buffer, file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const dir = dirname(resolve(file));
  const parsed = parseYaml(text);
  const lc = parsed.lineCounter;
  const errors: ManifestError[] = [];
  const at = (offset: number | undefined) => {
    const p = lc.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  for (const e of parsed.problems) errors.push({ file, ...at(e.offset), path: '(root)', severity: 'error', message: e.message });
  if (errors.length || !parsed.doc) return { file, dir, errors: sortErrors(errors) };
  const doc = parsed.doc;
  const data = parsed.data;
  const locate = (segs: Seg[], key = false) => at(nodeOffset(doc, segs, key));
  if (data === null || data === undefined) {
    return {
      file,
      dir,
      errors: [
        { file, line: 1, column: 1, path: '(root)', severity: 'error', message: 'the manifest is empty (it needs at least version: 1)' },
      ],
    };
  }
  // `at: finalize:after` is short for `at: [finalize:after]`; errors about its item point at the scalar
  const scalarAt = new Set<number>();
  const exts0: unknown = typeof data === 'object' ? (data as Record<string, unknown>).extensions : undefined;
  if (Array.isArray(exts0)) {
    exts0.forEach((e, i) => {
      if (e && typeof e === 'object' && typeof (e as Record<string, unknown>).at === 'string') {
        (e as Record<string, unknown>).at = [(e as Record<string, unknown>).at];
        scalarAt.add(i);
      }
    });
  }
  for (const e of validateManifestSchema(data)) {
    let path = e.path;
    if (path[0] === 'extensions' && scalarAt.has(path[1] as number) && path[2] === 'at') path = path.slice(0, 3);
    errors.push({ file, ...locate(path, e.atKey), path: formatPath(path), severity: 'error', message: e.message });
  }
  const m = data as Manifest;
  const seen = new Map<string, number>();
  const exts: unknown = m && typeof m === 'object' ? m.extensions : undefined;
  const registry = opts.settings === false ? undefined : (opts.settings ?? (await import('../../extensions/settings.ts')).builtinSettings);
  for (const [i, ext] of (Array.isArray(exts) ? (exts as ExtensionSpec[]) : []).entries()) {
    if (!ext || typeof ext !== 'object' || typeof ext.name !== 'string') continue;
    const first = seen.get(ext.name);
    if (first !== undefined) {
      errors.push({
        file,
        ...locate(['extensions', i, 'name']),
        path: formatPath(['extensions', i, 'name']),
        severity: 'error',
        message: `duplicate extension name '${ext.name}' (first at extensions[${first}])`,
      });
    } else seen.set(ext.name, i);
    if (typeof ext.uses === 'string' && ext.uses.startsWith('builtin:') && opts.builtinNames) {
      const name = ext.uses.slice('builtin:'.length);
      if (!opts.builtinNames.includes(name)) {
        const known = [...opts.builtinNames].sort().join(', ') || 'none';
        errors.push({
          file,
          ...locate(['extensions', i, 'uses']),
          path: formatPath(['extensions', i, 'uses']),
          severity: 'error',
          message: `unknown built-in '${name}' (known: ${known})`,
        });
      }
    }
    if (opts.kind === 'app' && ext.uses === 'builtin:sbom') {
      errors.push({
        file,
        ...locate(['extensions', i, 'uses']),
        path: formatPath(['extensions', i, 'uses']),
        severity: 'warning',
        message:
          "only the operator's manifest may use builtin:sbom (the droplet's SBOM and signature are the operator's): staging refuses this extension",
      });
    }
    if (ext.insecure !== undefined && !ext.http) {
      errors.push({
        file,
        ...locate(['extensions', i, 'insecure'], true),
        path: formatPath(['extensions', i, 'insecure']),
        severity: 'error',
        message: 'insecure applies to http extensions only',
      });
    }
    // the script a run: names (`run: hooks/x.sh`, or `run: [./hooks/x.sh, arg]`: a command with a slash is a path
    // relative to the manifest, as src/lifecycle/hooks/script.ts runs it) must exist and be executable
    const runList = Array.isArray(ext.run) && typeof ext.run[0] === 'string' && ext.run[0].includes('/');
    if ((typeof ext.run === 'string' || runList) && opts.checkFiles !== false) {
      const name = typeof ext.run === 'string' ? ext.run : (ext.run as string[])[0];
      const segs: Seg[] = typeof ext.run === 'string' ? ['extensions', i, 'run'] : ['extensions', i, 'run', 0];
      const script = isAbsolute(name) ? name : resolve(dir, name);
      const where = { file, ...locate(segs), path: formatPath(segs) };
      try {
        const st = await stat(script);
        if (!st.isFile()) errors.push({ ...where, severity: 'error', message: `run script ${name} is not a file` });
        else {
          try {
            await access(script, constants.X_OK);
          } catch {
            const fix = typeof ext.run === 'string' ? `, or use run: [sh, ${name}]` : '';
            errors.push({ ...where, severity: 'error', message: `run script ${name} is not executable (chmod +x it${fix})` });
          }
        }
      } catch {
        errors.push({ ...where, severity: 'error', message: `run script ${name} not found (relative to ${dir})` });
      }
    }
    // settings of an extension whose own fields are valid: a built-in's declared schema, files and keys; an http URL
    const own = errors.some((e) => e.path === `extensions[${i}]` || e.path.startsWith(`extensions[${i}].`));
    if (registry && !own && (ext.with === undefined || (ext.with && typeof ext.with === 'object' && !Array.isArray(ext.with)))) {
      const { checkExtensionSettings } = await import('./settings.ts');
      for (const issue of await checkExtensionSettings(ext, { registry, manifestDir: dir, checkFiles: opts.checkFiles })) {
        const segs: Seg[] = ['extensions', i, ...issue.path];
        const atKey = /^unknown key /.test(issue.message);
        errors.push({ file, ...locate(segs, atKey), path: formatPath(segs), severity: issue.severity ?? 'error', message: issue.message });
      }
    }
  }
  // what bpx wrap will refuse about the files the manifest references (links that dangle or loop, paths out of its folder)
  if (opts.kind !== 'app' && opts.checkFiles !== false && Array.isArray(exts)) {
    const { referenceProblems } = await import('../wrap/references.ts');
    for (const p of await referenceProblems(m, dir)) {
      const path = formatPath(p.at);
      const same = errors.find((e) => e.path === path && e.severity === 'error');
      // a missing run script that is a dangling link or a loop: say which
      if (same && /^run script .* not found/.test(same.message)) same.message = p.message;
      else if (!same) errors.push({ file, ...locate(p.at), path, severity: 'error', message: p.message });
    }
  }
  if (opts.kind !== 'app' && !errors.length) {
    for (const w of signingOrderWarnings(m))
      errors.push({ file, ...locate(w.path), path: formatPath(w.path), severity: 'warning', message: w.message });
  }
  if (opts.kind === 'app' && m && typeof m === 'object' && m.app !== undefined) {
    errors.push({
      file,
      ...locate(['app'], true),
      path: 'app',
      severity: 'error',
      message: "only the operator's manifest may set app: (an app cannot grant itself permissions)",
    });
  }
  const hard = errors.filter((e) => e.severity === 'error');
  return { file, dir, errors: sortErrors(errors), manifest: hard.length ? undefined : m };
}

const PHASE_RANK: Record<string, number> = { detect: 0, supply: 1, finalize: 2, compile: 2, release: 3 };
const rank = (p: string) => PHASE_RANK[p.split(':')[0]] * 2 + (p.endsWith(':after') ? 1 : 0);

/**
 * The signature covers the droplet as it is when builtin:sbom runs: a script the operator lists after it at the same
 * point, or app extensions allowed at a later point, can change the droplet afterwards and make `bpx verify` fail.
 */
function signingOrderWarnings(m: Manifest): Array<{ path: Seg[]; message: string }> {
  const out: Array<{ path: Seg[]; message: string }> = [];
  const exts = m.extensions ?? [];
  const signing = exts.filter((e) => e.uses === 'builtin:sbom');
  if (!signing.length) return out;
  exts.forEach((e, i) => {
    if (e.run === undefined) return;
    for (const p of e.at) {
      const s = signing.find((x) => x.at.includes(p) && exts.indexOf(x) < i);
      if (s)
        out.push({
          path: ['extensions', i, 'name'],
          message: `runs at ${p} after the signing step '${s.name}': a file it writes there makes bpx verify fail (list it before '${s.name}')`,
        });
    }
  });
  const last = Math.max(...signing.flatMap((x) => x.at.map(rank)));
  const lastPoint = signing.flatMap((x) => x.at).find((p) => rank(p) === last);
  if (m.app?.allowExtensions) {
    (m.app.allowedAt ?? []).forEach((p, k) => {
      if (rank(p) > last)
        out.push({
          path: ['app', 'allowedAt', k],
          message: `app extensions at ${p} run after the SBOM is signed at ${lastPoint}: a file they write there makes bpx verify fail`,
        });
    });
  }
  return out;
}

/** One printable line: control characters escaped (`a\nb` → `a\\nb`), at most 500 characters. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return t.length > 500 ? `${t.slice(0, 497)}...` : t;
}

function sortErrors(errors: ManifestError[]): ManifestError[] {
  return errors
    .map((e) => ({ ...e, path: clean(e.path), message: clean(e.message) }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
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
