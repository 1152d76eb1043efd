// Bench: tree digest and signing of a generated droplet (20,000 files, 300 MB) as a directory and as a tar.gz; time and peak RSS.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomFillSync } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

const work = mkdtempSync(path.join(tmpdir(), 'bpx-bench-sbom-'));
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
