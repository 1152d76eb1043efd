// The one atomic-write helper: a file, a streamed file, a folder or a set of files appears whole or not at all, and no
// temp name stays behind on success or failure.
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AtomicWriteError, writeAtomic, writeFileAtomic, writeFilesAtomic } from '../../src/fs/atomic-write.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'bpx-atomic-'));

test('writeFileAtomic replaces a file with its mode, leaving no temp file', async () => {
  const d = dir();
  writeFileSync(join(d, 'a.json'), 'old');
  await writeFileAtomic(join(d, 'a.json'), 'new', 0o600);
  assert.is(readFileSync(join(d, 'a.json'), 'utf8'), 'new');
  assert.is(statSync(join(d, 'a.json')).mode & 0o777, 0o600);
  assert.equal(readdirSync(d), ['a.json']);
});

test('writeAtomic: a streamed file; a failing writer leaves the old file and no temp file, and its error is thrown', async () => {
  const d = dir();
  const file = join(d, 'out.bin');
  await writeAtomic(file, (tmp) => pipeline(Readable.from(['a', 'b']), createWriteStream(tmp)));
  assert.is(readFileSync(file, 'utf8'), 'ab');
  const boom = new Error('boom');
  const failing = async function* () {
    yield 'half';
    throw boom;
  };
  try {
    await writeAtomic(file, (tmp) => pipeline(Readable.from(failing()), createWriteStream(tmp)));
    assert.unreachable();
  } catch (err) {
    assert.is(err, boom);
  }
  assert.is(readFileSync(file, 'utf8'), 'ab');
  assert.equal(readdirSync(d), ['out.bin']);
});

test('writeAtomic: a folder; over a folder only with replaceFolder, and the old one stays when filling fails', async () => {
  const d = dir();
  const out = join(d, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'old'), 'x');
  const fill = async (tmp: string) => {
    mkdirSync(tmp);
    writeFileSync(join(tmp, 'new'), 'y');
    return 42;
  };
  try {
    await writeAtomic(out, fill);
    assert.unreachable();
  } catch (err) {
    assert.ok(['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? ''), String(err));
  }
  assert.equal(readdirSync(d), ['out']);
  try {
    await writeAtomic(
      out,
      async (tmp) => {
        await fill(tmp);
        throw new Error('late');
      },
      { replaceFolder: true },
    );
    assert.unreachable();
  } catch (err) {
    assert.is((err as Error).message, 'late');
  }
  assert.equal(readdirSync(out), ['old']);
  assert.is(await writeAtomic(out, fill, { replaceFolder: true }), 42);
  assert.equal(readdirSync(out), ['new']);
  assert.equal(readdirSync(d), ['out']);
  // a file over a folder, and a folder over a file
  await writeAtomic(out, (tmp) => Promise.resolve(writeFileSync(tmp, 'z')), { replaceFolder: true });
  assert.is(readFileSync(out, 'utf8'), 'z');
  await writeAtomic(out, fill, { replaceFolder: true });
  assert.equal(readdirSync(out), ['new']);
  assert.equal(readdirSync(d), ['out']);
});

test('writeFilesAtomic writes every file, or none: a failed rename removes the ones already renamed', async () => {
  const d = dir();
  await writeFilesAtomic([
    { path: join(d, 'k.key'), data: 'private', mode: 0o600 },
    { path: join(d, 'k.pub'), data: 'public' },
  ]);
  assert.equal(readdirSync(d).sort(), ['k.key', 'k.pub']);
  assert.is(statSync(join(d, 'k.key')).mode & 0o777, 0o600);
  assert.is(statSync(join(d, 'k.pub')).mode & 0o777, 0o644);

  // the second target is a folder: its rename fails after the first one's
  const e = dir();
  mkdirSync(join(e, 'b.pub'));
  writeFileSync(join(e, 'b.pub', 'inside'), '');
  try {
    await writeFilesAtomic([
      { path: join(e, 'b.key'), data: 'private', mode: 0o600 },
      { path: join(e, 'b.pub'), data: 'public' },
    ]);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, AtomicWriteError);
    const a = err as AtomicWriteError;
    assert.is(a.file, join(e, 'b.pub'));
    assert.equal(a.removed, [join(e, 'b.key')]);
    assert.ok(['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes((a.cause as NodeJS.ErrnoException).code ?? ''), String(a.cause));
  }
  assert.equal(readdirSync(e), ['b.pub'], 'no key, no temp file');
});

test.run();
