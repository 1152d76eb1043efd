// yarn.lock, both classic v1 (https://classic.yarnpkg.com/lang/en/docs/yarn-lock/) and berry v2+ (a YAML subset
// written by @yarnpkg/parsers' stringifier): entries at column 0, fields at 2 spaces, dependency maps at 4.
import type { Issue } from '../../../model/index.ts';

export interface YarnEntry {
  /** `name@range` specifiers of the header (berry: `name@npm:^1.0.0`). */
  specifiers: string[];
  /** the package name (from berry's resolution, or the header; aliases resolved to the real name). */
  name: string;
  version: string;
  /** berry `resolution`, classic `resolved`. */
  resolution?: string;
  integrity?: string;
  /** berry `checksum` (cache key / hash of yarn's zip, not of the npm tarball). */
  checksum?: string;
  /** berry `conditions: os=darwin & cpu=arm64`. */
  conditions?: string;
  /** name → range, all of dependencies/optionalDependencies/peerDependencies. */
  deps: Array<[string, string]>;
  optionalNames: Set<string>;
  line: number;
}

export interface YarnLock {
  berry: boolean;
  /** berry `__metadata.version`. */
  metadataVersion?: string;
  entries: YarnEntry[];
  issues: Issue[];
}

/** `"a"` → a; `a` → a. */
function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

/** `@s/a@^1.0.0` → ['@s/a', '^1.0.0']; `a@npm:b@^2` → ['a', 'npm:b@^2']. */
export function splitSpecifier(spec: string): [string, string] {
  const i = spec.indexOf('@', 1);
  return i < 0 ? [spec, ''] : [spec.slice(0, i), spec.slice(i + 1)];
}

/** key + value of a field line: classic `version "1.0.0"` / berry `version: 1.0.0`; `"@s/a" "^1"` / `"@s/a": "npm:^1"`. */
function field(text: string): [string, string] | undefined {
  let key: string;
  let rest: string;
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end < 0) return undefined;
    key = text.slice(1, end);
    rest = text.slice(end + 1);
  } else {
    const m = /^([^\s:]+)/.exec(text);
    if (!m) return undefined;
    key = m[1];
    rest = text.slice(key.length);
  }
  if (rest.startsWith(':')) rest = rest.slice(1);
  rest = rest.trim();
  // a quote never closed: the line was cut short
  if (rest.startsWith('"') && (rest.length < 2 || !rest.endsWith('"'))) return undefined;
  return [key, unquote(rest)];
}

const DEP_SECTIONS = new Set(['dependencies', 'optionalDependencies', 'peerDependencies']);

export function parseYarnLock(text: string, path: string): YarnLock {
  const out: YarnLock = { berry: false, entries: [], issues: [] };
  const lines = text.split('\n');
  let cur:
    (Partial<YarnEntry> & { deps: Array<[string, string]>; optionalNames: Set<string>; specifiers: string[]; line: number }) | undefined;
  let section: string | undefined;
  let inMetadata = false;
  const finish = (): void => {
    if (!cur) return;
    const c = cur;
    cur = undefined;
    if (!c.version) {
      out.issues.push({ path, line: c.line, severity: 'warning', message: `entry "${c.specifiers.join(', ')}" has no version: skipped` });
      return;
    }
    let name = splitSpecifier(c.specifiers[0])[0];
    const fromResolution = c.resolution && !c.resolution.includes('://') ? splitSpecifier(c.resolution) : undefined;
    if (fromResolution && fromResolution[1].startsWith('npm:')) name = fromResolution[0];
    else {
      // classic alias: `string-width-cjs@npm:string-width@^4.2.0`
      const range = splitSpecifier(c.specifiers[0])[1];
      if (range.startsWith('npm:')) {
        const real = splitSpecifier(range.slice(4))[0];
        if (real && range.slice(4).includes('@', 1)) name = real;
      }
    }
    out.entries.push({ ...c, name, version: c.version } as YarnEntry);
  };
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l === '' || l.trimStart().startsWith('#')) continue;
    const indent = l.length - l.trimStart().length;
    const body = l.slice(indent);
    if (indent === 0) {
      finish();
      section = undefined;
      if (!body.endsWith(':')) {
        out.issues.push({ path, line: i + 1, severity: 'error', message: `expected an entry header ending in ':': ${body.slice(0, 60)}` });
        inMetadata = false;
        continue;
      }
      const header = body.slice(0, -1);
      if (header === '__metadata') {
        out.berry = true;
        inMetadata = true;
        continue;
      }
      inMetadata = false;
      // classic quotes each descriptor (`"a@^1", "a@^2":`), berry the whole list (`"a@npm:^1, a@npm:^2":`)
      const list = /^"[^"]*"$/.test(header) ? unquote(header) : header;
      const specifiers = list.split(/,\s*/).map(unquote).filter(Boolean);
      cur = { specifiers, deps: [], optionalNames: new Set(), line: i + 1 };
      continue;
    }
    if (inMetadata) {
      const f = field(body);
      if (f && f[0] === 'version') out.metadataVersion = f[1];
      continue;
    }
    if (!cur) continue;
    if (indent === 2) {
      section = undefined;
      if (body.endsWith(':') && !body.includes(' ')) {
        section = unquote(body.slice(0, -1));
        continue;
      }
      const f = field(body);
      if (!f) {
        out.issues.push({ path, line: i + 1, severity: 'error', message: `cannot read field: ${body.slice(0, 60)}` });
        continue;
      }
      const [k, v] = f;
      if (k === 'version') cur.version = v;
      else if (k === 'resolution' || k === 'resolved') cur.resolution = v;
      else if (k === 'integrity') cur.integrity = v;
      else if (k === 'checksum') cur.checksum = v;
      else if (k === 'conditions') cur.conditions = v;
      continue;
    }
    if (indent >= 4 && section && DEP_SECTIONS.has(section) && indent === 4) {
      const f = field(body);
      if (!f) continue;
      cur.deps.push(f);
      if (section === 'optionalDependencies') cur.optionalNames.add(f[0]);
    }
  }
  finish();
  // yarn always ends the file with a newline: without one, the file was cut short (its last entry may be partial)
  if (text.length && !text.endsWith('\n')) {
    out.issues.push({ path, line: lines.length, severity: 'error', message: 'truncated: the file does not end with a newline' });
  }
  return out;
}
