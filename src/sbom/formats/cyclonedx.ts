// CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/) from the SBOM model; deterministic key order and sorting.
import type { Component } from '../../model/index.ts';
import type { BuildpackFact, SbomModel } from '../model.ts';
import { issueText } from '../model.ts';
import { contentUuid, isoSeconds } from '../ids.ts';
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
  if (c.cpe) out.cpe = c.cpe;
  out.purl = c.purl;
  const files = c.locations.filter((l) => l.source !== 'install-log');
  const props = [
    ...prop('bpx:ecosystem', c.ecosystem),
    ...prop('bpx:direct', c.direct ? 'true' : undefined),
    ...[...new Set(c.locations.map((l) => l.source))].sort().map((s) => ({ name: 'bpx:source', value: s })),
    ...(c.kind === 'runtime' ? prop('bpx:runtime:found-by', files.length ? 'file' : 'install-log') : []),
  ];
  if (props.length) out.properties = props;
  const evidence: Json = {};
  if (c.kind === 'runtime' && c.locations.length) evidence.identity = [runtimeIdentity(c)];
  if (files.length) evidence.occurrences = files.map((l) => ({ location: l.path, ...(l.line ? { line: l.line } : {}) }));
  if (Object.keys(evidence).length) out.evidence = evidence;
  return out;
}

/**
 * How a runtime's version was found (CycloneDX 1.6 evidence.identity): read from a header (`node_version.h`:
 * source-code-analysis), a binary (nginx: binary-analysis), a distribution's metadata file (the JDK `release`, go/VERSION:
 * manifest-analysis), or only from the inner buildpack's `-----> Installing` line (other, lower confidence).
 */
function runtimeIdentity(c: Component): Json {
  const methods = c.locations.map((l) => {
    const technique =
      l.source === 'install-log'
        ? 'other'
        : /\.h$/.test(l.path)
          ? 'source-code-analysis'
          : /(^|\/)sbin\/[^/]+$/.test(l.path)
            ? 'binary-analysis'
            : 'manifest-analysis';
    return { technique, confidence: l.source === 'install-log' ? 0.5 : 1, value: l.path };
  });
  const confidence = Math.max(...methods.map((m) => m.confidence));
  return { field: 'version', confidence, concludedValue: c.version, methods };
}

function buildpackComponent(b: BuildpackFact): Json {
  return {
    type: 'application',
    'bom-ref': buildpackRef(b),
    name: b.name || b.key || 'unknown-buildpack',
    ...(b.version ? { version: b.version } : {}),
    scope: 'excluded',
    // bpx buildpack digest v1 of its content, recorded by bpx wrap (src/sbom/buildpack-build.ts)
    ...(b.sha256 ? { hashes: [{ alg: 'SHA-256', content: b.sha256 }] } : {}),
    properties: [
      ...prop('bpx:kind', 'buildpack'),
      ...prop('cf:buildpack:index', b.index),
      ...prop('cf:buildpack:key', b.key),
      ...prop('bpx:buildpack:digest', b.sha256 ? `bpx-buildpack-v1:sha256:${b.sha256}` : undefined),
      ...prop('bpx:buildpack:commit', b.commit),
    ],
  };
}

/** A document entry built when it is written (each is written and dropped, never all held as objects at once). */
interface Entry {
  ref: string;
  json: () => Json;
}

const byRef = (a: Entry, b: Entry): number => (a.ref < b.ref ? -1 : 1);

/**
 * `value` as `JSON.stringify(value, null, 2)` writes it `depth` (1 or 2) levels down: stringified inside as many arrays,
 * whose brackets are cut off (`[\n  [\n    ` before, `\n  ]\n]` after), so that JSON.stringify indents it itself.
 */
function nested(value: unknown, depth: 1 | 2): string {
  const text = JSON.stringify(depth === 1 ? [value] : [[value]], null, 2);
  return depth === 1 ? text.slice(4, -2) : text.slice(10, -6);
}

/** A top-level array of entries, as `JSON.stringify(doc, null, 2)` writes it (`[]` when empty), pushed onto `out`. */
function arrayOf(entries: readonly Entry[], out: string[]): void {
  if (entries.length === 0) {
    out.push('[]');
    return;
  }
  entries.forEach((e, i) => out.push(i === 0 ? '[\n    ' : ',\n    ', nested(e.json(), 2)));
  out.push('\n  ]');
}

/**
 * The CycloneDX document's text: exactly `stableJson` of the document (keys in the order below, two-space indent,
 * trailing newline), written entry by entry so that the components never exist as one object tree. The serialNumber
 * is derived from the same text with serialNumber "" and without metadata.timestamp.
 */
export function writeCycloneDx(model: SbomModel): string {
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
    lifecycles: [{ phase: 'post-build' }],
    tools: { components: [{ type: 'application', name: facts.tool.name, version: facts.tool.version }] },
    component: appComponent,
    properties: metaProps,
  };
  const components: Entry[] = [
    ...model.buildpacks.map((b) => ({ ref: buildpackRef(b), json: () => buildpackComponent(b) })),
    ...model.components.map((c) => ({ ref: c.purl, json: () => component(c) })),
    ...(facts.stack
      ? [
          {
            ref: `stack:${facts.stack}`,
            json: () => ({ type: 'operating-system', 'bom-ref': `stack:${facts.stack}`, name: facts.stack, scope: 'required' }),
          },
        ]
      : []),
  ].sort(byRef);
  const appDeps = [...model.appDependsOn, ...(facts.stack ? [`stack:${facts.stack}`] : [])].sort();
  const dependencies: Entry[] = [
    { ref: APP_REF, json: () => ({ ref: APP_REF, dependsOn: appDeps }) },
    ...model.components.map((c) => ({ ref: c.purl, json: () => ({ ref: c.purl, dependsOn: c.dependsOn }) })),
  ].sort(byRef);
  const compositions = [{ aggregate: model.complete ? 'complete' : 'incomplete', assemblies: [APP_REF], dependencies: [APP_REF] }];
  // everything after metadata, in pieces: hashed piece by piece, then joined once (one copy of the text)
  const rest: string[] = [',\n  "components": '];
  arrayOf(components, rest);
  rest.push(',\n  "dependencies": ');
  arrayOf(dependencies, rest);
  rest.push(`,\n  "compositions": ${nested(compositions, 1)}\n}\n`);
  const head = (serialNumber: string, meta: Json): string =>
    `{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6",\n  "serialNumber": ${JSON.stringify(serialNumber)},` +
    `\n  "version": 1,\n  "metadata": ${nested(meta, 1)}`;
  const serialNumber = `urn:uuid:${contentUuid([head('', metadata), ...rest])}`;
  const timed = facts.epoch !== undefined ? { timestamp: isoSeconds(facts.epoch), ...metadata } : metadata;
  rest.unshift(head(serialNumber, timed));
  return rest.join('');
}

/** The CycloneDX document as a plain object: the parse of writeCycloneDx's text (so the two never disagree). */
export function toCycloneDx(model: SbomModel): Json {
  return JSON.parse(writeCycloneDx(model)) as Json;
}
