// Reads components and buildpacks back from SPDX 2.3 JSON: packages by their purl externalRef, bpx's buildpack packages by comment.
import type { Component, Issue } from '../../model/index.ts';
import { type BuildpackRecord, type Json, type SbomInput, fromPurl, isObj, str } from './reading.ts';

/** undefined when `doc` is not SPDX (no string `spdxVersion`). */
export function readSpdx(doc: Json, path: string): SbomInput | undefined {
  if (typeof doc.spdxVersion !== 'string') return undefined;
  const issues: Issue[] = [];
  const components: Component[] = [];
  const buildpacks: BuildpackRecord[] = [];
  for (const p of Array.isArray(doc.packages) ? doc.packages : []) {
    if (!isObj(p)) continue;
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs.filter(isObj) : [];
    const purl = refs.find((r) => r.referenceType === 'purl' && str(r.referenceLocator));
    if (purl) {
      const comp = fromPurl(purl.referenceLocator as string, path, issues, str(p.versionInfo));
      const cpe = refs.find((r) => r.referenceType === 'cpe23Type' && str(r.referenceLocator));
      if (comp && cpe) {
        comp.cpe = cpe.referenceLocator as string;
        // bpx writes a CPE for runtimes only; their purpose is APPLICATION
        if (comp.ecosystem === 'generic' && p.primaryPackagePurpose === 'APPLICATION') comp.kind = 'runtime';
      }
      if (comp) components.push(comp);
    } else if (typeof p.comment === 'string' && p.comment.startsWith('Cloud Foundry buildpack') && str(p.name)) {
      // bpx's SPDX writer: "Cloud Foundry buildpack index 0, key nodejs_buildpack"
      const index = /index (\S+?)(,|$)/.exec(p.comment)?.[1];
      const key = /key (\S+)/.exec(p.comment)?.[1];
      const sha256 = (Array.isArray(p.checksums) ? p.checksums : []).find(
        (c) => isObj(c) && c.algorithm === 'SHA256' && typeof c.checksumValue === 'string',
      ) as Json | undefined;
      const commit = typeof p.sourceInfo === 'string' ? /^git commit ([0-9a-f]{40,64})$/.exec(p.sourceInfo)?.[1] : undefined;
      buildpacks.push({
        name: p.name as string,
        ...(str(p.versionInfo) ? { version: p.versionInfo as string } : {}),
        ...(key ? { key } : {}),
        ...(index ? { index } : {}),
        ...(sha256 ? { sha256: (sha256.checksumValue as string).toLowerCase() } : {}),
        ...(commit ? { commit } : {}),
      });
    }
  }
  return { format: 'spdx', components, buildpacks, issues };
}
