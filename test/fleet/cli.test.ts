// bpx fleet on the command line: help, JSON and table output, BPX_FLEET_DB, usage errors, the Dependency-Track export
// against a loopback server implementing PUT /api/v1/bom (token, 401, 413), and the bundle keeping drivers external.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Fixtures, buildFixtures, fleet, fleetProcess, repoRoot, tmp } from './helpers.ts';
import { dependencyTrack } from './dependency-track.ts';
import { ensureDist } from '../lifecycle/stage/helpers.ts';

let fx: Fixtures;
test.before(async () => {
  fx = await buildFixtures();
});

test('--help on every subcommand; an unknown or missing subcommand is a usage error', async () => {
  const cwd = tmp();
  for (const sub of ['add', 'query', 'buildpacks', 'scan', 'export']) {
    const r = await fleet(['fleet', sub, '--help'], { cwd });
    assert.is(r.code, 0);
    assert.match(r.out, `bpx fleet ${sub}`);
  }
  const top = await fleet(['--help'], { cwd });
  assert.match(top.out, /fleet\s+inventory of droplets/);
  const bad = await fleet(['fleet', 'frobnicate'], { cwd });
  assert.is(bad.code, 2);
  assert.match(bad.err, /unknown subcommand 'frobnicate'/);
  assert.is((await fleet(['fleet'], { cwd })).code, 2);
  assert.is((await fleet(['fleet', 'query'], { cwd })).code, 2);
  assert.is((await fleet(['fleet', 'scan'], { cwd })).code, 2);
});

test('the default inventory is ./bpx-fleet.db, BPX_FLEET_DB names another; a table on a terminal, TSV otherwise', async () => {
  const cwd = tmp();
  const a = await fleet(['fleet', 'add', fx.billing], { cwd });
  assert.is(a.code, 0, a.err);
  assert.ok(readdirSync(cwd).includes('bpx-fleet.db'));
  assert.match(a.out.split('\n')[0]!, /^TARGET\tSTATUS\tAPP\t/);
  const table = await fleet(['fleet', 'query', '--package', 'pkg:npm/ms'], { cwd, tty: true });
  assert.match(
    table.out,
    /^ORG\/SPACE\/APP\s+PACKAGE\s+VERSION\s+SCOPE\s+PATHS\n-\/-\/billing\s+pkg:npm\/ms\s+2\.1\.3\s+required\s+app\/package-lock\.json\n$/,
  );
  const other = join(tmp(), 'other.db');
  const b = await fleet(['fleet', 'add', fx.helloV1], { cwd, env: { BPX_FLEET_DB: other } });
  assert.is(b.code, 0, b.err);
  const q = JSON.parse((await fleet(['fleet', 'query', '--package', 'pkg:npm/debug', '--json', '--db', `sqlite:${other}`], { cwd })).out);
  assert.equal(
    q.matches.map((m: any) => m.app),
    ['hello'],
  );
  const bp = await fleet(['fleet', 'buildpacks'], { cwd, tty: true });
  assert.match(bp.out, /-\/-\/billing\s+0\s+nodejs-lite\s+nodejs-lite\s+1\.9\.4\s+nodejs-lite/);
  const wrong = await fleet(['fleet', 'query', '--package', 'pkg:npm/ms', '--db', 'mysql://x/y'], { cwd });
  assert.is(wrong.code, 2);
});

test("export: each app's current SBOM to Dependency-Track (PUT /api/v1/bom, X-Api-Key from the named variable, autoCreate)", async () => {
  const cwd = tmp();
  assert.is((await fleet(['fleet', 'add', fx.helloV1, fx.billing, fx.corpusSbom], { cwd })).code, 0);
  const dt = await dependencyTrack({ apiKey: 'odt_secret_key_1234' });
  try {
    const r = await fleet(['fleet', 'export', '--dependency-track', dt.url, '--api-key-env', 'DT_KEY', '--json'], {
      cwd,
      env: { DT_KEY: 'odt_secret_key_1234' },
    });
    assert.is(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.equal(out.projects.map((p: any) => [p.project, p.status]).sort(), [
      ['acme/prod/hello', 'uploaded'],
      ['billing', 'uploaded'],
      ['json-server', 'uploaded'],
    ]);
    assert.ok(out.projects.every((p: any) => /^[0-9a-f-]{36}$/.test(p.token)));
    const hello = dt.received.find((x) => x.projectName === 'acme/prod/hello')!;
    assert.equal([hello.projectVersion, hello.autoCreate], ['current', true]);
    assert.is(hello.bom.specVersion, '1.6');
    assert.equal(
      hello.bom.components
        .filter((c: any) => c.purl)
        .map((c: any) => c.purl)
        .sort(),
      ['pkg:generic/node@20.11.1', 'pkg:npm/debug@4.3.7', 'pkg:npm/ms@2.1.3', 'pkg:npm/npm@10.2.4'],
    );
    assert.is(hello.bom.metadata.component.name, 'hello');
    assert.ok(!r.err.includes('odt_secret_key_1234') && !r.out.includes('odt_secret_key_1234'));
  } finally {
    await dt.close();
  }
});

test('export: a refused key (401) stops the run and exits 1; a 202 answer counts as uploaded', async () => {
  const cwd = tmp();
  assert.is((await fleet(['fleet', 'add', fx.helloV1, fx.billing], { cwd })).code, 0);
  const dt = await dependencyTrack({ apiKey: 'right-key-5678', status: 202 });
  try {
    const bad = await fleet(['fleet', 'export', '--dependency-track', dt.url, '--json'], {
      cwd,
      env: { BPX_DT_API_KEY: 'wrong-key-0000' },
    });
    assert.is(bad.code, 1);
    const out = JSON.parse(bad.out);
    assert.equal(
      out.projects.map((p: any) => p.status),
      ['failed', 'not-attempted'],
    );
    assert.match(out.projects[0].error, /401/);
    assert.is(dt.sizes.length, 1, 'no request after the key was refused');
    const ok = await fleet(['fleet', 'export', '--dependency-track', `${dt.url}/api`, '--json'], {
      cwd,
      env: { BPX_DT_API_KEY: 'right-key-5678' },
    });
    assert.is(ok.code, 0, ok.err);
    assert.equal(
      JSON.parse(ok.out).projects.map((p: any) => p.status),
      ['uploaded', 'uploaded'],
    );
    const none = await fleet(['fleet', 'export', '--dependency-track', dt.url], { cwd, env: {} });
    assert.is(none.code, 2);
    assert.match(none.err, /BPX_DT_API_KEY/);
    const plain = await fleet(['fleet', 'export', '--dependency-track', 'http://dt.example.com'], { cwd, env: { BPX_DT_API_KEY: 'k' } });
    assert.is(plain.code, 2);
  } finally {
    await dt.close();
  }
});

test("export: a BOM over the server's size limit (413) fails alone; the smaller ones are uploaded", async () => {
  const cwd = tmp();
  assert.is((await fleet(['fleet', 'add', fx.helloV1, fx.corpusSbom], { cwd })).code, 0);
  const probe = await dependencyTrack({ apiKey: 'k-12345' });
  await fleet(['fleet', 'export', '--dependency-track', probe.url], { cwd, env: { BPX_DT_API_KEY: 'k-12345' } });
  await probe.close();
  const [small, big] = [...probe.sizes].sort((a, b) => a - b);
  const dt = await dependencyTrack({ apiKey: 'k-12345', maxBodyBytes: Math.floor((small! + big!) / 2) });
  try {
    const r = await fleet(['fleet', 'export', '--dependency-track', dt.url, '--json'], { cwd, env: { BPX_DT_API_KEY: 'k-12345' } });
    assert.is(r.code, 1);
    const by = Object.fromEntries(JSON.parse(r.out).projects.map((p: any) => [p.project, p]));
    assert.is(by['acme/prod/hello'].status, 'uploaded');
    assert.is(by['json-server'].status, 'failed');
    assert.match(by['json-server'].error, /413 Payload Too Large/);
  } finally {
    await dt.close();
  }
});

test('the bundle keeps the database drivers outside: loaded by fleet only, never in the phase runtime', () => {
  ensureDist();
  // the CLI: its entry and the chunks it loads on demand
  const main = [
    join(repoRoot, 'dist', 'bpx.cjs'),
    ...readdirSync(join(repoRoot, 'dist', 'cli')).map((f) => join(repoRoot, 'dist', 'cli', f)),
  ]
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  assert.not.match(main, /from"better-sqlite3"|from"pg"|require\("better-sqlite3"\)|require\("pg"\)/);
  assert.match(main, /import\("better-sqlite3"\)/);
  for (const f of readdirSync(join(repoRoot, 'dist', 'phase'))) {
    const text = readFileSync(join(repoRoot, 'dist', 'phase', f), 'utf8');
    assert.not.match(text, /import\("better-sqlite3"\)|import\("pg"\)|schema_migrations/, f);
  }
});

test('the bundled CLI (dist/bpx.cjs) runs fleet from the repo with node_modules', async () => {
  const cwd = tmp();
  const r = await fleetProcess(['fleet', 'add', fx.billing, '--json'], cwd);
  assert.is(r.code, 0, r.err);
  assert.is(JSON.parse(r.out).summary.added, 1);
});

test.run();
