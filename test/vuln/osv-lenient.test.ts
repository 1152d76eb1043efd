// Records that break an OSV registry convention still match: private ids, one bad range among good ones.
// Only records that cannot be matched at all are skipped, each named; a version no scheme parses matches nothing.
// The records are real corpus files read in place, each changed in memory in the one way the case needs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { buildDb, checkComponents, loadOsvDb, matchComponents } from '../../src/vuln/osv/index.ts';
import { makeComponent } from '../../src/model/index.ts';
import { packageQuery, queryPackage } from '../../src/vuln/scan/query.ts';
import { isPublicId, REGISTERED_PREFIXES } from '../../src/vuln/osv/names.ts';
import { deepFreeze, haveCorpus, osvDir, repoRoot, needCorpus } from './corpus.ts';

const read = (rel: string) => JSON.parse(readFileSync(join(osvDir, rel), 'utf8'));
const loc = { path: 'package-lock.json', source: 'lockfile' } as const;
const npm = (name: string, version: string) => makeComponent({ ecosystem: 'npm', name, version, location: loc });
const pypi = (name: string, version: string) =>
  makeComponent({ ecosystem: 'pypi', name, version, location: { path: 'requirements.txt', source: 'manifest' } });

function withDir<T>(files: Record<string, unknown>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bpx-osv-lenient-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), typeof data === 'string' ? data : JSON.stringify(data));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a private id (no registered prefix) loads and fires; the note is one short line', async () => {
  if (!needCorpus()) return;
  const ghsa = read('npm/GHSA-xvch-5gv4-984h.json');
  const acme = { ...ghsa, id: 'ACME-2026-0001', aliases: [] };
  await withDir({ 'ACME-2026-0001.json': acme }, async (dir) => {
    const db = await loadOsvDb(dir);
    assert.equal([...db.records.keys()], ['ACME-2026-0001']);
    assert.equal(db.skipped, []);
    assert.equal(
      db.notes.map((n) => `${n.path}: ${n.message}`),
      ["ACME-2026-0001.json: OSV record ACME-2026-0001: id 'ACME-2026-0001' has no registered prefix; private databases use x_"],
    );
    const f = matchComponents([npm('minimist', '1.2.5')], db);
    assert.equal(
      f.map((x) => `${x.id} ${x.severity} ${x.fixed.join(',')}`),
      ['ACME-2026-0001 critical 1.2.6'],
    );
  });
});

test('an unknown ecosystem suffix or new fields are notes; a record with one bad GIT range still matches through its ECOSYSTEM range', async () => {
  if (!needCorpus()) return;
  const flask = read('osv-dev-export/PyPI/PYSEC-2023-62.json');
  // the GIT range's first fixed commit shortened to 7 hex digits: the schema wants full hashes
  const affected = flask.affected.map((a: { ranges: { type: string; events: Record<string, string>[] }[] }) => ({
    ...a,
    ranges: a.ranges.map((r) =>
      r.type === 'GIT' ? { ...r, events: r.events.map((e) => (e.fixed ? { fixed: e.fixed.slice(0, 7) } : e)) } : r,
    ),
    versions: [],
  }));
  const short = deepFreeze({ ...flask, affected });
  const db = buildDb('mem', [{ path: 'PYSEC-2023-62.json', data: short }]);
  assert.ok(db.records.has('PYSEC-2023-62'));
  assert.equal(db.skipped, []);
  assert.ok(
    db.notes.some((n) => /affected\[0\]\.ranges\[0\]: GIT range commit '70f906c' is not a full hash/.test(n.message)),
    JSON.stringify(db.notes),
  );
  const found = matchComponents([pypi('Flask', '2.2.4'), pypi('flask', '2.2.5')], db);
  assert.equal(
    found.map((x) => `${x.id} ${x.version} ${x.fixed.join(',')}`),
    ['PYSEC-2023-62 2.2.4 2.2.5'],
  );
});

test('only records that cannot be matched are skipped, each named with its id and a short reason', async () => {
  if (!needCorpus()) return;
  const qs = read('npm/GHSA-hrpp-h998-j3pp.json');
  await withDir(
    {
      'ok.json': read('npm/GHSA-xvch-5gv4-984h.json'),
      'nopackage.json': { ...qs, id: 'x_NOPKG-1', affected: [{ ranges: qs.affected[0].ranges }] },
      'noid.json': { ...qs, id: undefined },
      'list.json': [qs],
      'badevents.json': {
        ...qs,
        id: 'x_BADEVENTS-1',
        affected: [{ package: qs.affected[0].package, ranges: [{ type: 'ECOSYSTEM', events: 'introduced 0' }] }],
      },
      // the linter's own broken record: GIT ranges only, no introduced event
      'nointroduced.json': read('invalid/nointroduced-CVE-2023-41045.json'),
    },
    async (dir) => {
      const db = await loadOsvDb(dir);
      assert.equal([...db.records.keys()], ['GHSA-xvch-5gv4-984h']);
      const skipped = db.skipped.map((i) => `${i.path}: ${i.message}`).sort();
      assert.is(skipped.length, 5, skipped.join('\n'));
      assert.match(skipped[0]!, /^badevents.json: OSV record x_BADEVENTS-1 skipped: .*affected\[0\]\.ranges\[0\]/);
      assert.match(skipped[1]!, /^list.json: .*skipped: not an OSV record/);
      assert.match(skipped[2]!, /^noid.json: .*skipped: no id/);
      assert.match(skipped[3]!, /^nointroduced.json: OSV record CVE-2023-41045 skipped: /);
      assert.match(skipped[4]!, /^nopackage.json: OSV record x_NOPKG-1 skipped: .*no package/);
      for (const s of skipped) assert.ok(s.length < 250, s);
    },
  );
});

test('a version no scheme can parse matches nothing and is reported, in components and in advisories', async () => {
  if (!needCorpus()) return;
  const ghsa = read('npm/GHSA-xvch-5gv4-984h.json');
  const db = buildDb('mem', [{ path: 'GHSA-xvch-5gv4-984h.json', data: ghsa }]);
  const r = checkComponents([npm('minimist', 'banana'), npm('minimist', '1.2.5'), npm('left-pad', '')], db);
  assert.equal(
    r.findings.map((f) => f.version),
    ['1.2.5'],
  );
  assert.equal(
    r.unchecked.map((u) => `${u.name}@${u.version}: ${u.reason}`),
    ['left-pad@: no version', "minimist@banana: version 'banana' is not a semver version"],
  );
  // an advisory range with a version no scheme parses: the range is ignored (noted), the record's other ranges match
  const bad = {
    ...ghsa,
    id: 'x_BANANA-1',
    aliases: [],
    affected: [
      { ...ghsa.affected[0], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'banana' }, { fixed: '1.2.6' }] }] },
      ghsa.affected[1],
    ],
  };
  const db2 = buildDb('mem', [{ path: 'bad.json', data: bad }]);
  assert.ok(
    db2.notes.some((n) => /affected\[0\]\.ranges\[0\]: 'banana' is not a semver version; range ignored/.test(n.message)),
    JSON.stringify(db2.notes),
  );
  assert.equal(matchComponents([npm('minimist', '1.2.5')], db2), []);
  assert.equal(
    matchComponents([npm('minimist', '0.2.3')], db2).map((f) => f.id),
    ['x_BANANA-1'],
  );
  // bpx query: such a version is in no range, but is listed when every version is asked for
  const t = {
    target: 't',
    source: 'file' as const,
    signature: 'not-checked',
    components: [npm('minimist', 'banana'), npm('minimist', '1.2.5')],
    buildpacks: [],
    issues: [],
    problems: [],
    notes: [],
  };
  assert.equal(
    queryPackage(t, packageQuery('pkg:npm/minimist', '<2.0.0')).map((m) => ('purl' in m ? m.version : '')),
    ['1.2.5'],
  );
  assert.equal(
    queryPackage(t, packageQuery('pkg:npm/minimist', undefined))
      .map((m) => ('purl' in m ? m.version : ''))
      .sort(),
    ['1.2.5', 'banana'],
  );
});

test("the whole corpus loads with no record skipped but the linter's broken one, and YAML records the same way", async () => {
  if (!needCorpus()) return;
  const db = await loadOsvDb(osvDir);
  const skipped = db.skipped.map((i) => i.path).sort();
  assert.equal(skipped, ['invalid/nointroduced-CVE-2023-41045.json', 'schema/ecosystems.json', 'schema/schema.json']);
  const y = YAML.parse(readFileSync(join(osvDir, 'PyPI-yaml', 'PYSEC-2019-16.yaml'), 'utf8'), { schema: 'core', version: '1.2' });
  const again = buildDb('mem', [{ path: 'PYSEC-2019-16.yaml', data: { ...y, id: 'ACME-2019-16' } }]);
  assert.ok(again.records.has('ACME-2019-16'));
});

test("the public id prefixes are the OSV schema's registered ones (update names.ts with the schema); x_ and private ids are not public", () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'osv.schema.json'), 'utf8'));
  const pattern: string = schema.$defs.prefix.pattern;
  // "^(x_|(ASB-A|PUB-A|...)-)"
  const m = /^\^\(x_\|\((.*)\)-\)$/.exec(pattern);
  assert.ok(m, pattern);
  assert.equal([...REGISTERED_PREFIXES], m![1]!.split('|'));
  assert.ok(isPublicId('GHSA-xvch-5gv4-984h'));
  assert.ok(isPublicId('SUSE-SU-2024:1234-1'));
  assert.not.ok(isPublicId('x_TEST-1'));
  assert.not.ok(isPublicId('ACME-2026-0001'));
  assert.not.ok(isPublicId('GHSAX-1'));
});

test.run();
