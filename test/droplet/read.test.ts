// Droplet tarball reading: real tar.gz files made by GNU tar and Python's tarfile (hostile entries), streamed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, symlink, readFile, readdir, lstat, rm, readlink, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { forEachEntry, extractDroplet, type DropletEntry } from '../../src/droplet/read.ts';
import type { Issue } from '../../src/model/index.ts';

let work = '';
test.before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bpx-read-'));
});
test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function makeDroplet(name: string): Promise<string> {
  const root = path.join(work, name);
  await mkdir(path.join(root, 'app/sub'), { recursive: true });
  await mkdir(path.join(root, 'deps/0/bin'), { recursive: true });
  await mkdir(path.join(root, 'tmp'), { recursive: true });
  await writeFile(path.join(root, 'app/index.js'), 'console.log(1)\n');
  await writeFile(path.join(root, 'app/sub/big.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
  await writeFile(path.join(root, 'deps/0/bin/node'), '#!/bin/sh\n', { mode: 0o755 });
  await symlink('../index.js', path.join(root, 'app/sub/link'));
  const tgz = path.join(work, `${name}.tgz`);
  await execa('tar', ['-czf', tgz, '-C', root, '.']);
  return tgz;
}

test('streams every entry of a GNU tar droplet with normalised paths, types, modes and bodies', async () => {
  const tgz = await makeDroplet('plain');
  const seen: Array<DropletEntry & { bytes?: number }> = [];
  await forEachEntry(tgz, async (entry, body) => {
    let bytes: number | undefined;
    if (body) {
      bytes = 0;
      for await (const c of body) bytes += (c as Buffer).length;
      await new Promise((r) => setTimeout(r, 1)); // an async fn must not let the next entry overtake
    }
    seen.push({ ...entry, bytes });
  });
  const byPath = new Map(seen.map((e) => [e.path, e]));
  assert.ok(!seen.some((e) => e.path.startsWith('./') || e.path.endsWith('/') || e.path === ''));
  assert.equal(byPath.get('app')?.type, 'directory');
  assert.equal(byPath.get('app/index.js')?.bytes, 15);
  assert.equal(byPath.get('app/sub/big.bin')?.bytes, 3 * 1024 * 1024);
  assert.equal(byPath.get('app/sub/big.bin')?.size, 3 * 1024 * 1024);
  assert.equal(byPath.get('deps/0/bin/node')?.mode, 0o755);
  assert.equal(byPath.get('app/sub/link')?.type, 'symlink');
  assert.equal(byPath.get('app/sub/link')?.linkTarget, '../index.js');
});

test('bodies left unread are drained and the next entry still arrives', async () => {
  const tgz = await makeDroplet('unread');
  const paths: string[] = [];
  await forEachEntry(tgz, (entry) => {
    paths.push(entry.path);
  });
  assert.ok(paths.includes('app/sub/big.bin'));
  assert.ok(paths.includes('deps/0/bin/node'));
});

test('an error thrown by fn rejects with that error', async () => {
  const tgz = await makeDroplet('throws');
  try {
    await forEachEntry(tgz, (e) => {
      if (e.path === 'app/index.js') throw new Error('stop here');
    });
    assert.unreachable();
  } catch (err) {
    assert.is((err as Error).message, 'stop here');
  }
});

test('truncated gzip, truncated tar and non-archives give an Error naming the file', async () => {
  const tgz = await makeDroplet('trunc');
  const size = (await stat(tgz)).size;
  const cut = path.join(work, 'cut.tgz');
  await writeFile(cut, (await readFile(tgz)).subarray(0, Math.floor(size / 2)));
  const garbage = path.join(work, 'garbage.tgz');
  await writeFile(garbage, 'this is not a droplet at all, just text that goes on for a while......'.repeat(20));
  // a valid gzip around a tar cut in the middle of a body
  const tarPath = path.join(work, 'half.tar');
  await execa('tar', ['-cf', tarPath, '-C', path.join(work, 'trunc'), '.']);
  await truncate(tarPath, 1024 * 1024 + 512);
  await execa('gzip', ['-f', tarPath]);
  for (const bad of [cut, garbage, `${tarPath}.gz`]) {
    try {
      await forEachEntry(bad, () => {});
      assert.unreachable(`${bad} should fail`);
    } catch (err) {
      const msg = (err as Error).message;
      assert.ok(msg.includes(bad), msg);
      assert.not.ok(msg.includes('unreachable'), msg);
    }
  }
  try {
    await forEachEntry(path.join(work, 'missing.tgz'), () => {});
    assert.unreachable();
  } catch (err) {
    assert.ok((err as Error).message.includes('missing.tgz'));
  }
});

async function hostileDroplet(): Promise<string> {
  const out = path.join(work, 'hostile.tgz');
  const script = `
import tarfile, io, sys
def add(t, name, data=None, typ=tarfile.REGTYPE, link='', mode=0o644):
    ti = tarfile.TarInfo(name); ti.type = typ; ti.mode = mode; ti.linkname = link
    if data is not None: ti.size = len(data)
    t.addfile(ti, io.BytesIO(data) if data is not None else None)
with tarfile.open(sys.argv[1], 'w:gz', format=tarfile.GNU_FORMAT) as t:
    add(t, './app', typ=tarfile.DIRTYPE, mode=0o755)
    add(t, './app/ok.txt', b'fine\\n')
    add(t, '../evil.txt', b'evil\\n')
    add(t, '/etc/evil2', b'evil\\n')
    add(t, './app/../../evil3', b'evil\\n')
    add(t, './app/out', typ=tarfile.SYMTYPE, link='../../outside')
    add(t, './app/abs', typ=tarfile.SYMTYPE, link='/etc')
    add(t, './app/abs/passwd', b'through the link\\n')
    add(t, './app/in', typ=tarfile.SYMTYPE, link='ok.txt')
    add(t, './app/hard', typ=tarfile.LNKTYPE, link='./app/ok.txt')
    add(t, './app/dev', typ=tarfile.CHRTYPE)
    add(t, './app/fifo', typ=tarfile.FIFOTYPE)
    add(t, './app/' + 'x' * 5000, b'long\\n')
`;
  await execa('python3', ['-c', script, out]);
  return out;
}

test('hostile entries are reported and never followed; extraction stays inside destDir', async () => {
  const tgz = await hostileDroplet();
  const issues: Issue[] = [];
  const seen: DropletEntry[] = [];
  await forEachEntry(tgz, (e) => void seen.push(e), { onIssue: (i) => issues.push(i) });
  const paths = seen.map((e) => e.path);
  assert.not.ok(
    paths.some((p) => p.includes('evil')),
    paths.join(','),
  );
  assert.ok(issues.some((i) => i.message.includes('absolute path')));
  assert.ok(issues.filter((i) => i.message.includes("'..'")).length >= 2);
  assert.ok(issues.some((i) => i.message.includes('longer than')));
  assert.ok(issues.some((i) => i.message.includes('app/dev')));
  const hard = seen.find((e) => e.path === 'app/hard');
  assert.equal(hard?.type, 'file');
  assert.equal(hard?.linkTarget, 'app/ok.txt');

  const dest = path.join(work, 'x', 'dest');
  const { issues: xi } = await extractDroplet(tgz, dest);
  assert.equal(await readFile(path.join(dest, 'app/ok.txt'), 'utf8'), 'fine\n');
  assert.equal(await readFile(path.join(dest, 'app/hard'), 'utf8'), 'fine\n');
  assert.equal(await readlink(path.join(dest, 'app/in')), 'ok.txt');
  // the refused symlink app/abs never exists as a link; app/abs/passwd then lands in a plain directory inside dest
  assert.not.ok((await lstat(path.join(dest, 'app/abs'))).isSymbolicLink());
  for (const gone of ['app/out', 'app/dev', 'app/fifo']) {
    assert.is(await lstat(path.join(dest, gone)).catch(() => null), null, gone);
  }
  assert.equal((await readdir(path.join(work, 'x'))).sort(), ['dest']);
  assert.is(await lstat(path.join(work, 'evil.txt')).catch(() => null), null);
  assert.ok(xi.some((i) => i.message.includes('app/out') && i.message.includes('outside')));
  assert.ok(xi.some((i) => i.message.includes('app/abs:') && i.message.includes('outside')));
});

test('an oversized pax header is ignored and reported, not buffered', async () => {
  const out = path.join(work, 'bigpax.tgz');
  await execa('python3', [
    '-c',
    `
import tarfile, io, sys
with tarfile.open(sys.argv[1], 'w:gz', format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo('app/ok.txt'); ti.size = 3; ti.pax_headers = {'comment': 'y' * 400000}; t.addfile(ti, io.BytesIO(b'ok\\n'))
    ti = tarfile.TarInfo('app/after.txt'); ti.size = 3; t.addfile(ti, io.BytesIO(b'ok\\n'))
`,
    out,
  ]);
  const issues: Issue[] = [];
  const paths: string[] = [];
  await forEachEntry(out, (e) => void paths.push(e.path), { onIssue: (i) => issues.push(i) });
  assert.ok(
    issues.some((i) => i.message.includes('extended header') && i.message.includes('ignored')),
    JSON.stringify(issues),
  );
  assert.ok(paths.includes('app/after.txt'));
});

test('extractDroplet honours filter and maxFileBytes', async () => {
  const tgz = await makeDroplet('filtered');
  const dest = path.join(work, 'filtered-out');
  const { issues } = await extractDroplet(tgz, dest, { filter: (p) => p.startsWith('app'), maxFileBytes: 1024 });
  assert.equal(await readFile(path.join(dest, 'app/index.js'), 'utf8'), 'console.log(1)\n');
  assert.is(await lstat(path.join(dest, 'deps')).catch(() => null), null);
  assert.is(await lstat(path.join(dest, 'app/sub/big.bin')).catch(() => null), null);
  assert.ok(issues.some((i) => i.message.includes('app/sub/big.bin') && i.message.includes('over the limit')));
});

test.run();
