// Tests for go.mod, vendor/modules.txt and the Go manager's reconciliation, against the real corpus and small fixtures.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile, copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { go } from '../../../../src/catalog/managers/go/index.ts';
import { parseGoMod } from '../../../../src/catalog/managers/go/parse-go-mod.ts';
import { parseModulesTxt } from '../../../../src/catalog/managers/go/parse-modules-txt.ts';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { parsePurl } from '../../../../src/model/index.ts';
import { needShared } from '../../../shared.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const corpus = path.resolve(repo, '..', 'shared', 'corpus');
const have = existsSync(corpus);
const counts = have ? JSON.parse(readFileSync(path.join(corpus, 'expected-counts.json'), 'utf8')).files : {};

const MODS = [
  'gomod/cloudfoundry-cli/2023-with-replace',
  'gomod/cloudfoundry-cli/head',
  'gomod/etcd-io-etcd/2022-go1.17',
  'gomod/etcd-io-etcd/head-toolchain',
  'cf-app/cloudfoundry-samples-pong_matcher_go',
];

async function scan(dir: string) {
  const { ctx } = await scanContextForDir(dir);
  const paths = ctx.files.map((f) => f.path).filter((p) => go.matches(p));
  return { paths, ...(await go.parse(paths, ctx)) };
}

for (const dir of MODS) {
  test(`corpus ${dir}: one component per require not replaced by a local directory; go.sum is never read`, async () => {
    if (!needShared(corpus)) return;
    const rel = `lockfiles/${dir}/go.mod`;
    const text = readFileSync(path.join(corpus, rel), 'utf8');
    const exp = counts[rel];
    // independent line scan: modules replaced by `=> ./dir` are the app's own source
    const local = new Set([...text.matchAll(/^\s*(?:replace\s+)?(\S+)\s+=>\s+\.{1,2}\//gm)].map((m) => m[1]));
    const r = parseGoMod(text, rel);
    assert.equal(r.issues, []);
    assert.is(r.mod.requires.length, exp.require);
    assert.is(r.mod.requires.filter((q) => q.indirect).length, exp.require_indirect);
    assert.is(r.mod.replaces.length, exp.replace);
    const s = await scan(path.join(corpus, 'lockfiles', dir));
    assert.not.ok(s.paths.some((p) => p.endsWith('go.sum')));
    const localRequired = r.mod.requires.filter((q) => local.has(q.path));
    assert.is(s.components.length, exp.require - localRequired.length);
    assert.is(s.components.filter((c) => c.direct === false).length, exp.require_indirect - localRequired.filter((q) => q.indirect).length);
    const lines = text.split('\n');
    for (const c of s.components) {
      assert.is(parsePurl(c.purl).type, 'golang');
      const loc = c.locations.find((l) => l.path === 'go.mod')!;
      assert.ok(lines[loc.line! - 1].includes(c.name), `${c.name} at line ${loc.line}`);
      assert.is(c.scope, 'required');
    }
  });
}

test('etcd 2022: golang.org/x/net at its old pseudo-version, indirect; local ./api replacement not reported', async () => {
  if (!needShared(corpus)) return;
  const s = await scan(path.join(corpus, 'lockfiles/gomod/etcd-io-etcd/2022-go1.17'));
  const net = s.components.find((c) => c.name === 'golang.org/x/net')!;
  assert.is(net.version, 'v0.0.0-20220105145211-5b0dc2dfae98');
  assert.is(net.purl, 'pkg:golang/golang.org/x/net@v0.0.0-20220105145211-5b0dc2dfae98');
  assert.not.ok(s.components.some((c) => c.name === 'go.etcd.io/etcd/api/v3'));
});

test('cf cli 2023: a replace of a module the build list does not require adds nothing', async () => {
  if (!needShared(corpus)) return;
  const s = await scan(path.join(corpus, 'lockfiles/gomod/cloudfoundry-cli/2023-with-replace'));
  assert.not.ok(s.components.some((c) => c.name === 'gopkg.in/fsnotify.v1'));
  assert.is(s.components.find((c) => c.name === 'github.com/fsnotify/fsnotify')!.version, 'v1.6.0');
});

test('pong_matcher_go: vendor/modules.txt agrees with go.mod; both locations recorded', async () => {
  if (!needShared(corpus)) return;
  const s = await scan(path.join(corpus, 'lockfiles/cf-app/cloudfoundry-samples-pong_matcher_go'));
  assert.is(s.components.length, 9);
  for (const c of s.components)
    assert.equal(
      c.locations.map((l) => l.source),
      ['manifest', 'installed'],
    );
  const ctx = s.components.find((c) => c.name === 'github.com/gorilla/context')!;
  assert.is(ctx.direct, false);
  assert.equal(ctx.locations[1], { path: 'vendor/modules.txt', line: 5, source: 'installed' });
});

test('fixture: vendored version wins over go.mod, excluded versions and go/toolchain directives are not reported', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bpx-go-'));
  try {
    await mkdir(path.join(dir, 'vendor'));
    await writeFile(
      path.join(dir, 'go.mod'),
      [
        'module example.com/app',
        '',
        'go 1.22',
        'toolchain go1.22.5',
        '',
        'require (',
        '\tgithub.com/a/one v1.0.0',
        '\tgithub.com/b/two v2.0.0 // indirect',
        '\tgithub.com/c/three v0.3.0',
        ')',
        'require "github.com/d/four" v1.4.0',
        'exclude github.com/c/three v0.3.0',
        'replace github.com/a/one v1.0.0 => github.com/fork/one v1.0.1',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'vendor/modules.txt'),
      '# github.com/a/one v1.0.0 => github.com/fork/one v1.0.1\n## explicit\ngithub.com/a/one\n# github.com/b/two v2.0.5\ngithub.com/b/two\n# github.com/d/four v1.4.0\n## explicit; go 1.20\n',
    );
    const s = await scan(dir);
    assert.equal(
      s.components.map((c) => `${c.name}@${c.version} direct=${c.direct}`),
      ['github.com/a/one@v1.0.1 direct=true', 'github.com/b/two@v2.0.5 direct=false', 'github.com/d/four@v1.4.0 direct=true'],
    );
    assert.ok(s.issues.some((i) => i.line === 9 && /excluded/.test(i.message)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('truncated go.mod: requires before the cut survive, an error names the last line', () => {
  const r = parseGoMod('module m\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d', 'go.mod');
  assert.equal(
    r.mod.requires.map((q) => q.path),
    ['github.com/a/b'],
  );
  assert.ok(r.issues.some((i) => i.severity === 'error' && i.line === 5));
  assert.ok(r.issues.some((i) => i.line === 5 && /malformed/.test(i.message)));
});

test('modules.txt: local replacements and malformed lines', () => {
  const r = parseModulesTxt('# example.com/x v1.0.0 => ./x\n# example.com/y => ../y\n# bad\n# ok.com/z v0.1.0\n', 'vendor/modules.txt');
  assert.equal(
    r.modules.map((m) => `${m.path}@${m.version}`),
    ['example.com/x@v1.0.0', 'ok.com/z@v0.1.0'],
  );
  assert.equal(
    r.issues.map((i) => i.line),
    [3],
  );
});

test('go.matches: exactly the files it reads', () => {
  for (const p of ['go.mod', 'app/go.mod', 'app/vendor/modules.txt', 'app/bin/web', 'app/server', 'server']) assert.ok(go.matches(p), p);
  for (const p of [
    'go.sum',
    'app/go.sum',
    'deps/0/go1.22.5/go/bin/go',
    'app/bin/web.sh',
    'app/src/server',
    'app/vendor/github.com/a/b/go.mod.txt',
    'app/vendor/github.com/a/b/go.mod',
    'app/internal/testdata/go.mod',
    'app/.go/pkg/mod/github.com/a/b@v1.0.0/go.mod',
  ])
    assert.not.ok(go.matches(p), p);
});

test.run();
