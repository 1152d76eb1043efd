// The one zip extractor and the one buildpack-root rule that `bpx wrap` and `bpx stage` share (src/platform/).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { extractZip, resolveInZip, UnsafeZipError } from '../../src/platform/zip-extract.ts';
import { buildpackRoot, BuildpackRootError } from '../../src/platform/buildpack-root.ts';
import { repoRoot, tempDir } from '../lifecycle/helpers.ts';
import { writeZip, type ZipEntrySpec } from '../wrap/make-zip.ts';

async function refused(entries: ZipEntrySpec[]): Promise<{ error: UnsafeZipError; root: string }> {
  const root = tempDir();
  const zip = join(root, 'bp.zip');
  writeZip(zip, entries);
  const dest = join(root, 'sub', 'dest');
  mkdirSync(dest, { recursive: true });
  try {
    await extractZip(zip, dest);
  } catch (err) {
    assert.instance(err, UnsafeZipError, String(err));
    assert.equal(readdirSync(dest), [], 'nothing written');
    return { error: err as UnsafeZipError, root };
  }
  throw new Error(`extracted: ${JSON.stringify(entries.map((e) => e.name))}`);
}

const SUPPLY: ZipEntrySpec = { name: 'bin/supply', data: '#!/bin/sh\n', mode: 0o100755 };

test('a chain of links reaching outside (a/b -> .., c -> a/b/.., c/x) is refused, not dropped nor written', async () => {
  const { error, root } = await refused([
    SUPPLY,
    { name: 'a/', mode: 0o040755 },
    { name: 'a/b', data: '..', mode: 0o120777 },
    { name: 'c', data: 'a/b/..', mode: 0o120777 },
    { name: 'c/x', data: 'pwned' },
  ]);
  assert.is(error.entry, 'c');
  assert.match(error.message, "entry 'c' is a symbolic link pointing outside the buildpack (a/b/..)");
  assert.not.ok(existsSync(join(root, 'sub', 'x')));
  // the same chain without the write below it: the link alone is refused
  assert.is(
    (await refused([SUPPLY, { name: 'a/b', data: '..', mode: 0o120777 }, { name: 'c', data: 'a/b/../etc', mode: 0o120777 }])).error.entry,
    'c',
  );
  // a chain through a link that points at a link
  assert.is(
    (await refused([SUPPLY, { name: 'up', data: '..', mode: 0o120777 }, { name: 'x/l', data: '../up', mode: 0o120777 }])).error.entry,
    'up',
  );
});

test('entries below a link, below a file, twice, or with .. / absolute names are refused before anything is written', async () => {
  const below = await refused([SUPPLY, { name: 'lib', data: 'bin', mode: 0o120777 }, { name: 'lib/evil', data: 'x' }]);
  assert.match(below.error.message, "entry 'lib/evil' lies below the symbolic link 'lib'");
  assert.match((await refused([SUPPLY, { name: 'f', data: 'x' }, { name: 'f/g', data: 'y' }])).error.message, "lies below the file 'f'");
  assert.match(
    (await refused([SUPPLY, { name: 'bin/supply', data: 'other', mode: 0o120777 }])).error.message,
    "entry 'bin/supply' appears twice",
  );
  assert.match(
    (await refused([SUPPLY, { name: 'bin/../../evil', data: 'x' }])).error.message,
    "entry 'bin/../../evil' escapes the target directory",
  );
  assert.match(
    (await refused([SUPPLY, { name: '/tmp/bpx-evil-abs', data: 'x' }])).error.message,
    "entry '/tmp/bpx-evil-abs' has an absolute path",
  );
  assert.match(
    (await refused([SUPPLY, { name: 'l', data: '/etc', mode: 0o120777 }])).error.message,
    'pointing outside the buildpack (/etc)',
  );
  // a loop is not a way out either
  assert.match(
    (await refused([SUPPLY, { name: 'p', data: 'q', mode: 0o120777 }, { name: 'q', data: 'p/x', mode: 0o120777 }])).error.message,
    'pointing outside',
  );
});

test('links inside, modes, dirs and entries without Unix attributes extract as the builder sees them', async () => {
  const root = tempDir();
  const zip = join(root, 'bp.zip');
  writeZip(zip, [
    { name: 'bp/', mode: 0o040755 },
    { name: 'bp/bin/', mode: 0o040755 },
    { name: 'bp/bin/detect', data: '#!/bin/sh\necho d\n', mode: 0o100755 },
    { name: 'bp/bin/supply', data: 'detect', mode: 0o120777 },
    { name: 'bp/lib/up', data: '../bin', mode: 0o120777 },
    { name: 'bp/VERSION', data: '1.0.0\n', mode: 0o100644 },
    { name: 'bp/bin/setuid', data: 'x', mode: 0o104755 },
    { name: 'bp/plain', data: 'no attributes', mode: 0 },
  ]);
  const dest = join(root, 'dest');
  mkdirSync(dest);
  await extractZip(zip, dest);
  assert.is(readlinkSync(join(dest, 'bp', 'bin', 'supply')), 'detect');
  assert.is(readlinkSync(join(dest, 'bp', 'lib', 'up')), '../bin');
  assert.is(statSync(join(dest, 'bp', 'bin', 'detect')).mode & 0o7777, 0o755);
  assert.is(statSync(join(dest, 'bp', 'VERSION')).mode & 0o7777, 0o644);
  assert.is(statSync(join(dest, 'bp', 'bin', 'setuid')).mode & 0o7777, 0o755, 'set-id bits dropped');
  assert.is(statSync(join(dest, 'bp', 'plain')).mode & 0o7777, 0o755, 'no attributes: runnable, as before in bpx stage');
  assert.ok(lstatSync(join(dest, 'bp', 'lib')).isDirectory());
  assert.is(readFileSync(join(dest, 'bp', 'bin', 'supply'), 'utf8'), '#!/bin/sh\necho d\n');
  assert.is(await buildpackRoot(dest, 'bp'), join(dest, 'bp'));
});

test("resolveInZip follows the zip's own links as the kernel does", () => {
  const links = new Map([
    ['a/b', '..'],
    ['c', 'a/b/..'],
    ['d', 'a'],
    ['e', 'd/../x'],
  ]);
  assert.equal(resolveInZip([], 'a/b', links), []);
  assert.is(resolveInZip([], 'a/b/..', links), undefined);
  assert.equal(resolveInZip([], 'd/f', links), ['a', 'f']);
  assert.equal(resolveInZip([], 'e', links), ['x']);
  assert.is(resolveInZip(['a'], '/etc', links), undefined);
});

test("buildpackRoot is the builder's rule: the folder with bin/, else its only entry with bin/, else the builder's messages", async () => {
  const root = tempDir();
  mkdirSync(join(root, 'flat', 'bin'), { recursive: true });
  assert.is(await buildpackRoot(join(root, 'flat'), 'k'), join(root, 'flat'));
  mkdirSync(join(root, 'nested', 'bp-v1', 'bin'), { recursive: true });
  assert.is(await buildpackRoot(join(root, 'nested'), 'k'), join(root, 'nested', 'bp-v1'));
  // two entries, or one without bin/: not a buildpack (one level only, as runner.go)
  mkdirSync(join(root, 'two', 'bp-v1', 'bin'), { recursive: true });
  writeFileSync(join(root, 'two', 'README'), 'x');
  mkdirSync(join(root, 'deep', 'a', 'b', 'bin'), { recursive: true });
  for (const d of ['two', 'deep']) {
    const err = await buildpackRoot(join(root, d), 'k').catch((e: unknown) => e);
    assert.instance(err, BuildpackRootError);
    assert.is((err as Error).message, 'malformed buildpack does not contain a /bin dir: k');
  }
  // bin/ counts when it exists at all, links followed (os.Stat)
  mkdirSync(join(root, 'linked', 'real-bin'), { recursive: true });
  symlinkSync('real-bin', join(root, 'linked', 'bin'));
  assert.is(await buildpackRoot(join(root, 'linked'), 'k'), join(root, 'linked'));
  const gone = await buildpackRoot(join(root, 'missing'), 'k').catch((e: unknown) => e);
  assert.is((gone as Error).message, `Failed to read buildpack directory '${join(root, 'missing')}' for buildpack 'k'`);
});

test('one zip extractor and one buildpack-root rule in src/: wrap and stage share them', () => {
  const grep = (re: string) =>
    execaSync('grep', ['-rlE', re, 'src'], { cwd: repoRoot, reject: false }).stdout.split('\n').filter(Boolean).sort();
  // yauzl also reads jars and OSV zips in memory; only one module writes zip entries to disk
  const extractors = grep("from 'yauzl'").filter((f) => /createWriteStream|symlink\(/.test(readFileSync(join(repoRoot, f), 'utf8')));
  assert.equal(extractors, ['src/platform/zip-extract.ts']);
  assert.equal(grep('function (extractZip|unzipTo)'), ['src/platform/zip-extract.ts']);
  assert.equal(grep('function buildpackRoot'), ['src/platform/buildpack-root.ts']);
  assert.equal(grep('platform/zip-extract'), ['src/cli/wrap/run.ts', 'src/lifecycle/stage/buildpack-source.ts', 'src/wrap/wrap.ts']);
  assert.equal(grep('platform/buildpack-root'), ['src/lifecycle/stage/builder.ts', 'src/wrap/wrap.ts']);
});

test.run();
