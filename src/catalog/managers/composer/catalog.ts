// Composer capture: composer.lock (direct from composer.json beside it) and vendor/composer/installed.json; installed wins.
import type { Component, Issue } from '../../../model/index.ts';
import { beside } from '../../beside.ts';
import { fixEdges } from '../../edges.ts';
import { mergeComponents } from '../../merge.ts';
import { readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { parseComposerLock } from './parse-composer-lock.ts';
import { parseInstalledJson } from './parse-installed-json.ts';

/** require + require-dev names of a composer.json (lower case); undefined when it does not parse. */
function declaredNames(text: string): Set<string> | undefined {
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const out = new Set<string>();
    for (const k of ['require', 'require-dev']) {
      const r = doc?.[k];
      if (r && typeof r === 'object') for (const n of Object.keys(r)) out.add(n.toLowerCase());
    }
    return out;
  } catch {
    return undefined;
  }
}

/** installed.json files and lockfiles (each with the composer.json beside it), reconciled: installed wins. */
export async function catalog(files: MatchedFiles<'installed' | 'lockfile'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const installed: Component[] = [];
  const locked: Component[] = [];
  for (const p of files.paths) {
    const text = await readOrIssue(ctx, p, issues);
    if (text === undefined) continue;
    if (files.kindOf(p) === 'installed') {
      const r = parseInstalledJson(text, p);
      installed.push(...r.components);
      issues.push(...r.issues);
      continue;
    }
    const json = beside(p, 'composer.json');
    let declared: Set<string> | undefined;
    if (ctx.has(json)) {
      const t = await readOrIssue(ctx, json, issues);
      if (t !== undefined) declared = declaredNames(t);
    }
    const r = parseComposerLock(text, p, declared);
    locked.push(...r.components);
    issues.push(...r.issues);
  }
  const renamed = new Map<string, string>();
  const merged = mergeComponents(reconcile(installed, locked, issues, renamed));
  return { components: fixEdges(merged, renamed), issues };
}

/**
 * Installed wins: a locked package that is installed in another version is reported at the installed version
 * (a warning says so); when installed.json lists any locked package, locked packages it lacks are not shipped.
 */
function reconcile(installed: Component[], locked: Component[], issues: Issue[], renamed: Map<string, string>): Component[] {
  const inst = new Map<string, Component>();
  for (const c of installed) inst.set(c.name.toLowerCase(), c);
  const overlap = locked.some((l) => inst.has(l.name.toLowerCase()));
  const out = [...installed];
  for (const l of locked) {
    const i = inst.get(l.name.toLowerCase());
    if (!i) {
      if (!overlap) out.push(l);
      continue;
    }
    if (i.purl === l.purl) {
      out.push(l);
      continue;
    }
    const loc = l.locations[0];
    issues.push({
      path: loc.path,
      line: loc.line,
      severity: 'warning',
      message: `${l.name}: the lockfile says ${l.version} but ${i.version} is installed (${i.locations[0].path}): the installed version is reported`,
    });
    renamed.set(l.purl, i.purl);
    out.push({ ...l, name: i.name, version: i.version, purl: i.purl, hashes: [], locations: l.locations.map((x) => ({ ...x })) });
  }
  return out;
}
