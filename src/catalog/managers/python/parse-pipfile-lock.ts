// Pipfile.lock (pipenv, pipfile-spec 6: https://github.com/pypa/pipfile): `default` is required, `develop` is dev.
import type { Component, Hash, Issue } from '../../../model/index.ts';
import { fromHex } from '../../../model/index.ts';
import { mergeComponents } from '../../merge.ts';
import { mayApplyOnLinux } from './markers.ts';
import { jsonErrorLine } from '../../line-index.ts';
import { lineIndex, normaliseName, pypiComponent } from './package.ts';
import { asRecord, asString } from './toml.ts';

export interface PipfileLockResult {
  components: Component[];
  issues: Issue[];
}

/**
 * `declared` holds the PEP 503 names the Pipfile lists (they become direct). Entries pinned with
 * `"version": "==x"` get x; VCS entries get their `ref` as version and a vcs_url qualifier; an editable
 * or path entry is the project itself (no component); an entry whose marker is false on Linux is not shipped.
 */
export function parsePipfileLock(text: string, file: string, declared?: ReadonlySet<string>): PipfileLockResult {
  const issues: Issue[] = [];
  const components: Component[] = [];
  let doc: Record<string, unknown> | undefined;
  try {
    doc = asRecord(JSON.parse(text));
  } catch (err) {
    const line = jsonErrorLine(text, err);
    issues.push({ path: file, ...(line ? { line } : {}), severity: 'error', message: `invalid JSON: ${(err as Error).message}` });
    return { components, issues };
  }
  if (!doc) {
    issues.push({ path: file, line: 1, severity: 'error', message: 'not a Pipfile.lock: the top level is not an object' });
    return { components, issues };
  }
  const lineOf = lineIndex(text);
  for (const [section, scope] of [
    ['default', 'required'],
    ['develop', 'dev'],
  ] as const) {
    const entries = asRecord(doc[section]);
    if (!entries) continue;
    let cursor = Math.max(0, text.indexOf(`"${section}"`));
    for (const [name, raw] of Object.entries(entries)) {
      const at = text.indexOf(JSON.stringify(name), cursor);
      if (at >= 0) cursor = at;
      const line = lineOf(cursor);
      const e = asRecord(raw);
      if (!e) {
        issues.push({ path: file, line, severity: 'warning', message: `${section}.${name}: not an object: skipped` });
        continue;
      }
      if (!mayApplyOnLinux(asString(e.markers))) continue;
      const git = asString(e.git);
      const pinned = asString(e.version)?.replace(/^===?/, '');
      if (!pinned && !git && (e.editable || e.path || e.file)) continue;
      const version = pinned ?? asString(e.ref) ?? '';
      const hashes: Hash[] = [];
      for (const h of Array.isArray(e.hashes) ? e.hashes : []) {
        const parsed = typeof h === 'string' ? fromHex(h) : undefined;
        if (parsed) hashes.push(parsed);
      }
      components.push(
        pypiComponent({
          name,
          version,
          scope,
          hashes,
          location: { path: file, line, source: 'lockfile' },
          ...(declared ? { direct: declared.has(normaliseName(name)) } : {}),
          ...(git ? { qualifiers: { vcs_url: `git+${git.replace(/^git\+/, '')}${e.ref ? `@${String(e.ref)}` : ''}` } } : {}),
        }),
      );
    }
  }
  // The same name and version locked twice (under different markers or sections) is one component.
  return { components: mergeComponents(components), issues };
}
