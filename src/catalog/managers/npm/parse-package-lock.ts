// npm package-lock.json / npm-shrinkwrap.json: v1 and pre-v1 (nested `dependencies`), v2 and v3 (`packages` by install path).
// https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json
import type { Issue, Source } from '../../../model/index.ts';
import { JsonKeyCursor, jsonErrorLine } from '../../line-index.ts';
import { licenseRaws, nameFromInstallPath, str, stringArray } from '../../node-modules.ts';
import { type Links, type NpmEntry, runtimeDepNames } from './package.ts';

export interface RootDeclarations {
  prod: string[];
  dev: string[];
  optional: string[];
  peer: string[];
}

export interface LockParse {
  /** 1, 2, 3; 0 for the pre-lockfileVersion shrinkwrap shape. */
  version: number;
  entries: NpmEntry[];
  links: Links;
  /** What the root package declares (v2/v3 `packages[""]`); undefined for v1 (read package.json instead). */
  root?: RootDeclarations;
  issues: Issue[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const keys = (v: unknown): string[] => (isObj(v) ? Object.keys(v) : []);

export function rootDeclarations(pkg: Obj): RootDeclarations {
  return {
    prod: keys(pkg.dependencies),
    dev: keys(pkg.devDependencies),
    optional: keys(pkg.optionalDependencies),
    peer: keys(pkg.peerDependencies),
  };
}

/**
 * Parses one lockfile text. `path` is the file's path relative to the scanned root (for locations and issues).
 * Never throws: malformed JSON gives an error issue with the line, entries without a version a warning each.
 */
export function parsePackageLock(text: string, path: string, source: Source = 'lockfile'): LockParse {
  const out: LockParse = { version: 0, entries: [], links: new Map(), issues: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    out.issues.push({ path, line: jsonErrorLine(text, err), severity: 'error', message: `not valid JSON: ${(err as Error).message}` });
    return out;
  }
  if (!isObj(doc)) {
    out.issues.push({ path, line: 1, severity: 'error', message: 'not a lockfile: expected a JSON object' });
    return out;
  }
  const lv = typeof doc.lockfileVersion === 'number' ? doc.lockfileVersion : 0;
  out.version = lv;
  const cursor = new JsonKeyCursor(text);
  if (isObj(doc.packages)) {
    cursor.seek('"packages"');
    parsePackages(doc.packages, path, source, cursor, out);
  } else if (isObj(doc.dependencies)) {
    parseNested(doc.dependencies, '', path, source, cursor, out);
  } else if (lv >= 2) {
    out.issues.push({ path, line: 1, severity: 'error', message: `lockfileVersion ${lv} without a "packages" object` });
  }
  return out;
}

function parsePackages(packages: Obj, path: string, source: Source, cursor: JsonKeyCursor, out: LockParse): void {
  const unnamed = new Set<string>();
  for (const [key, raw] of Object.entries(packages)) {
    const line = cursor.next(key);
    if (!isObj(raw)) {
      out.issues.push({ path, line, severity: 'warning', message: `packages["${key}"]: not an object: skipped` });
      continue;
    }
    if (key === '') {
      out.root = rootDeclarations(raw);
      continue;
    }
    if (raw.link === true) {
      const target = str(raw.resolved);
      if (target !== undefined) out.links.set(key, target);
      continue;
    }
    // Workspace folders (`packages/app`) are keys without node_modules/: named by their "name" field.
    const workspace = !key.includes('node_modules/');
    // a workspace folder without "name" is named by the link to it (filled in below), else its folder name
    const name = str(raw.name) ?? (workspace ? key.slice(key.lastIndexOf('/') + 1) : nameFromInstallPath(key));
    const version = str(raw.version);
    if (!name || !version) {
      // a workspace folder without a version is the app's own code, not a package: nothing to report
      if (!workspace)
        out.issues.push({ path, line, severity: 'warning', message: `packages["${key}"]: no ${name ? 'version' : 'name'}: skipped` });
      continue;
    }
    if (workspace && !str(raw.name)) unnamed.add(key);
    out.entries.push({
      installPath: key,
      name,
      version,
      dev: raw.dev === true,
      optional: raw.optional === true,
      devOptional: raw.devOptional === true,
      licenses: licenseRaws(raw),
      integrity: str(raw.integrity),
      deps: runtimeDepNames(raw),
      workspace,
      os: stringArray(raw.os),
      cpu: stringArray(raw.cpu),
      libc: stringArray(raw.libc),
      location: { path, line, source },
    });
  }
  if (unnamed.size) {
    const byTarget = new Map<string, string>();
    for (const [link, target] of out.links)
      if (!link.slice(13).includes('/node_modules/')) byTarget.set(target, nameFromInstallPath(link) as string);
    for (const e of out.entries) if (unnamed.has(e.installPath)) e.name = byTarget.get(e.installPath) ?? e.name;
  }
}

/** v1 and pre-v1: `dependencies` nested by install location; `requires` names the edges (v1 only). */
function parseNested(deps: Obj, parent: string, path: string, source: Source, cursor: JsonKeyCursor, out: LockParse): void {
  for (const [name, raw] of Object.entries(deps)) {
    const line = cursor.next(name);
    const installPath = parent ? `${parent}/node_modules/${name}` : `node_modules/${name}`;
    if (!isObj(raw)) {
      out.issues.push({ path, line, severity: 'warning', message: `dependencies["${name}"]: not an object: skipped` });
      continue;
    }
    let realName = name;
    let version = str(raw.version);
    // aliases: "version": "npm:string-width@4.2.3"
    const alias = version ? /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version) : null;
    if (alias) {
      realName = alias[1];
      version = alias[2];
    }
    if (!version) {
      out.issues.push({ path, line, severity: 'warning', message: `dependencies["${name}"]: no version: skipped` });
    } else {
      out.entries.push({
        installPath,
        name: realName,
        version,
        dev: raw.dev === true,
        optional: raw.optional === true,
        devOptional: false,
        licenses: [],
        integrity: str(raw.integrity),
        deps: runtimeDepNames(raw),
        workspace: false,
        location: { path, line, source },
      });
    }
    if (isObj(raw.dependencies)) parseNested(raw.dependencies, installPath, path, source, cursor, out);
  }
}
