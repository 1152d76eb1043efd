// npm package instances shared by the lockfile and installed-tree parsers: install paths and Node's module resolution.
import type { Location } from '../../../model/index.ts';
import type { Platforms } from '../../node-modules.ts';

/** One package instance at one install path (`node_modules/a/node_modules/b`, or a workspace folder). */
export interface NpmEntry extends Platforms {
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
  location: Location;
}

/** A `node_modules/x` link entry (workspace symlink): install path → target folder. */
export type Links = Map<string, string>;

/** Names a package needs at run time, from a package.json or lockfile entry (sorted, unique). */
export function runtimeDepNames(pkg: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'requires']) {
    const v = pkg[field];
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const n of Object.keys(v)) names.add(n);
  }
  return [...names].sort();
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

/** The install paths `names` resolve to from the folder `from` ('' for the project root); unresolved names are left out. */
export function resolveAll<T>(entries: Map<string, T>, links: Links, from: string, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const p = resolveFrom(entries, links, from, n);
    if (p !== undefined) out.push(p);
  }
  return out;
}
