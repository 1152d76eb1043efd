// The ECOSYSTEMS table: every package manager's ecosystem is in it, and purls, OSV names, schemes and ranges agree with it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PackageURL } from 'packageurl-js';
import { nameFromInstallPath } from '../../src/catalog/node-modules.ts';
import { managers } from '../../src/catalog/registry.ts';
import { ECOSYSTEMS, type Ecosystem, type EcosystemRow, isEcosystem, rowForName } from '../../src/model/ecosystem.ts';
import { parsePurl, purlFor } from '../../src/model/purl.ts';
import { OSV_ECOSYSTEM, nameKeyOf, normaliseName } from '../../src/vuln/osv/names.ts';
import { SCHEMES, schemeFor } from '../../src/vuln/versions/index.ts';
import { RANGES, rangeTest } from '../../src/vuln/versions/ranges.ts';
import { needShared, sharedDir } from '../shared.ts';

const rows = Object.entries(ECOSYSTEMS) as Array<[Ecosystem, EcosystemRow]>;

test('every package manager names an ecosystem of the table', () => {
  const missing = managers.filter((m) => !isEcosystem(m.ecosystem)).map((m) => `${m.id}: ${m.ecosystem}`);
  assert.equal(missing, [], 'add a row to ECOSYSTEMS in src/model/ecosystem.ts');
});

test("OSV names are the OSV schema's, and every name points at one row", () => {
  type OsvSchema = { $defs: { ecosystemName: { enum: string[] } } };
  const schema = JSON.parse(readFileSync(new URL('../../schemas/osv.schema.json', import.meta.url), 'utf8')) as OsvSchema;
  const known = new Set(schema.$defs.ecosystemName.enum);
  const seen = new Map<string, Ecosystem>();
  for (const [type, row] of rows) {
    assert.ok(/^[a-z]+$/.test(type), `${type}: purl types are lowercase`);
    for (const n of [type, row.osv, ...(row.osvAlso ?? [])]) {
      if (!n) continue;
      if (n !== type) assert.ok(known.has(n), `${type}: ${n} is no OSV ecosystem`);
      const prev = seen.get(n.toLowerCase());
      assert.ok(prev === undefined || prev === type, `${n} names both ${prev} and ${type}`);
      seen.set(n.toLowerCase(), type);
      assert.is(rowForName(n), row, n);
    }
  }
  assert.is(rowForName('Debian:11'), ECOSYSTEMS.deb);
  assert.is(rowForName('CRAN'), undefined);
});

test('schemes: every id has its order and range syntax, and purl type and OSV name get the same one', () => {
  for (const [id, scheme] of Object.entries(SCHEMES)) assert.is(scheme.id, id);
  assert.equal(Object.keys(RANGES).sort(), Object.keys(SCHEMES).sort(), 'every scheme has its range syntax');
  for (const [type, row] of rows) {
    const want = row.scheme ? SCHEMES[row.scheme] : undefined;
    assert.is(schemeFor(type), want, type);
    for (const n of [row.osv, ...(row.osvAlso ?? [])]) if (n) assert.is(schemeFor(n), want, n);
  }
});

test("matching: OSV_ECOSYSTEM is the table's osv column", () => {
  for (const [type, row] of rows) assert.is(OSV_ECOSYSTEM[type], row.osv, type);
  // the disagreement the table ended: Hex and Pub have a scheme, an OSV name and a purl type
  assert.is(OSV_ECOSYSTEM.hex, 'Hex');
  assert.is(OSV_ECOSYSTEM.pub, 'Pub');
  assert.is(OSV_ECOSYSTEM.deb, undefined);
});

test('names: the index compares them as the table says', () => {
  assert.is(normaliseName('pypi', 'Django_Rest.Framework'), 'django-rest-framework');
  assert.is(normaliseName('crates.io', 'Serde'), 'serde');
  assert.is(normaliseName('packagist', 'Symfony/Console'), 'symfony/console');
  assert.is(normaliseName('npm', 'JSONStream'), 'JSONStream');
  assert.is(nameKeyOf('composer', 'Twig/Twig'), 'twig/twig');
  assert.is(nameKeyOf('constructor', 'X'), 'X');
});

test('purls: names split and join at the separator the table gives', () => {
  const cases: Array<[Ecosystem, string, string]> = [
    ['npm', '@babel/core', 'pkg:npm/%40babel/core@1.0.0'],
    ['maven', 'org.apache:commons', 'pkg:maven/org.apache/commons@1.0.0'],
    ['golang', 'github.com/a/b', 'pkg:golang/github.com/a/b@1.0.0'],
    ['composer', 'vendor/pkg', 'pkg:composer/vendor/pkg@1.0.0'],
    ['pypi', 'requests', 'pkg:pypi/requests@1.0.0'],
  ];
  for (const [eco, name, purl] of cases) {
    assert.is(purlFor(eco, name, '1.0.0'), purl);
    assert.equal(parsePurl(purl), { type: eco, name, version: '1.0.0' });
  }
});

test("npm purls purlFor builds without packageurl-js are the library's bytes: every name and version of the corpus lockfiles, and odd spellings", () => {
  const npmCorpus = path.join(sharedDir, 'corpus', 'lockfiles', 'npm');
  if (!needShared(npmCorpus)) return;
  const library = (name: string, version: string): string => {
    const i = name.lastIndexOf('/');
    return new PackageURL(
      'npm',
      i > 0 ? name.slice(0, i) : undefined,
      i > 0 ? name.slice(i + 1) : name,
      version,
      undefined,
      undefined,
    ).toString();
  };
  const pairs: Array<[string, string]> = [];
  const lockfiles = readdirSync(npmCorpus, { recursive: true, encoding: 'utf8' }).filter((f) =>
    /(package-lock|npm-shrinkwrap)\.json$/.test(f),
  );
  for (const f of lockfiles) {
    const doc = JSON.parse(readFileSync(path.join(npmCorpus, f), 'utf8')) as {
      packages?: Record<string, { name?: string; version?: string }>;
    };
    for (const [key, e] of Object.entries(doc.packages ?? {}))
      if (key.includes('node_modules/') && typeof e.version === 'string')
        pairs.push([e.name ?? (nameFromInstallPath(key) as string), e.version]);
  }
  assert.ok(pairs.length > 3000, `${pairs.length} packages in ${lockfiles.length} lockfiles`);
  for (const name of [
    'a',
    '@s/a',
    'A',
    '@S/a',
    '@s/A',
    '.',
    '..',
    '_x',
    '-',
    'a..b',
    '@a/.',
    '@./b',
    'a b',
    'é',
    'a~b',
    'a!b',
    "a'b",
    'a(b)',
    'a*b',
  ])
    for (const version of ['1.0.0', '1.0.0+exp.sha.5114f85', '1.0.0-rc.1', 'V1', '+', '_', '1.0.0~1', 'v1:2', '1 2', 'é', '1/2', 'latest'])
      pairs.push([name, version]);
  for (const [name, version] of pairs) assert.is(purlFor('npm', name, version), library(name, version), `${name}@${version}`);
});

test("ranges: each ecosystem reads its scheme's syntax", () => {
  assert.ok(rangeTest('pub', '^1.2.3')('1.9.0'));
  assert.not.ok(rangeTest('Hex', '>=1.0.0 <2.0.0')('2.0.0'));
  assert.ok(rangeTest('Debian:12', '>=1:2.3-1 <1:3')('1:2.10-1'));
  assert.not.ok(rangeTest('deb', '<1:2.3')('1:2.3'));
  // no scheme: comparator lists compared as SemVer
  assert.ok(rangeTest('generic', '>=1.2 <2, || =3')('3.0.0'));
  assert.not.ok(rangeTest('CRAN', '>=1.2 <2')('2.1'));
});

test.run();
