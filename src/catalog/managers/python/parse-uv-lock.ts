// uv.lock (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile), version 1 with or without revision.
import type { Component, Issue, Scope } from '../../../model/index.ts';
import { purlFor } from '../../../model/index.ts';
import { mergeComponents } from '../../merge.ts';
import { mayApplyOnLinux } from './markers.ts';
import { normaliseName, pypiComponent } from './package.ts';
import { hashesOf } from './parse-poetry-lock.ts';
import { scopesByReach } from '../../reach.ts';
import { asArray, asRecord, asString, entryLines, readToml } from './toml.ts';

interface Pkg {
  name: string;
  key: string;
  version: string;
  line: number;
  raw: Record<string, unknown>;
  self: boolean;
}

interface Dep {
  name: string;
  version?: string;
  marker?: string;
}

function depsOf(list: unknown): Dep[] {
  const out: Dep[] = [];
  for (const d of asArray(list)) {
    const r = asRecord(d);
    const name = asString(r?.name);
    if (name)
      out.push({
        name,
        ...(asString(r?.version) ? { version: asString(r?.version) } : {}),
        ...(asString(r?.marker) ? { marker: asString(r?.marker) } : {}),
      });
  }
  return out;
}

/**
 * Editable and virtual sources are the project (or a workspace member) itself: not a component, but their
 * `dependencies` are required roots, `optional-dependencies` optional roots and `dev-dependencies` dev roots.
 * A package no root reaches is kept as required. Hashes: sdist and wheels. Edges follow `dependencies`
 * (and optional-dependencies) by name, or name and version when uv writes one.
 */
export function parseUvLock(text: string, file: string): { components: Component[]; issues: Issue[] } {
  const { doc, issues } = readToml(text, file, 'package');
  const lines = entryLines(text, 'package');
  const pkgs: Pkg[] = [];
  asArray(doc.package).forEach((raw, i) => {
    const r = asRecord(raw);
    const name = asString(r?.name);
    const source = asRecord(r?.source) ?? {};
    const self = 'editable' in source || 'virtual' in source;
    const version = asString(r?.version) ?? '';
    if (!r || !name || (!version && !self)) {
      issues.push({ path: file, line: lines[i], severity: 'warning', message: 'package entry without name or version: skipped' });
      return;
    }
    pkgs.push({ name, key: normaliseName(name), version, line: lines[i] ?? 1, raw: r, self });
  });
  const byName = new Map<string, Pkg[]>();
  for (const p of pkgs) byName.set(p.key, [...(byName.get(p.key) ?? []), p]);
  const id = (p: Pkg) => `${p.key}@${p.version}`;
  const resolve = (d: Dep): Pkg[] => {
    const all = byName.get(normaliseName(d.name)) ?? [];
    return d.version ? all.filter((p) => p.version === d.version) : all;
  };
  const edges = new Map<string, string[]>();
  const roots = { required: [] as string[], optional: [] as string[], dev: [] as string[] };
  const selfDeps = new Set<string>();
  for (const p of pkgs) {
    const runtime = depsOf(p.raw.dependencies).filter((d) => mayApplyOnLinux(d.marker));
    const extras = Object.values(asRecord(p.raw['optional-dependencies']) ?? {}).flatMap(depsOf);
    const dev = Object.values(asRecord(p.raw['dev-dependencies']) ?? {}).flatMap(depsOf);
    edges.set(id(p), [...runtime, ...extras].flatMap(resolve).map(id));
    if (p.self) {
      roots.required.push(...runtime.flatMap(resolve).map(id));
      roots.optional.push(...extras.flatMap(resolve).map(id));
      roots.dev.push(...dev.flatMap(resolve).map(id));
      for (const d of [...runtime, ...extras, ...dev]) selfDeps.add(normaliseName(d.name));
    }
  }
  // A project's optional extras are reached from it only through optional-dependencies.
  const scopes = scopesByReach(edges, roots);
  const components: Component[] = [];
  for (const p of pkgs) {
    if (p.self) continue;
    const scope: Scope = scopes.get(id(p)) ?? 'required';
    const hashes = hashesOf([asRecord(p.raw.sdist), ...asArray(p.raw.wheels)].filter(Boolean));
    components.push(
      pypiComponent({
        name: p.name,
        version: p.version,
        scope,
        hashes,
        location: { path: file, line: p.line, source: 'lockfile' },
        dependsOn: [...new Set((edges.get(id(p)) ?? []).map((i) => purlOfId(i, byName)))].sort(),
        direct: selfDeps.has(p.key),
        ...sourceQualifiers(asRecord(p.raw.source)),
      }),
    );
  }
  // The same name and version locked twice (under different markers or sections) is one component.
  return { components: mergeComponents(components), issues };
}

function purlOfId(i: string, byName: Map<string, Pkg[]>): string {
  const at = i.lastIndexOf('@');
  const p = (byName.get(i.slice(0, at)) ?? []).find((x) => x.version === i.slice(at + 1));
  return purlFor('pypi', p?.name ?? i.slice(0, at), i.slice(at + 1), p ? sourceQualifiers(asRecord(p.raw.source)).qualifiers : undefined);
}

/** source = { git = "https://…/repo?rev=x#<sha>" } → vcs_url 'git+https://…/repo@<sha>'; { url = … } → download_url. */
function sourceQualifiers(source: Record<string, unknown> | undefined): { qualifiers?: Record<string, string> } {
  const git = asString(source?.git);
  if (git) {
    const [base, sha] = git.split('#');
    return { qualifiers: { vcs_url: `git+${base.split('?')[0]}${sha ? `@${sha}` : ''}` } };
  }
  const url = asString(source?.url);
  return url ? { qualifiers: { download_url: url } } : {};
}
