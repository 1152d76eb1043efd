// NuGet packages.lock.json (https://devblogs.microsoft.com/nuget/enable-repeatable-package-restores-using-a-lock-file/), versions 1 and 2.
import type { Component, Hash, Issue } from '../../../model/index.ts';
import { makeComponent } from '../../../model/index.ts';
import { LineIndex, jsonErrorLine } from '../../line-index.ts';
import { findKey } from './json-lines.ts';

interface LockEntry {
  type?: string;
  resolved?: string;
  contentHash?: string;
  dependencies?: Record<string, string>;
}

/** contentHash is the base64 SHA-512 of the .nupkg. */
export function contentHashToHex(b64: string | undefined): Hash[] {
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return [];
  const buf = Buffer.from(b64, 'base64');
  return buf.length === 64 ? [{ alg: 'SHA-512', value: buf.toString('hex') }] : [];
}

const SHIPPED = new Set(['Direct', 'Transitive', 'CentralTransitive']);

/**
 * Every target framework section (and its RID-specific variants like `net6.0/linux-x64`) is merged: one component
 * per name@version. `Project` entries are the app's own projects and are not reported.
 */
export function parsePackagesLock(text: string, path: string): { components: Component[]; issues: Issue[] } {
  const issues: Issue[] = [];
  let doc: { version?: number; dependencies?: Record<string, Record<string, LockEntry>> };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const line = jsonErrorLine(text, err);
    const issue: Issue = { path, ...(line ? { line } : {}), severity: 'error', message: `invalid JSON: ${(err as Error).message}` };
    return { components: salvage(text, path), issues: [issue] };
  }
  if (!doc || typeof doc !== 'object' || typeof doc.dependencies !== 'object' || doc.dependencies === null) {
    return {
      components: [],
      issues: [{ path, line: 1, severity: 'error', message: 'no "dependencies" object: not a packages.lock.json' }],
    };
  }
  if (doc.version !== 1 && doc.version !== 2)
    issues.push({ path, line: 1, severity: 'warning', message: `unknown lock file version ${String(doc.version)}` });
  const lines = new LineIndex(text);
  const byKey = new Map<string, Component>();
  const edges = new Map<Component, Set<string>>();
  let cursor = findKey(text, 'dependencies', 0);
  for (const [tfm, section] of Object.entries(doc.dependencies)) {
    if (!section || typeof section !== 'object') continue;
    cursor = Math.max(cursor, findKey(text, tfm, cursor));
    // NuGet ids are case-insensitive: dependency maps may spell them differently from the entry key
    const resolvedByName = new Map<string, string>();
    for (const [name, e] of Object.entries(section))
      if (e && typeof e.resolved === 'string') resolvedByName.set(name.toLowerCase(), `${name}@${e.resolved}`);
    for (const [name, e] of Object.entries(section)) {
      const at = findKey(text, name, cursor);
      if (at >= 0) cursor = at;
      const line = at >= 0 ? lines.lineAt(at) : undefined;
      if (!e || typeof e !== 'object') {
        issues.push({ path, ...(line ? { line } : {}), severity: 'warning', message: `${tfm}: entry ${name} is not an object` });
        continue;
      }
      if (e.type === 'Project') continue;
      if (!SHIPPED.has(e.type ?? '')) {
        issues.push({
          path,
          ...(line ? { line } : {}),
          severity: 'warning',
          message: `${tfm}: ${name} has unknown type ${String(e.type)}`,
        });
        if (!e.resolved) continue;
      }
      if (typeof e.resolved !== 'string' || !e.resolved) {
        issues.push({ path, ...(line ? { line } : {}), severity: 'warning', message: `${tfm}: ${name} has no resolved version` });
        continue;
      }
      const key = `${name}@${e.resolved}`;
      let c = byKey.get(key);
      if (!c) {
        c = makeComponent({
          ecosystem: 'nuget',
          name,
          version: e.resolved,
          location: { path, ...(line ? { line } : {}), source: 'lockfile' },
          hashes: contentHashToHex(e.contentHash),
          direct: e.type === 'Direct',
        });
        byKey.set(key, c);
        edges.set(c, new Set());
      } else if (e.type === 'Direct') c.direct = true;
      for (const dep of Object.keys(e.dependencies ?? {})) {
        const k = resolvedByName.get(dep.toLowerCase());
        if (k) edges.get(c)!.add(k);
      }
    }
  }
  for (const [c, keys] of edges) {
    c.dependsOn = [...keys]
      .map((k) => byKey.get(k)?.purl)
      .filter((p): p is string => !!p)
      .sort();
  }
  return { components: [...byKey.values()], issues };
}

/**
 * A truncated or broken lock file still names its entries in NuGet's fixed layout:
 * `"Newtonsoft.Json": {\n "type": "Direct",\n "requested": "[13.0.1, )",\n "resolved": "13.0.1",\n "contentHash": "…"`
 * → Newtonsoft.Json 13.0.1. Used only when JSON.parse fails, so the entries before the damage are still reported.
 */
function salvage(text: string, path: string): Component[] {
  const lines = new LineIndex(text);
  const out = new Map<string, Component>();
  const re =
    /"([^"\n]+)":\s*\{\s*"type":\s*"(Direct|Transitive|CentralTransitive)",\s*(?:"requested":\s*"[^"\n]*",\s*)?"resolved":\s*"([^"\n]+)"(?:,\s*"contentHash":\s*"([A-Za-z0-9+/=]+)")?/g;
  for (const m of text.matchAll(re)) {
    const key = `${m[1]}@${m[3]}`;
    if (out.has(key)) continue;
    out.set(
      key,
      makeComponent({
        ecosystem: 'nuget',
        name: m[1],
        version: m[3],
        location: { path, line: lines.lineAt(m.index!), source: 'lockfile' },
        hashes: contentHashToHex(m[4]),
        direct: m[2] === 'Direct',
      }),
    );
  }
  return [...out.values()];
}
