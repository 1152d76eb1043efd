// poetry.lock (Poetry: legacy, lock-version 1.1 with [metadata.files], 2.0 and 2.1 with groups): PyPI packages.
import type { Component, Hash, Issue, Scope } from '../../../model/index.ts';
import { fromHex, purlFor } from '../../../model/index.ts';
import { mergeComponents } from '../../merge.ts';
import { normaliseName, pypiComponent } from './package.ts';
import type { DeclaredRoots } from './pyproject.ts';
import { scopesByReach } from '../../reach.ts';
import { asArray, asRecord, asString, entryLines, readToml } from './toml.ts';

type Pkg = LockedPackage;

export interface LockedPackage {
  name: string;
  /** PEP 503 normalised name */
  key: string;
  version: string;
  line: number;
  raw: Record<string, unknown>;
}

/** The `[[package]]` entries that have a name and a version (poetry.lock, pdm.lock); others are located warnings. */
export function lockedPackages(doc: Record<string, unknown>, lines: number[], file: string, issues: Issue[]): LockedPackage[] {
  const pkgs: LockedPackage[] = [];
  asArray(doc.package).forEach((raw, i) => {
    const r = asRecord(raw);
    const name = asString(r?.name);
    const version = asString(r?.version);
    if (!r || !name || !version) {
      issues.push({ path: file, line: lines[i], severity: 'warning', message: 'package entry without name or version: skipped' });
      return;
    }
    pkgs.push({ name, key: normaliseName(name), version, line: lines[i] ?? 1, raw: r });
  });
  return pkgs;
}

/**
 * Scope: 2.1 `groups` (has "main" → required, else dev); 1.x/legacy `category` (main/dev); 2.0 has neither,
 * so reachability from the pyproject roots decides (required > optional > dev), and what no root reaches,
 * or everything when there is no pyproject, is required. `optional = true` (extras-only) makes a required
 * package optional. Edges go to every locked version of a dependency's name.
 */
export function parsePoetryLock(text: string, file: string, roots?: DeclaredRoots): { components: Component[]; issues: Issue[] } {
  const { doc, issues } = readToml(text, file, 'package');
  const lines = entryLines(text, 'package');
  const pkgs = lockedPackages(doc, lines, file, issues);
  const byName = new Map<string, Pkg[]>();
  for (const p of pkgs) byName.set(p.key, [...(byName.get(p.key) ?? []), p]);
  const ids = (p: Pkg) => `${p.key}@${p.version}`;
  const edges = new Map<string, string[]>();
  for (const p of pkgs) {
    const deps = Object.keys(asRecord(p.raw.dependencies) ?? {}).map(normaliseName);
    edges.set(
      ids(p),
      deps.flatMap((d) => (byName.get(d) ?? []).map(ids)),
    );
  }
  let reach: Map<string, Scope> | undefined;
  if (roots) {
    const expand = (names: Set<string>) => [...names].flatMap((n) => (byName.get(n) ?? []).map(ids));
    reach = scopesByReach(edges, { required: expand(roots.required), optional: expand(roots.optional), dev: expand(roots.dev) });
  }
  const metaFiles = asRecord(asRecord(doc.metadata)?.files) ?? {};
  const metaByName = new Map<string, unknown[]>();
  for (const [n, list] of Object.entries(metaFiles)) metaByName.set(normaliseName(n), asArray(list));
  const declared = roots ? new Set([...roots.required, ...roots.optional, ...roots.dev]) : undefined;

  const components: Component[] = [];
  for (const p of pkgs) {
    let scope: Scope;
    const groups = asArray(p.raw.groups).filter((g): g is string => typeof g === 'string');
    const category = asString(p.raw.category);
    if (groups.length) scope = groups.includes('main') ? 'required' : 'dev';
    else if (category) scope = category === 'dev' ? 'dev' : 'required';
    else scope = reach?.get(ids(p)) ?? 'required';
    if (scope === 'required' && p.raw.optional === true) scope = 'optional';
    const files = p.raw.files !== undefined ? asArray(p.raw.files) : forVersion(metaByName.get(p.key) ?? [], p.version);
    components.push(
      pypiComponent({
        name: p.name,
        version: p.version,
        scope,
        hashes: hashesOf(files),
        location: { path: file, line: p.line, source: 'lockfile' },
        dependsOn: [...new Set((edges.get(ids(p)) ?? []).map((id) => purlOfId(id, byName)))].sort(),
        ...(declared ? { direct: declared.has(p.key) } : {}),
        ...sourceQualifiers(asRecord(p.raw.source)),
      }),
    );
  }
  // The same name and version locked twice (under different markers or sections) is one component.
  return { components: mergeComponents(components), issues };
}

function purlOfId(id: string, byName: Map<string, Pkg[]>): string {
  const at = id.lastIndexOf('@');
  const p = (byName.get(id.slice(0, at)) ?? []).find((x) => x.version === id.slice(at + 1));
  return purlFor('pypi', p?.name ?? id.slice(0, at), id.slice(at + 1), sourceQualifiers(asRecord(p?.raw.source)).qualifiers);
}

/** [metadata.files] lists every locked version's files under one name: keep this version's when told. */
function forVersion(files: unknown[], version: string): unknown[] {
  const mine = files.filter((f) => {
    const name = asString(asRecord(f)?.file);
    return name !== undefined && (name.includes(`-${version}-`) || name.includes(`-${version}.`));
  });
  return mine.length ? mine : files;
}

/** [{file, hash: 'sha256:…'}] or legacy ['sha256:…'] → hashes, deduplicated. */
export function hashesOf(files: unknown[]): Hash[] {
  const out: Hash[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const h = typeof f === 'string' ? fromHex(f) : fromHex(asString(asRecord(f)?.hash) ?? '');
    if (h && !seen.has(h.value)) {
      seen.add(h.value);
      out.push(h);
    }
  }
  return out;
}

/** [package.source] type git → vcs_url 'git+<url>@<resolved_reference>'; type url → download_url. */
function sourceQualifiers(source: Record<string, unknown> | undefined): { qualifiers?: Record<string, string> } {
  const url = asString(source?.url);
  if (!url) return {};
  if (source?.type === 'git') {
    const ref = asString(source.resolved_reference) ?? asString(source.reference);
    return { qualifiers: { vcs_url: `git+${url}${ref ? `@${ref}` : ''}` } };
  }
  if (source?.type === 'url') return { qualifiers: { download_url: url } };
  return {};
}
