// CycloneDX 1.6 and SPDX 2.3 documents from real app captures: schema-valid, reproducible, incomplete when capture is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { captureDir } from '../../src/catalog/index.ts';
import { buildModel, type SbomFacts } from '../../src/sbom/model.ts';
import { toCycloneDx, writeCycloneDx } from '../../src/sbom/formats/cyclonedx.ts';
import { toSpdx, writeSpdx } from '../../src/sbom/formats/spdx.ts';
import { appFromVcap } from '../../src/sbom/facts.ts';
import type { Capture, Component } from '../../src/model/index.ts';
import { cycloneDxValidator, spdxValidator, hasShared, sharedDir } from './schemas.ts';
import { needShared } from '../shared.ts';

const cdx = cycloneDxValidator();
const spdx = hasShared ? spdxValidator() : null;

const facts = (epoch?: number): SbomFacts => ({
  app: appFromVcap(
    '{"application_name":"demo","application_id":"6f0c-1","space_name":"dev","space_id":"s-1","organization_name":"acme","organization_id":"o-1"}',
  ).app,
  stack: 'cflinuxfs4',
  buildpacks: [
    { index: '0', name: 'apm-agent', version: '7.1.0', key: 'agent' },
    { index: '1', name: 'nodejs', version: '1.8.30', key: 'nodejs_buildpack' },
  ],
  tool: { name: 'bpx', version: '0.1.0' },
  epoch,
});

function lib(name: string, version: string, extra: Partial<Component> = {}): Component {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: `pkg:npm/${name.replace('@', '%40')}@${version}`,
    kind: 'library',
    scope: 'required',
    licenses: [],
    hashes: [],
    locations: [{ path: 'package-lock.json', line: 10, source: 'lockfile' }],
    dependsOn: [],
    ...extra,
  };
}

const handMade: Capture = {
  complete: false,
  issues: [{ path: 'yarn.lock', line: 7, severity: 'error', message: 'unterminated entry' }],
  components: [
    lib('express', '4.21.2', {
      direct: true,
      dependsOn: ['pkg:npm/accepts@1.3.8', 'pkg:npm/missing@1.0.0'],
      licenses: [{ raw: 'MIT', spdx: 'MIT' }],
      hashes: [{ alg: 'SHA-512', value: 'AB'.repeat(64) }],
    }),
    lib('accepts', '1.3.8', { licenses: [{ raw: '(MIT OR Apache-2.0)', spdx: 'MIT OR Apache-2.0' }] }),
    lib('@scope/odd', '1.0.0', { scope: 'dev', licenses: [{ raw: 'Some Custom License' }, { raw: 'BSD', spdx: 'BSD-2-Clause' }] }),
    lib('accepts', '1.3.8', { locations: [{ path: 'node_modules/accepts/package.json', source: 'installed' }] }),
    {
      ...lib('node', '22.23.1'),
      ecosystem: 'generic',
      purl: 'pkg:generic/node@22.23.1',
      kind: 'runtime',
      locations: [{ path: 'deps/1/node/include/node/node_version.h', source: 'runtime' }],
    },
  ],
};

test('hand-made capture: both formats validate; incomplete capture is said; graph and evidence are there', () => {
  const model = buildModel(handMade, facts(1700000000));
  const c = toCycloneDx(model);
  assert.equal(cdx(c), []);
  const s = toSpdx(model);
  if (spdx) assert.equal(spdx(s), []);
  const comps = c.components as Array<Record<string, any>>;
  const accepts = comps.find((x) => x.name === 'accepts')!;
  assert.equal(
    accepts.evidence.occurrences.map((o: any) => o.location),
    ['node_modules/accepts/package.json', 'package-lock.json'],
  );
  assert.equal(accepts.licenses, [{ expression: 'MIT OR Apache-2.0' }]);
  assert.equal(comps.find((x) => x.name === '@scope/odd')!.scope, 'excluded');
  assert.ok(
    comps.some((x) => x.name === 'apm-agent' && x.properties.some((p: any) => p.name === 'cf:buildpack:key' && p.value === 'agent')),
  );
  assert.ok(comps.some((x) => x.type === 'platform' && x.name === 'node'));
  const deps = c.dependencies as Array<{ ref: string; dependsOn: string[] }>;
  assert.equal(deps.find((d) => d.ref === 'pkg:npm/express@4.21.2')!.dependsOn, ['pkg:npm/accepts@1.3.8']);
  assert.equal(deps.find((d) => d.ref === 'app')!.dependsOn, ['pkg:generic/node@22.23.1', 'pkg:npm/express@4.21.2', 'stack:cflinuxfs4']);
  assert.equal((c.compositions as any)[0].aggregate, 'incomplete');
  assert.ok((c.metadata as any).properties.some((p: any) => p.name === 'bpx:capture:issue' && p.value.includes('yarn.lock:7')));
  assert.equal((c.metadata as any).timestamp, '2023-11-14T22:13:20Z');
  assert.ok(String(s.comment).includes('yarn.lock:7: error: unterminated entry'));
  const rels = s.relationships as Array<Record<string, string>>;
  assert.ok(rels.some((r) => r.relationshipType === 'DESCRIBES' && r.spdxElementId === 'SPDXRef-DOCUMENT'));
  assert.ok(rels.filter((r) => r.relationshipType === 'DEPENDS_ON').length >= 3);
  const odd = (s.packages as any[]).find((p) => p.name === '@scope/odd');
  assert.is(odd.licenseDeclared, 'NOASSERTION');
  assert.ok(odd.licenseComments.includes('Some Custom License'));
  const ex = (s.packages as any[]).find((p) => p.name === 'express');
  assert.equal(ex.checksums, [{ algorithm: 'SHA512', checksumValue: 'ab'.repeat(64) }]);
  assert.equal(ex.externalRefs[0].referenceLocator, 'pkg:npm/express@4.21.2');
});

test('reproducible: byte-identical twice; another SOURCE_DATE_EPOCH changes only the timestamp; no epoch, no wall clock', () => {
  const shuffled: Capture = { ...handMade, components: [...handMade.components].reverse() };
  const a = writeCycloneDx(buildModel(handMade, facts(1700000000)));
  const b = writeCycloneDx(buildModel(shuffled, facts(1700000000)));
  assert.is(a, b);
  const later = writeCycloneDx(buildModel(handMade, facts(1800000000)));
  const diff = a.split('\n').filter((l, i) => l !== later.split('\n')[i]);
  assert.equal(diff, ['    "timestamp": "2023-11-14T22:13:20Z",']);
  const sa = writeSpdx(buildModel(handMade, facts(1700000000)));
  const sl = writeSpdx(buildModel(handMade, facts(1800000000)));
  assert.equal(
    sa.split('\n').filter((l, i) => l !== sl.split('\n')[i]),
    ['    "created": "2023-11-14T22:13:20Z",'],
  );
  const none = toCycloneDx(buildModel(handMade, facts(undefined)));
  assert.is((none.metadata as any).timestamp, undefined);
  assert.is(none.serialNumber, JSON.parse(a).serialNumber);
  // the input capture is not mutated
  assert.equal(handMade.components[0].dependsOn, ['pkg:npm/accepts@1.3.8', 'pkg:npm/missing@1.0.0']);
  // different content, different serial
  const other = writeCycloneDx(buildModel({ ...handMade, components: handMade.components.slice(1) }, facts(1700000000)));
  assert.is.not(JSON.parse(other).serialNumber, JSON.parse(a).serialNumber);
});

test('every corpus app: captureDir → CycloneDX and SPDX valid against the official schemas, byte-identical twice', async () => {
  const lockfiles = path.join(sharedDir, 'corpus/lockfiles');
  if (!needShared(lockfiles, 'the shared corpus')) return;
  const appRoots = [
    ...readdirSync(path.join(lockfiles, 'cf-app')).map((d) => path.join(lockfiles, 'cf-app', d)),
    ...['npm/typicode-json-server', 'bundler', 'composer', 'cargo', 'poetry', 'gomod', 'nuget', 'yarn-berry', 'pnpm']
      .map((d) => path.join(lockfiles, d))
      .filter((d) => existsSync(d)),
  ];
  let withComponents = 0;
  const counts: string[] = [];
  for (const root of appRoots) {
    const capture = await captureDir(root);
    const model = buildModel(capture, facts(1700000000));
    const c = toCycloneDx(model);
    assert.equal(cdx(c), [], `${root} CycloneDX`);
    const s = toSpdx(model);
    assert.equal(spdx!(s), [], `${root} SPDX`);
    if ((c.components as unknown[]).length > 3) withComponents++;
    counts.push(`${path.basename(root)}=${(c.components as unknown[]).length}`);
    const again = await captureDir(root);
    assert.is(writeCycloneDx(buildModel(again, facts(1700000000))), `${JSON.stringify(c, null, 2)}\n`, root);
    assert.is(writeSpdx(buildModel(again, facts(1700000000))), `${JSON.stringify(s, null, 2)}\n`, root);
    const bomRefs = (c.components as any[]).map((x) => x['bom-ref']);
    assert.is(new Set(bomRefs).size, bomRefs.length, `${root} unique bom-refs`);
  }
  if (appRoots.length) assert.ok(withComponents >= 3, `only ${withComponents} apps had components: ${counts.join(' ')}`);
});

test.run();
