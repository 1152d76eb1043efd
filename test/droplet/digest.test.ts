// bpx tree digest v1: directory and tarball implementations agree, and a shell pipeline (find/sha256sum/sort) recomputes it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, symlink, rm, chmod, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { digestDirectory, digestDropletDir, digestDropletTarball, encodeField, hashFileSync } from '../../src/droplet/digest.ts';

let work = '';
test.before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bpx-digest-'));
});
test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function tree(root: string, opts: { odd?: boolean } = {}): Promise<void> {
  await mkdir(path.join(root, 'app/lib/deep'), { recursive: true });
  await mkdir(path.join(root, 'app/.bpx'), { recursive: true });
  await mkdir(path.join(root, 'deps/0/node/bin'), { recursive: true });
  await mkdir(path.join(root, 'deps/0/bpx'), { recursive: true });
  await mkdir(path.join(root, 'deps/1'), { recursive: true });
  await writeFile(path.join(root, 'app/index.js'), 'require("./lib/a")\n');
  await writeFile(path.join(root, 'app/lib/a.js'), 'module.exports = 1\n');
  await writeFile(path.join(root, 'app/lib/deep/big.bin'), Buffer.alloc(2 * 1024 * 1024 + 5, 1));
  await writeFile(path.join(root, 'app/.bpx/sbom.cdx.json'), '{}');
  await writeFile(path.join(root, 'deps/0/bpx/ignored'), 'x');
  await writeFile(path.join(root, 'deps/0/config.yml'), 'name: nodejs\n');
  await writeFile(path.join(root, 'deps/0/node/bin/node'), '#!/bin/sh\necho node\n');
  await chmod(path.join(root, 'deps/0/node/bin/node'), 0o755);
  await chmod(path.join(root, 'app/lib/deep'), 0o700);
  await symlink('../lib/a.js', path.join(root, 'app/lib/deep/link'));
  await symlink('/usr/bin/env', path.join(root, 'deps/0/node/bin/env'));
  if (opts.odd) {
    await writeFile(path.join(root, 'app/with space %.txt'), 'odd\n');
    await writeFile(path.join(root, 'app/naïve-ü.txt'), 'utf8\n');
    await writeFile(path.join(root, 'app/new\nline'), 'nl\n');
  }
}

const shell = `cd "$1" && find . -mindepth 1 \\( -path "./$2" -o -path "./$3" \\) -prune -o -printf '%y %m %P\\n' |
while read -r t m p; do
  case $t in
    f) h=$(sha256sum < "$p" | cut -d' ' -f1) ;;
    l) h=$(readlink "$p"); m=777 ;;
    d) h=- ;;
    *) t=o; h=- ;;
  esac
  printf '%s %s %s %s\\n' "$t" "$m" "$p" "$h"
done | LC_ALL=C sort -t' ' -k3,3 | sha256sum | cut -d' ' -f1`;

test('directory, tarball and an independent shell pipeline give the same digests', async () => {
  const root = path.join(work, 'plain');
  await tree(root);
  const dir = await digestDropletDir(root);
  assert.equal(
    dir.subjects.map((s) => s.name),
    ['app', 'deps/0', 'deps/1'],
  );
  assert.equal(dir.issues, []);
  const tgz = path.join(work, 'plain.tgz');
  await execa('tar', ['-czf', tgz, '-C', root, '.']);
  const tar = await digestDropletTarball(tgz);
  assert.equal(
    tar.subjects.map((s) => [s.name, s.sha256]),
    dir.subjects.map((s) => [s.name, s.sha256]),
  );
  const appSh = (await execa('sh', ['-c', shell, 'sh', path.join(root, 'app'), '.bpx', '.bpx'])).stdout.trim();
  const depSh = (await execa('sh', ['-c', shell, 'sh', path.join(root, 'deps/0'), 'bpx', 'config.yml'])).stdout.trim();
  assert.is(dir.subjects[0].sha256, appSh);
  assert.is(dir.subjects[1].sha256, depSh);
  // the empty deps/1: SHA-256 of nothing
  assert.is(dir.subjects[2].sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.ok(dir.subjects[0].lines.includes('l 777 lib/deep/link ../lib/a.js\n'));
  assert.ok(dir.subjects[0].lines.includes('d 700 lib/deep -\n'));
  assert.not.ok(dir.subjects[0].lines.some((l) => l.includes('.bpx')));
  assert.not.ok(dir.subjects[1].lines.some((l) => l.includes('config.yml') || l.includes(' bpx')));
});

test('odd names are percent-encoded identically from disk and from tar', async () => {
  const root = path.join(work, 'odd');
  await tree(root, { odd: true });
  const tgz = path.join(work, 'odd.tgz');
  await execa('tar', ['-czf', tgz, '-C', root, '.']);
  const dir = await digestDropletDir(root);
  const tar = await digestDropletTarball(tgz);
  assert.equal(tar.subjects, dir.subjects);
  assert.ok(dir.subjects[0].lines.some((l) => l.includes(' with%20space%20%25.txt ')));
  assert.ok(dir.subjects[0].lines.some((l) => l.includes(' new%0Aline ')));
  assert.ok(dir.subjects[0].lines.some((l) => l.includes(' naïve-ü.txt ')));
  assert.is(encodeField('a b%\x7f'), 'a%20b%25%7F');
});

test('bpx output folders are excluded; any other change moves the digest', async () => {
  const root = path.join(work, 'change');
  await tree(root);
  const before = await digestDirectory(path.join(root, 'app'), 'app');
  await writeFile(path.join(root, 'app/.bpx/sbom.cdx.json'), '{"changed":true}');
  assert.is((await digestDirectory(path.join(root, 'app'), 'app')).sha256, before.sha256);
  await appendFile(path.join(root, 'app/lib/a.js'), '//');
  const changed = await digestDirectory(path.join(root, 'app'), 'app');
  assert.is.not(changed.sha256, before.sha256);
  await chmod(path.join(root, 'app/index.js'), 0o600);
  assert.is.not((await digestDirectory(path.join(root, 'app'), 'app')).sha256, changed.sha256);
});

test('a file is hashed to its end whatever size lstat said (one read when it is that size, more when it grew or shrank)', async () => {
  const MiB = 1024 * 1024;
  for (const bytes of [0, 1, 20, MiB - 1, MiB, MiB + 5, 3 * MiB]) {
    const file = path.join(work, `sized-${bytes}`);
    await writeFile(file, Buffer.alloc(bytes, bytes % 251));
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    // lstat's size, then a size from before the file grew, and one from before it shrank
    for (const said of [bytes, Math.max(0, bytes - 7), bytes + 7, 0])
      assert.is(hashFileSync(file, said), want, `${bytes} bytes, lstat said ${said}`);
  }
});

test.run();
