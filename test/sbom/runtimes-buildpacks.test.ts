// The SBOM's runtimes and buildpacks: CPE names and how each runtime was found, written by both formats (schema-valid)
// and read back; buildpacks by their own name (not the enriched detect line config.yml holds) with digest and commit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimesFromInstalls } from '../../src/catalog/managers/runtimes/from-installs.ts';
import { makeComponent, runtimeCpe } from '../../src/model/index.ts';
import { buildpackFromConfig, ownName, readBuildpacks } from '../../src/sbom/facts.ts';
import { readSbom } from '../../src/sbom/formats/index.ts';
import { writeCycloneDx } from '../../src/sbom/formats/cyclonedx.ts';
import { writeSpdx } from '../../src/sbom/formats/spdx.ts';
import { buildModel } from '../../src/sbom/model.ts';
import { TOOL } from '../../src/sbom/tool.ts';
import { cycloneDxValidator, hasShared, spdxValidator } from './schemas.ts';

const SHA = 'c'.repeat(64);
const COMMIT = 'd'.repeat(40);

test("config.yml: the own name kept beside the enriched line, else the line's first word; a plain name as it is", () => {
  const enriched =
    'name: nodejs-buildpack=v1.9.4 node=20.11.1 npm=10.2.4\nversion: 1.9.4\noutput_metadata:\n  bpx_buildpack_name: nodejs\n  bpx_detect: [node=20.11.1, npm=10.2.4]\n';
  assert.equal(buildpackFromConfig(enriched, '0'), { index: '0', name: 'nodejs', version: '1.9.4' });
  const older = 'name: ruby=v1.10.0 ruby=3.3.6\nversion: "1.10"\noutput_metadata:\n  bpx_detect: [ruby=3.3.6]\n';
  assert.equal(buildpackFromConfig(older, '1'), { index: '1', name: 'ruby', version: '1.10' });
  assert.equal(buildpackFromConfig('name: staticfile\nversion: 1.6.0\n', '2'), { index: '2', name: 'staticfile', version: '1.6.0' });
  // a buildpack that names itself with `=` but bpx wrote no line: its name as it is
  assert.is(ownName({ name: 'staticfile-lite=v0.4.2 nginx=1.27.3' }), 'staticfile-lite=v0.4.2 nginx=1.27.3');
});

test('readBuildpacks keeps what bpx wrap recorded (digest, commit) and takes the own name from config.yml', async () => {
  const deps = mkdtempSync(join(tmpdir(), 'bpx-bp-facts-'));
  try {
    mkdirSync(join(deps, '0'));
    writeFileSync(
      join(deps, '0', 'config.yml'),
      'name: runtimes-test-buildpack=v1.2.3 node=20.11.1\nversion: 1.2.3\noutput_metadata:\n  bpx_buildpack_name: runtimes-test\n  bpx_detect: [node=20.11.1]\n',
    );
    const { buildpacks } = await readBuildpacks(deps, [
      { index: '0', name: 'runtimes-test-buildpack=v1.2.3 node=20.11.1', key: 'rt', sha256: SHA, commit: COMMIT },
    ]);
    assert.equal(buildpacks, [{ index: '0', name: 'runtimes-test', version: '1.2.3', key: 'rt', sha256: SHA, commit: COMMIT }]);
  } finally {
    rmSync(deps, { recursive: true, force: true });
  }
});

test('CycloneDX and SPDX: CPEs, how each runtime was found, the buildpack build; schema-valid; read back', () => {
  const node = makeComponent({
    ecosystem: 'generic',
    name: 'node',
    version: '20.11.1',
    kind: 'runtime',
    location: { path: 'deps/0/node/include/node/node_version.h', source: 'runtime' },
    cpe: runtimeCpe('node', '20.11.1'),
  });
  const nginx = makeComponent({
    ecosystem: 'generic',
    name: 'nginx',
    version: '1.27.3',
    kind: 'runtime',
    location: { path: 'deps/1/nginx/sbin/nginx', source: 'runtime' },
    cpe: runtimeCpe('nginx', '1.27.3'),
  });
  const jre = makeComponent({
    ecosystem: 'generic',
    name: 'jre',
    version: '1.8.0_391',
    kind: 'runtime',
    location: { path: 'app/.java-buildpack/open_jdk_jre/release', source: 'runtime' },
    cpe: runtimeCpe('jre', '1.8.0_391', true),
  });
  const lib = makeComponent({
    ecosystem: 'npm',
    name: 'ms',
    version: '2.1.3',
    location: { path: 'app/package-lock.json', source: 'lockfile' },
    direct: true,
  });
  const logged = runtimesFromInstalls([{ name: 'php', version: '8.1.28' }], [node]);
  const model = buildModel(
    { components: [node, nginx, jre, lib, ...logged], issues: [], complete: true },
    {
      app: { name: 'shop' },
      buildpacks: [{ index: '0', name: 'runtimes-test', version: '1.2.3', key: 'rt', sha256: SHA, commit: COMMIT }],
      tool: TOOL,
    },
  );
  const cdxText = writeCycloneDx(model);
  const spdxText = writeSpdx(model);
  const cdx = JSON.parse(cdxText);
  const spdx = JSON.parse(spdxText);
  if (hasShared) assert.equal(spdxValidator()(spdx), []);
  assert.equal(cycloneDxValidator()(cdx), []);
  const technique = (purl: string) =>
    cdx.components.find((c: { purl?: string }) => c.purl === purl).evidence.identity[0].methods[0].technique;
  assert.is(technique(node.purl), 'source-code-analysis');
  assert.is(technique(nginx.purl), 'binary-analysis');
  assert.is(technique(jre.purl), 'manifest-analysis');
  assert.is(technique('pkg:generic/php@8.1.28'), 'other');
  assert.is(cdx.components.find((c: { purl?: string }) => c.purl === lib.purl).cpe, undefined, 'packages have no CPE');
  assert.is(cdx.components.find((c: { purl?: string }) => c.purl === lib.purl).evidence.identity, undefined);
  for (const text of [cdxText, spdxText]) {
    const back = readSbom(text, 'x.json');
    const cpes = Object.fromEntries(back.components.map((c) => [c.purl, c.cpe]));
    assert.equal(
      cpes,
      {
        'pkg:generic/jre@1.8.0_391': 'cpe:2.3:a:oracle:jre:1.8.0:update391:*:*:*:*:*:*',
        'pkg:generic/nginx@1.27.3': 'cpe:2.3:a:f5:nginx:1.27.3:*:*:*:*:*:*:*',
        'pkg:generic/node@20.11.1': 'cpe:2.3:a:nodejs:node.js:20.11.1:*:*:*:*:*:*:*',
        'pkg:generic/php@8.1.28': 'cpe:2.3:a:php:php:8.1.28:*:*:*:*:*:*:*',
        'pkg:npm/ms@2.1.3': undefined,
      },
      back.format,
    );
    assert.ok(
      back.components.filter((c) => c.ecosystem === 'generic').every((c) => c.kind === 'runtime'),
      back.format,
    );
    assert.equal(
      back.buildpacks,
      [{ name: 'runtimes-test', version: '1.2.3', key: 'rt', index: '0', sha256: SHA, commit: COMMIT }],
      back.format,
    );
  }
});

test.run();
