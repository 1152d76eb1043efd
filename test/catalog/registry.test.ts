import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { managers } from '../../src/catalog/registry.ts';
import { repoRoot } from './corpus.ts';

const dir = path.join(repoRoot, 'src/catalog/managers');

test('every folder under managers/ is registered, has index.ts and README.md', () => {
  const folders = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const ids = managers.map((m) => m.id).sort();
  assert.equal(ids, folders, 'registry.ts lists exactly the folders under managers/');
  for (const f of folders) {
    assert.ok(existsSync(path.join(dir, f, 'index.ts')), `${f}/index.ts`);
    assert.ok(existsSync(path.join(dir, f, 'README.md')), `${f}/README.md missing`);
  }
});

test('manager ids are unique, declarations complete, matches() is cheap and total', () => {
  assert.is(new Set(managers.map((m) => m.id)).size, managers.length);
  for (const m of managers) {
    assert.ok(m.description.length > 10, m.id);
    assert.type(m.parse, 'function');
    for (const p of ['', 'a', 'app/x/y/z.bin', 'deps/0/some/long/path/file.txt']) assert.type(m.matches(p), 'boolean');
  }
});

test('npm matches exactly the files it reads', () => {
  const npm = managers.find((m) => m.id === 'npm')!;
  const yes = ['package-lock.json', 'app/package-lock.json', 'app/npm-shrinkwrap.json', 'app/package.json', 'deps/0/node_modules/a/package.json', 'node_modules/@s/a/node_modules/b/package.json', 'node_modules/.package-lock.json'];
  const no = ['app/node_modules/a/lib/package.json', 'node_modules/a/package-lock.json', 'node_modules/a/node_modules/.package-lock.json', 'app/package.json5', 'yarn.lock', 'app/mypackage.json'];
  for (const p of yes) assert.ok(npm.matches(p), p);
  for (const p of no) assert.not.ok(npm.matches(p), p);
});

test.run();
