// Node packages as npm, yarn and pnpm lay them out: node_modules install paths, package.json fields, npm's platform check.
// https://docs.npmjs.com/cli/v10/configuring-npm/package-json
import type { Issue } from '../model/index.ts';
import { jsonErrorLine } from './line-index.ts';

/**
 * A package's own package.json in a node_modules tree: the folder right below node_modules (or below a scope),
 * chained by node_modules, so `node_modules/a/lib/package.json` and `node_modules/a/test/fixtures/node_modules/b/package.json`
 * are not packages. pnpm's `node_modules/.pnpm/<id>/node_modules/<name>` store is accepted as a link in the chain.
 */
export const INSTALLED =
  /^((?:(?!node_modules\/)[^/]+\/)*)(node_modules\/(?:(?:@[^/.][^/]*\/)?[^/.@][^/]*|\.pnpm\/[^/]+\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)(?:\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)*)\/package\.json$/;

export interface InstalledPath {
  /** the folder holding the top node_modules ('' for the scanned root). */
  base: string;
  installPath: string;
}

/** `deps/0/node_modules/a/node_modules/@s/b/package.json` → {base: 'deps/0', installPath: 'node_modules/a/node_modules/@s/b'}. */
export function installedPath(path: string): InstalledPath | undefined {
  const m = INSTALLED.exec(path);
  if (!m) return undefined;
  return { base: m[1].slice(0, -1), installPath: m[2] };
}

/** The package name an install path ends with: `node_modules/a/node_modules/@s/b` → `@s/b`. */
export function nameFromInstallPath(p: string): string | undefined {
  const i = p.lastIndexOf('node_modules/');
  if (i < 0) return undefined;
  const rest = p.slice(i + 'node_modules/'.length);
  return rest || undefined;
}

/** A non-blank string field, else undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

export function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : undefined;
}

/**
 * All licence shapes package.json and lockfiles carry: `"MIT"`, `{type: "MIT", url}`,
 * `licenses: [{type: "MIT"}, "BSD"]`, `licenses: {type}` → ['MIT', ...] raw strings.
 */
export function licenseRaws(pkg: { license?: unknown; licenses?: unknown }): string[] {
  const out: string[] = [];
  const one = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') out.push((v as { type: string }).type);
  };
  one(pkg.license);
  if (Array.isArray(pkg.licenses)) pkg.licenses.forEach(one);
  else one(pkg.licenses);
  return out.filter((s) => s.trim() !== '');
}

/** What a Cloud Foundry stack is to npm's platform fields: linux, x64, glibc. */
export const STACK_PLATFORM = { os: 'linux', cpu: 'x64', libc: 'glibc' } as const;

/** Platform constraints as npm writes them (`os: ["darwin", "!win32"]`). */
export interface Platforms {
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/** npm's platform check of one field against the stack's value. */
function allows(list: string[] | undefined, actual: string): boolean {
  if (!list || list.length === 0) return true;
  const neg = list.filter((x) => x.startsWith('!')).map((x) => x.slice(1));
  if (neg.includes(actual)) return false;
  const pos = list.filter((x) => !x.startsWith('!'));
  return pos.length === 0 || pos.includes(actual) || pos.includes('any');
}

/** true when a package with these platform fields installs on the stack. */
export function platformMatches(e: Platforms): boolean {
  return allows(e.os, STACK_PLATFORM.os) && allows(e.cpu, STACK_PLATFORM.cpu) && allows(e.libc, STACK_PLATFORM.libc);
}

export interface PackageJsonWording {
  /** how messages name the file: `package.json`, `installed package.json` */
  what: string;
  severity: Issue['severity'];
  /** what the failure costs, appended to the message (`: its dependencies are not captured`) */
  lost?: string;
  /** `a JSON object`, `an object` */
  notObject: string;
  /** the line when the parser names none */
  line?: number;
}

/**
 * A package.json's top-level object, or undefined after one issue: `<what> is not valid JSON: <parser's words><lost>`
 * at the parser's line, or `<what> is not <notObject><lost>` at line 1.
 */
export function packageJsonOrIssue(
  text: string,
  path: string,
  issues: Issue[],
  w: PackageJsonWording,
): Record<string, unknown> | undefined {
  const lost = w.lost ?? '';
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (err) {
    const message = `${w.what} is not valid JSON: ${(err as Error).message}${lost}`;
    issues.push({ path, line: jsonErrorLine(text, err) ?? w.line, severity: w.severity, message });
    return undefined;
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) {
    issues.push({ path, line: 1, severity: w.severity, message: `${w.what} is not ${w.notObject}${lost}` });
    return undefined;
  }
  return pkg as Record<string, unknown>;
}
