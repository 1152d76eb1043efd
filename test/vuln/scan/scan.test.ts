// bpx scan and bpx query end to end: real droplets staged with bpx's SBOM writer and signer, the real OSV corpus.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { corpus, haveCorpus, repoRoot, needCorpus } from '../corpus.ts';
import { cli, keys, stagedDroplet, tempDir, dropletTree } from './helpers.ts';
import { writeDroplet } from '../../../src/droplet/write.ts';

const firebase = join(corpus, 'lockfiles', 'npm', 'firebase-firebase-tools', 'shrinkwrap-v2');
const buildpackApp = join(corpus, 'lockfiles', 'npm', 'cloudfoundry-nodejs-buildpack', 'shrinkwrap-pre-lockfileVersion');
const db = join(corpus, 'osv');
let root = '';
let kp: ReturnType<typeof keys>;
let signed = '';
let old = '';
let bare = '';

test.before(async () => {
  if (!needCorpus()) return;
  root = tempDir();
  kp = keys();
  mkdirSync(join(root, 'fleet'));
  writeFileSync(join(root, 'pub.pem'), kp.publicPem);
  const a = await stagedDroplet(join(root, 'a'), firebase, { name: 'nodejs', version: '1.9.3', key: 'nodejs_buildpack' }, kp.privatePem);
  const b = await stagedDroplet(join(root, 'b'), buildpackApp, { name: 'nodejs', version: '1.9.4', key: 'nodejs_buildpack' });
  signed = join(root, 'fleet', 'signed.tgz');
  old = join(root, 'fleet', 'unsigned.tgz');
  cpSync(a.tgz, signed);
  cpSync(b.tgz, old);
  // a droplet staged without bpx: no SBOM inside, captured by scan
  const c = dropletTree(join(root, 'c'), firebase, { name: 'nodejs', version: '1.8.0' });
  bare = join(root, 'fleet', 'bare.tgz');
  await writeDroplet(c, bare);
  mkdirSync(join(root, 'c', 'x'));
  cpSync(join(a.dir, 'app', '.bpx', 'sbom.cdx.json'), join(root, 'a.cdx.json'));
  cpSync(join(a.dir, 'app', '.bpx', 'sbom.spdx.json'), join(root, 'a.spdx.json'));
});

test.after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('scan --json over a directory of droplets: droplet SBOM verified, unsigned (captured instead), captured; validates against the schema', async () => {
  if (!needCorpus()) return;
  const r = await cli(['scan', 'fleet', '--db', db, '--key', 'pub.pem', '--json'], root);
  assert.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { targets: any[] };
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'scan-report.schema.json'), 'utf8'));
  const validate = new Ajv2020({ strict: true }).compile(schema);
  assert.ok(validate(report), JSON.stringify(validate.errors));
  const by = Object.fromEntries(report.targets.map((t) => [t.target as string, t]));
  assert.equal(Object.keys(by), ['fleet/bare.tgz', 'fleet/signed.tgz', 'fleet/unsigned.tgz']);
  assert.equal(by['fleet/signed.tgz'].sbom, { source: 'droplet-sbom', signature: 'verified' });
  // with --key only a verified SBOM is trusted: the unsigned droplet's content is captured instead, and said so
  assert.equal(by['fleet/unsigned.tgz'].sbom, { source: 'captured', signature: 'missing' });
  assert.match(by['fleet/unsigned.tgz'].notes[0], /^no signature: the droplet's SBOM is not trusted/);
  assert.equal(by['fleet/unsigned.tgz'].problems, []);
  assert.equal(by['fleet/bare.tgz'].sbom, { source: 'captured', signature: 'missing' });
  const ids = (t: string) => by[t].findings.map((f: { id: string; version: string; name: string }) => `${f.id} ${f.name}@${f.version}`);
  for (const t of ['fleet/signed.tgz', 'fleet/bare.tgz']) {
    assert.ok(ids(t).includes('GHSA-p8p7-x288-28g6 request@2.88.0'), ids(t).join('\n'));
    assert.ok(ids(t).includes('GHSA-xvch-5gv4-984h minimist@1.2.5'));
    assert.ok(ids(t).includes('GHSA-hrpp-h998-j3pp qs@6.7.0'));
    assert.not.ok(ids(t).some((i: string) => i.includes('lodash@4.17.21')));
  }
  assert.ok(ids('fleet/unsigned.tgz').includes('GHSA-hrpp-h998-j3pp qs@2.3.3'));
  const minimist = by['fleet/signed.tgz'].findings.find((f: { id: string }) => f.id === 'GHSA-xvch-5gv4-984h');
  assert.equal(minimist.fixed, ['1.2.6']);
  assert.is(minimist.severity, 'critical');
  assert.ok(minimist.aliases.includes('CVE-2021-44906'));
});

test('scan: --fail-on gates the exit code; a tampered droplet reports invalid; SBOM files (CycloneDX and SPDX) read', async () => {
  if (!needCorpus()) return;
  const crit = await cli(['scan', 'fleet/signed.tgz', '--db', db, '--fail-on', 'critical'], root);
  assert.is(crit.code, 1);
  assert.match(crit.out, /critical\s+GHSA-xvch-5gv4-984h\s+minimist@1.2.5/);
  assert.match(crit.err, /at or above critical/);
  // the other droplet's worst finding is below critical (qs 2.3.3: high)
  const ok = await cli(['scan', 'fleet/unsigned.tgz', '--db', db, '--fail-on', 'critical'], root);
  assert.is(ok.code, 0, ok.out + ok.err);
  // a droplet whose SBOM was signed with another key
  const other = keys();
  writeFileSync(join(root, 'other.pem'), other.publicPem);
  const wrong = await cli(['scan', 'fleet/signed.tgz', '--db', db, '--key', 'other.pem', '--json'], root);
  assert.match(JSON.parse(wrong.out).targets[0].sbom.signature, /^invalid: /);
  // an unpacked droplet directory is read the same way (and verified in place)
  const unpacked = await cli(['scan', 'a/tree', '--db', db, '--key', 'pub.pem', '--json'], root);
  assert.equal(JSON.parse(unpacked.out).targets[0].sbom, { source: 'droplet-sbom', signature: 'verified' });
  const files = await cli(['scan', 'a.cdx.json', 'a.spdx.json', '--db', db, '--json'], root);
  const t = JSON.parse(files.out).targets;
  assert.equal(
    t.map((x: { sbom: { source: string } }) => x.sbom.source),
    ['file', 'file'],
  );
  assert.equal(
    t[0].findings.map((f: { id: string; purl: string }) => f.id + f.purl),
    t[1].findings.map((f: { id: string; purl: string }) => f.id + f.purl),
  );
  assert.ok(t[0].findings.length >= 4);
});

test('scan draws a progress bar on a terminal when there are many targets, never on a pipe', async () => {
  if (!needCorpus()) return;
  mkdirSync(join(root, 'many'));
  for (const n of ['a', 'b', 'c', 'd']) cpSync(join(root, 'a.cdx.json'), join(root, 'many', `${n}.cdx.json`));
  const tty = await cli(['scan', 'many', '--db', db], root, true);
  assert.match(tty.err, /\r\[#+\.*\] 4\/4 /);
  const pipe = await cli(['scan', 'many', '--db', db], root, false);
  assert.not.match(pipe.err, /\r\[/);
  assert.is(pipe.out.split('\n').filter((l) => l.startsWith('many/')).length, 4);
});

test('scan --sarif is SARIF 2.1.0 with one rule per advisory', async () => {
  if (!needCorpus()) return;
  const r = await cli(['scan', 'fleet/unsigned.tgz', '--db', db, '--sarif'], root);
  const s = JSON.parse(r.out);
  assert.is(s.version, '2.1.0');
  const run = s.runs[0];
  assert.is(run.tool.driver.name, 'bpx');
  const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.equal(ruleIds, [...ruleIds].sort());
  for (const res of run.results) {
    assert.is(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.is(res.locations[0].physicalLocation.artifactLocation.uri, 'fleet/unsigned.tgz');
  }
  assert.ok(run.results.some((x: { ruleId: string }) => x.ruleId === 'GHSA-hrpp-h998-j3pp'));
});

test('scan: usage errors and unreadable targets', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'junk.tgz'), 'not gzip');
    mkdirSync(join(dir, 'db'));
    if (haveCorpus) cpSync(join(db, 'npm', 'GHSA-xvch-5gv4-984h.json'), join(dir, 'db', 'GHSA-xvch-5gv4-984h.json'));
    assert.is((await cli(['scan', 'x.tgz'], dir)).code, 2);
    assert.is((await cli(['scan', 'x.tgz', '--db', 'db', '--fail-on', 'severe'], dir)).code, 2);
    const r = await cli(['scan', 'junk.tgz', 'missing.tgz', '--db', haveCorpus ? 'db' : dir, '--allow-empty-db'], dir);
    assert.is(r.code, 2);
    assert.match(r.err, /junk.tgz: .*not a readable droplet/);
    assert.match(r.err, /missing.tgz: no such file or directory/);
    assert.not.match(r.err, /internal error|\n\s+at /);
    const nodb = await cli(['scan', 'junk.tgz', '--db', 'nope'], dir);
    assert.is(nodb.code, 2);
    assert.match(nodb.err, /no such OSV database/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('query --package with a range; --buildpack by key or config.yml name with a range; table and --json', async () => {
  if (!needCorpus()) return;
  const q = await cli(['query', 'fleet', '--package', 'pkg:npm/qs', '--range', '<6.2.4', '--json'], root);
  assert.is(q.code, 0, q.err);
  assert.equal(JSON.parse(q.out).matches, [{ target: 'fleet/unsigned.tgz', purl: 'pkg:npm/qs@2.3.3', version: '2.3.3' }]);
  const all = await cli(['query', 'fleet', '--package', 'pkg:npm/qs', '--json'], root);
  assert.ok(JSON.parse(all.out).matches.length >= 4);
  const bp = await cli(['query', 'fleet', '--buildpack', 'nodejs_buildpack', '--range', '<1.9.4', '--json'], root);
  // bare.tgz has no SBOM (so no key): only its config.yml name
  assert.equal(JSON.parse(bp.out).matches, [{ target: 'fleet/signed.tgz', buildpack: 'nodejs (nodejs_buildpack)', version: '1.9.3' }]);
  const byName = await cli(['query', 'fleet', '--buildpack', 'nodejs', '--range', '<1.9.4'], root);
  assert.match(byName.out, /^TARGET\s+BUILDPACK\s+VERSION\n/);
  assert.match(byName.out, /fleet\/bare.tgz\s+nodejs\s+1.8.0/);
  assert.match(byName.out, /fleet\/signed.tgz\s+nodejs \(nodejs_buildpack\)\s+1.9.3/);
  assert.not.match(byName.out, /unsigned/);
  const bad = await cli(['query', 'fleet', '--package', 'pkg:npm/qs', '--range', 'whatever'], root);
  assert.is(bad.code, 2);
  assert.match(bad.err, /--range whatever: not an npm semver range/);
  assert.is((await cli(['query', 'fleet'], root)).code, 2);
});

test.run();
