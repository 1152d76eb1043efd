// Tests for the python manager on directories: installed site-packages win over requirements, corpus app dirs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanContextForDir } from '../../../../src/catalog/context.ts';
import { captureDir } from '../../../../src/catalog/capture.ts';
import { python } from '../../../../src/catalog/managers/python/index.ts';
import { parseMetadata } from '../../../../src/catalog/managers/python/parse-metadata.ts';
import { mayApplyOnLinux } from '../../../../src/catalog/managers/python/markers.ts';
import { corpusDir, repoRoot } from '../../corpus.ts';
import { needShared } from '../../../shared.ts';

const FIXTURES = path.join(repoRoot, 'test/catalog/managers/python/fixtures');

async function scan(root: string, includeDev = true) {
  const { ctx } = await scanContextForDir(root, { includeDev });
  return python.parse(ctx.files.map((f) => f.path).filter(python.matches), ctx);
}

test('matches: lockfiles, requirements files and installed metadata; not files inside installed packages', () => {
  const yes = [
    'app/requirements.txt',
    'requirements-dev.txt',
    'app/requirements/base.txt',
    'app/Pipfile.lock',
    'poetry.lock',
    'uv.lock',
    'deps/0/python/lib/python3.12/site-packages/Flask-3.0.3.dist-info/METADATA',
    'deps/0/python/lib/python3.12/site-packages/x.egg-info/PKG-INFO',
    'app/.venv/lib/python3.11/site-packages/y-1.0-py3.11.egg-info',
  ];
  const no = [
    'app/docs/requirements.md',
    'deps/0/python/lib/python3.12/site-packages/foo/requirements.txt',
    'app/x.dist-info/METADATA',
    'app/myapp.egg-info/PKG-INFO',
    'node_modules/x/poetry.lock',
  ];
  for (const p of yes) assert.ok(python.matches(p), p);
  for (const p of no) assert.not.ok(python.matches(p), p);
});

test('a site-packages folder scanned itself: its distributions, edges and a complete capture', async () => {
  const site = path.join(FIXTURES, 'droplet/deps/0/python/lib/python3.12/site-packages');
  for (const p of ['Flask-3.0.3.dist-info/METADATA', 'legacy_pkg.egg-info/PKG-INFO', 'y-1.0-py3.11.egg-info'])
    assert.ok(python.matches(p), p);
  const cap = await captureDir(site);
  assert.equal(
    cap.components.map((c) => c.purl),
    ['pkg:pypi/flask@3.0.3', 'pkg:pypi/legacy-pkg@0.9', 'pkg:pypi/requests@2.31.0', 'pkg:pypi/six@1.16.0'],
  );
  assert.equal(cap.components[0].locations, [{ path: 'Flask-3.0.3.dist-info/METADATA', line: 2, source: 'installed' }]);
  assert.equal(cap.components[0].dependsOn, ['pkg:pypi/requests@2.31.0']);
  assert.is(cap.complete, true);
  assert.equal(cap.issues, []);
});

test('a top-level egg-info of the project itself is not an installed package; it is said', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bpx-py-egg-'));
  try {
    mkdirSync(path.join(root, 'myapp.egg-info'));
    writeFileSync(path.join(root, 'myapp.egg-info/PKG-INFO'), 'Metadata-Version: 2.1\nName: myapp\nVersion: 0.1\n');
    writeFileSync(path.join(root, 'requirements.txt'), 'six==1.16.0\n');
    const cap = await captureDir(root);
    assert.equal(
      cap.components.map((c) => c.purl),
      ['pkg:pypi/six@1.16.0'],
    );
    assert.equal(
      cap.issues.map((i) => [i.path, i.severity]),
      [['myapp.egg-info/PKG-INFO', 'warning']],
    );
    assert.is(cap.complete, true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('droplet: installed wins over requirements.txt, both locations kept, not-installed pins left out', async () => {
  const r = await scan(path.join(FIXTURES, 'droplet'));
  const byPurl = new Map(r.components.map((c) => [c.purl, c]));
  assert.equal([...byPurl.keys()].sort(), [
    'pkg:pypi/flask@3.0.3',
    'pkg:pypi/legacy-pkg@0.9',
    'pkg:pypi/requests@2.31.0',
    'pkg:pypi/six@1.16.0',
  ]);
  const flask = byPurl.get('pkg:pypi/flask@3.0.3')!;
  assert.equal(flask.locations, [
    { path: 'app/requirements.txt', line: 2, source: 'lockfile' },
    { path: 'deps/0/python/lib/python3.12/site-packages/Flask-3.0.3.dist-info/METADATA', line: 2, source: 'installed' },
  ]);
  assert.is(flask.scope, 'required');
  assert.is(flask.direct, true);
  assert.equal(flask.licenses, [{ raw: 'BSD License', spdx: flask.licenses[0].spdx }]);
  // Requires-Dist edges resolve within the same site-packages; the extra-only asgiref and absent Werkzeug do not.
  assert.equal(flask.dependsOn, ['pkg:pypi/requests@2.31.0']);
  assert.ok(r.issues.some((i) => i.path === 'app/requirements.txt' && i.line === 2 && /2\.0\.0 but 3\.0\.3 is installed/.test(i.message)));
  const requests = byPurl.get('pkg:pypi/requests@2.31.0')!;
  assert.equal(requests.hashes, [{ alg: 'SHA-256', value: '942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1' }]);
  assert.equal(requests.licenses, [{ raw: 'Apache 2.0', spdx: 'Apache-2.0' }]);
  assert.equal(requests.dependsOn, ['pkg:pypi/six@1.16.0']);
  assert.equal(byPurl.get('pkg:pypi/six@1.16.0')!.licenses, [{ raw: 'MIT', spdx: 'MIT' }]);
  assert.equal(byPurl.get('pkg:pypi/legacy-pkg@0.9')!.licenses, [{ raw: 'MIT License', spdx: 'MIT' }]);
  assert.not.ok(
    r.components.some((c) => c.name === 'pytest'),
    'win32-only pin is not shipped',
  );
});

test('metadata: missing Name is a located warning; markers on Linux', () => {
  const rel = 'corrupt/METADATA';
  const r = parseMetadata(readFileSync(path.join(FIXTURES, rel), 'utf8'), rel);
  assert.is(r.dist, undefined);
  assert.equal(r.issues, [{ path: rel, line: 1, severity: 'warning', message: 'installed metadata without Name or Version: skipped' }]);
  assert.not.ok(mayApplyOnLinux("sys_platform == 'win32'"));
  assert.not.ok(mayApplyOnLinux('platform_system == "Windows" or os_name == "nt"'));
  assert.ok(mayApplyOnLinux("sys.platform != 'win32' or python_version < '3.13'"));
  assert.ok(mayApplyOnLinux("python_version < '3.8'"));
  assert.ok(mayApplyOnLinux("(sys_platform == 'win32')"), 'parentheses: unknown, kept');
});

test('requirements: an unpinned requirement is a versionless component; -c pins it; dev files are dev', async () => {
  const r = await scan(path.join(FIXTURES, 'includes'));
  const purls = r.components.map((c) => c.purl);
  assert.ok(purls.includes('pkg:pypi/requests@2.31.0'), purls.join('\n'));
  assert.ok(purls.includes('pkg:pypi/urllib3@2.2.1'));
  assert.ok(purls.includes('pkg:pypi/numpy'));
  assert.ok(purls.includes('pkg:pypi/certifi@2024.2.2'));
  assert.ok(
    purls.some((p) => p.startsWith('pkg:pypi/black?vcs_url=')),
    purls.join('\n'),
  );
  const requests = r.components.find((c) => c.name === 'requests')!;
  assert.equal(
    requests.locations.map((l) => `${l.path}:${l.line}:${l.source}`),
    ['constraints.txt:2:lockfile', 'requirements.txt:4:lockfile'],
  );
  assert.ok(r.components.every((c) => c.scope === 'required'));
});

const DIRS = [
  'pip/django-django',
  'pip/home-assistant-core',
  'pip/pallets-flask',
  'pip/pypa-warehouse',
  'pipenv/pypa-pipenv',
  'poetry/python-poetry-poetry',
  'uv',
  'cf-app/cloudfoundry-samples-pong_matcher_django',
];
test('corpus dirs: each gives pypi components with lines; the CF django sample pins Django 1.9.6', async () => {
  if (!needShared(corpusDir)) return;
  for (const d of DIRS) {
    const r = await scan(path.join(corpusDir, 'lockfiles', d));
    assert.ok(r.components.length > 0, d);
    assert.ok(
      r.components.every((c) => c.purl.startsWith('pkg:pypi/') && c.locations.every((l) => (l.line ?? 0) >= 1)),
      d,
    );
    assert.not.ok(
      r.issues.some((i) => i.severity === 'error'),
      `${d}: ${JSON.stringify(r.issues.slice(0, 3))}`,
    );
  }
  const django = await scan(path.join(corpusDir, 'lockfiles/cf-app/cloudfoundry-samples-pong_matcher_django'));
  assert.is(django.components.length, 9);
  const dj = django.components.find((c) => c.name === 'Django')!;
  assert.is(dj.purl, 'pkg:pypi/django@1.9.6');
  assert.equal(dj.locations, [{ path: 'requirements.txt', line: 3, source: 'lockfile' }]);
  const flask = await scan(path.join(corpusDir, 'lockfiles/pip/pallets-flask'), false);
  assert.ok(
    flask.components.every((c) => c.scope === 'dev'),
    'requirements/dev.txt, tests.txt, docs.txt… are dev',
  );
});

test.run();
