import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureDir } from '../../src/catalog/capture.ts';
import { mergeComponents } from '../../src/catalog/merge.ts';
import { managers } from '../../src/catalog/registry.ts';
import { makeComponent } from '../../src/model/index.ts';
import type { PackageManager } from '../../src/catalog/types.ts';

function write(root: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

test('merge: one component per purl, union of evidence, strongest scope, inputs untouched', () => {
  const a = makeComponent({
    ecosystem: 'npm',
    name: 'x',
    version: '1.0.0',
    location: { path: 'b/package-lock.json', line: 9, source: 'lockfile' },
    scope: 'dev',
    hashes: [{ alg: 'SHA-512', value: 'aa' }],
    dependsOn: ['pkg:npm/z@1'],
    direct: false,
  });
  const b = makeComponent({
    ecosystem: 'npm',
    name: 'x',
    version: '1.0.0',
    location: { path: 'a/node_modules/x/package.json', line: 1, source: 'installed' },
    scope: 'optional',
    licenses: [{ raw: 'MIT', spdx: 'MIT' }],
    hashes: [{ alg: 'SHA-512', value: 'aa' }],
    dependsOn: ['pkg:npm/y@1'],
  });
  const c = makeComponent({
    ecosystem: 'npm',
    name: 'w',
    version: '2.0.0',
    location: { path: 'b/package-lock.json', line: 3, source: 'lockfile' },
    direct: true,
  });
  const before = JSON.stringify([a, b, c]);
  const m = mergeComponents([a, b, c, a]);
  assert.is(JSON.stringify([a, b, c]), before);
  assert.equal(
    m.map((x) => x.purl),
    ['pkg:npm/w@2.0.0', 'pkg:npm/x@1.0.0'],
  );
  const x = m[1];
  assert.is(x.scope, 'optional');
  assert.is(x.direct, false);
  assert.equal(
    x.locations.map((l) => l.path),
    ['a/node_modules/x/package.json', 'b/package-lock.json'],
  );
  assert.equal(x.dependsOn, ['pkg:npm/y@1', 'pkg:npm/z@1']);
  assert.is(x.hashes.length, 1);
  assert.equal(x.licenses, [{ raw: 'MIT', spdx: 'MIT' }]);
});

test('captureDir: a manager that throws becomes an error issue naming it; others still run', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-cap-'));
  const boom: PackageManager = {
    id: 'boom',
    ecosystem: 'generic',
    description: 'throws on purpose for the test',
    matches: (p) => p.endsWith('.boom'),
    parse: async () => {
      throw new Error('kaput');
    },
  };
  managers.push(boom);
  try {
    write(root, 'app/x.boom', '');
    write(
      root,
      'app/package-lock.json',
      JSON.stringify(
        {
          lockfileVersion: 3,
          packages: {
            '': { dependencies: { a: '1' } },
            'node_modules/a': { version: '1.0.0' },
            'node_modules/d': { version: '1.0.0', dev: true },
          },
        },
        null,
        2,
      ),
    );
    const cap = await captureDir(root);
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.is(cap.complete, false);
    assert.equal(cap.issues, [{ path: 'app/x.boom', severity: 'error', message: 'boom: unexpected failure: kaput' }]);
    const dev = await captureDir(root, { includeDev: true, managers: ['npm'] });
    assert.equal(
      dev.components.map((c) => `${c.purl} ${c.scope}`),
      ['pkg:npm/a@1.0.0 required', 'pkg:npm/d@1.0.0 dev'],
    );
    assert.is(dev.complete, true);
  } finally {
    managers.pop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('captureDir: oversized and truncated lockfiles both make the capture incomplete, rest captured', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-cap-'));
  try {
    write(
      root,
      'a/package-lock.json',
      JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/a': { version: '1.0.0' } } }, null, 2),
    );
    write(root, 'b/package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/b": {\n');
    write(
      root,
      'c/package-lock.json',
      JSON.stringify({
        lockfileVersion: 3,
        packages: { 'node_modules/c': { version: '1.0.0', license: 'MIT' } },
        padding: 'x'.repeat(5000),
      }),
    );
    const cap = await captureDir(root, { maxFileBytes: 4000 });
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.is(cap.complete, false);
    assert.equal(
      cap.issues.map((i) => [i.path, i.line, i.severity]),
      [
        ['b/package-lock.json', 4, 'error'],
        ['c/package-lock.json', undefined, 'error'],
      ],
    );
    assert.match(cap.issues[1].message, /over the 4000-byte bound \(maxFileBytes\): skipped, not captured/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('captureDir: a lockfile over the size bound alone makes the capture incomplete, with the reason; a higher bound reads it', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-cap-'));
  try {
    write(
      root,
      'package-lock.json',
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': { dependencies: { a: '1' } }, 'node_modules/a': { version: '1.0.0' } },
        padding: 'x'.repeat(5000),
      }),
    );
    const cap = await captureDir(root, { maxFileBytes: 4000 });
    assert.equal(cap.components, []);
    assert.is(cap.complete, false, 'an SBOM that skipped the only lockfile must not say complete');
    assert.equal(
      cap.issues.map((i) => [i.path, i.severity]),
      [['package-lock.json', 'error']],
    );
    assert.match(cap.issues[0].message, /^\d+ bytes is over the 4000-byte bound \(maxFileBytes\): skipped, not captured$/);
    const raised = await captureDir(root, { maxFileBytes: 1 << 20 });
    assert.equal(
      raised.components.map((c) => c.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.is(raised.complete, true);
    assert.equal(raised.issues, []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('captureDir: a folder with nothing any manager reads says so and is not complete; one with files but no packages says so too', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-cap-'));
  try {
    write(root, 'README.md', '# hello\n');
    write(root, 'src/index.html', '<p>hi</p>\n');
    const cap = await captureDir(root);
    assert.equal(cap.components, []);
    assert.is(cap.complete, false);
    assert.equal(
      cap.issues.map((i) => [i.path, i.severity]),
      [['.', 'error']],
    );
    assert.match(
      cap.issues[0].message,
      /^nothing to capture: no lockfile, manifest or installed package that a package manager reads \(.*npm.*python.*\)$/,
    );
    // a manifest with no dependencies: read, nothing found, still complete (nothing was skipped), and said
    write(root, 'package.json', JSON.stringify({ name: 'site', version: '1.0.0', devDependencies: { x: '1' } }));
    const empty = await captureDir(root);
    assert.equal(empty.components, []);
    assert.is(empty.complete, true);
    assert.equal(empty.issues, [{ path: '.', severity: 'warning', message: 'no components found in the 1 file read' }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('captureDir: a skipped link where a manager would read is an error; any other skipped link stays a warning', async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'bpx-cap-'));
  const root = path.join(base, 'app');
  try {
    write(base, 'outside/package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/a': { version: '1.0.0' } } }));
    write(root, 'requirements.txt', 'flask==3.0.3\n');
    symlinkSync(path.join(base, 'outside/package-lock.json'), path.join(root, 'package-lock.json'));
    symlinkSync(path.join(base, 'outside'), path.join(root, 'notes'));
    symlinkSync('nowhere', path.join(root, 'uv.lock'));
    const cap = await captureDir(root);
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:pypi/flask@3.0.3'],
    );
    assert.is(cap.complete, false);
    assert.equal(
      cap.issues.map((i) => [i.path, i.severity, i.message]),
      [
        ['notes', 'warning', 'link out of the app: skipped'],
        ['package-lock.json', 'error', 'link out of the app: skipped, not captured'],
        ['uv.lock', 'error', 'dangling link: skipped, not captured'],
      ],
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test.run();
