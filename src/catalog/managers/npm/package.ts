// npm package metadata shared by the lockfile and installed-tree parsers: licences, platforms, install paths.
import type { Location } from '../../../model/index.ts';

/** One package instance at one install path (`node_modules/a/node_modules/b`, or a workspace folder). */
export interface NpmEntry {
  /** Install path relative to the project root, e.g. `node_modules/@s/a` or `packages/app` for a workspace folder. */
  installPath: string;
  name: string;
  version: string;
  dev: boolean;
  optional: boolean;
  /** dev for some paths, optional for others: shipped as optional when installed. */
  devOptional: boolean;
  licenses: string[];
  integrity?: string;
  /** names → ranges of what this package needs at run time (dependencies, optionalDependencies, peerDependencies). */
  deps: string[];
  /** a workspace folder of the app (its own code). */
  workspace: boolean;
  /** platform constraints (`os`, `cpu`, `libc`) as npm writes them. */
  os?: string[];
  cpu?: string[];
  libc?: string[];
  location: Location;
}

/** A `node_modules/x` link entry (workspace symlink): install path → target folder. */
export type Links = Map<string, string>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

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

/** Names a package needs at run time, from a package.json or lockfile entry (sorted, unique). */
export function runtimeDepNames(pkg: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'requires']) {
    const v = pkg[field];
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const n of Object.keys(v)) names.add(n);
  }
  return [...names].sort();
}

export function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : undefined;
}

/** npm's platform check (`os: ["darwin", "!win32"]`) against the Cloud Foundry stack: linux, x64, glibc. */
function allows(list: string[] | undefined, actual: string): boolean {
  if (!list || list.length === 0) return true;
  const neg = list.filter((x) => x.startsWith('!')).map((x) => x.slice(1));
  if (neg.includes(actual)) return false;
  const pos = list.filter((x) => !x.startsWith('!'));
  return pos.length === 0 || pos.includes(actual) || pos.includes('any');
}

export const STACK_PLATFORM = { os: 'linux', cpu: 'x64', libc: 'glibc' } as const;

export function platformMatches(e: Pick<NpmEntry, 'os' | 'cpu' | 'libc'>): boolean {
  return allows(e.os, STACK_PLATFORM.os) && allows(e.cpu, STACK_PLATFORM.cpu) && allows(e.libc, STACK_PLATFORM.libc);
}

/** The folder an install path's package is looked up from: `node_modules/a/node_modules/b` → `node_modules/a`. */
function parentOf(p: string): string | undefined {
  if (p === '') return undefined;
  const i = p.lastIndexOf('/node_modules/');
  if (i >= 0) return p.slice(0, i);
  if (p.startsWith('node_modules/')) return '';
  const j = p.lastIndexOf('/');
  return j >= 0 ? p.slice(0, j) : '';
}

/**
 * Node's module resolution over install paths: from `node_modules/a`, `b` is `node_modules/a/node_modules/b`,
 * else `node_modules/b`. Follows workspace links. Returns the install path, or undefined.
 */
export function resolveFrom<T>(entries: Map<string, T>, links: Links, from: string, name: string): string | undefined {
  let base: string | undefined = from;
  while (base !== undefined) {
    const cand = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (entries.has(cand)) return cand;
    const target = links.get(cand);
    if (target !== undefined && entries.has(target)) return target;
    base = parentOf(base);
  }
  return undefined;
}

export { str };
