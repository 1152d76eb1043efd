// test/shared.ts and scripts/test.mjs together: a skip is one `skipped:` line the runner counts; CI turns it into a failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { haveShared, needShared, repoRoot, sharedDir } from './shared.ts';

function printed(fn: () => void): string[] {
  const log = console.log;
  const said: string[] = [];
  console.log = (m: string) => said.push(m);
  try {
    fn();
  } finally {
    console.log = log;
  }
  return said;
}

test('needShared: true for a path that exists, silent', () => {
  assert.equal(
    printed(() => assert.is(needShared(repoRoot), true)),
    [],
  );
});

test('needShared: absent → false and one `skipped:` line naming it; undefined names ../shared; with CI set it throws', () => {
  const missing = path.join(sharedDir, 'no-such-thing');
  assert.equal(
    printed(() => assert.is(needShared(missing, 'a test corpus', {}), false)),
    [`skipped: ${missing} is absent (a test corpus)`],
  );
  assert.equal(
    printed(() => assert.is(needShared(undefined, undefined, {}), false)),
    [`skipped: ${sharedDir} (or the part of it this test reads) is absent`],
  );
  assert.throws(
    () => needShared(missing, 'a test corpus', { CI: 'true' }),
    /no-such-thing is absent \(a test corpus\), and CI is set: failing instead of skipping/,
  );
});

test('haveShared: a silent boolean, but CI set and absent throws', () => {
  const missing = path.join(sharedDir, 'no-such-thing');
  assert.equal(
    printed(() => assert.is(haveShared(missing, {}), false)),
    [],
  );
  assert.throws(() => haveShared(missing, { CI: '1' }), /CI is set/);
});

test('scripts/test.mjs counts a `skipped:` line as a skipped test, not a passed one, and ends with "N passed, N failed, N skipped"', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bpx-runner-'));
  try {
    // a throwaway repository: a copy of the runner, node_modules, and one test file of three tests, one of which skips
    mkdirSync(path.join(dir, 'scripts'));
    mkdirSync(path.join(dir, 'test'));
    copyFileSync(path.join(repoRoot, 'scripts/test.mjs'), path.join(dir, 'scripts/test.mjs'));
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(
      path.join(dir, 'test/a.test.ts'),
      [
        `import { test } from 'uvu';`,
        `import { needShared } from ${JSON.stringify(path.join(repoRoot, 'test/shared.ts'))};`,
        `test('runs', () => {});`,
        `test('skips', () => { if (!needShared('/no/such/path', 'for the runner test')) return; });`,
        `test('runs too', () => {});`,
        `test.run();`,
      ].join('\n'),
    );
    const runner = path.join(dir, 'scripts/test.mjs');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CI;
    const r = spawnSync(process.execPath, [runner], { cwd: dir, env, encoding: 'utf8' });
    const last = r.stdout.trim().split('\n').pop();
    assert.is(last, '2 passed, 0 failed, 1 skipped', r.stdout + r.stderr);
    assert.match(r.stdout, /1 × \/no\/such\/path is absent \(for the runner test\)/);
    const ci = spawnSync(process.execPath, [runner], { cwd: dir, env: { ...env, CI: 'true' }, encoding: 'utf8' });
    assert.is(ci.stdout.trim().split('\n').pop(), '2 passed, 1 failed, 0 skipped', ci.stdout + ci.stderr);
    assert.is(ci.status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
