// Reads components and buildpacks back from CycloneDX JSON (1.4-1.6): purls, scope, platform type, bpx's buildpack properties.
import type { Component, Issue } from '../../model/index.ts';
import { type BuildpackRecord, type Json, type SbomInput, fromPurl, isObj, str } from './reading.ts';

function props(c: Json): Map<string, string> {
  const m = new Map<string, string>();
  if (Array.isArray(c.properties))
    for (const p of c.properties) if (isObj(p) && str(p.name) && typeof p.value === 'string') m.set(p.name as string, p.value);
  return m;
}

/** undefined when `doc` is not CycloneDX (no `bomFormat: CycloneDX`). Nested components are read too. */
export function readCycloneDx(doc: Json, path: string): SbomInput | undefined {
  if (doc.bomFormat !== 'CycloneDX') return undefined;
  const issues: Issue[] = [];
  const components: Component[] = [];
  const buildpacks: BuildpackRecord[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!isObj(c)) continue;
      const pr = props(c);
      if (pr.get('bpx:kind') === 'buildpack') {
        const sha256 = (Array.isArray(c.hashes) ? c.hashes : []).find(
          (h) => isObj(h) && h.alg === 'SHA-256' && typeof h.content === 'string',
        ) as Json | undefined;
        buildpacks.push({
          ...(str(c.name) ? { name: c.name as string } : {}),
          ...(str(c.version) ? { version: c.version as string } : {}),
          ...(pr.get('cf:buildpack:key') ? { key: pr.get('cf:buildpack:key') } : {}),
          ...(pr.get('cf:buildpack:index') ? { index: pr.get('cf:buildpack:index') } : {}),
          ...(sha256 ? { sha256: (sha256.content as string).toLowerCase() } : {}),
          ...(pr.get('bpx:buildpack:commit') ? { commit: pr.get('bpx:buildpack:commit') } : {}),
        });
      } else if (str(c.purl)) {
        const comp = fromPurl(c.purl as string, path, issues, str(c.version));
        if (comp) {
          if (c.scope === 'excluded') comp.scope = 'dev';
          else if (c.scope === 'optional') comp.scope = 'optional';
          if (c.type === 'platform' || c.type === 'framework') comp.kind = 'runtime';
          if (str(c.cpe)) comp.cpe = c.cpe as string;
          components.push(comp);
        }
      }
      walk(c.components);
    }
  };
  walk(doc.components);
  return { format: 'cyclonedx', components, buildpacks, issues };
}
