// bpx scan and bpx query fail closed: a forged or unsigned SBOM, a folder of apps, an empty or wrong database,
// unreadable targets in --json/--sarif. Real droplets staged with bpx's SBOM writer and signer; real OSV records.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { corpus, haveCorpus, osvDir, repoRoot, needCorpus } from '../corpus.ts';
import { cli, dropletTree, keys, stagedDroplet, tempDir } from './helpers.ts';
import { writeDroplet } from '../../../src/droplet/write.ts';
import { captureDir } from '../../../src/catalog/index.ts';
import { stageSbom } from '../../../src/sbom/stage.ts';
import { createLocalSigner } from '../../../src/sbom/sign/keys.ts';

const firebase = join(corpus, 'lockfiles', 'npm', 'firebase-firebase-tools', 'shrinkwrap-v2');
const buildpackApp = join(corpus, 'lockfiles', 'npm', 'cloudfoundry-nodejs-buildpack', 'shrinkwrap-pre-lockfileVersion');
const db = osvDir;
const bp = (version: string) => ({ name: 'nodejs', version, key: 'nodejs_buildpack' });
let root = '';

const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'scan-report.schema.json'), 'utf8'));
const validReport = new Ajv2020({ strict: true }).compile(schema);

test.before(async () => {
  if (!needCorpus()) return;
  root = tempDir('bpx-fail-closed-');
  const kp = keys();
  writeFileSync(join(root, 'pub.pem'), kp.publicPem);

  // signed, then its SBOM edited: every component removed (CycloneDX and SPDX alike), re-packed
  const forged = await stagedDroplet(join(root, 'forged'), firebase, bp('1.9.3'), kp.privatePem);
  for (const f of ['sbom.cdx.json', 'sbom.spdx.json']) {
    const p = join(forged.dir, 'app', '.bpx', f);
    const doc = JSON.parse(readFileSync(p, 'utf8'));
    if (doc.components) doc.components = doc.components.filter((c: { purl?: string }) => !c.purl);
    if (doc.packages) doc.packages = doc.packages.filter((x: { externalRefs?: unknown[] }) => !x.externalRefs?.length);
    writeFileSync(p, JSON.stringify(doc));
  }
  await writeDroplet(forged.dir, join(root, 'forged-sbom.tgz'));

  // signed, then an app file changed after signing (the SBOM itself untouched)
  const changed = await stagedDroplet(join(root, 'changed'), firebase, bp('1.9.3'), kp.privatePem);
  writeFileSync(join(changed.dir, 'app', 'server.js'), 'require("minimist")\n');
  await writeDroplet(changed.dir, join(root, 'changed-app.tgz'));

  // signed by a buildpack that was not last (deps/0/bpx), then an unsigned SBOM without the vulnerable components
  // dropped into app/.bpx: bpx's own folder is outside the signed app/ digest, so the droplet still verifies
  const side = dropletTree(join(root, 'side'), firebase, bp('1.9.3'));
  await stageSbom({
    capture: await captureDir(join(side, 'app')),
    phase: 'supply',
    buildDir: join(side, 'app'),
    depsDir: join(side, 'deps'),
    depsIdx: '0',
    env: {},
    known: [{ index: '0', key: 'nodejs_buildpack' }],
    formats: ['cyclonedx', 'spdx'],
    signer: createLocalSigner(kp.privatePem),
  });
  const signedDoc = JSON.parse(readFileSync(join(side, 'deps', '0', 'bpx', 'sbom.cdx.json'), 'utf8'));
  mkdirSync(join(side, 'app', '.bpx'));
  writeFileSync(
    join(side, 'app', '.bpx', 'sbom.cdx.json'),
    JSON.stringify({ ...signedDoc, components: signedDoc.components.filter((c: { purl?: string }) => !c.purl) }),
  );
  await writeDroplet(side, join(root, 'planted-sbom.tgz'));

  const intact = await stagedDroplet(join(root, 'intact'), firebase, bp('1.9.3'), kp.privatePem);
  cpSync(intact.tgz, join(root, 'intact.tgz'));
  const unsigned = await stagedDroplet(join(root, 'unsigned'), buildpackApp, bp('1.9.4'));
  cpSync(unsigned.tgz, join(root, 'unsigned.tgz'));

  // a folder of apps, one level down each: tarballs, an unpacked droplet, an SBOM file, and an app with nothing in it
  for (const a of ['app1', 'app2', 'app3', 'app4', 'app5']) mkdirSync(join(root, 'fleet', a), { recursive: true });
  cpSync(intact.tgz, join(root, 'fleet', 'app1', 'droplet.tgz'));
  cpSync(unsigned.tgz, join(root, 'fleet', 'app2', 'droplet.tgz'));
  cpSync(unsigned.dir, join(root, 'fleet', 'app3', 'unpacked'), { recursive: true });
  cpSync(join(intact.dir, 'app', '.bpx', 'sbom.cdx.json'), join(root, 'fleet', 'app4', 'sbom.cdx.json'));
  writeFileSync(join(root, 'fleet', 'app5', 'README.md'), '# nothing to scan here\n');
  mkdirSync(join(root, 'nothing'));
  writeFileSync(join(root, 'nothing', 'index.html'), '<p>hi</p>\n');
});

test.after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

type Target = {
  target: string;
  sbom?: { source: string; signature: string };
  findings: { id: string; name: string; version: string }[];
  problems: { kind: string; message: string }[];
  error?: string;
};
const json = (out: string): Target[] => JSON.parse(out).targets;

test('--key: a droplet whose signed SBOM was edited is not trusted: its content is captured, the target fails with a signature problem', async () => {
  if (!needCorpus()) return;
  const r = await cli(['scan', 'forged-sbom.tgz', '--db', db, '--key', 'pub.pem', '--fail-on', 'high'], root);
  assert.is(r.code, 1, r.out + r.err);
  assert.match(r.out, /signature: invalid: /);
  assert.match(r.out, /captured/);
  // the components the forger removed are found again in the droplet's content
  assert.match(r.out, /critical\s+GHSA-xvch-5gv4-984h\s+minimist@1.2.5/);
  assert.not.match(r.out, /no known vulnerabilities/);

  const j = await cli(['scan', 'forged-sbom.tgz', '--db', db, '--key', 'pub.pem', '--json'], root);
  assert.is(j.code, 1, j.err);
  const t = json(j.out)[0]!;
  assert.ok(validReport(JSON.parse(j.out)), JSON.stringify(validReport.errors));
  assert.is(t.sbom!.source, 'captured');
  assert.match(t.sbom!.signature, /^invalid: .*tampered/);
  assert.equal(
    t.problems.map((p) => p.kind),
    ['signature'],
  );
  assert.ok(t.findings.some((f) => f.id === 'GHSA-xvch-5gv4-984h'));

  const s = await cli(['scan', 'forged-sbom.tgz', '--db', db, '--key', 'pub.pem', '--sarif'], root);
  assert.is(s.code, 1);
  const inv = JSON.parse(s.out).runs[0].invocations[0];
  assert.is(inv.executionSuccessful, false);
  assert.ok(
    inv.toolExecutionNotifications.some(
      (n: { descriptor: { id: string }; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        n.descriptor.id === 'signature' &&
        n.level === 'error' &&
        n.locations[0]!.physicalLocation.artifactLocation.uri === 'forged-sbom.tgz',
    ),
  );
});

test('--key: a droplet whose app files changed after signing fails the same way; an intact one passes its signature', async () => {
  if (!needCorpus()) return;
  const r = await cli(['scan', 'changed-app.tgz', '--db', db, '--key', 'pub.pem', '--json'], root);
  assert.is(r.code, 1, r.err);
  const t = json(r.out)[0]!;
  assert.is(t.sbom!.source, 'captured');
  assert.match(t.sbom!.signature, /^invalid: .*app\/ differs/);
  assert.equal(
    t.problems.map((p) => p.kind),
    ['signature'],
  );
  const ok = await cli(['scan', 'intact.tgz', '--db', db, '--key', 'pub.pem', '--json'], root);
  assert.is(ok.code, 0, ok.err);
  assert.equal(json(ok.out)[0]!.sbom, { source: 'droplet-sbom', signature: 'verified' });
  assert.equal(json(ok.out)[0]!.problems, []);
});

test('--key: a verified droplet is read from the SBOM its signature covers, never from an unsigned one planted beside it', async () => {
  if (!needCorpus()) return;
  const v = await cli(['verify', 'planted-sbom.tgz', '--key', 'pub.pem'], root);
  assert.is(v.code, 0, v.out + v.err);
  const r = await cli(['scan', 'planted-sbom.tgz', '--db', db, '--key', 'pub.pem', '--json', '--fail-on', 'critical'], root);
  assert.is(r.code, 1, r.err);
  const t = json(r.out)[0]!;
  assert.equal(t.sbom, { source: 'droplet-sbom', signature: 'verified' });
  assert.ok(
    t.findings.some((f) => f.id === 'GHSA-xvch-5gv4-984h'),
    JSON.stringify(t.findings.map((f) => f.id)),
  );
});

test('--require-signature: an unsigned droplet fails (its content captured, not its unsigned SBOM); without it, it passes', async () => {
  if (!needCorpus()) return;
  const req = await cli(['scan', 'unsigned.tgz', '--db', db, '--key', 'pub.pem', '--require-signature', '--json'], root);
  assert.is(req.code, 1, req.err);
  const t = json(req.out)[0]!;
  assert.equal(t.sbom, { source: 'captured', signature: 'missing' });
  assert.equal(
    t.problems.map((p) => p.kind),
    ['signature'],
  );
  assert.ok(t.findings.some((f) => f.id === 'GHSA-hrpp-h998-j3pp' && f.version === '2.3.3'));
  const plain = await cli(['scan', 'unsigned.tgz', '--db', db, '--key', 'pub.pem', '--json'], root);
  assert.is(plain.code, 0, plain.err);
  assert.equal(json(plain.out)[0]!.problems, []);
  // an SBOM file carries no droplet signature to check
  const file = await cli(['scan', 'fleet/app4/sbom.cdx.json', '--db', db, '--key', 'pub.pem', '--require-signature'], root);
  assert.is(file.code, 1, file.out + file.err);
  // --require-signature needs a key to check with
  const nokey = await cli(['scan', 'unsigned.tgz', '--db', db, '--require-signature'], root);
  assert.is(nokey.code, 2);
  assert.match(nokey.err, /--require-signature needs --key/);
});

test('a folder of apps: droplets, unpacked droplets and SBOM files are found recursively, one target each', async () => {
  if (!needCorpus()) return;
  const r = await cli(['scan', 'fleet', '--db', db, '--json'], root);
  assert.is(r.code, 0, r.err);
  const ts = json(r.out);
  assert.ok(validReport(JSON.parse(r.out)), JSON.stringify(validReport.errors));
  assert.equal(
    ts.map((t) => t.target),
    ['fleet/app1/droplet.tgz', 'fleet/app2/droplet.tgz', 'fleet/app3/unpacked', 'fleet/app4/sbom.cdx.json'],
  );
  assert.equal(
    ts.map((t) => t.sbom!.source),
    ['droplet-sbom', 'droplet-sbom', 'droplet-sbom', 'file'],
  );
  for (const t of ts) assert.ok(t.findings.length > 0, t.target);
  // the app folder without a droplet is said, not silently passed over
  assert.match(r.err, /warning: fleet\/app5: no droplet, unpacked droplet or SBOM file in it: not scanned/);
  const q = await cli(['query', 'fleet', '--package', 'pkg:npm/qs', '--range', '<6.2.4', '--json'], root);
  assert.is(q.code, 0, q.err);
  assert.match(q.err, /fleet\/app5: .*not looked into/);
  assert.equal(
    JSON.parse(q.out).matches.map((m: { target: string }) => m.target),
    ['fleet/app2/droplet.tgz', 'fleet/app3/unpacked'],
  );
});

test('a directory with no droplet, no SBOM and no package is said and fails the target (scan and query)', async () => {
  if (!needCorpus()) return;
  const r = await cli(['scan', 'nothing', '--db', db], root);
  assert.is(r.code, 1, r.out + r.err);
  assert.not.match(r.out, /no known vulnerabilities/);
  assert.match(r.out + r.err, /nothing: no droplet, SBOM or package found/);
  const j = await cli(['scan', 'nothing', 'fleet/app1/droplet.tgz', '--db', db, '--json'], root);
  assert.is(j.code, 1);
  assert.equal(
    json(j.out).map((t) => [t.target, t.problems.map((p) => p.kind)]),
    [
      ['nothing', ['empty']],
      ['fleet/app1/droplet.tgz', []],
    ],
  );
  const q = await cli(['query', 'nothing', '--package', 'pkg:npm/qs'], root);
  assert.is(q.code, 2);
  assert.match(q.err, /nothing: no droplet, SBOM or package found/);
});

test('an empty database, or one with no record for the scanned ecosystems, is an error unless --allow-empty-db', async () => {
  if (!needCorpus()) return;
  mkdirSync(join(root, 'emptydb'), { recursive: true });
  const empty = await cli(['scan', 'intact.tgz', '--db', 'emptydb', '--fail-on', 'low'], root);
  assert.is(empty.code, 2, empty.out + empty.err);
  assert.match(empty.err, /0 advisories/);
  assert.not.match(empty.out, /no known vulnerabilities/);
  // only PyPI advisories (the osv.dev layout <Ecosystem>/all.zip's parent holding JSON instead): nothing for npm
  mkdirSync(join(root, 'pypidb', 'PyPI'), { recursive: true });
  cpSync(join(osvDir, 'PyPI'), join(root, 'pypidb', 'PyPI'), { recursive: true });
  const wrong = await cli(['scan', 'intact.tgz', '--db', 'pypidb', '--fail-on', 'low'], root);
  assert.is(wrong.code, 2, wrong.out + wrong.err);
  assert.match(wrong.err, /no advisories for npm/);
  const allowed = await cli(['scan', 'intact.tgz', '--db', 'pypidb', '--allow-empty-db'], root);
  assert.is(allowed.code, 0, allowed.err);
  assert.match(allowed.out, /not checked/);
  assert.not.match(allowed.out, /no known vulnerabilities/);
  const allowedEmpty = await cli(['scan', 'intact.tgz', '--db', 'emptydb', '--allow-empty-db', '--json'], root);
  assert.is(allowedEmpty.code, 0, allowedEmpty.err);
  assert.match(allowedEmpty.err, /warning: 0 advisories/);
});

test('--json and --sarif keep unreadable targets, with an error field and a tool execution notification', async () => {
  if (!needCorpus()) return;
  writeFileSync(join(root, 'junk.tgz'), 'not gzip');
  const j = await cli(['scan', 'junk.tgz', 'intact.tgz', '--db', db, '--json'], root);
  assert.is(j.code, 2);
  const ts = json(j.out);
  assert.ok(validReport(JSON.parse(j.out)), JSON.stringify(validReport.errors));
  assert.equal(
    ts.map((t) => t.target),
    ['junk.tgz', 'intact.tgz'],
  );
  assert.match(ts[0]!.error!, /not a readable droplet/);
  assert.is(ts[0]!.sbom, undefined);
  const s = await cli(['scan', 'junk.tgz', 'intact.tgz', '--db', db, '--sarif'], root);
  assert.is(s.code, 2);
  const inv = JSON.parse(s.out).runs[0].invocations[0];
  assert.is(inv.executionSuccessful, false);
  const n = inv.toolExecutionNotifications.find((x: { descriptor: { id: string } }) => x.descriptor.id === 'unreadable');
  assert.ok(n);
  assert.is(n.locations[0].physicalLocation.artifactLocation.uri, 'junk.tgz');
  assert.match(n.message.text, /not a readable droplet/);
});

test('SARIF helpUri only for ids osv.dev knows; a private advisory fires and has none', async () => {
  if (!needCorpus()) return;
  const dir = join(root, 'privdb');
  mkdirSync(dir, { recursive: true });
  const real = JSON.parse(readFileSync(join(osvDir, 'npm', 'GHSA-xvch-5gv4-984h.json'), 'utf8'));
  cpSync(join(osvDir, 'npm', 'GHSA-xvch-5gv4-984h.json'), join(dir, 'GHSA-xvch-5gv4-984h.json'));
  // an in-house advisory: the real record under a private id without aliases
  writeFileSync(
    join(dir, 'ACME-2026-0001.json'),
    JSON.stringify({ ...real, id: 'ACME-2026-0001', aliases: [], summary: 'in-house: minimist in our build' }),
  );
  const s = await cli(['scan', 'intact.tgz', '--db', 'privdb', '--sarif', '--fail-on', 'critical'], root);
  assert.is(s.code, 1, s.err);
  const rules = JSON.parse(s.out).runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
  assert.equal(
    rules.map((r) => [r.id, r.helpUri]),
    [
      ['ACME-2026-0001', undefined],
      ['GHSA-xvch-5gv4-984h', 'https://osv.dev/vulnerability/GHSA-xvch-5gv4-984h'],
    ],
  );
  // the convention problem is a short note, not a 600-character regex
  assert.match(s.err, /id 'ACME-2026-0001' has no registered prefix; private databases use x_/);
  assert.ok(
    s.err.split('\n').every((l) => l.length < 300),
    s.err,
  );
});

test('--list-skipped names every record that cannot be matched; by default each is named up to a bound', async () => {
  if (!needCorpus()) return;
  const dir = join(root, 'skipdb');
  mkdirSync(dir, { recursive: true });
  cpSync(join(osvDir, 'npm', 'GHSA-xvch-5gv4-984h.json'), join(dir, 'GHSA-xvch-5gv4-984h.json'));
  const real = JSON.parse(readFileSync(join(osvDir, 'npm', 'GHSA-hrpp-h998-j3pp.json'), 'utf8'));
  for (let i = 0; i < 14; i++)
    writeFileSync(
      join(dir, `nopkg-${String(i).padStart(2, '0')}.json`),
      JSON.stringify({ ...real, id: `x_NOPKG-${i}`, affected: [{ ranges: real.affected[0].ranges }] }),
    );
  const r = await cli(['scan', 'intact.tgz', '--db', 'skipdb'], root);
  assert.match(r.err, /14 database records skipped/);
  assert.match(r.err, /nopkg-00.json/);
  assert.match(r.err, /--list-skipped/);
  assert.not.match(r.err, /nopkg-13.json/);
  const all = await cli(['scan', 'intact.tgz', '--db', 'skipdb', '--list-skipped'], root);
  for (let i = 0; i < 14; i++) assert.match(all.err, new RegExp(`nopkg-${String(i).padStart(2, '0')}.json.*x_NOPKG-${i}`));
});

test.run();
