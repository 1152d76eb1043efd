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

/** Copies of the items whose key was not seen before, in first-seen order (each key computed once). */
function uniqueCopies<T extends object>(items: readonly T[], key: (t: T) => string): T[] {
  const out: T[] = [];
  // most components carry one licence, hash and location: no Set for those
  if (items.length <= 1) {
    for (const i of items) out.push({ ...i });
    return out;
  }
  const seen = new Set<string>();
  for (const i of items) {
    const k = key(i);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ...i });
  }
  return out;
}

const hashKey = (h: Hash): string => `${h.alg}:${h.value}`;
const licenseKey = (l: License): string => l.raw;

/** `list` without `self`, unique and sorted. */
function edgesOf(list: readonly string[], self: string): string[] {
  // Managers mostly hand over edges already sorted and unique: one check is cheaper than a Set and a sort.
  let sorted = true;
  for (let i = 0; i < list.length && sorted; i++) sorted = list[i] !== self && (i === 0 || list[i - 1] < list[i]);
  if (sorted) return list.slice();
  const deps = new Set(list);
  deps.delete(self);
  return [...deps].sort(cmp);
}

function compareHashes(a: Hash, b: Hash): number {
  return cmp(a.alg, b.alg) || cmp(a.value, b.value);
}

/** What mergeComponents returned: one per purl, its lists deduplicated and sorted (merging it again copies it unchanged). */
const MERGED = new WeakSet<Component>();

/**
 * mergeComponents(components), or `components` itself when they already are a merge's output (or a part of it) in its
 * order: a capture's components reach buildModel merged, and copying each again only makes garbage. Components are
 * never changed once made (a house rule), so a merged one stays merged.
 */
export function mergeOnce(components: readonly Component[]): readonly Component[] {
  for (let i = 0; i < components.length; i++) {
    if (!MERGED.has(components[i]) || (i > 0 && !(components[i - 1].purl < components[i].purl))) return mergeComponents(components);
  }
  return components;
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
  for (const [, g] of groups) {
    const c = mergeGroup(g);
    MERGED.add(c);
    out.push(c);
  }
  out.sort((a, b) => cmp(a.purl, b.purl));
  return out;
}

function mergeGroup(g: Component[]): Component {
  const first = g[0];
  let scope: Scope = first.scope;
  let direct: boolean | undefined = first.direct;
  let kind = first.kind;
  let locations = first.locations;
  let licenses = first.licenses;
  let hashes = first.hashes;
  let dependsOn = first.dependsOn;
  let cpe = first.cpe;
  // A purl found once (the usual case) needs no concatenation; copies are still made below.
  if (g.length > 1) {
    locations = [];
    licenses = [];
    hashes = [];
    const deps: string[] = [];
    for (const c of g) {
      if (STRENGTH[c.scope] > STRENGTH[scope]) scope = c.scope;
      if (c.direct !== undefined) direct = (direct ?? false) || c.direct;
      if (c.kind === 'application') kind = 'application';
      cpe ??= c.cpe;
      for (const l of c.locations) locations.push(l);
      for (const l of c.licenses) licenses.push(l);
      for (const h of c.hashes) hashes.push(h);
      for (const d of c.dependsOn) deps.push(d);
    }
    dependsOn = deps;
  }
  return {
    ecosystem: first.ecosystem,
    name: first.name,
    version: first.version,
    purl: first.purl,
    kind,
    scope,
    licenses: uniqueCopies(licenses, licenseKey),
    hashes: uniqueCopies(hashes, hashKey).sort(compareHashes),
    locations: uniqueCopies(locations, locKey).sort(compareLocations),
    dependsOn: edgesOf(dependsOn, first.purl),
    ...(direct !== undefined ? { direct } : {}),
    ...(cpe ? { cpe } : {}),
  };
}
