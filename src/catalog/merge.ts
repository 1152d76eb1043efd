// Merges components found several times (lockfile + installed tree, two lockfiles...) into one per purl.
import type { Component, Hash, License, Location, Scope } from '../model/index.ts';

const STRENGTH: Record<Scope, number> = { required: 2, optional: 1, dev: 0 };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function locKey(l: Location): string {
  return `${l.path}\0${l.line ?? 0}\0${l.source}`;
}

export function compareLocations(a: Location, b: Location): number {
  return cmp(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.source, b.source);
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const i of items) if (!seen.has(key(i))) seen.set(key(i), i);
  return [...seen.values()];
}

/**
 * One component per purl: union of locations (sorted, deduped), licenses (by raw text, first seen order),
 * hashes (by algorithm+value), dependsOn (sorted); scope = the strongest (required > optional > dev);
 * direct = any. Inputs are not mutated. Output is sorted by purl.
 */
export function mergeComponents(components: readonly Component[]): Component[] {
  const groups = new Map<string, Component[]>();
  for (const c of components) {
    const g = groups.get(c.purl);
    if (g) g.push(c);
    else groups.set(c.purl, [c]);
  }
  const out: Component[] = [];
  for (const [, g] of groups) out.push(mergeGroup(g));
  out.sort((a, b) => cmp(a.purl, b.purl));
  return out;
}

function mergeGroup(g: Component[]): Component {
  const first = g[0];
  let scope: Scope = first.scope;
  let direct: boolean | undefined = first.direct;
  const locations: Location[] = [];
  const licenses: License[] = [];
  const hashes: Hash[] = [];
  const deps = new Set<string>();
  let kind = first.kind;
  for (const c of g) {
    if (STRENGTH[c.scope] > STRENGTH[scope]) scope = c.scope;
    if (c.direct !== undefined) direct = (direct ?? false) || c.direct;
    if (c.kind === 'application') kind = 'application';
    locations.push(...c.locations);
    licenses.push(...c.licenses);
    hashes.push(...c.hashes);
    for (const d of c.dependsOn) deps.add(d);
  }
  deps.delete(first.purl);
  return {
    ecosystem: first.ecosystem,
    name: first.name,
    version: first.version,
    purl: first.purl,
    kind,
    scope,
    licenses: uniqueBy(licenses, (l) => l.raw).map((l) => ({ ...l })),
    hashes: uniqueBy(hashes, (h) => `${h.alg}:${h.value}`).sort((a, b) => cmp(a.alg, b.alg) || cmp(a.value, b.value)).map((h) => ({ ...h })),
    locations: uniqueBy(locations, locKey).sort(compareLocations).map((l) => ({ ...l })),
    dependsOn: [...deps].sort(cmp),
    ...(direct !== undefined ? { direct } : {}),
  };
}
