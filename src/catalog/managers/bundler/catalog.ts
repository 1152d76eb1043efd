// Bundler capture: Gemfile.lock (scoped by the Gemfile beside it) and installed gemspecs; installed wins.
import type { Component, Issue } from '../../../model/index.ts';
import { beside } from '../../beside.ts';
import { fixEdges } from '../../edges.ts';
import { atInstalledVersion } from '../../installed-wins.ts';
import { mergeComponents } from '../../merge.ts';
import { readEachOrIssue, readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { foreignPlatform, gemComponent } from './package.ts';
import { gemfileGroups } from './parse-gemfile.ts';
import { gemfileLockComponents, parseGemfileLock, type GemSpec } from './parse-gemfile-lock.ts';
import { parseGemspec } from './parse-gemspec.ts';

/** Installed gemspecs and lockfiles (each with the Gemfile beside it), reconciled: installed wins. */
export async function catalog(files: MatchedFiles<'lockfile' | 'gemspec'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const installed: Component[] = [];
  for (const [p, text] of await readEachOrIssue(ctx, files.of.gemspec, issues)) {
    const r = parseGemspec(text, p);
    issues.push(...r.issues);
    if (r.gem) installed.push(gemComponent({ ...r.gem, location: { path: p, line: r.gem.line, source: 'installed' } }));
  }
  const locked: { spec: GemSpec; component: Component }[] = [];
  for (const p of files.of.lockfile) {
    const text = await readOrIssue(ctx, p, issues);
    if (text === undefined) continue;
    const lock = parseGemfileLock(text, p);
    issues.push(...lock.issues);
    const gemfile = [beside(p, 'Gemfile'), beside(p, 'gems.rb')].find((g) => ctx.has(g));
    let groups: Map<string, Set<string>> | undefined;
    if (gemfile) {
      const g = await readOrIssue(ctx, gemfile, issues);
      if (g !== undefined) groups = gemfileGroups(g);
    }
    const comps = gemfileLockComponents(lock, p, groups);
    lock.specs.forEach((spec, i) => locked.push({ spec, component: comps[i] }));
  }
  const renamed = new Map<string, string>();
  const merged = mergeComponents(reconcile(installed, locked, issues, renamed));
  return { components: fixEdges(merged, renamed), issues };
}

/**
 * Installed wins. With no installed gem the lockfile names, the lockfile stands, except platform variants a
 * Linux container never installs (`-java`, `-x64-mingw32`…) when a ruby or Linux variant of that version is
 * locked too. With installed gems: a locked gem not installed is not shipped; a locked version that differs
 * from the installed one is reported at the installed version (a warning says so).
 */
function reconcile(
  installed: Component[],
  locked: { spec: GemSpec; component: Component }[],
  issues: Issue[],
  renamed: Map<string, string>,
): Component[] {
  const inst = new Map<string, Component[]>();
  for (const c of installed) inst.set(c.name, [...(inst.get(c.name) ?? []), c]);
  const out = [...installed];
  const overlap = locked.some((l) => inst.has(l.spec.name));
  if (!overlap) {
    const native = new Set(locked.filter((l) => !foreignPlatform(l.spec.platform)).map((l) => `${l.spec.name}@${l.spec.version}`));
    for (const l of locked) {
      if (foreignPlatform(l.spec.platform) && native.has(`${l.spec.name}@${l.spec.version}`)) continue;
      out.push(l.component);
    }
    return out;
  }
  for (const { spec, component } of locked) {
    const list = inst.get(spec.name);
    if (!list) continue;
    if (list.some((c) => c.purl === component.purl)) {
      out.push(component);
      continue;
    }
    if (list.some((c) => c.version === spec.version)) continue; // another platform variant is the one installed
    out.push(atInstalledVersion(component, list[0], issues, renamed));
  }
  return out;
}
