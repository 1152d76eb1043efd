// Droplet reading in one go (inflateWholeBelow, what scan's worker threads ask for) against streaming: the same entries,
// bodies and errors, on real tar.gz files made by GNU tar; too large a droplet or inflated content streams instead.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { forEachEntry, inflateWholeBelow } from '../../src/droplet/read.ts';

let work = '';
test.before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bpx-read-whole-'));
});
test.after(async () => {
  inflateWholeBelow(0);
  await rm(work, { recursive: true, force: true });
});

/** Every entry as a line: path, type, mode, size, link target, and the SHA-256 of a body read to its end. */
async function listing(tgz: string, readEvery = true): Promise<string[]> {
  const out: string[] = [];
  await forEachEntry(tgz, async (e, body) => {
    let sha = '-';
    if (body && (readEvery || e.path.endsWith('.js'))) {
      const h = createHash('sha256');
      for await (const c of body) h.update(c as Buffer);
      sha = h.digest('hex');
    }
    out.push(`${e.path} ${e.type} ${e.mode.toString(8)} ${e.size} ${e.linkTarget ?? ''} ${sha}`);
  });
  return out;
}

async function errorOf(tgz: string): Promise<string> {
  try {
    await forEachEntry(tgz, () => {});
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

test('whole and streamed reads give the same entries, bodies (read or skipped) and errors', async () => {
  const root = path.join(work, 'tree');
  await mkdir(path.join(root, 'app', 'lib'), { recursive: true });
  await mkdir(path.join(root, 'deps', '0'), { recursive: true });
  for (let i = 0; i < 50; i++) await writeFile(path.join(root, 'app', 'lib', `m${i}.js`), `export const x${i} = ${i};\n`.repeat(i * 20));
  await writeFile(path.join(root, 'deps', '0', 'blob.bin'), Buffer.alloc(2 * 1024 * 1024, 3));
  await writeFile(path.join(root, 'app', 'empty'), '');
  await symlink('lib/m1.js', path.join(root, 'app', 'link'));
  const tgz = path.join(work, 'd.tgz');
  await execa('tar', ['-czf', tgz, '-C', root, '.']);
  const bytes = await readFile(tgz);
  const cut = path.join(work, 'cut.tgz');
  await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const junk = path.join(work, 'junk.tgz');
  await writeFile(junk, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('garbage that is no deflate stream '.repeat(10))]));
  const plain = path.join(work, 'plain.tar');
  await execa('tar', ['-cf', plain, '-C', root, '.']);

  inflateWholeBelow(0);
  const streamed = [await listing(tgz), await listing(tgz, false), await listing(plain)];
  const errors = [await errorOf(cut), await errorOf(junk), await errorOf(path.join(work, 'missing.tgz'))];
  inflateWholeBelow(16 * 1024 * 1024);
  assert.equal([await listing(tgz), await listing(tgz, false), await listing(plain)], streamed);
  assert.equal([await errorOf(cut), await errorOf(junk), await errorOf(path.join(work, 'missing.tgz'))], errors);
  assert.ok(streamed[0]!.length > 50);
  assert.match(errors[0]!, /cut\.tgz: not a readable droplet \(gzip-compressed tar\): zlib: unexpected end of file/);
  // a droplet over the limit streams, and reads the same
  inflateWholeBelow(1024);
  assert.equal(await listing(tgz), streamed[0]);
  inflateWholeBelow(0);
});

test('droplets read one after another in one go share a read buffer: a larger one grows it, a smaller one after it reads only its own bytes', async () => {
  const small = path.join(work, 'small');
  const large = path.join(work, 'large');
  await mkdir(path.join(small, 'app'), { recursive: true });
  await mkdir(path.join(large, 'app'), { recursive: true });
  await writeFile(path.join(small, 'app', 'a.txt'), 'small droplet\n');
  // incompressible: the compressed droplet is larger than the buffer's first size (4 MiB)
  await writeFile(path.join(large, 'app', 'noise.bin'), randomBytes(6 * 1024 * 1024));
  await writeFile(path.join(large, 'app', 'b.txt'), 'large droplet\n');
  const [smallTgz, largeTgz] = [path.join(work, 'small.tgz'), path.join(work, 'large.tgz')];
  await execa('tar', ['-czf', smallTgz, '-C', small, '.']);
  await execa('tar', ['-czf', largeTgz, '-C', large, '.']);
  assert.ok((await stat(largeTgz)).size > 4 * 1024 * 1024);
  inflateWholeBelow(0);
  const streamed = [await listing(smallTgz), await listing(largeTgz)];
  inflateWholeBelow(16 * 1024 * 1024);
  const whole = [await listing(smallTgz), await listing(largeTgz), await listing(smallTgz)];
  inflateWholeBelow(0);
  assert.equal(whole, [streamed[0], streamed[1], streamed[0]]);
  assert.ok(
    streamed[1]!.some((l) => l.startsWith(`app/noise.bin file 644 ${6 * 1024 * 1024} `)),
    streamed[1]!.join('\n'),
  );
});

test('a droplet that inflates past the bound for one go (a gzip bomb) streams instead of filling memory', async () => {
  // made outside this process (a sparse file, tar and gzip streaming), so that its memory is the read's alone
  const root = path.join(work, 'bomb');
  await mkdir(path.join(root, 'app'), { recursive: true });
  await execa('truncate', ['-s', '300M', path.join(root, 'app', 'zeros')]);
  const tgz = path.join(work, 'bomb.tgz');
  await execa('sh', ['-c', `tar -cf - -C "${root}" . | gzip -1 > "${tgz}"`]);
  await rm(root, { recursive: true });
  inflateWholeBelow(16 * 1024 * 1024);
  const seen: string[] = [];
  await forEachEntry(tgz, (e) => void seen.push(`${e.path} ${e.size}`));
  inflateWholeBelow(0);
  assert.ok(seen.includes(`app/zeros ${300 * 1024 * 1024}`), seen.join('\n'));
  // inflated in one go it would have held 300 MB
  assert.ok(process.resourceUsage().maxRSS < 250 * 1024, `peak RSS ${process.resourceUsage().maxRSS} KiB`);
});

test.run();
