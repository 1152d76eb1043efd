// composer.lock (https://getcomposer.org/doc/01-basic-usage.md#commit-your-composer-lock-file-to-version-control): packages and packages-dev.
import type { Component, Issue } from '../../../model/index.ts';
import { LineIndex } from '../../line-index.ts';
import { composerComponent, composerPurl, NameCursor, requiredNames, type ComposerPackage } from './package.ts';
import { jsonError } from './json.ts';

/**
 * `packages` are required, `packages-dev` dev. Edges: `require` entries that are packages of the same lock.
 * `direct` is set from the composer.json beside it when given (its require and require-dev names).
 */
export function parseComposerLock(
  text: string,
  file: string,
  declared?: ReadonlySet<string>,
): { components: Component[]; issues: Issue[] } {
  const issues: Issue[] = [];
  let doc: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level is not an object');
    doc = parsed as Record<string, unknown>;
  } catch (err) {
    return { components: [], issues: [jsonError(text, file, err)] };
  }
  return { components: packageList(doc, text, file, issues, declared), issues };
}

export function packageList(
  doc: Record<string, unknown>,
  text: string,
  file: string,
  issues: Issue[],
  declared: ReadonlySet<string> | undefined,
  source: 'lockfile' | 'installed' = 'lockfile',
  devNames?: ReadonlySet<string>,
): Component[] {
  const lines = new LineIndex(text);
  const cursor = new NameCursor(text);
  const sections: [string, 'required' | 'dev'][] = [
    ['packages', 'required'],
    ['packages-dev', 'dev'],
  ];
  const entries: { p: ComposerPackage; scope: 'required' | 'dev'; line?: number }[] = [];
  for (const [key, scope] of sections) {
    const list = doc[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      issues.push({ path: file, severity: 'warning', message: `"${key}" is not an array: skipped` });
      continue;
    }
    for (const raw of list) {
      const p = (raw && typeof raw === 'object' ? raw : {}) as ComposerPackage;
      const at = typeof p.name === 'string' ? cursor.next(p.name) : undefined;
      const s = devNames && typeof p.name === 'string' && devNames.has(p.name.toLowerCase()) ? 'dev' : scope;
      entries.push({ p, scope: s, ...(at !== undefined ? { line: lines.lineAt(at) } : {}) });
    }
  }
  const known = new Map<string, string>();
  for (const { p } of entries)
    if (typeof p.name === 'string' && typeof p.version === 'string') known.set(p.name.toLowerCase(), composerPurl(p.name, p.version));
  const out: Component[] = [];
  for (const { p, scope, line } of entries) {
    const deps = requiredNames(p).flatMap((n) => (known.has(n) ? [known.get(n) as string] : []));
    const direct = declared && typeof p.name === 'string' ? declared.has(p.name.toLowerCase()) : undefined;
    const c = composerComponent(p, { path: file, ...(line ? { line } : {}), source }, scope, [...new Set(deps)].sort(), direct);
    if (c) out.push(c);
    else
      issues.push({
        path: file,
        ...(line ? { line } : {}),
        severity: 'warning',
        message: 'package entry without name or version: skipped',
      });
  }
  return out;
}
