// The fleet inventory against both databases (SQLite always, PostgreSQL when BPX_TEST_PG_URL is set), with real
// droplets staged by bpx stage: idempotent add, current and history, failures, queries, buildpacks, scan runs.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { APP_GUID, type Fixtures, advisory, backends, buildFixtures, fleet, tmp } from './helpers.ts';
import { fleetStore } from './helpers.ts';

const shared = existsSync(join(new URL('../..', import.meta.url).pathname, '..', 'shared', 'corpus'));
if (!shared && process.env.CI) throw new Error('../shared/corpus is missing');
let fx: Fixtures;

test.before(async () => {
  if (shared) fx = await buildFixtures();
});

const parse = (s: string) => JSON.parse(s) as Record<string, any>;

for (const backend of backends()) {
  const t = (name: string, fn: (db: string, cwd: string) => Promise<void>) =>
    test(`[${backend.name}] ${name}`, async () => {
      if (!shared) return;
      const { db, cleanup } = await backend.fresh();
      try {
        await fn(db, tmp());
      } finally {
        await cleanup();
      }
    });

  t('migrations are applied once and recorded; reopening applies nothing', async (db, cwd) => {
    const { FleetStore, openDb, parseDbLocation, SCHEMA_VERSION } = await fleetStore();
    for (let i = 0; i < 2; i++) {
      const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
      const rows = await s.db.all<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      assert.equal(
        rows.map((r) => Number(r.version)),
        Array.from({ length: SCHEMA_VERSION }, (_, k) => k + 1),
      );
      await s.close();
    }
  });

  t(
    'an inventory of schema version 3 migrates on open: its findings gain an empty sources list, the next scan fills it',
    async (db, cwd) => {
      const { FleetStore, openDb, parseDbLocation, SCHEMA_VERSION } = await fleetStore();
      const { MIGRATIONS } = await import('../../src/fleet/schema/migrations.ts');
      // an inventory as bpx wrote it before version 4: the first three migrations, a component, a run and its finding
      const raw = await openDb(parseDbLocation(db, cwd));
      await raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
        await raw.exec(m.sql(raw.dialect));
        await raw.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, '2026-01-01']);
      }
      await raw.run(
        "INSERT INTO components (purl, ecosystem, name, name_key, version, type, licenses) VALUES ('pkg:npm/debug@4.3.7', 'npm', 'debug', 'debug', '4.3.7', 'library', '[]')",
      );
      await raw.run(
        "INSERT INTO scan_runs (started_at, finished_at, osv_source, advisories) VALUES ('2026-01-01', '2026-01-01', 'osv', 1)",
      );
      await raw.run(
        "INSERT INTO findings (component_id, advisory_id, aliases, severity, fixed, summary, first_seen_run, last_seen_run) VALUES (1, 'GHSA-old', '[]', 'high', '[]', 'old', 1, 1)",
      );
      await raw.close();
      const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
      try {
        const v = await s.db.get<{ v: number }>('SELECT MAX(version) AS v FROM schema_migrations');
        assert.is(Number(v!.v), SCHEMA_VERSION);
        assert.ok(SCHEMA_VERSION >= 4);
        const f = await s.db.get<{ sources: string; summary: string }>(
          "SELECT sources, summary FROM findings WHERE advisory_id = 'GHSA-old'",
        );
        assert.equal(f, { sources: '[]', summary: 'old' });
      } finally {
        await s.close();
      }
    },
  );

  t('add is idempotent; a new droplet of the same app becomes current and the old one is history', async (db, cwd) => {
    const a = await fleet(['fleet', 'add', fx.helloV1, fx.billing, fx.corpusSbom, '--key', fx.pub, '--json', '--db', db], { cwd });
    assert.is(a.code, 0, a.err);
    const r = parse(a.out);
    assert.equal(r.summary, { added: 3, unchanged: 0, failed: 0, failedChecks: 0 });
    const hello = r.droplets.find((d: any) => d.target.endsWith('hello-v1/droplet.tgz'));
    // names from the SBOM bpx wrote at staging (VCAP_APPLICATION), the signature verified with --key
    assert.equal(hello.app, { org: 'acme', space: 'prod', name: 'hello', guid: APP_GUID });
    assert.is(hello.sbom, 'droplet-sbom');
    assert.is(hello.signature, 'verified');
    const billing = r.droplets.find((d: any) => d.target.endsWith('billing/droplet.tgz'));
    assert.equal([billing.app.name, billing.sbom, billing.signature], ['billing', 'captured', 'missing']);
    const sbom = r.droplets.find((d: any) => d.target.endsWith('json-server.cdx.json'));
    assert.equal([sbom.app.name, sbom.sbom, sbom.signature], ['json-server', 'file', 'not-checked']);
    assert.ok(sbom.components > 20, String(sbom.components));

    const { FleetStore, openDb, parseDbLocation } = await fleetStore();
    const counts = async () => {
      const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
      try {
        const c = await s.counts();
        const bps = Number((await s.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM buildpacks'))!.n);
        return { ...c, bps };
      } finally {
        await s.close();
      }
    };
    const before = await counts();
    const again = await fleet(['fleet', 'add', fx.helloV1, fx.billing, fx.corpusSbom, '--json', '--db', db], { cwd });
    assert.is(again.code, 0, again.err);
    assert.equal(parse(again.out).summary, { added: 0, unchanged: 3, failed: 0, failedChecks: 0 });
    assert.equal(await counts(), before, 'the same droplets twice change nothing');

    const v2 = await fleet(['fleet', 'add', fx.helloV2, '--json', '--db', db], { cwd });
    assert.is(v2.code, 0, v2.err);
    const d2 = parse(v2.out).droplets[0];
    assert.equal([d2.status, d2.current, d2.app.guid], ['added', true, APP_GUID]);
    const after = await counts();
    assert.equal([after.apps, after.droplets], [before.apps, before.droplets + 1], 'same app, one more droplet');

    // the current droplet has debug 4.4.0; the history one 4.3.7
    const cur = parse((await fleet(['fleet', 'query', '--package', 'pkg:npm/debug', '--json', '--db', db], { cwd })).out).matches;
    assert.equal(cur.map((m: any) => `${m.app}@${m.version}`).sort(), ['billing@4.3.7', 'hello@4.4.0']);
    const all = parse(
      (await fleet(['fleet', 'query', '--package', 'pkg:npm/debug', '--range', '<4.4.0', '--all-droplets', '--json', '--db', db], { cwd }))
        .out,
    ).matches;
    assert.equal(all.map((m: any) => `${m.app}@${m.version}:${m.current}`).sort(), ['billing@4.3.7:true', 'hello@4.3.7:false']);
    const hist = all.find((m: any) => m.app === 'hello');
    assert.equal([hist.org, hist.space, hist.scope], ['acme', 'prod', 'required']);
    assert.ok(
      hist.paths.includes('package-lock.json') || hist.paths.some((p: string) => p.endsWith('package-lock.json')),
      JSON.stringify(hist.paths),
    );
  });

  t('query ranges in the ecosystem syntax, over the corpus SBOM', async (db, cwd) => {
    assert.is((await fleet(['fleet', 'add', fx.corpusSbom, fx.billing, '--db', db], { cwd })).code, 0);
    const q = async (...args: string[]) =>
      parse((await fleet(['fleet', 'query', ...args, '--json', '--db', db], { cwd })).out).matches as any[];
    const ms = await q('--package', 'pkg:npm/ms');
    assert.ok(ms.some((m) => m.app === 'billing' && m.version === '2.1.3'));
    assert.equal((await q('--package', 'pkg:npm/ms', '--range', '>=2.1.3 <3')).map((m) => m.app).includes('billing'), true);
    assert.equal(
      (await q('--package', 'pkg:npm/ms', '--range', '<2.1.3')).some((m) => m.app === 'billing'),
      false,
    );
    assert.equal((await q('--package', 'pkg:npm/no-such-package')).length, 0);
    const bad = await fleet(['fleet', 'query', '--package', 'pkg:npm/ms', '--range', '>>>banana', '--db', db], { cwd });
    assert.is(bad.code, 2);
    assert.match(bad.err, /--range/);
  });

  t('a droplet that cannot be read is recorded with its reason; the others are added; exit 1', async (db, cwd) => {
    const r = await fleet(['fleet', 'add', fx.broken, fx.billing, '--json', '--db', db], { cwd });
    assert.is(r.code, 1);
    const out = parse(r.out);
    assert.equal(out.summary.failed, 1);
    assert.equal(out.summary.added, 1);
    assert.match(out.droplets.find((d: any) => d.status === 'failed').reason, /droplet|gzip|tar/i);
    const { FleetStore, openDb, parseDbLocation } = await fleetStore();
    const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
    try {
      const f = await s.failures();
      assert.equal(
        f.map((x) => [x.source, x.attempts]),
        [[fx.broken, 1]],
      );
      assert.match(f[0]!.reason, /droplet|gzip|tar/i);
    } finally {
      await s.close();
    }
  });

  t('buildpacks per app, and the restage list with --outdated', async (db, cwd) => {
    assert.is((await fleet(['fleet', 'add', fx.helloV1, fx.billing, '--db', db], { cwd })).code, 0);
    const all = parse((await fleet(['fleet', 'buildpacks', '--json', '--db', db], { cwd })).out).apps as any[];
    const hello = all.find((a) => a.app === 'hello');
    // key from the builder's result.json (nodejs=<zip>), name and version from the droplet, detect line on the last
    assert.equal(hello.buildpacks, [{ position: 0, key: 'nodejs', name: 'nodejs-lite', version: '1.9.4', detectLine: 'nodejs-lite' }]);
    const old = parse((await fleet(['fleet', 'buildpacks', '--outdated', 'nodejs-lite=1.10.0', '--json', '--db', db], { cwd })).out)
      .outdated as any[];
    assert.equal(old.map((o) => o.app).sort(), ['billing', 'hello']);
    const byKey = parse((await fleet(['fleet', 'buildpacks', '--outdated', 'nodejs=1.9.4', '--json', '--db', db], { cwd })).out)
      .outdated as any[];
    assert.equal(byKey, []);
  });

  t('scan: findings per app with first and last seen per run; --new shows only what appeared since the last scan', async (db, cwd) => {
    assert.is((await fleet(['fleet', 'add', fx.helloV1, fx.billing, '--db', db], { cwd })).code, 0);
    const osv = join(tmp(), 'osv');
    advisory(osv, 'GHSA-test-debu-g001', 'debug', [{ introduced: '0' }, { fixed: '4.3.8' }], 'HIGH');
    const scan = async (...args: string[]) => {
      const r = await fleet(['fleet', 'scan', '--osv', osv, '--json', '--db', db, ...args], { cwd });
      return { code: r.code, out: parse(r.out), err: r.err };
    };
    const first = await scan('--new');
    assert.is(first.code, 0, first.err);
    const ids = (o: any) => o.apps.flatMap((a: any) => a.findings.map((f: any) => `${a.app}:${f.id}:${f.version}`)).sort();
    assert.equal(ids(first.out), ['billing:GHSA-test-debu-g001:4.3.7', 'hello:GHSA-test-debu-g001:4.3.7']);
    const second = await scan('--new', '--fail-on', 'high');
    assert.is(second.code, 0, 'nothing new: nothing blocks');
    assert.equal(ids(second.out), []);
    const whole = await scan('--fail-on', 'high');
    assert.is(whole.code, 1);
    const f = whole.out.apps[0].findings[0];
    assert.is(f.new, false);
    // the database that reported it is stored with it (schema version 4)
    assert.equal(f.sources, ['osv']);
    const table = await fleet(['fleet', 'scan', '--osv', osv, '--db', db], { cwd, tty: true });
    assert.match(table.out, /SOURCE/);
    assert.match(table.out, /GHSA-test-debu-g001\s+osv\s+debug/);
    assert.ok(f.firstSeen < f.lastSeen || f.firstSeen === f.lastSeen);
    assert.is(whole.out.run.previous.id, second.out.run.id);
    // a new advisory: only it is new
    advisory(osv, 'GHSA-test-ms00-0001', 'ms', [{ introduced: '2.0.0' }, { fixed: '2.1.4' }], 'LOW');
    const third = await scan('--new');
    assert.equal(ids(third.out), ['billing:GHSA-test-ms00-0001:2.1.3', 'hello:GHSA-test-ms00-0001:2.1.3']);
    // a new droplet of hello with a fixed debug: nothing new; an app newly shipping the affected debug: new for it
    assert.is((await fleet(['fleet', 'add', fx.helloV2, '--db', db], { cwd })).code, 0);
    const copy = join(tmp(), 'payroll');
    mkdirSync(copy);
    copyFileSync(fx.helloV1, join(copy, 'droplet.tgz'));
    // the same bytes under another name are the same droplet: unchanged, still hello's
    const r = await fleet(['fleet', 'add', join(copy, 'droplet.tgz'), '--db', db], { cwd });
    assert.is(r.code, 0, r.err);
    const fourth = await scan('--new');
    assert.equal(ids(fourth.out), [], 'hello v2 fixed debug; the copy is the known droplet');
    const last = await scan();
    assert.equal(ids(last.out), [
      'billing:GHSA-test-debu-g001:4.3.7',
      'billing:GHSA-test-ms00-0001:2.1.3',
      'hello:GHSA-test-ms00-0001:2.1.3',
    ]);
  });

  t('scan: an app that newly ships an affected version has a new finding', async (db, cwd) => {
    const osv = join(tmp(), 'osv');
    advisory(osv, 'GHSA-test-debu-g001', 'debug', [{ introduced: '0' }, { fixed: '4.3.8' }]);
    assert.is((await fleet(['fleet', 'add', fx.helloV2, '--db', db], { cwd })).code, 0);
    assert.is((await fleet(['fleet', 'scan', '--osv', osv, '--db', db], { cwd })).code, 0);
    assert.is((await fleet(['fleet', 'add', fx.billing, '--db', db], { cwd })).code, 0);
    const r = parse((await fleet(['fleet', 'scan', '--osv', osv, '--new', '--json', '--db', db], { cwd })).out);
    assert.equal(
      r.apps.map((a: any) => [a.app, a.findings.map((f: any) => f.id)]),
      [['billing', ['GHSA-test-debu-g001']]],
    );
  });
}

test.run();
