// CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/) from the SBOM model; deterministic key order and sorting.
import type { Component } from '../../model/index.ts';
import type { BuildpackFact, SbomModel } from '../model.ts';
import { issueText } from '../model.ts';
import { contentUuid, isoSeconds, stableJson } from '../ids.ts';
import { cdxLicenses } from './license-choice.ts';

export const APP_REF = 'app';

/** The in-toto predicateType of a Statement whose predicate is a CycloneDX document. */
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';

type Json = Record<string, unknown>;

const prop = (name: string, value: string | undefined): Json[] => (value ? [{ name, value }] : []);

export function buildpackRef(b: BuildpackFact): string {
  return `buildpack:${b.index ?? ''}:${b.key ?? b.name ?? 'unknown'}`;
}

function scopeOf(c: Component): string {
  return c.scope === 'dev' ? 'excluded' : c.scope;
}

function component(c: Component): Json {
  const out: Json = {
    type: c.kind === 'runtime' ? 'platform' : 'library',
    'bom-ref': c.purl,
    name: c.name,
    version: c.version,
    scope: scopeOf(c),
  };
  if (c.hashes.length) out.hashes = c.hashes.map((h) => ({ alg: h.alg, content: h.value }));
  if (c.licenses.length) out.licenses = cdxLicenses(c.licenses);
  out.purl = c.purl;
  const props = [
    ...prop('bpx:ecosystem', c.ecosystem),
    ...prop('bpx:direct', c.direct ? 'true' : undefined),
    ...[...new Set(c.locations.map((l) => l.source))].sort().map((s) => ({ name: 'bpx:source', value: s })),
  ];
  if (props.length) out.properties = props;
  if (c.locations.length) {
    out.evidence = { occurrences: c.locations.map((l) => ({ location: l.path, ...(l.line ? { line: l.line } : {}) })) };
  }
  return out;
}

function buildpackComponent(b: BuildpackFact): Json {
  return {
    type: 'application',
    'bom-ref': buildpackRef(b),
    name: b.name || b.key || 'unknown-buildpack',
    ...(b.version ? { version: b.version } : {}),
    scope: 'excluded',
    properties: [
      ...prop('bpx:kind', 'buildpack'),
      ...prop('cf:buildpack:index', b.index),
      ...prop('cf:buildpack:key', b.key),
    ],
  };
}

/** The CycloneDX document as a plain object (serialNumber derived from everything but itself and the timestamp). */
export function toCycloneDx(model: SbomModel): Json {
  const { facts } = model;
  const app = facts.app;
  const appComponent: Json = {
    type: 'application',
    'bom-ref': APP_REF,
    name: app.name || 'app',
    ...(app.version ? { version: app.version } : {}),
  };
  const appProps = [
    ...prop('cf:app:id', app.id),
    ...prop('cf:org:id', app.orgId),
    ...prop('cf:org:name', app.orgName),
    ...prop('cf:space:id', app.spaceId),
    ...prop('cf:space:name', app.spaceName),
  ];
  if (appProps.length) appComponent.properties = appProps;
  const metaProps = [
    ...prop('bpx:capture:complete', model.complete ? 'true' : 'false'),
    ...model.issues.map((i) => ({ name: 'bpx:capture:issue', value: issueText(i) })),
    ...prop('cf:stack', facts.stack),
  ];
  const metadata: Json = {
    ...(facts.epoch !== undefined ? { timestamp: isoSeconds(facts.epoch) } : {}),
    lifecycles: [{ phase: 'post-build' }],
    tools: { components: [{ type: 'application', name: facts.tool.name, version: facts.tool.version }] },
    component: appComponent,
    properties: metaProps,
  };
  const components: Json[] = [
    ...model.buildpacks.map(buildpackComponent),
    ...model.components.map(component),
    ...(facts.stack ? [{ type: 'operating-system', 'bom-ref': `stack:${facts.stack}`, name: facts.stack, scope: 'required' }] : []),
  ].sort((a, b) => ((a['bom-ref'] as string) < (b['bom-ref'] as string) ? -1 : 1));
  const dependencies: Json[] = [
    { ref: APP_REF, dependsOn: [...model.appDependsOn, ...(facts.stack ? [`stack:${facts.stack}`] : [])].sort() },
    ...model.components.map((c) => ({ ref: c.purl, dependsOn: c.dependsOn })),
  ].sort((a, b) => ((a.ref as string) < (b.ref as string) ? -1 : 1));
  const doc: Json = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: '',
    version: 1,
    metadata,
    components,
    dependencies,
    compositions: [{ aggregate: model.complete ? 'complete' : 'incomplete', assemblies: [APP_REF], dependencies: [APP_REF] }],
  };
  const { timestamp: _t, ...metaNoTime } = metadata;
  doc.serialNumber = `urn:uuid:${contentUuid(stableJson({ ...doc, serialNumber: '', metadata: metaNoTime }))}`;
  return doc;
}

export function writeCycloneDx(model: SbomModel): string {
  return stableJson(toCycloneDx(model));
}
