// Tests for runtime detection on a droplet-shaped fixture tree holding the real file formats (headers, release, VERSION).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimes } from '../../../../src/catalog/managers/runtimes/index.ts';
import { scanContextForDir } from '../../../../src/catalog/context.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/droplet');

test('droplet fixture: each runtime with its exact version, kind runtime, purl generic', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-rt-'));
  try {
    await cp(fixture, dir, { recursive: true });
    // nginx ships as a binary: a stand-in ELF carrying NGINX_VER the way the real one does ("nginx/1.27.3\0")
    await mkdir(path.join(dir, 'deps/6/nginx/sbin'), { recursive: true });
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]),
      Buffer.alloc(2000),
      Buffer.from('nginx version: \0nginx/1.27.3\0'),
      Buffer.alloc(100),
    ]);
    await writeFile(path.join(dir, 'deps/6/nginx/sbin/nginx'), elf);
    const { ctx } = await scanContextForDir(dir);
    const paths = ctx.files.map((f) => f.path).filter((p) => runtimes.matches(p));
    assert.not.ok(paths.some((p) => p.includes('node_modules')));
    const r = await runtimes.parse(paths, ctx);
    assert.equal(r.issues, []);
    assert.equal(r.components.map((c) => c.purl).sort(), [
      'pkg:generic/aspnetcore-runtime@8.0.11',
      'pkg:generic/dotnet-runtime@8.0.11',
      'pkg:generic/go@1.22.5',
      'pkg:generic/httpd@2.4.62',
      'pkg:generic/jre@17.0.13',
      'pkg:generic/nginx@1.27.3',
      'pkg:generic/node@22.12.0',
      'pkg:generic/php@8.3.14',
      'pkg:generic/python@3.12.8',
      'pkg:generic/ruby@3.3.6',
    ]);
    for (const c of r.components) {
      assert.is(c.kind, 'runtime');
      assert.is(c.ecosystem, 'generic');
      assert.is(c.locations[0].source, 'runtime');
    }
    assert.equal(r.components.find((c) => c.name === 'node')!.locations, [
      { path: 'deps/0/node/include/node/node_version.h', source: 'runtime' },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a header without the version macros is a located warning, not a component', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-rt-'));
  try {
    await mkdir(path.join(dir, 'deps/0/node/include/node'), { recursive: true });
    await writeFile(path.join(dir, 'deps/0/node/include/node/node_version.h'), '#define NODE_MAJOR_VERSION 22\n');
    const { ctx } = await scanContextForDir(dir);
    const r = await runtimes.parse(['deps/0/node/include/node/node_version.h'], ctx);
    assert.equal(r.components, []);
    assert.is(r.issues[0].path, 'deps/0/node/include/node/node_version.h');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a JDK (bin/javac present) is named jdk', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-rt-'));
  try {
    await mkdir(path.join(dir, 'deps/0/jdk/bin'), { recursive: true });
    await writeFile(path.join(dir, 'deps/0/jdk/release'), 'IMPLEMENTOR="BellSoft"\nJAVA_VERSION="21.0.5"\n');
    await writeFile(path.join(dir, 'deps/0/jdk/bin/javac'), '');
    const { ctx } = await scanContextForDir(dir);
    const r = await runtimes.parse(['deps/0/jdk/release'], ctx);
    assert.equal(
      r.components.map((c) => c.purl),
      ['pkg:generic/jdk@21.0.5'],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('runtimes.matches: exactly the files it reads', () => {
  for (const p of [
    'deps/0/node/include/node/node_version.h',
    'deps/1/python/include/python3.12/patchlevel.h',
    'deps/2/ruby/lib/ruby/3.3.0/x86_64-linux/rbconfig.rb',
    'app/.java-buildpack/open_jdk_jre/release',
    'deps/3/go1.22.5/go/VERSION',
    'deps/4/dotnet-sdk/shared/Microsoft.NETCore.App/8.0.11/Microsoft.NETCore.App.deps.json',
    'deps/5/php/include/php/main/php_version.h',
    'deps/5/httpd/include/ap_release.h',
    'deps/6/nginx/sbin/nginx',
  ])
    assert.ok(runtimes.matches(p), p);
  for (const p of [
    'app/node_modules/nan/include/node/node_version.h',
    'deps/0/node/bin/node',
    'deps/1/python/lib/python3.12/site-packages/x/include/python3.12/patchlevel.h',
    'app/VERSION',
    'deps/4/dotnet-sdk/shared/Microsoft.NETCore.App/8.0.11/System.dll',
  ])
    assert.not.ok(runtimes.matches(p), p);
});

test.run();
