// Tests for Gemfile.lock, the Gemfile group reader and installed gemspecs, on the real corpus and fixtures.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { bundler } from '../../../../src/catalog/managers/bundler/index.ts';
import { gemfileGroups } from '../../../../src/catalog/managers/bundler/parse-gemfile.ts';
import { gemfileLockComponents, parseGemfileLock } from '../../../../src/catalog/managers/bundler/parse-gemfile-lock.ts';
import { parseGemspec } from '../../../../src/catalog/managers/bundler/parse-gemspec.ts';
import { corpusDir, expectedCounts, repoRoot } from '../../corpus.ts';
import { needShared } from '../../../shared.ts';

const FIXTURES = path.join(repoRoot, 'test/catalog/managers/bundler/fixtures');
const LOCKS = [
  'bundler/heartcombo-devise',
  'bundler/rails-rails/2021-git-sections',
  'bundler/rails-rails/head-checksums',
  'cf-app/cloudfoundry-samples-cf-sample-app-rails',
];

interface Counts {
  spec_entries: number;
  spec_entries_by_section: Record<string, number>;
  distinct_gem_names: number;
  top_level_DEPENDENCIES: number;
}

for (const dir of LOCKS) {
  test(`corpus ${dir}: spec entries per section, DEPENDENCIES, one component per spec entry`, () => {
    if (!needShared(corpusDir)) return;
    const rel = `lockfiles/${dir}/Gemfile.lock`;
    const text = readFileSync(path.join(corpusDir, rel), 'utf8');
    const lock = parseGemfileLock(text, rel);
    const want = expectedCounts(rel) as unknown as Counts;
    assert.equal(lock.issues, []);
    assert.is(lock.specs.length, want.spec_entries);
    const bySection: Record<string, number> = {};
    for (const s of lock.specs) bySection[s.section] = (bySection[s.section] ?? 0) + 1;
    assert.equal(bySection, want.spec_entries_by_section);
    assert.is(lock.dependencies.length, want.top_level_DEPENDENCIES);
    const groups = gemfileGroups(readFileSync(path.join(corpusDir, `lockfiles/${dir}/Gemfile`), 'utf8'));
    const cs = gemfileLockComponents(lock, rel, groups);
    // Platform variants are separate spec entries and separate purls (platform qualifier).
    assert.is(new Set(cs.map((c) => c.purl)).size, want.spec_entries);
    assert.ok(cs.every((c) => c.purl.startsWith('pkg:gem/')));
    for (const c of cs.slice(0, 30)) assert.match(text.split('\n')[c.locations[0].line! - 1], new RegExp(`^    ${c.name} \\(`));
  });
}

test('corpus rails 2021: nokogiri platform variants, rack 2.2.3, GIT remote and revision, edges', () => {
  if (!needShared(corpusDir)) return;
  const rel = 'lockfiles/bundler/rails-rails/2021-git-sections/Gemfile.lock';
  const lock = parseGemfileLock(readFileSync(path.join(corpusDir, rel), 'utf8'), rel);
  const cs = gemfileLockComponents(lock, rel);
  const noko = cs
    .filter((c) => c.name === 'nokogiri')
    .map((c) => c.purl)
    .sort();
  assert.equal(noko, [
    'pkg:gem/nokogiri@1.10.10',
    'pkg:gem/nokogiri@1.10.10?platform=java',
    'pkg:gem/nokogiri@1.10.10?platform=x64-mingw32',
    'pkg:gem/nokogiri@1.10.10?platform=x86-mingw32',
  ]);
  assert.ok(cs.some((c) => c.purl === 'pkg:gem/rack@2.2.3'));
  const qc = lock.specs.find((s) => s.name === 'queue_classic')!;
  assert.equal(
    [qc.section, qc.remote, qc.revision],
    ['GIT', 'https://github.com/QueueClassic/queue_classic.git', '655143b7952fa011346a00f94d628407aa4e0056'],
  );
  const actionpack = cs.find((c) => c.name === 'actiontext')!;
  assert.ok(actionpack.dependsOn.includes('pkg:gem/nokogiri@1.10.10'), 'edge to the ruby variant');
  assert.ok(actionpack.dependsOn.includes('pkg:gem/actionpack@6.1.3.1'));
});

test('corpus rails head: CHECKSUMS become sha256 hashes', () => {
  if (!needShared(corpusDir)) return;
  const rel = 'lockfiles/bundler/rails-rails/head-checksums/Gemfile.lock';
  const lock = parseGemfileLock(readFileSync(path.join(corpusDir, rel), 'utf8'), rel);
  const cs = gemfileLockComponents(lock, rel);
  const trix = cs.find((c) => c.name === 'action_text-trix')!;
  assert.equal(trix.hashes, [{ alg: 'SHA-256', value: 'f645a2c21821b8449fd1d6770708f4031c91a2eedf9ef476e9be93c64e703a8a' }]);
  assert.ok(cs.filter((c) => c.hashes.length).length > 200);
  assert.is(lock.bundledWith !== undefined, true);
});

test('corpus cf-sample-app-rails: Gemfile groups make development/test gems dev, the rest required', () => {
  if (!needShared(corpusDir)) return;
  const base = path.join(corpusDir, 'lockfiles/cf-app/cloudfoundry-samples-cf-sample-app-rails');
  const groups = gemfileGroups(readFileSync(path.join(base, 'Gemfile'), 'utf8'));
  assert.equal([...groups.get('byebug')!], ['development', 'test']);
  assert.equal([...groups.get('sdoc')!], ['doc']);
  assert.equal([...groups.get('rails')!], ['default']);
  const lock = parseGemfileLock(readFileSync(path.join(base, 'Gemfile.lock'), 'utf8'), 'Gemfile.lock');
  const cs = gemfileLockComponents(lock, 'Gemfile.lock', groups);
  const scope = (n: string) => cs.find((c) => c.name === n)?.scope;
  assert.is(scope('rails'), 'required');
  assert.is(scope('byebug'), 'dev');
  assert.is(scope('sdoc'), 'required', 'only development and test are left out by the buildpack');
  assert.is(scope('activesupport'), 'required');
});

test('Gemfile reader: inline group options, nested blocks, if/end', () => {
  const g = gemfileGroups(`
gem "a"
gem 'b', group: :test
gem 'c', :groups => [:development, :test]
group :test do
  platforms :mri do
    gem "d"
  end
  if ENV["X"]
    gem "e"
  end
end
gem "f" # group :test
`);
  assert.equal(Object.fromEntries([...g].map(([k, v]) => [k, [...v]])), {
    a: ['default'],
    b: ['test'],
    c: ['development', 'test'],
    d: ['test'],
    e: ['test'],
    f: ['default'],
  });
});

test('truncated Gemfile.lock: located warnings, complete specs kept', () => {
  const rel = 'corrupt/Gemfile.lock';
  const lock = parseGemfileLock(readFileSync(path.join(FIXTURES, rel), 'utf8'), rel);
  assert.equal(
    lock.specs.map((s) => s.name),
    ['rack', 'rake'],
  );
  assert.equal(
    lock.issues.map((i) => i.line),
    [5, 7],
  );
  const bad = parseGemfileLock('{"not": "a lockfile"}', 'x/Gemfile.lock');
  assert.is(bad.issues[0].severity, 'error');
});

test('installed gems win: gemspec versions and licenses, platform variant installed, foreign variants out', async () => {
  const { ctx } = await scanContextForDir(path.join(FIXTURES, 'installed'), { includeDev: true });
  const paths = ctx.files.map((f) => f.path).filter(bundler.matches);
  assert.equal(paths, [
    'Gemfile.lock',
    'vendor/bundle/ruby/3.2.0/specifications/nokogiri-1.15.5-x86_64-linux.gemspec',
    'vendor/bundle/ruby/3.2.0/specifications/racc-1.7.3.gemspec',
    'vendor/bundle/ruby/3.2.0/specifications/rack-2.2.8.gemspec',
  ]);
  const r = await bundler.parse(paths, ctx);
  const purls = r.components.map((c) => c.purl);
  assert.equal(purls, ['pkg:gem/nokogiri@1.15.5?platform=x86_64-linux', 'pkg:gem/racc@1.7.3', 'pkg:gem/rack@2.2.8']);
  const rack = r.components.find((c) => c.name === 'rack')!;
  assert.equal(rack.licenses, [{ raw: 'MIT', spdx: 'MIT' }]);
  assert.equal(
    rack.locations.map((l) => l.source),
    ['lockfile', 'installed'],
  );
  assert.equal(rack.hashes, [], 'the lockfile checksum is for 2.2.3, not the installed 2.2.8');
  assert.ok(r.issues.some((i) => i.path === 'Gemfile.lock' && /2\.2\.3 but 2\.2\.8 is installed/.test(i.message)));
  const noko = r.components[0];
  assert.is(noko.hashes[0].value, '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b');
  assert.equal(
    r.components.find((c) => c.name === 'racc')!.licenses.map((l) => l.spdx),
    ['Ruby', 'BSD-2-Clause'],
  );
});

test('gemspec: name and version from the file name when the body is unusual', () => {
  const r = parseGemspec('Gem::Specification.new { |spec| spec.add_dependency "x" }', 'specifications/pg-1.5.4-x86_64-linux.gemspec');
  assert.equal(r.gem, { name: 'pg', version: '1.5.4', platform: 'x86_64-linux', licenses: [], line: 1 });
});

test('no installed tree: lockfile stands, variants Linux never installs are left out', async () => {
  const { ctx } = await scanContextForDir(path.join(FIXTURES, 'installed'), { includeDev: true });
  const r = await bundler.parse(['Gemfile.lock'], ctx);
  assert.equal(
    r.components.map((c) => `${c.purl} ${c.scope}`),
    [
      'pkg:gem/mini_portile2@2.8.5 required',
      'pkg:gem/nokogiri@1.15.5 required',
      'pkg:gem/nokogiri@1.15.5?platform=x86_64-linux required',
      'pkg:gem/racc@1.7.3 required',
      'pkg:gem/rack@2.2.3 required',
      'pkg:gem/rspec@3.12.0 dev',
    ],
  );
});

test.run();
