// Tests for reading Go build info from executables: a real Go binary when one is installed, and a synthetic ELF the test writes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { go } from '../../../../src/catalog/managers/go/index.ts';
import { readBuildInfo, BUILDINFO_MAGIC, goVersionToSemver } from '../../../../src/catalog/managers/go/parse-buildinfo.ts';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { skip } from '../../../shared.ts';

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
const str = (s: string) => Buffer.concat([varint(Buffer.byteLength(s)), Buffer.from(s)]);
// the 16-byte sentinels cmd/go wraps modinfo in
const START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

/** An ELF-shaped blob with a Go 1.18+ `.go.buildinfo` header (ptrSize 8, flags = inline strings) at a 16-aligned offset. */
function syntheticGoElf(goVersion: string, modinfo: string, flags = 2): Buffer {
  const elf = Buffer.alloc(4096);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(elf);
  const header = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(header);
  header[14] = 8;
  header[15] = flags;
  const mi = Buffer.concat([START, Buffer.from(modinfo), END]);
  return Buffer.concat([elf, header, str(goVersion), varint(mi.length), mi, Buffer.alloc(512)]);
}

const MODINFO = [
  'path\texample.com/app/cmd/web',
  'mod\texample.com/app\t(devel)\t',
  'dep\tgithub.com/gorilla/mux\tv1.8.1\th1:TuBL49tXwgrFYWhqrNgrUNEY92u81SPhu7sTdzQEiWY=',
  'dep\tgopkg.in/fsnotify.v1\tv1.4.7\t',
  '=>\tgithub.com/fsnotify/fsnotify\tv1.4.9\th1:abc=',
  'dep\texample.com/local\tv0.0.0-00010101000000-000000000000\t',
  '=>\t../local\t\t',
  'build\t-compiler=gc',
  'build\tCGO_ENABLED=0',
  '',
].join('\n');

test('synthetic ELF: deps, replacements, the main module is not a dependency', () => {
  const r = readBuildInfo(syntheticGoElf('go1.22.5', MODINFO), 'app/bin/web');
  assert.equal(r.issues, []);
  assert.is(r.info!.goVersion, 'go1.22.5');
  assert.equal(r.info!.main, { path: 'example.com/app', version: '(devel)' });
  assert.equal(
    r.info!.deps.map((d) => d.path),
    ['github.com/gorilla/mux', 'gopkg.in/fsnotify.v1', 'example.com/local'],
  );
  assert.equal(r.info!.deps[1].replacedBy, { path: 'github.com/fsnotify/fsnotify', version: 'v1.4.9' });
});

test('manager on a droplet tree: app/bin/<exe> and a binary-buildpack app/<exe> give modules + stdlib with source binary; deps/ toolchain and non-ELF files ignored', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-gobin-'));
  try {
    await mkdir(path.join(dir, 'app/bin'), { recursive: true });
    await mkdir(path.join(dir, 'deps/0/go1.22.5/go/bin'), { recursive: true });
    await writeFile(path.join(dir, 'app/bin/web'), syntheticGoElf('go1.22.5', MODINFO));
    await writeFile(path.join(dir, 'app/bin/run'), '#!/bin/sh\necho hi\n');
    await writeFile(path.join(dir, 'app/Procfile'), 'web: bin/web\n');
    await writeFile(
      path.join(dir, 'app/server'),
      syntheticGoElf('go1.21.0', 'path\texample.com/server\nmod\texample.com/server\t(devel)\t\ndep\tgithub.com/gorilla/mux\tv1.8.1\t\n'),
    );
    await writeFile(path.join(dir, 'deps/0/go1.22.5/go/bin/gofmt'), syntheticGoElf('go1.22.5', 'path\tcmd/gofmt\n'));
    const { ctx } = await scanContextForDir(dir);
    const paths = ctx.files.map((f) => f.path).filter((p) => go.matches(p));
    assert.equal(paths, ['app/Procfile', 'app/bin/run', 'app/bin/web', 'app/server']);
    const r = await go.parse(paths, ctx);
    assert.equal(r.issues, []);
    assert.equal(
      r.components.map((c) => c.purl),
      [
        'pkg:golang/github.com/gorilla/mux@v1.8.1',
        'pkg:golang/gopkg.in/fsnotify.v1@v1.4.9',
        'pkg:golang/stdlib@v1.21.0',
        'pkg:golang/stdlib@v1.22.5',
      ],
    );
    assert.equal(r.components[0].locations, [
      { path: 'app/bin/web', source: 'binary' },
      { path: 'app/server', source: 'binary' },
    ]);
    for (const c of r.components.slice(1)) assert.is(c.locations.length, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('pre-1.18 build info is a warning; truncated build info is an error; no magic is nothing', () => {
  assert.equal(
    readBuildInfo(syntheticGoElf('go1.16', MODINFO, 0), 'bin/x').issues.map((i) => i.severity),
    ['warning'],
  );
  const whole = syntheticGoElf('go1.22.5', MODINFO);
  const cut = whole.subarray(0, 4096 + 32 + 20);
  assert.equal(
    readBuildInfo(cut, 'bin/x').issues.map((i) => i.severity),
    ['error'],
  );
  assert.equal(readBuildInfo(Buffer.alloc(100), 'bin/x'), { issues: [] });
});

test('go versions to semver', () => {
  assert.is(goVersionToSemver('go1.20'), 'v1.20.0');
  assert.is(goVersionToSemver('go1.23rc1'), 'v1.23.0-rc.1');
  assert.is(goVersionToSemver('go1.21.0 X:loopvar'), 'v1.21.0');
  assert.is(goVersionToSemver('devel +abc'), undefined);
});

// A real Go binary on this machine, read in place (never executed). Its modinfo text is also findable with a plain byte search.
const REAL = ['/usr/bin/kpt', '/usr/local/bin/terraform', '/usr/bin/kubectl'].find((p) => existsSync(p));
test('a real Go binary built by the go tool', () => {
  if (!REAL) return skip('no Go-built binary found on this machine (and no go toolchain to build one)');
  const bin = readFileSync(REAL);
  const r = readBuildInfo(bin, REAL);
  assert.equal(r.issues, []);
  assert.match(r.info!.goVersion, /^go1\.\d+/);
  assert.ok(r.info!.main && r.info!.deps.length > 10, 'a binary with module dependencies');
  assert.ok(goVersionToSemver(r.info!.goVersion));
  // every dep the varint reader found is also present as plain text after the header (a byte search, not the same parse)
  const after = bin.subarray(bin.indexOf(BUILDINFO_MAGIC), bin.indexOf(BUILDINFO_MAGIC) + 4 * 1024 * 1024).toString('latin1');
  for (const d of r.info!.deps) {
    assert.match(d.version, /^(v\d|\(devel\))/);
    assert.ok(after.includes(`dep\t${d.path}\t${d.version}`), d.path);
  }
  assert.is(r.info!.deps.length, (after.match(/\ndep\t/g) ?? []).length + (after.startsWith('dep\t') ? 1 : 0));
});

test.run();
