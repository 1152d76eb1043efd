// End to end with the bundled CLI: a buildpack that installs Node 20.11.1 and Python 3.12.1 (real header files) is wrapped
// with detect-versions, sbom and the vulnerability built-in (nvd:), staged as the CF builder stages it; the droplet's
// CycloneDX and SPDX list both runtimes with CPEs (schema-valid), the buildpack by its own name with its wrap-time digest
// and commit; `bpx scan droplets/ --nvd` answers who runs a vulnerable Node.js, with fixed-in versions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { cycloneDxValidator, repoRoot, sharedDir, spdxValidator } from './schemas.ts';
import { needShared, skip } from '../shared.ts';

const bpx = path.join(repoRoot, 'dist/bpx.cjs');
const fixture = path.join(repoRoot, 'test/sbom/fixtures/runtimes-buildpack');
const nvdRecords = path.join(sharedDir, 'corpus/nvd/records');
const wgCore = path.join(sharedDir, 'corpus/nodejs-security-wg/vuln/core');

type Json = Record<string, any>;

test('staged droplet: runtimes with CPEs in CycloneDX and SPDX, the buildpack build, NVD findings; bpx scan --nvd over droplets', async () => {
  if (!needShared(nvdRecords, 'the NVD corpus') || !needShared(wgCore, 'the Node.js Security WG files')) return;
  if (!existsSync(bpx)) return skip(`${bpx} is absent (run node scripts/build.mjs)`);
  const work = mkdtempSync(path.join(tmpdir(), 'bpx-runtimes-nvd-'));
  try {
    const run = (args: string[], env: Record<string, string> = {}) =>
      execa(process.execPath, [bpx, ...args], {
        cwd: work,
        reject: false,
        env: { ...env, PATH: process.env.PATH ?? '' },
        extendEnv: false,
      });
    // the buildpack as a git checkout: its commit goes into bpx/buildpack.json
    const bp = path.join(work, 'bp');
    cpSync(fixture, bp, { recursive: true });
    const git = (...a: string[]) =>
      execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'init.defaultBranch=main', ...a], {
        cwd: bp,
        reject: false,
      });
    const haveGit =
      (await git('init', '-q')).exitCode === 0 &&
      (await git('add', '-A')).exitCode === 0 &&
      (await git('commit', '-qm', 'runtimes-test 1.2.3')).exitCode === 0;
    const head = haveGit ? (await git('rev-parse', 'HEAD')).stdout.trim() : undefined;
    // the operator's folder: NVD data beside bpx.yml (copied from the corpus for this test only), shipped by bpx wrap
    const ops = path.join(work, 'ops');
    cpSync(nvdRecords, path.join(ops, 'nvd', 'records'), { recursive: true });
    cpSync(wgCore, path.join(ops, 'nvd', 'security-wg'), { recursive: true });
    writeFileSync(
      path.join(ops, 'bpx.yml'),
      [
        'version: 1',
        'extensions:',
        '  - {name: versions, uses: builtin:detect-versions, at: [finalize:after]}',
        '  - {name: sbom, uses: builtin:sbom, at: [finalize:after], with: {formats: [cyclonedx, spdx]}}',
        '  - {name: vulns, uses: builtin:vulnerabilities, at: [finalize:after], onFailure: warn, with: {nvd: [nvd/records, nvd/security-wg]}}',
        '',
      ].join('\n'),
    );
    const w = await run(['wrap', bp, '--manifest', 'ops/bpx.yml', '-o', 'wrapped']);
    assert.is(w.exitCode, 0, w.stderr);
    const build = JSON.parse(readFileSync(path.join(work, 'wrapped/bpx/buildpack.json'), 'utf8')) as Json;
    assert.is(build.name, 'runtimes-test');
    assert.is(build.version, '1.2.3');
    assert.match(build.sha256, /^[0-9a-f]{64}$/);
    if (head) assert.is(build.commit, head);
    mkdirSync(path.join(work, 'app'));
    writeFileSync(path.join(work, 'app', 'server.js'), 'console.log("hi")\n');
    const s = await run(['stage', '--app', 'app', '--buildpack', 'rt=wrapped', '--skip-detect', '--out', 'out'], {
      SOURCE_DATE_EPOCH: '1700000000',
      CF_STACK: 'cflinuxfs4',
    });
    assert.is(s.exitCode, 0, `${s.stdout}\n${s.stderr}`);
    const log = readFileSync(path.join(work, 'out/staging.log'), 'utf8');
    // the built-in reports the runtimes' findings at staging, each naming its databases
    assert.match(log, /CVE-2024-27983 \(NSWG-COR-139\) high in node@20\.11\.1: .*; fixed in 20\.12\.1 \[nodejs-security-wg\]/);
    assert.match(log, /CVE-2024-6232 \S* ?\w+ in python@3\.12\.1.*fixed in 3\.12\.6 \[nvd\]/);

    const x = path.join(work, 'x');
    mkdirSync(x);
    await execa('tar', ['-xzf', path.join(work, 'out/droplet.tgz'), '-C', x]);
    const cdx = JSON.parse(readFileSync(path.join(x, 'app/.bpx/sbom.cdx.json'), 'utf8')) as Json;
    const spdx = JSON.parse(readFileSync(path.join(x, 'app/.bpx/sbom.spdx.json'), 'utf8')) as Json;
    assert.equal(cycloneDxValidator()(cdx), []);
    assert.equal(spdxValidator()(spdx), []);
    const comp = (purl: string) => cdx.components.find((c: Json) => c.purl === purl);
    const node = comp('pkg:generic/node@20.11.1');
    assert.is(node.cpe, 'cpe:2.3:a:nodejs:node.js:20.11.1:*:*:*:*:*:*:*');
    assert.is(node.type, 'platform');
    assert.equal(node.evidence.identity[0].methods, [
      { technique: 'source-code-analysis', confidence: 1, value: 'deps/0/node/include/node/node_version.h' },
    ]);
    assert.ok(node.properties.some((p: Json) => p.name === 'bpx:runtime:found-by' && p.value === 'file'));
    assert.is(comp('pkg:generic/python@3.12.1').cpe, 'cpe:2.3:a:python:python:3.12.1:*:*:*:*:*:*:*');
    // php: only the install line tells
    const php = comp('pkg:generic/php@8.1.28');
    assert.is(php.cpe, 'cpe:2.3:a:php:php:8.1.28:*:*:*:*:*:*:*');
    assert.ok(php.properties.some((p: Json) => p.name === 'bpx:runtime:found-by' && p.value === 'install-log'));
    assert.equal(php.evidence.identity[0].methods, [{ technique: 'other', confidence: 0.5, value: '-----> Installing php 8.1.28' }]);
    assert.is(php.evidence.occurrences, undefined);
    const cpes = spdx.packages
      .flatMap((p: Json) => p.externalRefs ?? [])
      .filter((r: Json) => r.referenceType === 'cpe23Type')
      .map((r: Json) => `${r.referenceCategory} ${r.referenceLocator}`)
      .sort();
    assert.equal(cpes, [
      'SECURITY cpe:2.3:a:nodejs:node.js:20.11.1:*:*:*:*:*:*:*',
      'SECURITY cpe:2.3:a:php:php:8.1.28:*:*:*:*:*:*:*',
      'SECURITY cpe:2.3:a:python:python:3.12.1:*:*:*:*:*:*:*',
    ]);
    // the buildpack by its own name and version, not the enriched line config.yml now holds, with its build
    const config = readFileSync(path.join(x, 'deps/0/config.yml'), 'utf8');
    assert.match(config, /^name: runtimes-test-buildpack=v1\.2\.3 node=20\.11\.1 python=3\.12\.1$/m);
    const bpc = cdx.components.find((c: Json) => c.properties?.some((p: Json) => p.name === 'bpx:kind' && p.value === 'buildpack'));
    assert.is(bpc.name, 'runtimes-test');
    assert.is(bpc.version, '1.2.3');
    assert.equal(bpc.hashes, [{ alg: 'SHA-256', content: build.sha256 }]);
    if (head) assert.ok(bpc.properties.some((p: Json) => p.name === 'bpx:buildpack:commit' && p.value === head));
    const bps = spdx.packages.find((p: Json) => p.primaryPackagePurpose === 'INSTALL');
    assert.is(bps.name, 'runtimes-test');
    assert.equal(bps.checksums, [{ algorithm: 'SHA256', checksumValue: build.sha256 }]);

    // droplets/: this one, and an unpacked droplet without an SBOM whose node (22.13.1) has every fix
    const droplets = path.join(work, 'droplets');
    mkdirSync(path.join(droplets, 'shop'), { recursive: true });
    cpSync(path.join(work, 'out/droplet.tgz'), path.join(droplets, 'shop', 'droplet.tgz'));
    const other = path.join(droplets, 'blog');
    cpSync(x, other, { recursive: true });
    rmSync(path.join(other, 'app/.bpx'), { recursive: true });
    const header = path.join(other, 'deps/0/node/include/node/node_version.h');
    writeFileSync(
      header,
      readFileSync(header, 'utf8')
        .replace(/NODE_MAJOR_VERSION 20/, 'NODE_MAJOR_VERSION 22')
        .replace(/NODE_MINOR_VERSION 11/, 'NODE_MINOR_VERSION 13'),
    );
    rmSync(path.join(other, 'deps/0/python'), { recursive: true });
    const sc = await run(['scan', 'droplets', '--nvd', 'ops/nvd/records', '--nvd', 'ops/nvd/security-wg', '--json']);
    assert.is(sc.exitCode, 0, sc.stderr);
    assert.match(
      sc.stderr,
      /41 NVD CVE records \(36 with configurations, 5 not analysed by NVD: nothing to match\), 1 rejected and dropped/,
    );
    assert.match(sc.stderr, /10 Node\.js Security WG advisories/);
    assert.match(sc.stderr, /loaded in \d+/);
    const report = JSON.parse(sc.stdout) as { targets: Json[] };
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'scan-report.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true }).compile(schema);
    assert.ok(validate(report), JSON.stringify(validate.errors));
    const who = report.targets.flatMap((t) =>
      t.findings
        .filter((f: Json) => f.name === 'node')
        .map((f: Json) => `${t.target} ${f.version} ${f.id} fixed ${f.fixed.join(',')} [${f.sources.join(',')}]`),
    );
    assert.equal(who, ['droplets/shop/droplet.tgz 20.11.1 CVE-2024-27983 fixed 20.12.1 [nodejs-security-wg]']);
    const blog = report.targets.find((t) => t.target === 'droplets/blog')!;
    assert.equal(blog.sbom, { source: 'captured', signature: 'not-checked' });
    // captured: node 22.13.1 is its one runtime (php was told by the staging log only, which a droplet does not keep)
    assert.is(blog.checked, 1);
    assert.equal(blog.findings, []);
    const text = await run(['scan', 'droplets', '--nvd', 'ops/nvd/records', '--nvd', 'ops/nvd/security-wg', '--fail-on', 'high']);
    assert.is(text.exitCode, 1, 'a high finding reaches --fail-on high');
    assert.match(text.stdout, /high +CVE-2024-27983 +node@20\.11\.1  fixed: 20\.12\.1  \[nodejs-security-wg\]/);
    assert.match(text.stdout, /CVE-2024-6232 +python@3\.12\.1  fixed: 3\.12\.6  \[nvd\]/);
    const sarif = JSON.parse((await run(['scan', 'droplets', '--nvd', 'ops/nvd/records', '--sarif'])).stdout) as Json;
    const result = sarif.runs[0].results.find((r: Json) => r.ruleId === 'CVE-2024-6232');
    assert.equal(result.properties.sources, ['nvd']);
    assert.is(result.properties.cpe, 'cpe:2.3:a:python:python:3.12.1:*:*:*:*:*:*:*');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
