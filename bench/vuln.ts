// Bench: bpx scan and its OSV database, each figure beside its floor or peer, in one run: 50,000 advisories loaded from
// all.zip files and from the prebuilt index (bpx db build); the fixed cost of one `bpx scan SBOM --db` with and without
// the index against `node -e 0`; 200 signed droplets of ~1.75 MB against `xargs -P2 gzip -dc`, with --jobs 1, and
// with --key; a ~300 MB droplet against `gzip -dc`, with and without --key. Runs are interleaved and medians reported:
// the machine is shared.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OSV_ECO, realRecords, zipTo } from './fleet/osv-db.ts';
import { type Component, makeComponent, type Ecosystem } from '../src/model/index.ts';
import { writeDroplet } from '../src/droplet/write.ts';
import { stageSbom } from '../src/sbom/stage.ts';
import { createLocalSigner } from '../src/sbom/sign/keys.ts';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const osvDir = join(repo, '..', 'shared', 'corpus', 'osv');
if (!existsSync(osvDir)) {
  console.log(`skipped: ${osvDir} is absent`);
  process.exit(0);
}
const ECO = OSV_ECO as Record<string, Ecosystem>;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f0 = (n: number) => n.toFixed(0);
const x2 = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const bundle = join(repo, 'dist', 'bpx.cjs');
const bpxArgs = existsSync(bundle) ? [bundle] : ['--import', 'tsx', join(repo, 'src', 'cli', 'bin.ts')];

/** One command's wall time (ms), its exit code and stdout. */
function timed(cmd: string, args: string[], cwd = repo): { ms: number; code: number; out: string; err: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, code: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? '' };
}
const bpx = (args: string[], cwd = repo) => timed(process.execPath, [...bpxArgs, ...args], cwd);

/** Runs each named command `rounds` times, round-robin (so a burst of load hits all alike); medians in ms. */
function interleaved(rounds: number, runs: Record<string, () => { ms: number; code: number; err: string }>): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++)
    for (const [k, run] of Object.entries(runs)) {
      const r = run();
      if (r.code !== 0 && r.code !== 1) throw new Error(`${k}: exit ${r.code}: ${r.err.slice(0, 2000)}`);
      times[k]!.push(r.ms);
    }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

/** A droplet tree whose SBOM bpx staged and signed: `components` in it, the given files beside. */
async function signedTree(dir: string, components: Component[], privatePem: string, files: (app: string, deps: string) => void) {
  const app = join(dir, 'app');
  const deps = join(dir, 'deps', '0');
  mkdirSync(app, { recursive: true });
  mkdirSync(deps, { recursive: true });
  writeFileSync(join(deps, 'config.yml'), 'name: nodejs\nversion: 1.9.3\nconfig: {}\n');
  writeFileSync(join(dir, 'staging_info.yml'), '{"detected_buildpack":"nodejs","start_command":"npm start"}');
  files(app, deps);
  await stageSbom({
    capture: { components, issues: [], complete: true },
    phase: 'finalize',
    buildDir: app,
    depsDir: join(dir, 'deps'),
    depsIdx: '0',
    env: { SOURCE_DATE_EPOCH: '1700000000' },
    known: [{ index: '0', key: 'nodejs_buildpack' }],
    formats: ['cyclonedx'],
    signer: createLocalSigner(privatePem),
  });
}

const work = mkdtempSync(join(tmpdir(), 'bpx-bench-vuln-'));
try {
  // 1. 50,000 advisories: real records with the package renamed (5,000 names per record family) and a new id
  const base = realRecords(osvDir);
  const byEco = new Map<string, Array<[string, string]>>();
  const names: Array<{ eco: Ecosystem; name: string; version: string }> = [];
  for (let i = 0; i < 50_000; i++) {
    const r = base[i % base.length]!;
    const suffix = `b${i % 5000}`;
    const affected = r.affected.map((a: any) =>
      a.package ? { ...a, package: { ...a.package, name: `${a.package.name}-${suffix}`, purl: undefined } } : a,
    );
    const rec = { ...r, id: `${r.id.split('-')[0]}-BENCH-${i}`, aliases: [], affected: JSON.parse(JSON.stringify(affected)) };
    const eco = affected.find((a: any) => a.package && ECO[a.package.ecosystem])!.package.ecosystem as string;
    if (!byEco.has(eco)) byEco.set(eco, []);
    byEco.get(eco)!.push([`${rec.id}.json`, JSON.stringify(rec)]);
    if (i < 10_000) {
      const a = affected.find((x: any) => x.package && ECO[x.package.ecosystem])!;
      const ev = a.ranges?.find((x: any) => x.type !== 'GIT')?.events ?? [];
      const v = ev.find((e: any) => e.fixed)?.fixed ?? a.versions?.[0] ?? '1.0.0';
      names.push({ eco: ECO[eco]!, name: a.package.name, version: i % 2 ? v : String(v).replace(/\d+$/, '0') });
    }
  }
  const db = join(work, 'db');
  for (const [eco, entries] of byEco) {
    mkdirSync(join(db, eco), { recursive: true });
    await zipTo(join(db, eco, 'all.zip'), entries);
  }
  const index = join(work, 'osv.index');
  const build = bpx(['db', 'build', '--osv', db, '-o', index]);
  if (build.code !== 0) throw new Error(build.err);
  console.log(
    `bpx db build: 50,000 advisories from ${byEco.size} all.zip files in ${f0(build.ms)} ms (whole command), index ${(statSync(index).size / 1048576).toFixed(1)} MiB`,
  );

  // Measured in fresh processes: this one still holds the 50,000 generated records, whose heap would slow the load.
  const namesFile = join(work, 'names.json');
  writeFileSync(namesFile, JSON.stringify(names));
  type Load = { records: number; loadMs: number; matchMs: number; components: number; findings: number; rssMB: number };
  const child = (mode: string): Load => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repo, 'bench', '_osv-load.ts'), mode === 'index' ? index : db, namesFile, mode],
      {
        encoding: 'utf8',
        cwd: repo,
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Load;
  };
  const loads: Record<string, Load[]> = { zip: [], index: [] };
  for (let i = 0; i < 3; i++) for (const m of ['zip', 'index']) loads[m]!.push(child(m));
  const med = (m: string, k: keyof Load) => median(loads[m]!.map((r) => r[k] as number));
  console.log(`\n50,000 advisories, median of 3 fresh processes each, interleaved (load ${load()}):`);
  console.log(
    `  load from ${byEco.size} all.zip files: ${f0(med('zip', 'loadMs'))} ms (target < 3000 ms); peak RSS ${f0(med('zip', 'rssMB'))} MB`,
  );
  console.log(
    `  load from the index:        ${f0(med('index', 'loadMs'))} ms (${x2(med('zip', 'loadMs'), med('index', 'loadMs'))} faster); peak RSS ${f0(med('index', 'rssMB'))} MB`,
  );
  console.log(
    `  match ${loads.zip![0]!.components} components -> ${loads.zip![0]!.findings} findings: ${f0(med('zip', 'matchMs'))} ms after the zip load, ` +
      `${f0(med('index', 'matchMs'))} ms on the index (advisories parsed as looked up; ${loads.index![0]!.findings} findings) (target < 1000 ms)`,
  );

  // 2. fixed cost of one run: an SBOM of 20 components, the database from all.zip files or from the index
  const small = join(work, 'small.cdx.json');
  const asCdx = (cs: Component[]) => ({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    components: cs.map((c) => ({ type: 'library', 'bom-ref': c.purl, name: c.name, version: c.version, purl: c.purl })),
  });
  const comps = (n: number, from = 0) =>
    names
      .slice(from, from + n)
      .map((c) => makeComponent({ ecosystem: c.eco, name: c.name, version: c.version, location: { path: 'x', source: 'lockfile' } }));
  writeFileSync(small, JSON.stringify(asCdx(comps(20))));
  const fixed = interleaved(7, {
    node: () => timed(process.execPath, ['-e', '0']),
    help: () => bpx(['--help']),
    index: () => bpx(['scan', small, '--db', index, '--json']),
    zips: () => bpx(['scan', small, '--db', db, '--json']),
  });
  console.log(`\nfixed cost of one bpx scan of a 20-component SBOM, median of 7 interleaved (load ${load()}):`);
  console.log(`  node -e 0 ${f0(fixed.node!)} ms; bpx --help ${f0(fixed.help!)} ms`);
  console.log(`  --db INDEX: ${f0(fixed.index!)} ms = node -e 0 + ${f0(fixed.index! - fixed.node!)} ms (target < 200 ms above)`);
  console.log(`  --db all.zip files: ${f0(fixed.zips!)} ms = node -e 0 + ${f0(fixed.zips! - fixed.node!)} ms`);

  // 3. 200 signed droplets of ~1.75 MB: text the app ships (compressible) and a binary the buildpack installed
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const pub = join(work, 'pub.pem');
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const one = join(work, 'one');
  await signedTree(one, comps(200, 2000), privatePem, (app, deps) => {
    mkdirSync(join(app, 'lib'));
    for (let f = 0; f < 120; f++) {
      const seed = randomBytes(2048).toString('base64');
      let text = '';
      for (let l = 0; text.length < 24_000; l++)
        text += `export function f${f}_${l}(a, b) { return a + b * ${l}; } // ${seed.slice(l % 2000, (l % 2000) + 40)}\n`;
      writeFileSync(join(app, 'lib', `m${f}.js`), text);
    }
    writeFileSync(join(deps, 'node'), randomBytes(1_550_000));
  });
  const oneTgz = join(work, 'one.tgz');
  await writeDroplet(one, oneTgz);
  const fleet = join(work, 'fleet');
  mkdirSync(fleet);
  for (let i = 0; i < 200; i++) copyFileSync(oneTgz, join(fleet, `d${String(i).padStart(3, '0')}.tgz`));
  const each = statSync(oneTgz).size;
  const list = readdirSync(fleet).map((f) => join(fleet, f));
  writeFileSync(join(work, 'list'), `${list.join('\n')}\n`);
  const xargs = () => timed('sh', ['-c', `xargs -P2 -n1 gzip -dc < "${join(work, 'list')}" > /dev/null`]);
  const scan =
    (...extra: string[]) =>
    () =>
      bpx(['scan', fleet, '--db', index, '--json', ...extra]);
  const check = scan('--key', pub)();
  const verified = (JSON.parse(check.out).targets as Array<{ sbom?: { signature: string } }>).filter(
    (t) => t.sbom?.signature === 'verified',
  ).length;
  const fl = interleaved(3, {
    gzip: xargs,
    scan: scan(),
    jobs1: scan('--jobs', '1'),
    key: scan('--key', pub),
  });
  console.log(`\n200 droplets of ${(each / 1048576).toFixed(2)} MB (--db INDEX, --json), median of 3 interleaved (load ${load()}):`);
  console.log(`  xargs -P2 -n1 gzip -dc: ${f0(fl.gzip!)} ms`);
  console.log(
    `  bpx scan: ${f0(fl.scan!)} ms = ${x2(fl.scan!, fl.gzip!)} the peer (target <= 1.2x); whole command, start-up and index included`,
  );
  console.log(`  bpx scan --jobs 1: ${f0(fl.jobs1!)} ms (${x2(fl.jobs1!, fl.scan!)} the parallel run)`);
  console.log(
    `  bpx scan --key: ${f0(fl.key!)} ms = ${x2(fl.key!, fl.scan!)} without --key (${verified}/200 verified; digests in the same pass)`,
  );

  // 4. a ~300 MB droplet (random, incompressible files) with bpx's signed SBOM: scan vs gzip -dc, with and without --key
  const mb = Number(process.env.BPX_BENCH_DROPLET_MB ?? 300);
  const tree = join(work, 'droplet');
  await signedTree(tree, comps(2000), privatePem, (_app, deps) => {
    mkdirSync(join(deps, 'blobs'));
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < mb; i++) {
      chunk.writeUInt32LE(i, 0);
      writeFileSync(join(deps, 'blobs', `b${String(i).padStart(4, '0')}.bin`), chunk);
    }
  });
  const tgz = join(work, 'droplet.tgz');
  spawnSync('sh', ['-c', `cd "${tree}" && tar -cf - ./deps ./app ./staging_info.yml | gzip -1 > "${tgz}"`], { stdio: 'inherit' });
  const big = interleaved(3, {
    gzip: () => timed('sh', ['-c', `gzip -dc "${tgz}" > /dev/null`]),
    scan: () => bpx(['scan', tgz, '--db', index, '--json']),
    key: () => bpx(['scan', tgz, '--db', index, '--json', '--key', pub]),
    sha: () => timed('sh', ['-c', `gzip -dc "${tgz}" | sha256sum > /dev/null`]),
  });
  console.log(`\na ${(statSync(tgz).size / 1048576).toFixed(0)} MB droplet (--db INDEX), median of 3 interleaved (load ${load()}):`);
  console.log(`  gzip -dc ${f0(big.gzip!)} ms; bpx scan ${f0(big.scan!)} ms = ${x2(big.scan!, big.gzip!)} gzip -dc, start-up included`);
  console.log(
    `  bpx scan --key ${f0(big.key!)} ms = ${x2(big.key!, big.scan!)} without (one pass: inflate + SHA-256 of every file); floor gzip -dc | sha256sum ${f0(big.sha!)} ms`,
  );
} finally {
  // BENCH_KEEP=1 keeps the generated databases and droplets, to profile a run by hand
  if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
