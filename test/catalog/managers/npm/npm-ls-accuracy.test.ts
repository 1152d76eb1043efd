import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureDir } from '../../../../src/catalog/index.ts';
import { corpusDir, expectedCounts } from '../../corpus.ts';
import { run, lockName, otherPlatform, npmLs } from './helpers.ts';
import { needShared, skip } from '../../../shared.ts';

test('corpus: npm ls --package-lock-only on copies of the corpus lockfiles gives the same name@version set', async () => {
  if (!needShared(corpusDir)) return;
  for (const rel of [
    'npm/typicode-json-server/lockfile-v2',
    'npm/typicode-json-server/lockfile-v3',
    'npm/firebase-firebase-tools/shrinkwrap-v2',
  ]) {
    const src = path.join(corpusDir, 'lockfiles', rel);
    const tmp = mkdtempSync(path.join(tmpdir(), 'bpx-npmls-'));
    try {
      cpSync(src, tmp, { recursive: true });
      const expected = await npmLs(tmp);
      if (typeof expected === 'string') return skip(expected);
      const skipped = otherPlatform(readFileSync(path.join(tmp, lockName(tmp)), 'utf8'));
      const cap = await captureDir(tmp, { includeDev: true });
      const got = new Set(cap.components.map((c) => `${c.name}@${c.version}`));
      const want = new Set([...expected].filter((x) => !skipped.has(x)));
      assert.equal(
        [...got].filter((x) => !want.has(x)),
        [],
        `${rel}: reported but not in npm ls`,
      );
      assert.equal(
        [...want].filter((x) => !got.has(x)),
        [],
        `${rel}: in npm ls but not reported`,
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
});

test('generated: npm install --package-lock-only lockfile matches npm ls exactly (dev and optional deps included)', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'bpx-npmgen-'));
  try {
    writeFileSync(
      path.join(tmp, 'package.json'),
      JSON.stringify({
        name: 'gen-app',
        version: '1.0.0',
        dependencies: { express: '4.21.2', '@babel/code-frame': '7.24.7' },
        devDependencies: { esbuild: '0.21.5', 'left-pad': '1.3.0' },
        optionalDependencies: { fsevents: '2.3.3' },
      }),
    );
    try {
      await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: tmp, timeout: 60_000 });
    } catch (err: any) {
      return skip(`npm install --package-lock-only failed (no registry?): ${err?.message?.split('\n')[0]}`);
    }
    const expected = await npmLs(tmp);
    if (typeof expected === 'string') return skip(expected);
    const text = readFileSync(path.join(tmp, 'package-lock.json'), 'utf8');
    const skipped = otherPlatform(text);
    assert.ok(skipped.has('fsevents@2.3.3'), 'fsevents is darwin-only');
    const cap = await captureDir(tmp, { includeDev: true });
    const got = new Set(cap.components.map((c) => `${c.name}@${c.version}`));
    const want = new Set([...expected].filter((x) => !skipped.has(x)));
    assert.equal([...got].sort(), [...want].sort());
    // dev: esbuild and left-pad; @esbuild/linux-x64 is shipped as dev (optional of a dev dep), darwin builds are not
    const by = new Map(cap.components.map((c) => [c.name, c]));
    assert.is(by.get('left-pad')?.scope, 'dev');
    assert.is(by.get('express')?.scope, 'required');
    assert.is(by.get('express')?.direct, true);
    assert.ok(by.has('@esbuild/linux-x64'));
    assert.not.ok(by.has('@esbuild/darwin-arm64'));
    assert.ok(by.get('express')!.hashes.some((h) => h.alg === 'SHA-512'));
    assert.ok(by.get('express')!.dependsOn.some((p) => p.startsWith('pkg:npm/body-parser@')));
    // without includeDev, no dev package is reported and express's tree is
    const prod = await captureDir(tmp);
    assert.ok(prod.components.every((c) => c.scope !== 'dev'));
    assert.ok(prod.components.some((c) => c.name === 'body-parser'));
    assert.not.ok(prod.components.some((c) => c.name === 'left-pad'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
