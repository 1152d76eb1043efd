// What bpx wrap records of the inner buildpack (bpx/buildpack.json): a content digest that depends on content only,
// and the commit of a git checkout read from .git (loose ref, packed-refs, detached HEAD, a worktree's .git file).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildpackDigest, describeInner, gitCommit } from '../../src/wrap/describe-inner.ts';
import { readBuildpackBuild } from '../../src/sbom/buildpack-build.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function buildpack(root: string): string {
  const bp = join(root, 'bp');
  mkdirSync(join(bp, 'bin'), { recursive: true });
  writeFileSync(join(bp, 'bin', 'supply'), '#!/bin/sh\n');
  writeFileSync(join(bp, 'VERSION'), '1.9.4\n');
  writeFileSync(join(bp, 'manifest.yml'), 'language: nodejs\n');
  symlinkSync('supply', join(bp, 'bin', 'finalize'));
  return bp;
}

test('the digest follows content and links only: modes, times, folders and .git do not change it', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bpx-describe-'));
  try {
    const bp = buildpack(root);
    const d0 = await buildpackDigest(bp);
    assert.match(d0, /^[0-9a-f]{64}$/);
    chmodSync(join(bp, 'bin', 'supply'), 0o755);
    utimesSync(join(bp, 'VERSION'), 1, 1);
    mkdirSync(join(bp, 'empty'));
    mkdirSync(join(bp, '.git'));
    writeFileSync(join(bp, '.git', 'HEAD'), `${A}\n`);
    assert.is(await buildpackDigest(bp), d0);
    writeFileSync(join(bp, 'VERSION'), '1.9.5\n');
    const d1 = await buildpackDigest(bp);
    assert.is.not(d1, d0);
    rmSync(join(bp, 'bin', 'finalize'));
    symlinkSync('../VERSION', join(bp, 'bin', 'finalize'));
    assert.is.not(await buildpackDigest(bp), d1, 'a link is its target');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the commit: loose ref, packed-refs, detached HEAD, a worktree; none outside a checkout', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bpx-describe-'));
  try {
    const bp = buildpack(root);
    assert.is(await gitCommit(bp), undefined);
    mkdirSync(join(bp, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(bp, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(
      join(bp, '.git', 'packed-refs'),
      `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/main\n${A} refs/heads/mainline\n`,
    );
    assert.is(await gitCommit(bp), B, 'packed');
    writeFileSync(join(bp, '.git', 'refs', 'heads', 'main'), `${A}\n`);
    assert.is(await gitCommit(bp), A, 'a loose ref wins over packed-refs');
    writeFileSync(join(bp, '.git', 'HEAD'), `${B}\n`);
    assert.is(await gitCommit(bp), B, 'detached');
    // a linked worktree: .git is a file naming its git dir, whose refs live in the common dir
    const wt = join(root, 'wt');
    mkdirSync(join(root, 'main.git', 'worktrees', 'wt'), { recursive: true });
    mkdirSync(join(root, 'main.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(root, 'main.git', 'refs', 'heads', 'feature'), `${A}\n`);
    writeFileSync(join(root, 'main.git', 'worktrees', 'wt', 'HEAD'), 'ref: refs/heads/feature\n');
    writeFileSync(join(root, 'main.git', 'worktrees', 'wt', 'commondir'), '../..\n');
    mkdirSync(wt);
    writeFileSync(join(wt, '.git'), `gitdir: ${join(root, 'main.git', 'worktrees', 'wt')}\n`);
    assert.is(await gitCommit(wt), A);
    const info = await describeInner(bp, [bp]);
    assert.equal(info, { name: 'nodejs', version: '1.9.4', sha256: await buildpackDigest(bp), commit: B });
    // without manifest.yml language: the folder it was wrapped from names it; a zip (no source) has no commit
    rmSync(join(bp, 'manifest.yml'));
    assert.equal(await describeInner(bp), { version: '1.9.4', sha256: await buildpackDigest(bp) });
    assert.is((await describeInner(bp, [bp])).name, 'bp');
    // what the SBOM step reads back; a hand-edited file that is not what wrap writes is ignored
    mkdirSync(join(root, 'bpx'));
    writeFileSync(join(root, 'bpx', 'buildpack.json'), JSON.stringify(info));
    assert.equal(await readBuildpackBuild(join(root, 'bpx')), info);
    writeFileSync(join(root, 'bpx', 'buildpack.json'), JSON.stringify({ ...info, sha256: 'nope' }));
    assert.is(await readBuildpackBuild(join(root, 'bpx')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
