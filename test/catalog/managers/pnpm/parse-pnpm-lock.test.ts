import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { captureDir } from '../../../../src/catalog/index.ts';
import { nameVersionOfKey, parsePnpmLock } from '../../../../src/catalog/managers/pnpm/parse-pnpm-lock.ts';
import { platformMatches } from '../../../../src/catalog/node-modules.ts';
import { corpusDir, expectedCounts } from '../../corpus.ts';
import { needShared } from '../../../shared.ts';

const CASES = [
  'pnpm/cloudfoundry-nodejs-buildpack/fixtures-pnpm-workspaces',
  'pnpm/typicode-json-server/lockfile-5.4',
  'pnpm/typicode-json-server/lockfile-9.0',
  'pnpm/vuejs-core/lockfile-5.3',
  'pnpm/vuejs-core/lockfile-5.4',
  'pnpm/vuejs-core/lockfile-6.0',
  'pnpm/vuejs-core/lockfile-6.1',
  'pnpm/vuejs-core/lockfile-9.0',
  'pnpm/vuejs-core/lockfile-9.0-multidoc',
];

test('keys: 5.x, 6.x and 9.0 shapes with peer suffixes', () => {
  assert.equal(nameVersionOfKey('/@babel/cli/7.17.10_@babel+core@7.18.2', 5.4), ['@babel/cli', '7.17.10']);
  assert.equal(nameVersionOfKey('/string_decoder/1.1.1', 5.4), ['string_decoder', '1.1.1']);
  assert.equal(nameVersionOfKey('/@vue/x@1.0.0(vue@3.0.0)', 6.1), ['@vue/x', '1.0.0']);
  assert.equal(nameVersionOfKey('@vue/x@1.0.0(vue@3.0.0)(y@1)', 9), ['@vue/x', '1.0.0']);
});

for (const rel of CASES) {
  test(`corpus ${rel}: distinct name@version = packages keys (last document) less other-platform optionals`, async () => {
    if (!needShared(corpusDir)) return;
    const dir = path.join(corpusDir, 'lockfiles', rel);
    const text = readFileSync(path.join(dir, 'pnpm-lock.yaml'), 'utf8');
    const exp = expectedCounts(`lockfiles/${rel}/pnpm-lock.yaml`) as { packages_keys: number; lockfileVersion: string | number };
    // independent reading with the yaml library: the last document, its packages keys
    const docs = parseAllDocuments(text) as any[];
    const last = docs[docs.length - 1].toJS();
    const keys = Object.keys(last.packages ?? {});
    assert.is(keys.length, exp.packages_keys);
    const major = Number.parseFloat(String(last.lockfileVersion));
    const all = new Set<string>();
    const skipped = new Set<string>();
    for (const k of keys) {
      const [n, v] = nameVersionOfKey(k, major)!;
      const meta = last.packages[k];
      const snap =
        major >= 9 ? (Object.entries<any>(last.snapshots ?? {}).find(([sk]) => sk === k || sk.startsWith(k + '('))?.[1] ?? {}) : meta;
      const optional = snap.optional === true || meta.optional === true;
      if (optional && !platformMatches(meta)) skipped.add(`${meta.name ?? n}@${meta.version ?? v}`);
      else all.add(`${meta.name ?? n}@${meta.version ?? v}`);
    }
    const cap = await captureDir(dir, { includeDev: true, managers: ['pnpm'] });
    assert.ok(cap.complete, JSON.stringify(cap.issues.slice(0, 2)));
    const got = new Set(cap.components.map((c) => `${c.name}@${c.version}`));
    assert.equal([...got].sort(), [...all].sort());
    for (const c of cap.components) assert.ok(c.purl.startsWith('pkg:npm/') && c.locations[0].line! > 0, c.purl);
    if (rel.endsWith('multidoc')) assert.not.ok(got.has('pnpm@10.33.0'), 'packageManagerDependencies are not shipped');
  });
}

test('pnpm 9.0: dev by reachability from importers, edges, integrity', async () => {
  if (!needShared(corpusDir)) return;
  const dir = path.join(corpusDir, 'lockfiles/pnpm/typicode-json-server/lockfile-9.0');
  const cap = await captureDir(dir, { includeDev: true, managers: ['pnpm'] });
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const by = new Map(cap.components.map((c) => [c.name, c]));
  for (const n of Object.keys(pkg.dependencies)) {
    assert.is(by.get(n)?.scope, 'required', n);
    assert.is(by.get(n)?.direct, true, n);
  }
  assert.ok(Object.keys(pkg.devDependencies).some((n) => by.get(n)?.scope === 'dev'));
  assert.ok(cap.components.every((c) => c.hashes.length === 1 && c.hashes[0].alg === 'SHA-512'));
  assert.ok(cap.components.some((c) => c.dependsOn.length > 0));
});

test('malformed pnpm-lock.yaml: located error, no throw', () => {
  const r = parsePnpmLock("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AA\n", 'x/pnpm-lock.yaml');
  assert.ok(
    r.issues.some((i) => i.severity === 'error' && i.path === 'x/pnpm-lock.yaml' && (i.line ?? 0) >= 4),
    JSON.stringify(r.issues),
  );
  assert.ok(parsePnpmLock('- just\n- a list\n', 'p').issues.some((i) => i.severity === 'error'));
});

test.run();
