// Composer capture: composer.lock (direct from composer.json beside it) and vendor/composer/installed.json; installed wins.
import type { Component, Issue } from '../../../model/index.ts';
import { beside } from '../../beside.ts';
import { fixEdges } from '../../edges.ts';
import { installedWins, type InstalledWinsRule } from '../../installed-wins.ts';
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
  const merged = mergeComponents(installedWins(installed, locked, COMPOSER_RULE, issues, renamed));
  return { components: fixEdges(merged, renamed), issues };
}

/** Installed wins (src/catalog/installed-wins.ts); Composer names are case-insensitive, a package agrees by its purl. */
const COMPOSER_RULE: InstalledWinsRule = {
  key: (name) => name.toLowerCase(),
  agree: (locked, installed) => (locked.purl === installed.purl ? locked : undefined),
};
