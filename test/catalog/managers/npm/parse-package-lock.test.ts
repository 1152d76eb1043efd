import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { captureDir } from '../../../../src/catalog/index.ts';
import { parsePackageLock } from '../../../../src/catalog/managers/npm/parse-package-lock.ts';
import { corpusDir, expectedCounts } from '../../corpus.ts';
import { CASES, lockName, otherPlatform } from './helpers.ts';
import { needShared } from '../../../shared.ts';

for (const rel of CASES) {
  test(`corpus ${rel}: parses, purl type npm, distinct count as expected-counts.json documents`, async () => {
    if (!needShared(corpusDir)) return;
    const dir = path.join(corpusDir, 'lockfiles', rel);
    const lock = lockName(dir);
    const cap = await captureDir(dir, { includeDev: true });
    assert.ok(cap.components.length > 0);
    assert.ok(cap.complete, JSON.stringify(cap.issues.slice(0, 3)));
    for (const c of cap.components) assert.ok(c.purl.startsWith('pkg:npm/'), c.purl);
    const exp = expectedCounts(`lockfiles/${rel}/${lock}`) as { distinct_name_version: number };
    const text = readFileSync(path.join(dir, lock), 'utf8');
    const skipped = otherPlatform(text);
    const got = new Set(cap.components.map((c) => `${c.name}@${c.version}`));
    // documented relationship: every name@version the lockfile lists, less optional packages for other platforms
    assert.is(got.size + skipped.size, exp.distinct_name_version);
    // every component has a location with a line inside the lockfile
    const lines = text.split('\n').length;
    for (const c of cap.components) {
      const l = c.locations.find((x) => x.path === lock);
      assert.ok(l && l.line && l.line >= 1 && l.line <= lines, c.purl);
    }
  });
}

test('corpus: located lines point at the entry key', async () => {
  if (!needShared(corpusDir)) return;
  const dir = path.join(corpusDir, 'lockfiles/npm/typicode-json-server/lockfile-v1');
  const text = readFileSync(path.join(dir, 'package-lock.json'), 'utf8').split('\n');
  const cap = await captureDir(dir, { includeDev: true });
  for (const c of cap.components) {
    const line = text[(c.locations[0].line as number) - 1];
    assert.ok(line.includes(`"${c.name.split('/').pop()}": {`) || line.includes(`"${c.name}": {`), `${c.purl}: ${line}`);
  }
});

test('malformed and truncated lockfiles: located error issue, no throw', () => {
  const text = '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {\n      "version": "1.0.0"\n';
  const r = parsePackageLock(text, 'app/package-lock.json');
  assert.is(r.issues.length, 1);
  assert.is(r.issues[0].severity, 'error');
  assert.is(r.issues[0].path, 'app/package-lock.json');
  assert.ok((r.issues[0].line ?? 0) >= 5, String(r.issues[0].line));
  const bad = parsePackageLock(
    '{"lockfileVersion": 3, "packages": {"node_modules/a": {"resolved": "x"}, "node_modules/b": {"version": "2.0.0"}}}',
    'p',
  );
  assert.equal(
    bad.entries.map((e) => `${e.name}@${e.version}`),
    ['b@2.0.0'],
  );
  assert.is(bad.issues[0].severity, 'warning');
  assert.is(parsePackageLock('[]', 'p').issues[0].severity, 'error');
});

test.run();
