// Loading the real OSV corpus: schema validation, YAML timestamps, dedup, invalid records, zip exports, no mutation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import yazl from 'yazl';
import { createWriteStream } from 'node:fs';
import { buildDb, loadOsvDb, matchComponents, type RawRecord } from '../../src/vuln/osv/index.ts';
import { checkRecord } from '../../src/vuln/osv/validate.ts';
import { makeComponent } from '../../src/model/index.ts';
import { deepFreeze, haveCorpus, osvDir, needCorpus } from './corpus.ts';

function files(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      if (n !== 'schema' && n !== 'invalid') out.push(...files(p, re));
    } else if (re.test(n)) out.push(p);
  }
  return out;
}

test('every corpus OSV JSON record (but schema/ and invalid/) validates against the OSV schema', () => {
  if (!needCorpus()) return;
  const all = files(osvDir, /\.json$/);
  assert.ok(all.length > 60, `${all.length} records`);
  for (const f of all) {
    const r = checkRecord(JSON.parse(readFileSync(f, 'utf8')));
    assert.ok(r.ok, `${relative(osvDir, f)}: ${r.ok ? '' : r.error}`);
  }
});

test('the whole corpus loads: YAML timestamps stay strings, repeated ids deduplicated, invalid/ flagged by file', async () => {
  if (!needCorpus()) return;
  const db = await loadOsvDb(osvDir);
  const y = db.records.get('PYSEC-2023-192');
  assert.ok(y, 'PYSEC-2023-192 (YAML) loaded');
  assert.type(y!.modified, 'string');
  assert.is(y!.modified, '2023-10-10T14:28:19.389317Z');
  // three PYSEC ids appear under both osv-dev-export/GIT and osv-dev-export/PyPI (and PYSEC-2023-74 thrice)
  assert.ok(db.duplicates >= 3, `duplicates ${db.duplicates}`);
  const ids = [...db.records.keys()];
  assert.is(new Set(ids).size, ids.length);
  const paths = [...db.skipped, ...db.notes].map((i) => `${i.path}: ${i.message}`);
  assert.ok(
    paths.some((p) => p.startsWith('invalid/nointroduced-CVE-2023-41045.json: OSV record CVE-2023-41045 skipped')),
    paths.join('\n'),
  );
  assert.ok(
    paths.some((p) => p.startsWith('invalid/nondistinct-CVE-2018-5407.json') && /more than once/.test(p)),
    paths.join('\n'),
  );
  // schema/schema.json and ecosystems.json are not OSV records: skipped with a warning naming them
  assert.ok(paths.some((p) => p.startsWith('schema/ecosystems.json')));
  // withdrawn records are not indexed
  assert.ok(db.withdrawn >= 2);
  assert.not.ok(db.records.has('RUSTSEC-2020-0053'));
  assert.not.ok(db.records.has('GO-2022-0617'));
  // Alpine is not an ecosystem bpx compares: skipped and counted
  assert.ok((db.skippedEcosystems['alpine'] ?? 0) > 0, JSON.stringify(db.skippedEcosystems));
  assert.ok(db.newest && !Number.isNaN(Date.parse(db.newest)));
});

test('a malformed file is skipped with a warning naming file and line; the rest loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpx-osv-'));
  try {
    writeFileSync(join(dir, 'broken.json'), '{"id": "X-1",\n  "modified": }');
    writeFileSync(join(dir, 'bad.yaml'), 'id: [unclosed\n');
    writeFileSync(join(dir, 'noid.json'), JSON.stringify({ modified: '2024-01-01T00:00:00Z' }));
    writeFileSync(
      join(dir, 'ok.json'),
      JSON.stringify({
        id: 'x_TEST-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: ['1.0.0'] }],
      }),
    );
    const db = await loadOsvDb(dir);
    assert.equal([...db.records.keys()], ['x_TEST-1']);
    assert.equal(db.skipped.map((i) => i.path).sort(), ['bad.yaml', 'broken.json', 'noid.json']);
    assert.equal(db.notes, []);
    // one record file given alone (awaited: uvu's not.throws does not wait for a promise, whose rejection after the
    // folder is removed below then ended the whole file)
    assert.equal([...(await loadOsvDb(join(dir, 'ok.json'))).records.keys()], ['x_TEST-1']);
    try {
      await loadOsvDb(join(dir, 'missing'));
      assert.unreachable();
    } catch (e) {
      assert.match(String(e), /missing: no such OSV database/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('osv.dev layout <db>/<Ecosystem>/all.zip loads and matches', async () => {
  if (!needCorpus()) return;
  const dir = mkdtempSync(join(tmpdir(), 'bpx-osvzip-'));
  try {
    mkdirSync(join(dir, 'npm'));
    const zip = new yazl.ZipFile();
    for (const f of files(join(osvDir, 'npm'), /\.json$/)) zip.addFile(f, f.slice(f.lastIndexOf('/') + 1));
    zip.end();
    await new Promise<void>((res, rej) =>
      zip.outputStream
        .pipe(createWriteStream(join(dir, 'npm', 'all.zip')))
        .on('close', () => res())
        .on('error', rej),
    );
    const db = await loadOsvDb(dir);
    assert.is(db.records.size, 6);
    assert.equal(db.skipped, []);
    assert.equal(db.notes, []);
    const f = matchComponents(
      [makeComponent({ ecosystem: 'npm', name: 'minimist', version: '1.2.5', location: { path: 'x', source: 'lockfile' } })],
      db,
    );
    assert.equal(
      f.map((x) => x.id),
      ['GHSA-xvch-5gv4-984h'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('records are never mutated (deep-frozen input), even with unsorted events', () => {
  if (!needCorpus()) return;
  const raws: RawRecord[] = files(osvDir, /\.json$/).map((p) => ({ path: p, data: deepFreeze(JSON.parse(readFileSync(p, 'utf8'))) }));
  // events deliberately out of order: the matcher must sort a copy
  raws.push({
    path: 'synthetic.json',
    data: deepFreeze({
      id: 'x_TEST-UNSORTED',
      modified: '2024-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ fixed: '2.0.0' }, { introduced: '1.5.0' }, { introduced: '0' }, { fixed: '1.0.0' }] }],
        },
      ],
    }),
  });
  const before = JSON.stringify(raws.map((r) => r.data));
  const db = buildDb('frozen', raws);
  const loc = { path: 'package-lock.json', source: 'lockfile' } as const;
  const comps = ['0.5.0', '1.2.0', '1.6.0', '2.0.0'].map((v) =>
    makeComponent({ ecosystem: 'npm', name: 'left-pad', version: v, location: loc }),
  );
  comps.push(makeComponent({ ecosystem: 'npm', name: 'qs', version: '6.7.0', location: loc }));
  const found = matchComponents(comps, db);
  assert.equal(
    found.filter((f) => f.id === 'x_TEST-UNSORTED').map((f) => f.version),
    ['0.5.0', '1.6.0'],
  );
  assert.ok(found.some((f) => f.name === 'qs'));
  assert.is(JSON.stringify(raws.map((r) => r.data)), before);
});

test.run();
