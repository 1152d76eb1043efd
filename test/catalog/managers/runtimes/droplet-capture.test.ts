// End-to-end: captureDir over a droplet-shaped tree with a Spring Boot jar, a Go binary, a published .NET app and runtimes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureDir } from '../../../../src/catalog/capture.ts';
import { BUILDINFO_MAGIC } from '../../../../src/catalog/managers/go/parse-buildinfo.ts';
import { zip } from '../../zip.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function goElf(modinfo: string): Buffer {
  const header = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(header);
  header[14] = 8;
  header[15] = 2;
  const v = Buffer.from('go1.22.5');
  const mi = Buffer.concat([Buffer.alloc(16, 1), Buffer.from(modinfo), Buffer.alloc(16, 2)]);
  return Buffer.concat([
    Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
    Buffer.alloc(1020),
    header,
    Buffer.from([v.length]),
    v,
    Buffer.from([(mi.length & 0x7f) | 0x80, mi.length >> 7]),
    mi,
  ]);
}

test('droplet: libraries from every JVM/Go/.NET source plus runtimes, one component per purl, complete', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-droplet-'));
  try {
    await cp(path.join(here, 'fixtures/droplet'), dir, { recursive: true });
    await cp(path.join(here, '../nuget/fixtures/published-app/app/hello.deps.json'), path.join(dir, 'app/hello.deps.json'));
    await mkdir(path.join(dir, 'app/bin'), { recursive: true });
    await writeFile(
      path.join(dir, 'app/bin/web'),
      goElf('path\texample.com/web\nmod\texample.com/web\t(devel)\t\ndep\tgithub.com/gorilla/mux\tv1.8.1\th1:x=\n'),
    );
    const lib = await zip({ 'META-INF/maven/org.yaml/snakeyaml/pom.properties': 'groupId=org.yaml\nartifactId=snakeyaml\nversion=1.30\n' });
    await writeFile(
      path.join(dir, 'app/app.jar'),
      await zip(
        {
          'META-INF/maven/com.example/app/pom.properties': 'groupId=com.example\nartifactId=app\nversion=1\n',
          'BOOT-INF/lib/snakeyaml-1.30.jar': lib,
        },
        false,
      ),
    );
    await writeFile(
      path.join(dir, 'app/pom.xml'),
      '<project><dependencies>\n<dependency><groupId>org.yaml</groupId><artifactId>snakeyaml</artifactId><version>1.30</version></dependency>\n</dependencies></project>\n',
    );
    const cap = await captureDir(dir);
    assert.equal(
      cap.issues.filter((i) => i.severity === 'error'),
      [],
    );
    assert.is(cap.complete, true);
    const purls = cap.components.map((c) => c.purl);
    for (const p of [
      'pkg:maven/org.yaml/snakeyaml@1.30',
      'pkg:golang/github.com/gorilla/mux@v1.8.1',
      'pkg:golang/stdlib@v1.22.5',
      'pkg:nuget/Newtonsoft.Json@13.0.3',
      'pkg:generic/node@22.12.0',
      'pkg:generic/jre@17.0.13',
      'pkg:generic/dotnet-runtime@8.0.11',
    ])
      assert.ok(purls.includes(p), p);
    assert.is(new Set(purls).size, purls.length);
    assert.not.ok(purls.some((p) => p.includes('com.example/app')));
    const yaml = cap.components.find((c) => c.purl === 'pkg:maven/org.yaml/snakeyaml@1.30')!;
    assert.equal(yaml.locations.map((l) => l.source).sort(), ['installed', 'manifest']);
    assert.is(yaml.hashes.length, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
