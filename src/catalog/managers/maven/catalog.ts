// Maven capture: poms resolved through their parents in the tree, and the archives the app ships (archives win).
import type { Component, Issue } from '../../../model/index.ts';
import { readBytesOrIssue, readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { reconcile } from './package.ts';
import { identifyArchive } from './parse-jar.ts';
import { effectiveDependencies, parentPath, parsePom, type Effective, type Pom } from './parse-pom.ts';

async function loadPom(ctx: ScanContext, p: string, cache: Map<string, Pom | null>, issues: Issue[]): Promise<Pom | undefined> {
  if (cache.has(p)) return cache.get(p) ?? undefined;
  cache.set(p, null);
  const text = await readOrIssue(ctx, p, issues);
  if (text === undefined) return undefined;
  const r = parsePom(text, p);
  issues.push(...r.issues);
  if (r.pom) cache.set(p, r.pom);
  return r.pom;
}

/** Poms (with the parents found in the tree) and shipped archives, reconciled: archives win. */
export async function catalog(files: MatchedFiles<'pom' | 'archive'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const declared: Component[] = [];
  const shipped: Component[] = [];
  const cache = new Map<string, Pom | null>();
  const unresolved: (Effective['unresolved'][number] & { path: string })[] = [];
  for (const p of files.of.pom) {
    const pom = await loadPom(ctx, p, cache, issues);
    if (!pom) continue;
    const chain = [pom];
    // parents found in the tree by relativePath (default ../pom.xml), nearest first; a cycle or a mismatch stops the walk
    for (let cur = pom, pp = parentPath(pom); pp && ctx.has(pp) && chain.length < 10;) {
      const parent = await loadPom(ctx, pp, cache, []);
      if (!parent || chain.includes(parent) || parent.artifactId !== cur.parent?.artifactId) break;
      chain.push(parent);
      cur = parent;
      pp = parentPath(parent);
    }
    const r = effectiveDependencies(chain, ctx.includeDev);
    declared.push(...r.components);
    issues.push(...r.issues);
    unresolved.push(...r.unresolved.map((u) => ({ ...u, path: p })));
  }
  for (const p of files.of.archive) {
    const buf = await readBytesOrIssue(ctx, p, issues, 'warning');
    if (buf === undefined) continue;
    const r = await identifyArchive(buf, p);
    shipped.push(...r.components);
    issues.push(...r.issues);
  }
  const components = reconcile(declared, shipped);
  // a version the pom cannot tell offline is no gap when the archive it names ships: the pom line becomes evidence
  const byName = new Map<string, Component>();
  for (const c of components) if (c.locations.some((l) => l.source === 'installed') && !byName.has(c.name)) byName.set(c.name, c);
  for (const u of unresolved) {
    const c = byName.get(u.name);
    if (!c) {
      issues.push(u.issue);
      continue;
    }
    c.locations.push({ path: u.path, ...(u.line ? { line: u.line } : {}), source: 'manifest' });
    c.direct = true;
  }
  return { components, issues };
}
