import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Unsupported, parseBlockYaml } from '../../../../src/catalog/managers/pnpm/block-yaml.ts';
import { parsePnpmLock } from '../../../../src/catalog/managers/pnpm/parse-pnpm-lock.ts';
import { corpusDir } from '../../corpus.ts';
import { needShared } from '../../../shared.ts';

function lockfiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) out.push(...lockfiles(p));
    else if (n === 'pnpm-lock.yaml' || n === 'pnpm-workspace.yaml') out.push(p);
  }
  return out;
}

test('the fast reader gives exactly what the yaml package gives, on every corpus pnpm file', () => {
  if (!needShared(corpusDir)) return;
  const files = lockfiles(path.join(corpusDir, 'lockfiles/pnpm'));
  assert.ok(files.length >= 9);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    assert.equal(
      parseBlockYaml(text).map((d) => d.value),
      parseAllDocuments(text).map((d: any) => d.toJS()),
      f,
    );
  }
});

test('key lines of top-level sections', () => {
  const [d] = parseBlockYaml(
    "lockfileVersion: '9.0'\n\npackages:\n\n  'a@1.0.0':\n    resolution: {integrity: sha512-AA==}\n\n  b@2.0.0:\n    os: [linux, '!win32']\n",
  );
  assert.equal(
    [...d.lines.get('packages')!],
    [
      ['a@1.0.0', 5],
      ['b@2.0.0', 8],
    ],
  );
  assert.equal(d.value, {
    lockfileVersion: '9.0',
    packages: { 'a@1.0.0': { resolution: { integrity: 'sha512-AA==' } }, 'b@2.0.0': { os: ['linux', '!win32'] } },
  });
});

test('outside the subset: Unsupported, and parsePnpmLock falls back to the yaml package', () => {
  const text =
    "lockfileVersion: '6.0'\ndependencies:\n  a: &v 1.0.0\npackages:\n  /a@1.0.0:\n    resolution: {integrity: sha512-AA==}\n    dev: false\n";
  assert.throws(
    () => parseBlockYaml(text),
    (e: unknown) => e instanceof Unsupported,
  );
  const r = parsePnpmLock(text, 'pnpm-lock.yaml');
  assert.equal(r.issues, []);
  assert.equal(
    [...r.packages.values()].map((p) => [p.name, p.version, p.line]),
    [['a', '1.0.0', 5]],
  );
});

test.run();
