// Reading scan targets on worker threads (src/vuln/scan/pool.ts) and in one pass: the same results as one after another,
// a worker that dies fails only its own target, `scan --key` opens each droplet once, and Ctrl-C leaves no temporary
// files. Real droplets staged with bpx's SBOM writer and signer, from the corpus apps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import fs, { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { corpus, needCorpus } from '../corpus.ts';
import { dropletTree, keys, stagedDroplet, tempDir } from './helpers.ts';
import { bundle, ensureBundle } from '../../cli/helpers.ts';
import { writeDroplet } from '../../../src/droplet/write.ts';
import { type Target, expandTargets, loadTarget } from '../../../src/vuln/scan/targets.ts';
import { readTargets } from '../../../src/vuln/scan/pool.ts';

const firebase = join(corpus, 'lockfiles', 'npm', 'firebase-firebase-tools', 'shrinkwrap-v2');
const rails = join(corpus, 'lockfiles', 'cf-app', 'cloudfoundry-samples-cf-sample-app-rails');
let root = '';
let kp: ReturnType<typeof keys>;
let targets: Target[] = [];

test.before(async () => {
  if (!needCorpus()) return;
  root = tempDir('bpx-scan-pool-');
  kp = keys();
  const fleet = join(root, 'fleet');
  mkdirSync(fleet);
  const a = await stagedDroplet(join(root, 'a'), firebase, { name: 'nodejs', version: '1.9.3', key: 'nodejs_buildpack' }, kp.privatePem);
  const b = await stagedDroplet(join(root, 'b'), rails, { name: 'ruby', version: '1.10.0', key: 'ruby_buildpack' });
  cpSync(a.tgz, join(fleet, 'a-signed.tgz'));
  cpSync(b.tgz, join(fleet, 'b-unsigned.tgz'));
  await writeDroplet(dropletTree(join(root, 'c'), firebase, { name: 'nodejs', version: '1.8.0' }), join(fleet, 'c-bare.tgz'));
  cpSync(join(a.dir, 'app', '.bpx', 'sbom.cdx.json'), join(fleet, 'd.cdx.json'));
  writeFileSync(join(fleet, 'e-junk.tgz'), 'not a droplet');
  targets = await expandTargets([fleet]);
});

test.after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('worker threads read every target as this thread does, results in target order', async () => {
  if (!needCorpus()) return;
  const opts = { publicKey: Buffer.from(kp.publicPem), tmpDir: root };
  const one = await readTargets(targets, opts, { jobs: 1 }).results();
  const done: number[] = [];
  const many = await readTargets(targets, opts, { jobs: 3, onDone: (n) => done.push(n) }).results();
  assert.equal(many, one);
  assert.equal(done, [1, 2, 3, 4, 5]);
  assert.equal(
    one.map((l) => ('t' in l ? `${l.t.source} ${l.t.signature}` : 'error')),
    ['droplet-sbom verified', 'captured missing', 'captured missing', 'file not-checked', 'error'],
  );
  assert.match((one[4] as { error: string }).error, /e-junk\.tgz: not a readable droplet/);
  // no temporary folder left behind
  assert.equal(
    readdirSync(root).filter((n) => n.startsWith('bpx-scan-')),
    [],
  );
});

test('a worker that runs out of memory fails only the target it was reading; the others are read', async () => {
  if (!needCorpus()) return;
  // an SBOM file far larger than the workers' heap limit
  const big = join(root, 'big.cdx.json');
  const components = Array.from({ length: 400_000 }, (_, i) => ({
    type: 'library',
    'bom-ref': `c${i}`,
    name: `package-${i}`,
    version: '1.0.0',
    purl: `pkg:npm/package-${i}@1.0.0`,
  }));
  writeFileSync(big, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components }));
  const list: Target[] = [targets[0]!, { path: big, kind: 'sbom' }, targets[2]!, targets[3]!];
  const got = await readTargets(list, { tmpDir: root }, { jobs: 2, resourceLimits: { maxOldGenerationSizeMb: 96 } }).results();
  assert.match((got[1] as { error: string }).error, /^the worker reading it stopped: /);
  for (const i of [0, 2, 3]) assert.ok('t' in got[i]!, JSON.stringify(got[i]));
  assert.ok((got[0] as { t: { components: unknown[] } }).t.components.length > 100);
});

test('scan --key reads each droplet once: digests, signature and SBOM in one pass', async () => {
  if (!needCorpus()) return;
  const droplet = targets[0]!;
  const opened: string[] = [];
  const original = fs.createReadStream;
  // counted through node:fs itself, which the droplet reader imports
  fs.createReadStream = ((p: fs.PathLike, o?: unknown) => {
    opened.push(String(p));
    return original(p, o as Parameters<typeof original>[1]);
  }) as typeof fs.createReadStream;
  syncBuiltinESMExports();
  try {
    const t = await loadTarget(droplet, { publicKey: Buffer.from(kp.publicPem), tmpDir: root });
    assert.is(t.signature, 'verified');
    assert.is(t.source, 'droplet-sbom');
  } finally {
    fs.createReadStream = original;
    syncBuiltinESMExports();
  }
  assert.equal(opened, [droplet.path]);
});

test('Ctrl-C while droplets are being captured leaves no temporary files', async () => {
  if (!needCorpus()) return;
  ensureBundle();
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  const many = join(root, 'many');
  mkdirSync(many);
  for (let i = 0; i < 40; i++) cpSync(targets[2]!.path, join(many, `bare-${i}.tgz`));
  const child = spawn(process.execPath, [bundle, 'scan', many, '--db', join(corpus, 'osv')], {
    cwd: root,
    env: { ...process.env, TMPDIR: tmp },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  // interrupted once capture has begun: its temporary folders exist
  const began = Date.now();
  while (!readdirSync(tmp).some((n) => n.startsWith('bpx-scan-') && readdirSync(join(tmp, n)).length > 0)) {
    if (Date.now() - began > 30_000) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGINT');
  const code = await exited;
  assert.is(code, 130);
  assert.equal(readdirSync(tmp), []);
});

test.run();
