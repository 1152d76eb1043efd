// pnpm-lock.yaml 5.x (`/name/version_peer` keys), 6.x (`/name@version(peer)`), 9.0 (`packages` + `snapshots`,
// possibly two YAML documents). https://github.com/pnpm/spec/tree/master/lockfile
import { isMap, isScalar, parseAllDocuments, type Document } from 'yaml';
import type { Issue } from '../../../model/index.ts';
import { LineIndex } from '../../line-index.ts';
import { Unsupported, parseBlockYaml } from './block-yaml.ts';

export interface PnpmPackage {
  /** the lockfile key as written (9: snapshot key with peer suffix). */
  key: string;
  name: string;
  version: string;
  integrity?: string;
  dev?: boolean;
  optional: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  /** [name, ref] pairs: ref is a version, a version with peer suffix, a key, or link:. */
  deps: Array<[string, string]>;
  line?: number;
}

export interface PnpmImporter {
  path: string;
  prod: Array<[string, string]>;
  dev: Array<[string, string]>;
}

export interface PnpmLock {
  version: string;
  /** keyed by lockfile key (and by the peer-less `name@version` in 9.0). */
  packages: Map<string, PnpmPackage>;
  importers: PnpmImporter[];
  issues: Issue[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/** `1.0.0(react@18.0.0)(x@1)` → `1.0.0`; `1.0.0_react@18.0.0` (5.x) → `1.0.0`. */
export function stripPeers(v: string, major: number): string {
  const p = v.indexOf('(');
  let out = p >= 0 ? v.slice(0, p) : v;
  if (major < 6) {
    const u = out.indexOf('_');
    if (u >= 0) out = out.slice(0, u);
  }
  return out;
}

/**
 * A package key → name and version: 5.x `/@s/a/1.0.0_peer` → ['@s/a', '1.0.0'];
 * 6.x `/@s/a@1.0.0(peer)` and 9.0 `@s/a@1.0.0(peer)` → ['@s/a', '1.0.0']. Undefined when not a registry key.
 */
export function nameVersionOfKey(key: string, major: number): [string, string] | undefined {
  let k = key.startsWith('/') ? key.slice(1) : key;
  if (major < 6) {
    // peer suffixes write '/' as '+', so the last '/' splits name and version (names may hold '_': string_decoder)
    const i = k.lastIndexOf('/');
    if (i <= 0) return undefined;
    return [k.slice(0, i), stripPeers(k.slice(i + 1), major)];
  }
  k = stripPeers(k, major);
  const i = k.indexOf('@', 1);
  if (i < 0) return undefined;
  return [k.slice(0, i), k.slice(i + 1)];
}

function depPairs(v: unknown): Array<[string, string]> {
  if (!isObj(v)) return [];
  const out: Array<[string, string]> = [];
  for (const [n, r] of Object.entries(v)) {
    // importers in 6.x/9.0: {specifier, version}; 5.x and packages: the version string
    const ref = isObj(r) ? r.version : r;
    if (typeof ref === 'string' || typeof ref === 'number') out.push([n, String(ref)]);
  }
  return out;
}

function importersOf(doc: Obj): PnpmImporter[] {
  const importers: PnpmImporter[] = [];
  const one = (path: string, o: Obj): void => {
    importers.push({
      path,
      prod: [...depPairs(o.dependencies), ...depPairs(o.optionalDependencies)],
      dev: depPairs(o.devDependencies),
    });
  };
  if (isObj(doc.importers)) for (const [p, o] of Object.entries(doc.importers)) if (isObj(o)) one(p, o);
  // 5.x single project: dependencies at the top level
  if (!isObj(doc.importers)) one('.', doc);
  return importers;
}

/** Line of each key of a top-level map (`packages`, `snapshots`) from the YAML AST. */
function keyLines(doc: Document, section: string, lines: LineIndex): Map<string, number> {
  const out = new Map<string, number>();
  const node = doc.get(section, true);
  if (!isMap(node)) return out;
  for (const item of node.items) {
    if (isScalar(item.key) && item.key.range) out.set(String(item.key.value), lines.lineAt(item.key.range[0]));
  }
  return out;
}

interface ReadDoc {
  js: unknown;
  lines: (section: string) => Map<string, number>;
}

/** The fast subset reader first; the `yaml` package (slower, complete, with located errors) when it declines. */
function readDocs(text: string, path: string, issues: Issue[]): ReadDoc[] {
  try {
    return parseBlockYaml(text).map((d) => ({ js: d.value, lines: (s: string) => d.lines.get(s) ?? new Map() }));
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = (Array.isArray(docs) ? docs : []) as Document[];
  const lines = new LineIndex(text);
  return list.map((doc) => {
    for (const e of doc.errors) {
      issues.push({ path, line: e.linePos?.[0]?.line, severity: 'error', message: `YAML: ${e.message.split('\n')[0]}` });
    }
    return { js: doc.toJS({ maxAliasCount: 100 }) as unknown, lines: (s: string) => keyLines(doc, s, lines) };
  });
}

export function parsePnpmLock(text: string, path: string): PnpmLock {
  const out: PnpmLock = { version: '', packages: new Map(), importers: [], issues: [] };
  let docs: ReadDoc[];
  try {
    docs = readDocs(text, path, out.issues);
  } catch (err) {
    out.issues.push({ path, line: 1, severity: 'error', message: `not valid YAML: ${(err as Error).message}` });
    return out;
  }
  for (const doc of docs) {
    const js = doc.js;
    if (!isObj(js)) continue;
    const importers = importersOf(js);
    // pnpm 10's env document (packageManagerDependencies: the pnpm binary itself) is not shipped with the app
    const hasAppDeps = importers.some((i) => i.prod.length || i.dev.length);
    if (!hasAppDeps && isObj(js.importers) && Object.values(js.importers).some((i) => isObj(i) && 'packageManagerDependencies' in i))
      continue;
    const version = String(js.lockfileVersion ?? '');
    out.version = version;
    const major = Number.parseFloat(version) || 0;
    out.importers.push(...importers);
    const pkgs = isObj(js.packages) ? js.packages : {};
    const pkgLines = doc.lines('packages');
    if (major >= 9) {
      const snaps = isObj(js.snapshots) ? js.snapshots : {};
      const snapLines = doc.lines('snapshots');
      for (const [key, raw] of Object.entries(snaps)) {
        const nv = nameVersionOfKey(key, major);
        const base = nv ? `${nv[0]}@${nv[1]}` : key;
        const meta = isObj(pkgs[base]) ? (pkgs[base] as Obj) : {};
        const s = isObj(raw) ? raw : {};
        add(out, path, key, nv, meta, s, snapLines.get(key) ?? pkgLines.get(base), major);
      }
      // packages with no snapshot (should not happen): still listed
      const seen = new Set([...out.packages.values()].map((p) => `${p.name}@${p.version}`));
      for (const [key, raw] of Object.entries(pkgs)) {
        if (out.packages.has(key) || seen.has(key)) continue;
        add(out, path, key, nameVersionOfKey(key, major), isObj(raw) ? raw : {}, {}, pkgLines.get(key), major);
      }
    } else {
      for (const [key, raw] of Object.entries(pkgs)) {
        const r = isObj(raw) ? raw : {};
        add(out, path, key, nameVersionOfKey(key, major), r, r, pkgLines.get(key), major);
      }
    }
  }
  if (!docs.length || !out.version)
    out.issues.push({ path, line: 1, severity: 'error', message: 'no lockfileVersion: not a pnpm lockfile' });
  return out;
}

function add(
  out: PnpmLock,
  path: string,
  key: string,
  nv: [string, string] | undefined,
  meta: Obj,
  snap: Obj,
  line: number | undefined,
  major: number,
): void {
  const name = typeof meta.name === 'string' ? meta.name : nv?.[0];
  const version = typeof meta.version === 'string' ? meta.version : nv?.[1];
  if (!name || !version) {
    out.issues.push({ path, line, severity: 'warning', message: `package "${key}": no name or version: skipped` });
    return;
  }
  const resolution = isObj(meta.resolution) ? meta.resolution : {};
  out.packages.set(key, {
    key,
    name,
    version: stripPeers(version, major),
    integrity: typeof resolution.integrity === 'string' ? resolution.integrity : undefined,
    dev: typeof snap.dev === 'boolean' ? snap.dev : typeof meta.dev === 'boolean' ? meta.dev : undefined,
    optional: snap.optional === true || meta.optional === true,
    os: strs(meta.os),
    cpu: strs(meta.cpu),
    libc: strs(meta.libc),
    deps: [...depPairs(snap.dependencies), ...depPairs(snap.optionalDependencies)],
    line,
  });
}
