// What the SBOM readers share: the shape they return, and a component rebuilt from a purl (the name and version as
// the ecosystem spells them, e.g. `pkg:maven/org.apache/commons@1.0` → `org.apache:commons` 1.0).
import { type Component, type Issue, isEcosystem, readPurl } from '../../model/index.ts';
import type { BuildpackFact } from '../model.ts';
import type { Format } from './index.ts';

/** A buildpack named in an SBOM or a droplet's deps/<idx>/config.yml. */
export type BuildpackRecord = BuildpackFact;

export interface SbomInput {
  format: Format;
  components: Component[];
  buildpacks: BuildpackRecord[];
  issues: Issue[];
}

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A required library found at `path`; undefined (and an issue) for an invalid purl; a type bpx does not know is `generic`. */
export function fromPurl(purl: string, path: string, issues: Issue[], fallbackVersion?: string): Component | undefined {
  let p;
  try {
    p = readPurl(purl);
  } catch (e) {
    issues.push({ path, severity: 'warning', message: `invalid purl ${JSON.stringify(purl)}: ${(e as Error).message}` });
    return undefined;
  }
  return {
    ecosystem: isEcosystem(p.type) ? p.type : 'generic',
    name: p.name,
    version: p.version ?? fallbackVersion ?? '',
    purl,
    kind: 'library',
    scope: 'required',
    licenses: [],
    hashes: [],
    locations: [{ path, source: 'manifest' }],
    dependsOn: [],
  };
}
