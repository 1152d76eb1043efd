// The FORMATS registry: each format writes a document its own reader reads back, and the files, predicates and settings agree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { FORMAT_IDS, FORMATS, formatOfPredicate, isFormat, readSbom } from '../../src/sbom/formats/index.ts';
import { stableJson } from '../../src/sbom/ids.ts';
import { buildModel } from '../../src/sbom/model.ts';
import { FILE_NAMES } from '../../src/sbom/outputs.ts';
import { makeComponent, type Capture } from '../../src/model/index.ts';

const loc = { path: 'package-lock.json', line: 3, source: 'lockfile' as const };
const capture: Capture = {
  complete: true,
  issues: [],
  components: [
    makeComponent({ ecosystem: 'npm', name: '@babel/core', version: '7.24.0', location: loc }),
    makeComponent({ ecosystem: 'maven', name: 'org.apache:commons', version: '1.0', location: loc, scope: 'dev' }),
    makeComponent({
      ecosystem: 'generic',
      name: 'node',
      version: '22.23.1',
      kind: 'runtime',
      location: { path: 'deps/0/node', source: 'runtime' },
    }),
  ],
};
const model = buildModel(capture, {
  app: { name: 'demo' },
  buildpacks: [{ index: '0', name: 'nodejs', version: '1.8.30', key: 'nodejs_buildpack' }],
  tool: { name: 'bpx', version: '0' },
});

test("ids, files and predicate types are distinct; FILE_NAMES lists every format's file", () => {
  assert.equal(FORMAT_IDS, ['cyclonedx', 'spdx']);
  const files = FORMAT_IDS.map((f) => FORMATS[f].file);
  const predicates = FORMAT_IDS.map((f) => FORMATS[f].predicateType);
  assert.is(new Set(files).size, files.length);
  assert.is(new Set(predicates).size, predicates.length);
  for (const f of FORMAT_IDS) {
    assert.is(FILE_NAMES[f], FORMATS[f].file);
    assert.is(formatOfPredicate(FORMATS[f].predicateType), f);
  }
  assert.is(formatOfPredicate('https://example.com/other'), undefined);
  assert.ok(isFormat('spdx'));
  assert.not.ok(isFormat('toString'));
});

test('each format reads back what it writes: purls, names, versions, scope, runtime, buildpacks', () => {
  for (const f of FORMAT_IDS) {
    const doc = FORMATS[f].write(model);
    for (const other of FORMAT_IDS) if (other !== f) assert.is(FORMATS[other].read(doc, 'x'), undefined, `${other} reads ${f}`);
    const back = readSbom(stableJson(doc), `sbom.${f}`);
    assert.is(back.format, f);
    assert.equal(back.issues, []);
    const byPurl = new Map(back.components.map((c) => [c.purl, c]));
    for (const c of model.components) {
      const r = byPurl.get(c.purl);
      assert.ok(r, `${f}: ${c.purl}`);
      assert.equal([r!.ecosystem, r!.name, r!.version], [c.ecosystem, c.name, c.version], `${f}: ${c.purl}`);
    }
    assert.equal(
      back.buildpacks.map((b) => [b.name, b.version, b.key, b.index]),
      [['nodejs', '1.8.30', 'nodejs_buildpack', '0']],
      f,
    );
  }
  const cdx = readSbom(stableJson(FORMATS.cyclonedx.write(model)), 'x');
  assert.is(cdx.components.find((c) => c.name === 'org.apache:commons')!.scope, 'dev');
  assert.is(cdx.components.find((c) => c.name === 'node')!.kind, 'runtime');
});

test('readSbom: neither format, not JSON, an invalid purl', () => {
  assert.throws(() => readSbom('{"hello":1}', 'x.json'), /x\.json: not a CycloneDX or SPDX JSON document/);
  assert.throws(() => readSbom('nope', 'x.json'), /x\.json: not JSON/);
  const r = readSbom(
    JSON.stringify({ bomFormat: 'CycloneDX', components: [{ purl: 'not a purl' }, { purl: 'pkg:hex/phoenix@1.7.0' }] }),
    'x.json',
  );
  assert.is(r.issues.length, 1);
  assert.equal(
    r.components.map((c) => [c.ecosystem, c.name, c.version]),
    [['hex', 'phoenix', '1.7.0']],
  );
});

test('builtin:sbom settings schema lists exactly the formats', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/settings/sbom.schema.json', import.meta.url), 'utf8'));
  assert.equal(schema.properties.formats.items.enum, FORMAT_IDS);
});

test.run();
