import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureDir } from '../../../../src/catalog/index.ts';
import { conditionsMatch } from '../../../../src/catalog/managers/yarn/catalog.ts';
import { parseYarnLock } from '../../../../src/catalog/managers/yarn/parse-yarn-lock.ts';
import { corpusDir, expectedCounts } from '../../corpus.ts';
import { needShared } from '../../../shared.ts';

const CLASSIC = [
  'yarn-classic/typicode-json-server',
  'yarn-classic/reduxjs-redux',
  'yarn-classic/cloudfoundry-nodejs-buildpack/fixtures-yarn-workspaces',
];
const BERRY = ['yarn-berry/prettier-prettier/metadata-v10', 'yarn-berry/reduxjs-redux/metadata-v6', 'yarn-berry/reduxjs-redux/metadata-v8'];

for (const rel of CLASSIC) {
  test(`corpus ${rel}: specifier keys and distinct name@version as @yarnpkg/lockfile counts them`, async () => {
    if (!needShared(corpusDir)) return;
    const dir = path.join(corpusDir, 'lockfiles', rel);
    const exp = expectedCounts(`lockfiles/${rel}/yarn.lock`) as { specifier_keys: number; distinct_name_version: number };
    const lock = parseYarnLock(readFileSync(path.join(dir, 'yarn.lock'), 'utf8'), 'yarn.lock');
    assert.is(lock.berry, false);
    assert.is(
      lock.entries.reduce((n, e) => n + e.specifiers.length, 0),
      exp.specifier_keys,
    );
    const cap = await captureDir(dir, { includeDev: true, managers: ['yarn'] });
    assert.ok(cap.complete);
    assert.is(cap.components.length, exp.distinct_name_version);
    for (const c of cap.components) {
      assert.ok(c.purl.startsWith('pkg:npm/'));
      assert.ok(c.hashes.length > 0, `${c.purl} carries integrity or a sha1`);
      assert.ok(c.locations[0].line! >= 1);
    }
  });
}

for (const rel of BERRY) {
  test(`corpus ${rel}: one entry per block (as @yarnpkg/parsers), workspace skipped, checksum not a hash`, async () => {
    if (!needShared(corpusDir)) return;
    const dir = path.join(corpusDir, 'lockfiles', rel);
    const exp = expectedCounts(`lockfiles/${rel}/yarn.lock`) as {
      entry_blocks: number;
      workspace_entries: number;
      metadata_version: string;
    };
    const text = readFileSync(path.join(dir, 'yarn.lock'), 'utf8');
    const lock = parseYarnLock(text, 'yarn.lock');
    assert.is(lock.berry, true);
    assert.is(lock.metadataVersion, exp.metadata_version);
    assert.is(lock.entries.length, exp.entry_blocks);
    const cap = await captureDir(dir, { includeDev: true, managers: ['yarn'] });
    assert.ok(cap.complete);
    const nv = new Set(lock.entries.filter((e) => !e.resolution?.includes('@workspace:')).map((e) => `${e.name}@${e.version}`));
    const got = new Set(cap.components.map((c) => `${c.name}@${c.version}`));
    // documented relationship: reported ⊆ lockfile name@versions; the rest are optional builds for other platforms
    for (const g of got) assert.ok(nv.has(g), g);
    const other = lock.entries.filter((e) => !conditionsMatch(e.conditions));
    for (const m of [...nv].filter((x) => !got.has(x)))
      assert.ok(
        other.some((e) => `${e.name}@${e.version}` === m),
        `${m} missing`,
      );
    // line points at the entry header
    const lines = text.split('\n');
    for (const c of cap.components.slice(0, 50)) assert.ok(lines[c.locations[0].line! - 1].includes(`${c.name}@`), c.purl);
  });
}

test('yarn classic: dev scope by reachability from package.json, edges, direct', async () => {
  if (!needShared(corpusDir)) return;
  const cap = await captureDir(path.join(corpusDir, 'lockfiles/yarn-classic/typicode-json-server'), {
    includeDev: true,
    managers: ['yarn'],
  });
  const by = new Map(cap.components.map((c) => [c.name, c]));
  const pkg = JSON.parse(readFileSync(path.join(corpusDir, 'lockfiles/yarn-classic/typicode-json-server/package.json'), 'utf8'));
  for (const n of Object.keys(pkg.dependencies)) assert.is(by.get(n)?.scope, 'required', n);
  assert.is(by.get('express')?.direct, true);
  assert.ok(by.get('express')!.dependsOn.some((p) => p.startsWith('pkg:npm/body-parser@')));
  const devOnly = Object.keys(pkg.devDependencies).filter((n) => !(n in pkg.dependencies));
  assert.ok(devOnly.some((n) => by.get(n)?.scope === 'dev'));
  const prod = await captureDir(path.join(corpusDir, 'lockfiles/yarn-classic/typicode-json-server'), { managers: ['yarn'] });
  assert.ok(prod.components.length < cap.components.length && prod.components.every((c) => c.scope !== 'dev'));
});

test('installed wins: an optional-only entry installed nowhere (fsevents on linux) is not shipped', async () => {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'installed-optional');
  const cap = await captureDir(dir, { managers: ['yarn'] });
  assert.equal(
    cap.components.map((c) => `${c.purl} ${c.scope}`),
    ['pkg:npm/chokidar@3.5.3 required', 'pkg:npm/readdirp@3.6.0 required'],
  );
  // with the npm manager too: one component per purl, lockfile and installed locations
  const all = await captureDir(dir);
  assert.equal(
    all.components.map((c) => c.locations.map((l) => l.source).join('+')),
    ['installed+lockfile', 'installed+lockfile'],
  );
  // without node_modules the lockfile is all there is: fsevents stays (classic lockfiles carry no platform data)
  const lock = parseYarnLock(readFileSync(path.join(dir, 'yarn.lock'), 'utf8'), 'yarn.lock');
  assert.equal(
    lock.entries.map((e) => e.name),
    ['chokidar', 'fsevents', 'readdirp'],
  );
});

test('truncated and malformed yarn.lock: error issue with line, rest kept', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-yarn-'));
  try {
    mkdirSync(path.join(root, 'app'));
    writeFileSync(
      path.join(root, 'app/yarn.lock'),
      '# yarn lockfile v1\n\n\na@^1.0.0:\n  version "1.0.0"\n  integrity sha512-AAAA\n\nb@^2:\n  version "2.0',
    );
    const cap = await captureDir(root, { managers: ['yarn'] });
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.is(cap.complete, false);
    assert.equal(
      cap.issues.map((i) => [i.path, i.line, i.severity]),
      [
        ['app/yarn.lock', 8, 'warning'],
        ['app/yarn.lock', 9, 'error'],
        ['app/yarn.lock', 9, 'error'],
      ],
    );
    const bad = parseYarnLock('a@1:\n  version "1"\nnot a header\n', 'y');
    assert.equal(
      bad.issues.map((i) => [i.line, i.severity]),
      [[3, 'error']],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
