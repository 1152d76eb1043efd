// Tests for composer.lock and vendor/composer/installed.json on the real corpus and fixtures.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { composer } from '../../../../src/catalog/managers/composer/index.ts';
import { parseComposerLock } from '../../../../src/catalog/managers/composer/parse-composer-lock.ts';
import { parseInstalledJson } from '../../../../src/catalog/managers/composer/parse-installed-json.ts';
import { corpusDir, expectedCounts, repoRoot } from '../../corpus.ts';
import { needShared } from '../../../shared.ts';

const FIXTURES = path.join(repoRoot, 'test/catalog/managers/composer/fixtures');
const LOCKS = [
  'composer/composer-composer',
  'composer/symfony-demo/2018-symfony-4.1',
  'composer/symfony-demo/head',
  'cf-app/cloudfoundry-samples-cf-ex-composer',
];

for (const dir of LOCKS) {
  test(`corpus ${dir}: packages required, packages-dev dev, lines, licenses`, () => {
    if (!needShared(corpusDir)) return;
    const rel = `lockfiles/${dir}/composer.lock`;
    const text = readFileSync(path.join(corpusDir, rel), 'utf8');
    const r = parseComposerLock(text, rel);
    const want = expectedCounts(rel) as { packages: number; packages_dev: number };
    assert.equal(r.issues, []);
    assert.is(r.components.filter((c) => c.scope === 'required').length, want.packages);
    assert.is(r.components.filter((c) => c.scope === 'dev').length, want.packages_dev);
    const lines = text.split('\n');
    for (const c of r.components) {
      assert.ok(c.purl.startsWith('pkg:composer/'), c.purl);
      assert.ok(lines[c.locations[0].line! - 1].includes(`"name": "${c.name}"`), `${c.name}: line ${c.locations[0].line}`);
    }
    assert.ok(r.components.some((c) => c.licenses.some((l) => l.spdx)));
  });
}

test('corpus symfony-demo 2018: v-prefixed versions kept, edges, direct from composer.json', async () => {
  if (!needShared(corpusDir)) return;
  const root = path.join(corpusDir, 'lockfiles/composer/symfony-demo/2018-symfony-4.1');
  const { ctx } = await scanContextForDir(root, { includeDev: true });
  const r = await composer.parse(['composer.lock'], ctx);
  const kernel = r.components.find((c) => c.name === 'symfony/http-kernel')!;
  assert.is(kernel.version, 'v4.1.0');
  assert.is(kernel.purl, 'pkg:composer/symfony/http-kernel@v4.1.0');
  assert.ok(
    kernel.dependsOn.some((d) => d.startsWith('pkg:composer/symfony/http-foundation@')),
    kernel.dependsOn.join(),
  );
  assert.ok(r.components.some((c) => c.purl === 'pkg:composer/twig/twig@v2.4.8'));
  assert.ok(r.components.filter((c) => c.direct).length > 5);
  assert.is(r.components.length, 88);
});

test('installed.json v2 wins over composer.lock; dist shasum is SHA-1; dev not installed is left out', async () => {
  const { ctx } = await scanContextForDir(path.join(FIXTURES, 'v2'), { includeDev: true });
  const paths = ctx.files.map((f) => f.path).filter(composer.matches);
  assert.equal(paths, ['app/composer.lock', 'app/vendor/composer/installed.json']);
  const r = await composer.parse(paths, ctx);
  assert.equal(
    r.components.map((c) => c.purl),
    ['pkg:composer/monolog/monolog@3.5.0', 'pkg:composer/psr/log@3.0.1'],
  );
  const monolog = r.components[0];
  assert.equal(monolog.locations, [
    { path: 'app/composer.lock', line: 5, source: 'lockfile' },
    { path: 'app/vendor/composer/installed.json', line: 4, source: 'installed' },
  ]);
  assert.is(monolog.direct, true);
  assert.equal(monolog.dependsOn, ['pkg:composer/psr/log@3.0.1']);
  assert.equal(r.components[1].hashes, [], 'the lock shasum belongs to 3.0.0');
  assert.ok(r.issues.some((i) => /3\.0\.0 but 3\.0\.1 is installed/.test(i.message)));
  const lockOnly = parseComposerLock(readFileSync(path.join(FIXTURES, 'v2/app/composer.lock'), 'utf8'), 'composer.lock');
  assert.equal(lockOnly.components.find((c) => c.name === 'psr/log')!.hashes, [
    { alg: 'SHA-1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
  ]);
  assert.equal(lockOnly.components.find((c) => c.name === 'monolog/monolog')!.hashes, [], 'empty shasum is no hash');
});

test('installed.json v1 (an array, escaped slashes): components with lines and edges', () => {
  const rel = 'vendor/composer/installed.json';
  const r = parseInstalledJson(readFileSync(path.join(FIXTURES, 'v1', rel), 'utf8'), rel);
  assert.equal(
    r.components.map((c) => `${c.purl} ${c.locations[0].line} ${c.locations[0].source}`),
    ['pkg:composer/symfony/polyfill-mbstring@v1.9.0 3 installed', 'pkg:composer/twig/twig@v2.4.8 8 installed'],
  );
  assert.equal(r.components[1].dependsOn, ['pkg:composer/symfony/polyfill-mbstring@v1.9.0']);
  assert.equal(r.components[1].licenses, [{ raw: 'BSD-3-Clause', spdx: 'BSD-3-Clause' }]);
});

test('truncated composer.lock: one located error, no crash', () => {
  const rel = 'corrupt/composer.lock';
  const r = parseComposerLock(readFileSync(path.join(FIXTURES, rel), 'utf8'), rel);
  assert.is(r.components.length, 0);
  assert.is(r.issues.length, 1);
  assert.is(r.issues[0].severity, 'error');
  assert.ok(r.issues[0].line! >= 10, JSON.stringify(r.issues[0]));
  const notObj = parseInstalledJson('"x"', 'installed.json');
  assert.is(notObj.issues[0].severity, 'error');
});

test.run();
