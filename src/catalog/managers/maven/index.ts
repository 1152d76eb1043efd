// Maven: pom.xml declarations and the jar/war/ear archives the app ships (including Spring Boot nested jars). See README.md.
import type { Component, Issue } from '../../../model/index.ts';
import type { PackageManager, ParseResult, ScanContext } from '../../types.ts';
import { effectiveDependencies, parentPath, parsePom, type Effective, type Pom } from './parse-pom.ts';
import { identifyArchive } from './parse-jar.ts';
import { reconcile } from './package.ts';
import { readOrIssue } from '../../read-or-issue.ts';

export { parsePom, effectiveDependencies, interpolate, mavenScope, parentPath } from './parse-pom.ts';
export { identifyArchive, parseManifest, parseProperties, nameFromFile } from './parse-jar.ts';

const POM = /(^|\/)pom\.xml$/;
const ARCHIVE = /\.(jar|war|ear)$/i;
/** A JDK/JRE's own jars (deps/<idx>/jdk…/lib/jrt-fs.jar, app/.java-buildpack/open_jdk_jre/…) are the runtime, not app libraries. */
const JAVA_RUNTIME = /(^|\/)(jre|jdk|[^/]*_jre|[^/]*_jdk|[^/]*openjdk[^/]*|[^/]*jvmkill[^/]*)\//i;

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

export const maven: PackageManager = {
  id: 'maven',
  ecosystem: 'maven',
  description: 'Maven artifacts declared in pom.xml (properties, parents, dependencyManagement) and shipped as jars (WEB-INF/lib, BOOT-INF/lib, nested).',
  matches: (p) => POM.test(p) || (ARCHIVE.test(p) && !JAVA_RUNTIME.test(p)),
  async parse(paths, ctx): Promise<ParseResult> {
    const issues: Issue[] = [];
    const declared: Component[] = [];
    const shipped: Component[] = [];
    const cache = new Map<string, Pom | null>();
    const unresolved: (Effective['unresolved'][number] & { path: string })[] = [];
    for (const p of paths.filter((x) => POM.test(x))) {
      const pom = await loadPom(ctx, p, cache, issues);
      if (!pom) continue;
      const chain = [pom];
      // parents found in the tree by relativePath (default ../pom.xml), nearest first; a cycle or a mismatch stops the walk
      for (let cur = pom, pp = parentPath(pom); pp && ctx.has(pp) && chain.length < 10; ) {
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
    for (const p of paths.filter((x) => ARCHIVE.test(x))) {
      let buf: Buffer;
      try {
        buf = await ctx.read(p);
      } catch (err) {
        issues.push({ path: p, severity: 'warning', message: `cannot read: ${(err as Error).message}` });
        continue;
      }
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
  },
};
