// bpx fleet sync and fleet restage against loopback stand-ins of a Cloud Controller (v3 API), UAA and an S3-like
// blobstore, serving real droplets staged by bpx stage; on SQLite and on PostgreSQL (BPX_TEST_PG_URL).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Fixtures, backends, buildFixtures, fleet, fleetStore, repoRoot, tmp } from './helpers.ts';
import { jwt, StandIn } from './cc-stand-in.ts';
import { type Built, buildFoundation, cnbDroplet } from './sync-fixtures.ts';

let fx: Fixtures;
let cnb: Buffer;
test.before(async () => {
  fx = await buildFixtures();
  cnb = await cnbDroplet(fx.corpusSbom);
});

const CLIENT = { id: 'bpx-fleet', secret: 'uaa-client-secret-7f3a' };
const REFRESH = 'refresh-token-secret-91c2';

async function standIn(o: { maxPerPage?: number } = {}): Promise<{ s: StandIn; b: Built }> {
  const b = await buildFoundation(fx, cnb);
  const s = await StandIn.start(b.foundation, { maxPerPage: o.maxPerPage ?? 5, client: CLIENT, refreshTokens: new Set([REFRESH]) });
  return { s, b };
}

const clientArgs = (s: StandIn, db: string) => [
  'fleet',
  'sync',
  '--api',
  s.cc.url,
  '--db',
  db,
  '--client-id',
  CLIENT.id,
  '--client-secret-env',
  'UAA_SECRET',
  '--json',
];
const clientEnv = { UAA_SECRET: CLIENT.secret, HOME: '/nonexistent' };

/** Every text value in every table of the inventory (secrets must never be there). */
async function dump(db: string, cwd: string): Promise<string> {
  const { FleetStore, openDb, parseDbLocation } = await fleetStore();
  const store = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
  try {
    const tables = [
      'apps',
      'droplets',
      'buildpacks',
      'ingest_failures',
      'cc_apps',
      'cc_buildpacks',
      'cc_stacks',
      'droplet_cc_buildpacks',
      'sync_runs',
    ];
    let out = '';
    for (const t of tables) out += JSON.stringify(await store.db.all(`SELECT * FROM ${t}`));
    return out;
  } finally {
    await store.close();
  }
}

async function sql<T>(db: string, cwd: string, q: string, params: unknown[] = []): Promise<T[]> {
  const { FleetStore, openDb, parseDbLocation } = await fleetStore();
  const store = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
  try {
    return await store.db.all<T>(q, params as never);
  } finally {
    await store.close();
  }
}

const byApp = (out: any) => Object.fromEntries(out.apps.map((a: any) => [a.app, a]));
const blobGets = (s: StandIn) => s.blobLog.filter((r) => r.status === 200).map((r) => r.path.split('/').pop()!);

for (const backend of backends()) {
  test(`${backend.name}: two orgs over several pages; 429 with Retry-After; a token expiring mid-sync; every failure kind recorded, the rest stored`, async () => {
    const { db, cleanup } = await backend.fresh();
    const { s, b } = await standIn();
    const cwd = tmp();
    try {
      s.faults.droplets429 = 1;
      s.faults.retryAfter = '1';
      // the client's first token expires after the listing, in the middle of the droplet look-ups
      s.faults.expireAfter = 6;
      const t0 = Date.now();
      const r = await fleet([...clientArgs(s, db), '--key', fx.pub], { cwd, env: clientEnv });
      const took = Date.now() - t0;
      assert.is(r.code, 1, r.err);
      const out = JSON.parse(r.out);
      const a = byApp(out);
      assert.equal(out.summary.downloaded, 7, r.err);
      assert.equal([out.summary.failed, out.summary.noDroplet, out.summary.docker, out.summary.apps], [3, 1, 1, 12]);
      // the listing: 3 pages of apps (5 a page), one batch of droplets (after one 429), one look-up per app new to the inventory
      assert.is(s.ccCalls('/v3/apps'), 3);
      assert.is(out.summary.appPages, 3);
      // (the stand-in answers at most 5 a page: the batch of 10 droplets comes in 2 pages)
      assert.equal(
        s.ccLog.filter((x) => x.path === '/v3/droplets').map((x) => x.status),
        [429, 200, 200],
      );
      assert.is(out.summary.dropletBatches, 1);
      assert.ok(took >= 1000, `Retry-After: 1 honoured (${took} ms)`);
      assert.is(
        s.ccLog.filter((x) => x.path.endsWith('/relationships/current_droplet') && x.status === 200).length,
        11,
        'no look-up for the docker app',
      );
      // the token expired mid-sync: refreshed once with the client's grant, the sync went on
      assert.equal(
        s.uaaLog.map((x) => [x.grant, x.status]),
        [
          ['client_credentials', 200],
          ['client_credentials', 200],
        ],
      );
      assert.ok(s.ccLog.some((x) => x.status === 401));
      // the blobstore never saw the Authorization header, and each droplet was fetched once
      assert.ok(s.blobLog.length > 0 && s.blobLog.every((x) => !x.authorization), 'no Authorization on the redirect');
      assert.is(blobGets(s).length, 9, 'seven good droplets, the corrupt and the mismatching one');
      assert.is(new Set(blobGets(s)).size, 9);

      assert.equal([a.hello.status, a.hello.sbom, a.hello.signature], ['downloaded', 'droplet-sbom', 'verified']);
      assert.equal([a.billing.status, a.billing.sbom, a.billing.signature], ['downloaded', 'captured', 'missing']);
      assert.equal([a['cnb-app'].status, a['cnb-app'].sbom], ['downloaded', 'captured'], 'with --key an unsigned CNB SBOM is not trusted');
      assert.equal([a['docker-app'].status, a['docker-app'].org, a['docker-app'].space], ['docker', 'globex', 'web']);
      assert.is(a['no-drop'].status, 'no-droplet');
      assert.match(a['gone-bits'].reason, /404/);
      assert.match(a.corrupt.reason, /corrupt tarball/);
      assert.match(
        a.badsum.reason,
        /checksum mismatch: the API says sha256:[0-9a-f]{64}, the \d+ bytes downloaded are sha256:[0-9a-f]{64}/,
      );
      assert.match(r.err, /3 failed/);

      // the inventory: names from the API, failures recorded with their reason
      const q = JSON.parse((await fleet(['fleet', 'query', '--package', 'pkg:npm/debug', '--db', db, '--json'], { cwd })).out);
      assert.equal(q.matches.map((m: any) => `${m.org}/${m.space}/${m.app} ${m.version}`).sort(), [
        'acme/dev/hello-dev 4.4.0',
        'acme/prod/api 4.3.7',
        'acme/prod/billing 4.3.7',
        'acme/prod/hello 4.3.7',
        'globex/batch/reports 4.3.7',
        'globex/batch/worker 4.3.7',
      ]);
      const failures = await sql<{ source: string; reason: string }>(db, cwd, 'SELECT source, reason FROM ingest_failures ORDER BY source');
      assert.equal(
        failures.map((f) => f.source).sort(),
        [b.droplets['gone-bits'], b.droplets.corrupt, b.droplets.badsum].map((g) => `${s.cc.url}/v3/droplets/${g}`).sort(),
      );
      const rows = await sql<{ guid: string; checksum: string; lifecycle: string; stack: string }>(
        db,
        cwd,
        'SELECT guid, checksum, lifecycle, stack FROM droplets ORDER BY guid',
      );
      assert.equal(rows.map((x) => x.guid).sort(), [...b.good].sort());
      assert.ok(rows.every((x) => /^sha256:[0-9a-f]{64}$/.test(x.checksum) && x.stack === 'cflinuxfs4'));
      // the CNB droplet: its layer SBOM is read when no key asks for a signature
      const cnbApp = await sql<{ sbom_source: string; component_count: number }>(
        db,
        cwd,
        'SELECT sbom_source, component_count FROM droplets WHERE guid = ?',
        [b.droplets['cnb-app']],
      );
      assert.is(cnbApp[0]!.sbom_source, 'captured');

      // secrets never in the output, the messages or the database
      const text = r.out + r.err + (await dump(db, cwd));
      for (const secret of [CLIENT.secret, ...s.valid]) assert.not.ok(text.includes(secret), 'a secret leaked');
    } finally {
      await s.close();
      await cleanup();
    }
  });

  test(`${backend.name}: a second sync downloads nothing it holds; a new droplet becomes current; deleted apps are gone; restage after a buildpack update`, async () => {
    const { db, cleanup } = await backend.fresh();
    const { s, b } = await standIn();
    const cwd = tmp();
    try {
      const first = await fleet(clientArgs(s, db), { cwd, env: clientEnv });
      assert.is(first.code, 1, first.err);
      const cnbRow = await sql<{ sbom_source: string; component_count: number }>(
        db,
        cwd,
        'SELECT sbom_source, component_count FROM droplets WHERE guid = ?',
        [b.droplets['cnb-app']],
      );
      assert.equal([cnbRow[0]!.sbom_source, Number(cnbRow[0]!.component_count) > 10], ['droplet-sbom', true], 'the CNB layer SBOM is read');
      const held = new Set(b.good);
      s.blobLog.length = 0;
      s.ccLog.length = 0;

      // again: only the droplets that failed are tried again; nothing held is downloaded, no app is looked up again
      const second = JSON.parse((await fleet(clientArgs(s, db), { cwd, env: clientEnv })).out);
      assert.equal(second.summary.downloaded, 0);
      assert.equal(second.summary.unchanged, 7);
      assert.ok(
        blobGets(s).every((g) => !held.has(g)),
        'a droplet held was downloaded again',
      );
      assert.is(s.ccCalls('current_droplet'), 0);
      assert.is(s.ccCalls('/v3/droplets'), 1, 'one batch, for the three that failed');

      // the foundation changes: hello is restaged (a new current droplet), the broken apps are deleted
      const f = s.f;
      const hello = f.apps.find((x) => x.name === 'hello')!;
      const fresh = {
        ...f.droplets.get(b.droplets['hello-dev']!)!,
        guid: '0000d0ff-0000-4000-8000-000000000099',
        appGuid: hello.guid,
        createdAt: '2026-03-02T09:00:00Z',
      };
      f.droplets.set(fresh.guid, fresh);
      hello.dropletGuid = fresh.guid;
      hello.updatedAt = '2026-03-02T09:00:01Z';
      f.apps = f.apps.filter((x) => !['gone-bits', 'corrupt', 'badsum'].includes(x.name));
      s.blobLog.length = 0;
      s.ccLog.length = 0;
      const third = await fleet(clientArgs(s, db), { cwd, env: clientEnv });
      assert.is(third.code, 0, third.err);
      const t = JSON.parse(third.out);
      // the same bytes as hello-dev's droplet: recognised by its sha256 checksum, not downloaded, now hello's current one too
      assert.equal([t.summary.downloaded, byApp(t).hello.status], [0, 'unchanged']);
      assert.is(s.ccCalls('current_droplet'), 1, 'only the changed app is looked up');
      const q = JSON.parse((await fleet(['fleet', 'query', '--package', 'pkg:npm/debug', '--db', db, '--json'], { cwd })).out);
      assert.ok(
        q.matches.some((m: any) => m.app === 'hello' && m.version === '4.4.0' && m.org === 'acme'),
        JSON.stringify(q.matches),
      );
      const gone = await sql<{ name: string }>(db, cwd, "SELECT name FROM cc_apps WHERE status = 'gone' ORDER BY name");
      assert.equal(
        gone.map((g) => g.name),
        ['badsum', 'corrupt', 'gone-bits'],
      );

      // nothing changed: O(pages) calls, nothing downloaded
      s.blobLog.length = 0;
      s.ccLog.length = 0;
      const fourth = JSON.parse((await fleet(clientArgs(s, db), { cwd, env: clientEnv })).out);
      assert.equal(
        [fourth.summary.downloaded, s.blobLog.length, s.ccCalls('current_droplet'), s.ccCalls('/v3/droplets'), s.ccCalls('download')],
        [0, 0, 0, 0, 0],
      );
      assert.equal(
        s.ccLog
          .map((x) => x.path)
          .filter((p) => p !== '/')
          .sort(),
        ['/v3/apps', '/v3/apps', '/v3/buildpacks', '/v3/stacks'],
      );

      // restage: nothing while the installed buildpacks are the staged versions
      const none = JSON.parse((await fleet(['fleet', 'restage', '--db', db, '--json'], { cwd })).out);
      assert.equal(none.groups, []);
      // the operator updates the admin buildpacks (new files): after a sync, the restage list
      f.buildpacks[0]!.filename = 'nodejs_buildpack-cached-cflinuxfs4-v1.9.5.zip';
      f.buildpacks[2]!.filename = 'paketo-nodejs-cflinuxfs4-v1.3.0.cnb';
      assert.is((await fleet(clientArgs(s, db), { cwd, env: clientEnv })).code, 0);
      const r = JSON.parse((await fleet(['fleet', 'restage', '--db', db, '--json'], { cwd })).out);
      assert.equal(
        r.groups.map((g: any) => [`${g.org}/${g.space}`, g.target, g.entries.map((e: any) => e.app)]),
        [
          ['acme/dev', 'cf target -o acme -s dev', ['hello-dev']],
          ['acme/prod', 'cf target -o acme -s prod', ['api', 'billing', 'hello']],
          ['globex/batch', 'cf target -o globex -s batch', ['reports', 'worker']],
          ['globex/web', 'cf target -o globex -s web', ['cnb-app']],
        ],
      );
      const e = Object.fromEntries(r.groups.flatMap((g: any) => g.entries).map((x: any) => [x.app, x]));
      assert.equal(
        [e.hello.buildpack, e.hello.staged, e.hello.installed.version, e.hello.installed.source, e.hello.reason, e.hello.command],
        ['nodejs_buildpack', { version: '1.9.4', source: 'droplet' }, '1.9.5', 'filename', 'older buildpack', 'cf restage hello'],
      );
      // the API said 1.9.3 for reports; bpx recorded 1.9.4 in the droplet, and that is what counts
      assert.equal(e.reports.staged, { version: '1.9.4', source: 'droplet' });
      // the CNB app: no bpx record inside, the API's version
      assert.equal(
        [e['cnb-app'].buildpack, e['cnb-app'].staged, e['cnb-app'].installed.version],
        ['paketo-nodejs', { version: '1.2.0', source: 'cloud-controller' }, '1.3.0'],
      );
      // CSV, --current overriding the file name, --buildpack, --stack
      const csv = (await fleet(['fleet', 'restage', '--db', db, '--csv', '--buildpack', 'paketo-nodejs'], { cwd })).out;
      assert.equal(csv.split('\r\n'), [
        'ORG,SPACE,APP,BUILDPACK,STACK,STAGED,STAGED FROM,INSTALLED,INSTALLED FROM,REASON,COMMAND',
        'globex,web,cnb-app,paketo-nodejs,cflinuxfs4,1.2.0,cloud-controller,1.3.0,filename,older buildpack,cf restage cnb-app',
        '',
      ]);
      const pinned = JSON.parse(
        (await fleet(['fleet', 'restage', '--db', db, '--json', '--current', 'nodejs_buildpack=1.9.4'], { cwd })).out,
      );
      assert.equal(
        pinned.groups.flatMap((g: any) => g.entries.map((x: any) => x.app)),
        ['cnb-app'],
      );
      const stack = JSON.parse(
        (
          await fleet(
            [
              'fleet',
              'restage',
              '--db',
              db,
              '--json',
              '--stack',
              'cflinuxfs5',
              '--current',
              'nodejs_buildpack=1.9.4',
              '--current',
              'paketo-nodejs=1.2.0',
            ],
            { cwd },
          )
        ).out,
      );
      assert.is(stack.summary.apps, 7);
      assert.ok(
        stack.groups
          .flatMap((g: any) => g.entries)
          .every((x: any) => x.reason === 'other stack' && /staged on cflinuxfs4, not cflinuxfs5/.test(x.detail)),
      );
      const table = await fleet(['fleet', 'restage', '--db', db], { cwd, tty: true });
      assert.match(table.out, /^acme\/dev    cf target -o acme -s dev\n\s+APP\s+BUILDPACK/);
    } finally {
      await s.close();
      await cleanup();
    }
  });
}

test('the cf CLI login: an expired token is refreshed at start and again when it expires mid-sync; filters; --dry-run writes nothing', async () => {
  const { s, b } = await standIn();
  const cwd = tmp();
  const home = tmp('bpx-home-');
  const db = join(cwd, 'fleet.db');
  try {
    mkdirSync(join(home, '.cf'));
    const expired = jwt({ exp: Math.floor(Date.now() / 1000) - 3600 });
    writeFileSync(
      join(home, '.cf', 'config.json'),
      JSON.stringify({
        ConfigVersion: 3,
        Target: s.cc.url,
        APIVersion: '3.185.0',
        AuthorizationEndpoint: s.uaa.url,
        UAAEndpoint: s.uaa.url,
        AccessToken: `bearer ${expired}`,
        RefreshToken: REFRESH,
        UAAOAuthClient: 'cf',
        UAAOAuthClientSecret: '',
        SSLDisabled: false,
      }),
    );
    const env = { HOME: home };
    const dry = await fleet(['fleet', 'sync', '--api', s.cc.url, '--db', db, '--org', 'acme', '--dry-run', '--json'], { cwd, env });
    assert.is(dry.code, 0, dry.err);
    const d = JSON.parse(dry.out);
    assert.equal(
      d.apps.map((a: any) => [a.app, a.status]),
      [
        ['hello-dev', 'would-download'],
        ['no-drop', 'no-droplet'],
        ['api', 'would-download'],
        ['billing', 'would-download'],
        ['hello', 'would-download'],
      ],
    );
    assert.is(s.blobLog.length, 0);
    assert.equal((await sql(db, cwd, 'SELECT * FROM droplets')).length + (await sql(db, cwd, 'SELECT * FROM cc_apps')).length, 0);
    assert.equal(
      s.uaaLog.map((x) => [x.grant, x.client]),
      [['refresh_token', 'cf']],
    );

    s.expireAfterNext(5);
    const r = await fleet(
      ['fleet', 'sync', '--api', s.cc.url, '--db', db, '--space', 'acme/prod', '--label-selector', 'env=prod', '--json'],
      { cwd, env },
    );
    assert.is(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.equal(
      out.apps.map((a: any) => [a.app, a.status]),
      [
        ['billing', 'downloaded'],
        ['hello', 'downloaded'],
      ],
    );
    assert.ok(s.ccLog.some((x) => x.path === '/v3/apps' && x.status === 200));
    assert.equal(
      s.uaaLog.map((x) => x.grant),
      ['refresh_token', 'refresh_token', 'refresh_token'],
    );
    const text = r.out + r.err + dry.out + dry.err + (await dump(db, cwd));
    for (const secret of [REFRESH, expired, ...s.valid]) assert.not.ok(text.includes(secret), 'a secret leaked');
    void b;
  } finally {
    await s.close();
  }
});

test('a refused token fails clearly after one refresh; the token never shows; a login for another API is not used', async () => {
  const { s } = await standIn();
  const cwd = tmp();
  try {
    const token = jwt({ exp: Math.floor(Date.now() / 1000) + 600 });
    const r = await fleet(['fleet', 'sync', '--api', s.cc.url, '--db', join(cwd, 'f.db'), '--token-env', 'CF_TOKEN'], {
      cwd,
      env: { CF_TOKEN: `bearer ${token}` },
    });
    assert.is(r.code, 1);
    assert.match(r.err, /refused the token from --token-env CF_TOKEN \(expired or revoked\): give a fresh one \(cf oauth-token\)/);
    assert.not.ok(r.err.includes(token) || r.out.includes(token));
    const ok = s.issue();
    const good = await fleet(
      ['fleet', 'sync', '--api', s.cc.url, '--db', join(cwd, 'f.db'), '--token-env', 'CF_TOKEN', '--org', 'globex', '--json'],
      { cwd, env: { CF_TOKEN: ok } },
    );
    assert.is(good.code, 1, "three of globex's droplets fail");
    assert.equal(JSON.parse(good.out).summary.downloaded, 3);
    const badSecret = await fleet(['fleet', 'sync', '--api', s.cc.url, '--db', join(cwd, 'f.db'), '--client-id', CLIENT.id], {
      cwd,
      env: { BPX_CF_CLIENT_SECRET: 'not-the-secret-000' },
    });
    assert.is(badSecret.code, 1);
    assert.match(
      badSecret.err,
      /UAA at http:\/\/127\.0\.0\.1:\d+ refused the client_credentials grant for client bpx-fleet \(unauthorized: Bad credentials\)/,
    );
    assert.not.ok(badSecret.err.includes('not-the-secret-000'));
    const home = tmp('bpx-home-');
    mkdirSync(join(home, '.cf'));
    writeFileSync(
      join(home, '.cf', 'config.json'),
      JSON.stringify({ Target: 'https://api.other.example.com', AccessToken: `bearer ${ok}` }),
    );
    const other = await fleet(['fleet', 'sync', '--api', s.cc.url, '--db', join(cwd, 'f.db')], { cwd, env: { HOME: home } });
    assert.is(other.code, 2);
    assert.match(
      other.err,
      /logged in to https:\/\/api\.other\.example\.com, not http:\/\/127\.0\.0\.1:\d+: its token is not sent elsewhere/,
    );
    const plain = await fleet(['fleet', 'sync', '--api', 'http://api.example.com', '--token-env', 'CF_TOKEN'], {
      cwd,
      env: { CF_TOKEN: ok },
    });
    assert.is(plain.code, 2);
    assert.match(plain.err, /plain http:\/\/ to the non-loopback host/);
  } finally {
    await s.close();
  }
});

test('an interrupted sync (the process killed mid-download) continues where it stopped', async () => {
  const { s, b } = await standIn();
  const cwd = tmp();
  const db = join(cwd, 'fleet.db');
  try {
    s.faults.blobDelayMs = 300;
    const token = s.issue();
    let err = '';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'src/cli/bin.ts'),
        'fleet',
        'sync',
        '--api',
        s.cc.url,
        '--db',
        db,
        '--token-env',
        'CF_TOKEN',
        '--concurrency',
        '1',
      ],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', CF_TOKEN: token, HOME: '/nonexistent' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('close', r));
    // killed once three droplets have been served (and a fourth is under way)
    for (let i = 0; i < 600 && s.blobLog.filter((x) => x.status === 200).length < 4; i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    const stored = (await sql<{ guid: string }>(db, cwd, 'SELECT guid FROM droplets')).map((x) => x.guid);
    assert.ok(stored.length >= 2 && stored.length < b.good.length, `stored ${stored.length} before the kill: ${err}`);
    s.blobLog.length = 0;
    s.faults.blobDelayMs = 0;
    const r = await fleet(['fleet', 'sync', '--api', s.cc.url, '--db', db, '--token-env', 'CF_TOKEN', '--json'], {
      cwd,
      env: { CF_TOKEN: token },
    });
    const out = JSON.parse(r.out);
    assert.is(out.summary.downloaded, b.good.length - stored.length);
    assert.ok(
      blobGets(s).every((g) => !stored.includes(g)),
      'a droplet stored before the kill was downloaded again',
    );
    assert.equal((await sql<{ guid: string }>(db, cwd, 'SELECT guid FROM droplets')).map((x) => x.guid).sort(), [...b.good].sort());
  } finally {
    await s.close();
  }
});

test('progress: one line per N droplets without a terminal; --help names sync and restage', async () => {
  const { s } = await standIn({ maxPerPage: 50 });
  const cwd = tmp();
  try {
    const r = await fleet(
      ['fleet', 'sync', '--api', s.cc.url, '--db', join(cwd, 'f.db'), '--token-env', 'T', '--progress-every', '3', '--org', 'acme'],
      { cwd, env: { T: s.issue() } },
    );
    assert.is(r.code, 0, r.err);
    assert.equal(
      r.err
        .split('\n')
        .filter((l) => / droplets \(\d+ failed\)/.test(l))
        .map((l) => /(\d+\/\d+) droplets/.exec(l)![1]),
      ['3/4', '4/4'],
    );
    assert.match(r.out, /^ORG\/SPACE\/APP\tSTATUS\tDROPLET\tSBOM\tCOMPONENTS\tSIGNATURE \/ REASON\n/);
    assert.match(
      r.err,
      /5 apps: 4 droplets downloaded \([\d.]+ MB\), 0 unchanged, 0 failed, 1 without a droplet, 0 docker; \d+ API calls \(1 app pages, 5 current-droplet look-ups, 1 droplet batches\)/,
    );
    for (const sub of ['sync', 'restage']) {
      const h = await fleet(['fleet', sub, '--help'], { cwd });
      assert.match(h.out, `bpx fleet ${sub}`);
    }
  } finally {
    await s.close();
  }
});

test.run();
