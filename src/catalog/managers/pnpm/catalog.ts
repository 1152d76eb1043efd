// pnpm projects: components of one pnpm-lock.yaml, scoped by reachability from the importers (dev = only devDependencies reach it).
import { type Component, fromIntegrity, makeComponent, purlFor } from '../../../model/index.ts';
import { platformMatches } from '../../node-modules.ts';
import { scopesByReach } from '../../reach.ts';
import type { ParseResult } from '../../types.ts';
import { type PnpmLock, type PnpmPackage, parsePnpmLock } from './parse-pnpm-lock.ts';

/** The package a dependency ref points at: `1.0.0`, `1.0.0(peer@1)`, `/name/1.0.0_peer`, an alias `other@1.0.0`, `link:…`. */
function resolveRef(lock: PnpmLock, name: string, ref: string): PnpmPackage | undefined {
  if (ref.startsWith('link:') || ref.startsWith('file:')) return lock.packages.get(ref) ?? lock.packages.get(`${name}@${ref}`);
  for (const k of [`${name}@${ref}`, `/${name}@${ref}`, `/${name}/${ref}`, ref, `/${ref}`]) {
    const p = lock.packages.get(k);
    if (p) return p;
  }
  return undefined;
}

/** One pnpm-lock.yaml: its packages as components (the byFile parser of this manager). */
export function pnpmLockfile(text: string, path: string): ParseResult {
  const lock = parsePnpmLock(text, path);
  return { components: toComponents(lock, path), issues: lock.issues };
}

function toComponents(lock: PnpmLock, path: string): Component[] {
  const resolveAll = (refs: ReadonlyArray<readonly [string, string]>): PnpmPackage[] =>
    refs.flatMap(([n, r]) => resolveRef(lock, n, r) ?? []);
  const prod = resolveAll(lock.importers.flatMap((i) => i.prod));
  const dev = resolveAll(lock.importers.flatMap((i) => i.dev));
  const scope = scopesByReach((p: PnpmPackage) => resolveAll(p.deps), { required: prod, dev });
  const direct = new Set([...prod, ...dev]);
  const out: Component[] = [];
  for (const p of lock.packages.values()) {
    // Without an installed tree, optional packages for another platform are not installed on linux/x64.
    if (p.optional && !platformMatches(p)) continue;
    let s = scope.get(p) ?? (p.dev === true ? 'dev' : 'required');
    if (s === 'required' && p.optional) s = 'optional';
    const dependsOn = new Set<string>();
    for (const d of resolveAll(p.deps)) if (!(d.optional && !platformMatches(d))) dependsOn.add(purlFor('npm', d.name, d.version));
    const self = purlFor('npm', p.name, p.version);
    dependsOn.delete(self);
    out.push(
      makeComponent({
        ecosystem: 'npm',
        name: p.name,
        version: p.version,
        location: { path, ...(p.line ? { line: p.line } : {}), source: 'lockfile' },
        scope: s,
        hashes: fromIntegrity(p.integrity),
        dependsOn: [...dependsOn].sort(),
        direct: direct.has(p),
      }),
    );
  }
  return out;
}
