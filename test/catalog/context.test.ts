import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanContextForDir } from '../../src/catalog/context.ts';

function tree(): { root: string; outside: string } {
  const base = mkdtempSync(path.join(tmpdir(), 'bpx-ctx-'));
  const root = path.join(base, 'app');
  const outside = path.join(base, 'secret');
  mkdirSync(path.join(root, 'b/c'), { recursive: true });
  mkdirSync(path.join(root, '.git'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'key.pem'), 'PRIVATE');
  writeFileSync(path.join(root, 'z.txt'), 'z');
  writeFileSync(path.join(root, 'a.json'), '\uFEFF{"a":1}');
  writeFileSync(path.join(root, 'b/c/d.txt'), 'deep');
  writeFileSync(path.join(root, '.git/config'), 'x');
  symlinkSync(path.join(outside, 'key.pem'), path.join(root, 'leak.pem'));
  symlinkSync(outside, path.join(root, 'leakdir'));
  symlinkSync('b/c/d.txt', path.join(root, 'inside-link.txt'));
  symlinkSync('b', path.join(root, 'loop'));
  symlinkSync('nowhere', path.join(root, 'dangling'));
  return { root, outside: base };
}

test('walk: sorted POSIX paths, .git skipped, no directory links, file links only inside the root', async () => {
  const { root, outside } = tree();
  try {
    const { ctx, issues } = await scanContextForDir(root);
    assert.equal(
      ctx.files.map((f) => f.path),
      ['a.json', 'b/c/d.txt', 'inside-link.txt', 'z.txt'],
    );
    assert.is(ctx.files.find((f) => f.path === 'b/c/d.txt')?.size, 4);
    assert.equal(
      issues.map((i) => [i.path, i.severity, i.message]),
      [
        ['dangling', 'warning', 'dangling link: skipped'],
        ['leak.pem', 'warning', 'link out of the app: skipped'],
        ['leakdir', 'warning', 'link out of the app: skipped'],
      ],
    );
    assert.ok(ctx.has('b/c/d.txt'));
    assert.ok(ctx.has('./b/c/../c/d.txt'));
    assert.not.ok(ctx.has('leak.pem'));
    assert.is(await ctx.readText('inside-link.txt'), 'deep');
    assert.is(await ctx.readText('a.json'), '{"a":1}', 'BOM stripped');
    assert.is(ctx.includeDev, false);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('read refuses paths outside the root, unlisted files and directories', async () => {
  const { root, outside } = tree();
  try {
    const { ctx } = await scanContextForDir(root, { includeDev: true });
    for (const p of ['../secret/key.pem', '/etc/passwd', 'leak.pem', 'leakdir/key.pem', 'b', 'missing.txt', '.git/config']) {
      await ctx.read(p).then(
        () => assert.unreachable(`read ${p}`),
        (err: Error) => assert.ok(err.message.includes(p), err.message),
      );
    }
    assert.is(ctx.includeDev, true);
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('read refuses files over maxFileBytes', async () => {
  const { root, outside } = tree();
  try {
    const { ctx } = await scanContextForDir(root, { maxFileBytes: 2 });
    assert.is((await ctx.read('z.txt')).toString(), 'z');
    await ctx.read('b/c/d.txt').then(
      () => assert.unreachable(),
      (err: Error) => assert.match(err.message, /b\/c\/d\.txt: 4 bytes is over the 2-byte bound/),
    );
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test('read after the file changed since it was sized: whole new content, still under the bound', async () => {
  const { root, outside } = tree();
  try {
    const { ctx } = await scanContextForDir(root, { maxFileBytes: 8 });
    const d = ctx.files.find((f) => f.path === 'b/c/d.txt');
    assert.is(d?.size, 4, 'sized before it changes');
    writeFileSync(path.join(root, 'b/c/d.txt'), 'deeper');
    assert.is(await ctx.readText('b/c/d.txt'), 'deeper', 'grew: read in full');
    writeFileSync(path.join(root, 'b/c/d.txt'), 'de');
    assert.is(await ctx.readText('b/c/d.txt'), 'de', 'shrank');
    writeFileSync(path.join(root, 'b/c/d.txt'), 'much too deep');
    await ctx.read('b/c/d.txt').then(
      () => assert.unreachable(),
      (err: Error) => assert.match(err.message, /b\/c\/d\.txt: 13 bytes is over the 8-byte bound/),
    );
    assert.is(await ctx.readText('./b/../z.txt'), 'z', 'another spelling of a listed path');
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

test.run();
