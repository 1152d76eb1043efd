// Maven POM 4.0.0 (https://maven.apache.org/pom.html): dependencies, properties, parent chain and dependencyManagement, read offline.
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Component, Issue, Scope } from '../../../model/index.ts';
import { makeComponent } from '../../../model/index.ts';

export interface PomDependency {
  groupId?: string;
  artifactId?: string;
  version?: string;
  scope?: string;
  type?: string;
  classifier?: string;
  optional?: string;
  /** 1-based line of `<dependency>` */
  line?: number;
}

export interface Pom {
  path: string;
  groupId?: string;
  artifactId?: string;
  version?: string;
  parent?: { groupId?: string; artifactId?: string; version?: string; relativePath?: string };
  properties: Record<string, string>;
  dependencies: PomDependency[];
  managed: PomDependency[];
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // versions such as 1.10 must stay strings
  trimValues: true,
  removeNSPrefix: true,
  isArray: (name) => name === 'dependency',
});

type Node = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});

function deps(list: unknown): PomDependency[] {
  const arr = Array.isArray(list) ? list : [];
  return arr.map((d) => {
    const o = obj(d);
    const out: PomDependency = {};
    for (const k of ['groupId', 'artifactId', 'version', 'scope', 'type', 'classifier', 'optional'] as const) {
      const v = str(o[k]);
      if (v !== undefined) out[k] = v;
    }
    return out;
  });
}

/** Lines of the project's own `<dependency>` elements: those outside dependencyManagement, build (plugins), profiles and reporting. */
function dependencyLines(text: string): number[] {
  // blank out comments (same length, newlines kept) so commented-out dependencies do not count
  const clean = text.replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
  const skip: [number, number][] = [];
  for (const m of clean.matchAll(/<(dependencyManagement|build|profiles|reporting)\b[^>]*>[\s\S]*?<\/\1>/g))
    skip.push([m.index!, m.index! + m[0].length]);
  const out: number[] = [];
  let line = 1;
  let last = 0;
  for (const m of clean.matchAll(/<dependency>/g)) {
    const at = m.index!;
    if (skip.some(([a, b]) => at >= a && at < b)) continue;
    for (let i = last; i < at; i++) if (clean.charCodeAt(i) === 10) line++;
    last = at;
    out.push(line);
  }
  return out;
}

/** Parses one pom.xml; undefined with an error Issue when it is not well-formed XML or not a `<project>`. */
export function parsePom(text: string, file: string): { pom?: Pom; issues: Issue[] } {
  let doc: Node;
  try {
    doc = xml.parse(text, true) as Node;
  } catch (err) {
    const e = err as { message?: string; line?: number };
    const m = /Line:?\s*(\d+)/i.exec(e.message ?? '');
    return {
      issues: [
        {
          path: file,
          ...(m ? { line: Number(m[1]) } : {}),
          severity: 'error',
          message: `not well-formed XML: ${(e.message ?? '').split('\n')[0]}`,
        },
      ],
    };
  }
  const p = obj(doc.project);
  if (!doc.project) return { issues: [{ path: file, line: 1, severity: 'error', message: 'no <project> element: not a pom.xml' }] };
  const parent = doc.project && p.parent !== undefined ? obj(p.parent) : undefined;
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(p.properties))) {
    const s = str(v);
    properties[k] = s ?? '';
  }
  const dependencies = deps(obj(p.dependencies).dependency);
  const lines = dependencyLines(text);
  if (lines.length === dependencies.length) dependencies.forEach((d, i) => (d.line = lines[i]));
  const pom: Pom = {
    path: file,
    properties,
    dependencies,
    managed: deps(obj(obj(p.dependencyManagement).dependencies).dependency),
  };
  for (const k of ['groupId', 'artifactId', 'version'] as const) {
    const v = str(p[k]);
    if (v) pom[k] = v;
  }
  if (parent) {
    pom.parent = {};
    for (const k of ['groupId', 'artifactId', 'version', 'relativePath'] as const) {
      const v = str(parent[k]);
      if (v !== undefined) pom.parent[k] = v;
    }
    // `<relativePath/>` parses as '' : the parent is looked up in a repository only
    if (parent.relativePath !== undefined && pom.parent.relativePath === undefined) pom.parent.relativePath = '';
  }
  return { pom, issues: [] };
}

/** Where Maven looks for the parent in the tree: relativePath (a file or a directory), default ../pom.xml. */
export function parentPath(pom: Pom): string | undefined {
  const rel = pom.parent?.relativePath;
  if (!pom.parent || rel === '') return undefined;
  let p = path.posix.join(path.posix.dirname(pom.path), rel ?? '../pom.xml');
  if (!p.endsWith('.xml')) p = path.posix.join(p, 'pom.xml');
  return p.startsWith('../') || p === '..' ? undefined : p;
}

/** Replaces `${name}` from the lookup, recursively, with a cycle and depth guard; unknown names stay as written. */
export function interpolate(value: string, lookup: (name: string) => string | undefined): string {
  const walk = (v: string, seen: Set<string>): string =>
    v.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      if (seen.has(name) || seen.size > 20) return whole;
      const r = lookup(name);
      return r === undefined ? whole : walk(r, new Set([...seen, name]));
    });
  return walk(value, new Set());
}

/** compile/runtime ship; provided/system are supplied by the container or the platform (kept, optional); test is dev. */
export function mavenScope(scope: string | undefined, optional: string | undefined): Scope {
  const s = (scope ?? 'compile').trim();
  if (s === 'test') return 'dev';
  if (s === 'provided' || s === 'system' || optional?.trim() === 'true') return 'optional';
  return 'required';
}

/**
 * The effective dependencies of a pom: properties and dependencyManagement from the pom and its parents in the tree
 * (nearest first), `${…}` resolved. A dependency whose version cannot be known offline (a parent or imported BOM
 * outside the tree) is reported as a warning and skipped: a component needs a version.
 */
export interface Effective {
  components: Component[];
  issues: Issue[];
  /** dependencies whose version is unknown offline, with the warning to report unless a shipped archive names them */
  unresolved: { name: string; line?: number; direct: true; scope: Scope; issue: Issue }[];
}

export function effectiveDependencies(chain: Pom[], includeDev: boolean): Effective {
  const pom = chain[0];
  const issues: Issue[] = [];
  const inherited = (k: 'groupId' | 'version') => pom[k] ?? pom.parent?.[k];
  const builtins: Record<string, string | undefined> = {
    'project.groupId': inherited('groupId'),
    'project.artifactId': pom.artifactId,
    'project.version': inherited('version'),
    'project.parent.groupId': pom.parent?.groupId,
    'project.parent.artifactId': pom.parent?.artifactId,
    'project.parent.version': pom.parent?.version,
    'pom.version': inherited('version'),
    'pom.groupId': inherited('groupId'),
    version: inherited('version'),
    groupId: inherited('groupId'),
    'parent.version': pom.parent?.version,
  };
  const lookup = (name: string): string | undefined => {
    for (const p of chain) if (Object.hasOwn(p.properties, name)) return p.properties[name];
    return builtins[name];
  };
  const I = (v: string | undefined) => (v === undefined ? undefined : interpolate(v, lookup));
  const managed = new Map<string, PomDependency>();
  for (const p of chain)
    for (const m of p.managed) {
      const key = `${I(m.groupId)}:${I(m.artifactId)}:${I(m.type) ?? 'jar'}:${I(m.classifier) ?? ''}`;
      if (!managed.has(key)) managed.set(key, m);
    }
  const imports = chain
    .flatMap((p) => p.managed)
    .filter((m) => I(m.scope) === 'import')
    .map((m) => `${I(m.groupId)}:${I(m.artifactId)}`);
  const components: Component[] = [];
  const unresolved: Effective['unresolved'] = [];
  const seen = new Set<string>();
  for (const d of pom.dependencies) {
    const groupId = I(d.groupId);
    const artifactId = I(d.artifactId);
    const type = I(d.type) ?? 'jar';
    const classifier = I(d.classifier);
    const loc = { path: pom.path, ...(d.line ? { line: d.line } : {}) };
    if (!groupId || !artifactId || groupId.includes('${') || artifactId.includes('${')) {
      issues.push({ ...loc, severity: 'warning', message: `dependency without a resolvable groupId/artifactId: ${groupId}:${artifactId}` });
      continue;
    }
    const m = managed.get(`${groupId}:${artifactId}:${type}:${classifier ?? ''}`);
    const version = I(d.version) ?? I(m?.version);
    const scope = mavenScope(I(d.scope) ?? I(m?.scope), I(d.optional) ?? I(m?.optional));
    if (scope === 'dev' && !includeDev) continue;
    if (!version || version.includes('${')) {
      const why = version
        ? `version ${version} refers to a property not defined in the tree`
        : pom.parent && !chain.some((p) => p !== pom && p.artifactId === pom.parent?.artifactId)
          ? `version comes from parent ${pom.parent.groupId}:${pom.parent.artifactId}:${pom.parent.version}, which is not in the tree`
          : imports.length
            ? `version comes from an imported BOM (${imports.join(', ')}), not resolvable offline`
            : 'no version and no dependencyManagement entry';
      const issue: Issue = { ...loc, severity: 'warning', message: `${groupId}:${artifactId}: ${why}; not reported` };
      unresolved.push({ name: `${groupId}:${artifactId}`, ...(d.line ? { line: d.line } : {}), direct: true, scope, issue });
      continue;
    }
    const qualifiers: Record<string, string> = {};
    if (type !== 'jar') qualifiers.type = type;
    if (classifier) qualifiers.classifier = classifier;
    const c = makeComponent({
      ecosystem: 'maven',
      name: `${groupId}:${artifactId}`,
      version,
      location: { ...loc, source: 'manifest' },
      scope,
      direct: true,
      qualifiers,
    });
    if (seen.has(c.purl)) continue;
    seen.add(c.purl);
    components.push(c);
  }
  return { components, issues, unresolved };
}
