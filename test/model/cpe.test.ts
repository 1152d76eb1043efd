// The runtime CPE table (src/model/cpe.ts): every runtime rule's name has a row, CPE 2.3 names are well formed and
// quoted, versions split into NVD's version/update, and the table's schemes order real runtime versions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RULES } from '../../src/catalog/managers/runtimes/detect.ts';
import { INSTALL_NAMES, runtimesFromInstalls } from '../../src/catalog/managers/runtimes/from-installs.ts';
import {
  CPE_ATTRIBUTES,
  RUNTIME_CPES,
  cpeVersionParts,
  formatCpe,
  parseCpe,
  runtimeCpe,
  runtimeCpeRow,
  schemeOfProduct,
} from '../../src/model/cpe.ts';
import { makeComponent } from '../../src/model/index.ts';
import { SCHEMES } from '../../src/vuln/versions/index.ts';
import { RANGES } from '../../src/vuln/versions/ranges.ts';

// the names the runtimes manager gives its components (the JDK `release` rule names jdk or jre)
const ruleNames = RULES.flatMap((r) => (r.name === 'java' ? ['jdk', 'jre'] : [r.name]));

test('every runtime rule has a CPE, and every row is a runtime some rule or install line names', () => {
  for (const n of ruleNames) {
    const row = runtimeCpeRow(n);
    assert.ok(row, `runtime ${n} has no row in RUNTIME_CPES (src/model/cpe.ts)`);
    assert.match(row!.cpe, /^[a-z0-9_.-]+:[a-z0-9_.-]+$/, n);
    assert.ok(SCHEMES[row!.scheme] && RANGES[row!.scheme], `${n}: scheme ${row!.scheme} is registered`);
    const cpe = runtimeCpe(n, '1.2.3');
    assert.ok(cpe && parseCpe(cpe), `${n}: ${cpe}`);
  }
  for (const n of Object.keys(RUNTIME_CPES)) assert.ok(ruleNames.includes(n), `${n}: no runtime rule gives this name`);
  for (const [log, n] of Object.entries(INSTALL_NAMES)) assert.ok(runtimeCpeRow(n), `install name ${log} → ${n} has a row`);
});

test('the names the issue asks for', () => {
  assert.is(runtimeCpe('node', '20.11.1'), 'cpe:2.3:a:nodejs:node.js:20.11.1:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('python', '3.12.1'), 'cpe:2.3:a:python:python:3.12.1:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('ruby', '3.3.6'), 'cpe:2.3:a:ruby-lang:ruby:3.3.6:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('php', '8.3.14'), 'cpe:2.3:a:php:php:8.3.14:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('jdk', '17.0.13+11'), 'cpe:2.3:a:oracle:openjdk:17.0.13:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('jre', '1.8.0_391', true), 'cpe:2.3:a:oracle:jre:1.8.0:update391:*:*:*:*:*:*');
  assert.is(runtimeCpe('go', '1.22.5'), 'cpe:2.3:a:golang:go:1.22.5:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('dotnet-runtime', '8.0.0-rc.2'), 'cpe:2.3:a:microsoft:.net:8.0.0:rc2:*:*:*:*:*:*');
  assert.is(runtimeCpe('nginx', '1.27.3'), 'cpe:2.3:a:f5:nginx:1.27.3:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('httpd', '2.4.62'), 'cpe:2.3:a:apache:http_server:2.4.62:*:*:*:*:*:*:*');
  assert.is(runtimeCpe('left-pad', '1.0.0'), undefined);
  assert.is(schemeOfProduct('f5:nginx_open_source'), 'numeric');
  assert.is(schemeOfProduct('oracle:jdk'), 'jdk');
  assert.is(schemeOfProduct('openssl:openssl'), 'numeric', 'a product of no runtime: dotted numeric');
});

test('formatted strings: quoting, and parsing what NVD writes (escaped commas and ampersands)', () => {
  assert.is(formatCpe('acme:we+ird', '1.0'), 'cpe:2.3:a:acme:we\\+ird:1.0:*:*:*:*:*:*:*');
  const p = parseCpe('cpe:2.3:h:netapp:solidfire\\,_enterprise_sds_\\&_hci_storage_node:-:*:*:*:*:*:*:*')!;
  assert.is(p.part, 'h');
  assert.is(p.product, 'solidfire,_enterprise_sds_&_hci_storage_node');
  assert.is(p.version, '-');
  assert.is(Object.keys(p).length, CPE_ATTRIBUTES.length);
  assert.is(parseCpe('cpe:/a:nodejs:node.js:20'), undefined, 'CPE 2.2 URIs are not read');
  assert.is(parseCpe('cpe:2.3:a:nodejs:node.js'), undefined);
});

test('version → CPE version and update, as NVD records split them', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['3.10.0a6', '3.10.0', 'alpha6'],
    ['3.13.0rc1', '3.13.0', 'rc1'],
    ['8.0.0-rc.2', '8.0.0', 'rc2'],
    ['1.21rc2', '1.21', 'rc2'],
    ['1.8.0_391', '1.8.0', 'update391'],
    ['8u391', '1.8.0', 'update391'],
    ['17.0.13+11', '17.0.13', undefined],
    ['1.1.1w', '1.1.1w', undefined],
    ['20.11.1', '20.11.1', undefined],
    ['v20.11.1', '20.11.1', undefined],
  ];
  for (const [v, version, update] of cases) assert.equal(cpeVersionParts(v), { version, ...(update ? { update } : {}) }, v);
});

test('schemes: the JDK and dotted-numeric orders', () => {
  const jdk = SCHEMES.jdk.compare;
  assert.is(jdk('1.8.0_391', '8u391'), 0);
  assert.is(jdk('1.8.0_391', '1.8.0_401'), -1);
  assert.is(jdk('17.0.13+11', '17.0.13'), 0, 'the build is not compared');
  assert.is(jdk('17.0.9', '17.0.13'), -1);
  assert.is(jdk('21-ea+5', '21'), -1, 'an early access build comes before its release');
  assert.is(jdk('18', '18.0.0'), 0);
  assert.is(jdk('11.0.22', '1.8.0_401'), 1);
  const num = SCHEMES.numeric.compare;
  assert.is(num('1.25.5', '1.25.4'), 1);
  assert.is(num('3.11.9', '3.11.10'), -1);
  assert.is(num('18', '18.0.0'), 0);
  assert.is(num('1.0.2zi', '1.0.2zj'), -1);
  assert.is(num('1.1.1z', '1.1.1za'), -1, 'letters by length, then letters');
  assert.is(num('1.1.1', '1.1.1w'), -1, 'letters come after the release');
  assert.is(num('2.4.0-dev', '2.4.0'), -1, 'a pre-release before it');
  assert.is(num('r27', 'r30'), -1, 'no number first: as strings');
  assert.ok(RANGES.numeric('>=1.25.0 <1.25.4')('1.25.3'));
  assert.not.ok(RANGES.jdk('>=11.0.0 <11.0.22')('11.0.22+7'));
});

test('install lines: a runtime no file told, located at the log line, with its CPE; one a file told is not repeated', () => {
  const node = makeComponent({
    ecosystem: 'generic',
    name: 'node',
    version: '20.11.1',
    kind: 'runtime',
    location: { path: 'deps/0/node/include/node/node_version.h', source: 'runtime' },
  });
  const got = runtimesFromInstalls(
    [
      { name: 'node', version: '20.11.1' },
      { name: 'php', version: '8.1.28' },
      { name: 'php', version: '8.1.28' },
      { name: 'apm-agent', version: '1.0' },
      { name: 'dotnet-aspnetcore', version: 'v8.0.11' },
    ],
    [node],
  );
  assert.equal(
    got.map((c) => [c.purl, c.cpe, c.locations]),
    [
      [
        'pkg:generic/php@8.1.28',
        'cpe:2.3:a:php:php:8.1.28:*:*:*:*:*:*:*',
        [{ path: '-----> Installing php 8.1.28', source: 'install-log' }],
      ],
      [
        'pkg:generic/aspnetcore-runtime@8.0.11',
        'cpe:2.3:a:microsoft:asp.net_core:8.0.11:*:*:*:*:*:*:*',
        [{ path: '-----> Installing dotnet-aspnetcore v8.0.11', source: 'install-log' }],
      ],
    ],
  );
  assert.ok(got.every((c) => c.kind === 'runtime'));
});

test.run();
