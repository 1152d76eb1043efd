// Tests for Pipfile.lock, poetry.lock and uv.lock against the real corpus, plus truncated files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { corpusDir, expectedCounts, repoRoot } from '../../corpus.ts';
import { normaliseName } from '../../../../src/catalog/managers/python/package.ts';
import { parsePdmLock } from '../../../../src/catalog/managers/python/parse-pdm-lock.ts';
import { parsePipfileLock } from '../../../../src/catalog/managers/python/parse-pipfile-lock.ts';
import { parsePoetryLock } from '../../../../src/catalog/managers/python/parse-poetry-lock.ts';
import { parsePylock } from '../../../../src/catalog/managers/python/parse-pylock.ts';
import { parseUvLock } from '../../../../src/catalog/managers/python/parse-uv-lock.ts';
import { readPyproject } from '../../../../src/catalog/managers/python/pyproject.ts';
import { parsePurl, type Component } from '../../../../src/model/index.ts';
import { needShared } from '../../../shared.ts';

const FIXTURES = path.join(repoRoot, 'test/catalog/managers/python/fixtures');
const read = (rel: string) => readFileSync(path.join(corpusDir!, rel), 'utf8');
const find = (cs: Component[], name: string, version?: string) =>
  cs.find((c) => normaliseName(c.name) === name && (!version || c.version === version));

function assertPypi(cs: Component[], rel: string): void {
  assert.ok(cs.length > 0, rel);
  for (const c of cs) {
    assert.is(parsePurl(c.purl).type, 'pypi', c.purl);
    assert.ok(c.version, `${c.purl} has a version`);
    assert.ok((c.locations[0].line ?? 0) >= 1);
  }
  assert.is(new Set(cs.map((c) => c.purl)).size, cs.length, `${rel}: one component per purl`);
}

for (const dir of ['examples', 'root']) {
  test(`corpus pipenv/${dir}: default required, develop dev, hashes, line of the key`, () => {
    if (!needShared(corpusDir)) return;
    const rel = `lockfiles/pipenv/pypa-pipenv/${dir}/Pipfile.lock`;
    const text = read(rel);
    const r = parsePipfileLock(text, rel);
    assert.equal(r.issues, []);
    assertPypi(r.components, rel);
    const want = expectedCounts(rel) as { default: number; develop: number };
    const json = JSON.parse(text);
    assert.is(Object.keys(json.default).length + Object.keys(json.develop).length, want.default + want.develop);
    // An entry listed in both sections is one purl; none is dropped by a marker in this corpus.
    const ids = new Set(
      [...Object.entries(json.default), ...Object.entries(json.develop)].map(
        ([n, e]) => `${normaliseName(n)}@${(e as { version: string }).version.slice(2)}`,
      ),
    );
    assert.is(r.components.length, ids.size);
    assert.is(r.components.filter((c) => c.scope === 'required').length, want.default);
    for (const c of r.components) {
      assert.ok(c.hashes.length > 0 && c.hashes.every((h) => h.alg === 'SHA-256'), c.purl);
      const line = text.split('\n')[c.locations[0].line! - 1];
      assert.ok(line.includes(`"${c.name}": {`), `${c.name} at line ${c.locations[0].line}: ${line}`);
    }
  });
}

test('truncated Pipfile.lock: located error, nothing invented', () => {
  const rel = 'corrupt/Pipfile.lock';
  const text = readFileSync(path.join(FIXTURES, rel), 'utf8');
  const r = parsePipfileLock(text, rel);
  assert.is(r.components.length, 0);
  assert.is(r.issues.length, 1);
  assert.is(r.issues[0].severity, 'error');
  assert.ok((r.issues[0].line ?? 0) >= 9, JSON.stringify(r.issues[0]));
});

const POETRY = ['lock-legacy-no-version', 'lock-1.1', 'lock-2.0', 'lock-2.1'];
for (const dir of POETRY) {
  test(`corpus poetry/${dir}: one component per name@version, hashes, scopes`, () => {
    if (!needShared(corpusDir)) return;
    const base = `lockfiles/poetry/python-poetry-poetry/${dir}`;
    const rel = `${base}/poetry.lock`;
    const text = read(rel);
    const roots = readPyproject(read(`${base}/pyproject.toml`), `${base}/pyproject.toml`);
    const r = parsePoetryLock(text, rel, roots);
    assert.equal(r.issues, []);
    assertPypi(r.components, rel);
    const want = expectedCounts(rel) as { packages: number; distinct_names: number };
    const pkgs = (parseToml(text) as { package: { name: string; version: string }[] }).package;
    assert.is(pkgs.length, want.packages);
    // Same name and version twice (different markers) is one component.
    assert.is(r.components.length, new Set(pkgs.map((p) => `${normaliseName(p.name)}@${p.version}`)).size);
    assert.is(new Set(r.components.map((c) => normaliseName(c.name))).size, want.distinct_names);
    // Packages from a git source carry no file hashes (poetry-core from git in 2.1).
    const noHash = r.components.filter((c) => !c.hashes.length).map((c) => c.purl);
    assert.ok(
      noHash.every((x) => x.includes('vcs_url=')),
      noHash.join(),
    );
    assert.ok(r.components.some((c) => c.scope === 'dev') && r.components.some((c) => c.scope === 'required'));
    for (const c of r.components.slice(0, 20)) {
      assert.match(text.split('\n')[c.locations[0].line! - 1], /^name = "/);
    }
  });
}

test('corpus poetry lock-2.0 (no groups, no category): scope by reachability from pyproject', () => {
  if (!needShared(corpusDir)) return;
  const base = 'lockfiles/poetry/python-poetry-poetry/lock-2.0';
  const roots = readPyproject(read(`${base}/pyproject.toml`), `${base}/pyproject.toml`);
  const r = parsePoetryLock(read(`${base}/poetry.lock`), `${base}/poetry.lock`, roots);
  assert.is(find(r.components, 'poetry-core')?.scope, 'required');
  assert.is(find(r.components, 'poetry-core')?.direct, true);
  assert.is(find(r.components, 'pre-commit')?.scope, 'dev');
  assert.is(find(r.components, 'mypy')?.scope, 'dev');
  // requests is required by poetry itself, and also used by tests: required wins.
  assert.is(find(r.components, 'requests')?.scope, 'required');
  const requests = find(r.components, 'requests')!;
  assert.ok(
    requests.dependsOn.some((d) => d.startsWith('pkg:pypi/urllib3@')),
    requests.dependsOn.join(),
  );
  // Without pyproject, nothing is guessed dev.
  const bare = parsePoetryLock(read(`${base}/poetry.lock`), `${base}/poetry.lock`);
  assert.ok(bare.components.every((c) => c.scope !== 'dev'));
});

test('truncated poetry.lock: error at its line, complete packages before it kept', () => {
  const rel = 'corrupt/poetry.lock';
  const r = parsePoetryLock(readFileSync(path.join(FIXTURES, rel), 'utf8'), rel);
  assert.equal(
    r.components.map((c) => c.purl),
    ['pkg:pypi/attrs@23.1.0'],
  );
  assert.is(r.issues[0].severity, 'error');
  assert.is(r.issues[0].line, 15);
});

const UV = ['pallets-click/revision-2', 'pallets-flask', 'pydantic-pydantic/no-revision'];
for (const dir of UV) {
  test(`corpus uv/${dir}: registry packages, editable project left out, sdist+wheel hashes`, () => {
    if (!needShared(corpusDir)) return;
    const rel = `lockfiles/uv/${dir}/uv.lock`;
    const text = read(rel);
    const r = parseUvLock(text, rel);
    assert.equal(r.issues, []);
    assertPypi(r.components, rel);
    const want = expectedCounts(rel) as { by_source_kind: { editable: number; registry: number } };
    assert.is(r.components.length, want.by_source_kind.registry);
    assert.ok(r.components.every((c) => c.hashes.length > 0));
  });
}

test('corpus uv/pallets-flask: dependencies required, extras optional, dev groups dev, edges', () => {
  if (!needShared(corpusDir)) return;
  const rel = 'lockfiles/uv/pallets-flask/uv.lock';
  const r = parseUvLock(read(rel), rel);
  assert.is(find(r.components, 'flask'), undefined, 'the editable project is not a dependency');
  const werkzeug = find(r.components, 'werkzeug')!;
  assert.is(werkzeug.scope, 'required');
  assert.is(werkzeug.direct, true);
  assert.is(find(r.components, 'markupsafe')?.scope, 'required', 'reached through werkzeug and jinja2');
  assert.is(find(r.components, 'asgiref')?.scope, 'optional');
  assert.is(find(r.components, 'ruff')?.scope, 'dev');
  const anyio = find(r.components, 'anyio')!;
  assert.ok(anyio.dependsOn.includes('pkg:pypi/idna@' + find(r.components, 'idna')!.version));
});

for (const dir of ['lock-4.1', 'lock-4.5.1']) {
  test(`corpus pdm ${dir}: one component per name@version (extras entries merge), hashes, dev groups`, () => {
    if (!needShared(corpusDir)) return;
    const base = `lockfiles/pdm/pdm-project-pdm/${dir}`;
    const rel = `${base}/pdm.lock`;
    const text = read(rel);
    const r = parsePdmLock(text, rel, readPyproject(read(`${base}/pyproject.toml`), `${base}/pyproject.toml`));
    assert.equal(r.issues, []);
    assertPypi(r.components, rel);
    const want = expectedCounts(rel) as { packages: number; distinct_names: number };
    const pkgs = (parseToml(text) as { package: { name: string; version: string }[] }).package;
    assert.is(pkgs.length, want.packages);
    assert.is(r.components.length, new Set(pkgs.map((p) => `${normaliseName(p.name)}@${p.version}`)).size);
    assert.ok(r.components.every((c) => c.hashes.length > 0));
    assert.ok(r.components.some((c) => c.scope === 'dev') && r.components.some((c) => c.scope === 'required'));
  });
}

for (const dir of ['examples', 'root']) {
  test(`corpus pylock.toml (PEP 751, pipenv ${dir}): packages, hashes, dependency_groups markers are dev`, () => {
    if (!needShared(corpusDir)) return;
    const rel = `lockfiles/pipenv/pypa-pipenv/${dir}/pylock.toml`;
    const text = read(rel);
    const r = parsePylock(text, rel);
    assert.equal(r.issues, []);
    assertPypi(r.components, rel);
    const want = expectedCounts(rel) as { packages: number; distinct_names: number };
    assert.is(r.components.length, want.distinct_names);
    const pipfile = JSON.parse(read(`lockfiles/pipenv/pypa-pipenv/${dir}/Pipfile.lock`));
    if (dir === 'root') {
      // The same lock as Pipfile.lock: what is in `default` only is required here too.
      // (pipenv writes one entry per name: a name also in `develop` carries the dev marker.)
      for (const n of Object.keys(pipfile.default).filter((x) => !(x in pipfile.develop)))
        assert.is(find(r.components, normaliseName(n))?.scope, 'required', n);
      assert.is(find(r.components, 'alabaster')?.scope, 'dev');
    }
  });
}

test('uv.lock: virtual project, git source qualifier, dev group, marker-only-on-windows edge', () => {
  const text = `version = 1
requires-python = ">=3.12"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "colorama", marker = "sys_platform == 'win32'" },
    { name = "mylib" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "mylib"
version = "1.0.0"
source = { git = "https://github.com/acme/mylib?rev=v1#0123456789abcdef0123456789abcdef01234567" }

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
`;
  const r = parseUvLock(text, 'uv.lock');
  assert.equal(r.issues, []);
  // colorama is reached only through a win32 edge: unreached, so kept as required (never guessed away).
  assert.equal(
    r.components.map((c) => `${c.purl} ${c.scope} ${c.locations[0].line}`),
    [
      'pkg:pypi/colorama@0.4.6 required 19',
      'pkg:pypi/mylib@1.0.0?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Facme%2Fmylib%400123456789abcdef0123456789abcdef01234567 required 24',
      'pkg:pypi/pytest@8.0.0 dev 29',
    ],
  );
});

test.run();
