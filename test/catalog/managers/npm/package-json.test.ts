// The app's package.json: a broken one is said, and one whose dependencies nothing pins leaves the capture incomplete.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureDir } from '../../../../src/catalog/index.ts';

function app(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-npm-pkg-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const LOCK = JSON.stringify(
  { lockfileVersion: 3, packages: { '': { dependencies: { a: '1' } }, 'node_modules/a': { version: '1.0.0' } } },
  null,
  2,
);

test('a broken package.json beside a lockfile: a located warning; the lockfile still gives the components', async () => {
  const root = app({ 'package.json': '{\n  "name": "x",\n  "dependencies": {\n    "a": "1"\n', 'package-lock.json': LOCK });
  try {
    const cap = await captureDir(root);
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.is(cap.complete, true, 'the lockfile says what ships');
    assert.is(cap.issues.length, 1);
    const [i] = cap.issues;
    assert.equal([i.path, i.line, i.severity], ['package.json', 4, 'warning']);
    assert.match(i.message, /^package\.json is not valid JSON: /);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a broken package.json with neither lockfile nor node_modules: an error, the capture is incomplete', async () => {
  const root = app({ 'package.json': '{"name": "x", "dependencies": {"a": "1",}}' });
  try {
    const cap = await captureDir(root);
    assert.equal(cap.components, []);
    assert.is(cap.complete, false);
    const errors = cap.issues.filter((i) => i.severity === 'error');
    assert.equal(
      errors.map((i) => [i.path, i.line]),
      [['package.json', 1]],
    );
    assert.match(errors[0].message, /^package\.json is not valid JSON: .*: its dependencies are not captured$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('package.json dependencies that no lockfile or node_modules pins: incomplete, named; dev ones only with includeDev', async () => {
  const root = app({
    'package.json': JSON.stringify({ name: 'x', dependencies: { express: '^4', ms: '2' }, devDependencies: { mocha: '10' } }),
  });
  try {
    const cap = await captureDir(root);
    assert.is(cap.complete, false);
    const errors = cap.issues.filter((i) => i.severity === 'error');
    assert.equal(errors, [
      {
        path: 'package.json',
        line: 1,
        severity: 'error',
        message:
          'declares 2 dependencies (express, ms) but has no package-lock.json, npm-shrinkwrap.json or node_modules beside it: not captured',
      },
    ]);
    const dev = await captureDir(root, { includeDev: true });
    assert.match(dev.issues.find((i) => i.severity === 'error')!.message, /^declares 3 dependencies \(express, ms, mocha\)/);
    // only devDependencies: nothing that ships is missing
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'x', devDependencies: { mocha: '10' } }));
    const none = await captureDir(root);
    assert.is(none.complete, true);
    assert.not.ok(none.issues.some((i) => i.severity === 'error'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("workspace package.json files below a lockfile are the lockfile's: no error; a broken one is still a warning", async () => {
  const root = app({
    'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }),
    'package-lock.json': LOCK,
    'packages/web/package.json': JSON.stringify({ name: 'web', dependencies: { a: '1' } }),
    'packages/broken/package.json': '{',
  });
  try {
    const cap = await captureDir(root);
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:npm/a@1.0.0'],
    );
    assert.is(cap.complete, true);
    assert.equal(
      cap.issues.map((i) => [i.path, i.severity]),
      [['packages/broken/package.json', 'warning']],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
