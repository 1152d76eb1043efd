// Tests for the Cargo.lock parser against the real corpus (every format generation) and broken inputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { cargo } from '../../../../src/catalog/managers/cargo/index.ts';
import { parseCargoLock } from '../../../../src/catalog/managers/cargo/parse-cargo-lock.ts';
import { parsePurl } from '../../../../src/model/index.ts';
import { needShared } from '../../../shared.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpus = path.resolve(repo, '..', 'shared', 'corpus');
const have = existsSync(corpus);
const counts = have ? JSON.parse(readFileSync(path.join(corpus, 'expected-counts.json'), 'utf8')).files : {};

const LOCKS = [
  'BurntSushi-ripgrep/v0-root-section',
  'BurntSushi-ripgrep/v1-metadata-checksums',
  'BurntSushi-ripgrep/v2-implicit',
  'BurntSushi-ripgrep/v3',
  'BurntSushi-ripgrep/v4',
  'astral-sh-uv/v4-git-sources',
];

for (const dir of LOCKS) {
  test(`corpus ${dir}: registry + git packages, purl type cargo, lines point at [[package]]`, () => {
    if (!needShared(corpus)) return;
    const rel = `lockfiles/cargo/${dir}/Cargo.lock`;
    const text = readFileSync(path.join(corpus, rel), 'utf8');
    const r = parseCargoLock(text, rel);
    const exp = counts[rel];
    const shipped = exp.packages - exp.by_source['local(no source)'];
    assert.is(r.components.length, shipped);
    assert.equal(r.issues, []);
    const lines = text.split('\n');
    // independent parse with a TOML library: the same (name, version) set, workspace crates excluded
    const toml = parseToml(text) as { package?: { name: string; version: string; source?: string }[] };
    const want = (toml.package ?? [])
      .filter((p) => p.source)
      .map((p) => `${p.name}@${p.version}`)
      .sort();
    assert.equal(r.components.map((c) => `${c.name}@${c.version}`).sort(), want);
    for (const c of r.components) {
      assert.is(parsePurl(c.purl).type, 'cargo');
      assert.is(lines[c.locations[0].line! - 1], '[[package]]');
    }
    // every registry crate carries its checksum (inline from v2, in [metadata] before); git crates have none
    const withHash = r.components.filter((c) => c.hashes.length === 1 && c.hashes[0].alg === 'SHA-256').length;
    assert.is(withHash, exp.metadata_checksum_entries ?? exp.by_source.registry);
    assert.ok(r.components.some((c) => c.direct));
    const purls = new Set(r.components.map((c) => c.purl));
    assert.is(purls.size, r.components.length);
    for (const c of r.components) for (const d of c.dependsOn) assert.ok(purls.has(d), `${c.purl} -> ${d}`);
  });
}

test('ripgrep v1: regex 1.3.9 with its checksum and edges; workspace crates are not reported', () => {
  if (!needShared(corpus)) return;
  const rel = 'lockfiles/cargo/BurntSushi-ripgrep/v1-metadata-checksums/Cargo.lock';
  const r = parseCargoLock(readFileSync(path.join(corpus, rel), 'utf8'), rel);
  const regex = r.components.find((c) => c.name === 'regex');
  assert.ok(regex);
  assert.is(regex!.version, '1.3.9');
  assert.is(regex!.purl, 'pkg:cargo/regex@1.3.9');
  assert.is(regex!.hashes.length, 1);
  assert.ok(regex!.dependsOn.includes('pkg:cargo/memchr@2.3.3'));
  assert.is(regex!.direct, true);
  assert.not.ok(r.components.some((c) => c.name === 'ripgrep' || c.name === 'grep'));
});

test('uv v4: git sources carry a vcs_url qualifier with the commit', () => {
  if (!needShared(corpus)) return;
  const rel = 'lockfiles/cargo/astral-sh-uv/v4-git-sources/Cargo.lock';
  const r = parseCargoLock(readFileSync(path.join(corpus, rel), 'utf8'), rel);
  const git = r.components.filter((c) => c.purl.includes('vcs_url'));
  assert.is(git.length, 6);
  const pubgrub = git.find((c) => c.name === 'pubgrub')!;
  assert.is(
    parsePurl(pubgrub.purl).qualifiers!.vcs_url,
    'git+https://github.com/astral-sh/pubgrub@d8efd77673c9a90792da9da31b6c0da7ea8a324b',
  );
  assert.is(pubgrub.hashes.length, 0);
});

test('truncated lockfile: entries before the cut survive, the cut entry is an error with its line', () => {
  const text = [
    'version = 3',
    '',
    '[[package]]',
    'name = "app"',
    'version = "0.1.0"',
    'dependencies = [',
    ' "libc",',
    ' "memchr",',
    ']',
    '',
    '[[package]]',
    'name = "libc"',
    'version = "0.2.71"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    'checksum = "9457b06509d27052635f90d6466700c65095fdf75409b3fbdd903e988b886f49"',
    '',
    '[[package]]',
    'name = "memchr"',
  ].join('\n');
  const r = parseCargoLock(text, 'app/Cargo.lock');
  assert.equal(
    r.components.map((c) => c.purl),
    ['pkg:cargo/libc@0.2.71'],
  );
  assert.is(r.components[0].direct, true);
  assert.equal(r.components[0].hashes, [{ alg: 'SHA-256', value: '9457b06509d27052635f90d6466700c65095fdf75409b3fbdd903e988b886f49' }]);
  assert.equal(r.components[0].locations, [{ path: 'app/Cargo.lock', line: 11, source: 'lockfile' }]);
  assert.ok(r.issues.some((i) => i.line === 17 && i.severity === 'error'));
});

test('garbage input gives issues, not a throw', () => {
  const r = parseCargoLock('[[package]]\n\u0000\u0001 not toml\nname = \n', 'Cargo.lock');
  assert.equal(r.components, []);
  assert.ok(r.issues.length > 0);
  assert.equal(parseCargoLock('', 'Cargo.lock'), { components: [], issues: [] });
});

test('cargo.matches: exactly the files it reads', () => {
  for (const p of ['Cargo.lock', 'app/Cargo.lock', 'app/crates/x/Cargo.lock']) assert.ok(cargo.matches(p), p);
  for (const p of ['Cargo.toml', 'app/cargo.lock', 'app/Cargo.lock.bak', 'Cargo.lock/x']) assert.not.ok(cargo.matches(p), p);
});

test.run();
