// pdm.lock (PDM lock_version 4.x): [[package]] with PEP 508 dependencies; hashes in `files` or [metadata.files].
import type { Component, Issue, Scope } from '../../../model/index.ts';
import { mergeComponents } from '../../merge.ts';
import { normaliseName, pypiComponent, purlOfPypi } from './package.ts';
import { hashesOf, lockedPackages } from './parse-poetry-lock.ts';
import type { DeclaredRoots } from './pyproject.ts';
import { scopesByReach } from '../../reach.ts';
import { asArray, asRecord, entryLines, readToml } from './toml.ts';

/**
 * One component per name@version (an `extras = [...]` entry of the same package merges into it). Scope: 4.5
 * `groups` (has "default" → required, else dev); 4.1 has none, so reachability from the pyproject roots
 * decides and an unreached package is required. Edges: dependency names resolved to the locked versions.
 */
export function parsePdmLock(text: string, file: string, roots?: DeclaredRoots): { components: Component[]; issues: Issue[] } {
  const { doc, issues } = readToml(text, file, 'package');
  const lines = entryLines(text, 'package');
  const metaFiles = asRecord(asRecord(doc.metadata)?.files) ?? {};
  const pkgs = lockedPackages(doc, lines, file, issues);
  const versionOf = new Map(pkgs.map((p) => [p.key, p]));
  const edges = new Map<string, string[]>();
  for (const p of pkgs) {
    const deps = asArray(p.raw.dependencies).flatMap((d) => {
      const m = typeof d === 'string' ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(d) : null;
      return m && versionOf.has(normaliseName(m[1])) ? [normaliseName(m[1])] : [];
    });
    edges.set(
      p.key,
      [...new Set([...(edges.get(p.key) ?? []), ...deps])].filter((d) => d !== p.key),
    );
  }
  const reach = roots ? scopesByReach(edges, roots) : undefined;
  const components = pkgs.map((p) => {
    const groups = asArray(p.raw.groups).filter((g): g is string => typeof g === 'string');
    const scope: Scope = groups.length ? (groups.includes('default') ? 'required' : 'dev') : (reach?.get(p.key) ?? 'required');
    const files = p.raw.files !== undefined ? asArray(p.raw.files) : asArray(metaFiles[`${p.name} ${p.version}`]);
    return pypiComponent({
      name: p.name,
      version: p.version,
      scope,
      hashes: hashesOf(files),
      location: { path: file, line: p.line, source: 'lockfile' },
      dependsOn: (edges.get(p.key) ?? []).map((k) => purlOfPypi(versionOf.get(k)!.name, versionOf.get(k)!.version)).sort(),
      ...(roots ? { direct: roots.required.has(p.key) || roots.optional.has(p.key) || roots.dev.has(p.key) } : {}),
    });
  });
  return { components: mergeComponents(components), issues };
}
