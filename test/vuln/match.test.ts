// End-to-end true positives and true negatives from ../shared/corpus/README.md ("How tests should use the corpus" §6).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { captureDir } from '../../src/catalog/index.ts';
import { type Component, type Ecosystem, makeComponent } from '../../src/model/index.ts';
import { type OsvDb, buildDb, checkComponents, loadOsvDb, matchComponents, type VulnFinding } from '../../src/vuln/osv/index.ts';
import { corpus, haveCorpus, osvDir, needCorpus } from './corpus.ts';

interface Row {
  lockfile: string;
  ecosystem: Ecosystem;
  name: string;
  versions: string[];
  advisories: string[];
  tp: boolean;
}

const ROWS: Row[] = [
  {
    lockfile: 'npm/firebase-firebase-tools/shrinkwrap-v2',
    ecosystem: 'npm',
    name: 'request',
    versions: ['2.88.0', '2.88.2'],
    advisories: ['GHSA-p8p7-x288-28g6'],
    tp: true,
  },
  {
    lockfile: 'npm/firebase-firebase-tools/shrinkwrap-v2',
    ecosystem: 'npm',
    name: 'minimist',
    versions: ['1.2.5'],
    advisories: ['GHSA-xvch-5gv4-984h'],
    tp: true,
  },
  {
    lockfile: 'npm/firebase-firebase-tools/shrinkwrap-v2',
    ecosystem: 'npm',
    name: 'qs',
    versions: ['6.7.0', '6.5.2'],
    advisories: ['GHSA-hrpp-h998-j3pp'],
    tp: true,
  },
  {
    lockfile: 'npm/firebase-firebase-tools/shrinkwrap-v2',
    ecosystem: 'npm',
    name: 'lodash',
    versions: ['4.17.21'],
    advisories: ['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw'],
    tp: false,
  },
  {
    lockfile: 'npm/cloudfoundry-nodejs-buildpack/shrinkwrap-pre-lockfileVersion',
    ecosystem: 'npm',
    name: 'qs',
    versions: ['2.3.3'],
    advisories: ['GHSA-hrpp-h998-j3pp'],
    tp: true,
  },
  {
    lockfile: 'npm/typicode-json-server/lockfile-v1',
    ecosystem: 'npm',
    name: 'qs',
    versions: ['6.9.4'],
    advisories: ['GHSA-hrpp-h998-j3pp'],
    tp: true,
  },
  {
    lockfile: 'composer/symfony-demo/2018-symfony-4.1',
    ecosystem: 'composer',
    name: 'symfony/http-kernel',
    versions: ['v4.1.0'],
    advisories: ['GHSA-h7vf-5wrv-9fhv'],
    tp: true,
  },
  {
    lockfile: 'composer/symfony-demo/2018-symfony-4.1',
    ecosystem: 'composer',
    name: 'twig/twig',
    versions: ['v2.4.8'],
    advisories: ['GHSA-52m2-vc4m-jj33'],
    tp: true,
  },
  {
    lockfile: 'bundler/rails-rails/2021-git-sections',
    ecosystem: 'gem',
    name: 'nokogiri',
    versions: ['1.10.10', '1.10.10-java', '1.10.10-x64-mingw32', '1.10.10-x86-mingw32'],
    advisories: ['GHSA-crjr-9rc5-ghw8'],
    tp: true,
  },
  {
    lockfile: 'bundler/rails-rails/2021-git-sections',
    ecosystem: 'gem',
    name: 'rack',
    versions: ['2.2.3'],
    advisories: ['GHSA-wq4h-7r42-5hrr'],
    tp: true,
  },
  {
    lockfile: 'gradle/JabRef-jabref/2022-gradle-lockfile',
    ecosystem: 'maven',
    name: 'com.fasterxml.jackson.core:jackson-databind',
    versions: ['2.13.3'],
    advisories: ['GHSA-jjjh-jjxp-wpff'],
    tp: true,
  },
  {
    lockfile: 'gradle/JabRef-jabref/2022-gradle-lockfile',
    ecosystem: 'maven',
    name: 'com.fasterxml.jackson.core:jackson-databind',
    versions: ['2.13.3'],
    advisories: ['GHSA-57j2-w4cx-62h2'],
    tp: false,
  },
  {
    lockfile: 'nuget/bitwarden-server/2023-net6.0',
    ecosystem: 'nuget',
    name: 'Microsoft.Data.SqlClient',
    versions: ['5.0.1'],
    advisories: ['GHSA-98g6-xh36-x2p7'],
    tp: true,
  },
  {
    lockfile: 'nuget/bitwarden-server/2023-net6.0',
    ecosystem: 'nuget',
    name: 'Newtonsoft.Json',
    versions: ['13.0.1'],
    advisories: ['GHSA-5crp-9r3c-p9vr'],
    tp: false,
  },
  {
    lockfile: 'cargo/BurntSushi-ripgrep/v1-metadata-checksums',
    ecosystem: 'cargo',
    name: 'regex',
    versions: ['1.3.9'],
    advisories: ['RUSTSEC-2022-0013'],
    tp: true,
  },
  {
    lockfile: 'gomod/etcd-io-etcd/2022-go1.17',
    ecosystem: 'golang',
    name: 'golang.org/x/net',
    versions: ['v0.0.0-20220105145211-5b0dc2dfae98'],
    advisories: ['GO-2022-0969', 'GO-2023-1571', 'GO-2023-2102', 'GO-2024-2687'],
    tp: true,
  },
  {
    lockfile: 'cf-app/cloudfoundry-samples-pong_matcher_django',
    ecosystem: 'pypi',
    name: 'Django',
    versions: ['1.9.6'],
    advisories: ['PYSEC-2019-16', 'PYSEC-2021-98'],
    tp: true,
  },
  {
    lockfile: 'cf-app/cloudfoundry-samples-pong_matcher_django',
    ecosystem: 'pypi',
    name: 'gunicorn',
    versions: ['19.4.5'],
    advisories: ['PYSEC-2018-55'],
    tp: true,
  },
];

const loc = { path: 'lockfile', source: 'lockfile' } as const;
const has = (fs: VulnFinding[], c: Component, adv: string) =>
  fs.some((f) => f.purl === c.purl && (f.id === adv || f.aliases.includes(adv)));

let db: OsvDb;
test.before(async () => {
  if (haveCorpus) db = await loadOsvDb(osvDir);
});

test('the corpus table, with components built from the exact names and versions', () => {
  if (!needCorpus()) return;
  for (const row of ROWS) {
    for (const version of row.versions) {
      const c = makeComponent({ ecosystem: row.ecosystem, name: row.name, version, location: loc });
      const found = matchComponents([c], db);
      for (const adv of row.advisories) {
        assert.is(
          has(found, c, adv),
          row.tp,
          `${row.name}@${version} vs ${adv}: expected ${row.tp ? 'TP' : 'TN'}; got ${found.map((f) => f.id).join(', ') || 'nothing'}`,
        );
      }
    }
  }
});

test('the corpus table, with components captured from the real lockfiles', async () => {
  if (!needCorpus()) return;
  const gaps: string[] = [];
  let checked = 0;
  const byLockfile = new Map<string, Component[]>();
  for (const row of ROWS) {
    const dir = join(corpus, 'lockfiles', row.lockfile);
    if (!existsSync(dir)) continue;
    if (!byLockfile.has(row.lockfile)) byLockfile.set(row.lockfile, (await captureDir(dir, { includeDev: true })).components);
    const comps = byLockfile.get(row.lockfile)!;
    const found = matchComponents(comps, db);
    for (const version of row.versions) {
      // RubyGems platform variants: the table writes `1.10.10-java`, the component is 1.10.10 with ?platform=java
      const spelled = (x: Component) => {
        const platform = /[?&]platform=([^&]+)/.exec(x.purl)?.[1];
        return platform ? `${x.version}-${decodeURIComponent(platform)}` : x.version;
      };
      const c = comps.find(
        (x) =>
          x.ecosystem === row.ecosystem &&
          x.name.toLowerCase() === row.name.toLowerCase() &&
          (x.version === version || spelled(x) === version),
      );
      // a Linux droplet never ships the java/mingw builds of a gem: capture leaves them out on purpose (bundler README)
      if (!c && row.ecosystem === 'gem' && /-(java|x64-mingw32|x86-mingw32)$/.test(version)) continue;
      if (!c) {
        gaps.push(`${row.lockfile}: capture found no ${row.name}@${version} (${comps.length} components)`);
        continue;
      }
      for (const adv of row.advisories) {
        checked++;
        assert.is(has(found, c, adv), row.tp, `${row.lockfile} ${c.purl} vs ${adv}: expected ${row.tp ? 'TP' : 'TN'}`);
      }
    }
  }
  assert.equal(gaps, [], 'every package of the table is captured from its real lockfile');
  assert.ok(checked >= 5, `only ${checked} rows could be checked from lockfiles`);
});

test('aliases collapse: two records for one vulnerability give one finding per package', () => {
  const rec = (id: string, aliases: string[], fixed: string, severity?: string) => ({
    id,
    modified: '2024-01-01T00:00:00Z',
    aliases,
    ...(severity ? { database_specific: { severity } } : {}),
    affected: [
      { package: { ecosystem: 'PyPI', name: 'Django_Thing' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] },
    ],
  });
  const local = buildDb('t', [
    { path: 'a.json', data: rec('PYSEC-2099-1', ['CVE-2099-1'], '2.0') },
    { path: 'b.json', data: rec('GHSA-aaaa-bbbb-cccc', ['CVE-2099-1'], '2.0.1', 'HIGH') },
    { path: 'c.json', data: rec('GHSA-dddd-eeee-ffff', [], '3.0', 'LOW') },
  ]);
  // PEP 503: django-thing, Django.Thing and DJANGO_thing are one project
  const c = makeComponent({ ecosystem: 'pypi', name: 'django.thing', version: '1.0', location: loc });
  const found = matchComponents([c, c], local);
  assert.equal(
    found.map((f) => [f.id, f.aliases, f.severity, f.fixed]),
    [
      ['GHSA-aaaa-bbbb-cccc', ['CVE-2099-1', 'PYSEC-2099-1'], 'high', ['2.0', '2.0.1']],
      ['GHSA-dddd-eeee-ffff', [], 'low', ['3.0']],
    ],
  );
});

test('each component is matched once per database: the same answer for every target, another database its own', () => {
  const rec = (id: string, fixed: string) => ({
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [
      { package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] },
    ],
  });
  const one = buildDb('one', [{ path: 'a.json', data: rec('GHSA-1111-2222-3333', '2.0.0') }]);
  const two = buildDb('two', [{ path: 'b.json', data: rec('GHSA-4444-5555-6666', '1.0.0') }]);
  const c = makeComponent({ ecosystem: 'npm', name: 'left-pad', version: '1.5.0', location: loc });
  const other = makeComponent({ ecosystem: 'npm', name: 'left-pad', version: '2.5.0', location: loc });
  const first = checkComponents([c, other], one);
  assert.equal(
    first.findings.map((f) => [f.id, f.version]),
    [['GHSA-1111-2222-3333', '1.5.0']],
  );
  assert.is(first.checked, 2);
  // a second target with the same component: the same findings, counted for it too
  assert.equal(checkComponents([c], one), { findings: first.findings, unchecked: [], checked: 1 });
  // the same component against another database: that database's answer, not the first one's
  assert.equal(checkComponents([c], two).findings, []);
  assert.equal(checkComponents([other], two).findings, []);
  const old = makeComponent({ ecosystem: 'npm', name: 'left-pad', version: '0.9.0', location: loc });
  assert.equal(
    checkComponents([old], two).findings.map((f) => f.id),
    ['GHSA-4444-5555-6666'],
  );
  // an unplaceable version is unchecked every time it is asked, with its reason
  const bad = makeComponent({ ecosystem: 'npm', name: 'left-pad', version: 'banana', location: loc });
  for (let i = 0; i < 2; i++) assert.is(checkComponents([bad], one).unchecked[0]?.reason, "version 'banana' is not a semver version");
});

test('ranges: last_affected, limit, GIT ranges before ECOSYSTEM ranges, versions lists, unknown ecosystem', () => {
  const local = buildDb('t', [
    {
      path: 'r.json',
      data: {
        id: 'x_R-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'npm', name: 'a' },
            ranges: [
              { type: 'GIT', repo: 'https://example.invalid/a', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] },
              { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] },
              { type: 'SEMVER', events: [{ introduced: '3.0.0' }, { limit: '3.5.0' }] },
            ],
          },
          { package: { ecosystem: 'npm', name: 'b' }, versions: ['0.1.0', '0.3.0'] },
          { package: { ecosystem: 'CRAN', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] },
        ],
      },
    },
  ]);
  const got = (name: string, v: string) =>
    matchComponents([makeComponent({ ecosystem: 'npm', name, version: v, location: loc })], local).length > 0;
  assert.is(got('a', '0.9.0'), false);
  assert.is(got('a', '1.0.0'), true);
  assert.is(got('a', '1.4.0'), true);
  assert.is(got('a', '1.4.1'), false);
  assert.is(got('a', '3.4.9'), true);
  assert.is(got('a', '3.5.0'), false);
  assert.is(got('b', '0.3.0'), true);
  assert.is(got('b', '0.2.0'), false);
  assert.equal(local.skippedEcosystems, { cran: 1 });
});

test('severity from CVSS v3 and v4 vectors, else the database word', async () => {
  if (!needCorpus()) return;
  const c = (eco: Ecosystem, name: string, version: string) => makeComponent({ ecosystem: eco, name, version, location: loc });
  const f = matchComponents([c('npm', 'minimist', '1.2.5'), c('pypi', 'gunicorn', '19.4.5')], db);
  const minimist = f.find((x) => x.id === 'GHSA-xvch-5gv4-984h')!;
  assert.is(minimist.severity, 'critical'); // CVSS:3.1 .../C:H/I:H/A:H 9.8
  assert.equal(minimist.fixed, ['1.2.6']);
  assert.ok(minimist.summary.length > 0);
});

test("each affected entry's own database word rates it when the record has neither vectors nor a word of its own", () => {
  const entry = (name: string, severity: string) => ({
    package: { ecosystem: 'npm', name },
    ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
    database_specific: { severity },
  });
  const data = { id: 'x_W-1', modified: '2024-01-01T00:00:00Z', affected: [entry('a', 'LOW'), entry('b', 'CRITICAL')] };
  const words = buildDb('w', [{ path: 'w.json', data }]);
  const c = (name: string) => makeComponent({ ecosystem: 'npm', name, version: '1.0.0', location: loc });
  // either order: the first entry rated does not decide the other's severity
  assert.equal(
    matchComponents([c('a'), c('b')], words).map((f) => [f.name, f.severity]),
    [
      ['a', 'low'],
      ['b', 'critical'],
    ],
  );
  const again = buildDb('w', [{ path: 'w.json', data }]);
  assert.equal(
    matchComponents([c('b'), c('a')], again).map((f) => [f.name, f.severity]),
    [
      ['a', 'low'],
      ['b', 'critical'],
    ],
  );
  // a word of the record's own rates every entry
  const both = buildDb('w', [{ path: 'w.json', data: { ...data, database_specific: { severity: 'MODERATE' } } }]);
  assert.equal(
    matchComponents([c('a'), c('b')], both).map((f) => f.severity),
    ['medium', 'medium'],
  );
});

test.run();
