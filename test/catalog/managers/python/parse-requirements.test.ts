// Tests for the pip requirements parser: counts against pip's own parse_requirements on the corpus, and edge cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { corpusDir, expectedCounts, repoRoot } from '../../corpus.ts';
import {
  logicalLines,
  nameFromUrl,
  parseRequirementsText,
  parseRequirementsTree,
  pinOf,
} from '../../../../src/catalog/managers/python/parse-requirements.ts';
import { needShared } from '../../../shared.ts';

const FIXTURES = path.join(repoRoot, 'test/catalog/managers/python/fixtures');

function reader(root: string) {
  return async (p: string) => {
    try {
      return await readFile(path.join(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
}

const FILES = corpusDir
  ? Object.keys(JSON.parse(readFileSync(path.join(corpusDir, 'expected-counts.json'), 'utf8')).files).filter((k) =>
      /\/pip\/|requirements\.txt$/.test(k),
    )
  : [];

test('corpus: every requirements file gives what pip parse_requirements counts (requirements, constraints, hashed)', async () => {
  if (!needShared(corpusDir)) return;
  assert.ok(FILES.length >= 18, `${FILES.length} files`);
  for (const rel of FILES) {
    const parts = rel.split('/');
    const root = path.join(corpusDir, ...parts.slice(0, 3));
    const r = await parseRequirementsTree(parts.slice(3).join('/'), reader(root));
    const want = expectedCounts(rel) as { requirements: number; constraints: number; with_hashes: number };
    const reqs = r.entries.filter((e) => !e.constraint);
    assert.is(reqs.length, want.requirements, `${rel} requirements`);
    assert.is(r.entries.filter((e) => e.constraint).length, want.constraints, `${rel} constraints`);
    assert.is(reqs.filter((e) => e.hashes.length).length, want.with_hashes, `${rel} hashed`);
    assert.ok(reqs.length > 0, rel);
    assert.equal(r.issues, [], rel);
  }
});

test('corpus: pip-compile --hash lines: every hash of a continued requirement, line of the requirement', async () => {
  if (!needShared(corpusDir)) return;
  const root = path.join(corpusDir, 'lockfiles/pip/pypa-warehouse');
  const r = await parseRequirementsTree('requirements/main.txt', reader(root));
  const alembic = r.entries.find((e) => e.name === 'alembic')!;
  assert.is(alembic.version, '1.4.3');
  assert.is(alembic.line, 7);
  assert.equal(
    alembic.hashes.map((h) => h.alg),
    ['SHA-256', 'SHA-256'],
  );
  assert.is(alembic.hashes[0].value, '4e02ed2aa796bd179965041afa092c55b51fb077de19d61835673cc80672c01c');
  const grpc = r.entries.find((e) => e.name === 'google-api-core');
  assert.equal(grpc?.extras, ['grpc']);
});

test('corpus: django markers are kept as written; unpinned requirements have a specifier and no version', async () => {
  if (!needShared(corpusDir)) return;
  const root = path.join(corpusDir, 'lockfiles/pip/django-django/tests/requirements');
  const r = await parseRequirementsTree('py3.txt', reader(root));
  const numpy = r.entries.find((e) => e.name === 'numpy')!;
  assert.is(numpy.marker, "sys.platform != 'win32' or python_version < '3.13'");
  assert.is(numpy.version, undefined);
  const asgiref = r.entries.find((e) => e.name === 'asgiref')!;
  assert.is(asgiref.specifier, '>=3.7.0');
});

test('includes: -r relative to the including file, -c pins, cycles and escapes are warnings, not loops', async () => {
  const r = await parseRequirementsTree('requirements.txt', reader(path.join(FIXTURES, 'includes')));
  assert.equal(r.files, ['requirements.txt', 'requirements/base.txt', 'constraints.txt']);
  const names = r.entries.map((e) => `${e.constraint ? 'c:' : ''}${e.name ?? e.url}`);
  assert.equal(
    names,
    ['certifi', 'numpy', 'c:urllib3', 'c:requests', 'requests', 'urllib3', undefined, 'black', 'attrs'].map((n) => n ?? '.'),
  );
  const certifi = r.entries[0];
  assert.is(certifi.version, '2024.2.2');
  assert.is(certifi.path, 'requirements/base.txt');
  assert.is(r.entries[1].version, undefined, 'numpy==1.* is no pin');
  const req = r.entries.find((e) => e.name === 'requests' && !e.constraint)!;
  assert.equal(req.extras, ['socks', 'security']);
  assert.is(req.specifier, '>=2.0');
  const black = r.entries.find((e) => e.name === 'black')!;
  assert.ok(black.editable);
  assert.is(black.url, 'git+https://github.com/psf/black.git@24.1.0#egg=black');
  const attrs = r.entries.find((e) => e.name === 'attrs')!;
  assert.is(attrs.version, '23.1.0');
  const messages = r.issues.map((i) => `${i.path}:${i.line}: ${i.message}`);
  assert.ok(
    messages.some((m) => m.startsWith('requirements/base.txt:1: include cycle')),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => m.startsWith('requirements.txt:9: include "../../outside.txt" leaves the app')),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => m.startsWith('requirements.txt:10: not a requirement')),
    messages.join('\n'),
  );
});

test('logical lines: continuations join, comments end them, inline comments go', () => {
  const lines = logicalLines('a==1 \\\n  --hash=sha256:ab \\\n  # via x\nb # c\n# only\n\nc');
  assert.equal(lines, [
    { text: 'a==1   --hash=sha256:ab', line: 1 },
    { text: 'b', line: 4 },
    { text: 'c', line: 7 },
  ]);
});

test('pins and URL names', () => {
  assert.is(pinOf('==1.2.3'), '1.2.3');
  assert.is(pinOf('===1.0+local'), '1.0+local');
  assert.is(pinOf('>=1,<2'), undefined);
  assert.is(pinOf('==2.*'), undefined);
  assert.equal(nameFromUrl('https://github.com/pallets/werkzeug/archive/refs/heads/main.tar.gz'), { name: 'werkzeug' });
  assert.equal(nameFromUrl('https://x.org/simplejson-3.19.2.tar.gz'), { name: 'simplejson', version: '3.19.2' });
  assert.equal(nameFromUrl('file:///tmp/x.zip'), {});
  const r = parseRequirementsText(
    'pkg (>=1.0) ; python_version < "3"\nname @ https://x.org/a.whl ; os_name == "nt"\n--hash=nope\nx==1 --hash=md9:zz',
    'r.txt',
  );
  assert.is(r.entries[0].specifier, '>=1.0');
  assert.is(r.entries[0].marker, 'python_version < "3"');
  assert.is(r.entries[1].url, 'https://x.org/a.whl');
  assert.is(r.entries[1].marker, 'os_name == "nt"');
  assert.is(r.entries[2].name, 'x');
  assert.equal(
    r.issues.map((i) => i.line),
    [4],
  );
});

test.run();
