// pnpm projects: scope by reachability from the importers (dev = only devDependencies reach it).
import { type Component, type Issue, type Scope, fromIntegrity, makeComponent, purlFor } from '../../../model/index.ts';
import type { ParseResult, ScanContext } from '../../types.ts';
import { platformMatches } from '../npm/package.ts';
import { type PnpmLock, type PnpmPackage, parsePnpmLock } from './parse-pnpm-lock.ts';
import { readOrIssue } from '../../read-or-issue.ts';

/** The package a dependency ref points at: `1.0.0`, `1.0.0(peer@1)`, `/name/1.0.0_peer`, an alias `other@1.0.0`, `link:…`. */
function resolveRef(lock: PnpmLock, name: string, ref: string): PnpmPackage | undefined {
  if (ref.startsWith('link:') || ref.startsWith('file:')) return lock.packages.get(ref) ?? lock.packages.get(`${name}@${ref}`);
  for (const k of [`${name}@${ref}`, `/${name}@${ref}`, `/${name}/${ref}`, ref, `/${ref}`]) {
    const p = lock.packages.get(k);
    if (p) return p;
  }
  return undefined;
}

export async function parsePnpm(paths: string[], ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const components: Component[] = [];
  for (const path of paths) {
    const text = await readOrIssue(ctx, path, issues);
    if (text === undefined) continue;
    const lock = parsePnpmLock(text, path);
    issues.push(...lock.issues);
    components.push(...toComponents(lock, path));
  }
  return { components, issues };
}

export function toComponents(lock: PnpmLock, path: string): Component[] {
  const scope = new Map<PnpmPackage, Scope>();
  const direct = new Set<PnpmPackage>();
  const visit = (starts: Array<[string, string]>, s: Scope): void => {
    const queue: PnpmPackage[] = [];
    for (const [n, r] of starts) {
      const p = resolveRef(lock, n, r);
      if (!p) continue;
      direct.add(p);
      if (!scope.has(p)) {
        scope.set(p, s);
        queue.push(p);
      }
    }
    while (queue.length) {
      const p = queue.pop() as PnpmPackage;
      for (const [n, r] of p.deps) {
        const d = resolveRef(lock, n, r);
        if (d && !scope.has(d)) {
          scope.set(d, s);
          queue.push(d);
        }
      }
    }
  };
  visit(lock.importers.flatMap((i) => i.prod), 'required');
  visit(lock.importers.flatMap((i) => i.dev), 'dev');
  const out: Component[] = [];
  for (const p of lock.packages.values()) {
    // Without an installed tree, optional packages for another platform are not installed on linux/x64.
    if (p.optional && !platformMatches(p)) continue;
    let s = scope.get(p) ?? (p.dev === true ? 'dev' : 'required');
    if (s === 'required' && p.optional) s = 'optional';
    const dependsOn = new Set<string>();
    for (const [n, r] of p.deps) {
      const d = resolveRef(lock, n, r);
      if (d && !(d.optional && !platformMatches(d))) dependsOn.add(purlFor('npm', d.name, d.version));
    }
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
