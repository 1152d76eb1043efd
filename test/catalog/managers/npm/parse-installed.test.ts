import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureDir, captureMounts } from '../../../../src/catalog/index.ts';
import { installedPath } from '../../../../src/catalog/node-modules.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

test('installed paths: only a package own package.json, scoped and nested, with the tree base', () => {
  assert.equal(installedPath('deps/0/node_modules/a/node_modules/@s/b/package.json'), {
    base: 'deps/0',
    installPath: 'node_modules/a/node_modules/@s/b',
  });
  assert.equal(installedPath('node_modules/@s/a/node_modules/b/package.json'), {
    base: '',
    installPath: 'node_modules/@s/a/node_modules/b',
  });
  assert.equal(installedPath('app/node_modules/.pnpm/a@1.0.0/node_modules/a/package.json'), {
    base: 'app',
    installPath: 'node_modules/.pnpm/a@1.0.0/node_modules/a',
  });
  for (const p of [
    'node_modules/a/lib/package.json',
    'node_modules/a/test/node_modules/b/package.json',
    'node_modules/.bin/package.json',
    'package.json',
  ]) {
    assert.is(installedPath(p), undefined, p);
  }
});

test('droplet layout: deps/0/node_modules wins over app/package-lock.json', async () => {
  const root = path.join(fixtures, 'installed-wins');
  const cap = await captureDir(root);
  const expected = JSON.parse(readFileSync(path.join(root, 'expected.json'), 'utf8')) as string[];
  assert.equal(
    cap.components.map((c) => `${c.purl} ${c.scope} ${[...new Set(c.locations.map((l) => l.path))].join(',')}`),
    expected,
  );
  const by = new Map(cap.components.map((c) => [c.purl, c]));
  // the optional platform package not installed (darwin) is not shipped; the installed linux one is, as optional
  assert.not.ok(cap.components.some((c) => c.name === '@esbuild/darwin-arm64'));
  const esb = by.get('pkg:npm/esbuild@0.21.5')!;
  assert.equal(
    esb.locations.map((l) => l.source),
    ['lockfile', 'installed'],
  );
  assert.is(esb.locations[0].line, 39);
  assert.equal(esb.dependsOn, ['pkg:npm/%40esbuild/linux-x64@0.21.5']);
  assert.ok(esb.hashes[0].alg === 'SHA-512', 'lockfile integrity kept for an installed package');
  assert.is(esb.direct, true);
  // licenses in every package.json shape
  assert.equal(by.get('pkg:npm/legacy-lic@1.0.0')!.licenses, [
    { raw: 'MIT', spdx: 'MIT' },
    { raw: 'Apache 2', spdx: 'Apache-2.0' },
  ]);
  assert.equal(by.get('pkg:npm/ms@0.7.1')!.licenses, [{ raw: 'MIT', spdx: 'MIT' }]);
  assert.equal(by.get('pkg:npm/ms@0.7.1')!.hashes, [{ alg: 'SHA-1', value: '9cd13c03adbff25b65effde7ce864ee952017098' }]);
  // nested resolution: legacy-lic needs ms 0.7.1 from its own node_modules
  assert.equal(by.get('pkg:npm/legacy-lic@1.0.0')!.dependsOn, ['pkg:npm/ms@0.7.1']);
  // issues: the broken package.json (error, located), and the version disagreement (warning)
  assert.is(cap.complete, false);
  const msgs = cap.issues.map((i) => `${i.severity} ${i.path}:${i.line ?? ''}`);
  assert.ok(msgs.includes('error deps/0/node_modules/broken/package.json:1'), msgs.join('\n'));
  assert.ok(
    cap.issues.some(
      (i) =>
        i.severity === 'warning' &&
        i.path === 'deps/0/node_modules/ms/package.json' &&
        /differs from app\/package-lock.json:\d+ \(ms@2.1.2\): installed wins/.test(i.message),
    ),
  );
  // the dev package in the lockfile is not installed, so not shipped even with includeDev
  const dev = await captureDir(root, { includeDev: true });
  assert.not.ok(dev.components.some((c) => c.name === 'left-pad'));
});

test('captureMounts: BUILD_DIR as app/ and DEPS_DIR as deps/ give the same capture as the droplet root', async () => {
  const root = path.join(fixtures, 'installed-wins');
  const whole = await captureDir(root);
  const mounted = await captureMounts([
    { prefix: 'app/', dir: path.join(root, 'app') },
    { prefix: 'deps/', dir: path.join(root, 'deps') },
  ]);
  assert.equal(mounted, whole);
});

test.run();
