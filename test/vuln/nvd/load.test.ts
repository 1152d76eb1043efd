// NVD data in the shapes it is distributed in (API pages, 2.0 feeds .json/.json.gz, one record per file), Node.js
// Security WG advisories, and runtime components matched against both: findings merged by CVE, sources named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeComponent, runtimeCpe, type Component } from '../../../src/model/index.ts';
import { buildNvdDb, checkNvd, loadNvdDb, matchNvd, type NvdDb } from '../../../src/vuln/nvd/index.ts';
import { buildDb } from '../../../src/vuln/osv/index.ts';
import { checkAgainst } from '../../../src/vuln/check.ts';
import { needShared, sharedDir } from '../../shared.ts';

const corpus = process.env.BPX_NVD_CORPUS ?? join(sharedDir, 'corpus', 'nvd');
const wgDir = join(corpus, '..', 'nodejs-security-wg', 'vuln', 'core');
const record = (id: string) => JSON.parse(readFileSync(join(corpus, 'records', `${id}.json`), 'utf8')) as Record<string, unknown>;

function runtime(name: string, version: string, vendorBuild = false): Component {
  const cpe = runtimeCpe(name, version, vendorBuild);
  return makeComponent({
    ecosystem: 'generic',
    name,
    version,
    kind: 'runtime',
    location: { path: `deps/0/${name}`, source: 'runtime' },
    ...(cpe ? { cpe } : {}),
  });
}

const ids = (db: NvdDb) => [...db.advisories.keys()];

test('API response pages, 2.0 feeds (.json and .json.gz), {"cve": …} and bare records load the same', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const work = mkdtempSync(join(tmpdir(), 'bpx-nvd-'));
  try {
    const names = readdirSync(join(corpus, 'records'))
      .filter((n) => n.endsWith('.json'))
      .sort();
    const cves = names.map((n) => JSON.parse(readFileSync(join(corpus, 'records', n), 'utf8')));
    const page = {
      resultsPerPage: 2000,
      startIndex: 0,
      totalResults: cves.length,
      format: 'NVD_CVE',
      version: '2.0',
      timestamp: '2026-04-01T00:00:00.000',
      vulnerabilities: cves.map((cve) => ({ cve })),
    };
    const folder = await loadNvdDb(join(corpus, 'records'));
    writeFileSync(join(work, 'page.json'), JSON.stringify(page));
    const fromPage = await loadNvdDb(join(work, 'page.json'));
    mkdirSync(join(work, 'feeds'));
    writeFileSync(join(work, 'feeds', 'nvdcve-2.0-2024.json.gz'), gzipSync(JSON.stringify(page)));
    writeFileSync(join(work, 'feeds', 'nvdcve-2.0-2024.meta'), 'lastModifiedDate:2026-04-01T00:00:00-04:00\n');
    const fromFeed = await loadNvdDb(join(work, 'feeds'));
    for (const db of [fromPage, fromFeed]) {
      assert.equal(ids(db), ids(folder));
      assert.is(db.rejected, 1);
      assert.is(db.unanalysed, 5);
      assert.equal(db.skipped, []);
      assert.is(db.newest, folder.newest);
    }
    const wrapped = buildNvdDb('x', [
      { path: 'a.json', data: { cve: record('CVE-2024-21896') } },
      { path: 'b.json', data: record('CVE-2024-21896') },
    ]);
    assert.equal(ids(wrapped), ['CVE-2024-21896']);
    assert.is(wrapped.duplicates, 1);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('what is not NVD data is skipped and named; a 1.1 feed says what to give instead; a Rejected record wins over an older copy', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const db = buildNvdDb('x', [
    { path: 'old.json', data: { CVE_Items: [] } },
    { path: 'other.json', data: { hello: 'world' } },
    {
      path: 'bad-cpe.json',
      data: {
        id: 'CVE-2020-0001',
        vulnStatus: 'Analyzed',
        configurations: [{ nodes: [{ operator: 'OR', cpeMatch: [{ vulnerable: true, criteria: 'cpe:/a:x:y' }] }] }],
      },
    },
    { path: 'live.json', data: { ...record('CVE-2024-21896') } },
    { path: 'dead.json', data: { id: 'CVE-2024-21896', vulnStatus: 'Rejected', configurations: [] } },
  ]);
  assert.equal(
    db.skipped.map((i) => `${i.path}: ${i.message}`),
    [
      'old.json: an NVD 1.1 JSON feed (retired in 2023): give the CVE API 2.0 JSON or the 2.0 feeds (nvdcve-2.0-<year>.json.gz)',
      'other.json: not an NVD CVE API 2.0 record, response page or 2.0 feed, nor a Node.js Security WG advisory',
      'bad-cpe.json: NVD record CVE-2020-0001 skipped: criteria "cpe:/a:x:y" is not a CPE 2.3 formatted string',
    ],
  );
  assert.equal(ids(db), []);
  assert.is(db.rejected, 1);
  const work = mkdtempSync(join(tmpdir(), 'bpx-nvd-'));
  try {
    writeFileSync(join(work, 'broken.json'), '{"vulnerabilities": [');
    const loaded = await loadNvdDb(work);
    assert.match(loaded.skipped[0]!.message, /^not readable JSON: /);
    await loadNvdDb(join(work, 'nope')).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /no such NVD database/),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('Deferred records give nothing and no crash; NVD alone cannot flag node 20.12.0 for CVE-2024-27983', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const db = await loadNvdDb(join(corpus, 'records'));
  assert.equal(
    matchNvd(runtime('node', '20.12.0'), db).map((f) => f.id),
    [],
  );
  assert.equal(
    matchNvd(runtime('python', '3.12.1'), db).map((f) => f.id),
    ['CVE-2024-6232', 'CVE-2024-7592'],
  );
});

test('Node.js Security WG advisories: the node runtime is matched by them too, merged with NVD by CVE id', async () => {
  if (!needShared(wgDir, 'the Node.js Security WG files')) return;
  const db = await loadNvdDb([join(corpus, 'records'), wgDir]);
  assert.is(db.node.length, 10);
  assert.equal(db.skipped, []);
  const find = (v: string) => matchNvd(runtime('node', v), db);
  // Deferred in NVD, the Security WG says 20.x before 20.12.1
  const deferred = find('20.12.0').find((f) => f.id === 'CVE-2024-27983')!;
  assert.equal(
    { sources: deferred.sources, fixed: deferred.fixed, aliases: deferred.aliases, severity: deferred.severity },
    { sources: ['nodejs-security-wg'], fixed: ['20.12.1'], aliases: ['NSWG-COR-139'], severity: 'high' },
  );
  // both say so: one finding, both sources, the CVSS severity and NVD's fixed version
  const both = find('20.2.0').find((f) => f.id === 'CVE-2023-30590')!;
  assert.equal(both.sources, ['nvd', 'nodejs-security-wg']);
  assert.equal(both.fixed, ['20.3.1']);
  assert.ok(both.aliases.includes('NSWG-COR-117'));
  assert.is(both.cpe, 'cpe:2.3:a:nodejs:node.js:20.2.0:*:*:*:*:*:*:*');
  // NVD's range runs to 20.6.1 inclusive, the vendor fixed it in 18.16.1: only NVD says so
  assert.equal(
    find('18.16.1')
      .filter((f) => f.id === 'CVE-2023-30581')
      .map((f) => f.sources),
    [['nvd']],
  );
  // win32 only (CVE-2025-23084): neither NVD (AND windows) nor the Security WG (affectedEnvironments win32) on Linux
  assert.not.ok(find('22.12.0').some((f) => f.id === 'CVE-2025-23084'));
  // index.json holds the same advisories keyed by number
  const index = Object.fromEntries(
    readdirSync(wgDir).map((n) => [n.replace('.json', ''), JSON.parse(readFileSync(join(wgDir, n), 'utf8'))]),
  );
  const fromIndex = buildNvdDb('index', [{ path: 'vuln/core/index.json', data: index }]);
  assert.equal(
    fromIndex.node.map((a) => a.id),
    db.node.map((a) => a.id),
  );
});

test('runtimes by their CPE names: nginx under every name NVD files it, the JDK by jdk/jre/openjdk, a bad version unchecked', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const db = await loadNvdDb(join(corpus, 'records'));
  assert.equal(
    matchNvd(runtime('nginx', '1.25.3'), db).map((f) => f.id),
    ['CVE-2024-24990'],
    'f5:nginx_open_source is an alias',
  );
  // versionEndExcluding is the fix; a versionEndIncluding range (1.1.3 to 1.22.0) names none
  assert.equal(
    matchNvd(runtime('nginx', '1.16.1'), db).map((f) => [f.id, f.fixed]),
    [
      ['CVE-2019-20372', ['1.17.7']],
      ['CVE-2022-41741', []],
    ],
  );
  assert.equal(
    matchNvd(runtime('jre', '1.8.0_391', true), db).map((f) => f.id),
    ['CVE-2024-20918'],
  );
  assert.equal(
    matchNvd(runtime('jdk', '17.0.2'), db).map((f) => f.id),
    ['CVE-2022-21449'],
    'an OpenJDK build meets the oracle:jdk records',
  );
  // severity from the highest CVSS v3 base score (NVD's 9.8 beside a CNA's 7.5), as the OSV path rates it
  assert.equal(
    matchNvd(runtime('httpd', '2.4.49'), db).map((f) => [f.id, f.severity]),
    [
      ['CVE-2021-41773', 'critical'],
      ['CVE-2023-25690', 'critical'],
    ],
  );
  assert.equal(matchNvd(runtime('php', '8.1.28'), db), [], 'CVE-2024-4577 needs Windows');
  const r = checkNvd([runtime('node', 'banana'), runtime('node', '20.11.0'), runtime('node', '20.11.0')], db);
  assert.equal(
    r.unchecked.map((u) => u.reason),
    ["version 'banana' is not a semver version"],
  );
  assert.is(r.checked.size, 1);
  assert.equal(
    r.findings.map((f) => f.id),
    ['CVE-2024-21896'],
  );
});

test('OSV and NVD: the same CVE for one component is one finding with both sources', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const nvd = await loadNvdDb(join(corpus, 'records'));
  // llhttp as an npm package whose SBOM entry carries its CPE (a component of another tool's SBOM)
  const llhttp = {
    ...makeComponent({ ecosystem: 'npm', name: 'llhttp', version: '6.0.6', location: { path: 'x', source: 'manifest' } }),
    cpe: 'cpe:2.3:a:llhttp:llhttp:6.0.6:*:*:*:*:*:*:*',
  };
  const osv = buildDb('osv', [
    {
      path: 'GHSA-test.json',
      data: {
        id: 'GHSA-xxxx-yyyy-zzzz',
        modified: '2024-01-01T00:00:00Z',
        aliases: ['CVE-2022-32213'],
        summary: 'llhttp request smuggling',
        affected: [
          {
            package: { ecosystem: 'npm', name: 'llhttp' },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '6.0.0' }, { fixed: '6.0.7' }] }],
          },
        ],
      },
    },
  ]);
  const r = checkAgainst([llhttp, runtime('python', '3.12.1')], { osv, nvd });
  assert.equal(
    r.findings.map((f) => [f.id, f.aliases, f.sources, f.fixed]),
    [
      ['CVE-2024-6232', [], ['nvd'], ['3.12.6']],
      ['CVE-2024-7592', [], ['nvd'], ['3.12.6']],
      ['GHSA-xxxx-yyyy-zzzz', ['CVE-2022-32213'], ['osv', 'nvd'], ['6.0.7']],
    ],
  );
  assert.is(r.checked, 2);
});

test.run();
