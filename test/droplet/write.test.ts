import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDroplet } from '../../src/droplet/write.ts';
import { forEachEntry } from '../../src/droplet/read.ts';
import { digestDropletDir, digestDropletTarball } from '../../src/droplet/digest.ts';

test('the droplet keeps modes as they are on disk (no umask rewrite), owners are dropped, digests agree', async () => {
  const root = mkdtempSync(join(tmpdir(), 'bpx-write-'));
  try {
    const tree = join(root, 'tree');
    mkdirSync(join(tree, 'app', 'shared'), { recursive: true });
    mkdirSync(join(tree, 'deps', '0'), { recursive: true });
    writeFileSync(join(tree, 'app', 'readonly.txt'), 'r');
    writeFileSync(join(tree, 'app', 'shared', 'group-writable.txt'), 'g');
    writeFileSync(join(tree, 'deps', '0', 'run.sh'), '#!/bin/sh\n');
    symlinkSync('readonly.txt', join(tree, 'app', 'link'));
    chmodSync(join(tree, 'app', 'readonly.txt'), 0o444);
    chmodSync(join(tree, 'app', 'shared', 'group-writable.txt'), 0o664);
    chmodSync(join(tree, 'app', 'shared'), 0o775);
    chmodSync(join(tree, 'deps', '0', 'run.sh'), 0o750);
    const tgz = join(root, 'droplet.tgz');
    await writeDroplet(tree, tgz, { mtime: new Date(1_700_000_000_000) });
    const modes: Record<string, string> = {};
    await forEachEntry(tgz, (e) => {
      modes[e.path] = `${e.type} ${(e.mode & 0o7777).toString(8)}`;
    });
    assert.is(modes['app/readonly.txt'], 'file 444');
    assert.is(modes['app/shared/group-writable.txt'], 'file 664');
    assert.is(modes['app/shared'], 'directory 775');
    assert.is(modes['deps/0/run.sh'], 'file 750');
    assert.is(modes['app/link'].split(' ')[0], 'symlink');
    const fromDir = await digestDropletDir(tree);
    const fromTgz = await digestDropletTarball(tgz);
    assert.equal(fromTgz.subjects, fromDir.subjects, 'the signed digest of the build dir is the digest of the droplet');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
