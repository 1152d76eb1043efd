// Fleet test helpers: the two backends (a temporary SQLite file; a fresh schema on the PostgreSQL of BPX_TEST_PG_URL),
// real droplets staged by bpx stage from examples/, and the CLI run in-process or as a child process.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { bpx, distCli, ensureDist, repoRoot } from '../lifecycle/stage/helpers.ts';

export { repoRoot };
export const tmp = (prefix = 'bpx-fleet-test-') => mkdtempSync(join(tmpdir(), prefix));

let told = false;
/**
 * The PostgreSQL server tests use (BPX_TEST_PG_URL). Unset: a visible skip outside CI; in CI (env CI set) a failure,
 * since .ci/run starts a server and exports the URL.
 */
export function pgUrl(): string | undefined {
  const url = process.env.BPX_TEST_PG_URL;
  if (url) return url;
  if (process.env.CI) throw new Error('BPX_TEST_PG_URL is unset in CI: .ci/run starts PostgreSQL and exports it');
  if (!told) console.log('skipped: no PostgreSQL (BPX_TEST_PG_URL unset)');
  told = true;
  return undefined;
}

/** Runs SQL on the test server (schema set-up and tear-down). */
export async function pgAdmin(url: string, sql: string): Promise<void> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** a fresh, empty inventory: its --db value, and a cleanup */
  fresh(): Promise<{ db: string; cleanup(): Promise<void> }>;
}

/** SQLite always; PostgreSQL when BPX_TEST_PG_URL is set (each inventory in its own schema, dropped afterwards). */
export function backends(): Backend[] {
  const out: Backend[] = [
    {
      name: 'sqlite',
      fresh: async () => ({ db: join(tmp(), 'fleet.db'), cleanup: async () => {} }),
    },
  ];
  const url = pgUrl();
  if (url) {
    out.push({
      name: 'postgres',
      fresh: async () => {
        const schema = `bpx_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        await pgAdmin(url, `CREATE SCHEMA ${schema}`);
        const u = new URL(url);
        u.searchParams.set('options', `-c search_path=${schema}`);
        return { db: u.toString(), cleanup: () => pgAdmin(url, `DROP SCHEMA ${schema} CASCADE`) };
      },
    });
  }
  return out;
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** `bpx ARGS` in this process, with its own environment (BPX_FLEET_DB is read from it, never from process.env). */
export async function fleet(args: string[], opts: { cwd: string; env?: Record<string, string>; tty?: boolean }): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), env: opts.env ?? {}, cwd: opts.cwd, isTTY: opts.tty ?? false });
  return { code, out, err };
}

/** `node dist/bpx.cjs ARGS` as a child process (what an operator runs), resolved when it exits. */
export function fleetProcess(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  ensureDist();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [distCli, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const example = (p: string) => join(repoRoot, 'examples', p);

/** hello-node with other versions of its two packages (a new release of the app). */
export function helloVariant(root: string, versions: { debug?: string; ms?: string }): string {
  // the folder keeps the app's name: bpx stage names the app (VCAP_APPLICATION) after it
  const dir = join(root, `v-${versions.debug ?? 'x'}-${versions.ms ?? 'x'}`, 'hello-node');
  cpSync(example('apps/hello-node'), dir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) {
    let text = readFileSync(join(dir, f), 'utf8');
    if (versions.debug)
      text = text
        .replaceAll('"4.3.7"', `"${versions.debug}"`)
        .replace(/("node_modules\/debug": \{\s*"version": ")[^"]+/, `$1${versions.debug}`);
    if (versions.ms)
      text = text.replaceAll('"2.1.3"', `"${versions.ms}"`).replace(/("node_modules\/ms": \{\s*"version": ")[^"]+/, `$1${versions.ms}`);
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/**
 * The example buildpack wrapped with builtin:sbom signing with a fresh key: stage with it and the droplet carries a
 * signed SBOM. Returns the zip and the public key.
 */
export function wrappedWithSbom(root: string): { zip: string; pub: string } {
  const k = bpx(['keygen', '-o', join(root, 'keys', 'bpx')]);
  if (k.code !== 0) throw new Error(k.stderr);
  writeFileSync(
    join(root, 'bpx.yml'),
    [
      'version: 1',
      'extensions:',
      '  - name: sbom',
      '    uses: builtin:sbom',
      '    at: [finalize:after, compile:after]',
      '    with:',
      '      formats: [cyclonedx, spdx]',
      '      signingKey: {file: keys/bpx.key}',
      '',
    ].join('\n'),
  );
  const zip = join(root, 'nodejs-lite-bpx.zip');
  const w = bpx(['wrap', example('buildpacks/nodejs-lite'), '--manifest', join(root, 'bpx.yml'), '-o', zip]);
  if (w.code !== 0) throw new Error(w.stderr);
  return { zip, pub: join(root, 'keys', 'bpx.pub') };
}

/** `bpx stage` of an app with a buildpack into OUT/<name>/ (droplet.tgz, result.json): a real droplet. */
export function stage(app: string, buildpack: string, outRoot: string, name: string, scriptEnv: Record<string, string> = {}): string {
  const out = join(outRoot, name);
  mkdirSync(outRoot, { recursive: true });
  const envArgs = Object.entries(scriptEnv).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const r = bpx(['stage', '--app', app, '--buildpack', buildpack, '--out', out, ...envArgs]);
  if (r.code !== 0) throw new Error(`bpx stage failed (${r.code}): ${r.stderr}`);
  return join(out, 'droplet.tgz');
}

export const helloApp = () => example('apps/hello-node');
export const nodejsLite = () => example('buildpacks/nodejs-lite');

export const APP_GUID = '6f1c3c1e-0d6a-4d52-9c59-2f7f6e1a9a01';
export const VCAP = JSON.stringify({
  application_name: 'hello',
  application_id: APP_GUID,
  space_name: 'prod',
  space_id: 'b1d7c1a2-space',
  organization_name: 'acme',
  organization_id: '0a2b3c4d-org',
});

export interface Fixtures {
  root: string;
  /** signed droplets of the app acme/prod/hello: v1 (debug 4.3.7, ms 2.1.3), v2 (debug 4.4.0) */
  helloV1: string;
  helloV2: string;
  /** the example buildpack unwrapped: no SBOM in the droplet, captured; named after its folder (billing) */
  billing: string;
  /** an SBOM file of a corpus app (json-server: lodash, minimist...) */
  corpusSbom: string;
  /** a file that is no droplet */
  broken: string;
  pub: string;
}

/** Real droplets for the fleet tests: staged by bpx stage from examples/ (a wrapped, signing buildpack and the bare one). */
export async function buildFixtures(): Promise<Fixtures> {
  const root = tmp('bpx-fleet-fixtures-');
  const w = wrappedWithSbom(root);
  const drops = join(root, 'droplets');
  const helloV1 = stage(helloApp(), `nodejs=${w.zip}`, join(drops, 'acme'), 'hello-v1', { VCAP_APPLICATION: VCAP });
  const helloV2 = stage(helloVariant(root, { debug: '4.4.0' }), `nodejs=${w.zip}`, join(drops, 'acme'), 'hello-v2', {
    VCAP_APPLICATION: VCAP,
  });
  const billing = stage(helloApp(), nodejsLite(), join(drops, 'other'), 'billing');
  const sboms = join(root, 'sboms');
  mkdirSync(sboms, { recursive: true });
  const corpusSbom = join(sboms, 'json-server.cdx.json');
  const dir = join(repoRoot, '..', 'shared', 'corpus', 'lockfiles', 'npm', 'typicode-json-server', 'lockfile-v3');
  const s = bpx(['sbom', dir, '-o', corpusSbom]);
  if (s.code !== 0) throw new Error(`bpx sbom ${dir}: ${s.stderr}`);
  const broken = join(root, 'broken', 'broken.tgz');
  mkdirSync(join(root, 'broken'));
  writeFileSync(broken, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  return { root, helloV1, helloV2, billing, corpusSbom, broken, pub: w.pub };
}

/** An OSV record (https://ossf.github.io/osv-schema/) for an npm package range, written into DIR. */
export function advisory(dir: string, id: string, pkg: string, events: Array<Record<string, string>>, severity = 'HIGH'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${id}.json`),
    JSON.stringify({
      schema_version: '1.6.0',
      id,
      modified: '2026-01-02T03:04:05Z',
      published: '2026-01-01T00:00:00Z',
      summary: `${pkg} test advisory ${id}`,
      affected: [{ package: { ecosystem: 'npm', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events }] }],
      database_specific: { severity },
    }),
  );
}

/** The store and its database modules only (not the readers of droplets), for looking into an inventory. */
export async function fleetStore() {
  const [{ FleetStore }, { openDb, parseDbLocation }, { SCHEMA_VERSION }] = await Promise.all([
    import('../../src/fleet/store.ts'),
    import('../../src/fleet/db/open.ts'),
    import('../../src/fleet/schema/migrations.ts'),
  ]);
  return { FleetStore, openDb, parseDbLocation, SCHEMA_VERSION };
}
