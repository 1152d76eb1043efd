// What the fleet keeps from an SBOM besides its components (read by sbom-input.ts): the app, stack and time bpx wrote in
// the CycloneDX 1.6 metadata or the SPDX 2.3 application package, and each component's licenses and paths.
import type { AppIdentity } from '../types.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export interface ComponentExtra {
  paths: string[];
  licenses: string[];
}

export interface SbomFacts {
  format: 'cyclonedx' | 'spdx';
  app: Partial<AppIdentity>;
  stack?: string;
  /** ISO 8601 */
  timestamp?: string;
  /** false when the SBOM says its capture was incomplete */
  complete: boolean;
  /** purl → licenses and paths */
  extra: Map<string, ComponentExtra>;
}

function props(list: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (Array.isArray(list))
    for (const p of list)
      if (isObj(p) && str(p.name) && typeof p.value === 'string' && !m.has(p.name as string)) m.set(p.name as string, p.value);
  return m;
}

function pushNew(list: string[], xs: readonly string[]): void {
  for (const x of xs) if (!list.includes(x)) list.push(x);
}

function add(extra: Map<string, ComponentExtra>, purl: string, paths: string[], licenses: string[]): void {
  const e = extra.get(purl);
  // each once, in the order met (lists of one or two: includes() over a Set's cost)
  if (!e)
    extra.set(purl, {
      paths: paths.length > 1 ? [...new Set(paths)] : paths,
      licenses: licenses.length > 1 ? [...new Set(licenses)] : licenses,
    });
  else {
    pushNew(e.paths, paths);
    pushNew(e.licenses, licenses);
  }
}

// CycloneDX licenses: [{license: {id} | {name}}, {expression}]
function cdxLicenses(v: unknown): string[] {
  const out: string[] = [];
  if (!Array.isArray(v)) return out;
  for (const l of v) {
    if (!isObj(l)) continue;
    const x = str(l.expression) ?? (isObj(l.license) ? (str(l.license.id) ?? str(l.license.name)) : undefined);
    if (x) out.push(x);
  }
  return out;
}

function cyclonedx(doc: Json): SbomFacts {
  const extra = new Map<string, ComponentExtra>();
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!isObj(c)) continue;
      const purl = str(c.purl);
      if (purl) {
        const paths: string[] = [];
        const occ = isObj(c.evidence) ? c.evidence.occurrences : undefined;
        if (Array.isArray(occ))
          for (const o of occ) {
            const p = isObj(o) ? str(o.location) : undefined;
            if (p) paths.push(p);
          }
        add(extra, purl, paths, cdxLicenses(c.licenses));
      }
      walk(c.components);
    }
  };
  walk(doc.components);
  const meta = isObj(doc.metadata) ? doc.metadata : {};
  const comp = isObj(meta.component) ? meta.component : {};
  const ap = props(comp.properties);
  const mp = props(meta.properties);
  const name = str(comp.name);
  const app: Partial<AppIdentity> = {
    // bpx names the app `app` when staging did not say (no VCAP_APPLICATION)
    ...(name && name !== 'app' ? { name } : {}),
    ...(ap.get('cf:app:id') ? { guid: ap.get('cf:app:id') } : {}),
    ...(ap.get('cf:space:name') ? { spaceName: ap.get('cf:space:name') } : {}),
    ...(ap.get('cf:space:id') ? { spaceGuid: ap.get('cf:space:id') } : {}),
    ...(ap.get('cf:org:name') ? { orgName: ap.get('cf:org:name') } : {}),
    ...(ap.get('cf:org:id') ? { orgGuid: ap.get('cf:org:id') } : {}),
  };
  const compositions = Array.isArray(doc.compositions) ? doc.compositions.filter(isObj) : [];
  const complete = mp.get('bpx:capture:complete') !== 'false' && !compositions.some((c) => c.aggregate === 'incomplete');
  return {
    format: 'cyclonedx',
    app,
    ...(mp.get('cf:stack') ? { stack: mp.get('cf:stack') } : {}),
    ...(str(meta.timestamp) ? { timestamp: str(meta.timestamp) } : {}),
    complete,
    extra,
  };
}

// bpx's SPDX package comment: "scope: required; found in: app/package-lock.json:12 (lockfile), ..."
const FOUND_IN = /found in: (.*)$/;
// "app/package-lock.json:12 (lockfile)" -> "app/package-lock.json"
const LOCATION = /^(.*?)(?::\d+)? \([a-z]+\)$/;

function spdx(doc: Json): SbomFacts {
  const extra = new Map<string, ComponentExtra>();
  let app: Partial<AppIdentity> = {};
  let stack: string | undefined;
  const described = new Set<string>();
  for (const r of Array.isArray(doc.relationships) ? doc.relationships.filter(isObj) : []) {
    if (r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES' && str(r.relatedSpdxElement))
      described.add(r.relatedSpdxElement as string);
  }
  for (const p of Array.isArray(doc.packages) ? doc.packages.filter(isObj) : []) {
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs.filter(isObj) : [];
    const purl = str(refs.find((r) => r.referenceType === 'purl')?.referenceLocator);
    const comment = str(p.comment) ?? '';
    if (purl) {
      const found = FOUND_IN.exec(comment)?.[1];
      const paths = found
        ? found
            .split(/, (?=[^,]+ \([a-z]+\)(?:, |$))/)
            .map((x) => LOCATION.exec(x.trim())?.[1] ?? x.trim())
            .filter(Boolean)
        : [];
      const licenses = [str(p.licenseConcluded), str(p.licenseDeclared)].filter(
        (l): l is string => !!l && l !== 'NOASSERTION' && l !== 'NONE',
      );
      add(extra, purl, paths, licenses.slice(0, 1));
    } else if (described.has(String(p.SPDXID))) {
      // "Cloud Foundry app id <guid>; space dev (<guid>); org acme (<guid>); stack cflinuxfs4"
      const name = str(p.name);
      const id = /Cloud Foundry app id (\S+?)(;|$)/.exec(comment)?.[1];
      const space = /(?:^|; )space ([^;(]+?)(?: \(([^)]+)\))?(;|$)/.exec(comment);
      const org = /(?:^|; )org ([^;(]+?)(?: \(([^)]+)\))?(;|$)/.exec(comment);
      stack = /(?:^|; )stack (\S+?)(;|$)/.exec(comment)?.[1];
      app = {
        ...(name && name !== 'app' ? { name } : {}),
        ...(id ? { guid: id } : {}),
        ...(space ? { spaceName: space[1]!.trim(), ...(space[2] ? { spaceGuid: space[2] } : {}) } : {}),
        ...(org ? { orgName: org[1]!.trim(), ...(org[2] ? { orgGuid: org[2] } : {}) } : {}),
      };
    }
  }
  const info = isObj(doc.creationInfo) ? doc.creationInfo : {};
  const created = str(info.created);
  return {
    format: 'spdx',
    app,
    ...(stack ? { stack } : {}),
    // bpx writes the epoch itself when staging gave no SOURCE_DATE_EPOCH: no time at all
    ...(created && !created.startsWith('1970-01-01') ? { timestamp: created } : {}),
    complete: !/incomplete/i.test(String(doc.comment ?? '')),
    extra,
  };
}

/** The facts of a parsed CycloneDX or SPDX JSON document; undefined for anything else. */
export function sbomFacts(doc: unknown): SbomFacts | undefined {
  if (isObj(doc) && doc.bomFormat === 'CycloneDX') return cyclonedx(doc);
  if (isObj(doc) && typeof doc.spdxVersion === 'string') return spdx(doc);
  return undefined;
}
