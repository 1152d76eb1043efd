// Tests for gradle.lockfile against the real corpus (JabRef, FabricMC Mercury) and edge cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradle } from '../../../../src/catalog/managers/gradle/index.ts';
import { parseGradleLockfile, gradleScope } from '../../../../src/catalog/managers/gradle/parse-gradle-lockfile.ts';
import { parseVerificationMetadata } from '../../../../src/catalog/managers/gradle/parse-verification-metadata.ts';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { parsePurl } from '../../../../src/model/index.ts';
import { needShared } from '../../../shared.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpus = path.resolve(repo, '..', 'shared', 'corpus');
const have = existsSync(corpus);
const counts = have ? JSON.parse(readFileSync(path.join(corpus, 'expected-counts.json'), 'utf8')).files : {};

for (const dir of ['JabRef-jabref/2022-gradle-lockfile', 'FabricMC-Mercury']) {
  test(`corpus ${dir}: every entry with includeDev; runtime entries without; purl type maven; lines`, () => {
    if (!needShared(corpus)) return;
    const rel = `lockfiles/gradle/${dir}/gradle.lockfile`;
    const text = readFileSync(path.join(corpus, rel), 'utf8');
    const all = parseGradleLockfile(text, rel, true);
    assert.equal(all.issues, []);
    assert.is(all.components.length, counts[rel].entries);
    const lines = text.split('\n');
    for (const c of all.components) {
      assert.is(parsePurl(c.purl).type, 'maven');
      assert.ok(lines[c.locations[0].line! - 1].startsWith(`${c.name}:${c.version}=`));
    }
    const prod = parseGradleLockfile(text, rel, false);
    const runtime = lines.filter((l) => /[=,](runtimeClasspath|compile)(,|$)/.test(l)).length;
    assert.is(prod.components.length, runtime);
    assert.ok(prod.components.every((c) => c.scope === 'required'));
  });
}

test('JabRef: jackson-databind 2.13.3 ships (runtimeClasspath); junit is dev', async () => {
  if (!needShared(corpus)) return;
  const { ctx } = await scanContextForDir(path.join(corpus, 'lockfiles/gradle/JabRef-jabref/2022-gradle-lockfile'));
  const paths = ctx.files.map((f) => f.path).filter((p) => gradle.matches(p));
  assert.equal(paths, ['gradle.lockfile']);
  const r = await gradle.parse(paths, ctx);
  const jd = r.components.find((c) => c.name === 'com.fasterxml.jackson.core:jackson-databind')!;
  assert.is(jd.purl, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.3');
  assert.not.ok(r.components.some((c) => c.name.startsWith('org.junit')));
});

test('scope rules', () => {
  assert.is(gradleScope(['compileClasspath', 'runtimeClasspath']), 'required');
  assert.is(gradleScope(['releaseRuntimeClasspath']), 'required');
  assert.is(gradleScope(['compileClasspath']), 'dev');
  assert.is(gradleScope(['testRuntimeClasspath', 'jmhRuntimeClasspath', 'checkstyle']), 'dev');
  assert.is(gradleScope(['annotationProcessor']), 'dev');
});

test('malformed lines are located warnings; empty= is not a component', () => {
  const r = parseGradleLockfile(
    '# c\na:b:1.0=runtimeClasspath\nbroken line\na:c=runtimeClasspath\nempty=annotationProcessor\n',
    'gradle.lockfile',
    false,
  );
  assert.equal(
    r.components.map((c) => c.purl),
    ['pkg:maven/a/b@1.0'],
  );
  assert.equal(
    r.issues.map((i) => i.line),
    [3, 4],
  );
});

test('corpus verification-metadata.xml: every component counted, jar SHA-256 digests by group:name@version', () => {
  if (!needShared(corpus)) return;
  const rel = 'lockfiles/gradle/ACINQ-bitcoin-kmp/verification-metadata/gradle/verification-metadata.xml';
  const r = parseVerificationMetadata(readFileSync(path.join(corpus, rel), 'utf8'), rel);
  assert.equal(r.issues, []);
  assert.is(r.meta.components, counts[rel].components);
  assert.equal(r.meta.jars.get('com.fasterxml.jackson.core:jackson-core@2.12.7'), [
    { alg: 'SHA-256', value: '3987a6a335046e226e56b81d69668fb5a91b155ea7fd96b0851adbb7d4ac1ca6' },
  ]);
});

test('a lockfile gets the jar digests of the verification file of its root project', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-gradle-'));
  try {
    await mkdir(path.join(dir, 'gradle'));
    await mkdir(path.join(dir, 'web'));
    await writeFile(
      path.join(dir, 'web/gradle.lockfile'),
      'com.fasterxml.jackson.core:jackson-core:2.12.7=runtimeClasspath\norg.x:y:1=runtimeClasspath\nempty=\n',
    );
    await writeFile(
      path.join(dir, 'gradle/verification-metadata.xml'),
      '<?xml version="1.0"?>\n<verification-metadata><components>\n<component group="com.fasterxml.jackson.core" name="jackson-core" version="2.12.7"><artifact name="jackson-core-2.12.7.pom"><sha256 value="00"/></artifact><artifact name="jackson-core-2.12.7.jar"><sha1 value="AB"/><sha256 value="3987a6a335046e226e56b81d69668fb5a91b155ea7fd96b0851adbb7d4ac1ca6"/></artifact></component>\n</components></verification-metadata>\n',
    );
    const { ctx } = await scanContextForDir(dir);
    const paths = ctx.files.map((f) => f.path).filter((p) => gradle.matches(p));
    const r = await gradle.parse(paths, ctx);
    assert.equal(r.issues, []);
    assert.equal(
      r.components.map((c) => c.hashes.map((h) => h.alg)),
      [['SHA-1', 'SHA-256'], []],
    );
    assert.is(r.components[0].hashes[0].value, 'ab');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('gradle.matches: exactly the files it reads', () => {
  for (const p of [
    'gradle.lockfile',
    'app/web/gradle.lockfile',
    'gradle/verification-metadata.xml',
    'app/gradle/verification-metadata.xml',
  ])
    assert.ok(gradle.matches(p), p);
  for (const p of [
    'build.gradle',
    'app/gradle/libs.versions.toml',
    'gradle/dependency-locks/compileClasspath.lockfile',
    'verification-metadata.xml',
  ])
    assert.not.ok(gradle.matches(p), p);
});

test.run();
