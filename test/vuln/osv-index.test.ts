// The prebuilt OSV index (src/vuln/osv/db-index.ts) and `bpx db build`: the same database as the full load, fresh and
// stale by the identity of its source files, a damaged index an error and never "no known vulnerabilities", and scan's
// fail-closed rules unchanged when it reads one. The real corpus records.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { needCorpus, osvDir } from './corpus.ts';
import { cli } from '../cli/helpers.ts';
import { CorruptIndex, INDEX_NAME, buildIndex, openOsvDb } from '../../src/vuln/osv/db-index.ts';
import { type OsvDb, loadOsvDb, matchComponents } from '../../src/vuln/osv/index.ts';
import { makeComponent } from '../../src/model/index.ts';

let root = '';
let db = '';

test.before(() => {
  if (!needCorpus()) return;
  root = mkdtempSync(join(tmpdir(), 'bpx-osv-index-'));
  db = join(root, 'osv');
  cpSync(osvDir, db, { recursive: true });
  // one SBOM with a vulnerable npm package (minimist 1.2.5: GHSA-xvch-5gv4-984h, critical)
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    components: [
      { type: 'library', 'bom-ref': 'a', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' },
      { type: 'library', 'bom-ref': 'b', name: 'django', version: '1.9.6', purl: 'pkg:pypi/django@1.9.6' },
    ],
  };
  writeFileSync(join(root, 'app.cdx.json'), JSON.stringify(sbom));
});

test.after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Everything a scan reads of a database, as one string. */
function dump(d: OsvDb): string {
  return JSON.stringify({
    index: [...d.index].map(([k, v]) => [k, v.map((e) => [e.record, e.affected, e.scheme.id])]),
    records: [...d.records],
    size: d.records.size,
    skipped: d.skipped,
    notes: d.notes,
    ecosystems: [...d.ecosystems],
    skippedEcosystems: d.skippedEcosystems,
    withdrawn: d.withdrawn,
    duplicates: d.duplicates,
    newest: d.newest,
  });
}

async function build(sources: string[], out: string): Promise<void> {
  writeFileSync(out, (await buildIndex(sources, out)).bytes);
}

test('a fresh index gives exactly the database the full load gives, records re-read in full', async () => {
  if (!needCorpus()) return;
  await build([db], join(db, INDEX_NAME));
  const slow = await loadOsvDb(db);
  const opened = await openOsvDb(db);
  assert.equal(opened.index, { file: join(db, INDEX_NAME), used: true });
  assert.is(dump(opened.db), dump(slow));
  // an index file given as the database reads the same
  const direct = await openOsvDb(join(db, INDEX_NAME));
  assert.ok(direct.index?.used);
  assert.equal(direct.db.records.get('GHSA-xvch-5gv4-984h'), slow.records.get('GHSA-xvch-5gv4-984h'));
  const c = makeComponent({ ecosystem: 'npm', name: 'minimist', version: '1.2.5', location: { path: 'x', source: 'lockfile' } });
  assert.equal(matchComponents([c], direct.db), matchComponents([c], slow));
  assert.ok(matchComponents([c], direct.db).some((f) => f.id === 'GHSA-xvch-5gv4-984h'));
  // each key looked up alone (the binary search, on a fresh instance: nothing cached by an iteration)
  const fresh = (await openOsvDb(db)).db;
  // as dump() compares them (a field left undefined is no field)
  const entriesOf = (d: OsvDb, k: string) => JSON.stringify(d.index.get(k)?.map((e) => [e.record, e.affected, e.scheme.id]));
  for (const k of slow.index.keys()) assert.is(entriesOf(fresh, k), entriesOf(slow, k), k);
  for (const k of ['npm\u0000', 'npm\u0000minimis', 'npm\u0000minimistz', '', 'zzz\u0000a']) {
    assert.is(fresh.index.get(k), undefined, k);
    assert.is(fresh.index.has(k), false, k);
  }
  assert.is(fresh.index.size, slow.index.size);
});

test('keys are found whatever their bytes (non-ASCII names, prefixes of each other); an index of another format is stale', async () => {
  const base = mkdtempSync(join(tmpdir(), 'bpx-osv-keys-'));
  const dir = join(base, 'keys');
  mkdirSync(dir);
  try {
    await keysAndFormat(dir);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

async function keysAndFormat(dir: string): Promise<void> {
  const names = ['a', 'ab', 'a-b', 'été', 'zz', 'Ω-pkg', 'a\u00e9', 'b'];
  names.forEach((name, i) =>
    writeFileSync(
      join(dir, `TEST-${i}.json`),
      JSON.stringify({
        schema_version: '1.6.0',
        id: `TEST-${i}`,
        modified: '2026-01-02T03:04:05Z',
        affected: [
          { package: { ecosystem: 'npm', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] },
        ],
      }),
    ),
  );
  const index = join(dir, INDEX_NAME);
  await build([dir], index);
  const slow = await loadOsvDb(dir);
  const fast = await openOsvDb(dir);
  assert.ok(fast.index?.used);
  assert.is(dump(fast.db), dump(slow));
  for (const name of names) {
    const d = (await openOsvDb(dir)).db;
    const c = makeComponent({ ecosystem: 'npm', name, version: '1.0.0', location: { path: 'x', source: 'lockfile' } });
    assert.equal(matchComponents([c], d), matchComponents([c], slow), name);
    assert.is(matchComponents([c], d).length, 1, name);
  }
  // the same index written in format 1 (its magic line): passed over for the records, the reason given; given as a
  // file, its sources are loaded
  const bytes = readFileSync(index);
  bytes.write('bpx-osv-index 1\n', 0, 'latin1');
  writeFileSync(index, bytes);
  const old = await openOsvDb(dir);
  assert.equal(old.index, { file: index, used: false, why: 'index format 1, this bpx reads format 3' });
  assert.is(dump(old.db), dump(slow));
  const given = await openOsvDb(index);
  assert.is(given.index?.used, false);
  assert.is(dump(given.db), dump(slow));
}

test('stale: a source file changed, added or removed, or another folder; the full load is used and the reason given', async () => {
  if (!needCorpus()) return;
  const dir = join(root, 'stale');
  cpSync(db, dir, { recursive: true });
  const index = join(dir, INDEX_NAME);
  await build([dir], index);
  assert.ok((await openOsvDb(dir)).index?.used);
  // a newer modification time
  const file = join(dir, 'npm', 'GHSA-xvch-5gv4-984h.json');
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  let o = await openOsvDb(dir);
  assert.is(o.index?.used, false);
  assert.match(o.index!.why!, /GHSA-xvch-5gv4-984h\.json changed/);
  assert.is(dump(o.db), dump(await loadOsvDb(dir)));
  // a record added
  await build([dir], index);
  writeFileSync(join(dir, 'npm', 'EXTRA-1.json'), readFileSync(file));
  o = await openOsvDb(dir);
  assert.match(o.index!.why!, /EXTRA-1\.json was added/);
  // and removed again, after a rebuild that counted it
  await build([dir], index);
  rmSync(join(dir, 'npm', 'EXTRA-1.json'));
  o = await openOsvDb(dir);
  assert.match(o.index!.why!, /EXTRA-1\.json was removed/);
  // an index given as a file, stale: its own sources are loaded in full
  const file2 = join(root, 'other.index');
  await build([join(dir, 'npm')], file2);
  writeFileSync(join(dir, 'npm', 'EXTRA-2.json'), readFileSync(file));
  o = await openOsvDb(file2);
  assert.is(o.index?.used, false);
  assert.is(dump(o.db).length > 0 && o.db.records.size, (await loadOsvDb(join(dir, 'npm'))).records.size);
  // an index inside a folder that was built from elsewhere is not that folder's
  cpSync(file2, join(dir, 'npm', INDEX_NAME));
  o = await openOsvDb(join(dir, 'npm'));
  assert.is(o.index?.used, false);
  assert.match(o.index!.why!, /not from this folder alone/);
});

test('bpx scan: the same bytes from a fresh index as from the records, --list-skipped included; a stale one warns', async () => {
  if (!needCorpus()) return;
  const dir = join(root, 'cli');
  cpSync(db, dir, { recursive: true });
  rmSync(join(dir, INDEX_NAME), { force: true });
  const args = ['scan', 'app.cdx.json', '--db', dir, '--list-skipped', '--json'];
  const slow = await cli(args, root);
  assert.is(slow.code, 0, slow.err);
  const built = await cli(['db', 'build', '--osv', dir], root);
  assert.is(built.code, 0, built.err);
  const fast = await cli(args, root);
  assert.is(fast.out, slow.out);
  assert.is(fast.err, slow.err);
  assert.ok(JSON.parse(fast.out).targets[0].findings.some((f: { id: string }) => f.id === 'GHSA-xvch-5gv4-984h'));
  utimesSync(join(dir, 'npm', 'GHSA-xvch-5gv4-984h.json'), new Date(), new Date(Date.now() + 5000));
  const stale = await cli(args, root);
  assert.is(stale.out, slow.out);
  assert.match(stale.err, /warning: cli\/bpx-osv\.index not used \(.*GHSA-xvch-5gv4-984h\.json changed\)/);
});

/** The index file with byte `at` (from the end when negative) changed. */
function damage(from: string, to: string, at: number): void {
  const b = readFileSync(from);
  const i = at < 0 ? b.length + at : at;
  b[i] = b[i]! ^ 0x20;
  writeFileSync(to, b);
}

test('a damaged or truncated index given as --db is an error naming it, never an empty or clean report', async () => {
  if (!needCorpus()) return;
  const good = join(root, 'good.index');
  await build([db], good);
  const bytes = readFileSync(good);
  // the blob of the record the SBOM matches: its id's last occurrence is in the body, after the header's id list
  const inBlob = bytes.lastIndexOf('GHSA-xvch-5gv4-984h');
  const cases: Array<[string, (f: string) => void]> = [
    ['header', (f) => damage(good, f, 40)],
    ['record', (f) => damage(good, f, inBlob + 3)],
    ['truncated', (f) => writeFileSync(f, bytes.subarray(0, bytes.length - 100))],
    ['magic only', (f) => writeFileSync(f, bytes.subarray(0, 16))],
  ];
  for (const [what, make] of cases) {
    const f = join(root, `bad-${what.replace(' ', '-')}.index`);
    make(f);
    const r = await cli(['scan', 'app.cdx.json', '--db', f, '--json'], root);
    assert.is(r.code, 2, `${what}: ${r.err}`);
    assert.match(
      r.err,
      new RegExp(`bad-${what.replace(' ', '-')}\\.index: not a readable bpx OSV index .*rebuild it with bpx db build`),
      what,
    );
    assert.not.match(r.err, /internal error/);
    assert.is(r.out, '', `${what}: nothing is reported`);
  }
  // the library says so with its own error type, at open or when the damaged record is looked up
  damage(good, join(root, 'x.index'), inBlob + 3);
  const opened = await openOsvDb(join(root, 'x.index'));
  assert.throws(
    () => opened.db.index.get('npm\u0000minimist'),
    (e: unknown) => e instanceof CorruptIndex,
  );
  // a damaged index inside a database folder is passed over for the records, with the reason
  const dir = join(root, 'damaged-dir');
  cpSync(db, dir, { recursive: true });
  damage(good, join(dir, INDEX_NAME), 40);
  const r = await cli(['scan', 'app.cdx.json', '--db', dir, '--json'], root);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /bpx-osv\.index not used \(.*not a readable bpx OSV index/);
  assert.ok(JSON.parse(r.out).targets[0].findings.length > 0);
});

test('fail closed from an index as from the records: empty, and no advisories for the scanned ecosystems', async () => {
  if (!needCorpus()) return;
  mkdirSync(join(root, 'empty'));
  cpSync(join(db, 'Go'), join(root, 'go-only'), { recursive: true });
  for (const dir of ['empty', 'go-only']) {
    const slow = await cli(['scan', 'app.cdx.json', '--db', dir], root);
    const built = await cli(['db', 'build', '--osv', dir, '-o', `${dir}.index`], root);
    assert.is(built.code, 0, built.err);
    const fast = await cli(['scan', 'app.cdx.json', '--db', `${dir}.index`], root);
    assert.is(slow.code, 2);
    assert.is(fast.code, 2);
    assert.is(fast.err.replaceAll(`${dir}.index`, dir), slow.err);
    assert.match(fast.err, dir === 'empty' ? /0 advisories loaded/ : /has no advisories for PyPI, npm/);
    const allowed = await cli(['scan', 'app.cdx.json', '--db', `${dir}.index`, '--allow-empty-db'], root);
    assert.is(allowed.code, 0, allowed.err);
  }
});

test('bpx db build: --json, skipped records named with file and field, usage errors, atomic write', async () => {
  if (!needCorpus()) return;
  const out = join(root, 'built', 'all.index');
  mkdirSync(join(root, 'built'));
  const r = await cli(['db', 'build', '--osv', db, '-o', out, '--json'], root);
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.is(j.output, 'built/all.index');
  assert.is(j.advisories, (await loadOsvDb(db)).records.size);
  assert.ok(j.ecosystems.includes('npm'));
  assert.ok(
    j.skipped.some(
      (s: { path: string; message: string }) => s.path === 'invalid/nointroduced-CVE-2023-41045.json' && /affected\[0\]/.test(s.message),
    ),
  );
  assert.match(r.err, /skipped invalid\/nointroduced-CVE-2023-41045\.json: .*affected\[0\]: no package/);
  // only the index in the folder: no temporary file left beside it
  assert.equal(readdirSync(join(root, 'built')), ['all.index']);
  const text = await cli(['db', 'build', '--osv', join(db, 'npm'), '--osv', join(db, 'PyPI'), '-o', out], root);
  assert.match(text.out, /^wrote built\/all\.index: \d+ advisories from \d+ files \(npm, pypi\)/);
  assert.ok((await openOsvDb(out)).index?.used);
  const usage: Array<[string[], RegExp]> = [
    [['db'], /give a subcommand: build/],
    [['db', 'rebuild'], /unknown subcommand 'rebuild'/],
    [['db', 'build'], /--osv DIR is required/],
    [['db', 'build', '--osv', 'nope'], /nope: no such OSV database/],
    [['db', 'build', '--osv', join(db, 'npm'), '--osv', join(db, 'Go')], /-o FILE is required/],
    [['db', 'build', '--osv', db, '-o', join(root, 'no', 'such', 'dir', 'x.index')], /cannot write the index/],
  ];
  for (const [args, want] of usage) {
    const u = await cli(args, root);
    assert.is(u.code, 2, args.join(' '));
    assert.match(u.err, want);
  }
  const help = await cli(['db', 'build', '--help'], root);
  assert.is(help.code, 0);
  assert.match(help.out, /Usage: bpx db build --osv/);
});

test.run();
