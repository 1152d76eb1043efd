// Tests for NuGet packages.lock.json and *.deps.json against the real corpus and a published-app fixture.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nuget } from '../../../../src/catalog/managers/nuget/index.ts';
import { parsePackagesLock } from '../../../../src/catalog/managers/nuget/parse-packages-lock.ts';
import { parseDepsJson } from '../../../../src/catalog/managers/nuget/parse-deps-json.ts';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { parsePurl } from '../../../../src/model/index.ts';
import { needShared } from '../../../shared.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../..');
const corpus = path.resolve(repo, '..', 'shared', 'corpus');
const have = existsSync(corpus);
const counts = have ? JSON.parse(readFileSync(path.join(corpus, 'expected-counts.json'), 'utf8')).files : {};

const LOCKS = ['2023-net6.0/src/Api', 'head/src/Api', 'head/src/Icons'];

for (const dir of LOCKS) {
  test(`corpus bitwarden ${dir}: Direct + Transitive entries, Project skipped, SHA-512 from contentHash, lines`, () => {
    if (!needShared(corpus)) return;
    const rel = `lockfiles/nuget/bitwarden-server/${dir}/packages.lock.json`;
    const text = readFileSync(path.join(corpus, rel), 'utf8');
    const r = parsePackagesLock(text, rel);
    assert.equal(r.issues, []);
    const exp = Object.values(counts[rel].targets as Record<string, { Direct: number; Transitive: number }>)[0];
    assert.is(r.components.length, exp.Direct + exp.Transitive);
    assert.is(r.components.filter((c) => c.direct).length, exp.Direct);
    const lines = text.split('\n');
    const purls = new Set(r.components.map((c) => c.purl));
    for (const c of r.components) {
      assert.is(parsePurl(c.purl).type, 'nuget');
      assert.is(c.hashes[0].alg, 'SHA-512');
      assert.is(c.hashes[0].value.length, 128);
      assert.ok(lines[c.locations[0].line! - 1].includes(`"${c.name}": {`), `${c.name} line ${c.locations[0].line}`);
      for (const d of c.dependsOn) assert.ok(purls.has(d));
    }
  });
}

test('bitwarden 2023: Microsoft.Data.SqlClient 5.0.1 and Newtonsoft.Json 13.0.1 with edges', () => {
  if (!needShared(corpus)) return;
  const rel = 'lockfiles/nuget/bitwarden-server/2023-net6.0/src/Api/packages.lock.json';
  const r = parsePackagesLock(readFileSync(path.join(corpus, rel), 'utf8'), rel);
  assert.ok(r.components.some((c) => c.purl === 'pkg:nuget/Microsoft.Data.SqlClient@5.0.1'));
  assert.ok(r.components.some((c) => c.purl === 'pkg:nuget/Newtonsoft.Json@13.0.1'));
  const hc = r.components.find((c) => c.name === 'AspNetCore.HealthChecks.MySql')!;
  assert.ok(hc.dependsOn.some((p) => p.startsWith('pkg:nuget/MySqlConnector@')));
});

test('truncated lock file: an error with a line, and the entries before the cut', () => {
  if (!needShared(corpus)) return;
  const rel = 'lockfiles/nuget/bitwarden-server/head/src/Icons/packages.lock.json';
  const text = readFileSync(path.join(corpus, rel), 'utf8');
  const cut = text.slice(0, Math.floor(text.length / 2));
  const r = parsePackagesLock(cut, 'packages.lock.json');
  assert.is(r.issues.length, 1);
  assert.is(r.issues[0].severity, 'error');
  assert.ok(r.issues[0].line! > 1);
  const full = parsePackagesLock(text, rel).components.map((c) => c.purl);
  assert.ok(r.components.length > 3 && r.components.length < full.length);
  for (const c of r.components) assert.ok(full.includes(c.purl));
});

test('deps.json: packages with sha512, the project is the app, edges and direct from the runtime target', () => {
  const rel = 'app/hello.deps.json';
  const r = parseDepsJson(readFileSync(path.join(here, 'fixtures/published-app', rel), 'utf8'), rel);
  assert.equal(r.issues, []);
  assert.equal(
    r.components.map((c) => `${c.purl} direct=${c.direct}`),
    [
      'pkg:nuget/Newtonsoft.Json@13.0.3 direct=true',
      'pkg:nuget/Serilog@3.1.1 direct=false',
      'pkg:nuget/Serilog.AspNetCore@8.0.1 direct=true',
    ],
  );
  const sa = r.components[2];
  assert.equal(sa.dependsOn, ['pkg:nuget/Serilog@3.1.1']);
  assert.is(sa.hashes[0].alg, 'SHA-512');
  assert.is(sa.hashes[0].value.length, 128);
  assert.equal(sa.locations, [{ path: rel, line: 74, source: 'installed' }]);
});

test('manager: what the published app ships wins over the lock file; the lock location is kept', async () => {
  const { ctx } = await scanContextForDir(path.join(here, 'fixtures/published-app'));
  const paths = ctx.files.map((f) => f.path).filter((p) => nuget.matches(p));
  assert.equal(paths, ['app/hello.deps.json', 'app/packages.lock.json']);
  const r = await nuget.parse(paths, ctx);
  const nj = r.components.filter((c) => c.name === 'Newtonsoft.Json');
  assert.is(nj.length, 1);
  assert.is(nj[0].version, '13.0.3');
  assert.equal(
    nj[0].locations.map((l) => `${l.path}:${l.source}`),
    ['app/hello.deps.json:installed', 'app/packages.lock.json:lockfile'],
  );
  assert.ok(r.components.some((c) => c.purl === 'pkg:nuget/xunit@2.6.1'));
  assert.not.ok(nuget.matches('deps/0/dotnet-sdk/shared/Microsoft.NETCore.App/8.0.11/Microsoft.NETCore.App.deps.json'));
});

test('version 2, several target frameworks and a RID section merged; CentralTransitive is shipped, not direct', () => {
  const lock = {
    version: 2,
    dependencies: {
      'net6.0': {
        Serilog: { type: 'Direct', requested: '[3.1.1, )', resolved: '3.1.1', contentHash: Buffer.alloc(64, 1).toString('base64') },
        'System.Text.Json': {
          type: 'CentralTransitive',
          requested: '[8.0.5, )',
          resolved: '8.0.5',
          contentHash: Buffer.alloc(64, 2).toString('base64'),
        },
        app: { type: 'Project', dependencies: { Serilog: '[3.1.1, )' } },
      },
      'net8.0': {
        Serilog: {
          type: 'Direct',
          requested: '[3.1.1, )',
          resolved: '3.1.1',
          contentHash: Buffer.alloc(64, 1).toString('base64'),
          dependencies: { 'system.text.json': '8.0.5' },
        },
        'System.Text.Json': { type: 'Transitive', resolved: '9.0.0', contentHash: Buffer.alloc(64, 3).toString('base64') },
      },
      'net8.0/linux-x64': {
        'runtime.linux-x64.Microsoft.NETCore.ILAsm': {
          type: 'Transitive',
          resolved: '8.0.0',
          contentHash: Buffer.alloc(64, 4).toString('base64'),
        },
      },
    },
  };
  const text = JSON.stringify(lock, null, 2);
  const r = parsePackagesLock(text, 'packages.lock.json');
  assert.equal(r.issues, []);
  assert.equal(
    r.components.map((c) => `${c.purl} direct=${c.direct}`),
    [
      'pkg:nuget/Serilog@3.1.1 direct=true',
      'pkg:nuget/System.Text.Json@8.0.5 direct=false',
      'pkg:nuget/System.Text.Json@9.0.0 direct=false',
      'pkg:nuget/runtime.linux-x64.Microsoft.NETCore.ILAsm@8.0.0 direct=false',
    ],
  );
  // the edge resolves within net8.0 (case-insensitively) to that framework's System.Text.Json
  assert.equal(r.components[0].dependsOn, ['pkg:nuget/System.Text.Json@9.0.0']);
  // the second framework's entries point at their own lines
  const lines = text.split('\n');
  assert.ok(lines[r.components[2].locations[0].line! - 1].includes('"System.Text.Json": {'));
  assert.ok(r.components[2].locations[0].line! > r.components[1].locations[0].line!);
});

test('not JSON / wrong shape: one located error, no throw', () => {
  assert.equal(parsePackagesLock('', 'p.json').issues.length, 1);
  assert.equal(parsePackagesLock('{"version":1}', 'p.json').issues[0].line, 1);
  assert.equal(parseDepsJson('{"libraries": ', 'a.deps.json').components, []);
  assert.is(parseDepsJson('[1]', 'a.deps.json').issues[0].severity, 'error');
});

test('nuget.matches: exactly the files it reads', () => {
  for (const p of ['packages.lock.json', 'app/src/Api/packages.lock.json', 'app/hello.deps.json', 'deps/0/dotnet_publish/Api.deps.json'])
    assert.ok(nuget.matches(p), p);
  for (const p of [
    'app/Api.csproj',
    'package-lock.json',
    'deps/0/dotnet-sdk/shared/Microsoft.NETCore.App/8.0.11/Microsoft.NETCore.App.deps.json',
    'deps/0/dotnet-sdk/sdk/8.0.404/dotnet.deps.json',
    'app/hello.runtimeconfig.json',
  ])
    assert.not.ok(nuget.matches(p), p);
});

test.run();
