// NuGet capture: packages.lock.json files and published apps' *.deps.json; what a published app ships wins.
import type { Component } from '../../../model/index.ts';
import { readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { parseDepsJson } from './parse-deps-json.ts';
import { parsePackagesLock } from './parse-packages-lock.ts';

export async function catalog(files: MatchedFiles<'lock' | 'deps'>, ctx: ScanContext): Promise<ParseResult> {
  const out: ParseResult = { components: [], issues: [] };
  const locked: Component[] = [];
  const installed: Component[] = [];
  for (const path of files.paths) {
    const text = await readOrIssue(ctx, path, out.issues);
    if (text === undefined) continue;
    const lock = files.kindOf(path) === 'lock';
    const r = lock ? parsePackagesLock(text, path) : parseDepsJson(text, path);
    (lock ? locked : installed).push(...r.components);
    out.issues.push(...r.issues);
  }
  // what a published app ships (deps.json) wins over what a lock file says; the lock's location is kept as evidence
  const shipped = new Map<string, Component>();
  for (const c of installed) {
    const k = c.name.toLowerCase();
    if (!shipped.has(k)) shipped.set(k, c);
  }
  for (const c of locked) {
    const s = installed.length ? shipped.get(c.name.toLowerCase()) : undefined;
    if (s) s.locations.push(...c.locations);
    else out.components.push(c);
  }
  out.components.push(...installed);
  return out;
}
