// Reconciles Maven evidence: shipped archives (installed) win over pom.xml declarations (manifest) for the same groupId:artifactId.
import type { Component } from '../../../model/index.ts';

/**
 * One component per purl. When an archive ships groupId:artifactId in a version other than the pom declares,
 * the archive's version is reported and the pom's location is kept on it as evidence.
 */
export function reconcile(declared: Component[], shipped: Component[]): Component[] {
  const byPurl = new Map<string, Component>();
  const byName = new Map<string, Component>();
  for (const c of shipped) {
    const seen = byPurl.get(c.purl);
    if (seen) {
      for (const l of c.locations) if (!seen.locations.some((x) => x.path === l.path)) seen.locations.push(l);
      continue;
    }
    const copy = { ...c, locations: [...c.locations] };
    byPurl.set(c.purl, copy);
    if (!byName.has(c.name)) byName.set(c.name, copy);
  }
  for (const d of declared) {
    const same = byPurl.get(d.purl) ?? byName.get(d.name);
    if (same) {
      same.locations.push(...d.locations);
      if (d.direct) same.direct = true;
      if (same.scope !== 'required' && d.scope === 'required') same.scope = 'required';
      continue;
    }
    const seen = byPurl.get(d.purl);
    if (seen) seen.locations.push(...d.locations);
    else byPurl.set(d.purl, { ...d, locations: [...d.locations] });
  }
  return [...byPurl.values()];
}
