// Tools buildpacks install into deps/: yarn beside node's bundled npm and corepack, pip in python's site-packages,
// bundler in deps/<idx>/bundler; composer.phar and the JRE's tools. Fixtures are droplets laid out as the buildpacks do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureDir } from '../../../../src/catalog/capture.ts';
import { tools } from '../../../../src/catalog/managers/tools/index.ts';
import { composerPharVersion } from '../../../../src/catalog/managers/tools/rules.ts';
import { buildModel, toCycloneDx } from '../../../../src/sbom/index.ts';
import { nodejsDroplet, shippedPurls } from '../../real-droplet.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', name);
const expected = async (name: string): Promise<string[]> => JSON.parse(await readFile(path.join(fixture(name), 'expected.json'), 'utf8'));

for (const name of ['yarn-in-deps', 'pip-in-deps', 'bundler-in-deps']) {
  test(`${name}: the capture lists exactly what the droplet ships, complete, without issues`, async () => {
    const cap = await captureDir(fixture(name));
    assert.equal(
      cap.components.map((c) => c.purl),
      await expected(name),
    );
    assert.equal(cap.issues, []);
    assert.is(cap.complete, true);
  });
}

test('yarn-in-deps: yarn is the package the buildpack extracted into deps/0/yarn, not an app dependency', async () => {
  const cap = await captureDir(fixture('yarn-in-deps'));
  const yarn = cap.components.find((c) => c.name === 'yarn')!;
  assert.equal(yarn.locations, [{ path: 'deps/0/yarn/package.json', line: 1, source: 'installed' }]);
  assert.equal(yarn.licenses, [{ raw: 'BSD-2-Clause', spdx: 'BSD-2-Clause' }]);
  assert.is(yarn.kind, 'library');
  assert.is(yarn.scope, 'required');
  assert.not.ok(yarn.direct);
  // node's bundled npm and its own bundled packages come from the installed tree under deps/0/node/lib
  const npm = cap.components.find((c) => c.name === 'npm')!;
  assert.equal(
    npm.locations.map((l) => l.path),
    ['deps/0/node/lib/node_modules/npm/package.json'],
  );
  assert.ok(cap.components.find((c) => c.name === 'ms')!.direct);
});

test('pip-in-deps and bundler-in-deps: the tools come with their installed metadata', async () => {
  const py = await captureDir(fixture('pip-in-deps'));
  assert.equal(py.components.find((c) => c.name === 'pip')!.locations, [
    { path: 'deps/0/python/lib/python3.12/site-packages/pip-24.2.dist-info/METADATA', line: 2, source: 'installed' },
  ]);
  const rb = await captureDir(fixture('bundler-in-deps'));
  assert.equal(
    rb.components.find((c) => c.name === 'bundler')!.locations.map((l) => l.path),
    ['deps/0/bundler/specifications/bundler-2.5.22.gemspec'],
  );
});

test('the tools manager reads exactly these files', () => {
  const yes = [
    'deps/0/yarn/package.json',
    'deps/12/pnpm/package.json',
    'app/php/bin/composer.phar',
    'app/.java-buildpack/open_jdk_jre/bin/jvmkill-1.17.0_RELEASE',
    'app/.java-buildpack/open_jdk_jre/bin/java-buildpack-memory-calculator-3.13.0_RELEASE',
    'deps/0/jre/bin/jvmkill-1.16.0.so',
  ];
  const no = [
    'deps/0/node_modules/package.json',
    'deps/0/node_modules/ms/package.json',
    'deps/0/yarn/lib/package.json',
    'deps/0/.cache/package.json',
    'deps/0/package.json',
    'app/package.json',
    'app/node_modules/x/package.json',
    'app/node_modules/x/composer.phar',
    'app/.java-buildpack/open_jdk_jre/bin/java',
    'app/.java-buildpack/open_jdk_jre/bin/jvmkill',
    'deps/0/yarn/bin/yarn.js',
    'deps/0/bin/yarn',
  ];
  for (const p of yes) assert.ok(tools.matches(p), p);
  for (const p of no) assert.not.ok(tools.matches(p), p);
});

test('composer.phar: the version the compiler wrote into the Composer class (2.x and 1.x), none elsewhere', () => {
  const stub =
    "#!/usr/bin/env php\n<?php\nPhar::mapPhar('composer.phar');\nrequire 'phar://composer.phar/bin/composer';\n__HALT_COMPILER(); ?>\r\n";
  const v2 =
    "<?php\nnamespace Composer;\nuse Composer\\Package\\RootPackageInterface;\nclass Composer extends PartialComposer\n{\npublic const VERSION = '2.7.7';\npublic const BRANCH_ALIAS_VERSION = '';\npublic const RELEASE_DATE = '2024-06-10 22:11:12';\npublic const SOURCE_VERSION = '';\n";
  assert.is(composerPharVersion(`${stub}\u0000\u0001${v2}`), '2.7.7');
  assert.is(composerPharVersion("class Composer\n{\nconst VERSION = '1.10.26';\nconst BRANCH_ALIAS_VERSION = '';"), '1.10.26');
  // another class's VERSION constant is not Composer's
  assert.is(composerPharVersion("class Kernel\n{\nconst VERSION = '5.4.0';\n}"), undefined);
});

test('composer.phar and the JRE tools become components; a broken deps package.json is a warning, the capture stays complete', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'bpx-tools-'));
  try {
    await mkdir(path.join(root, 'app/php/bin'), { recursive: true });
    await writeFile(
      path.join(root, 'app/php/bin/composer.phar'),
      Buffer.concat([
        Buffer.from('#!/usr/bin/env php\n<?php __HALT_COMPILER(); ?>\r\n'),
        Buffer.from([0, 1, 2, 0xff]),
        Buffer.from("class Composer extends PartialComposer\n{\npublic const VERSION = '2.7.7';\n"),
      ]),
    );
    await mkdir(path.join(root, 'app/.java-buildpack/open_jdk_jre/bin'), { recursive: true });
    await writeFile(path.join(root, 'app/.java-buildpack/open_jdk_jre/bin/jvmkill-1.17.0_RELEASE'), '');
    await writeFile(path.join(root, 'app/.java-buildpack/open_jdk_jre/bin/java-buildpack-memory-calculator-3.13.0_RELEASE'), '');
    await mkdir(path.join(root, 'deps/0/broken'), { recursive: true });
    await writeFile(path.join(root, 'deps/0/broken/package.json'), '{"name": "broken",');
    await mkdir(path.join(root, 'deps/0/settings'), { recursive: true });
    await writeFile(path.join(root, 'deps/0/settings/package.json'), '{"private": true}');
    const cap = await captureDir(root, { managers: ['tools'] });
    assert.equal(
      cap.components.map((c) => `${c.purl} ${c.locations[0].source}`),
      [
        'pkg:composer/composer/composer@2.7.7 binary',
        'pkg:generic/java-buildpack-memory-calculator@3.13.0 binary',
        'pkg:generic/jvmkill@1.17.0 binary',
      ],
    );
    assert.equal(
      cap.issues.map((i) => [i.path, i.severity]),
      [['deps/0/broken/package.json', 'warning']],
    );
    assert.is(cap.complete, true);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the real nodejs-buildpack droplet: node, npm and its bundled packages, corepack, yarn, every app package, nothing else', async () => {
  const dir = nodejsDroplet();
  if (!dir) return;
  const cap = await captureDir(path.join(dir, 'droplet'));
  const want = shippedPurls(dir);
  assert.equal(
    cap.components.map((c) => c.purl),
    want,
  );
  assert.is(cap.complete, true);
  for (const p of [
    'pkg:generic/node@18.20.3',
    'pkg:npm/npm@10.7.0',
    'pkg:npm/corepack@0.28.0',
    'pkg:npm/yarn@1.22.19',
    'pkg:npm/express@4.19.2',
  ])
    assert.ok(want.includes(p), p);
  // the SBOM written from it lists the same components, and says it is complete
  const doc = toCycloneDx(buildModel(cap, { app: {}, buildpacks: [], tool: { name: 'bpx', version: '0' } })) as {
    components: Array<{ purl?: string }>;
    compositions: Array<{ aggregate: string }>;
  };
  assert.equal(doc.components.flatMap((c) => (c.purl ? [c.purl] : [])).sort(), want);
  assert.is(doc.compositions[0].aggregate, 'complete');
});

test('the real droplet missing: skipped with its reason, but a failure when CI is set', () => {
  const missing = path.join(here, 'fixtures', 'no-such-droplet');
  const log = console.log;
  const said: string[] = [];
  console.log = (m: string) => said.push(m);
  try {
    assert.is(nodejsDroplet({}, missing), undefined);
  } finally {
    console.log = log;
  }
  assert.equal(said, [`skipped: ${missing} is absent (the shared skeleton of a real nodejs-buildpack droplet)`]);
  assert.throws(() => nodejsDroplet({ CI: 'true' }, missing), /CI is set: failing instead of skipping/);
});

test.run();
