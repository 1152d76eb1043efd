// Bench: `bpx fleet sync` against the loopback Cloud Controller, UAA and blobstore stand-ins of test/fleet. A foundation
// of 1,000 apps with small droplets (BENCH_SYNC_APPS changes it): droplets/s and the API calls a first and a second
// sync make (O(pages) for the listing), beside a `cf curl`-style listing that asks each app for its current droplet;
// and peak RSS while one large droplet (BENCH_SYNC_LARGE_MB, default 300) is downloaded and read, beside a small one.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { type App, type Droplet, type Foundation, StandIn, sha256 } from '../test/fleet/cc-stand-in.ts';
import { guid, variant } from '../test/fleet/sync-fixtures.ts';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const N = Number(process.env.BENCH_SYNC_APPS ?? 1000);
const LARGE_MB = Number(process.env.BENCH_SYNC_LARGE_MB ?? 300);
const work = mkdtempSync(join(tmpdir(), 'bpx-bench-sync-'));

/** A droplet as the builder lays it out: the hello-node app (lockfile: captured), deps/0/config.yml, staging_info.yml. */
async function droplet(extraMB = 0): Promise<Buffer> {
  const root = mkdtempSync(join(work, 'd-'));
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'server.js'])
    writeFileSync(join(app, f), readFileSync(join(repo, 'examples/apps/hello-node', f)));
  mkdirSync(join(root, 'deps', '0'), { recursive: true });
  writeFileSync(join(root, 'deps', '0', 'config.yml'), 'name: nodejs-lite\nversion: 1.9.4\nconfig: {}\n');
  writeFileSync(join(root, 'staging_info.yml'), JSON.stringify({ detected_buildpack: 'nodejs-lite', start_command: 'node server.js' }));
  if (extraMB) {
    // incompressible content: the download is as large as the droplet
    const ws = createWriteStream(join(app, 'blob.bin'));
    for (let i = 0; i < extraMB; i++) if (!ws.write(randomBytes(1 << 20))) await new Promise<void>((r) => ws.once('drain', () => r()));
    await new Promise<void>((r) => ws.end(() => r()));
  }
  const out = join(root, 'droplet.tgz');
  await tar.c({ gzip: { level: 1 }, file: out, cwd: root, portable: true }, ['app', 'deps', 'staging_info.yml']);
  const b = readFileSync(out);
  rmSync(root, { recursive: true, force: true });
  return b;
}

function foundation(n: number, bits: Buffer): Foundation {
  const orgs = Array.from({ length: 4 }, (_, i) => ({ guid: guid('0a', i + 1), name: `org-${i + 1}` }));
  const spaces = Array.from({ length: 20 }, (_, i) => ({ guid: guid('5a', i + 1), name: `space-${i + 1}`, orgGuid: orgs[i % 4]!.guid }));
  const apps: App[] = [];
  const droplets = new Map<string, Droplet>();
  for (let i = 1; i <= n; i++) {
    const b = n === 1 ? bits : variant(bits, i);
    const d: Droplet = {
      guid: guid('d0', i),
      appGuid: guid('a99', i),
      state: 'STAGED',
      lifecycle: 'buildpack',
      checksum: { type: 'sha256', value: sha256(b) },
      buildpacks: [{ name: 'nodejs_buildpack', buildpack_name: 'nodejs-lite', detect_output: null, version: '1.9.4' }],
      stack: 'cflinuxfs4',
      image: null,
      createdAt: '2026-02-01T08:00:00Z',
      bits: b,
    };
    droplets.set(d.guid, d);
    apps.push({
      guid: d.appGuid,
      name: `app-${i}`,
      spaceGuid: spaces[i % 20]!.guid,
      lifecycle: 'buildpack',
      state: 'STARTED',
      updatedAt: '2026-02-01T08:00:01Z',
      dropletGuid: d.guid,
    });
  }
  return {
    orgs,
    spaces,
    apps,
    droplets,
    buildpacks: [
      {
        guid: guid('b0', 1),
        name: 'nodejs_buildpack',
        stack: 'cflinuxfs4',
        position: 1,
        filename: 'nodejs_buildpack-cached-cflinuxfs4-v1.9.4.zip',
        lifecycle: 'buildpack',
        updatedAt: '2026-01-01T00:00:00Z',
      },
    ],
    stacks: [{ guid: guid('5c', 1), name: 'cflinuxfs4', description: 'Cloud Foundry Linux-based filesystem (Ubuntu 22.04)' }],
  };
}

/** `bpx fleet sync` as a child process (the stand-ins live in this one): wall ms, peak RSS MB, the JSON it printed. */
function sync(s: StandIn, db: string, token: string, extra: string[] = []): Promise<{ ms: number; rssMB: number; out: any; err: string }> {
  return new Promise((res, rej) => {
    const t = process.hrtime.bigint();
    const p = spawn(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        process.execPath,
        '--import',
        'tsx',
        join(repo, 'src/cli/bin.ts'),
        'fleet',
        'sync',
        '--api',
        s.cc.url,
        '--db',
        db,
        '--token-env',
        'T',
        '--json',
        ...extra,
      ],
      {
        cwd: repo,
        env: { PATH: process.env.PATH ?? '', T: token, HOME: work },
      },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('close', () => {
      const lines = err.trim().split('\n');
      const rss = Number(lines.pop()) / 1024;
      try {
        res({ ms: Number(process.hrtime.bigint() - t) / 1e6, rssMB: rss, out: JSON.parse(out), err: lines.join('\n') });
      } catch {
        rej(new Error(`sync printed no JSON: ${err.slice(-2000)}`));
      }
    });
  });
}

/** What a script without a batched listing does: the apps' pages, then GET /v3/apps/:guid/droplets/current per app. */
async function oneCallPerApp(s: StandIn, token: string, concurrency = 4): Promise<{ ms: number; calls: number }> {
  const t = process.hrtime.bigint();
  let calls = 0;
  const get = async (u: string) => {
    calls++;
    const r = await fetch(u, { headers: { Authorization: `bearer ${token}` } });
    return r.json() as Promise<any>;
  };
  const apps: string[] = [];
  for (let next: string | null = `${s.cc.url}/v3/apps?per_page=5000`; next;) {
    const page: any = await get(next);
    apps.push(...page.resources.map((a: any) => a.guid));
    next = page.pagination.next?.href ?? null;
  }
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < apps.length) await get(`${s.cc.url}/v3/apps/${apps[i++]}/droplets/current`);
    }),
  );
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, calls };
}

const small = await droplet();
const s = await StandIn.start(foundation(N, small), { maxPerPage: 5000 });
const token = s.issue(24 * 3600);
const db = join(work, 'fleet.db');
try {
  const first = await sync(s, db, token);
  const firstCalls = s.ccLog.length;
  const firstBlob = s.blobLog.length;
  s.ccLog.length = 0;
  s.blobLog.length = 0;
  const second = await sync(s, db, token);
  const secondCalls = s.ccLog.length;
  s.ccLog.length = 0;
  const naive = await oneCallPerApp(s, token);
  const sum = first.out.summary;
  console.log(`fleet sync of ${N} apps (${(small.length / 1024).toFixed(1)} KB droplets, captured; concurrency 4; sources through tsx)`);
  console.log(`| | wall | droplets/s | API calls | by kind | peak RSS |`);
  console.log(`|---|---|---|---|---|---|`);
  console.log(
    `| first sync | ${(first.ms / 1000).toFixed(1)} s | ${(sum.downloaded / (first.ms / 1000)).toFixed(0)} | ${firstCalls} (+${firstBlob} blobstore) | ${JSON.stringify(first.out.calls)} | ${first.rssMB.toFixed(0)} MB |`,
  );
  console.log(
    `| second sync (nothing changed) | ${(second.ms / 1000).toFixed(1)} s | - | ${secondCalls} | ${JSON.stringify(second.out.calls)} | ${second.rssMB.toFixed(0)} MB |`,
  );
  console.log(
    `| one call per app (cf curl /v3/apps/GUID/droplets/current), listing only | ${(naive.ms / 1000).toFixed(1)} s | - | ${naive.calls} | | |`,
  );
  if (sum.downloaded !== N || second.out.summary.downloaded !== 0)
    console.log(`unexpected: first sync downloaded ${sum.downloaded}, second ${second.out.summary.downloaded}`);
} finally {
  await s.close();
}

const large = await droplet(LARGE_MB);
const sl = await StandIn.start(foundation(1, large), { maxPerPage: 5000 });
const ss = await StandIn.start(foundation(1, small), { maxPerPage: 5000 });
try {
  const big = await sync(sl, join(work, 'large.db'), sl.issue(3600));
  const little = await sync(ss, join(work, 'small.db'), ss.issue(3600));
  console.log(
    `\npeak RSS of one sync: a ${(large.length / 1e6).toFixed(0)} MB droplet ${big.rssMB.toFixed(0)} MB (${(big.ms / 1000).toFixed(1)} s, ${(large.length / 1e6 / (big.ms / 1000)).toFixed(0)} MB/s), a ${(small.length / 1024).toFixed(1)} KB droplet ${little.rssMB.toFixed(0)} MB`,
  );
  if (big.out.summary.downloaded !== 1) console.log(`unexpected: ${big.err}`);
} finally {
  await sl.close();
  await ss.close();
  rmSync(work, { recursive: true, force: true });
}
