// .NET `<app>.deps.json` written by `dotnet publish` (https://github.com/dotnet/sdk/blob/main/documentation/specs/runtime-configuration-file.md).
import type { Component, Issue } from '../../../model/index.ts';
import { fromIntegrity, makeComponent } from '../../../model/index.ts';
import { LineIndex } from '../../line-index.ts';
import { findKey } from './json-lines.ts';
import { jsonErrorLine } from '../../line-index.ts';

interface Library {
  type?: string;
  sha512?: string;
}
interface TargetEntry {
  dependencies?: Record<string, string>;
}
interface DepsJson {
  runtimeTarget?: { name?: string };
  targets?: Record<string, Record<string, TargetEntry>>;
  libraries?: Record<string, Library>;
}

/** `Newtonsoft.Json/13.0.1` → [Newtonsoft.Json, 13.0.1] (names never contain '/', versions never do). */
function splitKey(key: string): [string, string] | undefined {
  const i = key.lastIndexOf('/');
  return i > 0 && i < key.length - 1 ? [key.slice(0, i), key.slice(i + 1)] : undefined;
}

/**
 * `libraries` entries of type `package` (and `runtimepack`, the runtime a self-contained app carries) are components;
 * type `project` is the app itself and its project references, `reference` is an assembly reference: not reported.
 * Edges and `direct` come from the runtime target in `targets`.
 */
export function parseDepsJson(text: string, path: string): { components: Component[]; issues: Issue[] } {
  let doc: DepsJson;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const line = jsonErrorLine(text, err);
    return {
      components: [],
      issues: [{ path, ...(line ? { line } : {}), severity: 'error', message: `invalid JSON: ${(err as Error).message}` }],
    };
  }
  if (!doc || typeof doc !== 'object' || !doc.libraries || typeof doc.libraries !== 'object') {
    return { components: [], issues: [{ path, line: 1, severity: 'error', message: 'no "libraries" object: not a .deps.json' }] };
  }
  const issues: Issue[] = [];
  const lines = new LineIndex(text);
  const targets = doc.targets ?? {};
  const targetName = doc.runtimeTarget?.name && targets[doc.runtimeTarget.name] ? doc.runtimeTarget.name : Object.keys(targets)[0];
  const target = (targetName && targets[targetName]) || {};
  const byKey = new Map<string, Component>();
  const projects: string[] = [];
  let cursor = findKey(text, 'libraries', 0);
  for (const [key, lib] of Object.entries(doc.libraries)) {
    const at = findKey(text, key, Math.max(cursor, 0));
    if (at >= 0) cursor = at;
    const line = at >= 0 ? lines.lineAt(at) : undefined;
    const nv = splitKey(key);
    if (!nv || !lib || typeof lib !== 'object') {
      issues.push({ path, ...(line ? { line } : {}), severity: 'warning', message: `library "${key}" is not name/version` });
      continue;
    }
    if (lib.type === 'project') {
      projects.push(key);
      continue;
    }
    if (lib.type !== 'package' && lib.type !== 'runtimepack') continue;
    byKey.set(
      key.toLowerCase(),
      makeComponent({
        ecosystem: 'nuget',
        name: nv[0],
        version: nv[1],
        location: { path, ...(line ? { line } : {}), source: 'installed' },
        hashes: fromIntegrity(lib.sha512),
        direct: false,
      }),
    );
  }
  const keyOf = (name: string, version: string) => `${name}/${version}`.toLowerCase();
  for (const [key, entry] of Object.entries(target)) {
    const deps = Object.entries(entry?.dependencies ?? {})
      .map(([n, v]) => byKey.get(keyOf(n, v)))
      .filter((c): c is Component => !!c);
    const self = byKey.get(key.toLowerCase());
    if (self) self.dependsOn = [...new Set(deps.map((d) => d.purl))].sort();
    // the first project library is the app; what it names directly is direct
    else if (projects[0] && key.toLowerCase() === projects[0].toLowerCase()) for (const d of deps) d.direct = true;
  }
  return { components: [...byKey.values()], issues };
}
