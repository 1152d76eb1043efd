// Reads components and buildpacks back from an SBOM: CycloneDX JSON (1.4-1.6) or SPDX 2.3 JSON (purl externalRefs).
import type { Component, Ecosystem, Issue } from '../../model/index.ts';
import { parsePurl } from '../../model/index.ts';

export interface BuildpackRecord {
  name?: string;
  key?: string;
  version?: string;
  index?: string;
}

export interface SbomInput {
  format: 'cyclonedx' | 'spdx';
  components: Component[];
  buildpacks: BuildpackRecord[];
  issues: Issue[];
}

const ECOSYSTEMS = new Set<Ecosystem>(['npm', 'pypi', 'maven', 'gem', 'composer', 'golang', 'cargo', 'nuget', 'generic']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function fromPurl(purl: string, path: string, issues: Issue[], fallbackVersion?: string): Component | undefined {
  let p;
  try {
    p = parsePurl(purl);
  } catch (e) {
    issues.push({ path, severity: 'warning', message: `invalid purl ${JSON.stringify(purl)}: ${(e as Error).message}` });
    return undefined;
  }
  const ecosystem = (ECOSYSTEMS.has(p.type as Ecosystem) ? p.type : 'generic') as Ecosystem;
  const version = p.version ?? fallbackVersion ?? '';
  return {
    ecosystem,
    name: p.name,
    version,
    purl,
    kind: 'library',
    scope: 'required',
    licenses: [],
    hashes: [],
    locations: [{ path, source: 'manifest' }],
    dependsOn: [],
  };
}

function props(c: Json): Map<string, string> {
  const m = new Map<string, string>();
  if (Array.isArray(c.properties)) for (const p of c.properties) if (isObj(p) && str(p.name) && typeof p.value === 'string') m.set(p.name as string, p.value);
  return m;
}

function cyclonedx(doc: Json, path: string): SbomInput {
  const issues: Issue[] = [];
  const components: Component[] = [];
  const buildpacks: BuildpackRecord[] = [];
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!isObj(c)) continue;
      const pr = props(c);
      if (pr.get('bpx:kind') === 'buildpack') {
        buildpacks.push({
          ...(str(c.name) ? { name: c.name as string } : {}),
          ...(str(c.version) ? { version: c.version as string } : {}),
          ...(pr.get('cf:buildpack:key') ? { key: pr.get('cf:buildpack:key') } : {}),
          ...(pr.get('cf:buildpack:index') ? { index: pr.get('cf:buildpack:index') } : {}),
        });
      } else if (str(c.purl)) {
        const comp = fromPurl(c.purl as string, path, issues, str(c.version));
        if (comp) {
          if (c.scope === 'excluded') comp.scope = 'dev';
          else if (c.scope === 'optional') comp.scope = 'optional';
          if (c.type === 'platform' || c.type === 'framework') comp.kind = 'runtime';
          components.push(comp);
        }
      }
      walk(c.components);
    }
  };
  walk(doc.components);
  return { format: 'cyclonedx', components, buildpacks, issues };
}

function spdx(doc: Json, path: string): SbomInput {
  const issues: Issue[] = [];
  const components: Component[] = [];
  const buildpacks: BuildpackRecord[] = [];
  for (const p of Array.isArray(doc.packages) ? doc.packages : []) {
    if (!isObj(p)) continue;
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs.filter(isObj) : [];
    const purl = refs.find((r) => r.referenceType === 'purl' && str(r.referenceLocator));
    if (purl) {
      const comp = fromPurl(purl.referenceLocator as string, path, issues, str(p.versionInfo));
      if (comp) components.push(comp);
    } else if (typeof p.comment === 'string' && p.comment.startsWith('Cloud Foundry buildpack') && str(p.name)) {
      // bpx's SPDX writer: "Cloud Foundry buildpack index 0, key nodejs_buildpack"
      const index = /index (\S+?)(,|$)/.exec(p.comment)?.[1];
      const key = /key (\S+)/.exec(p.comment)?.[1];
      buildpacks.push({
        name: p.name as string,
        ...(str(p.versionInfo) ? { version: p.versionInfo as string } : {}),
        ...(key ? { key } : {}),
        ...(index ? { index } : {}),
      });
    }
  }
  return { format: 'spdx', components, buildpacks, issues };
}

/** Parses SBOM text; throws an Error naming the file when it is neither CycloneDX nor SPDX JSON. */
export function readSbom(text: string, path: string): SbomInput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`);
  }
  if (isObj(doc) && doc.bomFormat === 'CycloneDX') return cyclonedx(doc, path);
  if (isObj(doc) && typeof doc.spdxVersion === 'string') return spdx(doc, path);
  throw new Error(`${path}: not a CycloneDX or SPDX JSON document (no bomFormat or spdxVersion)`);
}

/** A droplet's deps/<idx>/config.yml as the buildpack wrote it (name, version). */
export function buildpackFromConfig(text: string, index: string, parse: (t: string) => unknown): BuildpackRecord | undefined {
  try {
    const c = parse(text);
    if (!isObj(c)) return undefined;
    return { index, ...(str(c.name) ? { name: c.name as string } : {}), ...(str(c.version) ? { version: c.version as string } : {}) };
  } catch {
    return undefined;
  }
}
