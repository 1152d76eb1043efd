// Bench: the fleet inventory. 10,000 SBOMs varied from real corpus SBOMs: `fleet add` rate and peak RSS (SQLite,
// PostgreSQL), query p50/p99 over 100 packages, `fleet scan` against 50,000 advisories, database size; beside
// today's file-based `bpx query` on 100 droplets. BENCH_FLEET_N changes the fleet size; PostgreSQL is measured when
// BPX_TEST_PG_URL (or BENCH_PG_URL) is set.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDroplet } from '../src/droplet/write.ts';
import { corpusSboms, writeFleet } from './fleet/sboms.ts';
import { writeBenchOsv } from './fleet/osv-db.ts';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const corpus = join(repo, '..', 'shared', 'corpus');
if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is absent`);
  process.exit(0);
}
const N = Number(process.env.BENCH_FLEET_N ?? 10_000);
const pgBase = process.env.BENCH_PG_URL ?? process.env.BPX_TEST_PG_URL;
const cli = join(repo, 'dist', 'bpx.cjs');
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/**
 * Runs the bundled CLI under /usr/bin/time: wall ms, CPU seconds (user + system: what the run costs whatever else the
 * machine does; on a shared machine wall time mostly measures the others), peak RSS MB, exit code, stdout.
 */
function run(args: string[]): { ms: number; cpuS: number; rssMB: number; code: number; out: string; err: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines = r.stderr.trim().split('\n');
  const [rss, user, sys] = lines.pop()!.split(' ').map(Number);
  return { ms: ms(t), cpuS: user! + sys!, rssMB: rss! / 1024, code: r.status ?? -1, out: r.stdout, err: lines.join('\n') };
}
const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;

async function pg(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const { default: P } = await import('pg');
  const c = new P.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

const work = mkdtempSync(join(tmpdir(), 'bpx-bench-fleet-'));
const schema = `bpx_bench_${process.pid}`;
try {
  let t = process.hrtime.bigint();
  const bases = await corpusSboms(join(corpus, 'lockfiles'));
  const osv = join(work, 'osv');
  const vulnerable = await writeBenchOsv(join(corpus, 'osv'), osv);
  const files = writeFleet(bases, join(work, 'fleet'), N, vulnerable);
  const avg = bases.reduce((n, b) => n + b.components.length, 0) / bases.length;
  console.log(
    `fleet: ${N} SBOMs from ${bases.length} corpus SBOMs (${avg.toFixed(0)} components on average), 50,000 advisories; generated in ${(ms(t) / 1000).toFixed(1)} s`,
  );

  // 100 droplets for today's file-based bpx query: the first 100 SBOMs, each inside a droplet tarball as bpx writes it
  const drops = join(work, 'droplets');
  for (const [i, f] of files.slice(0, 100).entries()) {
    const tree = join(work, 'tree', String(i));
    mkdirSync(join(tree, 'app', '.bpx'), { recursive: true });
    mkdirSync(join(tree, 'deps', '0'), { recursive: true });
    writeFileSync(join(tree, 'app', '.bpx', 'sbom.cdx.json'), readFileSync(f));
    writeFileSync(join(tree, 'deps', '0', 'config.yml'), 'name: nodejs\nversion: 1.8.20\nconfig: {}\n');
    writeFileSync(join(tree, 'staging_info.yml'), '{"detected_buildpack":"nodejs","start_command":"npm start"}');
    mkdirSync(join(drops, `svc-${i}`), { recursive: true });
    await writeDroplet(tree, join(drops, `svc-${i}`, 'droplet.tgz'));
  }

  // 100 different packages, each asked with a range below its median version in the fleet
  const seen = new Map<string, string[]>();
  for (const b of bases)
    for (const c of b.components)
      if (c.purl && /^pkg:(npm|pypi|gem|cargo|golang)\//.test(c.purl))
        seen.set(c.purl.replace(/@[^@/]*$/, ''), [...(seen.get(c.purl.replace(/@[^@/]*$/, '')) ?? []), c.version]);
  const queries = [...seen.entries()]
    .filter(([p]) => !p.includes('%'))
    .slice(0, 99)
    .map(([p, vs]) => ({ purl: p, range: p.startsWith('pkg:pypi') ? `<${vs[0]}` : `<${vs[0]}` }));
  queries.unshift({ purl: 'pkg:npm/bcrypt', range: '<5.0.1' });

  const dbs: Array<{ name: string; db: string }> = [{ name: 'SQLite', db: join(work, 'fleet.db') }];
  if (pgBase) {
    await pg(pgBase, `CREATE SCHEMA ${schema}`);
    const u = new URL(pgBase);
    u.searchParams.set('options', `-c search_path=${schema}`);
    dbs.push({ name: 'PostgreSQL', db: u.toString() });
  } else console.log('PostgreSQL: not measured (BPX_TEST_PG_URL unset)');

  for (const { name, db } of dbs) {
    const add = run(['fleet', 'add', join(work, 'fleet'), '--db', db, '--json']);
    if (add.code !== 0) throw new Error(`${name} fleet add exited ${add.code}: ${add.err.slice(-2000)}`);
    const summary = JSON.parse(add.out).summary;
    console.log(
      `${name} fleet add: ${summary.added} SBOMs in ${(add.ms / 1000).toFixed(1)} s = ${(summary.added / (add.ms / 1000)).toFixed(0)} SBOMs/s (target >= ${name === 'SQLite' ? 500 : 200}); ${add.cpuS.toFixed(1)} CPU s (${(summary.added / add.cpuS).toFixed(0)} SBOMs per CPU second); peak RSS ${add.rssMB.toFixed(0)} MB; ${load()}`,
    );
    const again = run(['fleet', 'add', join(work, 'fleet'), '--db', db, '--json']);
    console.log(`${name} fleet add again (all unchanged): ${(again.ms / 1000).toFixed(1)} s (${again.cpuS.toFixed(1)} CPU s)`);

    // query latency in one process (the store opened once), as a service or a REPL would ask
    const { FleetStore } = await import('../src/fleet/store.ts');
    const { openDb, parseDbLocation } = await import('../src/fleet/db/open.ts');
    const { queryInventory } = await import('../src/fleet/query.ts');
    const store = await FleetStore.open(await openDb(parseDbLocation(db, work)));
    const counts = await store.counts();
    const times: number[] = [];
    let rows = 0;
    let bcrypt = 0;
    for (const q of [...queries, ...queries]) {
      const t0 = process.hrtime.bigint();
      const hits = await queryInventory(store, q.purl, q.range);
      times.push(ms(t0));
      rows += hits.length;
      if (q.purl === 'pkg:npm/bcrypt') bcrypt = hits.length;
    }
    const warm = times.slice(queries.length);
    console.log(
      `${name} fleet query: p50 ${pct(warm, 50).toFixed(1)} ms, p99 ${pct(warm, 99).toFixed(1)} ms over ${queries.length} queries on different packages (targets 20 / 50 ms); ${(rows / 2 / queries.length).toFixed(0)} rows per answer on average; bcrypt <5.0.1: ${bcrypt} apps; ${load()}`,
    );
    console.log(
      `${name} inventory: ${counts.apps} apps, ${counts.droplets} droplets, ${counts.components} distinct components, ${counts.links} droplet-component rows`,
    );
    await store.close();
    const one = run(['fleet', 'query', '--package', 'pkg:npm/bcrypt', '--range', '<5.0.1', '--db', db, '--json']);
    console.log(`${name} one bpx fleet query process (Node start included): ${one.ms.toFixed(0)} ms`);

    const scan = run(['fleet', 'scan', '--osv', osv, '--db', db, '--json']);
    if (scan.code !== 0) throw new Error(`${name} fleet scan exited ${scan.code}: ${scan.err.slice(-2000)}`);
    const s = JSON.parse(scan.out);
    const findings = s.apps.reduce((n: number, a: any) => n + a.findings.length, 0);
    console.log(
      `${name} fleet scan: ${s.components} components (${s.checked} checked) against ${s.run.advisories} advisories -> ${findings} findings in ${(scan.ms / 1000).toFixed(1)} s, OSV load included (target < 10 s); ${scan.cpuS.toFixed(1)} CPU s; peak RSS ${scan.rssMB.toFixed(0)} MB; ${load()}`,
    );
    const rescan = run(['fleet', 'scan', '--osv', osv, '--db', db, '--new', '--json']);
    console.log(`${name} fleet scan --new (second run, nothing new): ${(rescan.ms / 1000).toFixed(1)} s (${rescan.cpuS.toFixed(1)} CPU s)`);
    // the same scan from the prebuilt index (bpx db build -o, beside the folder so that bpx scan below still loads the zips)
    const osvIndex = join(work, 'osv.index');
    if (!existsSync(osvIndex) && run(['db', 'build', '--osv', osv, '-o', osvIndex]).code !== 0) throw new Error('bpx db build failed');
    const indexed = run(['fleet', 'scan', '--osv', osvIndex, '--db', db, '--json']);
    if (indexed.code !== 0) throw new Error(`${name} fleet scan (index) exited ${indexed.code}: ${indexed.err.slice(-2000)}`);
    console.log(
      `${name} fleet scan --osv INDEX: ${(indexed.ms / 1000).toFixed(1)} s (target < 10 s); ${indexed.cpuS.toFixed(1)} CPU s; peak RSS ${indexed.rssMB.toFixed(0)} MB; ${load()}`,
    );

    if (name === 'SQLite') {
      const size = ['', '-wal'].reduce((n, x) => n + (existsSync(db + x) ? statSync(db + x).size : 0), 0);
      console.log(
        `SQLite size: ${(size / 1e6).toFixed(0)} MB for ${N} droplets (${(((size / N) * 10_000) / 1e6).toFixed(0)} MB per 10,000)`,
      );
    } else {
      const r = await pg(
        pgBase!,
        `SELECT SUM(pg_total_relation_size(c.oid))::bigint AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${schema}' AND c.relkind = 'r'`,
      );
      const size = Number(r[0]!.n);
      console.log(
        `PostgreSQL size: ${(size / 1e6).toFixed(0)} MB for ${N} droplets (${(((size / N) * 10_000) / 1e6).toFixed(0)} MB per 10,000)`,
      );
    }
  }

  // today's file-based answer to the same question, on 100 droplets
  const file = run(['query', drops, '--package', 'pkg:npm/bcrypt', '--range', '<5.0.1', '--json']);
  if (file.code !== 0) throw new Error(`bpx query exited ${file.code}: ${file.err.slice(-1000)}`);
  console.log(
    `bpx query (file-based) on 100 droplets, bcrypt <5.0.1: ${JSON.parse(file.out).matches.length} matches in ${file.ms.toFixed(0)} ms (${(file.ms / 100).toFixed(1)} ms per droplet: ${(((file.ms / 100) * N) / 1000).toFixed(0)} s for ${N})`,
  );
  const fileScan = run(['scan', drops, '--db', osv, '--json']);
  console.log(`bpx scan (file-based) on 100 droplets against the same 50,000 advisories: ${(fileScan.ms / 1000).toFixed(1)} s`);
} finally {
  if (pgBase) await pg(pgBase, `DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  // BENCH_KEEP=1 keeps the generated fleet, advisories and index, to measure or profile a run by hand
  if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
