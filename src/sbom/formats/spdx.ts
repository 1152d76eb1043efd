// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/) from the SBOM model; deterministic, namespace derived from content.
import type { Component, HashAlg } from '../../model/index.ts';
import type { BuildpackFact, SbomModel } from '../model.ts';
import { issueText } from '../model.ts';
import { contentUuid, isoSeconds, stableJson } from '../ids.ts';
import { spdxDeclared } from './license-choice.ts';

type Json = Record<string, unknown>;

/** Documented namespace prefix; the suffix is `<app name>-<content uuid>`. */
export const SPDX_NAMESPACE_BASE = 'https://bpx.invalid/spdx/';

/** The in-toto predicateType of a Statement whose predicate is an SPDX document. */
export const SPDX_PREDICATE = 'https://spdx.dev/Document';

const ALG: Record<HashAlg, string> = {
  MD5: 'MD5',
  'SHA-1': 'SHA1',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
  'SHA3-256': 'SHA3-256',
  'SHA3-512': 'SHA3-512',
  'BLAKE2b-256': 'BLAKE2b-256',
  'BLAKE2b-512': 'BLAKE2b-512',
};

/** SPDXIDs allow [A-Za-z0-9.-]: `pkg:npm/@a/b@1.0.0` → `SPDXRef-Package-npm-a-b-1.0.0-<8 hex>` (hash keeps them unique). */
function spdxId(prefix: string, key: string, index: number): string {
  const clean = key
    .replace(/^pkg:/, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `SPDXRef-${prefix}-${clean}-${index.toString(36)}`;
}

function pkg(c: Component, id: string): Json {
  const lic = spdxDeclared(c.licenses);
  const out: Json = {
    SPDXID: id,
    name: c.name,
    versionInfo: c.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: lic.declared,
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: c.kind === 'runtime' ? 'APPLICATION' : 'LIBRARY',
    externalRefs: [
      ...(c.cpe ? [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: c.cpe }] : []),
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl },
    ],
  };
  const sums = c.hashes.filter((h) => ALG[h.alg]).map((h) => ({ algorithm: ALG[h.alg], checksumValue: h.value }));
  if (sums.length) out.checksums = sums;
  if (lic.comment) out.licenseComments = lic.comment;
  const where = c.locations.map((l) => `${l.path}${l.line ? `:${l.line}` : ''} (${l.source})`);
  const notes = [`scope: ${c.scope}`, ...(where.length ? [`found in: ${where.join(', ')}`] : [])];
  out.comment = notes.join('; ');
  return out;
}

// what bpx does not know of a package it did not capture (the app, a buildpack), in SPDX's field order
const UNASSERTED = {
  downloadLocation: 'NOASSERTION',
  filesAnalyzed: false,
  licenseConcluded: 'NOASSERTION',
  licenseDeclared: 'NOASSERTION',
  copyrightText: 'NOASSERTION',
} as const;

function buildpackPkg(b: BuildpackFact, id: string): Json {
  return {
    SPDXID: id,
    name: b.name || b.key || 'unknown-buildpack',
    ...(b.version ? { versionInfo: b.version } : {}),
    ...UNASSERTED,
    // bpx buildpack digest v1 of its content, recorded by bpx wrap (src/sbom/buildpack-build.ts)
    ...(b.sha256 ? { checksums: [{ algorithm: 'SHA256', checksumValue: b.sha256 }] } : {}),
    ...(b.commit ? { sourceInfo: `git commit ${b.commit}` } : {}),
    primaryPackagePurpose: 'INSTALL',
    comment: `Cloud Foundry buildpack${b.index !== undefined ? ` index ${b.index}` : ''}${b.key ? `, key ${b.key}` : ''}`,
  };
}

export function toSpdx(model: SbomModel): Json {
  const { facts } = model;
  const appName = facts.app.name || 'app';
  const appId = 'SPDXRef-Application';
  const ids = new Map<string, string>();
  model.components.forEach((c, i) => ids.set(c.purl, spdxId('Package', c.purl, i)));
  const bpIds = model.buildpacks.map((b, i) => spdxId('Buildpack', `${b.index ?? ''}-${b.name ?? b.key ?? ''}`, i));
  const appPkg: Json = {
    SPDXID: appId,
    name: appName,
    ...(facts.app.version ? { versionInfo: facts.app.version } : {}),
    ...UNASSERTED,
    primaryPackagePurpose: 'APPLICATION',
  };
  const appNotes = [
    facts.app.id && `Cloud Foundry app id ${facts.app.id}`,
    facts.app.spaceName && `space ${facts.app.spaceName}${facts.app.spaceId ? ` (${facts.app.spaceId})` : ''}`,
    facts.app.orgName && `org ${facts.app.orgName}${facts.app.orgId ? ` (${facts.app.orgId})` : ''}`,
    facts.stack && `stack ${facts.stack}`,
  ].filter(Boolean);
  if (appNotes.length) appPkg.comment = appNotes.join('; ');
  const packages: Json[] = [
    appPkg,
    ...model.buildpacks.map((b, i) => buildpackPkg(b, bpIds[i])),
    ...model.components.map((c) => pkg(c, ids.get(c.purl) as string)),
  ];
  const rels: Json[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: appId }];
  for (const p of model.appDependsOn) rels.push({ spdxElementId: appId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: ids.get(p) });
  for (const c of model.components) {
    for (const d of c.dependsOn)
      rels.push({ spdxElementId: ids.get(c.purl), relationshipType: 'DEPENDS_ON', relatedSpdxElement: ids.get(d) });
  }
  for (const id of bpIds) rels.push({ spdxElementId: id, relationshipType: 'BUILD_TOOL_OF', relatedSpdxElement: appId });
  const comment = model.complete
    ? undefined
    : `Incomplete: some inputs were skipped or could not be fully read, so packages may be missing.\n${model.issues.map(issueText).join('\n')}`;
  const doc: Json = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${appName} (bpx)`,
    documentNamespace: '',
    ...(comment ? { comment } : {}),
    creationInfo: {
      created: isoSeconds(facts.epoch ?? 0),
      creators: [`Tool: ${facts.tool.name}-${facts.tool.version}`],
    },
    packages,
    relationships: rels,
  };
  const forHash = { ...doc, creationInfo: { creators: (doc.creationInfo as Json).creators } };
  doc.documentNamespace = `${SPDX_NAMESPACE_BASE}${encodeURIComponent(appName)}-${contentUuid(stableJson(forHash))}`;
  return doc;
}

export function writeSpdx(model: SbomModel): string {
  return stableJson(toSpdx(model));
}
